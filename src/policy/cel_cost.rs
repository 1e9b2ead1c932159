//! A cost budget for CEL evaluation.
//!
//! The `cel` crate has no cost limit and no way to interrupt an evaluation, and a policy pack
//! from a pull request may hold an `assert` such as a triple comprehension over a long list,
//! or `map()`s nested so that each level multiplies the size of the result. So before an
//! expression is evaluated, a copy of its tree is instrumented with calls to hook functions
//! (named with `@`, which CEL source cannot spell) that charge a per-evaluation meter:
//!
//! * every comprehension (`all`, `exists`, `exists_one`, `map`, `filter`) is charged when it
//!   starts, for each element of its range: the nodes its body evaluates per element, plus the
//!   size of the element (the interpreter copies it into the loop variable);
//! * every argument of a function or operator, every element of a list or map literal, and
//!   every result of `+`, is charged its size: the number of values in it, nested ones
//!   included, and a string or bytes value one unit per 8 bytes. Copies and allocations, and
//!   the time of the operators (`in`, `==`, `contains`, ...), are all linear in these sizes;
//! * `matches` is charged a further [`REGEX_COST`] for compiling its pattern.
//!
//! When the meter runs out, the hook fails the evaluation, and so does every later hook, so
//! the interpreter unwinds at its next step whatever error handling (`||`, `exists`) the
//! expression has; the result is then "over budget" whatever the interpreter returns. A
//! wall-clock deadline is checked by the same hooks as a backstop.
//!
//! The shapes the interpreter recognises are kept: the accumulator steps of comprehensions
//! (`@result + [x]`, `@result && x`, ...) are not wrapped, and neither is the target of a call
//! that names a function (`optional.of(x)`), whose cost is charged beside the call instead.

use std::cell::Cell;
use std::time::{Duration, Instant};

use cel::common::ast::{
    CallExpr, ComprehensionExpr, EntryExpr, Expr, IdedEntryExpr, IdedExpr, ListExpr, LiteralValue, operators,
};
use cel::common::types::{CelBytes, CelInt, CelList, CelMap, CelString};
use cel::common::value::{CowVal, Val};
use cel::{Context, ExecutionError, FunctionContext};

/// Units one evaluation may use: enough for any reasonable rule over a large agent (a loop over
/// 200 tools inside a loop over 200 tools uses about 480,000), and a fraction of a second of
/// work at most.
pub const EVALUATION_BUDGET: u64 = 1_000_000;

/// Units all evaluations of all custom rules may use in one run, over every agent checked: a
/// pack with many costly rules and a repository with many agents still end in seconds.
pub const RUN_BUDGET: u64 = 20_000_000;

/// Extra units for each `matches` call (compiling a regular expression).
pub const REGEX_COST: u64 = 1_000;

/// Wall-clock time one evaluation may take, checked by the hooks (a backstop: the unit budget
/// is meant to end any evaluation long before).
pub const DEADLINE: Duration = Duration::from_secs(2);

const ITER: &str = "@agentlint_iter";
const ARG: &str = "@agentlint_arg";
const SEQ: &str = "@agentlint_seq";

/// The state of the meter of the evaluation running on this thread.
#[derive(Clone, Copy)]
struct Meter {
    remaining: u64,
    used: u64,
    exhausted: bool,
    deadline: Option<Instant>,
    calls: u32,
}

thread_local! {
    static METER: Cell<Meter> =
        const { Cell::new(Meter { remaining: u64::MAX, used: 0, exhausted: false, deadline: None, calls: 0 }) };
}

/// How one metered evaluation went.
pub struct Usage {
    /// Units used.
    pub used: u64,
    /// True when the budget or the deadline ran out: the result is not to be trusted.
    pub exhausted: bool,
}

/// Runs `f` with a meter of `budget` units on this thread.
pub fn metered<T>(budget: u64, f: impl FnOnce() -> T) -> (T, Usage) {
    let start =
        Meter { remaining: budget, used: 0, exhausted: false, deadline: Some(Instant::now() + DEADLINE), calls: 0 };
    METER.with(|m| m.set(start));
    let result = f();
    let end = METER.with(|m| m.replace(Meter { deadline: None, remaining: u64::MAX, ..start }));
    (result, Usage { used: end.used, exhausted: end.exhausted })
}

