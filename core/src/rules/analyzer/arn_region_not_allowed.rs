use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

use super::resource_arn::{resource_arns, ResourceArn};

declare_rule! {
    /// ## What it catches
    /// A region in a `Resource` ARN of a service whose ARNs have none: IAM
    /// (`arn:aws:iam:us-east-1:111122223333:role/BYOK_Role`) and S3 buckets and objects
    /// (`arn:aws:s3:us-east-1::my-bucket`). Only these services are checked; a wildcard or
    /// policy variable in the region is not judged. Access Analyzer: `ARN_REGION_NOT_ALLOWED`.
    ///
    /// ## Why it matters
    /// IAM roles and S3 buckets are global: their ARNs have an empty region, so an ARN with
    /// one matches nothing, and IAM rejects the policy. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam:us-east-1:111122223333:role/BYOK_Role"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam::111122223333:role/BYOK_Role"}]}
    /// ```
    ///
    /// ## How to fix
    /// Leave the region empty, keeping both colons: `arn:aws:iam::111122223333:role/BYOK_Role`.
    pub(crate) static RULE = {
        code: "X019",
        name: "arn-region-not-allowed",
        severity: Error,
        kinds: [Iam, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for arn in resource_arns(doc) {
        let what = match arn.service {
            "iam" => "IAM",
            _ if arn.is_s3_bucket_or_object() => "S3 bucket and object",
            _ => continue,
        };
        if arn.region.is_empty() || !ResourceArn::literal(arn.region) {
            continue;
        }
        sink.report(
            &RULE,
            arn.value.span,
            format!(
                "`{}` has the region `{}`, but {what} ARNs have none: it matches nothing",
                arn.value.value, arn.region
            ),
            Some(format!("write `{}`", arn.with("", arn.account))),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{findings, statement};
    use crate::DocumentKind;

    #[test]
    fn iam_and_s3_buckets_only() {
        let text = statement(
            r#""Action": "*", "Resource": ["arn:aws:iam:us-east-1:111122223333:role/x", "arn:aws:iam:*:111122223333:role/x", "arn:aws:s3:eu-west-1::b/k", "arn:aws:s3:us-west-2:111122223333:accesspoint/ap", "arn:aws:ec2:us-east-1:111122223333:instance/i"]"#,
        );
        let found = findings(&text, DocumentKind::Iam, "X019");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(
            found[0].message,
            "`arn:aws:iam:us-east-1:111122223333:role/x` has the region `us-east-1`, but IAM ARNs have none: it matches nothing"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("write `arn:aws:iam::111122223333:role/x`")
        );
        assert_eq!(found[1].help.as_deref(), Some("write `arn:aws:s3:::b/k`"));
    }
}
