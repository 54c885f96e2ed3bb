//! Ahead-of-time compilation of a minipy program into machine code that needs no
//! interpreter, no JIT and no libc: the functions go through the same analysis and lowering
//! as the JIT tier (with failures raising instead of deoptimizing), the module code becomes
//! a `py_main` function, and a small runtime written here in machine code (entry, buffered
//! printing of ints and strings, exceptions with CPython's last line and exit code 1, exit)
//! comes with it. [`crate::aot::image`] places the result for linker-core to write.
//!
//! The module code runs exactly once, top to bottom, so it is executed *symbolically*:
//! values known at compile time (constants, definitions, arithmetic on them, the text of a
//! print) stay constants, and only calls into compiled functions — and what is computed from
//! their results — become machine code. An exception the module code must raise becomes a
//! call to the raise routine at that point, after the output before it.
//!
//! Module code with control flow — or with values the symbolic pass does not model —
//! becomes a function itself, analyzed with everything it calls. There values may be of
//! several kinds at run time (`x = None if c else 3`, a function returning a string or a
//! bool): such a value is a payload plus a tag ([`Ty::Dyn`]), and the operations
//! on it dispatch on the tag, raising CPython's TypeError where Python would. Globals a
//! function assigns (or reads while the module code still changes them) live in memory
//! cells. An operation that must fail compiles to its raise.
//!
//! `arg(i)` reads the command line through the `rt_arg` routine (from the stack pointer
//! `_start` saved). Not compiled ahead of time (each a clear [`AotError`] naming the line):
//! a function value chosen at run time (`h = a if c else b; h()`), and calls to a function
//! defined after the call may run.

use crate::analysis::{self, Graph, Policy, Ty};
use crate::aot::runtime::RuntimeErrors;
use crate::ast::{BinOp, CmpOp};
use crate::bytecode::{Builtin, Const, Instr, Op, Program, print_keywords, print_sep_end};
use crate::error::{ExcKind, Exception, INVALID_INT_LITERAL};
use crate::lower::{self as lowering, Deepest, Entry, LowerCtx, LowerPolicy, Raise};
use crate::value::{self, Value};
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::cell::RefCell;
use core::fmt;
use jit::ir::{self, CheckedOp, Cmp, FuncId, HostId, Signature, Site, Type};
use jit::{FunctionBuilder, Module};

/// A program that cannot be compiled ahead of time (yet), with the source line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AotError {
    pub line: u32,
    pub msg: String,
}

impl fmt::Display for AotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.msg)
    }
}

/// Everything an executable needs.
pub struct AotProgram {
    /// `py_main` and every compiled function; its host functions are runtime routines,
    /// named as in [`Runtime::routines`] (generate them with [`runtime`] for the hosts the
    /// compiled code actually calls).
    pub module: Module,
    pub main: FuncId,
    /// The string table: string k is printed by `rt_print_str(k)`; string 0 is the
    /// traceback header and messages are whole `Kind: message\n` lines.
    pub strings: Vec<Vec<u8>>,
    /// The messages the runtime routines raise themselves.
    pub errors: RuntimeErrors,
    /// When the program computes nothing at run time — it only prints constants and ends
    /// normally — its whole output, for a program that is one write and an exit.
    pub constant_stdout: Option<Vec<u8>>,
    /// 8-byte cells of globals kept in memory (after the [`DATA_OUTPUT`] item).
    pub cells: u32,
    /// The traceback entry of each source site calls were given ([`Site`] `s` is entry
    /// `s - 1`; [`TRANSPARENT`] has none).
    pub frames: Vec<TracebackFrame>,
}

/// A frame of a traceback as the runtime prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TracebackFrame {
    /// `  File "…", line N, in f`, the source line and its carets.
    pub text: Vec<u8>,
    /// Equal for frames of one function at one line (CPython summarizes runs of those).
    pub key: u32,
}

/// The source sites of calls, numbered from 1 as the lowering meets them: (code, pc).
#[derive(Default)]
struct Sites(RefCell<SiteTable>);

#[derive(Default)]
struct SiteTable {
    /// Site `i + 1` is at `at[i]`.
    at: Vec<(u32, u32)>,
    /// The site of `[code][pc]` (0: none yet).
    ids: Vec<Vec<u32>>,
}

impl Sites {
    fn id(&self, code: u32, pc: u32) -> Site {
        let t = &mut *self.0.borrow_mut();
        let (c, p) = (code as usize, pc as usize);
        if t.ids.len() <= c {
            t.ids.resize(c + 1, Vec::new());
        }
        if t.ids[c].len() <= p {
            t.ids[c].resize(p + 1, 0);
        }
        if t.ids[c][p] == 0 {
            t.at.push((code, pc));
            t.ids[c][p] = t.at.len() as u32;
        }
        Site(t.ids[c][p])
    }

    /// Every site's traceback entry, against `prog` (whose code `c` is shown as `<module>`
    /// if it is the module code) and the program's file name and text.
    fn frames(self, prog: &Program, file: &str, source: &str) -> Vec<TracebackFrame> {
        let lines: Vec<&str> = source.split('\n').collect();
        // A frame's key: the first code of its name and its line, as one number (past
        // 2^32 codes × lines two keys could meet: a summary of a run would then merge two).
        let key = |first: usize, line: u32| {
            (first as u64 * (lines.len() as u64 + 1) + u64::from(line)) as u32
        };
        let sites = self.0.into_inner().at;
        sites
            .iter()
            .map(|&(c, pc)| {
                let code = &prog.codes[c as usize];
                let pos = &code.positions[pc as usize];
                let mut text = String::new();
                crate::traceback::write_frame(&mut text, file, &lines, &code.name, pos);
                let first = prog.codes.iter().position(|k| k.name == code.name);
                TracebackFrame {
                    text: text.into_bytes(),
                    key: key(first.unwrap_or(0), pos.line),
                }
            })
            .collect()
    }
}

/// The string table as laid out in read-only data: (offset, length) pairs as u32, then
/// the bytes; offsets count from the start of the table.
pub fn string_table(strings: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut off = 8 * strings.len() as u32;
    for s in strings {
        out.extend(off.to_le_bytes());
        out.extend((s.len() as u32).to_le_bytes());
        off += s.len() as u32;
    }
    for s in strings {
        out.extend(s);
    }
    out
}

/// A value of the module code: known at compile time, or computed at run time (an int or
/// a bool held in an IR value).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Sv {
    K(Value),
    D(ir::Value, Ty),
}

/// The runtime's string table as it is built (interning; shared by every lowering).
/// The strings in order, and where each is.
type Table = (Vec<Vec<u8>>, BTreeMap<Vec<u8>, usize>);

#[derive(Default)]
struct Strings {
    table: RefCell<Table>,
}

impl Strings {
    fn id(&self, s: &[u8]) -> i64 {
        let mut t = self.table.borrow_mut();
        if let Some(&i) = t.1.get(s) {
            return i as i64;
        }
        t.0.push(s.to_vec());
        let i = t.0.len() - 1;
        t.1.insert(s.to_vec(), i);
        i as i64
    }

    /// Appends `items` in order (no sharing with what is there): the number of the first.
    fn block(&self, items: &[&[u8]]) -> i64 {
        let mut t = self.table.borrow_mut();
        let base = t.0.len() as i64;
        t.0.extend(items.iter().map(|s| s.to_vec()));
        base
    }

    fn exception(&self, e: &Exception) -> i64 {
        self.id(format!("{}\n", e.line()).as_bytes())
    }
}

struct Hosts {
    print_int: HostId,
    print_str: HostId,
    raise: HostId,
    pow: HostId,
    set_tag: HostId,
    get_tag: HostId,
    cell_get: HostId,
    cell_set: HostId,
    arg: HostId,
    sys: crate::lower::SysHosts,
    /// Ints past 64 bits (the runtime library and its runtime routines).
    big: lowering::BigHosts,
    /// The program has int literals past 64 bits.
    literals: bool,
}

fn sig(n: usize) -> Signature {
    Signature {
        params: vec![Type::I64; n],
        ret: Type::I64,
    }
}

