//! The last status messages in full (key `m`): a copy report names every method tried and
//! the file it saved, which can be longer than the footer even when wrapped, and a status is
//! gone at the next key. This view keeps the last [`crate::app::MESSAGES_KEPT`], newest at
//! the bottom, each wrapped to the width; it closes at the next input.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::{centered, overlay_box, status_text, text};
use crate::app::App;

pub fn render(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let rect = centered(
        area,
        area.width.saturating_sub(4).min(100),
        area.height.saturating_sub(2),
    );
    let width = usize::from(rect.width.saturating_sub(2));
    let t = &app.theme;
    let mut lines: Vec<Line<'static>> = Vec::new();
    if app.messages.is_empty() {
        lines.push(Line::styled("no messages yet", t.dim));
    }
    for (i, m) in app.messages.iter().enumerate() {
        if i > 0 {
            lines.push(Line::default());
        }
        let style = if m.error { t.bad } else { t.ok };
        for l in text::wrap(&status_text(m), width) {
            lines.push(Line::styled(l, style));
        }
    }
    let inner = overlay_box(frame, rect, "Messages", app);
    // Newest last: when they do not all fit, the oldest lines scroll off the top.
    let skip = lines.len().saturating_sub(usize::from(inner.height));
    let lines: Vec<Line<'static>> = lines.into_iter().skip(skip).collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
