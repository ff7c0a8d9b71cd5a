//! Reading the document: Markdown becomes a [`Doc`](super::Doc) of sections of items, each
//! with its line number. Nothing here knows what a guide is.
//!
//! The structure (headings, lists and their nesting, paragraphs, code blocks, tables, block
//! quotes, HTML) comes from `pulldown-cmark`, a CommonMark parser with no dependencies of its
//! own here (default features off), whose offset iterator gives the source range of every
//! event, hence its line. The *text* of a paragraph or an item is then taken from the source
//! range and read by the rules of `inline.rs`, not from the parser's inline events: support
//! documents break bold in the middle of a word (`**Review Session Handl**ing:`), and the
//! title rule needs the marks as written.
//!
//! The YAML front matter (`---` ... `---`) is read by [`front_matter`], a reader of the flat
//! `key: value` subset such articles use (title, description, keywords; anything else,
//! lists and nesting ignored): a YAML crate would bring a whole data model for three strings,
//! and the well-known one (`serde_yaml`) is no longer maintained.

use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{BlockQuoteKind, Event, MetadataBlockKind, Options, Parser, Tag, TagEnd};
use regex::Regex;

use super::inline::{append, clean, split_title, strip_inline};
use super::{Callout, Doc, FrontMatter, ImportError, Item, Kind, Section};

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

static HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$").expect("heading pattern"));
/// "Cause", "Cause 2: The app is old", "Reason", "Scenario 1: ...".
static CAUSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:cause|reason|scenario|root cause)(?:\s+\d+)?\s*(?:[:.\-–—]\s*(.*))?$")
        .expect("cause pattern")
});
/// "Resolution", "Solution 2: ...", "Workaround", "Fix", "Method 1: ...", "For users".
static FIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:resolution|solution|workaround|fix|method|option)(?:\s+\d+)?\s*(?:[:.\-–—]\s*(.*))?$",
    )
    .expect("fix pattern")
});
/// "Step 2: Check the app's sign-in settings".
static STEP_CHECK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^step\s+\d+\s*[:.\-–—]\s*(check|verify|confirm|make sure|find|determine|look)")
        .expect("step check pattern")
});
static AUDIENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^for\s+(?:the\s+)?(users?|administrators?|admins?|developers?|it\s+admins?|end\s+users?)\b")
        .expect("audience pattern")
});

