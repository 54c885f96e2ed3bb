//! Type and shape inference over bytecode: abstract interpretation that finds, for every
//! block of a code object, the type of each local and stack entry, what each instruction
//! pushes, which instructions always raise, and what a function calls, reads and stores.
//! [`analyze_graph`] runs it over a function and everything it calls until parameter and
//! return types settle. The [`Policy`] says what compiled code may do: the JIT's pure ints
//! and bools, or ahead of time's effects and values of several kinds ([`Ty::Dyn`]).

use crate::ast::{BinOp, CmpOp};
use crate::bytecode::*;
use crate::error::Exception;
use crate::value::{self, Value};
use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

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
pub(crate) const B_NUM: u8 = B_INT | B_BOOL;

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
pub(crate) fn from_bits(m: u8) -> Ty {
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
pub(crate) fn is_num(t: Ty) -> bool {
    bits(t).is_some_and(|m| m & !B_NUM == 0)
}

/// Truthiness known from the type alone.
pub(crate) fn truth(t: Ty) -> Option<bool> {
    match t {
        Ty::NoneV => Some(false),
        Ty::Str(k) => Some(k != 0),
        _ => None,
    }
}

/// The tags in a mask.
pub(crate) fn kinds_of(m: u8) -> impl Iterator<Item = i64> {
    (0..5).filter(move |k| m & (1 << k) != 0)
}

/// A value of kind `k` (a [`tag`]), for an exception message.
pub(crate) fn kind_sample(k: i64) -> Value {
    match k {
        tag::INT => Value::Int(1),
        tag::BOOL => Value::Bool(true),
        tag::STR => Value::Str(0),
        _ => Value::None,
    }
}

/// A value of a single-kind type, for an exception message that depends only on types.
pub(crate) fn sample(t: Ty) -> Option<Value> {
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
pub(crate) fn join(a: Ty, b: Ty, dynamic: bool) -> Ty {
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

/// The tier's policy: what compiled code may do, which decides what the analysis accepts and
/// what a failing operation lowers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    /// The JIT: pure functions of ints and bools. Whatever could fail returns `DEOPT` and
    /// the interpreter re-runs the call, which raises.
    Jit,
    /// Ahead of time, where nothing is ever re-run: prints, strings and None are allowed,
    /// values of several kinds are [`Ty::Dyn`], parameter types come from the calls, globals
    /// may live in memory cells, and an operation that must fail raises.
    Aot,
}

/// Why a function is not compiled (for --stats).
pub type Reject = &'static str;

#[derive(Clone, Debug)]
pub(crate) struct State {
    pub(crate) stack: Vec<Ty>,
    pub(crate) locals: Vec<Ty>,
}

/// The facts the lowering needs about one code object.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// Entry state of every reachable instruction that starts a block.
    pub(crate) entries: BTreeMap<u32, State>,
    /// The type each value-producing instruction pushes.
    pub(crate) pushed: BTreeMap<u32, Ty>,
    /// Instructions that always raise (ahead of time), with the exception.
    pub(crate) raises: BTreeMap<u32, Exception>,
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

pub(crate) fn leaders(code: &Code) -> Vec<bool> {
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
    analyze_at(
        prog,
        code_id,
        globals,
        &none,
        returns_of,
        &params,
        Policy::Jit,
    )
    .map_err(|(_, why)| why)
}

/// [`analyze`] with given parameter types, under `policy`; ahead of time ([`Policy::Aot`])
/// the globals in `memory` (with their types) live in memory cells. A failure comes with the instruction the
/// analysis stopped at.
pub fn analyze_at(
    prog: &Program,
    code_id: u32,
    globals: &[Value],
    memory: &BTreeMap<u32, Ty>,
    returns_of: &dyn Fn(u32) -> Option<Ty>,
    params: &[Ty],
    policy: Policy,
) -> Result<Analysis, (u32, Reject)> {
    let mut at = 0u32;
    analyze_inner(
        prog, code_id, globals, memory, returns_of, params, policy, &mut at,
    )
    .map_err(|why| (at, why))
}

/// The exception for reading local `slot` of `code` before it is assigned.
pub(crate) fn unbound(code: &Code, slot: u32) -> Exception {
    let name = &code.local_names[slot as usize];
    if code.name == "<module>" {
        Exception::name_not_defined(name)
    } else {
        Exception::unbound_local(name)
    }
}

/// Whether any code object stores global `g` (one never stored is undefined everywhere).
pub(crate) fn ever_stored(prog: &Program, g: u32) -> bool {
    prog.codes
        .iter()
        .any(|c| c.instrs.iter().any(|i| i.op == Op::StoreGlobal && i.a == g))
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn analyze_inner(
    prog: &Program,
    code_id: u32,
    globals: &[Value],
    memory: &BTreeMap<u32, Ty>,
    returns_of: &dyn Fn(u32) -> Option<Ty>,
    params: &[Ty],
    policy: Policy,
    at: &mut u32,
) -> Result<Analysis, Reject> {
    let code = &prog.codes[code_id as usize];
    let dy = policy == Policy::Aot;
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
                        Some(B_UNSET) => {
                            raise!(Exception::name_not_defined(&prog.globals[ins.a as usize]))
                        }
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
                            raise!(Exception::name_not_defined(name))
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
                            raise!(prog.codes[f as usize].arity_error(n));
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
                            raise!(Exception::not_an_integer(v.type_name()));
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
                Op::CallPrint if dy => {
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
                    raise!(Exception::cannot_unpack(name));
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
/// of time ([`Policy::Aot`]) parameter types grow from the arguments of every call too (the JIT
/// only ever passes ints).
pub fn analyze_graph(
    prog: &Program,
    roots: &[u32],
    globals: &[Value],
    memory: &BTreeMap<u32, Ty>,
    policy: Policy,
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
                    if policy == Policy::Aot {
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
                policy,
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

/// The types of the locals an OSR entry at `pc` expects (for the interpreter's check).
pub fn loop_entry_types(an: &Analysis, pc: u32) -> Option<&[Ty]> {
    an.entries.get(&pc).map(|s| s.locals.as_slice())
}
