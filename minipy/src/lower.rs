//! Lowering: bytecode → jit IR, one code object at a time, from its [`Analysis`].
//!
//! This is the stack-to-register step: within a bytecode block the operand stack is a
//! [`VirtualStack`] of SSA values, and at block boundaries locals and stack travel as block
//! parameters, which the optimizer then mostly removes. What a failing operation does is the
//! tier's policy, a parameter ([`LowerCtx::raise`]): return [`DEOPT`] for the interpreter to
//! re-run the call (JIT) — after handing it the frame where it stopped, for a function that
//! cannot run again ([`Resume`]) — or call the raise routine (ahead of time).

use crate::analysis::*;
use crate::ast::{BinOp, CmpOp};
use crate::bytecode::*;
use crate::deopt;
use crate::error::{ExcKind, Exception};
use crate::jitobj::{Layout, PAYLOAD, VALUE_SIZE};
use crate::value::{self, Value};
use crate::virtual_stack::VirtualStack;
use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;
use jit::FunctionBuilder;
use jit::ir::{self, Block, CheckedOp, Cmp, FuncId, HostId, Signature, Site, Type, Width};

pub use crate::analysis::abi::DEOPT;
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
    /// JIT: `pow(a, b, m)` ([`crate::tier::pow_mod_checked`]).
    pub pow_mod: Option<HostId>,
    /// The tier's policy: what a failing operation does, whether there is printing.
    pub policy: LowerPolicy<'a>,
    /// At a loop entry: locals compiled as these constants (the caller enters only when
    /// they hold them) — the steps of the running range loops, so their direction folds.
    pub fixed: &'a [(u32, i64)],
    /// JIT: the list routines ([`crate::jitobj`]), when the module uses lists.
    pub lists: Option<ListHosts>,
    /// Ahead of time, when the program's functions have generic versions: ints past 64
    /// bits.
    pub big: Option<BigInts<'a>>,
    /// JIT: which functions hand the interpreter their frames where they stop.
    pub resume: Option<Resume<'a>>,
}

/// JIT: functions whose calls cannot run again from their start (they write into lists
/// they did not make, or call such a function) stop by handing the interpreter their
/// frames ([`crate::deopt`]).
#[derive(Clone, Copy)]
pub struct Resume<'a> {
    /// By code id.
    pub writes: &'a [bool],
    /// The sites of the frames, shared by every module the interpreter compiles (a frame's
    /// first word is its index here).
    pub sites: &'a core::cell::RefCell<Vec<deopt::Site>>,
    /// The address of the [`crate::jitobj::Ctx`] compiled code finds the buffer in.
    pub ctx: i64,
}

/// Ahead of time, ints past 64 bits. Each function has two versions: the fast one, where
/// ints are machine ints, and a *generic* one, where an int is a payload and a tag —
/// [`tag::INT`], or [`tag::BIG`] with the payload the address of a big int the runtime
/// library (`mp_*` routines) made. When an operation of the fast version overflows, the
/// function moves into its generic version at that instruction: it hands its frame over in
/// memory cells (`xfer`) and calls the generic version with the instruction as the entry,
/// which runs the rest of the call. A fast version that moved (or whose callee did)
/// returns [`SENTINEL`] with the real result in the `pending` cells; its caller takes it
/// from there, and moves into its own generic version after the call if the result is
/// big. The fast code pays nothing for this but a check after each call.
#[derive(Clone, Copy)]
pub struct BigInts<'a> {
    pub hosts: BigHosts,
    /// `rt_xfer(depth, first cell, count, values…) -> depth` by its number of arguments.
    pub hand_over: &'a BTreeMap<usize, HostId>,
    /// Each code's generic version.
    pub generic: &'a BTreeMap<u32, FuncId>,
    /// Where a generic version can be entered, and the types of the frame's slots there
    /// (locals, then the stack): code → pc → types.
    pub entries: &'a BTreeMap<u32, BTreeMap<u32, Vec<Ty>>>,
    /// The program has int literals past 64 bits.
    pub literals: bool,
    /// The cell of a result handed back with [`SENTINEL`] (its tag in the next).
    pub pending: i64,
    /// The first cell of a frame handed over (payload and tag per slot).
    pub xfer: i64,
}

/// The routines of ints past 64 bits: `mp_add(ta, a, tb, b)` (and one per operator),
/// `mp_compare(op, ta,
/// a, tb, b)`, `mp_unary(k, t, a)`, `mp_decimal(t, a)`, `mp_tag()` and `mp_parse(digits)`
/// (the runtime library); `rt_print_cstr(text)`, `rt_raise_text(line)`, `rt_powx(b, e)`,
/// `rt_pend(r, cell) -> SENTINEL` / `rt_take(cell) -> r` (the pending cells) and
/// `rt_text(k) -> address` of string k of the table (the runtime). A fast version hands a
/// result in the pending cells back by returning to the call's landing
/// ([`ir::Term::ReturnToLanding`]; the runtime's `rt_land` routes it), so that a normal
/// return costs its caller nothing.
#[derive(Clone, Copy, Debug)]
pub struct BigHosts {
    /// By the operator's index in [`BinOp::ALL`].
    pub binary: [HostId; 11],
    pub compare: HostId,
    pub unary: HostId,
    pub decimal: HostId,
    pub tag: HostId,
    pub parse: HostId,
    pub print: HostId,
    pub raise: HostId,
    pub pow: HostId,
    pub pend: HostId,
    pub take: HostId,
    /// `mp_pow3(ta, a, tb, b, tm, m)`: `pow(a, b, m)`.
    pub pow3: HostId,
    pub text: HostId,
    /// `rt_stack_top()` and `mp_init(top, cells, words)`: the runtime library learns where the stack
    /// starts (its collection scans it).
    pub stack_top: HostId,
    pub init: HostId,
    /// `rt_cells()`: the address of the globals' cells (roots of the collection too).
    pub cells: HostId,
}

/// What a fast version returns to its caller's landing when its result is in the pending
/// cells.
pub const SENTINEL: i64 = i64::MIN;
/// The pending cells' tag when they hold nothing (a genuine [`SENTINEL`] result).
pub const NO_PENDING: i64 = -2;
/// The tag `mp_*` routines leave when they failed (the payload: the exception's line).
const BIG_ERROR: i64 = -1;

/// The entry of a generic version at instruction `pc`: with the whole frame in the transfer
/// cells, or (`after_call`) with the result of the call before it in the pending cells.
fn entry_id(pc: u32, after_call: bool) -> i64 {
    i64::from(pc) | i64::from(after_call) << 32
}

/// The generic version of a function with parameter types `params`: the payloads, the
/// depth, the tags (ints have one), then the entry: -1 for a call, or the instruction a
/// fast version moves in at.
pub fn generic_signature(params: &[Ty]) -> Signature {
    signature(params.len() + ndyn(params, true) + 1)
}

/// Whether the fast version of instruction `pc` of `code` can move into the generic
/// version there: the operations that can overflow, and int literals past 64 bits.
pub fn overflows(code: &Code, pc: usize) -> bool {
    let ins = code.instrs[pc];
    match ins.op {
        Op::LoadConst => matches!(code.consts[ins.a as usize], Const::Big(_)),
        Op::BinaryOp => !matches!(
            BinOp::ALL[ins.a as usize],
            BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor | BinOp::RShift | BinOp::Mod
        ),
        Op::UnaryNegative => true,
        Op::CallBuiltin => match Builtin::ALL[ins.a as usize] {
            Builtin::Abs | Builtin::Divmod => true,
            Builtin::Pow => ins.b == 2,
            _ => false,
        },
        _ => false,
    }
}

/// The routines compiled code calls for lists ([`crate::jitobj`]), and the address of the
/// interpreter's [`crate::jitobj::Ctx`] each takes first.
#[derive(Clone, Copy, Debug)]
pub struct ListHosts {
    pub ctx: i64,
    pub new: HostId,
    pub push: HostId,
    pub pop: HostId,
    pub pop_at: HostId,
    pub insert: HostId,
    pub copy: HostId,
    pub slice: HostId,
    pub sort: HostId,
    pub reverse: HostId,
    pub sorted: HostId,
    pub sum: HostId,
    pub min_max: HostId,
    pub contains: HostId,
    pub repeat: HostId,
    pub item: HostId,
    pub store: HostId,
    pub iter: HostId,
    pub next: HostId,
    pub len: HostId,
    pub range: HostId,
    pub range_iter: HostId,
    pub range_iter_copy: HostId,
    /// Where items are, for reading and writing them in place (else through `item` and
    /// `store`).
    pub layout: Option<Layout>,
}

/// The tier's policy as the lowering sees it ([`Policy`] with what each side needs).
/// (One per module compiled: the size of the AOT variant costs nothing.)
#[allow(clippy::large_enum_variant)]
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
    /// The string number of a text (interned on demand; NUL-terminated in the table).
    pub intern_text: &'a dyn Fn(&[u8]) -> i64,
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
    pub sys: SysHosts,
    /// The source site of the instruction at (code, pc), for the calls lowered from it: the
    /// runtime's traceback walks the stack from site to site.
    pub site: &'a dyn Fn(u32, u32) -> Site,
}

/// The site of calls that are no Python frame of their own: the depth checks at entry (a
/// RecursionError shows the caller's line last; the deepest frame's redirect to its checked
/// variant is the same frame).
pub const TRANSPARENT: Site = Site(Site::INLINED - 1);

/// The runtime routines of `sys.argv` and `sys.exit`.
#[derive(Clone, Copy, Debug)]
pub struct SysHosts {
    /// `len(sys.argv)`.
    pub argc: HostId,
    /// `sys.argv[i]`: the index from the start (IndexError if there is no such argument).
    pub argv: HostId,
    /// `int()` of the argument at an index `argv` returned.
    pub argv_int: HostId,
    /// `sys.exit(status)`: flush stdout, exit.
    pub exit: HostId,
    /// `sys.exit(message)`: flush stdout, message string k on stderr, exit 1.
    pub exit_msg: HostId,
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

