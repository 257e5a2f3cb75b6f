// Deliberate type errors: tsc must reject this file with exactly one error per
// `@expect-error` line (scripts/test-wasm counts them). Proves the types are not `any`.
import { check, checkArn, generate, verifySetup, type Severity } from "../pkg-out/node/byokcheck_wasm.js";

check("{}", "policy"); // @expect-error: not a DocumentKind
check("{}", "iam", { externalId: "x" }); // @expect-error: misspelt Context field
checkArn(42); // @expect-error: text is a string
generate({ account_id: "1", region: "r", key_id: "k", role_name: "n" }); // @expect-error: external_id missing
const severity: Severity = "fatal"; // @expect-error: not a Severity
console.log(verifySetup({}).items[0]?.statu, severity); // @expect-error: no such field
const help: string = check("{}", "iam").findings[0]!.help; // @expect-error: help may be null
console.log(help);
