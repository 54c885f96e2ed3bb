//! With feature `aot`: builds the Rust half of the AOT runtime (`aotrt/`, a no_std static
//! library: ints past 64 bits on num-bigint) and prepares it for `aot::library`, which
//! links what a program calls into its executable. Preparing = what a linker's first
//! phases do, once, here: the archive's members that the exported `mp_*` routines need
//! (symbols resolved across members, strong over weak), only the allocated sections they
//! reach, every relocation resolved to a section and an addend (GOT references through a
//! slot of their own). The result (format: `src/aot/libformat.rs`) is a few dozen KB where
//! the archive is megabytes.

use object::LittleEndian as LE;
use object::elf;
use object::read::archive::ArchiveFile;
use object::read::elf::{ElfFile64, Rela, SectionHeader, Sym};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::{env, fs};

#[path = "src/aot/libformat.rs"]
#[allow(dead_code)]
mod libformat;
use libformat::*;

const TARGET: &str = "x86_64-unknown-linux-gnu";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/aot/libformat.rs");
    println!("cargo:rerun-if-changed=aotrt/src");
    println!("cargo:rerun-if-changed=aotrt/Cargo.toml");
    println!("cargo:rerun-if-changed=aotrt/Cargo.lock");
    println!("cargo:rerun-if-changed=../rt/src");
    // The modules the library compiles a second time (`#[path]`).
    for m in [
        "front/src/ast",
        "src/bigint",
        "front/src/error",
        "front/src/suggest",
    ] {
        println!("cargo:rerun-if-changed={m}.rs");
    }
    // Set in the library's build: `bigint::binary` inlined into each routine (one
    // operator each), so that a program links the arithmetic it does and no other.
    println!("cargo::rustc-check-cfg=cfg(minipy_aotrt)");
    if env::var_os("CARGO_FEATURE_AOT").is_none() {
        return;
    }
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR"));
    let archive = build_library(&out);
    let bytes = fs::read(&archive).unwrap_or_else(|e| panic!("reading {}: {e}", archive.display()));
    let blob = prepare(&bytes).unwrap_or_else(|e| panic!("preparing {}: {e}", archive.display()));
    fs::write(out.join("aotrt.bin"), blob).expect("writing aotrt.bin");
}

/// `cargo build` of aotrt in a target directory of its own, with the flags of freestanding
/// code; the archive's path.
fn build_library(out: &Path) -> PathBuf {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("manifest dir"))
        .join("aotrt/Cargo.toml");
    let target_dir = out.join("aotrt-target");
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["build", "--release", "--locked", "--target", TARGET])
        .arg("--manifest-path")
        .arg(&manifest)
        .arg("--target-dir")
        .arg(&target_dir);
    // Our build's flags and wrappers (clippy's, the runner's codegen flags) are not the
    // library's.
    for var in [
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_BUILD_RUSTFLAGS",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
    ] {
        cmd.env_remove(var);
    }
    for (k, _) in env::vars_os() {
        if k.to_string_lossy().starts_with("CARGO_PROFILE_") {
            cmd.env_remove(k);
        }
    }
    // Static code (no GOT where avoidable), no unwind tables, no debug info.
    cmd.env(
        "CARGO_ENCODED_RUSTFLAGS",
        [
            "-Crelocation-model=static",
            "-Cforce-unwind-tables=no",
            "-Cdebuginfo=0",
            "--cfg=minipy_aotrt",
        ]
        .join("\x1f"),
    );
    let status = cmd
        .status()
        .unwrap_or_else(|e| panic!("running cargo for {}: {e}", manifest.display()));
    assert!(status.success(), "building {} failed", manifest.display());
    target_dir.join(TARGET).join("release/libminipy_aotrt.a")
}

/// A section of a member: (member, section index).
type SecKey = (usize, usize);

struct Member<'a> {
    name: String,
    file: ElfFile64<'a, LE>,
}

/// Where a symbol is defined: its section and value.
#[derive(Clone, Copy)]
struct Def {
    sec: SecKey,
    value: u64,
    weak: bool,
}

