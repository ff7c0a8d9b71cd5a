//! Hits and their merging: [`scan_view`] runs the scanners over a view and then over its
//! derived views (stages 2 and 3), collecting hits in order; [`merge`] (stage 4) turns them
//! into one [`Extracted`], noting conflicts and caps.

use crate::text::sanitize;

use super::prepare::{add_note, prepare, window};
use super::scanners::{
    scan_codes, scan_exceptions, scan_key_values, scan_log_timestamp, scan_login_urls,
};
use super::views::{percent_decode, scan_json, unescape_literals};
use super::{Extracted, MAX_CODES, MAX_OTHER, MAX_VALUE_CHARS, MAX_VIEW_DEPTH};

/// Where a value goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    Code,
    RequestId,
    CorrelationId,
    Timestamp,
    /// The timestamp that starts a log line: used only without a labelled one.
    LogTimestamp,
    Other(&'static str),
}

/// One value found at a byte position of a view.
#[derive(Debug, Clone)]
pub(super) struct Hit {
    pos: usize,
    field: Field,
    value: String,
}

/// Scans one view, then its derived views, appending hits in order.
pub(super) fn scan_view(text: &str, depth: u8, out: &mut Vec<Hit>, notes: &mut Vec<String>) {
    let mut hits = Vec::new();
    scan_codes(text, &mut hits);
    scan_key_values(text, &mut hits);
    scan_exceptions(text, &mut hits);
    scan_login_urls(text, &mut hits);
    scan_log_timestamp(text, &mut hits);

    let mut children = Vec::new();
    if depth < MAX_VIEW_DEPTH {
        let strings = scan_json(text, &mut hits, notes);
        if !strings.is_empty() {
            children.push(strings);
        }
        children.extend(unescape_literals(text));
        children.extend(percent_decode(text));
    }
    hits.sort_by_key(|h| h.pos);
    out.extend(hits);
    for child in children {
        let child = prepare(&child, notes);
        scan_view(&child, depth + 1, out, notes);
    }
}

pub(super) fn merge(hits: Vec<Hit>, mut notes: Vec<String>) -> Extracted {
    let mut out = Extracted::default();
    let mut request_ids: Vec<String> = Vec::new();
    let mut correlation_ids: Vec<String> = Vec::new();
    let mut timestamps: Vec<String> = Vec::new();
    let mut log_timestamp: Option<String> = None;
    let mut codes_dropped = false;
    let mut other_dropped = false;

    for hit in hits {
        match hit.field {
            Field::Code => {
                if out.error_codes.contains(&hit.value) {
                } else if out.error_codes.len() < MAX_CODES {
                    out.error_codes.push(hit.value);
                } else {
                    codes_dropped = true;
                }
            }
            Field::RequestId => push_distinct(&mut request_ids, hit.value, |a, b| a == b),
            Field::CorrelationId => push_distinct(&mut correlation_ids, hit.value, |a, b| a == b),
            Field::Timestamp => push_distinct(&mut timestamps, hit.value, same_instant),
            Field::LogTimestamp => {
                log_timestamp.get_or_insert(hit.value);
            }
            Field::Other(label) => {
                let exists = out
                    .other
                    .iter()
                    .any(|(l, v)| l == label && v.eq_ignore_ascii_case(&hit.value));
                if exists {
                } else if out.other.len() < MAX_OTHER {
                    out.other.push((label.to_string(), hit.value));
                } else {
                    other_dropped = true;
                }
            }
        }
    }

    out.request_id = first_noting(request_ids, "request ids", &mut notes);
    out.correlation_id = first_noting(correlation_ids, "correlation ids", &mut notes);
    out.timestamp = first_noting(timestamps, "timestamps", &mut notes);
    if out.timestamp.is_none() {
        out.timestamp = log_timestamp;
    }
    if codes_dropped {
        add_note(
            &mut notes,
            format!(
                "more than {MAX_CODES} different error codes found, kept the first {MAX_CODES}"
            ),
        );
    }
    if other_dropped {
        add_note(
            &mut notes,
            format!("more than {MAX_OTHER} other values found, kept the first {MAX_OTHER}"),
        );
    }
    out.notes = notes;
    out
}

fn push_distinct(list: &mut Vec<String>, value: String, same: fn(&str, &str) -> bool) {
    if !list.iter().any(|v| same(v, &value)) {
        list.push(value);
    }
}

/// Keeps the first value; notes the others when there are several.
fn first_noting(values: Vec<String>, what: &str, notes: &mut Vec<String>) -> Option<String> {
    if values.len() > 1 {
        let shown: Vec<&str> = values[1..].iter().take(3).map(String::as_str).collect();
        let more = if values.len() > 4 { ", ..." } else { "" };
        add_note(
            notes,
            format!(
                "{} different {what} found, kept the first: {} (also seen: {}{more})",
                values.len(),
                values[0],
                shown.join(", ")
            ),
        );
    }
    values.into_iter().next()
}

/// Two timestamps name the same second when their first 14 digits agree
/// (`2024-05-14T09:21:07.123Z` and `2024-05-14 09:21:07Z`).
fn same_instant(a: &str, b: &str) -> bool {
    let digits = |s: &str| {
        s.chars()
            .filter(char::is_ascii_digit)
            .take(14)
            .collect::<String>()
    };
    digits(a) == digits(b)
}

/// Sanitises, collapses whitespace, trims and caps a value; `None` if empty.
fn clean_value(raw: &str) -> Option<String> {
    let raw = window(raw, 0, MAX_VALUE_CHARS * 8);
    let sanitized = sanitize(raw);
    let mut collapsed = String::with_capacity(sanitized.len());
    for word in sanitized.split_whitespace() {
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(word);
    }
    if collapsed.is_empty() {
        return None;
    }
    if collapsed.chars().count() > MAX_VALUE_CHARS {
        let mut capped: String = collapsed.chars().take(MAX_VALUE_CHARS - 1).collect();
        capped.truncate(capped.trim_end().len());
        capped.push('…');
        return Some(capped);
    }
    Some(collapsed)
}

pub(super) fn hit(hits: &mut Vec<Hit>, pos: usize, field: Field, raw: &str) {
    if let Some(value) = clean_value(raw) {
        hits.push(Hit { pos, field, value });
    }
}
