//! `guide::parse` on hostile input: property tests over arbitrary strings, TOML-ish token soup
//! and mutations of the bundled guide (it must never panic, every located diagnostic must
//! point at a real line and column, and whatever it accepts must be a sound state machine);
//! and very large guides (100 000 steps, several megabytes, deep nesting), which must be
//! checked without recursion deep enough to overflow a small stack.

use crate::common::{edit, mutate};
use proptest::prelude::*;

use tshoot::guide::validate::{MAX_DIAGNOSTICS, MAX_GUIDE_BYTES};
use tshoot::guide::{Diagnostic, Guide, Target, parse};
use tshoot::wizard::{Act, Case, Position, view};

const BUNDLED: &str = include_str!("../assets/guides/aadsts50143.toml");

/// Every diagnostic either points into `source` correctly or is about the whole file.
fn check_diagnostics(source: &str, diags: &[Diagnostic]) {
    let lines: Vec<&str> = source.split('\n').collect();
    for d in diags {
        assert!(!d.message.is_empty(), "{d:?}");
        match &d.source_line {
            Some(shown) => {
                assert!(d.line >= 1 && d.col >= 1, "located at line 0: {d:?}");
                assert!(d.line <= lines.len(), "line past the end: {d:?}");
                let line = lines[d.line - 1].trim_end_matches('\r');
                assert_eq!(shown, line, "shown line is not line {}: {d:?}", d.line);
                assert!(
                    d.col <= line.chars().count() + 1,
                    "column past the end: {d:?}"
                );
            }
            None => assert_eq!((d.line, d.col), (0, 0), "{d:?}"),
        }
        // Displaying never panics either.
        let text = d.to_string();
        assert!(text.starts_with(&d.headline()));
    }
}

/// What an accepted guide promises the wizard: every name resolves, every reachable step
/// can get out of the diagnostics, and walking it works.
fn check_sound(g: &Guide) {
    assert!(!g.steps.is_empty());
    for (i, s) in g.steps.iter().enumerate() {
        for a in 0..g.answer_count(i) {
            assert!(
                !matches!(g.next_of(i, a), Target::Unknown(_)),
                "step {} answer {a} leads nowhere",
                s.id
            );
            for id in g.suspects_of(i, a) {
                assert!(g.issue_index(id).is_some(), "unknown issue {id}");
            }
        }
    }
    for issue in &g.issues {
        for f in &issue.fixes {
            assert!(g.resolution_index(f).is_some(), "unknown resolution {f}");
        }
    }
    // From every step a case can reach, some path leaves the diagnostics.
    let mut c = Case::new(g);
    for _ in 0..50 {
        let Position::Step(i) = c.position(g) else {
            break;
        };
        assert!(can_leave(g, i), "no way out from step {}", g.steps[i].id);
        let _ = view::progress(g, &c);
        c.apply(g, &Act::Answer(g.answer_count(i) - 1)).unwrap();
    }
    let _ = view::checklist(g, &c);
}

/// Breadth-first search over `next_of`: an oracle independent of the validator's own.
fn can_leave(g: &Guide, from: usize) -> bool {
    let mut seen = vec![false; g.steps.len()];
    let mut queue = vec![from];
    seen[from] = true;
    while let Some(i) = queue.pop() {
        for a in 0..g.answer_count(i) {
            match g.next_of(i, a) {
                Target::Step(j) if !seen[j] => {
                    seen[j] = true;
                    queue.push(j);
                }
                Target::Step(_) => {}
                _ => return true,
            }
        }
    }
    false
}

fn check(source: &str) {
    match parse("fuzz.toml", source) {
        Ok((g, warnings)) => {
            check_diagnostics(source, &warnings);
            // Errors in replay cases do not stop a guide from loading; no other error does.
            assert!(
                warnings
                    .iter()
                    .all(|d| !d.is_error() || d.code.starts_with("case-")),
                "{warnings:?}"
            );
            check_sound(&g);
        }
        Err(diags) => {
            assert!(!diags.is_empty());
            assert!(diags.iter().any(Diagnostic::is_error), "{diags:?}");
            check_diagnostics(source, &diags);
        }
    }
}

