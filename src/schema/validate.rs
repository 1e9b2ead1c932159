//! Validation of a span tree against a JSON Schema, in one walk.
//!
//! The walk does three things at once, for every kind of file:
//! - reports each problem at the exact key or value: an unknown key (with the keys allowed
//!   there, for a did-you-mean), a value of the wrong type or outside its allowed values, a
//!   missing required key, a key written twice (also as two spellings of one option);
//! - renames alias keys to their canonical names (`allowedTools` → `allowed_tools`), keeping
//!   every span, so rules read one vocabulary whatever the file's spelling;
//! - returns the tree without the invalid values, and the canonical paths it dropped, so the
//!   typed layer only ever sees valid options and rules know what was there but unusable.
//!
//! It implements the part of JSON Schema draft 7 that the schemas agentlint uses need:
//! `$ref` (local), `allOf`, `anyOf`, `oneOf`, `type`, `enum`, `const`, `properties`,
//! `patternProperties`, `additionalProperties`, `propertyNames` (pattern), `required`,
//! `items`, `minItems`, `maxItems`, `uniqueItems`, `minLength`, `maxLength`, `pattern`,
//! `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`. `format` is not checked.
//!
//! Problems are structured ([`Problem`]); [`Problem::finding`] renders them with a
//! [`Describe`] supplied by the file kind (which agent a path belongs to, how to name it).

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use regex::Regex;

use super::keywords::Literal;
use super::{Keywords, Schema, SchemaDoc, Shape};
use crate::document::{Entry, Key, Node, Span, Value};
use crate::report::{Finding, Location};
use crate::rules::{DUPLICATE_KEY, IGNORED_SETTING, INVALID_VALUE, UNKNOWN_KEY};
use crate::suggest::closest;

/// One step of a path into the document: a key (as written, and its canonical name) or an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key { written: String, canonical: String },
    Index(usize),
}

impl Step {
    pub fn key(written: &str, canonical: &str) -> Self {
        Step::Key { written: written.to_owned(), canonical: canonical.to_owned() }
    }

    /// The canonical key, or the index as text.
    pub fn canonical(&self) -> String {
        match self {
            Step::Key { canonical, .. } => canonical.clone(),
            Step::Index(i) => i.to_string(),
        }
    }
}

/// What is wrong, structured, so each kind can word it in its own terms.
#[derive(Debug, Clone, PartialEq)]
pub enum ProblemKind {
    /// A key that is not allowed here. `ignored` says what Claude Code loses by dropping it,
    /// where the schema marks the place (`x-ignored`).
    UnknownKey {
        key: String,
        candidates: Vec<String>,
        ignored: Option<String>,
    },
    /// A known key that Claude Code does not act on here: `why` says so.
    Ignored {
        key: String,
        why: String,
    },
    /// The key was already written at `first` (as `first_text`); both set `canonical`.
    Duplicate {
        first: Span,
        first_text: String,
        canonical: String,
    },
    WrongType {
        expected: String,
        found: &'static str,
    },
    Enum {
        allowed: Vec<String>,
        found: String,
        text: Option<String>,
    },
    Const {
        expected: String,
        found: String,
    },
    Required {
        key: String,
    },
    /// Below `limit` (`exclusive`: at or below it).
    Minimum {
        limit: String,
        found: String,
        exclusive: bool,
    },
    /// Above `limit` (`exclusive`: at or above it).
    Maximum {
        limit: String,
        found: String,
        exclusive: bool,
    },
    /// Another constraint (`too few items`, `does not match the expected pattern`, …).
    Other {
        what: &'static str,
    },
}

/// One problem at a place in the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Where, from the document root.
    pub path: Vec<Step>,
    /// The key (unknown or duplicate keys) or the value.
    pub span: Span,
    pub kind: ProblemKind,
}

/// What a walk produced.
#[derive(Debug)]
pub struct Outcome {
    /// The tree with canonical keys and without invalid values; `None` when the root itself is invalid.
    pub tree: Option<Node>,
    pub problems: Vec<Problem>,
    /// The values that were dropped.
    pub invalid: Vec<Dropped>,
}

/// A value the walk dropped: its canonical path (indices as decimal text) and where it is
/// written (the key, for an unknown key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    pub path: Vec<String>,
    pub span: Span,
}

