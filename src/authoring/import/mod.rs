//! `tshoot import`: a Markdown troubleshooting document becomes a guide.
//!
//! The documents support teams already have share one shape: a first line with the error
//! code and its description, then sections "Initial Diagnostic Steps", "Common Issues",
//! "Step-by-Step Resolution Strategies", "Additional Notes", "Guidance Documentation" and
//! "Support Ticket Template", each a list whose items start with a bold title. Real documents
//! vary: numbered or bulleted lists, the colon inside or outside the bold, bold broken in the
//! middle of a word (`**Review Session Handl**ing:`), details in nested bullets, headings at
//! any level or as bold lines, sections missing or unknown. A small line parser copes with
//! those; a Markdown library would give a tree, but the tree of a broken bold is no more use
//! than the line, and what matters here is the line number of everything, for the report.
//!
//! A plain document has no branching, so the import builds a linear flow: every diagnostic
//! step asks whether the check points at one of the common issues, with one "Yes" answer per
//! issue whose words match the step (all issues when none does), then "No" and "Not sure".
//! Each issue's `fixes` are the resolutions whose words match it best. Matching is word overlap
//! with stop words removed, weighted by how rare a word is among the candidates, with shared
//! title words counting double. The output says in TOML comments what was guessed, so the
//! author knows what to review, and it carries replay cases generated from the flow, so the
//! author's later edits are checked against what the import meant.
//!
//! Nothing is dropped silently: text that fits no part of a guide is kept as a note and
//! reported as a warning with its line.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::LazyLock;

use regex::Regex;
use thiserror::Error;

use super::replay;
use crate::guide::{
    Answer, AnswerRef, Field, FieldKind, Guide, Issue, Link, Name, Note, ReplayCase, Resolution,
    STAGE_TARGETS, Step, Ticket, check_value,
};

/// Something the import could not place as the document meant it, at a line of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// 1-based line of the Markdown source.
    pub line: usize,
    pub message: String,
}

/// A document that cannot become a guide.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImportError {
    #[error("the document is empty")]
    Empty,
    #[error(
        "no section of a troubleshooting document was found (expected headings such as \"Initial Diagnostic Steps\", \"Common Issues\", \"Step-by-Step Resolution Strategies\")"
    )]
    NoSections,
}

/// The result of an import: the guide, its commented TOML, and the warnings.
#[derive(Debug, Clone)]
pub struct Imported {
    pub guide: Guide,
    /// The guide file to write: the guide with comments for the author.
    pub toml: String,
    pub warnings: Vec<Warning>,
}

/// The most "Yes" answers a generated step offers: with "No" and "Not sure" that is 9, the
/// number keys.
const MAX_YES: usize = 7;
/// The most resolutions an issue is linked to by word overlap.
const MAX_FIXES: usize = 3;
/// A match must score at least this share of the best match to be kept.
const KEEP_SHARE: f64 = 0.5;

const ASK: &str = "Does this check point at one of the common issues?";
const NO: &str = "No, this looks fine";
const NOT_SURE: &str = "Not sure yet";

/// Convert a Markdown troubleshooting document. `name` (the file's stem) is the id of last
/// resort when the document names no error code.
pub fn import(source: &str, name: &str) -> Result<Imported, ImportError> {
    let doc = parse(source)?;
    Ok(build(&doc, name))
}

// ---------------------------------------------------------------------------------------------
// Reading the document: lines -> sections of items.

/// What a section of the document holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The title, a document heading, the description: before the first known section.
    Intro,
    Diagnostics,
    Issues,
    Resolutions,
    Notes,
    Links,
    Ticket,
    /// A heading the importer does not know: kept as a note, reported.
    Unknown,
}

/// A list item: a title (when it has one), its text, and nested details.
#[derive(Debug, Clone, Default)]
struct Item {
    line: usize,
    title: Option<String>,
    body: String,
    /// Nested list items and indented paragraphs, each with its line.
    details: Vec<(usize, String)>,
}

/// The lines under one heading.
#[derive(Debug, Clone)]
struct Section {
    kind: Kind,
    heading: String,
    line: usize,
    items: Vec<Item>,
    /// Text outside the list, one entry per paragraph.
    paragraphs: Vec<(usize, String)>,
    /// Lines of fenced code blocks.
    code: Vec<(usize, String)>,
    /// Indent of the section's top-level items.
    base_indent: Option<usize>,
}

impl Section {
    fn new(kind: Kind, heading: &str, line: usize) -> Self {
        Self {
            kind,
            heading: heading.to_owned(),
            line,
            items: Vec::new(),
            paragraphs: Vec::new(),
            code: Vec::new(),
            base_indent: None,
        }
    }
}

/// The document as read: its first line, its sections, and what frames them.
#[derive(Debug, Clone, Default)]
struct Doc {
    /// The first line: (line, text without heading marks).
    title_line: Option<(usize, String)>,
    /// Headings that frame the document ("Troubleshooting Guide for ..."), with their lines.
    frames: Vec<(usize, String)>,
    /// `**Description:** ...`.
    description: Option<(usize, String)>,
    sections: Vec<Section>,
    /// The last paragraph of the last section when it comes after all its items: the
    /// document's closing words, not part of that section.
    closing: Option<(usize, String)>,
}

static ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\s*)(?:\d{1,3}[.)]|[-*+•])\s+(.*)$").expect("item pattern"));
static HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$").expect("heading pattern"));
static MD_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\]]*)\]\(([^)\s]+)\)").expect("link pattern"));
static BARE_URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<?(https?://[^\s<>()]+)>?").expect("url pattern"));
static CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([A-Z][A-Z_]*[0-9]{2,}[A-Z0-9]*|0x[0-9A-Fa-f]{4,}|[0-9]{4,})\b")
        .expect("error code pattern")
});

/// Which section a heading opens: by the words it starts (so "Tips" is notes, "Multiple" is
/// not).
fn classify(heading: &str) -> Kind {
    let h = heading.to_lowercase();
    let words: Vec<&str> = h
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |keys: &[&str]| {
        keys.iter().any(|k| {
            if k.contains(' ') {
                h.contains(k)
            } else {
                words.iter().any(|w| w.starts_with(k))
            }
        })
    };
    if has(&["ticket"]) {
        Kind::Ticket
    } else if has(&["diagnos", "checks"]) {
        Kind::Diagnostics
    } else if has(&["issue", "cause", "problem"]) {
        Kind::Issues
    } else if has(&["resolution", "solution", "fixes", "remed", "workaround"]) {
        Kind::Resolutions
    } else if has(&["note", "remark", "tips"]) {
        Kind::Notes
    } else if has(&[
        "documentation",
        "docs",
        "links",
        "reference",
        "guidance",
        "resources",
        "further reading",
        "see also",
    ]) {
        Kind::Links
    } else if has(&[
        "troubleshoot",
        "guide",
        "overview",
        "description",
        "summary",
    ]) {
        Kind::Intro
    } else {
        Kind::Unknown
    }
}

/// The text of a line that is only bold (`**Common Issues:**`, `**Common Issues**:`), used as
/// a heading by some documents.
fn bold_heading(line: &str) -> Option<String> {
    let t = line.trim();
    let inner = t
        .strip_prefix("**")
        .and_then(|r| r.strip_suffix("**:").or_else(|| r.strip_suffix("**")))?;
    (!inner.contains("**") && !inner.is_empty()).then(|| inner.trim_end_matches(':').to_owned())
}

