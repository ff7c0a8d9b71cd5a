//! Sessions: every case is saved as it changes, survives a dropped connection, and can be
//! resumed, listed, exported and pruned.
//!
//! One JSON file per case in the data dir (`$XDG_DATA_HOME/tshoot/sessions/`), written
//! atomically (temporary file, fsync, rename, fsync of the folder), so a crash or `kill -9` at
//! any instant leaves the state before or after the last change, never a broken file. Files
//! are 0600 in a 0700 folder: they may hold user and tenant details.
//!
//! A file that cannot be read (corrupt, from a newer tshoot, no permission) is moved aside as
//! `NAME.unreadable-STAMP` and reported; nothing is ever deleted except by `--prune`.

pub mod export;
pub mod owner;
pub mod summary;

use std::fs;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::guide::Guide;
use crate::wizard::{Case, Outcome, Stage, State};

/// Session file format version written by this build (2 added `revision`, 3 the life cycle:
/// `fixed_by`, `sent`, `closed` and `label` in the case). Version 1 files are read as revision 0;
/// in files before 3 a resolved case counts as closed (it was then), an escalated one as still
/// escalated (the ticket may not have left).
pub const VERSION: u32 = 3;

/// The largest session file read: far above any real case (a few KiB), so a damaged or
/// hostile file cannot take the memory.
pub const MAX_SESSION_BYTES: usize = 16 << 20;

/// Why the bytes of a session file are not a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decode {
    /// Not JSON, or not a session (the reason, with line and column from the JSON reader).
    Corrupt(String),
    /// Written by a newer tshoot (the format version found).
    Future(u32),
}

/// Held while a session file is being written, so a signal handler that ends the process can
/// wait for the write in progress to finish.
pub static SAVE_LOCK: Mutex<()> = Mutex::new(());

/// Where the engineer was looking, restored on resume.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    pub focus: Stage,
    pub sel: [usize; crate::wizard::Stage::COUNT],
}

impl Default for View {
    fn default() -> Self {
        Self {
            focus: Stage::Diagnostics,
            sel: [0; crate::wizard::Stage::COUNT],
        }
    }
}

/// One saved case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    /// Format version of this file.
    pub version: u32,
    pub id: String,
    pub guide_title: String,
    /// The guide's `revision` when the case began.
    #[serde(default)]
    pub guide_revision: String,
    /// RFC 3339 UTC.
    pub started: String,
    pub updated: String,
    /// When each answer of `case.trail` was given (same length as the trail).
    #[serde(default)]
    pub answered_at: Vec<String>,
    pub case: Case,
    #[serde(default)]
    pub view: View,
    /// How many times this file was written by [`Store::save_based`]: a save carries the
    /// revision it was based on and is refused when the file on disk is at another one.
    #[serde(default)]
    pub revision: u64,
    /// The error code being worked when the guide is not that code's own (the generic guide
    /// opened for `AADSTS90006`): shown in the header, its meaning in the diagnostics pane.
    /// Absent in files written before it existed, and for a guide's own code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The text pasted to start the case (its first [`MAX_PASTE_KEPT`] bytes), kept as
    /// evidence. Absent when the case did not start from a paste.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paste: Option<String>,
}

/// At most this much of a paste is kept in a session file.
pub const MAX_PASTE_KEPT: usize = 64 * 1024;

impl Session {
    /// A new session for a new case.
    pub fn new(id: String, guide: &Guide, case: Case, now: &str) -> Self {
        Self {
            version: VERSION,
            id,
            guide_title: guide.title.clone(),
            guide_revision: guide.revision.clone(),
            started: now.to_owned(),
            updated: now.to_owned(),
            answered_at: Vec::new(),
            case,
            view: View::default(),
            revision: 0,
            code: None,
            paste: None,
        }
    }

    /// Keep `text` as the case's paste: its first [`MAX_PASTE_KEPT`] bytes, cut on a character
    /// boundary, made safe to show.
    pub fn keep_paste(&mut self, text: &str) {
        let mut end = MAX_PASTE_KEPT.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        self.paste = Some(crate::text::sanitize(&text[..end]));
    }

    /// Take in the current case and view, stamping new answers with `now`.
    pub fn sync(&mut self, case: &Case, view: View, now: &str) {
        let n = case.trail.len();
        self.answered_at.truncate(n);
        // An answer replaced after going back gets a new time.
        let same = self
            .case
            .trail
            .iter()
            .zip(&case.trail)
            .take_while(|(a, b)| a == b)
            .count();
        self.answered_at.truncate(same.min(n));
        while self.answered_at.len() < n {
            self.answered_at.push(now.to_owned());
        }
        self.case = case.clone();
        self.view = view;
        now.clone_into(&mut self.updated);
    }

