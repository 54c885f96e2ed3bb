//! The Rust half of the AOT runtime (`minipy/aotrt`: ints past 64 bits), as minipy's build
//! script prepared it ([`libformat`]): sections whose references to each other are already
//! resolved, and the routines compiled code may call. [`Library::link`] places the
//! sections a set of routines reaches — and no others — after an executable's own code,
//! constants and zero-filled memory, and gives back the relocations that tie them together.

#[path = "libformat.rs"]
mod libformat;

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use libformat::*;
use linker_core::exe::{Location, Reloc, RelocKind, SegmentId};

/// The library this build of minipy carries.
static PREPARED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/aotrt.bin"));

/// The prefix of every routine the library exports.
pub const PREFIX: &str = EXPORT_PREFIX;

struct Section<'a> {
    kind: u8,
    align: u64,
    data: &'a [u8],
    size: u64,
    /// (offset, kind, target section, addend)
    relocs: Vec<(u32, u8, u32, i64)>,
}

/// A prepared library, read.
pub struct Library<'a> {
    sections: Vec<Section<'a>>,
    /// Routine name → (section, offset).
    symbols: Vec<(&'a str, u32, u32)>,
}

/// Where the library's parts go: the segments of code, constants and zero-filled memory,
/// and their contents so far (appended to).
pub struct Placement<'b> {
    pub text: (SegmentId, &'b mut Vec<u8>),
    pub rodata: (SegmentId, &'b mut Vec<u8>),
    pub data: (SegmentId, &'b mut Vec<u8>),
    pub bss: (SegmentId, &'b mut u64),
}

/// What linking gave: each routine asked for and where it is, and the relocations.
pub struct Linked {
    pub routines: Vec<(String, Location)>,
    pub relocs: Vec<Reloc>,
    /// Bytes added to each of code, constants, data and zero-filled memory.
    pub sizes: [u64; 4],
    /// The largest alignment a placed section needs (the segment must have it).
    pub align: u64,
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| format!("truncated at byte {}", self.at))?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, String> {
        Ok(u16::from_le_bytes(
            self.take(2)?.try_into().unwrap_or_default(),
        ))
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().unwrap_or_default(),
        ))
    }
    fn i64(&mut self) -> Result<i64, String> {
        Ok(i64::from_le_bytes(
            self.take(8)?.try_into().unwrap_or_default(),
        ))
    }
}

impl Library<'static> {
    /// The library built with this minipy.
    pub fn builtin() -> Result<Library<'static>, String> {
        Library::parse(PREPARED)
    }
}

