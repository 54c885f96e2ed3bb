//! The AOT runtime: the few routines compiled code calls (entry, buffered printing of ints
//! and strings, raise with CPython's last line and exit code 1, `arg`, `pow`, exit),
//! emitted directly as machine code. No libc: they make the syscalls themselves.

use crate::traceback::RECURSIVE_CUTOFF;
use Gpr::*;
use alloc::vec;
use alloc::vec::Vec;
use jit::emit::{Alu, Cond, Emitter, Gpr, Label, Mem, Reloc, Shift};
use jit::ir::FuncId;
use rt::sys::raw::nr;

/// Syscall numbers as immediates (rt spells them, for its own `syscall` instructions).
const SYS_WRITE: i64 = nr::WRITE as i64;
const SYS_EXIT_GROUP: i64 = nr::EXIT_GROUP as i64;

/// Data items the runtime code refers to RIP-relatively.
pub const DATA_STRINGS: u32 = 0;
pub const DATA_OUTPUT: u32 = 1;
/// The call-site table tracebacks walk (see `image::call_site_table`).
pub const DATA_SITES: u32 = 2;
/// The landings of calls (`rt_land`'s table, see `image::landing_table`).
pub const DATA_LANDINGS: u32 = 3;
/// The strings of CPython's summary of a run of identical frames, in order:
/// `  [Previous line repeated N more time(s)]`.
pub const REPEATED: [&[u8]; 4] = [b"  [Previous line repeated ", b" more time", b"s", b"]\n"];
/// Bytes of the stdout buffer (the bss item is 8 bytes of length, then the buffer, then
/// the cell that carries the tag of a result of several kinds from `return` to the caller).
pub const OUTPUT_CAP: u64 = 4096;
const TAG_CELL: i32 = 8 + OUTPUT_CAP as i32;
/// The stack pointer `_start` found (argc, argv…), for `arg()`.
const ARGS_CELL: i32 = TAG_CELL + 8;
/// Where the cells of globals kept in memory start, in the [`DATA_OUTPUT`] item.
const CELLS: i32 = ARGS_CELL + 8;
/// Bytes of the [`DATA_OUTPUT`] bss item before the cells ([`AotProgram::cells`]).
pub const OUTPUT_SIZE: u64 = 24 + OUTPUT_CAP;