fn indent_of(line: &str) -> usize {
    line.chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

fn parse(source: &str) -> Result<Doc, ImportError> {
    let mut doc = Doc::default();
    let mut section = Section::new(Kind::Intro, "", 0);
    let mut in_code = false;
    let mut prev_blank = true;
    // Where continuation text goes: the last item's body or its last detail; `in_item` while
    // the lines since the last item belong to it.
    let mut in_detail = false;
    let mut in_item = false;
    for (k, raw) in source.lines().enumerate() {
        let no = k + 1;
        let line = raw.trim_end();
        let t = line.trim();
        if doc.title_line.is_none() {
            if t.is_empty() {
                continue;
            }
            let text = HEADING
                .captures(line)
                .map_or(t, |c| c.get(2).map_or(t, |m| m.as_str()));
            doc.title_line = Some((no, text.to_owned()));
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            in_code = !in_code;
            prev_blank = false;
            continue;
        }
        if in_code {
            section.code.push((no, line.to_owned()));
            continue;
        }
        if t.is_empty() || is_rule(t) || (t.starts_with("<!--") && t.ends_with("-->")) {
            prev_blank = true;
            continue;
        }
        let heading = HEADING
            .captures(line)
            .and_then(|c| c.get(2).map(|m| strip_inline(m.as_str())))
            .or_else(|| bold_heading(line).filter(|h| !matches!(classify(h), Kind::Unknown)));
        if let Some(h) = heading {
            let h = h.trim_end_matches(':').trim().to_owned();
            let kind = classify(&h);
            doc.sections
                .push(std::mem::replace(&mut section, Section::new(kind, &h, no)));
            in_item = false;
            if kind == Kind::Intro {
                doc.frames.push((no, h));
            }
            prev_blank = true;
            continue;
        }
        if let Some(rest) = t
            .strip_prefix("**Description:**")
            .or_else(|| t.strip_prefix("**Description**:"))
        {
            doc.description = Some((no, clean(rest)));
            prev_blank = false;
            continue;
        }
        if let Some(c) = ITEM.captures(line) {
            let indent = indent_of(line);
            let text = c.get(2).map_or("", |m| m.as_str());
            let base = *section.base_indent.get_or_insert(indent);
            match section.items.last_mut() {
                Some(item) if indent > base => {
                    item.details.push((no, clean(text)));
                    in_detail = true;
                }
                _ => {
                    let (title, body) = split_title(text);
                    section.items.push(Item {
                        line: no,
                        title,
                        body,
                        details: Vec::new(),
                    });
                    in_detail = false;
                }
            }
            in_item = true;
            prev_blank = false;
            continue;
        }
        // Plain text: a continuation of the item above (indented, or right under it), else a
        // paragraph of its own.
        let indent = indent_of(line);
        let item = section
            .items
            .last_mut()
            .filter(|_| in_item && (indent > section.base_indent.unwrap_or(0) || !prev_blank));
        if let Some(item) = item {
            let target = if in_detail {
                item.details.last_mut().map_or(&mut item.body, |d| &mut d.1)
            } else {
                &mut item.body
            };
            append(target, &clean(t), prev_blank);
        } else if !prev_blank
            && !in_item
            && let Some((_, p)) = section.paragraphs.last_mut()
        {
            append(p, &clean(t), false);
        } else {
            section.paragraphs.push((no, clean(t)));
            in_item = false;
        }
        prev_blank = false;
    }
    doc.sections.push(section);
    if doc.title_line.is_none() {
        return Err(ImportError::Empty);
    }
    if !doc
        .sections
        .iter()
        .any(|s| !matches!(s.kind, Kind::Intro | Kind::Unknown))
    {
        return Err(ImportError::NoSections);
    }
    // The last paragraph of the last section, after all its items, closes the document.
    if let Some(last) = doc.sections.last_mut()
        && !matches!(last.kind, Kind::Intro | Kind::Unknown | Kind::Notes)
        && let Some((line, _)) = last.paragraphs.last()
        && last.items.last().is_none_or(|i| i.line < *line)
    {
        doc.closing = last.paragraphs.pop();
    }
    Ok(doc)
}

/// A thematic break (`---`, `***`, `___`) or a setext heading's underline (`===`).
fn is_rule(t: &str) -> bool {
    t.len() >= 3
        && ['-', '*', '_', '=']
            .iter()
            .any(|&m| t.chars().all(|c| c == m || c == ' '))
}

fn append(text: &mut String, more: &str, new_paragraph: bool) {
    if more.is_empty() {
        return;
    }
    if !text.is_empty() {
        text.push_str(if new_paragraph { "\n\n" } else { " " });
    }
    text.push_str(more);
}

/// A list item's text split into its bold title and the rest: `**Title:** text`,
/// `**Title**: text`, `**Tit**le: text` (bold broken mid-word), `**Title** - text`, or
/// `Title: text` without bold when the part before the colon is short.
fn split_title(raw: &str) -> (Option<String>, String) {
    let t = raw.trim();
    for mark in ["**", "__"] {
        let Some(rest) = t.strip_prefix(mark) else {
            continue;
        };
        let Some(end) = rest.find(mark) else {
            continue;
        };
        let bold = &rest[..end];
        let after = &rest[end + mark.len()..];
        if let Some(title) = bold.trim_end().strip_suffix(':') {
            return (Some(clean(title)), clean(after));
        }
        if let Some(body) = after.strip_prefix(':') {
            return (Some(clean(bold)), clean(body));
        }
        // The bold stops inside a word: the title runs on to the colon.
        if after.starts_with(|c: char| c.is_alphanumeric())
            && let Some(colon) = after.find(':')
            && short_title(&after[..colon])
        {
            let title = format!("{bold}{}", &after[..colon]);
            return (Some(clean(&title)), clean(&after[colon + 1..]));
        }
        let trimmed = after.trim_start();
        for dash in ["-", "–", "—"] {
            if let Some(body) = trimmed.strip_prefix(dash)
                && (body.is_empty() || body.starts_with(' '))
            {
                return (Some(clean(bold)), clean(body));
            }
        }
        return (Some(clean(bold)), clean(after));
    }
    if let Some(colon) = t.find(':') {
        let (head, body) = (&t[..colon], &t[colon + 1..]);
        if short_title(head) && !body.starts_with("//") {
            return (Some(clean(head)), clean(body));
        }
    }
    (None, clean(t))
}

/// Whether `s` can be a title before a colon: a few words, no sentence.
fn short_title(s: &str) -> bool {
    let words = s.split_whitespace().count();
    (1..=8).contains(&words) && !s.contains(". ") && !s.trim_end().ends_with('.')
}

/// Markdown inline marks removed: bold, links as "text (url)", escapes. Backticks stay (they
/// mark names the engineer types).
fn clean(s: &str) -> String {
    let s = strip_inline(s);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strip_inline(s: &str) -> String {
    let s = s.replace("**", "").replace("__", "");
    let s = MD_LINK.replace_all(&s, |c: &regex::Captures<'_>| {
        let (text, url) = (&c[1], &c[2]);
        if text.trim().is_empty() || text.trim() == url {
            url.to_owned()
        } else {
            format!("{} ({url})", text.trim())
        }
    });
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&n) = chars.peek()
            && n.is_ascii_punctuation()
        {
            continue;
        }
        out.push(c);
    }
    out.trim().to_owned()
}

