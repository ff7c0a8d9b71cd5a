//! Copy a ticket text to the engineer by every method that can reach them.
//!
//! Support engineers run tshoot over SSH, often inside tmux, so "the clipboard" may be the
//! tmux buffer (forwarded to the outer terminal by `tmux load-buffer -w`), the local terminal's
//! clipboard through OSC 52, the X11 clipboard of a display, or — always — a file.
//!
//! Every attempt is recorded in a [`Report`] with an honest message: OSC 52 never confirms, so
//! it says "sent", and the system clipboard is only called "copied" after the text was read back.
//!
//! Facts this module relies on are in `PITFALLS.md` (tmux drops OSC 52 by default; X11 selection
//! ownership dies with the owner; `arboard::Clipboard::new()` can block forever on a display that
//! accepts the connection but never answers).

use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;

/// Hidden argument that makes the tshoot binary run [`hold_clipboard_main`].
pub const HOLD_ARG: &str = "__hold-clipboard";
/// Hidden argument that makes the tshoot binary run [`copy_cli_main`] (`tshoot __copy METHOD`).
pub const COPY_ARG: &str = "__copy";
/// Environment variable that overrides [`default_ticket_dir`].
pub const TICKET_DIR_VAR: &str = "TSHOOT_TICKET_DIR";

/// How long `tmux load-buffer` may take before it is killed.
pub const TMUX_TIMEOUT: Duration = Duration::from_secs(2);
/// How long the X display may take to answer the connection.
pub const DISPLAY_TIMEOUT: Duration = Duration::from_millis(1500);
/// How long the background holder may take to confirm it owns the clipboard.
pub const HOLDER_TIMEOUT: Duration = Duration::from_secs(3);
/// Largest text sent by OSC 52: 74 994 bytes encode to 99 992 base64 characters, under the
/// 100 000 that terminals commonly accept (PITFALLS: "about 74 KB of text is safe").
pub const OSC52_MAX_TEXT: usize = 74_994;
/// GNU screen passes a DCS string through only up to a limited length: each `ESC P ... ESC \`
/// chunk we write is at most this many bytes, framing included.
pub const SCREEN_CHUNK: usize = 700;

/// How to copy.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    clap::ValueEnum,
    Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Every method that fits the environment, and always the file too.
    #[default]
    Auto,
    /// `tmux load-buffer -w -`: tmux's buffer and, through tmux, the terminal's clipboard.
    Tmux,
    /// OSC 52 escape sequence written to the terminal.
    Osc52,
    /// The X11 clipboard of `$DISPLAY`, kept after exit by a background holder.
    System,
    /// A file in the ticket directory.
    File,
}

impl Method {
    /// Short human name for status lines.
    pub fn label(self) -> &'static str {
        match self {
            Method::Auto => "auto",
            Method::Tmux => "tmux",
            Method::Osc52 => "OSC 52",
            Method::System => "system clipboard",
            Method::File => "file",
        }
    }
}

/// What the environment offers, read once. Build it by hand in tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Env {
    /// `$TMUX` is set: we run inside tmux.
    pub tmux: bool,
    /// `$STY` is set, or `$TERM` starts with "screen" and we are not inside tmux.
    pub screen: bool,
    /// `$SSH_TTY` or `$SSH_CONNECTION` is set.
    pub ssh: bool,
    /// `$DISPLAY` or `$WAYLAND_DISPLAY` is set.
    pub display: bool,
    /// tmux server socket name, passed as `tmux -L NAME` (tests use a private server). `None`:
    /// tmux finds the server itself (through `$TMUX` when inside tmux).
    pub tmux_socket: Option<String>,
    /// Executable that understands [`HOLD_ARG`] (the tshoot binary). `None`: no background
    /// holder, the system clipboard then only lasts while this process runs.
    pub holder: Option<PathBuf>,
}

impl Env {
    /// Read the process environment. The holder is the current executable, which must be the
    /// tshoot binary (its `main` dispatches [`HOLD_ARG`] to [`hold_clipboard_main`]).
    pub fn from_env() -> Self {
        Env {
            holder: std::env::current_exe().ok(),
            ..Self::from_vars(|name| std::env::var_os(name))
        }
    }

    /// Build from a variable lookup (`tmux_socket` and `holder` stay `None`).
    pub fn from_vars(get: impl Fn(&str) -> Option<OsString>) -> Self {
        let set = |name: &str| get(name).is_some_and(|v| !v.is_empty());
        let tmux = set("TMUX");
        let term_screen = get("TERM").is_some_and(|t| t.to_string_lossy().starts_with("screen"));
        Env {
            tmux,
            screen: set("STY") || (term_screen && !tmux),
            ssh: set("SSH_TTY") || set("SSH_CONNECTION"),
            display: set("DISPLAY") || set("WAYLAND_DISPLAY"),
            tmux_socket: None,
            holder: None,
        }
    }
}

