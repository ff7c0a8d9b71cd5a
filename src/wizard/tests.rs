//! Tests of the state machine and its views: hand-written walks through the bundled guide and
//! small guides written for one feature each, then property tests over random action sequences
//! on all of them (no panics, exact undo, ticks that stick, errors that change nothing).

use proptest::prelude::*;

use super::view::{self, Why};
use super::*;
use crate::guide::load::REFERENCE_GUIDE;
use crate::guide::parse;

/// Parse a guide that must be valid (warnings allowed).
fn guide(src: &str) -> Guide {
    match parse("test.toml", src) {
        Ok((g, _)) => g,
        Err(diags) => panic!(
            "test guide does not load:\n{}",
            diags
                .iter()
                .map(std::string::ToString::to_string)
                .collect::<String>()
        ),
    }
}

fn bundled() -> Guide {
    guide(REFERENCE_GUIDE)
}

/// Branches to every stage, a loop back to the first step, a loop between two later steps
/// (each with a way out), a step without a question, an escalation linked from an issue and a
/// resolution no issue links.
const BRANCHY: &str = r#"
format = 1
id = "BRANCHY"
title = "Branches and loops"

[[step]]
id = "start"
title = "Start"
ask = "Which way?"
answers = [
  { label = "Left", next = "left", suspect = ["a"] },
  { label = "Right", next = "right", suspect = ["b"] },
  { label = "Straight to the fixes", next = "resolution" },
  { label = "Straight to the ticket", next = "ticket" },
]

[[step]]
id = "left"
title = "Left"
ask = "Try again?"
answers = [
  { label = "Again", next = "start" },
  { label = "Enough", suspect = ["a", "c"], next = "issues" },
]

[[step]]
id = "right"
title = "Right"
text = "A step without a question."
next = "retry"

[[step]]
id = "retry"
title = "Retry"
ask = "Did it work?"
answers = [
  { label = "No, go round", next = "right" },
  { label = "Yes", suspect = ["b"] },
]

[[issue]]
id = "a"
title = "Issue A"
fixes = ["fix-a", "fix-shared"]

[[issue]]
id = "b"
title = "Issue B"
fixes = ["fix-b", "fix-shared"]

[[issue]]
id = "c"
title = "Issue C"
fixes = ["escalate"]

[[resolution]]
id = "fix-a"
title = "Fix A"
tasks = ["A one", "A two"]

[[resolution]]
id = "fix-b"
title = "Fix B"
tasks = ["B one"]

[[resolution]]
id = "fix-shared"
title = "Shared fix"
tasks = ["Shared one", "Shared two"]

[[resolution]]
id = "unlinked"
title = "Unlinked"
tasks = ["Try this"]

[[resolution]]
id = "escalate"
title = "Escalate"
escalate = true
tasks = ["Open a ticket"]

[ticket]
template = "Case {guide.id}: {summary} at {when}"

[[ticket.field]]
id = "summary"
label = "Summary"
required = true

[[ticket.field]]
id = "when"
label = "When"
kind = "timestamp"
default = "2026-01-02T03:04:05Z"
"#;

/// Three steps without questions, no issues, no resolutions, no ticket.
const LINEAR: &str = r#"
format = 1
id = "LINEAR"
title = "Straight line"

[[step]]
id = "one"
title = "One"

[[step]]
id = "two"
title = "Two"

[[step]]
id = "three"
title = "Three"
"#;

/// One step whose answers all lead back to it except one; tasks on several resolutions.
const SELF_LOOP: &str = r#"
format = 1
id = "LOOP"
title = "Ask until it works"

[[step]]
id = "again"
title = "Again"
ask = "Does it work now?"
answers = [
  { label = "No", next = "again", suspect = ["flaky"] },
  { label = "Still no", next = "again" },
  { label = "Yes", next = "resolution" },
]

[[issue]]
id = "flaky"
title = "Flaky"
fixes = ["restart", "escalate"]

[[resolution]]
id = "escalate"
title = "Escalate"
escalate = true
tasks = ["Ticket"]

[[resolution]]
id = "restart"
title = "Restart"
tasks = ["Stop", "Start", "Check"]
"#;

fn all_guides() -> Vec<Guide> {
    vec![bundled(), guide(BRANCHY), guide(LINEAR), guide(SELF_LOOP)]
}

fn walk(g: &Guide, acts: &[Act]) -> Case {
    let mut c = Case::new(g);
    for a in acts {
        c.apply(g, a)
            .unwrap_or_else(|e| panic!("{a:?} on {c:?}: {e}"));
    }
    c
}

fn ids(g: &Guide, list: &[view::ChecklistItem]) -> Vec<String> {
    list.iter()
        .map(|c| g.resolutions[c.resolution].id.to_string())
        .collect()
}

// --- answers, back, position and stage ------------------------------------------------------

#[test]
fn new_case_starts_at_the_first_step_with_defaults() {
    let g = bundled();
    let c = Case::new(&g);
    assert_eq!(c.guide_id, "AADSTS50143");
    assert_eq!(c.position(&g), Position::Step(0));
    assert_eq!(c.stage(&g), Stage::Diagnostics);
    assert_eq!(c.field("error_code"), "AADSTS50143");
    assert_eq!(c.field("correlation_id"), "");
    assert_eq!(c.outcome, Outcome::Open);
}

