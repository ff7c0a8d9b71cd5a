//! Copy a ticket text to the engineer by every method that can reach them.
//!
//! Support engineers run tshoot over SSH, often inside tmux, so "the clipboard" may be the
//! tmux buffer (forwarded to the outer terminal by `tmux load-buffer -w`), the local terminal's
//! clipboard through OSC 52, the X11 clipboard of a display, or (always) a file. One file per
//! method, and this one holds the plan that picks them ([`auto_plan`]) and the report:
//!
//! | file | method | what it can confirm |
//! |---|---|---|
//! | [`tmux`] | `tmux load-buffer -w -` | tmux's own buffer (its exit status); not the outer terminal |
//! | [`osc52`] | the OSC 52 escape sequence | nothing: terminals never answer it |
//! | [`x11`] | the X11 clipboard, through arboard, kept by a background holder | the text read back from the X server |
//! | [`file`] | a 0600 file in the ticket folder | the file written and synced |
//!
//! Every attempt is recorded in a [`Report`] as a typed [`Done`] or [`ClipboardError`], whose
//! messages are honest: OSC 52 says "sent", and the system clipboard is only called "copied"
//! after the text was read back. The facts each method relies on are stated in its file.

use std::ffi::OsString;
use std::fmt;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

pub mod file;
pub mod osc52;
pub mod terminals;
pub mod tmux;
pub mod verified;
pub mod x11;

pub use file::{FileError, copy_file, default_ticket_dir};
pub use osc52::{Osc52Error, copy_osc52, osc52_sequence};
pub use terminals::{Identity, Takes, Terminal};
pub use tmux::{TmuxError, copy_tmux, query_client};
pub use verified::Verified;
pub use x11::{SystemError, copy_system, hold_clipboard_main};

/// Hidden argument that makes the tshoot binary run [`hold_clipboard_main`].
pub const HOLD_ARG: &str = "__hold-clipboard";
/// Hidden argument that makes the tshoot binary run [`copy_cli_main`] (`tshoot __copy METHOD`).
pub const COPY_ARG: &str = "__copy";
/// Environment variable that overrides [`default_ticket_dir`].
pub const TICKET_DIR_VAR: &str = "TSHOOT_TICKET_DIR";

/// How long `tmux load-buffer` may take before it is killed.
pub const TMUX_TIMEOUT: Duration = Duration::from_secs(2);
/// How long the X display may take to answer the connection.
pub const DISPLAY_TIMEOUT: Duration = Duration::from_millis(1500);
/// How long the background holder may take to confirm it owns the clipboard.
pub const HOLDER_TIMEOUT: Duration = Duration::from_secs(3);
/// Largest text sent by OSC 52: 74 994 bytes encode to 99 992 base64 characters, under the
/// 100 000 characters that terminals commonly accept in one OSC 52 sequence; a longer one may
/// be dropped without a word, so tshoot refuses it and says so.
pub const OSC52_MAX_TEXT: usize = 74_994;
/// GNU screen passes a DCS string through only up to a limited length: each `ESC P ... ESC \`
/// chunk we write is at most this many bytes, framing included.
pub const SCREEN_CHUNK: usize = 700;

/// How to copy.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    clap::ValueEnum,
    Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Every method that fits the environment, and always the file too.
    #[default]
    Auto,
    /// `tmux load-buffer -w -`: tmux's buffer and, through tmux, the terminal's clipboard.
    Tmux,
    /// OSC 52 escape sequence written to the terminal.
    Osc52,
    /// The X11 clipboard of `$DISPLAY`, kept after exit by a background holder.
    System,
    /// A file in the ticket directory.
    File,
}

impl Method {
    /// Short human name for status lines.
    pub fn label(self) -> &'static str {
        match self {
            Method::Auto => "auto",
            Method::Tmux => "tmux",
            Method::Osc52 => "OSC 52",
            Method::System => "system clipboard",
            Method::File => "file",
        }
    }
}