/// One attempt's outcome, to be shown honestly in a status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub method: Method,
    /// `Ok`: what was done and where. `Err`: why it failed.
    pub result: Result<String, String>,
}

/// All attempts of one copy, in the order they were made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub attempts: Vec<Attempt>,
}

impl Report {
    /// At least one attempt succeeded (the file counts: the text is not lost).
    pub fn ok(&self) -> bool {
        self.attempts.iter().any(|a| a.result.is_ok())
    }

    /// The attempt made by `method`, if any.
    pub fn attempt(&self, method: Method) -> Option<&Attempt> {
        self.attempts.iter().find(|a| a.method == method)
    }

    /// One line for a status bar: the successes, then the failures briefly.
    pub fn summary(&self) -> String {
        let oks: Vec<&str> = self
            .attempts
            .iter()
            .filter_map(|a| a.result.as_deref().ok())
            .collect();
        let fails: Vec<String> = self
            .attempts
            .iter()
            .filter_map(|a| match &a.result {
                Err(why) => Some(format!("{}: {why}", a.method.label())),
                Ok(_) => None,
            })
            .collect();
        let line = match (oks.is_empty(), fails.is_empty()) {
            (true, true) => "nothing was tried".to_owned(),
            (true, false) => format!("not copied: {}", fails.join("; ")),
            (false, true) => oks.join("; "),
            (false, false) => format!("{} (failed: {})", oks.join("; "), fails.join("; ")),
        };
        one_line(&line)
    }
}

/// The methods `Auto` tries for `env`, in order: tmux inside tmux; otherwise OSC 52 over SSH or
/// without a display (tmux drops OSC 52, so not inside tmux); the system clipboard when there
/// is a display; and always the file.
pub fn auto_plan(env: &Env) -> Vec<Method> {
    let mut plan = Vec::new();
    if env.tmux {
        plan.push(Method::Tmux);
    } else if env.ssh || !env.display {
        plan.push(Method::Osc52);
    }
    if env.display {
        plan.push(Method::System);
    }
    plan.push(Method::File);
    plan
}

/// Copy `text` by `method`.
///
/// `Auto` makes every attempt of [`auto_plan`] (each failure recorded, the next still tried;
/// the file is always written). An explicit method that fails falls through to the file, so
/// the text is never lost; `File` writes only the file. `out` is the terminal (for OSC 52).
/// Never panics; the slowest path (a display that never answers) returns after
/// [`DISPLAY_TIMEOUT`].
pub fn copy(text: &str, method: Method, env: &Env, out: &mut dyn Write, file_dir: &Path) -> Report {
    let plan = match method {
        Method::Auto => auto_plan(env),
        other => vec![other],
    };
    let mut attempts = Vec::with_capacity(plan.len() + 1);
    for m in plan {
        attempts.push(attempt(m, text, env, out, file_dir));
    }
    if method != Method::Auto && !attempts.iter().any(|a| a.result.is_ok()) {
        attempts.push(attempt(Method::File, text, env, out, file_dir));
    }
    Report { attempts }
}

fn attempt(method: Method, text: &str, env: &Env, out: &mut dyn Write, dir: &Path) -> Attempt {
    let result = match method {
        Method::Tmux => copy_tmux(text, env),
        Method::Osc52 => copy_osc52(text, env, out),
        Method::System => copy_system(text, env),
        Method::File => copy_file(text, dir),
        Method::Auto => Err("auto is not a single method".to_owned()),
    };
    Attempt {
        method,
        result: result.map(|s| one_line(&s)).map_err(|e| one_line(&e)),
    }
}

/// Collapse whitespace runs (newlines included) so a message fits one status line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------------
// tmux

