//! `--format text`: findings as annotated snippets while files stream past, then one line per
//! file saying what kind it was checked as and why, then the summary line. For `verify`, the
//! setup guide's verification table with the findings under each item.

use std::io::{self, Write};

use byokcheck_core::{Finding, ItemStatus, VerificationItem};

use super::{snippet, summary_line, Entry, ItemCounts, Renderer, Summary};
use crate::style::Style;

pub struct TextRenderer {
    style: Style,
    quiet: bool,
    /// `path: detected ...` lines, printed before the summary.
    notes: Vec<String>,
    /// `verify` keeps its entries to show their findings under the items.
    deferred: Option<Vec<Entry>>,
}

impl TextRenderer {
    pub fn new(style: Style, quiet: bool) -> Self {
        Self {
            style,
            quiet,
            notes: Vec::new(),
            deferred: None,
        }
    }

    /// Entries are held until the verification items arrive.
    pub fn for_verification(style: Style, quiet: bool) -> Self {
        Self {
            deferred: Some(Vec::new()),
            ..Self::new(style, quiet)
        }
    }

    fn unreadable(style: Style, out: &mut dyn Write, path: &str, error: &str) -> io::Result<()> {
        writeln!(
            out,
            "{}: {}: {error}",
            style.bold(path),
            style.severity(byokcheck_core::Severity::Error, "error")
        )
    }

    /// The entry and source a finding of the verification came from.
    fn origin<'e>(entries: &'e [Entry], finding: &Finding) -> Option<&'e Entry> {
        entries.iter().find(|e| e.findings.contains(finding))
    }
}

fn status_text(status: ItemStatus) -> &'static str {
    match status {
        ItemStatus::Passed => "passed",
        ItemStatus::Failed => "FAILED",
        ItemStatus::NotChecked => "not checked",
    }
}

fn indent(block: &str, by: &str) -> String {
    block
        .lines()
        .map(|line| {
            if line.is_empty() {
                String::from("\n")
            } else {
                format!("{by}{line}\n")
            }
        })
        .collect()
}

impl Renderer for TextRenderer {
    fn wants_source(&self) -> bool {
        true
    }

    fn entry(&mut self, out: &mut dyn Write, entry: Entry) -> io::Result<()> {
        if let Some(deferred) = &mut self.deferred {
            if let Some(error) = &entry.error {
                Self::unreadable(self.style, out, &entry.path, error)?;
            }
            deferred.push(entry);
            return Ok(());
        }
        if let Some(error) = &entry.error {
            return Self::unreadable(self.style, out, &entry.path, error);
        }
        for finding in &entry.findings {
            let block = snippet::render(&entry.path, entry.source.as_deref(), finding, self.style);
            writeln!(out, "{block}")?;
        }
        if let (Some(kind), Some(source)) = (entry.kind, &entry.kind_source) {
            if !self.quiet || !entry.findings.is_empty() {
                self.notes
                    .push(format!("{}: {}", entry.path, source.sentence(kind)));
            }
        }
        Ok(())
    }

    fn items(
        &mut self,
        out: &mut dyn Write,
        items: &[VerificationItem],
        title: &str,
    ) -> io::Result<()> {
        let entries = self.deferred.take().unwrap_or_default();
        writeln!(out, "{}\n", self.style.bold(title))?;
        let width = items.iter().map(|i| i.title.len()).max().unwrap_or(0);
        let mut ends_blank = false;
        for item in items {
            let status = status_text(item.status);
            let painted = match item.status {
                ItemStatus::Passed => self.style.ok(status),
                ItemStatus::Failed => self.style.severity(byokcheck_core::Severity::Error, status),
                ItemStatus::NotChecked => self.style.dim(status),
            };
            // Pad before painting: escape codes would throw the column widths off.
            let pad = " ".repeat(11usize.saturating_sub(status.len()));
            writeln!(
                out,
                "  {:<width$}  {painted}{pad}  {}",
                item.title, item.detail
            )?;
            ends_blank = !item.findings.is_empty();
            if !item.findings.is_empty() {
                writeln!(out)?;
                for finding in &item.findings {
                    let origin = Self::origin(&entries, finding);
                    let path = origin.map_or("?", |e| e.path.as_str());
                    let source = origin.and_then(|e| e.source.as_deref());
                    let block = snippet::render(path, source, finding, self.style);
                    writeln!(out, "{}", indent(&block, "      "))?;
                }
            }
        }
        let counts = ItemCounts::of(items);
        if !ends_blank {
            writeln!(out)?;
        }
        writeln!(
            out,
            "{} passed, {} failed, {} not checked",
            counts.passed, counts.failed, counts.not_checked
        )
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        if summary.checked == 0 {
            return Ok(());
        }
        if !self.notes.is_empty() {
            for note in &self.notes {
                writeln!(out, "{note}")?;
            }
        }
        writeln!(out, "{}", summary_line(summary, self.style))
    }
}
