//! Run-time values and Python's rules for them.

use crate::ast::{BinOp, CmpOp};
use crate::bytecode::{Builtin, Program};
use crate::error::{ExcKind, Exception};
use alloc::format;
use alloc::string::String;
use core::fmt::Write;

/// The name of the type a builtin type value is (`str` for `str`).
pub fn type_value_name(v: Value) -> &'static str {
    match v {
        Value::Builtin(b) => Builtin::ALL[b as usize].name(),
        _ => v.type_name(),
    }
}

/// A minipy value. Strings exist only as print arguments (an index into the code's
/// constants); functions are code-object indices.
/// `repr(u64)`: an 8-byte tag and an 8-byte payload, so a value moves as two plain words
/// (the default layout put the payload at an odd offset, and copies stalled on partial
/// store forwarding in the interpreter loop).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum Value {
    Int(i64),
    Bool(bool),
    None,
    /// An interned string: index into the program's strings (0 is "").
    Str(u32),
    Func(u32),
    /// A builtin function reached through a global name the program never bound.
    Builtin(u8),
    /// An unassigned local or global.
    Unbound,
    /// An int past 64 bits: a handle into the interpreter's [`crate::bigint::BigHeap`]
    /// (never one that fits in an i64). After the kinds compiled code knows, so that they
    /// keep their tags.
    Big(u32),
    /// Objects on the interpreter's [`crate::heap::Heap`], by handle.
    List(u32),
    Tuple(u32),
    /// A string made at run time (a literal is a [`Value::Str`]).
    Text(u32),
    Range(u32),
    Iter(u32),
    Dict(u32),
    /// A view of a dict (keys, values or items).
    View(u32),
    Set(u32),
    /// A function made by a nested `def` or a `lambda`: its code, the cells of the
    /// enclosing variables it reads and its default values ([`crate::heap::Obj::Closure`]).
    Closure(u32),
    /// A variable shared by a function and the functions nested in it: a local slot holds
    /// the cell, the cell holds the value ([`crate::heap::Obj::Cell`]).
    Cell(u32),
    /// A method as a value ([`crate::heap::Obj::Method`]).
    Method(u32),
    /// A type other than the builtin types minipy names ([`Value::Builtin`]): what
    /// `type(None)` returns — an index into [`TYPE_NAMES`].
    Type(u32),
}

/// The types `type()` can return besides the builtin types (`int`, `str`, …).
pub const TYPE_NAMES: [&str; 25] = [
    "NoneType",
    "function",
    "builtin_function_or_method",
    "method_descriptor",
    "type",
    "list_iterator",
    "tuple_iterator",
    "range_iterator",
    "str_ascii_iterator",
    "str_iterator",
    "dict_keyiterator",
    "dict_valueiterator",
    "dict_itemiterator",
    "dict_reversekeyiterator",
    "dict_reversevalueiterator",
    "dict_reverseitemiterator",
    "set_iterator",
    "list_reverseiterator",
    "dict_keys",
    "dict_values",
    "dict_items",
    "generator",
    "map",
    "filter",
    "object",
];

