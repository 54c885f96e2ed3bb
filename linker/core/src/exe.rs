//! Static x86-64 executables (ET_EXEC, no interpreter, no dynamic section) written with
//! object's two-phase `write::elf::Writer`.
//!
//! Input is an [`Image`]: segments (code, read-only data, data, zero-filled bss), an entry
//! point, symbols and relocations between segments. [`write()`] chooses file offsets and
//! addresses, resolves the relocations, and emits one `PT_LOAD` per segment (or, in the
//! [`Layout::Packed`] layout, one for the headers, code and read-only data together) plus a
//! non-executable `PT_GNU_STACK`, and — unless stripped — section headers with `.symtab` and
//! `.strtab` so gdb and objdump see function names.
//!
//! Works without std (only `alloc`), so the freestanding minipy can write executables itself.

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;
use object::elf;
use object::write::StringId;
use object::write::elf::{FileHeader, ProgramHeader, SectionHeader, SectionIndex, Sym, Writer};

/// Page size the layout honours (p_offset ≡ p_vaddr modulo this).
pub const PAGE: u64 = 0x1000;
/// Where executables are loaded unless told otherwise (the traditional x86-64 base).
pub const DEFAULT_BASE: u64 = 0x40_0000;
/// Lowest base the kernel maps by default (vm.mmap_min_addr).
pub const MIN_BASE: u64 = 0x1_0000;
/// Highest address a user-space mapping may end at (47-bit address space).
pub const MAX_ADDR: u64 = 1 << 47;

const EHDR: u64 = 64;
const PHDR: u64 = 56;

/// What a segment holds; decides its permissions and section type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SegmentKind {
    /// Machine code: R+X, `SHT_PROGBITS` with `SHF_ALLOC|SHF_EXECINSTR`.
    Code,
    /// Constants: R.
    ReadOnly,
    /// Initialized writable data: R+W.
    Data,
    /// Zero-filled writable memory that takes no file bytes: R+W, `SHT_NOBITS`.
    Bss,
}

impl SegmentKind {
    fn flags(self) -> u32 {
        match self {
            SegmentKind::Code => elf::PF_R.0 | elf::PF_X.0,
            SegmentKind::ReadOnly => elf::PF_R.0,
            SegmentKind::Data | SegmentKind::Bss => elf::PF_R.0 | elf::PF_W.0,
        }
    }

    fn section_flags(self) -> u64 {
        let alloc = elf::SHF_ALLOC.0;
        match self {
            SegmentKind::Code => alloc | elf::SHF_EXECINSTR.0,
            SegmentKind::ReadOnly => alloc,
            SegmentKind::Data | SegmentKind::Bss => alloc | elf::SHF_WRITE.0,
        }
    }
}

/// One piece of the program's memory image.
#[derive(Clone, Debug)]
pub struct Segment {
    /// Section name for the section table (".text", ".rodata", ".data", ".bss", …).
    pub name: String,
    pub kind: SegmentKind,
    /// File contents (empty for [`SegmentKind::Bss`]).
    pub data: Vec<u8>,
    /// Size in memory: at least `data.len()`; the rest is zero-filled.
    pub mem_size: u64,
    /// Alignment of the segment's start address (a power of two, at most [`PAGE`]).
    pub align: u64,
}

impl Segment {
    /// A segment whose memory size is its data's size.
    pub fn new(name: &str, kind: SegmentKind, data: Vec<u8>, align: u64) -> Segment {
        let mem_size = data.len() as u64;
        Segment {
            name: name.into(),
            kind,
            data,
            mem_size,
            align,
        }
    }

    /// Zero-filled memory of `size` bytes.
    pub fn bss(name: &str, size: u64, align: u64) -> Segment {
        Segment {
            name: name.into(),
            kind: SegmentKind::Bss,
            data: Vec::new(),
            mem_size: size,
            align,
        }
    }
}

/// The index of a segment in [`Image::segments`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SegmentId(pub usize);

impl SegmentId {
    pub fn index(self) -> usize {
        self.0
    }
}

