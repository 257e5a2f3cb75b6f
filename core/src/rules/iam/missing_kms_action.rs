use crate::eval::{action_element_matches, action_matches};
use crate::generate::BYOK_ACTIONS;
use crate::policy::{Checked, Effect, Statement};
use crate::rules::{declare_rule, Sink};
use crate::source::Span;

use super::analysis::{
    action_key_span, consequence, statement_key_span, Outcome, ResourceFault, Setup,
};

declare_rule! {
    /// ## What it catches
    /// One of the four actions the vendor needs (`kms:Encrypt`, `kms:Decrypt`,
    /// `kms:GenerateDataKey`, `kms:DescribeKey`) that the BYOK role's IAM policy does not
    /// allow on the CMK, decided by evaluating the vendor's call through the role. One finding
    /// per missing action, naming what breaks without it, or the `Deny` statement that refuses
    /// it. A wildcard that covers the action (`kms:GenerateDataKey*`, `kms:*`) counts as
    /// allowing it. When a more specific rule explains the failure, it reports instead: an
    /// alias ARN in `Resource` (`alias-in-resource`), another key's ARN
    /// (`wrong-key-in-resource`), a condition the vendor's calls cannot meet
    /// (`condition-blocks-vendor`), a `Resource` that is not an ARN
    /// (`invalid-resource-arn`), or a statement the grammar rules report (no `Resource`, no
    /// `Action`, an `Effect` other than `Allow` or `Deny`). Needs the CMK ARN.
    ///
    /// ## Why it matters
    /// Without the action the vendor cannot do its part: without `kms:Encrypt` it cannot
    /// encrypt new data; without `kms:Decrypt` it cannot read back any data encrypted with the
    /// key, and the platform fails at enforcement; without `kms:GenerateDataKey` envelope
    /// encryption of each record fails; without `kms:DescribeKey` the console's "Test
    /// Configuration" cannot validate the key. Error: the setup cannot work.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
    /// ```
    ///
    /// ## How to fix
    /// Add the action the finding names to the `Action` list of the statement whose `Resource`
    /// is the CMK ARN; if a `Deny` statement refuses it, remove the action from that statement
    /// or exclude the CMK from its `Resource`.
    pub(crate) static RULE = {
        code: "I001",
        name: "missing-kms-action",
        severity: Error,
        kinds: [Iam],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    let Some(setup) = Setup::new(doc) else {
        return;
    };
    for action in BYOK_ACTIONS {
        match setup.outcome(action) {
            Outcome::Denied { statement, entries } if entries.is_empty() => {
                report_denied(&setup, statement, action, sink);
            }
            Outcome::NotGranted => {
                let misdirected = setup.misdirected(action);
                // An alias, another key or a non-ARN in `Resource` is the whole story, and
                // its own rule tells it.
                if misdirected.iter().any(|m| m.fault != ResourceFault::Other) {
                    continue;
                }
                if explained_by_grammar(&setup, action) {
                    continue;
                }
                match misdirected.first() {
                    Some(m) => report_resource_misses(&setup, m.statement, action, sink),
                    None => report_not_listed(&setup, action, sink),
                }
            }
            Outcome::Denied { .. }
            | Outcome::Allowed(_)
            | Outcome::Uncertain
            | Outcome::Blocked { .. } => {}
        }
    }
}

/// True when a grammar rule explains why no statement grants `action`: a statement lists it
/// without a `Resource` (`missing-resource`) or with an `Effect` IAM does not know
/// (`missing-effect`, `invalid-effect`), or an `Allow` on the CMK has no readable `Action`
/// (`missing-action`, `data-type-mismatch`).
fn explained_by_grammar(setup: &Setup<'_>, action: &str) -> bool {
    setup.policy.statements.iter().any(|s| {
        let Some(element) = &s.action else {
            return s.effect() == Some(Effect::Allow) && setup.resource_covers_cmk(s, action);
        };
        if !action_element_matches(element, action) {
            return false;
        }
        match s.effect() {
            Some(Effect::Allow) => s.resource.is_none(),
            Some(Effect::Deny) => false,
            None => setup.resource_covers_cmk(s, action),
        }
    })
}

fn report_denied(setup: &Setup<'_>, statement: &Statement<'_>, action: &str, sink: &mut Sink) {
    let label = statement.label();
    let span = statement
        .action
        .as_ref()
        .and_then(|element| {
            if element.negated {
                return Some(element.key_span);
            }
            element
                .values
                .items
                .iter()
                .find(|v| action_matches(v.value, action))
                .map(|v| v.span)
        })
        .unwrap_or(statement.span);
    sink.report(
        &RULE,
        span,
        format!(
            "the role cannot `{action}` on the CMK: {label} denies it explicitly, and a `Deny` \
             overrides every `Allow`; {}",
            consequence(action)
        ),
        Some(format!(
            "remove `{action}` from the `Deny` of {label}, or exclude `{}` from its `Resource`",
            setup.cmk_arn
        )),
    );
}

/// A statement lists the action but its `Resource` misses the CMK for no reason another rule
/// names (another service's ARN, a `NotResource` that excludes the CMK).
fn report_resource_misses(
    setup: &Setup<'_>,
    statement: &Statement<'_>,
    action: &str,
    sink: &mut Sink,
) {
    let label = statement.label();
    let (span, element) = match &statement.resource {
        Some(resource) => (resource.key_span, resource.name("Resource", "NotResource")),
        None => (statement.span, "Resource"),
    };
    sink.report(
        &RULE,
        span,
        format!(
            "the role cannot `{action}` on the CMK: {label} allows it, but its `{element}` does \
             not cover `{}`; {}",
            setup.cmk_arn,
            consequence(action)
        ),
        Some(format!(
            "write `\"Resource\": \"{}\"` in {label}",
            setup.cmk_arn
        )),
    );
}

/// No statement lists the action: point at the one that comes closest.
fn report_not_listed(setup: &Setup<'_>, action: &str, sink: &mut Sink) {
    let about_kms = |statement: &&Statement<'_>| {
        statement.action.as_ref().is_some_and(|a| {
            a.negated
                || a.values
                    .items
                    .iter()
                    .any(|v| v.value.to_ascii_lowercase().starts_with("kms:"))
        })
    };
    let closest = setup
        .allow_statements()
        .filter(about_kms)
        .find(|s| setup.resource_covers_cmk(s, action))
        .or_else(|| setup.allow_statements().find(about_kms));
    let message = format!(
        "the role cannot `{action}` on the CMK: no statement allows it; {}",
        consequence(action)
    );
    let (span, help): (Span, String) = match closest {
        Some(statement) => {
            let label = statement.label();
            match &statement.action {
                Some(element) if element.negated => (
                    element
                        .values
                        .items
                        .iter()
                        .find(|v| action_matches(v.value, action))
                        .map_or(element.key_span, |v| v.span),
                    format!("remove `{action}` from the `NotAction` of {label}"),
                ),
                _ => (
                    action_key_span(statement),
                    format!("add `\"{action}\"` to the `Action` list of {label}"),
                ),
            }
        }
        None => (
            statement_key_span(setup.policy),
            format!(
                "add a statement `{{\"Effect\": \"Allow\", \"Action\": [\"{action}\"], \"Resource\": \"{}\"}}`",
                setup.cmk_arn
            ),
        ),
    };
    sink.report(&RULE, span, message, Some(help));
}

