//! The code catalogue: every published Entra ID (`AADSTS…`) and Azure AD B2C (`AADB2C…`) sign-in
//! error code with its name, a one-line meaning in our words and a link
//! (`assets/codes/catalogue.tsv`, described in `assets/codes/README.md`).
//!
//! The file is compiled in with `include_str!` and parsed the first time something asks
//! ([`lookup`], [`all`]), once per process (a [`OnceLock`]): starting the wizard or the picker
//! never reads it, so it adds nothing to start-up. The parse is one pass over the 478 rows
//! (about 0.1 ms on the project's 2-core test machine; a lookup after it about 45 ns:
//! `cargo bench --bench engine -- codes/`).
//!
//! Parsing is strict and typed ([`ParseError`], each with its line number) because the format
//! is for people to edit; a row that does not parse is left out and reported, never a panic.
//! The compiled-in file has a unit test that it parses with no error at all, so at run time
//! [`errors`] is empty; it is there for that test and for anyone loading another copy with
//! [`parse`].
//!
//! A bare number means the AADSTS code of that number (`50076` is `AADSTS50076`), the way the
//! reference and most people write them; a B2C code is always written with its prefix. The
//! guides' aliases follow the same rule (see the guide library's tests).
//!
//! Core: no terminal code here.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

/// The catalogue as compiled in.
pub const SOURCE: &str = include_str!("../../assets/codes/catalogue.tsv");

/// The first line of the file, exactly.
pub const HEADER: &str = "code\tname\tmeaning\tlink";

/// The code prefixes, in the file's sort order.
pub const PREFIXES: [&str; 2] = ["AADB2C", "AADSTS"];

/// One code of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Entry<'a> {
    /// The full code as users see it: `AADSTS50076`, `AADB2C90118`.
    pub code: &'a str,
    /// The reference's identifier for it (`UserStrongAuthClientAuthNRequired`), if it has one.
    pub name: Option<&'a str>,
    /// What went wrong; who fixes it, in one line.
    pub meaning: &'a str,
    /// Where to read more.
    pub link: &'a str,
}

/// A line of the catalogue that could not be read, with its line number (1 is the header).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("line 1: the header must be \"code<TAB>name<TAB>meaning<TAB>link\", found {found:?}")]
    Header { found: String },
    #[error(
        "line 1: the catalogue is empty; it needs the header \"code<TAB>name<TAB>meaning<TAB>link\""
    )]
    Empty,
    #[error(
        "line {line}: {fields} field(s) where 4 are needed (code, name, meaning, link, separated by tabs)"
    )]
    Fields { line: usize, fields: usize },
    #[error(
        "line {line}: {code:?} is not a code: write AADSTS or AADB2C followed by digits, e.g. AADSTS50076"
    )]
    Code { line: usize, code: String },
    #[error("line {line}: {code} has no meaning: say what went wrong, then who fixes it")]
    Meaning { line: usize, code: String },
    #[error("line {line}: {code} has no link: give an https:// address")]
    Link { line: usize, code: String },
    #[error("line {line}: {code} is already on line {first}: one row per code")]
    Duplicate {
        line: usize,
        code: String,
        first: usize,
    },
    #[error(
        "line {line}: {code} comes after {previous} but sorts before it (prefix, then number): move it up"
    )]
    Order {
        line: usize,
        code: String,
        previous: String,
    },
}

impl ParseError {
    /// The line it is about (1 is the header).
    pub fn line(&self) -> usize {
        match self {
            Self::Header { .. } | Self::Empty => 1,
            Self::Fields { line, .. }
            | Self::Code { line, .. }
            | Self::Meaning { line, .. }
            | Self::Link { line, .. }
            | Self::Duplicate { line, .. }
            | Self::Order { line, .. } => *line,
        }
    }
}

/// A parsed catalogue: its entries in file order, and what could not be read.
#[derive(Debug, Default)]
pub struct Catalogue<'a> {
    pub entries: Vec<Entry<'a>>,
    pub errors: Vec<ParseError>,
    /// Code -> index into `entries`.
    by_code: HashMap<&'a str, usize>,
}

impl<'a> Catalogue<'a> {
    /// The entry for `code` (any spelling [`normalize`] takes).
    pub fn lookup(&self, code: &str) -> Option<&Entry<'a>> {
        let code = normalize(code)?;
        self.by_code
            .get(code.as_str())
            .and_then(|&i| self.entries.get(i))
    }
}

