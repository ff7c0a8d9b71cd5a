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
            path: path.to_owned(),
            line: 0,
            col: 0,
            message: message.into(),
            help: None,
            source_line: None,
            width: 0,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col: severity: message`, the first line of the display.
    pub fn headline(&self) -> String {
        if self.line == 0 {
            format!("{}: {}: {}", self.path, self.severity, self.message)
        } else {
            format!(
                "{}:{}:{}: {}: {}",
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
mod tests {
    use super::*;

    #[test]
    fn locates_lines_and_columns() {
        let src = "a = 1\nbé = \"x\"\n";
        assert_eq!(locate(src, 0), (1, 1, "a = 1"));
        let at = src.find('"').unwrap();
        assert_eq!(locate(src, at), (2, 6, "bé = \"x\""));
        assert_eq!(locate(src, src.len()).0, 3);
    }

    #[test]
    fn a_crlf_line_break_is_not_a_column() {
        let src = "ab\r\ncd\r\n";
        assert_eq!(locate(src, 3), (1, 3, "ab"));
        assert_eq!(locate(src, 4), (2, 1, "cd"));
    }

    #[test]
    fn renders_like_a_compiler() {
        let src = "id = \"x\"\nnext = \"nope\"\n";
        let start = src.find("\"nope").unwrap();
        let d = Diagnostic::at(
            Severity::Error,
            "g.toml",
            src,
            start..start + 6,
            "unknown step",
        )
        .with_help("did you mean \"nop\"?");
        let text = d.to_string();
        assert!(
            text.starts_with("g.toml:2:8: error: unknown step\n"),
            "{text}"
        );
        assert!(
            text.contains("2 | next = \"nope\"\n  |        ^^^^^^\n"),
            "{text}"
        );
        assert!(text.contains("= help: did you mean"), "{text}");
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let src = format!("x = {}1{}\n", "[".repeat(5000), "]".repeat(5000));
        let at = src.find('1').unwrap();
        let d = Diagnostic::at(Severity::Error, "g.toml", &src, at..at + 1, "deep");
        assert_eq!(d.headline(), "g.toml:1:5005: error: deep");
        let text = d.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.iter().all(|l| l.chars().count() < 140), "{text}");
        let (shown, caret) = (lines[2], lines[3]);
        let c = caret.find('^').unwrap();
        assert_eq!(&shown[c..=c], "1", "{text}");
        assert!(
            shown.starts_with("1 | ...[[") && shown.ends_with("]]..."),
            "{text}"
        );
    }
}
