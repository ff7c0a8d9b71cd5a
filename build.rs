//! Build script: names the build, so that `tshoot --version` says which commit it was made
//! from and whether the tree had uncommitted changes, without needing git at run time.
//!
//! Sets, for `src/build_info.rs`:
//! - `TSHOOT_BUILD_VERSION_LINE`: `0.1.0 (abc1234, dirty)`, what `--version` prints.
//! - `TSHOOT_BUILD_COMMIT`: the short commit hash, or `unknown commit` when building without
//!   git (a source tarball, a vendored copy). `TSHOOT_BUILD_COMMIT` in the build environment
//!   overrides it (packagers building from a tarball of a known commit).
//! - `TSHOOT_BUILD_DIRTY`: `dirty` when the files the binary is built from ([`SOURCES`]) differ
//!   from that commit, else empty. Untracked files and edits to tests or docs do not count.
//! - `TSHOOT_BUILD_DATE`: the commit's date (YYYY-MM-DD), for the man pages; empty without git.
//! - `TSHOOT_BUILD_TARGET`, `TSHOOT_BUILD_PROFILE`: the target triple and `release`/`debug`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    println!("cargo:rerun-if-env-changed=TSHOOT_BUILD_COMMIT");
    println!("cargo:rerun-if-changed=build.rs");

    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git")
            .args(args)
            .current_dir(&dir)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };

    let (commit, dirty, date) = match std::env::var("TSHOOT_BUILD_COMMIT") {
        Ok(c) if !c.trim().is_empty() => (c.trim().to_owned(), String::new(), String::new()),
        _ => match own_commit(&dir, &git) {
            Some(commit) => {
                watch_git(&dir, &git);
                // `--no-optional-locks`: do not refresh (rewrite) the index from a build.
                let mut status = vec![
                    "--no-optional-locks",
                    "status",
                    "--porcelain",
                    "--untracked-files=no",
                    "--",
                ];
                status.extend(SOURCES);
                let dirty = match git(&status) {
                    Some(s) if s.is_empty() => "",
                    Some(_) => "dirty",
                    None => "",
                };
                let date = git(&["log", "-1", "--format=%cs", "HEAD"]).unwrap_or_default();
                (commit, dirty.to_owned(), date)
            }
            None => ("unknown commit".to_owned(), String::new(), String::new()),
        },
    };

    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let line = if dirty.is_empty() {
        format!("{version} ({commit})")
    } else {
        format!("{version} ({commit}, {dirty})")
    };
    println!("cargo:rustc-env=TSHOOT_BUILD_VERSION_LINE={line}");
    println!("cargo:rustc-env=TSHOOT_BUILD_COMMIT={commit}");
    println!("cargo:rustc-env=TSHOOT_BUILD_DIRTY={dirty}");
    println!("cargo:rustc-env=TSHOOT_BUILD_DATE={date}");
    println!(
        "cargo:rustc-env=TSHOOT_BUILD_TARGET={}",
        std::env::var("TARGET").unwrap_or_default()
    );
    println!(
        "cargo:rustc-env=TSHOOT_BUILD_PROFILE={}",
        std::env::var("PROFILE").unwrap_or_default()
    );
}

/// What the binary is built from: an edit here makes the build "dirty" (and reruns this
/// script; watching more, e.g. tests/, would rebuild the crate on every test edit).
const SOURCES: [&str; 5] = ["build.rs", "Cargo.toml", "Cargo.lock", "src", "assets"];

/// The short hash of HEAD, if this crate is the top of its own git work tree (not, say, a
/// source tarball unpacked inside some other repository).
fn own_commit(dir: &Path, git: &dyn Fn(&[&str]) -> Option<String>) -> Option<String> {
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?);
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if !same(&top, dir) {
        return None;
    }
    git(&["rev-parse", "--short=7", "HEAD"]).filter(|c| !c.is_empty())
}

/// Rerun when the commit or the sources change: HEAD, the branch it points at (loose or
/// packed) and [`SOURCES`]. Works in linked worktrees, where `.git` is a file and refs live in
/// the common folder.
fn watch_git(dir: &Path, git: &dyn Fn(&[&str]) -> Option<String>) {
    let watch = |p: PathBuf| {
        let p = if p.is_absolute() { p } else { dir.join(p) };
        if p.exists() {
            println!("cargo:rerun-if-changed={}", p.display());
        }
    };
    for name in ["HEAD", "packed-refs"] {
        if let Some(p) = git(&["rev-parse", "--git-path", name]) {
            watch(PathBuf::from(p));
        }
    }
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"])
        && let Some(p) = git(&["rev-parse", "--git-path", &branch])
    {
        watch(PathBuf::from(p));
    }
    for source in SOURCES {
        watch(PathBuf::from(source));
    }
}
