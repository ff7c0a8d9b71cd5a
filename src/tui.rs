//! The terminal: set-up, the event loop, and every way out restoring the terminal.
//!
//! What is awkward here, and why it is done this way (each fact checked against the real
//! terminal, tmux and sshd):
//! - After an SSH hang-up crossterm's `event::read` never returns and spins, so a flag checked
//!   by the loop would never be seen. SIGHUP and SIGTERM are handled on their own thread, which
//!   restores what it can and ends the process; a watchdog thread ends it too when standard
//!   input stops being a terminal (a hang-up with no signal).
//! - `ratatui::restore` does not undo mouse reporting or bracketed paste, nor show the cursor
//!   (only `Terminal`'s `Drop` does, and a signal or panic exit never drops it), so every exit
//!   path writes those resets itself.
//! - The signal handlers are installed before the terminal is touched, and the set-up holds a
//!   lock the signal path waits for: a hang-up in the middle of it once ended tshoot by the
//!   default action with the terminal left raw, or (SIGHUP ignored by the parent) was lost
//!   and left it running. The restore on the signal path gets 300 ms, then the process ends.
//! - Saves go through [`Io::save_based`]: the case's owner record is claimed and the revision
//!   checked; a refusal (another copy saved or took the case over) reaches the app as
//!   [`Msg::Conflict`] with the case as saved, never as a silent overwrite.
//! - Mouse reporting is asked for as button events only (modes 1000 + 1006), not crossterm's
//!   `EnableMouseCapture`, which also asks for every motion: that would wake the loop and send
//!   bytes on every mouse move.

use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event};

use std::sync::{Mutex, PoisonError};

use crate::app::{App, Effect, Msg};
use crate::session::{Session, Store};

/// Mouse button reporting (press, release, wheel) in SGR encoding.
const MOUSE_ON: &str = "\x1b[?1000h\x1b[?1006h";
const MOUSE_OFF: &str = "\x1b[?1006l\x1b[?1000l";
const PASTE_ON: &str = "\x1b[?2004h";
const PASTE_OFF: &str = "\x1b[?2004l";
/// Show the cursor. `ratatui::restore` does not; on a normal quit the `Terminal`'s `Drop`
/// does, but the signal and panic paths never drop it.
const CURSOR_ON: &str = "\x1b[?25h";

/// Set while the terminal is in the wizard's modes, so exit paths restore it once.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Held while the terminal is being set up; the signal path takes it before restoring.
static SETUP: Mutex<()> = Mutex::new(());

/// The longest the signal path waits for the terminal to take the restoring bytes. A
/// terminal nobody reads (a pseudo-terminal left open, a stopped `ssh`) blocks a write for
/// ever once its buffer is full; the process must end anyway, the case being saved first.
const RESTORE_PATIENCE: Duration = Duration::from_millis(300);

/// The side effects the loop carries out for the app: copying a ticket and saving the case.
/// The real one talks to the clipboard methods and the session store; tests use their own.
pub trait Io {
    /// Copy `text`; returns the status line and whether it worked.
    fn copy(&mut self, text: &str) -> (String, bool);
    /// Save the case; an error is shown in the status line and the case stays in memory.
    fn save(&mut self, session: &Session) -> Result<(), crate::session::SessionError>;
    /// Save the case as the revision after `session.revision` (refused when the file moved
    /// on: see [`Store::save_based`]). By default [`Io::save`], counting revisions in memory.
    fn save_based(&mut self, session: &Session) -> Result<Saved, crate::session::SessionError> {
        self.save(session).map(|()| Saved {
            revision: session.revision + 1,
            notice: None,
        })
    }
    /// A case is open for writing from now on: take its owner record. A notice (a stale
    /// record taken over) to show, if any.
    fn open_case(&mut self, _id: &str) -> Result<Option<String>, crate::session::SessionError> {
        Ok(None)
    }
    /// The case as saved on disk now, after a refused save.
    fn reload(&mut self, _id: &str) -> Option<Session> {
        None
    }
    /// Take case `id` over from the tshoot that has it open; the case as on disk.
    fn take_over(&mut self, _id: &str) -> Result<Option<Session>, crate::session::SessionError> {
        Ok(None)
    }
    /// Switch the tmux client to `target`; why not, when it did not.
    fn switch_pane(&mut self, _target: &str) -> Result<(), String> {
        Err("not in tmux".into())
    }
}

