//! Which terminal the engineer sits at, and what it does with an OSC 52 clipboard write.
//!
//! A terminal never answers OSC 52, so the only way to say more than "sent" is to know the
//! terminal. Inside tmux, tmux knows the attached client: `#{client_termname}` (its `TERM`),
//! `#{client_termtype}` (the terminal's own answer to XTVERSION, e.g. `XTerm(379)`) and
//! `#{client_termfeatures}`; tmux passes a clipboard write on to that client only when the
//! features hold `clipboard` (st's do not, so nothing reaches st through tmux at all).
//! Outside tmux the TUI asks the terminal itself (XTVERSION, fenced by a device-attributes
//! query; see `term.rs`); `$TERM` alone names only a few terminals for sure (`xterm-kitty`,
//! `st-*`), since most emulators call themselves `xterm-256color`.
//!
//! The table ([`KNOWN`]) holds what was measured on real terminals (xterm 379, kitty 0.26.5,
//! st 0.9, tmux 3.3a), in our words:
//! - tmux's `load-buffer -w` writes the OSC 52 with an empty selection target. xterm files that
//!   under PRIMARY (middle-click) unless `XTerm*selectToClipboard: true` is set or tmux is told
//!   to name the target (the `Ms` override in [`TMUX_MS_OVERRIDE`]); with its default
//!   resources xterm ignores clipboard writes altogether.
//! - kitty takes both forms, but through tmux it dropped a write whose sequence was longer than
//!   about 6,138 bytes (so about 4,500 bytes of text); with the `Ms` override 100 KB arrived.
//! - st is built with window operations off: it never takes a clipboard write.
//!
//! Unknown terminals get no promise: "sent to your terminal (it does not confirm)".

use std::fmt;

/// What a terminal does with a clipboard write it receives, with its default settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Takes {
    /// Into the clipboard (Ctrl-V / Cmd-V).
    Clipboard,
    /// Into the primary selection only (middle-click).
    Primary,
    /// Ignored unless a setting is changed ([`Terminal::fix_direct`] / [`Terminal::fix_tmux`]).
    NeedsSetting,
    /// Never, whatever is configured in tmux.
    Never,
}

/// One known terminal emulator.
#[derive(Debug, PartialEq, Eq)]
pub struct Terminal {
    /// Its name in messages.
    pub name: &'static str,
    /// Prefixes of its XTVERSION answer (`#{client_termtype}` inside tmux).
    pub version_prefixes: &'static [&'static str],
    /// Prefixes of `$TERM` (`#{client_termname}`) that name it for sure.
    pub term_prefixes: &'static [&'static str],
    /// tshoot's own OSC 52 (target `c`), outside tmux.
    pub direct: Takes,
    /// tmux's OSC 52 (empty target), from `load-buffer -w`.
    pub through_tmux: Takes,
    /// Longest text it takes through tmux (`None`: the common limit, [`super::OSC52_MAX_TEXT`]).
    pub tmux_limit: Option<usize>,
    /// What the engineer sets so that a direct write lands in the clipboard.
    pub fix_direct: &'static str,
    /// What the engineer sets so that tmux's write lands in the clipboard.
    pub fix_tmux: &'static str,
}

/// The tmux line that makes tmux name the clipboard target (`c`) in the OSC 52 it sends.
pub const TMUX_MS_OVERRIDE: &str =
    r"set -as terminal-overrides ',xterm*:Ms=\E]52;c%p1%s;%p2%s\007'";

/// The narrowest xterm resource that lets programs write (not read) the clipboard: the
/// default list of disallowed window operations minus `SetSelection`.
pub const XTERM_ALLOW_SET_SELECTION: &str = "XTerm*disallowedWindowOps: \
     1,2,3,4,5,6,7,8,9,11,13,14,18,19,20,21,GetSelection,SetWinLines,SetXprop";

/// Largest text kitty took through tmux: the sequence tmux writes (`ESC ] 52 ; ; base64 BEL`)
/// was dropped above about 6,138 bytes; 4,500 bytes of text make 6,007 (a margin below it).
pub const KITTY_TMUX_LIMIT: usize = 4_500;

