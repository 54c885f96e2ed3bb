//! The JIT tier: Python functions → IR → machine code.
//!
//! What is compiled: functions without prints or global stores whose values are ints,
//! bools and lists (found by abstract interpretation of the bytecode), calling only other
//! such functions. Ints are speculated: the interpreter enters compiled code only with int
//! (and list) arguments. Everything that could raise (overflow, division by zero, negative
//! shift, recursion depth, an index out of range) instead returns [`DEOPT`]. A function
//! that changed nothing the interpreter can see is then simply run again, from the start,
//! by the interpreter — which raises the right exception with the right traceback; one
//! that changed a list it was given (or calls one that does) first hands the interpreter
//! its frames where it stopped ([`crate::deopt`]), and the interpreter goes on from there.
//! So results never depend on the tier. Globals read as constants and callees resolved at compile time are recorded as
//! dependencies; storing to one invalidates the compiled code.
//!
//! Lowering is the stack-to-register step: within a bytecode block the operand stack is a
//! [`VirtualStack`] of SSA values, and at block boundaries locals and stack travel as block
//! parameters, which the optimizer then mostly removes.
//!
//! Ahead of time ([`crate::aot`]) the same analysis and lowering run under [`Policy::Aot`]: prints,
//! strings and None are allowed, a value of several kinds is a payload plus a tag
//! ([`Ty::Dyn`], a second SSA value next to the payload), parameter types come from the
//! calls, globals may live in memory cells, and failures raise instead of deoptimizing.

//!
//! This file is the driver: [`build_module`] analyzes a function and its callees
//! ([`crate::analysis`]), lowers each ([`crate::lower`]) and hands back a module for the
//! jit backend; [`call_native`] enters the machine code.

use crate::analysis::{Graph, Policy, Ty, analyze_graph_from, loop_entry_types};
use crate::bytecode::{Op, Program};
use crate::value::Value;
use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;
use jit::Module;
use jit::ir::{FuncId, Signature, Type};

pub use crate::analysis::Reject;
pub use crate::lower::{
    DEOPT, DEPTH_LIMIT, Deepest, Entry, ListHosts, LowerCtx, LowerPolicy, Resume, lower, signature,
    signature_for,
};

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

/// Host function for `pow(base, exp, m)` of ints: the result, with m's sign as Python
/// gives it (never past 64 bits: smaller than m); a negative exponent raises base's
/// inverse. DEOPT where Python raises (m = 0, no inverse): the interpreter raises.
pub extern "C" fn pow_mod_checked(base: i64, exp: i64, m: i64) -> i64 {
    if m == 0 {
        return DEOPT;
    }
    let (m, n) = (i128::from(m), i128::from(m).abs());
    // Floor modulo, as Python's `%`: the result takes m's sign.
    let floor_mod = |x: i128| {
        let r = x.rem_euclid(n);
        if m < 0 && r != 0 { r + m } else { r }
    };
    let mut b = i128::from(base).rem_euclid(n);
    if exp < 0 {
        // The inverse modulo n (extended Euclid).
        let (mut r0, mut r1, mut s0, mut s1) = (b, n, 1i128, 0i128);
        while r1 != 0 {
            let q = r0.div_euclid(r1);
            (r0, r1, s0, s1) = (r1, r0 - q * r1, s1, s0 - q * s1);
        }
        if r0 != 1 {
            return DEOPT;
        }
        b = s0.rem_euclid(n);
    }
    let (mut e, mut acc) = (i128::from(exp).unsigned_abs(), floor_mod(1));
    b = floor_mod(b);
    while e > 0 {
        if e & 1 == 1 {
            acc = floor_mod(acc * b);
        }
        e >>= 1;
        if e > 0 {
            b = floor_mod(b * b);
        }
    }
    acc as i64
}

