// A seeded fuzz loop through every export: random strings, JSON-ish fragments built from IAM
// tokens, and mutated vector documents, with well- and ill-typed arguments. Nothing but the
// documented throws may escape (a Rust panic would surface as a WebAssembly.RuntimeError and
// leave the module unusable), and every result has the documented shape.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import {
  byokcheck, root, EXAMPLE_CONTEXT, KINDS, assertReport, assertSetupReport, assertGenerated,
  assertRuleDocumentation, assertDetection,
} from "./support.mjs";

const ITERATIONS = Number(process.env.BYOKCHECK_FUZZ_ITERATIONS ?? 5000);
const SEED = Number(process.env.BYOKCHECK_FUZZ_SEED ?? 0x5eed);

// mulberry32: small, seeded, reproducible.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = [
  "{", "}", "[", "]", ":", ",", " ", "\n", "\t", '"', "\\", "\\u", "\\ud800", "\\u0000",
  '"Version"', '"2012-10-17"', '"Statement"', '"Sid"', '"Effect"', '"Allow"', '"Deny"',
  '"Principal"', '"NotPrincipal"', '"AWS"', '"Service"', '"*"', '"Action"', '"NotAction"',
  '"Resource"', '"NotResource"', '"Condition"', '"StringEquals"', '"StringLike"',
  '"ArnLike"', '"Bool"', '"IpAddress"', '"ForAnyValue:StringEquals"', '"sts:ExternalId"',
  '"aws:PrincipalArn"', '"kms:ViaService"', '"sts:AssumeRole"', '"kms:Decrypt"', '"kms:*"',
  '"kms:Encrypt"', '"kms:GenerateDataKey*"', '"kms:DescribeKey"', '"kms:Decript"',
  '"arn:aws:iam::111122223333:root"', '"arn:aws:iam::358587034707:role/SegBots-Servers-Role"',
  '"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"',
  '"arn:aws:iam::1234-5678-9012:role/x"', '"kore-7f3a9c2e-byok"', '"10.0.0.0/8"', '"::/0"',
  "null", "true", "false", "0", "-0", "1e999", "-1.5e-7", "18446744073709551616", "\u00a0",
  "\u{1F600}", "\u00e9", "\uFEFF", "\r\n", "arn:aws:iam::", "arn:aws:kms:", ":role/", ":key/",
];

function randomString(next, max = 40) {
  const length = Math.floor(next() * max);
  let s = "";
  for (let i = 0; i < length; i++) {
    const r = next();
    if (r < 0.6) s += String.fromCharCode(32 + Math.floor(next() * 95));
    else if (r < 0.8) s += String.fromCharCode(Math.floor(next() * 0x300));
    else if (r < 0.95) s += String.fromCodePoint(Math.floor(next() * 0x10ffff) & ~0x800);
    else s += String.fromCharCode(0xd800 + Math.floor(next() * 0x800)); // lone surrogate
  }
  return s;
}

function fragments(next) {
  const count = 1 + Math.floor(next() * 60);
  let s = "";
  for (let i = 0; i < count; i++) s += TOKENS[Math.floor(next() * TOKENS.length)];
  return s;
}

const seeds = (() => {
  const out = [];
  const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).forEach((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full);
    else if (e.name.endsWith(".json")) out.push(JSON.parse(fs.readFileSync(full, "utf8")).document);
  });
  walk(path.join(root, "tests/vectors"));
  return out.filter((d) => d.length < 20_000);
})();

function mutate(next, text) {
  let s = text;
  const edits = 1 + Math.floor(next() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * (s.length + 1));
    const cut = Math.floor(next() * 8);
    const insert = next() < 0.5 ? TOKENS[Math.floor(next() * TOKENS.length)] : randomString(next, 4);
    s = s.slice(0, at) + insert + s.slice(at + cut);
  }
  return s;
}

function text(next) {
  const r = next();
  if (r < 0.3) return randomString(next);
  if (r < 0.65) return fragments(next);
  return mutate(next, seeds[Math.floor(next() * seeds.length)]);
}

const WRONG = [undefined, null, 0, 1.5, NaN, true, [], [1], {}, () => 1, Symbol("s"), 10n,
  new Map(), new Date(0)];

function contextValue(next) {
  const r = next();
  if (r < 0.3) return EXAMPLE_CONTEXT;
  if (r < 0.4) return null;
  const ctx = {};
  for (const key of ["instance", "service_role_arn", "external_id", "role_arn", "cmk_arn"]) {
    if (next() < 0.5) ctx[key] = next() < 0.8 ? text(next) : WRONG[Math.floor(next() * WRONG.length)];
  }
  if (next() < 0.1) ctx[randomString(next, 8) || "x"] = "unknown";
  return ctx;
}