// ---------------------------------------------------------------------------------------------
// Words: what the flow and the links are guessed from.

#[rustfmt::skip]
const STOP: &[&str] = &[
    "a", "about", "above", "across", "after", "again", "against", "all", "also", "an", "and",
    "any", "are", "as", "at", "be", "been", "being", "both", "but", "by", "can", "could", "do",
    "does", "doing", "done", "down", "during", "each", "either", "etc", "for", "from", "further",
    "had", "has", "have", "having", "here", "how", "if", "in", "into", "is", "it", "its", "just",
    "may", "might", "more", "most", "must", "no", "nor", "not", "now", "of", "off", "on", "once",
    "only", "or", "other", "our", "out", "over", "own", "same", "should", "so", "some", "such",
    "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those",
    "through", "throughout", "to", "too", "under", "until", "up", "upon", "very", "via", "was",
    "we", "were", "what", "when", "where", "whether", "which", "while", "who", "why", "will",
    "with", "within", "without", "would", "you", "your", "yours",
    // Words every troubleshooting document uses everywhere: they link nothing to anything.
    "check", "checks", "ensure", "make", "sure", "correct", "properly", "proper", "specific",
    "use", "using", "used", "error", "errors", "issue", "issues", "problem", "problems", "step",
    "steps", "user", "users", "need", "needed", "needs", "new", "see", "get", "set", "help",
    "able", "based", "case", "cases", "different", "particular", "certain", "relevant",
    "appropriate", "necessary", "attempt", "review", "verify", "consider",
];

/// The stem of a lowercase word: a few English suffixes off, so "sessions" meets "session" and
/// "configured" meets "configuration" ("configur").
fn stem(w: &str) -> String {
    const SUFFIXES: [&str; 12] = [
        "ations", "ation", "ings", "ing", "ments", "ment", "ness", "ies", "es", "ed", "e", "s",
    ];
    for suf in SUFFIXES {
        if let Some(base) = w.strip_suffix(suf)
            && base.chars().count() >= 4
        {
            return if suf == "ies" {
                format!("{base}y")
            } else {
                base.to_owned()
            };
        }
    }
    w.to_owned()
}

/// The meaningful words of a text: stem -> the word as first written (for the comments).
fn words(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .filter(|w| !STOP.contains(&w.as_str()) && !w.chars().all(|c| c.is_ascii_digit()))
    {
        out.entry(stem(&w)).or_insert(w);
    }
    out
}

/// The words of an item: all of them, and those of its title.
#[derive(Debug, Clone, Default)]
struct Bag {
    all: BTreeMap<String, String>,
    title: BTreeSet<String>,
}

impl Bag {
    fn new(title: &str, rest: &[&str]) -> Self {
        let mut all = words(title);
        let title = all.keys().cloned().collect();
        for r in rest {
            for (k, v) in words(r) {
                all.entry(k).or_insert(v);
            }
        }
        Self { all, title }
    }
}

/// How well `a` matches each of `candidates`: the shared words, each weighted by how rare it
/// is among the candidates (a word every candidate has tells them apart not at all), a word in
/// both titles counting three times: titles name what an item is about. Returns the score and
/// the shared words (as `a` writes them).
fn scores(a: &Bag, candidates: &[Bag]) -> Vec<(f64, Vec<String>)> {
    let n = candidates.len() as f64;
    let mut df: HashMap<&str, usize> = HashMap::new();
    for c in candidates {
        for w in c.all.keys() {
            *df.entry(w.as_str()).or_default() += 1;
        }
    }
    candidates
        .iter()
        .map(|c| {
            let shared: Vec<&String> = a.all.keys().filter(|w| c.all.contains_key(*w)).collect();
            let score = shared
                .iter()
                .map(|&w| {
                    let idf = (1.0 + n / df.get(w.as_str()).copied().unwrap_or(1) as f64).ln();
                    let bonus = if a.title.contains(w) && c.title.contains(w) {
                        3.0
                    } else {
                        1.0
                    };
                    idf * bonus
                })
                .sum();
            (score, shared.iter().map(|w| a.all[*w].clone()).collect())
        })
        .collect()
}

/// The candidates worth keeping from `scored`: positive, at least [`KEEP_SHARE`] of the best,
/// best first (ties in document order), at most `max`.
fn best(scored: &[(f64, Vec<String>)], max: usize) -> Vec<usize> {
    let top = scored.iter().map(|s| s.0).fold(0.0, f64::max);
    if top <= 0.0 {
        return Vec::new();
    }
    let mut keep: Vec<usize> = (0..scored.len())
        .filter(|&i| scored[i].0 > 0.0 && scored[i].0 >= top * KEEP_SHARE)
        .collect();
    keep.sort_by(|&a, &b| scored[b].0.total_cmp(&scored[a].0).then(a.cmp(&b)));
    keep.truncate(max);
    keep
}

// ---------------------------------------------------------------------------------------------
// Building the guide.

/// What the author should look at, per item of the guide, written as comments.
#[derive(Debug, Default)]
struct Comments {
    header: Vec<String>,
    /// Where the summary came from.
    summary: Vec<String>,
    steps: Vec<Vec<String>>,
    issues: Vec<Vec<String>>,
    resolutions: Vec<Vec<String>>,
    notes: Vec<Vec<String>>,
    fields: Vec<Vec<String>>,
    /// Section banners: (kind, heading, line).
    sections: Vec<(Kind, String, usize)>,
}

/// Ids from titles: lowercase words joined by `-`, unique, never a stage name.
#[derive(Default)]
struct Ids(HashSet<String>);

impl Ids {
    fn make(&mut self, title: &str, fallback: &str, sep: char) -> String {
        let mut base = String::new();
        for w in title
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .map(|w| w.replace('\'', "").to_lowercase())
            .filter(|w| !w.is_empty())
        {
            if base.len() + w.len() > 40 && !base.is_empty() {
                break;
            }
            if !base.is_empty() {
                base.push(sep);
            }
            base.push_str(&w);
        }
        if base.is_empty() {
            base = fallback.to_owned();
        }
        if STAGE_TARGETS.contains(&base.as_str()) {
            base.push_str("-step");
        }
        let mut id = base.clone();
        let mut n = 2;
        while !self.0.insert(id.clone()) {
            id = format!("{base}{sep}{n}");
            n += 1;
        }
        id
    }
}

/// A title for an item that has none: its first words.
fn short(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= 10 {
        text.trim().trim_end_matches('.').to_owned()
    } else {
        format!("{}…", words[..8].join(" "))
    }
}

fn item_title(item: &Item) -> String {
    item.title.clone().unwrap_or_else(|| short(&item.body))
}

/// An item's text with its details as lines under it. An item without a title whose text is
/// short became its title: it is not repeated.
fn item_text(item: &Item) -> String {
    let mut text = if item.title.is_none() && !short(&item.body).ends_with('…') {
        String::new()
    } else {
        item.body.clone()
    };
    for (_, d) in &item.details {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str("- ");
        text.push_str(d);
    }
    text
}

/// The guide being built, with what the author should review and what could not be placed.
#[derive(Default)]
struct Builder {
    warnings: Vec<Warning>,
    c: Comments,
    links: Vec<Link>,
    notes: Vec<Note>,
}

