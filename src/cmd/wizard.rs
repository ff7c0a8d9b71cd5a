//! The commands that take over the terminal: `tshoot [QUERY]`, `tshoot resume [ID]` and
//! `tshoot preview FILE`. They build the [`App`] (set-up, before its first message) and hand
//! it to the event loop in [`crate::tui`].

use std::io::{IsTerminal, Write};
use std::path::Path;

use super::cases::{named_unusable, sweep};
use super::{Ctx, Failure, Outcome};
use crate::app::{App, Status};
use crate::cli::{self, EXIT_OK, EXIT_PROBLEMS};
use crate::guide::Library;
use crate::keymap::KeyMap;
use crate::session::{SessionError, Store};
use crate::theme::Theme;

fn is_terminal() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// `tshoot --paste -`: standard input holds the paste, so keys come from the controlling
/// terminal (crossterm opens `/dev/tty` when standard input is not one); the screen is still
/// standard output.
fn terminal_for_paste(ctx: &Ctx) -> bool {
    let from_stdin = ctx
        .cli
        .paste
        .as_deref()
        .is_some_and(|p| p.as_os_str() == "-");
    from_stdin
        && std::io::stdout().is_terminal()
        && std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/tty")
            .is_ok()
}

/// The key map and colours of the config, and its settings for copying and the ticket.
fn configured(ctx: &Ctx, app: &mut App) {
    app.mouse = ctx.config.mouse;
    app.copy_method = ctx.clipboard();
    app.format = ctx.config.ticket_format;
    app.redact = ctx.redact();
}

fn keymap_and_theme(ctx: &Ctx, err: &mut dyn Write) -> (KeyMap, Theme) {
    let (keymap, problems) = KeyMap::build(&ctx.config.keys);
    for p in &problems {
        let _ = writeln!(err, "tshoot: config: {p}");
    }
    let theme = Theme::from_colors(&ctx.config.colors, Theme::no_color_env());
    (keymap, theme)
}

/// `tshoot [QUERY]` (`resume` is `None`) and `tshoot resume [ID]` (`Some`): the wizard.
pub fn start(ctx: &Ctx, resume: Option<Option<String>>, err: &mut dyn Write) -> Outcome {
    if !is_terminal() && !terminal_for_paste(ctx) {
        return Err(Failure::WizardNeedsTerminal);
    }
    // The paste is read before the terminal is taken over (from standard input for `-`).
    let paste = match (&resume, ctx.cli.paste.as_deref()) {
        (None, Some(path)) => Some(super::triage::read(path)?),
        _ => None,
    };
    // The catalog (from the index when it is current): only the guide opened is parsed.
    let catalog = ctx.catalog(err);
    let first_problem = ctx.config_problem.clone().or_else(|| {
        catalog
            .broken
            .first()
            .map(|b| format!("a guide did not load: {} (tshoot check)", b.summary))
            .or_else(|| catalog.notices.first().cloned())
    });
    let (keymap, theme) = keymap_and_theme(ctx, err);
    let mut app = App::from_catalog(catalog, keymap, theme);
    configured(ctx, &mut app);
    app.store = ctx.store.as_ref().ok().cloned();
    // What was printed above is hidden by the full-screen UI: repeat the first item there.
    if let Some(text) = first_problem {
        app.status = Some(Status { text, error: true });
    }
    let swept = if let Some(id) = resume {
        let store = ctx.store()?;
        let swept = sweep(store, err);
        let found = match &id {
            Some(id) => store.find(id).map(Some),
            None => store.latest_open(),
        };
        match found {
            Err(_) if named_unusable(store, id.as_deref(), &swept) => {
                return Err(Failure::Reported);
            }
            Err(e) => return Err(e.into()),
            Ok(None) => return Err(Failure::NothingToResume),
            Ok(Some(s)) => match crate::session::owner::holder(store, &s.id) {
                // Open in another live tshoot: the engineer chooses (read-only, take
                // over, switch to its pane, cancel) before anything is shown.
                Some(owner) => {
                    let pane = crate::session::owner::tmux_pane_of(owner.pid);
                    app.offer(s, owner, pane);
                }
                None => app.resume(s)?,
            },
        }
        swept
    } else {
        let swept = offer_cases(ctx, &mut app, err);
        if let Some(p) = &paste {
            routed(&mut app, p);
        }
        swept
    };
    // Said on stderr too (seen after the wizard ends), but the status line is seen now.
    if let Some(first) = swept.first() {
        let more = match swept.len() {
            1 => String::new(),
            n => format!(" (and {} more: see `tshoot sessions`)", n - 1),
        };
        app.status = Some(Status {
            text: format!("{first}{more}"),
            error: true,
        });
    }
    let io_ = crate::tui::RealIo::new(app.copy_method, ctx.store_owned());
    match crate::tui::run(app, io_) {
        Ok(crate::tui::Ended::Saved) => Ok(EXIT_OK),
        Ok(crate::tui::Ended::Unsaved) => Ok(EXIT_PROBLEMS),
        Err(e) => Err(Failure::Terminal(e)),
    }
}

