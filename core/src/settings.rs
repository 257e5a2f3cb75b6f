//! Rule selection and severity overrides, applied to a finished [`Report`].
//!
//! Selectors follow ruff: a rule code (`G101`), a rule name (`duplicate-key`), a code prefix
//! (`G`, `G0`) or `ALL`. When `select` and `ignore` both match a rule, the more specific
//! selector wins (a code or name beats any prefix, a longer prefix beats a shorter one), and
//! `ignore` wins a tie. Every binding applies the same settings the same way, so they live
//! here rather than in the CLI.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::finding::{Finding, Report, Severity};
use crate::setup::{ItemId, ItemStatus, SetupReport};
use crate::ByokcheckError;

/// Which rules run and at what severity. The default enables every rule at its own severity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Rules to report; absent means every rule.
    #[serde(default)]
    pub select: Option<Vec<String>>,
    /// Rules never to report.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Severity overrides, by code, name or code prefix.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
}

/// How specifically `selector` names the rule `code`/`name`, if it names it at all.
fn specificity(selector: &str, code: &str, name: &str) -> Option<usize> {
    let selector = selector.trim();
    if selector.eq_ignore_ascii_case("ALL") {
        Some(0)
    } else if selector.eq_ignore_ascii_case(code) || selector.eq_ignore_ascii_case(name) {
        Some(usize::MAX)
    } else if !selector.is_empty()
        && code
            .get(..selector.len())
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case(selector))
    {
        Some(selector.len())
    } else {
        None
    }
}

fn most_specific<'s>(
    selectors: impl IntoIterator<Item = &'s str>,
    code: &str,
    name: &str,
) -> Option<usize> {
    selectors
        .into_iter()
        .filter_map(|s| specificity(s, code, name))
        .max()
}

/// True when `selector` names at least one rule.
pub fn selector_is_known(selector: &str) -> bool {
    crate::rules::all().any(|r| specificity(selector, r.meta.code, r.meta.name).is_some())
}

/// True when `selector` names the rule of `code` and `name` (as a code, name, prefix or `ALL`).
pub fn selector_matches(selector: &str, code: &str, name: &str) -> bool {
    specificity(selector, code, name).is_some()
}

/// The rule code or name closest to a selector that names no rule, for a did-you-mean.
pub fn closest_rule(selector: &str) -> Option<&'static str> {
    let candidates = crate::rules::all().flat_map(|r| [r.meta.code, r.meta.name]);
    crate::suggest::best(selector.trim(), candidates)
}

impl Settings {
    /// Every rule at its own severity.
    pub fn is_default(&self) -> bool {
        self.select.is_none() && self.ignore.is_empty() && self.severity.is_empty()
    }

    /// Every selector in `select`, `ignore` and `severity` must name at least one rule: a typo
    /// would otherwise silently select or ignore nothing.
    pub fn validate(&self) -> Result<(), ByokcheckError> {
        let selectors = self
            .select
            .iter()
            .flatten()
            .chain(&self.ignore)
            .chain(self.severity.keys());
        for selector in selectors {
            if !selector_is_known(selector) {
                return Err(ByokcheckError::UnknownRule(selector.clone()));
            }
        }
        Ok(())
    }

