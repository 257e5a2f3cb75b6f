//! Which of the three policy kinds a text is, and why: the CLI says what it detected, so a
//! person can tell at a glance when a file was checked as the wrong kind.
//!
//! The signals, strongest first: a statement with `Principal` (or `NotPrincipal`) is a
//! resource-based policy; one that allows `sts:AssumeRole` (or another role-assumption action)
//! is a trust policy, one with `kms:` actions a key policy. No principal anywhere is an identity
//! policy. Text that is not a JSON object falls back to looking for the same words in the text.

use serde::{Deserialize, Serialize};

use crate::finding::DocumentKind;
use crate::json::{self, Member, Value};
use crate::rules::Sink;

/// A detected document kind and the human reason for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detection {
    /// Always one of the three policy kinds: `iam`, `trust` or `key`.
    pub kind: DocumentKind,
    /// Why, in a phrase that follows "detected <kind>: " (``has `Principal` and allows `sts:AssumeRole` ``).
    pub reason: String,
}

/// Actions only a role trust policy grants: assuming the role, and what comes with a session.
const TRUST_ACTIONS: &[&str] = &[
    "sts:assumerole",
    "sts:assumerolewithsaml",
    "sts:assumerolewithwebidentity",
    "sts:tagsession",
    "sts:setsourceidentity",
    "sts:setcontext",
];

fn detection(kind: DocumentKind, reason: impl Into<String>) -> Detection {
    Detection {
        kind,
        reason: reason.into(),
    }
}

/// Detects whether `text` is an IAM identity policy, a role trust policy or a KMS key policy.
pub fn detect_kind(text: &str) -> Detection {
    // The findings of this parse are not wanted: `check` reports them for the detected kind.
    json::with_arena(text, |arena| {
        let mut sink = Sink::default();
        match json::parse(text, arena, &mut sink) {
            Some(parsed) => detect_json(&parsed.root),
            None => detect_words(text),
        }
    })
}

/// What the statements of a parsed document show.
#[derive(Default)]
struct Signals {
    principal_key: Option<&'static str>,
    trust_action: Option<String>,
    kms_action: Option<String>,
    any_action: Option<String>,
}

pub(crate) fn detect_json(root: &Value<'_>) -> Detection {
    let Value::Object(object) = root else {
        return detection(DocumentKind::Iam, "not a JSON object");
    };
    let statements: Vec<&Value<'_>> = match member(object.members, "Statement") {
        Some(Value::Array(array)) => array.elements.iter().collect(),
        Some(single @ Value::Object(_)) => vec![single],
        _ => return detection(DocumentKind::Iam, "no `Statement` to tell the kind by"),
    };
    let mut signals = Signals::default();
    for statement in statements {
        let Value::Object(statement) = statement else {
            continue;
        };
        let principal = ["Principal", "NotPrincipal"]
            .into_iter()
            .find(|key| member(statement.members, key).is_some());
        let actions = ["Action", "NotAction"]
            .into_iter()
            .filter_map(|key| member(statement.members, key))
            .flat_map(strings);
        for action in actions {
            signals.any_action.get_or_insert_with(|| action.to_string());
            // Identity policies list hundreds of actions and have no principal: test that
            // first, and compare without lowercased copies.
            if principal.is_none() {
                continue;
            }
            if TRUST_ACTIONS.iter().any(|t| t.eq_ignore_ascii_case(action)) {
                signals
                    .trust_action
                    .get_or_insert_with(|| action.to_string());
            }
            if action
                .get(..4)
                .is_some_and(|head| head.eq_ignore_ascii_case("kms:"))
            {
                signals.kms_action.get_or_insert_with(|| action.to_string());
            }
        }
        if signals.principal_key.is_none() {
            signals.principal_key = principal;
        }
    }
    match signals {
        Signals {
            principal_key: Some(key),
            trust_action: Some(action),
            ..
        } => detection(
            DocumentKind::Trust,
            format!("has `{key}` and allows `{action}`"),
        ),
        Signals {
            principal_key: Some(key),
            kms_action: Some(action),
            ..
        } => detection(
            DocumentKind::Key,
            format!("has `{key}` and allows `{action}`"),
        ),
        Signals {
            principal_key: Some(key),
            any_action: Some(action),
            ..
        } => detection(
            DocumentKind::Key,
            format!("has `{key}` (a resource policy) and allows `{action}`, not `sts:AssumeRole`"),
        ),
        Signals {
            principal_key: Some(key),
            ..
        } => detection(
            DocumentKind::Key,
            format!("has `{key}` (a resource policy) and no `sts:AssumeRole` action"),
        ),
        Signals {
            any_action: Some(action),
            ..
        } => detection(
            DocumentKind::Iam,
            format!("no statement has a `Principal`; allows `{action}`"),
        ),
        Signals { .. } => detection(DocumentKind::Iam, "no statement has a `Principal`"),
    }
}

fn member<'v, 'a>(members: &'v [Member<'a>], name: &str) -> Option<&'v Value<'a>> {
    members
        .iter()
        .find(|m| m.name.value == name)
        .map(|m| &m.value)
}

