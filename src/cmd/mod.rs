//! The commands of the `tshoot` binary, one function each: `main.rs` parses the arguments and
//! calls [`run`], which picks the command. This layer sits above both the core (guides, cases,
//! tickets, sessions) and the TUI (the wizard and `preview` start it).
//!
//! Every command writes to the writers it is given and returns an exit code, or a [`Failure`]
//! that [`run`] prints once, as `tshoot: <what went wrong and what to do>`. Tests call the
//! commands in process with their own writers, store and guide folders ([`Ctx`]).
//!
//! Writes to standard output are best effort: when the reader goes away early
//! (`tshoot show AADSTS50143 | head -1`), Rust has set SIGPIPE to be ignored, so a write
//! fails with `BrokenPipe` instead of killing the process; the commands ignore that failure
//! and end normally, with no panic and no message.

pub mod cases;
pub mod doctor;
pub mod hidden;
pub mod ticket;
pub mod triage;
pub mod wizard;

#[cfg(test)]
mod tests;

use std::io::{self, Write};
use std::path::PathBuf;

use crate::cli::{self, Cli, Command, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use crate::config::{self, Config};
use crate::guide::Library;
use crate::guide::catalog::{Catalog, default_index_dir};
use crate::guide::load::Folder;
use crate::session::{SessionError, Store};
use crate::text::sanitize;

/// What every command may need, gathered once from the arguments, the config and the
/// environment. Tests build one by hand (a temporary store and guide folder).
pub struct Ctx {
    pub cli: Cli,
    pub config: Config,
    /// The first problem with the config, repeated in the wizard's status line (the
    /// full-screen UI hides what was printed before it).
    pub config_problem: Option<String>,
    pub folders: Vec<Folder>,
    /// Where the catalog keeps its index (`None`: no index, every header read each time).
    pub index_dir: Option<PathBuf>,
    /// Where cases are saved, or why there is nowhere.
    pub store: Result<Store, SessionError>,
}

impl Ctx {
    /// The context for `cli` on this system: its config file (problems printed on `err`),
    /// guide folders, index and session store.
    pub fn from_cli(cli: Cli, err: &mut dyn Write) -> Self {
        let explicit = cli.config.is_some();
        let path = cli.config.clone().or_else(config::default_path);
        let (config, diags) = config::load(path.as_deref(), explicit);
        for d in &diags {
            let _ = write!(err, "tshoot: {d}");
        }
        let config_problem = diags
            .first()
            .map(|d| format!("config: {} (defaults used)", d.headline()));
        let folders = cli::guide_folders(&cli.guides, &config.guides);
        Self {
            cli,
            config,
            config_problem,
            folders,
            index_dir: default_index_dir(),
            store: Store::default_location(),
        }
    }

    /// Mask personal data in what is printed, copied and exported.
    pub fn redact(&self) -> bool {
        self.cli.redact || self.config.redact
    }

    /// The copy method: the flag, else the config.
    pub fn clipboard(&self) -> crate::ticket::clipboard::Method {
        self.cli.clipboard.unwrap_or(self.config.clipboard)
    }

    /// The session store, or [`SessionError::NoDataFolder`].
    pub fn store(&self) -> Result<&Store, Failure> {
        self.store
            .as_ref()
            .map_err(|_| SessionError::NoDataFolder.into())
    }

    /// The store, owned (for the event loop).
    pub fn store_owned(&self) -> Result<Store, SessionError> {
        self.store
            .as_ref()
            .map(Clone::clone)
            .map_err(|_| SessionError::NoDataFolder)
    }

    /// The catalog of every guide folder (from the index while it is current); broken guides
    /// and notices are printed on `err`.
    pub fn catalog(&self, err: &mut dyn Write) -> Catalog {
        let cat = Catalog::scan(&self.folders, self.index_dir.as_deref());
        cli::report_catalog(&cat, err);
        cat
    }

    /// A library of just the guides named (the rest stays unparsed).
    pub fn guides_named(&self, ids: &[&str], err: &mut dyn Write) -> Library {
        self.catalog(err).library_of(ids)
    }

    /// Every guide of the folders (or of `paths` when given), parsed: for `check` and `test`.
    fn library(&self, paths: &[PathBuf]) -> Library {
        if paths.is_empty() {
            Library::load(&self.folders)
        } else {
            Library::load_paths(paths)
        }
    }
}

/// Why a command stopped. [`run`] prints it once and exits with [`Failure::exit_code`].
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("\"{}\" and a command cannot be given together; see `tshoot --help`", sanitize(.0))]
    QueryWithCommand(String),
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error(transparent)]
    Resume(#[from] crate::app::ResumeError),
    #[error("cannot read the pasted text from {}: {source}", path.display())]
    Paste { path: PathBuf, source: io::Error },
    #[error("the wizard needs a terminal; for plain text use `tshoot show ID` or `tshoot list`")]
    WizardNeedsTerminal,
    #[error(
        "preview needs a terminal; `tshoot check {}` checks the file without one",
        .0.display()
    )]
    PreviewNeedsTerminal(PathBuf),
    #[error("no saved cases in {}", .0.display())]
    NoCases(PathBuf),
    #[error("no unfinished case to resume (`tshoot sessions --all` lists every case)")]
    NothingToResume,
    #[error("terminal error: {0}")]
    Terminal(io::Error),
    /// What went wrong is already on standard error (a checker's report, a damaged session
    /// moved aside, a copy report); nothing more to say.
    #[error("(reported above)")]
    Reported,
}

