//! The bytecode interpreter: one dispatch loop over explicit frames (no Rust recursion per
//! Python call), an int fast path on the hot operations, and CPython's exceptions.

use crate::analysis::{StopAt, Ty};
use crate::ast::{BinOp, CmpOp};
use crate::bigint::{self, BigHeap, Int, Unary};
use crate::builtins;
use crate::bytecode::*;
use crate::deopt;
use crate::error::{ExcKind, Exception, RECURSION_LIMIT};
use crate::heap::{self, Gen, GenState, Heap, Pull};
use crate::objects::{Objects, py_repr};
use crate::quick::{self, Kind, QInstr, Quick, SLOT, int_bin, int_cmp};
use crate::tier::{self, DEOPT, Entry};
use crate::traceback::{TbFrame, Traceback};
use crate::value::{self, Value};
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use alloc::{format, vec};

/// What the interpreter needs from its surroundings.
pub trait Host {
    /// Program output (stdout).
    fn write(&mut self, bytes: &[u8]);
    /// The program's i-th argument (`sys.argv[i + 1]`), if there is one: `arg(i)` parses
    /// it as `int()` does.
    fn arg(&self, i: i64) -> Option<&[u8]>;
    /// Sends what [`Host::write`] buffered on (before the program waits for input).
    fn flush(&mut self) {}
    /// Program output to stderr (`print(…, file=sys.stderr)`, `sys.stderr.write`):
    /// stdout is flushed first, so that the two keep their order on a terminal.
    fn write_err(&mut self, bytes: &[u8]) {
        self.flush();
        let mut err = rt::io::StderrWriter::new();
        err.write_bytes(bytes);
    }
}

/// The running call: its code object, where its frame starts, where its arguments are
/// kept (see [`Vm::arg_marks`]). Kept in memory, not registers: the dispatch loop's
/// registers are for the pc, the instructions and the frame pointer.
#[derive(Clone, Copy)]
struct Cur {
    code: u32,
    base: u32,
    args: u32,
}

/// A call in progress below the running one.
#[derive(Clone, Copy)]
struct Frame {
    /// Where it goes on: in `instrs`.
    ip: *const QInstr,
    code: u32,
    base: u32,
    /// `code`'s quickened instructions (in `Vm::quick`, alive while the Vm is).
    instrs: *const QInstr,
}

impl Frame {
    /// The index of the instruction it goes on at.
    fn pc(&self) -> u32 {
        // SAFETY: `ip` points into `instrs` (both from one code object's quickened form).
        unsafe { self.ip.offset_from(self.instrs) as u32 }
    }
}

/// What the dispatch loop needs of a function it calls.
#[derive(Clone, Copy)]
struct Callee {
    instrs: *const QInstr,
    /// The same for the deepest frame ([`quick::for_deepest_frame`]).
    deepest: *const QInstr,
    frame: u32,
    nparams: u32,
    nlocals: u32,
}

/// How a call of compiled code ended.
enum Native {
    Done(Value),
    /// It stopped and handed its frames over, outermost first ([`deopt`]).
    Stopped(Vec<deopt::Stopped>),
}

/// How code runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Bytecode only.
    Interp,
    /// Compile every function that can be at its first call, and loops at their first turn.
    Jit,
    /// Tiered: compile hot functions (calls) and hot loops (back edges, on-stack replacement).
    Auto,
}

/// Deoptimizations a function's compiled code may have before it counts them against its
/// finished calls ([`DEOPT_RATIO`]).
const DEOPT_FREE: u64 = 2;
/// Past [`DEOPT_FREE`], one deoptimization per this many finished calls keeps the code.
const DEOPT_RATIO: u64 = 16;

/// Calls before `auto` compiles a function, at the least; and the work its interpreted runs
/// must add up to ([`hot_call`]).
pub const HOT_CALLS: u32 = 2;
/// What [`Vm::arrange`] returns when it made the call itself (the result in the callee's
/// slot).
const CALLED: usize = usize::MAX - 1;
/// Loop turns before `auto` replaces a running frame with compiled code — and the work, in
/// loop turns, a function's interpreted calls must have done before its calls are compiled.
pub const HOT_LOOP: u32 = 1000;
/// What a call counts for in that work, in loop turns: a function without loops is
/// compiled at its twentieth call, one whose loops turn fifty times a call at about its
/// tenth, one whose loops turn a thousand times at its second. (Compiling a function costs
/// about what interpreting a few thousand of its instructions does: a program that calls
/// a small function a few times runs faster without compiling it at all — measured over
/// the corpus in BENCHMARKS.md, "Calls compiled when they have done enough work".)
const CALL_TURNS: u32 = 50;

/// Whether a function `t` describes has been called and has looped enough, interpreted,
/// for its calls to be compiled: past what compiling it would cost, as far as what it did
/// so far tells (a rent-or-buy rule — at worst about twice the cost of the better choice
/// made knowing the future). A function that makes comprehensions or generator expressions
/// does work the counts do not see (their loops are theirs, a generator's turns are
/// resumptions): it is compiled at its second call.
fn hot_call(t: &TierInfo, code: &Code) -> bool {
    t.calls >= HOT_CALLS
        && (t
            .calls
            .saturating_mul(CALL_TURNS)
            .saturating_add(t.backedges)
            >= HOT_LOOP
            || code
                .instrs
                .iter()
                .any(|i| matches!(i.op, Op::MakeFunction | Op::MakeClosure)))
}

/// The module code's range loops with fewer turns left than this are not compiled.
const FEW_TURNS: u32 = 2 * HOT_LOOP;

/// Tiered: the turns a call's loops must take on average for code that stops after them
/// ([`tier::Built::stops`]) to be compiled.
const STOP_TURNS: u64 = 32;

/// Code may stop in a branch of a loop only if the program has run at least this many
/// turns of the code's loops for each print so far: a stop costs the turn's compiled
/// speed, an entry and STOP_TURNS turns interpreted.
const RARE_PRINTS: u64 = 64;

/// Calls a compiled function may receive with arguments its entry cannot take (strings,
/// big ints, None) before — having taken none — it is left to the interpreter for good.
pub const ARG_MISSES: u32 = 100;

/// Turns of a loop in a row whose frame its compiled loop entry could not take (values of
/// other kinds) before the entry is dropped for good.
const OSR_REFUSALS: u32 = 100;

/// Compiled code entered at a loop head of a running call.
#[derive(Clone, Debug)]
pub struct OsrEntry {
    /// The loop head.
    pub pc: u32,
    pub addr: usize,
    /// What the result is.
    pub ret: tier::Ret,
    /// The type each local must have there.
    pub types: Vec<Ty>,
    /// Locals compiled as constants (the loops' range steps): entered only when they hold
    /// these values.
    pub fixed: Vec<(u32, i64)>,
}

/// A loop of the module code, compiled as the loop of the module code as a function
/// ([`tier::module_as_function`]) or refused.
#[derive(Clone, Debug)]
struct ModuleLoop {
    /// The loop head.
    pc: u32,
    /// The global each local past the module code's own stands for.
    slots: Vec<u32>,
    /// The operand stack's depth at the head.
    depth: u32,
    refused: bool,
}

/// Per-code-object tiering state and statistics.
#[derive(Clone, Debug, Default)]
pub struct TierInfo {
    pub calls: u32,
    pub backedges: u32,
    /// Compiled entry: address and what the result is.
    pub entry: Option<(usize, tier::Ret)>,
    /// The kinds of arguments the compiled entry takes (ints, lists).
    pub params: Vec<Ty>,
    /// On-stack-replacement entries: (loop head pc, address, result is bool, local types).
    /// On-stack-replacement entries.
    pub osr: Vec<OsrEntry>,
    /// Why it stays interpreted, once known.
    pub rejected: Option<&'static str>,
    /// Why its calls are not compiled (what the analysis from its start rejects, or a
    /// stop after loops that have turned too few times a call so far): it is compiled only
    /// at a loop entry, when a loop gets hot.
    pub loops_only: Option<&'static str>,
    pub invalidations: u32,
    pub deopts: u32,
    /// Calls whose arguments its compiled entry could not take (not all ints).
    pub arg_misses: u32,
    /// Loop turns in a row that found a compiled loop entry and could not take it.
    pub osr_refused: u32,
    /// Loop turns the interpreter runs before it enters compiled code at a loop head
    /// again, after that code stopped ([`STOP_TURNS`]: a stop in a branch of a loop, the
    /// interpreter runs that turn on).
    pub cool: u32,
    pub native_calls: u64,
    pub osr_entries: u64,
    /// Nanoseconds since start when first compiled, compile time, machine-code bytes.
    pub compiled_at_ns: u64,
    pub compile_ns: u64,
    pub code_bytes: usize,
    /// Register-to-register moves in that code.
    pub code_moves: usize,
    /// With [`Vm::set_timing`]: nanoseconds interpreting this function's own bytecode, and
    /// in its compiled code entered from the interpreter (calls and loop entries, callees
    /// included).
    pub interp_ns: u64,
    pub native_ns: u64,
    /// A generator expression a builtin folds ([`crate::analysis::Consumer`]): the code
    /// that makes its generator and the pc after that call (the builtin's), where the
    /// interpreter runs its compiled fold instead ([`Vm::try_fold`]; `entry` and `params`
    /// are the fold's).
    pub folded_at: Option<(u32, u32, crate::analysis::Consumer)>,
}

struct JitState {
    mode: Mode,
    tiers: Vec<TierInfo>,
    modules: Vec<jit::JitModule>,
    /// Globals some compiled code read at compile time: storing to one invalidates.
    deps: Vec<bool>,
    start_ns: u64,
    /// Time per tier is measured (two clock reads per call, return and native entry).
    timing: bool,
    /// When the interpreter's current stretch started (compiling and native code excluded).
    mark_ns: u64,
    /// Where compiled code that uses lists finds the heap (its address is compiled in).
    ctx: alloc::boxed::Box<crate::jitobj::Ctx>,
    /// What the frames compiled code hands over mean ([`crate::deopt`]), and the buffer
    /// it writes them to (its capacity holds the deepest chain of the largest).
    sites: core::cell::RefCell<Vec<deopt::Site>>,
    deopt_buf: Vec<i64>,
    /// With [`Vm::set_listing`]: the optimized IR of every module compiled so far.
    listing: Option<String>,
    /// The module code's loops compiled or refused ([`Vm::module_loop_back`]).
    module_loops: Vec<ModuleLoop>,
}

/// Appends `module`, optimized as [`jit::JitModule`] will optimize it, to `text`.
fn list_module(text: &mut String, prog: &Program, root: u32, entry: Entry, module: &jit::Module) {
    let opts = jit::Options {
        verify: false,
        ..jit::Options::default()
    };
    let m = jit::optimized_module(module, opts);
    let name = &prog.codes[root as usize].name;
    let at = match entry {
        Entry::Start => String::from("calls"),
        Entry::Loop(pc) => format!("the loop at bytecode {pc}"),
    };
    text.push_str(&format!("# {name}, compiled for {at}\n"));
    text.push_str(&jit::text::module_to_string(&m));
    text.push('\n');
}

/// How close to the recursion limit (in frames) a builtin's levels are looked at: no
/// builtin's fixed levels ([`Builtin::recursion_levels`]) reach further.
const NEAR_LIMIT: usize = 8;

fn now_ns() -> u64 {
    rt::sys::clock_gettime(rt::sys::ClockId::Monotonic).map_or(0, |t| t.as_nanos())
}

pub struct Vm<'p> {
    prog: &'p Program,
    pub globals: Vec<Value>,
    /// The globals in the order they were first bound (the order of CPython's module dict).
    bind_order: Vec<u32>,
    /// The frames' slots (see [`Vm::run`]).
    mem: Vec<Value>,
    frames: Vec<Frame>,
    out: String,
    /// Original arguments of the calls in progress (for restarting one after a deopt);
    /// with compiled code on only.
    args: Vec<Value>,
    /// Where each call below the running one keeps its arguments in `args` (its `Cur::args`).
    arg_marks: Vec<u32>,
    jit: Option<JitState>,
    /// While one of the module code's loops is compiled: the module code as a function
    /// ([`tier::module_as_function`]), the last code object of its program.
    module_fn: Option<tier::ModuleFn>,
    /// The module code's loops refused, a bit each ([`quick::loop_bit`]): their turns no
    /// longer call into the tier.
    module_loops_done: u64,
    /// The turns of each of the module code's loops (by their bits), until they reach
    /// [`Vm::module_hot`]: then each turn asks [`Vm::module_loop_back`].
    module_turns: [u32; 64],
    module_hot: u32,
    /// Prints run so far (what decides whether compiled code may stop at one in a loop).
    prints: u64,
    /// With compiled code on: the code objects refused for good, whose loops' turns the
    /// interpreter no longer counts (no loop entry will be made: [`Vm::loop_back`]).
    loops_done: Vec<bool>,
    /// Each code object's instructions with superinstructions ([`quick`]).
    quick: Rc<Vec<Quick>>,
    /// Ints past 64 bits ([`Value::Big`] handles point here).
    bigs: BigHeap,
    /// How a builtin asked to resume the generator in `heap.pending`, and the slot its
    /// result goes to ([`Vm::generators_first`]); None: run it to its end.
    pull: Option<(Pull, usize)>,
    /// The running generator yielded (the value, and the pc after the yield) or
    /// returned (None): for [`Vm::switch`].
    gen_event: Option<Option<(Value, u32)>>,
    /// Where [`Vm::call`] entered the frame it started (a generator's resumes mid-code).
    enter_at: u32,
    /// The call being made had its arguments put in its parameter slots already (a call
    /// with keywords of a function [`crate::bind`] serves): [`Vm::call`] takes them as
    /// they are.
    bound: bool,
    /// Set by [`Vm::switch`] when a generator's resumer raises: the pc there (the
    /// traceback's, not the dispatch loop's).
    raise_at: Option<u32>,
    /// Lists, tuples, strings made at run time, ranges, iterators.
    heap: Heap,
    /// Per string constant, which types have a method of that name (0: not asked yet).
    method_types: Vec<u8>,
    /// The recursion limit: [`RECURSION_LIMIT`] unless `sys.setrecursionlimit` set it.
    /// Compiled code and the dispatch loop's short call paths check the default (they run
    /// no frame that deep: `Vm::call` does, checking this); under a lower limit neither
    /// runs at all ([`Vm::native_allowed`], the short paths switched off in [`Vm::run`]).
    limit: usize,
}

/// `int(s)` of a program argument, as CPython reads it: surrounding whitespace, a sign,
/// decimal digits with single underscores between them. ValueError names the argument
/// as CPython does, and refuses more than 4,300 digits as CPython 3.11 does.
pub fn parse_arg(raw: &[u8]) -> Result<Int, Exception> {
    let ws = |c: &u8| matches!(c, b' ' | b'\t'..=b'\r');
    let start = raw.iter().position(|c| !ws(c)).unwrap_or(raw.len());
    let end = raw.iter().rposition(|c| !ws(c)).map_or(start, |e| e + 1);
    let s = &raw[start..end.max(start)];
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let well_formed = !digits.is_empty()
        && digits.first().is_some_and(u8::is_ascii_digit)
        && digits.last().is_some_and(u8::is_ascii_digit)
        && digits.iter().all(|c| c.is_ascii_digit() || *c == b'_')
        && !digits.windows(2).any(|w| w == b"__");
    if !well_formed {
        return Err(Exception::invalid_int_literal(&py_repr(
            &String::from_utf8_lossy(raw),
        )));
    }
    let clean: Vec<u8> = digits.iter().copied().filter(u8::is_ascii_digit).collect();
    if clean.len() > bigint::MAX_STR_DIGITS {
        return Err(Exception::new(
            ExcKind::ValueError,
            bigint::int_limit_message(clean.len()),
        ));
    }
    // Accumulated negatively, so that i64::MIN parses; past 64 bits, a big int.
    let mut acc: i64 = 0;
    for &c in &clean {
        match acc
            .checked_mul(10)
            .and_then(|a| a.checked_sub((c - b'0') as i64))
        {
            Some(a) => acc = a,
            None => return Ok(bigint::from_decimal(&clean, neg)),
        }
    }
    Ok(match (neg, acc.checked_neg()) {
        (true, _) => Int::Small(acc),
        (false, Some(v)) => Int::Small(v),
        (false, None) => bigint::from_decimal(&clean, false),
    })
}

