//! The link map (`-Map=FILE`, or `-Map=DIR` for `DIR/<output>.map` as GNU ld does): every
//! output segment with the input sections in it (address, size, object) and their symbols,
//! then what each crate contributes. A crate is read from the demangled path of the symbols
//! a section defines (`core::fmt::write` → core), else from the rlib it came from
//! (`libcore-….rlib` → core), else from the object's name (`hello-….rcgu.o` → hello), so a
//! stripped binary can still be explained byte by byte.

use super::input::{Obj, Shndx};
use super::layout::{Layout, Out};
use super::reloc::Built;
use super::symbols::{FileId, Resolved, State};
use linker_core::exe::Placement;
use object::elf;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Bytes per output segment kind, for one crate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CrateSize {
    pub text: u64,
    pub rodata: u64,
    pub data: u64,
    pub bss: u64,
}

impl CrateSize {
    pub fn total(&self) -> u64 {
        self.text + self.rodata + self.data + self.bss
    }
}

/// The crate a symbol name belongs to: the first path segment of its demangled form.
pub fn crate_of_symbol(name: &str) -> Option<String> {
    let d = format!("{:#}", rustc_demangle::try_demangle(name).ok()?);
    crate_of_demangled(&d)
}

/// The crate of an already demangled Rust path.
pub fn crate_of_demangled(d: &str) -> Option<String> {
    // The first identifier followed by `::` (`<&T as core::fmt::Debug>::fmt` → core).
    let bytes = d.as_bytes();
    let mut start = None;
    for (i, &b) in bytes.iter().enumerate() {
        let ident = b.is_ascii_alphanumeric() || b == b'_';
        match (ident, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                if d[i..].starts_with("::") && s < i {
                    return Some(d[s..i].to_string());
                }
                start = None;
            }
            _ => {}
        }
    }
    None
}

/// The crate of a file name: `…/libcore-1234.rlib(member)` → core, `hello-12ab.hello.….o` →
/// hello.
pub fn crate_of_file(name: &str) -> String {
    let archive = name.split('(').next().unwrap_or(name);
    let base = archive.rsplit('/').next().unwrap_or(archive);
    let base = base
        .strip_prefix("lib")
        .filter(|_| base.ends_with(".rlib") || base.ends_with(".a"))
        .unwrap_or(base);
    base.split(['-', '.']).next().unwrap_or(base).to_string()
}

fn crate_of_section(obj: &Obj, sec: u32) -> String {
    for s in &obj.symbols {
        if s.shndx == Shndx::Section(sec)
            && (s.ty == elf::STT_FUNC.0 || s.ty == elf::STT_OBJECT.0)
            && let Some(c) = crate_of_symbol(s.name)
        {
            return c;
        }
    }
    crate_of_file(&obj.name)
}

