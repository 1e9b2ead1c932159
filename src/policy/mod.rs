//! Policy as code: policy packs (built-in and a team's own), the project
//! configuration `.agentlint.yaml`, suppressions, and custom rules in CEL.
//!
//! A [`Resolver`] loads each pack and project configuration once per run and
//! builds one [`Policy`] (a configured [`Linter`]) per distinct project
//! configuration. Problems in policy files are findings in those files, at their
//! own lines; a run with any of them checks nothing and exits 2.

pub mod builtin;
pub mod cel;
mod cel_cost;
pub mod custom;
pub mod pack;
pub mod project;
pub mod schema;
pub mod select;
pub mod suppress;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::document::{self, Node, SourceFile, Span, Value};
use crate::lint::{Linter, RuleLevel};
use crate::report::{FileReport, Finding, Location, Severity};
use crate::rules::{INVALID_VALUE, ParamError, Rule, RuleMeta, SYNTAX_ERROR, UNKNOWN_KEY};

pub use pack::{RuleKind, RuleSlot, RuleState};
use project::discover_cached;
pub use project::{CONFIG_FILE_NAME, discover};
pub use select::Selection;
pub use suppress::IgnoreEntry;

/// A policy file read in this run (a pack or a project configuration) and the findings about it.
pub struct PolicyFile {
    pub source: SourceFile,
    /// The parsed tree (`Null` when it did not parse).
    pub root: Node,
    pub findings: Vec<Finding>,
    errors: usize,
    /// The directory the paths this file names must stay inside (see [`trust_root`]); `None`
    /// for built-in packs.
    trust_root: Option<PathBuf>,
}

impl PolicyFile {
    /// Reports a problem in this file (always an error: a policy must be exact). The same
    /// message at the same place is reported once, however many policies use the file.
    pub(crate) fn report(&mut self, meta: &'static RuleMeta, span: Span, message: String, help: Option<String>) {
        if self.findings.iter().any(|f| f.location.span == span && f.message == message) {
            return;
        }
        let location = Location::new(&self.source, Some(&self.root), span);
        let mut finding = Finding::new(meta, location, message).severity(Severity::Error);
        finding.help = help;
        self.findings.push(finding);
        self.errors += 1;
    }

    pub(crate) fn line_of(&self, span: Span) -> usize {
        self.source.lines.position(&self.source.text, span.start).0
    }

    pub(crate) fn error_count(&self) -> usize {
        self.errors
    }

    /// Drops the text of a file that is not a policy file after all (it did not parse, or its
    /// top level is not a mapping): its findings keep their line and column, but no output
    /// shows a snippet of it. It may be anything a repository points at.
    pub(crate) fn forget_text(&mut self) {
        let format = self.source.format;
        self.source = SourceFile::new(std::mem::take(&mut self.source.path), String::new(), format);
    }
}

/// The directory that the files a policy file names must stay inside: the repository holding
/// `path` (the nearest directory above it with a `.git`), or `path`'s own directory when it is
/// in no repository.
pub fn trust_root(path: &Path) -> PathBuf {
    let own = path.parent().map_or_else(|| PathBuf::from("."), Path::to_owned);
    let mut dir = own.clone();
    loop {
        if dir.join(".git").exists() {
            return dir;
        }
        if !dir.pop() || dir.as_os_str().is_empty() {
            return own;
        }
    }
}

/// Whether `path`, with every symbolic link resolved, lies inside `root`.
fn resolves_inside(root: &Path, path: &Path) -> std::io::Result<bool> {
    let root = std::fs::canonicalize(root)?;
    let target = std::fs::canonicalize(path)?;
    Ok(target.starts_with(root))
}

/// Where a pack is: a built-in name or a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackRef {
    Builtin(String),
    Path(String),
}

