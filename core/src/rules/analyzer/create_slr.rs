use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// An Allow statement that grants `iam:CreateServiceLinkedRole` for every service: by
    /// name, through a wildcard action (`iam:*`, `*`) or through `NotAction`, together with
    /// `"Resource": "*"` (or `arn:aws:iam::*:role/*`) or with `NotResource`. One rule for Access
    /// Analyzer's six codes, with a message for each shape: `CREATE_SLR_WITH_STAR_IN_RESOURCE`,
    /// `CREATE_SLR_WITH_NOT_RESOURCE`, `CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE`,
    /// `CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE`,
    /// `CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION`,
    /// `CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE`. A statement with an
    /// `iam:AWSServiceName` condition names its services and is not reported.
    ///
    /// ## Why it matters
    /// A service-linked role gives an AWS service fixed permissions in the account. Allowed
    /// for every service, the holder can create roles for services nobody meant to enable.
    /// The permissions are AWS's own and cannot be widened, so it is a Warning, as Access
    /// Analyzer rates it.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*", "Condition": {"StringEquals": {"iam:AWSServiceName": "kms.amazonaws.com"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Limit the services with an `iam:AWSServiceName` condition, or name the service-linked
    /// role in `Resource` (`arn:aws:iam::*:role/aws-service-role/kms.amazonaws.com/*`).
    pub(crate) static RULE = {
        code: "X006",
        name: "create-service-linked-role-for-any-service",
        severity: Warning,
        kinds: [Iam],
        check: Some(check),
    };
}

/// A statement limited to named services by `iam:AWSServiceName` creates only their roles.
fn limited_to_services(statement: &crate::policy::Statement<'_>) -> bool {
    statement
        .condition_entries()
        .iter()
        .any(|e| e.key.value.eq_ignore_ascii_case("iam:AWSServiceName"))
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    let mut found = crate::rules::Sink::default();
    super::broad_grant::check(
        doc,
        &mut found,
        &RULE,
        "iam:CreateServiceLinkedRole",
        "the holder can create the service-linked role of any AWS service",
        "limit the services with a condition such as `\"StringEquals\": {\"iam:AWSServiceName\": \"kms.amazonaws.com\"}`",
    );
    for raw in found.raw {
        let limited = doc.policy.statements.iter().any(|s| {
            s.span.start <= raw.span.start && raw.span.end <= s.span.end && limited_to_services(s)
        });
        if !limited {
            sink.raw.push(raw);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{findings, statement};
    use crate::DocumentKind;

    #[test]
    fn reports_each_shape_unless_limited_by_service_name() {
        let text = statement(r#""NotAction": "s3:*", "NotResource": "arn:aws:s3:::b""#);
        let found = findings(&text, DocumentKind::Iam, "X006");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "statement 0 allows `iam:CreateServiceLinkedRole` through `NotAction`, which does not exclude it with `NotResource`: the holder can create the service-linked role of any AWS service"
        );
        let limited = statement(
            r#""Action": "iam:*", "Resource": "*", "Condition": {"StringLike": {"iam:AWSServiceName": "kms.*"}}"#,
        );
        assert!(findings(&limited, DocumentKind::Iam, "X006").is_empty());
        let star = statement(r#""Action": "*", "Resource": "*""#);
        assert!(findings(&star, DocumentKind::Iam, "X006")[0]
            .message
            .contains("through the wildcard `*`"));
    }
}
