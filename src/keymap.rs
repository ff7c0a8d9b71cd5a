//! Key bindings as data. The wizard's keys map to [`Action`]s through a [`KeyMap`] built from
//! defaults and the config file; the help overlay and the footer hints are generated from the
//! same map, so they never drift from what the keys do.
//!
//! The picker is a search box: every printable key types into it, so its few navigation keys
//! are fixed (arrows, Ctrl-N/Ctrl-P, Enter, Esc) and not part of the map.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::{Deserialize, Serialize};

/// A user intent in the wizard. Panes never look at keys, only at these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Leave tshoot.
    Quit,
    /// Show or hide the key help.
    Help,
    /// Close an overlay; else back to the guide picker.
    Escape,
    /// Move the highlight up.
    Up,
    /// Move the highlight down.
    Down,
    /// Move the highlight a page up.
    PageUp,
    /// Move the highlight a page down.
    PageDown,
    /// Highlight the first item.
    Top,
    /// Highlight the last item.
    Bottom,
    /// Choose the highlighted answer, or act on the highlighted item.
    Select,
    /// Tick or untick the highlighted task; cycle an issue's judgement.
    Toggle,
    /// Focus the next pane.
    NextPane,
    /// Focus the previous pane.
    PrevPane,
    /// Go back one answer.
    Back,
    /// Undo the last change of any kind.
    Undo,
    /// Confirm the highlighted issue.
    Confirm,
    /// Rule out the highlighted issue.
    RuleOut,
    /// Show the guide's notes and links.
    Notes,
    /// Escalate: go to the ticket.
    Escalate,
    /// Mark the case resolved (asks first when it has loose ends); reopen a resolved case.
    Resolve,
    /// Close the case (asks first when it has loose ends); reopen a closed case.
    Close,
    /// Type the case's label.
    Label,
    /// Copy the ticket.
    Copy,
    /// Show the last status messages in full.
    Messages,
}

impl Action {
    /// Every action, in help order.
    pub const ALL: [Action; 24] = [
        Action::Up,
        Action::Down,
        Action::PageUp,
        Action::PageDown,
        Action::Top,
        Action::Bottom,
        Action::Select,
        Action::Toggle,
        Action::Confirm,
        Action::RuleOut,
        Action::NextPane,
        Action::PrevPane,
        Action::Back,
        Action::Undo,
        Action::Escalate,
        Action::Resolve,
        Action::Close,
        Action::Label,
        Action::Copy,
        Action::Notes,
        Action::Messages,
        Action::Help,
        Action::Escape,
        Action::Quit,
    ];

    /// One line for the help overlay.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "show or hide this help",
            Action::Escape => "close an overlay; else back to the guide picker",
            Action::Up => "move up",
            Action::Down => "move down",
            Action::PageUp => "page up",
            Action::PageDown => "page down",
            Action::Top => "first item",
            Action::Bottom => "last item",
            Action::Select => "choose the answer / act on the item",
            Action::Toggle => "tick a task; cycle an issue: confirmed, ruled out, open",
            Action::NextPane => "next pane",
            Action::PrevPane => "previous pane",
            Action::Back => "go back one answer",
            Action::Undo => "undo the last change",
            Action::Confirm => "confirm the highlighted issue",
            Action::RuleOut => "rule out the highlighted issue",
            Action::Notes => "the guide's notes and links",
            Action::Escalate => "escalate: go to the ticket",
            Action::Resolve => "mark the case resolved (again: reopen)",
            Action::Close => "close the case: done with (again: reopen)",
            Action::Label => "label the case (user, app, ...)",
            Action::Copy => "copy the ticket",
            Action::Messages => "the last messages in full",
        }
    }

    /// Short word for footer hints.
    pub fn hint(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "help",
            Action::Escape => "picker",
            Action::Select => "choose",
            Action::Toggle => "tick",
            Action::NextPane => "pane",
            Action::Back => "back",
            Action::Undo => "undo",
            Action::Confirm => "confirm",
            Action::RuleOut => "rule out",
            Action::Notes => "notes",
            Action::Escalate => "escalate",
            Action::Resolve => "resolved",
            Action::Close => "close",
            Action::Label => "label",
            Action::Copy => "copy",
            Action::Messages => "messages",
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom
            | Action::PrevPane => "",
        }
    }

    /// The name used in the config file.
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