impl fmt::Display for SegmentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A place in the image: byte `offset` of segment `segment`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    pub segment: SegmentId,
    pub offset: u64,
}

impl Location {
    pub fn new(segment: SegmentId, offset: u64) -> Location {
        Location { segment, offset }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Func,
    Object,
    NoType,
}

#[derive(Clone, Debug)]
pub struct Symbol {
    pub name: String,
    pub at: Location,
    pub size: u64,
    pub kind: SymbolKind,
    /// `STB_GLOBAL` rather than `STB_LOCAL`.
    pub global: bool,
}

/// How a relocated field is computed from the target address S, the addend A and the
/// field's own address P.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelocKind {
    /// 4 bytes, S + A − P, must fit in i32 (calls, jumps, RIP-relative operands; A is
    /// usually −4 for a field at the end of its instruction).
    Rel32,
    /// 8 bytes, S + A.
    Abs64,
    /// 4 bytes, S + A, must fit in u32 (zero-extended absolute addresses).
    Abs32,
    /// 4 bytes, S + A, must fit in i32 (sign-extended absolute addresses).
    Abs32S,
    /// 8 bytes, S + A − P.
    Rel64,
    /// 8 bytes, S + A − B for the address B of a base location: an offset from the GOT
    /// (the large code model's R_X86_64_GOTOFF64).
    Off64(Location),
}

impl RelocKind {
    /// Bytes of the relocated field.
    pub fn width(self) -> u64 {
        match self {
            RelocKind::Rel32 | RelocKind::Abs32 | RelocKind::Abs32S => 4,
            RelocKind::Abs64 | RelocKind::Rel64 | RelocKind::Off64(_) => 8,
        }
    }

    /// The field's bytes for the value S + A (`sa`) at address `p` (for [`RelocKind::Off64`],
    /// `p` is the base's address), or None if it does not fit.
    fn encode(self, sa: i128, p: u64) -> Option<([u8; 8], usize)> {
        let mut out = [0u8; 8];
        let rel = sa - p as i128;
        match self {
            RelocKind::Rel32 => out[..4].copy_from_slice(&i32::try_from(rel).ok()?.to_le_bytes()),
            RelocKind::Abs32 => out[..4].copy_from_slice(&u32::try_from(sa).ok()?.to_le_bytes()),
            RelocKind::Abs32S => out[..4].copy_from_slice(&i32::try_from(sa).ok()?.to_le_bytes()),
            RelocKind::Abs64 => out.copy_from_slice(&u64::try_from(sa).ok()?.to_le_bytes()),
            RelocKind::Rel64 | RelocKind::Off64(_) => {
                out.copy_from_slice(&i64::try_from(rel).ok()?.to_le_bytes())
            }
        }
        Some((out, self.width() as usize))
    }
}

/// What a relocation points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A place in the image.
    At(Location),
    /// An absolute address (an undefined weak symbol's 0, an absolute symbol).
    Absolute(u64),
}

impl From<Location> for Target {
    fn from(l: Location) -> Target {
        Target::At(l)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reloc {
    /// Where the field is.
    pub at: Location,
    pub kind: RelocKind,
    pub target: Target,
    pub addend: i64,
}

/// Everything that goes into an executable.
#[derive(Clone, Debug, Default)]
pub struct Image {
    pub segments: Vec<Segment>,
    /// Where execution starts; must be inside a [`SegmentKind::Code`] segment.
    pub entry: Option<Location>,
    pub symbols: Vec<Symbol>,
    pub relocs: Vec<Reloc>,
}

impl Image {
    /// Appends a segment; its id.
    pub fn add_segment(&mut self, s: Segment) -> SegmentId {
        self.segments.push(s);
        SegmentId(self.segments.len() - 1)
    }

    pub fn segment(&self, id: SegmentId) -> &Segment {
        &self.segments[id.index()]
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// Every segment starts on its own page in the file and in memory (what linkers do by
    /// default; each segment can be mapped with its own permissions without sharing pages).
    PageAligned,
    /// Headers, code and read-only data share one R+X segment at file offset 0, the
    /// writable segments follow without file padding, and bss is the zero fill of the
    /// writable segment before it (rt's layout): the smallest file.
    Packed,
}

#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub layout: Layout,
    /// Leave out the section headers, `.symtab`, `.strtab` and `.shstrtab`.
    pub strip: bool,
    /// Load address of the first segment (page-aligned, at least [`MIN_BASE`]).
    pub base: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            layout: Layout::PageAligned,
            strip: false,
            base: DEFAULT_BASE,
        }
    }
}

