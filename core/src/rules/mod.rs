//! The rule registry: every check byokcheck can report, with its documentation.
//!
//! Adding a rule is one file (its `declare_rule!` and check) plus one line in [`RULES`].

use serde::Serialize;

use crate::finding::{DocumentKind, Severity};
use crate::source::Span;

// Declared before `declare_rule!` so that rule files import the macro by path, like any item.
pub(crate) mod analyzer;
pub(crate) mod arn;
pub(crate) mod context;
pub(crate) mod grammar;
pub(crate) mod iam;
pub(crate) mod json;
pub(crate) mod key;
pub(crate) mod names;
pub(crate) mod sink;
pub(crate) mod trust;
pub(crate) mod values;
pub(crate) use sink::Sink;

/// Declares a rule from its doc comment and metadata. The doc comment is kept at run time.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub(crate) static $ident:ident = {
            code: $code:literal,
            name: $name:literal,
            severity: $severity:ident,
            kinds: [$($kind:ident),+ $(,)?],
            check: $check:expr
            $(, needs: $needs:expr)? $(,)?
        };
    ) => {
        $(#[doc = $doc])*
        pub(crate) static $ident: $crate::rules::Rule = $crate::rules::Rule {
            meta: $crate::rules::RuleMeta {
                code: $code,
                name: $name,
                severity: $crate::finding::Severity::$severity,
                kinds: &[$($crate::finding::DocumentKind::$kind),+],
                raw_docs: concat!($($doc, "\n"),*),
            },
            check: $check,
            needs: $crate::rules::first_need(&[$($needs)?]),
        };
    };
}
pub(crate) use declare_rule;

/// What the registry knows of a rule: everything but its check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// Document kinds the rule applies to; the first is the kind its examples are checked as.
    pub kinds: &'static [DocumentKind],
    raw_docs: &'static str,
}

impl RuleMeta {
    /// The rule's documentation as Markdown: What it catches, Why it matters, Bad, Good, How to fix.
    pub fn docs(&self) -> String {
        // Doc comments arrive with the one space after `///` still in front of every line.
        self.raw_docs
            .lines()
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The text of the fenced block under `## {section}`, if the docs have one.
    pub fn example(&self, section: &str) -> Option<String> {
        let docs = self.docs();
        let heading = format!("## {section}");
        let after = docs.split_once(heading.as_str())?.1;
        let after_fence = after.split_once("```")?.1;
        let body = after_fence.split_once('\n')?.1;
        let (block, _) = body.split_once("```")?;
        Some(block.trim_end_matches('\n').to_string())
    }

    /// The context the rule's Bad example is checked with: [`Context::example`] except for
    /// the rules about the context itself, whose Bad example needs a context that is missing
    /// a part or disagrees with itself.
    ///
    /// [`Context::example`]: crate::Context::example
    pub fn bad_example_context(&self) -> crate::Context {
        let example = crate::Context::example();
        match self.name {
            "context-missing" => crate::Context::default(),
            "accounts-disagree" => crate::Context {
                cmk_arn: Some(
                    "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                        .into(),
                ),
                ..example
            },
            "partitions-disagree" => crate::Context {
                role_arn: Some("arn:aws-cn:iam::111122223333:role/BYOK_Role".into()),
                ..example
            },
            _ => example,
        }
    }

    pub fn summary(&self) -> RuleSummary {
        RuleSummary {
            code: self.code,
            name: self.name,
            severity: self.severity,
            kinds: self.kinds.to_vec(),
        }
    }

    pub fn documentation(&self) -> RuleDocumentation {
        RuleDocumentation {
            code: self.code,
            name: self.name,
            severity: self.severity,
            kinds: self.kinds.to_vec(),
            docs: self.docs(),
            bad_example: self.example("Bad"),
            bad_example_context: self.bad_example_context(),
            good_example: self.example("Good"),
        }
    }
}

/// One line of the rule list.
#[derive(Debug, Clone, Serialize)]
pub struct RuleSummary {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub kinds: Vec<DocumentKind>,
}

/// A rule with its documentation, for `byokcheck rule CODE` and the bindings.
#[derive(Debug, Clone, Serialize)]
pub struct RuleDocumentation {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub kinds: Vec<DocumentKind>,
    pub docs: String,
    /// The text of the `## Bad` example: the rule fires on it (checked as `kinds[0]`).
    pub bad_example: Option<String>,
    /// The context the Bad example is checked with (the Good one always uses
    /// [`Context::example`](crate::Context::example)).
    pub bad_example_context: crate::Context,
    /// The text of the `## Good` example: the rule does not fire on it.
    pub good_example: Option<String>,
}

/// A rule: its metadata and, for rules that look at a parsed policy, its check.
/// Rules found while parsing (JSON syntax, duplicate keys, element types) have no check of
/// their own: the parser reports them.
pub struct Rule {
    pub meta: RuleMeta,
    pub(crate) check: Option<PolicyCheck>,
    /// What a document must hold for the check to find anything; `None` for every document.
    pub(crate) needs: Option<Needs>,
}

/// What a rule inspects, when that is only condition operators of one kind: the rule is not
/// run on a document that has none. Most policies hold a few string conditions at most, and
/// each rule passed over saves its call and its walk over every statement's conditions: with
/// the fifteen rules that declare one, 3.5% of a small trust policy's instructions, 1.6% of a
/// typical key policy's. The registry tests hold each declaring rule to it: on documents
/// without what it needs, it finds nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Needs {
    /// An operator of this family, on a condition entry or written with no keys.
    Family(crate::policy::Family),
    /// An operator with `ForAnyValue:` or `ForAllValues:`.
    Qualifier,
}