/// Validates `node` against the subschema of `doc` at `pointer`.
pub fn validate<'a>(doc: &'a SchemaDoc, pointer: &str, node: &'a Node) -> Outcome {
    let mut v = Validator { doc, problems: Vec::new(), invalid: Vec::new(), path: Vec::new(), lenient: false };
    let tree = match doc.pointer(pointer) {
        Some(schema) => v.check(node, schema),
        None => Some(node.clone()),
    };
    Outcome { tree, problems: v.problems, invalid: v.invalid }
}

/// A JSON type name for a node's value.
fn json_type(node: &Node) -> &'static str {
    match node.value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Int(_) => "integer",
        Value::Float(_) => "number",
        Value::String(_) => "string",
        Value::Seq(_) => "array",
        Value::Map(_) => "object",
    }
}

fn type_allows(allowed: &str, node: &Node) -> bool {
    match (allowed, &node.value) {
        ("number", Value::Int(_) | Value::Float(_)) => true,
        (t, _) => t == json_type(node),
    }
}

/// Equality of a scalar node and an `enum` or `const` value.
fn scalar_eq(node: &Node, literal: &Literal) -> bool {
    match (&node.value, literal) {
        (Value::Null, Literal::Null) => true,
        (Value::Bool(a), Literal::Bool(b)) => a == b,
        (Value::String(a), Literal::String(b)) => a == b,
        (Value::Int(a), Literal::Number(n)) => n.int == Some(*a) || n.value == *a as f64,
        (Value::Float(a), Literal::Number(n)) => n.value == *a,
        _ => false,
    }
}

fn number_of(node: &Node) -> Option<f64> {
    match node.value {
        Value::Int(i) => Some(i as f64),
        Value::Float(f) => Some(f),
        _ => None,
    }
}

/// A short rendering of a value for messages; text that holds a credential is redacted.
pub fn short(node: &Node) -> String {
    match &node.value {
        Value::String(s) => {
            let s = crate::secrets::redact_all(s);
            let mut t: String = s.chars().take(40).collect();
            if t.len() < s.len() {
                t.push('…');
            }
            format!("`{}`", escape_controls(&t))
        }
        Value::Null => "`null`".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Int(i) => format!("`{i}`"),
        Value::Float(f) => {
            format!("`{}`", serde_json::Number::from_f64(*f).map_or_else(|| f.to_string(), |n| n.to_string()))
        }
        Value::Seq(_) => "a list".into(),
        Value::Map(_) => "a mapping".into(),
    }
}

fn escape_controls(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_owned();
    }
    text.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect()
}

/// Compiled patterns, shared by every file of a run (schemas hold a handful).
static PATTERNS: LazyLock<Mutex<HashMap<String, Option<Arc<Regex>>>>> = LazyLock::new(Default::default);

fn pattern(source: &str) -> Option<Arc<Regex>> {
    let mut cache = PATTERNS.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .entry(source.to_owned())
        .or_insert_with(|| regex::RegexBuilder::new(source).size_limit(1 << 20).build().ok().map(Arc::new))
        .clone()
}

fn matches_pattern(source: &str, text: &str) -> bool {
    // A pattern Rust's regex cannot compile (look-around) constrains nothing.
    pattern(source).is_none_or(|re| re.is_match(text))
}

/// A step of the path being walked, borrowed from the tree and the schema.
#[derive(Clone, Copy)]
enum StepRef<'a> {
    Key { written: &'a str, canonical: &'a str },
    Index(usize),
}

impl StepRef<'_> {
    fn owned(self) -> Step {
        match self {
            StepRef::Key { written, canonical } => Step::key(written, canonical),
            StepRef::Index(i) => Step::Index(i),
        }
    }

    fn canonical(self) -> String {
        match self {
            StepRef::Key { canonical, .. } => canonical.to_owned(),
            StepRef::Index(i) => i.to_string(),
        }
    }
}

struct Validator<'a> {
    doc: &'a SchemaDoc,
    problems: Vec<Problem>,
    invalid: Vec<Dropped>,
    path: Vec<StepRef<'a>>,
    /// Inside an `x-lenient` subschema.
    lenient: bool,
}

impl<'a> Validator<'a> {
    fn problem_at(&mut self, path: Vec<Step>, span: Span, kind: ProblemKind) {
        self.problems.push(Problem { path, span, kind });
    }