/// Why an image cannot be written. Nothing is produced when this is returned. Each variant
/// names the offending segment, symbol or relocation (by its index in the [`Image`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriteError {
    /// [`Options::base`] is not page-aligned or below [`MIN_BASE`].
    BadBase {
        base: u64,
    },
    NoSegments,
    NoEntry,
    /// A segment's alignment is not a power of two up to [`PAGE`].
    BadAlign {
        segment: SegmentId,
        name: String,
        align: u64,
    },
    /// More file data than memory.
    DataExceedsMemory {
        segment: SegmentId,
        name: String,
        data: u64,
        mem_size: u64,
    },
    BssWithData {
        segment: SegmentId,
        name: String,
    },
    /// A section name that is empty or holds a NUL.
    BadSegmentName {
        segment: SegmentId,
    },
    BadSymbolName {
        name: String,
    },
    /// A location names a segment the image does not have.
    NoSuchSegment {
        what: Item,
        segment: SegmentId,
    },
    /// A location (with `len` bytes after it) runs outside its segment.
    OutsideSegment {
        what: Item,
        offset: u64,
        len: u64,
        segment: SegmentId,
        name: String,
        mem_size: u64,
    },
    EntryNotCode {
        segment: SegmentId,
        name: String,
    },
    /// A relocated field lies in a segment's zero-filled tail, not its file data.
    FieldNotInData {
        reloc: usize,
        offset: u64,
        name: String,
    },
    /// In the packed layout, a code or read-only segment with memory past its data.
    PackedZeroTail {
        segment: SegmentId,
        name: String,
    },
    /// Aligning an address overflows.
    AlignOverflow {
        addr: u64,
        align: u64,
    },
    SegmentOverflow {
        segment: SegmentId,
        name: String,
    },
    /// The image ends past the 47-bit user address space.
    BeyondAddressSpace {
        end: u64,
    },
    /// A relocated field cannot hold its value (for the PC-relative kinds, S + A − P).
    FieldOverflow {
        reloc: usize,
        kind: RelocKind,
        value: i128,
    },
    /// object's writer refused a table (a bug here, or a limit of the format).
    Object {
        table: &'static str,
        msg: String,
    },
    /// A segment would overlap what precedes it in the file (a bug here).
    Overlap {
        segment: SegmentId,
    },
}