/// `tmux [-L socket] load-buffer -w -` with the text on stdin. `-w` also forwards the buffer
/// to the outer terminal's clipboard (tmux 3.2+); an older tmux gets a retry without it.
pub fn copy_tmux(text: &str, env: &Env) -> Result<String, String> {
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
            RunError::Spawn(e) if e.kind() == io::ErrorKind::NotFound => {
                "tmux is not installed (not found on PATH)".to_owned()
            }
            RunError::Spawn(e) => format!("could not run tmux: {e}"),
            RunError::TimedOut => format!(
                "tmux load-buffer did not finish within {} s (killed)",
                TMUX_TIMEOUT.as_secs()
            ),
            RunError::Wait(e) => format!("could not wait for tmux: {e}"),
        })
    };
    let first = run(true)?;
    if first.status.success() {
        return Ok(
            "copied to tmux buffer and your terminal's clipboard (tmux load-buffer -w)".to_owned(),
        );
    }
    let stderr = String::from_utf8_lossy(&first.stderr).trim().to_owned();
    if stderr.contains("unknown option") || stderr.contains("usage:") {
        let second = run(false)?;
        if second.status.success() {
            return Ok(
                "copied to tmux buffer only (this tmux has no load-buffer -w; \
                       paste with prefix ])"
                    .to_owned(),
            );
        }
    }
    Err(format!(
        "tmux load-buffer failed ({}): {}",
        describe_status(first.status),
        if stderr.is_empty() {
            "no message"
        } else {
            &stderr
        }
    ))
}

fn describe_status(status: ExitStatus) -> String {
    match status.code() {
        Some(code) => format!("exit status {code}"),
        None => "killed by a signal".to_owned(),
    }
}

struct Finished {
    status: ExitStatus,
    stderr: Vec<u8>,
}

enum RunError {
    Spawn(io::Error),
    Wait(io::Error),
    TimedOut,
}

/// Run `cmd` with `input` on stdin; kill it if it has not exited within `limit`.
fn run_with_input(mut cmd: Command, input: &[u8], limit: Duration) -> Result<Finished, RunError> {
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

// ---------------------------------------------------------------------------------------------
// OSC 52

/// The bytes that ask the terminal to put `text` on its clipboard:
/// `ESC ] 52 ; c ; <base64> ESC \`. For GNU screen (`screen`), the sequence is ended by BEL
/// instead (an `ESC \` would end screen's DCS) and wrapped in `ESC P ... ESC \` chunks of at
/// most [`SCREEN_CHUNK`] bytes each. Errors if `text` is longer than [`OSC52_MAX_TEXT`].
pub fn osc52_sequence(text: &str, screen: bool) -> Result<Vec<u8>, String> {
    if text.len() > OSC52_MAX_TEXT {
        return Err(format!(
            "too long for OSC 52 ({} bytes, limit {OSC52_MAX_TEXT})",
            text.len()
        ));
    }
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    let mut inner = Vec::with_capacity(b64.len() + 10);
    inner.extend_from_slice(b"\x1b]52;c;");
    inner.extend_from_slice(b64.as_bytes());
    if !screen {
        inner.extend_from_slice(b"\x1b\\");
        return Ok(inner);
    }
    inner.push(0x07);
    let payload = SCREEN_CHUNK - 4; // ESC P + payload + ESC \
    let mut wrapped = Vec::with_capacity(inner.len() + inner.len() / payload * 4 + 4);
    for chunk in inner.chunks(payload) {
        wrapped.extend_from_slice(b"\x1bP");
        wrapped.extend_from_slice(chunk);
        wrapped.extend_from_slice(b"\x1b\\");
    }
    Ok(wrapped)
}

/// Write the OSC 52 sequence to `out` (the terminal) and flush it.
pub fn copy_osc52(text: &str, env: &Env, out: &mut dyn Write) -> Result<String, String> {
    let seq = osc52_sequence(text, env.screen)?;
    out.write_all(&seq)
        .and_then(|()| out.flush())
        .map_err(|e| format!("could not write to the terminal: {e}"))?;
    let via = if env.screen {
        ", through GNU screen"
    } else {
        ""
    };
    let tmux_note = if env.tmux {
        "; inside tmux it is dropped unless tmux allows it"
    } else {
        ""
    };
    Ok(format!(
        "sent to your terminal (OSC 52, {} bytes{via}); it does not confirm{tmux_note}",
        text.len()
    ))
}

// ---------------------------------------------------------------------------------------------
// System clipboard (X11 through arboard)

/// Set once a display failed to answer: `Clipboard::new()` of that attempt is still blocked
/// (holding arboard's global lock), so trying again would only block too.
static DISPLAY_STUCK: AtomicBool = AtomicBool::new(false);
/// Background holders started by this process, reaped when they have exited.
static HOLDERS: Mutex<Vec<Child>> = Mutex::new(Vec::new());
/// When no holder could be started, this process keeps owning the clipboard here.
static KEPT: Mutex<Option<arboard::Clipboard>> = Mutex::new(None);

enum Stage {
    Connected,
    Done(Result<String, String>),
}

/// Put `text` on the X11 clipboard of `$DISPLAY` and hand it to a background holder (so it
/// survives our exit), then read it back to confirm. Runs arboard in a separate thread and
/// gives up after [`DISPLAY_TIMEOUT`] if the display does not answer (that thread is left
/// blocked; later calls in this process then fail at once).
pub fn copy_system(text: &str, env: &Env) -> Result<String, String> {
    reap_holders();
    let display = std::env::var("DISPLAY").unwrap_or_default();
    if display.is_empty() {
        return Err(
            if std::env::var_os("WAYLAND_DISPLAY").is_some_and(|v| !v.is_empty()) {
                "only a Wayland display, and this build reaches X11 only".to_owned()
            } else {
                "no display (DISPLAY is not set)".to_owned()
            },
        );
    }
    if DISPLAY_STUCK.load(Ordering::SeqCst) {
        return Err(format!(
            "the display {display} did not answer earlier; not trying again in this run"
        ));
    }
    let (tx, rx) = mpsc::channel();
    let owned_text = text.to_owned();
    let holder = env.holder.clone();
    let worker_display = display.clone();
    let spawned = thread::Builder::new()
        .name("tshoot-clipboard".to_owned())
        .spawn(move || system_worker(&owned_text, holder.as_deref(), &worker_display, &tx));
    if let Err(e) = spawned {
        return Err(format!("could not start the clipboard thread: {e}"));
    }
    match rx.recv_timeout(DISPLAY_TIMEOUT) {
        Ok(Stage::Connected) => {}
        Ok(Stage::Done(result)) => return result,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            DISPLAY_STUCK.store(true, Ordering::SeqCst);
            return Err(format!(
                "the display {display} did not answer within {:.1} s",
                DISPLAY_TIMEOUT.as_secs_f32()
            ));
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            return Err("the clipboard thread stopped unexpectedly".to_owned());
        }
    }
    // Connected: the holder and the read-back have their own limits; this one only guards
    // against a display that stops answering half-way.
    match rx.recv_timeout(HOLDER_TIMEOUT + Duration::from_secs(3)) {
        Ok(Stage::Done(result)) => result,
        Ok(Stage::Connected) => Err("the clipboard thread got confused".to_owned()),
        Err(mpsc::RecvTimeoutError::Timeout) => {
            DISPLAY_STUCK.store(true, Ordering::SeqCst);
            Err(format!("the display {display} stopped answering"))
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err("the clipboard thread stopped unexpectedly".to_owned())
        }
    }
}