/// The strings of a string-or-array value; other values have none.
fn strings<'v>(value: &'v Value<'_>) -> impl Iterator<Item = &'v str> {
    let (single, elements): (Option<&'v str>, &'v [Value<'_>]) = match value {
        Value::String(s) => (Some(s.value), &[]),
        Value::Array(array) => (None, array.elements),
        _ => (None, &[]),
    };
    single
        .into_iter()
        .chain(elements.iter().filter_map(|e| match e {
            Value::String(s) => Some(s.value),
            _ => None,
        }))
}

/// Text that is not valid JSON still usually says what it is meant to be.
pub(crate) fn detect_words(text: &str) -> Detection {
    let lower = text.to_ascii_lowercase();
    let has_principal = lower.contains("\"principal\"") || lower.contains("\"notprincipal\"");
    if lower.contains("sts:assumerole") {
        detection(
            DocumentKind::Trust,
            "not valid JSON, but mentions `sts:AssumeRole`",
        )
    } else if has_principal && lower.contains("kms:") {
        detection(
            DocumentKind::Key,
            "not valid JSON, but mentions `Principal` and `kms:` actions",
        )
    } else if has_principal {
        detection(
            DocumentKind::Key,
            "not valid JSON, but mentions `Principal`",
        )
    } else {
        detection(
            DocumentKind::Iam,
            "not valid JSON, and mentions no `Principal`",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> DocumentKind {
        detect_kind(text).kind
    }

    #[test]
    fn a_trust_policy_has_a_principal_and_assumes_the_role() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
            "Principal":{"AWS":"arn:aws:iam::358587034707:role/SegBots-Servers-Role"},
            "Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x1"}}}]}"#;
        let detected = detect_kind(text);
        assert_eq!(detected.kind, DocumentKind::Trust);
        assert_eq!(
            detected.reason,
            "has `Principal` and allows `sts:AssumeRole`"
        );
        // Written as a list, in another case, or as a web-identity trust: still trust.
        assert_eq!(
            kind(
                r#"{"Statement":{"Effect":"Allow","Principal":{"Federated":"x"},"Action":["STS:AssumeRoleWithWebIdentity"]}}"#
            ),
            DocumentKind::Trust
        );
    }

    #[test]
    fn a_key_policy_has_a_principal_and_kms_actions() {
        let text = r#"{"Version":"2012-10-17","Statement":[
            {"Sid":"Enable IAM User Permissions","Effect":"Allow",
             "Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#;
        let detected = detect_kind(text);
        assert_eq!(detected.kind, DocumentKind::Key);
        assert_eq!(detected.reason, "has `Principal` and allows `kms:*`");
    }

    #[test]
    fn trust_wins_over_kms_when_both_appear() {
        let text = r#"{"Statement":[
            {"Effect":"Allow","Principal":{"AWS":"a"},"Action":"kms:Decrypt","Resource":"*"},
            {"Effect":"Allow","Principal":{"AWS":"b"},"Action":"sts:AssumeRole"}]}"#;
        assert_eq!(kind(text), DocumentKind::Trust);
    }

    #[test]
    fn kms_actions_without_a_principal_are_an_identity_policy() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
            "Action":["kms:Encrypt","kms:Decrypt"],"Resource":"arn:aws:kms:us-east-1:111122223333:key/k"}]}"#;
        let detected = detect_kind(text);
        assert_eq!(detected.kind, DocumentKind::Iam);
        assert_eq!(
            detected.reason,
            "no statement has a `Principal`; allows `kms:Encrypt`"
        );
        // An identity policy that allows sts:AssumeRole (to assume another role) is still iam.
        assert_eq!(
            kind(r#"{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#),
            DocumentKind::Iam
        );
    }

    #[test]
    fn other_resource_policies_and_not_principal_are_checked_as_key_policies() {
        let detected = detect_kind(
            r#"{"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"a"},"Action":"s3:GetObject","Resource":"*"}]}"#,
        );
        assert_eq!(detected.kind, DocumentKind::Key);
        assert!(
            detected.reason.contains("`NotPrincipal`"),
            "{}",
            detected.reason
        );
        assert!(
            detected.reason.contains("`s3:GetObject`"),
            "{}",
            detected.reason
        );
        assert_eq!(
            kind(r#"{"Statement":[{"Effect":"Allow","Principal":"*"}]}"#),
            DocumentKind::Key
        );
    }

    #[test]
    fn documents_without_statements_are_identity_policies() {
        assert_eq!(kind(r#"{"Version":"2012-10-17"}"#), DocumentKind::Iam);
        assert_eq!(kind("[1, 2]"), DocumentKind::Iam);
        assert_eq!(kind(r#"{"Statement":[]}"#), DocumentKind::Iam);
        assert_eq!(
            detect_kind(r#"{"Statement":[]}"#).reason,
            "no statement has a `Principal`"
        );
    }

    #[test]
    fn broken_json_is_detected_by_its_words() {
        let trust = r#"{"Statement":[{"Principal":{"AWS":"x"},"Action":"sts:AssumeRole",}]}"#;
        let detected = detect_kind(trust);
        assert_eq!(detected.kind, DocumentKind::Trust);
        assert!(
            detected.reason.starts_with("not valid JSON"),
            "{}",
            detected.reason
        );
        assert_eq!(
            kind(r#"{"Statement":[{"Principal":{"AWS":"x"},"Action":"kms:*",]"#),
            DocumentKind::Key
        );
        assert_eq!(
            kind(r#"{"Statement": [{"Action": "kms:*""#),
            DocumentKind::Iam
        );
        assert_eq!(kind(""), DocumentKind::Iam);
    }
}