/// A key with modifiers, as written in the config file: `j`, `ctrl-c`, `shift-tab`, `f1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub fn from_event(ev: &KeyEvent) -> Self {
        // Terminals send Shift-Tab as BackTab and upper-case letters with SHIFT already applied,
        // so SHIFT itself is not part of a key.
        Self {
            code: ev.code,
            ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
            alt: ev.modifiers.contains(KeyModifiers::ALT),
        }
    }

    /// Parse `ctrl-c`, `alt-x`, `shift-tab`, `enter`, `space`, `pgdn`, `f5`, `?`, `K`.
    pub fn parse(spec: &str) -> Result<Self, KeyParseError> {
        let mut ctrl = false;
        let mut alt = false;
        let mut shift = false;
        let mut rest = spec.trim();
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = lower
                .strip_prefix("ctrl-")
                .or_else(|| lower.strip_prefix("c-"))
            {
                ctrl = true;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower
                .strip_prefix("alt-")
                .or_else(|| lower.strip_prefix("m-"))
            {
                alt = true;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower.strip_prefix("shift-") {
                shift = true;
                rest = &rest[rest.len() - r.len()..];
            } else {
                break;
            }
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "" => return Err(KeyParseError::NoKey(spec.to_owned())),
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" if shift => KeyCode::BackTab,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "backspace" | "bs" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" | "ins" => KeyCode::Insert,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdn" | "pagedown" => KeyCode::PageDown,
            f if f.len() >= 2
                && f.starts_with('f')
                && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
            {
                KeyCode::F(f[1..].parse().unwrap_or(1))
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => {
                        KeyCode::Char(if shift { c.to_ascii_uppercase() } else { c })
                    }
                    _ => {
                        return Err(KeyParseError::NotAKey(spec.to_owned()));
                    }
                }
            }
        };
        Ok(Self { code, ctrl, alt })
    }
}