fn system_worker(text: &str, holder: Option<&Path>, display: &str, tx: &mpsc::Sender<Stage>) {
    let clipboard = match arboard::Clipboard::new() {
        Ok(c) => c,
        Err(e) => {
            let _ = tx.send(Stage::Done(Err(format!(
                "no system clipboard on {display}: {e}"
            ))));
            return;
        }
    };
    let _ = tx.send(Stage::Connected);
    let result = system_connected(clipboard, text, holder, display);
    let _ = tx.send(Stage::Done(result));
}

fn system_connected(
    mut clipboard: arboard::Clipboard,
    text: &str,
    holder: Option<&Path>,
    display: &str,
) -> Result<String, String> {
    let note = match holder {
        Some(exe) => match spawn_holder(exe, text) {
            // The holder owns the clipboard now; reading it from here is a real round trip
            // through the X server to the holder.
            Ok(()) => match read_back(&mut clipboard, text, Duration::from_secs(1)) {
                Ok(()) => {
                    return Ok(format!(
                        "copied to the system clipboard (X11 {display}); \
                         kept after exit by a background holder"
                    ));
                }
                Err(e) => format!("the background holder was not confirmed: {e}"),
            },
            Err(e) => format!("the background holder failed: {e}"),
        },
        None => "no background holder".to_owned(),
    };
    // Fallback: own the clipboard in this process for as long as it runs.
    clipboard
        .set_text(text)
        .map_err(|e| format!("could not set the clipboard on {display}: {e} ({note})"))?;
    read_back(&mut clipboard, text, Duration::from_millis(500))
        .map_err(|e| format!("set but not confirmed on {display}: {e} ({note})"))?;
    *KEPT.lock().unwrap_or_else(|p| p.into_inner()) = Some(clipboard);
    Ok(format!(
        "copied to the system clipboard (X11 {display}); kept only while tshoot runs ({note})"
    ))
}

