use crate::policy::Checked;
use crate::rules::values::support::{self, non_variable_sites, variables};
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A policy variable (`${aws:username}`) in an element where IAM does not replace it:
    /// `Action`, `NotAction`, `Principal`, `NotPrincipal`, `Sid`, `Effect`, `Version`, `Id`.
    /// Variables work only in `Resource`, `NotResource` and condition values.
    /// Access Analyzer: `VARIABLE_UNSUPPORTED_IN_ELEMENT`.
    ///
    /// ## Why it matters
    /// In these elements the variable is literal text: an action or principal named
    /// `${aws:username}` matches nothing, so the statement does not do what it says. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${aws:PrincipalAccount}:root"}, "Action": "kms:Decrypt", "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:Decrypt", "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Write the value out in full. To depend on the caller, keep the element general and
    /// compare the variable in a condition, such as
    /// `"StringEquals": {"aws:PrincipalAccount": "111122223333"}`.
    pub(crate) static RULE = {
        code: "V014",
        name: "variable-in-unsupported-element",
        severity: Error,
        kinds: [Key, Iam, Trust],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    if !support::may_hold_variables(doc) {
        return;
    }
    for (element, site) in non_variable_sites(doc.policy) {
        for variable in variables(site.value) {
            sink.report(
                &RULE,
                variable.span(doc.text, site),
                format!(
                    "`{}` in `{element}` is literal text: policy variables work only in `Resource`, `NotResource` and condition values",
                    variable.text
                ),
                Some(format!(
                    "write the value of `{element}` out in full, and compare the variable in a condition if the statement must depend on it"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{findings, statement, under};
    use crate::DocumentKind;

    #[test]
    fn a_variable_spelt_with_escapes_is_still_found() {
        // No `$` in the text: the document-level pre-filter must still let this through.
        let text = statement(r#""Action": "kms:\u0024{x}", "Resource": "*""#);
        let found = findings(&text, DocumentKind::Iam, "V014");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].message.starts_with("`${x}` in `Action`"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn flags_actions_sids_and_principals() {
        let text = statement(
            r#""Sid": "${aws:username}", "Action": ["kms:Decrypt", "kms:${x}"], "Resource": "arn:aws:s3:::${aws:username}""#,
        );
        let found = findings(&text, DocumentKind::Iam, "V014");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(under(&text, &found[0]), "${aws:username}");
        assert!(found[0]
            .message
            .starts_with("`${aws:username}` in `Sid` is literal text"));
        assert_eq!(under(&text, &found[1]), "${x}");
        assert!(found[1].message.contains("in `Action`"));

        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": ["arn:aws:iam::${aws:PrincipalAccount}:root"]}, "Action": "sts:AssumeRole"}]}"#;
        let found = findings(text, DocumentKind::Trust, "V014");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("in `NotPrincipal`"));
    }

    #[test]
    fn resource_and_condition_values_are_allowed() {
        let text = statement(
            r#""Action": "s3:GetObject", "NotResource": "arn:aws:s3:::${aws:username}", "Condition": {"StringLike": {"s3:prefix": "${aws:userid}/*"}}"#,
        );
        assert!(findings(&text, DocumentKind::Iam, "V014").is_empty());
    }
}
