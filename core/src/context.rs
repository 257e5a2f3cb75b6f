//! The setup context: who the vendor is and what the customer shares.

use serde::{Deserialize, Serialize};

/// A vendor instance and the service role its platform assumes customer roles with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Instance {
    pub name: &'static str,
    pub service_role_arn: &'static str,
}

/// Known vendor instances. Instances are data: add one line per instance.
pub const INSTANCES: &[Instance] = &[Instance {
    name: "platform.kore.ai",
    service_role_arn: "arn:aws:iam::358587034707:role/SegBots-Servers-Role",
}];

/// The default instance, as the vendor's setup guide writes it.
pub const DEFAULT_INSTANCE: &str = "platform.kore.ai";

pub fn instance(name: &str) -> Option<&'static Instance> {
    INSTANCES
        .iter()
        .find(|i| i.name.eq_ignore_ascii_case(name.trim()))
}

/// Everything a check may compare a document against. Every part is optional: a check that
/// needs a missing part says what it could not check instead of guessing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Context {
    /// A known vendor instance (`platform.kore.ai`); gives the service role ARN.
    #[serde(default)]
    pub instance: Option<String>,
    /// The vendor's service role ARN; overrides the instance's.
    #[serde(default)]
    pub service_role_arn: Option<String>,
    /// The External ID the vendor's console shows.
    #[serde(default)]
    pub external_id: Option<String>,
    /// The customer's BYOK role ARN.
    #[serde(default)]
    pub role_arn: Option<String>,
    /// The customer's KMS key ARN.
    #[serde(default)]
    pub cmk_arn: Option<String>,
}

impl Context {
    /// The vendor's service role ARN: the explicit one, else the instance's.
    pub fn vendor_role_arn(&self) -> Option<&str> {
        self.service_role_arn
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .or_else(|| {
                self.instance
                    .as_deref()
                    .and_then(instance)
                    .map(|i| i.service_role_arn)
            })
    }

    pub fn external_id(&self) -> Option<&str> {
        self.external_id.as_deref().filter(|s| !s.is_empty())
    }

    pub fn role_arn(&self) -> Option<&str> {
        self.role_arn
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    pub fn cmk_arn(&self) -> Option<&str> {
        self.cmk_arn
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// The context rule examples and tests use: the Kore.ai instance and a synthetic customer.
    pub fn example() -> Self {
        Self {
            instance: Some(DEFAULT_INSTANCE.into()),
            service_role_arn: None,
            external_id: Some("kore-7f3a9c2e-byok".into()),
            role_arn: Some("arn:aws:iam::111122223333:role/BYOK_Role".into()),
            cmk_arn: Some(
                "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                    .into(),
            ),
        }
    }
}
