//! The `workflow` kind: GitHub Actions workflows (`.github/workflows/*.yml`).
//!
//! Two kinds of site: a `claude` command line in a step's `run:` script (parsed as shell, see
//! [`super::shell`]; `${{ … }}` expressions are unknown), and a step that `uses:`
//! `anthropics/claude-code-action` (or `claude-code-base-action`), whose `with:` inputs are
//! options: `claude_args` is read as a `claude` command line, `settings` as the `--settings`
//! value, and the inputs of the action's first release (`allowed_tools`, `disallowed_tools`,
//! `max_turns`, `model`, `fallback_model`, `mcp_config`) as the flags they became.
//! `anthropic_api_key` is the API key; `${{ secrets.NAME }}` is an environment reference.

use super::Host;
use super::command_line::{self, Mapped};
use super::shell::{self, string_mapped};
use super::source::{Extraction, Site, Unreadable, entry};
use crate::config::UnknownOrigin;
use crate::document::{self, Node, Span, Value};

/// The actions whose `with:` inputs are session options.
const ACTIONS: &[&str] = &["anthropics/claude-code-action", "anthropics/claude-code-base-action"];

pub fn extract(text: &str) -> Result<Extraction, Unreadable> {
    let root = document::parse_yaml(text).map_err(|e| Unreadable { message: e.message, span: e.span })?;
    let mut out = Extraction::default();
    for job in root.get("jobs").and_then(Node::as_map).unwrap_or_default() {
        for step in job.value.get("steps").and_then(Node::as_seq).unwrap_or_default() {
            if let Some(run) = step.get("run").filter(|_| runs_in_a_posix_shell(step))
                && let Some(script) = run.as_str()
            {
                let mapped = string_mapped(text, run.span, script);
                let gh = shell::gh_expressions(&mapped.text);
                shell::script(&mapped, &gh, &mut out)?;
            }
            if let Some(uses) = step.entry("uses")
                && let Some(action) = uses.value.as_str()
                && ACTIONS.iter().any(|a| action.split('@').next() == Some(a))
            {
                out.sites.push(action_site(text, uses.value.span, step.get("with")));
            }
        }
    }
    Ok(out)
}

/// A step's `shell:` (default `bash`) is one `claude` can be read from.
fn runs_in_a_posix_shell(step: &Node) -> bool {
    match step.get("shell").and_then(Node::as_str) {
        None => true,
        Some(shell) => {
            let program = shell.split_whitespace().next().unwrap_or_default();
            matches!(program, "bash" | "sh" | "zsh" | "dash" | "ksh")
                || program.ends_with("/bash")
                || program.ends_with("/sh")
        }
    }
}

/// The options of a `uses: anthropics/claude-code-action` step.
fn action_site(text: &str, anchor: Span, with: Option<&Node>) -> Site {
    let mut site = Site::new(anchor, Host::CommandLine);
    site.unknown.push(super::source::RawUnknown {
        path: vec!["cwd".into()],
        span: anchor,
        what: "the runner's workspace".into(),
        origin: UnknownOrigin::Elsewhere,
    });
    let inputs = with.and_then(Node::as_map).unwrap_or_default();
    // `claude_args` first: it holds most options; the old inputs add to it.
    if let Some(args) = inputs.iter().find(|e| e.key.text == "claude_args")
        && let Some(value) = scalar_text(&args.value)
    {
        let mapped = string_mapped(text, args.value.span, &value);
        let gh = shell::gh_expressions(&mapped.text);
        let (words, _) = command_line::split_words(&mapped, &gh);
        if let Some(read) = command_line::read(anchor, &words) {
            site.written = read.written;
            site.problems = read.problems;
            site.unknown.extend(read.unknown.into_iter().filter(|u| u.path.first().is_none_or(|p| p != "cwd")));
        }
    }
    for input in inputs {
        let Some(value) = scalar_text(&input.value) else { continue };
        let mapped = string_mapped(text, input.value.span, &value);
        let gh = shell::gh_expressions(&mapped.text);
        let option = match input.key.text.as_str() {
            "settings" => "--settings",
            "allowed_tools" => "--allowedTools",
            "disallowed_tools" => "--disallowedTools",
            "max_turns" => "--max-turns",
            "model" | "anthropic_model" => "--model",
            "fallback_model" => "--fallback-model",
            "mcp_config" => "--mcp-config",
            "anthropic_api_key" => {
                api_key(&mut site, input.key.span, &mapped, &gh);
                continue;
            }
            _ => continue,
        };
        if mapped.text.trim().is_empty() {
            continue;
        }
        // The input as the flag it stands for: one word, its value the whole input.
        let flag = Mapped { text: format!("{option}="), offsets: vec![input.key.span.start; option.len() + 1] };
        let mut joined = flag.clone();
        joined.text.push_str(&mapped.text);
        joined.offsets.extend(mapped.offsets.iter().copied());
        let shifted: Vec<(usize, usize)> = gh.iter().map(|(a, b)| (a + flag.text.len(), b + flag.text.len())).collect();
        let mut word = command_line::literal_word(&joined, &shifted);
        word.span = input.value.span;
        if let Some(read) = command_line::read(anchor, std::slice::from_ref(&word)) {
            site.written.extend(read.written);
            site.problems.extend(read.problems);
            site.unknown.extend(read.unknown.into_iter().filter(|u| u.path.first().is_none_or(|p| p != "cwd")));
        }
    }
    site
}

