//! Soak: the whole program in a real pseudo-terminal (a tmux pane), driven at random, ended
//! at random moments, and checked after every run.
//!
//! Each run starts `tshoot AADSTS50143` in its own tmux server, then sends bursts of random
//! keys, bracketed pastes (plain, and hostile: escape sequences, a paste-end marker inside the
//! paste, control bytes, 20 KB) and resizes (a few below the minimum size), and ends with one
//! fault: SIGTERM, SIGHUP, SIGINT, a hang-up (the pane killed: its pseudo-terminal closes) or
//! the quit key Ctrl-C. Sometimes the fault comes while input is still being handled, sometimes once the
//! screen has settled. After each run:
//! - the process is gone (waited for with a generous deadline; the time it took is measured
//!   and reported, not asserted: tests put no limit on wall-clock time);
//! - no panic text on the screen or on standard error;
//! - where the pane still exists: the exit code is the signal's, the alternate screen, mouse
//!   reporting and raw mode are off, the cursor is shown;
//! - the case file is valid, and holds at least the answers the screen showed at the last
//!   settled moment (the keys sent never go back or undo, so answers only grow);
//! - no owner record is left behind.
//!
//! `TSHOOT_SOAK_RUNS` (default 12) and `TSHOOT_SOAK_HUP_RUNS` (default 20) set the counts,
//! `TSHOOT_SOAK_SEED` replays a run (the seed is printed). The by-hand long run:
//! `TSHOOT_SOAK_RUNS=300 TSHOOT_SOAK_HUP_RUNS=200 cargo test --test main soak:: -- --nocapture`.

use std::time::Instant;

use tshoot::session::Store;

use crate::common::{PATIENCE, Tmux, q, require, wait_until};

const TSHOOT: &str = env!("CARGO_BIN_EXE_tshoot");

fn count(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// xorshift64*: enough randomness for choosing keys, and replayable from the seed.
struct Rng(u64);

impl Rng {
    fn from_env() -> Self {
        let seed = std::env::var("TSHOOT_SOAK_SEED")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_secs() ^ u64::from(d.subsec_nanos()))
                    | 1
            });
        eprintln!("soak: TSHOOT_SOAK_SEED={seed}");
        Self(seed)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// One run's pane: tshoot in a private tmux server, its data and standard error in `dir`.
struct Run {
    tmux: Tmux,
    dir: tempfile::TempDir,
}

impl Run {
    fn start(tag: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let d = q(&dir.path().display().to_string());
        let cmd = format!(
            "sh -c {}",
            q(&format!(
                "export HOME={d} XDG_CONFIG_HOME={d}/config TSHOOT_DATA_DIR={d}/data; unset TMUX NO_COLOR; {} AADSTS50143 2>{d}/stderr; echo EXITED:$?; stty -a | grep -o -- '-icanon\\|icanon'; sleep 600",
                q(TSHOOT)
            ))
        );
        let tmux = Tmux::start(100, 30, tag, &cmd);
        Self { tmux, dir }
    }

    fn format(&self, f: &str) -> String {
        String::from_utf8_lossy(&self.tmux.tmux(&["display-message", "-p", f]).stdout)
            .trim()
            .to_owned()
    }

    fn pid(&self) -> u32 {
        let sh: u32 = self.format("#{pane_pid}").parse().expect("pane pid");
        let mut found = None;
        let ok = wait_until(PATIENCE, || {
            found = crate::common::tshoot_child_of(sh);
            found.is_some()
        });
        assert!(ok, "no tshoot under the pane's shell");
        found.unwrap_or_default()
    }

    fn store(&self) -> Store {
        Store {
            dir: self.dir.path().join("data/sessions"),
        }
    }
}

/// Answers shown in the header ("1 Diagnostics N/3"), when the wizard is on screen.
fn answers_shown(screen: &str) -> Option<usize> {
    let at = screen.find("Diagnostics ")? + "Diagnostics ".len();
    let rest = &screen[at..];
    let n = rest.split('/').next()?;
    n.trim().parse().ok()
}

fn is_alive(pid: u32) -> bool {
    tshoot::session::owner::proc_state(pid).is_some_and(|(s, _)| s != 'Z' && s != 'X')
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Term,
    Hup,
    Int,
    HangUp,
    Quit,
}

impl Fault {
    const ALL: [Fault; 5] = [
        Fault::Term,
        Fault::Hup,
        Fault::Int,
        Fault::HangUp,
        Fault::Quit,
    ];
    fn code(self) -> u8 {
        match self {
            Fault::Term => 143,
            Fault::Hup | Fault::HangUp => 129,
            Fault::Int => 130,
            Fault::Quit => 0,
        }
    }
}

