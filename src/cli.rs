//! The command line: clap definitions and the non-interactive commands. Each command writes
//! to the given writers and returns an exit code, so tests can run them without a process.
//!
//! Exit codes: 0 ok; 1 problems found (a check failed, a guide was not found); 2 usage
//! (clap's own errors, and arguments that cannot be acted on).

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::guide::catalog::Catalog;
use crate::guide::load::{Folder, Library};
use crate::guide::{Diagnostic, Severity, show};
use std::fmt::Write as _;

/// Exit code: everything fine.
pub const EXIT_OK: u8 = 0;
/// Exit code: problems found (check errors, guide not found).
pub const EXIT_PROBLEMS: u8 = 1;
/// Exit code: usage error.
pub const EXIT_USAGE: u8 = 2;

/// A terminal troubleshooting wizard: walk a guide from diagnostics to a ticket.
#[derive(Debug, Parser)]
#[command(name = "tshoot", about, long_about = None)]
// pkg (issue 19): the version names its build; see src/build_info.rs.
#[command(version = crate::build_info::VERSION_LINE, long_version = crate::build_info::LONG_VERSION)]
#[command(
    after_help = "Run `tshoot AADSTS50143` to start the wizard on a guide, or `tshoot` to pick one."
)]
pub struct Cli {
    /// Extra folder of guides (repeatable); overrides guides of the same id from other sources.
    #[arg(long = "guides", value_name = "DIR", global = true)]
    pub guides: Vec<PathBuf>,

    /// Config file to use instead of the default (also TSHOOT_CONFIG).
    #[arg(
        long = "config",
        value_name = "FILE",
        global = true,
        env = "TSHOOT_CONFIG"
    )]
    pub config: Option<PathBuf>,

    /// How to copy tickets: auto, tmux, osc52, system or file (overrides the config).
    #[arg(long, value_enum, value_name = "METHOD", global = true)]
    pub clipboard: Option<crate::ticket::clipboard::Method>,

    /// Mask user names (UPNs), e-mail and IP addresses and tenant ids in copied and printed
    /// tickets and in exports, as <user-1>, <ip-1>, <tenant-1> (also `redact = true` in the
    /// config). Correlation and request ids are kept.
    #[arg(long, global = true)]
    pub redact: bool,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// Guide id or alias to open (e.g. AADSTS50143 or 50143); without it, a picker.
    #[arg(value_name = "QUERY")]
    pub query: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every loaded guide: id, title, tags and where it came from.
    ///
    /// `--tag mfa` keeps the guides tagged mfa (repeat it: guides with every tag given);
    /// `--tags` prints each tag with how many guides carry it instead.
    List(ListArgs),
    /// What an error code means, and which guide covers it.
    ///
    /// The code's name, meaning and link from the bundled code catalogue (every published
    /// AADSTS and AADB2C code), then the loaded guide for it, or how to start one. CODE is
    /// AADSTS50076, aadsts50076, 50076 (bare digits are AADSTS), AADB2C90118, or an error name
    /// such as UserStrongAuthClientAuthNRequired. Exit 1 for a code the catalogue lacks, 2 for
    /// something that is not a code.
    Explain {
        /// The error code (or its name).
        code: String,
        /// Print JSON instead of text (also for an unknown code, with "known": false).
        #[arg(long)]
        json: bool,
    },
    /// Print a guide as plain text (by id or alias, case-insensitive).
    Show {
        /// Guide id or alias.
        id: String,
        /// Wrap at this many columns (0: no wrapping).
        #[arg(long, default_value_t = 100)]
        width: usize,
    },
    /// Lint guide files or folders (default: every guide tshoot loads). Exit 1 on errors.
    ///
    /// Every finding names its rule, e.g. [unreachable-step]; `--rules` lists them all.
    Check {
        /// Guide files or folders (a NAME.cases.toml is checked with its guide NAME.toml).
        paths: Vec<PathBuf>,
        /// Output format (json: for editors and CI; each finding has a "code").
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// List the rules: code, severity and what each looks for.
        #[arg(long)]
        rules: bool,
    },
    /// Run the replay cases of guides (default: every guide tshoot loads). Exit 1 on a failure.
    ///
    /// A case gives answers to the real wizard and compares what it shows with its
    /// expect_suspected, expect_checklist and expect_fields ([[case]] tables in the guide, or
    /// in NAME.cases.toml beside it).
    Test {
        /// Guide files or folders.
        paths: Vec<PathBuf>,
    },
    /// Convert Markdown troubleshooting documents into guides.
    ///
    /// Without -o the guide is printed (one file only); with -o each is written to
    /// DIR/<id>.toml. What could not be placed is reported as FILE:LINE: warning.
    Import {
        /// Markdown documents: a title line with the error code, then sections such as
        /// "Initial Diagnostic Steps", "Common Issues", "Step-by-Step Resolution Strategies".
        #[arg(required = true, value_name = "FILE.md")]
        files: Vec<PathBuf>,
        /// Folder to write the guides to (created if missing).
        #[arg(short = 'o', long = "output", value_name = "DIR")]
        output: Option<PathBuf>,
        /// Overwrite guides that already exist in DIR.
        #[arg(long)]
        force: bool,
    },
    /// Write a commented starter guide that shows every feature of the format.
    New {
        /// The guide's id, e.g. the error code AADSTS50143.
        id: String,
        /// File to write (default: standard output).
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// Overwrite FILE if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Open the wizard on one guide file and reload it whenever it is saved.
    Preview {
        /// The guide file being edited.
        file: PathBuf,
    },
    /// Fill a guide's ticket from arguments and pasted error text, and print it.
    ///
    /// Example: `tshoot ticket AADSTS50143 --paste error.txt --copy`, or
    /// `pbpaste | tshoot ticket 50143 --paste - --format json`.
    Ticket(TicketOpts),
    /// Reopen a saved case where it was left: the most recent unfinished one, or the one named.
    Resume {
        /// Session id (or its unique beginning), from `tshoot sessions`.
        id: Option<String>,
    },
    /// List saved cases: id, guide, started, last change, stage, progress.
    Sessions {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Include closed (resolved or escalated) cases.
        #[arg(long)]
        all: bool,
        /// Delete closed cases whose last change is more than DAYS days old.
        #[arg(long, value_name = "DAYS")]
        prune: Option<u64>,
    },
    /// Write a case as a record: answers with their times, issues, checklist, ticket fields.
    Export {
        /// Session id (default: the most recently changed case).
        id: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExportFormat::Markdown)]
        format: ExportFormat,
    },
    /// Show the config file's location, or every option with its default.
    Config {
        /// Print every option with its default, commented.
        #[arg(long)]
        print_default: bool,
    },
    /// Print the JSON Schema of the guide format (for editors with TOML schema support).
    Schema,
    /// Print a shell completion script: `tshoot completions bash > ~/.local/share/bash-completion/completions/tshoot`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// The options of `tshoot ticket` (documented on [`Command::Ticket`]).
