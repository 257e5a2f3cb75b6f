//! Every mistake byokcheck recognises in a pasted ARN, with its message and its fix.
//!
//! One variant per distinct mistake; several variants can share a rule (a role name and a role
//! path are both `invalid-role-name`). Messages and help texts are written here, once, so that
//! `check_arn` and the typed parse functions say the same thing.

use crate::finding::{DocumentKind, Severity};
use crate::rules::arn as rules;
use crate::rules::Rule;

/// The role ARN shape messages show when the real values are unknown.
pub(crate) const ROLE_TEMPLATE: &str = "arn:aws:iam::ACCOUNT_ID:role/NAME";
/// The key ARN shape messages show when the real values are unknown.
pub(crate) const KEY_TEMPLATE: &str = "arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID";
/// The command that prints the caller's account id.
const ACCOUNT_COMMAND: &str = "aws sts get-caller-identity --query Account --output text";

/// What a text that is not an ARN looks like, so the message can name it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Shape {
    /// Nothing but white space.
    Empty,
    /// Digits (possibly with hyphens): an account id alone.
    AccountId(String),
    /// An `http(s)://` address, usually a console page.
    Url(String),
    /// A JSON document (a policy pasted where an ARN was expected).
    Json,
    /// A role name alone (`BYOK_Role`) or a role path (`role/BYOK_Role`): holds what follows
    /// `role/`.
    RoleName(String),
    /// An ARN of a service that is neither IAM nor KMS.
    OtherArn { service: String },
    /// Starts with `arn:` but has too few fields to say more.
    IncompleteArn(String),
    /// Anything else.
    Text(String),
}

/// Which end of the text a decoration is at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Leading,
    Trailing,
}

/// Why an account id is not 12 digits.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AccountFault {
    Empty,
    /// Placeholder text left from a guide (`ACCOUNT_ID`, `<your-account-id>`).
    Placeholder,
    /// The 12 digits written with hyphens or spaces, as the console's account menu shows them.
    Separators {
        digits: String,
    },
    /// Only digits, but not 12 of them.
    Length {
        digits: usize,
    },
    /// A character that is not a digit; `lookalike` is the id with `O`/`o` read as `0` and
    /// `I`/`l` read as `1`, when that gives 12 digits.
    Character {
        ch: char,
        lookalike: Option<String>,
    },
}

/// Why a role name is not valid.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RoleNameFault {
    Empty,
    Placeholder,
    TooLong { chars: usize },
    Character { ch: char },
}

/// Why a role path is not valid.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RolePathFault {
    /// `role//NAME`: nothing between the slashes.
    Empty,
    TooLong {
        chars: usize,
    },
    /// Outside printable ASCII (`!` to `~`): a space, a control or a non-ASCII character.
    Character {
        ch: char,
    },
}

/// What an IAM or STS resource is, when it is not a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IamResource {
    User,
    Group,
    Policy,
    Root,
    InstanceProfile,
    OidcProvider,
    SamlProvider,
    Mfa,
    ServerCertificate,
    FederatedUser,
    /// `Role/NAME` or `roles/NAME`.
    MisspeltRole,
    Other,
}

impl IamResource {
    pub(crate) fn from_type(resource_type: &str) -> Self {
        match resource_type {
            "user" => Self::User,
            "group" => Self::Group,
            "policy" => Self::Policy,
            "root" => Self::Root,
            "instance-profile" => Self::InstanceProfile,
            "oidc-provider" => Self::OidcProvider,
            "saml-provider" => Self::SamlProvider,
            "mfa" => Self::Mfa,
            "server-certificate" => Self::ServerCertificate,
            "federated-user" => Self::FederatedUser,
            other if other.eq_ignore_ascii_case("role") || other.eq_ignore_ascii_case("roles") => {
                Self::MisspeltRole
            }
            _ => Self::Other,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Self::User => "an IAM user",
            Self::Group => "an IAM group",
            Self::Policy => "an IAM managed policy",
            Self::Root => "the account principal (the whole account)",
            Self::InstanceProfile => "an EC2 instance profile",
            Self::OidcProvider => "an OIDC identity provider",
            Self::SamlProvider => "a SAML identity provider",
            Self::Mfa => "an MFA device",
            Self::ServerCertificate => "a server certificate",
            Self::FederatedUser => "an STS federated user session",
            Self::MisspeltRole | Self::Other => "not a role",
        }
    }
}

