//! Phase 5: garbage collection at section granularity (`--gc-sections`): a section is kept
//! when the entry symbol's section reaches it through relocations, or when it must stay
//! anyway (`SHF_GNU_RETAIN`, init/fini arrays). Without `--gc-sections` every section that
//! would be placed is kept. Undefined symbols count only when a kept section references
//! them, so references from dropped code (an unused `.eh_frame` personality, say) are not
//! errors.

use super::error::{LinkError, Reference};
use super::input::{Obj, Rela, Sec, Shndx};
use super::symbols::{FileId, Resolved, State, is_got_symbol};
use object::elf;

/// Which sections are kept, per object and section.
pub struct Live {
    pub sections: Vec<Vec<bool>>,
    /// Common symbols kept (by defining object and symbol index).
    pub commons: Vec<(FileId, u32)>,
}

impl Live {
    pub fn is_live(&self, f: FileId, sec: u32) -> bool {
        self.sections[f.0 as usize][sec as usize]
    }
}

/// Whether a section could go into the output at all: allocated, not a COMDAT loser, not
/// unwinding tables (panic=abort never unwinds), notes or excluded metadata.
pub fn candidate(s: &Sec) -> bool {
    s.alloc()
        && s.flags & elf::SHF_EXCLUDE.0 == 0
        && s.sh_type != elf::SHT_X86_64_UNWIND.0
        && s.sh_type != elf::SHT_NOTE.0
        && s.sh_type != elf::SHT_GROUP.0
        && !s.name.starts_with(".eh_frame")
        && !s.name.starts_with(".note")
}

/// Sections that are roots whatever references them.
fn retained(s: &Sec) -> bool {
    s.flags & elf::SHF_GNU_RETAIN.0 != 0
        || [
            elf::SHT_INIT_ARRAY.0,
            elf::SHT_FINI_ARRAY.0,
            elf::SHT_PREINIT_ARRAY.0,
        ]
        .contains(&s.sh_type)
}

/// The section (file, index) symbol `sym` of `f` is defined in, following globals.
pub fn symbol_section(r: &Resolved, f: FileId, sym: u32) -> Option<(FileId, u32)> {
    let obj = r.obj(f);
    let s = obj.symbols.get(sym as usize)?;
    if let Some(g) = r.sym_global[f.0 as usize][sym as usize] {
        return match r.globals[g.0 as usize].state {
            State::Defined(d) => match r.obj(d.file).symbols[d.index as usize].shndx {
                Shndx::Section(k) => Some((d.file, k)),
                _ => None,
            },
            _ => None,
        };
    }
    match s.shndx {
        Shndx::Section(k) => Some((f, k)),
        _ => None,
    }
}

pub fn collect(r: &Resolved, entry: &str, gc_sections: bool) -> Result<Live, LinkError> {
    let mut live: Vec<Vec<bool>> = r
        .objs
        .iter()
        .map(|o| vec![false; o.sections.len()])
        .collect();
    let mut work: Vec<(FileId, u32)> = Vec::new();
    let mut commons = Vec::new();
    let mark = |f: FileId, k: u32, live: &mut Vec<Vec<bool>>, work: &mut Vec<(FileId, u32)>| {
        let s = &r.obj(f).sections[k as usize];
        if !live[f.0 as usize][k as usize] && candidate(s) && !r.discarded[f.0 as usize][k as usize]
        {
            live[f.0 as usize][k as usize] = true;
            work.push((f, k));
        }
    };
    match r.global(entry).map(|g| g.state) {
        Some(State::Defined(d)) => {
            if let Shndx::Section(k) = r.obj(d.file).symbols[d.index as usize].shndx {
                mark(d.file, k, &mut live, &mut work);
            }
        }
        _ => {
            return Err(LinkError::NoEntry { name: entry.into() });
        }
    }
    for (fi, obj) in r.objs.iter().enumerate() {
        for (k, s) in obj.sections.iter().enumerate() {
            if !gc_sections || retained(s) {
                mark(FileId(fi as u32), k as u32, &mut live, &mut work);
            }
        }
    }
    let mut undefined: Vec<(String, Vec<Reference>)> = Vec::new();
    while let Some((f, k)) = work.pop() {
        let obj: &Obj = r.obj(f);
        let sec = &obj.sections[k as usize];
        for rel in sec.relocs {
            let (_, _, sym, _) = Obj::reloc(rel);
            if sym == 0 {
                continue;
            }
            if sym as usize >= obj.symbols.len() {
                return Err(bad_symbol(obj, sec, rel));
            }
            if let Some((tf, tk)) = symbol_section(r, f, sym) {
                mark(tf, tk, &mut live, &mut work);
                continue;
            }
            let Some(g) = r.sym_global[f.0 as usize][sym as usize] else {
                continue;
            };
            let global = &r.globals[g.0 as usize];
            match global.state {
                State::Common(c) if !commons.contains(&(c.file, c.index)) => {
                    commons.push((c.file, c.index));
                }
                State::Undefined { weak: false } | State::Lazy { .. }
                    if !obj.symbols[sym as usize].is_weak() && !is_got_symbol(global) =>
                {
                    let reference = Reference {
                        file: obj.name.clone(),
                        section: sec.name.to_string(),
                    };
                    match undefined.iter_mut().find(|(n, _)| n == global.name) {
                        Some((_, refs)) => {
                            if !refs.contains(&reference) {
                                refs.push(reference);
                            }
                        }
                        None => undefined.push((global.name.to_string(), vec![reference])),
                    }
                }
                _ => {}
            }
        }
    }
    if !undefined.is_empty() {
        return Err(LinkError::Undefined(undefined));
    }
    Ok(Live {
        sections: live,
        commons,
    })
}

fn bad_symbol(obj: &Obj, sec: &Sec, rel: &Rela) -> LinkError {
    let (off, _, sym, _) = Obj::reloc(rel);
    LinkError::BadObject {
        file: obj.name.clone(),
        why: format!(
            "section {}: the relocation at {off:#x} names symbol {sym}, past the symbol table",
            sec.name
        ),
    }
}
