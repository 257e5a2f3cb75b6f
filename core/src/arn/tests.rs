use proptest::prelude::*;

use super::*;
use crate::{check_arn, Context};
const AS_ROLE: DocumentKind = DocumentKind::RoleArn;
const AS_KEY: DocumentKind = DocumentKind::KeyArn;

const ROLE: &str = "arn:aws:iam::210987654321:role/BYOK_Role";
const KEY: &str = "arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/// Text, the kind it is checked as (`None`: detected), rule code, the text under the finding's
/// span, message, help. A text's rows list every finding its report may have.
type Case = (
    &'static str,
    Option<DocumentKind>,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const CASES: &[Case] = &[
    (
        "arn:aws:iam::210987654321:role/BYOK_Role\narn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        Some(AS_ROLE),
        "A001",
        "arn:aws:iam::210987654321:role/BYOK_Role\narn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "the text has 2 lines; an ARN is one line",
        "paste one ARN: the role ARN and the key ARN each go in their own field",
    ),
    (
        "arn:aws:iam::210987654321:role/BYOK\tRole",
        None,
        "A007",
        "BYOK\tRole",
        "role name `BYOK\\tRole` contains a tab; role names use letters, digits and `+=,.@_-`",
        "copy the role ARN from the IAM console (Roles, then the role's summary)",
    ),
    (
        "arn:aws:iam::210987654321:role/R\u{f4}le",
        None,
        "A007",
        "R\u{f4}le",
        "role name `R\u{f4}le` contains `\u{f4}` (U+00F4); role names use letters, digits and `+=,.@_-`",
        "copy the role ARN from the IAM console (Roles, then the role's summary)",
    ),
    (
        "arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab/",
        None,
        "A017",
        "1234abcd-12ab-34cd-56ef-1234567890ab/",
        "key id `1234abcd-12ab-34cd-56ef-1234567890ab/` contains `/`; key ids are hex digits `0-9a-f` and dashes",
        "copy the key ARN from the KMS console (Customer managed keys, then the key's General configuration)",
    ),
    (
        "arn:aws:kms:us-gov-west-1:210987654321:key/mrk-1234abcd12ab34cd56ef1234567890ab",
        None,
        "A011",
        "us-gov-west-1",
        "region `us-gov-west-1` is in the `aws-us-gov` partition, but the ARN says `aws`",
        "write `arn:aws-us-gov:kms:us-gov-west-1:210987654321:key/mrk-1234abcd12ab34cd56ef1234567890ab`",
    ),
    (
        "arn:aws:iam:210987654321:role/BYOK_Role",
        None,
        "A001",
        "arn:aws:iam:210987654321:role/BYOK_Role",
        "`arn:aws:iam:210987654321:role/BYOK_Role` has 5 of the 6 fields of an ARN (`arn:partition:service:region:account:resource`); expected an IAM role ARN (`arn:aws:iam::ACCOUNT_ID:role/NAME`)",
        "write `arn:aws:iam::210987654321:role/BYOK_Role`",
    ),
    (
        "arn:aws:iam::210987654321",
        None,
        "A001",
        "arn:aws:iam::210987654321",
        "`arn:aws:iam::210987654321` has 5 of the 6 fields of an ARN (`arn:partition:service:region:account:resource`); expected an IAM role ARN (`arn:aws:iam::ACCOUNT_ID:role/NAME`)",
        "copy the whole ARN; a role ARN looks like `arn:aws:iam::ACCOUNT_ID:role/NAME`",
    ),
    (
        "ARN:aws:iam::210987654321:role/BYOK_Role",
        None,
        "A001",
        "ARN",
        "the ARN starts with an upper-case prefix; ARNs start with lower-case `arn:`",
        "write `arn:aws:iam::210987654321:role/BYOK_Role`",
    ),
    (
        "aws:iam::210987654321:role/BYOK_Role",
        None,
        "A001",
        "aws:iam::210987654321:role/BYOK_Role",
        "`aws:iam::210987654321:role/BYOK_Role` lacks the `arn:` prefix",
        "write `arn:aws:iam::210987654321:role/BYOK_Role`",
    ),
    (
        "arn:aws:iam::210987654321:",
        None,
        "A001",
        "",
        "the role ARN ends after the account id; expected `role/NAME` there",
        "write `arn:aws:iam::210987654321:role/NAME`",
    ),
    (
        "arn:aws:iam::210987654321:role:BYOK_Role",
        None,
        "A001",
        "role:BYOK_Role",
        "the resource is `role:BYOK_Role`; a role ARN ends in `role/NAME`",
        "write `arn:aws:iam::210987654321:role/BYOK_Role`",
    ),
    (
        "arn:aws:kms:us-east-1:210987654321:keys/1234abcd-12ab-34cd-56ef-1234567890ab",
        None,
        "A001",
        "keys/1234abcd-12ab-34cd-56ef-1234567890ab",
        "the resource is `keys/1234abcd-12ab-34cd-56ef-1234567890ab`; a key ARN ends in `key/KEY_ID`",
        "write `arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab`",
    ),
    (
        "arn:aws:kms:us-east-1:210987654321:1234abcd-12ab-34cd-56ef-1234567890ab",
        None,
        "A001",
        "1234abcd-12ab-34cd-56ef-1234567890ab",
        "the resource is `1234abcd-12ab-34cd-56ef-1234567890ab`; a key ARN ends in `key/KEY_ID`",
        "write `arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab`",
    ),
    (
        "arn:aws:kms:us-east-1:210987654321:",
        None,
        "A001",
        "",
        "the key ARN ends after the account id; expected `key/KEY_ID` there",
        "write `arn:aws:kms:us-east-1:210987654321:key/KEY_ID`",
    ),
    (
        "arn:AWS:iam::210987654321:role/BYOK_Role",
        None,
        "A002",
        "AWS",
        "unknown partition `AWS`; expected one of `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f`, `aws-eusc`",
        "did you mean `aws`? write `arn:aws:iam::210987654321:role/BYOK_Role`",
    ),
    (
        "arn::iam::210987654321:role/BYOK_Role",
        None,
        "A002",
        "",
        "the partition is empty; expected one of `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f`, `aws-eusc`",
        "most accounts are in `aws`; China Regions use `aws-cn` and GovCloud uses `aws-us-gov`",
    ),
    (
        "arn:aws-china:kms:cn-north-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        None,
        "A002",
        "aws-china",
        "unknown partition `aws-china`; expected one of `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f`, `aws-eusc`",
        "did you mean `aws-cn`? write `arn:aws-cn:kms:cn-north-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab`",
    ),
    (
        "arn:banana:iam::210987654321:role/BYOK_Role",
        None,
        "A002",
        "banana",
        "unknown partition `banana`; expected one of `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f`, `aws-eusc`",
        "most accounts are in `aws`; China Regions use `aws-cn` and GovCloud uses `aws-us-gov`",
    ),
    (
        "arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        Some(AS_ROLE),
        "A003",
        "kms",
        "service `kms` makes this a KMS key ARN, not an IAM role ARN (service `iam`)",
        "give the ARN of the IAM role (`arn:aws:iam::ACCOUNT_ID:role/NAME`); the KMS key ARN goes in the key field",
    ),
    (
        "arn:aws:iam::210987654321:role/BYOK_Role",
        Some(AS_KEY),
        "A003",
        "iam",
        "service `iam` makes this an IAM ARN, not a KMS key ARN (service `kms`)",
        "give the ARN of the KMS key (`arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID`); the IAM role ARN goes in the role field",
    ),
    (
        "arn:aws:IAM::210987654321:role/BYOK_Role",
        None,
        "A003",
        "IAM",
        "service `IAM` must be written in lower case: `iam`",
        "write `arn:aws:iam::210987654321:role/BYOK_Role`",
    ),
    (
        "arn:aws:s3:::bucket",
        Some(AS_ROLE),
        "A003",
        "s3",
        "service `s3` is not `iam`; expected an IAM role ARN (`arn:aws:iam::ACCOUNT_ID:role/NAME`)",
        "give the ARN of the IAM role (`arn:aws:iam::ACCOUNT_ID:role/NAME`)",
    ),
    (
        "arn:aws:iam::1234-5678-9012:role/BYOK_Role",
        None,
        "A004",
        "1234-5678-9012",
        "account id `1234-5678-9012` has separators; in an ARN it is the 12 digits alone",
        "write `123456789012`",
    ),
    (
        "arn:aws:iam::12345678901:role/BYOK_Role",
        None,
        "A004",
        "12345678901",
        "account id `12345678901` has 11 digits; an account id has exactly 12",
        "if a spreadsheet or a number field dropped a leading zero, put it back; `aws sts get-caller-identity --query Account --output text` prints the 12 digits",
    ),
    (
        "arn:aws:iam::1234567890123:role/BYOK_Role",
        None,
        "A004",
        "1234567890123",
        "account id `1234567890123` has 13 digits; an account id has exactly 12",
        "write the 12-digit id of the account that owns the resource; `aws sts get-caller-identity --query Account --output text` prints it",
    ),
    (
        "arn:aws:iam::12345678901O:role/BYOK_Role",
        None,
        "A004",
        "12345678901O",
        "account id `12345678901O` contains `O`; an account id is 12 digits",
        "write `123456789010`",
    ),
    (
        "arn:aws:iam::ACCOUNT_ID:role/BYOK_Role",
        None,
        "A004",
        "ACCOUNT_ID",
        "`ACCOUNT_ID` is placeholder text, not an account id; expected the 12 digits of your AWS account",
        "write the 12-digit id of the account that owns the resource; `aws sts get-caller-identity --query Account --output text` prints it",
    ),
    (
        "arn:aws:iam::<your-account-id>:role/BYOK_Role",
        None,
        "A004",
        "<your-account-id>",
        "`<your-account-id>` is placeholder text, not an account id; expected the 12 digits of your AWS account",
        "write the 12-digit id of the account that owns the resource; `aws sts get-caller-identity --query Account --output text` prints it",
    ),
    (
        "arn:aws:iam:::role/BYOK_Role",
        None,
        "A004",
        "",
        "the account id is empty; expected the 12 digits of an AWS account",
        "write the 12-digit id of the account that owns the resource; `aws sts get-caller-identity --query Account --output text` prints it",
    ),
    (
        "arn:aws:iam::*:role/BYOK_Role",
        None,
        "A004",
        "*",
        "account id `*` has a wildcard; the ARN must name one account by its 12 digits",
        "write the 12-digit id of the account that owns the resource; `aws sts get-caller-identity --query Account --output text` prints it",
    ),
    (
        "arn:aws:iam::111122223333:role/BYOK_Role",
        None,
        "A005",
        "111122223333",
        "account id `111122223333` is an example from the AWS documentation, not a real account",
        "write the id of your own account; `aws sts get-caller-identity --query Account --output text` prints it",
    ),
    (
        "arn:aws:iam:us-east-1:210987654321:role/BYOK_Role",
        None,
        "A006",
        "us-east-1",
        "the region field holds `us-east-1`; IAM is global and role ARNs have an empty region (`iam::`)",
        "write `arn:aws:iam::210987654321:role/BYOK_Role`",
    ),
    (
        "arn:aws:iam::210987654321:role/BYOK Role",
        None,
        "A007",
        "BYOK Role",
        "role name `BYOK Role` contains a space; role names use letters, digits and `+=,.@_-`",
        "copy the role ARN from the IAM console (Roles, then the role's summary)",
    ),
    (
        "arn:aws:iam::210987654321:role/",
        None,
        "A007",
        "",
        "the role name after `role/` is empty",
        "write the name of your BYOK role after `role/`, as the IAM console shows it",
    ),
    (
        "arn:aws:iam::210987654321:role/<role-name>",
        None,
        "A007",
        "<role-name>",
        "`<role-name>` is placeholder text, not a role name",
        "write the name of your BYOK role after `role/`, as the IAM console shows it",
    ),
    (
        "arn:aws:iam::210987654321:role/BYOK*",
        None,
        "A007",
        "BYOK*",
        "role name `BYOK*` has a wildcard; the ARN must name one role",
        "copy the role ARN from the IAM console (Roles, then the role's summary)",
    ),
    (
        "arn:aws:iam::210987654321:role//BYOK_Role",
        None,
        "A007",
        "//",
        "role path `//` has nothing between its slashes",
        "write `arn:aws:iam::210987654321:role/BYOK_Role`",
    ),
    (
        "arn:aws:iam::210987654321:role/a b/BYOK_Role",
        None,
        "A007",
        "/a b/",
        "role path `/a b/` contains a space; paths use printable ASCII without spaces",
        "copy the role ARN from the IAM console (Roles, then the role's summary)",
    ),
    (
        "arn:aws:iam::210987654321:user/alice",
        None,
        "A008",
        "user/alice",
        "`user/alice` is an IAM user, not a role; the vendor assumes a role",
        "give the ARN of the BYOK role: `arn:aws:iam::210987654321:role/NAME`",
    ),
    (
        "arn:aws:iam::210987654321:root",
        None,
        "A008",
        "root",
        "`root` is the account principal (the whole account), not a role; the vendor assumes a role",
        "give the ARN of the BYOK role: `arn:aws:iam::210987654321:role/NAME`",
    ),
    (
        "arn:aws:iam::210987654321:Role/BYOK_Role",
        None,
        "A008",
        "Role/BYOK_Role",
        "resource `Role/BYOK_Role` is not a role: the resource type is written `role`",
        "write `arn:aws:iam::210987654321:role/BYOK_Role`",
    ),
    (
        "arn:aws:iam::210987654321:policy/BYOK_Policy",
        None,
        "A008",
        "policy/BYOK_Policy",
        "`policy/BYOK_Policy` is an IAM managed policy, not a role; the vendor assumes a role",
        "give the ARN of the BYOK role: `arn:aws:iam::210987654321:role/NAME`",
    ),
    (
        "arn:aws:sts::210987654321:assumed-role/BYOK_Role/session-1",
        None,
        "A009",
        "arn:aws:sts::210987654321:assumed-role/BYOK_Role/session-1",
        "this is the ARN of an STS session of role `BYOK_Role` (session `session-1`), not the role's ARN",
        "write the role ARN `arn:aws:iam::210987654321:role/BYOK_Role`; a session ARN drops the role's path, so if the role has one (`role/PATH/NAME`) copy its ARN from the IAM console",
    ),
    (
        "arn:aws:sts::210987654321:federated-user/bob",
        None,
        "A008",
        "federated-user/bob",
        "`federated-user/bob` is an STS federated user session, not a role; the vendor assumes a role",
        "give the ARN of the BYOK role: `arn:aws:iam::210987654321:role/NAME`",
    ),
    (
        "arn:aws:kms::210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        None,
        "A010",
        "",
        "the region is missing; a KMS key ARN names the region the key is in",
        "write the key's region (like `us-east-1`): `arn:aws:kms:REGION:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab`",
    ),
    (
        "arn:aws:kms:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        None,
        "A010",
        "",
        "the region is missing; a KMS key ARN names the region the key is in",
        "write the key's region (like `us-east-1`): `arn:aws:kms:REGION:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab`",
    ),
    (
        "arn:aws:kms:cn-north-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        None,
        "A011",
        "cn-north-1",
        "region `cn-north-1` is in the `aws-cn` partition, but the ARN says `aws`",
        "write `arn:aws-cn:kms:cn-north-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab`",
    ),
    (
        "arn:aws-cn:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        None,
        "A011",
        "us-east-1",
        "region `us-east-1` is in the `aws` partition, but the ARN says `aws-cn`",
        "write `arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab`",
    ),
    (
        "arn:aws:kms:us-east-7:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        None,
        "A012",
        "us-east-7",
        "region `us-east-7` has the form of a region of partition `aws` but is not one byokcheck knows",
        "did you mean `us-east-1`? if AWS opened `us-east-7` recently, the ARN is fine",
    ),
    (
        "arn:aws:kms:us-east-1a:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        None,
        "A013",
        "us-east-1a",
        "`us-east-1a` is an availability zone; the ARN takes its region, `us-east-1`",
        "write `arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab`",
    ),
    (
        "arn:aws:kms:us-est-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        None,
        "A012",
        "us-est-1",
        "region `us-est-1` has the form of a region of partition `aws` but is not one byokcheck knows",
        "did you mean `us-east-1`? if AWS opened `us-est-1` recently, the ARN is fine",
    ),
    (
        "arn:aws:kms:US-EAST-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        None,
        "A020",
        "US-EAST-1",
        "`US-EAST-1` is not a region name; regions look like `us-east-1`",
        "did you mean `us-east-1`?",
    ),
    (
        "arn:aws:kms:REGION:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        None,
        "A020",
        "REGION",
        "`REGION` is placeholder text, not a region",
        "write the region the key is in, like `us-east-1`",
    ),
    (
        "arn:aws:kms:us-east-1:210987654321:alias/byok-key",
        None,
        "A014",
        "alias/byok-key",
        "this is the ARN of the alias `alias/byok-key`, not of a key; IAM and KMS permissions name keys by key ARN, and an alias can later point at another key",
        "`aws kms describe-key --key-id alias/byok-key --region us-east-1 --query KeyMetadata.Arn --output text` prints the key ARN; give that",
    ),
    (
        "alias/byok-key",
        None,
        "A015",
        "alias/byok-key",
        "`alias/byok-key` is an alias name, not a key ARN; the vendor needs the ARN of the key",
        "`aws kms describe-key --key-id alias/byok-key --query KeyMetadata.Arn --output text` prints the key ARN; give that",
    ),
    (
        "1234abcd-12ab-34cd-56ef-1234567890ab",
        None,
        "A016",
        "1234abcd-12ab-34cd-56ef-1234567890ab",
        "`1234abcd-12ab-34cd-56ef-1234567890ab` is a key id, not a key ARN; the vendor needs the full ARN",
        "write `arn:aws:kms:REGION:ACCOUNT_ID:key/1234abcd-12ab-34cd-56ef-1234567890ab` with the key's region and account, or run `aws kms describe-key --key-id 1234abcd-12ab-34cd-56ef-1234567890ab --query KeyMetadata.Arn --output text`",
    ),
    (
        "1234ABCD-12ab-34cd-56ef-1234567890ab",
        None,
        "A016",
        "1234ABCD-12ab-34cd-56ef-1234567890ab",
        "`1234ABCD-12ab-34cd-56ef-1234567890ab` is a key id, not a key ARN; the vendor needs the full ARN",
        "write `arn:aws:kms:REGION:ACCOUNT_ID:key/1234abcd-12ab-34cd-56ef-1234567890ab` with the key's region and account, or run `aws kms describe-key --key-id 1234abcd-12ab-34cd-56ef-1234567890ab --query KeyMetadata.Arn --output text`",
    ),
    (
        "1234ABCD-12ab-34cd-56ef-1234567890ab",
        None,
        "A017",
        "1234ABCD-12ab-34cd-56ef-1234567890ab",
        "key id `1234ABCD-12ab-34cd-56ef-1234567890ab` has upper-case letters; AWS writes key ids in lower case and compares ARNs case-sensitively",
        "write `1234abcd-12ab-34cd-56ef-1234567890ab`",
    ),
    (
        "mrk-1234abcd12ab34cd56ef1234567890ab",
        None,
        "A016",
        "mrk-1234abcd12ab34cd56ef1234567890ab",
        "`mrk-1234abcd12ab34cd56ef1234567890ab` is a key id, not a key ARN; the vendor needs the full ARN",
        "write `arn:aws:kms:REGION:ACCOUNT_ID:key/mrk-1234abcd12ab34cd56ef1234567890ab` with the key's region and account, or run `aws kms describe-key --key-id mrk-1234abcd12ab34cd56ef1234567890ab --query KeyMetadata.Arn --output text`",
    ),
    (
        "key/mrk-1234abcd12ab34cd56ef1234567890ab",
        None,
        "A016",
        "key/mrk-1234abcd12ab34cd56ef1234567890ab",
        "`mrk-1234abcd12ab34cd56ef1234567890ab` is a key id, not a key ARN; the vendor needs the full ARN",
        "write `arn:aws:kms:REGION:ACCOUNT_ID:key/mrk-1234abcd12ab34cd56ef1234567890ab` with the key's region and account, or run `aws kms describe-key --key-id mrk-1234abcd12ab34cd56ef1234567890ab --query KeyMetadata.Arn --output text`",
    ),
    (
        "arn:aws:kms:us-east-1:210987654321:key/1234ABCD-12AB-34CD-56EF-1234567890AB",
        None,
        "A017",
        "1234ABCD-12AB-34CD-56EF-1234567890AB",
        "key id `1234ABCD-12AB-34CD-56EF-1234567890AB` has upper-case letters; AWS writes key ids in lower case and compares ARNs case-sensitively",
        "write `1234abcd-12ab-34cd-56ef-1234567890ab`",
    ),
    (
        "arn:aws:kms:us-east-1:210987654321:key/mrk-1234abcd-12ab-34cd-56ef-1234567890ab",
        None,
        "A017",
        "mrk-1234abcd-12ab-34cd-56ef-1234567890ab",
        "multi-Region key id `mrk-1234abcd-12ab-34cd-56ef-1234567890ab` has dashes after `mrk-`; it is `mrk-` and 32 hex digits",
        "write `mrk-1234abcd12ab34cd56ef1234567890ab`",
    ),
    (
        "arn:aws:kms:us-east-1:210987654321:key/mrk-1234abcd12ab34cd56ef1234567890ab9",
        None,
        "A017",
        "mrk-1234abcd12ab34cd56ef1234567890ab9",
        "multi-Region key id `mrk-1234abcd12ab34cd56ef1234567890ab9` has 33 hex digits after `mrk-`; expected 32",
        "copy the key ARN from the KMS console (Customer managed keys, then the key's General configuration)",
    ),
    (
        "arn:aws:kms:us-east-1:210987654321:key/1234abcd12ab34cd56ef1234567890ab",
        None,
        "A017",
        "1234abcd12ab34cd56ef1234567890ab",
        "key id `1234abcd12ab34cd56ef1234567890ab` has no dashes; a key id is 8-4-4-4-12 hex digits, or `mrk-` and 32 for a multi-Region key",
        "write `1234abcd-12ab-34cd-56ef-1234567890ab`",
    ),
    (
        "arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890a",
        None,
        "A017",
        "1234abcd-12ab-34cd-56ef-1234567890a",
        "key id `1234abcd-12ab-34cd-56ef-1234567890a` has groups of 8-4-4-4-11 hex digits; expected 8-4-4-4-12",
        "copy the key ARN from the KMS console (Customer managed keys, then the key's General configuration)",
    ),
    (
        "arn:aws:kms:us-east-1:210987654321:key/1234abcg-12ab-34cd-56ef-1234567890ab",
        None,
        "A017",
        "1234abcg-12ab-34cd-56ef-1234567890ab",
        "key id `1234abcg-12ab-34cd-56ef-1234567890ab` contains `g`; key ids are hex digits `0-9a-f` and dashes",
        "copy the key ARN from the KMS console (Customer managed keys, then the key's General configuration)",
    ),
    (
        "arn:aws:kms:us-east-1:210987654321:key/KEY_ID",
        None,
        "A017",
        "KEY_ID",
        "`KEY_ID` is placeholder text, not a key id",
        "copy the key ARN from the KMS console (Customer managed keys, then the key's General configuration)",
    ),
    (
        "arn:aws:kms:us-east-1:210987654321:key/*",
        None,
        "A017",
        "*",
        "key id `*` has a wildcard; the vendor needs the ARN of one key",
        "copy the key ARN from the KMS console (Customer managed keys, then the key's General configuration)",
    ),
    (
        "arn:aws:kms:us-east-1:210987654321:key/",
        None,
        "A017",
        "",
        "the key id after `key/` is empty",
        "copy the key ARN from the KMS console (Customer managed keys, then the key's General configuration)",
    ),
    (
        "  arn:aws:iam::210987654321:role/BYOK_Role\n",
        None,
        "A018",
        "  ",
        "the ARN is preceded by 2 spaces",
        "paste only `arn:aws:iam::210987654321:role/BYOK_Role`",
    ),
    (
        "  arn:aws:iam::210987654321:role/BYOK_Role\n",
        None,
        "A018",
        "\n",
        "the ARN is followed by a line break",
        "paste only `arn:aws:iam::210987654321:role/BYOK_Role`",
    ),
    (
        "\"arn:aws:iam::210987654321:role/BYOK_Role\"",
        None,
        "A018",
        "\"arn:aws:iam::210987654321:role/BYOK_Role\"",
        "the ARN is wrapped in `\"` quotes",
        "paste only `arn:aws:iam::210987654321:role/BYOK_Role`",
    ),
    (
        "\"arn:aws:iam::210987654321:role/BYOK_Role\",",
        None,
        "A018",
        "\"arn:aws:iam::210987654321:role/BYOK_Role\"",
        "the ARN is wrapped in `\"` quotes",
        "paste only `arn:aws:iam::210987654321:role/BYOK_Role`",
    ),
    (
        "\"arn:aws:iam::210987654321:role/BYOK_Role\",",
        None,
        "A018",
        ",",
        "the ARN is followed by a stray `,`",
        "paste only `arn:aws:iam::210987654321:role/BYOK_Role`",
    ),
    (
        "\u{200b}arn:aws:iam::210987654321:role/BYOK_Role",
        None,
        "A018",
        "\u{200b}",
        "the ARN is preceded by an invisible character (U+200B)",
        "paste only `arn:aws:iam::210987654321:role/BYOK_Role`",
    ),
    (
        "210987654321",
        None,
        "A019",
        "210987654321",
        "`210987654321` is an account id, not an ARN; expected an IAM role ARN (`arn:aws:iam::ACCOUNT_ID:role/NAME`) or a KMS key ARN (`arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID`)",
        "paste an IAM role ARN (`arn:aws:iam::ACCOUNT_ID:role/NAME`) or a KMS key ARN (`arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID`)",
    ),
    (
        "210987654321",
        Some(AS_ROLE),
        "A019",
        "210987654321",
        "`210987654321` is an account id, not an ARN; expected an IAM role ARN (`arn:aws:iam::ACCOUNT_ID:role/NAME`)",
        "a role ARN in this account looks like `arn:aws:iam::210987654321:role/NAME`",
    ),
    (
        "210987654321",
        Some(AS_KEY),
        "A019",
        "210987654321",
        "`210987654321` is an account id, not an ARN; expected a KMS key ARN (`arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID`)",
        "a key ARN in this account looks like `arn:aws:kms:REGION:210987654321:key/KEY_ID`",
    ),
    (
        "https://console.aws.amazon.com/iam/home#/roles/BYOK_Role",
        None,
        "A019",
        "https://console.aws.amazon.com/iam/home#/roles/BYOK_Role",
        "`https://console.aws.amazon.com/iam/home#/roles/BYOK_Role` is a URL, not an ARN; expected an IAM role ARN (`arn:aws:iam::ACCOUNT_ID:role/NAME`) or a KMS key ARN (`arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID`)",
        "paste an IAM role ARN (`arn:aws:iam::ACCOUNT_ID:role/NAME`) or a KMS key ARN (`arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID`)",
    ),
    (
        "{\"Version\": \"2012-10-17\"}",
        None,
        "A019",
        "{\"Version\": \"2012-10-17\"}",
        "the text is a JSON document, not an ARN; expected an IAM role ARN (`arn:aws:iam::ACCOUNT_ID:role/NAME`) or a KMS key ARN (`arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID`)",
        "check a policy as a policy document; here paste only the ARN",
    ),
    (
        "BYOK_Role",
        Some(AS_ROLE),
        "A019",
        "BYOK_Role",
        "`BYOK_Role` is a role name, not an ARN; expected an IAM role ARN (`arn:aws:iam::ACCOUNT_ID:role/NAME`)",
        "write `arn:aws:iam::ACCOUNT_ID:role/BYOK_Role` with your account id",
    ),
    (
        "role/BYOK_Role",
        None,
        "A019",
        "role/BYOK_Role",
        "`BYOK_Role` is a role name, not an ARN; expected an IAM role ARN (`arn:aws:iam::ACCOUNT_ID:role/NAME`)",
        "write `arn:aws:iam::ACCOUNT_ID:role/BYOK_Role` with your account id",
    ),
    (
        "arn:aws:s3:::bucket",
        None,
        "A019",
        "arn:aws:s3:::bucket",
        "this is an ARN of service `s3`; expected an IAM role ARN (`arn:aws:iam::ACCOUNT_ID:role/NAME`) or a KMS key ARN (`arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID`)",
        "paste an IAM role ARN (`arn:aws:iam::ACCOUNT_ID:role/NAME`) or a KMS key ARN (`arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID`)",
    ),
    (
        "arn:aws",
        None,
        "A019",
        "arn:aws",
        "`arn:aws` is an incomplete ARN; expected an IAM role ARN (`arn:aws:iam::ACCOUNT_ID:role/NAME`) or a KMS key ARN (`arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID`)",
        "paste an IAM role ARN (`arn:aws:iam::ACCOUNT_ID:role/NAME`) or a KMS key ARN (`arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID`)",
    ),
    (
        "",
        None,
        "A019",
        "",
        "the text is empty; expected an IAM role ARN (`arn:aws:iam::ACCOUNT_ID:role/NAME`) or a KMS key ARN (`arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID`)",
        "paste an IAM role ARN (`arn:aws:iam::ACCOUNT_ID:role/NAME`) or a KMS key ARN (`arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID`)",
    ),
    (
        "   ",
        Some(AS_KEY),
        "A019",
        "",
        "the text is empty; expected a KMS key ARN (`arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID`)",
        "paste a KMS key ARN (`arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID`)",
    ),
];

#[test]
fn each_mistake_has_its_message_help_and_span() {
    for &(text, kind, code, under, message, help) in CASES {
        let report = check_arn(text, kind);
        let finding = report
            .findings
            .iter()
            .find(|f| f.code == code && text.get(f.span.start..f.span.end) == Some(under))
            .unwrap_or_else(|| {
                panic!("{text:?} as {kind:?}: no {code} on {under:?} in {report:#?}")
            });
        assert_eq!(finding.message, message, "{text:?} {code}");
        assert_eq!(finding.help.as_deref(), Some(help), "{text:?} {code}");
        assert_eq!(finding.pointer, "");
        let listed: Vec<&str> = CASES
            .iter()
            .filter(|case| case.0 == text && case.1 == kind)
            .map(|case| case.2)
            .collect();
        for other in &report.findings {
            assert!(
                listed.contains(&other.code.as_str()),
                "{text:?} as {kind:?}: unexpected {other:#?}"
            );
        }
    }
}

#[test]
fn every_arn_rule_has_a_case() {
    for rule in crate::rules::arn::RULES {
        assert!(
            CASES.iter().any(|case| case.2 == rule.meta.code),
            "{} has no case",
            rule.meta.code
        );
    }
}

#[test]
fn valid_arns_of_every_partition_are_clean() {
    let valid = [
        ROLE,
        "arn:aws:iam::012345678901:role/service-role/BYOK_Role",
        "arn:aws:iam::210987654321:role/a/b/c/x+=,.@_-y",
        "arn:aws-cn:iam::210987654321:role/BYOK_Role,",
        "arn:aws-us-gov:iam::210987654321:role/BYOK_Role",
        KEY,
        "arn:aws:kms:eu-central-2:210987654321:key/mrk-1234abcd12ab34cd56ef1234567890ab",
        "arn:aws-cn:kms:cn-northwest-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "arn:aws-us-gov:kms:us-gov-west-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "arn:aws-iso-b:kms:us-isob-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "arn:aws-eusc:kms:eusc-de-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    ];
    for text in valid {
        let report = check_arn(text, None);
        assert!(report.findings.is_empty(), "{text}: {report:#?}");
        match report.kind {
            AS_ROLE => assert_eq!(parse_role_arn(text).unwrap().to_string(), text),
            _ => assert_eq!(parse_key_arn(text).unwrap().to_string(), text),
        }
    }
}

#[test]
fn check_with_an_arn_kind_is_check_arn() {
    let context = Context::example();
    for &(text, kind, ..) in CASES {
        for as_kind in [AS_ROLE, AS_KEY] {
            let via_check = crate::check(text, as_kind, &context);
            assert_eq!(via_check, check_arn(text, Some(as_kind)), "{text:?}");
            assert_eq!(via_check.kind, as_kind);
        }
        // A policy kind given to check_arn means "detect".
        assert_eq!(
            check_arn(text, Some(DocumentKind::Iam)),
            check_arn(text, None),
            "{text:?} {kind:?}"
        );
    }
}

#[test]
fn positions_point_into_the_pasted_text() {
    let text = "\n\n  arn:aws:iam::1234-5678-9012:role/BYOK_Role\n";
    let report = check_arn(text, None);
    let account = report.findings.iter().find(|f| f.code == "A004").unwrap();
    assert_eq!((account.line, account.column), (3, 16));
    assert_eq!((account.end_line, account.end_column), (3, 30));
    let codes: Vec<_> = report.findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["A018", "A004", "A018"]);
    let leading = &report.findings[0];
    assert_eq!(leading.message, "the ARN is preceded by a line break");
    assert_eq!((leading.line, leading.column), (1, 1));
}

