//! The guide commands: `show`, `check` (and its rules), `test`, `new`, `import`, `schema`
//! and `completions`.

use std::io::Write;

use super::{
    Cli, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, OutputFormat, PathBuf, clean, plural, write_json,
};
use crate::guide::load::Library;
use crate::guide::{Diagnostic, Severity, show};

/// `tshoot show ID`.
pub fn show(lib: &Library, id: &str, width: usize, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    if let Some(e) = lib.find(id) {
        let _ = out.write_all(show::plain(&e.guide, width).as_bytes());
        EXIT_OK
    } else {
        not_found(lib, id, err);
        EXIT_PROBLEMS
    }
}

/// Say that no guide answers to `query`, with the nearest ids.
pub fn not_found(lib: &Library, query: &str, err: &mut dyn Write) {
    let q = query.to_lowercase();
    let mut near: Vec<(f64, &str)> = lib
        .guides
        .iter()
        .map(|e| e.guide.id.as_str())
        .chain(lib.unparsed_ids.iter().map(String::as_str))
        .map(|id| (strsim::jaro_winkler(&q, &id.to_lowercase()), id))
        .filter(|(s, _)| *s > 0.7)
        .collect();
    near.sort_by(|a, b| b.0.total_cmp(&a.0));
    let _ = write!(
        err,
        "tshoot: no guide has the id or alias \"{}\"",
        clean(query)
    );
    // A guide for another code is not a near miss: name the generic guide and `new` instead.
    if let Some(code) = crate::codes::normalize(query.trim()) {
        let typo = near
            .first()
            .map(|(_, id)| {
                format!(" (if it was mistyped: {id} is a different error, with a guide)")
            })
            .unwrap_or_default();
        let _ = writeln!(
            err,
            "; {code} has no guide yet: `tshoot {code}` works it in the generic guide, `tshoot new {code} -o {}.toml` starts one{typo}",
            code.to_ascii_lowercase()
        );
        return;
    }
    if let Some((_, id)) = near.first() {
        let _ = write!(err, "; did you mean {id}?");
    }
    let _ = writeln!(err, " (`tshoot list` shows every guide)");
}

/// `tshoot check`: every diagnostic, then a summary. Exit 1 when any error.
pub fn check(lib: &Library, format: OutputFormat, out: &mut dyn Write) -> u8 {
    let mut diags: Vec<&Diagnostic> = lib.failures.iter().flat_map(|f| &f.diagnostics).collect();
    diags.extend(lib.guides.iter().flat_map(|e| &e.warnings));
    diags.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    let files = lib.guides.len() + lib.failures.len();
    match format {
        OutputFormat::Json => {
            let v = serde_json::json!({
                "files": files,
                "errors": errors,
                "warnings": warnings,
                "notices": lib.notices,
                "diagnostics": diags,
            });
            write_json(out, &v);
        }
        OutputFormat::Text => {
            for n in &lib.notices {
                let _ = writeln!(out, "note: {n}");
            }
            for d in &diags {
                let _ = writeln!(out, "{d}");
            }
            let _ = writeln!(
                out,
                "checked {files} guide file{}: {errors} error{}, {warnings} warning{}",
                if files == 1 { "" } else { "s" },
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" },
            );
        }
    }
    let missing_paths = lib
        .notices
        .iter()
        .any(|n| n.contains("does not exist") || n.contains("cannot be read"));
    if errors > 0 || missing_paths {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    }
}

/// `tshoot check --rules`.
pub fn rules(format: OutputFormat, out: &mut dyn Write) -> u8 {
    use crate::guide::diag::RULES;
    match format {
        OutputFormat::Json => {
            write_json(out, RULES);
        }
        OutputFormat::Text => {
            let w = RULES.iter().map(|r| r.code.len()).max().unwrap_or(4);
            for r in RULES {
                let _ = writeln!(out, "{:w$}  {:7}  {}", r.code, r.severity, r.summary);
            }
        }
    }
    EXIT_OK
}

/// `tshoot test`: run every replay case of the library. Exit 1 when one fails or a guide does
/// not load.
pub fn test(lib: &Library, out: &mut dyn Write) -> u8 {
    let mut text = String::new();
    let sum = crate::authoring::replay::run_library(lib, &mut text);
    let _ = out.write_all(text.as_bytes());
    let missing = lib
        .notices
        .iter()
        .any(|n| n.contains("does not exist") || n.contains("cannot be read"));
    for n in &lib.notices {
        let _ = writeln!(out, "note: {n}");
    }
    if sum.failed > 0 || missing {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    }
}

