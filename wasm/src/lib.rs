//! byokcheck for JavaScript: the core's public API through wasm-bindgen, and nothing more.
//!
//! Every export forwards to `byokcheck_core`; results are the core's serde types as plain JS
//! objects (the same snake_case fields as the CLI's `--format json`). Two kinds of throw, and
//! only these: a `TypeError` when an argument has the wrong type or shape (so a caller's bug
//! surfaces at the call), an `Error` for the core's `ByokcheckError` (API misuse such as an
//! unknown rule code). A bad policy is never a throw: malformed JSON is a finding.

use byokcheck_core::{ByokcheckError, Context, DocumentKind, GenerateInput, SetupInput};
use js_sys::{Array, Error, TypeError};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** How serious a finding is, most serious first. */
export type Severity = "error" | "security_warning" | "warning" | "suggestion";
/** The three policy documents and the two ARNs the setup shares. */
export type DocumentKind = "iam" | "trust" | "key" | "role_arn" | "key_arn";
/** A half-open byte range `[start, end)` into the UTF-8 text (prefer `line`/`column` in JS). */
export interface Span { start: number; end: number; }
export interface Finding {
  code: string;
  name: string;
  severity: Severity;
  message: string;
  /** JSON pointer to the offending value (`""` for ARNs and unparsable text). */
  pointer: string;
  span: Span;
  /** 1-based; columns count characters. */
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  /** Exactly what to write instead, when there is one thing to write. */
  help: string | null;
}
export interface Report { kind: DocumentKind; findings: Finding[]; }
/** The setup context: which vendor instance, the External ID, the Role ARN and the CMK ARN. */
export interface Context {
  instance?: string | null;
  service_role_arn?: string | null;
  external_id?: string | null;
  role_arn?: string | null;
  cmk_arn?: string | null;
}
export interface SetupInput {
  context?: Context;
  iam_policy?: string | null;
  trust_policy?: string | null;
  key_policy?: string | null;
  policy_attached?: boolean | null;
}
export type ItemId =
  | "iam_policy" | "policy_attachment" | "trust_relationship"
  | "key_policy" | "key_users" | "shared_arns";
export type ItemStatus = "passed" | "failed" | "not_checked";
export interface VerificationItem {
  id: ItemId;
  title: string;
  status: ItemStatus;
  detail: string;
  findings: Finding[];
}
export interface DocumentReport {
  name: "iam_policy" | "trust_policy" | "key_policy" | "role_arn" | "cmk_arn";
  kind: DocumentKind;
  findings: Finding[];
}
export interface SetupReport { items: VerificationItem[]; documents: DocumentReport[]; }
export interface GenerateInput {
  account_id: string;
  region: string;
  key_id: string;
  role_name: string;
  external_id: string;
  instance?: string | null;
  service_role_arn?: string | null;
}
export interface GeneratedSetup {
  context: Required<Context>;
  iam_policy: string;
  trust_policy: string;
  key_policy_statement: string;
  key_policy: string;
}
export interface RuleSummary { code: string; name: string; severity: Severity; kinds: DocumentKind[]; }
export interface RuleDocumentation extends RuleSummary {
  docs: string;
  bad_example: string | null;
  /** The context the Bad example is checked with (the Good one uses the example context). */
  bad_example_context: Context;
  good_example: string | null;
}
export interface Detection { kind: DocumentKind; reason: string; }
"#;

// Typed handles for the optional arguments, so the .d.ts says `context?: Context | null`
// (`unchecked_param_type` would drop the `?`). Unchecked: their contents are validated below.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "Context")]
    pub type ContextArg;
    #[wasm_bindgen(typescript_type = "DocumentKind")]
    pub type KindArg;
}

type JsResult = Result<JsValue, JsValue>;

/// The one mapping of the core's error type: a JS `Error` with the core's message.
fn into_error(error: ByokcheckError) -> JsValue {
    Error::new(&error.to_string()).into()
}

fn type_error(message: String) -> JsValue {
    TypeError::new(&message).into()
}

/// A core result as a plain JS object: serialised to JSON here and parsed by the engine's
/// `JSON.parse` (plain objects, `null` for `None`, the CLI's field names). Smaller than
/// serde-wasm-bindgen's serializer (whose code is monomorphised per result type) and as fast.
fn to_js<T: Serialize>(value: &T) -> JsResult {
    let json =
        serde_json::to_string(value).map_err(|e| JsValue::from(Error::new(&e.to_string())))?;
    js_sys::JSON::parse(&json)
}

/// What a wrong argument was, for the `TypeError` message.
fn describe(value: &JsValue) -> String {
    if value.is_null() {
        "null".into()
    } else if Array::is_array(value) {
        "an array".into()
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    }
}

fn string_arg(name: &str, value: &JsValue) -> Result<String, JsValue> {
    value.as_string().ok_or_else(|| {
        type_error(format!(
            "`{name}` must be a string, got {}",
            describe(value)
        ))
    })
}

