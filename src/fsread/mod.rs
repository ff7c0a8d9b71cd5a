//! Reading files that may be hostile: guides from shared folders, session files, pasted text.
//!
//! Only regular files are read (a FIFO named `x.toml` would otherwise block tshoot for ever,
//! and a device such as `/dev/zero` never ends), and never more than a limit, whatever the
//! size in the metadata says (it can lie: 0 for pipes and `/proc` files, or the file grew).

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

use thiserror::Error;

/// Why a file was not read.
#[derive(Debug, Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("it is a {0}, not a regular file")]
    NotAFile(&'static str),
    #[error("it is larger than {limit} bytes, the limit")]
    TooLarge { limit: usize },
}

/// What a non-regular file is, in words.
fn kind(t: std::fs::FileType) -> &'static str {
    if t.is_dir() {
        "folder"
    } else if t.is_fifo() {
        "named pipe (FIFO)"
    } else if t.is_socket() {
        "socket"
    } else if t.is_block_device() || t.is_char_device() {
        "device"
    } else {
        "special file"
    }
}

/// Open `path` for reading without blocking on a FIFO, and only if it is a regular file.
pub fn open_regular(path: &Path) -> Result<File, ReadError> {
    let f = OpenOptions::new()
        .read(true)
        // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting. It
        // changes nothing for regular files, the only ones read from here.
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let t = f.metadata()?.file_type();
    if !t.is_file() {
        return Err(ReadError::NotAFile(kind(t)));
    }
    Ok(f)
}

/// The bytes of the regular file `path`, at most `limit` of them.
pub fn read_regular(path: &Path, limit: usize) -> Result<Vec<u8>, ReadError> {
    let f = open_regular(path)?;
    let mut bytes = Vec::new();
    f.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    if bytes.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests;
