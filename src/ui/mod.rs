//! Drawing. Rendering only reads the [`App`]; one file per pane.
//!
//! Wide terminals (120 columns and up) put the panes side by side; narrower ones show one pane
//! at a time with the stepper as tabs:
//!
//! ```text
//! wide                                              narrow
//! ┌ AADSTS50143 · Session mismatch ─── open ┐      ┌ AADSTS50143 · Session mismatch ┐
//! │ 1 Diagnostics ─ 2 Issues ─ 3 Res ─ 4 Tkt│      │[1 Diagnostics] 2 Issues 3 ...  │
//! ├─────────────┬─────────────┬─────────────┤      ├────────────────────────────────┤
//! │ Diagnostics │ Common      │ Resolution  │      │ the focused pane               │
//! │             │ issues      │ checklist   │      │                                │
//! ├─────────────┴─────────────┴─────────────┤      ├────────────────────────────────┤
//! │ Notes · Docs                            │      │ ⓘ n: 3 notes, 1 link           │
//! │ status or key hints                     │      │ status or key hints            │
//! ```
//!
//! # Adding a pane
//!
//! 1. `wizard::Stage`: the variant, its place in `ALL` and `COUNT`, and its `title`,
//!    `pane_title` and `short_title` (the words, once); the compiler then points at every
//!    `match` on `Stage` that needs an arm.
//! 2. `wizard::view`: what the pane derives from the case (its items, its progress).
//! 3. `ui/<pane>.rs`: the drawing, in one file; its arm in [`pane_text`] and in the key hints
//!    (`hints`) here, and its count in `ui/header.rs`'s stepper.
//! 4. `app/actions.rs`: the pane's item count (`App::item_count`) and what Enter and Space do on an
//!    item (the `match` on the focused stage in the wizard's action handler).
//! 5. `session`: each saved case keeps one selection per pane (`[usize; Stage::COUNT]`), so a
//!    new pane changes the file format: raise `session::VERSION` and read the old one.
//! 6. Tests: a snapshot in `tests/ui_snapshots.rs`, keys and clicks in `tests/app_keys.rs`.
//!
//! The highlight is a marker in the first column of an item (`▶`), not a whole reversed row:
//! moving it rewrites two cells, which keeps each keystroke to a few dozen bytes over SSH.

pub mod confirm;
pub mod diagnostics;
pub mod header;
pub mod help;
pub mod issues;
pub mod messages;
pub mod owner;
pub mod picker;
pub mod resolution;
pub mod text;
/// The colours live above the ui (the app holds them); `ui::theme` is the same module.
pub use crate::theme;
pub mod ticket;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

use crate::app::{App, Screen, WizardUi};
use crate::guide::Guide;
use crate::keymap::Action;
use crate::wizard::Stage;
use text::PaneText;
use unicode_width::UnicodeWidthStr;

/// Smallest terminal the screens are laid out for.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// Whether a terminal of `size` (columns, rows) is below what the screens are laid out for:
/// the ui then draws only the "too small" notice, and input takes only the quit keys.
pub fn too_small(size: (u16, u16)) -> bool {
    size.0 < MIN_WIDTH || size.1 < MIN_HEIGHT
}
/// From this width on, the panes stand side by side.
pub const WIDE: u16 = 120;

/// Draw the whole screen.
pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let area = frame.area();
    if too_small((area.width, area.height)) {
        draw_too_small(frame, area, app);
        return;
    }
    match (app.screen, &app.wiz) {
        (Screen::Wizard, Some(w)) => draw_wizard(frame, area, app, w),
        _ => picker::render(frame, area, app),
    }
    owner::render(frame, area, app);
    confirm::render(frame, area, app);
}

