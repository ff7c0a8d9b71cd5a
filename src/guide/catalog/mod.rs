//! The catalog: which guides exist, with the few fields the picker and `tshoot list` need
//! (id, title, aliases, tags), without parsing every guide on every start.
//!
//! A team's library can hold thousands of guides, and a full parse and validation costs about
//! 0.15 ms each: 1.5 s of CPU for 10,000 guides. So the catalog reads only each guide's
//! *header*, the top-level keys before its first table (`format`, `id`, `title`, `summary`,
//! `revision`, `aliases`, `tags`), with a small reader of its own ([`header_meta`]). That
//! reader knows only the plain forms guides use (bare keys, strings without escapes, arrays of
//! such strings, comments); on anything else, and on any header a full parse would reject
//! (format, empty or spaced id, empty title), it gives up and the file gets the full parse
//! with its exact `path:line:col` error. TOML puts every top-level key before the first table,
//! so the header alone decides the fields listed.
//!
//! What is awkward: a guide whose header is fine but whose body is broken (an unknown `next`,
//! a syntax error in a step) is listed as if it were fine. Its error appears when it is opened
//! ([`Catalog::ensure_loaded`] parses and validates the whole guide, every time), and `tshoot
//! check` reads every file in full. That is the price of a one-second first start over ten
//! thousand guides.
//!
//! The index in the cache dir (`$XDG_CACHE_HOME/tshoot/index-v2.bin`, or `$TSHOOT_CACHE_DIR`)
//! keeps those fields keyed by each file's path, size and modification time: a file whose size
//! or mtime changed is read again. A guide is always parsed afresh when it is opened, so the
//! index can make a listing slightly old but never serves a stale or broken guide. The index
//! is a compact binary file with a checksum (JSON cost 40 ms a start over 10,000 guides); a
//! missing, damaged or foreign index is rebuilt silently.
//!
//! The index's encoding, decoding and atomic write are in `index.rs`; the unit tests in
//! `tests.rs`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use index::{INDEX_FILE, decode_index, encode_index, write_index};

use super::diag::Diagnostic;
use super::files::{ParsedFile, parallel_map, parse_file, read_text, walk};
use super::load::{BUNDLED, Folder, Origin};
use super::model::{FORMAT, Guide};
use super::validate::parse;

mod index;
#[cfg(test)]
mod tests;

/// What the picker and `list` know of a guide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub id: String,
    pub title: String,
    pub aliases: Vec<String>,
    pub tags: Vec<String>,
}

impl Meta {
    fn of(g: &Guide) -> Self {
        Self {
            id: g.id.to_string(),
            title: g.title.clone(),
            aliases: g.aliases.iter().map(ToString::to_string).collect(),
            tags: g.tags.clone(),
        }
    }

    /// Whether `query` is this guide's id or one of its aliases (case-insensitive).
    pub fn answers_to(&self, query: &str) -> bool {
        self.id.eq_ignore_ascii_case(query)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(query))
    }
}

/// A guide in the catalog.
#[derive(Debug, Clone)]
pub struct Item {
    pub origin: Origin,
    pub meta: Meta,
}

/// A guide file that does not load, with its first problem.
#[derive(Debug, Clone)]
pub struct Broken {
    pub origin: Origin,
    pub summary: String,
}

/// Every guide tshoot can open.
#[derive(Debug, Default, Clone)]
pub struct Catalog {
    pub items: Vec<Item>,
    pub broken: Vec<Broken>,
    /// Overrides, missing folders, an index that could not be written.
    pub notices: Vec<String>,
    /// Files read during this scan (the rest came from the index).
    pub parsed: usize,
    by_id: HashMap<String, usize>,
}