    /// The frame at the start of a bytecode block with entry state `st`: its parameters are
    /// the `nl` locals, the stack, then the tags of the [`Ty::Dyn`] ones among them.
    fn at_block(params: &[ir::Value], st: &State, nl: usize, generic: bool) -> Frame {
        let depth0 = st.stack.len();
        let mut tag_params = params[nl + depth0..].iter().copied();
        let mut tag_for = |t: Ty| {
            if two_words(t, generic) {
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
        fr
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
    generic: bool,
) -> Result<(ir::Value, Option<ir::Value>), Reject> {
    if generic && want == Ty::Int && matches!(s.1, Ty::Int | Ty::Never) {
        return Ok((s.0, Some(tag_value(b, s)?)));
    }
    if let Ty::Dyn(m) = want {
        if bits(s.1).is_none_or(|k| k & !m != 0) {
            return Err("internal: a value of a kind its destination does not hold");
        }
        return Ok((s.0, Some(tag_value(b, s)?)));
    }
    if let Ty::ListIter(..) = want {
        return match s {
            (h, Ty::ListIter(..), Some(pos)) => Ok((h, Some(pos))),
            _ => Err("internal: a list iterator without its position"),
        };
    }
    if let (Ty::List(..), Ty::List(..)) = (s.1, want) {
        return Ok((s.0, None));
    }
    if s.1 != want && s.1 != Ty::Never && want != Ty::Any {
        return Err("internal: types disagree where paths meet");
    }
    Ok((s.0, None))
}

/// Arguments for a block with entry state `st`: payloads, then the tags of its Dyn slots.
fn args_for(
    b: &mut FunctionBuilder,
    fr: &Frame,
    st: &State,
    generic: bool,
) -> Result<Vec<ir::Value>, Reject> {
    let (mut a, mut tags) = (Vec::new(), Vec::new());
    for (s, &want) in fr
        .slots()
        .into_iter()
        .zip(st.locals.iter().chain(&st.stack))
    {
        let (v, t) = conform(b, s, want, generic)?;
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
/// The deepest frame CPython allows (`depth == DEPTH_LIMIT - 1`) is the one where a
/// comparison CPython does not specialize fails "in comparison" ([`Lowering::compare_depth`]).
/// Checking that at every comparison cost compiled code a quarter of its speed, so a
/// function's code checks the depth once, at entry, and that frame runs elsewhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deepest {
    /// JIT: the deepest frame deoptimizes (the interpreter runs it, exactly).
    Deopt,
    /// Ahead of time: the deepest frame calls this variant of the function instead.
    Redirect(FuncId),
    /// Ahead of time, that variant: comparisons check the depth.
    Checked,
}

pub fn lower(
    cx: &LowerCtx<'_>,
    code_id: u32,
    an: &Analysis,
    entry: Entry,
    name: &str,
    deepest: Deepest,
) -> Result<ir::Function, Reject> {
    Ok(lower_version(cx, code_id, an, entry, name, deepest, false)?.0)
}

/// The generic version of a function ([`BigInts`]), and where it can be entered with the
/// types of the frame's slots there.
pub fn lower_generic(
    cx: &LowerCtx<'_>,
    code_id: u32,
    an: &Analysis,
    name: &str,
) -> Result<(ir::Function, BTreeMap<u32, Vec<Ty>>), Reject> {
    lower_version(cx, code_id, an, Entry::Start, name, Deepest::Checked, true)
}

fn lower_version(
    cx: &LowerCtx<'_>,
    code_id: u32,
    an: &Analysis,
    entry: Entry,
    name: &str,
    deepest: Deepest,
    generic: bool,
) -> Result<(ir::Function, BTreeMap<u32, Vec<Ty>>), Reject> {
    let code = &cx.prog.codes[code_id as usize];
    let nl = code.nlocals as usize;
    let (nparams, ptypes): (usize, Vec<Ty>) = match entry {
        // (A [`PairArg`] takes one more.)
        Entry::Start => (an.params.len(), an.params.clone()),
        Entry::Loop(pc) => {
            let t = loop_entry_types(an, pc).ok_or("no analysis at the loop head")?;
            (t.len(), t)
        }
    };
    let mut b = FunctionBuilder::new(
        name,
        &vec![Type::I64; nparams + 1 + ndyn(&ptypes, generic) + usize::from(generic)],
        Type::I64,
    );
    let depth = b.param(nparams);
    // Block per leader, with a parameter per local and per stack slot, then one per tag.
    let mut blocks: BTreeMap<u32, Block> = BTreeMap::new();
    for (&pc, st) in &an.entries {
        let blk = b.create_block();
        for _ in 0..nl + st.stack.len() + ndyn(&st.locals, generic) + ndyn(&st.stack, generic) {
            b.append_block_param(blk, Type::I64);
        }
        blocks.insert(pc, blk);
    }
    let fail = b.create_block();
    // (DEOPT's return: a guard that fails, the depth limit — after the hot path.)
    b.set_cold(fail);
    let mut lw = Lowering {
        cx,
        an,
        code,
        raise: cx.policy.raise(),
        code_id,
        b,
        blocks,
        fail,
        raise_blocks: Vec::new(),
        site: Site(0),
        depth,
        deepest,
        item_addrs: Vec::new(),
        int_addrs: Vec::new(),
        nonneg: Vec::new(),
        counts_up: Vec::new(),
        generic,
        snapshots: BTreeMap::new(),
        dispatch: None,
        resumes: BTreeMap::new(),
        pc: 0,
        live: None,
        resume: cx.resume.filter(|r| r.writes[code_id as usize]),
        before: Vec::new(),
        exits: Vec::new(),
        unrepresentable: false,
        planned: false,
    };
    lw.prologue(entry, nparams, &ptypes)?;
    for (&pc0, st) in &an.entries {
        lw.block(pc0, st)?;
    }
    if lw.unrepresentable {
        return Err("stops where its frame holds a value the interpreter cannot take back");
    }
    if generic {
        lw.entries()?;
    }
    let snapshots = core::mem::take(&mut lw.snapshots);
    let f = lw.b.finish().map_err(|_| "internal: unterminated block")?;
    Ok((f, snapshots))
}

/// Whether a value of type `t` has a second word beside its payload: a [`Ty::Dyn`] its tag,
/// a list iterator ([`Ty::ListIter`], JIT) the position of its next item, and in a generic
/// version (ahead of time: [`BigInts`]) an int its tag, [`tag::INT`] or [`tag::BIG`].
fn two_words(t: Ty, generic: bool) -> bool {
    matches!(t, Ty::Dyn(_) | Ty::ListIter(..)) || generic && t == Ty::Int
}

/// How many of `ts` have a second word ([`two_words`]): a tag beside its payload, or a
/// list iterator's position.
fn ndyn(ts: &[Ty], generic: bool) -> usize {
    ts.iter().filter(|&&t| two_words(t, generic)).count()
}

/// The type the analysis gives an instruction's result.
fn result(t: Option<Ty>) -> Result<Ty, Reject> {
    t.ok_or("internal: no type for a result")
}

/// Whether lowering goes on to the next instruction or the block has ended.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flow {
    Next,
    End,
}

/// The state of lowering one function: the builder, a block per bytecode leader, and where
/// failing operations go.
struct Lowering<'a, 'c> {
    cx: &'c LowerCtx<'a>,
    an: &'c Analysis,
    code: &'a Code,
    raise: Option<Raise<'a>>,
    code_id: u32,
    b: FunctionBuilder,
    blocks: BTreeMap<u32, Block>,
    /// The shared DEOPT exit (JIT).
    fail: Block,
    /// One raising block per distinct exception (and operand) and source site in a function
    /// (ahead of time).
    raise_blocks: Vec<(Why, Site, Block)>,
    /// The source site calls get now (ahead of time).
    site: Site,
    /// The call depth (a parameter).
    depth: ir::Value,
    /// What happens in the deepest frame.
    deepest: Deepest,
    /// Item addresses found in the bytecode block being lowered: (list, index, address),
    /// until something may move or resize a list (a call, an append).
    item_addrs: Vec<(ir::Value, ir::Value, ir::Value)>,
    /// The same for items read or written as ints: (list, index, address of the int —
    /// the machine int of a list of ints, the payload of a value tagged as an int).
    int_addrs: Vec<(ir::Value, ir::Value, ir::Value)>,
    /// Values known not to be negative: the counters of range loops that count up from 0
    /// or more (an index among them needs no counting from the end).
    nonneg: Vec<ir::Value>,
    /// The `FOR_RANGE` instructions whose `RANGE_SETUP` starts at a constant 0 or more
    /// and steps by a positive constant.
    counts_up: Vec<u32>,
    /// This is a generic version ([`BigInts`]).
    generic: bool,
    /// Generic version: the types of the frame's slots at each instruction a fast version
    /// may move in at.
    snapshots: BTreeMap<u32, Vec<Ty>>,
    /// Generic version: the block that picks the entry (and the normal start).
    dispatch: Option<(Block, Block)>,
    /// Generic version: the block at each instruction a fast version may move in at, and
    /// the frame's types there.
    resumes: BTreeMap<u32, (Block, State)>,
    /// The instruction being lowered.
    pc: usize,
    /// Fast version with generic versions: the locals live at each instruction
    /// ([`live_locals`]).
    live: Option<(usize, Vec<u64>)>,
    /// JIT, a function whose calls cannot run again: it stops by handing its frame over.
    resume: Option<Resume<'a>>,
    /// Such a function: the frame before the instruction being lowered.
    before: Vec<Slot>,
    /// Its exits so far: (instruction, after its call) and the block.
    exits: Vec<((u32, bool), Block)>,
    /// A slot the interpreter could not take back was live at an exit.
    unrepresentable: bool,
    /// The exit being made is a planned stop ([`deopt::Site::planned`]).
    planned: bool,
}

impl<'a> Lowering<'a, '_> {
    /// JIT: where the instruction being lowered goes when it cannot go on — the shared
    /// DEOPT exit, or for a function that hands its frame over, the exit that hands over
    /// the frame before the instruction (which the interpreter then runs).
    fn stop(&mut self) -> Block {
        if self.resume.is_none() {
            return self.fail;
        }
        let before = core::mem::take(&mut self.before);
        let blk = self.exit_at(self.pc as u32, false, &before);
        self.before = before;
        blk
    }

    /// The exit that hands the interpreter this function's frame `slots` (locals, then
    /// the stack) stopped at instruction `pc` (`after_call`: at its call, the callee's
    /// frame handed over first), then returns [`DEOPT`].
    fn exit_at(&mut self, pc: u32, after_call: bool, slots: &[Slot]) -> Block {
        let Some(rs) = self.resume else {
            return self.fail;
        };
        if let Some(&(_, blk)) = self.exits.iter().find(|(k, _)| *k == (pc, after_call)) {
            return blk;
        }
        let blk = self.new_exit(rs, pc, after_call, slots);
        self.exits.push(((pc, after_call), blk));
        blk
    }

    /// [`Lowering::exit_at`], a new block.
    fn new_exit(&mut self, rs: Resume<'_>, pc: u32, after_call: bool, slots: &[Slot]) -> Block {
        let nl = self.code.nlocals as usize;
        let (words, live) = self.live.get_or_insert_with(|| live_locals(self.code));
        // The locals the interpreter may read from where it goes on.
        let from = pc as usize + usize::from(after_call);
        let at = &live[from * *words..(from + 1) * *words];
        let mut kinds = Vec::with_capacity(slots.len());
        let mut values = Vec::new();
        for (i, s) in slots.iter().enumerate() {
            let dead = i < nl && at[i / 64] & (1 << (i % 64)) == 0;
            let k = match s.1 {
                _ if dead => deopt::Kind::Unbound,
                Ty::Unset | Ty::Never => deopt::Kind::Unbound,
                Ty::Int => deopt::Kind::Int,
                Ty::Bool => deopt::Kind::Bool,
                Ty::List(..) => deopt::Kind::List,
                Ty::Range => deopt::Kind::Range,
                Ty::RangeIter => deopt::Kind::Iter,
                Ty::Func(f) => deopt::Kind::Func(f),
                Ty::NoneV if self.raise.is_none() => deopt::Kind::None,
                Ty::Kept => deopt::Kind::Kept,
                Ty::ListIter(..) => match s.2 {
                    Some(pos) => {
                        values.push(s.0);
                        values.push(pos);
                        kinds.push(deopt::Kind::ListIter);
                        continue;
                    }
                    None => deopt::Kind::Iter,
                },
                _ => {
                    self.unrepresentable = true;
                    deopt::Kind::Unbound
                }
            };
            if k.words() == 1 {
                values.push(s.0);
            }
            kinds.push(k);
        }
        let id = {
            let mut sites = rs.sites.borrow_mut();
            sites.push(deopt::Site {
                code: self.code_id,
                pc,
                after_call,
                slots: kinds,
                planned: self.planned,
            });
            sites.len() as i64 - 1
        };
        let here = self.b.current_block();
        let blk = self.b.create_block();
        self.b.set_cold(blk);
        self.b.switch_to(blk);
        let b = &mut self.b;
        let ctx = b.iconst(rs.ctx);
        let buf = b.load(ctx, deopt::CTX_BUF, Width::U64);
        let used = b.load(ctx, deopt::CTX_LEN, Width::U64);
        let three = b.iconst(3);
        let off = b.binary(ir::BinOp::Shl, used, three);
        let at = b.add(buf, off);
        let site = b.iconst(id);
        b.store(at, 0, site, Width::U64);
        for (k, &v) in values.iter().enumerate() {
            b.store(at, 8 * (k as i32 + 1), v, Width::U64);
        }
        let n = b.iconst(values.len() as i64 + 1);
        let used = b.add(used, n);
        b.store(ctx, deopt::CTX_LEN, used, Width::U64);
        let d = b.iconst(DEOPT);
        b.ret(d);
        self.b.switch_to(here);
        blk
    }

    /// JIT, after a call whose result is `r`: DEOPT hands this function's frame over too
    /// — stopped after the call when the callee handed its own over, else before it (the
    /// interpreter makes the call again: the callee changed nothing it can see).
    fn deopt_after_call(&mut self, fr: &Frame, r: ir::Value, callee_hands_over: bool) {
        let to = if callee_hands_over {
            self.exit_at(self.pc as u32, true, &fr.slots())
        } else {
            self.stop()
        };
        let d = self.b.iconst(DEOPT);
        let bad = self.b.cmp(Cmp::Eq, r, d);
        let ok = self.b.create_block();
        self.b.branch(bad, to, &[], ok, &[]);
        self.b.switch_to(ok);
    }

    /// Where a failing operation goes: the shared DEOPT exit (JIT), or a block that raises.
    fn raise_to(&mut self, why: Why) -> Block {
        let Some(r) = self.raise else {
            return self.stop();
        };
        let site = self.site;
        if let Some(&(.., blk)) = self
            .raise_blocks
            .iter()
            .find(|(w, s, _)| *w == why && *s == site)
        {
            return blk;
        }
        let b = &mut self.b;
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
        self.raise_blocks.push((why, site, blk));
        blk
    }

    /// Calls lowered from now on are at `site` (ahead of time; the JIT has no sites).
    fn set_site(&mut self, site: Site) {
        if self.raise.is_some() {
            self.site = site;
            self.b.set_site(site);
        }
    }

    /// Calls lowered from now on are at the instruction at `pc`.
    fn at_pc(&mut self, pc: usize) {
        if let Some(r) = self.raise {
            self.set_site((r.site)(self.code_id, pc as u32));
        }
    }

    /// The message number of one of the fixed exceptions (0 for the JIT, which deopts).
    fn msg(&self, f: fn(&Raise) -> i64) -> Why {
        Why::Msg(self.raise.as_ref().map_or(0, f))
    }

    /// The message number of any other exception.
    fn intern(&self, e: &Exception) -> Why {
        Why::Msg(self.raise.as_ref().map_or(0, |r| (r.intern)(e)))
    }

    /// Branches to the failure exit of `why` when `bad` holds, and goes on otherwise.
    /// A builtin spends `levels` of recursion, as in CPython (see the interpreter's
    /// `builtin_depth`; this frame's `depth` is the interpreter's frame count): the first
    /// level past the limit raises its error.
    fn builtin_depth(&mut self, levels: &[Level]) {
        for (i, l) in levels.iter().enumerate() {
            let limit = self.b.iconst(DEPTH_LIMIT - 1 - i as i64);
            let deep = self.b.cmp(Cmp::Ge, self.depth, limit);
            let why = self.intern(&l.error());
            self.fail_if(deep, why);
        }
    }

    fn fail_if(&mut self, bad: ir::Value, why: Why) {
        let ok = self.b.create_block();
        let f = self.raise_to(why);
        self.b.branch(bad, f, &[], ok, &[]);
        self.b.switch_to(ok);
    }

    /// Ends the block with a jump to bytecode block `target`, carrying the frame.
    fn goto(&mut self, target: u32, fr: &Frame) -> Result<(), Reject> {
        let tb = *self
            .blocks
            .get(&target)
            .ok_or("jump to an unanalyzed block")?;
        let a = args_for(&mut self.b, fr, &self.an.entries[&target], self.generic)?;
        // Going on into a block nothing jumps to (a loop's body after its FOR_RANGE): its
        // parameters are these arguments, what is known of them too.
        if target == self.pc as u32 + 1
            && a.iter().any(|v| self.nonneg.contains(v))
            && !jumped_to(self.code, target)
        {
            let params = self.b.block_params(tb).to_vec();
            for (v, p) in a.iter().zip(params) {
                if self.nonneg.contains(v) {
                    self.nonneg.push(p);
                }
            }
        }
        self.b.jump(tb, &a);
        Ok(())
    }

    /// Entry: the depth check, then a jump to the first block with the arguments; and the
    /// DEOPT exit.
    fn prologue(&mut self, entry: Entry, nparams: usize, ptypes: &[Ty]) -> Result<(), Reject> {
        let nl = self.code.nlocals as usize;
        let go = self.b.create_block();
        let mut deep_stop = None;
        self.set_site(TRANSPARENT);
        match self.deepest {
            Deepest::Checked => {
                let limit = self.b.iconst(DEPTH_LIMIT);
                let deep = self.b.cmp(Cmp::Ge, self.depth, limit);
                let too_deep = self.raise_to(self.msg(|r| r.recursion));
                self.b.branch(deep, too_deep, &[], go, &[]);
            }
            Deepest::Deopt => {
                let limit = self.b.iconst(DEPTH_LIMIT - 1);
                let deep = self.b.cmp(Cmp::Ge, self.depth, limit);
                let to = match self.resume {
                    // (The frame as it enters: see below.)
                    Some(_) => *deep_stop.insert(self.b.create_block()),
                    None => self.fail,
                };
                self.b.branch(deep, to, &[], go, &[]);
            }
            Deepest::Redirect(variant) => {
                // The same call, to the variant that checks (and raises past the limit).
                let limit = self.b.iconst(DEPTH_LIMIT - 1);
                let deep = self.b.cmp(Cmp::Ge, self.depth, limit);
                let redirect = self.b.create_block();
                // (Laid out after the hot path: taken only at the recursion limit.)
                self.b.set_cold(redirect);
                self.b.branch(deep, redirect, &[], go, &[]);
                self.b.switch_to(redirect);
                let n = self.b.signature().params.len();
                let args: Vec<ir::Value> = (0..n).map(|i| self.b.param(i)).collect();
                let mut r = self.b.call(variant, Type::I64, &args);
                if self.cx.big.is_some() && !self.generic {
                    r = self.pass_landing_on(r);
                }
                self.b.ret(r);
            }
        }
        self.b.switch_to(go);
        let zero = self.b.iconst(0);
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
            let tag = two_words(t, self.generic).then(|| {
                next_tag += 1;
                self.b.param(next_tag - 1)
            });
            first.locals.push((self.b.param(i), t, tag));
        }
        // A [`PairArg`]'s second: on the stack (above a fold's values, below).
        let pair_second = match (entry, self.an.pair_self) {
            (Entry::Start, Some(_)) => Some(first.locals.remove(self.code.nparams as usize)),
            _ => None,
        };
        // A loop entry's stack: the iterators of the `for` loops it is in (or its own).
        for s in first.locals.split_off(nl.min(first.locals.len())) {
            // (A comprehension's list is below its iterator.)
            let list = matches!(s.1, Ty::ListIter(..) if s.2.is_some());
            let word = matches!(s.1, Ty::RangeIter | Ty::List(..) | Ty::Int | Ty::Bool);
            if !(list || word) {
                return Err("enters a loop in a `for` over something other than a list or range");
            }
            first.push(s);
        }
        first.locals.resize(nl, (zero, Ty::Unset, None));
        // A folded generator's builtin starts with nothing kept: a sum of 0, no item.
        if let (Entry::Start, Some(c)) = (entry, self.an.consumer) {
            for &t in c.kept() {
                // (list(…)'s list: a new one.)
                let v = match t {
                    Ty::List(..) => {
                        let l = self.lists()?;
                        self.b.call_host(l.new, Type::I64, &[l.ctx_v])
                    }
                    _ => zero,
                };
                first.push((v, t, None));
            }
        }
        if let Some(s) = pair_second {
            first.push(s);
        }
        if let (Some(blk), Some(rs)) = (deep_stop, self.resume) {
            // The deepest frame runs in the interpreter from where it was entered.
            let e = self.new_exit(rs, start_pc, false, &first.slots());
            let here = self.b.current_block();
            self.b.switch_to(blk);
            self.b.jump(e, &[]);
            self.b.switch_to(here);
        }
        for &(slot, v) in self.cx.fixed {
            if let Some(l) = first.locals.get_mut(slot as usize)
                && l.1 == Ty::Int
            {
                l.0 = self.b.iconst(v);
            }
        }
        let start = *self
            .blocks
            .get(&start_pc)
            .ok_or("no block at the entry point")?;
        let a = args_for(
            &mut self.b,
            &first,
            &self.an.entries[&start_pc],
            self.generic,
        )?;
        if self.generic {
            // A call (entry -1) starts here; a fast version moving in goes to its entry.
            let (normal, pick) = (self.b.create_block(), self.b.create_block());
            let n = self.b.signature().params.len();
            let which = self.b.param(n - 1);
            let z = self.b.iconst(0);
            let moved = self.b.cmp(Cmp::Ge, which, z);
            self.b.branch(moved, pick, &[], normal, &[]);
            self.b.switch_to(normal);
            self.dispatch = Some((pick, normal));
        }
        self.b.jump(start, &a);
        self.b.switch_to(self.fail);
        let d = self.b.iconst(DEOPT);
        self.b.ret(d);
        Ok(())
    }

    /// Generic version: an entry for each instruction a fast version may move in at. The
    /// frame comes from the transfer cells (a payload and a tag per slot, locals first).
    fn entries(&mut self) -> Result<(), Reject> {
        let (Some((pick, normal)), Some(big)) = (self.dispatch, self.cx.big) else {
            return Err("internal: a generic version without its entry");
        };
        let nl = self.code.nlocals as usize;
        let n = self.b.signature().params.len();
        let which = self.b.param(n - 1);
        let points: Vec<(u32, Vec<Ty>)> = self
            .snapshots
            .iter()
            .map(|(&pc, t)| (pc, t.clone()))
            .collect();
        let resumes = core::mem::take(&mut self.resumes);
        self.b.switch_to(pick);
        let rs = self.raise.ok_or("internal: no cells")?;
        let kinds = points.into_iter().flat_map(|(pc, types)| {
            let after_call = pc > 0 && self.code.instrs[pc as usize - 1].op == Op::Call;
            let both = [(pc, types.clone(), false), (pc, types, true)];
            both.into_iter().filter(move |e| !e.2 || after_call)
        });
        for (pc, types, after_call) in kinds.collect::<Vec<_>>() {
            let (here, next) = (self.b.create_block(), self.b.create_block());
            let k = self.b.iconst(entry_id(pc, after_call));
            let c = self.b.cmp(Cmp::Eq, which, k);
            self.b.branch(c, here, &[], next, &[]);
            self.b.switch_to(here);
            let mut slots = Vec::new();
            for (i, &t) in types.iter().enumerate() {
                if after_call && i + 1 == types.len() {
                    // The call's result, handed back in the pending cells.
                    let cell = self.b.iconst(big.pending);
                    let v = self.b.call_host(big.hosts.take, Type::I64, &[cell]);
                    let tag = self.b.call_host(rs.get_tag, Type::I64, &[]);
                    slots.push((v, t, two_words(t, true).then_some(tag)));
                    continue;
                }
                let cell = self.b.iconst(big.xfer + 2 * i as i64);
                let v = self.b.call_host(rs.cell_get, Type::I64, &[cell]);
                let tag = if two_words(t, true) {
                    let cell = self.b.iconst(big.xfer + 2 * i as i64 + 1);
                    Some(self.b.call_host(rs.cell_get, Type::I64, &[cell]))
                } else {
                    None
                };
                slots.push((v, t, tag));
            }
            let stack = slots.split_off(nl.min(slots.len()));
            let mut fr = Frame {
                stack: VirtualStack::new(),
                types: Vec::new(),
                tags: Vec::new(),
                locals: slots,
            };
            for s in stack {
                fr.push(s);
            }
            let (blk, st) = resumes
                .get(&pc)
                .ok_or("internal: an entry without its block")?;
            let a = args_for(&mut self.b, &fr, st, true)?;
            self.b.jump(*blk, &a);
            self.b.switch_to(next);
        }
        self.b.jump(normal, &[]);
        Ok(())
    }

    /// Generic version, at an instruction a fast version may move in at: a block of its
    /// own there, which the entry for it jumps to with the frame from the cells. The frame
    /// from here on.
    fn resume_point(&mut self, fr: Frame, pc: u32) -> Result<Frame, Reject> {
        let nl = self.code.nlocals as usize;
        let st = State {
            locals: fr.locals.iter().map(|s| s.1).collect(),
            stack: fr.types.clone(),
        };
        let b = &mut self.b;
        let blk = b.create_block();
        let n = nl + st.stack.len() + ndyn(&st.locals, true) + ndyn(&st.stack, true);
        for _ in 0..n {
            b.append_block_param(blk, Type::I64);
        }
        let a = args_for(b, &fr, &st, true)?;
        b.jump(blk, &a);
        b.switch_to(blk);
        let params = b.block_params(blk).to_vec();
        let fr = Frame::at_block(&params, &st, nl, true);
        let types = st.locals.iter().chain(&st.stack).copied().collect();
        self.snapshots.insert(pc, types);
        self.resumes.insert(pc, (blk, st));
        Ok(fr)
    }

    /// Lowers the bytecode block that starts at `pc0`, whose entry state is `st`.
    fn block(&mut self, pc0: u32, st: &State) -> Result<(), Reject> {
        let nl = self.code.nlocals as usize;
        let blk = self.blocks[&pc0];
        self.b.switch_to(blk);
        self.forget_item_addrs();
        let params: Vec<ir::Value> = self.b.block_params(blk).to_vec();
        let fr = Frame::at_block(&params, st, nl, self.generic);
        self.lower_from(fr, pc0 as usize)
    }

    /// Lowers the rest of a bytecode block from `pc` on, with the frame `fr` there.
    fn lower_from(&mut self, mut fr: Frame, pc: usize) -> Result<(), Reject> {
        let an = self.an;
        let mut pc = pc;
        loop {
            self.at_pc(pc);
            self.pc = pc;
            let ins = self.code.instrs[pc];
            if self.generic
                && (overflows(self.code, pc)
                    || pc > 0 && self.code.instrs[pc - 1].op == Op::Call
                    || ins.op == Op::LoadGlobal && self.big_global(ins.a).is_some())
            {
                fr = self.resume_point(fr, pc as u32)?;
            }
            if self.resume.is_some() {
                self.before = fr.slots();
            }
            if an.stops.get(pc) == Some(&true) {
                // What compiled code cannot do: the interpreter goes on from here.
                self.planned = true;
                let to = self.stop();
                self.planned = false;
                self.b.jump(to, &[]);
                return Ok(());
            }
            if let Some(e) = an.raises.get(pc).and_then(Option::as_ref) {
                let f = self.raise_to(self.intern(e));
                self.b.jump(f, &[]);
                return Ok(());
            }
            if self.step(&mut fr, pc)? == Flow::End {
                return Ok(());
            }
            pc += 1;
            if an.entries.contains_key(&(pc as u32)) {
                return self.goto(pc as u32, &fr);
            }
        }
    }

    /// Lowers the instruction at `pc`.
    fn step(&mut self, fr: &mut Frame, pc: usize) -> Result<Flow, Reject> {
        let ins = self.code.instrs[pc];
        let pushed = self.an.pushed.get(pc).copied().flatten();
        let graph = self.cx.policy.graph();
        match ins.op {
            Op::Nop => {}
            Op::LoadConst => self.load_const(fr, ins.a)?,
            // (A [`PairArg`]'s `.0`: its second beside it.)
            Op::LoadFast if self.an.pair_self == Some(pc as u32) => {
                let at = self.an.consumer.map_or(0, |c| c.kept().len());
                let second = (
                    *fr.stack.to_args().get(at).ok_or("stack underflow")?,
                    *fr.types.get(at).ok_or("stack underflow")?,
                    None,
                );
                self.load_fast(fr, 0, pushed)?;
                fr.push(second);
            }
            Op::LoadFast => self.load_fast(fr, ins.a, pushed)?,
            Op::StoreFast => {
                fr.locals[ins.a as usize] = fr.pop()?;
            }
            Op::LoadGlobal | Op::StoreGlobal
                if graph.is_some_and(|g| g.memory.contains_key(&ins.a)) =>
            {
                self.global_cell(fr, ins, pushed)?
            }
            Op::LoadGlobal => {
                let v = match self.cx.globals[ins.a as usize] {
                    Value::Int(i) => self.b.iconst(i),
                    Value::Bool(x) => self.b.iconst(x as i64),
                    Value::Func(f) => self.b.iconst(f as i64), // marker; consumed by CALL
                    _ => return Err("global"),
                };
                fr.push((v, result(pushed)?, None));
            }
            Op::MakeFunction => {
                let v = self.b.iconst(ins.a as i64);
                fr.push((v, Ty::Func(ins.a), None));
            }
            Op::BinaryOp => self.binary_op(fr, BinOp::ALL[ins.a as usize], ins.b == 1, pushed)?,
            Op::CompareOp => self.compare_op(fr, CmpOp::ALL[ins.a as usize], ins.b != 0)?,
            Op::UnaryNegative | Op::UnaryPositive | Op::UnaryInvert | Op::UnaryNot => {
                self.unary_op(fr, ins.op)?
            }
            Op::PopJumpIfFalse | Op::PopJumpIfTrue | Op::JumpIfFalseOrPop | Op::JumpIfTrueOrPop => {
                self.cond_jump(fr, pc, ins)?;
                return Ok(Flow::End);
            }
            Op::JumpForward | Op::JumpBackward => {
                self.goto(ins.a, fr)?;
                return Ok(Flow::End);
            }
            Op::Call => {
                // `return f(…)` in one block: the result is returned as it is, DEOPT
                // included (which the caller checks), so a self-call is a tail call.
                let next = pc as u32 + 1;
                let tail = self.code.instrs.get(pc + 1).map(|i| i.op) == Some(Op::ReturnValue)
                    && !self.an.entries.contains_key(&next);
                self.call(fr, ins.a as usize, pushed, tail)?
            }
            Op::CallPrint if self.cx.policy.print().is_some() => {
                self.builtin_depth(Builtin::Print.recursion_levels());
                self.call_print(fr, ins.a, ins.b)?
            }
            Op::UnpackSequence if pc > 0 && divmod_unpacked(self.code, pc - 1) => {}
            Op::BuildTuple if tuple_swap(self.code, pc) => {
                let mut top = fr.pop_n(ins.a as usize)?;
                top.reverse();
                top.into_iter().for_each(|s| fr.push(s));
            }
            Op::UnpackSequence if pc > 0 && tuple_swap(self.code, pc - 1) => {}
            // (`xs.append`, `xs.pop`: the list stays where it is for CALL_METHOD.)
            Op::LoadMethod if self.raise.is_none() => {}
            Op::CallMethod if self.raise.is_none() => self.list_method(fr, ins, pushed)?,
            Op::ContainsOp if self.raise.is_none() => {
                let (c, x) = (fr.pop()?, fr.pop()?);
                let l = self.lists()?;
                let found = self
                    .b
                    .call_host(l.contains, Type::I64, &[l.ctx_v, c.0, x.0]);
                self.deopt_if_deopt(found);
                let r = if ins.a == 1 {
                    let one = self.b.iconst(1);
                    self.b.binary(ir::BinOp::Xor, found, one)
                } else {
                    found
                };
                fr.push((r, Ty::Bool, None));
            }
            // The builtin that takes a folded generator: the call before returned its
            // result ([`Consumer`]).
            Op::CallBuiltin if pc > 0 && self.an.fused.contains(&(pc as u32 - 1)) => {}
            Op::CallBuiltin if self.raise.is_none() && pair_loop(self.code, pc).is_some() => {
                self.pair_iter(fr, ins)?
            }
            Op::GetIter if pc > 0 && pair_loop(self.code, pc - 1).is_some() => {}
            Op::CallBuiltin if self.an.pair_calls.iter().any(|p| p.0 == pc as u32 + 1) => {
                self.pair_iter(fr, ins)?
            }
            Op::GetIter if self.an.pair_calls.iter().any(|p| p.0 == pc as u32) => {}
            Op::ForIter if pc > 0 && self.an.pair_self == Some(pc as u32 - 1) => {
                self.pair_next(fr, ins)?
            }
            Op::UnpackSequence if pc > 1 && self.an.pair_self == Some(pc as u32 - 2) => {}
            Op::UnpackSequence if pc > 2 && pair_loop(self.code, pc - 3).is_some() => {}
            Op::CallBuiltin => self.call_builtin(fr, ins, pushed)?,
            Op::YieldValue => self.fold(fr)?,
            Op::ReturnValue if self.an.consumer.is_some() => {
                self.fold_end(fr)?;
                return Ok(Flow::End);
            }
            // Cells only folded generators read: plain locals (`Analyzer::cell`).
            Op::MakeCell => {}
            Op::LoadDeref | Op::LoadClosure => self.load_fast(fr, ins.a, pushed)?,
            Op::StoreDeref => {
                fr.locals[ins.a as usize] = fr.pop()?;
            }
            Op::ReturnValue => {
                self.return_value(fr)?;
                return Ok(Flow::End);
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
                self.builtin_depth(Builtin::RANGE_LEVELS);
                self.range_setup(fr, ins)?
            }
            Op::ForRange => self.for_range(fr, ins)?,
            Op::BuildList => self.build_list(fr, ins.a as usize, pushed)?,
            // `x[lo:hi:step]` of a list: a new one ([`crate::jitobj::list_slice`]).
            Op::BinarySubscr if ins.b == 1 => {
                let bounds = fr.pop_n(3)?;
                let x = fr.pop()?;
                let l = self.lists()?;
                let mut given = 0;
                let mut args = vec![l.ctx_v, x.0];
                for (k, s) in bounds.iter().enumerate() {
                    if s.1 != Ty::NoneV {
                        given |= 1 << k;
                    }
                    args.push(s.0);
                }
                args.push(self.b.iconst(given));
                let r = self.b.call_host(l.slice, Type::I64, &args);
                self.deopt_if_deopt(r);
                fr.push((r, result(pushed)?, None));
            }
            Op::BinarySubscr => {
                let (i, x) = (fr.pop()?, fr.pop()?);
                let r = self.list_item(x.0, i.0, list_elem(x.1)?.want())?;
                fr.push((r, result(pushed)?, None));
            }
            Op::StoreSubscr => {
                let (i, x, v) = (fr.pop()?, fr.pop()?, fr.pop()?);
                self.list_store(x.0, i.0, kind_of(v.1), v.0)?;
            }
            Op::ListAppend => {
                let v = fr.pop()?;
                let n = ins.a as usize + pair_depth(self.code, self.an.pair_self, pc);
                let at = fr.stack.depth().checked_sub(n);
                let list = at
                    .and_then(|at| fr.stack.to_args().get(at).copied())
                    .ok_or("stack underflow")?;
                let l = self.lists()?;
                let kind = self.b.iconst(kind_of(v.1));
                self.b
                    .call_host(l.push, Type::I64, &[l.ctx_v, list, kind, v.0]);
                self.forget_item_addrs();
            }
            Op::GetIter => {
                let x = fr.pop()?;
                let l = self.lists()?;
                // A list's in place: the list and the position of the next item (the
                // iterator's second word); else an iterator object.
                let it = match (x.1, l.layout) {
                    (Ty::Range, _) => (
                        self.b.call_host(l.range_iter, Type::I64, &[l.ctx_v, x.0]),
                        None,
                    ),
                    (Ty::List(e, _), Some(layout)) => {
                        // Asked once here, as a list only ever turns into one of values.
                        // (A list read as another kind than it keeps would seem empty.)
                        self.guard_read_as(&l, layout, x.0, e);
                        (x.0, Some(self.b.iconst(0)))
                    }
                    (_, Some(_)) => (x.0, Some(self.b.iconst(0))),
                    (_, None) => (self.b.call_host(l.iter, Type::I64, &[l.ctx_v, x.0]), None),
                };
                fr.push((it.0, result(pushed)?, it.1));
            }
            Op::ForIter if pc > 1 && pair_loop(self.code, pc - 2).is_some() => {
                self.pair_next(fr, ins)?
            }
            Op::ForIter => self.for_iter(fr, ins, pushed)?,
            _ => return Err("unsupported instruction"),
        }
        Ok(Flow::Next)
    }

    fn load_const(&mut self, fr: &mut Frame, k: u32) -> Result<(), Reject> {
        let b = &mut self.b;
        let print = self.cx.policy.print();
        let s = match (&self.code.consts[k as usize], print) {
            (Const::Int(i), _) => (b.iconst(*i), Ty::Int, None),
            (Const::Bool(x), _) => (b.iconst(*x as i64), Ty::Bool, None),
            (Const::Str(k), Some(pr)) => {
                let rank = *pr.ranks.get(*k as usize).ok_or("string")?;
                (b.iconst(rank), Ty::Str(*k), None)
            }
            (Const::None, _) => (b.iconst(0), Ty::NoneV, None),
            (Const::Big(n), _) => return self.big_literal(fr, n),
            _ => return Err("constant"),
        };
        fr.push(s);
        Ok(())
    }

    /// An int literal past 64 bits: a generic version makes it (the runtime library parses
    /// its digits); a fast version moves into the generic version here.
    fn big_literal(&mut self, fr: &mut Frame, n: &num_bigint::BigInt) -> Result<(), Reject> {
        const PAST: &str =
            "uses an int literal past 64 bits (ints are 64-bit without generic versions)";
        let big = self.cx.big.ok_or(PAST)?;
        if self.generic {
            let digits = alloc::format!("{n}");
            let rs = self.raise.ok_or(PAST)?;
            let k = (rs.intern_text)(digits.as_bytes());
            let b = &mut self.b;
            let k = b.iconst(k);
            let at = b.call_host(big.hosts.text, Type::I64, &[k]);
            let r = b.call_host(big.hosts.parse, Type::I64, &[at]);
            let (r, t) = self.big_result(r)?;
            fr.push((r, Ty::Int, Some(t)));
            return Ok(());
        }
        let f = self.transfer(self.pc as u32, &fr.slots()).ok_or(PAST)?;
        self.b.jump(f, &[]);
        // What follows is never reached: lowered on in a block of its own, for shape.
        let dead = self.b.create_block();
        self.b.switch_to(dead);
        let z = self.b.iconst(0);
        fr.push((z, Ty::Int, None));
        Ok(())
    }

    fn load_fast(&mut self, fr: &mut Frame, slot: u32, pushed: Option<Ty>) -> Result<(), Reject> {
        let (v, t, tag) = fr.locals[slot as usize];
        let r = result(pushed)?;
        if bits(t).is_some_and(|k| k & B_UNSET != 0) {
            let tag = tag.ok_or("internal: a value without a tag")?;
            let u = self.b.iconst(tag::UNSET);
            let c = self.b.cmp(Cmp::Eq, tag, u);
            let types: Vec<Ty> = fr.locals.iter().map(|s| s.1).collect();
            let e = unbound(self.cx.prog, self.code, slot, &types, self.cx.globals);
            let why = self.intern(&e);
            self.fail_if(c, why);
        }
        fr.push((
            v,
            r,
            if two_words(r, self.generic) {
                tag
            } else {
                None
            },
        ));
        Ok(())
    }

    /// Ahead of time with generic versions: global `a`, kept in memory cells, holds ints
    /// ([`Ty::Int`]), which may be big. Its first cell holds the int, or i64::MIN when the second holds
    /// what that stands for: a big int's address, or 0 for i64::MIN itself. Fast versions
    /// read one cell and move into the generic version when it holds i64::MIN.
    /// A global of several kinds that may hold ints ([`Ty::Dyn`]) holds a big one as its
    /// tag cell says (BIG): fast versions move into the generic version where they read
    /// that tag. The global's type, for those two.
    fn big_global(&self, a: u32) -> Option<Ty> {
        self.cx.big?;
        let t = *self.cx.policy.graph()?.memory.get(&a)?;
        match t {
            Ty::Int => Some(t),
            Ty::Dyn(m) if m & B_INT != 0 => Some(t),
            _ => None,
        }
    }

    /// `global = s` for a [`Ty::Int`] [`Lowering::big_global`] in cells `cell` and `cell + 1`.
    fn store_int_cell(&mut self, s: Slot, cell: i64) -> Result<(), Reject> {
        let rs = self.raise.ok_or("internal: no cells")?;
        let generic = self.generic;
        let b = &mut self.b;
        let (v, tag) = conform(b, s, Ty::Int, generic)?;
        let (k, k2) = (b.iconst(cell), b.iconst(cell + 1));
        let min = b.iconst(i64::MIN);
        match tag {
            Some(t) => {
                let bigk = b.iconst(tag::BIG);
                let big = b.cmp(Cmp::Eq, t, bigk);
                let z = b.iconst(0);
                let first = b.select(big, min, v);
                let second = b.select(big, v, z);
                b.call_host(rs.cell_set, Type::I64, &[k, first]);
                b.call_host(rs.cell_set, Type::I64, &[k2, second]);
            }
            None => {
                b.call_host(rs.cell_set, Type::I64, &[k, v]);
                // i64::MIN itself says so in the second cell, which may still hold the
                // address of a big int stored before.
                let (genuine, cont) = (b.create_block(), b.create_block());
                b.set_cold(genuine);
                let c = b.cmp(Cmp::Eq, v, min);
                b.branch(c, genuine, &[], cont, &[]);
                b.switch_to(genuine);
                let z = b.iconst(0);
                b.call_host(rs.cell_set, Type::I64, &[k2, z]);
                b.jump(cont, &[]);
                b.switch_to(cont);
            }
        }
        Ok(())
    }

    /// Reads a [`Ty::Int`] [`Lowering::big_global`] in cells `cell` and `cell + 1`: in the generic
    /// version the int and its tag; in a fast one the int, moving into the generic
    /// version at this instruction when the cell says it is big.
    fn load_int_cell(&mut self, fr: &mut Frame, cell: i64) -> Result<(), Reject> {
        let rs = self.raise.ok_or("internal: no cells")?;
        let b = &mut self.b;
        let k = b.iconst(cell);
        let first = b.call_host(rs.cell_get, Type::I64, &[k]);
        let min = b.iconst(i64::MIN);
        let is_min = b.cmp(Cmp::Eq, first, min);
        if self.generic {
            let k2 = b.iconst(cell + 1);
            let second = b.call_host(rs.cell_get, Type::I64, &[k2]);
            let z = b.iconst(0);
            let address = b.select(is_min, second, z);
            let big = b.cmp(Cmp::Ne, address, z);
            let v = b.select(big, address, first);
            let (bigk, intk) = (b.iconst(tag::BIG), b.iconst(tag::INT));
            let t = b.select(big, bigk, intk);
            fr.push((v, Ty::Int, Some(t)));
            return Ok(());
        }
        let (slow, cont) = (b.create_block(), b.create_block());
        b.set_cold(slow);
        b.branch(is_min, slow, &[], cont, &[]);
        b.switch_to(slow);
        match self.transfer_at(self.pc as u32, &fr.slots(), false) {
            Some(f) => self.b.jump(f, &[]),
            None => {
                let b = &mut self.b;
                let k2 = b.iconst(cell + 1);
                let second = b.call_host(rs.cell_get, Type::I64, &[k2]);
                let z = b.iconst(0);
                let big = b.cmp(Cmp::Ne, second, z);
                self.fail_if(big, self.msg(|r| r.overflow));
                self.b.jump(cont, &[]);
            }
        }
        self.b.switch_to(cont);
        fr.push((first, Ty::Int, None));
        Ok(())
    }

    /// A global kept in memory cells ahead of time (one that functions store to).
    fn global_cell(
        &mut self,
        fr: &mut Frame,
        ins: Instr,
        pushed: Option<Ty>,
    ) -> Result<(), Reject> {
        let (Some(g), Some(rs)) = (self.cx.policy.graph(), self.raise) else {
            return Err("internal: a memory global without its cells");
        };
        let cell = 2 * g.memory.keys().position(|&k| k == ins.a).unwrap_or(0) as i64;
        let ty = g.memory[&ins.a];
        let dynamic = matches!(ty, Ty::Dyn(_));
        let big = self.big_global(ins.a);
        if big == Some(Ty::Int) {
            return match ins.op {
                Op::StoreGlobal => {
                    let s = fr.pop()?;
                    self.store_int_cell(s, cell)
                }
                _ => self.load_int_cell(fr, cell),
            };
        }
        if ins.op == Op::StoreGlobal {
            let s = fr.pop()?;
            // (A global of several kinds holds a big int as its tag says: BIG. Any other
            // would not survive the cells: fast versions read them too.)
            if big.is_none() {
                self.small_only(s)?;
            }
            let b = &mut self.b;
            let (v, t) = conform(b, s, ty, false)?;
            let k = b.iconst(cell);
            b.call_host(rs.cell_set, Type::I64, &[k, v]);
            if let Some(t) = t {
                let k = b.iconst(cell + 1);
                b.call_host(rs.cell_set, Type::I64, &[k, t]);
            }
            return Ok(());
        }
        let b = &mut self.b;
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
            let name = &self.cx.prog.globals[ins.a as usize];
            let types: Vec<Ty> = fr.locals.iter().map(|s| s.1).collect();
            let e = name_error(self.cx.prog, self.code, &types, self.cx.globals, name);
            let why = self.intern(&e);
            self.fail_if(c, why);
        }
        if let (Some(t), Some(_), false) = (tag, big, self.generic) {
            // A big int: the rest of the call runs in the generic version, from here.
            let b = &mut self.b;
            let bigk = b.iconst(tag::BIG);
            let c = b.cmp(Cmp::Eq, t, bigk);
            let (slow, cont) = (b.create_block(), b.create_block());
            b.set_cold(slow);
            b.branch(c, slow, &[], cont, &[]);
            b.switch_to(slow);
            let f = match self.transfer_at(self.pc as u32, &fr.slots(), false) {
                Some(f) => f,
                None => self.raise_to(self.msg(|r| r.overflow)),
            };
            self.b.jump(f, &[]);
            self.b.switch_to(cont);
        }
        let r = result(pushed)?;
        // (In the generic version an int read from a global of several kinds keeps its
        // tag: it may be BIG.)
        let keep = two_words(r, self.generic) && tag.is_some();
        fr.push((v, r, if keep { tag } else { None }));
        Ok(())
    }

