//! The header: guide id and title, the case's status, and the stepper of the four stages with
//! their progress. In a narrow terminal the stepper doubles as the pane tabs.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::app::{App, WizardUi};
use crate::guide::Guide;
use crate::ticket::extract::sanitize;
use crate::wizard::{Stage, view};

/// The stepper's tabs: (stage, label).
fn tabs(w: &WizardUi, guide: &Guide, compact: bool) -> Vec<(Stage, String)> {
    let case = &w.wizard.case;
    let p = view::progress(guide, case);
    let current = case.stage(guide);
    Stage::ALL
        .into_iter()
        .map(|s| {
            let figure = match s {
                Stage::Diagnostics => format!("{}/{}", p.answered, p.steps_total),
                Stage::Issues => format!("{}?", p.issues_suspected),
                Stage::Resolution => format!("{}/{}", p.tasks_done, p.tasks_total),
                Stage::Ticket => format!("{}/{}", p.fields_filled, p.fields_required),
            };
            // ✓ only for a stage whose own work is complete, not merely passed.
            let mark = if view::stage_done(guide, case, s) {
                "✓"
            } else if s == current {
                "●"
            } else {
                "○"
            };
            let name = if compact { s.short_title() } else { s.title() };
            (s, format!("{mark} {} {name} {figure}", s.index() + 1))
        })
        .collect()
}

const SEP: &str = " ─ ";

fn compact(area: Rect) -> bool {
    area.width < 90
}

pub fn render(frame: &mut Frame<'_>, area: Rect, app: &App, w: &WizardUi, guide: &Guide) {
    let t = &app.theme;
    let title = match &w.session.code {
        // The generic guide working a code: the code is what the case is about.
        Some(code) => format!(
            " {} · {} · {} ",
            sanitize(code),
            sanitize(&guide.id),
            sanitize(&guide.title)
        ),
        None => format!(" {} · {} ", sanitize(&guide.id), sanitize(&guide.title)),
    };
    let status = case_title(w, usize::from(area.width).saturating_sub(title.width() + 4));
    let block = Block::bordered()
        .border_style(t.dim)
        .title(Span::styled(title, t.heading))
        .title(Line::from(Span::styled(status, t.dim)).right_aligned());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut spans = Vec::new();
    for (i, (stage, label)) in tabs(w, guide, compact(area)).into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(SEP, t.dim));
        }
        let style = if stage == w.focus {
            t.accent.add_modifier(Modifier::REVERSED)
        } else {
            ratatui::style::Style::default()
        };
        spans.push(Span::styled(format!(" {label} "), style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), inner);
}

/// The header's right-hand title in at most `room` columns: ` label · case 3f9a · escalated `,
/// dropping the label (then the word "case") when there is no room for it.
fn case_title(w: &WizardUi, room: usize) -> String {
    let case = &w.wizard.case;
    let state = case.state().word();
    let id = sanitize(w.session.short_id());
    let bare = format!(" case {id} · {state} ");
    let label = crate::session::summary::label_of(case);
    if !label.is_empty() {
        let left = room.saturating_sub(bare.width() + 3);
        if let Some(short) = crate::session::summary::shorten(&label, left) {
            return format!(" {short} ·{bare}");
        }
    }
    if bare.width() <= room {
        bare
    } else {
        format!(" {id} · {state} ")
    }
}

/// The tab under `pos`, for mouse clicks.
pub fn tab_at(_app: &App, w: &WizardUi, guide: &Guide, area: Rect, pos: Position) -> Option<Stage> {
    let inner = Block::bordered().inner(area);
    if pos.y != inner.y || pos.x < inner.x {
        return None;
    }
    let mut x = inner.x;
    for (i, (stage, label)) in tabs(w, guide, compact(area)).into_iter().enumerate() {
        if i > 0 {
            x += u16::try_from(SEP.width()).unwrap_or(3);
        }
        let wdt = u16::try_from(label.width() + 2).unwrap_or(0);
        if pos.x >= x && pos.x < x + wdt {
            return Some(stage);
        }
        x += wdt;
    }
    None
}
