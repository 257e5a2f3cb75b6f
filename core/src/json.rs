//! Strict, spanned JSON (RFC 8259) for policy documents.
//!
//! Why our own parser: a policy check needs what no general JSON library gives in one pass:
//! byte spans on every value and key, duplicate keys kept (IAM forbids them; serde_json keeps
//! the last silently), and a hard nesting limit that cannot overflow the stack (wasm has 1 MiB).
//! We first used jsonc-parser in its strict mode (it keeps spans and duplicates); on our
//! benchmark its parse alone cost 1.0-1.4x `serde_json::from_str::<Value>`, and the separate
//! depth pre-scan it needs (it recurses without a limit) plus a second pass for duplicates and
//! raw control characters took the whole check past the 2x target before any rule ran. This
//! parser does all of it in one pass and borrows every string without escapes. Its agreement
//! with serde_json is tested on every valid document in the corpora and on invalid ones.

use bumpalo::collections::Vec as ArenaVec;
use bumpalo::Bump;

use crate::rules::json as rules;
use crate::rules::Sink;
use crate::source::Span;

/// Largest document accepted, in bytes. IAM's API caps a policy document at 131,072 characters
/// as sent; pretty-printed copies of the largest real AWS managed policies reach about 230 KB,
/// so the input limit leaves room for white space.
pub const MAX_DOCUMENT_BYTES: usize = 256 * 1024;
/// Deepest nesting of arrays and objects accepted. A valid policy nests at most 6 levels
/// (`Statement` array, statement, `Condition`, operator, key, value array).
pub const MAX_NESTING_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct JsonStr<'a> {
    /// Includes the quotes.
    pub span: Span,
    /// Borrowed from the text, or for a string with escapes, its decoded copy in the arena.
    pub value: &'a str,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Member<'a> {
    pub name: JsonStr<'a>,
    pub value: Value<'a>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Object<'a> {
    pub span: Span,
    pub members: &'a [Member<'a>],
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Array<'a> {
    pub span: Span,
    pub elements: &'a [Value<'a>],
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value<'a> {
    Object(Object<'a>),
    Array(Array<'a>),
    String(JsonStr<'a>),
    /// The number's text, as written.
    Number(&'a str, Span),
    Bool(bool, Span),
    Null(Span),
}

impl Value<'_> {
    pub fn span(&self) -> Span {
        match self {
            Value::Object(o) => o.span,
            Value::Array(a) => a.span,
            Value::String(s) => s.span,
            Value::Number(_, span) | Value::Bool(_, span) | Value::Null(span) => *span,
        }
    }

    pub fn describe(&self) -> &'static str {
        match self {
            Value::String(_) => "a string",
            Value::Number(..) => "a number",
            Value::Bool(..) => "a boolean",
            Value::Object(_) => "an object",
            Value::Array(_) => "an array",
            Value::Null(_) => "null",
        }
    }
}

/// A parsed document.
pub(crate) struct Json<'a> {
    pub root: Value<'a>,
    /// False when no string holds a `$` or an escape that could spell one, so none can hold a
    /// policy variable: the variable rules skip the document (noted while scanning strings,
    /// where it costs one more word test).
    pub may_hold_variables: bool,
    /// Where the tree lives; the policy parsed from it puts its lists there too.
    pub arena: &'a Bump,
}

