//! Unit tests of the copy methods and the report.

use super::*;
use base64::Engine as _;
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

fn unknown() -> Sent {
    Sent {
        to: "your terminal".to_owned(),
        note: None,
        verified: None,
    }
}

#[test]
fn osc52_round_trips_through_a_vec() {
    let text = "Ticket: disk full on db-3\nÄrger mit ünïcödé ✓\n\ttab";
    let mut out = Vec::new();
    let msg = copy_osc52(text, &no_env(), &mut out, unknown())
        .unwrap()
        .to_string();
    assert_eq!(decode_plain(&out), text);
    assert!(msg.starts_with("sent to your terminal (OSC 52, "), "{msg}");
    assert!(msg.contains(&format!("{} bytes", text.len())), "{msg}");
    assert!(msg.contains("does not confirm"), "{msg}");
}

#[test]
fn osc52_for_screen_is_chunked_and_round_trips() {
    let text: String = (0..5000)
        .map(|i| char::from(b'a' + u8::try_from(i % 26).unwrap()))
        .collect();
    let env = Env {
        screen: true,
        ..no_env()
    };
    let mut out = Vec::new();
    copy_osc52(&text, &env, &mut out, unknown()).unwrap();
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
    let why = report.attempts[0].result.as_ref().unwrap_err().to_string();
    assert_eq!(
        why,
        format!(
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
    let why = report.attempts[0].result.as_ref().unwrap_err().to_string();
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
    let msg = copy_file(text, &dir).unwrap().to_string();
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
    let second = copy_file("other", &dir).unwrap().to_string();
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
            .starts_with("not copied: ✗ file: could not create")
    );
}

#[test]
fn summary_marks_every_part_in_order_on_one_line() {
    let report = Report {
        attempts: vec![
            Attempt {
                method: Method::Tmux,
                result: Err(TmuxError::NotInstalled.into()),
            },
            Attempt {
                method: Method::Osc52,
                result: Ok(Done::Osc52 {
                    bytes: 3,
                    screen: false,
                    inside_tmux: false,
                    sent: unknown(),
                }),
            },
            Attempt {
                method: Method::File,
                result: Ok(Done::File {
                    path: PathBuf::from("/x"),
                }),
            },
        ],
    };
    assert!(report.ok());
    assert_eq!(
        report.summary(),
        "✗ tmux: tmux is not installed (not found on PATH); \
         → sent to your terminal (OSC 52, 3 bytes); it does not confirm; ✓ saved to /x"
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

fn ident(term: &str, version: &str, features: Option<&str>) -> Identity {
    Identity {
        term: (!term.is_empty()).then(|| term.to_owned()),
        version: (!version.is_empty()).then(|| version.to_owned()),
        features: features.map(|f| f.split(',').map(ToOwned::to_owned).collect()),
        set_clipboard: features.map(|_| "external".to_owned()),
    }
}

#[test]
fn terminals_are_known_by_version_first_then_by_a_telling_name() {
    let name = |id: Identity| id.known().map(|t| t.name);
    assert_eq!(
        name(ident("xterm-256color", "XTerm(379)", None)),
        Some("xterm")
    );
    assert_eq!(
        name(ident("xterm-256color", "kitty(0.26.5)", None)),
        Some("kitty")
    );
    assert_eq!(name(ident("xterm-kitty", "", None)), Some("kitty"));
    assert_eq!(name(ident("st-256color", "", None)), Some("st"));
    assert_eq!(name(ident("st", "", None)), Some("st"));
    // Most emulators call themselves xterm-256color: that alone names none.
    assert_eq!(name(ident("xterm-256color", "", None)), None);
    assert_eq!(name(ident("stterm", "", None)), None);
    assert_eq!(ident("xterm-256color", "", None).label(), "xterm-256color");
    assert_eq!(Identity::default().label(), "your terminal");
}

#[test]
fn tmux_forwards_only_to_a_client_with_the_clipboard_feature() {
    let xterm = ident(
        "xterm",
        "XTerm(379)",
        Some("256,bpaste,clipboard,focus,title"),
    );
    let st = ident("st-256color", "", Some("bpaste,focus,title"));
    assert_eq!(xterm.tmux_forwards(), Some(true));
    assert_eq!(st.tmux_forwards(), Some(false));
    assert_eq!(ident("xterm", "", None).tmux_forwards(), None);
    let off = Identity {
        set_clipboard: Some("off".to_owned()),
        ..xterm.clone()
    };
    assert_eq!(off.tmux_forwards(), Some(false));
}

#[test]
fn one_size_policy_lowered_for_kitty_through_tmux() {
    let kitty = ident("xterm-kitty", "kitty(0.26.5)", Some("clipboard"));
    assert_eq!(kitty.limit(true), terminals::KITTY_TMUX_LIMIT);
    assert_eq!(kitty.limit(false), OSC52_MAX_TEXT);
    assert_eq!(
        ident("xterm", "XTerm(379)", None).limit(true),
        OSC52_MAX_TEXT
    );
    // The limit fits what kitty took: tmux's sequence for it stays under 6,138 bytes.
    let encoded = base64::engine::general_purpose::STANDARD
        .encode(vec![b'x'; terminals::KITTY_TMUX_LIMIT])
        .len();
    assert!(encoded + "\x1b]52;;\x07".len() <= 6_138, "{encoded}");
}

#[test]
fn tmux_client_answer_is_parsed() {
    let id =
        tmux::parse_client("xterm-256color\ttmux 3.3a\t256,bpaste,clipboard,title\texternal\n");
    assert_eq!(id.term.as_deref(), Some("xterm-256color"));
    assert_eq!(id.version.as_deref(), Some("tmux 3.3a"));
    assert_eq!(id.set_clipboard.as_deref(), Some("external"));
    assert_eq!(id.tmux_forwards(), Some(true));
    // No client attached: every client field is empty.
    let none = tmux::parse_client("\t\t\texternal\n");
    assert_eq!((none.term, none.version), (None, None));
    assert_eq!(none.features, Some(vec![]));
}

#[test]
fn xtversion_answer_is_found_and_the_fence_recognised() {
    let xterm = b"\x1bP>|XTerm(379)\x1b\\\x1b[?64;1;2;6;9;15;18;21;22c";
    assert_eq!(
        terminals::parse_xtversion(xterm).as_deref(),
        Some("XTerm(379)")
    );
    assert!(terminals::has_da1(xterm));
    let st = b"\x1b[?6c";
    assert_eq!(terminals::parse_xtversion(st), None);
    assert!(terminals::has_da1(st));
    assert!(!terminals::has_da1(b"\x1bP>|kitty(0.26.5)\x1b\\\x1b[?62;"));
    // A hostile answer cannot smuggle escapes into a message.
    let evil = b"\x1bP>|x\x1b[31mred\x1b\\";
    let name = terminals::parse_xtversion(evil).unwrap_or_default();
    assert!(!name.contains('\x1b'), "{name:?}");
}

#[test]
fn sent_says_verified_known_or_unknown() {
    let mut sent = Sent {
        to: "xterm".to_owned(),
        note: Some("xterm: needs a setting".to_owned()),
        verified: None,
    };
    assert_eq!(
        sent.describe("OSC 52, 3 bytes"),
        "sent to your terminal (xterm: needs a setting; OSC 52, 3 bytes)"
    );
    sent.verified = Some("2026-12-02".to_owned());
    assert_eq!(
        sent.describe(""),
        "copied to xterm's clipboard (verified 2026-12-02)"
    );
    assert_eq!(
        unknown().describe(""),
        "sent to your terminal; it does not confirm"
    );
}

#[test]
fn verified_record_round_trips_and_keys_by_terminal_and_desk() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("state/verified");
    let xterm = ident("xterm", "XTerm(379)", None);
    let local = no_env();
    let remote = Env {
        ssh_client: Some("10.0.0.7".to_owned()),
        ..no_env()
    };
    let k = verified::key(verified::Route::Tmux, &xterm, &local);
    assert_eq!(k, "tmux|XTerm(379)|local");
    assert_ne!(k, verified::key(verified::Route::Tmux, &xterm, &remote));
    assert_ne!(k, verified::key(verified::Route::Osc52, &xterm, &local));
    assert_eq!(Verified::load(&file).date(&k), None);
    Verified::record(&file, &k, "2026-12-01").unwrap();
    Verified::record(&file, &k, "2026-12-02").unwrap();
    let rec = Verified::load(&file);
    assert_eq!(rec.date(&k), Some("2026-12-02"));
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    Verified::forget(&file, &k).unwrap();
    assert_eq!(Verified::load(&file).date(&k), None);
}

#[test]
fn a_verified_terminal_is_copied_with_a_check_mark() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("verified");
    let env = Env {
        term: Some("xterm-kitty".to_owned()),
        verified_file: Some(file.clone()),
        ..no_env()
    };
    let id = identify(&env);
    let k = verified::key(verified::Route::Osc52, &id, &env);
    let before = copy("t", Method::Osc52, &env, &mut Vec::new(), dir.path()).summary();
    assert!(
        before.starts_with("→ sent to your terminal (kitty takes it"),
        "{before}"
    );
    Verified::record(&file, &k, "2026-12-02").unwrap();
    let after = copy("t", Method::Osc52, &env, &mut Vec::new(), dir.path()).summary();
    assert!(
        after.starts_with("✓ copied to kitty's clipboard (verified 2026-12-02, OSC 52, 1 bytes)"),
        "{after}"
    );
}

#[test]
fn st_is_told_it_does_not_take_clipboard_writes() {
    let dir = tempfile::tempdir().unwrap();
    let env = Env {
        term: Some("st-256color".to_owned()),
        ..no_env()
    };
    let msg = copy("t", Method::Osc52, &env, &mut Vec::new(), dir.path()).summary();
    assert!(msg.contains("st does not take clipboard writes"), "{msg}");
    assert!(msg.starts_with('→'), "{msg}");
}

#[test]
fn tilde_shortens_the_home_folder_only() {
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        let p = Path::new(&home).join(".local/share/tshoot/tickets/t.txt");
        assert_eq!(tilde(&p), "~/.local/share/tshoot/tickets/t.txt");
    }
    assert_eq!(
        tilde(Path::new("/nonexistent-root/x")),
        "/nonexistent-root/x"
    );
}
