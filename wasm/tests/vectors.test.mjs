// Every shared vector in tests/vectors/ (format: tests/vectors/README.md) through the nodejs
// build: exactly the expected (code, severity, line, column) list, as tests/tests/vectors.rs
// asserts for the Rust core. One test per file, named by the file.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { byokcheck, root, assertReport } from "./support.mjs";

const vectorRoot = path.join(root, "tests/vectors");

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(full);
    return entry.name.endsWith(".json") ? [full] : [];
  });
}

const paths = files(vectorRoot).sort();

test("the vector suite is there", () => {
  assert.ok(paths.length >= 20, `expected the vector suite, found ${paths.length} files`);
});

const POLICY_KINDS = new Set(["iam", "trust", "key"]);

for (const file of paths) {
  const name = path.relative(vectorRoot, file);
  test(`vector ${name}`, () => {
    const vector = JSON.parse(fs.readFileSync(file, "utf8"));
    assert.ok(vector.description, `${name}: empty description`);
    const report = POLICY_KINDS.has(vector.kind)
      ? byokcheck.check(vector.document, vector.kind, vector.context ?? null)
      : byokcheck.checkArn(vector.document, vector.kind ?? null);
    assertReport(report, name);
    const actual = report.findings.map(({ code, severity, line, column }) =>
      ({ code, severity, line, column }));
    assert.deepEqual(actual, vector.expected,
      `${name}: findings differ\n  expected ${JSON.stringify(vector.expected)}\n  actual   ${JSON.stringify(actual)}`);
  });
}
