//! One case, one writer: the owner record of a case open for writing.
//!
//! Opening a case for writing takes `ID.owner` next to `ID.json`: the pid, host, terminal,
//! start time and tshoot version of the process that writes it. The file is made atomically
//! (written under a private temporary name, then hard-linked to its place, which fails when
//! the name exists), so of two processes racing for a case exactly one gets it.
//!
//! A record is **stale** when its process is gone: same host and no `/proc/PID`, a zombie, or
//! a `/proc/PID/stat` start time that differs from the one recorded (the pid was reused). A
//! stale record is taken over, and the caller says so. A record from another host cannot be
//! checked and counts as alive (two machines sharing a data folder).
//!
//! The record is removed when the claim is dropped (normal end) and by [`release_all`], which
//! the signal and panic paths call: they end the process without running destructors. It is
//! removed only while it still names this process, so a copy that was taken over never
//! deletes the record of the copy that took it.
//!
//! Why not `flock` alone: a lock says nothing about *who* holds it (which terminal, since
//! when), which is what the engineer needs to decide. The revision check in
//! [`super::Store::save_based`] is the second line: even with no owner record (another
//! build, a removed file) a save based on an older revision is refused.

use std::fs;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::Store;

/// Who has a case open for writing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Owner {
    pub pid: u32,
    pub host: String,
    /// The controlling terminal as `pts/3`, or `?` when standard input is none.
    pub tty: String,
    /// When the case was opened (RFC 3339 UTC).
    pub since: String,
    /// The process start time from `/proc/PID/stat` (clock ticks after boot), which tells a
    /// live owner from a new process that got the same pid.
    pub proc_start: u64,
    pub version: String,
}

/// Whether the process named by a record still runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Liveness {
    /// This process.
    Mine,
    /// Another process on this host that is running.
    Alive,
    /// Gone: no such process, a zombie, or another process with the same pid.
    Gone,
    /// Recorded on another host: it cannot be checked from here, so it counts as alive.
    OtherHost,
}

