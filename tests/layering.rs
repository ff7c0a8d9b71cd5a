//! The layers run one way: the core (guides, the case's state machine, tickets, sessions,
//! authoring, and the small shared modules) knows nothing of the terminal. This reads the
//! sources and names every file and line of the core that reaches into the TUI side.

use std::path::{Path, PathBuf};

/// The core: folders and files under `src/`. The live preview's file watching is core too:
/// it hands its reloads to the app as messages.
const CORE: &[&str] = &[
    "guide",
    "wizard",
    "ticket",
    "session",
    "authoring",
    "text.rs",
    "clock.rs",
    "fsread",
    "plain",
    "codes",
    "explain",
    "triage",
];

/// What a core file may not name: the TUI modules and the terminal crates.
const FORBIDDEN: &[&str] = &[
    "crate::app",
    "crate::ui",
    "crate::tui",
    "crate::term",
    "crate::keymap",
    "crate::cmd",
    "ratatui",
    "crossterm",
];

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .expect("source folder reads")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for e in entries {
            rust_files(&e, out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    } else if path.with_extension("rs").is_file() {
        out.push(path.with_extension("rs"));
    }
}

/// `line` with its `//` comment removed (doc comments may mention the TUI freely).
fn code_of(line: &str) -> &str {
    line.find("//").map_or(line, |i| &line[..i])
}

/// Every line of the files under `src/` named in `modules` that names one of `forbidden`, as
/// `src/FILE:LINE: uses NAME: CODE`.
fn violations(modules: &[&str], forbidden: &[&str]) -> (usize, Vec<String>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for c in modules {
        let p = src.join(c);
        assert!(
            p.exists() || p.with_extension("rs").exists(),
            "module {c} not found"
        );
        rust_files(&p, &mut files);
    }
    let mut found = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&src).expect("under src").to_string_lossy();
        let text = std::fs::read_to_string(f).expect("source reads");
        for (n, line) in text.lines().enumerate() {
            let code = code_of(line);
            for bad in forbidden {
                if code.contains(bad) {
                    found.push(format!("src/{rel}:{}: uses {bad}: {}", n + 1, line.trim()));
                }
            }
        }
    }
    (files.len(), found)
}

#[test]
fn the_core_imports_nothing_of_the_tui_side() {
    let (files, found) = violations(CORE, FORBIDDEN);
    assert!(files > 40, "found only {files} core files");
    assert!(
        found.is_empty(),
        "the core must not depend on the TUI side:\n{}",
        found.join("\n")
    );
}

/// The TUI side runs one way too: the app state and `update` sit below the code that draws
/// them and the code that turns events into messages, so a click reaches `update` already
/// resolved to what it landed on. The app (and the picker and key map it holds) names no
/// module that draws, reads events or owns the terminal.
const APP: &[&str] = &["app", "app_paste.rs", "picker", "keymap.rs", "theme.rs"];
const ABOVE_APP: &[&str] = &["crate::ui", "crate::input", "crate::tui", "crate::term"];

#[test]
fn the_app_asks_the_ui_nothing() {
    let (files, found) = violations(APP, ABOVE_APP);
    assert!(files >= 5, "found only {files} app files");
    assert!(
        found.is_empty(),
        "the app state must not depend on drawing, input or the terminal:\n{}",
        found.join("\n")
    );
}

/// The rule's own check: a line such as a core file would have if it broke the rule is found.
#[test]
fn the_rule_catches_an_import() {
    let line = "use crate::ui::theme::Theme; // colours";
    assert!(FORBIDDEN.iter().any(|b| code_of(line).contains(b)));
    assert!(
        !FORBIDDEN
            .iter()
            .any(|b| code_of("//! drawn by crate::ui").contains(b))
    );
}