fn prepare(ar: &[u8]) -> Result<Vec<u8>, String> {
    let archive = ArchiveFile::parse(ar).map_err(|e| e.to_string())?;
    let mut members = Vec::new();
    for m in archive.members() {
        let m = m.map_err(|e| e.to_string())?;
        let name = String::from_utf8_lossy(m.name()).into_owned();
        if !name.ends_with(".o") {
            continue;
        }
        let data = m.data(ar).map_err(|e| format!("{name}: {e}"))?;
        let file = ElfFile64::<LE>::parse(data).map_err(|e| format!("{name}: {e}"))?;
        members.push(Member { name, file });
    }
    // Global definitions: strong over weak, the first of each.
    let mut globals: HashMap<Vec<u8>, Def> = HashMap::new();
    for (mi, m) in members.iter().enumerate() {
        let (syms, strs) = symbols(m)?;
        for s in syms.iter() {
            let shndx = s.st_shndx(LE).0;
            if s.st_bind() == elf::STB_LOCAL
                || shndx == elf::SHN_UNDEF.0
                || shndx >= elf::SHN_LORESERVE
            {
                continue;
            }
            let name = s.name(LE, strs).map_err(|e| e.to_string())?.to_vec();
            let def = Def {
                sec: (mi, shndx as usize),
                value: s.st_value(LE),
                weak: s.st_bind() == elf::STB_WEAK,
            };
            match globals.get(&name) {
                Some(old) if !old.weak || def.weak => {}
                _ => {
                    globals.insert(name, def);
                }
            }
        }
    }
    let mut roots: BTreeMap<String, Def> = BTreeMap::new();
    for (name, def) in &globals {
        let name = String::from_utf8_lossy(name);
        if name.starts_with(EXPORT_PREFIX) {
            roots.insert(name.into_owned(), *def);
        }
    }
    if roots.is_empty() {
        return Err(format!("no {EXPORT_PREFIX}* routines"));
    }
    // Sections reachable from the routines.
    let mut order: Vec<SecKey> = Vec::new();
    let mut index: HashMap<SecKey, usize> = HashMap::new();
    let mut work: Vec<SecKey> = roots.values().map(|d| d.sec).collect();
    // Relocations per kept section, as (offset, kind, target, addend) with the target
    // resolved to a section key or a GOT slot of a key.
    let mut resolved: Vec<Vec<(u32, u8, Target, i64)>> = Vec::new();
    while let Some(key) = work.pop() {
        if index.contains_key(&key) {
            continue;
        }
        index.insert(key, order.len());
        order.push(key);
        let relocs = section_relocs(&members, key, &globals)?;
        for (_, _, t, _) in &relocs {
            let (Target::Sec(k) | Target::Got(k, _)) = *t;
            work.push(k);
        }
        resolved.push(relocs);
    }
    // GOT slots: one 8-byte read-only section per target (section, addend).
    let mut slots: BTreeMap<(SecKey, i64), usize> = BTreeMap::new();
    let mut blob_secs: Vec<OutSection> = Vec::new();
    for &key in &order {
        let (kind, align, data, size) = section_bytes(&members, key)?;
        blob_secs.push((kind, align, data, size, Vec::new()));
    }
    for (i, relocs) in resolved.iter().enumerate() {
        for &(off, kind, t, addend) in relocs {
            let r = match t {
                Target::Sec(k) => (off, kind, index[&k], addend),
                Target::Got(k, sym_value) => {
                    let slot = *slots.entry((k, sym_value)).or_insert_with(|| {
                        blob_secs.push((
                            KIND_RODATA,
                            3,
                            vec![0; 8],
                            8,
                            vec![(0, RELOC_ABS64, index[&k], sym_value)],
                        ));
                        blob_secs.len() - 1
                    });
                    (off, RELOC_REL32, slot, addend)
                }
            };
            blob_secs[i].4.push(r);
        }
    }
    let mut out = Vec::new();
    out.extend(MAGIC);
    out.extend((blob_secs.len() as u32).to_le_bytes());
    for (kind, align, data, size, relocs) in &blob_secs {
        out.push(*kind);
        out.push(*align);
        out.extend((*size as u32).to_le_bytes());
        out.extend((relocs.len() as u32).to_le_bytes());
        if *kind != KIND_BSS {
            out.extend(data);
        }
        for &(off, k, t, a) in relocs {
            out.extend(off.to_le_bytes());
            out.push(k);
            out.extend((t as u32).to_le_bytes());
            out.extend(a.to_le_bytes());
        }
    }
    out.extend((roots.len() as u32).to_le_bytes());
    for (name, def) in &roots {
        out.extend((name.len() as u16).to_le_bytes());
        out.extend(name.as_bytes());
        out.extend((index[&def.sec] as u32).to_le_bytes());
        out.extend((def.value as u32).to_le_bytes());
    }
    Ok(out)
}

/// A section of the prepared library: kind, log2 alignment, bytes, size, relocations
/// (offset, kind, target section, addend).
type OutSection = (u8, u8, Vec<u8>, u64, Vec<(u32, u8, usize, i64)>);

#[derive(Clone, Copy)]
enum Target {
    /// A section; the relocation's addend includes the symbol's value.
    Sec(SecKey),
    /// A GOT slot holding the address of a symbol (its section and value); the addend is
    /// the field's own.
    Got(SecKey, i64),
}

