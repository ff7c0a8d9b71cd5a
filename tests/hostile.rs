//! Hostile and broken input, each with a clear message and never a panic or a hang: guides
//! that are empty, binary, huge, deeply nested, a million steps long, cyclic, with odd Unicode
//! ids or values of the wrong type; guide folders and files that are FIFOs, loops or not
//! readable; pasted text that is huge, binary or full of escape sequences; session files that
//! are truncated or FIFOs; a data dir on a full or read-only disk (the engineer is told, the
//! case stays in memory, the ticket can still be copied, and the case is printed at exit).
//!
//! The disk tests mount a small tmpfs in a private mount namespace (`unshare -Urm`, from
//! util-linux) and drive the real binary in tmux; the permission tests drop to `nobody` with
//! `setpriv` when run as root (root reads through permissions). Without those tools a test is
//! skipped with a note, except under `CI=true`, where it fails.
//!
//! Elsewhere: terminal safety in `terminal_safety.rs`, bad session files moved aside in
//! `sessions.rs`, the lint rules in `lint.rs`, parser property tests in `parse.rs`.

use crate::common::{PATIENCE, Tmux, require, wait_until};

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tshoot::guide::{Severity, parse};

const TSHOOT: &str = env!("CARGO_BIN_EXE_tshoot");
const BUNDLED: &str = include_str!("../assets/guides/aadsts50143.toml");
const CORR: &str = "5f0e2a9b-7c41-4d8e-a1b2-3c4d5e6f7a8b";
const REQ: &str = "0b1c7a3e-2d4f-4c7a-9e55-8d2f0a6b1c3d";

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Run `tshoot ARGS` like [`tshoot`], but kill it and fail if it has not ended after a generous
/// time: a hang is the bug these tests look for (this is a deadlock guard, not a speed check).
fn tshoot_bounded(args: &[&str]) -> Output {
    tshoot_in(tempfile::tempdir().unwrap().path(), args)
}

/// [`tshoot_bounded`] with `home` as HOME; its data dir is `home/data`.
fn tshoot_in(home: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(TSHOOT)
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("TSHOOT_CACHE_DIR", home.join("cache"))
        .env("TSHOOT_DATA_DIR", home.join("data"))
        .env_remove("TSHOOT_GUIDES")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let ended = wait_until(PATIENCE, || child.try_wait().unwrap().is_some());
    if !ended {
        let _ = child.kill();
    }
    let out = child.wait_with_output().unwrap();
    assert!(ended, "tshoot {args:?} hung");
    assert!(
        !text(&out.stderr).contains("panicked"),
        "tshoot {args:?} panicked:\n{}",
        text(&out.stderr)
    );
    out
}

