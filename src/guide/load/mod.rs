//! The guide library: bundled guides (compiled in), then the user's guide folder, then the
//! config file's extra folders, then `TSHOOT_GUIDES`, then `--guides DIR` flags. A later source
//! overrides an earlier one with the same id, and says so in [`Library::notices`]. A guide
//! that fails to load is kept in [`Library::failures`] with its diagnostics; it never stops the
//! others.

use std::fmt;
use std::path::{Path, PathBuf};

use super::diag::{Diagnostic, Severity};
use super::files::{ParsedFile, parallel_map, parse_file, walk};
use super::model::Guide;
use super::validate::parse_with_cases;

/// Reading guide files lives in [`super::files`]; these stay reachable here for callers.
pub use super::files::{cases_file_of, guide_of_cases, read_text};

/// The reference guide, AADSTS50143: the format's worked example, and the guide most tests
/// start from (by name, not by its place in [`BUNDLED`]).
pub const REFERENCE_GUIDE: &str = include_str!("../../../assets/guides/aadsts50143.toml");

/// Guides compiled into the binary: (file name, source), every `assets/guides/*.toml` in file
/// name order (a unit test fails when a file there is missing here, or the other way round).
/// Adding a file is one more line; each costs its size in the binary (the 29 are about
/// 410 KB of text) and nothing at start-up until the picker or a command reads its header.
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "aadb2c90006.toml",
        include_str!("../../../assets/guides/aadb2c90006.toml"),
    ),
    (
        "aadb2c90080.toml",
        include_str!("../../../assets/guides/aadb2c90080.toml"),
    ),
    (
        "aadb2c90118.toml",
        include_str!("../../../assets/guides/aadb2c90118.toml"),
    ),
    (
        "aadsts500011.toml",
        include_str!("../../../assets/guides/aadsts500011.toml"),
    ),
    (
        "aadsts50011.toml",
        include_str!("../../../assets/guides/aadsts50011.toml"),
    ),
    (
        "aadsts50020.toml",
        include_str!("../../../assets/guides/aadsts50020.toml"),
    ),
    (
        "aadsts50034.toml",
        include_str!("../../../assets/guides/aadsts50034.toml"),
    ),
    (
        "aadsts50053.toml",
        include_str!("../../../assets/guides/aadsts50053.toml"),
    ),
    (
        "aadsts50055.toml",
        include_str!("../../../assets/guides/aadsts50055.toml"),
    ),
    (
        "aadsts50057.toml",
        include_str!("../../../assets/guides/aadsts50057.toml"),
    ),
    (
        "aadsts50058.toml",
        include_str!("../../../assets/guides/aadsts50058.toml"),
    ),
    (
        "aadsts50074.toml",
        include_str!("../../../assets/guides/aadsts50074.toml"),
    ),
    (
        "aadsts50076.toml",
        include_str!("../../../assets/guides/aadsts50076.toml"),
    ),
    (
        "aadsts50079.toml",
        include_str!("../../../assets/guides/aadsts50079.toml"),
    ),
    (
        "aadsts50105.toml",
        include_str!("../../../assets/guides/aadsts50105.toml"),
    ),
    (
        "aadsts50126.toml",
        include_str!("../../../assets/guides/aadsts50126.toml"),
    ),
    ("aadsts50143.toml", REFERENCE_GUIDE),
    (
        "aadsts50173.toml",
        include_str!("../../../assets/guides/aadsts50173.toml"),
    ),
    (
        "aadsts53000.toml",
        include_str!("../../../assets/guides/aadsts53000.toml"),
    ),
    (
        "aadsts53003.toml",
        include_str!("../../../assets/guides/aadsts53003.toml"),
    ),
    (
        "aadsts65001.toml",
        include_str!("../../../assets/guides/aadsts65001.toml"),
    ),
    (
        "aadsts700016.toml",
        include_str!("../../../assets/guides/aadsts700016.toml"),
    ),
    (
        "aadsts7000215.toml",
        include_str!("../../../assets/guides/aadsts7000215.toml"),
    ),
    (
        "aadsts7000218.toml",
        include_str!("../../../assets/guides/aadsts7000218.toml"),
    ),
    (
        "aadsts7000222.toml",
        include_str!("../../../assets/guides/aadsts7000222.toml"),
    ),
    (
        "aadsts700082.toml",
        include_str!("../../../assets/guides/aadsts700082.toml"),
    ),
    (
        "aadsts70011.toml",
        include_str!("../../../assets/guides/aadsts70011.toml"),
    ),
    (
        "aadsts90072.toml",
        include_str!("../../../assets/guides/aadsts90072.toml"),
    ),
    (
        "generic.toml",
        include_str!("../../../assets/guides/generic.toml"),
    ),
];

/// Where a guide came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Bundled(&'static str),
    File(PathBuf),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Bundled(name) => write!(f, "<bundled>/{name}"),
            Origin::File(p) => write!(f, "{}", p.display()),
        }
    }
}

/// A guide that loaded, with its warnings.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub guide: Guide,
    pub origin: Origin,
    /// Warnings, and errors in replay cases: those fail `check` but do not stop a guide from
    /// loading (see [`super::validate`]).
    pub warnings: Vec<Diagnostic>,
}

/// A guide file that did not load.
#[derive(Debug, Clone)]
pub struct Failure {
    pub origin: Origin,
    pub diagnostics: Vec<Diagnostic>,
}