    fn problem(&mut self, span: Span, kind: ProblemKind) {
        let path = self.path.iter().map(|s| s.owned()).collect();
        self.problem_at(path, span, kind);
    }

    fn drop_here(&mut self, span: Span) {
        self.invalid.push(Dropped { path: self.path.iter().map(|s| s.canonical()).collect(), span });
    }

    /// Checks `node` against `schema`: the normalized node, or `None` when it is invalid (its
    /// problems are recorded, and its path as dropped).
    fn check(&mut self, node: &'a Node, schema: &'a Schema) -> Option<Node> {
        let before = self.problems.len();
        let out = self.check_inner(node, schema);
        if out.is_none() && self.problems.len() > before {
            self.drop_here(node.span);
        }
        out
    }

    fn check_inner(&mut self, node: &'a Node, schema: &'a Schema) -> Option<Node> {
        let k = match schema {
            Schema::Bool(false) => {
                self.problem(node.span, ProblemKind::Other { what: "is not allowed here" });
                return None;
            }
            Schema::Object(k) => k,
            Schema::Bool(true) => return Some(node.clone()),
        };
        let lenient = self.lenient;
        self.lenient |= k.lenient;
        let out = self.check_keywords(node, k);
        self.lenient = lenient;
        out
    }

    fn check_keywords(&mut self, node: &'a Node, k: &'a Keywords) -> Option<Node> {
        if let Some(target) = k.reference.as_deref() {
            return match self.doc.deref(target) {
                Some(target) => self.check_inner(node, target),
                None => Some(node.clone()),
            };
        }
        // The schemas in use never put other assertions beside these combinators.
        if !k.all_of.is_empty() {
            let mut out = Some(node.clone());
            for sub in k.all_of.iter() {
                out = Some(self.check_inner(node, sub)?);
            }
            return out;
        }
        for branches in [&*k.any_of, &*k.one_of] {
            if !branches.is_empty() {
                return self.choose_branch(node, branches);
            }
        }
        if !k.types.is_empty() && !k.types.iter().any(|t| type_allows(t, node)) {
            let phrases: Vec<&str> = k.types.iter().map(|t| super::type_phrase(t)).collect();
            self.problem(
                node.span,
                ProblemKind::WrongType { expected: super::join_or(&phrases), found: node.type_name() },
            );
            return None;
        }
        if let Some(options) = &k.allowed
            && !options.iter().any(|o| scalar_eq(node, o))
        {
            let allowed = options.iter().map(Literal::text).collect();
            let text = node.as_str().map(str::to_owned);
            self.problem(node.span, ProblemKind::Enum { allowed, found: short(node), text });
            return None;
        }
        if let Some(expected) = &k.constant
            && !scalar_eq(node, expected)
        {
            let expected = expected.text();
            self.problem(node.span, ProblemKind::Const { expected, found: short(node) });
            return None;
        }
        match &node.value {
            Value::Map(entries) => self.check_map(node, entries, k),
            Value::Seq(items) => self.check_seq(node, items, k),
            Value::String(s) => self.check_string(node, s, k).then(|| node.clone()),
            Value::Int(_) | Value::Float(_) => self.check_number(node, k).then(|| node.clone()),
            Value::Null | Value::Bool(_) => Some(node.clone()),
        }
    }

    /// `anyOf` / `oneOf`: the first branch the value satisfies. When none does, the one branch
    /// the value was clearly meant for (its type and `type` tag match; the problems are deeper)
    /// reports its problems; otherwise one problem names the types the value may have.
    fn choose_branch(&mut self, node: &'a Node, branches: &'a [Schema]) -> Option<Node> {
        let mut meant: Vec<&'a Schema> = Vec::new();
        let mark = (self.problems.len(), self.invalid.len());
        let depth = self.path.len();
        for branch in branches {
            let out = self.check_inner(node, branch);
            let problems: Vec<Problem> = self.problems.drain(mark.0..).collect();
            self.invalid.truncate(mark.1);
            if let Some(out) = out
                && problems.is_empty()
            {
                return Some(out);
            }
            let shallow = problems.iter().any(|p| {
                let at_self = p.path.len() == depth;
                let at_tag = p.path.len() == depth + 1
                    && matches!(p.path.last(), Some(Step::Key { canonical, .. }) if canonical == "type");
                (at_self && matches!(p.kind, ProblemKind::WrongType { .. }))
                    || (at_tag && matches!(p.kind, ProblemKind::Const { .. } | ProblemKind::Enum { .. }))
                    || (at_self && matches!(&p.kind, ProblemKind::Required { key } if key == "type"))
            });
            if !problems.is_empty() && !shallow {
                meant.push(branch);
            }
        }
        if let [branch] = meant.as_slice() {
            // Replay the branch the value was meant for, recording its problems and dropped paths.
            return self.check_inner(node, branch);
        }
        let mut shape = Shape { doc: self.doc, schemas: Vec::new() };
        for b in branches {
            shape.expand(b);
        }
        self.problem(node.span, ProblemKind::WrongType { expected: shape.describe(), found: node.type_name() });
        None
    }