/// Poll the clipboard until it holds `text` or `limit` passes.
fn read_back(
    clipboard: &mut arboard::Clipboard,
    text: &str,
    limit: Duration,
) -> Result<(), String> {
    let deadline = Instant::now() + limit;
    loop {
        let last = match clipboard.get_text() {
            Ok(t) if t == text => return Ok(()),
            Ok(t) => format!("it holds other text ({} bytes)", t.len()),
            Err(e) => e.to_string(),
        };
        if Instant::now() >= deadline {
            return Err(format!("reading it back failed: {last}"));
        }
        thread::sleep(Duration::from_millis(20));
    }
}

fn reap_holders() {
    let mut holders = HOLDERS.lock().unwrap_or_else(|p| p.into_inner());
    holders.retain_mut(|child| matches!(child.try_wait(), Ok(None)));
}

/// Start `exe __hold-clipboard` detached (own process group, cwd `/`, stderr discarded), give
/// it the text on stdin and wait for its "ok" line (it has then confirmed it owns the
/// clipboard). On any other answer or on timeout it is killed.
fn spawn_holder(exe: &Path, text: &str) -> Result<(), String> {
    let mut child = Command::new(exe)
        .arg(HOLD_ARG)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .current_dir("/")
        .process_group(0)
        .spawn()
        .map_err(|e| format!("could not start {}: {e}", exe.display()))?;
    if let Some(mut stdin) = child.stdin.take() {
        let input = text.as_bytes().to_vec();
        let _ = thread::Builder::new().spawn(move || {
            let _ = stdin.write_all(&input);
        });
    }
    let (line_tx, line_rx) = mpsc::channel();
    if let Some(stdout) = child.stdout.take() {
        let _ = thread::Builder::new().spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout.take(4096)).read_line(&mut line);
            let _ = line_tx.send(line);
        });
    }
    let failure = match line_rx.recv_timeout(HOLDER_TIMEOUT) {
        Ok(line) if line.trim() == "ok" => {
            HOLDERS
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(child);
            return Ok(());
        }
        Ok(line) if line.trim().is_empty() => "it exited without a word".to_owned(),
        Ok(line) => line.trim().trim_start_matches("error: ").to_owned(),
        Err(_) => format!("it did not confirm within {} s", HOLDER_TIMEOUT.as_secs()),
    };
    let _ = child.kill();
    let _ = child.wait();
    Err(failure)
}

/// Entry point of the hidden `tshoot __hold-clipboard` subcommand: read the text from stdin,
/// take the X11 clipboard, print "ok" (or "error: ...") on stdout once the X server confirms
/// this process owns it, then serve it until another program takes the clipboard or the
/// display goes away. SIGHUP is ignored: the holder outlives the terminal.
pub fn hold_clipboard_main() -> ExitCode {
    let _ = signal_hook::flag::register(
        signal_hook::consts::SIGHUP,
        Arc::new(AtomicBool::new(false)),
    );
    let mut text = String::new();
    let result = match io::stdin().read_to_string(&mut text) {
        Ok(_) => hold(&text),
        Err(e) => Err(format!("could not read the text: {e}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say(&format!("error: {}", one_line(&e)));
            ExitCode::FAILURE
        }
    }
}

fn say(line: &str) {
    let mut stdout = io::stdout().lock();
    let _ = writeln!(stdout, "{line}");
    let _ = stdout.flush();
}

fn hold(text: &str) -> Result<(), String> {
    use arboard::SetExtLinux as _;
    let mut clipboard =
        arboard::Clipboard::new().map_err(|e| format!("no system clipboard: {e}"))?;
    let (done_tx, done_rx) = mpsc::channel();
    let owned = text.to_owned();
    thread::Builder::new()
        .spawn(move || {
            // Blocks until another program owns the clipboard.
            let result = arboard::Clipboard::new()
                .and_then(|mut c| c.set().wait().text(owned))
                .map_err(|e| e.to_string());
            let _ = done_tx.send(result);
        })
        .map_err(|e| format!("could not start a thread: {e}"))?;
    // get_text() first asks the X server who owns the clipboard: equality means we do.
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        if let Ok(result) = done_rx.try_recv() {
            return Err(match result {
                Ok(()) => "lost the clipboard at once".to_owned(),
                Err(e) => format!("could not take the clipboard: {e}"),
            });
        }
        match clipboard.get_text() {
            Ok(t) if t == text => break,
            _ if Instant::now() >= deadline => {
                return Err("could not confirm owning the clipboard".to_owned());
            }
            _ => thread::sleep(Duration::from_millis(10)),
        }
    }
    say("ok");
    // Serve until the selection is taken (the waiting thread returns) or the display is gone
    // (arboard's server thread stops without waking that thread, so check now and then).
    loop {
        match done_rx.recv_timeout(Duration::from_secs(2)) {
            Ok(_) | Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
            Err(mpsc::RecvTimeoutError::Timeout) => match clipboard.get_text() {
                Ok(t) if t == text => {}
                _ => return Ok(()),
            },
        }
    }
}

