use std::collections::BTreeMap;

use crate::eval::action_matches;
use crate::generate::BYOK_ACTIONS;
use crate::policy::{Checked, Statement};
use crate::rules::{declare_rule, Sink};

use super::analysis::{list, Setup, DESTRUCTIVE};

declare_rule! {
    /// ## What it catches
    /// An `Allow` statement that, by evaluation, lets the role do on the CMK an action that
    /// destroys or locks the key, or hands it to others: `kms:ScheduleKeyDeletion`,
    /// `kms:DisableKey`, `kms:PutKeyPolicy`, `kms:DeleteImportedKeyMaterial`,
    /// `kms:ImportKeyMaterial`, `kms:CreateGrant` without a condition that limits the grants
    /// (`kms:GrantIsForAWSResource`, `kms:GrantOperations`, `kms:GranteePrincipal`),
    /// `kms:RevokeGrant`, `kms:UpdatePrimaryRegion`, `kms:ReplicateKey`, `kms:TagResource`,
    /// `kms:UntagResource`, `kms:UpdateAlias`, `kms:DeleteAlias`. One finding per statement,
    /// listing the actions and what each lets the vendor do, whether the statement names them
    /// or a wildcard covers them (the wildcard itself is `overbroad-kms-grant`'s).
    /// `kms:DisableKeyRotation` is not reported: it neither destroys nor locks the key. Needs
    /// the CMK ARN.
    ///
    /// ## Why it matters
    /// The vendor assumes this role. With these actions it, or anyone who compromises it, can
    /// make every byte encrypted under the key unreadable, lock the customer out of its own key,
    /// or let third parties use it: the opposite of what bringing your own key is for. Security
    /// warning: the setup works, but the vendor can destroy or lock the key.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:ScheduleKeyDeletion"], "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
    /// ```
    ///
    /// ## How to fix
    /// Remove the actions the finding lists (or replace the wildcard that covers them with the
    /// four actions the vendor needs). Key administration belongs to the customer's own
    /// administrators, in the key policy, never to the role the vendor assumes.
    pub(crate) static RULE = {
        code: "I006",
        name: "destructive-kms-action",
        severity: SecurityWarning,
        kinds: [Iam],
        check: Some(check),
    };
}

/// A statement and the destructive actions it grants, with what each lets the vendor do.
type Granted<'p> = (&'p Statement<'p>, Vec<(&'static str, &'static str)>);

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    let Some(setup) = Setup::new(doc) else {
        return;
    };
    // Statement index -> the destructive actions it grants, with what each lets the vendor do.
    let mut by_statement: BTreeMap<usize, Granted<'_>> = BTreeMap::new();
    for (action, effect) in DESTRUCTIVE {
        for statement in setup.granting(action) {
            by_statement
                .entry(statement.index)
                .or_insert_with(|| (statement, Vec::new()))
                .1
                .push((action, effect));
        }
    }
    for (statement, actions) in by_statement.into_values() {
        report(statement, &actions, sink);
    }
}

