//! The effective session: what an agent actually runs with, and where each part came from.
//!
//! An agent's permissions are never the content of one file. A session is made of *layers*,
//! highest precedence first (settings-schema.md §3.1): managed settings, the command line (a
//! deployment config's options as `agentlint args` passes them, and its `settings`), local,
//! project and user settings, plus the project's `.mcp.json`. [`resolve`] finds the layers,
//! reads each with its kind's front end ([`crate::kinds::load`]), and [`merge`] combines their
//! shared options ([`crate::config::Agent::tree`]): lists merge, scalars take the highest layer,
//! managed locks hold, and the project's `allow` rules and `additionalDirectories` wait for
//! workspace trust.
//!
//! Provenance: every layer's tree is moved into one span space, file after file (the file's
//! offset is its `base`), so a span anywhere in the merged tree names its file and its place in
//! it: [`Session::locate`] turns it back into that file's line and column. The same span space
//! lets the rules run on the merged session unchanged ([`check`]).
//!
//! What is read: the files a session's directory holds (`.claude/settings.json`,
//! `.claude/settings.local.json`, `.mcp.json`), a `settings` file the deployment config names,
//! and user and managed settings only where given (`--user-settings`, `--managed-settings`, or
//! `.agentlint.yaml`), never the machine's own. Every file found through the repository must
//! resolve inside the repository root, be a regular file and respect
//! [`crate::document::MAX_FILE_BYTES`].

pub mod check;
pub(crate) mod commands;
pub mod json;
pub mod matcher;
pub mod merge;
pub mod policy_tests;
pub mod render;
pub(crate) mod sources;

use std::path::{Path, PathBuf};

use crate::config::{LoadedConfig, PermissionMode, SettingSource};
use crate::document::{Node, Span, Value};
use crate::kinds::{FileKind, Kind, Scope};
use crate::report::{Finding, Location};

pub use merge::{Entry, Merged, Status};
pub use sources::Given;

/// Where a layer sits in the precedence order; the variants are in that order, highest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    Managed,
    CommandLine,
    Local,
    Project,
    User,
}

impl Origin {
    /// `managed`, `command line`, …, for people.
    pub fn name(self) -> &'static str {
        match self {
            Origin::Managed => "managed",
            Origin::CommandLine => "command line",
            Origin::Local => "local",
            Origin::Project => "project",
            Origin::User => "user",
        }
    }

    /// `managed`, `command-line`, …, in the JSON contract.
    pub fn id(self) -> &'static str {
        match self {
            Origin::CommandLine => "command-line",
            other => other.name(),
        }
    }
}

/// What a layer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A deployment config's agent: its options are the command line.
    Deployment,
    /// A Claude Code settings file.
    Settings,
    /// The inline `settings` mapping of a deployment config (`--settings` JSON).
    InlineSettings,
    /// The project's `.mcp.json`.
    Mcp,
}

/// A file read for a session.
#[derive(Debug)]
pub struct SessionFile {
    pub config: LoadedConfig,
    /// Where the file's text starts in the session's span space.
    pub base: usize,
    /// The absolute path, for matching reports of the same file.
    pub absolute: PathBuf,
}

impl SessionFile {
    fn end(&self) -> usize {
        self.base + self.config.source.text.len()
    }
}

/// One layer of a session.
#[derive(Debug)]
pub struct Layer {
    pub origin: Origin,
    pub role: Role,
    /// Index into [`Session::files`].
    pub file: usize,
    /// The shared options under canonical names, in the session's span space.
    pub tree: Node,
    /// The settings as the file writes them (for keys the shared model does not have: managed
    /// locks, `disableAllHooks`, `apiKeyHelper`), in the session's span space.
    pub settings: Option<Node>,
    /// Why the layer is part of the session.
    pub reason: String,
    /// What pulled it in (a `setting_sources` entry, the `settings` option), in the span space.
    pub pulled_by: Option<Span>,
}

