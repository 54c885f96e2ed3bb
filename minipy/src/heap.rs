//! The interpreter's objects: lists, tuples, strings made at run time, ranges and
//! iterators, named by handles ([`Value::List`] and its neighbours) into one [`Heap`].
//!
//! Values stay two plain words (a tag and a handle), so the interpreter's int paths do not
//! change; what a handle names lives here. The heap is collected by mark and sweep: a
//! freed handle goes to a free list and is reused, so live handles never move. A
//! collection runs where the interpreter knows every live value is in its roots (the
//! frames' slots, the globals, the saved arguments: at the start of an instruction's
//! general path), when as many objects were made since the last one as were live then.
//! (Big ints keep their own compacting heap, [`crate::bigint::BigHeap`]; its collector
//! visits the values held here through [`Heap::values_mut`].)

use crate::dict::Dict;
use crate::set::Set;
use crate::value::Value;
use alloc::string::String;
use alloc::vec::Vec;

/// The message of the error `Objects::next` returns for a generator that must run first
/// ([`Heap::pending`]); never seen by a program.
pub const PENDING: &str = "internal: a generator must run before its values are read";

/// What a handle names.
#[derive(Clone, Debug)]
pub enum Obj {
    /// A freed slot (on the free list).
    Free,
    List(Vec<Value>),
    /// A list whose items are all bools, a byte each: what `[False] * n` makes (a sieve's
    /// flags take 1 byte an item instead of 16). Read, written with bools, measured and
    /// iterated as it is; anything else — another kind stored, an item appended, a sort,
    /// a slice assigned — first turns it into an [`Obj::List`] for good
    /// ([`Heap::list_mut`]), as PyPy's list strategies do. Its handle is a
    /// [`Value::List`], like any list's.
    Bools(Flags),
    /// A list whose items are all ints of 64 bits, a machine int each: what `[0] * n`, a
    /// list display or comprehension of ints, or appending an int to an empty list makes
    /// (8 bytes an item instead of 16, and compiled code reads and writes them without
    /// tags). Like [`Obj::Bools`], anything else stored — a big int, a bool, another
    /// kind — or a change of shape other than appending turns it into an [`Obj::List`]
    /// for good.
    Ints(Ints),
    Tuple(Vec<Value>),
    Str(String),
    Range(Range),
    Iter(Iter),
    Dict(Dict),
    /// `d.keys()`, `d.values()`, `d.items()` of the dict value.
    View(Value, ViewKind),
    Set(Set),
    /// A nested function or lambda: its code object, the cells it reads (in the order of
    /// its `freevars`) and its defaults, evaluated when the `def` ran.
    Closure {
        code: u32,
        cells: Vec<Value>,
        defaults: Vec<Value>,
    },
    Cell(Value),
    /// `obj.name` as a value: the object (or the type, `str.lower`) and the method's
    /// name (an interned string).
    Method(Value, u32),
}

/// The items of a list kept packed ([`Obj::Bools`]: a byte each; [`Obj::Ints`]: a machine
/// int each), after three words that are always 0 where a list of values keeps its
/// vector: compiled code that reads one as a list of values finds no items (a length of
/// 0) and deoptimizes — so only reads of bools and ints need to ask which kind a list is
/// (`jitobj::Layout` checks the zeros are where it reads).
#[derive(Clone, Debug)]
#[repr(C)]
pub struct Packed<T> {
    no_values: [usize; 3],
    pub items: Vec<T>,
}

impl<T> Packed<T> {
    pub fn new(items: Vec<T>) -> Packed<T> {
        Packed {
            no_values: [0; 3],
            items,
        }
    }
}

/// A list of bools a byte each.
pub type Flags = Packed<bool>;

/// A list of ints that fit in 64 bits, one machine int each.
pub type Ints = Packed<i64>;

/// The items of a list or tuple, as [`Heap::items`] finds them: values, the bytes of a
/// list of bools ([`Obj::Bools`]) or the machine ints of a list of ints ([`Obj::Ints`]).
#[derive(Clone, Copy, Debug)]
pub enum Seq<'a> {
    Values(&'a [Value]),
    Bools(&'a [bool]),
    Ints(&'a [i64]),
}

impl<'a> Seq<'a> {
    pub fn len(self) -> usize {
        match self {
            Seq::Values(x) => x.len(),
            Seq::Bools(x) => x.len(),
            Seq::Ints(x) => x.len(),
        }
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// Item `i`, if there is one.
    pub fn get(self, i: usize) -> Option<Value> {
        match self {
            Seq::Values(x) => x.get(i).copied(),
            Seq::Bools(x) => x.get(i).map(|&b| Value::Bool(b)),
            Seq::Ints(x) => x.get(i).map(|&n| Value::Int(n)),
        }
    }

    /// Item `i` (which must be there).
    #[inline]
    pub fn at(self, i: usize) -> Value {
        match self {
            Seq::Values(x) => x[i],
            Seq::Bools(x) => Value::Bool(x[i]),
            Seq::Ints(x) => Value::Int(x[i]),
        }
    }

    pub fn first(self) -> Option<Value> {
        self.get(0)
    }

    /// The items in order (and backwards, and counted).
    pub fn iter(self) -> SeqIter<'a> {
        SeqIter {
            seq: self,
            front: 0,
            back: self.len(),
        }
    }

    pub fn to_vec(self) -> Vec<Value> {
        match self {
            Seq::Values(x) => x.to_vec(),
            Seq::Bools(x) => x.iter().map(|&b| Value::Bool(b)).collect(),
            Seq::Ints(x) => x.iter().map(|&n| Value::Int(n)).collect(),
        }
    }

    /// Items `from..to` (in range).
    pub fn slice(self, from: usize, to: usize) -> Seq<'a> {
        match self {
            Seq::Values(x) => Seq::Values(&x[from..to]),
            Seq::Bools(x) => Seq::Bools(&x[from..to]),
            Seq::Ints(x) => Seq::Ints(&x[from..to]),
        }
    }
}

impl<'a> IntoIterator for Seq<'a> {
    type Item = Value;
    type IntoIter = SeqIter<'a>;

    fn into_iter(self) -> SeqIter<'a> {
        self.iter()
    }
}

