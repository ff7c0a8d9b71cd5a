//! The commands run in process: exit codes, the one message per failure, and a reader that
//! goes away early.

use std::io::{self, Write};

use clap::Parser;

use super::{Ctx, Failure, run};
use crate::cli::{Cli, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use crate::config::Config;
use crate::session::{SessionError, Store};

/// Only the bundled guides, no index, sessions in `store`.
fn ctx(args: &[&str], store: Result<Store, SessionError>) -> Ctx {
    let cli = Cli::try_parse_from(std::iter::once("tshoot").chain(args.iter().copied()))
        .expect("test arguments parse");
    Ctx {
        cli,
        config: Config::default(),
        config_problem: None,
        folders: Vec::new(),
        index_dir: None,
        store,
    }
}

fn run_to_strings(ctx: &Ctx) -> (u8, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run(ctx, &mut out, &mut err);
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

/// A reader that has gone away: every write fails as a closed pipe does.
struct ClosedPipe;

impl Write for ClosedPipe {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::ErrorKind::BrokenPipe.into())
    }
    fn flush(&mut self) -> io::Result<()> {
        Err(io::ErrorKind::BrokenPipe.into())
    }
}

#[test]
fn a_closed_output_ends_every_printing_command_quietly() {
    for args in [
        &["completions", "bash"][..],
        &["completions", "fish"],
        &["show", "AADSTS50143"],
        &["list"],
        &["list", "--json"],
        &["schema"],
        &["config", "--print-default"],
        &["check", "--rules"],
        &["check"],
        &["test"],
        &["ticket", "AADSTS50143", "--format", "markdown"],
    ] {
        let ctx = ctx(args, Err(SessionError::NoDataFolder));
        let mut err = Vec::new();
        let code = run(&ctx, &mut ClosedPipe, &mut err);
        assert_eq!(code, EXIT_OK, "{args:?}: {}", String::from_utf8_lossy(&err));
        let err = String::from_utf8_lossy(&err);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn no_data_folder_is_said_once_in_the_same_words_by_every_case_command() {
    for args in [
        &["sessions"][..],
        &["export"],
        &["sessions", "--prune", "30"],
    ] {
        let (code, out, err) = run_to_strings(&ctx(args, Err(SessionError::NoDataFolder)));
        assert_eq!(code, EXIT_PROBLEMS, "{args:?}");
        assert_eq!(out, "", "{args:?}");
        assert_eq!(
            err,
            format!("tshoot: {}\n", SessionError::NoDataFolder),
            "{args:?}"
        );
        assert!(err.contains("TSHOOT_DATA_DIR"), "says what to do: {err}");
    }
}

#[test]
fn export_of_an_empty_store_names_the_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store {
        dir: dir.path().join("sessions"),
    };
    let (code, _, err) = run_to_strings(&ctx(&["export"], Ok(store)));
    assert_eq!(code, EXIT_PROBLEMS);
    assert!(err.starts_with("tshoot: no saved cases in "), "{err}");
    assert!(err.contains("sessions"), "{err}");
}

#[test]
fn export_of_an_unknown_id_says_how_to_list_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store {
        dir: dir.path().to_path_buf(),
    };
    let (code, _, err) = run_to_strings(&ctx(&["export", "nope"], Ok(store)));
    assert_eq!(code, EXIT_PROBLEMS);
    assert_eq!(
        err,
        "tshoot: no session \"nope\" (`tshoot sessions --all` lists them)\n"
    );
}

#[test]
fn a_query_with_a_command_is_a_usage_error() {
    let (code, _, err) = run_to_strings(&ctx(
        &["AADSTS50143", "list"],
        Ok(Store {
            dir: std::env::temp_dir(),
        }),
    ));
    // clap reads "list" as the subcommand and "AADSTS50143" as the query.
    assert_eq!(code, EXIT_USAGE, "{err}");
    assert!(err.contains("cannot be given together"), "{err}");
}

#[test]
fn an_unreadable_paste_names_the_file() {
    let (code, out, err) = run_to_strings(&ctx(
        &["ticket", "AADSTS50143", "--paste", "/nonexistent/paste.txt"],
        Err(SessionError::NoDataFolder),
    ));
    assert_eq!(code, EXIT_PROBLEMS);
    assert_eq!(out, "");
    assert!(
        err.starts_with("tshoot: cannot read the pasted text from /nonexistent/paste.txt: "),
        "{err}"
    );
}

#[test]
fn the_wizard_without_a_terminal_is_a_usage_error() {
    // `cargo test` runs with standard input not a terminal (or captured output).
    if std::io::IsTerminal::is_terminal(&std::io::stdin())
        && std::io::IsTerminal::is_terminal(&std::io::stdout())
    {
        return;
    }
    let (code, _, err) = run_to_strings(&ctx(&[], Err(SessionError::NoDataFolder)));
    assert_eq!(code, EXIT_USAGE);
    assert_eq!(err, format!("tshoot: {}\n", Failure::WizardNeedsTerminal));
}