impl Hosts {
    /// The runtime routines compiled code may call (only those it does call are emitted).
    fn declare(m: &mut Module) -> Hosts {
        let land = m.declare_near_host("rt_land", sig(0));
        m.set_landing_router(land);
        Hosts {
            print_int: m.declare_near_host("rt_print_int", sig(1)),
            print_str: m.declare_near_host("rt_print_str", sig(1)),
            raise: m.declare_near_host("rt_raise", sig(1)),
            pow: m.declare_near_host("rt_pow", sig(2)),
            set_tag: m.declare_near_host("rt_set_tag", sig(1)),
            get_tag: m.declare_near_host("rt_get_tag", sig(0)),
            cell_get: m.declare_near_host("rt_cell_get", sig(1)),
            cell_set: m.declare_near_host("rt_cell_set", sig(2)),
            arg: m.declare_near_host("rt_arg", sig(1)),
            sys: crate::lower::SysHosts {
                argc: m.declare_near_host("rt_argc", sig(0)),
                argv: m.declare_near_host("rt_argv", sig(1)),
                argv_int: m.declare_near_host("rt_argv_int", sig(1)),
                exit: m.declare_near_host("rt_exit", sig(1)),
                exit_msg: m.declare_near_host("rt_exit_msg", sig(1)),
            },
            big: lowering::BigHosts {
                binary: [
                    "mp_add",
                    "mp_sub",
                    "mp_mul",
                    "mp_floordiv",
                    "mp_mod",
                    "mp_pow",
                    "mp_lshift",
                    "mp_rshift",
                    "mp_and",
                    "mp_or",
                    "mp_xor",
                ]
                .map(|name| m.declare_near_host(name, sig(4))),
                compare: m.declare_near_host("mp_compare", sig(5)),
                unary: m.declare_near_host("mp_unary", sig(3)),
                decimal: m.declare_near_host("mp_decimal", sig(2)),
                tag: m.declare_near_host("mp_tag", sig(0)),
                parse: m.declare_near_host("mp_parse", sig(1)),
                print: m.declare_near_host("rt_print_cstr", sig(1)),
                raise: m.declare_near_host("rt_raise_text", sig(1)),
                pow: m.declare_near_host("rt_powx", sig(2)),
                pend: m.declare_near_host("rt_pend", sig(2)),
                take: m.declare_near_host("rt_take", sig(1)),
                pow3: m.declare_near_host("mp_pow3", sig(6)),
                text: m.declare_near_host("rt_text", sig(1)),
                stack_top: m.declare_near_host("rt_stack_top", sig(0)),
                init: m.declare_near_host("mp_init", sig(3)),
                cells: m.declare_near_host("rt_cells", sig(0)),
            },
            literals: false,
        }
    }

    /// [`lowering::BigInts`] with these routines.
    fn big_ints<'a>(
        &self,
        generic: &'a BTreeMap<u32, FuncId>,
        entries: &'a BTreeMap<u32, BTreeMap<u32, Vec<Ty>>>,
        xfer: &'a BTreeMap<usize, HostId>,
        pending: i64,
    ) -> lowering::BigInts<'a> {
        lowering::BigInts {
            hosts: self.big,
            generic,
            entries,
            hand_over: xfer,
            literals: self.literals,
            pending,
            xfer: pending + 2,
        }
    }
}

/// Whether global `gl`, a definition the module code makes at `at` after its first jump or
/// call, is certainly bound whenever function `c` (which reads it) runs. Both are
/// definitions that run exactly once, in order ([`snapshot`]'s `Value::Func`): `c` can
/// only run once its own `def` has run, so `gl`'s `def` must come first, or come later with
/// no call between the two that could run `c` early (`def a(): return b()`, then
/// `def b(): …`, then calls — the usual order of a script). `can_run(pc, c)`: whether
/// the instruction at `pc` may run `c` (a call that may reach it, or any other kind of
/// call).
fn bound_before_it_runs(
    code0: &crate::bytecode::Code,
    globals: &[Value],
    c: u32,
    gl: u32,
    at: usize,
    can_run: &dyn Fn(usize, u32) -> bool,
) -> bool {
    if !matches!(globals.get(gl as usize), Some(Value::Func(_))) {
        return false;
    }
    let Some(own) = globals.iter().position(|v| *v == Value::Func(c)) else {
        return false;
    };
    let Some(def_at) = code0
        .instrs
        .iter()
        .position(|i| i.op == Op::StoreGlobal && i.a as usize == own)
    else {
        return false;
    };
    let calls = |i: &Instr| matches!(i.op, Op::Call | Op::CallBuiltin | Op::CallMethod);
    at < def_at || !(def_at..at).any(|pc| calls(&code0.instrs[pc]) && can_run(pc, c))
}

/// How many instructions the module code runs before its first jump or call: what it
/// assigns there is set before any function runs.
fn straight_start(code0: &crate::bytecode::Code) -> usize {
    code0
        .instrs
        .iter()
        .position(|i| i.op.is_jump() || matches!(i.op, Op::Call | Op::ForRange | Op::RangeSetup))
        .unwrap_or(code0.instrs.len())
}

/// Globals kept in memory cells: those a function assigns, and those a function reads
/// that the module code assigns other than once as a constant or definition. Each starts
/// as unset unless the module code assigns it before its first jump or call.
fn memory_globals(prog: &Program, snapshot: &[Value]) -> BTreeMap<u32, Ty> {
    let code0 = &prog.codes[0];
    let prefix = straight_start(code0);
    let module_stores = |g: u32, upto: usize| {
        code0.instrs[..upto]
            .iter()
            .any(|i| i.op == Op::StoreGlobal && i.a == g)
    };
    let mut mem = BTreeMap::new();
    for code in &prog.codes[1..] {
        for ins in &code.instrs {
            let g = ins.a;
            let kept = match ins.op {
                Op::StoreGlobal => true,
                // A constant assigned late is in memory too (unset until then); a late
                // definition is not (the module-as-a-function path refuses it).
                Op::LoadGlobal => {
                    module_stores(g, code0.instrs.len())
                        && match snapshot[g as usize] {
                            Value::Unbound => true,
                            Value::Func(_) => false,
                            _ => !module_stores(g, prefix),
                        }
                }
                _ => false,
            };
            if kept {
                mem.insert(
                    g,
                    if module_stores(g, prefix) {
                        Ty::Never
                    } else {
                        Ty::Unset
                    },
                );
            }
        }
    }
    mem
}

/// Globals the module code stores exactly once, as a constant or a definition: what
/// compiled functions may read as constants.
fn snapshot(prog: &Program) -> Vec<Value> {
    let code = &prog.codes[0];
    let mut stores = vec![0u32; prog.globals.len()];
    let mut vals = vec![Value::Unbound; prog.globals.len()];
    for (i, ins) in code.instrs.iter().enumerate() {
        if ins.op != Op::StoreGlobal {
            continue;
        }
        let g = ins.a as usize;
        stores[g] += 1;
        let prev = i.checked_sub(1).map(|p| code.instrs[p]);
        vals[g] = match prev {
            // A definition is a constant only where it is certainly bound: run exactly
            // once, on every path, before any module-level read of its name. A `def` under
            // `if`, in a loop or read before it runs is not (CPython raises NameError where
            // it has not run; a constant would call it anyway).
            Some(p)
                if p.op == Op::MakeFunction
                    && runs_once_on_every_path(code, i)
                    && !code.instrs[..i]
                        .iter()
                        .any(|x| x.op == Op::LoadGlobal && x.a == ins.a) =>
            {
                Value::Func(p.a)
            }
            Some(p) if p.op == Op::LoadConst => match code.consts[p.a as usize] {
                Const::Int(v) => Value::Int(v),
                Const::Bool(v) => Value::Bool(v),
                _ => Value::Unbound,
            },
            _ => Value::Unbound,
        };
    }
    for (g, v) in vals.iter_mut().enumerate() {
        if stores[g] != 1 {
            *v = Value::Unbound;
        }
    }
    vals
}

/// Whether instruction `i` of `code` runs exactly once whenever the code runs to its end:
/// no jump skips over it and no loop's back edge encloses it.
fn runs_once_on_every_path(code: &crate::bytecode::Code, i: usize) -> bool {
    code.instrs.iter().enumerate().all(|(j, ins)| {
        let target = if ins.op.is_jump() {
            ins.a as usize
        } else if ins.op == Op::ForRange {
            ins.b as usize
        } else {
            return true;
        };
        if target > j {
            !(j < i && i < target)
        } else {
            !(target <= i && i <= j)
        }
    })
}

/// Which exceptions compiled functions can raise (only their messages go into the file).
struct Kinds {
    overflow: bool,
    zero_div: bool,
    zero_mod: bool,
    neg_shift: bool,
    neg_pow: bool,
    recursion: bool,
    range_step: bool,
}

