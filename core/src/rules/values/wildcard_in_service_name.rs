use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A wildcard (`*` or `?`) in the service prefix of an action: `k*:Decrypt`, `*:Get*`,
    /// `*:*`. Access Analyzer: `WILDCARD_IN_SERVICE_NAME`.
    ///
    /// ## Why it matters
    /// The prefix matches every service whose name fits, today's and future ones: `k*:*`
    /// covers `kms`, `kafka`, `kendra`, `kinesis`... and `*:Get*` reads from every service.
    /// Access is as written, so it is a Suggestion; the `Allow` it sits in may well deserve a
    /// closer look.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "k*:Decrypt", "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Write each service prefix in full, one action per service: `"kms:Decrypt"`.
    pub(crate) static RULE = {
        code: "V023",
        name: "wildcard-in-service-name",
        severity: Suggestion,
        kinds: [Iam, Trust, Key],
        check: Some(check),
    };
}

/// The service prefix and action name of `action` when the prefix has a wildcard, in one pass
/// over the bytes (every action of every policy goes through here).
fn wildcard_service(action: &str) -> Option<(&str, &str)> {
    let mut wildcard = false;
    for (at, byte) in action.bytes().enumerate() {
        match byte {
            b':' => {
                return wildcard
                    .then(|| (action.get(..at), action.get(at + 1..)))
                    .and_then(|(s, n)| Some((s?, n?)))
            }
            b'*' | b'?' => wildcard = true,
            _ => {}
        }
    }
    None
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        let Some(action) = &statement.action else {
            continue;
        };
        for item in action.values.items.iter() {
            let Some((service, name)) = wildcard_service(item.value) else {
                continue;
            };
            sink.report(
                &RULE,
                item.span,
                format!(
                    "the service prefix `{service}` in `{}` has a wildcard: it matches every service whose name fits, including ones added later",
                    item.value
                ),
                Some(format!(
                    "write the service prefix in full, such as `\"kms:{name}\"`, with one entry per service"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{findings, statement, under};
    use crate::DocumentKind;

    #[test]
    fn flags_wildcards_in_the_service_only() {
        let text =
            statement(r#""NotAction": ["*", "kms:*", "k?s:Decrypt", "*:Get*"], "Resource": "*""#);
        let found = findings(&text, DocumentKind::Iam, "V023");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(under(&text, &found[0]), "\"k?s:Decrypt\"");
        assert_eq!(
            found[1].message,
            "the service prefix `*` in `*:Get*` has a wildcard: it matches every service whose name fits, including ones added later"
        );
        assert_eq!(
            found[1].help.as_deref(),
            Some("write the service prefix in full, such as `\"kms:Get*\"`, with one entry per service")
        );
    }
}
