//! Cases survive: the real `tshoot` binary in private tmux servers, dropped (the SSH-drop
//! case), killed with SIGKILL at random moments, sent SIGTERM, and resumed; bad files in the
//! data dir; `sessions` and `export` on a case made through the wizard.
//!
//! Each test has its own tmux server (`tmux -L NAME -f /dev/null`, killed on drop) and its own
//! data, home and config folders. Waits poll the pane with generous deadlines; no test asserts
//! how long anything took. Without tmux a test is skipped with a note, except under `CI=true`,
//! where it fails.
//!
//! `TSHOOT_KILL_ITERATIONS` sets how many SIGKILL rounds run (default 30), `TSHOOT_KILL_SEED`
//! replays a run (the seed is printed).

use crate::common::{PATIENCE, Tmux, on_path, require, wait_until};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::thread;
use std::time::Duration;

use tshoot::session::{Session, Store};

const TSHOOT: &str = env!("CARGO_BIN_EXE_tshoot");
const WIDTH: u16 = 100;
const HEIGHT: u16 = 30;

// ---------------------------------------------------------------------------------------------
// Helpers

/// The folders of one test: data (sessions in `data/sessions`), home, config.
struct Dirs {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    /// Put in tshoot's environment so its processes can be found (and only they).
    mark: String,
}

