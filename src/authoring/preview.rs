//! `tshoot preview FILE`: the wizard on one guide file, reloaded whenever the file is saved.
//!
//! The event loop stays blocking outside preview. In preview it waits for input at most
//! [`crate::tui::PREVIEW_POLL`] at a time and, between events, asks [`Preview::poll`] whether
//! the file changed: its modification time and size, with no watcher crate and no thread. A
//! change reloads the file (with its `NAME.cases.toml`); a guide that loads replaces the shown
//! one and the case is kept where its answers still fit ([`crate::wizard::Case::replay`] marks
//! the others); a guide that does not load leaves the last good one on screen and its first
//! error in the status line and at the top of the diagnostics pane, until the next save.
//!
//! This module only reads files: the event loop hands a [`Reload`] to `App::update` as a
//! message, and the app shows it there.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::guide::Diagnostic;
use crate::guide::load::{Entry, Library, cases_file_of};

/// What identifies a version of a file cheaply: modification time and size (`None`: missing).
type Stamp = Option<(SystemTime, u64)>;

fn stamp(path: &Path) -> Stamp {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()))
}

/// The file being previewed, the guide's place in the library, and the last reload's problem.
#[derive(Debug, Clone)]
pub struct Preview {
    pub path: PathBuf,
    /// Index of the previewed guide in `App::lib.guides`.
    pub guide: usize,
    /// The first error of the last reload, shown until a save that loads.
    pub error: Option<String>,
    seen: (Stamp, Stamp),
}

/// The outcome of a reload.
#[derive(Debug, Clone, PartialEq)]
pub enum Reload {
    /// The file loaded: the new guide, with its warnings.
    Loaded(Box<Entry>),
    /// The file did not load: why.
    Failed(Vec<Diagnostic>),
}

impl Preview {
    /// Watch `path`, whose guide is at `guide` in the library, as it is now.
    pub fn new(path: PathBuf, guide: usize) -> Self {
        let seen = Self::stamps(&path);
        Self {
            path,
            guide,
            error: None,
            seen,
        }
    }

    fn stamps(path: &Path) -> (Stamp, Stamp) {
        (stamp(path), cases_file_of(path).and_then(|c| stamp(&c)))
    }

    /// Reload the file if it (or its cases file) changed since the last look.
    pub fn poll(&mut self) -> Option<Reload> {
        let now = Self::stamps(&self.path);
        if now == self.seen {
            return None;
        }
        self.seen = now;
        Some(load(&self.path))
    }
}

/// Read and check a guide file as `tshoot check` would.
pub fn load(path: &Path) -> Reload {
    let lib = Library::load_paths(&[path.to_path_buf()]);
    if let Some(entry) = lib.guides.into_iter().next() {
        return Reload::Loaded(Box::new(entry));
    }
    let diags = lib
        .failures
        .into_iter()
        .flat_map(|f| f.diagnostics)
        .collect::<Vec<_>>();
    if diags.is_empty() {
        let note = lib.notices.join("; ");
        return Reload::Failed(vec![Diagnostic::nowhere(
            crate::guide::Severity::Error,
            &path.display().to_string(),
            if note.is_empty() {
                "no guide in the file".to_owned()
            } else {
                note
            },
        )]);
    }
    Reload::Failed(diags)
}
