//! minipy [--mode interp|jit|auto] [--dis] [--stats] FILE [ARGS...]
//!
//! Runs a program in the minipy subset of Python with CPython's output, exit status and
//! error messages. Program arguments are read with the builtin `arg(i)` (an int; the
//! stand-in for `int(sys.argv[i + 1])`, since `sys` is outside the subset).
//! `--mode`: `auto` (the default) interprets and compiles hot functions and hot loops to
//! x86-64 (on-stack replacement); `jit` compiles at the first call and the first loop turn;
//! `interp` never compiles. `--dis` prints the bytecode instead of running it; `--stats`
//! reports per function, on stderr after the run, when it was compiled, the compile time, the
//! code size and how often each tier ran it.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use jit::py::{self, Host, Mode, Vm};

rt::entry!(main);

const USAGE: &str = "usage: minipy [--mode interp|jit|auto] [--dis] [--stats] FILE [ARGS...]";

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

    fn arg(&self, i: i64) -> Option<i64> {
        let raw = self.args.get(usize::try_from(i).ok()?)?;
        let s = core::str::from_utf8(raw).ok()?.trim();
        s.parse::<i64>().ok()
    }
}

fn main() -> i32 {
    let argv: Vec<&'static [u8]> = rt::env::args().collect();
    let mut dis = false;
    let mut stats = false;
    let mut mode = Mode::Auto;
    let mut i = 1;
    while i < argv.len() {
        match argv[i] {
            b"--dis" => dis = true,
            b"--stats" => stats = true,
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
    let name = String::from_utf8_lossy(file).into_owned();
    let src = match rt::fs::read(file) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(_) => {
                rt::eprintln!("SyntaxError: Non-UTF-8 code in file {name}");
                return 1;
            }
        },
        Err(e) => {
            // CPython's wording for a missing script.
            rt::eprintln!(
                "minipy: can't open file '{name}': [Errno {}] {}",
                e.raw(),
                e.message()
            );
            return 2;
        }
    };
    let program = match py::compile(&src, &name) {
        Ok(p) => p,
        Err(e) => {
            rt::eprint!("{}", py::render_syntax_error(&e, &name, &src));
            return 1;
        }
    };
    if dis {
        rt::print!("{}", py::disassemble(&program));
        return 0;
    }
    let mut io = Io {
        args: &argv[i + 1..],
    };
    let mut vm = Vm::with_mode(&program, mode);
    let status = match vm.run(&mut io) {
        Ok(()) => 0,
        Err(tb) => {
            // stdout first, as CPython's would be on a terminal.
            let _ = rt::io::stdout().flush();
            rt::eprint!("{}", tb.render(&name));
            1
        }
    };
    if stats {
        let _ = rt::io::stdout().flush();
        report_stats(&program, &vm);
    }
    status
}

fn report_stats(program: &py::Program, vm: &Vm<'_>) {
    let Some(tiers) = vm.tiers() else {
        rt::eprintln!("minipy --stats: interpreter only (--mode interp)");
        return;
    };
    rt::eprintln!(
        "{:<20} {:>12} {:>10} {:>8} {:>12} {:>10} {:>7}  notes",
        "function",
        "compiled at",
        "compile",
        "bytes",
        "native calls",
        "loop entr.",
        "deopts"
    );
    for (code, t) in program.codes.iter().zip(tiers).skip(1) {
        let at = if t.compiled_at_ns > 0 {
            alloc::format!("{:.3} ms", t.compiled_at_ns as f64 / 1e6)
        } else {
            String::from("-")
        };
        let took = if t.compile_ns > 0 {
            alloc::format!("{} us", t.compile_ns / 1000)
        } else {
            String::from("-")
        };
        rt::eprintln!(
            "{:<20} {:>12} {:>10} {:>8} {:>12} {:>10} {:>7}  {}",
            code.name,
            at,
            took,
            t.code_bytes,
            t.native_calls,
            t.osr_entries,
            t.deopts,
            t.rejected.unwrap_or("")
        );
    }
}
