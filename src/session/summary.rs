//! One saved case in one line: its short id, life-cycle state, label, code, stage and age, as
//! the picker and `tshoot sessions` show it. Pure (no terminal): the line is laid out for a
//! width in columns, dropping what does not fit by priority (the stage first, then the code,
//! then the age), then shortening the label at a word with a `…` marker, never silently.

use unicode_width::UnicodeWidthStr;

use super::Session;
use crate::text::sanitize;
use crate::wizard::{Case, Stage, State};

/// A part of a case's line, for the ui to style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Id,
    State,
    /// The case's label (typed, or taken from the paste).
    Label,
    /// No label yet: the guide's title stands in.
    Title,
    Code,
    Stage,
    Age,
}

/// What a case's line says, before it is fitted to a width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub short_id: String,
    pub state: State,
    /// The label, or empty when the case has none.
    pub label: String,
    pub title: String,
    /// The error code worked (the session's code, else the guide's id).
    pub code: String,
    /// The stage the case is at, when its guide is loaded.
    pub stage: Option<Stage>,
    /// How long ago it last changed (`5 min`, `2 d`).
    pub age: String,
}

/// Field ids and fact keys whose value names the case, in the order they are tried.
const LABEL_SOURCES: [&str; 5] = ["upn", "user", "username", "app_name", "app"];

/// The case's label: the one the engineer typed, else one made from what the case holds (the
/// affected user, the app, the Correlation ID's first 8 digits), else empty.
pub fn label_of(case: &Case) -> String {
    let typed = case.label.trim();
    if !typed.is_empty() {
        return sanitize(typed);
    }
    let mut parts: Vec<String> = Vec::new();
    for key in LABEL_SOURCES {
        if let Some(v) = case.fields.get(key).map(|v| v.trim())
            && !v.is_empty()
            && !parts.iter().any(|p| p == v)
        {
            parts.push(v.to_owned());
        }
    }
    if let Some(c) = case.fields.get("correlation_id").map(|v| v.trim())
        && !c.is_empty()
    {
        parts.push(format!("corr {}", c.chars().take(8).collect::<String>()));
    }
    sanitize(&parts.join(", "))
}

impl Summary {
    /// The summary of `s`, at `stage` (its guide loaded) or `None`, aged against `now`.
    pub fn of(s: &Session, stage: Option<Stage>, now: &str) -> Self {
        Self {
            short_id: sanitize(s.short_id()),
            state: s.state(),
            label: label_of(&s.case),
            title: sanitize(&s.guide_title),
            code: sanitize(s.code.as_deref().unwrap_or(&s.case.guide_id)),
            stage,
            age: crate::clock::age(&s.updated, now),
        }
    }

    /// The line's parts laid out in at most `width` columns, joined by two spaces.
    pub fn fit(&self, width: usize) -> Vec<(Part, String)> {
        let (label_part, label) = if self.label.is_empty() {
            (Part::Title, self.title.as_str())
        } else {
            (Part::Label, self.label.as_str())
        };
        let mut parts: Vec<(Part, String)> = vec![
            (Part::Id, self.short_id.clone()),
            (Part::State, self.state.word().to_owned()),
            (label_part, label.to_owned()),
            (Part::Code, self.code.clone()),
        ];
        if let Some(stage) = self.stage {
            parts.push((Part::Stage, stage.title().to_owned()));
        }
        parts.push((Part::Age, self.age.clone()));
        for drop in [Part::Stage, Part::Code, Part::Age] {
            if total(&parts) <= width {
                return parts;
            }
            parts.retain(|(p, _)| *p != drop);
        }
        let others = total(&parts) - parts[2].1.width();
        match shorten(label, width.saturating_sub(others)) {
            Some(short) => parts[2].1 = short,
            None => {
                parts.remove(2);
            }
        }
        parts
    }
}

fn total(parts: &[(Part, String)]) -> usize {
    parts.iter().map(|(_, s)| s.width()).sum::<usize>() + 2 * parts.len().saturating_sub(1)
}

/// `text` in at most `room` columns: whole words and a `…`, or the first characters and a `…`
/// when not even the first word fits; `None` when fewer than 4 columns are left.
pub fn shorten(text: &str, room: usize) -> Option<String> {
    if text.width() <= room {
        return Some(text.to_owned());
    }
    if room < 4 {
        return None;
    }
    let mut out = String::new();
    for word in text.split(' ') {
        let next = if out.is_empty() {
            word.to_owned()
        } else {
            format!("{out} {word}")
        };
        if next.width() + 1 > room {
            break;
        }
        out = next;
    }
    let out = out.trim_end_matches([',', ';', ' ']).to_owned();
    if out.is_empty() {
        let mut cut = String::new();
        for c in text.chars() {
            if cut.width() + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) + 1 > room {
                break;
            }
            cut.push(c);
        }
        return Some(format!("{cut}…"));
    }
    Some(format!("{out}…"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(label: &str) -> Summary {
        Summary {
            short_id: "3f9a".into(),
            state: State::Escalated,
            label: label.into(),
            title: "Session mismatch".into(),
            code: "AADSTS50143".into(),
            stage: Some(Stage::Ticket),
            age: "2 h".into(),
        }
    }

    fn line(parts: &[(Part, String)]) -> String {
        parts
            .iter()
            .map(|(_, s)| s.as_str())
            .collect::<Vec<_>>()
            .join("  ")
    }

    #[test]
    fn everything_shows_when_there_is_room() {
        let s = summary("jane@contoso.com, Outlook");
        assert_eq!(
            line(&s.fit(100)),
            "3f9a  escalated  jane@contoso.com, Outlook  AADSTS50143  Ticket  2 h"
        );
    }

    #[test]
    fn parts_go_by_priority_then_the_label_shortens_at_a_word() {
        let s = summary("jane@contoso.com, Outlook on the web, tenant Contoso");
        let full = line(&s.fit(200));
        for width in (15..full.width()).rev() {
            let parts = s.fit(width);
            let got = line(&parts);
            assert!(got.width() <= width, "{width}: {got}");
            assert!(got.starts_with("3f9a  escalated"), "{width}: {got}");
            // A shortened label always ends with the marker.
            if let Some((_, l)) = parts.iter().find(|(p, _)| *p == Part::Label)
                && l != &s.label
            {
                assert!(l.ends_with('…'), "{width}: {got}");
            }
        }
        assert_eq!(
            line(&s.fit(80)),
            "3f9a  escalated  jane@contoso.com, Outlook on the web, tenant Contoso  2 h"
        );
        assert_eq!(
            line(&s.fit(50)),
            "3f9a  escalated  jane@contoso.com, Outlook on the…"
        );
        assert_eq!(line(&s.fit(20)), "3f9a  escalated");
    }

    #[test]
    fn no_label_shows_the_title() {
        let parts = summary("").fit(80);
        assert!(parts.contains(&(Part::Title, "Session mismatch".into())));
    }

    #[test]
    fn one_long_word_is_cut_with_a_marker() {
        assert_eq!(shorten("abcdefghijkl", 6).as_deref(), Some("abcde…"));
        assert_eq!(shorten("abc def", 3), None);
    }
}
