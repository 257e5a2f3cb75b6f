//! The analysis behind `check_arn` and the parse functions: from pasted text to located
//! problems and, when the shape allows, the parsed ARN.
//!
//! Every field is checked on its own so that one paste shows every mistake at once; the parse
//! functions then keep only the first error.

use ::arn::naive::NaiveArn;

use super::problem::{
    AccountFault, ArnProblem, IamResource, KeyIdFault, RoleNameFault, RolePathFault, Shape, Side,
};
use super::region::{self, Partition, PARTITIONS};
use super::{InvalidArn, KeyArn, RoleArn, DOCUMENTATION_ACCOUNT_IDS, MAX_ARN_CHARS};
use crate::finding::DocumentKind;
use crate::source::Span;
use crate::suggest;

/// What the analysis could build.
pub(crate) enum Parsed {
    Role(RoleArn),
    Key(KeyArn),
}

/// The text without what was pasted around it, and what that was.
pub(crate) struct Trimmed<'a> {
    pub text: &'a str,
    /// Where `text` starts in the original text.
    pub base: usize,
    pub problems: Vec<InvalidArn>,
}

/// White space plus the invisible characters web pages and chat tools paste along.
fn is_blank(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}')
}

const QUOTE_PAIRS: [(char, char); 5] = [
    ('"', '"'),
    ('\'', '\''),
    ('`', '`'),
    ('\u{201c}', '\u{201d}'),
    ('\u{2018}', '\u{2019}'),
];

fn is_quote(c: char) -> bool {
    QUOTE_PAIRS
        .iter()
        .any(|&(open, close)| c == open || c == close)
}

enum Decoration {
    Blank(Side, String),
    Quotes(char),
    Stray(char, Side),
}

fn describe_blank(blank: &str) -> String {
    let count = blank.chars().count();
    if blank.contains(['\n', '\r']) {
        "a line break".into()
    } else if blank.chars().all(|c| c == ' ') {
        if count == 1 {
            "a space".into()
        } else {
            format!("{count} spaces")
        }
    } else if blank.chars().all(|c| c == '\t') {
        if count == 1 {
            "a tab".into()
        } else {
            format!("{count} tabs")
        }
    } else if let Some(c) = blank.chars().find(|c| !c.is_ascii()) {
        format!("an invisible character (U+{:04X})", u32::from(c))
    } else {
        "white space".into()
    }
}

/// Strips white space, a pair of quotes and stray quotes or commas from both ends, a few
/// rounds deep (`"arn:…",` copied out of a JSON document), reporting each.
pub(crate) fn trim(text: &str) -> Trimmed<'_> {
    let mut start = 0;
    let mut end = text.len();
    let mut found: Vec<(Decoration, Span)> = Vec::new();
    // Each round strips at least one character or stops; the bound keeps a paste of thousands
    // of quotes from producing thousands of findings.
    for _ in 0..8 {
        let inner = text.get(start..end).unwrap_or("");
        let lead = inner.len() - inner.trim_start_matches(is_blank).len();
        if lead > 0 {
            let what = describe_blank(inner.get(..lead).unwrap_or(""));
            found.push((
                Decoration::Blank(Side::Leading, what),
                Span::new(start, start + lead),
            ));
            start += lead;
        }
        let inner = text.get(start..end).unwrap_or("");
        let kept = inner.trim_end_matches(is_blank).len();
        if kept < inner.len() {
            let what = describe_blank(inner.get(kept..).unwrap_or(""));
            found.push((
                Decoration::Blank(Side::Trailing, what),
                Span::new(start + kept, end),
            ));
            end = start + kept;
        }
        let inner = text.get(start..end).unwrap_or("");
        let mut chars = inner.chars();
        let first = chars.next();
        let last = chars.next_back();
        if let (Some(open), Some(close)) = (first, last) {
            if QUOTE_PAIRS.contains(&(open, close)) {
                found.push((Decoration::Quotes(open), Span::new(start, end)));
                start += open.len_utf8();
                end -= close.len_utf8();
                continue;
            }
        }
        // A comma is stray only after a closing quote (`"arn:…",`): role names may end in one.
        let comma_after_quote = |c: char| {
            c == ','
                && inner
                    .get(..inner.len() - 1)
                    .is_some_and(|before| before.trim_end_matches(is_blank).ends_with(is_quote))
        };
        if let Some(close) = inner
            .chars()
            .next_back()
            .filter(|&c| is_quote(c) || c == ';' || comma_after_quote(c))
        {
            found.push((
                Decoration::Stray(close, Side::Trailing),
                Span::new(end - close.len_utf8(), end),
            ));
            end -= close.len_utf8();
            continue;
        }
        if let Some(open) = first.filter(|&c| is_quote(c)) {
            found.push((
                Decoration::Stray(open, Side::Leading),
                Span::new(start, start + open.len_utf8()),
            ));
            start += open.len_utf8();
            continue;
        }
        // Both ends are free of blanks, quotes and strays.
        break;
    }
    let clean = text.get(start..end).unwrap_or("");
    if clean.is_empty() {
        // Nothing but decoration: "the text is empty" says it all.
        found.clear();
    }
    let problems = found
        .into_iter()
        .map(|(decoration, span)| {
            let clean = clean.to_string();
            let problem = match decoration {
                Decoration::Blank(side, what) => ArnProblem::Whitespace { side, what, clean },
                Decoration::Quotes(quote) => ArnProblem::Quotes { quote, clean },
                Decoration::Stray(ch, side) => ArnProblem::StrayCharacter { ch, side, clean },
            };
            InvalidArn { problem, span }
        })
        .collect();
    Trimmed {
        text: clean,
        base: start,
        problems,
    }
}