impl Layer {
    /// `project settings`, `managed settings`, `the deployment config`, `project MCP servers`.
    pub fn describe(&self) -> String {
        match self.role {
            Role::Deployment => "the deployment config".into(),
            Role::InlineSettings => "the deployment config's `settings`".into(),
            Role::Mcp => format!("{} MCP servers", self.origin.name()),
            Role::Settings if self.origin == Origin::CommandLine => "the `settings` file".into(),
            Role::Settings => format!("{} settings", self.origin.name()),
        }
    }
}

/// A layer that could have been part of the session but was not read, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub origin: Origin,
    pub what: String,
    pub why: String,
}

/// A resolved session: its files, layers and merged options.
#[derive(Debug)]
pub struct Session {
    /// `agent `ci` of agentlint.yaml`, `claude in fixtures/app`.
    pub title: String,
    /// The agent's name in a several-agent deployment config.
    pub agent: Option<String>,
    /// Index of the deployment config's layer, for an SDK session.
    pub deployment: Option<usize>,
    /// Where the deployment config names the agent (its key, or the file's first key), in the
    /// session's span space.
    pub anchor: Option<Span>,
    /// The directory the session runs in (absolute), and as shown.
    pub dir: PathBuf,
    pub dir_shown: String,
    /// The repository root (absolute): the nearest directory above `dir` that holds `.git`.
    pub root: PathBuf,
    pub files: Vec<SessionFile>,
    /// Highest precedence first.
    pub layers: Vec<Layer>,
    pub skipped: Vec<Skipped>,
    /// Assumptions and facts a reader needs (SDK defaults, version differences).
    pub notes: Vec<String>,
    /// Answer as in a trusted folder (`--trusted`); print-mode and SDK sessions are not.
    pub trusted: bool,
    /// The merged options, with project allow rules applied as `trusted` says.
    pub merged: Merged,
}

/// Where a value came from: a file, a place in it, and the layer's origin.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    pub file: &'a str,
    pub location: Location,
    pub layer: &'a Layer,
}

impl Session {
    /// The file a span of the session's span space points into, and the span within it.
    pub fn file_of(&self, span: Span) -> Option<(usize, Span)> {
        let i = self.files.iter().rposition(|f| f.base <= span.start && span.start <= f.end())?;
        let f = &self.files[i];
        let end = span.end.clamp(span.start, f.end());
        Some((i, Span::new(span.start - f.base, end - f.base)))
    }

    /// File and line/column of a span of the session's span space.
    pub fn locate(&self, span: Span) -> Option<(&str, Location)> {
        let (i, local) = self.file_of(span)?;
        let config = &self.files[i].config;
        Some((config.source.path.as_str(), Location::new(&config.source, Some(&config.root), local)))
    }

    /// Where an entry of the merged result came from.
    pub fn source(&self, entry: &Entry) -> Option<Source<'_>> {
        let (file, location) = self.locate(entry.node.span)?;
        Some(Source { file, location, layer: &self.layers[entry.layer] })
    }

    /// `file:line:column`.
    pub fn at(&self, span: Span) -> String {
        self.locate(span).map(|(f, l)| format!("{f}:{}:{}", l.line, l.column)).unwrap_or_default()
    }

    /// The merged options again, for another trust setting.
    pub fn merge(&self, trusted: bool) -> Merged {
        merge::merge(self, trusted)
    }

    /// The permission mode the session starts in, the entry that sets it (`None`: nobody does,
    /// so `default`), as the merged result says.
    pub fn mode(&self, merged: &Merged) -> (PermissionMode, Option<usize>) {
        merged.mode()
    }

    /// The concatenated text of every file: the span space the merged tree lives in.
    pub(crate) fn text(&self) -> String {
        let mut text = String::new();
        for f in &self.files {
            while text.len() < f.base {
                text.push('\n');
            }
            text.push_str(&f.config.source.text);
        }
        text
    }

    fn add_file(&mut self, config: LoadedConfig, absolute: PathBuf) -> usize {
        let base = self.files.last().map_or(0, |f| f.end() + 1);
        self.files.push(SessionFile { config, base, absolute });
        self.files.len() - 1
    }

    fn add_layer(&mut self, layer: Layer) {
        self.layers.push(layer);
    }
}

