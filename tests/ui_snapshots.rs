//! Screens: the picker and every pane of the wizard on ratatui's `TestBackend`, driven through
//! the real event loop (`tui::run_loop`) by scripted terminal events, at 80x24 and 120x40
//! (and once at 200x50), plus the too-small screen and a resize in the middle of a case.
//!
//! The theme is the no-colour one, so the snapshots hold only text; two `Buffer` tests check
//! the styles that carry meaning (the focused pane's accent border) and that the no-colour
//! theme still says it with symbols (✓ ✗ ?).
//!
//! Snapshots live in `tests/snapshots/`; accept changes with `INSTA_UPDATE=always cargo test
//! --test ui_snapshots` (or `cargo insta review`) and read every changed `.snap` before
//! committing it.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Position;
use ratatui::style::Color;

use tshoot::app::App;
use tshoot::config::Colors;
use tshoot::guide::Library;
use tshoot::keymap::KeyMap;
use tshoot::session::Session;
use tshoot::tui::Io;
use tshoot::ui::theme::Theme;
use tshoot::wizard::Stage;

fn app_with(no_color: bool) -> App {
    let mut app = App::new(
        Library::load(&[]),
        KeyMap::default(),
        Theme::from_colors(&Colors::default(), no_color),
    );
    app.now = || "2026-01-01T00:00:00Z".to_owned();
    app.new_id = |guide, _| format!("20260101T000000Z-{}-3f9a", guide.to_lowercase());
    app
}

/// The app as the snapshots see it: no colour, a fixed clock.
fn app() -> App {
    app_with(true)
}

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn shift_tab() -> Event {
    Event::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT))
}

/// One key press per character (`\n` is Enter, `\t` is Tab, `\x08` is Backspace, `\x1b` Esc).
fn typed(s: &str) -> Vec<Event> {
    s.chars()
        .map(|c| match c {
            '\n' => key(KeyCode::Enter),
            '\t' => key(KeyCode::Tab),
            '\x08' => key(KeyCode::Backspace),
            '\x1b' => key(KeyCode::Esc),
            c => key(KeyCode::Char(c)),
        })
        .collect()
}

fn mouse(kind: MouseEventKind, x: u16, y: u16) -> Event {
    Event::Mouse(MouseEvent {
        kind,
        column: x,
        row: y,
        modifiers: KeyModifiers::NONE,
    })
}

fn click(x: u16, y: u16) -> Event {
    mouse(MouseEventKind::Down(MouseButton::Left), x, y)
}

fn new_terminal(w: u16, h: u16) -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(w, h)).expect("test terminal")
}

/// The loop's side effects, in memory: nothing is written to disk or a clipboard.
struct NoIo;

impl Io for NoIo {
    fn copy(&mut self, text: &str) -> (String, bool) {
        (format!("copied {} bytes (test)", text.len()), true)
    }

    fn save(&mut self, _: &Session) -> Result<(), tshoot::session::SessionError> {
        Ok(())
    }
}

/// Feed `events` to the real event loop on `terminal`.
fn feed(terminal: &mut Terminal<TestBackend>, app: &mut App, events: Vec<Event>) {
    let mut it = events.into_iter();
    tshoot::tui::run_loop(terminal, app, || Ok(it.next()), &mut NoIo, |_| {}).expect("event loop");
}

/// A fresh app at `w`x`h` after `events`.
fn screen(w: u16, h: u16, events: Vec<Event>) -> Terminal<TestBackend> {
    let mut app = app();
    let mut t = new_terminal(w, h);
    feed(&mut t, &mut app, events);
    t
}

/// Open the guide from the picker by typing its number, as a person would.
const OPEN: &str = "50143\n";
/// Answers 2, 2, 2: every step answered; two issues suspected, one not.
const ANSWERED: &str = "50143\n222";
/// ...then confirm the top issue, move down twice, rule out that one.
const JUDGED: &str = "50143\n222cjjx";
/// ...then to the checklist, tick the first task, skip one, tick the third.
const TICKED: &str = "50143\n222cjjx\t jj ";