impl Dirs {
    fn new(tag: &str) -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_owned();
        for d in ["data", "home", "config"] {
            fs::create_dir_all(root.join(d)).unwrap();
        }
        Dirs {
            _tmp: tmp,
            root,
            mark: format!("{}-{tag}", std::process::id()),
        }
    }

    fn store(&self) -> Store {
        Store {
            dir: self.root.join("data").join("sessions"),
        }
    }

    fn envs(&self) -> Vec<(&'static str, String)> {
        let p = |d: &str| self.root.join(d).display().to_string();
        vec![
            ("TSHOOT_DATA_DIR", p("data")),
            ("HOME", p("home")),
            ("XDG_CONFIG_HOME", p("config")),
            ("XDG_DATA_HOME", p("home")),
            ("TSHOOT_TEST_MARK", self.mark.clone()),
        ]
    }

    /// The shell command that runs `tshoot ARGS` in a pane, then says how it ended.
    fn pane_command(&self, args: &[&str]) -> String {
        let env: Vec<String> = self
            .envs()
            .iter()
            .map(|(k, v)| format!("{k}='{v}'"))
            .collect();
        format!(
            "env -u TMUX {} {TSHOOT} {}; echo EXIT=$?; sleep 60",
            env.join(" "),
            args.join(" ")
        )
    }

    /// Run a non-interactive command.
    fn run(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(TSHOOT);
        cmd.args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .env_remove("TMUX");
        for (k, v) in self.envs() {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run tshoot");
        eprintln!(
            "$ tshoot {}\n{}{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// The saved sessions (`*.json`), loaded through the library.
    fn sessions(&self) -> Vec<Session> {
        let dir = self.store().dir;
        let Ok(entries) = fs::read_dir(&dir) else {
            return Vec::new();
        };
        entries
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .map(|p| Store::load_file(&p).unwrap_or_else(|e| panic!("{e}")))
            .collect()
    }

    fn file_names(&self) -> Vec<String> {
        let Ok(entries) = fs::read_dir(self.store().dir) else {
            return Vec::new();
        };
        let mut v: Vec<String> = entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    /// Live (not zombie) processes of the tshoot binary started with this test's mark.
    fn tshoot_pids(&self) -> Vec<u32> {
        tshoot_pids(&self.mark)
    }
}

fn tshoot_pids(mark: &str) -> Vec<u32> {
    let exe = fs::canonicalize(TSHOOT).unwrap();
    let want = format!("TSHOOT_TEST_MARK={mark}");
    let mut pids = Vec::new();
    for e in fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let p = e.path();
        if fs::read_link(p.join("exe")).ok().as_deref() != Some(exe.as_path()) {
            continue;
        }
        let Ok(environ) = fs::read(p.join("environ")) else {
            continue;
        };
        if environ.split(|b| *b == 0).any(|v| v == want.as_bytes()) && alive(pid) {
            pids.push(pid);
        }
    }
    pids
}

/// (state, utime + stime in clock ticks) from /proc/PID/stat.
fn proc_stat(pid: u32) -> Option<(char, u64)> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let state = f.first()?.chars().next()?;
    let ticks = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some((state, ticks))
}

fn alive(pid: u32) -> bool {
    proc_stat(pid).is_some_and(|(s, _)| s != 'Z' && s != 'X')
}

fn signal(pid: u32, sig: &str) {
    let st = Command::new("kill")
        .args([sig, &pid.to_string()])
        .status()
        .unwrap();
    assert!(st.success(), "kill {sig} {pid}");
}

/// The one tshoot process of `dirs` (waits until it is there).
fn the_tshoot(dirs: &Dirs) -> u32 {
    let mut pids = Vec::new();
    assert!(
        wait_until(PATIENCE, || {
            pids = dirs.tshoot_pids();
            pids.len() == 1
        }),
        "expected one tshoot process, found {pids:?}"
    );
    pids[0]
}

/// Wait until no tshoot process of `dirs` is left; if one is, say how much CPU it uses.
fn assert_no_tshoot_left(dirs: &Dirs, why: &str) {
    if wait_until(PATIENCE, || dirs.tshoot_pids().is_empty()) {
        return;
    }
    let left = dirs.tshoot_pids();
    let before: Vec<u64> = left
        .iter()
        .map(|p| proc_stat(*p).map_or(0, |s| s.1))
        .collect();
    thread::sleep(Duration::from_secs(1));
    let cpu: Vec<String> = left
        .iter()
        .zip(before)
        .map(|(p, b)| {
            let now = proc_stat(*p).map_or(b, |s| s.1);
            format!("pid {p}: {} CPU ticks in 1 s", now - b)
        })
        .collect();
    for p in &left {
        let _ = Command::new("kill").args(["-9", &p.to_string()]).status();
    }
    panic!("tshoot still running {why}: {}", cpu.join(", "));
}

/// All lines of a screen but the status line (the last one).
fn without_status(screen: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = screen.lines().collect();
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    lines.pop();
    lines
}

fn highlighted(screen: &str, item: &str) -> bool {
    screen.lines().any(|l| l.contains(&format!("▶ {item}")))
}

// ---------------------------------------------------------------------------------------------
// (a) SSH drop: the pty hangs up, tshoot saves and ends; `tshoot resume` brings the screen back

#[test]
fn ssh_drop_then_resume_brings_back_the_same_screen() {
    if !require(&["tmux"], "apt-get install -y tmux") {
        return;
    }
    let dirs = Dirs::new("drop");
    let before = {
        let tmux = Tmux::start(
            WIDTH,
            HEIGHT,
            "drop-1",
            &dirs.pane_command(&["AADSTS50143"]),
        );
        tmux.wait_text("Step 1 of 3");
        tmux.keys(&["1"]);
        tmux.wait_text("Step 2 of 3");
        tmux.keys(&["2"]);
        tmux.wait_text("Step 3 of 3");
        tmux.keys(&["j"]);
        tmux.wait_for("the highlight on answer 2", |p| highlighted(p, "2."));
        let screen = tmux.stable_capture();
        let pid = the_tshoot(&dirs);
        eprintln!("tshoot pid {pid}; dropping the tmux server");
        tmux.kill_server();
        assert_no_tshoot_left(&dirs, "after its terminal hung up");
        screen
    };
    // The highlight is a view-only change: only the hang-up path can have saved it.
    let saved = dirs.sessions();
    assert_eq!(saved.len(), 1, "{:?}", dirs.file_names());
    assert_eq!(saved[0].case.trail.len(), 2);
    assert_eq!(
        saved[0].view.sel[0], 1,
        "the highlight was saved on hang-up"
    );

    let tmux = Tmux::start(WIDTH, HEIGHT, "drop-2", &dirs.pane_command(&["resume"]));
    let after = tmux.wait_for("the resumed case", |p| {
        p.contains("resumed case") && p.contains("Step 3 of 3")
    });
    let after_screen = tmux.stable_capture();
    assert!(
        after.contains(&format!("resumed case {}", saved[0].id)),
        "{after}"
    );
    assert_eq!(
        without_status(&after_screen),
        without_status(&before),
        "same stage, answers and highlight.\nbefore:\n{before}\nafter:\n{after_screen}"
    );
    assert!(highlighted(&after_screen, "2."));
}

/// Escalating is when the engineer still collects ids: an escalated case with half a
/// Correlation ID typed survives the SSH drop, `tshoot resume` (no id) brings back the ticket
/// pane with the half id, and the picker lists the case with its label and state, at 80x24.
#[test]
fn an_escalated_case_with_half_an_id_survives_the_drop_and_is_resumed() {
    if !require(&["tmux"], "apt-get install -y tmux") {
        return;
    }
    let dirs = Dirs::new("escalated");
    {
        let tmux = Tmux::start(80, 24, "esc-1", &dirs.pane_command(&["AADSTS50143"]));
        tmux.wait_text("Step 1 of 3");
        tmux.keys(&["L"]);
        tmux.wait_text("Case label");
        tmux.type_text("jane@contoso.com Outlook");
        tmux.keys(&["Enter"]);
        tmux.wait_text("case labelled");
        tmux.keys(&["e"]);
        tmux.wait_text("escalated: fill in the ticket");
        tmux.keys(&["Enter"]);
        tmux.type_text("0a1b2c3d-11");
        tmux.wait_text("0a1b2c3d-11");
        thread::sleep(Duration::from_millis(300));
        tmux.kill_server();
        assert_no_tshoot_left(&dirs, "after its terminal hung up");
    }
    let saved = dirs.sessions();
    assert_eq!(saved.len(), 1, "{:?}", dirs.file_names());
    assert_eq!(saved[0].state(), tshoot::wizard::State::Escalated);
    assert_eq!(saved[0].case.field("correlation_id"), "0a1b2c3d-11");
    let short = saved[0].short_id().to_owned();

    // sessions lists it (not as closed), and prune leaves it.
    let out = dirs.run(&["sessions", "--prune", "0"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("deleted 0 closed cases"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with(&short) && l.contains("escalated") && l.contains("jane@")),
        "{text}"
    );

    let tmux = Tmux::start(80, 24, "esc-2", &dirs.pane_command(&["resume"]));
    let after = tmux.wait_for("the resumed ticket pane", |p| {
        p.contains("resumed case") && p.contains("Ticket") && p.contains("0a1b2c3d-11")
    });
    assert!(
        after.contains(&format!("case {short} · escalated")) || after.contains(&short),
        "the header names the case: {after}"
    );
    tmux.keys(&["Escape"]);
    let picker = tmux.wait_for("the picker", |p| p.contains("find a guide"));
    let row = picker
        .lines()
        .find(|l| l.contains('↻'))
        .unwrap_or_else(|| panic!("no saved-case row:\n{picker}"));
    assert!(
        row.contains(&format!("↻ {short}  escalated  jane@contoso.com Outlook")),
        "{row}"
    );
    // In the picker letters are the search: Ctrl-C quits.
    tmux.keys(&["C-c"]);
    tmux.wait_text("EXIT=0");
}

/// A hang-up that sends no signal (tshoot in a session of its own, as `setsid` makes it): the
/// watchdog notices the terminal is gone, saves, and ends the process, which would otherwise
/// spin on the dead terminal for ever.
#[test]
fn a_hang_up_without_a_signal_is_caught_by_the_watchdog() {
    if !require(&["tmux"], "apt-get install -y tmux") {
        return;
    }
    if !on_path("setsid") {
        let note = "missing setsid (install: apt-get install -y util-linux)";
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{note}");
        eprintln!("SKIPPED: {note}");
        return;
    }
    let dirs = Dirs::new("nosignal");
    let command = format!("setsid -w {}", dirs.pane_command(&["AADSTS50143"]));
    let tmux = Tmux::start(WIDTH, HEIGHT, "nosignal", &command);
    tmux.wait_text("Step 1 of 3");
    tmux.keys(&["3"]);
    tmux.wait_text("Step 2 of 3");
    tmux.keys(&["j", "j", "j"]);
    tmux.wait_for("the highlight on answer 4", |p| highlighted(p, "4."));
    the_tshoot(&dirs);
    tmux.kill_server();
    assert_no_tshoot_left(&dirs, "after its terminal hung up without a signal");
    let saved = dirs.sessions();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].case.trail.len(), 1);
    assert_eq!(saved[0].view.sel[0], 3, "the watchdog saved the highlight");
}

