//! Styles by role, from the config's colours. With `NO_COLOR` every colour is dropped and
//! meaning is carried by symbols (✓ ✗ ?) and modifiers alone.

use ratatui::style::{Color, Modifier, Style};

use crate::config::Colors;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub accent: Style,
    pub ok: Style,
    pub bad: Style,
    pub warn: Style,
    pub dim: Style,
    /// Headings inside panes.
    pub heading: Style,
}

impl Default for Theme {
    fn default() -> Self {
        Self::from_colors(&Colors::default(), false)
    }
}

impl Theme {
    pub fn from_colors(c: &Colors, no_color: bool) -> Self {
        let color = |s: &str, fallback: Color| -> Style {
            if no_color {
                Style::default()
            } else {
                Style::default().fg(s.parse().unwrap_or(fallback))
            }
        };
        Self {
            accent: color(&c.accent, Color::Cyan).add_modifier(Modifier::BOLD),
            ok: color(&c.ok, Color::Green),
            bad: color(&c.bad, Color::Red),
            warn: color(&c.warn, Color::Yellow),
            dim: if no_color {
                Style::default().add_modifier(Modifier::DIM)
            } else {
                color(&c.dim, Color::Gray)
            },
            heading: Style::default().add_modifier(Modifier::BOLD),
        }
    }

    /// Colour off: `NO_COLOR` set to anything non-empty.
    pub fn no_color_env() -> bool {
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
    }
}
