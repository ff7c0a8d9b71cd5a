//! Copying a ticket with the real tools: a private tmux server, a real Xvfb display read back
//! with xclip after tshoot has exited, a fake display that never answers, and the file.
//!
//! The X11 tests run the `tshoot` binary (`tshoot __copy system`), because arboard reads
//! `$DISPLAY` from the process environment and setting it in-process would need `unsafe`.
//! Missing tools skip a test with a note, except with `CI=true`, where they fail it.

use crate::common::{require, wait_until};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use tshoot::ticket::clipboard::{self, Env, HOLD_ARG, Method};

const TSHOOT: &str = env!("CARGO_BIN_EXE_tshoot");
const TEXT: &str = "Ticket 42: printer on floor 3 is offline\n\
                    Steps tried: power cycle ✓, cable ✓\n\
                    \tNext: replace the network card — ask Ünal\n";

/// Run `tshoot ARGS` with `input` on stdin and extra environment; kill it after `limit`.
fn run_tshoot(args: &[&str], envs: &[(&str, &str)], input: &str, limit: Duration) -> Output {
    let mut cmd = Command::new(TSHOOT);
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Not inside tmux or screen, whatever the developer runs the tests in.
        .env_remove("TMUX")
        .env_remove("STY");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("run tshoot");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let finished = wait_until(limit, || matches!(child.try_wait(), Ok(Some(_))));
    if !finished {
        let _ = child.kill();
        let _ = child.wait();
        panic!("tshoot {args:?} did not finish within {limit:?}");
    }
    child.wait_with_output().expect("tshoot output")
}

// ------------------------------------------------------------------------------------------
// tmux

/// A private tmux server (`tmux -L NAME -f /dev/null`), killed on drop.
struct TmuxServer {
    name: String,
}

impl TmuxServer {
    fn start(tag: &str) -> Self {
        let name = format!("tshoot-test-{}-{tag}", std::process::id());
        let status = Command::new("tmux")
            .args(["-L", &name, "-f", "/dev/null", "new-session", "-d"])
            .args(["-x", "80", "-y", "24"])
            .status()
            .expect("run tmux");
        assert!(status.success(), "tmux new-session failed");
        TmuxServer { name }
    }

    fn show_buffer(&self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.name, "show-buffer"])
            .output()
            .expect("tmux show-buffer");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

impl Drop for TmuxServer {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.name, "kill-server"])
            .stderr(Stdio::null())
            .status();
    }
}

