//! `inspect`: what is inside an ELF file — header, program headers, sections, symbols,
//! relocations, notes — in a readelf-like view, as JSON, or as a size breakdown.
//!
//! Malformed input is an error that says what is wrong, never a panic or an allocation
//! sized by a count in the file: every table is bounds-checked against the file before
//! goblin parses it (goblin has open issues on both), and the result is cross-checked with
//! object's reader.

mod disasm;
mod text;

pub use disasm::{disasm, disasm_to};
pub use text::{SUMMARY_MORE, Views, render, render_views, sizes, summary};

use serde::Serialize;
use std::fmt::{self, Write};

/// Why a file could not be inspected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InspectError(pub String);

impl fmt::Display for InspectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InspectError {}

fn err<T>(msg: impl Into<String>) -> Result<T, InspectError> {
    Err(InspectError(msg.into()))
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Header {
    pub class: u8,
    pub data: u8,
    pub os_abi: u8,
    pub e_type: u16,
    pub e_type_name: String,
    pub machine: u16,
    pub entry: u64,
    pub phoff: u64,
    pub shoff: u64,
    pub flags: u32,
    pub ehsize: u16,
    pub phentsize: u16,
    pub phnum: u16,
    pub shentsize: u16,
    pub shnum: u16,
    pub shstrndx: u16,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Segment {
    pub p_type: u32,
    pub type_name: String,
    pub flags: u32,
    pub offset: u64,
    pub vaddr: u64,
    pub paddr: u64,
    pub filesz: u64,
    pub memsz: u64,
    pub align: u64,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Section {
    pub index: usize,
    pub name: String,
    pub sh_type: u32,
    pub type_name: String,
    pub flags: u64,
    pub flag_letters: String,
    pub addr: u64,
    pub offset: u64,
    pub size: u64,
    pub entsize: u64,
    pub link: u32,
    pub info: u32,
    pub align: u64,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Symbol {
    pub table: &'static str,
    /// As in the file (mangled).
    pub name: String,
    /// The demangled Rust or C++ name, when it is one.
    pub demangled: Option<String>,
    pub value: u64,
    pub size: u64,
    pub kind: &'static str,
    pub bind: &'static str,
    pub visibility: &'static str,
    pub shndx: usize,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Relocation {
    /// The relocation section (`.rela.text`), or `.rela.dyn`/`.rel.dyn`/`.rela.plt` for a
    /// file without section headers.
    pub section: String,
    pub offset: u64,
    pub r_type: u32,
    /// `R_X86_64_PC32` (x86-64), else the number.
    pub type_name: String,
    /// Symbol table index (0: none).
    pub symbol: usize,
    /// The symbol's name (a section symbol: its section's name), as readelf prints it.
    pub symbol_name: String,
    /// RELA: the addend; REL: null.
    pub addend: Option<i64>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Note {
    pub owner: String,
    pub n_type: u32,
    /// `NT_GNU_BUILD_ID`, … for the GNU notes readelf names.
    pub type_name: String,
    pub desc_size: usize,
    /// What it says: `Build ID: 15df…`, `OS: Linux, ABI: 3.2.0`, `Properties: …`.
    pub decoded: Option<String>,
}

/// One entry of the dynamic section.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct DynEntry {
    pub tag: u64,
    /// `NEEDED`, `RUNPATH`, … as readelf names it (`0x…` when unknown).
    pub tag_name: String,
    pub value: u64,
    /// A string the entry names (NEEDED, SONAME, RPATH, RUNPATH), or the flags it sets.
    pub text: Option<String>,
}

/// Everything `inspect` read.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Report {
    pub file_size: u64,
    pub header: Header,
    pub segments: Vec<Segment>,
    pub sections: Vec<Section>,
    pub symbols: Vec<Symbol>,
    pub relocations: Vec<Relocation>,
    pub notes: Vec<Note>,
    /// The dynamic section (empty for a static executable or an object).
    pub dynamic: Vec<DynEntry>,
    /// The program interpreter PT_INTERP names (`/lib64/ld-linux-x86-64.so.2`).
    pub interpreter: Option<String>,
    /// What was wrong but could be read past (a string table that is not UTF-8, …).
    pub warnings: Vec<String>,
}

fn u16_at(b: &[u8], off: usize, le: bool) -> u16 {
    let x = [b[off], b[off + 1]];
    if le {
        u16::from_le_bytes(x)
    } else {
        u16::from_be_bytes(x)
    }
}

fn u32_at(b: &[u8], off: usize, le: bool) -> u32 {
    let x: [u8; 4] = b[off..off + 4].try_into().unwrap();
    if le {
        u32::from_le_bytes(x)
    } else {
        u32::from_be_bytes(x)
    }
}

fn u64_at(b: &[u8], off: usize, le: bool) -> u64 {
    let x: [u8; 8] = b[off..off + 8].try_into().unwrap();
    if le {
        u64::from_le_bytes(x)
    } else {
        u64::from_be_bytes(x)
    }
}

/// Checks every table the header points to against the file before any parser sees it.
fn prevalidate(b: &[u8]) -> Result<(), InspectError> {
    if b.len() < 16 || &b[..4] != b"\x7fELF" {
        return err("not an ELF file (no \\x7fELF magic)");
    }
    let is64 = match b[4] {
        1 => false,
        2 => true,
        c => {
            return err(format!(
                "EI_CLASS is {c}: neither ELFCLASS32 (1) nor ELFCLASS64 (2)"
            ));
        }
    };
    let le = match b[5] {
        1 => true,
        2 => false,
        d => {
            return err(format!(
                "EI_DATA is {d}: neither little (1) nor big endian (2)"
            ));
        }
    };
    let ehsize = if is64 { 64 } else { 52 };
    if b.len() < ehsize {
        return err(format!(
            "truncated ELF header: {} bytes, need {ehsize}",
            b.len()
        ));
    }
    let (phoff, shoff, phentsize, phnum, shentsize, shnum, shstrndx) = if is64 {
        (
            u64_at(b, 0x20, le),
            u64_at(b, 0x28, le),
            u16_at(b, 0x36, le),
            u16_at(b, 0x38, le),
            u16_at(b, 0x3a, le),
            u16_at(b, 0x3c, le),
            u16_at(b, 0x3e, le),
        )
    } else {
        (
            u32_at(b, 0x1c, le) as u64,
            u32_at(b, 0x20, le) as u64,
            u16_at(b, 0x2a, le),
            u16_at(b, 0x2c, le),
            u16_at(b, 0x2e, le),
            u16_at(b, 0x30, le),
            u16_at(b, 0x32, le),
        )
    };
    let (want_ph, want_sh) = if is64 { (56, 64) } else { (32, 40) };
    let len = b.len() as u64;
    if phnum > 0 {
        if phentsize != want_ph {
            return err(format!("e_phentsize is {phentsize}, expected {want_ph}"));
        }
        let end = phoff.checked_add(phnum as u64 * want_ph as u64);
        if end.is_none_or(|e| e > len) {
            return err(format!(
                "truncated program header table: {phnum} entries at offset {phoff:#x} run past the end of the {len}-byte file"
            ));
        }
    }
    if shoff != 0 {
        if shentsize != want_sh {
            return err(format!("e_shentsize is {shentsize}, expected {want_sh}"));
        }
        // shnum == 0 with a section table means the count is in section 0's sh_size.
        let mut count = shnum as u64;
        if count == 0 {
            if shoff.checked_add(want_sh as u64).is_none_or(|e| e > len) {
                return err(format!(
                    "section header table at {shoff:#x} lies past the end of the {len}-byte file"
                ));
            }
            count = if is64 {
                u64_at(b, shoff as usize + 0x20, le)
            } else {
                u32_at(b, shoff as usize + 0x14, le) as u64
            };
        }
        let end = count
            .checked_mul(want_sh as u64)
            .and_then(|n| shoff.checked_add(n));
        if end.is_none_or(|e| e > len) {
            return err(format!(
                "truncated section header table: {count} entries at offset {shoff:#x} run past the end of the {len}-byte file"
            ));
        }
        if shstrndx as u64 >= count && shstrndx < 0xff00 {
            return err(format!(
                "e_shstrndx {shstrndx} is not a section (there are {count})"
            ));
        }
        // Every section with file contents must lie inside the file.
        for i in 0..count {
            let at = (shoff + i * want_sh as u64) as usize;
            let (sh_type, off, size) = if is64 {
                (
                    u32_at(b, at + 4, le),
                    u64_at(b, at + 0x18, le),
                    u64_at(b, at + 0x20, le),
                )
            } else {
                (
                    u32_at(b, at + 4, le),
                    u32_at(b, at + 0x10, le) as u64,
                    u32_at(b, at + 0x14, le) as u64,
                )
            };
            if sh_type != 8 && sh_type != 0 && off.checked_add(size).is_none_or(|e| e > len) {
                return err(format!(
                    "section {i}: {size} bytes at offset {off:#x} run past the end of the {len}-byte file"
                ));
            }
        }
    } else if shnum != 0 {
        return err(format!(
            "e_shnum is {shnum} but there is no section header table (e_shoff 0)"
        ));
    }
    Ok(())
}

fn segment_type_name(t: u32) -> String {
    match t {
        0 => "NULL".into(),
        1 => "LOAD".into(),
        2 => "DYNAMIC".into(),
        3 => "INTERP".into(),
        4 => "NOTE".into(),
        5 => "SHLIB".into(),
        6 => "PHDR".into(),
        7 => "TLS".into(),
        0x6474e550 => "GNU_EH_FRAME".into(),
        0x6474e551 => "GNU_STACK".into(),
        0x6474e552 => "GNU_RELRO".into(),
        0x6474e553 => "GNU_PROPERTY".into(),
        0x6474e554 => "GNU_SFRAME".into(),
        t => format!("{t:#x}"),
    }
}

fn section_type_name(t: u32) -> String {
    match t {
        0 => "NULL".into(),
        1 => "PROGBITS".into(),
        2 => "SYMTAB".into(),
        3 => "STRTAB".into(),
        4 => "RELA".into(),
        5 => "HASH".into(),
        6 => "DYNAMIC".into(),
        7 => "NOTE".into(),
        8 => "NOBITS".into(),
        9 => "REL".into(),
        11 => "DYNSYM".into(),
        14 => "INIT_ARRAY".into(),
        15 => "FINI_ARRAY".into(),
        16 => "PREINIT_ARRAY".into(),
        17 => "GROUP".into(),
        18 => "SYMTAB_SHNDX".into(),
        19 => "RELR".into(),
        0x6ffffff6 => "GNU_HASH".into(),
        0x6ffffffd => "VERDEF".into(),
        0x6ffffffe => "VERNEED".into(),
        0x6fffffff => "VERSYM".into(),
        0x6ffffff5 => "GNU_ATTRIBUTES".into(),
        0x6fff4c00..=0x6fff4cff => format!("LLVM_{t:#x}"),
        t => format!("{t:#x}"),
    }
}

/// readelf's letters for section flags.
pub fn flag_letters(f: u64) -> String {
    const LETTERS: [(u64, char); 13] = [
        (0x1, 'W'),
        (0x2, 'A'),
        (0x4, 'X'),
        (0x10, 'M'),
        (0x20, 'S'),
        (0x40, 'I'),
        (0x80, 'L'),
        (0x100, 'O'),
        (0x200, 'G'),
        (0x400, 'T'),
        (0x800, 'C'),
        (0x200000, 'R'),
        (0x80000000, 'E'),
    ];
    LETTERS
        .iter()
        .filter(|(bit, _)| f & bit != 0)
        .map(|(_, c)| *c)
        .collect()
}

fn sym_kind(t: u8) -> &'static str {
    match t {
        0 => "NOTYPE",
        1 => "OBJECT",
        2 => "FUNC",
        3 => "SECTION",
        4 => "FILE",
        5 => "COMMON",
        6 => "TLS",
        10 => "IFUNC",
        _ => "OTHER",
    }
}

fn sym_bind(b: u8) -> &'static str {
    match b {
        0 => "LOCAL",
        1 => "GLOBAL",
        2 => "WEAK",
        10 => "UNIQUE",
        _ => "OTHER",
    }
}

fn sym_vis(v: u8) -> &'static str {
    ["DEFAULT", "INTERNAL", "HIDDEN", "PROTECTED"][(v & 3) as usize]
}

/// A file to inspect, mapped (never read whole into memory: a sparse or huge file costs only
/// the pages that are looked at).
pub struct Mapped {
    map: Option<memmap2::Mmap>,
}

impl Mapped {
    pub fn bytes(&self) -> &[u8] {
        self.map.as_deref().unwrap_or(&[])
    }
}

/// Opens `path` for [`inspect`]: a regular file, mapped. A FIFO, a directory or a device is
/// an error at once (reading one could block forever or never end).
pub fn open(path: &std::path::Path) -> Result<Mapped, InspectError> {
    use std::os::unix::fs::OpenOptionsExt;
    let fail = |what: &str, e: std::io::Error| InspectError(format!("{what}: {e}"));
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
    const O_NONBLOCK: i32 = 0o4000;
    let f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(O_NONBLOCK)
        .open(path)
        .map_err(|e| fail("opening", e))?;
    let meta = f.metadata().map_err(|e| fail("reading its metadata", e))?;
    if !meta.is_file() {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        let kind = if t.is_dir() {
            "a directory"
        } else if t.is_fifo() {
            "a FIFO"
        } else if t.is_char_device() || t.is_block_device() {
            "a device"
        } else if t.is_socket() {
            "a socket"
        } else {
            "not a regular file"
        };
        return err(format!("{kind}, not an ELF file"));
    }
    if meta.len() == 0 {
        return Ok(Mapped { map: None });
    }
    // SAFETY: read-only; a concurrent writer could change what we read (as with any
    // reader), never our memory safety: every table is bounds-checked before use.
    let map = unsafe { memmap2::Mmap::map(&f) }.map_err(|e| fail("mapping", e))?;
    Ok(Mapped { map: Some(map) })
}

/// Reads everything `inspect` reports.
pub fn inspect(bytes: &[u8]) -> Result<Report, InspectError> {
    prevalidate(bytes)?;
    let mut warnings = Vec::new();
    // Strict first; what strict parsing rejects (a name that is not UTF-8 fails a whole
    // string table) is read permissively, with a warning: every table was bounds-checked
    // above, and names come from the raw string tables below, never from goblin's.
    let elf = match goblin::elf::Elf::parse(bytes) {
        Ok(elf) => elf,
        Err(strict) => {
            let opts = goblin::options::ParseOptions::permissive();
            let elf = goblin::elf::Elf::parse_with_opts(bytes, &opts)
                .map_err(|_| InspectError(format!("goblin: {strict}")))?;
            warnings.push(format!("{strict} (read past it)"));
            elf
        }
    };
    let names = Names::of(&elf, bytes);
    let h = &elf.header;
    // Cross-check with object's reader: both must agree on the basics.
    let obj = object::read::File::parse(bytes)
        .map_err(|e| InspectError(format!("object's reader: {e}")))?;
    use object::Object;
    if obj.entry() != h.e_entry {
        return err(format!(
            "goblin and object disagree on the entry point: {:#x} vs {:#x}",
            h.e_entry,
            obj.entry()
        ));
    }
    let sections = sections(&elf, &names);
    // object's iterator leaves out the null section 0.
    let goblin_count = sections.len().saturating_sub(1);
    if obj.sections().count() != goblin_count {
        return err(format!(
            "goblin and object disagree on the number of sections: {} vs {}",
            goblin_count,
            obj.sections().count()
        ));
    }
    Ok(Report {
        file_size: bytes.len() as u64,
        header: header(h),
        segments: segments(&elf),
        symbols: symbols(&elf, &names),
        relocations: relocations(&elf, &sections, &names),
        notes: notes(&elf, bytes),
        dynamic: dynamic(&elf, &names),
        interpreter: elf.interpreter.map(String::from),
        sections,
        warnings,
    })
}

/// The raw string tables: names are read from these bytes, not from goblin's parsed
/// tables, so that a name that is not UTF-8 is shown escaped instead of failing the file.
struct Names<'a> {
    section: &'a [u8],
    symbol: &'a [u8],
    dynamic: &'a [u8],
}

