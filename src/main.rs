//! The `tshoot` binary: arguments -> library -> the chosen command.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use tshoot::cli::{self, Cli, Command};
use tshoot::guide::Library;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut err = std::io::stderr();
    let code = match cli.command {
        Some(Command::Schema) => {
            let _ = out.write_all(cli::schema().as_bytes());
            cli::EXIT_OK
        }
        Some(Command::Completions { shell }) => cli::completions(shell, &mut out),
        Some(Command::Check { paths, format }) => {
            let lib = if paths.is_empty() {
                Library::load(&cli::guide_folders(&cli.guides, &[]))
            } else {
                Library::load_paths(&paths)
            };
            cli::check(&lib, format, &mut out)
        }
        Some(Command::List { json }) => {
            let lib = Library::load(&cli::guide_folders(&cli.guides, &[]));
            cli::report_library(&lib, &mut err);
            cli::list(&lib, json, &mut out)
        }
        Some(Command::Show { id, width }) => {
            let lib = Library::load(&cli::guide_folders(&cli.guides, &[]));
            cli::report_library(&lib, &mut err);
            cli::show(&lib, &id, width, &mut out, &mut err)
        }
        None => {
            let lib = Library::load(&cli::guide_folders(&cli.guides, &[]));
            cli::report_library(&lib, &mut err);
            match cli.query {
                Some(q) => cli::show(&lib, &q, 100, &mut out, &mut err),
                None => cli::list(&lib, false, &mut out),
            }
        }
    };
    let _ = out.flush();
    ExitCode::from(code)
}