#[derive(Debug, clap::Args)]
pub struct TicketOpts {
    /// Guide id or alias.
    pub id: String,
    /// Set a field: FIELD=VALUE (repeatable). For AADSTS50143 the fields are
    /// correlation_id, request_id and error_code.
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    pub set: Vec<String>,
    /// Error text to pull the IDs out of: a file, or - for standard input.
    #[arg(long, value_name = "FILE|-")]
    pub paste: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TicketFormat::Text)]
    pub format: TicketFormat,
    /// Also copy the ticket (see --clipboard); what was done is said on stderr.
    #[arg(long)]
    pub copy: bool,
}

/// What `tshoot list` was asked for.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ListArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Only guides with this tag (case-insensitive; repeatable: every tag given).
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,
    /// Print the tags instead, each with how many guides carry it, most used first.
    #[arg(long, conflicts_with = "tag")]
    pub tags: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TicketFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

/// The folders guides are loaded from after the bundled ones, in order of precedence (later
/// wins): the user's guide folder, `TSHOOT_GUIDES`, then `--guides`.
pub fn guide_folders(cli_dirs: &[PathBuf], extra: &[PathBuf]) -> Vec<Folder> {
    let mut out = Vec::new();
    if let Some(dirs) = directories::ProjectDirs::from("", "", "tshoot") {
        out.push(Folder {
            path: dirs.config_dir().join("guides"),
            explicit: false,
        });
    }
    out.extend(extra.iter().map(|p| Folder {
        path: p.clone(),
        explicit: true,
    }));
    if let Some(var) = std::env::var_os("TSHOOT_GUIDES") {
        out.extend(
            std::env::split_paths(&var)
                .filter(|p| !p.as_os_str().is_empty())
                .map(|path| Folder {
                    path,
                    explicit: true,
                }),
        );
    }
    out.extend(cli_dirs.iter().map(|p| Folder {
        path: p.clone(),
        explicit: true,
    }));
    out
}