/// A [`Seq`]'s items in order.
#[derive(Clone, Debug)]
pub struct SeqIter<'a> {
    seq: Seq<'a>,
    front: usize,
    back: usize,
}

impl Iterator for SeqIter<'_> {
    type Item = Value;

    fn next(&mut self) -> Option<Value> {
        (self.front < self.back).then(|| {
            self.front += 1;
            self.seq.at(self.front - 1)
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }
}

impl DoubleEndedIterator for SeqIter<'_> {
    fn next_back(&mut self) -> Option<Value> {
        (self.front < self.back).then(|| {
            self.back -= 1;
            self.seq.at(self.back)
        })
    }
}

impl ExactSizeIterator for SeqIter<'_> {}

/// Which view of a dict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewKind {
    Keys,
    Values,
    Items,
}

impl ViewKind {
    pub fn type_name(self) -> &'static str {
        match self {
            ViewKind::Keys => "dict_keys",
            ViewKind::Values => "dict_values",
            ViewKind::Items => "dict_items",
        }
    }
}

/// `range(start, stop, step)` as a value (step never 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub start: i64,
    pub stop: i64,
    pub step: i64,
}

impl Range {
    /// How many values it has.
    pub fn len(&self) -> i64 {
        let (lo, hi, step) = (self.start as i128, self.stop as i128, self.step as i128);
        let n = if step > 0 {
            (hi - lo + step - 1) / step
        } else {
            (lo - hi - step - 1) / -step
        };
        // (A range past i64::MAX values would need a big length; clamped.)
        n.clamp(0, i64::MAX as i128) as i64
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Its `i`th value (`i` below [`Range::len`]).
    pub fn at(&self, i: i64) -> i64 {
        // (The value is in 64 bits, between start and stop; the product need not be.)
        self.start.wrapping_add(i.wrapping_mul(self.step))
    }
}

/// [`Iter::Dict`]'s position once it has run out: it stays done if the dict grows.
pub const DICT_ITER_DONE: usize = usize::MAX;

/// An iterator's state.
#[derive(Clone, Debug)]
pub enum Iter {
    /// Over a list, tuple, string or range: the next position (a byte offset in a string).
    Seq { seq: Value, pos: usize },
    /// `reversed(seq)`: how many items are left before the one to return next.
    Rev { seq: Value, left: usize },
    /// `enumerate(it, start)`.
    Enumerate { it: Value, n: i64 },
    /// `zip(its…)`.
    Zip(Vec<Value>),
    /// Over a set: the table position next looked at and the set's size when it began
    /// (a change is CPython's RuntimeError).
    Set { set: Value, pos: usize, used: usize },
    /// Over a dict or one of its views (`seq`), forwards or (`reversed()`) backwards, as
    /// CPython's `dictiter_iternext*`/`dictreviter_iternext`: the entry position next
    /// looked at (backwards: one past it; [`DICT_ITER_DONE`] once it has run out), the
    /// dict's size when it began (a change is a RuntimeError) and how many items it has
    /// left to give (forwards: one more is "keys changed during iteration").
    Dict {
        seq: Value,
        pos: usize,
        used: usize,
        left: usize,
        rev: bool,
    },
    /// `sys.stdin`: its lines ([`Heap::stdin`]).
    Stdin,
    /// A generator expression's generator.
    Gen(Gen),
}

/// A generator: the frame of a generator expression's code between its runs. The
/// interpreter runs it when something pulls a value ([`Pull`]); code in Rust that iterates
/// (a builtin, unpacking) cannot run bytecode, so the interpreter first runs the generator
/// to its end, keeping what it yields in `ahead`, and then hands those out.
#[derive(Clone, Debug)]
pub struct Gen {
    pub code: u32,
    /// Its locals and operand stack while it is not running.
    pub slots: Vec<Value>,
    /// The quickened instruction it goes on at.
    pub pc: u32,
    pub state: GenState,
    /// What the run in progress was asked for.
    pub pull: Pull,
    /// Values it yielded while run to its end, not yet handed out (from `taken` on).
    pub ahead: Vec<Value>,
    pub taken: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GenState {
    /// Made or suspended at a yield: resumable.
    Ready,
    Running,
    /// Returned (or run to its end into `ahead`).
    Done,
}

/// What resumed a generator, and so what its next yield or its return does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pull {
    /// `FOR_ITER`: a yield is the loop's next item; the return ends the loop.
    ForIter,
    /// `next(g)` / `next(g, default)`: a yield is the result; the return gives the default
    /// or raises StopIteration.
    Next(Option<Value>),
    /// `any(g)`: runs on until a true value (True), or to its return (False).
    Any,
    /// `all(g)`: runs on until a false value (False), or to its return (True).
    All,
    /// `sum(g)`, `sum(g, start)`: the total so far; the return gives it.
    Sum(Value),
    /// `max(g)` (`max` true) or `min(g)`: the first greatest (least) value so far.
    Extreme { max: bool, best: Option<Value> },
    /// `x in g` (`negate`: `x not in g`): runs on until a value equal to `x` (then it
    /// stays suspended after it, as CPython's), or to its return.
    Contains { x: Value, negate: bool },
    /// Until `ahead` holds this many values (then it stays suspended there) or to its end:
    /// unpacking `a, b = g` pulls one value more than its targets, as CPython's does.
    /// The instruction that needed the values then runs again.
    Upto(usize),
    /// To its end, keeping every value in `ahead`; the instruction that needed the values
    /// then runs again.
    Drain,
}

impl Gen {
    pub fn new(code: u32, slots: Vec<Value>) -> Gen {
        Gen {
            code,
            slots,
            pc: 0,
            state: GenState::Ready,
            pull: Pull::ForIter,
            ahead: Vec::new(),
            taken: 0,
        }
    }

