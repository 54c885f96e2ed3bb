//! minipy [--mode interp|jit|auto] [--dis] [--stats] FILE [ARGS...]
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
//! own bytecode; in its machine code, callees included), then the totals per tier. `--aot` compiles FILE ahead of time into the
//! static executable OUT (no interpreter, no JIT, no libc inside; `--small`: the smallest
//! file) — this binary writes it itself, with `linker`'s no_std ELF writer. A program the AOT
//! compiler refuses (it uses lists, strings, dicts… or ints past 64 bits) is bundled instead:
//! OUT is a copy of this runner with the program inside, run in auto mode (`bundle`), and the
//! refusal is printed as a note; `--no-bundle` makes the refusal an error.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use minipy::{Host, Mode, Vm};

mod bundle;

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
}

/// The program's file: as named on the command line, as tracebacks show it (absolute),
/// and its text.
#[cfg_attr(not(feature = "aot"), allow(dead_code))]
struct Source<'a> {
    name: &'a str,
    shown: &'a str,
    text: &'a str,
}

/// `--aot` in a build without linker-core (a workspace-wide `cargo build`).
#[cfg(not(feature = "aot"))]
fn write_aot(_: &minipy::Program, _: &Source, _: &[u8], _: bool, _: bool) -> i32 {
    rt::eprintln!(
        "minipy: built without ahead-of-time support (`cargo xtask build minipy` has it)"
    );
    2
}

/// `--aot`: compile, write OUT with mode 0755; a program the compiler refuses is bundled
/// (unless `no_bundle`). Kept out of line and cold: inlined into `main` it slowed the
/// interpreter loop there by half (measured on bench/py/collatz.py).
#[cfg(feature = "aot")]
#[inline(never)]
#[cold]
fn write_aot(
    program: &minipy::Program,
    src: &Source,
    out: &[u8],
    small: bool,
    no_bundle: bool,
) -> i32 {
    let name = src.name;
    use linker_core::exe::{Layout, Options};
    let opts = Options {
        layout: if small {
            Layout::Packed
        } else {
            Layout::PageAligned
        },
        strip: small,
        ..Options::default()
    };
    let (bytes, what) = match minipy::aot::build(program, src.shown, src.text, &opts, small) {
        Ok(b) => (b, "machine code"),
        Err(e) => {
            let at = if e.line > 0 {
                alloc::format!("{name}:{}", e.line)
            } else {
                String::from(name)
            };
            if no_bundle {
                rt::eprintln!("{at}: cannot compile ahead of time: {}", e.msg);
                return 1;
            }
            rt::eprintln!(
                "minipy: {at}: {}\nminipy: so {name} is bundled with the interpreter and JIT, \
                 not compiled to machine code (--no-bundle refuses instead)",
                e.msg
            );
            let program = bundle::Bundled {
                shown: String::from(src.shown),
                source: String::from(src.text),
            };
            match bundle::write(&program) {
                Ok(b) => (b, "bundled with the runtime"),
                Err(e) => {
                    rt::eprintln!("minipy: cannot bundle {name}: {e}");
                    return 1;
                }
            }
        }
    };
    let out_name = String::from_utf8_lossy(out);
    let flags = rt::sys::OFlags::WRONLY | rt::sys::OFlags::CREAT | rt::sys::OFlags::TRUNC;
    let written = rt::fs::File::open_with(out, flags, 0o755).and_then(|mut f| f.write_all(&bytes));
    if let Err(e) = written {
        rt::eprintln!("minipy: writing {out_name}: {e}");
        return 1;
    }
    rt::eprintln!("minipy: wrote {out_name} ({} bytes, {what})", bytes.len());
    0
}

fn main() -> i32 {
    let argv: Vec<&'static [u8]> = rt::env::args().collect();
    if let Some(bundled) = bundle::load() {
        return run_bundled(bundled, &argv);
    }
    let mut dis = false;
    let mut stats = false;
    let mut mode = Mode::Auto;
    let mut aot = false;
    let mut small = false;
    let mut no_bundle = false;
    let mut out: Option<&[u8]> = None;
    let mut i = 1;
    while i < argv.len() {
        match argv[i] {
            b"--dis" => dis = true,
            b"--aot" => aot = true,
            b"--small" => small = true,
            b"--no-bundle" => no_bundle = true,
            b"-o" => {
                i += 1;
                let Some(&o) = argv.get(i) else {
                    rt::eprintln!("{USAGE}");
                    return 2;
                };
                out = Some(o);
            }
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
    if aot {
        // `minipy --aot FILE -o OUT`: options may follow the file too.
        let mut j = i + 1;
        while j < argv.len() {
            match argv[j] {
                b"-o" if j + 1 < argv.len() => {
                    out = Some(argv[j + 1]);
                    j += 1;
                }
                b"--small" => small = true,
                b"--no-bundle" => no_bundle = true,
                other => {
                    rt::eprintln!(
                        "minipy: unexpected '{}' after --aot FILE\n{USAGE}",
                        String::from_utf8_lossy(other)
                    );
                    return 2;
                }
            }
            j += 1;
        }
    }
    let name = String::from_utf8_lossy(file).into_owned();
    // Reports name the file by its absolute path, as CPython's do.
    let mut cwd = [0u8; 4096];
    let cwd = rt::sys::getcwd(&mut cwd)
        .ok()
        .and_then(|n| core::str::from_utf8(&cwd[..n.saturating_sub(1)]).ok());
    let shown = minipy::script_path(&name, cwd);
    let src = match rt::fs::read(file) {
        Ok(bytes) => match minipy::decode_source(&bytes, &shown) {
            Ok(s) => s,
            Err(e) => {
                rt::eprint!("{}", minipy::render_syntax_error(&e, &shown, ""));
                return 1;
            }
        },
        Err(e) => {
            // CPython's wording for a missing script.
            rt::eprintln!(
                "minipy: can't open file '{shown}': [Errno {}] {}",
                e.raw(),
                e.message()
            );
            return 2;
        }
    };
    let program = match minipy::compile(&src, &name) {
        Ok(p) => p,
        Err(e) => {
            rt::eprint!("{}", minipy::render_syntax_error(&e, &shown, &src));
            return 1;
        }
    };
    if dis {
        rt::print!("{}", minipy::disassemble(&program));
        return 0;
    }
    if aot {
        let Some(out) = out else {
            rt::eprintln!("minipy: --aot needs -o OUT\n{USAGE}");
            return 2;
        };
        let source = Source {
            name: &name,
            shown: &shown,
            text: &src,
        };
        return write_aot(&program, &source, out, small, no_bundle);
    }
    execute(&program, &shown, &src, &argv[i + 1..], mode, stats)
}

/// Runs `program` with `args` as the script's arguments; its exit status.
fn execute(
    program: &minipy::Program,
    shown: &str,
    src: &str,
    args: &[&'static [u8]],
    mode: Mode,
    stats: bool,
) -> i32 {
    let mut io = Io { args };
    let mut vm = Vm::with_mode(program, mode);
    if stats {
        vm.set_timing(true);
    }
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
    if stats {
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
        false,
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
    let ms = |ns: u64| alloc::format!("{:.3} ms", ns as f64 / 1e6);
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
            t.rejected.unwrap_or("")
        );
    }
    rt::eprintln!(
        "time in each tier: interpreter {}, compiled code {}, compiling {}",
        ms(interp),
        ms(native),
        ms(compile)
    );
}