impl Value {
    pub fn type_name(self) -> &'static str {
        match self {
            Value::Int(_) => "int",
            Value::Bool(_) => "bool",
            Value::None => "NoneType",
            Value::Str(..) => "str",
            Value::Func(_) => "function",
            Value::Builtin(b) if Builtin::ALL[b as usize].is_type() => "type",
            Value::Builtin(_) => "builtin_function_or_method",
            Value::Unbound => "<unbound>",
            Value::Big(_) => "int",
            Value::List(_) => "list",
            Value::Tuple(_) => "tuple",
            Value::Text(_) => "str",
            Value::Range(_) => "range",
            Value::Dict(_) => "dict",
            // The precise name needs the heap: `Objects::type_name`.
            Value::Iter(_) => "iterator",
            Value::View(_) => "dict_keys",
            Value::Set(_) => "set",
            Value::Closure(_) => "function",
            Value::Cell(_) => "cell",
            Value::Method(_) => "builtin_function_or_method",
            Value::Type(_) => "type",
        }
    }

    /// The integer value of ints and bools.
    #[inline]
    pub fn as_int(self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(i),
            Value::Bool(b) => Some(b as i64),
            _ => None,
        }
    }

    /// Python's truth of a value that is no object on the heap (those need it:
    /// `Objects::truthy`; here they are true).
    #[inline]
    pub fn truthy(self) -> bool {
        match self {
            Value::Int(i) => i != 0,
            Value::Bool(b) => b,
            Value::None | Value::Unbound => false,
            Value::Str(id) => id != 0,
            // A big int is never 0.
            Value::Func(_) | Value::Builtin(_) | Value::Big(_) | Value::Type(_) => true,
            _ => self.is_object(),
        }
    }

    /// Whether it names an object on the heap ([`crate::heap`]).
    pub fn is_object(self) -> bool {
        matches!(
            self,
            Value::List(_)
                | Value::Tuple(_)
                | Value::Text(_)
                | Value::Range(_)
                | Value::Iter(_)
                | Value::Dict(_)
                | Value::View(_)
                | Value::Set(_)
                | Value::Closure(_)
                | Value::Cell(_)
                | Value::Method(_)
        )
    }
}

fn unsupported(op: &str, a: Value, b: Value) -> Exception {
    Exception::new(
        ExcKind::TypeError,
        format!(
            "unsupported operand type(s) for {op}: '{}' and '{}'",
            a.type_name(),
            b.type_name()
        ),
    )
}

/// `a op b`, or `a op= b` when `in_place` (an augmented assignment): a type error then
/// names the augmented operator (`+=`), as CPython's does.
pub fn binary_op_of(op: BinOp, in_place: bool, a: Value, b: Value) -> Result<Value, Exception> {
    binary(op, a, b).map_err(|e| if in_place { e.in_place(op) } else { e })
}

/// The string operations `a op b` is (concatenation, repetition, formatting): they make a
/// string, which only the interpreter's objects can ([`binary`] names them as outside what
/// it computes; ahead of time the analysis leaves such a program to the interpreter).
pub fn string_op(op: BinOp, a: Value, b: Value) -> Option<&'static str> {
    let numeric = |v: Value| matches!(v, Value::Int(_) | Value::Bool(_));
    match (op, a, b) {
        (BinOp::Add, Value::Str(_), Value::Str(_)) => Some("string concatenation"),
        (BinOp::Mul, Value::Str(_), y) if numeric(y) => Some("string repetition"),
        (BinOp::Mul, x, Value::Str(_)) if numeric(x) => Some("string repetition"),
        (BinOp::Mod, Value::Str(_), _) => Some("string formatting"),
        _ => None,
    }
}

