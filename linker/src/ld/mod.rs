//! freestand-ld: a static linker for rustc's output. One file per phase, in the order data
//! flows (as wild splits a linker):
//!
//! ```text
//! args ─→ input ─→ symbols (resolution, archive members on demand) ─→ gc ─→ layout
//!      ─→ reloc (segment bytes + linker-core relocations) ─→ write (linker-core → ELF)
//!                                                          └→ map (`-Map`: what is where)
//! ```
//!
//! It reads ELF64 x86-64 relocatable objects and `.a`/`.rlib` archives and writes a static
//! ET_EXEC in rt's layout: one R+X load (headers, code, read-only data), one R+W load (data,
//! bss), a non-executable stack, base 0x400000. Nothing is relocated at run time.

pub mod args;
pub mod error;
pub mod gc;
pub mod input;
pub mod layout;
pub mod map;
pub mod reloc;
pub mod symbols;
pub mod write;

pub use error::LinkError;

use args::Config;

/// What a link produced.
pub struct Linked {
    pub bytes: Vec<u8>,
    /// Sections `--gc-sections` removed: (object, section).
    pub removed: Vec<(String, String)>,
    /// The link map and where it goes, when `-Map` asked for one.
    pub map: Option<(std::path::PathBuf, String)>,
}

/// Links what `c` names, without writing anything.
pub fn link(c: &Config) -> Result<Linked, LinkError> {
    let files = input::open_all(c)?;
    let r = symbols::resolve(&files, &c.entry)?;
    let live = gc::collect(&r, &c.entry, c.gc_sections)?;
    let mut removed = Vec::new();
    for (fi, obj) in r.objs.iter().enumerate() {
        for (k, s) in obj.sections.iter().enumerate() {
            if gc::candidate(s) && !r.discarded[fi][k] && !live.sections[fi][k] {
                removed.push((obj.name.clone(), s.name.to_string()));
            }
        }
    }
    let layout = layout::lay_out(&r, &live, c.strip)?;
    let built = reloc::build(&r, &layout, &c.entry, !c.strip)?;
    let bytes = write::image_bytes(&r, &built, c.strip)?;
    let map = match &c.map {
        Some(m) => {
            let placement = linker_core::exe::plan(&built.image, &write::options(c.strip))
                .map_err(|e| LinkError::Write(e.to_string()))?;
            let out = c.output.display().to_string();
            let (text, _) = map::render(&r, &layout, &built, &placement, &out, bytes.len());
            // A directory gets `<output name>.map` (GNU ld's rule).
            let path = if m.is_dir() {
                let name = c.output.file_name().unwrap_or_default().to_string_lossy();
                m.join(format!("{name}.map"))
            } else {
                m.clone()
            };
            Some((path, text))
        }
        None => None,
    };
    Ok(Linked {
        bytes,
        removed,
        map,
    })
}

/// The program: arguments (without the program name) in, exit status out; errors on stderr
/// as `freestand-ld: error: …`.
pub fn main(argv: Vec<String>) -> i32 {
    match run(argv) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("freestand-ld: error: {e}");
            1
        }
    }
}

const USAGE: &str = "\
usage: freestand-ld [options] objects and archives… -o OUTPUT

A static linker for rustc's output: ELF64 x86-64 objects and .a/.rlib archives in, a static
ET_EXEC in rt's layout out (headers, code and read-only data R+X; data and bss R+W; base
0x400000). rustc: -C linker=freestand-ld. Takes cc-style (-Wl,…) and ld-style arguments.

  -o FILE                 output (default a.out)
  -e SYM, --entry=SYM     entry symbol (default _start)
  -L DIR, -l NAME         archive search: DIR/libNAME.a or DIR/libNAME.rlib
  --gc-sections           keep only what the entry reaches (--print-gc-sections lists the rest)
  -s, --strip-all         no section headers or symbols (also -z nosectionheader)
  -Map=FILE | -Map=DIR    link map: sections, symbols, bytes per crate
  --verbose               list the arguments accepted without effect
  @FILE                   read more arguments from FILE
";

/// A link for the C runtime's world (a std program, a test harness, a build script, a
/// proc-macro) goes to the system's C compiler driver with the very same arguments, so that
/// freestand-ld can be the linker of a whole crate: its freestanding binaries linked here,
/// everything else as if freestand-ld were not there. `FREESTAND_LD_CC` names the driver
/// (default `cc`); `--verbose` says which link went where.
fn delegate(argv: &[String], expanded: &[String], why: &str) -> Result<(), LinkError> {
    let cc_style = expanded
        .iter()
        .any(|a| a == "-m64" || a == "-nodefaultlibs" || a.starts_with("-Wl,"));
    if !cc_style && why.contains("-shared") {
        return Err(LinkError::Usage {
            arg: "-shared".into(),
            why: "freestand-ld writes static x86-64 ET_EXEC files only (in cc's style a shared \
                  object's link is handed to cc)",
        });
    }
    if !cc_style {
        // rustc takes a linker named *-ld for ld itself and passes ld's arguments, which a C
        // compiler driver does not take (and ld alone has no C runtime start files).
        return Err(LinkError::Usage {
            arg: String::new(),
            why: "this link needs the C runtime (a std program, test or build script) and came in ld's \
                  style: give rustc `-C linker-flavor=gcc` with `-C linker=freestand-ld` so that it \
                  passes cc's arguments, which freestand-ld then hands to cc",
        });
    }
    let cc = std::env::var("FREESTAND_LD_CC").unwrap_or_else(|_| "cc".into());
    if expanded
        .iter()
        .any(|a| a == "--verbose" || a == "-Wl,--verbose")
    {
        eprintln!("freestand-ld: {why}: handing the link to `{cc}`");
    }
    let args: Vec<&String> = argv.iter().filter(|a| *a != "--verbose").collect();
    let status = std::process::Command::new(&cc)
        .args(args)
        .status()
        .map_err(|e| LinkError::Io {
            path: cc.clone(),
            what: "running the C compiler driver for a C runtime link",
            error: format!("{e} ({why})"),
        })?;
    if status.success() {
        Ok(())
    } else {
        // The driver has said what went wrong.
        Err(LinkError::Usage {
            arg: String::new(),
            why: "the C compiler driver failed on a C runtime link (its errors are above)",
        })
    }
}

fn run(argv: Vec<String>) -> Result<(), LinkError> {
    if argv.iter().any(|a| a == "--help" || a == "-help") {
        print!("{USAGE}");
        return Ok(());
    }
    if argv.iter().any(|a| a == "--version" || a == "-version") {
        println!("freestand-ld {}", env!("CARGO_PKG_VERSION"));
        return Ok(());
    }
    let expanded = args::expand_response_files(argv.clone())?;
    if let Some(why) = args::needs_c_runtime(&expanded) {
        return delegate(&argv, &expanded, why);
    }
    let argv = expanded;
    let c = args::parse(&argv)?;
    if c.verbose {
        for (a, why) in &c.ignored {
            eprintln!("freestand-ld: ignoring `{a}`: {why}");
        }
    }
    let out = link(&c)?;
    if c.print_gc_sections {
        for (file, sec) in &out.removed {
            eprintln!("freestand-ld: removing unused section '{sec}' in file '{file}'");
        }
    }
    if let Some((path, text)) = &out.map {
        std::fs::write(path, text).map_err(|e| LinkError::Io {
            path: path.display().to_string(),
            what: "writing the link map",
            error: e.to_string(),
        })?;
    }
    write::write_file(&c.output, &out.bytes)
}
