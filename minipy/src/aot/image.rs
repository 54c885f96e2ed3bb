//! The AOT driver: a compiled program ([`crate::aot::lower`] IR + [`crate::aot::runtime`]
//! routines) → the jit backend's machine code → an [`Image`] of segments, symbols and
//! relocations that linker-core writes as a static ELF file. No interpreter, no JIT and no
//! libc end up in the output. Works without std, so the freestanding runner uses it too.

use crate::aot::library::{self, Library};
use crate::aot::{
    self, AotProgram, DATA_LANDINGS, DATA_OUTPUT, DATA_SITES, DATA_STRINGS, OUTPUT_SIZE, Runtime,
};
use crate::lower::TRANSPARENT;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use jit::codegen::Callee;
use jit::emit::{self, RelocKind as JitReloc};
use linker_core::exe::{
    self, Image, Location, Reloc, RelocKind, Segment, SegmentId, SegmentKind, Symbol, SymbolKind,
};

/// Why no executable came out: the source line when the program is at fault (`line` 0
/// otherwise) and the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AotFailure {
    pub line: u32,
    pub msg: String,
}

impl From<exe::WriteError> for AotFailure {
    fn from(e: exe::WriteError) -> Self {
        AotFailure {
            line: 0,
            msg: format!("writing the executable: {e}"),
        }
    }
}

const TEXT: SegmentId = SegmentId(0);
const RODATA: SegmentId = SegmentId(1);
const BSS: SegmentId = SegmentId(2);
/// The runtime library's initialized writable data, when it has any (linker-core places
/// it before the bss).
const DATA: SegmentId = SegmentId(3);

fn placed(at_text: u64) -> Location {
    Location::new(TEXT, at_text)
}

/// Compiles a parsed and compiled minipy program into an executable image. `small` trades
/// speed for size (no inlining), as `-Os` does. `file` and `source`: the program's path
/// as its tracebacks show it (CPython shows the absolute path it ran) and its text.
pub fn image(
    prog: &crate::Program,
    file: &str,
    source: &str,
    small: bool,
) -> Result<Image, AotFailure> {
    let aotp = aot::compile(prog, file, source).map_err(|e| AotFailure {
        line: e.line,
        msg: e.msg,
    })?;
    if let Some(out) = &aotp.constant_stdout {
        return Ok(constant_image(out));
    }
    full_image(&aotp, small)
}

/// Compiles and writes the executable.
pub fn build(
    prog: &crate::Program,
    file: &str,
    source: &str,
    opts: &exe::Options,
    small: bool,
) -> Result<Vec<u8>, AotFailure> {
    Ok(exe::write(&image(prog, file, source, small)?, opts)?)
}

/// The runtime routines that raise (a traceback starts at a call to one of them).
const RAISING: [&str; 7] = [
    "rt_raise",
    "rt_raise_text",
    "rt_pow",
    "rt_powx",
    "rt_arg",
    "rt_argv",
    "rt_argv_int",
];

/// The call-site table a traceback walks ([`DATA_SITES`]): for every call that can end in
/// a raise, one 16-byte entry per source frame it stands for (innermost first; several
/// where calls were inlined) — the return address's offset in .text, the frame's bytes
/// above the stack pointer at the call, the frame's string and its key (u32 each); string
/// 0 for a call that is no frame of its own. A zero entry ends it. The frames' texts are
/// appended to `strings`.
fn call_site_table(
    p: &AotProgram,
    compiled: &jit::CompiledModule,
    starts: &[u64],
    strings: &mut Vec<Vec<u8>>,
) -> Vec<u8> {
    // The string of each site's frame (0: not made yet).
    let mut ids = vec![0u32; p.frames.len()];
    let mut table = Vec::new();
    for (f, &start) in compiled.functions.iter().zip(starts) {
        for cs in &f.call_sites {
            let raises = match cs.callee {
                Callee::Func(_) => true,
                Callee::Host(h) => p
                    .module
                    .host(h)
                    .is_some_and(|h| RAISING.contains(&h.name.as_str())),
            };
            if !raises {
                continue;
            }
            for s in &cs.chain {
                let (id, key) = if *s == TRANSPARENT {
                    (0, 0)
                } else {
                    let frame = &p.frames[s.0 as usize - 1];
                    let id = &mut ids[s.0 as usize - 1];
                    if *id == 0 {
                        strings.push(frame.text.clone());
                        *id = strings.len() as u32 - 1;
                    }
                    let id = *id;
                    (id, frame.key)
                };
                for field in [start as u32 + cs.ret, cs.frame, id, key] {
                    table.extend(field.to_le_bytes());
                }
            }
        }
    }
    table.extend([0; 16]);
    table
}

