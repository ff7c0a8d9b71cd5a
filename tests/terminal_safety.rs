//! No byte from a guide or a paste reaches the terminal as a control sequence: a guide and a
//! paste full of ESC, OSC, CSI, DCS and C1 bytes are drawn through the real backend
//! (`LeanBackend`) into a buffer, and every escape sequence in the bytes written must be one the
//! backend itself emits (cursor moves, SGR, cursor show/hide).

use ratatui::Terminal;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tshoot::app::App;
use tshoot::guide::{Library, Origin};
use tshoot::keymap::KeyMap;
use tshoot::term::LeanBackend;
use tshoot::ui::theme::Theme;

/// Hostile text: OSC 52 (clipboard), OSC 0 (title), CSI clear screen, DCS, a C1 CSI, BEL.
const EVIL: &str =
    r"\u001b]52;c;ZXZpbA==\u0007\u001b]0;pwned\u001b\\\u001b[2J\u001bP+q\u001b\\\u009b31mred\u0007";

fn hostile_guide() -> String {
    tshoot::guide::load::REFERENCE_GUIDE
        .replace("title = \"Session mismatch\"", &format!("title = \"Session {EVIL} mismatch\""))
        .replace(
            "title = \"Verify User Sign-In\"",
            &format!("title = \"Verify {EVIL} Sign-In\""),
        )
        .replace(
            "{ label = \"Yes, the expected tenant and domain\" }",
            &format!("{{ label = \"Yes {EVIL}\" }}"),
        )
        .replace(
            "title = \"Incorrect Domain Hint\"",
            &format!("title = \"Incorrect {EVIL} Hint\""),
        )
        .replace(
            "text = \"Consider involving a developer or IT professional for deeper troubleshooting.\"",
            &format!("text = \"Consider {EVIL} it\""),
        )
}

/// Every escape sequence in `bytes` is one the backend writes itself.
fn assert_only_our_sequences(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    assert!(!text.contains('\u{7}'), "a BEL reached the terminal");
    assert!(
        !text.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)),
        "a C1 control reached the terminal"
    );
    let mut rest = text.as_ref();
    while let Some(i) = rest.find('\u{1b}') {
        let seq = &rest[i + 1..];
        assert!(
            seq.starts_with('['),
            "not a CSI: {:?}",
            &seq[..seq.len().min(12)]
        );
        let body = &seq[1..];
        let end = body
            .find(|c: char| c.is_ascii_alphabetic())
            .expect("a CSI with a final byte");
        let (params, fin) = (&body[..end], &body[end..=end]);
        let ok = match fin {
            "H" | "C" | "m" => params.chars().all(|c| c.is_ascii_digit() || c == ';'),
            "J" => params == "2",
            "l" | "h" => params == "?25",
            _ => false,
        };
        assert!(ok, "unexpected sequence ESC [{params}{fin}");
        rest = &body[end + 1..];
    }
    // The hostile payloads themselves are not there in any form that acts.
    assert!(!text.contains("\u{1b}]"), "an OSC reached the terminal");
    assert!(!text.contains("\u{1b}P"), "a DCS reached the terminal");
}

