//! The terminal: set-up, the event loop, and every way out restoring the terminal.
//!
//! What is awkward here, and why it is done this way (see shared PITFALLS):
//! - After an SSH hang-up crossterm's `event::read` never returns and spins, so a flag checked
//!   by the loop would never be seen. SIGHUP and SIGTERM are handled on their own thread, which
//!   restores what it can and ends the process; a watchdog thread ends it too when standard
//!   input stops being a terminal (a hang-up with no signal).
//! - `ratatui::restore` does not undo mouse reporting or bracketed paste, so every exit path
//!   writes those resets itself.
//! - Mouse reporting is asked for as button events only (modes 1000 + 1006), not crossterm's
//!   `EnableMouseCapture`, which also asks for every motion: that would wake the loop and send
//!   bytes on every mouse move.

use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event};

use std::sync::Mutex;

use crate::app::{App, Effect};
use crate::session::{Session, Store};

/// Mouse button reporting (press, release, wheel) in SGR encoding.
const MOUSE_ON: &str = "\x1b[?1000h\x1b[?1006h";
const MOUSE_OFF: &str = "\x1b[?1006l\x1b[?1000l";
const PASTE_ON: &str = "\x1b[?2004h";
const PASTE_OFF: &str = "\x1b[?2004l";

/// Set while the terminal is in the wizard's modes, so exit paths restore it once.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// The side effects the loop carries out for the app: copying a ticket and saving the case.
/// The real one talks to the clipboard methods and the session store; tests use their own.
pub trait Io {
    /// Copy `text`; returns the status line and whether it worked.
    fn copy(&mut self, text: &str) -> (String, bool);
    /// Save the case; an error is shown in the status line and the case stays in memory.
    fn save(&mut self, session: &Session) -> Result<(), String>;
}

/// The latest state of the open case and where it is saved, for the signal thread.
static LATEST: Mutex<Option<(Store, Session)>> = Mutex::new(None);

/// The real side effects.
pub struct RealIo {
    env: crate::ticket::clipboard::Env,
    ticket_dir: std::path::PathBuf,
    method: crate::ticket::clipboard::Method,
    store: Option<Store>,
}

impl RealIo {
    pub fn new(method: crate::ticket::clipboard::Method, store: Option<Store>) -> Self {
        Self {
            env: crate::ticket::clipboard::Env::from_env(),
            ticket_dir: crate::ticket::clipboard::default_ticket_dir(),
            method,
            store,
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

    fn save(&mut self, session: &Session) -> Result<(), String> {
        let Some(store) = &self.store else {
            return Err("no data folder on this system: the case is not saved".into());
        };
        if let Ok(mut latest) = LATEST.lock() {
            *latest = Some((store.clone(), session.clone()));
        }
        store.save(session).map(|_| ()).map_err(|e| e.to_string())
    }
}

/// Run the app in the real terminal until the user quits.
pub fn run(mut app: App, mut io_: RealIo) -> io::Result<()> {
    install_panic_hook();
    let mut terminal = ratatui::try_init()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let mut out = io::stdout();
    if app.mouse {
        out.write_all(MOUSE_ON.as_bytes())?;
    }
    out.write_all(PASTE_ON.as_bytes())?;
    out.flush()?;
    spawn_signal_thread();
    spawn_watchdog();
    let size = terminal.size()?;
    app.size = (size.width, size.height);
    let store = io_.store.clone();
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
    restore();
    result
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
/// `None` ends the loop. Draws once at start and after each event that changed something.
/// Saves the case after every change to it, and once more (with the view) at the end;
/// `latest` is told the state after every event.
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    mut next: impl FnMut() -> io::Result<Option<Event>>,
    io_: &mut dyn Io,
    mut latest: impl FnMut(&Session),
) -> io::Result<()>
where
    io::Error: From<B::Error>,
{
    terminal.draw(|f| crate::ui::draw(f, app))?;
    let mut quit = false;
    while let Some(ev) = next()? {
        // Preview: a saved guide file is reloaded between events.
        if let Some(reload) = app
            .preview
            .as_mut()
            .and_then(crate::authoring::preview::Preview::poll)
        {
            crate::authoring::preview::apply(app, reload);
            terminal.draw(|f| crate::ui::draw(f, app))?;
        }
        let Some(msg) = app.message_for(&ev) else {
            continue;
        };
        match app.update(msg) {
            Some(Effect::Quit) => quit = true,
            Some(Effect::Copy(text)) => {
                let (summary, ok) = io_.copy(&text);
                app.copied(summary, ok);
                // OSC 52 bytes went to the terminal outside ratatui's knowledge: redraw all.
                terminal.clear()?;
            }
            None => {}
        }
        if let Some(s) = app.take_save()
            && let Err(e) = io_.save(&s)
        {
            app.copied(e, false);
        }
        if let Some(s) = app.snapshot() {
            latest(&s);
            if quit {
                let _ = io_.save(&s);
            }
        }
        if quit {
            return Ok(());
        }
        terminal.draw(|f| crate::ui::draw(f, app))?;
    }
    if let Some(s) = app.snapshot() {
        let _ = io_.save(&s);
    }
    Ok(())
}

/// Save the latest state of the open case, if any (signal and watchdog paths).
fn save_latest() {
    let taken = LATEST.lock().ok().and_then(|mut l| l.take());
    if let Some((store, session)) = taken {
        let _ = store.save(&session);
    }
}

/// Put the terminal back as it was: mouse and paste off, alternate screen left, raw mode off,
/// cursor shown. Safe to call more than once and from any thread.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let mut out = io::stdout();
        let _ = out.write_all(format!("{MOUSE_OFF}{PASTE_OFF}").as_bytes());
        let _ = out.flush();
        ratatui::restore();
    }
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    // Runs after ratatui's own hook (installed later by `try_init`) has left the alternate
    // screen and raw mode: turn mouse and paste off, then print the panic as usual.
    std::panic::set_hook(Box::new(move |info| {
        let mut out = io::stdout();
        let _ = out.write_all(format!("{MOUSE_OFF}{PASTE_OFF}").as_bytes());
        let _ = out.flush();
        ACTIVE.store(false, Ordering::SeqCst);
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
                // Save first: after a hang-up, writes to the terminal fail.
                save_latest();
                restore();
                std::process::exit(128 + sig);
            }
        });
}

/// Ends the process when the terminal goes away without a signal (the spinning case).
fn spawn_watchdog() {
    let _ = std::thread::Builder::new()
        .name("watchdog".into())
        .spawn(|| {
            loop {
                std::thread::sleep(Duration::from_secs(1));
                if !io::stdin().is_terminal() {
                    save_latest();
                    restore();
                    std::process::exit(129);
                }
            }
        });
}
