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
//!
//! # Stages and files
//!
//! ```text
//! HTML --htmd--> Markdown --read.rs--> Doc --shape.rs--> Doc --build.rs--> Guide + Comments --write.rs--> TOML
//! ```
//!
//! Support articles ("Symptoms", "Cause 2: X", "Resolution" under a cause, "For users",
//! "Verification", "This issue occurs if:" lists) are turned by `shape.rs` into the sections
//! the builder knows, each fix linked to the causes above it by position instead of by
//! shared words.
//!
//! 1. **Reading** (`read.rs`, on `pulldown-cmark`) turns the lines into a `Doc`: the title line, the framing
//!    headings, the description, and the `Section`s, each of a `Kind` and holding its
//!    list `Item`s (title, body, nested details), its loose paragraphs and its code lines.
//!    Everything carries its 1-based source line. This is plain data with no behaviour:
//!    reading knows nothing of guides, and building never looks at the Markdown lines again
//!    (nothing but [`import`] calls into `read.rs`). A reader built on a CommonMark parser
//!    can replace `read.rs` as long as it fills these same types. The rules for inline text
//!    (`inline.rs`: bold and links removed, a bold title split from its text) are shared by
//!    both stages and can stay.
//! 2. **Building** (`build.rs`) makes the [`Guide`] from the `Doc` and collects what the
//!    author should review; it uses `words.rs` (word overlap, to link steps, issues and
//!    fixes), `links.rs` (links found in text), `ticket.rs` (the ticket section) and
//!    `cases.rs` (the replay cases generated from the flow).
//! 3. **Writing** (`write.rs`) prints the guide as commented TOML, by hand.
//!
//! The unit tests are in `tests.rs`.

mod build;
mod cases;
mod inline;
mod links;
mod read;
mod shape;
#[cfg(test)]
mod tests;
mod ticket;
mod words;
mod write;

pub use links::absolute_links;
use thiserror::Error;

use crate::guide::Guide;

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
    #[error("the HTML could not be read: {0}")]
    Html(String),
}

/// The result of an import: the guide, its commented TOML, and the warnings.
#[derive(Debug, Clone)]
pub struct Imported {
    pub guide: Guide,
    /// The guide file to write: the guide with comments for the author.
    pub toml: String,
    pub warnings: Vec<Warning>,
    /// Documentation markup left out of the guide, by kind, with the lines it stood on.
    pub dropped: Dropped,
    /// Per part of the guide ("step check-the-log", "issue idle-timeout"), where in the source
    /// it came from ("line 12"), for `tshoot import --explain`.
    pub sources: Vec<(String, String)>,
}

/// What the import left out on purpose: markup of documentation sites that has no place in a
/// guide. Each list holds the 1-based source lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dropped {
    /// HTML comments.
    pub comments: Vec<usize>,
    /// `[!INCLUDE ...]` lines.
    pub includes: Vec<usize>,
    /// Images (`![...](...)`, `:::image ...:::`).
    pub images: Vec<usize>,
    /// `[!VIDEO ...]` embeds.
    pub videos: Vec<usize>,
    /// Other HTML blocks, empty callouts.
    pub other: Vec<usize>,
}

impl Dropped {
    /// How many pieces were left out in all.
    pub fn total(&self) -> usize {
        self.comments.len()
            + self.includes.len()
            + self.images.len()
            + self.videos.len()
            + self.other.len()
    }
}

/// Convert a Markdown troubleshooting document. `name` (the file's stem) is the id of last
/// resort when the document names no error code.
pub fn import(source: &str, name: &str) -> Result<Imported, ImportError> {
    let mut doc = read::parse(source)?;
    shape::shape(&mut doc);
    Ok(build::build(&doc, name))
}

/// Convert an HTML troubleshooting document (an export of a knowledge base such as Confluence):
/// it becomes Markdown first, then imports as [`import`] does. Lines in warnings are lines
/// of that Markdown, and HTML comments are counted before the conversion drops them.
///
/// The converter is `htmd`, on `html5ever` (the parser of Servo, which reads any HTML a browser
/// would, broken or not): `cargo tree -p htmd` shows 39 crates, most of them shared with the
/// rest of tshoot or small (`markup5ever`, `tendril`, `string_cache`). A scraping crate such
/// as `scraper` sits on the same parser but would leave the walk from elements to headings,
/// lists and tables to us; converting to Markdown reuses the whole Markdown reader, so HTML
/// documents get every shape it knows.
pub fn import_html(source: &str, name: &str) -> Result<Imported, ImportError> {
    let comments = source.matches("<!--").count();
    let markdown = htmd::convert(source).map_err(|e| ImportError::Html(e.to_string()))?;
    let mut doc = read::parse(&markdown)?;
    doc.dropped
        .comments
        .extend(std::iter::repeat_n(0, comments));
    shape::shape(&mut doc);
    Ok(build::build(&doc, name))
}

// ---------------------------------------------------------------------------------------------
// The seam between reading and building: the document as plain data, every part with its line.

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
    // The headings of support articles, which `shape.rs` turns into the kinds above.
    /// "Symptoms", "What you see": the summary and the first diagnostic step's text.
    Symptoms,
    /// "Cause", "Cause 2: X", "Reason": one issue (or one per item of a list it introduces).
    Cause,
    /// "Resolution", "Solution", "Workaround", "Fix", "For users": one resolution, linked to
    /// the cause above it.
    Fix,
    /// "Verification", "To check whether ...": diagnostic steps.
    Verify,
}

/// YAML front matter: the keys the import reads.
#[derive(Debug, Clone, Default)]
struct FrontMatter {
    title: Option<String>,
    description: Option<String>,
    keywords: Vec<String>,
    /// Line of the closing `---` (0 without front matter).
    end_line: usize,
}

/// A `> [!NOTE]` callout: its kind as a title, its text.
#[derive(Debug, Clone)]
struct Callout {
    line: usize,
    title: String,
    text: String,
}

/// A list item: a title (when it has one), its text, and nested details.
#[derive(Debug, Clone, Default)]
struct Item {
    /// Line of the item's marker (`-`, `1.`).
    line: usize,
    title: Option<String>,
    body: String,
    /// Nested list items and indented paragraphs, each with its line.
    details: Vec<(usize, String)>,
    /// For a resolution: the issues (indices in document order) it stands under, so it fixes
    /// them by position rather than by shared words.
    fixes: Vec<usize>,
}

/// The lines under one heading.
#[derive(Debug, Clone)]
struct Section {
    kind: Kind,
    /// The heading's text (without `#`, bold or a final colon); empty before the first one.
    heading: String,
    /// Line of the heading (0 for the part before the first heading).
    line: usize,
    items: Vec<Item>,
    /// Text outside the list, one entry per paragraph.
    paragraphs: Vec<(usize, String)>,
    /// Lines of fenced code blocks.
    code: Vec<(usize, String)>,
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
    front: FrontMatter,
    /// The "Symptoms" text, with its line.
    symptoms: Option<(usize, String)>,
    callouts: Vec<Callout>,
    dropped: Dropped,
}
