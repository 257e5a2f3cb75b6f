use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// An Allow statement that grants `iam:PassRole` on every role: by name, through a
    /// wildcard action (`iam:*`, `*`) or through `NotAction`, together with `"Resource": "*"`
    /// (or `arn:aws:iam::*:role/*`) or with `NotResource`. One rule for Access Analyzer's six
    /// codes, with a message for each shape: `PASS_ROLE_WITH_STAR_IN_RESOURCE`,
    /// `PASS_ROLE_WITH_NOT_RESOURCE`, `PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE`,
    /// `PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE`,
    /// `PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION`,
    /// `PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE`.
    ///
    /// ## Why it matters
    /// Passing a role to a service lets that service act with the role's permissions. On
    /// every role, whoever holds this policy can hand any role of the account, an
    /// administrator's included, to an EC2 instance or Lambda function they control: a
    /// privilege escalation. SecurityWarning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/app-lambda-role", "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Name the roles that may be passed in `Resource`, and the service they may be passed to
    /// with an `iam:PassedToService` condition. Replace `NotResource` and `NotAction` with the
    /// resources and actions meant.
    pub(crate) static RULE = {
        code: "X005",
        name: "pass-role-to-any-role",
        severity: SecurityWarning,
        kinds: [Iam],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    super::broad_grant::check(
        doc,
        sink,
        &RULE,
        "iam:PassRole",
        "the holder can pass any role of the account, an administrator's included, to a service",
        "list the roles that may be passed in `Resource`, such as `arn:aws:iam::111122223333:role/app-lambda-role`, and limit the service with an `iam:PassedToService` condition",
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{findings, statement, under};
    use crate::DocumentKind;

    #[test]
    fn one_message_per_shape() {
        let cases = [
            (r#""Action": "iam:PassRole", "Resource": "*""#, "statement 0 allows `iam:PassRole` with `\"Resource\": \"*\"`", "\"*\""),
            (r#""Action": ["iam:Get*", "iam:passrole"], "NotResource": "arn:aws:iam::1:role/x""#, "statement 0 allows `iam:PassRole` with `NotResource`", "\"NotResource\""),
            (r#""Action": "iam:*", "Resource": "arn:aws:iam::*:role/*""#, "statement 0 allows `iam:PassRole` through the wildcard `iam:*` with `\"Resource\": \"arn:aws:iam::*:role/*\"`", "\"arn:aws:iam::*:role/*\""),
            (r#""Action": "*", "NotResource": "arn:aws:s3:::b""#, "statement 0 allows `iam:PassRole` through the wildcard `*` with `NotResource`", "\"NotResource\""),
            (r#""NotAction": "s3:*", "Resource": "*""#, "statement 0 allows `iam:PassRole` through `NotAction`, which does not exclude it with `\"Resource\": \"*\"`", "\"*\""),
            (r#""NotAction": "s3:*", "NotResource": "arn:aws:s3:::b""#, "statement 0 allows `iam:PassRole` through `NotAction`, which does not exclude it with `NotResource`", "\"NotResource\""),
        ];
        for (body, message, span) in cases {
            let text = statement(body);
            let found = findings(&text, DocumentKind::Iam, "X005");
            assert_eq!(found.len(), 1, "{body}");
            assert!(
                found[0].message.starts_with(message),
                "{}",
                found[0].message
            );
            assert_eq!(under(&text, &found[0]), span);
        }
    }

    #[test]
    fn narrow_grants_and_denies_are_fine() {
        for body in [
            r#""Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/app-*""#,
            r#""NotAction": "iam:*", "Resource": "*""#,
            r#""Action": "iam:Get*", "Resource": "*""#,
        ] {
            assert!(
                findings(&statement(body), DocumentKind::Iam, "X005").is_empty(),
                "{body}"
            );
        }
        let deny = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"}]}"#;
        assert!(findings(deny, DocumentKind::Iam, "X005").is_empty());
    }
}