/// The landings `rt_land` finds ([`DATA_LANDINGS`]): for every call with one, its return
/// address and its landing as .text offsets (u32 each); a zero pair ends it.
fn landing_table(compiled: &jit::CompiledModule, starts: &[u64]) -> Vec<u8> {
    let mut table = Vec::new();
    for (f, &start) in compiled.functions.iter().zip(starts) {
        for &(ret, landing) in &f.landings {
            for field in [start as u32 + ret, start as u32 + landing] {
                table.extend(field.to_le_bytes());
            }
        }
    }
    table.extend([0; 8]);
    table
}

/// One write of the output and an exit.
fn constant_image(out: &[u8]) -> Image {
    let rt = aot::constant_runtime(out.len() as u32);
    let mut relocs = Vec::new();
    for r in &rt.relocs {
        if let JitReloc::DataRel32(DATA_STRINGS) = r.kind {
            relocs.push(Reloc {
                at: placed(r.offset as u64),
                kind: RelocKind::Rel32,
                target: Location::new(RODATA, 0).into(),
                addend: -4,
            });
        }
    }
    let n = rt.code.len() as u64;
    Image {
        segments: vec![
            Segment::new(".text", SegmentKind::Code, rt.code, 16),
            Segment::new(".rodata", SegmentKind::ReadOnly, out.to_vec(), 1),
        ],
        entry: Some(placed(0)),
        symbols: vec![Symbol {
            name: "_start".into(),
            at: placed(0),
            size: n,
            kind: SymbolKind::Func,
            global: true,
        }],
        relocs,
    }
}

