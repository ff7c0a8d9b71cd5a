//! Guide files on disk, shared by the full library ([`super::load`]) and the catalog
//! ([`super::catalog`]): finding the `*.toml` files under a folder (`walk`), reading one
//! as text with located errors ([`read_text`]) and parsing it with its replay cases
//! (`parse_file`), and spreading such work over the cores (`parallel_map`). Neither of
//! those two modules needs the other for this: the catalog uses the library's types, never
//! the other way round.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use super::diag::{Diagnostic, Severity};
use super::model::Guide;
use super::validate::parse_with_cases;

/// How deep guide folders are searched for `*.toml` files.
pub(crate) const MAX_DEPTH: usize = 4;

/// The `*.toml` files under `dir` (at most `MAX_DEPTH` folders down), from the directory entries
/// alone: no stat per file here (the catalog stats them on every core).
pub(crate) fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>, notices: &mut Vec<String>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            notices.push(format!(
                "guide folder {} cannot be read: {e} (check its permissions, or remove it from the config)",
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
            if depth < MAX_DEPTH && !entry.file_name().to_string_lossy().starts_with('.') {
                walk(&path, depth + 1, out, notices);
            }
        } else if path.extension().is_some_and(|x| x == "toml") && guide_of_cases(&path).is_none() {
            out.push(path);
        }
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
#[expect(
    clippy::case_sensitive_file_extension_comparisons,
    reason = "the names are lower case as documented: x.toml and x.cases.toml"
)]
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