fn draw_too_small(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let msg = format!(
        "Terminal too small: {}x{}. tshoot needs at least {MIN_WIDTH}x{MIN_HEIGHT}; enlarge the window ({} quits).",
        area.width,
        area.height,
        quit_keys_label(app)
    );
    let lines: Vec<Line<'_>> = text::wrap(&msg, usize::from(area.width))
        .into_iter()
        .map(Line::from)
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// The keys that quit from the too-small screen (see `input::message_for`): the key map's quit
/// keys, and Ctrl-C.
pub fn quit_keys_label(app: &App) -> String {
    let mut keys: Vec<String> = app
        .keymap
        .keys(Action::Quit)
        .iter()
        .map(ToString::to_string)
        .collect();
    if !keys.iter().any(|k| k == "Ctrl-C") {
        keys.push("Ctrl-C".to_owned());
    }
    keys.join("/")
}

/// The regions of the wizard screen.
#[derive(Debug, Clone, Copy)]
pub struct Regions {
    pub header: Rect,
    /// Pane rectangles by stage (zero-sized when not shown).
    pub panes: [Rect; Stage::COUNT],
    pub notes: Rect,
    pub footer: Rect,
}

/// Lay out the wizard for `area`. Shared by drawing and mouse hit-testing.
pub fn regions(area: Rect, w: &WizardUi, guide: &Guide) -> Regions {
    let wide = area.width >= WIDE;
    let notes_h =
        if wide && area.height >= 30 && !(guide.notes.is_empty() && guide.links.is_empty()) {
            let width = usize::from(area.width.saturating_sub(2));
            let lines: usize = guide
                .notes
                .iter()
                .map(|n| text::wrap(&format!("{}: {}", n.title, n.text), width).len())
                .chain(
                    guide
                        .links
                        .iter()
                        .map(|l| text::wrap(&format!("{}: {}", l.title, l.url), width).len()),
                )
                .sum();
            u16::try_from(lines).unwrap_or(8).min(8) + 2
        } else {
            1
        };
    let [header, body, notes, footer] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Min(4),
        Constraint::Length(notes_h),
        Constraint::Length(1),
    ])
    .areas(area);
    let mut panes = [Rect::default(); Stage::COUNT];
    if wide {
        let [a, b, c] = Layout::horizontal([
            Constraint::Percentage(36),
            Constraint::Percentage(30),
            Constraint::Percentage(34),
        ])
        .areas(body);
        panes[Stage::Diagnostics.index()] = a;
        if w.focus == Stage::Ticket {
            panes[Stage::Ticket.index()] = b.union(c);
        } else {
            panes[Stage::Issues.index()] = b;
            panes[Stage::Resolution.index()] = c;
        }
    } else {
        panes[w.focus.index()] = body;
    }
    Regions {
        header,
        panes,
        notes,
        footer,
    }
}

fn draw_wizard(frame: &mut Frame<'_>, area: Rect, app: &App, w: &WizardUi) {
    let guide = &app.lib.guides[w.guide].guide;
    let r = regions(area, w, guide);
    header::render(frame, r.header, app, w, guide);
    for stage in Stage::ALL {
        let rect = r.panes[stage.index()];
        if rect.is_empty() {
            continue;
        }
        let content = pane_text(app, w, guide, stage, inner_width(rect));
        let offset = draw_pane(
            frame,
            rect,
            app,
            stage,
            stage == w.focus,
            &content,
            w.sel[stage.index()],
        );
        if stage == Stage::Ticket
            && let Some((row, col)) = ticket::cursor_column(app, w, guide)
            && let Some(line) = content.items.get(row).map(|r| r.start)
        {
            let inner = Block::bordered().inner(rect);
            let y = line.checked_sub(offset).and_then(|l| u16::try_from(l).ok());
            if let (Some(y), Ok(x)) = (y, u16::try_from(col))
                && y < inner.height
                && x < inner.width
            {
                frame.set_cursor_position(Position {
                    x: inner.x + x,
                    y: inner.y + y,
                });
            }
        }
    }
    help::render_notes_strip(frame, r.notes, app, guide);
    footer(frame, r.footer, app);
    match w.overlay {
        Some(crate::app::Overlay::Help) => help::render_help(frame, area, app),
        Some(crate::app::Overlay::Notes) => help::render_notes(frame, area, app, guide),
        Some(crate::app::Overlay::Proposal) => ticket::render_proposal(frame, area, app, w),
        None => {}
    }
    if app.messages_open {
        messages::render(frame, area, app);
    }
}

fn inner_width(rect: Rect) -> u16 {
    rect.width.saturating_sub(2)
}

/// The content of one pane, built for `width` columns.
pub fn pane_text(app: &App, w: &WizardUi, guide: &Guide, stage: Stage, width: u16) -> PaneText {
    match stage {
        Stage::Diagnostics => diagnostics::content(app, w, guide, width),
        Stage::Issues => issues::content(app, w, guide, width),
        Stage::Resolution => resolution::content(app, w, guide, width),
        Stage::Ticket => ticket::content(app, w, guide, width),
    }
}