#[derive(Clone, Copy)]
struct Field<'a> {
    text: &'a str,
    span: Span,
}

#[derive(Clone, Copy)]
enum Part {
    Partition,
    Service,
    Region,
    Resource,
}

/// The six fields of an ARN with their spans in the original text.
struct Fields<'a> {
    all: Span,
    partition: Field<'a>,
    service: Field<'a>,
    region: Field<'a>,
    account: Field<'a>,
    resource: Field<'a>,
}

impl<'a> Fields<'a> {
    fn new(base: usize, parts: [&'a str; 5]) -> Self {
        let mut at = base + "arn:".len();
        let mut next = |text: &'a str| {
            let field = Field {
                text,
                span: Span::new(at, at + text.len()),
            };
            at += text.len() + 1;
            field
        };
        let [partition, service, region, account, resource] = parts.map(&mut next);
        Self {
            all: Span::new(base, resource.span.end),
            partition,
            service,
            region,
            account,
            resource,
        }
    }

    /// The ARN with one field replaced: the exact fix for that field.
    fn with(&self, part: Part, value: &str) -> String {
        let mut fields = [
            self.partition.text,
            self.service.text,
            self.region.text,
            self.account.text,
            self.resource.text,
        ];
        let index = match part {
            Part::Partition => 0,
            Part::Service => 1,
            Part::Region => 2,
            Part::Resource => 4,
        };
        if let Some(slot) = fields.get_mut(index) {
            *slot = value;
        }
        format!("arn:{}", fields.join(":"))
    }

    /// The partition to show in a template: this one when it is valid.
    fn partition_or_default(&self) -> &str {
        match region::partition(self.partition.text) {
            Some(p) => p.name,
            None => "aws",
        }
    }

    /// The account to show in a template: this one when it is 12 digits.
    fn account_or_placeholder(&self) -> &str {
        if is_account_id(self.account.text) {
            self.account.text
        } else {
            "ACCOUNT_ID"
        }
    }

    fn role_template(&self) -> String {
        format!(
            "arn:{}:iam::{}:role/NAME",
            self.partition_or_default(),
            self.account_or_placeholder()
        )
    }
}

/// Splits an ARN into its fields, or says how many `:`-separated fields it has.
fn split(arn_text: &str, base: usize) -> Result<Fields<'_>, usize> {
    match NaiveArn::parse(arn_text) {
        Ok(naive) => Ok(Fields::new(
            base,
            [
                naive.partition,
                naive.service,
                naive.region.unwrap_or(""),
                naive.account_id.unwrap_or(""),
                naive.resource,
            ],
        )),
        // The crate rejects an empty partition, service or resource outright; those are
        // mistakes with names of their own here, so such ARNs are split by hand.
        Err(_) => match arn_text.splitn(6, ':').collect::<Vec<_>>().as_slice() {
            [_, partition, service, region, account, resource] => Ok(Fields::new(
                base,
                [partition, service, region, account, resource],
            )),
            parts => Err(parts.len()),
        },
    }
}

fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

fn is_role_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '=' | ',' | '.' | '@' | '-')
}

fn has_brackets(text: &str) -> bool {
    text.contains(['<', '>', '{', '}', '[', ']', '$'])
}

/// Text a guide or template leaves for the reader to replace (`ACCOUNT_ID`, `<region>`,
/// `YOUR_KEY_ID`, `xxxxxxxxxxxx`). Only for fields whose real values are digits, hex or
/// lower-case words, so that no real value can look like one.
fn is_placeholder(text: &str) -> bool {
    const WORDS: [&str; 9] = [
        "account",
        "acct",
        "your",
        "example",
        "placeholder",
        "region",
        "key_id",
        "key-id",
        "keyid",
    ];
    let lower = text.to_ascii_lowercase();
    has_brackets(text)
        || WORDS.iter().any(|word| lower.contains(word))
        || (text.len() >= 3
            && text
                .chars()
                .all(|c| matches!(c, 'x' | 'X' | '#' | '?' | '-')))
        || (text.contains('_')
            && text
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
}

fn is_lower_hex(text: &str, len: usize) -> bool {
    text.len() == len
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A KMS key id as AWS writes it: a lower-case UUID, or `mrk-` and 32 lower-case hex digits.
pub(crate) fn is_key_id(id: &str) -> bool {
    if let Some(hex) = id.strip_prefix("mrk-") {
        return is_lower_hex(hex, 32);
    }
    let mut groups = id.split('-');
    [8, 4, 4, 4, 12]
        .iter()
        .all(|&len| groups.next().is_some_and(|g| is_lower_hex(g, len)))
        && groups.next().is_none()
}

/// Something meant as a key id, valid or not: `mrk-…`, or hex with the UUID's four dashes, or
/// 32 hex digits.
fn looks_like_key_id(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.starts_with("mrk-")
        || (text.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
            && (text.matches('-').count() == 4 || text.len() == 32))
}

fn strip_prefix_ignore_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        text.get(prefix.len()..)
    } else {
        None
    }
}

fn account_problem(account: &str) -> Option<ArnProblem> {
    let found = account.to_string();
    let all_digits = !account.is_empty() && account.bytes().all(|b| b.is_ascii_digit());
    let fault = if all_digits && account.len() == 12 {
        return DOCUMENTATION_ACCOUNT_IDS
            .contains(&account)
            .then_some(ArnProblem::DocumentationAccountId { found });
    } else if account.is_empty() {
        AccountFault::Empty
    } else if all_digits {
        AccountFault::Length {
            digits: account.len(),
        }
    } else if is_placeholder(account) {
        AccountFault::Placeholder
    } else {
        let digits: String = account.chars().filter(char::is_ascii_digit).collect();
        let separators_only = account
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | ' ' | '.' | '\u{a0}'));
        if separators_only && digits.len() == 12 {
            AccountFault::Separators { digits }
        } else {
            let lookalike = account
                .chars()
                .map(|c| match c {
                    'O' | 'o' => Some('0'),
                    'I' | 'l' => Some('1'),
                    d if d.is_ascii_digit() => Some(d),
                    _ => None,
                })
                .collect::<Option<String>>()
                .filter(|fixed| fixed.len() == 12);
            AccountFault::Character {
                ch: account.chars().find(|c| !c.is_ascii_digit()).unwrap_or('?'),
                lookalike,
            }
        }
    };
    Some(ArnProblem::InvalidAccountId { found, fault })
}

fn check_account(fields: &Fields<'_>, out: &mut Vec<InvalidArn>) {
    if let Some(problem) = account_problem(fields.account.text) {
        out.push(InvalidArn {
            problem,
            span: fields.account.span,
        });
    }
}

