//! Paste extraction: pull error codes and IDs out of text a user pasted.
//!
//! A support engineer pastes whatever the customer sent: the "Troubleshooting
//! details" block of the Microsoft sign-in page, a token endpoint JSON error, an
//! exception from one of the Microsoft authentication libraries (MSAL.NET, MSAL
//! Python, MSAL.js), a redirect URL with a URL-encoded `error_description`, or
//! a few log lines. [`extract`] finds in it the error codes (`AADSTS50143`,
//! `AADB2C90118`, ...), the request id (a.k.a. trace id), the correlation id, the
//! timestamp and a few named extras (app id, tenant, OAuth error, IP address,
//! device details, ...). It never fails and never panics: whatever it could not
//! use it says so in [`Extracted::notes`].
//!
//! # Approach
//!
//! 1. **Prepare.** The input is capped at [`MAX_INPUT_BYTES`] (on a character
//!    boundary), line ends are unified to `\n`, Unicode spaces become plain
//!    spaces, zero-width characters go, and [`sanitize`] removes control
//!    characters and whole terminal escape sequences.
//! 2. **Scan a view.** A few small scanners, each linear, run over the text:
//!    error codes anywhere (`scan_codes`), labelled values such as
//!    `Request Id: <guid>`, `"trace_id": "<guid>"`, `correlationId=<guid>` or
//!    `'error': 'invalid_grant'` (`scan_key_values`), exception names such as
//!    `MsalUiRequiredException:` (`scan_exceptions`), the tenant in a login URL
//!    (`scan_login_urls`) and the timestamp that starts a log line
//!    (`scan_log_timestamp`). Each label is recognised with one
//!    case-insensitive regex over all known spellings, then normalised
//!    (lowercase, no spaces, `_`, `-` or `.`) and looked up in `classify`,
//!    which tells what the value must look like (a GUID, a timestamp, an IP
//!    address, the rest of the line...). A value that does not look right is
//!    ignored rather than guessed.
//! 3. **Derive views.** Some formats hide their content behind an encoding, so
//!    a view can give rise to child views that are scanned the same way (two
//!    levels deep at most): the string values of any JSON object in it, parsed
//!    with `serde_json` (whose recursion limit protects the stack); the text
//!    with literal escapes such as `\r\n` or `\u0027` undone (the MSAL Python
//!    dict repr, JSON that did not parse); and the text percent-decoded with `+`
//!    as a space (redirect URLs, query or fragment).
//! 4. **Merge.** Hits are taken in order: the view's own hits by position, then
//!    those of its child views. The first value of a field wins; a different
//!    second value is reported in the notes. Every value is sanitised,
//!    whitespace-collapsed, trimmed and capped at [`MAX_VALUE_CHARS`].
//!
//! # What is awkward
//!
//! * The same datum appears several times in one paste, encoded differently
//!   (the JSON `error_description` repeats the trace id with `\r\n` escapes,
//!   the URL repeats it percent-encoded). Views make each encoding readable and
//!   deduplication makes the repetitions harmless; timestamps are compared by
//!   their digits so `2024-05-14T09:21:07.123Z` and `2024-05-14 09:21:07Z` are
//!   not reported as a conflict.
//! * In raw JSON, `...\r\nTrace ID: ...` has a word character (`n`) right
//!   before `Trace`, so the label is found only in the decoded child view.
//! * serde_json without `preserve_order` sorts object keys, so hits coming from
//!   a parsed object are placed at the object's end; the raw scan of the same
//!   text has already seen them in their real order.
//! * Older sign-in pages put the value on the line after its label, with or
//!   without a colon. That is accepted only for values with a strict shape
//!   (GUID, timestamp, IP address, tenant), never for free text.
//! * Request ids are GUIDs: `Trace ID` in an MSAL error and `Request Id` on the
//!   sign-in page are the same server request id, so both fill `request_id`.
//!   `client-request-id` is the client's own id and goes to `other`.
//! * Unterminated OSC/DCS strings end at the next line in [`sanitize`] (a
//!   terminal would swallow to the end); what follows is plain text by then, so
//!   this keeps data without letting any escape sequence through.
//! * Every search is bounded: values are read from a window of at most
//!   `VALUE_WINDOW` bytes, JSON is only tried at a limited number of `{` that
//!   can start an object, each label's value is read at most 64 times per
//!   view, and regexes use ASCII word boundaries so they stay on the regex
//!   crate's DFA even on non-ASCII text.

use std::net::IpAddr;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

/// Only the first this many bytes of a paste are read.
pub const MAX_INPUT_BYTES: usize = 1 << 20;
/// Longest value returned, in characters (a longer one ends with `…`).
pub const MAX_VALUE_CHARS: usize = 200;
/// At most this many distinct error codes are kept.
pub const MAX_CODES: usize = 32;
/// At most this many named extras are kept.
pub const MAX_OTHER: usize = 64;
/// The ids accepted by [`Extracted::field`] besides the labels of `other`.
pub const FIELD_IDS: [&str; 4] = ["error_code", "request_id", "correlation_id", "timestamp"];

/// How many bytes after a label are looked at for its value.
const VALUE_WINDOW: usize = 1024;
/// How many times per view one label's value is read.
const MAX_LABEL_HITS: usize = 64;
/// How deep derived views (JSON strings, unescaped, percent-decoded) may nest.
const MAX_VIEW_DEPTH: u8 = 2;
/// How many `{` per view are tried as the start of a JSON object.
const MAX_JSON_ATTEMPTS: usize = 16;
/// How deep a parsed JSON value is walked (serde_json itself stops at 128).
const MAX_JSON_WALK_DEPTH: usize = 64;

/// What a pasted text holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Extracted {
    /// Distinct error codes such as `AADSTS50143`, in order of first appearance.
    pub error_codes: Vec<String>,
    /// The server request id (`Request Id`, `Trace ID`, `requestId`,
    /// `trace_id`, `x-ms-request-id`): a lowercase GUID without braces.
    pub request_id: Option<String>,
    /// The correlation id (`Correlation Id`, `correlation_id`,
    /// `correlationId`): a lowercase GUID without braces.
    pub correlation_id: Option<String>,
    /// The timestamp as written (`2024-05-14T09:21:07.123Z`,
    /// `2024-05-14 09:21:07Z`, ...); a labelled one is preferred to the one
    /// that starts a log line.
    pub timestamp: Option<String>,
    /// Named extras as (label, value), e.g. `("App id", guid)`,
    /// `("Error", "invalid_grant")`, `("Tenant", "contoso.com")`.
    pub other: Vec<(String, String)>,
    /// Honest remarks about the input and what was done with it.
    pub notes: Vec<String>,
}

impl Extracted {
    /// True when nothing was found (notes do not count).
    pub fn is_empty(&self) -> bool {
        self.error_codes.is_empty()
            && self.request_id.is_none()
            && self.correlation_id.is_none()
            && self.timestamp.is_none()
            && self.other.is_empty()
    }

    /// A field by id: `error_code` (the first code), `request_id`,
    /// `correlation_id`, `timestamp`; any other id is compared with the labels
    /// of [`Extracted::other`] ignoring case, spaces, `_` and `-`, so
    /// `app_id` finds `App id` (the first one).
    pub fn field(&self, id: &str) -> Option<String> {
        match normalize_key(id).as_str() {
            "errorcode" => self.error_codes.first().cloned(),
            "requestid" => self.request_id.clone(),
            "correlationid" => self.correlation_id.clone(),
            "timestamp" => self.timestamp.clone(),
            wanted => self
                .other
                .iter()
                .find(|(label, _)| normalize_key(label) == wanted)
                .map(|(_, value)| value.clone()),
        }
    }
}

/// Extracts error codes, ids, timestamp and named extras from pasted text.
pub fn extract(text: &str) -> Extracted {
    let mut notes = Vec::new();
    let capped = cap_input(text, &mut notes);
    let root = prepare(capped, &mut notes);
    let mut hits = Vec::new();
    scan_view(&root, 0, &mut hits, &mut notes);
    merge(hits, notes)
}

/// Strips control characters so text is safe to show on a terminal or to put
/// in an escape sequence: C0 controls except `\n` and `\t`, DEL, C1 controls
/// (U+0080..U+009F) and whole escape sequences (CSI `ESC [ ... final`, OSC
/// `ESC ] ... BEL|ESC \`, DCS/SOS/PM/APC `ESC P|X|^|_ ... ESC \`, `ESC` with
/// intermediates and a final byte, two-byte `ESC x`, and the C1 forms of the
/// same introducers). A string sequence with no terminator ends at the next
/// line feed.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            '\u{9b}' => skip_csi(&mut chars),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\n' | '\t' => out.push(c),
            c if is_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

fn is_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// After an ESC: drops the rest of the sequence it starts.
fn skip_escape(chars: &mut std::str::Chars<'_>) {
    let Some(next) = chars.clone().next() else {
        return;
    };
    match next {
        '[' => {
            chars.next();
            skip_csi(chars);
        }
        ']' | 'P' | 'X' | '^' | '_' => {
            chars.next();
            skip_string(chars);
        }
        // SS2 / SS3 act on exactly one following character.
        'N' | 'O' => {
            chars.next();
            if chars
                .clone()
                .next()
                .is_some_and(|c| (' '..='~').contains(&c))
            {
                chars.next();
            }
        }
        // Intermediates, then one final byte (`ESC ( B`, `ESC # 8`).
        ' '..='/' => {
            while chars
                .clone()
                .next()
                .is_some_and(|c| (' '..='/').contains(&c))
            {
                chars.next();
            }
            if chars
                .clone()
                .next()
                .is_some_and(|c| ('0'..='~').contains(&c))
            {
                chars.next();
            }
        }
        '0'..='~' => {
            chars.next();
        }
        // A lone ESC (before a control, a non-ASCII character or the end).
        _ => {}
    }
}