/// Keys that never go back or undo (so answers only grow), never quit, never leave the
/// wizard for the picker, and never copy (no clipboard in a test).
const KEYS: &[&str] = &[
    "1", "2", "3", "4", "j", "k", "g", "G", "Tab", "BTab", "l", "h", "Space", "c", "x", "Enter",
    "PPage", "NPage", "Down", "Up",
];

fn hostile_pastes() -> Vec<String> {
    vec![
        "user@contoso.com tenant 72f988bf-86f1-41af-91ab-2d7cd011db47 AADSTS50143".into(),
        "\x1b[2J\x1b]52;c;aGVsbG8=\x07\x1b[?1049l text after escapes".into(),
        // tmux passes a paste-end marker inside a paste through: what follows it arrives as
        // keys. Only keys from the safe set follow it here.
        "before the end marker \x1b[201~ 2 3 jj 4".into(),
        "\x01\x02\x03\x7f\u{202e}reversed\u{200b} zero width\r\n\tline".into(),
        "correlation id 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\n".repeat(400),
    ]
}

fn send_paste(run: &Run, text: &str) {
    let out = run.tmux.tmux(&["set-buffer", "--", text]);
    if out.status.success() {
        let _ = run.tmux.tmux(&["paste-buffer", "-p", "-d"]);
    }
}

/// The exit times measured, for the report.
#[derive(Default)]
struct Report {
    runs: usize,
    faults: std::collections::BTreeMap<String, usize>,
    exit_ms: Vec<u128>,
    /// Runs whose screen had shown at least one answer before the fault, and those answers.
    acked_runs: usize,
    acked_answers: usize,
}

impl Report {
    fn print(&self, name: &str) {
        let mut ms = self.exit_ms.clone();
        ms.sort_unstable();
        // Percentiles by index (50: the median, 100: the maximum).
        let p = |q: usize| {
            ms.get((ms.len().saturating_sub(1) * q) / 100)
                .copied()
                .unwrap_or(0)
        };
        let over = |limit: u128| ms.iter().filter(|&&m| m > limit).count();
        eprintln!(
            "soak {name}: runs={} faults={:?} answers acknowledged before the fault={} in {} runs, all found saved; exit_ms median={} p95={} max={} over_1s={} over_2s={} failures=0",
            self.runs,
            self.faults,
            self.acked_answers,
            self.acked_runs,
            p(50),
            p(95),
            p(100),
            over(1000),
            over(2000)
        );
    }
}

/// End the run with `fault`; check everything the module doc lists. `acked`: the answers
/// the screen showed at the last settled moment.
fn end_and_check(run: &Run, pid: u32, fault: Fault, acked: usize, what: &str, report: &mut Report) {
    let start = Instant::now();
    match fault {
        // Ctrl-C, not `q`: a random Enter may have started typing in a ticket field, where
        // `q` is text.
        Fault::Quit => run.tmux.keys(&["C-c"]),
        Fault::HangUp => {
            let _ = run.tmux.tmux(&["kill-pane"]);
        }
        Fault::Term | Fault::Hup | Fault::Int => {
            let sig = match fault {
                Fault::Term => "TERM",
                Fault::Hup => "HUP",
                _ => "INT",
            };
            let st = std::process::Command::new("sh")
                .args(["-c", &format!("kill -{sig} {pid}")])
                .status()
                .expect("kill");
            assert!(st.success(), "{what}: kill -{sig} {pid}");
        }
    }
    let gone = wait_until(PATIENCE, || !is_alive(pid));
    let took = start.elapsed().as_millis();
    assert!(
        gone,
        "{what}: tshoot (pid {pid}) still runs after {fault:?}"
    );
    report.exit_ms.push(took);
    *report.faults.entry(format!("{fault:?}")).or_default() += 1;
    report.runs += 1;
    if acked > 0 {
        report.acked_runs += 1;
        report.acked_answers += acked;
    }

    let stderr = std::fs::read_to_string(run.dir.path().join("stderr")).unwrap_or_default();
    assert!(
        !stderr.contains("panicked"),
        "{what}: panic on stderr:\n{stderr}"
    );
    if fault != Fault::HangUp {
        let mut screen = String::new();
        let done = wait_until(PATIENCE, || {
            screen = run.tmux.capture_with(true);
            screen.contains("EXITED:") && screen.contains("icanon")
        });
        assert!(done, "{what}: no exit line:\n{screen}");
        assert!(
            screen.contains(&format!("EXITED:{}", fault.code())),
            "{what}: exit code after {fault:?}:\n{screen}"
        );
        assert!(
            !screen.contains("panicked"),
            "{what}: panic text:\n{screen}"
        );
        assert!(
            !screen.contains("-icanon"),
            "{what}: raw mode left on:\n{screen}"
        );
        let modes = run.format(
            "alt=#{alternate_on} mouse=#{mouse_standard_flag} sgr=#{mouse_sgr_flag} any=#{mouse_any_flag} cursor=#{cursor_flag}",
        );
        assert_eq!(
            modes, "alt=0 mouse=0 sgr=0 any=0 cursor=1",
            "{what}: terminal modes after {fault:?}"
        );
    }
    let store = run.store();
    let (cases, bad) = store.list().expect("list the cases");
    assert!(bad.is_empty(), "{what}: bad case files: {bad:?}");
    assert!(cases.len() <= 1, "{what}: {} cases", cases.len());
    let saved = cases.first().map_or(0, |c| c.case.trail.len());
    assert!(
        saved >= acked,
        "{what}: the screen showed {acked} answer(s), the file holds {saved}"
    );
    let owners: Vec<_> = std::fs::read_dir(&store.dir)
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "owner"))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default();
    assert!(owners.is_empty(), "{what}: owner records left: {owners:?}");
}

