//! The `tshoot` binary: parse the arguments, run the command ([`tshoot::cmd`]), exit with
//! its code. Nothing else lives here, so every command can be tested in process.

use std::io::BufWriter;
use std::process::ExitCode;

use clap::Parser;
use tshoot::cmd::{self, Ctx};
use tshoot::plain::Plain;

fn main() -> ExitCode {
    if let Some(code) = cmd::hidden::run(std::env::args().skip(1)) {
        return code;
    }
    let cli = tshoot::cli::Cli::parse();
    // Text from guides, file names, sessions and pastes is printed, never obeyed. Standard
    // output is not held locked: the wizard and its signal thread write to the terminal too.
    let mut out = Plain::new(BufWriter::new(std::io::stdout()));
    let mut err = Plain::new(std::io::stderr());
    let ctx = Ctx::from_cli(cli, &mut err);
    ExitCode::from(cmd::run(&ctx, &mut out, &mut err))
}
