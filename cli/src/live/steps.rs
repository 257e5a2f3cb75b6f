//! The live test, step by step: what each call proves and how its answer is judged. Generic
//! over the `Aws` seam, so the judgements are unit-tested here with a scripted fake and proven
//! end to end against moto's server (`tests/live/`).

use std::future::Future;
use std::time::{Duration, Instant};

use byokcheck_core::arn::{KeyArn, RoleArn};
use byokcheck_core::{verify_setup, Context, ItemStatus, Settings, SetupInput, SetupReport};
use serde::Serialize;

use super::aws::{
    Aws, AwsError, AwsResult, KeyMetadata, KmsSession, PolicySource, RolePolicy, Secret,
};
use super::explain::{explain, Call};
use super::mask::mask_external_id;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    Passed,
    Failed,
    Skipped,
}

impl StepStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            StepStatus::Passed => "passed",
            StepStatus::Failed => "failed",
            StepStatus::Skipped => "skipped",
        }
    }
}

/// A step's identity: `id` is the stable name in JSON, `title` what a person reads.
#[derive(Debug, Clone, Copy)]
pub struct StepDef {
    pub id: &'static str,
    pub title: &'static str,
    pub action: &'static str,
}

macro_rules! steps {
    ($($name:ident = $id:literal, $title:literal, $action:literal;)*) => {
        $(pub const $name: StepDef = StepDef { id: $id, title: $title, action: $action };)*
        /// Every step, in the order they run.
        #[cfg(test)]
        pub const ALL: &[StepDef] = &[$($name),*];
    };
}

steps! {
    CALLER_IDENTITY = "caller_identity", "Credentials", "sts:GetCallerIdentity";
    ROLE = "role", "Role exists", "iam:GetRole";
    ROLE_POLICIES = "role_policies", "Role policies", "iam:ListRolePolicies, iam:ListAttachedRolePolicies";
    KEY = "key", "Key usable", "kms:DescribeKey";
    KEY_POLICY = "key_policy", "Key policy readable", "kms:GetKeyPolicy";
    KEY_ROTATION = "key_rotation", "Key rotation", "kms:GetKeyRotationStatus";
    STATIC_CHECKS = "static_checks", "Deployed policies verify", "byokcheck verify";
    ASSUME_ROLE = "assume_role", "Assume role with External ID", "sts:AssumeRole";
    DESCRIBE_KEY_AS_ROLE = "describe_key_as_role", "Role describes key", "kms:DescribeKey";
    GENERATE_DATA_KEY = "generate_data_key", "Role generates data key", "kms:GenerateDataKey";
    ENCRYPT = "encrypt", "Role encrypts", "kms:Encrypt";
    DECRYPT = "decrypt", "Role decrypts (round trip)", "kms:Decrypt";
    ASSUME_WITHOUT_EXTERNAL_ID = "assume_without_external_id", "Refused without External ID", "sts:AssumeRole";
    ASSUME_WITH_WRONG_EXTERNAL_ID = "assume_with_wrong_external_id", "Refused with wrong External ID", "sts:AssumeRole";
}

/// One row of the result table.
#[derive(Debug, Clone, Serialize)]
pub struct StepRow {
    pub id: &'static str,
    pub title: &'static str,
    pub action: &'static str,
    pub status: StepStatus,
    pub duration_ms: u64,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// What the live test is run against.
#[derive(Debug, Clone)]
pub struct Plan {
    pub role: RoleArn,
    pub key: KeyArn,
    /// The two ARNs as given (and as parsed: `RoleArn` writes back what it read).
    pub role_arn_text: String,
    pub key_arn_text: String,
    pub external_id: String,
    /// The context the deployed documents are verified against, and the rule selection.
    pub context: Context,
    pub settings: Settings,
    /// Run the steps that assume the role (`--assume`).
    pub assume: bool,
    /// How long to retry AccessDenied for IAM propagation (`--wait`); zero: no retry.
    pub wait: Duration,
    /// The first pause between those retries; it doubles, up to 15 s.
    pub first_backoff: Duration,
    /// For messages: the endpoint called and the per-call timeout.
    pub endpoint: String,
    pub timeout_secs: u64,
    /// A wrong External ID for the negative probe (random, so no real one is guessed).
    pub wrong_external_id: String,
    /// The round trip's test value.
    pub test_value: Secret,
}

/// A policy document read from the account, with the name it is shown under.
#[derive(Debug, Clone)]
pub struct LiveDocument {
    /// `iam_policy`, `trust_policy` or `key_policy`, as in `verify`.
    pub name: &'static str,
    /// Where it was read, e.g. `iam:role/BYOK_Role (trust policy)`.
    pub path: String,
    pub text: String,
}

/// Everything the run found.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub steps: Vec<StepRow>,
    pub documents: Vec<LiveDocument>,
    pub setup: Option<SetupReport>,
    /// The test could not run to the end: the endpoint was unreachable or too slow.
    pub halted: bool,
}

