use crate::policy::{Checked, Family};
use crate::rules::{declare_rule, Sink};

use super::support::strings;

declare_rule! {
    /// ## What it catches
    /// An `aws:SourceVpc` value that is not `vpc-` followed by 8 or 17 lower-case letters and
    /// digits, or an `aws:SourceVpce` value that is not `vpce-` followed by 8 or 17 of them
    /// (`vpc-123`, `VPC-1A2B3C4D`, a VPC endpoint ID under `aws:SourceVpc`). Under the `Like`
    /// operators a wildcard may stand for the rest of the ID (`vpc-*`). Values with policy
    /// variables are not judged. Access Analyzer: `INVALID_VPC_FORMAT`, `INVALID_VPCE_FORMAT`.
    ///
    /// ## Why it matters
    /// AWS writes VPC and endpoint IDs only in this form and compares them as written, so the
    /// condition never matches the VPC meant: an Allow never allows, a Deny never denies.
    /// Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceVpce": "vpc-1a2b3c4d"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Copy the ID from the VPC console: `vpc-1a2b3c4d5e6f7a8b9` for `aws:SourceVpc`,
    /// `vpce-1a2b3c4d5e6f7a8b9` for `aws:SourceVpce`.
    pub(crate) static RULE = {
        code: "X001",
        name: "invalid-vpc-format",
        severity: Error,
        kinds: [Iam, Trust, Key],
        check: Some(check),
    };
}

/// True when `value` is `prefix` and 8 or 17 lower-case letters and digits; with `wildcards`,
/// when some such ID matches it as far as its text before the first wildcard goes.
fn valid(value: &str, prefix: &str, wildcards: bool) -> bool {
    let id_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    let literal = match value.find(['*', '?']) {
        Some(at) if wildcards => value.get(..at).unwrap_or_default(),
        _ => {
            return value
                .strip_prefix(prefix)
                .is_some_and(|id| matches!(id.len(), 8 | 17) && id.chars().all(id_char));
        }
    };
    match literal.strip_prefix(prefix) {
        Some(id) => id.len() <= 17 && id.chars().all(id_char),
        None => prefix.starts_with(literal),
    }
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        for entry in statement.condition_entries() {
            let Some(operator) = entry.parsed else {
                continue;
            };
            if operator.base.family() != Family::String {
                continue;
            }
            let (prefix, what, code) = if entry.key.value.eq_ignore_ascii_case("aws:SourceVpc") {
                ("vpc-", "VPC", "vpc-1a2b3c4d")
            } else if entry.key.value.eq_ignore_ascii_case("aws:SourceVpce") {
                ("vpce-", "VPC endpoint", "vpce-1a2b3c4d")
            } else {
                continue;
            };
            for value in strings(entry) {
                if crate::policy::holds_variable_start(value.value)
                    || valid(value.value, prefix, operator.base.uses_wildcards())
                {
                    continue;
                }
                sink.report(
                    &RULE,
                    value.span,
                    format!(
                        "`{}` is not a {what} ID: `{}` takes `{prefix}` followed by 8 or 17 lower-case letters and digits",
                        value.value, entry.key.value
                    ),
                    Some(format!("write the {what} ID as the console shows it, such as `{code}`")),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{condition, findings, under};
    use crate::DocumentKind;

    #[test]
    fn checks_both_keys_and_allows_like_wildcards() {
        let text = condition(
            r#"{"StringEquals": {"aws:SourceVpc": ["vpc-1a2b3c4d", "vpc-1a2b3c4d5e6f7a8b9", "vpc-123", "VPC-1A2B3C4D"]}, "StringLike": {"aws:sourcevpce": ["vpce-*", "vpce-0a1b*", "vpc-*"], "aws:SourceVpc": "vp*"}}"#,
        );
        let found = findings(&text, DocumentKind::Iam, "X001");
        let flagged: Vec<&str> = found.iter().map(|f| under(&text, f)).collect();
        assert_eq!(
            flagged,
            ["\"vpc-123\"", "\"VPC-1A2B3C4D\"", "\"vpc-*\""],
            "{found:#?}"
        );
        assert_eq!(
            found[0].message,
            "`vpc-123` is not a VPC ID: `aws:SourceVpc` takes `vpc-` followed by 8 or 17 lower-case letters and digits"
        );
    }

    #[test]
    fn wildcards_count_only_under_like_and_variables_are_skipped() {
        let text = condition(
            r#"{"StringEquals": {"aws:SourceVpc": ["vpc-*", "${aws:PrincipalTag/vpc}"]}}"#,
        );
        let found = findings(&text, DocumentKind::Key, "X001");
        assert_eq!(found.len(), 1);
        assert_eq!(under(&text, &found[0]), "\"vpc-*\"");
    }

    #[test]
    fn before_a_wildcard_the_id_must_still_be_lowercase_and_short_enough() {
        for value in ["vpc-ABC*", "vpc-0123456789abcdef01*"] {
            let text = condition(&format!(
                r#"{{"StringLike": {{"aws:SourceVpc": "{value}"}}}}"#
            ));
            assert_eq!(
                findings(&text, DocumentKind::Iam, "X001").len(),
                1,
                "{value}"
            );
        }
        let fine = condition(r#"{"StringLike": {"aws:SourceVpc": "vpc-0a1b*"}}"#);
        assert!(findings(&fine, DocumentKind::Iam, "X001").is_empty());
    }
}
