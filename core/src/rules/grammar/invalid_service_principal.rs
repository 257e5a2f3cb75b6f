use crate::policy::{Checked, PrincipalKind, PrincipalValue};
use crate::rules::{declare_rule, Sink};

use super::invalid_principal::is_partial_wildcard;

declare_rule! {
    /// ## What it catches
    /// A `Service` principal not shaped like `<service>.amazonaws.com` (China:
    /// `<service>.amazonaws.com.cn`; regional: `<service>.<region>.amazonaws.com`), such as
    /// `ec2`, `EC2.amazonaws.com` or an ARN. Access Analyzer: `INVALID_SERVICE_PRINCIPAL_FORMAT`.
    ///
    /// ## Why it matters
    /// IAM and KMS reject the policy ("invalid principal"), so the change cannot be saved.
    /// Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2"}, "Action": "sts:AssumeRole"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    /// ```
    ///
    /// ## How to fix
    /// Write the service's principal in lowercase, `<service>.amazonaws.com`; accounts, roles
    /// and users go under `AWS`.
    pub(crate) static RULE = {
        code: "G023",
        name: "invalid-service-principal",
        severity: Error,
        kinds: [Trust, Key],
        check: Some(check),
    };
}

const EXPECTED: &str = "expected `<service>.amazonaws.com`, such as `ec2.amazonaws.com`";