/// `module_too`: the module code is compiled as a function (see [`compile`]); else its own
/// exceptions are interned as its straight-line code is lowered, unless it has control flow.
fn failure_kinds(prog: &Program, module_too: bool) -> Kinds {
    let mut k = Kinds {
        overflow: false,
        zero_div: false,
        zero_mod: false,
        neg_shift: false,
        neg_pow: false,
        recursion: prog.codes.len() > 1,
        range_step: false,
    };
    // The module code's own exceptions are interned as it is lowered, unless control flow
    // (or a value its straight-line lowering does not model) makes it a compiled function.
    let module_flow = module_too
        || prog.codes[0]
            .instrs
            .iter()
            .any(|i| i.op.is_jump() || matches!(i.op, Op::ForRange | Op::RangeSetup));
    for code in prog.codes.iter().skip(usize::from(!module_flow)) {
        for ins in &code.instrs {
            match ins.op {
                Op::BinaryOp => match BinOp::ALL[ins.a as usize] {
                    BinOp::Add | BinOp::Sub | BinOp::Mul => k.overflow = true,
                    BinOp::FloorDiv => (k.zero_div, k.overflow) = (true, true),
                    BinOp::Mod => k.zero_mod = true,
                    BinOp::Pow => (k.neg_pow, k.overflow) = (true, true),
                    BinOp::LShift => (k.neg_shift, k.overflow) = (true, true),
                    BinOp::RShift => k.neg_shift = true,
                    _ => {}
                },
                Op::CallBuiltin if Builtin::ALL[ins.a as usize] == Builtin::Pow => {
                    (k.neg_pow, k.overflow) = (true, true)
                }
                Op::CallBuiltin if Builtin::ALL[ins.a as usize] == Builtin::Divmod => {
                    (k.zero_div, k.zero_mod, k.overflow) = (true, true, true)
                }
                Op::UnaryNegative | Op::CallBuiltin => k.overflow = true,
                Op::RangeSetup if ins.b == 3 => k.range_step = true,
                _ => {}
            }
        }
    }
    k
}

/// A global that shadows a builtin with a value (`print = 4`): CPython still finds the
/// builtin wherever the global is not bound yet, which compiled code (a global is bound or a
/// NameError) does not model — the module is refused, naming the assignment. (A `def` of a
/// builtin's name is a definition the analysis follows.)
/// A program that makes closures or nested functions (a def or lambda inside a function,
/// defaults made when the `def` runs) is refused, naming the first.
fn closures(prog: &Program) -> Result<(), AotError> {
    let comprehension = |i: &crate::bytecode::Instr| {
        matches!(
            prog.codes[i.a as usize].name.as_str(),
            "<listcomp>" | "<dictcomp>" | "<setcomp>" | "<genexpr>"
        )
    };
    for (k, c) in prog.codes.iter().enumerate() {
        let nested = |i: &crate::bytecode::Instr| {
            i.op == Op::MakeClosure || (k > 0 && i.op == Op::MakeFunction && !comprehension(i))
        };
        if let Some(at) = c.instrs.iter().position(nested) {
            return Err(AotError {
                line: c.positions[at].line,
                msg: "makes a closure or nested function (a def or lambda inside a function, \
                      or defaults evaluated when its def runs): not compiled ahead of time yet"
                    .into(),
            });
        }
    }
    Ok(())
}

fn shadowed_builtin(prog: &Program) -> Result<(), AotError> {
    for (g, name) in prog.globals.iter().enumerate() {
        if !crate::bytecode::Builtin::ALL
            .iter()
            .any(|b| b.name() == name.as_str())
        {
            continue;
        }
        // A `def` of the name is compiled as a definition (its reads before the def find
        // the builtin); any other store is refused.
        let Some(line) = prog
            .codes
            .iter()
            .flat_map(|c| {
                c.instrs
                    .windows(2)
                    .zip(&c.positions[1..])
                    .filter(|(w, _)| w[0].op != Op::MakeFunction)
                    .map(|(w, p)| (w[1], p.line))
                    .chain(
                        c.instrs
                            .first()
                            .copied()
                            .zip(c.positions.first().map(|p| p.line)),
                    )
            })
            .find(|(i, _)| i.op == Op::StoreGlobal && i.a as usize == g)
            .map(|(_, l)| l)
        else {
            continue; // only read or defined by a def
        };
        return Err(AotError {
            line,
            msg: format!(
                "assigns to the builtin name '{name}' (ahead of time a builtin cannot be \
                 shadowed)"
            ),
        });
    }
    Ok(())
}

/// Compiles `prog` ahead of time. `file` and `source`: the program's path as tracebacks
/// show it and its text (for the source lines in them).
pub fn compile(prog: &Program, file: &str, source: &str) -> Result<AotProgram, AotError> {
    // Generic versions where ints may outgrow 64 bits. A program that cannot have them
    // (its module code cannot be a function: a conditional `def`, a global read before
    // the module assigns it…) is compiled without them only when the result can never
    // raise the 64-bit OverflowError (nothing in it overflows at run time); otherwise it
    // is refused — compiled, it would raise an error CPython never raises.
    compile_with(prog, file, source, true).or_else(|e| {
        let p = compile_with(prog, file, source, false)?;
        let overflow = format!("{}\n", Exception::overflow().line());
        if p.strings
            .iter()
            .any(|s| s.as_slice() == overflow.as_bytes())
        {
            return Err(AotError {
                line: e.line,
                msg: format!(
                    "{} (and its ints may outgrow 64 bits, which only compiled code that can \
                     continue past them computes exactly)",
                    e.msg
                ),
            });
        }
        Ok(p)
    })
}

fn compile_with(
    prog: &Program,
    file: &str,
    source: &str,
    generic: bool,
) -> Result<AotProgram, AotError> {
    closures(prog)?;
    shadowed_builtin(prog)?;
    let strings = Strings::default();
    let intern = |e: &Exception| strings.exception(e);
    let intern_text = |t: &[u8]| {
        let mut z = t.to_vec();
        z.push(0);
        strings.id(&z)
    };
    let sites = Sites::default();
    let site = |c: u32, pc: u32| sites.id(c, pc);
    strings.id(b"Traceback (most recent call last):\n");
    let mut m = Module::new();
    let mut hosts = Hosts::declare(&mut m);
    hosts.literals = prog
        .codes
        .iter()
        .any(|c| c.consts.iter().any(|k| matches!(k, Const::Big(_))));
    let mut raise = raise_messages(
        prog,
        false,
        &strings,
        &hosts,
        (&intern, &intern_text),
        &site,
    );
    let errors = arg_messages(prog, &strings, &raise);
    let main = m.declare("py_main", sig(0));
    let globals = snapshot(prog);
    let mut lw = ModuleLowering {
        prog,
        m: &mut m,
        strings: &strings,
        hosts: &hosts,
        globals: &globals,
        ids: BTreeMap::new(),
        graph: Graph::default(),
        const_out: Some(Vec::new()),
        site: &site,
        generic,
    };
    // Globals in memory are for the module code as a function.
    let memory = memory_globals(prog, &globals);
    let symbolic = if memory.is_empty() {
        lw.lower_module()
    } else {
        Err(AotError {
            line: 0,
            msg: format!("{FALLBACK}globals in memory"),
        })
    };
    let (mut ids, mut graph, mut constant_stdout) = (lw.ids, lw.graph, lw.const_out);
    // Where an int may outgrow 64 bits at run time, functions get generic versions to
    // continue in (`lowering::BigInts`), and the module code must be a function for its
    // calls to move into its own.
    let may_overflow = generic
        && prog
            .codes
            .iter()
            .any(|c| (0..c.instrs.len()).any(|pc| lowering::overflows(c, pc)));
    let symbolic = match symbolic {
        Ok(_) if may_overflow && !graph.analyses.is_empty() => Err(AotError {
            line: 0,
            msg: format!("{FALLBACK}calls that may return ints past 64 bits"),
        }),
        s => s,
    };
    let module_fn = match symbolic {
        Ok(f) => {
            m.define(main, f).map_err(internal)?;
            None
        }
        Err(e) if e.msg.starts_with(CONTROL_FLOW) || e.msg.starts_with(FALLBACK) => {
            // A fresh module: drop what the straight-line attempt declared.
            m = Module::new();
            Hosts::declare(&mut m);
            let main2 = m.declare("py_main", sig(0));
            debug_assert_eq!(main2, main);
            // Its exceptions too, now that it is compiled as a function.
            raise = raise_messages(prog, true, &strings, &hosts, (&intern, &intern_text), &site);
            let mf = module_function(
                &mut m,
                prog,
                &globals,
                &memory,
                &hosts,
                e.line,
                may_overflow,
            )?;
            m.define(main, mf.main).map_err(internal)?;
            (ids, graph, constant_stdout) = (mf.ids, mf.graph, None);
            Some(mf.prog)
        }
        Err(e) => return Err(e),
    };
    let lprog = module_fn.as_ref().unwrap_or(prog);
    let text = PrintText::new(lprog, &graph, &strings);
    let with_generic = may_overflow && module_fn.is_some();
    let pending = 2 * graph.memory.len() as i64;
    let mut generic_ids = BTreeMap::new();
    if with_generic {
        for &c in graph.analyses.keys() {
            let name = format!("{}_generic", m.func_name(ids[&c]));
            let sig = lowering::generic_signature(&graph.params[&c]);
            generic_ids.insert(c, m.declare(&name, sig));
        }
    }
    let (no_entries, no_xfer) = (BTreeMap::new(), BTreeMap::new());
    let mut cx = LowerCtx {
        prog: lprog,
        globals: &globals,
        funcs: &ids,
        pow: hosts.pow,
        pow_mod: None,
        policy: LowerPolicy::Aot {
            raise,
            print: text.aot_print(&hosts),
            graph: &graph,
        },
        fixed: &[],
        lists: None,
        big: with_generic.then(|| hosts.big_ints(&generic_ids, &no_entries, &no_xfer, pending)),
        resume: None,
    };
    // The generic versions first: where each can be entered is what the fast versions
    // move in at.
    let (entries, slots, xfer_hosts) = if with_generic {
        let (entries, slots) = generic_versions(&mut m, &cx, &graph, &generic_ids)?;
        let xfer_hosts = declare_hand_overs(&mut m, &entries);
        (entries, slots, xfer_hosts)
    } else {
        (BTreeMap::new(), 0, BTreeMap::new())
    };
    if with_generic {
        cx.big = Some(hosts.big_ints(&generic_ids, &entries, &xfer_hosts, pending));
    }
    for (&c, an) in &graph.analyses {
        let name: String = m.func_name(ids[&c]).into();
        let code = &lprog.codes[c as usize];
        let line = code.positions.first().map_or(0, |p| p.line);
        // Each function twice: as it runs, and as it runs in the deepest frame CPython
        // allows, where its comparisons check the depth (see `lowering::Deepest`).
        // (Without comparisons the one function is both.)
        let mut variants = vec![(ids[&c], Deepest::Checked)];
        if code.instrs.iter().any(|i| i.op == Op::CompareOp) {
            let sig = m
                .signature(ids[&c])
                .cloned()
                .ok_or_else(|| internal("undeclared"))?;
            let deepest = m.declare(&format!("{name}_deepest"), sig);
            variants = vec![
                (ids[&c], Deepest::Redirect(deepest)),
                (deepest, Deepest::Checked),
            ];
        }
        for (id, how) in variants {
            let fname: String = m.func_name(id).into();
            let f =
                lowering::lower(&cx, c, an, Entry::Start, &fname, how).map_err(|e| AotError {
                    line,
                    msg: format!("`{}`: {e}", code.name),
                })?;
            m.define(id, f).map_err(|e| AotError {
                line,
                msg: format!("internal: {e}"),
            })?;
        }
    }
    Ok(AotProgram {
        module: m,
        main,
        strings: strings.table.take().0,
        errors,
        constant_stdout,
        // (rt_xfer stores three register arguments whatever the count: room for them.)
        cells: 2 * graph.memory.len() as u32
            + if with_generic {
                2 + 2 * slots as u32 + 3
            } else {
                0
            },
        frames: sites.frames(lprog, file, source),
    })
}

