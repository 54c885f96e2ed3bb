//! Phase 7: relocation. The output segments' bytes are assembled from the kept sections, and
//! every relocation of a kept section becomes a linker-core relocation between output
//! locations (linker-core computes S + A − P once addresses are chosen and refuses a value
//! that does not fit its field). GOTPCRELX forms are relaxed to direct references where the
//! instruction allows; other GOT references go through a read-only slot. The large code
//! model's GOT-relative forms (GOTOFF64, GOTPC32/64, GOT64, GOTPCREL64, GOTPLT64, PLTOFF64)
//! are computed against `_GLOBAL_OFFSET_TABLE_`, the first slot. Types that a static,
//! TLS-free executable cannot have are an error naming the type, section and object.

use super::error::LinkError;
use super::input::{Obj, Shndx};
use super::layout::{Layout, Out, Relax, got_key, is_placed_symbol, relaxation};
use super::symbols::{FileId, Resolved, State, is_got_symbol};
use linker_core::exe::{
    Image, Location, Reloc, RelocKind, Segment, SegmentId, SegmentKind, Symbol, SymbolKind, Target,
};
use object::elf;

/// Where a relocation came from, for errors linker-core reports by index.
#[derive(Clone, Debug)]
pub struct Origin {
    pub file: FileId,
    pub section: u32,
    pub offset: u64,
    pub r_type: u32,
    pub symbol: String,
}

/// The image to write, the origin of each of its relocations, and which linker-core segment
/// each output segment became.
pub struct Built {
    pub image: Image,
    pub origins: Vec<Origin>,
    pub segment_of: [Option<SegmentId>; 4],
}

struct Builder<'a, 'd> {
    r: &'a Resolved<'d>,
    layout: &'a Layout,
    segment_of: [Option<SegmentId>; 4],
    data: Vec<Vec<u8>>,
    relocs: Vec<Reloc>,
    origins: Vec<Origin>,
}

pub fn build(
    r: &Resolved,
    layout: &Layout,
    entry: &str,
    symbols: bool,
) -> Result<Built, LinkError> {
    let mut segment_of = [None; 4];
    let mut segments = Vec::new();
    for o in Out::ALL {
        let s = layout.seg(o);
        if s.size == 0 && o != Out::Text {
            continue;
        }
        segment_of[o as usize] = Some(SegmentId(segments.len()));
        segments.push(o);
    }
    let mut b = Builder {
        r,
        layout,
        segment_of,
        data: segments
            .iter()
            .map(|&o| {
                let fill = if o == Out::Text { 0xcc } else { 0 };
                if o == Out::Bss {
                    Vec::new()
                } else {
                    vec![fill; layout.seg(o).size as usize]
                }
            })
            .collect(),
        relocs: Vec::new(),
        origins: Vec::new(),
    };
    for o in [Out::Text, Out::Rodata, Out::Data] {
        // An empty segment is not written (its parts are all empty).
        let Some(seg) = b.segment_of[o as usize] else {
            continue;
        };
        for p in &layout.seg(o).parts {
            let s = &r.obj(p.file).sections[p.sec as usize];
            b.data[seg.index()][p.offset as usize..(p.offset + s.size) as usize]
                .copy_from_slice(s.data);
        }
    }
    for m in &layout.merged {
        let seg = b.segment_of[m.out as usize].expect("a segment with merged constants exists");
        b.data[seg.index()][m.offset as usize..m.offset as usize + m.bytes.len()]
            .copy_from_slice(&m.bytes);
    }
    for o in [Out::Text, Out::Rodata, Out::Data] {
        for p in &layout.seg(o).parts {
            b.section(p.file, p.sec, o, p.offset)?;
        }
    }
    b.got_slots()?;
    let entry_loc = match r.global(entry).map(|g| g.state) {
        Some(State::Defined(d)) => b.symbol_location(d.file, d.index)?,
        _ => None,
    }
    .ok_or_else(|| LinkError::NoEntry { name: entry.into() })?;
    let syms = if symbols { b.symbols() } else { Vec::new() };
    let mut image = Image::default();
    for (i, &o) in segments.iter().enumerate() {
        let s = layout.seg(o);
        let align = s.align;
        let seg = match o {
            Out::Bss => Segment::bss(o.name(), s.size, align),
            Out::Text => Segment::new(
                o.name(),
                SegmentKind::Code,
                std::mem::take(&mut b.data[i]),
                align,
            ),
            Out::Rodata => Segment::new(
                o.name(),
                SegmentKind::ReadOnly,
                std::mem::take(&mut b.data[i]),
                align,
            ),
            Out::Data => Segment::new(
                o.name(),
                SegmentKind::Data,
                std::mem::take(&mut b.data[i]),
                align,
            ),
        };
        image.add_segment(seg);
    }
    image.entry = Some(entry_loc);
    image.symbols = syms;
    image.relocs = b.relocs;
    Ok(Built {
        image,
        origins: b.origins,
        segment_of,
    })
}