#[test]
fn tmux_auto_copy_fills_the_tmux_buffer() {
    if !require(&["tmux"], "apt-get install -y tmux") {
        return;
    }
    let server = TmuxServer::start("auto");
    let env = Env {
        tmux: true,
        tmux_socket: Some(server.name.clone()),
        ..Env::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let mut terminal = Vec::new();
    let report = clipboard::copy(TEXT, Method::Auto, &env, &mut terminal, dir.path());

    let methods: Vec<Method> = report.attempts.iter().map(|a| a.method).collect();
    assert_eq!(methods, [Method::Tmux, Method::File], "{report:?}");
    assert_eq!(
        report.attempts[0]
            .result
            .as_ref()
            .map(ToString::to_string)
            .map_err(ToString::to_string)
            .as_deref(),
        // No client is attached to this server: nothing can be passed on, and that is said.
        Ok("in tmux's buffer only: no tmux client is attached")
    );
    assert!(terminal.is_empty(), "no OSC 52 inside tmux (tmux drops it)");
    assert_eq!(server.show_buffer(), TEXT);
    println!("summary: {}", report.summary());
}

#[test]
fn tmux_failure_carries_its_stderr_and_falls_through_to_file() {
    if !require(&["tmux"], "apt-get install -y tmux") {
        return;
    }
    let env = Env {
        tmux: true,
        tmux_socket: Some(format!("tshoot-test-{}-no-server", std::process::id())),
        ..Env::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let report = clipboard::copy(TEXT, Method::Tmux, &env, &mut Vec::new(), dir.path());
    let why = report.attempts[0].result.as_ref().unwrap_err().to_string();
    assert!(
        why.starts_with("tmux load-buffer failed (exit status 1): "),
        "{why}"
    );
    assert!(
        why.contains("error connecting to"),
        "tmux's stderr is quoted: {why}"
    );
    assert_eq!(report.attempts[1].method, Method::File);
    assert!(report.ok());
    println!("summary: {}", report.summary());
}

#[test]
fn missing_tmux_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_tshoot(
        &["__copy", "tmux"],
        &[
            ("PATH", "/nonexistent"),
            ("TSHOOT_TICKET_DIR", dir.path().to_str().unwrap()),
        ],
        TEXT,
        Duration::from_secs(20),
    );
    let summary = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{summary}");
    assert!(
        summary.starts_with("✗ tmux: tmux is not installed (not found on PATH); ✓ saved to "),
        "{summary}"
    );
}

// ------------------------------------------------------------------------------------------
// X11

/// `Xvfb -displayfd 1`: it picks a free display and prints its number once it accepts
/// connections. Killed on drop. (Also used by `copy_e2e`.)
pub(crate) struct Xvfb {
    child: Child,
    pub(crate) display: String,
}

impl Xvfb {
    pub(crate) fn start() -> Self {
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-nolisten",
                "tcp",
                "-screen",
                "0",
                "320x240x24",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let mut xvfb = Xvfb {
            child,
            display: String::new(),
        };
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("Xvfb did not report a display within 30 s");
        let number: u32 = line.trim().parse().expect("Xvfb display number");
        xvfb.display = format!(":{number}");
        // The number can come before the server takes connections (measured under load:
        // an xterm started at once failed with "Can't open display"): wait for its socket.
        let socket = format!("/tmp/.X11-unix/X{number}");
        assert!(
            wait_until(Duration::from_secs(30), || {
                std::os::unix::net::UnixStream::connect(&socket).is_ok()
            }),
            "Xvfb {} never took a connection on {socket}",
            xvfb.display
        );
        xvfb
    }

    pub(crate) fn xclip_out(&self) -> Result<String, String> {
        self.selection("clipboard")
    }

    /// What `xclip -o -selection NAME` reads (`clipboard` or `primary`).
    pub(crate) fn selection(&self, name: &str) -> Result<String, String> {
        let out = Command::new("xclip")
            .args(["-o", "-selection", name])
            .env("DISPLAY", &self.display)
            .output()
            .expect("run xclip -o");
        if out.status.success() {
            Ok(String::from_utf8(out.stdout).unwrap())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }

    /// Let xclip take the clipboard (it forks and serves it in the background until Xvfb ends).
    fn xclip_in(&self, text: &str) {
        let mut child = Command::new("xclip")
            .args(["-i", "-selection", "clipboard"])
            .env("DISPLAY", &self.display)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("run xclip -i");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success());
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        // SIGTERM first: Xvfb then removes its socket and lock file; SIGKILL if it lingers.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let child = &mut self.child;
        if !wait_until(Duration::from_secs(5), || {
            matches!(child.try_wait(), Ok(Some(_)))
        }) {
            let _ = child.kill();
        }
        let _ = child.wait();
    }
}

/// Live `tshoot __hold-clipboard` processes whose environment has `DISPLAY=display`.
fn holders(display: &str) -> Vec<u32> {
    let wanted_env = format!("DISPLAY={display}");
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return found;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let base = entry.path();
        let Ok(cmdline) = std::fs::read(base.join("cmdline")) else {
            continue;
        };
        let args: Vec<&[u8]> = cmdline.split(|&b| b == 0).collect();
        if args.len() < 2 || args[1] != HOLD_ARG.as_bytes() {
            continue;
        }
        let Ok(environ) = std::fs::read(base.join("environ")) else {
            continue;
        };
        if environ
            .split(|&b| b == 0)
            .any(|kv| kv == wanted_env.as_bytes())
        {
            found.push(pid);
        }
    }
    found
}

