//! Type and shape inference over bytecode: abstract interpretation that finds, for every
//! block of a code object, the type of each local and stack entry, what each instruction
//! pushes, which instructions always raise, and what a function calls, reads and stores.
//! [`analyze_graph`] runs it over a function and everything it calls until parameter and
//! return types settle. The [`Policy`] says what compiled code may do: the JIT's pure ints
//! and bools, or ahead of time's effects and values of several kinds ([`Ty::Dyn`]).

use crate::ast::{BinOp, CmpOp};
use crate::bytecode::*;
use crate::error::{ExcKind, Exception};
use crate::value::{self, Value};
use alloc::collections::BTreeMap;
use alloc::string::String;
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
    /// JIT, a loop entered from its head ([`analyze_graph_at_loop`]): a local holding what
    /// compiled code does not take, untouched since the entry — fatal to use, and handed
    /// back as the interpreter's own value ([`crate::deopt::Kind::Kept`]) where the code
    /// stops. (Joined with anything else it is [`Ty::Any`].)
    Kept,
    /// JIT only: a list (its handle), by what reading an element is speculated to give
    /// (checked at run time: another kind deoptimizes), and whether this call made it and
    /// every list in it (`true`). Only such lists are written to, so a call that
    /// deoptimizes can run again from its start in the interpreter and change nothing
    /// twice.
    List(Elem, bool),
    /// JIT only: an iterator (its handle) over a list; what its items are speculated to be.
    ListIter(Elem, bool),
    /// JIT only: `range(…)` as a value (its handle), and an iterator over one (its handle;
    /// made by this call or the caller's, as a comprehension's `.0`).
    Range,
    RangeIter,
}

/// What JIT-compiled code and the interpreter agree on: the kinds of value compiled code
/// hands [`crate::jitobj`]'s routines and expects back (payloads: an int, a bool as 0/1, a
/// list's handle), and the answers that are no value.
pub mod abi {
    /// What compiled code returns instead of a value when the interpreter must take over.
    /// (A genuine i64::MIN result also comes back as this; the interpreter then recomputes
    /// it.)
    pub const DEOPT: i64 = i64::MIN;
    pub const WANT_INT: i64 = 0;
    pub const WANT_BOOL: i64 = 1;
    pub const WANT_LIST: i64 = 2;
    /// A list iterator's answer when it is done (an item whose payload is this or
    /// `DEOPT` deoptimizes instead).
    pub const DONE: i64 = i64::MIN + 1;
}

/// What an element of a [`Ty::List`] is speculated to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Elem {
    /// Nothing yet (an empty list's): reading one deoptimizes.
    Never,
    Int,
    Bool,
    /// A list of ints.
    Ints,
    /// A list of bools.
    Bools,
}

impl Elem {
    /// The element kind of values of type `t`, if a list can hold them in compiled code.
    pub fn of(t: Ty) -> Option<Elem> {
        Some(match t {
            Ty::Int => Elem::Int,
            Ty::Bool => Elem::Bool,
            Ty::Never => Elem::Never,
            Ty::List(Elem::Int, _) => Elem::Ints,
            Ty::List(Elem::Bool, _) => Elem::Bools,
            _ => return None,
        })
    }

    /// The type an element read gives (`fresh`: the list's).
    pub fn ty(self, fresh: bool) -> Ty {
        match self {
            Elem::Never => Ty::Never,
            Elem::Int => Ty::Int,
            Elem::Bool => Ty::Bool,
            Elem::Ints => Ty::List(Elem::Int, fresh),
            Elem::Bools => Ty::List(Elem::Bool, fresh),
        }
    }

    /// The value kind compiled code checks an element for ([`abi`]).
    pub fn want(self) -> i64 {
        match self {
            Elem::Never | Elem::Int => abi::WANT_INT,
            Elem::Bool => abi::WANT_BOOL,
            Elem::Ints | Elem::Bools => abi::WANT_LIST,
        }
    }

    fn join(a: Elem, b: Elem) -> Option<Elem> {
        match (a, b) {
            _ if a == b => Some(a),
            (Elem::Never, e) | (e, Elem::Never) => Some(e),
            _ => None,
        }
    }
}

/// Why code that works on the heap's objects is left to the interpreter.
const OBJECTS: &str = "uses lists, tuples, strings or iterators (not compiled yet)";
/// Why a function that shares variables with functions inside it (or is one) stays in the
/// interpreter.
pub const CLOSURES: &str = "shares variables with a nested function (not compiled yet)";
/// Why a generator expression's code stays in the interpreter (its frame outlives a call).
pub const GENERATOR: &str = "is a generator (not compiled yet)";
/// Why a function with `*args`, `**kwargs` or keyword-only parameters stays in the
/// interpreter (and calls of it: [`crate::bind`] matches their arguments).
pub const EXTRA_PARAMS: &str = "has *args, **kwargs or keyword-only parameters (not compiled yet)";

/// What --stats says of a generator expression that a builtin folds ([`Consumer`]): it has
/// no entry of its own, its code is compiled into each function that calls it.
pub const FOLDED: &str =
    "a generator expression sum/any/all/min/max/list folds: compiled into its caller";
/// Run-time tags of [`Ty::Dyn`] values.
pub mod tag {
    pub const INT: i64 = 0;
    pub const BOOL: i64 = 1;
    pub const NONE: i64 = 2;
    pub const STR: i64 = 3;
    pub const UNSET: i64 = 4;
    /// Ahead of time, in a function's generic version only: an int past 64 bits (the
    /// payload is its address in the runtime library's heap). Never in a [`super::Ty`]
    /// mask: any int of a generic version may be one.
    pub const BIG: i64 = 5;
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
        Ty::Func(_)
        | Ty::Any
        | Ty::Kept
        | Ty::List(..)
        | Ty::ListIter(..)
        | Ty::Range
        | Ty::RangeIter => {
            return None;
        }
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

/// The truth of the value a conditional jump at `pc` tests when it is the constant the
/// instruction before pushed (`while True:`; nothing jumps in between).
pub(crate) fn constant_test(code: &Code, pc: usize) -> Option<bool> {
    let prev = code.instrs.get(pc.checked_sub(1)?)?;
    if prev.op != Op::LoadConst || jumped_to(code, pc as u32) {
        return None;
    }
    match code.consts.get(prev.a as usize)? {
        Const::Bool(b) => Some(*b),
        Const::Int(i) => Some(*i != 0),
        Const::None => Some(false),
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
        (Ty::List(x, f), Ty::List(y, g)) => {
            Elem::join(x, y).map_or(Ty::Any, |e| Ty::List(e, f && g))
        }
        (Ty::ListIter(x, f), Ty::ListIter(y, g)) => {
            Elem::join(x, y).map_or(Ty::Any, |e| Ty::ListIter(e, f && g))
        }
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

/// Whether instruction `pc` of `code` is `divmod(x, y)` unpacked at once into two targets
/// (`q, r = divmod(x, y)`: `CALL_BUILTIN divmod 2`, then `UNPACK_SEQUENCE 2`, which nothing
/// jumps to). Compiled code makes no tuple there: the call pushes the two ints as the
/// unpacking would, and the unpacking does nothing.
pub fn divmod_unpacked(code: &Code, pc: usize) -> bool {
    let (Some(call), Some(unpack)) = (code.instrs.get(pc), code.instrs.get(pc + 1)) else {
        return false;
    };
    call.op == Op::CallBuiltin
        && Builtin::ALL.get(call.a as usize) == Some(&Builtin::Divmod)
        && call.b == 2
        && unpack.op == Op::UnpackSequence
        && unpack.a == 2
        && !jumped_to(code, pc as u32 + 1)
}

/// `a, b = b, a` (or three names): `BUILD_TUPLE n` at `pc` then `UNPACK_SEQUENCE n`
/// reverse the top `n` values, and no tuple need be made (CPython's compiler emits SWAPs).
pub fn tuple_swap(code: &Code, pc: usize) -> bool {
    let (Some(build), Some(unpack)) = (code.instrs.get(pc), code.instrs.get(pc + 1)) else {
        return false;
    };
    build.op == Op::BuildTuple
        && unpack.op == Op::UnpackSequence
        && build.a == unpack.a
        && (2..=3).contains(&build.a)
        && !jumped_to(code, pc as u32 + 1)
}

/// The builtin that folds a generator expression's items in compiled code. A generator
/// expression whose one generator is the only argument of `sum`, `any`, `all`, `min`, `max` or
/// `list` (`sum(x * x for x in xs if x % k)`) is compiled as a function that folds each item
/// in where it would yield it and returns what the builtin would: no generator is made, and
/// the builtin's call after the generator's does nothing ([`Analysis::fused`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Consumer {
    Sum,
    Any,
    All,
    Min,
    Max,
    /// `list(…)`: the items appended to a new list.
    List,
}

impl Consumer {
    fn of(b: Builtin) -> Option<Consumer> {
        Some(match b {
            Builtin::Sum => Consumer::Sum,
            Builtin::Any => Consumer::Any,
            Builtin::All => Consumer::All,
            Builtin::Min => Consumer::Min,
            Builtin::Max => Consumer::Max,
            Builtin::List => Consumer::List,
            _ => return None,
        })
    }

    /// What it keeps below the generator's own operand stack while that runs: the sum so
    /// far; whether an item came, and the least (greatest) so far.
    pub(crate) fn kept(self) -> &'static [Ty] {
        match self {
            Consumer::Sum => &[Ty::Int],
            Consumer::Min | Consumer::Max => &[Ty::Bool, Ty::Never],
            Consumer::List => &[Ty::List(Elem::Never, true)],
            Consumer::Any | Consumer::All => &[],
        }
    }
}

/// Where generator expression `g` is folded ([`Consumer`]): the code that makes its
/// generator, the pc of the call that makes it (the builtin's call is the next
/// instruction), and the builtin. None when it is used any other way (its code is made at
/// one place only: a generator expression's, by `MAKE_FUNCTION`, then called at once).
pub fn consumer_of(prog: &Program, g: u32) -> Option<(usize, u32, Consumer)> {
    let gen_code = prog.codes.get(g as usize)?;
    if !gen_code.generator || gen_code.builtin_iter {
        return None;
    }
    let (c, _, call) = made_and_called(prog, g)?;
    let code = &prog.codes[c];
    let next = code.instrs.get(call + 1)?;
    if next.op != Op::CallBuiltin || next.b != 1 || jumped_to(code, call as u32 + 1) {
        return None;
    }
    let w = Consumer::of(*Builtin::ALL.get(next.a as usize)?)?;
    Some((c, call as u32, w))
}

/// [`made_and_called`]'s answer: the making code, (pc, values above the function) of each
/// instruction between, and the call's pc.
type MadeAndCalled = (usize, Vec<(usize, i64)>, usize);

/// Where code `g` (a comprehension's or generator expression's: made at one place) is made
/// and called at once, in straight-line code: the code that makes it, each instruction
/// between its `MAKE_FUNCTION` and its `CALL` with how many values are above the function
/// before it, and the `CALL`'s pc.
fn made_and_called(prog: &Program, g: u32) -> Option<MadeAndCalled> {
    let (c, code, pc) = prog.codes.iter().enumerate().find_map(|(c, code)| {
        let pc = code
            .instrs
            .iter()
            .position(|i| i.op == Op::MakeFunction && i.a == g)?;
        Some((c, code, pc))
    })?;
    let lead = leaders(code);
    let (mut above, mut between) = (0i64, Vec::new());
    for (k, &ins) in code.instrs.iter().enumerate().skip(pc + 1) {
        if lead[k] {
            return None;
        }
        if ins.op == Op::Call && i64::from(ins.a) == above {
            return Some((c, between, k));
        }
        between.push((k, above));
        above += crate::quick::effect(ins).0?;
        if above < 0 {
            return None;
        }
    }
    None
}

/// Whether `CALL_BUILTIN` at `pc` starts `for a, b in enumerate(xs[, start])` or `for a, b
/// in zip(xs, ys)` (JIT): the call, then `GET_ITER`, `FOR_ITER` and `UNPACK_SEQUENCE 2`,
/// which nothing jumps into but the loop's back edge. Compiled code makes no iterator,
/// no pair: the loop keeps two values on the stack — the first list's iterator (the list
/// and a position), then enumerate's start or zip's second list — and each turn pushes
/// the two items as the unpacking would. (The interpreter's frame holds one iterator
/// there: a function with such a loop never hands its frame over.)
pub fn pair_loop(code: &Code, pc: usize) -> Option<Builtin> {
    let at = |k: usize| code.instrs.get(pc + k).copied();
    let (call, get, each, unpack) = (at(0)?, at(1)?, at(2)?, at(3)?);
    let b = *Builtin::ALL.get(call.a as usize)?;
    let takes = match b {
        Builtin::Enumerate => matches!(call.b, 1 | 2),
        Builtin::Zip => call.b == 2,
        _ => false,
    };
    let shape = call.op == Op::CallBuiltin
        && get.op == Op::GetIter
        && each.op == Op::ForIter
        && unpack.op == Op::UnpackSequence
        && unpack.a == 2;
    (takes && shape && !jumped_to(code, pc as u32 + 1) && !jumped_to(code, pc as u32 + 3))
        .then_some(b)
}

/// A comprehension or generator expression whose `.0` iterates `enumerate(xs[, k])` or
/// `zip(xs, ys)` of lists (JIT): its code's first loop is `LOAD_FAST .0; FOR_ITER;
/// UNPACK_SEQUENCE 2` (the one read of `.0`), and the code that makes it calls
/// `enumerate`/`zip` right before the `GET_ITER` of its first argument. Compiled code makes
/// no iterator: the caller passes the first list's iterator as `.0` and the start or the
/// second list as a parameter after the others, which the code keeps at the bottom of its
/// stack (above a fold's values) and puts beside `.0` where it reads it — the loop is a
/// [`pair_loop`] from there on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PairArg {
    /// The code that makes it, the pc of the `GET_ITER` there and of the `CALL`.
    pub maker: usize,
    pub get_iter: u32,
    pub call: u32,
    /// The pc of `LOAD_FAST .0` in its own code.
    pub load: u32,
}