// ---------------------------------------------------------------------------------------------
// (b) SIGKILL at random moments never loses or breaks a saved case

/// xorshift64*: small, deterministic, good enough to pick keys and moments.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform-ish in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const BURST_KEYS: &[&str] = &[
    "1", "2", "3", "4", "j", "k", "Tab", "Space", "c", "x", "BSpace", "u",
];

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "the whole kill-and-check loop, with its checks, in one place"
)]
fn sigkill_at_random_moments_never_loses_or_breaks_a_case() {
    if !require(&["tmux"], "apt-get install -y tmux") {
        return;
    }
    let iterations: u32 = std::env::var("TSHOOT_KILL_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let seed: u64 = std::env::var("TSHOOT_KILL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            let t = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap();
            t.as_secs() ^ u64::from(t.subsec_nanos()) ^ u64::from(std::process::id())
        })
        .max(1);
    eprintln!(
        "SIGKILL test: {iterations} iterations, seed {seed} (TSHOOT_KILL_SEED={seed} replays it)"
    );
    let mut rng = Rng(seed);
    let dirs = Dirs::new("kill");
    let (mut same, mut newer, mut none_yet, mut keys_sent) = (0, 0, 0, 0);

    for round in 0..iterations {
        let existing = dirs.sessions();
        assert!(
            existing.len() <= 1,
            "one case only: {:?}",
            dirs.file_names()
        );
        let id;
        let args: Vec<&str> = match existing.first() {
            None => vec!["AADSTS50143"],
            Some(s) if !s.is_closed() => vec!["resume"],
            Some(s) => {
                // Escalated by ticking the escalation task: resume it by id.
                id = s.id.clone();
                vec!["resume", &id]
            }
        };
        let tmux = Tmux::start(
            WIDTH,
            HEIGHT,
            &format!("kill-{round}"),
            &dirs.pane_command(&args),
        );
        tmux.wait_text("AADSTS50143 · Session mismatch");
        let pid = the_tshoot(&dirs);

        // A burst of keys, cut at a random key by SIGKILL after a random pause.
        let burst = 1 + rng.below(25);
        let kill_at = rng.below(burst + 1);
        for _ in 0..kill_at {
            let key = BURST_KEYS[usize::try_from(rng.below(BURST_KEYS.len() as u64)).unwrap()];
            tmux.keys(&[key]);
            keys_sent += 1;
            thread::sleep(Duration::from_millis(rng.below(15)));
        }
        // Often within the few milliseconds a save takes after a key, else anywhere.
        let pause = if rng.below(2) == 0 { 4_000 } else { 30_000 };
        thread::sleep(Duration::from_micros(rng.below(pause)));
        // What was saved before the kill: an atomic rename means this is whole, and after
        // the kill the file holds it or a state saved later.
        let path = existing
            .first()
            .map(|s| dirs.store().path_of(&s.id))
            .or_else(|| {
                fs::read_dir(dirs.store().dir).ok().and_then(|d| {
                    d.flatten()
                        .map(|e| e.path())
                        .find(|p| p.extension().is_some_and(|x| x == "json"))
                })
            });
        let before: Option<Session> = path.as_ref().and_then(|p| fs::read(p).ok()).map(|b| {
            serde_json::from_slice(&b)
                .unwrap_or_else(|e| panic!("round {round}: a broken file was visible: {e}"))
        });
        signal(pid, "-9");
        assert!(
            wait_until(PATIENCE, || !alive(pid)),
            "round {round}: tshoot {pid} survived SIGKILL"
        );
        drop(tmux);

        let names = dirs.file_names();
        assert!(
            !names.iter().any(|n| n.contains(".unreadable-")),
            "round {round} (seed {seed}): a session was moved aside: {names:?}"
        );
        let after = dirs.sessions();
        match (&before, after.as_slice()) {
            (None, []) => none_yet += 1,
            (None, [_]) => newer += 1,
            (Some(b), [a]) => {
                assert_eq!(a.id, b.id, "round {round}");
                assert_eq!(a.answered_at.len(), a.case.trail.len(), "round {round}");
                if a == b {
                    same += 1;
                } else {
                    assert!(
                        a.updated >= b.updated,
                        "round {round} (seed {seed}): the case went back in time:\nbefore the kill: {b:#?}\nafter: {a:#?}"
                    );
                    newer += 1;
                }
            }
            (b, a) => panic!(
                "round {round} (seed {seed}): before the kill {b:?}, after {} sessions: {names:?}",
                a.len()
            ),
        }
        if let [a] = after.as_slice() {
            let out = dirs.run(&["sessions", "--json", "--all"]);
            assert!(out.status.success(), "round {round}");
            assert!(out.stderr.is_empty(), "round {round}: {out:?}");
            let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert!(
                rows.as_array().unwrap().iter().any(|r| r["id"] == a.id),
                "round {round}: `sessions --json --all` lists the case: {rows}"
            );
        }
    }
    let tmp_left = dirs
        .file_names()
        .iter()
        .filter(|n| {
            std::path::Path::new(n)
                .extension()
                .is_some_and(|e| e == "tmp")
        })
        .count();
    eprintln!(
        "SIGKILL test done: {iterations} kills, {keys_sent} keys; after the kill the file held \
         the state read just before it {same} times, a later one {newer} times, nothing yet \
         {none_yet} times; {tmp_left} temporary file(s) of cut saves left; seed {seed}"
    );
}

