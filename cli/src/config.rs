//! `byokcheck.toml` (or `[tool.byokcheck]` in `pyproject.toml`): found upward from the working
//! directory, or named with `--config`. Flags win over the file; the file wins over defaults.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use byokcheck_core::settings::{closest_rule, selector_is_known};
use byokcheck_core::{Context, DocumentKind, Settings, Severity};
use globset::{GlobBuilder, GlobMatcher};
use serde::Deserialize;

use crate::args::{ConfigArgs, ContextArgs, FailOn, PolicyKind, SelectionArgs};
use crate::error::CliError;

pub const FILE_NAME: &str = "byokcheck.toml";

/// The file's contents, as written. Context keys are spelt as in core's JSON contract
/// (`role_arn`); the CLI's own keys in kebab-case like ruff's (`per-file-ignores`). Each key also
/// accepts the other spelling, so nobody has to remember which is which.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    instance: Option<String>,
    #[serde(alias = "service-role-arn")]
    service_role_arn: Option<String>,
    #[serde(alias = "external-id")]
    external_id: Option<String>,
    #[serde(alias = "role-arn")]
    role_arn: Option<String>,
    #[serde(alias = "cmk-arn")]
    cmk_arn: Option<String>,
    select: Option<Vec<String>>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default, rename = "per-file-ignores", alias = "per_file_ignores")]
    per_file_ignores: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    severity: BTreeMap<String, Severity>,
    #[serde(default)]
    kinds: BTreeMap<String, PolicyKind>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(rename = "fail-on", alias = "fail_on")]
    fail_on: Option<FailOn>,
    setup: Option<RawSetup>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSetup {
    #[serde(alias = "iam-policy")]
    iam_policy: Option<PathBuf>,
    #[serde(alias = "trust-policy")]
    trust_policy: Option<PathBuf>,
    #[serde(alias = "key-policy")]
    key_policy: Option<PathBuf>,
}

/// A glob from the config with what it maps to. A pattern without `/` matches a file name in
/// any folder; one with `/` matches the path relative to the config file's folder (as in
/// `.gitignore`).
#[derive(Debug, Clone)]
pub struct GlobRule<T> {
    pub pattern: String,
    matcher: GlobMatcher,
    anchored: bool,
    pub value: T,
}

impl<T> GlobRule<T> {
    fn new(pattern: &str, value: T, source: &Path, key: &str) -> Result<Self, CliError> {
        let trimmed = pattern.trim_start_matches("./");
        let anchored = trimmed.contains('/');
        let trimmed = trimmed.trim_start_matches('/');
        let matcher = GlobBuilder::new(trimmed)
            .literal_separator(true)
            .build()
            .map_err(|e| CliError::Config {
                path: source.to_path_buf(),
                message: format!("`{key}` has an invalid glob `{pattern}`: {}", e.kind()),
            })?
            .compile_matcher();
        Ok(Self {
            pattern: pattern.to_string(),
            matcher,
            anchored,
            value,
        })
    }

    /// `relative` is the file's path relative to the config folder, when it is inside it.
    fn matches(&self, relative: Option<&Path>, file_name: Option<&str>) -> bool {
        if self.anchored {
            relative.is_some_and(|r| self.matcher.is_match(r))
        } else {
            file_name.is_some_and(|n| self.matcher.is_match(n))
        }
    }
}

/// Paths for `verify`, resolved against the config file's folder.
#[derive(Debug, Clone, Default)]
pub struct SetupPaths {
    pub iam_policy: Option<PathBuf>,
    pub trust_policy: Option<PathBuf>,
    pub key_policy: Option<PathBuf>,
}

/// The resolved configuration (defaults when there is no file).
#[derive(Debug, Clone)]
pub struct Config {
    /// The file the settings came from, if any.
    pub source: Option<PathBuf>,
    /// The folder globs and `[setup]` paths are relative to: the file's, else the working one.
    pub root: PathBuf,
    /// The working directory, for making paths absolute.
    cwd: PathBuf,
    context: Context,
    select: Option<Vec<String>>,
    ignore: Vec<String>,
    severity: BTreeMap<String, Severity>,
    per_file_ignores: Vec<GlobRule<Vec<String>>>,
    kinds: Vec<GlobRule<DocumentKind>>,
    exclude: Vec<GlobRule<()>>,
    pub fail_on: Option<FailOn>,
    pub setup: SetupPaths,
}