/// The runtime routines' machine code.
#[derive(Clone, Debug)]
pub struct Runtime {
    pub code: Vec<u8>,
    /// CallRel32 (to `py_main`) and DataRel32 ([`DATA_STRINGS`], [`DATA_OUTPUT`]).
    pub relocs: Vec<Reloc>,
    /// Routine names and offsets; `_start` first.
    pub routines: Vec<(&'static str, u32)>,
}

/// Writes Python's `repr` of the NUL-terminated text at `text` to stderr: in '…' unless it
/// holds a ' and no ", then in "…"; backslash, the quote, \n \r \t and other control
/// characters escaped (`\x1b`). Clobbers every register but rbx and rbp; `write_all` is
/// the routine writing rdx bytes at rsi to fd rdi.
fn emit_repr(e: &mut Emitter, text: Gpr, write_all: Label) {
    let l = |e: &mut Emitter| e.new_label();
    // Which quote: R14 = a ' was seen, R15 = a " was seen.
    let (scan, scanned, not_sq, not_dq, quote_ok) = (l(e), l(e), l(e), l(e), l(e));
    e.zero(R14);
    e.zero(R15);
    e.mov_rr(R10, text);
    e.bind(scan);
    e.movzx_rm8(Rcx, m(R10, 0));
    e.test_rr(Rcx, Rcx);
    e.jcc(Cond::E, scanned);
    e.alu_ri(Alu::Cmp, Rcx, b'\'' as i32);
    e.jcc(Cond::Ne, not_sq);
    e.mov_ri(R14, 1);
    e.bind(not_sq);
    e.alu_ri(Alu::Cmp, Rcx, b'"' as i32);
    e.jcc(Cond::Ne, not_dq);
    e.mov_ri(R15, 1);
    e.bind(not_dq);
    e.alu_ri(Alu::Add, R10, 1);
    e.jmp(scan);
    e.bind(scanned);
    e.mov_ri(R13, b'\'' as i64);
    e.test_rr(R14, R14);
    e.jcc(Cond::E, quote_ok);
    e.test_rr(R15, R15);
    e.jcc(Cond::Ne, quote_ok);
    e.mov_ri(R13, b'"' as i64);
    e.bind(quote_ok);
    // A 16-byte buffer on the stack; `out` writes its first rdx bytes.
    e.alu_ri(Alu::Sub, Rsp, 16);
    let out = |e: &mut Emitter, n: i64| {
        e.mov_rr(Rsi, Rsp);
        e.mov_ri(Rdx, n);
        e.mov_ri(Rdi, 2);
        e.call_label(write_all);
    };
    let put = |e: &mut Emitter, at: i32, byte: u8| {
        e.mov_ri(Rax, byte as i64);
        e.mov_m8r(m(Rsp, at), Rax);
    };
    e.mov_m8r(m(Rsp, 0), R13);
    out(e, 1);
    let (top, done, next, plain, control) = (l(e), l(e), l(e), l(e), l(e));
    e.bind(top);
    e.movzx_rm8(Rcx, m(text, 0));
    e.test_rr(Rcx, Rcx);
    e.jcc(Cond::E, done);
    // Two-character escapes: backslash, the quote, \n, \r, \t.
    for (c, esc) in [(b'\\', b'\\'), (b'\n', b'n'), (b'\r', b'r'), (b'\t', b't')] {
        let skip = l(e);
        e.alu_ri(Alu::Cmp, Rcx, c as i32);
        e.jcc(Cond::Ne, skip);
        put(e, 0, b'\\');
        put(e, 1, esc);
        out(e, 2);
        e.jmp(next);
        e.bind(skip);
    }
    let not_quote = l(e);
    e.alu_rr(Alu::Cmp, Rcx, R13);
    e.jcc(Cond::Ne, not_quote);
    put(e, 0, b'\\');
    e.mov_m8r(m(Rsp, 1), R13);
    out(e, 2);
    e.jmp(next);
    e.bind(not_quote);
    e.alu_ri(Alu::Cmp, Rcx, 0x20);
    e.jcc(Cond::B, control);
    e.alu_ri(Alu::Cmp, Rcx, 0x7f);
    e.jcc(Cond::Ne, plain);
    // \xNN, lowercase hex.
    e.bind(control);
    put(e, 0, b'\\');
    put(e, 1, b'x');
    for (at, shift) in [(2, 4u8), (3, 0u8)] {
        let (digit, store) = (l(e), l(e));
        e.mov_rr(Rax, Rcx);
        if shift > 0 {
            e.shift_ri(Shift::Shr, Rax, shift);
        }
        e.alu_ri(Alu::And, Rax, 15);
        e.alu_ri(Alu::Cmp, Rax, 10);
        e.jcc(Cond::B, digit);
        e.alu_ri(Alu::Add, Rax, (b'a' - 10) as i32);
        e.jmp(store);
        e.bind(digit);
        e.alu_ri(Alu::Add, Rax, b'0' as i32);
        e.bind(store);
        e.mov_m8r(m(Rsp, at), Rax);
    }
    out(e, 4);
    e.jmp(next);
    e.bind(plain);
    e.mov_m8r(m(Rsp, 0), Rcx);
    out(e, 1);
    e.bind(next);
    e.alu_ri(Alu::Add, text, 1);
    e.jmp(top);
    e.bind(done);
    e.mov_m8r(m(Rsp, 0), R13);
    out(e, 1);
    e.alu_ri(Alu::Add, Rsp, 16);
}

/// The decimal digits of the unsigned rax, written backwards to end where rsi points; rsi
/// ends at the first digit. Clobbers rax, rcx and rdx.
fn emit_digits(e: &mut Emitter) {
    let digit = e.new_label();
    e.mov_ri(Rcx, 10);
    e.bind(digit);
    e.zero(Rdx);
    e.div_r(Rcx);
    e.alu_ri(Alu::Add, Rdx, b'0' as i32);
    e.alu_ri(Alu::Sub, Rsi, 1);
    e.mov_m8r(m(Rsi, 0), Rdx);
    e.test_rr(Rax, Rax);
    e.jcc(Cond::Ne, digit);
}

/// rdx = the length of the NUL-terminated text at rsi. Clobbers rax.
fn emit_strlen(e: &mut Emitter) {
    let (top, done) = (e.new_label(), e.new_label());
    e.zero(Rdx);
    e.bind(top);
    e.movzx_rm8(
        Rax,
        Mem {
            base: Rsi,
            index: Some(Rdx),
            shift: 0,
            disp: 0,
        },
    );
    e.test_rr(Rax, Rax);
    e.jcc(Cond::E, done);
    e.alu_ri(Alu::Add, Rdx, 1);
    e.jmp(top);
    e.bind(done);
}

/// Message numbers of the exceptions runtime routines raise (0: not needed).
#[derive(Clone, Copy, Debug, Default)]
pub struct RuntimeErrors {
    /// `rt_pow`: a negative exponent, overflow.
    pub neg_pow: i64,
    pub overflow: i64,
    /// `rt_arg`: no such argument; past 64 bits; not an int (the text before and after
    /// the argument in the ValueError line).
    pub no_arg: i64,
    pub arg_overflow: i64,
    pub bad_arg: i64,
    pub bad_arg_end: i64,
    /// The first of the [`REPEATED`] strings.
    pub repeated: i64,
}

/// The whole runtime of a program whose output is the constant [`DATA_STRINGS`] item of
/// `len` bytes: write it (retrying short writes), exit 0 — or 1 if the write fails. (No
/// EINTR retry: the program installs no signal handlers, so write cannot be interrupted.)
pub fn constant_runtime(len: u32) -> Runtime {
    let mut e = Emitter::new();
    let exit = e.new_label();
    if len > 0 {
        let top = e.new_label();
        e.lea_data(Rsi, DATA_STRINGS);
        e.mov_ri(Rdx, len as i64);
        e.bind(top);
        e.mov_ri(Rax, SYS_WRITE);
        e.mov_ri(Rdi, 1); // also the exit status if the write fails
        e.syscall();
        e.test_rr(Rax, Rax);
        e.jcc(Cond::Le, exit);
        e.alu_rr(Alu::Add, Rsi, Rax);
        e.alu_rr(Alu::Sub, Rdx, Rax);
        e.jcc(Cond::Ne, top);
    }
    e.zero(Rdi);
    e.bind(exit);
    e.mov_ri(Rax, SYS_EXIT_GROUP);
    e.syscall();
    let (code, relocs) = e.finish().expect("labels bound");
    Runtime {
        code,
        relocs,
        routines: vec![("_start", 0)],
    }
}

/// The runtime routines, System V calling convention, only those `needs` names (plus
/// entry, flush and exit). Only caller-saved registers are touched, and nothing needs
/// stack alignment (no calls out, only syscalls). Writes are not retried on EINTR: the
/// program installs no signal handlers, so the kernel restarts them itself.
/// `errors`: the messages routines raise themselves.
pub fn runtime(main: FuncId, needs: &dyn Fn(&str) -> bool, errors: RuntimeErrors) -> Runtime {
    let (pow, powx) = (needs("rt_pow"), needs("rt_powx"));
    let (print_cstr, raise_text) = (needs("rt_print_cstr"), needs("rt_raise_text"));
    // `arg(i)`, `sys.argv[i]` and `int()` of it, `len(sys.argv)`: the command line.
    let argv = needs("rt_argv") || needs("rt_argv_int");
    let arg = needs("rt_arg") || argv;
    let args = arg || needs("rt_argc");
    let (print_int, print_str, raise) = (
        needs("rt_print_int"),
        needs("rt_print_str"),
        needs("rt_raise") || pow || powx || arg || raise_text,
    );
    let exit_msg = needs("rt_exit_msg");
    let mut e = Emitter::new();
    let mut r = Routines {
        flush: e.new_label(),
        write_all: e.new_label(),
        put_bytes: e.new_label(),
        string_k: e.new_label(),
        raise: e.new_label(),
        parse_arg: e.new_label(),
        traceback: e.new_label(),
        text: e.new_label(),
        e,
        routines: Vec::new(),
        errors,
    };
    r.start_and_exit(main, args || needs("rt_stack_top"));
    r.flush_and_write_all();
    if print_int || print_str || print_cstr {
        r.put_bytes();
    }
    if print_str || raise || exit_msg || needs("rt_text") {
        r.string();
    }
    if exit_msg {
        r.exit_msg();
    }
    if print_str {
        r.print_str();
    }
    if print_int {
        r.print_int();
    }
    if print_cstr {
        r.print_cstr();
    }
    if raise {
        r.raise();
        r.traceback();
    }
    if raise_text {
        r.raise_text();
    }
    if pow {
        r.pow(false);
    }
    if powx {
        r.pow(true);
    }
    if arg {
        r.arg();
    }
    if argv {
        r.argv();
    }
    if needs("rt_argc") {
        r.argc();
    }
    r.cells_and_tags(needs);
    if needs("rt_xfer") {
        r.xfer();
    }
    if needs("rt_pend") || needs("rt_take") {
        r.pend_and_take();
    }
    if needs("rt_land") {
        r.land();
    }
    if needs("rt_stack_top") {
        // Where `_start` found the stack (the runtime library scans it up to there).
        r.routine("rt_stack_top");
        r.e.lea_data(R8, DATA_OUTPUT);
        r.e.mov_rm(Rax, m(R8, ARGS_CELL));
        r.e.ret();
    }
    if needs("rt_cells") {
        // Where the globals' cells are (the runtime library's collection reads them).
        r.routine("rt_cells");
        r.e.lea_data(R8, DATA_OUTPUT);
        r.e.lea(Rax, m(R8, CELLS));
        r.e.ret();
    }
    if needs("rt_text") {
        r.routine("rt_text");
        r.e.call_label(r.string_k);
        r.e.mov_rr(Rax, Rsi);
        r.e.ret();
    }
    let (code, relocs) = r.e.finish().expect("runtime labels are all bound");
    Runtime {
        code,
        relocs,
        routines: r.routines,
    }
}

fn m(base: Gpr, disp: i32) -> Mem {
    Mem::at(base, disp)
}

/// The runtime as it is emitted: the routines so far, and the labels routines call each
/// other by.
struct Routines {
    e: Emitter,
    routines: Vec<(&'static str, u32)>,
    errors: RuntimeErrors,
    flush: Label,
    write_all: Label,
    put_bytes: Label,
    string_k: Label,
    raise: Label,
    /// Inside `rt_arg`: parse `argv[rdi + 1]`.
    parse_arg: Label,
    /// The traceback's header and frames (see [`Routines::traceback`]).
    traceback: Label,
    /// The start of .text (`_start`), from which the call-site table counts.
    text: Label,
}

impl Routines {
    /// Starts routine `name` here.
    fn routine(&mut self, name: &'static str) {
        self.routines.push((name, self.e.pos()));
    }

