//! From the customer's inputs to the documents the setup needs. Everything written here
//! verifies with zero findings (a property test holds it to that).

use serde::{Deserialize, Serialize};

use crate::context::{external_id_problem, Context};
use crate::finding::{DocumentKind, Severity};
use crate::ByokcheckError;

/// The four KMS actions the vendor needs on the key, in the order the setup guide lists them.
pub const BYOK_ACTIONS: [&str; 4] = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:GenerateDataKey",
    "kms:DescribeKey",
];

/// What `generate` needs. The vendor side comes from `instance` unless `service_role_arn` is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenerateInput {
    pub account_id: String,
    pub region: String,
    /// The key id (UUID, or `mrk-` for a multi-Region key), not an alias.
    pub key_id: String,
    pub role_name: String,
    pub external_id: String,
    #[serde(default)]
    pub instance: Option<String>,
    #[serde(default)]
    pub service_role_arn: Option<String>,
}

/// The generated documents and the context they verify against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneratedSetup {
    /// The context to verify these documents with (and to share: `role_arn`, `cmk_arn`).
    pub context: Context,
    /// Step 1: the IAM policy to attach to the role.
    pub iam_policy: String,
    /// Step 2: the role's trust policy.
    pub trust_policy: String,
    /// Step 4: the statement to add to the key's existing policy.
    pub key_policy_statement: String,
    /// A complete key policy: the account-root statement plus the BYOK role statement.
    pub key_policy: String,
}

// Structs rather than `serde_json::json!` so members keep IAM's conventional order
// (Sid, Effect, Principal, Action, Resource, Condition) without serde_json's preserve_order.
#[derive(Serialize)]
struct Document<'a> {
    #[serde(rename = "Version")]
    version: &'a str,
    #[serde(rename = "Statement")]
    statement: Vec<Statement<'a>>,
}

#[derive(Serialize)]
struct Statement<'a> {
    #[serde(rename = "Sid")]
    sid: &'a str,
    #[serde(rename = "Effect")]
    effect: &'a str,
    #[serde(rename = "Principal", skip_serializing_if = "Option::is_none")]
    principal: Option<Principal<'a>>,
    #[serde(rename = "Action")]
    action: Action<'a>,
    #[serde(rename = "Resource", skip_serializing_if = "Option::is_none")]
    resource: Option<&'a str>,
    #[serde(rename = "Condition", skip_serializing_if = "Option::is_none")]
    condition: Option<ExternalIdCondition<'a>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Action<'a> {
    One(&'a str),
    Many(&'a [&'a str]),
}

#[derive(Serialize)]
struct Principal<'a> {
    #[serde(rename = "AWS")]
    aws: &'a str,
}

#[derive(Serialize)]
struct ExternalIdCondition<'a> {
    #[serde(rename = "StringEquals")]
    string_equals: ExternalId<'a>,
}

#[derive(Serialize)]
struct ExternalId<'a> {
    #[serde(rename = "sts:ExternalId")]
    external_id: &'a str,
}

fn invalid(field: &'static str, message: impl Into<String>) -> ByokcheckError {
    ByokcheckError::InvalidInput {
        field,
        message: message.into(),
    }
}

/// The first `error` finding of an ARN built from the inputs, as an input error.
fn validate_arn(field: &'static str, arn: &str, kind: DocumentKind) -> Result<(), ByokcheckError> {
    let report = crate::check_arn(arn, Some(kind));
    match report
        .findings
        .iter()
        .find(|f| f.severity == Severity::Error)
    {
        Some(finding) => Err(invalid(field, format!("`{arn}`: {}", finding.message))),
        None => Ok(()),
    }
}

fn to_json(document: &impl Serialize) -> Result<String, ByokcheckError> {
    serde_json::to_string_pretty(document)
        .map(|mut text| {
            text.push('\n');
            text
        })
        .map_err(|e| invalid("document", e.to_string()))
}

