//! CEL assertions for custom policy rules.
//!
//! A custom rule carries an `assert` expression written in the Common
//! Expression Language, evaluated once per agent. It sees three variables:
//!
//! * `config`: the agent's merged options as a map with snake_case keys,
//! * `agent`: the agent's name (a string),
//! * `file`: the path of the file the agent is defined in (a string).
//!
//! The expression must evaluate to a bool: `true` means the assertion holds.
//!
//! # JSON to CEL
//!
//! `null`, bools, strings, arrays and objects become CEL `null`, `bool`,
//! `string`, `list` and `map`. A JSON number written without a fraction or an
//! exponent (`2`) becomes an `int` (a `uint` only above `i64::MAX`); any other
//! number (`2.0`, `1.5`, `1e3`) becomes a `double`. Comparisons work across
//! numeric types in the `cel` crate, so `config.max_budget_usd <= 2.0` and
//! `config.max_budget_usd == 2` hold for both `2` and `2.0`. Arithmetic does
//! not mix types: `config.max_turns + 1` works on an `int`, but to scale a
//! number that may be either, convert it first: `double(config.max_budget_usd) * 1.5`.
//!
//! A key that is absent from `config` is an error to read (`no such key`), so
//! guard optional options with `has()`: `!has(config.model) || config.model == 'opus'`.
//!
//! # Limits
//!
//! The `cel` crate parses and evaluates recursively, and its parser uses a lot
//! of stack in unoptimised builds. To rule out stack overflows, which abort
//! the process, expressions are limited to [`MAX_SOURCE_LEN`] bytes and
//! [`MAX_NESTING`] levels of brackets, and they are compiled and evaluated on
//! one dedicated thread with a large stack. Evaluations are therefore
//! serialised across threads. A panic in the interpreter is caught on that
//! thread and reported as a [`CelError`] (unless the binary is built with
//! `panic = "abort"`).

use std::collections::HashMap;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::{Arc, OnceLock};

use cel::common::ast::{EntryExpr, Expr};
use cel::objects::{Key, Map};
use cel::{Context, Env, ExecutionError, IdedExpr, ParseError, ParseErrors, Program, Value};

/// The longest `assert` expression accepted, in bytes.
pub const MAX_SOURCE_LEN: usize = 4096;

/// The deepest nesting of `(`, `[` and `{` accepted in an `assert` expression.
pub const MAX_NESTING: usize = 32;

/// The variables an `assert` expression may reference.
pub const VARIABLES: [&str; 3] = ["config", "agent", "file"];

/// Stack sizes to try, in order, for the thread that compiles and evaluates
/// expressions. Only the pages used are committed. The longest binary
/// operator chains within [`MAX_SOURCE_LEN`] need over 64 MiB in a debug
/// build, under 16 MiB in a release build.
const WORKER_STACK_SIZES: [usize; 3] = [256 << 20, 64 << 20, 16 << 20];

pub use super::cel_cost::{EVALUATION_BUDGET, RUN_BUDGET};

/// A custom rule's `assert` expression, compiled once when the policy pack is loaded.
#[derive(Debug, Clone)]
pub struct CelAssertion {
    program: Arc<Program>,
    /// The expression with the cost meter's hooks (see `cel_cost`): what is evaluated.
    metered: Arc<IdedExpr>,
    source: String,
}

/// A compile or evaluation error, with the byte offset into the expression when the cel crate gives one.
#[derive(Debug, Clone, PartialEq)]
pub struct CelError {
    pub message: String,
    pub offset: Option<usize>,
    /// True when the evaluation was stopped because it used up its budget.
    pub over_budget: bool,
}

impl CelError {
    fn new(message: impl Into<String>, offset: Option<usize>) -> Self {
        CelError { message: message.into(), offset, over_budget: false }
    }
}

impl fmt::Display for CelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CelError {}

impl CelAssertion {
    /// Parses `source`. Fails on a syntax error, with the offset of the
    /// offending token, or on an expression longer than [`MAX_SOURCE_LEN`] or
    /// nested deeper than [`MAX_NESTING`].
    ///
    /// Names are not resolved here: call [`check_references`](Self::check_references)
    /// to reject unknown variables when the policy pack is loaded.
    pub fn compile(source: &str) -> Result<Self, CelError> {
        if source.len() > MAX_SOURCE_LEN {
            return Err(CelError::new(
                format!("expression is {} bytes long, the limit is {MAX_SOURCE_LEN}", source.len()),
                None,
            ));
        }
        if source.trim().is_empty() {
            return Err(CelError::new("expression is empty", Some(0)));
        }
        check_nesting(source)?;
        let owned = source.to_owned();
        let (program, metered) = run_isolated(move || {
            let program = env().compile(&owned).map_err(|errors| parse_error(&errors, &owned))?;
            let metered = super::cel_cost::instrument(program.expression(), &VARIABLES);
            Ok((program, metered))
        })?;
        Ok(CelAssertion { program: Arc::new(program), metered: Arc::new(metered), source: source.to_owned() })
    }