/// After a CSI introducer: parameters and intermediates, then a final byte.
fn skip_csi(chars: &mut std::str::Chars<'_>) {
    while let Some(c) = chars.clone().next() {
        match c {
            ' '..='?' => {
                chars.next();
            }
            '@'..='~' => {
                chars.next();
                return;
            }
            // Anything else aborts the sequence and is handled normally.
            _ => return,
        }
    }
}

/// After an OSC/DCS/SOS/PM/APC introducer: everything up to BEL, ST
/// (`ESC \` or U+009C), another ESC, CAN, SUB or a line feed.
fn skip_string(chars: &mut std::str::Chars<'_>) {
    while let Some(c) = chars.clone().next() {
        match c {
            '\u{7}' | '\u{9c}' => {
                chars.next();
                return;
            }
            '\u{1b}' => {
                let mut ahead = chars.clone();
                ahead.next();
                if ahead.next() == Some('\\') {
                    chars.next();
                    chars.next();
                }
                return;
            }
            '\n' | '\u{18}' | '\u{1a}' => return,
            _ => {
                chars.next();
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Preparation
// ---------------------------------------------------------------------------

/// The largest index `<= max` that is a character boundary of `text`.
fn floor_boundary(text: &str, max: usize) -> usize {
    if max >= text.len() {
        return text.len();
    }
    let mut i = max;
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// At most `len` bytes of `text` from `start`, cut on a character boundary.
fn window(text: &str, start: usize, len: usize) -> &str {
    let start = floor_boundary(text, start);
    let end = floor_boundary(text, start.saturating_add(len));
    &text[start..end]
}

fn cap_input<'a>(text: &'a str, notes: &mut Vec<String>) -> &'a str {
    if text.len() <= MAX_INPUT_BYTES {
        return text;
    }
    let end = floor_boundary(text, MAX_INPUT_BYTES);
    add_note(
        notes,
        format!(
            "input truncated to 1 MiB: only the first {} bytes were read, {} were ignored",
            end,
            text.len() - end
        ),
    );
    &text[..end]
}

/// Unifies line ends and spaces and sanitises, noting what it removed.
fn prepare(text: &str, notes: &mut Vec<String>) -> String {
    if text.contains('\0') {
        add_note(
            notes,
            "binary data ignored: NUL bytes were removed".to_string(),
        );
    }
    let introducers = [
        '\u{1b}', '\u{90}', '\u{98}', '\u{9b}', '\u{9d}', '\u{9e}', '\u{9f}',
    ];
    if text.contains(introducers) {
        add_note(notes, "terminal escape sequences removed".to_string());
    }
    if text.contains('\u{fffd}') {
        add_note(
            notes,
            "text held bytes that were not valid UTF-8 (shown as \u{fffd}); they were ignored"
                .to_string(),
        );
    }
    let mut unified = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                unified.push('\n');
            }
            '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}' => unified.push(' '),
            '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => {}
            c => unified.push(c),
        }
    }
    sanitize(&unified)
}

fn add_note(notes: &mut Vec<String>, note: String) {
    if !notes.contains(&note) {
        notes.push(note);
    }
}

// ---------------------------------------------------------------------------
// Hits and their merging
// ---------------------------------------------------------------------------

/// Where a value goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
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
struct Hit {
    pos: usize,
    field: Field,
    value: String,
}

/// Scans one view, then its derived views, appending hits in order.
fn scan_view(text: &str, depth: u8, out: &mut Vec<Hit>, notes: &mut Vec<String>) {
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

fn merge(hits: Vec<Hit>, mut notes: Vec<String>) -> Extracted {
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

fn hit(hits: &mut Vec<Hit>, pos: usize, field: Field, raw: &str) {
    if let Some(value) = clean_value(raw) {
        hits.push(Hit { pos, field, value });
    }
}

// ---------------------------------------------------------------------------
// Regexes
// ---------------------------------------------------------------------------

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("built-in regex is valid")
}

/// `AADSTS50143`, `AADB2C90118` (any case; digits checked afterwards),
/// `MSIS7012` (AD FS), `CAA20003` (Microsoft 365 apps' sign-in errors).
static CODE_RE: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"(?i:(aadsts|aadb2c)([0-9]+))|(?-u:\b)(MSIS[0-9]{4}|CAA[0-9A-F]{5})(?-u:\b)")
});

/// Every spelling of every label that [`classify`] knows.
static KEY_RE: LazyLock<Regex> = LazyLock::new(|| {
    let s = r"[ _.\-]?";
    let keys = [
        format!("client{s}request{s}id"),
        format!("x{s}ms{s}(?:client{s})?request{s}id"),
        format!("request{s}id"),
        format!("trace{s}id"),
        format!("correlation{s}id"),
        format!("time{s}stamp"),
        format!("sign{s}in{s}error{s}code"),
        format!("error{s}codes?"),
        format!("error{s}ur[il]"),
        "error".to_string(),
        format!("sub{s}error"),
        format!("app(?:lication)?{s}(?:id|name)"),
        "application".to_string(),
        format!("client{s}id"),
        format!("client{s}ip"),
        format!("tenant(?:{s}id)?"),
        format!("directory{s}id"),
        "tid".to_string(),
        format!("ip(?:{s}addr(?:ess)?)?"),
        format!("device{s}id(?:entifier)?"),
        format!("device{s}platform"),
        format!("device{s}state"),
        format!("failure{s}reason"),
        format!("activity{s}id"),
        format!("user(?:{s}(?:principal{s}name|name|account))?"),
        "upn".to_string(),
        format!("login{s}hint"),
        format!("domain{s}hint"),
        format!("(?:http{s})?status{s}code"),
    ];
    regex(&format!(r"(?i)(?-u:\b)(?:{})(?-u:\b)", keys.join("|")))
});

/// A GUID at the start, with or without braces or hyphens.
static GUID_RE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"^\{?(?:([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})|([0-9A-Fa-f]{32}))\}?",
    )
});

/// A timestamp at the start: ISO 8601 (`T` or space, fraction, zone) or the
/// US form the Azure portal shows (`5/14/2024, 9:21:07 AM`).
static TIME_RE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]{1,9})?)?(?: ?(?:Z|UTC|GMT|[+-][0-9]{2}:?[0-9]{2}))?)?|[0-9]{1,2}/[0-9]{1,2}/[0-9]{4},? +[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?: ?[AaPp][Mm])?(?: ?(?:UTC|GMT|Z))?)",
    )
});

/// The timestamp that starts a log line, maybe in brackets.
static LOG_TIME_RE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?m)^[ \t]*\[?([0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.,][0-9]{1,9})?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)",
    )
});

/// An OAuth error code at the start: lowercase words joined by `_`.
static OAUTH_RE: LazyLock<Regex> = LazyLock::new(|| regex(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+"));

/// A DNS name at the start (`contoso.onmicrosoft.com`).
static DOMAIN_RE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,63}",
    )
});

/// An e-mail address or UPN at the start.
static EMAIL_RE: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"^[A-Za-z0-9._%+'\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,63}")
});

/// An exception or error class followed by a colon (`MsalUiRequiredException:`,
/// `ServerError:`); namespaces stay out of the match.
static EXCEPTION_RE: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?-u:\b)([A-Z][A-Za-z0-9_]*(?:Exception|Error))[ \t]*:"));

/// The tenant segment of a Microsoft identity login URL.
static LOGIN_URL_RE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)(?:login\.microsoftonline\.(?:com|us|de)|login\.partner\.microsoftonline\.cn|login\.windows\.net|login\.microsoft\.com|sts\.windows\.net|[a-z0-9\-]+\.b2clogin\.com|[a-z0-9\-]+\.ciamlogin\.com)/([A-Za-z0-9.\-]{1,253})(?:[/?#\s\x22']|$)",
    )
});

// ---------------------------------------------------------------------------
// Scanners: one per format
// ---------------------------------------------------------------------------

/// Error codes anywhere in the text.
fn scan_codes(text: &str, hits: &mut Vec<Hit>) {
    for caps in CODE_RE.captures_iter(text) {
        let pos = caps.get(0).map_or(0, |m| m.start());
        if let (Some(prefix), Some(digits)) = (caps.get(1), caps.get(2)) {
            if (4..=7).contains(&digits.len()) {
                let code = format!(
                    "{}{}",
                    prefix.as_str().to_ascii_uppercase(),
                    digits.as_str()
                );
                hit(hits, pos, Field::Code, &code);
            }
        } else if let Some(code) = caps.get(3) {
            hit(hits, pos, Field::Code, code.as_str());
        }
    }
}