#[test]
fn answers_walk_the_bundled_guide_to_the_issues() {
    let g = bundled();
    let mut c = Case::new(&g);
    c.apply(&g, &Act::Answer(1)).unwrap();
    assert_eq!(c.position(&g), Position::Step(1));
    c.apply(&g, &Act::Answer(3)).unwrap();
    assert_eq!(c.position(&g), Position::Step(2));
    c.apply(&g, &Act::Answer(0)).unwrap();
    assert_eq!(c.position(&g), Position::Done(Stage::Issues));
    assert_eq!(c.stage(&g), Stage::Issues);
    assert_eq!(
        c.trail,
        vec![
            Given {
                step: "verify-sign-in".into(),
                answer: 1,
                label: "No, the user signs in with another tenant or domain".into(),
            },
            Given {
                step: "review-context".into(),
                answer: 3,
                label: "Not known yet".into(),
            },
            Given {
                step: "investigate-correlation-id".into(),
                answer: 0,
                label: "The resource belongs to a different tenant".into(),
            },
        ]
    );
    // No question left: answering is refused and changes nothing.
    let before = c.clone();
    assert_eq!(c.apply(&g, &Act::Answer(0)), Err(WizardError::NoQuestion));
    assert_eq!(c, before);
    // Back returns to the last step.
    c.apply(&g, &Act::Back).unwrap();
    assert_eq!(c.position(&g), Position::Step(2));
    assert_eq!(c.trail.len(), 2);
}

#[test]
fn back_with_nothing_answered_is_an_error() {
    let g = bundled();
    let mut c = Case::new(&g);
    assert_eq!(c.apply(&g, &Act::Back), Err(WizardError::NothingToGoBack));
    assert_eq!(c, Case::new(&g));
}

#[test]
fn answer_out_of_range_is_refused_even_at_the_largest_index() {
    let g = bundled();
    let mut c = Case::new(&g);
    assert_eq!(
        c.apply(&g, &Act::Answer(3)),
        Err(WizardError::NoSuchAnswer(4))
    );
    assert_eq!(
        WizardError::NoSuchAnswer(4).to_string(),
        "there is no answer 4 here"
    );
    // Used to overflow (`n + 1`) and panic in debug builds.
    assert_eq!(
        c.apply(&g, &Act::Answer(usize::MAX)),
        Err(WizardError::NoSuchAnswer(usize::MAX))
    );
    assert_eq!(c, Case::new(&g));
}

#[test]
fn a_step_without_a_question_has_one_answer_done() {
    let g = guide(LINEAR);
    let mut c = Case::new(&g);
    assert_eq!(g.answer_count(0), 1);
    assert_eq!(
        c.apply(&g, &Act::Answer(1)),
        Err(WizardError::NoSuchAnswer(2))
    );
    for expected in [Position::Step(1), Position::Step(2)] {
        c.apply(&g, &Act::Answer(0)).unwrap();
        assert_eq!(c.position(&g), expected);
    }
    c.apply(&g, &Act::Answer(0)).unwrap();
    assert_eq!(c.position(&g), Position::Done(Stage::Issues));
    assert!(c.trail.iter().all(|t| t.label == "Done" && t.answer == 0));
}

#[test]
fn answers_branch_to_steps_and_to_every_stage() {
    let g = guide(BRANCHY);
    let at = |acts: &[Act]| walk(&g, acts).position(&g);
    assert_eq!(at(&[Act::Answer(0)]), Position::Step(1));
    assert_eq!(at(&[Act::Answer(1)]), Position::Step(2));
    assert_eq!(at(&[Act::Answer(2)]), Position::Done(Stage::Resolution));
    assert_eq!(at(&[Act::Answer(3)]), Position::Done(Stage::Ticket));
    assert_eq!(
        at(&[Act::Answer(0), Act::Answer(1)]),
        Position::Done(Stage::Issues)
    );
    // The last step's answer without `next` ends the diagnostics.
    assert_eq!(
        at(&[Act::Answer(1), Act::Answer(0), Act::Answer(1)]),
        Position::Done(Stage::Issues)
    );
    assert_eq!(walk(&g, &[Act::Answer(2)]).stage(&g), Stage::Resolution);
    assert_eq!(walk(&g, &[Act::Answer(3)]).stage(&g), Stage::Ticket);
}

#[test]
fn loops_come_back_and_still_leave() {
    let g = guide(BRANCHY);
    let mut c = Case::new(&g);
    // start -> left -> start -> left -> start: a loop through the first step.
    for _ in 0..2 {
        c.apply(&g, &Act::Answer(0)).unwrap();
        assert_eq!(c.position(&g), Position::Step(1));
        c.apply(&g, &Act::Answer(0)).unwrap();
        assert_eq!(c.position(&g), Position::Step(0));
    }
    // right -> retry -> right -> retry: a loop later on, through a step without a question.
    c.apply(&g, &Act::Answer(1)).unwrap();
    for _ in 0..3 {
        assert_eq!(c.position(&g), Position::Step(2));
        c.apply(&g, &Act::Answer(0)).unwrap();
        assert_eq!(c.position(&g), Position::Step(3));
        c.apply(&g, &Act::Answer(0)).unwrap();
    }
    c.apply(&g, &Act::Answer(0)).unwrap();
    c.apply(&g, &Act::Answer(1)).unwrap();
    assert_eq!(c.position(&g), Position::Done(Stage::Issues));
    assert_eq!(c.trail.len(), 4 + 1 + 6 + 2);
    // Back unwinds the loop one answer at a time.
    c.apply(&g, &Act::Back).unwrap();
    assert_eq!(c.position(&g), Position::Step(3));
    c.apply(&g, &Act::Back).unwrap();
    assert_eq!(c.position(&g), Position::Step(2));
}

