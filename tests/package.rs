//! The packaged documentation stays in sync with the program and README: the man pages
//! (`tshoot __man DIR`, what pkg/build-deb.sh puts in the .deb) list every subcommand, every
//! exit code README lists, every environment variable the code reads and every default key;
//! the completion files are the ones Cargo.toml's `[package.metadata.deb]` installs; and
//! `--version` names the commit. pkg/test-deb.sh checks the built package itself.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Run the real binary with `args` and return its standard output; it must succeed.
fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tshoot"))
        .args(args)
        .output()
        .expect("run tshoot");
    assert!(
        out.status.success(),
        "tshoot {args:?}: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The man pages as the package gets them, written into a fresh folder.
struct Pages {
    _dir: tempfile::TempDir,
    files: Vec<PathBuf>,
}

impl Pages {
    fn generate() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let listed = run(&["__man", dir.path().to_str().expect("utf-8 temp path")]);
        let files: Vec<PathBuf> = listed.lines().map(PathBuf::from).collect();
        for f in &files {
            assert!(f.starts_with(dir.path()) && f.is_file(), "{}", f.display());
        }
        Self { _dir: dir, files }
    }

    fn page(&self, name: &str) -> Option<String> {
        self.files
            .iter()
            .find(|f| f.file_name().is_some_and(|n| n == name))
            .map(|f| read(f))
    }

    fn main(&self) -> String {
        self.page("tshoot.1").expect("tshoot.1 is generated")
    }
}

/// The text of section `name` of a roff page (from `.SH NAME` to the next `.SH`).
fn section(roff: &str, name: &str) -> String {
    let quoted = format!(".SH \"{name}\"");
    let plain = format!(".SH {name}");
    let mut out = String::new();
    let mut inside = false;
    for line in roff.lines() {
        if line.starts_with(".SH") {
            inside = line == quoted || line == plain;
            continue;
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    assert!(!out.is_empty(), "no {name} section in:\n{roff}");
    out
}

/// The visible subcommands, from clap itself.
fn subcommands() -> Vec<String> {
    use clap::CommandFactory;
    tshoot::cli::Cli::command()
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| s.get_name().to_owned())
        .collect()
}

/// README's exit-code table: the first cell of each row after `| exit code | meaning |`.
fn readme_exit_codes() -> Vec<String> {
    let readme = read(&manifest_dir().join("README.md"));
    let mut lines = readme
        .lines()
        .skip_while(|l| !l.starts_with("| exit code |"));
    assert!(
        lines.next().is_some(),
        "README has no `| exit code |` table"
    );
    let codes: Vec<String> = lines
        .take_while(|l| l.starts_with('|'))
        .filter(|l| !l.starts_with("|---"))
        .filter_map(|l| l.split('|').nth(1))
        .map(|c| c.trim().trim_matches('`').to_owned())
        .collect();
    assert!(codes.len() >= 3, "README's exit codes: {codes:?}");
    codes
}

/// The subcommands README's "Using it" block shows (`tshoot WORD ...` with WORD lower-case).
fn readme_subcommands() -> BTreeSet<String> {
    let readme = read(&manifest_dir().join("README.md"));
    let using = readme
        .split("\n## Using it")
        .nth(1)
        .expect("README has a \"Using it\" section");
    let block = using
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a sh block in \"Using it\"");
    block
        .lines()
        .filter_map(|l| l.strip_prefix("tshoot "))
        .filter_map(|rest| rest.split_whitespace().next())
        .filter(|w| w.chars().all(|c| c.is_ascii_lowercase()))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_man_page_lists_every_subcommand_and_each_has_a_page() {
    let pages = Pages::generate();
    let main = pages.main();
    let listed = section(&main, "SUBCOMMANDS");
    let subs = subcommands();
    assert!(subs.len() >= 10, "{subs:?}");
    for sub in &subs {
        assert!(
            listed.contains(&format!("tshoot\\-{sub}(1)")),
            "tshoot.1 does not list {sub}:\n{listed}"
        );
        let page = pages
            .page(&format!("tshoot-{sub}.1"))
            .unwrap_or_else(|| panic!("no page tshoot-{sub}.1"));
        assert!(page.contains(&format!(".TH tshoot-{sub} 1")), "{page}");
        assert!(section(&page, "SEE ALSO").contains("tshoot"));
    }
    // Nothing else: no page for the hidden commands or for `help`.
    assert_eq!(pages.files.len(), subs.len() + 1, "{:?}", pages.files);
    // Every command README shows is one of them.
    for word in readme_subcommands() {
        assert!(
            subs.contains(&word),
            "README shows `tshoot {word}`, not a subcommand"
        );
    }
}

#[test]
fn the_man_page_lists_every_exit_code_readme_lists() {
    let main = Pages::generate().main();
    let exit = section(&main, "EXIT STATUS");
    for code in readme_exit_codes() {
        assert!(
            exit.contains(&format!("\\fB{code}\\fR")),
            "README's exit code {code} is not in EXIT STATUS:\n{exit}"
        );
    }
    // And they are the codes the program uses.
    for code in [
        tshoot::cli::EXIT_OK,
        tshoot::cli::EXIT_PROBLEMS,
        tshoot::cli::EXIT_USAGE,
    ] {
        assert!(exit.contains(&format!("\\fB{code}\\fR")), "{code}: {exit}");
    }
}

/// Every environment variable named in `src/` by `env::var("X")`, `env::var_os("X")`,
/// clap's `env = "X"`, a `..._VAR: &str = "X"` constant, or the clipboard's `get`/`set("X")`.
fn env_vars_in_source() -> BTreeSet<String> {
    let re = regex::Regex::new(
        r#"(?:env::var(?:_os)?\(|env = |_VAR: &str = |\b(?:get|set)\()"([A-Z][A-Z0-9_]+)""#,
    )
    .unwrap();
    let mut found = BTreeSet::new();
    let mut stack = vec![manifest_dir().join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs")
                && path.file_name().is_some_and(|n| n != "tests.rs")
            {
                let text = read(&path);
                // The code, not its unit tests (`#[cfg(test)]` modules, `tests.rs` files).
                // An inline test module is the last item of its file; `mod tests;` (a sibling file)
                // can stand anywhere and cuts nothing.
                let code = text
                    .split("#[cfg(test)]\nmod tests {")
                    .next()
                    .unwrap_or_default();
                found.extend(re.captures_iter(code).map(|c| c[1].to_owned()));
            }
        }
    }
    found
}

