//! AL302 secret-in-config.
//!
//! [`secrets_in`] walks the file as written, so a value shared through `defaults:`
//! or a YAML anchor is reported once, at the one place it is written.

use std::borrow::Cow;
use std::collections::HashSet;

use super::al301_hardcoded_api_key::literal_credentials;
use super::{FileContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::config::LoadedConfig;
use crate::document::{Node, Span, Value};
use crate::kinds::Kind;
use crate::report::{Finding, Severity};
use crate::secrets::{self, SecretKind};

pub static META: RuleMeta = RuleMeta {
    id: "AL302",
    name: "secret-in-config",
    severity: Severity::Error,
    kinds: Kind::ALL,
    summary: "A string value anywhere in the file contains a known credential format",
    docs: r#"## What it checks
Every string value in the file (not the keys) for credentials in a known format: Anthropic API, Admin and OAuth keys, OpenAI keys, AWS access key IDs and Bedrock keys, GitHub, GitLab, Slack, Stripe, Hugging Face, npm and PyPI tokens, Google API keys, PEM private keys and JSON Web Tokens. That covers MCP server `env`, `headers` and `args`, hook commands and URLs, system prompts, inline `settings`, `extra_args` and everything else. Each secret is reported at its exact place inside the value, with the kind of credential it is. Values that AL301 already reports (`api_key` and credential environment variables with literal values) are not reported again.

Every string of every kind of file is scanned: settings, `.mcp.json`, and the frontmatter of subagents, commands and skills.

## Why it matters
A token in a committed config is readable by everyone with access to the repository, its forks, CI logs and images built from it, and stays in history after it is deleted. Tokens given to MCP servers and hooks are often broader than the agent needs (a GitHub token with `repo` scope, a Slack bot token), and anything the agent's tools can read, a prompt injection can send elsewhere.

## Failing example
```yaml
mcp_servers:
  github:
    command: github-mcp-server
    env:
      GITHUB_PERSONAL_ACCESS_TOKEN: ghp_…
```

## Passing example
```yaml
mcp_servers:
  github:
    command: github-mcp-server
    env:
      GITHUB_PERSONAL_ACCESS_TOKEN: ${GITHUB_TOKEN}
```

## How to fix
Take the secret from the environment the agent is launched in (`${NAME}` or `{env: NAME}` for `env` values), or inject it at a proxy so the agent never sees it. Then revoke the credential: it has already been exposed. agentlint never prints a secret in full, in any output format.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(SecretInConfig))
    },
};

/// One step of the path to a value as written in the file.
#[derive(Debug, Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// A credential found in a string value of the file.
pub(crate) struct FoundSecret<'a> {
    /// Path from the file's top level to the value.
    path: Vec<Step<'a>>,
    /// The whole value's span.
    pub value_span: Span,
    /// The secret's own span, or the value's when the value is not written verbatim
    /// (escapes, folded or block scalars).
    pub span: Span,
    /// True when `span` is exactly the secret. Otherwise the whole value is masked in
    /// snippets: the source may spell the secret differently, or split it across lines.
    pub exact: bool,
    /// The secret, decoded.
    secret: Cow<'a, str>,
    kind: &'static SecretKind,
}

/// Every credential in a string value of the file as written. A value reached twice
/// (YAML alias or `<<` merge) is listed once.
pub(crate) fn secrets_in(config: &LoadedConfig) -> Vec<FoundSecret<'_>> {
    let mut walker = Walker { text: &config.source.text, path: Vec::new(), seen: HashSet::new(), out: Vec::new() };
    walker.walk(&config.root);
    walker.out
}

struct Walker<'a> {
    text: &'a str,
    path: Vec<Step<'a>>,
    /// (value span, secret start, secret end) already listed.
    seen: HashSet<(Span, usize, usize)>,
    out: Vec<FoundSecret<'a>>,
}