    fn binary_op(
        &mut self,
        fr: &mut Frame,
        op: BinOp,
        in_place: bool,
        pushed: Option<Ty>,
    ) -> Result<(), Reject> {
        let (sy, sx) = (fr.pop()?, fr.pop()?);
        if let (Ty::List(..), _) | (_, Ty::List(..)) = (sx.1, sy.1) {
            let (x, n) = if matches!(sx.1, Ty::List(..)) {
                (sx.0, sy.0)
            } else {
                (sy.0, sx.0)
            };
            let r = self.list_repeat(x, n)?;
            fr.push((r, result(pushed)?, None));
            return Ok(());
        }
        if !is_num(sx.1) || !is_num(sy.1) {
            // Kinds known only at run time: numbers go on, anything else raises.
            let fails = |p, q| value::binary_op_of(op, in_place, p, q).err();
            self.check_kinds(sx, sy, false, &fails)?;
        }
        let rt = result(pushed)?;
        if self.generic {
            if rt == Ty::Int {
                let (r, t) = self.big_binary_op(op, sx, sy)?;
                fr.push((r, rt, Some(t)));
                return Ok(());
            }
            // A bitwise operation on bools (or on values of several kinds) needs machine
            // ints.
            self.small_only(sx)?;
            self.small_only(sy)?;
        }
        let xfer = self.transfer_with_operands(fr, sx, sy);
        let r = self.arithmetic(op, sx.0, sy.0, xfer);
        // Bitwise on two bools is a bool: which, when the kinds are known only at run time,
        // the tags tell.
        let tag = if matches!(rt, Ty::Dyn(_)) {
            let b = &mut self.b;
            let bk = b.iconst(tag::BOOL);
            let (ta, tb) = (tag_value(b, sx)?, tag_value(b, sy)?);
            let (ca, cb) = (b.cmp(Cmp::Eq, ta, bk), b.cmp(Cmp::Eq, tb, bk));
            let (ia, ib) = (zero_one(b, ca), zero_one(b, cb));
            let both = b.binary(ir::BinOp::And, ia, ib);
            let z = b.iconst(0);
            let c = b.cmp(Cmp::Ne, both, z);
            let ik = b.iconst(tag::INT);
            Some(b.select(c, bk, ik))
        } else {
            None
        };
        fr.push((r, rt, tag));
        Ok(())
    }

