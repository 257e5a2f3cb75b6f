//! byokcheck's core: static checks for AWS KMS Bring-Your-Own-Key setups.
//!
//! One function per task, each returning plain serialisable data:
//! [`check`] a document of a kind against a [`Context`], [`verify_setup`] the whole setup,
//! [`check_arn`] a pasted ARN, [`generate`] the documents, [`rules`] and [`rule`] for the rule
//! documentation. No I/O, no async: this crate builds for
//! `wasm32-unknown-unknown` and is wrapped as it is by the CLI, the npm package and the wheel.

pub mod arn;
mod bytescan;
pub mod catalog;
pub mod context;
mod detect;
pub mod eval;
mod finding;
pub mod generate;
mod json;
pub mod policy;
pub(crate) mod rules;
pub mod settings;
pub mod setup;
mod source;
mod suggest;

pub use context::{Context, Instance, INSTANCES};
pub use detect::{detect_kind, Detection};
pub use finding::{DocumentKind, Finding, Report, Severity};
pub use generate::{generate, GenerateInput, GeneratedSetup};
pub use json::{MAX_DOCUMENT_BYTES, MAX_NESTING_DEPTH};
pub use rules::{RuleDocumentation, RuleMeta, RuleSummary};
pub use settings::Settings;
pub use setup::{verify_setup, ItemId, ItemStatus, SetupInput, SetupReport, VerificationItem};
pub use source::{LineIndex, Position, Span};

use rules::{RawFinding, Sink};

/// Misuse of the API (as opposed to a bad policy, which is a finding).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ByokcheckError {
    #[error("unknown rule code `{0}`; `byokcheck rule` lists every rule")]
    UnknownRule(String),
    #[error("invalid `{field}`: {message}")]
    InvalidInput {
        field: &'static str,
        message: String,
    },
}

/// Checks `text` as a document of `kind` against `context`.
///
/// ```
/// use byokcheck_core::{check, Context, DocumentKind};
/// let report = check(r#"{"Statement": []}"#, DocumentKind::Iam, &Context::default());
/// assert!(report.findings.iter().any(|f| f.name == "missing-statement"));
/// ```
pub fn check(text: &str, kind: DocumentKind, context: &Context) -> Report {
    if matches!(kind, DocumentKind::RoleArn | DocumentKind::KeyArn) {
        return check_arn(text, Some(kind));
    }
    json::with_arena(text, |arena| {
        let mut sink = Sink::default();
        let json = json::parse(text, arena, &mut sink);
        check_parsed(text, kind, context, json.as_ref(), sink)
    })
}

/// Detects the kind of `text` (as [`detect_kind`] does) and checks it as that kind, parsing the
/// text once: what `byokcheck check` does for each file without `--kind`.
///
/// ```
/// use byokcheck_core::{check_detecting, detect_kind, Context, DocumentKind};
/// let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}"#;
/// let (detection, report) = check_detecting(text, &Context::default());
/// assert_eq!(detection, detect_kind(text));
/// assert_eq!(detection.kind, DocumentKind::Key);
/// assert_eq!(report.kind, DocumentKind::Key);
/// ```
pub fn check_detecting(text: &str, context: &Context) -> (Detection, Report) {
    json::with_arena(text, |arena| {
        let mut sink = Sink::default();
        let json = json::parse(text, arena, &mut sink);
        let detection = match &json {
            Some(parsed) => detect::detect_json(&parsed.root),
            None => detect::detect_words(text),
        };
        let report = check_parsed(text, detection.kind, context, json.as_ref(), sink);
        (detection, report)
    })
}

/// The policy checks on an already parsed text (`json` is `None` when it did not parse; `sink`
/// holds the parse's findings).
fn check_parsed(
    text: &str,
    kind: DocumentKind,
    context: &Context,
    json: Option<&json::Json<'_>>,
    mut sink: Sink,
) -> Report {
    let Some(json) = json else {
        return finish(text, kind, None, sink);
    };
    if let Some(policy) = policy::parse_policy(json, &mut sink) {
        let checked = policy::Checked {
            text,
            kind,
            policy: &policy,
            context,
            others: policy::Others::default(),
            memo: rules::Memo::new(json, &policy),
        };
        rules::run(&checked, &mut sink);
    }
    finish(text, kind, Some(json), sink)
}

