//! Phases 3 and 4: the global symbol table and resolution. Objects are added in command-line
//! order; an archive's index makes its symbols lazy, and a member is loaded when a strong
//! undefined reference meets one of them (lld's rule: archive order does not matter). ELF's
//! rules decide between definitions: strong beats weak and common, the larger common wins,
//! two strong definitions are an error naming both objects. Of the COMDAT groups with one
//! signature the first is kept; the sections of the others are discarded and the symbols
//! they define become references to the kept copy.

use super::error::LinkError;
use super::input::{Archive, Mapped, Obj, Shndx, is_archive, parse_object};
use object::read::archive::ArchiveOffset;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// An object's index in [`Resolved::objs`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A global symbol's index in [`Resolved::globals`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GlobalId(pub u32);

/// A symbol of an object: file and ELF symbol index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SymRef {
    pub file: FileId,
    pub index: u32,
}

/// What a global name resolves to so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Referenced, not defined; `weak`: only by weak references.
    Undefined {
        weak: bool,
    },
    /// Defined by an archive member not loaded yet.
    Lazy {
        archive: u32,
        member: u64,
    },
    Defined(SymRef),
    /// A common symbol (zero-filled, placed in .bss).
    Common(SymRef),
}

pub struct Global<'d> {
    pub name: &'d str,
    pub state: State,
}

/// Everything loaded, with every global resolved.
pub struct Resolved<'d> {
    pub objs: Vec<Obj<'d>>,
    pub globals: Vec<Global<'d>>,
    pub by_name: HashMap<&'d str, GlobalId>,
    /// Per object, per symbol: the global it binds to (None for locals).
    pub sym_global: Vec<Vec<Option<GlobalId>>>,
    /// Per object, per section: dropped as the losing copy of a COMDAT group.
    pub discarded: Vec<Vec<bool>>,
}

/// The symbol the large code model's GOT-relative relocations name; the linker defines it
/// (as the GOT's address) when no input does.
pub const GOT_SYMBOL: &str = "_GLOBAL_OFFSET_TABLE_";

/// Whether `g` is `_GLOBAL_OFFSET_TABLE_` left for the linker to define.
pub fn is_got_symbol(g: &Global) -> bool {
    g.name == GOT_SYMBOL && matches!(g.state, State::Undefined { .. })
}

impl<'d> Resolved<'d> {
    pub fn global(&self, name: &str) -> Option<&Global<'d>> {
        self.by_name.get(name).map(|g| &self.globals[g.0 as usize])
    }

    pub fn obj(&self, f: FileId) -> &Obj<'d> {
        &self.objs[f.0 as usize]
    }
}

struct Resolver<'d> {
    r: Resolved<'d>,
    archives: Vec<Archive<'d>>,
    comdats: HashSet<&'d str>,
    loaded: HashSet<(u32, u64)>,
    queue: Vec<(u32, ArchiveOffset)>,
}

/// Loads the inputs (archive members as needed) and resolves every global; `entry` is
/// referenced first, as `ld -u` would.
pub fn resolve<'d>(files: &'d [Mapped], entry: &'d str) -> Result<Resolved<'d>, LinkError> {
    let mut s = Resolver {
        r: Resolved {
            objs: Vec::new(),
            globals: Vec::new(),
            by_name: HashMap::default(),
            sym_global: Vec::new(),
            discarded: Vec::new(),
        },
        archives: Vec::new(),
        comdats: HashSet::default(),
        loaded: HashSet::default(),
        queue: Vec::new(),
    };
    // The entry symbol is needed even before anything references it.
    s.reference(entry, false);
    for f in files {
        let data = f.bytes();
        if is_archive(data) {
            let a = Archive::parse(&f.path, data)?;
            let id = s.archives.len() as u32;
            for &(name, member) in &a.index {
                s.offer(name, id, member);
            }
            s.archives.push(a);
        } else {
            s.add(parse_object(f.path.clone(), data)?)?;
        }
        s.drain()?;
    }
    Ok(s.r)
}

impl<'d> Resolver<'d> {
    fn intern(&mut self, name: &'d str) -> GlobalId {
        if let Some(&g) = self.r.by_name.get(name) {
            return g;
        }
        let g = GlobalId(self.r.globals.len() as u32);
        self.r.globals.push(Global {
            name,
            state: State::Undefined { weak: true },
        });
        self.r.by_name.insert(name, g);
        g
    }