    /// `CALL_BUILTIN` with `ins.b` arguments on the stack.
    fn call_builtin(
        &mut self,
        fr: &mut Frame,
        ins: Instr,
        pushed: Option<Ty>,
    ) -> Result<(), Reject> {
        let bi = Builtin::ALL[ins.a as usize];
        self.builtin_depth(bi.recursion_levels());
        if divmod_unpacked(self.code, self.pc) {
            return self.divmod(fr, pushed);
        }
        if bi == Builtin::Pow && ins.b == 2 {
            return self.binary_op(fr, BinOp::Pow, false, pushed);
        }
        let args = fr.pop_n(ins.b as usize)?;
        let rt = result(pushed)?;
        let (r, tag) = if bi == Builtin::Abs && rt == Ty::Int && args.len() == 1 {
            // abs(i64::MIN) is past 64 bits.
            self.abs(fr, args[0])?
        } else if self.generic
            && matches!(bi, Builtin::Min | Builtin::Max)
            && rt == Ty::Int
            && args.len() > 1
            && args.iter().all(|a| a.1 == Ty::Int)
        {
            let (r, tag) = self.big_min_max(bi == Builtin::Min, &args)?;
            (r, Some(tag))
        } else if bi == Builtin::Pow && args.len() == 3 && self.cx.pow_mod.is_none() {
            self.aot_pow_mod(&args)?
        } else {
            for &a in &args {
                self.small_only(a)?;
            }
            self.builtin(bi, &args, rt)?
        };
        fr.push((r, rt, tag));
        Ok(())
    }

    /// Ahead of time, `pow(a, b, m)`: the runtime library's `mp_pow3` (ints of any size,
    /// its ValueErrors raised here); the result is smaller than the modulus.
    fn aot_pow_mod(&mut self, args: &[Slot]) -> Result<(ir::Value, Option<ir::Value>), Reject> {
        let big = self
            .cx
            .big
            .ok_or("pow() with a modulus in a program compiled with 64-bit ints only")?;
        let mut operands = Vec::new();
        for &a in args {
            operands.push(tag_value(&mut self.b, a)?);
            operands.push(a.0);
        }
        let r = self.b.call_host(big.hosts.pow3, Type::I64, &operands);
        let (r, t) = self.big_result(r)?;
        Ok((r, self.generic.then_some(t)))
    }

    /// `q, r = divmod(x, y)` ([`divmod_unpacked`]): the remainder, then the quotient on
    /// top, as the unpacking would leave them — `//` first, which raises CPython's
    /// ZeroDivisionError ("integer division or modulo by zero") and moves into the generic
    /// version where the quotient would not fit; `%` then cannot fail.
    fn divmod(&mut self, fr: &mut Frame, pushed: Option<Ty>) -> Result<(), Reject> {
        let (sy, sx) = (fr.pop()?, fr.pop()?);
        let rt = result(pushed)?;
        if self.generic {
            let (q, tq) = self.big_binary_op(BinOp::FloorDiv, sx, sy)?;
            let (r, tr) = self.big_binary_op(BinOp::Mod, sx, sy)?;
            fr.push((r, rt, Some(tr)));
            fr.push((q, rt, Some(tq)));
            return Ok(());
        }
        let xfer = self.transfer_with_operands(fr, sx, sy);
        let q = self.arithmetic(BinOp::FloorDiv, sx.0, sy.0, xfer);
        let r = self.arithmetic(BinOp::Mod, sx.0, sy.0, None);
        fr.push((r, rt, None));
        fr.push((q, rt, None));
        Ok(())
    }

    /// Where an instruction that may outgrow 64 bits moves into the generic version, its
    /// two operands back on the frame's stack (None: it cannot, or there is none).
    fn transfer_with_operands(&mut self, fr: &Frame, sx: Slot, sy: Slot) -> Option<Block> {
        if !overflows(self.code, self.pc) {
            return None;
        }
        let mut slots = fr.slots();
        slots.extend([sx, sy]);
        self.transfer(self.pc as u32, &slots)
    }

    /// `x op y` on two ints, failing as Python does — or, where a result would not fit in
    /// 64 bits (or, for `//`, at any failure), going to `xfer` (the move into the generic
    /// version, which computes it exactly).
    fn arithmetic(
        &mut self,
        op: BinOp,
        x: ir::Value,
        y: ir::Value,
        xfer: Option<Block>,
    ) -> ir::Value {
        match op {
            BinOp::Add | BinOp::Sub | BinOp::Mul => {
                let f = xfer.unwrap_or_else(|| self.raise_to(self.msg(|r| r.overflow)));
                self.b.checked(overflow_checked(op), x, y, f, &[])
            }
            BinOp::FloorDiv if xfer.is_some() => {
                let f = match xfer {
                    Some(f) => f,
                    None => self.stop(),
                };
                self.b.checked(CheckedOp::DivF, x, y, f, &[])
            }
            BinOp::Pow if xfer.is_some() => {
                let f = match xfer {
                    Some(f) => f,
                    None => self.stop(),
                };
                let big = self.cx.big;
                let Some(big) = big else { return x };
                let r = self.b.call_host(big.hosts.pow, Type::I64, &[x, y]);
                let m = self.b.iconst(i64::MIN);
                let bad = self.b.cmp(Cmp::Eq, r, m);
                let ok = self.b.create_block();
                self.b.branch(bad, f, &[], ok, &[]);
                self.b.switch_to(ok);
                r
            }
            BinOp::LShift => self.left_shift(x, y, xfer),
            BinOp::FloorDiv => {
                let msg = |f: fn(&Raise) -> i64| self.raise.as_ref().map_or(0, f);
                let why = Why::IfZero(y, msg(|r| r.zero_div), msg(|r| r.overflow));
                let f = self.raise_to(why);
                self.b.checked(CheckedOp::DivF, x, y, f, &[])
            }
            BinOp::Mod => {
                let f = self.raise_to(self.msg(|r| r.zero_mod));
                self.b.checked(CheckedOp::ModF, x, y, f, &[])
            }
            BinOp::Pow => {
                let r = self.b.call_host(self.cx.pow, Type::I64, &[x, y]);
                // Ahead of time the pow routine raises itself.
                if self.raise.is_none() {
                    self.deopt_if_deopt(r);
                }
                r
            }
            BinOp::RShift => {
                let f = self.raise_to(self.msg(|r| r.neg_shift));
                self.b.checked(CheckedOp::Sar, x, y, f, &[])
            }
            BinOp::BitAnd => self.b.binary(ir::BinOp::And, x, y),
            BinOp::BitOr => self.b.binary(ir::BinOp::Or, x, y),
            BinOp::BitXor => self.b.binary(ir::BinOp::Xor, x, y),
        }
    }

    /// JIT: a callee's DEOPT result deopts this function too.
    fn deopt_if_deopt(&mut self, r: ir::Value) {
        let d = self.b.iconst(DEOPT);
        let bad = self.b.cmp(Cmp::Eq, r, d);
        let ok = self.b.create_block();
        let fail = self.stop();
        self.b.branch(bad, fail, &[], ok, &[]);
        self.b.switch_to(ok);
    }

    /// `x << y`. Python: a negative count raises; 0 << n is 0; otherwise the bits must survive.
    fn left_shift(&mut self, x: ir::Value, y: ir::Value, xfer: Option<Block>) -> ir::Value {
        let z = self.b.iconst(0);
        let neg = self.b.cmp(Cmp::Lt, y, z);
        let (nonneg, zero_case, shift_case, join) = (
            self.b.create_block(),
            self.b.create_block(),
            self.b.create_block(),
            self.b.create_block(),
        );
        let out = self.b.append_block_param(join, Type::I64);
        let f = self.raise_to(self.msg(|r| r.neg_shift));
        self.b.branch(neg, f, &[], nonneg, &[]);
        self.b.switch_to(nonneg);
        let is_zero = self.b.cmp(Cmp::Eq, x, z);
        self.b.branch(is_zero, zero_case, &[], shift_case, &[]);
        self.b.switch_to(zero_case);
        self.b.jump(join, &[z]);
        self.b.switch_to(shift_case);
        let f = xfer.unwrap_or_else(|| self.raise_to(self.msg(|r| r.overflow)));
        let r = self.b.checked(CheckedOp::Shl, x, y, f, &[]);
        self.b.jump(join, &[r]);
        self.b.switch_to(join);
        out
    }

    /// In the deepest frame CPython allows, a comparison it does not specialize fails
    /// ([`crate::value::compare_is_specialized`]): one it never specializes (`jumps`
    /// false) whenever the frame is that deep, one it may when the operands are not two
    /// small ints or two strings compared for (in)equality.
    fn compare_depth(&mut self, op: CmpOp, jumps: bool, sx: Slot, sy: Slot) -> Result<(), Reject> {
        if self.deepest != Deepest::Checked {
            return Ok(());
        }
        let why = self.intern(&Level::Comparing.error());
        let limit = self.b.iconst(DEPTH_LIMIT - 1);
        let deep = self.b.cmp(Cmp::Ge, self.depth, limit);
        if !jumps {
            self.fail_if(deep, why);
            return Ok(());
        }
        let check = self.b.create_block();
        let ok = self.b.create_block();
        self.b.branch(deep, check, &[], ok, &[]);
        self.b.switch_to(check);
        let b = &mut self.b;
        let (tx, ty) = (tag_value(b, sx)?, tag_value(b, sy)?);
        let (lo, hi) = (b.iconst(-(1 << 30) + 1), b.iconst((1 << 30) - 1));
        let (int, s) = (b.iconst(tag::INT), b.iconst(tag::STR));
        let mut conds = Vec::new();
        for (t, v) in [(tx, sx.0), (ty, sy.0)] {
            conds.push(b.cmp(Cmp::Eq, t, int));
            conds.push(b.cmp(Cmp::Ge, v, lo));
            conds.push(b.cmp(Cmp::Le, v, hi));
        }
        let mut small_ints = b.iconst(1);
        for c in conds {
            let c = zero_one(b, c);
            small_ints = b.binary(ir::BinOp::And, small_ints, c);
        }
        let mut cheap = small_ints;
        if matches!(op, CmpOp::Eq | CmpOp::Ne) {
            let (xs, ys) = (b.cmp(Cmp::Eq, tx, s), b.cmp(Cmp::Eq, ty, s));
            let (xs, ys) = (zero_one(b, xs), zero_one(b, ys));
            let strs = b.binary(ir::BinOp::And, xs, ys);
            cheap = b.binary(ir::BinOp::Or, cheap, strs);
        }
        let zero = b.iconst(0);
        let bad = b.cmp(Cmp::Eq, cheap, zero);
        self.fail_if(bad, why);
        self.b.jump(ok, &[]);
        self.b.switch_to(ok);
        Ok(())
    }

    fn compare_op(&mut self, fr: &mut Frame, op: CmpOp, jumps: bool) -> Result<(), Reject> {
        let (sy, sx) = (fr.pop()?, fr.pop()?);
        self.compare_depth(op, jumps, sx, sy)?;
        let (Some(big), true) = (
            self.cx.big,
            self.maybe_big(sx).is_some() || self.maybe_big(sy).is_some(),
        ) else {
            let v = self.compare_values(op, sx, sy)?;
            fr.push((v, Ty::Bool, None));
            return Ok(());
        };
        // Generic version: two numbers at least one of which is big compare in the runtime
        // library; anything else as below.
        let b = &mut self.b;
        let (tx, ty) = (tag_value(b, sx)?, tag_value(b, sy)?);
        let (bigk, boolk, z) = (b.iconst(tag::BIG), b.iconst(tag::BOOL), b.iconst(0));
        let mut any_big = z;
        let mut numbers = b.iconst(1);
        for t in [tx, ty] {
            let is_big = b.cmp(Cmp::Eq, t, bigk);
            let is_big = zero_one(b, is_big);
            any_big = b.binary(ir::BinOp::Or, any_big, is_big);
            let small = b.cmp(Cmp::Le, t, boolk);
            let small = zero_one(b, small);
            let num = b.binary(ir::BinOp::Or, small, is_big);
            numbers = b.binary(ir::BinOp::And, numbers, num);
        }
        let both = b.binary(ir::BinOp::And, any_big, numbers);
        let c = b.cmp(Cmp::Ne, both, z);
        let (slow, fast, join) = (b.create_block(), b.create_block(), b.create_block());
        let out = b.append_block_param(join, Type::I64);
        b.branch(c, slow, &[], fast, &[]);
        b.switch_to(slow);
        let k = b.iconst(CmpOp::ALL.iter().position(|&o| o == op).unwrap_or(0) as i64);
        let r = b.call_host(big.hosts.compare, Type::I64, &[k, tx, sx.0, ty, sy.0]);
        b.jump(join, &[r]);
        b.switch_to(fast);
        let v = self.compare_values(op, sx, sy)?;
        self.b.jump(join, &[v]);
        self.b.switch_to(join);
        fr.push((out, Ty::Bool, None));
        Ok(())
    }