/// Each function's generic version (`lowering::BigInts`), defined in `m`; where each can be
/// entered (with the frame's types there), and the most slots a frame handed over has.
#[allow(clippy::type_complexity)]
fn generic_versions(
    m: &mut Module,
    cx: &LowerCtx<'_>,
    graph: &Graph,
    generic_ids: &BTreeMap<u32, FuncId>,
) -> Result<(BTreeMap<u32, BTreeMap<u32, Vec<Ty>>>, usize), AotError> {
    let (mut entries, mut slots) = (BTreeMap::new(), 0);
    for (&c, an) in &graph.analyses {
        let id = generic_ids[&c];
        let fname: String = m.func_name(id).into();
        let code = &cx.prog.codes[c as usize];
        let line = code.positions.first().map_or(0, |p| p.line);
        let (f, at) = lowering::lower_generic(cx, c, an, &fname).map_err(|e| AotError {
            line,
            msg: format!("`{}` (generic version): {e}", code.name),
        })?;
        m.define(id, f).map_err(internal)?;
        slots = at.values().map(Vec::len).fold(slots, usize::max);
        entries.insert(c, at);
    }
    Ok((entries, slots))
}

/// `rt_xfer` with each number of arguments a fast version hands a frame over with: the
/// depth, the first cell, the count, then a payload and a tag per slot (after a call, the
/// frame but the call's result).
fn declare_hand_overs(
    m: &mut Module,
    entries: &BTreeMap<u32, BTreeMap<u32, Vec<Ty>>>,
) -> BTreeMap<usize, HostId> {
    let mut hosts = BTreeMap::new();
    for types in entries.values().flat_map(|at| at.values()) {
        for n in [3 + 2 * types.len(), 1 + 2 * types.len()] {
            hosts
                .entry(n)
                .or_insert_with(|| m.declare_near_host("rt_xfer", sig(n)));
        }
    }
    hosts
}

/// An internal error (a bug here, not in the program).
fn internal(e: impl fmt::Display) -> AotError {
    AotError {
        line: 0,
        msg: format!("internal: {e}"),
    }
}

/// The message numbers of the exceptions compiled functions can raise (0 for those they
/// cannot: only needed messages go into the file).
/// How exceptions and other texts get their string numbers.
type Interners<'a> = (&'a dyn Fn(&Exception) -> i64, &'a dyn Fn(&[u8]) -> i64);

fn raise_messages<'a>(
    prog: &Program,
    module_too: bool,
    strings: &Strings,
    hosts: &Hosts,
    (intern, intern_text): Interners<'a>,
    site: &'a dyn Fn(u32, u32) -> Site,
) -> Raise<'a> {
    let can = failure_kinds(prog, module_too);
    let msg = |needed: bool, e: Exception| if needed { strings.exception(&e) } else { 0 };
    Raise {
        host: hosts.raise,
        overflow: msg(can.overflow, Exception::overflow()),
        zero_div: msg(can.zero_div, Exception::zero_division()),
        zero_mod: msg(can.zero_mod, Exception::zero_modulo()),
        neg_shift: msg(can.neg_shift, Exception::negative_shift()),
        neg_pow: msg(can.neg_pow, Exception::negative_exponent()),
        recursion: msg(can.recursion, Exception::recursion()),
        range_step: msg(can.range_step, Exception::range_step_zero()),
        intern,
        intern_text,
        set_tag: hosts.set_tag,
        get_tag: hosts.get_tag,
        cell_get: hosts.cell_get,
        cell_set: hosts.cell_set,
        arg: hosts.arg,
        sys: hosts.sys,
        site,
    }
}

/// The messages the runtime routines raise themselves: `arg(i)` of a missing or malformed
/// argument raises what the interpreter raises.
fn arg_messages(prog: &Program, strings: &Strings, raise: &Raise) -> RuntimeErrors {
    let uses_arg = prog.codes.iter().any(|c| {
        c.instrs.iter().any(|i| {
            i.op == Op::CallBuiltin
                && matches!(
                    Builtin::ALL[i.a as usize],
                    Builtin::Arg | Builtin::Argv | Builtin::ArgvInt
                )
        })
    });
    let arg_msg = |s: &[u8]| if uses_arg { strings.id(s) } else { 0 };
    let arg_exc = |e: Exception| if uses_arg { strings.exception(&e) } else { 0 };
    let no_arg = arg_exc(Exception::index_out_of_range());
    let arg_overflow = arg_exc(Exception::overflow());
    let bad_arg =
        arg_msg(alloc::format!("{}: {INVALID_INT_LITERAL}", ExcKind::ValueError.name()).as_bytes());
    let bad_arg_end = arg_msg(b"\n");
    RuntimeErrors {
        neg_pow: raise.neg_pow,
        overflow: raise.overflow,
        no_arg,
        arg_overflow,
        bad_arg,
        bad_arg_end,
        repeated: 0, // appended with the frames (image::full_image)
    }
}

/// The module code compiled as a function of its own, with everything it calls.
struct ModuleFunction {
    /// The program with the module code appended as a function.
    prog: Program,
    graph: Graph,
    ids: BTreeMap<u32, FuncId>,
    /// `py_main`: sets up the memory cells and calls the module function.
    main: ir::Function,
}

