//! The command line: clap definitions (this file) and the printing of the non-interactive
//! commands, one file per group: [`list`] (the guide table, tags, catalog notes), [`guides`]
//! (show, check, test, new, import, schema, completions) and [`cases`] (ticket, sessions).
//! Each command writes to the given writers and returns an exit code, so tests can run them
//! without a process; [`crate::cmd`] builds their inputs.
//!
//! Exit codes: 0 ok; 1 problems found (a check failed, a guide was not found); 2 usage
//! (clap's own errors, and arguments that cannot be acted on).

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::guide::load::Folder;

mod cases;
mod guides;
mod list;

pub use cases::{TicketArgs, sessions, ticket};
pub use guides::{
    ImportOptions, check, completions, import, new, not_found, rules, schema, show, test,
};
pub use list::{list, report_catalog, tag_counts_of};

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

    /// Config file to use instead of the default (also `TSHOOT_CONFIG`).
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

    /// Open already routed by this error text: a file, or - for standard input (read before
    /// the terminal is taken over, so `xclip -o | tshoot --paste -` works). The text picks
    /// the guide as a paste into the picker does; see `tshoot triage`.
    #[arg(long, value_name = "FILE|-")]
    pub paste: Option<PathBuf>,

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
    /// such as `UserStrongAuthClientAuthNRequired`. Exit 1 for a code the catalogue lacks, 2 for
    /// something that is not a code.
    Explain {
        /// The error code (or its name).
        code: String,
        /// Print JSON instead of text (also for an unknown code, with "known": false).
        #[arg(long)]
        json: bool,
    },
    /// Which error codes a pasted text holds, and the guide each would open.
    ///
    /// Reads FILE, or standard input for - (the default): the sign-in page's Troubleshooting
    /// details, a JSON error, an MSAL exception, a CLI log, a redirect URL. Prints each code
    /// (the labelled one first) with the line it appears on, its meaning and its guide (or
    /// "generic"), then the request id, correlation id, timestamp and other values found.
    /// Only the first 1 MiB is read. Exit 1 when the text holds no error code.
    Triage {
        /// The pasted text: a file, or - for standard input.
        #[arg(value_name = "FILE|-")]
        file: Option<PathBuf>,
        /// Print JSON instead of text.
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
    /// `expect_suspected`, `expect_checklist` and `expect_fields` ([[case]] tables in the guide, or
    /// in NAME.cases.toml beside it).
    Test {
        /// Guide files or folders.
        paths: Vec<PathBuf>,
    },
    /// Convert Markdown troubleshooting documents into guides.
    ///
    /// Without -o the guide is printed (one file only); with -o each is written to
    /// DIR/<id>.toml. What could not be placed is reported as <FILE:LINE>: warning.
    Import {
        /// Documents (.md, .markdown, .txt, .html, .htm) or folders of them (searched
        /// recursively): knowledge-base articles ("Symptoms", "Cause", "Resolution") or
        /// documents with "Initial Diagnostic Steps", "Common Issues" and similar sections.
        #[arg(required = true, value_name = "FILE|DIR")]
        files: Vec<PathBuf>,
        /// Print the report (one entry per document) as JSON on standard output.
        #[arg(long)]
        json: bool,
        /// Show where each part of the guide comes from in the document; write nothing.
        #[arg(long)]
        explain: bool,
        /// Make site-relative links (`/azure/...`) absolute on this address.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
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
    /// Check this system for tshoot: the build, the terminal and multiplexer, SSH, the display,
    /// the folders (and whether each is writable), and how a copy would reach the clipboard.
    ///
    /// Exit 1 when something a case needs is broken (no writable folder for cases or tickets).
    /// `--verify` sends a short random token the way a ticket is copied and asks for it to be
    /// pasted back: a match is remembered for this terminal, and later copies there say
    /// "copied (verified DATE)"; a mismatch says what to configure.
    Doctor {
        /// Also check the copy path with a token pasted back.
        #[arg(long)]
        verify: bool,
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
    /// `correlation_id`, `request_id` and `error_code`.
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

/// `value` as pretty JSON and a newline (a closed pipe is not an error here: the command's
/// exit code stays what it was).
pub(crate) fn write_json<T: serde::Serialize + ?Sized>(out: &mut dyn Write, value: &T) {
    let _ = writeln!(
        out,
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}

/// Text from a guide, a file name or a paste, made safe to print.
fn clean(s: &str) -> String {
    crate::text::sanitize(s)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