/// Builds a module with `root` and everything it calls (transitively), analyzed against
/// the current globals. Returns the module, the FuncId of each code id, and each function's
/// return type.
/// A module ready to compile, and what the interpreter needs to know about it.
pub struct Built {
    pub module: Module,
    /// FuncId of each code id.
    pub ids: BTreeMap<u32, FuncId>,
    pub returns: BTreeMap<u32, Ty>,
    /// Each function's parameter types (what its entry takes).
    pub params: BTreeMap<u32, Vec<Ty>>,
    /// Globals the code read at compile time (constants and callees).
    pub globals_read: Vec<u32>,
    /// The on-stack-replacement entry, when one was asked for.
    pub loop_entry: Option<LoopEntry>,
}

/// What compiled code returns, as the interpreter takes it back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ret {
    Int,
    Bool,
    /// A list's handle ([`crate::jitobj`]).
    List,
    None,
}

impl Ret {
    /// How a function whose return type is `t` returns.
    pub fn of(t: Option<&Ty>) -> Ret {
        match t {
            Some(Ty::Bool) => Ret::Bool,
            Some(Ty::List(..)) => Ret::List,
            Some(Ty::NoneV) => Ret::None,
            _ => Ret::Int,
        }
    }

    /// The value compiled code returned as `r` (never DEOPT).
    pub fn value(self, r: i64) -> Value {
        match self {
            Ret::Int => Value::Int(r),
            Ret::Bool => Value::Bool(r != 0),
            Ret::List => Value::List(r as u32),
            Ret::None => Value::None,
        }
    }
}

/// Whether any of the functions analyzed holds a list.
fn uses_lists(analyses: &BTreeMap<u32, crate::analysis::Analysis>) -> bool {
    let listy = |t: &Ty| {
        matches!(
            t,
            Ty::List(..) | Ty::ListIter(..) | Ty::Range | Ty::RangeIter
        )
    };
    analyses.values().any(|a| {
        a.pushed.iter().flatten().any(listy)
            || a.params.iter().any(listy)
            || a.entries
                .values()
                .any(|st| st.locals.iter().chain(&st.stack).any(listy))
    })
}

/// Registers the list routines of [`crate::jitobj`] in `m`, for the context at `ctx`, and
/// lets its code read and write items in place.
fn list_hosts(m: &mut Module, ctx: *const crate::jitobj::Ctx) -> ListHosts {
    use crate::jitobj as j;
    let layout = j::Layout::probe();
    if layout.is_some() {
        // SAFETY: the lowering loads only the context's heap pointer (set before every
        // entry), the heap's table pointer, and the items pointer and length of an object
        // that is a list (the analysis proves the handle names one: lists come from list
        // operations and checked arguments), and it reads and writes an item only after
        // checking its index against that length; no pass moves an item's access above its
        // check (only the invariant loads of pointers and lengths move, out of loops).
        unsafe { m.allow_memory_access() };
    }
    let mut host = |name: &str, n: usize, f: usize| {
        let sig = Signature {
            params: vec![Type::I64; n],
            ret: Type::I64,
        };
        // SAFETY: each routine below is an extern "C" fn taking `n` i64s, returning an i64.
        unsafe { m.add_host(name, sig, f) }
    };
    ListHosts {
        ctx: ctx as i64,
        new: host("list_new", 1, j::list_new as *const () as usize),
        push: host("list_push", 4, j::list_push as *const () as usize),
        pop: host("list_pop", 3, j::list_pop as *const () as usize),
        sum: host("list_sum", 2, j::list_sum as *const () as usize),
        copy: host("list_copy", 2, j::list_copy as *const () as usize),
        slice: host("list_slice", 6, j::list_slice as *const () as usize),
        sort: host("list_sort", 3, j::list_sort as *const () as usize),
        reverse: host("list_reverse", 2, j::list_reverse as *const () as usize),
        sorted: host("list_sorted", 2, j::list_sorted as *const () as usize),
        pop_at: host("list_pop_at", 4, j::list_pop_at as *const () as usize),
        insert: host("list_insert", 5, j::list_insert as *const () as usize),
        min_max: host("list_min_max", 4, j::list_min_max as *const () as usize),
        contains: host("list_contains", 3, j::list_contains as *const () as usize),
        repeat: host("list_repeat", 3, j::list_repeat as *const () as usize),
        item: host("list_item", 4, j::list_item as *const () as usize),
        store: host("list_store", 5, j::list_store as *const () as usize),
        iter: host("list_iter", 2, j::list_iter as *const () as usize),
        next: host("list_next", 3, j::list_next as *const () as usize),
        len: host("list_len", 2, j::list_len as *const () as usize),
        range: host("range_new", 4, j::range_new as *const () as usize),
        range_iter: host("range_iter", 2, j::range_iter as *const () as usize),
        range_iter_copy: host(
            "range_iter_copy",
            2,
            j::range_iter_copy as *const () as usize,
        ),
        layout,
    }
}