/// A save that went through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub revision: u64,
    /// Said in the status line (a stale owner record taken over).
    pub notice: Option<String>,
}

/// The latest state of the open case and where it is saved, for the signal thread.
static LATEST: Mutex<Option<(Store, Session)>> = Mutex::new(None);

/// The real side effects.
pub struct RealIo {
    env: crate::ticket::clipboard::Env,
    ticket_dir: std::path::PathBuf,
    method: crate::ticket::clipboard::Method,
    store: Result<Store, crate::session::SessionError>,
    /// The case as last given to `save` when that save failed (full or read-only disk, no
    /// data folder), with the reason; printed when the wizard ends so nothing is lost.
    unsaved: Option<(Session, String)>,
    /// The cases this process has open for writing; dropped (records removed) at the end.
    claims: Vec<crate::session::owner::Claim>,
}

/// How the wizard ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The open case, if any, is saved.
    Saved,
    /// The last save of the open case failed: the case was printed on standard output.
    Unsaved,
}

impl RealIo {
    pub fn new(
        method: crate::ticket::clipboard::Method,
        store: Result<Store, crate::session::SessionError>,
    ) -> Self {
        Self {
            env: crate::ticket::clipboard::Env::from_env(),
            ticket_dir: crate::ticket::clipboard::default_ticket_dir(),
            method,
            store,
            unsaved: None,
            claims: Vec::new(),
        }
    }
}

impl Io for RealIo {
    fn copy(&mut self, text: &str) -> (String, bool) {
        // OSC 52 goes to the terminal itself, between frames.
        let report = crate::ticket::clipboard::copy(
            text,
            self.method,
            &self.env,
            &mut io::stdout(),
            &self.ticket_dir,
        );
        (report.summary(), report.ok())
    }

    fn save(&mut self, session: &Session) -> Result<(), crate::session::SessionError> {
        self.save_based(session).map(|_| ())
    }

    fn save_based(&mut self, session: &Session) -> Result<Saved, crate::session::SessionError> {
        let result = match self.store.as_ref().ok().cloned() {
            Some(store) => {
                if let Ok(mut latest) = LATEST.lock() {
                    *latest = Some((store.clone(), session.clone()));
                }
                self.claim(&store, &session.id).and_then(|notice| {
                    let revision = store.save_based(session)?;
                    if let Ok(mut latest) = LATEST.lock() {
                        let mut now = session.clone();
                        now.revision = revision;
                        *latest = Some((store, now));
                    }
                    Ok(Saved { revision, notice })
                })
            }
            None => Err(crate::session::SessionError::NoDataFolder),
        };
        self.unsaved = result
            .as_ref()
            .err()
            .map(|e| (session.clone(), e.to_string()));
        result
    }

    fn open_case(&mut self, id: &str) -> Result<Option<String>, crate::session::SessionError> {
        match self.store.as_ref().ok().cloned() {
            Some(store) => self.claim(&store, id),
            None => Ok(None),
        }
    }

    fn reload(&mut self, id: &str) -> Option<Session> {
        let store = self.store.as_ref().ok()?;
        Store::load_file(&store.path_of(id)).ok()
    }

    fn take_over(&mut self, id: &str) -> Result<Option<Session>, crate::session::SessionError> {
        let store = self
            .store
            .as_ref()
            .map_err(|_| crate::session::SessionError::NoDataFolder)?;
        let claim =
            crate::session::owner::Claim::take_over(store, id, &crate::clock::now_rfc3339())?;
        self.claims.retain(|c| c.id != id);
        self.claims.push(claim);
        Ok(Store::load_file(&store.path_of(id)).ok())
    }

