//! `tmux load-buffer -w -`: the text into tmux's own buffer and, through tmux, on to the outer
//! terminal.
//!
//! Facts this relies on: inside tmux an application's own OSC 52 never reaches the outer
//! terminal with tmux's default settings (`set-clipboard external`, `allow-passthrough off`);
//! `load-buffer -w` (tmux 3.2 and later) does, because tmux itself then writes the OSC 52.
//! tmux sends it with an empty selection target, and forwards it only when the attached
//! client's `#{client_termfeatures}` holds `clipboard`: so success here proves tmux's buffer,
//! not the terminal's clipboard. An older tmux rejects `-w`; it gets a retry without it.
//! [`query_client`] asks tmux which terminal that client is, so the message can say what
//! happens there (see `terminals.rs`).

use std::io::{self, Read, Write};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use super::{Env, Identity, TMUX_TIMEOUT};

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

/// `tmux [-L socket] load-buffer [-w] -` with the text on stdin; whether it was passed on
/// (`-w`, when `forward`). `-w` forwards the buffer to the outer terminal (tmux 3.2+); an older
/// tmux rejects it and gets a retry without it (then `Ok(false)`).
///
/// # Errors
/// tmux missing, failing, or not done within [`TMUX_TIMEOUT`].
pub fn copy_tmux(text: &str, env: &Env, forward: bool) -> Result<bool, TmuxError> {
    let run = |forward: bool| {
        let mut args = vec!["load-buffer"];
        if forward {
            args.push("-w");
        }
        args.push("-");
        run_with_input(tmux_command(env, &args), text.as_bytes(), TMUX_TIMEOUT).map_err(to_error)
    };
    let first = run(forward)?;
    if first.status.success() {
        return Ok(forward);
    }
    let stderr = String::from_utf8_lossy(&first.stderr).trim().to_owned();
    if forward && (stderr.contains("unknown option") || stderr.contains("usage:")) {
        let second = run(false)?;
        if second.status.success() {
            return Ok(false);
        }
    }
    Err(failed(first.status, stderr))
}

/// The tmux format that describes the attached client, one field per tab.
const CLIENT_FORMAT: &str =
    "#{client_termname}\t#{client_termtype}\t#{client_termfeatures}\t#{set-clipboard}";

/// Ask tmux about the client attached to this session: its terminal name, its terminal's
/// XTVERSION answer, its features and `set-clipboard`. With no client attached the names are
/// empty and the features too (so [`Identity::tmux_forwards`] is false).
///
/// # Errors
/// tmux missing, failing, or not done within [`TMUX_TIMEOUT`].
pub fn query_client(env: &Env) -> Result<Identity, TmuxError> {
    let cmd = tmux_command(env, &["display-message", "-p", CLIENT_FORMAT]);
    let done = run_with_input(cmd, b"", TMUX_TIMEOUT).map_err(to_error)?;
    if !done.status.success() {
        let stderr = String::from_utf8_lossy(&done.stderr).trim().to_owned();
        return Err(failed(done.status, stderr));
    }
    Ok(parse_client(&String::from_utf8_lossy(&done.stdout)))
}

/// The fields of [`CLIENT_FORMAT`]'s answer.
pub(crate) fn parse_client(answer: &str) -> Identity {
    let line = answer.lines().next().unwrap_or("");
    let mut fields = line.split('\t').map(|f| crate::text::sanitize(f.trim()));
    let mut next = || fields.next().filter(|f| !f.is_empty());
    let term = next();
    let version = next();
    let features = next()
        .map(|f| f.split(',').map(ToOwned::to_owned).collect())
        .unwrap_or_default();
    Identity {
        term,
        version,
        features: Some(features),
        set_clipboard: next(),
    }
}

fn tmux_command(env: &Env, args: &[&str]) -> Command {
    let mut cmd = Command::new("tmux");
    if let Some(socket) = &env.tmux_socket {
        cmd.arg("-L").arg(socket);
    }
    cmd.args(args);
    cmd
}

fn to_error(e: RunError) -> TmuxError {
    match e {
        RunError::Spawn(e) if e.kind() == io::ErrorKind::NotFound => TmuxError::NotInstalled,
        RunError::Spawn(e) => TmuxError::Spawn(e.to_string()),
        RunError::TimedOut => TmuxError::TimedOut(TMUX_TIMEOUT),
        RunError::Wait(e) => TmuxError::Wait(e.to_string()),
    }
}

fn failed(status: ExitStatus, stderr: String) -> TmuxError {
    TmuxError::Failed {
        status: describe_status(status),
        message: if stderr.is_empty() {
            "no message".to_owned()
        } else {
            stderr
        },
    }
}

fn describe_status(status: ExitStatus) -> String {
    match status.code() {
        Some(code) => format!("exit status {code}"),
        None => "killed by a signal".to_owned(),
    }
}

pub(crate) struct Finished {
    status: ExitStatus,
    stdout: Vec<u8>,
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
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(RunError::Spawn)?;
    // Write and read in threads: a hung child must not block us on a full pipe.
    if let Some(mut stdin) = child.stdin.take() {
        let input = input.to_vec();
        let _ = thread::Builder::new().spawn(move || {
            let _ = stdin.write_all(&input);
        });
    }
    let collect = |pipe: Option<Box<dyn Read + Send>>| {
        let (tx, rx) = mpsc::channel();
        if let Some(mut pipe) = pipe {
            let _ = thread::Builder::new().spawn(move || {
                let mut buf = Vec::new();
                let _ = (&mut pipe).take(64 * 1024).read_to_end(&mut buf);
                let _ = tx.send(buf);
            });
        }
        rx
    };
    let out_rx = collect(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err_rx = collect(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
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
    let wait = Duration::from_millis(300);
    let stdout = out_rx.recv_timeout(wait).unwrap_or_default();
    let stderr = err_rx.recv_timeout(wait).unwrap_or_default();
    Ok(Finished {
        status,
        stdout,
        stderr,
    })
}
