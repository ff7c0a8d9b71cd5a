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

#[test]
fn osc52_round_trips_through_a_vec() {
    let text = "Ticket: disk full on db-3\nÄrger mit ünïcödé ✓\n\ttab";
    let mut out = Vec::new();
    let msg = copy_osc52(text, &no_env(), &mut out).unwrap().to_string();
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
            .starts_with("not copied: file: could not create")
    );
}

#[test]
fn summary_lists_successes_then_failures_on_one_line() {
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
        "sent to your terminal (OSC 52, 3 bytes); it does not confirm; saved to /x \
         (failed: tmux: tmux is not installed (not found on PATH))"
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
