//! Output formats: one file per format, all fed the same entries in path order.

pub mod github;
pub mod json;
pub mod sarif;
pub mod snippet;
pub mod text;

use std::io::{self, Write};

use byokcheck_core::{DocumentKind, Finding, ItemStatus, Severity, VerificationItem};
use clap::ValueEnum;
use serde::Serialize;

use crate::args::FailOn;
use crate::exit::ExitStatus;
use crate::style::Style;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum OutputFormat {
    /// Findings as annotated source snippets, then a summary
    #[default]
    Text,
    /// The versioned JSON contract (`"version": 1`)
    Json,
    /// SARIF 2.1.0, for code-scanning uploads
    Sarif,
    /// GitHub Actions workflow annotations
    Github,
}

/// Why an entry was checked as its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KindSource {
    /// Detected from the text, with the reason.
    Detected(String),
    /// Set by a flag (`--kind trust`, `--as role`).
    Flag(String),
    /// Set by a glob of the config's `kinds` table: the glob and the config file.
    Glob(String, String),
    /// Given for a role, as in `verify`'s `--trust-policy`: the reason as it reads.
    Given(String),
}

impl KindSource {
    /// The reason as the JSON output carries it.
    pub fn reason(&self) -> String {
        match self {
            KindSource::Detected(reason) => reason.clone(),
            KindSource::Flag(flag) => format!("set with `{flag}`"),
            KindSource::Glob(glob, file) => format!("set by the `kinds` glob `{glob}` in {file}"),
            KindSource::Given(reason) => reason.clone(),
        }
    }

    /// "detected role trust policy: has `Principal`..." / "checked as ... (set with `--kind`)".
    pub fn sentence(&self, kind: DocumentKind) -> String {
        match self {
            KindSource::Detected(reason) => format!("detected {}: {reason}", kind.describe()),
            other => format!("checked as {}: {}", kind.describe(), other.reason()),
        }
    }
}

/// One checked input: a file, standard input, a document of a setup, or an ARN.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The path as shown (relative to the working directory when under it), `-` or the ARN.
    pub path: String,
    /// The kind it was checked as; `None` when it could not be read.
    pub kind: Option<DocumentKind>,
    pub kind_source: Option<KindSource>,
    pub findings: Vec<Finding>,
    /// The text, kept only when a renderer shows snippets and there are findings.
    pub source: Option<String>,
    /// Why it could not be read.
    pub error: Option<String>,
}

impl Entry {
    pub fn unreadable(path: String, error: String) -> Self {
        Self {
            path,
            kind: None,
            kind_source: None,
            findings: Vec::new(),
            source: None,
            error: Some(error),
        }
    }
}

/// What the entries are, for the summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Noun {
    File,
    Arn,
    Document,
}

impl Noun {
    pub fn count(self, n: usize) -> String {
        let (one, many) = match self {
            Noun::File => ("file", "files"),
            Noun::Arn => ("ARN", "ARNs"),
            Noun::Document => ("input", "inputs"),
        };
        format!("{n} {}", if n == 1 { one } else { many })
    }
}

/// Counts by severity, in the JSON summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub error: usize,
    pub security_warning: usize,
    pub warning: usize,
    pub suggestion: usize,
}

impl Counts {
    pub fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.error += 1,
            Severity::SecurityWarning => self.security_warning += 1,
            Severity::Warning => self.warning += 1,
            Severity::Suggestion => self.suggestion += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.error + self.security_warning + self.warning + self.suggestion
    }

    /// `(severity, count)` in severity order.
    pub fn by_severity(&self) -> [(Severity, usize); 4] {
        [
            (Severity::Error, self.error),
            (Severity::SecurityWarning, self.security_warning),
            (Severity::Warning, self.warning),
            (Severity::Suggestion, self.suggestion),
        ]
    }
}

/// The verification items' statuses, in the JSON summary of `verify`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ItemCounts {
    pub passed: usize,
    pub failed: usize,
    pub not_checked: usize,
}

impl ItemCounts {
    pub fn of(items: &[VerificationItem]) -> Self {
        let mut counts = Self::default();
        for item in items {
            match item.status {
                ItemStatus::Passed => counts.passed += 1,
                ItemStatus::Failed => counts.failed += 1,
                ItemStatus::NotChecked => counts.not_checked += 1,
            }
        }
        counts
    }
}

/// The run's totals, as the JSON `summary` carries them.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Entries checked, readable or not.
    pub checked: usize,
    /// Entries that could not be read (exit status 2).
    pub unreadable: usize,
    pub findings: usize,
    pub by_severity: Counts,
    pub fail_on: &'static str,
    /// Findings at or above `fail_on`.
    pub failing: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<ItemCounts>,
    /// The exit status: 0, 1 or 2.
    pub exit_status: u8,
    #[serde(skip)]
    pub noun: Noun,
}