/// [`PairArg`] of code `g`, if it is one.
pub fn pair_arg(prog: &Program, g: u32) -> Option<PairArg> {
    let code = prog.codes.get(g as usize)?;
    if !code.name.starts_with('<') || code.builtin_iter || code.nparams == 0 {
        return None;
    }
    let mut reads = code
        .instrs
        .iter()
        .enumerate()
        .filter(|(_, i)| i.op == Op::LoadFast && i.a == 0);
    let (load, _) = reads.next()?;
    let at = |k: usize| code.instrs.get(k).copied();
    if reads.next().is_some()
        || at(load + 1)?.op != Op::ForIter
        || at(load + 2)?.op != Op::UnpackSequence
        || at(load + 2)?.a != 2
        || jumped_to(code, load as u32 + 2)
    {
        return None;
    }
    let (c, between, call) = made_and_called(prog, g)?;
    let maker = &prog.codes[c];
    // The first argument's `GET_ITER` (the only value above the function), right after
    // enumerate() or zip().
    let &(get, _) = between
        .iter()
        .find(|&&(k, above)| maker.instrs[k].op == Op::GetIter && above == 1)?;
    let prev = maker.instrs[get.checked_sub(1)?];
    let pair = prev.op == Op::CallBuiltin
        && match Builtin::ALL.get(prev.a as usize) {
            Some(Builtin::Enumerate) => matches!(prev.b, 1 | 2),
            Some(Builtin::Zip) => prev.b == 2,
            _ => false,
        };
    (pair && between.first().is_some_and(|&(k, _)| k < get - 1)).then_some(PairArg {
        maker: c,
        get_iter: get as u32,
        call: call as u32,
        load: load as u32,
    })
}

/// How many parameters compiled code of `c` takes: its own, and a [`PairArg`]'s second.
pub fn param_count(prog: &Program, c: u32) -> usize {
    prog.codes[c as usize].nparams as usize + usize::from(pair_arg(prog, c).is_some())
}

/// Whether `code` has a loop over enumerate() or zip() that compiled code keeps as two
/// values ([`pair_loop`]).
pub fn has_pair_loop(code: &Code) -> bool {
    (0..code.instrs.len()).any(|pc| pair_loop(code, pc).is_some())
}

/// Whether a [`pair_loop`] of `code` is among the instructions `an` reached (what compiled
/// code runs: a loop after a stop is the interpreter's).
pub fn pair_loop_reached(code: &Code, an: &Analysis) -> bool {
    (0..code.instrs.len())
        .any(|pc| pair_loop(code, pc).is_some() && an.pushed.get(pc).is_some_and(Option::is_some))
}

/// How many more values than its bytecode's stack compiled code keeps below instruction
/// `pc` of `code` (whose `.0` is a [`PairArg`] read at `pair_self`): one per loop over
/// enumerate() or zip() around it — for `LIST_APPEND n`, whose list is that much deeper.
pub fn pair_depth(code: &Code, pair_self: Option<u32>, pc: usize) -> usize {
    (0..pc)
        .filter(|&f| {
            let ins = code.instrs[f];
            let pair = (f >= 2 && pair_loop(code, f - 2).is_some())
                || (f >= 1 && pair_self == Some(f as u32 - 1));
            ins.op == Op::ForIter && pair && pc < ins.b as usize
        })
        .count()
}

/// The [`PairArg`]s code `c` makes: (the pc of the `GET_ITER`, the pc of the `CALL`).
pub(crate) fn pair_calls(prog: &Program, c: usize) -> Vec<(u32, u32)> {
    prog.codes[c]
        .instrs
        .iter()
        .filter(|i| i.op == Op::MakeFunction)
        .filter_map(|i| pair_arg(prog, i.a))
        .filter(|p| p.maker == c)
        .map(|p| (p.get_iter, p.call))
        .collect()
}

/// The local whose list `CALL_METHOD` at `pc` is called on, when it is `LOAD_FAST k;
/// LOAD_METHOD` followed by arguments in straight-line code (`nargs` values): what an
/// append tells of that local's items. `lead`: the block leaders.
fn receiver_local(code: &Code, lead: &[bool], pc: usize, nargs: i64) -> Option<u32> {
    let mut above = 0;
    for i in (1..pc).rev() {
        let ins = code.instrs[i];
        if lead[i + 1] {
            return None;
        }
        if ins.op == Op::LoadMethod && above == nargs {
            let load = code.instrs[i - 1];
            return (load.op == Op::LoadFast && !lead[i]).then_some(load.a);
        }
        above += crate::quick::effect(ins).0?;
    }
    None
}

/// Whether some instruction jumps to instruction `t` (else only the one before it leads
/// there, by going on).
pub fn jumped_to(code: &Code, t: u32) -> bool {
    code.instrs.iter().any(|i| {
        (i.op.is_jump() && i.a == t) || (matches!(i.op, Op::ForIter | Op::ForRange) && i.b == t)
    })
}

/// Why a call of builtin `b`, which compiled code does not have, keeps a function in the
/// interpreter: most make or take objects; the others say what they are.
fn not_compiled(b: Builtin) -> Reject {
    match b {
        Builtin::Divmod => "calls divmod() (a tuple; not compiled yet)",
        Builtin::Int | Builtin::Bool | Builtin::Round => {
            "calls int(), bool() or round() (not compiled yet)"
        }
        Builtin::Ord
        | Builtin::Chr
        | Builtin::Str
        | Builtin::Repr
        | Builtin::Bin
        | Builtin::Hex
        | Builtin::Oct
        | Builtin::Format => "converts between ints and strings (not compiled yet)",
        Builtin::Isinstance | Builtin::Type => "asks for a value's type (not compiled yet)",
        Builtin::Hash => "calls hash() (not compiled yet)",
        Builtin::SetRecursionLimit | Builtin::GetRecursionLimit => {
            "sets or reads the recursion limit (the interpreter's)"
        }
        _ => OBJECTS,
    }
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
    /// The type each value-producing instruction pushes, by pc.
    pub(crate) pushed: Vec<Option<Ty>>,
    /// Instructions that always raise (ahead of time), with the exception, by pc.
    pub(crate) raises: Vec<Option<Exception>>,
    /// Parameter types (as analyzed).
    pub params: Vec<Ty>,
    pub returns: Ty,
    /// Functions called (code ids).
    pub callees: Vec<u32>,
    /// Which function each call calls: (pc, code id), by pc.
    pub call_sites: Vec<(u32, u32)>,
    /// Argument types at each call (ahead of time).
    pub calls: Vec<(u32, Vec<Ty>)>,
    /// Globals read as constants or callees.
    pub globals_read: Vec<u32>,
    /// Stores to globals kept in memory (ahead of time), with the stored type.
    pub stores: Vec<(u32, Ty)>,
    /// JIT: writes into or appends to a list this call did not make, so a call that
    /// deoptimizes cannot run again from its start: its compiled code hands the
    /// interpreter its frame where it stops instead ([`crate::deopt`]).
    pub writes_shared: bool,
    /// JIT: the calls that make a generator a builtin folds ([`Consumer`]), by pc: the
    /// builtin's call after each does nothing.
    pub fused: Vec<u32>,
    /// JIT, for a generator expression's code: the builtin that folds its items.
    pub consumer: Option<Consumer>,
    /// JIT: the [`PairArg`]s the code makes (`GET_ITER` and `CALL` pcs), and the pc of its
    /// `LOAD_FAST .0` when it is one.
    pub pair_calls: Vec<(u32, u32)>,
    pub pair_self: Option<u32>,
    /// JIT: reads an item of a list whose items are not known (yet: see
    /// [`UNKNOWN_ITEMS`]).
    pub unknown: bool,
    /// JIT: instructions compiled code does not run but stops before, handing the
    /// interpreter its frame there (it runs the rest of the call), by pc: what compiled
    /// code cannot do (a print, a string) after the function's loops or in a branch of one
    /// ([`stoppable`]).
    pub stops: Vec<bool>,
}

/// The instructions of `code` where compiled code may stop and hand the rest of a call to
/// the interpreter ([`Analysis::stops`]): after one of its loops and inside none (its loops
/// ran compiled, and what stops it runs once per call, not once per turn), or inside a loop
/// where a branch of the same turn may skip them (`if found: print(n)`: a turn that stops
/// there goes on interpreted, and the interpreter enters the loop's compiled code again a
/// few turns later).
pub(crate) fn stoppable(code: &Code, in_branches: bool) -> Vec<bool> {
    let n = code.instrs.len();
    // Each instruction's innermost loop (head, jump back).
    let mut inner: Vec<Option<(usize, usize)>> = vec![None; n];
    let mut first_exit = n;
    for (j, ins) in code.instrs.iter().enumerate() {
        let head = ins.a as usize;
        if ins.op == Op::JumpBackward && head <= j {
            for l in &mut inner[head..=j] {
                if l.is_none_or(|(h, b)| h <= head && j <= b) {
                    *l = Some((head, j));
                }
            }
            first_exit = first_exit.min(j + 1);
        }
    }
    let mut skipped = vec![false; n];
    for (j, ins) in code.instrs.iter().enumerate() {
        let (Some((head, back)), to) = (inner[j], ins.a as usize) else {
            continue;
        };
        let forward = matches!(
            ins.op,
            Op::PopJumpIfFalse | Op::PopJumpIfTrue | Op::JumpIfFalseOrPop | Op::JumpIfTrueOrPop
        );
        if forward && head <= j && j < to && to <= back {
            for pc in j + 1..to {
                skipped[pc] |= inner[pc] == Some((head, back));
            }
        }
    }
    (0..n)
        .map(|pc| match inner[pc] {
            None => pc >= first_exit,
            Some(_) => in_branches && skipped[pc],
        })
        .collect()
}

