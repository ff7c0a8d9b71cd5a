//! Helpers shared by the integration tests: run the real binary in a sandbox, and find or
//! require the external tools (tmux, Xvfb, xclip, script) the end-to-end tests drive.
//! Each test file uses some of them.
#![allow(dead_code)]

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// Run `tshoot ARGS` from the crate root with a throw-away HOME and config dir (so the user's
/// own guides and config never leak in), and fail if it panicked.
pub fn tshoot(args: &[&str]) -> Output {
    let home = tempfile::tempdir().expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_tshoot"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env_remove("TSHOOT_GUIDES")
        .output()
        .expect("run tshoot");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "tshoot {args:?} panicked:\n{stderr}"
    );
    out
}

/// Whether an executable `tool` is on PATH.
pub fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| {
            std::fs::metadata(dir.join(tool))
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
    })
}

/// True if all tools are there. Otherwise: fail under `CI=true` (CI installs them), else print
/// a note and let the test skip.
pub fn require(tools: &[&str], install: &str) -> bool {
    let missing: Vec<&str> = tools.iter().copied().filter(|t| !on_path(t)).collect();
    if missing.is_empty() {
        return true;
    }
    let note = format!("missing {} (install: {install})", missing.join(", "));
    assert!(std::env::var("CI").as_deref() != Ok("true"), "{note}");
    eprintln!("SKIPPED: {note}");
    false
}

/// Poll `done` until it holds or `limit` passes; whether it held. A deadline for waiting,
/// never an assertion on how long something took.
pub fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        if done() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
