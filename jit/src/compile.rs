//! The pipeline end to end: verify → optimize → allocate → emit → place → relocate → flip
//! to executable → callable.

use crate::codegen::{FunctionCode, compile_function};
use crate::emit::RelocKind;
use crate::error::Error;
use crate::ir::{FuncId, Function};
use crate::memory::CodeRegion;
use crate::module::Module;
use crate::passes::optimize;
use crate::verify::verify_module;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::marker::PhantomData;

/// Pipeline switches.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Run the optimization passes (constant folding, copy propagation, DCE, fusion).
    pub optimize: bool,
    /// With `optimize`: inline small callees (faster, larger code).
    pub inline: bool,
    /// Check the module with [`crate::verify`] first (an error instead of code for IR that
    /// breaks a rule). On by default; a front end whose IR is verified in its own test
    /// builds may skip it in release builds, where it is an eighth of compile time.
    pub verify: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            optimize: true,
            inline: true,
            verify: true,
        }
    }
}

/// Machine code for every function of a module, not yet placed anywhere: bytes plus
/// relocations, for the in-memory loader here or an ELF writer.
#[derive(Clone, Debug)]
pub struct CompiledModule {
    /// Indexed by [`FuncId`].
    pub functions: Vec<FunctionCode>,
}

/// Verifies (unless `opts` says not to) and compiles every function. Nothing is emitted if
/// any function fails to verify.
#[inline(never)] // (one call per module; named in profiles: `bench phases` under callgrind)
pub fn compile_module(m: &Module, opts: Options) -> Result<CompiledModule, Error> {
    check(m, opts)?;
    let mut functions = Vec::with_capacity(m.func_ids().count());
    for (id, f) in m.functions() {
        let code = if opts.optimize {
            compile_function(&optimized(m, id, f.clone(), opts), m)?
        } else {
            compile_function(f, m)?
        };
        functions.push(code);
    }
    Ok(CompiledModule { functions })
}

/// [`compile_module`] of a module the caller gives up: a function no other one calls (and
/// so none inlines) is optimized where it stands instead of in a copy — most of what a
/// JIT compiles, whose modules are built for one compile. The functions others call are
/// copied as before, so that every inlining sees the bodies as they came. Afterwards the
/// module holds the optimized bodies of the first kind.
#[inline(never)]
pub fn compile_module_owned(m: &mut Module, opts: Options) -> Result<CompiledModule, Error> {
    check(m, opts)?;
    let mut called = alloc::vec![false; m.func_ids().count()];
    if opts.optimize && opts.inline {
        for (id, f) in m.functions() {
            for i in f.blocks.iter().flat_map(|b| &b.insts) {
                if let crate::ir::Inst::Call { func, .. } = i
                    && *func != id
                {
                    called[func.0 as usize] = true;
                }
            }
        }
    }
    let ids: Vec<FuncId> = m.func_ids().collect();
    let mut functions = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(f) = m.function(id) else { continue };
        let code = if !opts.optimize {
            compile_function(f, m)?
        } else if called[id.0 as usize] {
            compile_function(&optimized(m, id, f.clone(), opts), m)?
        } else {
            // Out of the module while it is optimized (nothing reads it there meanwhile:
            // no other function calls it, and its own calls inline from a snapshot).
            let f = m.take_function(id).expect("defined");
            let f = optimized(m, id, f, opts);
            let code = compile_function(&f, m);
            m.put_function(id, f);
            code?
        };
        functions.push(code);
    }
    Ok(CompiledModule { functions })
}

/// What [`compile_module`] asks of a module before compiling any of it.
fn check(m: &Module, opts: Options) -> Result<(), Error> {
    if opts.verify {
        verify_module(m)?;
    } else if !m.memory_access() {
        // Unverified IR still never touches memory its module did not vouch for.
        for (_, f) in m.functions() {
            let touches = |i: &crate::ir::Inst| {
                matches!(
                    i,
                    crate::ir::Inst::Load { .. } | crate::ir::Inst::Store { .. }
                )
            };
            if f.blocks.iter().any(|b| b.insts.iter().any(touches)) {
                return Err(Error::new(
                    &f.name,
                    "loads and stores need Module::allow_memory_access",
                ));
            }
        }
    }
    Ok(())
}

/// `f` (function `id` of `m`) as the optimizing tier hands it to the register allocator:
/// tail recursion as a loop, small calls inlined ([`Options::inline`]), every pass run.
fn optimized(m: &Module, id: FuncId, mut f: Function, opts: Options) -> Function {
    #[cfg(feature = "loops")]
    if f.sig.ret == crate::ir::Type::I64 {
        crate::passes::eliminate_tail_recursion(&mut f, id);
    }
    if opts.inline && crate::passes::inline::has_candidates(&f, id, m) {
        let snapshot = f.clone();
        crate::passes::inline::inline_small_calls(&mut f, id, m, &snapshot);
    }
    optimize(&mut f);
    debug_assert_eq!(
        crate::verify::verify_function(&f, m),
        Ok(()),
        "a pass broke {}",
        f.name
    );
    f
}

/// `m` with every function as [`compile_module`] would compile it with `opts` (for
/// listings: `jit::text::module_to_string` of the result shows the code the allocator
/// saw).
pub fn optimized_module(m: &Module, opts: Options) -> Module {
    let mut out = m.clone();
    if opts.optimize {
        for (id, f) in m.functions() {
            if let Some(slot) = out.function_mut(id) {
                *slot = optimized(m, id, f.clone(), opts);
            }
        }
    }
    out
}

