//! The X11 clipboard of `$DISPLAY`, through arboard, kept after tshoot exits by a holder.
//!
//! Facts this relies on:
//! - X11 has no clipboard storage: the process that set the selection serves it, and when it
//!   exits (with no clipboard manager, as on servers and under Xvfb) the text is gone. So the
//!   text is handed to a background process, `tshoot __hold-clipboard`, that owns the selection
//!   until another program takes it or the display goes away.
//! - With no display, `arboard::Clipboard::new()` fails in under a millisecond with a
//!   misleading message; any error there means "no system clipboard".
//! - A display that accepts the connection but never answers blocks `Clipboard::new()` forever
//!   (x11rb sets no timeout): it runs on its own thread, and we give up after
//!   [`DISPLAY_TIMEOUT`]; later attempts in the same run fail at once.
//! - "Copied" is said only after the text was read back from the X server.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use super::{DISPLAY_TIMEOUT, Done, Env, HOLD_ARG, HOLDER_TIMEOUT, one_line};

/// Why the X11 clipboard was not set (or not confirmed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SystemError {
    #[error("no display (DISPLAY is not set)")]
    NoDisplay,
    #[error("only a Wayland display, and this build reaches X11 only")]
    WaylandOnly,
    #[error("the display {display} did not answer earlier; not trying again in this run")]
    StuckEarlier { display: String },
    #[error("the display {display} did not answer within {:.1} s", .limit.as_secs_f32())]
    NoAnswer { display: String, limit: Duration },
    #[error("the display {display} stopped answering")]
    StoppedAnswering { display: String },
    #[error("{0}")]
    Thread(String),
    #[error("no system clipboard on {display}: {why}")]
    NoClipboard { display: String, why: String },
    #[error("could not set the clipboard on {display}: {why} ({note})")]
    Set {
        display: String,
        why: String,
        note: String,
    },
    #[error("set but not confirmed on {display}: {why} ({note})")]
    NotConfirmed {
        display: String,
        why: String,
        note: String,
    },
}

/// Set once a display failed to answer: `Clipboard::new()` of that attempt is still blocked
/// (holding arboard's global lock), so trying again would only block too.
static DISPLAY_STUCK: AtomicBool = AtomicBool::new(false);
/// Background holders started by this process, reaped when they have exited.
static HOLDERS: Mutex<Vec<Child>> = Mutex::new(Vec::new());
/// When no holder could be started, this process keeps owning the clipboard here.
static KEPT: Mutex<Option<arboard::Clipboard>> = Mutex::new(None);

enum Stage {
    Connected,
    Done(Result<Done, SystemError>),
}

/// Put `text` on the X11 clipboard of `$DISPLAY` and hand it to a background holder (so it
/// survives our exit), then read it back to confirm. Runs arboard in a separate thread and
/// gives up after [`DISPLAY_TIMEOUT`] if the display does not answer (that thread is left
/// blocked; later calls in this process then fail at once).
///
/// # Errors
/// No display, a display that does not answer, or a text that could not be confirmed.
pub fn copy_system(text: &str, env: &Env) -> Result<Done, SystemError> {
    reap_holders();
    let display = std::env::var("DISPLAY").unwrap_or_default();
    if display.is_empty() {
        return Err(
            if std::env::var_os("WAYLAND_DISPLAY").is_some_and(|v| !v.is_empty()) {
                SystemError::WaylandOnly
            } else {
                SystemError::NoDisplay
            },
        );
    }
    if DISPLAY_STUCK.load(Ordering::SeqCst) {
        return Err(SystemError::StuckEarlier { display });
    }
    let (tx, rx) = mpsc::channel();
    let owned_text = text.to_owned();
    let holder = env.holder.clone();
    let worker_display = display.clone();
    let spawned = thread::Builder::new()
        .name("tshoot-clipboard".to_owned())
        .spawn(move || system_worker(&owned_text, holder.as_deref(), &worker_display, &tx));
    if let Err(e) = spawned {
        return Err(SystemError::Thread(format!(
            "could not start the clipboard thread: {e}"
        )));
    }
    match rx.recv_timeout(DISPLAY_TIMEOUT) {
        Ok(Stage::Connected) => {}
        Ok(Stage::Done(result)) => return result,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            DISPLAY_STUCK.store(true, Ordering::SeqCst);
            return Err(SystemError::NoAnswer {
                display,
                limit: DISPLAY_TIMEOUT,
            });
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            return Err(SystemError::Thread(
                "the clipboard thread stopped unexpectedly".to_owned(),
            ));
        }
    }
    // Connected: the holder and the read-back have their own limits; this one only guards
    // against a display that stops answering half-way.
    match rx.recv_timeout(HOLDER_TIMEOUT + Duration::from_secs(3)) {
        Ok(Stage::Done(result)) => result,
        Ok(Stage::Connected) => Err(SystemError::Thread(
            "the clipboard thread got confused".to_owned(),
        )),
        Err(mpsc::RecvTimeoutError::Timeout) => {
            DISPLAY_STUCK.store(true, Ordering::SeqCst);
            Err(SystemError::StoppedAnswering { display })
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(SystemError::Thread(
            "the clipboard thread stopped unexpectedly".to_owned(),
        )),
    }
}

fn system_worker(text: &str, holder: Option<&Path>, display: &str, tx: &mpsc::Sender<Stage>) {
    let clipboard = match arboard::Clipboard::new() {
        Ok(c) => c,
        Err(e) => {
            let _ = tx.send(Stage::Done(Err(SystemError::NoClipboard {
                display: display.to_owned(),
                why: e.to_string(),
            })));
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
) -> Result<Done, SystemError> {
    let note = match holder {
        Some(exe) => match spawn_holder(exe, text) {
            // The holder owns the clipboard now; reading it from here is a real round trip
            // through the X server to the holder.
            Ok(()) => match read_back(&mut clipboard, text, Duration::from_secs(1)) {
                Ok(()) => {
                    return Ok(Done::System {
                        display: display.to_owned(),
                        held: true,
                        note: None,
                    });
                }
                Err(e) => format!("the background holder was not confirmed: {e}"),
            },
            Err(e) => format!("the background holder failed: {e}"),
        },
        None => "no background holder".to_owned(),
    };
    // Fallback: own the clipboard in this process for as long as it runs.
    clipboard.set_text(text).map_err(|e| SystemError::Set {
        display: display.to_owned(),
        why: e.to_string(),
        note: note.clone(),
    })?;
    read_back(&mut clipboard, text, Duration::from_millis(500)).map_err(|why| {
        SystemError::NotConfirmed {
            display: display.to_owned(),
            why,
            note: note.clone(),
        }
    })?;
    *KEPT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(clipboard);
    Ok(Done::System {
        display: display.to_owned(),
        held: false,
        note: Some(note),
    })
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
    let mut holders = HOLDERS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
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
                .unwrap_or_else(std::sync::PoisonError::into_inner)
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

pub(crate) fn say(line: &str) {
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