/// Why a key binding in `config.toml` is not a key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyParseError {
    /// Only modifiers, or nothing (`""`, `"ctrl-"`).
    #[error("\"{0}\" names no key")]
    NoKey(String),
    /// A word that is no key name and more than one character.
    #[error("\"{0}\" is not a key (try e.g. \"j\", \"ctrl-c\", \"shift-tab\", \"pgdn\", \"f1\")")]
    NotAKey(String),
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Delete"),
            KeyCode::Up => f.write_str("Up"),
            KeyCode::Down => f.write_str("Down"),
            KeyCode::Left => f.write_str("Left"),
            KeyCode::Right => f.write_str("Right"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::Char(c) if self.ctrl => write!(f, "{}", c.to_ascii_uppercase()),
            KeyCode::Char(c) => write!(f, "{c}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// The default bindings, as config-file key names.
pub fn default_bindings() -> BTreeMap<Action, Vec<&'static str>> {
    use Action::{
        Back, Bottom, Close, Confirm, Copy, Down, Escalate, Escape, Help, Label, Messages,
        NextPane, Notes, PageDown, PageUp, PrevPane, Quit, Resolve, RuleOut, Select, Toggle, Top,
        Undo, Up,
    };
    BTreeMap::from([
        (Quit, vec!["q", "ctrl-c"]),
        (Help, vec!["?", "f1"]),
        (Escape, vec!["esc"]),
        (Up, vec!["up", "k", "ctrl-p"]),
        (Down, vec!["down", "j", "ctrl-n"]),
        (PageUp, vec!["pgup"]),
        (PageDown, vec!["pgdn"]),
        (Top, vec!["home", "g"]),
        (Bottom, vec!["end", "G"]),
        (Select, vec!["enter"]),
        (Toggle, vec!["space"]),
        (NextPane, vec!["tab", "right", "l"]),
        (PrevPane, vec!["shift-tab", "left", "h"]),
        (Back, vec!["backspace", "b"]),
        (Undo, vec!["u"]),
        (Confirm, vec!["c"]),
        (RuleOut, vec!["x"]),
        (Notes, vec!["n"]),
        (Escalate, vec!["e"]),
        (Resolve, vec!["r"]),
        (Close, vec!["C"]),
        (Label, vec!["L"]),
        (Copy, vec!["y", "ctrl-y"]),
        (Messages, vec!["m"]),
    ])
}

/// Keys to actions, and back.
#[derive(Debug, Clone)]
pub struct KeyMap {
    by_key: HashMap<Key, Action>,
    by_action: BTreeMap<Action, Vec<Key>>,
}

impl Default for KeyMap {
    fn default() -> Self {
        Self::build(&BTreeMap::new()).0
    }
}

impl KeyMap {
    /// The defaults with `overrides` (action -> keys) replacing an action's keys. Returns the
    /// map and the problems found (unknown keys, a key bound twice).
    pub fn build(overrides: &BTreeMap<Action, Vec<String>>) -> (Self, Vec<String>) {
        let mut problems = Vec::new();
        let mut by_action: BTreeMap<Action, Vec<Key>> = BTreeMap::new();
        for (action, specs) in default_bindings() {
            let keys = match overrides.get(&action) {
                Some(custom) => custom
                    .iter()
                    .filter_map(|s| {
                        Key::parse(s)
                            .map_err(|e| problems.push(format!("keys.{}: {e}", action.name())))
                            .ok()
                    })
                    .collect(),
                None => specs.iter().filter_map(|s| Key::parse(s).ok()).collect(),
            };
            by_action.insert(action, keys);
        }
        let mut by_key = HashMap::new();
        for (action, keys) in &by_action {
            for k in keys {
                if let Some(other) = by_key.insert(*k, *action)
                    && other != *action
                {
                    problems.push(format!(
                        "key {k} is bound to both {} and {}; {} wins",
                        other.name(),
                        action.name(),
                        action.name()
                    ));
                }
            }
        }
        (Self { by_key, by_action }, problems)
    }

    /// The action bound to this key press, if any.
    pub fn action(&self, ev: &KeyEvent) -> Option<Action> {
        self.by_key.get(&Key::from_event(ev)).copied()
    }

    /// The keys bound to `action`, in binding order.
    pub fn keys(&self, action: Action) -> &[Key] {
        self.by_action.get(&action).map_or(&[], Vec::as_slice)
    }

    /// "j/Down"-style label of the first two keys of `action`.
    pub fn label(&self, action: Action) -> String {
        self.keys(action)
            .iter()
            .take(2)
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn defaults_bind_the_documented_keys() {
        let km = KeyMap::default();
        assert_eq!(
            km.action(&ev(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Down, KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(
            km.action(&ev(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::PrevPane)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Bottom)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Char(' '), KeyModifiers::NONE)),
            Some(Action::Toggle)
        );
        assert_eq!(km.action(&ev(KeyCode::Char('z'), KeyModifiers::NONE)), None);
        let (_, problems) = KeyMap::build(&BTreeMap::new());
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn overrides_replace_and_report() {
        let o = BTreeMap::from([(
            Action::Down,
            vec!["ctrl-j".to_owned(), "bogus key".to_owned()],
        )]);
        let (km, problems) = KeyMap::build(&o);
        assert_eq!(
            km.action(&ev(KeyCode::Char('j'), KeyModifiers::CONTROL)),
            Some(Action::Down)
        );
        assert_eq!(km.action(&ev(KeyCode::Char('j'), KeyModifiers::NONE)), None);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("keys.down"));
    }

    #[test]
    fn keys_round_trip_through_display() {
        for (_, specs) in default_bindings() {
            for s in specs {
                let k = Key::parse(s).unwrap();
                assert!(!k.to_string().is_empty());
            }
        }
        assert_eq!(Key::parse("shift-tab").unwrap().to_string(), "Shift-Tab");
        assert_eq!(Key::parse("ctrl-y").unwrap().to_string(), "Ctrl-Y");
        assert_eq!(Key::parse(""), Err(KeyParseError::NoKey(String::new())));
        assert_eq!(
            Key::parse("ctrl-"),
            Err(KeyParseError::NoKey("ctrl-".into()))
        );
        assert_eq!(Key::parse("foo"), Err(KeyParseError::NotAKey("foo".into())));
        assert_eq!(
            Key::parse("foo").unwrap_err().to_string(),
            "\"foo\" is not a key (try e.g. \"j\", \"ctrl-c\", \"shift-tab\", \"pgdn\", \"f1\")"
        );
    }
}