    /// `x op y` as 0 or 1: numbers by value, strings by rank, and across kinds as Python
    /// has it (raising where it raises).
    fn compare_values(&mut self, op: CmpOp, sx: Slot, sy: Slot) -> Result<ir::Value, Reject> {
        let prog = self.cx.prog;
        let c = ir_cmp(op);
        let kinds = bits(sx.1).unwrap_or(0) | bits(sy.1).unwrap_or(0);
        let ordering = !matches!(op, CmpOp::Eq | CmpOp::Ne);
        if ordering && kinds & !B_NUM != 0 && kinds & !B_STR != 0 {
            let fails = |p, q| value::compare(op, p, q, &prog.strings).err();
            self.check_kinds(sx, sy, true, &fails)?;
        }
        let b = &mut self.b;
        let v = if ordering || kinds & !B_NUM == 0 || kinds & !B_STR == 0 {
            // Numbers by value, strings by rank.
            let r = b.cmp(c, sx.0, sy.0);
            zero_one(b, r)
        } else {
            // == and != across kinds: equal kinds (a bool is an int) and payloads.
            let (bk, ik) = (b.iconst(tag::BOOL), b.iconst(tag::INT));
            let class = |b: &mut FunctionBuilder, s: Slot| {
                let t = tag_value(b, s)?;
                let is_bool = b.cmp(Cmp::Eq, t, bk);
                Ok::<_, Reject>(b.select(is_bool, ik, t))
            };
            let (ca, cb) = (class(b, sx)?, class(b, sy)?);
            let same = b.cmp(Cmp::Eq, ca, cb);
            let peq = b.cmp(Cmp::Eq, sx.0, sy.0);
            let (yes, no) = if c == Cmp::Eq { (1, 0) } else { (0, 1) };
            let (yes, no) = (b.iconst(yes), b.iconst(no));
            let inner = b.select(peq, yes, no);
            b.select(same, inner, no)
        };
        Ok(v)
    }

    fn unary_op(&mut self, fr: &mut Frame, op: Op) -> Result<(), Reject> {
        let sx = fr.pop()?;
        if self.generic && op != Op::UnaryNot {
            let (r, t) = self.big_unary(op, sx)?;
            fr.push((r, Ty::Int, Some(t)));
            return Ok(());
        }
        let x = sx.0;
        let s = match op {
            Op::UnaryNegative => {
                let z = self.b.iconst(0);
                let mut slots = fr.slots();
                slots.push(sx);
                let f = match self.transfer(self.pc as u32, &slots) {
                    Some(f) => f,
                    None => self.raise_to(self.msg(|r| r.overflow)),
                };
                (self.b.checked(CheckedOp::Sub, z, x, f, &[]), Ty::Int, None)
            }
            Op::UnaryInvert => (self.b.unary(ir::UnOp::Not, x), Ty::Int, None),
            Op::UnaryNot => {
                // Every kind is falsy exactly when its payload is 0.
                let z = self.b.iconst(0);
                let c = self.b.cmp(Cmp::Eq, x, z);
                (zero_one(&mut self.b, c), Ty::Bool, None)
            }
            _ => (x, Ty::Int, None),
        };
        fr.push(s);
        Ok(())
    }

    /// The conditional jumps; `and`/`or` keep the value on the stack where they jump, the
    /// rest pop it. Ends the block.
    fn cond_jump(&mut self, fr: &mut Frame, pc: usize, ins: Instr) -> Result<(), Reject> {
        let keeps = matches!(ins.op, Op::JumpIfFalseOrPop | Op::JumpIfTrueOrPop);
        let (x, t, _) = fr.peek()?;
        if !keeps {
            fr.pop()?;
        }
        let jump_when = matches!(ins.op, Op::PopJumpIfTrue | Op::JumpIfTrueOrPop);
        let next = pc as u32 + 1;
        if let Some(known) = truth(t).or_else(|| constant_test(self.code, pc)) {
            if known == jump_when {
                return self.goto(ins.a, fr);
            }
            if keeps {
                fr.pop()?;
            }
            return self.goto(next, fr);
        }
        // A list is true when it has items.
        let x = match t {
            Ty::List(..) => self.len_of(x)?,
            _ => x,
        };
        let (an, generic) = (self.an, self.generic);
        let b = &mut self.b;
        let z = b.iconst(0);
        let truthy = b.cmp(Cmp::Ne, x, z);
        let taken = *self.blocks.get(&ins.a).ok_or("target")?;
        let at = args_for(b, fr, &an.entries[&ins.a], generic)?;
        if keeps {
            fr.pop()?;
        }
        let fall = *self.blocks.get(&next).ok_or("fallthrough")?;
        let af = args_for(b, fr, &an.entries[&next], generic)?;
        if jump_when {
            b.branch(truthy, taken, &at, fall, &af);
        } else {
            b.branch(truthy, fall, &af, taken, &at);
        }
        Ok(())
    }

    /// A call of a known function with `n` arguments (`tail`: its result is returned next).
    fn call(
        &mut self,
        fr: &mut Frame,
        n: usize,
        pushed: Option<Ty>,
        tail: bool,
    ) -> Result<(), Reject> {
        // (A [`PairArg`]'s first argument is two values: the second goes last.)
        let pair = self.an.pair_calls.iter().any(|p| p.1 == self.pc as u32);
        let mut args = fr.pop_n(n + usize::from(pair))?;
        if pair {
            let second = args.remove(1);
            args.push(second);
        }
        let Ty::Func(fc) = fr.pop()?.1 else {
            return Err("indirect call");
        };
        let mut fid = *self.cx.funcs.get(&fc).ok_or("callee not compiled")?;
        if self.generic {
            let big = self.cx.big.ok_or("internal: no runtime library")?;
            fid = *big
                .generic
                .get(&fc)
                .ok_or("the callee has no generic version")?;
        }
        let generic = self.generic;
        if let Some(rs) = self.resume
            && !rs.writes[fc as usize]
        {
            // A callee that runs again from its start when it stops advances a copy of a
            // range's iterator: the frame this one hands over at the call holds the
            // original, where the callee began.
            for s in args.iter_mut().filter(|s| s.1 == Ty::RangeIter) {
                let l = self.lists()?;
                s.0 = self
                    .b
                    .call_host(l.range_iter_copy, Type::I64, &[l.ctx_v, s.0]);
            }
        }
        let params = self.cx.policy.graph().and_then(|g| g.params.get(&fc));
        let b = &mut self.b;
        // Parameters left out: their (int) defaults, as constants.
        let defaults = self.cx.prog.codes[fc as usize]
            .int_defaults_after(n)
            .ok_or("a default that is not an int")?;
        args.extend(defaults.into_iter().map(|d| (b.iconst(d), Ty::Int, None)));
        let n = args.len();
        let (mut irargs, mut tags) = (Vec::with_capacity(n + 1), Vec::new());
        for (i, s) in args.into_iter().enumerate() {
            // (The JIT's lists and range iterators are one word, as ints are.)
            let want = match (params, s.1) {
                (Some(p), _) => p[i],
                (None, Ty::List(..) | Ty::RangeIter | Ty::ListIter(..) | Ty::Bool) => s.1,
                (None, _) => Ty::Int,
            };
            let (v, t) = conform(b, s, want, generic)?;
            irargs.push(v);
            tags.extend(t);
        }
        let o = b.iconst(1);
        let d1 = b.add(self.depth, o);
        irargs.push(d1);
        irargs.extend(tags);
        if generic {
            irargs.push(b.iconst(-1));
        }
        let mut r = b.call(fid, Type::I64, &irargs);
        if self.cx.big.is_some() && !generic && tail {
            r = self.pass_landing_on(r);
        }
        self.forget_item_addrs();
        // Ahead of time a callee never hands back DEOPT: it raises and exits. A result
        // returned right away needs no check: DEOPT goes back to the caller either way —
        // unless this function hands its frame over (the interpreter needs every frame).
        if let Some(rs) = self.resume {
            self.deopt_after_call(fr, r, rs.writes[fc as usize]);
        } else if self.raise.is_none() && !tail {
            self.deopt_if_deopt(r);
        }
        let rt = result(pushed)?;
        if self.cx.big.is_some() && !generic && !tail {
            let (r, tag) = self.after_call(fr, r, rt)?;
            fr.push((r, rt, tag));
            return Ok(());
        }
        let tag = match (rt, self.raise) {
            (Ty::Dyn(_), Some(rs)) => Some(self.b.call_host(rs.get_tag, Type::I64, &[])),
            (Ty::Int, Some(rs)) if generic => Some(self.b.call_host(rs.get_tag, Type::I64, &[])),
            _ => None,
        };
        fr.push((r, rt, tag));
        Ok(())
    }

    /// `print(…)` with `n` arguments, ahead of time.
    fn call_print(&mut self, fr: &mut Frame, n: u32, flags: u32) -> Result<(), Reject> {
        let pr = self.cx.policy.print().ok_or("print")?;
        let b = &mut self.b;
        // sep= and end=: a string known here (its runtime string) or None (the default).
        let kw = fr.pop_n(print_keywords(flags) as usize)?;
        // A string known here, one of several known only at run time (its rank is its
        // payload), or None (the default).
        let mut text = |s: Option<Slot>, default: i64| match s.map(|s| (s.0, s.1)) {
            None | Some((_, Ty::NoneV)) => Ok(b.iconst(default)),
            Some((_, Ty::Str(id))) => {
                Ok(b.iconst(pr.str_base + *pr.ranks.get(id as usize).ok_or("string")?))
            }
            Some((v, Ty::Dyn(B_STR))) => {
                let base = b.iconst(pr.str_base);
                Ok(b.binary(ir::BinOp::Add, v, base))
            }
            Some(_) => Err("print's sep or end is computed at run time"),
        };
        let (sep, end) = print_sep_end(flags, &kw);
        let (sep, end) = (text(sep, pr.space)?, text(end, pr.newline)?);
        let args = fr.pop_n(n as usize)?;
        for (i, &s) in args.iter().enumerate() {
            if i > 0 {
                self.b.call_host(pr.print_str, Type::I64, &[sep]);
            }
            self.print_value(&pr, s)?;
        }
        let b = &mut self.b;
        let k = end;
        b.call_host(pr.print_str, Type::I64, &[k]);
        let z = b.iconst(0);
        fr.push((z, Ty::NoneV, None));
        Ok(())
    }

    /// Generic version: `min(…)` / `max(…)` of ints that may be big — the first of the
    /// least (greatest), as CPython picks.
    fn big_min_max(&mut self, min: bool, args: &[Slot]) -> Result<(ir::Value, ir::Value), Reject> {
        let big = self.cx.big.ok_or("internal: no runtime library")?;
        let op = if min { CmpOp::Lt } else { CmpOp::Gt };
        let k = CmpOp::ALL.iter().position(|&o| o == op).unwrap_or(0) as i64;
        let mut best = (args[0].0, tag_value(&mut self.b, args[0])?);
        for &a in &args[1..] {
            let b = &mut self.b;
            let t = tag_value(b, a)?;
            let (bigk, z) = (b.iconst(tag::BIG), b.iconst(0));
            let (x_big, y_big) = (b.cmp(Cmp::Eq, t, bigk), b.cmp(Cmp::Eq, best.1, bigk));
            let (x_big, y_big) = (zero_one(b, x_big), zero_one(b, y_big));
            let any = b.binary(ir::BinOp::Or, x_big, y_big);
            let any = b.cmp(Cmp::Ne, any, z);
            let (slow, fast, join) = (b.create_block(), b.create_block(), b.create_block());
            let better = b.append_block_param(join, Type::I64);
            b.branch(any, slow, &[], fast, &[]);
            b.switch_to(slow);
            let kk = b.iconst(k);
            let r = b.call_host(big.hosts.compare, Type::I64, &[kk, t, a.0, best.1, best.0]);
            b.jump(join, &[r]);
            b.switch_to(fast);
            let c = b.cmp(ir_cmp(op), a.0, best.0);
            let c = zero_one(b, c);
            b.jump(join, &[c]);
            b.switch_to(join);
            let c = b.cmp(Cmp::Ne, better, z);
            best = (b.select(c, a.0, best.0), b.select(c, t, best.1));
        }
        Ok(best)
    }

    /// `abs(x)` of an int: in a generic version of one that may be big; in a fast one moving
    /// into the generic version for `abs(i64::MIN)` (raising OverflowError without one).
    fn abs(&mut self, fr: &Frame, s: Slot) -> Result<(ir::Value, Option<ir::Value>), Reject> {
        if self.generic {
            let (r, t) = self.big_unary(Op::CallBuiltin, s)?;
            return Ok((r, Some(t)));
        }
        let mut slots = fr.slots();
        slots.push(s);
        let f = match self.transfer(self.pc as u32, &slots) {
            Some(f) => f,
            None => self.raise_to(self.msg(|r| r.overflow)),
        };
        let z = self.b.iconst(0);
        let neg = self.b.cmp(Cmp::Lt, s.0, z);
        let negated = self.b.checked(CheckedOp::Sub, z, s.0, f, &[]);
        Ok((self.b.select(neg, negated, s.0), None))
    }

    /// Prints a value; in a generic version, a big int as its decimal digits.
    fn print_value(&mut self, pr: &AotPrint<'_>, s: Slot) -> Result<(), Reject> {
        let (Some(t), Some(big)) = (self.maybe_big(s), self.cx.big) else {
            return print_slot(&mut self.b, pr, s);
        };
        let b = &mut self.b;
        let (digits, other, join) = (b.create_block(), b.create_block(), b.create_block());
        let bigk = b.iconst(tag::BIG);
        let c = b.cmp(Cmp::Eq, t, bigk);
        b.branch(c, digits, &[], other, &[]);
        b.switch_to(digits);
        let text = b.call_host(big.hosts.decimal, Type::I64, &[t, s.0]);
        let (text, _) = self.big_result(text)?;
        self.b.call_host(big.hosts.print, Type::I64, &[text]);
        self.b.jump(join, &[]);
        self.b.switch_to(other);
        print_slot(&mut self.b, pr, s)?;
        self.b.jump(join, &[]);
        self.b.switch_to(join);
        Ok(())
    }

    /// A builtin's payload and (for a [`Ty::Dyn`] result `rt`) tag.
    fn builtin(
        &mut self,
        bi: Builtin,
        args: &[Slot],
        rt: Ty,
    ) -> Result<(ir::Value, Option<ir::Value>), Reject> {
        Ok(match bi {
            Builtin::Len => (self.len_of(args[0].0)?, None),
            Builtin::Sorted if matches!(args, [(_, Ty::List(..) | Ty::Never, _)]) => {
                let l = self.lists()?;
                let r = self.b.call_host(l.sorted, Type::I64, &[l.ctx_v, args[0].0]);
                self.deopt_if_deopt(r);
                (r, None)
            }
            Builtin::List if matches!(args, [(_, Ty::List(..), _)]) => {
                let l = self.lists()?;
                let r = self.b.call_host(l.copy, Type::I64, &[l.ctx_v, args[0].0]);
                self.deopt_if_deopt(r);
                (r, None)
            }
            // Of one list (JIT): its routines, DEOPT where the interpreter must answer.
            // (Never: after a call that never returns, so never run.)
            Builtin::Sum | Builtin::Min | Builtin::Max
                if matches!(args, [(_, Ty::List(..) | Ty::Never, _)]) =>
            {
                let l = self.lists()?;
                let h = args[0].0;
                let r = if bi == Builtin::Sum {
                    self.b.call_host(l.sum, Type::I64, &[l.ctx_v, h])
                } else {
                    let e = list_elem(args[0].1).unwrap_or(Elem::Int);
                    let want = self.b.iconst(e.want());
                    let is_max = self.b.iconst((bi == Builtin::Max) as i64);
                    self.b
                        .call_host(l.min_max, Type::I64, &[l.ctx_v, h, want, is_max])
                };
                self.deopt_if_deopt(r);
                (r, None)
            }
            Builtin::Range => {
                let l = self.lists()?;
                let b = &mut self.b;
                let (start, stop, step) = match args {
                    [stop] => (b.iconst(0), stop.0, b.iconst(1)),
                    [start, stop] => (start.0, stop.0, b.iconst(1)),
                    [start, stop, step, ..] => (start.0, stop.0, step.0),
                    [] => return Err("internal: range() of nothing"),
                };
                let r = b.call_host(l.range, Type::I64, &[l.ctx_v, start, stop, step]);
                self.deopt_if_deopt(r);
                (r, None)
            }
            Builtin::Arg => {
                let rs = self.raise.ok_or("arg() is read by the interpreter")?;
                (self.b.call_host(rs.arg, Type::I64, &[args[0].0]), None)
            }
            Builtin::Abs => {
                let a0 = args[0].0;
                let z = self.b.iconst(0);
                let neg = self.b.cmp(Cmp::Lt, a0, z);
                let f = self.raise_to(self.msg(|r| r.overflow));
                let negated = self.b.checked(CheckedOp::Sub, z, a0, f, &[]);
                (self.b.select(neg, negated, a0), None)
            }
            Builtin::Min | Builtin::Max => self.min_max(bi == Builtin::Min, args, rt)?,
            Builtin::Pow if args.len() == 3 => {
                let pow_mod = self
                    .cx
                    .pow_mod
                    .ok_or("internal: pow() with a modulus without its routine")?;
                let r = self
                    .b
                    .call_host(pow_mod, Type::I64, &[args[0].0, args[1].0, args[2].0]);
                self.deopt_if_deopt(r);
                (r, None)
            }
            Builtin::Argc | Builtin::Argv | Builtin::ArgvInt | Builtin::Exit => {
                let sys = self.raise.ok_or("sys is read by the interpreter")?.sys;
                self.sys(sys, bi, args)?
            }
            _ => return Err("builtin"),
        })
    }

    /// `len(sys.argv)`, `sys.argv[i]`, `int()` of it, `sys.exit(…)` through the runtime
    /// (sys.exit does not return).
    fn sys(
        &mut self,
        sys: SysHosts,
        bi: Builtin,
        args: &[Slot],
    ) -> Result<(ir::Value, Option<ir::Value>), Reject> {
        let b = &mut self.b;
        let r = match (bi, args.first()) {
            (Builtin::Argc, _) => b.call_host(sys.argc, Type::I64, &[]),
            (Builtin::Argv, Some(a)) => b.call_host(sys.argv, Type::I64, &[a.0]),
            (Builtin::ArgvInt, Some(a)) => b.call_host(sys.argv_int, Type::I64, &[a.0]),
            (Builtin::Exit, None | Some((_, Ty::NoneV, _))) => {
                let z = b.iconst(0);
                b.call_host(sys.exit, Type::I64, &[z])
            }
            (Builtin::Exit, Some((v, Ty::Int | Ty::Bool, _))) => {
                b.call_host(sys.exit, Type::I64, &[*v])
            }
            (Builtin::Exit, Some((_, Ty::Str(id), _))) => {
                let text = self.cx.prog.strings[*id as usize].clone();
                let Why::Msg(k) = self.intern(&Exception::new(ExcKind::SystemExit(1), text)) else {
                    return Err("sys.exit message");
                };
                let k = self.b.iconst(k);
                self.b.call_host(sys.exit_msg, Type::I64, &[k])
            }
            _ => return Err("sys.exit() of a value whose kind is known only at run time"),
        };
        // sys.exit's result (None) is never used: it does not return.
        Ok((r, None))
    }

