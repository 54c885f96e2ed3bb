//! minipy [--mode interp|jit|auto] [--dis] [--stats] [--ir] FILE [ARGS...]
//! minipy --aot FILE -o OUT [--small] [--no-bundle]
//!
//! Runs a program in the minipy subset of Python with CPython's output, exit status and
//! error messages. Program arguments are read as in CPython (`import sys`,
//! `int(sys.argv[i])`, `len(sys.argv)`, `sys.exit(…)`), or with minipy's `arg(i)`
//! (`int(sys.argv[i + 1])`).
//! `--mode`: `auto` (the default) interprets and compiles hot functions and hot loops to
//! x86-64 (on-stack replacement); `jit` compiles at the first call and the first loop turn;
//! `interp` never compiles. `--dis` prints the bytecode instead of running it; `--stats`
//! reports per function, on stderr after the run, when it was compiled, the compile time, the
//! code size, how often each tier ran it and the time spent in each tier (interpreting its
//! own bytecode; in its machine code, callees included), then the totals per tier.
//! `--aot` compiles FILE ahead of time into the static executable OUT: this binary hands
//! its command line to minipy-aot, the compiler installed beside it (src/aot.rs), so that
//! the runner carries no compiler it does not run.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use minipy::{Host, Mode, Vm};

mod bundle;
mod script;

rt::entry!(main);

const USAGE: &str = "usage: minipy [--mode interp|jit|auto] [--dis] [--stats] FILE [ARGS...]\n       minipy --aot FILE -o OUT [--small] [--no-bundle]";

struct Io<'a> {
    args: &'a [&'static [u8]],
}

impl Host for Io<'_> {
    fn write(&mut self, bytes: &[u8]) {
        // print!'s policy: EPIPE ends the program quietly, other errors are reported.
        if let Err(e) = rt::io::stdout().write_all(bytes) {
            if e == rt::Errno::EPIPE {
                rt::sys::exit_group(rt::io::EXIT_BROKEN_PIPE);
            }
            rt::eprintln!("minipy: writing stdout: {e}");
            rt::exit(1);
        }
    }

    fn arg(&self, i: i64) -> Option<&[u8]> {
        self.args.get(usize::try_from(i).ok()?).copied()
    }

    fn flush(&mut self) {
        if let Err(e) = rt::io::stdout().flush()
            && e == rt::Errno::EPIPE
        {
            rt::sys::exit_group(rt::io::EXIT_BROKEN_PIPE);
        }
    }
}

/// `--aot`: this runner holds no AOT compiler (a quarter of its size once, 454 KB); the
/// compiler is minipy-aot, installed beside it, which takes the same command line — this
/// process's own argv and environment, passed on as the kernel laid them out. Returns
/// only when it cannot be run.
#[inline(never)]
#[cold]
fn exec_aot() -> i32 {
    let aot = match bundle::beside_this_binary(b"minipy-aot\0") {
        Ok(path) => path,
        Err(e) => {
            rt::eprintln!("minipy: --aot: finding this runner (/proc/self/exe): {e}");
            return 2;
        }
    };
    let stack = rt::env::initial_stack();
    let e = match core::ffi::CStr::from_bytes_with_nul(&aot) {
        // SAFETY: argv and envp are the kernel's NULL-terminated arrays of NUL-terminated
        // strings, alive for the whole program.
        Ok(path) => unsafe { rt::sys::execve(path, stack.argv_ptr(), stack.envp_ptr()) },
        Err(_) => rt::Errno::EINVAL,
    };
    rt::eprintln!(
        "minipy: --aot runs the compiler minipy-aot, which is not runnable at {} ({e}); \
         `cargo xtask build minipy` builds both",
        String::from_utf8_lossy(&aot[..aot.len() - 1])
    );
    2
}

fn main() -> i32 {
    let argv: Vec<&'static [u8]> = rt::env::args().collect();
    if let Some(bundled) = bundle::load() {
        return run_bundled(bundled, &argv);
    }
    let mut dis = false;
    let mut stats = false;
    let mut ir = false;
    let mut mode = Mode::Auto;
    let mut i = 1;
    while i < argv.len() {
        match argv[i] {
            b"--dis" => dis = true,
            b"--aot" => return exec_aot(),
            // minipy-aot's options, which may come before --aot.
            b"--small" | b"--no-bundle" | b"-o" if argv.contains(&&b"--aot"[..]) => {
                return exec_aot();
            }
            b"--stats" => stats = true,
            b"--ir" => ir = true,
            b"--mode" => {
                i += 1;
                mode = match argv.get(i).copied() {
                    Some(b"interp") => Mode::Interp,
                    Some(b"jit") => Mode::Jit,
                    Some(b"auto") => Mode::Auto,
                    _ => {
                        rt::eprintln!("{USAGE}");
                        return 2;
                    }
                };
            }
            b"-h" | b"--help" => {
                rt::println!("{USAGE}");
                return 0;
            }
            a if a.starts_with(b"-") && a.len() > 1 => {
                rt::eprintln!(
                    "minipy: unknown option '{}'\n{USAGE}",
                    String::from_utf8_lossy(a)
                );
                return 2;
            }
            _ => break,
        }
        i += 1;
    }
    let Some(&file) = argv.get(i) else {
        rt::eprintln!("{USAGE}");
        return 2;
    };
    let script = match script::load(file) {
        Ok(s) => s,
        Err(status) => return status,
    };
    let program = &script.program;
    if dis {
        rt::print!("{}", minipy::disassemble(program));
        return 0;
    }
    execute(
        program,
        &script.shown,
        &script.text,
        &argv[i + 1..],
        mode,
        Show { stats, ir },
    )
}