/// Analyzes the module code as a function (`line`: where the straight-line path stopped)
/// and declares it and its callees in `m`.
fn module_function(
    m: &mut Module,
    prog: &Program,
    globals: &[Value],
    memory: &BTreeMap<u32, Ty>,
    hosts: &Hosts,
    line: u32,
    generic: bool,
) -> Result<ModuleFunction, AotError> {
    let (sprog, mid) = module_as_code(prog, globals, memory);
    let g = analysis::analyze_graph(&sprog, &[mid], globals, memory, Policy::Aot).map_err(
        |(c, pc, why)| match unbound_definition(&sprog, c, pc) {
            Some(name) => refusal(
                &sprog,
                c,
                pc,
                &format!(
                    "`{name}` is not one known function here: a `def` of it may not have run, \
                     or different `def`s may have (under if/while/for, or after a break)"
                ),
                line,
            ),
            None => refusal(&sprog, c, pc, why, line),
        },
    )?;
    // Globals the functions read as constants must be set before anything can call them:
    // in the straight-line start of the module code, before its first call.
    let code0 = &prog.codes[0];
    let first_jump_or_call = straight_start(code0);
    // Which function each of the module code's calls calls (its pcs are the module code's
    // own when the rewritten code kept them one for one).
    let module_sites = g
        .analyses
        .get(&mid)
        .filter(|_| sprog.codes[mid as usize].instrs.len() == code0.instrs.len())
        .map(|a| a.call_sites.as_slice());
    // Whether calling `f` can run `c` (through the functions it calls).
    let runs = |f: u32, c: u32| {
        let mut seen = BTreeMap::new();
        let mut work = vec![f];
        while let Some(x) = work.pop() {
            if x == c {
                return true;
            }
            if seen.insert(x, ()).is_none()
                && let Some(a) = g.analyses.get(&x)
            {
                work.extend(a.callees.iter().copied());
            }
        }
        false
    };
    let can_run = |pc: usize, c: u32| {
        let site = module_sites.and_then(|s| {
            s.binary_search_by_key(&(pc as u32), |&(p, _)| p)
                .ok()
                .map(|k| s[k].1)
        });
        code0.instrs[pc].op != Op::Call || site.is_none_or(|f| runs(f, c))
    };
    for (&c, an) in &g.analyses {
        if c == mid {
            continue;
        }
        for &gl in &an.globals_read {
            let set_at = code0
                .instrs
                .iter()
                .position(|i| i.op == Op::StoreGlobal && i.a == gl);
            let bound = set_at.is_some_and(|at| {
                at <= first_jump_or_call
                    || bound_before_it_runs(code0, globals, c, gl, at, &can_run)
            });
            if !bound {
                return Err(refusal(
                    &sprog,
                    c,
                    0,
                    "reads a global that the module code may not have assigned yet when it runs",
                    line,
                ));
            }
        }
    }
    let mut ids = BTreeMap::new();
    for &c in g.analyses.keys() {
        let base = if c == mid {
            "module"
        } else {
            &sprog.codes[c as usize].name
        };
        ids.insert(c, declare_code(m, c, base, &g.params[&c]));
    }
    let mut b = FunctionBuilder::new("py_main", &[], Type::I64);
    // Globals in memory that may be unset start so (the cells start as 0s).
    for (i, t) in g.memory.values().enumerate() {
        if let Ty::Dyn(k) = *t
            && k & analysis::B_UNSET != 0
        {
            let (c, u) = (b.iconst(2 * i as i64 + 1), b.iconst(analysis::tag::UNSET));
            b.call_host(hosts.cell_set, Type::I64, &[c, u]);
        }
    }
    if generic {
        // The pending cells start empty (see `lowering::BigInts`); the runtime library
        // learns where the stack starts and where the globals are (its roots).
        let c = b.iconst(2 * g.memory.len() as i64 + 1);
        let none = b.iconst(lowering::NO_PENDING);
        b.call_host(hosts.cell_set, Type::I64, &[c, none]);
        let top = b.call_host(hosts.big.stack_top, Type::I64, &[]);
        let cells = b.call_host(hosts.big.cells, Type::I64, &[]);
        let words = b.iconst(2 * g.memory.len() as i64);
        b.call_host(hosts.big.init, Type::I64, &[top, cells, words]);
    }
    let depth = b.iconst(0);
    b.call(ids[&mid], Type::I64, &[depth]);
    let z = b.iconst(0);
    b.ret(z);
    Ok(ModuleFunction {
        main: b.finish().map_err(internal)?,
        prog: sprog,
        graph: g,
        ids,
    })
}

/// What compiled functions print with: the pieces of print's output, and the program's
/// strings in sorted order.
struct PrintText {
    /// Strings are compiled as their rank in sorted order ("" is 0), so comparing strings is
    /// comparing ranks; the runtime's table holds them in that order from `str_base` on.
    ranks: Vec<i64>,
    str_base: i64,
    space: i64,
    newline: i64,
    true_: i64,
    false_: i64,
    none: i64,
}

impl PrintText {
    fn new(lprog: &Program, graph: &Graph, strings: &Strings) -> PrintText {
        // Print pieces only if some compiled code prints (they cost bytes in every file).
        let prints = graph.analyses.keys().any(|&c| {
            lprog.codes[c as usize]
                .instrs
                .iter()
                .any(|i| i.op == Op::CallPrint)
        });
        let piece = |s: &[u8]| if prints { strings.id(s) } else { 0 };
        let (space, newline, true_, false_, none) = (
            piece(b" "),
            piece(b"\n"),
            piece(b"True"),
            piece(b"False"),
            piece(b"None"),
        );
        let mut sorted: Vec<&str> = lprog.strings.iter().map(|s| s.as_str()).collect();
        jit::sort::sort(&mut sorted);
        sorted.dedup();
        let ranks = lprog
            .strings
            .iter()
            .map(|s| sorted.binary_search(&s.as_str()).unwrap_or(0) as i64)
            .collect();
        let str_base = if prints {
            let bytes: Vec<&[u8]> = sorted.iter().map(|s| s.as_bytes()).collect();
            strings.block(&bytes)
        } else {
            0
        };
        PrintText {
            ranks,
            str_base,
            space,
            newline,
            true_,
            false_,
            none,
        }
    }

    fn aot_print(&self, hosts: &Hosts) -> lowering::AotPrint<'_> {
        lowering::AotPrint {
            print_int: hosts.print_int,
            print_str: hosts.print_str,
            str_base: self.str_base,
            ranks: &self.ranks,
            space: self.space,
            newline: self.newline,
            true_: self.true_,
            false_: self.false_,
            none: self.none,
        }
    }
}

const CONTROL_FLOW: &str = "control flow at module level";
/// What the straight-line path does not model but the module-as-a-function path may.
const FALLBACK: &str = "not straight-line: ";

/// Declares code object `c` as `py_NAME` (`py_NAME_c` when that name is taken: a function
/// defined twice, or one named like another's suffix).
fn declare_code(m: &mut Module, c: u32, name: &str, params: &[Ty]) -> FuncId {
    let mut fname = format!("py_{name}");
    if m.func_id(&fname).is_some() {
        fname = format!("py_{name}_{c}");
    }
    m.declare(&fname, lowering::signature_for(params))
}