/// What to resolve.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// A deployment config, or a directory (plain `claude` run there).
    pub path: String,
    /// The agent of a several-agent deployment config.
    pub agent: Option<String>,
    /// Every agent of the deployment config (`check --effective`) instead of one.
    pub all_agents: bool,
    pub user: Option<Given>,
    pub managed: Option<Given>,
    pub trusted: bool,
}

/// Resolves the sessions a request names: one for a directory or an agent, every agent with
/// `all_agents`.
///
/// # Errors
///
/// A message when the target cannot be read, does not parse, or names no single agent.
pub fn resolve(request: &Request) -> Result<Vec<Session>, String> {
    let path = Path::new(&request.path);
    if path.is_dir() {
        return Ok(vec![directory_session(request, path)?]);
    }
    let absolute = sources::absolute(path);
    let bytes = sources::read_target(path)?;
    let kind = crate::kinds::detect(&request.path).unwrap_or(FileKind::DEPLOYMENT);
    if kind.kind != Kind::Deployment {
        return Err(format!(
            "`{}` is a {} file; give a deployment config, or the directory to run `claude` in",
            request.path,
            kind.spelled()
        ));
    }
    let (config, _) = crate::kinds::load(&request.path, bytes, FileKind::DEPLOYMENT);
    if !config.parsed || config.agents.is_empty() {
        return Err(format!("`{}` has no agent to resolve; `agentlint check {}` says why", request.path, request.path));
    }
    let names: Vec<Option<String>> = config.agents.iter().map(|a| a.name.clone()).collect();
    let chosen: Vec<usize> = match (&request.agent, request.all_agents) {
        (Some(name), _) => match names.iter().position(|n| n.as_deref() == Some(name.as_str())) {
            Some(i) => vec![i],
            None => {
                let list: Vec<&str> = names.iter().flatten().map(String::as_str).collect();
                let hint =
                    crate::suggest::closest(name, &list).map(|c| format!("; did you mean `{c}`?")).unwrap_or_default();
                return Err(if list.is_empty() {
                    format!("`{}` describes one agent; leave out --agent", request.path)
                } else {
                    format!("`{}` has no agent `{name}` (agents: {}){hint}", request.path, list.join(", "))
                });
            }
        },
        (None, true) => (0..names.len()).collect(),
        (None, false) if names.len() == 1 => vec![0],
        (None, false) => {
            let list: Vec<&str> = names.iter().flatten().map(String::as_str).collect();
            return Err(format!(
                "`{}` has several agents; choose one with --agent ({})",
                request.path,
                list.join(", ")
            ));
        }
    };
    let mut out = Vec::new();
    for index in chosen {
        // Each session reads the file again: a session owns its files.
        let bytes = sources::read_target(path)?;
        let (config, _) = crate::kinds::load(&request.path, bytes, FileKind::DEPLOYMENT);
        out.push(deployment_session(request, config, index, absolute.clone())?);
    }
    Ok(out)
}

fn empty_session(title: String, dir: PathBuf, root: PathBuf, trusted: bool) -> Session {
    Session {
        title,
        agent: None,
        deployment: None,
        anchor: None,
        dir_shown: sources::shown(&dir),
        dir,
        root,
        files: Vec::new(),
        layers: Vec::new(),
        skipped: Vec::new(),
        notes: Vec::new(),
        trusted,
        merged: Merged::default(),
    }
}

/// Plain `claude` in a directory: managed, local, project and user settings (the CLI's default
/// sources) and the project's `.mcp.json`.
fn directory_session(request: &Request, dir: &Path) -> Result<Session, String> {
    let dir = sources::absolute(dir);
    let root = sources::repository_root(&dir);
    let mut session = empty_session(format!("claude in {}", sources::shown(&dir)), dir, root, request.trusted);
    managed_layer(&mut session, request.managed.as_ref());
    let all = Sources::all(None);
    file_layers(&mut session, &all)?;
    user_layer(&mut session, request.user.as_ref(), &all);
    session.notes.push(
        "plain `claude` loads user, project and local settings (its default setting sources) and the project's `.mcp.json`".into(),
    );
    finish(session)
}

