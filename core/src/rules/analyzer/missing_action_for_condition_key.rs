use crate::finding::DocumentKind;
use crate::policy::{Checked, Effect, PrincipalKind, Statement};
use crate::rules::{declare_rule, Sink};

use super::support::principals;

declare_rule! {
    /// ## What it catches
    /// An Allow statement that lets a role be assumed and conditions on session tags
    /// (`aws:RequestTag/…`, `aws:TagKeys`, `sts:TransitiveTagKeys`) without allowing
    /// `sts:TagSession` in the same statement, or on `sts:SourceIdentity` without allowing
    /// `sts:SetSourceIdentity`. In a trust policy every Allow statement counts; in an identity
    /// policy, statements allowing `sts:AssumeRole…`. Access Analyzer:
    /// `MISSING_ACTION_FOR_CONDITION_KEY`. A trust statement naming the vendor's role is left to
    /// `session-tags-not-allowed`, which looks at the whole policy (another statement may allow
    /// the action) and rates it by whether the vendor passes tags.
    ///
    /// ## Why it matters
    /// The condition is there because the caller passes tags or a source identity; STS then
    /// also requires `sts:TagSession` or `sts:SetSourceIdentity`, so the statement's
    /// `AssumeRole` fails as written. Error, as Access Analyzer rates it.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Deployer"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:RequestTag/project": "byok"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Deployer"}, "Action": ["sts:AssumeRole", "sts:TagSession"], "Condition": {"StringEquals": {"aws:RequestTag/project": "byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Add the action to the statement: `"Action": ["sts:AssumeRole", "sts:TagSession"]`, or
    /// `"sts:SetSourceIdentity"` for a source identity.
    pub(crate) static RULE = {
        code: "X017",
        name: "missing-action-for-condition-key",
        severity: Error,
        kinds: [Trust, Iam],
        check: Some(check),
    };
}

const ASSUME: [&str; 3] = [
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
];

/// An action the statement must allow, and the keys that show the caller passes it a value.
type Need = (&'static str, fn(&str) -> bool);

fn is_tag_key(key: &str) -> bool {
    key.get(..15)
        .is_some_and(|head| head.eq_ignore_ascii_case("aws:RequestTag/"))
        || key.eq_ignore_ascii_case("aws:TagKeys")
        || key.eq_ignore_ascii_case("sts:TransitiveTagKeys")
}

fn is_source_identity_key(key: &str) -> bool {
    key.eq_ignore_ascii_case("sts:SourceIdentity")
}

fn allows(statement: &Statement<'_>, action: &str) -> bool {
    statement
        .action
        .as_ref()
        .is_some_and(|a| crate::eval::action_element_matches(a, action))
}

/// True when the statement names the vendor's role, whose grant `session-tags-not-allowed`
/// judges.
fn names_vendor(doc: &Checked<'_>, statement: &Statement<'_>) -> bool {
    let Some(vendor) = doc.context.vendor_role_arn() else {
        return false;
    };
    principals(statement, PrincipalKind::Aws).any(|p| p.value == vendor)
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    let needs: [Need; 2] = [
        ("sts:TagSession", is_tag_key),
        ("sts:SetSourceIdentity", is_source_identity_key),
    ];
    for statement in &doc.policy.statements {
        // Only statements that condition on a session tag or the source identity can miss an
        // action: test that first, before matching their actions.
        let keyed = statement
            .condition_entries()
            .iter()
            .any(|e| needs.iter().any(|(_, expects)| expects(e.key.value)));
        if !keyed || statement.effect() != Some(Effect::Allow) {
            continue;
        }
        let assumes = ASSUME.iter().any(|a| allows(statement, a));
        let applies = match doc.kind {
            DocumentKind::Trust => !names_vendor(doc, statement),
            _ => assumes,
        };
        if !applies {
            continue;
        }
        for (action, expects) in needs {
            if allows(statement, action) {
                continue;
            }
            let Some(entry) = statement
                .condition_entries()
                .iter()
                .find(|e| expects(e.key.value))
            else {
                continue;
            };
            sink.report(
                &RULE,
                entry.key.span,
                format!(
                    "{} has a condition on `{}` but does not allow `{action}`: STS requires `{action}` to pass it, so the role cannot be assumed with it",
                    statement.label(),
                    entry.key.value
                ),
                Some(format!("add `{action}` to the statement's `Action`")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{findings, under};
    use crate::DocumentKind;

    #[test]
    fn deny_statements_need_no_action() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Deployer"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:RequestTag/project": "x"}}}]}"#;
        assert!(findings(text, DocumentKind::Trust, "X017").is_empty());
    }

    #[test]
    fn trust_statements_need_the_action_in_themselves() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Deployer"}, "Action": "sts:AssumeRole", "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": "project"}, "StringEquals": {"sts:SourceIdentity": "alice"}}}]}"#;
        let found = findings(text, DocumentKind::Trust, "X017");
        assert_eq!(found.len(), 2);
        assert_eq!(under(text, &found[0]), "\"aws:TagKeys\"");
        assert_eq!(
            found[0].message,
            "statement 0 has a condition on `aws:TagKeys` but does not allow `sts:TagSession`: STS requires `sts:TagSession` to pass it, so the role cannot be assumed with it"
        );
        assert!(found[1].message.contains("`sts:SetSourceIdentity`"));
    }

    #[test]
    fn the_vendor_grant_is_left_to_session_tags_not_allowed() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok", "aws:RequestTag/t": "x"}}}]}"#;
        assert!(findings(text, DocumentKind::Trust, "X017").is_empty());
        assert_eq!(findings(text, DocumentKind::Trust, "T021").len(), 1);
    }

    #[test]
    fn identity_policies_only_for_assume_role_statements() {
        let assume = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::111122223333:role/x", "Condition": {"StringEquals": {"aws:RequestTag/t": "x"}}}]}"#;
        assert_eq!(findings(assume, DocumentKind::Iam, "X017").len(), 1);
        let tagging = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestTag/t": "x"}}}]}"#;
        assert!(findings(tagging, DocumentKind::Iam, "X017").is_empty());
        let everything = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:*", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestTag/t": "x"}}}]}"#;
        assert!(findings(everything, DocumentKind::Iam, "X017").is_empty());
    }
}