#[test]
fn outcomes_override_the_stage_and_reopen_restores_it() {
    let g = bundled();
    let mut c = Case::new(&g);
    c.apply(&g, &Act::Answer(0)).unwrap();
    c.apply(&g, &Act::Resolve).unwrap();
    assert_eq!(
        (c.outcome, c.stage(&g)),
        (Outcome::Resolved, Stage::Resolution)
    );
    c.apply(&g, &Act::Escalate).unwrap();
    assert_eq!(
        (c.outcome, c.stage(&g)),
        (Outcome::Escalated, Stage::Ticket)
    );
    c.apply(&g, &Act::Reopen).unwrap();
    assert_eq!(
        (c.outcome, c.stage(&g)),
        (Outcome::Open, Stage::Diagnostics)
    );
    assert_eq!(c.position(&g), Position::Step(1));
}

#[test]
fn stages_are_ordered_and_titled() {
    assert_eq!(
        Stage::ALL.map(Stage::index),
        [0, 1, 2, 3],
        "index follows the order"
    );
    assert!(Stage::Diagnostics < Stage::Issues && Stage::Resolution < Stage::Ticket);
    assert_eq!(Stage::Issues.title(), "Common issues");
}

// --- marks, toggles, fields, notes ------------------------------------------------------------

#[test]
fn marks_confirm_rule_out_and_clear() {
    let g = bundled();
    let mut c = Case::new(&g);
    let id = "resource-misconfiguration".to_owned();
    c.apply(&g, &Act::Mark(id.clone(), Some(Mark::Confirmed)))
        .unwrap();
    assert_eq!(c.marks.get(&id), Some(&Mark::Confirmed));
    c.apply(&g, &Act::Mark(id.clone(), Some(Mark::RuledOut)))
        .unwrap();
    assert_eq!(c.marks.get(&id), Some(&Mark::RuledOut));
    c.apply(&g, &Act::Mark(id.clone(), None)).unwrap();
    assert!(c.marks.is_empty());
    // Clearing an unmarked issue is fine and changes nothing.
    c.apply(&g, &Act::Mark(id, None)).unwrap();
    assert_eq!(c, Case::new(&g));
    let err = c
        .apply(&g, &Act::Mark("nope".into(), Some(Mark::Confirmed)))
        .unwrap_err();
    assert_eq!(err, WizardError::NoSuchIssue("nope".into()));
    assert_eq!(err.to_string(), "there is no issue \"nope\" in this guide");
    assert_eq!(c, Case::new(&g));
}

#[test]
fn toggles_tick_and_untick_tasks() {
    let g = guide(SELF_LOOP);
    let mut c = Case::new(&g);
    c.apply(&g, &Act::Toggle("restart".into(), 2)).unwrap();
    assert!(c.is_done("restart", 2));
    assert!(!c.is_done("restart", 0));
    c.apply(&g, &Act::Toggle("restart".into(), 0)).unwrap();
    c.apply(&g, &Act::Toggle("restart".into(), 2)).unwrap();
    assert!(!c.is_done("restart", 2));
    assert!(c.is_done("restart", 0));
    let before = c.clone();
    assert_eq!(
        c.apply(&g, &Act::Toggle("restart".into(), 3)),
        Err(WizardError::NoSuchTask("restart".into(), 4))
    );
    assert_eq!(
        c.apply(&g, &Act::Toggle("nope".into(), 0)),
        Err(WizardError::NoSuchTask("nope".into(), 1))
    );
    assert_eq!(
        c.apply(&g, &Act::Toggle("restart".into(), usize::MAX)),
        Err(WizardError::NoSuchTask("restart".into(), usize::MAX))
    );
    assert_eq!(c, before);
}

#[test]
fn fields_set_clear_and_refuse_unknown_ids() {
    let g = bundled();
    let mut c = Case::new(&g);
    let guid = "7d8e9f0a-1b2c-4d3e-9f8a-7b6c5d4e3f2a";
    c.apply(&g, &Act::SetField("correlation_id".into(), guid.into()))
        .unwrap();
    assert_eq!(c.field("correlation_id"), guid);
    // An empty value clears, including a default.
    c.apply(&g, &Act::SetField("error_code".into(), String::new()))
        .unwrap();
    assert_eq!(c.field("error_code"), "");
    assert!(!c.fields.contains_key("error_code"));
    let before = c.clone();
    assert_eq!(
        c.apply(&g, &Act::SetField("nope".into(), "x".into())),
        Err(WizardError::NoSuchField("nope".into()))
    );
    assert_eq!(c, before);
    // A guide without a ticket has no fields at all.
    let lin = guide(LINEAR);
    let mut l = Case::new(&lin);
    assert!(
        l.apply(&lin, &Act::SetField("correlation_id".into(), "x".into()))
            .is_err()
    );
}

#[test]
fn notes_are_replaced_whole() {
    let g = bundled();
    let mut c = Case::new(&g);
    c.apply(&g, &Act::SetNotes("first\nsecond".into())).unwrap();
    c.apply(&g, &Act::SetNotes("third".into())).unwrap();
    assert_eq!(c.notes, "third");
}

// --- views: suspects, checklist, progress -------------------------------------------------

#[test]
fn suspects_record_which_answers_point_at_them() {
    let g = bundled();
    // "No, another tenant" suspects the domain hint; "After switching..." suspects the
    // session and the domain hint again; "Tenant and resource look right" the session.
    let c = walk(&g, &[Act::Answer(1), Act::Answer(1), Act::Answer(2)]);
    let v = view::issues(&g, &c);
    let summary: Vec<(&str, Vec<usize>)> = v
        .iter()
        .map(|i| (g.issues[i.issue].id.as_str(), i.by.clone()))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("incorrect-domain-hint", vec![0, 1]),
            ("session-information-mismatch", vec![1, 2]),
            ("resource-misconfiguration", vec![]),
        ]
    );
    assert!(v[0].suspected() && !v[2].suspected());
}

