//! The project configuration, `.agentlint.yaml`: which pack, rule overrides, which files
//! a directory check includes, and `ignore` entries for files without comments (JSON).
//!
//! It is found by walking up from each checked file's directory to the repository root
//! (the directory holding `.git`) or the filesystem root; the nearest one wins, and
//! configurations are not merged. `--config PATH` replaces the search.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{GlobBuilder, GlobMatcher};
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::document::{Node, Span, Value};
use crate::rules::INVALID_VALUE;

use super::pack::{RuleSetting, RuleState, check_keys, expect_str, list};
use super::suppress::IgnoreEntry;
use super::{PolicyFile, Resolver};

/// The file name searched for.
pub const CONFIG_FILE_NAME: &str = ".agentlint.yaml";

/// The keys of a project configuration.
pub const CONFIG_KEYS: &[&str] = &[
    "$schema",
    "policy",
    "rules",
    "include",
    "exclude",
    "kinds",
    "ignore",
    "effective",
    "user_settings",
    "managed_settings",
];
/// The keys of an `ignore` entry.
pub const IGNORE_KEYS: &[&str] = &["rule", "path", "pointer", "reason"];
const IGNORE_REQUIRED: &[&str] = &["rule", "path", "reason"];

/// The project configuration, `.agentlint.yaml`: the nearest one above a checked file applies.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "agentlint project configuration")]
pub struct ProjectConfigFile {
    /// JSON Schema reference for editors.
    #[serde(rename = "$schema", default)]
    #[schemars(with = "String")]
    pub schema: Option<String>,
    /// The policy pack: a built-in name (`production`, `ci`, `review`, `baseline`) or a path
    /// relative to this file (it must contain `/` or end in `.yaml`, `.yml` or `.json`).
    /// Default `production`; `--policy` overrides it.
    #[serde(default)]
    #[schemars(with = "String")]
    pub policy: Option<String>,
    /// Rule settings applied on top of the pack, in the pack format.
    #[serde(default)]
    #[schemars(schema_with = "super::pack::rules_schema")]
    pub rules: IndexMap<String, RuleSetting>,
    /// Globs (relative to this file's directory) of the files a directory check reads.
    #[serde(default)]
    pub include: Vec<String>,
    /// Globs (relative to this file's directory) of files a directory check skips.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Glob (relative to this file's directory) → the kind of the files it matches: `deployment`,
    /// `settings` (optionally with a scope: `settings:user`, `settings:project`,
    /// `settings:local`, `settings:managed`), `mcp`, `subagent`, `command` or `skill`. It
    /// overrides detection by file name, and a directory check reads the matching files.
    #[serde(default)]
    pub kinds: IndexMap<String, String>,
    /// Findings to silence, for files that cannot hold comments (JSON).
    #[serde(default)]
    pub ignore: Vec<IgnoreSpec>,
    /// `true`: `check` also checks each effective session, as `--effective` does.
    #[serde(default)]
    pub effective: bool,
    /// The user settings file effective sessions read (relative to this file; it must be inside
    /// the repository). `--user-settings` replaces it. None is read otherwise.
    #[serde(default)]
    #[schemars(with = "String")]
    pub user_settings: Option<String>,
    /// The managed settings file effective sessions read (relative to this file; it must be
    /// inside the repository). `--managed-settings` replaces it. None is read otherwise.
    #[serde(default)]
    #[schemars(with = "String")]
    pub managed_settings: Option<String>,
}

/// One silenced finding, or set of findings.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IgnoreSpec {
    /// Rule id (`AL104`) or name.
    pub rule: String,
    /// Glob of the files, relative to this file's directory: `*` stays within a directory, `**` crosses them.
    pub path: String,
    /// JSON pointer of the key or value in the file as written (`/agents/ci/allowed_tools/2`);
    /// findings at it or below it are silenced. All findings of the rule in the files when absent.
    #[serde(default)]
    #[schemars(with = "String")]
    pub pointer: Option<String>,
    /// Why the findings are acceptable (required).
    pub reason: String,
}

/// Finds the configuration for files in `dir` (absolute): the nearest `.agentlint.yaml` in it or
/// above it, stopping after the directory that holds `.git`.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    discover_cached(&mut HashMap::new(), dir)
}

/// Folder -> the project configuration found for it, keyed by the folder's bytes: hashing a
/// `Path` goes component by component, several times slower, and the folders asked about are
/// normalized, so equal bytes are equal paths.
pub(crate) type DiscoveryCache = HashMap<std::ffi::OsString, Option<PathBuf>>;

/// [`discover`], remembering the answer for `dir` and every directory passed on the way up,
/// so a tree of many folders is searched once, not once per folder and ancestor.
pub(crate) fn discover_cached(cache: &mut DiscoveryCache, dir: &Path) -> Option<PathBuf> {
    let mut visited = Vec::new();
    let mut current = Some(dir);
    let found = loop {
        let Some(here) = current else { break None };
        if let Some(found) = cache.get(here.as_os_str()) {
            break found.clone();
        }
        visited.push(here);
        let candidate = here.join(CONFIG_FILE_NAME);
        if candidate.is_file() {
            break Some(candidate);
        }
        if here.join(".git").exists() {
            break None;
        }
        current = here.parent();
    };
    for here in visited {
        cache.insert(here.as_os_str().to_owned(), found.clone());
    }
    found
}

