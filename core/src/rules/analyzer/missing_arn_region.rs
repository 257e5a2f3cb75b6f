use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

use super::resource_arn::resource_arns;

declare_rule! {
    /// ## What it catches
    /// A KMS `Resource` ARN with an empty region (`arn:aws:kms::111122223333:key/…`). Only KMS
    /// is checked. Access Analyzer: `MISSING_ARN_REGION`.
    ///
    /// ## Why it matters
    /// Every KMS key and alias lives in a region and its ARN names it; an ARN without one
    /// matches no key, so the statement grants (or denies) nothing. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms::111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
    /// ```
    ///
    /// ## How to fix
    /// Write the key's region between `kms:` and the account: copy the ARN from the KMS
    /// console, or write `*` for every region.
    pub(crate) static RULE = {
        code: "X020",
        name: "missing-arn-region",
        severity: Error,
        kinds: [Iam, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for arn in resource_arns(doc) {
        if arn.service != "kms" || !arn.region.is_empty() {
            continue;
        }
        let region = doc
            .context
            .cmk_arn()
            .and_then(|cmk| cmk.split(':').nth(3))
            .filter(|r| !r.is_empty())
            .unwrap_or("REGION");
        sink.report(
            &RULE,
            arn.value.span,
            format!(
                "`{}` has no region; KMS ARNs name the region of the key, so it matches nothing",
                arn.value.value
            ),
            Some(format!("write `{}`", arn.with(region, arn.account))),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{findings, statement};
    use crate::DocumentKind;

    #[test]
    fn only_kms_without_region() {
        let text = statement(
            r#""Action": "kms:Decrypt", "Resource": ["arn:aws:kms::111122223333:alias/a", "arn:aws:kms:*:111122223333:key/*", "arn:aws:iam::111122223333:role/x"]"#,
        );
        let found = findings(&text, DocumentKind::Iam, "X020");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].help.as_deref(),
            Some("write `arn:aws:kms:us-east-1:111122223333:alias/a`")
        );
    }
}
