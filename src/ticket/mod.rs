//! Ticket: fields, checks, template, paste extraction, copy methods.
pub mod extract;
