//! Phase 6: layout. Every kept section goes into one of four output segments by its flags —
//! code, read-only data (with `.data.rel.ro` and the GOT: nothing is relocated at run time),
//! data, bss — in input order at its own alignment; common symbols and GOT slots are
//! allocated at the end of bss and read-only data. linker-core then places the segments as
//! rt's layout does: headers, code and read-only data in one R+X load, data and bss in one
//! R+W load.
//!
//! The GOT holds one 8-byte slot per target that a GOTPCREL relocation reaches and that
//! cannot be relaxed to a direct reference (see [`relaxation`]).

use super::error::LinkError;
use super::gc::Live;
use super::input::Obj;
use super::symbols::{FileId, GlobalId, Resolved, State};
use object::elf;
use rustc_hash::FxHashMap as HashMap;

pub const PAGE: u64 = 0x1000;
/// No output segment is larger (the user address space is 2^47 bytes): sizes read from a
/// file stay far from overflowing u64 arithmetic.
const MAX_SEGMENT: u64 = 1 << 46;

/// The output segments, in address order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Out {
    Text,
    Rodata,
    Data,
    Bss,
}

impl Out {
    pub const ALL: [Out; 4] = [Out::Text, Out::Rodata, Out::Data, Out::Bss];

    pub fn name(self) -> &'static str {
        match self {
            Out::Text => ".text",
            Out::Rodata => ".rodata",
            Out::Data => ".data",
            Out::Bss => ".bss",
        }
    }
}

/// An input section placed in an output segment.
#[derive(Clone, Copy, Debug)]
pub struct Part {
    pub file: FileId,
    pub sec: u32,
    pub offset: u64,
    pub size: u64,
}

#[derive(Clone, Debug)]
pub struct OutSeg {
    pub kind: Out,
    pub size: u64,
    pub align: u64,
    pub parts: Vec<Part>,
}

/// What a GOT slot points at: a global, or a local symbol of one object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GotKey {
    Global(GlobalId),
    Local(FileId, u32),
}

/// How a GOTPCRELX-family relocation's instruction becomes a direct reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relax {
    /// `mov foo@GOTPCREL(%rip), %reg` → `lea foo(%rip), %reg`.
    MovToLea,
    /// `call *foo@GOTPCREL(%rip)` → `addr32 call foo`.
    Call,
    /// `jmp *foo@GOTPCREL(%rip)` → `jmp foo; nop` (the field moves one byte back).
    Jmp,
}

/// Whether relocation type `r_type` at `off` of `data` can be relaxed, for a target that is
/// defined in the output (not absolute, not undefined). Only the X forms may be: plain
/// GOTPCREL promises nothing about the instruction.
pub fn relaxation(r_type: u32, data: &[u8], off: u64, defined: bool) -> Option<Relax> {
    let off = off as usize;
    if !defined || !(r_type == 41 || r_type == 42) || off < 2 {
        return None;
    }
    match (data.get(off - 2)?, data.get(off - 1)?) {
        (0x8b, _) => Some(Relax::MovToLea),
        (0xff, 0x15) if r_type == 41 => Some(Relax::Call),
        (0xff, 0x25) if r_type == 41 => Some(Relax::Jmp),
        _ => None,
    }
}

/// Identical constants (SHF_MERGE sections: fixed-size entries, or strings) from every
/// input, each kept once.
#[derive(Clone, Debug)]
pub struct Merged {
    pub out: Out,
    pub offset: u64,
    pub bytes: Vec<u8>,
    pub entsize: u64,
    pub strings: bool,
    /// Bytes of the input sections merged into it.
    pub input_bytes: u64,
}

/// A merged input section: which [`Merged`] it went into and where each of its pieces is.
#[derive(Clone, Debug)]
pub struct MergedSec {
    pub blob: usize,
    /// (offset in the input section, offset in the blob), by input offset.
    pub pieces: Vec<(u64, u64)>,
}

