//! `agentlint check --effective`: the checklist rules on each effective session, as well as on
//! each file.
//!
//! The same [`crate::rules::Rule`]s run on the merged session ([`crate::lint::Linter::check_session`]).
//! Its tree lives in the session's span space, so each finding names the file and line of the
//! value that caused it; the finding goes into that file's report, with a related location at
//! what pulled the file in (a `setting_sources` entry). A finding the per-file check already has
//! (same rule, same place) is not repeated: it gains the related location and, for a grant
//! that needs workspace trust, the sentence that says so. The files a session pulls in are
//! checked as files too. Hooks and helper commands from the repository that will run are
//! reported as the commands they are (AL504).

use std::path::Path;
use std::sync::Arc;

use crate::config::{Agent, LoadedConfig};
use crate::document::{Format, Node, SourceFile, Span};
use crate::kinds::{Dialect, FileKind, Kind, Scope, Syntax};
use crate::policy::Policy;
use crate::report::{FileReport, Finding, Location, Related};
use crate::rules::shown_text;

use super::merge::{Merged, Status};
use super::sources::{self, Given};
use super::{Origin, Request, Role, Session};

/// A checked file that may start a session.
pub struct Target {
    pub path: String,
    pub kind: FileKind,
    pub policy: Arc<Policy>,
}

/// What `check` was asked for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--effective`.
    pub effective: bool,
    pub user: Option<Given>,
    pub managed: Option<Given>,
}

/// A session and the policy that checks it.
pub struct Checked {
    pub session: Session,
    pub policy: Arc<Policy>,
}

/// The user and managed settings a policy's project configuration names, unless given on the
/// command line. `.agentlint.yaml` is the repository's: what it names must stay inside the
/// repository, as the policy files it names must (`crate::policy::trust_root`).
pub(crate) fn given_settings(options: &Options, policy: &Policy) -> (Option<Given>, Option<Given>) {
    let project = policy.project.as_ref();
    let from_project = |path: Option<&std::path::PathBuf>, key: &str| {
        let project = project?;
        let root = crate::policy::trust_root(&project.path);
        Some(Given::confined(path?.clone(), format!("`{key}` in {}", project.display), &root))
    };
    let user =
        options.user.clone().or_else(|| from_project(project.and_then(|p| p.user_settings.as_ref()), "user_settings"));
    let managed = options
        .managed
        .clone()
        .or_else(|| from_project(project.and_then(|p| p.managed_settings.as_ref()), "managed_settings"));
    (user, managed)
}

/// True when the policy asks for the effective check (`effective: true`) or the flag does.
pub fn wanted(options: &Options, policy: &Policy) -> bool {
    options.effective || policy.project.as_ref().is_some_and(|p| p.effective)
}

/// The sessions of the checked files: each agent of each deployment config, and plain `claude`
/// in each project directory whose settings were checked and where no agent runs. `filter`
/// says which policies need sessions. Problems resolving are returned as messages.
pub fn sessions(
    targets: &[Target],
    options: &Options,
    filter: impl Fn(&Policy) -> bool,
) -> (Vec<Checked>, Vec<String>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for target in targets.iter().filter(|t| t.kind.kind == Kind::Deployment && filter(&t.policy)) {
        let (user, managed) = given_settings(options, &target.policy);
        let request =
            Request { path: target.path.clone(), agent: None, all_agents: true, user, managed, trusted: true };
        match super::resolve(&request) {
            Ok(sessions) => {
                out.extend(sessions.into_iter().map(|session| Checked { session, policy: target.policy.clone() }))
            }
            // A deployment config without agents is the per-file check's business.
            Err(message) if message.contains("has no agent") => {}
            Err(message) => problems.push(message),
        }
    }
    let mut dirs: Vec<(std::path::PathBuf, Arc<Policy>)> = Vec::new();
    for target in targets.iter().filter(|t| t.kind.kind == Kind::Settings && filter(&t.policy)) {
        let path = Path::new(&target.path);
        let Some(claude) = path.parent().filter(|p| p.file_name().is_some_and(|n| n == ".claude")) else { continue };
        if !matches!(target.kind.scope, Some(Scope::Project | Scope::Local)) {
            continue;
        }
        let dir = sources::absolute(claude.parent().unwrap_or(Path::new(".")));
        if out.iter().any(|c| c.session.dir == dir) || dirs.iter().any(|(d, _)| *d == dir) {
            continue;
        }
        dirs.push((dir, target.policy.clone()));
    }
    for (dir, policy) in dirs {
        let (user, managed) = given_settings(options, &policy);
        let request =
            Request { path: sources::shown(&dir), agent: None, all_agents: false, user, managed, trusted: true };
        match super::resolve(&request) {
            Ok(sessions) => out.extend(sessions.into_iter().map(|session| Checked { session, policy: policy.clone() })),
            Err(message) => problems.push(message),
        }
    }
    (out, problems)
}

