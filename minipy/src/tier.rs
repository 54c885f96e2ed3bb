//! The JIT tier: Python functions → IR → machine code.
//!
//! What is compiled: *pure* functions — no print, no global stores, no other side effects —
//! whose values are all ints and bools (found by abstract interpretation of the bytecode),
//! calling only other such functions. Ints are speculated: the interpreter enters compiled
//! code only with int arguments. Everything that could raise (overflow, division by zero,
//! negative shift, recursion depth) instead returns [`DEOPT`]; since the function is pure,
//! the interpreter then simply runs the same call again, from the start, itself — which
//! raises the right exception with the right traceback. So results never depend on the
//! tier. Globals read as constants and callees resolved at compile time are recorded as
//! dependencies; storing to one invalidates the compiled code.
//!
//! Lowering is the stack-to-register step: within a bytecode block the operand stack is a
//! [`VirtualStack`] of SSA values, and at block boundaries locals and stack travel as block
//! parameters, which the optimizer then mostly removes.
//!
//! Ahead of time ([`crate::aot`]) the same analysis and lowering run with `effects`: prints,
//! strings and None are allowed, a value of several kinds is a payload plus a tag
//! ([`Ty::Dyn`], a second SSA value next to the payload), parameter types come from the
//! calls, globals may live in memory cells, and failures raise instead of deoptimizing.

use crate::ast::{BinOp, CmpOp};
use crate::bytecode::*;
use crate::error::{ExcKind, Exception};
use crate::value::{self, Value};
use crate::virtual_stack::VirtualStack;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::vec;
use alloc::vec::Vec;
use jit::ir::{self, Block, CheckedOp, Cmp, FuncId, HostId, Signature, Type};
use jit::{FunctionBuilder, Module};

/// What compiled code returns instead of a value when the interpreter must take over.
/// (A genuine i64::MIN result also comes back as this; the interpreter then recomputes it.)
pub const DEOPT: i64 = i64::MIN;
/// Compiled code gives up at this call depth (the interpreter raises RecursionError).
pub const DEPTH_LIMIT: i64 = crate::vm::RECURSION_LIMIT as i64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Int,
    Bool,
    /// A function value (callee of CALL).
    Func(u32),
    /// An unassigned local.
    Unset,
    /// Ahead of time only: an interned string (its index in the program's strings; the
    /// type is the constant), None.
    Str(u32),
    NoneV,
    /// Ahead of time only: one of several kinds (a [`bits`] mask), known at run time from a
    /// tag that travels next to the payload. Payloads: ints and bools as themselves, None 0,
    /// a string its rank in the program's sorted strings ("" is 0), unset 0 — so a value is
    /// truthy exactly when its payload is not 0.
    Dyn(u8),
    /// No value yet (a callee whose return type is not known): the bottom of the lattice.
    Never,
    /// Conflicting or unsupported: fine to carry, fatal to use.
    Any,
}

/// Run-time tags of [`Ty::Dyn`] values.
pub mod tag {
    pub const INT: i64 = 0;
    pub const BOOL: i64 = 1;
    pub const NONE: i64 = 2;
    pub const STR: i64 = 3;
    pub const UNSET: i64 = 4;
}

pub const B_INT: u8 = 1 << tag::INT;
pub const B_BOOL: u8 = 1 << tag::BOOL;
pub const B_NONE: u8 = 1 << tag::NONE;
pub const B_STR: u8 = 1 << tag::STR;
pub const B_UNSET: u8 = 1 << tag::UNSET;
const B_NUM: u8 = B_INT | B_BOOL;

/// The kinds a type admits, as a mask of `1 << tag` (None for functions and conflicts).
pub fn bits(t: Ty) -> Option<u8> {
    Some(match t {
        Ty::Int => B_INT,
        Ty::Bool => B_BOOL,
        Ty::NoneV => B_NONE,
        Ty::Str(_) => B_STR,
        Ty::Unset => B_UNSET,
        Ty::Dyn(m) => m,
        Ty::Never => 0,
        Ty::Func(_) | Ty::Any => return None,
    })
}

/// The type of exactly the kinds in `m` (a single kind is a plain type).
fn from_bits(m: u8) -> Ty {
    match m {
        0 => Ty::Never,
        B_INT => Ty::Int,
        B_BOOL => Ty::Bool,
        B_NONE => Ty::NoneV,
        B_UNSET => Ty::Unset,
        m => Ty::Dyn(m),
    }
}

/// The tag of a value of a single-kind type.
pub fn tag_of(t: Ty) -> Option<i64> {
    Some(match t {
        Ty::Int | Ty::Never => tag::INT,
        Ty::Bool => tag::BOOL,
        Ty::NoneV => tag::NONE,
        Ty::Str(_) => tag::STR,
        Ty::Unset => tag::UNSET,
        _ => return None,
    })
}

/// Numbers only (ints and bools; also no value yet).
fn is_num(t: Ty) -> bool {
    bits(t).is_some_and(|m| m & !B_NUM == 0)
}

/// Truthiness known from the type alone.
fn truth(t: Ty) -> Option<bool> {
    match t {
        Ty::NoneV => Some(false),
        Ty::Str(k) => Some(k != 0),
        _ => None,
    }
}

/// The tags in a mask.
fn kinds_of(m: u8) -> impl Iterator<Item = i64> {
    (0..5).filter(move |k| m & (1 << k) != 0)
}

/// A value of kind `k` (a [`tag`]), for an exception message.
fn kind_sample(k: i64) -> Value {
    match k {
        tag::INT => Value::Int(1),
        tag::BOOL => Value::Bool(true),
        tag::STR => Value::Str(0),
        _ => Value::None,
    }
}

/// A value of a single-kind type, for an exception message that depends only on types.
fn sample(t: Ty) -> Option<Value> {
    Some(match t {
        Ty::Int => Value::Int(1),
        Ty::Bool => Value::Bool(true),
        Ty::NoneV => Value::None,
        Ty::Str(k) => Value::Str(k),
        _ => return None,
    })
}

/// Least upper bound; `dynamic` (ahead of time) admits [`Ty::Dyn`], else kinds that differ
/// conflict.
fn join(a: Ty, b: Ty, dynamic: bool) -> Ty {
    match (a, b) {
        _ if a == b => a,
        (Ty::Never, t) | (t, Ty::Never) => t,
        _ if !dynamic => Ty::Any,
        _ => match (bits(a), bits(b)) {
            (Some(x), Some(y)) => from_bits(x | y),
            _ => Ty::Any,
        },
    }
}

/// Why a function is not compiled (for --stats).
pub type Reject = &'static str;

#[derive(Clone, Debug)]
struct State {
    stack: Vec<Ty>,
    locals: Vec<Ty>,
}

/// The facts the lowering needs about one code object.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// Entry state of every reachable instruction that starts a block.
    entries: BTreeMap<u32, State>,
    /// The type each value-producing instruction pushes.
    pushed: BTreeMap<u32, Ty>,
    /// Instructions that always raise (ahead of time), with the exception.
    raises: BTreeMap<u32, Exception>,
    /// Parameter types (as analyzed).
    pub params: Vec<Ty>,
    pub returns: Ty,
    /// Functions called (code ids).
    pub callees: Vec<u32>,
    /// Argument types at each call (ahead of time).
    pub calls: Vec<(u32, Vec<Ty>)>,
    /// Globals read as constants or callees.
    pub globals_read: Vec<u32>,
    /// Stores to globals kept in memory (ahead of time), with the stored type.
    pub stores: Vec<(u32, Ty)>,
}

fn leaders(code: &Code) -> Vec<bool> {
    let n = code.instrs.len();
    let mut l = vec![false; n + 1];
    l[0] = true;
    for (i, ins) in code.instrs.iter().enumerate() {
        if ins.op.is_jump() {
            l[ins.a as usize] = true;
            l[i + 1] = true;
        }
        match ins.op {
            Op::ForRange => {
                l[ins.b as usize] = true;
                l[i + 1] = true;
            }
            Op::ReturnValue | Op::RaiseConst => l[i + 1] = true,
            _ => {}
        }
    }
    l
}

/// Abstract interpretation over types. `returns_of` gives the (assumed) return type of a
/// callee; `globals` the current global values.
pub fn analyze(
    prog: &Program,
    code_id: u32,
    globals: &[Value],
    returns_of: &dyn Fn(u32) -> Option<Ty>,
) -> Result<Analysis, Reject> {
    let params = vec![Ty::Int; prog.codes[code_id as usize].nparams as usize];
    let none = BTreeMap::new();
    analyze_at(prog, code_id, globals, &none, returns_of, &params, false).map_err(|(_, why)| why)
}

/// [`analyze`] with given parameter types; with `effects` (ahead of time, where nothing is
/// ever re-run) prints are allowed, strings and None are values, values of several kinds are
/// [`Ty::Dyn`], an operation that must fail becomes a raise, and the globals in `memory`
/// (with their types) live in memory cells. A failure comes with the instruction the
/// analysis stopped at.
pub fn analyze_at(
    prog: &Program,
    code_id: u32,
    globals: &[Value],
    memory: &BTreeMap<u32, Ty>,
    returns_of: &dyn Fn(u32) -> Option<Ty>,
    params: &[Ty],
    effects: bool,
) -> Result<Analysis, (u32, Reject)> {
    let mut at = 0u32;
    analyze_inner(
        prog, code_id, globals, memory, returns_of, params, effects, &mut at,
    )
    .map_err(|why| (at, why))
}