#[test]
fn nested_decorations_are_each_reported() {
    let text = " \"arn:aws:iam::210987654321:role/BYOK_Role\" ;\n";
    let report = check_arn(text, None);
    let found: Vec<_> = report
        .findings
        .iter()
        .map(|f| {
            (
                f.message.as_str(),
                text.get(f.span.start..f.span.end).unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("the ARN is preceded by a space", " "),
            (
                "the ARN is wrapped in `\"` quotes",
                "\"arn:aws:iam::210987654321:role/BYOK_Role\""
            ),
            ("the ARN is followed by a space", " "),
            ("the ARN is followed by a stray `;`", ";"),
            ("the ARN is followed by a line break", "\n"),
        ]
    );
    assert!(report.passes(Severity::Error));
    // A role name may end in a comma: only a comma after a closing quote is stray.
    assert!(check_arn("arn:aws:iam::210987654321:role/BYOK,", None)
        .findings
        .is_empty());
}

#[test]
fn smart_quotes_and_single_quotes_are_stripped() {
    for text in [
        format!("\u{201c}{ROLE}\u{201d}"),
        format!("'{ROLE}'"),
        format!("`{ROLE}`"),
    ] {
        let report = check_arn(&text, None);
        assert_eq!(report.findings.len(), 1, "{text}");
        assert_eq!(report.findings[0].code, "A018");
        assert_eq!(
            report.findings[0].help.as_deref(),
            Some(format!("paste only `{ROLE}`").as_str())
        );
    }
}

#[test]
fn over_long_text_is_one_finding() {
    let text = format!("{ROLE}{}", "x".repeat(MAX_ARN_CHARS));
    let report = check_arn(&text, Some(AS_ROLE));
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].name, "malformed-arn");
    assert_eq!(
        report.findings[0].message,
        format!(
            "the text is {} characters long; an ARN has at most 2048",
            text.len()
        )
    );
    let report = check_arn(&"x".repeat(10_000), None);
    assert!(report.findings[0].message.len() < 400);
}