    /// `_start` (no frame, aligned stack; then exit(0): failures exit from rt_raise) and
    /// `rt_exit(code)`: flush stdout, exit_group(code).
    fn start_and_exit(&mut self, main: FuncId, arg: bool) {
        let e = &mut self.e;
        self.routines.push(("_start", e.pos()));
        e.bind(self.text);
        if arg {
            e.lea_data(R8, DATA_OUTPUT);
            e.mov_mr(m(R8, ARGS_CELL), Rsp);
        }
        e.zero(Rbp);
        e.alu_ri(Alu::And, Rsp, -16);
        e.call_func(main);
        e.zero(Rdi);
        self.routine("rt_exit");
        let e = &mut self.e;
        e.push_r(Rdi);
        e.call_label(self.flush);
        e.pop_r(Rdi);
        e.mov_ri(Rax, SYS_EXIT_GROUP);
        e.syscall();
    }

    /// `rt_flush()`: empty the buffer into fd 1; falls into `rt_write_all(fd, bytes, len)`,
    /// which retries short writes; a failed write (EPIPE: the reader went away) ends the
    /// program with status 1.
    fn flush_and_write_all(&mut self) {
        self.routine("rt_flush");
        let e = &mut self.e;
        e.bind(self.flush);
        e.lea_data(R8, DATA_OUTPUT);
        e.mov_rm(Rdx, m(R8, 0));
        e.lea(Rsi, m(R8, 8));
        e.mov_mi(m(R8, 0), 0);
        e.mov_ri(Rdi, 1);
        self.routine("rt_write_all");
        let e = &mut self.e;
        e.bind(self.write_all);
        let (top, done, fail) = (e.new_label(), e.new_label(), e.new_label());
        e.bind(top);
        e.test_rr(Rdx, Rdx);
        e.jcc(Cond::E, done);
        e.mov_ri(Rax, SYS_WRITE);
        e.syscall();
        e.test_rr(Rax, Rax);
        e.jcc(Cond::Le, fail);
        e.alu_rr(Alu::Add, Rsi, Rax);
        e.alu_rr(Alu::Sub, Rdx, Rax);
        e.jmp(top);
        e.bind(done);
        e.ret();
        e.bind(fail);
        e.mov_ri(Rdi, 1);
        e.mov_ri(Rax, SYS_EXIT_GROUP);
        e.syscall();
    }

