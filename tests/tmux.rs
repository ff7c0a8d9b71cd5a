//! End to end: the real `tshoot` binary in a real terminal, a private tmux server per test.
//!
//! Keys go in with `send-keys`, the screen comes back with `capture-pane -p`, and the pane's
//! modes (alternate screen, mouse reporting, cursor) come from tmux's own format variables, so
//! "the terminal was restored" is read from the terminal, not guessed. The binary runs under
//! `sh -c 'tshoot; echo EXITED:$?; stty -a | grep ...; sleep 30'`: after tshoot exits, the pane
//! shows its exit status and whether canonical mode (not raw mode) is back.
//!
//! Every wait polls the screen until the text appears or a generous deadline passes; nothing
//! asserts on elapsed time. Without tmux a test prints a note and passes, except with
//! `CI=true`, where it fails.

use crate::common::{q, require};
use std::process::{Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

const TSHOOT: &str = env!("CARGO_BIN_EXE_tshoot");
const DEADLINE: Duration = Duration::from_secs(10);

/// A private tmux server with one session running `tshoot ARGS` under a shell that reports
/// how it ended. Dropping it kills the server.
struct Term {
    socket: String,
    _home: tempfile::TempDir,
}

impl Term {
    /// `tshoot ARGS` (ARGS already shell-quoted) at `w`x`h`; `None` if tmux is missing.
    fn start(test: &str, w: u16, h: u16, args: &str) -> Option<Self> {
        Self::start_script(test, w, h, &format!("{} {args}", q(TSHOOT)))
    }

    /// Any shell line in place of the plain `tshoot` call (e.g. with a pipe into it).
    fn start_script(test: &str, w: u16, h: u16, run: &str) -> Option<Self> {
        if !require(&["tmux"], "apt-get install -y tmux") {
            return None;
        }
        let home = tempfile::tempdir().expect("temp dir");
        let p = |sub: &str| {
            let d = home.path().join(sub);
            std::fs::create_dir_all(&d).expect("mkdir");
            q(&d.display().to_string())
        };
        let env = format!(
            "HOME={} XDG_CONFIG_HOME={} XDG_DATA_HOME={} XDG_STATE_HOME={}",
            p("home"),
            p("config"),
            p("data"),
            p("state")
        );
        let script = format!(
            r"export {env}; unset NO_COLOR TMUX TSHOOT_DATA_DIR TSHOOT_CONFIG TSHOOT_GUIDES; {run}; echo EXITED:$?; stty -a | grep -o -- '-icanon\|icanon'; sleep 30"
        );
        let t = Term {
            socket: format!("tshoot-{test}-{}", std::process::id()),
            _home: home,
        };
        let out = t.tmux(&[
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            &w.to_string(),
            "-y",
            &h.to_string(),
            &format!("sh -c {}", q(&script)),
        ]);
        assert!(
            out.status.success(),
            "tmux new-session: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Some(t)
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .env_remove("TMUX")
            .stdin(Stdio::null())
            .output()
            .expect("run tmux")
    }

    /// Keys by tmux name (`Enter`, `Tab`, `BTab`, `Space`, `Escape`, `C-c`, `BSpace`).
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        let out = self.tmux(&args);
        assert!(
            out.status.success(),
            "send-keys {keys:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Literal text, one key press per character.
    fn text(&self, s: &str) {
        let out = self.tmux(&["send-keys", "-t", "t", "-l", s]);
        assert!(
            out.status.success(),
            "send-keys -l {s:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    /// Poll until `ok(screen)`; panic with the last screen after the deadline.
    fn wait(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let end = Instant::now() + DEADLINE;
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            assert!(
                Instant::now() < end,
                "waited for {what}; the screen is:\n{s}"
            );
            thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_for(&self, text: &str) -> String {
        self.wait(&format!("{text:?}"), |s| s.contains(text))
    }

    fn wait_gone(&self, text: &str) -> String {
        self.wait(&format!("{text:?} to go"), |s| !s.contains(text))
    }

    /// A tmux format for the pane, e.g. `#{alternate_on}`.
    fn format(&self, f: &str) -> String {
        String::from_utf8_lossy(&self.tmux(&["display-message", "-p", "-t", "t", f]).stdout)
            .trim()
            .to_owned()
    }

    /// The pid of the running `tshoot`: the child of the pane's shell, found in `/proc` (so
    /// the test needs no `pgrep`).
    fn tshoot_pid(&self) -> String {
        let shell = self.format("#{pane_pid}");
        let end = Instant::now() + DEADLINE;
        loop {
            if let Some(pid) = child_named(&shell, "tshoot") {
                return pid;
            }
            assert!(
                Instant::now() < end,
                "no tshoot under the pane's shell {shell}"
            );
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// While tshoot runs: the alternate screen and mouse reporting are on.
    fn assert_wizard_modes(&self) {
        // tmux's `mouse_any_flag` means "some mouse mode"; motion reporting is 1002 (button)
        // and 1003 (all), which must stay off.
        let modes = self.format("alt=#{alternate_on} mouse=#{mouse_standard_flag} sgr=#{mouse_sgr_flag} drag=#{mouse_button_flag} motion=#{mouse_all_flag}");
        assert_eq!(
            modes, "alt=1 mouse=1 sgr=1 drag=0 motion=0",
            "button events only, never every motion"
        );
    }

    /// After tshoot ended with `code`: the pane shows it, canonical mode is back, the
    /// alternate screen was left, mouse reporting is off, the cursor is shown.
    fn assert_restored(&self, code: u8, gone: &str) {
        let s = self.wait_for(&format!("EXITED:{code}"));
        let s = if s.contains("icanon") {
            s
        } else {
            self.wait_for("icanon")
        };
        assert!(!s.contains("-icanon"), "raw mode left on:\n{s}");
        assert!(
            !s.contains(gone),
            "the wizard's screen is still shown (alternate screen not left):\n{s}"
        );
        let modes = self.format("alt=#{alternate_on} mouse=#{mouse_standard_flag} sgr=#{mouse_sgr_flag} any=#{mouse_any_flag} cursor=#{cursor_flag}");
        assert_eq!(
            modes, "alt=0 mouse=0 sgr=0 any=0 cursor=1",
            "terminal modes after exit"
        );
    }
}

/// A child of `parent` whose command name is `name`, from `/proc/PID/stat` ("pid (comm) state
/// ppid ...").
fn child_named(parent: &str, name: &str) -> Option<String> {
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
        let pid = e.file_name().to_str()?.to_owned();
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let (head, tail) = stat.rsplit_once(") ")?;
        let comm = head.split_once(" (")?.1;
        let ppid = tail.split_whitespace().nth(1)?;
        (comm == name && ppid == parent).then_some(pid)
    })
}

impl Drop for Term {
    fn drop(&mut self) {
        // kill-server leaves the socket file behind; remove it too.
        let path = self.format("#{socket_path}");
        let _ = self.tmux(&["kill-server"]);
        if path.contains(&self.socket) {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The whole AADSTS50143 guide, as a person does it: from the picker to ticked tasks.
fn whole_guide(test: &str, w: u16, h: u16) {
    let Some(t) = Term::start(test, w, h, "") else {
        return;
    };
    t.wait_for("find a guide");
    t.assert_wizard_modes();
    t.text("50143");
    t.wait_for("> 50143");
    t.wait_for("AADSTS50143  Session mismatch");
    t.keys(&["Enter"]);
    t.wait_for("Step 1 of 3");
    // A number key answers...
    t.text("2");
    t.wait_for("Step 2 of 3");
    // ...so does moving with j and choosing with Enter.
    t.text("j");
    t.keys(&["Enter"]);
    t.wait_for("Step 3 of 3");
    t.wait_for("✓ Review Error Context: After switching");
    t.text("2");
    // The suspected issues, in the Common issues pane.
    let s = t.wait_for("2 suspected by the answers");
    assert!(s.contains("Common issues"), "{s}");
    assert!(s.contains("? Incorrect Domain Hint"), "{s}");
    assert!(s.contains("? Session Information Mismatch"), "{s}");
    t.text("c");
    t.wait_for("✓ Incorrect Domain Hint");
    t.wait_for("2 suspected by the answers, 1 open");
    // The checklist: tick two tasks with Space, see the count change.
    t.keys(&["Tab"]);
    t.wait_for("0 of 5 tasks done");
    t.keys(&["Space"]);
    t.wait_for("1 of 5 tasks done");
    t.text("j");
    t.keys(&["Space"]);
    t.wait_for("2 of 5 tasks done");
    let s = t.wait_for("[✓] Request the user to verify");
    assert!(s.contains("[✓] Prompt the user to sign out"), "{s}");
    // Shift-Tab goes back a pane, Tab forward again.
    t.keys(&["BTab"]);
    t.wait_for("c confirm");
    t.keys(&["Tab"]);
    // Help, and Esc closes it.
    t.text("?");
    t.wait_for("show or hide this help");
    t.keys(&["Escape"]);
    t.wait_gone("show or hide this help");
    t.wait_for("2 of 5 tasks done");
    t.text("q");
    t.assert_restored(0, "tasks done");
}

#[test]
fn whole_guide_at_80x24() {
    whole_guide("guide80", 80, 24);
}

#[test]
fn whole_guide_at_200x50() {
    whole_guide("guide200", 200, 50);
}

#[test]
fn resize_to_too_small_and_back() {
    let Some(t) = Term::start("resize", 120, 40, "50143") else {
        return;
    };
    // Wide: the panes side by side.
    let s = t.wait_for("Step 1 of 3");
    assert!(
        s.contains("Resolution checklist") && s.contains("Common issues"),
        "{s}"
    );
    t.tmux(&["resize-window", "-t", "t", "-x", "80", "-y", "24"]);
    // Narrow: one pane, the stepper as tabs.
    t.wait_for("1 Diag 0/3");
    let s = t.wait_for("Step 1 of 3");
    assert!(!s.contains("Resolution checklist"), "{s}");
    t.tmux(&["resize-window", "-t", "t", "-x", "40", "-y", "10"]);
    t.wait_for("too small");
    t.wait_for("40x10");
    // Keys typed blind do nothing.
    t.text("2");
    t.tmux(&["resize-window", "-t", "t", "-x", "120", "-y", "40"]);
    let s = t.wait_for("Resolution checklist");
    assert!(s.contains("Step 1 of 3"), "a blind key answered:\n{s}");
    assert!(!s.contains("too small"), "{s}");
    // And it works again.
    t.text("2");
    t.wait_for("Step 2 of 3");
    t.text("q");
    t.assert_restored(0, "Step 2 of 3");
}

fn signal_restores(test: &str, signal: &str, code: u8) {
    let Some(t) = Term::start(test, 100, 30, "AADSTS50143") else {
        return;
    };
    t.wait_for("Step 1 of 3");
    t.assert_wizard_modes();
    let pid = t.tshoot_pid();
    // The shell's own `kill`: /bin/kill comes with procps, which a minimal system may lack.
    let out = Command::new("sh")
        .args(["-c", &format!("kill -{signal} {pid}")])
        .output()
        .expect("kill");
    assert!(
        out.status.success(),
        "kill -{signal} {pid}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    t.assert_restored(code, "Step 1 of 3");
}

#[test]
fn sigterm_restores_the_terminal() {
    signal_restores("term", "TERM", 143);
}

#[test]
fn sighup_restores_the_terminal() {
    signal_restores("hup", "HUP", 129);
}

#[test]
fn ctrl_c_quits_from_the_wizard_and_the_picker() {
    let Some(t) = Term::start("ctrlc", 80, 24, "50143") else {
        return;
    };
    t.wait_for("Step 1 of 3");
    t.keys(&["C-c"]);
    t.assert_restored(0, "Step 1 of 3");
    drop(t);
    let Some(t) = Term::start("ctrlc2", 80, 24, "") else {
        return;
    };
    t.wait_for("find a guide");
    t.text("501");
    t.wait_for("> 501");
    t.keys(&["C-c"]);
    t.assert_restored(0, "find a guide");
}

#[test]
fn esc_goes_back_to_the_picker_and_enter_returns_to_the_case() {
    let Some(t) = Term::start("esc", 80, 24, "") else {
        return;
    };
    t.wait_for("find a guide");
    t.text("50143");
    t.wait_for("> 50143");
    t.keys(&["Enter"]);
    t.wait_for("Step 1 of 3");
    t.text("3");
    t.wait_for("Step 2 of 3");
    t.keys(&["Escape"]);
    t.wait_for("find a guide");
    t.keys(&["Enter"]);
    t.wait_for("Step 2 of 3");
    // Backspace goes back one answer.
    t.keys(&["BSpace"]);
    t.wait_for("Step 1 of 3");
    t.text("q");
    t.assert_restored(0, "Step 1 of 3");
}

#[test]
fn stdin_not_a_terminal_exits_2_with_a_message() {
    // In a terminal, but with standard input from a pipe.
    if let Some(t) = Term::start_script(
        "pipe",
        120,
        10,
        &format!("echo | {} AADSTS50143", q(TSHOOT)),
    ) {
        let s = t.wait_for("EXITED:2");
        assert!(s.contains("the wizard needs a terminal"), "{s}");
        assert!(s.contains("tshoot show ID"), "{s}");
    }
    // And with no terminal at all.
    let out = Command::new(TSHOOT)
        .arg("AADSTS50143")
        .stdin(Stdio::piped())
        .output()
        .expect("run tshoot");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the wizard needs a terminal"));
    assert!(out.stdout.is_empty(), "no escape sequences on a pipe");
}
