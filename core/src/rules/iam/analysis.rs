//! The vendor's calls through the BYOK role, and what the IAM policy does to each of them.
//!
//! Every rule of this area asks the evaluator the same questions: the role's session (the
//! vendor assumed the role) calls one KMS action on the CMK, with the request context such a
//! call really carries. The answers are then explained: which statement denies, which
//! condition the call cannot meet, which `Resource` value names something else than the CMK.
//!
//! Some condition keys hold values byokcheck cannot see (the key's tags, the role's tags, the
//! organization, the time): a statement that depends on them is neither counted as granting
//! nor as refusing, so that no error is reported on a guess.

use crate::arn::{parse_key_arn, parse_role_arn, KeyArn};
use crate::catalog::{self, Service};
use crate::eval::{
    self, action_element_matches, condition_holds, resource_element_matches, wildcard_matches,
    PrincipalMode, Request, RequestContext,
};
use crate::generate::BYOK_ACTIONS;
use crate::policy::{Checked, ConditionEntry, Effect, Policy, Statement, Str};
use crate::source::Span;

/// A source address for the vendor's calls. The vendor calls KMS from its own network; an
/// address from a documentation range (RFC 5737) stands for it, so that address conditions
/// naming the customer's networks are not met, as they would not be.
pub(super) const VENDOR_SOURCE_IP: &str = "192.0.2.10";

/// A principal outside the setup, as the grantee of the widest grant the vendor could create.
const OTHER_PRINCIPAL: &str = "arn:aws:iam::444455556666:role/AnyRole";

/// What breaks for the vendor without each of the four actions.
pub(super) fn consequence(action: &str) -> &'static str {
    match action {
        "kms:Encrypt" => "the vendor cannot encrypt new data with the key",
        "kms:Decrypt" => {
            "the vendor cannot read back any data encrypted with the key, and the platform fails at enforcement"
        }
        "kms:GenerateDataKey" => {
            "envelope encryption of each record fails, since every record needs a data key"
        }
        "kms:DescribeKey" => "the console's Test Configuration cannot validate the key",
        _ => "the vendor cannot use the key",
    }
}

/// The KMS actions the console's key-user statement grants (`kms:GenerateDataKey*`,
/// `kms:ReEncrypt*`): cryptographic operations with the same key, which a wildcard may add to
/// the four without being reported as over-broad.
pub(super) fn is_key_use(action: &str) -> bool {
    BYOK_ACTIONS.contains(&action)
        || [
            "kms:GenerateDataKeyPair",
            "kms:GenerateDataKeyPairWithoutPlaintext",
            "kms:GenerateDataKeyWithoutPlaintext",
            "kms:ReEncryptFrom",
            "kms:ReEncryptTo",
        ]
        .contains(&action)
}

/// The KMS actions that let the vendor destroy or lock the key, or hand it to others, with
/// what each lets it do. `kms:DisableKeyRotation` is not among them: it weakens the key's
/// hygiene but neither destroys nor locks it.
pub(super) const DESTRUCTIVE: [(&str, &str); 13] = [
    (
        "kms:ScheduleKeyDeletion",
        "schedule the key for deletion, after which everything encrypted under it is lost",
    ),
    (
        "kms:DisableKey",
        "disable the key, which stops every use of it at once",
    ),
    (
        "kms:PutKeyPolicy",
        "replace the key policy and lock you out of your own key",
    ),
    (
        "kms:DeleteImportedKeyMaterial",
        "delete imported key material, which makes the key unusable",
    ),
    (
        "kms:ImportKeyMaterial",
        "reimport the key material with an expiry date, after which the key is unusable",
    ),
    (
        "kms:CreateGrant",
        "create grants that let any principal use the key outside its key policy",
    ),
    (
        "kms:RevokeGrant",
        "revoke the grants through which AWS services and other principals use the key",
    ),
    (
        "kms:UpdatePrimaryRegion",
        "make a replica in another region the primary of a multi-Region key",
    ),
    (
        "kms:ReplicateKey",
        "replicate a multi-Region key into another region under a key policy of its choosing",
    ),
    (
        "kms:TagResource",
        "change the key's tags, and with them any tag-based access to it",
    ),
    (
        "kms:UntagResource",
        "remove the key's tags, and with them any tag-based access to it",
    ),
    ("kms:UpdateAlias", "point the key's aliases at another key"),
    (
        "kms:DeleteAlias",
        "delete the key's aliases, so that callers naming them fail",
    ),
];