/// Whether a frame handed to the interpreter can hold a value of type `t`
/// ([`crate::deopt::Kind`]).
fn handed_over(t: Ty) -> bool {
    matches!(
        t,
        Ty::Unset
            | Ty::Never
            | Ty::Int
            | Ty::Bool
            | Ty::NoneV
            | Ty::List(..)
            | Ty::ListIter(..)
            | Ty::Range
            | Ty::RangeIter
            | Ty::Func(_)
            | Ty::Kept
    )
}

/// Why a function that reads an item of a list whose items nothing tells is not compiled.
pub const UNKNOWN_ITEMS: &str = "reads an item of a list whose items are not known";

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
            Op::ForRange | Op::ForIter => {
                l[ins.b as usize] = true;
                l[i + 1] = true;
            }
            Op::ReturnValue | Op::RaiseConst | Op::Raise => l[i + 1] = true,
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
    .and_then(|an| {
        if an.unknown {
            Err(UNKNOWN_ITEMS)
        } else {
            Ok(an)
        }
    })
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
    analyze_from(
        prog,
        code_id,
        globals,
        memory,
        returns_of,
        params,
        policy,
        None,
        (StopAt::Never, None),
    )
}

/// [`analyze_at`] from instruction `start.0` with the state `start.1` there (a loop head
/// and the types of a running frame's values: [`analyze_graph_at_loop`]), or from the
/// code's start.
#[allow(clippy::too_many_arguments)]
fn analyze_from(
    prog: &Program,
    code_id: u32,
    globals: &[Value],
    memory: &BTreeMap<u32, Ty>,
    returns_of: &dyn Fn(u32) -> Option<Ty>,
    params: &[Ty],
    policy: Policy,
    start: Option<(u32, State)>,
    (may_stop, stop_before): (StopAt, Option<u32>),
) -> Result<Analysis, (u32, Reject)> {
    if code_id == 0 {
        return Err((0, "module code is not compiled"));
    }
    let code = &prog.codes[code_id as usize];
    if code.shape.extra() {
        return Err((0, EXTRA_PARAMS));
    }
    // A generator expression is compiled only as the fold of the builtin that takes it.
    let consumer = match (code.generator, policy) {
        (false, _) => None,
        (true, Policy::Jit) => Some(consumer_of(prog, code_id).ok_or((0, GENERATOR))?.2),
        (true, Policy::Aot) => return Err((0, GENERATOR)),
    };
    let mut az = Analyzer {
        prog,
        code: &prog.codes[code_id as usize],
        globals,
        memory,
        returns_of,
        dy: policy == Policy::Aot,
        pc: 0,
        flow_to: Vec::new(),
        returns: None,
        callees: Vec::new(),
        call_sites: Vec::new(),
        calls: Vec::new(),
        globals_read: Vec::new(),
        stores: Vec::new(),
        writes_shared: false,
        fused: Vec::new(),
        pair_calls: if policy == Policy::Jit {
            pair_calls(prog, code_id as usize)
        } else {
            Vec::new()
        },
        pair_self: (policy == Policy::Jit)
            .then(|| pair_arg(prog, code_id).map(|p| p.load))
            .flatten(),
        consumer,
        closures: code.instrs.iter().any(|i| i.op == Op::MakeClosure),
        pushed: vec![None; prog.codes[code_id as usize].instrs.len()],
        lead: leaders(&prog.codes[code_id as usize]),
        unknown_reads: Vec::new(),
        start,
        may_stop: if policy == Policy::Jit {
            may_stop
        } else {
            StopAt::Never
        },
        stop_before,
    };
    az.run(params).map_err(|why| (az.pc, why))
}

/// The exception for reading local `slot` of `code` before it is assigned (`locals`: the
/// types of its locals there; `globals`: the program's constant globals).
pub(crate) fn unbound(
    prog: &Program,
    code: &Code,
    slot: u32,
    locals: &[Ty],
    globals: &[Value],
) -> Exception {
    let name = &code.local_names[slot as usize];
    if code.name == "<module>" {
        name_error(prog, code, locals, globals, name)
    } else {
        Exception::unbound_local(name)
    }
}

/// A NameError for `name` read in `code` (whose locals have types `locals`), with the
/// suggestion CPython would make: among the function's local names (bound or not), then the
/// module's dunders and the globals bound when the error happens, in the order the module's
/// code first stores them, then the builtins. Ahead of time the globals bound when a
/// function runs are known as the module's constants and definitions; the module's own code
/// (its globals as locals) has those of its locals that may be bound there.
pub(crate) fn name_error(
    prog: &Program,
    code: &Code,
    locals: &[Ty],
    globals: &[Value],
    name: &str,
) -> Exception {
    let module = code.name == "<module>";
    let mut bound: Vec<bool> = (0..prog.globals.len())
        .map(|i| globals.get(i).is_some_and(|v| !matches!(v, Value::Unbound)))
        .collect();
    if module {
        for (n, t) in code.local_names.iter().zip(locals) {
            if !matches!(t, Ty::Unset | Ty::Never)
                && let Some(g) = prog.globals.iter().position(|x| x == n)
            {
                bound[g] = true;
            }
        }
    }
    let mut g: Vec<&str> = crate::suggest::MODULE_DUNDERS.to_vec();
    for ins in &prog.codes[0].instrs {
        let i = ins.a as usize;
        if ins.op == Op::StoreGlobal && bound[i] {
            bound[i] = false;
            g.push(prog.globals[i].as_str());
        }
    }
    let locals: Vec<&str> = if module {
        Vec::new()
    } else {
        code.varnames
            .iter()
            .map(|&i| code.local_names[i as usize].as_str())
            .collect()
    };
    Exception::name_not_defined_among(name, &locals, &g)
}

/// Whether any code object stores global `g` (one never stored is undefined everywhere).
pub(crate) fn ever_stored(prog: &Program, g: u32) -> bool {
    prog.codes
        .iter()
        .any(|c| c.instrs.iter().any(|i| i.op == Op::StoreGlobal && i.a == g))
}

/// What follows an instruction on the path being analyzed.
enum Fate {
    /// The next instruction (and the targets in [`Analyzer::flow_to`]).
    Falls,
    /// Only the targets in [`Analyzer::flow_to`].
    Stops,
    /// Nothing: the instruction always fails with this exception (ahead of time).
    Raises(Exception),
}

/// The abstract interpretation of one code object: its inputs and what it has found.
struct Analyzer<'p> {
    prog: &'p Program,
    code: &'p Code,
    globals: &'p [Value],
    memory: &'p BTreeMap<u32, Ty>,
    returns_of: &'p dyn Fn(u32) -> Option<Ty>,
    /// Ahead of time: values of several kinds, and failures that raise rather than reject.
    dy: bool,
    /// The instruction being analyzed.
    pc: u32,
    /// Where the instruction jumps to, with the state there.
    flow_to: Vec<(u32, State)>,
    returns: Option<Ty>,
    callees: Vec<u32>,
    call_sites: Vec<(u32, u32)>,
    calls: Vec<(u32, Vec<Ty>)>,
    globals_read: Vec<u32>,
    stores: Vec<(u32, Ty)>,
    writes_shared: bool,
    fused: Vec<u32>,
    /// JIT: the [`PairArg`]s this code makes (`GET_ITER` and `CALL` pcs), and the pc of
    /// `LOAD_FAST .0` when it is one.
    pair_calls: Vec<(u32, u32)>,
    pair_self: Option<u32>,
    /// JIT, in a generator expression's code: the builtin that folds its items.
    consumer: Option<Consumer>,
    /// Whether the code makes a closure (a nested function or lambda that reads its
    /// variables): its cells then outlive a call, and it stays in the interpreter. Else
    /// its cells are read only by generator expressions folded at once, and compiled code
    /// keeps them as plain locals.
    closures: bool,
    pushed: Vec<Option<Ty>>,
    /// The code's block leaders.
    lead: Vec<bool>,
    /// Where the analysis starts and the state there, when not at the code's start.
    start: Option<(u32, State)>,
    /// JIT: where compiled code may stop ([`Analysis::stops`]).
    may_stop: StopAt,
    /// JIT: an instruction it stops before (if it may stop there), whatever it is.
    stop_before: Option<u32>,
    /// Reads of an item of a list whose items were not known yet when analyzed.
    unknown_reads: Vec<u32>,
}

/// The list a method is called on: its items' kind and whether the call made it; None
/// for a call's result the graph has not typed yet.
fn receiver(x: Ty) -> Result<Option<(Elem, bool)>, Reject> {
    match x {
        Ty::Never => Ok(None),
        Ty::List(e, fresh) => Ok(Some((e, fresh))),
        _ => Err(OBJECTS),
    }
}

fn pop(st: &mut State) -> Result<Ty, Reject> {
    st.stack.pop().ok_or("stack underflow")
}

/// The top `n` types, bottom first.
fn pop_n(st: &mut State, n: usize) -> Result<Vec<Ty>, Reject> {
    let at = st.stack.len().checked_sub(n).ok_or("stack underflow")?;
    Ok(st.stack.split_off(at))
}

/// Merges the state `s` flowing to `target` into the block entries, queueing the block when
/// its entry state changed.
fn flow_into(
    entries: &mut BTreeMap<u32, State>,
    work: &mut Vec<u32>,
    target: u32,
    s: State,
    dy: bool,
) -> Result<(), Reject> {
    let Some(old) = entries.get_mut(&target) else {
        entries.insert(target, s);
        work.push(target);
        return Ok(());
    };
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
    Ok(())
}