fn check_partition(fields: &Fields<'_>, out: &mut Vec<InvalidArn>) {
    let found = fields.partition.text;
    if region::partition(found).is_some() {
        return;
    }
    let lower = found.trim().to_ascii_lowercase();
    let suggestion = region::partition(&lower)
        .map(|p| p.name)
        .or_else(|| region::region_partition(fields.region.text))
        .or_else(|| suggest::best(found, PARTITIONS.iter().map(|p| p.name)));
    out.push(InvalidArn {
        problem: ArnProblem::UnknownPartition {
            found: found.to_string(),
            suggestion,
            fixed: suggestion.map(|p| fields.with(Part::Partition, p)),
        },
        span: fields.partition.span,
    });
}

fn role_name_fault(name: &str) -> Option<RoleNameFault> {
    if name.is_empty() {
        Some(RoleNameFault::Empty)
    } else if has_brackets(name) {
        Some(RoleNameFault::Placeholder)
    } else if let Some(ch) = name.chars().find(|&c| !is_role_name_char(c)) {
        Some(RoleNameFault::Character { ch })
    } else {
        let chars = name.chars().count();
        (chars > 64).then_some(RoleNameFault::TooLong { chars })
    }
}

fn analyze_role(fields: &Fields<'_>, out: &mut Vec<InvalidArn>) -> Option<RoleArn> {
    let service = fields.service.text;
    let resource = fields.resource;
    let (resource_type, rest) = match resource.text.split_once('/') {
        Some((resource_type, rest)) => (resource_type, Some(rest)),
        None => (resource.text, None),
    };
    let iam_like = service.eq_ignore_ascii_case("iam");
    if resource_type == "assumed-role" && (service == "sts" || iam_like) {
        let (role, session) = rest
            .unwrap_or("")
            .split_once('/')
            .unwrap_or((rest.unwrap_or(""), ""));
        out.push(InvalidArn {
            problem: ArnProblem::AssumedRoleSession {
                role: role.to_string(),
                session: session.to_string(),
                role_arn: format!(
                    "arn:{}:iam::{}:role/{role}",
                    fields.partition.text, fields.account.text
                ),
            },
            span: fields.all,
        });
        check_account(fields, out);
        return None;
    }
    if service == "sts" && resource_type == "federated-user" {
        out.push(InvalidArn {
            problem: ArnProblem::NotARole {
                resource: resource.text.to_string(),
                found: IamResource::FederatedUser,
                template: fields.role_template(),
                fixed: None,
            },
            span: resource.span,
        });
        check_account(fields, out);
        return None;
    }
    if service != "iam" {
        out.push(InvalidArn {
            problem: ArnProblem::WrongService {
                found: service.to_string(),
                expected: DocumentKind::RoleArn,
                fixed: iam_like.then(|| fields.with(Part::Service, "iam")),
            },
            span: fields.service.span,
        });
        if !iam_like {
            // Another service's ARN: its account field follows that service's rules.
            return None;
        }
    }
    if !fields.region.text.is_empty() {
        out.push(InvalidArn {
            problem: ArnProblem::RegionInRoleArn {
                region: fields.region.text.to_string(),
                fixed: fields.with(Part::Region, ""),
            },
            span: fields.region.span,
        });
    }
    check_account(fields, out);
    if resource.text.is_empty() {
        out.push(InvalidArn {
            problem: ArnProblem::EmptyResource {
                expected: DocumentKind::RoleArn,
                template: fields.role_template(),
            },
            span: resource.span,
        });
        return None;
    }
    let Some(rest) = rest.filter(|_| resource_type == "role") else {
        let (found, fixed) = match (rest, resource.text.split_once(':')) {
            (Some(rest), _) => {
                let found = IamResource::from_type(resource_type);
                let fixed = (found == IamResource::MisspeltRole)
                    .then(|| fields.with(Part::Resource, &format!("role/{rest}")));
                (found, fixed)
            }
            (None, Some((head, name))) if head.eq_ignore_ascii_case("role") => {
                out.push(InvalidArn {
                    problem: ArnProblem::ResourceForm {
                        found: resource.text.to_string(),
                        expected: DocumentKind::RoleArn,
                        fixed: Some(fields.with(Part::Resource, &format!("role/{name}"))),
                    },
                    span: resource.span,
                });
                return None;
            }
            (None, _) if resource.text == "root" => (IamResource::Root, None),
            (None, _) => (IamResource::Other, None),
        };
        out.push(InvalidArn {
            problem: ArnProblem::NotARole {
                resource: resource.text.to_string(),
                found,
                template: fields.role_template(),
                fixed,
            },
            span: resource.span,
        });
        return None;
    };
    let rest_start = resource.span.start + "role/".len();
    let (inner, name, name_start) = match rest.rsplit_once('/') {
        Some((inner, name)) => (Some(inner), name, rest_start + inner.len() + 1),
        None => (None, rest, rest_start),
    };
    let path = inner.map_or_else(|| "/".to_string(), |inner| format!("/{inner}/"));
    if let Some(fault) = role_name_fault(name) {
        out.push(InvalidArn {
            problem: ArnProblem::InvalidRoleName {
                name: name.to_string(),
                fault,
            },
            span: Span::new(name_start, name_start + name.len()),
        });
    }
    if let Some(inner) = inner {
        let path_fault = if inner.is_empty() {
            Some(RolePathFault::Empty)
        } else if let Some(ch) = inner.chars().find(|c| !('!'..='~').contains(c)) {
            Some(RolePathFault::Character { ch })
        } else {
            let chars = path.chars().count();
            (chars > 512).then_some(RolePathFault::TooLong { chars })
        };
        if let Some(fault) = path_fault {
            let fixed = (fault == RolePathFault::Empty)
                .then(|| fields.with(Part::Resource, &format!("role/{name}")));
            out.push(InvalidArn {
                problem: ArnProblem::InvalidRolePath {
                    path: path.clone(),
                    fault,
                    fixed,
                },
                // From the slash after `role` to the slash before the name.
                span: Span::new(rest_start - 1, name_start),
            });
        }
    }
    Some(RoleArn {
        partition: fields.partition.text.to_string(),
        account: fields.account.text.to_string(),
        path,
        name: name.to_string(),
    })
}