/// What the environment offers, read once. Build it by hand in tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent facts read from the environment, not a state to encode"
)]
pub struct Env {
    /// `$TMUX` is set: we run inside tmux.
    pub tmux: bool,
    /// `$STY` is set, or `$TERM` starts with "screen" and we are not inside tmux.
    pub screen: bool,
    /// `$SSH_TTY` or `$SSH_CONNECTION` is set.
    pub ssh: bool,
    /// `$DISPLAY` or `$WAYLAND_DISPLAY` is set.
    pub display: bool,
    /// tmux server socket name, passed as `tmux -L NAME` (tests use a private server). `None`:
    /// tmux finds the server itself (through `$TMUX` when inside tmux).
    pub tmux_socket: Option<String>,
    /// Executable that understands [`HOLD_ARG`] (the tshoot binary). `None`: no background
    /// holder, the system clipboard then only lasts while this process runs.
    pub holder: Option<PathBuf>,
    /// `$TERM`.
    pub term: Option<String>,
    /// The terminal's XTVERSION answer (outside tmux), when the TUI asked it.
    pub version: Option<String>,
    /// The SSH client's address (first field of `$SSH_CLIENT`), or `None` when local.
    pub ssh_client: Option<String>,
    /// Where verified copy paths are recorded ([`verified`]); `None`: none are.
    pub verified_file: Option<PathBuf>,
}

impl Env {
    /// Read the process environment. The holder is the current executable, which must be the
    /// tshoot binary (its `main` dispatches [`HOLD_ARG`] to [`hold_clipboard_main`]).
    pub fn from_env() -> Self {
        Env {
            holder: std::env::current_exe().ok(),
            verified_file: verified::default_file(),
            ..Self::from_vars(|name| std::env::var_os(name))
        }
    }

    /// Build from a variable lookup (`tmux_socket` and `holder` stay `None`).
    pub fn from_vars(get: impl Fn(&str) -> Option<OsString>) -> Self {
        let set = |name: &str| get(name).is_some_and(|v| !v.is_empty());
        let text = |name: &str| {
            get(name)
                .map(|v| v.to_string_lossy().into_owned())
                .filter(|v| !v.is_empty())
        };
        let tmux = set("TMUX");
        let term_screen = get("TERM").is_some_and(|t| t.to_string_lossy().starts_with("screen"));
        Env {
            tmux,
            screen: set("STY") || (term_screen && !tmux),
            ssh: set("SSH_TTY") || set("SSH_CONNECTION"),
            display: set("DISPLAY") || set("WAYLAND_DISPLAY"),
            tmux_socket: None,
            holder: None,
            term: text("TERM"),
            version: None,
            ssh_client: text("SSH_CLIENT")
                .and_then(|c| c.split_whitespace().next().map(ToOwned::to_owned)),
            verified_file: None,
        }
    }
}

/// What is known of the engineer's terminal for `env`: inside tmux, tmux's attached client
/// ([`query_client`]; an error leaves it unknown), else `$TERM` and the XTVERSION answer.
pub fn identify(env: &Env) -> Identity {
    if env.tmux {
        return query_client(env).unwrap_or_default();
    }
    Identity {
        term: env.term.clone(),
        version: env.version.clone(),
        ..Identity::default()
    }
}

/// What happened beyond tmux's buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Onward {
    /// tmux was asked to pass the text on (`-w`) and the attached client takes clipboard
    /// writes: sent, and `to` says what that terminal does with it.
    Sent(Sent),
    /// Not passed on, and why (no client, no `clipboard` feature, too long, old tmux).
    Kept(String),
}

/// A clipboard write sent to a terminal, which never confirms it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    /// The terminal's name in the message.
    pub to: String,
    /// What that terminal does with it, from [`terminals::KNOWN`] (`None`: unknown).
    pub note: Option<String>,
    /// The date this path was verified on this terminal ([`verified`]), if it was.
    pub verified: Option<String>,
}

impl Sent {
    /// The message, with `detail` (how it was sent, e.g. "OSC 52, 3 bytes") in brackets.
    pub fn describe(&self, detail: &str) -> String {
        let join = |a: &str, sep: &str, b: &str| match (a.is_empty(), b.is_empty()) {
            (true, _) => b.to_owned(),
            (_, true) => a.to_owned(),
            _ => format!("{a}{sep}{b}"),
        };
        let bracket = |s: String| {
            if s.is_empty() { s } else { format!(" ({s})") }
        };
        if let Some(date) = &self.verified {
            let inner = join(&format!("verified {date}"), ", ", detail);
            return format!("copied to {}'s clipboard ({inner})", self.to);
        }
        if let Some(note) = &self.note {
            format!("sent to your terminal{}", bracket(join(note, "; ", detail)))
        } else {
            let to = if self.to == "your terminal" {
                ""
            } else {
                &self.to
            };
            format!(
                "sent to your terminal{}; it does not confirm",
                bracket(join(to, ", ", detail))
            )
        }
    }
}

