//! The replay cases generated for an imported guide.

use super::build::NO;
use crate::authoring::replay;
use crate::guide::{AnswerRef, Guide, Name, ReplayCase, Step};

/// Replay cases for the generated flow: one per issue some answer names (its "Yes" where it is
/// first offered, "No" everywhere else) and one where nothing is found. Their expectations are
/// what the real wizard shows for the guide as imported, so the author's edits are checked
/// against what the import meant.
pub(super) fn generate_cases(g: &Guide) -> Vec<ReplayCase> {
    let fields: std::collections::BTreeMap<String, String> = g
        .fields()
        .iter()
        .filter_map(|f| f.default.as_ref().map(|d| (f.id.to_string(), d.clone())))
        .collect();
    let answer_no = |s: &Step| -> String {
        if s.answers.is_empty() {
            "Done".to_owned()
        } else {
            NO.to_owned()
        }
    };
    let mut plans: Vec<(String, Vec<String>, usize)> = Vec::new();
    for issue in &g.issues {
        let mut chosen = false;
        let answers: Vec<String> = g
            .steps
            .iter()
            .map(|s| {
                let yes = s
                    .answers
                    .iter()
                    .find(|a| a.suspect.len() == 1 && a.suspect[0] == issue.id);
                match yes {
                    Some(a) if !chosen => {
                        chosen = true;
                        a.label.clone()
                    }
                    _ => answer_no(s),
                }
            })
            .collect();
        if chosen {
            plans.push((issue.id.to_string(), answers, issue.fixes.len().max(1)));
        }
    }
    let mut name = "nothing-found".to_owned();
    while g.issues.iter().any(|i| *i.id == *name) {
        name.push('-');
        name.push('2');
    }
    plans.push((
        name,
        g.steps.iter().map(answer_no).collect(),
        g.resolutions.len().min(3),
    ));
    let mut out = Vec::new();
    for (name, answers, n) in plans {
        let mut rc = ReplayCase {
            name: Name::new(name),
            answers: answers
                .iter()
                .map(|a| AnswerRef::from(a.as_str()))
                .collect(),
            confirm: Vec::new(),
            rule_out: Vec::new(),
            expect_suspected: None,
            expect_checklist: None,
            expect_fields: fields
                .iter()
                .map(|(k, v)| (k.clone(), Name::new(v.as_str())))
                .collect(),
        };
        let Ok(seen) = replay::observe(g, &rc) else {
            continue;
        };
        rc.expect_suspected = Some(
            seen.suspected
                .iter()
                .map(|s| Name::new(s.as_str()))
                .collect(),
        );
        rc.expect_checklist = Some(
            seen.checklist
                .iter()
                .take(n)
                .map(|s| Name::new(s.as_str()))
                .collect(),
        );
        out.push(rc);
    }
    out
}