    fn check_map(&mut self, node: &'a Node, entries: &'a [Entry], k: &'a Keywords) -> Option<Node> {
        // The canonical name of each entry, and duplicates: the last pair written wins, as the
        // SDKs' loaders keep it, and a pair written here beats one merged in with `<<`.
        // Each entry with its canonical name and the schema of the property it names (looked up
        // once here: the lookup hashes the key).
        let mut kept: Vec<Option<(&'a Entry, &'a str, Option<&'a Schema>)>> = Vec::with_capacity(entries.len());
        let mut seen = Names::with_capacity(entries.len());
        for entry in entries {
            let property = k.properties.get_key_value(entry.key.text.as_str());
            let name: &'a str = property
                .map(|(name, prop)| prop.keywords().and_then(|p| p.alias_of.as_deref()).unwrap_or(name))
                .unwrap_or(entry.key.text.as_str());
            // An alias's schema is its canonical property's.
            let schema = match property {
                Some((written, prop)) if written == name => Some(prop),
                _ => k.properties.get(name),
            };
            if let Some(prev_index) = seen.get(name) {
                let (prev, _, _) = kept[prev_index].expect("the entry a name points at is kept");
                if entry.merged && !prev.merged {
                    continue;
                }
                if !entry.merged && !prev.merged {
                    let mut path: Vec<Step> = self.path.iter().map(|s| s.owned()).collect();
                    path.push(Step::key(&entry.key.text, name));
                    let kind = ProblemKind::Duplicate {
                        first: prev.key.span,
                        first_text: prev.key.text.clone(),
                        canonical: name.to_owned(),
                    };
                    self.problem_at(path, entry.key.span, kind);
                }
                kept[prev_index] = None;
            }
            seen.insert(name, kept.len());
            kept.push(Some((entry, name, schema)));
        }

        let mut out: Vec<Entry> = Vec::with_capacity(entries.len());
        for (entry, name, schema) in kept.into_iter().flatten() {
            self.path.push(StepRef::Key { written: &entry.key.text, canonical: name });
            let checked = self.check_entry(entry, schema, k);
            self.path.pop();
            if let Some(value) = checked {
                out.push(Entry {
                    key: Key { text: name.to_owned(), span: entry.key.span },
                    value,
                    merged: entry.merged,
                });
            }
        }
        if !k.required.is_empty() {
            let mut missing = false;
            for key in k.required.iter().map(|k| k.as_ref()) {
                // A required key that is present but invalid was reported already.
                if !entries.iter().any(|e| e.key.text == key) && !out.iter().any(|e| e.key.text == key) {
                    self.problem(node.span, ProblemKind::Required { key: key.to_owned() });
                    missing = true;
                }
            }
            if missing {
                return None;
            }
        }
        Some(Node::new(Value::Map(out), node.span))
    }

    fn check_entry(&mut self, entry: &'a Entry, property: Option<&'a Schema>, k: &'a Keywords) -> Option<Node> {
        let key_pattern = k.property_names.and_then(Schema::keywords).and_then(|p| p.pattern.as_deref());
        if let Some(pattern) = key_pattern
            && !self.lenient
            && !matches_pattern(pattern, &entry.key.text)
        {
            self.problem(entry.key.span, ProblemKind::Other { what: "is not an allowed key name" });
            self.drop_here(entry.key.span);
            return None;
        }
        let schema = match property {
            Some(s) => Some(s),
            None => k
                .pattern_properties
                .iter()
                .find(|(p, _)| matches_pattern(p, &entry.key.text))
                .map(|(_, s)| s)
                .or(k.additional_properties),
        };
        match schema {
            Some(Schema::Bool(false)) => {
                let candidates = k.properties.names().map(str::to_owned).collect();
                let ignored = k.ignored_keys.as_deref().map(str::to_owned);
                self.problem(
                    entry.key.span,
                    ProblemKind::UnknownKey { key: entry.key.text.clone(), candidates, ignored },
                );
                self.drop_here(entry.key.span);
                None
            }
            Some(s) => {
                if let Some(why) = s.keywords().and_then(|p| p.ignored.as_deref()) {
                    // A key Claude Code does not read in this kind of file: reported, and kept
                    // for the rules that scan values.
                    let kind = ProblemKind::Ignored { key: entry.key.text.clone(), why: why.to_owned() };
                    self.problem(entry.key.span, kind);
                }
                self.check(&entry.value, s)
            }
            None => Some(entry.value.clone()),
        }
    }

    fn check_seq(&mut self, node: &'a Node, items: &'a [Node], k: &'a Keywords) -> Option<Node> {
        let count = items.len() as u64;
        if k.min_items.is_some_and(|min| count < min) {
            self.problem(node.span, ProblemKind::Other { what: "too few items" });
            return None;
        }
        if k.max_items.is_some_and(|max| count > max) {
            self.problem(node.span, ProblemKind::Other { what: "too many items" });
            return None;
        }
        if k.unique_items && !self.lenient && has_duplicate_scalars(items) {
            self.problem(node.span, ProblemKind::Other { what: "items must be unique" });
            return None;
        }
        let item_schema = k.items;
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            self.path.push(StepRef::Index(i));
            let checked = match item_schema {
                Some(s) => self.check(item, s),
                None => Some(item.clone()),
            };
            self.path.pop();
            out.extend(checked);
        }
        Some(Node::new(Value::Seq(out), node.span))
    }

