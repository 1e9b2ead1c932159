//! Combining a session's layers (settings-schema.md §3.1, permissions.md "Settings precedence",
//! "Project allow rules and workspace trust", settings-reference.md managed-only keys):
//!
//! * lists merge across layers: `allow`, `deny`, `ask`, `additionalDirectories`, hook groups of
//!   each event, and the sandbox's lists;
//! * everything else takes the highest layer that sets it; `env` and `mcpServers` per name;
//! * a project file's `allow` rules and `additionalDirectories` apply only in a trusted folder
//!   ([`Status::NeedsTrust`]); print-mode and SDK sessions are never trusted;
//! * managed locks hold: `allowManagedPermissionRulesOnly` (only managed rules, though
//!   `--disallowedTools` still adds denies), `allowManagedHooksOnly`,
//!   `sandbox.network.allowManagedDomainsOnly` (only managed domains and `WebFetch(domain:…)`
//!   allow rules), `disableBypassPermissionsMode` (any layer), and `disableAllHooks` (managed
//!   settings turn off every hook, other layers every hook but the managed ones);
//! * `defaultMode: auto` from project or local settings is ignored (since CLI 2.1.142).
//!
//! Every value any layer sets becomes an [`Entry`] with its [`Status`], so the effective view can
//! show what applies, what waits for trust, and what a higher layer overrides.

use crate::config::PermissionMode;
use crate::document::{Key, Node, Span, Value};

use super::{Origin, Role, Session};

/// Whether a value a layer sets is in effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Applies,
    /// A project file's allow rule or additional directory: it applies only once the folder is
    /// trusted; print-mode and SDK sessions never trust it.
    NeedsTrust,
    /// A higher layer sets the same scalar (index of that layer).
    Overridden {
        by: usize,
    },
    /// Claude Code does not use it, and why.
    Ignored(String),
}

impl Status {
    /// `applies`, `needs-trust`, `overridden`, `ignored`: the JSON contract's names.
    pub fn id(&self) -> &'static str {
        match self {
            Status::Applies => "applies",
            Status::NeedsTrust => "needs-trust",
            Status::Overridden { .. } => "overridden",
            Status::Ignored(_) => "ignored",
        }
    }

    /// Is the value in effect in a session that is (or is not) trusted?
    pub fn applies(&self, trusted: bool) -> bool {
        match self {
            Status::Applies => true,
            Status::NeedsTrust => trusted,
            _ => false,
        }
    }
}

/// One value as one layer sets it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Canonical option path: `["allowed_tools"]` (one entry per rule), `["sandbox", "enabled"]`,
    /// `["env", "NAME"]`, `["hooks", "PreToolUse"]` (one entry per hook group).
    pub path: Vec<String>,
    /// The value, in the session's span space.
    pub node: Node,
    /// The key that holds it, when the layer writes one.
    pub key: Option<Span>,
    /// Index of the layer in [`Session::layers`].
    pub layer: usize,
    pub status: Status,
}

impl Entry {
    pub fn option(&self) -> String {
        self.path.join(".")
    }
}

/// A managed lock or switch that changes what other layers contribute, and where it is set.
#[derive(Debug, Clone, Default)]
pub struct Locks {
    pub managed_rules_only: Option<(usize, Span)>,
    pub managed_hooks_only: Option<(usize, Span)>,
    pub managed_domains_only: Option<(usize, Span)>,
    pub disable_bypass: Option<(usize, Span)>,
    /// The highest layer that sets `disableAllHooks`, when it sets it to `true`.
    pub disable_all_hooks: Option<(usize, Span)>,
    /// `strictMcpConfig` / `strict_mcp_config` on the command line.
    pub strict_mcp: Option<(usize, Span)>,
}

impl Locks {
    /// Every lock that is on: (setting as written, layer, span).
    pub fn list(&self) -> Vec<(&'static str, usize, Span)> {
        [
            ("allowManagedPermissionRulesOnly", self.managed_rules_only),
            ("allowManagedHooksOnly", self.managed_hooks_only),
            ("sandbox.network.allowManagedDomainsOnly", self.managed_domains_only),
            ("permissions.disableBypassPermissionsMode", self.disable_bypass),
            ("disableAllHooks", self.disable_all_hooks),
            ("strict_mcp_config", self.strict_mcp),
        ]
        .into_iter()
        .filter_map(|(name, at)| at.map(|(layer, span)| (name, layer, span)))
        .collect()
    }
}

/// A helper command a settings layer runs (`apiKeyHelper`): it runs without workspace trust.
#[derive(Debug, Clone)]
pub struct Helper {
    pub name: &'static str,
    pub node: Node,
    pub layer: usize,
}

