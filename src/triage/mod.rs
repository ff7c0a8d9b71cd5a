//! The paste router: pasted text -> the error codes in it, each with the guide it opens.
//!
//! A support engineer's case starts with whatever the user sent. [`route`] runs it through the
//! paste extractor ([`crate::ticket::extract`]) and turns each error code found into a
//! [`Candidate`]: the code, the line of the paste where it first appears, the guide it opens
//! (a guide of the catalog whose id or alias is the code, else the generic guide), and the code
//! catalogue's name and meaning ([`crate::codes`]). The values extracted (request id,
//! correlation id, timestamp, app, tenant, ...) belong to the paste, not to one code, so they
//! are kept once, in [`Triage::values`]. No terminal code here: `tshoot triage`, `tshoot
//! --paste` and the picker's paste all call this.
//!
//! # Which code comes first
//!
//! Candidates are ordered by where they stand, then by first appearance:
//!
//! 1. [`Standing::Labelled`]: the code stands after an error-code label on its line
//!    (`"error_codes": [50076]`, `Error Code: 50076`, `errorCode=AADSTS50076`). That is the
//!    server saying which error this is.
//! 2. [`Standing::Stated`]: the code is followed by a colon (`AADSTS50076: Due to a
//!    configuration change...`), the way every Entra error message states its code.
//! 3. [`Standing::Mentioned`]: anywhere else (`see AADSTS50143`, a URL, a comment).
//!
//! So a ticket that says "we first thought of AADSTS50143" above the real JSON error routes to
//! the JSON's code. Within one standing, the first to appear comes first; the extractor keeps
//! at most [`crate::ticket::extract::MAX_CODES`] distinct codes.
//!
//! # Bounds
//!
//! Only the first [`MAX_INPUT_BYTES`] (1 MiB) of a paste are looked at, here and in the
//! extractor; a longer paste is cut on a character boundary and [`Triage::cut`] says how many
//! bytes were read and left out. Every search here is linear in that prefix (one regex pass per
//! line for labels, one substring search per code), so routing time and memory stay bounded
//! whatever is pasted (`cargo bench --bench triage`). A paste that looks binary (NUL bytes,
//! or mostly characters that are not text) is still searched, and [`Triage::binary`] says so.
//!
//! # What is awkward
//!
//! * The extractor merges what it finds in the raw text and in decoded views (JSON strings,
//!   `\r\n` escapes, percent-decoding) and keeps no positions. Where a code stands is found
//!   again here, in one pass over the raw text: the code as written (any case) counts
//!   wherever it is, its bare digits only after an error-code label (`"error_codes":
//!   [\n 50076 ]` spans lines, so a label on the line before counts); a bare number elsewhere
//!   (`4099` in a GUID) is not taken for the code. `line` is `None` when the code is written
//!   in neither way (it came from a decoded view only).
//! * Codes the catalogue lacks (`MSIS7012` from AD FS, `CAA20003` from Microsoft 365 apps, a
//!   new AADSTS number) are still candidates, with no meaning, and open the generic guide.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::codes;
use crate::guide::catalog::Catalog;
use crate::ticket::extract::{Extracted, MAX_INPUT_BYTES, extract};

#[cfg(test)]
mod tests;

/// The id of the guide for any code without its own.
pub const GENERIC: &str = "generic";

/// Where a code stands in the paste (see the module doc); the lower, the more it is the error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Standing {
    Labelled,
    Stated,
    Mentioned,
}

/// A guide of the catalog a code opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuideRef {
    /// Index into `Catalog::items`.
    #[serde(skip)]
    pub index: usize,
    pub id: String,
    pub title: String,
}

/// One error code of the paste and where it leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// The code as the catalogue spells it (`AADSTS50076`, `AADB2C90118`, `MSIS7012`).
    pub code: String,
    /// The line of the paste (from 1) where it first appears; `None` when it appears only in a
    /// decoded form.
    pub line: Option<usize>,
    pub standing: Standing,
    /// The guide whose id or alias is the code; `None`: no guide, the generic one opens.
    pub guide: Option<GuideRef>,
    /// The catalogue's name for the code (`UserStrongAuthClientAuthNRequired`), if any.
    pub name: Option<String>,
    /// The catalogue's one-line meaning; `None`: the code is not in the catalogue.
    pub meaning: Option<String>,
}

impl Candidate {
    /// The guide id this candidate opens: its own guide, else [`GENERIC`].
    pub fn guide_id(&self) -> &str {
        self.guide.as_ref().map_or(GENERIC, |g| g.id.as_str())
    }

    /// "line 3", or "a decoded part" when the line is unknown.
    pub fn where_found(&self) -> String {
        self.line
            .map_or_else(|| "a decoded part".to_owned(), |l| format!("line {l}"))
    }
}