/// The note for a write reaching `t`, through tmux or directly.
fn takes_note(t: &Terminal, through_tmux: bool) -> String {
    let takes = if through_tmux {
        t.through_tmux
    } else {
        t.direct
    };
    match (takes, t.name) {
        (Takes::NeedsSetting, "xterm") if through_tmux => "xterm: lands only with SetSelection \
             allowed, and needs `selectToClipboard` for Ctrl-V, otherwise middle-click"
            .to_owned(),
        (Takes::NeedsSetting, name) => {
            format!("{name}: ignored unless allowed, see `tshoot doctor`")
        }
        (Takes::Clipboard, name) => format!("{name} takes it; it does not confirm"),
        (Takes::Primary, name) => format!("{name}: primary selection, middle-click"),
        (Takes::Never, name) => format!("{name} does not take clipboard writes"),
    }
}

/// What one method did, when it did not fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    /// tmux took the text into its buffer (confirmed by its exit status); `onward` says
    /// whether it was passed on to the outer terminal, which never confirms.
    Tmux { onward: Onward },
    /// The OSC 52 sequence was written to the terminal.
    Osc52 {
        bytes: usize,
        screen: bool,
        inside_tmux: bool,
        sent: Sent,
    },
    /// The X11 clipboard of `display` holds the text (read back). `held`: a background holder
    /// keeps it after tshoot exits; otherwise only while tshoot runs, and `note` says why.
    System {
        display: String,
        held: bool,
        note: Option<String>,
    },
    /// Written to this file.
    File { path: PathBuf },
}

impl Done {
    /// Whether the outcome was checked (a buffer, a read-back, a file, a verified terminal),
    /// not only sent.
    pub fn confirmed(&self) -> bool {
        match self {
            Done::Osc52 { sent, .. } => sent.verified.is_some(),
            _ => true,
        }
    }

    /// The parts of the message, each with whether it was confirmed: tmux's buffer is, what
    /// tmux passed on is not (unless verified).
    pub fn parts(&self) -> Vec<(bool, String)> {
        match self {
            Done::Tmux {
                onward: Onward::Sent(sent),
            } => vec![
                (true, "in tmux's buffer".to_owned()),
                (sent.verified.is_some(), sent.describe("")),
            ],
            Done::Tmux {
                onward: Onward::Kept(why),
            } => vec![(true, format!("in tmux's buffer only: {why}"))],
            other => vec![(other.confirmed(), other.to_string())],
        }
    }
}

impl fmt::Display for Done {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Done::Tmux { .. } => {
                let parts: Vec<String> = self.parts().into_iter().map(|(_, p)| p).collect();
                f.write_str(&parts.join("; "))
            }
            Done::Osc52 {
                bytes,
                screen,
                inside_tmux,
                sent,
            } => {
                let via = if *screen { ", through GNU screen" } else { "" };
                let tmux_note = if *inside_tmux {
                    "; inside tmux it is dropped unless tmux allows it"
                } else {
                    ""
                };
                let detail = format!("OSC 52, {bytes} bytes{via}");
                write!(f, "{}{tmux_note}", sent.describe(&detail))
            }
            Done::System {
                display,
                held: true,
                ..
            } => write!(
                f,
                "copied to the system clipboard (X11 {display}); kept after exit by a background holder"
            ),
            Done::System { display, note, .. } => write!(
                f,
                "copied to the system clipboard (X11 {display}); kept only while tshoot runs ({})",
                note.as_deref().unwrap_or("no background holder")
            ),
            Done::File { path } => write!(f, "saved to {}", tilde(path)),
        }
    }
}

