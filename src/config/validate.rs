//! Schema validation of the normalized tree: every violation becomes an AL003 or
//! AL004 finding at the exact key or value, and the invalid values are dropped so
//! the typed layer only ever sees valid options.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::paths::LocationSegment;
use serde_json::Value as Json;

use crate::document::{Node, Seg, Value};
use crate::report::{Finding, Location};
use crate::rules::{INVALID_VALUE, UNKNOWN_KEY};

use super::LoadedConfig;
use super::schema::Shape;
use super::types::PermissionMode;
use crate::suggest::closest;

/// The normalized tree without invalid values, and the paths that were dropped.
pub struct Pruned {
    pub tree: Node,
    pub invalid: Vec<Vec<String>>,
}

pub fn validation_findings(
    config: &LoadedConfig,
    normalized: &Node,
    validator: &jsonschema::Validator,
    shape: &Shape<'_>,
    findings: &mut Vec<Finding>,
) -> Pruned {
    let instance = normalized.to_json();
    let mut invalid: Vec<Vec<String>> = Vec::new();
    let _ = shape;
    let mut ctx = Ctx { config, normalized, findings, invalid: &mut invalid };
    for error in validator.iter_errors(&instance) {
        let path: Vec<String> = error.instance_path().iter().map(segment_text).collect();
        ctx.report(&path, error.kind(), error.instance());
    }
    let mut tree = normalized.clone();
    // Remove deepest-last-index first so earlier removals do not shift later paths.
    invalid.sort_by(|a, b| compare_paths(b, a));
    invalid.dedup();
    for path in &invalid {
        remove_path(&mut tree, path);
    }
    Pruned { tree, invalid }
}

fn segment_text(seg: LocationSegment<'_>) -> String {
    match seg {
        LocationSegment::Property(p) => p.to_string(),
        LocationSegment::Index(i) => i.to_string(),
    }
}

fn compare_paths(a: &[String], b: &[String]) -> std::cmp::Ordering {
    for (x, y) in a.iter().zip(b) {
        let ord = match (x.parse::<usize>(), y.parse::<usize>()) {
            (Ok(i), Ok(j)) => i.cmp(&j),
            _ => x.cmp(y),
        };
        if ord.is_ne() {
            return ord;
        }
    }
    a.len().cmp(&b.len())
}

fn remove_path(tree: &mut Node, path: &[String]) {
    let Some((last, parents)) = path.split_last() else { return };
    let mut node = tree;
    for seg in parents {
        let next = match &mut node.value {
            Value::Map(entries) => entries.iter_mut().rev().find(|e| &e.key.text == seg).map(|e| &mut e.value),
            Value::Seq(items) => seg.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => return,
        }
    }
    match &mut node.value {
        Value::Map(entries) => entries.retain(|e| &e.key.text != last),
        Value::Seq(items) => {
            if let Ok(i) = last.parse::<usize>()
                && i < items.len()
            {
                items.remove(i);
            }
        }
        _ => {}
    }
}

struct Ctx<'a> {
    config: &'a LoadedConfig,
    normalized: &'a Node,
    findings: &'a mut Vec<Finding>,
    invalid: &'a mut Vec<Vec<String>>,
}