    fn check_string(&mut self, node: &'a Node, s: &str, k: &'a Keywords) -> bool {
        let len = s.chars().count() as u64;
        if k.min_length.is_some_and(|min| len < min) {
            let what = if s.is_empty() { "must not be empty" } else { "too short" };
            self.problem(node.span, ProblemKind::Other { what });
            return false;
        }
        if k.max_length.is_some_and(|max| len > max) {
            self.problem(node.span, ProblemKind::Other { what: "too long" });
            return false;
        }
        if let Some(p) = k.pattern.as_deref()
            && !self.lenient
            && !matches_pattern(p, s)
        {
            self.problem(node.span, ProblemKind::Other { what: "does not match the expected pattern" });
            return false;
        }
        true
    }

    fn check_number(&mut self, node: &'a Node, k: &'a Keywords) -> bool {
        let Some(n) = number_of(node) else { return true };
        let limit = |bound: &Option<super::keywords::Number>| bound.as_ref().map(|n| (n.value, n.text.to_string()));
        if let Some((min, text)) = limit(&k.minimum)
            && n < min
        {
            self.problem(node.span, ProblemKind::Minimum { limit: text, found: short(node), exclusive: false });
            return false;
        }
        if let Some((min, text)) = limit(&k.exclusive_minimum)
            && n <= min
        {
            self.problem(node.span, ProblemKind::Minimum { limit: text, found: short(node), exclusive: true });
            return false;
        }
        if let Some((max, text)) = limit(&k.maximum)
            && n > max
        {
            self.problem(node.span, ProblemKind::Maximum { limit: text, found: short(node), exclusive: false });
            return false;
        }
        if let Some((max, text)) = limit(&k.exclusive_maximum)
            && n >= max
        {
            self.problem(node.span, ProblemKind::Maximum { limit: text, found: short(node), exclusive: true });
            return false;
        }
        true
    }
}