    /// Read a session from the bytes of its file. Pure (no file system): the fuzz target
    /// and the property tests call it on arbitrary bytes.
    pub fn decode(bytes: &[u8]) -> Result<Self, Decode> {
        if bytes.len() > MAX_SESSION_BYTES {
            return Err(Decode::Corrupt(format!(
                "{} bytes, more than a session file can hold ({MAX_SESSION_BYTES})",
                bytes.len()
            )));
        }
        let value: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| Decode::Corrupt(e.to_string()))?;
        let version = value
            .get("version")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0);
        if version > u64::from(VERSION) {
            return Err(Decode::Future(u32::try_from(version).unwrap_or(u32::MAX)));
        }
        let s =
            serde_json::from_value::<Self>(value).map_err(|e| Decode::Corrupt(e.to_string()))?;
        let mut s = s;
        if s.answered_at.len() > s.case.trail.len() {
            return Err(Decode::Corrupt("more answer times than answers".into()));
        }
        if version < 3 && s.case.outcome == Outcome::Resolved && s.case.closed.is_none() {
            s.case.closed = Some(s.updated.clone());
        }
        Ok(s)
    }

    /// Where the case stands in its life cycle.
    pub fn state(&self) -> State {
        self.case.state()
    }

    /// Closed by the engineer: done with, the only cases `prune` removes.
    pub fn is_closed(&self) -> bool {
        self.state() == State::Closed
    }

    /// The short case id shown in the header, the ticket and lists: the id's last part (four hex
    /// digits), which [`Store::find`] also accepts.
    pub fn short_id(&self) -> &str {
        short_id(&self.id)
    }
}

/// Why a session could not be used.
#[derive(Debug, Error)]
pub enum SessionError {
    #[error("{path}: cannot read the session: {source}; it was moved aside to {moved}")]
    Unreadable {
        path: String,
        source: std::io::Error,
        moved: String,
    },
    #[error("{path}: the session file is damaged ({why}); it was moved aside to {moved}")]
    Corrupt {
        path: String,
        why: String,
        moved: String,
    },
    #[error(
        "{path}: the session was written by a newer tshoot (format {found}, this one reads {VERSION}); update tshoot to open it. It was moved aside to {moved}"
    )]
    Future {
        path: String,
        found: u32,
        moved: String,
    },
    #[error(
        "case not saved: {source}. It is kept in memory: copy the ticket (y), or make room and go on (file: {path})"
    )]
    Save {
        path: String,
        source: std::io::Error,
    },
    /// The file on disk moved on since this copy read it (another tshoot saved the case).
    #[error(
        "not saved: {path} was changed by another tshoot since this copy read it (revision {disk} on disk, this copy was based on {base}); nothing was overwritten"
    )]
    Stale { path: String, disk: u64, base: u64 },
    /// The case is held by another tshoot (see [`owner`]).
    #[error("not saved: {0}")]
    Owner(#[from] owner::OwnerError),
    #[error("no session \"{0}\" (`tshoot sessions --all` lists them)")]
    NotFound(String),
    #[error("session id \"{0}\" matches several sessions: {1}; give more of the id")]
    Ambiguous(String, String),
    /// The one message for a system with no data folder (no `HOME`, no XDG folders).
    #[error(
        "no data folder on this system, so cases are not saved (set TSHOOT_DATA_DIR to a folder to keep them in)"
    )]
    NoDataFolder,
    #[error("cannot list sessions in {path}: {source}; check the folder's permissions")]
    List {
        path: String,
        source: std::io::Error,
    },
}

impl SessionError {
    /// The session file that could not be used (moved aside), for the read errors.
    pub fn file(&self) -> Option<&str> {
        match self {
            Self::Unreadable { path, .. }
            | Self::Corrupt { path, .. }
            | Self::Future { path, .. } => Some(path),
            _ => None,
        }
    }
}

/// The folder of session files.
#[derive(Debug, Clone)]
pub struct Store {
    pub dir: PathBuf,
}

/// A session file read from the store, or the problem with it.
pub type Loaded = Result<Session, SessionError>;

impl Store {
    /// The default store in the data dir; `TSHOOT_DATA_DIR` overrides it (tests, portable use).
    /// [`SessionError::NoDataFolder`] when the system has none.
    pub fn default_location() -> Result<Self, SessionError> {
        if let Some(d) = std::env::var_os("TSHOOT_DATA_DIR").filter(|d| !d.is_empty()) {
            return Ok(Self {
                dir: PathBuf::from(d).join("sessions"),
            });
        }
        directories::ProjectDirs::from("", "", "tshoot")
            .map(|p| Self {
                dir: p.data_local_dir().join("sessions"),
            })
            .ok_or(SessionError::NoDataFolder)
    }