pub struct Layout {
    /// In [`Out::ALL`] order.
    pub segs: Vec<OutSeg>,
    /// Per object, per section: where it went (None for merged and dropped sections).
    pub place: Vec<Vec<Option<(Out, u64)>>>,
    pub merged: Vec<Merged>,
    /// Per object, per section: its pieces, if it was merged (a vector, not a map: every
    /// relocation asks).
    pub merged_secs: Vec<Vec<Option<MergedSec>>>,
    /// Common symbols' offsets in bss.
    pub commons: HashMap<(FileId, u32), u64>,
    /// GOT slots in read-only data (segment `got_seg`), from `got_offset`.
    pub got: Vec<GotKey>,
    pub got_index: HashMap<GotKey, usize>,
    pub got_seg: Out,
    pub got_offset: u64,
}

impl Layout {
    pub fn seg(&self, o: Out) -> &OutSeg {
        &self.segs[o as usize]
    }

    /// The pieces of section `sec` of `f`, if it was merged.
    pub fn merged_sec(&self, f: FileId, sec: u32) -> Option<&MergedSec> {
        self.merged_secs
            .get(f.0 as usize)?
            .get(sec as usize)?
            .as_ref()
    }

    /// Where byte `offset` of section `sec` of `f` went.
    pub fn offset_of(&self, f: FileId, sec: u32, offset: u64) -> Option<(Out, u64)> {
        if let Some(m) = self.merged_sec(f, sec) {
            let i = m.pieces.partition_point(|p| p.0 <= offset).checked_sub(1)?;
            let (input, output) = m.pieces[i];
            let blob = &self.merged[m.blob];
            return Some((blob.out, blob.offset + output + (offset - input)));
        }
        let (o, at) = (*self.place.get(f.0 as usize)?.get(sec as usize)?)?;
        Some((o, at.checked_add(offset)?))
    }
}

/// Whether a kept section's entries can be merged with identical ones: read-only SHF_MERGE
/// data with a fixed entry size (strings: SHF_STRINGS, ending in a zero entry) and no
/// relocations of its own.
fn mergeable(s: &super::input::Sec) -> bool {
    let merge = elf::SHF_MERGE.0;
    s.flags & merge != 0
        && !s.exec()
        && !s.write()
        && !s.nobits()
        && s.relocs.is_empty()
        && s.entsize > 0
        && s.size.is_multiple_of(s.entsize)
        && s.size == s.data.len() as u64
}

/// The pieces of a mergeable section: fixed-size entries, or strings with their
/// terminator. None if a string lacks its terminator.
fn pieces<'d>(s: &super::input::Sec<'d>) -> Option<Vec<(u64, &'d [u8])>> {
    let e = s.entsize as usize;
    let mut out = Vec::new();
    if s.flags & elf::SHF_STRINGS.0 == 0 {
        for (i, c) in s.data.chunks(e).enumerate() {
            out.push(((i * e) as u64, c));
        }
        return Some(out);
    }
    let mut at = 0;
    while at < s.data.len() {
        let mut end = at;
        loop {
            let c = s.data.get(end..end + e)?;
            end += e;
            if c.iter().all(|&b| b == 0) {
                break;
            }
        }
        out.push((at as u64, &s.data[at..end]));
        at = end;
    }
    Some(out)
}

fn classify(s: &super::input::Sec) -> Out {
    if s.exec() {
        Out::Text
    } else if s.name.starts_with(".data.rel.ro") || s.name.starts_with(".ldata.rel.ro") {
        // Static: nothing writes it after the link.
        Out::Rodata
    } else if s.nobits() {
        Out::Bss
    } else if s.write() {
        Out::Data
    } else {
        Out::Rodata
    }
}

/// The GOT key of symbol `sym` of `f` (a global's resolution, or the local itself).
pub fn got_key(r: &Resolved, f: FileId, sym: u32) -> GotKey {
    match r.sym_global[f.0 as usize][sym as usize] {
        Some(g) => GotKey::Global(g),
        None => GotKey::Local(f, sym),
    }
}

/// Whether symbol `sym` of `f` ends up at an address in the output (not absolute, not an
/// undefined weak).
pub fn is_placed_symbol(r: &Resolved, f: FileId, sym: u32) -> bool {
    match r.sym_global[f.0 as usize][sym as usize] {
        Some(g) => match r.globals[g.0 as usize].state {
            State::Defined(d) => !matches!(
                r.obj(d.file).symbols[d.index as usize].shndx,
                super::input::Shndx::Abs
            ),
            State::Common(_) => true,
            _ => false,
        },
        None => !matches!(
            r.obj(f).symbols[sym as usize].shndx,
            super::input::Shndx::Abs | super::input::Shndx::Undef
        ),
    }
}