// ---------------------------------------------------------------------------------------------
// (c) Files that cannot be read are reported, moved aside, and tshoot goes on

fn good_session(dirs: &Dirs, id: &str) -> Session {
    let lib = tshoot::guide::Library::load(&[]);
    let g = &lib.find("AADSTS50143").unwrap().guide;
    let mut case = tshoot::wizard::Case::new(g);
    case.apply(g, &tshoot::wizard::Act::Answer(0)).unwrap();
    let mut s = Session::new(id.to_owned(), g, case, "2026-01-02T03:04:05Z");
    s.answered_at = vec!["2026-01-02T03:04:05Z".into()];
    dirs.store().save(&s).unwrap();
    s
}

fn write_bad(dirs: &Dirs, id: &str, what: &str) -> PathBuf {
    let path = dirs.store().path_of(id);
    fs::create_dir_all(&dirs.store().dir).unwrap();
    let text = match what {
        "corrupt" => "{\"version\": 1, \"id\": ".to_owned(),
        "future" => {
            let mut v = serde_json::to_value(good_session(dirs, id)).unwrap();
            v["version"] = serde_json::json!(99);
            v.to_string()
        }
        _ => unreachable!(),
    };
    fs::write(&path, text).unwrap();
    path
}

fn moved_aside(dirs: &Dirs, path: &Path) -> Vec<String> {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    dirs.file_names()
        .into_iter()
        .filter(|n| n.starts_with(&format!("{name}.unreadable-")))
        .collect()
}