/// What an out-of-range [`Location`] belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    Entry,
    Symbol(String),
    Reloc(usize),
    RelocTarget(usize),
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Item::Entry => f.write_str("entry point"),
            Item::Symbol(name) => write!(f, "symbol {name}"),
            Item::Reloc(i) => write!(f, "relocation {i}"),
            Item::RelocTarget(i) => write!(f, "relocation {i} target"),
        }
    }
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use WriteError::*;
        match self {
            BadBase { base } => write!(
                f,
                "base address {base:#x} must be page-aligned and at least {MIN_BASE:#x}"
            ),
            NoSegments => f.write_str("the image has no segments"),
            NoEntry => f.write_str("the image has no entry point"),
            BadAlign {
                segment,
                name,
                align,
            } => write!(
                f,
                "segment {segment} ({name}): alignment {align} is not a power of two up to {PAGE}"
            ),
            DataExceedsMemory {
                segment,
                name,
                data,
                mem_size,
            } => write!(
                f,
                "segment {segment} ({name}): {data} bytes of data exceed its memory size {mem_size}"
            ),
            BssWithData { segment, name } => write!(
                f,
                "segment {segment} ({name}): a bss segment cannot carry file data"
            ),
            BadSegmentName { segment } => write!(
                f,
                "segment {segment}: section name must be non-empty without NUL"
            ),
            BadSymbolName { name } => {
                write!(f, "symbol {name:?}: name must be non-empty without NUL")
            }
            NoSuchSegment { what, segment } => {
                write!(f, "{what}: segment {segment} does not exist")
            }
            OutsideSegment {
                what,
                offset,
                len,
                segment,
                name,
                mem_size,
            } => write!(
                f,
                "{what}: offset {offset:#x} (+{len}) is outside segment {segment} ({name}, \
                 {mem_size} bytes)"
            ),
            EntryNotCode { segment, name } => {
                write!(f, "entry point: segment {segment} ({name}) is not code")
            }
            FieldNotInData {
                reloc,
                offset,
                name,
            } => write!(
                f,
                "relocation {reloc}: field at {offset:#x} of {name} is not in its file data"
            ),
            PackedZeroTail { segment, name } => write!(
                f,
                "segment {segment} ({name}): read-only segments cannot have zero-filled tails \
                 in the packed layout"
            ),
            AlignOverflow { addr, align } => {
                write!(f, "address {addr:#x} overflows when aligned to {align:#x}")
            }
            SegmentOverflow { segment, name } => {
                write!(f, "segment {segment} ({name}) overflows the address space")
            }
            BeyondAddressSpace { end } => write!(
                f,
                "the image ends at {end:#x}, beyond the 47-bit user address space"
            ),
            FieldOverflow { reloc, kind, value } => {
                let what = match kind {
                    RelocKind::Rel32 => "displacement {v} does not fit in 32 bits",
                    RelocKind::Rel64 => "displacement {v} does not fit in 64 bits",
                    RelocKind::Abs32 => "address {v} does not fit in 32 bits",
                    RelocKind::Abs32S => "address {v} does not fit in 32 bits, sign-extended",
                    RelocKind::Abs64 => "address {v} is negative or past 64 bits",
                    RelocKind::Off64(_) => "offset {v} from the base does not fit in 64 bits",
                };
                let v = if *value < 0 {
                    format!("-{:#x}", value.unsigned_abs())
                } else {
                    format!("{value:#x}")
                };
                write!(f, "relocation {reloc}: {}", what.replace("{v}", &v))
            }
            Object { table, msg } => write!(f, "{table}: {msg}"),
            Overlap { segment } => {
                write!(f, "internal: segment {segment} overlaps what precedes it")
            }
        }
    }
}

impl core::error::Error for WriteError {}

/// Where each segment ended up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    /// Per segment: (file offset, virtual address).
    pub segments: Vec<(u64, u64)>,
    pub entry: u64,
}

impl Placement {
    /// The virtual address of `l`.
    pub fn address(&self, l: Location) -> u64 {
        self.segments[l.segment.index()].1 + l.offset
    }
}

/// One program header to emit.
#[derive(Clone, Copy, Debug)]
struct Load {
    flags: u32,
    offset: u64,
    vaddr: u64,
    filesz: u64,
    memsz: u64,
}

fn align_up(addr: u64, align: u64) -> Result<u64, WriteError> {
    addr.checked_next_multiple_of(align)
        .ok_or(WriteError::AlignOverflow { addr, align })
}