/// Adds what the effective sessions show to the per-file reports.
pub fn add_findings(checked: &[Checked], reports: &mut Vec<FileReport>) {
    for Checked { session, policy } in checked {
        for (i, file) in session.files.iter().enumerate() {
            if report_index(reports, &file.absolute).is_none() {
                reports.push(file_report(session, i, policy));
            }
        }
        let merged = session.merge(true);
        let mut findings = session_findings(session, &merged, policy);
        findings.extend(repository_hooks(session, &merged, policy));
        for (file, finding) in findings {
            insert(reports, session, file, finding, policy);
        }
    }
}

fn report_index(reports: &[FileReport], absolute: &Path) -> Option<usize> {
    reports.iter().position(|r| sources::absolute(Path::new(&r.source.path)) == absolute)
}

/// The per-file check of a file a session pulled in.
fn file_report(session: &Session, file: usize, policy: &Policy) -> FileReport {
    let f = &session.files[file];
    let config = &f.config;
    let bytes = config.source.text.clone().into_bytes();
    policy.linter.check_kind(&config.source.path, bytes, config.kind)
}

/// The session as one loaded "file" whose text is every file's, one after the other: what the
/// rules check.
pub(crate) fn session_config(session: &Session, merged: &Merged) -> LoadedConfig {
    let deployment = session.deployment.map(|i| &session.layers[i]);
    let (kind, format) = match deployment {
        Some(layer) => (FileKind::DEPLOYMENT, session.files[layer.file].config.source.format),
        None => (FileKind::new(Kind::Settings, Some(Scope::Project)), Format::Json),
    };
    let source = SourceFile::new(session.title.clone(), session.text(), format);
    let mut config = LoadedConfig::failed(source, kind);
    config.parsed = true;
    config.tree = merged.tree.clone();
    let (name, label, anchor, dialect, mut invalid, unknown) = match deployment {
        Some(layer) => {
            let file = &session.files[layer.file];
            config.several = file.config.several;
            let agent = file.config.agents.iter().find(|a| a.name == session.agent).or(file.config.agents.first());
            match agent {
                Some(a) => {
                    let base = file.base;
                    let shift = |s: Span| Span::new(s.start + base, s.end + base);
                    let invalid = a
                        .invalid
                        .iter()
                        .map(|d| crate::schema::Dropped { path: d.path.clone(), span: shift(d.span) })
                        .collect();
                    // Values the deployment leaves to run time stay "cannot tell" when merged.
                    let unknown = a
                        .unknown
                        .iter()
                        .map(|u| crate::config::load::Unknown { span: shift(u.span), ..u.clone() })
                        .collect();
                    (a.name.clone(), a.label.clone(), shift(a.anchor), a.dialect, invalid, unknown)
                }
                None => (None, None, Span::default(), crate::kinds::Dialect::DEFAULT, Vec::new(), Vec::new()),
            }
        }
        None => (None, None, Span::default(), Dialect::new(Kind::Settings, Syntax::Json, true), Vec::new(), Vec::new()),
    };
    let mut tree = merged.tree.clone();
    let options =
        crate::config::load::typed_options(&config, label.as_deref(), anchor, &mut tree, &mut invalid, &mut Vec::new());
    config.agents = vec![Agent { name, label, anchor, tree, options, invalid, dialect, unknown }];
    config
}

