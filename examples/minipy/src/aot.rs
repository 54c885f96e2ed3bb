//! minipy-aot FILE -o OUT [--small] [--no-bundle]
//! (what `minipy --aot FILE -o OUT …` runs: the runner hands its command line on, `--aot`
//! included, which is accepted here and means nothing more)
//!
//! minipy's ahead-of-time compiler, a freestanding binary of its own beside the runner:
//! compiles FILE into the static executable OUT (no interpreter, no JIT, no libc inside;
//! `--small`: the smallest file), written with `linker`'s no_std ELF writer and the runtime
//! library's routines the program calls. A program the AOT compiler refuses is bundled
//! instead: OUT is a copy of the runner beside this binary (`minipy`) with the program
//! inside, run in auto mode (`bundle`), and the refusal is printed as a note;
//! `--no-bundle` makes the refusal an error.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;

mod bundle;
mod script;

rt::entry!(main);

const USAGE: &str = "usage: minipy --aot FILE -o OUT [--small] [--no-bundle]\n       minipy-aot FILE -o OUT [--small] [--no-bundle]";

fn main() -> i32 {
    let argv: Vec<&'static [u8]> = rt::env::args().collect();
    let (mut small, mut no_bundle) = (false, false);
    let mut out: Option<&[u8]> = None;
    let mut file: Option<&[u8]> = None;
    let mut i = 1;
    while i < argv.len() {
        match argv[i] {
            b"--aot" => {}
            b"--small" => small = true,
            b"--no-bundle" => no_bundle = true,
            b"-o" => {
                i += 1;
                let Some(&o) = argv.get(i) else {
                    rt::eprintln!("minipy: -o needs a file name\n{USAGE}");
                    return 2;
                };
                out = Some(o);
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
            a if file.is_none() => file = Some(a),
            a => {
                rt::eprintln!(
                    "minipy: unexpected '{}' after --aot FILE\n{USAGE}",
                    String::from_utf8_lossy(a)
                );
                return 2;
            }
        }
        i += 1;
    }
    let Some(file) = file else {
        rt::eprintln!("{USAGE}");
        return 2;
    };
    let script = match script::load(file) {
        Ok(s) => s,
        Err(status) => return status,
    };
    let Some(out) = out else {
        rt::eprintln!("minipy: --aot needs -o OUT\n{USAGE}");
        return 2;
    };
    write(&script, out, small, no_bundle)
}

/// Compiles, writes OUT with mode 0755; a program the compiler refuses is bundled (unless
/// `no_bundle`).
fn write(script: &script::Script, out: &[u8], small: bool, no_bundle: bool) -> i32 {
    use linker_core::exe::{Layout, Options};
    let name = &script.name;
    let opts = Options {
        layout: if small {
            Layout::Packed
        } else {
            Layout::PageAligned
        },
        strip: small,
        ..Options::default()
    };
    let built = minipy::aot::build(&script.program, &script.shown, &script.text, &opts, small);
    let (bytes, what) = match built {
        Ok(b) => (b, "machine code"),
        Err(e) => {
            let at = if e.line > 0 {
                alloc::format!("{name}:{}", e.line)
            } else {
                name.clone()
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
                shown: script.shown.clone(),
                source: script.text.clone(),
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
