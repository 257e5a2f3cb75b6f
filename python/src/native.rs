//! The `byokcheck._native` module (see `byokcheck/_native.pyi` for its Python signatures).

use std::panic::{catch_unwind, AssertUnwindSafe};

use byokcheck_core::{
    check_arn, detect_kind, generate, rule, rules, verify_setup, ByokcheckError as CoreError,
    Context, DocumentKind, Finding, GenerateInput, Report, SetupInput,
};
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::{PyBytes, PyString};
use pythonize::pythonize;
use serde::Serialize;

pyo3::create_exception!(
    byokcheck,
    ByokcheckError,
    PyValueError,
    "Misuse of the API: an unknown kind or rule code, or inputs `generate` cannot make a setup from. Bad policies are findings, never this."
);

/// The kinds a caller may name, in the core's own spelling.
const KINDS: [DocumentKind; 5] = [
    DocumentKind::Iam,
    DocumentKind::Trust,
    DocumentKind::Key,
    DocumentKind::RoleArn,
    DocumentKind::KeyArn,
];

/// A document as Python passed it, held without the GIL (`str` or UTF-8 `bytes`).
enum Text {
    Str(PyBackedStr),
    Bytes(PyBackedBytes),
}

impl Text {
    fn extract(name: &str, value: &Bound<'_, PyAny>) -> PyResult<Self> {
        if value.is_instance_of::<PyString>() {
            return Ok(Text::Str(value.extract()?));
        }
        if value.is_instance_of::<PyBytes>() {
            let bytes: PyBackedBytes = value.extract()?;
            // Checked here, once, so that `as_str` cannot fail later without the GIL.
            if let Err(error) = std::str::from_utf8(&bytes) {
                return Err(ByokcheckError::new_err(format!(
                    "`{name}` is not UTF-8 text (invalid byte at offset {}); save the policy as UTF-8",
                    error.valid_up_to()
                )));
            }
            return Ok(Text::Bytes(bytes));
        }
        Err(PyTypeError::new_err(format!(
            "`{name}` must be str, bytes or a dict, not {}",
            value.get_type().name()?
        )))
    }

    fn as_str(&self) -> &str {
        match self {
            Text::Str(text) => text,
            // Validated in `extract`; an empty text can only arise if that check was skipped.
            Text::Bytes(bytes) => std::str::from_utf8(bytes).unwrap_or_default(),
        }
    }
}

fn parse_kind(kind: Option<&str>) -> PyResult<Option<DocumentKind>> {
    let Some(name) = kind else { return Ok(None) };
    KINDS
        .into_iter()
        .find(|k| k.as_str() == name)
        .map(Some)
        .ok_or_else(|| {
            ByokcheckError::new_err(format!(
                "unknown kind `{name}`; expected one of `iam`, `trust`, `key`, `role_arn`, `key_arn`"
            ))
        })
}

/// Runs a core call, turning a panic (a bug in byokcheck) into a Python exception rather than
/// letting PyO3 raise its `PanicException`, which `except Exception` does not catch.
fn guarded<T>(call: impl FnOnce() -> T) -> PyResult<T> {
    catch_unwind(AssertUnwindSafe(call)).map_err(|payload| {
        let detail = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        PyRuntimeError::new_err(format!(
            "internal error in byokcheck (please report it with the document): {detail}"
        ))
    })
}

fn core_error(error: &CoreError) -> PyErr {
    ByokcheckError::new_err(error.to_string())
}

/// One checked document: the CLI's JSON file entry without `path`.
#[derive(Serialize)]
struct Entry<'a> {
    kind: DocumentKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    findings: &'a [Finding],
}

/// `check` for one text: a policy of `kind`, or of the detected kind with the reason.
fn check_one(
    text: &str,
    kind: Option<DocumentKind>,
    context: &Context,
) -> (Report, Option<String>) {
    match kind {
        Some(kind) => (byokcheck_core::check(text, kind, context), None),
        None => {
            let detected = detect_kind(text);
            (
                byokcheck_core::check(text, detected.kind, context),
                Some(detected.reason),
            )
        }
    }
}

fn entry<'py>(
    py: Python<'py>,
    (report, reason): &(Report, Option<String>),
) -> PyResult<Bound<'py, PyAny>> {
    let entry = Entry {
        kind: report.kind,
        reason: reason.as_deref(),
        findings: &report.findings,
    };
    Ok(pythonize(py, &entry)?)
}

fn context(
    role_arn: Option<String>,
    cmk_arn: Option<String>,
    external_id: Option<String>,
    instance: Option<String>,
    service_role_arn: Option<String>,
) -> Context {
    Context {
        instance,
        service_role_arn,
        external_id,
        role_arn,
        cmk_arn,
    }
}

#[pyfunction]
#[pyo3(signature = (document, kind=None, role_arn=None, cmk_arn=None, external_id=None, instance=None, service_role_arn=None))]
#[expect(
    clippy::too_many_arguments,
    reason = "the five context fields, as Python keywords"
)]
fn check<'py>(
    py: Python<'py>,
    document: &Bound<'py, PyAny>,
    kind: Option<&str>,
    role_arn: Option<String>,
    cmk_arn: Option<String>,
    external_id: Option<String>,
    instance: Option<String>,
    service_role_arn: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let text = Text::extract("document", document)?;
    let kind = parse_kind(kind)?;
    let context = context(role_arn, cmk_arn, external_id, instance, service_role_arn);
    let result = guarded(|| check_one(text.as_str(), kind, &context))?;
    entry(py, &result)
}

/// How many documents make it worth starting a second thread.
const PARALLEL_FROM: usize = 32;

