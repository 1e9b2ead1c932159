//! Policy packs: the file format, and the rule settings a pack (or a project
//! configuration's `rules:`) applies on top of what it extends.
//!
//! A pack is validated on the span tree, so every problem is reported at its own
//! line: unknown keys and rules (AL003, with the closest name), bad values and
//! `extends` targets (AL004), duplicate rule settings (AL002), syntax errors (AL001).
//! The serde types below describe the same format for the JSON Schema and give the
//! typed view of entries the walker has already checked.

use std::sync::Arc;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::document::{Node, Span, Value};
use crate::lint::RuleLevel;
use crate::report::Severity;
use crate::rules::{DUPLICATE_KEY, INVALID_VALUE, REGISTRY, RuleEntry, RuleMeta, UNKNOWN_KEY, registry::OPT_IN};

use super::custom::CustomRule;
use super::{PolicyFile, closest};

/// A policy pack file (`policies/*.yaml`, or a team's own).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "agentlint policy pack")]
pub struct PackFile {
    /// JSON Schema reference for editors.
    #[serde(rename = "$schema", default)]
    #[schemars(with = "String")]
    pub schema: Option<String>,
    /// Short name shown by `agentlint policies`; defaults to the file name.
    #[serde(default)]
    #[schemars(with = "String")]
    pub name: Option<String>,
    /// One or two sentences: what kind of deployment the pack is for.
    #[serde(default)]
    #[schemars(with = "String")]
    pub description: Option<String>,
    /// The pack this one builds on: a built-in name (`production`, `ci`, `review`, `baseline`)
    /// or a path relative to this file (it must contain `/` or end in `.yaml`, `.yml` or `.json`).
    #[serde(default)]
    #[schemars(with = "String")]
    pub extends: Option<String>,
    /// Rule id or name → `off`, `default`, a severity, or a mapping of `severity` and the rule's
    /// parameters. The key `"*"` applies to every rule and is applied first.
    #[serde(default)]
    #[schemars(schema_with = "rules_schema")]
    pub rules: IndexMap<String, RuleSetting>,
    /// Custom rules: CEL assertions evaluated once per agent.
    #[serde(default)]
    pub custom: Vec<CustomRuleSpec>,
    /// Policy tests: tool calls and the decision every effective session that `check` looks at
    /// must make (`agentlint can`); a test that gets another is an AL010 finding.
    #[serde(default)]
    pub tests: Vec<crate::effective::policy_tests::PolicyTestSpec>,
}

/// The schema of `rules:`: keys are rule ids (`AL104`), rule names (`broad-tool-grant`), custom
/// rules' ids or names, or `*`.
pub fn rules_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let setting = generator.subschema_for::<RuleSetting>();
    schemars::json_schema!({
        "type": "object",
        "propertyNames": { "pattern": r"^(\*|[A-Za-z][A-Za-z0-9_-]*)$" },
        "additionalProperties": setting,
    })
}

/// How one rule is configured.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RuleSetting {
    Level(LevelName),
    Configured(ConfiguredRule),
}

/// `off`, `default` (the rule's own severity), or a severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LevelName {
    Off,
    Default,
    Error,
    Warning,
    Note,
}

impl LevelName {
    pub const ALL: [&'static str; 5] = ["off", "default", "error", "warning", "note"];

    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "off" => Self::Off,
            "default" => Self::Default,
            "error" => Self::Error,
            "warning" => Self::Warning,
            "note" => Self::Note,
            _ => return None,
        })
    }

    pub fn level(self) -> RuleLevel {
        match self {
            Self::Off => RuleLevel::Off,
            Self::Default => RuleLevel::Default,
            Self::Error => RuleLevel::Fixed(Severity::Error),
            Self::Warning => RuleLevel::Fixed(Severity::Warning),
            Self::Note => RuleLevel::Fixed(Severity::Note),
        }
    }
}

/// A mapping: an optional `severity` (a mapping without one turns the rule on at the
/// severity it already had, or its default) and the rule's parameters (`agentlint explain ID`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct ConfiguredRule {
    #[serde(default)]
    #[schemars(with = "LevelName")]
    pub severity: Option<LevelName>,
    #[serde(flatten)]
    pub params: serde_json::Map<String, serde_json::Value>,
}

