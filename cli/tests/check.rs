//! `byokcheck check` end to end: the built binary on the fixtures, its output snapshotted.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "end-to-end tests: a failure is a failing test"
)]

mod common;

use common::{byokcheck, byokcheck_with_stdin, fixtures, TempDir};
use insta::assert_snapshot;

const BROKEN_TRUST: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"},
    "Action": "sts:AssumeRole",
    "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}},
    "Condition": {}
  }]
}
"#;

/// A key policy whose only problem is a security warning (`Allow` with `NotPrincipal`).
const NOT_PRINCIPAL_KEY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::210987654321:root"}, "Action": "kms:*", "Resource": "*"}]}"#;

#[test]
fn a_folder_is_walked_in_path_order_with_snippets_and_a_summary() {
    let run = byokcheck(&fixtures().join("broken"), &["check", "."]);
    assert_eq!(run.status, 1);
    assert_snapshot!(run.snapshot());
}

#[test]
fn json_output_is_the_versioned_contract() {
    let run = byokcheck(
        &fixtures().join("broken"),
        &["check", "--format", "json", "."],
    );
    assert_eq!(run.status, 1);
    let json = run.json();
    assert_eq!(json["version"], 1);
    let files = json["files"].as_array().unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    let mut sorted = paths.clone();
    sorted.sort_unstable();
    assert_eq!(paths, sorted, "files come in path order");
    // Every field of core's `Finding`, snake_case.
    let finding = &files[0]["findings"][0];
    for key in [
        "code",
        "name",
        "severity",
        "message",
        "pointer",
        "span",
        "line",
        "column",
        "end_line",
        "end_column",
        "help",
    ] {
        assert!(
            finding.get(key).is_some(),
            "finding lacks `{key}`: {finding}"
        );
    }
    let total: usize = files
        .iter()
        .map(|f| f["findings"].as_array().unwrap().len())
        .sum();
    assert_eq!(json["summary"]["findings"], total);
    let counts = &json["summary"]["by_severity"];
    let by_severity: u64 = ["error", "security_warning", "warning", "suggestion"]
        .iter()
        .map(|s| counts[s].as_u64().unwrap())
        .sum();
    assert_eq!(by_severity as usize, total);
    assert_eq!(json["summary"]["exit_status"], 1);
    assert_snapshot!(run.stdout);
}

#[test]
fn github_format_writes_workflow_annotations() {
    let run = byokcheck(
        &fixtures().join("broken"),
        &["check", "--format", "github", "."],
    );
    assert_eq!(run.status, 1);
    assert_snapshot!(run.snapshot());
}

#[test]
fn a_correct_setup_is_clean_and_exits_0() {
    let run = byokcheck(&fixtures().join("setup"), &["check"]);
    assert_eq!(run.status, 0, "{}", run.snapshot());
    assert_snapshot!(run.snapshot());
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let fixtures = fixtures();
    let cwd = fixtures.join("broken");
    let run = byokcheck_with_stdin(&cwd, &["check", "-"], Some(BROKEN_TRUST.as_bytes()));
    assert_eq!(run.status, 1);
    assert_snapshot!(run.snapshot());

    // Named for display and for the config's globs.
    let run = byokcheck_with_stdin(
        &cwd,
        &[
            "check",
            "--stdin-filename",
            "policies/trust.json",
            "-",
            "--format",
            "json",
        ],
        Some(BROKEN_TRUST.as_bytes()),
    );
    assert_eq!(run.json()["files"][0]["path"], "policies/trust.json");
    assert_eq!(run.json()["files"][0]["kind"], "trust");
}