/// The rules' findings on the merged session, each moved into its file: (file index, finding).
fn session_findings(session: &Session, merged: &Merged, policy: &Policy) -> Vec<(usize, Finding)> {
    let config = session_config(session, merged);
    let found = policy.linter.check_session(&config, &config.agents[0]);
    let session_dialect = config.agents[0].dialect;
    let mut out = Vec::new();
    for mut finding in found {
        let at = finding.location.span;
        let Some(file) = super::relocate(session, &mut finding) else { continue };
        let layer = session.layers.iter().position(|l| l.file == file && l.role != Role::InlineSettings);
        if let Some(l) = layer.map(|l| &session.layers[l]).filter(|l| l.role != Role::Deployment) {
            if session.deployment.is_some()
                && let Some(dialect) = session.files[l.file].config.agents.first().map(|a| a.dialect)
            {
                let own = |option: &str| merged.of(option).any(|(_, e)| session.layers[e.layer].file == l.file);
                finding.message = respell(&finding.message, session_dialect, dialect, &own);
                finding.help = finding.help.map(|h| respell(&h, session_dialect, dialect, &own));
            }
            pulled_in(session, l, &mut finding);
        }
        let borrowed = quoted_grants(session, merged, file, &mut finding);
        if needs_trust(merged, at) || (borrowed.0 > 0 && borrowed.0 == borrowed.1) {
            finding.message.push_str(TRUST_NOTE);
        }
        out.push((file, finding));
    }
    out
}

/// A finding placed in one file that quotes allow rules written in other layers (AL108 at an
/// agent whose session gets `Bash(*)` from project settings) points at each of them, so the
/// reader sees where the grant comes from. Returns (grants pointed at, those needing trust).
fn quoted_grants(session: &Session, merged: &Merged, file: usize, finding: &mut Finding) -> (usize, usize) {
    let (mut found, mut trust) = (0, 0);
    for (_, entry) in merged.of("allowed_tools") {
        let Some(text) = entry.node.as_str() else { continue };
        if session.layers[entry.layer].file == file || !finding.message.contains(&format!("`{text}`")) {
            continue;
        }
        let Some((other, local)) = session.file_of(entry.node.span) else { continue };
        let config = &session.files[other].config;
        let needs_trust = entry.status == Status::NeedsTrust;
        let mut message = format!("`{}` comes from {}", shown_text(text), session.layers[entry.layer].describe());
        if needs_trust {
            message.push_str(", which applies it only in a trusted folder");
        }
        found += 1;
        trust += usize::from(needs_trust);
        finding.related.push(Related {
            location: Location::new(&config.source, Some(&config.root), local),
            message,
            file: Some(config.source.path.clone()),
        });
    }
    (found, trust)
}

/// What a grant from a project file is told in its message.
const TRUST_NOTE: &str = "; it applies only in a trusted folder: interactive sessions once someone accepts the trust dialog, never print-mode or SDK sessions";

/// Whether a span of the session's span space lies in a value that needs workspace trust.
fn needs_trust(merged: &Merged, span: Span) -> bool {
    merged.entries.iter().any(|e| e.status == Status::NeedsTrust && e.node.span.contains(span))
}

