//! The step logic over a scripted fake of the `Aws` seam: each judgement on its own, without a
//! server. The end-to-end proof against moto's server is in `tests/live/`.

use std::cell::Cell;
use std::time::Duration;

use byokcheck_core::{generate, GenerateInput, Settings};

use super::aws::{
    Aws, AwsError, AwsResult, CallerIdentity, DataKey, EncryptionContext, Failure, KeyMetadata,
    KmsSession, PolicySource, Role, RolePolicy, Secret,
};
use super::steps::{run, Outcome, Plan, StepStatus};

const ACCOUNT: &str = "111122223333";
const KEY_ID: &str = "1234abcd-12ab-34cd-56ef-1234567890ab";
const EXTERNAL_ID: &str = "kore-7f3a9c2e-byok";

fn key_arn() -> String {
    format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/{KEY_ID}")
}

fn role_arn() -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/BYOK_Role")
}

/// A correct setup; tests change what they break.
#[derive(Clone)]
struct Fake {
    identity: AwsResult<CallerIdentity>,
    role: AwsResult<Role>,
    policies: AwsResult<Vec<RolePolicy>>,
    key: AwsResult<KeyMetadata>,
    key_policy: AwsResult<String>,
    rotation: AwsResult<bool>,
    /// Answers to AssumeRole with the right External ID, without one, with a wrong one.
    assume_right: AwsResult<()>,
    assume_none: AwsResult<()>,
    assume_wrong: AwsResult<()>,
    /// AccessDenied this many times before the first KMS call of the session succeeds.
    denials_before_success: u32,
    encrypt: AwsResult<()>,
    decrypt_tampers: bool,
}

fn denied(code: &str) -> AwsError {
    AwsError::service(code, "User: x is not authorized to perform: sts:AssumeRole")
}

impl Fake {
    fn correct() -> Self {
        let setup = generate(&GenerateInput {
            account_id: ACCOUNT.into(),
            region: "us-east-1".into(),
            key_id: KEY_ID.into(),
            role_name: "BYOK_Role".into(),
            external_id: EXTERNAL_ID.into(),
            instance: None,
            service_role_arn: None,
        })
        .unwrap_or_else(|e| panic!("generate: {e}"));
        Self {
            identity: Ok(CallerIdentity {
                account: ACCOUNT.into(),
                arn: format!("arn:aws:iam::{ACCOUNT}:user/admin"),
            }),
            role: Ok(Role {
                arn: role_arn(),
                trust_policy: setup.trust_policy,
            }),
            policies: Ok(vec![RolePolicy {
                source: PolicySource::Managed {
                    arn: format!("arn:aws:iam::{ACCOUNT}:policy/BYOK_Policy"),
                    version: "v1".into(),
                },
                document: setup.iam_policy,
            }]),
            key: Ok(KeyMetadata {
                arn: key_arn(),
                enabled: true,
                key_state: Some("Enabled".into()),
                key_spec: Some("SYMMETRIC_DEFAULT".into()),
                key_usage: Some("ENCRYPT_DECRYPT".into()),
                origin: Some("AWS_KMS".into()),
                key_manager: Some("CUSTOMER".into()),
                multi_region: Some(false),
                deletion_date: None,
            }),
            key_policy: Ok(setup.key_policy),
            rotation: Ok(true),
            assume_right: Ok(()),
            assume_none: Err(denied("AccessDenied")),
            assume_wrong: Err(denied("AccessDenied")),
            denials_before_success: 0,
            encrypt: Ok(()),
            decrypt_tampers: false,
        }
    }
}

struct FakeAws {
    fake: Fake,
    denials_left: Cell<u32>,
    calls: Cell<u32>,
}

struct FakeSession<'a> {
    aws: &'a FakeAws,
}

impl FakeSession<'_> {
    fn gate(&self) -> AwsResult<()> {
        let left = self.aws.denials_left.get();
        if left > 0 {
            self.aws.denials_left.set(left - 1);
            return Err(AwsError::service(
                "AccessDeniedException",
                "no resource-based policy allows the kms:DescribeKey action",
            ));
        }
        Ok(())
    }
}

