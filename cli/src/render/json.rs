//! `--format json`: the stable contract, version 1, the same for `check`, `verify` and `arn`:
//! `{"version": 1, "files": [{"path", "kind", "reason", "findings": [...]}], "summary": {...}}`,
//! plus `"items"` for `verify`. Findings are core's `Finding`, serialised as they are.

use std::io::{self, Write};

use byokcheck_core::{DocumentKind, Finding, VerificationItem};
use serde::Serialize;

use super::{Entry, Renderer, Summary};

pub const VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct FileEntry {
    path: String,
    /// `null` when the input could not be read.
    kind: Option<DocumentKind>,
    /// Why it was checked as `kind` (detected, or set by a flag or a config glob).
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    /// Why it could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    findings: Vec<Finding>,
}

#[derive(Debug, Serialize)]
struct Output<'a> {
    version: u32,
    files: &'a [FileEntry],
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<&'a [VerificationItem]>,
    summary: &'a Summary,
}

#[derive(Debug, Default)]
pub struct JsonRenderer {
    files: Vec<FileEntry>,
    items: Option<Vec<VerificationItem>>,
}

impl From<Entry> for FileEntry {
    fn from(entry: Entry) -> Self {
        FileEntry {
            path: entry.path,
            kind: entry.kind,
            reason: entry.kind_source.map(|s| s.reason()),
            error: entry.error,
            findings: entry.findings,
        }
    }
}

impl Renderer for JsonRenderer {
    fn entry(&mut self, _out: &mut dyn Write, entry: Entry) -> io::Result<()> {
        self.files.push(entry.into());
        Ok(())
    }

    fn items(
        &mut self,
        _out: &mut dyn Write,
        items: &[VerificationItem],
        _title: &str,
    ) -> io::Result<()> {
        self.items = Some(items.to_vec());
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let output = Output {
            version: VERSION,
            files: &self.files,
            items: self.items.as_deref(),
            summary,
        };
        serde_json::to_writer_pretty(&mut *out, &output)?;
        writeln!(out)
    }
}