#[test]
fn the_man_page_documents_every_environment_variable_the_code_reads() {
    let main = Pages::generate().main();
    let env = section(&main, "ENVIRONMENT");
    let vars = env_vars_in_source();
    for must in [
        "TSHOOT_GUIDES",
        "NO_COLOR",
        "TSHOOT_CACHE_DIR",
        "TSHOOT_DATA_DIR",
    ] {
        assert!(vars.contains(must), "the scan missed {must}: {vars:?}");
    }
    let documented: Vec<&str> = tshoot::manpage::ENVIRONMENT.iter().map(|e| e.0).collect();
    for var in vars.iter().map(String::as_str).chain([
        "XDG_CONFIG_HOME",
        "XDG_DATA_HOME",
        "XDG_CACHE_HOME",
    ]) {
        assert!(
            documented.contains(&var),
            "{var} is read but not in ENVIRONMENT"
        );
        let roff_name = var.replace('-', "\\-");
        assert!(
            env.contains(&format!("\\fB{roff_name}\\fR")),
            "{var} not in the page:\n{env}"
        );
    }
}

#[test]
fn the_man_page_has_the_files_and_every_default_key() {
    let main = Pages::generate().main();
    let files = section(&main, "FILES");
    for path in ["config.toml", "sessions/", "index\\-v2.bin", "tickets/"] {
        assert!(files.contains(path), "FILES lacks {path}:\n{files}");
    }
    let keys = section(&main, "KEYS");
    let map = tshoot::keymap::KeyMap::default();
    for action in tshoot::keymap::Action::ALL {
        assert!(
            keys.contains(&format!("[{}]", action.name().replace('-', "\\-"))),
            "KEYS lacks {}",
            action.name()
        );
        for key in map.keys(action) {
            let shown = key.to_string().replace('-', "\\-");
            assert!(
                keys.contains(&format!("\\fB{shown}\\fR")),
                "KEYS lacks {shown} ({}):\n{keys}",
                action.name()
            );
        }
    }
}

