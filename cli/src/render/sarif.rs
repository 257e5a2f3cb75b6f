//! `--format sarif`: SARIF 2.1.0 for code-scanning uploads: one run, the rules that fired with
//! their documentation as help, one result per finding with its region. Unreadable inputs are
//! tool execution notifications. Validated against the official schema in the tests.

use std::collections::BTreeMap;
use std::io::{self, Write};

use byokcheck_core::{Finding, Severity, VerificationItem};
use serde::Serialize;

use super::{Entry, Renderer, Summary};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://example.invalid/byokcheck";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    invocations: [Invocation; 1],
    column_kind: &'static str,
    results: &'a [SarifResult],
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<RunProperties<'a>>,
}

#[derive(Serialize)]
struct RunProperties<'a> {
    items: &'a [VerificationItem],
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<RuleDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDescriptor {
    id: String,
    name: String,
    short_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
    /// byokcheck's own severity (`security_warning`...), which SARIF's three levels lose.
    severity: Severity,
    /// GitHub code scanning lists results of rules with this as security alerts.
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    properties: ResultProperties,
}

#[derive(Serialize)]
struct ResultProperties {
    severity: Severity,
    /// RFC 6901 pointer to the offending element.
    pointer: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Default)]
pub struct SarifRenderer {
    results: Vec<SarifResult>,
    /// Rule codes that fired; their index in the rules array is their rank in code order,
    /// so it is assigned at the end.
    rules: BTreeMap<String, usize>,
    notifications: Vec<Notification>,
    items: Option<Vec<VerificationItem>>,
}

pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::SecurityWarning | Severity::Warning => "warning",
        Severity::Suggestion => "note",
    }
}

/// A path (or an ARN) as a URI reference: characters outside RFC 3986's unreserved,
/// sub-delims, `:`, `@` and `/` are percent-encoded, and so is a `:` in the first segment of
/// what has no scheme (it would read as one).
pub fn uri_reference(text: &str) -> String {
    let text = text.replace('\\', "/");
    let has_scheme = text.split_once(':').is_some_and(|(scheme, _)| {
        let mut chars = scheme.chars();
        chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    let mut out = String::with_capacity(text.len());
    let mut in_first_segment = true;
    for byte in text.bytes() {
        let c = char::from(byte);
        if c == '/' {
            in_first_segment = false;
        }
        let keep = byte.is_ascii_alphanumeric()
            || "-._~!$&'()*+,;=@/".contains(c)
            || (c == ':' && (has_scheme || !in_first_segment));
        if keep {
            out.push(c);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The first paragraph under `## What it catches`, for `shortDescription`.
fn what_it_catches(docs: &str) -> String {
    let after = docs
        .split_once("## What it catches")
        .map_or(docs, |(_, rest)| rest);
    after
        .trim_start()
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

fn descriptor(code: &str) -> RuleDescriptor {
    match byokcheck_core::rule(code) {
        Ok(doc) => RuleDescriptor {
            id: doc.code.to_string(),
            name: doc.name.to_string(),
            short_description: Text {
                text: what_it_catches(&doc.docs),
            },
            help: Help {
                text: doc.docs.clone(),
                markdown: doc.docs.clone(),
            },
            default_configuration: Configuration {
                level: level(doc.severity),
            },
            properties: RuleProperties {
                tags: if doc.severity == Severity::SecurityWarning {
                    vec!["security"]
                } else {
                    vec![]
                },
                severity: doc.severity,
                security_severity: (doc.severity == Severity::SecurityWarning).then_some("7.0"),
            },
        },
        // Every finding comes from a registered rule; this keeps the output valid regardless.
        Err(_) => RuleDescriptor {
            id: code.to_string(),
            name: code.to_string(),
            short_description: Text {
                text: code.to_string(),
            },
            help: Help {
                text: String::new(),
                markdown: String::new(),
            },
            default_configuration: Configuration { level: "warning" },
            properties: RuleProperties {
                tags: vec![],
                severity: Severity::Warning,
                security_severity: None,
            },
        },
    }
}

fn result(path: &str, finding: &Finding) -> SarifResult {
    let mut text = finding.message.clone();
    if let Some(help) = &finding.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    SarifResult {
        rule_id: finding.code.clone(),
        rule_index: 0,
        level: level(finding.severity),
        message: Text { text },
        locations: vec![Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: uri_reference(path),
                },
                region: Some(Region {
                    start_line: finding.line.max(1),
                    start_column: finding.column.max(1),
                    end_line: finding.end_line.max(finding.line).max(1),
                    end_column: finding.end_column.max(1),
                }),
            },
        }],
        properties: ResultProperties {
            severity: finding.severity,
            pointer: finding.pointer.clone(),
        },
    }
}

impl Renderer for SarifRenderer {
    fn entry(&mut self, _out: &mut dyn Write, entry: Entry) -> io::Result<()> {
        if let Some(error) = &entry.error {
            self.notifications.push(Notification {
                level: "error",
                message: Text {
                    text: format!("cannot check {}: {error}", entry.path),
                },
                locations: vec![Location {
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation {
                            uri: uri_reference(&entry.path),
                        },
                        region: None,
                    },
                }],
            });
        }
        for finding in &entry.findings {
            self.rules.entry(finding.code.clone()).or_insert(0);
            self.results.push(result(&entry.path, finding));
        }
        Ok(())
    }

    fn items(
        &mut self,
        _out: &mut dyn Write,
        items: &[VerificationItem],
        _title: &str,
    ) -> io::Result<()> {
        self.items = Some(items.to_vec());
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        for (index, slot) in self.rules.values_mut().enumerate() {
            *slot = index;
        }
        for result in &mut self.results {
            result.rule_index = self.rules.get(&result.rule_id).copied().unwrap_or(0);
        }
        let log = Log {
            schema: SCHEMA,
            version: "2.1.0",
            runs: [Run {
                tool: Tool {
                    driver: Driver {
                        name: "byokcheck",
                        version: env!("CARGO_PKG_VERSION"),
                        semantic_version: env!("CARGO_PKG_VERSION"),
                        information_uri: INFORMATION_URI,
                        rules: self.rules.keys().map(|code| descriptor(code)).collect(),
                    },
                },
                invocations: [Invocation {
                    execution_successful: summary.unreadable == 0,
                    tool_execution_notifications: std::mem::take(&mut self.notifications),
                }],
                column_kind: "unicodeCodePoints",
                results: &self.results,
                properties: self.items.as_deref().map(|items| RunProperties { items }),
            }],
        };
        serde_json::to_writer_pretty(&mut *out, &log)?;
        writeln!(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_arns_become_uri_references() {
        assert_eq!(
            uri_reference("policies/trust policy.json"),
            "policies/trust%20policy.json"
        );
        assert_eq!(uri_reference("-"), "-");
        assert_eq!(
            uri_reference("arn:aws:iam::111122223333:role/BYOK_Role"),
            "arn:aws:iam::111122223333:role/BYOK_Role"
        );
        assert_eq!(uri_reference("1:2/a:b"), "1%3A2/a:b");
        assert_eq!(uri_reference("é.json"), "%C3%A9.json");
    }

    #[test]
    fn short_description_is_the_first_paragraph() {
        let docs =
            "Title\n\n## What it catches\n\nA duplicate\nkey.\n\nMore.\n\n## Why it matters\n";
        assert_eq!(what_it_catches(docs), "A duplicate key.");
    }
}