/// abs/min/max of known ints and bools, as Python computes them (min and max return the
/// first extreme argument itself, so a bool stays a bool). None: not folded here (other
/// builtins, computed or other values, or an arity the interpreter reports).
fn fold_builtin(b: Builtin, args: &[Sv]) -> Option<Result<Value, Exception>> {
    let args: Vec<Value> = args
        .iter()
        .map(|a| match a {
            Sv::K(v) if v.as_int().is_some() => Some(*v),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let key = |v: &Value| v.as_int().unwrap_or(0);
    match b {
        Builtin::Abs if args.len() == 1 => Some(
            key(&args[0])
                .checked_abs()
                .map(Value::Int)
                .ok_or_else(Exception::overflow),
        ),
        Builtin::Min | Builtin::Max if args.len() >= 2 => {
            let mut best = args[0];
            for a in &args[1..] {
                let better = if b == Builtin::Min {
                    key(a) < key(&best)
                } else {
                    key(a) > key(&best)
                };
                if better {
                    best = *a;
                }
            }
            Some(Ok(best))
        }
        _ => None,
    }
}

/// When instruction `pc` of code `c` reads a module-level name that only `def`s assign
/// (the module code as a function keeps it in a local): that name.
fn unbound_definition(prog: &Program, c: u32, pc: u32) -> Option<&str> {
    let code = prog.codes.get(c as usize)?;
    let ins = code.instrs.get(pc as usize)?;
    if code.name != "<module>" || ins.op != Op::LoadFast {
        return None;
    }
    let name = code.local_names.get(ins.a as usize)?;
    let stores: Vec<usize> = code
        .instrs
        .iter()
        .enumerate()
        .filter(|(_, i)| i.op == Op::StoreFast && i.a == ins.a)
        .map(|(k, _)| k)
        .collect();
    let all_defs = !stores.is_empty()
        && stores
            .iter()
            .all(|&k| k > 0 && code.instrs[k - 1].op == Op::MakeFunction);
    all_defs.then_some(name.as_str())
}

/// Why a code object is refused, at the line of instruction `pc` (or `fallback`).
fn refusal(prog: &Program, c: u32, pc: u32, why: &str, fallback: u32) -> AotError {
    let code = &prog.codes[c as usize];
    let what = if code.name == "<module>" {
        String::from("the module code")
    } else {
        format!("function `{}`", code.name)
    };
    AotError {
        line: code.positions.get(pc as usize).map_or(fallback, |p| p.line),
        msg: format!(
            "{what} is not compiled ahead of time: {why} (compiled code holds ints, bools, \
             None and the program's string constants, and calls functions known when it is \
             compiled)"
        ),
    }
}

/// The module code as a function of its own (appended to a copy of the program): globals
/// the module assigns become its locals, except definitions, which stay (constant) globals.
fn module_as_code(prog: &Program, globals: &[Value], memory: &BTreeMap<u32, Ty>) -> (Program, u32) {
    let mut p = prog.clone();
    let mut c = prog.codes[0].clone();
    c.name = String::from("<module>");
    c.nparams = 0;
    let mut slot: BTreeMap<u32, u32> = BTreeMap::new();
    for (i, ins) in prog.codes[0].instrs.iter().enumerate() {
        if ins.op != Op::StoreGlobal || memory.contains_key(&ins.a) {
            continue;
        }
        let def = matches!(globals[ins.a as usize], Value::Func(_))
            && i > 0
            && prog.codes[0].instrs[i - 1].op == Op::MakeFunction;
        if def {
            // The definition is the snapshot's constant.
            c.instrs[i - 1].op = Op::Nop;
            c.instrs[i].op = Op::Nop;
        } else if !matches!(globals[ins.a as usize], Value::Func(_)) && !slot.contains_key(&ins.a) {
            slot.insert(ins.a, c.nlocals);
            c.nlocals += 1;
            c.local_names.push(prog.globals[ins.a as usize].clone());
        }
    }
    for ins in c.instrs.iter_mut() {
        match ins.op {
            Op::LoadGlobal if slot.contains_key(&ins.a) => {
                ins.op = Op::LoadFast;
                ins.a = slot[&ins.a];
            }
            Op::StoreGlobal if slot.contains_key(&ins.a) => {
                ins.op = Op::StoreFast;
                ins.a = slot[&ins.a];
            }
            _ => {}
        }
    }
    p.codes.push(c);
    let id = p.codes.len() as u32 - 1;
    (p, id)
}

struct ModuleLowering<'a> {
    prog: &'a Program,
    m: &'a mut Module,
    strings: &'a Strings,
    hosts: &'a Hosts,
    globals: &'a [Value],
    ids: BTreeMap<u32, FuncId>,
    graph: Graph,
    /// Everything printed so far, while all of it is known at compile time.
    const_out: Option<Vec<u8>>,
    /// The source site of (code, pc).
    site: &'a dyn Fn(u32, u32) -> Site,
    /// Ints may outgrow 64 bits (functions get generic versions): arithmetic that could
    /// leaves the straight-line path for the module code as a function.
    generic: bool,
}

/// Why the straight-line path gives way to the module code as a function (with generic
/// versions, which continue past 64 bits).
const PAST_64_BITS: &str = "an int that may outgrow 64 bits";

impl ModuleLowering<'_> {
    /// With generic versions, the straight-line path takes no arithmetic that could
    /// overflow: the module code as a function does it.
    fn past_64_bits(&self, mc: &ModuleCode, e: &Exception) -> Result<(), AotError> {
        if self.generic && *e == Exception::overflow() {
            return Err(AotError {
                line: mc.line,
                msg: format!("{FALLBACK}{PAST_64_BITS}"),
            });
        }
        Ok(())
    }

    /// Declares `f` (called with ints) and everything it calls; its return and parameter
    /// types. Functions already declared must come out the same.
    fn need_function(&mut self, f: u32, line: u32) -> Result<(Ty, Vec<Ty>), AotError> {
        let g =
            analysis::analyze_graph(self.prog, &[f], self.globals, &BTreeMap::new(), Policy::Aot)
                .map_err(|(c, pc, why)| refusal(self.prog, c, pc, why, line))?;
        for (c, an) in g.analyses {
            let (ret, params) = (g.returns[&c], &g.params[&c]);
            if self.ids.contains_key(&c) {
                if self.graph.returns[&c] != ret || &self.graph.params[&c] != params {
                    return Err(AotError {
                        line,
                        msg: format!("{FALLBACK}a function called with different kinds of values"),
                    });
                }
                continue;
            }
            let name = &self.prog.codes[c as usize].name;
            self.ids.insert(c, declare_code(self.m, c, name, params));
            self.graph.analyses.insert(c, an);
            self.graph.returns.insert(c, ret);
            self.graph.params.insert(c, params.clone());
        }
        Ok((self.graph.returns[&f], self.graph.params[&f].clone()))
    }

    /// The module code executed symbolically (see the module docs): constants stay
    /// constants; calls into compiled functions and what is computed from them become IR.
    fn lower_module(&mut self) -> Result<ir::Function, AotError> {
        let code = &self.prog.codes[0];
        let mut mc = ModuleCode {
            b: FunctionBuilder::new("py_main", &[], Type::I64),
            stack: Vec::new(),
            globals: BTreeMap::new(),
            line: 0,
        };
        for (pc, &ins) in code.instrs.iter().enumerate() {
            mc.line = code.positions[pc].line;
            mc.b.set_site((self.site)(0, pc as u32));
            match self.step(&mut mc, ins)? {
                Step::Next => {}
                Step::Return => {
                    let z = mc.b.iconst(0);
                    mc.b.ret(z);
                    break;
                }
                Step::Raise(e) => {
                    // Raises `e` at run time (after the output so far) and ends the module
                    // code.
                    self.const_out = None;
                    let k = self.strings.exception(&e);
                    let k = mc.b.iconst(k);
                    mc.b.call_host(self.hosts.raise, Type::I64, &[k]);
                    let z = mc.b.iconst(0);
                    mc.b.ret(z);
                    break;
                }
            }
        }
        mc.b.finish().map_err(internal)
    }

    /// One instruction of the module code.
    fn step(&mut self, mc: &mut ModuleCode, ins: Instr) -> Result<Step, AotError> {
        let prog = self.prog;
        let code = &prog.codes[0];
        match ins.op {
            Op::Nop => {}
            Op::DeleteFast | Op::DeleteGlobal => return Err(mc.unsupported("del")),
            Op::BuildList | Op::ListAppend | Op::ListExtend | Op::CallFunctionEx => {
                return Err(mc.unsupported("lists"));
            }
            Op::BuildMap | Op::MapAdd | Op::DictMerge => return Err(mc.unsupported("dicts")),
            Op::BuildSet | Op::SetAdd => return Err(mc.unsupported("sets")),
            Op::CallKw => return Err(mc.unsupported("keyword arguments to a function value")),
            Op::LoadAttr => return Err(mc.unsupported("methods as values")),
            Op::UnpackEx => return Err(mc.unsupported("starred unpacking")),
            Op::MakeCell
            | Op::LoadDeref
            | Op::StoreDeref
            | Op::DeleteDeref
            | Op::LoadClosure
            | Op::MakeClosure => return Err(mc.unsupported("nested functions")),
            Op::FormatValue | Op::BuildString => return Err(mc.unsupported("f-strings")),
            Op::BuildTuple => return Err(mc.unsupported("tuples")),
            Op::BinarySubscr | Op::StoreSubscr | Op::DeleteSubscr => {
                return Err(mc.unsupported("subscripts"));
            }
            Op::GetIter | Op::ForIter => {
                return Err(mc.unsupported("loops over anything but range()"));
            }
            Op::ContainsOp => return Err(mc.unsupported("'in'")),
            Op::IsOp => return Err(mc.unsupported("'is'")),
            Op::CallMethod | Op::LoadMethod => return Err(mc.unsupported("method calls")),
            Op::LoadConst => match &code.consts[ins.a as usize] {
                Const::Int(v) => mc.stack.push(Sv::K(Value::Int(*v))),
                Const::Bool(v) => mc.stack.push(Sv::K(Value::Bool(*v))),
                Const::None => mc.stack.push(Sv::K(Value::None)),
                Const::Str(s) => mc.stack.push(Sv::K(Value::Str(*s))),
                Const::Big(_) => return Err(mc.unsupported("an int literal past 64 bits")),
                Const::Error(kind, msg) => {
                    return Ok(Step::Raise(Exception::new(*kind, msg.clone())));
                }
            },
            Op::LoadGlobal => match mc.globals.get(&ins.a) {
                Some(v) => mc.stack.push(*v),
                None => {
                    let name = &prog.globals[ins.a as usize];
                    match Builtin::ALL.iter().position(|b| b.name() == name) {
                        Some(i) => mc.stack.push(Sv::K(Value::Builtin(i as u8))),
                        None => {
                            // Exactly what is bound by now, as the module runs straight.
                            let mut bound: Vec<&str> = mc
                                .globals
                                .keys()
                                .map(|&g| prog.globals[g as usize].as_str())
                                .collect();
                            bound.extend(crate::suggest::MODULE_DUNDERS);
                            let e = Exception::name_not_defined_among(name, &bound, &bound);
                            return Ok(Step::Raise(e));
                        }
                    }
                }
            },
            Op::StoreGlobal => {
                let v = mc.pop()?;
                mc.globals.insert(ins.a, v);
            }
            Op::MakeFunction => mc.stack.push(Sv::K(Value::Func(ins.a))),
            Op::LoadFast | Op::StoreFast => return Err(mc.unsupported("a module-level local")),
            Op::BinaryOp => return self.binary(mc, BinOp::ALL[ins.a as usize], ins.b == 1),
            Op::CompareOp => {
                let (y, x) = (mc.pop()?, mc.pop()?);
                let op = CmpOp::ALL[ins.a as usize];
                match (x, y) {
                    (Sv::K(a), Sv::K(c)) => match value::compare(op, a, c, &prog.strings) {
                        Ok(r) => mc.stack.push(Sv::K(Value::Bool(r))),
                        Err(e) => return Ok(Step::Raise(e)),
                    },
                    _ => {
                        let (Some(xv), Some(yv)) = (mc.num(x), mc.num(y)) else {
                            return Err(
                                mc.unsupported("comparing a computed value with a non-number")
                            );
                        };
                        let c = mc.b.cmp(lowering::ir_cmp(op), xv, yv);
                        let v = lowering::zero_one(&mut mc.b, c);
                        mc.stack.push(Sv::D(v, Ty::Bool));
                    }
                }
            }
            Op::UnaryNegative | Op::UnaryPositive | Op::UnaryInvert | Op::UnaryNot => {
                return self.unary(mc, ins.op);
            }
            Op::CallPrint => self.print(mc, ins.a as usize, ins.b)?,
            Op::CallBuiltin => {
                let args = mc.pop_n(ins.b as usize)?;
                let builtin = Builtin::ALL[ins.a as usize];
                if builtin == Builtin::Arg {
                    return Err(mc.unsupported("arg() outside a function body"));
                }
                if !matches!(builtin, Builtin::Abs | Builtin::Min | Builtin::Max) {
                    return Err(mc.unsupported(&format!("builtin {}()", builtin.name())));
                }
                match fold_builtin(builtin, &args) {
                    Some(Ok(v)) => mc.stack.push(Sv::K(v)),
                    Some(Err(e)) => {
                        self.past_64_bits(mc, &e)?;
                        return Ok(Step::Raise(e));
                    }
                    None => {
                        return Err(mc.unsupported(&format!(
                            "{}() of computed or non-int values at module level",
                            builtin.name()
                        )));
                    }
                }
            }
            Op::Call => return self.call(mc, ins.a as usize),
            Op::PopTop => {
                mc.pop()?;
            }
            Op::DupTop => {
                let v = *mc.stack.last().ok_or_else(|| mc.underflow())?;
                mc.stack.push(v);
            }
            Op::RotTwo => {
                let l = mc.stack.len();
                if l < 2 {
                    return Err(mc.underflow());
                }
                mc.stack.swap(l - 1, l - 2);
            }
            Op::RotThree => {
                let c = mc.pop()?;
                let l = mc.stack.len();
                if l < 2 {
                    return Err(mc.underflow());
                }
                mc.stack.insert(l - 2, c);
            }
            Op::ReturnValue => return Ok(Step::Return),
            Op::YieldValue => return Err(mc.unsupported("generators")),
            Op::RaiseConst => {
                if let Const::Error(kind, msg) = &code.consts[ins.a as usize] {
                    return Ok(Step::Raise(Exception::new(*kind, msg.clone())));
                }
                return Err(mc.unsupported("this raise"));
            }
            Op::UnpackNonIterable | Op::UnpackSequence => {
                let t = match mc.pop()? {
                    Sv::K(Value::Str(_)) => return Err(mc.unsupported("unpacking a string")),
                    Sv::K(v) => v.type_name(),
                    Sv::D(_, Ty::Bool) => "bool",
                    Sv::D(..) => "int",
                };
                return Ok(Step::Raise(Exception::cannot_unpack(t)));
            }
            Op::Raise => {
                let mut msg = String::new();
                if ins.b != 0 {
                    match mc.pop()? {
                        // A KeyError's message is its argument's repr().
                        Sv::K(Value::Str(k)) if ins.b == 2 => {
                            msg = crate::objects::py_repr(&self.prog.strings[k as usize])
                        }
                        Sv::K(v) => {
                            // Compiled code has no big ints.
                            let none = crate::bigint::BigHeap::default();
                            crate::value::write_value(&mut msg, self.prog, &none, v)
                                .map_err(|_| mc.unsupported("this message"))?
                        }
                        Sv::D(..) => {
                            return Err(
                                mc.unsupported("an exception's message computed at run time")
                            );
                        }
                    }
                }
                return Ok(Step::Raise(Exception::new(
                    ExcKind::RAISABLE[ins.a as usize],
                    msg,
                )));
            }
            Op::PopJumpIfFalse
            | Op::PopJumpIfTrue
            | Op::JumpIfFalseOrPop
            | Op::JumpIfTrueOrPop
            | Op::JumpForward
            | Op::JumpBackward
            | Op::RangeSetup
            | Op::ForRange => {
                return Err(AotError {
                    line: mc.line,
                    msg: String::from(CONTROL_FLOW),
                });
            }
        }
        Ok(Step::Next)
    }

    /// A block that raises the exception with message number `k` and ends the module code.
    fn raise_block(&self, b: &mut FunctionBuilder, k: i64) -> ir::Block {
        let here = b.current_block();
        let blk = b.create_block();
        b.switch_to(blk);
        let k = b.iconst(k);
        b.call_host(self.hosts.raise, Type::I64, &[k]);
        let z = b.iconst(0);
        b.ret(z);
        b.switch_to(here);
        blk
    }

    fn binary(&mut self, mc: &mut ModuleCode, op: BinOp, in_place: bool) -> Result<Step, AotError> {
        let (y, x) = (mc.pop()?, mc.pop()?);
        // A string made (`+`, `*`, `%` of a string): only the interpreter's objects can.
        let sample = |v: Sv| match v {
            Sv::K(k) => k,
            Sv::D(_, Ty::Bool) => Value::Bool(true),
            Sv::D(..) => Value::Int(1),
        };
        if value::string_op(op, sample(x), sample(y)).is_some() {
            return Err(mc.unsupported("computes a string"));
        }
        if let (Sv::K(a), Sv::K(c)) = (x, y) {
            match value::binary_op_of(op, in_place, a, c) {
                Ok(v) => mc.stack.push(Sv::K(v)),
                Err(e) => {
                    self.past_64_bits(mc, &e)?;
                    return Ok(Step::Raise(e));
                }
            }
            return Ok(Step::Next);
        }
        // A computed int meets a constant: a non-number raises TypeError (the message
        // depends only on the types).
        for (k, other) in [(x, y), (y, x)] {
            if let Sv::K(kv) = k
                && kv.as_int().is_none()
            {
                let (l, r) = if k == x {
                    (kv, sample(other))
                } else {
                    (sample(other), kv)
                };
                if let Err(e) = value::binary_op_of(op, in_place, l, r) {
                    return Ok(Step::Raise(e));
                }
            }
        }
        let (Some(xv), Some(yv)) = (mc.num(x), mc.num(y)) else {
            return Err(mc.unsupported("arithmetic on a computed non-number"));
        };
        if matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul) {
            self.past_64_bits(mc, &Exception::overflow())?;
        }
        let b = &mut mc.b;
        let r = match op {
            BinOp::Add | BinOp::Sub | BinOp::Mul => {
                let k = self.strings.exception(&Exception::overflow());
                let f = self.raise_block(b, k);
                b.checked(lowering::overflow_checked(op), xv, yv, f, &[])
            }
            BinOp::Mod => {
                let k = self.strings.exception(&Exception::zero_modulo());
                let f = self.raise_block(b, k);
                b.checked(CheckedOp::ModF, xv, yv, f, &[])
            }
            BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor
                if !matches!((x, y), (Sv::D(_, Ty::Bool), _) | (_, Sv::D(_, Ty::Bool))) =>
            {
                let o = match op {
                    BinOp::BitAnd => ir::BinOp::And,
                    BinOp::BitOr => ir::BinOp::Or,
                    _ => ir::BinOp::Xor,
                };
                b.binary(o, xv, yv)
            }
            _ => {
                return Err(mc.unsupported(&format!(
                    "`{}` on a computed value at module level",
                    op.symbol()
                )));
            }
        };
        mc.stack.push(Sv::D(r, Ty::Int));
        Ok(Step::Next)
    }

    fn unary(&mut self, mc: &mut ModuleCode, op: Op) -> Result<Step, AotError> {
        let r = match mc.pop()? {
            Sv::K(a) => {
                let r = match op {
                    Op::UnaryNegative => value::negate(a),
                    Op::UnaryPositive => value::positive(a),
                    Op::UnaryInvert => value::invert(a),
                    _ => Ok(Value::Bool(!a.truthy())),
                };
                match r {
                    Ok(v) => Sv::K(v),
                    Err(e) => {
                        self.past_64_bits(mc, &e)?;
                        return Ok(Step::Raise(e));
                    }
                }
            }
            Sv::D(v, _) => {
                if op == Op::UnaryNegative {
                    self.past_64_bits(mc, &Exception::overflow())?;
                }
                let b = &mut mc.b;
                let z = b.iconst(0);
                match op {
                    Op::UnaryNegative => {
                        let k = self.strings.exception(&Exception::overflow());
                        let blk = self.raise_block(b, k);
                        Sv::D(b.checked(CheckedOp::Sub, z, v, blk, &[]), Ty::Int)
                    }
                    Op::UnaryPositive => Sv::D(v, Ty::Int),
                    Op::UnaryInvert => Sv::D(b.unary(ir::UnOp::Not, v), Ty::Int),
                    _ => {
                        let c = b.cmp(Cmp::Eq, v, z);
                        Sv::D(lowering::zero_one(b, c), Ty::Bool)
                    }
                }
            }
        };
        mc.stack.push(r);
        Ok(Step::Next)
    }

    /// `print(…)` of `n` values: the known text as one string, computed values between.
    fn print(&mut self, mc: &mut ModuleCode, n: usize, flags: u32) -> Result<(), AotError> {
        if flags & crate::bytecode::PRINT_STDERR != 0 {
            return Err(mc.unsupported("prints to stderr"));
        }
        let kw = mc.pop_n(print_keywords(flags) as usize)?;
        let prog = self.prog;
        let text_of = |s: Option<&Sv>, default: &'static str| -> Option<String> {
            match s {
                None | Some(Sv::K(Value::None)) => Some(default.into()),
                Some(Sv::K(Value::Str(id))) => Some(prog.strings[*id as usize].clone()),
                Some(_) => None,
            }
        };
        let (sep, end) = print_sep_end(flags, &kw.iter().collect::<Vec<_>>());
        let (Some(sep), Some(end)) = (text_of(sep, " "), text_of(end, "\n")) else {
            return Err(mc.unsupported("print's sep or end computed at run time"));
        };
        let args = mc.pop_n(n)?;
        let (hosts, b) = (self.hosts, &mut mc.b);
        let mut text = String::new();
        for (i, a) in args.iter().enumerate() {
            if i > 0 {
                text.push_str(&sep);
            }
            match *a {
                Sv::K(v) => {
                    // Compiled code has no big ints: every constant here prints.
                    let none = crate::bigint::BigHeap::default();
                    let _ = value::write_value(&mut text, self.prog, &none, v);
                }
                Sv::D(v, ty) => {
                    if !text.is_empty() {
                        let k = self.strings.id(text.as_bytes());
                        let k = b.iconst(k);
                        b.call_host(hosts.print_str, Type::I64, &[k]);
                        text.clear();
                    }
                    if ty == Ty::Bool {
                        let (t, f) = (self.strings.id(b"True"), self.strings.id(b"False"));
                        let (t, f) = (b.iconst(t), b.iconst(f));
                        let z = b.iconst(0);
                        let c = b.cmp(Cmp::Ne, v, z);
                        let k = b.select(c, t, f);
                        b.call_host(hosts.print_str, Type::I64, &[k]);
                    } else {
                        b.call_host(hosts.print_int, Type::I64, &[v]);
                    }
                }
            }
        }
        text.push_str(&end);
        if args.iter().any(|a| matches!(a, Sv::D(..))) {
            self.const_out = None;
        }
        if let Some(out) = &mut self.const_out {
            out.extend(text.as_bytes());
        }
        let k = self.strings.id(text.as_bytes());
        let k = b.iconst(k);
        b.call_host(hosts.print_str, Type::I64, &[k]);
        mc.stack.push(Sv::K(Value::None));
        Ok(())
    }

    /// A call with `n` arguments: of a builtin through its name (folded), or of a
    /// function, which is compiled with everything it calls.
    fn call(&mut self, mc: &mut ModuleCode, n: usize) -> Result<Step, AotError> {
        let prog = self.prog;
        let line = mc.line;
        let args = mc.pop_n(n)?;
        let f = match mc.pop()? {
            Sv::K(Value::Func(f)) => f,
            Sv::K(Value::Builtin(bi)) => {
                let builtin = Builtin::ALL[bi as usize];
                match fold_builtin(builtin, &args) {
                    Some(Ok(v)) => mc.stack.push(Sv::K(v)),
                    Some(Err(e)) => {
                        self.past_64_bits(mc, &e)?;
                        return Ok(Step::Raise(e));
                    }
                    None => {
                        return Err(mc.unsupported(&format!(
                            "calling {}() through its name with these arguments",
                            builtin.name()
                        )));
                    }
                }
                return Ok(Step::Next);
            }
            Sv::K(v) => return Ok(Step::Raise(Exception::not_callable(v.type_name()))),
            Sv::D(_, t) => {
                let name = if t == Ty::Bool { "bool" } else { "int" };
                return Ok(Step::Raise(Exception::not_callable(name)));
            }
        };
        let target = &prog.codes[f as usize];
        if target.shape.extra() {
            return Err(mc.unsupported(&format!(
                "calls `{}`, which has *args, **kwargs or keyword-only parameters",
                target.name
            )));
        }
        if !target.takes(n) {
            return Ok(Step::Raise(target.arity_error(n)));
        }
        let Some(defaults) = target.int_defaults_after(n) else {
            return Err(mc.unsupported(&format!(
                "calls `{}` leaving out a parameter whose default is not an int",
                target.name
            )));
        };
        let mut irargs = Vec::with_capacity(n + 1);
        for a in &args {
            match *a {
                Sv::K(Value::Int(i)) => irargs.push(mc.b.iconst(i)),
                Sv::D(v, Ty::Int) => irargs.push(v),
                _ => {
                    return Err(mc.unsupported(&format!(
                        "calls `{}` with a value that is not an int",
                        target.name
                    )));
                }
            }
        }
        // The parameters left out: their defaults.
        for d in defaults {
            irargs.push(mc.b.iconst(d));
        }
        self.const_out = None;
        let (ret, params) = self.need_function(f, line)?;
        if matches!(ret, Ty::Dyn(_)) {
            return Err(mc.unsupported("a result of several kinds"));
        }
        // The constants compiled functions read must be what the module code has set by now.
        for an in self.graph.analyses.values() {
            for &g in &an.globals_read {
                if mc.globals.get(&g) != Some(&Sv::K(self.globals[g as usize])) {
                    return Err(AotError {
                        line,
                        msg: format!(
                            "a compiled function reads global `{}`, which is not assigned \
                             exactly once before this call",
                            prog.globals[g as usize]
                        ),
                    });
                }
            }
        }
        let b = &mut mc.b;
        irargs.push(b.iconst(1)); // call depth of the module's callees
        // Parameters that also take other kinds (from calls elsewhere) get a tag.
        for p in &params {
            if matches!(p, Ty::Dyn(_)) {
                irargs.push(b.iconst(analysis::tag::INT));
            }
        }
        let r = b.call(self.ids[&f], Type::I64, &irargs);
        // A string or None result is known from the type alone.
        mc.stack.push(match ret {
            Ty::Str(k) => Sv::K(Value::Str(k)),
            Ty::NoneV => Sv::K(Value::None),
            t => Sv::D(r, t),
        });
        Ok(Step::Next)
    }
}

