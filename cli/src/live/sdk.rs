//! The `Aws` seam over the official AWS SDK for Rust. Credentials, regions, endpoints, SigV4,
//! retries with backoff (throttling included) and timeouts are the SDK's; this file only maps
//! calls and errors.

use std::collections::HashMap;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_kms::config::http::HttpResponse;
use aws_sdk_kms::config::ProvideCredentials;
use aws_sdk_kms::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_kms::primitives::Blob;
use aws_sdk_kms::types::DataKeySpec;
use percent_encoding::percent_decode_str;

use super::aws::{
    Aws, AwsError, AwsResult, CallerIdentity, DataKey, EncryptionContext, Failure, KeyMetadata,
    KmsSession, PolicySource, Role, RolePolicy, Secret,
};
use super::mask::redact;

/// How to reach AWS: everything else comes from the usual chain (environment, profiles, SSO,
/// instance roles) as `aws-config` resolves it.
#[derive(Debug, Clone)]
pub struct Options {
    pub region: String,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    /// Per call, retries included.
    pub timeout: Duration,
}

pub struct SdkAws {
    config: SdkConfig,
    sts: aws_sdk_sts::Client,
    iam: aws_sdk_iam::Client,
    kms: aws_sdk_kms::Client,
    /// The caller's credentials, so no error message can echo them.
    secrets: Vec<String>,
}

impl SdkAws {
    /// Loads the configuration and resolves the credentials once, so that "no credentials"
    /// is said before any step runs. `Err` is the message to print.
    pub async fn connect(options: &Options) -> Result<Self, String> {
        let timeouts = TimeoutConfig::builder()
            .operation_timeout(options.timeout)
            .operation_attempt_timeout(options.timeout)
            .connect_timeout(options.timeout.min(Duration::from_secs(5)))
            .read_timeout(options.timeout)
            .build();
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(options.region.clone()))
            .timeout_config(timeouts)
            .retry_config(RetryConfig::standard().with_max_attempts(3));
        if let Some(profile) = &options.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(url) = &options.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        let config = loader.load().await;
        let provider = config
            .credentials_provider()
            .ok_or_else(|| "no AWS credentials: set AWS_PROFILE (or --profile), AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run `aws sso login`".to_string())?;
        let credentials = tokio::time::timeout(options.timeout, provider.provide_credentials())
            .await
            .map_err(|_| {
                format!(
                    "no AWS credentials within {} s: the credential chain (profiles, SSO, instance metadata) did not answer",
                    options.timeout.as_secs()
                )
            })?
            .map_err(|error| {
                format!(
                    "no AWS credentials found ({}): set AWS_PROFILE (or --profile), AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run `aws sso login`",
                    chain(&error)
                )
            })?;
        let mut secrets = vec![credentials.secret_access_key().to_string()];
        secrets.extend(credentials.session_token().map(str::to_string));
        Ok(Self {
            sts: aws_sdk_sts::Client::new(&config),
            iam: aws_sdk_iam::Client::new(&config),
            kms: aws_sdk_kms::Client::new(&config),
            config,
            secrets,
        })
    }

    fn error<E>(&self, error: SdkError<E, HttpResponse>) -> AwsError
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        convert(error, &self.secrets)
    }
}

/// The error and its sources, joined: the SDK's top-level messages ("dispatch failure") say
/// little alone.
fn chain(error: &dyn std::error::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = error.source();
    while let Some(inner) = source {
        let text = inner.to_string();
        if parts.last() != Some(&text) {
            parts.push(text);
        }
        source = inner.source();
    }
    parts.join(": ")
}

fn convert<E>(error: SdkError<E, HttpResponse>, secrets: &[String]) -> AwsError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let (failure, code, message) = match &error {
        SdkError::ServiceError(context) => {
            let inner = context.err();
            (
                Failure::Service,
                inner.code().map(str::to_string),
                inner.message().unwrap_or_default().to_string(),
            )
        }
        SdkError::TimeoutError(_) => (Failure::Timeout, None, "the call timed out".to_string()),
        SdkError::DispatchFailure(dispatch) if dispatch.is_timeout() => {
            (Failure::Timeout, None, chain(&error))
        }
        SdkError::DispatchFailure(dispatch) if dispatch.is_io() || dispatch.is_other() => {
            (Failure::Unreachable, None, chain(&error))
        }
        // An answer cut off or unreadable: the server went away mid-call, or is not AWS.
        SdkError::ResponseError(_) => (Failure::Unreachable, None, chain(&error)),
        _ => (Failure::Other, None, chain(&error)),
    };
    AwsError {
        failure,
        code,
        message: redact(&message, secrets),
    }
}

