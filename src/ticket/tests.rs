//! Tests of the rendered ticket and the field checks. The two snapshots show one whole ticket
//! of the bundled guide in each format; the other tests pin one rule each.

use super::*;
use crate::guide::load::REFERENCE_GUIDE;
use crate::guide::parse;
use crate::wizard::{Act, Mark, Outcome};

const NOW: &str = "2026-05-14T09:21:07Z";
const GUID: &str = "7d8e9f0a-1b2c-4d3e-9f8a-7b6c5d4e3f2a";

fn guide(src: &str) -> Guide {
    match parse("test.toml", src) {
        Ok((g, _)) => g,
        Err(d) => panic!("{d:#?}"),
    }
}

fn bundled() -> Guide {
    guide(REFERENCE_GUIDE)
}

fn walk(g: &Guide, acts: &[Act]) -> Case {
    let mut c = Case::new(g);
    for a in acts {
        c.apply(g, a).unwrap_or_else(|e| panic!("{a:?}: {e}"));
    }
    c
}

/// A case that touches every part of the ticket: answers, every kind of issue state, a ticked
/// and unticked tasks, a filled, a defaulted and an empty field, notes, an outcome.
fn full_case(g: &Guide) -> Case {
    walk(
        g,
        &[
            Act::Answer(1), // suspects the domain hint
            Act::Answer(1), // suspects the session and the domain hint
            Act::Answer(0), // suspects the resource
            Act::Mark("incorrect-domain-hint".into(), Some(Mark::Confirmed)),
            Act::Mark("resource-misconfiguration".into(), Some(Mark::RuledOut)),
            Act::Toggle("domain-verification".into(), 0),
            Act::Toggle("force-reauthentication".into(), 0),
            Act::SetField("correlation_id".into(), GUID.into()),
            Act::SetNotes("Customer uses two tenants.\nAsked them to sign out first.".into()),
            Act::Escalate,
        ],
    )
}

#[test]
fn text_ticket_snapshot() {
    let g = bundled();
    insta::assert_snapshot!(render(&g, &full_case(&g), Format::Text, NOW));
}

#[test]
fn markdown_ticket_snapshot() {
    let g = bundled();
    insta::assert_snapshot!(render(&g, &full_case(&g), Format::Markdown, NOW));
}

#[test]
fn ticket_holds_every_part_of_the_case() {
    let g = bundled();
    for format in [Format::Text, Format::Markdown] {
        let t = render(&g, &full_case(&g), format, NOW);
        for expected in [
            // The template, filled; an empty field says so.
            &format!("Correlation ID: {GUID}") as &str,
            "Request ID: (not provided)",
            "Error Code: AADSTS50143",
            // Context.
            "Guide: AADSTS50143 - Session mismatch",
            "Status: escalated",
            &format!("Generated: {NOW}"),
            // The answers, with their questions.
            "Verify User Sign-In: Is the sign-in coming from the correct domain or tenant? -> No, the user signs in with another tenant or domain",
            "Review Error Context: When does the error occur? -> After switching app, tenant or account in the same browser session",
            "-> The resource belongs to a different tenant",
            // Issues in each state.
            "confirmed: Incorrect Domain Hint",
            "suspected: Session Information Mismatch",
            "ruled out: Resource Misconfiguration",
            // Tasks done and not done.
            "[x] User's Domain Verification: Request the user to verify",
            "[x] Force Re-authentication: Prompt the user",
            "[ ] Review Session Handling: Ensure that the session information",
            // The case is escalated: its escalation task is what this ticket does.
            "[x] Open a Support Ticket: Submit a support ticket",
            // The fix of the ruled-out issue was not needed, rather than not done.
            "[-] Reconfigure Resource Settings: Update the resource settings to align with the correct tenant/domain. (not needed: issue ruled out)",
            // Notes, every line.
            "Customer uses two tenants.",
            "Asked them to sign out first.",
        ] {
            assert!(
                t.contains(expected),
                "{format:?} ticket lacks {expected:?}:\n{t}"
            );
        }
    }
}

