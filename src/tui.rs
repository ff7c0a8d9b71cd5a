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

use crate::app::{App, Effect};

/// Mouse button reporting (press, release, wheel) in SGR encoding.
const MOUSE_ON: &str = "\x1b[?1000h\x1b[?1006h";
const MOUSE_OFF: &str = "\x1b[?1006l\x1b[?1000l";
const PASTE_ON: &str = "\x1b[?2004h";
const PASTE_OFF: &str = "\x1b[?2004l";

/// Set while the terminal is in the wizard's modes, so exit paths restore it once.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Run the app in the real terminal until the user quits.
pub fn run(mut app: App) -> io::Result<()> {
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
    let env = crate::ticket::clipboard::Env::from_env();
    let dir = crate::ticket::clipboard::default_ticket_dir();
    let method = app.copy_method;
    let copy = move |text: &str| {
        // OSC 52 goes to the terminal itself, between frames.
        let report = crate::ticket::clipboard::copy(text, method, &env, &mut io::stdout(), &dir);
        (report.summary(), report.ok())
    };
    let result = run_loop(&mut terminal, &mut app, || event::read().map(Some), copy);
    restore();
    result
}

/// The event loop, generic over the backend so whole flows run in tests. `next` yields events;
/// `None` ends the loop. Draws once at start and after each event that changed something.
/// `copy` carries out [`Effect::Copy`] and returns the status line and whether it worked.
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    mut next: impl FnMut() -> io::Result<Option<Event>>,
    mut copy: impl FnMut(&str) -> (String, bool),
) -> io::Result<()>
where
    io::Error: From<B::Error>,
{
    terminal.draw(|f| crate::ui::draw(f, app))?;
    while let Some(ev) = next()? {
        let Some(msg) = app.message_for(&ev) else {
            continue;
        };
        match app.update(msg) {
            Some(Effect::Quit) => return Ok(()),
            Some(Effect::Copy(text)) => {
                let (summary, ok) = copy(&text);
                app.copied(summary, ok);
                // OSC 52 bytes went to the terminal outside ratatui's knowledge: redraw all.
                terminal.clear()?;
            }
            None => {}
        }
        terminal.draw(|f| crate::ui::draw(f, app))?;
    }
    Ok(())
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
                    restore();
                    std::process::exit(129);
                }
            }
        });
}
