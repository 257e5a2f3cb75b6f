use crate::finding::DocumentKind;
use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

const PARTITIONS: [&str; 8] = [
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

declare_rule! {
    /// ## What it catches
    /// A `Resource` or `NotResource` value that is neither `*` nor a well-formed ARN: no
    /// `arn:` prefix (a bare key ID, `alias/my-key`), fewer than the six colon-separated
    /// fields `arn:partition:service:region:account:resource`, upper case in the service, or a
    /// partition that does not exist. Wildcards and policy variables may stand in any field.
    /// Access Analyzer: `INVALID_ARN_PREFIX`, `MISSING_ARN_FIELD`, `INVALID_ARN_SERVICE_CASE`,
    /// `INVALID_PARTITION`.
    ///
    /// ## Why it matters
    /// IAM rejects an identity policy with a malformed resource ARN; KMS may accept it in a key
    /// policy, where the statement then matches nothing. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "1234abcd-12ab-34cd-56ef-1234567890ab"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
    /// ```
    ///
    /// ## How to fix
    /// Write the full ARN, keeping empty fields (`arn:aws:s3:::my-bucket` has no region and no
    /// account). For a KMS key: `arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID`. In a key policy,
    /// write `"*"`: it means the key the policy is attached to.
    pub(crate) static RULE = {
        code: "V021",
        name: "invalid-resource-arn",
        severity: Error,
        kinds: [Iam, Key],
        check: Some(check),
    };
}

/// Splits at the first five colons that are not inside a `${...}` variable, whose names have
/// colons of their own (`${aws:username}`).
fn arn_fields(value: &str) -> Vec<&str> {
    let mut fields = Vec::with_capacity(6);
    let mut field_start = 0;
    let mut in_variable = false;
    let mut previous = '\0';
    for (i, c) in value.char_indices() {
        match c {
            '{' if previous == '$' => in_variable = true,
            '}' if in_variable => in_variable = false,
            ':' if !in_variable && fields.len() < 5 => {
                fields.push(value.get(field_start..i).unwrap_or_default());
                field_start = i + 1;
            }
            _ => {}
        }
        previous = c;
    }
    fields.push(value.get(field_start..).unwrap_or_default());
    fields
}

fn has_wildcard_or_variable(field: &str) -> bool {
    crate::policy::has_wildcard(field) || crate::policy::holds_variable_start(field)
}

fn is_key_id(value: &str) -> bool {
    let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    if let Some(rest) = value.strip_prefix("mrk-") {
        return hex(rest, 32);
    }
    let parts: Vec<&str> = value.split('-').collect();
    parts.len() == 5 && parts.iter().zip([8, 4, 4, 4, 12]).all(|(p, n)| hex(p, n))
}

/// The problem with `value`, as a message and a help, or `None` when it is well formed.
fn problem(value: &str, doc: &Checked<'_>) -> Option<(String, String)> {
    // A resource that is one variable, or starts with one, may well hold a whole ARN.
    if value == "*" || value.starts_with("${") {
        return None;
    }
    let key_policy = doc.kind == DocumentKind::Key;
    let Some(rest) = value.strip_prefix("arn:") else {
        let help = if key_policy {
            "in a key policy write `\"*\"`: it means the key the policy is attached to".to_string()
        } else if value.len() > 4
            && value
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case("arn:"))
        {
            format!(
                "write `arn:` in lower case: `arn:{}`",
                value.get(4..).unwrap_or_default()
            )
        } else if is_key_id(value) {
            format!("write the key ARN: `arn:aws:kms:REGION:ACCOUNT_ID:key/{value}`")
        } else if value.starts_with("alias/") {
            format!("write the alias ARN, `arn:aws:kms:REGION:ACCOUNT_ID:{value}`; better, the key ARN, since an alias can move to another key")
        } else {
            "write the full ARN, `arn:PARTITION:SERVICE:REGION:ACCOUNT_ID:RESOURCE`, or `*`"
                .to_string()
        };
        let what = if is_key_id(value) {
            " (a key ID)"
        } else if value.starts_with("alias/") {
            " (an alias name)"
        } else {
            ""
        };
        return Some((
            format!("`{value}`{what} is not an ARN: resource ARNs start with `arn:`"),
            help,
        ));
    };
    let fields = arn_fields(value);
    let [_, partition, service, _region, _account, _resource] = fields.as_slice() else {
        return Some((
            format!(
                "`{value}` has {} of the 6 colon-separated fields of an ARN, `arn:partition:service:region:account:resource`",
                fields.len()
            ),
            "keep every field, empty ones too: `arn:aws:s3:::my-bucket` has no region and no account".to_string(),
        ));
    };
    // An empty resource field is left alone: AWS's own managed policies write
    // `arn:aws:organizations::*:`.
    if partition.is_empty() || service.is_empty() {
        let missing = if partition.is_empty() {
            "partition"
        } else {
            "service"
        };
        return Some((
            format!("`{value}` has an empty {missing} field"),
            "write the full ARN, `arn:PARTITION:SERVICE:REGION:ACCOUNT_ID:RESOURCE`".to_string(),
        ));
    }
    if !has_wildcard_or_variable(partition) && !PARTITIONS.contains(partition) {
        let suggestion = crate::suggest::best(partition, PARTITIONS)
            .map(|p| format!("did you mean `{p}`? "))
            .unwrap_or_default();
        return Some((
            format!("`{partition}` in `{value}` is not an AWS partition"),
            format!(
                "{suggestion}the partitions are {}",
                PARTITIONS.map(|p| format!("`{p}`")).join(", ")
            ),
        ));
    }
    if service.chars().any(|c| c.is_ascii_uppercase()) {
        let lower = service.to_ascii_lowercase();
        let fixed = format!(
            "arn:{partition}:{lower}:{}",
            rest.splitn(3, ':').nth(2).unwrap_or_default()
        );
        return Some((
            format!("the service `{service}` in `{value}` is not in lower case"),
            format!("write `{fixed}`"),
        ));
    }
    None
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        let Some(resource) = &statement.resource else {
            continue;
        };
        for item in resource.values.items.iter() {
            if let Some((message, help)) = problem(item.value, doc) {
                sink.report(&RULE, item.span, message, Some(help));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::arn_fields;
    use crate::rules::values::support::testing::{findings, statement, under};
    use crate::DocumentKind;

    fn one(resource: &str, kind: DocumentKind) -> Option<(String, String)> {
        let text = statement(&format!(
            r#""Action": "kms:Decrypt", "Resource": "{resource}""#
        ));
        let found = findings(&text, kind, "V021");
        assert!(found.len() <= 1);
        found.first().map(|f| {
            assert_eq!(under(&text, f), format!("\"{resource}\""));
            (f.message.clone(), f.help.clone().unwrap())
        })
    }

    #[test]
    fn only_hex_of_the_right_lengths_is_a_key_id() {
        // A real key ID is named as one in `explains_each_problem`. The right lengths but not
        // hex, and hex of the wrong length: not key IDs.
        for value in ["1234abcd-12ab-34cd-56ef-1234567890xy", "mrk-1234abcd"] {
            let (message, help) = one(value, DocumentKind::Iam).unwrap();
            assert_eq!(
                message,
                format!("`{value}` is not an ARN: resource ARNs start with `arn:`")
            );
            assert_eq!(
                help,
                "write the full ARN, `arn:PARTITION:SERVICE:REGION:ACCOUNT_ID:RESOURCE`, or `*`"
            );
        }
    }

    #[test]
    fn splits_around_variables() {
        assert_eq!(
            arn_fields("arn:aws:s3:::${aws:username}/a:b"),
            ["arn", "aws", "s3", "", "", "${aws:username}/a:b"]
        );
        assert_eq!(arn_fields("arn:${aws:x}:s3"), ["arn", "${aws:x}", "s3"]);
        // A brace without its `$` opens no variable.
        assert_eq!(
            arn_fields("arn:aws:kms:{r:1}:x"),
            ["arn", "aws", "kms", "{r", "1}", "x"]
        );
    }

    #[test]
    fn accepts_wildcards_variables_and_empty_region_and_account() {
        for ok in [
            "*",
            "arn:aws:s3:::my-bucket",
            "arn:*:kms:*:*:key/*",
            "arn:aws*:kms:us-east-1:111122223333:key/*",
            "arn:aws:s3:::${aws:PrincipalTag/bucket}",
            "arn:aws:kms:${aws:RequestedRegion}:${aws:PrincipalAccount}:key/*",
            "arn:aws-us-gov:iam::111122223333:role/x",
            "${aws:PrincipalTag/KeyArn}",
            "arn:aws:organizations::*:",
        ] {
            assert_eq!(one(ok, DocumentKind::Iam), None, "{ok}");
        }
    }

    #[test]
    fn explains_each_problem() {
        let (message, help) =
            one("1234abcd-12ab-34cd-56ef-1234567890ab", DocumentKind::Iam).unwrap();
        assert_eq!(
            message,
            "`1234abcd-12ab-34cd-56ef-1234567890ab` (a key ID) is not an ARN: resource ARNs start with `arn:`"
        );
        assert_eq!(
            help,
            "write the key ARN: `arn:aws:kms:REGION:ACCOUNT_ID:key/1234abcd-12ab-34cd-56ef-1234567890ab`"
        );
        let (_, help) = one("alias/byok", DocumentKind::Key).unwrap();
        assert_eq!(
            help,
            "in a key policy write `\"*\"`: it means the key the policy is attached to"
        );

        let (message, _) = one("arn:aws:kms:us-east-1:key/x", DocumentKind::Iam).unwrap();
        assert_eq!(
            message,
            "`arn:aws:kms:us-east-1:key/x` has 5 of the 6 colon-separated fields of an ARN, `arn:partition:service:region:account:resource`"
        );
        let (message, help) = one(
            "arn:aws:KMS:us-east-1:111122223333:key/x",
            DocumentKind::Iam,
        )
        .unwrap();
        assert_eq!(
            message,
            "the service `KMS` in `arn:aws:KMS:us-east-1:111122223333:key/x` is not in lower case"
        );
        assert_eq!(help, "write `arn:aws:kms:us-east-1:111122223333:key/x`");
        let (message, help) = one(
            "arn:aws-gov:kms:us-east-1:111122223333:key/x",
            DocumentKind::Iam,
        )
        .unwrap();
        assert_eq!(
            message,
            "`aws-gov` in `arn:aws-gov:kms:us-east-1:111122223333:key/x` is not an AWS partition"
        );
        assert!(
            help.starts_with("did you mean `aws-cn`?") || help.contains("`aws-us-gov`"),
            "{help}"
        );
        let (_, help) = one(
            "ARN:aws:kms:us-east-1:111122223333:key/x",
            DocumentKind::Iam,
        )
        .unwrap();
        assert_eq!(
            help,
            "write `arn:` in lower case: `arn:aws:kms:us-east-1:111122223333:key/x`"
        );
        let (message, _) = one("arn:aws::us-east-1:111122223333:key/x", DocumentKind::Iam).unwrap();
        assert!(message.ends_with("has an empty service field"));
    }
}