fn validate(img: &Image, opts: &Options) -> Result<(), WriteError> {
    if !opts.base.is_multiple_of(PAGE) || opts.base < MIN_BASE {
        return Err(WriteError::BadBase { base: opts.base });
    }
    if img.segments.is_empty() {
        return Err(WriteError::NoSegments);
    }
    for (i, s) in img.segments.iter().enumerate() {
        let (segment, name) = (SegmentId(i), s.name.clone());
        if !s.align.is_power_of_two() || s.align > PAGE {
            return Err(WriteError::BadAlign {
                segment,
                name,
                align: s.align,
            });
        }
        if (s.data.len() as u64) > s.mem_size {
            return Err(WriteError::DataExceedsMemory {
                segment,
                name,
                data: s.data.len() as u64,
                mem_size: s.mem_size,
            });
        }
        if s.kind == SegmentKind::Bss && !s.data.is_empty() {
            return Err(WriteError::BssWithData { segment, name });
        }
        if s.name.is_empty() || s.name.contains('\0') {
            return Err(WriteError::BadSegmentName { segment });
        }
    }
    let in_range = |l: &Location, what: Item, len: u64| -> Result<(), WriteError> {
        let Some(s) = img.segments.get(l.segment.index()) else {
            return Err(WriteError::NoSuchSegment {
                what,
                segment: l.segment,
            });
        };
        if l.offset.checked_add(len).is_none_or(|e| e > s.mem_size) {
            return Err(WriteError::OutsideSegment {
                what,
                offset: l.offset,
                len,
                segment: l.segment,
                name: s.name.clone(),
                mem_size: s.mem_size,
            });
        }
        Ok(())
    };
    let e = img.entry.ok_or(WriteError::NoEntry)?;
    in_range(&e, Item::Entry, 1)?;
    if img.segment(e.segment).kind != SegmentKind::Code {
        return Err(WriteError::EntryNotCode {
            segment: e.segment,
            name: img.segment(e.segment).name.clone(),
        });
    }
    for s in &img.symbols {
        if s.name.is_empty() || s.name.contains('\0') {
            return Err(WriteError::BadSymbolName {
                name: s.name.clone(),
            });
        }
        in_range(&s.at, Item::Symbol(s.name.clone()), s.size)?;
    }
    for (i, r) in img.relocs.iter().enumerate() {
        let width = r.kind.width();
        in_range(&r.at, Item::Reloc(i), width)?;
        let seg = img.segment(r.at.segment);
        if r.at.offset + width > seg.data.len() as u64 {
            return Err(WriteError::FieldNotInData {
                reloc: i,
                offset: r.at.offset,
                name: seg.name.clone(),
            });
        }
        if let Target::At(t) = &r.target {
            in_range(t, Item::RelocTarget(i), 0)?;
        }
        if let RelocKind::Off64(b) = &r.kind {
            in_range(b, Item::RelocTarget(i), 0)?;
        }
    }
    Ok(())
}

