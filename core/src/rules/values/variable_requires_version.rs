use crate::policy::Checked;
use crate::rules::values::support::{self, variable_sites, variables};
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A policy variable (`${aws:username}`, `${aws:PrincipalTag/team}`) in a policy whose
    /// `Version` is not `2012-10-17`: missing, or the legacy `2008-10-17`.
    /// Access Analyzer: `VARIABLE_UNSUPPORTED_IN_VERSION`.
    ///
    /// ## Why it matters
    /// Only the `2012-10-17` policy language replaces variables. Under any other version IAM
    /// compares the literal text `${aws:username}`, which no request has, so the resource or
    /// condition never matches. The policy does not do what it says, so it is an Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Write `"Version": "2012-10-17"` at the top of the policy.
    pub(crate) static RULE = {
        code: "V013",
        name: "variable-requires-version",
        severity: Error,
        kinds: [Iam, Trust, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    if !support::may_hold_variables(doc) {
        return;
    }
    if doc.policy.supports_variables() {
        return;
    }
    let version = match doc.policy.version {
        Some(v) => format!("`Version` is `{}`", v.value),
        None => "the policy has no `Version`".to_string(),
    };
    let help = match doc.policy.version {
        Some(_) => "write `\"Version\": \"2012-10-17\"`",
        None => "add `\"Version\": \"2012-10-17\"` at the top of the policy",
    };
    for site in variable_sites(doc.policy) {
        for variable in variables(site.value) {
            sink.report(
                &RULE,
                variable.span(doc.text, site),
                format!(
                    "`{}` is a policy variable, but {version}: IAM reads it as literal text, so it matches nothing",
                    variable.text
                ),
                Some(help.into()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{findings, under};
    use crate::DocumentKind;

    #[test]
    fn flags_each_variable_with_its_span() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}/*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}}]}"#;
        let found = findings(text, DocumentKind::Iam, "V013");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(under(text, &found[0]), "${aws:username}");
        assert_eq!((found[0].line, found[0].column), (1, 90));
        assert_eq!(
            found[0].message,
            "`${aws:username}` is a policy variable, but the policy has no `Version`: IAM reads it as literal text, so it matches nothing"
        );
        assert_eq!(under(text, &found[1]), "${aws:PrincipalTag/team}");
    }

    #[test]
    fn version_2012_is_fine() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}/*"}]}"#;
        assert!(findings(text, DocumentKind::Iam, "V013").is_empty());
    }

    #[test]
    fn escaped_strings_point_at_the_whole_value() {
        let text = r#"{"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b\/${aws:username}"}]}"#;
        let found = findings(text, DocumentKind::Iam, "V013");
        assert_eq!(found.len(), 1);
        assert_eq!(
            under(text, &found[0]),
            r#""arn:aws:s3:::b\/${aws:username}""#
        );
    }
}
