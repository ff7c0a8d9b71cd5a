//! The copy chain end to end, as engineers meet it: a real terminal (a tmux client on a real
//! pseudo-terminal, or xterm under Xvfb), tmux or not, tshoot's copy, then what the terminal
//! received (the bytes tmux sent it) or the X selections read back with xclip.
//!
//! What these tests pin down: tshoot asks tmux which client is attached and says what that
//! terminal will do; it never claims a clipboard it could not confirm; with xterm's defaults
//! nothing arrives and tshoot does not say it did; with the settings xterm needs it arrives,
//! and after `tshoot doctor --verify` tshoot says "copied (verified DATE)". Missing tools skip
//! a test with a note, except with `CI=true`, where they fail it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use base64::Engine as _;
use tshoot::ticket::clipboard::{self, Env, Method};

use crate::clipboard::Xvfb;
use crate::common::{PATIENCE, require, wait_until};

const TSHOOT: &str = env!("CARGO_BIN_EXE_tshoot");
const TEXT: &str = "Ticket: AADSTS50143 for alice@contoso.example\nSteps tried: new session ✓\n";

/// A private tmux server running `command`, with one client attached through `script` (a real
/// pseudo-terminal) whose `TERM` is given; everything tmux sends that terminal is logged.
struct Attached {
    name: String,
    dir: tempfile::TempDir,
    client: Child,
}

impl Attached {
    fn start(tag: &str, term: &str, command: &str) -> Self {
        let name = format!("tshoot-e2e-{}-{tag}", std::process::id());
        let dir = tempfile::tempdir().unwrap();
        let st = Command::new("tmux")
            .args(["-L", &name, "-f", "/dev/null", "new-session", "-d"])
            .args(["-x", "80", "-y", "24", command])
            .env_remove("TMUX")
            .env("TSHOOT_STATE_DIR", dir.path().join("state"))
            .env("TSHOOT_TICKET_DIR", dir.path().join("tickets"))
            .env("TSHOOT_DATA_DIR", dir.path().join("data"))
            .status()
            .expect("run tmux");
        assert!(st.success(), "tmux new-session");
        let log = dir.path().join("terminal.log");
        let client = Command::new("script")
            .arg("-qfc")
            .arg(format!("tmux -L {name} attach"))
            .arg(&log)
            .env("TERM", term)
            .env_remove("TMUX")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("run script");
        let me = Attached { name, dir, client };
        let attached = wait_until(PATIENCE, || {
            !String::from_utf8_lossy(&me.tmux(&["list-clients"]).stdout)
                .trim()
                .is_empty()
        });
        assert!(attached, "the client never attached");
        me
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.name])
            .args(args)
            .output()
            .expect("run tmux")
    }

    fn env(&self) -> Env {
        Env {
            tmux: true,
            tmux_socket: Some(self.name.clone()),
            ..Env::default()
        }
    }

    /// What tmux sent the client's terminal so far.
    fn received(&self) -> Vec<u8> {
        std::fs::read(self.dir.path().join("terminal.log")).unwrap_or_default()
    }

    fn pane(&self) -> String {
        let out = self.tmux(&["capture-pane", "-p", "-J", "-S", "-"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn wait_pane(&self, text: &str) -> String {
        let mut last = String::new();
        let ok = wait_until(PATIENCE, || {
            last = self.pane();
            last.contains(text)
        });
        assert!(ok, "waited for {text:?}; the pane shows:\n{last}");
        last
    }

    fn state(&self) -> PathBuf {
        self.dir.path().join("state")
    }
}

impl Drop for Attached {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
        let _ = self.client.kill();
        let _ = self.client.wait();
    }
}

/// The payload of the first OSC 52 in `bytes` with an empty target (tmux's form), decoded.
fn tmux_osc52(bytes: &[u8]) -> Option<String> {
    let start = bytes.windows(6).position(|w| w == b"\x1b]52;;")? + 6;
    let len = bytes[start..]
        .iter()
        .position(|&b| b == 0x07 || b == 0x1b)?;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(&bytes[start..start + len])
        .ok()?;
    String::from_utf8(raw).ok()
}

#[test]
fn tmux_is_asked_which_terminal_is_attached_and_the_message_says_what_it_does() {
    if !require(&["tmux", "script"], "apt-get install -y tmux bsdutils") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();

    // st: tmux knows it takes no clipboard writes and passes nothing on.
    let st = Attached::start("st", "st-256color", "sleep 600");
    let id = clipboard::query_client(&st.env()).unwrap();
    assert_eq!(id.term.as_deref(), Some("st-256color"));
    assert_eq!(id.tmux_forwards(), Some(false), "{id:?}");
    let report = clipboard::copy(TEXT, Method::Auto, &st.env(), &mut Vec::new(), dir.path());
    let summary = report.summary();
    assert!(
        summary
            .starts_with("✓ in tmux's buffer only: st does not take clipboard writes; ✓ saved to "),
        "{summary}"
    );
    let buffer = st.tmux(&["show-buffer"]);
    assert_eq!(String::from_utf8_lossy(&buffer.stdout), TEXT);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !st.received().windows(5).any(|w| w == b"\x1b]52;"),
        "nothing was sent to st"
    );
    drop(st);

    // A terminal tmux passes writes to: sent (tmux's empty-target form), and said so, unconfirmed.
    let xt = Attached::start("xt", "xterm-256color", "sleep 600");
    let id = clipboard::query_client(&xt.env()).unwrap();
    assert_eq!(id.tmux_forwards(), Some(true), "{id:?}");
    let report = clipboard::copy(TEXT, Method::Auto, &xt.env(), &mut Vec::new(), dir.path());
    let summary = report.summary();
    assert!(
        summary.starts_with(
            "✓ in tmux's buffer; → sent to your terminal (xterm-256color); it does not confirm; ✓ saved to "
        ),
        "{summary}"
    );
    let arrived = wait_until(PATIENCE, || tmux_osc52(&xt.received()).is_some());
    assert!(arrived, "tmux sent no OSC 52");
    assert_eq!(tmux_osc52(&xt.received()).as_deref(), Some(TEXT));
    println!("tmux with an xterm-256color client: {summary}");
}