/// The encryption context of the round trip: says what the ciphertexts are, should anyone
/// find them in CloudTrail.
pub fn encryption_context() -> [(&'static str, String); 2] {
    [
        ("purpose", "byokcheck-live-test".to_string()),
        ("tool", format!("byokcheck {}", env!("CARGO_PKG_VERSION"))),
    ]
}

struct Recorder<'p> {
    plan: &'p Plan,
    rows: Vec<StepRow>,
    halted: Option<String>,
    notes: &'p mut dyn FnMut(&str),
}

impl Recorder<'_> {
    fn row(&mut self, def: StepDef, status: StepStatus, started: Option<Instant>, detail: String) {
        self.rows.push(StepRow {
            id: def.id,
            title: def.title,
            action: def.action,
            status,
            duration_ms: started.map_or(0, |s| {
                u64::try_from(s.elapsed().as_millis()).unwrap_or(u64::MAX)
            }),
            detail,
            error_code: None,
            cause: None,
            fix: None,
        });
    }

    fn pass(&mut self, def: StepDef, started: Instant, detail: impl Into<String>) {
        self.row(def, StepStatus::Passed, Some(started), detail.into());
    }

    fn fail(
        &mut self,
        def: StepDef,
        started: Instant,
        detail: impl Into<String>,
        cause: Option<String>,
        fix: Option<String>,
    ) {
        self.row(def, StepStatus::Failed, Some(started), detail.into());
        if let Some(row) = self.rows.last_mut() {
            row.cause = cause;
            row.fix = fix;
        }
    }

    fn skip(&mut self, def: StepDef, why: impl Into<String>) {
        self.row(def, StepStatus::Skipped, None, why.into());
    }

    /// Records a failed call: AWS's error, explained. A transport failure halts the run.
    fn fail_call(&mut self, def: StepDef, started: Instant, error: &AwsError) {
        let explanation = explain(error, self.call(def.action));
        self.row(
            def,
            StepStatus::Failed,
            Some(started),
            format!("{} failed: {error}", def.action),
        );
        if let Some(row) = self.rows.last_mut() {
            row.error_code = error.code.clone();
            row.cause = Some(explanation.cause.clone());
            row.fix = explanation.fix;
        }
        if error.failure.is_transport() {
            self.halted = Some(explanation.cause);
        }
    }

    fn call<'a>(&'a self, action: &'a str) -> Call<'a> {
        Call {
            action,
            role_arn: &self.plan.role_arn_text,
            cmk_arn: &self.plan.key_arn_text,
            region: &self.plan.key.region,
            endpoint: &self.plan.endpoint,
            timeout_secs: self.plan.timeout_secs,
        }
    }

    /// Skips `def` when the run is halted; true when it was skipped.
    fn halted(&mut self, def: StepDef) -> bool {
        match &self.halted {
            Some(why) => {
                let why = format!("not run: {why}");
                self.skip(def, why);
                true
            }
            None => false,
        }
    }

    /// Runs `call`, retrying AccessDenied until `plan.wait` is used up: IAM and key-policy
    /// changes take 30 to 120 s to reach every endpoint.
    async fn retrying<T, F, Fut>(
        &mut self,
        action: &str,
        deadline: &mut Option<Instant>,
        mut call: F,
    ) -> AwsResult<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = AwsResult<T>>,
    {
        let mut backoff = self.plan.first_backoff;
        loop {
            let result = call().await;
            let error = match result {
                Err(error) if error.is_access_denied() && !self.plan.wait.is_zero() => error,
                other => return other,
            };
            let end = *deadline.get_or_insert_with(|| Instant::now() + self.plan.wait);
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(error);
            }
            let pause = backoff.min(left);
            (self.notes)(&format!(
                "{action} was refused ({}); IAM changes take 30 to 120 s to propagate: retrying in {} s ({} s left of --wait)",
                error.code.as_deref().unwrap_or("AccessDenied"),
                pause.as_secs_f32().ceil(),
                left.as_secs()
            ));
            tokio::time::sleep(pause).await;
            backoff = (backoff * 2).min(Duration::from_secs(15));
        }
    }
}