impl<'a> Walker<'a> {
    fn walk(&mut self, node: &'a Node) {
        match &node.value {
            Value::String(value) => self.scan(value, node.span),
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.path.push(Step::Index(i));
                    self.walk(item);
                    self.path.pop();
                }
            }
            Value::Map(entries) => {
                for entry in entries {
                    self.path.push(Step::Key(&entry.key.text));
                    self.walk(&entry.value);
                    self.path.pop();
                }
            }
            Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) => {}
        }
    }

    fn scan(&mut self, value: &'a str, value_span: Span) {
        let found = secrets::scan(value);
        for m in &found {
            if !self.seen.insert((value_span, m.start, m.end)) {
                continue;
            }
            let secret = &value[m.start..m.end];
            let mapped = source_span(self.text, value, value_span, m.start, secret);
            self.out.push(FoundSecret {
                path: self.path.clone(),
                value_span,
                span: mapped.unwrap_or(value_span),
                exact: mapped.is_some(),
                secret: Cow::Borrowed(secret),
                kind: m.kind,
            });
        }
        // A value written over several lines (folded, block, or quoted with escaped line
        // breaks) may hold a secret split across them: look at its source lines joined.
        let raw = self.text.get(value_span.start..value_span.end).unwrap_or_default();
        if !raw.contains('\n') {
            return;
        }
        let joined = join_lines(raw);
        for m in secrets::scan(&joined) {
            let secret = &joined[m.start..m.end];
            if found.iter().any(|f| value[f.start..f.end].contains(secret)) || value.contains(secret) {
                continue;
            }
            if !self.seen.insert((value_span, usize::MAX - m.start, m.end)) {
                continue;
            }
            self.out.push(FoundSecret {
                path: self.path.clone(),
                value_span,
                span: value_span,
                exact: false,
                secret: Cow::Owned(secret.to_owned()),
                kind: m.kind,
            });
        }
    }
}

/// The source of a multi-line scalar with its line breaks, the indentation around them and
/// an escaping `\` before them removed: `>-\n  sk-ant-api03-abc\n  def` becomes
/// `>-sk-ant-api03-abcdef`.
fn join_lines(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for (i, line) in raw.split('\n').enumerate() {
        let line = if i == 0 { line.trim_end() } else { line.trim() };
        out.push_str(line.strip_suffix('\\').unwrap_or(line));
    }
    out
}

/// The source span of `secret`, which starts at byte `start` of the decoded `value`
/// written at `value_span`. Plain scalars are the value itself; quoted ones add one
/// quote on each side. Otherwise the secret is located by text when the value holds it
/// exactly as many times as the source does, so the n-th occurrence maps to the n-th.
fn source_span(text: &str, value: &str, value_span: Span, start: usize, secret: &str) -> Option<Span> {
    if let Some(body) = crate::document::verbatim_offset(text, value_span, value) {
        let begin = body + start;
        return Some(Span::new(begin, begin + secret.len()));
    }
    let raw = text.get(value_span.start..value_span.end)?;
    let in_value: Vec<usize> = value.match_indices(secret).map(|(i, _)| i).collect();
    let in_source: Vec<usize> = raw.match_indices(secret).map(|(i, _)| i).collect();
    if in_value.len() != in_source.len() {
        return None;
    }
    let nth = in_value.iter().position(|&i| i == start)?;
    let begin = value_span.start + in_source[nth];
    Some(Span::new(begin, begin + secret.len()))
}

struct SecretInConfig;

impl SecretInConfig {
    /// `agent `x`: ` and the path inside the agent for values under `agents:` in a
    /// several-agent file; the whole path otherwise.
    fn describe<'s>(ctx: &FileContext<'_>, path: &[Step<'s>]) -> (Option<&'s str>, String) {
        let (agent, rest) = match path {
            [Step::Key("agents"), Step::Key(name), rest @ ..] if ctx.config.several => (Some(*name), rest),
            _ => (None, path),
        };
        let mut text = String::new();
        for step in rest {
            match step {
                Step::Key(key) => {
                    if !text.is_empty() {
                        text.push('.');
                    }
                    text.push_str(key);
                }
                Step::Index(i) => text.push_str(&format!("[{i}]")),
            }
        }
        (agent, text)
    }

    /// The key of the value when it sits directly in an `env` mapping.
    fn env_key<'s>(path: &[Step<'s>]) -> Option<&'s str> {
        match path {
            [.., Step::Key("env"), Step::Key(name)] => Some(name),
            _ => None,
        }
    }
}