/// The exception for reading local `slot` of `code` before it is assigned.
fn unbound(code: &Code, slot: u32) -> Exception {
    let name = &code.local_names[slot as usize];
    if code.name == "<module>" {
        Exception::new(ExcKind::NameError, format!("name '{name}' is not defined"))
    } else {
        Exception::new(
            ExcKind::UnboundLocalError,
            format!(
                "cannot access local variable '{name}' where it is not associated with a value"
            ),
        )
    }
}

/// Whether any code object stores global `g` (one never stored is undefined everywhere).
fn ever_stored(prog: &Program, g: u32) -> bool {
    prog.codes
        .iter()
        .any(|c| c.instrs.iter().any(|i| i.op == Op::StoreGlobal && i.a == g))
}

#[allow(clippy::too_many_arguments)]
fn analyze_inner(
    prog: &Program,
    code_id: u32,
    globals: &[Value],
    memory: &BTreeMap<u32, Ty>,
    returns_of: &dyn Fn(u32) -> Option<Ty>,
    params: &[Ty],
    effects: bool,
    at: &mut u32,
) -> Result<Analysis, Reject> {
    let code = &prog.codes[code_id as usize];
    let dy = effects;
    let held = |t: Ty| {
        if dy {
            bits(t).is_some_and(|m| m & B_UNSET == 0)
        } else {
            matches!(t, Ty::Int | Ty::Bool | Ty::Never)
        }
    };
    if code_id == 0 {
        return Err("module code is not compiled");
    }
    let lead = leaders(code);
    let mut locals = vec![Ty::Unset; code.nlocals as usize];
    for (l, &p) in locals.iter_mut().zip(params) {
        *l = p;
    }
    let mut entries: BTreeMap<u32, State> = BTreeMap::new();
    entries.insert(
        0,
        State {
            stack: Vec::new(),
            locals,
        },
    );
    let mut work = vec![0u32];
    let mut returns: Option<Ty> = None;
    let (mut callees, mut globals_read, mut calls) = (Vec::new(), Vec::new(), Vec::new());
    let mut stores = Vec::new();
    let mut pushed: BTreeMap<u32, Ty> = BTreeMap::new();
    let mut raises: BTreeMap<u32, Exception> = BTreeMap::new();
    while let Some(start) = work.pop() {
        let mut st = entries[&start].clone();
        let mut pc = start as usize;
        loop {
            *at = pc as u32;
            let ins = code.instrs[pc];
            let mut flow_to: Vec<(u32, State)> = Vec::new();
            let pop = |st: &mut State| st.stack.pop().ok_or("stack underflow");
            let mut falls_through = true;
            let mut push = |st: &mut State, t: Ty| {
                pushed.insert(pc as u32, t);
                st.stack.push(t);
            };
            // An operation that always fails (ahead of time): the path ends here.
            macro_rules! raise {
                ($e:expr) => {{
                    raises.insert(pc as u32, $e);
                    break;
                }};
            }
            match ins.op {
                Op::Nop => {}
                Op::LoadConst => {
                    let t = match &code.consts[ins.a as usize] {
                        Const::Int(_) => Ty::Int,
                        Const::Bool(_) => Ty::Bool,
                        Const::Str(k) if dy => Ty::Str(*k),
                        Const::None if dy => Ty::NoneV,
                        Const::TooBig if dy => raise!(Exception::overflow()),
                        Const::Error(k, m) if dy => raise!(Exception::new(*k, m.clone())),
                        _ => return Err("uses a constant that is not an int or a bool"),
                    };
                    push(&mut st, t);
                }
                Op::LoadFast => {
                    let t = st.locals[ins.a as usize];
                    if dy {
                        match bits(t) {
                            Some(B_UNSET) => raise!(unbound(code, ins.a)),
                            None if matches!(t, Ty::Func(_)) => push(&mut st, t),
                            Some(m) if m & B_UNSET == 0 => push(&mut st, t),
                            Some(m) => push(&mut st, from_bits(m & !B_UNSET)),
                            None => return Err("reads a local of conflicting kinds"),
                        }
                    } else {
                        if !held(t) {
                            return Err("reads a local that may be unset or not an int");
                        }
                        push(&mut st, t);
                    }
                }
                Op::StoreFast => {
                    let t = pop(&mut st)?;
                    st.locals[ins.a as usize] = t;
                }
                Op::LoadGlobal if memory.contains_key(&ins.a) => {
                    let t = memory[&ins.a];
                    match bits(t) {
                        Some(B_UNSET) => raise!(Exception::new(
                            ExcKind::NameError,
                            format!("name '{}' is not defined", prog.globals[ins.a as usize])
                        )),
                        Some(m) if m & B_UNSET != 0 => push(&mut st, from_bits(m & !B_UNSET)),
                        _ => push(&mut st, t),
                    }
                }
                Op::StoreGlobal if memory.contains_key(&ins.a) => {
                    let t = pop(&mut st)?;
                    if !held(t) {
                        return Err("stores a value of conflicting kinds in a global");
                    }
                    stores.push((ins.a, t));
                }
                Op::LoadGlobal => {
                    let t = match globals.get(ins.a as usize) {
                        Some(Value::Int(_)) => Ty::Int,
                        Some(Value::Bool(_)) => Ty::Bool,
                        Some(Value::Func(f)) => Ty::Func(*f),
                        _ if dy && !ever_stored(prog, ins.a) => {
                            let name = &prog.globals[ins.a as usize];
                            if Builtin::ALL.iter().any(|b| b.name() == name) {
                                return Err("uses a builtin through its name");
                            }
                            raise!(Exception::new(
                                ExcKind::NameError,
                                format!("name '{name}' is not defined")
                            ))
                        }
                        _ => return Err("reads a global that is not an int, bool or function"),
                    };
                    globals_read.push(ins.a);
                    push(&mut st, t);
                }
                Op::BinaryOp => {
                    let (b, a) = (pop(&mut st)?, pop(&mut st)?);
                    let op = BinOp::ALL[ins.a as usize];
                    let (mut a, mut b) = (a, b);
                    if !is_num(a) || !is_num(b) {
                        if let (true, Some(x), Some(y)) = (dy, sample(a), sample(b)) {
                            match value::binary(op, x, y) {
                                Err(e) => raise!(e),
                                Ok(_) => return Err("computes a string"),
                            }
                        }
                        let (Some(ka), Some(kb), true) = (bits(a), bits(b), dy) else {
                            return Err("arithmetic on a value that may not be a number");
                        };
                        // Checked at run time (a pair that is not two numbers raises); what
                        // comes out is computed from the numbers.
                        (a, b) = (from_bits(ka & B_NUM), from_bits(kb & B_NUM));
                    }
                    let bitop = matches!(op, BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor);
                    // A bitwise operation on two bools is a bool.
                    let r = match (a, b) {
                        _ if !bitop => Ty::Int,
                        (Ty::Bool, Ty::Bool) => Ty::Bool,
                        (Ty::Dyn(_), Ty::Dyn(_) | Ty::Bool) | (Ty::Bool, Ty::Dyn(_)) => {
                            Ty::Dyn(B_NUM)
                        }
                        _ => Ty::Int,
                    };
                    push(&mut st, r);
                }
                Op::CompareOp => {
                    let (b, a) = (pop(&mut st)?, pop(&mut st)?);
                    let op = CmpOp::ALL[ins.a as usize];
                    if !(is_num(a) && is_num(b)) {
                        let (Some(x), Some(y), true) = (bits(a), bits(b), dy) else {
                            return Err("comparison of a value that is not an int");
                        };
                        // Ordering across kinds raises, at run time when the kinds are
                        // known only then (== and != never do).
                        let eq = matches!(op, CmpOp::Eq | CmpOp::Ne);
                        if !eq
                            && (x | y) & !B_STR != 0
                            && let (Some(p), Some(q)) = (sample(a), sample(b))
                            && let Err(e) = value::compare(op, p, q, &prog.strings)
                        {
                            raise!(e);
                        }
                    }
                    push(&mut st, Ty::Bool);
                }
                Op::UnaryNegative | Op::UnaryPositive | Op::UnaryInvert => {
                    let a = pop(&mut st)?;
                    if !is_num(a) {
                        if let (true, Some(x)) = (dy, sample(a)) {
                            let r = match ins.op {
                                Op::UnaryNegative => value::negate(x),
                                Op::UnaryPositive => value::positive(x),
                                _ => value::invert(x),
                            };
                            if let Err(e) = r {
                                raise!(e);
                            }
                        }
                        return Err("unary operator on a value that is not an int");
                    }
                    push(&mut st, Ty::Int);
                }
                Op::UnaryNot => {
                    let a = pop(&mut st)?;
                    if !(is_num(a) || dy && held(a)) {
                        return Err("'not' of a value that is not an int");
                    }
                    push(&mut st, Ty::Bool);
                }
                Op::PopJumpIfFalse
                | Op::PopJumpIfTrue
                | Op::JumpIfFalseOrPop
                | Op::JumpIfTrueOrPop => {
                    // `and`/`or` keep the value on the stack where they jump; the rest pop it.
                    let keeps = matches!(ins.op, Op::JumpIfFalseOrPop | Op::JumpIfTrueOrPop);
                    let a = *st.stack.last().ok_or("stack underflow")?;
                    if !(is_num(a) || dy && held(a)) {
                        return Err(if keeps {
                            "and/or on a value that is not an int"
                        } else {
                            "branch on a value that is not an int"
                        });
                    }
                    if !keeps {
                        st.stack.pop();
                    }
                    // Only the way a condition known from its type can go.
                    let jump_when = matches!(ins.op, Op::PopJumpIfTrue | Op::JumpIfTrueOrPop);
                    match truth(a) {
                        Some(t) if t == jump_when => {
                            flow_to.push((ins.a, st.clone()));
                            falls_through = false;
                        }
                        Some(_) => {}
                        None => flow_to.push((ins.a, st.clone())),
                    }
                    if keeps {
                        st.stack.pop();
                    }
                }
                Op::JumpForward | Op::JumpBackward => {
                    flow_to.push((ins.a, st.clone()));
                    falls_through = false;
                }
                Op::Call => {
                    let n = ins.a as usize;
                    if st.stack.len() < n + 1 {
                        return Err("stack underflow");
                    }
                    let args = st.stack.split_off(st.stack.len() - n);
                    let Ty::Func(f) = pop(&mut st)? else {
                        return Err("calls something that is not a known function");
                    };
                    if prog.codes[f as usize].nparams as usize != n {
                        if dy {
                            raise!(crate::vm::arity_error(&prog.codes[f as usize], n));
                        }
                        return Err("a call with the wrong number of arguments");
                    }
                    if dy {
                        if !args.iter().all(|&t| held(t)) {
                            return Err("passes a value of conflicting kinds to a function");
                        }
                        calls.push((f, args));
                    } else if args.iter().any(|&t| t != Ty::Int) {
                        return Err("passes a value that is not an int to a function");
                    }
                    let r = returns_of(f).ok_or("calls a function that is not compiled")?;
                    callees.push(f);
                    push(&mut st, r);
                }
                Op::CallBuiltin => {
                    let b = Builtin::ALL[ins.a as usize];
                    // arg(i) ahead of time: the runtime reads the command line.
                    let arg = dy && b == Builtin::Arg && ins.b == 1;
                    if !arg && !matches!(b, Builtin::Abs | Builtin::Min | Builtin::Max) {
                        return Err("uses a builtin with effects");
                    }
                    let n = ins.b as usize;
                    let args = st
                        .stack
                        .split_off(st.stack.len().checked_sub(n).ok_or("stack underflow")?);
                    if !arg
                        && (args.is_empty()
                            || (b != Builtin::Abs && n < 2)
                            || (b == Builtin::Abs && n != 1))
                    {
                        return Err("abs/min/max with an unusual number of arguments");
                    }
                    let r = if arg {
                        if !is_num(args[0]) {
                            return Err("arg() of a value that may not be an int");
                        }
                        Ty::Int
                    } else if args.iter().all(|&t| t == Ty::Int) {
                        Ty::Int
                    } else if args.iter().all(|&t| is_num(t)) {
                        if b == Builtin::Abs {
                            Ty::Int
                        } else if args.iter().all(|&t| t == Ty::Bool) {
                            Ty::Bool
                        } else {
                            Ty::Dyn(B_NUM)
                        }
                    } else if dy
                        && b != Builtin::Abs
                        && args.iter().all(|&t| bits(t) == Some(B_STR))
                    {
                        // The extreme of known strings is known; of computed ones, a string.
                        let mut best = None::<u32>;
                        for &t in &args {
                            match (t, best) {
                                (Ty::Str(k), None) => best = Some(k),
                                (Ty::Str(k), Some(j)) => {
                                    let (s, bs) =
                                        (&prog.strings[k as usize], &prog.strings[j as usize]);
                                    if (b == Builtin::Min && s < bs)
                                        || (b == Builtin::Max && s > bs)
                                    {
                                        best = Some(k);
                                    }
                                }
                                _ => {
                                    best = None;
                                    break;
                                }
                            }
                        }
                        best.map_or(Ty::Dyn(B_STR), Ty::Str)
                    } else if dy && b != Builtin::Abs && args.iter().all(|&t| held(t)) {
                        // Kinds that may not order: a pair of known kinds that does not
                        // raises now; else the extreme is of any of the kinds, checked as
                        // it is compared (`item < best` for min, `>` for max).
                        let op = if b == Builtin::Min {
                            CmpOp::Lt
                        } else {
                            CmpOp::Gt
                        };
                        if let Some(e) = args.iter().skip(1).find_map(|&t| {
                            let (p, q) = (sample(t)?, sample(args[0])?);
                            value::compare(op, p, q, &prog.strings).err()
                        }) {
                            raise!(e);
                        }
                        args.iter().fold(Ty::Never, |acc, &t| join(acc, t, true))
                    } else {
                        return Err("abs/min/max of a value that is not an int");
                    };
                    push(&mut st, r);
                }
                Op::ReturnValue => {
                    let t = pop(&mut st)?;
                    if !held(t) {
                        return Err("returns a value that is not an int or a bool");
                    }
                    returns = Some(match returns {
                        None => t,
                        Some(r) => join(r, t, dy),
                    });
                    falls_through = false;
                }
                Op::PopTop => {
                    pop(&mut st)?;
                }
                Op::DupTop => {
                    let t = *st.stack.last().ok_or("stack underflow")?;
                    st.stack.push(t);
                }
                Op::RotTwo => {
                    let n = st.stack.len();
                    if n < 2 {
                        return Err("stack underflow");
                    }
                    st.stack.swap(n - 1, n - 2);
                }
                Op::RotThree => {
                    let c = pop(&mut st)?;
                    let n = st.stack.len();
                    if n < 2 {
                        return Err("stack underflow");
                    }
                    st.stack.insert(n - 2, c);
                }
                Op::RangeSetup => {
                    let n = ins.b as usize;
                    let args = st
                        .stack
                        .split_off(st.stack.len().checked_sub(n).ok_or("stack underflow")?);
                    // A bool is an int to range() (0 or 1, as compiled code holds it).
                    if let Some(&bad) = args.iter().find(|&&t| !is_num(t)) {
                        if let (true, Some(v)) = (dy, sample(bad)) {
                            raise!(Exception::new(
                                ExcKind::TypeError,
                                format!(
                                    "'{}' object cannot be interpreted as an integer",
                                    v.type_name()
                                )
                            ));
                        }
                        return Err("range() of a value that is not an int");
                    }
                    for k in 0..3 {
                        st.locals[(ins.a + k) as usize] = Ty::Int;
                    }
                }
                Op::ForRange => {
                    flow_to.push((ins.b, st.clone()));
                    push(&mut st, Ty::Int);
                }
                Op::CallPrint if effects => {
                    for _ in 0..ins.a {
                        if !held(pop(&mut st)?) {
                            return Err("prints a value of conflicting kinds");
                        }
                    }
                    push(&mut st, Ty::NoneV);
                }
                Op::CallPrint => return Err("prints"),
                Op::MakeFunction if dy => push(&mut st, Ty::Func(ins.a)),
                Op::RaiseConst if dy => match &code.consts[ins.a as usize] {
                    Const::Error(k, m) => raise!(Exception::new(*k, m.clone())),
                    _ => return Err("raises"),
                },
                Op::UnpackNonIterable if dy => {
                    let t = pop(&mut st)?;
                    let name = match t {
                        Ty::Func(_) => "function",
                        t => match sample(t) {
                            Some(v) => v.type_name(),
                            None => return Err("unpacks a value of several kinds"),
                        },
                    };
                    raise!(Exception::new(
                        ExcKind::TypeError,
                        format!("cannot unpack non-iterable {name} object")
                    ));
                }
                Op::StoreGlobal => return Err("stores a global"),
                Op::MakeFunction => return Err("defines a function"),
                Op::RaiseConst | Op::UnpackNonIterable => return Err("raises"),
            }
            // Falling through inside a block carries `st` on as it is; only a block's
            // end hands a copy to the next block (a copy per instruction was quadratic in
            // functions with thousands of locals).
            let next = pc + 1;
            let continue_here = falls_through && !lead[next];
            if falls_through && !continue_here {
                flow_to.push((next as u32, st.clone()));
            }
            for (target, s) in flow_to {
                match entries.get_mut(&target) {
                    None => {
                        entries.insert(target, s);
                        work.push(target);
                    }
                    Some(old) => {
                        if old.stack.len() != s.stack.len() {
                            return Err("the stack depth differs where paths meet");
                        }
                        let mut changed = false;
                        for (o, n) in old
                            .stack
                            .iter_mut()
                            .chain(old.locals.iter_mut())
                            .zip(s.stack.iter().chain(s.locals.iter()))
                        {
                            let j = join(*o, *n, dy);
                            if j != *o {
                                *o = j;
                                changed = true;
                            }
                        }
                        if old.stack.contains(&Ty::Any) {
                            return Err("values of different types meet on the stack");
                        }
                        if changed {
                            work.push(target);
                        }
                    }
                }
            }
            if !continue_here {
                break;
            }
            pc = next;
        }
    }
    // A function that always raises never returns: its calls produce no value.
    let returns = returns.unwrap_or(Ty::Never);
    if returns == Ty::Any {
        return Err("returns values of different types");
    }
    callees.sort();
    callees.dedup();
    globals_read.sort();
    globals_read.dedup();
    Ok(Analysis {
        entries,
        pushed,
        raises,
        params: params.to_vec(),
        returns,
        callees,
        calls,
        globals_read,
        stores,
    })
}