/// Runs every step against `aws`. `notes` receives progress a person should see while waiting
/// (retries for propagation); they go to standard error.
pub async fn run<A: Aws>(aws: &A, plan: &Plan, notes: &mut dyn FnMut(&str)) -> Outcome {
    let mut rec = Recorder {
        plan,
        rows: Vec::new(),
        halted: None,
        notes,
    };
    let mut documents = Vec::new();
    let mut policy_attached = None;
    let mut iam_candidates: Vec<RolePolicy> = Vec::new();

    // 1. Whose credentials these are.
    if !rec.halted(CALLER_IDENTITY) {
        let started = Instant::now();
        match aws.caller_identity().await {
            Ok(identity) => {
                let mut detail = format!("account {} as {}", identity.account, identity.arn);
                if identity.account != plan.role.account {
                    detail.push_str(&format!(
                        "; the role is in account {}: these credentials may not read it",
                        plan.role.account
                    ));
                }
                rec.pass(CALLER_IDENTITY, started, detail);
            }
            Err(error) => rec.fail_call(CALLER_IDENTITY, started, &error),
        }
    }

    // 2. The role and its trust policy.
    if !rec.halted(ROLE) {
        let started = Instant::now();
        match aws.get_role(&plan.role.name).await {
            Ok(role) if role.arn != plan.role_arn_text => rec.fail(
                ROLE,
                started,
                format!("the role is {}, not {}", role.arn, plan.role),
                Some("the ARN shared differs from the role's (its path or account)".into()),
                Some(format!(
                    "share the role's ARN exactly as IAM shows it: {}",
                    role.arn
                )),
            ),
            Ok(role) => {
                rec.pass(
                    ROLE,
                    started,
                    format!("{} found; trust policy read", role.arn),
                );
                documents.push(LiveDocument {
                    name: "trust_policy",
                    path: format!("iam:role/{} (trust policy)", plan.role.name),
                    text: role.trust_policy,
                });
            }
            Err(error) => rec.fail_call(ROLE, started, &error),
        }
    }

    // 3. What the role may do.
    if !rec.halted(ROLE_POLICIES) {
        let started = Instant::now();
        match aws.role_policies(&plan.role.name).await {
            Ok(policies) if policies.is_empty() => {
                policy_attached = Some(false);
                rec.fail(
                    ROLE_POLICIES,
                    started,
                    "the role has no policy: neither inline nor attached",
                    Some("the IAM policy of step 1 is not attached to the role".into()),
                    Some(format!(
                        "aws iam attach-role-policy --role-name {} --policy-arn <the policy's ARN>",
                        plan.role.name
                    )),
                );
            }
            Ok(policies) => {
                policy_attached = Some(true);
                let names: Vec<String> = policies
                    .iter()
                    .map(|p| describe_source(&p.source))
                    .collect();
                rec.pass(
                    ROLE_POLICIES,
                    started,
                    format!(
                        "{} read: {}",
                        plural(policies.len(), "policy", "policies"),
                        names.join(", ")
                    ),
                );
                iam_candidates = policies;
            }
            Err(error) => rec.fail_call(ROLE_POLICIES, started, &error),
        }
    }

    // 4. The key itself.
    if !rec.halted(KEY) {
        let started = Instant::now();
        match aws.describe_key(&plan.key_arn_text).await {
            Ok(metadata) => match judge_key(&metadata, plan) {
                Ok(detail) => rec.pass(KEY, started, detail),
                Err(problem) => rec.fail(
                    KEY,
                    started,
                    problem.detail,
                    Some(problem.cause),
                    problem.fix,
                ),
            },
            Err(error) => rec.fail_call(KEY, started, &error),
        }
    }

    // 5. Its policy.
    if !rec.halted(KEY_POLICY) {
        let started = Instant::now();
        match aws.key_policy(&plan.key_arn_text).await {
            Ok(text) => {
                rec.pass(
                    KEY_POLICY,
                    started,
                    format!("policy `default` read ({} bytes)", text.len()),
                );
                documents.push(LiveDocument {
                    name: "key_policy",
                    path: format!("kms:key/{} (key policy)", plan.key.key_id),
                    text,
                });
            }
            Err(error) => rec.fail_call(KEY_POLICY, started, &error),
        }
    }

    // 6. Rotation: a recommendation, never a failure.
    if !rec.halted(KEY_ROTATION) {
        let started = Instant::now();
        match aws.key_rotation_enabled(&plan.key_arn_text).await {
            Ok(true) => rec.pass(KEY_ROTATION, started, "automatic rotation is on"),
            Ok(false) => rec.pass(
                KEY_ROTATION,
                started,
                format!(
                    "automatic rotation is off; recommended: aws kms enable-key-rotation --key-id {}",
                    plan.key_arn_text
                ),
            ),
            Err(error) if error.code.as_deref() == Some("UnsupportedOperationException") => {
                rec.skip(KEY_ROTATION, "rotation does not apply to this key");
            }
            Err(error) => rec.fail_call(KEY_ROTATION, started, &error),
        }
    }

    // 7. The static verification of what is deployed.
    let mut setup = None;
    if !rec.halted(STATIC_CHECKS) {
        let started = Instant::now();
        if documents.is_empty() && iam_candidates.is_empty() {
            rec.skip(STATIC_CHECKS, "no policy could be read");
        } else {
            let (report, iam_document) =
                verify_deployed(plan, &documents, &iam_candidates, policy_attached);
            if let Some(document) = iam_document {
                documents.insert(0, document);
            }
            let failed: Vec<&str> = report
                .items
                .iter()
                .filter(|i| i.status == ItemStatus::Failed)
                .map(|i| i.title.as_str())
                .collect();
            let passed = report
                .items
                .iter()
                .filter(|i| i.status == ItemStatus::Passed)
                .count();
            if failed.is_empty() {
                rec.pass(
                    STATIC_CHECKS,
                    started,
                    format!(
                        "{passed} of {} verification items passed",
                        report.items.len()
                    ),
                );
            } else {
                rec.fail(
                    STATIC_CHECKS,
                    started,
                    format!("failed: {} (findings above)", failed.join(", ")),
                    Some("the deployed policies differ from what the vendor needs".into()),
                    Some("apply the fixes under each failed item, then run again".into()),
                );
            }
            setup = Some(report);
        }
    }

    // 8-14. As the vendor: assume the role, use the key, and prove the External ID is needed.
    if plan.assume {
        assume_steps(aws, &mut rec, &documents, setup.as_ref()).await;
    } else {
        for def in [
            ASSUME_ROLE,
            DESCRIBE_KEY_AS_ROLE,
            GENERATE_DATA_KEY,
            ENCRYPT,
            DECRYPT,
            ASSUME_WITHOUT_EXTERNAL_ID,
            ASSUME_WITH_WRONG_EXTERNAL_ID,
        ] {
            if !rec.halted(def) {
                rec.skip(
                    def,
                    "not asked: pass --assume with credentials that may assume the role",
                );
            }
        }
    }

    Outcome {
        halted: rec.halted.is_some(),
        steps: rec.rows,
        documents,
        setup,
    }
}