impl Catalog {
    /// The catalog of the bundled guides and `folders`, using and refreshing the index at
    /// `index_dir` (no index when `None`).
    pub fn scan(folders: &[Folder], index_dir: Option<&Path>) -> Self {
        let mut cat = Self::default();
        for (name, src) in BUNDLED {
            let path = format!("<bundled>/{name}");
            let meta = header_meta(src).map_or_else(|| summarize(parse(&path, src)), Ok);
            cat.add(Origin::Bundled(name), meta);
        }
        let index_path = index_dir.map(|d| d.join(INDEX_FILE));
        let old_bytes = index_path
            .as_deref()
            .and_then(|p| crate::fsread::read_regular(p, 1 << 30).ok())
            .unwrap_or_default();
        let mut old = decode_index(&old_bytes).unwrap_or_default();
        let mut files = Vec::new();
        for folder in folders {
            match std::fs::metadata(&folder.path) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    if folder.explicit {
                        cat.notices.push(format!(
                            "guide folder {} does not exist (create it, or fix the path)",
                            folder.path.display()
                        ));
                    }
                }
                Err(e) => cat.notices.push(format!(
                    "guide folder {} cannot be read: {e} (check its permissions, or remove it from the config)",
                    folder.path.display()
                )),
                Ok(m) if !m.is_dir() => files.push(folder.path.clone()),
                Ok(_) => {
                    let mut found = Vec::new();
                    walk(&folder.path, 0, &mut found, &mut cat.notices);
                    // Byte order of the paths: as deterministic as component order, much cheaper.
                    found.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
                    files.extend(found);
                }
            }
        }
        // Stat every file, on every core (10,000 stats are most of a warm start); reuse the
        // index where size and mtime agree, read the rest.
        let stats = parallel_map(
            &files,
            |p| std::fs::metadata(p).map_or((0, 0), |m| stat_of(&m)),
            |_| (0, 0),
        );
        let mut used = 0;
        let mut metas: Vec<Option<Result<Meta, String>>> = files
            .iter()
            .zip(&stats)
            .map(|(p, &(size, mtime_ns))| {
                let e = old.get_mut(p.as_os_str().as_encoded_bytes())?;
                if e.size != size || e.mtime_ns != mtime_ns || size == 0 {
                    return None;
                }
                used += 1;
                e.meta.take()
            })
            .collect();
        let todo: Vec<usize> = (0..files.len()).filter(|&i| metas[i].is_none()).collect();
        cat.parsed = todo.len();
        let fresh = read_parallel(&files, &todo);
        for (i, meta) in todo.iter().zip(fresh) {
            metas[*i] = Some(meta);
        }
        let metas: Vec<Result<Meta, String>> = metas
            .into_iter()
            .zip(&files)
            .map(|(m, p)| m.unwrap_or_else(|| Err(format!("{}: could not be read", p.display()))))
            .collect();
        // The index is rewritten only when something changed.
        if let Some(p) = index_path.filter(|_| cat.parsed > 0 || used != old.len())
            && let Err(e) = write_index(&p, &encode_index(&files, &stats, &metas))
        {
            cat.notices.push(format!(
                "could not write the guide index {}: {e}",
                p.display()
            ));
        }
        drop(old);
        cat.items.reserve(files.len());
        for (path, meta) in files.into_iter().zip(metas) {
            cat.add(Origin::File(path), meta);
        }
        cat
    }

    fn add(&mut self, origin: Origin, meta: Result<Meta, String>) {
        match meta {
            Ok(meta) => {
                let key = meta.id.to_ascii_lowercase();
                if let Some(&i) = self.by_id.get(&key) {
                    let old = &self.items[i].origin;
                    self.notices.push(format!(
                        "guide {} from {origin} overrides the one from {old}",
                        meta.id
                    ));
                    self.items[i] = Item { origin, meta };
                } else {
                    self.by_id.insert(key, self.items.len());
                    self.items.push(Item { origin, meta });
                }
            }
            Err(summary) => self.broken.push(Broken { origin, summary }),
        }
    }

    /// A catalog of the guides already in `lib` (preview, tests): nothing is read again.
    pub fn from_library(lib: &super::Library) -> Self {
        let mut cat = Self::default();
        for e in &lib.guides {
            cat.add(e.origin.clone(), Ok(Meta::of(&e.guide)));
        }
        cat.notices.clear();
        for f in &lib.failures {
            cat.broken.push(Broken {
                origin: f.origin.clone(),
                summary: f.summary(),
            });
        }
        cat
    }

    /// The index in `lib` of catalog guide `i`, parsing it into `lib` first when it is not
    /// there yet. The error names the guide's first problem.
    pub fn ensure_loaded(&self, i: usize, lib: &mut super::Library) -> Result<usize, OpenError> {
        let item = self.items.get(i).ok_or(OpenError::NoSuchItem(i))?;
        if let Some(k) = lib.index_of(&item.meta.id) {
            return Ok(k);
        }
        let (guide, warnings) = self.load(i).map_err(|d| OpenError::Broken {
            first: summarize(Err(d)).err().unwrap_or_default(),
        })?;
        Ok(lib.insert(super::load::Entry {
            guide,
            origin: item.origin.clone(),
            warnings,
        }))
    }

    /// A library holding only the guides named by `queries` (parsed now), with the other ids
    /// listed for suggestions: what a command about one or a few guides needs.
    pub fn library_of(&self, queries: &[&str]) -> super::Library {
        let mut lib = super::Library::default();
        for q in queries {
            if let Some(i) = self.find(q)
                && let Err(why) = self.ensure_loaded(i, &mut lib)
            {
                lib.failures.push(super::load::Failure {
                    origin: self.items[i].origin.clone(),
                    diagnostics: vec![Diagnostic::nowhere(
                        super::Severity::Error,
                        &self.items[i].origin.to_string(),
                        why.to_string(),
                    )],
                });
            }
        }
        lib.unparsed_ids = self.items.iter().map(|it| it.meta.id.clone()).collect();
        lib
    }

    /// The guide whose id or alias is `query` (case-insensitive).
    pub fn find(&self, query: &str) -> Option<usize> {
        let q = query.trim();
        self.by_id
            .get(&q.to_ascii_lowercase())
            .copied()
            .or_else(|| self.items.iter().position(|it| it.meta.answers_to(q)))
    }

    /// Parse guide `i` afresh from its source.
    pub fn load(&self, i: usize) -> ParsedFile {
        match &self.items[i].origin {
            Origin::Bundled(name) => {
                let src = BUNDLED
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or("", |(_, s)| s);
                parse(&format!("<bundled>/{name}"), src)
            }
            Origin::File(p) => parse_file(p),
        }
    }
}