const isDocumented = (e) => e instanceof TypeError || e?.constructor === Error;

// Runs `call`; a throw must be a TypeError (or, for generate and rule, an Error); a result
// must pass `shape`. Returns what happened, for the counts.
function exercise(label, call, shape, errorAllowed) {
  let result;
  try {
    result = call();
  } catch (e) {
    assert.ok(isDocumented(e), `${label}: undocumented throw ${e?.constructor?.name}: ${e?.message}`);
    if (!(e instanceof TypeError)) assert.ok(errorAllowed, `${label}: Error ${e.message}`);
    return e instanceof TypeError ? "type_error" : "error";
  }
  shape(result, label);
  return "ok";
}

test(`fuzz: ${ITERATIONS} rounds through every export (seed ${SEED})`, () => {
  const next = rng(SEED);
  const counts = { ok: 0, type_error: 0, error: 0 };
  const count = (outcome) => { counts[outcome] += 1; };
  for (let i = 0; i < ITERATIONS; i++) {
    const t = text(next);
    const kind = KINDS[Math.floor(next() * KINDS.length)];
    const ctx = contextValue(next);
    const label = (name) => `round ${i} ${name}(${JSON.stringify(t).slice(0, 120)}, ${kind})`;
    count(exercise(label("check"), () => byokcheck.check(t, kind, ctx), assertReport, false));
    count(exercise(label("checkArn"), () => byokcheck.checkArn(t, next() < 0.5 ? kind : undefined), assertReport, false));
    count(exercise(label("detectKind"), () => byokcheck.detectKind(t), assertDetection, false));
    count(exercise(label("verifySetup"), () => byokcheck.verifySetup({
      context: ctx ?? {},
      iam_policy: next() < 0.5 ? text(next) : null,
      trust_policy: next() < 0.5 ? t : null,
      key_policy: next() < 0.5 ? text(next) : undefined,
      policy_attached: next() < 0.5 ? next() < 0.5 : null,
    }), assertSetupReport, false));
    count(exercise(label("generate"), () => byokcheck.generate({
      account_id: next() < 0.5 ? "111122223333" : text(next),
      region: next() < 0.5 ? "us-east-1" : randomString(next, 12),
      key_id: next() < 0.5 ? "1234abcd-12ab-34cd-56ef-1234567890ab" : randomString(next, 40),
      role_name: next() < 0.5 ? "BYOK_Role" : randomString(next, 70),
      external_id: next() < 0.5 ? "kore-7f3a9c2e-byok" : randomString(next, 20),
      instance: next() < 0.7 ? "platform.kore.ai" : randomString(next, 20),
    }), assertGenerated, true));
    count(exercise(label("rule"), () => byokcheck.rule(next() < 0.1 ? "G001" : randomString(next, 12)),
      assertRuleDocumentation, true));
    // Ill-typed: every position gets a wrong value at times, and must be a TypeError.
    const wrong = WRONG[Math.floor(next() * WRONG.length)];
    const typeErrorOnly = (name, call) => {
      const outcome = exercise(label(name), call, () => assert.fail(`${name} accepted ${String(wrong)}`), false);
      assert.equal(outcome, "type_error", label(name));
      count(outcome);
    };
    if (wrong !== undefined && wrong !== null) {
      typeErrorOnly("check/text", () => byokcheck.check(wrong, kind, ctx));
      typeErrorOnly("checkArn/kind", () => byokcheck.checkArn(t, wrong));
    }
    typeErrorOnly("check/kind", () => byokcheck.check(t, wrong));
    typeErrorOnly("detectKind", () => byokcheck.detectKind(wrong));
    typeErrorOnly("rule", () => byokcheck.rule(wrong));
    // (NaN reads as null, like JSON.stringify writes it: an absent document.)
    const field = wrong === undefined || wrong === null || Number.isNaN(wrong) ? 1 : wrong;
    typeErrorOnly("verifySetup", () => byokcheck.verifySetup({ context: ctx ?? {}, key_policy: field }));
  }
  // The module still works after the loop: no trap left it poisoned.
  assert.equal(byokcheck.checkArn(EXAMPLE_CONTEXT.cmk_arn, "key_arn").kind, "key_arn");
  assert.deepEqual(byokcheck.checkArn("x").findings.map((f) => f.name), ["not-an-arn"]);
  assert.ok(counts.ok > ITERATIONS * 3, JSON.stringify(counts));
  assert.ok(counts.type_error > ITERATIONS * 3, JSON.stringify(counts));
  assert.ok(counts.error > 0, JSON.stringify(counts));
});