impl Analyzer<'_> {
    /// The worklist over blocks, from the entry with parameter types `params`.
    fn run(&mut self, params: &[Ty]) -> Result<Analysis, Reject> {
        let code = self.code;
        let mut locals = vec![Ty::Unset; code.nlocals as usize];
        let own = params.len().min(code.nparams as usize);
        for (l, &p) in locals.iter_mut().zip(&params[..own]) {
            *l = p;
        }
        let mut entries: BTreeMap<u32, State> = BTreeMap::new();
        // (A folded generator's builtin keeps its values below the code's own stack.)
        let mut stack = self.consumer.map_or(Vec::new(), |c| c.kept().to_vec());
        // (A [`PairArg`]'s second, above them.)
        if self.pair_self.is_some() {
            stack.push(*params.get(code.nparams as usize).unwrap_or(&Ty::Never));
        }
        let (first, state) = self.start.take().unwrap_or((0, State { stack, locals }));
        entries.insert(first, state);
        let mut work = vec![first];
        // Per instruction (a B-tree's removal would cost the runner its rebalancing code).
        let mut raises: Vec<Option<Exception>> = (0..code.instrs.len()).map(|_| None).collect();
        // (JIT: where compiled code may stop instead of giving up on the function.)
        let may_stop = if self.may_stop != StopAt::Never
            && self.consumer.is_none()
            && self.pair_self.is_none()
        {
            stoppable(code, self.may_stop == StopAt::InBranches)
        } else {
            Vec::new()
        };
        let mut stops = vec![
            false;
            if may_stop.is_empty() {
                0
            } else {
                code.instrs.len()
            }
        ];
        let mut live = None;
        while let Some(start) = work.pop() {
            let mut st = entries[&start].clone();
            let mut pc = start as usize;
            loop {
                self.pc = pc as u32;
                let stoppable =
                    may_stop.get(pc) == Some(&true) && st.stack.iter().all(|&t| handed_over(t));
                let step = if self.stop_before == Some(pc as u32) && stoppable {
                    Err("stops here")
                } else {
                    self.step(&mut st, code.instrs[pc])
                };
                let fate = match step {
                    Ok(fate) => fate,
                    // (The locals the interpreter may read from here on: the others are
                    // not handed over.)
                    Err(_)
                        if stoppable && {
                            let (words, live) = live.get_or_insert_with(|| live_locals(code));
                            let at = &live[pc * *words..(pc + 1) * *words];
                            st.locals
                                .iter()
                                .enumerate()
                                .all(|(i, &t)| at[i / 64] & (1 << (i % 64)) == 0 || handed_over(t))
                        } =>
                    {
                        stops[pc] = true;
                        self.flow_to.clear();
                        break;
                    }
                    Err(why) => return Err(why),
                };
                if let Some(s) = stops.get_mut(pc) {
                    *s = false;
                }
                if !matches!(fate, Fate::Raises(_)) {
                    // A block is analyzed again when a join widens its entry state: what
                    // raised for the narrower state (None + 1 while `x` was only None) may not
                    // any more. A stale entry here compiled an unconditional raise.
                    raises[pc] = None;
                }
                let falls_through = match fate {
                    Fate::Falls => true,
                    Fate::Stops => false,
                    Fate::Raises(e) => {
                        // An operation that always fails (ahead of time): the path ends here.
                        raises[pc] = Some(e);
                        self.flow_to.clear();
                        break;
                    }
                };
                // Falling through inside a block carries `st` on as it is; only a block's
                // end hands a copy to the next block (a copy per instruction was quadratic in
                // functions with thousands of locals).
                let next = pc + 1;
                let continue_here = falls_through && !self.lead[next];
                if falls_through && !continue_here {
                    self.flow_to.push((next as u32, st.clone()));
                }
                for (target, s) in self.flow_to.drain(..) {
                    flow_into(&mut entries, &mut work, target, s, self.dy)?;
                }
                if !continue_here {
                    break;
                }
                pc = next;
            }
        }
        // (Items appended from a call's result are known once the graph has typed the
        // call: [`analyze_graph_from`] asks again when the types have settled.)
        let unknown = self
            .unknown_reads
            .iter()
            .any(|&pc| self.pushed[pc as usize] == Some(Ty::Never));
        // A function that always raises never returns: its calls produce no value.
        let returns = self.returns.unwrap_or(Ty::Never);
        if returns == Ty::Any {
            return Err("returns values of different types");
        }
        jit::sort::sort(&mut self.callees);
        self.callees.dedup();
        jit::sort::sort(&mut self.globals_read);
        self.globals_read.dedup();
        jit::sort::sort(&mut self.call_sites);
        self.call_sites.dedup();
        Ok(Analysis {
            entries,
            pushed: core::mem::take(&mut self.pushed),
            raises,
            params: params.to_vec(),
            returns,
            callees: core::mem::take(&mut self.callees),
            call_sites: core::mem::take(&mut self.call_sites),
            calls: core::mem::take(&mut self.calls),
            globals_read: core::mem::take(&mut self.globals_read),
            stores: core::mem::take(&mut self.stores),
            writes_shared: self.writes_shared,
            fused: core::mem::take(&mut self.fused),
            consumer: self.consumer,
            pair_calls: core::mem::take(&mut self.pair_calls),
            pair_self: self.pair_self,
            unknown,
            stops,
        })
    }

    /// Whether compiled code can hold a value of type `t` (ahead of time: of known kinds,
    /// never unset; JIT: an int or a bool).
    fn held(&self, t: Ty) -> bool {
        if self.dy {
            bits(t).is_some_and(|m| m & B_UNSET == 0)
        } else {
            matches!(
                t,
                Ty::Int
                    | Ty::Bool
                    | Ty::Never
                    | Ty::List(..)
                    | Ty::ListIter(..)
                    | Ty::Range
                    | Ty::RangeIter
            )
        }
    }

    /// Pushes the result of the instruction being analyzed.
    fn push(&mut self, st: &mut State, t: Ty) -> Fate {
        self.pushed[self.pc as usize] = Some(t);
        st.stack.push(t);
        Fate::Falls
    }

    /// The effect of instruction `ins` on `st`.
    fn step(&mut self, st: &mut State, ins: Instr) -> Result<Fate, Reject> {
        let (dy, code) = (self.dy, self.code);
        Ok(match ins.op {
            Op::Nop => Fate::Falls,
            Op::DeleteFast | Op::DeleteGlobal => return Err("uses del (not compiled yet)"),
            Op::LoadConst => {
                let t = match &code.consts[ins.a as usize] {
                    Const::Int(_) => Ty::Int,
                    Const::Bool(_) => Ty::Bool,
                    Const::Str(k) if dy => Ty::Str(*k),
                    // (JIT: None is only returned or dropped — no other use takes it.)
                    Const::None => Ty::NoneV,
                    // Ahead of time a fast version moves into its generic version here
                    // (one without refuses it then).
                    Const::Big(_) if dy => Ty::Int,
                    Const::Error(k, m) if dy => {
                        return Ok(Fate::Raises(Exception::new(*k, m.clone())));
                    }
                    _ => return Err("uses a constant that is not an int or a bool"),
                };
                self.push(st, t)
            }
            // (A [`PairArg`]'s `.0`: its second beside it.)
            Op::LoadFast if self.pair_self == Some(self.pc) => {
                let at = self.consumer.map_or(0, |c| c.kept().len());
                let second = *st.stack.get(at).ok_or("stack underflow")?;
                self.load_fast(st, 0)?;
                st.stack.push(second);
                Fate::Falls
            }
            Op::LoadFast => self.load_fast(st, ins.a)?,
            Op::StoreFast => {
                st.locals[ins.a as usize] = pop(st)?;
                Fate::Falls
            }
            Op::LoadGlobal | Op::StoreGlobal if self.memory.contains_key(&ins.a) => {
                self.global_cell(st, ins)?
            }
            Op::LoadGlobal => self.load_global(st, ins.a)?,
            Op::BinaryOp => self.binary_op(st, BinOp::ALL[ins.a as usize], ins.b == 1)?,
            Op::CompareOp => self.compare_op(st, CmpOp::ALL[ins.a as usize])?,
            Op::UnaryNegative | Op::UnaryPositive | Op::UnaryInvert => {
                let a = pop(st)?;
                if !is_num(a) {
                    if let (true, Some(x)) = (dy, sample(a)) {
                        let r = match ins.op {
                            Op::UnaryNegative => value::negate(x),
                            Op::UnaryPositive => value::positive(x),
                            _ => value::invert(x),
                        };
                        if let Err(e) = r {
                            return Ok(Fate::Raises(e));
                        }
                    }
                    return Err("unary operator on a value that is not an int");
                }
                self.push(st, Ty::Int)
            }
            Op::UnaryNot => {
                let a = pop(st)?;
                if !(is_num(a) || dy && self.held(a)) {
                    return Err("'not' of a value that is not an int");
                }
                self.push(st, Ty::Bool)
            }
            Op::PopJumpIfFalse | Op::PopJumpIfTrue | Op::JumpIfFalseOrPop | Op::JumpIfTrueOrPop => {
                self.cond_jump(st, ins)?
            }
            Op::JumpForward | Op::JumpBackward => {
                self.flow_to.push((ins.a, st.clone()));
                Fate::Stops
            }
            Op::Call => self.call(st, ins.a as usize)?,
            // The builtin that takes a folded generator: the call before returned its
            // result.
            Op::CallBuiltin if self.pc > 0 && self.fused.contains(&(self.pc - 1)) => Fate::Falls,
            Op::CallBuiltin if !dy && pair_loop(code, self.pc as usize).is_some() => {
                self.pair_iter(st, ins.b)?
            }
            Op::CallBuiltin if self.pair_calls.iter().any(|p| p.0 == self.pc + 1) => {
                self.pair_iter(st, ins.b)?
            }
            Op::GetIter if self.pair_calls.iter().any(|p| p.0 == self.pc) => Fate::Falls,
            Op::ForIter if self.pc > 0 && self.pair_self == Some(self.pc - 1) => {
                self.pair_next(st, ins.b)?
            }
            Op::UnpackSequence if self.pc > 1 && self.pair_self == Some(self.pc - 2) => Fate::Falls,
            Op::GetIter
                if !dy && self.pc > 0 && pair_loop(code, self.pc as usize - 1).is_some() =>
            {
                Fate::Falls
            }
            Op::ForIter
                if !dy && self.pc > 1 && pair_loop(code, self.pc as usize - 2).is_some() =>
            {
                self.pair_next(st, ins.b)?
            }
            Op::UnpackSequence
                if !dy && self.pc > 2 && pair_loop(code, self.pc as usize - 3).is_some() =>
            {
                Fate::Falls
            }
            Op::CallBuiltin => self.call_builtin(st, Builtin::ALL[ins.a as usize], ins.b)?,
            Op::ReturnValue if self.consumer.is_some() => self.fold_end(st)?,
            Op::YieldValue if self.consumer.is_some() => self.fold(st)?,
            Op::MakeCell | Op::LoadDeref | Op::StoreDeref | Op::LoadClosure
                if !dy && !self.closures =>
            {
                self.cell(st, ins)?
            }
            Op::ReturnValue => {
                let t = pop(st)?;
                let held = self.held(t) || t == Ty::NoneV;
                if !held || matches!(t, Ty::ListIter(..) | Ty::Range | Ty::RangeIter) {
                    return Err("returns a value that is not an int or a bool");
                }
                self.returns = Some(match self.returns {
                    None => t,
                    Some(r) => join(r, t, dy),
                });
                Fate::Stops
            }
            Op::PopTop => {
                pop(st)?;
                Fate::Falls
            }
            Op::DupTop => {
                let t = *st.stack.last().ok_or("stack underflow")?;
                st.stack.push(t);
                Fate::Falls
            }
            Op::RotTwo => {
                let n = st.stack.len();
                if n < 2 {
                    return Err("stack underflow");
                }
                st.stack.swap(n - 1, n - 2);
                Fate::Falls
            }
            Op::RotThree => {
                let c = pop(st)?;
                let n = st.stack.len();
                if n < 2 {
                    return Err("stack underflow");
                }
                st.stack.insert(n - 2, c);
                Fate::Falls
            }
            Op::RangeSetup => {
                let args = pop_n(st, ins.b as usize)?;
                // A bool is an int to range() (0 or 1, as compiled code holds it).
                if let Some(&bad) = args.iter().find(|&&t| !is_num(t)) {
                    if let (true, Some(v)) = (dy, sample(bad)) {
                        return Ok(Fate::Raises(Exception::not_an_integer(v.type_name())));
                    }
                    return Err("range() of a value that is not an int");
                }
                for k in 0..3 {
                    st.locals[(ins.a + k) as usize] = Ty::Int;
                }
                Fate::Falls
            }
            Op::ForRange => {
                // (Entered at a loop head, a range whose bounds outgrew 64 bits is the
                // interpreter's: its state is no int compiled code holds.)
                let state = st.locals.get(ins.a as usize..ins.a as usize + 3);
                if !state.is_some_and(|s| s.iter().all(|&t| t == Ty::Int)) {
                    return Err("loops over a range past 64 bits");
                }
                self.flow_to.push((ins.b, st.clone()));
                self.push(st, Ty::Int)
            }
            Op::CallPrint if dy => self.print(st, ins)?,
            Op::CallPrint => return Err("prints"),
            // (A function value: a known callee, as a global's would be.)
            Op::MakeFunction => self.push(st, Ty::Func(ins.a)),
            Op::RaiseConst if dy => match &code.consts[ins.a as usize] {
                Const::Error(k, m) => Fate::Raises(Exception::new(*k, m.clone())),
                _ => return Err("raises"),
            },
            // Unpacking an int, bool, None or function: CPython's TypeError.
            Op::UnpackSequence if self.pc > 0 && divmod_unpacked(code, self.pc as usize - 1) => {
                Fate::Falls
            }
            Op::BuildTuple if tuple_swap(code, self.pc as usize) => {
                let at = st.stack.len().checked_sub(ins.a as usize);
                st.stack[at.ok_or("stack underflow")?..].reverse();
                Fate::Falls
            }
            Op::UnpackSequence if self.pc > 0 && tuple_swap(code, self.pc as usize - 1) => {
                Fate::Falls
            }
            Op::UnpackNonIterable | Op::UnpackSequence if dy => {
                let name = match pop(st)? {
                    Ty::Func(_) => "function",
                    t => match sample(t) {
                        Some(Value::Str(_)) => return Err("unpacks a string"),
                        Some(v) => v.type_name(),
                        None => return Err("unpacks a value of several kinds"),
                    },
                };
                Fate::Raises(Exception::cannot_unpack(name))
            }
            Op::Raise => self.raise(st, ins)?,
            Op::StoreGlobal => return Err("stores a global"),
            Op::CallKw => return Err("passes keyword arguments to a function value"),
            Op::MakeCell
            | Op::LoadDeref
            | Op::StoreDeref
            | Op::DeleteDeref
            | Op::LoadClosure
            | Op::MakeClosure => return Err(CLOSURES),
            Op::RaiseConst | Op::UnpackNonIterable => return Err("raises"),
            Op::YieldValue => return Err(GENERATOR),
            Op::BuildList if !dy => self.build_list(st, ins.a as usize)?,
            Op::BinarySubscr if !dy && ins.b == 0 => self.subscript(st)?,
            Op::BinarySubscr if !dy && ins.b == 1 => self.slice(st)?,
            Op::StoreSubscr if !dy && ins.b == 0 => self.store_subscript(st)?,
            Op::ListAppend if !dy => {
                let n = ins.a as usize + pair_depth(code, self.pair_self, self.pc as usize);
                self.list_append(st, n)?
            }
            // (Never: a call's result the graph has not typed yet.)
            Op::LoadMethod if !dy && matches!(st.stack.last(), Some(Ty::List(..) | Ty::Never)) => {
                match self.prog.strings[ins.a as usize].as_str() {
                    "append" | "pop" | "insert" | "sort" | "reverse" => Fate::Falls,
                    _ => return Err(OBJECTS),
                }
            }
            Op::CallMethod if !dy => self.list_method(st, ins)?,
            // `n in xs` of a number and a list of numbers.
            Op::ContainsOp
                if !dy
                    && matches!(
                        st.stack.as_slice(),
                        [.., a, Ty::List(Elem::Int | Elem::Bool | Elem::Never, _)] if is_num(*a)
                    ) =>
            {
                pop_n(st, 2)?;
                self.push(st, Ty::Bool)
            }
            // (Never: a call's result the graph has not typed yet.)
            Op::GetIter
                if !dy && matches!(st.stack.last(), Some(Ty::List(..) | Ty::Range | Ty::Never)) =>
            {
                self.get_iter(st)?
            }
            Op::ForIter
                if !dy
                    && matches!(
                        st.stack.last(),
                        Some(Ty::ListIter(..) | Ty::RangeIter | Ty::Never)
                    ) =>
            {
                self.for_iter(st, ins.b)
            }
            Op::BuildList
            | Op::BuildTuple
            | Op::BinarySubscr
            | Op::StoreSubscr
            | Op::DeleteSubscr
            | Op::GetIter
            | Op::ForIter
            | Op::UnpackSequence
            | Op::ContainsOp
            | Op::IsOp
            | Op::CallMethod
            | Op::LoadMethod
            | Op::ListAppend
            | Op::ListExtend
            | Op::LoadAttr
            | Op::UnpackEx
            | Op::CallFunctionEx
            | Op::BuildMap
            | Op::MapAdd
            | Op::DictMerge
            | Op::BuildSet
            | Op::SetAdd
            | Op::FormatValue
            | Op::BuildString => {
                return Err(OBJECTS);
            }
        })
    }

    /// JIT: a cell's instruction in code whose cells only generator expressions folded at
    /// once read ([`Analyzer::closures`]): the cell is its local.
    fn cell(&mut self, st: &mut State, ins: Instr) -> Result<Fate, Reject> {
        Ok(match ins.op {
            Op::LoadDeref => self.load_fast(st, ins.a)?,
            // (`:=` in a generator expression stores into its caller's cell.)
            Op::StoreDeref if self.consumer.is_some() && ins.a < self.code.nparams => {
                return Err(CLOSURES);
            }
            Op::StoreDeref => {
                st.locals[ins.a as usize] = pop(st)?;
                Fate::Falls
            }
            // The cell handed to a generator expression: its value now, which nothing
            // changes while the generator runs (it runs to its end within the call).
            Op::LoadClosure => {
                let t = st.locals[ins.a as usize];
                if !self.held(t) {
                    return Err("reads a local that may be unset or not an int");
                }
                self.push(st, t)
            }
            _ => Fate::Falls,
        })
    }

    /// `YIELD_VALUE` in a generator expression's code that `self.consumer` folds: the
    /// item goes into the values it keeps (or, for `any`/`all`, may end the call).
    fn fold(&mut self, st: &mut State) -> Result<Fate, Reject> {
        let v = pop(st)?;
        match self.consumer.ok_or(GENERATOR)? {
            Consumer::Sum if is_num(v) => {}
            Consumer::Any | Consumer::All if is_num(v) || matches!(v, Ty::List(..)) => {
                self.returns = Some(join(self.returns.unwrap_or(Ty::Bool), Ty::Bool, false));
            }
            // (Ints and bools: a list of lists a call did not make would not be its own.)
            Consumer::List if matches!(v, Ty::Int | Ty::Bool | Ty::Never) => {
                let Some(Ty::List(e, _)) = st.stack.first_mut() else {
                    return Err("stack underflow");
                };
                let k = Elem::of(v).ok_or(OBJECTS)?;
                *e = Elem::join(*e, k).ok_or("list() of ints and bools")?;
            }
            Consumer::Min | Consumer::Max if matches!(v, Ty::Int | Ty::Bool | Ty::Never) => {
                let [found, best] = st.stack.get_mut(..2).ok_or("stack underflow")? else {
                    return Err("stack underflow");
                };
                *found = Ty::Bool;
                *best = join(*best, v, false);
                if *best == Ty::Any {
                    return Err("min() or max() of ints and bools");
                }
            }
            _ => return Err("folds items that are not ints or bools"),
        }
        Ok(Fate::Falls)
    }

    /// The end of a folded generator expression's code: the builtin's result.
    fn fold_end(&mut self, st: &mut State) -> Result<Fate, Reject> {
        pop(st)?;
        if self.pair_self.is_some() {
            pop(st)?;
        }
        let t = match self.consumer.ok_or(GENERATOR)? {
            Consumer::Sum => Ty::Int,
            Consumer::Any | Consumer::All => Ty::Bool,
            Consumer::Min | Consumer::Max => *st.stack.get(1).ok_or("stack underflow")?,
            Consumer::List => *st.stack.first().ok_or("stack underflow")?,
        };
        self.returns = Some(match self.returns {
            None => t,
            Some(r) => join(r, t, false),
        });
        Ok(Fate::Stops)
    }

    /// `enumerate(xs[, start])` or `zip(xs, ys)` of lists starting a [`pair_loop`]: the
    /// first list's iterator, then the start (an int) or the second list.
    fn pair_iter(&mut self, st: &mut State, n: u32) -> Result<Fate, Reject> {
        let args = pop_n(st, n as usize)?;
        let Ty::List(e, fresh) = args[0] else {
            return Err("enumerate() or zip() of something other than a list (not compiled yet)");
        };
        st.stack.push(Ty::ListIter(e, fresh));
        let second = match args.get(1) {
            None => Ty::Int,
            Some(&t)
                if is_num(t)
                    && Builtin::ALL.get(self.code.instrs[self.pc as usize].a as usize)
                        == Some(&Builtin::Enumerate) =>
            {
                Ty::Int
            }
            Some(&t @ Ty::List(..)) => t,
            Some(_) => {
                return Err(
                    "enumerate() or zip() of something other than a list (not compiled yet)",
                );
            }
        };
        Ok(self.push(st, second))
    }

    /// `FOR_ITER` of a [`pair_loop`]: out to `exit` without its two values, else the two
    /// items, the first on top (as `UNPACK_SEQUENCE 2` leaves them).
    fn pair_next(&mut self, st: &mut State, exit: u32) -> Result<Fate, Reject> {
        let n = st.stack.len();
        let (Some(&Ty::ListIter(e, fresh)), Some(&second)) =
            (st.stack.get(n.wrapping_sub(2)), st.stack.last())
        else {
            return Err("internal: a loop over enumerate() or zip() without its iterator");
        };
        let mut done = st.clone();
        done.stack.truncate(n - 2);
        self.flow_to.push((exit, done));
        let (first, other) = match second {
            Ty::List(e2, f2) => (e.ty(fresh), e2.ty(f2)),
            _ => (Ty::Int, e.ty(fresh)),
        };
        st.stack.push(other);
        Ok(self.push(st, first))
    }

    /// `x[lo:hi:step]` (JIT) of a list, its bounds ints, bools or None: a new list (made
    /// by this call; the lists in it are not, if it holds lists).
    fn slice(&mut self, st: &mut State) -> Result<Fate, Reject> {
        let bounds = pop_n(st, 3)?;
        if !bounds.iter().all(|&t| is_num(t) || t == Ty::NoneV) {
            return Err("slices with a bound that is not an int or None");
        }
        let r = match pop(st)? {
            Ty::List(e, fresh) => Ty::List(
                e,
                fresh || matches!(e, Elem::Int | Elem::Bool | Elem::Never),
            ),
            Ty::Never => Ty::Never,
            _ => return Err(OBJECTS),
        };
        Ok(self.push(st, r))
    }

    /// `iter(x)` of a list or a range (JIT).
    fn get_iter(&mut self, st: &mut State) -> Result<Fate, Reject> {
        let t = match pop(st)? {
            Ty::List(e, fresh) => Ty::ListIter(e, fresh),
            Ty::Range => Ty::RangeIter,
            _ => Ty::Never,
        };
        Ok(self.push(st, t))
    }

    /// `FOR_ITER` over a list or range iterator (JIT): the next item, or out to `exit`
    /// without the iterator.
    fn for_iter(&mut self, st: &mut State, exit: u32) -> Fate {
        let item = match st.stack.last() {
            Some(&Ty::ListIter(e, fresh)) => e.ty(fresh),
            Some(Ty::RangeIter) => Ty::Int,
            _ => Ty::Never,
        };
        let mut done = st.clone();
        done.stack.pop();
        self.flow_to.push((exit, done));
        self.push(st, item)
    }

    /// `[a, b, …]` (JIT): of ints, bools, or lists of one of them.
    fn build_list(&mut self, st: &mut State, n: usize) -> Result<Fate, Reject> {
        let items = pop_n(st, n)?;
        let mut elem = Elem::Never;
        let mut fresh = true;
        for &t in &items {
            let e = Elem::of(t).ok_or(OBJECTS)?;
            elem = Elem::join(elem, e).ok_or("builds a list of values of several kinds")?;
            if let Ty::List(_, f) = t {
                fresh &= f;
            }
        }
        Ok(self.push(st, Ty::List(elem, fresh)))
    }

    /// `x[i]` of a list (JIT): its element type, checked when read.
    fn subscript(&mut self, st: &mut State) -> Result<Fate, Reject> {
        let (i, x) = (pop(st)?, pop(st)?);
        if x == Ty::Never {
            return Ok(self.push(st, Ty::Never));
        }
        let Ty::List(e, fresh) = x else {
            return Err(OBJECTS);
        };
        if !is_num(i) {
            return Err("indexes a list with a value that is not an int");
        }
        if e == Elem::Never {
            // Known once something is stored or appended (the analysis may come back).
            self.unknown_reads.push(self.pc);
        }
        Ok(self.push(st, e.ty(fresh)))
    }

    /// `x[i] = v` (JIT): of a value of its items' kind (so that reads stay as speculated);
    /// into a list this call did not make, the call [`Analysis::writes_shared`].
    fn store_subscript(&mut self, st: &mut State) -> Result<Fate, Reject> {
        let (i, x, v) = (pop(st)?, pop(st)?, pop(st)?);
        if x == Ty::Never {
            // (A call's result the graph has not typed yet.)
            return Ok(Fate::Falls);
        }
        let Ty::List(e, fresh) = x else {
            return Err(OBJECTS);
        };
        self.writes_shared |= !fresh;
        if !is_num(i) {
            return Err("indexes a list with a value that is not an int");
        }
        // (Never: a call's result the graph has not typed yet.)
        if !matches!(v, Ty::Int | Ty::Bool | Ty::Never | Ty::List(_, true))
            || Elem::of(v).and_then(|k| Elem::join(e, k)) != Some(e)
        {
            return Err("stores a value of another kind into a list");
        }
        Ok(Fate::Falls)
    }

    /// A list comprehension's `LIST_APPEND n` (JIT): the list `n` below the top takes the
    /// appended kind.
    fn list_append(&mut self, st: &mut State, n: usize) -> Result<Fate, Reject> {
        let v = pop(st)?;
        let at = st.stack.len().checked_sub(n).ok_or("stack underflow")?;
        if st.stack[at] == Ty::Never {
            return Ok(Fate::Falls);
        }
        let Ty::List(e, fresh) = st.stack[at] else {
            return Err(OBJECTS);
        };
        self.writes_shared |= !fresh;
        let k = Elem::of(v).ok_or(OBJECTS)?;
        if matches!(v, Ty::List(_, false)) {
            return Err("appends a list it did not make to a list");
        }
        let e = Elem::join(e, k).ok_or("builds a list of values of several kinds")?;
        st.stack[at] = Ty::List(e, fresh);
        Ok(Fate::Falls)
    }

    /// `xs.append(v)` and `xs.pop()` of a list (JIT).
    fn list_method(&mut self, st: &mut State, ins: Instr) -> Result<Fate, Reject> {
        let name = self.prog.strings[ins.a as usize].as_str();
        match (name, ins.b) {
            ("append", 1) | ("insert", 2) => {
                let v = pop(st)?;
                if ins.b == 2 && !is_num(pop(st)?) {
                    return Err("inserts at an index that is not an int");
                }
                let x = pop(st)?;
                let Some((e, fresh)) = receiver(x)? else {
                    return Ok(self.push(st, Ty::NoneV));
                };
                let k = Elem::of(v).ok_or(OBJECTS)?;
                if matches!(v, Ty::List(_, false)) {
                    return Err("appends a list it did not make to a list");
                }
                let joined = Elem::join(e, k).ok_or("appends a value of another kind to a list")?;
                self.writes_shared |= !fresh;
                // An empty list's items are known from what is appended.
                if joined != e
                    && let Some(l) =
                        receiver_local(self.code, &self.lead, self.pc as usize, ins.b as i64)
                    && st.locals[l as usize] == x
                {
                    st.locals[l as usize] = Ty::List(joined, fresh);
                }
                Ok(self.push(st, Ty::NoneV))
            }
            // `xs.sort()`, `xs.sort(reverse=…)`, `xs.reverse()` of ints or bools.
            ("sort" | "reverse", 0) | ("sort", METHOD_REVERSE) => {
                if ins.b == METHOD_REVERSE && !is_num(pop(st)?) {
                    return Err("sorts with a reverse= that is not an int or a bool");
                }
                let Some((e, fresh)) = receiver(pop(st)?)? else {
                    return Ok(self.push(st, Ty::NoneV));
                };
                if name == "sort" && !matches!(e, Elem::Int | Elem::Bool | Elem::Never) {
                    return Err("sorts a list of lists (not compiled yet)");
                }
                self.writes_shared |= !fresh;
                Ok(self.push(st, Ty::NoneV))
            }
            ("pop", 0 | 1) => {
                if ins.b == 1 && !is_num(pop(st)?) {
                    return Err("pops at an index that is not an int");
                }
                let x = pop(st)?;
                if x == Ty::Never {
                    return Ok(self.push(st, Ty::Never));
                }
                let Ty::List(e, fresh) = x else {
                    return Err(OBJECTS);
                };
                if e == Elem::Never {
                    self.unknown_reads.push(self.pc);
                }
                self.writes_shared |= !fresh;
                Ok(self.push(st, e.ty(fresh)))
            }
            _ => Err(OBJECTS),
        }
    }

    /// `assert` failing: the JIT hands it to the interpreter (which raises with the
    /// message); ahead of time the message must be known here (none, a string, None).
    /// RAISE (`assert`, `raise`): ahead of time the message must be known here (none, a
    /// string, None).
    fn raise(&mut self, st: &mut State, ins: Instr) -> Result<Fate, Reject> {
        let kind = ExcKind::RAISABLE[ins.a as usize];
        let msg = match (ins.b != 0).then(|| pop(st)).transpose()? {
            None => String::new(),
            Some(_) if !self.dy => String::new(),
            Some(Ty::Str(id)) if ins.b == 1 => self.prog.strings[id as usize].clone(),
            Some(Ty::Str(id)) => value::py_repr(&self.prog.strings[id as usize]),
            Some(Ty::NoneV) => "None".into(),
            Some(_) => return Err("an exception's message computed at run time"),
        };
        Ok(Fate::Raises(Exception::new(kind, msg)))
    }

    fn load_fast(&mut self, st: &mut State, slot: u32) -> Result<Fate, Reject> {
        let t = st.locals[slot as usize];
        if !self.dy {
            if !self.held(t) {
                return Err("reads a local that may be unset or not an int");
            }
            return Ok(self.push(st, t));
        }
        // Module code compiled as a function keeps the module's names as locals: unbound,
        // a builtin's name finds the builtin, which a local does not model.
        if self.code.name == "<module>"
            && bits(t).is_some_and(|m| m & B_UNSET != 0)
            && Builtin::ALL
                .iter()
                .any(|b| b.name() == self.code.local_names[slot as usize])
        {
            return Err("reads a builtin's name before a definition binds it");
        }
        Ok(match bits(t) {
            Some(B_UNSET) => Fate::Raises(unbound(
                self.prog,
                self.code,
                slot,
                &st.locals,
                self.globals,
            )),
            None if matches!(t, Ty::Func(_)) => self.push(st, t),
            Some(m) if m & B_UNSET == 0 => self.push(st, t),
            Some(m) => self.push(st, from_bits(m & !B_UNSET)),
            None => return Err("reads a local of conflicting kinds"),
        })
    }

    /// A global kept in a memory cell (ahead of time).
    fn global_cell(&mut self, st: &mut State, ins: Instr) -> Result<Fate, Reject> {
        let t = self.memory[&ins.a];
        if ins.op == Op::StoreGlobal {
            let t = pop(st)?;
            if !self.held(t) {
                return Err("stores a value of conflicting kinds in a global");
            }
            self.stores.push((ins.a, t));
            return Ok(Fate::Falls);
        }
        let name = &self.prog.globals[ins.a as usize];
        // Unbound, a builtin's name finds the builtin (CPython looks there next), which a
        // cell does not model.
        if bits(t).is_some_and(|m| m & B_UNSET != 0)
            && Builtin::ALL.iter().any(|b| b.name() == name)
        {
            return Err("reads a builtin's name before a definition binds it");
        }
        Ok(match bits(t) {
            Some(B_UNSET) => Fate::Raises(name_error(
                self.prog,
                self.code,
                &st.locals,
                self.globals,
                name,
            )),
            Some(m) if m & B_UNSET != 0 => self.push(st, from_bits(m & !B_UNSET)),
            _ => self.push(st, t),
        })
    }

    /// A global read as the constant it holds now (or a callee).
    fn load_global(&mut self, st: &mut State, g: u32) -> Result<Fate, Reject> {
        let t = match self.globals.get(g as usize) {
            Some(Value::Int(_)) => Ty::Int,
            Some(Value::Bool(_)) => Ty::Bool,
            Some(Value::Func(f)) => Ty::Func(*f),
            _ if self.dy && !ever_stored(self.prog, g) => {
                let name = &self.prog.globals[g as usize];
                if Builtin::ALL.iter().any(|b| b.name() == name) {
                    return Err("uses a builtin through its name");
                }
                return Ok(Fate::Raises(name_error(
                    self.prog,
                    self.code,
                    &st.locals,
                    self.globals,
                    name,
                )));
            }
            _ => return Err("reads a global that is not an int, bool or function"),
        };
        self.globals_read.push(g);
        Ok(self.push(st, t))
    }

    fn binary_op(&mut self, st: &mut State, op: BinOp, in_place: bool) -> Result<Fate, Reject> {
        let (mut b, mut a) = (pop(st)?, pop(st)?);
        // `[x] * n` and `n * [x]` (JIT): a new list, its items those of the list.
        if let (BinOp::Mul, false, Ty::List(e, fresh), n)
        | (BinOp::Mul, false, n, Ty::List(e, fresh)) = (op, in_place, a, b)
            && is_num(n)
        {
            return Ok(self.push(st, Ty::List(e, fresh)));
        }
        if !is_num(a) || !is_num(b) {
            if let (true, Some(x), Some(y)) = (self.dy, sample(a), sample(b)) {
                if value::string_op(op, x, y).is_some() {
                    return Err("computes a string");
                }
                return match value::binary_op_of(op, in_place, x, y) {
                    Err(e) => Ok(Fate::Raises(e)),
                    Ok(_) => Err("computes a string"),
                };
            }
            let (Some(ka), Some(kb), true) = (bits(a), bits(b), self.dy) else {
                return Err("arithmetic on a value that may not be a number");
            };
            // Strings there may make a string (`s + t`, `s * n`, `s % x`), which compiled
            // code cannot. (Any other pair with a string raises CPython's TypeError.)
            let num = B_INT | B_BOOL;
            let makes = match op {
                BinOp::Add => ka & kb & B_STR != 0,
                BinOp::Mul => ka & B_STR != 0 && kb & num != 0 || kb & B_STR != 0 && ka & num != 0,
                BinOp::Mod => ka & B_STR != 0,
                _ => false,
            };
            if makes {
                return Err("computes a string");
            }
            // Checked at run time (a pair that is not two numbers raises); what comes out is
            // computed from the numbers.
            (a, b) = (from_bits(ka & B_NUM), from_bits(kb & B_NUM));
        }
        let bitop = matches!(op, BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor);
        // A bitwise operation on two bools is a bool.
        let r = match (a, b) {
            _ if !bitop => Ty::Int,
            (Ty::Bool, Ty::Bool) => Ty::Bool,
            (Ty::Dyn(_), Ty::Dyn(_) | Ty::Bool) | (Ty::Bool, Ty::Dyn(_)) => Ty::Dyn(B_NUM),
            _ => Ty::Int,
        };
        Ok(self.push(st, r))
    }

    fn compare_op(&mut self, st: &mut State, op: CmpOp) -> Result<Fate, Reject> {
        let (b, a) = (pop(st)?, pop(st)?);
        if !(is_num(a) && is_num(b)) {
            let (Some(x), Some(y), true) = (bits(a), bits(b), self.dy) else {
                return Err("comparison of a value that is not an int");
            };
            // Ordering across kinds raises, at run time when the kinds are known only then
            // (== and != never do).
            let eq = matches!(op, CmpOp::Eq | CmpOp::Ne);
            if !eq
                && (x | y) & !B_STR != 0
                && let (Some(p), Some(q)) = (sample(a), sample(b))
                && let Err(e) = value::compare(op, p, q, &self.prog.strings)
            {
                return Ok(Fate::Raises(e));
            }
        }
        Ok(self.push(st, Ty::Bool))
    }

    /// The conditional jumps: only the ways a condition known from its type can go.
    fn cond_jump(&mut self, st: &mut State, ins: Instr) -> Result<Fate, Reject> {
        // `and`/`or` keep the value on the stack where they jump; the rest pop it.
        let keeps = matches!(ins.op, Op::JumpIfFalseOrPop | Op::JumpIfTrueOrPop);
        let a = *st.stack.last().ok_or("stack underflow")?;
        // (JIT: a list is true when it has items.)
        let list = !self.dy && !keeps && matches!(a, Ty::List(..));
        if !(is_num(a) || list || self.dy && self.held(a)) {
            return Err(if keeps {
                "and/or on a value that is not an int"
            } else {
                "branch on a value that is not an int"
            });
        }
        if !keeps {
            st.stack.pop();
        }
        let jump_when = matches!(ins.op, Op::PopJumpIfTrue | Op::JumpIfTrueOrPop);
        let mut fate = Fate::Falls;
        match truth(a).or_else(|| constant_test(self.code, self.pc as usize)) {
            Some(t) if t == jump_when => {
                self.flow_to.push((ins.a, st.clone()));
                fate = Fate::Stops;
            }
            Some(_) => {}
            None => self.flow_to.push((ins.a, st.clone())),
        }
        if keeps {
            st.stack.pop();
        }
        Ok(fate)
    }

    /// A call of a known function with `n` arguments.
    fn call(&mut self, st: &mut State, n: usize) -> Result<Fate, Reject> {
        // (A [`PairArg`]'s first argument is two values: the second goes last.)
        let pair = self.pair_calls.iter().any(|p| p.1 == self.pc);
        let k = n + usize::from(pair);
        if st.stack.len() < k + 1 {
            return Err("stack underflow");
        }
        let mut args = st.stack.split_off(st.stack.len() - k);
        if pair {
            let second = args.remove(1);
            args.push(second);
        }
        let Ty::Func(f) = pop(st)? else {
            return Err("calls something that is not a known function");
        };
        self.call_sites.push((self.pc, f));
        let callee = &self.prog.codes[f as usize];
        if callee.generator {
            // Only a generator a builtin folds at once, made here.
            let here = consumer_of(self.prog, f).filter(|&(c, at, _)| {
                core::ptr::eq(&self.prog.codes[c], self.code) && at == self.pc
            });
            if self.dy || here.is_none() {
                return Err(GENERATOR);
            }
            self.fused.push(self.pc);
        }
        if callee.shape.extra() {
            return Err(
                "calls a function with *args, **kwargs or keyword-only parameters (not compiled yet)",
            );
        }
        if !callee.takes(n) {
            if self.dy {
                return Ok(Fate::Raises(callee.arity_error(n)));
            }
            return Err("a call with the wrong number of arguments");
        }
        // The parameters it leaves out take their defaults: ints, as the call passes them.
        let defaults = callee
            .int_defaults_after(n)
            .ok_or("leaves out a parameter whose default is not an int (not compiled yet)")?;
        args.extend(defaults.iter().map(|_| Ty::Int));
        if self.dy {
            if !args.iter().all(|&t| self.held(t)) {
                return Err("passes a value of conflicting kinds to a function");
            }
            self.calls.push((f, args));
        } else if args.iter().enumerate().any(|(i, &t)| {
            // (A folded generator's cells may hold bools.)
            let cell = callee.generator && i > 0 && t == Ty::Bool;
            !(cell
                || matches!(
                    t,
                    Ty::Int | Ty::Never | Ty::List(..) | Ty::RangeIter | Ty::ListIter(..)
                ))
        }) {
            // (Never: a call's result whose type the graph has not grown to yet — compiled
            // functions return ints, so it is an int by the time the types settle.)
            return Err("passes a value that is not an int or a list to a function");
        } else {
            // The callee's parameters take these kinds (the graph joins them).
            self.calls.push((f, args));
        }
        let r = (self.returns_of)(f).ok_or("calls a function that is not compiled")?;
        self.callees.push(f);
        Ok(self.push(st, r))
    }

    /// `print(…)` ahead of time: sep= and end= are strings (known here, or one of
    /// several) or None — an int or a bool is CPython's TypeError — and every value printed
    /// has a kind the runtime can print.
    fn print(&mut self, st: &mut State, ins: Instr) -> Result<Fate, Reject> {
        if ins.b & crate::bytecode::PRINT_STDERR != 0 {
            return Err("prints to stderr");
        }
        let mut kw: Vec<Ty> = Vec::new();
        for _ in 0..print_keywords(ins.b) {
            kw.insert(0, pop(st)?);
        }
        let (sep, end) = print_sep_end(ins.b, &kw);
        for (what, t) in [("sep", sep), ("end", end)] {
            match t {
                None | Some(Ty::Str(_) | Ty::NoneV | Ty::Dyn(B_STR)) => {}
                Some(t @ (Ty::Int | Ty::Bool)) => {
                    let kind = if t == Ty::Int { "int" } else { "bool" };
                    return Ok(Fate::Raises(Exception::new(
                        ExcKind::TypeError,
                        alloc::format!("{what} must be None or a string, not {kind}"),
                    )));
                }
                Some(_) => return Err("print's sep or end is computed at run time"),
            }
        }
        for _ in 0..ins.a {
            if !self.held(pop(st)?) {
                return Err("prints a value of conflicting kinds");
            }
        }
        Ok(self.push(st, Ty::NoneV))
    }

    /// `sys.argv[i]`, `int()` of it, `len(sys.argv)`, `sys.exit(…)` — ahead of time only
    /// (the runtime reads the command line and exits); the JIT leaves them to the
    /// interpreter. sys.exit takes nothing, None, an int or bool (the status), or a string
    /// known here (its message).
    fn call_sys(&mut self, st: &mut State, b: Builtin, n: u32) -> Result<Fate, Reject> {
        if !self.dy {
            return Err("uses sys.argv or sys.exit");
        }
        let args = pop_n(st, n as usize)?;
        let r = match b {
            Builtin::Exit => match args.first() {
                None | Some(Ty::NoneV | Ty::Int | Ty::Bool | Ty::Str(_)) => Ty::NoneV,
                Some(_) => {
                    return Err("sys.exit() of a value whose kind is known only at run time");
                }
            },
            Builtin::Argv if !is_num(args[0]) => {
                return Err("sys.argv[] of a value that may not be an int");
            }
            _ => Ty::Int,
        };
        Ok(self.push(st, r))
    }

    /// `abs`, `min`, `max` (and `arg` ahead of time) with `n` arguments.
    fn call_builtin(&mut self, st: &mut State, b: Builtin, n: u32) -> Result<Fate, Reject> {
        let dy = self.dy;
        if !dy
            && b == Builtin::Len
            && n == 1
            && matches!(st.stack.last(), Some(Ty::List(..) | Ty::Never))
        {
            pop(st)?;
            return Ok(self.push(st, Ty::Int));
        }
        // `sorted(xs)` of a list of ints or bools: a new list.
        if !dy
            && b == Builtin::Sorted
            && n == 1
            && matches!(
                st.stack.last(),
                Some(Ty::List(Elem::Int | Elem::Bool | Elem::Never, _) | Ty::Never)
            )
        {
            let e = match pop(st)? {
                Ty::List(e, _) => e,
                _ => Elem::Never,
            };
            return Ok(self.push(st, Ty::List(e, true)));
        }
        if !dy && b == Builtin::Range && (1..=3).contains(&n) {
            if pop_n(st, n as usize)?.iter().any(|&t| !is_num(t)) {
                return Err("range() of a value that is not an int");
            }
            return Ok(self.push(st, Ty::Range));
        }
        // pow(a, b) is `a ** b` (CPython words both failures alike); pow(a, b, m) of ints
        // is an int smaller than m.
        if b == Builtin::Pow && n == 2 {
            return self.binary_op(st, BinOp::Pow, false);
        }
        if divmod_unpacked(self.code, self.pc as usize) {
            // The quotient on top, as the unpacking leaves it.
            if !pop_n(st, 2)?.iter().all(|&t| is_num(t)) {
                return Err("divmod() of a value that may not be an int");
            }
            self.push(st, Ty::Int);
            return Ok(self.push(st, Ty::Int));
        }
        if b == Builtin::Pow && n == 3 {
            if !pop_n(st, 3)?.iter().all(|&t| is_num(t)) {
                return Err("pow() with a modulus of a value that may not be an int");
            }
            return Ok(self.push(st, Ty::Int));
        }
        // `list(xs)` of a list: a copy this call made — of the lists in it too only if
        // it holds none (a shallow copy shares them).
        if !dy
            && b == Builtin::List
            && n == 1
            && let Some(&Ty::List(e, _)) = st.stack.last()
        {
            pop(st)?;
            let fresh = !matches!(e, Elem::Ints | Elem::Bools);
            return Ok(self.push(st, Ty::List(e, fresh)));
        }
        if !dy
            && n == 1
            && matches!(b, Builtin::Sum | Builtin::Min | Builtin::Max)
            && let Some(&(Ty::List(..) | Ty::Never)) = st.stack.last()
        {
            // (Never: a call's result, or items, the graph has not typed yet.)
            let e = match pop(st)? {
                Ty::List(e, _) => e,
                _ => Elem::Never,
            };
            let r = match (b, e) {
                (Builtin::Sum, Elem::Int | Elem::Bool | Elem::Never) => Ty::Int,
                (_, Elem::Int) => Ty::Int,
                (_, Elem::Bool) => Ty::Bool,
                (_, Elem::Never) => Ty::Never,
                _ => return Err("sum/min/max of a list whose items are not ints or bools"),
            };
            return Ok(self.push(st, r));
        }
        if !b.compiled() {
            return Err(not_compiled(b));
        }
        // arg(i) ahead of time: the runtime reads the command line.
        let arg = dy && b == Builtin::Arg && n == 1;
        if matches!(
            b,
            Builtin::Argv | Builtin::ArgvInt | Builtin::Argc | Builtin::Exit
        ) {
            return self.call_sys(st, b, n);
        }
        if !arg && !matches!(b, Builtin::Abs | Builtin::Min | Builtin::Max) {
            return Err("uses a builtin with effects");
        }
        let args = pop_n(st, n as usize)?;
        if !arg
            && (args.is_empty() || (b != Builtin::Abs && n < 2) || (b == Builtin::Abs && n != 1))
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
        } else if let Some(v) =
            sample(args[0]).filter(|v| dy && b == Builtin::Abs && v.as_int().is_none())
        {
            // abs() of a string or None: CPython's TypeError, here.
            return Ok(Fate::Raises(Exception::bad_abs(v.type_name())));
        } else if dy && b != Builtin::Abs && args.iter().all(|&t| bits(t) == Some(B_STR)) {
            self.extreme_string(b == Builtin::Min, &args)
        } else if dy && b != Builtin::Abs && args.iter().all(|&t| self.held(t)) {
            // Kinds that may not order: a pair of known kinds that does not raises now;
            // else the extreme is of any of the kinds, checked as it is compared
            // (`item < best` for min, `>` for max).
            let op = if b == Builtin::Min {
                CmpOp::Lt
            } else {
                CmpOp::Gt
            };
            if let Some(e) = args.iter().skip(1).find_map(|&t| {
                let (p, q) = (sample(t)?, sample(args[0])?);
                value::compare(op, p, q, &self.prog.strings).err()
            }) {
                return Ok(Fate::Raises(e));
            }
            args.iter().fold(Ty::Never, |acc, &t| join(acc, t, true))
        } else {
            return Err("abs/min/max of a value that is not an int");
        };
        Ok(self.push(st, r))
    }

    /// `min`/`max` of strings: of known strings, the known extreme; of computed ones, a
    /// string.
    fn extreme_string(&self, min: bool, args: &[Ty]) -> Ty {
        let mut best = None::<u32>;
        for &t in args {
            match (t, best) {
                (Ty::Str(k), None) => best = Some(k),
                (Ty::Str(k), Some(j)) => {
                    let (s, bs) = (
                        &self.prog.strings[k as usize],
                        &self.prog.strings[j as usize],
                    );
                    if (min && s < bs) || (!min && s > bs) {
                        best = Some(k);
                    }
                }
                _ => return Ty::Dyn(B_STR),
            }
        }
        best.map_or(Ty::Dyn(B_STR), Ty::Str)
    }
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
    let ints: Vec<Vec<Ty>> = roots
        .iter()
        .map(|&c| vec![Ty::Int; prog.codes[c as usize].nparams as usize])
        .collect();
    analyze_graph_from(prog, roots, &ints, globals, memory, policy)
}