fn full_image(p: &AotProgram, small: bool) -> Result<Image, AotFailure> {
    let opts = jit::Options {
        optimize: true,
        inline: !small,
        verify: true,
    };
    let compiled = jit::compile_module(&p.module, opts).map_err(|e| AotFailure {
        line: 0,
        msg: format!("code generation: {e}"),
    })?;
    // Only the routines the compiled code calls.
    let mut used: Vec<&str> = Vec::new();
    for f in &compiled.functions {
        for r in &f.relocs {
            if let JitReloc::HostAbs64(h) | JitReloc::HostRel32(h) = r.kind
                && let Some(host) = p.module.host(h)
            {
                used.push(&host.name);
            }
        }
    }
    let raising = used.iter().any(|u| RAISING.contains(u));
    let mut errors = p.errors;
    let mut strings = p.strings.clone();
    if raising {
        errors.repeated = strings.len() as i64;
        strings.extend(aot::REPEATED.iter().map(|s| s.to_vec()));
    }
    let Runtime {
        code: rt_code,
        relocs: rt_relocs,
        routines,
    } = &aot::runtime(p.main, &|name| used.contains(&name), errors);
    // .text: the runtime (with _start at 0), then each function 16-byte aligned.
    let mut text = rt_code.clone();
    let mut symbols = Vec::new();
    let mut starts = Vec::new();
    for w in routines.windows(2) {
        symbols.push(func_symbol(w[0].0, w[0].1 as u64, (w[1].1 - w[0].1) as u64));
    }
    if let Some(last) = routines.last() {
        symbols.push(func_symbol(
            last.0,
            last.1 as u64,
            (rt_code.len() as u32 - last.1) as u64,
        ));
    }
    for f in &compiled.functions {
        emit::pad_with_int3(&mut text, 16);
        starts.push(text.len() as u64);
        symbols.push(func_symbol(&f.name, text.len() as u64, f.code.len() as u64));
        text.extend(&f.code);
    }
    // Read-only data: the string table (the frames' texts appended), then the call sites.
    let sites = if raising {
        call_site_table(p, &compiled, &starts, &mut strings)
    } else {
        Vec::new()
    };
    let mut rodata = aot::lower::string_table(&strings);
    rodata.resize(rodata.len().next_multiple_of(8), 0);
    let sites_at = rodata.len() as u64;
    rodata.extend(sites);
    let landings_at = rodata.len() as u64;
    if used.contains(&"rt_land") {
        rodata.extend(landing_table(&compiled, &starts));
    }
    let mut bss = OUTPUT_SIZE + 8 * u64::from(p.cells);
    let mut data = Vec::new();
    // The library's routines the code calls, after it (and their constants and memory
    // after the program's).
    let mut relocs = Vec::new();
    let wanted: Vec<&str> = used
        .iter()
        .copied()
        .filter(|u| u.starts_with(library::PREFIX))
        .collect();
    let mut from_library = Vec::new();
    let mut align = 16;
    if !wanted.is_empty() {
        let fail = |msg: String| AotFailure {
            line: 0,
            msg: format!("the runtime library: {msg}"),
        };
        let lib = Library::builtin().map_err(fail)?;
        let linked = lib
            .link(
                &wanted,
                library::Placement {
                    text: (TEXT, &mut text),
                    rodata: (RODATA, &mut rodata),
                    data: (DATA, &mut data),
                    bss: (BSS, &mut bss),
                },
            )
            .map_err(fail)?;
        for (name, at) in &linked.routines {
            symbols.push(Symbol {
                name: name.clone(),
                at: *at,
                size: 0,
                kind: SymbolKind::Func,
                global: false,
            });
        }
        relocs = linked.relocs;
        from_library = linked.routines;
        align = align.max(linked.align);
    }
    let routine = |name: &str| {
        routines
            .iter()
            .find(|r| r.0 == name)
            .map(|r| placed(r.1 as u64))
            .or_else(|| from_library.iter().find(|r| r.0 == name).map(|r| r.1))
    };
    let mut convert = |base: u64, r: &emit::Reloc, owner: &str| -> Result<(), AotFailure> {
        let at = placed(base + r.offset as u64);
        let (kind, target, addend) = match r.kind {
            JitReloc::CallRel32(f) => (RelocKind::Rel32, placed(starts[f.0 as usize]), -4),
            JitReloc::HostAbs64(h) | JitReloc::HostRel32(h) => {
                let host = p.module.host(h).ok_or_else(|| AotFailure {
                    line: 0,
                    msg: format!("{owner}: unknown host function {}", h.0),
                })?;
                let off = routine(&host.name).ok_or_else(|| AotFailure {
                    line: 0,
                    msg: format!("{owner}: no runtime routine `{}`", host.name),
                })?;
                if matches!(r.kind, JitReloc::HostRel32(_)) {
                    (RelocKind::Rel32, off, -4)
                } else {
                    (RelocKind::Abs64, off, 0)
                }
            }
            JitReloc::DataRel32(DATA_STRINGS) => (RelocKind::Rel32, Location::new(RODATA, 0), -4),
            JitReloc::DataRel32(DATA_OUTPUT) => (RelocKind::Rel32, Location::new(BSS, 0), -4),
            JitReloc::DataRel32(DATA_SITES) => {
                (RelocKind::Rel32, Location::new(RODATA, sites_at), -4)
            }
            JitReloc::DataRel32(DATA_LANDINGS) => {
                (RelocKind::Rel32, Location::new(RODATA, landings_at), -4)
            }
            JitReloc::DataRel32(d) => {
                return Err(AotFailure {
                    line: 0,
                    msg: format!("{owner}: unknown data item {d}"),
                });
            }
        };
        relocs.push(Reloc {
            at,
            kind,
            target: target.into(),
            addend,
        });
        Ok(())
    };
    for r in rt_relocs {
        convert(0, r, "runtime")?;
    }
    for (i, f) in compiled.functions.iter().enumerate() {
        for r in &f.relocs {
            convert(starts[i], r, &f.name)?;
        }
    }
    let rodata_align = if from_library.is_empty() { 8 } else { align };
    let mut segments = vec![
        Segment::new(".text", SegmentKind::Code, text, align),
        Segment::new(".rodata", SegmentKind::ReadOnly, rodata, rodata_align),
        Segment::bss(".bss", bss, align),
    ];
    if !data.is_empty() {
        segments.push(Segment::new(".data", SegmentKind::Data, data, align));
    }
    Ok(Image {
        segments,
        entry: Some(placed(0)),
        symbols,
        relocs,
    })
}

fn func_symbol(name: &str, at: u64, size: u64) -> Symbol {
    Symbol {
        name: name.into(),
        at: placed(at),
        size,
        kind: SymbolKind::Func,
        global: name == "_start",
    }
}