fn symbols<'a>(
    m: &Member<'a>,
) -> Result<
    (
        object::read::elf::SymbolTable<'a, elf::FileHeader64<LE>>,
        object::StringTable<'a>,
    ),
    String,
> {
    let st = m.file.elf_symbol_table();
    Ok((*st, st.strings()))
}

/// Kind, log2 alignment, bytes and size of an allocated section; an error for anything
/// the library must not hold (thread-locals, sections of unknown kinds).
fn section_bytes(members: &[Member], (mi, si): SecKey) -> Result<(u8, u8, Vec<u8>, u64), String> {
    let m = &members[mi];
    let sections = m.file.elf_section_table();
    let sh = sections
        .section(object::SectionIndex(si))
        .map_err(|e| e.to_string())?;
    let flags = sh.sh_flags(LE).0;
    let name = String::from_utf8_lossy(sections.section_name(LE, sh).unwrap_or(b"?")).into_owned();
    if flags & elf::SHF_ALLOC.0 == 0 || flags & elf::SHF_TLS.0 != 0 {
        return Err(format!(
            "{}: section {name} cannot be linked into an executable",
            m.name
        ));
    }
    let kind = if flags & elf::SHF_EXECINSTR.0 != 0 {
        KIND_TEXT
    } else if flags & elf::SHF_WRITE.0 == 0 {
        KIND_RODATA
    } else if sh.sh_type(LE) == elf::SHT_NOBITS {
        KIND_BSS
    } else {
        KIND_DATA
    };
    let align = sh.sh_addralign(LE).max(1);
    if !align.is_power_of_two() || align > 4096 {
        return Err(format!("{}: section {name}: alignment {align}", m.name));
    }
    let data = if kind == KIND_BSS {
        Vec::new()
    } else {
        sh.data(LE, m.file.data())
            .map_err(|e| e.to_string())?
            .to_vec()
    };
    Ok((kind, align.trailing_zeros() as u8, data, sh.sh_size(LE)))
}

/// The relocations of a section, resolved.
fn section_relocs(
    members: &[Member],
    (mi, si): SecKey,
    globals: &HashMap<Vec<u8>, Def>,
) -> Result<Vec<(u32, u8, Target, i64)>, String> {
    let m = &members[mi];
    let sections = m.file.elf_section_table();
    let (syms, strs) = symbols(m)?;
    let mut out = Vec::new();
    for rs in sections.iter() {
        if rs.sh_type(LE) != elf::SHT_RELA || rs.sh_info(LE) as usize != si {
            continue;
        }
        let relas: &[elf::Rela64<LE>] = rs
            .data_as_array(LE, m.file.data())
            .map_err(|e| e.to_string())?;
        for r in relas {
            let sym = syms
                .symbol(object::SymbolIndex(r.r_sym(LE, false) as usize))
                .map_err(|e| e.to_string())?;
            let name = sym.name(LE, strs).map_err(|e| e.to_string())?;
            let shndx = sym.st_shndx(LE).0;
            let def = if sym.st_bind() == elf::STB_LOCAL && shndx != elf::SHN_UNDEF.0 {
                if shndx >= elf::SHN_LORESERVE {
                    return Err(format!(
                        "{}: symbol {} in a reserved section",
                        m.name,
                        String::from_utf8_lossy(name)
                    ));
                }
                Def {
                    sec: (mi, shndx as usize),
                    value: sym.st_value(LE),
                    weak: false,
                }
            } else {
                *globals.get(name).ok_or_else(|| {
                    format!(
                        "{}: undefined symbol {}",
                        m.name,
                        String::from_utf8_lossy(name)
                    )
                })?
            };
            let (off, addend) = (r.r_offset(LE) as u32, r.r_addend(LE));
            let value = def.value as i64;
            let kind = match r.r_type(LE, false) {
                elf::R_X86_64_PC32 | elf::R_X86_64_PLT32 => RELOC_REL32,
                elf::R_X86_64_64 => RELOC_ABS64,
                elf::R_X86_64_32 => RELOC_ABS32,
                elf::R_X86_64_32S => RELOC_ABS32S,
                elf::R_X86_64_GOTPCREL | elf::R_X86_64_GOTPCRELX | elf::R_X86_64_REX_GOTPCRELX => {
                    out.push((off, RELOC_REL32, Target::Got(def.sec, value), addend));
                    continue;
                }
                t => {
                    return Err(format!(
                        "{}: relocation type {t} against {}",
                        m.name,
                        String::from_utf8_lossy(name)
                    ));
                }
            };
            out.push((off, kind, Target::Sec(def.sec), value + addend));
        }
    }
    Ok(out)
}