/// Charges `units`; fails once the budget or the deadline is exhausted (and for good).
fn charge(units: u64) -> Result<(), ExecutionError> {
    METER.with(|cell| {
        let mut m = cell.get();
        if !m.exhausted {
            m.calls = m.calls.wrapping_add(1);
            let late = m.calls.is_multiple_of(256) && m.deadline.is_some_and(|d| Instant::now() > d);
            if units > m.remaining || late {
                m.exhausted = true;
            } else {
                m.remaining -= units;
                m.used += units;
            }
        }
        cell.set(m);
        if m.exhausted { Err(ExecutionError::function_error("budget", "evaluation budget exhausted")) } else { Ok(()) }
    })
}

/// The units left on this thread's meter.
fn remaining() -> u64 {
    METER.with(|m| m.get().remaining)
}

/// The size of a value: 1, plus its elements' (and keys') sizes, plus one per 8 bytes of a
/// string or bytes value. Counting stops past `cap`, so the walk costs at most what is charged.
fn size(value: &dyn Val, cap: u64) -> u64 {
    let mut total = 0u64;
    let mut pending: Vec<&dyn Val> = vec![value];
    while let Some(v) = pending.pop() {
        total += 1;
        if total > cap {
            return total;
        }
        if let Some(s) = v.downcast_ref::<CelString>() {
            total += s.inner().len() as u64 / 8;
        } else if let Some(b) = v.downcast_ref::<CelBytes>() {
            total += b.inner().len() as u64 / 8;
        } else if let Some(list) = v.downcast_ref::<CelList>() {
            pending.extend(list.inner().iter().map(|item| item.as_ref()));
        } else if let Some(map) = v.downcast_ref::<CelMap>() {
            total += map.inner().len() as u64;
            pending.extend(map.inner().values().map(|item| item.as_ref()));
        }
    }
    total
}

/// The number of elements a comprehension iterates over.
fn length(value: &dyn Val) -> u64 {
    value.as_sizer().map_or(0, |s| u64::try_from(*s.size().inner()).unwrap_or(0))
}

type Hook = Box<
    dyn for<'context, 'call> Fn(
            &mut FunctionContext<'context, 'call>,
        ) -> Result<CowVal<'context, 'call>, ExecutionError>
        + Send
        + Sync,
>;

fn int_arg(args: &[CowVal<'_, '_>], index: usize) -> u64 {
    args.get(index).and_then(|a| a.downcast_ref::<CelInt>()).map_or(0, |i| u64::try_from(*i.inner()).unwrap_or(0))
}

fn take(args: &mut Vec<CowVal<'_, '_>>, index: usize) -> Result<(), ExecutionError> {
    if index < args.len() {
        args.swap(0, index);
        Ok(())
    } else {
        Err(ExecutionError::function_error("budget", "internal error: missing argument"))
    }
}

/// Adds the hook functions to an evaluation's context.
pub fn add_hooks(context: &mut Context<'_, '_>) {
    // `@iter(range, body)`: the range, charged its length times the body, plus its size.
    let iter: Hook = Box::new(|ftx| {
        let mut args = std::mem::take(&mut ftx.args);
        let body = int_arg(&args, 1);
        take(&mut args, 0)?;
        let range = &args[0];
        let per_element = length(range.as_ref()).saturating_mul(body.max(1));
        charge(per_element.saturating_add(size(range.as_ref(), remaining())))?;
        Ok(args.swap_remove(0))
    });
    // `@arg(value, extra)`: the value, charged its size and `extra`.
    let arg: Hook = Box::new(|ftx| {
        let mut args = std::mem::take(&mut ftx.args);
        let extra = int_arg(&args, 1);
        take(&mut args, 0)?;
        charge(size(args[0].as_ref(), remaining()).saturating_add(extra))?;
        Ok(args.swap_remove(0))
    });
    // `@seq(probe, value)`: the value, after charging the probe's size.
    let seq: Hook = Box::new(|ftx| {
        let mut args = std::mem::take(&mut ftx.args);
        charge(args.first().map_or(1, |probe| size(probe.as_ref(), remaining())))?;
        take(&mut args, 1)?;
        Ok(args.swap_remove(0))
    });
    for (name, hook) in [(ITER, iter), (ARG, arg), (SEQ, seq)] {
        context.add_function(name, hook).expect("hook names are not standard functions");
    }
}