impl Ctx<'_> {
    fn locate(&self, span: crate::document::Span) -> Location {
        Location::new(&self.config.source, Some(&self.config.root), span)
    }

    /// Walks the normalized tree along an instance path, telling list indices from keys
    /// (a mapping may have a key that looks like a number).
    fn walk<'p>(&self, path: &'p [String]) -> (Vec<Seg<'p>>, Shape<'static>) {
        let mut shape =
            if self.config.several { Shape::definition("DeploymentFile") } else { Shape::definition("AgentOptions") };
        let mut node = Some(self.normalized);
        let mut segs = Vec::with_capacity(path.len());
        for seg in path {
            match (node.map(|n| &n.value), seg.parse::<usize>()) {
                (Some(Value::Seq(items)), Ok(i)) => {
                    segs.push(Seg::Index(i));
                    shape = shape.items();
                    node = items.get(i);
                }
                _ => {
                    segs.push(Seg::Key(seg));
                    shape = shape.field(seg);
                    node = node.and_then(|n| n.get(seg));
                }
            }
        }
        (segs, shape)
    }

    fn target(&self, path: &[String]) -> Option<crate::document::Target<'_>> {
        self.normalized.resolve(self.walk(path).0)
    }

    fn shape_at(&self, path: &[String]) -> Shape<'static> {
        self.walk(path).1
    }

    /// "agent `ci`: " for paths under `/agents/<name>/…`, "`defaults`: " under `/defaults`.
    fn who(&self, path: &[String]) -> String {
        if !self.config.several {
            return String::new();
        }
        match path {
            [a, name, _, ..] if a == "agents" => format!("agent `{name}`: "),
            [d, _, ..] if d == "defaults" => "defaults: ".into(),
            _ => String::new(),
        }
    }

    /// `sandbox.network.allowed_domains[0]`, relative to the agent.
    fn display(&self, path: &[String]) -> String {
        let rel = match path {
            [a, _, rest @ ..] if self.config.several && a == "agents" => rest,
            [d, rest @ ..] if self.config.several && d == "defaults" => rest,
            _ => path,
        };
        let mut out = String::new();
        for seg in rel {
            if seg.parse::<usize>().is_ok() && !out.is_empty() {
                out.push_str(&format!("[{seg}]"));
            } else {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(seg);
            }
        }
        if out.is_empty() { "the value".into() } else { format!("`{out}`") }
    }

    fn report(&mut self, path: &[String], kind: &ValidationErrorKind, instance: &Json) {
        match kind {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                for key in unexpected {
                    self.unknown_key(path, key);
                }
            }
            ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
                // Pick the one alternative the value was clearly meant to be (same JSON type,
                // matching `type` tag) and report its errors precisely; otherwise describe them all.
                let candidates: Vec<_> = context
                    .iter()
                    .filter(|errs| {
                        !errs.is_empty() && errs.iter().all(|e| {
                            let p: Vec<String> = e.instance_path().iter().map(segment_text).collect();
                            let at_self = p.len() == path.len();
                            let at_tag = p.len() == path.len() + 1 && p.last().is_some_and(|l| l == "type");
                            let wrong_type = at_self && matches!(e.kind(), ValidationErrorKind::Type { .. });
                            let wrong_tag = at_tag
                                && matches!(
                                    e.kind(),
                                    ValidationErrorKind::Constant { .. } | ValidationErrorKind::Enum { .. }
                                );
                            let no_tag = at_self
                                && matches!(e.kind(), ValidationErrorKind::Required { property } if property == "type");
                            !(wrong_type || wrong_tag || no_tag)
                        })
                    })
                    .collect();
                if let [errs] = candidates.as_slice() {
                    for e in errs.iter() {
                        let p: Vec<String> = e.instance_path().iter().map(segment_text).collect();
                        self.report(&p, e.kind(), e.instance());
                    }
                } else {
                    let expected = describe(&self.shape_at(path));
                    self.invalid_value(
                        path,
                        format!("{} must be {expected}, not {}", self.display(path), json_type(instance)),
                        None,
                    );
                }
            }
            ValidationErrorKind::Type { kind } => {
                let expected = match kind {
                    TypeKind::Single(t) => type_phrase(&t.to_string()).to_owned(),
                    TypeKind::Multiple(set) => {
                        let names: Vec<&str> = set.into_iter().map(|t| type_phrase(&t.to_string())).collect();
                        join_or(&names)
                    }
                };
                let message = if self.config.several && path.len() == 2 && path[0] == "agents" {
                    format!("agent `{}` must be a mapping of options, not {}", path[1], json_type(instance))
                } else {
                    format!("{} must be {expected}, not {}", self.display(path), json_type(instance))
                };
                self.invalid_value(path, message, None);
            }
            ValidationErrorKind::Enum { options } => {
                let allowed: Vec<String> = options
                    .as_array()
                    .map(|a| a.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)).collect())
                    .unwrap_or_default();
                let found = short(instance);
                let help = enum_help(instance.as_str(), &allowed);
                let list = allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ");
                self.invalid_value(path, format!("{} is {found}; expected one of {list}", self.display(path)), help);
            }
            ValidationErrorKind::Constant { expected_value } => {
                self.invalid_value(
                    path,
                    format!(
                        "{} must be `{}`, not {}",
                        self.display(path),
                        expected_value.as_str().unwrap_or_default(),
                        short(instance)
                    ),
                    None,
                );
            }
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                let message = format!("{} is missing the required key `{name}`", self.display(path));
                self.invalid_value(path, message, None);
            }
            ValidationErrorKind::Minimum { limit } | ValidationErrorKind::ExclusiveMinimum { limit } => {
                let message = format!("{} must be at least {limit}, not {}", self.display(path), short(instance));
                self.invalid_value(path, message, None);
            }
            ValidationErrorKind::Maximum { limit } | ValidationErrorKind::ExclusiveMaximum { limit } => {
                let message = format!("{} must be at most {limit}, not {}", self.display(path), short(instance));
                self.invalid_value(path, message, None);
            }
            other => {
                let message = format!("{} is invalid ({})", self.display(path), kind_name(other));
                self.invalid_value(path, message, None);
            }
        }
    }

    fn unknown_key(&mut self, path: &[String], key: &str) {
        let mut full = path.to_vec();
        full.push(key.to_owned());
        let span = self.target(&full).map(|t| t.key_span.unwrap_or(t.node.span));
        let Some(span) = span else { return };
        let candidates = self.shape_at(path).field_names();
        let help = closest(key, &candidates).map(|c| format!("did you mean `{c}`?"));
        let where_ = if path.is_empty() || self.display(path) == "the value" {
            String::new()
        } else {
            format!(" in {}", self.display(path))
        };
        let mut f =
            Finding::new(&UNKNOWN_KEY, self.locate(span), format!("{}unknown key `{key}`{where_}", self.who(&full)))
                .label("not an option here");
        f.help = help.or_else(|| Some("remove it: the SDKs ignore keys they do not know".into()));
        f.agent = self.agent_of(path);
        self.findings.push(f);
        self.invalid.push(full);
    }

    fn agent_of(&self, path: &[String]) -> Option<String> {
        match path {
            [a, name, ..] if self.config.several && a == "agents" => Some(name.clone()),
            _ => None,
        }
    }

    fn invalid_value(&mut self, path: &[String], message: String, help: Option<String>) {
        let span = self.target(path).map_or(self.config.root.span, |t| t.node.span);
        let mut f = Finding::new(&INVALID_VALUE, self.locate(span), format!("{}{message}", self.who(path)));
        f.help = help;
        f.agent = self.agent_of(path);
        self.findings.push(f);
        self.invalid.push(path.to_vec());
    }
}

