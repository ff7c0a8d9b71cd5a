//! The `tshoot` binary: arguments -> config -> library -> the chosen command. Nothing else.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use tshoot::app::App;
use tshoot::cli::{self, Cli, Command};
use tshoot::config::{self, Config};
use tshoot::guide::Library;
use tshoot::guide::catalog::{Catalog, default_index_dir};
use tshoot::keymap::KeyMap;
use tshoot::session::Store;
use tshoot::ui::theme::Theme;

fn main() -> ExitCode {
    if let Some(code) = hidden_command() {
        return code;
    }
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    // Text from guides, file names, sessions and pastes is printed, never obeyed.
    let mut out = tshoot::plain::Plain::new(stdout.lock());
    let mut err = tshoot::plain::Plain::new(std::io::stderr());
    if let (Some(q), Some(_)) = (&cli.query, &cli.command) {
        let _ = writeln!(
            err,
            "tshoot: \"{}\" and a command cannot be given together; see `tshoot --help`",
            tshoot::ticket::extract::sanitize(q)
        );
        return ExitCode::from(cli::EXIT_USAGE);
    }
    let (config, config_problem) = load_config(&cli, &mut err);
    let folders = || cli::guide_folders(&cli.guides, &config.guides);
    let code = match cli.command {
        Some(Command::Schema) => {
            let _ = out.write_all(cli::schema().as_bytes());
            cli::EXIT_OK
        }
        Some(Command::Completions { shell }) => cli::completions(shell, &mut out),
        Some(Command::Ticket {
            ref id,
            ref set,
            ref paste,
            format,
            copy,
        }) => {
            let lib = guides_named(&folders(), &[id], &mut err);
            let pasted = match paste.as_deref().map(read_paste).transpose() {
                Ok(p) => p,
                Err(msg) => {
                    let _ = writeln!(err, "tshoot: {msg}");
                    return ExitCode::from(cli::EXIT_PROBLEMS);
                }
            };
            let now = tshoot::ticket::now_rfc3339();
            let args = cli::TicketArgs {
                id,
                set,
                paste: pasted.as_deref(),
                format,
                now: &now,
                redact: cli.redact || config.redact,
            };
            let (code, text) = cli::ticket(&lib, &args, &mut out, &mut err);
            if let (true, Some(text)) = (copy, text) {
                let _ = out.flush();
                let method = cli.clipboard.unwrap_or(config.clipboard);
                let env = tshoot::ticket::clipboard::Env::from_env();
                let dir = tshoot::ticket::clipboard::default_ticket_dir();
                // OSC 52 must reach the terminal even when stdout is piped.
                let report = match std::fs::OpenOptions::new().write(true).open("/dev/tty") {
                    Ok(mut tty) => {
                        tshoot::ticket::clipboard::copy(&text, method, &env, &mut tty, &dir)
                    }
                    Err(_) => tshoot::ticket::clipboard::copy(
                        &text,
                        method,
                        &env,
                        &mut std::io::sink(),
                        &dir,
                    ),
                };
                let _ = writeln!(err, "tshoot: {}", report.summary());
                if !report.ok() {
                    return ExitCode::from(cli::EXIT_PROBLEMS);
                }
            }
            code
        }
        Some(Command::Sessions { json, all, prune }) => {
            let Some(store) = Store::default_location() else {
                let _ = writeln!(
                    err,
                    "tshoot: no data folder on this system, so no saved cases (set TSHOOT_DATA_DIR to a folder to keep them in)"
                );
                return ExitCode::from(cli::EXIT_PROBLEMS);
            };
            if let Some(days) = prune {
                sweep(&store, &mut err);
                let cutoff = tshoot::session::days_ago(std::time::SystemTime::now(), days);
                match store.prune(&cutoff) {
                    Ok(gone) => {
                        let _ = writeln!(
                            out,
                            "deleted {} closed case{} last changed before {cutoff}",
                            gone.len(),
                            if gone.len() == 1 { "" } else { "s" }
                        );
                    }
                    Err(e) => {
                        let _ = writeln!(err, "tshoot: {e}");
                        return ExitCode::from(cli::EXIT_PROBLEMS);
                    }
                }
            }
            // Parse only the guides the listed cases use.
            let listing = store.list();
            let ids: Vec<&str> = listing
                .as_ref()
                .map(|(l, _)| l.iter().map(|s| s.case.guide_id.as_str()).collect())
                .unwrap_or_default();
            let lib = guides_named(&folders(), &ids, &mut err);
            cli::sessions(&lib, &store, listing, json, all, &mut out, &mut err)
        }
        Some(Command::Export { ref id, format }) => {
            let Some(store) = Store::default_location() else {
                let _ = writeln!(
                    err,
                    "tshoot: no data folder on this system, so no saved cases (set TSHOOT_DATA_DIR to a folder to keep them in)"
                );
                return ExitCode::from(cli::EXIT_PROBLEMS);
            };
            let swept = sweep(&store, &mut err);
            let found = match id {
                Some(id) => store.find(id).map(Some),
                None => store.list().map(|(l, _)| l.into_iter().next()),
            };
            match found {
                Err(_) if named_unusable(&store, id.as_deref(), &swept) => cli::EXIT_PROBLEMS,
                Ok(Some(s)) => {
                    let lib = guides_named(&folders(), &[&s.case.guide_id], &mut err);
                    let guide = lib.find(&s.case.guide_id).map(|e| &e.guide);
                    let redact = cli.redact || config.redact;
                    let mut redactor = tshoot::ticket::redact::Redactor::new();
                    match format {
                        cli::ExportFormat::Markdown => {
                            let text = tshoot::session::export::markdown(&s, guide);
                            let text = if redact { redactor.text(&text) } else { text };
                            let _ = out.write_all(text.as_bytes());
                        }
                        cli::ExportFormat::Json => {
                            let mut v = tshoot::session::export::json(&s, guide);
                            if redact {
                                redactor.json(&mut v);
                            }
                            let _ = writeln!(
                                out,
                                "{}",
                                serde_json::to_string_pretty(&v).unwrap_or_default()
                            );
                        }
                    }
                    cli::EXIT_OK
                }
                Ok(None) => {
                    let _ = writeln!(err, "tshoot: no saved cases in {}", store.dir.display());
                    cli::EXIT_PROBLEMS
                }
                Err(e) => {
                    let _ = writeln!(err, "tshoot: {e}");
                    cli::EXIT_PROBLEMS
                }
            }
        }
        Some(Command::Resume { ref id }) => {
            drop(out);
            let id = id.clone();
            return wizard(&cli, &config, config_problem, &folders(), Some(id));
        }
        Some(Command::Config { print_default }) => {
            if print_default {
                let _ = out.write_all(config::DEFAULT_TOML.as_bytes());
            } else {
                let path = cli.config.clone().or_else(config::default_path);
                let _ = writeln!(
                    out,
                    "{}",
                    path.map_or_else(
                        || "(no config directory on this system)".to_owned(),
                        |p| p.display().to_string()
                    )
                );
            }
            cli::EXIT_OK
        }
        Some(Command::Check {
            rules: true,
            format,
            ..
        }) => cli::rules(format, &mut out),
        Some(Command::Check { paths, format, .. }) => {
            let lib = if paths.is_empty() {
                Library::load(&folders())
            } else {
                Library::load_paths(&paths)
            };
            cli::check(&lib, format, &mut out)
        }
        Some(Command::Test { paths }) => {
            let lib = if paths.is_empty() {
                Library::load(&folders())
            } else {
                Library::load_paths(&paths)
            };
            cli::test(&lib, &mut out)
        }
        Some(Command::Import {
            ref files,
            ref output,
            force,
        }) => cli::import(files, output.as_deref(), force, &mut out, &mut err),
        Some(Command::New {
            ref id,
            ref output,
            force,
        }) => cli::new(id, output.as_deref(), force, &mut out, &mut err),
        Some(Command::Preview { ref file }) => {
            drop(out);
            return preview(&cli, &config, file);
        }
        Some(Command::Explain { ref code, json }) => {
            tshoot::explain::run(&folders(), code, json, &mut out, &mut err)
        }
        Some(Command::List(ref args)) => {
            let cat = Catalog::scan(&folders(), default_index_dir().as_deref());
            cli::report_catalog(&cat, &mut err);
            cli::list(&cat, args, &mut out, &mut err)
        }
        Some(Command::Show { id, width }) => {
            let lib = guides_named(&folders(), &[&id], &mut err);
            cli::show(&lib, &id, width, &mut out, &mut err)
        }
        None => {
            drop(out);
            return wizard(&cli, &config, config_problem, &folders(), None);
        }
    };
    let _ = out.flush();
    ExitCode::from(code)
}