/// A copy of `expr` with the hooks inserted. `variables` are the names that evaluate to values
/// (not namespaces of functions).
pub fn instrument(expr: &IdedExpr, variables: &[&str]) -> IdedExpr {
    let mut scope: Vec<String> = variables.iter().map(|v| (*v).to_owned()).collect();
    let mut accumulators: Vec<String> = Vec::new();
    Instrumenter { scope: &mut scope, accumulators: &mut accumulators }.expr(expr)
}

struct Instrumenter<'a> {
    /// Names bound to values here: the variables, and comprehension variables in scope.
    scope: &'a mut Vec<String>,
    /// Accumulator variables of the comprehensions in scope.
    accumulators: &'a mut Vec<String>,
}

fn node(expr: Expr) -> IdedExpr {
    IdedExpr { id: 0, expr }
}

fn call(name: &str, args: Vec<IdedExpr>) -> IdedExpr {
    node(Expr::Call(CallExpr { func_name: name.to_owned(), target: None, args }))
}

fn int(value: u64) -> IdedExpr {
    node(Expr::Literal(LiteralValue::Int(CelInt::from(i64::try_from(value).unwrap_or(i64::MAX)))))
}

/// The number of nodes of an expression: what evaluating it once costs, at least.
fn count(expr: &IdedExpr) -> u64 {
    let mut total = 0;
    let mut pending = vec![expr];
    while let Some(e) = pending.pop() {
        total += 1;
        match &e.expr {
            Expr::Call(c) => {
                pending.extend(c.args.iter());
                pending.extend(c.target.as_deref());
            }
            Expr::Comprehension(c) => {
                pending.extend([&c.iter_range, &c.accu_init, &c.loop_cond, &c.loop_step, &c.result]);
            }
            Expr::List(l) => pending.extend(l.elements.iter()),
            Expr::Map(m) => pending.extend(entries(&m.entries)),
            Expr::Struct(s) => pending.extend(entries(&s.entries)),
            Expr::Select(s) => pending.push(&s.operand),
            Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => {}
        }
    }
    total
}

fn entries(entries: &[IdedEntryExpr]) -> impl Iterator<Item = &IdedExpr> {
    entries.iter().flat_map(|e| match &e.expr {
        EntryExpr::StructField(f) => vec![&f.value],
        EntryExpr::MapEntry(m) => vec![&m.key, &m.value],
    })
}

/// The root of a qualified name (`a` of `a.b.c`), if `expr` is one.
fn qualified_root(expr: &IdedExpr) -> Option<&str> {
    let mut e = expr;
    loop {
        match &e.expr {
            Expr::Ident(name) => return Some(name),
            Expr::Select(s) if !s.test => e = &s.operand,
            _ => return None,
        }
    }
}

/// Literals worth no charge: scalars and short strings.
fn is_cheap_literal(expr: &IdedExpr) -> bool {
    match &expr.expr {
        Expr::Literal(LiteralValue::String(s)) => s.inner().len() <= 64,
        Expr::Literal(LiteralValue::Bytes(b)) => b.inner().len() <= 64,
        Expr::Literal(_) => true,
        _ => false,
    }
}

