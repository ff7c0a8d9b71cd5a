//! Overlays: the key help (generated from the key map, so it never drifts) and the guide's
//! notes and links; plus the notes strip under the panes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::text::wrap;
use super::{centered, overlay_box};
use crate::app::App;
use crate::guide::Guide;
use crate::keymap::Action;
use crate::ticket::extract::sanitize;

/// The help overlay's rows, keys and what they do, for every action, from the key map.
pub fn help_rows(app: &App) -> Vec<(String, String)> {
    let keys = |a: Action| {
        app.keymap
            .keys(a)
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut rows = vec![("1-9".to_owned(), "choose that answer".to_owned())];
    // Opposite moves share a line, so the whole help fits an 80x24 terminal.
    let pairs = [
        (Action::Up, Action::Down),
        (Action::PageUp, Action::PageDown),
        (Action::Top, Action::Bottom),
        (Action::NextPane, Action::PrevPane),
    ];
    for a in Action::ALL {
        let (k, what) = if let Some((x, y)) = pairs.iter().find(|(x, _)| *x == a) {
            (
                format!("{} / {}", keys(*x), keys(*y)),
                format!("{} / {}", x.describe(), y.describe()),
            )
        } else if pairs.iter().any(|(_, y)| *y == a) {
            continue;
        } else {
            (keys(a), a.describe().to_owned())
        };
        if k.trim().is_empty() || k.trim() == "/" {
            continue;
        }
        rows.push((k, what));
    }
    rows
}

/// The help overlay's lines for `width` columns: a key column as wide as the longest keys (at
/// most half the width) and the descriptions wrapped beside it; keys too long for the column
/// get a line of their own.
pub fn help_lines(app: &App, width: u16) -> Vec<Line<'static>> {
    let t = &app.theme;
    let width = usize::from(width);
    let rows = help_rows(app);
    let col = (rows.iter().map(|(k, _)| k.width()).max().unwrap_or(0) + 2)
        .min(width / 2)
        .max(4);
    let mut lines = Vec::new();
    for (k, what) in rows {
        let mut desc = wrap(&what, width.saturating_sub(col)).into_iter();
        if k.width() + 1 > col {
            lines.push(Line::from(Span::styled(k, t.accent)));
        } else {
            let pad = " ".repeat(col - k.width());
            let first = desc.next().unwrap_or_default();
            lines.push(Line::from(vec![
                Span::styled(format!("{k}{pad}"), t.accent),
                Span::raw(first),
            ]));
        }
        for d in desc {
            lines.push(Line::from(vec![Span::raw(" ".repeat(col)), Span::raw(d)]));
        }
    }
    let mouse = "Mouse: click a pane or an item, click again to act; the wheel moves.";
    for l in wrap(mouse, width) {
        lines.push(Line::from(Span::styled(l, t.dim)));
    }
    lines
}

pub fn render_help(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let width = area.width.min(78);
    let lines = help_lines(app, width.saturating_sub(2));
    let h = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = centered(area, width, h);
    let inner = overlay_box(frame, rect, "Keys", app);
    frame.render_widget(Paragraph::new(lines), inner);
}

fn notes_lines(app: &App, guide: &Guide) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut lines = Vec::new();
    if !guide.summary.is_empty() {
        lines.push(Line::from(sanitize(&guide.summary)));
        lines.push(Line::default());
    }
    for n in &guide.notes {
        lines.push(Line::from(vec![
            Span::styled(format!("{}: ", sanitize(&n.title)), t.heading),
            Span::raw(sanitize(&n.text)),
        ]));
    }
    if !guide.links.is_empty() {
        lines.push(Line::default());
        for l in &guide.links {
            lines.push(Line::from(vec![
                Span::styled(format!("{}: ", sanitize(&l.title)), t.heading),
                Span::styled(sanitize(&l.url), t.accent),
            ]));
        }
    }
    lines
}

pub fn render_notes(frame: &mut Frame<'_>, area: Rect, app: &App, guide: &Guide) {
    let rect = centered(
        area,
        area.width.saturating_sub(4).min(100),
        area.height.saturating_sub(4),
    );
    let inner = overlay_box(frame, rect, "Notes and links", app);
    frame.render_widget(
        Paragraph::new(notes_lines(app, guide)).wrap(Wrap { trim: false }),
        inner,
    );
}

/// Under the panes: the notes in full when there is room, else a one-line pointer.
pub fn render_notes_strip(frame: &mut Frame<'_>, area: Rect, app: &App, guide: &Guide) {
    let t = &app.theme;
    if area.height >= 3 {
        let block = Block::bordered()
            .border_style(t.dim)
            .title(Span::styled(" Notes · n ", t.dim));
        let mut lines = Vec::new();
        for n in &guide.notes {
            lines.push(Line::from(vec![
                Span::styled(format!("{}: ", sanitize(&n.title)), t.heading),
                Span::styled(sanitize(&n.text), t.dim),
            ]));
        }
        for l in &guide.links {
            lines.push(Line::from(vec![
                Span::styled(format!("{}: ", sanitize(&l.title)), t.heading),
                Span::styled(sanitize(&l.url), t.accent),
            ]));
        }
        frame.render_widget(
            Paragraph::new(lines)
                .block(block)
                .wrap(Wrap { trim: false }),
            area,
        );
        return;
    }
    let key = app
        .keymap
        .keys(Action::Notes)
        .first()
        .map_or_else(String::new, ToString::to_string);
    let mut spans = vec![Span::styled(format!(" ⓘ {key} "), t.accent)];
    let counts = format!(
        "{} note{}, {} link{}",
        guide.notes.len(),
        if guide.notes.len() == 1 { "" } else { "s" },
        guide.links.len(),
        if guide.links.len() == 1 { "" } else { "s" }
    );
    spans.push(Span::styled(counts, t.dim));
    if let Some(l) = guide.links.first() {
        spans.push(Span::styled(format!(" · {}", sanitize(&l.url)), t.dim));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
