// Checking the typical trust policy (core/benches/data/small-trust-policy.json, with the
// example context) in Node through the wasm package, beside the same loop natively
// (examples/native_bench.rs), in one run. Prints both times and the ratio; exits 1 when Node
// is more than MAX_RATIO (default 3) times slower.
//
//   node wasm/bench/node-vs-native.mjs [--native target/release/examples/native_bench]
// Without --native it runs `cargo run --release --example native_bench -p byokcheck-wasm`.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const pkgDir = process.env.BYOKCHECK_WASM_PKG ?? path.join(root, "wasm/pkg-out");
const { check } = createRequire(import.meta.url)(path.join(pkgDir, "node/byokcheck_wasm.js"));
const MAX_RATIO = Number(process.env.BYOKCHECK_MAX_SPEED_RATIO ?? 3);
const ITERATIONS = 20_000;
const ROUNDS = 7;

const text = fs.readFileSync(path.join(root, "core/benches/data/small-trust-policy.json"), "utf8");
const context = {
  instance: "platform.kore.ai",
  external_id: "kore-7f3a9c2e-byok",
  role_arn: "arn:aws:iam::111122223333:role/BYOK_Role",
  cmk_arn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
};

function native() {
  const flag = process.argv.indexOf("--native");
  const output = flag >= 0
    ? execFileSync(process.argv[flag + 1], [String(ITERATIONS)], { encoding: "utf8" })
    : execFileSync("cargo", ["run", "--quiet", "--release", "-p", "byokcheck-wasm",
      "--example", "native_bench", "--", String(ITERATIONS)], { cwd: root, encoding: "utf8" });
  return JSON.parse(output.trim().split("\n").at(-1));
}

function node() {
  let findings = 0;
  for (let i = 0; i < ITERATIONS; i++) findings = check(text, "trust", context).findings.length;
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < ITERATIONS; i++) check(text, "trust", context);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / ITERATIONS);
  }
  return { ns_per_op: best, findings };
}

// Alternate so both sides see the same machine load; keep each side's best.
const a = native();
const b = node();
const c = native();
const nativeNs = Math.min(a.ns_per_op, c.ns_per_op);
const nodeNs = b.ns_per_op;
if (a.findings !== b.findings) {
  console.error(`native found ${a.findings} finding(s), node ${b.findings}`);
  process.exit(1);
}
const ratio = nodeNs / nativeNs;
const us = (ns) => `${(ns / 1000).toFixed(2)} µs`;
console.log(`typical trust policy (${text.length} bytes, ${b.findings} finding(s)), best of ${ROUNDS} x ${ITERATIONS}:`);
console.log(`  native ${us(nativeNs)} per check`);
console.log(`  node   ${us(nodeNs)} per check (wasm, including the JS <-> wasm conversions)`);
console.log(`  ratio  ${ratio.toFixed(2)}x (target: at most ${MAX_RATIO}x)`);
if (ratio > MAX_RATIO) {
  console.error(`node is ${ratio.toFixed(2)}x the native time, over ${MAX_RATIO}x`);
  process.exit(1);
}
