//! Phase 2: the inputs. Every file on the command line is mapped once; objects are parsed
//! into sections, symbols, relocations and COMDAT groups that borrow the mapped bytes;
//! archives (`.a`, rustc's `.rlib`) expose their symbol index, and a member is parsed only
//! when it defines a symbol the link needs (rustc's `lib.rmeta` never is).
//!
//! Everything read from a file is bounds-checked by object's reader or here; a malformed
//! file is one [`LinkError`] naming it.

use super::args::{Config, InputArg};
use super::error::LinkError;
use object::LittleEndian as LE;
use object::elf;
use object::read::archive::{ArchiveFile, ArchiveOffset};
use object::read::elf::{FileHeader, Rela as _, SectionHeader, Sym as _};
use std::path::{Path, PathBuf};

pub type Rela = elf::Rela64<LE>;

/// A file's bytes, mapped for the whole link.
pub struct Mapped {
    pub path: String,
    map: memmap2::Mmap,
}

impl Mapped {
    pub fn open(path: &Path) -> Result<Mapped, LinkError> {
        let io = |what, e: std::io::Error| LinkError::Io {
            path: path.display().to_string(),
            what,
            error: e.to_string(),
        };
        let f = std::fs::File::open(path).map_err(|e| io("opening", e))?;
        // SAFETY: the file is only read; a concurrent writer could change what we read
        // (as with any linker), never memory safety of our own data.
        let map = unsafe { memmap2::Mmap::map(&f) }.map_err(|e| io("mapping", e))?;
        Ok(Mapped {
            path: path.display().to_string(),
            map,
        })
    }

    pub fn bytes(&self) -> &[u8] {
        &self.map
    }
}

/// Maps every input named on the command line (resolving `-l` through the `-L` dirs).
pub fn open_all(c: &Config) -> Result<Vec<Mapped>, LinkError> {
    c.inputs
        .iter()
        .map(|i| match i {
            InputArg::Path(p) => Mapped::open(p),
            InputArg::Lib(name) => Mapped::open(&find_lib(name, &c.lib_dirs)?),
        })
        .collect()
}

fn find_lib(name: &str, dirs: &[PathBuf]) -> Result<PathBuf, LinkError> {
    for d in dirs {
        for file in [format!("lib{name}.a"), format!("lib{name}.rlib")] {
            let p = d.join(file);
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    Err(LinkError::LibNotFound {
        name: name.into(),
        dirs: dirs.iter().map(|d| d.display().to_string()).collect(),
    })
}

/// Where a symbol is defined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shndx {
    Undef,
    Abs,
    Common,
    Section(u32),
}

#[derive(Clone, Copy, Debug)]
pub struct Sym<'d> {
    pub name: &'d str,
    pub bind: u8,
    pub ty: u8,
    pub visibility: u8,
    pub shndx: Shndx,
    pub value: u64,
    pub size: u64,
}

impl Sym<'_> {
    pub fn is_local(&self) -> bool {
        self.bind == elf::STB_LOCAL.0
    }

    pub fn is_weak(&self) -> bool {
        self.bind == elf::STB_WEAK.0
    }
}

#[derive(Clone, Debug)]
pub struct Sec<'d> {
    pub name: &'d str,
    pub sh_type: u32,
    pub flags: u64,
    pub align: u64,
    pub size: u64,
    /// The size of each entry of a table (SHF_MERGE sections), else 0.
    pub entsize: u64,
    /// File bytes (empty for SHT_NOBITS).
    pub data: &'d [u8],
    pub relocs: &'d [Rela],
}

impl Sec<'_> {
    pub fn alloc(&self) -> bool {
        self.flags & elf::SHF_ALLOC.0 != 0
    }
    pub fn exec(&self) -> bool {
        self.flags & elf::SHF_EXECINSTR.0 != 0
    }
    pub fn write(&self) -> bool {
        self.flags & elf::SHF_WRITE.0 != 0
    }
    pub fn nobits(&self) -> bool {
        self.sh_type == elf::SHT_NOBITS.0
    }
}

/// A COMDAT group: its signature and member sections.
#[derive(Clone, Debug)]
pub struct Group<'d> {
    pub signature: &'d str,
    pub sections: Vec<u32>,
}

/// One relocatable object, parsed.
#[derive(Clone, Debug)]
pub struct Obj<'d> {
    /// `path`, or `archive(member)`.
    pub name: String,
    /// By ELF section index.
    pub sections: Vec<Sec<'d>>,
    /// By ELF symbol index.
    pub symbols: Vec<Sym<'d>>,
    pub groups: Vec<Group<'d>>,
}

