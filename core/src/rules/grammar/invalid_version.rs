use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A `Version` other than `2012-10-17` or `2008-10-17`, such as a date of your own or
    /// `2012-10-18`. Access Analyzer: `INVALID_VERSION`.
    ///
    /// ## Why it matters
    /// `Version` names the policy language, not a revision of your policy; IAM rejects any
    /// other value. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2024-01-01", "Statement": [{"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Write `"Version": "2012-10-17"`.
    pub(crate) static RULE = {
        code: "G010",
        name: "invalid-version",
        severity: Error,
        kinds: [Iam, Trust, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    if let Some(version) = doc.policy.version {
        if version.value != "2012-10-17" && version.value != "2008-10-17" {
            sink.report(
                &RULE,
                version.span,
                format!(
                    "`Version` is `{}`, expected `2012-10-17` (or the legacy `2008-10-17`)",
                    version.value
                ),
                Some("write `\"Version\": \"2012-10-17\"`".into()),
            );
        }
    }
}
