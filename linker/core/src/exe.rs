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

/// A place in the image: byte `offset` of segment number `segment`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    pub segment: usize,
    pub offset: u64,
}

impl Location {
    pub fn new(segment: usize, offset: u64) -> Location {
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
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reloc {
    /// Where the field is.
    pub at: Location,
    pub kind: RelocKind,
    pub target: Location,
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// Every segment starts on its own page in the file and in memory (what linkers do by
    /// default; each segment can be mapped with its own permissions without sharing pages).
    PageAligned,
    /// Headers, code and read-only data share one R+X segment at file offset 0, and the
    /// writable segments follow without file padding: the smallest file.
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

/// Why an image cannot be written. Nothing is produced when this is returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteError(pub String);

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl core::error::Error for WriteError {}

fn fail<T>(msg: String) -> Result<T, WriteError> {
    Err(WriteError(msg))
}

/// Where each segment ended up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    /// Per segment: (file offset, virtual address).
    pub segments: Vec<(u64, u64)>,
    pub entry: u64,
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

fn align_up(x: u64, a: u64) -> Result<u64, WriteError> {
    x.checked_next_multiple_of(a)
        .ok_or_else(|| WriteError(format!("address {x:#x} overflows when aligned to {a:#x}")))
}

fn validate(img: &Image, opts: &Options) -> Result<(), WriteError> {
    if !opts.base.is_multiple_of(PAGE) || opts.base < MIN_BASE {
        return fail(format!(
            "base address {:#x} must be page-aligned and at least {MIN_BASE:#x}",
            opts.base
        ));
    }
    if img.segments.is_empty() {
        return fail("the image has no segments".into());
    }
    for (i, s) in img.segments.iter().enumerate() {
        let what = format!("segment {i} ({})", s.name);
        if !s.align.is_power_of_two() || s.align > PAGE {
            return fail(format!(
                "{what}: alignment {} is not a power of two up to {PAGE}",
                s.align
            ));
        }
        if (s.data.len() as u64) > s.mem_size {
            return fail(format!(
                "{what}: {} bytes of data exceed its memory size {}",
                s.data.len(),
                s.mem_size
            ));
        }
        if s.kind == SegmentKind::Bss && !s.data.is_empty() {
            return fail(format!("{what}: a bss segment cannot carry file data"));
        }
        if s.name.is_empty() || s.name.contains('\0') {
            return fail(format!(
                "segment {i}: section name must be non-empty without NUL"
            ));
        }
    }
    let in_range = |l: &Location, what: &str, len: u64| -> Result<(), WriteError> {
        let Some(s) = img.segments.get(l.segment) else {
            return fail(format!("{what}: segment {} does not exist", l.segment));
        };
        if l.offset.checked_add(len).is_none_or(|e| e > s.mem_size) {
            return fail(format!(
                "{what}: offset {:#x} (+{len}) is outside segment {} ({}, {} bytes)",
                l.offset, l.segment, s.name, s.mem_size
            ));
        }
        Ok(())
    };
    match &img.entry {
        None => return fail("the image has no entry point".into()),
        Some(e) => {
            in_range(e, "entry point", 1)?;
            if img.segments[e.segment].kind != SegmentKind::Code {
                return fail(format!(
                    "entry point: segment {} ({}) is not code",
                    e.segment, img.segments[e.segment].name
                ));
            }
        }
    }
    for s in &img.symbols {
        if s.name.is_empty() || s.name.contains('\0') {
            return fail(format!(
                "symbol {:?}: name must be non-empty without NUL",
                s.name
            ));
        }
        in_range(&s.at, &format!("symbol {}", s.name), s.size)?;
    }
    for (i, r) in img.relocs.iter().enumerate() {
        let width = match r.kind {
            RelocKind::Rel32 | RelocKind::Abs32 => 4,
            RelocKind::Abs64 => 8,
        };
        in_range(&r.at, &format!("relocation {i}"), width)?;
        let seg = &img.segments[r.at.segment];
        if r.at.offset + width > seg.data.len() as u64 {
            return fail(format!(
                "relocation {i}: field at {:#x} of {} is not in its file data",
                r.at.offset, seg.name
            ));
        }
        in_range(&r.target, &format!("relocation {i} target"), 0)?;
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
    for &i in &order {
        let s = &img.segments[i];
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
                return fail(format!(
                    "segment {i} ({}): read-only segments cannot have zero-filled tails in the packed layout",
                    s.name
                ));
            }
            next_vaddr = align_up(end, PAGE)?;
            first = false;
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
        let end = vaddr.checked_add(s.mem_size).ok_or_else(|| {
            WriteError(format!(
                "segment {i} ({}) overflows the address space",
                s.name
            ))
        })?;
        loads.push(Load {
            flags: s.kind.flags(),
            offset: off,
            vaddr,
            filesz: s.data.len() as u64,
            memsz: s.mem_size,
        });
        next_vaddr = align_up(end.max(vaddr + 1), PAGE)?;
        first = false;
    }
    if next_vaddr > MAX_ADDR {
        return fail(format!(
            "the image ends at {next_vaddr:#x}, beyond the 47-bit user address space"
        ));
    }
    let e = img.entry.expect("validated");
    let entry = segs[e.segment].1 + e.offset;
    Ok((
        Placement {
            segments: segs,
            entry,
        },
        loads,
        file,
    ))
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
            n - ro + u64::from(ro > 0)
        }
    }
}

/// Applies the relocations to copies of the segment data.
fn relocate(img: &Image, p: &Placement) -> Result<Vec<Vec<u8>>, WriteError> {
    let mut data: Vec<Vec<u8>> = img.segments.iter().map(|s| s.data.clone()).collect();
    for (i, r) in img.relocs.iter().enumerate() {
        let s = (p.segments[r.target.segment].1 + r.target.offset) as i128 + r.addend as i128;
        let field = p.segments[r.at.segment].1 + r.at.offset;
        let at = r.at.offset as usize;
        let bytes = &mut data[r.at.segment];
        match r.kind {
            RelocKind::Rel32 => {
                let v = s - field as i128;
                let v = i32::try_from(v).map_err(|_| {
                    WriteError(format!(
                        "relocation {i}: displacement {v:#x} does not fit in 32 bits"
                    ))
                })?;
                bytes[at..at + 4].copy_from_slice(&v.to_le_bytes());
            }
            RelocKind::Abs32 => {
                let v = u32::try_from(s).map_err(|_| {
                    WriteError(format!(
                        "relocation {i}: address {s:#x} does not fit in 32 bits"
                    ))
                })?;
                bytes[at..at + 4].copy_from_slice(&v.to_le_bytes());
            }
            RelocKind::Abs64 => {
                let v = u64::try_from(s).map_err(|_| {
                    WriteError(format!("relocation {i}: address {s:#x} is negative"))
                })?;
                bytes[at..at + 8].copy_from_slice(&v.to_le_bytes());
            }
        }
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
            return fail(format!("internal: segment {i} overlaps what precedes it"));
        }
        w.reserve_until(off);
        w.reserve(img.segments[i].data.len() as u64, 1);
    }
    w.reserve_until(data_end.max(w.reserved_len()));

