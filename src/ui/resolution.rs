//! The resolution checklist: fixes for confirmed and suspected issues first, each with its
//! tasks as checkboxes and a done count; the escalation last.

use ratatui::text::Span;

use super::text::PaneText;
use crate::app::{App, WizardUi};
use crate::guide::Guide;
use crate::wizard::view::{self, Why};

pub fn content(app: &App, w: &WizardUi, guide: &Guide, width: u16) -> PaneText {
    let t = &app.theme;
    let case = &w.wizard.case;
    let mut p = PaneText::new(width);
    let list = view::checklist(guide, case);
    let total: usize = list.iter().map(|c| c.done.len()).sum();
    let done: usize = list.iter().map(view::ChecklistItem::done_count).sum();
    p.para(
        &format!("{done} of {total} tasks done. Space ticks a task."),
        0,
        t.dim,
    );
    let mut group = None;
    for c in &list {
        if group != Some(c.why) {
            group = Some(c.why);
            p.blank();
            let heading = match c.why {
                Why::Confirmed => "Fixes for confirmed issues",
                Why::Suspected => "Fixes for suspected issues",
                Why::Other => "Other fixes",
                Why::RuledOut => "Fixes for ruled-out issues",
                Why::Escalation => "Escalation",
            };
            p.para(heading, 0, t.heading);
        }
        let res = &guide.resolutions[c.resolution];
        let count_style = if c.done_count() == c.done.len() {
            t.ok
        } else {
            t.dim
        };
        p.line(vec![
            Span::raw(" "),
            Span::styled(res.title.clone(), t.heading),
            Span::styled(format!(" {}/{}", c.done_count(), c.done.len()), count_style),
        ]);
        if !c.for_issues.is_empty() {
            let names: Vec<&str> = c
                .for_issues
                .iter()
                .map(|&i| guide.issues[i].title.as_str())
                .collect();
            p.para(&format!("for {}", names.join(", ")), 2, t.dim);
        }
        if !res.text.is_empty() {
            p.para(&res.text, 2, t.dim);
        }
        for (k, task) in res.tasks.iter().enumerate() {
            let (sym, style) = if c.done[k] {
                ("[✓]", t.ok)
            } else {
                ("[ ]", ratatui::style::Style::default())
            };
            p.item(
                Span::styled(sym, style),
                task,
                ratatui::style::Style::default(),
                &[],
            );
        }
    }
    p
}