    /// Every value it holds.
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        let default = match &self.pull {
            Pull::Next(Some(d))
            | Pull::Sum(d)
            | Pull::Extreme { best: Some(d), .. }
            | Pull::Contains { x: d, .. } => Some(d),
            _ => None,
        };
        self.slots.iter().chain(&self.ahead).chain(default)
    }

    fn values_mut(&mut self) -> impl Iterator<Item = &mut Value> {
        let default = match &mut self.pull {
            Pull::Next(Some(d))
            | Pull::Sum(d)
            | Pull::Extreme { best: Some(d), .. }
            | Pull::Contains { x: d, .. } => Some(d),
            _ => None,
        };
        self.slots
            .iter_mut()
            .chain(self.ahead.iter_mut())
            .chain(default)
    }
}

impl Iter {
    /// The name of its type, as CPython's `type(it).__name__`.
    pub fn type_name(&self, heap: &Heap) -> &'static str {
        match self {
            Iter::Stdin => "TextIOWrapper",
            Iter::Dict { seq, rev, .. } => {
                let kind = match handle(*seq).map(|h| heap.get(h)) {
                    Some(Obj::View(_, k)) => *k,
                    _ => ViewKind::Keys,
                };
                match (kind, rev) {
                    (ViewKind::Keys, false) => "dict_keyiterator",
                    (ViewKind::Values, false) => "dict_valueiterator",
                    (ViewKind::Items, false) => "dict_itemiterator",
                    (ViewKind::Keys, true) => "dict_reversekeyiterator",
                    (ViewKind::Values, true) => "dict_reversevalueiterator",
                    (ViewKind::Items, true) => "dict_reverseitemiterator",
                }
            }
            Iter::Seq { seq, .. } => match seq {
                Value::List(_) => "list_iterator",
                Value::Tuple(_) => "tuple_iterator",
                Value::Range(_) => "range_iterator",
                _ => {
                    if heap.str_is_ascii(*seq) {
                        "str_ascii_iterator"
                    } else {
                        "str_iterator"
                    }
                }
            },
            Iter::Rev { seq, .. } => match seq {
                Value::List(_) => "list_reverseiterator",
                Value::Range(_) => "range_iterator",
                _ => "reversed",
            },
            Iter::Enumerate { .. } => "enumerate",
            Iter::Zip(_) => "zip",
            Iter::Set { .. } => "set_iterator",
            Iter::Gen(_) => "generator",
        }
    }
}

/// The objects a program has made.
#[derive(Default)]
pub struct Heap {
    objs: Vec<Obj>,
    free: Vec<u32>,
    /// Objects made since the last collection, and how many were live after it.
    made: usize,
    live: usize,
    marks: Vec<bool>,
    /// Set by an equality test that nested past the recursion limit (see
    /// `Objects::eq`); the interpreter raises CPython's RecursionError.
    pub too_deep: core::cell::Cell<bool>,
    /// Set by `Objects::next` on a generator that must run before it has a value (with
    /// the error [`PENDING`]): the interpreter runs it to its end, then the instruction
    /// again.
    pub pending: core::cell::Cell<Option<u32>>,
    /// What has been read of stdin and not yet taken (`input()`, `sys.stdin`).
    pub stdin: StdinBuf,
}

/// Stdin as CPython's `sys.stdin` gives it on Linux: read as it is asked for (a line at a
/// time, so that a prompt and its answer alternate on a terminal), decoded as UTF-8, lines
/// ending at `\n` only and nothing translated (`newline="\n"`).
#[derive(Default)]
pub struct StdinBuf {
    data: Vec<u8>,
    taken: usize,
    eof: bool,
}

