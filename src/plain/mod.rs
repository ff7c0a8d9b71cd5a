//! Plain output for the command-line commands: a writer that shows control characters as
//! visible escapes (`\u{1b}`), so a guide's text or a file name holding terminal sequences
//! (a file named `x\e]0;title\a.toml`, a title with `\e[2J`) is printed, never obeyed.
//!
//! Newline and tab pass; every other C0 control, DEL and the C1 controls (U+0080 to U+009F,
//! which some terminals obey as 8-bit CSI and OSC) are escaped. Used for standard output and
//! standard error in `main`; the wizard draws through ratatui, which sanitizes on its own.

use std::io::{self, Write};

/// Wraps a writer; see the module docs.
pub struct Plain<W: Write> {
    inner: W,
    /// A 0xC2 byte held back from the end of the last write: the first half of a C1 control
    /// in UTF-8, or of another character, decided by the next byte.
    held: bool,
}

impl<W: Write> Plain<W> {
    pub fn new(inner: W) -> Self {
        Self { inner, held: false }
    }

    fn escaped(&mut self, c: u32) -> io::Result<()> {
        write!(self.inner, "\\u{{{c:x}}}")
    }
}

impl<W: Write> Write for Plain<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut start = 0;
        let mut i = 0;
        if self.held && !buf.is_empty() {
            self.held = false;
            if (0x80..=0x9f).contains(&buf[0]) {
                self.escaped(u32::from(buf[0]))?;
                start = 1;
                i = 1;
            } else {
                self.inner.write_all(&[0xc2])?;
            }
        }
        while i < buf.len() {
            let b = buf[i];
            let c1 = b == 0xc2 && buf.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n));
            let control = (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f;
            if control || c1 {
                self.inner.write_all(&buf[start..i])?;
                if c1 {
                    self.escaped(u32::from(buf[i + 1]))?;
                    i += 2;
                } else {
                    self.escaped(u32::from(b))?;
                    i += 1;
                }
                start = i;
            } else if b == 0xc2 && i + 1 == buf.len() {
                self.inner.write_all(&buf[start..i])?;
                self.held = true;
                i += 1;
                start = i;
            } else {
                i += 1;
            }
        }
        self.inner.write_all(&buf[start..])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if std::mem::take(&mut self.held) {
            self.inner.write_all(&[0xc2])?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for Plain<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests;
