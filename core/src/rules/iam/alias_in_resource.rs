use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

use super::analysis::{list, ResourceFault, Setup};

declare_rule! {
    /// ## What it catches
    /// A KMS alias ARN (`arn:aws:kms:REGION:ACCOUNT:alias/NAME`) in the `Resource` of the
    /// statement meant to grant the vendor's KMS actions, when, by evaluation, it leaves one or
    /// more of the four actions not allowed on the CMK. One finding per alias ARN, listing the
    /// actions it leaves out; `missing-kms-action` does not report them again. An alias ARN
    /// beside the key ARN, which grants, is not reported. Needs the CMK ARN.
    ///
    /// ## Why it matters
    /// An alias ARN in an IAM policy does not authorise use of the key the alias points to:
    /// alias ARNs only control alias operations (`kms:CreateAlias`, `kms:UpdateAlias`,
    /// `kms:DeleteAlias`). KMS authorises `kms:Decrypt` and the other key operations against
    /// the key ARN, so the vendor's calls are refused. Error: the setup cannot work.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "arn:aws:kms:us-east-1:111122223333:alias/byok"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
    /// ```
    ///
    /// ## How to fix
    /// Write the key ARN (`arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID`; the KMS console shows it
    /// on the key's page). To allow keys by their alias, keep a key ARN pattern (or `*`) and add
    /// a `kms:ResourceAliases` condition (the aliases of the key) or a `kms:RequestAlias`
    /// condition (the alias the caller names).
    pub(crate) static RULE = {
        code: "I003",
        name: "alias-in-resource",
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
        let (ResourceFault::Alias, Some(value)) = (&item.fault, item.value) else {
            continue;
        };
        sink.report(
            &RULE,
            value.span,
            format!(
                "`{}` is an alias ARN, and an alias ARN in `Resource` does not authorise use of \
                 the key it points to (alias ARNs only control alias operations): the role cannot \
                 {} on the CMK",
                value.value,
                list(&actions)
            ),
            Some(format!(
                "write the key ARN `\"{}\"`; to select keys by alias, use a `kms:ResourceAliases` \
                 or `kms:RequestAlias` condition",
                setup.cmk_arn
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::analysis::testing::{findings, policy, under, CMK};

    const FOUR: &str =
        r#"["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]"#;
    const ALIAS: &str = "arn:aws:kms:us-east-1:111122223333:alias/byok";

    #[test]
    fn explains_why_an_alias_does_not_authorise_the_key() {
        let text = policy(FOUR, &format!("\"{ALIAS}\""), "");
        let found = findings(&text, "I003");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            format!(
                "`{ALIAS}` is an alias ARN, and an alias ARN in `Resource` does not authorise \
                 use of the key it points to (alias ARNs only control alias operations): the role \
                 cannot `kms:Encrypt`, `kms:Decrypt`, `kms:GenerateDataKey` and \
                 `kms:DescribeKey` on the CMK"
            )
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some(
                format!(
                    "write the key ARN `\"{CMK}\"`; to select keys by alias, use a \
                 `kms:ResourceAliases` or `kms:RequestAlias` condition"
                )
                .as_str()
            )
        );
        assert_eq!(under(&text, &found[0]), format!("\"{ALIAS}\""));
        // One problem, one finding: the missing actions are not reported again.
        assert!(findings(&text, "I001").is_empty());
    }

    #[test]
    fn lists_only_the_actions_it_leaves_out() {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [
  {{"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "{CMK}"}},
  {{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"], "Resource": "{ALIAS}"}}
]}}"#
        );
        let found = findings(&text, "I003");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.ends_with(
            "the role cannot `kms:Encrypt`, `kms:Decrypt` and `kms:GenerateDataKey` on the CMK"
        ));
        assert_eq!(found[0].line, 3);
    }

    #[test]
    fn an_alias_wildcard_is_an_alias_too() {
        let text = policy(FOUR, r#""arn:aws:kms:*:111122223333:alias/*""#, "");
        assert_eq!(findings(&text, "I003").len(), 1);
    }

    #[test]
    fn an_alias_beside_the_key_arn_is_not_reported() {
        let text = policy(FOUR, &format!("[\"{CMK}\", \"{ALIAS}\"]"), "");
        assert!(findings(&text, "I003").is_empty());
    }
}