/// Lays out the kept sections. `rodata_in_text`: read-only data goes into the code segment,
/// each input section at its own alignment right after the code (rt's script does this; it
/// saves the padding before a separate segment's start, which must satisfy the largest
/// alignment inside it, and a section header).
pub fn lay_out(r: &Resolved, live: &Live, rodata_in_text: bool) -> Result<Layout, LinkError> {
    let mut segs: Vec<OutSeg> = Out::ALL
        .iter()
        .map(|&kind| OutSeg {
            kind,
            size: 0,
            align: 1,
            parts: Vec::new(),
        })
        .collect();
    let mut place: Vec<Vec<Option<(Out, u64)>>> = r
        .objs
        .iter()
        .map(|o| vec![None; o.sections.len()])
        .collect();
    let mut got: Vec<GotKey> = Vec::new();
    let mut got_index: HashMap<GotKey, usize> = HashMap::default();
    // Every kept section with its class, code before read-only data (so that merged into
    // one segment they do not alternate, paying alignment padding at each switch), each
    // class in input order.
    let mut order: Vec<(Out, FileId, usize)> = Vec::new();
    for (fi, obj) in r.objs.iter().enumerate() {
        let f = FileId(fi as u32);
        for (k, s) in obj.sections.iter().enumerate() {
            if live.is_live(f, k as u32) {
                order.push((classify(s), f, k));
            }
        }
    }
    order.sort_by_key(|&(o, f, k)| (o as u8, f, k));
    let mut to_merge: Vec<(FileId, usize)> = Vec::new();
    for (class, f, k) in order {
        let fi = f.0 as usize;
        let obj = r.obj(f);
        let s = &obj.sections[k];
        let unplaceable = |why: String| LinkError::Unplaceable {
            file: obj.name.clone(),
            section: s.name.into(),
            why,
        };
        if s.flags & elf::SHF_TLS.0 != 0 {
            return Err(unplaceable(
                "thread-local storage: freestanding programs have no TLS (nothing sets FS)".into(),
            ));
        }
        if s.align > PAGE {
            return Err(unplaceable(format!(
                "alignment {:#x} is larger than a page",
                s.align
            )));
        }
        if class == Out::Rodata && mergeable(s) && pieces(s).is_some() {
            to_merge.push((f, k));
            continue;
        }
        let o = match class {
            Out::Rodata if rodata_in_text => Out::Text,
            o => o,
        };
        let seg = &mut segs[o as usize];
        let at = seg.size.next_multiple_of(s.align);
        seg.size = at
            .checked_add(s.size)
            .filter(|&e| e < MAX_SEGMENT)
            .ok_or_else(|| unplaceable(format!("{} bytes do not fit in memory", s.size)))?;
        seg.align = seg.align.max(s.align);
        seg.parts.push(Part {
            file: f,
            sec: k as u32,
            offset: at,
            size: s.size,
        });
        place[fi][k] = Some((o, at));
        collect_got(r, f, obj, k, &mut got, &mut got_index)?;
    }
    let ro_seg = if rodata_in_text {
        Out::Text
    } else {
        Out::Rodata
    };
    let (merged, merged_secs) = merge(r, &to_merge, &mut segs[ro_seg as usize], ro_seg);
    let mut commons = HashMap::default();
    for &(f, i) in &live.commons {
        let s = &r.obj(f).symbols[i as usize];
        // A common symbol's value is its alignment.
        let align = s.value.clamp(1, PAGE).next_power_of_two();
        let bss = &mut segs[Out::Bss as usize];
        let at = bss.size.next_multiple_of(align);
        bss.size = at
            .checked_add(s.size)
            .filter(|&e| e < MAX_SEGMENT)
            .ok_or_else(|| LinkError::Unplaceable {
                file: r.obj(f).name.clone(),
                section: "COMMON".into(),
                why: format!(
                    "common symbol {} of {} bytes does not fit in memory",
                    s.name, s.size
                ),
            })?;
        bss.align = bss.align.max(align);
        commons.insert((f, i), at);
    }
    let got_seg = if rodata_in_text {
        Out::Text
    } else {
        Out::Rodata
    };
    let ro = &mut segs[got_seg as usize];
    let got_offset = ro.size.next_multiple_of(8);
    if !got.is_empty() {
        ro.size = got_offset + 8 * got.len() as u64;
        ro.align = ro.align.max(8);
    }
    Ok(Layout {
        segs,
        place,
        merged,
        merged_secs,
        commons,
        got,
        got_index,
        got_seg,
        got_offset,
    })
}