impl Config {
    fn empty(cwd: &Path) -> Self {
        Self {
            source: None,
            root: cwd.to_path_buf(),
            cwd: cwd.to_path_buf(),
            context: Context::default(),
            select: None,
            ignore: Vec::new(),
            severity: BTreeMap::new(),
            per_file_ignores: Vec::new(),
            kinds: Vec::new(),
            exclude: Vec::new(),
            fail_on: None,
            setup: SetupPaths::default(),
        }
    }

    /// The configuration for this run: `--config`, else the nearest `byokcheck.toml` or
    /// `pyproject.toml` with `[tool.byokcheck]` from `cwd` upward, else defaults.
    pub fn load(args: &ConfigArgs, cwd: &Path) -> Result<Self, CliError> {
        if args.no_config {
            return Ok(Self::empty(cwd));
        }
        // Messages name the file relative to the working directory, as the user would.
        let shown = |path: &Path| PathBuf::from(display_path(path, cwd));
        if let Some(path) = &args.config {
            let path = normalize(&cwd.join(path));
            let text = std::fs::read_to_string(&path)
                .map_err(|e| CliError::io(&shown(&path), "read the configuration file", e))?;
            let raw = if is_pyproject(&path) {
                pyproject_section(&text, &shown(&path))?.ok_or_else(|| CliError::Config {
                    path: shown(&path),
                    message: "it has no `[tool.byokcheck]` table".into(),
                })?
            } else {
                parse(&text, &shown(&path))?
            };
            return Self::resolve(raw, path, cwd);
        }
        for dir in cwd.ancestors() {
            let candidate = dir.join(FILE_NAME);
            if candidate.is_file() {
                let text = std::fs::read_to_string(&candidate).map_err(|e| {
                    CliError::io(&shown(&candidate), "read the configuration file", e)
                })?;
                return Self::resolve(parse(&text, &shown(&candidate))?, candidate, cwd);
            }
            let pyproject = dir.join("pyproject.toml");
            if pyproject.is_file() {
                let text = std::fs::read_to_string(&pyproject)
                    .map_err(|e| CliError::io(&shown(&pyproject), "read", e))?;
                if let Some(raw) = pyproject_section(&text, &shown(&pyproject))? {
                    return Self::resolve(raw, pyproject, cwd);
                }
            }
        }
        Ok(Self::empty(cwd))
    }

