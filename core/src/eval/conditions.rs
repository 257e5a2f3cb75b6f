//! `Condition` evaluation: every operator family, `…IfExists`, the set qualifiers, and the
//! missing-key rules of IAM.
//!
//! Total by design: an unknown operator or a value that does not parse for its operator makes
//! the comparison false (never a panic). For a negated operator that means "matches none", so
//! a malformed value in `StringNotEquals` makes the condition true for a present key, as IAM's
//! "none of the values match" reads.

use std::borrow::Cow;
use std::net::IpAddr;

use crate::policy::{BaseOperator, ConditionEntry, Family, Operator, SetQualifier, Statement};

use super::request::Request;
use super::variables::compile_value;
use super::wildcard::{arn_tokens_match, tokens_match, Token};

/// True when every entry of the statement's `Condition` holds (operators AND, keys AND).
pub fn conditions_hold(statement: &Statement<'_>, request: &Request<'_>, variables: bool) -> bool {
    statement
        .condition_entries()
        .iter()
        .all(|entry| condition_holds(entry, request, variables))
}

/// True when one `operator -> key -> values` entry holds for `request`.
///
/// `variables` says whether policy variables are substituted in String and ARN values
/// ([`crate::policy::Policy::supports_variables`]).
pub fn condition_holds(entry: &ConditionEntry<'_>, request: &Request<'_>, variables: bool) -> bool {
    let Some(operator) = entry.parsed else {
        return false;
    };
    let request_values: Vec<Cow<'_, str>> = request.values(entry.key.value).unwrap_or_default();
    if operator.base == BaseOperator::Null {
        // `true` asks for the key to be absent, `false` for it to be present.
        let present = !request_values.is_empty();
        return entry.values.iter().any(|v| match parse_bool(v.text) {
            Some(wants_absent) => wants_absent != present,
            None => false,
        });
    }
    // An empty multivalued key counts as absent, as `ForAllValues` and `ForAnyValue` define.
    if request_values.is_empty() {
        return absent_result(operator);
    }
    let comparator = Comparator::new(entry, operator.base, request, variables);
    let negated = operator.base.is_negated();
    // For one request value: does it satisfy the operator (a negated one: it matches none of
    // the policy values)?
    let value_ok = |value: &str| comparator.any_matches(value) != negated;
    match operator.qualifier {
        Some(SetQualifier::ForAllValues) => request_values.iter().all(|v| value_ok(v)),
        Some(SetQualifier::ForAnyValue) => request_values.iter().any(|v| value_ok(v)),
        None => request_values.iter().any(|v| comparator.any_matches(v)) != negated,
    }
}

/// The result for a key that is absent from the request.
fn absent_result(operator: Operator) -> bool {
    if operator.if_exists {
        return true;
    }
    match operator.qualifier {
        Some(SetQualifier::ForAllValues) => true,
        Some(SetQualifier::ForAnyValue) => false,
        None => operator.base.is_negated(),
    }
}

/// The policy values of one entry, compiled once for the family's comparison.
enum Comparator {
    /// String and ARN families: patterns after variable substitution (`None` = unresolvable).
    Patterns {
        patterns: Vec<Option<Vec<Token>>>,
        ignore_case: bool,
        arn: bool,
    },
    Numeric(Vec<Option<f64>>, Ordering),
    Date(Vec<Option<i128>>, Ordering),
    Bool(Vec<Option<bool>>),
    Binary(Vec<String>),
    Ip(Vec<Option<(IpAddr, u8)>>),
}

#[derive(Clone, Copy)]
enum Ordering {
    Equal,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
}

impl Ordering {
    fn holds<T: PartialOrd>(self, request: T, policy: T) -> bool {
        match self {
            Self::Equal => request == policy,
            Self::Less => request < policy,
            Self::LessEqual => request <= policy,
            Self::Greater => request > policy,
            Self::GreaterEqual => request >= policy,
        }
    }
}