/// The merged session.
#[derive(Debug, Clone)]
pub struct Merged {
    /// Every value every layer sets, in layer order, with its status.
    pub entries: Vec<Entry>,
    /// The values in effect under canonical names, in the session's span space: what the rules
    /// read when they check the session.
    pub tree: Node,
    pub trusted: bool,
    pub locks: Locks,
    pub helpers: Vec<Helper>,
}

impl Default for Merged {
    fn default() -> Self {
        Merged {
            entries: Vec::new(),
            tree: Node::new(Value::Map(Vec::new()), Span::default()),
            trusted: false,
            locks: Locks::default(),
            helpers: Vec::new(),
        }
    }
}

impl Merged {
    /// The entries of an option (`allowed_tools`, `sandbox.enabled`), in layer order.
    pub fn of<'a>(&'a self, option: &'a str) -> impl Iterator<Item = (usize, &'a Entry)> + 'a {
        self.entries.iter().enumerate().filter(move |(_, e)| e.option() == option)
    }

    /// The entries under a prefix (`sandbox`, `env`, `hooks`).
    pub fn under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (usize, &'a Entry)> + 'a {
        self.entries.iter().enumerate().filter(move |(_, e)| e.path.first().is_some_and(|p| p == prefix))
    }

    /// The permission mode the session starts in, and the entry that sets it (`None`: no layer
    /// sets one, so `default`). `--dangerously-skip-permissions` is bypass mode.
    pub fn mode(&self) -> (PermissionMode, Option<usize>) {
        if let Some((i, _)) = self
            .of("dangerously_skip_permissions")
            .find(|(_, e)| e.status == Status::Applies && matches!(e.node.value, Value::Bool(true)))
        {
            return (PermissionMode::BypassPermissions, Some(i));
        }
        match self.of("permission_mode").find(|(_, e)| e.status == Status::Applies) {
            Some((i, e)) => (mode_of(&e.node).unwrap_or(PermissionMode::Default), Some(i)),
            None => (PermissionMode::Default, None),
        }
    }
}

/// A permission mode as any file spells it.
pub(crate) fn mode_of(node: &Node) -> Option<PermissionMode> {
    serde_json::from_value(serde_json::Value::String(node.as_str()?.to_owned())).ok()
}

/// How the values at a path combine.
enum Policy {
    List,
    Map,
    Scalar,
}

fn policy(path: &[String], node: &Node) -> Policy {
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    let is_map = node.as_map().is_some();
    match p.as_slice() {
        ["allowed_tools" | "disallowed_tools" | "ask_tools" | "add_dir"] => Policy::List,
        ["hooks", _] => Policy::List,
        ["sandbox", ..] | ["hooks"] | ["env"] | ["mcp_servers"] if is_map => Policy::Map,
        ["sandbox", _, ..] if node.as_seq().is_some() => Policy::List,
        _ => Policy::Scalar,
    }
}

struct Input<'a> {
    layer: usize,
    key: Option<Span>,
    node: &'a Node,
}

struct Merger<'s> {
    session: &'s Session,
    locks: Locks,
    entries: Vec<Entry>,
}

/// Merges the session's layers; `trusted` decides whether values that need workspace trust are
/// in the merged tree (they are entries either way).
pub fn merge(session: &Session, trusted: bool) -> Merged {
    let locks = locks(session);
    let mut merger = Merger { session, locks, entries: Vec::new() };
    let inputs: Vec<Input<'_>> =
        session.layers.iter().enumerate().map(|(i, l)| Input { layer: i, key: None, node: &l.tree }).collect();
    let tree = merger.map(&[], &inputs, trusted).unwrap_or_else(|| Node::new(Value::Map(Vec::new()), Span::default()));
    let helpers = session
        .layers
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let node = l.settings.as_ref()?.get("apiKeyHelper")?.clone();
            Some(Helper { name: "apiKeyHelper", node, layer: i })
        })
        .collect();
    Merged { entries: merger.entries, tree, trusted, locks: merger.locks, helpers }
}

