//! `byokcheck`: the command line over byokcheck-core, for people, CI and pre-commit hooks.

mod args;
mod commands;
mod config;
mod error;
mod exit;
mod input;
#[cfg(feature = "live")]
mod live;
mod render;
mod style;

use std::io::{self, BufWriter, IsTerminal, Write};

use clap::Parser;

use crate::args::{Cli, Command};
use crate::error::CliError;
use crate::exit::ExitStatus;

fn main() -> ExitStatus {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // Help and version go to standard output with status 0; usage errors (and help
            // shown because nothing was asked) to standard error with status 2.
            let _ = error.print();
            return if error.use_stderr() {
                ExitStatus::Error
            } else {
                ExitStatus::Success
            };
        }
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = match &cli.command {
        Command::Check(args) => commands::check::run(args, &mut out),
        Command::Verify(args) => commands::verify::run(args, &mut out),
        Command::Arn(args) => commands::arn::run(args, &mut out),
        Command::Generate(args) => commands::generate::run(args, &mut out),
        Command::Rule(args) => commands::rule::run(args, &mut out),
        #[cfg(feature = "live")]
        Command::Live(args) => live::run(args, &mut out),
    };
    let flushed = out.flush().map_err(commands::check::output_error);
    match result.and_then(|status| flushed.map(|()| status)) {
        Ok(status) => status,
        // A closed pipe (`byokcheck check . | head`) is the reader's choice, not an error to show.
        Err(CliError::Io { source, .. }) if source.kind() == io::ErrorKind::BrokenPipe => {
            ExitStatus::Error
        }
        Err(error) => {
            let label = if io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            {
                "\x1b[1;31merror\x1b[0m"
            } else {
                "error"
            };
            eprintln!("{label}: {error}");
            ExitStatus::Error
        }
    }
}