/// `anthropic_api_key`: `${{ secrets.NAME }}` is a reference, a literal is a literal.
fn api_key(site: &mut Site, key_span: Span, value: &Mapped, gh: &[(usize, usize)]) {
    let span = value.span(0, value.text.len());
    let trimmed = value.text.trim();
    let node = match gh {
        [(a, b)] if *a == value.text.len() - value.text.trim_start().len() && trimmed.len() == b - a => {
            let inner = value.text[a + 3..b - 2].trim();
            let name =
                inner.strip_prefix("secrets.").or_else(|| inner.strip_prefix("env.")).unwrap_or("ANTHROPIC_API_KEY");
            Node::new(Value::String(format!("${{{name}}}")), span)
        }
        [] => Node::new(Value::String(trimmed.to_owned()), span),
        _ => {
            site.unknown.push(super::source::RawUnknown {
                path: vec!["api_key".into()],
                span,
                what: "a GitHub expression".into(),
                origin: UnknownOrigin::NotLiteral,
            });
            return;
        }
    };
    site.written.push(entry("api_key", key_span, node));
}

/// A scalar input's text (numbers and booleans as written).
fn scalar_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::String(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_steps_and_the_action() {
        let text = r#"on: push
jobs:
  review:
    runs-on: ubuntu-latest
    steps:
      - run: |
          # agentlint: ignore[AL201] bounded by the job's timeout
          claude -p --permission-mode "${{ inputs.mode }}" --model opus "review"
      - uses: anthropics/claude-code-action@v1
        with:
          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}
          claude_args: |
            --max-turns 5
            --allowedTools "Read,Grep"
          settings: '{"sandbox": {"enabled": true}}'
      - run: python x.py
        shell: python
"#;
        let ex = extract(text).unwrap();
        assert_eq!(ex.sites.len(), 2);
        assert_eq!(ex.comments.len(), 1);
        let run = &ex.sites[0];
        assert_eq!(&text[run.anchor.start..run.anchor.end], "claude");
        assert!(run.unknown.iter().any(|u| u.path == ["permission_mode"] && u.what == "`${{ inputs.mode }}`"));
        let model = run.written.iter().find(|e| e.key.text == "model").unwrap();
        assert_eq!(&text[model.value.span.start..model.value.span.end], "opus");
        let action = &ex.sites[1];
        let keys: Vec<&str> = action.written.iter().map(|e| e.key.text.as_str()).collect();
        assert_eq!(keys, ["max_turns", "allowed_tools", "api_key", "sandbox"]);
        let tools = action.written.iter().find(|e| e.key.text == "allowed_tools").unwrap();
        let first = &tools.value.as_seq().unwrap()[0];
        assert_eq!(&text[first.span.start..first.span.end], "Read");
        let key = action.written.iter().find(|e| e.key.text == "api_key").unwrap();
        assert_eq!(key.value.as_str(), Some("${ANTHROPIC_API_KEY}"));
        let sandbox = action.written.iter().find(|e| e.key.text == "sandbox").unwrap();
        assert_eq!(&text[sandbox.key.span.start..sandbox.key.span.end], "\"sandbox\"");
    }
}
