//! Paste extraction.
