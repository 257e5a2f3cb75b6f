//! Whole-setup verification: the setup guide's verification items from any of the three
//! documents plus the context, with the documents checked together.

use serde::{Deserialize, Serialize};

use crate::context::Context;
use crate::finding::{DocumentKind, Finding, Report, Severity};
use crate::json::{self, Json};
use crate::policy::{self, Others, Policy};
use crate::rules::{self, Sink};

/// What `verify_setup` takes. Every part is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetupInput {
    #[serde(default)]
    pub context: Context,
    /// Step 1: the IAM policy attached to the role.
    #[serde(default)]
    pub iam_policy: Option<String>,
    /// Step 2: the role's trust policy.
    #[serde(default)]
    pub trust_policy: Option<String>,
    /// Steps 3-4: the key's policy.
    #[serde(default)]
    pub key_policy: Option<String>,
    /// Whether the IAM policy is attached to the role, when known (the live mode reads it).
    #[serde(default)]
    pub policy_attached: Option<bool>,
}

/// The guide's verification items, plus the ARNs to share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemId {
    IamPolicy,
    PolicyAttachment,
    TrustRelationship,
    KeyPolicy,
    KeyUsers,
    SharedArns,
}

impl ItemId {
    pub const ALL: [ItemId; 6] = [
        ItemId::IamPolicy,
        ItemId::PolicyAttachment,
        ItemId::TrustRelationship,
        ItemId::KeyPolicy,
        ItemId::KeyUsers,
        ItemId::SharedArns,
    ];

    /// The item's name in the setup guide's table.
    pub const fn title(self) -> &'static str {
        match self {
            ItemId::IamPolicy => "IAM Policy",
            ItemId::PolicyAttachment => "Policy Attachment",
            ItemId::TrustRelationship => "Trust Relationship",
            ItemId::KeyPolicy => "KMS Key Policy",
            ItemId::KeyUsers => "Key Users",
            ItemId::SharedArns => "Role ARN and CMK ARN",
        }
    }

    /// What the guide asks to confirm.
    pub const fn verification(self) -> &'static str {
        match self {
            ItemId::IamPolicy => {
                "the IAM policy allows the KMS actions the vendor needs on the CMK"
            }
            ItemId::PolicyAttachment => "the IAM policy is attached to the BYOK role",
            ItemId::TrustRelationship => {
                "only the vendor's service role, presenting the External ID, can assume the role"
            }
            ItemId::KeyPolicy => {
                "the key policy keeps the account-root statement and grants the BYOK role"
            }
            ItemId::KeyUsers => "the BYOK role can use the key for the four KMS actions",
            ItemId::SharedArns => "the Role ARN and CMK ARN to share are well formed and agree",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    Passed,
    Failed,
    NotChecked,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationItem {
    pub id: ItemId,
    pub title: String,
    pub status: ItemStatus,
    /// Why the item has its status, in one sentence.
    pub detail: String,
    /// The findings behind the status (copies of findings in `documents`).
    pub findings: Vec<Finding>,
}

/// One checked input: a policy document or a shared ARN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentReport {
    /// `iam_policy`, `trust_policy`, `key_policy`, `role_arn` or `cmk_arn`.
    pub name: String,
    pub kind: DocumentKind,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupReport {
    pub items: Vec<VerificationItem>,
    pub documents: Vec<DocumentReport>,
}

impl SetupReport {
    /// True when no item failed.
    pub fn passed(&self) -> bool {
        self.items.iter().all(|i| i.status != ItemStatus::Failed)
    }
}

/// Rules about the role's use of the key: their findings go under "Key Users" rather than
/// "KMS Key Policy".
const KEY_USER_RULES: &[&str] = &[
    "K002", // role-cannot-use-key
    "K003", // key-use-only-via-iam
    "K004", // explicit-deny-blocks-role
    "K007", // session-principal
    "K012", // encryption-context-required
    "K013", // network-condition
];

struct Parsed<'a> {
    text: &'a str,
    kind: DocumentKind,
    name: &'static str,
    json: Option<Json<'a>>,
}