/// An action and a resource of another service, to ask whether a statement grants beyond KMS.
pub(super) const OTHER_SERVICE_ACTION: &str = "s3:GetObject";
pub(super) const OTHER_SERVICE_RESOURCE: &str = "arn:aws:s3:::example-bucket/example-object";

/// `` `a`, `b` and `c` ``.
pub(super) fn list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// What the policy does to the vendor's call of one action on the CMK.
pub(super) enum Outcome<'p> {
    /// Allowed by these statements (by index), and no `Deny` applies.
    Allowed(Vec<usize>),
    /// It depends on values byokcheck cannot see (tags, organization, time).
    Uncertain,
    /// A `Deny` statement applies; `entries` are its conditions, all met by the call (empty
    /// when the statement has none).
    Denied {
        statement: &'p Statement<'p>,
        entries: Vec<&'p ConditionEntry<'p>>,
    },
    /// An `Allow` statement covers the action on the CMK, but the call does not meet these of
    /// its conditions.
    Blocked {
        statement: &'p Statement<'p>,
        entries: Vec<&'p ConditionEntry<'p>>,
    },
    /// No `Allow` statement covers the action on the CMK.
    NotGranted,
}

/// Why a `Resource` value of a statement that lists the action misses the CMK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ResourceFault {
    /// A KMS alias ARN (`arn:aws:kms:R:A:alias/NAME`).
    Alias,
    /// A key ARN of another key; the parts that differ, as `(part, found, expected)`.
    WrongKey(Vec<(&'static str, String, String)>),
    /// Not an ARN (a bare key id, `alias/NAME`): `invalid-resource-arn` reports it.
    NotAnArn,
    /// Anything else (another service's ARN, a `NotResource` that excludes the CMK).
    Other,
}

/// A `Resource` value that misses the CMK, in an `Allow` statement that lists the action.
pub(super) struct Misdirected<'p> {
    pub statement: &'p Statement<'p>,
    /// `None` for a `NotResource` that excludes the CMK.
    pub value: Option<Str<'p>>,
    pub fault: ResourceFault,
}

/// The setup the IAM policy is checked against.
pub(super) struct Setup<'a> {
    pub policy: &'a Policy<'a>,
    /// The CMK ARN as the context gives it (trimmed).
    pub cmk_arn: &'a str,
    pub cmk: KeyArn,
    /// The BYOK role's ARN, when the context gives a valid one.
    pub role_arn: Option<&'a str>,
    /// The account the role's calls come from: the role's, else the CMK's (the BYOK role and
    /// the key live in the customer's account).
    pub caller_account: String,
    /// The request contexts of the vendor's calls, built once: the rules ask for thousands of
    /// evaluations on a large policy, and a context is a dozen owned strings.
    contexts: Contexts,
}

/// The three request contexts a call can have (see [`Setup::request_context`]).
struct Contexts {
    other: RequestContext,
    symmetric: RequestContext,
    create_grant: RequestContext,
}

impl<'a> Setup<'a> {
    /// `None` when the CMK ARN is missing (`context-missing` reports it) or not a key ARN (the
    /// ARN rules report it).
    pub fn new(doc: &Checked<'a>) -> Option<Self> {
        let cmk_arn = doc.context.cmk_arn()?;
        let cmk = parse_key_arn(cmk_arn).ok()?;
        let role = doc
            .context
            .role_arn()
            .and_then(|arn| parse_role_arn(arn).ok().map(|role| (arn, role)));
        let caller_account = role
            .as_ref()
            .map_or_else(|| cmk.account.clone(), |(_, role)| role.account.clone());
        let role_arn = role.map(|(arn, _)| arn);
        let contexts = Contexts {
            other: build_context(&caller_account, &cmk, role_arn, "kms:DescribeKey"),
            symmetric: build_context(&caller_account, &cmk, role_arn, "kms:Decrypt"),
            create_grant: build_context(&caller_account, &cmk, role_arn, "kms:CreateGrant"),
        };
        Some(Self {
            policy: doc.policy,
            cmk_arn,
            cmk,
            role_arn,
            caller_account,
            contexts,
        })
    }

    fn variables(&self) -> bool {
        self.policy.supports_variables()
    }