/// Merges the sections in `list` (one blob per entry size, alignment and kind) and places
/// the blobs at the end of `seg`.
fn merge<'d>(
    r: &Resolved<'d>,
    list: &[(FileId, usize)],
    seg: &mut OutSeg,
    out: Out,
) -> (Vec<Merged>, Vec<Vec<Option<MergedSec>>>) {
    let mut blobs: Vec<(u64, u64, bool, Vec<u8>, u64)> = Vec::new(); // entsize, align, strings, bytes, input
    // Keys borrow the mapped input bytes: no copy per piece.
    let mut seen: Vec<HashMap<&'d [u8], u64>> = Vec::new();
    let mut secs: Vec<Vec<Option<MergedSec>>> = r
        .objs
        .iter()
        .map(|o| vec![None; o.sections.len()])
        .collect();
    for &(f, k) in list {
        let s: &super::input::Sec<'d> = &r.objs[f.0 as usize].sections[k];
        let strings = s.flags & elf::SHF_STRINGS.0 != 0;
        let key = (s.entsize, s.align, strings);
        let b = match blobs.iter().position(|b| (b.0, b.1, b.2) == key) {
            Some(b) => b,
            None => {
                blobs.push((s.entsize, s.align, strings, Vec::new(), 0));
                seen.push(HashMap::default());
                blobs.len() - 1
            }
        };
        let mut ps = Vec::new();
        for (input, bytes) in pieces(s).unwrap_or_default() {
            let blob = &mut blobs[b];
            let at = *seen[b].entry(bytes).or_insert_with(|| {
                // Fixed-size entries keep their alignment by their size; strings need none.
                let at = if strings {
                    blob.3.len() as u64
                } else {
                    (blob.3.len() as u64).next_multiple_of(blob.1.min(blob.0.next_power_of_two()))
                };
                blob.3.resize(at as usize, 0);
                blob.3.extend_from_slice(bytes);
                at
            });
            ps.push((input, at));
        }
        blobs[b].4 += s.size;
        secs[f.0 as usize][k] = Some(MergedSec {
            blob: b,
            pieces: ps,
        });
    }
    let merged = blobs
        .into_iter()
        .map(|(entsize, align, strings, bytes, input_bytes)| {
            let offset = seg.size.next_multiple_of(align);
            seg.size = offset + bytes.len() as u64;
            seg.align = seg.align.max(align);
            Merged {
                out,
                offset,
                bytes,
                entsize,
                strings,
                input_bytes,
            }
        })
        .collect();
    (merged, secs)
}

/// GOT slots for the GOTPCREL relocations of section `k` that cannot be relaxed.
fn collect_got(
    r: &Resolved,
    f: FileId,
    obj: &Obj,
    k: usize,
    got: &mut Vec<GotKey>,
    got_index: &mut HashMap<GotKey, usize>,
) -> Result<(), LinkError> {
    let s = &obj.sections[k];
    for rel in s.relocs {
        let (off, ty, sym, _) = Obj::reloc(rel);
        // GOTPCREL, GOTPCRELX, REX_GOTPCRELX; GOT64, GOTPCREL64, GOTPLT64.
        if !matches!(ty, 9 | 41 | 42 | 27 | 28 | 30) {
            continue;
        }
        if relaxation(ty, s.data, off, is_placed_symbol(r, f, sym)).is_some() {
            continue;
        }
        let key = got_key(r, f, sym);
        got_index.entry(key).or_insert_with(|| {
            got.push(key);
            got.len() - 1
        });
    }
    Ok(())
}