/// Chooses file offsets and addresses; returns the placement, the loads and the file
/// offset where the segment data ends.
fn place(
    img: &Image,
    opts: &Options,
    phnum: u64,
) -> Result<(Placement, Vec<Load>, u64), WriteError> {
    let headers = EHDR + phnum * PHDR;
    let mut segs = vec![(0u64, 0u64); img.segments.len()];
    let mut loads: Vec<Load> = Vec::new();
    let mut file = headers;
    let mut next_vaddr = opts.base; // lowest address the next page-separated segment may use
    // Order: code, read-only, data, bss (each kind in the order given).
    let order: Vec<usize> = [
        SegmentKind::Code,
        SegmentKind::ReadOnly,
        SegmentKind::Data,
        SegmentKind::Bss,
    ]
    .iter()
    .flat_map(|k| (0..img.segments.len()).filter(move |&i| img.segments[i].kind == *k))
    .collect();
    let mut first = true;
    let mut packed_end = None::<usize>; // index into loads of the packed text load
    let mut rw_load = None::<usize>; // packed: the writable load bss joins
    for &i in &order {
        let s = &img.segments[i];
        let (segment, name) = (SegmentId(i), || s.name.clone());
        let readonly = matches!(s.kind, SegmentKind::Code | SegmentKind::ReadOnly);
        if opts.layout == Layout::Packed && readonly {
            // Headers + code + rodata in one load starting at file offset 0.
            let off = align_up(file, s.align)?;
            let vaddr = opts.base + off;
            segs[i] = (off, vaddr);
            file = off + s.data.len() as u64;
            let end = vaddr + s.mem_size;
            match packed_end {
                Some(li) => {
                    let l: &mut Load = &mut loads[li];
                    l.flags |= s.kind.flags();
                    l.filesz = file;
                    l.memsz = end - opts.base;
                }
                None => {
                    loads.push(Load {
                        flags: s.kind.flags(),
                        offset: 0,
                        vaddr: opts.base,
                        filesz: file,
                        memsz: end - opts.base,
                    });
                    packed_end = Some(loads.len() - 1);
                }
            }
            if s.mem_size > s.data.len() as u64 {
                // Zero fill inside a packed segment would be overwritten by what follows.
                return Err(WriteError::PackedZeroTail {
                    segment,
                    name: name(),
                });
            }
            next_vaddr = align_up(end, PAGE)?;
            first = false;
            continue;
        }
        if let (Layout::Packed, SegmentKind::Bss, Some(li)) = (opts.layout, s.kind, rw_load) {
            // The zero fill of the writable load before it, in the same PT_LOAD.
            let l: &mut Load = &mut loads[li];
            let vaddr = align_up(l.vaddr + l.memsz, s.align)?;
            segs[i] = (l.offset + (vaddr - l.vaddr), vaddr);
            let end = vaddr
                .checked_add(s.mem_size)
                .ok_or_else(|| WriteError::SegmentOverflow {
                    segment,
                    name: name(),
                })?;
            l.memsz = end - l.vaddr;
            next_vaddr = align_up(end.max(vaddr + 1), PAGE)?;
            continue;
        }
        let (off, vaddr) = match (opts.layout, s.kind) {
            (_, SegmentKind::Bss) => {
                let vaddr = align_up(next_vaddr, s.align)?;
                (vaddr % PAGE, vaddr)
            }
            (Layout::PageAligned, _) => {
                let off = align_up(file, PAGE)?;
                let vaddr = if first {
                    opts.base + off
                } else {
                    next_vaddr.max(opts.base + off)
                };
                (off, align_up(vaddr, PAGE)?)
            }
            (Layout::Packed, _) => {
                let off = align_up(file, s.align)?;
                // Same offset within the page, on a page of its own.
                (off, next_vaddr + off % PAGE)
            }
        };
        segs[i] = (off, vaddr);
        if s.kind != SegmentKind::Bss {
            file = off + s.data.len() as u64;
        }
        let end = vaddr
            .checked_add(s.mem_size)
            .ok_or_else(|| WriteError::SegmentOverflow {
                segment,
                name: name(),
            })?;
        loads.push(Load {
            flags: s.kind.flags(),
            offset: off,
            vaddr,
            filesz: s.data.len() as u64,
            memsz: s.mem_size,
        });
        rw_load = Some(loads.len() - 1);
        next_vaddr = align_up(end.max(vaddr + 1), PAGE)?;
        first = false;
    }
    if next_vaddr > MAX_ADDR {
        return Err(WriteError::BeyondAddressSpace { end: next_vaddr });
    }
    let mut p = Placement {
        segments: segs,
        entry: 0,
    };
    p.entry = p.address(img.entry.ok_or(WriteError::NoEntry)?);
    Ok((p, loads, file))
}

fn loads_needed(img: &Image, layout: Layout) -> u64 {
    let n = img.segments.len() as u64;
    match layout {
        Layout::PageAligned => n,
        Layout::Packed => {
            let ro = img
                .segments
                .iter()
                .filter(|s| matches!(s.kind, SegmentKind::Code | SegmentKind::ReadOnly))
                .count() as u64;
            // Bss joins the writable load before it.
            let count = |k| img.segments.iter().filter(|s| s.kind == k).count() as u64;
            let (data, bss) = (count(SegmentKind::Data), count(SegmentKind::Bss));
            let merged = if data > 0 { bss } else { bss.saturating_sub(1) };
            n - ro + u64::from(ro > 0) - merged
        }
    }
}