#[test]
fn with_no_terminal_osc52_is_reported_as_not_sent() {
    if !require(&["setsid"], "apt-get install -y util-linux") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for extra in [&[][..], &["--clipboard", "osc52"][..]] {
        let out = Command::new("setsid")
            .arg(TSHOOT)
            .args(["ticket", "AADSTS50143", "--copy"])
            .args(extra)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("TMUX")
            .env_remove("STY")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .env("HOME", dir.path())
            .env("TSHOOT_TICKET_DIR", dir.path().join("tickets"))
            .env("TSHOOT_STATE_DIR", dir.path().join("state"))
            .stdin(Stdio::null())
            .output()
            .expect("run setsid tshoot");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("✗ OSC 52: not sent: no terminal (/dev/tty could not be opened)"),
            "{err}"
        );
        assert!(!err.contains("→ sent"), "{err}");
        assert!(err.contains("✓ saved to ~/tickets/ticket-"), "{err}");
        assert!(out.status.success(), "the file holds the ticket: {err}");
    }
}

#[test]
fn doctor_verify_round_trip_in_tmux() {
    if !require(&["tmux", "script"], "apt-get install -y tmux bsdutils") {
        return;
    }
    // The pane starts before the client attaches: doctor waits for it, as an engineer would
    // run it in an attached session.
    let cmd = format!(
        "until [ -n \"$(tmux list-clients)\" ]; do sleep 0.05; done; \
         {TSHOOT} doctor --verify; echo doctor-exit=$?; sleep 600"
    );
    let t = Attached::start("doctor", "xterm-256color", &cmd);
    t.wait_pane("and press Enter:");
    let pane = t.pane();
    assert!(
        pane.starts_with("tshoot 0.1.0 ("),
        "the version line: {pane}"
    );
    assert!(pane.contains("multiplexer  tmux (passes clipboard writes to this client: yes)"));
    let mut token = None;
    assert!(wait_until(PATIENCE, || {
        token = tmux_osc52(&t.received());
        token.is_some()
    }));
    let token = token.unwrap();
    assert!(token.starts_with("tshoot-"), "{token}");
    // The engineer pastes what their terminal got.
    t.tmux(&["send-keys", "-l", &token]);
    t.tmux(&["send-keys", "Enter"]);
    let pane = t.wait_pane("doctor-exit=");
    assert!(
        pane.contains("✓ verified: copies by tmux reach xterm-256color's clipboard"),
        "{pane}"
    );
    assert!(pane.contains("doctor-exit=0"), "{pane}");
    let record = std::fs::read_to_string(t.state().join("verified")).unwrap();
    assert!(record.starts_with("tmux|xterm-256color|"), "{record}");

    // A later copy on this terminal says it is verified, with a ✓.
    let env = Env {
        verified_file: Some(t.state().join("verified")),
        ssh_client: record
            .split('|')
            .nth(2)
            .and_then(|r| r.split('\t').next())
            .filter(|r| *r != "local")
            .map(ToOwned::to_owned),
        ..t.env()
    };
    let dir = tempfile::tempdir().unwrap();
    let summary = clipboard::copy(TEXT, Method::Auto, &env, &mut Vec::new(), dir.path()).summary();
    assert!(
        summary
            .starts_with("✓ in tmux's buffer; ✓ copied to xterm-256color's clipboard (verified 20"),
        "{summary}"
    );

    // A wrong paste explains what to set, and forgets the earlier success.
    t.tmux(&["respawn-pane", "-k", &cmd]);
    t.wait_pane("and press Enter:");
    t.tmux(&["send-keys", "-l", "something else"]);
    t.tmux(&["send-keys", "Enter"]);
    let pane = t.wait_pane("doctor-exit=");
    assert!(
        pane.contains("✗ not verified: what was pasted is not the token"),
        "{pane}"
    );
    assert!(pane.contains("XTerm*selectToClipboard: true"), "{pane}");
    assert!(pane.contains("kitty: nothing to do"), "{pane}");
    assert!(pane.contains("doctor-exit=1"), "{pane}");
    let record = std::fs::read_to_string(t.state().join("verified")).unwrap();
    assert!(!record.contains("tmux|xterm-256color|"), "{record}");
}

