//! freestand-ld: a static linker for rustc's output. One file per phase, in the order data
//! flows (as wild splits a linker):
//!
//! ```text
//! args ─→ input ─→ symbols (resolution, archive members on demand) ─→ gc ─→ layout
//!      ─→ reloc (segment bytes + linker-core relocations) ─→ write (linker-core → ELF)
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
    Ok(Linked { bytes, removed })
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

fn run(argv: Vec<String>) -> Result<(), LinkError> {
    let argv = args::expand_response_files(argv)?;
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
    write::write_file(&c.output, &out.bytes)
}