impl<'p> Vm<'p> {
    pub fn new(prog: &'p Program) -> Vm<'p> {
        Self::with_mode(prog, Mode::Interp)
    }

    pub fn with_mode(prog: &'p Program, mode: Mode) -> Vm<'p> {
        let jit = (mode != Mode::Interp).then(|| JitState {
            mode,
            tiers: prog
                .codes
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    // (One a builtin folds is compiled into the function that makes it,
                    // and run as a fold where the interpreter makes it.)
                    let fold = c
                        .generator
                        .then(|| crate::analysis::consumer_of(prog, i as u32))
                        .flatten();
                    TierInfo {
                        rejected: c.generator.then_some(match fold {
                            Some(_) => crate::analysis::FOLDED,
                            None => crate::analysis::GENERATOR,
                        }),
                        folded_at: fold.map(|(c, at, w)| (c as u32, at + 1, w)),
                        ..TierInfo::default()
                    }
                })
                .collect(),
            modules: Vec::new(),
            ctx: alloc::boxed::Box::new(crate::jitobj::Ctx {
                heap: core::ptr::null_mut(),
                deopt: core::ptr::null_mut(),
                deopt_len: 0,
            }),
            sites: core::cell::RefCell::new(Vec::new()),
            deopt_buf: Vec::new(),
            deps: vec![false; prog.globals.len()],
            start_ns: now_ns(),
            timing: false,
            mark_ns: 0,
            listing: None,
            module_loops: Vec::new(),
        });
        Vm {
            prog,
            globals: vec![Value::Unbound; prog.globals.len()],
            bind_order: Vec::new(),
            mem: Vec::with_capacity(1024),
            frames: Vec::with_capacity(64),
            out: String::new(),
            args: Vec::new(),
            arg_marks: Vec::new(),
            bigs: BigHeap::default(),
            heap: Heap::default(),
            method_types: vec![0; prog.strings.len()],
            limit: RECURSION_LIMIT,
            pull: None,
            gen_event: None,
            enter_at: 0,
            bound: false,
            raise_at: None,
            jit,
            module_fn: None,
            module_loops_done: 0,
            module_turns: [0; 64],
            module_hot: if mode == Mode::Jit { 1 } else { HOT_LOOP },
            prints: 0,
            loops_done: vec![false; prog.codes.len()],
            quick: Rc::new(
                prog.codes
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let mut q = quick::quicken(
                            c,
                            &prog.strings,
                            prog.globals.len(),
                            mode != Mode::Interp,
                        );
                        if i == 0 {
                            for q in q.instrs.iter_mut().filter(|q| q.kind == Kind::JumpBack) {
                                q.kind = Kind::ModuleJumpBack;
                            }
                        }
                        q
                    })
                    .collect(),
            ),
        }
    }

    /// [`builtins::method_types`] of string constant `s`, computed at its first lookup.
    #[inline]
    fn method_types(&mut self, s: u32) -> u8 {
        let known = &mut self.method_types[s as usize];
        if *known == 0 {
            *known = builtins::method_types(&self.prog.strings[s as usize]);
        }
        *known
    }

    /// Tiering state per code object (None in interpreter mode).
    pub fn tiers(&self) -> Option<&[TierInfo]> {
        self.jit.as_ref().map(|j| j.tiers.as_slice())
    }

    /// Measures the time spent in each tier per function (for `--stats`; off by default,
    /// since it reads the clock at every call and return).
    pub fn set_timing(&mut self, on: bool) {
        if let Some(j) = self.jit.as_mut() {
            j.timing = on;
            j.mark_ns = now_ns();
        }
    }

    /// Keeps the IR of every module compiled from now on, as the backend's passes leave it
    /// (for `--ir`: [`Vm::listing`]). Off by default: the passes then run twice.
    pub fn set_listing(&mut self, on: bool) {
        if let Some(j) = self.jit.as_mut() {
            j.listing = on.then(String::new);
        }
    }

    /// The IR kept since [`Vm::set_listing`], in the backend's text form
    /// ([`jit::text::module_to_string`]): each module under a line naming what it was
    /// compiled for.
    pub fn listing(&self) -> Option<&str> {
        self.jit.as_ref()?.listing.as_deref()
    }

    /// The interpreter leaves code object `code` (a call, a return, the end): its stretch
    /// of interpreting is charged to it.
    #[inline]
    fn leave(&mut self, code: u32) {
        if let Some(j) = self.jit.as_mut()
            && j.timing
        {
            let now = now_ns();
            j.tiers[code as usize].interp_ns += now - j.mark_ns;
            j.mark_ns = now;
        }
    }

    /// With compiled code on: whether `f` is refused for good (no call entry, no loop
    /// entry will ever be made), so that a call of it may take the interpreter's short path.
    #[inline]
    fn interpreted_for_good(&self, f: u32) -> bool {
        self.jit
            .as_ref()
            .is_some_and(|j| j.tiers[f as usize].rejected.is_some())
    }

    /// The bookkeeping [`Vm::call`] does for a frame when compiled code is on, for a callee
    /// that is [`interpreted_for_good`](Vm::interpreted_for_good): its time starts, and its
    /// mark on the saved-arguments stack (empty: it has no loop entry to restart from).
    #[inline]
    fn enter_interpreted(&mut self, cur: &mut Cur) {
        self.leave(cur.code);
        self.arg_marks.push(cur.args);
        cur.args = self.args.len() as u32;
    }

    /// Runs compiled code of `code` at `addr` (a call or a loop entry), its time charged to
    /// `code` rather than the interpreter. None: it deoptimized (and if it has done so too
    /// often, `code` is interpreted from now on).
    ///
    /// # Safety
    /// `addr` must take exactly `args.len()` i64 arguments, and its module must be alive.
    unsafe fn enter_native(
        j: &mut JitState,
        heap: *mut Heap,
        code: u32,
        addr: usize,
        args: &[i64],
    ) -> Option<i64> {
        let t0 = if j.timing { now_ns() } else { 0 };
        // The heap is the interpreter's, untouched until the code returns.
        j.ctx.heap = heap;
        j.ctx.deopt = j.deopt_buf.as_mut_ptr();
        j.ctx.deopt_len = 0;
        // SAFETY: forwarded to the caller. (At most MAX_NATIVE_ARGS: callers check.)
        let r = unsafe { tier::call_native(addr, args) }.unwrap_or(DEOPT);
        let t = &mut j.tiers[code as usize];
        if j.timing {
            let took = now_ns() - t0;
            t.native_ns += took;
            j.mark_ns += took;
        }
        if r == DEOPT {
            // A stop the analysis placed (after the loops: the interpreter runs the rest of
            // the call) is no failure. (The innermost frame's site is the buffer's first
            // word.)
            let planned = j.ctx.deopt_len > 0 && {
                // SAFETY: compiled code wrote at least one word from the buffer's start.
                let site = unsafe { j.ctx.deopt.read() };
                j.sites
                    .borrow()
                    .get(site as usize)
                    .is_some_and(|s| s.planned)
            };
            if planned {
                t.native_calls += 1;
                return None;
            }
            // A deoptimization re-runs (at worst) the call's work in the interpreter: the
            // code stays while deoptimizations are rare — a few, then one per
            // DEOPT_RATIO calls that finished — and is dropped for good past that.
            t.deopts += 1;
            if u64::from(t.deopts) > DEOPT_FREE + t.native_calls / DEOPT_RATIO {
                t.entry = None;
                t.osr.clear();
                t.rejected = Some(
                    "deoptimized too often (exceptions, depth limits, ints past 64 bits or of other kinds)",
                );
            }
            return None;
        }
        Some(r)
    }

    /// The types of the values of a frame of `code` stopped at its loop head `pc` (its
    /// locals, then its operand stack: `values` from the frame's start), as an analysis from
    /// there takes them ([`crate::analysis::analyze_graph_at_loop`]); what compiled code
    /// cannot hold is [`Ty::Any`].
    fn frame_types(&self, code: u32, pc: u32, values: &[Value]) -> Option<Vec<Ty>> {
        let c = &self.jit_prog().codes[code as usize];
        let n = c.nlocals as usize + crate::quick::depth_at(c, pc as usize)? as usize;
        let kind = |v: Value| match v {
            Value::Unbound => Ty::Unset,
            Value::None => Ty::NoneV,
            Value::Iter(h) if self.heap.pair_iter_at(h).is_none() => {
                match self.heap.list_iter_at(h) {
                    Some((list, _)) => match self.arg_kind(Value::List(list)) {
                        Some(Ty::List(e, _)) => Ty::ListIter(e, false),
                        _ => Ty::Any,
                    },
                    None => self.arg_kind(v).unwrap_or(Ty::Any),
                }
            }
            _ => self.arg_kind(v).unwrap_or(Ty::Any),
        };
        Some(values.get(..n)?.iter().map(|&v| kind(v)).collect())
    }

    /// The kind compiled code would take `v` as: an int, or a list whose items' kind is
    /// that of its first item (its first item's, for a list of lists) — None for anything
    /// else.
    fn arg_kind(&self, v: Value) -> Option<Ty> {
        arg_kind_in(&self.heap, v)
    }

    /// Compiles `root` (with its callees) from the current globals, its parameters of the
    /// kinds of `args`; records entries.
    fn compile(&mut self, root: u32, entry: Entry, fixed: &[(u32, i64)], args: &[Value]) {
        let prog = self.prog;
        let np = prog.codes[root as usize].nparams as usize;
        let params: Option<Vec<Ty>> = (0..np)
            .map(|k| args.get(k).map_or(Some(Ty::Int), |&v| self.arg_kind(v)))
            .collect();
        let Some(j) = self.jit.as_mut() else { return };
        let Some(params) = params else {
            // Called with something compiled code does not take: maybe a later call.
            let t = &mut j.tiers[root as usize];
            t.arg_misses += 1;
            if t.arg_misses >= ARG_MISSES {
                t.rejected = Some("called with values its compiled code does not take");
            }
            return;
        };
        self.compile_for(root, entry, fixed, &params, None);
    }

    /// The module [`Vm::compile_for`] compiles (`at_loop`: analyzed from the loop head,
    /// with these types of the frame's values).
    fn build(
        &self,
        root: u32,
        entry: Entry,
        fixed: &[(u32, i64)],
        params: &[Ty],
        at_loop: Option<&[Ty]>,
    ) -> Result<tier::Built, crate::analysis::Reject> {
        let j = self.jit.as_ref().ok_or("internal: no JIT")?;
        // Code that stops after its loops (handing the rest of the call over) gains only
        // where they run long: tiered, it is compiled once they have turned STOP_TURNS
        // times a call — at a call, or else at a loop entry when they get hot.
        let t = &j.tiers[self.tier_of(root)];
        // (And in a branch of a loop where the program has printed rarely so far: a
        // print stops the code, and the turn goes on interpreted.)
        let stops = if j.mode != Mode::Jit
            && u64::from(t.backedges) < STOP_TURNS * u64::from(t.calls.max(1))
        {
            StopAt::Never
        } else if self.prints * RARE_PRINTS < u64::from(t.backedges) {
            StopAt::InBranches
        } else {
            StopAt::AfterLoops
        };
        let rt = tier::Root {
            code: root,
            params,
            entry,
            fixed,
            at_loop,
            stops,
            // (The module code as a function stops where the loop nest ends.)
            stop_before: self
                .module_fn
                .as_ref()
                .filter(|_| root as usize == self.prog.codes.len())
                .and_then(|m| m.end),
        };
        let ctx: *const crate::jitobj::Ctx = &*j.ctx;
        tier::build_module(self.jit_prog(), &rt, &self.globals, ctx, &j.sites)
    }

    /// The program compiled code is built from: while a loop of the module code is
    /// compiled, with the module code as a function appended ([`Vm::module_fn`]).
    fn jit_prog(&self) -> &Program {
        self.module_fn.as_ref().map_or(self.prog, |m| &m.prog)
    }

    /// The tiering state of code `code` of [`Vm::jit_prog`]: the module code's for the
    /// module code as a function.
    fn tier_of(&self, code: u32) -> usize {
        let c = code as usize;
        if c < self.prog.codes.len() { c } else { 0 }
    }

    /// [`Vm::compile`] for parameters of types `params`; at a loop entry, `frame`: the
    /// running frame's values (from its first local), to analyze from the loop head should
    /// the analysis from the function's start fail.
    fn compile_for(
        &mut self,
        root: u32,
        entry: Entry,
        fixed: &[(u32, i64)],
        params: &[Ty],
        frame: Option<&[Value]>,
    ) {
        let t0 = now_ns();
        // (The module code as a function is analyzed only from the loop head: everything
        // before it ran, and its compiled code must hand every frame back.)
        let module = self.module_fn.is_some() && root as usize == self.prog.codes.len();
        let mut built = if module {
            Err("")
        } else {
            self.build(root, entry, fixed, params, None)
        };
        if built.is_err()
            && let (Entry::Loop(pc), Some(values)) = (entry, frame)
            && let Some(types) = self.frame_types(root, pc, values)
        {
            built = self.build(root, entry, fixed, params, Some(&types));
        }
        let ti = self.tier_of(root);
        let prog = match &self.module_fn {
            Some(m) => &m.prog,
            None => self.prog,
        };
        let Some(j) = self.jit.as_mut() else { return };
        let mut built = match built {
            Ok(b) => b,
            // What a call cannot compile, a hot loop of a function that does not call itself
            // may (analyzed from the loop head): a call's failure keeps only its calls
            // interpreted.
            Err(why) if entry == Entry::Start && loops_alone(prog, &self.globals, root) => {
                j.tiers[ti].loops_only = Some(why);
                return;
            }
            // (A loop of the module code refused leaves the others free to compile.)
            Err(why) if module => {
                j.tiers[ti].loops_only = Some(why);
                return;
            }
            Err(why) => {
                j.tiers[ti].rejected = Some(why);
                return;
            }
        };
        // Room for the frames of the deepest chain of calls, each as large as the
        // largest (compiled code writes without asking).
        let widest = j.sites.borrow().iter().map(deopt::Site::words).max();
        let need = widest.unwrap_or(0) * (RECURSION_LIMIT + 1);
        if j.deopt_buf.capacity() < need {
            j.deopt_buf.reserve(need);
        }
        if let Some(text) = j.listing.as_mut() {
            list_module(text, prog, root, entry, &built.module);
        }
        // The lowering's IR is verified in debug builds (the test suite's); release builds
        // skip the check, an eighth of compile time.
        let opts = jit::Options {
            verify: cfg!(debug_assertions),
            ..jit::Options::default()
        };
        let module = match jit::JitModule::from_module(core::mem::take(&mut built.module), opts) {
            Ok(m) => m,
            Err(_) => {
                j.tiers[ti].rejected = Some("the backend rejected it");
                return;
            }
        };
        let elapsed = now_ns() - t0;
        if j.timing {
            j.mark_ns += elapsed;
        }
        for (&code, &fid) in &built.ids {
            let f = module.function(fid);
            let fc = &module.code().functions[fid.0 as usize];
            let (bytes, moves) = (fc.code.len(), fc.moves);
            let t = &mut j.tiers[code as usize];
            // (A folded generator expression's fold has an entry where it is made.)
            let fold = code == root && t.rejected == Some(crate::analysis::FOLDED);
            if t.entry.is_none() && (t.rejected.is_none() || fold) {
                t.entry = Some((f.addr(), tier::Ret::of(built.returns.get(&code))));
                t.params = built.params.get(&code).cloned().unwrap_or_default();
                t.code_bytes += bytes;
                t.code_moves += moves;
                if t.compiled_at_ns == 0 {
                    t.compiled_at_ns = t0 - j.start_ns;
                }
            }
        }
        if let (Some(le), Entry::Loop(pc)) = (built.loop_entry, entry) {
            let f = module.function(le.id);
            let fc = &module.code().functions[le.id.0 as usize];
            let (bytes, moves) = (fc.code.len(), fc.moves);
            let ret = tier::Ret::of(built.returns.get(&root));
            let t = &mut j.tiers[ti];
            t.osr.push(OsrEntry {
                pc,
                addr: f.addr(),
                ret,
                types: le.locals,
                fixed: fixed.to_vec(),
            });
            t.code_bytes += bytes;
            t.code_moves += moves;
        }
        let t = &mut j.tiers[ti];
        t.compile_ns += elapsed;
        if t.compiled_at_ns == 0 {
            t.compiled_at_ns = t0 - j.start_ns;
        }
        for g in built.globals_read {
            j.deps[g as usize] = true;
        }
        j.modules.push(module);
    }

    /// Whether compiled code may run: it checks the default recursion limit (and runs no
    /// frame at or past it: the interpreter does), so not under a lower one.
    #[inline]
    fn native_allowed(&self) -> bool {
        self.limit >= RECURSION_LIMIT
    }

    /// `sys.setrecursionlimit(n)` (`args` its arguments), with CPython 3.11's errors.
    fn set_recursion_limit(&mut self, args: &[Value]) -> Result<Value, Exception> {
        let [v] = args[..] else {
            return Err(Exception::new(
                ExcKind::TypeError,
                format!(
                    "sys.setrecursionlimit() takes exactly one argument ({} given)",
                    args.len()
                ),
            ));
        };
        let n = match v {
            Value::Int(i) => i,
            Value::Bool(b) => i64::from(b),
            Value::Big(_) => i64::MAX,
            v => {
                return Err(Exception::new(
                    ExcKind::TypeError,
                    format!(
                        "'{}' object cannot be interpreted as an integer",
                        self.objs().type_name(v)
                    ),
                ));
            }
        };
        // A C int.
        if !(i64::from(i32::MIN)..=i64::from(i32::MAX)).contains(&n) {
            return Err(Exception::new(
                ExcKind::OverflowError,
                "Python int too large to convert to C int",
            ));
        }
        if n < 1 {
            return Err(Exception::new(
                ExcKind::ValueError,
                "recursion limit must be greater or equal than 1",
            ));
        }
        // The frames in use (the running one is not in `frames`) and the call of
        // setrecursionlimit itself.
        let depth = self.frames.len() + 2;
        if depth as i64 >= n {
            return Err(Exception::new(
                ExcKind::RecursionError,
                format!(
                    "cannot set the recursion limit to {n} at the recursion depth {depth}: \
                     the limit is too low"
                ),
            ));
        }
        self.limit = n as usize;
        Ok(Value::None)
    }

    /// A global that compiled code depends on changed: drop all compiled code.
    fn invalidate(&mut self) {
        let Some(j) = self.jit.as_mut() else { return };
        for t in &mut j.tiers {
            if t.entry.is_some() || !t.osr.is_empty() {
                t.invalidations += 1;
                if t.invalidations >= 3 {
                    t.rejected = Some("the globals it reads keep changing");
                }
            }
            t.entry = None;
            t.osr.clear();
            t.calls = 0;
            t.backedges = 0;
        }
        j.deps.iter_mut().for_each(|d| *d = false);
        // No compiled code is running: it never calls back into the interpreter.
        j.modules.clear();
    }

    /// Tries the compiled entry of `f` for a call with `args`; None means interpret it
    /// (from its start).
    fn try_native(&mut self, f: u32, args: &[Value], depth: usize) -> Option<Native> {
        if !self.native_allowed() {
            return None;
        }
        let j = self.jit.as_mut()?;
        let t = &mut j.tiers[f as usize];
        if t.rejected.is_some() {
            return None;
        }
        if t.entry.is_none() {
            t.calls += 1;
            let hot = j.mode == Mode::Jit || hot_call(t, &self.prog.codes[f as usize]);
            if !hot || t.loops_only.is_some() {
                return None;
            }
            self.compile(f, Entry::Start, &[], args);
        }
        let j = self.jit.as_mut()?;
        let t = &mut j.tiers[f as usize];
        let (addr, ret) = t.entry?;
        // (Calls pass at most 16 words, loop entries up to MAX_NATIVE_ARGS: the array is
        // filled on every call.)
        let mut ints = [0i64; 16];
        let code = &self.prog.codes[f as usize];
        let np = code.nparams as usize;
        if np + 1 > ints.len() {
            return None;
        }
        // Parameters the call leaves out take their defaults (compiled: ints).
        for (k, d) in code.defaults_after(args.len()).iter().enumerate() {
            let Const::Int(d) = *d else { return None };
            ints[args.len() + k] = d;
        }
        // A range iterator is passed as a copy, which the code may advance; the original
        // catches up only when it returns, so that a call that deoptimizes runs again
        // from the same place.
        let mut copied: Option<(u32, u32)> = None;
        for (k, v) in args.iter().enumerate() {
            let taken = match (t.params.get(k), *v) {
                (Some(Ty::List(..)), Value::List(h)) => Some(h as i64),
                (Some(Ty::RangeIter), Value::Iter(h)) if copied.is_none() => {
                    let c = self.heap.copy_range_iter(h);
                    copied = c.map(|c| (h, c));
                    c.map(i64::from)
                }
                (Some(Ty::List(..) | Ty::RangeIter), _) => None,
                (Some(Ty::Bool), Value::Bool(b)) => Some(i64::from(b)),
                (Some(Ty::Int), Value::Int(i)) => Some(i),
                _ => None,
            };
            let Some(i) = taken else {
                // Compiled for other kinds, called with something else: after enough such
                // calls and none it could take, it stays interpreted (and its calls take
                // the interpreter's short path).
                t.arg_misses += 1;
                if t.arg_misses >= ARG_MISSES && t.native_calls == 0 {
                    t.entry = None;
                    t.osr.clear();
                    t.rejected = Some("called with values its compiled code does not take");
                }
                return None;
            };
            ints[k] = i;
        }
        ints[np] = depth as i64;
        // Deoptimized: run this call (and from now on this function) in the interpreter.
        // SAFETY: the entry was compiled for exactly this many i64 arguments (+ depth) and
        // its module is alive in j.modules.
        let heap: *mut Heap = &mut self.heap;
        let Some(r) = (unsafe { Self::enter_native(j, heap, f, addr, &ints[..np + 1]) }) else {
            // It stopped: it goes on in the interpreter where it stopped if it handed its
            // frames over, else (it changed nothing) it runs again from its start.
            let mut frames = self.handed_over(f)?;
            if let Some((h, c)) = copied {
                self.heap.catch_up_iter(h, c);
                for v in frames.iter_mut().flat_map(|s| s.values.iter_mut()) {
                    if *v == Value::Iter(c) {
                        *v = Value::Iter(h);
                    }
                }
            }
            return Some(Native::Stopped(frames));
        };
        if let Some((h, c)) = copied {
            self.heap.catch_up_iter(h, c);
        }
        j.tiers[f as usize].native_calls += 1;
        Some(Native::Done(ret.value(r)))
    }

    /// The call that makes generator expression `g`'s generator, returning to `ret` in
    /// `code`, where a builtin folds it at once ([`crate::analysis::Consumer`]): its
    /// compiled fold runs instead — compiled when hot (called often, or over a long range),
    /// entered when it takes `args` (a range's iterator, advanced as a copy that the
    /// original catches up with; a list's, by a fold that always takes every item; the
    /// cells' values) — and gives the builtin's result. None: the generator is made and the
    /// interpreter runs it (after a deoptimization too: nothing has changed).
    fn try_fold(&mut self, g: u32, code: u32, ret: u32, args: &[Value]) -> Option<Value> {
        use crate::analysis::{Consumer, FOLDED};
        if !self.native_allowed() {
            return None;
        }
        let j = self.jit.as_mut()?;
        let t = &j.tiers[g as usize];
        let (at, after, consumer) = t.folded_at?;
        if (at, after) != (code, ret) || t.rejected != Some(FOLDED) {
            return None;
        }
        let (&it, cells) = args.split_first()?;
        let Value::Iter(h) = it else { return None };
        // The values the fold takes, and the words it is passed.
        let (first, left) = if let Some((l, pos)) = self.heap.list_iter_at(h) {
            // (any/all may stop part way, where the iterator would have to stop too.)
            if matches!(consumer, Consumer::Any | Consumer::All) {
                return None;
            }
            let n = self.heap.items(Value::List(l)).map_or(0, |x| x.len());
            (Value::List(l), n.saturating_sub(pos))
        } else if self.heap.is_range_iter(h) {
            (it, self.heap.len_left(h).unwrap_or(0))
        } else {
            return None;
        };
        let mut vals = vec![first];
        for &c in cells {
            let Value::Cell(ch) = c else { return None };
            let heap::Obj::Cell(v) = *self.heap.get(ch) else {
                return None;
            };
            vals.push(v);
        }
        let j = self.jit.as_mut()?;
        let t = &mut j.tiers[g as usize];
        if t.entry.is_none() {
            t.calls += 1;
            // The items this call will take count as turns of its loop (the interpreter
            // runs a generator's loop through `Vm::resume`, which counts no turns).
            let items = u32::try_from(left).unwrap_or(u32::MAX);
            t.backedges = t.backedges.saturating_add(items);
            let hot = j.mode == Mode::Jit
                || hot_call(t, &self.prog.codes[g as usize])
                || left >= HOT_LOOP as usize;
            if !hot {
                return None;
            }
            let mut params = Vec::with_capacity(vals.len());
            for (k, &v) in vals.iter().enumerate() {
                params.push(match (k, self.arg_kind(v)?) {
                    (0, Ty::List(e, _)) => Ty::ListIter(e, false),
                    (_, t) => t,
                });
            }
            self.compile_for(g, Entry::Start, &[], &params, None);
        }
        let j = self.jit.as_mut()?;
        let t = &mut j.tiers[g as usize];
        let (addr, ret_kind) = t.entry?;
        if t.params.len() != vals.len() || vals.len() + 2 > 16 {
            return None;
        }
        let mut ints = [0i64; 16];
        let mut copied = None;
        let mut pos = None;
        for (k, (&v, &p)) in vals.iter().zip(&t.params).enumerate() {
            ints[k] = match (p, v) {
                (Ty::RangeIter, Value::Iter(h)) => {
                    let c = self.heap.copy_range_iter(h)?;
                    copied = Some(c);
                    i64::from(c)
                }
                // (Its items read as the kind the fold was compiled for: a list of
                // another kind would read as empty.)
                (Ty::ListIter(e, _), Value::List(l)) => {
                    if !self.heap.reads_as(l, e) {
                        return None;
                    }
                    pos = Some(self.heap.list_iter_at(h)?.1 as i64);
                    i64::from(l)
                }
                (Ty::List(..), Value::List(l)) => i64::from(l),
                (Ty::Int, Value::Int(i)) => i,
                (Ty::Bool, Value::Bool(b)) => i64::from(b),
                _ => return None,
            };
        }
        let n = vals.len();
        ints[n] = self.frames.len() as i64 + 1;
        let words = n + 1 + usize::from(pos.is_some());
        if let Some(p) = pos {
            ints[n + 1] = p;
        }
        let heap: *mut Heap = &mut self.heap;
        // SAFETY: the fold was compiled for these parameters (+ depth, + a list iterator's
        // position) and its module is alive in j.modules.
        let r = unsafe { Self::enter_native(j, heap, g, addr, &ints[..words]) };
        let r = r?;
        // It ran to its end (or, for any/all over a range, to where it stopped).
        match copied {
            Some(c) => self.heap.catch_up_iter(h, c),
            None => self.heap.exhaust(h),
        }
        if let Some(j) = self.jit.as_mut() {
            j.tiers[g as usize].native_calls += 1;
        }
        Some(ret_kind.value(r))
    }

    /// The running frame `cur` makes a call: it goes below the callee's, to go on at `ret`.
    fn push_caller(&mut self, cur: &Cur, ret: u32) {
        self.leave(cur.code);
        let instrs = self.quick[cur.code as usize].instrs.as_ptr();
        self.frames.push(Frame {
            // SAFETY: a return address in the caller's instructions.
            ip: unsafe { instrs.add(ret as usize) },
            code: cur.code,
            base: cur.base,
            instrs,
        });
    }

    /// After compiled code of `outer` stopped (returned DEOPT): the frames it handed over,
    /// outermost first — None if it handed none over (it can run again from its start).
    fn handed_over(&mut self, outer: u32) -> Option<Vec<deopt::Stopped>> {
        let j = self.jit.as_mut()?;
        let n = usize::try_from(j.ctx.deopt_len).ok().filter(|&n| n > 0)?;
        j.ctx.deopt_len = 0;
        // SAFETY: compiled code wrote `n` words from the buffer's start, within its
        // capacity (reserved for the deepest chain of frames), and nothing else uses it.
        let words = unsafe { core::slice::from_raw_parts(j.ctx.deopt, n) };
        let sites = j.sites.borrow();
        let frames = deopt::frames(words, &sites, &mut self.heap);
        debug_assert!(
            frames.is_some(),
            "compiled code handed over frames that do not read"
        );
        frames.filter(|f| f.first().is_some_and(|s| s.code == outer))
    }

    /// Goes on in the interpreter where compiled code stopped, with the frames it handed
    /// over (outermost first): `call` Some(pc) when the outermost is a call the running
    /// frame made, to return to `pc` (its frame starts at `base`); None when it is the
    /// running frame itself (entered at a loop). Returns the pc to go on at, in the
    /// innermost frame, which is now the running one.
    fn take_over(
        &mut self,
        mem: &mut Vec<Value>,
        cur: &mut Cur,
        call: Option<u32>,
        base: usize,
        frames: Vec<deopt::Stopped>,
    ) -> u32 {
        let mut base = base;
        let mut ret_pc = call;
        let mut go_on = 0;
        for st in frames {
            let (code, pc, after_call) = (st.code, st.pc, st.after_call);
            if let Some(ret) = ret_pc {
                // A frame of its own, called by the running one.
                self.push_caller(cur, ret);
                self.arg_marks.push(cur.args);
                cur.args = self.args.len() as u32;
                if !self.interpreted_for_good(code) {
                    let np = self.prog.codes[code as usize].nparams as usize;
                    self.args.extend_from_slice(&st.values[..np]);
                }
            }
            let end = base + self.quick[code as usize].frame as usize;
            if mem.len() < end {
                mem.resize(end, Value::Unbound);
            }
            let n = st.values.len();
            // (What the frame keeps: the outermost frame's slots, the frame running here.)
            let kept: Vec<(usize, Value)> = st.kept.iter().map(|&i| (i, mem[base + i])).collect();
            mem[base..base + n].copy_from_slice(&st.values);
            mem[base + n..end].fill(Value::Unbound);
            for (i, v) in kept {
                mem[base + i] = v;
            }
            *cur = Cur {
                code,
                base: base as u32,
                args: cur.args,
            };
            if after_call {
                // The callee's frame starts at its arguments, after its slot.
                let fslot = base + n;
                mem[fslot] = Value::Unbound;
                base = fslot + 1;
                ret_pc = Some(pc + 1);
            } else {
                go_on = pc;
            }
        }
        go_on
    }

    /// A NameError with CPython's "Did you mean": among the running function's local
    /// names, the module's globals bound now and its dunders, the builtins.
    fn hinted(&self, exc: Exception, code: u32) -> Exception {
        let between = |pre: &str, post: &str| exc.msg.strip_prefix(pre)?.strip_suffix(post);
        let Some(name) = (exc.kind == ExcKind::NameError)
            .then(|| {
                between("name '", "' is not defined").or_else(|| {
                    between(
                        "cannot access free variable '",
                        "' where it is not associated with a value in enclosing scope",
                    )
                })
            })
            .flatten()
        else {
            return exc;
        };
        // The module's dict: its dunders, then its names as they were bound.
        let mut globals: Vec<&str> = crate::suggest::MODULE_DUNDERS.to_vec();
        globals.extend(
            self.bind_order
                .iter()
                .filter(|&&g| !matches!(self.globals[g as usize], Value::Unbound))
                .map(|&g| self.prog.globals[g as usize].as_str()),
        );
        // A function's local names, bound or not; the module has none of its own.
        let c = &self.prog.codes[code as usize];
        let locals: Vec<&str> = c
            .varnames
            .iter()
            .map(|&i| c.local_names[i as usize].as_str())
            .collect();
        match crate::suggest::suggestion(name, &locals, &globals) {
            Some(s) => Exception::new(
                ExcKind::NameError,
                format!("{}. Did you mean: '{s}'?", exc.msg),
            ),
            None => exc,
        }
    }

    fn traceback(&mut self, exc: Exception, pc: u32, code: u32) -> Traceback {
        // Raised by the frame a generator went back to: at its call, not where the loop
        // last was.
        let pc = self.raise_at.take().unwrap_or(pc);
        let at = |code: u32, pc: u32| {
            let c = &self.prog.codes[code as usize];
            TbFrame {
                name: c.name.clone(),
                pos: c.positions[(pc.max(1) - 1) as usize],
            }
        };
        // (map's and filter's frames are no Python frames in CPython.)
        let shown = |code: u32| !self.prog.codes[code as usize].builtin_iter;
        let mut frames: Vec<TbFrame> = self
            .frames
            .iter()
            .filter(|f| shown(f.code))
            .map(|f| at(f.code, f.pc()))
            .collect();
        if shown(code) {
            frames.push(at(code, pc));
        }
        Traceback { frames, exc }
    }

    /// On-stack replacement at the loop head `pc` of the running frame. None: keep
    /// interpreting; Some(Some(v)): the call returned v; Some(None): deoptimized, restart.
    fn try_osr(
        &mut self,
        code_id: u32,
        pc: u32,
        locals: &[Value],
        base: u32,
        depth: usize,
    ) -> Option<Option<Native>> {
        if !self.native_allowed() {
            return None;
        }
        let ti = self.tier_of(code_id);
        let j = self.jit.as_mut()?;
        let t = &mut j.tiers[ti];
        if t.rejected.is_some() {
            return None;
        }
        if t.cool > 0 {
            t.cool -= 1;
            return None;
        }
        if !t.osr.iter().any(|o| o.pc == pc) {
            t.backedges += 1;
            let hot = if j.mode == Mode::Jit { 1 } else { HOT_LOOP };
            if t.backedges < hot {
                return None;
            }
            // The steps of the range loops (set once per loop, never by the program) are
            // compiled as the constants they are now, so the loop's direction folds.
            let code = &self.jit_prog().codes[code_id as usize];
            let fixed: Vec<(u32, i64)> = code
                .instrs
                .iter()
                .filter(|i| i.op == Op::RangeSetup)
                .filter_map(|i| match locals.get((base + i.a + 2) as usize) {
                    Some(Value::Int(v)) => Some((i.a + 2, *v)),
                    _ => None,
                })
                .collect();
            let np = code.nparams as usize;
            let params = locals[base as usize..base as usize + np].to_vec();
            let kinds: Option<Vec<Ty>> = params.iter().map(|&v| self.arg_kind(v)).collect();
            match kinds {
                Some(kinds) => self.compile_for(
                    code_id,
                    Entry::Loop(pc),
                    &fixed,
                    &kinds,
                    Some(&locals[base as usize..]),
                ),
                None => self.compile(code_id, Entry::Loop(pc), &fixed, &params),
            }
        }
        let j = self.jit.as_mut()?;
        let t = &mut j.tiers[ti];
        // (A refusal for the kinds of the frame's values counts; an entry clears the count.)
        if t.osr_refused > OSR_REFUSALS {
            t.osr.clear();
            t.rejected = Some("its loop entries keep meeting values other than compiled for");
            return None;
        }
        let OsrEntry {
            addr,
            ret,
            types,
            fixed,
            ..
        } = t.osr.iter().find(|o| o.pc == pc)?.clone();
        if fixed
            .iter()
            .any(|&(slot, v)| locals[(base + slot) as usize] != Value::Int(v))
        {
            return None; // compiled for other range steps: keep interpreting this one
        }
        let mut ints = [0i64; tier::MAX_NATIVE_ARGS];
        let positions = types
            .iter()
            .filter(|t| matches!(t, Ty::ListIter(..)))
            .count();
        let n = types.len() + 1 + positions;
        if n > ints.len() {
            t.rejected = Some("too many locals for a loop entry");
            return None;
        }
        // The locals, then the stack (it follows them in the frame); after the depth, the
        // position of each iterator over a list, which the code keeps in place.
        let mut next_position = types.len() + 1;
        // (The frame's slot: one behind the types past a loop over enumerate() or zip(),
        // whose one iterator the code keeps as two values.)
        let mut slot = base as usize;
        let mut second = None;
        for (k, ty) in types.iter().enumerate() {
            if let Some(w) = second.take() {
                ints[k] = w;
                continue;
            }
            let v = locals[slot];
            slot += 1;
            ints[k] = match (ty, v) {
                (Ty::Int, Value::Int(i)) => i,
                (Ty::Bool, Value::Bool(b)) => b as i64,
                (Ty::List(..), Value::List(h)) => h as i64,
                (&Ty::ListIter(e, _), Value::Iter(h)) => {
                    let (list, at, pair) = match self.heap.pair_iter_at(h) {
                        Some((l, at, p)) => (l, at, Some(p)),
                        None => {
                            let (l, at) = self.heap.list_iter_at(h)?;
                            (l, at, None)
                        }
                    };
                    // As GET_ITER checked: the code reads the items as this kind keeps them.
                    if !self.heap.reads_as(list, e) {
                        return None;
                    }
                    second = match (pair, types.get(k + 1)) {
                        (None, _) => None,
                        (Some(Ok(start)), Some(Ty::Int)) => Some(start),
                        (Some(Err(l2)), Some(&Ty::List(e2, _))) if self.heap.reads_as(l2, e2) => {
                            Some(i64::from(l2))
                        }
                        _ => return None,
                    };
                    ints[next_position] = at as i64;
                    next_position += 1;
                    list as i64
                }
                // (Advanced in place; the code hands its frame over if it stops.)
                (Ty::RangeIter, Value::Iter(h)) if self.heap.is_range_iter(h) => h as i64,
                (Ty::Unset | Ty::Any | Ty::Kept, _) | (Ty::NoneV, Value::None) => 0,
                // Dead here: a frame the compiled code handed over where it stopped in the
                // loop leaves unbound what it would write before reading (the interpreter
                // ran the rest of that turn: whatever is read from here on, it wrote).
                (Ty::Int | Ty::Bool | Ty::NoneV, Value::Unbound) => 0,
                _ => {
                    // This frame's values differ from what was compiled.
                    t.osr_refused += 1;
                    return None;
                }
            };
        }
        ints[types.len()] = depth as i64;
        // SAFETY: compiled for exactly these i64 arguments; module alive.
        let heap: *mut Heap = &mut self.heap;
        j.tiers[ti].osr_refused = 0;
        let Some(r) = (unsafe { Self::enter_native(j, heap, ti as u32, addr, &ints[..n]) }) else {
            let frames = self.handed_over(code_id);
            if frames.is_some()
                && let Some(j) = self.jit.as_mut()
            {
                // (Entering each turn where a loop stops each turn would cost more than the
                // interpreter's turn: a few turns interpreted first.)
                j.tiers[ti].cool = STOP_TURNS as u32;
            }
            return Some(frames.map(Native::Stopped));
        };
        j.tiers[ti].osr_entries += 1;
        Some(Some(Native::Done(ret.value(r))))
    }

    /// One turn of a range loop whose state holds an int past 64 bits: the next value of
    /// the state, or None when the loop is done (the current value goes to the loop).
    fn range_step_big(&mut self, cur: Value, stop: Value, step: Value) -> Option<Value> {
        let bigs = &self.bigs;
        if let (Value::Int(c), Value::Big(_), Value::Int(p)) = (cur, stop, step) {
            // A stop past 64 bits is past every machine int: only its sign matters.
            let up = p > 0;
            let stop_up = bigs.num(stop)?.sign() != num_bigint::Sign::Minus;
            if up != stop_up {
                return None;
            }
            if let Some(n) = c.checked_add(p) {
                return Some(Value::Int(n));
            }
        }
        let (c, e, p) = (bigs.num(cur)?, bigs.num(stop)?, bigs.num(step)?);
        let up = p.sign() == num_bigint::Sign::Plus;
        let more = if up {
            bigint::compare(&c, CmpOp::Lt, &e)
        } else {
            bigint::compare(&c, CmpOp::Gt, &e)
        };
        if !more {
            return None;
        }
        let next = bigint::binary(&c, BinOp::Add, &p).ok()?;
        Some(self.bigs.alloc(next))
    }

    /// `a op b` (`op=` when `in_place`) on any values: machine ints while they fit, big
    /// ints past them.
    fn binary(
        &mut self,
        op: BinOp,
        in_place: bool,
        a: Value,
        b: Value,
    ) -> Result<Value, Exception> {
        let big = |v: Value| matches!(v, Value::Big(_));
        if let Some(r) = self.objs().binary(op, in_place, a, b) {
            return r;
        }
        if !big(a) && !big(b) {
            match value::binary_op_of(op, in_place, a, b) {
                // Past 64 bits: the same operation on big ints.
                Err(e) if e.kind == ExcKind::OverflowError => {}
                // Views and iterators are named by their kind (the heap knows it).
                Err(mut e)
                    if matches!(a, Value::View(_) | Value::Iter(_))
                        || matches!(b, Value::View(_) | Value::Iter(_)) =>
                {
                    if let Some((head, _)) = e.msg.split_once(": '")
                        && head.starts_with("unsupported operand type(s) for ")
                    {
                        let o = self.objs();
                        e.msg = format!("{head}: '{}' and '{}'", o.type_name(a), o.type_name(b));
                    }
                    return Err(e);
                }
                r => return r,
            }
        }
        let (Some(x), Some(y)) = (self.bigs.num(a), self.bigs.num(b)) else {
            // A big int and a value that is no int: the TypeError any int gets.
            let small = |v: Value| if big(v) { Value::Int(1) } else { v };
            return value::binary_op_of(op, in_place, small(a), small(b));
        };
        let r = bigint::binary(&x, op, &y)?;
        Ok(self.bigs.alloc(r))
    }

    /// `x op y` (`op` in `BinOp::ALL`) on ints when one is big or the result is: None when
    /// it is anything else, raises, or a collection is due — the general path then runs it
    /// (and raises, or collects).
    #[inline(never)]
    #[cold]
    fn big_arith(&mut self, op: u8, x: Value, y: Value) -> Option<Value> {
        let int = |v: Value| matches!(v, Value::Int(_) | Value::Big(_));
        if !int(x) || !int(y) || self.bigs.full() || self.heap.full() {
            return None;
        }
        self.binary(BinOp::ALL[op as usize], false, x, y).ok()
    }

    /// Whether compiled code depends on global `g` (a store to it invalidates the code).
    fn watched(&self, g: usize) -> bool {
        self.jit.as_ref().is_some_and(|j| j.deps[g])
    }

    /// `d.get(key, default)` of a dict `d`; None when the key cannot be hashed or its
    /// comparison went too deep — the general path then raises.
    #[inline(never)]
    fn dict_get(&mut self, d: Value, key: Value, default: Value) -> Option<Value> {
        let hit = self.objs().dict_lookup(d, key).ok()?;
        if self.heap.too_deep.take() {
            return None;
        }
        Some(hit.unwrap_or(default))
    }

    /// The heap's objects with what Python's rules for them need.
    fn objs(&mut self) -> Objects<'_> {
        Objects {
            heap: &mut self.heap,
            bigs: &mut self.bigs,
            prog: self.prog,
            depth: self.frames.len() + 1,
            limit: self.limit,
        }
    }

    /// Python's truth of any value.
    #[inline(never)]
    fn truthy(&mut self, v: Value) -> bool {
        self.objs().truthy(v)
    }

    /// Collects the objects nothing refers to any more (roots as for the big ints).
    fn collect_heap(&mut self, mem: &[Value]) {
        let roots = mem.iter().chain(&self.globals).chain(&self.args).copied();
        self.heap.collect(roots);
    }

    /// `a op b` for comparisons, big ints included.
    fn compare(&mut self, op: CmpOp, a: Value, b: Value) -> Result<bool, Exception> {
        if heap::handle(a).is_some() || heap::handle(b).is_some() {
            if (matches!(a, Value::View(_)) || matches!(b, Value::View(_)))
                && let Some(r) = self.objs().view_compare(op, a, b)
            {
                return r;
            }
            return self.objs().compare(op, a, b);
        }
        if matches!(a, Value::Big(_)) || matches!(b, Value::Big(_)) {
            if let (Some(x), Some(y)) = (self.bigs.num(a), self.bigs.num(b)) {
                return Ok(bigint::compare(&x, op, &y));
            }
            // Against a value that is no int: what any int gets.
            let small = |v: Value| {
                if matches!(v, Value::Big(_)) {
                    Value::Int(1)
                } else {
                    v
                }
            };
            return value::compare(op, small(a), small(b), &self.prog.strings);
        }
        value::compare(op, a, b, &self.prog.strings)
    }

    /// Collects the big ints nothing refers to any more: the roots are the frames' slots
    /// (`mem`), the globals and the saved arguments of calls in progress.
    fn collect_bigs(&mut self, mem: &mut [Value]) {
        let (globals, args, heap) = (&mut self.globals, &mut self.args, &mut self.heap);
        let cells = core::cell::RefCell::new((mem, globals, args, heap));
        self.bigs.collect_values(|visit| {
            let mut c = cells.borrow_mut();
            let (m, g, a, h) = &mut *c;
            m.iter_mut()
                .chain(g.iter_mut())
                .chain(a.iter_mut())
                .chain(h.values_mut())
                .for_each(&mut *visit);
        });
    }

    /// A builtin spends `levels` of recursion (see [`Builtin::recursion_levels`]): the
    /// first that passes the limit from this frame (at depth `frames + 1`) raises its error.
    fn builtin_depth(&self, levels: &[Level]) -> Result<(), Exception> {
        for (i, l) in levels.iter().enumerate() {
            if self.frames.len() + 2 + i > self.limit {
                return Err(l.error());
            }
        }
        Ok(())
    }

    /// [`Vm::builtin`]'s recursion check near the limit: the levels `b` spends on `args`.
    #[inline(never)]
    #[cold]
    fn builtin_depth_near(
        &mut self,
        b: Builtin,
        args: &[Value],
        host: &mut dyn Host,
    ) -> Result<(), Exception> {
        let own: Vec<Level>;
        let levels = match (b, args) {
            // What CPython's str(), repr() and print() spend depends on what they write.
            (Builtin::Print, _) => return self.print_depth(args, " ", host),
            (Builtin::Str | Builtin::Repr, _) => {
                own = self.writing_levels(b, args).0;
                &own[..]
            }
            // One argument: the object's str() (an empty spec).
            (Builtin::Format, [_]) => &[Level::Str][..],
            // One iterable of fewer than two items: nothing is compared.
            (Builtin::Min | Builtin::Max, [one])
                if self.heap.items(*one).is_some_and(|x| x.len() < 2) =>
            {
                &[Level::Calling][..]
            }
            _ => b.recursion_levels(),
        };
        self.builtin_depth(levels)
    }

    /// Runs builtin `b` on `args`.
    fn builtin(
        &mut self,
        b: Builtin,
        args: &[Value],
        host: &mut dyn Host,
    ) -> Result<Value, Exception> {
        // A builtin spends at most a few levels (more only as `writing_levels` counts
        // them): far from the limit none can pass it.
        if self.frames.len() + NEAR_LIMIT > self.limit {
            self.builtin_depth_near(b, args, host)?;
        }
        let prog = self.prog;
        Ok(match b {
            Builtin::Enumerate | Builtin::Zip
                if let Some(lazy) = prog.lazy_iters
                    && args.iter().any(|&a| self.heap.resumable(a).is_some()) =>
            {
                self.lazy_iter(b, lazy, args)?
            }
            Builtin::Print => {
                let mut out = core::mem::take(&mut self.out);
                out.clear();
                for (k, &v) in args.iter().enumerate() {
                    if k > 0 {
                        out.push(' ');
                    }
                    // CPython writes each argument as it goes: what came before a
                    // failing one is out.
                    if let Err(e) = self.objs().write_str(&mut out, v) {
                        host.write(out.as_bytes());
                        self.out = out;
                        return Err(e);
                    }
                }
                self.out = out;
                self.out.push('\n');
                host.write(self.out.as_bytes());
                Value::None
            }
            Builtin::Arg => {
                let i = index(args[0])?;
                let raw = host.arg(i).ok_or_else(Exception::index_out_of_range)?;
                self.bigs.alloc(parse_arg(raw)?)
            }
            Builtin::Abs => {
                let v = args[0];
                match v.as_int() {
                    Some(x) => match x.checked_abs() {
                        Some(a) => Value::Int(a),
                        None => {
                            let r = bigint::unary(&num_bigint::BigInt::from(x), Unary::Abs);
                            self.bigs.alloc(r)
                        }
                    },
                    None => match self.bigs.num(v) {
                        Some(n) => {
                            let r = bigint::unary(&n, Unary::Abs);
                            self.bigs.alloc(r)
                        }
                        None => return Err(Exception::bad_abs(v.type_name())),
                    },
                }
            }
            Builtin::Argv => {
                let i = index(args[0])?;
                // sys.argv: the script, then the program's arguments.
                let n = argc(host) as i64;
                let k = if i < 0 { i + n } else { i };
                if !(0..n).contains(&k) {
                    return Err(Exception::index_out_of_range());
                }
                Value::Int(k)
            }
            Builtin::ArgvInt => {
                let raw = match args[0].as_int() {
                    Some(0) => prog.filename.as_bytes(),
                    Some(k) => host.arg(k - 1).unwrap_or(b""),
                    None => b"",
                };
                self.bigs.alloc(parse_arg(raw)?)
            }
            Builtin::Argc => Value::Int(argc(host) as i64),
            Builtin::ArgvList => self.argv_list(host),
            Builtin::Exit => return Err(exit_with(args.first().copied(), prog, &self.bigs)),
            Builtin::SetRecursionLimit => return self.set_recursion_limit(args),
            Builtin::GetRecursionLimit if args.is_empty() => Value::Int(self.limit as i64),
            Builtin::GetRecursionLimit => {
                return Err(Exception::new(
                    ExcKind::TypeError,
                    format!(
                        "sys.getrecursionlimit() takes no arguments ({} given)",
                        args.len()
                    ),
                ));
            }
            Builtin::Min | Builtin::Max => {
                builtins::min_max(&mut self.objs(), b == Builtin::Max, args)?
            }
            _ if b.is_stream() => self.stream_builtin(b, args, host)?,
            _ => builtins::call(&mut self.objs(), b, args)?,
        })
    }

    /// The levels `str(x)`, `repr(x)` or `print(…)` spends (`b`, on `args`), as CPython
    /// 3.11 does: str() of anything but a str one ("while getting the str"), repr() a call
    /// and one, each item's repr one more than its container's, print the str() of each
    /// value and two for each write (its call, and the stream's inside) — the first of
    /// these in time order to reach a depth is the one that fails there.
    #[inline(never)]
    #[cold]
    fn writing_levels(&mut self, b: Builtin, args: &[Value]) -> (Vec<Level>, Vec<usize>) {
        let cap = self.limit.saturating_sub(self.frames.len()) + 2;
        let objs = self.objs();
        let is_str = |v: Value| matches!(v, Value::Str(_) | Value::Text(_));
        let str_of = |v: Value| -> Vec<Level> {
            if is_str(v) {
                return Vec::new();
            }
            let mut l = vec![Level::Str];
            l.extend(core::iter::repeat_n(Level::Repr, objs.repr_nesting(v, cap)));
            l
        };
        // Each operation's levels merged: at each depth the first one to reach it (and
        // for print, the value it was writing).
        let mut merged: Vec<Level> = Vec::new();
        let mut owner: Vec<usize> = Vec::new();
        let mut then = |ops: &[Level], who: usize| {
            if ops.len() > merged.len() {
                owner.resize(ops.len(), who);
                merged.extend_from_slice(&ops[merged.len()..]);
            }
        };
        match (b, args) {
            (Builtin::Str, [v]) => then(&str_of(*v), 0),
            (Builtin::Repr, [v]) => {
                let mut l = vec![Level::Calling, Level::Repr];
                l.extend(core::iter::repeat_n(
                    Level::Repr,
                    objs.repr_nesting(*v, cap),
                ));
                then(&l, 0);
            }
            (Builtin::Print, _) => {
                for (k, &v) in args.iter().enumerate() {
                    then(&str_of(v), k);
                    then(&[Level::Calling, Level::Calling], k);
                }
                then(&[Level::Calling, Level::Calling], args.len());
            }
            _ => then(b.recursion_levels(), 0),
        }
        (merged, owner)
    }

    /// print's recursion check near the limit: where the first level past it is reached
    /// while writing value `k`, the values before it are out (each with `sep` after it),
    /// as CPython writes them as it goes, and the error is raised.
    #[inline(never)]
    #[cold]
    fn print_depth(
        &mut self,
        values: &[Value],
        sep: &str,
        host: &mut dyn Host,
    ) -> Result<(), Exception> {
        let (levels, owner) = self.writing_levels(Builtin::Print, values);
        let Some(i) = (0..levels.len()).find(|&i| self.frames.len() + 2 + i > self.limit) else {
            return Ok(());
        };
        let mut out = String::new();
        for &v in &values[..owner[i].min(values.len())] {
            self.objs().write_str(&mut out, v)?;
            out.push_str(sep);
        }
        host.write(out.as_bytes());
        Err(levels[i].error())
    }

    /// `sys.argv` as a list of strings: the script, then the program's arguments.
    #[inline(never)]
    #[cold]
    fn argv_list(&mut self, host: &mut dyn Host) -> Value {
        let name = self.prog.filename.clone();
        let mut o = self.objs();
        let mut items = vec![o.new_str(name)];
        for i in 0..argc(host) as i64 - 1 {
            let raw = host.arg(i).unwrap_or(b"");
            items.push(o.new_str(String::from_utf8_lossy(raw).into_owned()));
        }
        o.new_list(items)
    }

    /// The levels an f-string's field spends on `v` (conversion `conv`: 0 none, 1 `!s`,
    /// 2 `!r`), as CPython 3.11's FORMAT_VALUE: the conversion, then a str as it is, an int
    /// with no spec its str(), anything else a call of its `__format__` (which takes the
    /// str() of a container).
    #[inline(never)]
    #[cold]
    fn format_levels(&mut self, v: Value, conv: u32, no_spec: bool) -> Vec<Level> {
        let cap = self.limit.saturating_sub(self.frames.len()) + 2;
        let nesting = self.objs().repr_nesting(v, cap);
        let mut levels = match conv {
            1 if !matches!(v, Value::Str(_) | Value::Text(_)) => vec![Level::Str],
            2 => vec![Level::Repr],
            _ => Vec::new(),
        };
        if conv != 0 {
            levels.extend(core::iter::repeat_n(Level::Repr, nesting));
            // The converted value is a str: formatted as it is.
            return levels;
        }
        match v {
            Value::Str(_) | Value::Text(_) if no_spec => {}
            Value::Int(_) | Value::Big(_) if no_spec => levels.push(Level::Str),
            _ if no_spec => {
                levels.extend([Level::Calling, Level::Str]);
                levels.extend(core::iter::repeat_n(Level::Repr, nesting));
            }
            _ => levels.push(Level::Calling),
        }
        levels
    }

    /// `input()` and what minipy has of `sys.stdin` and `sys.stdout`, with CPython's
    /// errors: all of stdin through [`crate::heap::StdinBuf`]. (Out of [`Vm::builtin`]'s
    /// way: rare, and that one is on every builtin call's path.)
    #[inline(never)]
    #[cold]
    fn stream_builtin(
        &mut self,
        b: Builtin,
        args: &[Value],
        host: &mut dyn Host,
    ) -> Result<Value, Exception> {
        let n = args.len();
        let type_error = |m: String| Exception::new(ExcKind::TypeError, m);
        let at_most_one = |name: &str| {
            if n > 1 {
                return Err(type_error(format!(
                    "{name} expected at most 1 argument, got {n}"
                )));
            }
            Ok(())
        };
        // A size or hint: None or negative for no limit.
        let size = |objs: &crate::objects::Objects, strict: bool| -> Result<usize, Exception> {
            match args.first().copied() {
                None => Ok(usize::MAX),
                Some(Value::None) if !strict => Ok(usize::MAX),
                Some(v) => match v.as_int() {
                    Some(k) => Ok(usize::try_from(k).unwrap_or(usize::MAX)),
                    None if strict => Err(type_error(format!(
                        "'{}' object cannot be interpreted as an integer",
                        objs.type_name(v)
                    ))),
                    None => Err(type_error(format!(
                        "argument should be integer or None, not '{}'",
                        objs.type_name(v)
                    ))),
                },
            }
        };
        Ok(match b {
            Builtin::Input => {
                at_most_one("input")?;
                if let Some(&prompt) = args.first() {
                    let mut text = String::new();
                    self.objs().write_str(&mut text, prompt)?;
                    host.write(text.as_bytes());
                }
                host.flush();
                let Some(mut line) = self.heap.stdin.line() else {
                    return Err(Exception::new(ExcKind::EOFError, "EOF when reading a line"));
                };
                if line.ends_with('\n') {
                    line.pop();
                }
                self.objs().new_str(line)
            }
            Builtin::Stdin => Value::Iter(
                self.heap
                    .alloc(crate::heap::Obj::Iter(crate::heap::Iter::Stdin)),
            ),
            Builtin::StdinRead => {
                at_most_one("read")?;
                let limit = size(&self.objs(), false)?;
                let text = self.heap.stdin.take_upto(limit, false).unwrap_or_default();
                self.objs().new_str(text)
            }
            Builtin::StdinReadline => {
                at_most_one("readline")?;
                let limit = size(&self.objs(), true)?;
                let text = self.heap.stdin.take_upto(limit, true).unwrap_or_default();
                self.objs().new_str(text)
            }
            Builtin::StdinReadlines => {
                at_most_one("readlines")?;
                let hint = size(&self.objs(), false)?;
                let (mut lines, mut total) = (Vec::new(), 0usize);
                while total < hint.max(1) || hint == 0 {
                    let Some(line) = self.heap.stdin.line() else {
                        break;
                    };
                    total += line.chars().count();
                    lines.push(self.objs().new_str(line));
                }
                self.objs().new_list(lines)
            }
            Builtin::StdoutWrite | Builtin::StderrWrite => {
                if n != 1 {
                    return Err(type_error(format!(
                        "TextIOWrapper.write() takes exactly one argument ({n} given)"
                    )));
                }
                let objs = self.objs();
                let Some(text) = objs.str_of(args[0]) else {
                    return Err(type_error(format!(
                        "write() argument must be str, not {}",
                        objs.type_name(args[0])
                    )));
                };
                let count = text.chars().count() as i64;
                if b == Builtin::StderrWrite {
                    host.write_err(text.as_bytes());
                } else {
                    host.write(text.as_bytes());
                }
                Value::Int(count)
            }
            Builtin::StdoutFlush | Builtin::StderrFlush => {
                if n != 0 {
                    return Err(type_error(format!(
                        "TextIOWrapper.flush() takes no arguments ({n} given)"
                    )));
                }
                host.flush();
                Value::None
            }
            _ => unreachable!("only the stream builtins come here"),
        })
    }

    /// `print(…)` with `sep=`/`end=` (CALL_PRINT `ins` whose values start at `start`).
    fn print_with(
        &mut self,
        mem: &[Value],
        start: usize,
        ins: Instr,
        host: &mut dyn Host,
    ) -> Result<Value, Exception> {
        let prog = self.prog;
        let args = start + ins.a as usize;
        let kw = &mem[args..args + print_keywords(ins.b) as usize];
        let (sep, end) = print_sep_end(ins.b, kw);
        if self.frames.len() + NEAR_LIMIT > self.limit {
            // Near the limit, once sep and end are known to be strings (CPython checks
            // them first).
            let text = |o: &mut Objects, v: Option<Value>| match v {
                None | Some(Value::None) => Some(String::from(" ")),
                Some(v) => o.str_of(v).map(String::from),
            };
            let mut o = self.objs();
            let sep_text = text(&mut o, sep);
            let end_ok = text(&mut o, end).is_some();
            if let (Some(sep_text), true) = (sep_text, end_ok) {
                let values: Vec<Value> = if ins.b & PRINT_STAR != 0 {
                    o.heap
                        .items(mem[start])
                        .map_or_else(Vec::new, |x| x.iter().collect())
                } else {
                    mem[start..args].to_vec()
                };
                self.print_depth(&values, &sep_text, host)?;
            }
        }
        let text = |v: Option<Value>, what: &str, default: &'static str| match v {
            None | Some(Value::None) => Ok(default),
            Some(Value::Str(id)) => Ok(prog.strings[id as usize].as_str()),
            Some(v) => Err(Exception::new(
                ExcKind::TypeError,
                format!("{what} must be None or a string, not {}", v.type_name()),
            )),
        };
        let mut objs = self.objs();
        let strs = |v: Option<Value>| match v {
            Some(Value::Text(_)) => Some(Value::Str(0)),
            v => v,
        };
        let (sep_v, end_v) = (sep, end);
        let owned = |v: Option<Value>| match v {
            Some(t @ Value::Text(_)) => objs.str_of(t).map(String::from),
            _ => None,
        };
        let (sep_s, end_s) = (owned(sep_v), owned(end_v));
        let sep = match &sep_s {
            Some(s) => s.as_str(),
            None => text(strs(sep_v), "sep", " ")?,
        };
        let end = match &end_s {
            Some(s) => s.as_str(),
            None => text(strs(end_v), "end", "\n")?,
        };
        let mut out = String::new();
        let spread;
        let values = if ins.b & PRINT_STAR != 0 {
            let seq = mem[start];
            spread = objs.to_vec(seq).map_err(|e| {
                if e.kind == ExcKind::TypeError && e.msg.ends_with("is not iterable") {
                    Exception::new(
                        ExcKind::TypeError,
                        format!(
                            "print() argument after * must be an iterable, not {}",
                            objs.type_name(seq)
                        ),
                    )
                } else {
                    e
                }
            })?;
            &spread[..]
        } else {
            &mem[start..args]
        };
        for (k, &v) in values.iter().enumerate() {
            if k > 0 {
                out.push_str(sep);
            }
            // CPython writes each argument as it goes: what came before a failing one
            // is out.
            if let Err(e) = objs.write_str(&mut out, v) {
                if ins.b & crate::bytecode::PRINT_STDERR != 0 {
                    host.write_err(out.as_bytes());
                } else {
                    host.write(out.as_bytes());
                }
                return Err(e);
            }
        }
        out.push_str(end);
        if ins.b & crate::bytecode::PRINT_STDERR != 0 {
            host.write_err(out.as_bytes());
        } else {
            host.write(out.as_bytes());
        }
        Ok(Value::None)
    }

    /// The general path of the bytecode instruction `at` of the running call (whose
    /// operand stack starts at slot `sd` of its frame): Some(pc) when it jumps — or, when
    /// a generator started, went on or stopped ([`Vm::switch`]), the pc in the frame
    /// running now (`cur`).
    #[inline(never)]
    fn general(
        &mut self,
        mem: &mut Vec<Value>,
        cur: &mut Cur,
        at: u32,
        sd: u32,
        host: &mut dyn Host,
    ) -> Result<Option<u32>, Exception> {
        let r = self.general_op(mem, *cur, at, sd, host);
        // Containers compared nested past the recursion limit.
        if self.heap.too_deep.take() {
            return Err(Exception::recursion_calling(true));
        }
        match r {
            Err(e) => self.switch(e, mem, cur, at + 1).map(Some),
            r => r,
        }
    }

    #[inline(always)]
    fn general_op(
        &mut self,
        mem: &mut [Value],
        cur: Cur,
        at: u32,
        sd: u32,
        host: &mut dyn Host,
    ) -> Result<Option<u32>, Exception> {
        let prog = self.prog;
        let code = &prog.codes[cur.code as usize];
        let ins = code.instrs[at as usize];
        let b = cur.base as usize;
        let sp = b + sd as usize;
        // Every big int in use is in `mem`, the globals or the saved arguments here.
        if self.bigs.full() {
            self.collect_bigs(mem);
        }
        if self.heap.full() {
            self.collect_heap(mem);
        }
        match ins.op {
            // A generator yields (to a pull that leaves its frame: `Kind::Yield` took the
            // others) or returns: the frames change in [`Vm::switch`], which `general`
            // calls with this error (the handle in it is unused: `gen_event` says what).
            Op::YieldValue => {
                self.gen_event = Some(Some((mem[sp - 1], at + 1)));
                return Err(self.heap.must_run(u32::MAX));
            }
            Op::ReturnValue if code.generator => {
                self.gen_event = Some(None);
                return Err(self.heap.must_run(u32::MAX));
            }
            Op::LoadConst => {
                mem[sp] = match &code.consts[ins.a as usize] {
                    Const::Int(i) => Value::Int(*i),
                    Const::Bool(b) => Value::Bool(*b),
                    Const::None => Value::None,
                    Const::Str(id) => Value::Str(*id),
                    Const::Big(n) => self.bigs.alloc(Int::Big(n.clone())),
                    Const::Error(k, m) => return Err(Exception::new(*k, m.clone())),
                };
            }
            Op::LoadFast => {
                let v = mem[b + ins.a as usize];
                if matches!(v, Value::Unbound) {
                    return Err(Exception::unbound_local(&code.local_names[ins.a as usize]));
                }
                mem[sp] = v;
            }
            Op::LoadGlobal => mem[sp] = self.global(ins.a)?,
            Op::DeleteFast | Op::DeleteGlobal => self.delete(mem, b, code, ins)?,
            Op::StoreGlobal => {
                let v = mem[sp - 1];
                let old = core::mem::replace(&mut self.globals[ins.a as usize], v);
                if old == Value::Unbound {
                    self.bind_order.push(ins.a);
                }
                if old != v && self.jit.as_ref().is_some_and(|j| j.deps[ins.a as usize]) {
                    self.invalidate();
                }
            }
            Op::BinaryOp => {
                let op = BinOp::ALL[ins.a as usize];
                mem[sp - 2] = self.binary(op, ins.b == 1, mem[sp - 2], mem[sp - 1])?;
            }
            Op::CompareOp => {
                let op = CmpOp::ALL[ins.a as usize];
                let (x, y) = (mem[sp - 2], mem[sp - 1]);
                if !value::compare_is_specialized(ins.b != 0, op, x, y) {
                    self.builtin_depth(&[Level::Comparing])?;
                }
                mem[sp - 2] = Value::Bool(self.compare(op, mem[sp - 2], mem[sp - 1])?);
            }
            Op::UnaryNegative | Op::UnaryPositive | Op::UnaryInvert => {
                let a = mem[sp - 1];
                mem[sp - 1] = match (ins.op, a) {
                    (_, Value::Big(_)) => {
                        let which = match ins.op {
                            Op::UnaryNegative => Unary::Neg,
                            Op::UnaryPositive => Unary::Pos,
                            _ => Unary::Invert,
                        };
                        let r = bigint::unary(&self.bigs.num(a).expect("an int"), which);
                        self.bigs.alloc(r)
                    }
                    // -(-2**63) is 2**63.
                    (Op::UnaryNegative, Value::Int(i64::MIN)) => self
                        .bigs
                        .alloc(Int::Big(-num_bigint::BigInt::from(i64::MIN))),
                    (Op::UnaryNegative, _) => value::negate(a)?,
                    (Op::UnaryPositive, _) => value::positive(a)?,
                    _ => value::invert(a)?,
                };
            }
            Op::UnaryNot => mem[sp - 1] = Value::Bool(!self.truthy(mem[sp - 1])),
            Op::PopJumpIfFalse | Op::PopJumpIfTrue => {
                if self.truthy(mem[sp - 1]) == (ins.op == Op::PopJumpIfTrue) {
                    return Ok(Some(ins.a));
                }
            }
            // The value stays for the jump and is dropped (statically) otherwise.
            Op::JumpIfFalseOrPop => {
                if !self.truthy(mem[sp - 1]) {
                    return Ok(Some(ins.a));
                }
            }
            Op::JumpIfTrueOrPop => {
                if self.truthy(mem[sp - 1]) {
                    return Ok(Some(ins.a));
                }
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
            | Op::LoadMethod
            | Op::CallMethod
            | Op::ListAppend
            | Op::ListExtend
            | Op::UnpackEx
            | Op::BuildMap
            | Op::MapAdd
            | Op::DictMerge
            | Op::BuildSet
            | Op::SetAdd
            | Op::FormatValue
            | Op::BuildString => return self.object_op(mem, sp, ins),
            Op::RotTwo => mem.swap(sp - 1, sp - 2),
            Op::RotThree => {
                // [.., a, b, c] → [.., c, a, b]
                mem[sp - 3..sp].rotate_right(1);
            }
            Op::RangeSetup => {
                self.builtin_depth(Builtin::RANGE_LEVELS)?;
                let (start, stop, step) = range_args(&mem[sp - ins.b as usize..sp])?;
                let s = b + ins.a as usize;
                mem[s] = start;
                mem[s + 1] = stop;
                mem[s + 2] = step;
            }
            Op::MakeFunction => mem[sp] = Value::Func(ins.a),
            Op::CallFunctionEx | Op::CallKw => unreachable!("calls are quickened"),
            Op::MakeCell
            | Op::LoadClosure
            | Op::LoadDeref
            | Op::StoreDeref
            | Op::DeleteDeref
            | Op::MakeClosure
            | Op::LoadAttr => self.function_op(mem, b, sp, code, ins)?,
            Op::CallPrint if ins.b == 0 => {
                let start = sp - ins.a as usize;
                self.prints += 1;
                mem[start] = self.builtin(Builtin::Print, &mem[start..sp], host)?;
            }
            Op::CallPrint => {
                let nk = print_keywords(ins.b) as usize;
                let start = sp - nk - ins.a as usize;
                self.prints += 1;
                mem[start] = self.print_with(mem, start, ins, host)?;
            }
            Op::CallBuiltin => {
                let start = sp - ins.b as usize;
                let bi = Builtin::ALL[ins.a as usize];
                self.generators_first(bi, &mem[start..sp], start)?;
                match self.builtin(bi, &mem[start..sp], host) {
                    Ok(v) => mem[start] = v,
                    Err(e) => return Err(e),
                }
            }
            Op::RaiseConst => match &code.consts[ins.a as usize] {
                Const::Error(k, m) => return Err(Exception::new(*k, m.clone())),
                _ => unreachable!("RAISE_CONST of a non-error"),
            },
            Op::UnpackNonIterable => {
                let v = mem[sp - 1];
                return Err(Exception::cannot_unpack(self.objs().type_name(v)));
            }
            Op::Raise => {
                // The message as str() (b = 1) or repr() (2) makes it.
                let mut msg = String::new();
                match ins.b {
                    1 => self.objs().write_str(&mut msg, mem[sp - 1])?,
                    2 => self
                        .objs()
                        .write_repr(&mut msg, mem[sp - 1], &mut Vec::new())?,
                    _ => {}
                }
                return Err(Exception::new(ExcKind::RAISABLE[ins.a as usize], msg));
            }
            Op::Nop
            | Op::PopTop
            | Op::StoreFast
            | Op::DupTop
            | Op::JumpForward
            | Op::JumpBackward
            | Op::ForRange
            | Op::Call
            | Op::ReturnValue => unreachable!("{} always runs quickened", ins.op.name()),
        }
        Ok(None)
    }

    /// Cells, closures and methods as values: the general path of MAKE_CELL,
    /// LOAD_CLOSURE, LOAD_DEREF, STORE_DEREF, DELETE_DEREF, MAKE_CLOSURE and LOAD_ATTR (frame
    /// at `b`, operand stack top at `sp`).
    fn function_op(
        &mut self,
        mem: &mut [Value],
        b: usize,
        sp: usize,
        code: &Code,
        ins: Instr,
    ) -> Result<(), Exception> {
        let prog = self.prog;
        match ins.op {
            Op::LoadAttr => {
                let obj = mem[sp - 1];
                let name = prog.strings[ins.a as usize].as_str();
                if let Some(text) = self.dunder_name(obj, name) {
                    mem[sp - 1] = self.objs().new_str(text);
                    return Ok(());
                }
                match obj {
                    Value::Builtin(b) if Builtin::ALL[b as usize].is_type() => {
                        builtins::type_has_method(Builtin::ALL[b as usize], name)?
                    }
                    _ => {
                        let types = self.method_types(ins.a);
                        builtins::has_method(&self.objs(), obj, name, types)?
                    }
                }
                mem[sp - 1] = Value::Method(self.heap.alloc(heap::Obj::Method(obj, ins.a)));
            }
            Op::MakeCell => {
                let slot = b + ins.a as usize;
                mem[slot] = Value::Cell(self.heap.alloc(heap::Obj::Cell(mem[slot])));
            }
            Op::LoadClosure => mem[sp] = mem[b + ins.a as usize],
            Op::LoadDeref | Op::StoreDeref | Op::DeleteDeref => {
                let Value::Cell(h) = mem[b + ins.a as usize] else {
                    unreachable!("a deref slot holds a cell");
                };
                let heap::Obj::Cell(v) = self.heap.get_mut(h) else {
                    unreachable!("a cell handle names a cell");
                };
                if ins.op == Op::StoreDeref {
                    *v = mem[sp - 1];
                } else if matches!(*v, Value::Unbound) {
                    let name = &code.local_names[ins.a as usize];
                    return Err(if ins.b == 1 {
                        Exception::unbound_free(name)
                    } else {
                        Exception::unbound_local(name)
                    });
                } else if ins.op == Op::LoadDeref {
                    mem[sp] = *v;
                } else {
                    *v = Value::Unbound;
                }
            }
            Op::MakeClosure => {
                let (nc, nd) = ((ins.b & 0xffff) as usize, (ins.b >> 16) as usize);
                let start = sp - nc - nd;
                let closure = heap::Obj::Closure {
                    code: ins.a,
                    defaults: mem[start..start + nd].to_vec(),
                    cells: mem[start + nd..sp].to_vec(),
                };
                mem[start] = Value::Closure(self.heap.alloc(closure));
            }
            _ => unreachable!("{} is no function op", ins.op.name()),
        }
        Ok(())
    }

    /// The general path of an instruction on the heap's objects (lists, tuples, strings,
    /// dicts, iterators), whose operand stack ends at `sp`.
    fn object_op(
        &mut self,
        mem: &mut [Value],
        sp: usize,
        ins: Instr,
    ) -> Result<Option<u32>, Exception> {
        let prog = self.prog;
        match ins.op {
            Op::BuildList | Op::BuildTuple => {
                let start = sp - ins.a as usize;
                let items = mem[start..sp].to_vec();
                mem[start] = if ins.op == Op::BuildList {
                    self.objs().new_list(items)
                } else {
                    self.objs().new_tuple(items)
                };
            }
            Op::BinarySubscr if ins.b == 1 => {
                let [obj, lo, hi, step] = [mem[sp - 4], mem[sp - 3], mem[sp - 2], mem[sp - 1]];
                mem[sp - 4] = self.objs().getslice(obj, lo, hi, step)?;
            }
            Op::BinarySubscr => {
                mem[sp - 2] = self.objs().getitem(mem[sp - 2], mem[sp - 1])?;
            }
            Op::StoreSubscr if ins.b == 1 => {
                let bounds = [mem[sp - 3], mem[sp - 2], mem[sp - 1]];
                self.objs().setslice(mem[sp - 4], bounds, mem[sp - 5])?;
            }
            Op::StoreSubscr => self.objs().setitem(mem[sp - 2], mem[sp - 1], mem[sp - 3])?,
            Op::DeleteSubscr if ins.b == 1 => {
                let bounds = [mem[sp - 3], mem[sp - 2], mem[sp - 1]];
                self.objs().delslice(mem[sp - 4], bounds)?;
            }
            Op::DeleteSubscr => self.objs().delitem(mem[sp - 2], mem[sp - 1])?,
            Op::GetIter => mem[sp - 1] = self.objs().iter(mem[sp - 1])?,
            Op::ForIter => match self.objs().next(mem[sp - 1]) {
                Ok(Some(v)) => mem[sp] = v,
                Ok(None) => return Ok(Some(ins.b)),
                Err(e) => {
                    // A generator: it runs until it yields the next item into `sp`.
                    if self.heap.pending.get().is_some() {
                        self.pull = Some((Pull::ForIter, sp));
                    }
                    return Err(e);
                }
            },
            Op::UnpackSequence => {
                let n = ins.a as usize;
                if let Some(h) = self.heap.resumable(mem[sp - 1]) {
                    // A generator runs until it has given one value more than the targets
                    // (or ends), as CPython's unpacking pulls.
                    let g = self.heap.gen_mut(h);
                    let have = g.ahead.len() - g.taken;
                    if have > n {
                        g.taken += n + 1;
                        return Err(Exception::unpack_count(n, None));
                    }
                    let want = g.taken + n + 1;
                    self.pull = Some((Pull::Upto(want), usize::MAX));
                    return Err(self.heap.must_run(h));
                }
                let items = self.objs().unpack(mem[sp - 1], n)?;
                // The first ends on top.
                for (k, v) in items.into_iter().enumerate() {
                    mem[sp - 1 + n - 1 - k] = v;
                }
            }
            Op::UnpackEx => {
                let (before, after) = (ins.a as usize, ins.b as usize);
                let v = mem[sp - 1];
                let mut o = self.objs();
                let items = match o.to_vec(v) {
                    Ok(items) => items,
                    Err(e)
                        if e.kind == ExcKind::TypeError && e.msg.ends_with("is not iterable") =>
                    {
                        return Err(Exception::cannot_unpack(o.type_name(v)));
                    }
                    Err(e) => return Err(e),
                };
                let n = items.len();
                if n < before + after {
                    return Err(Exception::new(
                        ExcKind::ValueError,
                        format!(
                            "not enough values to unpack (expected at least {}, got {n})",
                            before + after
                        ),
                    ));
                }
                let rest = o.new_list(items[before..n - after].to_vec());
                let values: Vec<Value> = items[..before]
                    .iter()
                    .copied()
                    .chain([rest])
                    .chain(items[n - after..].iter().copied())
                    .collect();
                // The first ends on top.
                let m = values.len();
                for (k, v) in values.into_iter().enumerate() {
                    mem[sp - 1 + m - 1 - k] = v;
                }
            }
            Op::ContainsOp => {
                if let Some(h) = self.heap.resumable(mem[sp - 1]) {
                    // `x in g`: g runs only until it yields x.
                    let x = mem[sp - 2];
                    self.pull = Some((
                        Pull::Contains {
                            x,
                            negate: ins.a == 1,
                        },
                        sp - 2,
                    ));
                    return Err(self.heap.must_run(h));
                }
                let r = self.objs().contains(mem[sp - 1], mem[sp - 2])?;
                mem[sp - 2] = Value::Bool(r != (ins.a == 1));
            }
            Op::IsOp => {
                let r = builtins::is(mem[sp - 2], mem[sp - 1]);
                mem[sp - 2] = Value::Bool(r != (ins.a == 1));
            }
            Op::LoadMethod => {
                let name = prog.strings[ins.a as usize].as_str();
                match mem[sp - 1] {
                    Value::Builtin(b) if Builtin::ALL[b as usize].is_type() => {
                        builtins::type_has_method(Builtin::ALL[b as usize], name)?
                    }
                    v => {
                        let types = self.method_types(ins.a);
                        builtins::has_method(&self.objs(), v, name, types)?
                    }
                }
            }
            Op::CallMethod => {
                let n = method_values(ins.b) as usize;
                let obj = sp - n - 1;
                let name = prog.strings[ins.a as usize].as_str();
                if let Value::Builtin(b) = mem[obj]
                    && Builtin::ALL[b as usize].is_type()
                {
                    // `str.join(",", xs)`: the method of the first argument.
                    let args = mem[obj + 1..sp].to_vec();
                    mem[obj] = self.call_method_value(mem[obj], name, &args, &[], &[])?;
                    return Ok(None);
                }
                let r = builtins::call_method(
                    &mut self.objs(),
                    mem[obj],
                    name,
                    &mem[obj + 1..sp],
                    ins.b,
                )?;
                mem[obj] = r;
            }
            Op::FormatValue if ins.a & FORMAT_SPEC_ON_STACK != 0 => {
                mem[sp - 2] = self.format_with_spec(mem[sp - 2], ins.a & 3, mem[sp - 1])?;
            }
            Op::FormatValue => {
                let spec = prog.strings[ins.b as usize].as_str();
                if self.frames.len() + NEAR_LIMIT > self.limit {
                    let levels = self.format_levels(mem[sp - 1], ins.a & 3, spec.is_empty());
                    self.builtin_depth(&levels)?;
                }
                mem[sp - 1] = self.objs().format(mem[sp - 1], ins.a, spec)?;
            }
            Op::BuildString => {
                let start = sp - ins.a as usize;
                let mut out = String::new();
                for &v in &mem[start..sp] {
                    out.push_str(self.objs().str_of(v).unwrap_or(""));
                }
                mem[start] = self.objs().new_str(out);
            }
            Op::BuildMap => {
                let start = sp - 2 * ins.a as usize;
                let d = self.objs().new_dict(crate::dict::Dict::default());
                for k in 0..ins.a as usize {
                    let (key, v) = (mem[start + 2 * k], mem[start + 2 * k + 1]);
                    self.objs().dict_set(d, key, v)?;
                }
                mem[start] = d;
            }
            Op::MapAdd => {
                let d = mem[sp - 2 - ins.a as usize];
                self.objs().dict_set(d, mem[sp - 2], mem[sp - 1])?;
            }
            Op::DictMerge if ins.a == 1 => self.dict_update(mem[sp - 2], mem[sp - 1])?,
            Op::DictMerge => self.dict_merge(mem[sp - 4], mem[sp - 2], mem[sp - 1])?,
            Op::ListAppend => {
                let list = mem[sp - 1 - ins.a as usize];
                builtins::list_push(&mut self.objs(), list, mem[sp - 1]);
            }
            Op::BuildSet => {
                let start = sp - ins.a as usize;
                let mut o = self.objs();
                let mut set = crate::set::Set::new();
                for &k in &mem[start..sp] {
                    let h = o.py_hash(k)?;
                    set.add(h, k, &|p, q| o.eq(p, q));
                }
                if ins.b == 1 {
                    // The compiler's frozenset, made again from its own order when the
                    // constants are merged (`merge_consts_recursive`), then merged into
                    // the new set.
                    let mut again = crate::set::Set::new();
                    for (h, k) in set.iter() {
                        again.add(h, k, &|p, q| o.eq(p, q));
                    }
                    set = again.copy(&|p, q| o.eq(p, q));
                }
                mem[start] = o.new_set(set);
            }
            Op::SetAdd => {
                let set = mem[sp - 1 - ins.a as usize];
                self.objs().set_add(set, mem[sp - 1])?;
            }
            Op::ListExtend => {
                let list = mem[sp - 1 - ins.a as usize];
                let mut o = self.objs();
                let seq = mem[sp - 1];
                let more = o.to_vec(seq).map_err(|e| {
                    if e.kind == ExcKind::TypeError && e.msg.ends_with("is not iterable") {
                        Exception::new(
                            ExcKind::TypeError,
                            format!(
                                "Value after * must be an iterable, not {}",
                                o.type_name(seq)
                            ),
                        )
                    } else {
                        e
                    }
                })?;
                o.heap.extend(list, more);
            }
            _ => unreachable!("{} works on no objects", ins.op.name()),
        }
        Ok(None)
    }

    /// `del` of local `ins.a` (frame at `b`) or global `ins.a`: unbound, or CPython's error
    /// when it already is.
    fn delete(
        &mut self,
        mem: &mut [Value],
        b: usize,
        code: &Code,
        ins: Instr,
    ) -> Result<(), Exception> {
        let g = ins.a;
        if ins.op == Op::DeleteFast {
            let slot = &mut mem[b + g as usize];
            if matches!(*slot, Value::Unbound) {
                return Err(Exception::unbound_local(&code.local_names[g as usize]));
            }
            *slot = Value::Unbound;
            return Ok(());
        }
        if matches!(self.globals[g as usize], Value::Unbound) {
            return Err(Exception::name_not_defined(&self.prog.globals[g as usize]));
        }
        self.globals[g as usize] = Value::Unbound;
        // Bound again, it goes to the end of the module's names (a dict's order).
        self.bind_order.retain(|&x| x != g);
        if self.jit.as_ref().is_some_and(|j| j.deps[g as usize]) {
            self.invalidate();
        }
        Ok(())
    }

    /// The value of global `g`: Python falls back to the builtins for names the program
    /// never bound.
    fn global(&self, g: u32) -> Result<Value, Exception> {
        let v = self.globals[g as usize];
        if !matches!(v, Value::Unbound) {
            return Ok(v);
        }
        let name = &self.prog.globals[g as usize];
        match Builtin::ALL.iter().position(|b| b.name() == name) {
            Some(b) => Ok(Value::Builtin(b as u8)),
            None => Err(Exception::name_not_defined(name)),
        }
    }

    /// A call with keyword arguments of a function known only when it runs (`counts` =
    /// positional count | keyword count << 16, `names` = the keywords joined by commas):
    /// the arguments after the callee at `at` put in parameter order, left-out ones given
    /// their defaults, with CPython's errors in CPython's order. How many there are.
    /// [`Vm::arrange`] for CALL_KW `q` (the instruction before `pc`) of the running
    /// frame, calling the value in slot `at`. A generator among a builtin's arguments runs
    /// to its end first, while the instruction can still run again (arranging moves the
    /// arguments): then `usize::MAX`, and its frame runs ([`Vm::enter_at`]).
    fn arrange_keywords(
        &mut self,
        mem: &mut Vec<Value>,
        cur: &mut Cur,
        at: usize,
        q: &QInstr,
        pc: u32,
    ) -> Result<usize, Exception> {
        let (counts, names) = (q.s2, q.k as u32);
        let nargs = (counts & 0xffff) as usize + (counts >> 16) as usize;
        if matches!(mem[at], Value::Builtin(_) | Value::Method(_))
            && let Some(h) = self.resumable_in(&mem[at + 1..at + 1 + nargs])
        {
            let e = self.heap.must_run(h);
            self.enter_at = self.switch(e, mem, cur, pc)?;
            return Ok(usize::MAX);
        }
        let prog = self.prog;
        let keywords: Vec<&str> = prog.strings[names as usize].split(',').collect();
        self.arrange(mem, at, (counts & 0xffff) as usize, &keywords)
    }

    /// The arguments of a call of the function (or closure) in slot `at`, `npos`
    /// positional ones after it then `kw`'s values, put in its parameter slots
    /// ([`crate::bind`]): how many slots that fills.
    #[inline(never)]
    fn bind_extra(
        &mut self,
        mem: &mut Vec<Value>,
        at: usize,
        npos: usize,
        kw: &[(&str, Value)],
    ) -> Result<usize, Exception> {
        // A closure's defaults are values it holds; a plain function's, its code's.
        let (code, held) = match mem[at] {
            Value::Func(f) => (&self.prog.codes[f as usize], None),
            Value::Closure(h) => match self.heap.get(h) {
                heap::Obj::Closure { code, defaults, .. } => {
                    (&self.prog.codes[*code as usize], Some(defaults.clone()))
                }
                _ => unreachable!("a closure handle names a closure"),
            },
            _ => unreachable!("only functions have parameters to bind"),
        };
        let pos = mem[at + 1..at + 1 + npos].to_vec();
        let slots = crate::bind::bind(&mut self.objs(), code, held.as_deref(), &pos, kw)?;
        if mem.len() < at + 2 + slots.len() {
            mem.resize(at + 2 + slots.len(), Value::Unbound);
        }
        mem[at + 1..at + 1 + slots.len()].copy_from_slice(&slots);
        Ok(slots.len())
    }

    /// The arguments of a call of the value in slot `at` — `npos` positional values after
    /// it, then the values of `keywords` — put where the callee takes them: a function's
    /// in its parameter slots (left-out ones given their defaults, with CPython's errors
    /// in CPython's order), a builtin's in its parameters' order. How many slots that
    /// fills; [`CALLED`] when the call is made here (a method's or `dict`'s keywords),
    /// its result in slot `at`.
    fn arrange(
        &mut self,
        mem: &mut Vec<Value>,
        at: usize,
        npos: usize,
        keywords: &[&str],
    ) -> Result<usize, Exception> {
        let prog = self.prog;
        let callee = mem[at];
        let (code, defaults) = match callee {
            Value::Func(f) => (&prog.codes[f as usize], None),
            Value::Closure(h) => match self.heap.get(h) {
                heap::Obj::Closure { code, defaults, .. } => {
                    (&prog.codes[*code as usize], Some(defaults.clone()))
                }
                _ => unreachable!("a closure handle names a closure"),
            },
            Value::Builtin(b) if Builtin::ALL[b as usize] == Builtin::Dict => {
                // dict(x, **kw): x's items, then the keywords'.
                let kw = &mem[at + 1 + npos..at + 1 + npos + keywords.len()];
                mem[at] = builtins::dict_with_keywords(
                    &mut self.objs(),
                    &mem[at + 1..at + 1 + npos],
                    keywords,
                    kw,
                )?;
                return Ok(CALLED);
            }
            // (`f(*xs, **{})`: as `f(*xs)`.)
            Value::Builtin(_) | Value::Method(_) if keywords.is_empty() => return Ok(npos),
            Value::Builtin(b) => {
                let b = Builtin::ALL[b as usize];
                let params = b.keyword_params();
                let args =
                    crate::bind::clinic(b.name(), params, &[], &mem[at + 1..], npos, keywords)?;
                mem[at + 1..at + 1 + args.len()].copy_from_slice(&args);
                return Ok(args.len());
            }
            Value::Method(h) => {
                let heap::Obj::Method(obj, name) = *self.heap.get(h) else {
                    unreachable!("a method handle names a method");
                };
                let name = prog.strings[name as usize].as_str();
                let args = mem[at + 1..at + 1 + npos + keywords.len()].to_vec();
                let (pos, kw) = args.split_at(npos);
                mem[at] = self.call_method_value(obj, name, pos, keywords, kw)?;
                return Ok(CALLED);
            }
            _ => return Err(Exception::not_callable(callee.type_name())),
        };
        if code.shape.extra() {
            let kw: Vec<(&str, Value)> = keywords
                .iter()
                .enumerate()
                .map(|(k, &w)| (w, mem[at + 1 + npos + k]))
                .collect();
            let n = self.bind_extra(mem, at, npos, &kw)?;
            self.bound = true;
            return Ok(n);
        }
        let np = code.nparams as usize;
        let func = code.qualname();
        let mut fill: Vec<Option<Value>> = vec![None; np];
        for (i, slot) in fill.iter_mut().enumerate().take(npos) {
            *slot = Some(mem[at + 1 + i]);
        }
        for (k, &name) in keywords.iter().enumerate() {
            let v = mem[at + 1 + npos + k];
            match code.local_names[..np].iter().position(|p| p == name) {
                None => {
                    return Err(Exception::new(
                        ExcKind::TypeError,
                        format!("{func}() got an unexpected keyword argument '{name}'"),
                    ));
                }
                Some(j) if fill[j].is_some() => {
                    return Err(Exception::new(
                        ExcKind::TypeError,
                        format!("{func}() got multiple values for argument '{name}'"),
                    ));
                }
                Some(j) => fill[j] = Some(v),
            }
        }
        if npos > np {
            return Err(code.arity_error(npos));
        }
        let first_default = np - code.defaults.len();
        let missing: Vec<&str> = (0..first_default)
            .filter(|&j| fill[j].is_none())
            .map(|j| code.local_names[j].as_str())
            .collect();
        if !missing.is_empty() {
            return Err(Exception::new(
                ExcKind::TypeError,
                crate::bytecode::missing_arguments(func, &missing),
            ));
        }
        let mut args = Vec::with_capacity(np);
        for (j, v) in fill.into_iter().enumerate() {
            args.push(match (v, &defaults) {
                (Some(v), _) => v,
                (None, Some(d)) => d[j - first_default],
                (None, None) => match &code.defaults[j - first_default] {
                    Const::Int(i) => Value::Int(*i),
                    Const::Bool(b) => Value::Bool(*b),
                    Const::Str(id) => Value::Str(*id),
                    Const::Big(b) => self.bigs.alloc(Int::Big(b.clone())),
                    _ => Value::None,
                },
            });
        }
        if mem.len() < at + 2 + np {
            mem.resize(at + 2 + np, Value::Unbound);
        }
        mem[at + 1..at + 1 + np].copy_from_slice(&args);
        Ok(np)
    }

    /// A call of a method as a value: bound to `obj`, or (`obj` a type) of the first
    /// argument, as CPython's method descriptors check it.
    fn call_method_value(
        &mut self,
        obj: Value,
        name: &str,
        args: &[Value],
        keywords: &[&str],
        kw: &[Value],
    ) -> Result<Value, Exception> {
        let mut o = self.objs();
        let (this, rest) = match obj {
            // `dict.fromkeys(…)`: a class method.
            Value::Builtin(b)
                if Builtin::ALL[b as usize] == Builtin::Dict
                    && name == "fromkeys"
                    && keywords.is_empty() =>
            {
                return builtins::dict_fromkeys(&mut o, args);
            }
            // `str.maketrans(…)`: a static method.
            Value::Builtin(b)
                if Builtin::ALL[b as usize] == Builtin::Str
                    && name == "maketrans"
                    && keywords.is_empty() =>
            {
                return crate::strs::maketrans(&mut o, args);
            }
            Value::Builtin(b) if Builtin::ALL[b as usize].is_type() => {
                let ty = Builtin::ALL[b as usize].name();
                let Some((&first, rest)) = args.split_first() else {
                    return Err(Exception::new(
                        ExcKind::TypeError,
                        format!("unbound method {ty}.{name}() needs an argument"),
                    ));
                };
                if o.type_name(first) != ty {
                    return Err(Exception::new(
                        ExcKind::TypeError,
                        format!(
                            "descriptor '{name}' for '{ty}' objects doesn't apply to a '{}' object",
                            o.type_name(first)
                        ),
                    ));
                }
                (first, rest)
            }
            _ => (obj, args),
        };
        if keywords.is_empty() {
            return builtins::call_method(&mut o, this, name, rest, rest.len() as u32);
        }
        builtins::call_method_kw(&mut o, this, name, rest, keywords, kw)
    }

    /// `v.__name__` and `v.__qualname__` of a function, builtin, type or method value
    /// (None: another attribute, or a value without them).
    fn dunder_name(&self, v: Value, attr: &str) -> Option<String> {
        let qual = match attr {
            "__name__" => false,
            "__qualname__" => true,
            _ => return None,
        };
        let prog = self.prog;
        let code = |c: u32| {
            let code = &prog.codes[c as usize];
            String::from(if qual { code.qualname() } else { &code.name })
        };
        Some(match v {
            Value::Func(f) => code(f),
            Value::Closure(h) => match self.heap.get(h) {
                heap::Obj::Closure { code: c, .. } => code(*c),
                _ => unreachable!("a closure handle names a closure"),
            },
            Value::Builtin(b) => String::from(Builtin::ALL[b as usize].name()),
            Value::Type(t) => String::from(crate::value::TYPE_NAMES[t as usize]),
            Value::Method(h) => match *self.heap.get(h) {
                heap::Obj::Method(obj, name) => {
                    let name = &prog.strings[name as usize];
                    match (qual, obj) {
                        (false, _) => name.clone(),
                        (true, Value::Builtin(b)) => {
                            format!("{}.{name}", Builtin::ALL[b as usize].name())
                        }
                        (true, obj) => format!("{}.{name}", obj.type_name()),
                    }
                }
                _ => unreachable!("a method handle names a method"),
            },
            _ => return None,
        })
    }

    /// How CPython names callee `f` in the errors of spreading arguments into it:
    /// `__main__.f`, `len`, `dict.update`.
    fn callee_name(&self, f: Value) -> String {
        match (f, self.dunder_name(f, "__qualname__")) {
            (Value::Func(_) | Value::Closure(_), Some(q)) => format!("__main__.{q}"),
            (Value::Builtin(_) | Value::Method(_), Some(q)) => q,
            _ => format!("{} object", f.type_name()),
        }
    }

    /// A dict display's `**m` (DICT_MERGE 1): m's items added to `d` (later keys win).
    #[inline(never)]
    fn dict_update(&mut self, d: Value, m: Value) -> Result<(), Exception> {
        let mut o = self.objs();
        if o.dict(m).is_none() {
            let ty = o.type_name(m);
            return Err(Exception::new(
                ExcKind::TypeError,
                format!("'{ty}' object is not a mapping"),
            ));
        }
        builtins::update(&mut o, d, m)
    }

    /// An f-string field whose spec has fields of its own: `v` (after conversion `conv`)
    /// formatted by the string `spec` built for it.
    #[inline(never)]
    fn format_with_spec(&mut self, v: Value, conv: u32, spec: Value) -> Result<Value, Exception> {
        let mut o = self.objs();
        let spec = String::from(o.str_of(spec).unwrap_or(""));
        o.format(v, conv, &spec)
    }

    /// A call's `**m` (DICT_MERGE): m's items added to the call's keyword dict `d`, with
    /// CPython's errors naming `callee`.
    #[inline(never)]
    fn dict_merge(&mut self, callee: Value, d: Value, m: Value) -> Result<(), Exception> {
        let mut o = self.objs();
        let failed = match o.dict(m) {
            None => Some(format!(
                "argument after ** must be a mapping, not {}",
                o.type_name(m)
            )),
            Some(src) => {
                let pairs: Vec<(Value, Value)> = src.iter().map(|e| (e.key, e.value)).collect();
                let mut failed = None;
                for (k, v) in pairs {
                    let h = o.hash(k)?;
                    if o.dict(d)
                        .and_then(|x| x.find(h, k, &|p, q| o.eq(p, q)))
                        .is_some()
                    {
                        failed = Some(match o.str_of(k) {
                            Some(name) => {
                                format!("got multiple values for keyword argument '{name}'")
                            }
                            None => String::from("keywords must be strings"),
                        });
                        break;
                    }
                    o.dict_set(d, k, v)?;
                }
                failed
            }
        };
        match failed {
            None => Ok(()),
            Some(msg) => Err(Exception::new(
                ExcKind::TypeError,
                format!("{}() {msg}", self.callee_name(callee)),
            )),
        }
    }

    /// `f(*args, **kwargs)` (CALL_FUNCTION_EX 1) of the callee in slot `fslot`: the
    /// positional values spread as [`Vm::spread_args`] spreads them, the dict's values
    /// after them, and all put in place by [`Vm::arrange`] with the dict's keys (strings,
    /// as CPython requires) as the keywords. As those return.
    fn spread_keywords(
        &mut self,
        mem: &mut Vec<Value>,
        cur: &mut Cur,
        fslot: u32,
        pc: u32,
    ) -> Result<usize, Exception> {
        let at = cur.base as usize + fslot as usize;
        let kwargs = mem[at + 2];
        let npos = self.spread_args(mem, cur, fslot, pc)?;
        if npos == usize::MAX {
            return Ok(npos);
        }
        let o = self.objs();
        let d = o
            .dict(kwargs)
            .expect("CALL_FUNCTION_EX 1 takes the compiler's dict");
        let mut names = Vec::with_capacity(d.len());
        let mut values = Vec::with_capacity(d.len());
        for e in d.iter() {
            let Some(name) = o.str_of(e.key) else {
                return Err(Exception::new(
                    ExcKind::TypeError,
                    "keywords must be strings",
                ));
            };
            names.push(String::from(name));
            values.push(e.value);
        }
        if mem.len() < at + 2 + npos + values.len() {
            mem.resize(at + 2 + npos + values.len(), Value::Unbound);
        }
        mem[at + 1 + npos..at + 1 + npos + values.len()].copy_from_slice(&values);
        let keywords: Vec<&str> = names.iter().map(String::as_str).collect();
        self.arrange(mem, at, npos, &keywords)
    }

    /// `f(*args)`: the values of the iterable after the callee in slot `fslot` laid out
    /// after it as arguments (CPython's TypeError naming the callee when it is not
    /// iterable). How many there are; `usize::MAX` when a generator must run first (as
    /// for [`Vm::arrange_keywords`]).
    fn spread_args(
        &mut self,
        mem: &mut Vec<Value>,
        cur: &mut Cur,
        fslot: u32,
        pc: u32,
    ) -> Result<usize, Exception> {
        let at = cur.base as usize + fslot as usize;
        let (callee, seq) = (mem[at], mem[at + 1]);
        let items = match self.objs().to_vec(seq) {
            Ok(items) => items,
            // A generator runs to its end first, then this instruction again.
            Err(e) if self.heap.pending.get().is_some() => {
                self.enter_at = self.switch(e, mem, cur, pc)?;
                return Ok(usize::MAX);
            }
            Err(e) if e.kind == ExcKind::TypeError && e.msg.ends_with("is not iterable") => {
                if !matches!(
                    callee,
                    Value::Func(_) | Value::Closure(_) | Value::Builtin(_) | Value::Method(_)
                ) {
                    return Err(Exception::not_callable(callee.type_name()));
                }
                let name = self.callee_name(callee);
                return Err(Exception::new(
                    ExcKind::TypeError,
                    format!(
                        "{name}() argument after * must be an iterable, not {}",
                        self.objs().type_name(seq)
                    ),
                ));
            }
            Err(e) => return Err(e),
        };
        let n = items.len();
        if mem.len() < at + 2 + n {
            mem.resize(at + 2 + n, Value::Unbound);
        }
        mem[at + 1..at + 1 + n].copy_from_slice(&items);
        Ok(n)
    }

    /// A call the short path in [`Vm::run`] does not take: builtins, compiled code, the
    /// recursion limit, errors, generators (made here; run by [`Vm::switch`] when a
    /// builtin pulls from one). True: it entered the callee's frame (`cur` is now the
    /// callee's); false: the result is in the callee's slot.
    #[inline(never)]
    fn call(
        &mut self,
        mem: &mut Vec<Value>,
        cur: &mut Cur,
        pc: u32,
        fslot: u32,
        n: usize,
        host: &mut dyn Host,
    ) -> Result<bool, Exception> {
        if n == usize::MAX {
            // Arranging the arguments started a generator's frame instead.
            return Ok(true);
        }
        if n == CALLED {
            return Ok(false);
        }
        self.enter_at = 0;
        let prog = self.prog;
        let fpos = cur.base as usize + fslot as usize;
        let callee = mem[fpos];
        let (f, closure) = match callee {
            Value::Func(f) => (f, None),
            Value::Closure(h) => match self.heap.get(h) {
                heap::Obj::Closure { code, .. } => (*code, Some(h)),
                _ => unreachable!("a closure handle names a closure"),
            },
            _ => (0, None),
        };
        if let Value::Method(h) = callee {
            let heap::Obj::Method(obj, name) = *self.heap.get(h) else {
                unreachable!("a method handle names a method");
            };
            if let Some(h) = self.resumable_in(&mem[fpos + 1..fpos + 1 + n]) {
                let e = self.heap.must_run(h);
                return self.switched(e, mem, cur, pc);
            }
            let args = mem[fpos + 1..fpos + 1 + n].to_vec();
            let name = prog.strings[name as usize].as_str();
            mem[fpos] = match self.call_method_value(obj, name, &args, &[], &[]) {
                Ok(v) => v,
                Err(e) => return self.switched(e, mem, cur, pc),
            };
            return Ok(false);
        }
        if !matches!(callee, Value::Func(_) | Value::Closure(_)) {
            let Value::Builtin(bi) = callee else {
                return Err(Exception::not_callable(callee.type_name()));
            };
            let bi = Builtin::ALL[bi as usize];
            if !bi.takes(n) {
                return Err(Exception::new(
                    ExcKind::TypeError,
                    format!(
                        "{}() got {n} arguments, which minipy does not support",
                        bi.name()
                    ),
                ));
            }
            if let Err(e) = self.generators_first(bi, &mem[fpos + 1..fpos + 1 + n], fpos) {
                return self.switched(e, mem, cur, pc);
            }
            // The result replaces the callee.
            mem[fpos] = match self.builtin(bi, &mem[fpos + 1..fpos + 1 + n], host) {
                Ok(v) => v,
                Err(e) => return self.switched(e, mem, cur, pc),
            };
            return Ok(false);
        };
        let target = &prog.codes[f as usize];
        let n = if !target.shape.extra() {
            if !target.takes(n) {
                return Err(target.arity_error(n));
            }
            n
        } else if core::mem::take(&mut self.bound) {
            n
        } else {
            self.bind_extra(mem, fpos, n, &[])?
        };
        let args = fpos + 1..fpos + 1 + n;
        if target.generator {
            if self.jit.is_some()
                && let Some(v) = self.try_fold(f, cur.code, pc, &mem[args.clone()])
            {
                // The builtin after the call folded the items: its result, and on past it.
                mem[fpos] = v;
                self.enter_at = pc + 1;
                return Ok(true);
            }
            // A generator expression: its frame, kept until something pulls a value.
            let mut slots = vec![Value::Unbound; self.quick[f as usize].frame as usize];
            slots[..n].copy_from_slice(&mem[args]);
            let h = self
                .heap
                .alloc(heap::Obj::Iter(heap::Iter::Gen(Gen::new(f, slots))));
            mem[fpos] = Value::Iter(h);
            return Ok(false);
        }
        if self.frames.len() + 1 >= self.limit {
            return Err(Exception::recursion());
        }
        let jit_on = self.jit.is_some();
        if jit_on && closure.is_none() {
            let depth = self.frames.len() + 1;
            match self.try_native(f, &mem[args.clone()], depth) {
                Some(Native::Done(v)) => {
                    mem[fpos] = v;
                    return Ok(false);
                }
                Some(Native::Stopped(frames)) => {
                    self.enter_at = self.take_over(mem, cur, Some(pc), args.start, frames);
                    return Ok(true);
                }
                None => {}
            }
        }
        self.push_caller(cur, pc);
        // The callee's frame starts at its arguments.
        let new_base = args.start;
        let end = new_base + self.quick[f as usize].frame as usize;
        if mem.len() < end {
            mem.resize(end, Value::Unbound);
        }
        for slot in &mut mem[new_base + n..new_base + target.nlocals as usize] {
            *slot = Value::Unbound;
        }
        // Parameters the call left out take their defaults.
        let np = target.nparams as usize;
        let first_default = np - target.defaults.len();
        for i in n..np {
            mem[new_base + i] = match &target.defaults[i - first_default] {
                Const::Int(v) => Value::Int(*v),
                Const::Bool(b) => Value::Bool(*b),
                Const::Str(id) => Value::Str(*id),
                Const::Big(b) => self.bigs.alloc(Int::Big(b.clone())),
                _ => Value::None,
            };
        }
        // A closure's defaults are its own values; its free variables' slots take its cells.
        if let Some(h) = closure
            && let heap::Obj::Closure {
                cells, defaults, ..
            } = self.heap.get(h)
        {
            if n < np {
                mem[new_base + n..new_base + np].copy_from_slice(&defaults[n - first_default..]);
            }
            for (&slot, &cell) in target.free_slots.iter().zip(cells) {
                mem[new_base + slot as usize] = cell;
            }
        }
        if jit_on {
            // Kept for restarting the call if its loop entry deoptimizes: every parameter,
            // defaults filled in (none for a function that never runs compiled).
            self.arg_marks.push(cur.args);
            cur.args = self.args.len() as u32;
            if !self.interpreted_for_good(f) {
                self.args.extend_from_slice(&mem[new_base..new_base + np]);
            }
        }
        cur.code = f;
        cur.base = new_base as u32;
        Ok(true)
    }

    /// `enumerate(g, start)` or `zip(…)` with a generator among `args`: a generator of
    /// [`Program::lazy_iters`] that pulls from them as it is pulled, so that each runs only
    /// as far as CPython's enumerate and zip would have run it.
    #[inline(never)]
    fn lazy_iter(
        &mut self,
        b: Builtin,
        lazy: crate::bytecode::LazyIters,
        args: &[Value],
    ) -> Result<Value, Exception> {
        let (code, first, second) = if b == Builtin::Enumerate {
            let start = match args.get(1) {
                Some(&v) => Value::Int(builtins::int_arg(&self.objs(), v)?),
                None => Value::Int(0),
            };
            (lazy.enumerate, self.objs().iter(args[0])?, start)
        } else {
            let mut its = Vec::with_capacity(args.len());
            for &a in args {
                its.push(self.objs().iter(a)?);
            }
            let its = Value::Tuple(self.heap.alloc(heap::Obj::Tuple(its)));
            (lazy.zip, its, Value::Unbound)
        };
        let mut slots = vec![Value::Unbound; self.quick[code as usize].frame as usize];
        slots[0] = first;
        slots[1] = second;
        let h = self
            .heap
            .alloc(heap::Obj::Iter(heap::Iter::Gen(Gen::new(code, slots))));
        Ok(Value::Iter(h))
    }

    /// The first generator among `values` that must run before it has values.
    fn resumable_in(&self, values: &[Value]) -> Option<u32> {
        values.iter().find_map(|&v| self.heap.resumable(v))
    }

    /// Before builtin `bi` runs on `args` (its result going to slot `result`): a generator
    /// among them that must run first. `next`, `any` and `all` run it until they have
    /// their answer, the others that iterate get what it yields to its end. Either way the
    /// error [`heap::PENDING`] tells the interpreter to run it ([`Vm::pull`] says how).
    fn generators_first(
        &mut self,
        bi: Builtin,
        args: &[Value],
        result: usize,
    ) -> Result<(), Exception> {
        let pull = match bi {
            Builtin::Next => Some(Pull::Next(args.get(1).copied())),
            Builtin::Any => Some(Pull::Any),
            Builtin::All => Some(Pull::All),
            Builtin::Sum => {
                let start = args.get(1).copied().unwrap_or(Value::Int(0));
                // (A string start is refused before anything is iterated.)
                if self.objs().str_of(start).is_some() {
                    return Ok(());
                }
                Some(Pull::Sum(start))
            }
            Builtin::Max | Builtin::Min if args.len() == 1 => Some(Pull::Extreme {
                max: bi == Builtin::Max,
                best: None,
            }),
            _ => None,
        };
        let h = match pull {
            Some(_) => args.first().and_then(|&a| self.heap.resumable(a)),
            None if bi.iterates() => self.resumable_in(args),
            None => None,
        };
        let Some(h) = h else { return Ok(()) };
        self.pull = pull.map(|p| (p, result));
        Err(self.heap.must_run(h))
    }

    /// Runs generator `h` on to its end, keeping what it yields ([`Pull::Drain`]), above
    /// the running frame; then the instruction before `back.0` (of the running frame,
    /// whose instructions are `back.1`) runs again.
    fn run_ahead(
        &mut self,
        mem: &mut Vec<Value>,
        cur: &mut Cur,
        h: u32,
        back: (*const QInstr, *const QInstr),
    ) -> Result<u32, Exception> {
        let below = cur.base as usize + self.quick[cur.code as usize].frame as usize;
        self.resume(mem, cur, h, below, back, Pull::Drain)
    }

    /// Resumes generator `h` for `pull`: its frame goes back into `mem` just above slot
    /// `below` (which holds the generator while it runs and receives what it gives back:
    /// [`Kind::Yield`], [`Kind::GenReturn`]), and the running frame waits to go on at
    /// `back.0` (in its instructions `back.1`). The pc the generator goes on at (`cur` is
    /// now its).
    #[inline(never)]
    fn resume(
        &mut self,
        mem: &mut Vec<Value>,
        cur: &mut Cur,
        h: u32,
        below: usize,
        (back, instrs): (*const QInstr, *const QInstr),
        pull: Pull,
    ) -> Result<u32, Exception> {
        let g = self.heap.gen_mut(h);
        if g.state == GenState::Running {
            return Err(Exception::new(
                ExcKind::ValueError,
                "generator already executing",
            ));
        }
        if self.frames.len() + 1 >= self.limit {
            return Err(Exception::recursion());
        }
        g.state = GenState::Running;
        g.pull = pull;
        let (code, pc) = (g.code, g.pc);
        self.frames.push(Frame {
            ip: back,
            code: cur.code,
            base: cur.base,
            instrs,
        });
        if self.jit.is_some() {
            self.enter_interpreted(cur);
        }
        let base = below + 1;
        let g = self.heap.gen_mut(h);
        if mem.len() < base + g.slots.len() {
            mem.resize(base + g.slots.len(), Value::Unbound);
        }
        mem[below] = Value::Iter(h);
        mem[base..base + g.slots.len()].copy_from_slice(&g.slots);
        cur.code = code;
        cur.base = base as u32;
        Ok(pc)
    }

    /// Code in Rust raised `e` at the instruction of the running frame just before `after`
    /// (an index). When it is because a generator must run — code in Rust met one
    /// ([`heap::PENDING`]: it runs to its end, or as far as the builtin that asked pulls,
    /// [`Vm::pull`]; then that instruction, which changed nothing yet, runs again), or the
    /// running generator yielded or returned ([`Vm::gen_event`]) — the frames change
    /// here: Ok(pc) to go on at in the frame running now (`cur`). Otherwise `e`; when it
    /// is raised by the frame a generator went back to, [`Vm::raise_at`] says where.
    #[cold]
    #[inline(never)]
    fn switch(
        &mut self,
        e: Exception,
        mem: &mut Vec<Value>,
        cur: &mut Cur,
        after: u32,
    ) -> Result<u32, Exception> {
        if let Some(step) = self.gen_event.take() {
            self.heap.pending.set(None);
            return Ok(self.gen_step(step, mem, cur)?.unwrap_or(after));
        }
        match self.heap.pending.take() {
            Some(h) if e.msg == heap::PENDING => {
                let instrs = self.quick[cur.code as usize].instrs.as_ptr();
                // SAFETY: `after` is at most the code object's length.
                let back = (unsafe { instrs.add(after as usize) }, instrs);
                match self.pull.take() {
                    // (usize::MAX: nothing receives a result; above the running frame.)
                    Some((pull, usize::MAX)) => {
                        let below =
                            cur.base as usize + self.quick[cur.code as usize].frame as usize;
                        self.resume(mem, cur, h, below, back, pull)
                    }
                    Some((pull, below)) => self.resume(mem, cur, h, below, back, pull),
                    None => self.run_ahead(mem, cur, h, back),
                }
            }
            _ => Err(e),
        }
    }

    /// [`Vm::switch`] for [`Vm::call`]: true when a frame was entered
    /// ([`Vm::enter_at`]).
    fn switched(
        &mut self,
        e: Exception,
        mem: &mut Vec<Value>,
        cur: &mut Cur,
        after: u32,
    ) -> Result<bool, Exception> {
        self.enter_at = self.switch(e, mem, cur, after)?;
        Ok(true)
    }

    /// The running generator yielded the value `Some(v)` at `pc`, or returned (`None`):
    /// None when it runs on, else the pc its resumer goes on at (its frame left); or
    /// what the resumer raises (at [`Vm::raise_at`]).
    fn gen_step(
        &mut self,
        step: Option<(Value, u32)>,
        mem: &mut [Value],
        cur: &mut Cur,
    ) -> Result<Option<u32>, Exception> {
        let below = cur.base as usize - 1;
        let Value::Iter(h) = mem[below] else {
            unreachable!("a generator's frame sits on its generator")
        };
        let (result, back) = match step {
            Some((v, pc)) => match self.yielded(h, v, mem, cur.base as usize, pc) {
                Ok(None) => return Ok(None),
                Ok(Some((r, again))) => (Ok(r), again),
                Err(e) => (Err(e), 0),
            },
            None => match self.gen_returned(h) {
                Ok((r, again)) => (Ok(r), again as usize),
                Err(e) => (Err(e), 0),
            },
        };
        if self.jit.is_some() {
            self.leave(cur.code);
            self.args.truncate(cur.args as usize);
            cur.args = self.arg_marks.pop().unwrap_or(0);
        }
        let fr = self
            .frames
            .pop()
            .expect("the frame that resumed a generator");
        *cur = Cur {
            code: fr.code,
            base: fr.base,
            args: cur.args,
        };
        // SAFETY: the resumer's return address is past an instruction of its own.
        let to = unsafe { fr.ip.sub(back) };
        // SAFETY: `to` points into `fr.instrs`.
        let pc = unsafe { to.offset_from(fr.instrs) as u32 };
        match result {
            Ok(v) => {
                mem[below] = v;
                Ok(Some(pc))
            }
            Err(e) => {
                self.raise_at = Some(pc);
                Err(e)
            }
        }
    }

    /// The running generator `g` yields `v` to a pull that takes it where it is and runs
    /// it on (`sum`, `max`, `any` before its answer, running to its end): true when done
    /// so. False: the general path does it (frames change; or a collection is due, or an
    /// error is raised there, as it would have been here).
    #[inline(never)]
    fn yield_in_place(&mut self, g: Value, v: Value) -> bool {
        let Value::Iter(h) = g else { return false };
        if self.bigs.full() || self.heap.full() {
            return false;
        }
        let pull = self.heap.gen_mut(h).pull;
        match pull {
            Pull::Drain => self.heap.gen_mut(h).ahead.push(v),
            Pull::Upto(n) => {
                let g = self.heap.gen_mut(h);
                if g.ahead.len() + 1 >= n {
                    return false;
                }
                g.ahead.push(v);
            }
            Pull::Sum(acc) => {
                let total = match (acc, v) {
                    (Value::Int(a), Value::Int(b)) if let Some(t) = a.checked_add(b) => {
                        Value::Int(t)
                    }
                    _ => match builtins::add(&mut self.objs(), acc, v) {
                        Ok(total) => total,
                        Err(_) => return false,
                    },
                };
                self.heap.gen_mut(h).pull = Pull::Sum(total);
            }
            Pull::Extreme { max, best } => {
                let op = if max { CmpOp::Gt } else { CmpOp::Lt };
                let better = best.map(|b| self.objs().compare(op, v, b));
                if self.heap.too_deep.get() {
                    return false;
                }
                match better {
                    None | Some(Ok(true)) => {
                        self.heap.gen_mut(h).pull = Pull::Extreme { max, best: Some(v) }
                    }
                    Some(Ok(false)) => {}
                    Some(Err(_)) => return false,
                }
            }
            Pull::Any | Pull::All => {
                if self.truthy(v) == (pull == Pull::Any) {
                    return false;
                }
            }
            Pull::Contains { x, .. } => {
                if self.objs().eq(v, x) {
                    return false;
                }
            }
            Pull::ForIter | Pull::Next(_) => return false,
        }
        true
    }

    /// Generator `h` (running in the frame at `base`) yielded `v` at `pc`: what its
    /// resumer gets, when the generator stops here (it is then suspended); None when it
    /// runs on. An error is its resumer's (`sum` adding a str).
    #[inline(never)]
    fn yielded(
        &mut self,
        h: u32,
        v: Value,
        mem: &mut [Value],
        base: usize,
        pc: u32,
    ) -> Result<Option<(Value, usize)>, Exception> {
        let pull = self.heap.gen_mut(h).pull;
        let mut again = 0;
        let result = match pull {
            Pull::Drain => {
                self.heap.gen_mut(h).ahead.push(v);
                return Ok(None);
            }
            Pull::Upto(n) => {
                let g = self.heap.gen_mut(h);
                g.ahead.push(v);
                if g.ahead.len() < n {
                    return Ok(None);
                }
                again = 1;
                Value::None
            }
            Pull::Sum(acc) => {
                let total = builtins::add(&mut self.objs(), acc, v)?;
                self.heap.gen_mut(h).pull = Pull::Sum(total);
                // A sum past 64 bits makes a big int per value, and this loop may never
                // take the general path, where the interpreter collects.
                if self.bigs.full() {
                    self.collect_bigs(mem);
                }
                return Ok(None);
            }
            Pull::Extreme { max, best } => {
                let op = if max { CmpOp::Gt } else { CmpOp::Lt };
                let better = match best {
                    None => true,
                    Some(b) => self.objs().compare(op, v, b)?,
                };
                if better {
                    self.heap.gen_mut(h).pull = Pull::Extreme { max, best: Some(v) };
                }
                return Ok(None);
            }
            Pull::Any | Pull::All => {
                let t = self.truthy(v);
                if t != (pull == Pull::Any) {
                    return Ok(None);
                }
                Value::Bool(t)
            }
            Pull::Contains { x, negate } => {
                if !self.objs().eq(v, x) {
                    return Ok(None);
                }
                Value::Bool(!negate)
            }
            Pull::ForIter | Pull::Next(_) => v,
        };
        let g = self.heap.gen_mut(h);
        let n = g.slots.len();
        g.slots.copy_from_slice(&mem[base..base + n]);
        g.pc = pc;
        g.state = GenState::Ready;
        g.pull = Pull::ForIter;
        Ok(Some((result, again)))
    }

    /// Generator `h` returned: it is done. What its resumer gets, and whether the
    /// resumer's instruction before its return address runs again (the `FOR_ITER`, which
    /// then ends its loop; the instruction that needed all its values, which now has
    /// them); or the resumer's error (`next`'s StopIteration, `max` of nothing).
    #[inline(never)]
    fn gen_returned(&mut self, h: u32) -> Result<(Value, bool), Exception> {
        let g = self.heap.gen_mut(h);
        g.state = GenState::Done;
        g.slots = Vec::new();
        let pull = core::mem::replace(&mut g.pull, Pull::ForIter);
        Ok(match pull {
            Pull::Next(Some(default)) => (default, false),
            Pull::Next(None) => return Err(Exception::new(ExcKind::StopIteration, "")),
            Pull::Any => (Value::Bool(false), false),
            Pull::All => (Value::Bool(true), false),
            Pull::Sum(total) => (total, false),
            Pull::Contains { negate, .. } => (Value::Bool(negate), false),
            Pull::Extreme { best: Some(b), .. } => (b, false),
            Pull::Extreme { max, best: None } => {
                return Err(Exception::empty_extreme(if max { "max" } else { "min" }));
            }
            Pull::Drain | Pull::Upto(_) | Pull::ForIter => (Value::None, true),
        })
    }

    /// A loop of a running call jumped back to its head `pc` with compiled code on:
    /// counts the turn and maybe enters the loop's compiled code (on-stack replacement).
    /// The pc to go on at (the caller's after a return; `cur` is then the caller's).
    #[inline(never)]
    fn loop_back(&mut self, mem: &mut Vec<Value>, cur: &mut Cur, pc: u32) -> u32 {
        let depth = self.frames.len();
        let Some(result) = self.try_osr(cur.code, pc, mem, cur.base, depth) else {
            if self.interpreted_for_good(cur.code) {
                self.loops_done[cur.code as usize] = true;
            }
            return pc;
        };
        let b = cur.base as usize;
        match result {
            Some(Native::Stopped(frames)) => self.take_over(mem, cur, None, b, frames),
            Some(Native::Done(v)) => {
                // The compiled loop finished the call: return like RETURN_VALUE.
                self.leave(cur.code);
                let fr = self.frames.pop().expect("a function frame");
                mem[b - 1] = v;
                self.args.truncate(cur.args as usize);
                *cur = Cur {
                    code: fr.code,
                    base: fr.base,
                    args: self.arg_marks.pop().expect("a call's arguments"),
                };
                fr.pc()
            }
            None => {
                // Deoptimized: restart this call from the top, interpreted.
                let code = &self.prog.codes[cur.code as usize];
                let n = code.nparams as usize;
                for k in 0..code.nlocals as usize {
                    mem[b + k] = if k < n {
                        self.args[cur.args as usize + k]
                    } else {
                        Value::Unbound
                    };
                }
                0
            }
        }
    }

    /// [`Vm::loop_back`] for the module code's loop at `pc`: compiled as the loop of the
    /// module code as a function ([`tier::module_as_function`]), whose locals are the
    /// module code's own and then globals, and entered with those values. Returns the pc
    /// to go on at, or None when the compiled code ran the module code to its end.
    #[inline(never)]
    fn module_loop_back(&mut self, mem: &mut Vec<Value>, cur: &mut Cur, pc: u32) -> Option<u32> {
        if !self.native_allowed() {
            return Some(pc);
        }
        let Some(j) = self.jit.as_mut() else {
            return Some(pc);
        };
        let t = &mut j.tiers[0];
        if t.rejected.is_some() {
            self.module_loops_done = u64::MAX;
            return Some(pc);
        }
        if t.cool > 0 {
            t.cool -= 1;
            return Some(pc);
        }
        let known = j.module_loops.iter().position(|l| l.pc == pc);
        // (None is kept for the module code's end: a loop not entered goes on at `pc`.)
        let (slots, depth) = if t.osr.iter().any(|o| o.pc == pc) {
            let Some(l) = known.map(|k| &j.module_loops[k]) else {
                return Some(pc);
            };
            (l.slots.clone(), l.depth)
        } else {
            let code = &self.prog.codes[0];
            if known.is_some_and(|k| j.module_loops[k].refused) {
                self.module_loops_done |= 1 << quick::loop_bit(code, pc);
                return Some(pc);
            }
            // An outermost range loop with few turns left runs them interpreted: compiling
            // costs about what a thousand turns of a call gain. (Asked again a thousand
            // turns later; a loop inside gets hot on its own.)
            let head = code.instrs[pc as usize];
            let b = cur.base as usize + head.a as usize;
            let inside = |i: &crate::bytecode::Instr| i.op == Op::JumpBackward && i.a < pc;
            if j.mode != Mode::Jit
                && head.op == Op::ForRange
                && let [Value::Int(at), Value::Int(stop), Value::Int(step)] = mem[b..b + 3]
                && step != 0
                && (i128::from(stop) - i128::from(at)) / i128::from(step) < i128::from(FEW_TURNS)
                && !code.instrs[pc as usize..].iter().any(inside)
            {
                self.module_turns[quick::loop_bit(code, pc) as usize] = 0;
                return Some(pc);
            }
            // (`try_osr` counts the turn that compiles: the loop has turned HOT_LOOP
            // times, counted by the interpreter's arm.)
            let hot = if j.mode == Mode::Jit { 1 } else { HOT_LOOP };
            t.backedges = t.backedges.saturating_add(hot).max(hot) - 1;
            let Some(depth) = crate::quick::depth_at(&self.prog.codes[0], pc as usize) else {
                return Some(pc);
            };
            let m = tier::module_as_function(self.prog, &self.globals, pc);
            let slots = m.slots.clone();
            self.module_fn = Some(m);
            (slots, depth)
        };
        let own = self.prog.codes[0].nlocals as usize;
        let b = cur.base as usize;
        let mut frame = Vec::with_capacity(own + slots.len() + depth as usize);
        frame.extend_from_slice(&mem[b..b + own]);
        frame.extend(slots.iter().map(|&g| self.globals[g as usize]));
        frame.extend_from_slice(&mem[b + own..b + own + depth as usize]);
        let module_fn = self.prog.codes.len() as u32;
        let result = self.try_osr(module_fn, pc, &frame, 0, 0);
        if let (Some(m), Some(j)) = (self.module_fn.take(), self.jit.as_mut()) {
            let refused = !j.tiers[0].osr.iter().any(|o| o.pc == pc);
            let l = ModuleLoop {
                pc,
                slots: m.slots,
                depth,
                refused,
            };
            match j.module_loops.iter_mut().find(|l| l.pc == pc) {
                Some(old) => *old = l,
                None => j.module_loops.push(l),
            }
        }
        match result {
            None => Some(pc),
            Some(Some(Native::Done(_))) => None,
            Some(Some(Native::Stopped(mut frames))) => {
                // The globals back where the module code reads them; its own values and
                // its stack into its frame.
                let first = &mut frames[0];
                let k = slots.len();
                for (s, &g) in slots.iter().enumerate() {
                    let v = first.values[own + s];
                    // (Unbound: dead there — never read before the module code assigns it.)
                    if first.kept.contains(&(own + s)) || v == Value::Unbound {
                        continue;
                    }
                    if self.globals[g as usize] == Value::Unbound {
                        self.bind_order.push(g);
                    }
                    self.globals[g as usize] = v;
                }
                first.values.drain(own..own + k);
                first.kept.retain(|&i| i < own || i >= own + k);
                for i in first.kept.iter_mut().filter(|i| **i >= own) {
                    *i -= k;
                }
                first.code = 0;
                Some(self.take_over(mem, cur, None, b, frames))
            }
            // (Never: entered from the loop head, compiled code hands its frame over
            // wherever it stops.)
            Some(None) => {
                debug_assert!(
                    false,
                    "the module code's compiled loop stopped without its frame"
                );
                Some(pc)
            }
        }
    }

    /// Runs the module body to the end.
    ///
    /// This is the interpreter's dispatch loop, and it is long on purpose: one `match` over
    /// the quickened kinds with every hot case inline, so that the frame pointer, the
    /// instruction pointer and the running call stay in registers across dispatches.
    /// Split into functions, each case would have to pass them in and out (or reload them
    /// from memory) on every instruction. Everything rare already lives elsewhere:
    /// [`Vm::general`] (the unquickened instructions), [`Vm::call`] (calls off the short
    /// path) and [`Vm::traceback`] (errors).
    pub fn run(&mut self, host: &mut dyn Host) -> Result<(), Traceback> {
        let quick = self.quick.clone();
        let jit_on = self.jit.is_some();
        // The running call; its code object's quickened instructions and pc.
        let mut cur = Cur {
            code: 0,
            base: 0,
            args: 0,
        };
        let mut qcode: *const QInstr = quick[0].instrs.as_ptr();
        // Each code object's instructions for the deepest frame, where comparisons take the
        // general path (kept alive for the loop; the pointers below point into them).
        let deepest: Vec<Vec<QInstr>> = quick
            .iter()
            .map(|q| quick::for_deepest_frame(&q.instrs))
            .collect();
        let mut callees: Vec<Callee> = quick
            .iter()
            .zip(&deepest)
            .zip(&self.prog.codes)
            .map(|((q, d), c)| Callee {
                instrs: q.instrs.as_ptr(),
                deepest: d.as_ptr(),
                frame: q.frame,
                // A generator expression's code is never entered by a call (`Vm::call`
                // makes the generator): no argument count matches.
                // Nor one with `*args`, `**kwargs` or keyword-only parameters
                // ([`crate::bind`]).
                nparams: if c.generator || c.shape.extra() {
                    u32::MAX
                } else {
                    q.nparams
                },
                nlocals: q.nlocals,
            })
            .collect();
        // The instructions the running frame (code object `c`) runs: the deepest frame's
        // own when `frames` holds every frame but it and the limit's last.
        macro_rules! code_for {
            ($c:expr) => {
                if self.frames.len() + 1 >= self.limit {
                    deepest[$c as usize].as_ptr()
                } else {
                    quick[$c as usize].instrs.as_ptr()
                }
            };
        }
        // The next instruction; `pc!()` is its index.
        let mut ip: *const QInstr = qcode;
        // The frames, one after another: each its locals, then its operand stack (see
        // `quick`).
        let mut mem = core::mem::take(&mut self.mem);
        mem.clear();
        mem.resize(quick[0].frame as usize, Value::Unbound);
        // The current frame. SAFETY (every `get!`/`set!`): `fp` is `mem`'s buffer at
        // `cur.base`; `mem` holds at least `cur.base + frame` slots of the running code
        // object (it grows at calls and never shrinks here), every slot a quickened
        // instruction names is below `frame` (checked by `quick::quicken`), and `fp` is
        // taken again after each direct use of `mem` (which may move it or invalidate the
        // pointer).
        let mut fp: *mut Value = mem.as_mut_ptr();
        let mut gp: *const Value = self.globals.as_ptr();
        // Slot operands are byte offsets into the frame (`quick::SLOT` per slot).
        macro_rules! get {
            ($off:expr) => {
                unsafe { *fp.byte_add($off as usize) }
            };
        }
        macro_rules! set {
            ($off:expr, $v:expr) => {{
                let v = $v;
                unsafe { *fp.byte_add($off as usize) = v }
            }};
        }
        macro_rules! refp {
            () => {
                fp = unsafe { mem.as_mut_ptr().add(cur.base as usize) }
            };
        }
        // SAFETY (ip): `ip` points into the running code object's instructions, and every
        // target and continuation a quickened instruction names is one of them (checked
        // by `quick::quicken`, which also scales them to bytes).
        macro_rules! pc {
            () => {
                unsafe { ip.offset_from(qcode) as u32 }
            };
        }
        // A call through `Vm::call` (any callee; entering its frame, or its result left in
        // the callee's slot), then on with the next instruction.
        macro_rules! slow_call {
            ($fslot:expr, $n:expr) => {{
                match self.call(&mut mem, &mut cur, pc!(), $fslot, $n, host) {
                    Ok(true) => {
                        qcode = code_for!(cur.code);
                        goto!(self.enter_at);
                    }
                    Ok(false) => {}
                    Err(e) => raise!(e),
                }
                refp!();
                continue;
            }};
        }
        macro_rules! goto {
            ($i:expr) => {
                ip = unsafe { qcode.add($i as usize) }
            };
        }
        macro_rules! jump {
            ($target:expr) => {
                ip = unsafe { qcode.byte_add($target as usize) }
            };
        }
        // A turn of range loop `q` whose state holds an int past 64 bits.
        macro_rules! range_past_64_bits {
            ($q:expr) => {{
                let (s, cur) = ($q.s1, get!($q.s1));
                match self.range_step_big(cur, get!(s + SLOT), get!(s + 2 * SLOT)) {
                    Some(n) => {
                        set!($q.dst, cur);
                        set!(s, n);
                        next!($q);
                    }
                    None => jump!($q.target),
                }
                // (A loop that makes a big int a turn may never take the general path,
                // where the interpreter collects.)
                if self.bigs.full() {
                    self.collect_bigs(&mut mem);
                }
            }};
        }
        macro_rules! next {
            ($q:expr) => {
                ip = unsafe { ip.byte_offset($q.skip as i32 as isize) }
            };
        }
        // Goes on at `pc + skip` if `$taken`, else jumps to `target`.
        macro_rules! branch {
            ($q:expr, $taken:expr) => {{
                if $taken {
                    next!($q);
                } else {
                    jump!($q.target);
                }
                continue;
            }};
        }
        // `dst = $e` of the int(s) in `s1` (and `s2`), going on at `pc + skip`; else (not
        // ints, or `$e` is None) the general path.
        macro_rules! int1 {
            ($q:expr, $x:ident => $e:expr) => {
                if let Value::Int($x) = get!($q.s1)
                    && let Some(r) = $e
                {
                    set!($q.dst, Value::Int(r));
                    next!($q);
                    continue;
                }
            };
        }
        macro_rules! int2 {
            ($q:expr, $x:ident, $y:ident => $e:expr) => {
                if let (Value::Int($x), Value::Int($y)) = (get!($q.s1), get!($q.s2))
                    && let Some(r) = $e
                {
                    set!($q.dst, Value::Int(r));
                    next!($q);
                    continue;
                }
            };
        }
        macro_rules! raise {
            ($e:expr) => {{
                let e = self.hinted($e, cur.code);
                return Err(self.traceback(e, pc!(), cur.code));
            }};
        }
        // Enters function `$f` (facts `$c`) called from slot `$slot` (bytes) with the `$n`
        // arguments after it, `ip` being the return address.
        macro_rules! enter {
            ($f:expr, $c:expr, $slot:expr, $n:expr) => {{
                self.frames.push(Frame {
                    ip,
                    code: cur.code,
                    base: cur.base,
                    instrs: qcode,
                });
                // The callee's frame starts at its arguments.
                let new_base = cur.base as usize + ($slot / SLOT) as usize + 1;
                let end = new_base + $c.frame as usize;
                if mem.len() < end {
                    mem.resize(end, Value::Unbound);
                }
                cur.base = new_base as u32;
                cur.code = $f;
                refp!();
                for k in $n as u32..$c.nlocals {
                    set!(k * SLOT, Value::Unbound);
                }
                // The deepest frame runs its comparisons the general way.
                qcode = if self.frames.len() + 1 >= RECURSION_LIMIT {
                    $c.deepest
                } else {
                    $c.instrs
                };
                ip = qcode;
                continue;
            }};
        }
        // Returns the value in slot `$slot` of the running call to its caller.
        macro_rules! ret {
            ($slot:expr) => {{
                let mut args = 0;
                if jit_on {
                    self.leave(cur.code);
                    self.args.truncate(cur.args as usize);
                    args = self.arg_marks.pop().unwrap_or(0);
                }
                let Some(fr) = self.frames.pop() else {
                    self.mem = mem;
                    return Ok(());
                };
                // Into the caller's slot of the function called. SAFETY: as for `set!`;
                // a called function's frame starts just after that slot.
                unsafe { *fp.sub(1) = *fp.byte_add($slot as usize) };
                cur = Cur {
                    code: fr.code,
                    base: fr.base,
                    args,
                };
                qcode = fr.instrs;
                ip = fr.ip;
                refp!();
                continue;
            }};
        }
        loop {
            // SAFETY: see `pc!`; calls and returns set `ip` to a code object's start or
            // to a return address.
            let q = unsafe { &*ip };
            ip = unsafe { ip.add(1) };
            // The quickened form: done here when its operands are what it expects; else
            // the bytecode instruction runs in the general way below.
            match q.kind {
                Kind::Plain => {}
                Kind::Skip => continue,
                Kind::LoadFast => {
                    let v = get!(q.s1);
                    // Ints as their own variant: no copy of a whole value with padding.
                    if let Value::Int(i) = v {
                        set!(q.dst, Value::Int(i));
                        continue;
                    }
                    if !matches!(v, Value::Unbound) {
                        set!(q.dst, v);
                        continue;
                    }
                }
                Kind::Move => {
                    set!(q.dst, get!(q.s1));
                    continue;
                }
                Kind::LoadInt => {
                    set!(q.dst, Value::Int(q.k));
                    continue;
                }
                Kind::LoadBool => {
                    set!(q.dst, Value::Bool(q.k != 0));
                    continue;
                }
                Kind::LoadNone => {
                    set!(q.dst, Value::None);
                    continue;
                }
                Kind::BinSSCmpS => {
                    if let (Value::Int(x), Value::Int(y), Value::Int(z)) =
                        (get!(q.s1), get!(q.s2), get!(q.dst))
                        && let Some(r) = int_bin(q.opx, x, y)
                    {
                        branch!(q, int_cmp(q.mask, r, z));
                    }
                }
                Kind::BinSSCmpK => {
                    if let (Value::Int(x), Value::Int(y)) = (get!(q.s1), get!(q.s2))
                        && let Some(r) = int_bin(q.opx, x, y)
                    {
                        branch!(q, int_cmp(q.mask, r, q.dst as i32 as i64));
                    }
                }
                Kind::BinSKCmpS => {
                    if let (Value::Int(x), Value::Int(z)) = (get!(q.s1), get!(q.dst))
                        && let Some(r) = int_bin(q.opx, x, q.k)
                    {
                        branch!(q, int_cmp(q.mask, r, z));
                    }
                }
                Kind::BinSKCmpK => {
                    if let Value::Int(x) = get!(q.s1)
                        && let Some(r) = int_bin(q.opx, x, q.k)
                    {
                        branch!(q, int_cmp(q.mask, r, q.dst as i32 as i64));
                    }
                }
                Kind::BinSSBinK => {
                    if let (Value::Int(x), Value::Int(y)) = (get!(q.s1), get!(q.s2))
                        && let Some(t) = int_bin(q.opx, x, y)
                        && let Some(r) = int_bin(q.mask, t, q.target as i32 as i64)
                    {
                        set!(q.dst, Value::Int(r));
                        next!(q);
                        continue;
                    }
                }
                Kind::MulAddSK => {
                    if let Value::Int(x) = get!(q.s1)
                        && let Some(t) = x.checked_mul(q.k)
                        && let Some(r) = t.checked_add(q.target as i32 as i64)
                    {
                        set!(q.dst, Value::Int(r));
                        next!(q);
                        continue;
                    }
                }
                Kind::BinSKBinK => {
                    if let Value::Int(x) = get!(q.s1)
                        && let Some(t) = int_bin(q.opx, x, q.k)
                        && let Some(r) = int_bin(q.mask, t, q.target as i32 as i64)
                    {
                        set!(q.dst, Value::Int(r));
                        next!(q);
                        continue;
                    }
                }
                Kind::LoadGlobal => {
                    // The usual global is a function about to be called.
                    // SAFETY: `gp` is the globals' buffer, taken again after anything that
                    // may store to them, and `quicken` checked the index against their
                    // number (which never changes).
                    match unsafe { *gp.byte_add(q.s1 as usize) } {
                        Value::Func(f) => {
                            set!(q.dst, Value::Func(f));
                            continue;
                        }
                        Value::Unbound => {}
                        v => {
                            set!(q.dst, v);
                            continue;
                        }
                    }
                }
                Kind::AddSK => int1!(q, x => x.checked_add(q.k)),
                Kind::SubSK => int1!(q, x => x.checked_sub(q.k)),
                Kind::AddSS => int2!(q, x, y => x.checked_add(y)),
                Kind::MulSK => int1!(q, x => x.checked_mul(q.k)),
                Kind::ShrSK => int1!(q, x => Some(x >> q.k)),
                Kind::AndSK => int1!(q, x => Some(x & q.k)),
                Kind::SubSS => int2!(q, x, y => x.checked_sub(y)),
                Kind::MulSS => int2!(q, x, y => x.checked_mul(y)),
                Kind::ModSS => int2!(q, x, y => (y != 0).then(|| value::floor_mod(x, y))),
                Kind::BinSK => int1!(q, x => int_bin(q.opx, x, q.k)),
                Kind::BinKS => {
                    if let Value::Int(y) = get!(q.s1)
                        && let Some(r) = int_bin(q.opx, q.k, y)
                    {
                        set!(q.dst, Value::Int(r));
                        next!(q);
                        continue;
                    }
                }
                Kind::BinSS => int2!(q, x, y => int_bin(q.opx, x, y)),
                Kind::CmpSS => {
                    if let (Value::Int(x), Value::Int(y)) = (get!(q.s1), get!(q.s2)) {
                        set!(q.dst, Value::Bool(int_cmp(q.opx, x, y)));
                        continue;
                    }
                }
                Kind::CmpJfSK => {
                    if let Value::Int(x) = get!(q.s1) {
                        branch!(q, int_cmp(q.opx, x, q.k));
                    }
                }
                Kind::CmpJfSS => {
                    if let (Value::Int(x), Value::Int(y)) = (get!(q.s1), get!(q.s2)) {
                        branch!(q, int_cmp(q.opx, x, y));
                    }
                }
                Kind::AddCmpJfSK => {
                    if let Value::Int(x) = get!(q.s1)
                        && let Some(r) = x.checked_add(q.k8 as i64)
                    {
                        set!(q.dst, Value::Int(r));
                        if let Value::Int(y) = get!(q.s2) {
                            branch!(q, int_cmp(q.opx, y, q.k));
                        }
                        // Not an int to test: the test instruction, as it is. SAFETY: it
                        // is `mask` instructions ahead (`quick::quicken`).
                        ip = unsafe { ip.add(q.mask as usize) };
                        continue;
                    }
                }
                Kind::CmpRetSK => {
                    if let Value::Int(x) = get!(q.s1) {
                        if !int_cmp(q.opx, x, q.k) {
                            jump!(q.target);
                            continue;
                        }
                        if !matches!(get!(q.dst), Value::Unbound) {
                            ret!(q.dst)
                        }
                        // Unset: the return raises.
                        next!(q);
                        continue;
                    }
                }
                // An object's truth (its length) takes the general path.
                Kind::JumpIfFalse => {
                    let v = get!(q.s1);
                    if !v.is_object() {
                        let t = match v {
                            Value::Bool(t) => t,
                            v => v.truthy(),
                        };
                        if !t {
                            jump!(q.target);
                        }
                        continue;
                    }
                }
                Kind::JumpIfTrue => {
                    let v = get!(q.s1);
                    if !v.is_object() {
                        let t = match v {
                            Value::Bool(t) => t,
                            v => v.truthy(),
                        };
                        if t {
                            jump!(q.target);
                        }
                        continue;
                    }
                }
                Kind::Jump => {
                    jump!(q.target);
                    continue;
                }
                Kind::ForRange => {
                    let s = q.s1;
                    if let (Value::Int(cur), Value::Int(stop), Value::Int(step)) =
                        (get!(s), get!(s + SLOT), get!(s + 2 * SLOT))
                    {
                        if (step > 0 && cur < stop) || (step < 0 && cur > stop) {
                            set!(q.dst, Value::Int(cur));
                            // (Past i64::MAX is past stop too.)
                            set!(s, Value::Int(cur.checked_add(step).unwrap_or(stop)));
                            next!(q);
                        } else {
                            jump!(q.target);
                        }
                        continue;
                    }
                    range_past_64_bits!(q);
                    continue;
                }
                Kind::ForRangeUp => {
                    if let (Value::Int(cur), Value::Int(stop)) = (get!(q.s1), get!(q.s1 + SLOT)) {
                        if cur < stop {
                            set!(q.dst, Value::Int(cur));
                            set!(q.s1, Value::Int(cur + 1));
                            next!(q);
                        } else {
                            jump!(q.target);
                        }
                        continue;
                    }
                    range_past_64_bits!(q);
                    continue;
                }
                Kind::JumpBack => {
                    jump!(q.target);
                    if jit_on && !self.loops_done[cur.code as usize] {
                        let to = self.loop_back(&mut mem, &mut cur, pc!());
                        qcode = code_for!(cur.code);
                        goto!(to);
                        refp!();
                    }
                    continue;
                }
                // (Only with compiled code on.)
                Kind::ModuleJumpBack => {
                    jump!(q.target);
                    let bit = q.s1 as usize & 63;
                    if self.module_loops_done & (1 << bit) == 0 && {
                        let turns = &mut self.module_turns[bit];
                        *turns = turns.saturating_add(1);
                        *turns >= self.module_hot
                    } {
                        let Some(to) = self.module_loop_back(&mut mem, &mut cur, pc!()) else {
                            // Compiled code ran the module code to its end.
                            self.leave(0);
                            self.mem = mem;
                            return Ok(());
                        };
                        qcode = code_for!(cur.code);
                        goto!(to);
                        refp!();
                    }
                    continue;
                }
                Kind::Call => {
                    let n = q.s2 as usize;
                    // The usual call, short: a function of the program, interpreted (with
                    // compiled code on, one the JIT refused: it never runs compiled).
                    if let Value::Func(f) = get!(q.s1)
                        && let Some(&c) = callees.get(f as usize)
                        && n == c.nparams as usize
                        && self.frames.len() + 1 < RECURSION_LIMIT
                        && (!jit_on || self.interpreted_for_good(f))
                    {
                        if jit_on {
                            self.enter_interpreted(&mut cur);
                        }
                        enter!(f, c, q.s1, n);
                    }
                    slow_call!(q.s1 / SLOT, n);
                }
                Kind::CallKw => {
                    let fslot = q.s1 / SLOT;
                    let at = cur.base as usize + fslot as usize;
                    let n = match self.arrange_keywords(&mut mem, &mut cur, at, q, pc!()) {
                        Ok(n) => n,
                        Err(e) => raise!(e),
                    };
                    slow_call!(fslot, n);
                }
                Kind::CallEx => {
                    let fslot = q.s1 / SLOT;
                    let spread = if q.s2 == 0 {
                        self.spread_args(&mut mem, &mut cur, fslot, pc!())
                    } else {
                        self.spread_keywords(&mut mem, &mut cur, fslot, pc!())
                    };
                    let n = match spread {
                        Ok(n) => n,
                        Err(e) => raise!(e),
                    };
                    slow_call!(fslot, n);
                }
                Kind::CallGlobalAdd => {
                    // SAFETY: as for LoadGlobal.
                    if let Value::Func(f) = unsafe { *gp.byte_add(q.s2 as usize) }
                        // SAFETY: function values are made from code object indices.
                        && let c = unsafe { *callees.get_unchecked(f as usize) }
                        && c.nparams == 1
                        && self.frames.len() + 1 < RECURSION_LIMIT
                        && let Value::Int(x) = get!(q.s1)
                        && let Some(a) = x.checked_add(q.k)
                    {
                        next!(q);
                        // A callee that returns its argument at once (`if n < 2: return
                        // n`) answers here, without a frame. SAFETY: a code object has at
                        // least one instruction.
                        let first = unsafe { &*c.instrs };
                        if first.kind == Kind::CmpRetSK
                            && self.frames.len() + 2 < RECURSION_LIMIT
                            && first.s1 == 0
                            && first.dst == 0
                            && int_cmp(first.opx, a, first.k)
                        {
                            set!(q.dst, Value::Int(a));
                            continue;
                        }
                        set!(q.dst + SLOT, Value::Int(a));
                        enter!(f, c, q.dst, 1);
                    }
                }
                Kind::CallGlobalL => {
                    // SAFETY: as for LoadGlobal.
                    if let Value::Func(f) = unsafe { *gp.byte_add(q.s2 as usize) }
                        // SAFETY: function values are made from code object indices.
                        && let c = unsafe { *callees.get_unchecked(f as usize) }
                        && c.nparams == 1
                        && self.frames.len() + 1 < RECURSION_LIMIT
                    {
                        let a = get!(q.s1);
                        if !matches!(a, Value::Unbound) {
                            set!(q.dst + SLOT, a);
                            next!(q);
                            enter!(f, c, q.dst, 1);
                        }
                    }
                }
                Kind::Return => ret!(q.s1),
                Kind::AddSSRet => {
                    if let (Value::Int(x), Value::Int(y)) = (get!(q.s1), get!(q.s2))
                        && let Some(r) = x.checked_add(y)
                    {
                        set!(q.dst, Value::Int(r));
                        ret!(q.dst)
                    }
                }
                Kind::ReturnLocal => {
                    if !matches!(get!(q.s1), Value::Unbound) {
                        ret!(q.s1)
                    }
                }
                Kind::Subscr => {
                    if let (Value::List(h) | Value::Tuple(h), Value::Int(i)) =
                        (get!(q.s1), get!(q.s2))
                        && let Some(v) = self.heap.item(h, i)
                    {
                        set!(q.dst, v);
                        continue;
                    }
                }
                Kind::StoreGlobal => {
                    let (v, g) = (get!(q.s1), (q.s2 / SLOT) as usize);
                    let old = self.globals[g];
                    if old != Value::Unbound && (old == v || !self.watched(g)) {
                        self.globals[g] = v;
                        gp = self.globals.as_ptr();
                        continue;
                    }
                }
                Kind::MethodOf => {
                    if let (0, Value::List(_)) | (1, Value::Dict(_)) = (q.k, get!(q.s1)) {
                        continue;
                    }
                }
                Kind::Append => {
                    let list = get!(q.s1);
                    if let Value::List(_) = list {
                        builtins::list_push(&mut self.objs(), list, get!(q.s2));
                        set!(q.dst, Value::None);
                        continue;
                    }
                }
                Kind::DictGet => {
                    let d = get!(q.s1);
                    if let Value::Dict(_) = d {
                        let default = if q.k == 2 {
                            get!(q.s2 + SLOT)
                        } else {
                            Value::None
                        };
                        if let Some(v) = self.dict_get(d, get!(q.s2), default) {
                            set!(q.dst, v);
                            continue;
                        }
                    }
                }
                Kind::ForIter => {
                    if let Value::Iter(h) = get!(q.s1)
                        && let Some(next) = self.heap.next_item(h)
                    {
                        match next {
                            Some(v) => set!(q.dst, v),
                            None => jump!(q.target),
                        }
                        continue;
                    }
                }
                Kind::Yield => {
                    // SAFETY: a generator's frame starts just after the slot holding it.
                    if self.yield_in_place(unsafe { *fp.sub(1) }, get!(q.s1)) {
                        continue;
                    }
                }
                Kind::StoreSubscr => {
                    if let (Value::List(h), Value::Int(i)) = (get!(q.s1), get!(q.s2))
                        && self.heap.set_item(h, i, get!(q.dst))
                    {
                        continue;
                    }
                }
            }
            // Arithmetic on slots that left 64 bits: done here, once, instead of its
            // instructions one by one on the general path.
            if q.kind.arith_ss() || q.kind == Kind::BinSK {
                let y = if q.kind == Kind::BinSK {
                    Value::Int(q.k)
                } else {
                    get!(q.s2)
                };
                if let Some(v) = self.big_arith(q.opx, get!(q.s1), y) {
                    set!(q.dst, v);
                    next!(q);
                    continue;
                }
            }
            // The general path: the bytecode instruction this stands for.
            let qi = &quick[cur.code as usize];
            let at = qi.at[(pc!() - 1) as usize];
            goto!(at + 1);
            match self.general(&mut mem, &mut cur, at, qi.sd[at as usize], host) {
                // (A jump; or, when a generator started, went on or stopped, the pc in
                // the frame running now.)
                Ok(Some(to)) => {
                    qcode = code_for!(cur.code);
                    goto!(to);
                }
                Ok(None) => {}
                Err(e) => raise!(e),
            }
            gp = self.globals.as_ptr();
            if self.limit < RECURSION_LIMIT {
                // `sys.setrecursionlimit` lowered the limit below what the short call paths
                // check: no argument count matches now, every call takes `Vm::call`, which
                // checks the limit itself.
                callees.iter_mut().for_each(|c| c.nparams = u32::MAX);
            }
            refp!();
        }
    }
}