impl Json<'_> {
    /// The RFC 6901 pointer of the deepest value whose span holds `span`. A span on an object
    /// key points at that member.
    pub fn pointer_for(&self, span: Span) -> String {
        let mut pointer = String::new();
        let mut node = &self.root;
        loop {
            match node {
                // Members and elements are in text order: a binary search finds the one that
                // can hold `span`, so a finding costs O(depth × log width), not a scan of a
                // 15,000-element array per finding.
                Value::Object(object) => {
                    let at = object
                        .members
                        .partition_point(|m| m.value.span().end < span.end);
                    let Some(member) = object.members.get(at) else {
                        break;
                    };
                    let on_name = member.name.span.contains(span);
                    let in_value = member.value.span().contains(span);
                    if !(on_name || in_value) {
                        break;
                    }
                    push_segment(&mut pointer, member.name.value);
                    if !in_value {
                        break;
                    }
                    node = &member.value;
                }
                Value::Array(array) => {
                    let at = array.elements.partition_point(|e| e.span().end < span.end);
                    match array.elements.get(at) {
                        Some(element) if element.span().contains(span) => {
                            pointer.push('/');
                            pointer.push_str(&at.to_string());
                            node = element;
                        }
                        _ => break,
                    }
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

const OBJECT_HELP: &str =
    "a policy is a JSON object: `{\"Version\": \"2012-10-17\", \"Statement\": [...]}`";

std::thread_local! {
    /// This thread's arena between documents. Each document's tree needs one: allocating and
    /// freeing it per document cost two of a small policy's fourteen allocations, and the two
    /// most expensive ones (freeing a chunk past the allocator's small-block cache takes its
    /// consolidating path).
    static SPARE_ARENA: std::cell::Cell<Option<Bump>> = const { std::cell::Cell::new(None) };
}

/// An arena kept after a document only up to this size: a thread holds at most this much
/// between documents, whatever the largest document it has seen.
const SPARE_ARENA_LIMIT: usize = 1 << 20;

/// Runs `f` with an empty arena for the tree of `text`: this thread's spare one, reset, or a
/// new one sized for `text` (the bench policies' trees took 2.1 to 3.2 times their text, and
/// their string lists a little more; a denser document only adds chunks). `R` cannot borrow
/// the arena, which is reused after.
pub(crate) fn with_arena<R>(text: &str, f: impl FnOnce(&Bump) -> R) -> R {
    let mut arena = SPARE_ARENA
        .with(std::cell::Cell::take)
        .unwrap_or_else(|| Bump::with_capacity(text.len().saturating_mul(4)));
    arena.reset();
    let result = f(&arena);
    if arena.allocated_bytes() <= SPARE_ARENA_LIMIT {
        SPARE_ARENA.with(|spare| spare.set(Some(arena)));
    }
    result
}

/// Parses `text` as one JSON object, reporting every JSON-level problem into `sink`.
/// Returns `None` when there is no object to check further.
///
/// The tree lives in `arena`: its objects and arrays are slices there, and nothing in it needs
/// dropping. Built in `Vec`s, a typical key policy's tree cost about 30 allocations, growth
/// and frees, and its recursive drop as much again: together about a tenth of its whole check.
pub(crate) fn parse<'a>(text: &'a str, arena: &'a Bump, sink: &mut Sink) -> Option<Json<'a>> {
    if text.len() > MAX_DOCUMENT_BYTES {
        sink.report(
            &rules::too_large::RULE,
            Span::empty(0),
            format!(
                "the document is {} bytes, over the limit of {MAX_DOCUMENT_BYTES} bytes",
                text.len()
            ),
            Some("IAM and KMS accept policy documents of at most 131,072 characters as sent; split or shorten the document".into()),
        );
        return None;
    }
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        at: 0,
        may_hold_variables: false,
        arena,
    };
    if text.starts_with('\u{feff}') {
        sink.report(
            &rules::byte_order_mark::RULE,
            Span::new(0, 3),
            "the document starts with a byte-order mark (U+FEFF)",
            Some("save the file as UTF-8 without a BOM".into()),
        );
        parser.at = 3;
    }
    parser.skip_whitespace();
    if parser.at >= text.len() {
        sink.report(
            &rules::syntax::RULE,
            Span::empty(parser.at),
            "invalid JSON: the document is empty",
            Some(OBJECT_HELP.into()),
        );
        return None;
    }
    let root = match parser.value(0, sink) {
        Ok(root) => root,
        Err(error) => {
            error.report(sink);
            return None;
        }
    };
    parser.skip_whitespace();
    if parser.at < text.len() {
        let end = next_char_end(text, parser.at);
        sink.report(
            &rules::syntax::RULE,
            Span::new(parser.at, end),
            "invalid JSON: unexpected content after the end of the document",
            Some("a document holds one JSON object; remove what follows its closing `}`".into()),
        );
        return None;
    }
    if !matches!(root, Value::Object(_)) {
        sink.report(
            &rules::not_an_object::RULE,
            root.span(),
            format!("the document is {}, not a JSON object", root.describe()),
            Some(OBJECT_HELP.into()),
        );
        return None;
    }
    Some(Json {
        root,
        may_hold_variables: parser.may_hold_variables,
        arena,
    })
}

enum ParseError {
    Syntax(Span, String),
    TooDeep(usize),
}

impl ParseError {
    fn report(self, sink: &mut Sink) {
        match self {
            ParseError::Syntax(span, message) => {
                sink.report(
                    &rules::syntax::RULE,
                    span,
                    format!("invalid JSON: {message}"),
                    None,
                );
            }
            ParseError::TooDeep(at) => sink.report(
                &rules::too_deep::RULE,
                Span::new(at, at + 1),
                format!("arrays and objects nest deeper than {MAX_NESTING_DEPTH} levels here"),
                Some("a policy nests at most 6 levels; remove the extra nesting".into()),
            ),
        }
    }
}

type Parsed<T> = Result<T, ParseError>;

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    may_hold_variables: bool,
    arena: &'a Bump,
}

fn next_char_end(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(at, |c| at + c.len_utf8())
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.at += 1;
            // Pretty-printed policies indent with runs of spaces: skip them a word at a time.
            self.at += crate::bytescan::space_run(self.bytes.get(self.at..).unwrap_or_default());
        }
    }

    fn unexpected(&self, expected: &str) -> ParseError {
        match self
            .text
            .get(self.at..)
            .and_then(|rest| rest.chars().next())
        {
            None => ParseError::Syntax(
                Span::empty(self.at),
                format!("the document ends where {expected} was expected"),
            ),
            Some(c) => ParseError::Syntax(
                Span::new(self.at, self.at + c.len_utf8()),
                format!("expected {expected}, found `{}`", c.escape_debug()),
            ),
        }
    }

    /// `depth` is the number of arrays and objects around this value; recursion stops at the
    /// limit, so the stack stays small whatever the input.
    fn value(&mut self, depth: usize, sink: &mut Sink) -> Parsed<Value<'a>> {
        match self.peek() {
            Some(b'{') => self.object(depth + 1, sink).map(Value::Object),
            Some(b'[') => self.array(depth + 1, sink).map(Value::Array),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true", Value::Bool(true, Span::new(self.at, self.at + 4))),
            Some(b'f') => {
                self.literal("false", Value::Bool(false, Span::new(self.at, self.at + 5)))
            }
            Some(b'n') => self.literal("null", Value::Null(Span::new(self.at, self.at + 4))),
            _ => Err(self.unexpected("a value")),
        }
    }

    fn literal(&mut self, word: &str, value: Value<'a>) -> Parsed<Value<'a>> {
        if self.bytes.get(self.at..self.at + word.len()) == Some(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.unexpected("a value"))
        }
    }

    fn object(&mut self, depth: usize, sink: &mut Sink) -> Parsed<Object<'a>> {
        if depth > MAX_NESTING_DEPTH {
            return Err(ParseError::TooDeep(self.at));
        }
        let start = self.at;
        self.at += 1;
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Object {
                span: Span::new(start, self.at),
                members: &[],
            });
        }
        // Room for four from the start: growing one at a time copied every member three times.
        let mut members: ArenaVec<'a, Member<'a>> = ArenaVec::with_capacity_in(4, self.arena);
        loop {
            if self.peek() != Some(b'"') {
                return Err(self.unexpected("a member name in double quotes"));
            }
            let name = self.string()?;
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.unexpected("`:` after the member name"));
            }
            self.at += 1;
            self.skip_whitespace();
            let value = self.value(depth, sink)?;
            report_duplicate(&members, &name, sink);
            members.push(Member { name, value });
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    self.at += 1;
                    self.skip_whitespace();
                }
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Object {
                        span: Span::new(start, self.at),
                        members: members.into_bump_slice(),
                    });
                }
                _ => return Err(self.unexpected("`,` or `}` after an object member")),
            }
        }
    }

    fn array(&mut self, depth: usize, sink: &mut Sink) -> Parsed<Array<'a>> {
        if depth > MAX_NESTING_DEPTH {
            return Err(ParseError::TooDeep(self.at));
        }
        let start = self.at;
        self.at += 1;
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Array {
                span: Span::new(start, self.at),
                elements: &[],
            });
        }
        let mut elements = ArenaVec::with_capacity_in(4, self.arena);
        loop {
            elements.push(self.value(depth, sink)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    self.at += 1;
                    self.skip_whitespace();
                }
                Some(b']') => {
                    self.at += 1;
                    return Ok(Array {
                        span: Span::new(start, self.at),
                        elements: elements.into_bump_slice(),
                    });
                }
                _ => return Err(self.unexpected("`,` or `]` after an array element")),
            }
        }
    }

    fn string(&mut self) -> Parsed<JsonStr<'a>> {
        let start = self.at;
        self.at += 1;
        let content_start = self.at;
        // Fast path: no escapes, so the value borrows the text. One scan to the first byte that
        // ends or interrupts a plain run (a tight loop over a slice, not a peek per byte).
        let (run, dollar) =
            crate::bytescan::plain_run_noting(self.bytes.get(self.at..).unwrap_or_default(), b'$');
        self.at += run;
        self.may_hold_variables |= dollar;
        loop {
            match self.peek() {
                Some(b'"') => {
                    let value = self.text.get(content_start..self.at).unwrap_or_default();
                    self.at += 1;
                    return Ok(JsonStr {
                        span: Span::new(start, self.at),
                        value,
                    });
                }
                Some(b'\\') => {
                    self.may_hold_variables = true;
                    break;
                }
                Some(byte) if byte < 0x20 => return Err(self.control_character(byte)),
                Some(_) => self.at += 1,
                None => return Err(self.unterminated(start)),
            }
        }
        let mut value = String::from(self.text.get(content_start..self.at).unwrap_or_default());
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(JsonStr {
                        span: Span::new(start, self.at),
                        value: self.arena.alloc_str(&value),
                    });
                }
                Some(b'\\') => value.push(self.escape()?),
                Some(byte) if byte < 0x20 => return Err(self.control_character(byte)),
                Some(_) => {
                    // Copy the run up to the next quote, backslash or control byte at once.
                    let run_start = self.at;
                    self.at +=
                        crate::bytescan::plain_run(self.bytes.get(self.at..).unwrap_or_default());
                    value.push_str(self.text.get(run_start..self.at).unwrap_or_default());
                }
                None => return Err(self.unterminated(start)),
            }
        }
    }

    fn control_character(&self, byte: u8) -> ParseError {
        ParseError::Syntax(
            Span::new(self.at, self.at + 1),
            format!("a string holds the control character U+{byte:04X}, which must be escaped"),
        )
    }

    fn unterminated(&self, start: usize) -> ParseError {
        ParseError::Syntax(
            Span::new(start, self.at),
            "a string is not closed: the document ends before its closing `\"`".into(),
        )
    }

    fn escape(&mut self) -> Parsed<char> {
        let start = self.at;
        self.at += 1;
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.at += 1;
                let high = self.hex4(start)?;
                let code =
                    if (0xD800..0xDC00).contains(&high) {
                        if self.bytes.get(self.at..self.at + 2) != Some(b"\\u") {
                            return Err(self
                                .bad_escape(start, "a high surrogate not followed by a low one"));
                        }
                        self.at += 2;
                        let low = self.hex4(start)?;
                        if !(0xDC00..0xE000).contains(&low) {
                            return Err(self
                                .bad_escape(start, "a high surrogate not followed by a low one"));
                        }
                        0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..0xE000).contains(&high) {
                        return Err(self.bad_escape(start, "a lone low surrogate"));
                    } else {
                        high
                    };
                return char::from_u32(code)
                    .ok_or_else(|| self.bad_escape(start, "not a character"));
            }
            _ => return Err(self.bad_escape(start, "not a JSON escape")),
        };
        self.at += 1;
        Ok(c)
    }

    fn hex4(&mut self, escape_start: usize) -> Parsed<u32> {
        let digits = self
            .text
            .get(self.at..self.at + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.bad_escape(escape_start, "`\\u` needs four hex digits"))?;
        self.at += 4;
        u32::from_str_radix(digits, 16)
            .map_err(|_| self.bad_escape(escape_start, "`\\u` needs four hex digits"))
    }

    fn bad_escape(&self, start: usize, why: &str) -> ParseError {
        let end = next_char_end(self.text, self.at.max(start + 1))
            .max(start + 2)
            .min(self.text.len());
        let shown = self.text.get(start..end).unwrap_or("\\");
        ParseError::Syntax(
            Span::new(start, end),
            format!("invalid escape `{shown}`: {why}"),
        )
    }

    fn number(&mut self) -> Parsed<Value<'a>> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.at += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(ParseError::Syntax(
                        Span::new(start, self.at + 1),
                        "a number has a leading zero".into(),
                    ));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.unexpected("a digit")),
        }
        let mut float = false;
        if self.peek() == Some(b'.') {
            float = true;
            self.at += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.unexpected("a digit after the decimal point"));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            float = true;
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.unexpected("a digit in the exponent"));
            }
            self.digits();
        }
        let span = Span::new(start, self.at);
        let text = self.text.get(start..self.at).unwrap_or_default();
        // serde_json (and so most tools downstream) refuse numbers that overflow an f64.
        if (float || text.len() > 20) && !text.parse::<f64>().is_ok_and(f64::is_finite) {
            return Err(ParseError::Syntax(
                span,
                format!("the number `{text}` is out of range"),
            ));
        }
        Ok(Value::Number(text, span))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
    }
}

