use crate::policy::{Checked, Effect};
use crate::rules::{declare_rule, Sink};

use super::federation::{federated, is_github, Provider};

declare_rule! {
    /// ## What it catches
    /// An Allow to GitHub Actions' OIDC provider (`token.actions.githubusercontent.com`) with
    /// no condition on `token.actions.githubusercontent.com:sub`, the key that names the
    /// repository and branch. Access Analyzer: `MISSING_GITHUB_REPO_CONDITION_KEY`.
    ///
    /// ## Why it matters
    /// Every GitHub Actions workflow, in any repository of any GitHub user, gets a token from
    /// the same provider: without `:sub`, all of them can assume the role (`:aud` alone does
    /// not help, it is `sts.amazonaws.com` for everyone). SecurityWarning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:octo-org/octo-repo:ref:refs/heads/main"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Add `"token.actions.githubusercontent.com:sub": "repo:<org>/<repo>:ref:refs/heads/<branch>"`
    /// under `StringEquals`.
    pub(crate) static RULE = {
        code: "X013",
        name: "github-without-repo-condition",
        severity: SecurityWarning,
        kinds: [Trust],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        if statement.effect() != Some(Effect::Allow) {
            continue;
        }
        for (value, provider) in federated(statement) {
            let Provider::Oidc(prefix) = provider else {
                continue;
            };
            if !is_github(prefix) {
                continue;
            }
            let sub = format!("{prefix}:sub");
            if statement
                .condition_entries()
                .iter()
                .any(|e| e.key.value.eq_ignore_ascii_case(&sub))
            {
                continue;
            }
            sink.report(
                &RULE,
                value.span,
                format!(
                    "{} trusts GitHub Actions with no condition on `{sub}`: a workflow in any GitHub repository can assume the role",
                    statement.label()
                ),
                Some(format!(
                    "add `\"StringEquals\": {{\"{sub}\": \"repo:<org>/<repo>:ref:refs/heads/<branch>\"}}` to the `Condition`"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::findings;
    use crate::DocumentKind;

    #[test]
    fn bare_domain_and_enterprise_forms() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": ["token.actions.githubusercontent.com", "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com/octo-ent"]}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringLike": {"token.actions.githubusercontent.com:SUB": "repo:octo-org/*"}}}]}"#;
        let found = findings(text, DocumentKind::Trust, "X013");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "statement 0 trusts GitHub Actions with no condition on `token.actions.githubusercontent.com/octo-ent:sub`: a workflow in any GitHub repository can assume the role"
        );
    }
}