/// Parses an ELF64 little-endian x86-64 relocatable object.
pub fn parse_object<'d>(name: String, data: &'d [u8]) -> Result<Obj<'d>, LinkError> {
    let file = name.clone();
    let bad = move |why: String| LinkError::BadObject {
        file: file.clone(),
        why,
    };
    if data.get(..4) != Some(b"\x7fELF") {
        return Err(bad("not an ELF file".into()));
    }
    if data.get(4) != Some(&2) || data.get(5) != Some(&1) {
        return Err(bad("not a little-endian ELF64 file".into()));
    }
    let h = elf::FileHeader64::<LE>::parse(data).map_err(|e| bad(format!("{e}")))?;
    let endian = LE;
    if h.e_type(endian) != elf::ET_REL {
        return Err(bad(format!(
            "not a relocatable object (e_type {}): freestand-ld links objects and archives",
            h.e_type(endian).0
        )));
    }
    if h.e_machine(endian) != elf::EM_X86_64 {
        return Err(bad(format!(
            "machine {} is not x86-64",
            h.e_machine(endian).0
        )));
    }
    let table = h.sections(endian, data).map_err(|e| bad(format!("{e}")))?;
    let mut sections = read_sections(&table, data, &bad)?;
    attach_relocations(&table, data, &mut sections, &bad)?;
    let symbols = read_symbols(&table, data, &sections, &bad)?;
    let groups = read_groups(&table, data, &sections, &symbols, &bad)?;
    Ok(Obj {
        name,
        sections,
        symbols,
        groups,
    })
}

/// What [`parse_object`] reports a problem with (the file is named by it).
type Bad<'a> = &'a dyn Fn(String) -> LinkError;
type SectionTable<'d> = object::read::elf::SectionTable<'d, elf::FileHeader64<LE>>;

/// Every section header, with its bytes.
fn read_sections<'d>(
    table: &SectionTable<'d>,
    data: &'d [u8],
    bad: Bad,
) -> Result<Vec<Sec<'d>>, LinkError> {
    let endian = LE;
    let mut sections = Vec::with_capacity(table.len());
    for sh in table.iter() {
        let name = table
            .section_name(endian, sh)
            .map_err(|e| bad(format!("section name: {e}")))?;
        let sec_name =
            std::str::from_utf8(name).map_err(|_| bad("a section name is not UTF-8".into()))?;
        let sh_type = sh.sh_type(endian).0;
        let data = if sh_type == elf::SHT_NOBITS.0 {
            &[][..]
        } else {
            sh.data(endian, data)
                .map_err(|e| bad(format!("section {sec_name}: {e}")))?
        };
        let align = sh.sh_addralign(endian).max(1);
        if !align.is_power_of_two() {
            return Err(bad(format!(
                "section {sec_name}: alignment {align} is not a power of two"
            )));
        }
        sections.push(Sec {
            name: sec_name,
            sh_type,
            flags: sh.sh_flags(endian).0,
            align,
            size: sh.sh_size(endian),
            entsize: sh.sh_entsize(endian),
            data,
            relocs: &[],
        });
    }
    Ok(sections)
}

/// Each SHT_RELA section's entries, on the section they apply to.
fn attach_relocations<'d>(
    table: &SectionTable<'d>,
    data: &'d [u8],
    sections: &mut [Sec<'d>],
    bad: Bad,
) -> Result<(), LinkError> {
    let endian = LE;
    // Relocations, attached to the sections they apply to.
    for (i, sh) in table.iter().enumerate() {
        let t = sh.sh_type(endian);
        if t == elf::SHT_REL {
            return Err(bad(format!(
                "section {}: SHT_REL relocations (x86-64 objects use SHT_RELA)",
                sections[i].name
            )));
        }
        if t != elf::SHT_RELA {
            continue;
        }
        let (relas, _) = sh
            .rela(endian, data)
            .map_err(|e| bad(format!("section {}: {e}", sections[i].name)))?
            .ok_or_else(|| bad("relocation section without entries".into()))?;
        let target = sh.sh_info(endian) as usize;
        let Some(s) = sections.get_mut(target) else {
            return Err(bad(format!(
                "section {}: relocates section {target}, which does not exist",
                sections[i].name
            )));
        };
        s.relocs = relas;
    }
    Ok(())
}

