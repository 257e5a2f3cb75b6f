//! Helpers the value rules share: spans inside strings, policy variables, IP ranges, and the
//! strings of a policy grouped by where they stand.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::policy::{Checked, ConditionEntry, Policy, Str, ValueType};
use crate::source::Span;

/// The span of `value[start..end]` inside the string literal at `literal`. Offsets into the
/// decoded value are offsets into the text only when the literal has no escapes; otherwise the
/// whole literal is the most precise span there is.
pub(crate) fn sub_span(text: &str, literal: Span, value: &str, start: usize, end: usize) -> Span {
    let inner_start = literal.start + 1;
    let inner_end = literal.end.saturating_sub(1);
    let written_as_is = inner_start <= inner_end && text.get(inner_start..inner_end) == Some(value);
    if written_as_is && start <= end && end <= value.len() {
        Span::new(inner_start + start, inner_start + end)
    } else {
        literal
    }
}

/// True when the text under `span` is `open`, white space, `close` (`[]`, `{}`). The typed model
/// drops values of the wrong type, so an empty list there does not mean an empty literal.
/// Bytes suffice: the parser's spans start and end on the brackets, and JSON allows only ASCII
/// white space between them.
pub(crate) fn is_empty_literal(text: &str, span: Span, open: u8, close: u8) -> bool {
    text.as_bytes()
        .get(span.start..span.end)
        .map(<[u8]>::trim_ascii)
        .and_then(|s| s.strip_prefix(&[open]))
        .and_then(|s| s.strip_suffix(&[close]))
        .is_some_and(|s| s.iter().all(u8::is_ascii_whitespace))
}

/// `12345` -> `12,345`, as the AWS quota pages write numbers.
pub(crate) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A condition value written as a JSON string, as a [`Str`]; numbers and booleans have no
/// text that variables could be in.
pub(crate) fn string_values<'e, 'a>(
    entry: &'e ConditionEntry<'a>,
) -> impl Iterator<Item = Str<'a>> + 'e {
    entry
        .values
        .iter()
        .filter(|v| v.value_type == ValueType::String)
        .map(|v| Str {
            value: v.text,
            span: v.span,
        })
}

/// Every string where IAM interprets policy variables: `Resource`/`NotResource` values and
/// condition values.
pub(crate) fn variable_sites<'p, 'a>(policy: &'p Policy<'a>) -> impl Iterator<Item = Str<'a>> + 'p {
    policy.statements.iter().flat_map(|statement| {
        let resources = statement
            .resource
            .iter()
            .flat_map(|r| r.values.items.iter().copied());
        let conditions = statement.condition_entries().iter().flat_map(string_values);
        resources.chain(conditions)
    })
}

/// Every string in an element where IAM does not interpret policy variables, with the name of
/// the element for messages.
pub(crate) fn non_variable_sites<'p, 'a>(
    policy: &'p Policy<'a>,
) -> impl Iterator<Item = (&'static str, Str<'a>)> + 'p {
    let top = policy
        .version
        .map(|v| ("Version", v))
        .into_iter()
        .chain(policy.id.map(|v| ("Id", v)));
    let statements = policy.statements.iter().flat_map(|statement| {
        let named = statement
            .sid
            .map(|v| ("Sid", v))
            .into_iter()
            .chain(statement.effect.map(|v| ("Effect", v)));
        let actions = statement.action.iter().flat_map(|action| {
            let name = action.name("Action", "NotAction");
            action.values.items.iter().map(move |v| (name, *v))
        });
        let principals = statement.principal.iter().flat_map(|principal| {
            let name = if principal.negated {
                "NotPrincipal"
            } else {
                "Principal"
            };
            principal.values().map(move |(_, v)| (name, v))
        });
        named.chain(actions).chain(principals)
    });
    top.chain(statements)
}

/// False when no string of the document can hold a `${` (see
/// [`crate::json::Json::may_hold_variables`]). Most policies hold no variable, and four rules
/// would otherwise look for one in every string.
pub(crate) fn may_hold_variables(doc: &Checked<'_>) -> bool {
    doc.memo.may_hold_variables
}

/// What is wrong with a `${...}` policy variable, as IAM Access Analyzer names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VariableProblem {
    /// `${aws:username` with no `}`.
    MissingBrace,
    /// `${}`.
    Empty,
    /// `${aws:user name}`.
    Space,
    /// `${aws:PrincipalTag/team, default}`.
    MissingQuote,
}

/// One `${...}` in a string; `start..end` are byte offsets in the decoded value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Variable<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    pub problem: Option<VariableProblem>,
}

