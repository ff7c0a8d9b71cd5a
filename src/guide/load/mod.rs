//! The guide library: bundled guides (compiled in), then the user's guide folder, then the
//! config file's extra folders, then `TSHOOT_GUIDES`, then `--guides DIR` flags. A later source
//! overrides an earlier one with the same id, and says so in [`Library::notices`]. A guide
//! that fails to load is kept in [`Library::failures`] with its diagnostics; it never stops the
//! others.

use std::fmt;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use super::diag::{Diagnostic, Severity};
use super::model::Guide;
use super::validate::parse_with_cases;

/// Guides compiled into the binary: (file name, source).
pub const BUNDLED: &[(&str, &str)] = &[(
    "aadsts50143.toml",
    include_str!("../../../assets/guides/aadsts50143.toml"),
)];

/// How deep guide folders are searched for `*.toml` files.
pub(crate) const MAX_DEPTH: usize = 4;

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
#[derive(Debug, Clone)]
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
        super::catalog::walk(&folder.path, 0, &mut found, &mut self.notices);
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

/// `f` over `items` on every core (at most 8 threads), results in `items` order. A chunk whose
/// thread panicked gives `failed(item)` for each of its items, so nothing is dropped.
pub(crate) fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
    failed: impl Fn(&T) -> R,
) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(8);
    let chunk = items.len().div_ceil(workers).max(1);
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                (
                    part,
                    s.spawn(move || part.iter().map(f).collect::<Vec<_>>()),
                )
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|(part, h)| {
                h.join()
                    .unwrap_or_else(|_| part.iter().map(&failed).collect())
            })
            .collect()
    })
}

/// A guide file read and parsed: the guide and its warnings, or its problems.
pub(crate) type ParsedFile = Result<(Guide, Vec<Diagnostic>), Vec<Diagnostic>>;

/// Read and parse one guide file.
pub(crate) fn parse_file(path: &Path) -> ParsedFile {
    let src = read_text(path).map_err(|d| vec![d])?;
    let cases_path = cases_file_of(path).filter(|p| p.is_file());
    let cases = match cases_path.as_deref().map(read_text) {
        None => None,
        Some(Ok(text)) => Some(text),
        Some(Err(d)) => return Err(vec![d]),
    };
    let cases_name = cases_path.map(|p| p.display().to_string());
    parse_with_cases(
        &path.display().to_string(),
        &src,
        cases_name.as_deref().zip(cases.as_deref()),
    )
}

/// Read a guide file as UTF-8 text, or say why not.
#[allow(
    clippy::result_large_err,
    reason = "called once per guide file; the diagnostic is the whole point of the error"
)]
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let name = path.display().to_string();
    let file = crate::fsread::open_regular(path).map_err(|e| match e {
        crate::fsread::ReadError::Io(e) => io_diag(&name, &e),
        other => Diagnostic::nowhere(
            Severity::Error,
            &name,
            format!("cannot read the guide: {other}"),
        )
        .with_help("guides are plain TOML files; move or rename this one")
        .with_code("unreadable"),
    })?;
    let meta = file.metadata().map_err(|e| io_diag(&name, &e))?;
    if meta.len() > super::validate::MAX_GUIDE_BYTES as u64 {
        return Err(Diagnostic::nowhere(
            Severity::Error,
            &name,
            format!(
                "file is {} bytes; guides are limited to {} bytes",
                meta.len(),
                super::validate::MAX_GUIDE_BYTES
            ),
        )
        .with_code("too-large"));
    }
    // Read at most one byte past the limit: the size in the metadata can lie (0 for
    // /dev/zero or a pipe, or the file grew), and reading such a file whole never ends.
    let mut bytes = Vec::new();
    file.take(super::validate::MAX_GUIDE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_diag(&name, &e))?;
    if bytes.len() > super::validate::MAX_GUIDE_BYTES {
        return Err(Diagnostic::nowhere(
            Severity::Error,
            &name,
            format!(
                "file is larger than {} bytes, the limit for guides",
                super::validate::MAX_GUIDE_BYTES
            ),
        )
        .with_code("too-large"));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(e.as_bytes());
        Diagnostic::at(
            Severity::Error,
            &name,
            &text,
            at..at + 1,
            "file is not valid UTF-8 text",
        )
        .with_help("save the guide as UTF-8; binary files are not guides")
        .with_code("not-utf8")
    })
}

/// The replay-cases file of guide `x.toml`: `x.cases.toml` beside it.
pub fn cases_file_of(guide: &Path) -> Option<PathBuf> {
    let stem = guide.file_stem()?.to_str()?;
    if guide.extension()? != "toml" || stem.ends_with(".cases") {
        return None;
    }
    Some(guide.with_file_name(format!("{stem}.cases.toml")))
}

/// The guide `x.toml` a replay-cases file `x.cases.toml` belongs to (`None` for other files).
pub fn guide_of_cases(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let stem = name.strip_suffix(".cases.toml")?;
    (!stem.is_empty()).then(|| path.with_file_name(format!("{stem}.toml")))
}

fn io_diag(name: &str, e: &std::io::Error) -> Diagnostic {
    let help = match e.kind() {
        std::io::ErrorKind::NotFound => "check the path",
        std::io::ErrorKind::PermissionDenied => "check the file's permissions",
        _ => "check that the file is a readable guide",
    };
    Diagnostic::nowhere(Severity::Error, name, format!("cannot read: {e}"))
        .with_help(help)
        .with_code("unreadable")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_guides_load_clean() {
        let lib = Library::load(&[]);
        assert!(lib.failures.is_empty(), "{:#?}", lib.failures);
        for e in &lib.guides {
            assert!(e.warnings.is_empty(), "{}: {:#?}", e.origin, e.warnings);
        }
        assert!(lib.find("aadsts50143").is_some());
        assert!(lib.find("50143").is_some());
        assert!(lib.find("nope").is_none());
    }

    #[test]
    fn later_source_overrides_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let src = BUNDLED[0]
            .1
            .replace("title = \"Session mismatch\"", "title = \"Overridden\"");
        std::fs::write(dir.path().join("x.toml"), src).unwrap();
        std::fs::write(dir.path().join("broken.toml"), "format = 1\nid = ").unwrap();
        let lib = Library::load(&[Folder {
            path: dir.path().into(),
            explicit: true,
        }]);
        assert_eq!(lib.guides.len(), 1);
        assert_eq!(lib.guides[0].guide.title, "Overridden");
        assert!(
            lib.notices.iter().any(|n| n.contains("overrides")),
            "{:?}",
            lib.notices
        );
        assert_eq!(lib.failures.len(), 1);
        assert!(
            lib.failures[0].summary().contains("broken.toml:2:"),
            "{}",
            lib.failures[0].summary()
        );
    }

    #[test]
    fn missing_explicit_folder_is_reported() {
        let lib = Library::load(&[Folder {
            path: "/nonexistent/tshoot".into(),
            explicit: true,
        }]);
        assert!(lib.notices.iter().any(|n| n.contains("does not exist")));
        assert_eq!(lib.guides.len(), BUNDLED.len());
    }
}