    /// `rt_put_bytes(bytes, len)`: append to the buffer (flushing first when it would
    /// overflow; what cannot fit at all is written directly).
    fn put_bytes(&mut self) {
        self.routine("rt_put_bytes");
        let e = &mut self.e;
        e.bind(self.put_bytes);
        let (fits, direct) = (e.new_label(), e.new_label());
        e.lea_data(R8, DATA_OUTPUT);
        e.mov_rm(Rax, m(R8, 0));
        e.mov_rr(Rcx, Rax);
        e.alu_rr(Alu::Add, Rcx, Rdx);
        e.alu_ri(Alu::Cmp, Rcx, OUTPUT_CAP as i32);
        e.jcc(Cond::Be, fits);
        e.push_r(Rsi);
        e.push_r(Rdx);
        e.call_label(self.flush);
        e.pop_r(Rdx);
        e.pop_r(Rsi);
        e.alu_ri(Alu::Cmp, Rdx, OUTPUT_CAP as i32);
        e.jcc(Cond::A, direct);
        e.zero(Rax); // r8 still points at the buffer: write_all leaves it alone
        e.bind(fits);
        e.lea(Rdi, m(R8, 8));
        e.alu_rr(Alu::Add, Rdi, Rax);
        e.mov_rr(Rcx, Rdx);
        e.rep_movsb();
        e.alu_rr(Alu::Add, Rax, Rdx);
        e.mov_mr(m(R8, 0), Rax);
        e.ret();
        e.bind(direct);
        e.mov_ri(Rdi, 1);
        e.jmp(self.write_all);
    }

    /// String k of the table: rsi = bytes, rdx = length.
    fn string(&mut self) {
        self.routine("rt_string");
        let e = &mut self.e;
        e.bind(self.string_k);
        e.lea_data(R9, DATA_STRINGS);
        e.mov_rr(Rcx, Rdi);
        e.shift_ri(Shift::Shl, Rcx, 3);
        e.alu_rr(Alu::Add, Rcx, R9);
        e.mov_rm32(Rsi, m(Rcx, 0));
        e.mov_rm32(Rdx, m(Rcx, 4));
        e.alu_rr(Alu::Add, Rsi, R9);
        e.ret();
    }

    /// `rt_print_str(k)`.
    fn print_str(&mut self) {
        self.routine("rt_print_str");
        self.e.call_label(self.string_k);
        self.e.jmp(self.put_bytes);
    }

    /// `rt_print_int(v)`: decimal, digits written backwards into a stack buffer.
    fn print_int(&mut self) {
        self.routine("rt_print_int");
        let e = &mut self.e;
        let (pos, emit) = (e.new_label(), e.new_label());
        e.alu_ri(Alu::Sub, Rsp, 40);
        e.mov_rr(Rax, Rdi);
        e.mov_rr(R9, Rdi);
        e.test_rr(Rax, Rax);
        e.jcc(Cond::Ns, pos);
        e.neg_r(Rax); // i64::MIN stays 2^63, right as an unsigned magnitude
        e.bind(pos);
        e.lea(Rsi, m(Rsp, 32));
        emit_digits(e);
        e.test_rr(R9, R9);
        e.jcc(Cond::Ns, emit);
        e.alu_ri(Alu::Sub, Rsi, 1);
        e.mov_ri(Rdx, b'-' as i64);
        e.mov_m8r(m(Rsi, 0), Rdx);
        e.bind(emit);
        e.lea(Rdx, m(Rsp, 32));
        e.alu_rr(Alu::Sub, Rdx, Rsi);
        e.call_label(self.put_bytes);
        e.alu_ri(Alu::Add, Rsp, 40);
        e.ret();
    }

    /// Writes string `k` (in rdi) of the table to stderr.
    fn string_to_stderr(&mut self) {
        let e = &mut self.e;
        e.call_label(self.string_k);
        e.mov_ri(Rdi, 2);
        e.call_label(self.write_all);
    }

    /// `exit_group(1)`.
    fn exit_1(&mut self) {
        self.e.mov_ri(Rdi, 1);
        self.e.mov_ri(Rax, SYS_EXIT_GROUP);
        self.e.syscall();
    }

    /// `rt_raise(k)`: flush stdout, the traceback (header and frames) and message line k on
    /// stderr, exit 1. Routines that raise jump here with the stack as their caller left it.
    fn raise(&mut self) {
        self.routine("rt_raise");
        let e = &mut self.e;
        e.bind(self.raise);
        e.mov_rr(R12, Rdi);
        e.mov_rr(R13, Rsp);
        e.call_label(self.flush);
        e.call_label(self.traceback);
        e.mov_rr(Rdi, R12);
        self.string_to_stderr();
        self.exit_1();
    }

