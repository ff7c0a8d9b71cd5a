//! Diagnostics: problems found in a guide file, located and printed like a compiler's.
//!
//! ```text
//! guides/broken.toml:12:8: error: answer leads to unknown step "reveiw-context"
//!    |
//! 12 | next = "reveiw-context"
//!    |        ^^^^^^^^^^^^^^^^
//!    = help: did you mean "review-context"?
//! ```

use std::fmt;
use std::ops::Range;

use serde::Serialize;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One located problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The rule that found it, stable across releases (e.g. "unreachable-step"; see [`RULES`]).
    /// Empty for problems outside guide files (the config file).
    #[serde(skip_serializing_if = "str::is_empty")]
    pub code: &'static str,
    /// The file as the user named it ("<bundled>/x.toml" for bundled guides).
    pub path: String,
    /// 1-based line and column (in characters); 0 when the problem has no place.
    pub line: usize,
    pub col: usize,
    /// What is wrong.
    pub message: String,
    /// What to do about it, when there is something specific to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The offending source line, for display.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// Width of the underline under `source_line`, in characters.
    #[serde(skip)]
    pub width: usize,
}

impl Diagnostic {
    /// A diagnostic at `span` (byte range) of `source`.
    pub fn at(
        severity: Severity,
        path: &str,
        source: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let mut d = Self::nowhere(severity, path, message);
        if span.start <= source.len() && (span.start > 0 || !span.is_empty() || source.is_empty()) {
            let (line, col, text) = locate(source, span.start);
            let end = span.end.min(source.len()).max(span.start);
            // Underline up to the end of the first line of the span.
            let width = source
                .get(span.start..end)
                .map_or(1, |s| s.lines().next().unwrap_or("").chars().count())
                .max(1);
            d.line = line;
            d.col = col;
            d.source_line = Some(text.to_owned());
            d.width = width;
        }
        d
    }

    /// A diagnostic about the file as a whole.
    pub fn nowhere(severity: Severity, path: &str, message: impl Into<String>) -> Self {
        Self {
            severity,
            code: "",
            path: path.to_owned(),
            line: 0,
            col: 0,
            message: message.into(),
            help: None,
            source_line: None,
            width: 0,
        }
    }

