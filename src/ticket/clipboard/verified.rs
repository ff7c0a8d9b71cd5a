//! Verify once, then trust: the copy paths the engineer proved work on their terminal.
//!
//! A terminal never confirms a clipboard write, so `tshoot doctor` (and the ticket pane's
//! verify key) sends a short random token and asks the engineer to paste it back. A match is
//! recorded here, keyed by the route (through tmux, direct OSC 52, through GNU screen), the
//! terminal ([`Identity`]'s version answer, else its name) and where the engineer sits (the
//! SSH client's address, or `local`): a later copy on the same terminal by the same route
//! then says "copied (verified DATE)". A different terminal, or the same one from another
//! desk, has another key and is not trusted.
//!
//! The record is a small text file in the state folder (`~/.local/state/tshoot/verified`),
//! one `key<TAB>date` line per verified path. An unreadable file or line is no record: the
//! worst case is an unconfirmed "sent" message, never a false "copied".

use std::io::{self, Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use super::{Env, Identity};

/// Environment variable that overrides [`default_file`]'s folder.
pub const STATE_DIR_VAR: &str = "TSHOOT_STATE_DIR";

/// How a clipboard write reaches the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// tmux's `load-buffer -w`.
    Tmux,
    /// tshoot's own OSC 52.
    Osc52,
    /// tshoot's OSC 52 wrapped for GNU screen.
    Screen,
}

impl Route {
    /// The route `env` copies by (tmux inside tmux, else screen, else plain OSC 52).
    pub fn of(env: &Env) -> Self {
        if env.tmux {
            Route::Tmux
        } else if env.screen {
            Route::Screen
        } else {
            Route::Osc52
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Route::Tmux => "tmux",
            Route::Osc52 => "osc52",
            Route::Screen => "screen",
        }
    }
}

/// The record key for `route` on this terminal, from this desk.
pub fn key(route: Route, id: &Identity, env: &Env) -> String {
    let terminal = id
        .version
        .as_deref()
        .or(id.term.as_deref())
        .filter(|s| !s.is_empty())
        .unwrap_or("unknown");
    let from = env.ssh_client.as_deref().unwrap_or("local");
    clean(&format!("{}|{terminal}|{from}", route.label()))
}

/// Tabs and line breaks would break the file's lines.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Where the record is kept: `$TSHOOT_STATE_DIR/verified`, else the state folder's
/// (`~/.local/state/tshoot/verified`); `None` when the system has neither.
pub fn default_file() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(STATE_DIR_VAR).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("verified"));
    }
    let dirs = directories::ProjectDirs::from("", "", "tshoot")?;
    dirs.state_dir().map(|d| d.join("verified"))
}

/// The verified paths, as read from the record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verified {
    entries: Vec<(String, String)>,
}

impl Verified {
    /// Read `path`; a missing or unreadable file is an empty record.
    pub fn load(path: &Path) -> Self {
        let mut text = String::new();
        let read = std::fs::File::open(path)
            .and_then(|f| f.take(256 * 1024).read_to_string(&mut text))
            .is_ok();
        if !read {
            return Self::default();
        }
        let entries = text
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(k, d)| (k.to_owned(), d.trim().to_owned()))
            .filter(|(k, d)| !k.is_empty() && !d.is_empty())
            .collect();
        Self { entries }
    }

    /// The date `key` was verified, if it was.
    pub fn date(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, d)| d.as_str())
    }

    /// Record `key` as verified on `date` in the file at `path` (folder made 0700, file 0600),
    /// replacing an older date for the same key.
    ///
    /// # Errors
    /// The folder or file could not be made or written.
    pub fn record(path: &Path, key: &str, date: &str) -> io::Result<()> {
        let mut record = Self::load(path);
        record.entries.retain(|(k, _)| k != key);
        record.entries.push((clean(key), clean(date)));
        if let Some(dir) = path.parent() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)?;
        }
        let tmp = path.with_extension("new");
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?;
        for (k, d) in &record.entries {
            writeln!(file, "{k}\t{d}")?;
        }
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    }

    /// Remove `key` from the file at `path` (a failed check on a terminal that had passed).
    ///
    /// # Errors
    /// The file could not be rewritten.
    pub fn forget(path: &Path, key: &str) -> io::Result<()> {
        let mut record = Self::load(path);
        if record.date(key).is_none() {
            return Ok(());
        }
        record.entries.retain(|(k, _)| k != key);
        let mut text = String::new();
        for (k, d) in &record.entries {
            text.push_str(&format!("{k}\t{d}\n"));
        }
        std::fs::write(path, text)
    }
}