    fn state(&mut self, g: GlobalId) -> &mut State {
        &mut self.r.globals[g.0 as usize].state
    }

    /// An undefined reference to `name`.
    fn reference(&mut self, name: &'d str, weak: bool) -> GlobalId {
        let fresh = !self.r.by_name.contains_key(name);
        let g = self.intern(name);
        match *self.state(g) {
            State::Undefined { .. } if fresh => *self.state(g) = State::Undefined { weak },
            State::Undefined { weak: true } if !weak => {
                *self.state(g) = State::Undefined { weak: false }
            }
            // Weak references do not pull archive members (ELF semantics).
            State::Lazy { archive, member } if !weak => {
                self.queue.push((archive, ArchiveOffset(member)))
            }
            _ => {}
        }
        g
    }

    /// Archive `archive` offers `name` from `member`.
    fn offer(&mut self, name: &'d str, archive: u32, member: ArchiveOffset) {
        match self
            .r
            .by_name
            .get(name)
            .map(|g| self.r.globals[g.0 as usize].state)
        {
            None => {
                let g = self.intern(name);
                *self.state(g) = State::Lazy {
                    archive,
                    member: member.0,
                };
            }
            Some(State::Undefined { weak: false }) => self.queue.push((archive, member)),
            Some(State::Undefined { weak: true }) => {
                let g = self.intern(name);
                *self.state(g) = State::Lazy {
                    archive,
                    member: member.0,
                };
            }
            _ => {}
        }
    }

    /// Loads the queued archive members (which may queue more).
    fn drain(&mut self) -> Result<(), LinkError> {
        while let Some((a, m)) = self.queue.pop() {
            if !self.loaded.insert((a, m.0)) {
                continue;
            }
            if let Some(obj) = self.archives[a as usize].member(m)? {
                self.add(obj)?;
            }
        }
        Ok(())
    }

    /// Symbol `r`, which may belong to `obj` (file `file`, being added) itself.
    fn sym<'a>(&'a self, obj: &'a Obj<'d>, file: FileId, r: SymRef) -> &'a super::input::Sym<'d> {
        let o = if r.file == file {
            obj
        } else {
            self.r.obj(r.file)
        };
        &o.symbols[r.index as usize]
    }

    fn add(&mut self, obj: Obj<'d>) -> Result<(), LinkError> {
        let file = FileId(self.r.objs.len() as u32);
        let mut discarded = vec![false; obj.sections.len()];
        for g in &obj.groups {
            if !self.comdats.insert(g.signature) {
                for &s in &g.sections {
                    discarded[s as usize] = true;
                }
            }
        }
        let mut binds = vec![None; obj.symbols.len()];
        for (i, s) in obj.symbols.iter().enumerate().skip(1) {
            if s.is_local() {
                continue;
            }
            let in_discarded = matches!(s.shndx, Shndx::Section(k) if discarded[k as usize]);
            let g = match s.shndx {
                Shndx::Undef => self.reference(s.name, s.is_weak()),
                _ if in_discarded => self.reference(s.name, true),
                Shndx::Common => {
                    let g = self.intern(s.name);
                    let me = SymRef {
                        file,
                        index: i as u32,
                    };
                    match *self.state(g) {
                        State::Defined(_) => {}
                        State::Common(old) => {
                            let old_size = self.sym(&obj, file, old).size;
                            if s.size > old_size {
                                *self.state(g) = State::Common(me);
                            }
                        }
                        _ => *self.state(g) = State::Common(me),
                    }
                    g
                }
                Shndx::Abs | Shndx::Section(_) => {
                    let g = self.intern(s.name);
                    let me = SymRef {
                        file,
                        index: i as u32,
                    };
                    match *self.state(g) {
                        State::Defined(old) => {
                            let o = self.sym(&obj, file, old);
                            if o.is_weak() && !s.is_weak() {
                                *self.state(g) = State::Defined(me);
                            } else if !o.is_weak() && !s.is_weak() {
                                let first = if old.file == file {
                                    &obj.name
                                } else {
                                    &self.r.obj(old.file).name
                                };
                                return Err(LinkError::Duplicate {
                                    name: s.name.into(),
                                    first: first.clone(),
                                    second: obj.name.clone(),
                                });
                            }
                        }
                        _ => *self.state(g) = State::Defined(me),
                    }
                    g
                }
            };
            binds[i] = Some(g);
        }
        self.r.objs.push(obj);
        self.r.sym_global.push(binds);
        self.r.discarded.push(discarded);
        Ok(())
    }
}