impl<'a> Names<'a> {
    fn of(elf: &goblin::elf::Elf, bytes: &'a [u8]) -> Names<'a> {
        let range = |off: u64, len: u64| -> &'a [u8] {
            let start = (off as usize).min(bytes.len());
            let end = start.saturating_add(len as usize).min(bytes.len());
            &bytes[start..end]
        };
        let table = |i: usize| {
            elf.section_headers
                .get(i)
                .filter(|s| s.sh_type != goblin::elf::section_header::SHT_NOBITS)
                .map_or(&[][..], |s| range(s.sh_offset, s.sh_size))
        };
        // SHN_XINDEX: the index is in section 0's sh_link.
        let shstrndx = match elf.header.e_shstrndx {
            0xffff => elf
                .section_headers
                .first()
                .map_or(0, |s| s.sh_link as usize),
            i => i as usize,
        };
        let symtab = elf
            .section_headers
            .iter()
            .rfind(|s| s.sh_type == goblin::elf::section_header::SHT_SYMTAB);
        Names {
            section: table(shstrndx),
            symbol: symtab.map_or(&[][..], |s| table(s.sh_link as usize)),
            dynamic: elf.dynamic.as_ref().map_or(&[][..], |d| {
                range(d.info.strtab as u64, d.info.strsz as u64)
            }),
        }
    }