impl Builder<'_, '_> {
    /// Byte `offset` of output segment `o`. A segment that is empty is not written; what is
    /// placed in it (zero-size sections and their symbols) goes to where it would have
    /// started: the start of the next segment, or the end of the code.
    fn loc(&self, o: Out, offset: u64) -> Location {
        if let Some(id) = self.segment_of[o as usize] {
            return Location::new(id, offset);
        }
        assert_eq!(
            self.layout.seg(o).size,
            0,
            "internal: a location in {} which was not written",
            o.name()
        );
        for next in Out::ALL.iter().skip(o as usize + 1) {
            if let Some(id) = self.segment_of[*next as usize] {
                return Location::new(id, 0);
            }
        }
        let text = self.segment_of[Out::Text as usize].expect("the code segment always exists");
        Location::new(text, self.layout.seg(Out::Text).size)
    }

    /// `_GLOBAL_OFFSET_TABLE_`: the first GOT slot (or, with no slots, where they would be).
    fn got_base(&self) -> Location {
        let at = if self.layout.got.is_empty() {
            self.layout.seg(self.layout.got_seg).size
        } else {
            self.layout.got_offset
        };
        self.loc(self.layout.got_seg, at)
    }

    /// Where symbol `sym` of `f` is in the output: None for an absolute or undefined one
    /// (see [`Self::target`]).
    fn symbol_location(&self, f: FileId, sym: u32) -> Result<Option<Location>, LinkError> {
        let r = self.r;
        if let Some(g) = r.sym_global[f.0 as usize][sym as usize]
            && is_got_symbol(&r.globals[g.0 as usize])
        {
            return Ok(Some(self.got_base()));
        }
        if let Some(g) = r.sym_global[f.0 as usize][sym as usize]
            && let State::Common(c) = r.globals[g.0 as usize].state
        {
            let at = self.layout.commons.get(&(c.file, c.index)).copied();
            return Ok(at.map(|at| self.loc(Out::Bss, at)));
        }
        let (df, di) = match r.sym_global[f.0 as usize][sym as usize] {
            Some(g) => match r.globals[g.0 as usize].state {
                State::Defined(d) => (d.file, d.index),
                _ => return Ok(None),
            },
            None => (f, sym),
        };
        let s = &r.obj(df).symbols[di as usize];
        let Shndx::Section(k) = s.shndx else {
            return Ok(None);
        };
        let kept = self.layout.place[df.0 as usize][k as usize].is_some()
            || self.layout.merged_sec(df, k).is_some();
        if !kept {
            return Err(LinkError::Unplaceable {
                file: r.obj(df).name.clone(),
                section: r.obj(df).sections[k as usize].name.into(),
                why: format!(
                    "symbol {} is referenced but its section was not kept (a discarded or \
                     debug-only section)",
                    s.name
                ),
            });
        }
        match self.layout.offset_of(df, k, s.value) {
            Some((o, at)) => Ok(Some(self.loc(o, at))),
            None => Err(LinkError::BadObject {
                file: r.obj(df).name.clone(),
                why: format!(
                    "symbol {}: value {:#x} is past its section",
                    s.name, s.value
                ),
            }),
        }
    }

