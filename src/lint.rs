//! The engine: runs the configured rules over a loaded file and applies the
//! policy's severities.

use std::collections::HashMap;
use std::sync::Arc;

use crate::config::LoadedConfig;
use crate::policy::IgnoreEntry;
use crate::report::{FileReport, Finding, Severity};
use crate::rules::{AgentContext, FileContext, REGISTRY, Rule, RuleMeta, registry::OPT_IN};

/// How one rule is configured by the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleLevel {
    Off,
    /// The rule's own severity for each finding.
    Default,
    /// Every finding of the rule at this severity.
    Fixed(Severity),
}

/// The configured rule set.
pub struct Linter {
    rules: Vec<Box<dyn Rule>>,
    /// The level of each rule of `rules`, in the same order: looked up once, not per file.
    rule_levels: Vec<RuleLevel>,
    levels: HashMap<&'static str, RuleLevel>,
    /// `ignore` entries of the project configuration (see `policy::suppress`).
    ignores: Vec<Arc<IgnoreEntry>>,
}

impl Default for Linter {
    /// Every rule at its default severity with default parameters (the `production` policy);
    /// opt-in rules (`registry::OPT_IN`) are off.
    fn default() -> Self {
        let rules = REGISTRY
            .iter()
            .map(|e| (e.build)(&serde_json::Value::Null).expect("default parameters are valid"))
            .collect();
        let levels = OPT_IN.iter().map(|id| (*id, RuleLevel::Off)).collect();
        Self::new(rules, levels)
    }
}

impl Linter {
    /// A linter from already-built rules and per-rule levels (rules absent from `levels` use `Default`).
    pub fn new(rules: Vec<Box<dyn Rule>>, levels: HashMap<&'static str, RuleLevel>) -> Self {
        let rule_levels =
            rules.iter().map(|r| levels.get(r.meta().id).copied().unwrap_or(RuleLevel::Default)).collect();
        Self { rules, rule_levels, levels, ignores: Vec::new() }
    }

    /// With the `ignore` entries of a project configuration.
    pub fn with_ignores(mut self, ignores: Vec<Arc<IgnoreEntry>>) -> Self {
        self.ignores = ignores;
        self
    }

    pub fn ignores(&self) -> &[Arc<IgnoreEntry>] {
        &self.ignores
    }