/// IAM returns policy documents URL-encoded (RFC 3986).
fn decode(document: &str) -> String {
    percent_decode_str(document)
        .decode_utf8_lossy()
        .into_owned()
}

fn missing(what: &str) -> AwsError {
    AwsError {
        failure: Failure::Other,
        code: None,
        message: format!("the answer has no {what}"),
    }
}

fn context_map(context: &EncryptionContext) -> HashMap<String, String> {
    context
        .iter()
        .map(|(key, value)| ((*key).to_string(), value.clone()))
        .collect()
}

fn key_metadata(metadata: Option<&aws_sdk_kms::types::KeyMetadata>) -> AwsResult<KeyMetadata> {
    let metadata = metadata.ok_or_else(|| missing("KeyMetadata"))?;
    Ok(KeyMetadata {
        arn: metadata.arn().unwrap_or_default().to_string(),
        enabled: metadata.enabled(),
        key_state: metadata.key_state().map(|s| s.as_str().to_string()),
        key_spec: metadata.key_spec().map(|s| s.as_str().to_string()),
        key_usage: metadata.key_usage().map(|s| s.as_str().to_string()),
        origin: metadata.origin().map(|s| s.as_str().to_string()),
        key_manager: metadata.key_manager().map(|s| s.as_str().to_string()),
        multi_region: metadata.multi_region(),
        deletion_date: metadata.deletion_date().and_then(|d| {
            d.fmt(aws_sdk_kms::primitives::DateTimeFormat::DateTime)
                .ok()
        }),
    })
}

impl Aws for SdkAws {
    type Session = SdkSession;

    async fn caller_identity(&self) -> AwsResult<CallerIdentity> {
        let output = self
            .sts
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| self.error(e))?;
        Ok(CallerIdentity {
            account: output.account().unwrap_or_default().to_string(),
            arn: output.arn().unwrap_or_default().to_string(),
        })
    }

    async fn get_role(&self, role_name: &str) -> AwsResult<Role> {
        let output = self
            .iam
            .get_role()
            .role_name(role_name)
            .send()
            .await
            .map_err(|e| self.error(e))?;
        let role = output.role().ok_or_else(|| missing("Role"))?;
        Ok(Role {
            arn: role.arn().to_string(),
            trust_policy: decode(role.assume_role_policy_document().unwrap_or_default()),
        })
    }

    async fn role_policies(&self, role_name: &str) -> AwsResult<Vec<RolePolicy>> {
        let mut policies = Vec::new();
        let names = self
            .iam
            .list_role_policies()
            .role_name(role_name)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| self.error(e))?;
        for name in names {
            let output = self
                .iam
                .get_role_policy()
                .role_name(role_name)
                .policy_name(&name)
                .send()
                .await
                .map_err(|e| self.error(e))?;
            policies.push(RolePolicy {
                source: PolicySource::Inline { name },
                document: decode(output.policy_document()),
            });
        }
        let attached = self
            .iam
            .list_attached_role_policies()
            .role_name(role_name)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| self.error(e))?;
        for policy in attached {
            let Some(arn) = policy.policy_arn() else {
                continue;
            };
            let output = self
                .iam
                .get_policy()
                .policy_arn(arn)
                .send()
                .await
                .map_err(|e| self.error(e))?;
            let version = output
                .policy()
                .and_then(|p| p.default_version_id())
                .ok_or_else(|| missing("DefaultVersionId"))?
                .to_string();
            let output = self
                .iam
                .get_policy_version()
                .policy_arn(arn)
                .version_id(&version)
                .send()
                .await
                .map_err(|e| self.error(e))?;
            let document = output
                .policy_version()
                .and_then(|v| v.document())
                .ok_or_else(|| missing("Document"))?;
            policies.push(RolePolicy {
                source: PolicySource::Managed {
                    arn: arn.to_string(),
                    version,
                },
                document: decode(document),
            });
        }
        Ok(policies)
    }

    async fn describe_key(&self, key_id: &str) -> AwsResult<KeyMetadata> {
        let output = self
            .kms
            .describe_key()
            .key_id(key_id)
            .send()
            .await
            .map_err(|e| self.error(e))?;
        key_metadata(output.key_metadata())
    }

    async fn key_policy(&self, key_id: &str) -> AwsResult<String> {
        let output = self
            .kms
            .get_key_policy()
            .key_id(key_id)
            .policy_name("default")
            .send()
            .await
            .map_err(|e| self.error(e))?;
        output
            .policy()
            .map(str::to_string)
            .ok_or_else(|| missing("Policy"))
    }

    async fn key_rotation_enabled(&self, key_id: &str) -> AwsResult<bool> {
        let output = self
            .kms
            .get_key_rotation_status()
            .key_id(key_id)
            .send()
            .await
            .map_err(|e| self.error(e))?;
        Ok(output.key_rotation_enabled())
    }

    async fn assume_role(
        &self,
        role_arn: &str,
        external_id: Option<&str>,
    ) -> AwsResult<Self::Session> {
        let output = self
            .sts
            .assume_role()
            .role_arn(role_arn)
            .role_session_name("byokcheck-live")
            .duration_seconds(900)
            .set_external_id(external_id.map(str::to_string))
            .send()
            .await
            .map_err(|e| self.error(e))?;
        let credentials = output.credentials().ok_or_else(|| missing("Credentials"))?;
        let mut secrets = self.secrets.clone();
        secrets.push(credentials.secret_access_key().to_string());
        secrets.push(credentials.session_token().to_string());
        let session_credentials = aws_sdk_kms::config::Credentials::new(
            credentials.access_key_id(),
            credentials.secret_access_key(),
            Some(credentials.session_token().to_string()),
            None,
            "byokcheck-assume-role",
        );
        let config = aws_sdk_kms::config::Builder::from(&self.config)
            .credentials_provider(session_credentials)
            .build();
        Ok(SdkSession {
            kms: aws_sdk_kms::Client::from_conf(config),
            secrets,
        })
    }
}