/// Why one method failed: one error type per method, each in its own file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClipboardError {
    #[error(transparent)]
    Tmux(#[from] TmuxError),
    #[error(transparent)]
    Osc52(#[from] Osc52Error),
    #[error(transparent)]
    System(#[from] SystemError),
    #[error(transparent)]
    File(#[from] FileError),
    /// `Auto` is a plan, not a method; asked to run it alone.
    #[error("auto is not a single method")]
    NotAMethod,
}

/// One attempt's outcome, to be shown honestly in a status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub method: Method,
    /// What was done and where, or why it failed.
    pub result: Result<Done, ClipboardError>,
}

/// All attempts of one copy, in the order they were made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub attempts: Vec<Attempt>,
}

impl Report {
    /// At least one attempt succeeded (the file counts: the text is not lost).
    pub fn ok(&self) -> bool {
        self.attempts.iter().any(|a| a.result.is_ok())
    }

    /// The attempt made by `method`, if any.
    pub fn attempt(&self, method: Method) -> Option<&Attempt> {
        self.attempts.iter().find(|a| a.method == method)
    }

    /// One line for a status bar: every part in the order tried, each marked: `✓` confirmed
    /// (tmux's buffer, the X11 clipboard read back, a verified terminal, the file), `→` sent
    /// but not confirmed, `✗` failed.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        for a in &self.attempts {
            match &a.result {
                Ok(done) => {
                    for (confirmed, text) in done.parts() {
                        let mark = if confirmed { "✓" } else { "→" };
                        parts.push(format!("{mark} {text}"));
                    }
                }
                Err(why) => parts.push(format!(
                    "✗ {}: {}",
                    a.method.label(),
                    one_line(&why.to_string())
                )),
            }
        }
        if parts.is_empty() {
            return "nothing was tried".to_owned();
        }
        let lead = if self.ok() { "" } else { "not copied: " };
        one_line(&format!("{lead}{}", parts.join("; ")))
    }
}

/// The methods `Auto` tries for `env`, in order: tmux inside tmux; otherwise OSC 52 over SSH or
/// without a display (tmux drops OSC 52, so not inside tmux); the system clipboard when there
/// is a display; and always the file.
pub fn auto_plan(env: &Env) -> Vec<Method> {
    let mut plan = Vec::new();
    if env.tmux {
        plan.push(Method::Tmux);
    } else if env.ssh || !env.display {
        plan.push(Method::Osc52);
    }
    if env.display {
        plan.push(Method::System);
    }
    plan.push(Method::File);
    plan
}

/// Copy `text` by `method`.
///
/// `Auto` makes every attempt of [`auto_plan`] (each failure recorded, the next still tried;
/// the file is always written). An explicit method that fails falls through to the file, so
/// the text is never lost; `File` writes only the file. `out` is the terminal (for OSC 52).
/// Never panics; the slowest path (a display that never answers) returns after
/// [`DISPLAY_TIMEOUT`].
pub fn copy(text: &str, method: Method, env: &Env, out: &mut dyn Write, file_dir: &Path) -> Report {
    let plan = match method {
        Method::Auto => auto_plan(env),
        other => vec![other],
    };
    let ctx = Context {
        text,
        env,
        id: if plan
            .iter()
            .any(|m| matches!(m, Method::Tmux | Method::Osc52))
        {
            identify(env)
        } else {
            Identity::default()
        },
        verified: env
            .verified_file
            .as_deref()
            .map(Verified::load)
            .unwrap_or_default(),
        dir: file_dir,
    };
    let mut attempts = Vec::with_capacity(plan.len() + 1);
    for m in plan {
        attempts.push(ctx.attempt(m, out));
    }
    if method != Method::Auto && !attempts.iter().any(|a| a.result.is_ok()) {
        attempts.push(ctx.attempt(Method::File, out));
    }
    Report { attempts }
}

/// What every attempt of one copy shares.
struct Context<'a> {
    text: &'a str,
    env: &'a Env,
    id: Identity,
    verified: Verified,
    dir: &'a Path,
}