#[pyfunction]
#[pyo3(signature = (documents, kind=None, role_arn=None, cmk_arn=None, external_id=None, instance=None, service_role_arn=None))]
#[expect(
    clippy::too_many_arguments,
    reason = "the five context fields, as Python keywords"
)]
fn check_many<'py>(
    py: Python<'py>,
    documents: &Bound<'py, PyAny>,
    kind: Option<&str>,
    role_arn: Option<String>,
    cmk_arn: Option<String>,
    external_id: Option<String>,
    instance: Option<String>,
    service_role_arn: Option<String>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let texts = documents
        .try_iter()?
        .enumerate()
        .map(|(i, item)| Text::extract(&format!("documents[{i}]"), &item?))
        .collect::<PyResult<Vec<Text>>>()?;
    let kind = parse_kind(kind)?;
    let context = context(role_arn, cmk_arn, external_id, instance, service_role_arn);
    // The texts are held by Python objects we own references to; the core reads them in place
    // while other Python threads run.
    let results = py.detach(|| guarded(|| check_all(&texts, kind, &context)))?;
    results.iter().map(|result| entry(py, result)).collect()
}

fn check_all(
    texts: &[Text],
    kind: Option<DocumentKind>,
    context: &Context,
) -> Vec<(Report, Option<String>)> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if threads < 2 || texts.len() < PARALLEL_FROM {
        return texts
            .iter()
            .map(|t| check_one(t.as_str(), kind, context))
            .collect();
    }
    let chunk = texts.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = texts
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|t| check_one(t.as_str(), kind, context))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| match handle.join() {
                Ok(part) => part,
                // Re-raised on this thread, where `guarded` turns it into a Python error.
                Err(payload) => std::panic::resume_unwind(payload),
            })
            .collect()
    })
}

#[pyfunction(name = "check_arn")]
#[pyo3(signature = (arn, as_kind=None))]
fn check_arn_py<'py>(
    py: Python<'py>,
    arn: &Bound<'py, PyAny>,
    as_kind: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let text = Text::extract("arn", arn)?;
    let kind = parse_kind(as_kind)?;
    let report = guarded(|| check_arn(text.as_str(), kind))?;
    entry(py, &(report, None))
}

#[pyfunction(name = "detect_kind")]
fn detect_kind_py<'py>(
    py: Python<'py>,
    document: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let text = Text::extract("document", document)?;
    let detection = guarded(|| detect_kind(text.as_str()))?;
    Ok(pythonize(py, &detection)?)
}

#[pyfunction(name = "verify_setup")]
#[pyo3(signature = (iam_policy=None, trust_policy=None, key_policy=None, policy_attached=None, role_arn=None, cmk_arn=None, external_id=None, instance=None, service_role_arn=None))]
#[expect(
    clippy::too_many_arguments,
    reason = "the three documents and the context, as Python keywords"
)]
fn verify_setup_py<'py>(
    py: Python<'py>,
    iam_policy: Option<&Bound<'py, PyAny>>,
    trust_policy: Option<&Bound<'py, PyAny>>,
    key_policy: Option<&Bound<'py, PyAny>>,
    policy_attached: Option<bool>,
    role_arn: Option<String>,
    cmk_arn: Option<String>,
    external_id: Option<String>,
    instance: Option<String>,
    service_role_arn: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let owned = |name: &str, value: Option<&Bound<'py, PyAny>>| -> PyResult<Option<String>> {
        value
            .filter(|v| !v.is_none())
            .map(|v| Text::extract(name, v).map(|t| t.as_str().to_owned()))
            .transpose()
    };
    let input = SetupInput {
        context: context(role_arn, cmk_arn, external_id, instance, service_role_arn),
        iam_policy: owned("iam_policy", iam_policy)?,
        trust_policy: owned("trust_policy", trust_policy)?,
        key_policy: owned("key_policy", key_policy)?,
        policy_attached,
    };
    let report = py.detach(|| guarded(|| verify_setup(&input)))?;
    Ok(pythonize(py, &report)?)
}

#[pyfunction(name = "generate")]
#[pyo3(signature = (account_id, region, key_id, role_name, external_id, instance=None, service_role_arn=None))]
#[expect(
    clippy::too_many_arguments,
    reason = "the generator's inputs, as Python keywords"
)]
fn generate_py<'py>(
    py: Python<'py>,
    account_id: String,
    region: String,
    key_id: String,
    role_name: String,
    external_id: String,
    instance: Option<String>,
    service_role_arn: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let input = GenerateInput {
        account_id,
        region,
        key_id,
        role_name,
        external_id,
        instance,
        service_role_arn,
    };
    let generated = guarded(|| generate(&input))?.map_err(|e| core_error(&e))?;
    Ok(pythonize(py, &generated)?)
}

#[pyfunction(name = "rules")]
fn rules_py(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    let rules = guarded(rules)?;
    Ok(pythonize(py, &rules)?)
}

#[pyfunction(name = "rule")]
fn rule_py<'py>(py: Python<'py>, code: &str) -> PyResult<Bound<'py, PyAny>> {
    let documentation = guarded(|| rule(code))?.map_err(|e| core_error(&e))?;
    Ok(pythonize(py, &documentation)?)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("ByokcheckError", m.py().get_type::<ByokcheckError>())?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(check_many, m)?)?;
    m.add_function(wrap_pyfunction!(check_arn_py, m)?)?;
    m.add_function(wrap_pyfunction!(detect_kind_py, m)?)?;
    m.add_function(wrap_pyfunction!(verify_setup_py, m)?)?;
    m.add_function(wrap_pyfunction!(generate_py, m)?)?;
    m.add_function(wrap_pyfunction!(rules_py, m)?)?;
    m.add_function(wrap_pyfunction!(rule_py, m)?)?;
    Ok(())
}
