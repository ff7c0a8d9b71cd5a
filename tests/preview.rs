//! `tshoot preview`: the event loop on `TestBackend` with a real file saved between events, and
//! the real binary in a private tmux server (`CI=true` makes a missing tmux a failure).

use crate::common::{PATIENCE, Tmux, require, wait_until};
use std::path::Path;
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Size};
use tshoot::app::App;
use tshoot::authoring::preview::Preview;
use tshoot::guide::Library;
use tshoot::keymap::KeyMap;
use tshoot::session::Session;
use tshoot::tui::{Io, run_loop};
use tshoot::ui::theme::Theme;

const BUNDLED: &str = include_str!("../assets/guides/aadsts50143.toml");

/// `TestBackend` with `io::Error` as its error, as `run_loop` asks of a backend (ratatui's test
/// backend cannot fail, so its error type is `Infallible`).
struct Screen(TestBackend);

impl Backend for Screen {
    type Error = std::io::Error;
    fn draw<'a, I>(&mut self, content: I) -> std::io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.0.draw(content).map_err(never)
    }
    fn hide_cursor(&mut self) -> std::io::Result<()> {
        self.0.hide_cursor().map_err(never)
    }
    fn show_cursor(&mut self) -> std::io::Result<()> {
        self.0.show_cursor().map_err(never)
    }
    fn get_cursor_position(&mut self) -> std::io::Result<Position> {
        self.0.get_cursor_position().map_err(never)
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, p: P) -> std::io::Result<()> {
        self.0.set_cursor_position(p).map_err(never)
    }
    fn clear(&mut self) -> std::io::Result<()> {
        self.0.clear().map_err(never)
    }
    fn clear_region(&mut self, t: ClearType) -> std::io::Result<()> {
        self.0.clear_region(t).map_err(never)
    }
    fn size(&self) -> std::io::Result<Size> {
        self.0.size().map_err(never)
    }
    fn window_size(&mut self) -> std::io::Result<WindowSize> {
        self.0.window_size().map_err(never)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush().map_err(never)
    }
}

fn never(e: std::convert::Infallible) -> std::io::Error {
    match e {}
}

struct NoIo;

impl Io for NoIo {
    fn copy(&mut self, _: &str) -> (String, bool) {
        (String::new(), true)
    }
    fn save(&mut self, _: &Session) -> Result<(), tshoot::session::SessionError> {
        Ok(())
    }
}