/// The items of the sections that become the flow, in document order.
#[derive(Default)]
struct Parts<'a> {
    steps: Vec<&'a Item>,
    issues: Vec<&'a Item>,
    resolutions: Vec<&'a Item>,
    ticket: Vec<&'a Item>,
    ticket_code: Vec<(usize, String)>,
}

/// What the first line says: the id, its aliases, the title, the description.
struct Head {
    line: usize,
    id: String,
    aliases: Vec<Name>,
    title: String,
    summary: String,
}

/// Words that make a resolution the escalation.
const ESCALATION: [&str; 8] = [
    "support ticket",
    "escalat",
    "contact support",
    "open a ticket",
    "raise a ticket",
    "file a ticket",
    "support case",
    "support request",
];

fn build(doc: &Doc, name: &str) -> Imported {
    let mut b = Builder::default();
    let mut head = b.head(doc, name);
    let parts = b.sections(doc, &mut head.summary);
    let mut issues = b.issues(&parts.issues);
    let resolutions = b.resolutions(&parts.resolutions);
    let issue_bags: Vec<Bag> = issues
        .iter()
        .map(|i| Bag::new(&i.title, &[i.text.as_str()]))
        .collect();
    b.link_fixes(&mut issues, &issue_bags, &resolutions);
    let steps = b.steps(&parts.steps, &issues, &issue_bags, head.line);
    let ticket = build_ticket(&parts.ticket, &parts.ticket_code, &head.id, &mut b.c);
    let mut guide = Guide {
        format: crate::guide::FORMAT,
        id: Name::new(head.id),
        title: head.title,
        summary: head.summary,
        revision: String::new(),
        aliases: head.aliases,
        tags: Vec::new(),
        links: b.links,
        notes: b.notes,
        steps,
        issues,
        resolutions,
        ticket,
        cases: Vec::new(),
    };
    guide.cases = generate_cases(&guide);
    b.c.header = header(doc, &guide, &b.warnings);
    let toml = write(&guide, &b.c);
    Imported {
        guide,
        toml,
        warnings: b.warnings,
    }
}

impl Builder {
    fn warn(&mut self, line: usize, message: String) {
        self.warnings.push(Warning { line, message });
    }

    /// A note, with a comment saying where it came from.
    fn note(&mut self, title: String, text: String, why: String) {
        self.notes.push(Note { title, text });
        self.c.notes.push(vec![why]);
    }

    /// The id (the error code of the first line, else of a framing heading or the ticket, else
    /// the file name), the title and the description: "CODE: Title - description".
    fn head(&mut self, doc: &Doc, name: &str) -> Head {
        let (line, first) = doc.title_line.clone().unwrap_or_default();
        let code_in = |s: &str| CODE.captures(s).map(|c| c[1].to_owned());
        let ticket_code = doc
            .sections
            .iter()
            .filter(|s| s.kind == Kind::Ticket)
            .flat_map(|s| &s.items)
            .filter(|i| {
                i.title
                    .as_deref()
                    .is_some_and(|t| t.to_lowercase().contains("error code"))
            })
            .find_map(|i| code_in(&i.body));
        let found = code_in(&first)
            .or_else(|| doc.frames.iter().find_map(|(_, h)| code_in(h)))
            .or(ticket_code);
        let id = found.unwrap_or_else(|| {
            let fallback = Ids::default().make(name, "imported", '-').to_uppercase();
            self.warn(
                line,
                format!(
                    "the first line names no error code; the guide's id is \"{fallback}\", from the file name"
                ),
            );
            fallback
        });
        let mut aliases = Vec::new();
        let digits: String = id.chars().skip_while(|c| !c.is_ascii_digit()).collect();
        if digits.len() >= 3 && digits != id && digits.chars().all(|c| c.is_ascii_digit()) {
            aliases.push(Name::new(digits));
        }

        let rest = match first.find(&id) {
            Some(at) => first[at + id.len()..].to_owned(),
            None => first.clone(),
        };
        let mut rest = clean(rest.trim_start_matches([':', '-', '–', '—', ' ']));
        // "AADSTS50143 Error Code: Session Mismatch": the words before a colon name the code.
        if let Some((head, tail)) = rest.split_once(':')
            && head.split_whitespace().count() <= 3
            && !tail.trim().is_empty()
            && !tail.starts_with("//")
        {
            rest = tail.trim().to_owned();
        }
        let framed_title = doc
            .frames
            .iter()
            .find_map(|(_, h)| h.rsplit_once(':').map(|(_, t)| clean(t)))
            .filter(|t| !t.is_empty());
        let title = if let Some((head, _)) = rest.split_once(" - ") {
            head.trim().to_owned()
        } else if !rest.is_empty() && rest.len() <= 80 {
            rest.trim_end_matches('.').to_owned()
        } else if let Some(t) = framed_title {
            t
        } else if let Some((_, d)) = &doc.description {
            short(d.split(" - ").next().unwrap_or(d))
        } else {
            id.clone()
        };
        // The first line's text after the title is the description; a first line that is only
        // the title gives none.
        let mut summary = if rest == title { String::new() } else { rest };
        let squash = |s: &str| s.split_whitespace().collect::<String>().to_lowercase();
        if let Some((_, d)) = &doc.description
            && !squash(&summary).contains(&squash(d))
        {
            append(&mut summary, d, true);
        }
        let mut from = vec![format!("the first line (line {line})")];
        if let Some((l, _)) = &doc.description {
            from.push(format!("the Description (line {l})"));
        }
        self.c
            .summary
            .push(format!("Title and summary from {}.", from.join(" and ")));
        Head {
            line,
            id,
            aliases,
            title,
            summary,
        }
    }