/// A function that enters a running call at a loop head.
pub struct LoopEntry {
    pub id: FuncId,
    /// The type each local must have there (the interpreter checks before entering), then
    /// each value on the operand stack (iterators over lists).
    pub locals: Vec<Ty>,
}

/// The function a module is built for, and how it is entered.
pub struct Root<'a> {
    pub code: u32,
    /// Its parameters' types (what its entry takes).
    pub params: &'a [Ty],
    pub entry: Entry,
    /// At a loop entry: locals compiled as constants ([`LowerCtx::fixed`]).
    pub fixed: &'a [(u32, i64)],
    /// At a loop entry: the types of the running frame's values (locals, then stack), to
    /// analyze the function from the loop head — none: from its start, as a call would
    /// run it ([`crate::analysis::analyze_graph_at_loop`]; the module then has no entry
    /// at the function's start).
    pub at_loop: Option<&'a [Ty]>,
    /// Where it may stop ([`crate::analysis::Analysis::stops`]; its callees never do).
    pub stops: crate::analysis::StopAt,
    /// An instruction it stops before, whatever it is (where it may stop).
    pub stop_before: Option<u32>,
}

/// `ctx`: the interpreter's context for the list routines, compiled into code that uses
/// lists; `sites`: the frames compiled code may hand over ([`crate::deopt`]), which this
/// module's sites are added to.
pub fn build_module(
    prog: &Program,
    rt: &Root<'_>,
    globals: &[Value],
    ctx: *const crate::jitobj::Ctx,
    sites: &core::cell::RefCell<Vec<crate::deopt::Site>>,
) -> Result<Built, Reject> {
    let (root, root_params, entry, fixed) = (rt.code, rt.params, rt.entry, rt.fixed);
    // (A generator expression is compiled only as the fold of the builtin that takes it,
    // and a generator's running frame is never entered.)
    if prog.codes[root as usize].generator && entry != Entry::Start {
        return Err(crate::analysis::GENERATOR);
    }
    // (Nor the frame of a comprehension whose `.0` compiled code would pass as two
    // values: the interpreter's holds one iterator.)
    if entry != Entry::Start && crate::analysis::pair_arg(prog, root).is_some() {
        return Err(
            "enters a comprehension over enumerate() or zip() in the middle (not compiled yet)",
        );
    }
    let from_loop = match (entry, rt.at_loop) {
        (Entry::Loop(pc), Some(types)) => Some((pc, types)),
        _ => None,
    };
    let Graph {
        analyses,
        returns,
        params,
        ..
    } = match from_loop {
        Some(at) => crate::analysis::analyze_graph_at_loop(
            prog,
            root,
            root_params,
            at,
            globals,
            (rt.stops, rt.stop_before),
        ),
        None if rt.stops != crate::analysis::StopAt::Never => {
            crate::analysis::analyze_graph_stopping(prog, root, root_params, globals, rt.stops)
        }
        None => analyze_graph_from(
            prog,
            &[root],
            &[root_params.to_vec()],
            globals,
            &BTreeMap::new(),
            Policy::Jit,
        ),
    }
    .map_err(|e| e.2)?;
    // (Analyzed from a loop head, the root has only its loop entry.)
    let with_start = |c: u32| from_loop.is_none() || c != root;
    let mut m = Module::new();
    let mut int_host = |name: &str, n: usize, f: usize| {
        let sig = Signature {
            params: vec![Type::I64; n],
            ret: Type::I64,
        };
        // SAFETY: both routines below are extern "C" fns taking `n` i64s, returning an i64.
        unsafe { m.add_host(name, sig, f) }
    };
    let pow = int_host("pow", 2, pow_checked as *const () as usize);
    let pow_mod = int_host("pow_mod", 3, pow_mod_checked as *const () as usize);
    let lists = uses_lists(&analyses).then(|| list_hosts(&mut m, ctx));
    let mut ids: BTreeMap<u32, FuncId> = BTreeMap::new();
    for &c in analyses.keys().filter(|&&c| with_start(c)) {
        let name = alloc::format!("py_{}_{}", c, prog.codes[c as usize].name);
        ids.insert(c, m.declare(&name, signature_for(&params[&c])));
    }
    let writes = hand_over(prog, &analyses)?;
    if writes.contains(&true) {
        match lists {
            Some(l) if l.layout.is_none() => {
                return Err("writes a list it did not make, without the list layout");
            }
            // SAFETY: code without lists loads and stores only in its exits, which write a
            // frame into the buffer [`crate::jitobj::Ctx`] names — the interpreter's, with
            // room for the deepest chain of frames of the sites its modules have.
            None => unsafe { m.allow_memory_access() },
            Some(_) => {}
        }
    }
    let mut globals_read = Vec::new();
    let cx = LowerCtx {
        big: None,
        prog,
        globals,
        funcs: &ids,
        pow,
        pow_mod: Some(pow_mod),
        policy: LowerPolicy::Jit,
        fixed: &[],
        lists,
        resume: Some(Resume {
            writes: &writes,
            sites,
            ctx: ctx as i64,
        }),
    };
    for (&c, an) in analyses.iter().filter(|(c, _)| with_start(**c)) {
        let name: alloc::string::String = m.func_name(ids[&c]).into();
        let f = lower(&cx, c, an, Entry::Start, &name, Deepest::Deopt)?;
        m.define(ids[&c], f)
            .map_err(|_| "internal: definition mismatch")?;
    }
    for an in analyses.values() {
        globals_read.extend(an.globals_read.iter().copied());
    }
    let mut loop_entry = None;
    if let Entry::Loop(pc) = entry {
        let an = &analyses[&root];
        let locals = loop_entry_types(an, pc).ok_or("no analysis at the loop head")?;
        // The locals and the stack, the depth, then each list iterator's position.
        let positions = locals
            .iter()
            .filter(|t| matches!(t, Ty::ListIter(..)))
            .count();
        // (The interpreter passes the locals in registers and on the stack: a frame too
        // large stays its own.)
        if locals.len() + 1 + positions > MAX_NATIVE_ARGS {
            return Err("too many locals for a loop entry");
        }
        let name = alloc::format!("py_{}_osr_{}", root, pc);
        let id = m.declare(
            &name,
            Signature {
                params: vec![Type::I64; locals.len() + 1 + positions],
                ret: Type::I64,
            },
        );
        // An iterator object on the stack (a comprehension's `.0`) has been advanced by the
        // interpreter before the entry and is advanced by the code: a call that stops there
        // cannot run again from its start, so it hands its frame over.
        let mut w = writes.clone();
        w[root as usize] |= locals.contains(&Ty::RangeIter);
        // Analyzed from the loop head, what ran before it may have printed: a call that
        // stops cannot run again from its start either.
        if from_loop.is_some() {
            let code = &prog.codes[root as usize];
            if code.instrs.iter().any(|i| i.op == Op::MakeCell)
                || crate::analysis::pair_loop_reached(code, &analyses[&root])
            {
                return Err(
                    "enters a loop whose function cannot be analyzed from its start, and shares variables or loops over enumerate() or zip() (not compiled yet)",
                );
            }
            w[root as usize] = true;
        }
        if w[root as usize] {
            match lists {
                Some(l) if l.layout.is_none() => {
                    return Err("enters a loop over an iterator object without the list layout");
                }
                // SAFETY: as for the functions above (its exits write frames into the
                // interpreter's buffer, and it touches no list).
                None => unsafe { m.allow_memory_access() },
                Some(_) => {}
            }
        }
        // The loop entry folds the running range steps it is entered with.
        let f = lower(
            &LowerCtx {
                fixed,
                resume: Some(Resume {
                    writes: &w,
                    sites,
                    ctx: ctx as i64,
                }),
                ..cx
            },
            root,
            an,
            entry,
            &name,
            Deepest::Deopt,
        )?;
        m.define(id, f)
            .map_err(|_| "internal: definition mismatch")?;
        loop_entry = Some(LoopEntry { id, locals });
    }
    jit::sort::sort(&mut globals_read);
    globals_read.dedup();
    Ok(Built {
        module: m,
        ids,
        returns,
        params,
        globals_read,
        loop_entry,
    })
}

