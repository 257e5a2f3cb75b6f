use crate::policy::{BaseOperator, Checked, Operator, ValueType};
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// `*` or `?` in a value of `StringEquals`, `StringNotEquals`, `StringEqualsIgnoreCase` or
    /// `StringNotEqualsIgnoreCase` (with any qualifier or `IfExists`). Access Analyzer:
    /// `WILDCARD_WITHOUT_LIKE_OPERATOR`. Policy variables such as `${aws:username}` and the
    /// escape `${*}` (a literal `*`) are not wildcards.
    ///
    /// ## Why it matters
    /// These operators compare characters literally: `arn:aws:iam::358587034707:role/*` matches
    /// only a principal whose ARN ends in an asterisk. With `StringEquals` the condition
    /// almost never matches (an `Allow` grants nothing); with `StringNotEquals` it almost
    /// always does (a `Deny` blocks everything). Valid, but rarely meant: Warning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:root"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok", "aws:PrincipalArn": "arn:aws:iam::358587034707:role/SegBots-*"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:root"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok", "aws:PrincipalArn": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Write the exact value. If a pattern is meant, use the `Like` operator (`StringLike`,
    /// `StringNotLike`); for a literal `*` or `?`, write `${*}` or `${?}`.
    pub(crate) static RULE = {
        code: "G030",
        name: "wildcard-without-like-operator",
        severity: Warning,
        kinds: [Trust, Iam, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        for entry in statement.condition_entries() {
            let Some(op) = entry.parsed else {
                continue;
            };
            let Some(like) = like_operator(op) else {
                continue;
            };
            for value in &entry.values {
                if value.value_type != ValueType::String {
                    continue;
                }
                let wildcards = wildcards(value.text);
                if wildcards.is_empty() {
                    continue;
                }
                sink.report(
                    &RULE,
                    value.span,
                    format!(
                        "`{}` contains {}, which `{}` compares literally, not as a wildcard",
                        value.text,
                        wildcards.join(" and "),
                        entry.operator.value
                    ),
                    Some(format!(
                        "to match a pattern, write `{}`{}; for a literal character, write `${{*}}` or `${{?}}`",
                        like.name(),
                        if op.base == BaseOperator::StringEqualsIgnoreCase
                            || op.base == BaseOperator::StringNotEqualsIgnoreCase
                        {
                            " (it compares case-sensitively)"
                        } else {
                            ""
                        }
                    )),
                );
            }
        }
    }
}

/// The `Like` form of an equality string operator, keeping qualifier and `IfExists`.
fn like_operator(op: Operator) -> Option<Operator> {
    let base = match op.base {
        BaseOperator::StringEquals | BaseOperator::StringEqualsIgnoreCase => {
            BaseOperator::StringLike
        }
        BaseOperator::StringNotEquals | BaseOperator::StringNotEqualsIgnoreCase => {
            BaseOperator::StringNotLike
        }
        _ => return None,
    };
    Some(Operator { base, ..op })
}

/// The wildcard characters in `text` outside `${...}` policy variables (`${*}` is the escape
/// for a literal `*`, so it is skipped too).
fn wildcards(text: &str) -> Vec<&'static str> {
    // Nearly every value has neither: one byte scan, before any substring search.
    if !crate::policy::has_wildcard(text) {
        return Vec::new();
    }
    let mut rest = text;
    let mut found = Vec::new();
    loop {
        let (plain, after) = match rest.split_once("${") {
            Some((plain, after)) => (plain, Some(after)),
            None => (rest, None),
        };
        if plain.contains('*') && !found.contains(&"`*`") {
            found.push("`*`");
        }
        if plain.contains('?') && !found.contains(&"`?`") {
            found.push("`?`");
        }
        let Some(after) = after else {
            break;
        };
        match after.split_once('}') {
            Some((_, next)) => rest = next,
            // An unclosed `${` is not a variable: its text counts as written.
            None => {
                if after.contains('*') && !found.contains(&"`*`") {
                    found.push("`*`");
                }
                if after.contains('?') && !found.contains(&"`?`") {
                    found.push("`?`");
                }
                break;
            }
        }
    }
    found.sort_unstable();
    found
}

#[cfg(test)]
mod tests {
    use super::wildcards;
    use crate::{Context, DocumentKind, Finding};

    fn findings(text: &str, kind: DocumentKind) -> Vec<Finding> {
        crate::check(text, kind, &Context::example())
            .findings
            .into_iter()
            .filter(|f| f.code == "G030")
            .collect()
    }

    #[test]
    fn suggests_the_like_form_of_the_same_operator() {
        let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Deny\", \"Action\": \"kms:*\", \"Resource\": \"*\", \"Condition\": {\"ForAnyValue:StringNotEqualsIfExists\": {\n  \"kms:EncryptionContextKeys\": [\"tenant\", \"app-?\"]}}}]}";
        let found = findings(text, DocumentKind::Iam);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(
            f.message,
            "`app-?` contains `?`, which `ForAnyValue:StringNotEqualsIfExists` compares literally, not as a wildcard"
        );
        assert_eq!(
            f.help.as_deref(),
            Some("to match a pattern, write `ForAnyValue:StringNotLikeIfExists`; for a literal character, write `${*}` or `${?}`")
        );
        assert_eq!((f.line, f.column), (2, 43));
    }

    #[test]
    fn policy_variables_and_escapes_are_not_wildcards() {
        assert!(wildcards("arn:aws:iam::111122223333:user/${aws:username}").is_empty());
        assert!(wildcards("literal-${*}-and-${?}").is_empty());
        assert_eq!(wildcards("a*b?${x}"), ["`*`", "`?`"]);
        assert_eq!(wildcards("${aws:username}*"), ["`*`"]);
        assert_eq!(wildcards("${unclosed*"), ["`*`"]);
        // Each wildcard of an unclosed `${` counts on its own, not the other with it.
        assert_eq!(wildcards("${unclosed?"), ["`?`"]);
        assert!(wildcards("${unclosed").is_empty());
        // Values that are nothing but wildcards.
        assert_eq!(wildcards("*"), ["`*`"]);
        assert_eq!(wildcards("??"), ["`?`"]);
        assert!(wildcards("no wildcard").is_empty());
    }

    #[test]
    fn like_operators_and_other_families_are_fine() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringLike": {"kms:ViaService": "s3.*.amazonaws.com"}, "ArnEquals": {"aws:SourceArn": "arn:aws:s3:::bucket/*"}, "StringEquals": {"aws:PrincipalTag/team": "${aws:username}"}}}]}"#;
        assert!(findings(text, DocumentKind::Iam).is_empty());
    }
}
