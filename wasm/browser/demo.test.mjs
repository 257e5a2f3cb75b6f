// The demo (wasm/demo + the package's web build) served by `python3 -m http.server` on
// 127.0.0.1 and driven in headless Debian Chromium through playwright-core. Screenshots go to
// target/wasm-artifacts/screenshots/. The server and the browser stop in `after`, also when a
// test fails.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";
import { byokcheck, pkgDir, root, EXAMPLE_CONTEXT } from "../tests/support.mjs";

const CHROMIUM = process.env.BYOKCHECK_CHROMIUM ?? "/usr/bin/chromium";
const artifacts = path.join(root, "target/wasm-artifacts");
const site = path.join(artifacts, "site");
const screenshots = path.join(artifacts, "screenshots");
const TRUST_WITHOUT_EXTERNAL_ID = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{
    Sid: "AllowKoreAiServiceRole",
    Effect: "Allow",
    Principal: { AWS: "arn:aws:iam::358587034707:role/SegBots-Servers-Role" },
    Action: "sts:AssumeRole",
  }],
}, null, 4);

let server;
let browser;
let userDataDir;
let origin;
const problems = []; // console errors, page errors and requests that leave the server

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitForServer(url) {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (server.exitCode !== null) throw new Error(`http.server exited with ${server.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within 10 s`);
}

before(async () => {
  fs.rmSync(site, { recursive: true, force: true });
  fs.mkdirSync(screenshots, { recursive: true });
  fs.cpSync(path.join(root, "wasm/demo"), site, { recursive: true });
  fs.cpSync(path.join(pkgDir, "web"), path.join(site, "web"), { recursive: true });
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  server = spawn("python3", ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", site],
    { stdio: "ignore" });
  await waitForServer(`${origin}/index.html`);
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "byokcheck-chromium-"));
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 1100 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--no-first-run", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close().catch(() => {});
  if (server && server.exitCode === null) server.kill();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
});

async function openDemo() {
  const page = await browser.newPage();
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => {
    if (!r.url().startsWith(`${origin}/`) && !r.url().startsWith("data:")) problems.push(`request: ${r.url()}`);
  });
  await page.goto(`${origin}/index.html`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 10_000 });
  return page;
}

const statuses = (page) => page.$$eval("#checklist li", (items) =>
  Object.fromEntries(items.map((li) => [li.dataset.id, li.dataset.status])));

test("typing a wrong Role ARN shows its finding at the field", async () => {
  const page = await openDemo();
  try {
    const wrong = "arn:aws:iam::1234-5678-9012:role/BYOK_Role";
    await page.fill("#role_arn", "");
    await page.locator("#role_arn").pressSequentially(wrong);
    const finding = page.locator('#role_arn-findings li[data-code="A004"]');
    await finding.waitFor({ timeout: 5_000 });
    const expected = byokcheck.checkArn(wrong, "role_arn").findings.find((f) => f.code === "A004");
    assert.equal(await finding.getAttribute("data-severity"), "error");
    assert.equal(await finding.getAttribute("data-column"), String(expected.column));
    assert.match(await finding.innerText(), /A004/);
    assert.ok((await finding.innerText()).includes(expected.message), await finding.innerText());
    assert.ok((await finding.innerText()).includes("help: write `123456789012`"));
    assert.match(await page.getAttribute("#role_arn", "class"), /sev-error/);
    assert.equal((await statuses(page)).shared_arns, "failed");
    await page.screenshot({ path: path.join(screenshots, "1-wrong-role-arn.png"), fullPage: true });
  } finally {
    await page.close();
  }
});

test("a trust policy without the External ID: security warning on its line, trust arrow red", async () => {
  const page = await openDemo();
  try {
    await page.fill("#trust_policy", TRUST_WITHOUT_EXTERNAL_ID);
    const expected = byokcheck.check(TRUST_WITHOUT_EXTERNAL_ID, "trust", EXAMPLE_CONTEXT)
      .findings.find((f) => f.name === "missing-external-id-condition");
    assert.ok(expected, "the core reports the missing External ID");
    const finding = page.locator(`#trust_policy-findings li[data-code="${expected.code}"]`);
    await finding.waitFor({ timeout: 5_000 });
    assert.equal(await finding.getAttribute("data-severity"), "security_warning");
    assert.equal(await finding.getAttribute("data-line"), String(expected.line));
    // The line is inside the statement (lines 4-10 of the pretty-printed policy).
    assert.ok(expected.line >= 4 && expected.line <= 10, `line ${expected.line}`);
    assert.match(await finding.innerText(), /security warning/);
    assert.match(await finding.innerText(), /sts:ExternalId/);
    const gutterLine = page.locator(`[data-document="trust_policy"] .gutter .ln[data-line="${expected.line}"]`);
    assert.match(await gutterLine.getAttribute("class"), /sev-security_warning/);
    assert.equal(await page.getAttribute("#arrow-assumes", "data-state"), "bad");
    const stroke = await page.$eval("#arrow-assumes line", (l) => getComputedStyle(l).stroke);
    assert.equal(stroke, "rgb(207, 34, 46)");
    assert.equal((await statuses(page)).trust_relationship, "failed");
    await page.screenshot({ path: path.join(screenshots, "2-trust-without-external-id.png"), fullPage: true });
  } finally {
    await page.close();
  }
});

test("Generate fills correct documents and every checklist item passes", async () => {
  const page = await openDemo();
  try {
    await page.click("#generate");
    await page.waitForFunction(() => document.querySelector("#key_policy").value.length > 0);
    await page.waitForFunction(() =>
      document.querySelector('#checklist li[data-id="trust_relationship"]')?.dataset.status === "passed");
    // Attachment is the one item documents cannot show: it waits for the customer's word.
    const generated = await statuses(page);
    assert.equal(generated.policy_attachment, "not_checked");
    for (const [id, status] of Object.entries(generated)) {
      if (id !== "policy_attachment") assert.equal(status, "passed", `${id} after Generate`);
    }
    await page.check("#policy_attached");
    await page.waitForFunction(() =>
      document.querySelector('#checklist li[data-id="policy_attachment"]')?.dataset.status === "passed");
    const all = await statuses(page);
    assert.deepEqual(Object.keys(all), ["iam_policy", "policy_attachment", "trust_relationship",
      "key_policy", "key_users", "shared_arns"]);
    assert.ok(Object.values(all).every((s) => s === "passed"), JSON.stringify(all));
    for (const arrow of ["#arrow-assumes", "#arrow-uses"]) {
      assert.equal(await page.getAttribute(arrow, "data-state"), "ok", arrow);
    }
    for (const name of ["iam_policy", "trust_policy", "key_policy"]) {
      assert.equal(await page.locator(`#${name}-findings li`).count(), 0, `${name} has findings`);
      JSON.parse(await page.inputValue(`#${name}`));
    }
    assert.equal(await page.innerText("#status"), "no problems found");
    await page.screenshot({ path: path.join(screenshots, "3-generated.png"), fullPage: true });
  } finally {
    await page.close();
  }
});

test("the page made no request off the local server and logged no error", () => {
  assert.deepEqual(problems, []);
});