#[test]
fn role_name_and_path_limits() {
    let name = "n".repeat(65);
    let text = format!("arn:aws:iam::210987654321:role/{name}");
    let finding = &check_arn(&text, None).findings[0];
    assert_eq!(finding.code, "A007");
    assert!(finding
        .message
        .ends_with("is 65 characters long; IAM role names have at most 64"));
    let path = "p".repeat(511);
    let text = format!("arn:aws:iam::210987654321:role/{path}/BYOK_Role");
    let finding = &check_arn(&text, None).findings[0];
    assert_eq!(finding.code, "A007");
    assert!(finding
        .message
        .ends_with("is 513 characters long; IAM paths have at most 512"));
    assert_eq!(
        text.get(finding.span.start..finding.span.end),
        Some(format!("/{path}/").as_str())
    );
    let path = "p".repeat(510);
    let text = format!("arn:aws:iam::210987654321:role/{path}/BYOK_Role");
    assert!(check_arn(&text, None).findings.is_empty());
}

#[test]
fn parse_returns_the_typed_value_or_the_first_error() {
    let role = parse_role_arn("arn:aws-us-gov:iam::012345678901:role/service-role/BYOK").unwrap();
    assert_eq!(
        role,
        RoleArn {
            partition: "aws-us-gov".into(),
            account: "012345678901".into(),
            path: "/service-role/".into(),
            name: "BYOK".into(),
        }
    );
    let key: KeyArn = KEY.parse().unwrap();
    assert_eq!(
        (key.region.as_str(), key.key_id.as_str(), key.multi_region),
        ("us-east-1", "1234abcd-12ab-34cd-56ef-1234567890ab", false)
    );
    // Warnings leave a valid ARN.
    assert!(parse_role_arn("arn:aws:iam::111122223333:role/BYOK_Role").is_ok());
    assert!(parse_key_arn(
        "arn:aws:kms:us-east-9:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    )
    .is_ok());
    // The first error, in text order.
    let error = parse_role_arn("arn:aws:iam:us-east-1:ACCOUNT_ID:role/BYOK Role").unwrap_err();
    assert_eq!(error.code(), "A006");
    assert_eq!(error.span, Span::new(12, 21));
    assert!(matches!(error.problem, ArnProblem::RegionInRoleArn { .. }));
    // Exactly the ARN: what check_arn trims is an error here.
    let error = parse_role_arn(&format!(" {ROLE}")).unwrap_err();
    assert!(matches!(
        error.problem,
        ArnProblem::Whitespace {
            side: Side::Leading,
            ..
        }
    ));
    assert_eq!(error.to_string(), "the ARN is preceded by a space");
    // Each parser rejects the other's ARN.
    assert_eq!(parse_role_arn(KEY).unwrap_err().name(), "wrong-service");
    assert_eq!(parse_key_arn(ROLE).unwrap_err().name(), "wrong-service");
    let session = parse_role_arn("arn:aws:sts::210987654321:assumed-role/BYOK_Role/s").unwrap_err();
    match session.problem {
        ArnProblem::AssumedRoleSession { role_arn, .. } => assert_eq!(role_arn, ROLE),
        other => panic!("{other:?}"),
    }
    assert_eq!(parse_key_arn("").unwrap_err().code(), "A019");
}

#[test]
fn detect_names_the_kind_or_none() {
    let cases = [
        (ROLE, Some(AS_ROLE)),
        ("arn:aws:iam::210987654321:user/alice", Some(AS_ROLE)),
        (
            "arn:aws:sts::210987654321:assumed-role/BYOK_Role/s",
            Some(AS_ROLE),
        ),
        ("aws:iam::210987654321:role/BYOK_Role", Some(AS_ROLE)),
        ("role/BYOK_Role", Some(AS_ROLE)),
        (KEY, Some(AS_KEY)),
        ("arn:aws:ksm:us-east-1:210987654321:key/x", Some(AS_KEY)),
        ("arn:aws:kms:us-east-1:210987654321:alias/x", Some(AS_KEY)),
        ("alias/x", Some(AS_KEY)),
        ("mrk-1234abcd12ab34cd56ef1234567890ab", Some(AS_KEY)),
        ("  \"1234abcd-12ab-34cd-56ef-1234567890ab\"\n", Some(AS_KEY)),
        ("210987654321", None),
        ("https://console.aws.amazon.com/kms/home", None),
        ("arn:aws:s3:::bucket", None),
        ("", None),
    ];
    for (text, kind) in cases {
        assert_eq!(detect(text), kind, "{text:?}");
    }
}

#[test]
fn region_helpers() {
    assert_eq!(region_partition("eu-isoe-west-1"), Some("aws-iso-e"));
    assert_eq!(region_partition("us-isof-south-1"), Some("aws-iso-f"));
    assert_eq!(region_partition("US-EAST-1"), None);
    assert!(is_known_region("il-central-1"));
    assert!(!is_known_region("us-east-9"));
    assert_eq!(partition("aws-iso").map(|p| p.regions.len()), Some(2));
    assert_eq!(PARTITIONS.len(), 8);
}

fn partitions() -> impl Strategy<Value = Partition> {
    prop::sample::select(PARTITIONS.to_vec())
}

fn account_ids() -> impl Strategy<Value = String> {
    "[0-9]{12}".prop_filter("documentation ids warn", |id| {
        !DOCUMENTATION_ACCOUNT_IDS.contains(&id.as_str())
    })
}

fn role_arns() -> impl Strategy<Value = (String, RoleArn)> {
    let path = prop_oneof![
        Just("/".to_string()),
        prop::collection::vec("[!-.0-~]{1,20}", 1..5)
            .prop_map(|segments| format!("/{}/", segments.join("/"))),
    ];
    (
        partitions(),
        account_ids(),
        path,
        "[A-Za-z0-9_+=,.@-]{1,64}",
    )
        .prop_map(|(partition, account, path, name)| {
            let role = RoleArn {
                partition: partition.name.to_string(),
                account,
                path,
                name,
            };
            let text = format!(
                "arn:{}:iam::{}:role{}{}",
                role.partition, role.account, role.path, role.name
            );
            (text, role)
        })
}

fn key_arns() -> impl Strategy<Value = (String, KeyArn)> {
    let region = partitions().prop_flat_map(|p| (Just(p.name), prop::sample::select(p.regions)));
    let key_id = prop_oneof![
        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "mrk-[0-9a-f]{32}",
    ];
    (region, account_ids(), key_id).prop_map(|((partition, region), account, key_id)| {
        let key = KeyArn {
            partition: partition.to_string(),
            region: region.to_string(),
            account,
            multi_region: key_id.starts_with("mrk-"),
            key_id,
        };
        let text = format!(
            "arn:{}:kms:{}:{}:key/{}",
            key.partition, key.region, key.account, key.key_id
        );
        (text, key)
    })
}

/// Replaces the character at `at` with `with`, or deletes it.
fn corrupt(text: &str, at: usize, with: Option<char>) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    out.push_str(&text[..at]);
    if let Some(c) = with {
        out.push(c);
    }
    out.push_str(&text[at + 1..]);
    out
}

