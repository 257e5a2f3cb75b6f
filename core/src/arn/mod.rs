//! The two ARNs a customer shares with the vendor: the IAM role ARN and the KMS key ARN.
//!
//! The generic `arn:partition:service:region:account:resource` split comes from the `arn`
//! crate; what makes a role ARN or a key ARN valid, and every mistake people make pasting one,
//! is ours. Two ways in:
//!
//! - [`parse_role_arn`] and [`parse_key_arn`] take the exact ARN and return the typed value or
//!   the first error, for checks that compare ARNs.
//! - `check_arn` (at the crate root) takes whatever was pasted, trims what came along with it,
//!   and reports every mistake as a finding located in the pasted text.
//!
//! ```
//! use byokcheck_core::arn::{parse_key_arn, parse_role_arn};
//! let role = parse_role_arn("arn:aws:iam::210987654321:role/service-role/BYOK_Role").unwrap();
//! assert_eq!((role.path.as_str(), role.name.as_str()), ("/service-role/", "BYOK_Role"));
//! let key = parse_key_arn("arn:aws:kms:us-east-1:210987654321:key/mrk-1234abcd12ab34cd56ef1234567890ab").unwrap();
//! assert!(key.multi_region);
//! let error = parse_role_arn("arn:aws:iam::1234-5678-9012:role/BYOK_Role").unwrap_err();
//! assert_eq!(error.code(), "A004");
//! assert_eq!(error.help().as_deref(), Some("write `123456789012`"));
//! ```

mod analyze;
mod problem;
mod region;
#[cfg(test)]
mod tests;

use std::fmt;
use std::str::FromStr;

pub use problem::{
    AccountFault, ArnProblem, IamResource, KeyIdFault, RoleNameFault, RolePathFault, Shape, Side,
};
pub use region::{is_known_region, partition, region_partition, Partition, PARTITIONS};

use crate::finding::{DocumentKind, Severity};
use crate::rules::Sink;
use crate::source::Span;
use analyze::Parsed;

/// The longest text checked as an ARN. IAM's `arnType` allows 2,048 characters; the longest
/// real role ARN (512-character path, 64-character name) is about 620.
pub const MAX_ARN_CHARS: usize = 2048;

/// Account ids from the AWS documentation: valid in form, but nobody's account.
pub const DOCUMENTATION_ACCOUNT_IDS: [&str; 4] = [
    "123456789012",
    "111122223333",
    "444455556666",
    "000000000000",
];

/// An IAM role ARN: `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`.
///
/// [`fmt::Display`] writes the ARN back exactly as it was parsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RoleArn {
    /// `aws`, `aws-cn`, `aws-us-gov`…
    pub partition: String,
    /// The 12-digit account id.
    pub account: String,
    /// The role path: `/` by default, else `/service-role/` and the like (starts and ends
    /// with `/`).
    pub path: String,
    /// The role name, 1 to 64 characters of `[A-Za-z0-9+=,.@_-]`.
    pub name: String,
}

impl fmt::Display for RoleArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:{}:iam::{}:role{}{}",
            self.partition, self.account, self.path, self.name
        )
    }
}

impl FromStr for RoleArn {
    type Err = InvalidArn;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_role_arn(text)
    }
}

/// A KMS key ARN: `arn:PARTITION:kms:REGION:ACCOUNT:key/KEY_ID`.
///
/// [`fmt::Display`] writes the ARN back exactly as it was parsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeyArn {
    pub partition: String,
    /// The key's region (never empty in a valid key ARN).
    pub region: String,
    /// The 12-digit account id.
    pub account: String,
    /// A lower-case UUID, or `mrk-` and 32 hex digits for a multi-Region key.
    pub key_id: String,
    /// True for a multi-Region key (`mrk-…`): the same key id in every Region it is
    /// replicated to, with ARNs that differ only by region.
    pub multi_region: bool,
}

impl fmt::Display for KeyArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:{}:kms:{}:{}:key/{}",
            self.partition, self.region, self.account, self.key_id
        )
    }
}

impl FromStr for KeyArn {
    type Err = InvalidArn;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_key_arn(text)
    }
}

/// A mistake in an ARN and where it is: `span` is a byte range into the parsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidArn {
    pub problem: ArnProblem,
    pub span: Span,
}

impl InvalidArn {
    /// The rule code (`A004`).
    pub fn code(&self) -> &'static str {
        self.problem.code()
    }

    /// The rule name (`invalid-account-id`).
    pub fn name(&self) -> &'static str {
        self.problem.name()
    }

    pub fn severity(&self) -> Severity {
        self.problem.severity()
    }

    pub fn message(&self) -> String {
        self.problem.message()
    }

    pub fn help(&self) -> Option<String> {
        self.problem.help()
    }

    /// Whether the parse functions reject an ARN with this problem. Warnings (a documentation
    /// account id, a region newer than the built-in list) leave a valid ARN.
    fn is_fatal(&self) -> bool {
        self.severity() == Severity::Error
    }
}