#[test]
fn the_man_page_renders_without_warnings() {
    if Command::new("man").arg("--version").output().is_err() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "man is not installed (apt-get install man-db)"
        );
        eprintln!("skipped: man is not installed");
        return;
    }
    let pages = Pages::generate();
    for file in &pages.files {
        let out = Command::new("man")
            .args(["--warnings", "-P", "cat", "-l"])
            .arg(file)
            .env("MANWIDTH", "80")
            .output()
            .expect("run man");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && stderr.trim().is_empty(),
            "man -l {}: {stderr}",
            file.display()
        );
        assert!(!out.stdout.is_empty());
    }
}

#[test]
fn the_package_installs_what_is_generated_where_the_shells_look() {
    let cargo: toml::Table = read(&manifest_dir().join("Cargo.toml")).parse().unwrap();
    let deb = &cargo["package"]["metadata"]["deb"];
    assert_eq!(deb["depends"].as_str(), Some("$auto"));
    assert_eq!(deb["suggests"].as_str(), Some("tmux, xclip"));
    let assets: Vec<(String, String)> = deb["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let a = a.as_array().unwrap();
            (
                a[0].as_str().unwrap().to_owned(),
                a[1].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let target_of = |source: &str| {
        assets.iter().find(|(s, _)| s == source).map_or_else(
            || panic!("no asset {source} in {assets:?}"),
            |(_, t)| t.as_str(),
        )
    };
    assert_eq!(target_of("target/release/tshoot"), "usr/bin/");
    assert_eq!(target_of("target/pkg/man/*.1"), "usr/share/man/man1/");
    assert_eq!(target_of("README.md"), "usr/share/doc/tshoot/README.md");
    assert_eq!(target_of("LICENSE"), "usr/share/doc/tshoot/LICENSE");
    // The completion files `__completions-dir` writes, to the folders bash-completion, zsh
    // (Debian's vendor folder) and fish search.
    let wanted = [
        (
            "tshoot.bash",
            "usr/share/bash-completion/completions/tshoot",
        ),
        ("_tshoot", "usr/share/zsh/vendor-completions/_tshoot"),
        (
            "tshoot.fish",
            "usr/share/fish/vendor_completions.d/tshoot.fish",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let written = run(&["__completions-dir", dir.path().to_str().unwrap()]);
    assert_eq!(written.lines().count(), wanted.len(), "{written}");
    for (file, target) in wanted {
        assert_eq!(target_of(&format!("target/pkg/completions/{file}")), target);
        let text = read(&dir.path().join(file));
        assert!(text.contains("tshoot"), "{file}");
    }
    // Byte for byte what `tshoot completions SHELL` prints.
    assert_eq!(
        read(&dir.path().join("tshoot.bash")),
        run(&["completions", "bash"])
    );
    assert!(manifest_dir().join("LICENSE").is_file());
}

#[test]
fn version_names_the_commit_and_the_dirty_flag() {
    let long = run(&["--version"]);
    let short = run(&["-V"]);
    let first = long.lines().next().unwrap_or_default();
    assert_eq!(short.trim_end(), first, "-V is the first line of --version");
    let re =
        regex::Regex::new(r"^tshoot (\S+) \(([0-9a-f]{7,}|unknown commit)(, dirty)?\)$").unwrap();
    let caps = re
        .captures(first)
        .unwrap_or_else(|| panic!("--version: {long}"));
    assert_eq!(&caps[1], env!("CARGO_PKG_VERSION"));
    assert!(
        long.contains(" build"),
        "the second line names target and profile: {long}"
    );
    // Built from a git clone: the hash is HEAD's (build.rs reruns when HEAD moves).
    let head = Command::new("git")
        .args(["rev-parse", "--short=7", "HEAD"])
        .current_dir(manifest_dir())
        .output();
    if let Ok(out) = head
        && out.status.success()
    {
        let head = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        assert_eq!(&caps[2], head, "{first}");
    }
}