    // Section table: one section per segment, then .symtab, .strtab, .shstrtab.
    let mut sec_ids: Vec<SectionIndex> = Vec::new();
    let mut names = Vec::new();
    let mut sym_names = Vec::new();
    let mut order: Vec<usize> = (0..img.symbols.len()).collect();
    order.sort_by_key(|&i| img.symbols[i].global); // locals first
    let num_local = 1 + img.symbols.iter().filter(|s| !s.global).count() as u32;
    if !opts.strip {
        w.reserve_null_section_index();
        for s in &img.segments {
            names.push(w.add_section_name(s.name.as_bytes()));
            sec_ids.push(w.reserve_section_index());
        }
        w.reserve_null_symbol_index();
        for &i in &order {
            let s = &img.symbols[i];
            sym_names.push(w.add_string(s.name.as_bytes()));
            w.reserve_symbol_index(Some(sec_ids[s.at.segment]));
        }
        w.reserve_symtab_section_index();
        w.reserve_symtab();
        w.reserve_strtab_section_index();
        w.reserve_strtab()
            .map_err(|e| WriteError(format!("string table: {e}")))?;
        w.reserve_shstrtab_section_index();
        w.reserve_shstrtab()
            .map_err(|e| WriteError(format!("section name table: {e}")))?;
        w.reserve_section_headers();
    }

    w.write_file_header(&FileHeader {
        os_abi: elf::ELFOSABI_NONE,
        abi_version: 0,
        e_type: elf::ET_EXEC,
        e_machine: elf::EM_X86_64,
        e_entry: placement.entry,
        e_flags: elf::FileFlags(0),
    })
    .map_err(|e| WriteError(format!("file header: {e}")))?;
    w.write_align_program_headers();
    for l in &loads {
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
    for &i in &by_offset {
        w.pad_until(placement.segments[i].0);
        w.write(&data[i]);
    }
    w.pad_until(data_end.max(w.len()));
    if !opts.strip {
        w.write_null_symbol();
        for (k, &i) in order.iter().enumerate() {
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
                section: Some(sec_ids[s.at.segment].0),
                st_name: w.string_offset(Some(sym_names[k])),
                st_info: elf::SymbolInfo::new(bind, ty),
                st_other: elf::SymbolOther(elf::STV_DEFAULT.0),
                st_shndx: elf::SymbolSection(0),
                st_value: placement.segments[s.at.segment].1 + s.at.offset,
                st_size: s.size,
            });
        }
        w.write_strtab();
        w.write_shstrtab();
        w.write_null_section_header();
        for (i, s) in img.segments.iter().enumerate() {
            let (off, addr) = placement.segments[i];
            w.write_section_header(&SectionHeader {
                sh_name: w.section_name_offset(Some(names[i])),
                sh_type: if s.kind == SegmentKind::Bss {
                    elf::SHT_NOBITS
                } else {
                    elf::SHT_PROGBITS
                },
                sh_flags: elf::SectionFlags(s.kind.section_flags()),
                sh_addr: addr,
                sh_offset: off,
                sh_size: if s.kind == SegmentKind::Bss {
                    s.mem_size
                } else {
                    s.data.len() as u64
                },
                sh_link: 0,
                sh_info: 0,
                sh_addralign: s.align,
                sh_entsize: 0,
            });
        }
        w.write_symtab_section_header(num_local);
        w.write_strtab_section_header();
        w.write_shstrtab_section_header();
    }
    debug_assert_eq!(w.reserved_len(), w.len());
    drop(w);
    Ok(out)
}
