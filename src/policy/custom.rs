//! Custom rules: a pack's `custom:` entries, each a CEL assertion evaluated once per agent.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, OnceLock};

use regex::Regex;

use crate::document::{Node, Span, Value};
use crate::lint::RuleLevel;
use crate::report::{Finding, Location};
use crate::rules::{AgentContext, INVALID_VALUE, REGISTRY, Rule, RuleMeta};

use super::PolicyFile;
use super::cel::{CelAssertion, CelError, EVALUATION_BUDGET, RUN_BUDGET};

/// Cost units all custom rules' evaluations have used in this process (see `RUN_BUDGET`).
static RUN_USED: AtomicU64 = AtomicU64::new(0);
use super::pack::{CustomRuleSpec, RuleKind, RuleSlot, RuleState, expect_str};

/// The keys of a custom rule.
pub const CUSTOM_KEYS: &[&str] = &["id", "name", "severity", "message", "help", "pointer", "assert"];
const REQUIRED: &[&str] = &["id", "name", "severity", "message", "assert"];

static ID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[A-Za-z][A-Za-z0-9_-]*$").expect("valid regex"));
static RESERVED_ID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)^AL[0-9]+$").expect("valid regex"));
static NAME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$").expect("valid regex"));

/// A loaded custom rule. Its metadata is leaked once per pack load (packs load once per run),
/// so findings can carry a `&'static RuleMeta` like built-in rules.
pub struct CustomRule {
    pub meta: &'static RuleMeta,
    pub assertion: CelAssertion,
    pub pointer: Option<String>,
    pub message: String,
    pub help: Option<String>,
    /// The pack that defines it, for help texts.
    pub pack: String,
    /// Where its `assert` is written (policy file index and span), for findings about the rule.
    pub(crate) origin: Option<(usize, Span)>,
    /// Set when an evaluation ran out of budget: why, reported once at `origin`. The rule is
    /// not evaluated again in this run.
    pub(crate) exhausted: OnceLock<String>,
}

impl Rule for Arc<CustomRule> {
    fn meta(&self) -> &'static RuleMeta {
        self.meta
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        if self.exhausted.get().is_some() {
            return;
        }
        let config = ctx.agent.tree.to_json();
        let agent = ctx.name().unwrap_or("");
        let location = self.location(ctx);
        let left = RUN_BUDGET.saturating_sub(RUN_USED.load(Ordering::Relaxed));
        let budget = EVALUATION_BUDGET.min(left);
        let (result, used) = self.assertion.evaluate_within(&config, agent, &ctx.config.source.path, budget);
        RUN_USED.fetch_add(used, Ordering::Relaxed);
        match result {
            Err(CelError { over_budget: true, .. }) => {
                let whose = match ctx.name() {
                    Some(name) => format!("agent `{name}` in `{}`", ctx.config.source.path),
                    None => format!("`{}`", ctx.config.source.path),
                };
                let _ = self.exhausted.set(if budget < EVALUATION_BUDGET {
                    format!(
                        "custom rule {} ran out of the budget all custom rules share in a run ({RUN_BUDGET} steps) \
                         at {whose}; it was not checked there or on the agents after it",
                        self.meta.id
                    )
                } else {
                    format!(
                        "custom rule {} used up its evaluation budget ({EVALUATION_BUDGET} steps) on {whose}; \
                         it was not checked there or on the agents after it",
                        self.meta.id
                    )
                });
            }
            Ok(true) => {}
            Ok(false) => {
                let mut f = ctx.finding(self.meta, location, &self.message);
                f.help = self.help.clone();
                out.push(f);
            }
            Err(CelError { message, .. }) => out.push(
                ctx.finding(
                    self.meta,
                    location,
                    format!("custom rule {} could not be evaluated: {message}", self.meta.id),
                )
                .help(format!(
                    "fix its `assert` in {}: test optional options with `has(config.<option>)` before reading them",
                    self.pack
                )),
            ),
        }
    }
}