/// A related location at what pulled a layer into the session.
fn pulled_in(session: &Session, layer: &super::Layer, finding: &mut Finding) {
    let Some(deployment) = session.deployment.map(|i| &session.layers[i]) else { return };
    let file = &session.files[deployment.file].config;
    let (span, message) = match layer.pulled_by {
        Some(span) => {
            let local = Span::new(
                span.start - session.files[deployment.file].base,
                span.end - session.files[deployment.file].base,
            );
            (local, format!("{} is part of the session of {} through this entry", layer.describe(), session.title))
        }
        None if layer.origin == Origin::Managed || layer.origin == Origin::User => return,
        None => {
            let agent = file.agents.iter().find(|a| a.name == session.agent).or(file.agents.first());
            let Some(agent) = agent else { return };
            (
                agent.anchor,
                format!(
                    "{} is part of the session of {} because `setting_sources` is not set (the CLI loads user, project and local settings)",
                    layer.describe(),
                    session.title
                ),
            )
        }
    };
    let location = Location::new(&file.source, Some(&file.root), span);
    if !finding.related.iter().any(|r| r.file.as_deref() == Some(file.source.path.as_str()) && r.location.span == span)
    {
        finding.related.push(Related { location, message, file: Some(file.source.path.clone()) });
    }
}

/// Canonical option names in the session's words, respelled in a layer's: `allowed_tools` →
/// `permissions.allow` for a finding in a settings file. Only the options the layer itself
/// sets (`own`) are respelled: the others are the session's, in the session's words.
fn respell(text: &str, from: Dialect, to: Dialect, own: &dyn Fn(&str) -> bool) -> String {
    const OPTIONS: &[&str] = &[
        "permission_mode",
        "allowed_tools",
        "disallowed_tools",
        "ask_tools",
        "add_dir",
        "env",
        "model",
        "sandbox",
        "hooks",
        "mcp_servers",
    ];
    let mut out = text.to_owned();
    for option in OPTIONS {
        let (old, new) = (from.option(option), to.option(option));
        if old == new || !own(option) {
            continue;
        }
        for end in ['`', '.', '['] {
            out = out.replace(&format!("`{old}{end}"), &format!("`{new}{end}"));
        }
    }
    out
}

/// AL504: hooks and helper commands from the repository's settings that run in the session.
fn repository_hooks(session: &Session, merged: &Merged, policy: &Policy) -> Vec<(usize, Finding)> {
    let meta = &crate::rules::REPOSITORY_HOOK;
    let Some(severity) = policy.linter.severity_of(meta) else { return Vec::new() };
    let mut out = Vec::new();
    let from_repository = |layer: usize| {
        let l = &session.layers[layer];
        matches!(l.origin, Origin::Project | Origin::Local) && l.role == Role::Settings
    };
    for (_, entry) in merged.under("hooks") {
        if entry.status != Status::Applies || !from_repository(entry.layer) || entry.path.len() != 2 {
            continue;
        }
        let event = &entry.path[1];
        let matcher = entry.node.get("matcher").and_then(Node::as_str).filter(|m| !m.is_empty() && *m != "*");
        let when = match matcher {
            Some(m) => format!("on `{event}` for `{}` calls", crate::rules::shown_text(m)),
            None => format!("on `{event}`"),
        };
        for hook in entry.node.get("hooks").and_then(Node::as_seq).unwrap_or_default() {
            let (node, what) = match hook.get("type").and_then(Node::as_str) {
                Some("command") => match hook.get("command") {
                    Some(n) => (n, "runs"),
                    None => continue,
                },
                Some("http") => match hook.get("url") {
                    Some(n) => (n, "posts to"),
                    None => continue,
                },
                _ => continue,
            };
            let Some(text) = node.as_str() else { continue };
            let layer = &session.layers[entry.layer];
            let message = format!(
                "a hook from {} {what} `{}` {when}, in print-mode and SDK sessions too, without workspace trust",
                layer.describe(),
                crate::rules::shown_text(text)
            );
            let help = "review the command: it runs with the agent's permissions; leave `project` out of `setting_sources`, or set `disableAllHooks` or managed `allowManagedHooksOnly`, to keep the repository's hooks from running";
            out.push(located(session, layer, node.span, message, severity, ("repository hook", help)));
        }
    }
    for helper in &merged.helpers {
        if !from_repository(helper.layer) {
            continue;
        }
        let Some(text) = helper.node.as_str() else { continue };
        let layer = &session.layers[helper.layer];
        let message = format!(
            "`{}` from {} runs `{}` when the session needs an API key, in print-mode and SDK sessions too, without workspace trust",
            helper.name,
            layer.describe(),
            crate::rules::shown_text(text)
        );
        let help = "review the command: it runs with the agent's permissions; leave `project` (or `local`) out of `setting_sources`, or set `apiKeyHelper` in managed settings, to keep the repository's helper from running";
        out.push(located(session, layer, helper.node.span, message, severity, ("repository helper", help)));
    }
    out.into_iter().flatten().collect()
}