/// Which setting sources a session loads, and what says so.
struct Sources {
    user: Option<Option<Span>>,
    project: Option<Option<Span>>,
    local: Option<Option<Span>>,
    /// The reason for sources that are on without an entry.
    implicit: Option<String>,
}

impl Sources {
    fn all(implicit: Option<String>) -> Self {
        Sources { user: Some(None), project: Some(None), local: Some(None), implicit }
    }

    fn get(&self, source: SettingSource) -> Option<Option<Span>> {
        match source {
            SettingSource::User => self.user,
            SettingSource::Project => self.project,
            SettingSource::Local => self.local,
        }
    }

    fn reason(&self, source: SettingSource) -> String {
        match self.get(source) {
            Some(Some(_)) => format!("`setting_sources` lists `{}`", source.as_str()),
            _ => self.implicit.clone().unwrap_or_else(|| "the CLI loads it by default".into()),
        }
    }
}

fn deployment_session(
    request: &Request,
    config: LoadedConfig,
    index: usize,
    absolute: PathBuf,
) -> Result<Session, String> {
    let config_dir = absolute.parent().map_or_else(|| PathBuf::from("."), Path::to_owned);
    let root = sources::repository_root(&config_dir);
    let agent = &config.agents[index];
    let name = agent.name.clone();
    let anchor = agent.anchor;
    let title = match &name {
        Some(n) => format!("agent `{n}` of {}", config.source.path),
        None => config.source.path.clone(),
    };
    // The agent runs where its config is, unless `cwd` says otherwise (relative to the config).
    // An absolute `cwd` outside the repository is taken for a checkout of it (`/srv/checkout`).
    let cwd = agent.tree.get("cwd").and_then(Node::as_str).map(str::to_owned);
    let (dir, note) = match &cwd {
        Some(c) if Path::new(c).is_absolute() && !sources::normalize(Path::new(c)).starts_with(&root) => (
            config_dir.clone(),
            format!("the agent runs in `{c}` (its `cwd`), outside this repository: agentlint assumes it is a checkout of the repository and reads the settings files next to the config"),
        ),
        Some(c) => (sources::normalize(&config_dir.join(c)), format!("the agent runs in `{c}` (its `cwd`, relative to its config)")),
        None => (
            config_dir.clone(),
            "the agent sets no `cwd`; agentlint assumes it runs in the directory of its config (set `cwd` to say otherwise)".into(),
        ),
    };
    let mut session = empty_session(title, dir.clone(), root.clone(), request.trusted);
    session.agent = name;
    session.notes.push(note);
    let outside = !dir.starts_with(&root);
    managed_layer(&mut session, request.managed.as_ref());

    // The deployment config itself: the command line.
    let tree = agent.tree.clone();
    let setting_sources = tree.get("setting_sources").cloned();
    let settings_option = tree.get("settings").cloned();
    let strict_mcp = tree.get("strict_mcp_config").and_then(|n| match n.value {
        Value::Bool(b) => Some(b),
        _ => None,
    });
    let file = session.add_file(config, absolute);
    let base = session.files[file].base;
    session.anchor = Some(Span::new(anchor.start + base, anchor.end + base));
    let mut deployment_tree = tree;
    deployment_tree.shift(base);
    session.deployment = Some(session.layers.len());
    session.add_layer(Layer {
        origin: Origin::CommandLine,
        role: Role::Deployment,
        file,
        tree: deployment_tree,
        settings: None,
        reason: "the deployment config's options, as `agentlint args` passes them".into(),
        pulled_by: None,
    });
    settings_layer(&mut session, file, base, settings_option.as_ref())?;

    let sources = match setting_sources.as_ref().and_then(Node::as_seq) {
        Some(items) => {
            let mut s = Sources { user: None, project: None, local: None, implicit: None };
            for item in items {
                let at = Some(Span::new(item.span.start + base, item.span.end + base));
                match item.as_str() {
                    Some("user") => s.user = Some(at),
                    Some("project") => s.project = Some(at),
                    Some("local") => s.local = Some(at),
                    _ => {}
                }
            }
            s
        }
        None => {
            session.notes.push("`setting_sources` is not set: `agentlint args` leaves out `--setting-sources`, so the CLI loads user, project and local settings; the TypeScript SDK and Python SDK 0.1.53 and later do the same, while the Elixir SDK and Python SDK 0.1.52 and earlier load none".into());
            Sources::all(Some("`setting_sources` is not set, so the CLI loads it by default".into()))
        }
    };
    if outside {
        session.skipped.push(Skipped {
            origin: Origin::Project,
            what: "project and local settings".into(),
            why: format!("the agent's directory `{}` is outside the repository", sources::shown(&dir)),
        });
    } else {
        file_layers(&mut session, &sources)?;
        if strict_mcp == Some(true) {
            for layer in session.layers.iter_mut().filter(|l| l.role == Role::Mcp) {
                layer.reason = "`strict_mcp_config` is set, so the CLI starts none of these servers".into();
            }
        }
    }
    for (source, origin) in [
        (SettingSource::Project, Origin::Project),
        (SettingSource::Local, Origin::Local),
        (SettingSource::User, Origin::User),
    ] {
        if sources.get(source).is_none() {
            session.skipped.push(Skipped {
                origin,
                what: format!("{} settings", origin.name()),
                why: format!("`setting_sources` leaves out `{}`", source.as_str()),
            });
        }
    }
    user_layer(&mut session, request.user.as_ref(), &sources);
    finish(session)
}