/// `a op b` with Python's semantics on 64-bit ints: OverflowError when the result leaves
/// them, which the interpreter answers with big ints ([`crate::bigint`]) and compiled code
/// ahead of time reports.
// Always inlined: the interpreter loop was measured 1.5× slower on every kernel when a
// second caller (the AOT compiler) made LLVM keep it out of line.
#[inline(always)]
pub fn binary(op: BinOp, a: Value, b: Value) -> Result<Value, Exception> {
    let (Some(x), Some(y)) = (a.as_int(), b.as_int()) else {
        if let Some(what) = string_op(op, a, b) {
            return Err(Exception::new(
                ExcKind::TypeError,
                format!("{what} is outside the minipy subset"),
            ));
        }
        return Err(match (op, a, b) {
            (BinOp::Add, Value::Str(_), _) => Exception::new(
                ExcKind::TypeError,
                format!(
                    "can only concatenate str (not \"{}\") to str",
                    b.type_name()
                ),
            ),
            _ => unsupported(
                if op == BinOp::Pow {
                    "** or pow()"
                } else {
                    op.symbol()
                },
                a,
                b,
            ),
        });
    };
    let ovf = Exception::overflow;
    Ok(Value::Int(match op {
        BinOp::Add => x.checked_add(y).ok_or_else(ovf)?,
        BinOp::Sub => x.checked_sub(y).ok_or_else(ovf)?,
        BinOp::Mul => x.checked_mul(y).ok_or_else(ovf)?,
        BinOp::FloorDiv => {
            if y == 0 {
                return Err(Exception::zero_division());
            }
            floor_div(x, y).ok_or_else(ovf)?
        }
        BinOp::Mod => {
            if y == 0 {
                return Err(Exception::zero_modulo());
            }
            floor_mod(x, y)
        }
        BinOp::Pow => pow(x, y)?,
        BinOp::LShift => {
            if y < 0 {
                return Err(Exception::negative_shift());
            }
            if x == 0 {
                0
            } else if y > 63 {
                return Err(ovf());
            } else {
                let r = x << y;
                if r >> y != x {
                    return Err(ovf());
                }
                r
            }
        }
        BinOp::RShift => {
            if y < 0 {
                return Err(Exception::negative_shift());
            }
            x >> y.min(63)
        }
        BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor => {
            let r = match op {
                BinOp::BitAnd => x & y,
                BinOp::BitOr => x | y,
                _ => x ^ y,
            };
            // bool & bool stays a bool in Python.
            if let (Value::Bool(_), Value::Bool(_)) = (a, b) {
                return Ok(Value::Bool(r != 0));
            }
            r
        }
    }))
}

#[inline]
pub fn floor_div(x: i64, y: i64) -> Option<i64> {
    // By a power of two: a shift (no division instruction; floor, as Python's).
    if y > 0 && y & (y - 1) == 0 {
        return Some(x >> y.trailing_zeros());
    }
    let q = x.checked_div(y)?;
    let r = x.wrapping_rem(y);
    Some(if r != 0 && (r ^ y) < 0 { q - 1 } else { q })
}

#[inline]
pub fn floor_mod(x: i64, y: i64) -> i64 {
    if y > 0 && y & (y - 1) == 0 {
        return x & (y - 1);
    }
    let r = x.wrapping_rem(y);
    if r != 0 && (r ^ y) < 0 { r + y } else { r }
}

fn pow(mut base: i64, mut exp: i64) -> Result<i64, Exception> {
    if exp < 0 {
        return Err(Exception::negative_exponent());
    }
    let mut acc: i64 = 1;
    while exp > 0 {
        if exp & 1 == 1 {
            acc = acc.checked_mul(base).ok_or_else(Exception::overflow)?;
        }
        exp >>= 1;
        if exp > 0 {
            base = base.checked_mul(base).ok_or_else(Exception::overflow)?;
        }
    }
    Ok(acc)
}

/// `x op y` for two values of one ordered type.
#[inline(always)]
pub fn ordered<T: PartialOrd + ?Sized>(op: CmpOp, x: &T, y: &T) -> bool {
    match op {
        CmpOp::Lt => x < y,
        CmpOp::Le => x <= y,
        CmpOp::Gt => x > y,
        CmpOp::Ge => x >= y,
        CmpOp::Eq => x == y,
        CmpOp::Ne => x != y,
    }
}

/// Whether CPython 3.11 compares `a op b` without counting a level of recursion: its
/// specializing interpreter does so only for a comparison followed by a conditional jump
/// (`jumps`) of two ints of one 30-bit digit each (bools are not ints there) or of two
/// strings for `==`/`!=`. Every other comparison goes through `PyObject_RichCompare`, which
/// counts one and fails at the limit with "maximum recursion depth exceeded in comparison".
pub fn compare_is_specialized(jumps: bool, op: CmpOp, a: Value, b: Value) -> bool {
    let small = |x: i64| x.unsigned_abs() < 1 << 30;
    jumps
        && match (a, b) {
            (Value::Int(x), Value::Int(y)) => small(x) && small(y),
            (Value::Str(_), Value::Str(_)) => matches!(op, CmpOp::Eq | CmpOp::Ne),
            _ => false,
        }
}