fn pane_title(stage: Stage) -> &'static str {
    stage.pane_title()
}

/// A bordered pane with scrolled content and the highlight marker on item `sel`. Returns the
/// first content line shown.
fn draw_pane(
    frame: &mut Frame<'_>,
    rect: Rect,
    app: &App,
    stage: Stage,
    focused: bool,
    content: &PaneText,
    sel: usize,
) -> usize {
    let t = &app.theme;
    let (border, title_style, kind) = if focused {
        (t.accent, t.accent, BorderType::Thick)
    } else {
        (t.dim, Style::default(), BorderType::Plain)
    };
    let title = format!(" {} {} ", stage.index() + 1, pane_title(stage));
    let block = Block::bordered()
        .border_type(kind)
        .border_style(border)
        .title(Span::styled(title, title_style));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let height = usize::from(inner.height);
    let offset = content.offset_for(sel, height);
    let visible: Vec<Line<'_>> = content
        .lines
        .iter()
        .skip(offset)
        .take(height)
        .cloned()
        .collect();
    frame.render_widget(Paragraph::new(visible), inner);
    if let Some(range) = content.items.get(sel)
        && range.start >= offset
        && range.start < offset + height
    {
        let y = inner.y + u16::try_from(range.start - offset).unwrap_or(0);
        if let Some(cell) = frame.buffer_mut().cell_mut(Position { x: inner.x, y }) {
            cell.set_symbol(if focused { "▶" } else { "›" });
            cell.set_style(if focused { t.accent } else { t.dim });
        }
    }
    // Scroll hints, so hidden content is never a surprise.
    let more_above = offset > 0;
    let more_below = content.lines.len() > offset + height;
    let buf = frame.buffer_mut();
    let x = rect.right().saturating_sub(3);
    if more_above && let Some(c) = buf.cell_mut(Position { x, y: rect.y }) {
        c.set_symbol("↑");
    }
    if more_below
        && let Some(c) = buf.cell_mut(Position {
            x,
            y: rect.bottom().saturating_sub(1),
        })
    {
        c.set_symbol("↓");
    }
    offset
}

/// The bottom line: the status message, else key hints from the key map.
fn footer(frame: &mut Frame<'_>, area: Rect, app: &App) {
    if !render_status(frame, area, app) {
        frame.render_widget(Paragraph::new(hints(app, usize::from(area.width))), area);
    }
}

/// Draw the status message on the one-line `footer`, if there is one; whether it did. A
/// message longer than the line is never cut: it wraps, and the lines above the footer give
/// way to it (cleared, drawn over) as far as needed, up to the top of the screen.
pub fn render_status(frame: &mut Frame<'_>, footer: Rect, app: &App) -> bool {
    let Some(s) = app.status.as_ref() else {
        return false;
    };
    let style = if s.error { app.theme.bad } else { app.theme.ok };
    let width = usize::from(footer.width.saturating_sub(1));
    let lines: Vec<Line<'static>> = text::wrap(&status_text(s), width)
        .into_iter()
        .map(|l| Line::styled(format!(" {l}"), style))
        .collect();
    let above = u16::try_from(lines.len().saturating_sub(1))
        .unwrap_or(u16::MAX)
        .min(footer.y);
    let rect = Rect::new(footer.x, footer.y - above, footer.width, above + 1);
    frame.render_widget(Clear, rect);
    // Keep the end (the saved file) when even the whole screen is too short.
    let skip = lines.len().saturating_sub(usize::from(rect.height));
    let lines: Vec<Line<'static>> = lines.into_iter().skip(skip).collect();
    frame.render_widget(Paragraph::new(lines), rect);
    true
}

