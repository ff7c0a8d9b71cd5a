//! Helpers shared by the integration tests: run the real binary in a sandbox, and find or
//! require the external tools (tmux, Xvfb, xclip, script) the end-to-end tests drive.
//! Each test file uses some of them.
#![allow(dead_code)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;

use proptest::prelude::*;
use std::time::{Duration, Instant};

/// How long the tmux helpers wait for anything to show up: generous, for loaded CI machines.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// An app on the bundled guides, with a fixed clock, at `w`x`h`.
pub fn bundled_app(w: u16, h: u16) -> tshoot::app::App {
    let mut app = tshoot::app::App::new(
        tshoot::guide::Library::load(&[]),
        tshoot::keymap::KeyMap::default(),
        tshoot::theme::Theme::from_colors(&tshoot::config::Colors::default(), true),
    );
    app.now = || "2026-01-01T00:00:00Z".to_owned();
    app.new_id = |guide, _| format!("20260101T000000Z-{}-3f9a", guide.to_lowercase());
    app.size = (w, h);
    app
}

/// `s` single-quoted for sh.
pub fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Run `tshoot ARGS` from the crate root with a throw-away HOME and config dir (so the user's
/// own guides and config never leak in), and fail if it panicked.
pub fn tshoot(args: &[&str]) -> Output {
    let home = tempfile::tempdir().expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_tshoot"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env_remove("TSHOOT_GUIDES")
        .output()
        .expect("run tshoot");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "tshoot {args:?} panicked:\n{stderr}"
    );
    out
}

/// Whether an executable `tool` is on PATH.
pub fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| {
            std::fs::metadata(dir.join(tool))
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
    })
}

/// True if all tools are there. Otherwise: fail under `CI=true` (CI installs them), else print
/// a note and let the test skip.
pub fn require(tools: &[&str], install: &str) -> bool {
    let missing: Vec<&str> = tools.iter().copied().filter(|t| !on_path(t)).collect();
    if missing.is_empty() {
        return true;
    }
    let note = format!("missing {} (install: {install})", missing.join(", "));
    assert!(std::env::var("CI").as_deref() != Ok("true"), "{note}");
    eprintln!("SKIPPED: {note}");
    false
}

/// Poll `done` until it holds or `limit` passes; whether it held. A deadline for waiting,
/// never an assertion on how long something took.
pub fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        if done() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A private tmux server with one pane, killed on drop (its socket file removed too: tmux
/// leaves it behind).
pub struct Tmux {
    name: String,
    socket: Option<PathBuf>,
}

impl Tmux {
    pub fn start(width: u16, height: u16, tag: &str, command: &str) -> Self {
        // All the test modules share one process: the pid alone no longer keeps two servers
        // apart when two modules use the same tag, so a per-process serial number does.
        static SERIAL: AtomicU32 = AtomicU32::new(0);
        let serial = SERIAL.fetch_add(1, Ordering::Relaxed);
        let name = format!("tshoot-{}-{serial}-{tag}", std::process::id());
        let st = Command::new("tmux")
            .args(["-L", &name, "-f", "/dev/null", "new-session", "-d"])
            .args(["-x", &width.to_string(), "-y", &height.to_string()])
            .arg(command)
            .env_remove("TMUX")
            .status()
            .expect("run tmux");
        assert!(st.success(), "tmux new-session failed");
        let mut tmux = Tmux { name, socket: None };
        let path = tmux
            .tmux(&["display-message", "-p", "#{socket_path}"])
            .stdout;
        let path = String::from_utf8_lossy(&path).trim().to_owned();
        tmux.socket = (!path.is_empty()).then(|| PathBuf::from(path));
        tmux
    }

    pub fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.name])
            .args(args)
            .stderr(Stdio::piped())
            .output()
            .expect("run tmux")
    }

    /// The pane's text, wrapped lines joined (`-J`) when `joined`.
    pub fn capture_with(&self, joined: bool) -> String {
        let args: &[&str] = if joined {
            &["capture-pane", "-p", "-J"]
        } else {
            &["capture-pane", "-p"]
        };
        String::from_utf8_lossy(&self.tmux(args).stdout).into_owned()
    }

    pub fn capture(&self) -> String {
        self.capture_with(false)
    }

    /// The pane once it stops changing (a capture can land between the cells of one frame).
    pub fn stable_capture(&self) -> String {
        let mut last = self.capture();
        let mut stable = String::new();
        let settled = wait_until(PATIENCE, || {
            thread::sleep(Duration::from_millis(100));
            let now = self.capture();
            let same = now == last;
            last = now;
            if same {
                stable.clone_from(&last);
            }
            same
        });
        assert!(settled, "the pane never settled:\n{last}");
        stable
    }

    /// Send tmux key names (`1`, `j`, `Tab`, `BSpace`, ...).
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys"];
        args.extend_from_slice(keys);
        let out = self.tmux(&args);
        assert!(out.status.success(), "send-keys {keys:?}");
    }

    /// Type text literally.
    pub fn type_text(&self, text: &str) {
        let out = self.tmux(&["send-keys", "-l", text]);
        assert!(out.status.success(), "send-keys -l {text:?}");
    }

    /// Wait until the pane satisfies `done`; panic with the pane if it never does.
    pub fn wait_for(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let mut last = String::new();
        let ok = wait_until(PATIENCE, || {
            last = self.capture_with(true);
            done(&last)
        });
        assert!(ok, "waited for {what}; the pane shows:\n{last}");
        last
    }

    pub fn wait_text(&self, text: &str) -> String {
        self.wait_for(text, |p| p.contains(text))
    }

    pub fn kill_server(&self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.kill_server();
        if let Some(socket) = &self.socket {
            let _ = fs::remove_file(socket);
        }
    }
}