/// `a op b` for comparisons; `strings` resolves string values.
pub fn compare(
    op: CmpOp,
    a: Value,
    b: Value,
    strings: &[alloc::string::String],
) -> Result<bool, Exception> {
    if let (Value::Str(x), Value::Str(y)) = (a, b) {
        return Ok(ordered(op, &strings[x as usize], &strings[y as usize]));
    }
    if let (Some(x), Some(y)) = (a.as_int(), b.as_int()) {
        return Ok(ordered(op, &x, &y));
    }
    match op {
        CmpOp::Eq => Ok(a == b),
        CmpOp::Ne => Ok(a != b),
        _ => Err(Exception::new(
            ExcKind::TypeError,
            format!(
                "'{}' not supported between instances of '{}' and '{}'",
                op.symbol(),
                a.type_name(),
                b.type_name()
            ),
        )),
    }
}

pub fn negate(a: Value) -> Result<Value, Exception> {
    match a.as_int() {
        Some(x) => x
            .checked_neg()
            .map(Value::Int)
            .ok_or_else(Exception::overflow),
        None => Err(Exception::new(
            ExcKind::TypeError,
            format!("bad operand type for unary -: '{}'", a.type_name()),
        )),
    }
}

pub fn positive(a: Value) -> Result<Value, Exception> {
    match a.as_int() {
        Some(x) => Ok(Value::Int(x)),
        None => Err(Exception::new(
            ExcKind::TypeError,
            format!("bad operand type for unary +: '{}'", a.type_name()),
        )),
    }
}

pub fn invert(a: Value) -> Result<Value, Exception> {
    match a.as_int() {
        Some(x) => Ok(Value::Int(!x)),
        None => Err(Exception::new(
            ExcKind::TypeError,
            format!("bad operand type for unary ~: '{}'", a.type_name()),
        )),
    }
}

impl crate::bigint::BigHeap {
    /// The value of an int, bool or big int (None for anything else).
    #[inline]
    pub fn num(&self, v: Value) -> Option<alloc::borrow::Cow<'_, num_bigint::BigInt>> {
        use alloc::borrow::Cow;
        match v {
            Value::Big(i) => Some(Cow::Borrowed(self.get(i))),
            _ => v.as_int().map(|i| Cow::Owned(num_bigint::BigInt::from(i))),
        }
    }

    /// Stores `i` (only if it is big) and returns its value.
    pub fn alloc(&mut self, i: crate::bigint::Int) -> Value {
        match i {
            crate::bigint::Int::Small(v) => Value::Int(v),
            crate::bigint::Int::Big(b) => Value::Big(self.push(b)),
        }
    }

    /// Collects the big ints none of `roots` holds, rewriting the handles there.
    pub fn collect_values(&mut self, roots: impl Fn(&mut dyn FnMut(&mut Value))) {
        self.collect(|visit| {
            roots(&mut |v| {
                if let Value::Big(i) = v {
                    visit(i);
                }
            })
        });
    }
}

/// Appends `i` in decimal: `print(i)` of every int that fits a machine word.
pub fn push_int(out: &mut String, i: i64) {
    out.push_str(int_text(&mut [0; 20], i));
}

