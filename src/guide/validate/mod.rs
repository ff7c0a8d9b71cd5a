//! Reading a guide file: TOML syntax and types, then the checks that make it a sound state
//! machine. Everything is reported as [`Diagnostic`]s with `path:line:col`; nothing panics,
//! whatever the input.
//!
//! Errors make a guide unusable (it is listed with its problem, never opened); warnings are
//! shown by `tshoot check` and do not stop the guide from loading. Replay cases are the
//! exception: a case that no longer fits the guide is an error for `tshoot check` (exit 1)
//! and a failure for `tshoot test`, but the guide still loads. A stale test must not take a
//! guide away from the engineers who use it.
//!
//! Files: this one reads the TOML (syntax and type errors mapped to the key they are about)
//! and holds the [`Checker`] that collects diagnostics; `rules.rs` the whole-guide checks
//! (meta, unique ids, steps, references, flow, ticket, unused, texts, dead ends), `cases.rs`
//! the replay cases, `text.rs` the text rules shared with the wizard (invisible characters,
//! placeholders, field values, GUIDs).

use std::collections::HashMap;
use std::ops::Range;

use super::Name;
use super::diag::{Diagnostic, Severity};
use super::model::{FORMAT, FieldKind, Guide, ReplayCase, STAGE_TARGETS};

mod cases;
mod rules;
mod text;

pub use text::{check_value, is_guid, is_invisible, placeholders};
use text::{placeholder_spans, suggest};

/// Guides larger than this are refused before parsing.
pub const MAX_GUIDE_BYTES: usize = 4 * 1024 * 1024;

/// A parsed guide with its warnings, or the errors (and warnings) that stop it.
pub type Parsed = Result<(Guide, Vec<Diagnostic>), Vec<Diagnostic>>;

/// Parse and validate one guide's source. `path` is only used in messages.
pub fn parse(path: &str, source: &str) -> Parsed {
    if source.len() > MAX_GUIDE_BYTES {
        return Err(vec![
            Diagnostic::nowhere(
                Severity::Error,
                path,
                format!(
                    "file is {} bytes; guides are limited to {} bytes",
                    source.len(),
                    MAX_GUIDE_BYTES
                ),
            )
            .with_help("is this really a guide? split very large guides into several")
            .with_code("too-large"),
        ]);
    }
    if let Some(at) = source.find('\0') {
        return Err(vec![
            Diagnostic::at(
                Severity::Error,
                path,
                source,
                at..at + 1,
                "file holds a NUL byte: it is binary, not a TOML guide",
            )
            .with_help("guides are UTF-8 text files; check that the right file was named")
            .with_code("binary"),
        ]);
    }
    if source.trim().is_empty() {
        return Err(vec![
            Diagnostic::at(
                Severity::Error,
                path,
                source,
                0..source.len(),
                "the file is empty",
            )
            .with_help(
                "a guide needs at least `format = 1`, `id = \"...\"`, `title = \"...\"` and one [[step]] table",
            )
            .with_code("empty-file"),
        ]);
    }
    match toml::from_str::<Guide>(source) {
        Ok(guide) => {
            let diags = validate(&guide, path, source);
            if diags.iter().any(blocks_loading) {
                Err(diags)
            } else {
                Ok((guide, diags))
            }
        }
        Err(e) => Err(vec![from_toml_error(path, source, &e)]),
    }
}

/// A `NAME.cases.toml` file: replay cases kept beside the guide `NAME.toml`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CasesFile {
    #[serde(default, rename = "case")]
    cases: Vec<ReplayCase>,
}

/// [`parse`], then the replay cases of `cases` (path and source of a `NAME.cases.toml`), if
/// given, checked against the guide and added to it. Problems in the cases file are reported
/// with its own path and lines.
pub fn parse_with_cases(path: &str, source: &str, cases: Option<(&str, &str)>) -> Parsed {
    let (mut guide, mut diags) = parse(path, source)?;
    let Some((cases_path, cases_source)) = cases else {
        return Ok((guide, diags));
    };
    match toml::from_str::<CasesFile>(cases_source) {
        Ok(file) => {
            diags.extend(validate_cases(
                &guide,
                &file.cases,
                cases_path,
                cases_source,
            ));
            guide.cases.extend(file.cases);
        }
        Err(e) => diags.push(from_toml_error(cases_path, cases_source, &e)),
    }
    // Problems of the cases file never stop the guide (see the module doc).
    Ok((guide, diags))
}

/// Rules about replay cases: errors for `check`, yet the guide loads.
const CASE_RULES: [&str; 3] = ["case-answer", "case-reference", "case-name"];