    /// The traceback from the return address at `[r13]` out: "Traceback (most recent call
    /// last):" and a frame per entry of the call-site table ([`DATA_SITES`]) that the walk
    /// meets, outermost first, runs of more than three frames of one function at one line
    /// summarized as CPython does. Each compiled frame's size at a call is in the table, so
    /// the walk needs no frame pointers: the caller's return address is `frame` bytes above
    /// the stack pointer at the call. It ends at an address the table does not have
    /// (`_start`'s call). The frames' strings are pushed as it goes (the innermost first),
    /// then printed from the stack pointer up. Keeps r12 and r13.
    fn traceback(&mut self) {
        let e = &mut self.e;
        e.bind(self.traceback);
        e.zero(Rdi);
        self.string_to_stderr();
        let e = &mut self.e;
        let l: Vec<Label> = (0..9).map(|_| e.new_label()).collect();
        let (walk, find, found, chain, skip_push, done, print, same, end) =
            (l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7], l[8]);
        let (shown, repeated) = (e.new_label(), e.new_label());
        e.push_r(Rbp);
        e.mov_rr(Rbp, Rsp);
        e.lea_data(R14, DATA_SITES);
        e.lea_label(R15, self.text);
        e.mov_rr(Rbx, R13);
        e.bind(walk);
        e.mov_rm(Rax, m(Rbx, 0));
        e.alu_rr(Alu::Sub, Rax, R15);
        e.mov_rr(Rsi, R14);
        e.bind(find);
        e.mov_rm32(Rdx, m(Rsi, 0));
        e.test_rr(Rdx, Rdx);
        e.jcc(Cond::E, done);
        e.alu_rr(Alu::Cmp, Rdx, Rax);
        e.jcc(Cond::E, found);
        e.alu_ri(Alu::Add, Rsi, 16);
        e.jmp(find);
        e.bind(found);
        e.mov_rm32(Rcx, m(Rsi, 4));
        e.bind(chain);
        e.mov_rm32(Rdx, m(Rsi, 8));
        e.test_rr(Rdx, Rdx);
        e.jcc(Cond::E, skip_push);
        e.push_m(m(Rsi, 8)); // the string and the key
        e.bind(skip_push);
        e.alu_ri(Alu::Add, Rsi, 16);
        e.mov_rm32(Rdx, m(Rsi, 0));
        e.alu_rr(Alu::Cmp, Rdx, Rax);
        e.jcc(Cond::E, chain);
        e.alu_rr(Alu::Add, Rbx, Rcx);
        e.alu_ri(Alu::Add, Rbx, 8);
        e.jmp(walk);
        // Print from the outermost (the last pushed) in: r14 the key of the run, r15 its
        // length.
        e.bind(done);
        e.mov_rr(Rbx, Rsp);
        e.mov_ri(R14, -1);
        e.zero(R15);
        e.bind(print);
        e.alu_rr(Alu::Cmp, Rbx, Rbp);
        e.jcc(Cond::E, end);
        e.mov_rm32(Rax, m(Rbx, 4));
        e.alu_rr(Alu::Cmp, Rax, R14);
        e.jcc(Cond::E, same);
        e.call_label(repeated);
        let e = &mut self.e;
        e.mov_rm32(R14, m(Rbx, 4));
        e.zero(R15);
        e.bind(same);
        e.alu_ri(Alu::Add, R15, 1);
        e.alu_ri(Alu::Cmp, R15, RECURSIVE_CUTOFF as i32);
        e.jcc(Cond::A, shown);
        e.mov_rm32(Rdi, m(Rbx, 0));
        self.string_to_stderr();
        let e = &mut self.e;
        e.bind(shown);
        e.alu_ri(Alu::Add, Rbx, 8);
        e.jmp(print);
        e.bind(end);
        e.call_label(repeated);
        let e = &mut self.e;
        e.mov_rr(Rsp, Rbp);
        e.pop_r(Rbp);
        e.ret();
        self.repeated(repeated);
    }

    /// At `at`: if the run of r15 frames is longer than CPython shows, `  [Previous line
    /// repeated N more time(s)]`.
    fn repeated(&mut self, at: Label) {
        let k = self.errors.repeated;
        let e = &mut self.e;
        let (ret, one) = (e.new_label(), e.new_label());
        e.bind(at);
        e.alu_ri(Alu::Cmp, R15, RECURSIVE_CUTOFF as i32);
        e.jcc(Cond::Be, ret);
        e.mov_ri(Rdi, k);
        self.string_to_stderr();
        let e = &mut self.e;
        e.mov_rr(Rax, R15);
        e.alu_ri(Alu::Sub, Rax, RECURSIVE_CUTOFF as i32);
        e.alu_ri(Alu::Sub, Rsp, 32);
        e.lea(Rsi, m(Rsp, 32));
        emit_digits(e);
        e.lea(Rdx, m(Rsp, 32));
        e.alu_rr(Alu::Sub, Rdx, Rsi);
        e.mov_ri(Rdi, 2);
        e.call_label(self.write_all);
        e.alu_ri(Alu::Add, Rsp, 32);
        e.mov_ri(Rdi, k + 1);
        self.string_to_stderr();
        self.e.alu_ri(Alu::Cmp, R15, RECURSIVE_CUTOFF as i32 + 1);
        self.e.jcc(Cond::E, one);
        self.e.mov_ri(Rdi, k + 2);
        self.string_to_stderr();
        self.e.bind(one);
        self.e.mov_ri(Rdi, k + 3);
        self.string_to_stderr();
        self.e.bind(ret);
        self.e.ret();
    }

