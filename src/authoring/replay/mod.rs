//! Replay cases: a guide's `[[case]]` tables run through the real state machine
//! ([`crate::wizard::Case`], [`crate::wizard::view`]), as `tshoot test` does.
//!
//! A case gives answers as labels or numbers, exactly as an engineer would pick them; what it
//! then compares is what the wizard shows: the suspected issues (as a set: their order in the
//! pane also depends on how many answers point at each, which the author rarely means to
//! pin), the first resolutions of the checklist (in order: that order is the guide's advice),
//! and ticket field values. Only the `expect_...` keys present are compared.

use std::fmt::Write as _;

use crate::guide::{Guide, Library, ReplayCase};
use crate::wizard::{Act, Case, Mark, WizardError, view};

/// Why a replay case's answers and marks could not be given to the wizard.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReplayError {
    /// The answers do not fit the guide's steps (the message names the answer).
    #[error("{0}")]
    Answers(String),
    /// The state machine refused answer `step` (1-based).
    #[error("answer {step}: {why}")]
    Answer { step: usize, why: WizardError },
    /// The state machine refused a confirm or rule-out mark.
    #[error("{0}")]
    Mark(WizardError),
    /// The answers were taken but the wizard then shows them as no longer valid.
    #[error("the wizard does not accept the answers: {0}")]
    Stale(String),
}

/// What the wizard shows after a case's answers and marks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Observed {
    /// Ids of the suspected issues, in the order of the issues pane.
    pub suspected: Vec<String>,
    /// Ids of the checklist's resolutions, in order.
    pub checklist: Vec<String>,
    /// The case, for field values and anything else.
    pub case: Case,
}

/// Give the case's answers and marks to a new case of `guide`; an error says why they could
/// not be given (an answer the guide does not offer, an unknown issue).
pub fn observe(guide: &Guide, rc: &ReplayCase) -> Result<Observed, ReplayError> {
    let mut case = Case::new(guide);
    let walk = guide
        .walk(&rc.answers)
        .map_err(|e| ReplayError::Answers(e.message))?;
    for (k, (_, a)) in walk.iter().enumerate() {
        case.apply(guide, &Act::Answer(*a))
            .map_err(|why| ReplayError::Answer { step: k + 1, why })?;
    }
    let marks = rc
        .confirm
        .iter()
        .map(|id| (id, Mark::Confirmed))
        .chain(rc.rule_out.iter().map(|id| (id, Mark::RuledOut)));
    for (id, mark) in marks {
        case.apply(guide, &Act::Mark(id.to_string(), Some(mark)))
            .map_err(ReplayError::Mark)?;
    }
    let stale = case.replay(guide).stale;
    if let Some((_, why)) = stale.first() {
        return Err(ReplayError::Stale(why.clone()));
    }
    let suspected = view::issues(guide, &case)
        .iter()
        .filter(|v| v.suspected())
        .map(|v| guide.issues[v.issue].id.to_string())
        .collect();
    let checklist = view::checklist(guide, &case)
        .iter()
        .map(|c| guide.resolutions[c.resolution].id.to_string())
        .collect();
    Ok(Observed {
        suspected,
        checklist,
        case,
    })
}

/// Run one case: each way what the wizard shows differs from what the case expects, as
/// "what: expected ..., got ..." lines. Empty when the case passes.
pub fn run_case(guide: &Guide, rc: &ReplayCase) -> Vec<String> {
    let seen = match observe(guide, rc) {
        Ok(o) => o,
        Err(e) => return vec![e.to_string()],
    };
    let mut problems = Vec::new();
    if let Some(expected) = &rc.expect_suspected {
        let mut want: Vec<&str> = expected
            .iter()
            .map(super::super::guide::name::Name::as_str)
            .collect();
        let mut got: Vec<&str> = seen.suspected.iter().map(String::as_str).collect();
        want.sort_unstable();
        want.dedup();
        got.sort_unstable();
        if want != got {
            problems.push(format!(
                "suspected issues: expected {}, got {}",
                list(expected.iter().map(super::super::guide::name::Name::as_str)),
                list(seen.suspected.iter().map(String::as_str))
            ));
        }
    }
    if let Some(expected) = &rc.expect_checklist {
        let fits = seen.checklist.len() >= expected.len()
            && expected
                .iter()
                .zip(&seen.checklist)
                .all(|(e, g)| e.as_str() == g);
        if !fits {
            problems.push(format!(
                "checklist: expected it to start with {}, got {}",
                list(expected.iter().map(super::super::guide::name::Name::as_str)),
                list(seen.checklist.iter().map(String::as_str))
            ));
        }
    }
    for (id, want) in &rc.expect_fields {
        let got = seen.case.field(id);
        if got != want.as_str() {
            problems.push(format!("ticket field {id}: expected {want:?}, got {got:?}"));
        }
    }
    problems
}

fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let quoted: Vec<String> = items.map(|s| format!("{s:?}")).collect();
    format!("[{}]", quoted.join(", "))
}

/// The outcome of `tshoot test` over a library.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub passed: usize,
    pub failed: usize,
    /// Guides that loaded but hold no cases (ids).
    pub without_cases: Vec<String>,
}

/// Run every case of every guide in `lib`, reporting like a test runner into `out`. Guides
/// that did not load count as failures: a case cannot pass on a guide nobody can open.
pub fn run_library(lib: &Library, out: &mut String) -> Summary {
    let mut sum = Summary::default();
    let total: usize = lib.guides.iter().map(|e| e.guide.cases.len()).sum();
    let with_cases = lib
        .guides
        .iter()
        .filter(|e| !e.guide.cases.is_empty())
        .count();
    let _ = writeln!(
        out,
        "running {total} replay case{} from {with_cases} guide{}",
        plural(total),
        plural(with_cases)
    );
    let mut failures: Vec<(String, Vec<String>)> = Vec::new();
    for f in &lib.failures {
        let name = f.origin.to_string();
        let _ = writeln!(out, "test {name} ... FAILED (the guide did not load)");
        failures.push((
            name,
            f.diagnostics
                .iter()
                .map(super::super::guide::diag::Diagnostic::headline)
                .collect(),
        ));
        sum.failed += 1;
    }
    for e in &lib.guides {
        let g = &e.guide;
        if g.cases.is_empty() {
            sum.without_cases.push(g.id.to_string());
        }
        for rc in &g.cases {
            let name = format!("{}::{}", g.id, rc.name);
            let problems = run_case(g, rc);
            if problems.is_empty() {
                let _ = writeln!(out, "test {name} ... ok");
                sum.passed += 1;
            } else {
                let _ = writeln!(out, "test {name} ... FAILED");
                failures.push((format!("{name} ({})", e.origin), problems));
                sum.failed += 1;
            }
        }
    }
    if !failures.is_empty() {
        let _ = writeln!(out, "\nfailures:");
        for (name, problems) in &failures {
            let _ = writeln!(out, "\n---- {name} ----");
            for p in problems {
                let _ = writeln!(out, "  {p}");
            }
        }
    }
    if !sum.without_cases.is_empty() {
        let _ = writeln!(
            out,
            "\nnote: no replay cases in {} (add [[case]] tables; `tshoot new ID` shows how)",
            sum.without_cases.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "\ntest result: {}. {} passed, {} failed",
        if sum.failed == 0 { "ok" } else { "FAILED" },
        sum.passed,
        sum.failed
    );
    sum
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests;