#[test]
fn issues_view_orders_confirmed_then_most_suspected_then_rest_then_ruled_out() {
    let g = bundled();
    let c = walk(
        &g,
        &[
            Act::Answer(1), // domain hint
            Act::Answer(2), // session
            Act::Answer(2), // session
            Act::Mark("resource-misconfiguration".into(), Some(Mark::Confirmed)),
            Act::Mark("incorrect-domain-hint".into(), Some(Mark::RuledOut)),
        ],
    );
    let order: Vec<(&str, Option<Mark>)> = view::issues(&g, &c)
        .iter()
        .map(|i| (g.issues[i.issue].id.as_str(), i.mark))
        .collect();
    assert_eq!(
        order,
        vec![
            ("resource-misconfiguration", Some(Mark::Confirmed)),
            ("session-information-mismatch", None),
            ("incorrect-domain-hint", Some(Mark::RuledOut)),
        ]
    );
}

#[test]
fn checklist_puts_confirmed_fixes_first_then_suspected_then_others_escalation_last() {
    let g = guide(BRANCHY);
    // Left, Enough: suspects a (twice) and c; b is confirmed by hand.
    let c = walk(
        &g,
        &[
            Act::Answer(0),
            Act::Answer(1),
            Act::Mark("b".into(), Some(Mark::Confirmed)),
        ],
    );
    let list = view::checklist(&g, &c);
    assert_eq!(
        ids(&g, &list),
        ["fix-b", "fix-shared", "fix-a", "unlinked", "escalate"]
    );
    assert_eq!(
        list.iter().map(|i| i.why).collect::<Vec<_>>(),
        [
            Why::Confirmed,
            Why::Confirmed,
            Why::Suspected,
            Why::Other,
            Why::Escalation
        ]
    );
    // fix-shared fixes the confirmed b and the suspected a, in the issues view's order.
    let (a, b, cc) = (0, 1, 2);
    assert_eq!(list[1].for_issues, vec![b, a]);
    assert_eq!(list[2].for_issues, vec![a]);
    assert!(list[3].for_issues.is_empty());
    // The escalation is last even though the suspected c links it.
    assert_eq!(list[4].for_issues, vec![cc]);
    assert_eq!(list[0].done, vec![false]);
    assert_eq!(list[1].done, vec![false, false]);
}

#[test]
fn checklist_moves_fixes_of_ruled_out_issues_down_unless_another_issue_needs_them() {
    let g = guide(BRANCHY);
    let c = walk(
        &g,
        &[
            Act::Answer(0),
            Act::Answer(1),
            Act::Mark("a".into(), Some(Mark::RuledOut)),
            Act::Mark("c".into(), Some(Mark::RuledOut)),
        ],
    );
    let list = view::checklist(&g, &c);
    // fix-a only fixes the ruled-out a; fix-shared also fixes b, which is still open.
    assert_eq!(
        ids(&g, &list),
        ["fix-b", "fix-shared", "unlinked", "fix-a", "escalate"]
    );
    assert_eq!(list[3].why, Why::RuledOut);
    assert_eq!(list[1].why, Why::Other);
}

#[test]
fn checklist_of_the_bundled_guide_follows_the_answers() {
    let g = bundled();
    let fresh = view::checklist(&g, &Case::new(&g));
    // Nothing suspected: guide order, escalation last.
    assert_eq!(
        ids(&g, &fresh),
        [
            "domain-verification",
            "reconfigure-resource",
            "force-reauthentication",
            "review-session-handling",
            "open-support-ticket"
        ]
    );
    assert!(fresh[..4].iter().all(|i| i.why == Why::Other));
    let c = walk(
        &g,
        &[
            Act::Answer(1),
            Act::Answer(2),
            Act::Answer(1),
            Act::Mark("session-information-mismatch".into(), Some(Mark::Confirmed)),
        ],
    );
    assert_eq!(
        ids(&g, &view::checklist(&g, &c)),
        [
            "review-session-handling",
            "force-reauthentication",
            "domain-verification",
            "reconfigure-resource",
            "open-support-ticket"
        ]
    );
}

#[test]
fn checklist_shows_ticked_tasks() {
    let g = guide(SELF_LOOP);
    let c = walk(
        &g,
        &[
            Act::Toggle("restart".into(), 1),
            Act::Toggle("escalate".into(), 0),
        ],
    );
    let list = view::checklist(&g, &c);
    assert_eq!(ids(&g, &list), ["restart", "escalate"]);
    assert_eq!(list[0].done, vec![false, true, false]);
    assert_eq!(list[0].done_count(), 1);
    assert_eq!(list[1].done, vec![true]);
}

#[test]
fn progress_counts_answers_paths_issues_tasks_and_fields() {
    let g = bundled();
    let p = view::progress(&g, &Case::new(&g));
    assert_eq!(
        p,
        view::Progress {
            answered: 0,
            steps_total: 3,
            issues_suspected: 0,
            issues_decided: 0,
            issues_total: 3,
            tasks_done: 0,
            tasks_total: 5,
            fields_filled: 1, // the error code's default
            fields_required: 3,
        }
    );
    let c = walk(
        &g,
        &[
            Act::Answer(1),
            Act::Answer(0),
            Act::Mark("incorrect-domain-hint".into(), Some(Mark::Confirmed)),
            Act::Mark("session-information-mismatch".into(), Some(Mark::RuledOut)),
            Act::Toggle("force-reauthentication".into(), 0),
            Act::SetField("request_id".into(), "   ".into()),
            Act::SetField(
                "correlation_id".into(),
                "7d8e9f0a-1b2c-4d3e-9f8a-7b6c5d4e3f2a".into(),
            ),
        ],
    );
    let p = view::progress(&g, &c);
    assert_eq!((p.answered, p.steps_total), (2, 3));
    assert_eq!((p.issues_suspected, p.issues_decided), (2, 2));
    assert_eq!((p.tasks_done, p.tasks_total), (1, 5));
    // Blank is not filled in.
    assert_eq!((p.fields_filled, p.fields_required), (2, 3));
}

