//! The live test's output: the steps as a table (text) or as `"steps"` beside `verify`'s
//! `files` and `items` (JSON, version 1), with the External ID masked everywhere.

use std::io::{self, Write};

use byokcheck_core::{Finding, SetupReport};
use serde::Serialize;

use super::mask::mask_external_id;
use super::steps::{Outcome, Plan, StepRow, StepStatus};
use crate::args::LiveFormat;
use crate::exit::ExitStatus;
use crate::render::json::{FileEntry, VERSION};
use crate::render::text::TextRenderer;
use crate::render::{counts_phrase, Counts, Entry, KindSource, Renderer};
use crate::style::Style;

#[derive(Debug, Clone, Copy, Default, Serialize)]
struct StepCounts {
    passed: usize,
    failed: usize,
    skipped: usize,
}

#[derive(Debug, Serialize)]
struct Summary {
    steps: StepCounts,
    findings: usize,
    by_severity: Counts,
    /// 0: every step that ran passed; 1: a step failed; 2: the test could not run to the end.
    exit_status: u8,
}

#[derive(Debug, Serialize)]
struct Output<'a> {
    version: u32,
    role_arn: &'a str,
    cmk_arn: &'a str,
    /// Masked: all but the last 4 characters.
    external_id: String,
    endpoint: &'a str,
    files: Vec<FileEntry>,
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<&'a [byokcheck_core::VerificationItem]>,
    steps: &'a [StepRow],
    summary: Summary,
}

/// Replaces each External ID (the console's, and every one the deployed trust policy holds)
/// by its masked form, longest first so that one ID inside another is masked whole. The mask
/// keeps the length in characters, so spans into an ASCII text stay right; a non-ASCII ID
/// (which AWS refuses anyway) is left.
fn masker(mut external_ids: Vec<String>) -> impl Fn(&str) -> String {
    external_ids.retain(|id| id.len() >= 2 && id.is_ascii());
    external_ids.sort_by_key(|id| std::cmp::Reverse(id.len()));
    external_ids.dedup();
    let masks: Vec<(String, String)> = external_ids
        .into_iter()
        .map(|id| {
            let masked = mask_external_id(&id);
            (id, masked)
        })
        .collect();
    move |text: &str| {
        let mut text = text.to_string();
        for (id, masked) in &masks {
            text = text.replace(id.as_str(), masked);
        }
        text
    }
}