fn key(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// What the loop is given when the wait for a key times out in preview.
fn tick() -> Event {
    Event::FocusGained
}

fn screen(t: &Terminal<Screen>) -> String {
    let buf = t.backend().0.buffer();
    let mut s = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            s.push_str(buf[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

/// Run the loop over `events`; the loop draws at the start and after each event.
fn run(t: &mut Terminal<Screen>, app: &mut App, events: Vec<Event>) {
    let mut it = events.into_iter();
    run_loop(t, app, || Ok(it.next()), &mut NoIo, |_| {}).expect("loop");
}

/// Save `text` as the new version of `path`, so that its size or time differs.
fn save(path: &Path, text: &str) {
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(path, text).unwrap();
}

fn previewing(path: &Path) -> App {
    let lib = Library::load_paths(&[path.to_path_buf()]);
    assert_eq!(lib.guides.len(), 1, "{:?}", lib.failures);
    let mut app = App::new(lib, KeyMap::default(), Theme::default());
    app.now = || "2026-05-14T09:21:07Z".to_owned();
    app.size = (120, 40);
    app.open(0);
    app.preview = Some(Preview::new(path.to_path_buf(), 0));
    app
}

fn title(app: &App) -> &str {
    &app.lib.guides[0].guide.title
}

fn status(app: &App) -> (String, bool) {
    app.status
        .as_ref()
        .map(|s| (s.text.clone(), s.error))
        .unwrap_or_default()
}

#[test]
fn a_saved_guide_is_reloaded_and_the_case_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guide.toml");
    std::fs::write(&path, BUNDLED).unwrap();
    let mut app = previewing(&path);
    let mut t = Terminal::new(Screen(TestBackend::new(120, 40))).unwrap();

    // Answer the first question.
    run(&mut t, &mut app, vec![key('2')]);
    let trail = |app: &App| app.wiz.as_ref().unwrap().wizard.case.trail.len();
    assert_eq!(trail(&app), 1);

    // Saved with a new title: reloaded at the next tick, the answer kept.
    let edited = BUNDLED.replace(
        "title = \"Session mismatch\"",
        "title = \"Session mismatch (edited)\"",
    );
    save(&path, &edited);
    run(&mut t, &mut app, vec![tick()]);
    assert_eq!(title(&app), "Session mismatch (edited)");
    assert_eq!(trail(&app), 1);
    assert_eq!(status(&app), ("reloaded guide.toml".to_owned(), false));
    assert!(screen(&t).contains("Session mismatch (edited)"));

    // Saved broken: the last good guide stays, the error is shown in place.
    save(&path, "format = 1\nid = \"AADSTS50143\"\ntitle = 3\n");
    run(&mut t, &mut app, vec![tick()]);
    assert_eq!(title(&app), "Session mismatch (edited)");
    assert_eq!(trail(&app), 1);
    let (text, error) = status(&app);
    assert!(error, "{text}");
    assert!(
        text.contains("guide.toml:3:9: error: invalid type"),
        "{text}"
    );
    assert!(
        text.ends_with("the last good version stays shown"),
        "{text}"
    );
    let shown = screen(&t);
    assert!(shown.contains("The saved file does not load"), "{shown}");
    assert!(shown.contains("Session mismatch (edited)"), "{shown}");

    // Saved again with the answer given reworded: loads, the answer is marked as stale.
    let reworded = edited.replace(
        "No, the user signs in with another tenant or domain",
        "No, another tenant",
    );
    save(&path, &reworded);
    run(&mut t, &mut app, vec![tick()]);
    let (text, error) = status(&app);
    assert!(!error, "{text}");
    assert_eq!(
        text,
        "reloaded guide.toml; 1 answer no longer fit (marked !)"
    );
    assert_eq!(trail(&app), 1, "the case is kept as it was");
    let shown = screen(&t);
    assert!(!shown.contains("The saved file does not load"), "{shown}");
    assert!(shown.contains("! Verify User Sign-In"), "{shown}");

    // Nothing changed: nothing is reloaded, whatever the events.
    app.status = None;
    run(&mut t, &mut app, vec![tick(), tick()]);
    assert_eq!(status(&app), (String::new(), false));
}

#[test]
fn outside_preview_the_file_is_not_watched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guide.toml");
    std::fs::write(&path, BUNDLED).unwrap();
    let mut app = previewing(&path);
    app.preview = None;
    let mut t = Terminal::new(Screen(TestBackend::new(120, 40))).unwrap();
    save(&path, &BUNDLED.replace("Session mismatch\"", "Changed\""));
    run(&mut t, &mut app, vec![tick()]);
    assert_eq!(title(&app), "Session mismatch");
}

#[test]
fn a_smaller_guide_keeps_the_highlight_inside_the_panes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guide.toml");
    std::fs::write(&path, BUNDLED).unwrap();
    let mut app = previewing(&path);
    let mut t = Terminal::new(Screen(TestBackend::new(120, 40))).unwrap();
    // Highlight the last answer of the first step (3 answers).
    run(&mut t, &mut app, vec![key('j'), key('j')]);
    assert_eq!(app.wiz.as_ref().unwrap().sel[0], 2);
    // The step loses its last answer.
    let fewer = BUNDLED.replace(
        "  { label = \"Not known yet\" },\n]\n\n[[step]]\nid = \"review-context\"",
        "]\n\n[[step]]\nid = \"review-context\"",
    );
    assert_ne!(fewer, BUNDLED);
    save(&path, &fewer);
    run(&mut t, &mut app, vec![tick()]);
    assert_eq!(app.wiz.as_ref().unwrap().sel[0], 1);
}

// --- the real binary in tmux -------------------------------------------------------------------

#[test]
fn preview_in_a_real_terminal_follows_saves() {
    if !require(&["tmux"], "apt-get install -y tmux") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guide.toml");
    std::fs::write(&path, BUNDLED).unwrap();
    let home = dir.path().join("home");
    let tmux = Tmux::start(
        120,
        40,
        "preview",
        &format!(
            "env HOME={h} XDG_CONFIG_HOME={h}/config TSHOOT_DATA_DIR={h}/data {} preview {}",
            env!("CARGO_BIN_EXE_tshoot"),
            path.display(),
            h = home.display(),
        ),
    );
    tmux.wait_text("previewing");
    tmux.wait_text("Verify User Sign-In");
    tmux.keys(&["2"]);
    tmux.wait_text("Review Error Context");

    save(
        &path,
        &BUNDLED.replace("Review Error Context", "Review When It Happens"),
    );
    tmux.wait_text("Review When It Happens");
    tmux.wait_text("reloaded guide.toml");

    save(&path, "format = 1\nid = \n");
    let screen = tmux.wait_text("The saved file does not load");
    assert!(screen.contains("Review When It Happens"), "{screen}");

    tmux.keys(&["q"]);
    let running = || tmux.tmux(&["has-session"]).status.success();
    assert!(wait_until(PATIENCE, || !running()), "q quits the preview");
    assert!(
        !home.join("data").exists(),
        "preview cases are not saved among the engineer's sessions"
    );
}
