//! The paste extractor and the sanitizer on arbitrary text: what they return never holds a
//! control character (escape sequences must not reach the terminal or the clipboard).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tshoot::ticket::extract::{extract, sanitize};

fn clean(s: &str) -> bool {
    !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let clean_text = sanitize(&text);
    assert!(clean(&clean_text), "sanitize left a control character: {clean_text:?}");
    let found = extract(&text);
    for id in ["error_code", "request_id", "correlation_id", "timestamp"] {
        if let Some(v) = found.field(id) {
            assert!(clean(&v), "extract returned a control character in {id}: {v:?}");
        }
    }
    for (label, value) in &found.other {
        assert!(clean(label) && clean(value), "extract returned a control character: {label:?}");
    }
    for code in &found.error_codes {
        assert!(clean(code), "extract returned a control character: {code:?}");
    }
});
