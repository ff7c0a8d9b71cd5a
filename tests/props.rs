//! Property tests for the entry points the fuzz targets drive (see `fuzz/`), so that a short
//! version of the fuzzing runs in every `cargo test`: the Markdown importer, the paste
//! extractor and sanitizer, and session file reading, each on arbitrary input and on random
//! edits of a real file. (The guide loader has its own in `parse.rs`.) No panic, and every
//! refusal says why.
//!
//! `PROPTEST_CASES=10000` for a longer run.

use crate::common::{edit, mutate};
use proptest::prelude::*;

use tshoot::authoring::import::import;
use tshoot::session::{Decode, Session};
use tshoot::ticket::extract::{extract, sanitize};

const SEED_DOC: &str = include_str!("fixtures/seed-aadsts50143.md");
const SESSION: &str = include_str!("../fuzz/seeds/session/walked.json");
const PASTE: &str = include_str!("../fuzz/seeds/extract/entra-page.txt");

/// No control character but newline and tab: nothing that a terminal would act on.
fn clean(s: &str) -> bool {
    !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
}

/// Import `text`: a guide comes out as TOML that reads back, with warnings that name a line.
fn check_import(text: &str) {
    match import(text, "doc") {
        Ok(imported) => {
            toml::from_str::<toml::Table>(&imported.toml)
                .unwrap_or_else(|e| panic!("not TOML: {e}\n{}", imported.toml));
            for w in &imported.warnings {
                assert!(w.line >= 1, "{w:?}");
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

fn check_paste(text: &str) {
    assert!(clean(&sanitize(text)));
    let x = extract(text);
    for id in ["error_code", "request_id", "correlation_id", "timestamp"] {
        if let Some(v) = x.field(id) {
            assert!(clean(&v), "{id}: {v:?}");
        }
    }
    for (label, value) in &x.other {
        assert!(clean(label) && clean(value), "{label:?}: {value:?}");
    }
}

fn check_session(bytes: &[u8]) {
    match Session::decode(bytes) {
        Ok(s) => {
            let lib = tshoot::guide::Library::load(&[]);
            let g = &lib.guides[0].guide;
            let _ = s.case.replay(g);
            let _ = tshoot::session::export::markdown(&s, Some(g));
        }
        Err(Decode::Corrupt(why)) => assert!(!why.is_empty()),
        Err(Decode::Future(v)) => assert!(v > tshoot::session::VERSION),
    }
}

/// Markdown pieces, so random documents reach the importer's sections and not only its
/// "no title" refusal.
fn markdown_soup() -> impl Strategy<Value = String> {
    let tokens = prop::sample::select(vec![
        "# Troubleshooting AADSTS50143\n",
        "## Initial Diagnostic Steps\n",
        "## Common Issues\n",
        "## Step-by-Step Resolution Strategies\n",
        "## Additional Notes\n",
        "### 1. Verify User Sign-In\n",
        "1. **Check**: is it right?\n",
        "- **Incorrect Domain Hint**: the hint is wrong.\n",
        "   - Ask the user.\n",
        "**Correlation ID**, **Request ID**\n",
        "```\ncode\n```\n",
        "| a | b |\n|---|---|\n",
        "\n",
        "\u{feff}",
        "\r\n",
        "*",
        "#",
        "`",
        "\u{202e}",
    ]);
    prop::collection::vec(tokens, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(200),
        ..ProptestConfig::default()
    })]

    #[test]
    fn import_never_panics_on_arbitrary_text(s in any::<String>()) {
        check_import(&s);
    }

    #[test]
    fn import_never_panics_on_markdown_soup(s in markdown_soup()) {
        check_import(&s);
    }

    #[test]
    fn import_never_panics_on_an_edited_seed_document(edits in prop::collection::vec(edit(), 1..6)) {
        check_import(&mutate(SEED_DOC, &edits));
    }

    #[test]
    fn extract_leaves_no_control_characters_in_arbitrary_text(s in any::<String>()) {
        check_paste(&s);
    }

    #[test]
    fn extract_leaves_no_control_characters_in_an_edited_error_page(
        edits in prop::collection::vec(edit(), 1..6),
        escapes in prop::collection::vec(prop::sample::select(vec!["\x1b[2J", "\x1b]52;c;QQ==\x07", "\u{9b}31m", "\x1bP1$r\x1b\\", "\x07", "\r"]), 0..4),
    ) {
        let mut text = mutate(PASTE, &edits);
        for (i, e) in escapes.iter().enumerate() {
            let at = (i * 97) % (text.len() + 1);
            let at = (0..=at).rev().find(|&j| text.is_char_boundary(j)).unwrap_or(0);
            text.insert_str(at, e);
        }
        check_paste(&text);
    }

    #[test]
    fn session_decode_never_panics_on_arbitrary_bytes(b in prop::collection::vec(any::<u8>(), 0..512)) {
        check_session(&b);
    }

    #[test]
    fn session_decode_never_panics_on_an_edited_session(edits in prop::collection::vec(edit(), 1..6)) {
        check_session(mutate(SESSION, &edits).as_bytes());
    }
}