impl PackRef {
    /// A value with `/` (or `\`) or a `.yaml`, `.yml` or `.json` extension is a path; anything else a built-in name.
    pub fn parse(text: &str) -> Self {
        let lower = text.to_ascii_lowercase();
        if text.contains(['/', '\\']) || [".yaml", ".yml", ".json"].iter().any(|e| lower.ends_with(e)) {
            PackRef::Path(text.to_owned())
        } else {
            PackRef::Builtin(text.to_owned())
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum PackKey {
    Builtin(&'static str),
    File(PathBuf),
}

/// A pack with everything it extends applied.
pub struct ResolvedPack {
    pub name: String,
    pub description: String,
    /// Where it was read from: a path, or `<built-in>/NAME.yaml`.
    pub display: String,
    /// The packs it is made of, from the root of the `extends` chain to itself.
    pub chain: Vec<String>,
    pub state: RuleState,
    /// Its `tests:` and those of the packs it extends.
    pub tests: Vec<crate::effective::policy_tests::PolicyTest>,
}

/// The project configuration a policy was built with.
pub struct ProjectInfo {
    pub path: PathBuf,
    pub display: String,
    /// `include` / `exclude` globs for directory checks, relative to the configuration's directory.
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    /// `kinds` globs (relative to the configuration's directory) and the kinds they give.
    pub kinds: Vec<(String, crate::kinds::FileKind)>,
    /// `effective: true`: `check` also checks the effective sessions.
    pub effective: bool,
    /// `user_settings` / `managed_settings`: the files effective sessions read (absolute).
    pub user_settings: Option<PathBuf>,
    pub managed_settings: Option<PathBuf>,
}

/// A configured linter and what it was configured from.
pub struct Policy {
    pub linter: Linter,
    pub pack: Arc<ResolvedPack>,
    /// Every rule's effective setting (the pack with the project configuration's `rules` applied).
    pub state: RuleState,
    pub project: Option<ProjectInfo>,
    ignores: Vec<Arc<IgnoreEntry>>,
}

/// Loads packs and project configurations, once each per run.
pub struct Resolver {
    cwd: PathBuf,
    policy_arg: Option<PackRef>,
    config_arg: Option<PathBuf>,
    files: Vec<PolicyFile>,
    packs: HashMap<PackKey, Option<Arc<ResolvedPack>>>,
    /// The `extends` chain being loaded, for cycle detection.
    loading: Vec<PackKey>,
    policies: HashMap<Option<PathBuf>, Option<Arc<Policy>>>,
    discovered: project::DiscoveryCache,
    /// The folder [`Resolver::policy_for_file`] was last asked about and its answer: a
    /// directory check asks for its files in path order, so most files share their folder
    /// with the file before.
    last_folder: Option<(PathBuf, Option<Arc<Policy>>)>,
    /// Problems without a place in a policy file (an unreadable `--policy` file).
    usage: Vec<String>,
    /// `--no-config`: no project configuration is looked for.
    isolated: bool,
    /// `--select` / `--extend-select` / `--ignore`, applied on top of every policy.
    selection: Selection,
}

pub(crate) use crate::suggest::closest;

/// `a/./b/../c` → `a/c`, without touching the filesystem.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                // `..` above the root is the root, as the filesystem has it.
                if !out.pop() && !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

impl Resolver {
    /// `policy`: the `--policy` value; `config`: the `--config` value. Fails on a `--policy`
    /// name that is not built in, and on a `--config` or `--policy` path that does not exist.
    pub fn new(policy: Option<&str>, config: Option<&str>) -> Result<Self, String> {
        let cwd = std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
        let policy_arg = policy.map(PackRef::parse);
        match &policy_arg {
            Some(PackRef::Builtin(name)) if builtin::find(name).is_none() => {
                return Err(unknown_builtin(name) + "; a pack file's path must contain `/` or end in `.yaml`");
            }
            Some(PackRef::Path(path)) if !Path::new(path).is_file() => {
                return Err(format!("cannot read policy `{path}`: {}", missing_or_special(path)));
            }
            _ => {}
        }
        let config_arg = match config {
            Some(path) if !Path::new(path).is_file() => {
                return Err(format!("cannot read configuration `{path}`: {}", missing_or_special(path)));
            }
            Some(path) => Some(normalize(&cwd.join(path))),
            None => None,
        };
        Ok(Self {
            cwd,
            policy_arg,
            config_arg,
            files: Vec::new(),
            packs: HashMap::new(),
            loading: Vec::new(),
            policies: HashMap::new(),
            discovered: HashMap::new(),
            last_folder: None,
            usage: Vec::new(),
            isolated: false,
            selection: Selection::default(),
        })
    }

    /// `--no-config`: use the policy pack alone, without any `.agentlint.yaml`.
    pub fn isolated(mut self, isolated: bool) -> Self {
        self.isolated = isolated;
        self
    }

    /// `--select` / `--extend-select` / `--ignore`: applied after the policy's own settings.
    pub fn with_selection(mut self, selection: Selection) -> Self {
        self.selection = selection;
        self
    }

    /// The policy for a checked file (by the path it is shown as): the project configuration
    /// found from the file's directory, or `--config`. `None` when a policy file has errors.
    pub fn policy_for_file(&mut self, path: &str) -> Option<Arc<Policy>> {
        let parent = Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        if let Some((folder, policy)) = &self.last_folder
            && folder == parent
        {
            return policy.clone();
        }
        let policy = self.policy_for_dir(parent);
        self.last_folder = Some((parent.to_path_buf(), policy.clone()));
        policy
    }

    /// The policy for files in `dir` (relative to the current directory, or absolute).
    pub fn policy_for_dir(&mut self, dir: &Path) -> Option<Arc<Policy>> {
        let dir = normalize(&self.cwd.join(dir));
        let dir = dir.as_path();
        let config = match &self.config_arg {
            Some(c) => Some(c.clone()),
            None if self.isolated => None,
            None => discover_cached(&mut self.discovered, dir),
        };
        if let Some(policy) = self.policies.get(&config) {
            return policy.clone();
        }
        let policy = self.build_policy(config.as_deref()).map(Arc::new);
        self.policies.insert(config, policy.clone());
        policy
    }

    /// True when a policy file has a problem: report [`Resolver::into_reports`] and exit 2.
    pub fn has_errors(&self) -> bool {
        !self.usage.is_empty() || self.files.iter().any(|f| f.errors > 0)
    }

    /// Problems that have no place in a file (printed as `agentlint: error: ...`).
    pub fn usage_errors(&self) -> &[String] {
        &self.usage
    }

    /// Loads one pack by name or path (relative to the current directory) and checks its
    /// parameters, for `agentlint policy show`.
    pub fn pack(&mut self, name: &str) -> Option<Arc<ResolvedPack>> {
        let reference = PackRef::parse(name);
        if let PackRef::Builtin(n) = &reference
            && builtin::find(n).is_none()
        {
            self.usage.push(unknown_builtin(n));
            return None;
        }
        let cwd = self.cwd.clone();
        let pack = self.load_pack(reference, &cwd, None)?;
        let state = pack.state.clone();
        self.build_linter(&state)?;
        Some(pack)
    }

    /// Reports `ignore` entries of project configurations that matched checked files but
    /// silenced nothing (AL007), then returns every policy file that has findings.
    pub fn into_reports(mut self) -> Vec<FileReport> {
        let mut unused: Vec<(usize, Finding)> = Vec::new();
        for policy in self.policies.values().flatten() {
            let level = policy.linter.level(suppress::UNUSED.id);
            for entry in &policy.ignores {
                if !entry.matched() || entry.used() || level == RuleLevel::Off {
                    continue;
                }
                let file = &self.files[entry.config_file];
                let location = Location::new(&file.source, Some(&file.root), entry.span);
                let mut f = Finding::new(
                    &suppress::UNUSED,
                    location,
                    format!(
                        "`ignore` entry for {} on `{}` silenced nothing in the files checked",
                        entry.rule.id, entry.path
                    ),
                )
                .help("delete the entry, or correct its `rule`, `path` or `pointer`");
                if let RuleLevel::Fixed(s) = level {
                    f.severity = s;
                }
                unused.push((entry.config_file, f));
            }
        }
        for (file, finding) in unused {
            self.files[file].findings.push(finding);
        }
        // Custom rules stopped for using up their evaluation budget, at their `assert`.
        let mut stopped: Vec<&Arc<custom::CustomRule>> = Vec::new();
        for policy in self.policies.values().flatten() {
            for rule in policy.state.custom_rules() {
                if rule.exhausted.get().is_some() && !stopped.iter().any(|r| Arc::ptr_eq(r, rule)) {
                    stopped.push(rule);
                }
            }
        }
        let stopped: Vec<(usize, Span, &'static RuleMeta, String)> = stopped
            .into_iter()
            .filter_map(|r| Some((r.origin?.0, r.origin?.1, r.meta, r.exhausted.get()?.clone())))
            .collect();
        for (file, span, meta, message) in stopped {
            let help = "simplify its `assert`: each comprehension nested in another multiplies the work, \
                        and each `map()` nested in another multiplies the size of the result";
            self.files[file].report(meta, span, message, Some(help.into()));
        }
        self.files
            .into_iter()
            .filter(|f| !f.findings.is_empty())
            .map(|mut f| {
                f.findings.sort_by_key(|x| (x.location.span.start, x.location.span.end));
                FileReport { source: f.source, kind: None, findings: f.findings, redactions: Vec::new() }
            })
            .collect()
    }

    fn display(&self, path: &Path) -> String {
        let shown = path.strip_prefix(&self.cwd).unwrap_or(path);
        shown.to_string_lossy().replace('\\', "/")
    }

    /// Reads and parses a policy file; a syntax error is reported in it (with its line and
    /// column, without its text). Returns its index.
    fn add_file(&mut self, display: String, text: String, trust_root: Option<PathBuf>) -> usize {
        let format = document::Format::from_path(&display);
        let source = SourceFile::new(display, text, format);
        let parsed = source.parse();
        let root = parsed.as_ref().map_or_else(|_| Node::new(Value::Null, Span::default()), Clone::clone);
        let mut file = PolicyFile { source, root, findings: Vec::new(), errors: 0, trust_root };
        if let Err(e) = parsed {
            file.report(&SYNTAX_ERROR, e.span, e.message, None);
            file.forget_text();
        }
        self.files.push(file);
        self.files.len() - 1
    }

    fn report_at(&mut self, at: Option<(usize, Span)>, meta: &'static RuleMeta, message: String, help: Option<String>) {
        match at {
            Some((file, span)) => self.files[file].report(meta, span, message, help),
            None => self.usage.push(message),
        }
    }

    /// Reads a file for a pack or configuration; problems are reported at `at` (the `extends`
    /// or `policy` value that names it) or as usage errors. Only regular files are read (a
    /// FIFO would block, a device never end), and at most [`document::MAX_FILE_BYTES`].
    fn read(&mut self, path: &Path, at: Option<(usize, Span)>, what: &str) -> Option<String> {
        let shown = self.display(path);
        let bytes = match document::read_regular_file(path) {
            Ok(b) => b,
            Err(e) => {
                self.report_at(at, &INVALID_VALUE, format!("cannot read {what} `{shown}`: {e}"), None);
                return None;
            }
        };
        match document::decode(bytes) {
            Ok(text) => Some(text),
            Err((message, _)) => {
                self.report_at(at, &INVALID_VALUE, format!("cannot read {what} `{shown}`: {message}"), None);
                None
            }
        }
    }

    /// Loads a pack and what it extends (cached per pack). `base` is the directory relative
    /// paths start from; `at` is where the reference was written.
    fn load_pack(&mut self, reference: PackRef, base: &Path, at: Option<(usize, Span)>) -> Option<Arc<ResolvedPack>> {
        let (key, display) = match &reference {
            PackRef::Builtin(name) => match builtin::find(name) {
                Some(b) => (PackKey::Builtin(b.name), builtin::display_path(b.name)),
                None => {
                    let names: Vec<&str> = builtin::BUILTIN_PACKS.iter().map(|b| b.name).collect();
                    let prefix = names.iter().copied().find(|n| !name.is_empty() && n.starts_with(name.as_str()));
                    let help = prefix
                        .or_else(|| closest(name, &names))
                        .map(|c| format!("did you mean `{c}`?"))
                        .unwrap_or_else(|| {
                            "a path to a pack file must contain `/` or end in `.yaml`, e.g. `./team.yaml`".into()
                        });
                    self.report_at(at, &INVALID_VALUE, unknown_builtin(name), Some(help));
                    return None;
                }
            },
            PackRef::Path(path) => {
                let abs = normalize(&base.join(path));
                let display = self.display(&abs);
                (PackKey::File(abs), display)
            }
        };
        // A pack named in a policy file may only be a file inside that file's repository;
        // only `--policy` on the command line may point elsewhere.
        let named_in = at.and_then(|(file, _)| self.files[file].trust_root.clone());
        if let (PackKey::File(path), Some(root)) = (&key, &named_in) {
            match resolves_inside(root, path) {
                Ok(true) => {}
                Ok(false) => {
                    let message =
                        format!("`{display}` is outside the repository, so a policy file in it cannot name it");
                    let help = "copy the pack into the repository, or pass it with `--policy` on the command line";
                    self.report_at(at, &INVALID_VALUE, message, Some(help.into()));
                    return None;
                }
                Err(e) => {
                    self.report_at(at, &INVALID_VALUE, format!("cannot read policy `{display}`: {e}"), None);
                    return None;
                }
            }
        }
        if let Some(cached) = self.packs.get(&key) {
            return cached.clone();
        }
        if self.loading.contains(&key) {
            let mut cycle: Vec<String> = self.loading.iter().map(|k| self.key_display(k)).collect();
            cycle.push(display);
            self.report_at(
                at,
                &INVALID_VALUE,
                format!("`extends` forms a cycle: {}", cycle.join(" → ")),
                Some("a pack cannot extend itself, directly or through other packs".into()),
            );
            return None;
        }
        let text = match &key {
            PackKey::Builtin(name) => builtin::find(name).map(|b| b.source.to_owned()),
            PackKey::File(path) => {
                let path = path.clone();
                self.read(&path, at, "policy")
            }
        }?;
        let dir = match &key {
            PackKey::File(path) => path.parent().map_or_else(|| self.cwd.clone(), Path::to_owned),
            PackKey::Builtin(_) => self.cwd.clone(),
        };
        let trust = match &key {
            PackKey::File(path) => Some(named_in.unwrap_or_else(|| trust_root(path))),
            PackKey::Builtin(_) => None,
        };
        self.loading.push(key.clone());
        let pack = self.parse_pack(display, text, &dir, &key, trust).map(Arc::new);
        self.loading.pop();
        self.packs.insert(key, pack.clone());
        pack
    }

    fn key_display(&self, key: &PackKey) -> String {
        match key {
            PackKey::Builtin(name) => builtin::display_path(name),
            PackKey::File(path) => self.display(path),
        }
    }

    fn parse_pack(
        &mut self,
        display: String,
        text: String,
        dir: &Path,
        key: &PackKey,
        trust_root: Option<PathBuf>,
    ) -> Option<ResolvedPack> {
        let index = self.add_file(display.clone(), text, trust_root);
        if self.files[index].errors > 0 {
            return None;
        }
        let root = self.files[index].root.clone();
        if root.as_map().is_none() {
            self.files[index].report(
                &INVALID_VALUE,
                root.span,
                format!("a policy pack must be a mapping, not {}", root.type_name()),
                Some(format!("give it the keys {}", pack::list(pack::PACK_KEYS))),
            );
            self.files[index].forget_text();
            return None;
        }
        pack::check_keys(&mut self.files[index], &root, pack::PACK_KEYS, "a policy pack");
        let default_name = match key {
            PackKey::Builtin(name) => (*name).to_owned(),
            PackKey::File(path) => path.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned()),
        };
        let text_of = |resolver: &mut Self, key: &str| {
            root.get(key)
                .and_then(|n| pack::expect_str(&mut resolver.files[index], n, &format!("`{key}`")).map(str::to_owned))
        };
        let name = text_of(self, "name").unwrap_or(default_name);
        let description = text_of(self, "description").unwrap_or_default();
        let mut parent_failed = false;
        let parent = match root.get("extends") {
            Some(node) => match pack::expect_str(&mut self.files[index], node, "`extends`") {
                Some(target) => {
                    let parent = self.load_pack(PackRef::parse(target), dir, Some((index, node.span)));
                    parent_failed = parent.is_none();
                    parent
                }
                None => None,
            },
            None => None,
        };
        let mut state = parent.as_ref().map_or_else(RuleState::base, |p| p.state.clone());
        if let Some(list) = root.get("custom") {
            custom::load_custom(&mut self.files[index], index, list, &display, &mut state);
        }
        if let Some(rules) = root.get("rules") {
            pack::apply_rules(&mut self.files[index], index, rules, &mut state);
        }
        let mut tests = parent.as_ref().map(|p| p.tests.clone()).unwrap_or_default();
        if let Some(list) = root.get("tests") {
            tests.extend(crate::effective::policy_tests::load(&mut self.files[index], list));
        }
        self.check_params(&state, index);
        if parent_failed || self.files[index].errors > 0 {
            return None;
        }
        let mut chain = parent.as_ref().map(|p| p.chain.clone()).unwrap_or_default();
        chain.push(name.clone());
        Some(ResolvedPack { name, description, display, chain, state, tests })
    }

    fn build_policy(&mut self, config: Option<&Path>) -> Option<Policy> {
        let draft = match config {
            Some(path) => Some(self.load_project(path)?),
            None => None,
        };
        let cwd = self.cwd.clone();
        let pack = match (&self.policy_arg, &draft) {
            (Some(arg), _) => self.load_pack(arg.clone(), &cwd, None),
            (None, Some(d)) if d.policy.is_some() => {
                let (target, span) = d.policy.clone()?;
                self.load_pack(PackRef::parse(&target), &d.dir, Some((d.index, span)))
            }
            _ => self.load_pack(PackRef::Builtin(builtin::DEFAULT_PACK.into()), &cwd, None),
        };
        let mut state = pack.as_ref().map_or_else(RuleState::base, |p| p.state.clone());
        let mut ignores = Vec::new();
        let mut project = None;
        if let Some(d) = &draft {
            if let Some(rules) = d.root.get("rules") {
                pack::apply_rules(&mut self.files[d.index], d.index, rules, &mut state);
            }
            self.check_params(&state, d.index);
            ignores = project::load_ignores(&mut self.files[d.index], d, &state);
            let (include, exclude) = project::load_globs(&mut self.files[d.index], d);
            let kinds = project::load_kinds(&mut self.files[d.index], d);
            let (effective, user_settings, managed_settings) = project::load_effective(&mut self.files[d.index], d);
            project = Some(ProjectInfo {
                path: d.path.clone(),
                display: d.display.clone(),
                include,
                exclude,
                kinds,
                effective,
                user_settings,
                managed_settings,
            });
            if self.files[d.index].errors > 0 {
                return None;
            }
        }
        let pack = pack?;
        if let Err(message) = self.selection.apply(&mut state) {
            if !self.usage.contains(&message) {
                self.usage.push(message);
            }
            return None;
        }
        let linter = self.build_linter(&state)?.with_ignores(ignores.clone());
        Some(Policy { linter, pack, state, project, ignores })
    }

    /// Builds every rule with its parameters; bad parameters are reported where they were written.
    fn build_linter(&mut self, state: &RuleState) -> Option<Linter> {
        let mut rules: Vec<Box<dyn Rule>> = Vec::with_capacity(state.slots.len());
        let mut levels = HashMap::new();
        let mut ok = true;
        for slot in &state.slots {
            levels.insert(slot.meta.id, slot.level);
            let built: Result<Box<dyn Rule>, ParamError> = match &slot.kind {
                RuleKind::Builtin(entry) => (entry.build)(&slot.params_json()),
                RuleKind::Custom(rule) => Ok(Box::new(Arc::clone(rule))),
            };
            match built {
                Ok(rule) => rules.push(rule),
                Err(e) => {
                    ok = false;
                    self.param_error(slot, e);
                }
            }
        }
        ok.then(|| Linter::new(rules, levels))
    }

    /// Builds the rules whose parameters are written in `file`, so their problems are reported
    /// together with the file's other problems.
    fn check_params(&mut self, state: &RuleState, file: usize) {
        for slot in &state.slots {
            if let RuleKind::Builtin(entry) = &slot.kind
                && slot.params.values().any(|p| p.file == file)
                && let Err(e) = (entry.build)(&slot.params_json())
            {
                self.param_error(slot, e);
            }
        }
    }

    fn param_error(&mut self, slot: &RuleSlot, err: ParamError) {
        let meta = slot.meta;
        let mut tokens = err.pointer.strip_prefix('/').map(|p| p.splitn(2, '/'));
        let first = tokens.as_mut().and_then(Iterator::next).map(|t| crate::document::pointer_token(t).into_owned());
        let rest = tokens.as_mut().and_then(Iterator::next).map(|r| format!("/{r}")).unwrap_or_default();
        match first.as_ref().and_then(|f| slot.params.get(f).map(|p| (f, p))) {
            Some((name, param)) => {
                let file = &mut self.files[param.file];
                if err.message.starts_with("unknown field") {
                    let expected = expected_names(&err.message);
                    let help = match closest(name, &expected.iter().map(String::as_str).collect::<Vec<_>>()) {
                        Some(c) => format!("did you mean `{c}`? `agentlint explain {}` lists its parameters", meta.id),
                        None if expected.is_empty() => format!("{} takes no parameters", meta.id),
                        None => format!(
                            "its parameters: {}",
                            expected.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", ")
                        ),
                    };
                    file.report(
                        &UNKNOWN_KEY,
                        param.key,
                        format!("{} ({}) has no parameter `{name}`", meta.id, meta.name),
                        Some(help),
                    );
                } else {
                    let span = param.value.pointer(&rest).map_or(param.value.span, |t| t.node.span);
                    file.report(
                        &INVALID_VALUE,
                        span,
                        format!("invalid parameter `{name}` of {} ({}): {}", meta.id, meta.name, err.message),
                        Some(format!("`agentlint explain {}` describes its parameters", meta.id)),
                    );
                }
            }
            None => match slot.configured_at {
                Some((file, span)) => self.files[file].report(
                    &INVALID_VALUE,
                    span,
                    format!("invalid parameters of {} ({}): {}", meta.id, meta.name, err.message),
                    Some(format!("`agentlint explain {}` describes its parameters", meta.id)),
                ),
                None => self.usage.push(format!("the default parameters of {} are rejected: {}", meta.id, err.message)),
            },
        }
    }
}

/// Why a path given on the command line is not a file that can be read as a policy.
fn missing_or_special(path: &str) -> &'static str {
    if Path::new(path).exists() { "not a regular file" } else { "no such file" }
}

/// The parameter names in a serde "unknown field `x`, expected `a`, `b`" message.
fn expected_names(message: &str) -> Vec<String> {
    let Some((_, expected)) = message.split_once("expected") else { return Vec::new() };
    expected.split('`').skip(1).step_by(2).map(str::to_owned).collect()
}

fn unknown_builtin(name: &str) -> String {
    format!("unknown policy `{name}`; the built-in policies are {}", builtin::names())
}

impl Policy {
    /// The project configuration's directory and its `include` / `exclude` / `kinds` globs,
    /// for directory checks.
    pub fn file_filters(&self) -> Option<(&Path, crate::discover::Selection<'_>)> {
        let p = self.project.as_ref()?;
        let selection = crate::discover::Selection { include: &p.include, exclude: &p.exclude, kinds: &p.kinds };
        Some((p.path.parent()?, selection))
    }

    /// The kind the project configuration's `kinds:` globs give `path`, if any.
    pub fn kind_of(&self, path: &str) -> Option<crate::kinds::FileKind> {
        let p = self.project.as_ref()?;
        let base = p.path.parent()?;
        let absolute = std::path::absolute(path).ok()?;
        let rel = absolute.strip_prefix(std::path::absolute(base).ok()?).ok()?;
        let rel = rel.to_string_lossy().replace('\\', "/");
        p.kinds
            .iter()
            .find(|(pattern, _)| crate::discover::glob_matcher(pattern).is_ok_and(|g| g.is_match(&rel)))
            .map(|(_, kind)| kind.scoped_by(path))
    }
}

/// `agentlint rules`: id, name, the severity the policy gives (`off` when it turns the rule
/// off), the kinds of file it runs on, summary; custom rules after the catalogue.
pub fn rules_table(state: &RuleState) -> String {
    let name_width = state.slots.iter().map(|s| s.meta.name.len()).max().unwrap_or(0);
    let id_width = state.slots.iter().map(|s| s.meta.id.len()).max().unwrap_or(0);
    let kinds: Vec<String> = state.slots.iter().map(|s| crate::rules::docs::kinds(s.meta)).collect();
    let kinds_width = kinds.iter().map(String::len).max().unwrap_or(0);
    let mut out = String::new();
    for (slot, kinds) in state.slots.iter().zip(&kinds) {
        let level = slot.effective().map_or("off", Severity::as_str);
        let m = slot.meta;
        let _ = writeln!(
            out,
            "{:<id_width$}  {:<name_width$}  {level:<7}  {kinds:<kinds_width$}  {}",
            m.id, m.name, m.summary
        );
    }
    out
}

/// `agentlint policies`: name, what it extends, description.
pub fn packs_table(packs: &[Arc<ResolvedPack>]) -> String {
    let width = packs.iter().map(|p| p.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for p in packs {
        let extends = match p.chain.split_last() {
            Some((_, [.., parent])) => format!(" (extends {parent})"),
            _ => String::new(),
        };
        let _ = writeln!(out, "{:<width$}  {}{extends}", p.name, p.description);
    }
    out
}

/// A JSON value as a YAML flow value with spaces after commas: `["a", "b"]`, `{k: 1}`.
fn flow(value: &serde_json::Value) -> String {
    use serde_json::Value as J;
    match value {
        J::Array(items) => format!("[{}]", items.iter().map(flow).collect::<Vec<_>>().join(", ")),
        J::Object(map) => {
            let entries: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", serde_json::to_string(k).unwrap_or_default(), flow(v)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// `agentlint policy show`: the pack with its `extends` applied, as a pack file that needs
/// no `extends` (every rule listed with its effective setting).
pub fn render_pack(pack: &ResolvedPack) -> String {
    let json = |s: &str| serde_json::to_string(s).expect("strings serialize");
    let mut out = String::new();
    let _ =
        writeln!(out, "# agentlint policy `{}` from {}, resolved: {}", pack.name, pack.display, pack.chain.join(" → "));
    let _ = writeln!(out, "name: {}", json(&pack.name));
    let _ = writeln!(out, "description: {}", json(&pack.description));
    let _ = writeln!(out, "rules:");
    for slot in &pack.state.slots {
        let level = match slot.level {
            RuleLevel::Off => "off",
            RuleLevel::Default => slot.meta.severity.as_str(),
            RuleLevel::Fixed(s) => s.as_str(),
        };
        let setting = if slot.params.is_empty() {
            level.to_owned()
        } else {
            let params: Vec<String> = slot
                .params
                .iter()
                .map(|(k, p)| {
                    let plain = k.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                    let key = if plain { k.clone() } else { json(k) };
                    format!("{key}: {}", flow(&p.value.to_json()))
                })
                .collect();
            format!("{{severity: {level}, {}}}", params.join(", "))
        };
        let _ = writeln!(out, "  {}: {setting}  # {}", slot.meta.id, slot.meta.name);
    }
    let customs: Vec<_> = pack.state.custom_rules().collect();
    if customs.is_empty() {
        let _ = writeln!(out, "custom: []");
    } else {
        let _ = writeln!(out, "custom:");
        for c in customs {
            let _ = writeln!(out, "  - id: {}", json(c.meta.id));
            let _ = writeln!(out, "    name: {}", json(c.meta.name));
            let _ = writeln!(out, "    severity: {}", c.meta.severity);
            let _ = writeln!(out, "    message: {}", json(&c.message));
            if let Some(help) = &c.help {
                let _ = writeln!(out, "    help: {}", json(help));
            }
            if let Some(pointer) = &c.pointer {
                let _ = writeln!(out, "    pointer: {}", json(pointer));
            }
            let _ = writeln!(out, "    assert: {}", json(c.assertion.source()));
        }
    }
    out
}