/// `tshoot check --format json PATH`: the diagnostics of each file.
fn check_json(path: &Path) -> (i32, serde_json::Value) {
    let out = tshoot_bounded(&["check", "--format", "json", path.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", text(&out.stdout), text(&out.stderr)));
    (out.status.code().unwrap(), v)
}

fn diagnostics_of<'a>(v: &'a serde_json::Value, file: &Path) -> Vec<&'a serde_json::Value> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"] == file.to_str().unwrap())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Guides

/// A guide made of `n` minimal steps (each answers "Go" to the next, the last ends).
fn many_steps(n: usize) -> String {
    let mut s = String::from("format = 1\nid = \"MANY\"\ntitle = \"Many steps\"\n");
    for i in 0..n {
        s.push_str(&format!("[[step]]\nid = \"s{i}\"\ntitle = \"S\"\n"));
    }
    s
}

#[test]
fn hostile_guides_in_one_folder_each_get_a_located_error_and_the_rest_still_load() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut random = Vec::with_capacity(4096);
    let mut x: u32 = 2_463_534_242;
    for _ in 0..4096 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        random.push(x.to_le_bytes()[0]);
    }
    let files: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.toml", Vec::new(), "empty-file"),
        ("blank.toml", b"  \n\n\t\n".to_vec(), "empty-file"),
        ("binary.toml", random, "not-utf8"),
        ("nul.toml", b"format = 1\nid = \"A\0B\"\n".to_vec(), ""),
        (
            "png.toml",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
            "not-utf8",
        ),
        (
            "deep-arrays.toml",
            format!("format = 1\nx = {}", "[".repeat(100_000)).into_bytes(),
            "",
        ),
        (
            "deep-tables.toml",
            format!("format = 1\nx = {}", "{ a = ".repeat(50_000)).into_bytes(),
            "",
        ),
        (
            "deep-keys.toml",
            format!("format = 1\n[{}]\n", vec!["a"; 100_000].join(".")).into_bytes(),
            "",
        ),
        (
            "cycle.toml",
            b"format = 1\nid = \"CYCLE\"\ntitle = \"Cycle\"\n\
              [[step]]\nid = \"a\"\ntitle = \"A\"\nask = \"?\"\nanswers = [{ label = \"x\", next = \"b\" }]\n\
              [[step]]\nid = \"b\"\ntitle = \"B\"\nask = \"?\"\nanswers = [{ label = \"y\", next = \"a\" }]\n"
                .to_vec(),
            "no-way-out",
        ),
        (
            "million-steps.toml",
            many_steps(1_000_000).into_bytes(),
            "too-large",
        ),
    ];
    for (name, bytes, _) in &files {
        fs::write(d.join(name), bytes).unwrap();
    }
    // A 50 MB file: refused by its size before it is read.
    let big = fs::File::create(d.join("fifty-mb.toml")).unwrap();
    big.set_len(50 << 20).unwrap();
    fs::write(d.join("good.toml"), BUNDLED.replace("AADSTS50143", "GOOD1")).unwrap();

    let (code, v) = check_json(d);
    assert_eq!(code, 1, "{v:#}");
    for (name, _, want) in files
        .iter()
        .chain(&[("fifty-mb.toml", Vec::new(), "too-large")])
    {
        let diags = diagnostics_of(&v, &d.join(name));
        let errors: Vec<_> = diags.iter().filter(|d| d["severity"] == "error").collect();
        assert!(!errors.is_empty(), "{name}: no error in {v:#}");
        let first = errors[0];
        if !want.is_empty() {
            assert_eq!(first["code"], *want, "{name}: {first:#}");
        }
        assert!(
            !first["message"].as_str().unwrap().is_empty(),
            "{name}: {first:#}"
        );
        if !["too-large", "unreadable"].contains(&first["code"].as_str().unwrap()) {
            assert!(
                first["line"].as_u64().unwrap() >= 1,
                "{name}: no line: {first:#}"
            );
        }
    }
    // The good guide in the same folder still loads and opens.
    let out = tshoot_bounded(&["show", "GOOD1", "--guides", d.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Session mismatch"));
}

#[test]
fn the_largest_guide_that_fits_the_limit_is_checked_to_the_end() {
    // As many plain steps as fit 4 MiB (110,000): checked in linear time, every problem bounded.
    let mut n = 150_000;
    let mut src = many_steps(n);
    while src.len() > tshoot::guide::validate::MAX_GUIDE_BYTES {
        n -= 10_000;
        src = many_steps(n);
    }
    match parse("many.toml", &src) {
        Ok((g, _)) => assert_eq!(g.steps.len(), n),
        Err(d) => panic!("{n} plain steps should load: {}", d[0]),
    }
}

#[test]
fn ids_of_odd_unicode_load_and_invisible_ones_are_refused_where_they_are() {
    // Letters of any script, emoji and combining marks are fine ids, and render in `show`.
    let odd = BUNDLED
        .replace("\"verify-sign-in\"", "\"проверка-входа-确认-✅\"")
        .replace("\"review-context\"", "\"e\u{301}tape-2-🔥\"")
        .replace("AADSTS50143", "ODD1");
    let (g, _) = parse("odd.toml", &odd).unwrap_or_else(|d| panic!("{}", d[0]));
    assert!(
        g.steps
            .iter()
            .any(|s| s.id.as_str() == "проверка-входа-确认-✅")
    );
    let shown = tshoot::guide::show::plain(&g, 40);
    assert!(shown.contains("Session mismatch"));

    // Invisible characters make two ids look alike, or text read backwards: each is an error
    // at its own line.
    for (ch, name) in [
        ('\u{200B}', "zero-width space"),
        ('\u{202E}', "right-to-left override"),
        ('\u{2066}', "left-to-right isolate"),
        ('\u{FEFF}', "byte-order mark"),
        ('\u{E0041}', "tag letter"),
    ] {
        let bad = BUNDLED.replacen(
            "id = \"review-context\"",
            &format!("id = \"review{ch}-context\""),
            1,
        );
        let line = bad.lines().position(|l| l.contains(ch)).expect("replaced") + 1;
        let diags = parse("bad.toml", &bad).expect_err(name);
        let d = diags
            .iter()
            .find(|d| d.code == "bad-id")
            .unwrap_or_else(|| panic!("{name}: {diags:#?}"));
        assert_eq!(d.line, line, "{name}: {d}");
        assert!(
            d.message.contains(&format!("U+{:04X}", u32::from(ch))),
            "{name}: {d}"
        );
    }
}

#[test]
fn every_value_of_the_wrong_type_is_an_error_at_its_line() {
    let replacements = [
        ("integer", "42"),
        ("boolean", "true"),
        ("string", "\"text\""),
        ("array", "[1, 2]"),
        ("table", "{ a = 1 }"),
        ("float", "1.5"),
        ("datetime", "1979-05-27T07:32:00Z"),
    ];
    let lines: Vec<&str> = BUNDLED.lines().collect();
    let mut tried = 0;
    for (i, line) in lines.iter().enumerate() {
        // One-line `key = value` pairs (not comments, tables or continued arrays).
        let Some((key, value)) = line.split_once(" = ") else {
            continue;
        };
        if key.starts_with([' ', '#', '{', '[']) || key.contains(['"', '{']) {
            continue;
        }
        let Ok(original) = toml::from_str::<toml::Table>(line) else {
            continue;
        };
        let kind = original[key.trim()].type_str();
        for (name, replacement) in replacements {
            if name == kind || (kind == "array" && value.trim() == "[]") {
                continue;
            }
            let mut broken: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
            broken[i] = format!("{key} = {replacement}");
            let src = broken.join("\n");
            // Replay cases that do not fit are errors that leave the guide usable: they come
            // with the warnings.
            let diags = match parse("typed.toml", &src) {
                Ok((_, w)) if w.iter().any(|d| d.severity == Severity::Error) => w,
                Ok(_) => panic!("line {}: `{}` accepted a {name}", i + 1, broken[i]),
                Err(d) => d,
            };
            let error = diags
                .iter()
                .find(|d| d.severity == Severity::Error)
                .expect("an error");
            assert_eq!(
                error.line,
                i + 1,
                "`{}`: {error}\n(every diagnostic: {diags:#?})",
                broken[i]
            );
            tried += 1;
        }
    }
    assert!(tried > 40, "only {tried} wrong types tried");
}

/// Run `args` as the user `nobody` when we are root (root reads through permissions), else as
/// ourselves; the binary is copied where `nobody` can run it.
fn as_unprivileged(bin_dir: &Path, args: &[&str]) -> Output {
    let bin = bin_dir.join("tshoot");
    if !bin.exists() {
        fs::copy(TSHOOT, &bin).unwrap();
        fs::set_permissions(bin_dir, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let home = bin_dir.join("home");
    fs::create_dir_all(&home).unwrap();
    fs::set_permissions(&home, fs::Permissions::from_mode(0o777)).unwrap();
    let root = Command::new("id").arg("-u").output().unwrap();
    let mut cmd = if text(&root.stdout).trim() == "0" {
        let mut c = Command::new("setpriv");
        c.args(["--reuid", "65534", "--regid", "65534", "--clear-groups"])
            .arg(&bin);
        c
    } else {
        Command::new(&bin)
    };
    let out = cmd
        .args(args)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("TSHOOT_CACHE_DIR", home.join("cache"))
        .env("TSHOOT_DATA_DIR", home.join("data"))
        .env_remove("TSHOOT_GUIDES")
        .output()
        .unwrap();
    assert!(
        !text(&out.stderr).contains("panicked"),
        "{}",
        text(&out.stderr)
    );
    out
}

#[test]
fn unreadable_guide_folders_and_files_are_named_with_what_to_do() {
    if !require(&["setpriv"], "apt-get install util-linux") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let lib = tmp.path().join("guides");
    fs::create_dir_all(lib.join("locked")).unwrap();
    fs::write(lib.join("locked/hidden.toml"), BUNDLED).unwrap();
    fs::write(
        lib.join("secret.toml"),
        BUNDLED.replace("AADSTS50143", "SECRET1"),
    )
    .unwrap();
    fs::write(
        lib.join("open.toml"),
        BUNDLED.replace("AADSTS50143", "OPEN1"),
    )
    .unwrap();
    for (p, mode) in [
        (tmp.path().to_path_buf(), 0o755),
        (lib.clone(), 0o755),
        (lib.join("locked"), 0o000),
        (lib.join("secret.toml"), 0o000),
        (lib.join("open.toml"), 0o644),
    ] {
        fs::set_permissions(&p, fs::Permissions::from_mode(mode)).unwrap();
    }
    let bin_dir = tmp.path().join("bin");
    fs::create_dir_all(&bin_dir).unwrap();
    let l = lib.to_str().unwrap();

    let out = as_unprivileged(&bin_dir, &["check", l]);
    let (o, e) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{o}{e}");
    let all = format!("{o}{e}");
    assert!(
        all.contains(&format!("{l}/secret.toml")) && all.contains("Permission denied"),
        "{all}"
    );
    assert!(all.contains("check the file's permissions"), "{all}");
    assert!(
        all.contains(&format!("{l}/locked")) && all.contains("cannot be read"),
        "{all}"
    );

    // The wizard's commands still work with what can be read.
    let out = as_unprivileged(&bin_dir, &["show", "OPEN1", "--guides", l]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = as_unprivileged(&bin_dir, &["list", "--guides", l]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("OPEN1"));
    assert!(
        text(&out.stderr).contains("secret.toml"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_fifo_or_a_symlink_loop_named_like_a_guide_is_reported_not_waited_on() {
    if !require(&["mkfifo"], "apt-get install coreutils") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let st = Command::new("mkfifo")
        .arg(d.join("pipe.toml"))
        .status()
        .unwrap();
    assert!(st.success());
    std::os::unix::fs::symlink("loop.toml", d.join("loop.toml")).unwrap();
    std::os::unix::fs::symlink(d, d.join("folder.toml")).unwrap();
    fs::write(d.join("good.toml"), BUNDLED.replace("AADSTS50143", "GOOD2")).unwrap();

    let (code, v) = check_json(d);
    assert_eq!(code, 1, "{v:#}");
    for (name, what) in [
        ("pipe.toml", "named pipe (FIFO)"),
        ("loop.toml", "symbolic links"),
        ("folder.toml", "folder"),
    ] {
        let diags = diagnostics_of(&v, &d.join(name));
        assert!(
            diags
                .iter()
                .any(|x| x["message"].as_str().unwrap().contains(what)),
            "{name}: {v:#}"
        );
    }
    let out = tshoot_bounded(&["list", "--guides", d.to_str().unwrap()]);
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("GOOD2"));
}

// ---------------------------------------------------------------------------------------------
// Pasted text

fn paste_ticket(bytes: &[u8], extra: &[&str]) -> Output {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("paste.txt");
    fs::write(&p, bytes).unwrap();
    let mut args = vec!["ticket", "AADSTS50143", "--paste", p.to_str().unwrap()];
    args.extend_from_slice(extra);
    tshoot_bounded(&args)
}

#[test]
fn huge_binary_and_escape_laden_pastes_give_a_clean_ticket() {
    // 10 MiB: the IDs at the start are found; the rest is beyond what is read.
    let mut huge = format!("Correlation Id: {CORR}\nRequest Id: {REQ}\n").into_bytes();
    huge.resize(10 << 20, b'x');
    let out = paste_ticket(&huge, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(CORR) && text(&out.stdout).contains(REQ));

    // Binary: no IDs, said so, and the ticket is still printed.
    let binary: Vec<u8> = (0..=255u8).cycle().take(1 << 16).collect();
    let out = paste_ticket(&binary, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("AADSTS50143"), "{stdout}");
    assert!(
        !stdout.chars().any(|c| c.is_control() && c != '\n'),
        "{stdout:?}"
    );

    // Escape sequences around the IDs: the IDs are found and no escape byte is printed.
    let nasty = format!(
        "\x1b]52;c;aGVsbG8=\x07Correlation Id: \x1b[31m{CORR}\x1b[0m\n\u{9b}2J\nRequest Id:\x1bP1$r\x1b\\ {REQ}\n\x1b]0;pwned\x07"
    );
    let out = paste_ticket(nasty.as_bytes(), &["--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        !stdout.contains('\x1b') && !stdout.contains('\u{9b}'),
        "{stdout:?}"
    );
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["fields"]["correlation_id"], CORR, "{v:#}");
    assert_eq!(v["fields"]["request_id"], REQ, "{v:#}");
}

// ---------------------------------------------------------------------------------------------
// Private data

const PAGE: &str = "Sorry, but we're having trouble signing you in.\n\
    AADSTS50143: Session mismatch - Session is invalid because user tenant doesn't match the domain hint.\n\
    Request Id: 0b1c7a3e-2d4f-4c7a-9e55-8d2f0a6b1c3d\n\
    Correlation Id: 5f0e2a9b-7c41-4d8e-a1b2-3c4d5e6f7a8b\n\
    Timestamp: 2024-05-14T09:21:07Z\n\
    IP address: 203.0.113.7\n\
    Tenant ID: 72f988bf-86f1-41af-91ab-2d7cd011db47\n\
    Signed in as: alice.smith@contoso.onmicrosoft.com\n";

fn private_bits(s: &str) -> Vec<&'static str> {
    ["alice", "contoso", "203.0.113.7", "72f988bf"]
        .into_iter()
        .filter(|p| s.to_lowercase().contains(p))
        .collect()
}

#[test]
fn redact_masks_users_addresses_and_tenants_in_printed_tickets() {
    let plain = paste_ticket(PAGE.as_bytes(), &["--format", "json"]);
    assert!(plain.status.success(), "{}", text(&plain.stderr));
    assert!(
        !private_bits(&text(&plain.stdout)).is_empty(),
        "the paste's extras reach the ticket"
    );

    for format in ["text", "markdown", "json"] {
        let out = paste_ticket(PAGE.as_bytes(), &["--redact", "--format", format]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let s = text(&out.stdout);
        assert!(
            private_bits(&s).is_empty(),
            "{format}: {:?} in\n{s}",
            private_bits(&s)
        );
        assert!(
            s.contains(CORR) && s.contains(REQ),
            "{format}: ids kept:\n{s}"
        );
    }

    // The same from the config file.
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("config.toml");
    fs::write(&cfg, "redact = true\n").unwrap();
    let out = paste_ticket(PAGE.as_bytes(), &["--config", cfg.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        private_bits(&text(&out.stdout)).is_empty(),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn redact_masks_users_addresses_and_tenants_in_exports() {
    let home = tempfile::tempdir().unwrap();
    let sessions = home.path().join("data/sessions");
    fs::create_dir_all(&sessions).unwrap();
    let mut v: serde_json::Value =
        serde_json::from_str(include_str!("../fuzz/seeds/session/walked.json")).unwrap();
    v["case"]["notes"] = serde_json::json!(
        "IP address: 203.0.113.7; Tenant: 72f988bf-86f1-41af-91ab-2d7cd011db47; user alice@contoso.com"
    );
    v["case"]["fields"]["correlation_id"] = serde_json::json!(CORR);
    let id = v["id"].as_str().unwrap().to_owned();
    fs::write(sessions.join(format!("{id}.json")), v.to_string()).unwrap();
    let export = |args: &[&str]| {
        let mut all = vec!["export"];
        all.extend_from_slice(args);
        let out = tshoot_in(home.path(), &all);
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let plain = export(&[]);
    assert_eq!(private_bits(&plain).len(), 4, "{plain}");
    for format in ["markdown", "json"] {
        let s = export(&["--redact", "--format", format]);
        assert!(private_bits(&s).is_empty(), "{format}: {s}");
        assert!(
            s.contains("<tenant-1>") && s.contains(CORR),
            "{format}: {s}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Session files

#[test]
fn a_session_file_cut_short_at_any_byte_is_refused_cleanly() {
    let full = include_bytes!("../fuzz/seeds/session/walked.json");
    assert!(tshoot::session::Session::decode(full).is_ok());
    for n in 0..full.len() - 2 {
        match tshoot::session::Session::decode(&full[..n]) {
            Err(tshoot::session::Decode::Corrupt(why)) => {
                assert!(why.contains("line") || why.contains("EOF"), "{n}: {why}");
            }
            other => panic!("{n} bytes: {other:?}"),
        }
    }
}

#[test]
fn a_fifo_among_the_sessions_is_moved_aside_not_waited_on() {
    if !require(&["mkfifo"], "apt-get install coreutils") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let sessions = home.path().join("data/sessions");
    fs::create_dir_all(&sessions).unwrap();
    let st = Command::new("mkfifo")
        .arg(sessions.join("20260101T000000Z-x-0000.json"))
        .status()
        .unwrap();
    assert!(st.success());
    let out = tshoot_in(home.path(), &["sessions", "--all"]);
    let e = text(&out.stderr);
    assert!(e.contains("named pipe") && e.contains("moved aside"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// A full or read-only data disk, in the real wizard

/// Start the wizard in tmux inside a private mount namespace where the data dir is a small
/// tmpfs, made ready by `prepare` (shell). Copies go to files in `tickets`.
fn wizard_on_disk(tag: &str, prepare: &str) -> (Tmux, tempfile::TempDir) {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    for d in ["data", "tickets", "home"] {
        fs::create_dir_all(t.join(d)).unwrap();
    }
    let script = t.join("run.sh");
    fs::write(
        &script,
        format!(
            "D={data}\n{prepare} || {{ echo MOUNT-FAILED; sleep 60; exit 1; }}\n\
             HOME={home} XDG_CONFIG_HOME={home}/config TSHOOT_CACHE_DIR={home}/cache \
             TSHOOT_DATA_DIR=$D TSHOOT_TICKET_DIR={tickets} {TSHOOT} --clipboard file AADSTS50143\n\
             echo EXIT=$?\nsleep 600\n",
            data = t.join("data").display(),
            home = t.join("home").display(),
            tickets = t.join("tickets").display(),
        ),
    )
    .unwrap();
    let tmux = Tmux::start(
        120,
        40,
        tag,
        &format!("unshare -Urm sh {}", script.display()),
    );
    (tmux, tmp)
}

fn the_case_survives_a_disk_that_refuses_it(tag: &str, prepare: &str, why: &str) {
    if !require(
        &["tmux", "unshare", "mount"],
        "apt-get install tmux util-linux mount",
    ) {
        return;
    }
    let (tmux, tmp) = wizard_on_disk(tag, prepare);
    tmux.wait_for("the wizard", |p| {
        p.contains("Diagnostics") || p.contains("MOUNT-FAILED")
    });
    assert!(
        !tmux.capture().contains("MOUNT-FAILED"),
        "could not mount a tmpfs in a private namespace (unshare -Urm)"
    );
    // An answer changes the case: the save fails and the engineer is told.
    tmux.keys(&["1"]);
    let screen = tmux.wait_text("case not saved");
    assert!(screen.contains(why), "{screen}");
    assert!(screen.contains("kept in memory"), "{screen}");
    // The ticket can still be copied (to a file on another disk here).
    tmux.keys(&["y"]);
    tmux.wait_text("saved to");
    let tickets: Vec<PathBuf> = fs::read_dir(tmp.path().join("tickets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(tickets.len(), 1);
    assert!(
        fs::read_to_string(&tickets[0])
            .unwrap()
            .contains("AADSTS50143")
    );
    // On quit the case is printed, with the answer given, and tshoot exits 1.
    tmux.keys(&["q"]);
    let end = tmux.wait_for("the exit", |p| p.contains("EXIT="));
    let all = text(
        &tmux
            .tmux(&["capture-pane", "-p", "-J", "-S", "-500"])
            .stdout,
    );
    assert!(end.contains("EXIT=1"), "{all}");
    assert!(all.contains("follows on standard output"), "{all}");
    assert!(all.contains("# Case "), "{all}");
    assert!(all.contains("Yes, the expected tenant and domain"), "{all}");
}

#[test]
fn a_full_data_disk_keeps_the_case_lets_the_ticket_be_copied_and_prints_it_at_exit() {
    the_case_survives_a_disk_that_refuses_it(
        "full",
        "mount -t tmpfs -o size=64k tmpfs $D && { dd if=/dev/zero of=$D/fill bs=4k 2>/dev/null; true; }",
        "No space left on device",
    );
}

#[test]
fn a_read_only_data_disk_keeps_the_case_lets_the_ticket_be_copied_and_prints_it_at_exit() {
    the_case_survives_a_disk_that_refuses_it(
        "readonly",
        "mount -t tmpfs -o ro,size=64k tmpfs $D",
        "Read-only file system",
    );
}