/// The terminals whose behaviour was measured.
pub const KNOWN: &[Terminal] = &[
    Terminal {
        name: "xterm",
        version_prefixes: &["XTerm("],
        term_prefixes: &[],
        direct: Takes::NeedsSetting,
        through_tmux: Takes::NeedsSetting,
        tmux_limit: None,
        fix_direct: "xterm: add `XTerm*disallowedWindowOps: 1,2,3,4,5,6,7,8,9,11,13,14,18,19,20,21,\
            GetSelection,SetWinLines,SetXprop` (or `XTerm*allowWindowOps: true`) to ~/.Xresources, \
            run `xrdb -merge ~/.Xresources`, open a new xterm",
        fix_tmux: "xterm: allow SetSelection (`XTerm*disallowedWindowOps` without SetSelection, or \
            `XTerm*allowWindowOps: true`) and add `XTerm*selectToClipboard: true` (else the text \
            lands in PRIMARY, middle-click); or in ~/.tmux.conf: \
            set -as terminal-overrides ',xterm*:Ms=\\E]52;c%p1%s;%p2%s\\007'",
    },
    Terminal {
        name: "kitty",
        version_prefixes: &["kitty("],
        term_prefixes: &["xterm-kitty"],
        direct: Takes::Clipboard,
        through_tmux: Takes::Clipboard,
        tmux_limit: Some(KITTY_TMUX_LIMIT),
        fix_direct: "kitty: nothing to do (it takes OSC 52 by default)",
        fix_tmux: "kitty: nothing to do for short tickets; for tickets over 4,500 bytes add to \
            ~/.tmux.conf: set -as terminal-overrides ',xterm*:Ms=\\E]52;c%p1%s;%p2%s\\007'",
    },
    Terminal {
        name: "st",
        version_prefixes: &[],
        term_prefixes: &["st-", "st"],
        direct: Takes::Never,
        through_tmux: Takes::Never,
        tmux_limit: None,
        fix_direct: "st: clipboard writes are off at build time (allowwindowops = 0 in config.h); \
            rebuild st with it set to 1, or use the saved file",
        fix_tmux: "st: tmux does not forward clipboard writes to st (no `clipboard` feature); \
            paste from tmux's buffer (prefix ]) or use the saved file",
    },
];

/// What is known of the engineer's terminal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    /// `#{client_termname}` inside tmux, else `$TERM`.
    pub term: Option<String>,
    /// `#{client_termtype}` inside tmux, else the XTVERSION answer (`XTerm(379)`).
    pub version: Option<String>,
    /// `#{client_termfeatures}`, inside tmux only.
    pub features: Option<Vec<String>>,
    /// tmux's `set-clipboard` option, inside tmux only.
    pub set_clipboard: Option<String>,
}

impl Identity {
    /// The known terminal, from the version answer first, then from the terminal name.
    pub fn known(&self) -> Option<&'static Terminal> {
        let by_version = self.version.as_deref().and_then(|v| {
            KNOWN
                .iter()
                .find(|t| t.version_prefixes.iter().any(|p| v.starts_with(p)))
        });
        by_version.or_else(|| {
            let term = self.term.as_deref()?;
            KNOWN.iter().find(|t| {
                t.term_prefixes
                    .iter()
                    .any(|p| term == *p || (p.ends_with('-') && term.starts_with(p)))
            })
        })
    }

    /// Inside tmux: whether tmux passes clipboard writes on to the attached client (its
    /// features hold `clipboard` and `set-clipboard` is not `off`). `None` outside tmux.
    pub fn tmux_forwards(&self) -> Option<bool> {
        let features = self.features.as_ref()?;
        Some(
            features.iter().any(|f| f == "clipboard")
                && self.set_clipboard.as_deref() != Some("off"),
        )
    }

    /// How to name the terminal in a message: the table's name, else the version answer,
    /// else the terminal name, else "your terminal".
    pub fn label(&self) -> String {
        if let Some(t) = self.known() {
            return t.name.to_owned();
        }
        self.version
            .as_deref()
            .or(self.term.as_deref())
            .filter(|s| !s.is_empty())
            .map_or_else(|| "your terminal".to_owned(), ToOwned::to_owned)
    }

    /// The longest text sent to this terminal: one policy for every path, per terminal where
    /// a lower limit was measured (kitty through tmux), else [`super::OSC52_MAX_TEXT`].
    pub fn limit(&self, through_tmux: bool) -> usize {
        let known = if through_tmux {
            self.known().and_then(|t| t.tmux_limit)
        } else {
            None
        };
        known.unwrap_or(super::OSC52_MAX_TEXT)
    }
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let none = "?";
        write!(
            f,
            "{} (TERM {}, version {})",
            self.known().map_or("not identified", |t| t.name),
            self.term
                .as_deref()
                .filter(|s| !s.is_empty())
                .unwrap_or(none),
            self.version
                .as_deref()
                .filter(|s| !s.is_empty())
                .unwrap_or(none)
        )?;
        if let Some(features) = &self.features {
            write!(f, ", tmux features {}", features.join(","))?;
        }
        if let Some(sc) = &self.set_clipboard {
            write!(f, ", set-clipboard {sc}")?;
        }
        Ok(())
    }
}

/// The terminal's name from its XTVERSION answer (`ESC P > | NAME ESC \`) found anywhere in
/// `reply`; `None` when there is none (st answers only the device-attributes fence).
pub fn parse_xtversion(reply: &[u8]) -> Option<String> {
    let start = reply.windows(3).position(|w| w == b"\x1bP>")? + 3;
    let rest = reply[start..].strip_prefix(b"|")?;
    let end = rest.windows(2).position(|w| w == b"\x1b\\")?;
    let name = String::from_utf8_lossy(&rest[..end]);
    let name = crate::text::sanitize(name.trim());
    (!name.is_empty()).then_some(name)
}

/// Whether `reply` holds the end of a primary device attributes answer (`ESC [ ? ... c`),
/// the fence after which nothing more is awaited.
pub fn has_da1(reply: &[u8]) -> bool {
    reply.windows(3).enumerate().any(|(i, w)| {
        w == b"\x1b[?"
            && reply[i + 3..]
                .iter()
                .find(|b| !(b.is_ascii_digit() || **b == b';'))
                == Some(&b'c')
    })
}
