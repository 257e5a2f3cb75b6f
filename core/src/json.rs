//! Strict, spanned JSON on top of `jsonc-parser`.
//!
//! Why jsonc-parser: it is maintained (dprint), keeps every object member in order (so duplicate
//! keys survive to be reported, where `serde_json::Value` silently keeps the last), gives byte
//! ranges for every node, and has a strict mode that turns off each JSON5/JSONC extension. What
//! its strict mode still accepts and serde_json (and IAM) reject is checked here: raw control
//! characters inside strings and numbers that overflow `f64`. Limits are checked before parsing,
//! by a flat scan, so hostile input can neither exhaust the stack nor take long.

use jsonc_parser::ast::{Array, Object, ObjectPropName, Value};
use jsonc_parser::common::{Range, Ranged};
use jsonc_parser::{CollectOptions, ParseOptions};

use crate::rules::json as rules;
use crate::rules::Sink;
use crate::source::Span;

/// Largest document accepted, in bytes. IAM's API caps policy documents at 131,072 characters.
pub const MAX_DOCUMENT_BYTES: usize = 128 * 1024;
/// Deepest nesting of arrays and objects accepted. A valid policy nests at most 6 levels
/// (`Statement` array, statement, `Condition`, operator, key, value array).
pub const MAX_NESTING_DEPTH: usize = 64;

/// A parsed document: the AST borrows the text, and `base` is where it starts in the original
/// text (3 when a byte-order mark was skipped).
pub(crate) struct Json<'a> {
    pub root: Value<'a>,
    base: usize,
}

impl<'a> Json<'a> {
    pub fn span(&self, range: Range) -> Span {
        Span::new(range.start + self.base, range.end + self.base)
    }

    /// The RFC 6901 pointer of the deepest value whose range holds `span`. A span on an
    /// object key points at that member.
    pub fn pointer_for(&self, span: Span) -> String {
        let mut pointer = String::new();
        let mut node = &self.root;
        'descend: loop {
            match node {
                Value::Object(object) => {
                    for prop in &object.properties {
                        let name_span = self.span(prop.name.range());
                        let value_span = self.span(prop.value.range());
                        if name_span.contains(span) || value_span.contains(span) {
                            push_segment(&mut pointer, prop.name.as_str());
                            if value_span.contains(span) {
                                node = &prop.value;
                                continue 'descend;
                            }
                            break 'descend;
                        }
                    }
                    break;
                }
                Value::Array(array) => {
                    for (index, element) in array.elements.iter().enumerate() {
                        if self.span(element.range()).contains(span) {
                            pointer.push('/');
                            pointer.push_str(&index.to_string());
                            node = element;
                            continue 'descend;
                        }
                    }
                    break;
                }
                _ => break,
            }
        }
        pointer
    }
}

fn push_segment(pointer: &mut String, segment: &str) {
    pointer.push('/');
    for c in segment.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

fn strict_options() -> ParseOptions {
    ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// Parses `text` as one JSON object, reporting every JSON-level problem into `sink`.
/// Returns `None` when there is no object to check further.
pub(crate) fn parse<'a>(text: &'a str, sink: &mut Sink) -> Option<Json<'a>> {
    if text.len() > MAX_DOCUMENT_BYTES {
        sink.report(
            &rules::too_large::RULE,
            Span::empty(0),
            format!(
                "the document is {} bytes, over the limit of {MAX_DOCUMENT_BYTES} bytes",
                text.len()
            ),
            Some("IAM and KMS accept policy documents of at most 131,072 characters; split or shorten the document".into()),
        );
        return None;
    }
    let (base, body) = match text.strip_prefix('\u{feff}') {
        Some(rest) => {
            sink.report(
                &rules::byte_order_mark::RULE,
                Span::new(0, 3),
                "the document starts with a byte-order mark (U+FEFF)",
                Some("save the file as UTF-8 without a BOM".into()),
            );
            (3, rest)
        }
        None => (0, text),
    };
    if let Some(offset) = too_deep_at(body.as_bytes()) {
        sink.report(
            &rules::too_deep::RULE,
            Span::new(base + offset, base + offset + 1),
            format!("arrays and objects nest deeper than {MAX_NESTING_DEPTH} levels here"),
            Some("a policy nests at most 6 levels; remove the extra nesting".into()),
        );
        return None;
    }
    let parsed =
        match jsonc_parser::parse_to_ast(body, &CollectOptions::default(), &strict_options()) {
            Ok(parsed) => parsed,
            Err(error) => {
                let range = error.range();
                sink.report(
                    &rules::syntax::RULE,
                    Span::new(base + range.start, base + range.end),
                    format!(
                        "invalid JSON: {}",
                        lowercase_first(&error.kind().to_string())
                    ),
                    None,
                );
                return None;
            }
        };
    let Some(root) = parsed.value else {
        sink.report(
            &rules::syntax::RULE,
            Span::empty(base),
            "invalid JSON: the document is empty",
            Some(
                "a policy is a JSON object: `{\"Version\": \"2012-10-17\", \"Statement\": [...]}`"
                    .into(),
            ),
        );
        return None;
    };
    let json = Json { root, base };
    let mut strings_ok = true;
    walk(&json, &json.root, sink, &mut strings_ok);
    if !strings_ok {
        return None;
    }
    if !matches!(json.root, Value::Object(_)) {
        sink.report(
            &rules::not_an_object::RULE,
            json.span(json.root.range()),
            format!(
                "the document is {}, not a JSON object",
                describe(&json.root)
            ),
            Some(
                "a policy is a JSON object: `{\"Version\": \"2012-10-17\", \"Statement\": [...]}`"
                    .into(),
            ),
        );
        return None;
    }
    Some(json)
}