    /// A configured rule (built-in or custom) by id (case-insensitive) or name.
    pub fn rule_meta(&self, id_or_name: &str) -> Option<&'static RuleMeta> {
        self.rules.iter().map(|r| r.meta()).find(|m| m.id.eq_ignore_ascii_case(id_or_name) || m.name == id_or_name)
    }

    /// "did you mean `AL104` (broad-tool-grant)?" for a rule that does not exist.
    pub fn suggest(&self, id_or_name: &str) -> Option<String> {
        let metas: Vec<&'static RuleMeta> = self.rules.iter().map(|r| r.meta()).collect();
        let words: Vec<&str> = metas.iter().flat_map(|m| [m.id, m.name]).collect();
        let best = crate::policy::closest(id_or_name, &words)?;
        let m = self.rule_meta(best)?;
        Some(format!("did you mean `{}` ({})?", m.id, m.name))
    }

    pub fn level(&self, id: &str) -> RuleLevel {
        self.levels.get(id).copied().unwrap_or(RuleLevel::Default)
    }

    /// Loads and checks one file from its bytes, as the kind its path implies (a deployment
    /// config when the path names none).
    pub fn check_bytes(&self, path: &str, bytes: Vec<u8>) -> FileReport {
        self.check_kind(path, bytes, crate::kinds::of_named_file(path))
    }

    /// Loads and checks one file of a given kind from its bytes.
    pub fn check_kind(&self, path: &str, bytes: Vec<u8>, kind: crate::kinds::FileKind) -> FileReport {
        self.check_kind_keeping(path, bytes, kind, |_| true)
    }

    /// [`Linter::check_kind`] for a caller that shows the file's text (snippets) only when
    /// `keep_source(findings)` says so: otherwise the text is released at once, and the
    /// credentials to mask in it are not looked for.
    pub fn check_kind_keeping(
        &self,
        path: &str,
        bytes: Vec<u8>,
        kind: crate::kinds::FileKind,
        keep_source: impl Fn(&[Finding]) -> bool,
    ) -> FileReport {
        let (config, findings) = crate::kinds::load(path, bytes, kind);
        let findings = self.lint_findings(&config, findings);
        let keep = keep_source(&findings);
        let redactions = if keep { redactions_of(&config) } else { Vec::new() };
        let mut report = FileReport { source: config.source, kind: Some(config.kind), findings, redactions };
        if !keep {
            report.release_source();
        }
        report
    }

    /// Runs every rule on a loaded file and turns it into a report.
    pub fn finish(&self, config: LoadedConfig, findings: Vec<Finding>) -> FileReport {
        let (findings, redactions) = self.lint(&config, findings);
        FileReport { source: config.source, kind: Some(config.kind), findings, redactions }
    }

    /// Runs the per-session check of every rule that is on and runs on `config`'s kind, on one
    /// session no single file holds (the merged session of `agentlint check --effective`), with
    /// the policy's severities. Suppressions are the caller's: the findings belong to the files
    /// their spans point into.
    pub fn check_session(&self, config: &LoadedConfig, agent: &crate::config::Agent) -> Vec<Finding> {
        let mut findings = Vec::new();
        let kind = config.kind.kind;
        let ctx = AgentContext::new(config, agent);
        for (rule, level) in self.rules.iter().zip(&self.rule_levels) {
            if *level != RuleLevel::Off && rule.meta().kinds.contains(&kind) {
                rule.check_agent(&ctx, &mut findings);
            }
        }
        self.apply_levels(&mut findings);
        findings
    }

    /// The policy's levels on findings: those of rules that are off go, the others take the
    /// severity the policy fixes, if any.
    fn apply_levels(&self, findings: &mut Vec<Finding>) {
        findings.retain_mut(|f| match self.level(f.rule.id) {
            RuleLevel::Off => false,
            RuleLevel::Default => true,
            RuleLevel::Fixed(s) => {
                f.severity = s;
                true
            }
        });
    }

    /// The policy's severity for a finding of `rule` produced outside the rules (`None`: off).
    pub fn severity_of(&self, rule: &'static RuleMeta) -> Option<Severity> {
        match self.level(rule.id) {
            RuleLevel::Off => None,
            RuleLevel::Default => Some(rule.severity),
            RuleLevel::Fixed(s) => Some(s),
        }
    }

    /// Runs every rule on a loaded file, applies severities and suppressions, and returns
    /// the findings (sorted by position) with the byte ranges to mask when showing the file.
    /// The config stays with the caller (`agentlint args` goes on to encode its agents).
    pub fn lint(&self, config: &LoadedConfig, findings: Vec<Finding>) -> (Vec<Finding>, Vec<std::ops::Range<usize>>) {
        (self.lint_findings(config, findings), redactions_of(config))
    }

    /// [`Linter::lint`] without the credentials to mask (for a file whose text is not shown).
    fn lint_findings(&self, config: &LoadedConfig, mut findings: Vec<Finding>) -> Vec<Finding> {
        if config.parsed {
            let file_ctx = FileContext { config };
            let kind = config.kind.kind;
            let contexts: Vec<AgentContext> = config.agents.iter().map(|a| AgentContext::new(config, a)).collect();
            for (rule, level) in self.rules.iter().zip(&self.rule_levels) {
                if *level == RuleLevel::Off || !crate::kinds::applies(rule.meta().kinds, kind) {
                    continue;
                }
                rule.check_file(&file_ctx, &mut findings);
                for ctx in &contexts {
                    let agent = ctx.agent;
                    let before = findings.len();
                    rule.check_agent(ctx, &mut findings);
                    // Values the file does not decide (`agent.unknown`) are "cannot tell": a
                    // finding about a place that holds one is dropped; AL005 reports them.
                    if !agent.unknown.is_empty() && rule.meta().id != crate::rules::NOT_LITERAL.id {
                        let mut i = before;
                        while i < findings.len() {
                            if agent.cannot_tell(findings[i].location.span) {
                                findings.remove(i);
                            } else {
                                i += 1;
                            }
                        }
                    }
                }
            }
        }
        merge_defaults_findings(&mut findings);
        self.apply_levels(&mut findings);
        crate::policy::suppress::apply(self, config, &mut findings);
        findings.sort_by(|a, b| {
            (a.location.span.start, a.location.span.end, a.rule.id).cmp(&(
                b.location.span.start,
                b.location.span.end,
                b.rule.id,
            ))
        });
        findings
    }
}

