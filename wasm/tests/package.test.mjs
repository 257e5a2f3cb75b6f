// The assembled package (wasm/pkg-out) as a user installs it: resolved by name through
// node_modules, by `require` and by `import`; every path package.json names exists; the
// version is the crate's.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { pkgDir, root } from "./support.mjs";

const manifest = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"));

function targets(value) {
  if (typeof value === "string") return [value];
  return Object.values(value).flatMap(targets);
}

test("package.json: name, the crate's version, and every exported path exists", () => {
  assert.equal(manifest.name, "byokcheck");
  const cargo = fs.readFileSync(path.join(root, "Cargo.toml"), "utf8");
  assert.equal(manifest.version, cargo.match(/^version = "(.*)"$/m)[1]);
  const paths = [manifest.main, manifest.module, manifest.types, ...targets(manifest.exports)];
  for (const p of paths) assert.ok(fs.existsSync(path.join(pkgDir, p)), `${p} is missing`);
  for (const entry of manifest.files) assert.ok(fs.existsSync(path.join(pkgDir, entry)), entry);
  assert.ok(fs.readFileSync(path.join(pkgDir, "README.md"), "utf8").includes("await init()"));
});

test("installed by name: require and import resolve through exports and work", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "byokcheck-pkg-"));
  try {
    fs.mkdirSync(path.join(dir, "node_modules"));
    fs.symlinkSync(pkgDir, path.join(dir, "node_modules/byokcheck"), "dir");
    fs.writeFileSync(path.join(dir, "use.cjs"), `
      const { checkArn } = require("byokcheck");
      process.stdout.write(checkArn("arn:aws:iam::1234-5678-9012:role/BYOK_Role").findings[0].code);`);
    fs.writeFileSync(path.join(dir, "use.mjs"), `
      import { check, rules } from "byokcheck";
      process.stdout.write(String(rules().length > 0) + " " + check("{", "iam").findings[0].severity);`);
    const run = (file) => execFileSync(process.execPath, ["--preserve-symlinks", file], { cwd: dir, encoding: "utf8" });
    assert.equal(run("use.cjs"), "A004");
    assert.equal(run("use.mjs"), "true error");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the web and bundler builds are ES modules; the web build exports init", () => {
  const web = fs.readFileSync(path.join(pkgDir, "web/byokcheck_wasm.js"), "utf8");
  assert.match(web, /__wbg_init as default/);
  assert.match(fs.readFileSync(path.join(pkgDir, "web/byokcheck_wasm.d.ts"), "utf8"),
    /export default function __wbg_init/);
  for (const target of ["web", "bundler"]) {
    assert.equal(JSON.parse(fs.readFileSync(path.join(pkgDir, target, "package.json"), "utf8")).type, "module");
  }
});
