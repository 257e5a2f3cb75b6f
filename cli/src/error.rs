//! What stops a command before or while it runs: bad usage, a bad config, unreadable input.
//! Each becomes one clear message on standard error and exit status 2.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub enum CliError {
    /// Flags that cannot work together, an unknown rule, a bad value.
    Usage(String),
    /// A configuration file that cannot be read or parsed.
    Config { path: PathBuf, message: String },
    /// The live test cannot run: no credentials, no runtime.
    #[cfg_attr(
        not(feature = "live"),
        allow(dead_code, reason = "used by `live` only")
    )]
    Unavailable(String),
    /// A file or folder that cannot be read or written.
    Io {
        path: PathBuf,
        action: &'static str,
        source: std::io::Error,
    },
}

impl CliError {
    pub fn io(path: &Path, action: &'static str, source: std::io::Error) -> Self {
        CliError::Io {
            path: path.to_path_buf(),
            action,
            source,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(message) | CliError::Unavailable(message) => f.write_str(message),
            CliError::Config { path, message } => {
                write!(f, "invalid configuration in {}: {message}", path.display())
            }
            CliError::Io {
                path,
                action,
                source,
            } => write!(
                f,
                "cannot {action} {}: {}",
                path.display(),
                describe_io(source)
            ),
        }
    }
}

/// The OS message without Rust's ` (os error 2)` suffix, lowercased like our other messages.
pub fn describe_io(error: &std::io::Error) -> String {
    let text = error.to_string();
    let text = match text.split_once(" (os error") {
        Some((head, _)) => head.to_string(),
        None => text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_name_the_path_and_the_reason() {
        let error = CliError::io(
            Path::new("policies/a.json"),
            "read",
            std::io::Error::from(std::io::ErrorKind::NotFound),
        );
        let text = error.to_string();
        assert!(text.starts_with("cannot read policies/a.json: "), "{text}");
        assert!(!text.contains("os error"), "{text}");
    }
}
