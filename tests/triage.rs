//! Paste first (issue 13): `tshoot triage` on realistic pastes, and the real binary routing a
//! paste in tmux (`tmux load-buffer` + `paste-buffer -p`, and `tshoot --paste -`).
//!
//! The pastes in `tests/fixtures/pastes/` are written for these tests in the shapes real
//! pastes have (the sign-in page's Troubleshooting details, OAuth JSON errors on one line and
//! pretty-printed, an MSAL Python dict, MSAL.NET / MSAL.js / MSAL Android exceptions, Azure CLI
//! and PowerShell output, redirect URLs with a percent-encoded `error_description`, log lines,
//! an AD FS event, a ticket that mentions another code above the real JSON error);
//! `expected.tsv` says, for each, the code that must come first, the guide it must open and
//! the correlation id that must be found.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn pastes() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pastes")
}

/// `tshoot ARGS` with `input` on standard input, in a throw-away home.
fn tshoot_stdin(args: &[&str], input: &[u8]) -> Output {
    let home = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_tshoot"))
        .args(args)
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env_remove("TSHOOT_GUIDES")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tshoot");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_vec();
    // Written from a thread: tshoot stops reading after 1 MiB, and the rest must not block.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait");
    let _ = writer.join();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("panicked"),
        "tshoot {args:?} panicked:\n{err}"
    );
    out
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).expect("JSON on stdout")
}

#[test]
fn triage_routes_every_fixture_paste_to_its_code_guide_and_meaning() {
    let table = std::fs::read_to_string(pastes().join("expected.tsv")).expect("expected.tsv");
    let mut codes = std::collections::BTreeSet::new();
    let mut opened = std::collections::BTreeSet::new();
    for row in table.lines().skip(1) {
        let [file, code, guide, correlation] = row.split('\t').collect::<Vec<_>>()[..] else {
            panic!("expected.tsv: bad row {row:?}");
        };
        let path = pastes().join(file);
        let o = crate::common::tshoot(&["triage", path.to_str().expect("path"), "--json"]);
        assert_eq!(o.status.code(), Some(0), "{file}: {o:?}");
        let v = json(&o);
        let first = &v["candidates"][0];
        assert_eq!(first["code"], code, "{file}: first code");
        assert_eq!(first["guide"], guide, "{file}: guide");
        let meaning = tshoot::codes::lookup(code).map(|e| e.meaning);
        assert_eq!(first["meaning"].as_str(), meaning, "{file}: meaning");
        assert!(first["line"].as_u64().is_some(), "{file}: line");
        let want = (!correlation.is_empty()).then_some(correlation);
        assert_eq!(
            v["values"]["correlation_id"].as_str(),
            want,
            "{file}: correlation id"
        );
        // The text form names the same code and guide.
        let o = crate::common::tshoot(&["triage", path.to_str().expect("path")]);
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains(code), "{file}:\n{text}");
        if guide == "generic" {
            assert!(
                text.contains("guide:   generic (no guide for"),
                "{file}:\n{text}"
            );
        } else {
            assert!(
                text.contains(&format!("guide:   {guide} \"")),
                "{file}:\n{text}"
            );
        }
        codes.insert(code.to_owned());
        if guide != "generic" {
            opened.insert(guide.to_owned());
        }
    }
    assert!(codes.len() >= 20, "only {} different codes", codes.len());
    // Every bundled guide (but generic) is opened by at least one paste of its code.
    let lib = tshoot::guide::Library::load(&[]);
    let missing: Vec<&str> = lib
        .guides
        .iter()
        .map(|e| e.guide.id.as_str())
        .filter(|id| *id != "generic" && !opened.contains(*id))
        .collect();
    assert!(missing.is_empty(), "no paste opens {missing:?}");
}

#[test]
fn triage_reads_standard_input() {
    let paste = std::fs::read(pastes().join("02-oauth-json-50126.txt")).expect("fixture");
    let o = tshoot_stdin(&["triage", "-", "--json"], &paste);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(json(&o)["candidates"][0]["code"], "AADSTS50126");
    let o = tshoot_stdin(&["triage"], &paste);
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("1 error code found:\nAADSTS50126"));
}

