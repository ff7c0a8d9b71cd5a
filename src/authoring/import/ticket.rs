//! The ticket of an imported guide, from the "Label: value" items of its ticket section.

use std::fmt::Write as _;

use super::Item;
use super::build::{Comments, Ids};
use super::inline::split_title;
use crate::guide::{Field, FieldKind, Name, Ticket, check_value};

/// The ticket from "Label: value" items (or lines of a code block): a field per label, the
/// template naming each. A value in brackets is a hint; another value is the default.
pub(super) fn build_ticket(
    items: &[&Item],
    code: &[(usize, String)],
    id: &str,
    c: &mut Comments,
) -> Option<Ticket> {
    let mut rows: Vec<(usize, String, String)> = items
        .iter()
        .map(|i| match &i.title {
            Some(t) => (i.line, t.clone(), i.body.clone()),
            None => (i.line, String::new(), i.body.clone()),
        })
        .collect();
    for (line, l) in code {
        match split_title(l) {
            (Some(t), body) => rows.push((*line, t, body)),
            (None, body) if !body.is_empty() => rows.push((*line, String::new(), body)),
            _ => {}
        }
    }
    if rows.is_empty() {
        return None;
    }
    let mut ids = Ids::default();
    let mut template = String::new();
    let mut fields = Vec::new();
    for (line, label, value) in rows {
        if label.is_empty() {
            // Not a field: a line of the template as written.
            template.push_str(&value.replace('{', "{{").replace('}', "}}"));
            template.push('\n');
            continue;
        }
        let fid = ids.make(&label, "field", '_');
        let v = value.trim();
        let placeholder = ["[", "<", "{", "("]
            .iter()
            .zip(["]", ">", "}", ")"])
            .find_map(|(o, e)| v.strip_prefix(o).and_then(|r| r.strip_suffix(e)));
        let (hint, default) = match placeholder {
            Some(h) => (Some(h.trim().to_owned()), None),
            None if v.is_empty() || v.chars().all(|c| c == '_' || c == '.') => (None, None),
            None => (None, Some(v.to_owned())),
        };
        let l = label.to_lowercase();
        let mut kind = if l.contains("correlation")
            || l.contains("request id")
            || l.contains("trace id")
            || l.contains("guid")
            || default.as_deref().is_some_and(crate::guide::is_guid)
        {
            FieldKind::Guid
        } else if l.contains("error code") || l == "code" {
            FieldKind::ErrorCode
        } else if l.contains("time") || l.contains("date") {
            FieldKind::Timestamp
        } else if [
            "description",
            "details",
            "steps to reproduce",
            "notes",
            "comments",
        ]
        .iter()
        .any(|w| l.contains(w))
        {
            FieldKind::Multiline
        } else {
            FieldKind::Text
        };
        if let Some(d) = &default
            && check_value(kind, d).is_some()
        {
            kind = FieldKind::Text;
        }
        let mut note = vec![format!("line {line}")];
        if default.as_deref() == Some(id) {
            note.push("prefilled with the guide's error code".into());
        }
        c.fields.push(note);
        let _ = writeln!(template, "{label}: {{{fid}}}");
        fields.push(Field {
            id: Name::new(fid),
            label,
            kind,
            required: true,
            default,
            hint,
        });
    }
    Some(Ticket { template, fields })
}