/// The map's text and the per-crate totals (largest first).
pub fn render(
    r: &Resolved,
    layout: &Layout,
    built: &Built,
    placement: &Placement,
    output: &str,
    file_size: usize,
) -> (String, Vec<(String, CrateSize)>) {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "freestand-ld link map of {output} ({file_size} bytes)\n"
    );
    let _ = writeln!(
        out,
        "{:<18} {:>10}  {:<40} symbols",
        "address", "size", "input"
    );
    let mut crates: BTreeMap<String, CrateSize> = BTreeMap::new();
    // Symbols by (file, section), in address order.
    let mut syms: BTreeMap<(FileId, u32), Vec<(u64, &str)>> = BTreeMap::new();
    for (fi, obj) in r.objs.iter().enumerate() {
        for (i, s) in obj.symbols.iter().enumerate().skip(1) {
            let Shndx::Section(k) = s.shndx else { continue };
            if s.ty == elf::STT_SECTION.0 || s.ty == elf::STT_FILE.0 || s.name.is_empty() {
                continue;
            }
            if let Some(g) = r.sym_global[fi][i]
                && !matches!(r.globals[g.0 as usize].state,
                    State::Defined(d) if d.file.0 as usize == fi && d.index as usize == i)
            {
                continue;
            }
            syms.entry((FileId(fi as u32), k))
                .or_default()
                .push((s.value, s.name));
        }
    }
    for o in Out::ALL {
        let seg = layout.seg(o);
        let Some(id) = built.segment_of[o as usize] else {
            continue;
        };
        let base = placement.segments[id.index()].1;
        let _ = writeln!(out, "\n{:#018x} {:>#10x}  {}", base, seg.size, o.name());
        for p in &seg.parts {
            let obj = r.obj(p.file);
            let sec = &obj.sections[p.sec as usize];
            let c = crate_of_section(obj, p.sec);
            let e = crates.entry(c.clone()).or_default();
            let what = match o {
                Out::Text if sec.exec() => &mut e.text,
                Out::Text | Out::Rodata => &mut e.rodata,
                Out::Data => &mut e.data,
                Out::Bss => &mut e.bss,
            };
            *what += p.size;
            let _ = writeln!(
                out,
                "{:#018x} {:>#10x}  {}:({}) [{c}]",
                base + p.offset,
                p.size,
                obj.name,
                sec.name
            );
            if let Some(list) = syms.get_mut(&(p.file, p.sec)) {
                list.sort();
                for (v, name) in list.iter() {
                    let _ = writeln!(
                        out,
                        "{:#018x} {:>10}  {:<40} {}",
                        base + p.offset + v,
                        "",
                        "",
                        super::error::pretty(name)
                    );
                }
            }
        }
        for m in layout.merged.iter().filter(|m| m.out == o) {
            let what = if m.strings { "strings" } else { "constants" };
            let _ = writeln!(
                out,
                "{:#018x} {:>#10x}  *merged {what}* (entries of {} bytes: {} bytes of input sections, each kept once)",
                base + m.offset,
                m.bytes.len(),
                m.entsize,
                m.input_bytes
            );
            crates.entry(format!("(merged {what})")).or_default().rodata += m.bytes.len() as u64;
        }
        if o == layout.got_seg && !layout.got.is_empty() {
            let _ = writeln!(
                out,
                "{:#018x} {:>#10x}  *GOT* ({} slots)",
                base + layout.got_offset,
                8 * layout.got.len(),
                layout.got.len()
            );
        }
        if o == Out::Bss {
            for (&(f, i), &at) in &layout.commons {
                let s = &r.obj(f).symbols[i as usize];
                let c = crate_of_file(&r.obj(f).name);
                crates.entry(c).or_default().bss += s.size;
                let _ = writeln!(
                    out,
                    "{:#018x} {:>#10x}  *COMMON* {}",
                    base + at,
                    s.size,
                    s.name
                );
            }
        }
    }
    let mut by_size: Vec<(String, CrateSize)> = crates.into_iter().collect();
    by_size.sort_by(|a, b| b.1.total().cmp(&a.1.total()).then(a.0.cmp(&b.0)));
    let _ = writeln!(out, "\nPer crate (bytes):");
    out.push_str(&crate_table(&by_size));
    (out, by_size)
}

/// The per-crate table: crate, code, read-only data, data, bss, total.
pub fn crate_table(rows: &[(String, CrateSize)]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<24} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "crate", "code", "rodata", "data", "bss", "total"
    );
    let mut sum = CrateSize::default();
    for (c, s) in rows {
        let _ = writeln!(
            out,
            "{:<24} {:>9} {:>9} {:>9} {:>9} {:>9}",
            c,
            s.text,
            s.rodata,
            s.data,
            s.bss,
            s.total()
        );
        sum.text += s.text;
        sum.rodata += s.rodata;
        sum.data += s.data;
        sum.bss += s.bss;
    }
    let _ = writeln!(
        out,
        "{:<24} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "(all)",
        sum.text,
        sum.rodata,
        sum.data,
        sum.bss,
        sum.total()
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crates_come_from_symbol_paths_then_file_names() {
        assert_eq!(
            crate_of_symbol("_ZN4core3fmt5write17h0123456789abcdefE").as_deref(),
            Some("core")
        );
        assert_eq!(
            crate_of_symbol(
                "_RNvMs1_NtNtCsgEmfK2I1SDS_4core3fmt8buildersNtB5_11DebugStruct6finish"
            )
            .as_deref(),
            Some("core")
        );
        assert_eq!(crate_of_symbol("memcpy"), None);
        assert_eq!(
            crate_of_file("/sys/lib/libcompiler_builtins-27cf.rlib(compiler_builtins-27cf.o)"),
            "compiler_builtins"
        );
        assert_eq!(
            crate_of_file("/t/deps/hello-cfa1.hello.9aa5-cgu.0.rcgu.o"),
            "hello"
        );
        assert_eq!(crate_of_file("main.o"), "main");
    }
}