fn region_problem(fields: &Fields<'_>, partition: Option<&Partition>) -> Option<ArnProblem> {
    let found = fields.region.text;
    if partition.is_some_and(|p| p.knows(found)) {
        return None;
    }
    if let Some(region) = region::zone_region(found) {
        return Some(ArnProblem::AvailabilityZone {
            zone: found.to_string(),
            region: region.to_string(),
            fixed: fields.with(Part::Region, region),
        });
    }
    match (region::region_partition(found), partition) {
        (Some(owner), Some(p)) if owner != p.name => Some(ArnProblem::RegionOfOtherPartition {
            region: found.to_string(),
            partition: p.name.to_string(),
            belongs_to: owner,
            fixed: fields.with(Part::Partition, owner),
        }),
        (Some(_), Some(p)) => Some(ArnProblem::UnknownRegion {
            region: found.to_string(),
            partition: p.name,
            suggestion: suggest::best(found, p.regions.iter().copied()),
        }),
        // The partition is reported already; a region cannot be judged against it.
        (Some(_), None) => None,
        (None, _) => {
            let lower = found.trim().to_ascii_lowercase().replace(['_', ' '], "-");
            let suggestion = region::known_regions()
                .find(|r| *r == lower)
                .or_else(|| suggest::best(found, region::known_regions()));
            Some(ArnProblem::InvalidRegion {
                region: found.to_string(),
                suggestion,
                placeholder: is_placeholder(found),
            })
        }
    }
}