/// [`analyze_graph`] with the roots' parameter types (the JIT's: the kinds of the
/// arguments of the call that asked for it).
pub fn analyze_graph_from(
    prog: &Program,
    roots: &[u32],
    root_params: &[Vec<Ty>],
    globals: &[Value],
    memory: &BTreeMap<u32, Ty>,
    policy: Policy,
) -> Result<Graph, (u32, u32, Reject)> {
    graph_from(
        prog,
        roots,
        root_params,
        globals,
        memory,
        policy,
        None,
        (StopAt::Never, None),
    )
}

/// JIT: [`analyze_graph_from`] of one root that may stop where `at` says
/// ([`Analysis::stops`]), from its start.
pub fn analyze_graph_stopping(
    prog: &Program,
    root: u32,
    params: &[Ty],
    globals: &[Value],
    at: StopAt,
) -> Result<Graph, (u32, u32, Reject)> {
    let ps = [params.to_vec()];
    let none = BTreeMap::new();
    graph_from(
        prog,
        &[root],
        &ps,
        globals,
        &none,
        Policy::Jit,
        None,
        (at, None),
    )
}

/// JIT: where the code compiled for a call or a loop entry (the root: never its callees)
/// may stop and hand its frame to the interpreter ([`Analysis::stops`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopAt {
    Never,
    /// After its loops ([`stoppable`]).
    AfterLoops,
    /// There and in the branches of its loops.
    InBranches,
}