/// The locks each layer's own settings set.
fn locks(session: &Session) -> Locks {
    let mut locks = Locks::default();
    let truthy = |n: &Node| matches!(n.value, Value::Bool(true));
    for (i, layer) in session.layers.iter().enumerate() {
        let managed = layer.origin == Origin::Managed;
        if let Some(settings) = &layer.settings {
            let get = |path: &[&str]| {
                let mut node = settings;
                for k in path {
                    node = node.get(k)?;
                }
                Some(node)
            };
            if managed {
                if let Some(n) = get(&["allowManagedPermissionRulesOnly"]).filter(|n| truthy(n)) {
                    locks.managed_rules_only.get_or_insert((i, n.span));
                }
                if let Some(n) = get(&["allowManagedHooksOnly"]).filter(|n| truthy(n)) {
                    locks.managed_hooks_only.get_or_insert((i, n.span));
                }
                if let Some(n) = get(&["sandbox", "network", "allowManagedDomainsOnly"]).filter(|n| truthy(n)) {
                    locks.managed_domains_only.get_or_insert((i, n.span));
                }
            }
            if let Some(n) =
                get(&["permissions", "disableBypassPermissionsMode"]).filter(|n| n.as_str() == Some("disable"))
            {
                locks.disable_bypass.get_or_insert((i, n.span));
            }
            // The highest layer that sets `disableAllHooks` decides.
            if let Some(n) = get(&["disableAllHooks"])
                && !session.layers[..i]
                    .iter()
                    .any(|l| l.settings.as_ref().is_some_and(|s| s.get("disableAllHooks").is_some()))
                && truthy(n)
            {
                locks.disable_all_hooks = Some((i, n.span));
            }
        }
        if layer.role == Role::Deployment
            && let Some(n) = layer.tree.get("strict_mcp_config").filter(|n| truthy(n))
        {
            locks.strict_mcp = Some((i, n.span));
        }
    }
    locks
}