/// A custom rule: a CEL assertion about each agent.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomRuleSpec {
    /// Unique id, e.g. `ACME001`: letters, digits, `-` and `_`, starting with a letter.
    /// Ids of the form `AL` + digits are reserved for built-in rules.
    #[schemars(regex(pattern = r"^[A-Za-z][A-Za-z0-9_-]*$"))]
    pub id: String,
    /// Kebab-case name, e.g. `budget-ceiling`.
    #[schemars(regex(pattern = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"))]
    pub name: String,
    pub severity: CustomSeverity,
    /// The finding's message when the assertion is false.
    pub message: String,
    /// What to write instead, shown under the finding.
    #[serde(default)]
    #[schemars(with = "String")]
    pub help: Option<String>,
    /// JSON pointer into the agent's options (`/max_budget_usd`) where the finding points;
    /// the nearest existing parent, then the agent, when it is absent.
    #[serde(default)]
    #[schemars(with = "String")]
    pub pointer: Option<String>,
    /// CEL expression over `config`, `agent` and `file` that must be true.
    pub assert: String,
}

/// A custom rule's severity.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CustomSeverity {
    Error,
    Warning,
    Note,
}

impl CustomSeverity {
    pub fn severity(self) -> Severity {
        match self {
            Self::Error => Severity::Error,
            Self::Warning => Severity::Warning,
            Self::Note => Severity::Note,
        }
    }
}

/// What builds a rule: a catalogue entry, or a custom rule loaded from a pack.
#[derive(Clone)]
pub enum RuleKind {
    Builtin(&'static RuleEntry),
    Custom(Arc<CustomRule>),
}

/// One parameter value as configured, with where it was written.
#[derive(Debug, Clone)]
pub struct Param {
    pub value: Node,
    pub file: usize,
    pub key: Span,
}

/// One rule's effective setting.
#[derive(Clone)]
pub struct RuleSlot {
    pub meta: &'static RuleMeta,
    pub kind: RuleKind,
    pub level: RuleLevel,
    /// Parameters set by the packs and the project configuration, later layers winning per key.
    pub params: IndexMap<String, Param>,
    /// Where the rule was configured last (file, key span), for errors about its parameters as a whole.
    pub configured_at: Option<(usize, Span)>,
}

impl RuleSlot {
    /// The parameters as the rule's `build` takes them (`null` when none are set).
    pub fn params_json(&self) -> serde_json::Value {
        if self.params.is_empty() {
            return serde_json::Value::Null;
        }
        serde_json::Value::Object(self.params.iter().map(|(k, p)| (k.clone(), p.value.to_json())).collect())
    }

    pub fn is_opt_in(&self) -> bool {
        matches!(self.kind, RuleKind::Builtin(_)) && OPT_IN.contains(&self.meta.id)
    }

    /// The severity findings get, or `None` when the rule is off.
    pub fn effective(&self) -> Option<Severity> {
        match self.level {
            RuleLevel::Off => None,
            RuleLevel::Default => Some(self.meta.severity),
            RuleLevel::Fixed(s) => Some(s),
        }
    }
}

/// Every rule's setting: the built-in catalogue in id order, then custom rules in definition order.
#[derive(Clone)]
pub struct RuleState {
    pub slots: Vec<RuleSlot>,
}

impl RuleState {
    /// Before any pack: every rule at its default severity, opt-in rules off.
    pub fn base() -> Self {
        let slots = REGISTRY
            .iter()
            .map(|entry| RuleSlot {
                meta: entry.meta,
                kind: RuleKind::Builtin(entry),
                level: if OPT_IN.contains(&entry.meta.id) { RuleLevel::Off } else { RuleLevel::Default },
                params: IndexMap::new(),
                configured_at: None,
            })
            .collect();
        Self { slots }
    }