/// Escalating with the escalate key and by ticking the escalation task give the same ticket;
/// an open case keeps its escalation task unticked.
#[test]
fn both_ways_to_escalate_give_one_ticket() {
    let g = bundled();
    let answers = [Act::Answer(1), Act::Answer(1), Act::Answer(0)];
    let by_key = walk(&g, &[&answers[..], &[Act::Escalate]].concat());
    let by_task = walk(
        &g,
        &[
            &answers[..],
            &[Act::Toggle("open-support-ticket".into(), 0), Act::Escalate],
        ]
        .concat(),
    );
    for format in [Format::Text, Format::Markdown] {
        let a = render(&g, &by_key, format, NOW);
        assert_eq!(a, render(&g, &by_task, format, NOW));
        assert!(a.contains("[x] Open a Support Ticket"), "{a}");
    }
    let open = walk(&g, &answers);
    let t = render(&g, &open, Format::Text, NOW);
    assert!(t.contains("[ ] Open a Support Ticket"), "{t}");
    assert!(!t.contains("not needed"), "nothing is ruled out: {t}");
}

#[test]
fn ticket_of_a_fresh_case_says_what_is_missing() {
    let g = bundled();
    let t = render(&g, &Case::new(&g), Format::Text, NOW);
    assert!(
        t.starts_with(
            "Correlation ID: (not provided)\nRequest ID: (not provided)\nError Code: AADSTS50143\n"
        ),
        "{t}"
    );
    assert!(t.contains("Status: open"), "{t}");
    assert!(t.contains("Diagnostics answered:\n  - (none)\n"), "{t}");
    assert!(t.contains("  - (none suspected or checked)\n"), "{t}");
    assert!(!t.contains("[x]"), "{t}");
    assert!(!t.contains("notes"), "{t}");
}

const SMALL: &str = r#"
format = 1
id = "SMALL"
title = "Small {braces} guide"

[[step]]
id = "only"
title = "Only"

[ticket]
template = """
Literal {{braces}} and }} and {{{a}}}.
A: { a } / guide {guide.id} "{guide.title}"
B: {b}
"""

[[ticket.field]]
id = "a"
label = "A"

[[ticket.field]]
id = "b"
label = "B"
kind = "multiline"
"#;

#[test]
fn template_braces_placeholders_and_guide_names() {
    let g = guide(SMALL);
    let c = walk(&g, &[Act::SetField("a".into(), "va".into())]);
    assert_eq!(
        fill_template(&g, &c),
        "Literal {braces} and } and {va}.\nA: va / guide SMALL \"Small {braces} guide\"\nB: (not provided)\n"
    );
}

#[test]
fn blank_values_are_not_provided_and_control_characters_are_dropped() {
    let g = guide(SMALL);
    let c = walk(
        &g,
        &[
            Act::SetField("a".into(), "   ".into()),
            Act::SetField("b".into(), "red\u{1b}[31m text\u{7}\nsecond line".into()),
        ],
    );
    let filled = fill_template(&g, &c);
    assert!(filled.contains("A: (not provided) /"), "{filled}");
    assert!(filled.contains("B: red text\nsecond line\n"), "{filled}");
    assert!(!render(&g, &c, Format::Text, NOW).contains('\u{1b}'));
}

#[test]
fn markdown_keeps_template_lines_apart() {
    let g = guide(SMALL);
    let c = walk(&g, &[Act::SetField("b".into(), "one\ntwo".into())]);
    let t = render(&g, &c, Format::Markdown, NOW);
    assert!(
        t.starts_with("## Support ticket: SMALL (Small {braces} guide)\n\n"),
        "{t}"
    );
    // Two trailing spaces: a markdown line break, so the template's lines stay lines.
    assert!(t.contains("B: one  \ntwo  \n"), "{t}");
    assert!(t.contains("\n### Case context\n\n- Guide: SMALL"), "{t}");
    let c = walk(&g, &[Act::SetNotes("first\nsecond".into())]);
    let t = render(&g, &c, Format::Markdown, NOW);
    assert!(
        t.ends_with("### Engineer's notes\n\nfirst  \nsecond  \n"),
        "{t}"
    );
}