impl CustomRule {
    /// The value at `pointer` in the agent's merged options; else its nearest existing parent; else the agent.
    fn location(&self, ctx: &AgentContext<'_>) -> Location {
        let Some(pointer) = self.pointer.as_deref() else { return ctx.at_agent() };
        let mut current = pointer;
        while !current.is_empty() {
            if let Some(target) = ctx.agent.tree.pointer(current) {
                return ctx.locate(target.node.span);
            }
            current = current.rfind('/').map_or("", |i| &current[..i]);
        }
        ctx.at_agent()
    }
}

/// Reads a pack's `custom:` list into `state`. Problems are reported in `file`; a rule with a
/// problem is not added.
pub(crate) fn load_custom(file: &mut PolicyFile, file_index: usize, list: &Node, pack: &str, state: &mut RuleState) {
    let Some(items) = list.as_seq() else {
        if !matches!(list.value, Value::Null) {
            file.report(
                &INVALID_VALUE,
                list.span,
                format!("`custom` must be a list of custom rules, not {}", list.type_name()),
                Some("write `custom:` followed by `- id: ...` entries".into()),
            );
        }
        return;
    };
    for item in items {
        if let Some(rule) = load_one(file, file_index, item, pack, state) {
            state.slots.push(RuleSlot {
                meta: rule.meta,
                level: RuleLevel::Default,
                kind: RuleKind::Custom(Arc::new(rule)),
                params: Default::default(),
                configured_at: Some((file_index, item.span)),
            });
        }
    }
}

fn load_one(
    file: &mut PolicyFile,
    file_index: usize,
    item: &Node,
    pack: &str,
    state: &RuleState,
) -> Option<CustomRule> {
    let before = file.error_count();
    if !super::pack::check_record(file, item, CUSTOM_KEYS, REQUIRED, "a custom rule", "custom rule") {
        return None;
    }
    for key in CUSTOM_KEYS {
        if let Some(value) = item.get(key) {
            expect_str(file, value, &format!("`{key}`"));
        }
    }
    let text = |key: &str| item.get(key).and_then(Node::as_str);
    if let (Some(id), Some(node)) = (text("id"), item.get("id")) {
        check_id(file, node, id, state);
    }
    if let (Some(name), Some(node)) = (text("name"), item.get("name")) {
        check_name(file, node, name, state);
    }
    if let (Some(severity), Some(node)) = (text("severity"), item.get("severity"))
        && !["error", "warning", "note"].contains(&severity)
    {
        let help = match super::closest(severity, &["error", "warning", "note"]) {
            Some(c) => format!("did you mean `{c}`?"),
            None => "write `error`, `warning` or `note`".into(),
        };
        file.report(
            &INVALID_VALUE,
            node.span,
            format!("`severity` must be `error`, `warning` or `note`, not `{severity}`"),
            Some(help),
        );
    }
    if let (Some(message), Some(node)) = (text("message"), item.get("message"))
        && message.trim().is_empty()
    {
        file.report(&INVALID_VALUE, node.span, "`message` is empty".into(), Some("say what is wrong".into()));
    }
    if let (Some(pointer), Some(node)) = (text("pointer"), item.get("pointer"))
        && !pointer.is_empty()
        && !pointer.starts_with('/')
    {
        file.report(
            &INVALID_VALUE,
            node.span,
            format!("`pointer` must be a JSON pointer starting with `/`, not `{pointer}`"),
            Some(format!("write `/{pointer}`")),
        );
    }
    let assertion = match (text("assert"), item.get("assert")) {
        (Some(source), Some(node)) => compile(file, node, source),
        _ => None,
    };
    if file.error_count() > before {
        return None;
    }
    let spec: CustomRuleSpec = match serde_json::from_value(item.to_json()) {
        Ok(spec) => spec,
        Err(e) => {
            file.report(&INVALID_VALUE, item.span, format!("invalid custom rule: {e}"), None);
            return None;
        }
    };
    let meta: &'static RuleMeta = Box::leak(Box::new(RuleMeta {
        id: Box::leak(spec.id.into_boxed_str()),
        name: Box::leak(spec.name.into_boxed_str()),
        severity: spec.severity.severity(),
        kinds: &[crate::kinds::Kind::Deployment],
        summary: Box::leak(format!("{} (custom rule from {pack})", spec.message.trim()).into_boxed_str()),
        docs: "",
    }));
    Some(CustomRule {
        meta,
        assertion: assertion?,
        pointer: spec.pointer.filter(|p| !p.is_empty()),
        message: spec.message,
        help: spec.help,
        pack: pack.to_owned(),
        origin: item.get("assert").map(|node| (file_index, node.span)),
        exhausted: OnceLock::new(),
    })
}