/// What the runner shows on stderr after the program: `--stats`' table, `--ir`'s listing
/// of the optimized IR of everything compiled.
#[derive(Clone, Copy)]
struct Show {
    stats: bool,
    ir: bool,
}

/// Runs `program` with `args` as the script's arguments; its exit status.
fn execute(
    program: &minipy::Program,
    shown: &str,
    src: &str,
    args: &[&'static [u8]],
    mode: Mode,
    show: Show,
) -> i32 {
    let mut io = Io { args };
    let mut vm = Vm::with_mode(program, mode);
    if show.stats {
        vm.set_timing(true);
    }
    vm.set_listing(show.ir);
    let status = match vm.run(&mut io) {
        Ok(()) => 0,
        Err(tb) => {
            // stdout first, as CPython's would be on a terminal.
            let _ = rt::io::stdout().flush();
            let (text, status) = tb.report(shown, src);
            rt::eprint!("{text}");
            status
        }
    };
    if show.ir {
        let _ = rt::io::stdout().flush();
        match vm.listing() {
            Some(text) => rt::eprint!("{text}"),
            None => rt::eprintln!("minipy --ir: interpreter only (--mode interp)"),
        }
    }
    if show.stats {
        let _ = rt::io::stdout().flush();
        report_stats(program, &vm);
    }
    status
}

/// A bundle's program (see `bundle`), with every argument the script's.
#[inline(never)]
#[cold]
fn run_bundled(bundled: Result<bundle::Bundled, String>, argv: &[&'static [u8]]) -> i32 {
    let b = match bundled {
        Ok(b) => b,
        Err(e) => {
            rt::eprintln!("minipy bundle: {e}");
            return 2;
        }
    };
    // Compiled once already, when it was bundled; an error here means the file was changed.
    let exe = argv
        .first()
        .map(|a| String::from_utf8_lossy(a))
        .unwrap_or_default();
    let program = match minipy::compile(&b.source, &exe) {
        Ok(p) => p,
        Err(e) => {
            rt::eprint!("{}", minipy::render_syntax_error(&e, &b.shown, &b.source));
            return 1;
        }
    };
    execute(
        &program,
        &b.shown,
        &b.source,
        argv.get(1..).unwrap_or(&[]),
        Mode::Auto,
        Show {
            stats: false,
            ir: false,
        },
    )
}

fn report_stats(program: &minipy::Program, vm: &Vm<'_>) {
    let Some(tiers) = vm.tiers() else {
        rt::eprintln!("minipy --stats: interpreter only (--mode interp)");
        return;
    };
    rt::eprintln!(
        "{:<20} {:>12} {:>10} {:>8} {:>6} {:>12} {:>10} {:>7} {:>11} {:>11}  notes",
        "function",
        "compiled at",
        "compile",
        "bytes",
        "moves",
        "native calls",
        "loop entr.",
        "deopts",
        "interp",
        "native"
    );
    // Integer arithmetic: formatting an f64 would link core's float printing (13 KB).
    let ms = |ns: u64| {
        let us = (ns + 500) / 1000;
        alloc::format!("{}.{:03} ms", us / 1000, us % 1000)
    };
    let (mut interp, mut native, mut compile) = (0u64, 0u64, 0u64);
    for (code, t) in program.codes.iter().zip(tiers) {
        interp += t.interp_ns;
        native += t.native_ns;
        compile += t.compile_ns;
        let at = if t.compiled_at_ns > 0 {
            ms(t.compiled_at_ns)
        } else {
            String::from("-")
        };
        let took = if t.compile_ns > 0 {
            alloc::format!("{} us", t.compile_ns / 1000)
        } else {
            String::from("-")
        };
        rt::eprintln!(
            "{:<20} {:>12} {:>10} {:>8} {:>6} {:>12} {:>10} {:>7} {:>11} {:>11}  {}",
            code.name,
            at,
            took,
            t.code_bytes,
            t.code_moves,
            t.native_calls,
            t.osr_entries,
            t.deopts,
            ms(t.interp_ns),
            ms(t.native_ns),
            t.rejected
                .or(t
                    .loops_only
                    .filter(|_| t.entry.is_none() && t.osr.is_empty()))
                .unwrap_or("")
        );
    }
    rt::eprintln!(
        "time in each tier: interpreter {}, compiled code {}, compiling {}",
        ms(interp),
        ms(native),
        ms(compile)
    );
}
