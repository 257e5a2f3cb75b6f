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

/// Streams: each file's entry is written as it comes, so that memory stays flat over
/// thousands of files. The output is what `serde_json::to_writer_pretty` gives for the whole
/// document (a test checks it), built from each part pretty-printed and indented to its depth.
#[derive(Debug, Default)]
pub struct JsonRenderer {
    /// Entries written so far.
    written: usize,
    items: Option<Vec<VerificationItem>>,
    /// Reused for each part.
    buffer: Vec<u8>,
}

/// The document's head, up to the opening of `files`.
fn head() -> String {
    format!("{{\n  \"version\": {VERSION},\n  \"files\": [")
}

impl JsonRenderer {
    /// Writes `value` pretty-printed as it reads `depth` (1 or 2) levels deep in the document
    /// (each of its lines after the first indented by two spaces per level). serde_json's pretty printer
    /// has no starting depth, so the value is printed nested in `depth` one-element arrays and
    /// the arrays' own brackets are cut off: one write, and no line-by-line re-indenting.
    fn write_nested(
        &mut self,
        out: &mut dyn Write,
        value: &impl Serialize,
        depth: usize,
    ) -> io::Result<()> {
        self.buffer.clear();
        // What the wrapping arrays add: `[\n  ` before and `\n]` after, or `[\n  [\n    `
        // and `\n  ]\n]` one level deeper.
        let (opening, closing) = if depth <= 1 {
            serde_json::to_writer_pretty(&mut self.buffer, &[value])?;
            (4, 2)
        } else {
            serde_json::to_writer_pretty(&mut self.buffer, &[[value]])?;
            (10, 6)
        };
        let end = self.buffer.len().saturating_sub(closing);
        out.write_all(self.buffer.get(opening..end).unwrap_or_default())
    }
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
    fn entry(&mut self, out: &mut dyn Write, entry: Entry) -> io::Result<()> {
        if self.written == 0 {
            out.write_all(head().as_bytes())?;
        } else {
            out.write_all(b",")?;
        }
        out.write_all(b"\n    ")?;
        self.write_nested(out, &FileEntry::from(entry), 2)?;
        self.written += 1;
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
        if self.written == 0 {
            out.write_all(head().as_bytes())?;
            out.write_all(b"]")?;
        } else {
            out.write_all(b"\n  ]")?;
        }
        if let Some(items) = self.items.take() {
            out.write_all(b",\n  \"items\": ")?;
            self.write_nested(out, &items, 1)?;
        }
        out.write_all(b",\n  \"summary\": ")?;
        self.write_nested(out, summary, 1)?;
        out.write_all(b"\n}\n")
    }
}

#[cfg(test)]
mod tests {
    use byokcheck_core::{check, verify_setup, Context, DocumentKind, SetupInput};

    use super::*;
    use crate::args::FailOn;
    use crate::render::{ItemCounts, KindSource, Noun, Tally};

    /// The whole document at once, as the renderer wrote it before it streamed.
    #[derive(Serialize)]
    struct Whole<'a> {
        version: u32,
        files: &'a [FileEntry],
        #[serde(skip_serializing_if = "Option::is_none")]
        items: Option<&'a [VerificationItem]>,
        summary: &'a Summary,
    }

    fn entries() -> Vec<Entry> {
        let broken = "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\", \"Sid\": \"a b\\n\"}}";
        let clean = "{\"Version\": \"2012-10-17\", \"Statement\": []}";
        let mut entries: Vec<Entry> = [("broken.json", broken), ("clean.json", clean)]
            .into_iter()
            .map(|(path, text)| Entry {
                path: path.into(),
                kind: Some(DocumentKind::Iam),
                kind_source: Some(KindSource::Flag("--kind iam".into())),
                findings: check(text, DocumentKind::Iam, &Context::default()).findings,
                source: None,
                error: None,
            })
            .collect();
        entries.push(Entry::unreadable("gone.json".into(), "no such file".into()));
        entries
    }

    fn streamed(entries: Vec<Entry>, items: Option<&[VerificationItem]>) -> String {
        let mut tally = Tally::new(FailOn::SecurityWarning);
        for entry in &entries {
            tally.add(entry);
        }
        let summary = tally.summary(Noun::File, items.map(ItemCounts::of));
        let mut renderer = JsonRenderer::default();
        let mut out = Vec::new();
        for entry in entries {
            renderer.entry(&mut out, entry).unwrap();
        }
        if let Some(items) = items {
            renderer.items(&mut out, items, "").unwrap();
        }
        renderer.finish(&mut out, &summary).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn whole(entries: Vec<Entry>, items: Option<&[VerificationItem]>) -> String {
        let mut tally = Tally::new(FailOn::SecurityWarning);
        for entry in &entries {
            tally.add(entry);
        }
        let summary = tally.summary(Noun::File, items.map(ItemCounts::of));
        let files: Vec<FileEntry> = entries.into_iter().map(FileEntry::from).collect();
        let document = Whole {
            version: VERSION,
            files: &files,
            items,
            summary: &summary,
        };
        serde_json::to_string_pretty(&document).unwrap() + "\n"
    }

    #[test]
    fn streamed_output_is_the_whole_document_pretty_printed() {
        let report = verify_setup(&SetupInput {
            context: Context::example(),
            iam_policy: Some("{}".into()),
            trust_policy: None,
            key_policy: None,
            policy_attached: None,
        });
        assert!(entries().iter().any(|e| e.findings.len() > 1));
        for items in [None, Some(report.items.as_slice())] {
            for count in 0..=3 {
                let some: Vec<Entry> = entries().into_iter().take(count).collect();
                let streamed = streamed(some.clone(), items);
                assert_eq!(streamed, whole(some, items), "{count} entries");
                let value: serde_json::Value = serde_json::from_str(&streamed).unwrap();
                assert_eq!(value["files"].as_array().unwrap().len(), count);
            }
        }
    }
}
