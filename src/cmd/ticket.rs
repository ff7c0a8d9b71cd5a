//! `tshoot ticket ID [--set K=V] [--paste FILE|-] [--copy]`: a ticket without the wizard.

use std::io::Write;
use std::path::Path;

use super::{Ctx, Failure, Outcome};
use crate::cli::{self, TicketOpts};
use crate::ticket::clipboard;

/// At most this much pasted text is read (the rest is ignored, as the TUI's paste does).
const PASTE_LIMIT: u64 = 8 * 1024 * 1024;

/// `tshoot ticket`: the ticket printed on `out`; with `--copy` also copied, the copy report
/// on `err`.
pub fn ticket(ctx: &Ctx, opts: &TicketOpts, out: &mut dyn Write, err: &mut dyn Write) -> Outcome {
    let TicketOpts {
        id,
        set,
        paste,
        format,
        copy,
    } = opts;
    let lib = ctx.guides_named(&[id], err);
    let pasted = paste.as_deref().map(read_paste).transpose()?;
    let now = crate::clock::now_rfc3339();
    let args = cli::TicketArgs {
        id,
        set,
        paste: pasted.as_deref(),
        format: *format,
        now: &now,
        redact: ctx.redact(),
    };
    let (code, text) = cli::ticket(&lib, &args, out, err);
    if let (true, Some(text)) = (*copy, text) {
        let _ = out.flush();
        let mut env = clipboard::Env::from_env();
        if !env.tmux {
            env.version = crate::term::query_version();
        }
        let dir = clipboard::default_ticket_dir();
        // OSC 52 goes to the terminal itself, even when standard output is piped.
        let report = clipboard::copy_to_tty(&text, ctx.clipboard(), &env, &dir);
        let _ = writeln!(err, "tshoot: {}", report.summary());
        if !report.ok() {
            return Err(Failure::Reported);
        }
    }
    Ok(code)
}

/// Pasted error text from a file or `-` (standard input), lossily as UTF-8, at most
/// [`PASTE_LIMIT`] bytes. Not `fsread::open_regular`: `--paste <(pbpaste)` is a pipe, and that
/// is fine here.
pub fn read_paste(path: &Path) -> Result<String, Failure> {
    let (bytes, _) = super::triage::read_input(path, PASTE_LIMIT)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