/// Why a case could not be claimed or kept.
#[derive(Debug, Error)]
pub enum OwnerError {
    /// Another live tshoot has the case open.
    #[error("case {id} is {}", .owner.describe())]
    Held { id: String, owner: Box<Owner> },
    /// This copy held the case, and another one took it over since.
    #[error("case {id} was taken over by another tshoot ({}); this copy is read-only now", .owner.describe_short())]
    TakenOver { id: String, owner: Box<Owner> },
    #[error("{path}: cannot write the owner record of the case: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

impl Owner {
    /// The record for this process, opening a case now.
    pub fn this_process(now_rfc3339: &str) -> Self {
        let pid = std::process::id();
        Self {
            pid,
            host: host_name(),
            tty: tty_name(),
            since: now_rfc3339.to_owned(),
            proc_start: proc_start(pid).unwrap_or(0),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }

    /// "open in another tshoot on pts/3 since 06:27, pid 1234" (on host H when not this one).
    pub fn describe(&self) -> String {
        format!("open in another tshoot {}", self.describe_short())
    }

    /// "on pts/3 since 06:27, pid 1234".
    pub fn describe_short(&self) -> String {
        let host = if self.host == host_name() {
            String::new()
        } else {
            format!(" of host {}", crate::text::sanitize(&self.host))
        };
        format!(
            "on {}{host} since {}, pid {}",
            crate::text::sanitize(&self.tty),
            hh_mm(&self.since),
            self.pid
        )
    }

    /// Whether the recorded process still runs.
    pub fn liveness(&self) -> Liveness {
        if self.host != host_name() {
            return Liveness::OtherHost;
        }
        match proc_state(self.pid) {
            None => Liveness::Gone,
            Some((state, _)) if state == 'Z' || state == 'X' => Liveness::Gone,
            Some((_, start)) if start != self.proc_start => Liveness::Gone,
            Some(_) if self.pid == std::process::id() => Liveness::Mine,
            Some(_) => Liveness::Alive,
        }
    }

    /// The same process (pid and start time; the host too).
    pub fn same_process(&self, other: &Self) -> bool {
        self.pid == other.pid && self.proc_start == other.proc_start && self.host == other.host
    }
}

/// `HH:MM` of an RFC 3339 time (UTC), or the whole text when it is not one.
fn hh_mm(rfc3339: &str) -> String {
    rfc3339
        .get(11..16)
        .filter(|t| t.as_bytes().get(2) == Some(&b':'))
        .map_or_else(|| crate::text::sanitize(rfc3339), str::to_owned)
}

/// Where the owner record of case `id` lives.
pub fn owner_path(store: &Store, id: &str) -> PathBuf {
    store.dir.join(format!("{id}.owner"))
}

/// The owner record of case `id`, if there is a readable one. A damaged record (cut short by
/// a crash between create and write) is taken as none.
pub fn read(store: &Store, id: &str) -> Option<Owner> {
    read_path(&owner_path(store, id))
}

fn read_path(path: &Path) -> Option<Owner> {
    let bytes = crate::fsread::read_regular(path, 64 << 10).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Who else holds case `id`, alive (or on another host); `None` when nobody or a stale record.
pub fn holder(store: &Store, id: &str) -> Option<Owner> {
    read(store, id).filter(|o| matches!(o.liveness(), Liveness::Alive | Liveness::OtherHost))
}

/// A case held open for writing by this process. Dropping it removes the record.
#[derive(Debug)]
pub struct Claim {
    pub id: String,
    path: PathBuf,
    pub me: Owner,
    /// The stale record that was replaced, to say so.
    pub took_over: Option<Owner>,
}

/// The record's path and this process's record, with the sessions folder made if need be.
fn prepare(store: &Store, id: &str, now: &str) -> Result<(PathBuf, Owner), OwnerError> {
    let path = owner_path(store, id);
    super::create_private_dir(&store.dir).map_err(|e| io_error(&path, e))?;
    Ok((path, Owner::this_process(now)))
}

/// An I/O failure on the owner record at `path`.
fn io_error(path: &Path, source: std::io::Error) -> OwnerError {
    OwnerError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The records this process holds, for [`release_all`] on the signal and panic paths.
static HELD: Mutex<Vec<(PathBuf, Owner)>> = Mutex::new(Vec::new());

impl Claim {
    /// Take case `id` for writing: a new record, or the takeover of a stale one.
    /// [`OwnerError::Held`] when a live process has it.
    pub fn acquire(store: &Store, id: &str, now: &str) -> Result<Self, OwnerError> {
        let (path, me) = prepare(store, id, now)?;
        // Two rounds: the second after removing a stale record.
        let mut took_over = None;
        for _ in 0..3 {
            match link_new(&path, &me) {
                Ok(()) => return Ok(Self::register(id, path, me, took_over)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(io_error(&path, e)),
            }
            let Some(old) = read_path(&path) else {
                // Unreadable or gone: replace it (a crash between link and write cannot
                // happen, the link is made of a complete file; this is damage).
                let _ = fs::remove_file(&path);
                continue;
            };
            match old.liveness() {
                Liveness::Mine => return Ok(Self::register(id, path, me, None)),
                Liveness::Alive | Liveness::OtherHost => {
                    return Err(OwnerError::Held {
                        id: id.to_owned(),
                        owner: Box::new(old),
                    });
                }
                Liveness::Gone => {
                    // Remove it only if it is still the same stale record.
                    if read_path(&path).as_ref() == Some(&old) {
                        let _ = fs::remove_file(&path);
                    }
                    took_over = Some(old);
                }
            }
        }
        Err(io_error(
            &path,
            std::io::Error::other("the owner record kept changing while it was taken"),
        ))
    }

    /// Take case `id` from whoever holds it (the engineer chose "take over"): the record is
    /// replaced; the other copy finds out at its next save and turns read-only.
    pub fn take_over(store: &Store, id: &str, now: &str) -> Result<Self, OwnerError> {
        let (path, me) = prepare(store, id, now)?;
        let old = read_path(&path);
        let tmp = tmp_path(&path);
        write_record(&tmp, &me).map_err(|e| io_error(&path, e))?;
        fs::rename(&tmp, &path).map_err(|e| {
            let _ = fs::remove_file(&tmp);
            io_error(&path, e)
        })?;
        Ok(Self::register(id, path, me, old))
    }

    fn register(id: &str, path: PathBuf, me: Owner, took_over: Option<Owner>) -> Self {
        HELD.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((path.clone(), me.clone()));
        Self {
            id: id.to_owned(),
            path,
            me,
            took_over,
        }
    }

    /// Whether the record still names this process; [`OwnerError::TakenOver`] when another
    /// copy took the case over. A record that vanished is written again.
    pub fn check(&self) -> Result<(), OwnerError> {
        match read_path(&self.path) {
            Some(o) if o.same_process(&self.me) => Ok(()),
            Some(owner) => Err(OwnerError::TakenOver {
                id: self.id.clone(),
                owner: Box::new(owner),
            }),
            None => match link_new(&self.path, &self.me) {
                Ok(()) => Ok(()),
                Err(_) => match read_path(&self.path) {
                    Some(o) if o.same_process(&self.me) => Ok(()),
                    Some(owner) => Err(OwnerError::TakenOver {
                        id: self.id.clone(),
                        owner: Box::new(owner),
                    }),
                    None => Ok(()),
                },
            },
        }
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        release_path(&self.path, &self.me);
        HELD.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .retain(|(p, _)| p != &self.path);
    }
}

/// Remove every record this process holds (signal and panic exits, which run no `Drop`).
pub fn release_all() {
    release_under(Path::new("/"));
}

/// Remove the records this process holds in folders under `dir`.
fn release_under(dir: &Path) {
    let mut held = HELD
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    held.retain(|(path, me)| {
        if path.starts_with(dir) {
            release_path(path, me);
            false
        } else {
            true
        }
    });
}

fn release_path(path: &Path, me: &Owner) {
    if read_path(path).is_some_and(|o| o.same_process(me)) {
        let _ = fs::remove_file(path);
    }
}

fn tmp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.tmp", std::process::id()));
    path.with_file_name(format!(".{}", name.to_string_lossy()))
}

fn write_record(tmp: &Path, me: &Owner) -> std::io::Result<()> {
    let json = serde_json::to_vec(me).map_err(std::io::Error::other)?;
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(tmp)?;
    f.write_all(&json)?;
    f.write_all(b"\n")?;
    f.sync_all()
}

/// Write the record under a temporary name, then link it to `path`: the link fails with
/// `AlreadyExists` when a record is there, and is never seen half written.
fn link_new(path: &Path, me: &Owner) -> std::io::Result<()> {
    let tmp = tmp_path(path);
    write_record(&tmp, me)?;
    let linked = fs::hard_link(&tmp, path);
    let _ = fs::remove_file(&tmp);
    linked
}

/// This machine's name (`/proc/sys/kernel/hostname`, else `/etc/hostname`, else
/// `localhost`).
pub fn host_name() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|p| {
            fs::read_to_string(p)
                .ok()
                .map(|h| h.trim().to_owned())
                .filter(|h| !h.is_empty())
        })
        .unwrap_or_else(|| "localhost".into())
}

/// The terminal on standard input, as `pts/3` (`?` when none).
pub fn tty_name() -> String {
    fs::read_link("/proc/self/fd/0")
        .ok()
        .and_then(|p| p.strip_prefix("/dev").ok().map(|r| r.display().to_string()))
        .unwrap_or_else(|| "?".into())
}

/// State letter and start time (field 22) of `/proc/PID/stat`.
pub fn proc_state(pid: u32) -> Option<(char, u64)> {
    parse_stat(&fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

fn proc_start(pid: u32) -> Option<u64> {
    proc_state(pid).map(|(_, s)| s)
}

/// Parse `/proc/PID/stat`: the command name may hold spaces and parentheses, so the fields
/// are counted after the last `)`. State is field 3, start time field 22.
pub fn parse_stat(stat: &str) -> Option<(char, u64)> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    let state = fields.next()?.chars().next()?;
    // Fields 4..=21 come before the start time: 18 of them.
    let start = fields.nth(18)?.parse().ok()?;
    Some((state, start))
}

/// The parent pid of `pid` (field 4 of `/proc/PID/stat`), for matching a tmux pane's process.
pub fn parent_of(pid: u32) -> Option<u32> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(1)?.parse().ok()
}

/// The tmux pane (`session:window.pane`) that `pid` runs in, when this process runs inside
/// tmux (`TMUX` is set) and the pid, or one of its parents, is a pane's process on the same
/// server.
pub fn tmux_pane_of(pid: u32) -> Option<String> {
    std::env::var_os("TMUX").filter(|t| !t.is_empty())?;
    let out = std::process::Command::new("tmux")
        .args([
            "list-panes",
            "-a",
            "-F",
            "#{pane_pid} #{session_name}:#{window_index}.#{pane_index}",
        ])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    let mut chain = vec![pid];
    let mut p = pid;
    while let Some(parent) = parent_of(p).filter(|&q| q > 1 && chain.len() < 64) {
        chain.push(parent);
        p = parent;
    }
    pane_in(&String::from_utf8_lossy(&out.stdout), &chain)
}

/// The pane of `tmux list-panes` output (`PID TARGET` lines) whose pid comes first in
/// `chain` (a process, then its parents).
pub fn pane_in(list: &str, chain: &[u32]) -> Option<String> {
    let panes: Vec<(u32, &str)> = list
        .lines()
        .filter_map(|l| {
            let (pid, target) = l.split_once(' ')?;
            Some((pid.parse().ok()?, target.trim()))
        })
        .collect();
    chain.iter().find_map(|c| {
        panes
            .iter()
            .find(|(p, _)| p == c)
            .map(|(_, t)| (*t).to_owned())
    })
}

#[cfg(test)]
mod tests;