impl Failure {
    /// 2 when the command cannot be acted on as given, else 1.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::QueryWithCommand(_)
            | Self::WizardNeedsTerminal
            | Self::PreviewNeedsTerminal(_) => EXIT_USAGE,
            _ => EXIT_PROBLEMS,
        }
    }
}

/// What a command returns: its exit code, or why it stopped.
pub type Outcome = Result<u8, Failure>;

/// Run the command `ctx.cli` asks for; the exit code. A [`Failure`] is printed on `err` here
/// and nowhere else.
pub fn run(ctx: &Ctx, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let outcome = dispatch(ctx, out, err);
    let _ = out.flush();
    match outcome {
        Ok(code) => code,
        Err(f) => {
            if !matches!(f, Failure::Reported) {
                let _ = writeln!(err, "tshoot: {f}");
            }
            f.exit_code()
        }
    }
}

fn dispatch(ctx: &Ctx, out: &mut dyn Write, err: &mut dyn Write) -> Outcome {
    let cli = &ctx.cli;
    if let (Some(q), Some(_)) = (&cli.query, &cli.command) {
        return Err(Failure::QueryWithCommand(q.clone()));
    }
    let Some(command) = &cli.command else {
        return wizard::start(ctx, None, err);
    };
    Ok(match command {
        Command::Schema => {
            let _ = out.write_all(cli::schema().as_bytes());
            EXIT_OK
        }
        Command::Completions { shell } => cli::completions(*shell, out),
        Command::Doctor { verify } => return doctor::doctor(ctx, *verify, out, err),
        Command::Ticket(opts) => return ticket::ticket(ctx, opts, out, err),
        Command::Sessions { json, all, prune } => {
            return cases::sessions(ctx, *json, *all, *prune, out, err);
        }
        Command::Export { id, format } => {
            return cases::export(ctx, id.as_deref(), *format, out, err);
        }
        Command::Resume { id } => return wizard::start(ctx, Some(id.clone()), err),
        Command::Preview { file } => return wizard::preview(ctx, file, err),
        Command::Config { print_default } => config_path(ctx, *print_default, out),
        Command::Check {
            rules: true,
            format,
            ..
        } => cli::rules(*format, out),
        Command::Check { paths, format, .. } => cli::check(&ctx.library(paths), *format, out),
        Command::Test { paths } => cli::test(&ctx.library(paths), out),
        Command::Import {
            files,
            output,
            force,
            json,
            explain,
            base_url,
        } => {
            let opts = cli::ImportOptions {
                output: output.as_deref(),
                force: *force,
                json: *json,
                explain: *explain,
                base_url: base_url.as_deref(),
            };
            cli::import(files, &opts, out, err)
        }
        Command::New { id, output, force } => cli::new(id, output.as_deref(), *force, out, err),
        Command::List(args) => cli::list(&ctx.catalog(err), args, out, err),
        Command::Explain { code, json } => {
            crate::explain::explain(&ctx.catalog(err), code, *json, out, err)
        }
        Command::Triage { file, json } => {
            return triage::triage(ctx, file.as_deref(), *json, out, err);
        }
        Command::Show { id, width } => {
            cli::show(&ctx.guides_named(&[id], err), id, *width, out, err)
        }
    })
}

/// `tshoot config`: where the config file is looked for, or (`--print-default`) the default.
fn config_path(ctx: &Ctx, print_default: bool, out: &mut dyn Write) -> u8 {
    if print_default {
        let _ = out.write_all(config::DEFAULT_TOML.as_bytes());
    } else {
        let path = ctx.cli.config.clone().or_else(config::default_path);
        let _ = writeln!(
            out,
            "{}",
            path.map_or_else(
                || "(no config directory on this system)".to_owned(),
                |p| p.display().to_string()
            )
        );
    }
    EXIT_OK
}
