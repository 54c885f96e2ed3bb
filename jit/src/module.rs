//! [`Module`]: the functions compiled together (they may call each other directly) and the
//! host functions they may call.

use crate::error::Error;
use crate::ir::{FuncId, Function, HostId, Signature};
use alloc::string::String;
use alloc::vec::Vec;

/// A host function: an `extern "C"` function taking and returning i64/bool in registers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostFn {
    pub name: String,
    pub sig: Signature,
    /// Its address; 0 until bound (a parsed `extern fn` declaration starts unbound).
    pub addr: usize,
    /// Placed with the generated code (ahead-of-time runtime routines): called with
    /// `call rel32` ([`crate::emit::RelocKind::HostRel32`]) instead of through an absolute
    /// address.
    pub near: bool,
}

/// Functions and host functions, addressed by dense ids.
#[derive(Clone, Debug, Default)]
pub struct Module {
    functions: Vec<Option<Function>>,
    signatures: Vec<(String, Signature)>,
    hosts: Vec<HostFn>,
    /// Whether its functions may load and store ([`Module::allow_memory_access`]).
    memory_access: bool,
    /// The host routine a [`crate::ir::Term::ReturnToLanding`] jumps to.
    landing_router: Option<HostId>,
}

impl Module {
    pub fn new() -> Module {
        Module::default()
    }

    /// Lets the module's functions use [`crate::ir::Inst::Load`] and
    /// [`crate::ir::Inst::Store`] (the verifier refuses them otherwise).
    ///
    /// # Safety
    /// Every load and store any of its functions can run must address memory that is valid
    /// for that access when it runs (memory the caller's host functions own, say): the
    /// backend does not check addresses.
    pub unsafe fn allow_memory_access(&mut self) {
        self.memory_access = true;
    }

    /// Whether [`Module::allow_memory_access`] was called.
    pub fn memory_access(&self) -> bool {
        self.memory_access
    }

    /// Names the routine that returns to landings ([`crate::ir::Term::ReturnToLanding`]):
    /// code jumps to it with its frame gone, the result in rax and the caller's return
    /// address on top of the stack; it pops that address and jumps to the landing of the
    /// call there ([`crate::codegen::FunctionCode::landings`] lists them), or returns to
    /// it when the call has none. (The front end that places the code writes the table
    /// and the routine: an ELF writer's runtime, say.)
    pub fn set_landing_router(&mut self, h: HostId) {
        self.landing_router = Some(h);
    }

    pub fn landing_router(&self) -> Option<HostId> {
        self.landing_router
    }

    /// Reserves an id for a function defined later (needed for recursion and mutual calls).
    pub fn declare(&mut self, name: &str, sig: Signature) -> FuncId {
        self.functions.push(None);
        self.signatures.push((name.into(), sig));
        FuncId(self.functions.len() as u32 - 1)
    }

    /// Supplies the body of a declared function. Its name and signature must match.
    pub fn define(&mut self, id: FuncId, f: Function) -> Result<(), Error> {
        let (name, sig) = self
            .signatures
            .get(id.0 as usize)
            .ok_or_else(|| Error::new(&f.name, "defined with an unknown id"))?;
        if *name != f.name || *sig != f.sig {
            return Err(Error::new(
                &f.name,
                alloc::format!("does not match its declaration `{name}`"),
            ));
        }
        self.functions[id.0 as usize] = Some(f);
        Ok(())
    }

    /// Declares and defines in one step.
    pub fn add(&mut self, f: Function) -> FuncId {
        let id = self.declare(&f.name.clone(), f.sig.clone());
        self.functions[id.0 as usize] = Some(f);
        id
    }

    /// Registers a host function.
    ///
    /// # Safety
    /// `addr` must be an `extern "C"` function taking `sig.params.len()` i64 arguments (bools
    /// as 0/1) and returning an i64 (or a bool as 0/1), safe to call with any such values.
    pub unsafe fn add_host(&mut self, name: &str, sig: Signature, addr: usize) -> HostId {
        self.hosts.push(HostFn {
            name: name.into(),
            sig,
            addr,
            near: false,
        });
        HostId(self.hosts.len() as u32 - 1)
    }

    /// Declares a host function whose address is bound later with [`Module::bind_host`].
    pub fn declare_host(&mut self, name: &str, sig: Signature) -> HostId {
        self.hosts.push(HostFn {
            name: name.into(),
            sig,
            addr: 0,
            near: false,
        });
        HostId(self.hosts.len() as u32 - 1)
    }

    /// Declares a host function that will be placed next to the code (see
    /// [`HostFn::near`]); only an ELF writer can resolve calls to it.
    pub fn declare_near_host(&mut self, name: &str, sig: Signature) -> HostId {
        let h = self.declare_host(name, sig);
        self.hosts[h.0 as usize].near = true;
        h
    }

    /// Binds a declared host function's address.
    ///
    /// # Safety
    /// As for [`Module::add_host`].
    pub unsafe fn bind_host(&mut self, name: &str, addr: usize) -> Result<(), Error> {
        let h = self
            .hosts
            .iter_mut()
            .find(|h| h.name == name)
            .ok_or_else(|| Error::new(name, "no such host function is declared"))?;
        h.addr = addr;
        Ok(())
    }

    pub fn func_id(&self, name: &str) -> Option<FuncId> {
        self.signatures
            .iter()
            .position(|(n, _)| n == name)
            .map(|i| FuncId(i as u32))
    }

    pub fn host_id(&self, name: &str) -> Option<HostId> {
        self.hosts
            .iter()
            .position(|h| h.name == name)
            .map(|i| HostId(i as u32))
    }

    pub fn signature(&self, id: FuncId) -> Option<&Signature> {
        self.signatures.get(id.0 as usize).map(|(_, s)| s)
    }

    pub fn func_name(&self, id: FuncId) -> &str {
        &self.signatures[id.0 as usize].0
    }

    pub fn function(&self, id: FuncId) -> Option<&Function> {
        self.functions.get(id.0 as usize).and_then(|f| f.as_ref())
    }

    pub fn function_mut(&mut self, id: FuncId) -> Option<&mut Function> {
        self.functions
            .get_mut(id.0 as usize)
            .and_then(|f| f.as_mut())
    }

    /// Takes function `id`'s body out (the module then has no definition for it until
    /// [`Module::put_function`] gives one back; its signature stays).
    pub fn take_function(&mut self, id: FuncId) -> Option<Function> {
        self.functions.get_mut(id.0 as usize)?.take()
    }

    /// Gives function `id` a body again (after [`Module::take_function`]).
    pub fn put_function(&mut self, id: FuncId, f: Function) {
        self.functions[id.0 as usize] = Some(f);
    }

    pub fn host(&self, id: HostId) -> Option<&HostFn> {
        self.hosts.get(id.0 as usize)
    }

    pub fn hosts(&self) -> &[HostFn] {
        &self.hosts
    }

    /// Every function id, defined or not.
    pub fn func_ids(&self) -> impl Iterator<Item = FuncId> + '_ {
        (0..self.functions.len()).map(|i| FuncId(i as u32))
    }

    /// The defined functions.
    pub fn functions(&self) -> impl Iterator<Item = (FuncId, &Function)> {
        self.functions
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.as_ref().map(|f| (FuncId(i as u32), f)))
    }
}
