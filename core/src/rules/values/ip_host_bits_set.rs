use crate::policy::{Checked, Family, ValueType};
use crate::rules::values::support::parse_ip_range;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A CIDR range in an `IpAddress` or `NotIpAddress` condition with bits set after the
    /// prefix: `10.0.0.1/8` where `10.0.0.0/8` is meant. Access Analyzer: `IMPROVE_IP_RANGE`.
    ///
    /// ## Why it matters
    /// IAM ignores the bits after the prefix, so `10.0.0.1/8` is the whole `10.0.0.0/8`. If a
    /// single host was meant, the range is far wider than intended; if the range was meant, the
    /// address only misleads readers. Access is as for the network address, so it is a
    /// Suggestion.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.7/24"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Write the network address the message gives, or `/32` (`/128` for IPv6) for one host.
    pub(crate) static RULE = {
        code: "V005",
        name: "ip-host-bits-set",
        severity: Suggestion,
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
                if value.value_type != ValueType::String {
                    continue;
                }
                let Some(range) = parse_ip_range(value.text) else {
                    continue;
                };
                let (Some(prefix), network) = (range.prefix, range.network()) else {
                    continue;
                };
                if network == range.addr {
                    continue;
                }
                sink.report(
                    &RULE,
                    value.span,
                    format!(
                        "`{}` has bits set after the /{prefix} prefix: IAM ignores them and reads `{network}/{prefix}`",
                        value.text
                    ),
                    Some(format!(
                        "write `\"{network}/{prefix}\"`, or `\"{}/{}\"` for the one address",
                        range.addr,
                        range.max_prefix()
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{condition, findings};
    use crate::DocumentKind;

    #[test]
    fn gives_the_network_address_for_ipv4_and_ipv6() {
        let text = condition(
            r#"{"NotIpAddress": {"aws:SourceIp": ["10.0.0.1/8", "10.0.0.0/8", "10.0.0.1", "2001:db8::1/32", "2001:db8::/32"]}}"#,
        );
        let found = findings(&text, DocumentKind::Iam, "V005");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(
            found[0].message,
            "`10.0.0.1/8` has bits set after the /8 prefix: IAM ignores them and reads `10.0.0.0/8`"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("write `\"10.0.0.0/8\"`, or `\"10.0.0.1/32\"` for the one address")
        );
        assert_eq!(
            found[1].help.as_deref(),
            Some("write `\"2001:db8::/32\"`, or `\"2001:db8::1/128\"` for the one address")
        );
    }
}