    /// The NUL-terminated name at `at`: empty past the table's end, bytes that are not
    /// UTF-8 escaped as `\xff`.
    fn at(table: &[u8], at: usize) -> String {
        let rest = table.get(at..).unwrap_or(&[]);
        let name = &rest[..rest.iter().position(|&b| b == 0).unwrap_or(rest.len())];
        escape_non_utf8(name)
    }
}

/// `bytes` as text, each byte that is not part of valid UTF-8 written `\xNN`.
pub fn escape_non_utf8(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        s.push_str(chunk.valid());
        for b in chunk.invalid() {
            let _ = write!(s, "\\x{b:02x}");
        }
    }
    s
}

fn header(h: &goblin::elf::Header) -> Header {
    Header {
        class: h.e_ident[4],
        data: h.e_ident[5],
        os_abi: h.e_ident[7],
        e_type: h.e_type,
        e_type_name: match h.e_type {
            0 => "NONE",
            1 => "REL",
            2 => "EXEC",
            3 => "DYN",
            4 => "CORE",
            _ => "OTHER",
        }
        .into(),
        machine: h.e_machine,
        entry: h.e_entry,
        phoff: h.e_phoff,
        shoff: h.e_shoff,
        flags: h.e_flags,
        ehsize: h.e_ehsize,
        phentsize: h.e_phentsize,
        phnum: h.e_phnum,
        shentsize: h.e_shentsize,
        shnum: h.e_shnum,
        shstrndx: h.e_shstrndx,
    }
}