/// `tshoot [QUERY]`: open the guide asked for; else the picker, with the unfinished cases on
/// top. The session files that could not be read (reported on `err`).
fn offer_cases(ctx: &Ctx, app: &mut App, err: &mut dyn Write) -> Vec<SessionError> {
    if let Some(q) = &ctx.cli.query {
        app.open_query(q);
    }
    if app.wiz.is_some() {
        return Vec::new();
    }
    let Ok(Ok((list, bad))) = ctx.store.as_ref().map(Store::list) else {
        return Vec::new();
    };
    for b in &bad {
        let _ = writeln!(err, "tshoot: {b}");
    }
    app.sessions = list.into_iter().filter(|s| !s.is_closed()).collect();
    app.picker.set_sessions(&app.catalog, &app.sessions);
    bad
}

/// `tshoot --paste`: the paste routed as if pasted into the picker (into the guide when a
/// query already opened one); a cut at 1 MiB is said in the status line unless routing said
/// something.
fn routed(app: &mut App, paste: &super::triage::Paste) {
    if app.wiz.is_some() {
        app.update(crate::app::Msg::Paste(paste.text.clone()));
    } else {
        app.picker.set_query(&app.catalog, "");
        app.paste_in_picker(&paste.text);
    }
    if let (Some(cut), None) = (&paste.cut, &app.status) {
        app.status = Some(Status {
            text: format!("the paste is longer than 1 MiB: {}", cut.sentence()),
            error: true,
        });
    }
}

/// `tshoot preview FILE`: the wizard on one guide file, reloaded when it is saved. Cases are
/// saved to a temporary folder, not among the engineer's sessions, and removed at the end.
pub fn preview(ctx: &Ctx, file: &Path, err: &mut dyn Write) -> Outcome {
    if !is_terminal() {
        return Err(Failure::PreviewNeedsTerminal(file.to_path_buf()));
    }
    let lib = Library::load_paths(&[file.to_path_buf()]);
    if lib.guides.is_empty() {
        let _ = cli::check(&lib, cli::OutputFormat::Text, err);
        let _ = writeln!(
            err,
            "tshoot: fix the errors above and run `tshoot preview {}` again",
            file.display()
        );
        return Err(Failure::Reported);
    }
    let findings = lib.guides[0].warnings.len();
    let (keymap, theme) = keymap_and_theme(ctx, err);
    let mut app = App::new(lib, keymap, theme);
    configured(ctx, &mut app);
    app.open(0);
    app.preview = Some(crate::authoring::preview::Preview::new(
        file.to_path_buf(),
        0,
    ));
    app.status = Some(Status {
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
    let io_ = crate::tui::RealIo::new(app.copy_method, Ok(store));
    let result = crate::tui::run(app, io_);
    let _ = std::fs::remove_dir_all(&dir);
    result.map(|_| EXIT_OK).map_err(Failure::Terminal)
}
