use crate::policy::{BaseOperator, Checked};
use crate::rules::{declare_rule, Sink};

use super::ip_ranges;
use super::support::listing;

declare_rule! {
    /// ## What it catches
    /// A `NotIpAddress` condition on `aws:SourceIp` that lists only private, loopback or
    /// link-local ranges (`10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16`, `127.0.0.0/8`,
    /// `169.254.0.0/16`, `fc00::/7`, `fe80::/10`, `::1`). Access Analyzer:
    /// `PRIVATE_NOT_IP_ADDRESS`. (`private-source-ip` reports the same list under `IpAddress`.)
    ///
    /// ## Why it matters
    /// `aws:SourceIp` is the public address a request reaches AWS from; it is never a private
    /// one. "Not from these private ranges" is therefore true of every request: a Deny meant
    /// for requests from outside the corporate network denies everything, an Allow restricts
    /// nothing. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "kms:*", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "kms:*", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// List the public ranges your requests leave from (your NAT gateway's addresses). To
    /// limit traffic through a VPC endpoint, use `aws:SourceVpc` or `aws:SourceVpce`, or
    /// `aws:VpcSourceIp` for the private addresses.
    pub(crate) static RULE = {
        code: "X003",
        name: "private-not-ip-address",
        severity: Error,
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
            if base != BaseOperator::NotIpAddress || !public.is_empty() || private.is_empty() {
                continue;
            }
            sink.report(
                &RULE,
                entry.values_span,
                format!(
                    "`{}` lists only private addresses ({}) under `{}`, but it holds the public address a request comes from: the condition is true of every request and has no effect",
                    entry.key.value,
                    listing(private.iter().copied()),
                    entry.operator.value
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
    fn flags_only_private_lists_under_not_ip_address() {
        let text =
            condition(r#"{"NotIpAddressIfExists": {"aws:SourceIp": ["10.0.0.0/8", "fd00::/8"]}}"#);
        let found = findings(&text, DocumentKind::Trust, "X003");
        assert_eq!(found.len(), 1);
        assert!(under(&text, &found[0]).starts_with("[\"10.0.0.0/8\""));
        assert_eq!(
            found[0].message,
            "`aws:SourceIp` lists only private addresses (`10.0.0.0/8`, `fd00::/8`) under `NotIpAddressIfExists`, but it holds the public address a request comes from: the condition is true of every request and has no effect"
        );
        for other in [
            r#"{"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "203.0.113.0/24"]}}"#,
            r#"{"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#,
            r#"{"NotIpAddress": {"aws:VpcSourceIp": "10.0.0.0/8"}}"#,
            r#"{"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "bogus"]}}"#,
        ] {
            assert!(
                findings(&condition(other), DocumentKind::Iam, "X003").is_empty(),
                "{other}"
            );
        }
    }
}