impl Variable<'_> {
    /// The span of the variable in the document.
    pub(crate) fn span(&self, text: &str, site: Str<'_>) -> Span {
        sub_span(text, site.span, site.value, self.start, self.end)
    }
}

/// Every `${` in `value`, with the text up to its closing brace.
pub(crate) fn variables(value: &str) -> Vec<Variable<'_>> {
    let mut found = Vec::new();
    // Most values hold no `$` at all: one memchr instead of a substring search.
    if !value.as_bytes().contains(&b'$') {
        return found;
    }
    let mut from = 0;
    while let Some(offset) = value.get(from..).and_then(|rest| rest.find("${")) {
        let start = from + offset;
        let body_start = start + 2;
        let rest = value.get(body_start..).unwrap_or_default();
        // A `${` before the `}` starts another variable: this one lacks its brace.
        let next_open = rest.find("${");
        let (end, problem) = match (rest.find('}'), next_open) {
            (Some(close), next) if next.is_none_or(|n| close < n) => {
                let body = rest.get(..close).unwrap_or_default();
                (body_start + close + 1, classify(body))
            }
            (_, Some(next)) => (body_start + next, Some(VariableProblem::MissingBrace)),
            (_, None) => (value.len(), Some(VariableProblem::MissingBrace)),
        };
        found.push(Variable {
            text: value.get(start..end).unwrap_or_default(),
            start,
            end,
            problem,
        });
        from = end;
    }
    found
}

fn classify(body: &str) -> Option<VariableProblem> {
    if body.trim().is_empty() {
        return Some(VariableProblem::Empty);
    }
    // Written with these three, IAM inserts a literal `*`, `?` or `$`.
    if matches!(body, "*" | "?" | "$") {
        return None;
    }
    let (name, default) = match body.split_once(',') {
        Some((name, default)) => (name, Some(default)),
        None => (body, None),
    };
    if name.trim().is_empty() {
        return Some(VariableProblem::Empty);
    }
    if name.chars().any(char::is_whitespace) {
        return Some(VariableProblem::Space);
    }
    match default.map(str::trim) {
        Some(d) if d.len() < 2 || !d.starts_with('\'') || !d.ends_with('\'') => {
            Some(VariableProblem::MissingQuote)
        }
        _ => None,
    }
}

/// An IP address with an optional prefix length, as `IpAddress` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct IpRange {
    pub addr: IpAddr,
    pub prefix: Option<u8>,
}

/// Parses `203.0.113.0/24`, `203.0.113.7`, `2001:db8::/32`. `None` when it is none of these.
pub(crate) fn parse_ip_range(text: &str) -> Option<IpRange> {
    let (addr_text, prefix_text) = match text.split_once('/') {
        Some((addr, prefix)) => (addr, Some(prefix)),
        None => (text, None),
    };
    let addr: IpAddr = addr_text.parse().ok()?;
    let prefix = match prefix_text {
        None => None,
        Some(p) if !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()) => {
            Some(p.parse::<u8>().ok()?)
        }
        Some(_) => return None,
    };
    let range = IpRange { addr, prefix };
    (range.prefix_len() <= range.max_prefix()).then_some(range)
}

const PRIVATE_V4: [(Ipv4Addr, u8); 5] = [
    (Ipv4Addr::new(10, 0, 0, 0), 8),
    (Ipv4Addr::new(172, 16, 0, 0), 12),
    (Ipv4Addr::new(192, 168, 0, 0), 16),
    (Ipv4Addr::new(127, 0, 0, 0), 8),
    (Ipv4Addr::new(169, 254, 0, 0), 16),
];

const PRIVATE_V6: [(Ipv6Addr, u8); 3] = [
    (Ipv6Addr::LOCALHOST, 128),
    (Ipv6Addr::new(0xfc00, 0, 0, 0, 0, 0, 0, 0), 7),
    (Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0), 10),
];

fn mask_v4(prefix: u8) -> u32 {
    u32::MAX
        .checked_shl(32 - u32::from(prefix.min(32)))
        .unwrap_or(0)
}

fn mask_v6(prefix: u8) -> u128 {
    u128::MAX
        .checked_shl(128 - u32::from(prefix.min(128)))
        .unwrap_or(0)
}

impl IpRange {
    pub(crate) fn max_prefix(&self) -> u8 {
        match self.addr {
            IpAddr::V4(_) => 32,
            IpAddr::V6(_) => 128,
        }
    }

    /// The prefix length; a bare address is a single host.
    pub(crate) fn prefix_len(&self) -> u8 {
        self.prefix.unwrap_or(self.max_prefix())
    }

