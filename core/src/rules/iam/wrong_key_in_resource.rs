use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

use super::analysis::{list, ResourceFault, Setup};

declare_rule! {
    /// ## What it catches
    /// A KMS key ARN (or key ARN pattern) in the `Resource` of the statement meant to grant the
    /// vendor's KMS actions that is not the CMK: another region, account, key id or partition.
    /// Reported when, by evaluation, it leaves one or more of the four actions not allowed on
    /// the CMK; the finding names each part that differs and the actions left out
    /// (`missing-kms-action` does not report them again). Key ids are compared as IAM compares
    /// resources, case-sensitively. Needs the CMK ARN.
    ///
    /// ## Why it matters
    /// The policy grants the actions on a key the vendor does not use, and the CMK stays out of
    /// reach: a multi-Region key's replica in another region, the test account's key, a key
    /// that was replaced. Error: the setup cannot work.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
    /// ```
    ///
    /// ## How to fix
    /// Write the CMK's ARN, exactly as shared with the vendor (the finding's help gives it).
    pub(crate) static RULE = {
        code: "I004",
        name: "wrong-key-in-resource",
        severity: Error,
        kinds: [Iam],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    let Some(setup) = Setup::new(doc) else {
        return;
    };
    for (item, actions) in setup.misdirected_byok() {
        let (ResourceFault::WrongKey(differences), Some(value)) = (&item.fault, item.value) else {
            continue;
        };
        // A key ARN without a region is X020 missing-arn-region's finding.
        if differences
            .iter()
            .any(|(part, found, _)| *part == "region" && found.is_empty())
        {
            continue;
        }
        let parts: Vec<String> = differences
            .iter()
            .map(|(part, found, expected)| {
                if found.eq_ignore_ascii_case(expected) {
                    format!("its {part} `{found}` differs in case from the CMK's `{expected}`")
                } else {
                    format!("its {part} is `{found}`, the CMK's is `{expected}`")
                }
            })
            .collect();
        let replica = setup.cmk.multi_region
            && differences.len() == 1
            && differences
                .first()
                .is_some_and(|(part, _, _)| *part == "region");
        let replica_note = if replica {
            " (a replica of the multi-Region key has its own ARN in each region)"
        } else {
            ""
        };
        sink.report(
            &RULE,
            value.span,
            format!(
                "`{}` is not the CMK: {}{replica_note}; the role cannot {} on the CMK",
                value.value,
                parts.join("; "),
                list(&actions)
            ),
            Some(format!("write `\"{}\"`", setup.cmk_arn)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::analysis::testing::{findings, findings_with, policy, under, CMK};

    const FOUR: &str =
        r#"["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]"#;
    const ALL_FOUR: &str =
        "`kms:Encrypt`, `kms:Decrypt`, `kms:GenerateDataKey` and `kms:DescribeKey`";

    #[test]
    fn names_the_region() {
        let other = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        let text = policy(FOUR, &format!("\"{other}\""), "");
        let found = findings(&text, "I004");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            format!(
                "`{other}` is not the CMK: its region is `us-west-2`, the CMK's is `us-east-1`; \
                 the role cannot {ALL_FOUR} on the CMK"
            )
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some(format!("write `\"{CMK}\"`").as_str())
        );
        assert_eq!(under(&text, &found[0]), format!("\"{other}\""));
        assert!(findings(&text, "I001").is_empty());
    }

    #[test]
    fn names_account_and_key_id() {
        let other = "arn:aws:kms:us-east-1:444455556666:key/0987dcba-09fe-87dc-65ba-ab0987654321";
        let text = policy(FOUR, &format!("\"{other}\""), "");
        let found = findings(&text, "I004");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains(
            "its account is `444455556666`, the CMK's is `111122223333`; its key id is \
             `0987dcba-09fe-87dc-65ba-ab0987654321`, the CMK's is \
             `1234abcd-12ab-34cd-56ef-1234567890ab`"
        ));
    }

    #[test]
    fn names_a_case_difference_in_the_key_id() {
        let other = "arn:aws:kms:us-east-1:111122223333:key/1234ABCD-12AB-34CD-56EF-1234567890AB";
        let text = policy(FOUR, &format!("\"{other}\""), "");
        let found = findings(&text, "I004");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains(
            "its key id `1234ABCD-12AB-34CD-56EF-1234567890AB` differs in case from the CMK's"
        ));
    }

    #[test]
    fn a_partition_and_a_wildcard_pattern() {
        let text = policy(FOUR, r#""arn:aws-cn:kms:*:111122223333:key/*""#, "");
        let found = findings(&text, "I004");
        assert_eq!(found.len(), 1);
        assert!(found[0]
            .message
            .contains("its partition is `aws-cn`, the CMK's is `aws`;"));
    }

    #[test]
    fn a_multi_region_replica() {
        let cmk = "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
        let replica = "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
        let mut context = crate::Context::example();
        context.cmk_arn = Some(cmk.into());
        let text = policy(FOUR, &format!("\"{replica}\""), "");
        let found = findings_with(&text, "I004", &context);
        assert_eq!(found.len(), 1);
        assert!(found[0]
            .message
            .contains("(a replica of the multi-Region key has its own ARN in each region)"));
    }

    #[test]
    fn each_wrong_key_of_a_statement_is_named() {
        let west = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        let other = "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        let text = policy(FOUR, &format!("[\"{west}\", \"{other}\"]"), "");
        let found = findings(&text, "I004");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(under(&text, &found[0]), format!("\"{west}\""));
        assert_eq!(
            found[0].message,
            format!(
                "`{west}` is not the CMK: its region is `us-west-2`, the CMK's is `us-east-1`; \
                 the role cannot {ALL_FOUR} on the CMK"
            )
        );
        assert_eq!(under(&text, &found[1]), format!("\"{other}\""));
        assert_eq!(
            found[1].message,
            format!(
                "`{other}` is not the CMK: its account is `444455556666`, the CMK's is \
                 `111122223333`; the role cannot {ALL_FOUR} on the CMK"
            )
        );
    }

    #[test]
    fn an_empty_account_is_named_and_an_empty_region_left_to_x020() {
        let no_account = "arn:aws:kms:us-east-1::key/1234abcd-12ab-34cd-56ef-1234567890ab";
        let text = policy(FOUR, &format!("\"{no_account}\""), "");
        let found = findings(&text, "I004");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            found[0].message,
            format!(
                "`{no_account}` is not the CMK: its account is ``, the CMK's is `111122223333`; \
                 the role cannot {ALL_FOUR} on the CMK"
            )
        );
        let no_region = "arn:aws:kms::111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        let text = policy(FOUR, &format!("\"{no_region}\""), "");
        assert!(findings(&text, "I004").is_empty());
    }

    #[test]
    fn only_the_actions_left_out() {
        let other = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "kms:Describe*", "Resource": "*"}}, {{"Effect": "Allow", "Action": {FOUR}, "Resource": ["{other}"]}}]}}"#
        );
        let found = findings(&text, "I004");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.ends_with(
            "the role cannot `kms:Encrypt`, `kms:Decrypt` and `kms:GenerateDataKey` on the CMK"
        ));
        // Beside the right key, another key is not this rule's concern.
        let text = policy(FOUR, &format!("[\"{CMK}\", \"{other}\"]"), "");
        assert!(findings(&text, "I004").is_empty());
    }
}
