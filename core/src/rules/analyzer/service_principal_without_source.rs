use crate::policy::{Checked, Effect, PrincipalKind, Statement};
use crate::rules::{declare_rule, Sink};

use super::support::principals;

declare_rule! {
    /// ## What it catches
    /// An Allow to a `Service` principal (`cloudtrail.amazonaws.com`) with no condition that
    /// says on whose behalf the service acts: none on `aws:SourceArn`, `aws:SourceAccount`,
    /// `aws:SourceOrgID`, `aws:SourceOrgPaths` or `aws:SourceOwner`, and, in a key policy, none
    /// on `kms:ViaService`, `kms:CallerAccount`, `kms:GrantIsForAWSResource` or an
    /// `kms:EncryptionContext:aws:…` key naming the source resource (the forms AWS's own key
    /// policies use). Services that assume a role only after someone passes it to them with
    /// `iam:PassRole` (`ec2`, `lambda`, `edgelambda`, `ecs-tasks`, `pods.eks`) are left out:
    /// they send no source keys when they assume a role. Access Analyzer:
    /// `RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL`, and `RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL`
    /// for the services it singles out.
    ///
    /// ## Why it matters
    /// A service acting for another customer could be made to use your key or role (the
    /// "confused deputy"). Access Analyzer raises a SecurityWarning only for a list of services
    /// it does not publish, and a Suggestion for the others; not knowing that list, byokcheck
    /// reports every case as a Suggestion rather than warn where AWS itself does not.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Sid": "Allow CloudTrail", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey*", "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Sid": "Allow CloudTrail", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey*", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111122223333:trail/main"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Add `"Condition": {"StringEquals": {"aws:SourceAccount": "<your account>"}}`, or
    /// `aws:SourceArn` with the resource the service acts for.
    pub(crate) static RULE = {
        code: "X011",
        name: "service-principal-without-source-condition",
        severity: Suggestion,
        kinds: [Key, Trust],
        check: Some(check),
    };
}

const SOURCE_KEYS: [&str; 8] = [
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourceowner",
    "kms:viaservice",
    "kms:calleraccount",
    "kms:grantisforawsresource",
];

/// Services that assume a role passed to them; their trust policies take no source keys.
const PASSED_ROLE_SERVICES: [&str; 5] = [
    "ec2.amazonaws.com",
    "lambda.amazonaws.com",
    "edgelambda.amazonaws.com",
    "ecs-tasks.amazonaws.com",
    "pods.eks.amazonaws.com",
];

fn restricts_source(statement: &Statement<'_>) -> bool {
    // Case-insensitively, without a lowercase copy: every Allow statement's keys come here.
    const CONTEXT_PREFIX: &str = "kms:encryptioncontext:aws:";
    statement.condition_entries().iter().any(|e| {
        let key = e.key.value;
        SOURCE_KEYS
            .iter()
            .any(|known| known.eq_ignore_ascii_case(key))
            || key
                .as_bytes()
                .get(..CONTEXT_PREFIX.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(CONTEXT_PREFIX.as_bytes()))
    })
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        if statement.effect() != Some(Effect::Allow) || restricts_source(statement) {
            continue;
        }
        for service in principals(statement, PrincipalKind::Service) {
            let name = service.value.trim();
            if crate::policy::has_wildcard(name)
                || PASSED_ROLE_SERVICES
                    .iter()
                    .any(|known| known.eq_ignore_ascii_case(name))
            {
                continue;
            }
            sink.report(
                &RULE,
                service.span,
                format!(
                    "{} allows the service principal `{}` without a condition on `aws:SourceArn` or `aws:SourceAccount`: the service could act here on behalf of any AWS account",
                    statement.label(),
                    service.value
                ),
                Some(
                    "add `\"Condition\": {\"StringEquals\": {\"aws:SourceAccount\": \"<your account ID>\"}}`, or `aws:SourceArn` naming the resource the service acts for"
                        .into(),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{findings, under};
    use crate::DocumentKind;

    fn key_policy(principal: &str, condition: &str) -> String {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {principal}, "Action": "kms:Decrypt", "Resource": "*"{condition}}}]}}"#
        )
    }

    #[test]
    fn kms_conditions_count_as_restricting() {
        let principal = r#"{"Service": ["logs.us-east-1.amazonaws.com", "ec2.amazonaws.com"]}"#;
        let text = key_policy(principal, "");
        let found = findings(&text, DocumentKind::Key, "X011");
        assert_eq!(found.len(), 1);
        assert_eq!(under(&text, &found[0]), "\"logs.us-east-1.amazonaws.com\"");
        for condition in [
            r#", "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:111122223333:*"}}"#,
            r#", "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}"#,
            r#", "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}"#,
            r#", "Condition": {"StringEquals": {"AWS:SourceAccount": "111122223333"}}"#,
        ] {
            let text = key_policy(principal, condition);
            assert!(
                findings(&text, DocumentKind::Key, "X011").is_empty(),
                "{condition}"
            );
        }
    }

    #[test]
    fn trust_policies_of_passed_role_services_are_left_alone() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com", "scheduler.amazonaws.com"]}, "Action": "sts:AssumeRole"}]}"#;
        let found = findings(text, DocumentKind::Trust, "X011");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "statement 0 allows the service principal `scheduler.amazonaws.com` without a condition on `aws:SourceArn` or `aws:SourceAccount`: the service could act here on behalf of any AWS account"
        );
    }
}