    /// `rt_pow(base, exp)`: raises itself for a negative exponent or overflow; or (`big`)
    /// `rt_powx(base, exp)`, which answers an overflow with i64::MIN (compiled code then
    /// continues with ints past 64 bits; a genuine i64::MIN only takes that longer way).
    fn pow(&mut self, big: bool) {
        self.routine(if big { "rt_powx" } else { "rt_pow" });
        let e = &mut self.e;
        let (top, skip, done, bad, neg) = (
            e.new_label(),
            e.new_label(),
            e.new_label(),
            e.new_label(),
            e.new_label(),
        );
        e.test_rr(Rsi, Rsi);
        e.jcc(Cond::S, neg);
        e.mov_ri(Rax, 1); // the product so far
        e.bind(top);
        e.test_rr(Rsi, Rsi);
        e.jcc(Cond::E, done);
        e.mov_rr(Rcx, Rsi);
        e.alu_ri(Alu::And, Rcx, 1);
        e.jcc(Cond::E, skip);
        e.imul_rr(Rax, Rdi);
        e.jcc(Cond::O, bad);
        e.bind(skip);
        e.shift_ri(Shift::Shr, Rsi, 1);
        e.jcc(Cond::E, done);
        e.imul_rr(Rdi, Rdi);
        e.jcc(Cond::O, bad);
        e.jmp(top);
        e.bind(done);
        e.ret();
        e.bind(neg);
        e.mov_ri(Rdi, self.errors.neg_pow);
        e.jmp(self.raise);
        e.bind(bad);
        if big {
            e.mov_ri(Rax, i64::MIN);
            e.ret();
        } else {
            e.mov_ri(Rdi, self.errors.overflow);
            e.jmp(self.raise);
        }
    }

    /// `rt_print_cstr(text)`: the NUL-terminated text at `text` (a big int's digits).
    fn print_cstr(&mut self) {
        self.routine("rt_print_cstr");
        let e = &mut self.e;
        e.mov_rr(Rsi, Rdi);
        emit_strlen(e);
        e.jmp(self.put_bytes);
    }

    /// `rt_raise_text(text)`: as `rt_raise`, with the exception's line the NUL-terminated
    /// text at `text` (made by the runtime library).
    fn raise_text(&mut self) {
        self.routine("rt_raise_text");
        let e = &mut self.e;
        e.mov_rr(R12, Rdi);
        e.mov_rr(R13, Rsp);
        e.call_label(self.flush);
        e.call_label(self.traceback);
        let e = &mut self.e;
        e.mov_rr(Rsi, R12);
        emit_strlen(e);
        e.mov_ri(Rdi, 2);
        e.call_label(self.write_all);
        self.exit_1();
    }

    /// `rt_exit_msg(k)`: `sys.exit(message)` — flush stdout, string k (the message and a
    /// line break) on stderr, exit 1.
    fn exit_msg(&mut self) {
        self.routine("rt_exit_msg");
        self.e.push_r(Rdi);
        self.e.call_label(self.flush);
        self.e.pop_r(Rdi);
        self.string_to_stderr();
        self.exit_1();
    }

    /// `rt_argc() -> len(sys.argv)`.
    fn argc(&mut self) {
        self.routine("rt_argc");
        let e = &mut self.e;
        e.lea_data(R8, DATA_OUTPUT);
        e.mov_rm(R9, m(R8, ARGS_CELL));
        e.mov_rm(Rax, m(R9, 0));
        e.ret();
    }

    /// `rt_argv(i) -> k`: `sys.argv[i]` — the index from the start (a negative `i` counts
    /// from the end), IndexError when there is no such argument; and `rt_argv_int(k) ->
    /// int(sys.argv[k])` of an index it returned (`rt_arg`'s parse).
    fn argv(&mut self) {
        self.routine("rt_argv");
        let e = &mut self.e;
        let (from_start, missing) = (e.new_label(), e.new_label());
        e.lea_data(R8, DATA_OUTPUT);
        e.mov_rm(R9, m(R8, ARGS_CELL));
        e.mov_rm(Rcx, m(R9, 0));
        e.mov_rr(Rax, Rdi);
        e.test_rr(Rax, Rax);
        e.jcc(Cond::Ns, from_start);
        e.alu_rr(Alu::Add, Rax, Rcx);
        e.jcc(Cond::S, missing);
        e.bind(from_start);
        e.alu_rr(Alu::Cmp, Rax, Rcx);
        e.jcc(Cond::Ge, missing);
        e.ret();
        e.bind(missing);
        e.mov_ri(Rdi, self.errors.no_arg);
        e.jmp(self.raise);
        self.routine("rt_argv_int");
        self.e.alu_ri(Alu::Sub, Rdi, 1);
        self.e.jmp(self.parse_arg);
    }