/// Writes the IAM policy, the trust policy, the key-policy statement and a complete key policy.
///
/// Inputs that cannot make a valid setup (an account id that is not 12 digits, an unknown
/// instance, an External ID STS would refuse...) are an [`ByokcheckError::InvalidInput`].
pub fn generate(input: &GenerateInput) -> Result<GeneratedSetup, ByokcheckError> {
    let account = input.account_id.trim();
    let region = input.region.trim();
    let key_id = input.key_id.trim();
    let role_name = input.role_name.trim();
    let external_id = input.external_id.as_str();
    if let Some(problem) = external_id_problem(external_id) {
        return Err(invalid("external_id", problem));
    }
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(
            "account_id",
            format!("`{account}` is not a 12-digit AWS account id"),
        ));
    }
    let partition = crate::arn::region_partition(region).ok_or_else(|| {
        invalid(
            "region",
            format!("`{region}` is not a region of any AWS partition"),
        )
    })?;
    let vendor_role = match (input.service_role_arn.as_deref(), input.instance.as_deref()) {
        (Some(arn), _) => arn.trim().to_string(),
        (None, name) => {
            let name = name.unwrap_or(crate::context::DEFAULT_INSTANCE);
            crate::context::instance(name)
                .ok_or_else(|| {
                    invalid(
                        "instance",
                        format!(
                            "`{name}` is not a known instance; give `service_role_arn` instead"
                        ),
                    )
                })?
                .service_role_arn
                .to_string()
        }
    };
    validate_arn("service_role_arn", &vendor_role, DocumentKind::RoleArn)?;
    // Nothing crosses partitions: a vendor role in `aws` cannot assume a role in `aws-cn`.
    let vendor_partition = vendor_role.split(':').nth(1).unwrap_or_default();
    if vendor_partition != partition {
        return Err(invalid(
            "region",
            format!(
                "`{region}` is in partition `{partition}` but the vendor's service role `{vendor_role}` is in `{vendor_partition}`: ask the vendor for its service role in `{partition}` and give it as `service_role_arn`"
            ),
        ));
    }
    let role_arn = format!("arn:{partition}:iam::{account}:role/{role_name}");
    validate_arn("role_name", &role_arn, DocumentKind::RoleArn)?;
    let cmk_arn = format!("arn:{partition}:kms:{region}:{account}:key/{key_id}");
    validate_arn("key_id", &cmk_arn, DocumentKind::KeyArn)?;
    let root = format!("arn:{partition}:iam::{account}:root");

    let iam_policy = Document {
        version: "2012-10-17",
        statement: vec![Statement {
            sid: "BYOKKeyUse",
            effect: "Allow",
            principal: None,
            action: Action::Many(&BYOK_ACTIONS),
            resource: Some(&cmk_arn),
            condition: None,
        }],
    };
    let trust_policy = Document {
        version: "2012-10-17",
        statement: vec![Statement {
            sid: "AllowVendorServiceRole",
            effect: "Allow",
            principal: Some(Principal { aws: &vendor_role }),
            action: Action::One("sts:AssumeRole"),
            resource: None,
            condition: Some(ExternalIdCondition {
                string_equals: ExternalId { external_id },
            }),
        }],
    };
    let byok_statement = Statement {
        sid: "Allow BYOK role to use the key",
        effect: "Allow",
        principal: Some(Principal { aws: &role_arn }),
        action: Action::Many(&BYOK_ACTIONS),
        resource: Some("*"),
        condition: None,
    };
    let key_policy_statement = to_json(&byok_statement)?;
    let key_policy = Document {
        version: "2012-10-17",
        statement: vec![
            Statement {
                sid: "Enable IAM User Permissions",
                effect: "Allow",
                principal: Some(Principal { aws: &root }),
                action: Action::One("kms:*"),
                resource: Some("*"),
                condition: None,
            },
            byok_statement,
        ],
    };
    Ok(GeneratedSetup {
        context: Context {
            instance: input.instance.clone(),
            service_role_arn: Some(vendor_role.clone()),
            external_id: Some(external_id.to_string()),
            role_arn: Some(role_arn.clone()),
            cmk_arn: Some(cmk_arn.clone()),
        },
        iam_policy: to_json(&iam_policy)?,
        trust_policy: to_json(&trust_policy)?,
        key_policy_statement,
        key_policy: to_json(&key_policy)?,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::setup::{verify_setup, ItemId, ItemStatus, SetupInput};

    fn input() -> GenerateInput {
        GenerateInput {
            account_id: "210987654321".into(),
            region: "eu-west-1".into(),
            key_id: "0b7c5a1e-3f2d-4c8b-9a6e-5d4c3b2a1f0e".into(),
            role_name: "BYOK_Role".into(),
            external_id: "kore-7f3a9c2e-byok".into(),
            instance: Some("platform.kore.ai".into()),
            service_role_arn: None,
        }
    }

    fn setup_of(generated: &GeneratedSetup) -> SetupInput {
        SetupInput {
            context: generated.context.clone(),
            iam_policy: Some(generated.iam_policy.clone()),
            trust_policy: Some(generated.trust_policy.clone()),
            key_policy: Some(generated.key_policy.clone()),
            policy_attached: Some(true),
        }
    }

    #[test]
    fn writes_the_documents_the_guide_describes() {
        let generated = generate(&input()).unwrap();
        assert_eq!(
            generated.context.role_arn.as_deref(),
            Some("arn:aws:iam::210987654321:role/BYOK_Role")
        );
        assert_eq!(
            generated.context.cmk_arn.as_deref(),
            Some("arn:aws:kms:eu-west-1:210987654321:key/0b7c5a1e-3f2d-4c8b-9a6e-5d4c3b2a1f0e")
        );
        let trust: serde_json::Value = serde_json::from_str(&generated.trust_policy).unwrap();
        assert_eq!(
            trust["Statement"][0]["Principal"]["AWS"],
            "arn:aws:iam::358587034707:role/SegBots-Servers-Role"
        );
        assert_eq!(
            trust["Statement"][0]["Condition"]["StringEquals"]["sts:ExternalId"],
            "kore-7f3a9c2e-byok"
        );
        let key: serde_json::Value = serde_json::from_str(&generated.key_policy).unwrap();
        assert_eq!(
            key["Statement"][0]["Principal"]["AWS"],
            "arn:aws:iam::210987654321:root"
        );
        assert_eq!(key["Statement"][1]["Action"].as_array().unwrap().len(), 4);
        // Members keep IAM's conventional order.
        let sid = generated.iam_policy.find("\"Sid\"").unwrap();
        let resource = generated.iam_policy.find("\"Resource\"").unwrap();
        assert!(sid < resource);
    }

    #[test]
    fn partition_follows_the_region() {
        let generated = generate(&GenerateInput {
            region: "cn-north-1".into(),
            instance: None,
            service_role_arn: Some("arn:aws-cn:iam::210987654321:role/VendorService".into()),
            ..input()
        })
        .unwrap();
        assert!(generated
            .context
            .cmk_arn
            .unwrap()
            .starts_with("arn:aws-cn:kms:cn-north-1:"));
        assert!(generated
            .key_policy
            .contains("arn:aws-cn:iam::210987654321:root"));
    }

    #[test]
    fn refuses_inputs_that_cannot_make_a_setup() {
        let cases = [
            (
                GenerateInput {
                    account_id: "2109-8765-4321".into(),
                    ..input()
                },
                "account_id",
            ),
            (
                GenerateInput {
                    region: "us-east-1a".into(),
                    ..input()
                },
                "region",
            ),
            (
                GenerateInput {
                    key_id: "alias/byok".into(),
                    ..input()
                },
                "key_id",
            ),
            (
                GenerateInput {
                    external_id: "x".into(),
                    ..input()
                },
                "external_id",
            ),
            (
                GenerateInput {
                    instance: Some("nowhere.example".into()),
                    ..input()
                },
                "instance",
            ),
            (
                GenerateInput {
                    role_name: "has space".into(),
                    ..input()
                },
                "role_name",
            ),
            (
                GenerateInput {
                    region: "cn-north-1".into(),
                    ..input()
                },
                "region",
            ),
        ];
        for (case, field) in cases {
            match generate(&case) {
                Err(ByokcheckError::InvalidInput {
                    field: got,
                    message,
                }) => {
                    assert_eq!(got, field, "{case:?}: {message}");
                    assert!(!message.is_empty());
                }
                other => panic!("{case:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn generated_setup_verifies_clean() {
        let generated = generate(&input()).unwrap();
        let report = verify_setup(&setup_of(&generated));
        for document in &report.documents {
            assert_eq!(document.findings, vec![], "{}", document.name);
        }
        for item in report.items.iter() {
            assert_eq!(
                item.status,
                ItemStatus::Passed,
                "{:?}: {}",
                item.id,
                item.detail
            );
        }
        assert!(report.items.iter().any(|i| i.id == ItemId::KeyUsers));
    }

    fn edit(text: &str, change: impl Fn(&mut serde_json::Value)) -> String {
        let mut value: serde_json::Value = serde_json::from_str(text).unwrap();
        change(&mut value);
        serde_json::to_string_pretty(&value).unwrap()
    }

    /// Realistic single mistakes, each applied to a clean generated setup: the verification must
    /// report it under the rule that names it.
    #[test]
    fn each_realistic_mistake_fails_under_its_code() {
        let clean = setup_of(&generate(&input()).unwrap());
        let cmk = clean.context.cmk_arn.clone().unwrap();
        type Mistake = (&'static str, &'static str, Box<dyn Fn(&mut SetupInput)>);
        let mistakes: Vec<Mistake> = vec![
            (
                "console External ID one character off",
                "T002",
                Box::new(|s: &mut SetupInput| {
                    s.context.external_id = Some("kore-7f3a9c2e-byoq".into());
                }),
            ),
            (
                "trust policy without the External ID condition",
                "T004",
                Box::new(|s: &mut SetupInput| {
                    s.trust_policy = Some(edit(s.trust_policy.as_deref().unwrap(), |v| {
                        v["Statement"][0]
                            .as_object_mut()
                            .unwrap()
                            .remove("Condition");
                    }));
                }),
            ),
            (
                "the vendor's account root instead of its role",
                "T013",
                Box::new(|s: &mut SetupInput| {
                    s.trust_policy = Some(edit(s.trust_policy.as_deref().unwrap(), |v| {
                        v["Statement"][0]["Principal"]["AWS"] =
                            "arn:aws:iam::358587034707:root".into();
                    }));
                }),
            ),
            (
                "kms:Decrypt dropped from the IAM policy",
                "I001",
                Box::new(|s: &mut SetupInput| {
                    s.iam_policy = Some(edit(s.iam_policy.as_deref().unwrap(), |v| {
                        v["Statement"][0]["Action"]
                            .as_array_mut()
                            .unwrap()
                            .retain(|a| a != "kms:Decrypt");
                    }));
                }),
            ),
            (
                "the key's alias ARN as the IAM policy's resource",
                "I003",
                Box::new(|s: &mut SetupInput| {
                    s.iam_policy = Some(edit(s.iam_policy.as_deref().unwrap(), |v| {
                        v["Statement"][0]["Resource"] =
                            "arn:aws:kms:eu-west-1:210987654321:alias/byok".into();
                    }));
                }),
            ),
            (
                "the key ARN of another region in the IAM policy",
                "I004",
                Box::new(move |s: &mut SetupInput| {
                    let other = cmk.replace("eu-west-1", "eu-west-2");
                    s.iam_policy = Some(edit(s.iam_policy.as_deref().unwrap(), |v| {
                        v["Statement"][0]["Resource"] = other.clone().into();
                    }));
                }),
            ),
            (
                "the account-root statement removed from the key policy",
                "K001",
                Box::new(|s: &mut SetupInput| {
                    s.key_policy = Some(edit(s.key_policy.as_deref().unwrap(), |v| {
                        v["Statement"].as_array_mut().unwrap().remove(0);
                    }));
                }),
            ),
            (
                "the BYOK role's statement removed from the key policy",
                "K003",
                Box::new(|s: &mut SetupInput| {
                    s.key_policy = Some(edit(s.key_policy.as_deref().unwrap(), |v| {
                        v["Statement"].as_array_mut().unwrap().remove(1);
                    }));
                }),
            ),
            (
                "a public principal on the key",
                "K005",
                Box::new(|s: &mut SetupInput| {
                    s.key_policy = Some(edit(s.key_policy.as_deref().unwrap(), |v| {
                        v["Statement"][1]["Principal"] = "*".into();
                    }));
                }),
            ),
        ];
        for (what, code, mistake) in mistakes {
            let mut setup = clean.clone();
            mistake(&mut setup);
            let report = verify_setup(&setup);
            let codes: Vec<&str> = report
                .documents
                .iter()
                .flat_map(|d| d.findings.iter().map(|f| f.code.as_str()))
                .collect();
            assert!(
                codes.contains(&code),
                "{what}: expected {code}, got {codes:?}"
            );
        }
    }

    // Regions of the vendor's partition (`aws`): the others are refused, see above.
    const REGIONS: [&str; 6] = [
        "us-east-1",
        "eu-central-1",
        "ap-southeast-2",
        "sa-east-1",
        "ca-west-1",
        "il-central-1",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn every_generated_setup_verifies_with_zero_findings(
            account in "[1-9][0-9]{11}",
            region in proptest::sample::select(REGIONS.to_vec()),
            uuid in "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
            mrk in "[0-9a-f]{32}",
            multi_region in any::<bool>(),
            role_name in "[A-Za-z0-9+=,.@_-]{1,64}",
            external_id in "[A-Za-z0-9_+=,.@:/-]{2,64}",
        ) {
            prop_assume!(!["111122223333", "123456789012", "444455556666"].contains(&account.as_str()));
            let key_id = if multi_region { format!("mrk-{mrk}") } else { uuid };
            let generated = generate(&GenerateInput {
                account_id: account,
                region: region.to_string(),
                key_id,
                role_name,
                external_id,
                instance: None,
                service_role_arn: None,
            }).unwrap();
            let report = verify_setup(&setup_of(&generated));
            for document in &report.documents {
                prop_assert_eq!(&document.findings, &vec![], "{}", document.name);
            }
            prop_assert!(report.passed());
        }
    }
}