    fn resolve(raw: RawConfig, source: PathBuf, cwd: &Path) -> Result<Self, CliError> {
        let root = source
            .parent()
            .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf);
        let shown = PathBuf::from(display_path(&source, cwd));
        let per_file_ignores = raw
            .per_file_ignores
            .iter()
            .map(|(pattern, codes)| {
                GlobRule::new(pattern, codes.clone(), &shown, "per-file-ignores")
            })
            .collect::<Result<Vec<_>, _>>()?;
        let kinds = raw
            .kinds
            .iter()
            .map(|(pattern, kind)| GlobRule::new(pattern, kind.document_kind(), &shown, "kinds"))
            .collect::<Result<Vec<_>, _>>()?;
        let exclude = raw
            .exclude
            .iter()
            .map(|pattern| GlobRule::new(pattern, (), &shown, "exclude"))
            .collect::<Result<Vec<_>, _>>()?;
        let setup = raw.setup.unwrap_or_default();
        let in_root = |p: Option<PathBuf>| p.map(|p| normalize(&root.join(p)));
        let config = Self {
            context: Context {
                instance: raw.instance,
                service_role_arn: raw.service_role_arn,
                external_id: raw.external_id,
                role_arn: raw.role_arn,
                cmk_arn: raw.cmk_arn,
            },
            select: raw.select,
            ignore: raw.ignore,
            severity: raw.severity,
            per_file_ignores,
            kinds,
            exclude,
            fail_on: raw.fail_on,
            setup: SetupPaths {
                iam_policy: in_root(setup.iam_policy),
                trust_policy: in_root(setup.trust_policy),
                key_policy: in_root(setup.key_policy),
            },
            source: Some(source),
            root,
            cwd: cwd.to_path_buf(),
        };
        config.validate_selectors()?;
        Ok(config)
    }

    /// A typo in a rule selector would silently select or ignore nothing: refuse it.
    fn validate_selectors(&self) -> Result<(), CliError> {
        if self.source.is_none() {
            return Ok(());
        }
        let source = PathBuf::from(self.source_name());
        let lists = [
            ("select", self.select.iter().flatten().collect::<Vec<_>>()),
            ("ignore", self.ignore.iter().collect()),
            ("severity", self.severity.keys().collect()),
        ];
        for (key, selectors) in lists {
            for selector in selectors {
                check_selector(selector).map_err(|message| CliError::Config {
                    path: source.clone(),
                    message: format!("`{key}`: {message}"),
                })?;
            }
        }
        for rule in &self.per_file_ignores {
            for selector in &rule.value {
                check_selector(selector).map_err(|message| CliError::Config {
                    path: source.clone(),
                    message: format!("`per-file-ignores` `{}`: {message}", rule.pattern),
                })?;
            }
        }
        Ok(())
    }

    /// The context: each flag, else the file's value; the instance defaults to Kore.ai's.
    pub fn context(&self, flags: &ContextArgs) -> Context {
        let pick =
            |flag: &Option<String>, file: &Option<String>| flag.clone().or_else(|| file.clone());
        Context {
            instance: pick(&flags.instance, &self.context.instance)
                .or_else(|| Some(byokcheck_core::context::DEFAULT_INSTANCE.to_string())),
            service_role_arn: pick(&flags.service_role_arn, &self.context.service_role_arn),
            external_id: pick(&flags.external_id, &self.context.external_id),
            role_arn: pick(&flags.role_arn, &self.context.role_arn),
            cmk_arn: pick(&flags.cmk_arn, &self.context.cmk_arn),
        }
    }

    /// Rule selection: `--select` replaces the file's `select`, `--ignore` adds to its `ignore`.
    pub fn settings(&self, flags: &SelectionArgs) -> Result<Settings, CliError> {
        for (flag, selectors) in [
            (
                "--select",
                flags.select.iter().flatten().collect::<Vec<_>>(),
            ),
            ("--ignore", flags.ignore.iter().collect()),
        ] {
            for selector in selectors {
                check_selector(selector)
                    .map_err(|message| CliError::Usage(format!("{flag}: {message}")))?;
            }
        }
        Ok(Settings {
            select: flags.select.clone().or_else(|| self.select.clone()),
            ignore: self.ignore.iter().chain(&flags.ignore).cloned().collect(),
            severity: self.severity.clone(),
        })
    }

    pub fn fail_on(&self, flag: Option<FailOn>) -> FailOn {
        flag.or(self.fail_on).unwrap_or(FailOn::DEFAULT)
    }

    /// The path relative to the config folder and the file name, for glob matching.
    fn glob_keys(&self, path: &Path) -> (Option<PathBuf>, Option<String>) {
        let absolute = normalize(&self.cwd.join(path));
        let relative = absolute
            .strip_prefix(&self.root)
            .ok()
            .map(Path::to_path_buf);
        let name = absolute
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        (relative, name)
    }

    /// The kind the `kinds` table sets for `path` and the glob that set it; the longest
    /// matching pattern wins.
    pub fn kind_for(&self, path: &Path) -> Option<(DocumentKind, &str)> {
        if self.kinds.is_empty() {
            return None;
        }
        let (relative, name) = self.glob_keys(path);
        self.kinds
            .iter()
            .filter(|rule| rule.matches(relative.as_deref(), name.as_deref()))
            .max_by_key(|rule| rule.pattern.len())
            .map(|rule| (rule.value, rule.pattern.as_str()))
    }

    /// The rule selectors `per-file-ignores` turns off for `path`.
    pub fn ignored_for(&self, path: &Path) -> Vec<String> {
        if self.per_file_ignores.is_empty() {
            return Vec::new();
        }
        let (relative, name) = self.glob_keys(path);
        self.per_file_ignores
            .iter()
            .filter(|rule| rule.matches(relative.as_deref(), name.as_deref()))
            .flat_map(|rule| rule.value.iter().cloned())
            .collect()
    }

    pub fn excluded(&self, path: &Path) -> bool {
        if self.exclude.is_empty() {
            return false;
        }
        let (relative, name) = self.glob_keys(path);
        self.exclude
            .iter()
            .any(|rule| rule.matches(relative.as_deref(), name.as_deref()))
    }

    /// The config file's name as the text output mentions it.
    pub fn source_name(&self) -> String {
        match &self.source {
            Some(path) => display_path(path, &self.cwd),
            None => FILE_NAME.to_string(),
        }
    }
}