impl Context<'_> {
    fn attempt(&self, method: Method, out: &mut dyn Write) -> Attempt {
        let result = match method {
            Method::Tmux => self.tmux().map_err(ClipboardError::from),
            Method::Osc52 => self.osc52(out).map_err(ClipboardError::from),
            Method::System => copy_system(self.text, self.env).map_err(ClipboardError::from),
            Method::File => copy_file(self.text, self.dir).map_err(ClipboardError::from),
            Method::Auto => Err(ClipboardError::NotAMethod),
        };
        Attempt { method, result }
    }

    fn sent(&self, route: verified::Route) -> Sent {
        let through_tmux = route == verified::Route::Tmux;
        Sent {
            to: self.id.label(),
            note: self.id.known().map(|t| takes_note(t, through_tmux)),
            verified: self
                .verified
                .date(&verified::key(route, &self.id, self.env))
                .map(ToOwned::to_owned),
        }
    }

    /// tmux's buffer, passed on with `-w` only when it can arrive: the client takes clipboard
    /// writes and the text is within that terminal's limit through tmux.
    fn tmux(&self) -> Result<Done, TmuxError> {
        let id = &self.id;
        let limit = id.limit(true);
        let kept = match id.tmux_forwards() {
            Some(false) if id.term.as_deref().is_none_or(str::is_empty) => {
                Some("no tmux client is attached".to_owned())
            }
            Some(false) if id.set_clipboard.as_deref() == Some("off") => {
                Some("tmux's set-clipboard is off".to_owned())
            }
            Some(false) => Some(match id.known() {
                Some(t) if t.through_tmux == Takes::Never => {
                    format!("{} does not take clipboard writes", t.name)
                }
                _ => format!(
                    "tmux does not pass clipboard writes to {} (no `clipboard` in its features)",
                    id.label()
                ),
            }),
            _ if self.text.len() > limit => Some(format!(
                "too long for {} through tmux ({} bytes, limit {limit})",
                id.label(),
                self.text.len()
            )),
            _ => None,
        };
        let forwarded = copy_tmux(self.text, self.env, kept.is_none())?;
        let onward = match kept {
            Some(why) => Onward::Kept(why),
            None if !forwarded => {
                Onward::Kept("this tmux has no load-buffer -w; paste with prefix ]".to_owned())
            }
            None => Onward::Sent(self.sent(verified::Route::Tmux)),
        };
        Ok(Done::Tmux { onward })
    }

    fn osc52(&self, out: &mut dyn Write) -> Result<Done, Osc52Error> {
        let limit = self.id.limit(false);
        if self.text.len() > limit {
            return Err(Osc52Error::TooLong {
                len: self.text.len(),
                limit,
            });
        }
        let route = if self.env.screen {
            verified::Route::Screen
        } else {
            verified::Route::Osc52
        };
        copy_osc52(self.text, self.env, out, self.sent(route))
    }
}

/// The terminal, for OSC 52: `/dev/tty` (so the sequence reaches it even when standard output
/// is a pipe). `None` when there is no controlling terminal (`ssh host cmd` without `-t`,
/// `setsid`): opening it fails with ENXIO, and nothing can be sent.
pub fn open_tty() -> Option<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/tty")
        .ok()
}

/// Copy by `method` with OSC 52 going to the controlling terminal, or nowhere without one.
pub fn copy_to_tty(text: &str, method: Method, env: &Env, file_dir: &Path) -> Report {
    match open_tty() {
        Some(mut tty) => copy(text, method, env, &mut tty, file_dir),
        None => copy(text, method, env, &mut osc52::NoTerminal, file_dir),
    }
}

/// `path` with the home folder shown as `~`, for messages.
pub fn tilde(path: &Path) -> String {
    match std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        Some(home) => match path.strip_prefix(&home) {
            Ok(rest) if rest.as_os_str().is_empty() => "~".to_owned(),
            Ok(rest) => format!("~/{}", rest.display()),
            Err(_) => path.display().to_string(),
        },
        None => path.display().to_string(),
    }
}

/// Collapse whitespace runs (newlines included) so a message fits one status line.
pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------------
// Hidden CLI

/// Entry point of the hidden `tshoot __copy METHOD` subcommand: copy stdin by `method` with
/// the real environment, OSC 52 going to `/dev/tty` (nowhere without one), files to
/// [`default_ticket_dir`]. Prints [`Report::summary`] on stdout; exit 0 if [`Report::ok`].
pub fn copy_cli_main(method: Method) -> ExitCode {
    let mut text = String::new();
    if let Err(e) = io::stdin().read_to_string(&mut text) {
        eprintln!("tshoot: could not read the text from stdin: {e}");
        return ExitCode::FAILURE;
    }
    let env = Env::from_env();
    let dir = default_ticket_dir();
    let report = copy_to_tty(&text, method, &env, &dir);
    x11::say(&report.summary());
    if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

#[cfg(test)]
mod tests;