/// Every span of a tree set to `span`: values parsed out of a string are located at the string.
fn pin(node: &mut Node, span: Span) {
    node.span = span;
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|i| pin(i, span)),
        Value::Map(entries) => {
            for e in entries {
                e.key.span = span;
                pin(&mut e.value, span);
            }
        }
        _ => {}
    }
}

/// The deployment config's `settings` option: an inline mapping (or JSON text) is a layer of its
/// own over the same file; a path is a settings file at command-line precedence.
fn settings_layer(session: &mut Session, file: usize, base: usize, option: Option<&Node>) -> Result<(), String> {
    let Some(option) = option else { return Ok(()) };
    let pulled_by = Some(Span::new(option.span.start + base, option.span.end + base));
    match &option.value {
        Value::Map(_) => {
            let mut tree = crate::kinds::settings::view(option);
            tree.shift(base);
            let mut settings = option.clone();
            settings.shift(base);
            session.add_layer(Layer {
                origin: Origin::CommandLine,
                role: Role::InlineSettings,
                file,
                tree,
                settings: Some(settings),
                reason: "the deployment config's `settings`, passed with `--settings`".into(),
                pulled_by,
            });
        }
        // JSON text, as `--settings` takes it: a layer like a mapping, every value located at
        // the text (offsets inside a quoted string do not map back to the file one to one).
        Value::String(text) if text.trim_start().starts_with('{') => match crate::document::parse_json(text) {
            Ok(mut parsed) if parsed.as_map().is_some() => {
                pin(&mut parsed, option.span);
                let mut tree = crate::kinds::settings::view(&parsed);
                tree.shift(base);
                parsed.shift(base);
                session.add_layer(Layer {
                    origin: Origin::CommandLine,
                    role: Role::InlineSettings,
                    file,
                    tree,
                    settings: Some(parsed),
                    reason: "the deployment config's `settings` JSON text, passed with `--settings`".into(),
                    pulled_by,
                });
            }
            _ => session.skipped.push(Skipped {
                origin: Origin::CommandLine,
                what: "`settings` JSON text".into(),
                why: "it is not a JSON object, so the CLI would refuse it".into(),
            }),
        },
        Value::String(text) => {
            let path = sources::normalize(&session.dir.join(text));
            let by = format!("`settings` of {}", session.files[file].config.source.path);
            let given = Given::confined(path, by, &session.root);
            match sources::read_given(&given) {
                Ok(Some((shown, bytes, absolute))) => {
                    let kind = FileKind::new(Kind::Settings, Some(Scope::User));
                    let (config, _) = crate::kinds::load(&shown, bytes, kind);
                    add_settings_file(
                        session,
                        config,
                        absolute,
                        Origin::CommandLine,
                        "named by the deployment config's `settings` (`--settings`)".into(),
                        pulled_by,
                    );
                }
                Ok(None) => session.skipped.push(Skipped {
                    origin: Origin::CommandLine,
                    what: format!("`settings` file `{text}`"),
                    why: "it does not exist; the CLI would start without it".into(),
                }),
                Err(why) => session.skipped.push(Skipped {
                    origin: Origin::CommandLine,
                    what: format!("`settings` file `{text}`"),
                    why,
                }),
            }
        }
        _ => {}
    }
    Ok(())
}