fn wait_first_frame(run: &Run, what: &str) {
    let mut screen = String::new();
    let ok = wait_until(PATIENCE, || {
        screen = run.tmux.capture();
        screen.contains("Step 1 of 3")
    });
    assert!(ok, "{what}: no first frame:\n{screen}");
}

#[test]
fn soak_random_input_and_faults() {
    if !require(&["tmux"], "apt-get install -y tmux") {
        return;
    }
    let runs = count("TSHOOT_SOAK_RUNS", 12);
    let mut rng = Rng::from_env();
    let pastes = hostile_pastes();
    let mut report = Report::default();
    for i in 0..runs {
        // Every fault comes up, then at random.
        let fault = if i < Fault::ALL.len() {
            Fault::ALL[i]
        } else {
            *rng.pick(&Fault::ALL)
        };
        let run = Run::start("soak");
        let what = format!("run {i} ({fault:?})");
        let pid = run.pid();
        wait_first_frame(&run, &what);
        let mut acked = 0;
        let bursts = rng.below(6);
        for _ in 0..bursts {
            for _ in 0..rng.below(12) {
                match rng.below(20) {
                    0 => {
                        let p = pastes[rng.below(pastes.len())].clone();
                        send_paste(&run, &p);
                    }
                    1 => {
                        let (w, h) = if rng.below(6) == 0 {
                            (40, 10)
                        } else {
                            (
                                60 + u16::try_from(rng.below(80)).unwrap(),
                                16 + u16::try_from(rng.below(30)).unwrap(),
                            )
                        };
                        let _ = run.tmux.tmux(&[
                            "resize-window",
                            "-x",
                            &w.to_string(),
                            "-y",
                            &h.to_string(),
                        ]);
                    }
                    _ => {
                        let k = KEYS[rng.below(KEYS.len())];
                        run.tmux.keys(&[k]);
                    }
                }
            }
            if rng.below(2) == 0 {
                // Let it settle, and take what the screen shows as acknowledged.
                let screen = run.tmux.stable_capture();
                if let Some(n) = answers_shown(&screen) {
                    acked = acked.max(n);
                }
            }
        }
        end_and_check(&run, pid, fault, acked, &what, &mut report);
    }
    report.print("random");
}

/// The case of the issue: SIGHUP right after the first frame, the pseudo-terminal left
/// open. Every run must end, restore the terminal and exit 129.
#[test]
fn soak_sighup_right_after_the_first_frame() {
    if !require(&["tmux"], "apt-get install -y tmux") {
        return;
    }
    let runs = count("TSHOOT_SOAK_HUP_RUNS", 20);
    let mut report = Report::default();
    for i in 0..runs {
        let run = Run::start("hup");
        let what = format!("SIGHUP run {i}");
        let pid = run.pid();
        wait_first_frame(&run, &what);
        end_and_check(&run, pid, Fault::Hup, 0, &what, &mut report);
    }
    report.print("sighup-first-frame");
}

#[test]
fn the_header_count_is_read() {
    assert_eq!(answers_shown("│ ● 1 Diagnostics 2/3  ─  ○ 2"), Some(2));
    assert_eq!(answers_shown("find a guide"), None);
}
