//! The fields of `Resource` ARNs, for the services whose ARN shapes the checks know: `iam`
//! (no region), `kms` (a region), and `s3` buckets and objects (no region, no account).

use crate::eval::arn_parts;
use crate::policy::{Checked, Policy, Str};

/// A `Resource` or `NotResource` value split into its ARN fields.
#[derive(Debug)]
pub(crate) struct ResourceArn<'a> {
    pub value: Str<'a>,
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

/// S3 resource types that do carry a region and an account (`accesspoint/…`, `job/…`);
/// anything else is a bucket or an object.
const S3_TYPED: [&str; 6] = [
    "accesspoint",
    "job",
    "storage-lens",
    "storage-lens-group",
    "async-request",
    "access-grants",
];

impl ResourceArn<'_> {
    /// A field the checks may judge: written out, with no wildcard or policy variable.
    pub(crate) fn literal(field: &str) -> bool {
        !crate::policy::has_wildcard(field) && !crate::policy::holds_variable_start(field)
    }

    pub(crate) fn is_s3_bucket_or_object(&self) -> bool {
        if self.service != "s3" {
            return false;
        }
        let first = self.resource.split('/').next().unwrap_or_default();
        !S3_TYPED.contains(&first)
    }

    /// The ARN with `region` and `account` replaced, for help text.
    pub(crate) fn with(&self, region: &str, account: &str) -> String {
        format!(
            "arn:{}:{}:{region}:{account}:{}",
            self.partition, self.service, self.resource
        )
    }
}

/// Every `Resource` and `NotResource` value that is an ARN of `iam`, `kms` or `s3`, found once
/// per document: three rules ask.
pub(crate) fn resource_arns<'d, 'a>(doc: &'d Checked<'a>) -> &'d [ResourceArn<'a>] {
    doc.memo
        .resource_arns
        .get_or_init(|| find_resource_arns(doc.policy))
}

fn find_resource_arns<'a>(policy: &Policy<'a>) -> Vec<ResourceArn<'a>> {
    let mut found = Vec::new();
    for statement in &policy.statements {
        let Some(resource) = &statement.resource else {
            continue;
        };
        for value in resource.values.items.iter() {
            let Some(["arn", partition, service @ ("iam" | "kms" | "s3"), region, account, rest]) =
                arn_parts(value.value)
            else {
                continue;
            };
            found.push(ResourceArn {
                value: *value,
                partition,
                service,
                region,
                account,
                resource: rest,
            });
        }
    }
    found
}
