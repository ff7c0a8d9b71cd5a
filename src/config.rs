//! The config file: `config.toml` in the config dir (`$XDG_CONFIG_HOME/tshoot/` on Linux), or
//! the file named by `--config` / `TSHOOT_CONFIG`. Every key is optional; unknown keys are
//! errors with a location. A broken config is reported and the defaults are used, so a typo
//! never locks the engineer out of the tool.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::guide::{Diagnostic, Severity};
use crate::keymap::Action;

/// Every option, with its default. `tshoot config --print-default` prints [`DEFAULT_TOML`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Extra guide folders, loaded after the user's guide folder.
    pub guides: Vec<PathBuf>,
    /// Mouse clicks and wheel in the wizard.
    pub mouse: bool,
    /// How tickets are copied: auto, tmux, osc52, system or file.
    pub clipboard: crate::ticket::clipboard::Method,
    /// How the ticket is written: text or markdown.
    pub ticket_format: crate::ticket::Format,
    /// Mask user names, e-mail and IP addresses and tenant ids in copied tickets and exports
    /// (as `--redact` does).
    pub redact: bool,
    /// Key bindings: action name -> keys. An action listed here loses its default keys.
    pub keys: BTreeMap<Action, Vec<String>>,
    pub colors: Colors,
}

/// Colours by role: a name (`cyan`, `lightred`, `gray`...), `#rrggbb`, an index `0`-`255`, or
/// `reset` for the terminal's own. `NO_COLOR` in the environment turns all colour off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Colors {
    /// Focus, highlight marker, titles.
    pub accent: String,
    /// Done, confirmed.
    pub ok: String,
    /// Errors, ruled out.
    pub bad: String,
    /// Suspected, warnings.
    pub warn: String,
    /// Secondary text.
    pub dim: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            guides: Vec::new(),
            mouse: true,
            clipboard: crate::ticket::clipboard::Method::Auto,
            ticket_format: crate::ticket::Format::Text,
            redact: false,
            keys: BTreeMap::new(),
            colors: Colors::default(),
        }
    }
}

impl Default for Colors {
    fn default() -> Self {
        Self {
            accent: "cyan".into(),
            ok: "green".into(),
            bad: "red".into(),
            warn: "yellow".into(),
            dim: "gray".into(),
        }
    }
}

/// The default config, commented: what `tshoot config --print-default` shows.
pub const DEFAULT_TOML: &str = r##"# tshoot configuration. Every key is optional; these are the defaults.
# Location: the file named by --config or TSHOOT_CONFIG, else config.toml in the config dir
# ($XDG_CONFIG_HOME/tshoot/config.toml, usually ~/.config/tshoot/config.toml).

# Extra guide folders, loaded after the bundled guides and the user's guide folder
# (~/.config/tshoot/guides). TSHOOT_GUIDES and --guides come after these; later ones win.
guides = []

# Mouse clicks and the wheel in the wizard.
mouse = true

# How a ticket is copied (y or Ctrl-Y in the ticket pane, or `tshoot ticket --copy`):
#   auto   - inside tmux: tmux load-buffer -w (reaches your own terminal's clipboard too);
#            over SSH: OSC 52 to your terminal; with a display: the system clipboard;
#            and always a file in the data dir.
#   tmux, osc52, system, file - only that method (falling back to the file when it fails).
# --clipboard METHOD overrides this.
clipboard = "auto"

# How the ticket is written: "text" or "markdown".
ticket_format = "text"

# Mask user names (UPNs), e-mail and IP addresses and tenant ids as <user-1>, <ip-1>,
# <tenant-1> in copied and printed tickets and in `tshoot export` (as --redact does).
# Correlation and request ids are kept.
redact = false

# Colours by role: a name (black, red, green, yellow, blue, magenta, cyan, gray, darkgray,
# lightred, ..., white), "#rrggbb", an index "0"-"255", or "reset". NO_COLOR turns colour off.
[colors]
accent = "cyan"
ok = "green"
bad = "red"
warn = "yellow"
dim = "gray"

# Key bindings: action = [keys]. Naming an action replaces its default keys.
# Keys: a character ("j", "?", "G"), ctrl-x, alt-x, shift-tab, enter, esc, space, tab,
# backspace, delete, up, down, left, right, home, end, pgup, pgdn, f1-f12.
# Number keys 1-9 always choose an answer directly.
[keys]
# quit = ["q", "ctrl-c"]
# help = ["?", "f1"]
# escape = ["esc"]
# up = ["up", "k", "ctrl-p"]
# down = ["down", "j", "ctrl-n"]
# page_up = ["pgup"]
# page_down = ["pgdn"]
# top = ["home", "g"]
# bottom = ["end", "G"]
# select = ["enter"]
# toggle = ["space"]
# next_pane = ["tab", "right", "l"]
# prev_pane = ["shift-tab", "left", "h"]
# back = ["backspace", "b"]
# undo = ["u"]
# confirm = ["c"]
# rule_out = ["x"]
# notes = ["n"]
# escalate = ["e"]
# resolve = ["r"]
# close = ["C"]
# label = ["L"]
# copy = ["y", "ctrl-y"]
# messages = ["m"]
"##;

