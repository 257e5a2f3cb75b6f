//! Condition operators: `[ForAllValues:|ForAnyValue:]<Base>[IfExists]`.

/// The operator family decides how values are compared and which value types are valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BaseOperator {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

impl BaseOperator {
    pub const ALL: [BaseOperator; 27] = [
        Self::StringEquals,
        Self::StringNotEquals,
        Self::StringEqualsIgnoreCase,
        Self::StringNotEqualsIgnoreCase,
        Self::StringLike,
        Self::StringNotLike,
        Self::NumericEquals,
        Self::NumericNotEquals,
        Self::NumericLessThan,
        Self::NumericLessThanEquals,
        Self::NumericGreaterThan,
        Self::NumericGreaterThanEquals,
        Self::DateEquals,
        Self::DateNotEquals,
        Self::DateLessThan,
        Self::DateLessThanEquals,
        Self::DateGreaterThan,
        Self::DateGreaterThanEquals,
        Self::Bool,
        Self::BinaryEquals,
        Self::IpAddress,
        Self::NotIpAddress,
        Self::ArnEquals,
        Self::ArnLike,
        Self::ArnNotEquals,
        Self::ArnNotLike,
        Self::Null,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            Self::StringEquals => "StringEquals",
            Self::StringNotEquals => "StringNotEquals",
            Self::StringEqualsIgnoreCase => "StringEqualsIgnoreCase",
            Self::StringNotEqualsIgnoreCase => "StringNotEqualsIgnoreCase",
            Self::StringLike => "StringLike",
            Self::StringNotLike => "StringNotLike",
            Self::NumericEquals => "NumericEquals",
            Self::NumericNotEquals => "NumericNotEquals",
            Self::NumericLessThan => "NumericLessThan",
            Self::NumericLessThanEquals => "NumericLessThanEquals",
            Self::NumericGreaterThan => "NumericGreaterThan",
            Self::NumericGreaterThanEquals => "NumericGreaterThanEquals",
            Self::DateEquals => "DateEquals",
            Self::DateNotEquals => "DateNotEquals",
            Self::DateLessThan => "DateLessThan",
            Self::DateLessThanEquals => "DateLessThanEquals",
            Self::DateGreaterThan => "DateGreaterThan",
            Self::DateGreaterThanEquals => "DateGreaterThanEquals",
            Self::Bool => "Bool",
            Self::BinaryEquals => "BinaryEquals",
            Self::IpAddress => "IpAddress",
            Self::NotIpAddress => "NotIpAddress",
            Self::ArnEquals => "ArnEquals",
            Self::ArnLike => "ArnLike",
            Self::ArnNotEquals => "ArnNotEquals",
            Self::ArnNotLike => "ArnNotLike",
            Self::Null => "Null",
        }
    }

    pub const fn family(self) -> Family {
        match self {
            Self::StringEquals
            | Self::StringNotEquals
            | Self::StringEqualsIgnoreCase
            | Self::StringNotEqualsIgnoreCase
            | Self::StringLike
            | Self::StringNotLike => Family::String,
            Self::NumericEquals
            | Self::NumericNotEquals
            | Self::NumericLessThan
            | Self::NumericLessThanEquals
            | Self::NumericGreaterThan
            | Self::NumericGreaterThanEquals => Family::Numeric,
            Self::DateEquals
            | Self::DateNotEquals
            | Self::DateLessThan
            | Self::DateLessThanEquals
            | Self::DateGreaterThan
            | Self::DateGreaterThanEquals => Family::Date,
            Self::Bool => Family::Bool,
            Self::BinaryEquals => Family::Binary,
            Self::IpAddress | Self::NotIpAddress => Family::Ip,
            Self::ArnEquals | Self::ArnLike | Self::ArnNotEquals | Self::ArnNotLike => Family::Arn,
            Self::Null => Family::Null,
        }
    }

    /// Negated operators are true when the key is absent.
    pub const fn is_negated(self) -> bool {
        matches!(
            self,
            Self::StringNotEquals
                | Self::StringNotEqualsIgnoreCase
                | Self::StringNotLike
                | Self::NumericNotEquals
                | Self::DateNotEquals
                | Self::NotIpAddress
                | Self::ArnNotEquals
                | Self::ArnNotLike
        )
    }

    /// Operators that interpret `*` and `?` in their values.
    pub const fn uses_wildcards(self) -> bool {
        matches!(
            self,
            Self::StringLike
                | Self::StringNotLike
                | Self::ArnLike
                | Self::ArnNotLike
                | Self::ArnEquals
                | Self::ArnNotEquals
        )
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.name() == name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    ForAllValues,
    ForAnyValue,
}