impl Rule for SecretInConfig {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        let reported: HashSet<Span> = ctx
            .config
            .agents
            .iter()
            .flat_map(|agent| literal_credentials(&agent.tree, &ctx.config.source.text).into_iter().map(|c| c.span))
            .chain(
                ctx.config.agents.iter().flat_map(|a| super::mcp_servers::literal_credentials(&a.tree)).map(|c| c.span),
            )
            .collect();
        for found in secrets_in(ctx.config) {
            if reported.contains(&found.value_span) {
                continue;
            }
            let (agent, place) = Self::describe(ctx, &found.path);
            let redacted = secrets::redact_as(&found.secret, found.kind);
            let label = found.kind.label;
            let mut message = format!("`{place}` contains {} {label} `{redacted}`", article(label));
            if let Some(name) = agent {
                message = format!("agent `{name}`: {message}");
            }
            let in_server = matches!(found.path.first(), Some(Step::Key("mcpServers" | "mcp_servers" | "mcpServer")));
            let help = match Self::env_key(&found.path) {
                // A settings file's `env` is literal: the variable must come from outside.
                Some(name) if ctx.config.kind.kind == Kind::Settings && !in_server => format!(
                    "delete `{place}` and set `{name}` in the environment Claude Code is started from; then revoke this credential, it has been exposed"
                ),
                Some(name) if ctx.config.source.format == crate::document::Format::Json => format!(
                    "write `\"{name}\": \"${{{name}}}\"` and set `{name}` where the agent is launched; then revoke this credential, it has been exposed"
                ),
                Some(name) => format!(
                    "write `{name}: ${{{name}}}` and set `{name}` where the agent is launched; then revoke this credential, it has been exposed"
                ),
                None => "take the secret from the environment the agent is launched in, or inject it at a proxy so the agent never sees it; then revoke this credential, it has been exposed".to_owned(),
            };
            let mut location = ctx.locate(found.span);
            if location.pointer.is_none() {
                location.pointer = ctx.config.root.pointer_of_span(found.value_span);
            }
            let mut finding = Finding::new(&META, location, message).label(found.kind.label).help(help);
            finding.agent = agent.map(str::to_owned);
            out.push(finding);
        }
    }
}

/// `a` or `an` before a credential label (`an AWS access key ID`, `an npm access token`).
fn article(label: &str) -> &'static str {
    let vowel = label.starts_with(|c: char| "AEIOUaeiou".contains(c));
    if vowel || label.starts_with("npm") { "an" } else { "a" }
}

/// Values whose secret is not spelled out exactly where it is reported (escapes, line
/// folding, a secret split across lines): the whole value is masked in snippets, since the
/// source may spell the secret in another form.
pub(crate) fn unlocated_secret_spans(config: &LoadedConfig) -> Vec<Span> {
    secrets_in(config).into_iter().filter(|s| !s.exact).map(|s| s.value_span).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span_of(text: &str, value: &str, start: usize, secret: &str) -> Option<(usize, usize)> {
        let span = Span::new(text.find(':').unwrap() + 2, text.len());
        source_span(text, value, span, start, secret).map(|s| (s.start, s.end))
    }

    #[test]
    fn plain_and_quoted_values_map_exactly() {
        assert_eq!(span_of("k: a ghp_x b", "a ghp_x b", 2, "ghp_x"), Some((5, 10)));
        assert_eq!(span_of("k: \"a ghp_x\"", "a ghp_x", 2, "ghp_x"), Some((6, 11)));
        assert_eq!(span_of("k: 'a ghp_x'", "a ghp_x", 2, "ghp_x"), Some((6, 11)));
    }

    #[test]
    fn joined_lines_drop_breaks_indentation_and_escapes() {
        assert_eq!(join_lines(">-\n  sk-ant-abc\n  def\n"), ">-sk-ant-abcdef");
        assert_eq!(join_lines("\"ghp_ab\\\n    cd\""), "\"ghp_abcd\"");
    }

    #[test]
    fn escaped_values_map_by_occurrence_or_not_at_all() {
        // `\t` in the source is one byte in the value: found by text.
        assert_eq!(span_of("k: \"\\tghp_x\"", "\tghp_x", 1, "ghp_x"), Some((6, 11)));
        // The secret itself is escaped: the source does not spell it.
        assert_eq!(span_of("k: \"gh\\x70_x\"", "ghp_x", 0, "ghp_x"), None);
    }
}