// ---------------------------------------------------------------------------------------------
// File

/// Write `text` to `dir/ticket-<UTC stamp>.txt` (directory created 0700, file 0600, never
/// overwriting: a second file in the same second gets a `-N` suffix).
pub fn copy_file(text: &str, dir: &Path) -> Result<String, String> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| format!("could not create {}: {e}", dir.display()))?;
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
            Err(e) => return Err(format!("could not create {}: {e}", path.display())),
        };
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| format!("could not write {}: {e}", path.display()))?;
        return Ok(format!("saved to {}", path.display()));
    }
    Err(format!(
        "too many tickets saved this second in {}",
        dir.display()
    ))
}

/// Where tickets are saved: `$TSHOOT_TICKET_DIR`, else `<data dir>/tshoot/tickets`
/// (`~/.local/share/tshoot/tickets`), else `<temp dir>/tshoot-tickets`.
pub fn default_ticket_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(TICKET_DIR_VAR).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    directories::ProjectDirs::from("", "", "tshoot")
        .map(|p| p.data_local_dir().join("tickets"))
        .unwrap_or_else(|| std::env::temp_dir().join("tshoot-tickets"))
}

// ---------------------------------------------------------------------------------------------
// UTC time without a date crate

/// Year, month, day from days since 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32; // [1, 31]
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32; // [1, 12]
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// (year, month, day, hour, minute, second) in UTC, rounding down to the second.
fn utc_parts(t: SystemTime) -> (i64, u32, u32, u32, u32, u32) {
    let secs: i64 = match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 2),
        Err(e) => {
            let d = e.duration();
            let whole = i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 2);
            -whole - i64::from(d.subsec_nanos() > 0)
        }
    };
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400) as u32;
    (year, month, day, rem / 3600, rem / 60 % 60, rem % 60)
}

/// `YYYYmmddTHHMMSSZ`, for file names.
pub fn utc_stamp(t: SystemTime) -> String {
    let (y, mo, d, h, mi, s) = utc_parts(t);
    let mut out = String::with_capacity(16);
    let _ = write!(out, "{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}Z");
    out
}