// ------------------------------------------------------------------------------------------
// xterm under Xvfb

/// xterm resources that let programs set (not read) the selections.
const ALLOW: &str = "XTerm*disallowedWindowOps: \
    1,2,3,4,5,6,7,8,9,11,13,14,18,19,20,21,GetSelection,SetWinLines,SetXprop";
const TO_CLIPBOARD: &str = "XTerm*selectToClipboard: true";

/// An xterm on `display` with `resources`, running `script` in sh; killed on drop.
struct Xterm(Child);

impl Xterm {
    fn start(display: &str, resources: &[&str], script: &str, dir: &Path) -> Self {
        let mut cmd = Command::new("xterm");
        for r in resources {
            cmd.arg("-xrm").arg(r);
        }
        let child = cmd
            .args(["-geometry", "100x30", "-e", "sh", "-c", script])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("DISPLAY", display)
            .env("HOME", dir)
            .env_remove("TMUX")
            .env_remove("STY")
            .env("TSHOOT_TICKET_DIR", dir.join("tickets"))
            .env("TSHOOT_STATE_DIR", dir.join("state"))
            .env("TSHOOT_DATA_DIR", dir.join("data"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(
                std::fs::File::create(dir.join("xterm.err"))
                    .map_or_else(|_| Stdio::null(), Stdio::from),
            )
            .spawn()
            .expect("run xterm");
        Xterm(child)
    }
}

impl Drop for Xterm {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The server side of an SSH session: no display, an SSH client address.
const REMOTE: &str = "env -u DISPLAY SSH_CLIENT='127.0.0.1 40000 22'";

/// Run `tshoot ticket --copy` in a fresh xterm with `resources` (through tmux when `tmux`);
/// the copy report, the ticket saved, and the X selections afterwards.
struct Copied {
    report: String,
    ticket: String,
    clipboard: Result<String, String>,
    primary: Result<String, String>,
}

impl Copied {
    fn in_clipboard(&self) -> bool {
        self.clipboard.as_deref() == Ok(self.ticket.as_str())
    }

    fn in_primary(&self) -> bool {
        self.primary.as_deref() == Ok(self.ticket.as_str())
    }

    fn arrived_nowhere(&self) {
        assert!(!self.in_clipboard(), "clipboard: {:?}", self.clipboard);
        assert!(!self.in_primary(), "primary: {:?}", self.primary);
    }
}

fn copy_in_xterm(resources: &[&str], tmux: bool, dir: &Path) -> Copied {
    let xvfb = Xvfb::start();
    let log = dir.join("report.log");
    let _ = std::fs::remove_file(&log);
    let _ = std::fs::remove_dir_all(dir.join("tickets"));
    let copy = format!(
        "{REMOTE} {TSHOOT} ticket AADSTS50143 --copy >/dev/null 2>{}.part; mv {0}.part {0}; sleep 600",
        log.display()
    );
    let script = if tmux {
        let name = format!("tshoot-e2e-{}-xterm", std::process::id());
        format!(
            "exec tmux -L {name}-{} -f /dev/null new-session \"{copy}\"",
            resources.len()
        )
    } else {
        copy
    };
    let _xterm = Xterm::start(&xvfb.display, resources, &script, dir);
    assert!(
        wait_until(PATIENCE, || log.is_file()),
        "tshoot never reported in xterm"
    );
    // The copy report is the last line; the lines before it warn about empty fields.
    let said = std::fs::read_to_string(&log).unwrap();
    let report = said
        .lines()
        .last()
        .and_then(|l| l.strip_prefix("tshoot: "))
        .unwrap_or_default()
        .to_owned();
    let ticket = std::fs::read_dir(dir.join("tickets"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .next()
        .expect("a ticket file");
    // Give xterm its moment to act on the sequence before the selections are read.
    let _ = wait_until(Duration::from_secs(3), || {
        xvfb.xclip_out().as_deref() == Ok(ticket.as_str())
            || xvfb.selection("primary").as_deref() == Ok(ticket.as_str())
    });
    let copied = Copied {
        report,
        ticket,
        clipboard: xvfb.xclip_out(),
        primary: xvfb.selection("primary"),
    };
    if tmux {
        let name = format!(
            "tshoot-e2e-{}-xterm-{}",
            std::process::id(),
            resources.len()
        );
        let _ = Command::new("tmux")
            .args(["-L", &name, "kill-server"])
            .status();
    }
    copied
}

#[test]
fn xterm_direct_defaults_get_nothing_and_tshoot_does_not_claim_it() {
    if !require(
        &["Xvfb", "xclip", "xterm"],
        "apt-get install -y xvfb xauth xclip xterm",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let c = copy_in_xterm(&[], false, dir.path());
    println!("xterm defaults: {}", c.report.trim());
    c.arrived_nowhere();
    // xterm named itself (XTVERSION), and the message says what it needs.
    assert!(
        c.report
            .contains("→ sent to your terminal (xterm: ignored unless allowed"),
        "{}",
        c.report
    );
    assert!(!c.report.contains("copied to"), "{}", c.report);
}

#[test]
fn xterm_direct_allowed_gets_the_ticket_and_after_verify_tshoot_says_so() {
    if !require(
        &["Xvfb", "xclip", "xterm", "mkfifo"],
        "apt-get install -y xvfb xauth xclip xterm",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let c = copy_in_xterm(&[ALLOW], false, dir.path());
    println!("xterm allowed, unverified: {}", c.report.trim());
    assert_eq!(c.clipboard.as_deref(), Ok(c.ticket.as_str()));
    assert!(
        c.report.contains("→ sent to your terminal (xterm"),
        "{}",
        c.report
    );

    // Verify once: doctor sends a token, the test reads the clipboard and pastes it back.
    let xvfb = Xvfb::start();
    let fifo = dir.path().join("paste");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let out = dir.path().join("doctor.log");
    let script = format!(
        "{REMOTE} {TSHOOT} doctor --verify <>{} >{}.part 2>&1; mv {1}.part {1}; sleep 600",
        fifo.display(),
        out.display()
    );
    let xterm = Xterm::start(&xvfb.display, &[ALLOW], &script, dir.path());
    let mut token = String::new();
    assert!(
        wait_until(PATIENCE, || {
            token = xvfb.xclip_out().unwrap_or_default();
            token.starts_with("tshoot-")
        }),
        "the token never reached the clipboard; doctor said:\n{}\nxterm said:\n{}\nprocesses:\n{}",
        std::fs::read_to_string(dir.path().join("doctor.log.part")).unwrap_or_default(),
        std::fs::read_to_string(dir.path().join("xterm.err")).unwrap_or_default(),
        String::from_utf8_lossy(
            &Command::new("sh")
                .args(["-c", "ps -eo pid,stat,wchan:24,etime,args | grep -E 'xterm|tshoot|Xvfb' | grep -v grep"])
                .output()
                .map(|o| o.stdout)
                .unwrap_or_default()
        )
    );
    let mut paste = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    writeln!(paste, "{token}").unwrap();
    drop(paste);
    assert!(wait_until(PATIENCE, || out.is_file()), "doctor never ended");
    let said = std::fs::read_to_string(&out).unwrap();
    assert!(said.contains("terminal     xterm (TERM"), "{said}");
    assert!(
        said.contains("✓ verified: copies by osc52 reach xterm's clipboard"),
        "{said}"
    );
    drop(xterm);

    let c = copy_in_xterm(&[ALLOW], false, dir.path());
    println!("xterm allowed, verified: {}", c.report.trim());
    assert_eq!(c.clipboard.as_deref(), Ok(c.ticket.as_str()));
    assert!(
        c.report
            .starts_with("✓ copied to xterm's clipboard (verified 20"),
        "{}",
        c.report
    );
}

#[test]
fn xterm_through_tmux_lands_where_its_settings_say() {
    if !require(
        &["Xvfb", "xclip", "xterm", "tmux"],
        "apt-get install -y xvfb xauth xclip xterm tmux",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // Defaults: nothing arrives; tshoot says the text is in tmux's buffer, sent, unconfirmed.
    let c = copy_in_xterm(&[], true, dir.path());
    println!("xterm defaults through tmux: {}", c.report.trim());
    c.arrived_nowhere();
    assert!(
        c.report.starts_with(
            "✓ in tmux's buffer; → sent to your terminal (xterm: lands only with SetSelection \
             allowed, and needs `selectToClipboard` for Ctrl-V, otherwise middle-click)"
        ),
        "{}",
        c.report
    );
    // Allowed: tmux's empty target lands in PRIMARY only.
    let c = copy_in_xterm(&[ALLOW], true, dir.path());
    println!(
        "xterm allowed through tmux: primary {:?}",
        c.primary.is_ok()
    );
    assert_eq!(c.primary.as_deref(), Ok(c.ticket.as_str()));
    assert!(
        c.clipboard.as_deref() != Ok(c.ticket.as_str()),
        "{:?}",
        c.clipboard
    );
    // Allowed and selectToClipboard: in CLIPBOARD.
    let c = copy_in_xterm(&[ALLOW, TO_CLIPBOARD], true, dir.path());
    assert_eq!(c.clipboard.as_deref(), Ok(c.ticket.as_str()));
}

#[test]
fn the_real_wizard_at_80x24_shows_the_whole_copy_report() {
    if !require(&["tmux"], "apt-get install -y tmux") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let command = format!(
        "env HOME={h} XDG_CONFIG_HOME={h}/config TSHOOT_CACHE_DIR={h}/cache \
         TSHOOT_DATA_DIR={h}/data TSHOOT_TICKET_DIR={h}/tickets TSHOOT_STATE_DIR={h}/state \
         {TSHOOT} AADSTS50143",
        h = home.display()
    );
    let tmux = crate::common::Tmux::start(80, 24, "copy-80x24", &command);
    tmux.wait_text("Diagnostics");
    tmux.keys(&["e"]);
    tmux.wait_text("escalated");
    tmux.keys(&["y"]);
    tmux.wait_text("saved to");
    let name = std::fs::read_dir(home.join("tickets"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .next()
        .expect("a ticket file");
    let want =
        format!("✓ in tmux's buffer only: no tmux client is attached; ✓ saved to ~/tickets/{name}");
    let joined = |screen: &str| screen.lines().map(str::trim).collect::<Vec<_>>().join(" ");
    let screen = tmux.stable_capture();
    assert!(
        joined(&screen).contains(&want),
        "want {want:?} in:\n{screen}"
    );
    // The next key clears the footer; m shows the whole report again.
    tmux.keys(&["m"]);
    let screen = tmux.wait_text("Messages");
    let inside: Vec<String> = screen
        .lines()
        .filter_map(|l| {
            let (a, b) = (l.find('║')?, l.rfind('║')?);
            (a < b).then(|| l[a + '║'.len_utf8()..b].trim().to_owned())
        })
        .collect();
    assert!(inside.join(" ").contains(&want), "{screen}");
}