/// What a value must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Guid,
    Time,
    /// Free text: the rest of the line (after `:`), a token (after `=`) or a
    /// quoted string.
    Line,
    Ip,
    /// A GUID or a domain name.
    Tenant,
    Email,
    /// `invalid_grant` and the like.
    OAuth,
    Uri,
    Status,
    /// One or more numeric error codes, or an OAuth error (`ErrorCode:
    /// invalid_grant` in MSAL.NET).
    Codes,
}

/// Lowercase, without spaces, `_`, `-` and `.`.
fn normalize_key(key: &str) -> String {
    key.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.'))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// What a (normalised) label names and how its value looks.
fn classify(key: &str) -> Option<(Field, Kind)> {
    use Field::Other;
    Some(match key {
        "requestid" | "traceid" | "xmsrequestid" => (Field::RequestId, Kind::Guid),
        "correlationid" => (Field::CorrelationId, Kind::Guid),
        "timestamp" => (Field::Timestamp, Kind::Time),
        "clientrequestid" | "xmsclientrequestid" => (Other("Client request id"), Kind::Guid),
        "errorcode" | "errorcodes" | "signinerrorcode" => (Field::Code, Kind::Codes),
        "error" => (Other("Error"), Kind::OAuth),
        "suberror" => (Other("Suberror"), Kind::OAuth),
        "erroruri" | "errorurl" => (Other("Error URI"), Kind::Uri),
        "appid" | "applicationid" | "clientid" => (Other("App id"), Kind::Guid),
        "appname" | "application" | "applicationname" => (Other("App name"), Kind::Line),
        "tenant" | "tenantid" | "directoryid" | "tid" => (Other("Tenant"), Kind::Tenant),
        "ip" | "ipaddress" | "ipaddr" | "clientip" => (Other("IP address"), Kind::Ip),
        "deviceid" | "deviceidentifier" => (Other("Device identifier"), Kind::Line),
        "deviceplatform" => (Other("Device platform"), Kind::Line),
        "devicestate" => (Other("Device state"), Kind::Line),
        "failurereason" => (Other("Failure reason"), Kind::Line),
        "activityid" => (Other("Activity id"), Kind::Guid),
        "user" | "username" | "userprincipalname" | "useraccount" | "upn" | "loginhint" => {
            (Other("User"), Kind::Email)
        }
        "domainhint" => (Other("Domain hint"), Kind::Tenant),
        "statuscode" | "httpstatuscode" => (Other("HTTP status"), Kind::Status),
        _ => return None,
    })
}

/// How a value was introduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sep {
    /// `key: value` (also `key: "value"`).
    Colon,
    /// `key=value`, `key => value`.
    Equals,
    /// `key value` or `key` and the value on the next line.
    Bare,
    /// The whole content of a quoted or JSON string.
    Quoted,
}

/// Labelled values: `Label: value`, `Label:\nvalue`, `key=value`,
/// `"key": "value"`, `'key': 'value'`, `key: [1, 2]`.
fn scan_key_values(text: &str, hits: &mut Vec<Hit>) {
    let mut counts: Vec<(Field, usize)> = Vec::new();
    for m in KEY_RE.find_iter(text) {
        let Some((field, kind)) = classify(&normalize_key(m.as_str())) else {
            continue;
        };
        // A label read thousands of times adds nothing after the first few.
        let slot = match counts.iter().position(|(f, _)| *f == field) {
            Some(slot) => slot,
            None => {
                counts.push((field, 0));
                counts.len() - 1
            }
        };
        if counts[slot].1 >= MAX_LABEL_HITS {
            continue;
        }
        let Some((start, sep, next_line)) = value_start(text, m.end()) else {
            continue;
        };
        let rest = window(text, start, VALUE_WINDOW);
        let (content, sep) = match unquote(rest) {
            Some(inner) => (inner, Sep::Quoted),
            None => (rest, sep),
        };
        let loose = next_line || sep == Sep::Bare;
        if loose && !matches!(kind, Kind::Guid | Kind::Time | Kind::Ip | Kind::Tenant) {
            continue;
        }
        for (field, value) in parse_value(field, kind, content, sep) {
            counts[slot].1 += 1;
            hit(hits, m.start(), field, &value);
        }
    }
}

/// After a label: skips its closing quote, blanks and the separator. Returns
/// where the value starts, the separator, and whether it is on a later line.
fn value_start(text: &str, key_end: usize) -> Option<(usize, Sep, bool)> {
    let bytes = text.as_bytes();
    let limit = key_end.saturating_add(64).min(bytes.len());
    let mut i = key_end;
    let at = |i: usize| if i < limit { bytes[i] } else { 0 };
    if matches!(at(i), b'"' | b'\'') {
        i += 1;
    }
    let after_key = i;
    let skip_blanks = |mut i: usize| {
        while matches!(at(i), b' ' | b'\t') {
            i += 1;
        }
        i
    };
    i = skip_blanks(i);
    let sep = match at(i) {
        b':' if at(i + 1) != b':' => {
            i += 1;
            Sep::Colon
        }
        b'=' if at(i + 1) == b'>' => {
            i += 2;
            Sep::Equals
        }
        b'=' => {
            i += 1;
            Sep::Equals
        }
        _ => Sep::Bare,
    };
    i = skip_blanks(i);
    let mut next_line = false;
    if sep != Sep::Equals {
        let mut lines = 0;
        while at(i) == b'\n' && lines < 2 {
            lines += 1;
            next_line = true;
            i = skip_blanks(i + 1);
        }
    }
    if sep == Sep::Bare && i == after_key {
        return None; // `requestidfoo`: no blank between label and value.
    }
    (i < limit).then_some((i, sep, next_line))
}

/// The inside of a value that starts with a quote, up to the matching quote
/// on the same line (a backslash escapes the next character).
fn unquote(text: &str) -> Option<&str> {
    let quote = match text.as_bytes().first() {
        Some(b'"') => b'"',
        Some(b'\'') => b'\'',
        _ => return None,
    };
    let bytes = text.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' => return None,
            b if b == quote => return Some(&text[1..i]),
            _ => i += 1,
        }
    }
    None
}

/// Reads one value of `kind` at the start of `text`.
fn parse_value(field: Field, kind: Kind, text: &str, sep: Sep) -> Vec<(Field, String)> {
    let one = |v: Option<String>| v.map(|v| vec![(field, v)]).unwrap_or_default();
    match kind {
        Kind::Guid => one(guid_at(text, sep == Sep::Quoted)),
        Kind::Time => one(time_at(text)),
        Kind::Ip => one(ip_at(text)),
        Kind::Tenant => one(guid_at(text, sep == Sep::Quoted).or_else(|| domain_at(text))),
        Kind::Email => one(EMAIL_RE.find(text).map(|m| m.as_str().to_string())),
        Kind::OAuth => one(oauth_at(text)),
        Kind::Uri => one(uri_at(text)),
        Kind::Status => one(status_at(text)),
        Kind::Line => one(line_at(text, sep)),
        Kind::Codes => codes_at(text),
    }
}

/// A GUID at the start, lowercase, without braces (hyphens added to the
/// 32-digit form). Unquoted, it must not run on into more word characters.
fn guid_at(text: &str, quoted: bool) -> Option<String> {
    let caps = GUID_RE.captures(text)?;
    let end = caps.get(0)?.end();
    let next = text[end..].chars().next();
    if !quoted && next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return None;
    }
    if let Some(g) = caps.get(1) {
        return Some(g.as_str().to_ascii_lowercase());
    }
    let h = caps.get(2)?.as_str().to_ascii_lowercase();
    Some(format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    ))
}

fn time_at(text: &str) -> Option<String> {
    let m = TIME_RE.find(text)?;
    let next = text[m.end()..].chars().next();
    if next.is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(m.as_str().to_string())
}

fn ip_at(text: &str) -> Option<String> {
    let token: String = text
        .chars()
        .take_while(|c| c.is_ascii_hexdigit() || matches!(c, '.' | ':'))
        .take(64)
        .collect();
    let token = token.trim_end_matches(['.', ':']);
    if let Ok(ip) = token.parse::<IpAddr>() {
        return Some(ip.to_string());
    }
    // IPv4 with a port: `203.0.113.7:443`.
    let (host, _) = token.rsplit_once(':')?;
    host.parse::<std::net::Ipv4Addr>()
        .ok()
        .map(|ip| ip.to_string())
}

fn domain_at(text: &str) -> Option<String> {
    let m = DOMAIN_RE.find(text)?;
    let next = text[m.end()..].chars().next();
    if next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '@' || c == '_') {
        return None;
    }
    Some(m.as_str().to_ascii_lowercase())
}

fn oauth_at(text: &str) -> Option<String> {
    let m = OAUTH_RE.find(text)?;
    let next = text[m.end()..].chars().next();
    if next.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-') {
        return None;
    }
    Some(m.as_str().to_string())
}

fn uri_at(text: &str) -> Option<String> {
    let lower = window(text, 0, 8).to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return None;
    }
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '&'))
        .unwrap_or(text.len());
    Some(
        text[..end]
            .trim_end_matches(['.', ',', ';', ')'])
            .to_string(),
    )
}

fn status_at(text: &str) -> Option<String> {
    let digits: String = text
        .chars()
        .take_while(char::is_ascii_digit)
        .take(4)
        .collect();
    let n: u16 = digits.parse().ok()?;
    (digits.len() == 3 && (100..=599).contains(&n)).then_some(digits)
}