    /// `min`/`max`: the first extreme argument itself (a bool stays a bool).
    fn min_max(
        &mut self,
        min: bool,
        args: &[Slot],
        rt: Ty,
    ) -> Result<(ir::Value, Option<ir::Value>), Reject> {
        let prog = self.cx.prog;
        let mut best = args[0];
        if matches!(rt, Ty::Dyn(_)) {
            best.2 = Some(tag_value(&mut self.b, best)?);
        }
        let (c, op) = if min {
            (Cmp::Lt, CmpOp::Lt)
        } else {
            (Cmp::Gt, CmpOp::Gt)
        };
        for &s in &args[1..] {
            let kinds = bits(s.1).unwrap_or(0) | bits(best.1).unwrap_or(0);
            if kinds & !B_NUM != 0 && kinds & !B_STR != 0 {
                let fails = |p, q| value::compare(op, p, q, &prog.strings).err();
                self.check_kinds(s, best, true, &fails)?;
            }
            let b = &mut self.b;
            let better = b.cmp(c, s.0, best.0);
            let v = b.select(better, s.0, best.0);
            let tag = match best.2 {
                Some(bt) => {
                    let t = tag_value(b, s)?;
                    Some(b.select(better, t, bt))
                }
                None => None,
            };
            best = (v, join(best.1, s.1, true), tag);
        }
        Ok((best.0, best.2))
    }

    /// Returns the top of the stack (with its tag, through the tag routine, when the return
    /// type is [`Ty::Dyn`] ahead of time). Ends the block.
    /// `YIELD_VALUE` of a generator expression folded by a builtin ([`Consumer`]): the
    /// item goes into the values the builtin keeps below the code's own stack, or (`any`,
    /// `all`) ends the call.
    fn fold(&mut self, fr: &mut Frame) -> Result<(), Reject> {
        let c = self
            .an
            .consumer
            .ok_or("internal: a yield that nothing folds")?;
        let v = fr.pop()?;
        let above = fr
            .stack
            .depth()
            .checked_sub(c.kept().len())
            .ok_or("stack underflow")?;
        let above = fr.pop_n(above)?;
        match c {
            Consumer::Sum => {
                let acc = fr.pop()?;
                let r = self.arithmetic(BinOp::Add, acc.0, v.0, None);
                fr.push((r, Ty::Int, None));
            }
            Consumer::Any | Consumer::All => {
                let x = match v.1 {
                    Ty::List(..) => self.len_of(v.0)?,
                    _ => v.0,
                };
                let b = &mut self.b;
                let z = b.iconst(0);
                let truthy = b.cmp(Cmp::Ne, x, z);
                let (done, go) = (b.create_block(), b.create_block());
                // any: a true item ends it, True; all: a false one, False.
                let any = c == Consumer::Any;
                if any {
                    b.branch(truthy, done, &[], go, &[]);
                } else {
                    b.branch(truthy, go, &[], done, &[]);
                }
                b.switch_to(done);
                let r = b.iconst(i64::from(any));
                b.ret(r);
                b.switch_to(go);
            }
            Consumer::List => {
                let list = fr.peek()?;
                let l = self.lists()?;
                let kind = self.b.iconst(kind_of(v.1));
                self.b
                    .call_host(l.push, Type::I64, &[l.ctx_v, list.0, kind, v.0]);
                self.forget_item_addrs();
            }
            Consumer::Min | Consumer::Max => {
                let (best, found) = (fr.pop()?, fr.pop()?);
                let b = &mut self.b;
                // The first of equal items stays (as CPython keeps it).
                let op = if c == Consumer::Min { Cmp::Lt } else { Cmp::Gt };
                let better = b.cmp(op, v.0, best.0);
                let kept = b.select(better, v.0, best.0);
                let z = b.iconst(0);
                let first = b.cmp(Cmp::Eq, found.0, z);
                let r = b.select(first, v.0, kept);
                let one = b.iconst(1);
                let t = if best.1 == Ty::Never { v.1 } else { best.1 };
                fr.push((one, Ty::Bool, None));
                fr.push((r, t, None));
            }
        }
        above.into_iter().for_each(|s| fr.push(s));
        Ok(())
    }

    /// The end of a folded generator expression's code: returns the builtin's result
    /// (`min`/`max` of no items raises: the interpreter does).
    fn fold_end(&mut self, fr: &mut Frame) -> Result<(), Reject> {
        let c = self
            .an
            .consumer
            .ok_or("internal: a fold without a builtin")?;
        fr.pop()?;
        if self.an.pair_self.is_some() {
            fr.pop()?;
        }
        let kept = fr.pop_n(c.kept().len())?;
        let r = match c {
            Consumer::Sum | Consumer::List => kept[0],
            Consumer::Any => (self.b.iconst(0), Ty::Bool, None),
            Consumer::All => (self.b.iconst(1), Ty::Bool, None),
            Consumer::Min | Consumer::Max => {
                let z = self.b.iconst(0);
                let none = self.b.cmp(Cmp::Eq, kept[0].0, z);
                let (to, ok) = (self.stop(), self.b.create_block());
                self.b.branch(none, to, &[], ok, &[]);
                self.b.switch_to(ok);
                kept[1]
            }
        };
        fr.push(r);
        self.return_value(fr)
    }

    fn return_value(&mut self, fr: &mut Frame) -> Result<(), Reject> {
        let s = fr.pop()?;
        if let (true, Some(rs)) = (self.generic, self.raise) {
            // Every generic version's result has its tag (a fast version moving in reads
            // it to hand the result on).
            let t = tag_value(&mut self.b, s)?;
            self.b.call_host(rs.set_tag, Type::I64, &[t]);
            self.b.ret(s.0);
            return Ok(());
        }
        match (self.an.returns, self.raise) {
            (Ty::Dyn(_), Some(rs)) => {
                let (v, t) = conform(&mut self.b, s, self.an.returns, false)?;
                let t = t.ok_or("internal: a value without a tag")?;
                self.b.call_host(rs.set_tag, Type::I64, &[t]);
                self.b.ret(v);
            }
            _ => {
                if self.resume.is_some() && s.1 == Ty::Int {
                    // An i64::MIN result would read as DEOPT: the interpreter returns it.
                    let d = self.b.iconst(DEOPT);
                    let bad = self.b.cmp(Cmp::Eq, s.0, d);
                    let (to, ok) = (self.stop(), self.b.create_block());
                    self.b.branch(bad, to, &[], ok, &[]);
                    self.b.switch_to(ok);
                }
                self.b.ret(s.0)
            }
        }
        Ok(())
    }

    /// `range(…)` into the loop's three locals (current, stop, step); a zero step raises.
    fn range_setup(&mut self, fr: &mut Frame, ins: Instr) -> Result<(), Reject> {
        let n = ins.b as usize;
        let args = fr.pop_n(n)?;
        if self.generic && self.cx.big.is_some() {
            // Start, stop and step as ints that may be big, each with its tag.
            let b = &mut self.b;
            let slots = match n {
                1 => [
                    (b.iconst(0), Ty::Int, None),
                    args[0],
                    (b.iconst(1), Ty::Int, None),
                ],
                2 => [args[0], args[1], (b.iconst(1), Ty::Int, None)],
                _ => [args[0], args[1], args[2]],
            };
            // (A big step's payload is an address: never 0.)
            let z = b.iconst(0);
            let bad = b.cmp(Cmp::Eq, slots[2].0, z);
            self.fail_if(bad, self.msg(|r| r.range_step));
            let s = ins.a as usize;
            for (k, slot) in slots.into_iter().enumerate() {
                let tag = self.maybe_big(slot);
                fr.locals[s + k] = (slot.0, Ty::Int, tag);
            }
            return Ok(());
        }
        let v: Vec<ir::Value> = args.iter().map(|s| s.0).collect();
        let b = &mut self.b;
        let (start, stop, step) = match n {
            1 => (b.iconst(0), v[0], b.iconst(1)),
            2 => (v[0], v[1], b.iconst(1)),
            _ => (v[0], v[1], v[2]),
        };
        // (The loop's counter is never negative when it starts at 0 or more and goes up:
        // it only grows, and when the step would take it past 2⁶³ it stops at the stop,
        // which is above it. The FOR_RANGE after this instruction is the loop's header.)
        if b.constant(start).is_some_and(|c| c >= 0) && b.constant(step).is_some_and(|c| c > 0) {
            self.counts_up.push(self.pc as u32 + 1);
        }
        let z = b.iconst(0);
        let bad = b.cmp(Cmp::Eq, step, z);
        self.fail_if(bad, self.msg(|r| r.range_step));
        let s = ins.a as usize;
        fr.locals[s] = (start, Ty::Int, None);
        fr.locals[s + 1] = (stop, Ty::Int, None);
        fr.locals[s + 2] = (step, Ty::Int, None);
        Ok(())
    }

    /// One step of a range loop: on to the body with the current value, or out to `ins.b`.
    fn for_range(&mut self, fr: &mut Frame, ins: Instr) -> Result<(), Reject> {
        if self.generic && self.cx.big.is_some() {
            return self.big_for_range(fr, ins);
        }
        let s = ins.a as usize;
        let (cur, stop, step) = (fr.locals[s].0, fr.locals[s + 1].0, fr.locals[s + 2].0);
        if self.counts_up.contains(&(self.pc as u32)) {
            self.nonneg.push(cur);
        }
        let exit = *self.blocks.get(&ins.b).ok_or("loop exit")?;
        let b = &mut self.b;
        // cur < stop going up, cur > stop going down. A step known here chooses; else the
        // loop asks the step's sign in every turn, a question unswitching takes out of
        // the loop (one copy going up, one going down, each with its own compare).
        let body = b.create_block();
        let a = args_for(b, fr, &self.an.entries[&ins.b], self.generic)?;
        match b.constant(step) {
            Some(k) => {
                let more = b.cmp(if k < 0 { Cmp::Gt } else { Cmp::Lt }, cur, stop);
                b.branch(more, body, &[], exit, &a);
            }
            None => {
                let (up, down) = (b.create_block(), b.create_block());
                let z = b.iconst(0);
                let falling = b.cmp(Cmp::Lt, step, z);
                b.branch(falling, down, &[], up, &[]);
                for (at, op) in [(up, Cmp::Lt), (down, Cmp::Gt)] {
                    b.switch_to(at);
                    let more = b.cmp(op, cur, stop);
                    b.branch(more, body, &[], exit, &a);
                }
            }
        }
        b.switch_to(body);
        // cur + step cannot overflow past stop… unless stop is near the edge: then the
        // interpreter's rule (clamp to stop) applies.
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
        Ok(())
    }

    /// Generic version: [`Lowering::for_range`] where the current value, the stop and the
    /// step may be big. Machine ints while all three are small (the sum past 64 bits goes
    /// on in the runtime library), the library's comparisons and sums otherwise.
    fn big_for_range(&mut self, fr: &mut Frame, ins: Instr) -> Result<(), Reject> {
        let big = self.cx.big.ok_or("internal: no runtime library")?;
        let s = ins.a as usize;
        let (cur, stop, step) = (fr.locals[s], fr.locals[s + 1], fr.locals[s + 2]);
        let exit = *self.blocks.get(&ins.b).ok_or("loop exit")?;
        let b = &mut self.b;
        let (tc, ts, tp) = (tag_value(b, cur)?, tag_value(b, stop)?, tag_value(b, step)?);
        let out = args_for(b, fr, &self.an.entries[&ins.b], true)?;
        let (small, large, next) = (b.create_block(), b.create_block(), b.create_block());
        let (nv, nt) = (
            b.append_block_param(next, Type::I64),
            b.append_block_param(next, Type::I64),
        );
        // (tag::INT is 0: the three are small when their tags' union is.)
        let any = b.binary(ir::BinOp::Or, tc, ts);
        let any = b.binary(ir::BinOp::Or, any, tp);
        let (z, ik) = (b.iconst(0), b.iconst(tag::INT));
        let all_small = b.cmp(Cmp::Eq, any, z);
        b.branch(all_small, small, &[], large, &[]);
        let add = big.hosts.binary[BinOp::ALL
            .iter()
            .position(|&o| o == BinOp::Add)
            .unwrap_or(0)];
        // All small: as in a fast version, the sum past 64 bits exact.
        b.switch_to(small);
        let k63 = b.iconst(63);
        let m = b.binary(ir::BinOp::Sar, step.0, k63);
        let flip_cur = b.binary(ir::BinOp::Xor, cur.0, m);
        let flip_stop = b.binary(ir::BinOp::Xor, stop.0, m);
        let more = b.cmp(Cmp::Lt, flip_cur, flip_stop);
        let (body, over) = (b.create_block(), b.create_block());
        b.set_cold(over);
        b.branch(more, body, &[], exit, &out);
        b.switch_to(body);
        let sum = b.checked(CheckedOp::Add, cur.0, step.0, over, &[]);
        b.jump(next, &[sum, ik]);
        b.switch_to(over);
        let r = b.call_host(add, Type::I64, &[ik, cur.0, ik, step.0]);
        let (r, t) = self.big_result(r)?;
        self.b.jump(next, &[r, t]);
        // Some big: the library compares and adds.
        let b = &mut self.b;
        b.switch_to(large);
        let op = |o: CmpOp| CmpOp::ALL.iter().position(|&x| x == o).unwrap_or(0) as i64;
        let (lt, gt) = (b.iconst(op(CmpOp::Lt)), b.iconst(op(CmpOp::Gt)));
        let compare = big.hosts.compare;
        let negative = b.call_host(compare, Type::I64, &[lt, tp, step.0, ik, z]);
        let up = b.call_host(compare, Type::I64, &[lt, tc, cur.0, ts, stop.0]);
        let down = b.call_host(compare, Type::I64, &[gt, tc, cur.0, ts, stop.0]);
        let goes_down = b.cmp(Cmp::Ne, negative, z);
        let more = b.select(goes_down, down, up);
        let more = b.cmp(Cmp::Ne, more, z);
        let body = b.create_block();
        b.branch(more, body, &[], exit, &out);
        b.switch_to(body);
        let r = b.call_host(add, Type::I64, &[tc, cur.0, tp, step.0]);
        let (r, t) = self.big_result(r)?;
        self.b.jump(next, &[r, t]);
        self.b.switch_to(next);
        fr.locals[s] = (nv, Ty::Int, Some(nt));
        fr.push((cur.0, Ty::Int, Some(tc)));
        Ok(())
    }

    /// The list routines, with the context's address as a value of this function.
    fn lists(&mut self) -> Result<Lists, Reject> {
        let h = self
            .cx
            .lists
            .ok_or("internal: lists without their routines")?;
        Ok(Lists {
            ctx_v: self.b.iconst(h.ctx),
            item: h.item,
            store: h.store,
            push: h.push,
            pop: h.pop,
            pop_at: h.pop_at,
            insert: h.insert,
            copy: h.copy,
            slice: h.slice,
            sort: h.sort,
            reverse: h.reverse,
            sorted: h.sorted,
            sum: h.sum,
            min_max: h.min_max,
            contains: h.contains,
            iter: h.iter,
            next: h.next,
            new: h.new,
            repeat: h.repeat,
            len: h.len,
            range: h.range,
            range_iter: h.range_iter,
            range_iter_copy: h.range_iter_copy,
            layout: h.layout,
        })
    }

    /// Where item `i` of list `h` is (deoptimizing when there is no such item), read in
    /// place as `layout` says.
    fn item_addr(&mut self, l: &Lists, layout: Layout, h: ir::Value, i: ir::Value) -> ir::Value {
        // `x[i] += …` finds the address it read at again for the store.
        if let Some(&(.., at)) = self.item_addrs.iter().find(|e| e.0 == h && e.1 == i) {
            return at;
        }
        let at = self.values_item_addr(l, layout, h, i);
        self.item_addrs.push((h, i, at));
        at
    }

    /// Forgets the item addresses found so far (a routine may have moved or repacked a
    /// list, or control reached a new bytecode block).
    fn forget_item_addrs(&mut self) {
        self.item_addrs.clear();
        self.int_addrs.clear();
    }

    /// Where the int at item `i` of list `h` is, or is to be written (deoptimizing when
    /// there is no such item): the machine int of a list of ints ([`crate::heap::Ints`]),
    /// or the payload of a list of values' item — whose tag is checked to be an int's
    /// (`read`) or written as one. The list's kind is asked once, and the address joins
    /// from both ways: the load or store after it is one instruction for either kind, and
    /// `x[i] += …` reads and writes through one address.
    fn int_addr(
        &mut self,
        l: &Lists,
        layout: Layout,
        h: ir::Value,
        i: ir::Value,
        read: bool,
    ) -> ir::Value {
        if let Some(&(.., at)) = self.int_addrs.iter().find(|e| e.0 == h && e.1 == i) {
            return at;
        }
        let (ints, values) = self.split_on_kind(l, layout, h, layout.kind_ints);
        let join = self.b.create_block();
        let at = self.b.append_block_param(join, Type::I64);
        self.b.switch_to(ints);
        let (p, n) = self.ints(l, layout, h);
        let idx = self.checked_index(i, n);
        let a = self.scaled(p, idx, 3);
        self.b.jump(join, &[a]);
        self.b.switch_to(values);
        let item = self.values_item_addr(l, layout, h, i);
        let t = self.b.iconst(layout.tag_int);
        if read {
            let tag = self.b.load(item, 0, Width::U64);
            let other = self.b.cmp(Cmp::Ne, tag, t);
            let ok = self.b.create_block();
            let fail = self.stop();
            self.b.branch(other, fail, &[], ok, &[]);
            self.b.switch_to(ok);
        } else {
            self.b.store(item, 0, t, Width::U64);
        }
        let b = &mut self.b;
        let k = b.iconst(PAYLOAD as i64);
        let a = b.add(item, k);
        b.jump(join, &[a]);
        b.switch_to(join);
        self.int_addrs.push((h, i, at));
        at
    }