/// What follows an instruction of the module code.
enum Step {
    Next,
    Return,
    /// It raises (at run time, after the output so far): the module code ends.
    Raise(Exception),
}

/// The state of the module code's symbolic execution.
struct ModuleCode {
    b: FunctionBuilder,
    stack: Vec<Sv>,
    /// The value each global holds by now.
    globals: BTreeMap<u32, Sv>,
    /// The line of the instruction being lowered.
    line: u32,
}

impl ModuleCode {
    fn underflow(&self) -> AotError {
        AotError {
            line: self.line,
            msg: "internal: stack underflow".into(),
        }
    }

    /// What the straight-line path does not model (the module-as-a-function path may).
    fn unsupported(&self, what: &str) -> AotError {
        AotError {
            line: self.line,
            msg: format!("{FALLBACK}{what}"),
        }
    }

    fn pop(&mut self) -> Result<Sv, AotError> {
        self.stack.pop().ok_or_else(|| self.underflow())
    }

    /// The top `n` values, bottom first.
    fn pop_n(&mut self, n: usize) -> Result<Vec<Sv>, AotError> {
        let at = self
            .stack
            .len()
            .checked_sub(n)
            .ok_or_else(|| self.underflow())?;
        Ok(self.stack.split_off(at))
    }

    /// The IR value of a numeric operand.
    fn num(&mut self, v: Sv) -> Option<ir::Value> {
        match v {
            Sv::D(x, _) => Some(x),
            Sv::K(k) => k.as_int().map(|i| self.b.iconst(i)),
        }
    }
}