    /// Sort the sections' contents: notes, links and the introduction are placed here; the
    /// items of the flow are returned. Whatever fits nowhere becomes a note, with a warning.
    fn sections<'a>(&mut self, doc: &'a Doc, summary: &mut String) -> Parts<'a> {
        let mut parts = Parts::default();
        for s in &doc.sections {
            if !matches!(s.kind, Kind::Intro | Kind::Unknown) {
                self.c.sections.push((s.kind, s.heading.clone(), s.line));
            }
            match s.kind {
                Kind::Intro => {
                    for (_, p) in &s.paragraphs {
                        append(summary, p, true);
                    }
                    for item in &s.items {
                        append(summary, &format!("- {}", flat(item)), false);
                    }
                }
                Kind::Diagnostics => parts.steps.extend(&s.items),
                Kind::Issues => parts.issues.extend(&s.items),
                Kind::Resolutions => parts.resolutions.extend(&s.items),
                Kind::Ticket => {
                    parts.ticket.extend(&s.items);
                    parts.ticket_code.extend(s.code.iter().cloned());
                }
                Kind::Notes => {
                    for item in &s.items {
                        let title = item.title.clone().unwrap_or_else(|| short(&item.body));
                        self.note(title, item_text(item), format!("line {}", item.line));
                    }
                    for (line, p) in &s.paragraphs {
                        self.note(short(p), p.clone(), format!("line {line}"));
                    }
                }
                Kind::Links => self.links_section(s),
                Kind::Unknown => self.unknown_section(s),
            }
            // Text outside the lists of the list sections.
            if matches!(
                s.kind,
                Kind::Diagnostics | Kind::Issues | Kind::Resolutions | Kind::Ticket
            ) {
                for (line, p) in &s.paragraphs {
                    self.warn(
                        *line,
                        format!(
                            "text outside the list of \"{}\" was kept as a note",
                            s.heading
                        ),
                    );
                    self.note(
                        s.heading.clone(),
                        p.clone(),
                        format!("line {line}: text outside the list of \"{}\"", s.heading),
                    );
                }
                if s.kind != Kind::Ticket {
                    for (line, l) in &s.code {
                        self.warn(
                            *line,
                            format!("a code block in \"{}\" was kept as a note", s.heading),
                        );
                        self.note(s.heading.clone(), l.clone(), format!("line {line}"));
                    }
                }
            }
        }
        if let Some((line, text)) = &doc.closing {
            self.note(
                "Closing remarks".to_owned(),
                text.clone(),
                format!(
                    "line {line}: the document's closing paragraph; give it a better title or drop it"
                ),
            );
        }
        // Links written inside the texts are kept in the texts and listed with the links.
        for s in doc.sections.iter().filter(|s| s.kind != Kind::Links) {
            for item in &s.items {
                for l in links_in(&flat(item), false) {
                    push_link(&mut self.links, l);
                }
            }
        }
        parts
    }

    fn links_section(&mut self, s: &Section) {
        for item in &s.items {
            let whole = flat(item);
            let mut found = links_in(&whole, true);
            // "**Docs:** https://..." : the item's title names its one address.
            if let ([l], Some(t)) = (found.as_mut_slice(), &item.title)
                && l.title == *l.url
            {
                l.title.clone_from(t);
            }
            if found.is_empty() {
                self.warn(
                    item.line,
                    format!(
                        "no address in the link \"{}\"; it was kept as a note",
                        short(&whole)
                    ),
                );
                self.note(
                    s.heading.clone(),
                    whole,
                    format!("line {}: a link without an address", item.line),
                );
            }
            for l in found {
                push_link(&mut self.links, l);
            }
        }
        for (line, p) in &s.paragraphs {
            let found = links_in(p, true);
            if found.is_empty() {
                self.warn(
                    *line,
                    format!(
                        "text without an address in \"{}\" was kept as a note",
                        s.heading
                    ),
                );
                self.note(s.heading.clone(), p.clone(), format!("line {line}"));
            }
            for l in found {
                push_link(&mut self.links, l);
            }
        }
    }

    /// A section the importer does not know: its whole text as a note titled by its heading.
    fn unknown_section(&mut self, s: &Section) {
        let mut parts: Vec<String> = s.paragraphs.iter().map(|(_, p)| p.clone()).collect();
        let list: Vec<String> = s.items.iter().map(|i| format!("- {}", flat(i))).collect();
        if !list.is_empty() {
            parts.push(list.join("\n"));
        }
        let code: Vec<&str> = s.code.iter().map(|(_, l)| l.as_str()).collect();
        if !code.is_empty() {
            parts.push(code.join("\n"));
        }
        let text = parts.join("\n\n");
        if text.is_empty() {
            return;
        }
        self.warn(
            s.line,
            format!(
                "section \"{}\" is not one the importer knows; its text was kept as a note",
                s.heading
            ),
        );
        self.note(
            s.heading.clone(),
            text,
            format!(
                "line {}: an unknown section, kept as a note: move its text where it belongs",
                s.line
            ),
        );
    }

    fn issues(&mut self, items: &[&Item]) -> Vec<Issue> {
        let mut ids = Ids::default();
        items
            .iter()
            .map(|i| {
                self.c.issues.push(vec![format!("line {}", i.line)]);
                Issue {
                    id: Name::new(ids.make(&item_title(i), "issue", '-')),
                    title: item_title(i),
                    text: item_text(i),
                    fixes: Vec::new(),
                }
            })
            .collect()
    }

    /// Resolutions: nested details are the tasks; an item without them is its own one task.
    /// The one that opens a support ticket is the escalation.
    fn resolutions(&mut self, items: &[&Item]) -> Vec<Resolution> {
        let mut ids = Ids::default();
        items
            .iter()
            .map(|r| {
                let title = item_title(r);
                let mut tasks: Vec<String> = r.details.iter().map(|(_, d)| d.clone()).collect();
                let mut text = if r.title.is_some() {
                    r.body.clone()
                } else {
                    String::new()
                };
                if tasks.is_empty() {
                    tasks.push(if r.body.is_empty() {
                        title.clone()
                    } else {
                        r.body.clone()
                    });
                    text.clear();
                }
                let words = format!("{title} {text} {}", tasks.join(" ")).to_lowercase();
                let escalate = ESCALATION.iter().any(|w| words.contains(w));
                let mut note = vec![format!("line {}", r.line)];
                if escalate {
                    note.push(
                        "the escalation: it leads to the ticket and is always listed last".into(),
                    );
                }
                self.c.resolutions.push(note);
                Resolution {
                    id: Name::new(ids.make(&title, "resolution", '-')),
                    title,
                    text,
                    tasks,
                    escalate,
                }
            })
            .collect()
    }

    /// Each issue's `fixes`: the resolutions that match it best (the escalation is never a
    /// fix: it comes last anyway). A resolution no issue chose goes to the issue it matches
    /// best, if any, so that the checklist shows it where it belongs.
    fn link_fixes(&mut self, issues: &mut [Issue], issue_bags: &[Bag], resolutions: &[Resolution]) {
        let fixable: Vec<usize> = (0..resolutions.len())
            .filter(|&r| !resolutions[r].escalate)
            .collect();
        let candidates: Vec<Bag> = fixable
            .iter()
            .map(|&r| {
                let res = &resolutions[r];
                let mut rest: Vec<&str> = vec![res.text.as_str()];
                rest.extend(res.tasks.iter().map(String::as_str));
                Bag::new(&res.title, &rest)
            })
            .collect();
        let mut linked = vec![false; resolutions.len()];
        let mut issue_scores = Vec::new();
        for (k, issue) in issues.iter_mut().enumerate() {
            let scored = scores(&issue_bags[k], &candidates);
            let keep = best(&scored, MAX_FIXES);
            let why: Vec<String> = keep
                .iter()
                .map(|&j| {
                    let r = fixable[j];
                    linked[r] = true;
                    format!("{} ({})", resolutions[r].id, scored[j].1.join(", "))
                })
                .collect();
            issue.fixes = keep
                .iter()
                .map(|&j| resolutions[fixable[j]].id.clone())
                .collect();
            self.c.issues[k].push(if why.is_empty() {
                "REVIEW: no resolution shares words with this issue; add `fixes` by hand".into()
            } else {
                format!("fixes guessed from shared words: {}", why.join("; "))
            });
            issue_scores.push(scored);
        }
        for (j, &r) in fixable.iter().enumerate() {
            if linked[r] {
                continue;
            }
            let best_issue = (0..issues.len())
                .filter(|&k| issue_scores[k][j].0 > 0.0)
                .max_by(|&a, &b| issue_scores[a][j].0.total_cmp(&issue_scores[b][j].0));
            match best_issue {
                Some(k) => {
                    issues[k].fixes.push(resolutions[r].id.clone());
                    self.c.issues[k].push(format!(
                        "REVIEW: {} was added last: no issue matched it better ({})",
                        resolutions[r].id,
                        issue_scores[k][j].1.join(", ")
                    ));
                }
                None if !issues.is_empty() => self.c.resolutions[r].push(
                    "REVIEW: no issue shares words with this resolution; list it in some issue's `fixes`".into(),
                ),
                None => {}
            }
        }
    }

    /// The linear flow: each step asks whether its check points at one of the issues whose
    /// words match it (every issue when none does), then "No" and "Not sure". Every issue is
    /// offered by some step. Without diagnostic steps, one step asks which issue it is.
    fn steps(
        &mut self,
        items: &[&Item],
        issues: &[Issue],
        issue_bags: &[Bag],
        first_line: usize,
    ) -> Vec<Step> {
        let mut offered: Vec<Vec<usize>> = Vec::new();
        let mut step_scores = Vec::new();
        for item in items {
            let bag = Bag::new(&item_title(item), &[item_text(item).as_str()]);
            let scored = scores(&bag, issue_bags);
            let keep = best(&scored, MAX_YES);
            let mut note = vec![format!("line {}", item.line)];
            if issues.is_empty() {
                note.push("no common issues to suspect: the step has no question".into());
            } else if keep.is_empty() {
                note.push(
                    "REVIEW: no issue shares words with this step, so every issue is offered"
                        .into(),
                );
            } else {
                let why: Vec<String> = keep
                    .iter()
                    .map(|&i| format!("{} ({})", issues[i].id, scored[i].1.join(", ")))
                    .collect();
                note.push(format!(
                    "answers suspect issues by shared words: {}",
                    why.join("; ")
                ));
            }
            self.c.steps.push(note);
            offered.push(if keep.is_empty() {
                (0..issues.len().min(MAX_YES)).collect()
            } else {
                keep
            });
            step_scores.push(scored);
        }
        let placeholder = items.is_empty();
        if placeholder {
            self.warn(
                first_line,
                "the document has no diagnostic steps; one step asking which issue it looks like was written".into(),
            );
            offered.push((0..issues.len().min(MAX_YES)).collect());
            step_scores.push(vec![(0.0, Vec::new()); issues.len()]);
            self.c.steps.push(vec![
                "REVIEW: written by the import: the document had no diagnostic steps".into(),
            ]);
        }
        // Every issue is offered somewhere: where it matches best, else at the last step.
        for k in 0..issues.len() {
            if offered.iter().any(|o| o.contains(&k)) {
                continue;
            }
            let by_score = (0..offered.len())
                .filter(|&s| offered[s].len() < MAX_YES)
                .max_by(|&a, &b| {
                    // Ties (no shared words at all): the later step.
                    step_scores[a][k]
                        .0
                        .total_cmp(&step_scores[b][k].0)
                        .then(a.cmp(&b))
                });
            let Some(s) = by_score else { continue };
            offered[s].push(k);
            self.c.steps[s].push(format!(
                "REVIEW: \"Yes: {}\" was added here so that some answer suspects it",
                issues[k].title
            ));
        }
        let mut ids = Ids::default();
        offered
            .iter()
            .enumerate()
            .map(|(k, offer)| {
                let (title, text) = match items.get(k) {
                    Some(s) => (item_title(s), item_text(s)),
                    None => (
                        "Compare with the common issues".to_owned(),
                        "Read the common issues and pick the one this case looks like.".to_owned(),
                    ),
                };
                let (ask, answers) = answers_for(offer, issues, placeholder);
                Step {
                    id: Name::new(ids.make(&title, "step", '-')),
                    title,
                    text,
                    ask,
                    next: None,
                    answers,
                }
            })
            .collect()
    }
}