    /// Deoptimizes unless list `h` keeps values (not a byte an item).
    fn guard_values(&mut self, l: &Lists, layout: Layout, h: ir::Value) {
        self.deopt_if_kind(l, layout, h, Cmp::Ne, layout.kind_values);
    }

    /// Deoptimizes when list `h` keeps a byte an item.
    fn guard_not_bytes(&mut self, l: &Lists, layout: Layout, h: ir::Value) {
        self.deopt_if_kind(l, layout, h, Cmp::Eq, layout.kind_bytes);
    }

    /// Deoptimizes unless list `h` keeps its items so that reading them in place as `e`
    /// finds them: read as bools, bytes or values; as ints, machine ints or values; else
    /// values.
    fn guard_read_as(&mut self, l: &Lists, layout: Layout, h: ir::Value, e: Elem) {
        match e.want() {
            abi::WANT_BOOL => self.guard_not_ints(l, layout, h),
            abi::WANT_INT => self.guard_not_bytes(l, layout, h),
            _ => self.guard_values(l, layout, h),
        }
    }

    /// Deoptimizes when list `h` keeps machine ints.
    fn guard_not_ints(&mut self, l: &Lists, layout: Layout, h: ir::Value) {
        self.deopt_if_kind(l, layout, h, Cmp::Eq, layout.kind_ints);
    }

    /// Deoptimizes when list `h`'s kind compares to `k` as `op` says.
    fn deopt_if_kind(&mut self, l: &Lists, layout: Layout, h: ir::Value, op: Cmp, k: i64) {
        let obj = self.list_obj(l, layout, h);
        let kind = self.b.load_invariant(obj, layout.kind, Width::U8);
        let k = self.b.iconst(k);
        let bad = self.b.cmp(op, kind, k);
        let ok = self.b.create_block();
        let fail = self.stop();
        self.b.branch(bad, fail, &[], ok, &[]);
        self.b.switch_to(ok);
    }

    /// The address of item `i` of list `h`, known to keep values.
    fn values_item_addr(
        &mut self,
        l: &Lists,
        layout: Layout,
        h: ir::Value,
        i: ir::Value,
    ) -> ir::Value {
        let (items, len) = self.items(l, layout, h);
        let idx = self.checked_index(i, len);
        self.item_at(items, idx)
    }

    /// The address of item `i` of list `h`, known to keep a byte an item.
    fn byte_addr(&mut self, l: &Lists, layout: Layout, h: ir::Value, i: ir::Value) -> ir::Value {
        let obj = self.list_obj(l, layout, h);
        let bytes = self.b.load_invariant(obj, layout.bytes, Width::U64);
        let len = self.b.load_invariant(obj, layout.bytes_len, Width::U64);
        let idx = self.checked_index(i, len);
        self.b.add(bytes, idx)
    }

    /// Python's index `i` into `len` items, deoptimizing when there is no such item: one
    /// unsigned test on the way on (`0 <= i < len`), and out of line, a negative `i`
    /// counted from the end (`i + len`, tested the same way: a positive `i` past the end
    /// stays past it).
    fn checked_index(&mut self, i: ir::Value, len: ir::Value) -> ir::Value {
        let fail = self.stop();
        let b = &mut self.b;
        let inside = b.cmp(Cmp::Ult, i, len);
        if self.nonneg.contains(&i) || b.constant(i).is_some_and(|c| c >= 0) {
            // Not negative: past the end or there.
            let ok = b.create_block();
            b.branch(inside, ok, &[], fail, &[]);
            b.switch_to(ok);
            return i;
        }
        let (join, from_end) = (b.create_block(), b.create_block());
        let idx = b.append_block_param(join, Type::I64);
        b.branch(inside, join, &[i], from_end, &[]);
        b.set_cold(from_end);
        b.switch_to(from_end);
        let j = b.add(i, len);
        let outside = b.cmp(Cmp::Uge, j, len);
        b.branch(outside, fail, &[], join, &[j]);
        b.switch_to(join);
        idx
    }

    /// Where list `h` is in the heap's table. Invariant loads: only the routines (calls)
    /// change the heap's table, a list's kind (values or bytes), its items pointer and its
    /// length — compiled code writes items, never these — and `h` names a list wherever it
    /// is defined (the analysis types nothing else as one), so a loop without calls reads
    /// them once.
    fn list_obj(&mut self, l: &Lists, layout: Layout, h: ir::Value) -> ir::Value {
        let b = &mut self.b;
        let heap = b.load_invariant(l.ctx_v, 0, Width::U64);
        let table = b.load_invariant(heap, layout.table, Width::U64);
        let size = b.iconst(layout.obj_size);
        let at = b.binary(ir::BinOp::Mul, h, size);
        b.add(table, at)
    }

    /// Where the items of list `h` (one that keeps values) are, and how many there are.
    fn items(&mut self, l: &Lists, layout: Layout, h: ir::Value) -> (ir::Value, ir::Value) {
        let obj = self.list_obj(l, layout, h);
        let items = self.b.load_invariant(obj, layout.items, Width::U64);
        let len = self.b.load_invariant(obj, layout.len, Width::U64);
        (items, len)
    }

    /// `len(h)` of a list: in place when the layout is known, else through its routine.
    fn len_of(&mut self, h: ir::Value) -> Result<ir::Value, Reject> {
        let l = self.lists()?;
        Ok(match l.layout {
            Some(layout) => self.list_len(&l, layout, h),
            None => self.b.call_host(l.len, Type::I64, &[l.ctx_v, h]),
        })
    }

    /// `len(h)` of a list, read in place: the count of whichever kind the list is
    /// (loads of the others read words of the same object, and are not chosen) — no call,
    /// so a loop that asks it each turn can still have its invariants hoisted.
    fn list_len(&mut self, l: &Lists, layout: Layout, h: ir::Value) -> ir::Value {
        let obj = self.list_obj(l, layout, h);
        let b = &mut self.b;
        let kind = b.load_invariant(obj, layout.kind, Width::U8);
        let values = b.load_invariant(obj, layout.len, Width::U64);
        let bytes = b.load_invariant(obj, layout.bytes_len, Width::U64);
        let ints = b.load_invariant(obj, layout.ints_len, Width::U64);
        let (kb, ki) = (b.iconst(layout.kind_bytes), b.iconst(layout.kind_ints));
        let is_bytes = b.cmp(Cmp::Eq, kind, kb);
        let is_ints = b.cmp(Cmp::Eq, kind, ki);
        let packed = b.select(is_bytes, bytes, values);
        b.select(is_ints, ints, packed)
    }

    /// Where the machine ints of list `h` (one that keeps ints) are, and how many there are.
    fn ints(&mut self, l: &Lists, layout: Layout, h: ir::Value) -> (ir::Value, ir::Value) {
        let obj = self.list_obj(l, layout, h);
        let p = self.b.load_invariant(obj, layout.ints, Width::U64);
        let n = self.b.load_invariant(obj, layout.ints_len, Width::U64);
        (p, n)
    }

    /// Branches on how list `h` keeps its items: on to the first block returned when its
    /// kind is `k` (`layout.kind_bytes`: a byte an item, [`crate::heap::Obj::Bools`];
    /// `layout.kind_ints`: a machine int an item), to the second otherwise.
    fn split_on_kind(&mut self, l: &Lists, layout: Layout, h: ir::Value, k: i64) -> (Block, Block) {
        let obj = self.list_obj(l, layout, h);
        let kind = self.b.load_invariant(obj, layout.kind, Width::U8);
        let k = self.b.iconst(k);
        let is_k = self.b.cmp(Cmp::Eq, kind, k);
        let (this, other) = (self.b.create_block(), self.b.create_block());
        self.b.branch(is_k, this, &[], other, &[]);
        (this, other)
    }

    /// The address of the item at `idx` (in range) of the items at `items`.
    fn item_at(&mut self, items: ir::Value, idx: ir::Value) -> ir::Value {
        self.scaled(items, idx, VALUE_SIZE.trailing_zeros() as i64)
    }

    /// `base + (idx << shift)`: item `idx` of items of 2^shift bytes.
    fn scaled(&mut self, base: ir::Value, idx: ir::Value, shift: i64) -> ir::Value {
        let b = &mut self.b;
        let shift = b.iconst(shift);
        let off = b.binary(ir::BinOp::Shl, idx, shift);
        b.add(base, off)
    }

    /// The payload of the value at `at`, which must be of kind `want` (else the code
    /// deoptimizes).
    fn checked_payload(&mut self, layout: Layout, at: ir::Value, want: i64) -> ir::Value {
        let tag = self.b.load(at, 0, Width::U64);
        let t = self.b.iconst(layout.tag(want));
        let other = self.b.cmp(Cmp::Ne, tag, t);
        let ok = self.b.create_block();
        let fail = self.stop();
        self.b.branch(other, fail, &[], ok, &[]);
        self.b.switch_to(ok);
        self.b.load(at, PAYLOAD, payload_width(want))
    }

    /// `x[i]`, which must be of kind `want` (else the code deoptimizes).
    fn list_item(&mut self, x: ir::Value, i: ir::Value, want: i64) -> Result<ir::Value, Reject> {
        let l = self.lists()?;
        let Some(layout) = l.layout else {
            let w = self.b.iconst(want);
            let r = self.b.call_host(l.item, Type::I64, &[l.ctx_v, x, i, w]);
            self.deopt_if_deopt(r);
            return Ok(r);
        };
        if want == abi::WANT_INT {
            let at = self.int_addr(&l, layout, x, i, true);
            return Ok(self.b.load(at, 0, Width::U64));
        }
        if want != abi::WANT_BOOL {
            let at = self.item_addr(&l, layout, x, i);
            return Ok(self.checked_payload(layout, at, want));
        }
        // A bool: a byte or a value, as the list keeps it.
        let (bytes, values) = self.split_on_kind(&l, layout, x, layout.kind_bytes);
        let join = self.b.create_block();
        let r = self.b.append_block_param(join, Type::I64);
        self.b.switch_to(bytes);
        let at = self.byte_addr(&l, layout, x, i);
        let v = self.b.load(at, 0, Width::U8);
        self.b.jump(join, &[v]);
        self.b.switch_to(values);
        let at = self.values_item_addr(&l, layout, x, i);
        let v = self.checked_payload(layout, at, want);
        self.b.jump(join, &[v]);
        self.b.switch_to(join);
        Ok(r)
    }

    /// `x[i] = v` of a value of kind `kind`.
    fn list_store(
        &mut self,
        x: ir::Value,
        i: ir::Value,
        kind: i64,
        v: ir::Value,
    ) -> Result<(), Reject> {
        let l = self.lists()?;
        let Some(layout) = l.layout else {
            let k = self.b.iconst(kind);
            let r = self.b.call_host(l.store, Type::I64, &[l.ctx_v, x, i, k, v]);
            self.deopt_if_deopt(r);
            return Ok(());
        };
        if kind == abi::WANT_INT {
            let at = self.int_addr(&l, layout, x, i, false);
            self.b.store(at, 0, v, Width::U64);
            return Ok(());
        }
        // (Another kind where an int may have been: the addresses of ints are stale.)
        self.int_addrs.clear();
        if kind != abi::WANT_BOOL {
            let at = self.item_addr(&l, layout, x, i);
            self.store_value(layout, at, kind, v);
            return Ok(());
        }
        // A bool: a byte or a value, as the list keeps it.
        let (bytes, values) = self.split_on_kind(&l, layout, x, layout.kind_bytes);
        let join = self.b.create_block();
        self.b.switch_to(bytes);
        let at = self.byte_addr(&l, layout, x, i);
        self.b.store(at, 0, v, Width::U8);
        self.b.jump(join, &[]);
        self.b.switch_to(values);
        let at = self.values_item_addr(&l, layout, x, i);
        self.store_value(layout, at, kind, v);
        self.b.jump(join, &[]);
        self.b.switch_to(join);
        Ok(())
    }

    /// Writes the value of kind `kind` with payload `v` at `at`.
    fn store_value(&mut self, layout: Layout, at: ir::Value, kind: i64, v: ir::Value) {
        let t = self.b.iconst(layout.tag(kind));
        self.b.store(at, 0, t, Width::U64);
        self.b.store(at, PAYLOAD, v, payload_width(kind));
    }

    /// `[a, b, …]`: a new list, then each item appended.
    /// `xs.append(v)` or `xs.pop()` (JIT; the analysis allows no other method).
    fn list_method(
        &mut self,
        fr: &mut Frame,
        ins: Instr,
        pushed: Option<Ty>,
    ) -> Result<(), Reject> {
        let l = self.lists()?;
        let args = fr.pop_n(method_values(ins.b) as usize)?;
        let x = fr.pop()?;
        let c = l.ctx_v;
        let r = match (self.cx.prog.strings[ins.a as usize].as_str(), &args[..]) {
            ("sort", rest) => {
                let reverse = match rest {
                    [r] => r.0,
                    _ => self.b.iconst(0),
                };
                let r = self.b.call_host(l.sort, Type::I64, &[c, x.0, reverse]);
                self.deopt_if_deopt(r);
                self.b.iconst(0)
            }
            ("reverse", []) => {
                self.b.call_host(l.reverse, Type::I64, &[c, x.0]);
                self.b.iconst(0)
            }
            ("append", [v]) => {
                let kind = self.b.iconst(kind_of(v.1));
                self.b.call_host(l.push, Type::I64, &[c, x.0, kind, v.0]);
                self.b.iconst(0)
            }
            ("insert", [i, v]) => {
                let kind = self.b.iconst(kind_of(v.1));
                self.b
                    .call_host(l.insert, Type::I64, &[c, x.0, i.0, kind, v.0]);
                self.b.iconst(0)
            }
            ("pop", rest) => {
                let want = self.b.iconst(list_elem(x.1)?.want());
                let r = match rest {
                    [i] => self.b.call_host(l.pop_at, Type::I64, &[c, x.0, i.0, want]),
                    _ => self.b.call_host(l.pop, Type::I64, &[c, x.0, want]),
                };
                self.deopt_if_deopt(r);
                r
            }
            _ => return Err("internal: a list method the analysis does not take"),
        };
        self.forget_item_addrs();
        fr.push((r, result(pushed)?, None));
        Ok(())
    }

    fn build_list(&mut self, fr: &mut Frame, n: usize, pushed: Option<Ty>) -> Result<(), Reject> {
        let items = fr.pop_n(n)?;
        let l = self.lists()?;
        let h = self.b.call_host(l.new, Type::I64, &[l.ctx_v]);
        for s in items {
            let kind = self.b.iconst(kind_of(s.1));
            self.b
                .call_host(l.push, Type::I64, &[l.ctx_v, h, kind, s.0]);
        }
        fr.push((h, result(pushed)?, None));
        Ok(())
    }

    /// `x * n` of a list: a new one.
    fn list_repeat(&mut self, x: ir::Value, n: ir::Value) -> Result<ir::Value, Reject> {
        let l = self.lists()?;
        let r = self.b.call_host(l.repeat, Type::I64, &[l.ctx_v, x, n]);
        self.deopt_if_deopt(r);
        Ok(r)
    }

    /// One step of a loop over a list: on to the body with the next item, or out to `ins.b`
    /// without the iterator. Ends the block.
    fn for_iter(&mut self, fr: &mut Frame, ins: Instr, pushed: Option<Ty>) -> Result<(), Reject> {
        let it = fr.pop()?;
        let e = match it.1 {
            Ty::ListIter(e, _) => e,
            Ty::RangeIter => Elem::Int,
            _ => return Err("internal: not a list or range iterator"),
        };
        let l = self.lists()?;
        let exit = *self.blocks.get(&ins.b).ok_or("loop exit")?;
        let done_args = args_for(&mut self.b, fr, &self.an.entries[&ins.b], self.generic)?;
        if let (Some(layout), Some(pos)) = (l.layout, it.2) {
            let item = self.item_or_exit(&l, layout, it.0, pos, e, exit, &done_args);
            let one = self.b.iconst(1);
            let next = self.b.add(pos, one);
            fr.push((it.0, it.1, Some(next)));
            fr.push((item, result(pushed)?, None));
            return Ok(());
        }
        fr.push(it);
        let want = self.b.iconst(e.want());
        let r = self.b.call_host(l.next, Type::I64, &[l.ctx_v, it.0, want]);
        let done = self.b.iconst(abi::DONE);
        let is_done = self.b.cmp(Cmp::Eq, r, done);
        let more = self.b.create_block();
        self.b.branch(is_done, exit, &done_args, more, &[]);
        self.b.switch_to(more);
        self.deopt_if_deopt(r);
        fr.push((r, result(pushed)?, None));
        Ok(())
    }

    /// `enumerate(xs[, start])` or `zip(xs, ys)` starting a [`pair_loop`]: each list
    /// checked as GET_ITER checks one read in place, then its iterator (the list and
    /// position 0) and the start or the second list.
    fn pair_iter(&mut self, fr: &mut Frame, ins: Instr) -> Result<(), Reject> {
        let args = fr.pop_n(ins.b as usize)?;
        let l = self.lists()?;
        let layout = l
            .layout
            .ok_or("enumerate() or zip() without the list layout")?;
        for a in &args {
            if let Ty::List(e, _) = a.1 {
                self.guard_read_as(&l, layout, a.0, e);
            }
        }
        let Ty::List(e, fresh) = args[0].1 else {
            return Err("internal: enumerate() or zip() of something other than a list");
        };
        let zero = self.b.iconst(0);
        fr.push((args[0].0, Ty::ListIter(e, fresh), Some(zero)));
        match args.get(1) {
            Some(&(v, Ty::List(e2, f2), _)) => fr.push((v, Ty::List(e2, f2), None)),
            Some(&(v, ..)) => fr.push((v, Ty::Int, None)),
            None => fr.push((zero, Ty::Int, None)),
        }
        Ok(())
    }