#[cfg(test)]
mod tests {
    use super::super::analysis::testing::{findings, policy, under, CMK};

    #[test]
    fn names_the_missing_action_and_what_breaks() {
        let text = policy(
            r#"["kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"]"#,
            &format!("\"{CMK}\""),
            "",
        );
        let found = findings(&text, "I001");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "the role cannot `kms:Decrypt` on the CMK: no statement allows it; the vendor cannot \
             read back any data encrypted with the key, and the platform fails at enforcement"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("add `\"kms:Decrypt\"` to the `Action` list of statement `BYOK`")
        );
        assert_eq!(under(&text, &found[0]), "\"Action\"");
    }

    #[test]
    fn a_statement_for_another_service_is_no_resource_miss() {
        // The S3 statement lists no KMS action: it did not mean to grant `kms:Decrypt`.
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [
  {{"Sid": "Logs", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/*"}},
  {{"Sid": "BYOK", "Effect": "Allow", "Action": ["kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "{CMK}"}}
]}}"#
        );
        let found = findings(&text, "I001");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("no statement allows it"));
        assert_eq!(
            found[0].help.as_deref(),
            Some("add `\"kms:Decrypt\"` to the `Action` list of statement `BYOK`")
        );
        assert_eq!(found[0].line, 3);
    }

    #[test]
    fn a_variable_is_literal_text_under_the_legacy_version() {
        let text = |version: &str| {
            format!(
                r#"{{"Version": "{version}", "Statement": [{{"Sid": "BYOK", "Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "arn:aws:kms:us-east-1:${{aws:PrincipalAccount}}:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}]}}"#
            )
        };
        assert!(findings(&text("2012-10-17"), "I001").is_empty());
        let found = findings(&text("2008-10-17"), "I001");
        assert_eq!(found.len(), 4);
        assert!(found[0]
            .message
            .contains("statement `BYOK` allows it, but its `Resource` does not cover"));
    }

    #[test]
    fn one_finding_per_missing_action() {
        let text = policy(r#""kms:DescribeKey""#, &format!("\"{CMK}\""), "");
        let found = findings(&text, "I001");
        let named: Vec<&str> = found
            .iter()
            .map(|f| f.message.split('`').nth(1).unwrap())
            .collect();
        assert_eq!(
            named,
            vec!["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
        );
        assert!(found.iter().any(|f| f.message.ends_with(
            "envelope encryption of each record fails, since every record needs a data key"
        )));
        assert!(found.iter().any(|f| f
            .message
            .ends_with("the vendor cannot encrypt new data with the key")));
    }

    #[test]
    fn describe_key_names_the_test_configuration() {
        let text = policy(
            r#"["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"]"#,
            &format!("\"{CMK}\""),
            "",
        );
        let found = findings(&text, "I001");
        assert_eq!(found.len(), 1);
        assert!(found[0]
            .message
            .ends_with("the console's Test Configuration cannot validate the key"));
    }

    #[test]
    fn wildcards_that_cover_the_action_count() {
        let text = policy(
            r#"["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:Describe*"]"#,
            &format!("\"{CMK}\""),
            "",
        );
        assert!(findings(&text, "I001").is_empty());
        let text = policy(r#""kms:*""#, &format!("\"{CMK}\""), "");
        assert!(findings(&text, "I001").is_empty());
        let text = policy(r#""KMS:decrypt""#, r#""*""#, "");
        assert_eq!(findings(&text, "I001").len(), 3, "case-insensitive actions");
    }

    #[test]
    fn names_the_deny_that_refuses_an_action() {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [
  {{"Sid": "BYOK", "Effect": "Allow", "Action": "kms:*", "Resource": "{CMK}"}},
  {{"Sid": "NoDecrypt", "Effect": "Deny", "Action": ["kms:Decrypt"], "Resource": "*"}}
]}}"#
        );
        let found = findings(&text, "I001");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "the role cannot `kms:Decrypt` on the CMK: statement `NoDecrypt` denies it \
             explicitly, and a `Deny` overrides every `Allow`; the vendor cannot read back any \
             data encrypted with the key, and the platform fails at enforcement"
        );
        assert_eq!(found[0].line, 3);
        assert_eq!(under(&text, &found[0]), "\"kms:Decrypt\"");
        assert_eq!(
            found[0].help.as_deref(),
            Some(format!(
                "remove `kms:Decrypt` from the `Deny` of statement `NoDecrypt`, or exclude `{CMK}` from its `Resource`"
            )
            .as_str())
        );
    }

    #[test]
    fn a_statement_without_kms_actions_points_at_the_statement_key() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
        let found = findings(text, "I001");
        assert_eq!(found.len(), 4);
        assert!(found.iter().all(|f| under(text, f) == "\"Statement\""));
        assert!(found[0]
            .help
            .as_deref()
            .unwrap()
            .contains(&format!("\"Resource\": \"{CMK}\"")));
    }

    #[test]
    fn a_policy_without_statements_points_at_its_first_character() {
        let text = "\n  {\"Version\": \"2012-10-17\"}";
        let found = findings(text, "I001");
        assert_eq!(found.len(), 4, "{found:#?}");
        assert!(found.iter().all(|f| under(text, f) == "{"), "{found:#?}");
        assert_eq!((found[0].line, found[0].column), (2, 3));
    }

    #[test]
    fn another_services_arn_as_resource_points_at_resource() {
        let text = policy(
            r#"["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]"#,
            r#""arn:aws:s3:::my-bucket""#,
            "",
        );
        let found = findings(&text, "I001");
        assert_eq!(found.len(), 4);
        assert_eq!(under(&text, &found[0]), "\"Resource\"");
        assert!(found[0]
            .message
            .contains("statement `BYOK` allows it, but its `Resource` does not cover"));
    }

    #[test]
    fn not_action_that_excludes_an_action() {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Sid": "All", "Effect": "Allow", "NotAction": ["kms:Decrypt", "s3:*"], "Resource": "{CMK}"}}]}}"#
        );
        let found = findings(&text, "I001");
        assert_eq!(found.len(), 1);
        assert_eq!(under(&text, &found[0]), "\"kms:Decrypt\"");
        assert_eq!(
            found[0].help.as_deref(),
            Some("remove `kms:Decrypt` from the `NotAction` of statement `All`")
        );
    }

    #[test]
    fn specific_rules_report_instead() {
        // An alias ARN, another key, a bare key id, a condition: not I001.
        for resource in [
            "\"arn:aws:kms:us-east-1:111122223333:alias/byok\"",
            "\"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\"",
            "\"1234abcd-12ab-34cd-56ef-1234567890ab\"",
        ] {
            let text = policy(r#""kms:*""#, resource, "");
            assert!(findings(&text, "I001").is_empty(), "{resource}");
        }
        let text = policy(
            r#""kms:*""#,
            &format!("\"{CMK}\""),
            r#", "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}"#,
        );
        assert!(findings(&text, "I001").is_empty());
    }

    #[test]
    fn a_statement_the_grammar_rules_explain() {
        let four = r#"["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]"#;
        let lowercase_effect = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "allow", "Action": {four}, "Resource": "{CMK}"}}]}}"#
        );
        assert!(findings(&lowercase_effect, "I001").is_empty());
        let no_resource = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": {four}}}]}}"#
        );
        assert!(findings(&no_resource, "I001").is_empty());
        let no_action = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Resource": "{CMK}"}}]}}"#
        );
        assert!(findings(&no_action, "I001").is_empty());
    }

    #[test]
    fn a_statement_without_action_elsewhere_explains_nothing() {
        // Without an `Action`, only an `Allow` on the CMK could have been the grant: an
        // `Allow` on a bucket or a `Deny` on everything leaves the four actions to this rule.
        for other in [
            r#"{"Sid": "Bucket", "Effect": "Allow", "Resource": "arn:aws:s3:::my-bucket"}"#,
            r#"{"Sid": "Fence", "Effect": "Deny", "Resource": "*"}"#,
        ] {
            let text = format!(
                r#"{{"Version": "2012-10-17", "Statement": [{{"Sid": "S3", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}, {other}]}}"#
            );
            let found = findings(&text, "I001");
            assert_eq!(found.len(), 4, "{other}: {found:#?}");
            assert_eq!(
                found[0].message,
                "the role cannot `kms:Decrypt` on the CMK: no statement allows it; the vendor \
                 cannot read back any data encrypted with the key, and the platform fails at \
                 enforcement",
                "{other}"
            );
        }
    }

    #[test]
    fn unknowable_conditions_are_not_guessed() {
        let text = policy(
            r#""kms:*""#,
            &format!("\"{CMK}\""),
            r#", "Condition": {"StringEquals": {"aws:ResourceTag/byok": "true"}}"#,
        );
        assert!(findings(&text, "I001").is_empty());
    }

    #[test]
    fn skipped_without_a_valid_cmk_arn() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}"#;
        let mut context = crate::Context::example();
        context.cmk_arn = None;
        assert!(super::super::analysis::testing::findings_with(text, "I001", &context).is_empty());
        context.cmk_arn = Some("arn:aws:kms:us-east-1:111122223333:alias/byok".into());
        assert!(super::super::analysis::testing::findings_with(text, "I001", &context).is_empty());
    }
}