fn check_selector(selector: &str) -> Result<(), String> {
    if selector_is_known(selector) {
        return Ok(());
    }
    let hint = match closest_rule(selector) {
        Some(close) => format!("; did you mean `{close}`?"),
        None => "; `byokcheck rule` lists every rule".to_string(),
    };
    Err(format!("`{selector}` names no rule{hint}"))
}

fn is_pyproject(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "pyproject.toml")
}

fn parse(text: &str, path: &Path) -> Result<RawConfig, CliError> {
    toml::from_str(text).map_err(|e| CliError::Config {
        path: path.to_path_buf(),
        message: one_line(&e.to_string()),
    })
}

/// `[tool.byokcheck]` of a pyproject.toml, if it has one.
fn pyproject_section(text: &str, path: &Path) -> Result<Option<RawConfig>, CliError> {
    let invalid = |message: String| CliError::Config {
        path: path.to_path_buf(),
        message,
    };
    let table: toml::Table = toml::from_str(text).map_err(|e| invalid(one_line(&e.to_string())))?;
    let Some(section) = table
        .get("tool")
        .and_then(|tool| tool.get("byokcheck"))
        .cloned()
    else {
        return Ok(None);
    };
    section.try_into().map(Some).map_err(|e: toml::de::Error| {
        invalid(format!("[tool.byokcheck]: {}", one_line(&e.to_string())))
    })
}

/// toml's errors span several lines with a source excerpt; keep the gist on one line.
fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty()
                && !l.starts_with('|')
                && !l
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '|' || c == ' ')
        })
        .collect::<Vec<_>>()
        .join(": ")
}

