//! tshoot: a terminal troubleshooting wizard for support engineers.
//!
//! # Module map
//!
//! | module | what it holds |
//! |---|---|
//! | [`guide`] | the guide format (TOML), loading from every source, validation with `path:line:col` |
//! | [`wizard`] | the pure state machine of one case, and its derived views (suspects, checklist, progress) |
//! | [`ticket`] | field checks, the rendered ticket, paste extraction, copy methods |
//! | [`cli`] | clap definitions and the non-interactive commands (`list`, `show`, `check`, ...) |
//!
//! # Data flow
//!
//! 1. [`guide::Library::load`] reads bundled guides and guide folders into [`guide::Guide`]s.
//! 2. A [`wizard::Case`] records what the engineer does; [`wizard::Act`]s change it.
//! 3. [`wizard::view`] derives what to show; [`ticket::render`] writes the ticket.
#![forbid(unsafe_code)]

pub mod cli;
pub mod guide;
pub mod ticket;
pub mod wizard;