/// A paste longer than [`MAX_INPUT_BYTES`]: what was read, and what was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cut {
    /// Bytes looked at (the first ones).
    pub read: usize,
    /// Bytes left out; `None` when unknown (standard input is not read to its end).
    pub left_out: Option<u64>,
}

impl Cut {
    /// "only its first 1048576 bytes were read; 9437184 more were left out".
    pub fn sentence(&self) -> String {
        match self.left_out {
            Some(n) => format!(
                "only its first {} bytes (1 MiB) were read; {n} more were left out",
                self.read
            ),
            None => format!(
                "only its first {} bytes (1 MiB) were read; the rest was left unread",
                self.read
            ),
        }
    }
}

/// What a paste holds and where it leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Triage {
    /// The error codes, the one to work first at the top.
    pub candidates: Vec<Candidate>,
    /// Everything the extractor found (codes, ids, timestamp, extras, notes).
    pub values: Extracted,
    /// How much of the paste was looked at, when not all of it.
    pub cut: Option<Cut>,
    /// The paste looks like binary data rather than text.
    pub binary: bool,
    /// The generic guide's index in the catalog, if it is loaded.
    #[serde(skip)]
    pub generic: Option<usize>,
}

impl Triage {
    /// The candidate to open when there is exactly one, or the first.
    pub fn first(&self) -> Option<&Candidate> {
        self.candidates.first()
    }

    /// One plain sentence about the paste when it holds no code (or is not text): what was
    /// looked at and what to do.
    pub fn no_code_message(&self) -> String {
        let what = if self.binary {
            "the paste looks like binary data, not text, and holds no error code".to_owned()
        } else if self.values.is_empty() {
            "the paste holds no error code (AADSTS…, AADB2C…), request id or correlation id"
                .to_owned()
        } else {
            "the paste holds no error code (AADSTS…, AADB2C…), only other values".to_owned()
        };
        match &self.cut {
            Some(cut) => format!("{what}; {}", cut.sentence()),
            None => what,
        }
    }
}

/// An error-code label, as the extractor knows them (`error_codes`, `Error Code`, `errorCode`,
/// `sign-in error code`).
static LABEL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:sign[ _.\-]?in[ _.\-]?)?error[ _.\-]?codes?(?-u:\b)")
        .expect("built-in regex is valid")
});

/// A code as written (`AADSTS50076`, `aadb2c90118`, `MSIS7012`, `CAA20003`) or bare digits
/// (`50076`, as in `"error_codes": [50076]`).
static WRITTEN_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i:(?:aadsts|aadb2c)[0-9]+)|(?-u:\b)(?:MSIS[0-9]{4}|CAA[0-9A-F]{5}|[0-9]{2,9})(?-u:\b)",
    )
    .expect("built-in regex is valid")
});

/// At most this many places per code are looked at for its standing.
const MAX_PLACES: usize = 64;

/// Route a paste: its codes, best first, with the guide each opens in `cat`.
pub fn route(text: &str, cat: &Catalog) -> Triage {
    let head = cap(text);
    let cut = (head.len() < text.len()).then(|| Cut {
        read: head.len(),
        left_out: u64::try_from(text.len() - head.len()).ok(),
    });
    let values = extract(head);
    let places = places(head, &values.error_codes);
    let mut candidates: Vec<(usize, Candidate)> = values
        .error_codes
        .iter()
        .zip(places)
        .enumerate()
        .map(|(order, (code, (line, standing)))| (order, candidate(code, line, standing, cat)))
        .collect();
    candidates.sort_by_key(|(order, c)| (c.standing, *order));
    Triage {
        candidates: candidates.into_iter().map(|(_, c)| c).collect(),
        values,
        cut,
        binary: looks_binary(head),
        generic: cat.find(GENERIC),
    }
}

/// The first [`MAX_INPUT_BYTES`] of `text`, cut on a character boundary.
fn cap(text: &str) -> &str {
    cap_at(text, MAX_INPUT_BYTES)
}

fn candidate(code: &str, line: Option<usize>, standing: Standing, cat: &Catalog) -> Candidate {
    let entry = codes::lookup(code);
    let canonical = entry.map_or_else(|| code.to_owned(), |e| e.code.to_owned());
    let guide = cat.find(&canonical).and_then(|i| {
        cat.items.get(i).map(|it| GuideRef {
            index: i,
            id: it.meta.id.clone(),
            title: it.meta.title.clone(),
        })
    });
    Candidate {
        code: canonical,
        line,
        standing,
        guide,
        name: entry.and_then(|e| e.name).map(str::to_owned),
        meaning: entry.map(|e| e.meaning.to_owned()),
    }
}