/// Pieces of guide syntax, so random strings reach validation and not only the TOML parser.
fn token_soup() -> impl Strategy<Value = String> {
    let tokens = prop::sample::select(vec![
        "format = 1\n",
        "format = 2\n",
        "id = \"G\"\n",
        "title = \"T\"\n",
        "[[step]]\n",
        "[[issue]]\n",
        "[[resolution]]\n",
        "[ticket]\n",
        "[[ticket.field]]\n",
        "id = \"a\"\n",
        "id = \"b\"\n",
        "id = \"issues\"\n",
        "title = \"x\"\n",
        "ask = \"?\"\n",
        "answers = [{ label = \"y\", next = \"a\" }, { label = \"n\", suspect = [\"i\"] }]\n",
        "next = \"b\"\n",
        "next = \"ticket\"\n",
        "fixes = [\"a\"]\n",
        "tasks = [\"t\"]\n",
        "escalate = true\n",
        "template = \"{a} {{ }} {\"\n",
        "template = \"\"\"\n{a}\n}\n\"\"\"\n",
        "label = \"L\"\n",
        "kind = \"guid\"\n",
        "default = \"x\"\n",
        "\u{e9}\u{1f600}",
        "\r\n",
        "\"",
        "=",
        "#",
        "[",
        "{",
    ]);
    prop::collection::vec(tokens, 0..40).prop_map(|v| v.concat())
}

proptest! {
    // PROPTEST_CASES=10000 for a longer run.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300),
        ..ProptestConfig::default()
    })]

    #[test]
    fn parse_never_panics_on_arbitrary_text(s in any::<String>()) {
        check(&s);
    }

    #[test]
    fn parse_never_panics_on_guide_token_soup(s in token_soup()) {
        check(&s);
    }

    #[test]
    fn parse_never_panics_on_mutated_bundled_guides(edits in prop::collection::vec(edit(), 1..6)) {
        check(&mutate(BUNDLED, &edits));
    }
}

#[test]
fn the_bundled_guide_itself_is_sound() {
    check(BUNDLED);
    assert!(parse("b.toml", BUNDLED).is_ok());
}

#[test]
fn each_single_line_deletion_of_the_bundled_guide_is_handled() {
    let lines: Vec<&str> = BUNDLED.lines().collect();
    for i in 0..lines.len() {
        let mut l = lines.clone();
        l.remove(i);
        check(&l.join("\n"));
    }
}

// --- large guides -------------------------------------------------------------------------------

/// Run `f` on a thread with a small stack: validation has to be iterative to pass.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .expect("no stack overflow or panic")
}

const STEPS: usize = 100_000;

fn header() -> String {
    "format = 1\nid = \"BIG\"\ntitle = \"Big\"\n".to_owned()
}

#[test]
fn a_chain_of_100_000_steps_is_checked_without_deep_recursion() {
    // Each step leads to the following one by default: a 100 000-step path to the end.
    let mut src = header();
    for i in 0..STEPS {
        src.push_str(&format!("[[step]]\nid = \"s{i}\"\ntitle = \"t{i}\"\n"));
    }
    assert!(src.len() < MAX_GUIDE_BYTES);
    let (steps, total) = on_small_stack(move || {
        let (g, warnings) = parse("chain.toml", &src).expect("the chain is valid");
        assert!(warnings.is_empty());
        let p = view::progress(&g, &Case::new(&g));
        (g.steps.len(), p.steps_total)
    });
    assert_eq!((steps, total), (STEPS, STEPS));
}