    /// The expression as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Evaluates with variables `config` (the agent's merged options as JSON, snake_case keys), `agent` (its name) and `file` (the path). Ok(true) = assertion holds. A result that is not a bool is an error ("assert must evaluate to a bool, got int").
    ///
    /// See the module documentation for how JSON values, numbers in
    /// particular, are converted. Evaluation errors carry no offset: the `cel`
    /// crate does not say where they happened.
    pub fn evaluate(&self, config: &serde_json::Value, agent: &str, file: &str) -> Result<bool, CelError> {
        self.evaluate_within(config, agent, file, EVALUATION_BUDGET).0
    }

    /// [`evaluate`](Self::evaluate) with a budget of `budget` cost units (see the module
    /// documentation of the cost meter); also returns the units used. An evaluation that runs
    /// out of budget is stopped and fails with [`CelError::over_budget`] set.
    pub fn evaluate_within(
        &self,
        config: &serde_json::Value,
        agent: &str,
        file: &str,
        budget: u64,
    ) -> (Result<bool, CelError>, u64) {
        let program = Arc::clone(&self.program);
        let metered = Arc::clone(&self.metered);
        let config = json_to_cel(config);
        let agent = agent.to_owned();
        let file = file.to_owned();
        let outcome = run_isolated(move || {
            let mut context = Context::with_env(Arc::clone(env()));
            context.add_variable_from_value("config", config);
            context.add_variable_from_value("agent", agent);
            context.add_variable_from_value("file", file);
            super::cel_cost::add_hooks(&mut context);
            let (result, usage) = super::cel_cost::metered(budget, || Value::resolve(&metered, &context));
            if usage.exhausted {
                let mut error =
                    CelError::new(format!("the evaluation used up its budget of {budget} steps and was stopped"), None);
                error.over_budget = true;
                return Ok((Err(error), usage.used));
            }
            let result = match result {
                Ok(Value::Bool(holds)) => Ok(holds),
                Ok(other) => {
                    Err(CelError::new(format!("assert must evaluate to a bool, got {}", type_name(&other)), None))
                }
                Err(error) => Err(execution_error(&error, &program)),
            };
            Ok((result, usage.used))
        });
        outcome.unwrap_or_else(|error| (Err(error), 0))
    }

    /// Rejects references to variables other than `config`, `agent`, `file`,
    /// the variables that macros such as `exists(t, ...)` bind, and type names
    /// such as `int`, with the offset of the first unknown one.
    ///
    /// The `cel` crate has no type checker, so this is the only static check
    /// there is: type errors and calls to unknown functions only show up when
    /// evaluating.
    pub fn check_references(&self) -> Result<(), CelError> {
        let types = env().types();
        let known = |name: &str| VARIABLES.contains(&name) || name.starts_with('@') || types.find_type(name).is_some();
        // Comprehension scopes: the names each binds and its parent scope.
        let mut scopes: Vec<(Vec<&str>, Option<usize>)> = Vec::new();
        let mut pending: Vec<(&IdedExpr, Option<usize>)> = vec![(self.program.expression(), None)];
        let is_bound = |scopes: &[(Vec<&str>, Option<usize>)], mut scope: Option<usize>, name| {
            while let Some(index) = scope {
                let (names, parent) = &scopes[index];
                if names.contains(&name) {
                    return true;
                }
                scope = *parent;
            }
            false
        };
        while let Some((expr, scope)) = pending.pop() {
            match &expr.expr {
                Expr::Ident(name) => {
                    if !known(name) && !is_bound(&scopes, scope, name.as_str()) {
                        return Err(self.unknown_variable(name, expr.id));
                    }
                }
                Expr::Select(select) => {
                    // A qualified name, `a.b.c`, may name a type, e.g.
                    // `google.protobuf.Duration`.
                    if let Some((name, id, segments)) = qualified_name(expr) {
                        if known(name) || is_bound(&scopes, scope, name) {
                            continue;
                        }
                        let names_type =
                            (1..=segments.len()).any(|n| types.find_type(&segments[..n].join(".")).is_some());
                        if !names_type {
                            return Err(self.unknown_variable(name, id));
                        }
                        continue;
                    }
                    pending.push((&select.operand, scope));
                }
                Expr::Call(call) => {
                    pending.extend(call.args.iter().rev().map(|arg| (arg, scope)));
                    if let Some(target) = &call.target {
                        pending.push((target, scope));
                    }
                }
                Expr::Comprehension(comprehension) => {
                    let mut names = vec![comprehension.iter_var.as_str(), comprehension.accu_var.as_str()];
                    names.extend(comprehension.iter_var2.as_deref());
                    scopes.push((names, scope));
                    let inner = Some(scopes.len() - 1);
                    pending.push((&comprehension.result, inner));
                    pending.push((&comprehension.loop_step, inner));
                    pending.push((&comprehension.loop_cond, inner));
                    pending.push((&comprehension.accu_init, scope));
                    pending.push((&comprehension.iter_range, scope));
                }
                Expr::List(list) => {
                    pending.extend(list.elements.iter().rev().map(|e| (e, scope)));
                }
                Expr::Map(map) => push_entries(&mut pending, &map.entries, scope),
                Expr::Struct(structure) => push_entries(&mut pending, &structure.entries, scope),
                Expr::Literal(_) | Expr::Unspecified => {}
            }
        }
        Ok(())
    }

