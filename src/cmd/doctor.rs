//! `tshoot doctor [--verify]`: what tshoot finds on this system, and whether a copy reaches
//! the engineer's clipboard.
//!
//! The report is for a person (and for a bug report): the build, the terminal as tmux or the
//! terminal itself names it, the multiplexer, SSH, the display, each folder tshoot reads or
//! writes and whether it can, and how a ticket would be copied here. It exits 1 when something
//! a case needs is broken: no writable folder for saved cases or for ticket files.
//!
//! `--verify` is the one proof a clipboard write can get, since terminals never answer one:
//! a short random token goes out the way tickets do (tmux's `load-buffer -w` inside tmux,
//! else OSC 52 to the terminal), the engineer pastes it back with the terminal's own paste,
//! and a match is recorded ([`clipboard::verified`]) for this terminal, route and desk. A
//! mismatch (or nothing pasted) says what to set for that terminal, tmux or screen.

use std::fmt::Write as _;
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};

use super::{Ctx, Outcome};
use crate::cli::{EXIT_OK, EXIT_PROBLEMS};
use crate::ticket::clipboard::{
    self, Env, Identity, Verified, auto_plan, identify, osc52, terminals, tilde,
    verified::{self, Route},
};

/// `tshoot doctor`: the report on `out`; with `verify`, the round trip (prompt on `out`,
/// the paste read from standard input).
pub fn doctor(ctx: &Ctx, verify: bool, out: &mut dyn Write, err: &mut dyn Write) -> Outcome {
    let mut env = Env::from_env();
    if !env.tmux {
        env.version = crate::term::query_version();
    }
    let id = identify(&env);
    let broken = report(ctx, &env, &id, out, err);
    let mut code = if broken { EXIT_PROBLEMS } else { EXIT_OK };
    if verify {
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        if !round_trip(&env, &id, &mut input, out) {
            code = EXIT_PROBLEMS;
        }
    }
    let _ = out.flush();
    Ok(code)
}

/// Print the report; whether something a case needs is broken.
#[expect(
    clippy::too_many_lines,
    reason = "one section per line of the report, in the order printed"
)]
fn report(ctx: &Ctx, env: &Env, id: &Identity, out: &mut dyn Write, err: &mut dyn Write) -> bool {
    let mut broken = false;
    let _ = writeln!(
        out,
        "tshoot {}",
        crate::build_info::LONG_VERSION.replace('\n', "; ")
    );
    let row = |out: &mut dyn Write, k: &str, v: &str| {
        let _ = writeln!(out, "{k:<12} {v}");
    };
    let _ = writeln!(out);
    row(out, "terminal", &id.to_string());
    let mux = if env.tmux {
        format!(
            "tmux (passes clipboard writes to this client: {})",
            match id.tmux_forwards() {
                Some(true) => "yes",
                Some(false) => "no",
                None => "unknown, tmux did not answer",
            }
        )
    } else if env.screen {
        "GNU screen (OSC 52 is wrapped for it)".to_owned()
    } else {
        "none".to_owned()
    };
    row(out, "multiplexer", &mux);
    row(
        out,
        "ssh",
        &env.ssh_client.as_deref().map_or_else(
            || {
                if env.ssh {
                    "yes".to_owned()
                } else {
                    "no".to_owned()
                }
            },
            |c| format!("from {c}"),
        ),
    );
    let display = std::env::var("DISPLAY")
        .ok()
        .or_else(|| std::env::var("WAYLAND_DISPLAY").ok())
        .filter(|d| !d.is_empty());
    row(out, "display", display.as_deref().unwrap_or("none"));

    let _ = writeln!(out, "\nfolders");
    match &ctx.store {
        Ok(store) => broken |= folder(out, "cases", &store.dir, true),
        Err(e) => {
            broken = true;
            let _ = writeln!(out, "  {:<10} ✗ {e}", "cases");
        }
    }
    broken |= folder(out, "tickets", &clipboard::default_ticket_dir(), true);
    if let Some(file) = &env.verified_file
        && let Some(dir) = file.parent()
    {
        folder(out, "state", dir, false);
    }
    let config = ctx.cli.config.clone().or_else(crate::config::default_path);
    match config {
        Some(p) if p.is_file() => {
            let _ = writeln!(out, "  {:<10} {} (read)", "config", tilde(&p));
        }
        Some(p) => {
            let _ = writeln!(
                out,
                "  {:<10} {} (not there: defaults)",
                "config",
                tilde(&p)
            );
        }
        None => {
            let _ = writeln!(out, "  {:<10} (no config folder on this system)", "config");
        }
    }
    for f in &ctx.folders {
        let state = if f.path.is_dir() {
            let n = std::fs::read_dir(&f.path).map_or(0, |d| {
                d.filter_map(Result::ok)
                    .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
                    .count()
            });
            format!("{n} guide files")
        } else if f.explicit {
            broken = true;
            "✗ missing (named in the flag, variable or config)".to_owned()
        } else {
            "not there, optional".to_owned()
        };
        let _ = writeln!(out, "  {:<10} {} ({state})", "guides", tilde(&f.path));
    }

    let _ = writeln!(out, "\ncopy");
    let plan: Vec<&str> = auto_plan(env).iter().map(|m| m.label()).collect();
    let _ = writeln!(out, "  {:<10} {}", "methods", plan.join(", "));
    let route = Route::of(env);
    let key = verified::key(route, id, env);
    let record = env
        .verified_file
        .as_deref()
        .map(Verified::load)
        .unwrap_or_default();
    let checked = record.date(&key).map_or_else(
        || "not verified here yet: `tshoot doctor --verify`".to_owned(),
        |d| format!("verified {d}"),
    );
    let _ = writeln!(
        out,
        "  {:<10} {} to {}: {checked}",
        "route",
        route.label(),
        id.label()
    );
    for line in advice(route, id) {
        let _ = writeln!(out, "  {:<10} {line}", "to set");
    }
    if broken {
        let _ = writeln!(
            err,
            "tshoot: something a case needs is broken (marked ✗ above)"
        );
    }
    broken
}