    /// `FOR_ITER` of a loop over `enumerate(xs)` or `zip(xs, ys)` ([`pair_loop`]): the
    /// first list's iterator and enumerate's start or zip's second list on the stack; out
    /// when either list has no item at the position, else the two items (the first on top).
    fn pair_next(&mut self, fr: &mut Frame, ins: Instr) -> Result<(), Reject> {
        let (second, it) = (fr.pop()?, fr.pop()?);
        let (Ty::ListIter(e, fresh), Some(pos)) = (it.1, it.2) else {
            return Err("internal: a loop over enumerate() or zip() without its list");
        };
        let l = self.lists()?;
        let layout = l
            .layout
            .ok_or("enumerate() or zip() without the list layout")?;
        let exit = *self.blocks.get(&ins.b).ok_or("loop exit")?;
        let done_args = args_for(&mut self.b, fr, &self.an.entries[&ins.b], self.generic)?;
        let x = self.item_or_exit(&l, layout, it.0, pos, e, exit, &done_args);
        let (top, below) = match second.1 {
            Ty::List(e2, f2) => {
                let y = self.item_or_exit(&l, layout, second.0, pos, e2, exit, &done_args);
                ((x, e.ty(fresh)), (y, e2.ty(f2)))
            }
            // enumerate: the count is the start and the position (past 64 bits: the
            // interpreter goes on).
            _ => {
                let i = self.arithmetic(BinOp::Add, second.0, pos, None);
                ((i, Ty::Int), (x, e.ty(fresh)))
            }
        };
        let one = self.b.iconst(1);
        let next = self.b.add(pos, one);
        fr.push((it.0, it.1, Some(next)));
        fr.push(second);
        fr.push((below.0, below.1, None));
        fr.push((top.0, top.1, None));
        Ok(())
    }

    /// Item `pos` of list `h` (read as `e` says, in place), or out to `exit` (with
    /// `done_args`) when the list has no item there: its length now (the loop may change
    /// it), then the item — for a list of bools, a byte or a value as the list keeps them.
    #[allow(clippy::too_many_arguments)]
    fn item_or_exit(
        &mut self,
        l: &Lists,
        layout: Layout,
        h: ir::Value,
        pos: ir::Value,
        e: Elem,
        exit: Block,
        done_args: &[ir::Value],
    ) -> ir::Value {
        let join = self.b.create_block();
        let item = self.b.append_block_param(join, Type::I64);
        // (Not a list of bools: GET_ITER made sure it keeps values.)
        if e.want() == abi::WANT_BOOL {
            let (bytes, values) = self.split_on_kind(l, layout, h, layout.kind_bytes);
            self.b.switch_to(bytes);
            let obj = self.list_obj(l, layout, h);
            let at = self.b.load_invariant(obj, layout.bytes, Width::U64);
            let len = self.b.load_invariant(obj, layout.bytes_len, Width::U64);
            let (more, b) = (self.b.create_block(), &mut self.b);
            let done = b.cmp(Cmp::Ge, pos, len);
            b.branch(done, exit, done_args, more, &[]);
            b.switch_to(more);
            let at = b.add(at, pos);
            let v = b.load(at, 0, Width::U8);
            b.jump(join, &[v]);
            self.b.switch_to(values);
        }
        if e.want() == abi::WANT_INT {
            // A list of ints, or of values that are ints.
            let (ints, values) = self.split_on_kind(l, layout, h, layout.kind_ints);
            self.b.switch_to(ints);
            let (p, len) = self.ints(l, layout, h);
            let more = self.b.create_block();
            let done = self.b.cmp(Cmp::Ge, pos, len);
            self.b.branch(done, exit, done_args, more, &[]);
            self.b.switch_to(more);
            let at = self.scaled(p, pos, 3);
            let v = self.b.load(at, 0, Width::U64);
            self.b.jump(join, &[v]);
            self.b.switch_to(values);
        }
        let (items, len) = self.items(l, layout, h);
        let more = self.b.create_block();
        let b = &mut self.b;
        let done = b.cmp(Cmp::Ge, pos, len);
        b.branch(done, exit, done_args, more, &[]);
        b.switch_to(more);
        let at = self.item_at(items, pos);
        let v = self.checked_payload(layout, at, e.want());
        self.b.jump(join, &[v]);
        self.b.switch_to(join);
        item
    }

    /// Fast version: the block that moves the function into its generic version at
    /// instruction `pc`, whose frame there is `slots` (locals, then the stack): it hands the
    /// frame over, runs the rest of the call there, and returns [`SENTINEL`] to the call's
    /// landing with the result in the pending cells. None when there is no generic
    /// version to move into.
    fn transfer(&mut self, pc: u32, slots: &[Slot]) -> Option<Block> {
        self.transfer_at(pc, slots, false)
    }

    /// [`Lowering::transfer`]; `after_call`: at the instruction after a call, whose result
    /// (the frame's last slot, not in `slots`) the generic version takes from the pending
    /// cells.
    fn transfer_at(&mut self, pc: u32, slots: &[Slot], after_call: bool) -> Option<Block> {
        let big = self.cx.big?;
        if self.generic || self.raise.is_none() {
            return None;
        }
        let generic = *big.generic.get(&self.code_id)?;
        let all = big.entries.get(&self.code_id)?.get(&pc)?;
        let types = &all[..all.len().checked_sub(usize::from(after_call))?];
        let fits = |f: Ty, g: Ty| {
            f == g
                || f == Ty::Never
                || matches!(g, Ty::Dyn(m) if bits(f).is_some_and(|k| k & !m == 0))
        };
        if types.len() != slots.len() || slots.iter().zip(types).any(|(s, &g)| !fits(s.1, g)) {
            return None;
        }
        let host = *big.hand_over.get(&(3 + 2 * slots.len()))?;
        let here = self.b.current_block();
        let blk = self.b.create_block();
        self.b.switch_to(blk);
        let site = self.site;
        self.set_site(TRANSPARENT);
        let b = &mut self.b;
        // One call takes the whole frame, so that no value of it has to outlive a call
        // (which would cost the fast version callee-saved registers).
        let z = b.iconst(0);
        let mut args = vec![
            self.depth,
            b.iconst(big.xfer),
            b.iconst(2 * slots.len() as i64),
        ];
        let (words, live) = self.live.get_or_insert_with(|| live_locals(self.code));
        let at = &live[pc as usize * *words..(pc as usize + 1) * *words];
        let nl = self.code.nlocals as usize;
        for (i, (&s, &g)) in slots.iter().zip(types).enumerate() {
            if i < nl && at[i / 64] & (1 << (i % 64)) == 0 {
                // Dead here: never read before it is written again.
                args.extend([z, z]);
                continue;
            }
            args.push(s.0);
            args.push(if two_words(g, true) {
                tag_value(b, s).ok()?
            } else {
                z
            });
        }
        let depth = b.call_host(host, Type::I64, &args);
        let params = &self.an.params;
        let mut args = vec![z; params.len()];
        args.push(depth);
        args.extend(core::iter::repeat_n(z, ndyn(params, true)));
        args.push(b.iconst(entry_id(pc, after_call)));
        let r = b.call(generic, Type::I64, &args);
        let cell = b.iconst(big.pending);
        let sentinel = b.call_host(big.hosts.pend, Type::I64, &[r, cell]);
        b.ret_landing(sentinel);
        self.set_site(site);
        self.b.switch_to(here);
        Some(blk)
    }

    /// After a call to a fast version (ahead of time, with generic versions): a return to
    /// the call's landing is the callee's handing its result over in the pending cells:
    /// this function then moves into its generic version after the call, which takes the
    /// result from there. The normal way costs nothing. The result the normal way, and
    /// the tag of a [`Ty::Dyn`] result `rt`.
    fn after_call(
        &mut self,
        fr: &Frame,
        r: ir::Value,
        rt: Ty,
    ) -> Result<(ir::Value, Option<ir::Value>), Reject> {
        let rs = self.raise.ok_or("internal: no cells")?;
        let b = &mut self.b;
        let (slow, cont) = (b.create_block(), b.create_block());
        b.set_cold(slow);
        let result = b.append_block_param(cont, Type::I64);
        b.landing(r, slow, &[], cont, &[r]);
        b.switch_to(slow);
        let next = self.pc as u32 + 1;
        let f = match self.transfer_at(next, &fr.slots(), true) {
            Some(f) => f,
            None => self.raise_to(self.msg(|r| r.overflow)),
        };
        self.b.jump(f, &[]);
        self.b.switch_to(cont);
        let tag = match rt {
            Ty::Dyn(_) => Some(self.b.call_host(rs.get_tag, Type::I64, &[])),
            _ => None,
        };
        Ok((result, tag))
    }

    /// A fast version's call `r` whose result it returns right away (ahead of time, with
    /// generic versions): a return to this call's landing goes on to its own caller's.
    /// The result the normal way.
    fn pass_landing_on(&mut self, r: ir::Value) -> ir::Value {
        let b = &mut self.b;
        let (land, cont) = (b.create_block(), b.create_block());
        b.set_cold(land);
        let handed = b.append_block_param(land, Type::I64);
        let result = b.append_block_param(cont, Type::I64);
        b.landing(r, land, &[r], cont, &[r]);
        b.switch_to(land);
        b.ret_landing(handed);
        b.switch_to(cont);
        result
    }

    /// Generic version: the tag of an int that may be big (None: known to be a machine int).
    fn maybe_big(&self, s: Slot) -> Option<ir::Value> {
        match s.1 {
            Ty::Int | Ty::Dyn(_) if self.generic && bits(s.1).is_some_and(|m| m & B_INT != 0) => {
                s.2
            }
            _ => None,
        }
    }

    /// Generic version: where compiled code needs a machine int, a big one raises (an
    /// OverflowError, where CPython would go on: what is left of the subset). In a program
    /// with int literals past 64 bits, where big ints are no rare overflow but certain,
    /// the generic version is refused instead (the program is then compiled without, and
    /// its literals refused: it runs bundled, exactly).
    fn small_only(&mut self, s: Slot) -> Result<(), Reject> {
        if let Some(t) = self.maybe_big(s) {
            if self.cx.big.is_some_and(|b| b.literals) {
                return Err("needs a machine int where an int past 64 bits may be");
            }
            let bigk = self.b.iconst(tag::BIG);
            let c = self.b.cmp(Cmp::Eq, t, bigk);
            let why = self.intern(&Exception::new(
                ExcKind::OverflowError,
                "an int past 64 bits where minipy's compiled code needs a machine int",
            ));
            self.fail_if(c, why);
        }
        Ok(())
    }

    /// Generic version: the result of an `mp_*` routine and its tag (`mp_tag`), raising the
    /// exception the routine reports.
    fn big_result(&mut self, r: ir::Value) -> Result<(ir::Value, ir::Value), Reject> {
        let big = self.cx.big.ok_or("internal: no runtime library")?;
        let b = &mut self.b;
        let t = b.call_host(big.hosts.tag, Type::I64, &[]);
        let e = b.iconst(BIG_ERROR);
        let failed = b.cmp(Cmp::Eq, t, e);
        let (bad, ok) = (b.create_block(), b.create_block());
        b.branch(failed, bad, &[], ok, &[]);
        b.switch_to(bad);
        b.call_host(big.hosts.raise, Type::I64, &[r]);
        b.jump(bad, &[]);
        b.switch_to(ok);
        Ok((r, t))
    }

    /// Generic version: `x op y` for ints that may be big — machine ints while both are
    /// and the result fits, else the runtime library. The result and its tag.
    fn big_binary_op(
        &mut self,
        op: BinOp,
        sx: Slot,
        sy: Slot,
    ) -> Result<(ir::Value, ir::Value), Reject> {
        let big = self.cx.big.ok_or("internal: no runtime library")?;
        let (tx, ty) = (self.maybe_big(sx), self.maybe_big(sy));
        let b = &mut self.b;
        let (join, slow) = (b.create_block(), b.create_block());
        let out = b.append_block_param(join, Type::I64);
        let out_tag = b.append_block_param(join, Type::I64);
        if !matches!(op, BinOp::Pow | BinOp::LShift) {
            let bigk = b.iconst(tag::BIG);
            for t in [tx, ty].into_iter().flatten() {
                let c = b.cmp(Cmp::Eq, t, bigk);
                let next = b.create_block();
                b.branch(c, slow, &[], next, &[]);
                b.switch_to(next);
            }
            let (x, y) = (sx.0, sy.0);
            let r = match op {
                BinOp::Add | BinOp::Sub | BinOp::Mul => {
                    b.checked(overflow_checked(op), x, y, slow, &[])
                }
                BinOp::FloorDiv => b.checked(CheckedOp::DivF, x, y, slow, &[]),
                BinOp::Mod => b.checked(CheckedOp::ModF, x, y, slow, &[]),
                BinOp::RShift => b.checked(CheckedOp::Sar, x, y, slow, &[]),
                BinOp::BitAnd => b.binary(ir::BinOp::And, x, y),
                BinOp::BitOr => b.binary(ir::BinOp::Or, x, y),
                _ => b.binary(ir::BinOp::Xor, x, y),
            };
            let ik = b.iconst(tag::INT);
            b.jump(join, &[r, ik]);
        } else {
            b.jump(slow, &[]);
        }
        b.switch_to(slow);
        let (ta, tb) = (tag_value(b, sx)?, tag_value(b, sy)?);
        let k = BinOp::ALL.iter().position(|&o| o == op).unwrap_or(0);
        let r = b.call_host(big.hosts.binary[k], Type::I64, &[ta, sx.0, tb, sy.0]);
        let (r, t) = self.big_result(r)?;
        self.b.jump(join, &[r, t]);
        self.b.switch_to(join);
        Ok((out, out_tag))
    }

    /// Generic version: `-x`, `+x`, `~x` of an int that may be big (`abs(x)` for
    /// [`Op::CallBuiltin`]).
    fn big_unary(&mut self, op: Op, sx: Slot) -> Result<(ir::Value, ir::Value), Reject> {
        let big = self.cx.big.ok_or("internal: no runtime library")?;
        if !is_num(sx.1) && !matches!(sx.1, Ty::Dyn(_)) {
            return Err("a unary operator on a value that is not an int");
        }
        let t = self.maybe_big(sx);
        let b = &mut self.b;
        let (join, slow) = (b.create_block(), b.create_block());
        let out = b.append_block_param(join, Type::I64);
        let out_tag = b.append_block_param(join, Type::I64);
        if let Some(t) = t {
            let bigk = b.iconst(tag::BIG);
            let c = b.cmp(Cmp::Eq, t, bigk);
            let next = b.create_block();
            b.branch(c, slow, &[], next, &[]);
            b.switch_to(next);
        }
        let x = sx.0;
        let r = match op {
            Op::UnaryNegative => {
                let z = b.iconst(0);
                b.checked(CheckedOp::Sub, z, x, slow, &[])
            }
            Op::CallBuiltin => {
                let z = b.iconst(0);
                let neg = b.cmp(Cmp::Lt, x, z);
                let negated = b.checked(CheckedOp::Sub, z, x, slow, &[]);
                b.select(neg, negated, x)
            }
            Op::UnaryInvert => b.unary(ir::UnOp::Not, x),
            _ => x,
        };
        let ik = b.iconst(tag::INT);
        b.jump(join, &[r, ik]);
        b.switch_to(slow);
        let tx = tag_value(b, sx)?;
        let which = b.iconst(match op {
            Op::UnaryNegative => 0,
            Op::UnaryPositive => 1,
            Op::UnaryInvert => 2,
            _ => 3,
        });
        let r = b.call_host(big.hosts.unary, Type::I64, &[which, tx, x]);
        let (r, t) = self.big_result(r)?;
        self.b.jump(join, &[r, t]);
        self.b.switch_to(join);
        Ok((out, out_tag))
    }

    /// For an operation on values whose kinds are known only at run time: numbers with
    /// numbers go on (and strings with strings, if `strings`); any other pair raises the
    /// exception `fails` gives for it — CPython's TypeError, the message picked by the tags.
    fn check_kinds(
        &mut self,
        sx: Slot,
        sy: Slot,
        strings: bool,
        fails: &dyn Fn(Value, Value) -> Option<Exception>,
    ) -> Result<(), Reject> {
        let b = &mut self.b;
        let (mut ta, mut tb) = (tag_value(b, sx)?, tag_value(b, sy)?);
        if self.generic {
            // A big int is an int.
            let (bigk, ik) = (b.iconst(tag::BIG), b.iconst(tag::INT));
            for t in [&mut ta, &mut tb] {
                let c = b.cmp(Cmp::Eq, *t, bigk);
                *t = b.select(c, ik, *t);
            }
        }
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
            let f = self.raise_to(self.intern(&e));
            let b = &mut self.b;
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
        self.b.switch_to(ok);
        Ok(())
    }
}

/// The routines of [`ListHosts`] for one function, its context a value there.
struct Lists {
    ctx_v: ir::Value,
    new: HostId,
    push: HostId,
    pop: HostId,
    pop_at: HostId,
    insert: HostId,
    copy: HostId,
    slice: HostId,
    sort: HostId,
    reverse: HostId,
    sorted: HostId,
    sum: HostId,
    min_max: HostId,
    contains: HostId,
    repeat: HostId,
    item: HostId,
    store: HostId,
    iter: HostId,
    next: HostId,
    len: HostId,
    range: HostId,
    range_iter: HostId,
    range_iter_copy: HostId,
    layout: Option<Layout>,
}

/// How wide the payload of a value of kind `kind` is in memory.
fn payload_width(kind: i64) -> Width {
    match kind {
        abi::WANT_BOOL => Width::U8,
        abi::WANT_LIST => Width::U32,
        _ => Width::U64,
    }
}

/// The element kind of a list type.
fn list_elem(t: Ty) -> Result<Elem, Reject> {
    match t {
        Ty::List(e, _) => Ok(e),
        _ => Err("internal: not a list"),
    }
}

/// The kind ([`crate::analysis::abi`]) of a value of type `t` stored into a list.
fn kind_of(t: Ty) -> i64 {
    match t {
        Ty::Bool => abi::WANT_BOOL,
        Ty::List(..) => abi::WANT_LIST,
        _ => abi::WANT_INT,
    }
}

/// Signature of a compiled function: Python parameters plus the depth.
pub fn signature(nparams: usize) -> Signature {
    Signature {
        params: vec![Type::I64; nparams + 1],
        ret: Type::I64,
    }
}

/// Signature of a function with parameter types `params`: payloads, the depth, then a tag
/// for each [`Ty::Dyn`] parameter (JIT: the position of each list iterator).
pub fn signature_for(params: &[Ty]) -> Signature {
    // (JIT: a list iterator's position is its second word.)
    let tags = ndyn(params, false);
    signature(params.len() + tags)
}