fn buffer_text(b: &Buffer) -> String {
    let mut s = String::new();
    for y in 0..b.area.height {
        for x in 0..b.area.width {
            s.push_str(b[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

/// Where `needle` starts in the buffer (the first cell of the first row holding it).
fn find(b: &Buffer, needle: &str) -> Option<(u16, u16)> {
    for y in 0..b.area.height {
        let row: Vec<&str> = (0..b.area.width).map(|x| b[(x, y)].symbol()).collect();
        let line: String = row.concat();
        if let Some(byte) = line.find(needle) {
            // Cells hold one symbol each; count the cells before the byte offset.
            let mut acc = 0;
            for (x, sym) in row.iter().enumerate() {
                if acc == byte {
                    return Some((u16::try_from(x).ok()?, y));
                }
                acc += sym.len();
            }
        }
    }
    None
}

macro_rules! snap {
    ($name:expr, $t:expr) => {
        insta::assert_snapshot!($name, $t.backend())
    };
}

// --- the picker --------------------------------------------------------------------------------

#[test]
fn picker() {
    for (w, h) in [(80, 24), (120, 40)] {
        snap!(format!("picker_empty_{w}x{h}"), screen(w, h, vec![]));
        snap!(
            format!("picker_50143_{w}x{h}"),
            screen(w, h, typed("50143"))
        );
    }
    snap!("picker_no_match_80x24", screen(80, 24, typed("zzzq")));
    // A `#tag` word filters by tag; each row hints its tags as far as they fit.
    snap!("picker_tag_mfa_80x24", screen(80, 24, typed("#mfa")));
}

// --- each pane, at both sizes -------------------------------------------------------------

#[test]
fn diagnostics() {
    for (w, h) in [(80, 24), (120, 40)] {
        snap!(
            format!("diagnostics_start_{w}x{h}"),
            screen(w, h, typed(OPEN))
        );
        snap!(
            format!("diagnostics_after_2_answers_{w}x{h}"),
            screen(w, h, typed("50143\n22"))
        );
    }
}

#[test]
fn issues() {
    for (w, h) in [(80, 24), (120, 40)] {
        snap!(
            format!("issues_suspected_{w}x{h}"),
            screen(w, h, typed(ANSWERED))
        );
        snap!(
            format!("issues_confirmed_and_ruled_out_{w}x{h}"),
            screen(w, h, typed(JUDGED))
        );
    }
}

#[test]
fn resolution() {
    for (w, h) in [(80, 24), (120, 40)] {
        snap!(
            format!("resolution_ticked_{w}x{h}"),
            screen(w, h, typed(TICKED))
        );
    }
}

#[test]
fn ticket() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut ev = typed(TICKED);
        ev.push(key(KeyCode::Tab));
        snap!(format!("ticket_{w}x{h}"), screen(w, h, ev));
    }
}

#[test]
fn overlays() {
    for (w, h) in [(80, 24), (120, 40)] {
        snap!(format!("help_{w}x{h}"), screen(w, h, typed("50143\n2?")));
        snap!(format!("notes_{w}x{h}"), screen(w, h, typed("50143\n2n")));
    }
}

#[test]
fn large_200x50() {
    snap!("resolution_ticked_200x50", screen(200, 50, typed(TICKED)));
}

// --- sizes --------------------------------------------------------------------------------

#[test]
fn too_small() {
    snap!("too_small_picker_40x10", screen(40, 10, vec![]));
    snap!("too_small_wizard_40x10", screen(40, 10, typed(ANSWERED)));
    // Must not panic, whatever arrives.
    snap!(
        "too_small_1x1",
        screen(
            1,
            1,
            [
                typed(TICKED),
                vec![click(0, 0), mouse(MouseEventKind::ScrollDown, 0, 0)]
            ]
            .concat()
        )
    );
    let t = screen(0, 0, typed(TICKED));
    assert_eq!(t.backend().buffer().area.area(), 0);
}

#[test]
fn resize_in_the_middle_of_a_case() {
    let mut app = app();
    let mut t = new_terminal(120, 40);
    feed(&mut t, &mut app, typed(JUDGED));
    snap!("resize_before_120x40", t);
    t.backend_mut().resize(80, 24);
    feed(
        &mut t,
        &mut app,
        [vec![Event::Resize(80, 24)], typed("\t j ")].concat(),
    );
    snap!("resize_after_80x24", t);
    // And back up: the side-by-side panes return, the ticks are kept.
    t.backend_mut().resize(120, 40);
    feed(&mut t, &mut app, vec![Event::Resize(120, 40), shift_tab()]);
    snap!("resize_back_120x40", t);
}

// --- mouse --------------------------------------------------------------------------------

#[test]
fn mouse_clicks_and_wheel() {
    let mut app = app();
    let mut t = new_terminal(120, 40);
    feed(&mut t, &mut app, typed("50143"));
    // A click on the only row of the picker highlights it (it already is), so it opens.
    let (x, y) = find(t.backend().buffer(), "Session mismatch").expect("picker row");
    feed(&mut t, &mut app, vec![click(x, y)]);
    assert!(
        buffer_text(t.backend().buffer()).contains("Step 1 of 3"),
        "{}",
        t.backend()
    );
    // A click on an answer highlights it; a second click chooses it.
    let (x, y) = find(t.backend().buffer(), "No, the user signs in").expect("answer 2");
    feed(&mut t, &mut app, vec![click(x, y)]);
    assert!(
        buffer_text(t.backend().buffer()).contains("Step 1 of 3"),
        "a first click only highlights\n{}",
        t.backend()
    );
    feed(&mut t, &mut app, vec![click(x, y)]);
    assert!(
        buffer_text(t.backend().buffer()).contains("Step 2 of 3"),
        "a second click chooses\n{}",
        t.backend()
    );
    // The wheel moves the highlight in the pane under the pointer.
    feed(
        &mut t,
        &mut app,
        vec![
            mouse(MouseEventKind::ScrollDown, x, y),
            mouse(MouseEventKind::ScrollDown, x, y),
        ],
    );
    snap!("mouse_wheel_120x40", t);
    // A click in another pane focuses it; a click on a task then ticks it on the second click.
    feed(&mut t, &mut app, typed("\n2"));
    let (x, y) = find(t.backend().buffer(), "Prompt the user").expect("a task");
    feed(&mut t, &mut app, vec![click(x, y), click(x, y)]);
    snap!("mouse_tick_120x40", t);
    assert!(
        find(t.backend().buffer(), "1 of 5 tasks done").is_some(),
        "{}",
        t.backend()
    );
}

// --- styles that carry meaning --------------------------------------------------------------

#[test]
fn focused_pane_border_uses_the_accent_colour() {
    let mut app = app_with(false);
    let mut t = new_terminal(120, 40);
    feed(&mut t, &mut app, typed(OPEN));
    let w = app.wiz.as_ref().expect("wizard open");
    let guide = &app.lib.guides[w.guide].guide;
    let r = tshoot::ui::regions(ratatui::layout::Rect::new(0, 0, 120, 40), w, guide);
    let buf = t.backend().buffer();
    let d = r.panes[Stage::Diagnostics.index()];
    let i = r.panes[Stage::Issues.index()];
    // Corners and a cell along the bottom edge.
    for (x, y) in [
        (d.x, d.y),
        (d.right() - 1, d.bottom() - 1),
        (d.x + 5, d.bottom() - 1),
    ] {
        assert_eq!(
            buf[(x, y)].fg,
            Color::Cyan,
            "focused border at {x},{y}: {:?}",
            buf[(x, y)]
        );
    }
    assert_eq!(buf[(d.x, d.y)].symbol(), "┏", "focused border is thick");
    assert_eq!(buf[(i.x, i.y)].fg, Color::Gray, "unfocused border is dim");
    // The highlight marker is drawn in the accent colour too.
    let (mx, my) = find(buf, "▶").expect("marker");
    assert_eq!(buf[(mx, my)].fg, Color::Cyan);
    // Tab moves the accent to the next pane.
    feed(&mut t, &mut app, vec![key(KeyCode::Tab)]);
    let buf = t.backend().buffer();
    assert_eq!(buf[(i.x, i.y)].fg, Color::Cyan);
    assert_eq!(buf[(d.x, d.y)].fg, Color::Gray);
    assert!(Position::new(d.x, d.y) != Position::new(i.x, i.y));
}

#[test]
fn no_colour_still_shows_the_symbols() {
    let mut app = app_with(true);
    let mut t = new_terminal(120, 40);
    feed(&mut t, &mut app, typed(JUDGED));
    let buf = t.backend().buffer();
    let text = buffer_text(buf);
    for cell in &buf.content {
        assert_eq!(cell.fg, Color::Reset, "no colour anywhere: {cell:?}");
        assert_eq!(cell.bg, Color::Reset, "no colour anywhere: {cell:?}");
    }
    assert!(text.contains("✓ Incorrect Domain Hint"), "{text}");
    assert!(text.contains("? Session Information Mismatch"), "{text}");
    assert!(text.contains("✗ Resource Misconfiguration"), "{text}");
    // And with colour, the same symbols (colour is never the only carrier).
    let mut app = app_with(false);
    let mut t = new_terminal(120, 40);
    feed(&mut t, &mut app, typed(JUDGED));
    let coloured = buffer_text(t.backend().buffer());
    assert_eq!(coloured, text);
}

// --- copy messages --------------------------------------------------------------------------

/// The loop's copy, answering with a real copy report of the tmux-with-xterm case.
struct LongReport;

const LONG_REPORT: &str = "✓ in tmux's buffer; → sent to your terminal (xterm: lands only with \
    SetSelection allowed, and needs `selectToClipboard` for Ctrl-V, otherwise middle-click); \
    ✓ saved to ~/.local/share/tshoot/tickets/ticket-20261202T160000Z.txt";

impl Io for LongReport {
    fn copy(&mut self, _: &str) -> (String, bool) {
        (LONG_REPORT.to_owned(), true)
    }

    fn save(&mut self, _: &Session) -> Result<(), tshoot::session::SessionError> {
        Ok(())
    }
}

/// The screen's rows joined with spaces, each trimmed: a wrapped message reads as one text.
fn joined_rows(b: &Buffer) -> String {
    buffer_text(b)
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_copy_report_is_never_cut_at_80x24() {
    let mut app = app();
    let mut t = new_terminal(80, 24);
    let mut ev = typed(TICKED);
    ev.push(key(KeyCode::Tab));
    ev.push(key(KeyCode::Char('y')));
    let mut it = ev.into_iter();
    tshoot::tui::run_loop(&mut t, &mut app, || Ok(it.next()), &mut LongReport, |_| {})
        .expect("event loop");
    let screen = joined_rows(t.backend().buffer());
    assert!(
        screen.contains(LONG_REPORT),
        "the whole report is on screen:\n{}",
        buffer_text(t.backend().buffer())
    );
    // The report marks its own parts: no second mark in front of it.
    assert!(!screen.contains("✓ ✓"), "{screen}");
    snap!("copy_report_80x24", t);

    // The next key clears the footer; `m` shows the report again, in full.
    let mut it = vec![key(KeyCode::Char('m'))].into_iter();
    tshoot::tui::run_loop(&mut t, &mut app, || Ok(it.next()), &mut LongReport, |_| {})
        .expect("event loop");
    let screen = joined_rows(t.backend().buffer());
    assert!(screen.contains("Messages"), "{screen}");
    // The rows of the view: what lies between its two double borders.
    let in_view: String = buffer_text(t.backend().buffer())
        .lines()
        .filter_map(|l| {
            let (start, end) = (l.find('║')?, l.rfind('║')?);
            (start < end).then(|| l[start + '║'.len_utf8()..end].trim().to_owned())
        })
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(in_view.contains(LONG_REPORT), "{in_view}");
    snap!("messages_80x24", t);
}