/// `<label>(.<label>)*.amazonaws.com` or `....amazonaws.com.cn`, labels of `a-z`, `0-9`, `-`.
pub(super) fn is_service_principal(value: &str) -> bool {
    let name = value
        .strip_suffix(".amazonaws.com")
        .or_else(|| value.strip_suffix(".amazonaws.com.cn"));
    name.is_some_and(|name| {
        name.split('.').all(|label| {
            !label.is_empty()
                && label
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
    })
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        let Some(PrincipalValue::Map(entries)) = statement.principal.as_ref().map(|p| &p.value)
        else {
            continue;
        };
        let values = entries
            .iter()
            .filter(|e| e.kind == Some(PrincipalKind::Service))
            .flat_map(|e| e.values.items.iter());
        for value in values {
            if is_service_principal(value.value) || is_partial_wildcard(value.value) {
                continue;
            }
            let (reason, help) = diagnose(value.value);
            sink.report(
                &RULE,
                value.span,
                format!(
                    "`{}` is not a service principal{reason}; {EXPECTED}",
                    value.value
                ),
                Some(help),
            );
        }
    }
}

/// Why the value is wrong (with a leading `: `, or empty) and what to write instead.
fn diagnose(value: &str) -> (String, String) {
    let trimmed = value.trim();
    if trimmed != value && is_service_principal(trimmed) {
        return (
            ": it has white space around it".into(),
            format!("write `\"{trimmed}\"`"),
        );
    }
    let lower = trimmed.to_ascii_lowercase();
    if lower != trimmed && is_service_principal(&lower) {
        return (
            ": service principals are lowercase".into(),
            format!("write `\"{lower}\"`"),
        );
    }
    if value == "*" {
        return (
            ": `Service` does not take `*`".into(),
            "name the service, such as `ec2.amazonaws.com`; everyone is written `\"AWS\": \"*\"`"
                .into(),
        );
    }
    if lower.starts_with("arn:") || (lower.len() == 12 && lower.chars().all(|c| c.is_ascii_digit()))
    {
        return (
            ": accounts, roles and users are `AWS` principals".into(),
            format!("write it under `AWS`: `{{\"AWS\": \"{trimmed}\"}}`"),
        );
    }
    // The service name without a domain, or with a near miss of the domain.
    let name = [
        "amazonaws.com.cn",
        "amazonaws.com",
        "amazonaws",
        "amazon.com",
        "aws.com",
        "aws",
    ]
    .iter()
    .find_map(|domain| {
        lower
            .strip_suffix(domain)
            .and_then(|rest| rest.strip_suffix('.'))
    })
    .unwrap_or(lower.as_str());
    let candidate = format!("{name}.amazonaws.com");
    if is_service_principal(&candidate) {
        return (String::new(), format!("write `\"{candidate}\"`"));
    }
    (
        String::new(),
        "write the service's principal from its documentation, such as `ec2.amazonaws.com`".into(),
    )
}

#[cfg(test)]
mod tests {
    use super::{diagnose, is_service_principal};
    use crate::{Context, DocumentKind, Finding};

    fn findings(text: &str, kind: DocumentKind) -> Vec<Finding> {
        crate::check(text, kind, &Context::example())
            .findings
            .into_iter()
            .filter(|f| f.code == "G023")
            .collect()
    }

    #[test]
    fn reports_a_bare_service_name() {
        let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\",\n  \"Principal\": {\"Service\": [\"lambda.amazonaws.com\", \"ec2\"]}, \"Action\": \"sts:AssumeRole\"}]}";
        let found = findings(text, DocumentKind::Trust);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(
            f.message,
            "`ec2` is not a service principal; expected `<service>.amazonaws.com`, such as `ec2.amazonaws.com`"
        );
        assert_eq!(f.help.as_deref(), Some("write `\"ec2.amazonaws.com\"`"));
        assert_eq!((f.line, f.column), (2, 53));
    }

    #[test]
    fn accepts_global_regional_and_china_forms() {
        for valid in [
            "ec2.amazonaws.com",
            "logs.us-east-1.amazonaws.com",
            "ops.apigateway.amazonaws.com",
            "ec2.amazonaws.com.cn",
            "application-autoscaling.amazonaws.com",
        ] {
            assert!(is_service_principal(valid), "{valid}");
        }
        for invalid in [
            "amazonaws.com",
            ".amazonaws.com",
            "EC2.amazonaws.com",
            "ec2..amazonaws.com",
        ] {
            assert!(!is_service_principal(invalid), "{invalid}");
        }
    }

    #[test]
    fn names_white_space_around_a_valid_principal() {
        assert_eq!(
            diagnose(" ec2.amazonaws.com\t"),
            (
                ": it has white space around it".to_string(),
                "write `\"ec2.amazonaws.com\"`".to_string()
            )
        );
        // Without white space the value is not said to have it.
        assert_ne!(
            diagnose("EC2.amazonaws.com").0,
            ": it has white space around it"
        );
    }

    #[test]
    fn explains_near_misses() {
        assert_eq!(
            diagnose("EC2.amazonaws.com").1,
            "write `\"ec2.amazonaws.com\"`"
        );
        // Upper case is named only when the lowercase form is a service principal.
        assert_eq!(diagnose("EC2").1, "write `\"ec2.amazonaws.com\"`");
        assert_eq!(
            diagnose("ec2.amazon.com").1,
            "write `\"ec2.amazonaws.com\"`"
        );
        assert_eq!(
            diagnose(" ec2.amazonaws.com").1,
            "write `\"ec2.amazonaws.com\"`"
        );
        assert!(diagnose("arn:aws:iam::111122223333:root")
            .1
            .contains("under `AWS`"));
        assert!(diagnose("*").0.contains("does not take `*`"));
    }

    #[test]
    fn wildcards_are_left_to_wildcard_in_principal() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "*.amazonaws.com"}, "Action": "kms:Decrypt", "Resource": "*"}]}"#;
        assert!(findings(text, DocumentKind::Key).is_empty());
    }

    #[test]
    fn twelve_characters_or_digits_alone_do_not_make_an_account_id() {
        for value in ["lambda.amazo", "12345"] {
            let text = format!("{{\"Version\": \"2012-10-17\", \"Statement\": [{{\"Effect\": \"Allow\", \"Principal\": {{\"Service\": \"{value}\"}}, \"Action\": \"sts:AssumeRole\"}}]}}");
            let found = findings(&text, DocumentKind::Trust);
            assert_eq!(found.len(), 1, "{value}: {found:#?}");
            assert!(
                !found[0].message.contains("accounts, roles and users"),
                "{}",
                found[0].message
            );
        }
    }

    #[test]
    fn an_account_id_under_service_is_an_aws_principal() {
        let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"111122223333\"}, \"Action\": \"sts:AssumeRole\"}]}";
        let found = findings(text, DocumentKind::Trust);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].message.starts_with(
                "`111122223333` is not a service principal: accounts, roles and users are `AWS` principals;"
            ),
            "{}",
            found[0].message
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("write it under `AWS`: `{\"AWS\": \"111122223333\"}`")
        );
    }
}