/// An input object, deserialised into the core's `deny_unknown_fields` types; `undefined` and
/// `null` are the default when `optional`.
fn object_arg<T: DeserializeOwned + Default>(
    name: &str,
    value: Option<JsValue>,
    optional: bool,
) -> Result<T, JsValue> {
    let value = value.unwrap_or(JsValue::UNDEFINED);
    if optional && value.is_null_or_undefined() {
        return Ok(T::default());
    }
    if !value.is_object() || Array::is_array(&value) {
        return Err(type_error(format!(
            "`{name}` must be an object, got {}",
            describe(&value)
        )));
    }
    // Through `serde_json::Value` because serde-wasm-bindgen reads only the fields a struct
    // names, which would silently accept a misspelt field that `deny_unknown_fields` rejects.
    let json: serde_json::Value = serde_wasm_bindgen::from_value(value)
        .map_err(|e| type_error(format!("`{name}` is not plain data: {e}")))?;
    serde_json::from_value(json).map_err(|e| type_error(format!("`{name}`: {e}")))
}

fn kind_arg(name: &str, value: &JsValue) -> Result<DocumentKind, JsValue> {
    const KINDS: &str = "`iam`, `trust`, `key`, `role_arn` or `key_arn`";
    let Some(text) = value.as_string() else {
        return Err(type_error(format!(
            "`{name}` must be one of {KINDS}, got {}",
            describe(value)
        )));
    };
    serde_wasm_bindgen::from_value(value.clone())
        .map_err(|_| type_error(format!("`{name}` must be one of {KINDS}, got `{text}`")))
}

/// Checks `text` as a document of `kind` against `context` (the ARN kinds ignore the context).
#[wasm_bindgen(js_name = check, unchecked_return_type = "Report")]
pub fn check(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DocumentKind")] kind: JsValue,
    context: Option<ContextArg>,
) -> JsResult {
    let text = string_arg("text", &text)?;
    let kind = kind_arg("kind", &kind)?;
    let context: Context = object_arg("context", context.map(JsValue::from), true)?;
    to_js(&byokcheck_core::check(&text, kind, &context))
}

/// Checks a pasted ARN as `kind`, or as whichever of a role or key ARN it looks like when
/// `kind` is absent. Text that is no ARN gets `not-an-arn`.
#[wasm_bindgen(js_name = checkArn, unchecked_return_type = "Report")]
pub fn check_arn(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    kind: Option<KindArg>,
) -> JsResult {
    let text = string_arg("text", &text)?;
    let kind = match kind {
        Some(kind) => Some(kind_arg("kind", &kind.into())?),
        None => None,
    };
    to_js(&byokcheck_core::check_arn(&text, kind))
}

/// Verifies any of the three documents and the ARNs against each other and the context: the
/// setup guide's verification items.
#[wasm_bindgen(js_name = verifySetup, unchecked_return_type = "SetupReport")]
pub fn verify_setup(
    #[wasm_bindgen(unchecked_param_type = "SetupInput")] input: JsValue,
) -> JsResult {
    let input: SetupInput = object_arg("input", Some(input), false)?;
    to_js(&byokcheck_core::verify_setup(&input))
}

/// Writes the IAM policy, the trust policy, the key-policy statement and a complete key
/// policy. Throws an `Error` for inputs that cannot make a valid setup.
#[wasm_bindgen(js_name = generate, unchecked_return_type = "GeneratedSetup")]
pub fn generate(
    #[wasm_bindgen(unchecked_param_type = "GenerateInput")] input: JsValue,
) -> JsResult {
    let input: GenerateInput = object_arg("input", Some(input), false)?;
    to_js(&byokcheck_core::generate(&input).map_err(into_error)?)
}

/// Every rule, in code order.
#[wasm_bindgen(js_name = rules, unchecked_return_type = "RuleSummary[]")]
pub fn rules() -> JsResult {
    to_js(&byokcheck_core::rules())
}

/// One rule's documentation, by code (`G101`) or name (`duplicate-key`). Throws an `Error`
/// for an unknown rule.
#[wasm_bindgen(js_name = rule, unchecked_return_type = "RuleDocumentation")]
pub fn rule(#[wasm_bindgen(unchecked_param_type = "string")] code_or_name: JsValue) -> JsResult {
    let code_or_name = string_arg("code_or_name", &code_or_name)?;
    to_js(&byokcheck_core::rule(&code_or_name).map_err(into_error)?)
}

/// Which kind of document `text` looks like, and why.
#[wasm_bindgen(js_name = detectKind, unchecked_return_type = "Detection")]
pub fn detect_kind(#[wasm_bindgen(unchecked_param_type = "string")] text: JsValue) -> JsResult {
    let text = string_arg("text", &text)?;
    to_js(&byokcheck_core::detect_kind(&text))
}