#[test]
fn progress_takes_the_shortest_way_out() {
    let g = guide(BRANCHY);
    // From the start, two answers leave at once.
    assert_eq!(view::progress(&g, &Case::new(&g)).steps_total, 1);
    // From "right": right, then retry's "Yes".
    let c = walk(&g, &[Act::Answer(1)]);
    assert_eq!(view::progress(&g, &c).steps_total, 1 + 2);
    // Going round the loop adds what was answered, and the rest stays the same.
    let c = walk(
        &g,
        &[
            Act::Answer(1),
            Act::Answer(0),
            Act::Answer(0),
            Act::Answer(0),
        ],
    );
    let p = view::progress(&g, &c);
    assert_eq!((p.answered, p.steps_total), (4, 4 + 1));
    let looped = guide(SELF_LOOP);
    let c = walk(&looped, &[Act::Answer(0), Act::Answer(1)]);
    assert_eq!(view::progress(&looped, &c).steps_total, 3);
    let done = walk(&looped, &[Act::Answer(2)]);
    assert_eq!(view::progress(&looped, &done).steps_total, 1);
}

#[test]
fn views_of_a_guide_without_issues_or_ticket_are_empty() {
    let g = guide(LINEAR);
    let c = Case::new(&g);
    assert!(view::issues(&g, &c).is_empty());
    assert!(view::checklist(&g, &c).is_empty());
    let p = view::progress(&g, &c);
    assert_eq!((p.steps_total, p.tasks_total, p.fields_required), (3, 0, 0));
}

// --- replay against a changed guide ---------------------------------------------------------

fn bundled_case() -> Case {
    walk(
        &bundled(),
        &[Act::Answer(1), Act::Answer(1), Act::Answer(2)],
    )
}

#[test]
fn replay_of_an_unchanged_guide_has_nothing_stale() {
    let g = bundled();
    let r = bundled_case().replay(&g);
    assert_eq!(r.position, Position::Done(Stage::Issues));
    assert_eq!(r.steps, vec![Some(0), Some(1), Some(2)]);
    assert!(r.stale.is_empty());
}

#[test]
fn replay_reports_a_reworded_answer_and_keeps_it() {
    let src = REFERENCE_GUIDE.replace(
        "After switching app, tenant or account in the same browser session",
        "After switching accounts",
    );
    let g = guide(&src);
    let c = bundled_case();
    let r = c.replay(&g);
    assert_eq!(r.steps, vec![Some(0), Some(1), Some(2)]);
    assert_eq!(r.position, Position::Done(Stage::Issues));
    assert_eq!(r.stale.len(), 1, "{:?}", r.stale);
    assert_eq!(r.stale[0].0, 1);
    assert!(
        r.stale[0].1.contains("no longer reads the same"),
        "{:?}",
        r.stale
    );
    // Not dropped: it still counts for the suspects, and the trail is intact.
    let v = view::issues(&g, &c);
    let hint = v
        .iter()
        .find(|i| g.issues[i.issue].id == "incorrect-domain-hint")
        .unwrap();
    assert_eq!(hint.by, vec![0, 1]);
    assert_eq!(c.trail.len(), 3);
}

#[test]
fn replay_reports_a_removed_step_and_goes_on() {
    let src = REFERENCE_GUIDE.replace(
        "[[step]]\nid = \"review-context\"",
        "[[step]]\nid = \"review-context-removed\"",
    );
    let g = guide(&src);
    let r = bundled_case().replay(&g);
    assert_eq!(r.steps, vec![Some(0), None, Some(2)]);
    assert_eq!(r.stale.len(), 2, "{:?}", r.stale);
    assert_eq!(r.stale[0].0, 1);
    assert!(r.stale[0].1.contains("no longer in the guide"));
    // The answer after it was given at a step the guide no longer leads to from there.
    assert_eq!(r.stale[1].0, 2);
    assert!(r.stale[1].1.contains("no longer where"), "{:?}", r.stale);
    assert_eq!(r.position, Position::Done(Stage::Issues));
}

#[test]
fn replay_reports_an_answer_index_past_the_end_and_skips_only_it() {
    let mut c = bundled_case();
    c.trail[1].answer = 17;
    let g = bundled();
    let r = c.replay(&g);
    assert_eq!(r.steps, vec![Some(0), None, Some(2)]);
    assert_eq!(r.stale.iter().map(|s| s.0).collect::<Vec<_>>(), [1, 2]);
    // Views and the ticket cope with it.
    let _ = view::issues(&g, &c);
    let _ = view::checklist(&g, &c);
    let _ = view::progress(&g, &c);
    let _ = crate::ticket::render(&g, &c, crate::ticket::Format::Text, "now");
}