/// The canonical names of a mapping's entries so far, with the index of the entry that set
/// each. A mapping has a handful of keys: comparing them beats hashing each; a large one
/// (thousands of agents) is hashed.
enum Names<'a> {
    Few(Vec<(&'a str, usize)>),
    Many(HashMap<&'a str, usize>),
}

impl<'a> Names<'a> {
    const FEW: usize = 16;

    fn with_capacity(n: usize) -> Self {
        if n <= Self::FEW { Names::Few(Vec::with_capacity(n)) } else { Names::Many(HashMap::with_capacity(n)) }
    }

    fn get(&self, name: &str) -> Option<usize> {
        match self {
            Names::Few(names) => names.iter().find(|(n, _)| *n == name).map(|&(_, i)| i),
            Names::Many(names) => names.get(name).copied(),
        }
    }

    fn insert(&mut self, name: &'a str, index: usize) {
        match self {
            Names::Few(names) => match names.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = index,
                None => names.push((name, index)),
            },
            Names::Many(names) => {
                names.insert(name, index);
            }
        }
    }
}

/// True when two scalar items are equal (the `uniqueItems` check; collections are not compared).
fn has_duplicate_scalars(items: &[Node]) -> bool {
    let mut seen = std::collections::HashSet::with_capacity(items.len());
    items.iter().filter_map(Node::as_str).any(|s| !seen.insert(s))
}

/// How a file kind names places and whom a problem concerns.
pub trait Describe {
    /// The message prefix for a problem at `path` (`agent `ci`: `), how many leading steps the
    /// displayed path leaves out, and the agent the problem is about.
    fn scope(&self, _path: &[Step]) -> (String, usize, Option<String>) {
        (String::new(), 0, None)
    }

    /// A message that replaces the generic "… must be X, not Y" at `path`, where the kind has a
    /// better one (e.g. an agent under `agents:` that is not a mapping).
    fn wrong_type(&self, _path: &[Step], _found: &str) -> Option<String> {
        None
    }

    /// Help for an unknown key that is a known key elsewhere in the file (a top-level setting
    /// written inside `permissions`), if it is one.
    fn misplaced(&self, _key: &str, _path: &[Step]) -> Option<String> {
        None
    }

    /// Help for an unknown key no known key is close to.
    fn unknown_key_help(&self) -> &'static str {
        "remove it: the SDKs ignore keys they do not know"
    }

    /// What the consumer does with the file while the value at `path` is invalid, when it is
    /// worth saying (Claude Code ignores a whole settings file over one wrong value).
    fn consequence(&self, _path: &[Step]) -> Option<String> {
        None
    }

    /// Help for a value outside an enum (the default: the closest allowed value).
    fn enum_help(&self, found: Option<&str>, allowed: &[String]) -> Option<String> {
        let allowed: Vec<&str> = allowed.iter().map(String::as_str).collect();
        closest(found?, &allowed).map(|c| format!("did you mean `{c}`?"))
    }
}

/// `sandbox.network.allowedDomains[0]`, as written, from `skip` steps on; "the value" when empty.
pub fn display(path: &[Step], skip: usize) -> String {
    let mut out = String::new();
    for step in path.iter().skip(skip) {
        match step {
            Step::Index(i) if !out.is_empty() => out.push_str(&format!("[{i}]")),
            Step::Index(i) => out.push_str(&i.to_string()),
            Step::Key { written, .. } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(&escape_controls(&crate::secrets::redact_all(written)));
            }
        }
    }
    if out.is_empty() { "the value".into() } else { format!("`{out}`") }
}