/// One random edit of a text, for property tests that start from a real file: whole lines
/// deleted, duplicated or swapped, bytes set or inserted (often syntax characters), a cut.
#[derive(Debug, Clone)]
pub enum Edit {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    SetByte(usize, u8),
    InsertByte(usize, u8),
    Truncate(usize),
}

pub fn edit() -> impl Strategy<Value = Edit> {
    let i = || any::<prop::sample::Index>().prop_map(|x| x.index(1 << 20));
    prop_oneof![
        3 => i().prop_map(Edit::DeleteLine),
        2 => i().prop_map(Edit::DuplicateLine),
        2 => (i(), i()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        3 => (i(), any::<u8>()).prop_map(|(a, b)| Edit::SetByte(a, b)),
        2 => (i(), prop::sample::select(b"{}[]\"=\n#.\\0 ".to_vec())).prop_map(|(a, b)| Edit::InsertByte(a, b)),
        1 => i().prop_map(Edit::Truncate),
    ]
}

pub fn mutate(source: &str, edits: &[Edit]) -> String {
    let mut lines: Vec<String> = source.split('\n').map(str::to_owned).collect();
    for e in edits {
        let n = lines.len().max(1);
        match *e {
            Edit::DeleteLine(i) if !lines.is_empty() => {
                lines.remove(i % n);
            }
            Edit::DuplicateLine(i) if !lines.is_empty() => {
                let l = lines[i % n].clone();
                lines.insert(i % n, l);
            }
            Edit::SwapLines(a, b) if !lines.is_empty() => lines.swap(a % n, b % n),
            Edit::SetByte(..) | Edit::InsertByte(..) | Edit::Truncate(_) => {
                let mut bytes = lines.join("\n").into_bytes();
                let len = bytes.len().max(1);
                match *e {
                    Edit::SetByte(i, b) if !bytes.is_empty() => bytes[i % len] = b,
                    Edit::InsertByte(i, b) => bytes.insert(i % (bytes.len() + 1), b),
                    Edit::Truncate(i) => bytes.truncate(i % len),
                    _ => {}
                }
                let text = String::from_utf8_lossy(&bytes).into_owned();
                lines = text.split('\n').map(str::to_owned).collect();
            }
            _ => {}
        }
    }
    lines.join("\n")
}

/// The pid of the tshoot binary under test whose parent is `parent` (a tmux pane's shell).
pub fn tshoot_child_of(parent: u32) -> Option<u32> {
    let exe = std::path::Path::new(env!("CARGO_BIN_EXE_tshoot"));
    fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
        let pid: u32 = e.file_name().to_str()?.parse().ok()?;
        (tshoot::session::owner::parent_of(pid) == Some(parent)
            && fs::read_link(format!("/proc/{pid}/exe")).ok()? == exe)
            .then_some(pid)
    })
}

/// The app drawn on a `TestBackend` of its size, as text (one line per row).
pub fn draw(app: &tshoot::app::App) -> String {
    let (w, h) = app.size;
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).expect("term");
    term.draw(|f| tshoot::ui::draw(f, app)).expect("draw");
    let buf = term.backend().buffer();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}
