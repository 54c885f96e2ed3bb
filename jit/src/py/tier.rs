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

use super::ast::{BinOp, CmpOp};
use super::bytecode::*;
use super::value::Value;
use crate::ir::{self, Block, CheckedOp, Cmp, FuncId, HostId, Signature, Type};
use crate::passes::stack::VirtualStack;
use crate::{FunctionBuilder, Module};
use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

/// What compiled code returns instead of a value when the interpreter must take over.
/// (A genuine i64::MIN result also comes back as this; the interpreter then recomputes it.)
pub const DEOPT: i64 = i64::MIN;
/// Compiled code gives up at this call depth (the interpreter raises RecursionError).
pub const DEPTH_LIMIT: i64 = super::vm::RECURSION_LIMIT as i64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Int,
    Bool,
    /// A function value (callee of CALL).
    Func(u32),
    /// An unassigned local.
    Unset,
    /// Ahead of time only (values that are printed or returned): an interned string, None.
    Str(u32),
    NoneV,
    /// Conflicting or unsupported: fine to carry, fatal to use.
    Any,
}

fn join(a: Ty, b: Ty) -> Ty {
    if a == b { a } else { Ty::Any }
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
    pub returns: Ty,
    /// Functions called (code ids).
    pub callees: Vec<u32>,
    /// Globals read as constants or callees.
    pub globals_read: Vec<u32>,
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
    analyze_at(prog, code_id, globals, returns_of, false).map_err(|(_, why)| why)
}

/// [`analyze`]; with `effects` (ahead of time, where nothing is ever re-run) prints are
/// allowed, and strings and None may be held, printed and returned. A failure comes with the
/// instruction the analysis stopped at.
pub fn analyze_at(
    prog: &Program,
    code_id: u32,
    globals: &[Value],
    returns_of: &dyn Fn(u32) -> Option<Ty>,
    effects: bool,
) -> Result<Analysis, (u32, Reject)> {
    let mut at = 0u32;
    analyze_inner(prog, code_id, globals, returns_of, effects, &mut at).map_err(|why| (at, why))
}