/// The question and answers of a generated step offering `offer` (indices into `issues`).
fn answers_for(
    offer: &[usize],
    issues: &[Issue],
    placeholder: bool,
) -> (Option<String>, Vec<Answer>) {
    if offer.is_empty() {
        return (None, Vec::new());
    }
    let mut answers: Vec<Answer> = Vec::new();
    let mut labels = HashSet::new();
    for &i in offer {
        let mut label = format!("Yes: {}", issues[i].title);
        let mut n = 2;
        while !labels.insert(label.to_lowercase()) {
            label = format!("Yes: {} ({n})", issues[i].title);
            n += 1;
        }
        answers.push(Answer {
            label,
            suspect: vec![issues[i].id.clone()],
            next: None,
        });
    }
    for label in [NO, NOT_SURE] {
        answers.push(Answer {
            label: label.into(),
            suspect: Vec::new(),
            next: None,
        });
    }
    let ask = if placeholder {
        "Which of the common issues does this look like?"
    } else {
        ASK
    };
    (Some(ask.to_owned()), answers)
}

/// An item on one line: "Title: text; detail; detail".
fn flat(item: &Item) -> String {
    let mut s = match &item.title {
        Some(t) if item.body.is_empty() => t.clone(),
        Some(t) => format!("{t}: {}", item.body),
        None => item.body.clone(),
    };
    for (_, d) in &item.details {
        s.push_str("; ");
        s.push_str(d);
    }
    s
}

/// The links in a text: "title (https://...)" as `clean` writes Markdown links, or bare
/// addresses. `relative`: also "title (wiki/page)", only in a section of links.
fn links_in(text: &str, relative: bool) -> Vec<Link> {
    static TITLED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"([^():;\[\]]+?)\s*\((https?://[^\s)]+|[A-Za-z0-9./_#-]+/[^\s)]*)\)")
            .expect("titled link pattern")
    });
    let mut out: Vec<Link> = Vec::new();
    let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
    for c in TITLED.captures_iter(text) {
        let (Some(all), Some(t), Some(u)) = (c.get(0), c.get(1), c.get(2)) else {
            continue;
        };
        if !relative && !u.as_str().starts_with("http") {
            continue;
        }
        let title = t.as_str().trim().trim_start_matches(['-', '*', ' ']).trim();
        out.push(Link {
            title: if title.is_empty() {
                u.as_str().to_owned()
            } else {
                title.to_owned()
            },
            url: Name::new(u.as_str()),
        });
        taken.push(all.range());
    }
    for m in BARE_URL.captures_iter(text) {
        let Some(u) = m.get(1) else { continue };
        if taken.iter().any(|r| r.contains(&u.start())) {
            continue;
        }
        let url = u.as_str().trim_end_matches(['.', ',', ';']);
        out.push(Link {
            title: url.to_owned(),
            url: Name::new(url),
        });
    }
    out
}

fn push_link(links: &mut Vec<Link>, l: Link) {
    if !links.iter().any(|x| x.url == l.url) {
        links.push(l);
    }
}