    fn switch_pane(&mut self, target: &str) -> Result<(), String> {
        let out = std::process::Command::new("tmux")
            .args(["switch-client", "-t", target])
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|e| format!("cannot run tmux: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(crate::text::sanitize(
                String::from_utf8_lossy(&out.stderr).trim(),
            ))
        }
    }
}

impl RealIo {
    /// Hold case `id`'s owner record: checked when held already (taken over since?), else
    /// taken (a stale one replaced, which the notice says).
    fn claim(
        &mut self,
        store: &Store,
        id: &str,
    ) -> Result<Option<String>, crate::session::SessionError> {
        if let Some(c) = self.claims.iter().find(|c| c.id == id) {
            c.check()?;
            return Ok(None);
        }
        let claim =
            match crate::session::owner::Claim::acquire(store, id, &crate::clock::now_rfc3339()) {
                Ok(c) => c,
                // No room for the record (full or read-only disk): the save says what is
                // wrong in its own words, and the revision check still guards the file. The
                // record is tried again at the next save.
                Err(crate::session::owner::OwnerError::Io { .. }) => return Ok(None),
                Err(e) => return Err(e.into()),
            };
        let notice = claim.took_over.as_ref().map(|o| {
            format!(
                "case {id} was left open by a tshoot that is gone (pid {}, on {}): this copy has it now",
                o.pid,
                crate::text::sanitize(&o.tty)
            )
        });
        self.claims.push(claim);
        Ok(notice)
    }
}

/// Run the app in the real terminal until the user quits. When the open case could not be
/// saved at the end, it is printed (Markdown, on standard output) once the terminal is back.
pub fn run(mut app: App, mut io_: RealIo) -> io::Result<Ended> {
    install_panic_hook();
    // Signals are taken before the terminal changes, and the set-up runs under `SETUP`: a
    // signal that arrives half-way waits for it to finish, then restores all of it. (Taken
    // after, a signal in between ended the process by its default action with the terminal
    // left raw and on the alternate screen.)
    spawn_signal_thread();
    let setup = SETUP.lock().unwrap_or_else(PoisonError::into_inner);
    ACTIVE.store(true, Ordering::SeqCst);
    ratatui::crossterm::terminal::enable_raw_mode()?;
    if !io_.env.tmux {
        // Outside tmux only the terminal itself can say what it is (inside, tmux is asked).
        io_.env.version = crate::term::query_version();
    }
    let mut out = io::stdout();
    ratatui::crossterm::execute!(out, ratatui::crossterm::terminal::EnterAlternateScreen)?;
    let mut terminal = Terminal::new(crate::term::LeanBackend::new(io::stdout()))?;
    if app.mouse {
        out.write_all(MOUSE_ON.as_bytes())?;
    }
    out.write_all(PASTE_ON.as_bytes())?;
    out.flush()?;
    drop(setup);
    spawn_watchdog();
    // crossterm starts listening for SIGWINCH when events are first polled. Start it before
    // the loop reads the size and draws the first frame; otherwise a resize in between is lost
    // and the screen keeps the old size until the next one.
    event::poll(Duration::ZERO)?;
    let store = io_.store.as_ref().ok().cloned();
    let preview = app.preview.is_some();
    let result = run_loop(
        &mut terminal,
        &mut app,
        || next_event(preview),
        &mut io_,
        |s| {
            // Keep the signal thread's copy current (selection included) without touching the disk.
            if let (Some(store), Ok(mut latest)) = (&store, LATEST.lock()) {
                *latest = Some((store.clone(), s.clone()));
            }
        },
    );
    // The last state is saved. Wait for a signal-path save in progress (the signal thread then
    // ends the process), and leave it nothing to write that exiting could cut short.
    *LATEST.lock().unwrap_or_else(PoisonError::into_inner) = None;
    restore();
    if let Some((session, why)) = io_.unsaved.take() {
        rescue(
            &app,
            &session,
            &why,
            &mut crate::plain::Plain::new(io::stdout()),
            &mut crate::plain::Plain::new(io::stderr()),
        );
        return result.map(|()| Ended::Unsaved);
    }
    result.map(|()| Ended::Saved)
}