    /// The address with the bits after the prefix cleared.
    pub(crate) fn network(&self) -> IpAddr {
        match self.addr {
            IpAddr::V4(a) => IpAddr::V4(Ipv4Addr::from(u32::from(a) & mask_v4(self.prefix_len()))),
            IpAddr::V6(a) => IpAddr::V6(Ipv6Addr::from(u128::from(a) & mask_v6(self.prefix_len()))),
        }
    }

    /// True when every address of the range is private, loopback or link-local.
    pub(crate) fn is_private(&self) -> bool {
        let prefix = self.prefix_len();
        match self.addr {
            IpAddr::V4(a) => v4_is_private(a, prefix),
            IpAddr::V6(a) => {
                // `::ffff:10.0.0.1` is the IPv4 address written as IPv6.
                if let Some(v4) = a.to_ipv4_mapped() {
                    if prefix >= 96 {
                        return v4_is_private(v4, prefix - 96);
                    }
                }
                PRIVATE_V6.iter().any(|&(net, len)| {
                    prefix >= len && u128::from(a) & mask_v6(len) == u128::from(net)
                })
            }
        }
    }
}

fn v4_is_private(a: Ipv4Addr, prefix: u8) -> bool {
    PRIVATE_V4
        .iter()
        .any(|&(net, len)| prefix >= len && u32::from(a) & mask_v4(len) == u32::from(net))
}

#[cfg(test)]
pub(crate) mod testing {
    //! Running the whole checker and keeping one rule's findings.

    use crate::{Context, DocumentKind, Finding};

    pub(crate) fn findings(text: &str, kind: DocumentKind, code: &str) -> Vec<Finding> {
        crate::check(text, kind, &Context::example())
            .findings
            .into_iter()
            .filter(|f| f.code == code)
            .collect()
    }

    /// The text a finding points at.
    pub(crate) fn under<'t>(text: &'t str, finding: &Finding) -> &'t str {
        &text[finding.span.start..finding.span.end]
    }

    /// A `2012-10-17` identity policy with one statement made of `body`.
    pub(crate) fn statement(body: &str) -> String {
        format!(r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", {body}}}]}}"#)
    }

    /// An identity policy whose one statement has `"Condition": {condition}`.
    pub(crate) fn condition(condition: &str) -> String {
        statement(&format!(
            r#""Action": "kms:Decrypt", "Resource": "*", "Condition": {condition}"#
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_variables_and_their_problems() {
        let found = variables("a/${aws:username}/${*}/${aws:PrincipalTag/t, 'x y'}");
        assert_eq!(found.len(), 3);
        assert!(found.iter().all(|v| v.problem.is_none()));
        assert_eq!(found[0].text, "${aws:username}");
        assert_eq!(found[0].start, 2);

        let problem = |s: &str| variables(s).first().and_then(|v| v.problem);
        assert_eq!(
            problem("${aws:username"),
            Some(VariableProblem::MissingBrace)
        );
        assert_eq!(problem("${}"), Some(VariableProblem::Empty));
        assert_eq!(problem("${ }"), Some(VariableProblem::Empty));
        assert_eq!(problem("${aws: username}"), Some(VariableProblem::Space));
        assert_eq!(
            problem("${aws:PrincipalTag/t, x}"),
            Some(VariableProblem::MissingQuote)
        );
        assert_eq!(problem("${?}"), None);
        assert_eq!(problem("${$}"), None);

        let both = variables("${aws:userid/${aws:username}");
        assert_eq!(both.len(), 2);
        assert_eq!(both[0].text, "${aws:userid/");
        assert_eq!(both[0].problem, Some(VariableProblem::MissingBrace));
        assert_eq!(both[1].problem, None);
    }

    #[test]
    fn parses_ip_ranges() {
        let r = parse_ip_range("10.1.2.3/8").unwrap();
        assert_eq!(r.network().to_string(), "10.0.0.0");
        assert!(r.is_private());
        let r = parse_ip_range("2001:db8::1/32").unwrap();
        assert_eq!(r.network().to_string(), "2001:db8::");
        assert!(!r.is_private());
        assert!(parse_ip_range("fd00::/8").unwrap().is_private());
        assert!(!parse_ip_range("fc00::/6").unwrap().is_private());
        assert!(parse_ip_range("::ffff:192.168.1.1").unwrap().is_private());
        assert!(!parse_ip_range("10.0.0.0/7").unwrap().is_private());
        assert!(parse_ip_range("0.0.0.0/0").is_some());
        assert!(parse_ip_range("10.0.0.0/33").is_none());
        assert!(parse_ip_range("10.0.0.0/").is_none());
        assert!(parse_ip_range("10.0.0.0/+8").is_none());
        assert!(parse_ip_range("10.0.*.*").is_none());
    }

    #[test]
    fn formats_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(6144), "6,144");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