    /// The resource a call of `action` names: the CMK, or `*` for the KMS actions that take no
    /// resource (`kms:CreateKey`, `kms:ListKeys`...).
    pub fn resource_for(&self, action: &str) -> &'a str {
        match catalog::action(action) {
            Some(known) if known.resource_types.is_empty() => "*",
            _ => self.cmk_arn,
        }
    }

    /// The request context of the vendor's call of `action` through the role.
    pub fn request_context(&self, action: &str) -> &RequestContext {
        match call_class(action) {
            CallClass::Symmetric => &self.contexts.symmetric,
            CallClass::CreateGrant => &self.contexts.create_grant,
            CallClass::Other => &self.contexts.other,
        }
    }

    /// True when the value of condition key `key` in the vendor's call is something byokcheck
    /// cannot know.
    pub fn is_unknowable(&self, key: &str) -> bool {
        let key = key.to_ascii_lowercase();
        const PREFIXES: [&str; 3] = ["aws:resourcetag/", "aws:principaltag/", "kms:recipient"];
        const KEYS: [&str; 22] = [
            "aws:principalorgid",
            "aws:principalorgpaths",
            "aws:resourceorgid",
            "aws:resourceorgpaths",
            "aws:userid",
            "aws:tokenissuetime",
            "aws:currenttime",
            "aws:epochtime",
            "aws:sourceidentity",
            "aws:useragent",
            "aws:referer",
            "aws:multifactorauthage",
            "kms:resourcealiases",
            "kms:keyspec",
            "kms:keyusage",
            "kms:keyorigin",
            "kms:multiregion",
            "kms:multiregionkeytype",
            "kms:primaryregion",
            "kms:customermasterkeyspec",
            "kms:customermasterkeyusage",
            "kms:expirationmodel",
        ];
        PREFIXES.iter().any(|p| key.starts_with(p))
            || KEYS.contains(&key.as_str())
            || (key == "aws:principalarn" && self.role_arn.is_none())
    }

    /// The statement at `index` of the `Statement` array.
    fn statement(&self, index: usize) -> Option<&'a Statement<'a>> {
        self.policy.statements.iter().find(|s| s.index == index)
    }

    /// The `Allow` statements that can grant something (they have `Action` and `Resource`).
    pub fn allow_statements(&self) -> impl Iterator<Item = &'a Statement<'a>> {
        self.policy
            .statements
            .iter()
            .filter(|s| s.effect() == Some(Effect::Allow) && s.action.is_some())
    }

    /// What the policy does to the vendor's call of `action`.
    pub fn outcome(&self, action: &str) -> Outcome<'a> {
        let context = self.request_context(action);
        let resource = self.resource_for(action);
        let request = Request::new(action, resource, context);
        let evaluation = eval::evaluate(self.policy, &request, PrincipalMode::Identity);
        let mut uncertain_deny = false;
        for statement in evaluation
            .denied_by
            .iter()
            .filter_map(|&i| self.statement(i))
        {
            let entries: Vec<&ConditionEntry<'_>> = statement.condition_entries().iter().collect();
            if entries.iter().any(|e| self.is_unknowable(e.key.value)) {
                uncertain_deny = true;
            } else {
                return Outcome::Denied { statement, entries };
            }
        }
        if !evaluation.allowed_by.is_empty() {
            return if uncertain_deny {
                Outcome::Uncertain
            } else {
                Outcome::Allowed(evaluation.allowed_by)
            };
        }
        let variables = self.variables();
        let mut blocked = None;
        for statement in self.allow_statements() {
            let (Some(action_element), Some(resource_element)) =
                (&statement.action, &statement.resource)
            else {
                continue;
            };
            if !action_element_matches(action_element, action)
                || !resource_element_matches(resource_element, &request, variables)
            {
                continue;
            }
            let failing: Vec<&ConditionEntry<'_>> = statement
                .condition_entries()
                .iter()
                .filter(|e| !condition_holds(e, &request, variables))
                .collect();
            let definite: Vec<&ConditionEntry<'_>> = failing
                .into_iter()
                .filter(|e| !self.is_unknowable(e.key.value))
                .collect();
            if definite.is_empty() {
                return Outcome::Uncertain;
            }
            blocked.get_or_insert(Outcome::Blocked {
                statement,
                entries: definite,
            });
        }
        blocked.unwrap_or(Outcome::NotGranted)
    }

    /// The statements that may grant the vendor's call of `action` (an explicit `Deny` that
    /// surely applies empties the list). For the security rules: a statement whose conditions
    /// depend on unknowable values counts as granting only if the evaluation says so.
    pub fn granting(&self, action: &str) -> Vec<&'a Statement<'a>> {
        let context = self.request_context(action);
        let request = Request::new(action, self.resource_for(action), context);
        let evaluation = eval::evaluate(self.policy, &request, PrincipalMode::Identity);
        let surely_denied = evaluation
            .denied_by
            .iter()
            .filter_map(|&i| self.statement(i))
            .any(|s| {
                s.condition_entries()
                    .iter()
                    .all(|e| !self.is_unknowable(e.key.value))
            });
        if surely_denied {
            return Vec::new();
        }
        evaluation
            .allowed_by
            .iter()
            .filter_map(|&i| self.statement(i))
            .collect()
    }

    /// True when `statement` applies to the vendor's call of `action` on `resource`.
    pub fn applies(&self, statement: &Statement<'_>, action: &str, resource: &str) -> bool {
        let context = self.request_context(action);
        let request = Request::new(action, resource, context);
        eval::statement_applies(
            statement,
            &request,
            PrincipalMode::Identity,
            self.variables(),
        )
    }

    /// True when the `Resource` (or `NotResource`) of `statement` covers the CMK for a call
    /// of `action`, whatever its `Action` and conditions say.
    pub fn resource_covers_cmk(&self, statement: &Statement<'_>, action: &str) -> bool {
        let context = self.request_context(action);
        let request = Request::new(action, self.cmk_arn, context);
        statement
            .resource
            .as_ref()
            .is_some_and(|r| resource_element_matches(r, &request, self.variables()))
    }

    /// The `Resource` values that keep `Allow` statements listing `action` from granting it on
    /// the CMK.
    pub fn misdirected(&self, action: &str) -> Vec<Misdirected<'a>> {
        let context = self.request_context(action);
        let request = Request::new(action, self.cmk_arn, context);
        let variables = self.variables();
        let mut found = Vec::new();
        for statement in self.allow_statements() {
            let (Some(action_element), Some(resource_element)) =
                (&statement.action, &statement.resource)
            else {
                continue;
            };
            if !action_element_matches(action_element, action)
                || resource_element_matches(resource_element, &request, variables)
            {
                continue;
            }
            if resource_element.negated {
                found.push(Misdirected {
                    statement,
                    value: None,
                    fault: ResourceFault::Other,
                });
                continue;
            }
            for value in resource_element.values.items.iter() {
                found.push(Misdirected {
                    statement,
                    value: Some(*value),
                    fault: self.resource_fault(value.value),
                });
            }
        }
        found
    }

    /// The `Resource` values that keep one or more of the four actions from the CMK, each
    /// with the actions it explains (the actions no statement grants on the CMK).
    pub fn misdirected_byok(&self) -> Vec<(Misdirected<'a>, Vec<&'static str>)> {
        let mut grouped: Vec<(Misdirected<'a>, Vec<&'static str>)> = Vec::new();
        for action in BYOK_ACTIONS {
            if !matches!(self.outcome(action), Outcome::NotGranted) {
                continue;
            }
            for item in self.misdirected(action) {
                let key = item.value.map(|v| v.span);
                match grouped.iter_mut().find(|(m, _)| {
                    m.value.map(|v| v.span) == key && m.statement.index == item.statement.index
                }) {
                    Some((_, actions)) => actions.push(action),
                    None => grouped.push((item, vec![action])),
                }
            }
        }
        grouped
    }

    /// Why the `Resource` value `value` (which does not match the CMK) misses it.
    fn resource_fault(&self, value: &str) -> ResourceFault {
        if crate::policy::holds_variable_start(value) {
            return ResourceFault::Other;
        }
        let mut fields = value.splitn(6, ':');
        let (Some(arn), Some(partition), Some(service), Some(region), Some(account), Some(rest)) = (
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
        ) else {
            return ResourceFault::NotAnArn;
        };
        if arn != "arn" {
            return ResourceFault::NotAnArn;
        }
        if !wildcard_matches(service, "kms", false) {
            return ResourceFault::Other;
        }
        if rest.starts_with("alias/") {
            return ResourceFault::Alias;
        }
        let Some(key_id) = rest.strip_prefix("key/") else {
            return ResourceFault::Other;
        };
        let cmk = &self.cmk;
        let differences: Vec<(&'static str, String, String)> = [
            ("partition", partition, cmk.partition.as_str()),
            ("region", region, cmk.region.as_str()),
            ("account", account, cmk.account.as_str()),
            ("key id", key_id, cmk.key_id.as_str()),
        ]
        .into_iter()
        .filter(|(_, found, expected)| !wildcard_matches(found, expected, false))
        .map(|(part, found, expected)| (part, found.to_string(), expected.to_string()))
        .collect();
        if differences.is_empty() {
            ResourceFault::Other
        } else {
            ResourceFault::WrongKey(differences)
        }
    }
}