fn located(
    session: &Session,
    layer: &super::Layer,
    span: Span,
    message: String,
    severity: crate::report::Severity,
    (label, help): (&str, &str),
) -> Option<(usize, Finding)> {
    let (file, local) = session.file_of(span)?;
    let config = &session.files[file].config;
    let location = Location::new(&config.source, Some(&config.root), local);
    let mut finding =
        Finding::new(&crate::rules::REPOSITORY_HOOK, location, message).severity(severity).label(label).help(help);
    pulled_in(session, layer, &mut finding);
    Some((file, finding))
}

/// Puts a session's finding into its file's report, unless the report already has it.
fn insert(reports: &mut [FileReport], session: &Session, file: usize, finding: Finding, policy: &Policy) {
    let Some(index) = report_index(reports, &session.files[file].absolute) else { return };
    let report = &mut reports[index];
    let path = report.source.path.clone();
    let same =
        report.findings.iter_mut().find(|f| f.rule.id == finding.rule.id && f.location.span == finding.location.span);
    if let Some(existing) = same {
        for related in finding.related.into_iter().filter(|r| r.file.is_some()) {
            if !existing.related.iter().any(|r| r.file == related.file && r.location.span == related.location.span) {
                existing.related.push(related);
            }
        }
        if finding.message.ends_with(TRUST_NOTE) && !existing.message.ends_with(TRUST_NOTE) {
            existing.message.push_str(TRUST_NOTE);
        }
        return;
    }
    let mut finding = finding;
    for related in &mut finding.related {
        if related.file.as_deref() == Some(path.as_str()) {
            related.file = None;
        }
    }
    let mut new = vec![finding];
    crate::policy::suppress::apply(&policy.linter, &session.files[file].config, &mut new);
    new.retain(|f| !matches!(f.rule.id, "AL006" | "AL007"));
    report.findings.extend(new);
    report.findings.sort_by(|a, b| {
        (a.location.span.start, a.location.span.end, a.rule.id).cmp(&(
            b.location.span.start,
            b.location.span.end,
            b.rule.id,
        ))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_respelled_in_the_layer_words() {
        let from = Dialect::DEFAULT;
        let to = Dialect::new(Kind::Settings, Syntax::Json, true);
        let all = |_: &str| true;
        assert_eq!(
            respell("`allowed_tools` entry `Bash(*)`; see `disallowed_tools[2]` and `sandbox.enabled`", from, to, &all),
            "`permissions.allow` entry `Bash(*)`; see `permissions.deny[2]` and `sandbox.enabled`"
        );
        let camel = Dialect::new(Kind::Deployment, Syntax::Json, true);
        assert_eq!(respell("`allowedTools` allows", camel, to, &all), "`permissions.allow` allows");
        let allow_only = |o: &str| o == "allowed_tools";
        assert_eq!(
            respell("`permission_mode` is `plan`, but `allowed_tools` entry", from, to, &allow_only),
            "`permission_mode` is `plan`, but `permissions.allow` entry"
        );
    }
}