impl Failure {
    /// The first error's headline, for one-line listings.
    pub fn summary(&self) -> String {
        self.diagnostics
            .iter()
            .find(|d| d.is_error())
            .or(self.diagnostics.first())
            .map_or_else(
                || format!("{}: could not be loaded", self.origin),
                Diagnostic::headline,
            )
    }
}

/// A folder to load guides from, and whether its absence is worth a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folder {
    pub path: PathBuf,
    /// Named by the user (flag, variable, config): a missing folder is reported.
    pub explicit: bool,
}

/// Every loaded guide.
#[derive(Debug, Default, Clone)]
pub struct Library {
    pub guides: Vec<Entry>,
    pub failures: Vec<Failure>,
    /// Things worth telling that are not failures (overrides, missing folders).
    pub notices: Vec<String>,
    /// Ids of other guides that exist but were not parsed (a library built from the catalog
    /// with only the guides a command needs): for "did you mean" suggestions.
    pub unparsed_ids: Vec<String>,
    /// Lower-cased id -> index into `guides`, so overrides and lookups stay O(1) for large
    /// libraries.
    by_id: std::collections::HashMap<String, usize>,
}

impl Library {
    /// Load the bundled guides, then each folder in order.
    pub fn load(folders: &[Folder]) -> Self {
        let mut lib = Self::default();
        for (name, src) in BUNDLED {
            lib.add(Origin::Bundled(name), src);
        }
        for folder in folders {
            lib.load_folder(folder);
        }
        lib
    }

    /// Load only the given files or folders (for `check` and `preview`), no bundled guides.
    pub fn load_paths(paths: &[PathBuf]) -> Self {
        let mut lib = Self::default();
        for p in paths {
            if let Some(guide) = guide_of_cases(p) {
                // `x.cases.toml` is checked with its guide `x.toml`.
                if !paths.contains(&guide) {
                    lib.load_file(&guide);
                }
            } else if p.is_dir() {
                lib.load_folder(&Folder {
                    path: p.clone(),
                    explicit: true,
                });
            } else {
                lib.load_file(p);
            }
        }
        lib
    }

    fn load_folder(&mut self, folder: &Folder) {
        match std::fs::metadata(&folder.path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if folder.explicit {
                    self.notices.push(format!(
                        "guide folder {} does not exist (create it, or fix the path)",
                        folder.path.display()
                    ));
                }
                return;
            }
            Err(e) => {
                self.notices.push(format!(
                    "guide folder {} cannot be read: {e} (check its permissions, or remove it from the config)",
                    folder.path.display()
                ));
                return;
            }
            Ok(m) if !m.is_dir() => {
                self.load_file(&folder.path);
                return;
            }
            Ok(_) => {}
        }
        let mut found = Vec::new();
        walk(&folder.path, 0, &mut found, &mut self.notices);
        let mut files = found;
        files.sort();
        // Reading and parsing dominate a large library: spread them over the cores, then add
        // the results in file order so overrides stay deterministic.
        let parsed = parallel_map(
            &files,
            |p| parse_file(p),
            |p| {
                Err(vec![Diagnostic::nowhere(
                    Severity::Error,
                    &p.display().to_string(),
                    "the parser failed on this file",
                )])
            },
        );
        for (path, result) in files.into_iter().zip(parsed) {
            self.add_parsed(Origin::File(path), result);
        }
    }

    /// Load one guide file, with the replay cases of `NAME.cases.toml` beside it if there is
    /// one.
    pub fn load_file(&mut self, path: &Path) {
        let result = parse_file(path);
        self.add_parsed(Origin::File(path.to_path_buf()), result);
    }

    /// Parse `src` and add it, replacing (with a notice) any guide of the same id.
    pub fn add(&mut self, origin: Origin, src: &str) {
        let parsed = parse_with_cases(&origin.to_string(), src, None);
        self.add_parsed(origin, parsed);
    }

    fn add_parsed(&mut self, origin: Origin, parsed: ParsedFile) {
        match parsed {
            Ok((guide, warnings)) => {
                let key = guide.id.to_ascii_lowercase();
                if let Some(&i) = self.by_id.get(&key) {
                    let old = &self.guides[i].origin;
                    if *old == origin {
                        return;
                    }
                    self.notices.push(format!(
                        "guide {} from {origin} overrides the one from {old}",
                        guide.id
                    ));
                    self.guides[i] = Entry {
                        guide,
                        origin,
                        warnings,
                    };
                } else {
                    self.by_id.insert(key, self.guides.len());
                    self.guides.push(Entry {
                        guide,
                        origin,
                        warnings,
                    });
                }
            }
            Err(diagnostics) => self.failures.push(Failure {
                origin,
                diagnostics,
            }),
        }
    }

    /// The index of the guide with this id (case-insensitive).
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(&id.to_ascii_lowercase()).copied()
    }

    /// Add a parsed guide (replacing one of the same id); returns its index.
    pub fn insert(&mut self, entry: Entry) -> usize {
        let key = entry.guide.id.to_ascii_lowercase();
        if let Some(&i) = self.by_id.get(&key) {
            self.guides[i] = entry;
            i
        } else {
            self.by_id.insert(key, self.guides.len());
            self.guides.push(entry);
            self.guides.len() - 1
        }
    }

    /// The guide whose id or alias is `query` (case-insensitive).
    pub fn find(&self, query: &str) -> Option<&Entry> {
        let q = query.trim();
        self.by_id
            .get(&q.to_ascii_lowercase())
            .map(|&i| &self.guides[i])
            .or_else(|| self.guides.iter().find(|e| e.guide.answers_to(q)))
    }
}

#[cfg(test)]
mod tests;
