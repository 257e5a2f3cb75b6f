// Every export, through the package's generated .d.ts (nodejs and web builds), as a
// TypeScript user writes it. Compiled with `tsc --noEmit --strict` by scripts/test-wasm.
import {
  check, checkArn, verifySetup, generate, rules, rule, detectKind,
  type Context, type DocumentKind, type Finding, type GeneratedSetup, type ItemStatus,
  type Report, type RuleDocumentation, type RuleSummary, type SetupReport, type Severity,
  type Detection, type VerificationItem,
} from "../pkg-out/node/byokcheck_wasm.js";
import init, { check as checkInBrowser, type InitOutput } from "../pkg-out/web/byokcheck_wasm.js";

const context: Context = {
  instance: "platform.kore.ai",
  external_id: "kore-7f3a9c2e-byok",
  role_arn: "arn:aws:iam::111122223333:role/BYOK_Role",
  cmk_arn: null,
};

const kind: DocumentKind = "trust";
const report: Report = check("{}", kind, context);
check("{}", "iam");
check("{}", "key", null);
const first: Finding | undefined = report.findings[0];
if (first) {
  const severity: Severity = first.severity;
  const where: string = `${first.line}:${first.column}-${first.end_line}:${first.end_column}`;
  const help: string = first.help ?? "no help";
  const bytes: number = first.span.end - first.span.start;
  console.log(severity, where, help, bytes, first.code, first.name, first.message, first.pointer);
}

const arn: Report = checkArn("arn:aws:iam::111122223333:role/BYOK_Role");
checkArn("x", "key_arn");
checkArn("x", null);
console.log(arn.kind === "role_arn");

const setup: SetupReport = verifySetup({
  context,
  iam_policy: "{}",
  trust_policy: null,
  policy_attached: true,
});
verifySetup({});
const item: VerificationItem | undefined = setup.items.find((i) => i.id === "trust_relationship");
const status: ItemStatus | undefined = item?.status;
console.log(status === "not_checked", setup.documents.map((d) => `${d.name}:${d.kind}:${d.findings.length}`));

const generated: GeneratedSetup = generate({
  account_id: "111122223333",
  region: "us-east-1",
  key_id: "1234abcd-12ab-34cd-56ef-1234567890ab",
  role_name: "BYOK_Role",
  external_id: "kore-7f3a9c2e-byok",
  instance: "platform.kore.ai",
});
const roleArn: string | null = generated.context.role_arn;
console.log(roleArn, generated.iam_policy, generated.trust_policy, generated.key_policy,
  generated.key_policy_statement);

const all: RuleSummary[] = rules();
const documented: RuleDocumentation = rule(all[0]?.code ?? "G001");
const bad: string | null = documented.bad_example;
console.log(documented.docs, bad, documented.good_example, documented.kinds.includes("iam"));

const detection: Detection = detectKind("{}");
console.log(detection.kind, detection.reason);

async function browser(): Promise<void> {
  const output: InitOutput = await init();
  await init({ module_or_path: new URL("https://example.invalid/byokcheck_wasm_bg.wasm") });
  console.log(output.memory, checkInBrowser("{}", "iam").findings.length);
}
void browser;

try {
  rule("Z999");
} catch (error: unknown) {
  if (error instanceof TypeError) console.log("wrong argument", error.message);
  else if (error instanceof Error) console.log("misuse", error.message);
}
