//! The seam between the live test's steps and AWS: the calls it makes, as a trait, and what
//! they return, as plain data. `sdk.rs` implements it with the official SDK; the unit tests in
//! `steps.rs` with a scripted fake, so every judgement can be tested without a server.

use std::fmt;

/// Why a call failed, as far as the live test cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// AWS answered with an error (`AccessDenied`, `NotFoundException`...): a finding.
    Service,
    /// The call took longer than `--timeout`.
    Timeout,
    /// The endpoint could not be reached, or the connection dropped mid-call.
    Unreachable,
    /// Anything else the SDK reports (a request it could not build, an answer it could not read).
    Other,
}

impl Failure {
    /// The test could not run (rather than found a problem): exit status 2.
    pub fn is_transport(self) -> bool {
        matches!(self, Failure::Timeout | Failure::Unreachable)
    }
}

/// A failed call: what kind of failure, AWS's error code and message when it answered.
/// Messages pass through `redact` before they get here: they never carry credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsError {
    pub failure: Failure,
    pub code: Option<String>,
    pub message: String,
}

impl AwsError {
    #[cfg(test)]
    pub fn service(code: &str, message: &str) -> Self {
        Self {
            failure: Failure::Service,
            code: Some(code.to_string()),
            message: message.to_string(),
        }
    }

    /// `AccessDenied`, `AccessDeniedException` (KMS), `UnauthorizedOperation`...
    pub fn is_access_denied(&self) -> bool {
        self.code
            .as_deref()
            .is_some_and(|code| code.starts_with("AccessDenied"))
    }
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) if self.message.is_empty() => f.write_str(code),
            Some(code) => write!(f, "{code}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

pub type AwsResult<T> = Result<T, AwsError>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallerIdentity {
    pub account: String,
    pub arn: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub arn: String,
    /// The trust policy, decoded (IAM sends it URL-encoded).
    pub trust_policy: String,
}

/// Where a policy of the role comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicySource {
    Inline { name: String },
    Managed { arn: String, version: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolePolicy {
    pub source: PolicySource,
    /// The document, decoded.
    pub document: String,
}

/// What `kms:DescribeKey` says of a key. Enumerations are kept as AWS spells them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeyMetadata {
    pub arn: String,
    pub enabled: bool,
    pub key_state: Option<String>,
    pub key_spec: Option<String>,
    pub key_usage: Option<String>,
    pub origin: Option<String>,
    pub key_manager: Option<String>,
    pub multi_region: Option<bool>,
    /// RFC 3339, when the key is pending deletion.
    pub deletion_date: Option<String>,
}

/// Bytes that must never be printed: data keys and test plaintexts.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub Vec<u8>);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({} bytes)", self.0.len())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataKey {
    pub plaintext: Secret,
    pub ciphertext: Vec<u8>,
}

/// The encryption context every crypto call of the round trip carries.
pub type EncryptionContext = [(&'static str, String)];

/// Calls made with the caller's own credentials (the customer's, for the inspect steps).
#[allow(
    async_fn_in_trait,
    reason = "crate-private seam, used with static dispatch only"
)]
pub trait Aws {
    type Session: KmsSession;

    async fn caller_identity(&self) -> AwsResult<CallerIdentity>;
    async fn get_role(&self, role_name: &str) -> AwsResult<Role>;
    /// Inline policies, then attached managed policies at their default versions.
    async fn role_policies(&self, role_name: &str) -> AwsResult<Vec<RolePolicy>>;
    async fn describe_key(&self, key_id: &str) -> AwsResult<KeyMetadata>;
    async fn key_policy(&self, key_id: &str) -> AwsResult<String>;
    async fn key_rotation_enabled(&self, key_id: &str) -> AwsResult<bool>;
    /// `sts:AssumeRole`; `external_id` `None` leaves it out of the request.
    async fn assume_role(
        &self,
        role_arn: &str,
        external_id: Option<&str>,
    ) -> AwsResult<Self::Session>;
}

/// KMS calls made with the assumed role's session, as the vendor makes them.
#[allow(
    async_fn_in_trait,
    reason = "crate-private seam, used with static dispatch only"
)]
pub trait KmsSession {
    async fn describe_key(&self, key_id: &str) -> AwsResult<KeyMetadata>;
    async fn generate_data_key(
        &self,
        key_id: &str,
        context: &EncryptionContext,
    ) -> AwsResult<DataKey>;
    async fn encrypt(
        &self,
        key_id: &str,
        plaintext: &Secret,
        context: &EncryptionContext,
    ) -> AwsResult<Vec<u8>>;
    /// Always with `KeyId`, so a failure is about the key meant, not whatever the ciphertext
    /// names.
    async fn decrypt(
        &self,
        key_id: &str,
        ciphertext: &[u8],
        context: &EncryptionContext,
    ) -> AwsResult<Secret>;
}