    pub fn path_of(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.json"))
    }

    /// Write a session atomically: temporary file (0600), fsync, rename, fsync the folder.
    pub fn save(&self, s: &Session) -> Result<PathBuf, SessionError> {
        let path = self.path_of(&s.id);
        let err = |source| SessionError::Save {
            path: path.display().to_string(),
            source,
        };
        let _guard = SAVE_LOCK
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        create_private_dir(&self.dir).map_err(err)?;
        let json = serde_json::to_vec_pretty(s).map_err(|e| err(std::io::Error::other(e)))?;
        // One temporary name per process: two tshoot processes saving the same case (one left
        // running in tmux, one resumed elsewhere) must never write into the same file.
        let tmp = self
            .dir
            .join(format!(".{}.json.{}.tmp", s.id, std::process::id()));
        let write = || -> std::io::Result<()> {
            let mut f = fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(&tmp)?;
            f.write_all(&json)?;
            f.write_all(b"\n")?;
            f.sync_all()?;
            fs::rename(&tmp, &path)?;
            fs::File::open(&self.dir)?.sync_all()
        };
        write().map_err(|e| {
            let _ = fs::remove_file(&tmp);
            err(e)
        })?;
        Ok(path)
    }

    /// Save `s` as the revision after the one it was based on (`s.revision`), returning the
    /// new revision. Refused with [`SessionError::Stale`] when the file on disk is at another
    /// revision: another tshoot saved the case meanwhile, and its work is not replaced. The
    /// check and the write hold an exclusive `flock` on the folder, so two processes cannot
    /// both pass the check. A missing or unreadable file is written (pruned, or damaged).
    pub fn save_based(&self, s: &Session) -> Result<u64, SessionError> {
        let path = self.path_of(&s.id);
        let err = |source| SessionError::Save {
            path: path.display().to_string(),
            source,
        };
        create_private_dir(&self.dir).map_err(err)?;
        let dir = fs::File::open(&self.dir).map_err(err)?;
        dir.lock().map_err(err)?;
        let disk = crate::fsread::read_regular(&path, MAX_SESSION_BYTES)
            .ok()
            .and_then(|b| Session::decode(&b).ok())
            .map(|d| d.revision);
        if let Some(disk) = disk
            && disk != s.revision
        {
            return Err(SessionError::Stale {
                path: path.display().to_string(),
                disk,
                base: s.revision,
            });
        }
        let mut next = s.clone();
        next.revision = s.revision + 1;
        self.save(&next)?;
        Ok(next.revision)
    }

    /// Read one session file; a bad one is moved aside and reported.
    pub fn load_file(path: &Path) -> Loaded {
        let name = path.display().to_string();
        let bytes = match crate::fsread::read_regular(path, MAX_SESSION_BYTES) {
            Ok(b) => b,
            Err(crate::fsread::ReadError::Io(source)) => {
                return Err(SessionError::Unreadable {
                    path: name,
                    source,
                    moved: move_aside(path),
                });
            }
            Err(e @ crate::fsread::ReadError::NotAFile(_)) => {
                return Err(SessionError::Unreadable {
                    path: name,
                    source: std::io::Error::other(e),
                    moved: move_aside(path),
                });
            }
            Err(e) => {
                return Err(SessionError::Corrupt {
                    path: name,
                    why: e.to_string(),
                    moved: move_aside(path),
                });
            }
        };
        Session::decode(&bytes).map_err(|e| match e {
            Decode::Corrupt(why) => SessionError::Corrupt {
                path: name,
                why,
                moved: move_aside(path),
            },
            Decode::Future(found) => SessionError::Future {
                path: name,
                found,
                moved: move_aside(path),
            },
        })
    }