/// A parsed project configuration, before its pack is known.
pub(crate) struct ProjectDraft {
    pub index: usize,
    pub root: Node,
    pub path: PathBuf,
    pub display: String,
    pub dir: PathBuf,
    /// The `policy` value and its span.
    pub policy: Option<(String, Span)>,
}

/// A glob as `ignore`, `include` and `exclude` use it: relative paths with `/`, `*` within one directory.
pub(crate) fn glob(pattern: &str) -> Result<GlobMatcher, globset::Error> {
    Ok(GlobBuilder::new(pattern).literal_separator(true).build()?.compile_matcher())
}

impl Resolver {
    pub(crate) fn load_project(&mut self, path: &Path) -> Option<ProjectDraft> {
        let trust = super::trust_root(path);
        // A configuration found by searching (not given with `--config`) is part of the
        // repository: a link from it to a file elsewhere is not followed.
        let named_on_command_line = self.config_arg.as_deref() == Some(path);
        if !named_on_command_line && !super::resolves_inside(&trust, path).unwrap_or(true) {
            let shown = self.display(path);
            self.usage.push(format!(
                "cannot read configuration `{shown}`: it is a link to a file outside the repository; \
                 pass the file with `--config` to use it"
            ));
            return None;
        }
        let text = self.read(path, None, "configuration")?;
        let display = self.display(path);
        let index = self.add_file(display.clone(), text, Some(trust));
        if self.files[index].errors > 0 {
            return None;
        }
        let root = self.files[index].root.clone();
        let file = &mut self.files[index];
        match &root.value {
            Value::Map(_) => {}
            // An empty file is a configuration with every default.
            Value::Null => {}
            _ => {
                file.report(
                    &INVALID_VALUE,
                    root.span,
                    format!("the project configuration must be a mapping, not {}", root.type_name()),
                    Some(format!("give it the keys {}", list(CONFIG_KEYS))),
                );
                file.forget_text();
                return None;
            }
        }
        check_keys(file, &root, CONFIG_KEYS, "a project configuration");
        let policy = root.get("policy").and_then(|n| expect_str(file, n, "`policy`").map(|s| (s.to_owned(), n.span)));
        let dir = path.parent().map_or_else(|| self.cwd.clone(), Path::to_owned);
        Some(ProjectDraft { index, root, path: path.to_owned(), display, dir, policy })
    }
}

/// Reads `ignore:`; entries with problems are reported and left out.
pub(crate) fn load_ignores(file: &mut PolicyFile, draft: &ProjectDraft, state: &RuleState) -> Vec<Arc<IgnoreEntry>> {
    let Some(node) = draft.root.get("ignore") else { return Vec::new() };
    let Some(items) = node.as_seq() else {
        if !matches!(node.value, Value::Null) {
            file.report(
                &INVALID_VALUE,
                node.span,
                format!("`ignore` must be a list of entries, not {}", node.type_name()),
                Some("write `ignore:` followed by `- {rule: AL104, path: agents/ci.json, reason: ...}` entries".into()),
            );
        }
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let before = file.error_count();
        if !super::pack::check_record(file, item, IGNORE_KEYS, IGNORE_REQUIRED, "an `ignore` entry", "`ignore` entry") {
            continue;
        }
        let mut text = |key: &str| item.get(key).and_then(|n| expect_str(file, n, &format!("`{key}`")).map(|s| (s, n)));
        let (rule, path, pointer, reason) = (text("rule"), text("path"), text("pointer"), text("reason"));
        let rule = rule.and_then(|(r, n)| match state.find(r) {
            Some(i) => Some(state.slots[i].meta),
            None => {
                let help = state.suggest(r).unwrap_or_else(|| "`agentlint rules` lists the rules".into());
                file.report(&INVALID_VALUE, n.span, format!("unknown rule `{r}`"), Some(help));
                None
            }
        });
        let matcher = path.and_then(|(p, n)| match glob(p) {
            Ok(m) => Some(m),
            Err(e) => {
                file.report(&INVALID_VALUE, n.span, format!("`path` is not a valid glob: {}", e.kind()), None);
                None
            }
        });
        if let Some((p, n)) = pointer
            && !p.is_empty()
            && !p.starts_with('/')
        {
            file.report(
                &INVALID_VALUE,
                n.span,
                format!("`pointer` must be a JSON pointer starting with `/`, not `{p}`"),
                Some(format!("write `/{p}`")),
            );
        }
        if let Some((r, n)) = reason
            && r.trim().is_empty()
        {
            file.report(
                &INVALID_VALUE,
                n.span,
                "`reason` is empty".into(),
                Some("say why the findings are acceptable".into()),
            );
        }
        if file.error_count() > before {
            continue;
        }
        let spec: IgnoreSpec = match serde_json::from_value(item.to_json()) {
            Ok(spec) => spec,
            Err(e) => {
                file.report(&INVALID_VALUE, item.span, format!("invalid `ignore` entry: {e}"), None);
                continue;
            }
        };
        let (Some(rule), Some(glob)) = (rule, matcher) else { continue };
        // Findings about the entry (AL007) point at its rule.
        let span = item.get("rule").map_or(item.span, |n| n.span);
        out.push(Arc::new(IgnoreEntry::new(
            rule,
            glob,
            spec.path,
            spec.pointer.filter(|p| !p.is_empty()),
            spec.reason.trim().to_owned(),
            draft.dir.clone(),
            draft.index,
            span,
        )));
    }
    out
}