/// A flat scan for nesting depth, skipping strings, so no recursion ever sees a deep document.
fn too_deep_at(bytes: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (offset, &byte) in bytes.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING_DEPTH {
                    return Some(offset);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Reports duplicate keys, raw control characters in strings and numbers out of range.
/// Recursion is bounded by [`MAX_NESTING_DEPTH`], checked before parsing.
fn walk(json: &Json<'_>, value: &Value<'_>, sink: &mut Sink, strings_ok: &mut bool) {
    match value {
        Value::Object(object) => {
            report_duplicates(json, object, sink);
            for prop in &object.properties {
                if let ObjectPropName::String(lit) = &prop.name {
                    check_string(json, lit.range, &lit.value, sink, strings_ok);
                }
                walk(json, &prop.value, sink, strings_ok);
            }
        }
        Value::Array(Array { elements, .. }) => {
            for element in elements {
                walk(json, element, sink, strings_ok);
            }
        }
        Value::StringLit(lit) => check_string(json, lit.range, &lit.value, sink, strings_ok),
        Value::NumberLit(lit) => {
            if lit.value.parse::<f64>().map_or(true, |n| !n.is_finite()) {
                sink.report(
                    &rules::syntax::RULE,
                    json.span(lit.range),
                    format!("invalid JSON: the number `{}` is out of range", lit.value),
                    Some("write the value as a string".into()),
                );
            }
        }
        _ => {}
    }
}

fn check_string(json: &Json<'_>, range: Range, value: &str, sink: &mut Sink, ok: &mut bool) {
    // Escaped control characters (`\n`) are valid JSON; only raw ones are not. The decoded value
    // holds both, so look at the raw text only when the decoded value has one.
    if let Some(c) = value.chars().find(|c| (*c as u32) < 0x20) {
        let span = json.span(range);
        sink.report(
            &rules::syntax::RULE,
            span,
            format!(
                "invalid JSON: a string holds the control character U+{:04X}, which must be escaped",
                c as u32
            ),
            Some("remove the character, or write it as an escape such as `\\n`".into()),
        );
        *ok = false;
    }
}

fn report_duplicates(json: &Json<'_>, object: &Object<'_>, sink: &mut Sink) {
    let props = &object.properties;
    // Objects in policies have a handful of members: a quadratic scan beats hashing there.
    for (i, prop) in props.iter().enumerate() {
        let name = prop.name.as_str();
        if let Some(first) = props.iter().take(i).find(|p| p.name.as_str() == name) {
            let first_at = json.span(first.name.range());
            sink.report(
                &rules::duplicate_key::RULE,
                json.span(prop.name.range()),
                format!(
                    "the key `{name}` appears more than once in this object (first at byte {})",
                    first_at.start
                ),
                Some(format!(
                    "keep one `{name}`: IAM and other JSON parsers may pick different copies"
                )),
            );
        }
    }
}

pub(crate) fn describe(value: &Value<'_>) -> &'static str {
    match value {
        Value::StringLit(_) => "a string",
        Value::NumberLit(_) => "a number",
        Value::BooleanLit(_) => "a boolean",
        Value::Object(_) => "an object",
        Value::Array(_) => "an array",
        Value::NullKeyword(_) => "null",
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first
            .to_lowercase()
            .chain(chars)
            .collect::<String>()
            .trim_end_matches('.')
            .to_string(),
        None => String::new(),
    }
}
