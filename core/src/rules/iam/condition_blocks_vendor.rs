use std::collections::BTreeMap;

use crate::generate::BYOK_ACTIONS;
use crate::policy::{Checked, ConditionEntry, Statement, ValueType};
use crate::rules::{declare_rule, Sink};
use crate::source::Span;

use super::analysis::{explained_elsewhere, list, Outcome, Setup};

declare_rule! {
    /// ## What it catches
    /// A condition that keeps the vendor from one of the four KMS actions on the CMK: on the
    /// `Allow` statement that grants it, a condition the vendor's calls never meet, or on a
    /// `Deny` statement, a condition they always meet. Decided by evaluating the vendor's call
    /// through the role with the request context it really carries: from the vendor's own
    /// network (`aws:SourceIp` is one of the vendor's addresses, no `aws:SourceVpc` or
    /// `aws:SourceVpce`), without MFA, over TLS, directly rather than through an AWS service
    /// (no `kms:ViaService`), without an encryption context the customer chose, by the role
    /// (`aws:PrincipalArn`, `kms:CallerAccount`), on the CMK's region and account. One finding
    /// per condition, listing the actions it blocks; `missing-kms-action` does not report them
    /// again. Conditions on values byokcheck cannot see (the key's or the role's tags, the
    /// organization, the time) are not judged, and a condition that only restricts, which the
    /// vendor's call passes, is fine. Needs the CMK ARN; `aws:PrincipalArn` also needs the Role
    /// ARN.
    ///
    /// ## Why it matters
    /// The policy reads as if it grants the actions, but the vendor's calls are refused: a
    /// corporate IP allow-list, a VPC endpoint or MFA requirement, or a required encryption
    /// context written for the customer's own applications shuts the vendor out. Error: the
    /// setup cannot work.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Remove the condition from the statement the vendor's calls go through, or change it so
    /// that those calls meet it (the finding's help says how). Keep conditions for your own
    /// applications in statements of their own roles.
    pub(crate) static RULE = {
        code: "I008",
        name: "condition-blocks-vendor",
        severity: Error,
        kinds: [Iam],
        check: Some(check),
    };
}

struct Block<'p> {
    statement: &'p Statement<'p>,
    /// True for a `Deny` whose conditions the calls meet, false for an `Allow` whose condition
    /// they do not.
    deny: bool,
    entries: Vec<&'p ConditionEntry<'p>>,
    actions: Vec<&'static str>,
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    let Some(setup) = Setup::new(doc) else {
        return;
    };
    let mut blocks: BTreeMap<(usize, Span), Block<'_>> = BTreeMap::new();
    for action in BYOK_ACTIONS {
        let (statement, deny, entries) = match setup.outcome(action) {
            Outcome::Denied { statement, entries } if !entries.is_empty() => {
                (statement, true, vec![entries])
            }
            Outcome::Blocked { statement, entries } => {
                let entries: Vec<_> = entries
                    .into_iter()
                    .filter(|e| !explained_elsewhere(e))
                    .map(|e| vec![e])
                    .collect();
                (statement, false, entries)
            }
            _ => continue,
        };
        for group in entries {
            let Some(first) = group.first() else {
                continue;
            };
            blocks
                .entry((statement.index, first.key.span))
                .or_insert_with(|| Block {
                    statement,
                    deny,
                    entries: group.clone(),
                    actions: Vec::new(),
                })
                .actions
                .push(action);
        }
    }
    for block in blocks.into_values() {
        report(&setup, &block, sink);
    }
}

fn report(setup: &Setup<'_>, block: &Block<'_>, sink: &mut Sink) {
    let Some(first) = block.entries.first() else {
        return;
    };
    let label = block.statement.label();
    let conditions: Vec<String> = block.entries.iter().map(|e| render(e)).collect();
    let reasons: Vec<String> = block
        .entries
        .iter()
        .map(|e| {
            why(
                setup,
                e,
                block.actions.first().copied().unwrap_or("kms:Decrypt"),
            )
            .0
        })
        .collect();
    let pronoun = if block.actions.len() == 1 {
        "it"
    } else {
        "them"
    };
    let message = if block.deny {
        format!(
            "the role cannot {} on the CMK: {label} denies {pronoun} under `{}`, and the \
             vendor's calls always meet that ({})",
            list(&block.actions),
            conditions.join("` and `"),
            reasons.join("; ")
        )
    } else {
        format!(
            "the role cannot {} on the CMK: {label} allows {pronoun} only under `{}`, and the \
             vendor's calls never meet that ({})",
            list(&block.actions),
            conditions.join("` and `"),
            reasons.join("; ")
        )
    };
    let help = why(
        setup,
        first,
        block.actions.first().copied().unwrap_or("kms:Decrypt"),
    )
    .1;
    sink.report(&RULE, first.key.span, message, Some(help));
}

