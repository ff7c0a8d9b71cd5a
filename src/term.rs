//! A lean terminal backend: ratatui's diff of cells, written with as few bytes as possible.
//!
//! Why not `CrosstermBackend` as it is: after every frame it resets colours and attributes
//! (about 20 bytes) and hides the cursor again (6 bytes), and it writes colours as 256-colour
//! indices (`38;5;6`). Over a slow SSH link every keystroke pays for that. This backend keeps
//! the terminal's current style and cursor state between frames, sends only the differences,
//! merges them into one SGR sequence, uses the 16-colour codes for the named colours, and
//! moves right on the same row with `CUF`. Moving a highlight marker costs about 30 bytes.
//!
//! The tracked state is forgotten (and re-sent in full) after `clear`, and whenever something
//! else may have written to the terminal: call [`LeanBackend::forget`].

use std::fmt::Write as _;
use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::crossterm::{cursor, execute, queue, terminal};
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

/// The style the terminal is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    modifier: Modifier,
}

const PLAIN: Pen = Pen {
    fg: Color::Reset,
    bg: Color::Reset,
    modifier: Modifier::empty(),
};

/// A ratatui backend writing minimal escape sequences to `W`.
pub struct LeanBackend<W: Write> {
    out: W,
    /// Current style, if known.
    pen: Option<Pen>,
    /// Where the cursor is, if known.
    at: Option<(u16, u16)>,
    cursor_hidden: Option<bool>,
    buf: String,
    /// A fixed size instead of the terminal's (tests, and writing into a buffer).
    fixed: Option<Size>,
}

impl<W: Write> LeanBackend<W> {
    pub fn new(out: W) -> Self {
        Self {
            out,
            pen: None,
            at: None,
            cursor_hidden: None,
            buf: String::with_capacity(4096),
            fixed: None,
        }
    }

    /// A backend of a fixed size writing to `out` (not a terminal): for tests of the exact
    /// bytes written.
    pub fn with_size(out: W, width: u16, height: u16) -> Self {
        Self {
            fixed: Some(Size { width, height }),
            ..Self::new(out)
        }
    }

    /// Forget what the terminal's state is (after something else wrote to it).
    pub fn forget(&mut self) {
        self.pen = None;
        self.at = None;
        self.cursor_hidden = None;
    }

    pub fn writer(&mut self) -> &mut W {
        &mut self.out
    }
}

fn sgr_color(out: &mut String, c: Color, background: bool) {
    let base = if background { 10 } else { 0 };
    let named = |n: u8| u16::from(n) + base;
    let _ = match c {
        Color::Reset => write!(out, "{}", 39 + base),
        Color::Black => write!(out, "{}", named(30)),
        Color::Red => write!(out, "{}", named(31)),
        Color::Green => write!(out, "{}", named(32)),
        Color::Yellow => write!(out, "{}", named(33)),
        Color::Blue => write!(out, "{}", named(34)),
        Color::Magenta => write!(out, "{}", named(35)),
        Color::Cyan => write!(out, "{}", named(36)),
        Color::Gray => write!(out, "{}", named(37)),
        Color::DarkGray => write!(out, "{}", named(90)),
        Color::LightRed => write!(out, "{}", named(91)),
        Color::LightGreen => write!(out, "{}", named(92)),
        Color::LightYellow => write!(out, "{}", named(93)),
        Color::LightBlue => write!(out, "{}", named(94)),
        Color::LightMagenta => write!(out, "{}", named(95)),
        Color::LightCyan => write!(out, "{}", named(96)),
        Color::White => write!(out, "{}", named(97)),
        Color::Indexed(i) => write!(out, "{};5;{i}", 38 + base),
        Color::Rgb(r, g, b) => write!(out, "{};2;{r};{g};{b}", 38 + base),
    };
}

const MODIFIER_CODES: [(Modifier, u8); 9] = [
    (Modifier::BOLD, 1),
    (Modifier::DIM, 2),
    (Modifier::ITALIC, 3),
    (Modifier::UNDERLINED, 4),
    (Modifier::SLOW_BLINK, 5),
    (Modifier::RAPID_BLINK, 6),
    (Modifier::REVERSED, 7),
    (Modifier::HIDDEN, 8),
    (Modifier::CROSSED_OUT, 9),
];

/// One SGR sequence taking the terminal from `from` (unknown: `None`) to `to`.
fn sgr(out: &mut String, from: Option<Pen>, to: Pen) {
    let mut parts = String::new();
    let add = |parts: &mut String| {
        if !parts.is_empty() {
            parts.push(';');
        }
    };
    let (base, full) = match from {
        // Removing an attribute portably needs a reset; so does an unknown state.
        Some(f) if !f.modifier.difference(to.modifier).is_empty() => (PLAIN, true),
        Some(f) => (f, false),
        None => (PLAIN, true),
    };
    if full {
        parts.push('0');
    }
    for (m, code) in MODIFIER_CODES {
        if to.modifier.contains(m) && !base.modifier.contains(m) {
            add(&mut parts);
            let _ = write!(parts, "{code}");
        }
    }
    if to.fg != base.fg {
        add(&mut parts);
        sgr_color(&mut parts, to.fg, false);
    }
    if to.bg != base.bg {
        add(&mut parts);
        sgr_color(&mut parts, to.bg, true);
    }
    if !parts.is_empty() {
        let _ = write!(out, "\x1b[{parts}m");
    }
}