    /// The rule's code (one of [`RULES`]).
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col: severity: message [code]`, the first line of the display. The code
    /// comes last (as in GCC's `[-Wunused]`), so the start of the line reads the same with or
    /// without it.
    pub fn headline(&self) -> String {
        let code = if self.code.is_empty() {
            String::new()
        } else {
            format!(" [{}]", self.code)
        };
        if self.line == 0 {
            format!("{}: {}: {}{code}", self.path, self.severity, self.message)
        } else {
            format!(
                "{}:{}:{}: {}: {}{code}",
                self.path, self.line, self.col, self.severity, self.message
            )
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.headline())?;
        if let Some(src) = &self.source_line {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            let chars: Vec<char> = src
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            // A very long line (minified or generated guides) is shown as an excerpt around
            // the column, so one diagnostic stays a few lines of terminal.
            let col = self.col.saturating_sub(1).min(chars.len());
            let from = if chars.len() > SHOWN_WIDTH {
                col.saturating_sub(SHOWN_WIDTH / 3)
            } else {
                0
            };
            let to = (from + SHOWN_WIDTH).min(chars.len());
            let (pre, post) = (
                if from > 0 { "..." } else { "" },
                if to < chars.len() { "..." } else { "" },
            );
            let shown: String = chars[from..to].iter().collect();
            let width = self.width.max(1).min((to - col).max(1));
            writeln!(f, "{pad} |")?;
            writeln!(f, "{num} | {pre}{shown}{post}")?;
            writeln!(
                f,
                "{pad} | {}{}",
                " ".repeat(pre.len() + col - from),
                "^".repeat(width)
            )?;
        }
        if let Some(help) = &self.help {
            writeln!(f, "  = help: {help}")?;
        }
        Ok(())
    }
}

/// One rule of `tshoot check`: its stable code, how bad a finding is, and what it looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    pub code: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
}

const fn rule(code: &'static str, severity: Severity, summary: &'static str) -> Rule {
    Rule {
        code,
        severity,
        summary,
    }
}

/// Every rule, in the order `tshoot check --rules` lists them. A code never changes meaning
/// once released: editors and CI scripts match on it. (`empty-text` is an error for the texts
/// the wizard cannot do without, titles, labels, questions, tasks, and a warning elsewhere.)
pub const RULES: &[Rule] = &[
    rule("unreadable", Severity::Error, "the file cannot be read"),
    rule(
        "too-large",
        Severity::Error,
        "the file is larger than a guide may be",
    ),
    rule("binary", Severity::Error, "the file holds a NUL byte"),
    rule("not-utf8", Severity::Error, "the file is not UTF-8 text"),
    rule("empty-file", Severity::Error, "the file is empty"),
    rule("syntax", Severity::Error, "TOML syntax error"),
    rule(
        "unknown-key",
        Severity::Error,
        "a key the format does not have (a typo?)",
    ),
    rule("missing-key", Severity::Error, "a required key is missing"),
    rule("wrong-type", Severity::Error, "a value of the wrong type"),
    rule(
        "unsupported-format",
        Severity::Error,
        "a `format` this build does not read",
    ),
    rule(
        "bad-id",
        Severity::Error,
        "an empty id, or one with spaces or invisible characters",
    ),
    rule(
        "reserved-step-id",
        Severity::Error,
        "a step named \"issues\", \"resolution\" or \"ticket\"",
    ),
    rule(
        "duplicate-id",
        Severity::Error,
        "two steps, issues, resolutions or fields share an id",
    ),
    rule(
        "no-steps",
        Severity::Error,
        "the guide has no diagnostic steps",
    ),
    rule(
        "empty-text",
        Severity::Error,
        "a blank title, label, question, task, note or link title",
    ),
    rule(
        "answers-without-ask",
        Severity::Error,
        "a step with answers but no question",
    ),
    rule(
        "ask-without-answers",
        Severity::Error,
        "a step with a question but no answers",
    ),
    rule(
        "duplicate-answer",
        Severity::Error,
        "two answers of one step read the same",
    ),
    rule(
        "too-many-answers",
        Severity::Warning,
        "more answers than number keys (9)",
    ),
    rule(
        "unknown-next",
        Severity::Error,
        "`next` names no step and no stage",
    ),
    rule(
        "unknown-suspect",
        Severity::Error,
        "`suspect` names no issue",
    ),
    rule(
        "unknown-fixes",
        Severity::Error,
        "`fixes` names no resolution",
    ),
    rule(
        "unreachable-step",
        Severity::Error,
        "no path of answers leads to the step",
    ),
    rule(
        "no-way-out",
        Severity::Error,
        "a loop of steps that no answer leaves",
    ),
    rule(
        "dead-end",
        Severity::Warning,
        "a question whose every answer leads the same way and suspects nothing",
    ),
    rule(
        "duplicate-title",
        Severity::Warning,
        "two steps, issues or resolutions share a title",
    ),
    rule(
        "link-not-http",
        Severity::Warning,
        "a link that is not an http(s) address",
    ),
    rule(
        "alias-is-id",
        Severity::Warning,
        "an alias that repeats the guide's id",
    ),
    rule(
        "unsuspected-issue",
        Severity::Warning,
        "an issue no answer suspects",
    ),
    rule(
        "issue-without-fixes",
        Severity::Warning,
        "an issue with no `fixes`",
    ),
    rule(
        "step-without-answers",
        Severity::Warning,
        "a step before the last that asks nothing (no answers, no `next`) in a guide with issues",
    ),
    rule(
        "no-issues",
        Severity::Warning,
        "a guide that asks questions but has no issues for them to point at",
    ),
    rule(
        "no-resolutions",
        Severity::Warning,
        "a guide with issues but no resolutions: it ends without a fix",
    ),
    rule(
        "unlinked-resolution",
        Severity::Warning,
        "a resolution no issue lists in `fixes`",
    ),
    rule(
        "template-syntax",
        Severity::Error,
        "a malformed `{...}` in the ticket template",
    ),
    rule(
        "unknown-placeholder",
        Severity::Error,
        "the ticket template names no field",
    ),
    rule(
        "unused-field",
        Severity::Warning,
        "a ticket field the template never uses",
    ),
    rule(
        "bad-default",
        Severity::Warning,
        "a field default that does not fit its kind",
    ),
    rule(
        "case-name",
        Severity::Error,
        "a replay case with an empty or repeated name",
    ),
    rule(
        "case-answer",
        Severity::Error,
        "a replay case gives an answer the guide does not offer there",
    ),
    rule(
        "case-reference",
        Severity::Error,
        "a replay case names no issue, resolution or field",
    ),
    rule(
        "too-many-problems",
        Severity::Error,
        "more problems than are reported one by one (an error when one of them is)",
    ),
];

/// The rule with this code.
pub fn rule_of(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

/// Characters of a source line shown under a diagnostic; longer lines are cut around the column.
const SHOWN_WIDTH: usize = 120;

/// 1-based (line, column in chars) of byte offset `at`, and the text of that line.
pub fn locate(source: &str, at: usize) -> (usize, usize, &str) {
    let mut at = at.min(source.len());
    while !source.is_char_boundary(at) {
        at -= 1;
    }
    let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[at..].find('\n').map_or(source.len(), |i| at + i);
    let line = source[..at].matches('\n').count() + 1;
    // A CR before the LF of a CRLF line is part of the line break, not a column.
    let col = source[line_start..at]
        .trim_end_matches('\r')
        .chars()
        .count()
        + 1;
    (
        line,
        col,
        source[line_start..line_end].trim_end_matches('\r'),
    )
}

#[cfg(test)]
mod tests;
