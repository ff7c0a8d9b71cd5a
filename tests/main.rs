//! The integration tests, as one test binary: each file in `tests/` is a module of this crate
//! (the way `just` lays out its tests), so the crate is linked into one test executable rather
//! than one per file. `cargo test NAME` still filters by test name; `cargo test cli::` runs one
//! file's tests. Cargo.toml sets `autotests = false` and names this file as the only `[[test]]`.
//!
//! All the tests now share one process: none may change process-wide state (environment,
//! current directory), and names of outside resources (tmux servers, displays) must not
//! collide between modules. Child processes get their environment through `Command::env`.

mod common;

mod app_keys;
mod authoring;
mod check;
mod cli;
mod clipboard;
mod copy_e2e;
mod hostile;
mod import;
mod import_kb;
mod layering;
mod library;
mod lifecycle;
mod lint;
mod owner;
mod package;
mod parse;
mod preview;
mod props;
mod sessions;
mod soak;
mod terminal_safety;
mod tmux;
mod triage;
mod ui_snapshots;