/// Why a guide of the catalog could not be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    /// A catalog position past its end (a caller's mistake, said rather than panicking).
    #[error("no guide number {0} in the catalog")]
    NoSuchItem(usize),
    /// The file no longer parses or validates: its first problem, with its location.
    #[error("{first}")]
    Broken { first: String },
}

/// A guide's catalog fields, or its first problem (<file:line:col> and what is wrong) as kept
/// in the index, which stores it as text.
fn summarize(r: ParsedFile) -> Result<Meta, String> {
    match r {
        Ok((g, _)) => Ok(Meta::of(&g)),
        Err(diags) => Err(diags
            .iter()
            .find(|d| d.is_error())
            .or(diags.first())
            .map_or_else(|| "could not be loaded".to_owned(), Diagnostic::headline)),
    }
}

/// Size and modification time (ns since 1970) of a file.
fn stat_of(m: &std::fs::Metadata) -> (u64, u128) {
    let mtime = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    (m.len(), mtime)
}

/// Read the headers of the files at `todo` on every core; results in `todo` order.
fn read_parallel(files: &[PathBuf], todo: &[usize]) -> Vec<Result<Meta, String>> {
    parallel_map(
        todo,
        |&i| read_meta(&files[i]),
        |&i| {
            Err(format!(
                "{}: the parser failed on this file",
                files[i].display()
            ))
        },
    )
}

/// The catalog fields of one guide file: from its header when [`header_meta`] is sure of
/// them, else from a full parse (which also gives a broken file's exact error).
fn read_meta(path: &Path) -> Result<Meta, String> {
    match read_text(path) {
        Ok(src) => header_meta(&src).map_or_else(|| summarize(parse_file(path)), Ok),
        Err(d) => Err(d.headline()),
    }
}

/// The catalog fields of a guide read from its header alone: the top-level keys before its
/// first table, read by the toml crate from that slice of the file (a few lines instead of the
/// whole guide). `None` when the slice is not a header this can be sure of: a key other than
/// the known header keys, a table opened inside a value (the cut then leaves a string or an
/// array unclosed, which fails to parse), or a header a full parse would reject. The caller
/// then parses the file in full, which also gives the exact error.
pub(crate) fn header_meta(src: &str) -> Option<Meta> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Header {
        format: u32,
        id: String,
        title: String,
        #[serde(default)]
        aliases: Vec<String>,
        #[serde(default)]
        tags: Vec<String>,
        #[allow(dead_code, reason = "known, so that it is not an unknown key")]
        #[serde(default)]
        summary: String,
        #[allow(dead_code, reason = "known, so that it is not an unknown key")]
        #[serde(default)]
        revision: String,
    }
    let mut end = 0;
    for line in src.split_inclusive('\n') {
        if line.trim_start().starts_with('[') {
            break;
        }
        end += line.len();
    }
    let h: Header = toml::from_str(&src[..end]).ok()?;
    let bad_name = |n: &str| {
        n.trim().is_empty()
            || n.chars()
                .any(|c| c.is_whitespace() || c.is_control() || super::validate::is_invisible(c))
    };
    if h.format != FORMAT
        || bad_name(&h.id)
        || h.title.trim().is_empty()
        || h.aliases.iter().any(|a| bad_name(a))
    {
        return None;
    }
    Some(Meta {
        id: h.id,
        title: h.title,
        aliases: h.aliases,
        tags: h.tags,
    })
}

/// Where the index lives: `TSHOOT_CACHE_DIR`, else the cache dir from `directories`.
pub fn default_index_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("TSHOOT_CACHE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    directories::ProjectDirs::from("", "", "tshoot").map(|p| p.cache_dir().to_path_buf())
}
