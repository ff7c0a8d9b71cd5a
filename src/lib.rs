//! tshoot: a terminal troubleshooting wizard for support engineers.
//!
//! # Module map
//!
//! | module | what it holds |
//! |---|---|
//! | [`guide`] | the guide format (TOML), validation with `path:line:col`, guide files on disk (`files`), the full library (`check`, `test`) and the catalog with its index (picker, `list`, single-guide commands); catalog -> load -> files, one way |
//! | [`codes`] | the code catalogue (`assets/codes/catalogue.tsv`, compiled in, parsed on first use): [`codes::lookup`] a code's name, meaning and link; no terminal code |
//! | [`wizard`] | the pure state machine of one case, and its derived views (suspects, checklist, progress) |
//! | [`ticket`] | field checks, the rendered ticket, paste extraction (one file per stage), copy methods (`ticket/clipboard/`: one file per method, `terminals.rs` the table of what each terminal does with OSC 52, `verified.rs` the copy paths proven by a pasted-back token) |
//! | [`session`] | saved cases: atomic autosave, resume, list, export, prune; `owner`: one writer per case (owner records, stale takeover) and revisions that refuse a save over newer work; no terminal code |
//! | [`authoring`] | for guide authors: Markdown and HTML import (read (pulldown-cmark; HTML via htmd) -> document -> shape (support-article sections) -> build -> write), `new` scaffold, replay cases (`test`), live preview |
//! | [`cli`] | clap definitions (`cli/mod.rs`) and the printing of the non-interactive commands, one file per group: `list.rs`, `guides.rs` (show, check, test, new, import), `cases.rs` (ticket, sessions) |
//! | [`cmd`] | one function per command of the binary, returning an exit code or a typed [`cmd::Failure`] printed in one place; `main.rs` only parses and calls [`cmd::run`]; `cmd/doctor.rs` is `tshoot doctor` |
//! | [`clock`] | UTC times (RFC 3339, file stamps) for sessions and tickets, with no date crate |
//! | [`triage`] | the paste router: pasted text -> the error codes in it (labelled first, then by first line), each with the guide it opens or generic, its meaning, and the values extracted; no terminal code |
//! | [`explain`] | `tshoot explain CODE`: a code's catalogue entry and the guide that covers it |
//! | [`config`] | `config.toml`: guide folders, key bindings, colours; strict, with located errors |
//! | [`fsread`] | reading files that may be hostile: regular files only (never a FIFO), size-capped |
//! | [`keymap`] | key bindings as data: key -> [`keymap::Action`], and back for help and hints |
//! | [`plain`] | standard output and error of the commands, with control characters shown escaped |
//! | [`text`] | [`text::sanitize`]: any string made safe to show on a terminal; a leaf every layer may use |
//! | [`picker`] | the guide picker's search state (substring, then fuzzy matching), no terminal code |
//! | [`app`] | App state, [`app::Msg`] and `App::update`: the only place state changes (`app/mod.rs`; `actions.rs` acts on the case, `ticket_pane.rs` edits the ticket, `owner_offer.rs` the open-elsewhere choices) |
//! | [`input`] | terminal events -> [`app::Msg`]: keys through the key map, clicks and the wheel resolved against the ui's layout to a target (picker row, tab, pane item) |
//! | [`theme`] | the colours (from `config.toml`), held by the app and read by the ui |
//! | [`app_paste`] | paste first in the TUI: a paste in the picker routed to its code's guide (or candidate rows, or generic), a case opened for a code (`tshoot CODE`, the generic guide) |
//! | [`ui`] | drawing: one file per pane, the header/stepper, overlays, theme |
//! | [`term`] | a lean ratatui backend: only the changed cells and styles, few bytes per keystroke; and the XTVERSION query that names the terminal |
//! | [`tui`] | the real terminal: set-up, event loop, signals, restore on every exit |
//! | [`build_info`] | which build this is: version, commit, dirty flag (from `build.rs`), for `--version` |
//! | [`manpage`] | man pages (`clap_mangen`, plus exit codes, environment, files, keys) and completion files for packages |
//!
//! # Layers
//!
//! The core ([`guide`], [`wizard`], [`ticket`], [`session`], [`authoring`], and the leaves
//! [`text`], [`clock`], [`fsread`], [`plain`]) imports
//! nothing of [`app`], [`ui`], [`tui`], [`term`], [`keymap`], [`cmd`], ratatui or crossterm; the
//! test `tests/layering.rs` reads the sources and names any file and line that does. The TUI
//! side ([`app`], [`keymap`], [`ui`], [`term`], [`tui`]) and [`cmd`] sit above it. Within the
//! TUI side the app state is the bottom: [`app`] (with [`picker`], [`keymap`], [`theme`])
//! names nothing of [`ui`], [`input`], [`tui`] or [`term`]; a second test in
//! `tests/layering.rs` keeps that.
//!
//! # Unit tests
//!
//! A module whose unit tests run past about 30 lines is a folder: the code in `foo/mod.rs`,
//! its tests in `foo/tests.rs`, declared at the end of `mod.rs` (or with its other
//! submodules) as `#[cfg(test)] mod tests;`. Shorter tests stay inline in a `mod tests { }`.
//!
//! # Data flow
//!
//! 1. [`guide::catalog::Catalog::scan`] lists the guides from their headers (kept in an index
//!    while current); the one opened is parsed and validated in full into a [`guide::Guide`]
//!    ([`guide::Library::load`] parses all, for `check` and `test`).
//! 2. A [`wizard::Case`] records what the engineer does; [`wizard::Act`]s change it.
//! 3. [`wizard::view`] derives what to show; [`ticket::render`] writes the ticket.
//! 4. In the TUI: terminal event -> [`app::Msg`] ([`input::message_for`]: the key map, and
//!    mouse events resolved against the layout to an [`app::Target`]) -> `App::update` -> state
//!    (+ an [`app::Effect`] for the loop); [`ui::draw`] only reads the state. What the loop
//!    does for the app (a copy, a failed save, a preview reload) comes back as a message too.
#![forbid(unsafe_code)]
// A panic is never the answer to bad input: outside tests, a failure is a typed error.
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod app;
pub mod app_paste;
pub mod authoring;
pub mod build_info;
pub mod cli;
pub mod clock;
pub mod cmd;
pub mod codes;
pub mod config;
pub mod explain;
pub mod fsread;
pub mod guide;
pub mod input;
pub mod keymap;
pub mod manpage;
pub mod picker;
pub mod plain;
pub mod session;
pub mod term;
pub mod text;
pub mod theme;
pub mod ticket;
pub mod triage;
pub mod tui;
pub mod ui;
pub mod wizard;