fn enum_help(found: Option<&str>, allowed: &[String]) -> Option<String> {
    let found = found?;
    if let Some(stripped) = found.strip_prefix(':')
        && allowed.iter().any(|a| a == stripped)
    {
        return Some(format!(
            "write `{stripped}`: an Elixir atom such as `{found}` is a plain string with a colon in YAML"
        ));
    }
    if allowed.iter().any(|a| a == "bypass_permissions") && PermissionMode::SPELLINGS.len() == allowed.len() {
        if let Some(c) = closest(found, &allowed.iter().map(String::as_str).collect::<Vec<_>>()) {
            return Some(format!("did you mean `{c}`?"));
        }
        return Some("restrictive modes are `plan`, `dont_ask` and `accept_edits`".into());
    }
    closest(found, &allowed.iter().map(String::as_str).collect::<Vec<_>>()).map(|c| format!("did you mean `{c}`?"))
}

fn type_phrase(t: &str) -> &'static str {
    match t {
        "string" => "a string",
        "integer" => "an integer",
        "number" => "a number",
        "boolean" => "`true` or `false`",
        "array" => "a list",
        "object" => "a mapping",
        "null" => "null",
        _ => "a value of another type",
    }
}

fn join_or(items: &[&str]) -> String {
    let mut items: Vec<&str> = items.iter().copied().filter(|i| *i != "null").collect();
    items.dedup();
    match items.as_slice() {
        [] => "null".into(),
        [one] => (*one).into(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn json_type(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "a mapping",
    }
}

/// A short rendering of a scalar for messages; strings that look like credentials are redacted.
fn short(v: &Json) -> String {
    match v {
        Json::String(s) => {
            if !crate::secrets::scan(s).is_empty() {
                return format!("`{}`", crate::secrets::redact(s));
            }
            let mut t: String = s.chars().take(40).collect();
            if t.len() < s.len() {
                t.push('…');
            }
            format!("`{t}`")
        }
        Json::Number(_) | Json::Bool(_) | Json::Null => format!("`{v}`"),
        other => json_type(other).into(),
    }
}

/// "a string or a mapping" from the alternatives of a shape.
fn describe(shape: &Shape<'_>) -> String {
    let mut types: Vec<&str> = Vec::new();
    for name in shape.types() {
        types.push(type_phrase(name));
    }
    types.sort_unstable();
    types.dedup();
    if types.is_empty() { "a valid value".into() } else { join_or(&types) }
}

fn kind_name(kind: &ValidationErrorKind) -> &'static str {
    match kind {
        ValidationErrorKind::MinItems { .. } => "too few items",
        ValidationErrorKind::MaxItems { .. } => "too many items",
        ValidationErrorKind::MinLength { .. } => "too short",
        ValidationErrorKind::MaxLength { .. } => "too long",
        ValidationErrorKind::Pattern { .. } => "does not match the expected pattern",
        ValidationErrorKind::UniqueItems => "items must be unique",
        ValidationErrorKind::Format { .. } => "wrong format",
        _ => "does not match the schema",
    }
}