impl SetQualifier {
    pub const fn prefix(self) -> &'static str {
        match self {
            Self::ForAllValues => "ForAllValues:",
            Self::ForAnyValue => "ForAnyValue:",
        }
    }
}

/// A parsed condition operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operator {
    pub qualifier: Option<SetQualifier>,
    pub base: BaseOperator,
    pub if_exists: bool,
}

impl Operator {
    /// Parses an operator name. Names are case-sensitive, as AWS writes them; a case variant
    /// is reported with its canonical spelling by [`Operator::suggest`].
    pub fn parse(text: &str) -> Option<Self> {
        let (qualifier, rest) = if let Some(rest) = text.strip_prefix("ForAllValues:") {
            (Some(SetQualifier::ForAllValues), rest)
        } else if let Some(rest) = text.strip_prefix("ForAnyValue:") {
            (Some(SetQualifier::ForAnyValue), rest)
        } else {
            (None, text)
        };
        let (base, if_exists) = match rest.strip_suffix("IfExists") {
            Some(base) => (base, true),
            None => (rest, false),
        };
        Some(Self {
            qualifier,
            base: BaseOperator::parse(base)?,
            if_exists,
        })
    }

    /// The canonical spelling of a case or spacing variant (`stringequals` -> `StringEquals`).
    pub fn suggest(text: &str) -> Option<String> {
        let folded: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        let (prefix, rest) = if let Some(rest) = folded.strip_prefix("forallvalues:") {
            ("ForAllValues:", rest)
        } else if let Some(rest) = folded.strip_prefix("foranyvalue:") {
            ("ForAnyValue:", rest)
        } else {
            ("", folded.as_str())
        };
        let (base, suffix) = match rest.strip_suffix("ifexists") {
            Some(base) => (base, "IfExists"),
            None => (rest, ""),
        };
        let base = BaseOperator::ALL
            .into_iter()
            .find(|op| op.name().eq_ignore_ascii_case(base))?;
        Some(format!("{prefix}{}{suffix}", base.name()))
    }

    pub fn name(&self) -> String {
        format!(
            "{}{}{}",
            self.qualifier.map_or("", SetQualifier::prefix),
            self.base.name(),
            if self.if_exists { "IfExists" } else { "" }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        let op = Operator::parse("ForAllValues:StringEqualsIfExists").unwrap();
        assert_eq!(op.qualifier, Some(SetQualifier::ForAllValues));
        assert_eq!(op.base, BaseOperator::StringEquals);
        assert!(op.if_exists);
        assert_eq!(op.name(), "ForAllValues:StringEqualsIfExists");
        assert_eq!(Operator::parse("Null").unwrap().base, BaseOperator::Null);
        assert!(Operator::parse("stringequals").is_none());
        assert!(Operator::parse("StringEqual").is_none());
    }

    #[test]
    fn suggests_canonical_spelling() {
        assert_eq!(
            Operator::suggest("stringequals").as_deref(),
            Some("StringEquals")
        );
        assert_eq!(
            Operator::suggest("forAnyValue:stringlikeifexists").as_deref(),
            Some("ForAnyValue:StringLikeIfExists")
        );
        assert_eq!(Operator::suggest("StringEqual"), None);
    }
}