/// Whether a diagnostic keeps its guide from loading.
fn blocks_loading(d: &Diagnostic) -> bool {
    d.is_error() && !CASE_RULES.contains(&d.code)
}

fn from_toml_error(path: &str, source: &str, e: &toml::de::Error) -> Diagnostic {
    // A guide from a newer format fails on keys this build does not know: say that instead.
    if let Some(v) = declared_format(source)
        && v != i64::from(FORMAT)
    {
        let span = key_span(source, "format").unwrap_or(0..0);
        return Diagnostic::at(
            Severity::Error,
            path,
            source,
            span,
            format!("guide format {v} is not supported; this tshoot reads format {FORMAT}"),
        )
        .with_help(if v > i64::from(FORMAT) {
            "update tshoot to read this guide"
        } else {
            "set `format = 1`"
        })
        .with_code("unsupported-format");
    }
    let message = e.message().trim_end().replace('\n', "; ");
    let mut d = match e.span() {
        Some(span) => Diagnostic::at(Severity::Error, path, source, span, message),
        // The parser's nesting limit comes without a place: point at the most nested line.
        None if e.message().contains("recursion limit") => Diagnostic::at(
            Severity::Error,
            path,
            source,
            most_nested_line(source),
            "nested too deeply (arrays, inline tables or dotted keys)",
        )
        .with_help("guides need only a few levels of nesting; flatten this value"),
        None => Diagnostic::nowhere(Severity::Error, path, message),
    };
    if e.message().contains("unknown field") {
        d = d
            .with_help(unknown_key_help(e.message()))
            .with_code("unknown-key");
    } else if e.message().contains("missing field") {
        d = d
            .with_help("add the missing key to this table")
            .with_code("missing-key");
    } else if e.message().starts_with("invalid type")
        || e.message().starts_with("invalid value")
        || e.message().starts_with("invalid length")
    {
        d = d.with_code("wrong-type");
    } else {
        d = d.with_code("syntax");
    }
    d
}

/// The first character of the line with the most opening brackets, braces and dots.
fn most_nested_line(source: &str) -> Range<usize> {
    let mut best = (0, 0);
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let n = line
            .bytes()
            .filter(|b| matches!(b, b'[' | b'{' | b'.'))
            .count();
        if n > best.1 {
            best = (offset, n);
        }
        offset += line.len();
    }
    best.0..best.0 + 1
}

/// Help for serde's "unknown field `asks`, expected one of `id`, `ask`, ...": the nearest key.
fn unknown_key_help(message: &str) -> String {
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    if let Some((wrong, keys)) = quoted.split_first() {
        let help = suggest(wrong, keys, "");
        if help.starts_with("did you mean") {
            return help;
        }
    }
    "check the key's spelling; `tshoot schema` lists every key".to_owned()
}

fn declared_format(source: &str) -> Option<i64> {
    let table: toml::Table = toml::from_str(source).ok()?;
    table.get("format")?.as_integer()
}

/// Byte span of the value of top-level `key = ...`, found textually (top-level keys come
/// before the first table header).
fn key_span(source: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let (start, rest) = find_key(source, key, true)?;
    let value = rest.split('#').next().unwrap_or("").trim_end();
    Some(start..start + value.len())
}

/// The first line `key = value` (any table unless `top_level`), found textually: the byte
/// offset of the value and the rest of that line from there.
fn find_key<'a>(source: &'a str, key: &str, top_level: bool) -> Option<(usize, &'a str)> {
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let t = line.trim_start();
        if top_level && t.starts_with('[') {
            return None;
        }
        if let Some(v) = t
            .strip_prefix(key)
            .and_then(|rest| rest.trim_start().strip_prefix('='))
        {
            let v = v.trim_start();
            return Some((offset + line.len() - v.len(), v.trim_end()));
        }
        offset += line.len();
    }
    None
}

/// The checks that need the whole guide. Returns errors and warnings.
pub fn validate(guide: &Guide, path: &str, source: &str) -> Vec<Diagnostic> {
    let mut c = Checker::new(path, source);
    c.check_meta(guide);
    c.check_unique(guide);
    c.check_steps(guide);
    c.check_references(guide);
    c.check_flow(guide);
    c.check_ticket(guide);
    c.check_unused(guide);
    c.check_texts(guide);
    c.check_dead_ends(guide);
    c.check_hollow(guide);
    c.check_cases(guide, &guide.cases, &[]);
    if c.suppressed > 0 {
        let sev = if c.suppressed_error {
            Severity::Error
        } else {
            Severity::Warning
        };
        c.out.push(
            Diagnostic::nowhere(
                sev,
                path,
                format!(
                    "{} more problems not shown (only the first {MAX_DIAGNOSTICS} are reported)",
                    c.suppressed
                ),
            )
            .with_code("too-many-problems"),
        );
    }
    c.out
}

