//! Inline text, shared by reading and building: Markdown inline marks removed ([`clean`]),
//! a list item's bold title split from its text ([`split_title`]), paragraphs joined
//! ([`append`]). These are rules about text, not about the document's structure, so a new
//! reader can keep them.

use std::sync::LazyLock;

use regex::Regex;

static MD_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\]]*)\]\(([^)\s]+)\)").expect("link pattern"));

/// Adds `more` to `text`, as a new paragraph or on the same one.
pub(super) fn append(text: &mut String, more: &str, new_paragraph: bool) {
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
pub(super) fn split_title(raw: &str) -> (Option<String>, String) {
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
pub(super) fn clean(s: &str) -> String {
    let s = strip_inline(s);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(super) fn strip_inline(s: &str) -> String {
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