/// XOR with a constant: enough for a round trip that must give back its input.
fn scramble(bytes: &[u8]) -> Vec<u8> {
    bytes.iter().map(|b| b ^ 0x5a).collect()
}

impl KmsSession for FakeSession<'_> {
    async fn describe_key(&self, _key_id: &str) -> AwsResult<KeyMetadata> {
        self.gate()?;
        self.aws.fake.key.clone()
    }

    async fn generate_data_key(&self, _: &str, _: &EncryptionContext) -> AwsResult<DataKey> {
        self.gate()?;
        let plaintext = vec![7u8; 32];
        Ok(DataKey {
            ciphertext: scramble(&plaintext),
            plaintext: Secret(plaintext),
        })
    }

    async fn encrypt(
        &self,
        _: &str,
        plaintext: &Secret,
        _: &EncryptionContext,
    ) -> AwsResult<Vec<u8>> {
        self.gate()?;
        self.aws.fake.encrypt.clone()?;
        Ok(scramble(&plaintext.0))
    }

    async fn decrypt(
        &self,
        _: &str,
        ciphertext: &[u8],
        _: &EncryptionContext,
    ) -> AwsResult<Secret> {
        self.gate()?;
        let mut plaintext = scramble(ciphertext);
        if self.aws.fake.decrypt_tampers {
            plaintext.push(0);
        }
        Ok(Secret(plaintext))
    }
}

impl Aws for FakeAws {
    type Session = FakeSession<'static>;

    async fn caller_identity(&self) -> AwsResult<CallerIdentity> {
        self.calls.set(self.calls.get() + 1);
        self.fake.identity.clone()
    }
    async fn get_role(&self, _: &str) -> AwsResult<Role> {
        self.calls.set(self.calls.get() + 1);
        self.fake.role.clone()
    }
    async fn role_policies(&self, _: &str) -> AwsResult<Vec<RolePolicy>> {
        self.fake.policies.clone()
    }
    async fn describe_key(&self, _: &str) -> AwsResult<KeyMetadata> {
        self.fake.key.clone()
    }
    async fn key_policy(&self, _: &str) -> AwsResult<String> {
        self.fake.key_policy.clone()
    }
    async fn key_rotation_enabled(&self, _: &str) -> AwsResult<bool> {
        self.fake.rotation.clone()
    }
    async fn assume_role(&self, _: &str, external_id: Option<&str>) -> AwsResult<Self::Session> {
        let answer = match external_id {
            Some(EXTERNAL_ID) => &self.fake.assume_right,
            Some(_) => &self.fake.assume_wrong,
            None => &self.fake.assume_none,
        };
        answer.clone()?;
        // The fake lives for the whole test: leaking one per test keeps the session type simple.
        let aws: &'static FakeAws = Box::leak(Box::new(FakeAws {
            fake: self.fake.clone(),
            denials_left: Cell::new(self.denials_left.get()),
            calls: Cell::new(0),
        }));
        self.denials_left.set(0);
        Ok(FakeSession { aws })
    }
}

fn plan(assume: bool, wait: Duration) -> Plan {
    let context = byokcheck_core::Context {
        instance: Some("platform.kore.ai".into()),
        external_id: Some(EXTERNAL_ID.into()),
        role_arn: Some(role_arn()),
        cmk_arn: Some(key_arn()),
        ..Default::default()
    };
    Plan {
        role: role_arn().parse().unwrap_or_else(|e| panic!("{e:?}")),
        key: key_arn().parse().unwrap_or_else(|e| panic!("{e:?}")),
        role_arn_text: role_arn(),
        key_arn_text: key_arn(),
        external_id: EXTERNAL_ID.into(),
        context,
        settings: Settings::default(),
        assume,
        wait,
        first_backoff: Duration::from_millis(1),
        endpoint: "http://127.0.0.1:1".into(),
        timeout_secs: 2,
        wrong_external_id: "byokcheck-wrong-0011223344556677".into(),
        test_value: Secret(vec![1, 2, 3, 4, 5, 6, 7, 8]),
    }
}

