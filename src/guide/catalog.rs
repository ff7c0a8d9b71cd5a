//! The catalog: which guides exist, with the few fields the picker and `tshoot list` need
//! (id, title, aliases, tags), without parsing every guide on every start.
//!
//! A team's library can hold thousands of guides; parsing them all costs about 0.1 ms each.
//! The catalog keeps an index in the cache dir (`$XDG_CACHE_HOME/tshoot/index-v1.json`) keyed
//! by each file's path, size and modification time: a file whose size or mtime changed is
//! parsed again, and a guide is always parsed afresh when it is opened ([`Catalog::load`]), so
//! the index can make a listing slightly old but never serves a stale or broken guide.
//! A missing or damaged index is rebuilt silently.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::diag::Diagnostic;
use super::load::{BUNDLED, Folder, Origin, ParsedFile, parse_file};
use super::model::Guide;
use super::validate::parse;

/// Index format version (in the file name, so an old index is simply not read).
const INDEX_FILE: &str = "index-v1.json";

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

/// One file's line in the index.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Indexed {
    size: u64,
    mtime_ns: u128,
    meta: Result<Meta, String>,
}

/// Every guide tshoot can open.
#[derive(Debug, Default, Clone)]
pub struct Catalog {
    pub items: Vec<Item>,
    pub broken: Vec<Broken>,
    /// Overrides, missing folders, an index that could not be written.
    pub notices: Vec<String>,
    /// Files parsed during this scan (the rest came from the index).
    pub parsed: usize,
    by_id: HashMap<String, usize>,
}

impl Catalog {
    /// The catalog of the bundled guides and `folders`, using and refreshing the index at
    /// `index_dir` (no index when `None`).
    pub fn scan(folders: &[Folder], index_dir: Option<&Path>) -> Self {
        let mut cat = Self::default();
        for (name, src) in BUNDLED {
            let meta = summarize(parse(&format!("<bundled>/{name}"), src));
            cat.add(Origin::Bundled(name), meta);
        }
        let index_path = index_dir.map(|d| d.join(INDEX_FILE));
        let old: HashMap<String, Indexed> = index_path
            .as_deref()
            .and_then(|p| std::fs::read(p).ok())
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
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
                    "guide folder {} cannot be read: {e}",
                    folder.path.display()
                )),
                Ok(m) if !m.is_dir() => files.push((folder.path.clone(), stat_of(&m))),
                Ok(_) => {
                    let mut found = Vec::new();
                    walk(&folder.path, 0, &mut found, &mut cat.notices);
                    // Byte order of the paths: as deterministic as component order, much cheaper.
                    found.sort_unstable_by(|a, b| a.0.as_os_str().cmp(b.0.as_os_str()));
                    files.extend(found);
                }
            }
        }
        // Stat every file; reuse the index where size and mtime agree, parse the rest.
        let (files, stats): (Vec<PathBuf>, Vec<(u64, u128)>) = files.into_iter().unzip();
        let keys: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
        let mut results: Vec<Option<Result<Meta, String>>> = keys
            .iter()
            .zip(&stats)
            .map(|(k, &(size, mtime_ns))| {
                old.get(k)
                    .filter(|e| e.size == size && e.mtime_ns == mtime_ns && size > 0)
                    .map(|e| e.meta.clone())
            })
            .collect();
        let todo: Vec<usize> = (0..files.len()).filter(|&i| results[i].is_none()).collect();
        cat.parsed = todo.len();
        let fresh = parse_parallel(&files, &todo);
        for (i, meta) in todo.iter().zip(fresh) {
            results[*i] = Some(meta);
        }
        // The index is rewritten only when something changed.
        let rewrite = index_path.is_some() && (cat.parsed > 0 || old.len() != files.len());
        let mut index = HashMap::with_capacity(if rewrite { files.len() } else { 0 });
        for (((path, key), (size, mtime_ns)), meta) in
            files.into_iter().zip(keys).zip(stats).zip(results)
        {
            let meta = meta.unwrap_or_else(|| Err(format!("{key}: could not be read")));
            if rewrite {
                index.insert(
                    key,
                    Indexed {
                        size,
                        mtime_ns,
                        meta: meta.clone(),
                    },
                );
            }
            cat.add(Origin::File(path), meta);
        }
        if let Some(p) = index_path.filter(|_| rewrite)
            && let Err(e) = write_index(&p, &index)
        {
            cat.notices.push(format!(
                "could not write the guide index {}: {e}",
                p.display()
            ));
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
    /// there yet. The error is the guide's first problem.
    pub fn ensure_loaded(&self, i: usize, lib: &mut super::Library) -> Result<usize, String> {
        let item = self
            .items
            .get(i)
            .ok_or_else(|| "no such guide".to_owned())?;
        if let Some(k) = lib.index_of(&item.meta.id) {
            return Ok(k);
        }
        let (guide, warnings) = self
            .load(i)
            .map_err(|d| summarize(Err(d)).err().unwrap_or_default())?;
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
                        why,
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

/// The `*.toml` files under `dir` (as deep as the loader goes) with their size and mtime, read
/// from the directory entries (cheaper than a path lookup per file).
pub(crate) fn walk(
    dir: &Path,
    depth: usize,
    out: &mut Vec<(PathBuf, (u64, u128))>,
    notices: &mut Vec<String>,
) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            notices.push(format!(
                "guide folder {} cannot be read: {e}",
                dir.display()
            ));
            return;
        }
    };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        if kind.is_dir() {
            if depth < super::load::MAX_DEPTH
                && !entry.file_name().to_string_lossy().starts_with('.')
            {
                walk(&path, depth + 1, out, notices);
            }
        } else if path.extension().is_some_and(|x| x == "toml")
            && super::load::guide_of_cases(&path).is_none()
        {
            // A symlink's own metadata says little: follow it.
            let meta = if kind.is_symlink() {
                std::fs::metadata(&path)
            } else {
                entry.metadata()
            };
            out.push((path, meta.as_ref().map_or((0, 0), stat_of)));
        }
    }
}

