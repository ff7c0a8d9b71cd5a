//! The offer shown over the screen when the case to open is open in another tshoot: where
//! and since when, and the choices (read-only, take over, switch to its tmux pane, cancel).
//!
//! ```text
//! ╔ Case open elsewhere ══════════════════════════╗
//! ║ Case 20261202T062700Z-aadsts50143-1a2b is     ║
//! ║ open in another tshoot on pts/3 since 06:27,  ║
//! ║ pid 1234.                                     ║
//! ║                                               ║
//! ║ r  open it read-only                          ║
//! ║ t  take it over (the other copy turns ...)    ║
//! ║ s  switch to its tmux pane work:1.0           ║
//! ║ c  cancel                                     ║
//! ╚═════════════════════════════════ Esc closes ══╝
//! ```

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::App;
use crate::text::sanitize;

/// The overlay's lines for `width` columns.
pub fn lines(app: &App, width: u16) -> Vec<Line<'static>> {
    let Some(offer) = &app.owner_offer else {
        return Vec::new();
    };
    let t = &app.theme;
    let head = format!(
        "Case {} is {}.",
        sanitize(&offer.session.id),
        offer.describe()
    );
    let mut out: Vec<Line<'static>> = super::text::wrap(&head, usize::from(width))
        .into_iter()
        .map(Line::from)
        .collect();
    out.push(Line::default());
    let mut choice = |key: &str, what: String| {
        for (i, l) in super::text::wrap(&what, usize::from(width.saturating_sub(3)))
            .into_iter()
            .enumerate()
        {
            let k = if i == 0 {
                format!("{key}  ")
            } else {
                "   ".into()
            };
            out.push(Line::from(vec![Span::styled(k, t.accent), Span::raw(l)]));
        }
    };
    choice("r", "open it read-only".into());
    choice(
        "t",
        "take it over (the other copy turns read-only at its next change)".into(),
    );
    if let Some(p) = &offer.pane {
        choice("s", format!("switch to its tmux pane {}", sanitize(p)));
    }
    choice("c", "cancel".into());
    out
}

pub fn render(frame: &mut Frame<'_>, area: Rect, app: &App) {
    if app.owner_offer.is_none() {
        return;
    }
    let width = area.width.min(64);
    let lines = lines(app, width.saturating_sub(2));
    let h = u16::try_from(lines.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let rect = super::centered(area, width, h);
    let inner = super::overlay_box(frame, rect, "Case open elsewhere", app);
    frame.render_widget(Paragraph::new(lines), inner);
}
