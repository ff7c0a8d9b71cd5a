//! Which build this is: version, commit and dirty flag, fixed at build time by `build.rs`
//! (git is needed to build from a clone, never to run). `tshoot --version` prints
//! [`VERSION_LINE`] after the program name, e.g. `tshoot 0.1.0 (abc1234, dirty)`.

/// The crate version, e.g. `0.1.0`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The short commit hash the binary was built from, or `unknown commit` (no git at build
/// time, e.g. from a source tarball).
pub const COMMIT: &str = env!("TSHOOT_BUILD_COMMIT");

/// Whether the sources differed from [`COMMIT`] when it was built.
pub const DIRTY: bool = !env!("TSHOOT_BUILD_DIRTY").is_empty();

/// The commit's date, `YYYY-MM-DD`, or empty without git (used as the man pages' date).
pub const DATE: &str = env!("TSHOOT_BUILD_DATE");

/// The target triple, e.g. `x86_64-unknown-linux-gnu`.
pub const TARGET: &str = env!("TSHOOT_BUILD_TARGET");

/// `release` or `debug`.
pub const PROFILE: &str = env!("TSHOOT_BUILD_PROFILE");

/// `0.1.0 (abc1234)`, `0.1.0 (abc1234, dirty)` or `0.1.0 (unknown commit)`: clap's version.
pub const VERSION_LINE: &str = env!("TSHOOT_BUILD_VERSION_LINE");

/// `--version`: [`VERSION_LINE`], then the target and profile on a second line (what a bug
/// report needs; `-V` prints the first line only).
pub const LONG_VERSION: &str = concat!(
    env!("TSHOOT_BUILD_VERSION_LINE"),
    "\n",
    env!("TSHOOT_BUILD_TARGET"),
    ", ",
    env!("TSHOOT_BUILD_PROFILE"),
    " build"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_line_names_version_and_commit() {
        assert!(VERSION_LINE.starts_with(VERSION));
        assert!(VERSION_LINE.contains(COMMIT));
        assert_eq!(VERSION_LINE.ends_with(", dirty)"), DIRTY);
        assert!(LONG_VERSION.starts_with(VERSION_LINE));
        assert!(!COMMIT.is_empty());
    }
}