/// Where `tshoot import` and `tshoot new` write: standard output, or a file they will not
/// overwrite without `--force`.
fn write_output(
    path: Option<&std::path::Path>,
    text: &str,
    force: bool,
    out: &mut dyn Write,
) -> Result<(), String> {
    let Some(path) = path else {
        return out.write_all(text.as_bytes()).map_err(|e| e.to_string());
    };
    let mut open = std::fs::OpenOptions::new();
    open.write(true);
    if force {
        open.create(true).truncate(true);
    } else {
        open.create_new(true);
    }
    let mut file = open.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            format!("{} exists; --force overwrites it", path.display())
        } else {
            format!("cannot write {}: {e}", path.display())
        }
    })?;
    file.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// `tshoot new ID [-o FILE]`.
pub fn new(
    id: &str,
    output: Option<&std::path::Path>,
    force: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let text = match crate::authoring::new::starter(id) {
        Ok(t) => t,
        Err(e) => {
            let _ = writeln!(err, "tshoot: {e}");
            return EXIT_USAGE;
        }
    };
    match write_output(output, &text, force, out) {
        Ok(()) => {
            if let Some(p) = output {
                let _ = writeln!(
                    err,
                    "tshoot: wrote {}; try `tshoot preview {}`",
                    p.display(),
                    p.display()
                );
            }
            EXIT_OK
        }
        Err(e) => {
            let _ = writeln!(err, "tshoot: {e}");
            EXIT_PROBLEMS
        }
    }
}

/// `tshoot import FILE.md... [-o DIR] [--force]`.
#[expect(
    clippy::too_many_lines,
    reason = "reads, builds, checks and writes, reporting each step; every branch is an exit path"
)]
pub fn import(
    files: &[PathBuf],
    opts: &ImportOptions<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let output = opts.output;
    let files = match documents(files) {
        Ok(f) => f,
        Err(e) => {
            let _ = writeln!(err, "tshoot: {e}");
            return EXIT_PROBLEMS;
        }
    };
    if files.is_empty() {
        let _ = writeln!(
            err,
            "tshoot: no document to import (.md, .markdown, .html, .htm, .txt) in the paths given"
        );
        return EXIT_USAGE;
    }
    if files.len() > 1 && output.is_none() {
        let _ = writeln!(
            err,
            "tshoot: {} documents need a folder to write to: add -o DIR",
            files.len()
        );
        return EXIT_USAGE;
    }
    if opts.json && output.is_none() && !opts.explain {
        let _ = writeln!(
            err,
            "tshoot: --json prints the report on standard output, where the guide would go: add -o DIR"
        );
        return EXIT_USAGE;
    }
    if let Some(dir) = output
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        let _ = writeln!(
            err,
            "tshoot: cannot create {}: {e}; choose another folder with -o",
            dir.display()
        );
        return EXIT_PROBLEMS;
    }
    let results = import_all(&files, opts.base_url);
    let mut code = EXIT_OK;
    let mut report = Vec::new();
    for (file, result) in files.iter().zip(results) {
        let name = file.display().to_string();
        let mut row = serde_json::json!({ "document": name });
        let imported = match result {
            Ok(i) => i,
            Err(e) => {
                let _ = write!(err, "{e}");
                row["error"] = e.trim().into();
                report.push(row);
                code = EXIT_PROBLEMS;
                continue;
            }
        };
        for w in &imported.warnings {
            let _ = writeln!(err, "{name}:{}: warning: {}", w.line, w.message);
        }
        if opts.explain {
            let _ = writeln!(out, "{name}: where each part of the guide comes from");
            for (part, from) in &imported.sources {
                let _ = writeln!(out, "  {part}: {from}");
            }
            continue;
        }
        let target = output.map(|dir| {
            let file: String = imported
                .guide
                .id
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                        c.to_ascii_lowercase()
                    } else {
                        '-'
                    }
                })
                .collect();
            dir.join(format!("{file}.toml"))
        });
        // The import must give a guide that loads: check it as `tshoot check` would.
        let shown = target.as_ref().map_or_else(
            || format!("<import of {name}>"),
            |t| t.display().to_string(),
        );
        let check_warnings = match crate::guide::parse(&shown, &imported.toml) {
            Ok((_, warnings)) => {
                for w in &warnings {
                    let _ = write!(err, "{w}");
                }
                warnings.len()
            }
            Err(diags) => {
                for d in &diags {
                    let _ = write!(err, "{d}");
                }
                let _ = writeln!(
                    err,
                    "tshoot: the guide imported from {name} does not pass `tshoot check`: this is a bug in the importer; please report it with the document"
                );
                row["error"] = "the imported guide does not pass check".into();
                report.push(row);
                code = EXIT_PROBLEMS;
                continue;
            }
        };
        if let Err(e) = write_output(target.as_deref(), &imported.toml, opts.force, out) {
            let _ = writeln!(err, "tshoot: {e}");
            row["error"] = e.into();
            report.push(row);
            code = EXIT_PROBLEMS;
            continue;
        }
        let g = &imported.guide;
        let guessed = imported.toml.matches("REVIEW").count();
        let dropped = imported.dropped.total();
        let _ = writeln!(
            err,
            "tshoot: {name} -> {}: {} step{}, {} issue{}, {} resolution{}, {} ticket field{}, {} replay case{}, {} warning{}; {guessed} to review, {dropped} dropped, check: {}",
            target
                .as_ref()
                .map_or_else(|| g.id.to_string(), |t| t.display().to_string()),
            g.steps.len(),
            plural(g.steps.len()),
            g.issues.len(),
            plural(g.issues.len()),
            g.resolutions.len(),
            plural(g.resolutions.len()),
            g.fields().len(),
            plural(g.fields().len()),
            g.cases.len(),
            plural(g.cases.len()),
            imported.warnings.len(),
            plural(imported.warnings.len()),
            if check_warnings == 0 {
                "clean".to_owned()
            } else {
                format!("{check_warnings} warning{}", plural(check_warnings))
            },
        );
        let d = &imported.dropped;
        row = serde_json::json!({
            "document": name,
            "guide": target.as_ref().map(|t| t.display().to_string()),
            "id": g.id.to_string(),
            "steps": g.steps.len(),
            "issues": g.issues.len(),
            "resolutions": g.resolutions.len(),
            "fields": g.fields().len(),
            "cases": g.cases.len(),
            "warnings": imported.warnings.len(),
            "to_review": guessed,
            "dropped": {
                "comments": d.comments.len(),
                "includes": d.includes.len(),
                "images": d.images.len(),
                "videos": d.videos.len(),
                "other": d.other.len(),
            },
            "check_warnings": check_warnings,
        });
        report.push(row);
    }
    if opts.json {
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    }
    code
}