/// One folder's line; whether it is broken (only when `needed`).
fn folder(out: &mut dyn Write, name: &str, dir: &Path, needed: bool) -> bool {
    let (ok, state) = writable(dir);
    let mark = if ok { "" } else { "✗ " };
    let _ = writeln!(out, "  {name:<10} {} ({mark}{state})", tilde(dir));
    needed && !ok
}

/// Whether tshoot can write in `dir` (made on first use when missing), and how it knows.
fn writable(dir: &Path) -> (bool, String) {
    if dir.is_dir() {
        let probe = dir.join(format!(".tshoot-doctor-{}", std::process::id()));
        return match std::fs::File::create(&probe) {
            Ok(_) => {
                let _ = std::fs::remove_file(&probe);
                (true, "writable".to_owned())
            }
            Err(e) => (false, format!("not writable: {e}")),
        };
    }
    let mut up: Option<PathBuf> = dir.parent().map(Path::to_path_buf);
    while let Some(p) = up {
        if p.exists() && !p.is_dir() {
            return (
                false,
                format!("cannot be made: {} is not a folder", tilde(&p)),
            );
        }
        if p.is_dir() {
            let (ok, _) = writable(&p);
            return if ok {
                (true, "made on first use".to_owned())
            } else {
                (
                    false,
                    format!("cannot be made: {} is not writable", tilde(&p)),
                )
            };
        }
        up = p.parent().map(Path::to_path_buf);
    }
    (false, "cannot be made".to_owned())
}

/// What to set so that a write by `route` lands in the clipboard of `id`'s terminal: the
/// known terminal's own advice, else every known terminal's, and tmux's when it does not
/// pass writes on to this client.
fn advice(route: Route, id: &Identity) -> Vec<String> {
    let mut lines = Vec::new();
    if route == Route::Tmux && id.tmux_forwards() == Some(false) {
        if id.set_clipboard.as_deref() == Some("off") {
            lines.push("tmux: set -g set-clipboard external (it is off)".to_owned());
        } else if id.term.as_deref().is_some_and(|t| !t.is_empty())
            && id
                .known()
                .is_none_or(|t| t.through_tmux != terminals::Takes::Never)
        {
            lines.push(format!(
                "tmux: set -as terminal-features ',{}:clipboard' (tmux does not know this \
                 terminal takes clipboard writes)",
                id.term.as_deref().unwrap_or_default()
            ));
        }
    }
    let pick = |t: &terminals::Terminal| match route {
        Route::Tmux => t.fix_tmux,
        Route::Osc52 | Route::Screen => t.fix_direct,
    };
    match id.known() {
        Some(t) => lines.push(pick(t).to_owned()),
        None => lines.extend(terminals::KNOWN.iter().map(|t| pick(t).to_owned())),
    }
    lines
}

/// A short random token: `tshoot-` and ten hex digits from `/dev/urandom` (the clock and
/// the process id if it cannot be read).
fn token() -> String {
    let mut bytes = [0u8; 5];
    let random = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
    if random.is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos())
            ^ std::process::id().rotate_left(16);
        bytes[..4].copy_from_slice(&nanos.to_le_bytes());
    }
    let hex: String = bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    });
    format!("tshoot-{hex}")
}