/// Print a case that could not be saved, so that it is not lost: the reason on `err`, the
/// case as Markdown (the `tshoot export` format) on `out`.
pub fn rescue(app: &App, session: &Session, why: &str, out: &mut dyn Write, err: &mut dyn Write) {
    let guide = app
        .lib
        .index_of(&session.case.guide_id)
        .map(|i| &app.lib.guides[i].guide);
    let _ = writeln!(
        err,
        "tshoot: {why}\ntshoot: case {} follows on standard output, so that nothing is lost",
        session.id
    );
    let _ = out.write_all(crate::session::export::markdown(session, guide).as_bytes());
    let _ = out.flush();
}

/// In `tshoot preview`, the longest the loop waits for input before it looks at the guide file.
pub const PREVIEW_POLL: Duration = Duration::from_millis(300);

/// The next terminal event. Outside preview this blocks; in preview a wait longer than
/// [`PREVIEW_POLL`] yields [`Event::FocusGained`], which the app ignores (focus reporting is
/// never turned on), so that the loop wakes up to look at the file.
fn next_event(preview: bool) -> io::Result<Option<Event>> {
    if preview && !event::poll(PREVIEW_POLL)? {
        return Ok(Some(Event::FocusGained));
    }
    event::read().map(Some)
}

/// The event loop, generic over the backend so whole flows run in tests. `next` yields events;
/// `None` ends the loop. Takes the app's size from the terminal, then draws once at start and
/// after each event that changed something.
/// Saves the case after every change to it, and once more (with the view) at the end;
/// `latest` is told the state after every event. The last save happens however the loop
/// ends, a terminal error included (after a hang-up, reads and draws fail).
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    next: impl FnMut() -> io::Result<Option<Event>>,
    io_: &mut dyn Io,
    latest: impl FnMut(&Session),
) -> io::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let result = event_loop(terminal, app, next, io_, latest);
    if let Some(s) = app.snapshot() {
        let _ = io_.save_based(&s);
    }
    result
}

fn event_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    mut next: impl FnMut() -> io::Result<Option<Event>>,
    io_: &mut dyn Io,
    mut latest: impl FnMut(&Session),
) -> io::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let size = terminal.size().map_err(io_error)?;
    app.size = (size.width, size.height);
    terminal
        .draw(|f| crate::ui::draw(f, app))
        .map_err(io_error)?;
    let mut quit = false;
    let mut open_id = None;
    claim_open_case(app, io_, &mut open_id);
    while let Some(ev) = next()? {
        // Preview: a saved guide file is reloaded between events.
        if let Some(reload) = app
            .preview
            .as_mut()
            .and_then(crate::authoring::preview::Preview::poll)
        {
            app.update(Msg::Reloaded(reload));
            terminal
                .draw(|f| crate::ui::draw(f, app))
                .map_err(io_error)?;
        }
        let Some(msg) = crate::input::message_for(app, &ev) else {
            continue;
        };
        match app.update(msg) {
            Some(Effect::Quit) => quit = true,
            Some(Effect::Copy(text)) => {
                let (summary, ok) = io_.copy(&text);
                app.update(Msg::Copied { summary, ok });
                // Bytes went to the terminal outside ratatui's knowledge: redraw all.
                terminal.clear().map_err(io_error)?;
            }
            Some(Effect::TakeOver(id)) => {
                let r = io_.take_over(&id);
                app.update(Msg::TookOver(
                    r.map(|s| s.map(Box::new)).map_err(|e| e.to_string()),
                ));
                // Claimed already: the loop does not take it again.
                open_id = app.wiz.as_ref().map(|w| w.session.id.clone());
            }
            Some(Effect::SwitchPane(target)) => match io_.switch_pane(&target) {
                Ok(()) => quit = true,
                Err(why) => {
                    app.update(Msg::NotSaved(format!(
                        "could not switch to tmux pane {}: {why}",
                        crate::text::sanitize(&target)
                    )));
                }
            },
            None => {}
        }
        claim_open_case(app, io_, &mut open_id);
        if let Some(s) = app.take_save() {
            match io_.save_based(&s) {
                Ok(Saved { revision, notice }) => {
                    app.update(Msg::Saved { revision, notice });
                }
                Err(e) => refused(app, io_, &s.id, &e),
            }
        }
        if let Some(s) = app.snapshot() {
            latest(&s);
        }
        if quit {
            return Ok(());
        }
        terminal
            .draw(|f| crate::ui::draw(f, app))
            .map_err(io_error)?;
    }
    Ok(())
}