fn report_duplicate(members: &[Member<'_>], name: &JsonStr<'_>, sink: &mut Sink) {
    // Objects in policies have a handful of members: a linear scan beats hashing there.
    if let Some(first) = members.iter().find(|m| m.name.value == name.value) {
        sink.report(
            &rules::duplicate_key::RULE,
            name.span,
            format!(
                "the key `{}` appears more than once in this object (first at byte {})",
                name.value, first.name.span.start
            ),
            Some(format!(
                "keep one `{}`: IAM and other JSON parsers may pick different copies",
                name.value
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(text: &str) -> Vec<(String, String)> {
        let mut sink = Sink::default();
        parse(text, &Bump::new(), &mut sink);
        sink.raw
            .iter()
            .map(|f| (f.rule.meta.name.to_string(), f.message.clone()))
            .collect()
    }

    #[test]
    fn accepts_what_serde_json_accepts() {
        for text in [
            r#"{}"#,
            r#"{"a": [1, -0, 0.5, 1e5, -2E-3, true, false, null, "x\n\u00e9\ud83d\ude00"]}"#,
            " \t\r\n{\"a\":{}} \n",
        ] {
            assert_eq!(findings(text), vec![], "{text}");
            assert!(serde_json::from_str::<serde_json::Value>(text).is_ok());
        }
    }

    #[test]
    fn rejects_what_serde_json_rejects() {
        for text in [
            "{\"a\":1,}",
            "{\"a\":01}",
            "{\"a\":1} x",
            "{'a':1}",
            "{\"a\":\"b\u{1}\"}",
            "{\"a\":\"\\ud800\"}",
            "{\"a\":1e999}",
            "{\"a\":.5}",
            "{\"a\":+1}",
            "{\"a\":NaN}",
            "{a:1}",
            "{\"a\":1 /* c */}",
            "{\"a\":\"\\x41\"}",
            "{\"a\":tru}",
            "{\"a\":\"unterminated}",
            "{\"a\":1.}",
            "{\"a\":1e}",
        ] {
            let found = findings(text);
            assert!(
                found.iter().any(|(name, _)| name == "json-syntax"),
                "{text:?} gave {found:?}"
            );
            assert!(
                serde_json::from_str::<serde_json::Value>(text).is_err(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn values_and_spans_are_exact() {
        let mut sink = Sink::default();
        let arena = Bump::new();
        let json = parse(r#"{"k": "a\"b", "n": [12]}"#, &arena, &mut sink).unwrap();
        let Value::Object(object) = &json.root else {
            panic!()
        };
        let Value::String(s) = &object.members[0].value else {
            panic!()
        };
        assert_eq!(s.value, "a\"b");
        assert_eq!(s.span, Span::new(6, 12));
        assert_eq!(json.pointer_for(Span::new(20, 22)), "/n/0");
        assert_eq!(json.pointer_for(object.members[1].name.span), "/n");
    }

    #[test]
    fn duplicate_keys_are_reported_and_kept() {
        let found = findings(r#"{"a": 1, "b": 2, "a": 3}"#);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "duplicate-key");
        assert!(found[0].1.contains("`a`"), "{}", found[0].1);
    }

    #[test]
    fn depth_is_bounded_without_recursion_past_the_limit() {
        let deep = "[".repeat(100_000);
        let found = findings(&format!("{{\"a\":{deep}"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "nesting-too-deep");
        let ok = format!(
            "{{\"a\":{}{}}}",
            "[".repeat(MAX_NESTING_DEPTH - 1),
            "]".repeat(MAX_NESTING_DEPTH - 1)
        );
        assert_eq!(findings(&ok), vec![]);
    }

    #[test]
    fn the_spare_arena_is_reused_empty_and_bounded() {
        let chunk = |arena: &Bump| arena.chunk_capacity();
        with_arena("{}", |arena| {
            arena.alloc_slice_fill_copy(10_000, 0u8);
        });
        // The next document on this thread gets that arena back, emptied.
        with_arena("{}", |arena| {
            assert!(arena.allocated_bytes() >= 10_000);
            assert!(chunk(arena) >= 10_000, "{}", chunk(arena));
            arena.alloc_slice_fill_copy(SPARE_ARENA_LIMIT + 1, 0u8);
        });
        // One past the limit is not kept.
        with_arena("{}", |arena| assert!(arena.allocated_bytes() < 10_000));
    }

    #[test]
    fn pointers_escape_tilde_and_slash() {
        let mut sink = Sink::default();
        let arena = Bump::new();
        let json = parse(r#"{"a/b~c": {"x": 1}}"#, &arena, &mut sink).unwrap();
        assert_eq!(json.pointer_for(Span::new(16, 17)), "/a~1b~0c/x");
    }
}

/// The JSON layer against serde_json on real documents: the same values for every valid one.
#[cfg(test)]
mod differential_tests {
    use super::*;

    /// Our tree as a serde_json value; a duplicate key keeps the last copy, as serde_json does.
    fn to_serde(value: &Value<'_>) -> serde_json::Value {
        match value {
            Value::Object(object) => serde_json::Value::Object(
                object
                    .members
                    .iter()
                    .map(|m| (m.name.value.to_string(), to_serde(&m.value)))
                    .collect(),
            ),
            Value::Array(array) => {
                serde_json::Value::Array(array.elements.iter().map(to_serde).collect())
            }
            Value::String(s) => serde_json::Value::String(s.value.to_string()),
            Value::Number(text, _) => serde_json::from_str(text).unwrap(),
            Value::Bool(b, _) => serde_json::Value::Bool(*b),
            Value::Null(_) => serde_json::Value::Null,
        }
    }

    fn documents() -> Vec<(String, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut dirs = vec![
            root.join("tests/fixtures/kore-ai-correct"),
            root.join("core/benches/data"),
        ];
        dirs.extend(
            std::fs::read_dir(root.join("examples"))
                .unwrap()
                .map(|e| e.unwrap().path()),
        );
        let corpus = root.join("../shared/corpus/aws-managed-policies");
        if corpus.is_dir() {
            dirs.push(corpus);
        } else {
            println!(
                "corpus not found at {}: checking the project's own documents only",
                corpus.display()
            );
        }
        let mut out = Vec::new();
        for dir in dirs {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "json") {
                    out.push((
                        path.display().to_string(),
                        std::fs::read_to_string(&path).unwrap(),
                    ));
                }
            }
        }
        out
    }

    #[test]
    fn agrees_with_serde_json_on_every_valid_document() {
        let documents = documents();
        assert!(documents.len() >= 20);
        for (name, text) in &documents {
            let expected: serde_json::Value = serde_json::from_str(text).unwrap();
            let mut sink = Sink::default();
            let arena = Bump::new();
            match parse(text, &arena, &mut sink) {
                Some(json) => assert_eq!(to_serde(&json.root), expected, "{name}"),
                // Only the documented extra: the size limit.
                None => assert!(
                    text.len() > MAX_DOCUMENT_BYTES,
                    "{name}: refused: {:?}",
                    sink.raw.iter().map(|f| &f.message).collect::<Vec<_>>()
                ),
            }
        }
    }

    #[test]
    fn rejects_what_serde_json_rejects_in_broken_copies() {
        // Each valid document, cut short at several places: both parsers must refuse it.
        for (name, text) in documents().iter().take(300) {
            for cut in [
                1,
                text.len() / 3,
                text.len() / 2,
                text.len().saturating_sub(2),
            ] {
                let Some(prefix) = text.get(..cut) else {
                    continue;
                };
                if serde_json::from_str::<serde_json::Value>(prefix).is_ok() {
                    continue;
                }
                let mut sink = Sink::default();
                assert!(
                    parse(prefix, &Bump::new(), &mut sink).is_none(),
                    "{name} cut at {cut}"
                );
                assert!(!sink.raw.is_empty());
            }
        }
    }
}