    /// The target and addend of a reference to symbol `sym` of `f` with addend `addend`. A
    /// section symbol of a merged section names a byte by its addend (lld's rule: the byte
    /// at value + addend, wherever its piece went, and the addend is used up).
    fn target_addend(&self, f: FileId, sym: u32, addend: i64) -> Result<(Target, i64), LinkError> {
        let s = &self.r.obj(f).symbols[sym as usize];
        if s.ty == elf::STT_SECTION.0
            && let Shndx::Section(k) = s.shndx
            && self.layout.merged_sec(f, k).is_some()
        {
            let at = s.value.checked_add_signed(addend);
            return match at.and_then(|at| self.layout.offset_of(f, k, at)) {
                Some((o, at)) => Ok((Target::At(self.loc(o, at)), 0)),
                None => Err(LinkError::BadObject {
                    file: self.r.obj(f).name.clone(),
                    why: format!(
                        "a relocation names byte {addend:#x} of merged section {}, past its end",
                        self.r.obj(f).sections[k as usize].name
                    ),
                }),
            };
        }
        Ok((self.target(f, sym)?, addend))
    }

    /// The target of a reference to symbol `sym` of `f`.
    fn target(&self, f: FileId, sym: u32) -> Result<Target, LinkError> {
        if let Some(l) = self.symbol_location(f, sym)? {
            return Ok(Target::At(l));
        }
        let r = self.r;
        let (df, di) = match r.sym_global[f.0 as usize][sym as usize] {
            Some(g) => match r.globals[g.0 as usize].state {
                State::Defined(d) => (d.file, d.index),
                // An undefined weak symbol is 0 (only weak ones get this far).
                _ => return Ok(Target::Absolute(0)),
            },
            None => (f, sym),
        };
        Ok(Target::Absolute(r.obj(df).symbols[di as usize].value))
    }

    fn push(&mut self, at: Location, kind: RelocKind, target: Target, addend: i64, origin: Origin) {
        self.relocs.push(Reloc {
            at,
            kind,
            target,
            addend,
        });
        self.origins.push(origin);
    }

    /// Every relocation of section `k` of `f`, placed at `base` of output segment `o`.
    fn section(&mut self, f: FileId, k: u32, o: Out, base: u64) -> Result<(), LinkError> {
        let r = self.r;
        let obj: &Obj = r.obj(f);
        let sec = &obj.sections[k as usize];
        for rel in sec.relocs {
            let (off, ty, sym, addend) = Obj::reloc(rel);
            let origin = Origin {
                file: f,
                section: k,
                offset: off,
                r_type: ty,
                symbol: obj
                    .symbols
                    .get(sym as usize)
                    .map_or(String::new(), |s| s.name.to_string()),
            };
            let unsupported = || LinkError::UnsupportedReloc {
                r_type: ty,
                file: obj.name.clone(),
                section: sec.name.into(),
                offset: off,
            };
            let width = match ty {
                0 => continue,
                1 | 24 | 25 | 27..=31 => 8,
                2 | 4 | 9 | 10 | 11 | 26 | 41 | 42 => 4,
                _ => return Err(unsupported()),
            };
            if off.checked_add(width).is_none_or(|e| e > sec.size) || sec.nobits() {
                return Err(LinkError::BadObject {
                    file: obj.name.clone(),
                    why: format!(
                        "section {}: a relocation at {off:#x} runs past its {} bytes",
                        sec.name, sec.size
                    ),
                });
            }
            let at = self.loc(o, base + off);
            let kind = match ty {
                1 => RelocKind::Abs64,
                2 | 4 => RelocKind::Rel32,
                10 => RelocKind::Abs32,
                11 => RelocKind::Abs32S,
                24 => RelocKind::Rel64,
                // The large code model's GOT-relative forms. GOTOFF64 (and PLTOFF64: no PLT
                // in a static file, the function itself): S + A − GOT.
                25 | 31 => RelocKind::Off64(self.got_base()),
                // GOTPC32 / GOTPC64: GOT + A − P.
                26 | 29 => {
                    let kind = if ty == 26 {
                        RelocKind::Rel32
                    } else {
                        RelocKind::Rel64
                    };
                    let base = Target::At(self.got_base());
                    self.push(at, kind, base, addend, origin);
                    continue;
                }
                // GOT64 / GOTPLT64: G + A, the slot's offset from the GOT; GOTPCREL64:
                // G + GOT + A − P, the slot relative to the field.
                27 | 28 | 30 => {
                    let slot = self.layout.got_index[&got_key(r, f, sym)] as u64;
                    let (kind, t) = if ty == 28 {
                        let l = self.loc(self.layout.got_seg, self.layout.got_offset + 8 * slot);
                        (RelocKind::Rel64, Target::At(l))
                    } else {
                        (RelocKind::Abs64, Target::Absolute(8 * slot))
                    };
                    self.push(at, kind, t, addend, origin);
                    continue;
                }
                _ => {
                    // The GOT family.
                    let placed = is_placed_symbol(r, f, sym);
                    match relaxation(ty, sec.data, off, placed) {
                        Some(relax) => {
                            let (t, addend) = self.target_addend(f, sym, addend)?;
                            let seg = self.segment_of[o as usize].expect("placed").index();
                            let d = &mut self.data[seg];
                            let p = (base + off) as usize;
                            let field = match relax {
                                Relax::MovToLea => {
                                    d[p - 2] = 0x8d;
                                    at
                                }
                                Relax::Call => {
                                    d[p - 2] = 0x67;
                                    d[p - 1] = 0xe8;
                                    at
                                }
                                Relax::Jmp => {
                                    d[p - 2] = 0xe9;
                                    d[p + 3] = 0x90;
                                    self.loc(o, base + off - 1)
                                }
                            };
                            self.push(field, RelocKind::Rel32, t, addend, origin);
                        }
                        None => {
                            let slot = self.layout.got_index[&got_key(r, f, sym)];
                            let t = Target::At(self.loc(
                                self.layout.got_seg,
                                self.layout.got_offset + 8 * slot as u64,
                            ));
                            self.push(at, RelocKind::Rel32, t, addend, origin);
                        }
                    }
                    continue;
                }
            };
            let (t, addend) = self.target_addend(f, sym, addend)?;
            self.push(at, kind, t, addend, origin);
        }
        Ok(())
    }