/// Where the config file is looked for when none is named.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "tshoot").map(|d| d.config_dir().join("config.toml"))
}

/// Load the config at `path`. A missing file gives the defaults silently when it was not named
/// explicitly; any problem gives the defaults plus diagnostics to show.
pub fn load(path: Option<&Path>, explicit: bool) -> (Config, Vec<Diagnostic>) {
    let Some(path) = path else {
        return (Config::default(), Vec::new());
    };
    let name = path.display().to_string();
    let text = match crate::fsread::read_regular(path, 1 << 20).and_then(|b| {
        String::from_utf8(b)
            .map_err(|e| std::io::Error::other(format!("not UTF-8 text ({e})")).into())
    }) {
        Ok(t) => t,
        Err(crate::fsread::ReadError::Io(e))
            if e.kind() == std::io::ErrorKind::NotFound && !explicit =>
        {
            return (Config::default(), Vec::new());
        }
        Err(e) => {
            let d = Diagnostic::nowhere(
                Severity::Error,
                &name,
                format!("cannot read the config file: {e}"),
            )
            .with_help("fix the file or its permissions; using the default settings meanwhile");
            return (Config::default(), vec![d]);
        }
    };
    parse(&name, &text)
}

/// Parse config text; on error, the defaults and the located error.
pub fn parse(name: &str, text: &str) -> (Config, Vec<Diagnostic>) {
    match toml::from_str::<Config>(text) {
        Ok(c) => {
            let mut diags = Vec::new();
            for (role, value) in c.colors.entries() {
                if value.parse::<ratatui::style::Color>().is_err() {
                    let span = text
                        .find(&format!("\"{value}\""))
                        .map_or(0..0, |s| s..s + value.len() + 2);
                    diags.push(
                        Diagnostic::at(
                            Severity::Error,
                            name,
                            text,
                            span,
                            format!("colors.{role}: \"{value}\" is not a colour"),
                        )
                        .with_help(
                            "use a name such as \"cyan\", \"#rrggbb\" or an index \"0\"-\"255\"",
                        ),
                    );
                }
            }
            (c, diags)
        }
        Err(e) => {
            let msg = format!(
                "{}; using the default settings",
                e.message().trim_end().replace('\n', "; ")
            );
            let d = match e.span() {
                Some(span) => Diagnostic::at(Severity::Error, name, text, span, msg),
                None => Diagnostic::nowhere(Severity::Error, name, msg),
            }
            .with_help("`tshoot config --print-default` shows every option");
            (Config::default(), vec![d])
        }
    }
}

impl Colors {
    pub fn entries(&self) -> [(&'static str, &str); 5] {
        [
            ("accent", &self.accent),
            ("ok", &self.ok),
            ("bad", &self.bad),
            ("warn", &self.warn),
            ("dim", &self.dim),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_default_is_the_default() {
        let (c, d) = parse("default", DEFAULT_TOML);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c, Config::default());
        // Every action's commented default matches the key map's defaults.
        for (action, keys) in crate::keymap::default_bindings() {
            let line = format!(
                "# {} = [{}]",
                action.name(),
                keys.iter()
                    .map(|k| format!("\"{k}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            assert!(DEFAULT_TOML.contains(&line), "missing or stale: {line}");
        }
    }

    #[test]
    fn unknown_keys_are_located_errors_and_defaults_are_used() {
        let text = "mouse = false\n[colors]\naccnt = \"red\"\n";
        let (c, d) = parse("c.toml", text);
        assert_eq!(c, Config::default());
        assert_eq!(d.len(), 1);
        assert!(
            d[0].headline()
                .starts_with("c.toml:3:1: error: unknown field `accnt`"),
            "{}",
            d[0].headline()
        );
    }

    #[test]
    fn bad_colour_and_unknown_action_are_reported() {
        let (_, d) = parse("c.toml", "[colors]\naccent = \"blurple\"\n");
        assert!(
            d[0].headline().contains("c.toml:2:10"),
            "{}",
            d[0].headline()
        );
        let (_, d) = parse("c.toml", "[keys]\njump = [\"j\"]\n");
        assert!(
            d[0].headline().contains("c.toml:2:1"),
            "{}",
            d[0].headline()
        );
    }

    #[test]
    fn custom_keys_parse() {
        let (c, d) = parse("c.toml", "[keys]\ndown = [\"ctrl-j\"]\n");
        assert!(d.is_empty());
        assert_eq!(c.keys[&Action::Down], vec!["ctrl-j".to_owned()]);
    }
}
