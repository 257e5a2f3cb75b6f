//! The one result contract: every binding serialises these types as they are.

use serde::{Deserialize, Serialize};

use crate::source::Span;

/// IAM Access Analyzer's four finding levels, most severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The document is invalid, or the setup cannot work as the vendor needs.
    Error,
    /// It works, but someone other than intended gets in, or could.
    SecurityWarning,
    /// Allowed, but worth changing.
    Warning,
    /// Style; no effect on access.
    Suggestion,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Error,
        Severity::SecurityWarning,
        Severity::Warning,
        Severity::Suggestion,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::SecurityWarning => "security_warning",
            Severity::Warning => "warning",
            Severity::Suggestion => "suggestion",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a checked text is. A policy element can be right in one kind and wrong in another
/// (a `Principal` is required in a trust policy and an error in an identity policy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// An IAM identity policy (managed or inline), attached to the BYOK role.
    Iam,
    /// A role trust policy (`AssumeRolePolicyDocument`).
    Trust,
    /// A KMS key policy.
    Key,
    /// An IAM role ARN, as a customer pastes it.
    RoleArn,
    /// A KMS key ARN, as a customer pastes it.
    KeyArn,
}

impl DocumentKind {
    pub const POLICIES: [DocumentKind; 3] =
        [DocumentKind::Iam, DocumentKind::Trust, DocumentKind::Key];

    pub const fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Iam => "iam",
            DocumentKind::Trust => "trust",
            DocumentKind::Key => "key",
            DocumentKind::RoleArn => "role_arn",
            DocumentKind::KeyArn => "key_arn",
        }
    }

    pub const fn is_policy(self) -> bool {
        matches!(
            self,
            DocumentKind::Iam | DocumentKind::Trust | DocumentKind::Key
        )
    }

    /// A human name for messages.
    pub const fn describe(self) -> &'static str {
        match self {
            DocumentKind::Iam => "IAM identity policy",
            DocumentKind::Trust => "role trust policy",
            DocumentKind::Key => "KMS key policy",
            DocumentKind::RoleArn => "IAM role ARN",
            DocumentKind::KeyArn => "KMS key ARN",
        }
    }
}

impl std::fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem, located in the original text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable rule code, never reused (`G101`).
    pub code: String,
    /// Kebab-case rule name (`duplicate-key`).
    pub name: String,
    pub severity: Severity,
    /// What was found and what was expected, naming the values.
    pub message: String,
    /// RFC 6901 pointer to the offending element (`/Statement/0/Condition`); `""` is the root.
    pub pointer: String,
    /// Byte range in the original text.
    pub span: Span,
    /// 1-based line of the span's start.
    pub line: usize,
    /// 1-based column (characters) of the span's start.
    pub column: usize,
    pub end_line: usize,
    /// 1-based column of the span's end (exclusive).
    pub end_column: usize,
    /// Exactly what to write instead, when that can be said.
    pub help: Option<String>,
}

/// The findings for one checked text, sorted by position, then by code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub kind: DocumentKind,
    pub findings: Vec<Finding>,
}

impl Report {
    /// True when nothing is at or above `threshold`.
    pub fn passes(&self, threshold: Severity) -> bool {
        self.findings.iter().all(|f| f.severity > threshold)
    }

    /// Counts per severity, in [`Severity::ALL`] order.
    pub fn counts(&self) -> [usize; 4] {
        let mut counts = [0; 4];
        for finding in &self.findings {
            if let Some(slot) = counts.get_mut(finding.severity as usize) {
                *slot += 1;
            }
        }
        counts
    }

    pub fn has(&self, code: &str) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }
}
