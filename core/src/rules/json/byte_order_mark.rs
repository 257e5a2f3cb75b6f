use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// A UTF-8 byte-order mark (U+FEFF) before the document, as some Windows editors write.
    ///
    /// ## Why it matters
    /// IAM and KMS accept only U+0009, U+000A, U+000D and U+0020 to U+00FF in policy text; the
    /// API call fails. Error. byokcheck skips the mark and checks the rest.
    ///
    /// ## Bad
    /// ```json
    /// ﻿{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Save the file as UTF-8 without a BOM.
    pub(crate) static RULE = {
        code: "J004",
        name: "byte-order-mark",
        severity: Error,
        kinds: [Iam, Trust, Key],
        check: None,
    };
}
