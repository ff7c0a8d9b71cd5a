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
//! * `serde_json` without `preserve_order` sorts object keys, so hits coming from
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
//!
//! # Files
//!
//! One private file per stage, in the order the text goes through them: `prepare.rs`
//! (capping, unifying, sanitising), `scanners.rs` (one per format, over one view), `views.rs`
//! (the child views a view gives rise to), `hits.rs` (the driver over a view and its
//! children, then the merge into one [`Extracted`]); `regexes.rs` holds the patterns the
//! scanners share, and `tests.rs` the unit tests. Only this file is public: [`extract`], [`Extracted`], the limits and [`sanitize`] (which lives
//! in [`crate::text`] and is re-exported here).

mod hits;
mod prepare;
mod regexes;
mod scanners;
#[cfg(test)]
mod tests;
mod views;

pub use crate::text::sanitize;

use hits::{merge, scan_view};
use prepare::{cap_input, prepare};
use scanners::normalize_key;

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
/// How deep a parsed JSON value is walked (`serde_json` itself stops at 128).
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
