//! The common issues pane: suspected issues first, each saying which answers point at it, with
//! the engineer's judgement (✓ confirmed, ✗ ruled out, ? suspected).

use ratatui::text::Span;

use super::text::PaneText;
use crate::app::{App, WizardUi};
use crate::guide::Guide;
use crate::wizard::view::{self, IssueState};

pub fn content(app: &App, w: &WizardUi, guide: &Guide, width: u16) -> PaneText {
    let t = &app.theme;
    let case = &w.wizard.case;
    let mut p = PaneText::new(width);
    let views = view::issues(guide, case);
    let suspected = views.iter().filter(|v| v.suspected()).count();
    let open = views
        .iter()
        .filter(|v| v.suspected() && v.mark.is_none())
        .count();
    p.para(
        &match (suspected, open) {
            (0, _) if case.trail.is_empty() => {
                "Answer the diagnostics to see which issues they point at.".to_owned()
            }
            (0, _) => "The answers point at no issue.".to_owned(),
            (n, 0) => format!("{n} suspected by the answers; all judged."),
            (n, o) => {
                format!("{n} suspected by the answers, {o} open: confirm (c) or rule out (x).")
            }
        },
        0,
        t.dim,
    );
    p.blank();
    for v in &views {
        let issue = &guide.issues[v.issue];
        let state = v.state().word();
        let (sym, style) = match v.state() {
            IssueState::Confirmed => ("✓", t.ok),
            IssueState::RuledOut => ("✗", t.bad),
            IssueState::Suspected => ("?", t.warn),
            IssueState::NotSuspected => ("·", t.dim),
        };
        let mut details = Vec::new();
        if !issue.text.is_empty() {
            details.push((issue.text.clone(), ratatui::style::Style::default()));
        }
        if v.suspected() {
            let by: Vec<String> =
                v.by.iter()
                    .map(|&k| format!("\"{}\"", case.trail[k].label))
                    .collect();
            details.push((format!("← {}", by.join(", ")), t.dim));
        }
        p.item(
            Span::styled(sym, style),
            &format!("{} ({state})", issue.title),
            style,
            &details,
        );
    }
    p
}