#[test]
fn x11_clipboard_outlives_tshoot_and_its_holder_steps_aside() {
    if !require(&["Xvfb", "xclip"], "apt-get install -y xvfb xauth xclip") {
        return;
    }
    let xvfb = Xvfb::start();
    let dir = tempfile::tempdir().unwrap();
    let envs = [
        ("DISPLAY", xvfb.display.as_str()),
        ("TSHOOT_TICKET_DIR", dir.path().to_str().unwrap()),
    ];

    let started = Instant::now();
    let out = run_tshoot(&["__copy", "system"], &envs, TEXT, Duration::from_secs(20));
    let took = started.elapsed();
    let summary = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{summary}");
    assert_eq!(
        summary.trim(),
        format!(
            "✓ copied to the system clipboard (X11 {}); kept after exit by a background holder",
            xvfb.display
        )
    );
    println!("tshoot __copy system took {took:?}: {}", summary.trim());

    // tshoot has exited: the text is still there, served by the holder.
    assert_eq!(xvfb.xclip_out().as_deref(), Ok(TEXT));
    let pids = holders(&xvfb.display);
    assert_eq!(pids.len(), 1, "one holder: {pids:?}");

    // Another program takes the clipboard: the holder exits (no stealing back).
    xvfb.xclip_in("replaced");
    assert!(
        wait_until(Duration::from_secs(5), || holders(&xvfb.display).is_empty()),
        "holder still running after losing the clipboard"
    );
    assert_eq!(xvfb.xclip_out().as_deref(), Ok("replaced"));

    // A second copy, then the display goes away: the holder notices and exits too.
    let out = run_tshoot(
        &["__copy", "system"],
        &envs,
        "second",
        Duration::from_secs(20),
    );
    assert!(out.status.success());
    assert_eq!(xvfb.xclip_out().as_deref(), Ok("second"));
    assert_eq!(holders(&xvfb.display).len(), 1);
    let display = xvfb.display.clone();
    drop(xvfb);
    let started = Instant::now();
    assert!(
        wait_until(Duration::from_secs(8), || holders(&display).is_empty()),
        "holder still running after its display died"
    );
    println!(
        "holder exited {:?} after Xvfb was killed",
        started.elapsed()
    );
}

/// A "display" that accepts connections on `/tmp/.X11-unix/X<N>` and never says a word.
struct SilentDisplay {
    number: u32,
    path: PathBuf,
    accepted: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl SilentDisplay {
    fn start() -> Self {
        let dir = Path::new("/tmp/.X11-unix");
        if !dir.exists() {
            std::fs::create_dir_all(dir).expect("create /tmp/.X11-unix");
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o1777)).unwrap();
        }
        let first = 600 + std::process::id() % 300;
        for number in first..first + 100 {
            let path = dir.join(format!("X{number}"));
            if path.exists() || Path::new(&format!("/tmp/.X{number}-lock")).exists() {
                continue;
            }
            let Ok(listener) = UnixListener::bind(&path) else {
                continue;
            };
            listener.set_nonblocking(true).unwrap();
            let accepted = Arc::new(AtomicUsize::new(0));
            let stop = Arc::new(AtomicBool::new(false));
            let (acc, stp) = (accepted.clone(), stop.clone());
            thread::spawn(move || {
                let mut silent = Vec::new(); // keep the connections open, unanswered
                while !stp.load(Ordering::SeqCst) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            acc.fetch_add(1, Ordering::SeqCst);
                            silent.push(stream);
                        }
                        Err(_) => thread::sleep(Duration::from_millis(10)),
                    }
                }
            });
            return SilentDisplay {
                number,
                path,
                accepted,
                stop,
            };
        }
        panic!("no free display number for the silent display");
    }
}

impl Drop for SilentDisplay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = std::fs::remove_file(&self.path);
    }
}