fn key_id_fault(id: &str) -> Option<KeyIdFault> {
    if is_key_id(id) {
        return None;
    }
    if id.is_empty() {
        return Some(KeyIdFault::Empty);
    }
    if id.contains('*') {
        return Some(KeyIdFault::Wildcard);
    }
    let lower = id.to_ascii_lowercase();
    if is_placeholder(id) || lower.contains("key") {
        return Some(KeyIdFault::Placeholder);
    }
    if is_key_id(&lower) {
        return Some(KeyIdFault::Uppercase { lower });
    }
    let not_hex = |text: &str| {
        text.chars()
            .find(|c| !c.is_ascii_hexdigit() && *c != '-')
            .map(|ch| KeyIdFault::Character { ch })
    };
    if let Some(rest) = lower.strip_prefix("mrk-") {
        if let Some(fault) = not_hex(id.get(4..).unwrap_or("")) {
            return Some(fault);
        }
        let hex: String = rest.chars().filter(|&c| c != '-').collect();
        if rest.contains('-') && hex.len() == 32 {
            return Some(KeyIdFault::MrkDashes {
                fixed: format!("mrk-{hex}"),
            });
        }
        return Some(KeyIdFault::MrkLength { hex: hex.len() });
    }
    if let Some(fault) = not_hex(id) {
        return Some(fault);
    }
    if !lower.contains('-') && lower.len() == 32 {
        let group = |range: std::ops::Range<usize>| lower.get(range).unwrap_or("");
        return Some(KeyIdFault::NoDashes {
            fixed: format!(
                "{}-{}-{}-{}-{}",
                group(0..8),
                group(8..12),
                group(12..16),
                group(16..20),
                group(20..32)
            ),
        });
    }
    Some(KeyIdFault::Groups {
        lengths: lower.split('-').map(str::len).collect(),
    })
}

fn check_key_id(id: &str, start: usize, out: &mut Vec<InvalidArn>) {
    if let Some(fault) = key_id_fault(id) {
        out.push(InvalidArn {
            problem: ArnProblem::InvalidKeyId {
                id: id.to_string(),
                fault,
            },
            span: Span::new(start, start + id.len()),
        });
    }
}

fn analyze_key(fields: &Fields<'_>, out: &mut Vec<InvalidArn>) -> Option<KeyArn> {
    let service = fields.service.text;
    if service != "kms" {
        let kms_like = service.eq_ignore_ascii_case("kms");
        out.push(InvalidArn {
            problem: ArnProblem::WrongService {
                found: service.to_string(),
                expected: DocumentKind::KeyArn,
                fixed: kms_like.then(|| fields.with(Part::Service, "kms")),
            },
            span: fields.service.span,
        });
        if !kms_like {
            return None;
        }
    }
    let region = fields.region;
    if region.text.is_empty() {
        out.push(InvalidArn {
            problem: ArnProblem::MissingRegion {
                fixed: fields.with(Part::Region, "REGION"),
            },
            span: region.span,
        });
    } else if let Some(problem) = region_problem(fields, region::partition(fields.partition.text)) {
        out.push(InvalidArn {
            problem,
            span: region.span,
        });
    }
    check_account(fields, out);
    let resource = fields.resource;
    let form = |fixed: Option<String>| InvalidArn {
        problem: ArnProblem::ResourceForm {
            found: resource.text.to_string(),
            expected: DocumentKind::KeyArn,
            fixed,
        },
        span: resource.span,
    };
    match resource.text.split_once('/') {
        _ if resource.text.is_empty() => {
            let template = format!(
                "arn:{}:kms:{}:{}:key/KEY_ID",
                fields.partition_or_default(),
                if region.text.is_empty() {
                    "REGION"
                } else {
                    region.text
                },
                fields.account_or_placeholder()
            );
            out.push(InvalidArn {
                problem: ArnProblem::EmptyResource {
                    expected: DocumentKind::KeyArn,
                    template,
                },
                span: resource.span,
            });
            None
        }
        Some(("key", id)) => {
            check_key_id(id, resource.span.start + "key/".len(), out);
            Some(KeyArn {
                partition: fields.partition.text.to_string(),
                region: region.text.to_string(),
                account: fields.account.text.to_string(),
                key_id: id.to_string(),
                multi_region: id.starts_with("mrk-"),
            })
        }
        Some(("alias", _)) => {
            out.push(InvalidArn {
                problem: ArnProblem::AliasArn {
                    alias: resource.text.to_string(),
                    region: if region.text.is_empty() {
                        "REGION".into()
                    } else {
                        region.text.to_string()
                    },
                },
                span: resource.span,
            });
            None
        }
        Some((head, id))
            if head.eq_ignore_ascii_case("key") || head.eq_ignore_ascii_case("keys") =>
        {
            out.push(form(Some(
                fields.with(Part::Resource, &format!("key/{id}")),
            )));
            None
        }
        _ => {
            let id = strip_prefix_ignore_case(resource.text, "key:")
                .or_else(|| looks_like_key_id(resource.text).then_some(resource.text));
            out.push(form(
                id.map(|id| fields.with(Part::Resource, &format!("key/{id}"))),
            ));
            None
        }
    }
}