/// JIT: the graph of `root` analyzed from its loop head `pc`, where a running frame holds
/// values of types `types` (its locals, then its operand stack) — for a loop entry into a
/// call whose code before the loop compiled code cannot run (or that the analysis from the
/// start never reaches). `root` must not call itself: there is no entry at its start.
pub fn analyze_graph_at_loop(
    prog: &Program,
    root: u32,
    params: &[Ty],
    (pc, types): (u32, &[Ty]),
    globals: &[Value],
    (may_stop, before): (StopAt, Option<u32>),
) -> Result<Graph, (u32, u32, Reject)> {
    let nl = prog.codes[root as usize].nlocals as usize;
    if types.len() < nl {
        return Err((root, pc, "internal: a loop entry without its locals"));
    }
    // (A local compiled code does not take stays the interpreter's until it is stored.)
    let kept = |&t: &Ty| if t == Ty::Any { Ty::Kept } else { t };
    let state = State {
        locals: types[..nl].iter().map(kept).collect(),
        stack: types[nl..].to_vec(),
    };
    // (An iterator of an enclosing loop compiled code does not take: zip(), enumerate(),
    // anything but a list's or a range's.)
    if state.stack.contains(&Ty::Any) {
        return Err((
            root,
            pc,
            "enters a loop inside a loop over values compiled code does not take",
        ));
    }
    let g = graph_from(
        prog,
        &[root],
        &[params.to_vec()],
        globals,
        &BTreeMap::new(),
        Policy::Jit,
        Some((pc, state)),
        (may_stop, before),
    )?;
    if g.analyses.values().any(|an| an.callees.contains(&root)) {
        return Err((root, pc, "enters a loop of a function that calls itself"));
    }
    Ok(g)
}

