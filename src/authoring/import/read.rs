//! Reading the document: Markdown lines become a [`Doc`](super::Doc) of sections of items,
//! each with its line number. Nothing here knows what a guide is.

use std::sync::LazyLock;

use regex::Regex;

use super::inline::{append, clean, split_title, strip_inline};
use super::{Doc, ImportError, Item, Kind, Section};

impl Section {
    fn new(kind: Kind, heading: &str, line: usize) -> Self {
        Self {
            kind,
            heading: heading.to_owned(),
            line,
            items: Vec::new(),
            paragraphs: Vec::new(),
            code: Vec::new(),
        }
    }
}

static ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\s*)(?:\d{1,3}[.)]|[-*+•])\s+(.*)$").expect("item pattern"));
static HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$").expect("heading pattern"));
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

#[expect(
    clippy::too_many_lines,
    reason = "one arm per Markdown event kind; the importer is to be rewritten on a CommonMark parser"
)]
pub(super) fn parse(source: &str) -> Result<Doc, ImportError> {
    let mut doc = Doc::default();
    let mut section = Section::new(Kind::Intro, "", 0);
    // Indent of the current section's top-level items.
    let mut base_indent: Option<usize> = None;
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
            base_indent = None;
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
            let base = *base_indent.get_or_insert(indent);
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
            .filter(|_| in_item && (indent > base_indent.unwrap_or(0) || !prev_blank));
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