/// Why a key id is not a KMS key id.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyIdFault {
    Empty,
    Placeholder,
    Wildcard,
    /// Upper-case hex; `lower` is the id as AWS writes it.
    Uppercase {
        lower: String,
    },
    /// `mrk-` followed by a dashed UUID; `fixed` drops the dashes.
    MrkDashes {
        fixed: String,
    },
    /// `mrk-` followed by the wrong number of hex digits.
    MrkLength {
        hex: usize,
    },
    /// 32 hex digits without dashes; `fixed` is the 8-4-4-4-12 form.
    NoDashes {
        fixed: String,
    },
    /// Hex groups of the wrong lengths.
    Groups {
        lengths: Vec<usize>,
    },
    /// A character that is neither a hex digit nor a dash.
    Character {
        ch: char,
    },
}

/// One mistake in a pasted ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArnProblem {
    /// A001: longer than any ARN.
    TooLong { chars: usize },
    /// A001: more than one line (two ARNs pasted into one field).
    MultipleLines { lines: usize },
    /// A001: `ARN:` instead of `arn:`.
    UppercasePrefix { fixed: String },
    /// A001: an ARN without its `arn:` prefix.
    MissingPrefix { found: String, fixed: String },
    /// A001: starts with `arn:` but has fewer than 6 fields.
    TooFewFields {
        found: String,
        fields: usize,
        expected: DocumentKind,
        /// A fix when the mistake is recognisable (one colon of `iam::` missing).
        fixed: Option<String>,
    },
    /// A001: nothing after the account id.
    EmptyResource {
        expected: DocumentKind,
        template: String,
    },
    /// A001: the resource is not `role/…` or `key/…` in the expected form.
    ResourceForm {
        found: String,
        expected: DocumentKind,
        fixed: Option<String>,
    },
    /// A002
    UnknownPartition {
        found: String,
        suggestion: Option<&'static str>,
        fixed: Option<String>,
    },
    /// A003
    WrongService {
        found: String,
        expected: DocumentKind,
        fixed: Option<String>,
    },
    /// A004
    InvalidAccountId { found: String, fault: AccountFault },
    /// A005
    DocumentationAccountId { found: String },
    /// A006
    RegionInRoleArn { region: String, fixed: String },
    /// A007
    InvalidRoleName { name: String, fault: RoleNameFault },
    /// A007
    InvalidRolePath {
        path: String,
        fault: RolePathFault,
        fixed: Option<String>,
    },
    /// A008
    NotARole {
        resource: String,
        found: IamResource,
        template: String,
        fixed: Option<String>,
    },
    /// A009
    AssumedRoleSession {
        role: String,
        session: String,
        role_arn: String,
    },
    /// A010
    MissingRegion { fixed: String },
    /// A011
    RegionOfOtherPartition {
        region: String,
        partition: String,
        belongs_to: &'static str,
        fixed: String,
    },
    /// A012
    UnknownRegion {
        region: String,
        partition: &'static str,
        /// The closest known region of the partition, if one is close.
        suggestion: Option<&'static str>,
    },
    /// A013
    AvailabilityZone {
        zone: String,
        region: String,
        fixed: String,
    },
    /// A014
    AliasArn { alias: String, region: String },
    /// A015
    AliasName { alias: String },
    /// A016
    BareKeyId { id: String },
    /// A017
    InvalidKeyId { id: String, fault: KeyIdFault },
    /// A018: white space (or an invisible character) around the ARN.
    Whitespace {
        side: Side,
        what: String,
        clean: String,
    },
    /// A018: the ARN wrapped in a pair of quotes.
    Quotes { quote: char, clean: String },
    /// A018: one stray quote or comma at an end.
    StrayCharacter { ch: char, side: Side, clean: String },
    /// A019
    NotAnArn {
        shape: Shape,
        expected: Option<DocumentKind>,
    },
    /// A020
    InvalidRegion {
        region: String,
        suggestion: Option<&'static str>,
        placeholder: bool,
    },
}

