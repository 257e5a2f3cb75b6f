//! AWS errors, translated into the likely cause and the fix. The wording AWS uses is the
//! evidence: `AccessDenied` says which policy refused ("no identity-based policy allows",
//! "no resource-based policy allows", "with an explicit deny in ..."), and the error codes of
//! KMS name the key's state. The strings matched here are the real ones collected in
//! `shared/reference/field-notes.md` (A.4).

use super::aws::{AwsError, Failure};

/// What a failed call most likely means and what to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub cause: String,
    pub fix: Option<String>,
}

/// What `explain` needs to know besides the error: the call and the ARNs it was about.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    /// `kms:Decrypt`, `sts:AssumeRole`...
    pub action: &'a str,
    pub role_arn: &'a str,
    pub cmk_arn: &'a str,
    pub region: &'a str,
    pub endpoint: &'a str,
    pub timeout_secs: u64,
}

fn explanation(cause: impl Into<String>, fix: Option<String>) -> Explanation {
    Explanation {
        cause: cause.into(),
        fix,
    }
}

/// The statement a key policy needs for the role to use the key, as the guide gives it.
pub fn key_user_statement(role_arn: &str) -> String {
    format!(
        r#"{{"Sid": "Allow use of the key", "Effect": "Allow", "Principal": {{"AWS": "{role_arn}"}}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], "Resource": "*"}}"#
    )
}

pub fn explain(error: &AwsError, call: Call<'_>) -> Explanation {
    match error.failure {
        Failure::Unreachable => {
            return explanation(
                format!(
                    "the AWS endpoint {} could not be reached, or the connection dropped",
                    call.endpoint
                ),
                Some(
                    "check the network, the proxy settings and `--endpoint-url`, then run again"
                        .to_string(),
                ),
            )
        }
        Failure::Timeout => {
            return explanation(
                format!(
                    "{} did not answer within {} s",
                    call.endpoint, call.timeout_secs
                ),
                Some("run again later, or allow more time with `--timeout`".to_string()),
            )
        }
        Failure::Service | Failure::Other => {}
    }
    let code = error.code.as_deref().unwrap_or_default();
    let message = error.message.as_str();
    let action = call.action;
    if error.is_access_denied() {
        return access_denied(message, call);
    }
    match code {
        "NotFoundException" => explanation(
            format!(
                "no key {} in {}: the key id or account is wrong, the key was deleted, or it is in another region (the region is taken from the CMK ARN)",
                call.cmk_arn, call.region
            ),
            Some(format!(
                "copy the key ARN from the KMS console of the key's own region, or look for it with `aws kms describe-key --key-id {} --region <region>`",
                call.cmk_arn
            )),
        ),
        "NoSuchEntity" | "NoSuchEntityException" => explanation(
            format!("the role {} does not exist: its name or account is wrong, or it was deleted", call.role_arn),
            Some("create the role (step 2 of the guide) or correct `--role-arn`".to_string()),
        ),
        "DisabledException" => explanation(
            "the key is disabled",
            Some(format!("aws kms enable-key --key-id {}", call.cmk_arn)),
        ),
        "KMSInvalidStateException" => explanation(
            "the key is not in a state that allows this call (pending deletion, pending import or unavailable)",
            Some(format!(
                "see its KeyState with `aws kms describe-key --key-id {0}`; if it is pending deletion: aws kms cancel-key-deletion --key-id {0}",
                call.cmk_arn
            )),
        ),
        "InvalidKeyUsageException" => explanation(
            "the key cannot encrypt and decrypt: its KeyUsage is not ENCRYPT_DECRYPT or its KeySpec is not SYMMETRIC_DEFAULT",
            Some("create a symmetric encryption key (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT) and share its ARN".to_string()),
        ),
        "IncorrectKeyException" => explanation(
            "the ciphertext was encrypted under another key than the one named",
            None,
        ),
        "InvalidCiphertextException" => explanation(
            "KMS rejected the ciphertext: it was changed, or the encryption context differs from the one used to encrypt",
            None,
        ),
        "ExpiredToken" | "ExpiredTokenException" | "RequestExpired" => explanation(
            "the credentials have expired",
            Some("refresh them (for SSO: `aws sso login`) and run again".to_string()),
        ),
        "InvalidClientTokenId" | "UnrecognizedClientException" | "SignatureDoesNotMatch"
        | "IncompleteSignature" | "InvalidSignatureException" => explanation(
            "AWS does not accept the credentials: wrong keys, a deleted user, or keys of another partition",
            Some("check which credentials are in use with `aws sts get-caller-identity`".to_string()),
        ),
        "Throttling" | "ThrottlingException" | "TooManyRequestsException"
        | "RequestLimitExceeded" | "LimitExceededException" => explanation(
            "AWS throttled the requests, even after retries with backoff",
            Some("run again in a minute".to_string()),
        ),
        "RegionDisabledException" => explanation(
            format!("STS is not activated in {} for this account", call.region),
            Some("activate the region's STS endpoint in the IAM console (Account settings)".to_string()),
        ),
        "UnsupportedOperationException" => explanation(
            format!("{action} is not supported for this key (an asymmetric, HMAC or imported-material key)"),
            None,
        ),
        "ValidationError" | "InvalidParameter" | "InvalidParameterValue"
            if message.contains("ExternalId") =>
        {
            explanation(
                "AWS refused the External ID itself: it must be 2 to 1224 characters of [A-Za-z0-9+=,.@:/_-]",
                Some("copy the External ID exactly as the vendor's console shows it".to_string()),
            )
        }
        "KMSInternalException" | "DependencyTimeoutException" | "ServiceUnavailable"
        | "InternalFailure" => explanation(
            "AWS reported an internal error",
            Some("run again; if it persists, check the AWS Health Dashboard".to_string()),
        ),
        _ => explanation(
            format!("{action} failed with {}", if code.is_empty() { "an error" } else { code }),
            None,
        ),
    }
}