/// Read pasted error text from a file or `-` (standard input), lossily as UTF-8, at most 8 MiB.
fn read_paste(path: &std::path::Path) -> Result<String, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    let limit = 8 * 1024 * 1024;
    let result = if path.as_os_str() == "-" {
        std::io::stdin().take(limit).read_to_end(&mut bytes)
    } else {
        // Not `fsread::open_regular`: `--paste <(pbpaste)` is a pipe, and that is fine here.
        std::fs::File::open(path).and_then(|f| f.take(limit).read_to_end(&mut bytes))
    };
    result.map_err(|e| format!("cannot read the pasted text from {}: {e}", path.display()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A library of just the guides a command names (the rest stays unparsed), from the catalog.
fn guides_named(
    folders: &[tshoot::guide::load::Folder],
    ids: &[&str],
    err: &mut dyn Write,
) -> Library {
    let cat = Catalog::scan(folders, default_index_dir().as_deref());
    cli::report_catalog(&cat, err);
    cat.library_of(ids)
}

/// The config, and the first problem with it (shown again in the wizard's status line, where
/// the full-screen UI would hide what was printed).
fn load_config(cli: &Cli, err: &mut dyn Write) -> (Config, Option<String>) {
    let explicit = cli.config.is_some();
    let path = cli.config.clone().or_else(config::default_path);
    let (config, diags) = config::load(path.as_deref(), explicit);
    for d in &diags {
        let _ = write!(err, "tshoot: {d}");
    }
    let first = diags
        .first()
        .map(|d| format!("config: {} (defaults used)", d.headline()));
    (config, first)
}

/// `tshoot [QUERY]` and `tshoot resume [ID]` (`resume` is `Some`): the TUI.
fn wizard(
    cli: &Cli,
    config: &Config,
    config_problem: Option<String>,
    folders: &[tshoot::guide::load::Folder],
    resume: Option<Option<String>>,
) -> ExitCode {
    let mut err = tshoot::plain::Plain::new(std::io::stderr());
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        let _ = writeln!(
            err,
            "tshoot: the wizard needs a terminal; for plain text use `tshoot show ID` or `tshoot list`"
        );
        return ExitCode::from(cli::EXIT_USAGE);
    }
    // The catalog (from the index when it is current): only the guide opened is parsed.
    let catalog = Catalog::scan(folders, default_index_dir().as_deref());
    cli::report_catalog(&catalog, &mut err);
    let first_problem = config_problem.or_else(|| {
        catalog
            .broken
            .first()
            .map(|b| format!("a guide did not load: {} (tshoot check)", b.summary))
            .or_else(|| catalog.notices.first().cloned())
    });
    let (keymap, problems) = KeyMap::build(&config.keys);
    for p in &problems {
        let _ = writeln!(err, "tshoot: config: {p}");
    }
    let theme = Theme::from_colors(&config.colors, Theme::no_color_env());
    let mut app = App::from_catalog(catalog, keymap, theme);
    app.mouse = config.mouse;
    app.copy_method = cli.clipboard.unwrap_or(config.clipboard);
    app.format = config.ticket_format;
    app.redact = cli.redact || config.redact;
    // What was printed above is hidden by the full-screen UI: repeat the first item there.
    if let Some(text) = first_problem {
        app.status = Some(tshoot::app::Status { text, error: true });
    }
    let store = Store::default_location();
    let mut swept = Vec::new();
    match (&resume, &store) {
        (Some(id), Some(store)) => {
            swept = sweep(store, &mut err);
            let found = match id {
                Some(id) => store.find(id).map(Some),
                None => store.latest_open(),
            };
            match found {
                Err(_) if named_unusable(store, id.as_deref(), &swept) => {
                    return ExitCode::from(cli::EXIT_PROBLEMS);
                }
                Ok(Some(s)) => {
                    if let Err(e) = app.resume(s) {
                        let _ = writeln!(err, "tshoot: {e}");
                        return ExitCode::from(cli::EXIT_PROBLEMS);
                    }
                }
                Ok(None) => {
                    let _ = writeln!(
                        err,
                        "tshoot: no unfinished case to resume (`tshoot sessions --all` lists every case)"
                    );
                    return ExitCode::from(cli::EXIT_PROBLEMS);
                }
                Err(e) => {
                    let _ = writeln!(err, "tshoot: {e}");
                    return ExitCode::from(cli::EXIT_PROBLEMS);
                }
            }
        }
        (Some(_), None) => {
            let _ = writeln!(
                err,
                "tshoot: no data folder on this system, so no saved cases to resume (set TSHOOT_DATA_DIR to a folder to keep them in)"
            );
            return ExitCode::from(cli::EXIT_PROBLEMS);
        }
        (None, _) => {
            if let Some(q) = &cli.query {
                app.open_query(q);
            }
            if app.wiz.is_none() {
                // The picker offers unfinished cases on top.
                if let Some(Ok((list, bad))) = store.as_ref().map(Store::list) {
                    for b in &bad {
                        let _ = writeln!(err, "tshoot: {b}");
                    }
                    swept = bad;
                    app.sessions = list.into_iter().filter(|s| !s.is_closed()).collect();
                    app.picker.set_sessions(&app.catalog, &app.sessions);
                }
            }
        }
    }
    // Said on stderr too (seen after the wizard ends), but the status line is seen now.
    if let Some(first) = swept.first() {
        let more = match swept.len() {
            1 => String::new(),
            n => format!(" (and {} more: see `tshoot sessions`)", n - 1),
        };
        app.status = Some(tshoot::app::Status {
            text: format!("{first}{more}"),
            error: true,
        });
    }
    let io_ = tshoot::tui::RealIo::new(app.copy_method, store);
    match tshoot::tui::run(app, io_) {
        Ok(tshoot::tui::Ended::Saved) => ExitCode::SUCCESS,
        Ok(tshoot::tui::Ended::Unsaved) => ExitCode::from(cli::EXIT_PROBLEMS),
        Err(e) => {
            let _ = writeln!(err, "tshoot: terminal error: {e}");
            ExitCode::from(cli::EXIT_PROBLEMS)
        }
    }
}

/// Read the store once so that unreadable session files are reported (naming the file and
/// where it was moved aside) before an operation that would pass over them in silence.
fn sweep(store: &Store, err: &mut dyn Write) -> Vec<tshoot::session::SessionError> {
    match store.list() {
        Ok((_, bad)) => {
            for b in &bad {
                let _ = writeln!(err, "tshoot: {b}");
            }
            bad
        }
        Err(_) => Vec::new(),
    }
}

/// Whether the session named `id` is one [`sweep`] just reported (so there is nothing to add).
fn named_unusable(
    store: &Store,
    id: Option<&str>,
    swept: &[tshoot::session::SessionError],
) -> bool {
    id.is_some_and(|id| {
        let path = store.path_of(id).display().to_string();
        swept.iter().any(|e| e.file() == Some(path.as_str()))
    })
}

/// `tshoot preview FILE`: the wizard on one guide file, reloaded when it is saved. Cases are
/// saved to a temporary folder, not among the engineer's sessions, and removed at the end.
fn preview(cli: &Cli, config: &Config, file: &std::path::Path) -> ExitCode {
    let mut err = tshoot::plain::Plain::new(std::io::stderr());
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        let _ = writeln!(
            err,
            "tshoot: preview needs a terminal; `tshoot check {}` checks the file without one",
            file.display()
        );
        return ExitCode::from(cli::EXIT_USAGE);
    }
    let lib = Library::load_paths(&[file.to_path_buf()]);
    if lib.guides.is_empty() {
        let _ = cli::check(&lib, cli::OutputFormat::Text, &mut err);
        let _ = writeln!(
            err,
            "tshoot: fix the errors above and run `tshoot preview {}` again",
            file.display()
        );
        return ExitCode::from(cli::EXIT_PROBLEMS);
    }
    let findings = lib.guides[0].warnings.len();
    let (keymap, problems) = KeyMap::build(&config.keys);
    for p in &problems {
        let _ = writeln!(err, "tshoot: config: {p}");
    }
    let theme = Theme::from_colors(&config.colors, Theme::no_color_env());
    let mut app = App::new(lib, keymap, theme);
    app.mouse = config.mouse;
    app.copy_method = cli.clipboard.unwrap_or(config.clipboard);
    app.format = config.ticket_format;
    app.redact = cli.redact || config.redact;
    app.open(0);
    app.preview = Some(tshoot::authoring::preview::Preview::new(
        file.to_path_buf(),
        0,
    ));
    app.status = Some(tshoot::app::Status {
        text: format!(
            "previewing {}: save the file to reload it{}",
            file.display(),
            if findings > 0 {
                format!("; {findings} problem(s) for `tshoot check`")
            } else {
                String::new()
            }
        ),
        error: false,
    });
    let dir = std::env::temp_dir().join(format!("tshoot-preview-{}", std::process::id()));
    let store = Store { dir: dir.clone() };
    let io_ = tshoot::tui::RealIo::new(app.copy_method, Some(store));
    let result = tshoot::tui::run(app, io_);
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(err, "tshoot: terminal error: {e}");
            ExitCode::from(cli::EXIT_PROBLEMS)
        }
    }
}

/// Internal commands, not for users: the clipboard holder that keeps a copied ticket on the
/// X11 clipboard after tshoot exits, and a copy driver the clipboard tests use.
fn hidden_command() -> Option<ExitCode> {
    use tshoot::ticket::clipboard;
    let mut args = std::env::args().skip(1);
    match args.next()?.as_str() {
        clipboard::HOLD_ARG => Some(clipboard::hold_clipboard_main()),
        // pkg (issue 19): man pages and completion files for the .deb (src/manpage.rs).
        which @ (tshoot::manpage::MAN_ARG | tshoot::manpage::COMPLETIONS_ARG) => {
            Some(tshoot::manpage::hidden_main(which, args.next()))
        }
        clipboard::COPY_ARG => {
            use clap::ValueEnum as _;
            let name = args.next().unwrap_or_else(|| "auto".to_owned());
            Some(match clipboard::Method::from_str(&name, true) {
                Ok(method) => clipboard::copy_cli_main(method),
                Err(e) => {
                    eprintln!("tshoot: {}: {e}", clipboard::COPY_ARG);
                    ExitCode::from(cli::EXIT_USAGE)
                }
            })
        }
        _ => None,
    }
}
