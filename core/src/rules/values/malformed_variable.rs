use crate::policy::Checked;
use crate::rules::values::support::{self, variable_sites, variables, VariableProblem};
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A policy variable IAM cannot read: `${aws:username` without its closing brace, an
    /// empty `${}`, a space in the name (`${aws: username}`), or a default value not in single
    /// quotes (`${aws:PrincipalTag/team, none}`). `${*}`, `${?}` and `${$}` are valid: they
    /// stand for a literal `*`, `?` and `$`. Access Analyzer: `MISSING_BRACE_IN_VARIABLE`,
    /// `EMPTY_VARIABLE`, `UNSUPPORTED_SPACE_IN_VARIABLE`, `MISSING_QUOTE_IN_VARIABLE`.
    ///
    /// ## Why it matters
    /// IAM rejects the policy, or compares the text as it is, which no request has. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username/*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Write `${name}` or `${name, 'default'}`: a closing brace, no spaces in the name, the
    /// default value in single quotes.
    pub(crate) static RULE = {
        code: "V016",
        name: "malformed-variable",
        severity: Error,
        kinds: [Iam, Trust, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    if !support::may_hold_variables(doc) {
        return;
    }
    // Under another version `${` is plain text; `variable-requires-version` says so.
    if !doc.policy.supports_variables() {
        return;
    }
    for site in variable_sites(doc.policy) {
        for variable in variables(site.value) {
            let Some(problem) = variable.problem else {
                continue;
            };
            let text = variable.text;
            let body = text.strip_prefix("${").unwrap_or(text);
            let body = body.strip_suffix('}').unwrap_or(body);
            let (message, help) = match problem {
                VariableProblem::MissingBrace => (
                    format!("the policy variable `{text}` has no closing `}}`"),
                    "close the variable with `}` where its name ends, as in `${aws:username}`"
                        .to_string(),
                ),
                VariableProblem::Empty => (
                    format!("the policy variable `{text}` is empty"),
                    "name a variable, such as `${aws:username}`, or remove the `${}`; for a literal `$` write `${$}`".to_string(),
                ),
                VariableProblem::Space => {
                    let (name, default) = match body.split_once(',') {
                        Some((name, default)) => (name, Some(default)),
                        None => (body, None),
                    };
                    let name: String = name.chars().filter(|c| !c.is_whitespace()).collect();
                    let fixed = match default {
                        Some(d) => format!("${{{name}, {}}}", d.trim()),
                        None => format!("${{{name}}}"),
                    };
                    (
                        format!("the policy variable `{text}` has a space in its name"),
                        format!("write `{fixed}`"),
                    )
                }
                VariableProblem::MissingQuote => {
                    let (name, default) = body.split_once(',').unwrap_or((body, ""));
                    let default = default.trim().trim_matches(['\'', '"']);
                    (
                        format!(
                            "the default value in the policy variable `{text}` is not in single quotes"
                        ),
                        format!("write `${{{}, '{default}'}}`", name.trim()),
                    )
                }
            };
            sink.report(&RULE, variable.span(doc.text, site), message, Some(help));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{condition, findings, statement, under};
    use crate::DocumentKind;

    fn one(resource: &str) -> (String, String, String) {
        let text = statement(&format!(
            r#""Action": "s3:GetObject", "Resource": "{resource}""#
        ));
        let found = findings(&text, DocumentKind::Iam, "V016");
        assert_eq!(found.len(), 1, "{resource}: {found:#?}");
        (
            under(&text, &found[0]).to_string(),
            found[0].message.clone(),
            found[0].help.clone().unwrap(),
        )
    }

    #[test]
    fn names_each_problem_with_a_fix() {
        let (under, message, help) = one("arn:aws:s3:::b/${aws:username/*");
        assert_eq!(under, "${aws:username/*");
        assert_eq!(
            message,
            "the policy variable `${aws:username/*` has no closing `}`"
        );
        assert_eq!(
            help,
            "close the variable with `}` where its name ends, as in `${aws:username}`"
        );

        let (_, message, _) = one("arn:aws:s3:::b/${}");
        assert_eq!(message, "the policy variable `${}` is empty");

        let (_, message, help) = one("arn:aws:s3:::b/${aws: username}");
        assert_eq!(
            message,
            "the policy variable `${aws: username}` has a space in its name"
        );
        assert_eq!(help, "write `${aws:username}`");

        let (_, _, help) = one("arn:aws:s3:::b/${aws:PrincipalTag/team, none}");
        assert_eq!(help, "write `${aws:PrincipalTag/team, 'none'}`");
        // A lone quote, or an opening quote without its closing one, is no quoted default.
        for default in ["'", "'none"] {
            let (_, message, _) = one(&format!(
                "arn:aws:s3:::b/${{aws:PrincipalTag/team, {default}}}"
            ));
            assert!(message.contains("quote"), "{default}: {message}");
        }
    }

    #[test]
    fn special_variables_and_spaced_defaults_are_valid() {
        let text = condition(
            r#"{"StringLike": {"s3:prefix": ["${*}", "${?}/${$}", "${aws:PrincipalTag/team, 'no team'}"]}}"#,
        );
        assert!(findings(&text, DocumentKind::Iam, "V016").is_empty());
    }

    #[test]
    fn legacy_versions_are_left_to_the_version_rule() {
        let text = r#"{"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${}"}]}"#;
        assert!(findings(text, DocumentKind::Iam, "V016").is_empty());
    }
}