fn access_denied(message: &str, call: Call<'_>) -> Explanation {
    let action = call.action;
    let lower = message.to_ascii_lowercase();
    if action == "sts:AssumeRole" || lower.contains("sts:assumerole") {
        return explanation(
            "the role's trust policy does not let the caller assume it with this External ID: the principal or the External ID differs, or the caller itself lacks sts:AssumeRole",
            Some("compare the trust policy's Principal and sts:ExternalId with the vendor's (`byokcheck check --kind trust`); IAM changes take 30 to 120 s to propagate (`--wait 120`)".to_string()),
        );
    }
    if lower.contains("ciphertext refers to a customer master key that does not exist") {
        return explanation(
            "KMS refused without saying why: the key was revoked from the role, is disabled or pending deletion, is in another region, or the ciphertext names another key",
            Some(format!(
                "check the key's state (`aws kms describe-key --key-id {}`) and that the key policy names the role",
                call.cmk_arn
            )),
        );
    }
    if lower.contains("explicit deny in a resource-based policy") {
        return explanation(
            format!("a Deny statement in the key policy blocks {action} (often an encryption-context or network condition)"),
            Some("find the Deny statement with `byokcheck check --kind key` on the key policy and narrow it".to_string()),
        );
    }
    if lower.contains("explicit deny in an identity-based policy") {
        return explanation(
            format!("a Deny statement in a policy attached to the role blocks {action}"),
            Some("remove or narrow the Deny statement in the role's policies".to_string()),
        );
    }
    if lower.contains("service control policy") {
        return explanation(
            format!("a service control policy of the organization denies {action}"),
            Some(
                "ask the organization's administrators to allow KMS use for this role".to_string(),
            ),
        );
    }
    if lower.contains("permissions boundary") {
        return explanation(
            format!("the role's permissions boundary does not allow {action}"),
            Some(format!(
                "add {action} to the boundary, or remove the boundary from the role"
            )),
        );
    }
    if lower.contains("no identity-based policy allows") {
        return explanation(
            format!("the role's IAM policy does not allow {action} on the key"),
            Some(format!(
                "add \"{action}\" to the IAM policy attached to the role, with \"Resource\": \"{}\"",
                call.cmk_arn
            )),
        );
    }
    if lower.contains("no resource-based policy allows") {
        return explanation(
            format!("the key policy does not allow the role {action}"),
            Some(format!(
                "add this statement to the key policy: {}",
                key_user_statement(call.role_arn)
            )),
        );
    }
    explanation(
        format!("access denied for {action}: the role's IAM policy or the key policy does not allow it"),
        Some(format!(
            "make sure the IAM policy allows {action} on the key and the key policy names the role: {}",
            key_user_statement(call.role_arn)
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLE: &str = "arn:aws:iam::111122223333:role/BYOK_Role";
    const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    fn call(action: &str) -> Call<'_> {
        Call {
            action,
            role_arn: ROLE,
            cmk_arn: KEY,
            region: "us-east-1",
            endpoint: "https://kms.us-east-1.amazonaws.com",
            timeout_secs: 10,
        }
    }

    fn denied(message: &str) -> AwsError {
        AwsError::service("AccessDeniedException", message)
    }

    // The messages below are verbatim fragments from field-notes.md A.4.
    #[test]
    fn identity_policy_denials_point_at_the_iam_policy() {
        let e = explain(
            &denied("User: arn:aws:sts::111122223333:assumed-role/BYOK_Role/s is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:111122223333:key/1234 because no identity-based policy allows the kms:Decrypt action"),
            call("kms:Decrypt"),
        );
        assert!(e.cause.contains("IAM policy"), "{e:?}");
        assert!(e.fix.unwrap_or_default().contains(KEY));
    }

    #[test]
    fn resource_policy_denials_give_the_key_user_statement() {
        let e = explain(
            &denied("User: x is not authorized to perform: kms:DescribeKey on resource: y because no resource-based policy allows the kms:DescribeKey action."),
            call("kms:DescribeKey"),
        );
        assert!(e.cause.contains("key policy"), "{e:?}");
        let fix = e.fix.unwrap_or_default();
        assert!(fix.contains(ROLE) && fix.contains("kms:Decrypt"), "{fix}");
    }

    #[test]
    fn explicit_denies_name_where_they_are() {
        let e = explain(
            &denied("User: x is not authorized to perform: kms:Encrypt on resource: y with an explicit deny in a resource-based policy"),
            call("kms:Encrypt"),
        );
        assert!(
            e.cause.contains("Deny statement in the key policy"),
            "{e:?}"
        );
        let e = explain(
            &denied("... with an explicit deny in an identity-based policy"),
            call("kms:Encrypt"),
        );
        assert!(e.cause.contains("attached to the role"), "{e:?}");
    }

    #[test]
    fn the_ambiguous_decrypt_error_lists_the_causes() {
        let e = explain(
            &denied("The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access."),
            call("kms:Decrypt"),
        );
        for cause in ["revoked", "disabled", "pending deletion", "another region"] {
            assert!(e.cause.contains(cause), "{cause}: {e:?}");
        }
    }

    #[test]
    fn assume_role_denials_point_at_the_trust_policy() {
        let e = explain(
            &AwsError::service("AccessDenied", "User: arn:aws:sts::999988887777:assumed-role/vendor/x is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role/BYOK_Role"),
            call("sts:AssumeRole"),
        );
        assert!(e.cause.contains("trust policy"), "{e:?}");
        assert!(e.fix.unwrap_or_default().contains("--wait"));
    }

    #[test]
    fn key_states_have_their_commands() {
        let e = explain(
            &AwsError::service("DisabledException", "key is disabled"),
            call("kms:Encrypt"),
        );
        assert_eq!(
            e.fix.as_deref(),
            Some(format!("aws kms enable-key --key-id {KEY}").as_str())
        );
        let e = explain(
            &AwsError::service("KMSInvalidStateException", "pending deletion"),
            call("kms:Encrypt"),
        );
        assert!(e.fix.unwrap_or_default().contains("cancel-key-deletion"));
        let e = explain(
            &AwsError::service("NotFoundException", "Key not found"),
            call("kms:DescribeKey"),
        );
        assert!(e.cause.contains("another region") && e.cause.contains("us-east-1"));
    }

    #[test]
    fn short_external_ids_are_explained() {
        let e = explain(
            &AwsError::service(
                "ValidationError",
                "1 validation error(s) found. - minimum field size of 2, AssumeRoleInput.ExternalId.",
            ),
            call("sts:AssumeRole"),
        );
        assert!(e.cause.contains("2 to 1224"), "{e:?}");
    }

    #[test]
    fn transport_failures_name_the_endpoint_or_the_timeout() {
        let unreachable = AwsError {
            failure: Failure::Unreachable,
            code: None,
            message: "connection refused".into(),
        };
        assert!(explain(&unreachable, call("sts:GetCallerIdentity"))
            .cause
            .contains("https://kms.us-east-1.amazonaws.com"));
        let timeout = AwsError {
            failure: Failure::Timeout,
            code: None,
            message: String::new(),
        };
        assert!(explain(&timeout, call("kms:Decrypt"))
            .cause
            .contains("within 10 s"));
    }
}
