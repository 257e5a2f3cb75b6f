use crate::policy::{BaseOperator, Checked, ValueType};
use crate::rules::values::support::parse_ip_range;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// An `IpAddress` condition on `aws:SourceIp` that lists only private, loopback or
    /// link-local ranges (`10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16`, `127.0.0.0/8`,
    /// `169.254.0.0/16`, `fc00::/7`, `fe80::/10`, `::1`). Access Analyzer: `PRIVATE_IP_ADDRESS`.
    ///
    /// ## Why it matters
    /// `aws:SourceIp` is the public address a request reaches AWS from. Requests through a VPC
    /// endpoint carry no public address, and requests over the internet never come from a
    /// private one, so the condition never matches and the statement never allows anything.
    /// The statement does not do what it was written for, so it is an Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/16"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// For internet traffic, list the public ranges your requests leave from. For traffic
    /// through a VPC endpoint, use `aws:SourceVpc` or `aws:SourceVpce`, or `aws:VpcSourceIp`
    /// for the private addresses.
    pub(crate) static RULE = {
        code: "V006",
        name: "private-source-ip",
        severity: Error,
        kinds: [Iam, Trust, Key],
        check: Some(check),
        needs: crate::rules::Needs::Family(crate::policy::Family::Ip),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        for entry in statement.condition_entries() {
            let Some(operator) = entry.parsed else {
                continue;
            };
            if operator.base != BaseOperator::IpAddress
                || !entry.key.value.eq_ignore_ascii_case("aws:SourceIp")
                || entry.values.is_empty()
            {
                continue;
            }
            let all_private = entry.values.iter().all(|v| {
                v.value_type == ValueType::String
                    && parse_ip_range(v.text).is_some_and(|r| r.is_private())
            });
            if !all_private {
                continue;
            }
            let listed = entry
                .values
                .iter()
                .map(|v| format!("`{}`", v.text))
                .collect::<Vec<_>>()
                .join(", ");
            let outcome = if operator.if_exists {
                "this condition matches only requests without the key, such as those made by AWS services"
            } else {
                "this condition never matches"
            };
            sink.report(
                &RULE,
                entry.values_span,
                format!(
                    "`{}` lists only private addresses ({listed}), but it holds the public address a request comes from: {outcome}",
                    entry.key.value
                ),
                Some(
                    "list the public ranges your requests leave from; for traffic through a VPC endpoint use `aws:SourceVpc` or `aws:SourceVpce`, or `aws:VpcSourceIp` for private addresses"
                        .into(),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{condition, findings, under};
    use crate::DocumentKind;

    #[test]
    fn flags_private_only_lists_in_any_key_case() {
        let text = condition(
            r#"{"IpAddress": {"AWS:sourceip": ["10.0.0.0/8", "192.168.1.0/24", "fd00::/8", "127.0.0.1"]}}"#,
        );
        let found = findings(&text, DocumentKind::Key, "V006");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(under(&text, &found[0]).starts_with("[\"10.0.0.0/8\""));
        assert!(found[0].message.starts_with(
            "`AWS:sourceip` lists only private addresses (`10.0.0.0/8`, `192.168.1.0/24`"
        ));
        assert!(found[0].message.ends_with("this condition never matches"));
    }

    #[test]
    fn leaves_mixed_lists_other_keys_and_not_ip_address_alone() {
        for condition_block in [
            r#"{"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "203.0.113.0/24"]}}"#,
            r#"{"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/8"}}"#,
            r#"{"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#,
            r#"{"IpAddress": {"aws:SourceIp": ["10.0.0.0/7"]}}"#,
            r#"{"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "not-an-ip"]}}"#,
        ] {
            let text = condition(condition_block);
            assert!(
                findings(&text, DocumentKind::Iam, "V006").is_empty(),
                "{condition_block}"
            );
        }
    }

    #[test]
    fn if_exists_says_when_it_matches() {
        let text = condition(r#"{"IpAddressIfExists": {"aws:SourceIp": "169.254.0.0/16"}}"#);
        let found = findings(&text, DocumentKind::Iam, "V006");
        assert_eq!(found.len(), 1);
        assert!(found[0]
            .message
            .contains("matches only requests without the key"));
    }
}
