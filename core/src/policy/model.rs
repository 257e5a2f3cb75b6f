//! The IAM JSON policy grammar as typed values with spans.
//!
//! Strings borrow from the parsed JSON. Every element keeps the span of its key and of its
//! value, so a rule can point at exactly what it is about.

use crate::source::Span;

/// A string from the document with its span (the span includes the quotes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Str<'a> {
    pub value: &'a str,
    pub span: Span,
}

/// A string or an array of strings, as `Action`, `Resource` and principal values are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strings<'a> {
    /// In the document's arena, beside its JSON tree.
    pub items: &'a [Str<'a>],
    /// The span of the whole value (the string, or the array).
    pub span: Span,
    pub is_array: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// `Action` or `NotAction`, `Resource` or `NotResource`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListElement<'a> {
    /// True for the `Not…` form.
    pub negated: bool,
    /// The span of the element's key.
    pub key_span: Span,
    pub values: Strings<'a>,
}

impl ListElement<'_> {
    pub fn name(&self, positive: &'static str, negative: &'static str) -> &'static str {
        if self.negated {
            negative
        } else {
            positive
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind {
    Aws,
    Service,
    Federated,
    CanonicalUser,
}

impl PrincipalKind {
    pub fn parse(key: &str) -> Option<Self> {
        match key {
            "AWS" => Some(Self::Aws),
            "Service" => Some(Self::Service),
            "Federated" => Some(Self::Federated),
            "CanonicalUser" => Some(Self::CanonicalUser),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalEntry<'a> {
    pub key: Str<'a>,
    /// `None` when the key is not one IAM knows.
    pub kind: Option<PrincipalKind>,
    pub values: Strings<'a>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalValue<'a> {
    /// `"Principal": "*"` (or another bare string, which is invalid).
    Bare(Str<'a>),
    Map(Vec<PrincipalEntry<'a>>),
}

/// `Principal` or `NotPrincipal`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalElement<'a> {
    pub negated: bool,
    pub key_span: Span,
    /// The span of the value (the string or the object).
    pub span: Span,
    pub value: PrincipalValue<'a>,
}

impl<'a> PrincipalElement<'a> {
    /// Every principal string with its key kind (`"*"` bare counts as `AWS`).
    pub fn values(&self) -> impl Iterator<Item = (Option<PrincipalKind>, Str<'a>)> + '_ {
        let bare = match &self.value {
            PrincipalValue::Bare(s) => Some((Some(PrincipalKind::Aws), *s)),
            PrincipalValue::Map(_) => None,
        };
        let mapped = match &self.value {
            PrincipalValue::Map(entries) => entries.as_slice(),
            PrincipalValue::Bare(_) => &[],
        };
        bare.into_iter().chain(
            mapped
                .iter()
                .flat_map(|entry| entry.values.items.iter().map(move |s| (entry.kind, *s))),
        )
    }
}

/// The JSON type a condition value was written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    String,
    Number,
    Boolean,
}

/// One condition value. Numbers and booleans keep their JSON text (`5`, `true`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConditionValue<'a> {
    pub text: &'a str,
    pub span: Span,
    pub value_type: ValueType,
}

/// One `operator -> key -> value(s)` triple of a `Condition` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionEntry<'a> {
    pub operator: Str<'a>,
    /// `None` when the operator is not one IAM knows.
    pub parsed: Option<crate::policy::Operator>,
    pub key: Str<'a>,
    /// What the catalog knows of the key, looked up once here for every rule that needs it.
    pub key_info: Option<crate::catalog::ConditionKeyInfo>,
    pub values: Vec<ConditionValue<'a>>,
    /// The span of the value (the scalar, or the array).
    pub values_span: Span,
    pub values_is_array: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionBlock<'a> {
    pub key_span: Span,
    pub span: Span,
    pub entries: Vec<ConditionEntry<'a>>,
    /// Operators written with an empty object (`"StringEquals": {}`).
    pub empty_operators: Vec<Str<'a>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement<'a> {
    /// Position in the `Statement` array (0 when `Statement` is a single object).
    pub index: usize,
    pub span: Span,
    pub sid: Option<Str<'a>>,
    pub effect: Option<Str<'a>>,
    pub principal: Option<PrincipalElement<'a>>,
    pub action: Option<ListElement<'a>>,
    pub resource: Option<ListElement<'a>>,
    pub condition: Option<ConditionBlock<'a>>,
}

impl<'a> Statement<'a> {
    /// `None` when `Effect` is missing or not exactly `Allow` or `Deny`.
    pub fn effect(&self) -> Option<Effect> {
        match self.effect.map(|e| e.value) {
            Some("Allow") => Some(Effect::Allow),
            Some("Deny") => Some(Effect::Deny),
            _ => None,
        }
    }

    /// A name for messages: the Sid when it has one, else its index.
    pub fn label(&self) -> String {
        match self.sid {
            Some(sid) if !sid.value.is_empty() => format!("statement `{}`", sid.value),
            _ => format!("statement {}", self.index),
        }
    }

    pub fn condition_entries(&self) -> &[ConditionEntry<'a>] {
        self.condition
            .as_ref()
            .map_or(&[], |c| c.entries.as_slice())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy<'a> {
    pub span: Span,
    pub version: Option<Str<'a>>,
    pub id: Option<Str<'a>>,
    /// The span of the `Statement` key, when present.
    pub statement_key: Option<Span>,
    pub statements: Vec<Statement<'a>>,
    pub statement_is_array: bool,
}

impl Policy<'_> {
    /// True when policy variables are interpreted (`Version` `2012-10-17`).
    pub fn supports_variables(&self) -> bool {
        self.version.is_some_and(|v| v.value == "2012-10-17")
    }
}