/// How `tshoot import` runs.
#[derive(Debug, Default)]
pub struct ImportOptions<'a> {
    pub output: Option<&'a std::path::Path>,
    pub force: bool,
    /// The report as JSON on standard output.
    pub json: bool,
    /// Print where each part of the guide comes from instead of writing it.
    pub explain: bool,
    /// Site-relative links are made absolute on this address.
    pub base_url: Option<&'a str>,
}

/// The extensions of documents a folder is searched for.
const DOCUMENTS: [&str; 5] = ["md", "markdown", "html", "htm", "txt"];

/// The files to import: the files given, and the documents in the folders given (recursively,
/// in name order).
fn documents(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    fn walk(dir: &std::path::Path, into: &mut Vec<PathBuf>) -> Result<(), String> {
        let entries = std::fs::read_dir(dir)
            .map_err(|e| format!("cannot read the folder {}: {e}", dir.display()))?;
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if p.is_dir() {
                walk(&p, into)?;
            } else if p
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| DOCUMENTS.contains(&e.to_lowercase().as_str()))
            {
                into.push(p);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out)?;
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// Reads and imports every file, on as many threads as there are cores; the results come back
/// in the files' order. An error is the message to print.
fn import_all(
    files: &[PathBuf],
    base_url: Option<&str>,
) -> Vec<Result<crate::authoring::import::Imported, String>> {
    use crate::authoring::import;
    let one = |file: &PathBuf| {
        let name = file.display().to_string();
        let mut text = crate::guide::load::read_text(file).map_err(|d| d.to_string())?;
        if let Some(base) = base_url {
            text = import::absolute_links(&text, base);
        }
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let html = file
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
        let result = if html {
            import::import_html(&text, &stem)
        } else {
            import::import(&text, &stem)
        };
        result.map_err(|e| format!("{name}: error: {e}\n"))
    };
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let chunk = files.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                let n = part.len();
                (n, s.spawn(move || part.iter().map(one).collect::<Vec<_>>()))
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|(n, h)| {
                h.join().unwrap_or_else(|_| {
                    vec![Err("tshoot: an import thread failed\n".to_owned()); n]
                })
            })
            .collect()
    })
}

/// The JSON Schema of the guide format, as committed in `assets/guide.schema.json`.
pub fn schema() -> String {
    let schema = schemars::schema_for!(crate::guide::Guide);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

/// `tshoot completions SHELL`.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> u8 {
    use clap::CommandFactory;
    // Into memory first: clap_complete panics when its writer fails (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "tshoot", &mut script);
    let _ = out.write_all(&script);
    EXIT_OK
}
