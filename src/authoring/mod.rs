//! Guide authoring: turning the team's Markdown troubleshooting documents into guides
//! ([`import`]), starting a guide from a commented example ([`new`]), running a guide's replay
//! cases through the real wizard ([`replay`], `tshoot test`) and watching a guide file while
//! it is edited ([`preview`], `tshoot preview`).
//!
//! None of it touches the terminal except `preview`, which only decides *when* to reload; the
//! TUI event loop calls it between events.

pub mod import;
pub mod new;
pub mod preview;
pub mod replay;