/// The values of every `sts:ExternalId` condition in a trust policy.
fn external_ids_in(trust_policy: &str) -> Vec<String> {
    fn walk(value: &serde_json::Value, under_external_id: bool, found: &mut Vec<String>) {
        match value {
            serde_json::Value::String(s) if under_external_id => found.push(s.clone()),
            serde_json::Value::Array(items) => {
                for item in items {
                    walk(item, under_external_id, found);
                }
            }
            serde_json::Value::Object(map) => {
                for (key, item) in map {
                    walk(item, key.eq_ignore_ascii_case("sts:ExternalId"), found);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(trust_policy) {
        walk(&value, false, &mut found);
    }
    found
}

fn mask_findings(findings: &mut [Finding], mask: &dyn Fn(&str) -> String) {
    for finding in findings {
        finding.message = mask(&finding.message);
        finding.help = finding.help.as_deref().map(mask);
    }
}

fn status(outcome: &Outcome) -> ExitStatus {
    if outcome.halted {
        ExitStatus::Error
    } else if outcome.steps.iter().any(|s| s.status == StepStatus::Failed) {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}

/// The documents read, with their findings, as `verify` shows them.
fn entries(
    plan: &Plan,
    outcome: &Outcome,
    report: Option<&SetupReport>,
    mask: &dyn Fn(&str) -> String,
) -> Vec<Entry> {
    let Some(report) = report else {
        return Vec::new();
    };
    let mut entries = Vec::new();
    for document in &outcome.documents {
        let Some(checked) = report.documents.iter().find(|d| d.name == document.name) else {
            continue;
        };
        let mut findings = checked.findings.clone();
        mask_findings(&mut findings, mask);
        entries.push(Entry {
            path: document.path.clone(),
            kind: Some(checked.kind),
            kind_source: Some(KindSource::Given("read from the account".into())),
            source: (!findings.is_empty()).then(|| mask(&document.text)),
            findings,
            error: None,
        });
    }
    for (name, arn) in [
        ("role_arn", &plan.role_arn_text),
        ("cmk_arn", &plan.key_arn_text),
    ] {
        let Some(checked) = report.documents.iter().find(|d| d.name == name) else {
            continue;
        };
        let mut findings = checked.findings.clone();
        mask_findings(&mut findings, mask);
        entries.push(Entry {
            path: arn.clone(),
            kind: Some(checked.kind),
            kind_source: Some(KindSource::Given("given on the command line".into())),
            source: (!findings.is_empty()).then(|| arn.clone()),
            findings,
            error: None,
        });
    }
    entries
}

pub fn write(
    out: &mut dyn Write,
    format: LiveFormat,
    style: Style,
    plan: &Plan,
    mut outcome: Outcome,
) -> io::Result<ExitStatus> {
    let mut external_ids = vec![plan.external_id.clone()];
    for document in outcome
        .documents
        .iter()
        .filter(|d| d.name == "trust_policy")
    {
        external_ids.extend(external_ids_in(&document.text));
    }
    let mask = masker(external_ids);
    let mut report = outcome.setup.take();
    if let Some(report) = &mut report {
        for item in &mut report.items {
            mask_findings(&mut item.findings, &mask);
            item.detail = mask(&item.detail);
        }
    }
    for step in &mut outcome.steps {
        step.detail = mask(&step.detail);
        step.cause = step.cause.as_deref().map(&mask);
        step.fix = step.fix.as_deref().map(&mask);
    }
    let entries = entries(plan, &outcome, report.as_ref(), &mask);
    let status = status(&outcome);
    let mut counts = Counts::default();
    for finding in entries.iter().flat_map(|e| &e.findings) {
        counts.add(finding.severity);
    }
    let mut step_counts = StepCounts::default();
    for step in &outcome.steps {
        match step.status {
            StepStatus::Passed => step_counts.passed += 1,
            StepStatus::Failed => step_counts.failed += 1,
            StepStatus::Skipped => step_counts.skipped += 1,
        }
    }
    match format {
        LiveFormat::Json => {
            let output = Output {
                version: VERSION,
                role_arn: &plan.role_arn_text,
                cmk_arn: &plan.key_arn_text,
                external_id: mask_external_id(&plan.external_id),
                endpoint: &plan.endpoint,
                files: entries.into_iter().map(FileEntry::from).collect(),
                items: report.as_ref().map(|r| r.items.as_slice()),
                steps: &outcome.steps,
                summary: Summary {
                    steps: step_counts,
                    findings: counts.total(),
                    by_severity: counts,
                    exit_status: match status {
                        ExitStatus::Success => 0,
                        ExitStatus::Failure => 1,
                        ExitStatus::Error => 2,
                    },
                },
            };
            serde_json::to_writer_pretty(&mut *out, &output)?;
            writeln!(out)?;
        }
        LiveFormat::Text => {
            writeln!(
                out,
                "{}\n",
                style.bold(&format!(
                    "Live test of {} with {} (External ID {}, {})",
                    plan.role_arn_text,
                    plan.key_arn_text,
                    mask_external_id(&plan.external_id),
                    plan.endpoint
                ))
            )?;
            steps_table(out, &outcome.steps, style)?;
            if let Some(report) = &report {
                writeln!(out)?;
                let mut verification = TextRenderer::for_verification(style, true);
                for entry in entries {
                    verification.entry(out, entry)?;
                }
                verification.items(
                    out,
                    &report.items,
                    "The deployed policies, verified (as `byokcheck verify` would)",
                )?;
            }
            writeln!(
                out,
                "\nlive test: {} passed, {} failed, {} skipped; deployed policies: {}",
                step_counts.passed,
                step_counts.failed,
                step_counts.skipped,
                counts_phrase(&counts, style)
            )?;
            if outcome.halted {
                writeln!(out, "the test could not run to the end (exit status 2)")?;
            }
        }
    }
    Ok(status)
}

fn steps_table(out: &mut dyn Write, steps: &[StepRow], style: Style) -> io::Result<()> {
    let width = steps.iter().map(|s| s.title.len()).max().unwrap_or(0);
    for step in steps {
        let text = step.status.as_str();
        let painted = match step.status {
            StepStatus::Passed => style.ok(text),
            StepStatus::Failed => style.severity(byokcheck_core::Severity::Error, "FAILED"),
            StepStatus::Skipped => style.dim(text),
        };
        // Pad before painting: escape codes would throw the column widths off.
        let pad = " ".repeat(7usize.saturating_sub(text.len()));
        let time = if step.status == StepStatus::Skipped {
            "      ".to_string()
        } else {
            format!("{:>4.1} s", step.duration_ms as f64 / 1000.0)
        };
        writeln!(
            out,
            "  {:<width$}  {painted}{pad}  {time}  {}",
            step.title, step.detail
        )?;
        let gutter = "      ";
        if let Some(cause) = &step.cause {
            writeln!(out, "{gutter}{} {cause}", style.bold("cause:"))?;
        }
        if let Some(fix) = &step.fix {
            writeln!(out, "{gutter}{} {fix}", style.help("fix:"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_external_id_of_the_trust_policy_is_masked() {
        let trust = r#"{"Statement": [{"Condition": {"StringEquals": {"STS:ExternalId": ["kore-aaaa-1111", "kore-aaaa-11112"]}}}]}"#;
        let mut ids = vec!["console-id-9999".to_string()];
        ids.extend(external_ids_in(trust));
        assert_eq!(ids.len(), 3);
        let mask = masker(ids);
        let text = "the trust policy's `kore-aaaa-11112` and `kore-aaaa-1111` differ from `console-id-9999`";
        let masked = mask(text);
        for id in ["kore-aaaa-11112", "kore-aaaa-1111", "console-id-9999"] {
            assert!(!masked.contains(id), "{masked}");
        }
        assert!(
            masked.contains("***********1112`") && masked.contains("***********9999`"),
            "{masked}"
        );
        assert_eq!(masked.len(), text.len());
    }
}
