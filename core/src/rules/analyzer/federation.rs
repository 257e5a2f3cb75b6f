//! `Federated` principal values: which identity provider they name, and the condition keys
//! that provider's tokens carry.

use crate::policy::{PrincipalKind, Statement, Str};

use super::support::{has_wildcard, principals};

/// What a `Federated` value names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Provider<'a> {
    /// `arn:aws:iam::111122223333:saml-provider/NAME`.
    Saml,
    /// An OIDC provider ARN or a web identity domain (`accounts.google.com`); the text is the
    /// provider's condition-key prefix (`token.actions.githubusercontent.com`).
    Oidc(&'a str),
    /// Neither a domain name nor a provider ARN.
    Invalid,
}

fn is_domain(value: &str) -> bool {
    let mut labels = 0;
    for label in value.split('.') {
        if label.is_empty()
            || label.starts_with('-')
            || label.ends_with('-')
            || !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return false;
        }
        labels += 1;
    }
    labels >= 2
}

/// The provider a `Federated` value names; `None` for values with wildcards, which
/// `wildcard-in-principal` reports.
pub(crate) fn provider(value: &str) -> Option<Provider<'_>> {
    if has_wildcard(value) {
        return None;
    }
    let Some(rest) = value.strip_prefix("arn:") else {
        return Some(if is_domain(value) {
            Provider::Oidc(value)
        } else {
            Provider::Invalid
        });
    };
    let mut fields = rest.splitn(5, ':');
    let (Some(partition), Some("iam"), Some(""), Some(account), Some(resource)) = (
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
    ) else {
        return Some(Provider::Invalid);
    };
    if !partition.starts_with("aws")
        || account.len() != 12
        || !account.bytes().all(|b| b.is_ascii_digit())
    {
        return Some(Provider::Invalid);
    }
    Some(match resource.split_once('/') {
        Some(("saml-provider", name)) if !name.is_empty() => Provider::Saml,
        Some(("oidc-provider", host)) if !host.is_empty() => Provider::Oidc(host),
        _ => Provider::Invalid,
    })
}

/// The statement's `Federated` values with the provider each names.
pub(crate) fn federated<'s, 'a>(
    statement: &'s Statement<'a>,
) -> impl Iterator<Item = (Str<'a>, Provider<'a>)> + 's {
    principals(statement, PrincipalKind::Federated)
        .filter_map(|value| provider(value.value).map(|p| (value, p)))
}

/// True when the statement has a condition on a key of the provider `prefix`
/// (`accounts.google.com:aud`).
pub(crate) fn conditions_on_provider(statement: &Statement<'_>, prefix: &str) -> bool {
    statement.condition_entries().iter().any(|e| {
        e.key
            .value
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
            && e.key
                .value
                .get(prefix.len()..)
                .is_some_and(|rest| rest.starts_with(':'))
    })
}

/// GitHub Actions' provider: `token.actions.githubusercontent.com`, or an enterprise's
/// `token.actions.githubusercontent.com/<enterprise>`.
pub(crate) fn is_github(prefix: &str) -> bool {
    let lower = prefix.to_ascii_lowercase();
    lower == "token.actions.githubusercontent.com"
        || lower.starts_with("token.actions.githubusercontent.com/")
}

#[cfg(test)]
mod tests {
    use super::{provider, Provider};

    #[test]
    fn reads_providers() {
        assert_eq!(
            provider("accounts.google.com"),
            Some(Provider::Oidc("accounts.google.com"))
        );
        assert_eq!(
            provider("arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"),
            Some(Provider::Oidc("token.actions.githubusercontent.com"))
        );
        assert_eq!(
            provider("arn:aws-cn:iam::111122223333:saml-provider/Corp"),
            Some(Provider::Saml)
        );
        assert_eq!(
            provider("arn:aws:iam::111122223333:role/Corp"),
            Some(Provider::Invalid)
        );
        assert_eq!(
            provider("arn:aws:iam:us-east-1:111122223333:saml-provider/Corp"),
            Some(Provider::Invalid)
        );
        assert_eq!(provider("Corp"), Some(Provider::Invalid));
        assert_eq!(provider("google"), Some(Provider::Invalid));
        assert_eq!(provider("arn:aws:iam::*:saml-provider/Corp"), None);
    }

    #[test]
    fn a_provider_arn_needs_a_twelve_digit_account() {
        // Twelve characters, not all digits.
        assert_eq!(
            provider("arn:aws:iam::11112222333O:saml-provider/Corp"),
            Some(Provider::Invalid)
        );
        // Digits, but eleven of them.
        assert_eq!(
            provider("arn:aws:iam::11112222333:oidc-provider/accounts.google.com"),
            Some(Provider::Invalid)
        );
        assert_eq!(
            provider("arn:aws:iam::111122223333:oidc-provider/accounts.google.com"),
            Some(Provider::Oidc("accounts.google.com"))
        );
    }

    #[test]
    fn a_provider_arn_needs_a_name() {
        assert_eq!(
            provider("arn:aws:iam::111122223333:saml-provider/"),
            Some(Provider::Invalid)
        );
        assert_eq!(
            provider("arn:aws:iam::111122223333:oidc-provider/"),
            Some(Provider::Invalid)
        );
    }
}