    /// `rt_arg(i) -> int(argv[i + 1])` as the interpreter's arg() reads it: surrounding
    /// whitespace allowed, an optional sign, decimal digits with single underscores between
    /// them; a missing argument raises IndexError, one past 64 bits OverflowError, anything
    /// else ValueError naming it. Digits accumulate negatively so that i64::MIN parses.
    fn arg(&mut self) {
        self.routine("rt_arg");
        let e = &mut self.e;
        let l: Vec<_> = (0..10).map(|_| e.new_label()).collect();
        let (bad, ws1, skip1, sign_done, not_minus, digits, end_digits, ws2, skip2, tail) =
            (l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7], l[8], l[9]);
        let (positive, missing, too_big) = (e.new_label(), e.new_label(), e.new_label());
        e.test_rr(Rdi, Rdi);
        e.jcc(Cond::S, missing);
        // rt_argv_int comes in here with argv[0] as index -1.
        e.bind(self.parse_arg);
        e.lea_data(R8, DATA_OUTPUT);
        e.mov_rm(R9, m(R8, ARGS_CELL));
        e.mov_rm(Rax, m(R9, 0));
        e.mov_rr(Rcx, Rdi);
        e.alu_ri(Alu::Add, Rcx, 1);
        e.alu_rr(Alu::Cmp, Rcx, Rax);
        e.jcc(Cond::Ge, missing);
        e.shift_ri(Shift::Shl, Rcx, 3);
        e.alu_rr(Alu::Add, Rcx, R9);
        e.mov_rm(Rsi, m(Rcx, 8));
        e.mov_rr(R8, Rsi); // the argument, for the ValueError
        // Leading whitespace (9..=13 and space).
        e.bind(ws1);
        e.movzx_rm8(Rdx, m(Rsi, 0));
        e.alu_ri(Alu::Cmp, Rdx, 32);
        e.jcc(Cond::E, skip1);
        e.mov_rr(Rcx, Rdx);
        e.alu_ri(Alu::Sub, Rcx, 9);
        e.alu_ri(Alu::Cmp, Rcx, 4);
        e.jcc(Cond::A, sign_done);
        e.bind(skip1);
        e.alu_ri(Alu::Add, Rsi, 1);
        e.jmp(ws1);
        e.bind(sign_done);
        e.zero(R10); // 1: minus
        e.alu_ri(Alu::Cmp, Rdx, b'-' as i32);
        e.jcc(Cond::Ne, not_minus);
        e.mov_ri(R10, 1);
        e.alu_ri(Alu::Add, Rsi, 1);
        e.jmp(digits);
        e.bind(not_minus);
        e.alu_ri(Alu::Cmp, Rdx, b'+' as i32);
        e.jcc(Cond::Ne, digits);
        e.alu_ri(Alu::Add, Rsi, 1);
        e.bind(digits);
        e.zero(Rax);
        e.zero(R11); // digits seen
        let top = e.new_label();
        e.bind(top);
        e.movzx_rm8(Rdx, m(Rsi, 0));
        e.alu_ri(Alu::Sub, Rdx, b'0' as i32);
        e.alu_ri(Alu::Cmp, Rdx, 9);
        e.jcc(Cond::A, end_digits);
        e.imul_rri(Rax, Rax, 10);
        e.jcc(Cond::O, too_big);
        e.alu_rr(Alu::Sub, Rax, Rdx);
        e.jcc(Cond::O, too_big);
        e.alu_ri(Alu::Add, Rsi, 1);
        e.alu_ri(Alu::Add, R11, 1);
        e.jmp(top);
        e.bind(end_digits);
        e.test_rr(R11, R11);
        e.jcc(Cond::E, bad);
        // An underscore between two digits.
        e.alu_ri(Alu::Cmp, Rdx, (b'_' - b'0') as i32);
        e.jcc(Cond::Ne, ws2);
        e.movzx_rm8(Rcx, m(Rsi, 1));
        e.alu_ri(Alu::Sub, Rcx, b'0' as i32);
        e.alu_ri(Alu::Cmp, Rcx, 9);
        e.jcc(Cond::A, bad);
        e.alu_ri(Alu::Add, Rsi, 1);
        e.jmp(top);
        // Trailing whitespace, then the end of the string.
        e.bind(ws2);
        e.movzx_rm8(Rdx, m(Rsi, 0));
        e.test_rr(Rdx, Rdx);
        e.jcc(Cond::E, tail);
        e.alu_ri(Alu::Cmp, Rdx, 32);
        e.jcc(Cond::E, skip2);
        e.alu_ri(Alu::Sub, Rdx, 9);
        e.alu_ri(Alu::Cmp, Rdx, 4);
        e.jcc(Cond::A, bad);
        e.bind(skip2);
        e.alu_ri(Alu::Add, Rsi, 1);
        e.jmp(ws2);
        e.bind(tail);
        e.test_rr(R10, R10);
        e.jcc(Cond::E, positive);
        e.ret();
        e.bind(positive);
        e.neg_r(Rax);
        e.jcc(Cond::O, too_big);
        e.ret();
        e.bind(missing);
        e.mov_ri(Rdi, self.errors.no_arg);
        e.jmp(self.raise);
        e.bind(too_big);
        e.mov_ri(Rdi, self.errors.arg_overflow);
        e.jmp(self.raise);
        e.bind(bad);
        self.arg_value_error();
    }

    /// rt_arg's ValueError: the traceback header, then the line with the argument (in r8)
    /// in it, quoted as Python's repr quotes it. (This exits: every register is free.)
    fn arg_value_error(&mut self) {
        self.e.mov_rr(R12, R8);
        self.e.mov_rr(R13, Rsp);
        self.e.call_label(self.flush);
        self.e.call_label(self.traceback);
        self.e.mov_ri(Rdi, self.errors.bad_arg);
        self.string_to_stderr();
        emit_repr(&mut self.e, R12, self.write_all);
        self.e.mov_ri(Rdi, self.errors.bad_arg_end);
        self.string_to_stderr();
        self.exit_1();
    }

    /// `rt_xfer(depth, first, count, v0, v1, …) -> depth`: stores the `count` values into
    /// the cells from `first` on (a function moving into its generic version hands its
    /// frame over so, in one call, so that none of its values has to outlive a call). The
    /// three register arguments are stored whatever `count` is: the cells have room.
    fn xfer(&mut self) {
        self.routine("rt_xfer");
        let e = &mut self.e;
        let (top, done) = (e.new_label(), e.new_label());
        e.lea_data(R10, DATA_OUTPUT);
        e.shift_ri(Shift::Shl, Rsi, 3);
        e.alu_rr(Alu::Add, R10, Rsi);
        e.mov_mr(m(R10, CELLS), Rcx);
        e.mov_mr(m(R10, CELLS + 8), R8);
        e.mov_mr(m(R10, CELLS + 16), R9);
        e.alu_ri(Alu::Sub, Rdx, 3);
        e.jcc(Cond::Le, done);
        e.lea(R11, m(Rsp, 8));
        e.alu_ri(Alu::Add, R10, 24);
        e.bind(top);
        e.mov_rm(Rax, m(R11, 0));
        e.mov_mr(m(R10, CELLS), Rax);
        e.alu_ri(Alu::Add, R11, 8);
        e.alu_ri(Alu::Add, R10, 8);
        e.alu_ri(Alu::Sub, Rdx, 1);
        e.jcc(Cond::Ne, top);
        e.bind(done);
        e.mov_rr(Rax, Rdi);
        e.ret();
    }