impl Instrumenter<'_> {
    fn is_accumulator(&self, expr: &IdedExpr) -> bool {
        matches!(&expr.expr, Expr::Ident(name) if self.accumulators.iter().any(|a| a == name))
    }

    /// `@arg(expr, extra)`, or `expr` itself when it costs nothing to pass around.
    fn charged(&mut self, expr: &IdedExpr, extra: u64) -> IdedExpr {
        let inner = self.expr(expr);
        if extra == 0 && (is_cheap_literal(expr) || self.is_accumulator(expr)) {
            return inner;
        }
        call(ARG, vec![inner, int(extra)])
    }

    fn expr(&mut self, expr: &IdedExpr) -> IdedExpr {
        match &expr.expr {
            Expr::Call(c) => self.call(expr.id, c),
            Expr::Comprehension(c) => {
                IdedExpr { id: expr.id, expr: Expr::Comprehension(Box::new(self.comprehension(c))) }
            }
            Expr::List(l) => {
                let elements = l.elements.iter().map(|e| self.charged(e, 0)).collect();
                IdedExpr {
                    id: expr.id,
                    expr: Expr::List(ListExpr::new_with_optionals(elements, l.optional_indices.clone())),
                }
            }
            Expr::Map(m) => {
                let mut map = m.clone();
                for entry in &mut map.entries {
                    if let EntryExpr::MapEntry(e) = &mut entry.expr {
                        e.key = self.charged(&e.key, 0);
                        e.value = self.charged(&e.value, 0);
                    }
                }
                IdedExpr { id: expr.id, expr: Expr::Map(map) }
            }
            Expr::Select(s) => {
                let mut select = s.clone();
                if qualified_root(&s.operand).is_none() {
                    select.operand = Box::new(self.expr(&s.operand));
                }
                IdedExpr { id: expr.id, expr: Expr::Select(select) }
            }
            Expr::Struct(_) | Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => expr.clone(),
        }
    }

    fn call(&mut self, id: u64, c: &CallExpr) -> IdedExpr {
        let name = c.func_name.as_str();
        let control = matches!(
            name,
            operators::LOGICAL_AND | operators::LOGICAL_OR | operators::CONDITIONAL | operators::NOT_STRICTLY_FALSE
        );
        let accumulates = name == operators::ADD && c.args.first().is_some_and(|a| self.is_accumulator(a));
        if control || accumulates {
            // Shapes the interpreter recognises: keep them, instrument inside.
            let args = c.args.iter().map(|a| if self.is_accumulator(a) { a.clone() } else { self.expr(a) }).collect();
            let target = c.target.as_deref().map(|t| Box::new(self.expr(t)));
            return IdedExpr { id, expr: Expr::Call(CallExpr { func_name: c.func_name.clone(), target, args }) };
        }
        let extra = if name == "matches" { REGEX_COST } else { 0 };
        let args = c.args.iter().map(|a| self.charged(a, extra)).collect();
        let mut probe = None;
        let target = c.target.as_deref().map(|t| match qualified_root(t) {
            // A variable or a field of one: charged beside the call, so that the call still
            // sees the name (it may also name a function).
            Some(root) if self.scope.iter().any(|v| v == root) => {
                probe = Some(t.clone());
                Box::new(t.clone())
            }
            // A namespace, as in `optional.of(x)`.
            Some(_) => Box::new(t.clone()),
            None => Box::new(self.charged(t, extra)),
        });
        let mut out = IdedExpr { id, expr: Expr::Call(CallExpr { func_name: c.func_name.clone(), target, args }) };
        if name == operators::ADD {
            // The sum is a new value: a list or string as long as both operands.
            out = call(ARG, vec![out, int(0)]);
        }
        match probe {
            Some(probe) => call(SEQ, vec![probe, out]),
            None => out,
        }
    }

    fn comprehension(&mut self, c: &ComprehensionExpr) -> ComprehensionExpr {
        let body = count(&c.loop_cond) + count(&c.loop_step);
        let iter_range = call(ITER, vec![self.expr(&c.iter_range), int(body)]);
        let accu_init = self.expr(&c.accu_init);
        let bound = [Some(&c.iter_var), c.iter_var2.as_ref(), Some(&c.accu_var)];
        let before = self.scope.len();
        self.scope.extend(bound.into_iter().flatten().cloned());
        self.accumulators.push(c.accu_var.clone());
        let loop_cond = self.expr(&c.loop_cond);
        let loop_step = self.expr(&c.loop_step);
        let result = self.expr(&c.result);
        self.accumulators.pop();
        self.scope.truncate(before);
        ComprehensionExpr {
            iter_range,
            iter_var: c.iter_var.clone(),
            iter_var2: c.iter_var2.clone(),
            accu_var: c.accu_var.clone(),
            accu_init,
            loop_cond,
            loop_step,
            result,
        }
    }
}