/// KMS with the assumed role's credentials.
pub struct SdkSession {
    kms: aws_sdk_kms::Client,
    secrets: Vec<String>,
}

impl KmsSession for SdkSession {
    async fn describe_key(&self, key_id: &str) -> AwsResult<KeyMetadata> {
        let output = self
            .kms
            .describe_key()
            .key_id(key_id)
            .send()
            .await
            .map_err(|e| convert(e, &self.secrets))?;
        key_metadata(output.key_metadata())
    }

    async fn generate_data_key(
        &self,
        key_id: &str,
        context: &EncryptionContext,
    ) -> AwsResult<DataKey> {
        let output = self
            .kms
            .generate_data_key()
            .key_id(key_id)
            .key_spec(DataKeySpec::Aes256)
            .set_encryption_context(Some(context_map(context)))
            .send()
            .await
            .map_err(|e| convert(e, &self.secrets))?;
        Ok(DataKey {
            plaintext: Secret(
                output
                    .plaintext()
                    .ok_or_else(|| missing("Plaintext"))?
                    .as_ref()
                    .to_vec(),
            ),
            ciphertext: output
                .ciphertext_blob()
                .ok_or_else(|| missing("CiphertextBlob"))?
                .as_ref()
                .to_vec(),
        })
    }

    async fn encrypt(
        &self,
        key_id: &str,
        plaintext: &Secret,
        context: &EncryptionContext,
    ) -> AwsResult<Vec<u8>> {
        let output = self
            .kms
            .encrypt()
            .key_id(key_id)
            .plaintext(Blob::new(plaintext.0.clone()))
            .set_encryption_context(Some(context_map(context)))
            .send()
            .await
            .map_err(|e| convert(e, &self.secrets))?;
        Ok(output
            .ciphertext_blob()
            .ok_or_else(|| missing("CiphertextBlob"))?
            .as_ref()
            .to_vec())
    }

    async fn decrypt(
        &self,
        key_id: &str,
        ciphertext: &[u8],
        context: &EncryptionContext,
    ) -> AwsResult<Secret> {
        let output = self
            .kms
            .decrypt()
            .key_id(key_id)
            .ciphertext_blob(Blob::new(ciphertext.to_vec()))
            .set_encryption_context(Some(context_map(context)))
            .send()
            .await
            .map_err(|e| convert(e, &self.secrets))?;
        Ok(Secret(
            output
                .plaintext()
                .ok_or_else(|| missing("Plaintext"))?
                .as_ref()
                .to_vec(),
        ))
    }
}
