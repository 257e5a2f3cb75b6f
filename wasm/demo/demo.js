// The admin-console form: every keystroke re-verifies the whole setup with the wasm checker
// (one `verifySetup` call) and shows each document's findings where they belong.
// Expects the package's `web` build in ./web/ (scripts/test-wasm assembles the folder).
import init, { verifySetup, generate } from "./web/byokcheck_wasm.js";

const $ = (id) => document.getElementById(id);
const FIELDS = ["role_arn", "cmk_arn"];
const DOCUMENTS = ["iam_policy", "trust_policy", "key_policy"];
const SEVERITY_LABEL = {
  error: "error", security_warning: "security warning", warning: "warning", suggestion: "suggestion",
};
const SEVERITY_ORDER = Object.keys(SEVERITY_LABEL);

const orNull = (value) => (value.trim() === "" ? null : value);

function context() {
  return {
    instance: $("instance").value,
    external_id: orNull($("external_id").value),
    role_arn: orNull($("role_arn").value),
    cmk_arn: orNull($("cmk_arn").value),
  };
}

function worst(findings) {
  return findings.map((f) => f.severity)
    .sort((a, b) => SEVERITY_ORDER.indexOf(a) - SEVERITY_ORDER.indexOf(b))[0];
}

function renderFindings(list, findings, target) {
  list.replaceChildren(...findings.map((f) => {
    const item = document.createElement("li");
    item.className = `finding sev-${f.severity}`;
    Object.assign(item.dataset, { code: f.code, severity: f.severity, line: f.line, column: f.column });
    const part = (cls, text) => {
      const span = document.createElement("span");
      span.className = cls;
      span.textContent = text;
      return span;
    };
    item.append(part("pos", `${f.line}:${f.column}`), " ", part("code", f.code), " ",
      part("sev", SEVERITY_LABEL[f.severity]), " ", part("msg", f.message));
    if (f.help) {
      const help = document.createElement("div");
      help.className = "help";
      help.textContent = `help: ${f.help}`;
      item.append(help);
    }
    item.title = f.name;
    item.addEventListener("click", () => select(target, f));
    return item;
  }));
}

// Selects the finding's text in the input or editor (columns count characters, which for
// IAM's character set are UTF-16 units too).
function select(target, f) {
  const lines = target.value.split("\n");
  const offset = (line, column) =>
    lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
  target.focus();
  target.setSelectionRange(offset(f.line, f.column), offset(f.end_line, f.end_column));
}

function renderGutter(textarea, findings) {
  const gutter = textarea.parentElement.querySelector(".gutter");
  const marks = new Map();
  for (const f of findings) {
    for (let line = f.line; line <= f.end_line; line++) {
      marks.set(line, worst([...(marks.has(line) ? [{ severity: marks.get(line) }] : []), f]));
    }
  }
  const count = textarea.value.split("\n").length;
  const rows = [];
  for (let line = 1; line <= count; line++) {
    const row = document.createElement("div");
    row.className = marks.has(line) ? `ln sev-${marks.get(line)}` : "ln";
    row.dataset.line = line;
    row.textContent = line;
    rows.push(row);
  }
  gutter.replaceChildren(...rows);
  gutter.scrollTop = textarea.scrollTop;
}

function renderChecklist(items) {
  $("checklist").replaceChildren(...items.map((item) => {
    const li = document.createElement("li");
    li.dataset.id = item.id;
    li.dataset.status = item.status;
    const badge = document.createElement("span");
    badge.className = "badge";
    badge.textContent = item.status.replace("_", " ");
    const title = document.createElement("strong");
    title.textContent = item.title;
    const detail = document.createElement("span");
    detail.className = "detail";
    detail.textContent = item.detail;
    li.append(badge, title, detail);
    return li;
  }));
}

// An arrow is red when any item behind it failed, green when all of them passed.
function renderArrow(id, statuses) {
  const state = statuses.includes("failed") ? "bad"
    : statuses.every((s) => s === "passed") ? "ok" : "unknown";
  const arrow = $(id);
  arrow.dataset.state = state;
  arrow.querySelector("line").setAttribute("marker-end", `url(#head-${state})`);
}

function update() {
  const result = verifySetup({
    context: context(),
    iam_policy: orNull($("iam_policy").value),
    trust_policy: orNull($("trust_policy").value),
    key_policy: orNull($("key_policy").value),
    policy_attached: $("policy_attached").checked ? true : null,
  });
  const findingsOf = (name) => result.documents.find((d) => d.name === name)?.findings ?? [];
  for (const name of FIELDS) {
    const findings = findingsOf(name);
    renderFindings($(`${name}-findings`), findings, $(name));
    $(name).className = findings.length ? `sev-${worst(findings)}` : "";
  }
  for (const name of DOCUMENTS) {
    const findings = findingsOf(name);
    renderFindings($(`${name}-findings`), findings, $(name));
    renderGutter($(name), findings);
  }
  renderChecklist(result.items);
  const status = Object.fromEntries(result.items.map((i) => [i.id, i.status]));
  renderArrow("arrow-assumes", [status.trust_relationship]);
  renderArrow("arrow-uses", [status.iam_policy, status.policy_attachment, status.key_policy, status.key_users]);
  const failed = result.items.filter((i) => i.status === "failed").length;
  $("status").textContent = failed ? `${failed} item(s) to fix` : "no problems found";
  $("status").className = failed ? "status bad" : "status";
}

// Generate from what the form already holds: the account and role name from the Role ARN,
// the region and key id from the CMK ARN.
function onGenerate() {
  const note = $("generate-status");
  const role = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:[^/]*\/)*([^/]+)$/.exec($("role_arn").value.trim());
  const key = /^arn:aws[\w-]*:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/.exec($("cmk_arn").value.trim());
  if (!role || !key) {
    note.textContent = "Generate needs a well-formed Role ARN and CMK ARN: fix the findings above";
    note.className = "note bad";
    return;
  }
  try {
    const setup = generate({
      account_id: role[1], role_name: role[2], region: key[1], key_id: key[3],
      external_id: $("external_id").value, instance: $("instance").value,
    });
    $("iam_policy").value = setup.iam_policy;
    $("trust_policy").value = setup.trust_policy;
    $("key_policy").value = setup.key_policy;
    note.textContent = "generated: attach the IAM policy to the role, then confirm below";
    note.className = "note";
  } catch (error) {
    note.textContent = error.message;
    note.className = "note bad";
  }
  update();
}

let pending = 0;
function schedule() {
  clearTimeout(pending);
  pending = setTimeout(update, 80);
}

await init();
for (const id of [...FIELDS, "external_id", ...DOCUMENTS]) $(id).addEventListener("input", schedule);
for (const id of ["instance", "policy_attached"]) $(id).addEventListener("change", update);
for (const id of DOCUMENTS) {
  $(id).addEventListener("scroll", () => {
    $(id).parentElement.querySelector(".gutter").scrollTop = $(id).scrollTop;
  });
}
$("generate").addEventListener("click", onGenerate);
update();
document.body.dataset.ready = "true";