#[test]
fn a_guide_without_a_ticket_still_renders_the_context() {
    let g = guide(
        r#"
format = 1
id = "NOTICKET"
title = "No ticket"
[[step]]
id = "s"
title = "S"
"#,
    );
    let c = walk(&g, &[Act::Answer(0), Act::Resolve]);
    assert_eq!(fill_template(&g, &c), "");
    let t = render(&g, &c, Format::Text, NOW);
    assert!(t.contains("Status: resolved"), "{t}");
    assert!(t.contains("  - S -> Done\n"), "{t}");
}

#[test]
fn stale_answers_still_appear_in_the_ticket() {
    let g = bundled();
    let c = full_case(&g);
    let changed =
        guide(&REFERENCE_GUIDE.replace("id = \"review-context\"", "id = \"review-context-2\""));
    let t = render(&changed, &c, Format::Text, NOW);
    // The step is gone: its id stands in for the question, and the answer is kept.
    assert!(
        t.contains("  - review-context -> After switching app, tenant or account"),
        "{t}"
    );
}

#[test]
fn outcome_is_in_the_status_line() {
    let g = bundled();
    let mut c = Case::new(&g);
    for (act, word) in [
        (Act::Resolve, "resolved"),
        (Act::Escalate, "escalated"),
        (Act::Reopen, "open"),
    ] {
        c.apply(&g, &act).unwrap();
        let t = render(&g, &c, Format::Text, NOW);
        assert!(t.contains(&format!("Status: {word}\n")), "{t}");
    }
    assert_eq!(c.outcome, Outcome::Open);
}

// --- problems() --------------------------------------------------------------------------------

fn problem_list(g: &Guide, c: &Case) -> Vec<(String, String)> {
    problems(g, c)
        .into_iter()
        .map(|p| (p.field, p.message))
        .collect()
}

#[test]
fn problems_report_required_fields_missing() {
    let g = bundled();
    assert_eq!(
        problem_list(&g, &Case::new(&g)),
        vec![
            ("correlation_id".into(), "Correlation ID is required".into()),
            ("request_id".into(), "Request ID is required".into()),
        ]
    );
    // Blank counts as missing.
    let c = walk(&g, &[Act::SetField("request_id".into(), " \t ".into())]);
    assert!(
        problem_list(&g, &c)
            .iter()
            .any(|(f, m)| f == "request_id" && m.ends_with("is required"))
    );
}

#[test]
fn problems_report_values_that_are_not_guids_or_error_codes() {
    let g = bundled();
    let c = walk(
        &g,
        &[
            Act::SetField("correlation_id".into(), "not-a-guid".into()),
            Act::SetField("request_id".into(), format!("{{{GUID}}}")),
            Act::SetField("error_code".into(), "50 143".into()),
        ],
    );
    let p = problem_list(&g, &c);
    assert_eq!(p.len(), 2, "{p:?}");
    assert_eq!(p[0].0, "correlation_id");
    assert!(
        p[0].1
            .starts_with("Correlation ID: not a GUID (expected 8-4-4-4-12 hex digits"),
        "{p:?}"
    );
    assert_eq!(p[1].0, "error_code");
    assert!(p[1].1.starts_with("Error Code: not an error code"), "{p:?}");
    let good = walk(
        &g,
        &[
            Act::SetField("correlation_id".into(), GUID.to_uppercase()),
            Act::SetField("request_id".into(), format!(" {GUID} ")),
        ],
    );
    assert_eq!(problem_list(&g, &good), vec![]);
}

#[test]
fn near_guids_are_refused() {
    for bad in [
        "7d8e9f0a-1b2c-4d3e-9f8a-7b6c5d4e3f2",   // one digit short
        "7d8e9f0a-1b2c-4d3e-9f8a7b6c5d4e3f2a",   // a dash missing
        "7d8e9f0a-1b2c-4d3e-9f8a-7b6c5d4e3f2g",  // not hex
        "{7d8e9f0a-1b2c-4d3e-9f8a-7b6c5d4e3f2a", // unbalanced brace
    ] {
        assert!(!crate::guide::is_guid(bad), "{bad}");
    }
    assert!(crate::guide::is_guid(GUID));
}