fn analyze_inner(
    prog: &Program,
    code_id: u32,
    globals: &[Value],
    returns_of: &dyn Fn(u32) -> Option<Ty>,
    effects: bool,
    at: &mut u32,
) -> Result<Analysis, Reject> {
    let code = &prog.codes[code_id as usize];
    let held =
        |t: Ty| matches!(t, Ty::Int | Ty::Bool) || (effects && matches!(t, Ty::Str(_) | Ty::NoneV));
    if code_id == 0 {
        return Err("module code is not compiled");
    }
    let lead = leaders(code);
    let mut locals = vec![Ty::Unset; code.nlocals as usize];
    for l in locals.iter_mut().take(code.nparams as usize) {
        *l = Ty::Int;
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
    let (mut callees, mut globals_read) = (Vec::new(), Vec::new());
    while let Some(start) = work.pop() {
        let mut st = entries[&start].clone();
        let mut pc = start as usize;
        loop {
            *at = pc as u32;
            let ins = code.instrs[pc];
            let mut flow_to: Vec<(u32, State)> = Vec::new();
            let pop = |st: &mut State| st.stack.pop().ok_or("stack underflow");
            let num = |t: Ty| matches!(t, Ty::Int | Ty::Bool);
            let mut falls_through = true;
            match ins.op {
                Op::Nop => {}
                Op::LoadConst => st.stack.push(match &code.consts[ins.a as usize] {
                    Const::Int(_) => Ty::Int,
                    Const::Bool(_) => Ty::Bool,
                    Const::Str(k) if effects => Ty::Str(*k),
                    Const::None if effects => Ty::NoneV,
                    _ => return Err("uses a constant that is not an int or a bool"),
                }),
                Op::LoadFast => {
                    let t = st.locals[ins.a as usize];
                    if !held(t) {
                        return Err("reads a local that may be unset or not an int");
                    }
                    st.stack.push(t);
                }
                Op::StoreFast => {
                    let t = pop(&mut st)?;
                    st.locals[ins.a as usize] = t;
                }
                Op::LoadGlobal => {
                    globals_read.push(ins.a);
                    st.stack.push(match globals.get(ins.a as usize) {
                        Some(Value::Int(_)) => Ty::Int,
                        Some(Value::Bool(_)) => Ty::Bool,
                        Some(Value::Func(f)) => Ty::Func(*f),
                        _ => return Err("reads a global that is not an int, bool or function"),
                    });
                }
                Op::BinaryOp => {
                    let (b, a) = (pop(&mut st)?, pop(&mut st)?);
                    if !num(a) || !num(b) {
                        return Err("arithmetic on a value that is not an int");
                    }
                    let op = BinOp::ALL[ins.a as usize];
                    let both_bool = a == Ty::Bool && b == Ty::Bool;
                    st.stack.push(
                        if both_bool && matches!(op, BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor) {
                            Ty::Bool
                        } else {
                            Ty::Int
                        },
                    );
                }
                Op::CompareOp => {
                    let (b, a) = (pop(&mut st)?, pop(&mut st)?);
                    if !num(a) || !num(b) {
                        return Err("comparison of a value that is not an int");
                    }
                    st.stack.push(Ty::Bool);
                }
                Op::UnaryNegative | Op::UnaryPositive | Op::UnaryInvert => {
                    if !num(pop(&mut st)?) {
                        return Err("unary operator on a value that is not an int");
                    }
                    st.stack.push(Ty::Int);
                }
                Op::UnaryNot => {
                    if !num(pop(&mut st)?) {
                        return Err("'not' of a value that is not an int");
                    }
                    st.stack.push(Ty::Bool);
                }
                Op::PopJumpIfFalse | Op::PopJumpIfTrue => {
                    if !num(pop(&mut st)?) {
                        return Err("branch on a value that is not an int");
                    }
                    flow_to.push((ins.a, st.clone()));
                }
                Op::JumpIfFalseOrPop | Op::JumpIfTrueOrPop => {
                    if !num(*st.stack.last().ok_or("stack underflow")?) {
                        return Err("and/or on a value that is not an int");
                    }
                    flow_to.push((ins.a, st.clone()));
                    st.stack.pop();
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
                        return Err("a call with the wrong number of arguments");
                    }
                    if args.iter().any(|&t| t != Ty::Int) {
                        return Err("passes a value that is not an int to a function");
                    }
                    let r = returns_of(f).ok_or("calls a function that is not compiled")?;
                    callees.push(f);
                    st.stack.push(r);
                }
                Op::CallBuiltin => {
                    let b = Builtin::ALL[ins.a as usize];
                    if !matches!(b, Builtin::Abs | Builtin::Min | Builtin::Max) {
                        return Err("uses a builtin with effects");
                    }
                    let n = ins.b as usize;
                    let args = st
                        .stack
                        .split_off(st.stack.len().checked_sub(n).ok_or("stack underflow")?);
                    if args.iter().any(|&t| t != Ty::Int) {
                        return Err("abs/min/max of a value that is not an int");
                    }
                    st.stack.push(Ty::Int);
                }
                Op::ReturnValue => {
                    let t = pop(&mut st)?;
                    if !held(t) {
                        return Err("returns a value that is not an int or a bool");
                    }
                    returns = Some(match returns {
                        None => t,
                        Some(r) => join(r, t),
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
                    for _ in 0..ins.b {
                        // A bool is an int to range() (0 or 1, as compiled code holds it).
                        if !num(pop(&mut st)?) {
                            return Err("range() of a value that is not an int");
                        }
                    }
                    for k in 0..3 {
                        st.locals[(ins.a + k) as usize] = Ty::Int;
                    }
                }
                Op::ForRange => {
                    flow_to.push((ins.b, st.clone()));
                    st.stack.push(Ty::Int);
                }
                Op::CallPrint if effects => {
                    for _ in 0..ins.a {
                        if !held(pop(&mut st)?) {
                            return Err("prints a value that is not an int, bool, string or None");
                        }
                    }
                    st.stack.push(Ty::NoneV);
                }
                Op::CallPrint => return Err("prints"),
                Op::StoreGlobal => return Err("stores a global"),
                Op::MakeFunction => return Err("defines a function"),
                Op::RaiseConst | Op::UnpackNonIterable => return Err("raises"),
            }
            if falls_through {
                flow_to.push((pc as u32 + 1, st.clone()));
            }
            let next = pc + 1;
            let mut continue_here = false;
            for (target, s) in flow_to {
                if falls_through && target == next as u32 && !lead[next] {
                    continue_here = true;
                    continue;
                }
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
                            let j = join(*o, *n);
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
    let returns = returns.ok_or("never returns")?;
    if returns == Ty::Any {
        return Err("returns values of different types");
    }
    callees.sort();
    callees.dedup();
    globals_read.sort();
    globals_read.dedup();
    Ok(Analysis {
        entries,
        returns,
        callees,
        globals_read,
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

/// Lowers one analyzed function into `m`. Signature: the Python parameters (or, for a loop
/// entry, every local) then the call depth; returns the value or DEOPT.
/// What every lowering in one module shares.
pub struct LowerCtx<'a> {
    pub prog: &'a Program,
    pub globals: &'a [Value],
    pub funcs: &'a BTreeMap<u32, FuncId>,
    pub pow: HostId,
    /// Ahead of time: raise instead of returning DEOPT.
    pub raise: Option<Raise>,
    /// Ahead of time: how to print (functions and module code may print there).
    pub print: Option<AotPrint<'a>>,
    /// Return types of the functions called (for a bool result to print as a bool).
    pub returns: Option<&'a BTreeMap<u32, Ty>>,
}

/// The runtime routines and string numbers print lowers to, ahead of time.
#[derive(Clone, Copy, Debug)]
pub struct AotPrint<'a> {
    pub print_int: HostId,
    pub print_str: HostId,
    /// The runtime's string number of each of the program's strings.
    pub strings: &'a [i64],
    pub space: i64,
    pub newline: i64,
    pub true_: i64,
    pub false_: i64,
    pub none: i64,
}

/// Ahead-of-time lowering has no interpreter to hand a failure to: a failing operation
/// calls `host(message)`, which reports the exception and exits. Each field is the
/// message number (the AOT runtime's string table) of one exception.
#[derive(Clone, Copy, Debug)]
pub struct Raise {
    pub host: HostId,
    pub overflow: i64,
    pub zero_div: i64,
    pub zero_mod: i64,
    pub neg_shift: i64,
    pub neg_pow: i64,
    pub recursion: i64,
    pub range_step: i64,
}

/// Which exception a failure site raises.
#[derive(Clone, Copy, PartialEq)]
enum Why {
    Msg(i64),
    /// `zero` if the value is 0, else `other`.
    IfZero(ir::Value, i64, i64),
}

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
    let nparams = match entry {
        Entry::Start => code.nparams as usize,
        Entry::Loop(_) => nl,
    };
    let mut b = FunctionBuilder::new(name, &vec![Type::I64; nparams + 1], Type::I64);
    let depth = b.param(nparams);
    // Block per leader, with a parameter per local and per stack slot.
    let mut blocks: BTreeMap<u32, Block> = BTreeMap::new();
    for (&pc, st) in &an.entries {
        let blk = b.create_block();
        for _ in 0..nl + st.stack.len() {
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
    let ovf = Why::Msg(m(|r| r.overflow));
    // Entry: depth check, then jump to the first block with the arguments.
    let limit = b.iconst(DEPTH_LIMIT);
    let deep = b.cmp(Cmp::Ge, depth, limit);
    let go = b.create_block();
    let too_deep = raise_to(&mut b, Why::Msg(m(|r| r.recursion)));
    b.branch(deep, too_deep, &[], go, &[]);
    b.switch_to(go);
    let zero = b.iconst(0);
    let (start_pc, args): (u32, Vec<ir::Value>) = match entry {
        Entry::Start => {
            let mut a: Vec<ir::Value> = (0..code.nparams as usize).map(|i| b.param(i)).collect();
            a.resize(nl, zero);
            (0, a)
        }
        Entry::Loop(pc) => (pc, (0..nl).map(|i| b.param(i)).collect()),
    };
    let start = *blocks.get(&start_pc).ok_or("no block at the entry point")?;
    if !an.entries[&start_pc].stack.is_empty() {
        return Err("the loop head has a non-empty stack");
    }
    b.jump(start, &args);
    b.switch_to(fail);
    let d = b.iconst(DEOPT);
    b.ret(d);

    let one = |b: &mut FunctionBuilder| b.iconst(1);
    for (&pc0, st) in &an.entries {
        let blk = blocks[&pc0];
        b.switch_to(blk);
        let params: Vec<ir::Value> = b.block_params(blk).to_vec();
        let mut locals: Vec<ir::Value> = params[..nl].to_vec();
        let mut stack = VirtualStack::from_params(&params[nl..]);
        let mut types: Vec<Ty> = st.stack.clone();
        let mut ltypes: Vec<Ty> = st.locals.clone();
        let mut pc = pc0 as usize;
        let args_of = |locals: &[ir::Value], stack: &VirtualStack| {
            let mut a = locals.to_vec();
            a.extend(stack.to_args());
            a
        };
        loop {
            let ins = code.instrs[pc];
            let p = |s: &mut VirtualStack| s.pop().map_err(|_| "stack underflow");
            macro_rules! goto {
                ($target:expr) => {{
                    let t = $target;
                    let tb = *blocks.get(&t).ok_or("jump to an unanalyzed block")?;
                    let a = args_of(&locals, &stack);
                    b.jump(tb, &a);
                }};
            }
            match ins.op {
                Op::Nop => {}
                Op::LoadConst => {
                    let v = match &code.consts[ins.a as usize] {
                        Const::Int(i) => (b.iconst(*i), Ty::Int),
                        Const::Bool(x) => (b.iconst(*x as i64), Ty::Bool),
                        // Placeholders: strings and None are only printed or returned.
                        Const::Str(k) if cx.print.is_some() => (b.iconst(*k as i64), Ty::Str(*k)),
                        Const::None if cx.print.is_some() => (b.iconst(0), Ty::NoneV),
                        _ => return Err("constant"),
                    };
                    stack.push(v.0);
                    types.push(v.1);
                }
                Op::LoadFast => {
                    stack.push(locals[ins.a as usize]);
                    types.push(ltypes[ins.a as usize]);
                }
                Op::StoreFast => {
                    locals[ins.a as usize] = p(&mut stack)?;
                    ltypes[ins.a as usize] = types.pop().unwrap_or(Ty::Int);
                }
                Op::LoadGlobal => {
                    match globals[ins.a as usize] {
                        Value::Int(i) => stack.push(b.iconst(i)),
                        Value::Bool(x) => stack.push(b.iconst(x as i64)),
                        Value::Func(f) => stack.push(b.iconst(f as i64)), // marker; consumed by CALL
                        _ => return Err("global"),
                    }
                    types.push(Ty::Int);
                }
                Op::BinaryOp => {
                    let (x, y) = stack.pop2().map_err(|_| "stack underflow")?;
                    let op = BinOp::ALL[ins.a as usize];
                    let (tb, ta) = (types.pop(), types.pop());
                    let bitop = matches!(op, BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor);
                    types.push(if bitop && ta == Some(Ty::Bool) && tb == Some(Ty::Bool) {
                        Ty::Bool
                    } else {
                        Ty::Int
                    });
                    let r = match op {
                        BinOp::Add | BinOp::Sub | BinOp::Mul => {
                            let op = match op {
                                BinOp::Add => CheckedOp::Add,
                                BinOp::Sub => CheckedOp::Sub,
                                _ => CheckedOp::Mul,
                            };
                            let f = raise_to(&mut b, ovf);
                            b.checked(op, x, y, f, &[])
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
                    stack.push(r);
                }
                Op::CompareOp => {
                    let (x, y) = stack.pop2().map_err(|_| "stack underflow")?;
                    types.pop();
                    types.pop();
                    types.push(Ty::Bool);
                    let c = match CmpOp::ALL[ins.a as usize] {
                        CmpOp::Lt => Cmp::Lt,
                        CmpOp::Le => Cmp::Le,
                        CmpOp::Gt => Cmp::Gt,
                        CmpOp::Ge => Cmp::Ge,
                        CmpOp::Eq => Cmp::Eq,
                        CmpOp::Ne => Cmp::Ne,
                    };
                    let r = b.cmp(c, x, y);
                    let (t, f) = (b.iconst(1), b.iconst(0));
                    let v = b.select(r, t, f);
                    stack.push(v);
                }
                Op::UnaryNegative => {
                    let x = p(&mut stack)?;
                    types.pop();
                    types.push(Ty::Int);
                    let z = b.iconst(0);
                    let f = raise_to(&mut b, ovf);
                    let r = b.checked(CheckedOp::Sub, z, x, f, &[]);
                    stack.push(r);
                }
                Op::UnaryPositive => {}
                Op::UnaryInvert => {
                    let x = p(&mut stack)?;
                    types.pop();
                    types.push(Ty::Int);
                    let r = b.unary(ir::UnOp::Not, x);
                    stack.push(r);
                }
                Op::UnaryNot => {
                    let x = p(&mut stack)?;
                    types.pop();
                    types.push(Ty::Bool);
                    let z = b.iconst(0);
                    let c = b.cmp(Cmp::Eq, x, z);
                    let (t, f) = (b.iconst(1), b.iconst(0));
                    let v = b.select(c, t, f);
                    stack.push(v);
                }
                Op::PopJumpIfFalse | Op::PopJumpIfTrue => {
                    let x = p(&mut stack)?;
                    types.pop();
                    let z = b.iconst(0);
                    let truthy = b.cmp(Cmp::Ne, x, z);
                    let (taken, fall) = (
                        *blocks.get(&ins.a).ok_or("target")?,
                        *blocks.get(&(pc as u32 + 1)).ok_or("fallthrough")?,
                    );
                    let a = args_of(&locals, &stack);
                    if ins.op == Op::PopJumpIfTrue {
                        b.branch(truthy, taken, &a, fall, &a);
                    } else {
                        b.branch(truthy, fall, &a, taken, &a);
                    }
                    break;
                }
                Op::JumpIfFalseOrPop | Op::JumpIfTrueOrPop => {
                    let x = stack.peek().map_err(|_| "stack underflow")?;
                    let z = b.iconst(0);
                    let truthy = b.cmp(Cmp::Ne, x, z);
                    let taken = *blocks.get(&ins.a).ok_or("target")?;
                    let keep = args_of(&locals, &stack);
                    let _ = stack.pop();
                    let fall = *blocks.get(&(pc as u32 + 1)).ok_or("fallthrough")?;
                    let popped = args_of(&locals, &stack);
                    if ins.op == Op::JumpIfTrueOrPop {
                        b.branch(truthy, taken, &keep, fall, &popped);
                    } else {
                        b.branch(truthy, fall, &popped, taken, &keep);
                    }
                    break;
                }
                Op::JumpForward | Op::JumpBackward => {
                    goto!(ins.a);
                    break;
                }
                Op::Call => {
                    let n = ins.a as usize;
                    let mut args = Vec::with_capacity(n + 1);
                    for _ in 0..n {
                        args.push(p(&mut stack)?);
                        types.pop();
                    }
                    args.reverse();
                    let _marker = p(&mut stack)?;
                    types.pop();
                    // The callee is known from the analysis: the global read just before.
                    let callee_code = callee_of(code, pc, n).ok_or("indirect call")?;
                    let Value::Func(fc) = globals[callee_code as usize] else {
                        return Err("callee");
                    };
                    let fid = *funcs.get(&fc).ok_or("callee not compiled")?;
                    let o = one(&mut b);
                    let d1 = b.add(depth, o);
                    args.push(d1);
                    let r = b.call(fid, Type::I64, &args);
                    // Ahead of time a callee never hands back DEOPT: it raises and exits.
                    if raise.is_none() {
                        let dv = b.iconst(DEOPT);
                        let bad = b.cmp(Cmp::Eq, r, dv);
                        let ok = b.create_block();
                        b.branch(bad, fail, &[], ok, &[]);
                        b.switch_to(ok);
                    }
                    stack.push(r);
                    types.push(
                        cx.returns
                            .and_then(|rs| rs.get(&fc).copied())
                            .unwrap_or(Ty::Int),
                    );
                }
                Op::CallPrint if cx.print.is_some() => {
                    let pr = cx.print.unwrap_or_else(|| unreachable!());
                    let n = ins.a as usize;
                    let mut args = Vec::with_capacity(n);
                    let mut tys = Vec::with_capacity(n);
                    for _ in 0..n {
                        args.push(p(&mut stack)?);
                        tys.push(types.pop().unwrap_or(Ty::Int));
                    }
                    args.reverse();
                    tys.reverse();
                    for (i, (&v, &t)) in args.iter().zip(&tys).enumerate() {
                        if i > 0 {
                            let k = b.iconst(pr.space);
                            b.call_host(pr.print_str, Type::I64, &[k]);
                        }
                        match t {
                            Ty::Int => {
                                b.call_host(pr.print_int, Type::I64, &[v]);
                            }
                            Ty::Bool => {
                                let z = b.iconst(0);
                                let c = b.cmp(Cmp::Ne, v, z);
                                let (yes, no) = (b.iconst(pr.true_), b.iconst(pr.false_));
                                let k = b.select(c, yes, no);
                                b.call_host(pr.print_str, Type::I64, &[k]);
                            }
                            Ty::Str(s) => {
                                let id = *pr.strings.get(s as usize).ok_or("string")?;
                                let k = b.iconst(id);
                                b.call_host(pr.print_str, Type::I64, &[k]);
                            }
                            Ty::NoneV => {
                                let k = b.iconst(pr.none);
                                b.call_host(pr.print_str, Type::I64, &[k]);
                            }
                            _ => return Err("prints a value of unknown type"),
                        }
                    }
                    let k = b.iconst(pr.newline);
                    b.call_host(pr.print_str, Type::I64, &[k]);
                    stack.push(b.iconst(0));
                    types.push(Ty::NoneV);
                }
                Op::CallBuiltin => {
                    let n = ins.b as usize;
                    let mut args = Vec::with_capacity(n);
                    for _ in 0..n {
                        args.push(p(&mut stack)?);
                        types.pop();
                    }
                    args.reverse();
                    let r = match Builtin::ALL[ins.a as usize] {
                        Builtin::Abs => {
                            let z = b.iconst(0);
                            let neg = b.cmp(Cmp::Lt, args[0], z);
                            let f = raise_to(&mut b, ovf);
                            let negated = b.checked(CheckedOp::Sub, z, args[0], f, &[]);
                            b.select(neg, negated, args[0])
                        }
                        Builtin::Min | Builtin::Max => {
                            let mut best = args[0];
                            for &v in &args[1..] {
                                let c = if Builtin::ALL[ins.a as usize] == Builtin::Min {
                                    Cmp::Lt
                                } else {
                                    Cmp::Gt
                                };
                                let better = b.cmp(c, v, best);
                                best = b.select(better, v, best);
                            }
                            best
                        }
                        _ => return Err("builtin"),
                    };
                    stack.push(r);
                    types.push(Ty::Int);
                }
                Op::ReturnValue => {
                    let v = p(&mut stack)?;
                    b.ret(v);
                    break;
                }
                Op::PopTop => {
                    p(&mut stack)?;
                    types.pop();
                }
                Op::DupTop => {
                    stack.dup().map_err(|_| "stack underflow")?;
                    let t = *types.last().unwrap_or(&Ty::Int);
                    types.push(t);
                }
                Op::RotTwo => {
                    stack.swap().map_err(|_| "stack underflow")?;
                    let n = types.len();
                    if n >= 2 {
                        types.swap(n - 1, n - 2);
                    }
                }
                Op::RotThree => {
                    if let Some(t) = types.pop() {
                        let n = types.len();
                        types.insert(n.saturating_sub(2), t);
                    }
                    let c = p(&mut stack)?;
                    let (a1, b1) = stack.pop2().map_err(|_| "stack underflow")?;
                    stack.push(c);
                    stack.push(a1);
                    stack.push(b1);
                }
                Op::RangeSetup => {
                    let n = ins.b as usize;
                    let mut v = Vec::with_capacity(3);
                    for _ in 0..n {
                        v.push(p(&mut stack)?);
                        types.pop();
                    }
                    v.reverse();
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
                    locals[s] = start;
                    locals[s + 1] = stop;
                    locals[s + 2] = step;
                }
                Op::ForRange => {
                    let s = ins.a as usize;
                    let (cur, stop, step) = (locals[s], locals[s + 1], locals[s + 2]);
                    let z = b.iconst(0);
                    let up = b.cmp(Cmp::Gt, step, z);
                    let below = b.cmp(Cmp::Lt, cur, stop);
                    let above = b.cmp(Cmp::Gt, cur, stop);
                    let more = b.select(up, below, above);
                    let (body, exit) = (b.create_block(), *blocks.get(&ins.b).ok_or("loop exit")?);
                    let a = args_of(&locals, &stack);
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
                    locals[s] = nv;
                    stack.push(cur);
                    types.push(Ty::Int);
                }
                _ => return Err("unsupported instruction"),
            }
            pc += 1;
            if an.entries.contains_key(&(pc as u32)) {
                goto!(pc as u32);
                break;
            }
        }
    }
    b.finish().map_err(|_| "internal: unterminated block")
}

/// The global index loaded as the callee of the CALL at `pc` with `n` arguments: the
/// LOAD_GLOBAL found by walking back over the argument computations.
fn callee_of(code: &Code, pc: usize, n: usize) -> Option<u32> {
    // Net stack effect walking backwards until n+1 values are accounted for.
    let mut need = n as i64 + 1;
    let mut i = pc;
    while i > 0 {
        i -= 1;
        let ins = code.instrs[i];
        let (pops, pushes): (i64, i64) = match ins.op {
            Op::LoadConst | Op::LoadFast | Op::LoadGlobal | Op::MakeFunction => (0, 1),
            Op::StoreFast | Op::StoreGlobal | Op::PopTop => (1, 0),
            Op::BinaryOp | Op::CompareOp => (2, 1),
            Op::UnaryNegative | Op::UnaryPositive | Op::UnaryInvert | Op::UnaryNot => (1, 1),
            Op::Call => (ins.a as i64 + 1, 1),
            Op::CallBuiltin => (ins.b as i64, 1),
            Op::CallPrint => (ins.a as i64, 1),
            Op::DupTop => (1, 2),
            Op::RotTwo | Op::RotThree | Op::Nop => (0, 0),
            _ => return None, // control flow inside an argument: give up
        };
        need -= pushes;
        if need == 0 {
            return (ins.op == Op::LoadGlobal).then_some(ins.a);
        }
        need += pops;
    }
    None
}

/// Signature of a compiled function: Python parameters plus the depth.
pub fn signature(nparams: usize) -> Signature {
    Signature {
        params: vec![Type::I64; nparams + 1],
        ret: Type::I64,
    }
}

/// Analyzes `roots` and everything they call (transitively) against `globals`, assuming int
/// returns first and refining. Returns each function's analysis and return type.
#[allow(clippy::type_complexity)]
pub fn analyze_graph(
    prog: &Program,
    roots: &[u32],
    globals: &[Value],
    effects: bool,
) -> Result<(BTreeMap<u32, Analysis>, BTreeMap<u32, Ty>), (u32, u32, Reject)> {
    let mut returns: BTreeMap<u32, Ty> = BTreeMap::new();
    let mut analyses: BTreeMap<u32, Analysis> = BTreeMap::new();
    let mut todo: Vec<u32> = Vec::new();
    for &r in roots {
        returns.insert(r, Ty::Int);
    }
    let mut settled = false;
    for _round in 0..4 {
        analyses.clear();
        todo.clear();
        todo.extend_from_slice(roots);
        let mut changed = false;
        while let Some(c) = todo.pop() {
            if analyses.contains_key(&c) {
                continue;
            }
            let an = analyze_at(
                prog,
                c,
                globals,
                &|f| Some(*returns.get(&f).unwrap_or(&Ty::Int)),
                effects,
            )
            .map_err(|(pc, why)| (c, pc, why))?;
            for &callee in &an.callees {
                returns.entry(callee).or_insert(Ty::Int);
                todo.push(callee);
            }
            if returns.get(&c) != Some(&an.returns) {
                returns.insert(c, an.returns);
                changed = true;
            }
            analyses.insert(c, an);
        }
        if !changed {
            settled = true;
            break;
        }
    }
    if !settled {
        return Err((roots[0], 0, "has return types that do not settle"));
    }
    // A bool result stays a bool in the caller: the analysis pushed the callee's return type,
    // so a caller returning it returns a bool too (and one mixing it with ints is rejected).
    // The last round must have seen every callee's final return type.
    for an in analyses.values() {
        for c in &an.callees {
            if !returns.contains_key(c) {
                return Err((*c, 0, "internal: a callee was not analyzed"));
            }
        }
    }
    Ok((analyses, returns))
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
) -> Result<Built, Reject> {
    let (analyses, returns) = analyze_graph(prog, &[root], globals, false).map_err(|e| e.2)?;
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
            returns: None,
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
            returns: None,
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
