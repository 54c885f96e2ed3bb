//! Lowering: bytecode → jit IR, one code object at a time, from its [`Analysis`].
//!
//! This is the stack-to-register step: within a bytecode block the operand stack is a
//! [`VirtualStack`] of SSA values, and at block boundaries locals and stack travel as block
//! parameters, which the optimizer then mostly removes. What a failing operation does is the
//! tier's policy, a parameter ([`LowerCtx::raise`]): return [`DEOPT`] for the interpreter to
//! re-run the call (JIT), or call the raise routine (ahead of time).

use crate::analysis::*;
use crate::ast::{BinOp, CmpOp};
use crate::bytecode::*;
use crate::error::Exception;
use crate::value::{self, Value};
use crate::virtual_stack::VirtualStack;
use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;
use jit::FunctionBuilder;
use jit::ir::{self, Block, CheckedOp, Cmp, FuncId, HostId, Signature, Type};

/// What compiled code returns instead of a value when the interpreter must take over.
/// (A genuine i64::MIN result also comes back as this; the interpreter then recomputes it.)
pub const DEOPT: i64 = i64::MIN;
/// Compiled code gives up at this call depth (the interpreter raises RecursionError).
pub const DEPTH_LIMIT: i64 = crate::error::RECURSION_LIMIT as i64;

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
    /// The tier's policy: what a failing operation does, whether there is printing.
    pub policy: LowerPolicy<'a>,
    /// At a loop entry: locals compiled as these constants (the caller enters only when
    /// they hold them) — the steps of the running range loops, so their direction folds.
    pub fixed: &'a [(u32, i64)],
}

/// The tier's policy as the lowering sees it ([`Policy`] with what each side needs).
#[derive(Clone, Copy)]
pub enum LowerPolicy<'a> {
    /// A failing operation returns [`DEOPT`]; there is no printing.
    Jit,
    /// A failing operation raises; prints lower to runtime calls; parameter and return types
    /// come from the whole graph.
    Aot {
        raise: Raise<'a>,
        print: AotPrint<'a>,
        graph: &'a Graph,
    },
}

impl<'a> LowerPolicy<'a> {
    pub fn policy(&self) -> Policy {
        match self {
            LowerPolicy::Jit => Policy::Jit,
            LowerPolicy::Aot { .. } => Policy::Aot,
        }
    }

    /// Ahead of time: the routines a failure raises through.
    pub fn raise(&self) -> Option<Raise<'a>> {
        match *self {
            LowerPolicy::Jit => None,
            LowerPolicy::Aot { raise, .. } => Some(raise),
        }
    }

    /// Ahead of time: how to print.
    pub fn print(&self) -> Option<AotPrint<'a>> {
        match *self {
            LowerPolicy::Jit => None,
            LowerPolicy::Aot { print, .. } => Some(print),
        }
    }

    /// Ahead of time: every function's parameter and return types.
    pub fn graph(&self) -> Option<&'a Graph> {
        match *self {
            LowerPolicy::Jit => None,
            LowerPolicy::Aot { graph, .. } => Some(graph),
        }
    }
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
    let raise = cx.policy.raise();
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

    let graph = cx.policy.graph();
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
                        Const::Str(k) if cx.policy.print().is_some() => {
                            let pr = cx.policy.print().ok_or("print")?;
                            let rank = *pr.ranks.get(*k as usize).ok_or("string")?;
                            (b.iconst(rank), Ty::Str(*k), None)
                        }
                        Const::None if cx.policy.print().is_some() => {
                            (b.iconst(0), Ty::NoneV, None)
                        }
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
                            let e = Exception::name_not_defined(name);
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
                Op::CallPrint if cx.policy.print().is_some() => {
                    let Some(pr) = cx.policy.print() else {
                        unreachable!("guarded by the match arm")
                    };
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