    /// Each GOT slot holds its target's address.
    fn got_slots(&mut self) -> Result<(), LinkError> {
        for (i, key) in self.layout.got.iter().enumerate() {
            let (f, sym) = match *key {
                super::layout::GotKey::Local(f, s) => (f, s),
                super::layout::GotKey::Global(g) => {
                    // Any reference binds the same way: find the global's definition or
                    // treat it as absolute 0 (undefined weak).
                    match self.r.globals[g.0 as usize].state {
                        State::Defined(d) | State::Common(d) => (d.file, d.index),
                        _ => {
                            // Slot stays 0.
                            continue;
                        }
                    }
                }
            };
            let t = self.target(f, sym)?;
            let at = self.loc(self.layout.got_seg, self.layout.got_offset + 8 * i as u64);
            self.push(
                at,
                RelocKind::Abs64,
                t,
                0,
                Origin {
                    file: f,
                    section: 0,
                    offset: 0,
                    r_type: 1,
                    symbol: self.r.obj(f).symbols[sym as usize].name.into(),
                },
            );
        }
        Ok(())
    }

    /// The output's symbol table: every named function and object in a kept section, each
    /// global once (its definition).
    fn symbols(&self) -> Vec<Symbol> {
        let r = self.r;
        let mut out = Vec::new();
        for (fi, obj) in r.objs.iter().enumerate() {
            let f = FileId(fi as u32);
            for (i, s) in obj.symbols.iter().enumerate().skip(1) {
                let kind = match s.ty {
                    t if t == elf::STT_FUNC.0 => SymbolKind::Func,
                    t if t == elf::STT_OBJECT.0 => SymbolKind::Object,
                    t if t == elf::STT_NOTYPE.0 => SymbolKind::NoType,
                    _ => continue,
                };
                if s.name.is_empty() || s.name.starts_with(".L") {
                    continue;
                }
                if let Some(g) = r.sym_global[fi][i] {
                    let is_def = matches!(r.globals[g.0 as usize].state,
                        State::Defined(d) if d.file == f && d.index == i as u32);
                    if !is_def {
                        continue;
                    }
                }
                let Shndx::Section(k) = s.shndx else { continue };
                let Some((o, at)) = self.layout.offset_of(f, k, s.value) else {
                    continue;
                };
                if at
                    .checked_add(s.size)
                    .is_none_or(|e| e > self.layout.seg(o).size)
                {
                    continue; // past its section: not worth a symbol
                }
                out.push(Symbol {
                    name: s.name.into(),
                    at: self.loc(o, at),
                    size: s.size,
                    kind,
                    global: !s.is_local() && s.visibility == elf::STV_DEFAULT.0,
                });
            }
        }
        out
    }
}