/// `len(sys.argv)`: the script and the program's arguments.
fn argc(host: &dyn Host) -> usize {
    1 + (0..).take_while(|&i| host.arg(i).is_some()).count()
}

/// `sys.exit(v)` as CPython ends the process: no value or None, status 0; an int (a bool
/// is one), that status (as the OS keeps it, the low 8 bits); anything else is printed on
/// stderr, status 1.
fn exit_with(v: Option<Value>, prog: &Program, bigs: &BigHeap) -> Exception {
    match v {
        None | Some(Value::None) => Exception::new(ExcKind::SystemExit(0), ""),
        // Past a C long: CPython's status is -1, which the OS keeps as 255.
        Some(Value::Big(_)) => Exception::new(ExcKind::SystemExit(255), ""),
        Some(v) => match v.as_int() {
            Some(code) => Exception::new(ExcKind::SystemExit(code as u8), ""),
            None => {
                let mut text = String::new();
                if let Err(e) = value::write_value(&mut text, prog, bigs, v) {
                    return e;
                }
                Exception::new(ExcKind::SystemExit(1), text)
            }
        },
    }
}

/// An index (of `sys.argv`): an int, or the error CPython gives for anything else.
fn index(v: Value) -> Result<i64, Exception> {
    match v {
        // Any index this large is out of range, but CPython says so differently.
        Value::Big(_) => Err(Exception::new(
            ExcKind::IndexError,
            "cannot fit 'int' into an index-sized integer",
        )),
        _ => v
            .as_int()
            .ok_or_else(|| Exception::bad_list_index(v.type_name())),
    }
}