async fn assume_steps<A: Aws>(
    aws: &A,
    rec: &mut Recorder<'_>,
    documents: &[LiveDocument],
    setup: Option<&SetupReport>,
) {
    let plan = rec.plan;
    let context = encryption_context();
    let mut deadline = None;
    let positive = [DESCRIBE_KEY_AS_ROLE, GENERATE_DATA_KEY, ENCRYPT, DECRYPT];

    let mut session = None;
    if !rec.halted(ASSUME_ROLE) {
        let started = Instant::now();
        let result = rec
            .retrying(ASSUME_ROLE.action, &mut deadline, || {
                aws.assume_role(&plan.role_arn_text, Some(&plan.external_id))
            })
            .await;
        match result {
            Ok(s) => {
                rec.pass(
                    ASSUME_ROLE,
                    started,
                    format!(
                        "assumed with External ID {}",
                        mask_external_id(&plan.external_id)
                    ),
                );
                session = Some(s);
            }
            Err(error) => rec.fail_call(ASSUME_ROLE, started, &error),
        }
    }

    match &session {
        None => {
            for def in positive {
                if !rec.halted(def) {
                    rec.skip(def, "needs the role's session: assuming the role failed");
                }
            }
        }
        Some(session) => {
            kms_round_trip(session, rec, &mut deadline, &context).await;
        }
    }

    // The negative probes prove something only if the caller can assume the role at all.
    for (def, external_id) in [
        (ASSUME_WITHOUT_EXTERNAL_ID, None),
        (
            ASSUME_WITH_WRONG_EXTERNAL_ID,
            Some(plan.wrong_external_id.as_str()),
        ),
    ] {
        if rec.halted(def) {
            continue;
        }
        if session.is_none() {
            rec.skip(def, "the role could not be assumed with the right External ID either, so a refusal would prove nothing");
            continue;
        }
        let started = Instant::now();
        match aws.assume_role(&plan.role_arn_text, external_id).await {
            Err(error) if error.is_access_denied() => {
                rec.pass(def, started, "refused (AccessDenied), as it must be")
            }
            Err(error) if error.failure.is_transport() => rec.fail_call(def, started, &error),
            Err(error) => rec.fail(
                def,
                started,
                format!("refused, but not for lack of access: {error}"),
                Some("the probe cannot show that the trust policy requires the External ID".into()),
                None,
            ),
            Ok(_) => {
                let (cause, fix) = confused_deputy(plan, documents, setup);
                let what = match external_id {
                    None => "without an External ID".to_string(),
                    Some(wrong) => format!("with the wrong External ID `{wrong}`"),
                };
                rec.fail(
                    def,
                    started,
                    format!("SECURITY: the role was assumed {what}: the External ID does not protect it (confused deputy)"),
                    Some(cause),
                    Some(fix),
                );
            }
        }
    }
}