/// Send a token by the copy route, read the paste back from `input`; whether it matched
/// (recorded then). Everything said goes to `out`.
#[expect(
    clippy::too_many_lines,
    reason = "the round trip in order: send, ask, read, compare, record or explain"
)]
fn round_trip(env: &Env, id: &Identity, input: &mut dyn BufRead, out: &mut dyn Write) -> bool {
    let route = Route::of(env);
    let token = token();
    let _ = writeln!(out, "\nverify");
    if route == Route::Tmux && id.tmux_forwards() == Some(false) {
        let _ = writeln!(
            out,
            "  ✗ tmux does not pass clipboard writes to this terminal ({}), so nothing can \
             arrive; to set:",
            id.label()
        );
        for line in advice(route, id) {
            let _ = writeln!(out, "    {line}");
        }
        return false;
    }
    let sent = match route {
        Route::Tmux => clipboard::copy_tmux(&token, env, true)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Route::Osc52 | Route::Screen => match clipboard::open_tty() {
            Some(mut tty) => osc52::osc52_sequence(&token, env.screen)
                .map_err(|e| e.to_string())
                .and_then(|seq| {
                    tty.write_all(&seq)
                        .and_then(|()| tty.flush())
                        .map_err(|e| e.to_string())
                }),
            None => Err("no terminal (/dev/tty could not be opened)".to_owned()),
        },
    };
    if let Err(why) = sent {
        let _ = writeln!(out, "  ✗ the token could not be sent: {why}");
        return false;
    }
    let _ = writeln!(
        out,
        "  A check token was sent to your clipboard ({} to {}).\n  \
         Paste it here with your terminal's own paste (Ctrl-Shift-V, Shift-Insert, \
         middle-click or Cmd-V; not tmux's prefix ]) and press Enter:",
        route.label(),
        id.label()
    );
    let _ = out.flush();
    let mut line = String::new();
    let _ = input.take(4096).read_line(&mut line);
    let pasted = line
        .replace("\x1b[200~", "")
        .replace("\x1b[201~", "")
        .trim()
        .to_owned();
    let key = verified::key(route, id, env);
    if pasted == token {
        let date = crate::clock::now_rfc3339()
            .chars()
            .take(10)
            .collect::<String>();
        let recorded = env
            .verified_file
            .as_deref()
            .ok_or_else(|| "no state folder on this system".to_owned())
            .and_then(|f| Verified::record(f, &key, &date).map_err(|e| e.to_string()));
        match recorded {
            Ok(()) => {
                let _ = writeln!(
                    out,
                    "  ✓ verified: copies by {} reach {}'s clipboard; later copies here say \
                     \"copied (verified {date})\"",
                    route.label(),
                    id.label()
                );
            }
            Err(why) => {
                let _ = writeln!(
                    out,
                    "  ✓ the token arrived, but it could not be recorded: {why}"
                );
            }
        }
        return true;
    }
    if let Some(f) = &env.verified_file {
        let _ = Verified::forget(f, &key);
    }
    let what = if pasted.is_empty() {
        "nothing was pasted".to_owned()
    } else {
        format!(
            "what was pasted is not the token ({} characters)",
            pasted.chars().count()
        )
    };
    let _ = writeln!(
        out,
        "  ✗ not verified: {what}: the clipboard did not get it. To set:"
    );
    for line in advice(route, id) {
        let _ = writeln!(out, "    {line}");
    }
    let _ = writeln!(
        out,
        "  Then run `tshoot doctor --verify` again. Tickets are always saved to a file as well."
    );
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xterm_in_tmux() -> Identity {
        Identity {
            term: Some("xterm".to_owned()),
            version: Some("XTerm(379)".to_owned()),
            features: Some(vec!["clipboard".to_owned()]),
            set_clipboard: Some("external".to_owned()),
        }
    }

    #[test]
    fn advice_names_the_terminal_settings() {
        let xterm = advice(Route::Tmux, &xterm_in_tmux()).join("\n");
        assert!(xterm.contains("selectToClipboard"), "{xterm}");
        assert!(xterm.contains("Ms="), "{xterm}");
        let direct = advice(Route::Osc52, &xterm_in_tmux()).join("\n");
        assert!(direct.contains("disallowedWindowOps"), "{direct}");
        let unknown = Identity {
            term: Some("foot".to_owned()),
            features: Some(vec![]),
            set_clipboard: Some("external".to_owned()),
            ..Identity::default()
        };
        let all = advice(Route::Tmux, &unknown).join("\n");
        assert!(all.contains("terminal-features ',foot:clipboard'"), "{all}");
        assert!(all.contains("kitty: nothing to do"), "{all}");
    }

    #[test]
    fn tokens_differ_and_look_alike() {
        let (a, b) = (token(), token());
        assert_ne!(a, b);
        assert_eq!(a.len(), "tshoot-".len() + 10);
    }

    #[test]
    fn writable_knows_missing_and_read_only_folders() {
        let dir = tempfile::tempdir().unwrap();
        assert!(writable(dir.path()).0);
        assert_eq!(
            writable(&dir.path().join("a/b")),
            (true, "made on first use".to_owned())
        );
        let file = dir.path().join("file");
        std::fs::write(&file, "").unwrap();
        assert!(!writable(&file.join("sub")).0);
    }
}