/// The request context of the vendor's call of `action` through the role.
fn build_context(
    caller_account: &str,
    cmk: &KeyArn,
    role_arn: Option<&str>,
    action: &str,
) -> RequestContext {
    let mut context = RequestContext::new()
        .with("kms:CallerAccount", caller_account)
        .with("aws:PrincipalAccount", caller_account)
        .with("aws:PrincipalType", "AssumedRole")
        .with("aws:PrincipalIsAWSService", "false")
        .with("aws:ViaAWSService", "false")
        .with("aws:SecureTransport", "true")
        .with("aws:MultiFactorAuthPresent", "false")
        .with("aws:SourceIp", VENDOR_SOURCE_IP)
        .with("aws:RequestedRegion", cmk.region.as_str())
        .with("aws:ResourceAccount", cmk.account.as_str());
    if let Some(role) = role_arn {
        context.insert("aws:PrincipalArn", [role]);
    }
    let class = call_class(action);
    // The BYOK key is a symmetric encryption key (the guide's "Encrypt and decrypt").
    if class == CallClass::Symmetric {
        context.insert("kms:EncryptionAlgorithm", ["SYMMETRIC_DEFAULT"]);
    }
    if class == CallClass::CreateGrant {
        // The widest grant: made directly, for any operation, to anyone.
        context.insert("kms:GrantIsForAWSResource", ["false"]);
        context.insert(
            "kms:GrantOperations",
            [
                "Decrypt",
                "Encrypt",
                "GenerateDataKey",
                "ReEncryptFrom",
                "ReEncryptTo",
                "CreateGrant",
                "RetireGrant",
                "DescribeKey",
            ],
        );
        context.insert("kms:GranteePrincipal", [OTHER_PRINCIPAL]);
    }
    context
}