/// When the case shown changed (opened, resumed, taken over), take its owner record. A case
/// opened new has no file yet: its record is taken at its first save.
fn claim_open_case(app: &mut App, io_: &mut dyn Io, open_id: &mut Option<String>) {
    let id = app
        .wiz
        .as_ref()
        .filter(|w| w.on_disk && w.read_only.is_none())
        .map(|w| w.session.id.clone());
    if id.is_none() || id == *open_id {
        return;
    }
    open_id.clone_from(&id);
    if let Some(id) = id {
        match io_.open_case(&id) {
            Ok(Some(notice)) => {
                app.update(Msg::Saved {
                    revision: app.wiz.as_ref().map_or(0, |w| w.session.revision),
                    notice: Some(notice),
                });
            }
            Ok(None) => {}
            Err(e) => refused(app, io_, &id, &e),
        }
    }
}

/// A save (or a claim) was refused or failed: tell the app, with the case as on disk when
/// another tshoot saved it or holds it.
fn refused(app: &mut App, io_: &mut dyn Io, id: &str, e: &crate::session::SessionError) {
    use crate::session::SessionError;
    use crate::session::owner::OwnerError;
    // Short enough for one status line: the reason first, then what the screen shows.
    let (why, read_only) = match e {
        SessionError::Owner(OwnerError::TakenOver { owner, .. }) => (
            format!(
                "not saved: taken over by tshoot pid {} on {}; read-only, showing the saved case",
                owner.pid,
                crate::text::sanitize(&owner.tty)
            ),
            Some(format!(
                "taken over by the tshoot {}",
                owner.describe_short()
            )),
        ),
        SessionError::Owner(OwnerError::Held { owner, .. }) => (
            format!(
                "not saved: open in tshoot pid {} on {}; read-only, showing the saved case",
                owner.pid,
                crate::text::sanitize(&owner.tty)
            ),
            Some(owner.describe()),
        ),
        SessionError::Stale { disk, .. } => (
            format!(
                "not saved: another tshoot saved this case first (revision {disk}); showing it, redo your change"
            ),
            None,
        ),
        SessionError::NoDataFolder => {
            app.update(Msg::NotSaved(format!(
                "{e}; this case is kept in memory: copy the ticket (y)"
            )));
            return;
        }
        _ => {
            app.update(Msg::NotSaved(e.to_string()));
            return;
        }
    };
    let disk = io_.reload(id).map(Box::new);
    app.update(Msg::Conflict {
        why,
        disk,
        read_only,
    });
}

/// A backend's error as an `io::Error`, unwrapped when it is one (the crossterm backend's is).
/// `TestBackend`'s error is `Infallible`, which has no `From` into `io::Error`: a bound of
/// `io::Error: From<B::Error>` would keep the loop from running on it at all.
fn io_error<E: std::error::Error + Send + Sync + 'static>(e: E) -> io::Error {
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(e);
    match boxed.downcast::<io::Error>() {
        Ok(io) => *io,
        Err(other) => io::Error::other(other),
    }
}

