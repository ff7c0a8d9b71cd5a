//! The one-key question over the screen (resolve or close a case with loose ends, discard a
//! saved case), and the line where the case's label is typed.
//!
//! ```text
//! ╔ Resolve? ════════════════════════════════════════╗
//! ║ Resolve case 3f9a with the diagnostics unfinished ║
//! ║ and 1 required field empty (Correlation ID)?      ║
//! ║ y: resolve · any other key: cancel                ║
//! ╚═══════════════════════════════════════════════════╝
//! ```

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::app::{App, Pending};

pub fn render(frame: &mut Frame<'_>, area: Rect, app: &App) {
    if let Some(c) = &app.confirm {
        let title = match c.pending {
            Pending::Resolve => "Resolve?",
            Pending::Close => "Close?",
        };
        let width = area.width.min(60);
        let mut lines: Vec<Line<'static>> =
            super::text::wrap(&c.question, usize::from(width.saturating_sub(2)))
                .into_iter()
                .map(Line::from)
                .collect();
        lines.push(Line::from(Span::styled(c.keys(), app.theme.accent)));
        let h = u16::try_from(lines.len() + 2)
            .unwrap_or(u16::MAX)
            .min(area.height);
        let rect = super::centered(area, width, h);
        let inner = super::overlay_box(frame, rect, title, app);
        frame.render_widget(Paragraph::new(lines), inner);
    }
    if let Some(input) = app.label_input() {
        let t = &app.theme;
        let width = area.width.min(64);
        let rect = super::centered(area, width, 4);
        let inner = super::overlay_box(frame, rect, "Case label", app);
        let room = usize::from(inner.width.saturating_sub(1));
        let scroll = input.visual_scroll(room);
        let shown: String = input.value().chars().skip(scroll).collect();
        let lines = vec![
            Line::from(crate::text::sanitize(&shown)),
            Line::from(Span::styled(
                "Enter: keep · Esc: leave as it was · empty: named from the case",
                t.dim,
            )),
        ];
        frame.render_widget(Paragraph::new(lines), inner);
        let before: String = input
            .value()
            .chars()
            .skip(scroll)
            .take(input.visual_cursor().saturating_sub(scroll))
            .collect();
        let x = u16::try_from(before.width()).unwrap_or(0);
        if x < inner.width {
            frame.set_cursor_position(Position {
                x: inner.x + x,
                y: inner.y,
            });
        }
    }
}