/// Which of the three contexts a call of `action` has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CallClass {
    /// The symmetric-key operations: they carry `kms:EncryptionAlgorithm`.
    Symmetric,
    /// `kms:CreateGrant`, with the widest grant's keys.
    CreateGrant,
    Other,
}

fn call_class(action: &str) -> CallClass {
    let starts = |prefix: &str| {
        action
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    if action.eq_ignore_ascii_case("kms:Encrypt")
        || action.eq_ignore_ascii_case("kms:Decrypt")
        || starts("kms:GenerateDataKey")
        || starts("kms:ReEncrypt")
    {
        CallClass::Symmetric
    } else if action.eq_ignore_ascii_case("kms:CreateGrant") {
        CallClass::CreateGrant
    } else {
        CallClass::Other
    }
}

/// True when another rule explains why the condition `entry` fails: an operator IAM does not
/// know (`invalid-condition-operator`), or a misspelt KMS, STS or global key
/// (`unknown-condition-key`).
pub(super) fn explained_elsewhere(entry: &ConditionEntry<'_>) -> bool {
    entry.parsed.is_none()
        || (Service::of(entry.key.value).is_some()
            && !entry.key.value.eq_ignore_ascii_case("aws:ARN")
            && entry.key_info.is_none())
}

/// The span to point at for a statement's `Action` or `NotAction` element, else the statement.
pub(super) fn action_key_span(statement: &Statement<'_>) -> Span {
    statement
        .action
        .as_ref()
        .map_or(statement.span, |a| a.key_span)
}

/// The span of the policy's `Statement` key, else the first character of the policy.
pub(super) fn statement_key_span(policy: &Policy<'_>) -> Span {
    policy
        .statement_key
        .unwrap_or(Span::new(policy.span.start, policy.span.start + 1))
}

#[cfg(test)]
pub(super) mod testing {
    use crate::{Context, DocumentKind, Finding};

    pub const CMK: &str =
        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    /// The findings of rule `code` for an IAM policy checked with [`Context::example`].
    pub fn findings(text: &str, code: &str) -> Vec<Finding> {
        findings_with(text, code, &Context::example())
    }

    pub fn findings_with(text: &str, code: &str, context: &Context) -> Vec<Finding> {
        crate::check(text, DocumentKind::Iam, context)
            .findings
            .into_iter()
            .filter(|f| f.code == code)
            .collect()
    }

    /// A policy of one statement with these `Action`, `Resource` and extra members (JSON).
    pub fn policy(action: &str, resource: &str, extra: &str) -> String {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Sid": "BYOK", "Effect": "Allow", "Action": {action}, "Resource": {resource}{extra}}}]}}"#
        )
    }

    /// The text under a finding's span.
    pub fn under<'t>(text: &'t str, finding: &Finding) -> &'t str {
        &text[finding.span.start..finding.span.end]
    }
}