#[test]
fn guide_text_and_pastes_never_reach_the_terminal_as_control_sequences() {
    struct NoIo;
    impl tshoot::tui::Io for NoIo {
        fn copy(&mut self, _: &str) -> (String, bool) {
            ("copied".into(), true)
        }
        fn save(
            &mut self,
            _: &tshoot::session::Session,
        ) -> Result<(), tshoot::session::SessionError> {
            Ok(())
        }
    }
    let mut lib = Library::default();
    lib.add(Origin::Bundled("hostile.toml"), &hostile_guide());
    assert_eq!(
        lib.guides.len(),
        1,
        "{:?}",
        lib.failures
            .first()
            .map(tshoot::guide::load::Failure::summary)
    );
    let mut app = App::new(lib, KeyMap::default(), Theme::default());
    app.now = || "2026-01-01T00:00:00Z".to_owned();
    let mut term = Terminal::new(LeanBackend::with_size(Vec::new(), 120, 40)).unwrap();
    let key = |c| Event::Key(KeyEvent::new(c, KeyModifiers::NONE));
    let paste = format!(
        "AADSTS50143 {}\nRequest Id: 0b1c9f8e-2a3d-4e5f-8a9b-1c2d3e4f5a6b\nCorrelation Id: 7d8e9f0a-1b2c-4d3e-9f8a-7b6c5d4e3f2a\nApp name: {}",
        EVIL.replace(r"\u001b", "\u{1b}")
            .replace(r"\u0007", "\u{7}")
            .replace(r"\u009b", "\u{9b}")
            .replace(r"\\", "\\"),
        "\u{1b}]52;c;aGk=\u{7}evil app"
    );
    // Picker, open the guide, answer, look at every pane and overlay, paste, accept, copy.
    let mut events = vec![
        key(KeyCode::Enter),
        key(KeyCode::Char('1')),
        key(KeyCode::Char('n')),
        key(KeyCode::Esc),
        key(KeyCode::Char('?')),
        key(KeyCode::Esc),
        key(KeyCode::Tab),
        key(KeyCode::Tab),
        key(KeyCode::Char('e')),
        Event::Paste(paste),
        key(KeyCode::Enter),
    ]
    .into_iter();
    tshoot::tui::run_loop(&mut term, &mut app, || Ok(events.next()), &mut NoIo, |_| {}).unwrap();
    let written = term.backend_mut().writer().clone();
    assert!(written.len() > 1000, "frames were drawn");
    assert_only_our_sequences(&written);
    // The ticket that would be copied is clean too.
    let ticket = app.ticket_text().unwrap();
    assert!(
        ticket.contains("0b1c9f8e-2a3d-4e5f-8a9b-1c2d3e4f5a6b"),
        "{ticket}"
    );
    assert!(
        !ticket.chars().any(|c| c.is_control() && c != '\n'),
        "{ticket:?}"
    );
}

/// The command-line commands print what guides, file names and sessions hold, escaped: a guide
/// file whose name and text are full of sequences, through `check`, `list`, `show`, `test`
/// and `ticket`, leaves no ESC, BEL, CR or C1 byte on standard output or standard error.
#[test]
fn command_output_shows_control_characters_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A guide that loads (its title holds the sequences) and one that does not (its id does),
    // both in files whose names hold sequences too.
    std::fs::write(
        d.join("evil\x1b]0;pwned\x07\x1b[2J\u{9b}31m.toml"),
        hostile_guide().replace("AADSTS50143", "EVIL1"),
    )
    .unwrap();
    std::fs::write(
        d.join("broken\x1b[5m.toml"),
        format!("format = 1\nid = \"B{EVIL}\"\ntitle = \"{EVIL}\"\n"),
    )
    .unwrap();
    let dir_arg = d.to_str().unwrap();
    let runs: [&[&str]; 7] = [
        &["check", dir_arg],
        &["test", dir_arg],
        &["list", "--guides", dir_arg],
        &["list", "--json", "--guides", dir_arg],
        &["show", "EVIL1", "--guides", dir_arg],
        &[
            "ticket",
            "EVIL1",
            "--guides",
            dir_arg,
            "--set",
            "error_code=\x1b[2JX",
        ],
        &["show", "B\x1b[2J", "--guides", dir_arg],
    ];
    for args in runs {
        let home = tempfile::tempdir().unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tshoot"))
            .args(args)
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("TSHOOT_CACHE_DIR", home.path().join("cache"))
            .env_remove("TSHOOT_GUIDES")
            .output()
            .unwrap();
        for (what, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let text = String::from_utf8_lossy(bytes);
            let bad: Vec<char> = text
                .chars()
                .filter(|&c| c.is_control() && c != '\n' && c != '\t')
                .collect();
            assert!(
                bad.is_empty(),
                "tshoot {args:?}: {what} holds {bad:?}:\n{text}"
            );
        }
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!all.contains("panicked"), "{all}");
        // The file names are still there to read, escaped.
        if args[0] == "check" {
            assert!(all.contains("broken\\u{1b}[5m.toml"), "{all}");
        }
    }
}