/// The module code as a function, to compile one of its loops ([`module_as_function`]).
pub struct ModuleFn {
    /// The program with that function appended (its last code object).
    pub prog: Program,
    /// The global each of its locals past the module code's own (its range loops' state)
    /// stands for.
    pub slots: Vec<u32>,
    /// Where the loop nest ends: compiled code stops there ([`Root::stop_before`]).
    pub end: Option<u32>,
}

/// The module code as a function whose locals are the globals the module assigns, to
/// compile the loop at `head` as a function's loop is compiled. A global becomes a local
/// when the module code assigns it, no other code reads or writes it (compiled code
/// would not see the value a register holds), it is no function's definition (calls are
/// resolved as constants), and code from the loop head on names it. The module code's
/// own locals keep their slots; these follow, in the order of [`ModuleFn::slots`]. Its
/// code stops after the loop nest.
pub fn module_as_function(prog: &Program, globals: &[Value], head: u32) -> ModuleFn {
    let module = &prog.codes[0];
    let n = module.instrs.len();
    let names = |i: &crate::bytecode::Instr| {
        matches!(i.op, Op::LoadGlobal | Op::StoreGlobal | Op::DeleteGlobal)
    };
    let mut elsewhere = vec![false; prog.globals.len()];
    for code in &prog.codes[1..] {
        for i in code.instrs.iter().filter(|i| names(i)) {
            elsewhere[i.a as usize] = true;
        }
    }
    let mut assigned = vec![false; prog.globals.len()];
    for (k, i) in module.instrs.iter().enumerate() {
        let def = k > 0 && matches!(module.instrs[k - 1].op, Op::MakeFunction | Op::MakeClosure);
        match i.op {
            Op::StoreGlobal if !def => assigned[i.a as usize] = true,
            Op::StoreGlobal | Op::DeleteGlobal => elsewhere[i.a as usize] = true,
            _ => {}
        }
    }
    // The instructions the code may run from the loop head on.
    let mut reached = vec![false; n];
    let mut work = vec![head as usize];
    while let Some(pc) = work.pop() {
        if pc >= n || reached[pc] {
            continue;
        }
        reached[pc] = true;
        let i = module.instrs[pc];
        let ends = matches!(
            i.op,
            Op::JumpForward | Op::JumpBackward | Op::ReturnValue | Op::RaiseConst | Op::Raise
        );
        if !ends {
            work.push(pc + 1);
        }
        if i.op.is_jump() {
            work.push(i.a as usize);
        }
        if matches!(i.op, Op::ForRange | Op::ForIter) {
            work.push(i.b as usize);
        }
    }
    let mut c = module.clone();
    let mut slot: Vec<Option<u32>> = vec![None; prog.globals.len()];
    let mut slots = Vec::new();
    for (pc, i) in module.instrs.iter().enumerate() {
        let g = i.a as usize;
        let local = reached[pc]
            && names(i)
            && assigned[g]
            && !elsewhere[g]
            && !matches!(globals.get(g), Some(Value::Func(_)));
        if local && slot[g].is_none() {
            slot[g] = Some(c.nlocals);
            c.nlocals += 1;
            c.local_names.push(prog.globals[g].clone());
            slots.push(i.a);
        }
    }
    for i in c.instrs.iter_mut() {
        match (i.op, slot.get(i.a as usize).copied().flatten()) {
            (Op::LoadGlobal, Some(s)) => (i.op, i.a) = (Op::LoadFast, s),
            (Op::StoreGlobal, Some(s)) => (i.op, i.a) = (Op::StoreFast, s),
            _ => {}
        }
    }
    // Compiled code stops where the loop nest ends (its outermost loop): what follows runs
    // once, and its own loops are compiled when they get hot.
    let end = module
        .instrs
        .iter()
        .enumerate()
        .filter(|&(j, i)| i.op == Op::JumpBackward && i.a <= head && head as usize <= j)
        .map(|(j, _)| j as u32 + 1)
        .max();
    let mut p = prog.clone();
    p.codes.push(c);
    ModuleFn {
        prog: p,
        slots,
        end,
    }
}

