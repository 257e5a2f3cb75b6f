//! Every AWS managed policy parses and gets no `error` finding when checked as an identity
//! policy: they are real, deployed policies, so an error there is a false positive.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a panic is a failing test"
)]

mod support;

use std::collections::BTreeMap;

use byokcheck_core::{check, Context, DocumentKind, Severity};

#[test]
fn aws_managed_policies_get_no_error() {
    let Some(dir) = support::managed_policies() else {
        println!(
            "CORPUS NOT FOUND: {} has no shared/corpus/aws-managed-policies; this test checked nothing",
            support::repo_root().display()
        );
        return;
    };
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 1600,
        "expected the 1,641 managed policies, found {}",
        files.len()
    );

    let context = Context::default();
    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    let mut errors = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let report = check(&text, DocumentKind::Iam, &context);
        for finding in &report.findings {
            *by_code
                .entry(format!(
                    "{} {} ({})",
                    finding.code, finding.name, finding.severity
                ))
                .or_default() += 1;
            if finding.severity == Severity::Error {
                errors.push(format!(
                    "{}:{}:{}: {} {}: {}",
                    path.file_name().unwrap().to_string_lossy(),
                    finding.line,
                    finding.column,
                    finding.code,
                    finding.name,
                    finding.message
                ));
            }
        }
    }
    println!(
        "checked {} managed policies; findings by rule:",
        files.len()
    );
    for (code, count) in &by_code {
        println!("  {count:6}  {code}");
    }
    assert!(
        errors.is_empty(),
        "{} error findings on real AWS managed policies, first ones:\n{}",
        errors.len(),
        errors
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