#[test]
fn replay_reports_a_step_the_changed_flow_no_longer_visits() {
    // A new step between the first and the second: the second answer was given at a step the
    // flow does not lead to any more.
    let src = REFERENCE_GUIDE.replacen(
        "[[step]]\nid = \"review-context\"",
        "[[step]]\nid = \"new-check\"\ntitle = \"New check\"\n\n[[step]]\nid = \"review-context\"",
        1,
    );
    let g = guide(&src);
    let c = bundled_case();
    let r = c.replay(&g);
    assert_eq!(r.steps, vec![Some(0), Some(2), Some(3)]);
    assert_eq!(r.stale.len(), 1, "{:?}", r.stale);
    assert_eq!(r.stale[0].0, 1);
    assert!(r.stale[0].1.contains("review-context"), "{:?}", r.stale);
    // Followed nevertheless: the case stays where its answers lead.
    assert_eq!(r.position, Position::Done(Stage::Issues));
}

#[test]
fn a_case_round_trips_through_json() {
    let g = bundled();
    let c = walk(
        &g,
        &[
            Act::Answer(1),
            Act::Mark("incorrect-domain-hint".into(), Some(Mark::RuledOut)),
            Act::Toggle("domain-verification".into(), 0),
            Act::SetNotes("n".into()),
            Act::Escalate,
        ],
    );
    let json = serde_json::to_string(&c).unwrap();
    assert!(
        json.contains("\"ruled-out\"") && json.contains("\"escalated\""),
        "{json}"
    );
    let back: Case = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c);
}

// --- undo -------------------------------------------------------------------------------------

#[test]
fn undo_reverts_each_change_in_turn() {
    let g = bundled();
    let mut w = Wizard::new(Case::new(&g));
    assert_eq!(w.undo(), Err(WizardError::NothingToUndo));
    let acts = [
        Act::Answer(0),
        Act::Mark("incorrect-domain-hint".into(), Some(Mark::Confirmed)),
        Act::Toggle("domain-verification".into(), 0),
        Act::SetField("request_id".into(), "x".into()),
        Act::Back,
        Act::Escalate,
    ];
    let mut states = vec![w.case.clone()];
    for a in &acts {
        w.apply(&g, a).unwrap();
        states.push(w.case.clone());
    }
    for expected in states.iter().rev().skip(1) {
        w.undo().unwrap();
        assert_eq!(&w.case, expected);
    }
    assert_eq!(w.undo(), Err(WizardError::NothingToUndo));
}

#[test]
fn undo_skips_actions_that_changed_nothing_and_failed_ones() {
    let g = bundled();
    let mut w = Wizard::new(Case::new(&g));
    w.apply(&g, &Act::Resolve).unwrap();
    let resolved = w.case.clone();
    w.apply(&g, &Act::Resolve).unwrap(); // no change: not an undo step
    assert!(w.apply(&g, &Act::Back).is_err()); // failed: not an undo step
    assert_eq!(w.history.len(), 1);
    assert_eq!(w.case, resolved);
    w.undo().unwrap();
    assert_eq!(w.case, Case::new(&g));
}

#[test]
fn undo_history_is_bounded() {
    let g = bundled();
    let mut w = Wizard::new(Case::new(&g));
    for i in 0..UNDO_DEPTH + 10 {
        w.apply(&g, &Act::SetNotes(i.to_string())).unwrap();
    }
    assert_eq!(w.history.len(), UNDO_DEPTH);
    for _ in 0..UNDO_DEPTH {
        w.undo().unwrap();
    }
    assert_eq!(
        w.case.notes, "9",
        "the oldest states are the ones forgotten"
    );
    assert!(w.undo().is_err());
}

// --- properties -------------------------------------------------------------------------------

/// Ids of every issue, resolution and field of every test guide, plus names that match none.
fn id_pool() -> Vec<String> {
    let mut pool: Vec<String> = vec![String::new(), "nope".into(), "A".into(), "issues".into()];
    for g in all_guides() {
        pool.extend(g.issues.iter().map(|i| i.id.to_string()));
        pool.extend(g.resolutions.iter().map(|r| r.id.to_string()));
        pool.extend(g.fields().iter().map(|f| f.id.to_string()));
    }
    pool.sort();
    pool.dedup();
    pool
}

fn index() -> impl Strategy<Value = usize> {
    prop_oneof![8 => 0usize..5, 1 => Just(usize::MAX), 1 => any::<usize>()]
}

fn act() -> impl Strategy<Value = Act> {
    let id = || prop::sample::select(id_pool());
    let mark = prop_oneof![
        Just(None),
        Just(Some(Mark::Confirmed)),
        Just(Some(Mark::RuledOut))
    ];
    let text = prop_oneof![
        Just(String::new()),
        Just("7d8e9f0a-1b2c-4d3e-9f8a-7b6c5d4e3f2a".to_owned()),
        "\\PC{0,12}",
        any::<String>(),
    ];
    prop_oneof![
        6 => index().prop_map(Act::Answer),
        3 => Just(Act::Back),
        3 => (id(), mark).prop_map(|(i, m)| Act::Mark(i, m)),
        4 => (id(), index()).prop_map(|(r, t)| Act::Toggle(r, t)),
        2 => (id(), text.clone()).prop_map(|(f, v)| Act::SetField(f, v)),
        1 => text.prop_map(Act::SetNotes),
        1 => Just(Act::Resolve),
        1 => Just(Act::Escalate),
        1 => Just(Act::Reopen),
    ]
}