/// Key hints from the key map, as many as fit in `width` columns: help and quit come last in
/// each list and are always kept; the hints before them are dropped from the end, whole.
fn hints(app: &App, width: usize) -> Line<'static> {
    let focus = app.wiz.as_ref().map_or(Stage::Diagnostics, |w| w.focus);
    let actions: &[Action] = match focus {
        Stage::Diagnostics => &[
            Action::Select,
            Action::Back,
            Action::NextPane,
            Action::Notes,
            Action::Escalate,
            Action::Help,
            Action::Quit,
        ],
        Stage::Issues => &[
            Action::Confirm,
            Action::RuleOut,
            Action::Toggle,
            Action::NextPane,
            Action::Back,
            Action::Help,
            Action::Quit,
        ],
        Stage::Resolution => &[
            Action::Toggle,
            Action::Escalate,
            Action::Resolve,
            Action::NextPane,
            Action::Undo,
            Action::Help,
            Action::Quit,
        ],
        Stage::Ticket => &[
            Action::Select,
            Action::Copy,
            Action::NextPane,
            Action::Resolve,
            Action::Help,
            Action::Quit,
        ],
    };
    let mut items: Vec<(String, &str)> = Vec::new();
    if focus == Stage::Diagnostics {
        items.push(("1-9".to_owned(), "answer"));
    }
    for a in actions {
        let Some(k) = app.keymap.keys(*a).first() else {
            continue;
        };
        items.push((k.to_string(), a.hint()));
    }
    // " k hint  k hint": one leading space, two between items.
    let len = |items: &[(String, &str)]| -> usize {
        items
            .iter()
            .map(|(k, h)| k.width() + 1 + h.width() + 2)
            .sum::<usize>()
    };
    let kept = 2.min(items.len());
    while items.len() > kept && len(&items) > width + 1 {
        items.remove(items.len() - kept - 1);
    }
    let mut spans = vec![Span::raw(" ")];
    for (i, (k, h)) in items.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(k, app.theme.accent));
        spans.push(Span::raw(format!(" {h}")));
    }
    Line::from(spans)
}

/// The status message as one footer line, if there is one.
pub fn status_line(app: &App) -> Option<Line<'static>> {
    let s = app.status.as_ref()?;
    let t = &app.theme;
    Some(Line::from(Span::styled(
        format!(" {}", status_text(s)),
        if s.error { t.bad } else { t.ok },
    )))
}

/// A status message with its mark (✓ or ✗ beside the colour). A copy report marks each of
/// its parts itself (`✓` confirmed, `→` sent, `✗` failed): it gets no mark of its own.
pub fn status_text(s: &crate::app::Status) -> String {
    let text = crate::ticket::extract::sanitize(&s.text);
    if text.starts_with(['✓', '✗', '→']) || text.starts_with("not copied: ✗") {
        text
    } else {
        format!("{} {text}", if s.error { "✗" } else { "✓" })
    }
}

/// A centred rectangle of at most `w` x `h` inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Clear `rect` and draw a bordered overlay box titled `title`; returns the inner area.
pub fn overlay_box(frame: &mut Frame<'_>, rect: Rect, title: &str, app: &App) -> Rect {
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(app.theme.accent)
        .title(Span::styled(
            format!(" {title} "),
            app.theme.accent.add_modifier(Modifier::BOLD),
        ))
        .title_bottom(Line::from(" Esc closes ").right_aligned());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

fn full_area(app: &App) -> Rect {
    crate::app::screen_rect(app)
}

/// The pane under a screen cell.
pub fn pane_at(app: &App, x: u16, y: u16) -> Option<Stage> {
    let w = app.wiz.as_ref()?;
    let guide = &app.lib.guides.get(w.guide)?.guide;
    let r = regions(full_area(app), w, guide);
    Stage::ALL
        .into_iter()
        .find(|s| r.panes[s.index()].contains(Position { x, y }))
}

/// The stepper tab under a screen cell.
pub fn tab_at(app: &App, x: u16, y: u16) -> Option<Stage> {
    let w = app.wiz.as_ref()?;
    let guide = &app.lib.guides.get(w.guide)?.guide;
    let r = regions(full_area(app), w, guide);
    header::tab_at(app, w, guide, r.header, Position { x, y })
}

/// The item of pane `stage` under a screen cell.
pub fn item_at(app: &App, stage: Stage, x: u16, y: u16) -> Option<usize> {
    let w = app.wiz.as_ref()?;
    let guide = &app.lib.guides.get(w.guide)?.guide;
    let rect = regions(full_area(app), w, guide).panes[stage.index()];
    let inner = Block::bordered().inner(rect);
    if !inner.contains(Position { x, y }) {
        return None;
    }
    let content = pane_text(app, w, guide, stage, inner.width);
    let offset = content.offset_for(w.sel[stage.index()], usize::from(inner.height));
    content.item_at_line(offset + usize::from(y - inner.y))
}
