use crate::policy::{BaseOperator, Checked, ConditionEntry, Operator, Statement, Str};
use crate::rules::{declare_rule, Sink};
use crate::source::Span;

declare_rule! {
    /// ## What it catches
    /// A `Condition` operator IAM does not know: a typo (`StringEqual`), a case variant
    /// (`stringEquals`), a misspelt qualifier (`ForAllValue:StringEquals`), or a condition key
    /// written where the operator goes. Access Analyzer: `INVALID_CONDITION_OPERATOR`.
    ///
    /// ## Why it matters
    /// IAM rejects the policy. A tool that skipped unknown operators would drop the condition,
    /// so a trust policy would lose its External ID check. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEqual": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Use the operator the message suggests; operator names are case-sensitive. The form is
    /// `{"<Operator>": {"<condition key>": "<value>"}}`.
    pub(crate) static RULE = {
        code: "G024",
        name: "invalid-condition-operator",
        severity: Error,
        kinds: [Trust, Iam, Key],
        check: Some(check),
    };
}

/// Each operator of a statement's `Condition` once, with its parse, in document order.
/// Operators with an empty object have no entries, so they are merged in from their own list.
/// Both lists are in document order and an operator's entries are adjacent, so a merge that
/// skips repeats does it without allocating (three rules call this for every statement).
pub(super) fn operators<'s, 'a>(
    statement: &'s Statement<'a>,
) -> impl Iterator<Item = (Str<'a>, Option<Operator>)> + 's {
    let (entries, empty): (&[ConditionEntry<'a>], &[Str<'a>]) = match &statement.condition {
        Some(condition) => (&condition.entries, &condition.empty_operators),
        None => (&[], &[]),
    };
    let mut entries = entries.iter().map(|e| (e.operator, e.parsed)).peekable();
    let mut empty = empty
        .iter()
        .map(|op| (*op, Operator::parse(op.value)))
        .peekable();
    let mut last: Option<Span> = None;
    std::iter::from_fn(move || loop {
        let from_entries = match (entries.peek(), empty.peek()) {
            (Some((a, _)), Some((b, _))) => a.span.start <= b.span.start,
            (Some(_), None) => true,
            (None, _) => false,
        };
        let next = if from_entries {
            entries.next()
        } else {
            empty.next()
        }?;
        if last != Some(next.0.span) {
            last = Some(next.0.span);
            return Some(next);
        }
    })
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        for (operator, parsed) in operators(statement) {
            if parsed.is_some() {
                continue;
            }
            sink.report(
                &RULE,
                operator.span,
                format!("`{}` is not a condition operator", operator.value),
                Some(help(operator.value)),
            );
        }
    }
}

const QUALIFIERS: [&str; 2] = ["ForAllValues", "ForAnyValue"];

fn help(text: &str) -> String {
    if let Some(suggestion) = suggest(text) {
        let case_only = suggestion.eq_ignore_ascii_case(text.trim());
        return if case_only {
            format!("did you mean `{suggestion}`? operator names are case-sensitive")
        } else {
            format!("did you mean `{suggestion}`?")
        };
    }
    if text.contains(':') {
        return format!(
            "`{text}` looks like a condition key; write the operator first: `{{\"StringEquals\": {{\"{text}\": \"...\"}}}}`"
        );
    }
    "use an operator such as `StringEquals`, `StringLike`, `ArnEquals`, `Bool`, `NumericLessThan`, `DateGreaterThan`, `IpAddress` or `Null`".into()
}

/// The operator the author most likely meant: a case or spacing variant first, then the
/// closest qualifier and base by edit distance.
fn suggest(text: &str) -> Option<String> {
    let suggestion = Operator::suggest(text).or_else(|| {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let (qualifier, rest) = match compact.split_once(':') {
            Some((qualifier, rest)) => {
                let known = QUALIFIERS
                    .iter()
                    .copied()
                    .find(|q| q.eq_ignore_ascii_case(qualifier))
                    .or_else(|| crate::suggest::best(qualifier, QUALIFIERS))?;
                (format!("{known}:"), rest.to_string())
            }
            None => (String::new(), compact),
        };
        let lower = rest.to_ascii_lowercase();
        let (base, suffix) = match lower.strip_suffix("ifexists") {
            Some(stem) => (rest.get(..stem.len()).unwrap_or(stem), "IfExists"),
            None => (rest.as_str(), ""),
        };
        let base = BaseOperator::ALL
            .into_iter()
            .map(BaseOperator::name)
            .find(|name| name.eq_ignore_ascii_case(base))
            .or_else(|| crate::suggest::best(base, BaseOperator::ALL.map(BaseOperator::name)))?;
        Some(format!("{qualifier}{base}{suffix}"))
    })?;
    // `NullIfExists` parses but is itself invalid (`null-with-if-exists`); never suggest it.
    match Operator::parse(&suggestion) {
        Some(op) if op.base == BaseOperator::Null && op.if_exists => Some(
            Operator {
                if_exists: false,
                ..op
            }
            .name(),
        ),
        _ => Some(suggestion),
    }
}

#[cfg(test)]
mod tests {
    use super::suggest;
    use crate::{Context, DocumentKind, Finding};

    fn findings(text: &str, kind: DocumentKind) -> Vec<Finding> {
        crate::check(text, kind, &Context::example())
            .findings
            .into_iter()
            .filter(|f| f.code == "G024")
            .collect()
    }

    fn with_condition(condition: &str) -> String {
        format!(
            "{{\"Version\": \"2012-10-17\", \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\",\n  \"Condition\": {condition}}}]}}"
        )
    }

    #[test]
    fn reports_each_operator_once_with_a_suggestion() {
        let text = with_condition(
            r#"{"stringEquals": {"aws:PrincipalAccount": "111122223333", "kms:CallerAccount": "111122223333"}, "StringEqual": {}}"#,
        );
        let found = findings(&text, DocumentKind::Iam);
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0].message,
            "`stringEquals` is not a condition operator"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("did you mean `StringEquals`? operator names are case-sensitive")
        );
        assert_eq!((found[0].line, found[0].column), (2, 17));
        assert_eq!(
            found[1].help.as_deref(),
            Some("did you mean `StringEquals`?")
        );
    }

    #[test]
    fn suggests_qualifiers_and_suffixes() {
        assert_eq!(
            suggest("ForAllValue:StringEquals").as_deref(),
            Some("ForAllValues:StringEquals")
        );
        assert_eq!(suggest("ForAnyValue:StringLikeIfExist").as_deref(), None);
        assert_eq!(
            suggest("StringLikeIfexists").as_deref(),
            Some("StringLikeIfExists")
        );
        assert_eq!(suggest("ArnLke").as_deref(), Some("ArnLike"));
        assert_eq!(suggest("nullifexists").as_deref(), Some("Null"));
        assert_eq!(suggest("Banana"), None);
    }

    #[test]
    fn a_key_in_place_of_an_operator_is_explained() {
        let text = with_condition(r#"{"sts:ExternalId": {"StringEquals": "x"}}"#);
        let found = findings(&text, DocumentKind::Iam);
        assert_eq!(found.len(), 1);
        assert!(found[0]
            .help
            .as_deref()
            .unwrap()
            .starts_with("`sts:ExternalId` looks like a condition key"));
    }

    #[test]
    fn null_variants_parse_and_are_left_to_their_rules() {
        let text = with_condition(
            r#"{"NullIfExists": {"aws:TokenIssueTime": "true"}, "ForAllValues:Null": {"aws:TagKeys": "false"}}"#,
        );
        assert!(findings(&text, DocumentKind::Iam).is_empty());
    }
}
