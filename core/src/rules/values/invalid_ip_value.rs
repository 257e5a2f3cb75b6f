use crate::policy::{Checked, Family, ValueType};
use crate::rules::values::support::parse_ip_range;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// An `IpAddress` or `NotIpAddress` condition whose value is not an IPv4 or IPv6 address
    /// or CIDR range: `10.0.*.*`, `10.0.0.0/33`, `203.0.113.0 - 203.0.113.255`, `my-office`.
    /// Access Analyzer: `TYPE_MISMATCH_IP_RANGE`.
    ///
    /// ## Why it matters
    /// A value that is not an address matches no request: under `IpAddress` the condition
    /// never matches, under `NotIpAddress` the value excludes nothing. IAM accepts the policy,
    /// so it is a Warning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.*"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Write an address (`203.0.113.7`) or a CIDR range (`203.0.113.0/24`, `2001:db8::/32`);
    /// IP conditions take no wildcards and no `first - last` ranges.
    pub(crate) static RULE = {
        code: "V004",
        name: "invalid-ip-value",
        severity: Warning,
        kinds: [Iam, Trust, Key],
        check: Some(check),
        needs: crate::rules::Needs::Family(crate::policy::Family::Ip),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        for entry in statement.condition_entries() {
            if entry.parsed.map(|op| op.base.family()) != Some(Family::Ip) {
                continue;
            }
            for value in &entry.values {
                let ok = value.value_type == ValueType::String
                    // A variable here is `variable-invalid-for-operator`'s finding.
                    && (parse_ip_range(value.text).is_some() || crate::policy::holds_variable_start(value.text));
                if ok {
                    continue;
                }
                let trimmed: String = value.text.chars().filter(|c| !c.is_whitespace()).collect();
                let help = if crate::policy::has_wildcard(value.text) {
                    "IP conditions take no wildcards: write a CIDR range, such as `203.0.113.0/24` for `203.0.113.*`".to_string()
                } else if parse_ip_range(&trimmed).is_some() {
                    format!("write `\"{trimmed}\"`")
                } else if let Some((addr, _)) = value
                    .text
                    .split_once('/')
                    .filter(|(a, _)| parse_ip_range(a).is_some())
                {
                    let max = if addr.contains(':') { 128 } else { 32 };
                    format!("the prefix length after `/` is a number from 0 to {max}")
                } else {
                    "write an IPv4 or IPv6 address, optionally with a prefix length: `203.0.113.0/24`, `2001:db8::/32`".to_string()
                };
                sink.report(
                    &RULE,
                    value.span,
                    format!(
                        "`{}` is not an IP address or CIDR range: `{}` takes values such as `203.0.113.0/24`",
                        value.text, entry.operator.value
                    ),
                    Some(help),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{condition, findings, under};
    use crate::DocumentKind;

    #[test]
    fn accepts_ipv4_ipv6_and_cidr() {
        let text = condition(
            r#"{"NotIpAddressIfExists": {"aws:SourceIp": ["203.0.113.7", "203.0.113.0/24", "2001:db8::/32", "2001:db8::1", "::ffff:203.0.113.7/128"]}}"#,
        );
        assert!(findings(&text, DocumentKind::Iam, "V004").is_empty());
    }

    #[test]
    fn flags_wildcards_bad_prefixes_and_non_strings() {
        let text = condition(
            r#"{"IpAddress": {"aws:SourceIp": ["10.0.*.*", "10.0.0.0/33", "2001:db8::/129", " 10.0.0.0/8", 10]}}"#,
        );
        let found = findings(&text, DocumentKind::Iam, "V004");
        assert_eq!(found.len(), 5, "{found:#?}");
        assert_eq!(
            found[0].message,
            "`10.0.*.*` is not an IP address or CIDR range: `IpAddress` takes values such as `203.0.113.0/24`"
        );
        assert!(found[0].help.as_deref().unwrap().contains("no wildcards"));
        assert_eq!(
            found[1].help.as_deref(),
            Some("the prefix length after `/` is a number from 0 to 32")
        );
        assert_eq!(
            found[2].help.as_deref(),
            Some("the prefix length after `/` is a number from 0 to 128")
        );
        assert_eq!(found[3].help.as_deref(), Some("write `\"10.0.0.0/8\"`"));
        assert_eq!(under(&text, &found[4]), "10");
    }
}