/// `YYYY-mm-ddTHH:MM:SSZ` (RFC 3339, UTC, whole seconds).
pub fn utc_rfc3339(t: SystemTime) -> String {
    let (y, mo, d, h, mi, s) = utc_parts(t);
    let mut out = String::with_capacity(20);
    let _ = write!(out, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z");
    out
}

// ---------------------------------------------------------------------------------------------
// Hidden CLI

/// Entry point of the hidden `tshoot __copy METHOD` subcommand: copy stdin by `method` with
/// the real environment, OSC 52 going to `/dev/tty` (or stderr without one), files to
/// [`default_ticket_dir`]. Prints [`Report::summary`] on stdout; exit 0 if [`Report::ok`].
pub fn copy_cli_main(method: Method) -> ExitCode {
    let mut text = String::new();
    if let Err(e) = io::stdin().read_to_string(&mut text) {
        eprintln!("tshoot: could not read the text from stdin: {e}");
        return ExitCode::FAILURE;
    }
    let env = Env::from_env();
    let dir = default_ticket_dir();
    let report = match std::fs::OpenOptions::new().write(true).open("/dev/tty") {
        Ok(mut tty) => copy(&text, method, &env, &mut tty, &dir),
        Err(_) => copy(&text, method, &env, &mut io::stderr(), &dir),
    };
    say(&report.summary());
    if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn decode_plain(bytes: &[u8]) -> String {
        let body = bytes
            .strip_prefix(b"\x1b]52;c;")
            .and_then(|b| b.strip_suffix(b"\x1b\\"))
            .expect("OSC 52 framing");
        let raw = base64::engine::general_purpose::STANDARD
            .decode(body)
            .expect("base64");
        String::from_utf8(raw).expect("utf-8")
    }

    /// Split `ESC P payload ESC \` chunks; returns the chunks' full lengths and the payloads.
    fn unwrap_screen(mut bytes: &[u8]) -> (Vec<usize>, Vec<u8>) {
        let mut lengths = Vec::new();
        let mut inner = Vec::new();
        while !bytes.is_empty() {
            let rest = bytes.strip_prefix(b"\x1bP").expect("DCS start");
            let end = rest
                .windows(2)
                .position(|w| w == b"\x1b\\")
                .expect("DCS end");
            inner.extend_from_slice(&rest[..end]);
            lengths.push(2 + end + 2);
            bytes = &rest[end + 2..];
        }
        (lengths, inner)
    }

    fn no_env() -> Env {
        Env::default()
    }

    #[test]
    fn osc52_round_trips_through_a_vec() {
        let text = "Ticket: disk full on db-3\nÄrger mit ünïcödé ✓\n\ttab";
        let mut out = Vec::new();
        let msg = copy_osc52(text, &no_env(), &mut out).unwrap();
        assert_eq!(decode_plain(&out), text);
        assert!(msg.starts_with("sent to your terminal (OSC 52, "), "{msg}");
        assert!(msg.contains(&format!("{} bytes", text.len())), "{msg}");
        assert!(msg.contains("does not confirm"), "{msg}");
    }

    #[test]
    fn osc52_for_screen_is_chunked_and_round_trips() {
        let text: String = (0..5000)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let env = Env {
            screen: true,
            ..no_env()
        };
        let mut out = Vec::new();
        copy_osc52(&text, &env, &mut out).unwrap();
        let (lengths, inner) = unwrap_screen(&out);
        assert!(lengths.len() > 1, "5000 bytes need several chunks");
        assert!(lengths.iter().all(|&l| l <= SCREEN_CHUNK), "{lengths:?}");
        let body = inner
            .strip_prefix(b"\x1b]52;c;")
            .and_then(|b| b.strip_suffix(b"\x07"))
            .expect("inner OSC 52 ended by BEL");
        assert!(!body.contains(&0x1b), "no ESC inside the payload");
        let raw = base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap();
        assert_eq!(raw, text.as_bytes());
    }

    #[test]
    fn osc52_short_text_for_screen_is_one_chunk() {
        let seq = osc52_sequence("hi", true).unwrap();
        assert_eq!(seq, b"\x1bP\x1b]52;c;aGk=\x07\x1b\\");
    }

    #[test]
    fn osc52_cap_is_inclusive_and_falls_through_to_file() {
        assert!(osc52_sequence(&"x".repeat(OSC52_MAX_TEXT), false).is_ok());
        let encoded = osc52_sequence(&"x".repeat(OSC52_MAX_TEXT), false).unwrap();
        assert!(encoded.len() <= 100_000 + 9, "{}", encoded.len());

        let dir = tempfile::tempdir().unwrap();
        let text = "y".repeat(OSC52_MAX_TEXT + 1);
        let mut out = Vec::new();
        let report = copy(&text, Method::Osc52, &no_env(), &mut out, dir.path());
        assert!(out.is_empty(), "nothing sent when too long");
        assert_eq!(report.attempts.len(), 2);
        let why = report.attempts[0].result.as_ref().unwrap_err();
        assert_eq!(
            why,
            &format!(
                "too long for OSC 52 ({} bytes, limit {OSC52_MAX_TEXT})",
                OSC52_MAX_TEXT + 1
            )
        );
        assert_eq!(report.attempts[1].method, Method::File);
        assert!(report.ok());
    }

    struct BrokenTerminal;
    impl Write for BrokenTerminal {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::new(io::ErrorKind::BrokenPipe, "hung up"))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_terminal_that_fails_is_reported_not_panicked() {
        let dir = tempfile::tempdir().unwrap();
        let report = copy(
            "t",
            Method::Osc52,
            &no_env(),
            &mut BrokenTerminal,
            dir.path(),
        );
        let why = report.attempts[0].result.as_ref().unwrap_err();
        assert!(why.contains("could not write to the terminal"), "{why}");
        assert!(report.attempts[1].result.is_ok());
    }

    #[test]
    fn auto_plan_fits_the_environment() {
        use Method::*;
        let e = |tmux, ssh, display| Env {
            tmux,
            ssh,
            display,
            ..no_env()
        };
        assert_eq!(auto_plan(&e(false, false, false)), [Osc52, File]);
        assert_eq!(auto_plan(&e(false, true, false)), [Osc52, File]);
        assert_eq!(auto_plan(&e(false, false, true)), [System, File]);
        assert_eq!(auto_plan(&e(false, true, true)), [Osc52, System, File]);
        assert_eq!(auto_plan(&e(true, true, false)), [Tmux, File]);
        assert_eq!(auto_plan(&e(true, false, true)), [Tmux, System, File]);
    }

    #[test]
    fn env_from_vars() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        let env = Env::from_vars(vars(&[
            ("TMUX", "/tmp/tmux-0/default,1,0"),
            ("TERM", "screen-256color"),
            ("SSH_CONNECTION", "1 2 3 4"),
        ]));
        assert!(env.tmux && env.ssh && !env.screen && !env.display);
        let env = Env::from_vars(vars(&[("TERM", "screen"), ("WAYLAND_DISPLAY", "wl-0")]));
        assert!(env.screen && env.display && !env.tmux && !env.ssh);
        let env = Env::from_vars(vars(&[("STY", "123.pts-0"), ("DISPLAY", "")]));
        assert!(env.screen && !env.display);
        assert_eq!(Env::from_vars(|_| None), no_env());
    }

    #[test]
    fn file_is_private_and_exact() {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("nested/tickets");
        let text = "line 1\nline 2 ✓\n";
        let msg = copy_file(text, &dir).unwrap();
        let path = PathBuf::from(msg.strip_prefix("saved to ").unwrap());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&dir), 0o700);
        let name = path.file_name().unwrap().to_str().unwrap();
        assert!(
            name.starts_with("ticket-") && name.ends_with("Z.txt"),
            "{name}"
        );
        assert_eq!(name.len(), "ticket-20260101T000000Z.txt".len());
        // A second ticket in the same second does not overwrite the first.
        let second = copy_file("other", &dir).unwrap();
        assert_ne!(second, msg);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    }

    #[test]
    fn file_failure_is_reported() {
        let base = tempfile::tempdir().unwrap();
        let blocker = base.path().join("a-file");
        std::fs::write(&blocker, "").unwrap();
        let report = copy(
            "t",
            Method::File,
            &no_env(),
            &mut Vec::new(),
            &blocker.join("x"),
        );
        assert!(!report.ok());
        assert!(
            report
                .summary()
                .starts_with("not copied: file: could not create")
        );
    }

    #[test]
    fn utc_formatting() {
        let at = |secs: i64| {
            if secs >= 0 {
                UNIX_EPOCH + Duration::from_secs(secs as u64)
            } else {
                UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs())
            }
        };
        assert_eq!(utc_stamp(at(0)), "19700101T000000Z");
        assert_eq!(utc_rfc3339(at(0)), "1970-01-01T00:00:00Z");
        assert_eq!(utc_rfc3339(at(951_782_400)), "2000-02-29T00:00:00Z");
        assert_eq!(utc_rfc3339(at(951_868_799)), "2000-02-29T23:59:59Z");
        assert_eq!(utc_rfc3339(at(951_868_800)), "2000-03-01T00:00:00Z");
        assert_eq!(utc_stamp(at(1_700_000_000)), "20231114T221320Z");
        assert_eq!(utc_rfc3339(at(1_700_000_000)), "2023-11-14T22:13:20Z");
        assert_eq!(utc_rfc3339(at(4_102_444_800)), "2100-01-01T00:00:00Z");
        assert_eq!(utc_rfc3339(at(-1)), "1969-12-31T23:59:59Z");
        assert_eq!(
            utc_rfc3339(UNIX_EPOCH - Duration::from_millis(500)),
            "1969-12-31T23:59:59Z"
        );
        assert_eq!(
            utc_rfc3339(UNIX_EPOCH + Duration::from_millis(1500)),
            "1970-01-01T00:00:01Z"
        );
    }

    #[test]
    fn summary_lists_successes_then_failures_on_one_line() {
        let report = Report {
            attempts: vec![
                Attempt {
                    method: Method::Tmux,
                    result: Err("tmux is not installed".into()),
                },
                Attempt {
                    method: Method::Osc52,
                    result: Ok("sent to your terminal".into()),
                },
                Attempt {
                    method: Method::File,
                    result: Ok("saved to /x".into()),
                },
            ],
        };
        assert!(report.ok());
        assert_eq!(
            report.summary(),
            "sent to your terminal; saved to /x (failed: tmux: tmux is not installed)"
        );
        assert_eq!(Report::default().summary(), "nothing was tried");
        assert!(!Report::default().ok());
        assert_eq!(one_line("a\n  b\tc\n"), "a b c");
    }

    #[test]
    fn method_names_for_cli_and_config() {
        use clap::ValueEnum as _;
        let names: Vec<String> = Method::value_variants()
            .iter()
            .map(|m| m.to_possible_value().unwrap().get_name().to_owned())
            .collect();
        assert_eq!(names, ["auto", "tmux", "osc52", "system", "file"]);
        assert_eq!(serde_json::to_string(&Method::Osc52).unwrap(), "\"osc52\"");
        assert_eq!(
            serde_json::from_str::<Method>("\"system\"").unwrap(),
            Method::System
        );
        assert_eq!(Method::default(), Method::Auto);
    }
}