impl Comparator {
    fn new(
        entry: &ConditionEntry<'_>,
        base: BaseOperator,
        request: &Request<'_>,
        variables: bool,
    ) -> Self {
        use BaseOperator as B;
        let texts = entry.values.iter().map(|v| v.text);
        let ordering = match base {
            B::NumericLessThan | B::DateLessThan => Ordering::Less,
            B::NumericLessThanEquals | B::DateLessThanEquals => Ordering::LessEqual,
            B::NumericGreaterThan | B::DateGreaterThan => Ordering::Greater,
            B::NumericGreaterThanEquals | B::DateGreaterThanEquals => Ordering::GreaterEqual,
            _ => Ordering::Equal,
        };
        match base.family() {
            Family::String | Family::Arn => {
                let arn = base.family() == Family::Arn;
                let wildcards = arn || matches!(base, B::StringLike | B::StringNotLike);
                Self::Patterns {
                    patterns: texts
                        .map(|t| compile_value(t, wildcards, variables, request))
                        .collect(),
                    ignore_case: matches!(
                        base,
                        B::StringEqualsIgnoreCase | B::StringNotEqualsIgnoreCase
                    ),
                    arn,
                }
            }
            Family::Numeric => Self::Numeric(texts.map(parse_number).collect(), ordering),
            Family::Date => Self::Date(texts.map(parse_instant).collect(), ordering),
            Family::Bool => Self::Bool(texts.map(parse_bool).collect()),
            Family::Binary => Self::Binary(texts.map(str::to_string).collect()),
            Family::Ip => Self::Ip(texts.map(parse_cidr).collect()),
            // Handled before a comparator is built; an empty comparator matches nothing.
            Family::Null => Self::Binary(Vec::new()),
        }
    }

    /// True when `value` matches at least one policy value, by the positive form of the
    /// operator (`StringNotEquals` compares as `StringEquals`; the caller negates).
    fn any_matches(&self, value: &str) -> bool {
        match self {
            Self::Patterns {
                patterns,
                ignore_case,
                arn,
            } => patterns.iter().flatten().any(|pattern| {
                if *arn {
                    arn_tokens_match(pattern, value)
                } else {
                    tokens_match(pattern, value, *ignore_case)
                }
            }),
            Self::Numeric(policy, ordering) => parse_number(value).is_some_and(|request| {
                policy.iter().flatten().any(|p| ordering.holds(request, *p))
            }),
            Self::Date(policy, ordering) => parse_instant(value).is_some_and(|request| {
                policy.iter().flatten().any(|p| ordering.holds(request, *p))
            }),
            Self::Bool(policy) => parse_bool(value)
                .is_some_and(|request| policy.iter().flatten().any(|p| *p == request)),
            Self::Binary(policy) => policy.iter().any(|p| p == value),
            Self::Ip(policy) => parse_ip(value).is_some_and(|request| {
                policy.iter().flatten().any(|net| in_network(request, *net))
            }),
        }
    }
}

/// A finite number (`5`, `-1.5`, `1e3`); `NaN` and infinities are not numbers to IAM.
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// `true` / `false`, in any case.
pub(crate) fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// A CIDR block (`203.0.113.0/24`, `2001:db8::/32`) or a single address (a /32 or /128).
pub(crate) fn parse_cidr(text: &str) -> Option<(IpAddr, u8)> {
    match text.split_once('/') {
        Some((address, prefix)) => {
            let address: IpAddr = address.parse().ok()?;
            if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let prefix: u8 = prefix.parse().ok()?;
            (prefix <= max_prefix(address)).then_some((address, prefix))
        }
        None => {
            let address: IpAddr = text.parse().ok()?;
            Some((address, max_prefix(address)))
        }
    }
}

/// A request's address (a bare address; a CIDR is read as its address).
fn parse_ip(text: &str) -> Option<IpAddr> {
    parse_cidr(text).map(|(address, _)| address)
}

fn max_prefix(address: IpAddr) -> u8 {
    match address {
        IpAddr::V4(_) => 32,
        IpAddr::V6(_) => 128,
    }
}

