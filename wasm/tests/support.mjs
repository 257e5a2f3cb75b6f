// Shared by the node suites: where the package is, and the documented result shapes (the
// interfaces of the .d.ts, checked at run time so a drift between the .d.ts and the core's
// serde types fails a test).
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = process.env.BYOKCHECK_ROOT
  ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const pkgDir = process.env.BYOKCHECK_WASM_PKG ?? path.join(root, "wasm/pkg-out");
export const byokcheck = createRequire(import.meta.url)(path.join(pkgDir, "node/byokcheck_wasm.js"));

export const EXAMPLE_CONTEXT = Object.freeze({
  instance: "platform.kore.ai",
  external_id: "kore-7f3a9c2e-byok",
  role_arn: "arn:aws:iam::111122223333:role/BYOK_Role",
  cmk_arn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
});

export const SEVERITIES = ["error", "security_warning", "warning", "suggestion"];
export const KINDS = ["iam", "trust", "key", "role_arn", "key_arn"];
export const ITEM_IDS = ["iam_policy", "policy_attachment", "trust_relationship", "key_policy",
  "key_users", "shared_arns"];
export const ITEM_STATUSES = ["passed", "failed", "not_checked"];
export const DOCUMENT_NAMES = ["iam_policy", "trust_policy", "key_policy", "role_arn", "cmk_arn"];

function keys(value, expected, where) {
  assert.equal(typeof value, "object", `${where}: not an object`);
  assert.notEqual(value, null, `${where}: null`);
  assert.deepEqual(Object.keys(value).sort(), [...expected].sort(), `${where}: fields`);
}
const isString = (v, where) => assert.equal(typeof v, "string", `${where}: not a string`);
const isStringOrNull = (v, where) => v === null || isString(v, where);
const isPositive = (v, where) => assert.ok(Number.isInteger(v) && v >= 1, `${where}: ${v}`);
const oneOf = (v, values, where) => assert.ok(values.includes(v), `${where}: \`${v}\``);

export function assertFinding(f, where = "finding") {
  keys(f, ["code", "name", "severity", "message", "pointer", "span", "line", "column",
    "end_line", "end_column", "help"], where);
  assert.match(f.code, /^[A-Z]\d{3}$/, `${where}.code`);
  assert.match(f.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, `${where}.name`);
  oneOf(f.severity, SEVERITIES, `${where}.severity`);
  isString(f.message, `${where}.message`);
  isString(f.pointer, `${where}.pointer`);
  keys(f.span, ["start", "end"], `${where}.span`);
  assert.ok(Number.isInteger(f.span.start) && f.span.start <= f.span.end, `${where}.span`);
  for (const k of ["line", "column", "end_line", "end_column"]) isPositive(f[k], `${where}.${k}`);
  assert.ok(f.end_line > f.line || (f.end_line === f.line && f.end_column >= f.column),
    `${where}: end before start`);
  isStringOrNull(f.help, `${where}.help`);
}

export function assertReport(r, where = "report") {
  keys(r, ["kind", "findings"], where);
  oneOf(r.kind, KINDS, `${where}.kind`);
  assert.ok(Array.isArray(r.findings), `${where}.findings`);
  r.findings.forEach((f, i) => assertFinding(f, `${where}.findings[${i}]`));
}

export function assertSetupReport(r, where = "setup") {
  keys(r, ["items", "documents"], where);
  assert.deepEqual(r.items.map((i) => i.id), ITEM_IDS, `${where}.items ids`);
  r.items.forEach((item, i) => {
    const at = `${where}.items[${i}]`;
    keys(item, ["id", "title", "status", "detail", "findings"], at);
    isString(item.title, `${at}.title`);
    isString(item.detail, `${at}.detail`);
    oneOf(item.status, ITEM_STATUSES, `${at}.status`);
    item.findings.forEach((f, j) => assertFinding(f, `${at}.findings[${j}]`));
  });
  r.documents.forEach((d, i) => {
    const at = `${where}.documents[${i}]`;
    keys(d, ["name", "kind", "findings"], at);
    oneOf(d.name, DOCUMENT_NAMES, `${at}.name`);
    oneOf(d.kind, KINDS, `${at}.kind`);
    d.findings.forEach((f, j) => assertFinding(f, `${at}.findings[${j}]`));
  });
}

export function assertGenerated(g, where = "generated") {
  keys(g, ["context", "iam_policy", "trust_policy", "key_policy_statement", "key_policy"], where);
  keys(g.context, ["instance", "service_role_arn", "external_id", "role_arn", "cmk_arn"],
    `${where}.context`);
  for (const k of ["iam_policy", "trust_policy", "key_policy_statement", "key_policy"]) {
    isString(g[k], `${where}.${k}`);
    JSON.parse(g[k]);
  }
}

export function assertRuleSummary(r, where = "rule") {
  keys(r, ["code", "name", "severity", "kinds"], where);
  assert.match(r.code, /^[A-Z]\d{3}$/, `${where}.code`);
  oneOf(r.severity, SEVERITIES, `${where}.severity`);
  assert.ok(r.kinds.length > 0 && r.kinds.every((k) => KINDS.includes(k)), `${where}.kinds`);
}

export function assertRuleDocumentation(r, where = "rule") {
  keys(r, ["code", "name", "severity", "kinds", "docs", "bad_example", "bad_example_context", "good_example"], where);
  assertRuleSummary({ code: r.code, name: r.name, severity: r.severity, kinds: r.kinds }, where);
  isString(r.docs, `${where}.docs`);
  isStringOrNull(r.bad_example, `${where}.bad_example`);
  isStringOrNull(r.good_example, `${where}.good_example`);
  assert.equal(typeof r.bad_example_context, "object", `${where}.bad_example_context`);
  assert.ok(r.bad_example_context !== null, `${where}.bad_example_context`);
}

export function assertDetection(d, where = "detection") {
  keys(d, ["kind", "reason"], where);
  oneOf(d.kind, KINDS, `${where}.kind`);
  isString(d.reason, `${where}.reason`);
}