/// `declare_rule!`'s optional `needs`, as a value a static can hold.
pub(crate) const fn first_need(needs: &[Needs]) -> Option<Needs> {
    match needs {
        [first, ..] => Some(*first),
        [] => None,
    }
}

/// The [`Needs`] a document meets, found in one pass over its conditions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Features(u16);

impl Features {
    const QUALIFIER: u16 = 1 << 15;

    pub(crate) fn of(policy: &crate::policy::Policy<'_>) -> Self {
        let mut bits = 0;
        let mut note = |operator: Option<crate::policy::Operator>| {
            if let Some(operator) = operator {
                bits |= 1 << operator.base.family() as u16;
                if operator.qualifier.is_some() {
                    bits |= Self::QUALIFIER;
                }
            }
        };
        for condition in policy
            .statements
            .iter()
            .filter_map(|s| s.condition.as_ref())
        {
            for entry in &condition.entries {
                note(entry.parsed);
            }
            for operator in &condition.empty_operators {
                note(crate::policy::Operator::parse(operator.value));
            }
        }
        Self(bits)
    }

    pub(crate) fn meets(self, needs: Needs) -> bool {
        let bit = match needs {
            Needs::Family(family) => 1 << family as u16,
            Needs::Qualifier => Self::QUALIFIER,
        };
        self.0 & bit != 0
    }
}

pub(crate) type PolicyCheck = fn(&crate::policy::Checked<'_>, &mut Sink);

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("meta", &self.meta).finish()
    }
}

/// A finding before positions and pointers are resolved.
#[derive(Debug, Clone)]
pub(crate) struct RawFinding {
    pub rule: &'static Rule,
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

/// Every area's rules. Each area keeps its own `RULES` table, one line per rule, in code order;
/// codes are never reused: retire a rule by keeping its line.
static AREAS: &[&[&Rule]] = &[
    json::RULES,
    context::RULES,
    grammar::RULES,
    names::RULES,
    arn::RULES,
    values::RULES,
    trust::RULES,
    iam::RULES,
    key::RULES,
    analyzer::RULES,
];

/// Every rule, in code order.
pub(crate) fn all() -> impl Iterator<Item = &'static Rule> {
    AREAS.iter().flat_map(|area| area.iter().copied())
}

/// Analyses that several rules of an area share, computed at most once per checked document.
#[derive(Debug)]
pub(crate) struct Memo<'a> {
    pub(crate) key: key::KeyMemo<'a>,
    /// See [`crate::json::Json::may_hold_variables`].
    pub(crate) may_hold_variables: bool,
    /// See [`analyzer::resource_arn::resource_arns`].
    pub(crate) resource_arns: std::cell::OnceCell<Vec<analyzer::resource_arn::ResourceArn<'a>>>,
    /// The arena of the document's JSON tree and policy lists, for a check that reads a policy
    /// with its lists rewritten.
    pub(crate) arena: &'a bumpalo::Bump,
    /// Which rules with [`Needs`] can find anything here.
    pub(crate) features: Features,
}

impl<'a> Memo<'a> {
    /// `json` is the document `policy` was read from.
    pub(crate) fn new(json: &crate::json::Json<'a>, policy: &crate::policy::Policy<'_>) -> Self {
        Self {
            key: key::KeyMemo::default(),
            may_hold_variables: json.may_hold_variables,
            resource_arns: std::cell::OnceCell::new(),
            arena: json.arena,
            features: Features::of(policy),
        }
    }
}

/// Runs every policy rule that applies to the document's kind.
pub(crate) fn run(checked: &crate::policy::Checked<'_>, sink: &mut Sink) {
    let features = checked.memo.features;
    for &(check, needs) in checks_for(checked.kind) {
        if needs.is_none_or(|needs| features.meets(needs)) {
            check(checked, sink);
        }
    }
}

/// The checks of the rules that apply to `kind`, in code order, with what each needs, listed
/// once per process rather than filtered from the whole registry for every document.
fn checks_for(kind: crate::DocumentKind) -> &'static [(PolicyCheck, Option<Needs>)] {
    use crate::DocumentKind;
    type Checks = Vec<(PolicyCheck, Option<Needs>)>;
    static TABLE: std::sync::OnceLock<[Checks; 3]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        [DocumentKind::Iam, DocumentKind::Trust, DocumentKind::Key].map(|kind| {
            all()
                .filter(|rule| rule.meta.kinds.contains(&kind))
                .filter_map(|rule| Some((rule.check?, rule.needs)))
                .collect()
        })
    });
    let slot = match kind {
        DocumentKind::Iam => table.first(),
        DocumentKind::Trust => table.get(1),
        DocumentKind::Key => table.get(2),
        // ARNs have their own checks (`crate::arn`), not policy rules.
        DocumentKind::RoleArn | DocumentKind::KeyArn => None,
    };
    slot.map_or(&[], Vec::as_slice)
}

#[cfg(test)]
mod registry_tests;