/// Applies the relocations to copies of the segment data.
fn relocate(img: &Image, p: &Placement) -> Result<Vec<Vec<u8>>, WriteError> {
    let mut data: Vec<Vec<u8>> = img.segments.iter().map(|s| s.data.clone()).collect();
    for (reloc, r) in img.relocs.iter().enumerate() {
        let s = match r.target {
            Target::At(l) => p.address(l),
            Target::Absolute(v) => v,
        };
        let sa = s as i128 + r.addend as i128;
        let at = r.at.offset as usize;
        let base = match r.kind {
            RelocKind::Off64(b) => p.address(b),
            _ => p.address(r.at),
        };
        let (bytes, n) = r.kind.encode(sa, base).ok_or(WriteError::FieldOverflow {
            reloc,
            kind: r.kind,
            value: if matches!(
                r.kind,
                RelocKind::Rel32 | RelocKind::Rel64 | RelocKind::Off64(_)
            ) {
                sa - base as i128
            } else {
                sa
            },
        })?;
        data[r.at.segment.index()][at..at + n].copy_from_slice(&bytes[..n]);
    }
    Ok(data)
}

/// Computes where everything goes without writing anything.
pub fn plan(img: &Image, opts: &Options) -> Result<Placement, WriteError> {
    validate(img, opts)?;
    let phnum = loads_needed(img, opts.layout) + 1;
    Ok(place(img, opts, phnum)?.0)
}

/// Writes `img` as a static executable. Either the whole file or an error.
///
/// object's writer works in two passes over the same order: `reserve_*` lays the file out,
/// `write_*` fills it. [`Sections`] carries what the first pass reserved to the second.
pub fn write(img: &Image, opts: &Options) -> Result<Vec<u8>, WriteError> {
    validate(img, opts)?;
    let phnum = loads_needed(img, opts.layout) + 1; // + PT_GNU_STACK
    let (placement, loads, data_end) = place(img, opts, phnum)?;
    debug_assert_eq!(loads.len() as u64 + 1, phnum);
    let data = relocate(img, &placement)?;

    let mut out = Vec::new();
    let mut w = Writer::new(object::Endianness::Little, true, &mut out);
    w.reserve_file_header();
    w.reserve_program_headers(phnum as u32);
    // Segment data at the offsets chosen above (file offsets ascend in placement order).
    let mut by_offset: Vec<usize> = (0..img.segments.len())
        .filter(|&i| img.segments[i].kind != SegmentKind::Bss)
        .collect();
    by_offset.sort_by_key(|&i| placement.segments[i].0);
    for &i in &by_offset {
        let off = placement.segments[i].0;
        if off < w.reserved_len() {
            return Err(WriteError::Overlap {
                segment: SegmentId(i),
            });
        }
        w.reserve_until(off);
        w.reserve(img.segments[i].data.len() as u64, 1);
    }
    w.reserve_until(data_end.max(w.reserved_len()));
    let sections = (!opts.strip)
        .then(|| Sections::reserve(&mut w, img))
        .transpose()?;

    w.write_file_header(&FileHeader {
        os_abi: elf::ELFOSABI_NONE,
        abi_version: 0,
        e_type: elf::ET_EXEC,
        e_machine: elf::EM_X86_64,
        e_entry: placement.entry,
        e_flags: elf::FileFlags(0),
    })
    .map_err(|e| WriteError::Object {
        table: "file header",
        msg: format!("{e}"),
    })?;
    write_program_headers(&mut w, &loads);
    for &i in &by_offset {
        w.pad_until(placement.segments[i].0);
        w.write(&data[i]);
    }
    w.pad_until(data_end.max(w.len()));
    if let Some(s) = sections {
        s.write(&mut w, img, &placement);
    }
    debug_assert_eq!(w.reserved_len(), w.len());
    drop(w);
    Ok(out)
}

/// The PT_LOADs, then a non-executable PT_GNU_STACK.
fn write_program_headers(w: &mut Writer, loads: &[Load]) {
    w.write_align_program_headers();
    for l in loads {
        w.write_program_header(&ProgramHeader {
            p_type: elf::PT_LOAD,
            p_flags: elf::ProgramFlags(l.flags),
            p_offset: l.offset,
            p_vaddr: l.vaddr,
            p_paddr: l.vaddr,
            p_filesz: l.filesz,
            p_memsz: l.memsz,
            p_align: PAGE,
        });
    }
    w.write_program_header(&ProgramHeader {
        p_type: elf::PT_GNU_STACK,
        p_flags: elf::ProgramFlags(elf::PF_R.0 | elf::PF_W.0),
        p_offset: 0,
        p_vaddr: 0,
        p_paddr: 0,
        p_filesz: 0,
        p_memsz: 0,
        p_align: 16,
    });
}