/// What a text that is not an ARN looks like.
fn classify(text: &str, kind: Option<DocumentKind>) -> Shape {
    let lower = text.to_ascii_lowercase();
    let digits = text.chars().filter(char::is_ascii_digit).count();
    if text.is_empty() {
        Shape::Empty
    } else if lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("console.aws.amazon.com")
    {
        Shape::Url(text.to_string())
    } else if text.starts_with(['{', '[']) {
        Shape::Json
    } else if (10..=14).contains(&digits)
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | ' '))
    {
        Shape::AccountId(text.to_string())
    } else if let Some(name) = strip_prefix_ignore_case(text, "role/") {
        Shape::RoleName(name.to_string())
    } else if lower.starts_with("arn:") {
        let fields: Vec<&str> = text.splitn(6, ':').collect();
        match fields.as_slice() {
            [_, _, service, _, _, _] if !service.is_empty() => Shape::OtherArn {
                service: (*service).to_string(),
            },
            _ => Shape::IncompleteArn(text.to_string()),
        }
    } else if kind != Some(DocumentKind::KeyArn)
        && text.chars().count() <= 64
        && text.chars().all(is_role_name_char)
        && text.chars().any(|c| c.is_ascii_alphabetic())
    {
        Shape::RoleName(text.to_string())
    } else {
        Shape::Text(text.to_string())
    }
}

/// A text of the expected kind that does not start with `arn:`.
fn analyze_non_arn(text: &str, base: usize, kind: DocumentKind, out: &mut Vec<InvalidArn>) {
    let all = Span::new(base, base + text.len());
    if kind == DocumentKind::KeyArn {
        if strip_prefix_ignore_case(text, "alias/").is_some() {
            out.push(InvalidArn {
                problem: ArnProblem::AliasName {
                    alias: text.to_string(),
                },
                span: all,
            });
            return;
        }
        let id = strip_prefix_ignore_case(text, "key/").unwrap_or(text);
        if id.len() < text.len() || looks_like_key_id(id) {
            out.push(InvalidArn {
                problem: ArnProblem::BareKeyId { id: id.to_string() },
                span: all,
            });
            check_key_id(id, all.end - id.len(), out);
            return;
        }
    }
    // An ARN whose `arn:` was lost in copying: `aws:iam::…` or `:aws:iam::…`.
    let candidate = if text.starts_with(':') {
        format!("arn{text}")
    } else {
        format!("arn:{text}")
    };
    if NaiveArn::parse(&candidate).is_ok_and(|naive| region::partition(naive.partition).is_some()) {
        out.push(InvalidArn {
            problem: ArnProblem::MissingPrefix {
                found: text.to_string(),
                fixed: candidate,
            },
            span: all,
        });
        return;
    }
    out.push(InvalidArn {
        problem: ArnProblem::NotAnArn {
            shape: classify(text, Some(kind)),
            expected: Some(kind),
        },
        span: all,
    });
}

/// An `arn:` text with fewer than six fields; recognises the one-colon `iam:` and the missing
/// region of a key ARN.
fn analyze_too_few(
    arn_text: &str,
    base: usize,
    kind: DocumentKind,
    fields: usize,
    out: &mut Vec<InvalidArn>,
) {
    let parts: Vec<&str> = arn_text.split(':').collect();
    let mut fixed = None;
    if let [_, partition, service, account, resource] = parts.as_slice() {
        if is_account_id(account) {
            match (kind, *service) {
                (DocumentKind::RoleArn, "iam" | "sts") => {
                    fixed = Some(format!("arn:{partition}:{service}::{account}:{resource}"));
                }
                (DocumentKind::KeyArn, "kms") => {
                    let at = base + format!("arn:{partition}:{service}:").len();
                    out.push(InvalidArn {
                        problem: ArnProblem::MissingRegion {
                            fixed: format!("arn:{partition}:kms:REGION:{account}:{resource}"),
                        },
                        span: Span::empty(at),
                    });
                    return;
                }
                _ => {}
            }
        }
    }
    out.push(InvalidArn {
        problem: ArnProblem::TooFewFields {
            found: arn_text.to_string(),
            fields,
            expected: kind,
            fixed,
        },
        span: Span::new(base, base + arn_text.len()),
    });
}