/// Free text: all of a quoted value, a token after `=`, the rest of the line
/// after `:` (up to a tab or ` | `).
fn line_at(text: &str, sep: Sep) -> Option<String> {
    let end = match sep {
        Sep::Quoted => text.len(),
        Sep::Equals => text
            .find(|c: char| c.is_whitespace() || matches!(c, '&' | ';' | ',' | '"' | '\''))
            .unwrap_or(text.len()),
        Sep::Colon | Sep::Bare => {
            let line = text.find('\n').unwrap_or(text.len());
            let line = text[..line].find('\t').unwrap_or(line);
            text[..line].find(" | ").unwrap_or(line)
        }
    };
    let value = text[..end].trim().trim_end_matches([',', ';']);
    (!value.is_empty()).then(|| value.to_string())
}

/// `50143`, `[50143, 50058]`, `"AADSTS50143"` (found by [`scan_codes`]
/// anyway) or an OAuth error such as `invalid_grant`.
fn codes_at(text: &str) -> Vec<(Field, String)> {
    if let Some(list) = text.strip_prefix('[') {
        let end = list.find(']').unwrap_or(0);
        return list[..end]
            .split(',')
            .filter_map(|n| numeric_code(n.trim().trim_matches(['"', '\''])))
            .take(MAX_CODES)
            .map(|code| (Field::Code, code))
            .collect();
    }
    let digits: String = text
        .chars()
        .take_while(char::is_ascii_digit)
        .take(9)
        .collect();
    let after = text[digits.len()..].chars().next();
    if !digits.is_empty() && !after.is_some_and(|c| c.is_ascii_alphanumeric()) {
        return numeric_code(&digits)
            .map(|c| vec![(Field::Code, c)])
            .unwrap_or_default();
    }
    oauth_at(text)
        .map(|e| vec![(Field::Other("Error"), e)])
        .unwrap_or_default()
}

/// A bare number of 4 to 7 digits as an `AADSTS` code.
fn numeric_code(n: &str) -> Option<String> {
    let ok = (4..=7).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| format!("AADSTS{n}"))
}

