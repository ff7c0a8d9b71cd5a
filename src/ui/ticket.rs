//! The ticket pane: one input per field (with checks as you type), the engineer's notes, a box
//! to paste error text into, and the ticket text exactly as it will be copied. Also the
//! proposal overlay that shows what a paste held.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::text::PaneText;
use super::{centered, overlay_box};
use crate::app::{App, TicketRow, WizardUi};
use crate::guide::Guide;
use crate::ticket;
use crate::ticket::extract::sanitize;

/// Width of the label column.
fn label_width(guide: &Guide) -> usize {
    guide
        .fields()
        .iter()
        .map(|f| f.label.chars().count())
        .max()
        .unwrap_or(5)
        .clamp(5, 24)
}

#[expect(
    clippy::too_many_lines,
    reason = "the ticket pane's rows in display order"
)]
pub fn content(app: &App, w: &WizardUi, guide: &Guide, width: u16) -> PaneText {
    let t = &app.theme;
    let case = &w.wizard.case;
    let mut p = PaneText::new(width);
    if guide.ticket.is_none() {
        p.para(
            "This guide has no ticket section; the case context can still be copied (y).",
            0,
            t.dim,
        );
    }
    let problems = ticket::problems(guide, case);
    let lw = label_width(guide);
    let editing = w.editing.as_ref().map(|e| e.row);
    for row in app.ticket_rows() {
        let typing = editing == Some(row);
        match row {
            TicketRow::Field(i) => {
                let f = &guide.fields()[i];
                let v = if typing {
                    w.editing.as_ref().map_or("", |e| e.input.value())
                } else {
                    case.field(&f.id)
                };
                let problem = problems.iter().find(|x| x.field == *f.id);
                let (sym, style) = match (problem, v.trim().is_empty()) {
                    (Some(_), _) => ("✗", t.bad),
                    (None, true) => ("·", t.dim),
                    (None, false) => ("✓", t.ok),
                };
                let shown = if v.is_empty() && !typing {
                    f.hint
                        .clone()
                        .map_or_else(String::new, |h| format!("[{h}]"))
                } else {
                    v.to_owned()
                };
                let details: Vec<(String, Style)> = problem
                    .map(|x| (x.message.clone(), t.bad))
                    .into_iter()
                    .collect();
                let value_style = if v.is_empty() {
                    t.dim
                } else {
                    Style::default()
                };
                p.item(
                    Span::styled(sym, style),
                    &format!("{:<lw$} {shown}", f.label),
                    value_style,
                    &details,
                );
            }
            TicketRow::Notes => {
                let v = if typing {
                    w.editing.as_ref().map_or("", |e| e.input.value())
                } else {
                    case.notes.as_str()
                };
                let shown = if v.is_empty() && !typing {
                    "[what was tried, anything the next tier should know]"
                } else {
                    v
                };
                p.item(
                    Span::styled("✎", t.accent),
                    &format!("{:<lw$} {shown}", "Notes"),
                    if v.is_empty() {
                        t.dim
                    } else {
                        Style::default()
                    },
                    &[],
                );
            }
            TicketRow::PasteBox => {
                let v = if typing {
                    w.editing.as_ref().map_or("", |e| e.input.value())
                } else {
                    ""
                };
                let shown = if typing {
                    v
                } else {
                    "[paste error text here, or paste anywhere: IDs are pulled out]"
                };
                p.item(
                    Span::styled("⎘", t.accent),
                    &format!("{:<lw$} {shown}", "Paste"),
                    t.dim,
                    &[],
                );
            }
            // Drawn below, after the hint and heading.
            TicketRow::Text(_) => {}
        }
    }
    p.blank();
    let keys = |a| {
        app.keymap
            .keys(a)
            .first()
            .map_or_else(String::new, ToString::to_string)
    };
    let hint = if editing.is_some() {
        "Typing: Enter or Esc done, Tab next field, Ctrl-W delete word, Ctrl-Y copy".to_owned()
    } else {
        format!(
            "{} edit the highlighted row · {} copy the ticket",
            keys(crate::keymap::Action::Select),
            keys(crate::keymap::Action::Copy)
        )
    };
    p.para(&hint, 0, t.dim);
    p.blank();
    p.para(
        if app.redact {
            "Ticket text, as it will be copied (redacted: user names, addresses, tenants)"
        } else {
            "Ticket text, as it will be copied"
        },
        0,
        t.heading,
    );
    if let Some(text) = app.ticket_text() {
        for line in text.lines() {
            p.item(Span::raw(""), line, Style::default(), &[]);
        }
    }
    p
}

/// Where the cursor goes while typing: (row index in the pane's items, column in the line).
pub fn cursor_column(app: &App, w: &WizardUi, guide: &Guide) -> Option<(usize, usize)> {
    let ed = w.editing.as_ref()?;
    let row = app.ticket_rows().iter().position(|r| *r == ed.row)?;
    // Gutter, symbol and space, label column and space, then the cursor within the value.
    let col = super::text::GUTTER + 2 + label_width(guide) + 1 + ed.input.visual_cursor();
    Some((row, col))
}

/// The overlay listing what a paste held, for the engineer to accept (Enter) or dismiss (Esc).
pub fn render_proposal(frame: &mut Frame<'_>, area: Rect, app: &App, w: &WizardUi) {
    let Some(p) = &w.proposal else { return };
    let t = &app.theme;
    let mut lines = vec![
        Line::from(Span::styled("Found in the pasted text:", t.heading)),
        Line::default(),
    ];
    if p.fields.is_empty() {
        lines.push(Line::from(Span::styled(
            "  the ticket fields already hold these values",
            t.dim,
        )));
    }
    for (_, label, old, new) in &p.fields {
        let mut spans = vec![
            Span::styled(format!("  {label}: "), t.heading),
            Span::styled(sanitize(new), t.ok),
        ];
        if !old.is_empty() {
            spans.push(Span::styled(
                format!("  (replaces {})", sanitize(old)),
                t.warn,
            ));
        }
        lines.push(Line::from(spans));
    }
    if !p.extras.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            "Also found (added to the notes):",
            t.heading,
        )));
        for (k, v) in &p.extras {
            lines.push(Line::from(format!("  {}: {}", sanitize(k), sanitize(v))));
        }
    }
    for n in &p.notes {
        lines.push(Line::from(Span::styled(
            format!("  ! {}", sanitize(n)),
            t.warn,
        )));
    }
    lines.push(Line::default());
    lines.push(Line::from(vec![
        Span::styled("Enter", t.accent),
        Span::raw(" accept all   "),
        Span::styled("Esc", t.accent),
        Span::raw(" dismiss"),
    ]));
    let h = u16::try_from(lines.len() + 4).unwrap_or(u16::MAX);
    let rect = centered(area, area.width.saturating_sub(4).min(96), h);
    let inner = overlay_box(frame, rect, "Pasted error text", app);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