/// Checks `text` (already trimmed, starting at `base` in the original) as an ARN of `kind`.
pub(crate) fn analyze(
    text: &str,
    base: usize,
    kind: DocumentKind,
    out: &mut Vec<InvalidArn>,
) -> Option<Parsed> {
    let chars = text.chars().count();
    if chars > MAX_ARN_CHARS {
        out.push(InvalidArn {
            problem: ArnProblem::TooLong { chars },
            span: Span::new(base, base + text.len()),
        });
        return None;
    }
    let lines = text.lines().count();
    if lines > 1 {
        out.push(InvalidArn {
            problem: ArnProblem::MultipleLines { lines },
            span: Span::new(base, base + text.len()),
        });
        return None;
    }
    let owned;
    let arn_text = if text.starts_with("arn:") {
        text
    } else if let Some(rest) = strip_prefix_ignore_case(text, "arn:") {
        owned = format!("arn:{rest}");
        out.push(InvalidArn {
            problem: ArnProblem::UppercasePrefix {
                fixed: owned.clone(),
            },
            span: Span::new(base, base + "arn".len()),
        });
        owned.as_str()
    } else {
        analyze_non_arn(text, base, kind, out);
        return None;
    };
    let fields = match split(arn_text, base) {
        Ok(fields) => fields,
        Err(count) => {
            analyze_too_few(arn_text, base, kind, count, out);
            return None;
        }
    };
    check_partition(&fields, out);
    match kind {
        DocumentKind::KeyArn => analyze_key(&fields, out).map(Parsed::Key),
        _ => analyze_role(&fields, out).map(Parsed::Role),
    }
}

/// Which ARN `text` (already trimmed) is meant to be, from its service or its shape.
pub(crate) fn detect_trimmed(text: &str) -> Option<DocumentKind> {
    let from_service = |service: &str, resource: &str| {
        let by_service = match service.to_ascii_lowercase().as_str() {
            "iam" | "sts" => Some(DocumentKind::RoleArn),
            "kms" => Some(DocumentKind::KeyArn),
            typo if suggest::close(typo, "kms") => Some(DocumentKind::KeyArn),
            typo if suggest::close(typo, "iam") => Some(DocumentKind::RoleArn),
            _ => None,
        };
        // The resource decides only when the service says nothing.
        by_service.or_else(|| {
            if resource.starts_with("role/") || resource.starts_with("assumed-role/") {
                Some(DocumentKind::RoleArn)
            } else if resource.starts_with("key/") || resource.starts_with("alias/") {
                Some(DocumentKind::KeyArn)
            } else {
                None
            }
        })
    };
    let lower = text.to_ascii_lowercase();
    if lower.starts_with("arn:") {
        let parts: Vec<&str> = text.splitn(6, ':').collect();
        return match parts.as_slice() {
            [_, _, service, _, _, resource] => from_service(service, resource),
            [_, _, service, ..] => from_service(service, ""),
            _ => None,
        };
    }
    if lower.starts_with("alias/") || lower.starts_with("key/") || looks_like_key_id(text) {
        return Some(DocumentKind::KeyArn);
    }
    if lower.starts_with("role/") {
        return Some(DocumentKind::RoleArn);
    }
    // An ARN without its `arn:` prefix.
    let parts: Vec<&str> = text.trim_start_matches(':').splitn(5, ':').collect();
    match parts.as_slice() {
        [partition, service, _, _, resource] if region::partition(partition).is_some() => {
            from_service(service, resource)
        }
        _ => None,
    }
}

/// The finding for a text that is neither ARN.
pub(crate) fn not_an_arn(text: &str, base: usize) -> InvalidArn {
    InvalidArn {
        problem: ArnProblem::NotAnArn {
            shape: classify(text, None),
            expected: None,
        },
        span: Span::new(base, base + text.len()),
    }
}
