use crate::eval::wildcard_matches;
use crate::policy::{Checked, Effect, Statement};
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// An action of another service than KMS (`s3:GetObject`, `s3:*`, `iam:PassRole`,
    /// `sts:AssumeRole`...) in an `Allow` statement of the BYOK role's policy, when the
    /// statement's resources can reach that service (`"Resource": "*"`, an ARN of that
    /// service, or a `NotResource`). Not reported: such an action whose resources are only KMS
    /// ARNs (it grants nothing), `sts:GetCallerIdentity` (it needs no permission), and `*` or
    /// `NotAction`, which `overbroad-kms-grant` reports.
    ///
    /// ## Why it matters
    /// The vendor assumes this role: every permission on it is the vendor's. The BYOK policy
    /// should hold only the four KMS actions; anything else widens what the vendor can do in the
    /// customer's account (read buckets, pass or assume other roles). Security warning, wildcard
    /// or not: one action such as `iam:PassRole` or `s3:GetObject` on `*` is enough to reach
    /// data that was never part of the contract.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "s3:*"], "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
    /// ```
    ///
    /// ## How to fix
    /// Remove the action from the BYOK role's policy. If something of yours needs it, give it
    /// to another role, one the vendor cannot assume.
    pub(crate) static RULE = {
        code: "I007",
        name: "non-kms-actions",
        severity: SecurityWarning,
        kinds: [Iam],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    // Only a policy checked as the BYOK role's policy (a CMK in the context) is expected to
    // hold nothing but KMS actions; a general identity policy is not this rule's business.
    if doc.context.cmk_arn().is_none() {
        return;
    }
    let allows = doc
        .policy
        .statements
        .iter()
        .filter(|s| s.effect() == Some(Effect::Allow));
    for statement in allows {
        let Some(element) = statement.action.as_ref().filter(|a| !a.negated) else {
            continue;
        };
        for value in element.values.items.iter() {
            let Some((service, _)) = crate::policy::split_at_colon(value.value) else {
                continue;
            };
            // `*:...` and `k*:...` are malformed service names, which other rules report;
            // patterns that reach KMS are overbroad-kms-grant's.
            if service.is_empty()
                || crate::policy::has_wildcard(service)
                || service.eq_ignore_ascii_case("kms")
                || value.value.eq_ignore_ascii_case("sts:GetCallerIdentity")
            {
                continue;
            }
            let Some(reach) = reach(statement, service) else {
                continue;
            };
            let what = if value.value.ends_with(":*") {
                format!("every `{service}` action")
            } else if crate::policy::has_wildcard(value.value) {
                format!("every `{service}` action matching `{}`", value.value)
            } else {
                format!("`{}`", value.value)
            };
            sink.report(
                &RULE,
                value.span,
                format!(
                    "{} grants {what} on {reach}: the vendor assumes this role, and the BYOK \
                     policy should hold only the KMS actions",
                    statement.label()
                ),
                Some(format!(
                    "remove `\"{}\"`; give it to a role the vendor cannot assume",
                    value.value
                )),
            );
        }
    }
}

/// What the statement's resources reach in `service`, or `None` when they are all ARNs of
/// other services (KMS keys), where the action grants nothing.
fn reach(statement: &Statement<'_>, service: &str) -> Option<String> {
    let resource = statement.resource.as_ref()?;
    if resource.negated {
        return Some("every resource but those its `NotResource` lists".into());
    }
    let reached: Vec<&str> = resource
        .values
        .items
        .iter()
        .map(|v| v.value)
        .filter(|value| {
            value.starts_with('*')
                || value
                    .split(':')
                    .nth(2)
                    .is_some_and(|s| wildcard_matches(s, service, true))
        })
        .collect();
    match reached.as_slice() {
        [] => None,
        values if values.contains(&"*") => Some("every resource (`\"Resource\": \"*\"`)".into()),
        values => Some(
            values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::analysis::testing::{findings, policy, under, CMK};

    const FOUR: &str = r#""kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey""#;

    #[test]
    fn a_service_wildcard_on_star() {
        let text = policy(&format!("[{FOUR}, \"s3:*\"]"), r#""*""#, "");
        let found = findings(&text, "I007");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "statement `BYOK` grants every `s3` action on every resource \
             (`\"Resource\": \"*\"`): the vendor assumes this role, and the BYOK policy should \
             hold only the KMS actions"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("remove `\"s3:*\"`; give it to a role the vendor cannot assume")
        );
        assert_eq!(under(&text, &found[0]), "\"s3:*\"");
    }

    #[test]
    fn a_single_action_on_its_service_arn() {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [
  {{"Sid": "Key", "Effect": "Allow", "Action": [{FOUR}], "Resource": "{CMK}"}},
  {{"Sid": "Pass", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/Admin"}}
]}}"#
        );
        let found = findings(&text, "I007");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.starts_with(
            "statement `Pass` grants `iam:PassRole` on `arn:aws:iam::111122223333:role/Admin`"
        ));
        assert_eq!(found[0].line, 3);
    }

    #[test]
    fn not_reported_when_it_grants_nothing_or_is_another_rules() {
        // On the key ARN only, an S3 action grants nothing.
        let text = policy(
            &format!("[{FOUR}, \"s3:GetObject\"]"),
            &format!("\"{CMK}\""),
            "",
        );
        assert!(findings(&text, "I007").is_empty());
        // `*` is overbroad-kms-grant's; GetCallerIdentity needs no permission.
        let text = policy(r#"["*", "sts:GetCallerIdentity"]"#, r#""*""#, "");
        assert!(findings(&text, "I007").is_empty());
        // A Deny of other services is fine.
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": [{FOUR}], "Resource": "{CMK}"}}, {{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}}]}}"#
        );
        assert!(findings(&text, "I007").is_empty());
    }

    #[test]
    fn not_resource_reaches_everything() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sts:AssumeRole"], "NotResource": "arn:aws:iam::111122223333:role/Admin"}]}"#;
        let found = findings(text, "I007");
        assert_eq!(found.len(), 1);
        assert!(found[0]
            .message
            .contains("on every resource but those its `NotResource` lists"));
    }

    #[test]
    fn a_wildcard_service_name_is_left_to_other_rules() {
        let text = policy(
            &format!("[{FOUR}, \"k*:Get*\", \"*:List*\"]"),
            &format!("\"{CMK}\""),
            "",
        );
        assert!(
            findings(&text, "I007").is_empty(),
            "{:#?}",
            findings(&text, "I007")
        );
    }
}