    /// Every session file, newest change first, with the problems of those that failed.
    pub fn list(&self) -> Result<(Vec<Session>, Vec<SessionError>), SessionError> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok((Vec::new(), Vec::new()));
            }
            Err(source) => {
                return Err(SessionError::List {
                    path: self.dir.display().to_string(),
                    source,
                });
            }
        };
        let mut ok = Vec::new();
        let mut bad = Vec::new();
        for e in entries.flatten() {
            let p = e.path();
            let hidden = e.file_name().to_string_lossy().starts_with('.');
            if hidden && p.extension().is_some_and(|x| x == "tmp") {
                remove_orphan_tmp(&p);
                continue;
            }
            if hidden || p.extension().is_none_or(|x| x != "json") {
                continue;
            }
            match Self::load_file(&p) {
                Ok(s) => ok.push(s),
                // Gone since the folder was read (pruned or moved aside by another tshoot).
                Err(SessionError::Unreadable { ref source, .. })
                    if source.kind() == std::io::ErrorKind::NotFound => {}
                Err(err) => bad.push(err),
            }
        }
        ok.sort_by(|a: &Session, b: &Session| {
            b.updated.cmp(&a.updated).then_with(|| b.id.cmp(&a.id))
        });
        Ok((ok, bad))
    }

    /// The session with this id, or the only one whose id starts with it.
    pub fn find(&self, id: &str) -> Loaded {
        // Only a plain name is looked up as a file: `../x` must not reach (and move aside)
        // a file outside the store.
        let plain = !id.is_empty() && !id.starts_with('.') && !id.contains(['/', '\\']);
        let exact = self.path_of(id);
        if plain && exact.exists() {
            return Self::load_file(&exact);
        }
        let (all, _) = self.list()?;
        let mut matches: Vec<&Session> = all.iter().filter(|s| s.id.starts_with(id)).collect();
        if matches.is_empty() {
            matches = all.iter().filter(|s| s.short_id() == id).collect();
        }
        match matches.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(SessionError::NotFound(id.to_owned())),
            many => Err(SessionError::Ambiguous(
                id.to_owned(),
                many.iter()
                    .map(|s| s.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            )),
        }
    }

    /// The most recently changed case still being worked (open, escalated or ticket sent).
    pub fn latest_open(&self) -> Result<Option<Session>, SessionError> {
        Ok(self.list()?.0.into_iter().find(|s| s.state().is_active()))
    }

    /// Delete sessions closed at or before `cutoff` (RFC 3339, whole seconds, so
    /// `--prune 0` takes every closed case, even one closed this second). Returns the ids
    /// deleted.
    pub fn prune(&self, cutoff: &str) -> Result<Vec<String>, SessionError> {
        let (all, _) = self.list()?;
        let mut gone = Vec::new();
        for s in all
            .into_iter()
            .filter(|s| s.case.closed.as_deref().is_some_and(|c| c <= cutoff))
        {
            if fs::remove_file(self.path_of(&s.id)).is_ok() {
                gone.push(s.id);
            }
        }
        Ok(gone)
    }
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    if !dir.is_dir() {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    let meta = fs::metadata(dir)?;
    if meta.permissions().mode() & 0o077 != 0 {
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// How old a temporary file must be to be taken for the leftover of a killed save (a save
/// takes milliseconds).
const ORPHAN_TMP_AGE: std::time::Duration = std::time::Duration::from_secs(600);

/// Remove a temporary file left by a save that was killed before its rename (`kill -9`,
/// power loss). It never is the session itself, which the rename would have replaced.
fn remove_orphan_tmp(path: &Path) {
    let old = fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age > ORPHAN_TMP_AGE);
    if old {
        let _ = fs::remove_file(path);
    }
}

/// Rename a bad file to `NAME.unreadable-STAMP`; returns where it went (or why it could not).
fn move_aside(path: &Path) -> String {
    let stamp = crate::clock::utc_stamp(std::time::SystemTime::now());
    let mut target = path.with_extension(format!("json.unreadable-{stamp}"));
    let mut n = 2;
    while target.exists() {
        target = path.with_extension(format!("json.unreadable-{stamp}-{n}"));
        n += 1;
    }
    match fs::rename(path, &target) {
        Ok(()) => target.display().to_string(),
        Err(e) => format!("(nowhere: {e}; the file was left as it is)"),
    }
}

/// RFC 3339 time `days` days before `now`.
pub fn days_ago(now: std::time::SystemTime, days: u64) -> String {
    let then = now
        .checked_sub(std::time::Duration::from_secs(days.saturating_mul(86_400)))
        .unwrap_or(std::time::UNIX_EPOCH);
    crate::clock::utc_rfc3339(then)
}

/// The short form of a session id: its part after the last `-` (`20261202T1830Z-aadsts50143-3f9a`
/// -> `3f9a`), the whole id when it has no `-`.
pub fn short_id(id: &str) -> &str {
    id.rsplit_once('-').map_or(id, |(_, tail)| tail)
}

/// A new session id: `YYYYmmddTHHMMSSZ-guide-xxxx` (the suffix keeps two cases of the same guide
/// started in the same second apart).
pub fn new_id(guide_id: &str, now_rfc3339: &str) -> String {
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let stamp: String = now_rfc3339
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(15)
        .collect();
    let slug: String = guide_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .take(40)
        .collect();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!(
        "{stamp}Z-{slug}-{:04x}",
        (nanos ^ std::process::id().rotate_left(16) ^ n.wrapping_mul(0x9e37)) & 0xffff
    )
}

#[cfg(test)]
pub(crate) mod tests;
