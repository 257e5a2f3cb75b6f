use std::collections::BTreeSet;

use crate::eval::wildcard_matches;
use crate::generate::BYOK_ACTIONS;
use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

use super::analysis::{Outcome, Setup};

declare_rule! {
    /// ## What it catches
    /// `"Resource": "*"`, or another wildcard pattern that matches the CMK and other keys
    /// (`arn:aws:kms:us-east-1:111122223333:key/*`), or a `NotResource`, in a statement that
    /// grants the role the KMS actions the vendor needs. Decided by evaluation: only the
    /// statements that actually allow one of the four actions on the CMK are reported. Needs
    /// the CMK ARN.
    ///
    /// ## Why it matters
    /// It works: the setup guide even starts with `"Resource": "*"`, since the key may not
    /// exist yet when the policy is written. But the vendor, who assumes the role, can then use
    /// every KMS key whose key policy lets the account's IAM policies decide, not only the CMK.
    /// Warning: allowed by the guide, worth changing once the key exists.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
    /// ```
    ///
    /// ## How to fix
    /// Once the key exists, replace the wildcard with the CMK's ARN: the finding's help gives
    /// the exact line, `"Resource": "arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID"`.
    pub(crate) static RULE = {
        code: "I002",
        name: "resource-wildcard",
        severity: Warning,
        kinds: [Iam],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    let Some(setup) = Setup::new(doc) else {
        return;
    };
    let granting: BTreeSet<usize> = BYOK_ACTIONS
        .iter()
        .flat_map(|action| match setup.outcome(action) {
            Outcome::Allowed(by) => by,
            _ => Vec::new(),
        })
        .collect();
    let cmk = setup.cmk_arn;
    for statement in setup
        .policy
        .statements
        .iter()
        .filter(|s| granting.contains(&s.index))
    {
        let Some(resource) = &statement.resource else {
            continue;
        };
        let label = statement.label();
        if resource.negated {
            sink.report(
                &RULE,
                resource.key_span,
                format!(
                    "`NotResource` in {label} grants the KMS actions on every resource it does \
                     not list, so the vendor can use other keys than the CMK"
                ),
                Some(format!(
                    "replace `NotResource` and its value with `\"Resource\": \"{cmk}\"`"
                )),
            );
            continue;
        }
        let single = resource.values.items.len() == 1;
        for value in resource.values.items.iter() {
            let pattern = value.value;
            if !crate::policy::has_wildcard(pattern) || !wildcard_matches(pattern, cmk, false) {
                continue;
            }
            let message = if pattern == "*" {
                format!(
                    "`\"Resource\": \"*\"` in {label} lets the vendor use every KMS key whose key \
                     policy lets IAM policies grant access, not only the CMK (the setup guide \
                     allows it until the key exists)"
                )
            } else {
                format!(
                    "`{pattern}` in {label} matches other KMS keys than the CMK, and the vendor \
                     can use them all"
                )
            };
            let help = if single {
                format!("write `\"Resource\": \"{cmk}\"`")
            } else {
                format!("replace `\"{pattern}\"` with `\"{cmk}\"`")
            };
            sink.report(&RULE, value.span, message, Some(help));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::analysis::testing::{findings, policy, under, CMK};

    const FOUR: &str =
        r#"["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]"#;

    #[test]
    fn star_gets_the_exact_line_to_write() {
        let text = policy(FOUR, r#""*""#, "");
        let found = findings(&text, "I002");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "`\"Resource\": \"*\"` in statement `BYOK` lets the vendor use every KMS key whose \
             key policy lets IAM policies grant access, not only the CMK (the setup guide allows \
             it until the key exists)"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some(format!("write `\"Resource\": \"{CMK}\"`").as_str())
        );
        assert_eq!(under(&text, &found[0]), "\"*\"");
        assert_eq!(found[0].line, 1);
    }

    #[test]
    fn a_key_wildcard_in_a_list() {
        let text = policy(
            FOUR,
            r#"["arn:aws:s3:::bucket", "arn:aws:kms:us-east-1:111122223333:key/*"]"#,
            "",
        );
        let found = findings(&text, "I002");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "`arn:aws:kms:us-east-1:111122223333:key/*` in statement `BYOK` matches other KMS \
             keys than the CMK, and the vendor can use them all"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some(
                format!("replace `\"arn:aws:kms:us-east-1:111122223333:key/*\"` with `\"{CMK}\"`")
                    .as_str()
            )
        );
    }

    #[test]
    fn not_resource_is_reported() {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": {FOUR}, "NotResource": "arn:aws:kms:us-east-1:111122223333:key/other"}}]}}"#
        );
        let found = findings(&text, "I002");
        assert_eq!(found.len(), 1);
        assert_eq!(under(&text, &found[0]), "\"NotResource\"");
    }

    #[test]
    fn only_statements_that_grant_are_reported() {
        // The star statement grants only an S3 action; the key statement grants the four.
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [
  {{"Effect": "Allow", "Action": {FOUR}, "Resource": "{CMK}"}},
  {{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}
]}}"#
        );
        assert!(findings(&text, "I002").is_empty());
        // A wildcard that does not match the CMK is another problem (I004), not this one.
        let text = policy(FOUR, r#""arn:aws:kms:eu-west-1:111122223333:key/*""#, "");
        assert!(findings(&text, "I002").is_empty());
    }

    #[test]
    fn the_exact_cmk_is_clean() {
        let text = policy(FOUR, &format!("\"{CMK}\""), "");
        assert!(findings(&text, "I002").is_empty());
    }
}
