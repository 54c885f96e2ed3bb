//! The verifier: nothing is compiled from IR that fails it.
//!
//! Checks: block and function references exist; every value is defined exactly once; every
//! use is dominated by its definition; operand and argument types; jump arguments match the
//! target's parameters; `ok` blocks of checked operations have one i64 parameter; calls
//! match the callee's signature; returns match the function's.

use crate::cfg::Dominators;
use crate::error::Error;
use crate::ir::*;
use crate::module::Module;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

/// Verifies every defined function of the module (and that every declared one is defined).
pub fn verify_module(m: &Module) -> Result<(), Error> {
    for id in m.func_ids() {
        match m.function(id) {
            Some(f) => verify_function(f, m)?,
            None => return Err(Error::new(m.func_name(id), "is declared but never defined")),
        }
    }
    Ok(())
}

/// Verifies one function against the module it calls into.
pub fn verify_function(f: &Function, m: &Module) -> Result<(), Error> {
    Verifier { f, m }.run()
}

struct Verifier<'a> {
    f: &'a Function,
    m: &'a Module,
}

/// Where a value is defined: the block, and the instruction index (params: `None`).
#[derive(Clone, Copy)]
struct Def {
    block: Block,
    index: Option<usize>,
}

impl Verifier<'_> {
    fn err(&self, msg: String) -> Error {
        Error::new(&self.f.name, msg)
    }

    fn run(&self) -> Result<(), Error> {
        let f = self.f;
        if f.blocks.is_empty() {
            return Err(self.err("has no blocks".into()));
        }
        let entry_types: Vec<Type> = f.blocks[0]
            .params
            .iter()
            .map(|&v| self.ty(v))
            .collect::<Result<_, _>>()?;
        if entry_types != f.sig.params {
            return Err(self.err(format!(
                "entry block parameters {entry_types:?} differ from the signature {:?}",
                f.sig.params
            )));
        }
        // Definitions, once each.
        let mut defs: Vec<Option<Def>> = vec![None; f.num_values()];
        let mut define = |v: Value, d: Def, what: &dyn Fn() -> String| -> Result<(), Error> {
            match defs.get_mut(v.index()) {
                None => Err(Error::new(
                    &f.name,
                    format!(
                        "{}: {v} has no type (value numbers run to {})",
                        what(),
                        f.num_values()
                    ),
                )),
                Some(Some(_)) => Err(Error::new(
                    &f.name,
                    format!("{}: {v} is defined twice", what()),
                )),
                Some(slot) => {
                    *slot = Some(d);
                    Ok(())
                }
            }
        };
        for (bi, b) in f.blocks.iter().enumerate() {
            let block = Block(bi as u32);
            for &p in &b.params {
                define(p, Def { block, index: None }, &|| {
                    format!("{block} parameters")
                })?;
            }
            for (ii, inst) in b.insts.iter().enumerate() {
                define(
                    inst.dst(),
                    Def {
                        block,
                        index: Some(ii),
                    },
                    &|| format!("{block}, instruction {ii}"),
                )?;
            }
        }
        let dom = Dominators::compute(f);
        for (bi, b) in f.blocks.iter().enumerate() {
            let block = Block(bi as u32);
            for (ii, inst) in b.insts.iter().enumerate() {
                let at = || {
                    format!(
                        "{block}, instruction {ii} ({})",
                        crate::text::InstDisplay(inst, self.m)
                    )
                };
                let mut bad = None;
                inst.for_each_use(|v| {
                    if bad.is_none() {
                        bad = self.check_use(v, block, Some(ii), &defs, &dom).err();
                    }
                });
                if let Some(msg) = bad {
                    return Err(self.err(format!("{}: {msg}", at())));
                }
                self.check_inst(inst)
                    .map_err(|msg| self.err(format!("{}: {msg}", at())))?;
            }
            let at = || format!("{block}, terminator");
            let mut bad = None;
            b.term.for_each_use(|v| {
                if bad.is_none() {
                    bad = self.check_use(v, block, None, &defs, &dom).err();
                }
            });
            if let Some(msg) = bad {
                return Err(self.err(format!("{}: {msg}", at())));
            }
            self.check_term(&b.term, b.insts.last())
                .map_err(|msg| self.err(format!("{}: {msg}", at())))?;
        }
        Ok(())
    }

    fn ty(&self, v: Value) -> Result<Type, Error> {
        self.f
            .value_types
            .get(v.index())
            .copied()
            .ok_or_else(|| self.err(format!("{v} has no type")))
    }

    /// A use of `v` in `block` at instruction `index` (`None`: the terminator).
    fn check_use(
        &self,
        v: Value,
        block: Block,
        index: Option<usize>,
        defs: &[Option<Def>],
        dom: &Dominators,
    ) -> Result<(), String> {
        let Some(Some(d)) = defs.get(v.index()) else {
            return Err(format!("{v} is never defined"));
        };
        if let Some(i) = d.index
            && let Inst::Store { .. } = self.f.blocks[d.block.index()].insts[i]
        {
            return Err(format!("{v} is a store's result, which has no value"));
        }
        if !dom.is_reachable(block) {
            return Ok(()); // dead code: never runs, never compiled
        }
        let before = match (d.index, index) {
            (None, _) => true,
            (Some(_), None) => true,
            (Some(di), Some(ui)) => di < ui,
        };
        if d.block == block && before {
            return Ok(());
        }
        if d.block != block && dom.dominates(d.block, block) {
            return Ok(());
        }
        Err(format!(
            "{v} is used where its definition (in {}) does not reach on every path",
            d.block
        ))
    }

    fn expect(&self, v: Value, ty: Type) -> Result<(), String> {
        let actual = self.f.value_types[v.index()];
        if actual != ty {
            Err(format!("{v} is {actual}, expected {ty}"))
        } else {
            Ok(())
        }
    }

    /// `what` names the callee or block, formatted only when there is an error to report.
    fn check_args(
        &self,
        what: &dyn core::fmt::Display,
        params: impl ExactSizeIterator<Item = Type>,
        args: &[Value],
    ) -> Result<(), String> {
        if params.len() != args.len() {
            return Err(format!(
                "{what} takes {} arguments, given {}",
                params.len(),
                args.len()
            ));
        }
        for (p, &a) in params.zip(args) {
            self.expect(a, p).map_err(|e| format!("{what}: {e}"))?;
        }
        Ok(())
    }

    fn check_inst(&self, inst: &Inst) -> Result<(), String> {
        let dst_ty = self.f.value_types[inst.dst().index()];
        let want_dst = |ty: Type| {
            if dst_ty == ty {
                Ok(())
            } else {
                Err(format!("result {} is {dst_ty}, should be {ty}", inst.dst()))
            }
        };
        match inst {
            Inst::Const { .. } => want_dst(Type::I64),
            Inst::Bool { .. } => want_dst(Type::Bool),
            Inst::Copy { src, .. } => want_dst(self.f.value_types[src.index()]),
            Inst::Unary {
                op: UnOp::Neg, src, ..
            } => {
                self.expect(*src, Type::I64)?;
                want_dst(Type::I64)
            }
            Inst::Unary {
                op: UnOp::Not, src, ..
            } => want_dst(self.f.value_types[src.index()]),
            Inst::Binary { a, b, .. } => {
                self.expect(*a, Type::I64)?;
                self.expect(*b, Type::I64)?;
                want_dst(Type::I64)
            }
            Inst::Cmp { a, b, .. } => {
                let ta = self.f.value_types[a.index()];
                self.expect(*b, ta)?;
                want_dst(Type::Bool)
            }
            Inst::Select { cond, a, b, .. } => {
                self.expect(*cond, Type::Bool)?;
                let ta = self.f.value_types[a.index()];
                self.expect(*b, ta)?;
                want_dst(ta)
            }
            Inst::Call { func, args, .. } => {
                let sig = self
                    .m
                    .signature(*func)
                    .ok_or_else(|| format!("calls unknown function #{}", func.0))?;
                self.check_args(
                    &Labelled("call ", self.m.func_name(*func)),
                    sig.params.iter().copied(),
                    args,
                )?;
                want_dst(sig.ret)
            }
            Inst::CallHost { host, args, .. } => {
                let h = self
                    .m
                    .host(*host)
                    .ok_or_else(|| format!("calls unknown host function #{}", host.0))?;
                self.check_args(
                    &Labelled("call_host ", &h.name),
                    h.sig.params.iter().copied(),
                    args,
                )?;
                want_dst(h.sig.ret)
            }
            Inst::Load { .. } | Inst::Store { .. } if !self.m.memory_access() => {
                Err("loads and stores need Module::allow_memory_access".into())
            }
            Inst::Load { addr, .. } => {
                self.expect(*addr, Type::I64)?;
                want_dst(Type::I64)
            }
            Inst::Store { addr, .. } => {
                self.expect(*addr, Type::I64)?;
                want_dst(Type::I64)
            }
        }
    }

    fn check_target(&self, t: &Target) -> Result<(), String> {
        let b = self
            .f
            .blocks
            .get(t.block.index())
            .ok_or_else(|| format!("jumps to missing {}", t.block))?;
        if t.block == Block::ENTRY {
            return Err("jumps to the entry block (it has no predecessors)".into());
        }
        let params = b.params.iter().map(|p| self.f.value_types[p.index()]);
        self.check_args(&t.block, params, &t.args)
    }

    fn check_term(&self, term: &Term, last: Option<&Inst>) -> Result<(), String> {
        match term {
            Term::Landing {
                call,
                landed,
                normal,
            } => {
                if !matches!(last, Some(Inst::Call { dst, .. }) if dst == call) {
                    return Err(format!(
                        "landing: {call} is not the result of a call of a function, the \
                         block's last instruction"
                    ));
                }
                self.check_target(landed)?;
                self.check_target(normal)
            }
            Term::Jump(t) => self.check_target(t),
            Term::Branch { cond, then, els } => {
                self.expect(*cond, Type::Bool)?;
                self.check_target(then)?;
                self.check_target(els)
            }
            Term::BranchCmp {
                a, b, then, els, ..
            } => {
                self.expect(*b, self.f.value_types[a.index()])?;
                self.check_target(then)?;
                self.check_target(els)
            }
            Term::Checked { a, b, ok, fail, .. } => {
                self.expect(*a, Type::I64)?;
                self.expect(*b, Type::I64)?;
                let okb = self
                    .f
                    .blocks
                    .get(ok.index())
                    .ok_or_else(|| format!("continues in missing {ok}"))?;
                if *ok == Block::ENTRY
                    || okb.params.len() != 1
                    || self.f.value_types[okb.params[0].index()] != Type::I64
                {
                    return Err(format!(
                        "the ok block {ok} must have exactly one i64 parameter"
                    ));
                }
                self.check_target(fail)
            }
            Term::Return(v) | Term::ReturnToLanding(v) => {
                if v.index() >= self.f.num_values() {
                    return Err("block has no terminator".into());
                }
                self.expect(*v, self.f.sig.ret)
                    .map_err(|e| format!("return: {e}"))
            }
        }
    }
}

/// "call NAME", formatted lazily.
struct Labelled<'a>(&'static str, &'a str);

impl core::fmt::Display for Labelled<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.0)?;
        f.write_str(self.1)
    }
}
