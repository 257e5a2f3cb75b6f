//! `--format github`: GitHub Actions workflow commands, one annotation per finding
//! (`::error file=...,line=...::message`), then the summary line.

use std::io::{self, Write};

use byokcheck_core::{ItemStatus, Severity, VerificationItem};

use super::{summary_line, Entry, Renderer, Summary};
use crate::style::Style;

#[derive(Debug, Default)]
pub struct GithubRenderer;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error | Severity::SecurityWarning => "error",
        Severity::Warning => "warning",
        Severity::Suggestion => "notice",
    }
}

/// Escaping for a command's message (after `::`).
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping for a command's property values, where `:` and `,` also delimit.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

impl Renderer for GithubRenderer {
    fn entry(&mut self, out: &mut dyn Write, entry: Entry) -> io::Result<()> {
        if let Some(error) = &entry.error {
            return writeln!(
                out,
                "::error file={},title=byokcheck::{}",
                property(&entry.path),
                data(&format!("cannot check {}: {error}", entry.path))
            );
        }
        for finding in &entry.findings {
            let mut message = format!("{} [{}]", finding.message, finding.severity);
            if let Some(help) = &finding.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            writeln!(
                out,
                "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                level(finding.severity),
                property(&entry.path),
                finding.line,
                finding.column,
                finding.end_line,
                finding.end_column,
                property(&format!("{} {}", finding.code, finding.name)),
                data(&message)
            )?;
        }
        Ok(())
    }

    fn items(
        &mut self,
        out: &mut dyn Write,
        items: &[VerificationItem],
        _title: &str,
    ) -> io::Result<()> {
        for item in items {
            let (level, status) = match item.status {
                ItemStatus::Passed => ("notice", "passed"),
                ItemStatus::Failed => ("error", "failed"),
                ItemStatus::NotChecked => ("notice", "not checked"),
            };
            writeln!(
                out,
                "::{level} title={}::{}",
                property(&item.title),
                data(&format!("{status}: {}", item.detail))
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        writeln!(out, "{}", summary_line(summary, Style::plain()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_workflow_command_syntax() {
        assert_eq!(data("50%\nnext"), "50%25%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
