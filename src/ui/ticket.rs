//! The ticket pane: the fields to collect and the ticket text as it will be copied.

use ratatui::text::Span;

use super::text::PaneText;
use crate::app::{App, WizardUi};
use crate::guide::Guide;
use crate::ticket;

pub fn content(app: &App, w: &WizardUi, guide: &Guide, width: u16) -> PaneText {
    let t = &app.theme;
    let case = &w.wizard.case;
    let mut p = PaneText::new(width);
    if guide.ticket.is_none() {
        p.para("This guide has no ticket section.", 0, t.dim);
        return p;
    }
    let problems = ticket::problems(guide, case);
    for f in guide.fields() {
        let v = case.field(&f.id);
        let problem = problems.iter().find(|x| x.field == *f.id);
        let (sym, style) = match (problem, v.is_empty()) {
            (Some(_), _) => ("✗", t.bad),
            (None, true) => ("·", t.dim),
            (None, false) => ("✓", t.ok),
        };
        let shown = if v.is_empty() { f.hint.clone().map_or_else(|| "(empty)".to_owned(), |h| format!("[{h}]")) } else { v.to_owned() };
        let details: Vec<(String, ratatui::style::Style)> = problem.map(|x| (x.message.clone(), t.bad)).into_iter().collect();
        p.item(Span::styled(sym, style), &format!("{}: {shown}", f.label), ratatui::style::Style::default(), &details);
    }
    p.blank();
    p.para("Ticket text", 0, t.heading);
    let now = (app.now)();
    for line in ticket::render(guide, case, ticket::Format::Text, &now).lines() {
        p.para(line, 1, ratatui::style::Style::default());
    }
    p
}
