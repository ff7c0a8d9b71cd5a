//! What every fuzz target does with a guide once it has one: walk it in the state machine,
//! derive every view, render the ticket and `show`, and draw the wizard through the real
//! event handling on a test terminal. Any panic on the way is a finding.

#![allow(dead_code)]

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tshoot::app::App;
use tshoot::config::Colors;
use tshoot::guide::load::{Entry, Origin};
use tshoot::guide::{Guide, Library};
use tshoot::keymap::KeyMap;
use tshoot::session::Session;
use tshoot::ui::theme::Theme;
use tshoot::wizard::{Act, Case, Mark, Stage, view};

/// Keys a person would press, picked by the fuzz input's bytes.
const KEYS: &[KeyCode] = &[
    KeyCode::Down,
    KeyCode::Up,
    KeyCode::Tab,
    KeyCode::BackTab,
    KeyCode::Enter,
    KeyCode::Char(' '),
    KeyCode::Char('1'),
    KeyCode::Char('2'),
    KeyCode::Char('3'),
    KeyCode::Backspace,
    KeyCode::Char('e'),
    KeyCode::Char('r'),
    KeyCode::Char('u'),
    KeyCode::Char('y'),
    KeyCode::Char('x'),
    KeyCode::Char('?'),
    KeyCode::Esc,
    KeyCode::Char('a'),
];

/// The pure layers: answers, marks, ticks, fields, views, ticket, `show`.
pub fn walk(guide: &Guide) {
    let mut case = Case::new(guide);
    for _ in 0..guide.steps.len().min(64) {
        if case.apply(guide, &Act::Answer(0)).is_err() {
            break;
        }
    }
    for v in view::issues(guide, &case) {
        let id = guide.issues[v.issue].id.to_string();
        let _ = case.apply(guide, &Act::Mark(id, Some(Mark::Confirmed)));
    }
    for item in view::checklist(guide, &case).iter().take(16) {
        let id = guide.resolutions[item.resolution].id.to_string();
        let _ = case.apply(guide, &Act::Toggle(id, 0));
    }
    for f in guide.ticket.iter().flat_map(|t| &t.fields) {
        let _ = case.apply(
            guide,
            &Act::SetField(f.id.to_string(), "Correlation ID: \u{1b}]52;c;AAAA\u{7} x".into()),
        );
    }
    let _ = view::progress(guide, &case);
    for s in Stage::ALL {
        let _ = view::stage_done(guide, &case, s);
    }
    let _ = tshoot::ticket::problems(guide, &case);
    for format in [tshoot::ticket::Format::Text, tshoot::ticket::Format::Markdown] {
        let _ = tshoot::ticket::render(guide, &case, format, "2026-01-01T00:00:00Z");
    }
    let _ = case.apply(guide, &Act::Escalate);
    let _ = case.replay(guide);
    let _ = tshoot::guide::show::plain(guide, 80);
    let _ = tshoot::guide::show::plain(guide, 0);
}

/// The TUI: open `guide` (or resume `session` on it), press the keys `keys` picks, draw after
/// each at a size `keys` picks too.
pub fn drive(guide: Guide, session: Option<Session>, keys: &[u8]) {
    let mut lib = Library::default();
    let index = lib.insert(Entry {
        guide,
        origin: Origin::Bundled("fuzz.toml"),
        warnings: Vec::new(),
    });
    let mut app = App::new(lib, KeyMap::default(), Theme::from_colors(&Colors::default(), true));
    app.now = || "2026-01-01T00:00:00Z".to_owned();
    match session {
        Some(s) => {
            let _ = app.resume(s);
        }
        None => app.open(index),
    }
    let (w, h) = match keys.first() {
        Some(b) if b % 3 == 0 => (30, 8),
        Some(b) if b % 3 == 1 => (200, 60),
        _ => (80, 24),
    };
    app.size = (w, h);
    let Ok(mut terminal) = Terminal::new(TestBackend::new(w, h));
    let draw = |t: &mut Terminal<TestBackend>, app: &App| {
        let _ = t.draw(|f| tshoot::ui::draw(f, app));
    };
    draw(&mut terminal, &app);
    for &b in keys.iter().skip(1).take(48) {
        let code = KEYS[usize::from(b) % KEYS.len()];
        let ev = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
        if let Some(msg) = app.message_for(&ev) {
            let _ = app.update(msg);
        }
        let _ = app.take_save();
        draw(&mut terminal, &app);
    }
}
