//! Links found in the text of an item or a section.

use std::sync::LazyLock;

use regex::Regex;

use crate::guide::{Link, Name};

static BARE_URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<?(https?://[^\s<>()]+)>?").expect("url pattern"));
/// The links in a text: "title (https://...)" as `clean` writes Markdown links, or bare
/// addresses. `relative`: also "title (wiki/page)", only in a section of links.
pub(super) fn links_in(text: &str, relative: bool) -> Vec<Link> {
    static TITLED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"([^():;\[\]]+?)\s*\((https?://[^\s)]+|[A-Za-z0-9./_#-]+/[^\s)]*)\)")
            .expect("titled link pattern")
    });
    let mut out: Vec<Link> = Vec::new();
    let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
    for c in TITLED.captures_iter(text) {
        let (Some(all), Some(t), Some(u)) = (c.get(0), c.get(1), c.get(2)) else {
            continue;
        };
        if !relative && !u.as_str().starts_with("http") {
            continue;
        }
        let title = t.as_str().trim().trim_start_matches(['-', '*', ' ']).trim();
        out.push(Link {
            title: if title.is_empty() {
                u.as_str().to_owned()
            } else {
                title.to_owned()
            },
            url: Name::new(u.as_str()),
        });
        taken.push(all.range());
    }
    for m in BARE_URL.captures_iter(text) {
        let Some(u) = m.get(1) else { continue };
        if taken.iter().any(|r| r.contains(&u.start())) {
            continue;
        }
        let url = u.as_str().trim_end_matches(['.', ',', ';']);
        out.push(Link {
            title: url.to_owned(),
            url: Name::new(url),
        });
    }
    out
}

pub(super) fn push_link(links: &mut Vec<Link>, l: Link) {
    if !links.iter().any(|x| x.url == l.url) {
        links.push(l);
    }
}

/// The document with its site-relative links (`](/azure/...)`, `href="/azure/..."`) made
/// absolute on `base` (`https://learn.microsoft.com`). Links relative to the page
/// (`../x.md`) and anchors are left as they are: only the site knows where they lead.
pub fn absolute_links(source: &str, base: &str) -> String {
    static RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(\]\(|href=")(/[^/\s)"][^\s)"]*)"#).expect("relative link pattern")
    });
    let base = base.trim_end_matches('/');
    RELATIVE
        .replace_all(source, |c: &regex::Captures<'_>| {
            format!("{}{base}{}", &c[1], &c[2])
        })
        .into_owned()
}
