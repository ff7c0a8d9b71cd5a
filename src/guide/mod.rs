//! Guides: the format ([`model`]), located names ([`name`]), reading and checking a file
//! ([`validate`], [`diag`]), guide files on disk ([`files`]: folder walking, reading, parsing
//! on every core), loading the library from every source ([`load`]), the catalog of guide
//! headers with its index ([`catalog`]) and the plain text rendering used by `tshoot show`
//! ([`show`]).
//!
//! Dependencies run one way: [`catalog`] uses [`load`] (its types) and [`files`]; [`load`]
//! uses [`files`] and never the catalog.

pub mod catalog;
pub mod diag;
pub mod files;
pub mod load;
pub mod model;
pub mod name;
pub mod show;
pub mod validate;

pub use diag::{Diagnostic, Severity};
pub use load::{Library, Origin};
pub use model::*;
pub use name::Name;
pub use validate::{check_value, is_guid, parse, parse_with_cases};