    /// The slot of a rule id (case-insensitive) or name.
    pub fn find(&self, key: &str) -> Option<usize> {
        self.slots.iter().position(|s| s.meta.id.eq_ignore_ascii_case(key) || s.meta.name == key)
    }

    /// "did you mean `AL104` (broad-tool-grant)?"
    pub fn suggest(&self, key: &str) -> Option<String> {
        let ids: Vec<&str> = self.slots.iter().map(|s| s.meta.id).collect();
        let names: Vec<&str> = self.slots.iter().map(|s| s.meta.name).collect();
        let by_id = closest(&key.to_ascii_uppercase(), &ids);
        let by_name = closest(key, &names);
        let found = by_name.or(by_id)?;
        let slot = &self.slots[self.find(found)?];
        Some(format!("did you mean `{}` ({})?", slot.meta.id, slot.meta.name))
    }

    pub fn custom_rules(&self) -> impl Iterator<Item = &Arc<CustomRule>> {
        self.slots.iter().filter_map(|s| match &s.kind {
            RuleKind::Custom(c) => Some(c),
            RuleKind::Builtin(_) => None,
        })
    }
}

/// The keys a pack file may have.
pub const PACK_KEYS: &[&str] = &["$schema", "name", "description", "extends", "rules", "custom", "tests"];

/// Reports keys of `map` that are not in `known` (AL003, with the closest known key) and
/// duplicate keys (AL002). `what` names the place: "a policy pack".
pub(crate) fn check_keys(file: &mut PolicyFile, map: &Node, known: &[&str], what: &str) {
    let Some(entries) = map.as_map() else { return };
    for (i, entry) in entries.iter().enumerate() {
        let key = entry.key.text.as_str();
        if let Some(first) = entries[..i].iter().find(|e| e.key.text == key) {
            let line = file.line_of(first.key.span);
            file.report(
                &DUPLICATE_KEY,
                entry.key.span,
                format!("duplicate key `{key}` (first set on line {line})"),
                Some(format!("keep one `{key}` key and delete the other")),
            );
            continue;
        }
        if !known.contains(&key) {
            let help = match closest(key, known) {
                Some(c) => format!("did you mean `{c}`? {what} has the keys {}", list(known)),
                None => format!("{what} has the keys {}", list(known)),
            };
            file.report(&UNKNOWN_KEY, entry.key.span, format!("unknown key `{key}` in {what}"), Some(help));
        }
    }
}

/// Checks that `item` is a mapping with only `known` keys and every `required` one (a custom
/// rule, an `ignore` entry). `what` names it with an article ("a custom rule"), `subject`
/// without ("custom rule"). Returns false, after reporting it, when `item` is not a mapping.
pub(crate) fn check_record(
    file: &mut PolicyFile,
    item: &Node,
    known: &[&str],
    required: &[&str],
    what: &str,
    subject: &str,
) -> bool {
    let Some(entries) = item.as_map() else {
        file.report(
            &INVALID_VALUE,
            item.span,
            format!("{what} must be a mapping, not {}", item.type_name()),
            Some(format!("give it the keys {}", list(known))),
        );
        return false;
    };
    check_keys(file, item, known, what);
    let anchor = entries.first().map_or(item.span, |e| e.key.span);
    for key in required {
        if item.get(key).is_none() {
            file.report(
                &INVALID_VALUE,
                anchor,
                format!("{subject} is missing `{key}`"),
                Some(format!("{what} needs {}", list(required))),
            );
        }
    }
    true
}

/// "`a`, `b` and `c`"
pub(crate) fn list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().filter(|i| !i.starts_with('$')).map(|i| format!("`{i}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A string value, or an AL004 finding at the value.
pub(crate) fn expect_str<'n>(file: &mut PolicyFile, node: &'n Node, what: &str) -> Option<&'n str> {
    match &node.value {
        Value::String(s) => Some(s),
        _ => {
            file.report(&INVALID_VALUE, node.span, format!("{what} must be a string, not {}", node.type_name()), None);
            None
        }
    }
}

/// Parses a level (`off`, `default`, a severity) from a string node, or reports it.
fn parse_level(file: &mut PolicyFile, node: &Node, what: &str) -> Option<LevelName> {
    if let Some(level) = node.as_str().and_then(LevelName::parse) {
        return Some(level);
    }
    let found = match &node.value {
        Value::String(s) => format!("`{s}`"),
        Value::Bool(false) => "`false`".into(),
        _ => node.type_name().into(),
    };
    let help = match node.as_str().and_then(|s| closest(s, &LevelName::ALL)) {
        Some(c) => format!("did you mean `{c}`?"),
        None if matches!(node.value, Value::Bool(false)) => "write `off`".into(),
        None => format!("write one of {}", list(&LevelName::ALL)),
    };
    file.report(
        &INVALID_VALUE,
        node.span,
        format!("{what} must be `off`, `default`, `error`, `warning` or `note`, not {found}"),
        Some(help),
    );
    None
}

/// Applies a `rules:` mapping (of a pack or of a project configuration) to `state`.
/// `"*"` is applied first; then each entry in order. Problems are reported in `file`.
pub(crate) fn apply_rules(file: &mut PolicyFile, file_index: usize, rules: &Node, state: &mut RuleState) {
    let Some(entries) = rules.as_map() else {
        if !matches!(rules.value, Value::Null) {
            file.report(
                &INVALID_VALUE,
                rules.span,
                format!("`rules` must be a mapping of rule ids or names to settings, not {}", rules.type_name()),
                Some("write e.g. `rules: {AL104: error, AL201: {max: 50}}`".into()),
            );
        }
        return;
    };
    let star = entries.iter().filter(|e| e.key.text == "*");
    for entry in star {
        let Some(level) = parse_level(file, &entry.value, "the setting of `*`") else { continue };
        for slot in &mut state.slots {
            match level {
                LevelName::Off => slot.level = RuleLevel::Off,
                // Opt-in rules stay as they are: `*` is about the rules that are meant to run everywhere.
                _ if slot.is_opt_in() => {}
                other => slot.level = other.level(),
            }
        }
    }
    let mut seen: Vec<(usize, Span)> = Vec::new();
    for entry in entries.iter().filter(|e| e.key.text != "*") {
        let key = entry.key.text.as_str();
        let Some(index) = state.find(key) else {
            let help = state.suggest(key).unwrap_or_else(|| "`agentlint rules` lists the rules".into());
            file.report(&UNKNOWN_KEY, entry.key.span, format!("unknown rule `{key}`"), Some(help));
            continue;
        };
        if let Some((_, first)) = seen.iter().find(|(i, _)| *i == index) {
            let line = file.line_of(*first);
            let meta = state.slots[index].meta;
            file.report(
                &DUPLICATE_KEY,
                entry.key.span,
                format!("{} ({}) is already configured on line {line}", meta.id, meta.name),
                Some("keep one setting for the rule and delete the other".into()),
            );
            continue;
        }
        seen.push((index, entry.key.span));
        let slot = &mut state.slots[index];
        let what = format!("the setting of {}", slot.meta.id);
        match &entry.value.value {
            Value::Map(params) => {
                let mut level = None;
                for p in params {
                    if p.key.text == "severity" {
                        level = parse_level(file, &p.value, &format!("`severity` of {}", slot.meta.id));
                        continue;
                    }
                    if let RuleKind::Custom(_) = slot.kind {
                        file.report(
                            &UNKNOWN_KEY,
                            p.key.span,
                            format!("custom rule `{}` takes no parameters, only `severity`", slot.meta.id),
                            None,
                        );
                        continue;
                    }
                    slot.params.insert(
                        p.key.text.clone(),
                        Param { value: p.value.clone(), file: file_index, key: p.key.span },
                    );
                }
                slot.level = match level {
                    Some(l) => l.level(),
                    None if slot.level == RuleLevel::Off => RuleLevel::Default,
                    None => slot.level,
                };
                slot.configured_at = Some((file_index, entry.key.span));
            }
            _ => {
                if let Some(level) = parse_level(file, &entry.value, &what) {
                    slot.level = level.level();
                    slot.configured_at = Some((file_index, entry.key.span));
                }
            }
        }
    }
}
