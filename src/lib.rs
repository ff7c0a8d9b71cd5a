//! tshoot: a terminal troubleshooting wizard.
#![forbid(unsafe_code)]

pub mod ticket;
