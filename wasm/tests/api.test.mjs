// The API's shape and its error contract: results are the documented plain objects; a wrong
// argument is a TypeError naming the argument; the core's misuse errors are an Error with the
// core's message; a bad policy is a finding, never a throw.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import {
  byokcheck, root, EXAMPLE_CONTEXT, ITEM_IDS, assertReport, assertSetupReport, assertGenerated,
  assertRuleSummary, assertRuleDocumentation, assertDetection,
} from "./support.mjs";

const { check, checkArn, verifySetup, generate, rules, rule, detectKind } = byokcheck;
const fixture = (name) =>
  fs.readFileSync(path.join(root, "tests/fixtures/kore-ai-correct", name), "utf8");
const TRUST_WITHOUT_EXTERNAL_ID = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{
    Effect: "Allow",
    Principal: { AWS: "arn:aws:iam::358587034707:role/SegBots-Servers-Role" },
    Action: "sts:AssumeRole",
  }],
}, null, 2);
const GENERATE_INPUT = {
  account_id: "111122223333", region: "us-east-1", role_name: "BYOK_Role",
  key_id: "1234abcd-12ab-34cd-56ef-1234567890ab", external_id: "kore-7f3a9c2e-byok",
  instance: "platform.kore.ai",
};

test("exports exactly the documented functions", () => {
  const functions = Object.keys(byokcheck).filter((k) => typeof byokcheck[k] === "function");
  for (const name of ["check", "checkArn", "verifySetup", "generate", "rules", "rule", "detectKind"]) {
    assert.ok(functions.includes(name), `missing export ${name}`);
  }
});

test("check: a finding with message, help, position and pointer, as plain data", () => {
  const report = check(TRUST_WITHOUT_EXTERNAL_ID, "trust", EXAMPLE_CONTEXT);
  assertReport(report);
  assert.equal(Object.getPrototypeOf(report), Object.prototype, "a plain object, not a Map or class");
  const finding = report.findings.find((f) => f.name === "missing-external-id-condition");
  assert.ok(finding, JSON.stringify(report.findings));
  assert.equal(finding.severity, "security_warning");
  // Line and column agree with the span (ASCII text: bytes and characters coincide).
  const before = TRUST_WITHOUT_EXTERNAL_ID.slice(0, finding.span.start).split("\n");
  assert.deepEqual([finding.line, finding.column], [before.length, before.at(-1).length + 1]);
  assert.match(finding.pointer, /^\/Statement\/0(\/|$)/);
  assert.match(finding.help, /sts:ExternalId/);
});

test("check: malformed JSON is a finding, not a throw", () => {
  const report = check('{"Version": "2012-10-17",', "iam", null);
  assertReport(report);
  assert.ok(report.findings.some((f) => f.severity === "error"), JSON.stringify(report));
});

test("check: the context is optional (undefined and null mean no context)", () => {
  const text = fixture("trust-policy.json");
  assert.deepEqual(check(text, "trust"), check(text, "trust", null));
  assert.deepEqual(check(text, "trust", undefined), check(text, "trust", {}));
  assert.ok(check(text, "trust").findings.some((f) => f.name === "context-missing"));
  assert.deepEqual(check(text, "trust", EXAMPLE_CONTEXT).findings, []);
});

test("check with an ARN kind is checkArn", () => {
  const arn = "arn:aws:iam::1234-5678-9012:role/BYOK_Role";
  assert.deepEqual(check(arn, "role_arn", EXAMPLE_CONTEXT), checkArn(arn, "role_arn"));
});

test("checkArn: detects the kind, help says what to write", () => {
  const report = checkArn("arn:aws:iam::1234-5678-9012:role/BYOK_Role");
  assertReport(report);
  assert.equal(report.kind, "role_arn");
  const [finding] = report.findings;
  assert.equal(finding.name, "invalid-account-id");
  assert.equal(finding.help, "write `123456789012`");
  assert.deepEqual([finding.line, finding.column], [1, 14]);
  assert.equal(checkArn(EXAMPLE_CONTEXT.cmk_arn, null).kind, "key_arn");
  assert.deepEqual(checkArn(EXAMPLE_CONTEXT.cmk_arn, "key_arn").findings
    .filter((f) => f.severity === "error"), []);
  assert.ok(checkArn("hello").findings.some((f) => f.name === "not-an-arn"));
});

test("generate then verifySetup: every item the documents can show passes", () => {
  const generated = generate(GENERATE_INPUT);
  assertGenerated(generated);
  assert.equal(generated.context.role_arn, EXAMPLE_CONTEXT.role_arn);
  assert.equal(generated.context.cmk_arn, EXAMPLE_CONTEXT.cmk_arn);
  const result = verifySetup({
    context: generated.context, iam_policy: generated.iam_policy,
    trust_policy: generated.trust_policy, key_policy: generated.key_policy, policy_attached: true,
  });
  assertSetupReport(result);
  assert.deepEqual(result.items.map((i) => [i.id, i.status]), ITEM_IDS.map((id) => [id, "passed"]));
  for (const name of ["iam_policy", "trust_policy", "key_policy"]) {
    assert.deepEqual(result.documents.find((d) => d.name === name).findings, [], name);
  }
});

