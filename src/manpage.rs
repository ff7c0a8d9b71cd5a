//! Man pages and completion files for packages, generated from the clap definitions
//! ([`crate::cli::Cli`]) and the key map, so they cannot drift from the program.
//!
//! `tshoot.1` is `clap_mangen`'s page (synopsis, options, subcommands) with EXIT STATUS,
//! ENVIRONMENT, FILES and KEYS added; each visible subcommand gets its own `tshoot-NAME.1`.
//! `pkg/build-deb.sh` writes them with the hidden `tshoot __man DIR`, and the completion
//! scripts with `tshoot __completions-dir DIR`; `tests/package.rs` checks them against README.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::CommandFactory;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, italic, roman};

use crate::build_info;
use crate::cli::{self, Cli};
use crate::keymap::{Action, KeyMap};

/// Hidden argument: `tshoot __man DIR` writes every man page into DIR.
pub const MAN_ARG: &str = "__man";
/// Hidden argument: `tshoot __completions-dir DIR` writes the bash, zsh and fish scripts.
pub const COMPLETIONS_ARG: &str = "__completions-dir";

/// Exit status, as README's table gives it: (code, meaning).
pub const EXIT_CODES: [(&str, &str); 4] = [
    ("0", "Success: the command did what it was asked."),
    (
        "1",
        "Problems found: `check` reported errors, a replay case failed, a guide or saved case \
         was not found, a copy reached no clipboard, or a wizard case could not be saved (it \
         is then printed on standard output so nothing is lost).",
    ),
    (
        "2",
        "Usage error: arguments clap rejects, an unknown `--set` field, a query given together \
         with a command, or the wizard started without a terminal.",
    ),
    (
        "128+N",
        "Ended by signal N, after saving the case and restoring the terminal: 129 for SIGHUP \
         (a dropped SSH connection), 130 for SIGINT, 143 for SIGTERM.",
    ),
];

/// Environment variables tshoot reads: (name, what it does).
pub const ENVIRONMENT: [(&str, &str); 20] = [
    (
        "TSHOOT_GUIDES",
        "Extra guide folders, separated by colons. They override the user's guide folder and \
         the config's `guides`, and are overridden by `--guides`.",
    ),
    (
        "TSHOOT_CONFIG",
        "The config file to read instead of the default (the same as `--config`).",
    ),
    (
        "TSHOOT_DATA_DIR",
        "Keep saved cases in `$TSHOOT_DATA_DIR/sessions` instead of the XDG data folder.",
    ),
    (
        "TSHOOT_CACHE_DIR",
        "Keep the guide index in this folder instead of the XDG cache folder.",
    ),
    (
        "TSHOOT_TICKET_DIR",
        "Write the ticket files made on every copy into this folder.",
    ),
    (
        "TSHOOT_STATE_DIR",
        "Keep the record of verified copy paths (`tshoot doctor --verify`) in this folder \
         instead of the XDG state folder.",
    ),
    (
        "NO_COLOR",
        "When set to anything but the empty string, no colours are used; marks such as \u{2713} \
         and \u{2717} still carry the meaning.",
    ),
    (
        "XDG_CONFIG_HOME",
        "Base of the config folder (default `~/.config`): `tshoot/config.toml` and \
         `tshoot/guides/`.",
    ),
    (
        "XDG_DATA_HOME",
        "Base of the data folder (default `~/.local/share`): `tshoot/sessions/` and \
         `tshoot/tickets/`.",
    ),
    (
        "XDG_CACHE_HOME",
        "Base of the cache folder (default `~/.cache`): `tshoot/index-v2.bin`.",
    ),
    ("HOME", "The home folder the XDG defaults are taken from."),
    (
        "COLUMNS",
        "The width `tshoot sessions` fits its lines to (80 when unset); labels that do not fit \
         end in `…`.",
    ),
    (
        "TMUX",
        "Set inside tmux: a copy goes to tmux's buffer (and on to the terminal's clipboard).",
    ),
    (
        "STY",
        "Set inside GNU screen: the OSC 52 copy is wrapped so that screen passes it on.",
    ),
    (
        "TERM",
        "A value starting with `screen` outside tmux is treated as GNU screen, as above.",
    ),
    (
        "SSH_TTY",
        "Set over SSH (as is SSH_CONNECTION): a copy is sent to the local terminal as OSC 52.",
    ),
    ("SSH_CONNECTION", "As SSH_TTY."),
    (
        "DISPLAY",
        "The X11 display for the system clipboard; a background holder keeps the ticket on it \
         after tshoot exits.",
    ),
    (
        "WAYLAND_DISPLAY",
        "Only noticed to explain a failed copy: this build reaches the X11 clipboard only.",
    ),
    (
        "TMPDIR",
        "Where `preview` keeps its throw-away cases, and where tickets go when there is no \
         data folder.",
    ),
];