/// The entry as written: `"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}`.
fn render(entry: &ConditionEntry<'_>) -> String {
    let values: Vec<String> = entry
        .values
        .iter()
        .map(|v| match v.value_type {
            ValueType::String => format!("\"{}\"", v.text),
            ValueType::Number | ValueType::Boolean => v.text.to_string(),
        })
        .collect();
    let value = if entry.values_is_array {
        format!("[{}]", values.join(", "))
    } else {
        values.join(", ")
    };
    format!(
        "\"{}\": {{\"{}\": {value}}}",
        entry.operator.value, entry.key.value
    )
}

/// Why the vendor's call of `action` fails (or meets) the condition, and what to write.
fn why(setup: &Setup<'_>, entry: &ConditionEntry<'_>, action: &str) -> (String, String) {
    let key = entry.key.value;
    let lower = key.to_ascii_lowercase();
    let remove = format!("remove the `{key}` condition");
    let write = |value: &str| format!("write `\"{value}\"` as the value of `{key}`");
    match lower.as_str() {
        "aws:sourceip" => (
            "the vendor calls KMS from its own network".into(),
            format!("{remove}, or list only the addresses the vendor publishes for its platform"),
        ),
        "aws:sourcevpc" | "aws:sourcevpce" | "aws:sourcevpcarn" | "aws:vpcsourceip" => (
            format!("the vendor does not call KMS through your VPC, so its calls carry no `{key}`"),
            format!("{remove}: the vendor's calls never come through your VPC"),
        ),
        "aws:multifactorauthpresent" => (
            "the vendor's service assumes the role without MFA".into(),
            format!("{remove}: a service cannot use MFA"),
        ),
        "kms:viaservice" | "aws:calledvia" | "aws:calledviafirst" | "aws:calledvialast"
        | "aws:viaawsservice" => (
            "the vendor calls KMS directly, not through an AWS service".into(),
            format!("{remove}: the vendor calls KMS directly"),
        ),
        "kms:calleraccount" | "aws:principalaccount" => (
            format!(
                "the vendor calls through the role, in account `{}`",
                setup.caller_account
            ),
            write(&setup.caller_account),
        ),
        "aws:principalarn" => match setup.role_arn {
            Some(role) => (
                format!("the vendor calls through the role `{role}`"),
                write(role),
            ),
            None => (format!("`{key}` is the role's ARN"), remove),
        },
        "aws:requestedregion" => (
            format!("the CMK is in `{}`", setup.cmk.region),
            write(&setup.cmk.region),
        ),
        "aws:resourceaccount" => (
            format!("the CMK belongs to account `{}`", setup.cmk.account),
            write(&setup.cmk.account),
        ),
        "aws:securetransport" => (
            "the vendor's calls always use TLS".into(),
            format!("{remove}, or require `true`"),
        ),
        "kms:requestalias" => (
            "the vendor names the key by its ARN, not by an alias".into(),
            remove,
        ),
        _ if lower.starts_with("kms:encryptioncontext") => (
            "the vendor's calls do not carry this encryption context, and `kms:DescribeKey` \
             never carries one"
                .into(),
            format!(
                "{remove}, or ask the vendor which encryption context it sends and require \
                 exactly that for the cryptographic actions only"
            ),
        ),
        _ => {
            let context = setup.request_context(action);
            let reason = match context.get(key) {
                Some(values) if !values.is_empty() => format!(
                    "the vendor's calls carry `{key}` = {}",
                    values
                        .iter()
                        .map(|v| format!("`{v}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                _ => format!("the vendor's calls carry no `{key}`"),
            };
            (
                reason,
                format!(
                    "{remove}, or change it so that the vendor's calls through the role meet it"
                ),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::analysis::testing::{findings, findings_with, policy, under, CMK};

    const FOUR: &str =
        r#"["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]"#;
    const ALL_FOUR: &str =
        "`kms:Encrypt`, `kms:Decrypt`, `kms:GenerateDataKey` and `kms:DescribeKey`";

    fn with_condition(condition: &str) -> String {
        policy(
            FOUR,
            &format!("\"{CMK}\""),
            &format!(", \"Condition\": {condition}"),
        )
    }

    #[test]
    fn a_source_ip_allow_list() {
        let text =
            with_condition(r#"{"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "203.0.113.0/24"]}}"#);
        let found = findings(&text, "I008");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            format!(
                "the role cannot {ALL_FOUR} on the CMK: statement `BYOK` allows them only under \
                 `\"IpAddress\": {{\"aws:SourceIp\": [\"10.0.0.0/8\", \"203.0.113.0/24\"]}}`, \
                 and the vendor's calls never meet that (the vendor calls KMS from its own \
                 network)"
            )
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some(
                "remove the `aws:SourceIp` condition, or list only the addresses the vendor \
                 publishes for its platform"
            )
        );
        assert_eq!(under(&text, &found[0]), "\"aws:SourceIp\"");
        assert!(
            findings(&text, "I001").is_empty(),
            "one problem, one finding"
        );
    }

    #[test]
    fn vpc_endpoint_mfa_and_via_service() {
        for (condition, reason) in [
            (
                r#"{"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}"#,
                "the vendor does not call KMS through your VPC, so its calls carry no `aws:SourceVpce`",
            ),
            (
                r#"{"Bool": {"aws:MultiFactorAuthPresent": true}}"#,
                "the vendor's service assumes the role without MFA",
            ),
            (
                r#"{"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}"#,
                "the vendor calls KMS directly, not through an AWS service",
            ),
        ] {
            let found = findings(&with_condition(condition), "I008");
            assert_eq!(found.len(), 1, "{condition}");
            assert!(found[0].message.ends_with(&format!("({reason})")), "{}", found[0].message);
        }
    }

    #[test]
    fn an_encryption_context_requirement() {
        let text = with_condition(r#"{"StringEquals": {"kms:EncryptionContext:app": "billing"}}"#);
        let found = findings(&text, "I008");
        assert_eq!(found.len(), 1);
        assert!(found[0]
            .message
            .contains("`\"StringEquals\": {\"kms:EncryptionContext:app\": \"billing\"}`"));
        assert!(found[0]
            .message
            .contains("`kms:DescribeKey` never carries one"));
    }

    #[test]
    fn a_deny_whose_condition_the_vendor_meets() {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [
  {{"Sid": "BYOK", "Effect": "Allow", "Action": {FOUR}, "Resource": "{CMK}"}},
  {{"Sid": "OfficeOnly", "Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*",
    "Condition": {{"NotIpAddress": {{"aws:SourceIp": "10.0.0.0/8"}}}}}}
]}}"#
        );
        let found = findings(&text, "I008");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "the role cannot `kms:Decrypt` on the CMK: statement `OfficeOnly` denies it under \
             `\"NotIpAddress\": {\"aws:SourceIp\": \"10.0.0.0/8\"}`, and the vendor's calls \
             always meet that (the vendor calls KMS from its own network)"
        );
        assert_eq!(found[0].line, 4);
        assert!(findings(&text, "I001").is_empty());
    }

    #[test]
    fn the_wrong_caller_account_gets_the_right_one() {
        let text = with_condition(r#"{"StringEquals": {"kms:CallerAccount": "444455556666"}}"#);
        let found = findings(&text, "I008");
        assert_eq!(found.len(), 1);
        assert!(found[0]
            .message
            .contains("(the vendor calls through the role, in account `111122223333`)"));
        assert_eq!(
            found[0].help.as_deref(),
            Some("write `\"111122223333\"` as the value of `kms:CallerAccount`")
        );
    }

    #[test]
    fn conditions_the_vendor_meets_are_fine() {
        for condition in [
            r#"{"Bool": {"aws:SecureTransport": "true"}}"#,
            r#"{"StringEquals": {"kms:CallerAccount": "111122223333"}}"#,
            r#"{"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/BYOK_Role"}}"#,
            r#"{"StringEquals": {"aws:RequestedRegion": "us-east-1"}}"#,
            r#"{"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#,
            r#"{"Null": {"kms:ViaService": "true"}}"#,
        ] {
            assert!(
                findings(&with_condition(condition), "I008").is_empty(),
                "{condition}"
            );
            assert!(
                findings(&with_condition(condition), "I001").is_empty(),
                "{condition}"
            );
        }
    }

    #[test]
    fn values_it_cannot_see_are_not_judged() {
        for condition in [
            r#"{"StringEquals": {"aws:ResourceTag/byok": "true"}}"#,
            r#"{"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}"#,
            r#"{"DateLessThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}"#,
        ] {
            assert!(
                findings(&with_condition(condition), "I008").is_empty(),
                "{condition}"
            );
        }
        // Without the Role ARN, a principal condition is not judged either.
        let text = with_condition(
            r#"{"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/Other"}}"#,
        );
        assert_eq!(findings(&text, "I008").len(), 1);
        let mut context = crate::Context::example();
        context.role_arn = None;
        assert!(findings_with(&text, "I008", &context).is_empty());
        assert!(findings_with(&text, "I001", &context).is_empty());
    }

    #[test]
    fn a_misspelt_key_is_the_name_rules() {
        let text = with_condition(r#"{"StringEquals": {"kms:CallerAcount": "111122223333"}}"#);
        assert!(findings(&text, "I008").is_empty());
        assert!(findings(&text, "I001").is_empty());
    }

    #[test]
    fn the_wrong_resource_account_gets_the_cmks() {
        let text = with_condition(r#"{"StringEquals": {"aws:ResourceAccount": "444455556666"}}"#);
        let found = findings(&text, "I008");
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .message
                .ends_with("(the CMK belongs to account `111122223333`)"),
            "{}",
            found[0].message
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("write `\"111122223333\"` as the value of `aws:ResourceAccount`")
        );
    }

    #[test]
    fn requiring_plain_http_is_never_met() {
        let text = with_condition(r#"{"Bool": {"aws:SecureTransport": "false"}}"#);
        let found = findings(&text, "I008");
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .message
                .ends_with("(the vendor's calls always use TLS)"),
            "{}",
            found[0].message
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("remove the `aws:SecureTransport` condition, or require `true`")
        );
    }

    #[test]
    fn the_wrong_region_and_principal_get_the_right_ones() {
        let text = with_condition(r#"{"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}"#);
        let found = findings(&text, "I008");
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.ends_with("(the CMK is in `us-east-1`)"),
            "{}",
            found[0].message
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("write `\"us-east-1\"` as the value of `aws:RequestedRegion`")
        );

        let text = with_condition(
            r#"{"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/Other"}}"#,
        );
        let found = findings(&text, "I008");
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.ends_with(
                "(the vendor calls through the role `arn:aws:iam::111122223333:role/BYOK_Role`)"
            ),
            "{}",
            found[0].message
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("write `\"arn:aws:iam::111122223333:role/BYOK_Role\"` as the value of `aws:PrincipalArn`")
        );
    }

    #[test]
    fn a_required_alias_is_never_named() {
        let text = with_condition(r#"{"StringEquals": {"kms:RequestAlias": "alias/byok"}}"#);
        let found = findings(&text, "I008");
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .message
                .ends_with("(the vendor names the key by its ARN, not by an alias)"),
            "{}",
            found[0].message
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("remove the `kms:RequestAlias` condition")
        );
    }

    #[test]
    fn other_keys_name_what_the_vendors_calls_carry() {
        for (condition, reason, key) in [
            (
                r#"{"StringEquals": {"aws:PrincipalType": "User"}}"#,
                "(the vendor's calls carry `aws:PrincipalType` = `AssumedRole`)",
                "aws:PrincipalType",
            ),
            (
                r#"{"StringEquals": {"aws:SourceAccount": "444455556666"}}"#,
                "(the vendor's calls carry no `aws:SourceAccount`)",
                "aws:SourceAccount",
            ),
        ] {
            let found = findings(&with_condition(condition), "I008");
            assert_eq!(found.len(), 1, "{condition}");
            assert!(found[0].message.ends_with(reason), "{}", found[0].message);
            assert_eq!(
                found[0].help.as_deref(),
                Some(
                    format!(
                        "remove the `{key}` condition, or change it so that the vendor's calls \
                         through the role meet it"
                    )
                    .as_str()
                )
            );
        }
    }

    #[test]
    fn one_finding_per_condition() {
        let text = with_condition(
            r#"{"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}, "Bool": {"aws:MultiFactorAuthPresent": "true"}}"#,
        );
        let found = findings(&text, "I008");
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn the_encryption_algorithm_is_set_for_symmetric_calls_only() {
        // The vendor's encrypt, decrypt and data-key calls carry `kms:EncryptionAlgorithm`;
        // `kms:DescribeKey` does not, so only it is blocked.
        let text =
            with_condition(r#"{"StringEquals": {"kms:EncryptionAlgorithm": "SYMMETRIC_DEFAULT"}}"#);
        let found = findings(&text, "I008");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].message.contains("`kms:DescribeKey`"),
            "{}",
            found[0].message
        );
        for symmetric in ["`kms:Encrypt`", "`kms:Decrypt`", "`kms:GenerateDataKey`"] {
            assert!(
                !found[0].message.contains(symmetric),
                "{}",
                found[0].message
            );
        }
    }
}