/// For each code (as the extractor spells it), the line where it is first written and its best
/// standing, from one pass over `text`. The full code counts wherever it is; bare AADSTS
/// digits count only after an error-code label, or for the line when the full code is never
/// written.
fn places(text: &str, codes: &[String]) -> Vec<(Option<usize>, Standing)> {
    let lines = LineIndex::new(text);
    let mut first_full: Vec<Option<usize>> = vec![None; codes.len()];
    let mut first_bare: Vec<Option<usize>> = vec![None; codes.len()];
    let mut best = vec![Standing::Mentioned; codes.len()];
    let mut seen = vec![0usize; codes.len()];
    for m in WRITTEN_RE.find_iter(text) {
        let written = m.as_str();
        let bare = written.bytes().all(|b| b.is_ascii_digit());
        let Some(k) = codes.iter().position(|c| {
            if bare {
                c.strip_prefix("AADSTS") == Some(written)
            } else {
                c.eq_ignore_ascii_case(written)
            }
        }) else {
            continue;
        };
        if seen[k] >= MAX_PLACES {
            continue;
        }
        seen[k] += 1;
        let line = lines.line_of(m.start());
        let standing = if labelled(text, &lines, line, m.start()) {
            Standing::Labelled
        } else if !bare && text.as_bytes().get(m.end()) == Some(&b':') {
            Standing::Stated
        } else {
            Standing::Mentioned
        };
        if bare && standing != Standing::Labelled {
            continue;
        }
        let slot = if bare {
            &mut first_bare[k]
        } else {
            &mut first_full[k]
        };
        slot.get_or_insert(line);
        best[k] = best[k].min(standing);
    }
    (0..codes.len())
        .map(|k| {
            let line = match (first_full[k], first_bare[k]) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            (line, best[k])
        })
        .collect()
}

/// Whether an error-code label stands before `pos` on its line, or on an earlier line when
/// only other numbers, brackets and commas lie between (a JSON array over several lines, up to
/// [`ARRAY_LINES`] lines back).
fn labelled(text: &str, lines: &LineIndex, line: usize, pos: usize) -> bool {
    let mut end = pos;
    let mut line = line;
    for _ in 0..=ARRAY_LINES {
        let start = lines.start_of(line);
        // A label is at most a line's few words away: look back 200 bytes, not the whole line
        // (a 1 MiB paste can be one line).
        let from = floor_boundary(text, end.saturating_sub(LOOK_BACK).max(start));
        let before = &text[from..end];
        if let Some(m) = LABEL_RE.find_iter(before).last() {
            return label_leads_to(&before[m.end()..]);
        }
        let only_numbers = before
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace() || matches!(c, ',' | '['));
        if from != start || line <= 1 || !only_numbers {
            return false;
        }
        end = start;
        line -= 1;
    }
    false
}

/// How many lines of a JSON array a label may stand above a code.
const ARRAY_LINES: usize = 8;

/// The text between a label and a code is only punctuation and other codes (`": [70002, `,
/// `: `, `=`), not prose.
fn label_leads_to(between: &str) -> bool {
    between.len() <= 120
        && between.chars().all(|c| {
            c.is_ascii_digit()
                || c.is_whitespace()
                || matches!(c, ':' | '=' | '"' | '\'' | '[' | ',' | '(' | '\\')
                || c.is_ascii_uppercase()
        })
}

/// Mostly not text: a NUL byte, or among the first 64 KiB more than one character in ten a
/// replacement character (bytes that were not UTF-8) or a control other than tab and line ends.
fn looks_binary(text: &str) -> bool {
    if text.contains('\0') {
        return true;
    }
    let mut total = 0usize;
    let mut odd = 0usize;
    for c in cap_at(text, 64 * 1024).chars() {
        total += 1;
        if c == '\u{fffd}' || (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
            odd += 1;
        }
    }
    total > 0 && odd * 10 > total
}

fn cap_at(text: &str, max: usize) -> &str {
    &text[..floor_boundary(text, max)]
}

/// The largest character boundary of `text` at or below `i`.
fn floor_boundary(text: &str, i: usize) -> usize {
    let mut end = i.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

/// How far before a code a label is looked for, in bytes.
const LOOK_BACK: usize = 200;

/// Line starts of a text (a line ends at `\n`, `\r\n` or a lone `\r`, as the extractor reads it).
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        let b = text.as_bytes();
        for (i, &c) in b.iter().enumerate() {
            if c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        Self { starts }
    }

    /// The line (from 1) holding byte `pos`.
    fn line_of(&self, pos: usize) -> usize {
        self.starts.partition_point(|&s| s <= pos)
    }

    /// The byte where line `line` (from 1) starts.
    fn start_of(&self, line: usize) -> usize {
        self.starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0)
    }
}