/// Applies `code`'s relocations for a function placed at `at`, given the final address of
/// every function and the module's host functions.
pub fn relocate(
    code: &FunctionCode,
    at: usize,
    bytes: &mut [u8],
    func_addrs: &[usize],
    m: &Module,
) -> Result<(), Error> {
    for r in &code.relocs {
        let field = r.offset as usize;
        match r.kind {
            RelocKind::CallRel32(f) => {
                let target = func_addrs[f.0 as usize] as i64;
                let rel = target - (at as i64 + field as i64 + 4);
                let rel = i32::try_from(rel)
                    .map_err(|_| Error::new(&code.name, "call target out of rel32 range"))?;
                bytes[field..field + 4].copy_from_slice(&rel.to_le_bytes());
            }
            RelocKind::HostAbs64(h) => {
                let host = m
                    .host(h)
                    .ok_or_else(|| Error::new(&code.name, "unknown host function"))?;
                if host.addr == 0 {
                    return Err(Error::new(
                        &code.name,
                        format!("host function `{}` has no address bound", host.name),
                    ));
                }
                bytes[field..field + 8].copy_from_slice(&(host.addr as u64).to_le_bytes());
            }
            RelocKind::HostRel32(h) => {
                return Err(Error::new(
                    &code.name,
                    format!(
                        "host function {} is placed with the code: only an ELF writer places it",
                        h.0
                    ),
                ));
            }
            RelocKind::DataRel32(d) => {
                return Err(Error::new(
                    &code.name,
                    format!("data item {d}: the in-memory loader places no data"),
                ));
            }
        }
    }
    Ok(())
}

/// A module compiled into executable memory. Its functions are callable through [`JitFn`]s,
/// which borrow it: no function pointer outlives its code.
pub struct JitModule {
    region: CodeRegion,
    addrs: Vec<usize>,
    names: Vec<String>,
    arity: Vec<usize>,
    code: CompiledModule,
}

impl JitModule {
    /// Compiles (with default options) and loads.
    pub fn new(m: &Module) -> Result<JitModule, Error> {
        Self::with_options(m, Options::default())
    }

    pub fn with_options(m: &Module, opts: Options) -> Result<JitModule, Error> {
        let code = compile_module(m, opts)?;
        Self::load(m, code)
    }

    /// [`JitModule::with_options`] of a module built for this one compile
    /// ([`compile_module_owned`]: no copy of a function nothing else calls).
    pub fn from_module(mut m: Module, opts: Options) -> Result<JitModule, Error> {
        let code = compile_module_owned(&mut m, opts)?;
        Self::load(&m, code)
    }

    /// Places compiled code in a fresh region, relocates it and makes it executable.
    pub fn load(m: &Module, code: CompiledModule) -> Result<JitModule, Error> {
        let total: usize = code
            .functions
            .iter()
            .map(|f| f.code.len().next_multiple_of(16))
            .sum();
        let mut region = CodeRegion::new(total.max(1))?;
        let chunks: Vec<Vec<u8>> = code.functions.iter().map(|f| f.code.clone()).collect();
        let sizes: Vec<usize> = chunks.iter().map(|c| c.len()).collect();
        let addrs = region.plan(&sizes)?;
        let mut err = None;
        region.write_with(&chunks, |i, at, bytes| {
            if let Err(e) = relocate(&code.functions[i], at, bytes, &addrs, m)
                && err.is_none()
            {
                err = Some(e);
            }
        })?;
        if let Some(e) = err {
            return Err(e);
        }
        let names = code.functions.iter().map(|f| f.name.clone()).collect();
        let arity = m.functions().map(|(_, f)| f.sig.params.len()).collect();
        Ok(JitModule {
            region,
            addrs,
            names,
            arity,
            code,
        })
    }

    /// The callable function named `name`.
    pub fn get(&self, name: &str) -> Option<JitFn<'_>> {
        let i = self.names.iter().position(|n| n == name)?;
        Some(self.function(FuncId(i as u32)))
    }

    pub fn function(&self, id: FuncId) -> JitFn<'_> {
        JitFn {
            addr: self.addrs[id.0 as usize],
            arity: self.arity[id.0 as usize],
            _code: PhantomData,
        }
    }

    /// The machine code as loaded (before relocation), with its relocations.
    pub fn code(&self) -> &CompiledModule {
        &self.code
    }

    pub fn region(&self) -> &CodeRegion {
        &self.region
    }
}

/// A callable compiled function, valid while its [`JitModule`] lives.
#[derive(Clone, Copy)]
pub struct JitFn<'a> {
    addr: usize,
    arity: usize,
    _code: PhantomData<&'a JitModule>,
}

impl JitFn<'_> {
    /// Calls it with `args` (bools as 0/1). Panics if the count differs from the signature.
    pub fn call(&self, args: &[i64]) -> i64 {
        assert_eq!(args.len(), self.arity, "wrong number of arguments");
        // SAFETY: the code was compiled from verified IR for exactly this many i64
        // parameters and stays mapped and executable while `self` borrows its module.
        unsafe { crate::interp::call_host(self.addr, args) }
            .expect("JIT functions take at most 8 arguments through call()")
    }

    /// The entry address (for code that calls it directly; the module must outlive any use).
    pub fn addr(&self) -> usize {
        self.addr
    }

    pub fn arity(&self) -> usize {
        self.arity
    }
}
