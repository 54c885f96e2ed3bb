//! The script named on the command line, read and compiled to bytecode as both binaries
//! need it (the runner and minipy-aot), with CPython's reports when that fails.

use alloc::string::String;

/// A script read and compiled.
pub struct Script {
    /// As named on the command line.
    #[allow(dead_code)] // minipy-aot's reports name it
    pub name: String,
    /// As tracebacks show it: its absolute path, as CPython's do.
    pub shown: String,
    pub text: String,
    pub program: minipy::Program,
}

/// Reads and compiles `file`; on failure the error is reported and the exit status returned
/// (1 for a syntax error, 2 for a file that cannot be read, as CPython's).
pub fn load(file: &[u8]) -> Result<Script, i32> {
    let name = String::from_utf8_lossy(file).into_owned();
    let mut cwd = [0u8; 4096];
    let cwd = rt::sys::getcwd(&mut cwd)
        .ok()
        .and_then(|n| core::str::from_utf8(&cwd[..n.saturating_sub(1)]).ok());
    let shown = minipy::script_path(&name, cwd);
    let text = match rt::fs::read(file) {
        Ok(bytes) => match minipy::decode_source(&bytes, &shown) {
            Ok(s) => s,
            Err(e) => {
                rt::eprint!("{}", minipy::render_syntax_error(&e, &shown, ""));
                return Err(1);
            }
        },
        Err(e) => {
            // CPython's wording for a missing script.
            rt::eprintln!(
                "minipy: can't open file '{shown}': [Errno {}] {}",
                e.raw(),
                e.message()
            );
            return Err(2);
        }
    };
    match minipy::compile(&text, &name) {
        Ok(program) => Ok(Script {
            name,
            shown,
            text,
            program,
        }),
        Err(e) => {
            rt::eprint!("{}", minipy::render_syntax_error(&e, &shown, &text));
            Err(1)
        }
    }
}