impl fmt::Display for InvalidArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for InvalidArn {}

/// Parses `text` as exactly an ARN of `kind`: nothing around it.
fn parse(text: &str, kind: DocumentKind) -> Result<Parsed, InvalidArn> {
    let trimmed = analyze::trim(text);
    // Exactly the ARN: what check_arn trims with a warning is an error here, so that a parsed
    // value always writes back to its input.
    if let Some(first) = trimmed.problems.into_iter().next() {
        return Err(first);
    }
    let mut problems = Vec::new();
    let parsed = analyze::analyze(text, 0, kind, &mut problems);
    if let Some(first) = problems.into_iter().find(InvalidArn::is_fatal) {
        return Err(first);
    }
    parsed.ok_or_else(|| InvalidArn {
        problem: ArnProblem::NotAnArn {
            shape: Shape::Text(problem::shown(text)),
            expected: Some(kind),
        },
        span: Span::new(0, text.len()),
    })
}

/// Parses a role ARN, returning the first error in it.
///
/// The text must be exactly the ARN (`check_arn` is the lenient one, which trims and
/// warns). Warnings do not fail the parse: a documentation account id (`111122223333`) gives a
/// role ARN all the same.
pub fn parse_role_arn(text: &str) -> Result<RoleArn, InvalidArn> {
    match parse(text, DocumentKind::RoleArn)? {
        Parsed::Role(role) => Ok(role),
        Parsed::Key(_) => Err(InvalidArn {
            problem: ArnProblem::WrongService {
                found: "kms".into(),
                expected: DocumentKind::RoleArn,
                fixed: None,
            },
            span: Span::new(0, text.len()),
        }),
    }
}

/// Parses a KMS key ARN, returning the first error in it. As [`parse_role_arn`]: exactly the
/// ARN, and warnings (a region newer than the built-in list) do not fail the parse.
pub fn parse_key_arn(text: &str) -> Result<KeyArn, InvalidArn> {
    match parse(text, DocumentKind::KeyArn)? {
        Parsed::Key(key) => Ok(key),
        Parsed::Role(_) => Err(InvalidArn {
            problem: ArnProblem::WrongService {
                found: "iam".into(),
                expected: DocumentKind::KeyArn,
                fixed: None,
            },
            span: Span::new(0, text.len()),
        }),
    }
}

/// Which of the two ARNs `text` is meant to be: [`DocumentKind::RoleArn`] for IAM and STS ARNs
/// (a user ARN or an assumed-role session ARN too, so that their findings explain them),
/// [`DocumentKind::KeyArn`] for KMS ARNs, alias ARNs and names, and bare key ids. `None` when
/// it is neither.
///
/// ```
/// use byokcheck_core::{arn::detect, DocumentKind};
/// assert_eq!(detect("arn:aws:sts::210987654321:assumed-role/BYOK_Role/s1"), Some(DocumentKind::RoleArn));
/// assert_eq!(detect("alias/byok"), Some(DocumentKind::KeyArn));
/// assert_eq!(detect("1234abcd-12ab-34cd-56ef-1234567890ab"), Some(DocumentKind::KeyArn));
/// assert_eq!(detect("210987654321"), None);
/// ```
pub fn detect(text: &str) -> Option<DocumentKind> {
    analyze::detect_trimmed(analyze::trim(text).text)
}

/// Checks a pasted ARN, reporting into `sink`; returns the kind it was checked as.
/// `as_kind` forces the kind when it is one of the two ARN kinds; otherwise the kind is
/// detected, and text that is neither gets `not-an-arn` (the report then says `role_arn`).
pub(crate) fn check(text: &str, as_kind: Option<DocumentKind>, sink: &mut Sink) -> DocumentKind {
    let forced = as_kind.filter(|k| matches!(k, DocumentKind::RoleArn | DocumentKind::KeyArn));
    let trimmed = analyze::trim(text);
    let kind = forced.or_else(|| analyze::detect_trimmed(trimmed.text));
    let mut problems = trimmed.problems;
    match kind {
        Some(kind) => {
            analyze::analyze(trimmed.text, trimmed.base, kind, &mut problems);
        }
        None => problems.push(analyze::not_an_arn(trimmed.text, trimmed.base)),
    }
    for found in problems {
        let help = found.help();
        sink.report(found.problem.rule(), found.span, found.message(), help);
    }
    kind.unwrap_or(DocumentKind::RoleArn)
}