fn check_id(file: &mut PolicyFile, node: &Node, id: &str, state: &RuleState) {
    let problem = if !ID.is_match(id) {
        Some(format!("custom rule id `{id}` must start with a letter and hold only letters, digits, `-` and `_`"))
    } else if let Some(entry) = REGISTRY.iter().find(|e| e.meta.id.eq_ignore_ascii_case(id) || e.meta.name == id) {
        Some(format!("custom rule id `{id}` is taken by built-in rule {} ({})", entry.meta.id, entry.meta.name))
    } else if RESERVED_ID.is_match(id) {
        Some(format!("custom rule id `{id}` has the form of a built-in id (`AL` and digits), which is reserved"))
    } else {
        state.find(id).map(|i| format!("custom rule id `{id}` is already defined by {}", custom_origin(state, i)))
    };
    if let Some(message) = problem {
        file.report(
            &INVALID_VALUE,
            node.span,
            message,
            Some("choose an id with your team's prefix, e.g. `ACME001`".into()),
        );
    }
}

fn check_name(file: &mut PolicyFile, node: &Node, name: &str, state: &RuleState) {
    let problem = if !NAME.is_match(name) {
        Some(format!("custom rule name `{name}` must be kebab-case, e.g. `budget-ceiling`"))
    } else if let Some(entry) = REGISTRY.iter().find(|e| e.meta.name == name || e.meta.id.eq_ignore_ascii_case(name)) {
        Some(format!("custom rule name `{name}` is taken by built-in rule {} ({})", entry.meta.id, entry.meta.name))
    } else {
        state.find(name).map(|i| format!("custom rule name `{name}` is already used by {}", custom_origin(state, i)))
    };
    if let Some(message) = problem {
        file.report(&INVALID_VALUE, node.span, message, None);
    }
}

fn custom_origin(state: &RuleState, index: usize) -> String {
    match &state.slots[index].kind {
        RuleKind::Custom(c) => format!("custom rule {} ({}) of {}", c.meta.id, c.meta.name, c.pack),
        RuleKind::Builtin(e) => format!("built-in rule {} ({})", e.meta.id, e.meta.name),
    }
}

/// Compiles an `assert` and checks its variables; errors point into the expression where the
/// offset maps onto the source text.
fn compile(file: &mut PolicyFile, node: &Node, source: &str) -> Option<CelAssertion> {
    let result = CelAssertion::compile(source).and_then(|a| a.check_references().map(|()| a));
    match result {
        Ok(a) => Some(a),
        Err(CelError { message, offset, .. }) => {
            let text = &file.source.text;
            let trimmed = source.trim_end().len();
            let (span, column) = match offset {
                // At (or in the blanks after) the end: just after the expression's last character.
                Some(offset) if offset >= trimmed && trimmed > 0 => {
                    let last = source[..trimmed].char_indices().last().map_or(0, |(i, _)| i);
                    match map_offset(text, node.span, source, last) {
                        Some(at) => {
                            let end = next_char_end(text, at, node.span.end);
                            (Span::new(end, end), None)
                        }
                        None => (node.span, Some(source[..trimmed].chars().count() + 1)),
                    }
                }
                Some(offset) => match map_offset(text, node.span, source, offset) {
                    Some(at) => (Span::new(at, next_char_end(text, at, node.span.end)), None),
                    None => (node.span, Some(source.get(..offset).map_or(0, |s| s.chars().count()) + 1)),
                },
                None => (node.span, None),
            };
            let message = match column {
                Some(c) => format!("invalid `assert` (at character {c} of the expression): {message}"),
                None => format!("invalid `assert`: {message}"),
            };
            file.report(
                &INVALID_VALUE,
                span,
                message,
                Some(
                    "the variables are `config` (the agent's options), `agent` (its name) and `file` (the path)".into(),
                ),
            );
            None
        }
    }
}

