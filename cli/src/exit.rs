//! The process exit status: `main` returns one, so every path out of a command says which.

use std::process::{ExitCode, Termination};

/// 0: nothing at or above `--fail-on`; 1: something is; 2: usage error or unreadable input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    Success,
    Failure,
    Error,
}

impl Termination for ExitStatus {
    fn report(self) -> ExitCode {
        match self {
            ExitStatus::Success => ExitCode::from(0),
            ExitStatus::Failure => ExitCode::from(1),
            ExitStatus::Error => ExitCode::from(2),
        }
    }
}