/// The graph from `roots`; the first of them analyzed from `root_start` if given, and
/// allowed to stop after its loops if `root_stops`.
#[allow(clippy::too_many_arguments)]
fn graph_from(
    prog: &Program,
    roots: &[u32],
    root_params: &[Vec<Ty>],
    globals: &[Value],
    memory: &BTreeMap<u32, Ty>,
    policy: Policy,
    root_start: Option<(u32, State)>,
    (root_stops, root_before): (StopAt, Option<u32>),
) -> Result<Graph, (u32, u32, Reject)> {
    let mut g = Graph {
        memory: memory.clone(),
        ..Graph::default()
    };
    for (&r, ps) in roots.iter().zip(root_params) {
        g.params.insert(r, ps.clone());
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
            // A callee's parameters grow from the arguments of its calls.
            let ps = g
                .params
                .entry(c)
                .or_insert_with(|| vec![Ty::Never; param_count(prog, c)])
                .clone();
            let returns = &g.returns;
            let an = analyze_from(
                prog,
                c,
                globals,
                &g.memory,
                &|f| Some(*returns.get(&f).unwrap_or(&Ty::Never)),
                &ps,
                policy,
                root_start.clone().filter(|_| c == roots[0]),
                if c == roots[0] {
                    (root_stops, root_before)
                } else {
                    (StopAt::Never, None)
                },
            )
            .map_err(|(pc, why)| (c, pc, why))?;
            todo.extend(an.callees.iter().copied());
            for (f, args) in &an.calls {
                let n = param_count(prog, *f);
                let p = g.params.entry(*f).or_insert_with(|| vec![Ty::Never; n]);
                for (have, &a) in p.iter_mut().zip(args) {
                    // (The JIT's kinds that differ conflict.)
                    let j = join(*have, a, policy == Policy::Aot);
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
    if let Some((&c, _)) = g.analyses.iter().find(|(_, an)| an.unknown) {
        return Err((c, 0, UNKNOWN_ITEMS));
    }
    // Rebuilt rather than pruned in place (no B-tree removal in the runner).
    let mut params = BTreeMap::new();
    for (c, p) in core::mem::take(&mut g.params) {
        if g.analyses.contains_key(&c) {
            params.insert(c, p);
        }
    }
    let mut returns = BTreeMap::new();
    for (c, r) in core::mem::take(&mut g.returns) {
        if g.analyses.contains_key(&c) {
            returns.insert(c, r);
        }
    }
    (g.params, g.returns) = (params, returns);
    Ok(g)
}

/// The types of the locals, then of the operand stack (an iterator of a `for` around the
/// loop), that an OSR entry at `pc` expects (for the interpreter's check).
pub fn loop_entry_types(an: &Analysis, pc: u32) -> Option<Vec<Ty>> {
    let s = an.entries.get(&pc)?;
    Some(s.locals.iter().chain(&s.stack).copied().collect())
}

/// Which locals of `code` each instruction may read before they are written again (its
/// live-in set): a fast version hands only those over, so that moving into the generic
/// version keeps nothing else alive. A bit per local, `words` u64s per instruction.
pub(crate) fn live_locals(code: &Code) -> (usize, Vec<u64>) {
    let n = code.instrs.len();
    let words = (code.nlocals as usize).div_ceil(64).max(1);
    let mut live = vec![0u64; (n + 1) * words];
    // One set for every instruction of every round (this runs for each compile of a
    // code object, over the module code's thousands of instructions too).
    let mut set = vec![0u64; words];
    let mut changed = true;
    while changed {
        changed = false;
        for pc in (0..n).rev() {
            let ins = code.instrs[pc];
            set.fill(0);
            let union = |to: usize, set: &mut [u64]| {
                for (w, l) in set.iter_mut().zip(&live[to * words..(to + 1) * words]) {
                    *w |= l;
                }
            };
            let falls = !matches!(
                ins.op,
                Op::JumpForward | Op::JumpBackward | Op::ReturnValue | Op::RaiseConst | Op::Raise
            );
            if falls {
                union(pc + 1, &mut set);
            }
            if ins.op.is_jump() {
                union(ins.a as usize, &mut set);
            }
            if matches!(ins.op, Op::ForRange | Op::ForIter) {
                union(ins.b as usize, &mut set);
            }
            let (a, bit) = (ins.a as usize / 64, 1u64 << (ins.a % 64));
            match ins.op {
                Op::StoreFast if a < words => set[a] &= !bit,
                Op::LoadFast if a < words => set[a] |= bit,
                Op::RangeSetup => {
                    for k in 0..3 {
                        let i = ins.a as usize + k;
                        if i / 64 < words {
                            set[i / 64] &= !(1 << (i % 64));
                        }
                    }
                }
                Op::ForRange => {
                    for k in 0..3 {
                        let i = ins.a as usize + k;
                        if i / 64 < words {
                            set[i / 64] |= 1 << (i % 64);
                        }
                    }
                }
                // Anything else that touches locals (cells, del) keeps them all.
                Op::DeleteFast
                | Op::LoadDeref
                | Op::StoreDeref
                | Op::DeleteDeref
                | Op::MakeCell => set.fill(!0),
                _ => {}
            }
            let at = &mut live[pc * words..(pc + 1) * words];
            if *at != set[..] {
                at.copy_from_slice(&set);
                changed = true;
            }
        }
    }
    (words, live)
}
