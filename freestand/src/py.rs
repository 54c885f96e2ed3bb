//! minipy in this process: a Python file interpreted, compiled to x86-64 as it runs, or
//! disassembled — stdout, stderr and the exit status as CPython's (`cargo freestand py`).
//! (`cargo xtask py` runs the freestanding runner instead, natively or under QEMU.)

use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Room for CPython's deepest nesting in the compiler and the interpreter.
const STACK: usize = 256 << 20;

/// stdout for the program: written as it goes; a closed pipe ends the run quietly as
/// CPython's does, any other error is reported.
struct Io<'a> {
    out: std::io::StdoutLock<'static>,
    args: &'a [String],
}

impl minipy::Host for Io<'_> {
    fn write(&mut self, bytes: &[u8]) {
        if let Err(e) = self.out.write_all(bytes) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(120);
            }
            eprintln!("minipy: writing stdout: {e}");
            std::process::exit(1);
        }
    }

    fn arg(&self, i: i64) -> Option<&[u8]> {
        self.args
            .get(usize::try_from(i).ok()?)
            .map(|a| a.as_bytes())
    }

    fn flush(&mut self) {
        let _ = self.out.flush();
    }
}

/// Runs `file` with `args` in `mode` (or prints its bytecode with `dis`).
pub fn run(file: &Path, mode: minipy::Mode, dis: bool, args: &[String]) -> Result<ExitCode> {
    let name = file.display().to_string();
    // Reports name the file by its absolute path, as CPython's do.
    let cwd = std::env::current_dir().ok();
    let shown = minipy::script_path(&name, cwd.as_ref().and_then(|d| d.to_str()));
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            // CPython's wording for a missing script.
            let text = e.to_string();
            let text = text.split(" (os error").next().unwrap_or("");
            eprintln!(
                "minipy: can't open file '{shown}': [Errno {}] {text}",
                e.raw_os_error().unwrap_or(0),
            );
            return Ok(ExitCode::from(2));
        }
    };
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("minipy".into())
            .stack_size(STACK)
            .spawn_scoped(s, || -> ExitCode {
                let src = match minipy::decode_source(&bytes, &shown) {
                    Ok(s) => s,
                    Err(e) => {
                        eprint!("{}", minipy::render_syntax_error(&e, &shown, ""));
                        return ExitCode::from(1);
                    }
                };
                let program = match minipy::compile(&src, &name) {
                    Ok(p) => p,
                    Err(e) => {
                        eprint!("{}", minipy::render_syntax_error(&e, &shown, &src));
                        return ExitCode::from(1);
                    }
                };
                if dis {
                    print!("{}", minipy::disassemble(&program));
                    return ExitCode::SUCCESS;
                }
                let mut io = Io {
                    out: std::io::stdout().lock(),
                    args,
                };
                let result = minipy::Vm::with_mode(&program, mode).run(&mut io);
                let flushed = io.out.flush();
                match (result, flushed) {
                    (Ok(()), Ok(())) => ExitCode::SUCCESS,
                    (Ok(()), Err(e)) => {
                        eprintln!("minipy: writing stdout: {e}");
                        ExitCode::from(1)
                    }
                    (Err(tb), _) => {
                        let (text, status) = tb.report(&shown, &src);
                        eprint!("{text}");
                        ExitCode::from(status as u8)
                    }
                }
            })
            .context("starting minipy's thread")?
            .join()
            .map_err(|_| anyhow::anyhow!("minipy's thread panicked"))
    })
}
