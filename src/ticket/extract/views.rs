//! Stage 3, derived views: JSON string values, literal escapes undone, percent-decoding.
//! Each is a child view, scanned like the text it came from.

use serde_json::Value;

use super::hits::{Field, Hit, hit};
use super::prepare::{add_note, window};
use super::scanners::{Kind, Sep, classify, normalize_key, numeric_code, parse_value, status_at};
use super::{MAX_JSON_ATTEMPTS, MAX_JSON_WALK_DEPTH, VALUE_WINDOW};

/// Parses the JSON objects in `text` (a few tries at most), adds hits for
/// their known keys and returns all their string values, one per line, as a
/// child view.
pub(super) fn scan_json(text: &str, hits: &mut Vec<Hit>, notes: &mut Vec<String>) -> String {
    let mut strings = String::new();
    let mut attempts = 0;
    let mut resume = 0;
    for (i, _) in text.match_indices('{') {
        if i < resume {
            continue;
        }
        // Only `{` followed by `"` or `}` can start a JSON object.
        let after = text[i + 1..].trim_start_matches([' ', '\t', '\n']);
        if !(after.starts_with('"') || after.starts_with('}')) {
            continue;
        }
        attempts += 1;
        if attempts > MAX_JSON_ATTEMPTS {
            break;
        }
        let mut stream = serde_json::Deserializer::from_str(&text[i..]).into_iter::<Value>();
        match stream.next() {
            Some(Ok(value)) => {
                let end = i + stream.byte_offset();
                walk_json(&value, None, 0, end, hits, &mut strings);
                resume = end;
            }
            Some(Err(e)) if e.to_string().contains("recursion limit") => add_note(
                notes,
                "JSON nested too deeply to parse; it was read as plain text".to_string(),
            ),
            _ => {}
        }
    }
    strings
}

fn walk_json(
    value: &Value,
    key: Option<&str>,
    depth: usize,
    pos: usize,
    hits: &mut Vec<Hit>,
    strings: &mut String,
) {
    if depth > MAX_JSON_WALK_DEPTH {
        return;
    }
    let known = key.and_then(|k| classify(&normalize_key(k)));
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                walk_json(v, Some(k), depth + 1, pos, hits, strings);
            }
        }
        Value::Array(items) => {
            for item in items {
                walk_json(item, key, depth + 1, pos, hits, strings);
            }
        }
        Value::String(s) => {
            if let Some((field, kind)) = known {
                let content = window(s, 0, VALUE_WINDOW);
                for (field, value) in parse_value(field, kind, content, Sep::Quoted) {
                    hit(hits, pos, field, &value);
                }
            }
            strings.push_str(s);
            strings.push('\n');
        }
        Value::Number(n) => match known {
            Some((Field::Code, _)) => {
                if let Some(code) = n.as_u64().and_then(|n| numeric_code(&n.to_string())) {
                    hit(hits, pos, Field::Code, &code);
                }
            }
            Some((field, Kind::Status)) => {
                if let Some(status) = status_at(&n.to_string()) {
                    hit(hits, pos, field, &status);
                }
            }
            _ => {}
        },
        Value::Null | Value::Bool(_) => {}
    }
}

/// Undoes literal escapes (`\r\n`, `\n`, `\t`, `\"`, `\'`, `\\`, `\/`,
/// `\uXXXX`, `\xXX`) as found in JSON that did not parse and in Python reprs.
/// `None` when there is nothing to undo.
pub(super) fn unescape_literals(text: &str) -> Option<String> {
    let has_escape = text
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'\\' && matches!(w[1], b'r' | b'n' | b't' | b'"' | b'\'' | b'u' | b'x'));
    if !has_escape {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        let mut chars = rest.chars();
        let Some(c) = chars.next() else {
            out.push('\\');
            break;
        };
        let mut used = c.len_utf8();
        match c {
            'r' => {
                out.push('\n');
                if rest[1..].starts_with("\\n") {
                    used += 2;
                }
            }
            'n' => out.push('\n'),
            't' => out.push('\t'),
            '"' | '\'' | '\\' | '/' => out.push(c),
            'u' | 'x' => {
                let len = if c == 'u' { 4 } else { 2 };
                let hex = window(rest, 1, len);
                let decoded = (hex.len() == len && hex.bytes().all(|b| b.is_ascii_hexdigit()))
                    .then(|| u32::from_str_radix(hex, 16).ok().and_then(char::from_u32))
                    .flatten();
                if let Some(ch) = decoded {
                    out.push(ch);
                    used += len;
                } else {
                    out.push('\\');
                    out.push(c);
                }
            }
            c => {
                out.push('\\');
                out.push(c);
            }
        }
        rest = &rest[used..];
    }
    out.push_str(rest);
    Some(out)
}

/// Percent-decodes the text, `+` as a space (query strings and fragments).
/// `None` when it holds no `%XX`.
pub(super) fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let hex = |b: u8| {
        char::from(b)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    let mut out = Vec::with_capacity(bytes.len());
    let mut decoded_any = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    out.push(h * 16 + l);
                    decoded_any = true;
                    i += 3;
                } else {
                    out.push(b'%');
                    i += 1;
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    decoded_any.then(|| String::from_utf8_lossy(&out).into_owned())
}