impl StdinBuf {
    /// Reads more of stdin into the buffer; false at its end.
    fn fill(&mut self) -> bool {
        if self.eof {
            return false;
        }
        if self.taken > 0 {
            self.data.drain(..self.taken);
            self.taken = 0;
        }
        let at = self.data.len();
        self.data.resize(at + 4096, 0);
        let n = rt::io::stdin().read(&mut self.data[at..]).unwrap_or(0);
        self.data.truncate(at + n);
        self.eof = n == 0;
        n > 0
    }

    /// The next line with its `\n` (the last may have none); None at the end.
    pub fn line(&mut self) -> Option<String> {
        self.take_upto(usize::MAX, true)
    }

    /// Up to `limit` characters (all that is left: `usize::MAX`), stopping after a newline
    /// if `line`; None when nothing is left.
    pub fn take_upto(&mut self, limit: usize, line: bool) -> Option<String> {
        let mut out = String::new();
        let mut chars = 0;
        while chars < limit {
            if self.taken == self.data.len() && !self.fill() {
                break;
            }
            let (valid, cut) = match core::str::from_utf8(&self.data[self.taken..]) {
                Ok(t) => (t.len(), false),
                Err(e) => (e.valid_up_to(), e.error_len().is_none()),
            };
            if valid == 0 {
                // A character cut at the buffer's end: read the rest of it first.
                if cut && self.fill() {
                    continue;
                }
                // Not UTF-8: U+FFFD (where CPython raises UnicodeDecodeError).
                out.push('\u{fffd}');
                self.taken += 1;
                chars += 1;
                continue;
            }
            let text = core::str::from_utf8(&self.data[self.taken..self.taken + valid])
                .unwrap_or_default();
            let mut used = 0;
            let mut ended = false;
            for c in text.chars() {
                if chars == limit {
                    break;
                }
                used += c.len_utf8();
                out.push(c);
                chars += 1;
                if line && c == '\n' {
                    ended = true;
                    break;
                }
            }
            self.taken += used;
            if ended {
                break;
            }
        }
        (!out.is_empty()).then_some(out)
    }
}

/// A handle a value holds, if it names an object here.
pub fn handle(v: Value) -> Option<u32> {
    match v {
        Value::List(h)
        | Value::Tuple(h)
        | Value::Text(h)
        | Value::Range(h)
        | Value::Iter(h)
        | Value::Dict(h)
        | Value::View(h)
        | Value::Set(h)
        | Value::Closure(h)
        | Value::Cell(h)
        | Value::Method(h) => Some(h),
        _ => None,
    }
}

/// Collect once this many objects were made, at least.
const FIRST_COLLECTION: usize = 1 << 14;

impl Heap {
    /// The table of objects (for [`crate::jitobj`]'s layout probe).
    pub(crate) fn table(&self) -> &Vec<Obj> {
        &self.objs
    }

    /// Stores `o`; its handle.
    #[inline]
    pub fn alloc(&mut self, o: Obj) -> u32 {
        self.made += 1;
        match self.free.pop() {
            Some(h) => {
                self.objs[h as usize] = o;
                h
            }
            None => {
                self.objs.push(o);
                (self.objs.len() - 1) as u32
            }
        }
    }

    pub fn get(&self, h: u32) -> &Obj {
        &self.objs[h as usize]
    }

    pub fn get_mut(&mut self, h: u32) -> &mut Obj {
        &mut self.objs[h as usize]
    }

    /// Item `i` of list or tuple `h`, when it has one there (the interpreter's fast path).
    #[inline(always)]
    pub fn item(&self, h: u32, i: i64) -> Option<Value> {
        match self.objs.get(h as usize) {
            Some(Obj::List(x) | Obj::Tuple(x)) => x.get(usize::try_from(i).ok()?).copied(),
            Some(Obj::Ints(x)) => x
                .items
                .get(usize::try_from(i).ok()?)
                .map(|&n| Value::Int(n)),
            Some(Obj::Bools(x)) => x
                .items
                .get(usize::try_from(i).ok()?)
                .map(|&b| Value::Bool(b)),
            _ => None,
        }
    }

    /// Sets item `i` of list `h` to `v`, when it has one there.
    #[inline(always)]
    pub fn set_item(&mut self, h: u32, i: i64, v: Value) -> bool {
        match self.objs.get_mut(h as usize) {
            Some(Obj::List(x)) => match usize::try_from(i).ok().and_then(|i| x.get_mut(i)) {
                Some(slot) => {
                    *slot = v;
                    true
                }
                None => false,
            },
            Some(Obj::Ints(x)) => {
                match (usize::try_from(i).ok().and_then(|i| x.items.get_mut(i)), v) {
                    (Some(slot), Value::Int(n)) => {
                        *slot = n;
                        true
                    }
                    (None, _) => false,
                    (Some(_), _) => self.list_mut(Value::List(h)).is_some_and(|x| {
                        x[i as usize] = v;
                        true
                    }),
                }
            }
            Some(Obj::Bools(x)) => {
                match (usize::try_from(i).ok().and_then(|i| x.items.get_mut(i)), v) {
                    (Some(slot), Value::Bool(b)) => {
                        *slot = b;
                        true
                    }
                    (None, _) => false,
                    (Some(_), _) => self.list_mut(Value::List(h)).is_some_and(|x| {
                        x[i as usize] = v;
                        true
                    }),
                }
            }
            _ => false,
        }
    }

