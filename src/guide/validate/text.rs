//! Text rules shared by the checks and the wizard: invisible characters, `{placeholders}`,
//! field values, GUIDs, and "did you mean" suggestions.

use std::ops::Range;

use super::FieldKind;

/// Unicode format characters that show as nothing or reorder text: zero-width spaces and
/// joiners, text-direction marks and overrides, the byte-order mark, tag characters. An id
/// holding one looks like another id, or makes the text around it read backwards.
pub fn is_invisible(ch: char) -> bool {
    matches!(
        ch,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFFB}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// "did you mean ...?" when a near name exists, else what is expected.
pub(super) fn suggest(wrong: &str, candidates: &[&str], expected: &str) -> String {
    let best = candidates
        .iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&wrong.to_lowercase(), &c.to_lowercase()),
                *c,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((_, c)) => format!("did you mean \"{c}\"?"),
        None if candidates.is_empty() => format!("expected {expected}; there are none yet"),
        None => format!(
            "expected {expected}: {}",
            candidates
                .iter()
                .take(8)
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The `{name}` placeholders of a template, in order; `{{`/`}}` are literal braces.
pub fn placeholders(template: &str) -> Result<Vec<&str>, String> {
    placeholder_spans(template)
        .map(|v| v.into_iter().map(|(_, name)| name).collect())
        .map_err(|(_, msg)| msg)
}

/// The placeholders with the byte range of each `{...}` in the template, or the byte offset of
/// the first malformed brace and what is wrong with it.
/// Placeholders with where they are, or where the template goes wrong and why.
type Spans<'a> = Result<Vec<(Range<usize>, &'a str)>, (usize, String)>;

pub(super) fn placeholder_spans(template: &str) -> Spans<'_> {
    let mut out = Vec::new();
    let bytes = template.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' if bytes.get(i + 1) == Some(&b'{') => i += 2,
            b'}' if bytes.get(i + 1) == Some(&b'}') => i += 2,
            b'{' => {
                let Some(len) = template[i + 1..].find('}') else {
                    return Err((i, "a `{` is never closed".into()));
                };
                let name = template[i + 1..i + 1 + len].trim();
                if name.is_empty() || name.contains('{') || name.contains('\n') {
                    return Err((
                        i,
                        format!(
                            "`{{{}}}` is not a placeholder",
                            &template[i + 1..i + 1 + len]
                        ),
                    ));
                }
                out.push((i..i + len + 2, name));
                i += len + 2;
            }
            b'}' => {
                return Err((
                    i,
                    "a `}` has no matching `{` (write `}}` for a literal brace)".into(),
                ));
            }
            _ => i += 1,
        }
    }
    Ok(out)
}

/// What is wrong with `value` for a field of `kind`, if anything. Empty values are fine here
/// (`required` is checked separately).
pub fn check_value(kind: FieldKind, value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match kind {
        FieldKind::Text | FieldKind::Multiline => None,
        FieldKind::Guid => (!is_guid(v)).then(|| "not a GUID (expected 8-4-4-4-12 hex digits, like 7d8e9f0a-1b2c-4d3e-9f8a-7b6c5d4e3f2a)".to_owned()),
        FieldKind::ErrorCode => {
            let ok = v.len() >= 4 && v.chars().all(|c| c.is_ascii_alphanumeric()) && v.chars().any(|c| c.is_ascii_digit());
            (!ok).then(|| "not an error code (expected letters and digits, like AADSTS50143)".to_owned())
        }
        FieldKind::Timestamp => {
            let ok = v.len() >= 10 && v.as_bytes()[..4].iter().all(u8::is_ascii_digit) && v.as_bytes()[4] == b'-';
            (!ok).then(|| "not a date and time (expected e.g. 2026-05-14T09:21:07Z)".to_owned())
        }
    }
}

/// Whether `s` is a GUID: 8-4-4-4-12 hex digits, optionally in braces.
pub fn is_guid(s: &str) -> bool {
    let s = s
        .strip_prefix('{')
        .and_then(|x| x.strip_suffix('}'))
        .unwrap_or(s);
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}
