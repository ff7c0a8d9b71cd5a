//! The guide picker: a search line, then the matching guides (id, title, a tag hint), and
//! guides that failed to load with their error.
//!
//! The tag hint shows a guide's tags as `#mfa #device`, leaving out those every guide has
//! (they tell nothing apart), and only whole tags that fit the row: a row never wraps or ends
//! in half a tag. Typing one of them (`#mfa`) filters by it (see [`crate::picker`]); the empty
//! search line says so.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};

use unicode_width::UnicodeWidthStr;

use crate::app::App;
use crate::picker::Item;
use crate::ticket::extract::sanitize;

struct Areas {
    search: Rect,
    list: Rect,
    footer: Rect,
}

fn areas(area: Rect) -> Areas {
    let [search, list, footer] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    Areas {
        search,
        list: Block::bordered().inner(list),
        footer,
    }
}

fn offset(app: &App, height: usize) -> usize {
    app.picker
        .selection
        .saturating_sub(height.saturating_sub(1))
}

#[expect(
    clippy::too_many_lines,
    reason = "draws the picker top to bottom: search line, rows, hints, footer"
)]
pub fn render(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let t = &app.theme;
    let a = areas(area);
    let total = app.catalog.items.len();
    let shown = app
        .picker
        .items
        .iter()
        .filter(|i| matches!(i, Item::Guide(_)))
        .count();
    let search = Block::bordered()
        .border_type(BorderType::Thick)
        .border_style(t.accent)
        .title(Span::styled(" tshoot · find a guide ", t.accent))
        .title(Line::from(Span::styled(format!(" {shown}/{total} "), t.dim)).right_aligned());
    let mut query = vec![
        Span::styled("> ", t.accent),
        Span::raw(sanitize(&app.picker.query)),
        Span::styled("█", t.dim),
    ];
    if app.picker.query.is_empty() {
        query.push(Span::styled(
            " type an id, a number or words; #mfa or tag:mfa filters by tag",
            t.dim,
        ));
    }
    let query = Line::from(query);
    frame.render_widget(Paragraph::new(query).block(search), a.search);

    let list_block = Block::bordered().border_style(t.dim);
    frame.render_widget(
        list_block,
        Rect {
            y: a.list.y - 1,
            height: a.list.height + 2,
            x: a.list.x - 1,
            width: a.list.width + 2,
        },
    );
    let height = usize::from(a.list.height);
    let off = offset(app, height);
    // The id column fits the rows on screen (not the whole library: rendering stays O(rows)).
    let idw = app
        .picker
        .items
        .iter()
        .skip(off)
        .take(height)
        .filter_map(|it| match *it {
            Item::Guide(i) => app.catalog.items.get(i).map(|e| e.meta.id.chars().count()),
            Item::Candidate(k) => candidate(app, k).map(|c| c.guide_id().chars().count()),
            _ => None,
        })
        .max()
        .unwrap_or(8)
        .clamp(8, 24)
        .max(if app.sessions.is_empty() { 0 } else { 14 });
    let mut lines = Vec::with_capacity(height);
    for item in app.picker.items.iter().skip(off).take(height) {
        let line = match *item {
            Item::Session(i) => {
                let Some(sess) = app.sessions.get(i) else {
                    continue;
                };
                session_row(app, sess, usize::from(a.list.width))
            }
            Item::Guide(i) => {
                let Some(g) = app.catalog.items.get(i).map(|e| &e.meta) else {
                    continue;
                };
                let id = format!("{:<idw$}", sanitize(&g.id));
                let title = sanitize(&g.title);
                let used = 4 + id.width() + title.width();
                let hint = tag_hint(
                    app.picker.distinctive_tags(i),
                    usize::from(a.list.width).saturating_sub(used),
                );
                let mut spans = vec![
                    Span::raw("  "),
                    Span::styled(id, t.accent),
                    Span::raw("  "),
                    Span::raw(title),
                ];
                if !hint.is_empty() {
                    spans.push(Span::styled(hint, t.dim));
                }
                Line::from(spans)
            }
            Item::Candidate(k) => {
                let Some(c) = candidate(app, k) else {
                    continue;
                };
                let what = match &c.guide {
                    Some(g) => sanitize(&g.title),
                    None if c.meaning.is_some() => "no guide yet: the generic guide".to_owned(),
                    None => "not in the code catalogue: the generic guide".to_owned(),
                };
                Line::from(vec![
                    Span::raw("  "),
                    Span::styled(format!("{:<idw$}", sanitize(c.guide_id())), t.accent),
                    Span::raw("  "),
                    Span::styled(
                        format!("matches {} from {}", sanitize(&c.code), c.where_found()),
                        t.warn,
                    ),
                    Span::raw(" · "),
                    Span::raw(what),
                ])
            }
            Item::Failed(i) => {
                let Some(f) = app.catalog.broken.get(i) else {
                    continue;
                };
                Line::from(vec![
                    Span::raw("  "),
                    Span::styled(format!("{:<idw$}", "✗ failed"), t.bad),
                    Span::raw("  "),
                    Span::styled(sanitize(&f.summary), t.bad),
                ])
            }
        };
        lines.push(line);
    }
    if app.picker.items.is_empty() {
        lines.push(Line::from(Span::styled(
            "  no guide matches; Backspace or Ctrl-U edits the search",
            t.dim,
        )));
    }
    frame.render_widget(Paragraph::new(lines), a.list);
    if !app.picker.items.is_empty() {
        let y = a.list.y + u16::try_from(app.picker.selection - off).unwrap_or(0);
        if let Some(cell) = frame.buffer_mut().cell_mut(Position { x: a.list.x, y }) {
            cell.set_symbol("▶");
            cell.set_style(t.accent);
        }
    }
    if super::render_status(frame, a.footer, app) {
        return;
    }
    let footer = Line::from(vec![
        Span::styled(" type", t.accent),
        Span::raw(" to search  "),
        Span::styled("↑↓ Ctrl-N/P", t.accent),
        Span::raw(" move  "),
        Span::styled("Enter", t.accent),
        Span::raw(" open  "),
        Span::styled("Esc", t.accent),
        Span::raw(" clear/quit  "),
        Span::styled("Ctrl-C", t.accent),
        Span::raw(" quit"),
    ]);
    frame.render_widget(Paragraph::new(footer), a.footer);
}

