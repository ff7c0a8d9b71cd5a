//! `tshoot check` as a linter: every rule of `guide::diag::RULES` has a failing example, named
//! after its code, in `tests/lint/`, and each example fires its rule and no other (a line
//! `# also: code, ...` names companions that cannot be avoided). The four rules about the file
//! itself (unreadable, too large, binary, not UTF-8) are shown with files written here instead
//! of committed.

use crate::common::tshoot;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use tshoot::guide::diag::{RULES, rule_of};

/// Rules whose example is written by [`file_level_rules_fire`], not committed.
const WRITTEN_HERE: [&str; 4] = ["unreadable", "too-large", "binary", "not-utf8"];

/// `tshoot check --format json ARGS`: the codes found, by file.
fn codes_by_file(args: &[&str]) -> (Option<i32>, BTreeMap<String, BTreeSet<String>>) {
    let mut all = vec!["check", "--format", "json"];
    all.extend(args);
    let o = tshoot(&all);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let mut by: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for d in v["diagnostics"].as_array().expect("diagnostics") {
        let code = d["code"].as_str().unwrap_or("<none>").to_owned();
        let rule = rule_of(&code).unwrap_or_else(|| panic!("unknown code in {d}"));
        if code != "too-many-problems" {
            assert_eq!(
                serde_json::to_value(rule.severity).unwrap(),
                d["severity"],
                "{d}"
            );
        }
        by.entry(d["path"].as_str().unwrap_or("").to_owned())
            .or_default()
            .insert(code);
    }
    (o.status.code(), by)
}

fn examples() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("tests/lint")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_rule_has_a_failing_example() {
    let files = examples();
    let mut missing = Vec::new();
    for r in RULES {
        let file = format!("{}.toml", r.code);
        if !files.contains(&file) && !WRITTEN_HERE.contains(&r.code) {
            missing.push(r.code);
        }
    }
    assert!(
        missing.is_empty(),
        "rules without tests/lint/CODE.toml: {missing:?}"
    );
    for f in &files {
        let code = f.strip_suffix(".toml").unwrap_or(f);
        assert!(
            rule_of(code).is_some(),
            "tests/lint/{f} is named after no rule"
        );
    }
    let codes: BTreeSet<&str> = RULES.iter().map(|r| r.code).collect();
    assert_eq!(codes.len(), RULES.len(), "a code is listed twice");
}

#[test]
fn each_example_fires_its_rule_and_no_other() {
    // One file at a time: in a folder, guides of the same id override each other.
    let mut wrong = Vec::new();
    for f in examples() {
        let code = f.strip_suffix(".toml").unwrap_or(&f).to_owned();
        let path = format!("tests/lint/{f}");
        let (_, by) = codes_by_file(&[&path]);
        let source = std::fs::read_to_string(&path).unwrap();
        let mut expected: BTreeSet<String> = source
            .lines()
            .filter_map(|l| l.strip_prefix("# also:"))
            .flat_map(|l| l.split(',').map(|c| c.trim().to_owned()))
            .collect();
        expected.insert(code);
        let got = by.get(&path).cloned().unwrap_or_default();
        if got != expected {
            wrong.push(format!("{path}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn errors_fail_the_check_and_warnings_do_not() {
    for f in examples() {
        let code = f.strip_suffix(".toml").unwrap_or(&f);
        let rule = rule_of(code).unwrap();
        let path = format!("tests/lint/{f}");
        let o = tshoot(&["check", &path]);
        let text = String::from_utf8_lossy(&o.stdout).into_owned();
        let severity = serde_json::to_value(rule.severity).unwrap();
        let expected_exit = i32::from(severity == "error");
        // "too-many-problems" is as bad as the worst problem it counts.
        if code != "too-many-problems" {
            assert_eq!(o.status.code(), Some(expected_exit), "{path}:\n{text}");
        }
        // The text output names the rule at the end of the headline.
        assert!(
            text.lines()
                .any(|l| l.starts_with(&path) && l.ends_with(&format!("[{code}]"))),
            "{path}:\n{text}"
        );
    }
}

#[test]
fn file_level_rules_fire() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p.display().to_string()
    };
    let binary = write("binary.toml", b"format = 1\nid = \"A\0B\"\n");
    let latin1 = write("not-utf8.toml", b"format = 1\ntitle = \"Caf\xe9\"\n");
    let big = write(
        "too-large.toml",
        &vec![b'#'; tshoot::guide::validate::MAX_GUIDE_BYTES + 1],
    );
    let gone = dir.path().join("unreadable.toml").display().to_string();
    for (path, code) in [
        (binary, "binary"),
        (latin1, "not-utf8"),
        (big, "too-large"),
        (gone, "unreadable"),
    ] {
        let (exit, by) = codes_by_file(&[&path]);
        assert_eq!(exit, Some(1), "{path}");
        assert_eq!(
            by.get(&path).cloned().unwrap_or_default(),
            BTreeSet::from([code.to_owned()]),
            "{path}: {by:?}"
        );
    }
}

#[test]
fn rules_are_listed() {
    let o = tshoot(&["check", "--rules"]);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8_lossy(&o.stdout);
    for r in RULES {
        assert!(
            text.lines()
                .any(|l| l.starts_with(r.code) && l.contains(r.summary)),
            "{} not listed:\n{text}",
            r.code
        );
    }
    let o = tshoot(&["check", "--rules", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.as_array().map(Vec::len), Some(RULES.len()));
    assert!(v[0]["code"].is_string() && v[0]["severity"].is_string());
}