/// Host function for `**` (returns DEOPT on a negative exponent or overflow).
pub extern "C" fn pow_checked(base: i64, exp: i64) -> i64 {
    if exp < 0 {
        return DEOPT;
    }
    let (mut b, mut e, mut acc) = (base, exp, 1i64);
    while e > 0 {
        if e & 1 == 1 {
            match acc.checked_mul(b) {
                Some(v) => acc = v,
                None => return DEOPT,
            }
        }
        e >>= 1;
        if e > 0 {
            match b.checked_mul(b) {
                Some(v) => b = v,
                None => return DEOPT,
            }
        }
    }
    if acc == DEOPT { DEOPT } else { acc }
}

/// Where to start: the function's beginning, or (on-stack replacement) a loop head with the
/// interpreter's locals as arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    Start,
    Loop(u32),
}

/// What every lowering in one module shares.
pub struct LowerCtx<'a> {
    pub prog: &'a Program,
    pub globals: &'a [Value],
    pub funcs: &'a BTreeMap<u32, FuncId>,
    pub pow: HostId,
    /// Ahead of time: raise instead of returning DEOPT.
    pub raise: Option<Raise<'a>>,
    /// Ahead of time: how to print (functions and module code may print there).
    pub print: Option<AotPrint<'a>>,
    /// Ahead of time: every function's parameter and return types.
    pub graph: Option<&'a Graph>,
    /// At a loop entry: locals compiled as these constants (the caller enters only when
    /// they hold them) — the steps of the running range loops, so their direction folds.
    pub fixed: &'a [(u32, i64)],
}