/// Which section a heading opens: first the headings of support articles (a single "Cause",
/// "Resolution", "Symptoms"), then by the words it starts (so "Tips" is notes, "Multiple" is
/// not).
pub(super) fn classify(heading: &str) -> Kind {
    let h = heading.to_lowercase();
    let t = h.trim();
    if CAUSE.is_match(t) {
        return Kind::Cause;
    }
    if FIX.is_match(t) || AUDIENCE.is_match(t) {
        return Kind::Fix;
    }
    if t.starts_with("symptom") || t.starts_with("what you see") || t == "problem" {
        return Kind::Symptoms;
    }
    if t.starts_with("verif")
        || t.starts_with("to check whether")
        || t.starts_with("check whether")
        || STEP_CHECK.is_match(t)
    {
        return Kind::Verify;
    }
    if t.starts_with("more information") || t == "references" || t.starts_with("next steps") {
        return Kind::Links;
    }
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

/// The title a "Cause 2: X" or "Solution: X" heading gives its issue or fix, if any.
pub(super) fn heading_title(heading: &str) -> Option<String> {
    let t = heading.trim();
    CAUSE
        .captures(t)
        .or_else(|| FIX.captures(t))
        .and_then(|c| c.get(1).map(|m| m.as_str().trim().to_owned()))
        .filter(|s| !s.is_empty())
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

/// 1-based line numbers of byte offsets.
struct Lines(Vec<usize>);

impl Lines {
    fn new(source: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        Self(starts)
    }
    fn of(&self, offset: usize) -> usize {
        self.0.partition_point(|&s| s <= offset)
    }
}

/// The front matter: its keys, and the byte offset where the document proper starts.
pub(super) fn front_matter(source: &str) -> (FrontMatter, usize) {
    let mut fm = FrontMatter::default();
    let Some(rest) = source
        .strip_prefix("---\n")
        .or_else(|| source.strip_prefix("---\r\n"))
    else {
        return (fm, 0);
    };
    let mut offset = source.len() - rest.len();
    let mut key: Option<String> = None;
    for line in rest.split_inclusive('\n') {
        offset += line.len();
        let l = line.trim_end();
        if l == "---" || l == "..." {
            fm.end_line = source[..offset].matches('\n').count();
            return (fm, offset);
        }
        let unquote = |v: &str| v.trim().trim_matches(['"', '\'']).trim().to_owned();
        if let Some(item) = l.trim_start().strip_prefix("- ") {
            if key.as_deref() == Some("keywords") {
                fm.keywords.push(unquote(item));
            }
            continue;
        }
        if l.starts_with([' ', '\t']) {
            continue;
        }
        if let Some((k, v)) = l.split_once(':') {
            let k = k.trim().to_lowercase();
            let v = unquote(v);
            match k.as_str() {
                "title" => fm.title = Some(v),
                "description" => fm.description = Some(v),
                "keywords" | "tags" => fm
                    .keywords
                    .extend(v.split(',').map(unquote).filter(|s| !s.is_empty())),
                _ => {}
            }
            key = Some(k);
        }
    }
    // No closing line: not front matter.
    (FrontMatter::default(), 0)
}

/// What a stretch of inline text belongs to.
enum Where {
    /// Outside lists: a paragraph of the section.
    Top,
    /// The text of a list item (at depth 1) or of a nested item.
    Item { nested: bool, first: bool },
}

struct Reader<'s> {
    src: &'s str,
    lines: Lines,
    doc: Doc,
    section: Section,
    /// Nesting of lists.
    depth: usize,
    /// Whether the innermost item has had its first text yet.
    item_first: bool,
    /// The inline text being collected, and the pieces of it to leave out (images, HTML).
    span: Option<Range<usize>>,
    cuts: Vec<Range<usize>>,
    /// Inside a callout: its kind, line and text.
    callout: Option<Callout>,
    /// Depth of elements whose events are skipped (tables, code blocks, metadata).
    skip: usize,
}

pub(super) fn parse(source: &str) -> Result<Doc, ImportError> {
    let (front, start) = front_matter(source);
    let lines = Lines::new(source);
    let mut r = Reader {
        src: source,
        lines,
        doc: Doc {
            front,
            ..Doc::default()
        },
        section: Section::new(Kind::Intro, "", 0),
        depth: 0,
        item_first: false,
        span: None,
        cuts: Vec::new(),
        callout: None,
        skip: 0,
    };
    // The title: the first line with text after the front matter.
    let mut title_end = start;
    let mut off = start;
    for l in source[start..].split_inclusive('\n') {
        let t = l.trim();
        if !(t.is_empty() || t.starts_with("<!--") && t.ends_with("-->")) {
            let text = HEADING
                .captures(l.trim_end())
                .map_or(t, |c| c.get(2).map_or(t, |m| m.as_str()));
            r.doc.title_line = Some((r.lines.of(off), text.to_owned()));
            title_end = off + l.len();
            break;
        }
        off += l.len();
    }
    if r.doc.title_line.is_none() {
        return Err(ImportError::Empty);
    }
    let mut opts = Options::ENABLE_TABLES
        | Options::ENABLE_GFM
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    opts.remove(Options::ENABLE_SMART_PUNCTUATION);
    for (event, range) in Parser::new_ext(source, opts).into_offset_iter() {
        if range.end <= start {
            continue;
        }
        r.event(event, range, title_end);
    }
    r.flush();
    r.doc.sections.push(r.section);
    let mut doc = r.doc;
    if !doc
        .sections
        .iter()
        .any(|s| !matches!(s.kind, Kind::Intro | Kind::Unknown))
    {
        return Err(ImportError::NoSections);
    }
    // The last paragraph of the last section, after all its items, closes the document.
    if let Some(last) = doc.sections.last_mut()
        && matches!(
            last.kind,
            Kind::Diagnostics | Kind::Issues | Kind::Resolutions | Kind::Ticket | Kind::Links
        )
        && let Some((line, _)) = last.paragraphs.last()
        && last.items.last().is_none_or(|i| i.line < *line)
    {
        doc.closing = last.paragraphs.pop();
    }
    Ok(doc)
}

impl Reader<'_> {
    #[expect(
        clippy::too_many_lines,
        reason = "one arm per Markdown event kind, each a few lines"
    )]
    fn event(&mut self, event: Event<'_>, range: Range<usize>, title_end: usize) {
        if self.skip > 0 {
            match event {
                Event::Start(Tag::Table(_) | Tag::CodeBlock(_) | Tag::MetadataBlock(_)) => {
                    self.skip += 1;
                }
                Event::End(TagEnd::Table | TagEnd::CodeBlock | TagEnd::MetadataBlock(_)) => {
                    self.skip -= 1;
                }
                _ => {}
            }
            return;
        }
        // The block holding the title line: a heading is the title; the rest of a paragraph
        // is the introduction.
        if range.start < title_end && self.depth == 0 {
            match event {
                Event::End(TagEnd::Paragraph) if self.span.is_some() => {}
                Event::Start(Tag::Heading { .. }) | Event::End(_) => {
                    self.span = None;
                    return;
                }
                Event::Start(Tag::Paragraph) => {
                    if range.end > title_end {
                        self.span = Some(title_end..title_end);
                    }
                    return;
                }
                Event::Start(Tag::MetadataBlock(MetadataBlockKind::YamlStyle)) => {
                    self.skip = 1;
                    return;
                }
                _ if self.span.is_none() => return,
                _ => {}
            }
        }
        match event {
            Event::Start(Tag::MetadataBlock(_)) => self.skip = 1,
            Event::Start(Tag::Heading { .. }) => {
                self.flush();
                self.span = None;
            }
            Event::End(TagEnd::Heading(_)) => {
                let text = self
                    .span
                    .take()
                    .map(|s| self.text_of(&s).join(" "))
                    .unwrap_or_default();
                self.cuts.clear();
                let h = strip_inline(&text);
                self.heading(h.trim_end_matches(':').trim(), self.lines.of(range.start));
            }
            Event::Start(Tag::List(_)) => {
                self.flush();
                self.depth += 1;
            }
            Event::End(TagEnd::List(_)) => {
                self.flush();
                self.depth -= 1;
            }
            Event::Start(Tag::Item) => {
                self.flush();
                let line = self.lines.of(range.start);
                if self.callout.is_some() {
                    self.item_first = true;
                } else if self.depth == 1 {
                    self.section.items.push(Item {
                        line,
                        ..Item::default()
                    });
                } else if let Some(item) = self.section.items.last_mut() {
                    item.details.push((line, String::new()));
                }
                self.item_first = true;
            }
            Event::Start(Tag::BlockQuote(kind)) => {
                self.flush();
                if let Some(kind) = kind {
                    let title = match kind {
                        BlockQuoteKind::Note => "Note",
                        BlockQuoteKind::Tip => "Tip",
                        BlockQuoteKind::Important => "Important",
                        BlockQuoteKind::Warning => "Warning",
                        BlockQuoteKind::Caution => "Caution",
                    };
                    self.callout = Some(Callout {
                        line: self.lines.of(range.start),
                        title: title.to_owned(),
                        text: String::new(),
                    });
                }
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                self.flush();
                if let Some(c) = self.callout.take() {
                    if c.text.is_empty() {
                        self.doc.dropped.other.push(c.line);
                    } else {
                        self.doc.callouts.push(c);
                    }
                }
            }
            Event::Start(Tag::CodeBlock(_)) => {
                self.flush();
                self.skip = 1;
                self.code_block(&range);
            }
            Event::Start(Tag::Table(_)) => {
                self.flush();
                self.skip = 1;
                let line = self.lines.of(range.start);
                let rows: Vec<&str> = self.src[range]
                    .lines()
                    .map(|l| l.trim().trim_start_matches('>').trim())
                    .filter(|l| !l.is_empty())
                    .collect();
                self.block_text(line, rows.join("\n"));
            }
            Event::Html(html) => {
                let line = self.lines.of(range.start);
                if html.trim_start().starts_with("<!--") {
                    if !self.doc.dropped.comments.contains(&line) {
                        self.doc.dropped.comments.push(line);
                    }
                } else if !html.trim().is_empty() && !self.doc.dropped.other.contains(&line) {
                    self.doc.dropped.other.push(line);
                }
            }
            Event::InlineHtml(_) => self.cuts.push(range),
            Event::Start(Tag::Image { .. }) => {
                self.doc.dropped.images.push(self.lines.of(range.start));
                self.extend(&range);
                self.cuts.push(range);
            }
            Event::Start(
                Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. },
            )
            | Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image,
            )
            | Event::Text(_)
            | Event::Code(_)
            | Event::FootnoteReference(_)
            | Event::TaskListMarker(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => self.extend(&range),
            Event::SoftBreak | Event::HardBreak => {}
            // Paragraphs, the end of an item, other blocks (HTML, footnotes, definition
            // lists) end what came before them.
            Event::Start(_) | Event::End(_) | Event::Rule => self.flush(),
        }
    }

    fn extend(&mut self, range: &Range<usize>) {
        match &mut self.span {
            Some(s) => s.end = s.end.max(range.end),
            None => self.span = Some(range.clone()),
        }
    }

    /// The lines of a stretch of source, trimmed, with quote marks and cut pieces removed.
    fn text_of(&self, span: &Range<usize>) -> Vec<String> {
        let mut text = String::new();
        let mut at = span.start;
        for cut in self.cuts.iter().filter(|c| c.start >= span.start) {
            if cut.start >= at && cut.end <= span.end {
                text.push_str(&self.src[at..cut.start]);
                at = cut.end;
            }
        }
        text.push_str(&self.src[at..span.end.max(at)]);
        text.lines()
            .map(|l| l.trim().trim_start_matches('>').trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect()
    }

    /// The inline text collected so far goes where it belongs.
    fn flush(&mut self) {
        let Some(span) = self.span.take() else {
            return;
        };
        let lines = self.text_of(&span);
        self.cuts.clear();
        if lines.is_empty() {
            return;
        }
        let line = self.lines.of(span.start);
        let joined = lines.join(" ");
        if let Some(what) = dropped_markup(&joined) {
            let d = &mut self.doc.dropped;
            match what {
                Markup::Include => d.includes.push(line),
                Markup::Image => d.images.push(line),
                Markup::Video => d.videos.push(line),
            }
            return;
        }
        if let Some(c) = &mut self.callout {
            let text: Vec<String> = lines.iter().map(|l| clean(l)).collect();
            let text = text.join(" ");
            let prefix = if self.depth > 0 && self.item_first {
                "- "
            } else {
                ""
            };
            self.item_first = false;
            let sep = if prefix.is_empty() { "\n\n" } else { "\n" };
            if !c.text.is_empty() {
                c.text.push_str(sep);
            }
            c.text.push_str(prefix);
            c.text.push_str(&text);
            return;
        }
        let place = if self.depth == 0 || self.section.items.is_empty() {
            Where::Top
        } else {
            Where::Item {
                nested: self.depth > 1,
                first: self.item_first,
            }
        };
        self.item_first = false;
        match place {
            Where::Top => self.top_lines(line, &lines),
            Where::Item { nested, first } => {
                let Some(item) = self.section.items.last_mut() else {
                    return;
                };
                let rest: Vec<String> = lines.iter().skip(1).map(|l| clean(l)).collect();
                if nested && let Some((_, d)) = item.details.last_mut() {
                    append(d, &clean(&lines[0]), !first);
                    for r in rest {
                        append(d, &r, false);
                    }
                } else if first && !nested {
                    let (title, body) = split_title(&lines[0]);
                    item.title = title;
                    item.body = body;
                    for r in rest {
                        append(&mut item.body, &r, false);
                    }
                } else {
                    append(&mut item.body, &clean(&lines[0]), true);
                    for r in rest {
                        append(&mut item.body, &r, false);
                    }
                }
            }
        }
    }

    /// A paragraph outside lists: a bold line may be a heading, `**Description:**` the
    /// description; the rest is a paragraph of the section.
    fn top_lines(&mut self, line: usize, lines: &[String]) {
        let mut para: Option<(usize, String)> = None;
        for (k, l) in lines.iter().enumerate() {
            let no = line + k;
            if let Some(h) = bold_heading(l).filter(|h| !matches!(classify(h), Kind::Unknown)) {
                if let Some(p) = para.take() {
                    self.section.paragraphs.push(p);
                }
                self.heading(h.trim_end_matches(':').trim(), no);
                continue;
            }
            // "**Cause:** text": an article's heading with its first sentence on the line.
            if let (Some(title), body) = split_title(l)
                && l.starts_with("**")
                && matches!(
                    classify(&title),
                    Kind::Symptoms | Kind::Cause | Kind::Fix | Kind::Verify
                )
            {
                if let Some(p) = para.take() {
                    self.section.paragraphs.push(p);
                }
                self.heading(&title, no);
                if !body.is_empty() {
                    para = Some((no, body));
                }
                continue;
            }
            if let Some(rest) = l
                .strip_prefix("**Description:**")
                .or_else(|| l.strip_prefix("**Description**:"))
            {
                if let Some(p) = para.take() {
                    self.section.paragraphs.push(p);
                }
                self.doc.description = Some((no, clean(rest)));
                continue;
            }
            match &mut para {
                Some((_, p)) => append(p, &clean(l), false),
                None => para = Some((no, clean(l))),
            }
        }
        if let Some(p) = para {
            self.section.paragraphs.push(p);
        }
    }

    /// Text kept as written (a table): a paragraph of the section, or a detail of the item.
    fn block_text(&mut self, line: usize, text: String) {
        if let Some(c) = &mut self.callout {
            append(&mut c.text, &text, true);
        } else if self.depth > 0
            && let Some(item) = self.section.items.last_mut()
        {
            item.details.push((line, text));
        } else {
            self.section.paragraphs.push((line, text));
        }
    }

    fn code_block(&mut self, range: &Range<usize>) {
        let first = self.lines.of(range.start);
        let block = &self.src[range.clone()];
        let mut body: Vec<&str> = block.lines().collect();
        let fenced = body.first().is_some_and(|l| {
            l.trim_start().starts_with("```") || l.trim_start().starts_with("~~~")
        });
        let mut at = first;
        if fenced {
            body.remove(0);
            at += 1;
            if body.last().is_some_and(|l| {
                l.trim_start().starts_with("```") || l.trim_start().starts_with("~~~")
            }) {
                body.pop();
            }
        }
        for (k, l) in body.iter().enumerate() {
            self.section.code.push((at + k, l.trim_end().to_owned()));
        }
    }

    fn heading(&mut self, h: &str, line: usize) {
        let kind = classify(h);
        self.doc.sections.push(std::mem::replace(
            &mut self.section,
            Section::new(kind, h, line),
        ));
        if kind == Kind::Intro {
            self.doc.frames.push((line, h.to_owned()));
        }
    }
}

enum Markup {
    Include,
    Image,
    Video,
}

/// Documentation-site markup that has no place in a guide: `[!INCLUDE ...]`, `:::image ...:::`,
/// `[!VIDEO ...]`.
fn dropped_markup(text: &str) -> Option<Markup> {
    let t = text.trim().to_lowercase();
    if t.starts_with("[!include") {
        Some(Markup::Include)
    } else if t.starts_with(":::image") || t.starts_with(":::") {
        Some(Markup::Image)
    } else if t.starts_with("[!video") || t.starts_with("> [!video") {
        Some(Markup::Video)
    } else {
        None
    }
}