impl<'a> Library<'a> {
    /// Reads a prepared library; an error names what is wrong and where.
    pub fn parse(bytes: &'a [u8]) -> Result<Library<'a>, String> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return Err("not a prepared minipy runtime library".into());
        }
        let n = r.u32()?;
        let mut sections = Vec::new();
        for _ in 0..n {
            let (kind, log_align, size, nrel) = (r.u8()?, r.u8()?, r.u32()?, r.u32()?);
            if kind > KIND_BSS || log_align > 12 {
                return Err(format!(
                    "section {}: kind {kind}, alignment 2^{log_align}",
                    sections.len()
                ));
            }
            let data = if kind == KIND_BSS {
                &[][..]
            } else {
                r.take(size as usize)?
            };
            let mut relocs = Vec::new();
            for _ in 0..nrel {
                let (off, k, t, a) = (r.u32()?, r.u8()?, r.u32()?, r.i64()?);
                let width = if k == RELOC_ABS64 { 8 } else { 4 };
                if k > RELOC_ABS32S || t >= n || u64::from(off) + width > u64::from(size) {
                    return Err(format!("section {}: relocation at {off}", sections.len()));
                }
                relocs.push((off, k, t, a));
            }
            sections.push(Section {
                kind,
                align: 1 << log_align,
                data,
                size: u64::from(size),
                relocs,
            });
        }
        let nsym = r.u32()?;
        let mut symbols = Vec::new();
        for _ in 0..nsym {
            let len = r.u16()? as usize;
            let name =
                core::str::from_utf8(r.take(len)?).map_err(|_| "a symbol name is not UTF-8")?;
            let (sec, off) = (r.u32()?, r.u32()?);
            if sec >= n {
                return Err(format!("symbol {name}: section {sec}"));
            }
            symbols.push((name, sec, off));
        }
        if r.at != bytes.len() {
            return Err(format!("{} bytes after the symbols", bytes.len() - r.at));
        }
        Ok(Library { sections, symbols })
    }

    /// Whether the library has a routine of this name.
    pub fn has(&self, name: &str) -> bool {
        self.symbols.iter().any(|s| s.0 == name)
    }

    /// The routines' names.
    pub fn routines(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.symbols.iter().map(|s| s.0)
    }

    /// Places the sections that `roots` reach (in the library's order) into `to`.
    pub fn link(&self, roots: &[&str], to: Placement<'_>) -> Result<Linked, String> {
        let mut keep = vec![false; self.sections.len()];
        let mut work = Vec::new();
        let mut wanted = Vec::new();
        for &name in roots {
            let s = self
                .symbols
                .iter()
                .find(|s| s.0 == name)
                .ok_or_else(|| format!("the runtime library has no routine `{name}`"))?;
            wanted.push((name, s.1, s.2));
            work.push(s.1 as usize);
        }
        while let Some(i) = work.pop() {
            if core::mem::replace(&mut keep[i], true) {
                continue;
            }
            work.extend(self.sections[i].relocs.iter().map(|r| r.2 as usize));
        }
        let Placement {
            text,
            rodata,
            data,
            bss,
        } = to;
        let before = [
            text.1.len() as u64,
            rodata.1.len() as u64,
            data.1.len() as u64,
            *bss.1,
        ];
        let mut at: Vec<Option<Location>> = vec![None; self.sections.len()];
        let mut align = 1;
        for (i, s) in self.sections.iter().enumerate().filter(|(i, _)| keep[*i]) {
            align = align.max(s.align);
            let place = |seg: SegmentId, buf: &mut Vec<u8>, fill: u8| {
                let off = (buf.len() as u64).next_multiple_of(s.align);
                buf.resize(off as usize, fill);
                buf.extend(s.data);
                Location::new(seg, off)
            };
            at[i] = Some(match s.kind {
                KIND_TEXT => place(text.0, text.1, 0xcc),
                KIND_RODATA => place(rodata.0, rodata.1, 0),
                KIND_BSS => {
                    let off = bss.1.next_multiple_of(s.align);
                    *bss.1 = off + s.size;
                    Location::new(bss.0, off)
                }
                KIND_DATA => place(data.0, data.1, 0),
                k => return Err(format!("section {i}: unknown kind {k}")),
            });
        }
        let mut relocs = Vec::new();
        for (i, s) in self.sections.iter().enumerate() {
            let Some(base) = at[i] else { continue };
            for &(off, k, t, addend) in &s.relocs {
                let target =
                    at[t as usize].ok_or("internal: a kept section refers to a dropped one")?;
                relocs.push(Reloc {
                    at: Location::new(base.segment, base.offset + u64::from(off)),
                    kind: match k {
                        RELOC_REL32 => RelocKind::Rel32,
                        RELOC_ABS64 => RelocKind::Abs64,
                        RELOC_ABS32 => RelocKind::Abs32,
                        _ => RelocKind::Abs32S,
                    },
                    target: target.into(),
                    addend,
                });
            }
        }
        let routines = wanted
            .into_iter()
            .map(|(name, sec, off)| {
                let l = at[sec as usize].unwrap_or(Location::new(text.0, 0));
                (
                    String::from(name),
                    Location::new(l.segment, l.offset + u64::from(off)),
                )
            })
            .collect();
        let sizes = [
            text.1.len() as u64 - before[0],
            rodata.1.len() as u64 - before[1],
            data.1.len() as u64 - before[2],
            *bss.1 - before[3],
        ];
        Ok(Linked {
            routines,
            relocs,
            sizes,
            align,
        })
    }
}