fn assert_rejected(text: &str, kind: DocumentKind) -> Result<(), TestCaseError> {
    let parsed = match kind {
        AS_ROLE => parse_role_arn(text).map(|_| ()),
        _ => parse_key_arn(text).map(|_| ()),
    };
    prop_assert!(parsed.is_err(), "{text:?} parsed");
    let report = check_arn(text, Some(kind));
    prop_assert!(!report.passes(Severity::Error), "{text:?}: {report:#?}");
    Ok(())
}

proptest! {
    #[test]
    fn valid_role_arns_parse_cleanly_and_round_trip((text, role) in role_arns()) {
        let report = check_arn(&text, None);
        prop_assert!(report.findings.is_empty(), "{text}: {report:#?}");
        prop_assert_eq!(report.kind, AS_ROLE);
        let parsed = parse_role_arn(&text).unwrap();
        prop_assert_eq!(parsed.to_string(), text.as_str());
        prop_assert_eq!(parsed, role);
    }

    #[test]
    fn valid_key_arns_parse_cleanly_and_round_trip((text, key) in key_arns()) {
        let report = check_arn(&text, None);
        prop_assert!(report.findings.is_empty(), "{text}: {report:#?}");
        prop_assert_eq!(report.kind, AS_KEY);
        let parsed = parse_key_arn(&text).unwrap();
        prop_assert_eq!(parsed.to_string(), text.as_str());
        prop_assert_eq!(parsed, key);
    }

    #[test]
    fn a_corrupt_role_account_id_is_rejected(
        (text, role) in role_arns(),
        at in 0..12usize,
        with in prop::option::of(any::<char>().prop_filter("not a digit", |c| !c.is_ascii_digit())),
    ) {
        let start = format!("arn:{}:iam::", role.partition).len();
        assert_rejected(&corrupt(&text, start + at, with), AS_ROLE)?;
    }

    #[test]
    fn a_corrupt_key_account_id_or_key_id_is_rejected(
        (text, key) in key_arns(),
        account_at in 0..12usize,
        id_at in 0..36usize,
        with in prop::option::of(any::<char>().prop_filter("outside the key id alphabet", |c| {
            !(c.is_ascii_digit() || ('a'..='f').contains(c) || *c == '-')
        })),
    ) {
        let account_start = format!("arn:{}:kms:{}:", key.partition, key.region).len();
        assert_rejected(&corrupt(&text, account_start + account_at, with), AS_KEY)?;
        let id_start = text.len() - key.key_id.len();
        let corrupted = corrupt(&text, id_start + id_at, with);
        // `mrk-` is outside the hex alphabet: writing its own letter back changes nothing.
        prop_assume!(corrupted != text);
        assert_rejected(&corrupted, AS_KEY)?;
    }

    #[test]
    fn any_text_gives_spans_on_char_boundaries(
        text in prop_oneof![
            ".{0,80}",
            "(ARN|arn|aws)?:[a-z-]{0,12}:(iam|kms|sts|[a-z]{0,4}):[a-z0-9-]{0,12}:[0-9a-zA-Z -]{0,14}:.{0,40}",
            "[ \"',;\u{201c}\u{201d}\n]{0,4}(role|key|alias|mrk)[/-][0-9a-fA-F/-]{0,40}[ \"',;\n]{0,4}",
        ],
        kind in prop::option::of(prop::sample::select(vec![AS_ROLE, AS_KEY])),
    ) {
        let report = check_arn(&text, kind);
        prop_assert!(!report.findings.is_empty() || detect(&text).is_some());
        for finding in &report.findings {
            prop_assert!(text.get(finding.span.start..finding.span.end).is_some(), "{finding:#?}");
            prop_assert!(!finding.message.is_empty() && !finding.message.ends_with('.'));
        }
    }
}