/// Removes `.` and resolves `..` without touching the file system (the path may not exist).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `path` relative to `cwd` (with `..` when it is above), with `/` separators; absolute
/// paths on another root stay absolute.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let path = normalize(path);
    let cwd = normalize(cwd);
    let shown = if path.is_absolute() && cwd.is_absolute() {
        let common = path
            .components()
            .zip(cwd.components())
            .take_while(|(a, b)| a == b)
            .count();
        if common <= 1 {
            // Only the root in common: `../../..` up to it says less than the absolute path.
            path.clone()
        } else {
            let mut relative = PathBuf::new();
            for _ in cwd.components().skip(common) {
                relative.push("..");
            }
            relative.extend(path.components().skip(common));
            relative
        }
    } else {
        path.strip_prefix(&cwd)
            .map_or_else(|_| path.clone(), Path::to_path_buf)
    };
    let text = shown.to_string_lossy().replace('\\', "/");
    if text.is_empty() {
        ".".to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> Result<Config, CliError> {
        let raw = parse(text, Path::new("/p/byokcheck.toml"))?;
        Config::resolve(raw, PathBuf::from("/p/byokcheck.toml"), Path::new("/p/sub"))
    }

    #[test]
    fn reads_every_key() {
        let config = load_text(
            r#"
            instance = "platform.kore.ai"
            external_id = "kore-7f3a9c2e-byok"
            role-arn = "arn:aws:iam::111122223333:role/BYOK_Role"
            select = ["G", "J"]
            ignore = ["G001"]
            fail-on = "warning"
            exclude = ["node_modules/**"]
            [per-file-ignores]
            "legacy/*.json" = ["duplicate-key"]
            [severity]
            J005 = "suggestion"
            [kinds]
            "*trust*.json" = "trust"
            [setup]
            iam_policy = "../docs/iam.json"
            "#,
        )
        .unwrap();
        let context = config.context(&ContextArgs::default());
        assert_eq!(context.external_id.as_deref(), Some("kore-7f3a9c2e-byok"));
        assert_eq!(
            context.role_arn.as_deref(),
            Some("arn:aws:iam::111122223333:role/BYOK_Role")
        );
        assert_eq!(config.fail_on(None), FailOn::Warning);
        assert_eq!(config.fail_on(Some(FailOn::Error)), FailOn::Error);
        assert_eq!(
            config.setup.iam_policy,
            Some(PathBuf::from("/docs/iam.json"))
        );
        // Paths are given relative to the working directory /p/sub.
        assert_eq!(
            config.kind_for(Path::new("deep/my-trust.json")),
            Some((DocumentKind::Trust, "*trust*.json"))
        );
        assert_eq!(config.kind_for(Path::new("key.json")), None);
        assert_eq!(
            config.ignored_for(Path::new("../legacy/a.json")),
            vec!["duplicate-key"]
        );
        assert!(
            config.ignored_for(Path::new("legacy/a.json")).is_empty(),
            "anchored at /p"
        );
        assert!(config.excluded(Path::new("../node_modules/x/y.json")));
        let settings = config.settings(&SelectionArgs::default()).unwrap();
        assert_eq!(
            settings.select,
            Some(vec!["G".to_string(), "J".to_string()])
        );
        assert_eq!(settings.severity.get("J005"), Some(&Severity::Suggestion));
    }

    #[test]
    fn flags_win() {
        let config =
            load_text("external_id = \"from-file\"\nselect = [\"G\"]\nignore = [\"G001\"]")
                .unwrap();
        let flags = ContextArgs {
            external_id: Some("from-flag".into()),
            ..ContextArgs::default()
        };
        let context = config.context(&flags);
        assert_eq!(context.external_id.as_deref(), Some("from-flag"));
        assert_eq!(context.instance.as_deref(), Some("platform.kore.ai"));
        let settings = config
            .settings(&SelectionArgs {
                select: Some(vec!["J".into()]),
                ignore: vec!["J005".into()],
            })
            .unwrap();
        assert_eq!(settings.select, Some(vec!["J".to_string()]));
        assert_eq!(
            settings.ignore,
            vec!["G001".to_string(), "J005".to_string()]
        );
    }

    #[test]
    fn rejects_unknown_keys_and_rules() {
        let error = load_text("selct = [\"G\"]").unwrap_err().to_string();
        assert!(error.contains("unknown field `selct`"), "{error}");
        assert!(!error.contains('\n'), "{error}");
        let error = load_text("ignore = [\"duplicat-key\"]")
            .unwrap_err()
            .to_string();
        assert!(error.contains("did you mean `duplicate-key`?"), "{error}");
        let error = load_text("[kinds]\n\"*.json\" = \"role\"")
            .unwrap_err()
            .to_string();
        assert!(error.contains("role"), "{error}");
        let error = load_text("fail-on = \"fatal\"").unwrap_err().to_string();
        assert!(error.contains("fatal"), "{error}");
        let error = Config::empty(Path::new("/"))
            .settings(&SelectionArgs {
                select: Some(vec!["Q".into()]),
                ignore: vec![],
            })
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("--select: `Q` names no rule"), "{error}");
    }

    #[test]
    fn reads_the_pyproject_section() {
        let text = "[project]\nname = \"x\"\n[tool.byokcheck]\nignore = [\"J005\"]\n";
        let raw = pyproject_section(text, Path::new("pyproject.toml"))
            .unwrap()
            .unwrap();
        assert_eq!(raw.ignore, vec!["J005".to_string()]);
        assert!(
            pyproject_section("[project]\n", Path::new("pyproject.toml"))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn normalizes_paths_lexically() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
        assert_eq!(
            display_path(Path::new("/w/a/b.json"), Path::new("/w")),
            "a/b.json"
        );
        assert_eq!(
            display_path(Path::new("/x/b.json"), Path::new("/w")),
            "/x/b.json"
        );
        assert_eq!(
            display_path(Path::new("/w/c.toml"), Path::new("/w/a/b")),
            "../../c.toml"
        );
        assert_eq!(
            display_path(Path::new("/w/x/c.toml"), Path::new("/w/a")),
            "../x/c.toml"
        );
    }
}