/// `i` in decimal, written into `buf` (20 bytes hold `-9223372036854775808`): two digits
/// at a time from a table (`write!` would go through `core::fmt`'s argument machinery:
/// ~4× the instructions). `str(i)` makes its string from this at its exact size.
pub fn int_text(buf: &mut [u8; 20], i: i64) -> &str {
    const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899";
    let mut at = buf.len();
    let mut n = i.unsigned_abs();
    while n >= 100 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        at -= 2;
        buf[at..at + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    }
    if n >= 10 {
        at -= 2;
        buf[at..at + 2].copy_from_slice(&PAIRS[n as usize * 2..n as usize * 2 + 2]);
    } else {
        at -= 1;
        buf[at] = b'0' + n as u8;
    }
    if i < 0 {
        at -= 1;
        buf[at] = b'-';
    }
    // (ASCII only: always valid UTF-8.)
    core::str::from_utf8(&buf[at..]).unwrap_or("")
}

/// Appends `v` as `print` writes it (`heap` holds the program's big ints; one past
/// CPython's 4,300 digits is its ValueError).
pub fn write_value(
    out: &mut String,
    prog: &Program,
    heap: &crate::bigint::BigHeap,
    v: Value,
) -> Result<(), Exception> {
    match v {
        Value::Big(_) => {
            let n = heap.num(v).expect("a big int");
            out.push_str(&crate::bigint::to_decimal(&n)?);
        }
        Value::Int(i) => push_int(out, i),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::None => out.push_str("None"),
        Value::Str(id) => out.push_str(&prog.strings[id as usize]),
        Value::Func(f) => {
            let _ = write!(out, "<function {}>", prog.codes[f as usize].qualname());
        }
        Value::Builtin(b) => {
            let b = Builtin::ALL[b as usize];
            if b.is_type() {
                let _ = write!(out, "<class '{}'>", b.name());
            } else {
                let _ = write!(out, "<built-in function {}>", b.name());
            }
        }
        Value::Type(t) => {
            let _ = write!(out, "<class '{}'>", TYPE_NAMES[t as usize]);
        }
        Value::Unbound => out.push_str("<unbound>"),
        // Objects need the heap: `Objects::write_str` writes them.
        _ => out.push_str("<object>"),
    }
    Ok(())
}

/// Python's `repr` of a string.
pub fn py_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::new();
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || (0x7f..0xa0).contains(&(c as u32)) => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if !c.is_ascii() && !printable(c) => {
                let _ = match c as u32 {
                    n @ ..0x100 => write!(out, "\\x{n:02x}"),
                    n @ ..0x10000 => write!(out, "\\u{n:04x}"),
                    n => write!(out, "\\U{n:08x}"),
                };
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Whether `repr` shows non-ASCII `c` as it is: CPython's `Py_UNICODE_ISPRINTABLE`, true
/// but for the categories Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs — the table core's
/// `escape_debug` uses, asked after another character (which leaves grapheme extenders,
/// printable to Python, unescaped).
pub(crate) fn printable(c: char) -> bool {
    if c.is_ascii() {
        // (escape_debug also escapes quotes and the backslash, which are printable.)
        return (' '..='~').contains(&c);
    }
    let mut buf = [0u8; 5];
    buf[0] = b'a';
    let n = 1 + c.encode_utf8(&mut buf[1..]).len();
    core::str::from_utf8(&buf[..n]).is_ok_and(|s| s.escape_debug().count() == 2)
}

#[cfg(test)]
mod tests {
    use super::push_int;
    use alloc::string::String;

    /// The table-driven digits agree with `core::fmt` at every length, both signs and the
    /// ends of the range.
    #[test]
    fn ints_are_written_as_core_fmt_writes_them() {
        let mut cases = alloc::vec![0i64, 1, -1, 9, 10, 99, 100, 101, i64::MAX, i64::MIN];
        let mut p = 1i64;
        for _ in 0..18 {
            p *= 10;
            cases.extend([p - 1, p, p + 1, -(p - 1), -p, -(p + 1)]);
        }
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..10_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            cases.push(x as i64 >> (x % 60));
        }
        for i in cases {
            let mut s = String::new();
            push_int(&mut s, i);
            assert_eq!(s, alloc::format!("{i}"));
        }
    }
}
