//! AWS partitions and their regions, as botocore's `partitions.json` describes them.
//!
//! The region formats are written out by hand instead of as regexes: each is a fixed prefix,
//! a word and a number, and a hand-written check cannot fail to compile at run time.

/// One AWS partition: its name, the region prefix its region format starts with, and the
/// regions byokcheck knows in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    /// The partition as it appears in ARNs (`aws`, `aws-cn`).
    pub name: &'static str,
    /// Region prefixes; a region of the partition is `PREFIX-WORD-NUMBER`.
    prefixes: &'static [&'static str],
    /// The regions known when this list was written (botocore 1.44.8). AWS adds regions, so a
    /// well-formed region missing here is a warning, not an error.
    pub regions: &'static [&'static str],
}

impl Partition {
    /// True when `region` has this partition's region format (known or not).
    pub fn region_format_matches(&self, region: &str) -> bool {
        self.prefixes.iter().any(|prefix| {
            region
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(word_dash_number)
        })
    }

    /// True when `region` is in this partition's built-in list.
    pub fn knows(&self, region: &str) -> bool {
        self.regions.contains(&region)
    }
}

/// `\w+-\d+`, the tail of every region format (`east-1`, `northwest-1`).
fn word_dash_number(text: &str) -> bool {
    text.rsplit_once('-').is_some_and(|(word, number)| {
        !word.is_empty()
            && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !number.is_empty()
            && number.chars().all(|c| c.is_ascii_digit())
    })
}

/// Every partition, the standard one first.
pub const PARTITIONS: &[Partition] = &[
    Partition {
        name: "aws",
        prefixes: &["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"],
        regions: &[
            "af-south-1",
            "ap-east-1",
            "ap-east-2",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ap-southeast-4",
            "ap-southeast-5",
            "ap-southeast-6",
            "ap-southeast-7",
            "ca-central-1",
            "ca-west-1",
            "eu-central-1",
            "eu-central-2",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "il-central-1",
            "me-central-1",
            "me-south-1",
            "me-west-1",
            "mx-central-1",
            "sa-east-1",
            "sa-west-1",
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
        ],
    },
    Partition {
        name: "aws-cn",
        prefixes: &["cn"],
        regions: &["cn-north-1", "cn-northwest-1"],
    },
    Partition {
        name: "aws-us-gov",
        prefixes: &["us-gov"],
        regions: &["us-gov-east-1", "us-gov-west-1"],
    },
    Partition {
        name: "aws-iso",
        prefixes: &["us-iso"],
        regions: &["us-iso-east-1", "us-iso-west-1"],
    },
    Partition {
        name: "aws-iso-b",
        prefixes: &["us-isob"],
        regions: &["us-isob-east-1", "us-isob-west-1"],
    },
    Partition {
        name: "aws-iso-e",
        prefixes: &["eu-isoe"],
        regions: &["eu-isoe-west-1"],
    },
    Partition {
        name: "aws-iso-f",
        prefixes: &["us-isof"],
        regions: &["us-isof-east-1", "us-isof-south-1"],
    },
    Partition {
        name: "aws-eusc",
        prefixes: &["eusc-de"],
        regions: &["eusc-de-east-1"],
    },
];

/// The partition named `name` (exact, case-sensitive, as in ARNs).
pub fn partition(name: &str) -> Option<&'static Partition> {
    PARTITIONS.iter().find(|p| p.name == name)
}

/// The partition `region` belongs to: by the built-in list first, then by region format.
/// `None` when `region` is not shaped like a region of any partition.
///
/// ```
/// use byokcheck_core::arn::region_partition;
/// assert_eq!(region_partition("cn-north-1"), Some("aws-cn"));
/// assert_eq!(region_partition("us-gov-west-1"), Some("aws-us-gov"));
/// assert_eq!(region_partition("us-east-9"), Some("aws"));
/// assert_eq!(region_partition("us-east-1a"), None);
/// ```
pub fn region_partition(region: &str) -> Option<&'static str> {
    PARTITIONS
        .iter()
        .find(|p| p.knows(region))
        .or_else(|| PARTITIONS.iter().find(|p| p.region_format_matches(region)))
        .map(|p| p.name)
}

/// True when `region` is in the built-in list of some partition.
pub fn is_known_region(region: &str) -> bool {
    PARTITIONS.iter().any(|p| p.knows(region))
}

/// Every known region of every partition.
pub(crate) fn known_regions() -> impl Iterator<Item = &'static str> {
    PARTITIONS.iter().flat_map(|p| p.regions.iter().copied())
}

/// When `text` is an availability zone (`us-east-1a`), the region it is in.
pub(crate) fn zone_region(text: &str) -> Option<&str> {
    let last = text.chars().next_back()?;
    if !last.is_ascii_lowercase() {
        return None;
    }
    let region = text.get(..text.len() - 1)?;
    region_partition(region).map(|_| region)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_disjoint_across_partitions() {
        for region in known_regions() {
            let matching: Vec<_> = PARTITIONS
                .iter()
                .filter(|p| p.region_format_matches(region))
                .map(|p| p.name)
                .collect();
            assert_eq!(matching.len(), 1, "{region} matches {matching:?}");
            assert_eq!(
                partition(matching[0]).map(|p| p.knows(region)),
                Some(true),
                "{region} is listed under another partition than its format"
            );
        }
    }

    #[test]
    fn zones_map_to_regions() {
        assert_eq!(zone_region("us-east-1a"), Some("us-east-1"));
        assert_eq!(zone_region("cn-north-1b"), Some("cn-north-1"));
        assert_eq!(zone_region("us-east-1"), None);
        assert_eq!(zone_region("banana"), None);
        assert_eq!(zone_region(""), None);
    }
}
