//! OSC 52: ask the terminal itself to put the text on its clipboard.
//!
//! The sequence is `ESC ] 52 ; c ; <base64> ESC \` (BEL is accepted as the end too). A terminal
//! never answers it, so the outcome is "sent", never "copied". Terminals differ: xterm ignores
//! it with its default resources, st never takes it, kitty and most others do. About 74 KB of
//! text is safe across terminals, so longer texts are refused here (and go to the file). GNU
//! screen passes it on only inside `ESC P ... ESC \` strings of limited length, so for screen
//! the sequence is ended by BEL and cut into chunks of [`SCREEN_CHUNK`] bytes. With no
//! controlling terminal there is nowhere to send it, and that is said ([`Osc52Error::NoTerminal`]).

use std::io::{self, Write};

use base64::Engine as _;

use super::{Done, Env, OSC52_MAX_TEXT, SCREEN_CHUNK, Sent};

/// Why the sequence was not sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Osc52Error {
    #[error("too long for OSC 52 ({len} bytes, limit {limit})")]
    TooLong { len: usize, limit: usize },
    #[error("not sent: no terminal (/dev/tty could not be opened)")]
    NoTerminal,
    #[error("could not write to the terminal: {0}")]
    Write(String),
}

/// The bytes that ask the terminal to put `text` on its clipboard:
/// `ESC ] 52 ; c ; <base64> ESC \`. For GNU screen (`screen`), the sequence is ended by BEL
/// instead (an `ESC \` would end screen's DCS) and wrapped in `ESC P ... ESC \` chunks of at
/// most [`SCREEN_CHUNK`] bytes each. Errors if `text` is longer than [`OSC52_MAX_TEXT`].
///
/// # Errors
/// [`Osc52Error::TooLong`] above the limit.
pub fn osc52_sequence(text: &str, screen: bool) -> Result<Vec<u8>, Osc52Error> {
    if text.len() > OSC52_MAX_TEXT {
        return Err(Osc52Error::TooLong {
            len: text.len(),
            limit: OSC52_MAX_TEXT,
        });
    }
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    let mut inner = Vec::with_capacity(b64.len() + 10);
    inner.extend_from_slice(b"\x1b]52;c;");
    inner.extend_from_slice(b64.as_bytes());
    if !screen {
        inner.extend_from_slice(b"\x1b\\");
        return Ok(inner);
    }
    inner.push(0x07);
    let payload = SCREEN_CHUNK - 4; // ESC P + payload + ESC \
    let mut wrapped = Vec::with_capacity(inner.len() + inner.len() / payload * 4 + 4);
    for chunk in inner.chunks(payload) {
        wrapped.extend_from_slice(b"\x1bP");
        wrapped.extend_from_slice(chunk);
        wrapped.extend_from_slice(b"\x1b\\");
    }
    Ok(wrapped)
}

/// Write the OSC 52 sequence to `out` (the terminal) and flush it; `sent` names the terminal
/// in the outcome (and what it does with the write, when known).
///
/// # Errors
/// Too long, no terminal ([`NoTerminal`] as `out`), or the write failed.
pub fn copy_osc52(
    text: &str,
    env: &Env,
    out: &mut dyn Write,
    sent: Sent,
) -> Result<Done, Osc52Error> {
    let seq = osc52_sequence(text, env.screen)?;
    out.write_all(&seq)
        .and_then(|()| out.flush())
        .map_err(|e| {
            if e.kind() == io::ErrorKind::NotConnected {
                Osc52Error::NoTerminal
            } else {
                Osc52Error::Write(e.to_string())
            }
        })?;
    Ok(Done::Osc52 {
        bytes: text.len(),
        screen: env.screen,
        inside_tmux: env.tmux,
        sent,
    })
}

/// The terminal when there is none: every write fails as "not connected", which
/// [`copy_osc52`] reports as [`Osc52Error::NoTerminal`].
pub struct NoTerminal;

impl Write for NoTerminal {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::Error::new(
            io::ErrorKind::NotConnected,
            "no controlling terminal",
        ))
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