/// Compute every derived view, so a panic anywhere in them fails the property.
fn look_at_everything(g: &Guide, c: &Case) {
    let r = c.replay(g);
    assert_eq!(r.steps.len(), c.trail.len());
    if let Position::Step(i) = r.position {
        assert!(i < g.steps.len());
    }
    let _ = c.stage(g);
    let issues = view::issues(g, c);
    assert_eq!(issues.len(), g.issues.len());
    let list = view::checklist(g, c);
    assert_eq!(list.len(), g.resolutions.len());
    // Confirmed, suspected, other, ruled out, escalation: never out of that order.
    let whys: Vec<Why> = list.iter().map(|i| i.why).collect();
    assert!(whys.windows(2).all(|w| w[0] <= w[1]), "{whys:?}");
    let p = view::progress(g, c);
    assert!(p.tasks_done <= p.tasks_total && p.fields_filled <= p.fields_required);
    assert!(p.steps_total >= p.answered);
    let _ = crate::ticket::render(g, c, crate::ticket::Format::Markdown, "t");
    let _ = crate::ticket::problems(g, c);
}

proptest! {
    // PROPTEST_CASES=10000 for a longer run.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(200),
        ..ProptestConfig::default()
    })]

    /// (a) No sequence of actions, valid or not, panics in `apply` or in any view; and
    /// (d) an action that fails leaves the case exactly as it was.
    #[test]
    fn no_sequence_of_actions_panics_and_errors_change_nothing(
        which in 0usize..4,
        acts in prop::collection::vec(act(), 0..60),
    ) {
        let g = &all_guides()[which];
        let mut c = Case::new(g);
        look_at_everything(g, &c);
        for a in &acts {
            let before = c.clone();
            if c.apply(g, a).is_err() {
                prop_assert_eq!(&c, &before, "failed {:?} changed the case", a);
            }
            look_at_everything(g, &c);
        }
    }

    /// (b) From any reachable state, undo after an action that changed the case restores it
    /// exactly; an action that changed nothing (or failed) leaves no undo step; and any answer
    /// followed by Back is no change at all.
    #[test]
    fn undo_and_back_restore_the_state_exactly(
        which in 0usize..4,
        acts in prop::collection::vec(act(), 0..60),
    ) {
        let g = &all_guides()[which];
        let mut w = Wizard::new(Case::new(g));
        let mut model: Vec<Case> = Vec::new();
        for a in &acts {
            let before = w.case.clone();
            // Every answer of the current step, then Back.
            for n in 0..g.steps.iter().map(|s| s.answers.len()).max().unwrap_or(0) + 2 {
                let mut probe = before.clone();
                if probe.apply(g, &Act::Answer(n)).is_ok() {
                    prop_assert_eq!(probe.trail.len(), before.trail.len() + 1);
                    probe.apply(g, &Act::Back).expect("Back after an answer");
                    prop_assert_eq!(&probe, &before);
                }
            }
            let history = w.history.len();
            match w.apply(g, a) {
                Ok(()) if w.case != before => {
                    prop_assert_eq!(w.history.len(), history + 1);
                    let after = w.case.clone();
                    w.undo().expect("undo after a change");
                    prop_assert_eq!(&w.case, &before, "undo of {:?}", a);
                    // Redo it to go on from the new state.
                    w.apply(g, a).expect("the same action again");
                    prop_assert_eq!(&w.case, &after);
                    model.push(before);
                }
                Ok(()) | Err(_) => {
                    prop_assert_eq!(&w.case, &before);
                    prop_assert_eq!(w.history.len(), history);
                }
            }
        }
        // Undo all the way back through every change, in order.
        while let Some(expected) = model.pop() {
            w.undo().expect("one undo per change");
            prop_assert_eq!(&w.case, &expected);
        }
        prop_assert_eq!(w.undo(), Err(WizardError::NothingToUndo));
        prop_assert_eq!(&w.case, &Case::new(g));
    }

    /// (c) A ticked task stays ticked whatever else happens, until that same task is toggled.
    #[test]
    fn ticked_tasks_stay_ticked(
        which in 0usize..4,
        acts in prop::collection::vec(act(), 0..80),
    ) {
        let g = &all_guides()[which];
        let mut c = Case::new(g);
        for a in &acts {
            let before = c.done.clone();
            let _ = c.apply(g, a);
            for key in &before {
                let toggled = matches!(a, Act::Toggle(r, t) if (r, t) == (&key.0, &key.1));
                prop_assert!(
                    toggled || c.done.contains(key),
                    "{:?} unticked {:?}", a, key
                );
                if !toggled {
                    prop_assert!(c.is_done(&key.0, key.1));
                }
            }
        }
    }
}

#[test]
fn a_stage_is_done_by_its_own_work_not_by_being_passed() {
    use super::view::stage_done;
    let g = bundled();
    let mut c = Case::new(&g);
    // Escalating at once passes every stage but finishes none of them.
    c.apply(&g, &Act::Escalate).unwrap();
    assert_eq!(c.stage(&g), Stage::Ticket);
    for s in [
        Stage::Diagnostics,
        Stage::Issues,
        Stage::Resolution,
        Stage::Ticket,
    ] {
        assert!(!stage_done(&g, &c, s), "{s:?}");
    }
    for a in [1, 3, 3] {
        c.apply(&g, &Act::Answer(a)).unwrap();
    }
    assert!(stage_done(&g, &c, Stage::Diagnostics));
    assert!(
        !stage_done(&g, &c, Stage::Issues),
        "the suspected issue is not judged yet"
    );
    c.apply(
        &g,
        &Act::Mark("incorrect-domain-hint".into(), Some(Mark::Confirmed)),
    )
    .unwrap();
    assert!(stage_done(&g, &c, Stage::Issues));
    assert!(!stage_done(&g, &c, Stage::Resolution));
    c.apply(&g, &Act::Toggle("domain-verification".into(), 0))
        .unwrap();
    c.apply(&g, &Act::Toggle("force-reauthentication".into(), 0))
        .unwrap();
    assert!(stage_done(&g, &c, Stage::Resolution));
    c.apply(
        &g,
        &Act::SetField(
            "correlation_id".into(),
            "7d8e9f0a-1b2c-4d3e-9f8a-7b6c5d4e3f2a".into(),
        ),
    )
    .unwrap();
    assert!(
        !stage_done(&g, &c, Stage::Ticket),
        "request id still missing"
    );
    c.apply(
        &g,
        &Act::SetField(
            "request_id".into(),
            "0b1c9f8e-2a3d-4e5f-8a9b-1c2d3e4f5a6b".into(),
        ),
    )
    .unwrap();
    assert!(stage_done(&g, &c, Stage::Ticket));
}