impl Problem {
    /// The finding for this problem: rule, message and help worded by `describe`, located in
    /// `source` (whose tree as written is `root`, for the JSON pointer).
    pub fn finding(&self, describe: &dyn Describe, locate: &dyn Fn(Span) -> Location) -> Finding {
        let (who, skip, agent) = describe.scope(&self.path);
        // A key's problem is told about the mapping it is in; a value's about the value.
        let at_key = matches!(
            self.kind,
            ProblemKind::UnknownKey { .. } | ProblemKind::Duplicate { .. } | ProblemKind::Ignored { .. }
        );
        let shown_path = if at_key { &self.path[..self.path.len().saturating_sub(1)] } else { &self.path[..] };
        let here = display(shown_path, skip);
        let mut finding = match &self.kind {
            ProblemKind::UnknownKey { key, candidates, ignored } => {
                let shown = escape_controls(&crate::secrets::redact_all(key));
                let where_ = if here == "the value" { String::new() } else { format!(" in {here}") };
                let names: Vec<&str> = candidates.iter().map(String::as_str).collect();
                let help = describe
                    .misplaced(key, &self.path)
                    .or_else(|| closest(key, &names).map(|c| format!("did you mean `{c}`?")));
                match ignored {
                    Some(why) => Finding::new(
                        &IGNORED_SETTING,
                        locate(self.span),
                        format!("{who}unknown key `{shown}`{where_}: {why}"),
                    )
                    .label("ignored by Claude Code")
                    .help(help.unwrap_or_else(|| "remove it, or correct its name".into())),
                    None => {
                        Finding::new(&UNKNOWN_KEY, locate(self.span), format!("{who}unknown key `{shown}`{where_}"))
                            .label("not an option here")
                            .help(help.unwrap_or_else(|| describe.unknown_key_help().into()))
                    }
                }
            }
            ProblemKind::Ignored { key, why } => {
                let shown = escape_controls(&crate::secrets::redact_all(key));
                let where_ = if here == "the value" { String::new() } else { format!(" in {here}") };
                Finding::new(&IGNORED_SETTING, locate(self.span), format!("{who}`{shown}`{where_} is ignored: {why}"))
                    .label("ignored by Claude Code")
            }
            ProblemKind::Duplicate { first, first_text, canonical } => {
                let second_text = match self.path.last() {
                    Some(Step::Key { written, .. }) => written.clone(),
                    _ => canonical.clone(),
                };
                let message = if *first_text == second_text {
                    format!("{who}duplicate key `{second_text}`")
                } else {
                    format!("{who}`{second_text}` and `{first_text}` both set `{canonical}`")
                };
                Finding::new(&DUPLICATE_KEY, locate(self.span), message)
                    .label("the SDKs use this value")
                    .related(locate(*first), format!("`{first_text}` first set here; this value is ignored"))
                    .help(format!("keep one `{canonical}` key and delete the other"))
            }
            ProblemKind::WrongType { expected, found } => {
                let message = describe
                    .wrong_type(&self.path, found)
                    .unwrap_or_else(|| format!("{here} must be {expected}, not {found}"));
                Finding::new(&INVALID_VALUE, locate(self.span), format!("{who}{message}"))
            }
            ProblemKind::Enum { allowed, found, text } => {
                let list = allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ");
                let mut f = Finding::new(
                    &INVALID_VALUE,
                    locate(self.span),
                    format!("{who}{here} is {found}; expected one of {list}"),
                );
                f.help = describe.enum_help(text.as_deref(), allowed);
                f
            }
            ProblemKind::Const { expected, found } => Finding::new(
                &INVALID_VALUE,
                locate(self.span),
                format!("{who}{here} must be `{expected}`, not {found}"),
            ),
            ProblemKind::Required { key } => Finding::new(
                &INVALID_VALUE,
                locate(self.span),
                format!("{who}{here} is missing the required key `{key}`"),
            ),
            ProblemKind::Minimum { limit, found, exclusive } => {
                let bound = if *exclusive { "more than" } else { "at least" };
                Finding::new(
                    &INVALID_VALUE,
                    locate(self.span),
                    format!("{who}{here} must be {bound} {limit}, not {found}"),
                )
            }
            ProblemKind::Maximum { limit, found, exclusive } => {
                let bound = if *exclusive { "less than" } else { "at most" };
                Finding::new(
                    &INVALID_VALUE,
                    locate(self.span),
                    format!("{who}{here} must be {bound} {limit}, not {found}"),
                )
            }
            ProblemKind::Other { what } => {
                Finding::new(&INVALID_VALUE, locate(self.span), format!("{who}{here} is invalid ({what})"))
            }
        };
        finding.agent = agent;
        if finding.rule.id == INVALID_VALUE.id
            && let Some(consequence) = describe.consequence(&self.path)
        {
            finding.help = Some(match finding.help.take() {
                Some(help) => format!("{help}; {consequence}"),
                None => consequence,
            });
        }
        finding
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value as Json, json};

    fn run(schema: Json, yaml: &str) -> Outcome {
        let doc = SchemaDoc::new(schema);
        let node = crate::document::parse_yaml(yaml).expect("test YAML parses");
        validate(&doc, "", &node)
    }

    fn kinds(o: &Outcome) -> Vec<&ProblemKind> {
        o.problems.iter().map(|p| &p.kind).collect()
    }