/// A value written under `defaults:` is checked once per agent that inherits it, and so is a
/// value the agents take from one anchor (`defaults: {<<: *limits}`, or `<<: *base` in each
/// agent): the text is written once, so the agents' findings about it are identical (same
/// rule, span, severity and message). They become one finding naming every affected agent,
/// so one problem is counted and suppressed once.
fn merge_defaults_findings(findings: &mut Vec<Finding>) {
    if findings.iter().filter(|f| f.agent.is_some()).count() < 2 {
        return;
    }
    /// The message without its `agent `NAME`: ` prefix.
    fn rest(f: &Finding) -> &str {
        let agent = f.agent.as_deref().unwrap_or_default();
        f.message
            .strip_prefix("agent `")
            .and_then(|m| m.strip_prefix(agent))
            .and_then(|m| m.strip_prefix("`: "))
            .unwrap_or(&f.message)
    }
    /// What makes two agents' findings one: rule, span start and end, severity, and the
    /// message without the agent.
    type Key = (&'static str, usize, usize, Severity, String);
    let mut merged: Vec<Finding> = Vec::with_capacity(findings.len());
    // → (index in `merged`, agent names)
    let mut groups: HashMap<Key, (usize, Vec<String>)> = HashMap::new();
    for f in findings.drain(..) {
        let Some(agent) = f.agent.clone() else {
            merged.push(f);
            continue;
        };
        let key = (f.rule.id, f.location.span.start, f.location.span.end, f.severity, rest(&f).to_owned());
        match groups.get_mut(&key) {
            Some((_, agents)) if !agents.contains(&agent) => agents.push(agent),
            // The same agent twice is two findings, as it would be without this merge.
            Some(_) => merged.push(f),
            None => {
                groups.insert(key, (merged.len(), vec![agent]));
                merged.push(f);
            }
        }
    }
    for ((.., rest), (i, agents)) in groups {
        if agents.len() > 1 {
            let names: Vec<String> = agents.iter().map(|a| format!("`{a}`")).collect();
            merged[i].message = format!("agents {}: {rest}", names.join(", "));
            merged[i].agent = None;
        }
    }
    *findings = merged;
}

/// Values to mask in every display of the file besides recognised credential formats:
/// every value AL301 reports as a literal credential (whatever its format), and whole values
/// holding a secret that AL302 cannot locate exactly in the source (escaped or folded text).
pub(crate) fn redactions_of(config: &LoadedConfig) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = config
        .agents
        .iter()
        .flat_map(|agent| crate::rules::literal_credentials(&agent.tree, &config.source.text))
        .map(|c| c.text_span.start..c.text_span.end)
        .chain(crate::rules::mcp_credential_spans(config).into_iter().map(|s| s.start..s.end))
        .chain(crate::rules::unlocated_secret_spans(config).into_iter().map(|s| s.start..s.end))
        .collect();
    out.sort_by_key(|r| (r.start, r.end));
    out.dedup();
    out
}