/// Which functions of the module hand the interpreter their frames where they stop
/// ([`crate::deopt`]), by code id: one that writes into a list it did not make, or stops
/// where it cannot go on (after its loops), or calls one that does. Refused where such a
/// frame could not be handed over.
fn hand_over(
    prog: &Program,
    analyses: &BTreeMap<u32, crate::analysis::Analysis>,
) -> Result<Vec<bool>, Reject> {
    let mut writes = vec![false; prog.codes.len()];
    loop {
        let mut changed = false;
        for (&c, an) in analyses {
            let w = an.writes_shared
                || an.stops.contains(&true)
                || an.callees.iter().any(|&k| writes[k as usize]);
            if w && !writes[c as usize] {
                writes[c as usize] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // A frame handed over holds no cells, and a folded generator's frame is no
    // generator's.
    for (&c, an) in analyses {
        let code = &prog.codes[c as usize];
        if writes[c as usize]
            && (an.consumer.is_some() || code.instrs.iter().any(|i| i.op == Op::MakeCell))
        {
            return Err(
                "changes a list it is given and shares variables with a generator expression (not compiled yet)",
            );
        }
        // (Its frame there holds one iterator where compiled code keeps two values.)
        let pairs = crate::analysis::pair_loop_reached(code, an)
            || !an.pair_calls.is_empty()
            || an.pair_self.is_some();
        if writes[c as usize] && pairs {
            return Err(
                "changes a list it is given in a loop over enumerate() or zip() (not compiled yet)",
            );
        }
    }
    Ok(writes)
}

/// Calls compiled code with up to [`MAX_NATIVE_ARGS`] i64 arguments.
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
        17 => call!(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16),
        18 => call!(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17),
        19 => call!(
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18
        ),
        20 => call!(
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19
        ),
        21 => call!(
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20
        ),
        22 => call!(
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21
        ),
        23 => call!(
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22
        ),
        24 => call!(
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23
        ),
        25 => call!(
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
            24
        ),
        26 => call!(
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
            24, 25
        ),
        27 => call!(
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
            24, 25, 26
        ),
        28 => call!(
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
            24, 25, 26, 27
        ),
        29 => call!(
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
            24, 25, 26, 27, 28
        ),
        30 => call!(
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
            24, 25, 26, 27, 28, 29
        ),
        31 => call!(
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
            24, 25, 26, 27, 28, 29, 30
        ),
        32 => call!(
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
            24, 25, 26, 27, 28, 29, 30, 31
        ),
        _ => return None,
    })
}

/// Most arguments a compiled entry can take through [`call_native`].
pub const MAX_NATIVE_ARGS: usize = 32;
