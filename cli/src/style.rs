//! ANSI colours, written by hand: five styles do not justify a dependency.

use std::io::IsTerminal;

use byokcheck_core::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    enabled: bool,
}

impl Style {
    /// Colour only on a terminal, and never when `NO_COLOR` is set to anything non-empty
    /// (no-color.org).
    pub fn detect() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self {
            enabled: !no_color && std::io::stdout().is_terminal(),
        }
    }

    pub const fn plain() -> Self {
        Self { enabled: false }
    }

    fn paint(self, code: &str, text: &str) -> String {
        if self.enabled {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }

    /// Gutters, line numbers and other scaffolding.
    pub fn dim(self, text: &str) -> String {
        self.paint("1;34", text)
    }

    pub fn help(self, text: &str) -> String {
        self.paint("1;36", text)
    }

    pub fn ok(self, text: &str) -> String {
        self.paint("1;32", text)
    }

    pub fn severity(self, severity: Severity, text: &str) -> String {
        let code = match severity {
            Severity::Error => "1;31",
            Severity::SecurityWarning => "1;35",
            Severity::Warning => "1;33",
            Severity::Suggestion => "1;36",
        };
        self.paint(code, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_writes_no_escape_codes() {
        let style = Style::plain();
        assert_eq!(style.severity(Severity::Error, "error"), "error");
        assert_eq!(style.bold("x"), "x");
        let coloured = Style { enabled: true };
        assert_eq!(coloured.bold("x"), "\x1b[1mx\x1b[0m");
    }
}