/// Verifies any of the three documents and the ARNs against each other and the context.
pub fn verify_setup(input: &SetupInput) -> SetupReport {
    let context = &input.context;
    let inputs = [
        ("iam_policy", DocumentKind::Iam, input.iam_policy.as_deref()),
        (
            "trust_policy",
            DocumentKind::Trust,
            input.trust_policy.as_deref(),
        ),
        ("key_policy", DocumentKind::Key, input.key_policy.as_deref()),
    ];
    let mut sinks: Vec<Sink> = Vec::with_capacity(3);
    let mut parsed: Vec<Parsed<'_>> = Vec::with_capacity(3);
    let arena = bumpalo::Bump::new();
    for (name, kind, text) in inputs {
        let Some(text) = text else { continue };
        let mut sink = Sink::default();
        let json = json::parse(text, &arena, &mut sink);
        sinks.push(sink);
        parsed.push(Parsed {
            text,
            kind,
            name,
            json,
        });
    }
    let policies: Vec<Option<Policy<'_>>> = parsed
        .iter()
        .zip(sinks.iter_mut())
        .map(|(doc, sink)| {
            doc.json
                .as_ref()
                .and_then(|j| policy::parse_policy(j, sink))
        })
        .collect();
    let of_kind = |kind: DocumentKind| {
        parsed
            .iter()
            .zip(&policies)
            .find(|(doc, _)| doc.kind == kind)
            .and_then(|(_, p)| p.as_ref())
    };
    let others = Others {
        iam: of_kind(DocumentKind::Iam),
    };
    let mut documents = Vec::new();
    for ((doc, policy), mut sink) in parsed.iter().zip(&policies).zip(sinks) {
        if let (Some(policy), Some(json)) = (policy, &doc.json) {
            let checked = policy::Checked {
                text: doc.text,
                kind: doc.kind,
                policy,
                context,
                others,
                memo: rules::Memo::new(json, policy),
            };
            rules::run(&checked, &mut sink);
        }
        let report = crate::finish(doc.text, doc.kind, doc.json.as_ref(), sink);
        documents.push(DocumentReport {
            name: doc.name.to_string(),
            kind: doc.kind,
            findings: report.findings,
        });
    }
    for (name, kind, arn) in [
        (
            "role_arn",
            DocumentKind::RoleArn,
            context.role_arn.as_deref(),
        ),
        ("cmk_arn", DocumentKind::KeyArn, context.cmk_arn.as_deref()),
    ] {
        if let Some(arn) = arn {
            let report: Report = crate::check_arn(arn, Some(kind));
            documents.push(DocumentReport {
                name: name.to_string(),
                kind,
                findings: report.findings,
            });
        }
    }
    let items = ItemId::ALL
        .into_iter()
        .map(|id| item(id, input, &documents))
        .collect();
    SetupReport { items, documents }
}

fn item(id: ItemId, input: &SetupInput, documents: &[DocumentReport]) -> VerificationItem {
    let document = |name: &str| documents.iter().find(|d| d.name == name);
    let (sources, missing): (Vec<&DocumentReport>, &str) = match id {
        ItemId::IamPolicy => (
            document("iam_policy").into_iter().collect(),
            "no IAM policy was given",
        ),
        ItemId::TrustRelationship => (
            document("trust_policy").into_iter().collect(),
            "no trust policy was given",
        ),
        ItemId::KeyPolicy | ItemId::KeyUsers => (
            document("key_policy").into_iter().collect(),
            "no key policy was given",
        ),
        ItemId::SharedArns => (
            ["role_arn", "cmk_arn"]
                .into_iter()
                .filter_map(document)
                .collect(),
            "neither the Role ARN nor the CMK ARN was given",
        ),
        ItemId::PolicyAttachment => {
            let (status, detail) = match input.policy_attached {
                Some(true) => (ItemStatus::Passed, "the IAM policy is attached to the role"),
                Some(false) => (ItemStatus::Failed, "the IAM policy is not attached to the role: attach it under the role's Permissions tab"),
                None => (ItemStatus::NotChecked, "attachment is only visible in the AWS account itself, not in the documents"),
            };
            return VerificationItem {
                id,
                title: id.title().to_string(),
                status,
                detail: detail.to_string(),
                findings: Vec::new(),
            };
        }
    };
    if sources.is_empty() {
        return VerificationItem {
            id,
            title: id.title().to_string(),
            status: ItemStatus::NotChecked,
            detail: missing.to_string(),
            findings: Vec::new(),
        };
    }
    let belongs = |f: &Finding| match id {
        ItemId::KeyUsers => KEY_USER_RULES.contains(&f.code.as_str()),
        ItemId::KeyPolicy => !KEY_USER_RULES.contains(&f.code.as_str()),
        _ => true,
    };
    let findings: Vec<Finding> = sources
        .iter()
        .flat_map(|d| d.findings.iter())
        .filter(|f| belongs(f))
        .cloned()
        .collect();
    let (status, detail) = verdict(id, &findings);
    VerificationItem {
        id,
        title: id.title().to_string(),
        status,
        detail,
        findings,
    }
}

/// An item's status and detail from its findings: failed on any error or security warning,
/// not checked when a context part was missing, passed otherwise. `Settings::apply_setup`
/// re-decides items with it after filtering findings.
pub(crate) fn verdict(id: ItemId, findings: &[Finding]) -> (ItemStatus, String) {
    let failing = findings
        .iter()
        .filter(|f| f.severity <= Severity::SecurityWarning)
        .count();
    if failing > 0 {
        return (
            ItemStatus::Failed,
            format!("{failing} finding(s) at error or security-warning level"),
        );
    }
    if let Some(finding) = findings.iter().find(|f| f.name == "context-missing") {
        return (ItemStatus::NotChecked, finding.message.clone());
    }
    let detail = match findings.len() {
        0 => format!("confirmed: {}", id.verification()),
        minor => format!(
            "confirmed: {} ({minor} minor finding(s))",
            id.verification()
        ),
    };
    (ItemStatus::Passed, detail)
}