/// The ticket from "Label: value" items (or lines of a code block): a field per label, the
/// template naming each. A value in brackets is a hint; another value is the default.
fn build_ticket(
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

/// Replay cases for the generated flow: one per issue some answer names (its "Yes" where it is
/// first offered, "No" everywhere else) and one where nothing is found. Their expectations are
/// what the real wizard shows for the guide as imported, so the author's edits are checked
/// against what the import meant.
fn generate_cases(g: &Guide) -> Vec<ReplayCase> {
    let fields: std::collections::BTreeMap<String, String> = g
        .fields()
        .iter()
        .filter_map(|f| f.default.as_ref().map(|d| (f.id.to_string(), d.clone())))
        .collect();
    let answer_no = |s: &Step| -> String {
        if s.answers.is_empty() {
            "Done".to_owned()
        } else {
            NO.to_owned()
        }
    };
    let mut plans: Vec<(String, Vec<String>, usize)> = Vec::new();
    for issue in &g.issues {
        let mut chosen = false;
        let answers: Vec<String> = g
            .steps
            .iter()
            .map(|s| {
                let yes = s
                    .answers
                    .iter()
                    .find(|a| a.suspect.len() == 1 && a.suspect[0] == issue.id);
                match yes {
                    Some(a) if !chosen => {
                        chosen = true;
                        a.label.clone()
                    }
                    _ => answer_no(s),
                }
            })
            .collect();
        if chosen {
            plans.push((issue.id.to_string(), answers, issue.fixes.len().max(1)));
        }
    }
    let mut name = "nothing-found".to_owned();
    while g.issues.iter().any(|i| *i.id == *name) {
        name.push('-');
        name.push('2');
    }
    plans.push((
        name,
        g.steps.iter().map(answer_no).collect(),
        g.resolutions.len().min(3),
    ));
    let mut out = Vec::new();
    for (name, answers, n) in plans {
        let mut rc = ReplayCase {
            name: Name::new(name),
            answers: answers
                .iter()
                .map(|a| AnswerRef::from(a.as_str()))
                .collect(),
            confirm: Vec::new(),
            rule_out: Vec::new(),
            expect_suspected: None,
            expect_checklist: None,
            expect_fields: fields
                .iter()
                .map(|(k, v)| (k.clone(), Name::new(v.as_str())))
                .collect(),
        };
        let Ok(seen) = replay::observe(g, &rc) else {
            continue;
        };
        rc.expect_suspected = Some(
            seen.suspected
                .iter()
                .map(|s| Name::new(s.as_str()))
                .collect(),
        );
        rc.expect_checklist = Some(
            seen.checklist
                .iter()
                .take(n)
                .map(|s| Name::new(s.as_str()))
                .collect(),
        );
        out.push(rc);
    }
    out
}

/// The comment at the top of the file: where it came from and what to review.
fn header(doc: &Doc, g: &Guide, warnings: &[Warning]) -> Vec<String> {
    let mut h = vec![format!("Guide for {}: {}.", g.id, g.title)];
    let frame = doc
        .frames
        .iter()
        .find(|(_, f)| f.contains(g.id.as_str()))
        .or(doc.frames.first());
    if let Some((_, f)) = frame {
        h.push(format!(
            "Imported by `tshoot import` from the document \"{f}\"."
        ));
    } else {
        h.push("Imported by `tshoot import` from a Markdown troubleshooting document.".into());
    }
    h.push(String::new());
    h.push("REVIEW before shipping this guide:".into());
    h.push(
        "- A document has no branching, so every step asks whether its check points at one".into(),
    );
    h.push(
        "  of the common issues; its \"Yes\" answers suspect the issues whose words match the"
            .into(),
    );
    h.push(
        "  step. Rewrite the questions and answers as the engineer would really answer them."
            .into(),
    );
    h.push("- Each issue's `fixes` were guessed from shared words, best match first.".into());
    h.push("- The [[case]] tables at the end replay this flow (`tshoot test FILE`): update".into());
    h.push("  them with the flow, and add cases for the branches you write.".into());
    h.push("- Lines starting with REVIEW below mark other guesses.".into());
    if !warnings.is_empty() {
        h.push(format!(
            "- The import reported {} warning{} (text it could not place as written):",
            warnings.len(),
            if warnings.len() == 1 { "" } else { "s" }
        ));
        for w in warnings {
            h.push(format!("  line {}: {}", w.line, w.message));
        }
    }
    h
}

// ---------------------------------------------------------------------------------------------
// Writing TOML by hand: comments and the order of a guide file matter to the author, and a
// serializer keeps neither. A test parses the output back and compares it with the guide.

/// A TOML basic string; a multi-line one when the text has line breaks.
fn q(s: &str) -> String {
    let escape = |c: char, out: &mut String, multiline: bool| match c {
        '\\' => out.push_str("\\\\"),
        '"' => out.push_str("\\\""),
        '\n' if multiline => out.push('\n'),
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        c if c.is_control() => {
            let _ = write!(out, "\\u{:04X}", c as u32);
        }
        c => out.push(c),
    };
    let mut out = String::with_capacity(s.len() + 2);
    if s.contains('\n') {
        out.push_str("\"\"\"\n");
        for c in s.chars() {
            escape(c, &mut out, true);
        }
        out.push_str("\"\"\"");
    } else {
        out.push('"');
        for c in s.chars() {
            escape(c, &mut out, false);
        }
        out.push('"');
    }
    out
}

fn q_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let v: Vec<String> = items.into_iter().map(q).collect();
    format!("[{}]", v.join(", "))
}

/// Text for a TOML comment: on one line, with the control characters TOML does not allow in
/// comments written as escapes.
fn comment_text(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' | '\r' => " ".to_owned(),
            '\t' => "\t".to_owned(),
            c if c.is_control() => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect()
}

fn comment(out: &mut String, lines: &[String]) {
    for l in lines {
        if l.is_empty() {
            out.push_str("#\n");
        } else {
            let _ = writeln!(out, "# {}", comment_text(l));
        }
    }
}

fn banner(out: &mut String, title: &str) {
    let title = comment_text(title);
    let _ = writeln!(
        out,
        "\n# --- {title} {}",
        "-".repeat(88usize.saturating_sub(title.len() + 7))
    );
}

fn section_banner(out: &mut String, c: &Comments, kind: Kind, fallback: &str) {
    let found: Vec<String> = c
        .sections
        .iter()
        .filter(|(k, _, _)| *k == kind)
        .map(|(_, h, l)| format!("{h} (line {l})"))
        .collect();
    if found.is_empty() {
        banner(out, fallback);
    } else {
        banner(out, &found.join(", "));
    }
}