impl Merger<'_> {
    fn at(&self, lock: (usize, Span)) -> String {
        let layer = &self.session.layers[lock.0];
        format!("{} at {}", layer.describe(), self.session.at(lock.1))
    }

    /// Whether a value `layer` sets at `path` is in effect.
    fn gate(&self, path: &[String], layer: usize, node: &Node) -> Status {
        let l = &self.session.layers[layer];
        let managed = l.origin == Origin::Managed;
        let p: Vec<&str> = path.iter().map(String::as_str).collect();
        let text = node.as_str().unwrap_or_default();
        match p.as_slice() {
            // `--disallowedTools` still adds denies beyond the managed ones (permissions.md).
            ["allowed_tools" | "disallowed_tools" | "ask_tools"]
                if self.locks.managed_rules_only.is_some()
                    && !managed
                    && (p[0] != "disallowed_tools" || l.role != Role::Deployment) =>
            {
                let at = self.at(self.locks.managed_rules_only.unwrap_or_default());
                Status::Ignored(format!(
                    "only managed permission rules apply (`allowManagedPermissionRulesOnly`, {at})"
                ))
            }
            ["allowed_tools"]
                if !managed
                    && self.locks.managed_domains_only.is_some()
                    && text.trim_start().starts_with("WebFetch") =>
            {
                let at = self.at(self.locks.managed_domains_only.unwrap_or_default());
                Status::Ignored(format!(
                    "only managed `WebFetch(domain:…)` allow rules apply (`allowManagedDomainsOnly`, {at})"
                ))
            }
            ["sandbox", "network", "allowed_domains"] if !managed && self.locks.managed_domains_only.is_some() => {
                let at = self.at(self.locks.managed_domains_only.unwrap_or_default());
                Status::Ignored(format!("only managed domains apply (`allowManagedDomainsOnly`, {at})"))
            }
            ["allowed_tools" | "add_dir"] if l.origin == Origin::Project && l.role == Role::Settings => {
                Status::NeedsTrust
            }
            ["hooks", ..] if !managed && self.locks.managed_hooks_only.is_some() => {
                let at = self.at(self.locks.managed_hooks_only.unwrap_or_default());
                Status::Ignored(format!("only managed hooks run (`allowManagedHooksOnly`, {at})"))
            }
            ["hooks", ..] if self.locks.disable_all_hooks.is_some() => {
                let lock = self.locks.disable_all_hooks.unwrap_or_default();
                let by_managed = self.session.layers[lock.0].origin == Origin::Managed;
                if by_managed || !managed {
                    Status::Ignored(format!("`disableAllHooks` is set ({})", self.at(lock)))
                } else {
                    Status::Applies
                }
            }
            ["permission_mode"] => match mode_of(node) {
                Some(PermissionMode::Auto) if matches!(l.origin, Origin::Project | Origin::Local) => {
                    Status::Ignored("Claude Code ignores `auto` from project and local settings (since 2.1.142)".into())
                }
                Some(PermissionMode::BypassPermissions) if self.locks.disable_bypass.is_some() => {
                    let at = self.at(self.locks.disable_bypass.unwrap_or_default());
                    Status::Ignored(format!("bypass mode is disabled (`disableBypassPermissionsMode`, {at})"))
                }
                _ => Status::Applies,
            },
            ["dangerously_skip_permissions"]
                if matches!(node.value, Value::Bool(true)) && self.locks.disable_bypass.is_some() =>
            {
                let at = self.at(self.locks.disable_bypass.unwrap_or_default());
                Status::Ignored(format!(
                    "bypass mode is disabled (`disableBypassPermissionsMode`, {at}); the CLI refuses the flag"
                ))
            }
            ["mcp_servers", ..] if l.role == Role::Mcp && self.locks.strict_mcp.is_some() => {
                Status::Ignored("`strict_mcp_config` is set, so the CLI starts only the configured servers".into())
            }
            _ => Status::Applies,
        }
    }

    fn value(&mut self, path: &[String], inputs: &[Input<'_>], trusted: bool) -> Option<(Node, usize)> {
        match policy(path, inputs[0].node) {
            Policy::List => self.list(path, inputs, trusted),
            Policy::Map => self.map(path, inputs, trusted).map(|n| (n, inputs[0].layer)),
            Policy::Scalar => self.scalar(path, inputs),
        }
    }

    fn map(&mut self, path: &[String], inputs: &[Input<'_>], trusted: bool) -> Option<Node> {
        let maps: Vec<&Input<'_>> = inputs.iter().filter(|i| i.node.as_map().is_some()).collect();
        let first = maps.first()?;
        let mut keys: Vec<&str> = Vec::new();
        for input in &maps {
            for e in input.node.as_map().unwrap_or_default() {
                if !keys.contains(&e.key.text.as_str()) {
                    keys.push(&e.key.text);
                }
            }
        }
        let mut entries = Vec::new();
        for key in keys {
            let sub: Vec<Input<'_>> = maps
                .iter()
                .filter_map(|i| {
                    i.node.entry(key).map(|e| Input { layer: i.layer, key: Some(e.key.span), node: &e.value })
                })
                .collect();
            let mut child = path.to_vec();
            child.push(key.to_owned());
            let Some((value, from)) = self.value(&child, &sub, trusted) else { continue };
            let provider = sub.iter().find(|i| i.layer == from).unwrap_or(&sub[0]);
            let mut span = provider.key.unwrap_or(value.span);
            // A top-level key that another kind of file writes (`permissions.allow`) is named in
            // the session's own words: rules then read no file's spelling of it.
            if path.is_empty() && (Some(provider.layer) != self.session.deployment || provider.layer != from) {
                span = Span::new(span.start, span.start);
            }
            entries.push(crate::document::Entry { key: Key { text: key.to_owned(), span }, value, merged: false });
        }
        Some(Node::new(Value::Map(entries), first.node.span))
    }

    fn list(&mut self, path: &[String], inputs: &[Input<'_>], trusted: bool) -> Option<(Node, usize)> {
        let mut items = Vec::new();
        let mut from = None;
        let mut withheld_all = true;
        for input in inputs {
            let Some(seq) = input.node.as_seq() else {
                // Not a list (the loader reported it): taken as a scalar would be, never merged.
                continue;
            };
            if seq.is_empty() {
                withheld_all = false;
                from.get_or_insert((input.layer, input.node.span));
            }
            for item in seq {
                let status = self.gate(path, input.layer, item);
                if status.applies(trusted) {
                    items.push(item.clone());
                    withheld_all = false;
                    from.get_or_insert((input.layer, input.node.span));
                }
                self.entries.push(Entry {
                    path: path.to_vec(),
                    node: item.clone(),
                    key: input.key,
                    layer: input.layer,
                    status,
                });
            }
        }
        if withheld_all {
            return None;
        }
        // A session configured in a deployment config has its lists there: where the config
        // writes the list, else at the agent (a rule about the whole list points at the file to
        // change, not at one of the settings files it happens to merge).
        if let Some(deployment) = self.session.deployment {
            match inputs.iter().find(|i| i.layer == deployment && i.node.as_seq().is_some()) {
                Some(input) => from = Some((input.layer, input.node.span)),
                None if path.len() == 1 => {
                    from = self.session.anchor.map(|span| (deployment, span)).or(from);
                }
                None => {}
            }
        }
        let (layer, span) = from?;
        Some((Node::new(Value::Seq(items), span), layer))
    }

    fn scalar(&mut self, path: &[String], inputs: &[Input<'_>]) -> Option<(Node, usize)> {
        let mut winner: Option<(Node, usize)> = None;
        for input in inputs {
            let status = match self.gate(path, input.layer, input.node) {
                Status::Applies => match &winner {
                    Some((_, by)) => Status::Overridden { by: *by },
                    None => {
                        winner = Some((input.node.clone(), input.layer));
                        Status::Applies
                    }
                },
                other => other,
            };
            self.entries.push(Entry {
                path: path.to_vec(),
                node: input.node.clone(),
                key: input.key,
                layer: input.layer,
                status,
            });
        }
        winner
    }
}
