//! The file: always written, so a ticket is never lost whatever else failed. The folder is
//! created owner-only (0700), the file 0600 and never overwritten, and it is synced before the
//! path is reported.

use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::{Done, TICKET_DIR_VAR};
use crate::clock::utc_stamp;

/// Why the file could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("could not create {}: {why}", .dir.display())]
    CreateDir { dir: PathBuf, why: String },
    #[error("could not create {}: {why}", .path.display())]
    Create { path: PathBuf, why: String },
    #[error("could not write {}: {why}", .path.display())]
    Write { path: PathBuf, why: String },
    #[error("too many tickets saved this second in {}", .dir.display())]
    Exhausted { dir: PathBuf },
}

/// Write `text` to `dir/ticket-<UTC stamp>.txt` (directory created 0700, file 0600, never
/// overwriting: a second file in the same second gets a `-N` suffix).
///
/// # Errors
/// The folder or file could not be made or written.
pub fn copy_file(text: &str, dir: &Path) -> Result<Done, FileError> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| FileError::CreateDir {
            dir: dir.to_path_buf(),
            why: e.to_string(),
        })?;
    let stamp = utc_stamp(SystemTime::now());
    for n in 0..1000 {
        let name = if n == 0 {
            format!("ticket-{stamp}.txt")
        } else {
            format!("ticket-{stamp}-{n}.txt")
        };
        let path = dir.join(name);
        let mut file = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
        {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(FileError::Create {
                    path,
                    why: e.to_string(),
                });
            }
        };
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| FileError::Write {
                path: path.clone(),
                why: e.to_string(),
            })?;
        return Ok(Done::File { path });
    }
    Err(FileError::Exhausted {
        dir: dir.to_path_buf(),
    })
}

/// Where tickets are saved: `$TSHOOT_TICKET_DIR`, else `<data dir>/tshoot/tickets`
/// (`~/.local/share/tshoot/tickets`), else `<temp dir>/tshoot-tickets`.
pub fn default_ticket_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(TICKET_DIR_VAR).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    directories::ProjectDirs::from("", "", "tshoot").map_or_else(
        || std::env::temp_dir().join("tshoot-tickets"),
        |p| p.data_local_dir().join("tickets"),
    )
}
