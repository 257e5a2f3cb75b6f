//! From the spanned JSON tree to the typed [`Policy`], reporting what cannot be represented:
//! unknown elements, values of the wrong JSON type, and paired elements used together.

use crate::json::{Json, JsonStr, Member, Object, Value};
use crate::policy::model::*;
use crate::policy::Operator;
use crate::rules::grammar as rules;
use crate::rules::Sink;
use crate::source::Span;

const TOP_LEVEL: [&str; 3] = ["Version", "Id", "Statement"];
const STATEMENT: [&str; 10] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
    "Id",
];

pub(crate) fn parse_policy<'a>(json: &'a Json<'a>, sink: &mut Sink) -> Option<Policy<'a>> {
    let Value::Object(root) = &json.root else {
        return None;
    };
    let p = Parser(json.arena);
    let mut policy = Policy {
        span: root.span,
        version: None,
        id: None,
        statement_key: None,
        statements: Vec::new(),
        statement_is_array: false,
    };
    for prop in root.members {
        let name = prop.name.value;
        match name {
            "Version" => policy.version = p.string(prop, sink),
            "Id" => policy.id = p.string(prop, sink),
            "Statement" => {
                policy.statement_key = Some(prop.name.span);
                match &prop.value {
                    Value::Array(array) => {
                        policy.statement_is_array = true;
                        // Room for exactly the statements written: a statement is large, and
                        // the default first capacity of four made even a one-statement
                        // document's list too big for the allocator's per-thread cache.
                        policy.statements.reserve_exact(array.elements.len());
                        for (index, element) in array.elements.iter().enumerate() {
                            match element {
                                Value::Object(object) => {
                                    policy.statements.push(p.statement(index, object, sink));
                                }
                                other => p.mismatch(other, "Statement entry", "an object", sink),
                            }
                        }
                    }
                    Value::Object(object) => policy.statements.push(p.statement(0, object, sink)),
                    other => {
                        p.mismatch(other, "Statement", "an object or an array of objects", sink)
                    }
                }
            }
            _ => p.unknown_element(prop, &TOP_LEVEL, "at the top level of a policy", sink),
        }
    }
    Some(policy)
}

/// Carries the document lifetime for the borrowed strings it hands out.
/// Holds the document's arena, where the policy's string lists go beside the JSON tree.
struct Parser<'a>(&'a bumpalo::Bump);

fn text<'a>(s: &'a JsonStr<'a>) -> Str<'a> {
    Str {
        value: s.value,
        span: s.span,
    }
}

impl<'a> Parser<'a> {
    fn mismatch(&self, value: &Value<'_>, element: &str, expected: &str, sink: &mut Sink) {
        sink.report(
            &rules::data_type_mismatch::RULE,
            value.span(),
            format!("`{element}` is {}, expected {expected}", value.describe()),
            None,
        );
    }

    fn unknown_element(&self, prop: &Member<'_>, known: &[&str], place: &str, sink: &mut Sink) {
        let name = prop.name.value;
        let suggestion = known
            .iter()
            .find(|k| k.eq_ignore_ascii_case(name))
            .or_else(|| known.iter().find(|k| crate::suggest::close(name, k)));
        sink.report(
            &rules::invalid_element::RULE,
            prop.name.span,
            format!("`{name}` is not a policy element {place}"),
            Some(match suggestion {
                Some(s) => format!("did you mean `{s}`? element names are case-sensitive"),
                None => format!("use one of {}", quoted_list(known)),
            }),
        );
    }