#[test]
fn next_and_prev_walk_every_stage_and_wrap() {
    let mut s = Stage::Diagnostics;
    let mut seen = Vec::new();
    for _ in 0..Stage::COUNT {
        seen.push(s);
        assert_eq!(s.next().prev(), s);
        s = s.next();
    }
    assert_eq!(seen, Stage::ALL);
    assert_eq!(s, Stage::Diagnostics, "wraps after the last");
    assert_eq!(Stage::Diagnostics.prev(), Stage::Ticket);
}

// ---------------------------------------------------------------------------------------------
// The life cycle

#[test]
fn life_cycle_open_escalated_sent_closed_and_back() {
    let g = bundled();
    let mut c = Case::new(&g);
    assert_eq!(c.state(), State::Open);
    // A ticket copied while the case is open is not a sent ticket.
    c.apply(&g, &Act::Sent("t1".into(), "copied".into()))
        .unwrap();
    assert_eq!((c.state(), c.sent.clone()), (State::Open, None));
    c.apply(&g, &Act::Escalate).unwrap();
    assert_eq!(c.state(), State::Escalated);
    assert_eq!(c.stage(&g), Stage::Ticket);
    c.apply(&g, &Act::Sent("t2".into(), "copied via OSC 52".into()))
        .unwrap();
    assert_eq!(c.state(), State::TicketSent);
    // Escalating again keeps the record of the sent ticket.
    c.apply(&g, &Act::Escalate).unwrap();
    assert_eq!(c.state(), State::TicketSent);
    c.apply(&g, &Act::Close("t3".into())).unwrap();
    assert_eq!(c.state(), State::Closed);
    assert!(!c.state().is_active());
    // A second close keeps the first time.
    c.apply(&g, &Act::Close("t4".into())).unwrap();
    assert_eq!(c.closed.as_deref(), Some("t3"));
    // Reopening a closed case goes back to where it was, then to open.
    c.apply(&g, &Act::Reopen).unwrap();
    assert_eq!(c.state(), State::TicketSent);
    c.apply(&g, &Act::Reopen).unwrap();
    assert_eq!(c.state(), State::Open);
    assert_eq!(c.sent, None);
}

#[test]
fn resolving_records_the_fix_with_the_most_ticks_and_reopening_forgets_it() {
    let g = bundled();
    let mut c = walk(&g, &[Act::Answer(0), Act::Answer(0), Act::Answer(0)]);
    c.apply(&g, &Act::Resolve).unwrap();
    assert_eq!((c.state(), c.fixed_by.clone()), (State::Resolved, None));
    c.apply(&g, &Act::Reopen).unwrap();
    let list = view::checklist(&g, &c);
    let second = g.resolutions[list[1].resolution].id.to_string();
    c.apply(&g, &Act::Toggle(second.clone(), 0)).unwrap();
    c.apply(&g, &Act::Resolve).unwrap();
    assert_eq!(c.fixed_by.as_deref(), Some(second.as_str()));
    c.apply(&g, &Act::Reopen).unwrap();
    assert_eq!((c.state(), c.fixed_by.clone()), (State::Open, None));
    // Escalating a resolved case takes the fix away too.
    c.apply(&g, &Act::Resolve).unwrap();
    c.apply(&g, &Act::Escalate).unwrap();
    assert_eq!((c.state(), c.fixed_by.clone()), (State::Escalated, None));
}

#[test]
fn loose_ends_are_the_unanswered_diagnostics_and_empty_required_fields() {
    let g = bundled();
    let mut c = Case::new(&g);
    let (waiting, empty) = c.loose_ends(&g);
    assert!(waiting);
    let required: Vec<String> = g
        .fields()
        .iter()
        .filter(|f| f.required && f.default.is_none())
        .map(|f| f.label.clone())
        .collect();
    assert!(!required.is_empty());
    assert_eq!(empty, required);
    c = walk(&g, &[Act::Answer(0), Act::Answer(0), Act::Answer(0)]);
    for f in g.fields().iter().filter(|f| f.required) {
        c.apply(&g, &Act::SetField(f.id.to_string(), "x".into()))
            .unwrap();
    }
    assert_eq!(c.loose_ends(&g), (false, Vec::new()));
}

#[test]
fn the_label_is_one_undo_step_and_close_is_undone_exactly() {
    let g = bundled();
    let mut w = Wizard::new(Case::new(&g));
    w.apply(&g, &Act::SetLabel("jane".into())).unwrap();
    w.apply(&g, &Act::Close("t".into())).unwrap();
    assert_eq!(w.case.state(), State::Closed);
    w.undo().unwrap();
    assert_eq!(
        (w.case.state(), w.case.label.as_str()),
        (State::Open, "jane")
    );
    w.undo().unwrap();
    assert_eq!(w.case.label, "");
}
