use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

use super::resource_arn::{resource_arns, ResourceArn};

declare_rule! {
    /// ## What it catches
    /// An account ID in the ARN of an S3 bucket or object
    /// (`arn:aws:s3::111122223333:my-bucket/*`). Access points, batch jobs and the other S3
    /// resource types that do carry an account are not reported; other services are not
    /// checked. Access Analyzer: `ARN_ACCOUNT_NOT_ALLOWED`.
    ///
    /// ## Why it matters
    /// Bucket names are global, so bucket and object ARNs have an empty account field: an ARN
    /// with an account matches nothing, and IAM rejects the policy. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3::111122223333:byok-exports/*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::byok-exports/*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Leave the region and account empty: `arn:aws:s3:::byok-exports/*`. To limit access to
    /// buckets of one account, add a condition on `s3:ResourceAccount`.
    pub(crate) static RULE = {
        code: "X021",
        name: "arn-account-not-allowed",
        severity: Error,
        kinds: [Iam, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for arn in resource_arns(doc) {
        if !arn.is_s3_bucket_or_object()
            || arn.account.is_empty()
            || !ResourceArn::literal(arn.account)
        {
            continue;
        }
        sink.report(
            &RULE,
            arn.value.span,
            format!(
                "`{}` has the account `{}`, but S3 bucket and object ARNs have none: it matches nothing",
                arn.value.value, arn.account
            ),
            Some(format!(
                "write `{}`; to limit the bucket's account use a condition on `s3:ResourceAccount`",
                arn.with(arn.region, "")
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{findings, statement};
    use crate::DocumentKind;

    #[test]
    fn buckets_and_objects_only() {
        let text = statement(
            r#""Action": "s3:*", "Resource": ["arn:aws:s3::111122223333:b", "arn:aws:s3:::b/*", "arn:aws:s3:us-east-1:111122223333:job/j", "arn:aws:s3::*:b"]"#,
        );
        let found = findings(&text, DocumentKind::Iam, "X021");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "`arn:aws:s3::111122223333:b` has the account `111122223333`, but S3 bucket and object ARNs have none: it matches nothing"
        );
    }
}