/// Diagnostics reported per guide before the rest are only counted. Locating one costs a
/// scan of the source, so a huge generated guide with a problem on every step would otherwise
/// take quadratic time, and nobody reads past the first screens anyway.
pub const MAX_DIAGNOSTICS: usize = 200;

struct Checker<'a> {
    path: &'a str,
    source: &'a str,
    out: Vec<Diagnostic>,
    /// Problems past [`MAX_DIAGNOSTICS`]: how many, and whether any was an error.
    suppressed: usize,
    suppressed_error: bool,
    /// Where the messages of suppressed problems go.
    scratch: Diagnostic,
}

impl<'a> Checker<'a> {
    fn new(path: &'a str, source: &'a str) -> Self {
        Self {
            path,
            source,
            out: Vec::new(),
            suppressed: 0,
            suppressed_error: false,
            scratch: Diagnostic::nowhere(Severity::Warning, path, ""),
        }
    }

    fn at(
        &mut self,
        sev: Severity,
        code: &'static str,
        name: &Name,
        msg: impl Into<String>,
    ) -> &mut Diagnostic {
        self.push_at(sev, code, name.span(), msg)
    }

    /// A diagnostic at byte `span` of the source (`0..0`: the whole file).
    fn push_at(
        &mut self,
        sev: Severity,
        code: &'static str,
        span: Range<usize>,
        msg: impl Into<String>,
    ) -> &mut Diagnostic {
        if self.out.len() >= MAX_DIAGNOSTICS {
            self.suppressed += 1;
            self.suppressed_error |= sev == Severity::Error;
            return &mut self.scratch;
        }
        self.out
            .push(Diagnostic::at(sev, self.path, self.source, span, msg).with_code(code));
        self.out.last_mut().expect("just pushed")
    }

    /// [`suggest`], skipped once diagnostics are only counted (it scans every candidate).
    fn suggest(&self, wrong: &str, candidates: &[&str], expected: &str) -> String {
        if self.out.len() >= MAX_DIAGNOSTICS {
            String::new()
        } else {
            suggest(wrong, candidates, expected)
        }
    }

    fn error(
        &mut self,
        code: &'static str,
        name: &Name,
        msg: impl Into<String>,
    ) -> &mut Diagnostic {
        self.at(Severity::Error, code, name, msg)
    }

    fn warn(&mut self, code: &'static str, name: &Name, msg: impl Into<String>) -> &mut Diagnostic {
        self.at(Severity::Warning, code, name, msg)
    }
}

/// Check replay cases read from `path` (a `NAME.cases.toml` beside the guide) against the
/// guide they belong to.
pub fn validate_cases(
    guide: &Guide,
    cases: &[ReplayCase],
    path: &str,
    source: &str,
) -> Vec<Diagnostic> {
    let mut c = Checker::new(path, source);
    let known: Vec<&str> = guide.cases.iter().map(|c| c.name.as_str()).collect();
    c.check_cases(guide, cases, &known);
    c.out
}

/// Step id -> index of its first step; the stage names are left out (a step cannot take them).
fn step_index(g: &Guide) -> HashMap<&str, usize> {
    let mut index = HashMap::with_capacity(g.steps.len());
    for (i, s) in g.steps.iter().enumerate() {
        if !STAGE_TARGETS.contains(&s.id.as_str()) {
            index.entry(s.id.as_str()).or_insert(i);
        }
    }
    index
}

fn check_id(c: &mut Checker<'_>, id: &Name, what: &str) {
    if id.trim().is_empty() {
        c.error("bad-id", id, format!("{what} is empty"));
    } else if id.chars().any(|ch| ch.is_whitespace() || ch.is_control()) {
        c.error(
            "bad-id",
            id,
            format!(
                "{what} \"{}\" holds spaces or control characters",
                id.escape_debug()
            ),
        )
        .help = Some("ids are single words such as \"verify-sign-in\"".into());
    } else if let Some(ch) = id.chars().find(|&ch| is_invisible(ch)) {
        c.error(
            "bad-id",
            id,
            format!(
                "{what} \"{}\" holds the invisible character U+{:04X}",
                id.escape_debug(),
                u32::from(ch)
            ),
        )
        .help = Some(
            "delete it (zero-width and text-direction characters make two ids look alike)".into(),
        );
    }
}