/// The runtime routines and string numbers print lowers to, ahead of time.
#[derive(Clone, Copy, Debug)]
pub struct AotPrint<'a> {
    pub print_int: HostId,
    pub print_str: HostId,
    /// The runtime's number of the string of rank 0; the program's strings follow in
    /// sorted order.
    pub str_base: i64,
    /// The rank of each of the program's strings (its payload in compiled code).
    pub ranks: &'a [i64],
    pub space: i64,
    pub newline: i64,
    pub true_: i64,
    pub false_: i64,
    pub none: i64,
}

/// Ahead-of-time lowering has no interpreter to hand a failure to: a failing operation
/// calls `host(message)`, which reports the exception and exits. Each field is the
/// message number (the AOT runtime's string table) of one exception.
#[derive(Clone, Copy)]
pub struct Raise<'a> {
    pub host: HostId,
    pub overflow: i64,
    pub zero_div: i64,
    pub zero_mod: i64,
    pub neg_shift: i64,
    pub neg_pow: i64,
    pub recursion: i64,
    pub range_step: i64,
    /// The message number of any other exception (interned on demand).
    pub intern: &'a dyn Fn(&Exception) -> i64,
    /// The routines that keep the tag of a [`Ty::Dyn`] result between a return and the
    /// caller: `set(tag)` and `get() -> tag`.
    pub set_tag: HostId,
    pub get_tag: HostId,
    /// Memory cells of globals ([`Graph::memory`], two per global: payload, tag):
    /// `get(i) -> value`, `set(i, value)`.
    pub cell_get: HostId,
    pub cell_set: HostId,
    /// `arg(i)`: the program's i-th argument as an int (raises if there is none).
    pub arg: HostId,
}

/// Which exception a failure site raises.
#[derive(Clone, Copy, PartialEq)]
enum Why {
    Msg(i64),
    /// `zero` if the value is 0, else `other`.
    IfZero(ir::Value, i64, i64),
}

/// A value while a block is lowered: payload, type, and the tag of a [`Ty::Dyn`] value.
type Slot = (ir::Value, Ty, Option<ir::Value>);

/// The operand stack and locals of the bytecode block being lowered.
struct Frame {
    stack: VirtualStack,
    types: Vec<Ty>,
    tags: Vec<Option<ir::Value>>,
    locals: Vec<Slot>,
}

impl Frame {
    fn push(&mut self, s: Slot) {
        self.stack.push(s.0);
        self.types.push(s.1);
        self.tags.push(s.2);
    }

    fn pop(&mut self) -> Result<Slot, Reject> {
        let v = self.stack.pop().map_err(|_| "stack underflow")?;
        let t = self.types.pop().ok_or("stack underflow")?;
        Ok((v, t, self.tags.pop().ok_or("stack underflow")?))
    }

    /// The top `n` values, bottom first.
    fn pop_n(&mut self, n: usize) -> Result<Vec<Slot>, Reject> {
        let mut v = (0..n).map(|_| self.pop()).collect::<Result<Vec<_>, _>>()?;
        v.reverse();
        Ok(v)
    }

    fn peek(&self) -> Result<Slot, Reject> {
        let v = self.stack.peek().map_err(|_| "stack underflow")?;
        let t = *self.types.last().ok_or("stack underflow")?;
        Ok((v, t, *self.tags.last().ok_or("stack underflow")?))
    }

    fn slots(&self) -> Vec<Slot> {
        let mut all = self.locals.clone();
        for (i, v) in self.stack.to_args().into_iter().enumerate() {
            all.push((v, self.types[i], self.tags[i]));
        }
        all
    }
}

/// The tag of a value (a constant for single-kind types).
fn tag_value(b: &mut FunctionBuilder, s: Slot) -> Result<ir::Value, Reject> {
    match s.2 {
        Some(t) => Ok(t),
        None => Ok(b.iconst(tag_of(s.1).ok_or("internal: a value without a tag")?)),
    }
}

/// `s` as a value of type `want` (a destination's type, which includes `s`'s): the payload,
/// and the tag when `want` is [`Ty::Dyn`].
fn conform(
    b: &mut FunctionBuilder,
    s: Slot,
    want: Ty,
) -> Result<(ir::Value, Option<ir::Value>), Reject> {
    if let Ty::Dyn(m) = want {
        if bits(s.1).is_none_or(|k| k & !m != 0) {
            return Err("internal: a value of a kind its destination does not hold");
        }
        return Ok((s.0, Some(tag_value(b, s)?)));
    }
    if s.1 != want && s.1 != Ty::Never && want != Ty::Any {
        return Err("internal: types disagree where paths meet");
    }
    Ok((s.0, None))
}

/// Arguments for a block with entry state `st`: payloads, then the tags of its Dyn slots.
fn args_for(b: &mut FunctionBuilder, fr: &Frame, st: &State) -> Result<Vec<ir::Value>, Reject> {
    let (mut a, mut tags) = (Vec::new(), Vec::new());
    for (s, &want) in fr
        .slots()
        .into_iter()
        .zip(st.locals.iter().chain(&st.stack))
    {
        let (v, t) = conform(b, s, want)?;
        a.push(v);
        tags.extend(t);
    }
    a.extend(tags);
    Ok(a)
}

/// Prints one value of kind `kind` (a [`tag`]).
fn print_kind(b: &mut FunctionBuilder, pr: &AotPrint<'_>, kind: i64, v: ir::Value) {
    let k = match kind {
        tag::INT => {
            b.call_host(pr.print_int, Type::I64, &[v]);
            return;
        }
        tag::BOOL => {
            let z = b.iconst(0);
            let c = b.cmp(Cmp::Ne, v, z);
            let (yes, no) = (b.iconst(pr.true_), b.iconst(pr.false_));
            b.select(c, yes, no)
        }
        tag::STR => {
            let base = b.iconst(pr.str_base);
            b.add(base, v)
        }
        _ => b.iconst(pr.none),
    };
    b.call_host(pr.print_str, Type::I64, &[k]);
}

/// Prints a value: by its type, or for a [`Ty::Dyn`] one by its tag.
fn print_slot(b: &mut FunctionBuilder, pr: &AotPrint<'_>, s: Slot) -> Result<(), Reject> {
    let Ty::Dyn(m) = s.1 else {
        print_kind(
            b,
            pr,
            tag_of(s.1).ok_or("prints a value of unknown type")?,
            s.0,
        );
        return Ok(());
    };
    let tag = s.2.ok_or("internal: a value without a tag")?;
    let kinds: Vec<i64> = kinds_of(m).collect();
    let join = b.create_block();
    for (i, &k) in kinds.iter().enumerate() {
        let other = if i + 1 < kinds.len() {
            let (yes, no) = (b.create_block(), b.create_block());
            let kc = b.iconst(k);
            let c = b.cmp(Cmp::Eq, tag, kc);
            b.branch(c, yes, &[], no, &[]);
            b.switch_to(yes);
            Some(no)
        } else {
            None
        };
        print_kind(b, pr, k, s.0);
        b.jump(join, &[]);
        if let Some(no) = other {
            b.switch_to(no);
        }
    }
    b.switch_to(join);
    Ok(())
}

/// For an operation on values whose kinds are known only at run time: numbers with numbers
/// go on (and strings with strings, if `strings`); any other pair raises the exception
/// `fails` gives for it — CPython's TypeError, the message picked by the tags.
fn check_kinds(
    b: &mut FunctionBuilder,
    sx: Slot,
    sy: Slot,
    strings: bool,
    fails: &dyn Fn(Value, Value) -> Option<Exception>,
    raise_to: &mut dyn FnMut(&mut FunctionBuilder, Why) -> Block,
    intern: &dyn Fn(&Exception) -> i64,
) -> Result<(), Reject> {
    let (ta, tb) = (tag_value(b, sx)?, tag_value(b, sy)?);
    let (one_k, str_k, z) = (b.iconst(tag::BOOL), b.iconst(tag::STR), b.iconst(0));
    let (na, nb) = (b.cmp(Cmp::Le, ta, one_k), b.cmp(Cmp::Le, tb, one_k));
    let (sa, sb) = (b.cmp(Cmp::Eq, ta, str_k), b.cmp(Cmp::Eq, tb, str_k));
    let (nb, sb) = (zero_one(b, nb), zero_one(b, sb));
    let if_str = if strings { b.select(sa, sb, z) } else { z };
    let valid = b.select(na, nb, if_str);
    let c = b.cmp(Cmp::Ne, valid, z);
    let (ok, bad) = (b.create_block(), b.create_block());
    b.branch(c, ok, &[], bad, &[]);
    b.switch_to(bad);
    let mut pairs = Vec::new();
    for ka in kinds_of(bits(sx.1).unwrap_or(0)) {
        for kb in kinds_of(bits(sy.1).unwrap_or(0)) {
            if let Some(e) = fails(kind_sample(ka), kind_sample(kb)) {
                pairs.push((ka, kb, e));
            }
        }
    }
    let n = pairs.len();
    for (i, (ka, kb, e)) in pairs.into_iter().enumerate() {
        let f = raise_to(b, Why::Msg(intern(&e)));
        if i + 1 == n {
            b.jump(f, &[]);
            break;
        }
        let (kac, kbc) = (b.iconst(ka), b.iconst(kb));
        let (ma, mb) = (b.cmp(Cmp::Eq, ta, kac), b.cmp(Cmp::Eq, tb, kbc));
        let mb = zero_one(b, mb);
        let both = b.select(ma, mb, z);
        let hit = b.cmp(Cmp::Ne, both, z);
        let next = b.create_block();
        b.branch(hit, f, &[], next, &[]);
        b.switch_to(next);
    }
    if n == 0 {
        return Err("internal: no failing kinds for a checked operation");
    }
    b.switch_to(ok);
    Ok(())
}

