use crate::catalog::{ConditionKeyInfo, KeyType};
use crate::policy::{BaseOperator, Checked, Family, Operator};
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A condition operator whose family does not fit the type of a known condition key:
    /// `StringEquals` on the boolean `aws:SecureTransport`, `NumericLessThan` on the string
    /// `kms:CallerAccount`, a `Date…` operator on a string key, `IpAddress` on a key that is
    /// not an IP address. Access Analyzer: `TYPE_MISMATCH`. String operators on ARN keys are
    /// accepted (AWS allows them), as are ARN operators on templated string keys whose values
    /// the author chooses (`kms:EncryptionContext:aws:s3:arn`); `Null` fits every key. Only
    /// keys byokcheck knows the type of are checked (KMS, STS and the global keys).
    ///
    /// ## Why it matters
    /// IAM accepts the policy, but compares the request's value in a way its type does not
    /// support: the condition may never match (an `Allow` that grants nothing, a `Deny` that
    /// protects nothing), or match only by the accident of how a value is written. Warning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Condition": {"StringEquals": {"aws:SecureTransport": "true"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Use the operator the finding names: `Bool` for boolean keys, `Numeric…` for numbers,
    /// `Date…` for dates, `IpAddress`/`NotIpAddress` for IP addresses, `Arn…` or `String…` for
    /// ARNs, `String…` for strings.
    pub(crate) static RULE = {
        code: "N006",
        name: "operator-type-mismatch",
        severity: Warning,
        kinds: [Iam, Trust, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for (entry, operator, key) in super::typed_entries(doc) {
        let family = operator.base.family();
        if key.accepts(family) {
            continue;
        }
        let target = key.key_type.family();
        let replacement = Operator {
            base: counterpart(operator.base, target),
            ..operator
        }
        .name();
        let help = if target == Family::Bool && operator.base.is_negated() {
            format!("use `{replacement}` with the opposite value")
        } else {
            format!("use `{replacement}`")
        };
        sink.report(
            &RULE,
            entry.key.span,
            format!(
                "`{}` compares {}, but `{}` is {}",
                entry.operator.value,
                compares(family),
                entry.key.value,
                describe(&key)
            ),
            Some(help),
        );
    }
}

fn describe(key: &ConditionKeyInfo) -> &'static str {
    match (key.key_type, key.alternate_type) {
        (KeyType::Date, Some(KeyType::Numeric)) => "a date key (or a number of seconds)",
        (key_type, _) => key_type.describe(),
    }
}

fn compares(family: Family) -> &'static str {
    match family {
        Family::String => "strings",
        Family::Numeric => "numbers",
        Family::Date => "dates",
        Family::Bool => "booleans",
        Family::Binary => "base64 binary values",
        Family::Ip => "IP addresses",
        Family::Arn => "ARNs",
        Family::Null => "presence",
    }
}

/// How an operator compares, whatever its family.
#[derive(Clone, Copy)]
enum Shape {
    Equals,
    NotEquals,
    Like,
    NotLike,
    LessThan,
    LessThanEquals,
    GreaterThan,
    GreaterThanEquals,
}

fn shape(base: BaseOperator) -> Shape {
    use BaseOperator as B;
    match base {
        B::StringNotEquals
        | B::StringNotEqualsIgnoreCase
        | B::NumericNotEquals
        | B::DateNotEquals
        | B::NotIpAddress
        | B::ArnNotEquals => Shape::NotEquals,
        B::StringLike | B::ArnLike => Shape::Like,
        B::StringNotLike | B::ArnNotLike => Shape::NotLike,
        B::NumericLessThan | B::DateLessThan => Shape::LessThan,
        B::NumericLessThanEquals | B::DateLessThanEquals => Shape::LessThanEquals,
        B::NumericGreaterThan | B::DateGreaterThan => Shape::GreaterThan,
        B::NumericGreaterThanEquals | B::DateGreaterThanEquals => Shape::GreaterThanEquals,
        B::StringEquals
        | B::StringEqualsIgnoreCase
        | B::NumericEquals
        | B::DateEquals
        | B::Bool
        | B::BinaryEquals
        | B::IpAddress
        | B::ArnEquals
        | B::Null => Shape::Equals,
    }
}

/// The operator of `family` that compares the way `base` does, as near as the family allows.
fn counterpart(base: BaseOperator, family: Family) -> BaseOperator {
    use BaseOperator as B;
    use Shape as S;
    let shape = shape(base);
    match family {
        Family::String => match shape {
            S::NotEquals => B::StringNotEquals,
            S::Like => B::StringLike,
            S::NotLike => B::StringNotLike,
            _ => B::StringEquals,
        },
        Family::Numeric => match shape {
            S::Equals | S::Like => B::NumericEquals,
            S::NotEquals | S::NotLike => B::NumericNotEquals,
            S::LessThan => B::NumericLessThan,
            S::LessThanEquals => B::NumericLessThanEquals,
            S::GreaterThan => B::NumericGreaterThan,
            S::GreaterThanEquals => B::NumericGreaterThanEquals,
        },
        Family::Date => match shape {
            S::Equals | S::Like => B::DateEquals,
            S::NotEquals | S::NotLike => B::DateNotEquals,
            S::LessThan => B::DateLessThan,
            S::LessThanEquals => B::DateLessThanEquals,
            S::GreaterThan => B::DateGreaterThan,
            S::GreaterThanEquals => B::DateGreaterThanEquals,
        },
        Family::Bool => B::Bool,
        Family::Binary => B::BinaryEquals,
        Family::Ip => match shape {
            S::NotEquals | S::NotLike => B::NotIpAddress,
            _ => B::IpAddress,
        },
        Family::Arn => match shape {
            S::Equals => B::ArnEquals,
            S::NotEquals => B::ArnNotEquals,
            S::NotLike => B::ArnNotLike,
            _ => B::ArnLike,
        },
        Family::Null => B::Null,
    }
}