    /// Whether the rule of `code` and `name` is reported.
    pub fn enabled(&self, code: &str, name: &str) -> bool {
        let selected = match &self.select {
            None => Some(0),
            Some(select) => most_specific(select.iter().map(String::as_str), code, name),
        };
        let ignored = most_specific(self.ignore.iter().map(String::as_str), code, name);
        match (selected, ignored) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(selected), Some(ignored)) => selected > ignored,
        }
    }

    /// The severity the rule of `code` and `name` is reported at: the most specific override,
    /// else `default` (the rule's own).
    pub fn severity_of(&self, code: &str, name: &str, default: Severity) -> Severity {
        let mut best: Option<(usize, Severity)> = None;
        for (selector, severity) in &self.severity {
            if let Some(rank) = specificity(selector, code, name) {
                if best.is_none_or(|(best_rank, _)| rank > best_rank) {
                    best = Some((rank, *severity));
                }
            }
        }
        best.map_or(default, |(_, severity)| severity)
    }

    /// Drops the findings of disabled rules and applies the severity overrides, in place.
    pub fn apply_to(&self, findings: &mut Vec<Finding>) {
        if self.is_default() {
            return;
        }
        findings.retain(|f| self.enabled(&f.code, &f.name));
        for finding in findings.iter_mut() {
            finding.severity = self.severity_of(&finding.code, &finding.name, finding.severity);
        }
    }

    /// [`Settings::apply_to`] on a report's findings.
    pub fn apply(&self, report: &mut Report) {
        self.apply_to(&mut report.findings);
    }

    /// Applies the settings to a setup verification: every document's and item's findings,
    /// and the status of each item that its findings decide (an ignored rule no longer fails
    /// an item; a rule raised to an error fails it). Items with nothing to check keep theirs.
    pub fn apply_setup(&self, report: &mut SetupReport) {
        if self.is_default() {
            return;
        }
        for document in &mut report.documents {
            self.apply_to(&mut document.findings);
        }
        for item in &mut report.items {
            let decided_by_findings = item.id != ItemId::PolicyAttachment
                && (item.status != ItemStatus::NotChecked || !item.findings.is_empty());
            self.apply_to(&mut item.findings);
            if !decided_by_findings {
                continue;
            }
            (item.status, item.detail) = crate::setup::verdict(item.id, &item.findings);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{check, Context, DocumentKind};

    fn settings(select: Option<&[&str]>, ignore: &[&str]) -> Settings {
        Settings {
            select: select.map(|s| s.iter().map(|x| x.to_string()).collect()),
            ignore: ignore.iter().map(|x| x.to_string()).collect(),
            severity: BTreeMap::new(),
        }
    }

    #[test]
    fn the_default_enables_everything() {
        let s = Settings::default();
        assert!(s.is_default());
        assert!(s.enabled("J005", "duplicate-key"));
        assert_eq!(
            s.severity_of("J005", "duplicate-key", Severity::Error),
            Severity::Error
        );
    }

    #[test]
    fn selectors_are_codes_names_prefixes_or_all() {
        let s = settings(Some(&["G0"]), &[]);
        assert!(s.enabled("G001", "a"));
        assert!(!s.enabled("G101", "b"));
        assert!(!s.enabled("J005", "duplicate-key"));
        let s = settings(Some(&["duplicate-key", "v"]), &[]);
        assert!(s.enabled("J005", "duplicate-key"));
        assert!(s.enabled("V001", "x"), "prefixes are case-insensitive");
        assert!(!s.enabled("J001", "json-syntax"));
        let s = settings(Some(&["ALL"]), &["j005"]);
        assert!(s.enabled("J001", "json-syntax"));
        assert!(!s.enabled("J005", "duplicate-key"));
    }

    #[test]
    fn the_more_specific_selector_wins_and_ignore_wins_ties() {
        // Ignore an area but keep one of its rules.
        let s = settings(Some(&["J005"]), &["J"]);
        assert!(s.enabled("J005", "duplicate-key"));
        assert!(!s.enabled("J001", "json-syntax"));
        // Select an area but drop one rule (by name).
        let s = settings(Some(&["J"]), &["duplicate-key"]);
        assert!(!s.enabled("J005", "duplicate-key"));
        assert!(s.enabled("J001", "json-syntax"));
        // A longer prefix beats a shorter one.
        let s = settings(None, &["G"]);
        assert!(!s.enabled("G001", "x"));
        let s = settings(Some(&["G00"]), &["G0"]);
        assert!(s.enabled("G001", "x"));
        assert!(!s.enabled("G010", "x"));
        // A tie goes to ignore.
        let s = settings(Some(&["G"]), &["G"]);
        assert!(!s.enabled("G001", "x"));
        let s = settings(None, &["ALL"]);
        assert!(!s.enabled("G001", "x"));
    }

    #[test]
    fn severity_overrides_use_the_most_specific_key() {
        let mut s = Settings::default();
        s.severity.insert("J".into(), Severity::Warning);
        s.severity
            .insert("duplicate-key".into(), Severity::Suggestion);
        assert!(!s.is_default());
        assert_eq!(
            s.severity_of("J005", "duplicate-key", Severity::Error),
            Severity::Suggestion
        );
        assert_eq!(
            s.severity_of("J001", "json-syntax", Severity::Error),
            Severity::Warning
        );
        assert_eq!(s.severity_of("G001", "x", Severity::Error), Severity::Error);
    }

    #[test]
    fn apply_filters_and_rewrites_a_report() {
        let text = r#"{"Version": "2012-10-17", "Version": "2012-10-17", "Statement": []}"#;
        let mut report = check(text, DocumentKind::Iam, &Context::example());
        assert!(report.has("J005"), "{report:?}");
        let total = report.findings.len();

        let mut lowered = report.clone();
        let mut s = Settings::default();
        s.severity.insert("J005".into(), Severity::Suggestion);
        s.apply(&mut lowered);
        assert_eq!(lowered.findings.len(), total);
        assert!(lowered
            .findings
            .iter()
            .filter(|f| f.code == "J005")
            .all(|f| f.severity == Severity::Suggestion));

        settings(None, &["duplicate-key"]).apply(&mut report);
        assert!(!report.has("J005"));
        assert_eq!(report.findings.len(), total - 1);
    }

    #[test]
    fn apply_setup_filters_findings_and_re_decides_items() {
        use crate::setup::{verify_setup, SetupInput};
        let input = SetupInput {
            context: Context::example(),
            iam_policy: Some(
                r#"{"Version": "2012-10-17", "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}"#
                    .into(),
            ),
            ..SetupInput::default()
        };
        let report = verify_setup(&input);
        let iam = |r: &SetupReport| {
            r.items
                .iter()
                .find(|i| i.id == ItemId::IamPolicy)
                .cloned()
                .unwrap()
        };
        assert_eq!(iam(&report).status, ItemStatus::Failed, "{report:?}");
        assert!(iam(&report).findings.iter().any(|f| f.code == "J005"));

        let mut ignored = report.clone();
        let mut settings = Settings::default();
        settings.ignore.push("J005".into());
        settings.apply_setup(&mut ignored);
        let item = iam(&ignored);
        assert!(!item.findings.iter().any(|f| f.code == "J005"));
        assert!(!ignored
            .documents
            .iter()
            .flat_map(|d| &d.findings)
            .any(|f| f.code == "J005"));
        assert_eq!(item.status, ItemStatus::Passed, "{item:?}");
        assert_eq!(
            item.detail,
            "confirmed: the IAM policy allows the KMS actions the vendor needs on the CMK"
        );
        // Lowered to a suggestion, the finding stays but no longer fails the item.
        let mut lowered = report.clone();
        let mut settings = Settings::default();
        settings
            .severity
            .insert("J005".into(), Severity::Suggestion);
        settings.apply_setup(&mut lowered);
        assert_eq!(iam(&lowered).status, ItemStatus::Passed);
        assert!(
            iam(&lowered).detail.ends_with("(1 minor finding(s))"),
            "{:?}",
            iam(&lowered)
        );
        // Items with nothing given stay not checked; the attachment item is never re-decided.
        let trust = ignored
            .items
            .iter()
            .find(|i| i.id == ItemId::TrustRelationship)
            .unwrap();
        assert_eq!(trust.status, ItemStatus::NotChecked);
        assert_eq!(trust.detail, "no trust policy was given");
        let attachment = ignored
            .items
            .iter()
            .find(|i| i.id == ItemId::PolicyAttachment)
            .unwrap();
        assert_eq!(attachment.status, ItemStatus::NotChecked);
    }

    #[test]
    fn validate_rejects_selectors_that_name_no_rule() {
        assert_eq!(
            settings(Some(&["G", "J005"]), &["duplicate-key"]).validate(),
            Ok(())
        );
        assert_eq!(
            settings(None, &["duplicat-key"]).validate(),
            Err(ByokcheckError::UnknownRule("duplicat-key".into()))
        );
        assert!(settings(Some(&["Z"]), &[]).validate().is_err());
        assert!(settings(Some(&[""]), &[]).validate().is_err());
        let mut s = Settings::default();
        s.severity.insert("X999".into(), Severity::Error);
        assert!(s.validate().is_err());
        assert_eq!(closest_rule("duplicat-key"), Some("duplicate-key"));
        assert!(selector_matches("G0", "G001", "x"));
        assert!(!selector_matches("G1", "G001", "x"));
    }

    #[test]
    fn deserialises_strictly() {
        let s: Settings = serde_json::from_str(
            r#"{"select": ["G"], "ignore": ["G001"], "severity": {"J005": "security_warning"}}"#,
        )
        .unwrap();
        assert_eq!(s.select, Some(vec!["G".to_string()]));
        assert_eq!(s.severity.get("J005"), Some(&Severity::SecurityWarning));
        assert!(serde_json::from_str::<Settings>(r#"{"selct": ["G"]}"#).is_err());
        assert!(serde_json::from_str::<Settings>(r#"{"severity": {"J005": "fatal"}}"#).is_err());
    }
}