/// range()'s (start, stop, step) from its 1 to 3 arguments; a zero step raises.
///
/// The counter is a machine int: a stop past 64 bits is one the loop never reaches that
/// way (it runs until a `break`, as it would in CPython for 2⁶³ turns), and a start or step
/// past 64 bits is outside the subset, said so.
/// A range loop's state from `range()`'s arguments: start, stop and step, each an int
/// (a bool as one) or a big int.
fn range_args(args: &[Value]) -> Result<(Value, Value, Value), Exception> {
    let mut vals = [Value::Int(0); 3];
    for (k, &v) in args.iter().enumerate() {
        vals[k] = match (v, v.as_int()) {
            (_, Some(x)) => Value::Int(x),
            (Value::Big(_), _) => v,
            _ => return Err(Exception::not_an_integer(v.type_name())),
        };
    }
    let (start, stop, step) = match args.len() {
        1 => (Value::Int(0), vals[0], Value::Int(1)),
        2 => (vals[0], vals[1], Value::Int(1)),
        _ => (vals[0], vals[1], vals[2]),
    };
    // (A big step is never 0.)
    if step == Value::Int(0) {
        return Err(Exception::range_step_zero());
    }
    Ok((start, stop, step))
}

/// [`Vm::arg_kind`] in `heap`.
/// Whether code `c` is no generator's, has a loop and does not read the global its function
/// is bound to (a call of itself): a loop of it may be compiled alone, analyzed from its head, when its
/// calls cannot be.
fn loops_alone(prog: &Program, globals: &[Value], c: u32) -> bool {
    let code = &prog.codes[c as usize];
    // (A generator's running frame is never entered.)
    !code.generator
        && code.instrs.iter().any(|i| i.op == Op::JumpBackward)
        && !code
            .instrs
            .iter()
            .any(|i| i.op == Op::LoadGlobal && globals.get(i.a as usize) == Some(&Value::Func(c)))
}

