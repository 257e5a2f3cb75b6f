use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// An account id from the AWS documentation's examples: `123456789012`, `111122223333`,
    /// `444455556666` or `000000000000`, usually left from a copied example.
    ///
    /// ## Why it matters
    /// The ARN is well formed, so nothing rejects it until the vendor tries it and finds no such role or
    /// key. byokcheck cannot know your account, so it warns rather than errs; placeholder text such as
    /// `ACCOUNT_ID` is an error (`invalid-account-id`). Warning.
    ///
    /// ## Bad
    /// ```text
    /// arn:aws:iam::111122223333:role/BYOK_Role
    /// ```
    ///
    /// ## Good
    /// ```text
    /// arn:aws:iam::210987654321:role/BYOK_Role
    /// ```
    ///
    /// ## How to fix
    /// Write the id of your own account (`aws sts get-caller-identity --query Account --output text`).
    pub(crate) static RULE = {
        code: "A005",
        name: "placeholder-account-id",
        severity: Warning,
        kinds: [RoleArn, KeyArn],
        check: None,
    };
}