    #[test]
    fn aliases_are_renamed_and_unknown_keys_dropped() {
        let schema = json!({
            "type": "object", "additionalProperties": false,
            "properties": {
                "max_turns": {"type": "integer", "minimum": 1},
                "maxTurns": {"type": "integer", "minimum": 1, "x-alias-of": "max_turns"}
            }
        });
        let o = run(schema, "maxTurns: 3\nmax_tunrs: 4\n");
        let tree = o.tree.as_ref().unwrap();
        assert_eq!(tree.as_map().unwrap().len(), 1);
        assert_eq!(tree.as_map().unwrap()[0].key.text, "max_turns");
        assert!(matches!(kinds(&o)[..], [ProblemKind::UnknownKey { key, .. }] if key == "max_tunrs"));
        let dropped: Vec<&[String]> = o.invalid.iter().map(|d| &d.path[..]).collect();
        assert_eq!(dropped, [["max_tunrs".to_owned()]]);
    }

    #[test]
    fn duplicates_and_aliases_collide() {
        let schema = json!({
            "type": "object",
            "properties": {"a_b": {"type": "string"}, "aB": {"type": "string", "x-alias-of": "a_b"}}
        });
        let o = run(schema, "a_b: x\naB: y\n");
        assert!(
            matches!(&kinds(&o)[..], [ProblemKind::Duplicate { canonical, first_text, .. }] if canonical == "a_b" && first_text == "a_b")
        );
        let tree = o.tree.as_ref().unwrap();
        assert_eq!(tree.get("a_b").and_then(Node::as_str), Some("y"));
    }

    #[test]
    fn wrong_types_enums_and_limits_are_dropped_with_their_paths() {
        let schema = json!({
            "type": "object",
            "properties": {
                "n": {"type": "integer", "minimum": 1},
                "mode": {"enum": ["plan", "dont_ask"]},
                "list": {"type": "array", "items": {"type": "string"}}
            }
        });
        let o = run(schema, "n: 0\nmode: plna\nlist: [a, 3, b]\n");
        assert_eq!(o.problems.len(), 3);
        let tree = o.tree.as_ref().unwrap();
        assert!(tree.get("n").is_none() && tree.get("mode").is_none());
        assert_eq!(tree.get("list").unwrap().as_seq().unwrap().len(), 2);
        let dropped: Vec<Vec<String>> = o.invalid.iter().map(|d| d.path.clone()).collect();
        assert_eq!(dropped, [vec!["n".to_owned()], vec!["mode".to_owned()], vec!["list".to_owned(), "1".to_owned()]]);
    }

    #[test]
    fn any_of_picks_the_branch_the_value_was_meant_for() {
        let schema = json!({
            "definitions": {
                "a": {"type": "object", "required": ["type"], "additionalProperties": false,
                      "properties": {"type": {"const": "a"}, "x": {"type": "integer"}}},
                "b": {"type": "object", "required": ["type"], "additionalProperties": false,
                      "properties": {"type": {"const": "b"}, "y": {"type": "string"}}}
            },
            "anyOf": [{"$ref": "#/definitions/a"}, {"$ref": "#/definitions/b"}, {"type": "string"}]
        });
        let o = run(schema.clone(), "type: b\ny: 3\n");
        assert!(matches!(&kinds(&o)[..], [ProblemKind::WrongType { expected, .. }] if expected == "a string"));
        assert_eq!(o.problems[0].path, vec![Step::key("y", "y")]);
        let o = run(schema.clone(), "[1]\n");
        assert!(
            matches!(&kinds(&o)[..], [ProblemKind::WrongType { expected, found }] if expected == "a mapping or a string" && *found == "a list")
        );
        assert!(run(schema, "type: a\nx: 3\n").problems.is_empty());
    }

    #[test]
    fn ignored_and_lenient_annotations() {
        let schema = json!({
            "type": "object", "additionalProperties": false, "x-ignored-keys": "no hook runs for it",
            "properties": {"allow": {"type": "array", "uniqueItems": true, "x-lenient": true,
                                     "items": {"type": "string", "pattern": "^[A-Z]"}}}
        });
        let o = run(schema, "allow: [read, read]\nAlow: []\n");
        assert!(
            matches!(&kinds(&o)[..], [ProblemKind::UnknownKey { ignored: Some(why), .. }] if why == "no hook runs for it")
        );
    }
}
