use crate::eval::PrincipalMatch;
use crate::policy::{Statement, Str};
use crate::rules::declare_rule;

use super::analysis::{Caller, CallerKind, Problem, Setup};

declare_rule! {
    /// ## What it catches
    /// A principal other than the vendor's service role that can assume the role: another
    /// account, another role or user, an AWS service, or `*` limited by a condition to an
    /// account that is not the vendor's (the customer's own, for instance). byokcheck evaluates
    /// `sts:AssumeRole` by each principal the policy names, by another role of the customer's
    /// account and by an unrelated account's role, presenting the console's External ID
    /// (services pass none), and names who gets in.
    ///
    /// ## Why it matters
    /// The BYOK role is the vendor's way to the key; anyone else who can assume it can encrypt
    /// and decrypt with the customer's key under the vendor's name. Someone other than intended
    /// can get in: Security warning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::358587034707:role/SegBots-Servers-Role", "arn:aws:iam::444455556666:root"]}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Trust only the vendor's service role; give any other principal a role of its own.
    pub(crate) static RULE = {
        code: "T015",
        name: "other-principal-trusted",
        severity: SecurityWarning,
        kinds: [Trust],
        // Reported by the others phase's check (see the module documentation).
        check: None,
    };
}

pub(super) fn problem(
    s: &Setup<'_>,
    statement: &Statement<'_>,
    value: Str<'_>,
    matched: PrincipalMatch,
    caller: &Caller,
) -> Problem {
    let message = match matched {
        _ if caller.kind == CallerKind::Service => format!(
            "the service `{}` can assume this role too; only the vendor's role `{}` should",
            caller.name, s.vendor
        ),
        PrincipalMatch::Any => format!(
            "the principal `*` with its conditions lets roles of the account `{}` assume this role (such as {})",
            caller.account(),
            caller.describe()
        ),
        PrincipalMatch::Account => format!(
            "`{}` trusts the account `{}`: any role or user there that its IAM allows can assume this role (such as {})",
            value.value,
            caller.account(),
            caller.describe()
        ),
        _ => format!(
            "`{}` can assume this role too; only the vendor's role `{}` should",
            value.value, s.vendor
        ),
    };
    let help = if matched == PrincipalMatch::Any {
        format!("trust only the vendor's role: `{}`", s.vendor_principal())
    } else {
        format!(
            "remove `{}` from the principal; trust only `{}`",
            value.value, s.vendor
        )
    };
    Problem::new(&RULE, Some(statement), value.span, message, help)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;

    fn beside_the_vendor(other: &str) -> String {
        policy(&[statement(
            &format!("{{\"AWS\": [\"{VENDOR}\", \"{other}\"]}}"),
            "\"sts:AssumeRole\"",
            &right_id(),
        )])
    }

    #[test]
    fn another_account() {
        let text = beside_the_vendor("arn:aws:iam::444455556666:root");
        assert_eq!(codes(&text), ["T015"]);
        let f = only(&text, "T015");
        assert_eq!(
            f.message,
            "`arn:aws:iam::444455556666:root` trusts the account `444455556666`: any role or user there that its IAM allows can assume this role (such as `arn:aws:iam::444455556666:role/Other`)"
        );
        assert_eq!(under(&text, &f), "\"arn:aws:iam::444455556666:root\"");
        assert_eq!(f.line, 4);
        assert_eq!(
            f.help.as_deref(),
            Some(format!("remove `arn:aws:iam::444455556666:root` from the principal; trust only `{VENDOR}`").as_str())
        );
    }

    #[test]
    fn another_role_and_the_customers_own_account() {
        let text = beside_the_vendor("arn:aws:iam::358587034707:role/Support");
        assert_eq!(codes(&text), ["T015"]);
        assert_eq!(
            only(&text, "T015").message,
            format!("`arn:aws:iam::358587034707:role/Support` can assume this role too; only the vendor's role `{VENDOR}` should")
        );
        let text = beside_the_vendor("111122223333");
        assert_eq!(codes(&text), ["T015"]);
        assert!(only(&text, "T015")
            .message
            .contains("(such as `arn:aws:iam::111122223333:role/Other`)"));
        // A bare account id of a third account is that account, not a name to pass over.
        let text = beside_the_vendor("444455556666");
        assert_eq!(codes(&text), ["T015"]);
        assert!(only(&text, "T015")
            .message
            .contains("(such as `arn:aws:iam::444455556666:role/Other`)"));
    }

    #[test]
    fn a_star_limited_to_the_customers_account() {
        let text = policy(&[
            grant(&right_id()),
            statement(
                "\"*\"",
                "\"sts:AssumeRole\"",
                &format!("{{\"StringEquals\": {{\"sts:ExternalId\": \"{ID}\", \"aws:PrincipalAccount\": \"111122223333\"}}}}"),
            ),
        ]);
        assert_eq!(codes(&text), ["T015"]);
        assert_eq!(
            only(&text, "T015").message,
            "the principal `*` with its conditions lets roles of the account `111122223333` assume this role (such as `arn:aws:iam::111122223333:role/Other`)"
        );
    }

    #[test]
    fn a_unique_id_is_a_deleted_role_not_a_way_in() {
        let text = beside_the_vendor("AROAEXAMPLEID1234567");
        assert_eq!(codes(&text), Vec::<String>::new());
    }

    #[test]
    fn a_service() {
        let text = policy(&[
            grant(&right_id()),
            statement(
                "{\"Service\": \"ec2.amazonaws.com\"}",
                "\"sts:AssumeRole\"",
                "",
            ),
        ]);
        assert_eq!(codes(&text), ["T015"]);
        assert_eq!(
            only(&text, "T015").message,
            format!("the service `ec2.amazonaws.com` can assume this role too; only the vendor's role `{VENDOR}` should")
        );
    }
}
