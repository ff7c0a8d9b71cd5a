//! `tshoot test` (replay cases) and `tshoot new` (the starter guide) on the real binary. The
//! point of `tshoot test` is that a broken case fails the build: CI runs it on
//! `assets/guides`, and here a broken copy of the bundled guide must exit 1.

use crate::common::tshoot;
use std::path::Path;
use std::process::Output;

const BUNDLED: &str = include_str!("../assets/guides/aadsts50143.toml");

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A folder holding one guide file with `text`.
fn folder(name: &str, text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), text).unwrap();
    let path = dir.path().display().to_string();
    (dir, path)
}

#[test]
fn the_bundled_guide_passes_its_cases() {
    let mut headers = Vec::new();
    for args in [&["test", "assets/guides"][..], &["test"]] {
        let o = tshoot(args);
        let text = stdout(&o);
        assert_eq!(o.status.code(), Some(0), "{text}");
        // Compiled in or read from the folder: the same library, every guide in
        // assets/guides (each is bundled), so the same header line.
        let guides = std::fs::read_dir("assets/guides")
            .unwrap()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
            .count();
        assert_eq!(guides, tshoot::guide::load::BUNDLED.len());
        let first = text.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("running ")
                && first.ends_with(&format!(" replay cases from {guides} guides")),
            "{text}"
        );
        headers.push(first.to_owned());
        for name in [
            "wrong-tenant",
            "resource-in-another-tenant",
            "session-switch",
            "session-switch-hint-confirmed",
            "nothing-known",
        ] {
            assert!(
                text.contains(&format!("test AADSTS50143::{name} ... ok\n")),
                "{name}: {text}"
            );
        }
        assert!(
            text.ends_with(" passed, 0 failed\n") && text.contains("test result: ok. "),
            "{text}"
        );
        // Every case ran and passed: the total is the number of `... ok` lines.
        let ok = text.lines().filter(|l| l.ends_with(" ... ok")).count();
        assert!(
            text.ends_with(&format!("test result: ok. {ok} passed, 0 failed\n")),
            "{text}"
        );
        assert!(
            first.starts_with(&format!("running {ok} replay cases ")),
            "{text}"
        );
    }
    assert_eq!(
        headers[0], headers[1],
        "the folder and the compiled-in library differ"
    );
}

#[test]
fn a_broken_case_fails_with_expected_and_got() {
    let broken = BUNDLED.replacen(
        "expect_checklist = [\"domain-verification\", \"force-reauthentication\"]",
        "expect_checklist = [\"force-reauthentication\"]",
        1,
    );
    assert_ne!(broken, BUNDLED);
    let (_dir, path) = folder("aadsts50143.toml", &broken);
    let o = tshoot(&["test", &path]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains("test AADSTS50143::wrong-tenant ... FAILED\n"),
        "{text}"
    );
    assert!(
        text.contains("test AADSTS50143::nothing-known ... ok\n"),
        "{text}"
    );
    assert!(
        text.contains("\n---- AADSTS50143::wrong-tenant ("),
        "{text}"
    );
    assert!(
        text.contains(
            "  checklist: expected it to start with [\"force-reauthentication\"], got [\"domain-verification\", \"force-reauthentication\""
        ),
        "{text}"
    );
    assert!(
        text.ends_with("test result: FAILED. 4 passed, 1 failed\n"),
        "{text}"
    );
    // The guide itself is fine: `check` has nothing to say.
    assert_eq!(tshoot(&["check", &path]).status.code(), Some(0));
}

