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
    }
    assert!(codes.len() >= 20, "only {} different codes", codes.len());
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
    let blob: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 256) as u8).collect();
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