/// Files tshoot reads and writes: (path, what it is).
pub const FILES: [(&str, &str); 7] = [
    (
        "~/.config/tshoot/config.toml",
        "The config file (guide folders, key bindings, colours, clipboard method, redaction). \
         Optional; `tshoot config --print-default` prints every option. Read only.",
    ),
    (
        "~/.config/tshoot/guides/",
        "The user's own guides (*.toml), loaded after the bundled ones. Read only.",
    ),
    (
        "~/.local/share/tshoot/sessions/",
        "Saved cases, one JSON file each, written after every change (mode 0600, folder 0700). \
         A file that cannot be read is moved aside as NAME.json.unreadable-STAMP, never deleted. \
         NAME.owner beside a case names the tshoot that has it open (pid, terminal, since when); \
         it is removed when that tshoot ends.",
    ),
    (
        "~/.local/share/tshoot/tickets/ticket-UTC.txt",
        "A copy of each ticket copied from the wizard or with `ticket --copy` (mode 0600).",
    ),
    (
        "~/.cache/tshoot/index-v2.bin",
        "The index of guide headers, so that large libraries start fast. Safe to delete.",
    ),
    (
        "/usr/share/bash-completion/completions/tshoot",
        "Completion scripts installed by the package (also \
         /usr/share/zsh/vendor-completions/_tshoot and \
         /usr/share/fish/vendor_completions.d/tshoot.fish); `tshoot completions SHELL` prints \
         them.",
    ),
    (
        "/usr/share/doc/tshoot/README.md",
        "The full manual, including the guide format.",
    ),
];

/// The root command as the pages see it (no `help` subcommand: it has no page).
fn root() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// `clap_mangen`'s page set-up shared by every page.
fn man(cmd: clap::Command) -> Man {
    Man::new(cmd)
        .date(build_info::DATE)
        .source(format!("tshoot {}", build_info::VERSION_LINE))
        .manual("User Commands")
}

/// Every man page: (file name, roff text). `tshoot.1` first, then one per visible subcommand.
pub fn pages() -> Vec<(String, String)> {
    let cmd = root();
    let mut out = vec![("tshoot.1".to_owned(), main_page(&cmd))];
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let page = man(sub.clone());
        let mut buf = Vec::new();
        let _ = page.render(&mut buf);
        let mut text = String::from_utf8_lossy(&buf).into_owned();
        let mut see = Roff::new();
        see.control("SH", ["EXIT STATUS"]);
        see.text([
            roman("The same for every tshoot command: see "),
            bold("tshoot"),
            roman("(1)."),
        ]);
        see.control("SH", ["SEE ALSO"]);
        see.text([bold("tshoot"), roman("(1)")]);
        text.push_str(&without_preamble(&see));
        out.push((page.get_filename(), text));
    }
    out
}

/// The roff of `r` without the preamble every render starts with (already in the page).
fn without_preamble(r: &Roff) -> String {
    let preamble = Roff::new().render();
    let text = r.render();
    text.strip_prefix(&preamble).unwrap_or(&text).to_owned()
}