/// A saved case's row: `↻ ` and its summary (short id, state, label, code, stage, age) fitted
/// to the row, dropping by priority (see [`crate::session::summary`]).
fn session_row(app: &App, sess: &crate::session::Session, width: usize) -> Line<'static> {
    use crate::session::summary::{Part, Summary};
    let t = &app.theme;
    let stage = app
        .lib
        .index_of(&sess.case.guide_id)
        .map_or(sess.view.focus, |g| {
            sess.case.stage(&app.lib.guides[g].guide)
        });
    let summary = Summary::of(sess, Some(stage), &(app.now)());
    let mut spans = vec![Span::raw("  "), Span::styled("↻ ", t.warn)];
    for (k, (part, text)) in summary.fit(width.saturating_sub(4)).into_iter().enumerate() {
        if k > 0 {
            spans.push(Span::raw("  "));
        }
        let style = match part {
            Part::Id => t.warn,
            Part::State => t.accent,
            Part::Label => ratatui::style::Style::default(),
            Part::Title | Part::Code | Part::Stage | Part::Age => t.dim,
        };
        spans.push(Span::styled(text, style));
    }
    Line::from(spans)
}

/// Candidate `k` of the paste being routed.
fn candidate(app: &App, k: usize) -> Option<&crate::triage::Candidate> {
    app.routed.as_ref()?.triage.candidates.get(k)
}

/// `  #mfa #device`: as many whole tags as fit in `room` columns (none when not even one
/// does).
fn tag_hint<'a>(tags: impl Iterator<Item = &'a str>, room: usize) -> String {
    let mut hint = String::new();
    for tag in tags {
        let tag = sanitize(tag);
        let add = if hint.is_empty() { 3 } else { 2 } + tag.width();
        if hint.width() + add > room {
            break;
        }
        hint.push_str(if hint.is_empty() { "  #" } else { " #" });
        hint.push_str(&tag);
    }
    hint
}

/// The picker row under `pos`, for mouse clicks.
pub fn row_at(app: &App, pos: Position) -> Option<usize> {
    let a = areas(crate::app::screen_rect(app));
    if !a.list.contains(pos) {
        return None;
    }
    let row = offset(app, usize::from(a.list.height)) + usize::from(pos.y - a.list.y);
    (row < app.picker.items.len()).then_some(row)
}
