//! `tshoot check` on the real binary: every file in `tests/broken/` holds exactly one problem
//! (a copy of `tests/valid-base.toml` broken in one place), and each must fail with exit code 1
//! and the exact `path:line:col: error: message` headline, plus the "did you mean" where a near
//! name exists. Binary and non-UTF-8 files are written to a temporary folder by the test rather
//! than committed.

use crate::common::tshoot;
use std::path::Path;
use std::process::Output;

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// One broken file: its name, the rule it breaks, the exact first error headline (without the
/// ` [code]` that ends it), other text the output must hold, and how many errors the summary
/// counts.
struct Case {
    file: &'static str,
    code: &'static str,
    headline: &'static str,
    also: &'static [&'static str],
    errors: usize,
}

const CASES: &[Case] = &[
    Case {
        file: "syntax-error",
        code: "syntax",
        headline: "6:8: error: unclosed array table, expected `]`",
        also: &["6 | [[step]\n"],
        errors: 1,
    },
    Case {
        file: "wrong-type",
        code: "wrong-type",
        headline: "4:9: error: invalid type: integer `3`, expected a string",
        also: &["4 | title = 3\n  |         ^\n"],
        errors: 1,
    },
    Case {
        file: "unknown-key",
        code: "unknown-key",
        headline: "9:1: error: unknown field `asks`, expected one of `id`, `title`, `text`, `ask`, `next`, `answers`",
        also: &["= help: did you mean \"ask\"?"],
        errors: 1,
    },
    Case {
        file: "missing-key",
        code: "missing-key",
        headline: "15:1: error: missing field `title`",
        also: &["15 | [[step]]", "= help: add the missing key to this table"],
        errors: 1,
    },
    Case {
        file: "unknown-next",
        code: "unknown-next",
        headline: "11:27: error: `next` names \"reveiw-context\", which is not a step or a stage",
        also: &[
            "= help: did you mean \"review-context\"?",
            "   |                           ^^^^^^^^^^^^^^^^\n",
        ],
        errors: 1,
    },
    Case {
        file: "unknown-suspect",
        code: "unknown-suspect",
        headline: "12:30: error: `suspect` names \"wrong-tennant\", which is not an issue",
        also: &["= help: did you mean \"wrong-tenant\"?"],
        errors: 1,
    },
    Case {
        file: "unknown-fixes",
        code: "unknown-fixes",
        headline: "23:10: error: `fixes` names \"switch-tenants\", which is not a resolution",
        also: &["= help: did you mean \"switch-tenant\"?"],
        errors: 1,
    },
    Case {
        file: "duplicate-step",
        code: "duplicate-id",
        headline: "16:6: error: duplicate step id \"verify-sign-in\"",
        also: &["the first \"verify-sign-in\" is on line 7"],
        errors: 1,
    },
    Case {
        file: "unreachable-step",
        code: "unreachable-step",
        headline: "17:6: error: step \"review-context\" cannot be reached from the first step \"verify-sign-in\"",
        also: &[],
        errors: 1,
    },
    Case {
        file: "loop-no-exit",
        code: "no-way-out",
        headline: "7:6: error: step \"verify-sign-in\" is in a loop with no way out (verify-sign-in -> review-context)",
        also: &[
            "16:6: error: step \"review-context\" is in a loop with no way out",
            "next = \"issues\"",
        ],
        errors: 2,
    },
    Case {
        file: "template-unknown-field",
        code: "unknown-placeholder",
        headline: "33:7: error: the ticket template names {usr}, which is not a field",
        also: &[
            "33 | User: {usr}\n   |       ^^^^^\n",
            "= help: did you mean \"user\"?",
        ],
        errors: 1,
    },
    Case {
        file: "template-unclosed",
        code: "template-syntax",
        headline: "34:7: error: ticket template: a `{` is never closed",
        also: &["34 | Done: {tenant\n   |       ^\n"],
        errors: 1,
    },
    Case {
        file: "future-format",
        code: "unsupported-format",
        headline: "2:10: error: guide format 2 is not supported; this tshoot reads format 1",
        also: &["= help: update tshoot to read this guide"],
        errors: 1,
    },
    Case {
        file: "answers-without-ask",
        code: "answers-without-ask",
        headline: "7:6: error: step \"verify-sign-in\" has answers but no question",
        also: &["add `ask = "],
        errors: 1,
    },
    Case {
        file: "ask-without-answers",
        code: "ask-without-answers",
        headline: "16:6: error: step \"review-context\" asks a question but offers no answers",
        also: &[],
        errors: 1,
    },
    Case {
        file: "reserved-step-id",
        code: "reserved-step-id",
        headline: "16:6: error: \"issues\" is reserved for the stage of that name and cannot be a step id",
        also: &[],
        errors: 1,
    },
    Case {
        file: "empty",
        code: "empty-file",
        headline: "1:1: error: the file is empty",
        also: &[],
        errors: 1,
    },
];