fn run_fake(fake: Fake, plan: &Plan) -> (Outcome, Vec<String>, u32) {
    let aws = FakeAws {
        denials_left: Cell::new(fake.denials_before_success),
        fake,
        calls: Cell::new(0),
    };
    let mut notes = Vec::new();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let outcome = runtime.block_on(run(&aws, plan, &mut |note: &str| {
        notes.push(note.to_string())
    }));
    (outcome, notes, aws.calls.get())
}

fn status(outcome: &Outcome, id: &str) -> StepStatus {
    outcome
        .steps
        .iter()
        .find(|s| s.id == id)
        .map(|s| s.status)
        .unwrap_or_else(|| panic!("no step {id}"))
}

fn step<'o>(outcome: &'o Outcome, id: &str) -> &'o super::steps::StepRow {
    outcome
        .steps
        .iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("no step {id}"))
}

fn failed(outcome: &Outcome) -> Vec<&'static str> {
    outcome
        .steps
        .iter()
        .filter(|s| s.status == StepStatus::Failed)
        .map(|s| s.id)
        .collect()
}

#[test]
fn a_correct_setup_passes_every_step_in_order() {
    let (outcome, notes, _) = run_fake(Fake::correct(), &plan(true, Duration::ZERO));
    let ids: Vec<&str> = outcome.steps.iter().map(|s| s.id).collect();
    let expected: Vec<&str> = super::steps::ALL.iter().map(|d| d.id).collect();
    assert_eq!(ids, expected);
    assert!(
        outcome.steps.iter().all(|s| s.status == StepStatus::Passed),
        "{:#?}",
        outcome.steps
    );
    assert!(!outcome.halted && notes.is_empty());
    let documents: Vec<&str> = outcome.documents.iter().map(|d| d.name).collect();
    assert_eq!(documents, ["iam_policy", "trust_policy", "key_policy"]);
}

#[test]
fn without_assume_the_assume_steps_are_skipped_and_say_how_to_ask() {
    let (outcome, _, _) = run_fake(Fake::correct(), &plan(false, Duration::ZERO));
    for id in ["assume_role", "decrypt", "assume_without_external_id"] {
        assert_eq!(status(&outcome, id), StepStatus::Skipped);
        assert!(step(&outcome, id).detail.contains("--assume"));
    }
    assert!(failed(&outcome).is_empty());
}

#[test]
fn key_states_fail_the_key_step_with_the_command_that_fixes_them() {
    for (state, enabled, fix) in [
        ("Disabled", false, "enable-key"),
        ("PendingDeletion", false, "cancel-key-deletion"),
        ("PendingImport", false, "import-key-material"),
    ] {
        let mut fake = Fake::correct();
        if let Ok(key) = &mut fake.key {
            key.key_state = Some(state.into());
            key.enabled = enabled;
            key.deletion_date = Some("2027-01-01T00:00:00Z".into());
        }
        let (outcome, _, _) = run_fake(fake, &plan(false, Duration::ZERO));
        assert_eq!(failed(&outcome), ["key"], "{state}");
        let row = step(&outcome, "key");
        assert!(row.detail.contains(state), "{row:?}");
        assert!(
            row.fix.as_deref().unwrap_or_default().contains(fix),
            "{row:?}"
        );
    }
}

#[test]
fn asymmetric_signing_and_aws_managed_keys_are_refused() {
    type Edit = fn(&mut KeyMetadata);
    let cases: [(Edit, &str); 4] = [
        (
            |k| k.key_spec = Some("RSA_2048".into()),
            "SYMMETRIC_DEFAULT",
        ),
        (
            |k| k.key_usage = Some("GENERATE_VERIFY_MAC".into()),
            "ENCRYPT_DECRYPT",
        ),
        (|k| k.key_manager = Some("AWS".into()), "AWS managed"),
        (
            |k| k.arn = k.arn.replace("us-east-1", "eu-west-1"),
            "eu-west-1",
        ),
    ];
    for (edit, expected) in cases {
        let mut fake = Fake::correct();
        if let Ok(key) = &mut fake.key {
            edit(key);
        }
        let (outcome, _, _) = run_fake(fake, &plan(false, Duration::ZERO));
        assert_eq!(failed(&outcome), ["key"]);
        assert!(
            step(&outcome, "key").detail.contains(expected),
            "{:?}",
            step(&outcome, "key")
        );
    }
}