#[test]
fn unreadable_files_are_reported_and_the_others_still_checked() {
    let dir = TempDir::new("unreadable");
    dir.write("a-readable.json", NOT_PRINCIPAL_KEY);
    dir.write("b-latin1.json", b"{\"Sid\": \"caf\xe9\"}");
    let run = byokcheck(dir.path(), &["check", ".", "c-missing.json"]);
    assert_eq!(run.status, 2, "unreadable input wins over findings");
    assert_snapshot!(run.snapshot());

    let run = byokcheck(
        dir.path(),
        &["check", "--format", "json", ".", "c-missing.json"],
    );
    let json = run.json();
    assert_eq!(json["summary"]["unreadable"], 2);
    let codes: Vec<&str> = json["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"G018"), "{codes:?}");
    assert!(json["files"][1]["kind"].is_null());
    assert!(json["files"][1]["error"]
        .as_str()
        .unwrap()
        .contains("offset 12"));
}

#[test]
fn the_config_is_found_upward_with_kinds_ignores_severities_and_excludes() {
    // fixtures/config/byokcheck.toml: `*trust*.json` is a trust policy, `legacy/` ignores
    // duplicate keys and the N rules, `invalid-effect` is lowered to a warning, drafts are
    // excluded, and only errors fail.
    let run = byokcheck(&fixtures().join("config/policies"), &["check", "."]);
    assert_eq!(run.status, 1, "{}", run.snapshot());
    assert_snapshot!(run.snapshot());
}

#[test]
fn flags_win_over_the_config() {
    let cwd = fixtures().join("config/policies");
    // --kind replaces the `kinds` glob; --select replaces `select`; --fail-on replaces `fail-on`.
    let run = byokcheck(
        &cwd,
        &[
            "check",
            "--kind",
            "iam",
            "--select",
            "invalid-sid",
            "--fail-on",
            "warning",
            "--format",
            "json",
            ".",
        ],
    );
    let json = run.json();
    assert_eq!(
        run.status, 1,
        "the lowered G012 is a warning, and warnings now fail"
    );
    let trust = &json["files"][2];
    assert_eq!(trust["path"], "role-trust.json");
    assert_eq!(trust["kind"], "iam");
    assert_eq!(trust["reason"], "set with `--kind iam`");
    let codes: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["findings"].as_array().unwrap())
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["G012"]);
    assert_eq!(json["files"][0]["findings"][0]["severity"], "warning");

    // --no-config: no context, so the context-missing suggestions come back, and errors fail.
    let run = byokcheck(
        &cwd,
        &["check", "--no-config", "--format", "json", "app.json"],
    );
    assert_eq!(run.status, 1);
    let json = run.json();
    let findings = json["files"][0]["findings"].as_array().unwrap();
    let sid = findings.iter().find(|f| f["code"] == "G012").unwrap();
    assert_eq!(
        sid["severity"], "error",
        "no severity override without the config"
    );
    assert!(findings.iter().any(|f| f["code"] == "C001"), "{findings:?}");
}

#[test]
fn the_pyproject_section_is_a_config() {
    let run = byokcheck(&fixtures().join("pyproject"), &["check"]);
    assert_eq!(run.status, 0, "{}", run.snapshot());
    assert!(
        run.stdout.contains("checked 1 file: no findings"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_explicit_config_is_used_and_a_bad_one_refused() {
    let fixtures = fixtures();
    let config = fixtures.join("config/byokcheck.toml");
    let config = config.to_str().unwrap();
    let dir = TempDir::new("explicit-config");
    dir.write(
        "app.json",
        std::fs::read(fixtures.join("config/policies/app.json")).unwrap(),
    );
    let run = byokcheck(
        dir.path(),
        &["check", "--config", config, "--format", "json", "app.json"],
    );
    assert_eq!(run.status, 0, "{}", run.snapshot());
    assert_eq!(run.json()["files"][0]["findings"][0]["severity"], "warning");

    dir.write("bad.toml", "ignore = [\"duplicat-key\"]\n");
    let run = byokcheck(dir.path(), &["check", "--config", "bad.toml", "app.json"]);
    assert_eq!(run.status, 2);
    assert_snapshot!("bad_config", run.snapshot());

    dir.write("syntax.toml", "ignore = [\n");
    let run = byokcheck(
        dir.path(),
        &["check", "--config", "syntax.toml", "app.json"],
    );
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.starts_with("error: invalid configuration in "),
        "{}",
        run.stderr
    );

    let run = byokcheck(
        dir.path(),
        &["check", "--config", "missing.toml", "app.json"],
    );
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("cannot read the configuration file")
            && run.stderr.contains("missing.toml"),
        "{}",
        run.stderr
    );
}

#[test]
fn exit_status_follows_fail_on() {
    let cwd = TempDir::new("fail-on");
    let input = Some(NOT_PRINCIPAL_KEY.as_bytes());
    let status = |extra: &[&str]| {
        let mut args = vec!["check", "--no-config", "-"];
        args.extend_from_slice(extra);
        byokcheck_with_stdin(cwd.path(), &args, input).status
    };
    assert_eq!(status(&[]), 1, "a security warning fails by default");
    assert_eq!(status(&["--fail-on", "error"]), 0);
    assert_eq!(status(&["--fail-on", "security-warning"]), 1);
    assert_eq!(status(&["--fail-on", "never"]), 0);
    assert_eq!(status(&["--ignore", "G018,C001"]), 0);
}

#[test]
fn usage_errors_exit_2() {
    let cwd = fixtures().join("broken");
    let run = byokcheck(&cwd, &["check", "--select", "G9999", "."]);
    assert_eq!(run.status, 2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("--select: `G9999` names no rule"),
        "{}",
        run.stderr
    );

    let run = byokcheck(&cwd, &["check", "--kind", "role", "."]);
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("invalid value 'role'"),
        "{}",
        run.stderr
    );

    let run = byokcheck(&cwd, &["check", "--frobnicate"]);
    assert_eq!(run.status, 2);
}