/// The IR comparison of a Python comparison.
pub(super) fn ir_cmp(op: CmpOp) -> Cmp {
    match op {
        CmpOp::Lt => Cmp::Lt,
        CmpOp::Le => Cmp::Le,
        CmpOp::Gt => Cmp::Gt,
        CmpOp::Ge => Cmp::Ge,
        CmpOp::Eq => Cmp::Eq,
        CmpOp::Ne => Cmp::Ne,
    }
}

/// The overflow-checked IR operation of `+`, `-` or `*`.
pub(super) fn overflow_checked(op: BinOp) -> CheckedOp {
    match op {
        BinOp::Add => CheckedOp::Add,
        BinOp::Sub => CheckedOp::Sub,
        _ => CheckedOp::Mul,
    }
}

/// 1 if `c` else 0.
pub(super) fn zero_one(b: &mut FunctionBuilder, c: ir::Value) -> ir::Value {
    let (t, f) = (b.iconst(1), b.iconst(0));
    b.select(c, t, f)
}

/// Lowers one analyzed function. Signature: the Python parameters (or, for a loop entry,
/// every local), then the call depth, then a tag for each [`Ty::Dyn`] parameter; returns the
/// value (or DEOPT).
pub fn lower(
    cx: &LowerCtx<'_>,
    code_id: u32,
    an: &Analysis,
    entry: Entry,
    name: &str,
) -> Result<ir::Function, Reject> {
    let (prog, globals, funcs, pow) = (cx.prog, cx.globals, cx.funcs, cx.pow);
    let raise = cx.raise;
    let code = &prog.codes[code_id as usize];
    let nl = code.nlocals as usize;
    let (nparams, ptypes): (usize, Vec<Ty>) = match entry {
        Entry::Start => (code.nparams as usize, an.params.clone()),
        Entry::Loop(pc) => (
            nl,
            an.entries
                .get(&pc)
                .ok_or("no analysis at the loop head")?
                .locals
                .clone(),
        ),
    };
    let ndyn = |ts: &[Ty]| ts.iter().filter(|t| matches!(t, Ty::Dyn(_))).count();
    let mut b = FunctionBuilder::new(
        name,
        &vec![Type::I64; nparams + 1 + ndyn(&ptypes)],
        Type::I64,
    );
    let depth = b.param(nparams);
    // Block per leader, with a parameter per local and per stack slot, then one per tag.
    let mut blocks: BTreeMap<u32, Block> = BTreeMap::new();
    for (&pc, st) in &an.entries {
        let blk = b.create_block();
        for _ in 0..nl + st.stack.len() + ndyn(&st.locals) + ndyn(&st.stack) {
            b.append_block_param(blk, Type::I64);
        }
        blocks.insert(pc, blk);
    }
    let fail = b.create_block();
    // Where a failing operation goes: the shared DEOPT exit (JIT), or a block that raises.
    // One raising block per distinct exception (and operand) in a function.
    let mut raise_blocks: Vec<(Why, Block)> = Vec::new();
    let mut raise_to = |b: &mut FunctionBuilder, why: Why| -> Block {
        let Some(r) = raise else { return fail };
        if let Some(&(_, blk)) = raise_blocks.iter().find(|(w, _)| *w == why) {
            return blk;
        }
        let here = b.current_block();
        let blk = b.create_block();
        b.switch_to(blk);
        let msg = match why {
            Why::Msg(m) => b.iconst(m),
            Why::IfZero(v, yes, no) => {
                let z = b.iconst(0);
                let c = b.cmp(Cmp::Eq, v, z);
                let (y, n) = (b.iconst(yes), b.iconst(no));
                b.select(c, y, n)
            }
        };
        b.call_host(r.host, Type::I64, &[msg]);
        // The raise routine exits; were it to return, spin rather than run on (a 2-byte jump
        // instead of an epilogue).
        b.jump(blk, &[]);
        b.switch_to(here);
        raise_blocks.push((why, blk));
        blk
    };
    let m = |f: fn(&Raise) -> i64| raise.as_ref().map_or(0, f);
    let intern = |e: &Exception| raise.as_ref().map_or(0, |r| (r.intern)(e));
    let ovf = Why::Msg(m(|r| r.overflow));
    // Entry: depth check, then jump to the first block with the arguments.
    let limit = b.iconst(DEPTH_LIMIT);
    let deep = b.cmp(Cmp::Ge, depth, limit);
    let go = b.create_block();
    let too_deep = raise_to(&mut b, Why::Msg(m(|r| r.recursion)));
    b.branch(deep, too_deep, &[], go, &[]);
    b.switch_to(go);
    let zero = b.iconst(0);
    let start_pc = match entry {
        Entry::Start => 0,
        Entry::Loop(pc) => pc,
    };
    let mut first = Frame {
        stack: VirtualStack::new(),
        types: Vec::new(),
        tags: Vec::new(),
        locals: Vec::with_capacity(nl),
    };
    let mut next_tag = nparams + 1;
    for (i, &t) in ptypes.iter().enumerate() {
        let tag = matches!(t, Ty::Dyn(_)).then(|| {
            next_tag += 1;
            b.param(next_tag - 1)
        });
        first.locals.push((b.param(i), t, tag));
    }
    first.locals.resize(nl, (zero, Ty::Unset, None));
    for &(slot, v) in cx.fixed {
        if let Some(l) = first.locals.get_mut(slot as usize)
            && l.1 == Ty::Int
        {
            l.0 = b.iconst(v);
        }
    }
    let start = *blocks.get(&start_pc).ok_or("no block at the entry point")?;
    if !an.entries[&start_pc].stack.is_empty() {
        return Err("the loop head has a non-empty stack");
    }
    let a = args_for(&mut b, &first, &an.entries[&start_pc])?;
    b.jump(start, &a);
    b.switch_to(fail);
    let d = b.iconst(DEOPT);
    b.ret(d);

    let graph = cx.graph;
    for (&pc0, st) in &an.entries {
        let blk = blocks[&pc0];
        b.switch_to(blk);
        let params: Vec<ir::Value> = b.block_params(blk).to_vec();
        let depth0 = st.stack.len();
        let mut tag_params = params[nl + depth0..].iter().copied();
        let mut tag_for = |t: Ty| {
            if matches!(t, Ty::Dyn(_)) {
                tag_params.next()
            } else {
                None
            }
        };
        let mut fr = Frame {
            stack: VirtualStack::from_params(&params[nl..nl + depth0]),
            types: st.stack.clone(),
            tags: Vec::new(),
            locals: Vec::with_capacity(nl),
        };
        for (&p, &t) in params.iter().zip(&st.locals) {
            fr.locals.push((p, t, tag_for(t)));
        }
        for &t in &st.stack {
            let tag = tag_for(t);
            fr.tags.push(tag);
        }
        let mut pc = pc0 as usize;
        loop {
            let ins = code.instrs[pc];
            let pushed = an.pushed.get(&(pc as u32)).copied();
            macro_rules! goto {
                ($target:expr, $fr:expr) => {{
                    let t = $target;
                    let tb = *blocks.get(&t).ok_or("jump to an unanalyzed block")?;
                    let a = args_for(&mut b, $fr, &an.entries[&t])?;
                    b.jump(tb, &a);
                }};
            }
            if let Some(e) = an.raises.get(&(pc as u32)) {
                let f = raise_to(&mut b, Why::Msg(intern(e)));
                b.jump(f, &[]);
                break;
            }
            let result = |t: Option<Ty>| t.ok_or("internal: no type for a result");
            match ins.op {
                Op::Nop => {}
                Op::LoadConst => {
                    let s = match &code.consts[ins.a as usize] {
                        Const::Int(i) => (b.iconst(*i), Ty::Int, None),
                        Const::Bool(x) => (b.iconst(*x as i64), Ty::Bool, None),
                        Const::Str(k) if cx.print.is_some() => {
                            let pr = cx.print.as_ref().ok_or("print")?;
                            let rank = *pr.ranks.get(*k as usize).ok_or("string")?;
                            (b.iconst(rank), Ty::Str(*k), None)
                        }
                        Const::None if cx.print.is_some() => (b.iconst(0), Ty::NoneV, None),
                        _ => return Err("constant"),
                    };
                    fr.push(s);
                }
                Op::LoadFast => {
                    let (v, t, tag) = fr.locals[ins.a as usize];
                    let r = result(pushed)?;
                    if bits(t).is_some_and(|k| k & B_UNSET != 0) {
                        let tag = tag.ok_or("internal: a value without a tag")?;
                        let u = b.iconst(tag::UNSET);
                        let c = b.cmp(Cmp::Eq, tag, u);
                        let ok = b.create_block();
                        let f = raise_to(&mut b, Why::Msg(intern(&unbound(code, ins.a))));
                        b.branch(c, f, &[], ok, &[]);
                        b.switch_to(ok);
                    }
                    fr.push((v, r, if matches!(r, Ty::Dyn(_)) { tag } else { None }));
                }
                Op::StoreFast => {
                    fr.locals[ins.a as usize] = fr.pop()?;
                }
                Op::LoadGlobal | Op::StoreGlobal
                    if graph.is_some_and(|g| g.memory.contains_key(&ins.a)) =>
                {
                    let (Some(g), Some(rs)) = (graph, raise) else {
                        return Err("internal: a memory global without its cells");
                    };
                    let cell = 2 * g.memory.keys().position(|&k| k == ins.a).unwrap_or(0) as i64;
                    let ty = g.memory[&ins.a];
                    let dynamic = matches!(ty, Ty::Dyn(_));
                    if ins.op == Op::StoreGlobal {
                        let (v, t) = conform(&mut b, fr.pop()?, ty)?;
                        let k = b.iconst(cell);
                        b.call_host(rs.cell_set, Type::I64, &[k, v]);
                        if let Some(t) = t {
                            let k = b.iconst(cell + 1);
                            b.call_host(rs.cell_set, Type::I64, &[k, t]);
                        }
                    } else {
                        let k = b.iconst(cell);
                        let v = b.call_host(rs.cell_get, Type::I64, &[k]);
                        let tag = if dynamic {
                            let k = b.iconst(cell + 1);
                            Some(b.call_host(rs.cell_get, Type::I64, &[k]))
                        } else {
                            None
                        };
                        if let (Some(t), true) = (tag, bits(ty).is_some_and(|m| m & B_UNSET != 0)) {
                            let u = b.iconst(tag::UNSET);
                            let c = b.cmp(Cmp::Eq, t, u);
                            let ok = b.create_block();
                            let name = &prog.globals[ins.a as usize];
                            let e = Exception::new(
                                ExcKind::NameError,
                                format!("name '{name}' is not defined"),
                            );
                            let f = raise_to(&mut b, Why::Msg(intern(&e)));
                            b.branch(c, f, &[], ok, &[]);
                            b.switch_to(ok);
                        }
                        let r = result(pushed)?;
                        fr.push((v, r, if matches!(r, Ty::Dyn(_)) { tag } else { None }));
                    }
                }
                Op::LoadGlobal => {
                    let v = match globals[ins.a as usize] {
                        Value::Int(i) => b.iconst(i),
                        Value::Bool(x) => b.iconst(x as i64),
                        Value::Func(f) => b.iconst(f as i64), // marker; consumed by CALL
                        _ => return Err("global"),
                    };
                    fr.push((v, result(pushed)?, None));
                }
                Op::MakeFunction => {
                    let v = b.iconst(ins.a as i64);
                    fr.push((v, Ty::Func(ins.a), None));
                }
                Op::BinaryOp => {
                    let (sy, sx) = (fr.pop()?, fr.pop()?);
                    let (x, y) = (sx.0, sy.0);
                    let op = BinOp::ALL[ins.a as usize];
                    if !is_num(sx.1) || !is_num(sy.1) {
                        // Kinds known only at run time: numbers go on, anything else raises.
                        let fails = |p, q| value::binary(op, p, q).err();
                        check_kinds(&mut b, sx, sy, false, &fails, &mut raise_to, &intern)?;
                    }
                    let r = match op {
                        BinOp::Add | BinOp::Sub | BinOp::Mul => {
                            let f = raise_to(&mut b, ovf);
                            b.checked(overflow_checked(op), x, y, f, &[])
                        }
                        BinOp::FloorDiv => {
                            let why = Why::IfZero(y, m(|r| r.zero_div), m(|r| r.overflow));
                            let f = raise_to(&mut b, why);
                            b.checked(CheckedOp::DivF, x, y, f, &[])
                        }
                        BinOp::Mod => {
                            let f = raise_to(&mut b, Why::Msg(m(|r| r.zero_mod)));
                            b.checked(CheckedOp::ModF, x, y, f, &[])
                        }
                        BinOp::Pow => {
                            let r = b.call_host(pow, Type::I64, &[x, y]);
                            // Ahead of time the pow routine raises itself.
                            if raise.is_none() {
                                let d = b.iconst(DEOPT);
                                let bad = b.cmp(Cmp::Eq, r, d);
                                let ok = b.create_block();
                                b.branch(bad, fail, &[], ok, &[]);
                                b.switch_to(ok);
                            }
                            r
                        }
                        BinOp::LShift => {
                            // Python: negative count raises; 0 << n is 0; otherwise bits must survive.
                            let z = b.iconst(0);
                            let neg = b.cmp(Cmp::Lt, y, z);
                            let (nonneg, zero_case, shift_case, join) = (
                                b.create_block(),
                                b.create_block(),
                                b.create_block(),
                                b.create_block(),
                            );
                            let out = b.append_block_param(join, Type::I64);
                            let f = raise_to(&mut b, Why::Msg(m(|r| r.neg_shift)));
                            b.branch(neg, f, &[], nonneg, &[]);
                            b.switch_to(nonneg);
                            let is_zero = b.cmp(Cmp::Eq, x, z);
                            b.branch(is_zero, zero_case, &[], shift_case, &[]);
                            b.switch_to(zero_case);
                            b.jump(join, &[z]);
                            b.switch_to(shift_case);
                            let f = raise_to(&mut b, ovf);
                            let r = b.checked(CheckedOp::Shl, x, y, f, &[]);
                            b.jump(join, &[r]);
                            b.switch_to(join);
                            out
                        }
                        BinOp::RShift => {
                            let f = raise_to(&mut b, Why::Msg(m(|r| r.neg_shift)));
                            b.checked(CheckedOp::Sar, x, y, f, &[])
                        }
                        BinOp::BitAnd => b.binary(ir::BinOp::And, x, y),
                        BinOp::BitOr => b.binary(ir::BinOp::Or, x, y),
                        BinOp::BitXor => b.binary(ir::BinOp::Xor, x, y),
                    };
                    let rt = result(pushed)?;
                    // Bitwise on two bools is a bool: which, when the kinds are known only at
                    // run time, the tags tell.
                    let tag = if matches!(rt, Ty::Dyn(_)) {
                        let bk = b.iconst(tag::BOOL);
                        let (ta, tb) = (tag_value(&mut b, sx)?, tag_value(&mut b, sy)?);
                        let (ca, cb) = (b.cmp(Cmp::Eq, ta, bk), b.cmp(Cmp::Eq, tb, bk));
                        let (ia, ib) = (zero_one(&mut b, ca), zero_one(&mut b, cb));
                        let both = b.binary(ir::BinOp::And, ia, ib);
                        let z = b.iconst(0);
                        let c = b.cmp(Cmp::Ne, both, z);
                        let ik = b.iconst(tag::INT);
                        Some(b.select(c, bk, ik))
                    } else {
                        None
                    };
                    fr.push((r, rt, tag));
                }
                Op::CompareOp => {
                    let (sy, sx) = (fr.pop()?, fr.pop()?);
                    let op = CmpOp::ALL[ins.a as usize];
                    let c = ir_cmp(op);
                    let kinds = bits(sx.1).unwrap_or(0) | bits(sy.1).unwrap_or(0);
                    if !matches!(op, CmpOp::Eq | CmpOp::Ne)
                        && kinds & !B_NUM != 0
                        && kinds & !B_STR != 0
                    {
                        let fails = |p, q| value::compare(op, p, q, &prog.strings).err();
                        check_kinds(&mut b, sx, sy, true, &fails, &mut raise_to, &intern)?;
                    }
                    let v = if !matches!(op, CmpOp::Eq | CmpOp::Ne)
                        || kinds & !B_NUM == 0
                        || kinds & !B_STR == 0
                    {
                        // Numbers by value, strings by rank.
                        let r = b.cmp(c, sx.0, sy.0);
                        zero_one(&mut b, r)
                    } else {
                        // == and != across kinds: equal kinds (a bool is an int) and payloads.
                        let (bk, ik) = (b.iconst(tag::BOOL), b.iconst(tag::INT));
                        let class = |b: &mut FunctionBuilder, s: Slot| {
                            let t = tag_value(b, s)?;
                            let is_bool = b.cmp(Cmp::Eq, t, bk);
                            Ok::<_, Reject>(b.select(is_bool, ik, t))
                        };
                        let (ca, cb) = (class(&mut b, sx)?, class(&mut b, sy)?);
                        let same = b.cmp(Cmp::Eq, ca, cb);
                        let peq = b.cmp(Cmp::Eq, sx.0, sy.0);
                        let (yes, no) = if c == Cmp::Eq { (1, 0) } else { (0, 1) };
                        let (yes, no) = (b.iconst(yes), b.iconst(no));
                        let inner = b.select(peq, yes, no);
                        b.select(same, inner, no)
                    };
                    fr.push((v, Ty::Bool, None));
                }
                Op::UnaryNegative => {
                    let x = fr.pop()?.0;
                    let z = b.iconst(0);
                    let f = raise_to(&mut b, ovf);
                    let r = b.checked(CheckedOp::Sub, z, x, f, &[]);
                    fr.push((r, Ty::Int, None));
                }
                Op::UnaryPositive => {
                    let x = fr.pop()?.0;
                    fr.push((x, Ty::Int, None));
                }
                Op::UnaryInvert => {
                    let x = fr.pop()?.0;
                    let r = b.unary(ir::UnOp::Not, x);
                    fr.push((r, Ty::Int, None));
                }
                Op::UnaryNot => {
                    // Every kind is falsy exactly when its payload is 0.
                    let x = fr.pop()?.0;
                    let z = b.iconst(0);
                    let c = b.cmp(Cmp::Eq, x, z);
                    let v = zero_one(&mut b, c);
                    fr.push((v, Ty::Bool, None));
                }
                Op::PopJumpIfFalse
                | Op::PopJumpIfTrue
                | Op::JumpIfFalseOrPop
                | Op::JumpIfTrueOrPop => {
                    // `and`/`or` keep the value on the stack where they jump; the rest pop it.
                    let keeps = matches!(ins.op, Op::JumpIfFalseOrPop | Op::JumpIfTrueOrPop);
                    let (x, t, _) = fr.peek()?;
                    if !keeps {
                        fr.pop()?;
                    }
                    let jump_when = matches!(ins.op, Op::PopJumpIfTrue | Op::JumpIfTrueOrPop);
                    let next = pc as u32 + 1;
                    if let Some(known) = truth(t) {
                        if known == jump_when {
                            goto!(ins.a, &fr);
                        } else {
                            if keeps {
                                fr.pop()?;
                            }
                            goto!(next, &fr);
                        }
                        break;
                    }
                    let z = b.iconst(0);
                    let truthy = b.cmp(Cmp::Ne, x, z);
                    let taken = *blocks.get(&ins.a).ok_or("target")?;
                    let at = args_for(&mut b, &fr, &an.entries[&ins.a])?;
                    if keeps {
                        fr.pop()?;
                    }
                    let fall = *blocks.get(&next).ok_or("fallthrough")?;
                    let af = args_for(&mut b, &fr, &an.entries[&next])?;
                    if jump_when {
                        b.branch(truthy, taken, &at, fall, &af);
                    } else {
                        b.branch(truthy, fall, &af, taken, &at);
                    }
                    break;
                }
                Op::JumpForward | Op::JumpBackward => {
                    goto!(ins.a, &fr);
                    break;
                }
                Op::Call => {
                    let n = ins.a as usize;
                    let args = fr.pop_n(n)?;
                    let Ty::Func(fc) = fr.pop()?.1 else {
                        return Err("indirect call");
                    };
                    let fid = *funcs.get(&fc).ok_or("callee not compiled")?;
                    let params = graph.and_then(|g| g.params.get(&fc));
                    let (mut irargs, mut tags) = (Vec::with_capacity(n + 1), Vec::new());
                    for (i, s) in args.into_iter().enumerate() {
                        let want = params.map_or(Ty::Int, |p| p[i]);
                        let (v, t) = conform(&mut b, s, want)?;
                        irargs.push(v);
                        tags.extend(t);
                    }
                    let o = b.iconst(1);
                    let d1 = b.add(depth, o);
                    irargs.push(d1);
                    irargs.extend(tags);
                    let r = b.call(fid, Type::I64, &irargs);
                    // Ahead of time a callee never hands back DEOPT: it raises and exits.
                    if raise.is_none() {
                        let dv = b.iconst(DEOPT);
                        let bad = b.cmp(Cmp::Eq, r, dv);
                        let ok = b.create_block();
                        b.branch(bad, fail, &[], ok, &[]);
                        b.switch_to(ok);
                    }
                    let rt = result(pushed)?;
                    let tag = match (rt, raise) {
                        (Ty::Dyn(_), Some(rs)) => Some(b.call_host(rs.get_tag, Type::I64, &[])),
                        _ => None,
                    };
                    fr.push((r, rt, tag));
                }
                Op::CallPrint if cx.print.is_some() => {
                    let pr = cx.print.unwrap_or_else(|| unreachable!());
                    let args = fr.pop_n(ins.a as usize)?;
                    for (i, &s) in args.iter().enumerate() {
                        if i > 0 {
                            let k = b.iconst(pr.space);
                            b.call_host(pr.print_str, Type::I64, &[k]);
                        }
                        print_slot(&mut b, &pr, s)?;
                    }
                    let k = b.iconst(pr.newline);
                    b.call_host(pr.print_str, Type::I64, &[k]);
                    let z = b.iconst(0);
                    fr.push((z, Ty::NoneV, None));
                }
                Op::CallBuiltin => {
                    let args = fr.pop_n(ins.b as usize)?;
                    let rt = result(pushed)?;
                    let (r, tag) = match Builtin::ALL[ins.a as usize] {
                        Builtin::Arg => {
                            let rs = raise.ok_or("arg() is read by the interpreter")?;
                            (b.call_host(rs.arg, Type::I64, &[args[0].0]), None)
                        }
                        Builtin::Abs => {
                            let a0 = args[0].0;
                            let z = b.iconst(0);
                            let neg = b.cmp(Cmp::Lt, a0, z);
                            let f = raise_to(&mut b, ovf);
                            let negated = b.checked(CheckedOp::Sub, z, a0, f, &[]);
                            (b.select(neg, negated, a0), None)
                        }
                        bi @ (Builtin::Min | Builtin::Max) => {
                            // The first extreme argument itself (a bool stays a bool).
                            let dynamic = matches!(rt, Ty::Dyn(_));
                            let mut best = args[0];
                            if dynamic {
                                best.2 = Some(tag_value(&mut b, best)?);
                            }
                            let (c, op) = if bi == Builtin::Min {
                                (Cmp::Lt, CmpOp::Lt)
                            } else {
                                (Cmp::Gt, CmpOp::Gt)
                            };
                            for &s in &args[1..] {
                                let kinds = bits(s.1).unwrap_or(0) | bits(best.1).unwrap_or(0);
                                if kinds & !B_NUM != 0 && kinds & !B_STR != 0 {
                                    let fails =
                                        |p, q| value::compare(op, p, q, &prog.strings).err();
                                    check_kinds(
                                        &mut b,
                                        s,
                                        best,
                                        true,
                                        &fails,
                                        &mut raise_to,
                                        &intern,
                                    )?;
                                }
                                let better = b.cmp(c, s.0, best.0);
                                let v = b.select(better, s.0, best.0);
                                let tag = match best.2 {
                                    Some(bt) => {
                                        let t = tag_value(&mut b, s)?;
                                        Some(b.select(better, t, bt))
                                    }
                                    None => None,
                                };
                                best = (v, join(best.1, s.1, true), tag);
                            }
                            (best.0, best.2)
                        }
                        _ => return Err("builtin"),
                    };
                    fr.push((r, rt, tag));
                }
                Op::ReturnValue => {
                    let s = fr.pop()?;
                    match (an.returns, raise) {
                        (Ty::Dyn(_), Some(rs)) => {
                            let (v, t) = conform(&mut b, s, an.returns)?;
                            let t = t.ok_or("internal: a value without a tag")?;
                            b.call_host(rs.set_tag, Type::I64, &[t]);
                            b.ret(v);
                        }
                        _ => b.ret(s.0),
                    }
                    break;
                }
                Op::PopTop => {
                    fr.pop()?;
                }
                Op::DupTop => {
                    let s = fr.peek()?;
                    fr.push(s);
                }
                Op::RotTwo => {
                    let (top, second) = (fr.pop()?, fr.pop()?);
                    fr.push(top);
                    fr.push(second);
                }
                Op::RotThree => {
                    // [a, b, c] → [c, a, b]
                    let (c, bb, a) = (fr.pop()?, fr.pop()?, fr.pop()?);
                    fr.push(c);
                    fr.push(a);
                    fr.push(bb);
                }
                Op::RangeSetup => {
                    let n = ins.b as usize;
                    let v: Vec<ir::Value> = fr.pop_n(n)?.iter().map(|s| s.0).collect();
                    let (start, stop, step) = match n {
                        1 => (b.iconst(0), v[0], b.iconst(1)),
                        2 => (v[0], v[1], b.iconst(1)),
                        _ => (v[0], v[1], v[2]),
                    };
                    let z = b.iconst(0);
                    let bad = b.cmp(Cmp::Eq, step, z);
                    let ok = b.create_block();
                    let f = raise_to(&mut b, Why::Msg(m(|r| r.range_step)));
                    b.branch(bad, f, &[], ok, &[]);
                    b.switch_to(ok);
                    let s = ins.a as usize;
                    fr.locals[s] = (start, Ty::Int, None);
                    fr.locals[s + 1] = (stop, Ty::Int, None);
                    fr.locals[s + 2] = (step, Ty::Int, None);
                }
                Op::ForRange => {
                    let s = ins.a as usize;
                    let (cur, stop, step) =
                        (fr.locals[s].0, fr.locals[s + 1].0, fr.locals[s + 2].0);
                    let z = b.iconst(0);
                    let up = b.cmp(Cmp::Gt, step, z);
                    let below = b.cmp(Cmp::Lt, cur, stop);
                    let above = b.cmp(Cmp::Gt, cur, stop);
                    let more = b.select(up, below, above);
                    let (body, exit) = (b.create_block(), *blocks.get(&ins.b).ok_or("loop exit")?);
                    let a = args_for(&mut b, &fr, &an.entries[&ins.b])?;
                    b.branch(more, body, &[], exit, &a);
                    b.switch_to(body);
                    // cur + step cannot overflow past stop… unless stop is near the edge: then
                    // the interpreter's rule (clamp to stop) applies.
                    let next = b.create_block();
                    let clamp = b.create_block();
                    let nv = b.append_block_param(next, Type::I64);
                    b.switch_to(body);
                    let sum = b.checked(CheckedOp::Add, cur, step, clamp, &[]);
                    b.jump(next, &[sum]);
                    b.switch_to(clamp);
                    b.jump(next, &[stop]);
                    b.switch_to(next);
                    fr.locals[s] = (nv, Ty::Int, None);
                    fr.push((cur, Ty::Int, None));
                }
                _ => return Err("unsupported instruction"),
            }
            pc += 1;
            if an.entries.contains_key(&(pc as u32)) {
                goto!(pc as u32, &fr);
                break;
            }
        }
    }
    b.finish().map_err(|_| "internal: unterminated block")
}