#[cfg(test)]
mod tests {
    use crate::{Context, DocumentKind, Finding};

    fn findings(condition: &str) -> Vec<Finding> {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {condition}}}]}}"#
        );
        crate::check(&text, DocumentKind::Key, &Context::example())
            .findings
            .into_iter()
            .filter(|f| f.code == "N006")
            .collect()
    }

    fn one(condition: &str) -> (String, String) {
        let found = findings(condition);
        assert_eq!(found.len(), 1, "{condition}: {found:#?}");
        (found[0].message.clone(), found[0].help.clone().unwrap())
    }

    #[test]
    fn string_operator_on_a_boolean_key() {
        let (message, help) = one(r#"{"StringEqualsIfExists": {"aws:SecureTransport": "true"}}"#);
        assert_eq!(
            message,
            "`StringEqualsIfExists` compares strings, but `aws:SecureTransport` is a boolean key"
        );
        assert_eq!(help, "use `BoolIfExists`");
        let (_, help) = one(r#"{"StringNotEquals": {"aws:MultiFactorAuthPresent": "true"}}"#);
        assert_eq!(help, "use `Bool` with the opposite value");
    }

    #[test]
    fn a_negated_pattern_keeps_its_shape() {
        let (message, help) = one(r#"{"ArnNotLike": {"kms:CallerAccount": "1111*"}}"#);
        assert_eq!(
            message,
            "`ArnNotLike` compares ARNs, but `kms:CallerAccount` is a string key"
        );
        assert_eq!(help, "use `StringNotLike`");
    }

    #[test]
    fn numeric_operator_on_a_string_key() {
        let (message, help) = one(r#"{"NumericLessThan": {"kms:CallerAccount": "111122223333"}}"#);
        assert_eq!(
            message,
            "`NumericLessThan` compares numbers, but `kms:CallerAccount` is a string key"
        );
        assert_eq!(help, "use `StringEquals`");
    }

    #[test]
    fn date_ip_and_numeric_mismatches() {
        assert_eq!(
            one(r#"{"DateGreaterThan": {"sts:ExternalId": "2020-01-01"}}"#).1,
            "use `StringEquals`"
        );
        assert_eq!(
            one(r#"{"IpAddress": {"aws:SourceVpce": "10.0.0.0/8"}}"#).1,
            "use `StringEquals`"
        );
        assert_eq!(
            one(r#"{"StringNotLike": {"aws:SourceIp": "10.*"}}"#).1,
            "use `NotIpAddress`"
        );
        assert_eq!(
            one(r#"{"NumericNotEquals": {"kms:CallerAccount": "111122223333"}}"#).1,
            "use `StringNotEquals`"
        );
        assert_eq!(
            one(r#"{"StringEquals": {"sts:DurationSeconds": "3600"}}"#).1,
            "use `NumericEquals`"
        );
        assert_eq!(
            one(r#"{"NumericLessThan": {"aws:CurrentTime": "5"}}"#).1,
            "use `DateLessThan`"
        );
        assert_eq!(
            one(r#"{"ForAnyValue:NumericEquals": {"aws:TagKeys": "1"}}"#).1,
            "use `ForAnyValue:StringEquals`"
        );
        assert_eq!(
            one(r#"{"NumericEquals": {"aws:PrincipalArn": "1"}}"#).1,
            "use `ArnEquals`"
        );
        assert_eq!(
            one(r#"{"NumericNotEquals": {"aws:SourceArn": "1"}}"#).1,
            "use `ArnNotEquals`"
        );
    }

    #[test]
    fn accepted_combinations() {
        let condition = r#"{
            "StringLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/*", "kms:ViaService": "s3.*"},
            "ArnLike": {"aws:SourceArn": "arn:aws:s3:::b", "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::b/*", "aws:PrincipalTag/owner": "arn:aws:iam::1:role/x"},
            "Null": {"aws:SecureTransport": "false", "aws:SourceIp": "false"},
            "Bool": {"aws:SecureTransport": "true"},
            "NumericLessThan": {"aws:MultiFactorAuthAge": "3600", "aws:EpochTime": "1700000000"},
            "DateLessThan": {"aws:EpochTime": "2030-01-01T00:00:00Z", "aws:TokenIssueTime": "2030-01-01T00:00:00Z"},
            "IpAddress": {"aws:SourceIp": "203.0.113.0/24", "aws:VpcSourceIp": "10.0.0.0/8"},
            "ForAllValues:ArnLike": {"sts:RequestContextProviders": "arn:aws:iam::aws:contextProvider/*"},
            "NumericEquals": {"s3:max-keys": "10"}
        }"#;
        assert!(findings(condition).is_empty(), "{:#?}", findings(condition));
    }

    #[test]
    fn arn_operator_on_a_plain_string_key() {
        let (message, help) = one(r#"{"ArnLike": {"kms:CallerAccount": "111122223333"}}"#);
        assert_eq!(
            message,
            "`ArnLike` compares ARNs, but `kms:CallerAccount` is a string key"
        );
        assert_eq!(help, "use `StringLike`");
    }

    #[test]
    fn epoch_time_is_described_with_both_types() {
        let (message, _) = one(r#"{"StringEquals": {"aws:EpochTime": "1"}}"#);
        assert!(message.ends_with("is a date key (or a number of seconds)"));
    }
}