/// Parse the files at `todo` on every core; results in `todo` order.
fn parse_parallel(files: &[PathBuf], todo: &[usize]) -> Vec<Result<Meta, String>> {
    super::load::parallel_map(
        todo,
        |&i| summarize(parse_file(&files[i])),
        |&i| {
            Err(format!(
                "{}: the parser failed on this file",
                files[i].display()
            ))
        },
    )
}

/// Write the index atomically (temporary file, rename), so readers never see half of it.
fn write_index(path: &Path, index: &HashMap<String, Indexed>) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("json.tmp{}", std::process::id()));
    let bytes = serde_json::to_vec(index).map_err(std::io::Error::other)?;
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

/// Where the index lives: `TSHOOT_CACHE_DIR`, else the cache dir from `directories`.
pub fn default_index_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("TSHOOT_CACHE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    directories::ProjectDirs::from("", "", "tshoot").map(|p| p.cache_dir().to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guide(id: &str, title: &str) -> String {
        BUNDLED[0]
            .1
            .replace("id = \"AADSTS50143\"", &format!("id = \"{id}\""))
            .replace("aliases = [\"50143\"]", "aliases = []")
            .replace(
                "title = \"Session mismatch\"",
                &format!("title = \"{title}\""),
            )
    }

    #[test]
    fn the_index_is_used_and_refreshed_by_size_and_mtime() {
        let lib = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        std::fs::write(lib.path().join("a.toml"), guide("A1", "First")).unwrap();
        std::fs::write(lib.path().join("b.toml"), guide("B2", "Second")).unwrap();
        std::fs::write(lib.path().join("bad.toml"), "format = 1\nid = ").unwrap();
        let folders = [Folder {
            path: lib.path().into(),
            explicit: true,
        }];
        let c1 = Catalog::scan(&folders, Some(cache.path()));
        assert_eq!(c1.parsed, 3);
        assert_eq!(c1.items.len(), 3); // bundled + 2
        assert_eq!(c1.broken.len(), 1);
        assert!(
            c1.broken[0].summary.contains("bad.toml:2:"),
            "{}",
            c1.broken[0].summary
        );
        let c2 = Catalog::scan(&folders, Some(cache.path()));
        assert_eq!(c2.parsed, 0, "all from the index");
        assert_eq!(c2.items[c2.find("b2").unwrap()].meta.title, "Second");
        assert_eq!(c2.broken.len(), 1);
        // A changed file (different size) is parsed again, and opening it reads it afresh.
        std::fs::write(lib.path().join("b.toml"), guide("B2", "Second, revised")).unwrap();
        let c3 = Catalog::scan(&folders, Some(cache.path()));
        assert_eq!(c3.parsed, 1);
        let i = c3.find("B2").unwrap();
        assert_eq!(c3.items[i].meta.title, "Second, revised");
        assert_eq!(c3.load(i).unwrap().0.title, "Second, revised");
    }

    #[test]
    fn a_damaged_index_is_rebuilt_and_overrides_are_told() {
        let lib = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        std::fs::write(cache.path().join(INDEX_FILE), b"{ not json").unwrap();
        std::fs::write(lib.path().join("x.toml"), guide("AADSTS50143", "Mine")).unwrap();
        let c = Catalog::scan(
            &[Folder {
                path: lib.path().into(),
                explicit: true,
            }],
            Some(cache.path()),
        );
        assert_eq!(c.items.len(), 1);
        assert_eq!(c.items[0].meta.title, "Mine");
        assert!(c.notices.iter().any(|n| n.contains("overrides")));
        assert!(
            serde_json::from_slice::<serde_json::Value>(
                &std::fs::read(cache.path().join(INDEX_FILE)).unwrap()
            )
            .is_ok()
        );
        assert_eq!(c.find("50143"), None, "the override has no alias");
        assert_eq!(c.find("aadsts50143"), Some(0));
    }
}