/// Signature of a compiled function: Python parameters plus the depth.
pub fn signature(nparams: usize) -> Signature {
    Signature {
        params: vec![Type::I64; nparams + 1],
        ret: Type::I64,
    }
}

/// Signature of a function with parameter types `params`: payloads, the depth, then a tag
/// for each [`Ty::Dyn`] parameter.
pub fn signature_for(params: &[Ty]) -> Signature {
    let tags = params.iter().filter(|t| matches!(t, Ty::Dyn(_))).count();
    signature(params.len() + tags)
}

/// Every function reachable from some roots, analyzed together.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    pub analyses: BTreeMap<u32, Analysis>,
    pub returns: BTreeMap<u32, Ty>,
    pub params: BTreeMap<u32, Vec<Ty>>,
    /// Globals kept in memory cells, with the type of what they hold.
    pub memory: BTreeMap<u32, Ty>,
}

/// Analyzes `roots` (whose parameters are ints) and everything they call (transitively)
/// against `globals`. Return types start at [`Ty::Never`] and grow until they settle; ahead
/// of time (`effects`) parameter types grow from the arguments of every call too (the JIT
/// only ever passes ints).
pub fn analyze_graph(
    prog: &Program,
    roots: &[u32],
    globals: &[Value],
    memory: &BTreeMap<u32, Ty>,
    effects: bool,
) -> Result<Graph, (u32, u32, Reject)> {
    let mut g = Graph {
        memory: memory.clone(),
        ..Graph::default()
    };
    let ints = |c: u32| vec![Ty::Int; prog.codes[c as usize].nparams as usize];
    for &r in roots {
        g.params.insert(r, ints(r));
    }
    let mut todo: Vec<u32> = Vec::new();
    let mut settled = false;
    for _round in 0..8 {
        g.analyses.clear();
        todo.clear();
        todo.extend_from_slice(roots);
        let mut changed = false;
        while let Some(c) = todo.pop() {
            if g.analyses.contains_key(&c) {
                continue;
            }
            let ps = g
                .params
                .entry(c)
                .or_insert_with(|| {
                    if effects {
                        vec![Ty::Never; prog.codes[c as usize].nparams as usize]
                    } else {
                        ints(c)
                    }
                })
                .clone();
            let returns = &g.returns;
            let an = analyze_at(
                prog,
                c,
                globals,
                &g.memory,
                &|f| Some(*returns.get(&f).unwrap_or(&Ty::Never)),
                &ps,
                effects,
            )
            .map_err(|(pc, why)| (c, pc, why))?;
            todo.extend(an.callees.iter().copied());
            for (f, args) in &an.calls {
                let n = prog.codes[*f as usize].nparams as usize;
                let p = g.params.entry(*f).or_insert_with(|| vec![Ty::Never; n]);
                for (have, &a) in p.iter_mut().zip(args) {
                    let j = join(*have, a, true);
                    if j != *have {
                        *have = j;
                        changed = true;
                    }
                }
            }
            for &(gl, t) in &an.stores {
                let have = g.memory.get_mut(&gl).ok_or((
                    c,
                    0,
                    "internal: a store to a global not in memory",
                ))?;
                let j = join(*have, t, true);
                if j != *have {
                    *have = j;
                    changed = true;
                }
            }
            if g.returns.get(&c) != Some(&an.returns) {
                g.returns.insert(c, an.returns);
                changed = true;
            }
            g.analyses.insert(c, an);
        }
        if !changed {
            settled = true;
            break;
        }
    }
    if !settled {
        return Err((roots[0], 0, "has types that do not settle"));
    }
    g.params.retain(|c, _| g.analyses.contains_key(c));
    g.returns.retain(|c, _| g.analyses.contains_key(c));
    Ok(g)
}