/// Parse catalogue text. Rows that fail are left out and reported; a duplicate keeps the first
/// row; a row out of order is kept (and reported).
pub fn parse(src: &str) -> Catalogue<'_> {
    let mut cat = Catalogue::default();
    let mut lines = src.lines().enumerate().map(|(i, l)| (i + 1, l));
    match lines.next() {
        None => {
            cat.errors.push(ParseError::Empty);
            return cat;
        }
        Some((_, h)) if h == HEADER => {}
        Some((_, h)) => cat.errors.push(ParseError::Header {
            found: h.chars().take(80).collect(),
        }),
    }
    let mut first_line: HashMap<&str, usize> = HashMap::new();
    let mut previous: Option<&str> = None;
    for (line, text) in lines {
        let fields: Vec<&str> = text.split('\t').collect();
        let [code, name, meaning, link] = fields[..] else {
            cat.errors.push(ParseError::Fields {
                line,
                fields: fields.len(),
            });
            continue;
        };
        if split_code(code).is_none() {
            cat.errors.push(ParseError::Code {
                line,
                code: code.chars().take(40).collect(),
            });
            continue;
        }
        if meaning.trim().is_empty() {
            cat.errors.push(ParseError::Meaning {
                line,
                code: code.to_owned(),
            });
            continue;
        }
        if !link.starts_with("https://") || link.len() <= "https://".len() {
            cat.errors.push(ParseError::Link {
                line,
                code: code.to_owned(),
            });
            continue;
        }
        if let Some(&first) = first_line.get(code) {
            cat.errors.push(ParseError::Duplicate {
                line,
                code: code.to_owned(),
                first,
            });
            continue;
        }
        if let Some(prev) = previous
            && sort_key(code) < sort_key(prev)
        {
            cat.errors.push(ParseError::Order {
                line,
                code: code.to_owned(),
                previous: prev.to_owned(),
            });
        }
        previous = Some(code);
        first_line.insert(code, line);
        cat.by_code.insert(code, cat.entries.len());
        cat.entries.push(Entry {
            code,
            name: (!name.is_empty()).then_some(name),
            meaning,
            link,
        });
    }
    cat
}

/// The compiled-in catalogue, parsed on first use.
fn catalogue() -> &'static Catalogue<'static> {
    static CATALOGUE: OnceLock<Catalogue<'static>> = OnceLock::new();
    CATALOGUE.get_or_init(|| parse(SOURCE))
}

/// The catalogue entry for `code`: `AADSTS50076`, `aadsts50076`, `50076` (bare digits are
/// AADSTS) or `AADB2C90118`. `None` for anything else or a code the catalogue lacks.
pub fn lookup(code: &str) -> Option<&'static Entry<'static>> {
    catalogue().lookup(code)
}

/// Every entry, in file order (B2C first, then AADSTS, each by number).
pub fn all() -> &'static [Entry<'static>] {
    &catalogue().entries
}

/// What in the compiled-in file did not parse (empty: a unit test sees to it).
pub fn errors() -> &'static [ParseError] {
    &catalogue().errors
}

/// The canonical spelling of a code: upper case, with the AADSTS prefix added to bare digits.
/// `None` when it is not a code at all.
pub fn normalize(code: &str) -> Option<String> {
    let c = code.trim();
    if !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!("AADSTS{c}"));
    }
    let upper = c.to_ascii_uppercase();
    split_code(&upper).is_some().then_some(upper)
}

/// A code's prefix and digits, if it is `AADSTS` or `AADB2C` (upper case) followed by digits.
fn split_code(code: &str) -> Option<(&'static str, &str)> {
    PREFIXES.iter().find_map(|&p| {
        let digits = code.strip_prefix(p)?;
        (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some((p, digits))
    })
}

/// The file's order: prefix, then number as an integer (compared without parsing it, so no
/// length of digits can overflow).
fn sort_key(code: &str) -> (usize, usize, &str) {
    let Some((prefix, digits)) = split_code(code) else {
        return (usize::MAX, 0, code);
    };
    let p = PREFIXES.iter().position(|&x| x == prefix).unwrap_or(0);
    let digits = digits.trim_start_matches('0');
    (p, digits.len(), digits)
}

#[cfg(test)]
mod tests;