fn segments(elf: &goblin::elf::Elf) -> Vec<Segment> {
    elf.program_headers
        .iter()
        .map(|p| Segment {
            p_type: p.p_type,
            type_name: segment_type_name(p.p_type),
            flags: p.p_flags,
            offset: p.p_offset,
            vaddr: p.p_vaddr,
            paddr: p.p_paddr,
            filesz: p.p_filesz,
            memsz: p.p_memsz,
            align: p.p_align,
        })
        .collect()
}

fn sections(elf: &goblin::elf::Elf, names: &Names) -> Vec<Section> {
    elf.section_headers
        .iter()
        .enumerate()
        .map(|(i, s)| Section {
            index: i,
            name: Names::at(names.section, s.sh_name),
            sh_type: s.sh_type,
            type_name: section_type_name(s.sh_type),
            flags: s.sh_flags,
            flag_letters: flag_letters(s.sh_flags),
            addr: s.sh_addr,
            offset: s.sh_offset,
            size: s.sh_size,
            entsize: s.sh_entsize,
            link: s.sh_link,
            info: s.sh_info,
            align: s.sh_addralign,
        })
        .collect()
}

/// The static symbols, then the dynamic ones.
/// The dynamic section's entries up to DT_NULL, strings and flags decoded.
fn dynamic(elf: &goblin::elf::Elf, names: &Names) -> Vec<DynEntry> {
    use goblin::elf::dynamic::*;
    let Some(d) = &elf.dynamic else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in &d.dyns {
        if e.d_tag == DT_NULL {
            break;
        }
        let name = tag_to_str(e.d_tag);
        let tag_name = match name.strip_prefix("DT_") {
            Some(n) if n != "UNKNOWN_TAG" => n.to_string(),
            _ => format!("{:#x}", e.d_tag),
        };
        let text = match e.d_tag {
            DT_NEEDED | DT_SONAME | DT_RPATH | DT_RUNPATH => usize::try_from(e.d_val)
                .ok()
                .filter(|&at| at < names.dynamic.len())
                .map(|at| Names::at(names.dynamic, at)),
            DT_FLAGS => Some(flag_names(
                e.d_val,
                &[
                    (DF_ORIGIN, "ORIGIN"),
                    (DF_SYMBOLIC, "SYMBOLIC"),
                    (DF_TEXTREL, "TEXTREL"),
                    (DF_BIND_NOW, "BIND_NOW"),
                    (DF_STATIC_TLS, "STATIC_TLS"),
                ],
            )),
            DT_FLAGS_1 => Some(flag_names(
                e.d_val,
                &[
                    (DF_1_NOW, "NOW"),
                    (DF_1_GLOBAL, "GLOBAL"),
                    (DF_1_NODELETE, "NODELETE"),
                    (DF_1_INITFIRST, "INITFIRST"),
                    (DF_1_ORIGIN, "ORIGIN"),
                    (DF_1_PIE, "PIE"),
                ],
            )),
            _ => None,
        };
        out.push(DynEntry {
            tag: e.d_tag,
            tag_name,
            value: e.d_val,
            text,
        });
    }
    out
}