/// Checks a pasted ARN as `as_kind` (a role ARN or a key ARN), or as whichever of the two it
/// looks like when `as_kind` is `None` (or a policy kind). Text that is neither gets
/// `not-an-arn`, in a report of kind `role_arn`. White space and quotes around the ARN are
/// reported and trimmed; positions point into `text` as given.
///
/// ```
/// use byokcheck_core::{check_arn, DocumentKind};
/// let report = check_arn("arn:aws:iam::1234-5678-9012:role/BYOK_Role", None);
/// assert_eq!(report.kind, DocumentKind::RoleArn);
/// let finding = &report.findings[0];
/// assert_eq!(finding.name, "invalid-account-id");
/// assert_eq!(finding.help.as_deref(), Some("write `123456789012`"));
/// assert_eq!((finding.line, finding.column), (1, 14));
/// ```
pub fn check_arn(text: &str, as_kind: Option<DocumentKind>) -> Report {
    let mut sink = Sink::default();
    let kind = crate::arn::check(text, as_kind, &mut sink);
    finish(text, kind, None, sink)
}

/// Every rule, in code order.
pub fn rules() -> Vec<RuleSummary> {
    rules::all().map(|r| r.meta.summary()).collect()
}

/// One rule's documentation, by code (`G101`) or name (`duplicate-key`).
pub fn rule(code_or_name: &str) -> Result<RuleDocumentation, ByokcheckError> {
    rules::all()
        .find(|r| r.meta.code.eq_ignore_ascii_case(code_or_name) || r.meta.name == code_or_name)
        .map(|r| r.meta.documentation())
        .ok_or_else(|| ByokcheckError::UnknownRule(code_or_name.to_string()))
}

/// Resolves positions and pointers once, sorts, and builds the report.
/// Up to this many findings, each in the first 8 KiB, each position is found by scanning the
/// text before it.
const FINDINGS_WITHOUT_INDEX: usize = 4;

pub(crate) fn finish(
    text: &str,
    kind: DocumentKind,
    json: Option<&json::Json<'_>>,
    sink: Sink,
) -> Report {
    if sink.raw.is_empty() {
        return Report {
            kind,
            findings: Vec::new(),
        };
    }
    // Lines only matter up to the last finding: a finding near the top (C001, the first
    // statement) need not index a 200 KB document. With a few findings, scanning the text
    // before each is cheaper than building the index.
    let last = sink.raw.iter().map(|f| f.span.end).max().unwrap_or(0);
    let mut prefix_end = (last + 1).min(text.len());
    while !text.is_char_boundary(prefix_end) {
        prefix_end -= 1;
    }
    let scan_directly = sink.raw.len() <= FINDINGS_WITHOUT_INDEX && prefix_end <= 8 * 1024;
    let index = (!scan_directly).then(|| LineIndex::new(text.get(..prefix_end).unwrap_or(text)));
    let position = |offset| match &index {
        Some(index) => index.position(text, offset),
        None => Position::of(text, offset),
    };
    let mut findings: Vec<Finding> = sink
        .raw
        .into_iter()
        .map(|raw: RawFinding| {
            let start = position(raw.span.start);
            let end = position(raw.span.end);
            Finding {
                code: raw.rule.meta.code.to_string(),
                name: raw.rule.meta.name.to_string(),
                severity: raw.rule.meta.severity,
                message: raw.message,
                pointer: json.map(|j| j.pointer_for(raw.span)).unwrap_or_default(),
                span: raw.span,
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                help: raw.help,
            }
        })
        .collect();
    findings.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.code, &a.message).cmp(&(
            b.span.start,
            b.span.end,
            &b.code,
            &b.message,
        ))
    });
    findings.dedup();
    Report { kind, findings }
}