    fn unknown_variable(&self, name: &str, id: u64) -> CelError {
        let offset = self
            .program
            .source_info()
            .offset_for(id)
            .map(|(start, _)| start as usize)
            .filter(|&start| self.source.is_char_boundary(start));
        CelError::new(format!("unknown variable '{name}' (the variables are config, agent and file)"), offset)
    }
}

/// The environment every expression is compiled and evaluated with: the
/// standard library, built once.
fn env() -> &'static Arc<Env> {
    static ENV: OnceLock<Arc<Env>> = OnceLock::new();
    ENV.get_or_init(|| Arc::new(Env::stdlib()))
}

type Job = Box<dyn FnOnce() + Send>;

/// The thread with a large stack that runs the `cel` crate, started on first use.
fn worker() -> Option<&'static mpsc::Sender<Job>> {
    static WORKER: OnceLock<Option<mpsc::Sender<Job>>> = OnceLock::new();
    WORKER
        .get_or_init(|| {
            WORKER_STACK_SIZES.iter().find_map(|&stack_size| {
                let (sender, receiver) = mpsc::channel::<Job>();
                std::thread::Builder::new()
                    .name("agentlint-cel".to_owned())
                    .stack_size(stack_size)
                    .spawn(move || {
                        for job in receiver {
                            job();
                        }
                    })
                    .ok()
                    .map(|_| sender)
            })
        })
        .as_ref()
}

/// Runs `f` on the worker thread, turning a panic into an error.
fn run_isolated<T, F>(f: F) -> Result<T, CelError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, CelError> + Send + 'static,
{
    let (reply, result) = mpsc::sync_channel(1);
    let job: Job = Box::new(move || {
        let outcome = panic::catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Err(CelError::new(format!("internal error in the CEL interpreter: {what}"), None))
        });
        // The caller is blocked on `result` until it gets this.
        let _ = reply.send(outcome);
    });
    let unavailable = || CelError::new("the CEL evaluation thread is not available", None);
    worker().ok_or_else(unavailable)?.send(job).map_err(|_| unavailable())?;
    result.recv().map_err(|_| unavailable())?
}