/// The symbol table, each symbol's section checked.
fn read_symbols<'d>(
    table: &SectionTable<'d>,
    data: &'d [u8],
    sections: &[Sec<'d>],
    bad: Bad,
) -> Result<Vec<Sym<'d>>, LinkError> {
    let endian = LE;
    let symtab = table
        .symbols(endian, data, elf::SHT_SYMTAB)
        .map_err(|e| bad(format!("symbol table: {e}")))?;
    let mut symbols = Vec::with_capacity(symtab.len());
    for (i, s) in symtab.iter().enumerate() {
        let name = symtab
            .symbol_name(endian, s)
            .map_err(|e| bad(format!("symbol {i}: {e}")))?;
        let name =
            std::str::from_utf8(name).map_err(|_| bad(format!("symbol {i}: name is not UTF-8")))?;
        let sh = s.st_shndx(endian);
        let shndx = if sh == elf::SHN_UNDEF {
            Shndx::Undef
        } else if sh == elf::SHN_ABS {
            Shndx::Abs
        } else if sh == elf::SHN_COMMON {
            Shndx::Common
        } else if sh == elf::SHN_XINDEX {
            let x = symtab
                .shndx(endian, object::SymbolIndex(i))
                .ok_or_else(|| bad(format!("symbol {name}: extended section index missing")))?;
            Shndx::Section(x)
        } else if sh.is_reserved() {
            return Err(bad(format!(
                "symbol {name}: reserved section index {:#x}",
                sh.0
            )));
        } else {
            Shndx::Section(u32::from(sh.0))
        };
        if let Shndx::Section(k) = shndx
            && k as usize >= sections.len()
        {
            return Err(bad(format!("symbol {name}: section {k} does not exist")));
        }
        symbols.push(Sym {
            name,
            bind: s.st_bind().0,
            ty: s.st_type().0,
            visibility: s.st_visibility().0,
            shndx,
            value: s.st_value(endian),
            size: s.st_size(endian),
        });
    }
    Ok(symbols)
}

/// The COMDAT groups.
fn read_groups<'d>(
    table: &SectionTable<'d>,
    data: &'d [u8],
    sections: &[Sec<'d>],
    symbols: &[Sym<'d>],
    bad: Bad,
) -> Result<Vec<Group<'d>>, LinkError> {
    let endian = LE;
    let mut groups = Vec::new();
    for (i, sh) in table.iter().enumerate() {
        if sh.sh_type(endian) != elf::SHT_GROUP {
            continue;
        }
        let words: &[object::U32<LE>] = sh
            .data_as_array(endian, data)
            .map_err(|e| bad(format!("group section {}: {e}", sections[i].name)))?;
        let Some((flags, members)) = words.split_first() else {
            continue;
        };
        if flags.get(endian) & elf::GRP_COMDAT.0 == 0 {
            continue;
        }
        let sig = symbols
            .get(sh.sh_info(endian) as usize)
            .ok_or_else(|| bad(format!("group section {}: bad signature", sections[i].name)))?;
        let members: Vec<u32> = members.iter().map(|m| m.get(endian)).collect();
        if members.iter().any(|&m| m as usize >= sections.len()) {
            return Err(bad(format!(
                "group {}: a member section does not exist",
                sig.name
            )));
        }
        groups.push(Group {
            signature: sig.name,
            sections: members,
        });
    }
    Ok(groups)
}

impl<'d> Obj<'d> {
    /// The relocation's fields: (offset, type, symbol index, addend).
    pub fn reloc(r: &Rela) -> (u64, u32, u32, i64) {
        (
            r.r_offset(LE),
            r.r_type(LE, false).0,
            r.r_sym(LE, false),
            r.r_addend(LE),
        )
    }
}

/// An archive: its symbol index, and which members are loaded.
pub struct Archive<'d> {
    pub name: String,
    file: ArchiveFile<'d>,
    data: &'d [u8],
    /// (symbol, member) from the archive's symbol index.
    pub index: Vec<(&'d str, ArchiveOffset)>,
}

impl<'d> Archive<'d> {
    pub fn parse(name: &str, data: &'d [u8]) -> Result<Archive<'d>, LinkError> {
        let bad = |why: String| LinkError::BadArchive {
            file: name.into(),
            why,
        };
        let file = ArchiveFile::parse(data).map_err(|e| bad(e.to_string()))?;
        if file.is_thin() {
            return Err(bad("thin archives are not supported".into()));
        }
        let mut index = Vec::new();
        match file.symbols().map_err(|e| bad(e.to_string()))? {
            Some(syms) => {
                for s in syms {
                    let s = s.map_err(|e| bad(e.to_string()))?;
                    if let Ok(n) = std::str::from_utf8(s.name()) {
                        index.push((n, s.offset()));
                    }
                }
            }
            None => {
                return Err(bad(
                    "no symbol index (create it with `ranlib` or `ar s`)".into()
                ));
            }
        }
        Ok(Archive {
            name: name.into(),
            file,
            data,
            index,
        })
    }

    /// Parses the member at `at`; None for rustc's metadata member.
    pub fn member(&self, at: ArchiveOffset) -> Result<Option<Obj<'d>>, LinkError> {
        let bad = |why: String| LinkError::BadArchive {
            file: self.name.clone(),
            why,
        };
        let m = self.file.member(at).map_err(|e| bad(e.to_string()))?;
        if m.name() == b"lib.rmeta" {
            return Ok(None);
        }
        let bytes = m.data(self.data).map_err(|e| bad(e.to_string()))?;
        let name = format!("{}({})", self.name, String::from_utf8_lossy(m.name()));
        parse_object(name, bytes).map(Some)
    }
}

/// Whether `data` is an archive (`!<arch>`).
pub fn is_archive(data: &[u8]) -> bool {
    data.starts_with(b"!<arch>\n")
}