/// The names of the bits of `v` that `names` knows, space-separated.
fn flag_names(v: u64, names: &[(u64, &str)]) -> String {
    names
        .iter()
        .filter(|(b, _)| v & b != 0)
        .map(|(_, n)| *n)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A Rust (legacy or v0) or C++ symbol's demangled form; None for other names.
pub fn demangle(name: &str) -> Option<String> {
    if let Ok(d) = rustc_demangle::try_demangle(name) {
        return Some(format!("{d:#}"));
    }
    if name.starts_with("_Z") {
        let sym = cpp_demangle::Symbol::new(name).ok()?;
        return sym.demangle(&cpp_demangle::DemangleOptions::default()).ok();
    }
    None
}

fn symbols(elf: &goblin::elf::Elf, names: &Names) -> Vec<Symbol> {
    let mut symbols = Vec::new();
    for (table, syms, strtab) in [
        ("symtab", &elf.syms, names.symbol),
        ("dynsym", &elf.dynsyms, names.dynamic),
    ] {
        for s in syms.iter() {
            let name = Names::at(strtab, s.st_name);
            symbols.push(Symbol {
                table,
                demangled: demangle(&name),
                name,
                value: s.st_value,
                size: s.st_size,
                kind: sym_kind(s.st_type()),
                bind: sym_bind(s.st_bind()),
                visibility: sym_vis(s.st_other),
                shndx: s.st_shndx,
            });
        }
    }
    symbols
}

/// The relocation sections' entries; without section headers, the dynamic relocations.
fn relocations(elf: &goblin::elf::Elf, sections: &[Section], names: &Names) -> Vec<Relocation> {
    let x86 = elf.header.e_machine == goblin::elf::header::EM_X86_64;
    let type_name = |t: u32| {
        crate::names::x86_64_reloc(t)
            .filter(|_| x86)
            .map_or_else(|| format!("{t:#x}"), String::from)
    };
    // A symbol's name as readelf shows it: a section symbol by its section's name.
    let sym_name = |dynamic: bool, i: usize| -> String {
        let (syms, strs) = if dynamic {
            (&elf.dynsyms, names.dynamic)
        } else {
            (&elf.syms, names.symbol)
        };
        match syms.get(i) {
            Some(s) if s.st_type() == goblin::elf::sym::STT_SECTION => sections
                .get(s.st_shndx)
                .map_or(String::new(), |x| x.name.clone()),
            Some(s) => Names::at(strs, s.st_name),
            None => String::new(),
        }
    };
    let mut out = Vec::new();
    let mut add = |section: String, dynamic: bool, r: goblin::elf::Reloc| {
        out.push(Relocation {
            section,
            offset: r.r_offset,
            r_type: r.r_type,
            type_name: type_name(r.r_type),
            symbol: r.r_sym,
            symbol_name: if r.r_sym == 0 {
                String::new()
            } else {
                sym_name(dynamic, r.r_sym)
            },
            addend: r.r_addend,
        })
    };
    if !elf.section_headers.is_empty() {
        for (idx, rs) in &elf.shdr_relocs {
            let sh = &elf.section_headers[*idx];
            // Its symbol table: .dynsym or .symtab.
            let dynamic = elf
                .section_headers
                .get(sh.sh_link as usize)
                .is_some_and(|l| l.sh_type == goblin::elf::section_header::SHT_DYNSYM);
            let name = sections.get(*idx).map_or(String::new(), |s| s.name.clone());
            for r in rs.iter() {
                add(name.clone(), dynamic, r);
            }
        }
        return out;
    }
    for (what, rs) in [
        (".rela.dyn", &elf.dynrelas),
        (".rel.dyn", &elf.dynrels),
        (".rela.plt", &elf.pltrelocs),
    ] {
        for r in rs.iter() {
            add(what.into(), true, r);
        }
    }
    out
}

/// An addend as readelf prints it after a symbol: ` + 1c`, ` - 4`.
fn signed_hex(a: i64) -> String {
    if a < 0 {
        format!(" - {:x}", a.unsigned_abs())
    } else {
        format!(" + {a:x}")
    }
}

fn word(d: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        d.get(4 * i..4 * i + 4)?.try_into().ok()?,
    ))
}