    fn string(&self, prop: &'a Member<'a>, sink: &mut Sink) -> Option<Str<'a>> {
        match &prop.value {
            Value::String(lit) => Some(text(lit)),
            other => {
                self.mismatch(other, prop.name.value, "a string", sink);
                None
            }
        }
    }

    fn strings(&self, prop: &'a Member<'a>, sink: &mut Sink) -> Strings<'a> {
        let element = prop.name.value;
        let span = prop.value.span();
        match &prop.value {
            Value::String(lit) => Strings {
                items: std::slice::from_ref(self.0.alloc(text(lit))),
                span,
                is_array: false,
            },
            Value::Array(array) => {
                let mut items =
                    bumpalo::collections::Vec::with_capacity_in(array.elements.len(), self.0);
                for element_value in array.elements {
                    match element_value {
                        Value::String(lit) => items.push(text(lit)),
                        other => self.mismatch(other, element, "a string", sink),
                    }
                }
                Strings {
                    items: items.into_bump_slice(),
                    span,
                    is_array: true,
                }
            }
            other => {
                self.mismatch(other, element, "a string or an array of strings", sink);
                Strings {
                    items: &[],
                    span,
                    is_array: false,
                }
            }
        }
    }

    fn statement(&self, index: usize, object: &'a Object<'a>, sink: &mut Sink) -> Statement<'a> {
        let mut statement = Statement {
            index,
            span: object.span,
            sid: None,
            effect: None,
            principal: None,
            action: None,
            resource: None,
            condition: None,
        };
        for prop in object.members {
            let name = prop.name.value;
            let key_span = prop.name.span;
            match name {
                "Sid" => statement.sid = self.string(prop, sink),
                "Effect" => statement.effect = self.string(prop, sink),
                "Action" | "NotAction" => {
                    let element = ListElement {
                        negated: name == "NotAction",
                        key_span,
                        values: self.strings(prop, sink),
                    };
                    self.set_once(
                        &mut statement.action,
                        element,
                        key_span,
                        ["Action", "NotAction"],
                        sink,
                    );
                }
                "Resource" | "NotResource" => {
                    let element = ListElement {
                        negated: name == "NotResource",
                        key_span,
                        values: self.strings(prop, sink),
                    };
                    self.set_once(
                        &mut statement.resource,
                        element,
                        key_span,
                        ["Resource", "NotResource"],
                        sink,
                    );
                }
                "Principal" | "NotPrincipal" => {
                    if let Some(principal) = self.principal(prop, sink) {
                        match &statement.principal {
                            Some(previous) if previous.negated != principal.negated => {
                                self.combination(key_span, ["Principal", "NotPrincipal"], sink);
                            }
                            _ => statement.principal = Some(principal),
                        }
                    }
                }
                "Condition" => statement.condition = self.condition(prop, sink),
                // `Id` inside a statement is legacy and ignored by IAM; accept it silently.
                "Id" => {}
                _ => self.unknown_element(prop, &STATEMENT, "in a statement", sink),
            }
        }
        statement
    }

    fn set_once(
        &self,
        slot: &mut Option<ListElement<'a>>,
        element: ListElement<'a>,
        key_span: Span,
        pair: [&str; 2],
        sink: &mut Sink,
    ) {
        match slot {
            // The same key twice is a duplicate key (J005, already reported); like most JSON
            // parsers, the last copy wins.
            Some(previous) if previous.negated == element.negated => *slot = Some(element),
            Some(_) => self.combination(key_span, pair, sink),
            None => *slot = Some(element),
        }
    }

    fn combination(&self, key_span: Span, pair: [&str; 2], sink: &mut Sink) {
        sink.report(
            &rules::element_combination::RULE,
            key_span,
            format!(
                "`{}` and `{}` cannot both be in one statement",
                pair[0], pair[1]
            ),
            Some(format!("keep either `{}` or `{}`", pair[0], pair[1])),
        );
    }

    fn principal(&self, prop: &'a Member<'a>, sink: &mut Sink) -> Option<PrincipalElement<'a>> {
        let name = prop.name.value;
        let value = match &prop.value {
            Value::String(lit) => PrincipalValue::Bare(text(lit)),
            Value::Object(object) => PrincipalValue::Map(
                object
                    .members
                    .iter()
                    .map(|entry| PrincipalEntry {
                        key: Str {
                            value: entry.name.value,
                            span: entry.name.span,
                        },
                        kind: PrincipalKind::parse(entry.name.value),
                        values: self.strings(entry, sink),
                    })
                    .collect(),
            ),
            other => {
                self.mismatch(
                    other,
                    name,
                    "`\"*\"` or an object such as `{\"AWS\": \"...\"}`",
                    sink,
                );
                return None;
            }
        };
        Some(PrincipalElement {
            negated: name == "NotPrincipal",
            key_span: prop.name.span,
            span: prop.value.span(),
            value,
        })
    }

    fn condition(&self, prop: &'a Member<'a>, sink: &mut Sink) -> Option<ConditionBlock<'a>> {
        let Value::Object(block) = &prop.value else {
            self.mismatch(&prop.value, "Condition", "an object of operators", sink);
            return None;
        };
        let mut condition = ConditionBlock {
            key_span: prop.name.span,
            span: block.span,
            entries: Vec::new(),
            empty_operators: Vec::new(),
        };
        // Room for exactly the entries written (see the statements above).
        condition.entries.reserve_exact(
            block
                .members
                .iter()
                .map(|m| match &m.value {
                    Value::Object(keys) => keys.members.len(),
                    _ => 0,
                })
                .sum(),
        );
        for operator_prop in block.members {
            let operator = Str {
                value: operator_prop.name.value,
                span: operator_prop.name.span,
            };
            let Value::Object(keys) = &operator_prop.value else {
                self.mismatch(
                    &operator_prop.value,
                    operator.value,
                    "an object of condition keys",
                    sink,
                );
                continue;
            };
            if keys.members.is_empty() {
                condition.empty_operators.push(operator);
            }
            let parsed = Operator::parse(operator.value);
            for key_prop in keys.members {
                let key = Str {
                    value: key_prop.name.value,
                    span: key_prop.name.span,
                };
                let (values, values_is_array) = match &key_prop.value {
                    Value::Array(array) => (
                        array
                            .elements
                            .iter()
                            .filter_map(|v| self.condition_value(v, key.value, sink))
                            .collect(),
                        true,
                    ),
                    other => (
                        self.condition_value(other, key.value, sink)
                            .into_iter()
                            .collect(),
                        false,
                    ),
                };
                condition.entries.push(ConditionEntry {
                    operator,
                    parsed,
                    key_info: crate::catalog::condition_key(key.value),
                    key,
                    values,
                    values_span: key_prop.value.span(),
                    values_is_array,
                });
            }
        }
        Some(condition)
    }

    fn condition_value(
        &self,
        value: &'a Value<'a>,
        key: &str,
        sink: &mut Sink,
    ) -> Option<ConditionValue<'a>> {
        let (text, value_type) = match value {
            Value::String(lit) => (lit.value, ValueType::String),
            Value::Number(number, _) => (*number, ValueType::Number),
            Value::Bool(flag, _) => (if *flag { "true" } else { "false" }, ValueType::Boolean),
            other => {
                self.mismatch(other, key, "a string, a number or a boolean", sink);
                return None;
            }
        };
        Some(ConditionValue {
            text,
            span: value.span(),
            value_type,
        })
    }
}

fn quoted_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
