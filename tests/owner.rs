//! One case, one writer, at three levels: the app on its own (the offer, read-only mode, a
//! refused save shown), the event loop on `TestBackend` with an `Io` that refuses saves, and
//! two real tshoot processes on one case in one tmux server (told where the case is open,
//! read-only, take-over, the taken-over copy turning read-only, nothing lost unsaid).

use std::path::Path;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use tshoot::app::{App, Effect, Msg, OwnerChoice};
use tshoot::session::owner::Owner;
use tshoot::session::{Session, SessionError, Store};
use tshoot::tui::{Io, Saved};

use crate::common::{PATIENCE, Tmux, require, wait_until};

fn app() -> App {
    crate::common::bundled_app(100, 30)
}

fn key(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn press(app: &mut App, c: char) -> Option<Effect> {
    let msg = tshoot::input::message_for(app, &key(c))?;
    app.update(msg)
}

/// A case of AADSTS50143 with one answer, as saved by another copy.
fn saved_case(app: &mut App) -> Session {
    app.open_query("AADSTS50143");
    press(app, '2');
    let s = app.take_save().expect("a change to save");
    *app = self::app();
    s
}

fn other_owner() -> Owner {
    Owner {
        pid: 1234,
        host: tshoot::session::owner::host_name(),
        tty: "pts/3".into(),
        since: "2026-12-02T06:27:40Z".into(),
        proc_start: 1,
        version: "0.1.0".into(),
    }
}

fn screen_text(app: &App) -> String {
    let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
    t.draw(|f| tshoot::ui::draw(f, app)).unwrap();
    let b = t.backend().buffer();
    let mut s = String::new();
    for y in 0..b.area.height {
        for x in 0..b.area.width {
            s.push_str(b[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[test]
fn the_offer_says_where_and_since_when_and_read_only_changes_nothing() {
    let mut a = app();
    let s = saved_case(&mut a);
    a.offer(s.clone(), other_owner(), Some("work:1.0".into()));
    let shown = screen_text(&a);
    assert!(shown.contains("Case open elsewhere"), "{shown}");
    assert!(shown.contains("open in another"), "{shown}");
    assert!(
        shown.contains("tshoot on pts/3 since 06:27, pid 1234"),
        "{shown}"
    );
    assert!(
        shown.contains("switch to its tmux pane work:1.0"),
        "{shown}"
    );
    // Keys other than the choices do nothing while the offer is up.
    assert_eq!(tshoot::input::message_for(&a, &key('2')), None);
    press(&mut a, 'r');
    assert!(a.owner_offer.is_none());
    assert!(a.is_read_only());
    let w = a.wiz.as_ref().unwrap();
    assert_eq!(w.wizard.case, s.case);
    // An answer, a note typed, going back: each refused and said.
    let back = Event::Key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
    for (what, ev) in [("an answer", key('3')), ("going back", back)] {
        let msg = tshoot::input::message_for(&a, &ev).expect("a message");
        a.update(msg);
        assert!(
            status(&a).starts_with("read-only: this case is open in another tshoot on pts/3"),
            "{what}: {}",
            status(&a)
        );
        assert_eq!(
            a.wiz.as_ref().unwrap().wizard.case,
            s.case,
            "{what} changed the case"
        );
    }
    assert!(a.take_save().is_none(), "a read-only case is never saved");
    assert!(a.snapshot().is_none());
}

#[test]
fn cancel_and_take_over_and_switch() {
    let mut a = app();
    let s = saved_case(&mut a);
    a.offer(s.clone(), other_owner(), None);
    assert_eq!(
        tshoot::input::message_for(&a, &key('s')),
        None,
        "no pane: no switch"
    );
    press(&mut a, 'c');
    assert!(a.owner_offer.is_none() && a.wiz.is_none());
    assert!(
        status(&a).contains("stays open in another tshoot"),
        "{}",
        status(&a)
    );

    a.offer(s.clone(), other_owner(), Some("w:0.1".into()));
    assert_eq!(press(&mut a, 's'), Some(Effect::SwitchPane("w:0.1".into())));

    a.offer(s.clone(), other_owner(), None);
    assert_eq!(press(&mut a, 't'), Some(Effect::TakeOver(s.id.clone())));
    let mut newer = s.clone();
    newer.case.notes = "saved by the other copy meanwhile".into();
    a.update(Msg::TookOver(Ok(Some(Box::new(newer.clone())))));
    assert!(!a.is_read_only());
    assert_eq!(
        a.wiz.as_ref().unwrap().wizard.case,
        newer.case,
        "the case as on disk"
    );
    assert!(status(&a).contains("took case"), "{}", status(&a));
    // Failing to take over says so and opens nothing.
    let mut b = app();
    b.offer(s, other_owner(), None);
    b.update(Msg::Owner(OwnerChoice::TakeOver));
    b.update(Msg::TookOver(Err("disk full".into())));
    assert!(b.wiz.is_none());
    assert_eq!(status(&b), "could not take the case over: disk full");
}

/// An `Io` standing in for the store and the other copy: saves succeed until `refuse` is set,
/// then fail as after a take-over, with `disk` as the case saved by the other copy.
struct Contested {
    saves: Vec<Session>,
    refuse: bool,
    disk: Option<Session>,
}

impl Io for Contested {
    fn copy(&mut self, _: &str) -> (String, bool) {
        (String::new(), true)
    }
    fn save(&mut self, _: &Session) -> Result<(), SessionError> {
        unreachable!("the loop saves with save_based")
    }
    fn save_based(&mut self, s: &Session) -> Result<Saved, SessionError> {
        if self.refuse {
            return Err(SessionError::Owner(
                tshoot::session::owner::OwnerError::TakenOver {
                    id: s.id.clone(),
                    owner: Box::new(other_owner()),
                },
            ));
        }
        self.saves.push(s.clone());
        Ok(Saved {
            revision: s.revision + 1,
            notice: None,
        })
    }
    fn reload(&mut self, _: &str) -> Option<Session> {
        self.disk.clone()
    }
}

#[test]
fn a_copy_taken_over_shows_the_saved_case_turns_read_only_and_says_what_was_not_kept() {
    let mut a = app();
    a.open_query("AADSTS50143");
    let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let mut io = Contested {
        saves: Vec::new(),
        refuse: false,
        disk: None,
    };
    let mut events = vec![key('2')].into_iter();
    tshoot::tui::run_loop(&mut t, &mut a, || Ok(events.next()), &mut io, |_| {}).unwrap();
    assert_eq!(io.saves[0].revision, 0, "the answer, based on no file");
    let first = io.saves.last().unwrap().clone();
    assert_eq!(
        first.revision, 1,
        "the view at the end, based on the answer's save"
    );
    assert_eq!(
        a.wiz.as_ref().unwrap().session.revision,
        1,
        "told the new revision"
    );
    // The other copy took over and answered differently; this copy answers next.
    let mut theirs = first.clone();
    theirs.case.notes = "theirs".into();
    io.refuse = true;
    io.disk = Some(theirs.clone());
    let mut events = vec![key('3')].into_iter();
    tshoot::tui::run_loop(&mut t, &mut a, || Ok(events.next()), &mut io, |_| {}).unwrap();
    let w = a.wiz.as_ref().unwrap();
    assert_eq!(w.wizard.case, theirs.case, "the screen shows what is saved");
    assert!(a.is_read_only());
    let st = status(&a);
    assert!(
        st.starts_with("not saved: taken over by tshoot pid 1234 on pts/3; read-only"),
        "{st}"
    );
    assert!(st.ends_with("showing the saved case"), "{st}");
    assert_eq!(
        io.saves.len(),
        2,
        "only the first answer and the view at its end were saved"
    );
}

// ---------------------------------------------------------------------------------------------
// Two real tshoot processes on one case in one tmux server.

const TSHOOT: &str = env!("CARGO_BIN_EXE_tshoot");

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn command(data: &Path, args: &str) -> String {
    format!(
        "HOME={d} XDG_CONFIG_HOME={d}/config TSHOOT_DATA_DIR={d}/data {} {args}; echo EXITED:$?; sleep 600",
        shell_quote(TSHOOT),
        d = shell_quote(&data.display().to_string())
    )
}

struct Pane<'a> {
    tmux: &'a Tmux,
    target: String,
}

impl Pane<'_> {
    fn capture(&self) -> String {
        let out = self
            .tmux
            .tmux(&["capture-pane", "-p", "-J", "-t", &self.target]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
    fn wait(&self, text: &str) -> String {
        let mut last = String::new();
        let ok = wait_until(PATIENCE, || {
            last = self.capture();
            last.contains(text)
        });
        assert!(
            ok,
            "{}: waited for {text:?}; the pane shows:\n{last}",
            self.target
        );
        last
    }
    fn key(&self, k: &str) {
        let out = self.tmux.tmux(&["send-keys", "-t", &self.target, k]);
        assert!(out.status.success(), "send-keys {k}");
    }
    fn pid(&self) -> u32 {
        // The pane runs `sh -c`; tshoot is its child.
        let out = self
            .tmux
            .tmux(&["display-message", "-p", "-t", &self.target, "#{pane_pid}"]);
        let sh: u32 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
        let mut found = None;
        wait_until(PATIENCE, || {
            found = crate::common::tshoot_child_of(sh);
            found.is_some()
        });
        found.expect("tshoot in the pane")
    }
}

fn the_case(store: &Store) -> Session {
    let (all, bad) = store.list().unwrap();
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(all.len(), 1, "one case");
    all.into_iter().next().unwrap()
}

#[test]
fn two_real_tshoots_on_one_case_in_tmux() {
    if !require(&["tmux"], "apt-get install tmux") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let store = Store {
        dir: tmp.path().join("data/sessions"),
    };
    let tmux = Tmux::start(100, 30, "owner", &command(tmp.path(), "AADSTS50143"));
    let name = String::from_utf8_lossy(
        &tmux
            .tmux(&["display-message", "-p", "#{session_name}"])
            .stdout,
    )
    .trim()
    .to_owned();
    let a = Pane {
        tmux: &tmux,
        target: format!("{name}:0.0"),
    };
    a.wait("Step 1 of 3");
    a.key("2");
    a.wait("Step 2 of 3");
    let a_pid = a.pid();
    assert!(
        wait_until(PATIENCE, || tshoot::session::owner::read(
            &store,
            &the_case(&store).id
        )
        .is_some_and(|o| o.pid == a_pid)),
        "A holds the case"
    );
    let id = the_case(&store).id;

    // B: `tshoot resume` in another window of the same server is told where the case is open.
    let out = tmux.tmux(&[
        "new-window",
        "-t",
        &format!("{name}:"),
        &command(tmp.path(), "resume"),
    ]);
    assert!(out.status.success());
    let b = Pane {
        tmux: &tmux,
        target: format!("{name}:1.0"),
    };
    // The overlay may be captured while it is being drawn: wait for each part of it.
    b.wait("Case open elsewhere");
    b.wait(&format!("pid {a_pid}"));
    let s = b.wait(&format!("switch to its tmux pane {name}:0.0"));
    assert!(s.contains("tshoot on pts/"), "{s}");

    // Read-only: an answer is refused and the file does not change.
    b.key("r");
    b.wait("Step 2 of 3");
    b.key("3");
    b.wait("read-only: this case is open in another tshoot");
    assert_eq!(the_case(&store).case.trail.len(), 1);
    b.key("q");
    b.wait("EXITED:0");
    assert_eq!(
        tshoot::session::owner::read(&store, &id).map(|o| o.pid),
        Some(a_pid),
        "B left A's record alone"
    );

    // Take-over: B answers step 2; the record and the file are B's.
    tmux.tmux(&[
        "respawn-window",
        "-k",
        "-t",
        &format!("{name}:1"),
        &command(tmp.path(), "resume"),
    ]);
    b.wait("Case open elsewhere");
    b.key("t");
    b.wait("took case");
    b.key("3");
    b.wait("Step 3 of 3");
    let b_pid = b.pid();
    assert!(wait_until(PATIENCE, || the_case(&store).case.trail.len() == 2));
    assert_eq!(
        tshoot::session::owner::read(&store, &id).map(|o| o.pid),
        Some(b_pid)
    );
    let bs_answer = the_case(&store).case.trail[1].answer;

    // A answers step 2 differently: refused, told why, shown B's case, read-only.
    a.key("1");
    let s = a.wait("not saved: taken over by tshoot pid");
    assert!(s.contains(&format!("pid {b_pid} on pts/")), "{s}");
    a.wait("Step 3 of 3");
    let saved = the_case(&store);
    assert_eq!(saved.case.trail.len(), 2);
    assert_eq!(saved.case.trail[1].answer, bs_answer, "B's answer kept");
    a.key("1");
    a.wait("read-only: this case is taken over by the tshoot on pts/");

    // Both quit: the case holds B's answers, and no owner record is left.
    a.key("q");
    a.wait("EXITED:0");
    assert_eq!(
        the_case(&store).case.trail[1].answer,
        bs_answer,
        "A's quit did not overwrite"
    );
    b.key("q");
    b.wait("EXITED:0");
    assert!(
        tshoot::session::owner::read(&store, &id).is_none(),
        "records released"
    );
}

#[test]
fn the_picker_offers_a_case_that_a_live_tshoot_holds() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store {
        dir: tmp.path().join("sessions"),
    };
    let mut a = app();
    let s = saved_case(&mut a);
    store.save(&s).unwrap();
    // The test's parent process stands in for the other tshoot: alive, on this host.
    let ppid = tshoot::session::owner::parent_of(std::process::id()).unwrap();
    let other = Owner {
        pid: ppid,
        proc_start: tshoot::session::owner::proc_state(ppid).unwrap().1,
        ..other_owner()
    };
    std::fs::write(
        tshoot::session::owner::owner_path(&store, &s.id),
        serde_json::to_vec(&other).unwrap(),
    )
    .unwrap();
    a.store = Some(store.clone());
    a.sessions = vec![s.clone()];
    a.picker.set_sessions(&a.catalog, &a.sessions);
    a.update(Msg::Open);
    let offer = a.owner_offer.as_ref().expect("the offer, not the case");
    assert_eq!(offer.owner, other);
    assert!(a.wiz.is_none());
    // With the record gone (that tshoot ended), the same choice opens the case.
    a.update(Msg::Owner(OwnerChoice::Cancel));
    std::fs::remove_file(tshoot::session::owner::owner_path(&store, &s.id)).unwrap();
    a.update(Msg::Open);
    assert!(a.owner_offer.is_none());
    assert_eq!(a.wiz.as_ref().unwrap().session.id, s.id);
}