#[test]
fn a_folder_without_policies_warns_and_passes() {
    let dir = TempDir::new("empty");
    dir.write("README.md", "no policies here");
    let run = byokcheck(dir.path(), &["check", "--no-config", "."]);
    assert_eq!(run.status, 0);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "warning: no `*.json` files found in .\n");
}

#[test]
fn no_arguments_shows_help_with_examples() {
    let run = byokcheck(&fixtures(), &[]);
    assert_eq!(run.status, 2, "no command is a usage error");
    for job in [
        "byokcheck check policies/",
        "byokcheck verify --config byokcheck.toml",
        "id: byokcheck",
    ] {
        assert!(
            run.stderr.contains(job),
            "help lacks `{job}`:\n{}",
            run.stderr
        );
    }
    let run = byokcheck(&fixtures(), &["--help"]);
    assert_eq!(run.status, 0);
    assert_snapshot!("help", run.stdout);
}

#[test]
fn many_files_come_out_in_order_whatever_thread_finishes_first() {
    let dir = TempDir::new("many");
    for i in 0..60 {
        let text = if i % 7 == 0 {
            BROKEN_TRUST.to_string()
        } else {
            NOT_PRINCIPAL_KEY.to_string()
        };
        dir.write(&format!("d{}/p{i:03}.json", i % 3), text);
    }
    let run = byokcheck(
        dir.path(),
        &["check", "--no-config", "--format", "json", "."],
    );
    let json = run.json();
    let paths: Vec<String> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths.len(), 60);
    assert_eq!(paths, sorted);
    // The text output streams in the same order.
    let text = byokcheck(dir.path(), &["check", "--no-config", "."]).stdout;
    let headers: Vec<&str> = text
        .lines()
        .filter(|l| l.contains(": G018 "))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    let mut sorted = headers.clone();
    sorted.sort_unstable();
    assert_eq!(headers, sorted);
}

#[test]
fn no_colour_when_output_is_not_a_terminal_and_quiet_drops_clean_files() {
    // Without NO_COLOR, but stdout is a pipe: still no escape codes.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_byokcheck"))
        .args(["check", "."])
        .current_dir(fixtures().join("broken"))
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("J005 duplicate-key"), "{stdout}");
    assert!(!stdout.contains('\x1b'), "{stdout}");

    let run = byokcheck(
        &fixtures().join("config/policies"),
        &["check", "--quiet", "."],
    );
    assert!(
        !run.stdout.contains("legacy/old.json: detected"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("role-trust.json: checked as role trust policy"),
        "{}",
        run.stdout
    );
}