fn report(statement: &Statement<'_>, actions: &[(&str, &str)], sink: &mut Sink) {
    let Some(element) = &statement.action else {
        return;
    };
    let names: Vec<&str> = actions.iter().map(|(a, _)| *a).collect();
    // The one `Action` value that covers them all, if there is one.
    let covering: Vec<_> = element
        .values
        .items
        .iter()
        .filter(|v| names.iter().any(|a| action_matches(v.value, a)))
        .collect();
    let (span, help) = match covering.as_slice() {
        [value] if !element.negated && crate::policy::has_wildcard(value.value) => (
            value.span,
            format!(
                "replace `\"{}\"` with the actions the vendor needs: `{}`",
                value.value,
                BYOK_ACTIONS
                    .iter()
                    .map(|a| format!("\"{a}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        [value] if !element.negated => (value.span, format!("remove `\"{}\"`", value.value)),
        _ if element.negated => (
            element.key_span,
            format!(
                "replace `NotAction` with `\"Action\": [{}]`",
                BYOK_ACTIONS
                    .iter()
                    .map(|a| format!("\"{a}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        values => (
            element.key_span,
            format!(
                "remove {}",
                values
                    .iter()
                    .map(|v| format!("`\"{}\"`", v.value))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
    };
    // Past three, the rest are named without their explanation, to keep the message readable.
    let (explained, named) = actions.split_at(actions.len().min(3));
    let mut what = explained
        .iter()
        .map(|(action, effect)| format!("`{action}` ({effect})"))
        .collect::<Vec<_>>()
        .join("; ");
    if !named.is_empty() {
        let names: Vec<&str> = named.iter().map(|(a, _)| *a).collect();
        what.push_str(&format!("; and also {}", list(&names)));
    }
    sink.report(
        &RULE,
        span,
        format!(
            "{} lets the vendor destroy or lock the key: {what}",
            statement.label()
        ),
        Some(help),
    );
}

#[cfg(test)]
mod tests {
    use super::super::analysis::testing::{findings, policy, under, CMK};

    const FOUR: &str = r#""kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey""#;

    #[test]
    fn names_the_action_and_what_it_lets_the_vendor_do() {
        let text = policy(
            &format!("[{FOUR}, \"kms:ScheduleKeyDeletion\"]"),
            &format!("\"{CMK}\""),
            "",
        );
        let found = findings(&text, "I006");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "statement `BYOK` lets the vendor destroy or lock the key: `kms:ScheduleKeyDeletion` \
             (schedule the key for deletion, after which everything encrypted under it is lost)"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("remove `\"kms:ScheduleKeyDeletion\"`")
        );
        assert_eq!(under(&text, &found[0]), "\"kms:ScheduleKeyDeletion\"");
    }

    #[test]
    fn one_finding_per_statement_for_a_wildcard() {
        let text = policy(r#""kms:*""#, &format!("\"{CMK}\""), "");
        let found = findings(&text, "I006");
        assert_eq!(found.len(), 1);
        for action in [
            "kms:ScheduleKeyDeletion",
            "kms:DisableKey",
            "kms:PutKeyPolicy",
        ] {
            assert!(
                found[0].message.contains(&format!("`{action}` (")),
                "{action}"
            );
        }
        assert!(found[0].message.ends_with(
            "; and also `kms:DeleteImportedKeyMaterial`, `kms:ImportKeyMaterial`, \
             `kms:CreateGrant`, `kms:RevokeGrant`, `kms:UpdatePrimaryRegion`, \
             `kms:ReplicateKey`, `kms:TagResource`, `kms:UntagResource`, `kms:UpdateAlias` and \
             `kms:DeleteAlias`"
        ));
        assert!(!found[0].message.contains("DisableKeyRotation"));
        assert_eq!(under(&text, &found[0]), "\"kms:*\"");
        assert!(found[0]
            .help
            .as_deref()
            .unwrap()
            .starts_with("replace `\"kms:*\"` with the actions the vendor needs"));
    }

    #[test]
    fn several_values_point_at_action() {
        let text = policy(
            &format!("[{FOUR}, \"kms:DisableKey\", \"kms:PutKeyPolicy\"]"),
            &format!("\"{CMK}\""),
            "",
        );
        let found = findings(&text, "I006");
        assert_eq!(found.len(), 1);
        assert_eq!(under(&text, &found[0]), "\"Action\"");
        assert_eq!(
            found[0].help.as_deref(),
            Some("remove `\"kms:DisableKey\"`, `\"kms:PutKeyPolicy\"`")
        );
    }

    #[test]
    fn an_allowed_not_action_is_replaced_by_the_actions_the_vendor_needs() {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [
  {{"Sid": "BYOK", "Effect": "Allow", "NotAction": "s3:*", "Resource": "{CMK}"}}
]}}"#
        );
        let found = findings(&text, "I006");
        assert_eq!(found.len(), 1);
        assert_eq!(under(&text, &found[0]), "\"NotAction\"");
        let help = found[0].help.as_deref().unwrap_or_default();
        assert!(
            help.starts_with("replace `NotAction` with `\"Action\": [\"kms:Encrypt\""),
            "{help}"
        );
    }

    #[test]
    fn create_grant_only_when_unconstrained() {
        let unconstrained = policy(r#""kms:CreateGrant""#, &format!("\"{CMK}\""), "");
        let found = findings(&unconstrained, "I006");
        assert_eq!(found.len(), 1);
        assert!(found[0]
            .message
            .contains("`kms:CreateGrant` (create grants"));
        for condition in [
            r#", "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}"#,
            r#", "Condition": {"ForAllValues:StringEquals": {"kms:GrantOperations": ["Decrypt", "Encrypt"]}}"#,
        ] {
            let text = policy(r#""kms:CreateGrant""#, &format!("\"{CMK}\""), condition);
            assert!(findings(&text, "I006").is_empty(), "{condition}");
        }
    }

    #[test]
    fn a_deny_takes_it_back() {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [
  {{"Effect": "Allow", "Action": "kms:*", "Resource": "{CMK}"}},
  {{"Effect": "Deny", "NotAction": [{FOUR}], "Resource": "*"}}
]}}"#
        );
        assert!(findings(&text, "I006").is_empty());
    }

    #[test]
    fn a_conditional_deny_takes_it_back_only_when_it_surely_applies() {
        let with_deny_condition = |condition: &str| {
            format!(
                r#"{{"Version": "2012-10-17", "Statement": [
  {{"Effect": "Allow", "Action": "kms:*", "Resource": "{CMK}"}},
  {{"Effect": "Deny", "NotAction": [{FOUR}], "Resource": "*", "Condition": {condition}}}
]}}"#
            )
        };
        // The vendor's calls go to the key's region: this Deny surely applies.
        let region =
            with_deny_condition(r#"{"StringEquals": {"aws:RequestedRegion": "us-east-1"}}"#);
        assert!(findings(&region, "I006").is_empty());
        // Whether the role carries this tag cannot be known from the policy: the grant stands.
        let tag = with_deny_condition(r#"{"StringEquals": {"aws:PrincipalTag/team": "kore"}}"#);
        assert_eq!(findings(&tag, "I006").len(), 1);
    }

    #[test]
    fn on_another_key_it_is_not_this_rules_concern() {
        let text = policy(
            r#""kms:ScheduleKeyDeletion""#,
            r#""arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321""#,
            "",
        );
        assert!(findings(&text, "I006").is_empty());
    }
}