/// Rejects brackets nested deeper than [`MAX_NESTING`], skipping string literals.
fn check_nesting(source: &str) -> Result<(), CelError> {
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(CelError::new(
                        format!("expression nests brackets more than {MAX_NESTING} deep"),
                        Some(i),
                    ));
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            quote @ (b'\'' | b'"') => {
                i = skip_string(bytes, i, quote);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// The index just past the string literal opening at `start`.
fn skip_string(bytes: &[u8], start: usize, quote: u8) -> usize {
    let raw = start > 0 && matches!(bytes[start - 1], b'r' | b'R');
    let triple = [quote; 3];
    let is_triple = bytes[start..].starts_with(&triple);
    let mut i = start + if is_triple { 3 } else { 1 };
    while i < bytes.len() {
        if bytes[i] == b'\\' && !raw {
            i += 2;
        } else if is_triple && bytes[i..].starts_with(&triple) {
            return i + 3;
        } else if !is_triple && bytes[i] == quote {
            return i + 1;
        } else {
            i += 1;
        }
    }
    bytes.len()
}

fn parse_error(errors: &ParseErrors, source: &str) -> CelError {
    let Some(first) = errors.errors.first() else {
        return CelError::new("syntax error", None);
    };
    if first.msg.contains("Recursion limit") {
        return CelError::new("expression is nested too deeply", None);
    }
    let message = match first.msg.strip_prefix("Syntax error: ") {
        Some(rest) => format!("syntax error: {rest}"),
        None => first.msg.clone(),
    };
    CelError::new(message, error_offset(first, source))
}

/// The byte offset of a parse error. Its position is a 1-based line and
/// column; the column counts characters for errors from the grammar, and
/// for errors about a token, but bytes for errors from macros (`has`,
/// `exists`, ...), which are the only ones without an expression id.
fn error_offset(error: &ParseError, source: &str) -> Option<usize> {
    let (line, column) = error.pos;
    let line = usize::try_from(line).ok()?.checked_sub(1)?;
    let column = usize::try_from(column).ok()?.checked_sub(1)?;
    let mut line_start = 0;
    for _ in 0..line {
        line_start += source[line_start..].find('\n')? + 1;
    }
    let rest = &source[line_start..];
    let counts_chars = error.msg.starts_with("Syntax error") || error.expr_id != 0;
    let within = if counts_chars {
        rest.char_indices().map(|(index, _)| index).chain(std::iter::once(rest.len())).nth(column)?
    } else {
        column
    };
    let offset = line_start + within;
    (offset <= source.len() && source.is_char_boundary(offset)).then_some(offset)
}

fn execution_error(error: &ExecutionError, program: &Program) -> CelError {
    let message = match error {
        ExecutionError::NoSuchKey(key) => {
            format!("no such key '{key}' (test optional keys with has() first)")
        }
        ExecutionError::UndeclaredReference(name) if program.references().has_function(name.as_str()) => {
            format!("unknown function '{name}'")
        }
        ExecutionError::UndeclaredReference(name) => {
            format!("unknown variable '{name}' (the variables are config, agent and file)")
        }
        other => other.to_string(),
    };
    CelError::new(message, None)
}

/// If `expr` is a chain of field selections on an identifier, `a.b.c`, that
/// identifier, its expression id, and the names of the chain, root first.
fn qualified_name(expr: &IdedExpr) -> Option<(&str, u64, Vec<&str>)> {
    let mut segments = Vec::new();
    let mut current = expr;
    loop {
        match &current.expr {
            Expr::Ident(name) => {
                segments.push(name.as_str());
                segments.reverse();
                return Some((name.as_str(), current.id, segments));
            }
            Expr::Select(select) if !select.test => {
                segments.push(select.field.as_str());
                current = &select.operand;
            }
            _ => return None,
        }
    }
}

fn push_entries<'a>(
    pending: &mut Vec<(&'a IdedExpr, Option<usize>)>,
    entries: &'a [cel::common::ast::IdedEntryExpr],
    scope: Option<usize>,
) {
    for entry in entries.iter().rev() {
        match &entry.expr {
            EntryExpr::StructField(field) => pending.push((&field.value, scope)),
            EntryExpr::MapEntry(entry) => {
                pending.push((&entry.value, scope));
                pending.push((&entry.key, scope));
            }
        }
    }
}

/// Converts JSON to CEL, see the module documentation.
fn json_to_cel(value: &serde_json::Value) -> Value {
    match value {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Int(i)
            } else if let Some(u) = n.as_u64() {
                Value::UInt(u)
            } else {
                Value::Float(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        serde_json::Value::String(s) => Value::String(Arc::new(s.clone())),
        serde_json::Value::Array(items) => Value::List(Arc::new(items.iter().map(json_to_cel).collect())),
        serde_json::Value::Object(entries) => {
            let map: HashMap<Key, Value> =
                entries.iter().map(|(k, v)| (Key::String(Arc::new(k.clone())), json_to_cel(v))).collect();
            Value::Map(Map { map: Arc::new(map) })
        }
    }
}

/// The CEL name of the type of `value`, for messages.
fn type_name(value: &Value) -> String {
    match value {
        Value::Float(_) => "double".to_owned(),
        other => other.type_of().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const BUDGET: &str = "has(config.max_budget_usd) && config.max_budget_usd <= 2.0";
    const DENY_RM: &str = "has(config.disallowed_tools) && 'Bash(rm:*)' in config.disallowed_tools";
    const MODELS: &str = "!has(config.model) || config.model in ['sonnet', 'opus']";

    fn eval(source: &str, config: serde_json::Value) -> Result<bool, CelError> {
        CelAssertion::compile(source).expect("compiles").evaluate(&config, "ci", "agents/ci.yaml")
    }

    fn compile_err(source: &str) -> CelError {
        CelAssertion::compile(source).expect_err(source)
    }

    fn eval_err(source: &str, config: serde_json::Value) -> CelError {
        eval(source, config).expect_err(source)
    }

    #[test]
    fn budget_ceiling_compares_ints_and_doubles() {
        for passing in [json!(2), json!(2.0), json!(1.5), json!(0), json!(-1)] {
            let config = json!({ "max_budget_usd": passing });
            assert_eq!(eval(BUDGET, config.clone()), Ok(true), "{config}");
        }
        for failing in [json!(3), json!(2.5), json!(2.000001), json!(u64::MAX)] {
            let config = json!({ "max_budget_usd": failing });
            assert_eq!(eval(BUDGET, config.clone()), Ok(false), "{config}");
        }
        assert_eq!(eval(BUDGET, json!({})), Ok(false));
        assert_eq!(eval(BUDGET, json!({ "model": "opus" })), Ok(false));
        // An int literal compares with doubles too.
        let int_ceiling = "config.max_budget_usd <= 2";
        assert_eq!(eval(int_ceiling, json!({ "max_budget_usd": 1.5 })), Ok(true));
        assert_eq!(eval(int_ceiling, json!({ "max_budget_usd": 2.5 })), Ok(false));
    }

    #[test]
    fn budget_ceiling_of_the_wrong_type_is_an_error() {
        let error = eval_err(BUDGET, json!({ "max_budget_usd": "2" }));
        assert!(error.message.contains("_<=_"), "{}", error.message);
        assert_eq!(error.offset, None);
        assert!(eval(BUDGET, json!({ "max_budget_usd": null })).is_err());
    }

    #[test]
    fn required_deny_rule() {
        let pass = json!({ "disallowed_tools": ["WebFetch", "Bash(rm:*)"] });
        assert_eq!(eval(DENY_RM, pass), Ok(true));
        let other_tools = json!({ "disallowed_tools": ["WebFetch", "Bash(rm -rf:*)"] });
        assert_eq!(eval(DENY_RM, other_tools), Ok(false));
        assert_eq!(eval(DENY_RM, json!({ "disallowed_tools": [] })), Ok(false));
        assert_eq!(eval(DENY_RM, json!({})), Ok(false));
    }

    #[test]
    fn model_allow_list() {
        assert_eq!(eval(MODELS, json!({})), Ok(true));
        assert_eq!(eval(MODELS, json!({ "model": "sonnet" })), Ok(true));
        assert_eq!(eval(MODELS, json!({ "model": "opus" })), Ok(true));
        assert_eq!(eval(MODELS, json!({ "model": "haiku" })), Ok(false));
        assert_eq!(eval(MODELS, json!({ "model": "Sonnet" })), Ok(false));
    }

    #[test]
    fn the_three_rules_pass_the_reference_check() {
        for source in [BUDGET, DENY_RM, MODELS] {
            let assertion = CelAssertion::compile(source).unwrap();
            assert_eq!(assertion.check_references(), Ok(()), "{source}");
            assert_eq!(assertion.source(), source);
        }
    }

    #[test]
    fn syntax_error_has_a_message_and_an_offset() {
        let error = compile_err("config.max_turns <=");
        assert!(error.message.starts_with("syntax error: "), "{}", error.message);
        assert!(error.message.contains("<EOF>"), "{}", error.message);
        assert_eq!(error.offset, Some(19));

        let error = compile_err("config.max_turns > > 1");
        assert_eq!(error.offset, Some(19), "{}", error.message);

        let error = compile_err("agent == 'ci' &&\n  file ==");
        assert_eq!(error.offset, Some(26), "{}", error.message);
    }

    #[test]
    fn error_offsets_are_bytes_after_multibyte_characters() {
        // The grammar counts characters: `)` is the 10th character, at byte 12.
        let error = compile_err("'ééé' == )");
        assert_eq!(error.offset, Some(12), "{}", error.message);
        // Macros count bytes: `a` is at byte 16.
        let error = compile_err("'ééé' == has(a)");
        assert_eq!(error.offset, Some(16), "{}", error.message);
        assert!(error.message.contains("has()"), "{}", error.message);
        let error = compile_err("'ééé' == [1].map(1, x)");
        assert_eq!(error.offset, Some(20), "{}", error.message);

        let assertion = CelAssertion::compile("'ééé' == conf").unwrap();
        let error = assertion.check_references().unwrap_err();
        assert_eq!(error.offset, Some(12), "{}", error.message);
    }

    #[test]
    fn other_compile_errors() {
        assert_eq!(compile_err("").message, "expression is empty");
        assert_eq!(compile_err("  \n ").message, "expression is empty");
        let error = compile_err("99999999999999999999 > 1");
        assert_eq!(error.message, "invalid int literal");
        assert_eq!(error.offset, Some(0));
        let error = compile_err("if == 1");
        assert!(error.message.contains("reserved"), "{}", error.message);
        assert!(compile_err("'unterminated").message.starts_with("syntax error"));
        assert!(compile_err("config.max_turns = 3").message.starts_with("syntax error"));
    }

    #[test]
    fn non_bool_result_is_an_error() {
        let error = eval_err("1 + 1", json!({}));
        assert_eq!(error.message, "assert must evaluate to a bool, got int");
        assert_eq!(error.offset, None);
        let got = |source: &str, config| eval_err(source, config).message;
        assert!(got("config.max_turns", json!({ "max_turns": 3 })).ends_with("got int"));
        assert!(got("config.max_budget_usd", json!({ "max_budget_usd": 2.5 })).ends_with("got double"));
        assert!(got("config.model", json!({ "model": "opus" })).ends_with("got string"));
        assert!(got("config.model", json!({ "model": null })).ends_with("got null"));
        assert!(got("config", json!({})).ends_with("got map"));
        assert!(got("[true]", json!({})).ends_with("got list"));
    }

    #[test]
    fn undefined_variable_is_an_error() {
        let source = "conf.max_turns > 1";
        let assertion = CelAssertion::compile(source).unwrap();
        let error = assertion.check_references().unwrap_err();
        assert_eq!(error.message, "unknown variable 'conf' (the variables are config, agent and file)");
        assert_eq!(error.offset, Some(0));
        let error = eval_err(source, json!({ "max_turns": 3 }));
        assert!(error.message.contains("'conf'"), "{}", error.message);

        let assertion = CelAssertion::compile("config.max_turns > 1 && limit < 2").unwrap();
        assert_eq!(assertion.check_references().unwrap_err().offset, Some(24));
    }

    #[test]
    fn reference_check_knows_macro_variables_and_types() {
        for source in [
            "config.disallowed_tools.exists(t, t.startsWith('Bash('))",
            "config.disallowed_tools.all(t, config.allowed_tools.all(u, t != u))",
            "config.map(k, k).size() >= 0 && config.map(k, k != 'a', k).size() >= 0",
            "[1, 2].map(x, x * 2).filter(y, y > 2) == [4]",
            "type(config.max_turns) == int && type(agent) == string",
            "type(config) == map && type(null) == null_type",
            "{'a': agent, file: [config]}.size() == 2",
            "has(config.model) && !has(config.model.name)",
            "google.protobuf.Duration == type(duration('1s'))",
        ] {
            let assertion = CelAssertion::compile(source).expect(source);
            assert_eq!(assertion.check_references(), Ok(()), "{source}");
        }
        for (source, unknown) in [
            ("[1].all(x, y > 0)", "'y'"),
            ("[1].all(x, x > 0) && x == 1", "'x'"),
            ("config.a.exists(t, t == other.name)", "'other'"),
            ("{'a': nope}.size() == 1", "'nope'"),
            ("foo.bar.baz == 1", "'foo'"),
            ("size(env) > 0", "'env'"),
        ] {
            let assertion = CelAssertion::compile(source).expect(source);
            let error = assertion.check_references().expect_err(source);
            assert!(error.message.contains(unknown), "{source}: {}", error.message);
            assert!(error.offset.is_some(), "{source}");
        }
    }

    #[test]
    fn agent_and_file_variables() {
        assert_eq!(eval("agent == 'ci'", json!({})), Ok(true));
        let assertion = CelAssertion::compile("agent == 'ci'").unwrap();
        assert_eq!(assertion.evaluate(&json!({}), "reviewer", "a.yaml"), Ok(false));

        let assertion = CelAssertion::compile("file.endsWith('.yaml')").unwrap();
        assert_eq!(assertion.check_references(), Ok(()));
        assert_eq!(assertion.evaluate(&json!({}), "ci", "agents/ci.yaml"), Ok(true));
        assert_eq!(assertion.evaluate(&json!({}), "ci", ".claude/agents/ci.md"), Ok(false));
    }

    #[test]
    fn json_numbers_are_ints_or_doubles() {
        let config = json!({ "max_turns": 10, "max_budget_usd": 2, "temperature": 0.5, "big": u64::MAX });
        for source in [
            "type(config.max_turns) == int",
            "config.max_turns + 1 == 11",
            "config.max_turns == 10.0",
            "type(config.temperature) == double",
            "double(config.max_budget_usd) * 1.5 == 3.0",
            "type(config.big) == uint && config.big > config.max_turns",
        ] {
            assert_eq!(eval(source, config.clone()), Ok(true), "{source}");
        }
        // Arithmetic does not mix int and double.
        assert!(eval("config.max_budget_usd * 1.5 <= 3.0", config).is_err());
    }

    #[test]
    fn missing_keys_and_unknown_functions() {
        let error = eval_err("config.model == 'opus'", json!({}));
        assert_eq!(error.message, "no such key 'model' (test optional keys with has() first)");
        let error = eval_err("has(config.hooks.pre_tool_use)", json!({}));
        assert!(error.message.contains("'hooks'"), "{}", error.message);
        assert_eq!(eval("has(config.hooks.pre_tool_use)", json!({ "hooks": {} })), Ok(false));
        let error = eval_err("agent.repeat(2) == 'cici'", json!({}));
        assert_eq!(error.message, "unknown function 'repeat'");
    }

    #[test]
    fn odd_expressions_error_without_panicking() {
        assert_eq!(eval("((((1)))) == 1", json!({})), Ok(true));
        let cases = [
            ("1/0 == 1", "Division by zero"),
            ("1 % 0 == 1", "Remainder by zero"),
            ("9223372036854775807 + 1 > 0", "Overflow"),
            ("-9223372036854775807 - 2 < 0", "Overflow"),
            ("-9223372036854775808 / -1 == 1", "Overflow"),
            ("int(1e300) == 1", "integer overflow"),
            ("[1][5] == 1", "out of bounds"),
            ("{'a': 1}['b'] == 1", "no such key"),
            ("agent.matches('[') ", "regex"),
            ("{'a': 1, 'a': 2}.size() == 1", "repeated key"),
            ("agent[0] == 'c'", "_[_]"),
            ("timestamp('not a time') > timestamp('2020-01-01T00:00:00Z')", "timestamp"),
        ];
        for (source, expected) in cases {
            let error = eval_err(source, json!({}));
            assert!(error.message.contains(expected), "{source}: {}", error.message);
        }
        assert_eq!(eval("1.0 / 0.0 > 1.0", json!({})), Ok(true));
        assert_eq!(eval("18446744073709551615u > 1u", json!({})), Ok(true));
    }

    #[test]
    fn nesting_is_limited() {
        let parens = |depth: usize| format!("{}1{} == 1", "(".repeat(depth), ")".repeat(depth));
        // Within the limit, on a test thread's small stack in a debug build.
        assert_eq!(eval(&parens(MAX_NESTING), json!({})), Ok(true));
        let lists = format!("size({}1{}) == 1", "[".repeat(MAX_NESTING - 1), "]".repeat(MAX_NESTING - 1));
        assert_eq!(eval(&lists, json!({})), Ok(true));
        let calls = format!("{}1{} == 1", "int(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        assert_eq!(eval(&calls, json!({})), Ok(true));
        let error = compile_err(&parens(MAX_NESTING + 1));
        assert_eq!(error.offset, Some(MAX_NESTING), "{}", error.message);
        assert_eq!(error.message, "expression nests brackets more than 32 deep");
        assert!(compile_err(&"(".repeat(1_000)).message.contains("deep"));
        // Brackets inside strings don't count.
        let in_string = format!("agent != '{}' && agent != \"{}\"", "(".repeat(100), "[".repeat(100));
        assert_eq!(eval(&in_string, json!({})), Ok(true));
        let escaped = format!("agent != '\\'{}' && agent != r'\\'", "(".repeat(100));
        assert_eq!(eval(&escaped, json!({})), Ok(true));
        let triple = format!("agent != '''it's {}'''", "{".repeat(100));
        assert_eq!(eval(&triple, json!({})), Ok(true));
        // Deep nesting without brackets meets the parser's own limit.
        let ternaries = format!("{}true", "false ? false : ".repeat(200));
        assert_eq!(compile_err(&ternaries).message, "expression is nested too deeply");
        let comprehensions =
            (0..MAX_NESTING / 2).fold("true".to_owned(), |inner, i| format!("[1].exists(x{i}, {inner})"));
        assert_eq!(eval(&comprehensions, json!({})), Ok(true));
    }

    #[test]
    fn long_expressions_are_limited() {
        let chain = |term: &str, op: &str| {
            let mut source = term.to_owned();
            while source.len() + op.len() + term.len() <= MAX_SOURCE_LEN - 8 {
                source.push_str(op);
                source.push_str(term);
            }
            source
        };
        // The longest chains allowed compile, evaluate, and drop on a test thread.
        let plus = format!("{} > 0", chain("1", "+"));
        assert_eq!(eval(&plus, json!({})), Ok(true));
        let minus = format!("{} < 0", chain("1", "-"));
        assert_eq!(eval(&minus, json!({})), Ok(true));
        let times = format!("{} == 1", chain("1", "*"));
        assert_eq!(eval(&times, json!({})), Ok(true));
        let members = format!("{} == 1", chain("config", ".a"));
        assert!(eval(&members, json!({})).is_err());
        let indexes = format!("config{} == 1", "[0]".repeat((MAX_SOURCE_LEN - 20) / 3));
        assert!(eval(&indexes, json!({})).is_err());
        let ors = chain("false", "||");
        assert_eq!(eval(&ors, json!({})), Ok(false));
        let nots = format!("{}true", "!".repeat(MAX_SOURCE_LEN - 4));
        assert_eq!(eval(&nots, json!({})), Ok(true));
        let negations = format!("{}1 == 1", "-".repeat(MAX_SOURCE_LEN - 8));
        assert_eq!(eval(&negations, json!({})), Ok(true));

        let error = compile_err(&format!("{} > 0", chain("1", "+") + "+1+1+1+1+1"));
        assert!(error.message.contains("the limit is 4096"), "{}", error.message);
    }

    #[test]
    fn deeply_nested_config_is_fine() {
        let mut config = json!(true);
        for _ in 0..100 {
            config = json!({ "a": config, "list": [1, 2] });
        }
        assert_eq!(eval("config == config && has(config.a.a.a)", config), Ok(true));
    }

    #[test]
    fn a_panic_is_an_error_and_the_worker_survives() {
        let result: Result<(), CelError> = run_isolated(|| panic!("boom"));
        assert_eq!(result, Err(CelError::new("internal error in the CEL interpreter: boom", None)));
        assert_eq!(eval(MODELS, json!({ "model": "opus" })), Ok(true));
    }

    #[test]
    fn assertions_are_shareable_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<CelAssertion>();
        let assertion = CelAssertion::compile(BUDGET).unwrap();
        std::thread::scope(|scope| {
            for i in 0..8 {
                let assertion = &assertion;
                scope.spawn(move || {
                    let config = json!({ "max_budget_usd": i });
                    assert_eq!(assertion.evaluate(&config, "a", "f"), Ok(i <= 2));
                });
            }
        });
    }

    fn numbers(n: usize) -> String {
        format!("[{}]", (0..n).map(|i| i.to_string()).collect::<Vec<_>>().join(", "))
    }

    fn over_budget(source: &str, config: serde_json::Value) -> bool {
        let assertion = CelAssertion::compile(source).expect(source);
        let (result, used) = assertion.evaluate_within(&config, "ci", "a.yaml", EVALUATION_BUDGET);
        assert!(used <= EVALUATION_BUDGET, "{source}: {used}");
        matches!(result, Err(CelError { over_budget: true, .. }))
    }

    #[test]
    fn reasonable_rules_fit_the_budget() {
        let tools: Vec<String> = (0..200).map(|i| format!("Bash(tool{i}:*)")).collect();
        let config = json!({ "allowed_tools": tools, "disallowed_tools": tools, "model": "opus" });
        let double = "config.allowed_tools.all(t, config.disallowed_tools.exists(u, t == u))";
        let assertion = CelAssertion::compile(double).unwrap();
        let (result, used) = assertion.evaluate_within(&config, "ci", "a.yaml", EVALUATION_BUDGET);
        assert_eq!(result, Ok(true));
        assert!((300_000..600_000).contains(&used), "{used}");
        for source in
            [BUDGET, DENY_RM, MODELS, "config.allowed_tools.map(t, t + '!').filter(t, t.endsWith('!')).size() == 200"]
        {
            assert!(!over_budget(source, config.clone()), "{source}");
        }
    }

    #[test]
    fn costly_rules_are_stopped() {
        let triple = format!("[{}].all(l, l.all(a, l.all(b, l.all(c, a + b + c >= 0))))", numbers(650));
        let maps = format!("[{}].all(l, l.map(a, l.map(b, l.map(c, [a, b, c]))).size() > 0)", numbers(300));
        let doubling = format!("[[1, 2]]{}.size() > 0", ".map(x, x + x)".repeat(60));
        let strings = format!("['ab']{}.size() > 0", ".map(x, x + x)".repeat(60));
        let swallowed = format!("[{}].all(l, l.all(a, l.all(b, 1 / 0 == 1 || a + b < 0) || true))", numbers(700));
        let config = json!({});
        for source in [&triple, &maps, &doubling, &strings, &swallowed] {
            assert!(over_budget(source, config.clone()), "{source}");
        }
        // A large config costs as much as it holds, where it is copied or compared.
        let big = json!({ "allowed_tools": (0..20_000).map(|i| i.to_string()).collect::<Vec<_>>() });
        assert!(over_budget("config.allowed_tools.all(t, t in config.allowed_tools)", big.clone()));
        assert!(!over_budget("size(config.allowed_tools) == 20000", big));
    }

    #[test]
    fn metering_keeps_the_semantics() {
        for source in [
            "[1, 2, 3].map(x, x * 2) == [2, 4, 6] && [1, 2, 3].filter(x, x > 1) == [2, 3]",
            "[1, 2, 3].exists_one(x, x == 2) && ![1, 2].exists_one(x, x > 0)",
            "[1, 2].all(x, [3, 4].exists(y, x < y)) && {'a': [1]}.all(k, k == 'a')",
            "'abc' + 'def' == 'abcdef' && [1] + [2] == [1, 2] && 'b' in ['a', 'b']",
            "optional.of(1).hasValue() && !optional.none().hasValue()",
            "agent.startsWith('c') && file.endsWith('.yaml') && 'ci'.matches('^c')",
            "[1, 2, 3].map(x, x > 1, x * 10) == [20, 30]",
            "[0, 1].exists(x, 1 / x == 1)",
            "{'a': {'b': 1}}.a.b == 1 && has({'a': 1}.a)",
        ] {
            assert_eq!(eval(source, json!({})), Ok(true), "{source}");
        }
        // Errors stay the same errors.
        assert!(eval_err("[1, 2].all(x, 1 / 0 == 1)", json!({})).message.contains("Division by zero"));
        assert_eq!(
            eval_err("config.model == 'opus'", json!({})).message,
            "no such key 'model' (test optional keys with has() first)"
        );
    }

    #[test]
    fn error_display_is_the_message() {
        let error = compile_err("config.max_turns <=");
        assert_eq!(error.to_string(), error.message);
    }
}