/// Reads and checks `kinds:`: glob → kind.
pub(crate) fn load_kinds(file: &mut PolicyFile, draft: &ProjectDraft) -> Vec<(String, crate::kinds::FileKind)> {
    let Some(node) = draft.root.get("kinds") else { return Vec::new() };
    let Some(entries) = node.as_map() else {
        if !matches!(node.value, Value::Null) {
            file.report(
                &INVALID_VALUE,
                node.span,
                format!("`kinds` must be a mapping of globs to kinds, not {}", node.type_name()),
                Some("write e.g. `kinds: {\"config/claude/*.json\": settings}`".into()),
            );
        }
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries {
        let pattern = &entry.key.text;
        if let Err(e) = glob(pattern) {
            let message = format!("`{pattern}` is not a valid glob: {}", e.kind());
            file.report(&INVALID_VALUE, entry.key.span, message, None);
            continue;
        }
        let Some(kind) = expect_str(file, &entry.value, "a kind") else { continue };
        match crate::kinds::FileKind::parse(kind) {
            Ok(kind) => out.push((pattern.clone(), kind)),
            Err(message) => file.report(&INVALID_VALUE, entry.value.span, message, None),
        }
    }
    out
}

/// Reads and checks `include:` and `exclude:`.
pub(crate) fn load_globs(file: &mut PolicyFile, draft: &ProjectDraft) -> (Vec<String>, Vec<String>) {
    let mut read = |key: &str| -> Vec<String> {
        let Some(node) = draft.root.get(key) else { return Vec::new() };
        let Some(items) = node.as_seq() else {
            if !matches!(node.value, Value::Null) {
                file.report(
                    &INVALID_VALUE,
                    node.span,
                    format!("`{key}` must be a list of globs, not {}", node.type_name()),
                    Some(format!("write e.g. `{key}: [\"agents/**/*.yaml\"]`")),
                );
            }
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            let Some(pattern) = expect_str(file, item, &format!("a `{key}` entry")) else { continue };
            match glob(pattern) {
                Ok(_) => out.push(pattern.to_owned()),
                Err(e) => file.report(
                    &INVALID_VALUE,
                    item.span,
                    format!("`{pattern}` is not a valid glob: {}", e.kind()),
                    None,
                ),
            }
        }
        out
    };
    let include = read("include");
    let exclude = read("exclude");
    (include, exclude)
}

/// Reads `effective`, `user_settings` and `managed_settings`.
pub(crate) fn load_effective(file: &mut PolicyFile, draft: &ProjectDraft) -> (bool, Option<PathBuf>, Option<PathBuf>) {
    let effective = match draft.root.get("effective") {
        None => false,
        Some(Node { value: Value::Bool(b), .. }) => *b,
        Some(node) => {
            file.report(&INVALID_VALUE, node.span, "`effective` must be `true` or `false`".into(), None);
            false
        }
    };
    // The configuration is the repository's: like the packs it names, the settings files it
    // names must stay inside the repository; `--user-settings` on the command line may point anywhere.
    let root = file.trust_root.clone();
    let mut path = |key: &str| {
        let node = draft.root.get(key)?;
        let text = expect_str(file, node, &format!("`{key}`"))?;
        let path = super::normalize(&draft.dir.join(text));
        let outside = match &root {
            Some(root) => match super::resolves_inside(root, &path) {
                Ok(inside) => !inside,
                // A file that does not exist yet: judged by its path alone.
                Err(_) => {
                    use crate::effective::sources::absolute;
                    !absolute(&path).starts_with(absolute(root))
                }
            },
            None => false,
        };
        if outside {
            let flag = key.replace('_', "-");
            file.report(
                &INVALID_VALUE,
                node.span,
                format!(
                    "`{key}` names a file outside the repository, so the repository's configuration cannot name it"
                ),
                Some(format!("copy the file into the repository, or pass it with `--{flag}` on the command line")),
            );
            return None;
        }
        Some(path)
    };
    let user = path("user_settings");
    let managed = path("managed_settings");
    (effective, user, managed)
}