/// Adds up entries as they stream past.
#[derive(Debug, Clone)]
pub struct Tally {
    pub checked: usize,
    pub unreadable: usize,
    pub counts: Counts,
    pub failing: usize,
    pub fail_on: FailOn,
    /// Set by `verify` when an item failed, whatever `fail_on` says.
    pub failed_items: bool,
}

impl Tally {
    pub fn new(fail_on: FailOn) -> Self {
        Self {
            checked: 0,
            unreadable: 0,
            counts: Counts::default(),
            failing: 0,
            fail_on,
            failed_items: false,
        }
    }

    pub fn add(&mut self, entry: &Entry) {
        self.checked += 1;
        if entry.error.is_some() {
            self.unreadable += 1;
        }
        for finding in &entry.findings {
            self.counts.add(finding.severity);
            if self.fail_on.fails(finding.severity) {
                self.failing += 1;
            }
        }
    }

    pub fn status(&self) -> ExitStatus {
        if self.unreadable > 0 {
            ExitStatus::Error
        } else if self.failing > 0 || self.failed_items {
            ExitStatus::Failure
        } else {
            ExitStatus::Success
        }
    }

    pub fn summary(&self, noun: Noun, items: Option<ItemCounts>) -> Summary {
        Summary {
            checked: self.checked,
            unreadable: self.unreadable,
            findings: self.counts.total(),
            by_severity: self.counts,
            fail_on: self.fail_on.as_str(),
            failing: self.failing,
            items,
            exit_status: match self.status() {
                ExitStatus::Success => 0,
                ExitStatus::Failure => 1,
                ExitStatus::Error => 2,
            },
            noun,
        }
    }
}

/// A renderer receives every entry in order, then the verification items (for `verify`),
/// then the summary.
pub trait Renderer {
    /// Whether entries must keep their source text (for snippets).
    fn wants_source(&self) -> bool {
        false
    }
    fn entry(&mut self, out: &mut dyn Write, entry: Entry) -> io::Result<()>;
    fn items(
        &mut self,
        _out: &mut dyn Write,
        _items: &[VerificationItem],
        _title: &str,
    ) -> io::Result<()> {
        Ok(())
    }
    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()>;
}

/// The renderer for `format`; `verification` for `verify`, whose text output is a table.
pub fn renderer(
    format: OutputFormat,
    style: Style,
    quiet: bool,
    verification: bool,
) -> Box<dyn Renderer> {
    match format {
        OutputFormat::Text if verification => {
            Box::new(text::TextRenderer::for_verification(style, quiet))
        }
        OutputFormat::Text => Box::new(text::TextRenderer::new(style, quiet)),
        OutputFormat::Json => Box::new(json::JsonRenderer::default()),
        OutputFormat::Sarif => Box::new(sarif::SarifRenderer::default()),
        OutputFormat::Github => Box::new(github::GithubRenderer),
    }
}

/// "1 error, 2 security warnings" (non-zero counts only), or "no findings".
pub fn counts_phrase(counts: &Counts, style: Style) -> String {
    let parts: Vec<String> = counts
        .by_severity()
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(severity, n)| {
            let name = match (severity, n) {
                (Severity::Error, 1) => "error",
                (Severity::Error, _) => "errors",
                (Severity::SecurityWarning, 1) => "security warning",
                (Severity::SecurityWarning, _) => "security warnings",
                (Severity::Warning, 1) => "warning",
                (Severity::Warning, _) => "warnings",
                (Severity::Suggestion, 1) => "suggestion",
                (Severity::Suggestion, _) => "suggestions",
            };
            style.severity(severity, &format!("{n} {name}"))
        })
        .collect();
    if parts.is_empty() {
        "no findings".to_string()
    } else {
        parts.join(", ")
    }
}

/// The one-line summary the text and github formats end with.
pub fn summary_line(summary: &Summary, style: Style) -> String {
    let mut line = format!(
        "checked {}: {}",
        summary.noun.count(summary.checked),
        counts_phrase(&summary.by_severity, style)
    );
    if summary.unreadable > 0 {
        let noun = if summary.unreadable == 1 {
            "input"
        } else {
            "inputs"
        };
        line.push_str(&format!(
            "; {} {noun} could not be read",
            summary.unreadable
        ));
    }
    if summary.failing > 0 {
        line.push_str(&format!(
            " ({} at or above `{}`)",
            summary.failing, summary.fail_on
        ));
    }
    line
}
