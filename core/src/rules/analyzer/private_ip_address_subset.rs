use crate::policy::{BaseOperator, Checked};
use crate::rules::{declare_rule, Sink};

use super::ip_ranges;
use super::support::listing;

declare_rule! {
    /// ## What it catches
    /// An `IpAddress` or `NotIpAddress` condition on `aws:SourceIp` that mixes public ranges
    /// with private, loopback or link-local ones (`10.0.0.0/8`, `192.168.0.0/16`, `fc00::/7`...).
    /// Access Analyzer: `PRIVATE_IP_ADDRESS_SUBSET` (under `IpAddress`) and
    /// `PRIVATE_NOT_IP_ADDRESS_SUBSET` (under `NotIpAddress`); one rule, with a message for each.
    ///
    /// ## Why it matters
    /// `aws:SourceIp` is the public address a request reaches AWS from, so the private ranges
    /// never match: they do nothing, and whoever wrote them expected them to admit (or exclude)
    /// traffic from inside the network. The public ranges still work, so it is a Suggestion.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "10.0.0.0/8"]}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Remove the private ranges. To admit traffic through a VPC endpoint, add a separate
    /// statement or condition on `aws:SourceVpc`, `aws:SourceVpce` or `aws:VpcSourceIp`.
    pub(crate) static RULE = {
        code: "X004",
        name: "private-ip-address-subset",
        severity: Suggestion,
        kinds: [Iam, Trust, Key],
        check: Some(check),
        needs: crate::rules::Needs::Family(crate::policy::Family::Ip),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        for entry in statement.condition_entries() {
            let Some((base, private, public)) = ip_ranges(entry) else {
                continue;
            };
            if public.is_empty() || private.is_empty() {
                continue;
            }
            let effect = if base == BaseOperator::IpAddress {
                "never match, so they admit nothing"
            } else {
                "never match, so excluding them has no effect"
            };
            sink.report(
                &RULE,
                entry.values_span,
                format!(
                    "`{}` mixes public and private addresses under `{}`; it holds the public address a request comes from, so the private ones ({}) {effect}",
                    entry.key.value,
                    entry.operator.value,
                    listing(private.iter().copied())
                ),
                Some(format!(
                    "remove {}; for traffic through a VPC endpoint use `aws:SourceVpc`, `aws:SourceVpce` or `aws:VpcSourceIp`",
                    listing(private.iter().copied())
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{condition, findings};
    use crate::DocumentKind;

    #[test]
    fn flags_mixes_under_both_operators() {
        let text = condition(
            r#"{"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "10.0.0.0/8"]}, "NotIpAddress": {"aws:SourceIp": ["192.168.0.0/16", "198.51.100.7"]}}"#,
        );
        let found = findings(&text, DocumentKind::Iam, "X004");
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0].message,
            "`aws:SourceIp` mixes public and private addresses under `IpAddress`; it holds the public address a request comes from, so the private ones (`10.0.0.0/8`) never match, so they admit nothing"
        );
        assert!(found[1].message.ends_with("excluding them has no effect"));
        assert_eq!(
            found[1].help.as_deref(),
            Some("remove `192.168.0.0/16`; for traffic through a VPC endpoint use `aws:SourceVpc`, `aws:SourceVpce` or `aws:VpcSourceIp`")
        );
    }

    #[test]
    fn leaves_pure_lists_alone() {
        for block in [
            r#"{"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}"#,
            r#"{"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8"]}}"#,
            r#"{"IpAddress": {"aws:VpcSourceIp": ["10.0.0.0/8", "203.0.113.0/24"]}}"#,
        ] {
            assert!(
                findings(&condition(block), DocumentKind::Iam, "X004").is_empty(),
                "{block}"
            );
        }
    }
}