/// The first line that is an error headline.
fn first_error(text: &str) -> &str {
    text.lines()
        .find(|l| l.contains(": error: "))
        .unwrap_or_else(|| panic!("no error headline in:\n{text}"))
}

fn summary_errors(text: &str) -> usize {
    let line = text
        .lines()
        .find(|l| l.starts_with("checked "))
        .unwrap_or_else(|| panic!("no summary in:\n{text}"));
    let n = line.split(": ").nth(1).and_then(|r| r.split(' ').next());
    n.and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("bad summary {line}"))
}

#[test]
fn the_base_of_the_broken_guides_is_clean() {
    let o = tshoot(&["check", "tests/valid-base.toml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(stdout(&o), "checked 1 guide file: 0 errors, 0 warnings\n");
}

#[test]
fn every_broken_guide_fails_with_its_exact_headline() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut covered: Vec<String> = CASES.iter().map(|c| format!("{}.toml", c.file)).collect();
    covered.sort();
    assert_eq!(
        on_disk, covered,
        "every file in tests/broken has a case here"
    );

    let mut failures = Vec::new();
    for case in CASES {
        let path = format!("tests/broken/{}.toml", case.file);
        let o = tshoot(&["check", &path]);
        let text = stdout(&o);
        let expected = format!("{path}:{} [{}]", case.headline, case.code);
        if o.status.code() != Some(1) {
            failures.push(format!("{path}: exit {:?}, not 1", o.status.code()));
        }
        if first_error(&text) != expected {
            failures.push(format!(
                "{path}:\n  expected {expected}\n  got      {}",
                first_error(&text)
            ));
        }
        for also in case.also {
            if !text.contains(also) {
                failures.push(format!("{path}: output lacks {also:?}:\n{text}"));
            }
        }
        if summary_errors(&text) != case.errors {
            failures.push(format!(
                "{path}: {} errors, expected {}:\n{text}",
                summary_errors(&text),
                case.errors
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn binary_and_non_utf8_files_are_refused_with_a_location() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("binary.toml");
    std::fs::write(&binary, b"format = 1\nid = \"BIN\0ARY\"\n\x00\x01\x02").unwrap();
    let latin1 = dir.path().join("latin1.toml");
    std::fs::write(&latin1, b"format = 1\nid = \"X\"\ntitle = \"Caf\xe9\"\n").unwrap();

    let o = tshoot(&["check", binary.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        first_error(&stdout(&o)),
        format!(
            "{}:2:10: error: file holds a NUL byte: it is binary, not a TOML guide [binary]",
            binary.display()
        )
    );

    let o = tshoot(&["check", latin1.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        first_error(&stdout(&o)),
        format!(
            "{}:3:13: error: file is not valid UTF-8 text [not-utf8]",
            latin1.display()
        )
    );
    assert!(stdout(&o).contains("= help: save the guide as UTF-8"));
}

#[test]
fn a_folder_of_broken_guides_reports_them_all() {
    let o = tshoot(&["check", "tests/broken"]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    for case in CASES {
        assert!(
            text.contains(&format!("tests/broken/{}.toml:", case.file)),
            "{} missing from:\n{text}",
            case.file
        );
    }
    let total: usize = CASES.iter().map(|c| c.errors).sum();
    assert_eq!(summary_errors(&text), total, "{text}");
    assert!(text.contains(&format!("checked {} guide files", CASES.len())));
}

#[test]
fn bundled_guides_check_clean() {
    let o = tshoot(&["check", "assets/guides"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let text = stdout(&o);
    assert!(text.contains("0 errors"), "{text}");
    assert!(text.contains("0 warnings"), "{text}");
    // With no paths, `check` looks at every guide tshoot loads: here only the bundled ones.
    let o = tshoot(&["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("0 errors"));
}

#[test]
fn json_output_carries_lines_and_columns() {
    let o = tshoot(&[
        "check",
        "--format",
        "json",
        "tests/broken/unknown-next.toml",
        "tests/warnings.toml",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value =
        serde_json::from_slice(&o.stdout).expect("check --format json is JSON");
    assert_eq!(v["files"], 2);
    assert_eq!(v["errors"], 1);
    assert_eq!(v["warnings"], 5);
    let diags = v["diagnostics"].as_array().unwrap();
    let err = diags
        .iter()
        .find(|d| d["severity"] == "error")
        .expect("an error");
    assert_eq!(err["path"], "tests/broken/unknown-next.toml");
    assert_eq!(
        (err["line"].as_u64(), err["col"].as_u64()),
        (Some(11), Some(27))
    );
    assert_eq!(err["help"], "did you mean \"review-context\"?");
    assert_eq!(err["code"], "unknown-next");
    for d in diags {
        let code = d["code"].as_str().unwrap_or_default();
        assert!(tshoot::guide::diag::rule_of(code).is_some(), "{d}");
        assert!(d["line"].as_u64().unwrap() >= 1, "{d}");
        assert!(d["col"].as_u64().unwrap() >= 1, "{d}");
        assert!(d["message"].as_str().is_some_and(|m| !m.is_empty()), "{d}");
    }
}

#[test]
fn warnings_are_printed_and_do_not_fail() {
    let o = tshoot(&["check", "tests/warnings.toml"]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}");
    for headline in [
        "tests/warnings.toml:9:7: warning: link \"wiki/sign-in\" is not an http(s) address [link-not-http]",
        "tests/warnings.toml:26:6: warning: no answer suspects issue \"never-suspected\" [unsuspected-issue]",
        "tests/warnings.toml:26:6: warning: issue \"never-suspected\" lists no resolutions in `fixes` [issue-without-fixes]",
        "tests/warnings.toml:35:6: warning: no issue lists resolution \"orphan-fix\" in its `fixes` [unlinked-resolution]",
        "tests/warnings.toml:47:6: warning: ticket field \"spare\" is never used by the template [unused-field]",
    ] {
        assert!(
            text.lines().any(|l| l == headline),
            "{headline} not in:\n{text}"
        );
    }
    assert!(
        text.ends_with("checked 1 guide file: 0 errors, 5 warnings\n"),
        "{text}"
    );
}

#[test]
fn a_missing_path_is_a_problem_not_a_panic() {
    let o = tshoot(&["check", "tests/no-such-guide.toml"]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert!(
        text.contains("tests/no-such-guide.toml: error: cannot read:"),
        "{text}"
    );
}

#[test]
fn an_endless_device_is_refused_without_being_read() {
    // /dev/zero reports size 0 and never ends: reading it whole used to eat all memory. Only
    // regular files are read now (and never more than the size limit).
    if !Path::new("/dev/zero").exists() {
        return;
    }
    let o = tshoot(&["check", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains(
            "/dev/zero: error: cannot read the guide: it is a device, not a regular file"
        ),
        "{}",
        stdout(&o)
    );
}
