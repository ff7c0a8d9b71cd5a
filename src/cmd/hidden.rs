//! Internal commands, not for users and not in `--help`: the clipboard holder that keeps a
//! copied ticket on the X11 clipboard after tshoot exits, a copy driver the clipboard tests
//! use, and the man page and completion writers the package build uses.

use std::process::ExitCode;

use crate::cli::EXIT_USAGE;
use crate::ticket::clipboard;

/// The hidden command named by the first argument, run; `None` when it names none.
pub fn run(mut args: impl Iterator<Item = String>) -> Option<ExitCode> {
    match args.next()?.as_str() {
        clipboard::HOLD_ARG => Some(clipboard::hold_clipboard_main()),
        which @ (crate::manpage::MAN_ARG | crate::manpage::COMPLETIONS_ARG) => {
            Some(crate::manpage::hidden_main(which, args.next()))
        }
        clipboard::COPY_ARG => {
            use clap::ValueEnum as _;
            let name = args.next().unwrap_or_else(|| "auto".to_owned());
            Some(match clipboard::Method::from_str(&name, true) {
                Ok(method) => clipboard::copy_cli_main(method),
                Err(e) => {
                    eprintln!("tshoot: {}: {e}", clipboard::COPY_ARG);
                    ExitCode::from(EXIT_USAGE)
                }
            })
        }
        _ => None,
    }
}