/// The signal and watchdog paths: save the latest state of the open case, restore the
/// terminal, end the process with `code`.
///
/// `LATEST` stays locked from before the save until the process is gone: the event loop
/// cannot hand over (and start writing) a newer state that the exit would cut short, nor can
/// an older state taken here overwrite a newer one the loop saved meanwhile; a second caller
/// (the watchdog after a signal) waits here until the process ends. `SAVE_LOCK` is held from
/// after the save to the end likewise, so no write is in progress when the process ends.
fn shut_down(code: i32) -> ! {
    let mut latest = LATEST.lock().unwrap_or_else(PoisonError::into_inner);
    // Save first: after a hang-up, writes to the terminal fail.
    // Not over another copy's work: not when another live tshoot holds the case (this copy
    // was taken over), and not based on an older revision than the file's.
    if let Some((store, session)) = latest.take()
        && crate::session::owner::holder(&store, &session.id).is_none()
    {
        let _ = store.save_based(&session);
    }
    crate::session::owner::release_all();
    // A save the loop had already begun is let finish; none begins after.
    let _writes = crate::session::SAVE_LOCK
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    // A set-up in progress is let finish, so that the restore undoes all of it.
    let _setup = SETUP.lock().unwrap_or_else(PoisonError::into_inner);
    restore_within(RESTORE_PATIENCE);
    std::process::exit(code);
}

/// [`restore`] on its own thread, waited for at most `patience`: the writes may block on a
/// terminal that is not read, or on standard output's lock held by a thread blocked so.
fn restore_within(patience: Duration) {
    let (done, wait) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("restore".into())
        .spawn(move || {
            restore();
            let _ = done.send(());
        });
    if spawned.is_ok() {
        let _ = wait.recv_timeout(patience);
    }
}

/// Put the terminal back as it was: mouse and paste off, cursor shown, alternate screen left,
/// raw mode off. Safe to call more than once and from any thread.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let mut out = io::stdout();
        let _ = out.write_all(format!("{MOUSE_OFF}{PASTE_OFF}\x1b[0m{CURSOR_ON}").as_bytes());
        let _ = out.flush();
        // Not `ratatui::restore`: it reports a failure with `eprintln!`, which panics when
        // stderr is the terminal that just hung up. That killed the signal or watchdog thread
        // before it could end the process, leaving the main thread spinning for ever.
        let _ = ratatui::crossterm::terminal::disable_raw_mode();
        let _ =
            ratatui::crossterm::execute!(out, ratatui::crossterm::terminal::LeaveAlternateScreen);
    }
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    // Restore the terminal (mouse, paste, alternate screen, raw mode, cursor), then print the
    // panic as usual, so the message lands on the engineer's normal screen.
    std::panic::set_hook(Box::new(move |info| {
        restore();
        crate::session::owner::release_all();
        previous(info);
    }));
}

fn spawn_signal_thread() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGHUP, SIGTERM, SIGINT]) else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(sig) = signals.forever().next() {
                shut_down(128 + sig);
            }
        });
}

/// Ends the process when the terminal goes away without a signal (the spinning case).
fn spawn_watchdog() {
    let _ = std::thread::Builder::new()
        .name("watchdog".into())
        .spawn(|| {
            // `tshoot --paste -` reads the paste from a pipe and the keys from /dev/tty: then
            // standard output is the terminal to watch.
            let stdin_is_tty = io::stdin().is_terminal();
            loop {
                std::thread::sleep(Duration::from_secs(1));
                let alive = if stdin_is_tty {
                    io::stdin().is_terminal()
                } else {
                    io::stdout().is_terminal()
                };
                if !alive {
                    shut_down(129);
                }
            }
        });
}