async fn kms_round_trip<S: KmsSession>(
    session: &S,
    rec: &mut Recorder<'_>,
    deadline: &mut Option<Instant>,
    context: &[(&'static str, String)],
) {
    let plan = rec.plan;
    let key = plan.key_arn_text.as_str();

    if !rec.halted(DESCRIBE_KEY_AS_ROLE) {
        let started = Instant::now();
        match rec
            .retrying(DESCRIBE_KEY_AS_ROLE.action, deadline, || {
                session.describe_key(key)
            })
            .await
        {
            Ok(metadata) => rec.pass(
                DESCRIBE_KEY_AS_ROLE,
                started,
                format!(
                    "the role sees the key ({})",
                    metadata
                        .key_state
                        .as_deref()
                        .unwrap_or("state not reported")
                ),
            ),
            Err(error) => rec.fail_call(DESCRIBE_KEY_AS_ROLE, started, &error),
        }
    }

    let mut data_key = None;
    if !rec.halted(GENERATE_DATA_KEY) {
        let started = Instant::now();
        match rec
            .retrying(GENERATE_DATA_KEY.action, deadline, || {
                session.generate_data_key(key, context)
            })
            .await
        {
            Ok(generated)
                if generated.plaintext.0.len() == 32 && !generated.ciphertext.is_empty() =>
            {
                rec.pass(
                    GENERATE_DATA_KEY,
                    started,
                    "a 256-bit data key was generated under the key",
                );
                data_key = Some(generated);
            }
            Ok(generated) => rec.fail(
                GENERATE_DATA_KEY,
                started,
                format!(
                    "the data key has {} bytes, not 32",
                    generated.plaintext.0.len()
                ),
                Some("KMS answered with an unexpected data key".into()),
                None,
            ),
            Err(error) => rec.fail_call(GENERATE_DATA_KEY, started, &error),
        }
    }

    let mut ciphertext = None;
    if !rec.halted(ENCRYPT) {
        let started = Instant::now();
        match rec
            .retrying(ENCRYPT.action, deadline, || {
                session.encrypt(key, &plan.test_value, context)
            })
            .await
        {
            Ok(blob) if blob != plan.test_value.0 => {
                rec.pass(
                    ENCRYPT,
                    started,
                    format!(
                        "a {}-byte test value was encrypted",
                        plan.test_value.0.len()
                    ),
                );
                ciphertext = Some(blob);
            }
            Ok(_) => rec.fail(
                ENCRYPT,
                started,
                "the ciphertext equals the plaintext",
                Some("KMS did not encrypt".into()),
                None,
            ),
            Err(error) => rec.fail_call(ENCRYPT, started, &error),
        }
    }

    if rec.halted(DECRYPT) {
        return;
    }
    if ciphertext.is_none() && data_key.is_none() {
        rec.skip(
            DECRYPT,
            "nothing to decrypt: encrypting and generating a data key failed",
        );
        return;
    }
    let started = Instant::now();
    let mut checked = Vec::new();
    for (what, blob, expected) in [
        ("the test value", ciphertext.as_deref(), &plan.test_value),
        (
            "the data key",
            data_key.as_ref().map(|d| d.ciphertext.as_slice()),
            match &data_key {
                Some(d) => &d.plaintext,
                None => &plan.test_value,
            },
        ),
    ] {
        let Some(blob) = blob else { continue };
        match rec
            .retrying(DECRYPT.action, deadline, || {
                session.decrypt(key, blob, context)
            })
            .await
        {
            Ok(plaintext) if plaintext == *expected => checked.push(what),
            Ok(_) => {
                rec.fail(
                    DECRYPT,
                    started,
                    format!("{what} decrypted to different bytes"),
                    Some("the round trip does not give back what was encrypted".into()),
                    None,
                );
                return;
            }
            Err(error) => {
                rec.fail_call(DECRYPT, started, &error);
                return;
            }
        }
    }
    rec.pass(
        DECRYPT,
        started,
        format!(
            "{} decrypted to what was encrypted (KeyId given, same encryption context)",
            checked.join(" and ")
        ),
    );
}

/// Why the role could be assumed without the right External ID, and what to change: the
/// trust policy's Allow statement, by pointer and Sid, when the policy was read.
fn confused_deputy(
    plan: &Plan,
    documents: &[LiveDocument],
    setup: Option<&SetupReport>,
) -> (String, String) {
    let condition = format!(
        "\"Condition\": {{\"StringEquals\": {{\"sts:ExternalId\": \"{}\"}}}}",
        mask_external_id(&plan.external_id)
    );
    let trust = documents.iter().find(|d| d.name == "trust_policy");
    let statement = trust.and_then(|d| assume_statement(&d.text));
    // T003 to T010 are the ways a trust policy lets the vendor in without the External ID;
    // the static-checks step has already found them in the deployed trust policy.
    let bypass = setup
        .and_then(|report| report.documents.iter().find(|d| d.name == "trust_policy"))
        .and_then(|d| {
            d.findings
                .iter()
                .find(|f| ("T003".."T011").contains(&f.code.as_str()))
                .cloned()
        });
    let requires = trust.is_some() && bypass.is_none();
    let place = match (&bypass, statement) {
        (Some(finding), _) => format!(
            "the trust policy at {} (line {}: {} {})",
            finding.pointer, finding.line, finding.code, finding.name
        ),
        (None, Some((pointer, Some(sid)))) => {
            format!("the statement `{sid}` ({pointer}) of the trust policy")
        }
        (None, Some((pointer, None))) => format!("the statement {pointer} of the trust policy"),
        (None, None) => "the trust policy's statement that allows sts:AssumeRole".to_string(),
    };
    if requires {
        (
            format!("{place} requires sts:ExternalId, yet the endpoint let the caller in: another statement or policy allows it, or the endpoint does not enforce trust policies (a test server such as moto does not)"),
            "make sure no other statement of the trust policy allows sts:AssumeRole without the sts:ExternalId condition, then run again against AWS itself".to_string(),
        )
    } else {
        let message = bypass
            .as_ref()
            .map(|f| format!(": {}", f.message))
            .unwrap_or_default();
        let fix = bypass
            .and_then(|f| f.help)
            .unwrap_or_else(|| format!("add {condition} to {place}"));
        (
            format!("{place} does not require sts:ExternalId{message}"),
            fix,
        )
    }
}

/// The pointer and Sid of the first Allow statement naming sts:AssumeRole.
fn assume_statement(text: &str) -> Option<(String, Option<String>)> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let statements = match value.get("Statement")? {
        serde_json::Value::Array(items) => items.iter().collect::<Vec<_>>(),
        single => vec![single],
    };
    let is_array = value
        .get("Statement")
        .is_some_and(serde_json::Value::is_array);
    statements
        .iter()
        .enumerate()
        .find_map(|(index, statement)| {
            let allows = statement.get("Effect").and_then(|e| e.as_str()) == Some("Allow");
            let actions = match statement.get("Action") {
                Some(serde_json::Value::String(a)) => vec![a.as_str()],
                Some(serde_json::Value::Array(items)) => {
                    items.iter().filter_map(|a| a.as_str()).collect()
                }
                _ => Vec::new(),
            };
            let assumes = actions.iter().any(|a| {
                a.eq_ignore_ascii_case("sts:AssumeRole")
                    || *a == "*"
                    || a.eq_ignore_ascii_case("sts:*")
            });
            (allows && assumes).then(|| {
                let pointer = if is_array {
                    format!("/Statement/{index}")
                } else {
                    "/Statement".to_string()
                };
                let sid = statement
                    .get("Sid")
                    .and_then(|s| s.as_str())
                    .map(str::to_string);
                (pointer, sid)
            })
        })
}

/// `Err` when the key cannot serve BYOK: its state, spec, usage, manager or region.
struct KeyProblem {
    detail: String,
    cause: String,
    fix: Option<String>,
}

fn judge_key(metadata: &KeyMetadata, plan: &Plan) -> Result<String, KeyProblem> {
    let arn = &plan.key_arn_text;
    let state = metadata
        .key_state
        .as_deref()
        .unwrap_or(if metadata.enabled {
            "Enabled"
        } else {
            "Disabled"
        });
    if state != "Enabled" || !metadata.enabled {
        let (cause, fix) = match state {
            "Disabled" => ("the key is disabled: KMS refuses every cryptographic use".to_string(), format!("aws kms enable-key --key-id {arn}")),
            "PendingDeletion" => (
                format!(
                    "the key is scheduled for deletion{}: KMS refuses to use it, and after that date the data encrypted under it is lost",
                    metadata.deletion_date.as_deref().map(|d| format!(" on {d}")).unwrap_or_default()
                ),
                format!("aws kms cancel-key-deletion --key-id {arn} && aws kms enable-key --key-id {arn}"),
            ),
            "PendingImport" => ("the key has no key material yet".to_string(), "import the key material (aws kms import-key-material)".to_string()),
            "Unavailable" => ("the key's custom key store is disconnected".to_string(), "connect the custom key store (aws kms connect-custom-key-store)".to_string()),
            other => (format!("the key is {other}"), "wait until the key is Enabled, then run again".to_string()),
        };
        return Err(KeyProblem {
            detail: format!("KeyState is {state}, not Enabled"),
            cause,
            fix: Some(fix),
        });
    }
    if let Some(spec) = metadata
        .key_spec
        .as_deref()
        .filter(|s| *s != "SYMMETRIC_DEFAULT")
    {
        return Err(KeyProblem {
            detail: format!("KeySpec is {spec}, not SYMMETRIC_DEFAULT"),
            cause: "the vendor encrypts with symmetric keys; an asymmetric or HMAC key cannot serve as the CMK".into(),
            fix: Some("create a symmetric encryption key (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT) and share its ARN".into()),
        });
    }
    if let Some(usage) = metadata
        .key_usage
        .as_deref()
        .filter(|u| *u != "ENCRYPT_DECRYPT")
    {
        return Err(KeyProblem {
            detail: format!("KeyUsage is {usage}, not ENCRYPT_DECRYPT"),
            cause: "the key cannot encrypt and decrypt".into(),
            fix: Some("create a symmetric encryption key (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT) and share its ARN".into()),
        });
    }
    if metadata.key_manager.as_deref() == Some("AWS") {
        return Err(KeyProblem {
            detail: "the key is an AWS managed key (KeyManager AWS)".into(),
            cause: "AWS managed keys (aws/...) cannot be used by another account's roles nor have their policy changed".into(),
            fix: Some("create a customer managed key and share its ARN".into()),
        });
    }
    if let Ok(found) = metadata.arn.parse::<KeyArn>() {
        if found.region != plan.key.region {
            return Err(KeyProblem {
                detail: format!(
                    "the key is in {}, the ARN says {}",
                    found.region, plan.key.region
                ),
                cause: "the CMK ARN names another region than the key's".into(),
                fix: Some(format!("share the key's own ARN: {}", metadata.arn)),
            });
        }
        if found.account != plan.key.account || found.key_id != plan.key.key_id {
            return Err(KeyProblem {
                detail: format!("the key found is {}, not {arn}", metadata.arn),
                cause:
                    "the CMK ARN does not name the key itself (an alias, or another account's key)"
                        .into(),
                fix: Some(format!("share the key's own ARN: {}", metadata.arn)),
            });
        }
    }
    let mut detail = format!(
        "Enabled, {}, {}",
        metadata.key_spec.as_deref().unwrap_or("SYMMETRIC_DEFAULT"),
        metadata
            .key_usage
            .as_deref()
            .unwrap_or("KeyUsage not reported")
    );
    if let Some(origin) = metadata.origin.as_deref() {
        detail.push_str(&format!(", origin {origin}"));
        if origin == "EXTERNAL" {
            detail.push_str(" (imported key material can expire: check its ValidTo)");
        }
    }
    detail.push_str(if metadata.multi_region == Some(true) {
        ", multi-Region"
    } else {
        ", single-Region"
    });
    Ok(detail)
}

/// Verifies the fetched documents as `byokcheck verify` would. With several role policies,
/// the one that passes the IAM item is shown (else the one with fewest findings there):
/// the role's permissions are their union, and the kms: grant is usually in one of them.
fn verify_deployed(
    plan: &Plan,
    documents: &[LiveDocument],
    iam_candidates: &[RolePolicy],
    policy_attached: Option<bool>,
) -> (SetupReport, Option<LiveDocument>) {
    let text_of = |name: &str| {
        documents
            .iter()
            .find(|d| d.name == name)
            .map(|d| d.text.clone())
    };
    let input = |iam_policy: Option<String>| SetupInput {
        context: plan.context.clone(),
        iam_policy,
        trust_policy: text_of("trust_policy"),
        key_policy: text_of("key_policy"),
        policy_attached,
    };
    let verify = |iam_policy: Option<String>| {
        let mut report = verify_setup(&input(iam_policy));
        plan.settings.apply_setup(&mut report);
        report
    };
    let mut best: Option<(usize, SetupReport, &RolePolicy)> = None;
    for candidate in iam_candidates {
        let report = verify(Some(candidate.document.clone()));
        let iam_item = report
            .items
            .iter()
            .find(|i| i.id == byokcheck_core::ItemId::IamPolicy);
        let score = match iam_item {
            Some(item) if item.status == ItemStatus::Passed => 0,
            Some(item) => 1 + item.findings.len(),
            None => usize::MAX,
        };
        if best.as_ref().is_none_or(|(s, _, _)| score < *s) {
            best = Some((score, report, candidate));
        }
        if score == 0 {
            break;
        }
    }
    match best {
        Some((_, report, policy)) => (
            report,
            Some(LiveDocument {
                name: "iam_policy",
                path: format!("{} (IAM policy)", describe_source(&policy.source)),
                text: policy.document.clone(),
            }),
        ),
        None => (verify(None), None),
    }
}

fn describe_source(source: &PolicySource) -> String {
    match source {
        PolicySource::Inline { name } => format!("inline `{name}`"),
        PolicySource::Managed { arn, version } => format!("{arn} ({version})"),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