fn in_network(address: IpAddr, (network, prefix): (IpAddr, u8)) -> bool {
    match (address, network) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

const NANOS_PER_SECOND: i128 = 1_000_000_000;

/// An instant in nanoseconds since the Unix epoch, from epoch seconds (`1577836800`,
/// `1577836800.5`) or ISO 8601 (`2020-01-01`, `2020-01-01T00:00:00Z`,
/// `2020-01-01T01:00:00.250+01:00`; no zone means UTC).
pub(crate) fn parse_instant(text: &str) -> Option<i128> {
    if let Some(nanos) = parse_epoch(text) {
        return Some(nanos);
    }
    parse_iso(text)
}

fn parse_epoch(text: &str) -> Option<i128> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    if whole.is_empty() || whole.len() > 15 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let seconds: i128 = whole.parse().ok()?;
    let nanos = match fraction {
        Some(fraction) => parse_fraction(fraction)?,
        None => 0,
    };
    let total = seconds * NANOS_PER_SECOND + nanos;
    Some(if negative { -total } else { total })
}

/// Digits after a decimal point, as nanoseconds (digits past the ninth are dropped).
fn parse_fraction(fraction: &str) -> Option<i128> {
    if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut nanos: i128 = 0;
    let mut scale = NANOS_PER_SECOND;
    for digit in fraction.bytes().take(9) {
        scale /= 10;
        nanos += i128::from(digit - b'0') * scale;
    }
    Some(nanos)
}

fn parse_iso(text: &str) -> Option<i128> {
    let (date, time) = match text.split_once(['T', 't']) {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let mut date_parts = date.split('-');
    let (Some(year), Some(month), Some(day), None) = (
        date_parts.next(),
        date_parts.next(),
        date_parts.next(),
        date_parts.next(),
    ) else {
        return None;
    };
    let year = fixed_digits(year, 4)?;
    let month = fixed_digits(month, 2)?;
    let day = fixed_digits(day, 2)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let (seconds_of_day, nanos, offset) = match time {
        Some(time) => parse_time(time)?,
        None => (0, 0, 0),
    };
    let seconds = days * 86_400 + seconds_of_day - offset;
    Some(seconds * NANOS_PER_SECOND + nanos)
}

/// `hh:mm[:ss[.fff]]` and a zone (`Z`, `±hh:mm`, `±hhmm`, `±hh`, or none for UTC) ->
/// (seconds of the day, nanoseconds, zone offset in seconds).
fn parse_time(time: &str) -> Option<(i128, i128, i128)> {
    let (clock, offset) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        (clock, 0)
    } else if let Some(at) = time.find(['+', '-']) {
        let (clock, zone) = time.split_at(at);
        (clock, parse_offset(zone)?)
    } else {
        (time, 0)
    };
    let (clock, nanos) = match clock.split_once(['.', ',']) {
        Some((clock, fraction)) => (clock, parse_fraction(fraction)?),
        None => (clock, 0),
    };
    let mut parts = clock.split(':');
    let (Some(hour), Some(minute), second, None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let hour = fixed_digits(hour, 2)?;
    let minute = fixed_digits(minute, 2)?;
    let second = match second {
        Some(second) => fixed_digits(second, 2)?,
        None => 0,
    };
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    Some((hour * 3_600 + minute * 60 + second, nanos, offset))
}

/// `+hh:mm`, `-hhmm`, `+hh` -> seconds east of UTC.
fn parse_offset(zone: &str) -> Option<i128> {
    let (sign, rest) = match zone.strip_prefix('+') {
        Some(rest) => (1, rest),
        None => (-1, zone.strip_prefix('-')?),
    };
    let (hours, minutes) = match rest.split_once(':') {
        Some((hours, minutes)) => (hours, minutes),
        None if rest.len() == 4 => rest.split_at(2),
        None => (rest, "00"),
    };
    let hours = fixed_digits(hours, 2)?;
    let minutes = fixed_digits(minutes, 2)?;
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some(sign * (hours * 3_600 + minutes * 60))
}

/// Exactly `len` ASCII digits.
fn fixed_digits(text: &str, len: usize) -> Option<i128> {
    if text.len() != len || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn is_leap(year: i128) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i128, month: i128) -> i128 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i128, month: i128, day: i128) -> i128 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}