    /// The next item of iterator `h` when it iterates a list, tuple or range: Some(None)
    /// when it is done, None when it iterates something else.
    #[inline(always)]
    pub fn next_item(&mut self, h: u32) -> Option<Option<Value>> {
        let Some(Obj::Iter(Iter::Seq { seq, pos })) = self.objs.get(h as usize) else {
            return None;
        };
        let (seq, at) = (*seq, *pos);
        let item = match (seq, self.objs.get(handle(seq)? as usize)) {
            (Value::List(_), Some(Obj::List(x))) | (Value::Tuple(_), Some(Obj::Tuple(x))) => {
                x.get(at).copied()
            }
            (Value::List(_), Some(Obj::Ints(x))) => x.items.get(at).map(|&n| Value::Int(n)),
            (Value::List(_), Some(Obj::Bools(x))) => x.items.get(at).map(|&b| Value::Bool(b)),
            // (A comprehension's or generator's `.0` over a range: its `at`th value, if
            // it is still before the stop — in 128 bits, where nothing here overflows.)
            (Value::Range(_), Some(Obj::Range(r))) => {
                let v = r.start as i128 + at as i128 * r.step as i128;
                let before = if r.step > 0 {
                    v < r.stop as i128
                } else {
                    v > r.stop as i128
                };
                before.then_some(Value::Int(v as i64))
            }
            _ => return None,
        };
        if let Some(Obj::Iter(Iter::Seq { pos, .. })) = self.objs.get_mut(h as usize) {
            *pos = at + 1;
        }
        Some(item)
    }

    /// The list iterator `h` goes over and the position of the item it gives next.
    pub fn list_iter_at(&self, h: u32) -> Option<(u32, usize)> {
        match self.objs.get(h as usize) {
            Some(Obj::Iter(Iter::Seq {
                seq: Value::List(l),
                pos,
            })) => Some((*l, *pos)),
            _ => None,
        }
    }

    /// Whether compiled code reading list `l`'s items in place as `e` finds them (as
    /// GET_ITER checks): bytes read as bools, machine ints as ints, values as anything.
    pub fn reads_as(&self, l: u32, e: crate::analysis::Elem) -> bool {
        use crate::analysis::abi::{WANT_BOOL, WANT_INT};
        match self.items(Value::List(l)) {
            Some(Seq::Bools(_)) => e.want() == WANT_BOOL,
            Some(Seq::Ints(_)) => e.want() == WANT_INT,
            Some(Seq::Values(_)) => true,
            None => false,
        }
    }

