//! `tshoot list`: the guide table, the tag counts, and the catalog's notes on broken files.

use std::fmt::Write as _;
use std::io::Write;

use super::{EXIT_OK, EXIT_PROBLEMS, ListArgs, clean, write_json};
use crate::guide::catalog::Catalog;

/// `tshoot list`: a table (or JSON) of the guides, all or those with the tags asked for, or
/// with `--tags` the tag counts. A tag no guide carries is said on `err` and exits 1.
#[expect(
    clippy::too_many_lines,
    reason = "the table, its JSON form and the tag filter, printed in column order"
)]
pub fn list(cat: &Catalog, args: &ListArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    if args.tags {
        return tag_counts(cat, args.json, out);
    }
    let wanted: Vec<String> = args.tag.iter().map(|t| t.trim().to_lowercase()).collect();
    let has_tags = |tags: &[String]| {
        wanted
            .iter()
            .all(|w| tags.iter().any(|t| t.eq_ignore_ascii_case(w)))
    };
    let items: Vec<&crate::guide::catalog::Item> = cat
        .items
        .iter()
        .filter(|e| has_tags(&e.meta.tags))
        .collect();
    // Broken guides have no tags to filter by: they are listed only when nothing is filtered.
    let broken: &[crate::guide::catalog::Broken] =
        if wanted.is_empty() { &cat.broken } else { &[] };
    if !wanted.is_empty() && items.is_empty() {
        let _ = writeln!(
            err,
            "tshoot: no guide has the tag{} {} (`tshoot list --tags` lists the tags in use)",
            if wanted.len() == 1 { "" } else { "s" },
            clean(&wanted.join(" and "))
        );
        return EXIT_PROBLEMS;
    }
    if args.json {
        let rows: Vec<serde_json::Value> =
            items
                .iter()
                .map(|e| {
                    serde_json::json!({
                        "id": e.meta.id,
                        "title": e.meta.title,
                        "aliases": e.meta.aliases,
                        "tags": e.meta.tags,
                        "source": e.origin.to_string(),
                    })
                })
                .chain(broken.iter().map(
                    |f| serde_json::json!({ "source": f.origin.to_string(), "error": f.summary }),
                ))
                .collect();
        write_json(out, &rows);
        return EXIT_OK;
    }
    // Tags every listed guide has tell none apart: the header names them once, the cells
    // hold the rest.
    let mut common: Vec<String> = match items.as_slice() {
        [first, _, ..] => first.meta.tags.iter().map(|t| t.to_lowercase()).collect(),
        _ => Vec::new(),
    };
    common.retain(|t| {
        items
            .iter()
            .all(|e| e.meta.tags.iter().any(|u| u.eq_ignore_ascii_case(t)))
    });
    common.dedup();
    let tag_cell = |tags: &[String]| {
        let rest: Vec<&str> = tags
            .iter()
            .map(String::as_str)
            .filter(|t| !common.iter().any(|c| c.eq_ignore_ascii_case(t)))
            .collect();
        rest.join(",")
    };
    let tags_header = if common.is_empty() {
        "TAGS".to_owned()
    } else {
        format!("TAGS (all: {})", common.join(","))
    };
    let width = |f: &dyn Fn(&crate::guide::catalog::Item) -> usize, min: usize, max: usize| {
        items
            .iter()
            .map(|e| f(e))
            .max()
            .unwrap_or(min)
            .clamp(min, max)
    };
    let idw = width(&|e| e.meta.id.chars().count(), 2, usize::MAX);
    let tw = width(&|e| e.meta.title.chars().count(), 5, 60);
    let gw = width(&|e| tag_cell(&e.meta.tags).chars().count(), 4, TAGS_WIDTH)
        .max(tags_header.chars().count());
    // One write for the whole table: a library can hold thousands of guides.
    let mut text = format!(
        "{:idw$}  {:tw$}  {:gw$}  SOURCE\n",
        "ID",
        "TITLE",
        clean(&tags_header)
    );
    for e in &items {
        let title: String = e.meta.title.chars().take(tw).collect();
        let _ = writeln!(
            text,
            "{:idw$}  {:tw$}  {:gw$}  {}",
            clean(&e.meta.id),
            clean(&title),
            clean(&fit(&tag_cell(&e.meta.tags), gw)),
            e.origin
        );
    }
    for f in broken {
        let _ = writeln!(
            text,
            "{:idw$}  {:tw$}  {:gw$}  {}",
            "!",
            "(failed to load)",
            "",
            clean(&f.summary)
        );
    }
    let _ = out.write_all(text.as_bytes());
    EXIT_OK
}

/// The widest the TAGS column grows; longer cells end in `…`.
const TAGS_WIDTH: usize = 40;

/// `s` cut to `w` characters, the last one `…` when something was cut.
fn fit(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        return s.to_owned();
    }
    let mut cut: String = s.chars().take(w.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Every tag of the listed guides (lower-cased) with how many guides carry it, most used
/// first, then by name.
pub fn tag_counts_of(cat: &Catalog) -> Vec<(String, usize)> {
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for e in &cat.items {
        let mut seen: Vec<String> = e.meta.tags.iter().map(|t| t.to_lowercase()).collect();
        seen.sort();
        seen.dedup();
        for t in seen {
            *counts.entry(t).or_default() += 1;
        }
    }
    let mut v: Vec<(String, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// `tshoot list --tags`.
fn tag_counts(cat: &Catalog, json: bool, out: &mut dyn Write) -> u8 {
    let counts = tag_counts_of(cat);
    if json {
        let rows: Vec<serde_json::Value> = counts
            .iter()
            .map(|(t, n)| serde_json::json!({ "tag": t, "guides": n }))
            .collect();
        write_json(out, &rows);
        return EXIT_OK;
    }
    let w = counts
        .iter()
        .map(|(t, _)| t.chars().count())
        .max()
        .unwrap_or(3)
        .max(3);
    let mut text = format!("{:w$}  GUIDES\n", "TAG");
    for (t, n) in &counts {
        let _ = writeln!(text, "{:w$}  {n}", clean(t));
    }
    let _ = out.write_all(text.as_bytes());
    EXIT_OK
}

/// Print the catalog's notices and broken guides to `err`, briefly.
pub fn report_catalog(cat: &Catalog, err: &mut dyn Write) {
    for n in &cat.notices {
        let _ = writeln!(err, "tshoot: note: {n}");
    }
    for f in &cat.broken {
        let _ = writeln!(
            err,
            "tshoot: guide not loaded: {} (run `tshoot check {}` for details)",
            f.summary, f.origin
        );
    }
}