#[test]
fn a_case_whose_answer_is_gone_fails_check_and_test_but_the_guide_loads() {
    // The answer is reworded in the guide, not in the case.
    let reworded = BUNDLED.replacen(
        "{ label = \"No, the user signs in with another tenant or domain\"",
        "{ label = \"No, another tenant or domain\"",
        1,
    );
    let (_dir, path) = folder("aadsts50143.toml", &reworded);
    let o = tshoot(&["check", &path]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains(
            "error: replay case \"wrong-tenant\": step \"verify-sign-in\" has no answer \"No, the user signs in with another tenant or domain\"; it offers 1 \"Yes, the expected tenant and domain\", 2 \"No, another tenant or domain\", 3 \"Not known yet\" [case-answer]"
        ),
        "{text}"
    );
    let o = tshoot(&["test", &path]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("test AADSTS50143::wrong-tenant ... FAILED"));
    // Engineers can still open it: a stale test does not take the guide away.
    let o = tshoot(&["--guides", &path, "show", "AADSTS50143"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("No, another tenant or domain"));
}

#[test]
fn a_guide_that_does_not_load_fails_the_run() {
    let (_dir, path) = folder("bad.toml", "format = 1\nid = \n");
    let o = tshoot(&["test", &path]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains("bad.toml ... FAILED (the guide did not load)"),
        "{text}"
    );
    assert!(
        text.contains("test result: FAILED. 0 passed, 1 failed"),
        "{text}"
    );
}

#[test]
fn cases_can_live_beside_the_guide() {
    let (guide, cases) = BUNDLED
        .split_once("# --- Replay cases")
        .expect("the bundled guide has a replay cases section");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("aadsts50143.toml"), guide).unwrap();
    std::fs::write(
        dir.path().join("aadsts50143.cases.toml"),
        format!("# --- Replay cases{cases}"),
    )
    .unwrap();
    let path = dir.path().display().to_string();
    let o = tshoot(&["test", &path]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("5 passed, 0 failed"), "{}", stdout(&o));
    // `check` on the folder or on the cases file checks the pair, and only lists the guide.
    for p in [path.clone(), format!("{path}/aadsts50143.cases.toml")] {
        let o = tshoot(&["check", &p]);
        assert_eq!(
            stdout(&o),
            "checked 1 guide file: 0 errors, 0 warnings\n",
            "{p}"
        );
    }

    // A problem in the cases file is reported at its place in that file.
    let cases_path = dir.path().join("aadsts50143.cases.toml");
    let broken = format!("# --- Replay cases{cases}").replacen(
        "expect_suspected = [\"incorrect-domain-hint\"]",
        "expect_suspected = [\"incorrect-domain-hnit\"]",
        1,
    );
    std::fs::write(&cases_path, &broken).unwrap();
    let o = tshoot(&["check", &path]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    let line = broken
        .lines()
        .position(|l| l.contains("incorrect-domain-hnit"))
        .unwrap()
        + 1;
    assert!(
        text.contains(&format!(
            "{}:{line}:21: error: replay case \"wrong-tenant\" names \"incorrect-domain-hnit\", which is not an issue [case-reference]",
            cases_path.display()
        )),
        "{text}"
    );
    assert!(
        text.contains("did you mean \"incorrect-domain-hint\"?"),
        "{text}"
    );
}

#[test]
fn new_writes_a_starter_that_checks_and_tests_clean() {
    let o = tshoot(&["new", "AADSTS70011"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let printed = stdout(&o);
    assert!(printed.contains("id = \"AADSTS70011\""));
    assert!(printed.contains("aliases = [\"70011\"]"));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("aadsts70011.toml");
    let f = file.to_str().unwrap();
    let o = tshoot(&["new", "AADSTS70011", "-o", f]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), printed);
    assert!(stderr(&o).contains("tshoot preview"), "{}", stderr(&o));

    let o = tshoot(&["check", f]);
    assert_eq!(stdout(&o), "checked 1 guide file: 0 errors, 0 warnings\n");
    let o = tshoot(&["test", f]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("4 passed, 0 failed"), "{}", stdout(&o));

    // An existing file is kept unless --force.
    std::fs::write(&file, "mine").unwrap();
    let o = tshoot(&["new", "AADSTS70011", "-o", f]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("exists; --force overwrites it"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
    let o = tshoot(&["new", "AADSTS70011", "-o", f, "--force"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), printed);

    let o = tshoot(&["new", "two words"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("holds spaces"), "{}", stderr(&o));
    assert!(!Path::new(&dir.path().join("two words")).exists());
}