#[test]
fn a_missing_key_or_role_is_explained() {
    let mut fake = Fake::correct();
    fake.key = Err(AwsError::service(
        "NotFoundException",
        "Key 'x' does not exist",
    ));
    let (outcome, _, _) = run_fake(fake, &plan(false, Duration::ZERO));
    let row = step(&outcome, "key");
    assert_eq!(row.error_code.as_deref(), Some("NotFoundException"));
    assert!(row
        .cause
        .as_deref()
        .unwrap_or_default()
        .contains("another region"));

    let mut fake = Fake::correct();
    fake.role = Err(AwsError::service(
        "NoSuchEntity",
        "The role with name BYOK_Role cannot be found.",
    ));
    let (outcome, _, _) = run_fake(fake, &plan(false, Duration::ZERO));
    assert_eq!(failed(&outcome), ["role"]);
    // Without the trust policy, the static checks still run on what was read.
    assert_eq!(status(&outcome, "static_checks"), StepStatus::Passed);
}

#[test]
fn a_role_without_policies_fails_and_the_attachment_item_fails_too() {
    let mut fake = Fake::correct();
    fake.policies = Ok(Vec::new());
    let (outcome, _, _) = run_fake(fake, &plan(false, Duration::ZERO));
    assert_eq!(failed(&outcome), ["role_policies", "static_checks"]);
    let report = outcome.setup.unwrap_or_else(|| panic!("no report"));
    let attachment = report
        .items
        .iter()
        .find(|i| i.id == byokcheck_core::ItemId::PolicyAttachment)
        .map(|i| i.status);
    assert_eq!(attachment, Some(byokcheck_core::ItemStatus::Failed));
}

#[test]
fn the_static_checks_locate_problems_in_the_deployed_trust_policy() {
    let mut fake = Fake::correct();
    if let Ok(role) = &mut fake.role {
        let value: serde_json::Value = serde_json::from_str(&role.trust_policy).unwrap_or_default();
        let mut value = value;
        if let Some(statement) = value.pointer_mut("/Statement/0") {
            if let Some(object) = statement.as_object_mut() {
                object.remove("Condition");
            }
        }
        role.trust_policy = serde_json::to_string_pretty(&value).unwrap_or_default();
    }
    fake.assume_none = Ok(());
    let (outcome, _, _) = run_fake(fake, &plan(true, Duration::ZERO));
    assert_eq!(
        failed(&outcome),
        ["static_checks", "assume_without_external_id"]
    );
    let report = outcome
        .setup
        .as_ref()
        .unwrap_or_else(|| panic!("no report"));
    let trust = report.documents.iter().find(|d| d.name == "trust_policy");
    let codes: Vec<&str> = trust
        .map(|d| d.findings.iter().map(|f| f.code.as_str()).collect())
        .unwrap_or_default();
    assert!(codes.contains(&"T004"), "{codes:?}");
    let probe = step(&outcome, "assume_without_external_id");
    assert!(probe.detail.starts_with("SECURITY"), "{probe:?}");
    assert!(probe
        .cause
        .as_deref()
        .unwrap_or_default()
        .contains("does not require sts:ExternalId"));
    let cause = probe.cause.as_deref().unwrap_or_default();
    assert!(
        cause.contains("/Statement/0") && cause.contains("T004"),
        "{cause}"
    );
    let fix = probe.fix.as_deref().unwrap_or_default();
    assert!(fix.contains("sts:ExternalId"), "{fix}");
    // The probe with a wrong ID was refused, as it must be.
    assert_eq!(
        status(&outcome, "assume_with_wrong_external_id"),
        StepStatus::Passed
    );
}