/// Words, with `code` spans in bold: a line of text for roff.
fn inline(text: &str) -> Vec<clap_mangen::roff::Inline> {
    text.split('`')
        .enumerate()
        .filter(|(_, s)| !s.is_empty())
        .map(|(i, s)| if i % 2 == 1 { bold(s) } else { roman(s) })
        .collect()
}

/// `tshoot.1`: `clap_mangen`'s sections, then the ones clap does not know about.
#[expect(
    clippy::too_many_lines,
    reason = "the man page's sections in order, as the page reads"
)]
fn main_page(cmd: &clap::Command) -> String {
    let page = man(cmd.clone());
    // Each render starts with the same preamble: keep it once, at the top.
    let preamble = Roff::new().render();
    let part = |render: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| {
        let mut buf = Vec::new();
        let _ = render(&mut buf);
        let s = String::from_utf8_lossy(&buf).into_owned();
        s.strip_prefix(&preamble).map(str::to_owned).unwrap_or(s)
    };
    let mut text = preamble.clone();
    text.push_str(&part(&|w| page.render_title(w)));
    text.push_str(&part(&|w| page.render_name_section(w)));
    text.push_str(&part(&|w| page.render_synopsis_section(w)));
    text.push_str(&part(&|w| page.render_description_section(w)));

    let mut r = Roff::new();
    r.control("PP", []);
    r.text(inline(
        "A guide is a TOML file describing a small state machine: diagnostic questions whose \
         answers point at likely causes, the common issues behind an error, the fixes for \
         each with tasks to tick, and the ticket to open when nothing helps. Started with a \
         guide id or alias (`tshoot AADSTS50143`, `tshoot 50143`), tshoot opens the wizard on \
         it; without one, a picker lists every guide and the unfinished cases. Every answer, \
         tick and field is saved as it happens, so `tshoot resume` continues after a dropped \
         SSH connection.",
    ));
    r.control("PP", []);
    r.text(inline(
        "Guides come from, later ones overriding earlier ones with the same id: the guides \
         built into tshoot, `~/.config/tshoot/guides/`, the config's `guides` list, \
         `TSHOOT_GUIDES` and `--guides`. The commands below print and exit without the \
         full-screen UI, except `resume` and `preview`, which open it.",
    ));
    text.push_str(&without_preamble(&r));

    text.push_str(&part(&|w| page.render_options_section(w)));
    text.push_str(&part(&|w| page.render_subcommands_section(w)));

    let mut r = Roff::new();
    r.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in EXIT_CODES {
        r.control("TP", []);
        r.text([bold(code)]);
        r.text(inline(meaning));
    }
    r.control("SH", ["ENVIRONMENT"]);
    for (name, what) in ENVIRONMENT {
        r.control("TP", []);
        r.text([bold(name)]);
        r.text(inline(what));
    }
    r.control("SH", ["FILES"]);
    r.text(inline(
        "The paths below are the defaults; the XDG variables and the TSHOOT_* variables under \
         ENVIRONMENT move them.",
    ));
    for (path, what) in FILES {
        r.control("TP", []);
        r.text([italic(path)]);
        r.text(inline(what));
    }
    keys_section(&mut r);
    r.control("SH", ["EXAMPLES"]);
    for (example, what) in [
        ("tshoot 50143", "the wizard on the AADSTS50143 guide"),
        (
            "tshoot resume",
            "the most recent unfinished case, where it was left",
        ),
        (
            "tshoot ticket 50143 --paste error.txt --copy",
            "fill a ticket from pasted error text and copy it, without the wizard",
        ),
        (
            "tshoot check --format json ~/guides",
            "lint a folder of guides for an editor or CI",
        ),
    ] {
        r.control("TP", []);
        r.text([bold(example)]);
        r.text([roman(what)]);
    }
    r.control("SH", ["VERSION"]);
    r.text(inline(&format!(
        "tshoot {}, {} {} build. `tshoot --version` says the same: quote it in bug reports.",
        build_info::VERSION_LINE,
        build_info::TARGET,
        build_info::PROFILE
    )));
    r.control("SH", ["SEE ALSO"]);
    let mut see = Vec::new();
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        see.push(bold(format!("tshoot-{}", sub.get_name())));
        see.push(roman("(1), "));
    }
    see.extend([
        bold("tmux"),
        roman("(1), "),
        bold("xclip"),
        roman("(1), "),
        roman("/usr/share/doc/tshoot/README.md"),
    ]);
    r.text(see);
    text.push_str(&without_preamble(&r));
    text
}

