//! Guides: the format ([`model`]), located names ([`name`]), reading and checking a file
//! ([`validate`], [`diag`]), loading the library from every source ([`load`]) and the plain
//! text rendering used by `tshoot show` ([`show`]).

pub mod catalog;
pub mod diag;
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