impl<W: Write> Backend for LeanBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.buf.clear();
        for (x, y, cell) in content {
            match self.at {
                Some((cx, cy)) if cy == y && cx == x => {}
                Some((cx, cy)) if cy == y && x > cx && x - cx < 10 => {
                    let _ = write!(self.buf, "\x1b[{}C", x - cx);
                }
                _ => {
                    let _ = write!(self.buf, "\x1b[{};{}H", y + 1, x + 1);
                }
            }
            let pen = Pen {
                fg: cell.fg,
                bg: cell.bg,
                modifier: cell.modifier,
            };
            if self.pen != Some(pen) {
                sgr(&mut self.buf, self.pen, pen);
                self.pen = Some(pen);
            }
            let symbol = cell.symbol();
            self.buf.push_str(symbol);
            let w = u16::try_from(symbol.width().max(1)).unwrap_or(1);
            self.at = Some((x.saturating_add(w), y));
        }
        self.out.write_all(self.buf.as_bytes())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.cursor_hidden != Some(true) {
            execute!(self.out, cursor::Hide)?;
            self.cursor_hidden = Some(true);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.cursor_hidden != Some(false) {
            execute!(self.out, cursor::Show)?;
            self.cursor_hidden = Some(false);
        }
        Ok(())
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        cursor::position().map(|(x, y)| Position { x, y })
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let p = position.into();
        if self.at != Some((p.x, p.y)) {
            queue!(self.out, cursor::MoveTo(p.x, p.y))?;
            self.at = Some((p.x, p.y));
        }
        Ok(())
    }

    fn clear(&mut self) -> io::Result<()> {
        self.forget();
        // Reset the style first, so the cleared screen takes the default background.
        self.out.write_all(b"\x1b[0m")?;
        self.pen = Some(PLAIN);
        queue!(self.out, terminal::Clear(terminal::ClearType::All))
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        let t = match clear_type {
            ClearType::All => terminal::ClearType::All,
            ClearType::AfterCursor => terminal::ClearType::FromCursorDown,
            ClearType::BeforeCursor => terminal::ClearType::FromCursorUp,
            ClearType::CurrentLine => terminal::ClearType::CurrentLine,
            ClearType::UntilNewLine => terminal::ClearType::UntilNewLine,
        };
        queue!(self.out, terminal::Clear(t))
    }

    fn size(&self) -> io::Result<Size> {
        if let Some(s) = self.fixed {
            return Ok(s);
        }
        let (width, height) = terminal::size()?;
        Ok(Size { width, height })
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        if let Some(s) = self.fixed {
            return Ok(WindowSize {
                columns_rows: s,
                pixels: Size {
                    width: 0,
                    height: 0,
                },
            });
        }
        let w = terminal::window_size()?;
        Ok(WindowSize {
            columns_rows: Size {
                width: w.columns,
                height: w.rows,
            },
            pixels: Size {
                width: w.width,
                height: w.height,
            },
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Style;

    fn cell(sym: &'static str, style: Style) -> Cell {
        let mut c = Cell::new(sym);
        c.set_style(style);
        c
    }

    #[test]
    fn a_marker_move_is_cheap() {
        let mut b = LeanBackend::new(Vec::new());
        let accent = Style::default()
            .fg(Color::Cyan)
            .add_modifier(Modifier::BOLD);
        let plain = Cell::new(" ");
        let marker = cell("▶", accent);
        b.draw([(1, 11, &plain), (1, 12, &marker)].into_iter())
            .unwrap();
        let first = std::mem::take(b.writer());
        assert_eq!(
            String::from_utf8(first).unwrap(),
            "\x1b[12;2H\x1b[0m \x1b[13;2H\x1b[1;36m▶"
        );
        // The next move knows the pen is bold cyan.
        b.draw([(1, 12, &plain), (1, 13, &marker)].into_iter())
            .unwrap();
        let next = String::from_utf8(std::mem::take(b.writer())).unwrap();
        assert_eq!(next, "\x1b[13;2H\x1b[0m \x1b[14;2H\x1b[1;36m▶");
        assert!(next.len() < 48, "{} bytes", next.len());
    }

    #[test]
    fn contiguous_cells_need_no_moves_and_small_gaps_use_cuf() {
        let mut b = LeanBackend::new(Vec::new());
        let a = Cell::new("a");
        b.draw([(0, 0, &a), (1, 0, &a), (5, 0, &a)].into_iter())
            .unwrap();
        assert_eq!(
            String::from_utf8(std::mem::take(b.writer())).unwrap(),
            "\x1b[1;1H\x1b[0maa\x1b[3Ca"
        );
    }

    #[test]
    fn colours_and_attributes_are_added_and_removed() {
        let mut out = String::new();
        let bold = Pen {
            fg: Color::Reset,
            bg: Color::Reset,
            modifier: Modifier::BOLD,
        };
        sgr(
            &mut out,
            Some(PLAIN),
            Pen {
                fg: Color::Red,
                bg: Color::Indexed(200),
                modifier: Modifier::empty(),
            },
        );
        assert_eq!(out, "\x1b[31;48;5;200m");
        out.clear();
        sgr(&mut out, Some(bold), PLAIN);
        assert_eq!(out, "\x1b[0m");
        out.clear();
        sgr(&mut out, Some(PLAIN), PLAIN);
        assert_eq!(out, "");
    }

    #[test]
    fn cursor_hiding_is_sent_once() {
        let mut b = LeanBackend::new(Vec::new());
        b.hide_cursor().unwrap();
        b.hide_cursor().unwrap();
        assert_eq!(std::mem::take(b.writer()), b"\x1b[?25l");
        b.forget();
        b.hide_cursor().unwrap();
        assert_eq!(std::mem::take(b.writer()), b"\x1b[?25l");
    }
}

// ---------------------------------------------------------------------------------------------
// Which terminal is this?

/// How long the terminal may take to answer [`query_version`]'s fence. Every terminal answers
/// the device-attributes query at once (a few milliseconds, over SSH one round trip), so the
/// limit only matters when nothing answers at all; it is generous so that a slow link or a
/// loaded machine does not leave a late answer in the input.
pub const QUERY_LIMIT: std::time::Duration = std::time::Duration::from_secs(1);

/// Ask the terminal its name and version (XTVERSION, `CSI > 0 q`), fenced by a primary device
/// attributes query (`CSI c`) that every terminal answers: reading stops at that answer, so a
/// terminal that ignores XTVERSION (st) costs one round trip, not the whole [`QUERY_LIMIT`].
/// Both answers are read here, so neither is left in the input for the event loop.
///
/// Uses its own non-blocking handle on `/dev/tty` (so no `unsafe` poll is needed, and standard
/// input is untouched) and raw mode, restored if it was off. `None`: no terminal, no answer,
/// or a terminal without XTVERSION. Keys typed during those few milliseconds are read with
/// the answers and dropped; at start-up there are none.
pub fn query_version() -> Option<String> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open("/dev/tty")
        .ok()?;
    let was_raw = terminal::is_raw_mode_enabled().unwrap_or(false);
    if !was_raw && terminal::enable_raw_mode().is_err() {
        return None;
    }
    let reply = exchange(&mut tty, QUERY_LIMIT);
    if !was_raw {
        let _ = terminal::disable_raw_mode();
    }
    crate::ticket::clipboard::terminals::parse_xtversion(&reply)
}

/// Write the two queries to `tty` and read until the fence's answer or `limit`.
fn exchange(tty: &mut (impl io::Read + Write), limit: std::time::Duration) -> Vec<u8> {
    use crate::ticket::clipboard::terminals::has_da1;
    let mut reply = Vec::new();
    if tty
        .write_all(b"\x1b[>0q\x1b[c")
        .and_then(|()| tty.flush())
        .is_err()
    {
        return reply;
    }
    let deadline = std::time::Instant::now() + limit;
    let mut buf = [0u8; 256];
    while !has_da1(&reply) && reply.len() < 4096 {
        match tty.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => reply.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                if std::time::Instant::now() >= deadline {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    reply
}

#[cfg(test)]
mod query_tests {
    use super::exchange;
    use std::io;

    /// A terminal that answers in pieces, with a pause (`WouldBlock`) in between.
    struct Answering {
        sent: Vec<u8>,
        answers: Vec<Option<&'static [u8]>>,
    }

    impl io::Read for Answering {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.answers.is_empty() {
                return Err(io::ErrorKind::WouldBlock.into());
            }
            match self.answers.remove(0) {
                Some(a) => {
                    buf[..a.len()].copy_from_slice(a);
                    Ok(a.len())
                }
                None => Err(io::ErrorKind::WouldBlock.into()),
            }
        }
    }

    impl io::Write for Answering {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.sent.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_query_is_fenced_and_read_up_to_the_fence() {
        let mut tty = Answering {
            sent: Vec::new(),
            answers: vec![
                Some(b"\x1bP>|XTerm(379)"),
                None,
                Some(b"\x1b\\\x1b[?64;1;2c"),
                Some(b"typed later"),
            ],
        };
        let reply = exchange(&mut tty, std::time::Duration::from_secs(5));
        assert_eq!(tty.sent, b"\x1b[>0q\x1b[c");
        assert_eq!(reply, b"\x1bP>|XTerm(379)\x1b\\\x1b[?64;1;2c");
        // What came after the fence is left for the event loop.
        assert_eq!(tty.answers.len(), 1);
    }
}