/// Exception and error class names (`MsalUiRequiredException: AADSTS...`,
/// `ServerError: invalid_grant: AADSTS...`), and the OAuth error that may
/// follow the colon.
fn scan_exceptions(text: &str, hits: &mut Vec<Hit>) {
    for caps in EXCEPTION_RE.captures_iter(text) {
        let (Some(all), Some(name)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        hit(hits, all.start(), Field::Other("Exception"), name.as_str());
        let rest = window(text, all.end(), 128).trim_start_matches([' ', '\t']);
        if let Some(error) = oauth_at(rest)
            && rest[error.len()..]
                .trim_start_matches([' ', '\t'])
                .starts_with(':')
        {
            hit(hits, all.start(), Field::Other("Error"), &error);
        }
    }
}

/// The tenant in `https://login.microsoftonline.com/<tenant>/oauth2/...`.
fn scan_login_urls(text: &str, hits: &mut Vec<Hit>) {
    for caps in LOGIN_URL_RE.captures_iter(text) {
        let (Some(all), Some(tenant)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        let tenant = tenant.as_str();
        let generic = ["common", "organizations", "consumers", "error"]
            .iter()
            .any(|g| tenant.eq_ignore_ascii_case(g));
        if generic {
            continue;
        }
        let value = guid_at(tenant, true).or_else(|| domain_at(tenant));
        if let Some(value) = value {
            hit(hits, all.start(), Field::Other("Tenant"), &value);
        }
    }
}

/// The first timestamp that starts a line (`2024-05-14T09:21:07Z ERROR ...`).
fn scan_log_timestamp(text: &str, hits: &mut Vec<Hit>) {
    if let Some(m) = LOG_TIME_RE.captures(text).and_then(|caps| caps.get(1)) {
        hit(hits, m.start(), Field::LogTimestamp, m.as_str());
    }
}

// ---------------------------------------------------------------------------
// Derived views
// ---------------------------------------------------------------------------

/// Parses the JSON objects in `text` (a few tries at most), adds hits for
/// their known keys and returns all their string values, one per line, as a
/// child view.
fn scan_json(text: &str, hits: &mut Vec<Hit>, notes: &mut Vec<String>) -> String {
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
fn unescape_literals(text: &str) -> Option<String> {
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
                match decoded {
                    Some(ch) => {
                        out.push(ch);
                        used += len;
                    }
                    None => {
                        out.push('\\');
                        out.push(c);
                    }
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
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut decoded_any = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    decoded_any = true;
                    i += 3;
                }
                _ => {
                    out.push(b'%');
                    i += 1;
                }
            },
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

#[cfg(test)]
mod tests {
    use super::*;

    const REQ: &str = "0b1c9f8e-2a3d-4e5f-8a9b-1c2d3e4f5a6b";
    const CORR: &str = "7d8e9f0a-1b2c-4d3e-9f8a-7b6c5d4e3f2a";
    const APP: &str = "11111111-2222-3333-4444-555555555555";
    const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    fn other<'a>(x: &'a Extracted, label: &str) -> Vec<&'a str> {
        x.other
            .iter()
            .filter(|(l, _)| l == label)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn assert_ids(x: &Extracted, request: &str, correlation: &str) {
        assert_eq!(x.request_id.as_deref(), Some(request), "{x:#?}");
        assert_eq!(x.correlation_id.as_deref(), Some(correlation), "{x:#?}");
    }

    /// Every value in `x` is sanitised, trimmed, single-line and capped.
    fn assert_clean(x: &Extracted) {
        let mut values: Vec<&str> = x.error_codes.iter().map(String::as_str).collect();
        values.extend(x.request_id.as_deref());
        values.extend(x.correlation_id.as_deref());
        values.extend(x.timestamp.as_deref());
        for (label, value) in &x.other {
            values.push(label);
            values.push(value);
        }
        for v in values {
            assert!(!v.is_empty());
            assert_eq!(v, v.trim(), "untrimmed {v:?}");
            assert!(v.chars().count() <= MAX_VALUE_CHARS, "too long {v:?}");
            assert!(!v.chars().any(|c| c.is_control()), "control char in {v:?}");
        }
        for id in [&x.request_id, &x.correlation_id].into_iter().flatten() {
            assert_eq!(id, &id.to_ascii_lowercase());
            assert_eq!(id.len(), 36);
        }
        for note in &x.notes {
            assert!(
                !note.chars().any(|c| c.is_control()),
                "control char in {note:?}"
            );
        }
    }

    // -- sanitize -------------------------------------------------------------

    #[test]
    fn sanitize_keeps_plain_text() {
        let text = "Request Id: abc\n\tÉtat: connecté 👍 日本語 — “quotes”";
        assert_eq!(sanitize(text), text);
    }

    #[test]
    fn sanitize_removes_c0_del_c1_and_cr() {
        assert_eq!(
            sanitize("a\0b\x07c\x08d\re\x7ff\u{85}g\u{9c}h\u{80}i\u{9f}"),
            "abcdefghi"
        );
        assert_eq!(sanitize("line\r\nnext"), "line\nnext");
    }

    #[test]
    fn sanitize_removes_csi() {
        assert_eq!(sanitize("\x1b[31mred\x1b[0m plain"), "red plain");
        assert_eq!(sanitize("\x1b[?25l\x1b[2J\x1b[1;1Hhome"), "home");
        assert_eq!(sanitize("\x1b[38;5;196mX"), "X");
        // An aborted CSI leaves what aborted it.
        assert_eq!(sanitize("\x1b[12\nnext"), "\nnext");
        // The 8-bit CSI.
        assert_eq!(sanitize("\u{9b}31mred"), "red");
    }

    #[test]
    fn sanitize_removes_osc_with_either_terminator() {
        assert_eq!(sanitize("a\x1b]52;c;ZXZpbA==\x07b"), "ab");
        assert_eq!(sanitize("a\x1b]0;title\x1b\\b"), "ab");
        assert_eq!(
            sanitize("\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"),
            "click"
        );
        assert_eq!(sanitize("a\u{9d}2;title\u{9c}b"), "ab");
    }

    #[test]
    fn sanitize_removes_dcs_sos_pm_apc() {
        assert_eq!(sanitize("a\x1bP1$r0m\x1b\\b"), "ab");
        assert_eq!(sanitize("a\x1bXsos\x1b\\b"), "ab");
        assert_eq!(sanitize("a\x1b^pm\x1b\\b"), "ab");
        assert_eq!(sanitize("a\x1b_Gf=100;AAAA\x1b\\b"), "ab");
        assert_eq!(sanitize("a\u{90}dcs\u{9c}b"), "ab");
    }

    #[test]
    fn sanitize_unterminated_string_ends_at_line_feed() {
        assert_eq!(
            sanitize("\x1b]52;c;ZXZpbA==\nRequest Id: x"),
            "\nRequest Id: x"
        );
        assert_eq!(sanitize("x\x1b]52;c;never ends"), "x");
        // Another ESC ends the string and starts its own sequence.
        assert_eq!(sanitize("\x1b]0;t\x1b[31mred"), "red");
    }

    #[test]
    fn sanitize_removes_short_escapes() {
        assert_eq!(sanitize("a\x1bcb"), "ab"); // RIS
        assert_eq!(sanitize("a\x1b7b\x1b8c"), "abc"); // save/restore cursor
        assert_eq!(sanitize("a\x1b(Bb"), "ab"); // charset
        assert_eq!(sanitize("a\x1b#8b"), "ab"); // DECALN
        assert_eq!(sanitize("a\x1bOPb"), "ab"); // SS3 F1
        assert_eq!(sanitize("a\x1b"), "a"); // lone at the end
        assert_eq!(sanitize("a\x1bé"), "aé"); // lone before non-ASCII
        assert_eq!(sanitize("a\x1b\x1b[1mb"), "ab");
    }

    #[test]
    fn sanitize_is_idempotent_on_tricky_input() {
        let text = "\x1b\x1b]]\x1b[\x1b[[m\u{9b}\u{9b}1\x1bP\x1b\x1b\\\\x";
        let once = sanitize(text);
        assert_eq!(sanitize(&once), once);
        assert!(!once.contains('\x1b'));
    }

    // -- the sign-in page -------------------------------------------------------

    #[test]
    fn sign_in_page_troubleshooting_details() {
        let text = format!(
            "Sorry, but we're having trouble signing you in.\n\
             AADSTS50143: Session mismatch - Session is invalid because user tenant doesn't match the domain hint due to different resource.\n\
             Troubleshooting details\n\
             If you contact your administrator, send this info to them.\n\
             Copy info to clipboard\n\
             Request Id: {REQ}\n\
             Correlation Id: {CORR}\n\
             Timestamp: 2024-05-14T09:21:07.123Z\n\
             Message: AADSTS50143: Session mismatch - Session is invalid because user tenant doesn't match the domain hint due to different resource.\n\
             App name: Contoso Portal\n\
             App id: {APP}\n\
             IP address: 203.0.113.7\n\
             Device identifier: Not available\n\
             Device platform: Windows 10\n\
             Device state: Unregistered\n\
             Flag sign-in errors for review: Enable flagging\n"
        );
        let x = extract(&text);
        assert_eq!(x.error_codes, ["AADSTS50143"]);
        assert_ids(&x, REQ, CORR);
        assert_eq!(x.timestamp.as_deref(), Some("2024-05-14T09:21:07.123Z"));
        assert_eq!(
            x.other,
            [
                ("App name", "Contoso Portal"),
                ("App id", APP),
                ("IP address", "203.0.113.7"),
                ("Device identifier", "Not available"),
                ("Device platform", "Windows 10"),
                ("Device state", "Unregistered"),
            ]
            .map(|(l, v)| (l.to_string(), v.to_string()))
        );
        assert!(x.notes.is_empty(), "{:?}", x.notes);
        assert_clean(&x);
    }

    #[test]
    fn sign_in_page_windows_clipboard_with_crlf_and_nbsp() {
        let text = format!(
            "AADSTS50058: A silent sign-in request was sent but no user is signed in.\r\n\r\n\
             Request Id:\u{a0}{REQ}\r\nCorrelation Id:\u{a0}{CORR}\r\n\
             Timestamp:\u{a0}2024-05-14T09:21:07.123Z\r\n"
        );
        let x = extract(&text);
        assert_eq!(x.error_codes, ["AADSTS50058"]);
        assert_ids(&x, REQ, CORR);
        assert_eq!(x.timestamp.as_deref(), Some("2024-05-14T09:21:07.123Z"));
    }

    #[test]
    fn sign_in_page_older_variant_values_on_next_line() {
        let text = format!(
            "Sign in\n\
             Sorry, but we're having trouble signing you in.\n\n\
             AADSTS50058: A silent sign-in request was sent but no user is signed in. The cookies used to represent the user's session were not sent in the request to Azure AD.\n\n\
             Troubleshooting details\n\
             If you contact your administrator, send this info to them.\n\
             Copy info to clipboard\n\
             Request ID:\n\
             {}\n\
             Correlation ID:\n\
             {}\n\
             Timestamp:\n\
             2019-03-07T16:44:11Z\n\
             Advanced diagnostics: Enable\n",
            REQ.to_uppercase(),
            CORR.to_uppercase()
        );
        let x = extract(&text);
        assert_eq!(x.error_codes, ["AADSTS50058"]);
        assert_ids(&x, REQ, CORR);
        assert_eq!(x.timestamp.as_deref(), Some("2019-03-07T16:44:11Z"));
    }

    #[test]
    fn sign_in_page_copied_label_and_value_on_separate_lines_without_colon() {
        let text =
            format!("Request Id\n{REQ}\nCorrelation Id\n{CORR}\nTimestamp\n2024-05-14T09:21:07Z\n");
        let x = extract(&text);
        assert_ids(&x, REQ, CORR);
        assert_eq!(x.timestamp.as_deref(), Some("2024-05-14T09:21:07Z"));
    }

    #[test]
    fn sign_in_page_trace_id_variant() {
        let text = format!(
            "Sign in\n\
             Sorry, but we're having trouble signing you in.\n\
             We received a bad request.\n\n\
             Additional technical information:\n\
             Trace ID: {REQ}\n\
             Correlation ID: {CORR}\n\
             Timestamp: 2017-11-02 14:33:05Z\n\
             AADSTS50011: The reply url specified in the request does not match the reply urls configured for the application: '{APP}'.\n"
        );
        let x = extract(&text);
        assert_eq!(x.error_codes, ["AADSTS50011"]);
        assert_ids(&x, REQ, CORR);
        assert_eq!(x.timestamp.as_deref(), Some("2017-11-02 14:33:05Z"));
    }

    #[test]
    fn free_text_labels_do_not_take_the_next_line() {
        let x = extract("App name:\nDevice platform: Windows 10\n");
        assert_eq!(other(&x, "App name"), Vec::<&str>::new());
        assert_eq!(other(&x, "Device platform"), ["Windows 10"]);
    }

    // -- token endpoint JSON ------------------------------------------------------

    fn token_error_json() -> String {
        format!(
            r#"{{"error":"invalid_grant","error_description":"AADSTS50143: Session mismatch - Session is invalid because user tenant doesn't match the domain hint due to different resource.\r\nTrace ID: {REQ}\r\nCorrelation ID: {CORR}\r\nTimestamp: 2024-05-14 09:21:07Z","error_codes":[50143],"timestamp":"2024-05-14 09:21:07Z","trace_id":"{REQ}","correlation_id":"{CORR}","error_uri":"https://login.microsoftonline.com/error?code=50143"}}"#
        )
    }

    #[test]
    fn token_endpoint_json() {
        let x = extract(&token_error_json());
        assert_eq!(x.error_codes, ["AADSTS50143"]);
        assert_ids(&x, REQ, CORR);
        assert_eq!(x.timestamp.as_deref(), Some("2024-05-14 09:21:07Z"));
        assert_eq!(other(&x, "Error"), ["invalid_grant"]);
        assert_eq!(
            other(&x, "Error URI"),
            ["https://login.microsoftonline.com/error?code=50143"]
        );
        assert!(x.notes.is_empty(), "{:?}", x.notes);
        assert_clean(&x);
    }

    #[test]
    fn token_endpoint_json_pretty_printed_with_two_codes() {
        let text = format!(
            r#"HTTP/1.1 400 Bad Request
Content-Type: application/json; charset=utf-8
x-ms-request-id: {REQ}
client-request-id: {CORR}

{{
  "error": "interaction_required",
  "error_description": "AADSTS50058: A silent sign-in request was sent but no user is signed in.\r\nTrace ID: {REQ}\r\nCorrelation ID: {CORR}\r\nTimestamp: 2024-05-14 09:21:07Z",
  "error_codes": [
    50058,
    50143
  ],
  "timestamp": "2024-05-14 09:21:07Z",
  "trace_id": "{REQ}",
  "correlation_id": "{CORR}",
  "suberror": "bad_token"
}}
"#
        );
        let x = extract(&text);
        assert_eq!(x.error_codes, ["AADSTS50058", "AADSTS50143"]);
        assert_ids(&x, REQ, CORR);
        assert_eq!(x.timestamp.as_deref(), Some("2024-05-14 09:21:07Z"));
        assert_eq!(other(&x, "Error"), ["interaction_required"]);
        assert_eq!(other(&x, "Suberror"), ["bad_token"]);
        assert_eq!(other(&x, "Client request id"), [CORR]);
        assert_eq!(other(&x, "HTTP status"), Vec::<&str>::new());
        assert!(x.notes.is_empty(), "{:?}", x.notes);
    }

    #[test]
    fn json_string_escapes_are_decoded_and_sanitised() {
        let text = r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.\u001b]52;c;ZXZpbA==\u0007\nTrace ID: {0B1C9F8E-2A3D-4E5F-8A9B-1C2D3E4F5A6B}"}"#;
        let x = extract(text);
        assert_eq!(x.error_codes, ["AADSTS7000215"]);
        assert_eq!(x.request_id.as_deref(), Some(REQ));
        assert!(
            x.notes.iter().any(|n| n.contains("escape sequences")),
            "{:?}",
            x.notes
        );
        assert_clean(&x);
    }

    #[test]
    fn json_inside_a_json_string_is_read() {
        let inner = token_error_json().replace('"', "\\\"");
        let text = format!(r#"{{"level":"error","msg":"token request failed","body":"{inner}"}}"#);
        let x = extract(&text);
        assert_eq!(x.error_codes, ["AADSTS50143"]);
        assert_ids(&x, REQ, CORR);
        assert_eq!(other(&x, "Error"), ["invalid_grant"]);
    }

    // -- authentication library exceptions ---------------------------------------------

    #[test]
    fn msal_net_exception() {
        let text = format!(
            "MSAL.NetCore.4.59.0.0.MsalUiRequiredException: \n\
             \tErrorCode: invalid_grant\n\
             Microsoft.Identity.Client.MsalUiRequiredException: AADSTS50143: Session mismatch - Session is invalid because user tenant doesn't match the domain hint due to different resource. Trace ID: {REQ} Correlation ID: {CORR} Timestamp: 2024-05-14 09:21:07Z\n\
             \x20  at Microsoft.Identity.Client.Internal.Requests.RequestBase.HandleTokenRefreshError(MsalServiceException e, MsalAccessTokenCacheItem cachedAccessTokenItem)\n\
             \x20  at Microsoft.Identity.Client.Internal.Requests.Silent.SilentRequest.ExecuteAsync(CancellationToken cancellationToken)\n\
             \tStatusCode: 400 \n\
             \tResponseBody: {{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS50143: Session mismatch.\\r\\nTrace ID: {REQ}\\r\\nCorrelation ID: {CORR}\\r\\nTimestamp: 2024-05-14 09:21:07Z\",\"error_codes\":[50143],\"timestamp\":\"2024-05-14 09:21:07Z\",\"trace_id\":\"{REQ}\",\"correlation_id\":\"{CORR}\",\"suberror\":\"bad_token\"}} \n\
             \tHeaders: Cache-Control: no-store, no-cache\n"
        );
        let x = extract(&text);
        assert_eq!(x.error_codes, ["AADSTS50143"]);
        assert_ids(&x, REQ, CORR);
        assert_eq!(x.timestamp.as_deref(), Some("2024-05-14 09:21:07Z"));
        assert_eq!(other(&x, "Exception"), ["MsalUiRequiredException"]);
        assert_eq!(other(&x, "Error"), ["invalid_grant"]);
        assert_eq!(other(&x, "HTTP status"), ["400"]);
        assert_eq!(other(&x, "Suberror"), ["bad_token"]);
        assert!(x.notes.is_empty(), "{:?}", x.notes);
    }

    #[test]
    fn msal_python_dict_repr() {
        let text = format!(
            "{{'error': 'invalid_grant', 'error_description': \"AADSTS50143: Session mismatch - Session is invalid because user tenant doesn't match the domain hint due to different resource.\\r\\nTrace ID: {REQ}\\r\\nCorrelation ID: {CORR}\\r\\nTimestamp: 2024-05-14 09:21:07Z\", 'error_codes': [50143], 'timestamp': '2024-05-14 09:21:07Z', 'trace_id': '{REQ}', 'correlation_id': '{CORR}', 'error_uri': 'https://login.microsoftonline.com/error?code=50143'}}"
        );
        let x = extract(&text);
        assert_eq!(x.error_codes, ["AADSTS50143"]);
        assert_ids(&x, REQ, CORR);
        assert_eq!(x.timestamp.as_deref(), Some("2024-05-14 09:21:07Z"));
        assert_eq!(other(&x, "Error"), ["invalid_grant"]);
        assert!(x.notes.is_empty(), "{:?}", x.notes);
    }

    #[test]
    fn msal_python_dict_repr_numbers_only() {
        let x = extract(
            "result = {'error': 'interaction_required', 'error_codes': [50058, 50143, 16000]}",
        );
        assert_eq!(x.error_codes, ["AADSTS50058", "AADSTS50143", "AADSTS16000"]);
    }

    #[test]
    fn msal_js_server_error() {
        let text = format!(
            "Uncaught (in promise) ServerError: invalid_grant: AADSTS50143: Session mismatch - Session is invalid because user tenant doesn't match the domain hint due to different resource.\r\n\
             Trace ID: {REQ}\r\nCorrelation ID: {CORR}\r\nTimestamp: 2024-05-14 09:21:07Z - Correlation ID: {CORR} - Trace ID: {REQ}\n\
             \x20   at ServerError.AuthError [as constructor] (AuthError.ts:49:9)\n\
             \x20   at new ServerError (ServerError.ts:14:9)\n"
        );
        let x = extract(&text);
        assert_eq!(x.error_codes, ["AADSTS50143"]);
        assert_ids(&x, REQ, CORR);
        assert_eq!(other(&x, "Exception"), ["ServerError"]);
        assert_eq!(other(&x, "Error"), ["invalid_grant"]);
    }

    #[test]
    fn msal_js_interaction_required() {
        let x = extract(&format!(
            "InteractionRequiredAuthError: interaction_required: AADSTS50058: A silent sign-in request was sent but no user is signed in. Trace ID: {REQ} Correlation ID: {CORR} Timestamp: 2024-05-14 09:21:07Z"
        ));
        assert_eq!(x.error_codes, ["AADSTS50058"]);
        assert_ids(&x, REQ, CORR);
        assert_eq!(other(&x, "Exception"), ["InteractionRequiredAuthError"]);
        assert_eq!(other(&x, "Error"), ["interaction_required"]);
    }

    // -- redirect URLs ---------------------------------------------------------------------

    #[test]
    fn url_encoded_error_description_in_query() {
        let text = format!(
            "https://app.contoso.com/auth/callback?error=invalid_request&error_description=AADSTS50143%3a+Session+mismatch+-+Session+is+invalid+because+user+tenant+doesn%27t+match+the+domain+hint.%0d%0aTrace+ID%3a+{REQ}%0d%0aCorrelation+ID%3a+{CORR}%0d%0aTimestamp%3a+2024-05-14+09%3a21%3a07Z&state=eyJpZCI6IjEyMyJ9"
        );
        let x = extract(&text);
        assert_eq!(x.error_codes, ["AADSTS50143"]);
        assert_ids(&x, REQ, CORR);
        assert_eq!(x.timestamp.as_deref(), Some("2024-05-14 09:21:07Z"));
        assert_eq!(other(&x, "Error"), ["invalid_request"]);
        assert_clean(&x);
    }

    #[test]
    fn url_encoded_uppercase_escapes_in_fragment() {
        let text = format!(
            "https://app.contoso.com/#error=login_required&error_description=AADSTS50058%3A%20A%20silent%20sign-in%20request%20was%20sent%20but%20no%20user%20is%20signed%20in.%0D%0ATrace%20ID%3A%20{REQ}%0D%0ACorrelation%20ID%3A%20{CORR}%0D%0ATimestamp%3A%202024-05-14%2009%3A21%3A07Z&error_uri=https%3A%2F%2Flogin.microsoftonline.com%2Ferror%3Fcode%3D50058&state=abc"
        );
        let x = extract(&text);
        assert_eq!(x.error_codes, ["AADSTS50058"]);
        assert_ids(&x, REQ, CORR);
        assert_eq!(other(&x, "Error"), ["login_required"]);
        assert_eq!(
            other(&x, "Error URI"),
            ["https://login.microsoftonline.com/error?code=50058"]
        );
    }

    #[test]
    fn url_encoded_escape_sequence_is_sanitised() {
        let x = extract("?error_description=AADSTS50143%1b%5d52%3bc%3bZXZpbA%3d%3d%07+x");
        assert_eq!(x.error_codes, ["AADSTS50143"]);
        assert!(x.notes.iter().any(|n| n.contains("escape sequences")));
        assert_clean(&x);
    }

    #[test]
    fn tenant_from_login_url() {
        let x = extract(&format!(
            "GET https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/authorize?client_id={APP}&domain_hint=fabrikam.com&login_hint=adele%40contoso.com\n\
             GET https://login.microsoftonline.com/common/oauth2/v2.0/token\n\
             GET https://contosob2c.b2clogin.com/contosob2c.onmicrosoft.com/B2C_1_signin/oauth2/v2.0/authorize\n"
        ));
        assert_eq!(other(&x, "Tenant"), [TENANT, "contosob2c.onmicrosoft.com"]);
        assert_eq!(other(&x, "App id"), [APP]);
        assert_eq!(other(&x, "Domain hint"), ["fabrikam.com"]);
        assert_eq!(other(&x, "User"), ["adele@contoso.com"]);
    }

    // -- log lines -------------------------------------------------------------------------

    #[test]
    fn log_line_key_value() {
        let text = format!(
            "2024-05-14T09:21:07Z ERROR auth: sign-in failed code=AADSTS50143 requestId={REQ} correlationId={CORR} tenant=contoso.onmicrosoft.com ip=198.51.100.23\n\
             2024-05-14T09:21:08Z INFO auth: retrying\n"
        );
        let x = extract(&text);
        assert_eq!(x.error_codes, ["AADSTS50143"]);
        assert_ids(&x, REQ, CORR);
        assert_eq!(x.timestamp.as_deref(), Some("2024-05-14T09:21:07Z"));
        assert_eq!(other(&x, "Tenant"), ["contoso.onmicrosoft.com"]);
        assert_eq!(other(&x, "IP address"), ["198.51.100.23"]);
        assert!(x.notes.is_empty(), "{:?}", x.notes);
    }

    #[test]
    fn many_log_levels_do_not_hide_a_later_error() {
        let mut text = "2024-05-14T09:21:07Z ERROR auth: retry failed\n".repeat(200);
        text.push_str("2024-05-14T09:21:08Z ERROR auth: error=invalid_grant\n");
        let x = extract(&text);
        assert_eq!(other(&x, "Error"), ["invalid_grant"]);
    }

    #[test]
    fn labelled_timestamp_wins_over_log_line_timestamp() {
        let text = format!(
            "[2024-05-14 09:30:00,123] WARN token refresh failed: Timestamp: 2024-05-14 09:21:07Z Trace ID: {REQ}"
        );
        let x = extract(&text);
        assert_eq!(x.timestamp.as_deref(), Some("2024-05-14 09:21:07Z"));
        assert!(x.notes.is_empty(), "{:?}", x.notes);
    }

    #[test]
    fn msal_logger_lines() {
        let text = format!(
            "[MSAL] 2024-05-14 09:21:07Z - 0b1c - Error - CorrelationId: {CORR} - AcquireTokenSilent failed\n\
             [MSAL] Info  (False) MSAL 4.59.0.0 MSAL.Desktop 4.8 or later Windows Server 2019 [2024-05-14 09:21:07Z - {CORR}] Request Id: {}\n",
            REQ.to_uppercase()
        );
        let x = extract(&text);
        assert_ids(&x, REQ, CORR);
    }

    #[test]
    fn http_headers_client_request_id() {
        let text = format!(
            "POST /contoso.onmicrosoft.com/oauth2/v2.0/token HTTP/1.1\n\
             Host: login.microsoftonline.com\n\
             client-request-id: {CORR}\n\
             return-client-request-id: true\n\
             x-client-SKU: MSAL.NetCore\n\n\
             HTTP/1.1 400 Bad Request\n\
             x-ms-request-id: {REQ}\n\
             x-ms-ests-server: 2.1.17846.6 - SCUS ProdSlices\n\
             Date: Tue, 14 May 2024 09:21:07 GMT\n"
        );
        let x = extract(&text);
        assert_eq!(x.request_id.as_deref(), Some(REQ));
        assert_eq!(x.correlation_id, None);
        assert_eq!(other(&x, "Client request id"), [CORR]);
        assert_eq!(x.field("client_request_id").as_deref(), Some(CORR));
    }

    #[test]
    fn label_spellings() {
        let spellings = [
            "Request Id: {}",
            "Request ID: {}",
            "request id {}",
            "requestId={}",
            "RequestID = {}",
            "request_id: \"{}\"",
            "request-id: {}",
            "\"requestId\": \"{}\"",
            "'request_id': '{}'",
            "Trace ID: {}",
            "traceId={}",
            "trace_id => {}",
            "trace-id: {}",
            "x-ms-request-id: {}",
            "<RequestId>{}</RequestId>",
        ];
        for s in spellings {
            let text = s.replace("{}", REQ);
            let x = extract(&text);
            if s.starts_with('<') {
                // A tag is no label: nothing claims the GUID.
                assert_eq!(x.request_id, None, "{text}");
                continue;
            }
            assert_eq!(x.request_id.as_deref(), Some(REQ), "{text}");
        }
        for s in [
            "Correlation Id: {}",
            "Correlation ID: {}",
            "correlationId: {}",
            "CorrelationId={}",
            "correlation_id: {}",
            "correlation-id {}",
            "\"correlationId\":\"{}\"",
        ] {
            let text = s.replace("{}", CORR);
            assert_eq!(
                extract(&text).correlation_id.as_deref(),
                Some(CORR),
                "{text}"
            );
        }
    }

    // -- codes ---------------------------------------------------------------------------

    #[test]
    fn several_codes_in_order_without_duplicates() {
        let x = extract(
            "First AADSTS50143 then AADSTS50058, again AADSTS50143 and aadsts700016; also error=50076?",
        );
        assert_eq!(
            x.error_codes,
            ["AADSTS50143", "AADSTS50058", "AADSTS700016"]
        );
    }

    #[test]
    fn other_code_prefixes() {
        let x = extract(
            "AADB2C90118: The user has forgotten their password.\n\
             MSIS7012: An error occurred while processing the request.\n\
             Error code CAA20003 and CAA2000C.\n\
             Not codes: MSIS12345 xCAA20003 caa20003 AADSTS123 AADSTS12345678",
        );
        assert_eq!(
            x.error_codes,
            ["AADB2C90118", "MSIS7012", "CAA20003", "CAA2000C"]
        );
    }

    #[test]
    fn numeric_error_code_labels() {
        let x = extract(
            "Sign-in error code: 50126\nFailure reason: Invalid username or password.\nError Code: 50076\nerrorCode=53003",
        );
        assert_eq!(x.error_codes, ["AADSTS50126", "AADSTS50076", "AADSTS53003"]);
        assert_eq!(
            other(&x, "Failure reason"),
            ["Invalid username or password."]
        );
    }

    #[test]
    fn url_encoded_codes_glued_to_escapes_are_found() {
        let x = extract("error_description=x%0d%0aAADSTS50058%3a+y%0aAADSTS50143");
        assert_eq!(x.error_codes, ["AADSTS50058", "AADSTS50143"]);
    }

    // -- GUIDs and values ---------------------------------------------------------------------

    #[test]
    fn guids_with_braces_uppercase_or_no_hyphens() {
        let x = extract(&format!(
            "Request Id: {{{}}}\nCorrelation Id: {}",
            REQ.to_uppercase(),
            CORR.replace('-', "")
        ));
        assert_ids(&x, REQ, CORR);
    }

    #[test]
    fn guid_must_be_whole() {
        let x = extract(&format!(
            "Request Id: {REQ}0\nCorrelation Id: {}",
            &CORR[..30]
        ));
        assert_eq!(x.request_id, None);
        assert_eq!(x.correlation_id, None);
        assert!(x.is_empty());
    }

    #[test]
    fn different_ids_keep_the_first_and_say_so() {
        let x = extract(&format!(
            "Request Id: {REQ}\nTrace ID: {APP}\nCorrelation Id: {CORR}\nCorrelation Id: {CORR}\nTimestamp: 2024-05-14T09:21:07.123Z\nTimestamp: 2024-05-14 09:21:07Z\nTimestamp: 2024-05-15 10:00:00Z"
        ));
        assert_ids(&x, REQ, CORR);
        assert_eq!(x.timestamp.as_deref(), Some("2024-05-14T09:21:07.123Z"));
        assert_eq!(
            x.notes,
            [
                format!("2 different request ids found, kept the first: {REQ} (also seen: {APP})"),
                "2 different timestamps found, kept the first: 2024-05-14T09:21:07.123Z (also seen: 2024-05-15 10:00:00Z)".to_string(),
            ]
        );
    }

    #[test]
    fn timestamp_formats() {
        for (text, want) in [
            ("Timestamp: 2024-05-14T09:21:07Z", "2024-05-14T09:21:07Z"),
            (
                "Timestamp: 2024-05-14T09:21:07.1234567+02:00 next",
                "2024-05-14T09:21:07.1234567+02:00",
            ),
            (
                "timestamp=2024-05-14 09:21:07 UTC",
                "2024-05-14 09:21:07 UTC",
            ),
            ("Timestamp: 5/14/2024, 9:21:07 AM", "5/14/2024, 9:21:07 AM"),
            ("\"timestamp\": \"2024-05-14\"", "2024-05-14"),
        ] {
            assert_eq!(extract(text).timestamp.as_deref(), Some(want), "{text}");
        }
        assert_eq!(extract("the timestamp is wrong").timestamp, None);
        assert_eq!(extract("Timestamp: 2024-05-14T09:21:07Z1").timestamp, None);
    }

    #[test]
    fn ip_addresses() {
        let x = extract(
            "IP address: 2001:db8::7\nclient_ip=203.0.113.9:443\nIP: 999.1.1.1\nip address: none",
        );
        assert_eq!(other(&x, "IP address"), ["2001:db8::7", "203.0.113.9"]);
    }

    #[test]
    fn oauth_error_needs_snake_case() {
        let x =
            extract("Error: the user cancelled\nerror: access_denied\nerror = consent_required.");
        assert_eq!(other(&x, "Error"), ["access_denied", "consent_required"]);
    }

    #[test]
    fn long_values_are_capped() {
        let name = "Contoso ".repeat(100);
        let x = extract(&format!(
            "App name: {name}\nDevice platform: {}",
            "x".repeat(5000)
        ));
        let app = &other(&x, "App name")[0];
        assert_eq!(app.chars().count(), MAX_VALUE_CHARS);
        assert!(app.ends_with('…'));
        assert!(app.starts_with("Contoso Contoso"));
        assert_clean(&x);
    }

    #[test]
    fn escape_sequences_in_values_are_removed() {
        let x = extract(&format!(
            "App name: \x1b]52;c;ZXZpbA==\x07Evil\x1b[31m App\x1b[0m\nRequest Id: \x1b[1m{REQ}\x1b[0m\nDevice state: a\u{9b}2Jb"
        ));
        assert_eq!(other(&x, "App name"), ["Evil App"]);
        assert_eq!(other(&x, "Device state"), ["ab"]);
        assert_eq!(x.request_id.as_deref(), Some(REQ));
        assert_eq!(x.notes, ["terminal escape sequences removed"]);
        assert_clean(&x);
    }

    // -- the API -----------------------------------------------------------------------------

    #[test]
    fn empty_and_prose_give_nothing() {
        for text in [
            "",
            "   \n\t\n",
            "My sign-in does not work, please help!",
            "{}",
            "[]",
            "{\"a\": 1}",
        ] {
            let x = extract(text);
            assert!(x.is_empty(), "{text:?}: {x:?}");
            assert!(x.notes.is_empty(), "{text:?}: {x:?}");
        }
        assert_eq!(extract(""), Extracted::default());
    }

    #[test]
    fn field_by_id() {
        let x = extract(&format!(
            "AADSTS50143 AADSTS50058\nRequest Id: {REQ}\nCorrelation Id: {CORR}\nTimestamp: 2024-05-14T09:21:07Z\nApp id: {APP}\nIP address: 203.0.113.7"
        ));
        assert_eq!(x.field("error_code").as_deref(), Some("AADSTS50143"));
        assert_eq!(x.field("request_id").as_deref(), Some(REQ));
        assert_eq!(x.field("correlation_id").as_deref(), Some(CORR));
        assert_eq!(
            x.field("timestamp").as_deref(),
            Some("2024-05-14T09:21:07Z")
        );
        assert_eq!(x.field("app_id").as_deref(), Some(APP));
        assert_eq!(x.field("IP address").as_deref(), Some("203.0.113.7"));
        assert_eq!(x.field("nope"), None);
        for id in FIELD_IDS {
            assert!(x.field(id).is_some(), "{id}");
        }
        assert_eq!(Extracted::default().field("error_code"), None);
    }

    #[test]
    fn is_empty_ignores_notes() {
        let x = extract("\x1b[31m\0");
        assert!(x.is_empty());
        assert!(!x.notes.is_empty());
    }

    #[test]
    fn serializes_to_json() {
        let x = extract(&format!("AADSTS50143\nRequest Id: {REQ}\nApp id: {APP}"));
        let json = serde_json::to_value(&x).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "error_codes": ["AADSTS50143"],
                "request_id": REQ,
                "correlation_id": null,
                "timestamp": null,
                "other": [["App id", APP]],
                "notes": [],
            })
        );
    }

    // -- hostile input ---------------------------------------------------------------------

    #[test]
    fn huge_input_is_truncated_and_said() {
        let head = format!("Request Id: {REQ}\nAADSTS50143\n");
        let mut text = head.clone();
        while text.len() < MAX_INPUT_BYTES - 3 {
            text.push_str("filler line without anything in it\n");
        }
        text.truncate(MAX_INPUT_BYTES - 1);
        text.push('é'); // straddles the cap
        text.push_str(&format!("\nCorrelation Id: {CORR}\nAADSTS50058\n"));
        let x = extract(&text);
        assert_eq!(x.error_codes, ["AADSTS50143"]);
        assert_eq!(x.request_id.as_deref(), Some(REQ));
        assert_eq!(x.correlation_id, None);
        assert_eq!(x.notes.len(), 1, "{:?}", x.notes);
        assert!(
            x.notes[0].starts_with("input truncated to 1 MiB"),
            "{:?}",
            x.notes
        );
    }

    #[test]
    fn nul_bytes_and_utf16_text() {
        let utf16: String = format!("Request Id: {REQ}\r\nAADSTS50143")
            .chars()
            .flat_map(|c| [c, '\0'])
            .collect();
        let x = extract(&utf16);
        assert_eq!(x.request_id.as_deref(), Some(REQ));
        assert_eq!(x.error_codes, ["AADSTS50143"]);
        assert_eq!(x.notes, ["binary data ignored: NUL bytes were removed"]);
    }

    #[test]
    fn lossily_decoded_binary() {
        let bytes: Vec<u8> = (0..=255u8).cycle().take(20_000).collect();
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        text.push_str("\nAADSTS50143\n");
        let x = extract(&text);
        assert_eq!(x.error_codes, ["AADSTS50143"]);
        assert!(
            x.notes.iter().any(|n| n.contains("not valid UTF-8")),
            "{:?}",
            x.notes
        );
        assert!(x.notes.iter().any(|n| n.contains("NUL")), "{:?}", x.notes);
        assert_clean(&x);
    }

    #[test]
    fn deeply_nested_json_does_not_overflow() {
        let depth = 100_000;
        let mut text = String::from("AADSTS50143 ");
        text.push_str(&"{\"a\":".repeat(depth));
        text.push('1');
        text.push_str(&"}".repeat(depth));
        let x = extract(&text);
        assert_eq!(x.error_codes, ["AADSTS50143"]);
        assert!(
            x.notes.iter().any(|n| n.contains("nested too deeply")),
            "{:?}",
            x.notes
        );

        let arrays = format!(
            "{{\"error_codes\":{}50143{}}}",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        let _ = extract(&arrays);
    }

    #[test]
    fn json_at_the_walk_depth_limit_is_fine() {
        let depth = 120;
        let text = format!(
            "{}{{\"trace_id\":\"{REQ}\"}}{}",
            "{\"a\":".repeat(depth),
            "}".repeat(depth)
        );
        let x = extract(&text);
        assert_eq!(x.request_id.as_deref(), Some(REQ));
    }

    /// Inputs built to make a naive scanner quadratic or deep.
    fn pathological_inputs() -> Vec<(&'static str, String)> {
        let mib = MAX_INPUT_BYTES;
        let rep = |s: &str| s.repeat(mib / s.len());
        vec![
            ("one long line", "a".repeat(mib)),
            ("braces", rep("{")),
            ("brace quote", rep("{\"")),
            ("open objects", rep("{\"a\":")),
            ("labels", rep("Request Id: ")),
            ("labels with colons", rep("App name:")),
            ("labels on one line", rep("Device platform: Windows 10 ")),
            ("labels and newlines", rep("Request Id:\n")),
            ("quotes", rep("\"requestId\": \"")),
            ("codes", rep("AADSTS5014")),
            ("digits", format!("AADSTS{}", "1".repeat(mib - 6))),
            ("escapes", rep("\\r\\n\\u00")),
            ("percent", rep("%3a%0d%0a+")),
            ("esc", rep("\x1b[")),
            ("osc", rep("\x1b]52;c;")),
            ("exceptions", rep("MsalServiceException: invalid_grant: ")),
            ("log times", rep("2024-05-14T09:21:07Z\n")),
            ("guids", rep("0b1c9f8e-2a3d-4e5f-8a9b-1c2d3e4f5a6b")),
            ("login urls", rep("login.microsoftonline.com/")),
            ("spaces", format!("Request Id:{}", " ".repeat(mib))),
        ]
    }

    #[test]
    fn pathological_inputs_give_clean_results() {
        // Speed on these is measured by the benchmarks, not asserted here.
        for (_name, text) in pathological_inputs() {
            let x = extract(&text);
            assert_clean(&x);
        }
    }

    /// A small deterministic generator (xorshift), so failures reproduce.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn never_panics_on_hostile_input() {
        let fragments = [
            "AADSTS",
            "50143",
            "AADB2C9011",
            "MSIS",
            "CAA2000",
            "Request Id",
            "Trace ID",
            "correlation_id",
            "client-request-id",
            "Timestamp",
            "App name",
            "ip",
            "error",
            "error_codes",
            ":",
            "=",
            "=>",
            " ",
            "\n",
            "\r\n",
            "\t",
            "\"",
            "'",
            "{",
            "}",
            "[",
            "]",
            ",",
            "\\",
            "\\r\\n",
            "\\u001b",
            "\\u",
            "\\x",
            "%",
            "%3a",
            "%0D%0A",
            "%1b",
            "%e2%82",
            "+",
            "&",
            "?",
            "#",
            "\x1b",
            "\x1b[",
            "\x1b]52;c;",
            "\x07",
            "\x1b\\",
            "\u{9b}",
            "\u{9d}",
            "\u{9c}",
            "\0",
            "\u{fffd}",
            "\u{a0}",
            "\u{200b}",
            "é",
            "👍",
            "日本",
            "\u{202e}",
            REQ,
            "{0B1C9F8E-2A3D-4E5F-8A9B-1C2D3E4F5A6B}",
            "0b1c9f8e2a3d4e5f8a9b1c2d3e4f5a6b",
            "2024-05-14T09:21:07.123Z",
            "5/14/2024, 9:21 AM",
            "203.0.113.7",
            "2001:db8::",
            "https://login.microsoftonline.com/",
            "contoso.com",
            "invalid_grant",
            "ServerError",
            "Exception",
            "a@b.co",
            "9999999999999999999999",
            "-1",
            "null",
            "true",
            "{\"error_codes\":[",
            "{'error': '",
        ];
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        for round in 0..3000 {
            let mut text = String::new();
            let pieces = 1 + rng.below(60);
            for _ in 0..pieces {
                if rng.below(8) == 0 {
                    // Raw bytes, lossily decoded as a paste would be.
                    let bytes: Vec<u8> = (0..rng.below(16)).map(|_| rng.next() as u8).collect();
                    text.push_str(&String::from_utf8_lossy(&bytes));
                } else {
                    text.push_str(fragments[rng.below(fragments.len())]);
                }
            }
            let x = extract(&text);
            assert_clean(&x);
            let clean = sanitize(&text);
            assert_eq!(sanitize(&clean), clean, "round {round}: {text:?}");
            assert!(
                !clean
                    .chars()
                    .any(|c| c.is_control() && c != '\n' && c != '\t'),
                "round {round}: {text:?}"
            );
        }
    }
}