fn add_settings_file(
    session: &mut Session,
    config: LoadedConfig,
    absolute: PathBuf,
    origin: Origin,
    reason: String,
    pulled_by: Option<Span>,
) {
    let parsed = config.parsed;
    let agent_tree = config.agents.first().map(|a| a.tree.clone());
    let settings = config.tree.clone();
    let file = session.add_file(config, absolute);
    let base = session.files[file].base;
    let Some(mut tree) = agent_tree.filter(|_| parsed) else {
        session.skipped.push(Skipped {
            origin,
            what: session.files[file].config.source.path.clone(),
            why: "it does not parse or is not valid, so Claude Code ignores the whole file (`agentlint check` reports why)".into(),
        });
        return;
    };
    tree.shift(base);
    let mut settings = settings;
    settings.shift(base);
    session.add_layer(Layer { origin, role: Role::Settings, file, tree, settings: Some(settings), reason, pulled_by });
}

fn managed_layer(session: &mut Session, given: Option<&Given>) {
    let Some(given) = given else {
        session.skipped.push(Skipped {
            origin: Origin::Managed,
            what: "managed settings".into(),
            why: "not given; agentlint reads none from this machine (use --managed-settings FILE)".into(),
        });
        return;
    };
    match sources::read_given(given) {
        Ok(Some((shown, bytes, absolute))) => {
            let kind = FileKind::new(Kind::Settings, Some(Scope::Managed));
            let (config, _) = crate::kinds::load(&shown, bytes, kind);
            add_settings_file(
                session,
                config,
                absolute,
                Origin::Managed,
                format!("given with {}; managed settings always load", given.by),
                None,
            );
        }
        Ok(None) => session.skipped.push(Skipped {
            origin: Origin::Managed,
            what: given.shown.clone(),
            why: format!("given with {}, but it does not exist", given.by),
        }),
        Err(why) => session.skipped.push(Skipped { origin: Origin::Managed, what: given.shown.clone(), why }),
    }
}

fn user_layer(session: &mut Session, given: Option<&Given>, sources: &Sources) {
    if sources.get(SettingSource::User).is_none() {
        return;
    }
    let Some(given) = given else {
        session.skipped.push(Skipped {
            origin: Origin::User,
            what: "user settings".into(),
            why: "not given; agentlint reads none from this machine (use --user-settings FILE, e.g. ~/.claude/settings.json)".into(),
        });
        return;
    };
    match sources::read_given(given) {
        Ok(Some((shown, bytes, absolute))) => {
            let kind = FileKind::new(Kind::Settings, Some(Scope::User));
            let (config, _) = crate::kinds::load(&shown, bytes, kind);
            let reason = format!("given with {}; {}", given.by, sources.reason(SettingSource::User));
            add_settings_file(
                session,
                config,
                absolute,
                Origin::User,
                reason,
                sources.get(SettingSource::User).flatten(),
            );
        }
        Ok(None) => session.skipped.push(Skipped {
            origin: Origin::User,
            what: given.shown.clone(),
            why: format!("given with {}, but it does not exist", given.by),
        }),
        Err(why) => session.skipped.push(Skipped { origin: Origin::User, what: given.shown.clone(), why }),
    }
}