/// `tshoot list`: a table (or JSON) of the guides, all or those with the tags asked for, or
/// with `--tags` the tag counts. A tag no guide carries is said on `err` and exits 1.
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
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&rows).unwrap_or_default()
        );
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
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&rows).unwrap_or_default()
        );
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

fn clean(s: &str) -> String {
    crate::ticket::extract::sanitize(s)
}

/// `tshoot show ID`.
pub fn show(lib: &Library, id: &str, width: usize, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match lib.find(id) {
        Some(e) => {
            let _ = out.write_all(show::plain(&e.guide, width).as_bytes());
            EXIT_OK
        }
        None => {
            not_found(lib, id, err);
            EXIT_PROBLEMS
        }
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
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&v).unwrap_or_default()
            );
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
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(RULES).unwrap_or_default()
            );
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
pub fn import(
    files: &[PathBuf],
    output: Option<&std::path::Path>,
    force: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    use crate::authoring::import;
    if files.len() > 1 && output.is_none() {
        let _ = writeln!(
            err,
            "tshoot: {} documents need a folder to write to: add -o DIR",
            files.len()
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
    let mut code = EXIT_OK;
    for file in files {
        let name = file.display().to_string();
        let text = match crate::guide::load::read_text(file) {
            Ok(t) => t,
            Err(d) => {
                let _ = write!(err, "{d}");
                code = EXIT_PROBLEMS;
                continue;
            }
        };
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let imported = match import::import(&text, &stem) {
            Ok(i) => i,
            Err(e) => {
                let _ = writeln!(err, "{name}: error: {e}");
                code = EXIT_PROBLEMS;
                continue;
            }
        };
        for w in &imported.warnings {
            let _ = writeln!(err, "{name}:{}: warning: {}", w.line, w.message);
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
        match crate::guide::parse(&shown, &imported.toml) {
            Ok((_, warnings)) => {
                for w in &warnings {
                    let _ = write!(err, "{w}");
                }
            }
            Err(diags) => {
                for d in &diags {
                    let _ = write!(err, "{d}");
                }
                let _ = writeln!(
                    err,
                    "tshoot: the guide imported from {name} does not pass `tshoot check`: this is a bug in the importer; please report it with the document"
                );
                code = EXIT_PROBLEMS;
                continue;
            }
        }
        if let Err(e) = write_output(target.as_deref(), &imported.toml, force, out) {
            let _ = writeln!(err, "tshoot: {e}");
            code = EXIT_PROBLEMS;
            continue;
        }
        let g = &imported.guide;
        let _ = writeln!(
            err,
            "tshoot: {name} -> {}: {} step{}, {} issue{}, {} resolution{}, {} ticket field{}, {} replay case{}, {} warning{}",
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
        );
    }
    code
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
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

/// What `tshoot ticket` was asked for.
pub struct TicketArgs<'a> {
    pub id: &'a str,
    pub set: &'a [String],
    /// The pasted text, already read.
    pub paste: Option<&'a str>,
    pub format: TicketFormat,
    /// The time to stamp the ticket with (RFC 3339).
    pub now: &'a str,
    /// Mask user names, e-mail and IP addresses and tenant ids in what is printed and copied.
    pub redact: bool,
}

/// `tshoot ticket`: the case with the fields set, printed. Returns the exit code and the
/// ticket text (for `--copy`).
pub fn ticket(
    lib: &Library,
    args: &TicketArgs<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> (u8, Option<String>) {
    use crate::ticket::{self as tk, extract};
    use crate::wizard::{Act, Case};
    let Some(entry) = lib.find(args.id) else {
        not_found(lib, args.id, err);
        return (EXIT_PROBLEMS, None);
    };
    let g = &entry.guide;
    let mut case = Case::new(g);
    let mut found = None;
    if let Some(text) = args.paste {
        let x = extract::extract(text);
        let p = crate::ticket::propose::propose(g, &case, &x);
        for (id, _, _, v) in &p.fields {
            let _ = case.apply(g, &Act::SetField(id.clone(), v.clone()));
        }
        if !p.extras.is_empty() {
            let notes: Vec<String> = p.extras.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            let _ = case.apply(g, &Act::SetNotes(notes.join("; ")));
        }
        for n in &p.notes {
            let _ = writeln!(err, "tshoot: paste: {n}");
        }
        if x.is_empty() {
            let _ = writeln!(
                err,
                "tshoot: the pasted text holds no error code, request id or correlation id"
            );
        }
        found = Some(x);
    }
    for kv in args.set {
        let Some((k, v)) = kv.split_once('=') else {
            let _ = writeln!(
                err,
                "tshoot: --set takes FIELD=VALUE, got \"{}\"",
                clean(kv)
            );
            return (EXIT_USAGE, None);
        };
        let k = k.trim();
        if let Err(e) = case.apply(g, &Act::SetField(k.to_owned(), v.trim().to_owned())) {
            let ids: Vec<&str> = g.fields().iter().map(|f| f.id.as_str()).collect();
            let _ = writeln!(
                err,
                "tshoot: --set {}: {e}; the fields are: {}",
                clean(k),
                ids.join(", ")
            );
            return (EXIT_USAGE, None);
        }
    }
    let problems = tk::problems(g, &case);
    for p in &problems {
        let _ = writeln!(err, "tshoot: warning: {}", p.message);
    }
    let text = tk::render(
        g,
        &case,
        if args.format == TicketFormat::Markdown {
            tk::Format::Markdown
        } else {
            tk::Format::Text
        },
        args.now,
    );
    let mut redactor = crate::ticket::redact::Redactor::new();
    let text = if args.redact {
        redactor.text(&text)
    } else {
        text
    };
    if args.format == TicketFormat::Json {
        let mut v = serde_json::json!({
            "guide": g.id.as_str(),
            "title": g.title,
            "fields": case.fields,
            "notes": case.notes,
            "problems": problems.iter().map(|p| serde_json::json!({"field": p.field, "message": p.message})).collect::<Vec<_>>(),
            "extracted": found,
            "text": text,
        });
        if args.redact {
            redactor.json(&mut v);
        }
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&v).unwrap_or_default()
        );
    } else {
        let _ = out.write_all(text.as_bytes());
    }
    (EXIT_OK, Some(text))
}

/// `tshoot sessions`: one line per case (or JSON), newest change first.
/// `listing` is `store.list()`, taken by the caller (which loads the guides it names).
pub fn sessions(
    lib: &Library,
    store: &crate::session::Store,
    listing: Result<
        (
            Vec<crate::session::Session>,
            Vec<crate::session::SessionError>,
        ),
        crate::session::SessionError,
    >,
    json: bool,
    all: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let (list, bad) = match listing {
        Ok(x) => x,
        Err(e) => {
            let _ = writeln!(err, "tshoot: {e}");
            return EXIT_PROBLEMS;
        }
    };
    for b in &bad {
        let _ = writeln!(err, "tshoot: {b}");
    }
    let rows: Vec<serde_json::Value> = list
        .iter()
        .filter(|s| all || !s.is_closed())
        .map(|s| {
            let (stage, progress) = match lib.find(&s.case.guide_id) {
                Some(e) => {
                    let g = &e.guide;
                    let p = crate::wizard::view::progress(g, &s.case);
                    (
                        s.case.stage(g).title().to_owned(),
                        format!(
                            "{}/{} answered, {}/{} tasks",
                            p.answered, p.steps_total, p.tasks_done, p.tasks_total
                        ),
                    )
                }
                None => (
                    "(guide not loaded)".to_owned(),
                    format!("{} answered", s.case.trail.len()),
                ),
            };
            serde_json::json!({
                "id": s.id,
                "guide": s.case.guide_id,
                "title": s.guide_title,
                "started": s.started,
                "updated": s.updated,
                "status": match s.case.outcome {
                    crate::wizard::Outcome::Open => "open",
                    crate::wizard::Outcome::Resolved => "resolved",
                    crate::wizard::Outcome::Escalated => "escalated",
                },
                "stage": stage,
                "progress": progress,
            })
        })
        .collect();
    if json {
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&rows).unwrap_or_default()
        );
        return EXIT_OK;
    }
    if rows.is_empty() {
        let _ = writeln!(
            out,
            "no {}cases saved in {}",
            if all { "" } else { "unfinished " },
            store.dir.display()
        );
        return EXIT_OK;
    }
    let _ = writeln!(
        out,
        "{:<38}  {:<12}  {:<20}  {:<20}  {:<9}  {:<13}  PROGRESS",
        "ID", "GUIDE", "STARTED", "LAST CHANGE", "STATUS", "STAGE"
    );
    for r in rows {
        let f = |k: &str| clean(r[k].as_str().unwrap_or(""));
        let _ = writeln!(
            out,
            "{:<38}  {:<12}  {:<20}  {:<20}  {:<9}  {:<13}  {}",
            f("id"),
            f("guide"),
            f("started"),
            f("updated"),
            f("status"),
            f("stage"),
            f("progress")
        );
    }
    EXIT_OK
}
