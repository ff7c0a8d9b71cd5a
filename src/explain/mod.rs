//! `tshoot explain CODE`: what a sign-in error code means, from the code catalogue
//! ([`crate::codes`]), and which guide covers it, from the catalog of every loaded guide
//! (bundled and the user's folders; headers only, so it stays fast over a large library).
//!
//! The code may be written any way [`crate::codes::lookup`] takes (`AADSTS50076`,
//! `aadsts50076`, `50076`, `AADB2C90118`) or as the reference's error name
//! (`UserStrongAuthClientAuthNRequired`). Exit codes: 0 when the catalogue has the code; 1
//! ("problems") when it is a well-formed code the catalogue lacks; 2 ("usage") when the
//! argument is neither a code nor a known name. With `--json` the answer is one JSON object on
//! standard output in every case (`"known": false` and an `"error"` when it is not known).
//!
//! Kept apart from `cli.rs` (which holds only its clap variant) because it joins two core
//! modules and has tests that walk the whole catalogue.

use std::io::Write;

use crate::cli::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, write_json};
use crate::codes::{self, Entry};
use crate::guide::catalog::{Catalog, Item};
use crate::text::sanitize;

/// Explain `code` with the guides of `cat`; returns the exit code.
pub fn explain(
    cat: &Catalog,
    code: &str,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let query = code.trim();
    let entry = codes::lookup(query).or_else(|| by_name(query));
    // The code as it would be spelled in the catalogue, even when the catalogue lacks it.
    let canonical = entry
        .map(|e| e.code.to_owned())
        .or_else(|| codes::normalize(query));
    let guide = canonical
        .as_deref()
        .and_then(|c| cat.find(c))
        .and_then(|i| cat.items.get(i));
    let generic = cat.find("generic").is_some();
    match (entry, canonical) {
        (Some(e), _) => {
            if json {
                write_json(out, &json_of(Some(e), e.code, guide, None));
            } else {
                let _ = out.write_all(text_of(e, guide, generic).as_bytes());
            }
            EXIT_OK
        }
        (None, Some(c)) => {
            let hint = b2c_hint(query);
            let why = format!(
                "{c} is not in the code catalogue (it lists {} codes, from Microsoft's published references){}",
                codes::all().len(),
                hint.map(|h| format!("; did you mean {h}?"))
                    .unwrap_or_default()
            );
            if json {
                write_json(out, &json_of(None, &c, guide, Some(&why)));
            } else {
                let _ = writeln!(err, "tshoot: {why}");
                let line = match guide {
                    Some(it) => format!("guide:   {}\n", guide_line(it)),
                    None => format!("guide:   {}\n", no_guide(&c, generic)),
                };
                let _ = out.write_all(line.as_bytes());
                let _ = writeln!(out, "link:    {} (Microsoft's own list)", reference_of(&c));
            }
            EXIT_PROBLEMS
        }
        (None, None) => {
            let why = format!(
                "\"{}\" is not an error code: give AADSTS or AADB2C followed by digits (AADSTS50076, AADB2C90118), bare digits for AADSTS (50076), or an error name (UserStrongAuthClientAuthNRequired)",
                sanitize(query)
            );
            if json {
                write_json(out, &json_of(None, query, None, Some(&why)));
            } else {
                let _ = writeln!(err, "tshoot: {why}");
            }
            EXIT_USAGE
        }
    }
}

/// The catalogue entry whose name is `name` (case-insensitive).
fn by_name(name: &str) -> Option<&'static Entry<'static>> {
    if name.is_empty() {
        return None;
    }
    codes::all()
        .iter()
        .find(|e| e.name.is_some_and(|n| n.eq_ignore_ascii_case(name)))
}

/// For bare digits the catalogue lacks as AADSTS: the B2C code of those digits, if it has one.
fn b2c_hint(query: &str) -> Option<&'static str> {
    if query.is_empty() || !query.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    codes::lookup(&format!("AADB2C{query}")).map(|e| e.code)
}

/// Where Microsoft lists a code the catalogue lacks: the live lookup page for AADSTS, the B2C
/// reference for AADB2C.
fn reference_of(code: &str) -> String {
    match code.strip_prefix("AADSTS") {
        Some(digits) => format!("https://login.microsoftonline.com/error?code={digits}"),
        None => "https://learn.microsoft.com/azure/active-directory-b2c/error-codes".to_owned(),
    }
}

fn guide_line(it: &Item) -> String {
    format!(
        "{} \"{}\" ({}): `tshoot {}` opens it",
        sanitize(&it.meta.id),
        sanitize(&it.meta.title),
        sanitize(&it.origin.to_string()),
        sanitize(&it.meta.id)
    )
}

fn no_guide(code: &str, generic: bool) -> String {
    let starter = format!(
        "`tshoot new {code} -o {}.toml` scaffolds one",
        code.to_ascii_lowercase()
    );
    if generic {
        format!(
            "none yet. `tshoot generic` opens the generic guide for any sign-in error; {starter}"
        )
    } else {
        format!("none yet. {starter}")
    }
}

fn text_of(e: &Entry<'_>, guide: Option<&Item>, generic: bool) -> String {
    let mut s = String::new();
    s.push_str(e.code);
    if let Some(name) = e.name {
        s.push_str("  ");
        s.push_str(name);
    }
    s.push('\n');
    s.push_str("meaning: ");
    s.push_str(e.meaning);
    s.push('\n');
    s.push_str("link:    ");
    s.push_str(e.link);
    s.push('\n');
    s.push_str("guide:   ");
    match guide {
        Some(it) => s.push_str(&guide_line(it)),
        None => s.push_str(&no_guide(e.code, generic)),
    }
    s.push('\n');
    s
}

fn json_of(
    e: Option<&Entry<'_>>,
    code: &str,
    guide: Option<&Item>,
    error: Option<&str>,
) -> serde_json::Value {
    let mut v = serde_json::json!({
        "code": e.map_or(code, |e| e.code),
        "known": e.is_some(),
        "name": e.and_then(|e| e.name),
        "meaning": e.map(|e| e.meaning),
        "link": e.map(|e| e.link),
        "guide": guide.map(|it| serde_json::json!({
            "id": it.meta.id,
            "title": it.meta.title,
            "source": it.origin.to_string(),
        })),
    });
    if let (Some(why), Some(map)) = (error, v.as_object_mut()) {
        map.insert("error".into(), why.into());
    }
    v
}

#[cfg(test)]
mod tests;