/// KEYS, from the default key map (what the help overlay shows), plus the fixed keys.
fn keys_section(r: &mut Roff) {
    let map = KeyMap::default();
    r.control("SH", ["KEYS"]);
    r.text(inline(
        "The wizard's default keys. Each can be rebound in the `[keys]` table of the config \
         file, by the action name in brackets; the help overlay (`?`) always shows the keys in \
         use.",
    ));
    r.control("TP", []);
    r.text([bold("1"), roman(" to "), bold("9")]);
    r.text([roman("choose that answer (not rebindable)")]);
    for action in Action::ALL {
        let keys: Vec<String> = map.keys(action).iter().map(ToString::to_string).collect();
        r.control("TP", []);
        let mut line = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            if i > 0 {
                line.push(roman(", "));
            }
            line.push(bold(k.as_str()));
        }
        r.text(line);
        r.text([roman(format!("{} [{}]", action.describe(), action.name()))]);
    }
    r.control("PP", []);
    r.text(inline(
        "In the picker, typed characters go to the search; `Up`/`Down` and `Ctrl-P`/`Ctrl-N` \
         move, `Enter` opens, `Ctrl-W` deletes a word and `Esc` clears the search, then quits. \
         In a ticket field, `Enter` or `Esc` finishes editing, `Ctrl-U` clears the line.",
    ));
}

/// Write every page into `dir` (created if missing); returns the files written.
pub fn write_pages(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    pages()
        .into_iter()
        .map(|(name, text)| {
            let path = dir.join(name);
            std::fs::write(&path, text)?;
            Ok(path)
        })
        .collect()
}

/// The completion scripts, by the file names their shells look for: (file name, shell).
pub const COMPLETION_FILES: [(&str, clap_complete::Shell); 3] = [
    ("tshoot.bash", clap_complete::Shell::Bash),
    ("_tshoot", clap_complete::Shell::Zsh),
    ("tshoot.fish", clap_complete::Shell::Fish),
];

/// Write the bash, zsh and fish completion scripts into `dir` (as `tshoot completions`).
pub fn write_completions(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    COMPLETION_FILES
        .iter()
        .map(|(name, shell)| {
            let mut buf = Vec::new();
            cli::completions(*shell, &mut buf);
            let path = dir.join(name);
            std::fs::write(&path, buf)?;
            Ok(path)
        })
        .collect()
}

/// `tshoot __man DIR` / `tshoot __completions-dir DIR`: print what was written.
pub fn hidden_main(which: &str, dir: Option<String>) -> ExitCode {
    let Some(dir) = dir else {
        eprintln!("tshoot: {which} needs a folder to write to");
        return ExitCode::from(cli::EXIT_USAGE);
    };
    let written = if which == MAN_ARG {
        write_pages(Path::new(&dir))
    } else {
        write_completions(Path::new(&dir))
    };
    match written {
        Ok(files) => {
            let mut out = std::io::stdout().lock();
            for f in files {
                let _ = writeln!(out, "{}", f.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("tshoot: {which} {dir}: {e}");
            ExitCode::from(cli::EXIT_PROBLEMS)
        }
    }
}