    /// What compiled code keeps for `enumerate(xs)` or `zip(xs, ys)` iterator `h` over
    /// lists (`analysis::pair_loop`): the first list, the position of its next item, and
    /// the count's start (Ok) or the second list (at the same position; Err).
    pub fn pair_iter_at(&self, h: u32) -> Option<(u32, usize, Result<i64, u32>)> {
        match self.objs.get(h as usize)? {
            Obj::Iter(Iter::Enumerate {
                it: Value::Iter(inner),
                n,
            }) => {
                let (l, pos) = self.list_iter_at(*inner)?;
                Some((l, pos, Ok(n.checked_sub(i64::try_from(pos).ok()?)?)))
            }
            Obj::Iter(Iter::Zip(its)) => match its.as_slice() {
                [Value::Iter(a), Value::Iter(b)] => {
                    let ((l1, p1), (l2, p2)) = (self.list_iter_at(*a)?, self.list_iter_at(*b)?);
                    (p1 == p2).then_some((l1, p1, Err(l2)))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// Iterator `h` (a [`Iter::Seq`]) gives its last item again next time: compiled
    /// code took one it cannot use, and the interpreter takes over before it.
    pub fn step_back(&mut self, h: u32) {
        if let Some(Obj::Iter(Iter::Seq { pos, .. })) = self.objs.get_mut(h as usize) {
            *pos = pos.saturating_sub(1);
        }
    }

    /// A copy of iterator `h` if it iterates a range (`Iter::Seq` over a `Value::Range`: a
    /// comprehension's `.0`), which compiled code may advance while `h` stays as it is.
    pub fn copy_range_iter(&mut self, h: u32) -> Option<u32> {
        let Some(Obj::Iter(
            it @ Iter::Seq {
                seq: Value::Range(_),
                ..
            },
        )) = self.objs.get(h as usize)
        else {
            return None;
        };
        let it = it.clone();
        Some(self.alloc(Obj::Iter(it)))
    }

    /// Iterator `h` (a range's) goes on where its copy `from` ([`Heap::copy_range_iter`])
    /// stopped.
    pub fn catch_up_iter(&mut self, h: u32, from: u32) {
        let at = match self.objs.get(from as usize) {
            Some(Obj::Iter(Iter::Seq { pos, .. })) => *pos,
            _ => return,
        };
        if let Some(Obj::Iter(Iter::Seq { pos, .. })) = self.objs.get_mut(h as usize) {
            *pos = at;
        }
    }

    /// How many items range iterator `h` has left.
    pub fn len_left(&self, h: u32) -> Option<usize> {
        let Some(Obj::Iter(Iter::Seq {
            seq: Value::Range(r),
            pos,
        })) = self.objs.get(h as usize)
        else {
            return None;
        };
        let Some(Obj::Range(r)) = self.objs.get(*r as usize) else {
            return None;
        };
        Some((r.len().max(0) as usize).saturating_sub(*pos))
    }

    /// Iterator `h` (a [`Iter::Seq`] over a list) has given every item, as the
    /// interpreter's loop over it leaves it: one past its end, where the last look found
    /// nothing.
    pub fn exhaust(&mut self, h: u32) {
        let Some(Obj::Iter(Iter::Seq { seq, .. })) = self.objs.get(h as usize) else {
            return;
        };
        let end = self.items(*seq).map_or(0, |x| x.len()) + 1;
        if let Some(Obj::Iter(Iter::Seq { pos, .. })) = self.objs.get_mut(h as usize) {
            *pos = end;
        }
    }

    /// Whether `h` is an iterator over a range.
    pub fn is_range_iter(&self, h: u32) -> bool {
        matches!(
            self.objs.get(h as usize),
            Some(Obj::Iter(Iter::Seq {
                seq: Value::Range(_),
                ..
            }))
        )
    }

    /// The generator `v` is, if it is one that must run for its next value (not done,
    /// nothing run ahead).
    pub fn resumable(&self, v: Value) -> Option<u32> {
        let Value::Iter(h) = v else { return None };
        match self.objs.get(h as usize) {
            Some(Obj::Iter(Iter::Gen(g))) if g.state != GenState::Done => Some(h),
            _ => None,
        }
    }

    /// The error that tells the interpreter generator `h` must run before the
    /// instruction that returns it can go on ([`Heap::pending`]).
    pub fn must_run(&self, h: u32) -> crate::error::Exception {
        self.pending.set(Some(h));
        crate::error::Exception::new(crate::error::ExcKind::RuntimeError, PENDING)
    }

    #[inline]
    pub fn gen_mut(&mut self, h: u32) -> &mut Gen {
        match &mut self.objs[h as usize] {
            Obj::Iter(Iter::Gen(g)) => g,
            _ => unreachable!("a generator handle names a generator"),
        }
    }

    /// The items of a list or tuple value.
    #[inline]
    pub fn items(&self, v: Value) -> Option<Seq<'_>> {
        match (v, handle(v).map(|h| self.get(h))) {
            (Value::List(_), Some(Obj::List(x))) | (Value::Tuple(_), Some(Obj::Tuple(x))) => {
                Some(Seq::Values(x))
            }
            (Value::List(_), Some(Obj::Ints(x))) => Some(Seq::Ints(&x.items)),
            (Value::List(_), Some(Obj::Bools(x))) => Some(Seq::Bools(&x.items)),
            _ => None,
        }
    }

    /// The list a list value names, as values (a packed list becomes one of values here,
    /// for good).
    #[inline]
    pub fn list_mut(&mut self, v: Value) -> Option<&mut Vec<Value>> {
        let Value::List(h) = v else { return None };
        if let Obj::Bools(_) | Obj::Ints(_) = self.get(h) {
            self.unpack(h);
        }
        match self.get_mut(h) {
            Obj::List(x) => Some(x),
            _ => None,
        }
    }

    /// The machine ints of list `v`, when it keeps them so ([`Obj::Ints`]): what list
    /// methods that keep a list of ints one (pop, reverse, sort, insert…) work on.
    #[inline]
    pub fn ints_mut(&mut self, v: Value) -> Option<&mut Vec<i64>> {
        let Value::List(h) = v else { return None };
        match self.get_mut(h) {
            Obj::Ints(x) => Some(&mut x.items),
            _ => None,
        }
    }

    /// Appends `items` to list `list` (ints to a list of ints, or to an empty list, keep
    /// it or make it one).
    pub fn extend(&mut self, list: Value, items: Vec<Value>) {
        let ints = || {
            items.iter().all(|v| matches!(v, Value::Int(_))).then(|| {
                items.iter().map(|v| match v {
                    Value::Int(n) => *n,
                    _ => 0,
                })
            })
        };
        let Value::List(h) = list else { return };
        match self.get_mut(h) {
            Obj::Ints(x) => {
                if let Some(more) = ints() {
                    return x.items.extend(more);
                }
            }
            o @ Obj::List(_)
                if !items.is_empty() && matches!(&*o, Obj::List(v) if v.is_empty()) =>
            {
                if let Some(more) = ints() {
                    *o = Obj::Ints(Ints::new(more.collect()));
                    return;
                }
            }
            _ => {}
        }
        if let Some(l) = self.list_mut(list) {
            l.extend(items);
        }
    }

    /// Turns packed list `h` into a list of values.
    #[cold]
    fn unpack(&mut self, h: u32) {
        let items = match self.get(h) {
            Obj::Bools(x) => x.items.iter().map(|&b| Value::Bool(b)).collect(),
            Obj::Ints(x) => x.items.iter().map(|&n| Value::Int(n)).collect(),
            _ => return,
        };
        self.objs[h as usize] = Obj::List(items);
    }

    /// A new list of `items`: packed when they are all ints (or, from
    /// [`Heap::repeat_list`], all bools).
    pub fn new_list(&mut self, items: Vec<Value>) -> u32 {
        self.alloc(packed(items))
    }

    /// Appends `x` to list `list` (a bool to a list of bools stays a byte, an int to a
    /// list of ints a machine int; an int to an empty list makes it a list of ints).
    #[inline]
    pub fn push(&mut self, list: Value, x: Value) {
        let Value::List(h) = list else { return };
        match (self.get_mut(h), x) {
            (Obj::Ints(l), Value::Int(n)) => return l.items.push(n),
            (Obj::Bools(l), Value::Bool(b)) => return l.items.push(b),
            (o, Value::Int(n)) if matches!(&*o, Obj::List(v) if v.is_empty()) => {
                *o = Obj::Ints(Ints::new(alloc::vec![n]));
                return;
            }
            _ => {}
        }
        if let Some(l) = self.list_mut(list) {
            l.push(x);
        }
    }

    /// The items of a tuple value.
    pub fn tuple_items(&self, v: Value) -> Option<&[Value]> {
        match (v, handle(v).map(|h| self.get(h))) {
            (Value::Tuple(_), Some(Obj::Tuple(x))) => Some(x),
            _ => None,
        }
    }

    /// `x * n` of list value `x` (its size checked by the caller): a new list, packed when
    /// its items are all bools or all ints.
    pub fn repeat_list(&mut self, x: Value, n: usize) -> Option<u32> {
        let o = match self.items(x).filter(|_| matches!(x, Value::List(_)))? {
            Seq::Bools(b) => Obj::Bools(Flags::new(b.repeat(n))),
            Seq::Ints(v) => Obj::Ints(Ints::new(v.repeat(n))),
            Seq::Values(v) if !v.is_empty() && v.iter().all(|x| matches!(x, Value::Bool(_))) => {
                let b: Vec<bool> = v.iter().map(|&x| x == Value::Bool(true)).collect();
                Obj::Bools(Flags::new(b.repeat(n)))
            }
            Seq::Values(v) => packed(v.repeat(n)),
        };
        Some(self.alloc(o))
    }

    /// The text of a string made at run time.
    #[inline]
    pub fn text(&self, v: Value) -> Option<&str> {
        match (v, handle(v).map(|h| self.get(h))) {
            (Value::Text(_), Some(Obj::Str(s))) => Some(s),
            _ => None,
        }
    }

    fn str_is_ascii(&self, v: Value) -> bool {
        self.text(v).is_none_or(str::is_ascii)
    }

    /// The range a range value names.
    pub fn range(&self, v: Value) -> Option<Range> {
        match (v, handle(v).map(|h| self.get(h))) {
            (Value::Range(_), Some(Obj::Range(r))) => Some(*r),
            _ => None,
        }
    }

    /// Whether enough was made since the last collection that the next allocation should
    /// collect first.
    pub fn full(&self) -> bool {
        self.made >= self.live.max(FIRST_COLLECTION)
    }

    /// How many objects are live (as of the last collection, plus those made since).
    pub fn count(&self) -> usize {
        self.objs.len() - self.free.len()
    }

    /// Frees every object no value of `roots` reaches.
    pub fn collect(&mut self, roots: impl Iterator<Item = Value>) {
        self.marks.clear();
        self.marks.resize(self.objs.len(), false);
        let mut work: Vec<u32> = roots.filter_map(handle).collect();
        while let Some(h) = work.pop() {
            let m = &mut self.marks[h as usize];
            if *m {
                continue;
            }
            *m = true;
            let inner = |v: &Value| handle(*v);
            match &self.objs[h as usize] {
                Obj::List(x) | Obj::Tuple(x) => work.extend(x.iter().filter_map(inner)),
                Obj::Iter(
                    Iter::Seq { seq, .. } | Iter::Rev { seq, .. } | Iter::Dict { seq, .. },
                ) => work.extend(handle(*seq)),
                Obj::Iter(Iter::Enumerate { it, .. }) => work.extend(handle(*it)),
                Obj::Iter(Iter::Zip(its)) => work.extend(its.iter().filter_map(inner)),
                Obj::Iter(Iter::Gen(g)) => work.extend(g.values().filter_map(inner)),
                Obj::Iter(Iter::Stdin) => {}
                Obj::Dict(d) => {
                    for e in d.iter() {
                        work.extend(handle(e.key));
                        work.extend(handle(e.value));
                    }
                }
                Obj::View(d, _)
                | Obj::Iter(Iter::Set { set: d, .. })
                | Obj::Cell(d)
                | Obj::Method(d, _) => work.extend(handle(*d)),
                Obj::Set(s) => work.extend(s.iter().filter_map(|(_, k)| handle(k))),
                Obj::Closure {
                    cells, defaults, ..
                } => work.extend(cells.iter().chain(defaults).filter_map(inner)),
                Obj::Free | Obj::Str(_) | Obj::Range(_) | Obj::Bools(_) | Obj::Ints(_) => {}
            }
        }
        self.free.clear();
        for (h, o) in self.objs.iter_mut().enumerate() {
            if !self.marks[h] {
                *o = Obj::Free;
                self.free.push(h as u32);
            }
        }
        // Reuse low handles first.
        self.free.reverse();
        self.made = 0;
        self.live = self.objs.len() - self.free.len();
    }

    /// Every value an object holds (for the big-int heap's collector, which rewrites
    /// its handles).
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Value> {
        self.objs
            .iter_mut()
            .flat_map(|o| -> alloc::boxed::Box<dyn Iterator<Item = &mut Value>> {
                match o {
                    Obj::List(x) | Obj::Tuple(x) | Obj::Iter(Iter::Zip(x)) => {
                        alloc::boxed::Box::new(x.iter_mut())
                    }
                    Obj::Iter(
                        Iter::Seq { seq: v, .. }
                        | Iter::Rev { seq: v, .. }
                        | Iter::Dict { seq: v, .. },
                    )
                    | Obj::Iter(Iter::Enumerate { it: v, .. })
                    | Obj::Iter(Iter::Set { set: v, .. })
                    | Obj::Cell(v)
                    | Obj::Method(v, _)
                    | Obj::View(v, _) => alloc::boxed::Box::new(core::iter::once(v)),
                    Obj::Set(s) => alloc::boxed::Box::new(s.keys_mut()),
                    Obj::Iter(Iter::Gen(g)) => alloc::boxed::Box::new(g.values_mut()),
                    Obj::Closure {
                        cells, defaults, ..
                    } => alloc::boxed::Box::new(cells.iter_mut().chain(defaults.iter_mut())),
                    Obj::Dict(d) => alloc::boxed::Box::new(
                        d.entries
                            .iter_mut()
                            .flatten()
                            .flat_map(|e| [&mut e.key, &mut e.value]),
                    ),
                    Obj::Free
                    | Obj::Str(_)
                    | Obj::Range(_)
                    | Obj::Bools(_)
                    | Obj::Ints(_)
                    | Obj::Iter(Iter::Stdin) => alloc::boxed::Box::new(core::iter::empty()),
                }
            })
    }
}

/// A list of `items`: a list of ints when there are some and they are all ints of 64
/// bits, else a list of values.
fn packed(items: Vec<Value>) -> Obj {
    if !items.is_empty() && items.iter().all(|v| matches!(v, Value::Int(_))) {
        let ints = items
            .iter()
            .map(|v| match v {
                Value::Int(n) => *n,
                _ => 0,
            })
            .collect();
        return Obj::Ints(Ints::new(ints));
    }
    Obj::List(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreachable_objects_are_freed_and_their_handles_reused() {
        let mut heap = Heap::default();
        let inner = heap.alloc(Obj::Str("x".into()));
        let outer = heap.alloc(Obj::List(alloc::vec![Value::Text(inner)]));
        let lost = heap.alloc(Obj::Tuple(alloc::vec![Value::Int(1)]));
        heap.collect([Value::List(outer)].into_iter());
        assert!(matches!(heap.get(inner), Obj::Str(_)));
        assert!(matches!(heap.get(lost), Obj::Free));
        assert_eq!(heap.count(), 2);
        assert_eq!(heap.alloc(Obj::List(Vec::new())), lost);
        heap.collect(core::iter::empty());
        assert_eq!(heap.count(), 0);
    }

    #[test]
    fn lists_of_ints_stay_packed_until_something_else_is_stored() {
        let mut heap = Heap::default();
        let is_ints = |heap: &Heap, h: u32| matches!(heap.get(h), Obj::Ints(_));
        let a = heap.new_list(alloc::vec![Value::Int(1), Value::Int(-2)]);
        assert!(is_ints(&heap, a));
        let l = Value::List(a);
        heap.push(l, Value::Int(3));
        heap.extend(l, alloc::vec![Value::Int(4)]);
        assert!(heap.set_item(a, 0, Value::Int(9)));
        assert!(is_ints(&heap, a));
        let r = heap.repeat_list(l, 2).unwrap();
        assert!(is_ints(&heap, r));
        assert_eq!(heap.items(Value::List(r)).unwrap().len(), 8);
        // An empty list becomes one of ints with its first int, by append or extend.
        let e = heap.new_list(Vec::new());
        assert!(matches!(heap.get(e), Obj::List(_)));
        heap.push(Value::List(e), Value::Int(5));
        assert!(is_ints(&heap, e));
        let e2 = heap.new_list(Vec::new());
        heap.extend(Value::List(e2), alloc::vec![Value::Int(6), Value::Int(7)]);
        assert!(is_ints(&heap, e2));
        // Anything else unpacks it, for good, with the same items.
        assert!(heap.set_item(a, 1, Value::Bool(true)));
        assert!(matches!(heap.get(a), Obj::List(_)));
        let items: Vec<Value> = heap.items(l).unwrap().iter().collect();
        assert_eq!(
            items,
            [
                Value::Int(9),
                Value::Bool(true),
                Value::Int(3),
                Value::Int(4)
            ]
        );
        heap.push(Value::List(e), Value::None);
        assert!(matches!(heap.get(e), Obj::List(_)));
        let mixed = heap.new_list(alloc::vec![Value::Int(1), Value::Bool(false)]);
        assert!(matches!(heap.get(mixed), Obj::List(_)));
    }

    #[test]
    fn range_lengths_follow_python() {
        let r = |start, stop, step| Range { start, stop, step }.len();
        assert_eq!(r(0, 10, 1), 10);
        assert_eq!(r(0, 10, 3), 4);
        assert_eq!(r(10, 0, -3), 4);
        assert_eq!(r(0, 10, -1), 0);
        assert_eq!(r(i64::MIN, i64::MAX, 1), i64::MAX);
    }
}