#[test]
fn a_display_that_never_answers_times_out_and_falls_through_to_file() {
    let silent = SilentDisplay::start();
    let display = format!(":{}", silent.number);
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let out = run_tshoot(
        &["__copy", "system"],
        &[
            ("DISPLAY", display.as_str()),
            ("TSHOOT_TICKET_DIR", dir.path().to_str().unwrap()),
        ],
        TEXT,
        Duration::from_secs(30),
    );
    let took = started.elapsed();
    let summary = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{summary}");
    assert!(
        silent.accepted.load(Ordering::SeqCst) >= 1,
        "tshoot connected to the silent display"
    );
    let failed = format!(
        "✗ system clipboard: the display {display} did not answer within 1.5 s; ✓ saved to "
    );
    assert!(summary.starts_with(&failed), "{summary}");
    let saved = summary.trim().strip_prefix(&failed).unwrap();
    assert_eq!(std::fs::read_to_string(saved).unwrap(), TEXT);
    println!(
        "never-answering display: tshoot returned after {took:?}: {}",
        summary.trim()
    );
}

// ------------------------------------------------------------------------------------------
// File

#[test]
fn file_method_writes_a_private_file_with_the_exact_text() {
    let dir = tempfile::tempdir().unwrap();
    let tickets = dir.path().join("tickets");
    let report = clipboard::copy(
        TEXT,
        Method::File,
        &Env::default(),
        &mut Vec::new(),
        &tickets,
    );
    assert_eq!(report.attempts.len(), 1);
    let msg = report.attempts[0].result.as_ref().unwrap().to_string();
    let path = PathBuf::from(msg.strip_prefix("saved to ").unwrap());
    assert_eq!(path.parent(), Some(tickets.as_path()));
    let mut content = String::new();
    std::fs::File::open(&path)
        .unwrap()
        .read_to_string(&mut content)
        .unwrap();
    assert_eq!(content, TEXT);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&tickets), 0o700);
}

/// `tshoot ticket --copy --clipboard osc52` run on a real pseudo-terminal (util-linux `script`
/// records everything written to it): the OSC 52 sequence it writes decodes to the ticket it
/// prints.
#[test]
fn osc52_captured_from_a_pseudo_terminal_decodes_to_the_ticket() {
    use base64::Engine as _;
    if !require(&["script"], "apt-get install -y bsdutils") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_tshoot");
    let cmd = format!(
        "{bin} ticket 50143 --set correlation_id=7d8e9f0a-1b2c-4d3e-9f8a-7b6c5d4e3f2a --set request_id=0b1c9f8e-2a3d-4e5f-8a9b-1c2d3e4f5a6b --copy --clipboard osc52"
    );
    let out = Command::new("script")
        .args(["-q", "-e", "-c", &cmd, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("TSHOOT_DATA_DIR", home.path().join("data"))
        .env("TSHOOT_TICKET_DIR", home.path().join("tickets"))
        .env("TERM", "xterm")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let raw = out.stdout;
    let start = raw
        .windows(7)
        .position(|w| w == b"\x1b]52;c;")
        .expect("an OSC 52 sequence")
        + 7;
    let len = raw[start..]
        .iter()
        .position(|&b| b == 0x1b || b == 0x07)
        .expect("terminated");
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(&raw[start..start + len])
        .unwrap();
    let copied = String::from_utf8(decoded).unwrap();
    // What was printed is the same ticket (the terminal turned \n into \r\n), then tshoot's
    // question to the terminal (XTVERSION fenced by DA1), which this pseudo-terminal leaves
    // unanswered.
    let printed = String::from_utf8_lossy(&raw[..start - 7]).replace("\r\n", "\n");
    let printed = printed
        .strip_suffix("\x1b[>0q\x1b[c")
        .expect("the terminal was asked its name before the OSC 52");
    assert!(
        copied.starts_with("Correlation ID: 7d8e9f0a-1b2c-4d3e-9f8a-7b6c5d4e3f2a\n"),
        "{copied}"
    );
    assert!(copied.contains("Error Code: AADSTS50143"), "{copied}");
    assert_eq!(printed.trim_end(), copied.trim_end());
    // The status on stderr (same terminal) is honest: sent, not "copied".
    let after = String::from_utf8_lossy(&raw[start + len..]);
    assert!(after.contains("sent to your terminal"), "{after}");
}
