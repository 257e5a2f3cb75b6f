use crate::policy::{BaseOperator, Checked};
use crate::rules::{declare_rule, Sink};

use super::access::{entries_of_kind, quoted_values, role_statements, Byok, ConditionKind, Scope};

declare_rule! {
    /// ## What it catches
    /// An `aws:SourceIp`, `aws:VpcSourceIp`, `aws:SourceVpc`, `aws:SourceVpce` or
    /// `aws:SourceVpcArn` condition on a statement that grants the BYOK role any of the four
    /// actions. `role-cannot-use-key` stays silent for the actions only the network decides.
    ///
    /// ## Why it matters
    /// The vendor calls KMS from its own network, not from your addresses or your VPC
    /// endpoints: such a condition blocks its calls (vendors report it as the key being
    /// network-blocked). A list of the vendor's published egress addresses can work, but
    /// breaks whenever they change. Warning: it works only if the condition matches the
    /// vendor's network.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Sid": "Allow BYOK role to use the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*", "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Sid": "Allow BYOK role to use the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Remove the network condition from the role's statement: the trust policy's External
    /// ID already controls who acts as the BYOK role.
    pub(crate) static RULE = {
        code: "K013",
        name: "network-condition",
        severity: Warning,
        kinds: [Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    let Some(byok) = Byok::new(doc) else {
        return;
    };
    let scope = Scope::of(doc);
    for statement in role_statements(scope, &byok, ConditionKind::Network) {
        let entries = entries_of_kind(statement, ConditionKind::Network);
        let Some(first) = entries.first() else {
            continue;
        };
        let limits: Vec<String> = entries
            .iter()
            .map(|entry| {
                let relation = match entry.parsed.map(|op| op.base) {
                    Some(BaseOperator::IpAddress) => "is in".to_string(),
                    Some(BaseOperator::NotIpAddress) => "is not in".to_string(),
                    Some(BaseOperator::StringEquals | BaseOperator::ArnEquals) => "is".to_string(),
                    Some(BaseOperator::StringNotEquals | BaseOperator::ArnNotEquals) => {
                        "is not".to_string()
                    }
                    Some(BaseOperator::StringLike | BaseOperator::ArnLike) => "matches".to_string(),
                    _ => format!("meets `{}`", entry.operator.value),
                };
                format!("`{}` {relation} {}", entry.key.value, quoted_values(entry))
            })
            .collect();
        let name = scope.describe(statement.index);
        sink.report(
            &RULE,
            first.key.span,
            format!(
                "{name} allows the BYOK role only when {}: the vendor calls KMS from its own network, not yours, so this condition blocks its calls",
                super::join(&limits, "and")
            ),
            Some(format!(
                "remove the `{}` condition from {name}: the trust policy's External ID already controls who acts as the BYOK role",
                first.key.value
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::key::tests::{findings, policy, ROOT, USERS};
    use crate::Context;

    fn users(condition: &str) -> String {
        USERS.replace(
            r#""Resource": "*"}"#,
            &format!(r#""Resource": "*", "Condition": {condition}}}"#),
        )
    }

    #[test]
    fn a_source_ip_condition_blocks_the_vendor() {
        let admin = r#"{"Sid": "Allow access for Key Administrators", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/KMSAdminRole"}, "Action": "kms:Put*", "Resource": "*"}"#;
        let text = policy(&[
            admin,
            &users(r#"{"IpAddress": {"aws:SourceIp": ["192.0.2.0/24", "198.51.100.0/24"]}}"#),
        ]);
        let found = findings(&text, "K013", &Context::example());
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(
            f.message,
            "the key-users statement `Allow use of the key` allows the BYOK role only when `aws:SourceIp` is in `192.0.2.0/24` or `198.51.100.0/24`: the vendor calls KMS from its own network, not yours, so this condition blocks its calls"
        );
        assert_eq!(&text[f.span.start..f.span.end], "\"aws:SourceIp\"");
        // Even with no other path, this is the explanation, not `role-cannot-use-key`.
        assert!(findings(&text, "K002", &Context::example()).is_empty());
    }

    #[test]
    fn a_star_statement_limited_to_the_role_counts() {
        let star = r#"{"Sid": "Allow use of the key", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/BYOK_Role"}, "StringEquals": {"aws:SourceVpc": "vpc-111bbb22"}}}"#;
        assert_eq!(
            findings(&policy(&[ROOT, USERS, star]), "K013", &Context::example()).len(),
            1
        );
        // Without the role's conditions, it is someone else's statement.
        let others = star.replace("role/BYOK_Role", "role/Batch");
        assert!(findings(
            &policy(&[ROOT, USERS, &others]),
            "K013",
            &Context::example()
        )
        .is_empty());
    }

    #[test]
    fn each_operator_is_described_as_what_it_asks() {
        for (condition, described) in [
            (
                r#"{"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#,
                "`aws:SourceIp` is not in `203.0.113.0/24`",
            ),
            (
                r#"{"StringEquals": {"aws:SourceVpc": "vpc-111bbb22"}}"#,
                "`aws:SourceVpc` is `vpc-111bbb22`",
            ),
            (
                r#"{"StringNotEquals": {"aws:SourceVpc": "vpc-111bbb22"}}"#,
                "`aws:SourceVpc` is not `vpc-111bbb22`",
            ),
            (
                r#"{"StringLike": {"aws:SourceVpce": "vpce-*"}}"#,
                "`aws:SourceVpce` matches `vpce-*`",
            ),
        ] {
            let text = policy(&[ROOT, &users(condition)]);
            let found = findings(&text, "K013", &Context::example());
            assert_eq!(found.len(), 1, "{condition}: {found:#?}");
            assert!(
                found[0]
                    .message
                    .contains(&format!("allows the BYOK role only when {described}:")),
                "{}",
                found[0].message
            );
        }
    }
}