/// Short ids for compact big guides.
fn id(i: usize) -> String {
    let digits = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let (mut n, mut s) = (i, Vec::new());
    loop {
        s.push(digits[n % 36]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    s.reverse();
    String::from_utf8(s).unwrap()
}

#[test]
fn a_scrambled_chain_with_explicit_nexts_is_checked_in_linear_time() {
    // The path zigzags through the file: 0 -> n-1 -> 1 -> n-2 -> ... and each `next` is a
    // name to look up, so looking names up by scanning would be quadratic.
    let order: Vec<usize> = (0..STEPS)
        .map(|k| if k % 2 == 0 { k / 2 } else { STEPS - 1 - k / 2 })
        .collect();
    let mut next = vec![String::new(); STEPS];
    for w in order.windows(2) {
        next[w[0]] = id(w[1]);
    }
    next[order[STEPS - 1]] = "issues".into();
    let mut src = header();
    src.push_str("step = [\n");
    for (i, n) in next.iter().enumerate() {
        src.push_str(&format!(
            "{{id=\"{0}\",title=\"{0}\",next=\"{n}\"}},\n",
            id(i)
        ));
    }
    src.push_str("]\n");
    assert!(src.len() < MAX_GUIDE_BYTES, "{}", src.len());
    let n = on_small_stack(move || {
        let (g, _) = parse("zigzag.toml", &src).expect("valid");
        g.steps.len()
    });
    assert_eq!(n, STEPS);
}

#[test]
fn a_guide_with_a_problem_on_every_step_reports_a_bounded_number() {
    // The first step goes straight to the issues: the other 99 999 are unreachable.
    let mut src = header();
    src.push_str("[[step]]\nid = \"first\"\ntitle = \"first\"\nnext = \"issues\"\n");
    for i in 1..STEPS {
        src.push_str(&format!("[[step]]\nid = \"{0}\"\ntitle = \"{0}\"\n", id(i)));
    }
    let diags = on_small_stack(move || parse("orphans.toml", &src).expect_err("invalid"));
    assert_eq!(diags.len(), MAX_DIAGNOSTICS + 1);
    assert!(diags[0].message.contains("cannot be reached"));
    let last = diags.last().unwrap();
    assert!(last.is_error());
    assert_eq!(
        last.message,
        format!(
            "{} more problems not shown (only the first {MAX_DIAGNOSTICS} are reported)",
            STEPS - 1 - MAX_DIAGNOSTICS
        )
    );
}

#[test]
fn a_three_megabyte_guide_parses() {
    let text = "Check the sign-in logs for the correlation id and compare tenants. ".repeat(45);
    let mut src = header();
    let mut k = 0;
    while src.len() < 3 * 1024 * 1024 {
        src.push_str(&format!(
            "[[step]]\nid = \"s{k}\"\ntitle = \"Step {k}\"\ntext = \"{text}\"\nask = \"OK?\"\nanswers = [{{ label = \"Yes\" }}, {{ label = \"No\", next = \"ticket\" }}]\n"
        ));
        k += 1;
    }
    src.push_str(&format!(
        "[[note]]\ntitle = \"Long\"\ntext = \"\"\"\n{}\"\"\"\n",
        text.repeat(200)
    ));
    let size = src.len();
    assert!(size > 3 * 1024 * 1024 && size < MAX_GUIDE_BYTES);
    let steps = on_small_stack(move || parse("big.toml", &src).expect("valid").0.steps.len());
    assert_eq!(steps, k);
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for (open, close) in [("[", "]"), ("{a=", "}")] {
        let src = format!("x = {}1{}\n", open.repeat(100_000), close.repeat(100_000));
        let diags = on_small_stack(move || {
            let d = parse("deep.toml", &src).expect_err("too deep");
            check_diagnostics(&src, &d);
            d
        });
        assert_eq!(diags[0].line, 1);
    }
    let dotted = format!("{} = 1\n", vec!["a"; 100_000].join("."));
    on_small_stack(move || parse("dotted.toml", &dotted).expect_err("too deep"));
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_parsing() {
    let src = "#".repeat(MAX_GUIDE_BYTES + 1);
    let d = parse("huge.toml", &src).expect_err("too big");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].line, 0);
    assert!(
        d[0].message.contains("guides are limited to"),
        "{}",
        d[0].message
    );
}