/// NT_GNU_ABI_TAG: the OS and the oldest kernel ABI the file runs on.
fn abi_tag(d: &[u8]) -> Option<String> {
    let os = match word(d, 0)? {
        0 => "Linux".to_string(),
        1 => "Hurd".to_string(),
        2 => "Solaris".to_string(),
        3 => "FreeBSD".to_string(),
        n => format!("{n}"),
    };
    Some(format!(
        "OS: {os}, ABI: {}.{}.{}",
        word(d, 1)?,
        word(d, 2)?,
        word(d, 3)?
    ))
}

/// NT_GNU_PROPERTY_TYPE_0 on x86-64: the features and ISA level the file needs or uses.
fn properties(d: &[u8]) -> Option<String> {
    let mut out = Vec::new();
    let mut at = 0usize;
    while at + 8 <= d.len() {
        let (ty, size) = (word(&d[at..], 0)?, word(&d[at..], 1)? as usize);
        let data = d.get(at + 8..at + 8 + size)?;
        let bits = data
            .get(..4)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_le_bytes);
        let names = |table: &[(u32, &str)], v: u32| {
            table
                .iter()
                .filter(|(b, _)| v & b != 0)
                .map(|(_, n)| *n)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let levels = [
            (1, "x86-64-baseline"),
            (2, "x86-64-v2"),
            (4, "x86-64-v3"),
            (8, "x86-64-v4"),
        ];
        match (ty, bits) {
            (0xc000_0002, Some(v)) => out.push(format!(
                "x86 feature: {}",
                names(&[(1, "IBT"), (2, "SHSTK")], v)
            )),
            (0xc000_8002, Some(v)) => out.push(format!("x86 ISA needed: {}", names(&levels, v))),
            (0xc001_0002, Some(v)) => out.push(format!("x86 ISA used: {}", names(&levels, v))),
            _ => out.push(format!("type {ty:#x}")),
        }
        at += 8 + size.next_multiple_of(8);
    }
    Some(format!("Properties: {}", out.join(", ")))
}

