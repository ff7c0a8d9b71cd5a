//! The Markdown importer on arbitrary text. What it writes must be a guide file that parses
//! (it may have warnings or lint errors, but never a TOML syntax error), and is walked.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(imported) = tshoot::authoring::import::import(text, "fuzz") else {
        return;
    };
    if let Err(e) = toml::from_str::<toml::Table>(&imported.toml) {
        panic!("the importer wrote a file that is not TOML: {e}\n{}", imported.toml);
    }
    common::walk(&imported.guide);
});
