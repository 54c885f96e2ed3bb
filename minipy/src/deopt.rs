//! Deoptimization that resumes: compiled code that cannot run a call again from its start
//! hands the interpreter the frames where it stopped.
//!
//! Compiled code normally gives up by returning [`DEOPT`], and the interpreter runs the
//! call again from its start — right for a call that changed nothing the interpreter can
//! see. A function that writes into or appends to a list it did not make
//! ([`crate::analysis::Analysis::writes_shared`]), or calls one that does, cannot be run
//! again: its compiled code instead writes its frame — the instruction and the values of
//! the locals and the operand stack there, as the interpreter would have them — to a
//! buffer the [`crate::jitobj::Ctx`] points to, then returns `DEOPT`. Each compiled caller
//! of such a function that gets `DEOPT` back writes its own frame too, stopped at the call
//! (the callee's result still to come), so the buffer holds the call stack, innermost frame
//! first; the interpreter rebuilds those frames and goes on in the innermost.
//!
//! A frame is one word naming its [`Site`] (what the words mean), then the words.
//! The lowering writes them (`lower`'s exits); this module reads them back.

use crate::heap::{Heap, Iter, Obj};
use crate::value::Value;
use alloc::vec::Vec;

/// Where in [`crate::jitobj::Ctx`] compiled code finds the buffer, and how many words of
/// it are written.
pub const CTX_BUF: i32 = 8;
pub const CTX_LEN: i32 = 16;

/// What one slot of a frame holds, and so how many words it takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Unset, or dead there (never read before it is written again): no word.
    Unbound,
    Int,
    /// 0 or 1.
    Bool,
    /// A handle.
    List,
    /// An iterator over a list kept in place: the list's handle, then the position of the
    /// next item (the interpreter gets an iterator object).
    ListIter,
    Range,
    /// An iterator object's handle.
    Iter,
    /// The function in a call's callee slot (no word: the code id is here).
    Func(u32),
    None,
    /// The value the interpreter's own frame holds (no word): a local of a loop entered
    /// from its head that compiled code never took nor stored ([`crate::analysis::Ty::Kept`]).
    Kept,
}

impl Kind {
    pub fn words(self) -> usize {
        match self {
            Kind::Unbound | Kind::Func(_) | Kind::None | Kind::Kept => 0,
            Kind::ListIter => 2,
            _ => 1,
        }
    }
}

/// A place compiled code may stop at: the code object and instruction, and what each slot
/// of the frame holds (the locals, then the operand stack, bottom first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    pub code: u32,
    pub pc: u32,
    /// Stopped at the call at `pc`, after it: the callee's frame is the next one in, and
    /// the stack here is the one below the callee (which its result replaces).
    pub after_call: bool,
    pub slots: Vec<Kind>,
    /// Stopped where the analysis placed a stop ([`crate::analysis::Analysis::stops`]):
    /// not a failure, so not counted as a deoptimization.
    pub planned: bool,
}

impl Site {
    /// Words of a frame at this site, its site word included.
    pub fn words(&self) -> usize {
        1 + self.slots.iter().map(|k| k.words()).sum::<usize>()
    }
}

/// A frame handed back: where it stopped (its [`Site`]'s code, instruction and whether at
/// a call), and the interpreter's values of its slots.
pub struct Stopped {
    pub code: u32,
    pub pc: u32,
    pub after_call: bool,
    pub values: Vec<Value>,
    /// The slots whose values the interpreter's frame keeps ([`Kind::Kept`]: only the
    /// outermost frame's, the one a loop entry left).
    pub kept: Vec<usize>,
}

/// The frames in `buf` (as compiled code wrote them, innermost first), outermost first,
/// with their values made for the interpreter (iterators over lists kept in place become
/// iterator objects on `heap`). None when the words do not read as frames of `sites`.
pub fn frames(buf: &[i64], sites: &[Site], heap: &mut Heap) -> Option<Vec<Stopped>> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < buf.len() {
        let id = u32::try_from(buf[at]).ok()?;
        let site = sites.get(id as usize)?;
        let words = buf.get(at + 1..at + site.words())?;
        let mut w = words.iter().copied();
        let mut values = Vec::with_capacity(site.slots.len());
        let mut kept = Vec::new();
        for (i, &k) in site.slots.iter().enumerate() {
            let mut next = || w.next();
            values.push(match k {
                Kind::Kept => {
                    kept.push(i);
                    Value::Unbound
                }
                Kind::Unbound => Value::Unbound,
                Kind::Func(f) => Value::Func(f),
                Kind::None => Value::None,
                Kind::Int => Value::Int(next()?),
                Kind::Bool => Value::Bool(next()? != 0),
                Kind::List => Value::List(u32::try_from(next()?).ok()?),
                Kind::Range => Value::Range(u32::try_from(next()?).ok()?),
                Kind::Iter => Value::Iter(u32::try_from(next()?).ok()?),
                Kind::ListIter => {
                    let h = u32::try_from(next()?).ok()?;
                    let pos = usize::try_from(next()?).ok()?;
                    let seq = Value::List(h);
                    Value::Iter(heap.alloc(Obj::Iter(Iter::Seq { seq, pos })))
                }
            });
        }
        out.push(Stopped {
            code: site.code,
            pc: site.pc,
            after_call: site.after_call,
            values,
            kept,
        });
        at += site.words();
    }
    out.reverse();
    // Every frame but the innermost stopped at a call; only the outermost keeps values.
    let n = out.len();
    let calls_ok = out
        .iter()
        .enumerate()
        .all(|(i, s)| s.after_call == (i + 1 < n) && (i == 0 || s.kept.is_empty()));
    calls_ok.then_some(out)
}