/// The end of the character at `at` (an empty span at the end of a value stays empty).
fn next_char_end(text: &str, at: usize, limit: usize) -> usize {
    text.get(at..limit.min(text.len())).and_then(|rest| rest.chars().next()).map_or(at, |c| at + c.len_utf8())
}

/// Maps byte `offset` of a scalar's decoded `value` onto the source text inside `span`, by
/// walking both: characters must match, except that the source may skip quotes, escapes'
/// backslashes, indentation and line breaks (where the value has a space or a line break
/// from folding). `None` when the walk does not reach the offset cleanly (escape sequences
/// such as `\n` or `\u0041`), so the caller falls back to the whole value.
pub(crate) fn map_offset(text: &str, span: Span, value: &str, offset: usize) -> Option<usize> {
    let raw = text.get(span.start..span.end)?;
    let src: Vec<(usize, char)> = raw.char_indices().collect();
    let mut s = 0;
    // Source offset just after the last matched character.
    let mut after_last = 0;
    for (vi, vc) in value.char_indices() {
        loop {
            let (si, sc) = *src.get(s)?;
            let folded = vc == ' ' && (sc == '\n' || sc == '\r');
            if sc == vc || folded {
                if vi == offset {
                    return Some(span.start + si);
                }
                s += 1;
                if folded {
                    // A folded line break: skip it and the next line's indentation.
                    while src.get(s).is_some_and(|&(_, c)| matches!(c, ' ' | '\t' | '\r' | '\n')) {
                        s += 1;
                    }
                }
                after_last = si + sc.len_utf8();
                break;
            }
            if matches!(sc, ' ' | '\t' | '\n' | '\r' | '"' | '\'' | '\\' | '|' | '>' | '-' | '+') {
                s += 1;
                continue;
            }
            return None;
        }
    }
    // An error at the very end of the expression ("unexpected end of input").
    (offset == value.len() && !value.is_empty()).then_some(span.start + after_last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, value: &str, offset: usize) -> Option<String> {
        let start = text.find(": ").unwrap() + 2;
        let span = Span::new(start, text.trim_end().len());
        map_offset(text, span, value, offset).map(|i| text[i..].chars().take(3).collect())
    }

    #[test]
    fn offsets_map_into_plain_quoted_and_block_scalars() {
        assert_eq!(at("a: config.x > > 1\n", "config.x > > 1", 11).as_deref(), Some("> 1"));
        assert_eq!(at("a: \"config.x > > 1\"\n", "config.x > > 1", 11).as_deref(), Some("> 1"));
        assert_eq!(at("a: 'it''s' > > 1\n", "'it's' > > 1", 9).as_deref(), Some("> 1"));
        assert_eq!(at("a: |\n  config.x\n    > > 1\n", "config.x\n  > > 1\n", 13).as_deref(), Some("> 1"));
        assert_eq!(at("a: >-\n  config.x\n  > > 1\n", "config.x > > 1", 11).as_deref(), Some("> 1"));
        assert_eq!(at("a: config.x\n  > > 1\n", "config.x > > 1", 11).as_deref(), Some("> 1"));
    }

    #[test]
    fn escapes_do_not_map() {
        assert_eq!(at("a: \"\\u0061 > > 1\"\n", "a > > 1", 4), None);
    }

    #[test]
    fn end_of_expression_maps_after_the_last_character() {
        let text = "a: \"config.x <=\"\n";
        let start = 3;
        let span = Span::new(start, text.trim_end().len());
        let i = map_offset(text, span, "config.x <=", 11).unwrap();
        assert_eq!(&text[i..], "\"\n");
    }
}