/// Builds a module with `root` and everything it calls (transitively), analyzed against
/// the current globals. Returns the module, the FuncId of each code id, and each function's
/// return type.
/// A module ready to compile, and what the interpreter needs to know about it.
pub struct Built {
    pub module: Module,
    /// FuncId of each code id (`u32::MAX`: the loop entry, if one was asked for).
    pub ids: BTreeMap<u32, FuncId>,
    pub returns: BTreeMap<u32, Ty>,
    /// Globals the code read at compile time (constants and callees).
    pub globals_read: Vec<u32>,
    /// For a loop entry: the type each local must have there.
    pub loop_locals: Vec<Ty>,
}

pub fn build_module(
    prog: &Program,
    root: u32,
    globals: &[Value],
    entry: Entry,
    fixed: &[(u32, i64)],
) -> Result<Built, Reject> {
    let Graph {
        analyses, returns, ..
    } = analyze_graph(prog, &[root], globals, &BTreeMap::new(), false).map_err(|e| e.2)?;
    let mut m = Module::new();
    // SAFETY: pow_checked is extern "C" fn(i64, i64) -> i64.
    let pow = unsafe {
        m.add_host(
            "pow",
            Signature {
                params: vec![Type::I64; 2],
                ret: Type::I64,
            },
            pow_checked as *const () as usize,
        )
    };
    let mut ids: BTreeMap<u32, FuncId> = BTreeMap::new();
    for &c in analyses.keys() {
        let name = alloc::format!("py_{}_{}", c, prog.codes[c as usize].name);
        ids.insert(
            c,
            m.declare(&name, signature(prog.codes[c as usize].nparams as usize)),
        );
    }
    let mut globals_read = Vec::new();
    for (&c, an) in &analyses {
        let name: alloc::string::String = m.func_name(ids[&c]).into();
        let cx = LowerCtx {
            prog,
            globals,
            funcs: &ids,
            pow,
            raise: None,
            print: None,
            graph: None,
            fixed: &[],
        };
        let f = lower(&cx, c, an, Entry::Start, &name)?;
        m.define(ids[&c], f)
            .map_err(|_| "internal: definition mismatch")?;
        globals_read.extend(an.globals_read.iter().copied());
    }
    let mut loop_locals = Vec::new();
    if let Entry::Loop(pc) = entry {
        let an = &analyses[&root];
        loop_locals = loop_entry_types(an, pc)
            .ok_or("no analysis at the loop head")?
            .to_vec();
        let nl = prog.codes[root as usize].nlocals as usize;
        let name = alloc::format!("py_{}_osr_{}", root, pc);
        let id = m.declare(
            &name,
            Signature {
                params: vec![Type::I64; nl + 1],
                ret: Type::I64,
            },
        );
        let cx = LowerCtx {
            prog,
            globals,
            funcs: &ids,
            pow,
            raise: None,
            print: None,
            graph: None,
            fixed,
        };
        let f = lower(&cx, root, an, entry, &name)?;
        m.define(id, f)
            .map_err(|_| "internal: definition mismatch")?;
        ids.insert(u32::MAX, id);
    }
    globals_read.sort();
    globals_read.dedup();
    Ok(Built {
        module: m,
        ids,
        returns,
        globals_read,
        loop_locals,
    })
}

