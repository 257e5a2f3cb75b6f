use crate::policy::{Checked, Effect, Family};
use crate::rules::{declare_rule, Sink};

use super::federation::is_github;
use super::support::strings;

declare_rule! {
    /// ## What it catches
    /// A `*` in a value of `token.actions.githubusercontent.com:sub` under a positive `Like`
    /// operator in an Allow statement: `repo:octo-org/*`, `repo:octo-org/octo-repo:*`, `*`.
    /// Access Analyzer: `SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED`.
    ///
    /// ## Why it matters
    /// The wildcard admits every branch, pull request or repository it spans: a workflow run
    /// from a fork's pull request or an unprotected branch can assume the role. The repository
    /// is still named, so it is a Warning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, "StringLike": {"token.actions.githubusercontent.com:sub": "repo:octo-org/octo-repo:*"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:octo-org/octo-repo:ref:refs/heads/main"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Name the repository and branch (`repo:octo-org/octo-repo:ref:refs/heads/main`) or the
    /// GitHub environment (`repo:octo-org/octo-repo:environment:prod`).
    pub(crate) static RULE = {
        code: "X014",
        name: "github-sub-wildcard",
        severity: Warning,
        kinds: [Trust],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        if statement.effect() != Some(Effect::Allow) {
            continue;
        }
        for entry in statement.condition_entries() {
            let Some(operator) = entry.parsed else {
                continue;
            };
            if operator.base.family() != Family::String
                || !operator.base.uses_wildcards()
                || operator.base.is_negated()
            {
                continue;
            }
            let key = entry.key.value;
            let Some(prefix) = key.len().checked_sub(4).and_then(|at| {
                let (head, tail) = (key.get(..at)?, key.get(at..)?);
                tail.eq_ignore_ascii_case(":sub").then_some(head)
            }) else {
                continue;
            };
            if !is_github(prefix) {
                continue;
            }
            for value in strings(entry) {
                if !value.value.contains('*') {
                    continue;
                }
                sink.report(
                    &RULE,
                    value.span,
                    format!(
                        "`{}` has a wildcard in `{}`: every repository, branch or pull request it spans can assume the role",
                        value.value, entry.key.value
                    ),
                    Some(
                        "name the repository and branch, such as `repo:octo-org/octo-repo:ref:refs/heads/main`, or a GitHub environment, `repo:octo-org/octo-repo:environment:prod`"
                            .into(),
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{findings, under};
    use crate::DocumentKind;

    #[test]
    fn flags_wildcards_under_positive_like_only() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": ["repo:o/r:ref:refs/heads/main", "repo:o/*"]}, "StringNotLike": {"token.actions.githubusercontent.com:sub": "repo:o/r:pull_request*"}}}]}"#;
        let found = findings(text, DocumentKind::Trust, "X014");
        assert_eq!(found.len(), 1);
        assert_eq!(under(text, &found[0]), "\"repo:o/*\"");
        assert_eq!(
            found[0].message,
            "`repo:o/*` has a wildcard in `token.actions.githubusercontent.com:sub`: every repository, branch or pull request it spans can assume the role"
        );
    }

    #[test]
    fn a_star_under_an_exact_operator_is_a_literal() {
        // `StringEquals` compares `*` as a character, not as a wildcard.
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:o/*"}}}]}"#;
        let found = findings(text, DocumentKind::Trust, "X014");
        assert!(found.is_empty(), "{found:#?}");
    }
}