fn arg_kind_in(heap: &Heap, v: Value) -> Option<Ty> {
    use crate::analysis::Elem;
    let first = |v: Value| heap.items(v).and_then(|x| x.first());
    Some(match v {
        Value::Int(_) => Ty::Int,
        Value::Bool(_) => Ty::Bool,
        // (A comprehension's `.0`: compiled code advances a copy, see `try_native`.)
        Value::Iter(h) if heap.is_range_iter(h) => Ty::RangeIter,
        Value::List(_) => Ty::List(
            match first(v) {
                None => Elem::Never,
                Some(Value::Int(_)) => Elem::Int,
                Some(Value::Bool(_)) => Elem::Bool,
                Some(inner @ Value::List(_)) => match first(inner) {
                    Some(Value::Bool(_)) => Elem::Bools,
                    _ => Elem::Ints,
                },
                Some(_) => return None,
            },
            false,
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_parse_as_int_does() {
        let ok = |s: &str| parse_arg(s.as_bytes()).unwrap();
        let err = |s: &str| {
            let e = parse_arg(s.as_bytes()).unwrap_err();
            format!("{}: {}", e.kind.name(), e.msg)
        };
        let small = |i: i64| Int::Small(i);
        assert_eq!(ok(" 42\n"), small(42));
        assert_eq!(ok("-1_000"), small(-1000));
        assert_eq!(ok("+7"), small(7));
        assert_eq!(ok("-9223372036854775808"), small(i64::MIN));
        assert_eq!(ok("9223372036854775807"), small(i64::MAX));
        // Past 64 bits: exact.
        let big = |s: &str| Int::Big(s.parse::<num_bigint::BigInt>().unwrap());
        assert_eq!(ok("9223372036854775808"), big("9223372036854775808"));
        assert_eq!(
            ok("-9_223_372_036_854_775_809"),
            big("-9223372036854775809")
        );
        // CPython 3.11's limit on decimal digits.
        assert_eq!(ok(&"9".repeat(4300)), big(&"9".repeat(4300)));
        assert!(err(&"1".repeat(4301)).contains("value has 4301 digits"));
        assert_eq!(
            err("x1"),
            "ValueError: invalid literal for int() with base 10: 'x1'"
        );
        assert_eq!(
            err("it's"),
            "ValueError: invalid literal for int() with base 10: \"it's\""
        );
        for bad in ["", " ", "1__0", "_1", "1_", "+", "- 1", "0x10", "1.5"] {
            assert!(err(bad).starts_with("ValueError"), "{bad:?}");
        }
    }
}