/// The section table as reserved: one section per segment, then .symtab, .strtab and
/// .shstrtab.
struct Sections {
    ids: Vec<SectionIndex>,
    names: Vec<StringId>,
    sym_names: Vec<StringId>,
    /// Symbols in table order (locals first), as indices into [`Image::symbols`].
    order: Vec<usize>,
    num_local: u32,
}

impl Sections {
    fn reserve<'a>(w: &mut Writer<'a>, img: &'a Image) -> Result<Sections, WriteError> {
        let mut order: Vec<usize> = (0..img.symbols.len()).collect();
        order.sort_by_key(|&i| img.symbols[i].global); // locals first
        let mut s = Sections {
            ids: Vec::new(),
            names: Vec::new(),
            sym_names: Vec::new(),
            num_local: 1 + img.symbols.iter().filter(|s| !s.global).count() as u32,
            order,
        };
        w.reserve_null_section_index();
        for seg in &img.segments {
            s.names.push(w.add_section_name(seg.name.as_bytes()));
            s.ids.push(w.reserve_section_index());
        }
        w.reserve_null_symbol_index();
        for &i in &s.order {
            let sym = &img.symbols[i];
            s.sym_names.push(w.add_string(sym.name.as_bytes()));
            w.reserve_symbol_index(Some(s.ids[sym.at.segment.index()]));
        }
        let object = |table| {
            move |e: object::write::Error| WriteError::Object {
                table,
                msg: format!("{e}"),
            }
        };
        w.reserve_symtab_section_index();
        w.reserve_symtab();
        w.reserve_strtab_section_index();
        w.reserve_strtab().map_err(object("string table"))?;
        w.reserve_shstrtab_section_index();
        w.reserve_shstrtab().map_err(object("section name table"))?;
        w.reserve_section_headers();
        Ok(s)
    }

    fn write(&self, w: &mut Writer, img: &Image, placement: &Placement) {
        w.write_null_symbol();
        for (k, &i) in self.order.iter().enumerate() {
            let s = &img.symbols[i];
            let bind = if s.global {
                elf::STB_GLOBAL
            } else {
                elf::STB_LOCAL
            };
            let ty = match s.kind {
                SymbolKind::Func => elf::STT_FUNC,
                SymbolKind::Object => elf::STT_OBJECT,
                SymbolKind::NoType => elf::STT_NOTYPE,
            };
            w.write_symbol(&Sym {
                section: Some(self.ids[s.at.segment.index()].0),
                st_name: w.string_offset(Some(self.sym_names[k])),
                st_info: elf::SymbolInfo::new(bind, ty),
                st_other: elf::SymbolOther(elf::STV_DEFAULT.0),
                st_shndx: elf::SymbolSection(0),
                st_value: placement.address(s.at),
                st_size: s.size,
            });
        }
        w.write_strtab();
        w.write_shstrtab();
        w.write_null_section_header();
        for (i, s) in img.segments.iter().enumerate() {
            let (off, addr) = placement.segments[i];
            let bss = s.kind == SegmentKind::Bss;
            w.write_section_header(&SectionHeader {
                sh_name: w.section_name_offset(Some(self.names[i])),
                sh_type: if bss {
                    elf::SHT_NOBITS
                } else {
                    elf::SHT_PROGBITS
                },
                sh_flags: elf::SectionFlags(s.kind.section_flags()),
                sh_addr: addr,
                sh_offset: off,
                sh_size: if bss { s.mem_size } else { s.data.len() as u64 },
                sh_link: 0,
                sh_info: 0,
                sh_addralign: s.align,
                sh_entsize: 0,
            });
        }
        w.write_symtab_section_header(self.num_local);
        w.write_strtab_section_header();
        w.write_shstrtab_section_header();
    }
}