/// Shows a user value in a message, shortened when it is long.
pub(crate) fn shown(value: &str) -> String {
    const MAX: usize = 80;
    let mut out = String::new();
    for (count, c) in value.chars().enumerate() {
        if count == MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            // A line break or a tab inside backticks would break the message's one line.
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

fn expected_arn(expected: Option<DocumentKind>) -> String {
    match expected {
        Some(DocumentKind::KeyArn) => format!("a KMS key ARN (`{KEY_TEMPLATE}`)"),
        Some(DocumentKind::RoleArn) => format!("an IAM role ARN (`{ROLE_TEMPLATE}`)"),
        _ => format!("an IAM role ARN (`{ROLE_TEMPLATE}`) or a KMS key ARN (`{KEY_TEMPLATE}`)"),
    }
}

fn short_name(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::KeyArn => "key ARN",
        _ => "role ARN",
    }
}

fn template(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::KeyArn => KEY_TEMPLATE,
        _ => ROLE_TEMPLATE,
    }
}

fn side_word(side: Side) -> &'static str {
    match side {
        Side::Leading => "preceded",
        Side::Trailing => "followed",
    }
}

fn owner(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::KeyArn => "key",
        _ => "role",
    }
}

impl ArnProblem {
    pub(crate) fn rule(&self) -> &'static Rule {
        match self {
            Self::TooLong { .. }
            | Self::MultipleLines { .. }
            | Self::UppercasePrefix { .. }
            | Self::MissingPrefix { .. }
            | Self::TooFewFields { .. }
            | Self::EmptyResource { .. }
            | Self::ResourceForm { .. } => &rules::malformed_arn::RULE,
            Self::UnknownPartition { .. } => &rules::unknown_partition::RULE,
            Self::WrongService { .. } => &rules::wrong_service::RULE,
            Self::InvalidAccountId { .. } => &rules::invalid_account_id::RULE,
            Self::DocumentationAccountId { .. } => &rules::placeholder_account_id::RULE,
            Self::RegionInRoleArn { .. } => &rules::region_in_role_arn::RULE,
            Self::InvalidRoleName { .. } | Self::InvalidRolePath { .. } => {
                &rules::invalid_role_name::RULE
            }
            Self::NotARole { .. } => &rules::not_a_role::RULE,
            Self::AssumedRoleSession { .. } => &rules::assumed_role_session_arn::RULE,
            Self::MissingRegion { .. } => &rules::missing_region::RULE,
            Self::RegionOfOtherPartition { .. } => &rules::region_of_other_partition::RULE,
            Self::UnknownRegion { .. } => &rules::unknown_region::RULE,
            Self::AvailabilityZone { .. } => &rules::availability_zone_as_region::RULE,
            Self::AliasArn { .. } => &rules::alias_arn::RULE,
            Self::AliasName { .. } => &rules::alias_name::RULE,
            Self::BareKeyId { .. } => &rules::bare_key_id::RULE,
            Self::InvalidKeyId { .. } => &rules::invalid_key_id::RULE,
            Self::Whitespace { .. } | Self::Quotes { .. } | Self::StrayCharacter { .. } => {
                &rules::surrounding_whitespace::RULE
            }
            Self::NotAnArn { .. } => &rules::not_an_arn::RULE,
            Self::InvalidRegion { .. } => &rules::invalid_region::RULE,
        }
    }

    /// The rule code (`A004`).
    pub fn code(&self) -> &'static str {
        self.rule().meta.code
    }

    /// The rule name (`invalid-account-id`).
    pub fn name(&self) -> &'static str {
        self.rule().meta.name
    }

    pub fn severity(&self) -> Severity {
        self.rule().meta.severity
    }

    /// What was found and what was expected.
    pub fn message(&self) -> String {
        match self {
            Self::TooLong { chars } => format!(
                "the text is {chars} characters long; an ARN has at most {}",
                super::MAX_ARN_CHARS
            ),
            Self::MultipleLines { lines } => {
                format!("the text has {lines} lines; an ARN is one line")
            }
            Self::UppercasePrefix { .. } => "the ARN starts with an upper-case prefix; ARNs start with lower-case `arn:`".into(),
            Self::MissingPrefix { found, .. } => {
                format!("`{}` lacks the `arn:` prefix", shown(found))
            }
            Self::TooFewFields {
                found,
                fields,
                expected,
                ..
            } => format!(
                "`{}` has {fields} of the 6 fields of an ARN (`arn:partition:service:region:account:resource`); expected {}",
                shown(found),
                expected_arn(Some(*expected))
            ),
            Self::EmptyResource { expected, .. } => format!(
                "the {} ends after the account id; expected `{}` there",
                short_name(*expected),
                match expected {
                    DocumentKind::KeyArn => "key/KEY_ID",
                    _ => "role/NAME",
                }
            ),
            Self::ResourceForm {
                found, expected, ..
            } => match expected {
                DocumentKind::KeyArn => format!(
                    "the resource is `{}`; a key ARN ends in `key/KEY_ID`",
                    shown(found)
                ),
                _ => format!(
                    "the resource is `{}`; a role ARN ends in `role/NAME`",
                    shown(found)
                ),
            },
            Self::UnknownPartition { found, .. } => {
                let list = super::PARTITIONS
                    .iter()
                    .map(|p| format!("`{}`", p.name))
                    .collect::<Vec<_>>()
                    .join(", ");
                if found.is_empty() {
                    format!("the partition is empty; expected one of {list}")
                } else {
                    format!("unknown partition `{}`; expected one of {list}", shown(found))
                }
            }
            Self::WrongService {
                found, expected, ..
            } => {
                let wanted = match expected {
                    DocumentKind::KeyArn => "kms",
                    _ => "iam",
                };
                if found.is_empty() {
                    format!(
                        "the service is empty; a {} has `{wanted}`",
                        short_name(*expected)
                    )
                } else if found.eq_ignore_ascii_case(wanted) {
                    format!("service `{found}` must be written in lower case: `{wanted}`")
                } else if found == "kms" {
                    format!("service `kms` makes this a KMS key ARN, not an IAM role ARN (service `{wanted}`)")
                } else if found == "iam" {
                    format!("service `iam` makes this an IAM ARN, not a KMS key ARN (service `{wanted}`)")
                } else {
                    format!(
                        "service `{}` is not `{wanted}`; expected {}",
                        shown(found),
                        expected_arn(Some(*expected))
                    )
                }
            }
            Self::InvalidAccountId { found, fault } => {
                let found = shown(found);
                match fault {
                    AccountFault::Empty => {
                        "the account id is empty; expected the 12 digits of an AWS account".into()
                    }
                    AccountFault::Placeholder => format!(
                        "`{found}` is placeholder text, not an account id; expected the 12 digits of your AWS account"
                    ),
                    AccountFault::Separators { .. } => format!(
                        "account id `{found}` has separators; in an ARN it is the 12 digits alone"
                    ),
                    AccountFault::Length { digits } => format!(
                        "account id `{found}` has {digits} digits; an account id has exactly 12"
                    ),
                    AccountFault::Character { ch: '*', .. } => format!(
                        "account id `{found}` has a wildcard; the ARN must name one account by its 12 digits"
                    ),
                    AccountFault::Character { ch, .. } => format!(
                        "account id `{found}` contains `{ch}`; an account id is 12 digits"
                    ),
                }
            }
            Self::DocumentationAccountId { found } => format!(
                "account id `{found}` is an example from the AWS documentation, not a real account"
            ),
            Self::RegionInRoleArn { region, .. } => format!(
                "the region field holds `{}`; IAM is global and role ARNs have an empty region (`iam::`)",
                shown(region)
            ),
            Self::InvalidRoleName { name, fault } => {
                let name = shown(name);
                match fault {
                    RoleNameFault::Empty => "the role name after `role/` is empty".into(),
                    RoleNameFault::Placeholder => format!(
                        "`{name}` is placeholder text, not a role name"
                    ),
                    RoleNameFault::TooLong { chars } => format!(
                        "role name `{name}` is {chars} characters long; IAM role names have at most 64"
                    ),
                    RoleNameFault::Character { ch: '*' } => format!(
                        "role name `{name}` has a wildcard; the ARN must name one role"
                    ),
                    RoleNameFault::Character { ch } => format!(
                        "role name `{name}` contains {}; role names use letters, digits and `+=,.@_-`",
                        describe_char(*ch)
                    ),
                }
            }
            Self::InvalidRolePath { path, fault, .. } => {
                let path = shown(path);
                match fault {
                    RolePathFault::Empty => format!(
                        "role path `{path}` has nothing between its slashes"
                    ),
                    RolePathFault::TooLong { chars } => format!(
                        "role path `{path}` is {chars} characters long; IAM paths have at most 512"
                    ),
                    RolePathFault::Character { ch } => format!(
                        "role path `{path}` contains {}; paths use printable ASCII without spaces",
                        describe_char(*ch)
                    ),
                }
            }
            Self::NotARole {
                resource, found, ..
            } => match found {
                IamResource::MisspeltRole => format!(
                    "resource `{}` is not a role: the resource type is written `role`",
                    shown(resource)
                ),
                IamResource::Other => format!(
                    "resource `{}` is not a role; a role ARN ends in `role/NAME`",
                    shown(resource)
                ),
                other => format!(
                    "`{}` is {}, not a role; the vendor assumes a role",
                    shown(resource),
                    other.describe()
                ),
            },
            Self::AssumedRoleSession { role, session, .. } => format!(
                "this is the ARN of an STS session of role `{}` (session `{}`), not the role's ARN",
                shown(role),
                shown(session)
            ),
            Self::MissingRegion { .. } => {
                "the region is missing; a KMS key ARN names the region the key is in".into()
            }
            Self::RegionOfOtherPartition {
                region,
                partition,
                belongs_to,
                ..
            } => format!(
                "region `{region}` is in the `{belongs_to}` partition, but the ARN says `{partition}`"
            ),
            Self::UnknownRegion {
                region, partition, ..
            } => format!(
                "region `{region}` has the form of a region of partition `{partition}` but is not one byokcheck knows"
            ),
            Self::AvailabilityZone { zone, region, .. } => format!(
                "`{zone}` is an availability zone; the ARN takes its region, `{region}`"
            ),
            Self::AliasArn { alias, .. } => format!(
                "this is the ARN of the alias `{}`, not of a key; IAM and KMS permissions name keys by key ARN, and an alias can later point at another key",
                shown(alias)
            ),
            Self::AliasName { alias } => format!(
                "`{}` is an alias name, not a key ARN; the vendor needs the ARN of the key",
                shown(alias)
            ),
            Self::BareKeyId { id } => format!(
                "`{}` is a key id, not a key ARN; the vendor needs the full ARN",
                shown(id)
            ),
            Self::InvalidKeyId { id, fault } => {
                let id = shown(id);
                match fault {
                    KeyIdFault::Empty => "the key id after `key/` is empty".into(),
                    KeyIdFault::Placeholder => {
                        format!("`{id}` is placeholder text, not a key id")
                    }
                    KeyIdFault::Wildcard => format!(
                        "key id `{id}` has a wildcard; the vendor needs the ARN of one key"
                    ),
                    KeyIdFault::Uppercase { .. } => format!(
                        "key id `{id}` has upper-case letters; AWS writes key ids in lower case and compares ARNs case-sensitively"
                    ),
                    KeyIdFault::MrkDashes { .. } => format!(
                        "multi-Region key id `{id}` has dashes after `mrk-`; it is `mrk-` and 32 hex digits"
                    ),
                    KeyIdFault::MrkLength { hex } => format!(
                        "multi-Region key id `{id}` has {hex} hex digits after `mrk-`; expected 32"
                    ),
                    KeyIdFault::NoDashes { .. } => format!(
                        "key id `{id}` has no dashes; a key id is 8-4-4-4-12 hex digits, or `mrk-` and 32 for a multi-Region key"
                    ),
                    KeyIdFault::Groups { lengths } => format!(
                        "key id `{id}` has groups of {} hex digits; expected 8-4-4-4-12",
                        lengths
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("-")
                    ),
                    KeyIdFault::Character { ch } => format!(
                        "key id `{id}` contains {}; key ids are hex digits `0-9a-f` and dashes",
                        describe_char(*ch)
                    ),
                }
            }
            Self::Whitespace { side, what, .. } => {
                format!("the ARN is {} by {what}", side_word(*side))
            }
            Self::Quotes { quote, .. } => format!("the ARN is wrapped in `{quote}` quotes"),
            Self::StrayCharacter { ch, side, .. } => {
                format!("the ARN is {} by a stray `{ch}`", side_word(*side))
            }
            Self::NotAnArn { shape, expected } => {
                let expected = expected_arn(*expected);
                match shape {
                    Shape::Empty => format!("the text is empty; expected {expected}"),
                    Shape::AccountId(id) => format!(
                        "`{}` is an account id, not an ARN; expected {expected}",
                        shown(id)
                    ),
                    Shape::Url(url) => {
                        format!("`{}` is a URL, not an ARN; expected {expected}", shown(url))
                    }
                    Shape::Json => {
                        format!("the text is a JSON document, not an ARN; expected {expected}")
                    }
                    Shape::RoleName(name) => format!(
                        "`{}` is a role name, not an ARN; expected {expected}",
                        shown(name)
                    ),
                    Shape::OtherArn { service } => format!(
                        "this is an ARN of service `{}`; expected {expected}",
                        shown(service)
                    ),
                    Shape::IncompleteArn(text) => format!(
                        "`{}` is an incomplete ARN; expected {expected}",
                        shown(text)
                    ),
                    Shape::Text(text) => {
                        format!("`{}` is not an ARN; expected {expected}", shown(text))
                    }
                }
            }
            Self::InvalidRegion {
                region,
                placeholder,
                ..
            } => {
                if *placeholder {
                    format!("`{}` is placeholder text, not a region", shown(region))
                } else if region.is_empty() {
                    "the region is empty".into()
                } else {
                    format!(
                        "`{}` is not a region name; regions look like `us-east-1`",
                        shown(region)
                    )
                }
            }
        }
    }

    /// Exactly what to write instead, when that can be said.
    pub fn help(&self) -> Option<String> {
        let help = match self {
            Self::TooLong { .. } => {
                "paste the ARN alone: a role ARN or a key ARN is one line without spaces".into()
            }
            Self::MultipleLines { .. } => {
                "paste one ARN: the role ARN and the key ARN each go in their own field".into()
            }
            Self::UppercasePrefix { fixed } | Self::MissingPrefix { fixed, .. } => {
                format!("write `{fixed}`")
            }
            Self::TooFewFields {
                fixed: Some(fixed), ..
            } => format!("write `{fixed}`"),
            Self::TooFewFields { expected, .. } => format!(
                "copy the whole ARN; a {} looks like `{}`",
                short_name(*expected),
                template(*expected)
            ),
            Self::EmptyResource { template, .. } => format!("write `{template}`"),
            Self::ResourceForm {
                fixed: Some(fixed), ..
            } => format!("write `{fixed}`"),
            Self::ResourceForm { expected, .. } => format!(
                "copy the ARN of the {} from the console; it looks like `{}`",
                owner(*expected),
                template(*expected)
            ),
            Self::UnknownPartition {
                suggestion: Some(partition),
                fixed: Some(fixed),
                ..
            } => format!("did you mean `{partition}`? write `{fixed}`"),
            Self::UnknownPartition { .. } => "most accounts are in `aws`; China Regions use `aws-cn` and GovCloud uses `aws-us-gov`".into(),
            Self::WrongService {
                fixed: Some(fixed), ..
            } => format!("write `{fixed}`"),
            Self::WrongService {
                found, expected, ..
            } => match (expected, found.as_str()) {
                (DocumentKind::KeyArn, "iam") => format!(
                    "give the ARN of the KMS key (`{KEY_TEMPLATE}`); the IAM role ARN goes in the role field"
                ),
                (DocumentKind::KeyArn, _) => {
                    format!("give the ARN of the KMS key (`{KEY_TEMPLATE}`)")
                }
                (_, "kms") => format!(
                    "give the ARN of the IAM role (`{ROLE_TEMPLATE}`); the KMS key ARN goes in the key field"
                ),
                _ => format!("give the ARN of the IAM role (`{ROLE_TEMPLATE}`)"),
            },
            Self::InvalidAccountId { fault, .. } => match fault {
                AccountFault::Separators { digits } => format!("write `{digits}`"),
                AccountFault::Character {
                    lookalike: Some(digits),
                    ..
                } => format!("write `{digits}`"),
                AccountFault::Length { digits: 11 } => format!(
                    "if a spreadsheet or a number field dropped a leading zero, put it back; `{ACCOUNT_COMMAND}` prints the 12 digits"
                ),
                _ => format!(
                    "write the 12-digit id of the account that owns the resource; `{ACCOUNT_COMMAND}` prints it"
                ),
            },
            Self::DocumentationAccountId { .. } => format!(
                "write the id of your own account; `{ACCOUNT_COMMAND}` prints it"
            ),
            Self::RegionInRoleArn { fixed, .. } => format!("write `{fixed}`"),
            Self::InvalidRoleName { fault, .. } => match fault {
                RoleNameFault::Empty | RoleNameFault::Placeholder => {
                    "write the name of your BYOK role after `role/`, as the IAM console shows it".into()
                }
                _ => "copy the role ARN from the IAM console (Roles, then the role's summary)".into(),
            },
            Self::InvalidRolePath {
                fixed: Some(fixed), ..
            } => format!("write `{fixed}`"),
            Self::InvalidRolePath { .. } => {
                "copy the role ARN from the IAM console (Roles, then the role's summary)".into()
            }
            Self::NotARole {
                fixed: Some(fixed), ..
            } => format!("write `{fixed}`"),
            Self::NotARole { template, .. } => {
                format!("give the ARN of the BYOK role: `{template}`")
            }
            Self::AssumedRoleSession { role_arn, .. } => format!(
                "write the role ARN `{role_arn}`; a session ARN drops the role's path, so if the role has one (`role/PATH/NAME`) copy its ARN from the IAM console"
            ),
            Self::MissingRegion { fixed } => {
                format!("write the key's region (like `us-east-1`): `{fixed}`")
            }
            Self::RegionOfOtherPartition { fixed, .. } => format!("write `{fixed}`"),
            Self::UnknownRegion {
                region,
                suggestion: Some(known),
                ..
            } => format!(
                "did you mean `{known}`? if AWS opened `{region}` recently, the ARN is fine"
            ),
            Self::UnknownRegion { .. } => "check the region in the key's ARN in the KMS console; if AWS opened this region recently, the ARN is fine".into(),
            Self::AvailabilityZone { fixed, .. } => format!("write `{fixed}`"),
            Self::AliasArn { alias, region } => format!(
                "`aws kms describe-key --key-id {alias} --region {region} --query KeyMetadata.Arn --output text` prints the key ARN; give that"
            ),
            Self::AliasName { alias } => format!(
                "`aws kms describe-key --key-id {alias} --query KeyMetadata.Arn --output text` prints the key ARN; give that"
            ),
            Self::BareKeyId { id } => {
                let lower = id.to_ascii_lowercase();
                let id = if super::analyze::is_key_id(&lower) {
                    lower
                } else {
                    id.clone()
                };
                format!(
                "write `arn:aws:kms:REGION:ACCOUNT_ID:key/{id}` with the key's region and account, or run `aws kms describe-key --key-id {id} --query KeyMetadata.Arn --output text`"
            )
            }
            Self::InvalidKeyId { fault, .. } => match fault {
                KeyIdFault::Uppercase { lower: fixed }
                | KeyIdFault::MrkDashes { fixed }
                | KeyIdFault::NoDashes { fixed } => format!("write `{fixed}`"),
                _ => "copy the key ARN from the KMS console (Customer managed keys, then the key's General configuration)".into(),
            },
            Self::Whitespace { clean, .. }
            | Self::Quotes { clean, .. }
            | Self::StrayCharacter { clean, .. } => format!("paste only `{clean}`"),
            Self::NotAnArn { shape, expected } => match (shape, expected) {
                (Shape::AccountId(id), Some(DocumentKind::RoleArn)) => {
                    format!("a role ARN in this account looks like `arn:aws:iam::{id}:role/NAME`")
                }
                (Shape::AccountId(id), Some(DocumentKind::KeyArn)) => {
                    format!("a key ARN in this account looks like `arn:aws:kms:REGION:{id}:key/KEY_ID`")
                }
                (Shape::RoleName(name), Some(DocumentKind::KeyArn)) => format!(
                    "give the key ARN (`{KEY_TEMPLATE}`); `{}` may be a role name, which goes in the role field",
                    shown(name)
                ),
                (Shape::RoleName(name), _) => {
                    format!("write `arn:aws:iam::ACCOUNT_ID:role/{name}` with your account id")
                }
                (Shape::Url(_), Some(DocumentKind::KeyArn)) => "copy the ARN from the key's page in the KMS console (General configuration)".into(),
                (Shape::Url(_), Some(DocumentKind::RoleArn)) => "copy the ARN from the role's page in the IAM console (Summary)".into(),
                (Shape::Json, _) => "check a policy as a policy document; here paste only the ARN".into(),
                (_, expected) => format!("paste {}", expected_arn(*expected)),
            },
            Self::InvalidRegion {
                suggestion: Some(region),
                ..
            } => format!("did you mean `{region}`?"),
            Self::InvalidRegion { .. } => {
                "write the region the key is in, like `us-east-1`".into()
            }
        };
        Some(help)
    }
}

/// A character as messages name it: invisible ones by name and code point.
fn describe_char(ch: char) -> String {
    match ch {
        ' ' => "a space".into(),
        '\t' => "a tab".into(),
        '\n' | '\r' => "a line break".into(),
        c if c.is_control() || !c.is_ascii() => format!("`{c}` (U+{:04X})", u32::from(c)),
        c => format!("`{c}`"),
    }
}