test("verifySetup: a trust policy without the External ID fails the trust relationship", () => {
  const result = verifySetup({ context: EXAMPLE_CONTEXT, trust_policy: TRUST_WITHOUT_EXTERNAL_ID });
  assertSetupReport(result);
  const trust = result.items.find((i) => i.id === "trust_relationship");
  assert.equal(trust.status, "failed");
  assert.ok(trust.findings.some((f) => f.name === "missing-external-id-condition"));
  assert.equal(result.items.find((i) => i.id === "iam_policy").status, "not_checked");
});

test("rules and rule: every rule documented, by code and by name", () => {
  const all = rules();
  assert.ok(all.length >= 30, `${all.length} rules`);
  all.forEach((r, i) => assertRuleSummary(r, `rules()[${i}]`));
  assert.equal(new Set(all.map((r) => r.code)).size, all.length, "codes unique");
  for (const summary of all) {
    const doc = rule(summary.code);
    assertRuleDocumentation(doc, summary.code);
    assert.deepEqual(rule(summary.name), doc);
    assert.match(doc.docs, /## What it catches/);
  }
});

test("detectKind: each kind by its signals", () => {
  assertDetection(detectKind(fixture("trust-policy.json")));
  assert.equal(detectKind(fixture("trust-policy.json")).kind, "trust");
  assert.equal(detectKind(fixture("key-policy.json")).kind, "key");
  assert.equal(detectKind(fixture("iam-policy.json")).kind, "iam");
  assertDetection(detectKind("not json at all"));
});

// [call, the message the TypeError must match]
const TYPE_ERRORS = [
  [() => check(42, "iam"), /^`text` must be a string, got number$/],
  [() => check(undefined, "iam"), /^`text` must be a string, got undefined$/],
  [() => check("{}", "policy"), /^`kind` must be one of `iam`, `trust`, `key`, `role_arn` or `key_arn`, got `policy`$/],
  [() => check("{}"), /^`kind` must be one of .* got undefined$/],
  [() => check("{}", "iam", "context"), /^`context` must be an object, got string$/],
  [() => check("{}", "iam", [EXAMPLE_CONTEXT]), /^`context` must be an object, got an array$/],
  [() => check("{}", "iam", { externalId: "x" }), /^`context`: unknown field `externalId`, expected one of .*`external_id`/],
  [() => check("{}", "iam", { external_id: 5 }), /^`context`: invalid type: .*, expected a string$/],
  [() => checkArn(null), /^`text` must be a string, got null$/],
  [() => checkArn("arn:", 3), /^`kind` must be one of .* got number$/],
  [() => verifySetup(), /^`input` must be an object, got undefined$/],
  [() => verifySetup({ trust: "{}" }), /^`input`: unknown field `trust`/],
  [() => verifySetup({ policy_attached: "yes" }), /^`input`: invalid type: string "yes", expected a boolean$/],
  [() => generate({}), /^`input`: missing field `account_id`$/],
  [() => generate(null), /^`input` must be an object, got null$/],
  [() => rule(101), /^`code_or_name` must be a string, got number$/],
  [() => detectKind({}), /^`text` must be a string, got object$/],
];

test("wrong argument types and shapes throw a TypeError naming the argument", () => {
  for (const [call, message] of TYPE_ERRORS) {
    assert.throws(call, (e) => e instanceof TypeError && message.test(e.message),
      `${call}: expected TypeError ${message}`);
  }
});

test("the core's misuse errors throw an Error with the core's message", () => {
  const expectError = (call, message) => assert.throws(call, (e) =>
    e.constructor === Error && message.test(e.message), `${call}`);
  expectError(() => rule("Z999"), /^unknown rule code `Z999`; `byokcheck rule` lists every rule$/);
  expectError(() => generate({ ...GENERATE_INPUT, account_id: "1234" }), /^invalid `account_id`: /);
  expectError(() => generate({ ...GENERATE_INPUT, external_id: "x" }), /^invalid `external_id`: /);
  expectError(() => generate({ ...GENERATE_INPUT, instance: "nowhere.example" }), /^invalid `instance`: /);
});

test("the same findings as the CLI's --format json", (t) => {
  const cli = process.env.BYOKCHECK_CLI ?? path.join(root, "target/debug/byokcheck");
  // scripts/test builds the CLI first; a missing binary is a failure, not a skip.
  assert.ok(fs.existsSync(cli), `no CLI at ${cli}: run cargo build -p byokcheck-cli first`);
  const file = path.join(root, "tests/fixtures/kore-ai-correct/trust-policy.json");
  let stdout;
  try {
    stdout = execFileSync(cli, ["check", "--format", "json", "--kind", "trust", file], { encoding: "utf8" });
  } catch (e) {
    stdout = e.stdout; // exit 1 when there are findings
  }
  const [cliFile] = JSON.parse(stdout).files;
  const ours = check(fs.readFileSync(file, "utf8"), "trust").findings;
  // Field names and the positional contract; messages may be reworded between a stale CLI
  // build and this package.
  const contract = (findings) => findings.map((f) => ({
    keys: Object.keys(f).sort(), code: f.code, severity: f.severity, pointer: f.pointer,
    span: f.span, line: f.line, column: f.column, end_line: f.end_line, end_column: f.end_column,
  }));
  assert.ok(ours.length > 0);
  assert.deepEqual(contract(ours), contract(cliFile.findings));
});
