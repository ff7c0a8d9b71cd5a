//! `tmux load-buffer -w -`: the text into tmux's own buffer and, through tmux, on to the outer
//! terminal.
//!
//! Facts this relies on: inside tmux an application's own OSC 52 never reaches the outer
//! terminal with tmux's default settings (`set-clipboard external`, `allow-passthrough off`);
//! `load-buffer -w` (tmux 3.2 and later) does, because tmux itself then writes the OSC 52.
//! tmux sends it with an empty selection target, and forwards it only when the attached
//! client's `#{client_termfeatures}` holds `clipboard`: so success here proves tmux's buffer,
//! not the terminal's clipboard. An older tmux rejects `-w`; it gets a retry without it.

use std::io::{self, Read, Write};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use super::{Done, Env, TMUX_TIMEOUT};

/// Why tmux could not take the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TmuxError {
    #[error("tmux is not installed (not found on PATH)")]
    NotInstalled,
    #[error("could not run tmux: {0}")]
    Spawn(String),
    #[error("tmux load-buffer did not finish within {} s (killed)", .0.as_secs())]
    TimedOut(Duration),
    #[error("could not wait for tmux: {0}")]
    Wait(String),
    #[error("tmux load-buffer failed ({status}): {message}")]
    Failed { status: String, message: String },
}

/// `tmux [-L socket] load-buffer -w -` with the text on stdin. `-w` also forwards the buffer
/// to the outer terminal's clipboard (tmux 3.2+); an older tmux gets a retry without it.
///
/// # Errors
/// tmux missing, failing, or not done within [`TMUX_TIMEOUT`].
pub fn copy_tmux(text: &str, env: &Env) -> Result<Done, TmuxError> {
    let run = |forward: bool| {
        let mut cmd = Command::new("tmux");
        if let Some(socket) = &env.tmux_socket {
            cmd.arg("-L").arg(socket);
        }
        cmd.arg("load-buffer");
        if forward {
            cmd.arg("-w");
        }
        cmd.arg("-");
        run_with_input(cmd, text.as_bytes(), TMUX_TIMEOUT).map_err(|e| match e {
            RunError::Spawn(e) if e.kind() == io::ErrorKind::NotFound => TmuxError::NotInstalled,
            RunError::Spawn(e) => TmuxError::Spawn(e.to_string()),
            RunError::TimedOut => TmuxError::TimedOut(TMUX_TIMEOUT),
            RunError::Wait(e) => TmuxError::Wait(e.to_string()),
        })
    };
    let first = run(true)?;
    if first.status.success() {
        return Ok(Done::Tmux { forwarded: true });
    }
    let stderr = String::from_utf8_lossy(&first.stderr).trim().to_owned();
    if stderr.contains("unknown option") || stderr.contains("usage:") {
        let second = run(false)?;
        if second.status.success() {
            return Ok(Done::Tmux { forwarded: false });
        }
    }
    Err(TmuxError::Failed {
        status: describe_status(first.status),
        message: if stderr.is_empty() {
            "no message".to_owned()
        } else {
            stderr
        },
    })
}

fn describe_status(status: ExitStatus) -> String {
    match status.code() {
        Some(code) => format!("exit status {code}"),
        None => "killed by a signal".to_owned(),
    }
}

pub(crate) struct Finished {
    status: ExitStatus,
    stderr: Vec<u8>,
}

pub(crate) enum RunError {
    Spawn(io::Error),
    Wait(io::Error),
    TimedOut,
}

/// Run `cmd` with `input` on stdin; kill it if it has not exited within `limit`.
pub(crate) fn run_with_input(
    mut cmd: Command,
    input: &[u8],
    limit: Duration,
) -> Result<Finished, RunError> {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(RunError::Spawn)?;
    // Write and read in threads: a hung child must not block us on a full pipe.
    if let Some(mut stdin) = child.stdin.take() {
        let input = input.to_vec();
        let _ = thread::Builder::new().spawn(move || {
            let _ = stdin.write_all(&input);
        });
    }
    let (err_tx, err_rx) = mpsc::channel();
    if let Some(mut stderr) = child.stderr.take() {
        let _ = thread::Builder::new().spawn(move || {
            let mut buf = Vec::new();
            let _ = (&mut stderr).take(64 * 1024).read_to_end(&mut buf);
            let _ = err_tx.send(buf);
        });
    }
    let deadline = Instant::now() + limit;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(RunError::TimedOut);
            }
            Ok(None) => thread::sleep(Duration::from_millis(5)),
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(RunError::Wait(e));
            }
        }
    };
    let stderr = err_rx
        .recv_timeout(Duration::from_millis(300))
        .unwrap_or_default();
    Ok(Finished { status, stderr })
}