fn notes(elf: &goblin::elf::Elf, bytes: &[u8]) -> Vec<Note> {
    let mut notes = Vec::new();
    if let Some(iter) = elf.iter_note_sections(bytes, None) {
        for n in iter.flatten() {
            let gnu = n.name == "GNU";
            let (type_name, decoded) = match (gnu, n.n_type) {
                (true, 1) => ("NT_GNU_ABI_TAG", abi_tag(n.desc)),
                (true, 3) => (
                    "NT_GNU_BUILD_ID",
                    Some(format!(
                        "Build ID: {}",
                        n.desc
                            .iter()
                            .map(|b| format!("{b:02x}"))
                            .collect::<String>()
                    )),
                ),
                (true, 4) => ("NT_GNU_GOLD_VERSION", None),
                (true, 5) => ("NT_GNU_PROPERTY_TYPE_0", properties(n.desc)),
                _ => ("", None),
            };
            notes.push(Note {
                owner: n.name.to_string(),
                n_type: n.n_type,
                type_name: if type_name.is_empty() {
                    format!("{:#x}", n.n_type)
                } else {
                    type_name.into()
                },
                desc_size: n.desc.len(),
                decoded,
            });
        }
    }
    notes
}

/// The `schema` field of inspect's JSON: bumped when a field changes meaning or goes away
/// (new fields may be added within a version). docs/inspect-json.md describes it.
pub const JSON_SCHEMA: &str = "freestand-inspect/1";

/// The report as JSON: every table.
pub fn to_json(r: &Report) -> String {
    to_json_views(r, Views::ALL)
}

/// The tables `v` asks for as JSON (every table when it asks for none), with `schema`,
/// `file_size`, `interpreter` and `warnings` always present.
pub fn to_json_views(r: &Report, v: Views) -> String {
    let v = if v.is_empty() { Views::ALL } else { v };
    let mut value = match serde_json::to_value(r) {
        Ok(serde_json::Value::Object(m)) => m,
        Ok(_) => return "{}".into(),
        Err(e) => return format!("{{\"error\": {:?}}}", e.to_string()),
    };
    let keep = v.keys();
    value.retain(|k, _| {
        keep.contains(&k.as_str()) || ["file_size", "interpreter", "warnings"].contains(&k.as_str())
    });
    let mut out = serde_json::Map::new();
    out.insert("schema".into(), JSON_SCHEMA.into());
    out.extend(value);
    serde_json::to_string_pretty(&serde_json::Value::Object(out))
        .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()))
}