#[test]
fn a_paste_with_no_code_says_so_and_exits_1() {
    let o = tshoot_stdin(
        &["triage"],
        b"Hi, my login is broken since this morning. Help!\n",
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "tshoot: the paste holds no error code (AADSTS…, AADB2C…), request id or correlation id\n"
    );
    let o = tshoot_stdin(&["triage", "--json"], b"nothing here\n");
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(v["candidates"].as_array().map(Vec::len), Some(0));
    assert!(
        v["error"]
            .as_str()
            .is_some_and(|e| e.contains("no error code"))
    );
}

#[test]
fn a_binary_blob_is_named_binary() {
    let blob: Vec<u8> = (0..8192u32)
        .map(|i| u8::try_from(i * 7 % 256).unwrap())
        .collect();
    let o = tshoot_stdin(&["triage"], &blob);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("the paste looks like binary data, not text, and holds no error code"),
        "{err}"
    );
}

#[test]
fn a_10_mib_paste_is_read_to_1_mib_and_says_what_was_left_out() {
    let mut big = b"AADSTS50126: Error validating credentials\n".to_vec();
    while big.len() < 10 * 1024 * 1024 {
        big.extend_from_slice(b"2026-03-02T10:11:12Z INFO nothing to see here, 12345 items\n");
    }
    big.extend_from_slice(b"AADSTS50143 at the very end\n");
    // From a file: the size left out is known.
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("big.txt");
    std::fs::write(&file, &big).expect("write");
    let o = crate::common::tshoot(&["triage", file.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.starts_with("1 error code found:\nAADSTS50126"),
        "{text}"
    );
    let left = big.len() - 1024 * 1024;
    assert!(
        text.contains(&format!(
            "the paste is longer than 1 MiB: only its first 1048576 bytes (1 MiB) were read; {left} more were left out"
        )),
        "{text}"
    );
    // From standard input: reading stops at 1 MiB, and that is what it says.
    let o = tshoot_stdin(&["triage", "-", "--json"], &big);
    let v = json(&o);
    assert_eq!(v["candidates"][0]["code"], "AADSTS50126");
    assert_eq!(v["cut"]["read"], 1024 * 1024);
    assert!(v["cut"]["left_out"].is_null());
}

#[test]
fn an_unreadable_file_is_a_clear_error() {
    let o = crate::common::tshoot(&["triage", "/nonexistent/error.txt"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("tshoot: cannot read the pasted text from /nonexistent/error.txt:"),
        "{err}"
    );
}

// --- the picker with a paste: key tests on the app state ---------------------------------------

mod picker {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

    use tshoot::app::{App, Msg, Overlay, Screen};
    use tshoot::picker::Item;

    fn app() -> App {
        crate::common::bundled_app(80, 24)
    }

    fn press(a: &mut App, code: KeyCode) {
        let e = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
        if let Some(m) = tshoot::input::message_for(a, &e) {
            a.update(m);
        }
    }

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(super::pastes().join(name)).expect("fixture")
    }

    fn guide_id(a: &App) -> String {
        let w = a.wiz.as_ref().expect("a case is open");
        a.lib.guides[w.guide].guide.id.to_string()
    }

    fn field(a: &App, id: &str) -> Option<String> {
        a.wiz.as_ref()?.wizard.case.fields.get(id).cloned()
    }

    /// The paste two codes of which are known, and the labelled one comes first.
    const TWO_CODES: &str = "Customer first saw AADSTS50058 on Monday.\n\
        Today the token call answers:\n\
        {\"error\":\"invalid_grant\",\"error_description\":\"AADSTS50126: Error validating credentials.\",\
        \"error_codes\":[50126],\"correlation_id\":\"7e8f9a0b-2222-4333-8444-a55566667777\"}\n";

    #[test]
    fn one_code_with_a_guide_opens_it_and_proposes_the_values() {
        let mut a = app();
        let paste = fixture("01-signin-page-50076.txt");
        a.update(Msg::Paste(paste.clone()));
        assert_eq!(a.screen, Screen::Wizard);
        assert_eq!(guide_id(&a), "AADSTS50076");
        let w = a.wiz.as_ref().unwrap();
        assert_eq!(w.overlay, Some(Overlay::Proposal));
        assert_eq!(
            w.session.code, None,
            "the guide's own code is not recorded apart"
        );
        assert!(
            w.session
                .paste
                .as_deref()
                .is_some_and(|p| p.contains("Troubleshooting details"))
        );
        press(&mut a, KeyCode::Enter);
        assert_eq!(
            field(&a, "correlation_id").as_deref(),
            Some("ecdef400-1ce2-495a-ac8c-2593d69825f0")
        );
        assert!(
            a.status
                .as_ref()
                .is_some_and(|s| s.text.starts_with("filled "))
        );
        // The case with its paste is what gets saved.
        let saved = a.take_save().expect("a change to save");
        assert!(saved.paste.is_some());
    }

    #[test]
    fn several_codes_show_candidate_rows_and_enter_opens_the_highlighted_one() {
        let mut a = app();
        a.update(Msg::Paste(TWO_CODES.to_owned()));
        assert_eq!(a.screen, Screen::Picker);
        assert_eq!(
            a.picker.items[..2],
            [Item::Candidate(0), Item::Candidate(1)]
        );
        assert_eq!(a.picker.selected(), Some(Item::Candidate(0)));
        let status = a.status.clone().expect("status").text;
        assert_eq!(
            status,
            "2 codes in the paste, AADSTS50126 first (line 3): Enter opens one with the paste"
        );
        // The second row is the code mentioned first.
        press(&mut a, KeyCode::Down);
        press(&mut a, KeyCode::Enter);
        assert_eq!(guide_id(&a), "AADSTS50058");
        let w = a.wiz.as_ref().unwrap();
        assert_eq!(w.overlay, Some(Overlay::Proposal));
        // The code chosen is the one kept, though the router put AADSTS50126 first: the
        // proposal does not replace the guide's code with another.
        let p = w.proposal.as_ref().expect("proposal");
        assert!(!p.fields.iter().any(|f| f.0 == "error_code"), "{p:?}");
        press(&mut a, KeyCode::Enter);
        assert_eq!(field(&a, "error_code").as_deref(), Some("AADSTS50058"));
        // Back in the picker, the rows are gone; pasting again and Enter opens the first.
        press(&mut a, KeyCode::Esc);
        assert_eq!(a.picker.candidates(), 0);
        a.update(Msg::Paste(TWO_CODES.to_owned()));
        press(&mut a, KeyCode::Enter);
        assert_eq!(guide_id(&a), "AADSTS50126");
    }

    #[test]
    fn a_paste_about_another_code_says_so_and_offers_its_guide() {
        let mut a = app();
        a.open_query("AADSTS50143");
        a.update(Msg::Paste(fixture("01-signin-page-50076.txt")));
        assert_eq!(
            a.status.as_ref().map(|s| s.text.as_str()),
            Some(
                "the paste is about AADSTS50076, not AADSTS50143: Esc, then Enter opens AADSTS50076 with it"
            )
        );
        // The values are still proposed for this case; Esc twice: back to the picker.
        assert_eq!(a.wiz.as_ref().unwrap().overlay, Some(Overlay::Proposal));
        press(&mut a, KeyCode::Esc);
        press(&mut a, KeyCode::Esc);
        assert_eq!(a.screen, Screen::Picker);
        assert_eq!(a.picker.selected(), Some(Item::Candidate(0)));
        press(&mut a, KeyCode::Enter);
        assert_eq!(guide_id(&a), "AADSTS50076");
        assert_eq!(a.wiz.as_ref().unwrap().overlay, Some(Overlay::Proposal));
        // A paste of the case's own code says nothing of the kind.
        let mut a = app();
        a.open_query("AADSTS50076");
        a.update(Msg::Paste(fixture("01-signin-page-50076.txt")));
        assert!(a.status.is_none(), "{:?}", a.status);
    }

    #[test]
    fn typing_after_a_paste_searches_as_before() {
        let mut a = app();
        a.update(Msg::Paste(TWO_CODES.to_owned()));
        a.update(Msg::Type('5'));
        assert_eq!(a.picker.candidates(), 0);
        assert!(a.routed.is_none());
        assert!(
            !a.picker
                .items
                .iter()
                .any(|i| matches!(i, Item::Candidate(_)))
        );
        assert_eq!(a.picker.query, "5");
    }

    #[test]
    fn a_code_without_a_guide_opens_generic_for_that_code() {
        let mut a = app();
        a.update(Msg::Paste(fixture("18-signin-page-90006.txt")));
        assert_eq!(guide_id(&a), "generic");
        assert_eq!(a.code_worked(), Some("AADSTS90006"));
        assert_eq!(field(&a, "error_code").as_deref(), Some("AADSTS90006"));
        assert_eq!(a.wiz.as_ref().unwrap().overlay, Some(Overlay::Proposal));
    }

    #[test]
    fn a_long_paste_with_no_code_says_so_and_offers_generic() {
        let mut a = app();
        let text = "The user says sign-in fails on the second screen.\n".repeat(10);
        a.update(Msg::Paste(text));
        assert_eq!(a.screen, Screen::Picker);
        assert_eq!(
            a.status.as_ref().map(|s| s.text.as_str()),
            Some(
                "the paste holds no error code (AADSTS…, AADB2C…), request id or correlation id: Enter opens the generic guide, or type to search"
            )
        );
        assert_eq!(a.picker.query, "generic");
        press(&mut a, KeyCode::Enter);
        assert_eq!(guide_id(&a), "generic");
    }

    #[test]
    fn a_long_paste_with_ids_but_no_code_applies_them_to_generic() {
        let mut a = app();
        let text = format!(
            "{}Correlation Id: 7e8f9a0b-2222-4333-8444-a55566667777\n",
            "The user says sign-in fails.\n".repeat(10)
        );
        a.update(Msg::Paste(text));
        assert!(
            a.status
                .as_ref()
                .is_some_and(|s| s.text.contains("with the values it holds"))
        );
        press(&mut a, KeyCode::Enter);
        assert_eq!(guide_id(&a), "generic");
        assert_eq!(a.wiz.as_ref().unwrap().overlay, Some(Overlay::Proposal));
    }

    #[test]
    fn a_short_paste_with_no_code_types_into_the_search() {
        let mut a = app();
        a.update(Msg::Paste("session\nmore".to_owned()));
        assert_eq!(a.picker.query, "session");
        assert!(a.status.is_none());
    }

    #[test]
    fn tshoot_code_opens_generic_for_a_catalogued_code_and_for_an_unknown_one() {
        let mut a = app();
        a.open_query("AADSTS90006");
        assert_eq!(guide_id(&a), "generic");
        assert_eq!(a.code_worked(), Some("AADSTS90006"));
        assert_eq!(field(&a, "error_code").as_deref(), Some("AADSTS90006"));
        let s = a.status.clone().expect("status").text;
        assert_eq!(
            s,
            "no guide for AADSTS90006: generic opened; `tshoot new AADSTS90006` starts one"
        );
        // Nothing to save until the engineer changes the case.
        assert!(a.take_save().is_none());
        let mut a = app();
        a.open_query("aadsts99999");
        assert_eq!(guide_id(&a), "generic");
        assert_eq!(a.code_worked(), Some("AADSTS99999"));
        let s = a.status.clone().expect("status").text;
        assert_eq!(
            s,
            "AADSTS99999 is not in the catalogue and has no guide: generic opened"
        );
        // A code with a guide still opens its own guide; a word still searches.
        let mut a = app();
        a.open_query("50076");
        assert_eq!(guide_id(&a), "AADSTS50076");
        assert_eq!(a.code_worked(), None);
        let mut a = app();
        a.open_query("session");
        assert_eq!(a.screen, Screen::Picker);
    }

    #[test]
    fn resume_keeps_the_code_worked() {
        let mut a = app();
        a.open_query("AADSTS90006");
        press(&mut a, KeyCode::Char('1'));
        let saved = a.take_save().expect("saved");
        assert_eq!(saved.code.as_deref(), Some("AADSTS90006"));
        let mut b = app();
        b.resume(saved).expect("resume");
        assert_eq!(b.code_worked(), Some("AADSTS90006"));
    }

    // --- snapshots ------------------------------------------------------------------------

    fn draw(a: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        a.update(Msg::Resize(w, h));
        t.draw(|f| tshoot::ui::draw(f, a)).expect("draw");
        t
    }

    #[test]
    fn snapshots_of_the_candidate_rows_and_the_generic_guide_for_a_code() {
        for (w, h) in [(80, 24), (120, 40)] {
            let mut a = app();
            a.update(Msg::Paste(TWO_CODES.to_owned()));
            let status = a.status.clone();
            let mut t = draw(&mut a, w, h);
            a.status = status;
            t.draw(|f| tshoot::ui::draw(f, &a)).expect("draw");
            insta::assert_snapshot!(format!("paste_two_codes_{w}x{h}"), t.backend());
            let mut a = app();
            a.open_query("AADSTS90006");
            let t = draw(&mut a, w, h);
            insta::assert_snapshot!(format!("generic_for_aadsts90006_{w}x{h}"), t.backend());
        }
    }
}

// --- the real binary in tmux -------------------------------------------------------------------

mod tmux {
    use std::path::{Path, PathBuf};

    use crate::common::{Tmux, require};

    /// Single-quote for sh.
    fn q(s: &str) -> String {
        format!("'{}'", s.replace('\'', r"'\''"))
    }

    /// A throw-away home and data folder, and the sh line that runs `run` in them.
    struct Home {
        dir: tempfile::TempDir,
    }

    impl Home {
        fn new() -> Self {
            Self {
                dir: tempfile::tempdir().expect("temp dir"),
            }
        }

        fn data(&self) -> PathBuf {
            self.dir.path().join("data")
        }

        fn script(&self, run: &str) -> String {
            let d = self.dir.path().display().to_string();
            format!(
                "sh -c {}",
                q(&format!(
                    "export HOME={h} XDG_CONFIG_HOME={h}/config TSHOOT_DATA_DIR={data}; unset TSHOOT_GUIDES TSHOOT_CONFIG NO_COLOR; {run}; echo EXITED:$?; sleep 30",
                    h = q(&d),
                    data = q(&self.data().display().to_string()),
                ))
            )
        }

        /// The fields of the one saved case.
        fn saved_fields(&self) -> serde_json::Value {
            let dir = self.data().join("sessions");
            let mut found = Vec::new();
            let ok = crate::common::wait_until(crate::common::PATIENCE, || {
                found = std::fs::read_dir(&dir)
                    .map(|d| {
                        d.filter_map(Result::ok)
                            .map(|e| e.path())
                            .filter(|p| p.extension().is_some_and(|x| x == "json"))
                            .collect()
                    })
                    .unwrap_or_default();
                found.len() == 1
            });
            assert!(ok, "one saved case in {}: {found:?}", dir.display());
            let v: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&found[0]).expect("read")).expect("JSON");
            v["case"]["fields"].clone()
        }
    }

    fn tshoot() -> String {
        q(env!("CARGO_BIN_EXE_tshoot"))
    }

    fn fixture(name: &str) -> PathBuf {
        super::pastes().join(name)
    }

    fn paste(t: &Tmux, file: &Path) {
        let out = t.tmux(&["load-buffer", file.to_str().expect("path")]);
        assert!(out.status.success(), "load-buffer");
        // -p: bracketed, as a terminal pastes into an app that asked for it.
        let out = t.tmux(&["paste-buffer", "-p"]);
        assert!(out.status.success(), "paste-buffer");
    }

    #[test]
    fn a_paste_into_the_picker_opens_the_right_guide_with_the_fields_filled() {
        if !require(&["tmux"], "apt-get install -y tmux") {
            return;
        }
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            let home = Home::new();
            let t = Tmux::start(w, h, "paste-picker", &home.script(&tshoot()));
            t.wait_text("find a guide");
            paste(&t, &fixture("01-signin-page-50076.txt"));
            let screen = t.wait_text("Found in the pasted text:");
            assert!(screen.contains("AADSTS50076"), "{w}x{h}:\n{screen}");
            assert!(
                screen.contains("ecdef400-1ce2-495a-ac8c-2593d69825f0"),
                "{w}x{h}:\n{screen}"
            );
            t.keys(&["Enter"]);
            t.wait_text("from the pasted text");
            let fields = home.saved_fields();
            assert_eq!(
                fields["correlation_id"], "ecdef400-1ce2-495a-ac8c-2593d69825f0",
                "{w}x{h}"
            );
            assert_eq!(
                fields["request_id"], "65f454af-1193-4a8c-a400-5cdd3cd7affa",
                "{w}x{h}"
            );
            t.keys(&["C-c"]);
            t.wait_text("EXITED:0");
        }
    }

    #[test]
    fn a_paste_of_a_code_without_a_guide_opens_generic_for_it() {
        if !require(&["tmux"], "apt-get install -y tmux") {
            return;
        }
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            let home = Home::new();
            let t = Tmux::start(w, h, "paste-generic", &home.script(&tshoot()));
            t.wait_text("find a guide");
            paste(&t, &fixture("18-signin-page-90006.txt"));
            t.wait_text("Found in the pasted text:");
            t.keys(&["Enter"]);
            let screen = t.wait_text("from the pasted text");
            assert!(
                screen.contains("AADSTS90006 · generic"),
                "{w}x{h}:\n{screen}"
            );
            // The meaning is in the diagnostics pane (at 80 columns one pane shows: go there).
            if w < 90 {
                t.keys(&["Tab"]);
            }
            t.wait_text("(ExternalServerRetryableError)");
            let fields = home.saved_fields();
            assert_eq!(fields["error_code"], "AADSTS90006", "{w}x{h}");
            assert_eq!(
                fields["correlation_id"], "ea05895d-9eed-4496-a7d8-e4786d50b3bb",
                "{w}x{h}"
            );
            t.keys(&["C-c"]);
            t.wait_text("EXITED:0");
        }
    }

    #[test]
    fn paste_from_standard_input_then_keys_from_the_terminal() {
        if !require(&["tmux"], "apt-get install -y tmux") {
            return;
        }
        let home = Home::new();
        let file = fixture("02-oauth-json-50126.txt");
        let run = format!(
            "cat {} | {} --paste -",
            q(file.to_str().expect("path")),
            tshoot()
        );
        let t = Tmux::start(80, 24, "paste-stdin", &home.script(&run));
        let screen = t.wait_text("Found in the pasted text:");
        assert!(screen.contains("AADSTS50126"), "{screen}");
        // Keys reach it although standard input is the pipe.
        t.keys(&["Enter"]);
        t.wait_text("from the pasted text");
        assert_eq!(
            home.saved_fields()["correlation_id"],
            "d4478d6e-19b7-4484-a237-3b4a7ff9aa0b"
        );
        t.keys(&["C-c"]);
        t.wait_text("EXITED:0");
    }

    #[test]
    fn several_codes_pasted_show_candidate_rows() {
        if !require(&["tmux"], "apt-get install -y tmux") {
            return;
        }
        let home = Home::new();
        let t = Tmux::start(80, 24, "paste-several", &home.script(&tshoot()));
        t.wait_text("find a guide");
        paste(&t, &fixture("21-ticket-mention-then-json-50079.txt"));
        let screen = t.wait_text("matches AADSTS50143 from line 1");
        assert!(
            screen.contains("matches AADSTS50079 from line 5"),
            "{screen}"
        );
        t.keys(&["Enter"]);
        let screen = t.wait_text("Found in the pasted text:");
        assert!(screen.contains("AADSTS50079 ·"), "{screen}");
        // The codes are proposed in the router's order: the one opened first, not the one
        // the ticket mentioned first.
        assert!(
            screen.contains("Error codes: AADSTS50079, AADSTS50143"),
            "{screen}"
        );
        t.keys(&["C-c"]);
        t.wait_text("EXITED:0");
    }
}