#[test]
fn sessions_reports_bad_files_moves_them_aside_and_lists_the_good() {
    let dirs = Dirs::new("bad");
    let good = good_session(&dirs, "20260102T030405Z-aadsts50143-good");
    let corrupt = write_bad(&dirs, "20260102T030405Z-aadsts50143-bad1", "corrupt");
    let future = write_bad(&dirs, "20260102T030405Z-aadsts50143-bad2", "future");
    let out = dirs.run(&["sessions"]);
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    for (path, words) in [(&corrupt, "damaged"), (&future, "newer tshoot")] {
        let aside = moved_aside(&dirs, path);
        assert_eq!(aside.len(), 1, "{:?}", dirs.file_names());
        assert!(!path.exists());
        let line = stderr
            .lines()
            .find(|l| l.contains(&*path.to_string_lossy()))
            .unwrap_or_else(|| panic!("{} not named: {stderr}", path.display()));
        assert!(line.contains(words), "{line}");
        assert!(line.contains(&aside[0]), "names where it went: {line}");
    }
    assert!(stdout.contains(good.short_id()), "{stdout}");
    assert!(
        !stdout.contains("bad1") && !stdout.contains("bad2"),
        "{stdout}"
    );
    // Reported once: the moved files are not read again.
    let out = dirs.run(&["sessions"]);
    assert!(out.status.success() && out.stderr.is_empty(), "{out:?}");
    // `--json` too goes on with a bad file (the report is on stderr, stdout stays JSON).
    write_bad(&dirs, "20260102T030405Z-aadsts50143-bad3", "corrupt");
    let out = dirs.run(&["sessions", "--json"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad3.json"));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1);
}

#[test]
fn resume_of_a_bad_file_says_so_and_exits_1() {
    if !require(&["tmux"], "apt-get install -y tmux") {
        return;
    }
    let dirs = Dirs::new("badresume");
    // By id.
    let id = "20260102T030405Z-aadsts50143-bad1";
    let corrupt = write_bad(&dirs, id, "corrupt");
    let tmux = Tmux::start(
        WIDTH,
        HEIGHT,
        "badresume-1",
        &dirs.pane_command(&["resume", id]),
    );
    let pane = tmux.wait_text("EXIT=");
    assert!(pane.contains("EXIT=1"), "{pane}");
    assert!(pane.contains(&*corrupt.to_string_lossy()), "{pane}");
    let aside = moved_aside(&dirs, &corrupt);
    assert_eq!(aside.len(), 1);
    assert!(pane.contains(&aside[0]), "names where it went: {pane}");
    assert!(!pane.contains("no session \""), "says it once: {pane}");
    drop(tmux);

    // The most recent one, a future version.
    let future = write_bad(&dirs, "20260102T030405Z-aadsts50143-bad2", "future");
    let tmux = Tmux::start(
        WIDTH,
        HEIGHT,
        "badresume-2",
        &dirs.pane_command(&["resume"]),
    );
    let pane = tmux.wait_text("EXIT=");
    assert!(pane.contains("EXIT=1"), "{pane}");
    assert!(pane.contains(&*future.to_string_lossy()), "{pane}");
    assert!(pane.contains("newer tshoot"), "{pane}");
    assert!(pane.contains("no unfinished case to resume"), "{pane}");
    assert_eq!(moved_aside(&dirs, &future).len(), 1);
    drop(tmux);

    // A good case next to a bad one: resumed, with the bad one named in the status line.
    let good = good_session(&dirs, "20260102T030405Z-aadsts50143-good");
    let corrupt = write_bad(&dirs, "20260102T030405Z-aadsts50143-bad3", "corrupt");
    let tmux = Tmux::start(
        WIDTH,
        HEIGHT,
        "badresume-3",
        &dirs.pane_command(&["resume", &good.id]),
    );
    // (Both waited for: a capture can land between the cells of one frame.)
    tmux.wait_for("the case, and the bad file named in the status line", |p| {
        p.contains("Step 2 of 3") && p.contains("bad3.json: the session file is damaged")
    });
    assert!(!corrupt.exists());
}

// ---------------------------------------------------------------------------------------------
// (d) SIGTERM: save (the selection too), restore, exit 143

#[test]
fn sigterm_saves_the_latest_selection_and_exits_143() {
    if !require(&["tmux"], "apt-get install -y tmux") {
        return;
    }
    let dirs = Dirs::new("term");
    let tmux = Tmux::start(WIDTH, HEIGHT, "term", &dirs.pane_command(&["AADSTS50143"]));
    tmux.wait_text("Step 1 of 3");
    tmux.keys(&["1"]);
    tmux.wait_text("Step 2 of 3");
    tmux.keys(&["j", "j"]);
    tmux.wait_for("the highlight on answer 3", |p| highlighted(p, "3."));
    let saved = dirs.sessions();
    assert_eq!(saved.len(), 1);
    assert_eq!(
        saved[0].view.sel[0], 0,
        "a highlight alone is not written at once"
    );
    let pid = the_tshoot(&dirs);
    signal(pid, "-TERM");
    let pane = tmux.wait_text("EXIT=");
    assert!(pane.contains("EXIT=143"), "{pane}");
    assert!(
        !pane.contains("Step 2 of 3"),
        "the terminal is restored (alternate screen left): {pane}"
    );
    assert_no_tshoot_left(&dirs, "after SIGTERM");
    let saved = dirs.sessions();
    assert_eq!(saved[0].case.trail.len(), 1);
    assert_eq!(saved[0].view.sel[0], 2, "the latest selection is saved");
}

// ---------------------------------------------------------------------------------------------
// (e) `sessions`, `export`, `--all`, `--prune` on a case made through the wizard

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "one case walked through sessions, export and prune in order"
)]
fn sessions_and_export_of_a_case_made_in_the_wizard() {
    if !require(&["tmux"], "apt-get install -y tmux") {
        return;
    }
    let dirs = Dirs::new("export");
    let guid = "0a1b2c3d-1111-2222-3333-444455556666";
    {
        let tmux = Tmux::start(
            WIDTH,
            HEIGHT,
            "export-1",
            &dirs.pane_command(&["AADSTS50143"]),
        );
        tmux.wait_text("Step 1 of 3");
        tmux.keys(&["2"]);
        tmux.wait_text("Step 2 of 3");
        tmux.keys(&["2"]);
        tmux.wait_text("Step 3 of 3");
        tmux.keys(&["2"]);
        tmux.wait_text("diagnostics done");
        // The top issue (the most suspected) confirmed.
        tmux.keys(&["c"]);
        tmux.wait_text(": confirmed");
        // Ticket: type the correlation id.
        tmux.keys(&["Tab", "Tab"]);
        thread::sleep(Duration::from_millis(200));
        tmux.keys(&["Enter"]);
        thread::sleep(Duration::from_millis(200));
        tmux.type_text(guid);
        tmux.keys(&["Enter"]);
        tmux.wait_text(guid);
        tmux.keys(&["q"]);
        let pane = tmux.wait_text("EXIT=");
        assert!(pane.contains("EXIT=0"), "{pane}");
    }
    let saved = dirs.sessions();
    assert_eq!(saved.len(), 1);
    let s = &saved[0];
    assert_eq!(s.case.field("correlation_id"), guid);

    // sessions --json: the fields.
    let out = dirs.run(&["sessions", "--json"]);
    assert!(out.status.success());
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(r["id"], s.id);
    assert_eq!(r["guide"], "AADSTS50143");
    assert_eq!(r["started"], s.started);
    assert_eq!(r["updated"], s.updated);
    assert_eq!(r["status"], "open");
    assert_eq!(r["stage"], "Common issues");
    assert_eq!(r["progress"], "3/3 answered, 0/5 tasks");
    assert_eq!(r["case_id"], s.short_id());
    assert_eq!(r["state"], "open");
    assert_eq!(r["label"], "corr 0a1b2c3d", "named from its Correlation ID");
    let out = dirs.run(&["sessions"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let row = text
        .lines()
        .find(|l| l.starts_with(s.short_id()))
        .unwrap_or_else(|| panic!("no row for {}: {text}", s.short_id()));
    assert!(
        row.contains("open") && row.contains("Issues") && row.contains("corr 0a1b2c3d"),
        "{text}"
    );
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");

    // export: Markdown by default, the most recent case.
    let out = dirs.run(&["export"]);
    assert!(out.status.success());
    let md = String::from_utf8_lossy(&out.stdout);
    for want in [
        format!("# Case {}: AADSTS50143 - Session mismatch", s.id),
        "(revision 1)".to_owned(),
        "**No, the user signs in with another tenant or domain**".to_owned(),
        "**After switching app, tenant or account in the same browser session**".to_owned(),
        "**The domain hint names a different tenant than the user's**".to_owned(),
        "- Incorrect Domain Hint: confirmed".to_owned(),
        "- Session Information Mismatch: suspected".to_owned(),
        "  - [ ] ".to_owned(),
        format!("- Correlation ID: {guid}"),
        "- Request ID: (not provided)".to_owned(),
        format!("({})", s.answered_at[0]),
    ] {
        assert!(md.contains(&want), "missing {want:?}:\n{md}");
    }
    // export ID (a prefix) --format json.
    let prefix = &s.id[..s.id.len() - 2];
    let out = dirs.run(&["export", prefix, "--format", "json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["id"], s.id);
    assert_eq!(v["guide"]["revision"], "1");
    assert_eq!(v["answers"].as_array().unwrap().len(), 3);
    assert_eq!(v["answers"][2]["at"], s.answered_at[2]);
    assert_eq!(v["fields"]["correlation_id"], guid);
    assert!(
        v["issues"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == "incorrect-domain-hint" && i["mark"] == "confirmed")
    );
    assert_eq!(dirs.run(&["export", "no-such-case"]).status.code(), Some(1));

    // Resolve it in the wizard with r (a required field is empty: it asks first), then close
    // it with C: it leaves the default list, stays in --all.
    {
        let tmux = Tmux::start(WIDTH, HEIGHT, "export-2", &dirs.pane_command(&["resume"]));
        tmux.wait_text("resumed case");
        tmux.keys(&["r"]);
        tmux.wait_text("y: resolve · any other key: cancel");
        tmux.keys(&["y"]);
        tmux.wait_text("resolved · C closes it");
        tmux.keys(&["C"]);
        tmux.wait_text("closed: no longer listed to resume");
        tmux.keys(&["q"]);
        tmux.wait_text("EXIT=0");
    }
    let out = dirs.run(&["sessions", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows, serde_json::json!([]));
    let out = dirs.run(&["sessions", "--json", "--all"]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["id"], s.id);
    assert_eq!(rows[0]["status"], "resolved");
    assert_eq!(rows[0]["state"], "closed");
    let out = dirs.run(&["sessions"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("no unfinished cases"));

    // An open case is never pruned; the closed one goes with --prune 0.
    let open = good_session(&dirs, "20200101T000000Z-aadsts50143-open");
    let out = dirs.run(&["sessions", "--prune", "0", "--all"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("deleted 1 closed case "), "{text}");
    assert!(
        text.lines().any(|l| l.starts_with("open  open")),
        "the open case is still listed: {text}"
    );
    assert!(!dirs.store().path_of(&s.id).exists());
    assert_eq!(dirs.sessions(), vec![open]);
}

// ---------------------------------------------------------------------------------------------
// The event loop saves the last state however it ends

struct Recorder(Vec<Session>);

impl tshoot::tui::Io for Recorder {
    fn copy(&mut self, _: &str) -> (String, bool) {
        (String::new(), true)
    }
    fn save(&mut self, s: &Session) -> Result<(), tshoot::session::SessionError> {
        self.0.push(s.clone());
        Ok(())
    }
}

#[test]
fn a_terminal_error_still_saves_the_last_view() {
    use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    let lib = tshoot::guide::Library::load(&[]);
    let mut app = tshoot::app::App::new(
        lib,
        tshoot::keymap::KeyMap::default(),
        tshoot::ui::theme::Theme::default(),
    );
    app.open_query("AADSTS50143");
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
    let key = |c| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    let mut events = vec![Ok(Some(key('1'))), Ok(Some(key('j')))].into_iter();
    let mut io = Recorder(Vec::new());
    let result = tshoot::tui::run_loop(
        &mut terminal,
        &mut app,
        || {
            events
                .next()
                .unwrap_or_else(|| Err(std::io::Error::from_raw_os_error(5)))
        },
        &mut io,
        |_| {},
    );
    assert!(result.is_err(), "the error is passed on");
    let last = io.0.last().expect("saved");
    assert_eq!(last.case.trail.len(), 1);
    assert_eq!(
        last.view.sel[0], 1,
        "the highlight moved after the last case change"
    );
}

#[test]
fn a_case_opened_and_left_untouched_leaves_no_file() {
    use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    let key = |c| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    let run = |keys: &[char]| {
        let mut app = tshoot::app::App::new(
            tshoot::guide::Library::load(&[]),
            tshoot::keymap::KeyMap::default(),
            tshoot::ui::theme::Theme::default(),
        );
        app.open_query("AADSTS50143");
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
        let mut events = keys
            .iter()
            .map(|&c| Ok(Some(key(c))))
            .collect::<Vec<_>>()
            .into_iter();
        let mut io = Recorder(Vec::new());
        tshoot::tui::run_loop(
            &mut terminal,
            &mut app,
            || events.next().unwrap_or(Ok(None)),
            &mut io,
            |_| {},
        )
        .unwrap();
        io.0
    };
    // Moving around and quitting: nothing worth a file.
    assert!(run(&['j', 'j', 'q']).is_empty());
    // One answer: saved at once, and again with the view on quit.
    let saved = run(&['2', 'j', 'q']);
    assert!(saved.len() >= 2, "{}", saved.len());
    assert_eq!(saved[0].case.trail.len(), 1);
    assert_eq!(saved.last().unwrap().view.sel[0], 1);
}