fn write(g: &Guide, c: &Comments) -> String {
    let mut o = String::new();
    comment(&mut o, &c.header);
    let _ = writeln!(o, "format = {}", g.format);
    comment(&mut o, &c.summary);
    let _ = writeln!(o, "id = {}", q(&g.id));
    let _ = writeln!(o, "title = {}", q(&g.title));
    if !g.summary.is_empty() {
        let _ = writeln!(o, "summary = {}", q(&g.summary));
    }
    if !g.aliases.is_empty() {
        let _ = writeln!(
            o,
            "aliases = {}",
            q_list(g.aliases.iter().map(|a| a.as_str()))
        );
    }
    if !g.links.is_empty() {
        section_banner(&mut o, c, Kind::Links, "Links");
    }
    for l in &g.links {
        let _ = writeln!(
            o,
            "\n[[link]]\ntitle = {}\nurl = {}",
            q(&l.title),
            q(&l.url)
        );
    }
    if !g.notes.is_empty() {
        section_banner(&mut o, c, Kind::Notes, "Notes");
    }
    for (k, n) in g.notes.iter().enumerate() {
        o.push_str("\n[[note]]\n");
        comment(&mut o, c.notes.get(k).map_or(&[], Vec::as_slice));
        let _ = writeln!(o, "title = {}\ntext = {}", q(&n.title), q(&n.text));
    }
    section_banner(&mut o, c, Kind::Diagnostics, "Diagnostic steps");
    for (k, s) in g.steps.iter().enumerate() {
        o.push_str("\n[[step]]\n");
        comment(&mut o, c.steps.get(k).map_or(&[], Vec::as_slice));
        let _ = writeln!(o, "id = {}\ntitle = {}", q(&s.id), q(&s.title));
        if !s.text.is_empty() {
            let _ = writeln!(o, "text = {}", q(&s.text));
        }
        if let Some(ask) = &s.ask {
            let _ = writeln!(o, "ask = {}", q(ask));
            o.push_str("answers = [\n");
            for a in &s.answers {
                let _ = write!(o, "  {{ label = {}", q(&a.label));
                if !a.suspect.is_empty() {
                    let _ = write!(
                        o,
                        ", suspect = {}",
                        q_list(a.suspect.iter().map(|n| n.as_str()))
                    );
                }
                o.push_str(" },\n");
            }
            o.push_str("]\n");
        }
    }
    if !g.issues.is_empty() {
        section_banner(&mut o, c, Kind::Issues, "Common issues");
    }
    for (k, i) in g.issues.iter().enumerate() {
        o.push_str("\n[[issue]]\n");
        comment(&mut o, c.issues.get(k).map_or(&[], Vec::as_slice));
        let _ = writeln!(o, "id = {}\ntitle = {}", q(&i.id), q(&i.title));
        if !i.text.is_empty() {
            let _ = writeln!(o, "text = {}", q(&i.text));
        }
        if !i.fixes.is_empty() {
            let _ = writeln!(o, "fixes = {}", q_list(i.fixes.iter().map(|n| n.as_str())));
        }
    }
    if !g.resolutions.is_empty() {
        section_banner(&mut o, c, Kind::Resolutions, "Resolutions");
    }
    for (k, r) in g.resolutions.iter().enumerate() {
        o.push_str("\n[[resolution]]\n");
        comment(&mut o, c.resolutions.get(k).map_or(&[], Vec::as_slice));
        let _ = writeln!(o, "id = {}\ntitle = {}", q(&r.id), q(&r.title));
        if !r.text.is_empty() {
            let _ = writeln!(o, "text = {}", q(&r.text));
        }
        if r.escalate {
            o.push_str("escalate = true\n");
        }
        o.push_str("tasks = [\n");
        for t in &r.tasks {
            let _ = writeln!(o, "  {},", q(t));
        }
        o.push_str("]\n");
    }
    if let Some(t) = &g.ticket {
        section_banner(&mut o, c, Kind::Ticket, "Support ticket");
        o.push_str("\n[ticket]\n");
        comment(
            &mut o,
            &["REVIEW: every field is required; relax `required` where the ticket can do without.".into()],
        );
        let _ = writeln!(o, "template = {}", q(&t.template));
        for (k, f) in t.fields.iter().enumerate() {
            o.push_str("\n[[ticket.field]]\n");
            comment(&mut o, c.fields.get(k).map_or(&[], Vec::as_slice));
            let _ = writeln!(o, "id = {}\nlabel = {}", q(&f.id), q(&f.label));
            if f.kind != FieldKind::Text {
                let kind = serde_json::to_value(f.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                let _ = writeln!(o, "kind = {}", q(&kind));
            }
            if f.required {
                o.push_str("required = true\n");
            }
            if let Some(d) = &f.default {
                let _ = writeln!(o, "default = {}", q(d));
            }
            if let Some(h) = &f.hint {
                let _ = writeln!(o, "hint = {}", q(h));
            }
        }
    }
    if !g.cases.is_empty() {
        banner(
            &mut o,
            "Replay cases (generated from the flow above; `tshoot test FILE` runs them)",
        );
    }
    for rc in &g.cases {
        let _ = writeln!(o, "\n[[case]]\nname = {}", q(&rc.name));
        o.push_str("answers = [\n");
        for a in &rc.answers {
            let _ = writeln!(o, "  {},", q(a.as_str()));
        }
        o.push_str("]\n");
        if let Some(s) = &rc.expect_suspected {
            let _ = writeln!(
                o,
                "expect_suspected = {}",
                q_list(s.iter().map(|n| n.as_str()))
            );
        }
        if let Some(s) = &rc.expect_checklist {
            let _ = writeln!(
                o,
                "expect_checklist = {}",
                q_list(s.iter().map(|n| n.as_str()))
            );
        }
        if !rc.expect_fields.is_empty() {
            let kv: Vec<String> = rc
                .expect_fields
                .iter()
                .map(|(k, v)| format!("{k} = {}", q(v)))
                .collect();
            let _ = writeln!(o, "expect_fields = {{ {} }}", kv.join(", "));
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_in_every_shape() {
        let cases = [
            (
                "**Verify User Sign-In:** Check it.",
                "Verify User Sign-In",
                "Check it.",
            ),
            (
                "**Verify User Sign-In**: Check it.",
                "Verify User Sign-In",
                "Check it.",
            ),
            (
                "**Review Session Handl**ing:",
                "Review Session Handling",
                "",
            ),
            ("**Re**view Session: text", "Review Session", "text"),
            (
                "**Force Re-authentication** - Prompt.",
                "Force Re-authentication",
                "Prompt.",
            ),
            ("**Bold only**", "Bold only", ""),
            ("Plain Title: body text", "Plain Title", "body text"),
        ];
        for (raw, title, body) in cases {
            let (t, b) = split_title(raw);
            assert_eq!(t.as_deref(), Some(title), "{raw}");
            assert_eq!(b, body, "{raw}");
        }
        let (t, b) = split_title("Restart the app. Then: sign in again.");
        assert_eq!(t, None);
        assert_eq!(b, "Restart the app. Then: sign in again.");
        let (t, _) = split_title("See https://example.com/x for more");
        assert_eq!(t, None);
    }

    #[test]
    fn words_drop_stop_words_and_stem() {
        let w = words("The user's Sessions are checked; configured configurations");
        let w: BTreeSet<&str> = w.keys().map(String::as_str).collect();
        assert!(w.contains("session"), "{w:?}");
        assert!(!w.contains("the") && !w.contains("user"), "{w:?}");
        assert!(w.contains("configur"), "{w:?}");
    }

    #[test]
    fn strings_round_trip_through_toml() {
        for s in [
            "plain",
            "quo\"te \\ back",
            "two\nlines \"\"\" here",
            "tab\tctl\u{1}",
        ] {
            let doc = format!("v = {}\n", q(s));
            let v: toml::Table = toml::from_str(&doc).unwrap_or_else(|e| panic!("{doc}: {e}"));
            assert_eq!(v["v"].as_str(), Some(s), "{doc}");
        }
    }

    #[test]
    fn ids_are_unique_and_never_a_stage() {
        let mut ids = Ids::default();
        assert_eq!(
            ids.make("User's Domain Verification", "x", '-'),
            "users-domain-verification"
        );
        assert_eq!(
            ids.make("User's Domain Verification", "x", '-'),
            "users-domain-verification-2"
        );
        assert_eq!(ids.make("Issues", "x", '-'), "issues-step");
        assert_eq!(ids.make("***", "fallback", '-'), "fallback");
        assert_eq!(
            Ids::default().make("Correlation ID", "f", '_'),
            "correlation_id"
        );
    }
}