#[test]
fn a_server_that_does_not_enforce_the_trust_policy_is_reported_as_such() {
    let mut fake = Fake::correct();
    fake.assume_none = Ok(());
    fake.assume_wrong = Ok(());
    let (outcome, _, _) = run_fake(fake, &plan(true, Duration::ZERO));
    assert_eq!(
        failed(&outcome),
        [
            "assume_without_external_id",
            "assume_with_wrong_external_id"
        ]
    );
    let cause = step(&outcome, "assume_with_wrong_external_id")
        .cause
        .clone()
        .unwrap_or_default();
    assert!(
        cause.contains("requires sts:ExternalId") && cause.contains("does not enforce"),
        "{cause}"
    );
}

#[test]
fn probes_prove_nothing_when_the_role_cannot_be_assumed_at_all() {
    let mut fake = Fake::correct();
    fake.assume_right = Err(denied("AccessDenied"));
    let (outcome, _, _) = run_fake(fake, &plan(true, Duration::ZERO));
    assert_eq!(failed(&outcome), ["assume_role"]);
    assert!(step(&outcome, "assume_role")
        .cause
        .as_deref()
        .unwrap_or_default()
        .contains("trust policy"));
    for id in [
        "describe_key_as_role",
        "decrypt",
        "assume_without_external_id",
        "assume_with_wrong_external_id",
    ] {
        assert_eq!(status(&outcome, id), StepStatus::Skipped, "{id}");
    }
}

#[test]
fn wait_retries_access_denied_and_says_so() {
    let mut fake = Fake::correct();
    fake.denials_before_success = 3;
    let (outcome, notes, _) = run_fake(fake.clone(), &plan(true, Duration::from_secs(5)));
    assert!(failed(&outcome).is_empty(), "{:#?}", outcome.steps);
    assert_eq!(notes.len(), 3, "{notes:?}");
    assert!(notes.iter().all(|n| n.contains("propagate")));
    // Without --wait, the first denial is the answer.
    fake.denials_before_success = 1;
    let (outcome, notes, _) = run_fake(fake, &plan(true, Duration::ZERO));
    assert_eq!(failed(&outcome), ["describe_key_as_role"]);
    assert!(notes.is_empty());
    let row = step(&outcome, "describe_key_as_role");
    assert!(
        row.cause
            .as_deref()
            .unwrap_or_default()
            .contains("key policy does not allow"),
        "{row:?}"
    );
}

#[test]
fn a_round_trip_that_gives_back_other_bytes_fails() {
    let mut fake = Fake::correct();
    fake.decrypt_tampers = true;
    let (outcome, _, _) = run_fake(fake, &plan(true, Duration::ZERO));
    assert_eq!(failed(&outcome), ["decrypt"]);
    assert!(step(&outcome, "decrypt").detail.contains("different bytes"));
}

#[test]
fn an_unreachable_endpoint_halts_the_run_and_skips_the_rest() {
    let mut fake = Fake::correct();
    fake.identity = Err(AwsError {
        failure: Failure::Unreachable,
        code: None,
        message: "connection refused".into(),
    });
    let (outcome, _, calls) = run_fake(fake, &plan(true, Duration::ZERO));
    assert!(outcome.halted);
    assert_eq!(
        calls, 1,
        "nothing is called after the endpoint is found unreachable"
    );
    assert_eq!(status(&outcome, "caller_identity"), StepStatus::Failed);
    assert!(outcome
        .steps
        .iter()
        .skip(1)
        .all(|s| s.status == StepStatus::Skipped));
    assert!(step(&outcome, "decrypt")
        .detail
        .contains("http://127.0.0.1:1"));
}

#[test]
fn an_encrypt_denial_still_decrypts_the_data_key() {
    let mut fake = Fake::correct();
    fake.encrypt = Err(AwsError::service(
        "AccessDeniedException",
        "User: x is not authorized to perform: kms:Encrypt on resource: y because no identity-based policy allows the kms:Encrypt action",
    ));
    let (outcome, _, _) = run_fake(fake, &plan(true, Duration::ZERO));
    assert_eq!(failed(&outcome), ["encrypt"]);
    assert!(step(&outcome, "encrypt")
        .cause
        .as_deref()
        .unwrap_or_default()
        .contains("IAM policy"));
    assert!(step(&outcome, "decrypt")
        .detail
        .starts_with("the data key decrypted"));
}