    /// `rt_land`, the landing router (`jit::Module::set_landing_router`): entered by a
    /// jump with the result in rax and the caller's return address on top of the stack;
    /// pops it and jumps to the landing the table ([`DATA_LANDINGS`]: pairs of .text
    /// offsets, return address then landing, a zero one last) has for it — or returns
    /// there if there is none. Keeps rax.
    fn land(&mut self) {
        self.routine("rt_land");
        let e = &mut self.e;
        let (find, found, none) = (e.new_label(), e.new_label(), e.new_label());
        e.pop_r(Rcx);
        e.lea_label(Rdx, self.text);
        e.mov_rr(R8, Rcx);
        e.alu_rr(Alu::Sub, R8, Rdx);
        e.lea_data(Rsi, DATA_LANDINGS);
        e.bind(find);
        e.mov_rm32(R9, m(Rsi, 0));
        e.test_rr(R9, R9);
        e.jcc(Cond::E, none);
        e.alu_rr(Alu::Cmp, R9, R8);
        e.jcc(Cond::E, found);
        e.alu_ri(Alu::Add, Rsi, 8);
        e.jmp(find);
        e.bind(found);
        e.mov_rm32(R9, m(Rsi, 4));
        e.alu_rr(Alu::Add, Rdx, R9);
        e.jmp_r(Rdx);
        e.bind(none);
        e.jmp_r(Rcx);
    }

    /// `rt_pend(r, cell) -> i64::MIN`: a result handed back to the caller — `r` into the
    /// cell, the tag of the last return into the next one. `rt_take(cell) -> r`: the
    /// result back, its tag where `rt_get_tag` reads it, the cells empty again (tag -2) —
    /// or, when nothing was pending, i64::MIN, an int (a call that returned it).
    fn pend_and_take(&mut self) {
        self.routine("rt_pend");
        let e = &mut self.e;
        e.lea_data(R8, DATA_OUTPUT);
        e.mov_rm(Rax, m(R8, TAG_CELL));
        e.shift_ri(Shift::Shl, Rsi, 3);
        e.alu_rr(Alu::Add, Rsi, R8);
        e.mov_mr(m(Rsi, CELLS), Rdi);
        e.mov_mr(m(Rsi, CELLS + 8), Rax);
        e.mov_ri(Rax, i64::MIN);
        e.ret();
        self.routine("rt_take");
        let e = &mut self.e;
        let genuine = e.new_label();
        e.lea_data(R8, DATA_OUTPUT);
        e.shift_ri(Shift::Shl, Rdi, 3);
        e.alu_rr(Alu::Add, Rdi, R8);
        e.mov_rm(Rcx, m(Rdi, CELLS + 8));
        e.alu_ri(Alu::Cmp, Rcx, crate::lower::NO_PENDING as i32);
        e.jcc(Cond::E, genuine);
        e.mov_mr(m(R8, TAG_CELL), Rcx);
        e.mov_ri(Rcx, crate::lower::NO_PENDING);
        e.mov_mr(m(Rdi, CELLS + 8), Rcx);
        e.mov_rm(Rax, m(Rdi, CELLS));
        e.ret();
        // Nothing pending: the call returned i64::MIN itself, an int.
        e.bind(genuine);
        e.mov_mi(m(R8, TAG_CELL), crate::analysis::tag::INT as i32);
        e.mov_ri(Rax, i64::MIN);
        e.ret();
    }

    /// The cells of globals kept in memory, `rt_cell_get(i) -> v` and `rt_cell_set(i, v)`,
    /// and the tag of a result of several kinds, `rt_set_tag(tag)` before such a return and
    /// `rt_get_tag() -> tag` right after such a call: each only if `needs` names it.
    fn cells_and_tags(&mut self, needs: &dyn Fn(&str) -> bool) {
        if needs("rt_cell_get") {
            self.routine("rt_cell_get");
            let e = &mut self.e;
            e.lea_data(R8, DATA_OUTPUT);
            e.shift_ri(Shift::Shl, Rdi, 3);
            e.alu_rr(Alu::Add, R8, Rdi);
            e.mov_rm(Rax, m(R8, CELLS));
            e.ret();
        }
        if needs("rt_cell_set") {
            self.routine("rt_cell_set");
            let e = &mut self.e;
            e.lea_data(R8, DATA_OUTPUT);
            e.shift_ri(Shift::Shl, Rdi, 3);
            e.alu_rr(Alu::Add, R8, Rdi);
            e.mov_mr(m(R8, CELLS), Rsi);
            e.ret();
        }
        if needs("rt_set_tag") {
            self.routine("rt_set_tag");
            let e = &mut self.e;
            e.lea_data(R8, DATA_OUTPUT);
            e.mov_mr(m(R8, TAG_CELL), Rdi);
            e.ret();
        }
        if needs("rt_get_tag") {
            self.routine("rt_get_tag");
            let e = &mut self.e;
            e.lea_data(R8, DATA_OUTPUT);
            e.mov_rm(Rax, m(R8, TAG_CELL));
            e.ret();
        }
    }
}
