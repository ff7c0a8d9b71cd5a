//! The guide loader and validator on arbitrary text (a guide, then optionally `\n%%cases\n` and
//! a replay-cases file); a guide that loads is walked, rendered and drawn.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (guide, cases) = match text.split_once("\n%%cases\n") {
        Some((g, c)) => (g, Some(("fuzz.cases.toml", c))),
        None => (text, None),
    };
    match tshoot::guide::parse_with_cases("fuzz.toml", guide, cases) {
        Ok((g, warnings)) => {
            for w in &warnings {
                let _ = w.to_string();
            }
            common::walk(&g);
            common::drive(g, None, data);
        }
        Err(diags) => {
            assert!(!diags.is_empty(), "a guide refused without a reason");
            for d in &diags {
                let _ = d.to_string();
            }
        }
    }
});