/// The types of the locals an OSR entry at `pc` expects (for the interpreter's check).
pub fn loop_entry_types(an: &Analysis, pc: u32) -> Option<&[Ty]> {
    an.entries.get(&pc).map(|s| s.locals.as_slice())
}

/// Calls compiled code with up to 16 i64 arguments.
///
/// # Safety
/// `addr` must be a compiled function taking exactly `args.len()` i64 arguments.
pub unsafe fn call_native(addr: usize, a: &[i64]) -> Option<i64> {
    macro_rules! call {
        ($($i:literal),*) => {{
            type F = extern "C" fn($(call!(@ty $i)),*) -> i64;
            // SAFETY: forwarded to the caller.
            let f: F = unsafe { core::mem::transmute(addr) };
            f($(a[$i]),*)
        }};
        (@ty $i:literal) => { i64 };
    }
    Some(match a.len() {
        0 => call!(),
        1 => call!(0),
        2 => call!(0, 1),
        3 => call!(0, 1, 2),
        4 => call!(0, 1, 2, 3),
        5 => call!(0, 1, 2, 3, 4),
        6 => call!(0, 1, 2, 3, 4, 5),
        7 => call!(0, 1, 2, 3, 4, 5, 6),
        8 => call!(0, 1, 2, 3, 4, 5, 6, 7),
        9 => call!(0, 1, 2, 3, 4, 5, 6, 7, 8),
        10 => call!(0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
        11 => call!(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
        12 => call!(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11),
        13 => call!(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12),
        14 => call!(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13),
        15 => call!(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14),
        16 => call!(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
        _ => return None,
    })
}

/// Most arguments a compiled entry can take through [`call_native`].
pub const MAX_NATIVE_ARGS: usize = 16;