/// Local and project settings and the project's `.mcp.json`, from the session's directory.
fn file_layers(session: &mut Session, sources: &Sources) -> Result<(), String> {
    let places = [
        (SettingSource::Local, Origin::Local, ".claude/settings.local.json", Role::Settings),
        (SettingSource::Project, Origin::Project, ".claude/settings.json", Role::Settings),
        (SettingSource::Project, Origin::Project, ".mcp.json", Role::Mcp),
    ];
    for (source, origin, name, role) in places {
        let Some(pulled_by) = sources.get(source) else { continue };
        let path = session.dir.join(name);
        let given = Given::confined(path, format!("the session's directory ({name})"), &session.root);
        match sources::read_given(&given) {
            Ok(Some((shown, bytes, absolute))) => {
                let kind = match role {
                    Role::Mcp => FileKind::new(Kind::Mcp, Some(Scope::Project)),
                    _ => FileKind::new(
                        Kind::Settings,
                        Some(if origin == Origin::Local { Scope::Local } else { Scope::Project }),
                    ),
                };
                let (config, _) = crate::kinds::load(&shown, bytes, kind);
                let reason = sources.reason(source);
                if role == Role::Mcp {
                    add_mcp_file(session, config, absolute, reason, pulled_by);
                } else {
                    add_settings_file(session, config, absolute, origin, reason, pulled_by);
                }
            }
            Ok(None) => {}
            Err(why) => session.skipped.push(Skipped { origin, what: sources::shown(&session.dir.join(name)), why }),
        }
    }
    Ok(())
}

fn add_mcp_file(
    session: &mut Session,
    config: LoadedConfig,
    absolute: PathBuf,
    reason: String,
    pulled_by: Option<Span>,
) {
    let parsed = config.parsed;
    let tree = config.agents.first().map(|a| a.tree.clone());
    let file = session.add_file(config, absolute);
    let base = session.files[file].base;
    let Some(mut tree) = tree.filter(|_| parsed) else {
        session.skipped.push(Skipped {
            origin: Origin::Project,
            what: session.files[file].config.source.path.clone(),
            why: "it does not parse, so Claude Code starts none of its servers (`agentlint check` reports why)".into(),
        });
        return;
    };
    tree.shift(base);
    session.add_layer(Layer {
        origin: Origin::Project,
        role: Role::Mcp,
        file,
        tree,
        settings: None,
        reason,
        pulled_by,
    });
}

/// Orders the layers by precedence and merges them.
fn finish(mut session: Session) -> Result<Session, String> {
    // Stable: within one origin, the order of adding (deployment options before `settings`).
    let deployment_file = session.deployment.map(|i| session.layers[i].file);
    session.layers.sort_by_key(|l| l.origin);
    session.deployment =
        deployment_file.and_then(|f| session.layers.iter().position(|l| l.role == Role::Deployment && l.file == f));
    if session.layers.iter().any(|l| l.origin == Origin::Local && l.role == Role::Settings) {
        session.notes.push("Claude Code 2.1.207 and later hold the allow rules of a `.claude/settings.local.json` that git tracks until the folder is trusted, like project settings (AL009 reports such a file)".into());
    }
    session.merged = merge::merge(&session, session.trusted);
    Ok(session)
}

/// Findings at a span of the session's span space, moved into the file the span points into.
pub(crate) fn relocate(session: &Session, finding: &mut Finding) -> Option<usize> {
    let (file, local) = session.file_of(finding.location.span)?;
    let config = &session.files[file].config;
    finding.location = Location::new(&config.source, Some(&config.root), local);
    for related in &mut finding.related {
        let Some((other, span)) = session.file_of(related.location.span) else { continue };
        let c = &session.files[other].config;
        related.location = Location::new(&c.source, Some(&c.root), span);
        if other != file {
            related.file = Some(c.source.path.clone());
        }
    }
    Some(file)
}
