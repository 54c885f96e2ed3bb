//! The builtins and methods that work on the heap's objects (`len`, `str`, `sorted`,
//! `list.append`, `str.split` …), with CPython's results and errors. The interpreter calls
//! these with the arguments on its stack; functions a builtin calls back (`key=`) are
//! called by bytecode the compiler emits around it, so nothing here runs Python code.

use crate::ast::{BinOp, CmpOp};
use crate::bigint::{self, Int};
use crate::bytecode::{Builtin, METHOD_KEY, METHOD_REVERSE};
use crate::dict::Dict;
use crate::error::{ExcKind, Exception};
use crate::heap::{Seq, ViewKind};
use crate::objects::{Objects, py_repr};
use crate::value::Value;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// `a + b` as `sum` adds: ints exactly (big past 64 bits), sequences concatenated.
pub fn add(o: &mut Objects, a: Value, b: Value) -> Result<Value, Exception> {
    if let (Value::Int(x), Value::Int(y)) = (a, b)
        && let Some(r) = x.checked_add(y)
    {
        return Ok(Value::Int(r));
    }
    if let (Some(x), Some(y)) = (o.bigs.num(a), o.bigs.num(b)) {
        let r = bigint::binary(&x, BinOp::Add, &y)?;
        return Ok(o.bigs.alloc(r));
    }
    if let Some(r) = o.binary(BinOp::Add, false, a, b) {
        return r;
    }
    Err(Exception::new(
        ExcKind::TypeError,
        format!(
            "unsupported operand type(s) for +: '{}' and '{}'",
            o.type_name(a),
            o.type_name(b)
        ),
    ))
}

pub(crate) fn int_arg(o: &Objects, v: Value) -> Result<i64, Exception> {
    match v {
        Value::Big(_) => Err(Exception::new(
            ExcKind::OverflowError,
            "Python int too large to convert to C ssize_t",
        )),
        _ => v
            .as_int()
            .ok_or_else(|| Exception::not_an_integer(o.type_name(v))),
    }
}

/// `int(s, base)` of a string, as CPython reads it (base 0: from its prefix).
fn int_of_str(o: &mut Objects, v: Value, base: Option<i64>) -> Result<Value, Exception> {
    let s = o.str_of(v).unwrap_or("").to_string();
    let explicit = base.is_some();
    let mut base = base.unwrap_or(10);
    if base != 0 && !(2..=36).contains(&base) {
        return Err(Exception::new(
            ExcKind::ValueError,
            "int() base must be >= 2 and <= 36, or 0",
        ));
    }
    let shown = if explicit { base } else { 10 };
    let bad = || {
        Exception::new(
            ExcKind::ValueError,
            format!(
                "invalid literal for int() with base {shown}: {}",
                py_repr(&s)
            ),
        )
    };
    // As CPython's `_PyUnicode_TransformDecimalAndSpaceToASCII`: any script's decimal
    // digits are read as ASCII ones, other characters past ASCII are invalid.
    let ascii: String = s
        .chars()
        .map(|c| match c {
            c if c.is_ascii() => c,
            c if c.is_whitespace() => ' ',
            c => crate::strs::decimal_value(c).map_or('?', |d| (b'0' + d as u8) as char),
        })
        .collect();
    let t = ascii.trim_matches(|c: char| c.is_whitespace());
    let (neg, mut digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let prefix = |d: &str| -> Option<i64> {
        let l = d.get(..2)?.to_ascii_lowercase();
        match l.as_str() {
            "0x" => Some(16),
            "0o" => Some(8),
            "0b" => Some(2),
            _ => None,
        }
    };
    if let Some(p) = prefix(digits)
        && (base == 0 || base == p)
    {
        base = p;
        digits = &digits[2..];
        digits = digits.strip_prefix('_').unwrap_or(digits);
    } else if base == 0 {
        if digits.len() > 1
            && digits.starts_with('0')
            && digits.bytes().any(|c| c != b'0' && c != b'_')
        {
            return Err(bad());
        }
        base = 10;
    }
    let ok = !digits.is_empty()
        && !digits.starts_with('_')
        && !digits.ends_with('_')
        && !digits.contains("__")
        && digits.chars().all(|c| c == '_' || c.is_digit(base as u32));
    if !ok {
        return Err(bad());
    }
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    if base == 10 && clean.len() > bigint::MAX_STR_DIGITS {
        return Err(Exception::new(
            ExcKind::ValueError,
            bigint::int_limit_message(clean.len()),
        ));
    }
    let n = num_bigint::BigInt::parse_bytes(clean.as_bytes(), base as u32).ok_or_else(bad)?;
    let n = if neg { -n } else { n };
    Ok(o.bigs.alloc(Int::from(n)))
}

/// range()'s (start, stop, step) from the values of its `n` arguments; a zero step raises.
pub fn range_triple(vals: [i64; 3], n: usize) -> Result<(i64, i64, i64), Exception> {
    let (start, stop, step) = match n {
        1 => (0, vals[0], 1),
        2 => (vals[0], vals[1], 1),
        _ => (vals[0], vals[1], vals[2]),
    };
    if step == 0 {
        return Err(Exception::range_step_zero());
    }
    Ok((start, stop, step))
}

/// Builtin `b` (one that works on objects) on `args`.
pub fn call(o: &mut Objects, b: Builtin, args: &[Value]) -> Result<Value, Exception> {
    let arg = |i: usize| args.get(i).copied();
    Ok(match b {
        Builtin::Len => Value::Int(o.len(args[0])?),
        Builtin::Str => match arg(0) {
            None => Value::Str(0),
            Some(v) => o.to_str(v)?,
        },
        Builtin::Repr => o.to_repr(args[0])?,
        Builtin::Bool => Value::Bool(arg(0).is_some_and(|v| o.truthy(v))),
        Builtin::Divmod => {
            let (a, b) = (args[0], args[1]);
            let unsupported = Exception::new(
                ExcKind::TypeError,
                format!(
                    "unsupported operand type(s) for divmod(): '{}' and '{}'",
                    o.type_name(a),
                    o.type_name(b)
                ),
            );
            let q = int_op(o, BinOp::FloorDiv, a, b).ok_or(unsupported.clone())??;
            let r = int_op(o, BinOp::Mod, a, b).ok_or(unsupported)??;
            o.new_tuple(alloc::vec![q, r])
        }
        Builtin::Pow if args.len() == 3 => modpow(o, args)?,
        Builtin::Pow => {
            let (a, b) = (args[0], args[1]);
            match int_op(o, BinOp::Pow, a, b) {
                Some(r) => r?,
                None => {
                    return Err(Exception::new(
                        ExcKind::TypeError,
                        format!(
                            "unsupported operand type(s) for ** or pow(): '{}' and '{}'",
                            o.type_name(a),
                            o.type_name(b)
                        ),
                    ));
                }
            }
        }
        Builtin::Isinstance => Value::Bool(isinstance(o, args[0], args[1])?),
        Builtin::MinKey | Builtin::MaxKey => {
            let items = o.heap.items(args[0]).map(Seq::to_vec).unwrap_or_default();
            if items.is_empty()
                && let Some(&default) = args.get(2)
            {
                return Ok(default);
            }
            // Without key=, the items are their own keys.
            let keys = o
                .heap
                .items(args[1])
                .map(Seq::to_vec)
                .unwrap_or_else(|| items.clone());
            items[extreme(o, b == Builtin::MaxKey, &keys)?]
        }
        Builtin::Iter
        | Builtin::Next
        | Builtin::Hash
        | Builtin::Format
        | Builtin::Type
        | Builtin::Round
        | Builtin::Bin
        | Builtin::Hex
        | Builtin::Oct
        | Builtin::Set => return conversions(o, b, args),
        Builtin::Dict => {
            let d = o.new_dict(Dict::default());
            if let Some(v) = arg(0) {
                update(o, d, v)?;
            }
            d
        }
        Builtin::Int => {
            let v = args[0];
            let base = match arg(1) {
                Some(b) => Some(int_arg(o, b)?),
                None => None,
            };
            if o.str_of(v).is_some() {
                return int_of_str(o, v, base);
            }
            if base.is_some() {
                return Err(Exception::new(
                    ExcKind::TypeError,
                    "int() can't convert non-string with explicit base",
                ));
            }
            match v {
                Value::Int(_) | Value::Big(_) => v,
                Value::Bool(b) => Value::Int(b as i64),
                _ => {
                    return Err(Exception::new(
                        ExcKind::TypeError,
                        format!(
                            "int() argument must be a string, a bytes-like object or a real number, not '{}'",
                            o.type_name(v)
                        ),
                    ));
                }
            }
        }
        Builtin::List => {
            let items = match arg(0) {
                Some(v) => o.to_vec(v)?,
                None => Vec::new(),
            };
            o.new_list(items)
        }
        Builtin::Tuple => match arg(0) {
            Some(v @ Value::Tuple(_)) => v,
            Some(v) => {
                let items = o.to_vec(v)?;
                o.new_tuple(items)
            }
            None => o.new_tuple(Vec::new()),
        },
        Builtin::Range => {
            let mut vals = [0i64; 3];
            for (k, &v) in args.iter().enumerate() {
                vals[k] = match v {
                    Value::Big(_) => {
                        return Err(Exception::new(
                            ExcKind::OverflowError,
                            "range() past 64 bits is outside the minipy subset",
                        ));
                    }
                    _ => v
                        .as_int()
                        .ok_or_else(|| Exception::not_an_integer(o.type_name(v)))?,
                };
            }
            let (start, stop, step) = range_triple(vals, args.len())?;
            o.range(start, stop, step)
        }
        Builtin::Sum => {
            let mut acc = arg(1).unwrap_or(Value::Int(0));
            if o.str_of(acc).is_some() {
                return Err(Exception::new(
                    ExcKind::TypeError,
                    "sum() can't sum strings [use ''.join(seq) instead]",
                ));
            }
            // (A list of bools: the count of its trues, without a value for each.)
            if let (Value::Int(a), Some(Seq::Bools(x))) = (acc, o.heap.items(args[0])) {
                let trues = x.iter().filter(|&&b| b).count() as i64;
                if let Some(total) = a.checked_add(trues) {
                    return Ok(Value::Int(total));
                }
            }
            // (A list of ints: summed in 128 bits, which no list's length can overflow.)
            if let (Value::Int(a), Some(Seq::Ints(x))) = (acc, o.heap.items(args[0])) {
                let total = x.iter().fold(a as i128, |t, &n| t + n as i128);
                if let Ok(total) = i64::try_from(total) {
                    return Ok(Value::Int(total));
                }
            }
            for v in o.to_vec(args[0])? {
                acc = add(o, acc, v)?;
            }
            acc
        }
        Builtin::Sorted => {
            let mut items = o.to_vec(args[0])?;
            o.sort(&mut items, None, false)?;
            o.new_list(items)
        }
        Builtin::Reversed => o.reversed(args[0])?,
        Builtin::Enumerate => {
            let start = match arg(1) {
                Some(v) => int_arg(o, v)?,
                None => 0,
            };
            o.enumerate(args[0], start)?
        }
        Builtin::Zip => o.zip(args)?,
        Builtin::Any | Builtin::All => {
            let want = b == Builtin::Any;
            if let Some(Seq::Bools(x)) = o.heap.items(args[0]) {
                return Ok(Value::Bool(x.contains(&want) == want));
            }
            let mut r = !want;
            for v in o.to_vec(args[0])? {
                if o.truthy(v) == want {
                    r = want;
                    break;
                }
            }
            Value::Bool(r)
        }
        Builtin::Ord => {
            let v = args[0];
            let Some(s) = o.str_of(v) else {
                return Err(Exception::new(
                    ExcKind::TypeError,
                    format!(
                        "ord() expected string of length 1, but {} found",
                        o.type_name(v)
                    ),
                ));
            };
            let mut cs = s.chars();
            match (cs.next(), cs.next()) {
                (Some(c), None) => Value::Int(c as i64),
                _ => {
                    return Err(Exception::new(
                        ExcKind::TypeError,
                        format!(
                            "ord() expected a character, but string of length {} found",
                            s.chars().count()
                        ),
                    ));
                }
            }
        }
        Builtin::Chr => {
            let v = args[0];
            let i = match v {
                Value::Big(_) => {
                    return Err(Exception::new(
                        ExcKind::OverflowError,
                        "Python int too large to convert to C int",
                    ));
                }
                _ => v.as_int().ok_or_else(|| {
                    Exception::new(
                        ExcKind::TypeError,
                        format!(
                            "'{}' object cannot be interpreted as an integer",
                            o.type_name(v)
                        ),
                    )
                })?,
            };
            match u32::try_from(i).ok().and_then(char::from_u32) {
                Some(c) => o.new_str(String::from(c)),
                None if (0..0x110000).contains(&i) => {
                    return Err(Exception::new(
                        ExcKind::ValueError,
                        "a surrogate code point is outside the minipy subset",
                    ));
                }
                None => {
                    return Err(Exception::new(
                        ExcKind::ValueError,
                        "chr() arg not in range(0x110000)",
                    ));
                }
            }
        }
        _ => unreachable!("{} is called by the interpreter itself", b.name()),
    })
}

/// The builtins that make one value of another: iterators (`iter`, `next`), `type`,
/// `round` and the base conversions of ints, `set`.
fn conversions(o: &mut Objects, b: Builtin, args: &[Value]) -> Result<Value, Exception> {
    let arg = |i: usize| args.get(i).copied();
    Ok(match b {
        Builtin::Iter => o.iter(args[0])?,
        Builtin::Hash => Value::Int(o.py_hash(args[0])?),
        Builtin::Format => {
            let spec = match args.get(1) {
                None => String::new(),
                Some(&v) => match o.str_of(v) {
                    Some(s) => String::from(s),
                    None => {
                        return Err(Exception::new(
                            ExcKind::TypeError,
                            format!("format() argument 2 must be str, not {}", o.type_name(v)),
                        ));
                    }
                },
            };
            o.format(args[0], 0, &spec)?
        }
        Builtin::Next => match o.next(args[0])? {
            Some(v) => v,
            None => match arg(1) {
                Some(default) => default,
                None => return Err(Exception::new(ExcKind::StopIteration, "")),
            },
        },
        Builtin::Type => {
            let name = o.type_name(args[0]);
            match Builtin::ALL
                .iter()
                .position(|t| t.is_type() && t.name() == name)
            {
                Some(t) => Value::Builtin(t as u8),
                None => Value::Type(
                    crate::value::TYPE_NAMES
                        .iter()
                        .position(|&n| n == name)
                        .unwrap_or(crate::value::TYPE_NAMES.len() - 1) as u32,
                ),
            }
        }
        Builtin::Round => {
            let v = args[0];
            let Some(x) = o.bigs.num(v).map(|x| x.into_owned()) else {
                return Err(Exception::new(
                    ExcKind::TypeError,
                    format!("type {} doesn't define __round__ method", o.type_name(v)),
                ));
            };
            let n = match arg(1) {
                None | Some(Value::None) => 0,
                Some(d) => int_arg(o, d)?,
            };
            if n >= 0 {
                return Ok(o.bigs.alloc(Int::from(x)));
            }
            // To the nearest multiple of 10**-n, ties to the even one.
            let m = num_traits::Pow::pow(num_bigint::BigInt::from(10), n.unsigned_abs());
            let (q, r) = num_integer::Integer::div_mod_floor(&x, &m);
            let twice: num_bigint::BigInt = r * 2;
            let up = twice > m || (twice == m && num_integer::Integer::is_odd(&q));
            let q = if up { q + 1 } else { q };
            o.bigs.alloc(Int::from(q * m))
        }
        Builtin::Bin | Builtin::Hex | Builtin::Oct => {
            let v = args[0];
            let Some(n) = o.bigs.num(v) else {
                return Err(Exception::new(
                    ExcKind::TypeError,
                    format!(
                        "'{}' object cannot be interpreted as an integer",
                        o.type_name(v)
                    ),
                ));
            };
            let spec = match b {
                Builtin::Bin => "#b",
                Builtin::Hex => "#x",
                _ => "#o",
            };
            let text = crate::format::format_int(&n, spec)?;
            o.new_str(text)
        }
        Builtin::Set => {
            let s = match arg(0) {
                Some(v) => o.set_of(v)?,
                None => crate::set::Set::new(),
            };
            o.new_set(s)
        }
        _ => unreachable!("{} is no conversion", b.name()),
    })
}

/// `a op b` on ints (big past 64 bits); None when either is no int.
fn int_op(o: &mut Objects, op: BinOp, a: Value, b: Value) -> Option<Result<Value, Exception>> {
    let (x, y) = (o.bigs.num(a)?, o.bigs.num(b)?);
    Some(bigint::binary(&x, op, &y).map(|r| o.bigs.alloc(r)))
}

/// `pow(a, b, m)`.
fn modpow(o: &mut Objects, args: &[Value]) -> Result<Value, Exception> {
    let nums: Option<Vec<num_bigint::BigInt>> = args
        .iter()
        .map(|&v| o.bigs.num(v).map(|n| n.into_owned()))
        .collect();
    let Some(nums) = nums else {
        let names: Vec<String> = args
            .iter()
            .map(|&v| format!("'{}'", o.type_name(v)))
            .collect();
        return Err(Exception::new(
            ExcKind::TypeError,
            format!(
                "unsupported operand type(s) for ** or pow(): {}",
                names.join(", ")
            ),
        ));
    };
    let (base, exp, m) = (&nums[0], &nums[1], &nums[2]);
    if m.sign() == num_bigint::Sign::NoSign {
        return Err(Exception::new(
            ExcKind::ValueError,
            "pow() 3rd argument cannot be 0",
        ));
    }
    let r = if exp.sign() == num_bigint::Sign::Minus {
        let inv = base.modinv(m).ok_or_else(|| {
            Exception::new(
                ExcKind::ValueError,
                "base is not invertible for the given modulus",
            )
        })?;
        inv.modpow(&-exp, m)
    } else {
        base.modpow(exp, m)
    };
    Ok(o.bigs.alloc(Int::from(r)))
}

/// `isinstance(v, types)`: a type among the builtins minipy has, or a tuple of them.
fn isinstance(o: &Objects, v: Value, types: Value) -> Result<bool, Exception> {
    let one = |t: Value| -> Result<bool, Exception> {
        let Value::Builtin(b) = t else {
            return Err(Exception::new(
                ExcKind::TypeError,
                "isinstance() arg 2 must be a type, a tuple of types, or a union",
            ));
        };
        Ok(match Builtin::ALL[b as usize] {
            Builtin::Int => matches!(v, Value::Int(_) | Value::Big(_) | Value::Bool(_)),
            Builtin::Bool => matches!(v, Value::Bool(_)),
            Builtin::Str => matches!(v, Value::Str(_) | Value::Text(_)),
            Builtin::List => matches!(v, Value::List(_)),
            Builtin::Tuple => matches!(v, Value::Tuple(_)),
            Builtin::Dict => matches!(v, Value::Dict(_)),
            Builtin::Set => matches!(v, Value::Set(_)),
            Builtin::Range => matches!(v, Value::Range(_)),
            _ => {
                return Err(Exception::new(
                    ExcKind::TypeError,
                    "isinstance() arg 2 must be a type, a tuple of types, or a union",
                ));
            }
        })
    };
    if let (Value::Tuple(_), Some(ts)) = (types, o.heap.items(types)) {
        for t in ts {
            if one(t)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    one(types)
}

/// `min(…)`/`max(…)` over their arguments, or over one iterable.
pub fn min_max(o: &mut Objects, max: bool, args: &[Value]) -> Result<Value, Exception> {
    let items;
    let vals: &[Value] = if args.len() == 1 {
        items = o.to_vec(args[0])?;
        &items
    } else {
        args
    };
    Ok(vals[extreme(o, max, vals)?])
}

/// Where the first greatest (`max`) or least of `keys` is; CPython's ValueError when there
/// are none.
fn extreme(o: &Objects, max: bool, keys: &[Value]) -> Result<usize, Exception> {
    if keys.is_empty() {
        return Err(Exception::empty_extreme(if max { "max" } else { "min" }));
    }
    let op = if max { CmpOp::Gt } else { CmpOp::Lt };
    let mut best = 0;
    for k in 1..keys.len() {
        if o.compare(op, keys[k], keys[best])? {
            best = k;
        }
    }
    Ok(best)
}

pub use minipy_front::names::{DICT_METHODS, INT_METHODS, LIST_METHODS, STR_METHODS};

/// Whether values of type `ty` have a method `name`.
fn has_method_of(ty: Builtin, name: &str) -> bool {
    match ty {
        Builtin::List => LIST_METHODS.contains(&name),
        Builtin::Tuple => matches!(name, "index" | "count"),
        Builtin::Dict => DICT_METHODS.contains(&name),
        Builtin::Set => crate::pyset::SET_METHODS.contains(&name),
        Builtin::Str => {
            STR_METHODS.contains(&name)
                || crate::strs::MORE_STR_METHODS.contains(&name)
                || matches!(name, "index" | "count")
        }
        Builtin::Int | Builtin::Bool => INT_METHODS.contains(&name),
        _ => false,
    }
}

/// Ok when type `ty` has a method `name` (`str.lower`); else CPython's AttributeError.
pub fn type_has_method(ty: Builtin, name: &str) -> Result<(), Exception> {
    if has_method_of(ty, name) {
        return Ok(());
    }
    Err(Exception::new(
        ExcKind::AttributeError,
        format!("type object '{}' has no attribute '{name}'", ty.name()),
    ))
}

/// The types with methods, in the order of [`method_types`]' bits.
const METHOD_TYPES: [Builtin; 6] = [
    Builtin::List,
    Builtin::Tuple,
    Builtin::Dict,
    Builtin::Set,
    Builtin::Str,
    Builtin::Int,
];

/// Which types have a method called `name`: bit i for the i-th of list, tuple, dict, set,
/// str and int; bit 7 always set (so that 0 can mean "not computed yet"). The interpreter asks
/// once per name and keeps the answer: a method lookup is then a bit test, not a search
/// through the names.
pub fn method_types(name: &str) -> u8 {
    METHOD_TYPES
        .iter()
        .enumerate()
        .filter(|&(_, &t)| has_method_of(t, name))
        .fold(0x80, |m, (i, _)| m | 1 << i)
}

/// Ok when `obj` has a method `name`, whose [`method_types`] are `types`; else CPython's
/// AttributeError.
#[inline]
pub fn has_method(o: &Objects, obj: Value, name: &str, types: u8) -> Result<(), Exception> {
    let bit = match obj {
        Value::List(_) => 1,
        Value::Tuple(_) => 2,
        Value::Dict(_) => 4,
        Value::Set(_) => 8,
        Value::Str(_) | Value::Text(_) => 16,
        Value::Int(_) | Value::Big(_) | Value::Bool(_) => 32,
        _ => 0,
    };
    if types & bit != 0 {
        return Ok(());
    }
    Err(Exception::no_attribute(o.type_name(obj), name))
}

/// `obj.name(args…)`: `flags` is CALL_METHOD's `b` (the positional count and the keyword
/// flags); `args` holds the positional values, then sort's keys and reverse.
pub fn call_method(
    o: &mut Objects,
    obj: Value,
    name: &str,
    args: &[Value],
    flags: u32,
) -> Result<Value, Exception> {
    let npos = (flags & 0xff) as usize;
    let pos = &args[..npos];
    if matches!(obj, Value::List(_)) {
        return list_method(o, obj, name, pos, &args[npos..], flags);
    }
    if o.str_of(obj).is_some() {
        return str_method(o, obj, name, pos);
    }
    if matches!(obj, Value::Dict(_)) {
        return dict_method(o, obj, name, pos);
    }
    if matches!(obj, Value::Set(_)) {
        return o.set_method(obj, name, pos);
    }
    if matches!(obj, Value::Tuple(_)) && matches!(name, "index" | "count") {
        return seq_search(o, obj, name, pos);
    }
    if let Some(n) = o.bigs.num(obj).filter(|_| INT_METHODS.contains(&name)) {
        if !pos.is_empty() {
            return Err(Exception::new(
                ExcKind::TypeError,
                format!("int.{name}() takes no arguments ({} given)", pos.len()),
            ));
        }
        let mag = n.magnitude();
        let r = match name {
            "bit_length" => mag.bits(),
            _ => mag.count_ones(),
        };
        return Ok(Value::Int(r as i64));
    }
    Err(Exception::no_attribute(o.type_name(obj), name))
}

/// `obj.name(pos…, keyword=value…)` (`kw` the keywords' values): the methods that take
/// keywords in CPython 3.11 — str's `split`, `rsplit`, `splitlines` and `format`, dict's
/// `update`, list's `sort` — matched as it matches them; any other method raises its
/// "takes no keyword arguments".
pub fn call_method_kw(
    o: &mut Objects,
    obj: Value,
    name: &str,
    pos: &[Value],
    keywords: &[&str],
    kw: &[Value],
) -> Result<Value, Exception> {
    let is_str = o.str_of(obj).is_some();
    let (params, defaults): (&[&str], &[Value]) = match name {
        "split" | "rsplit" if is_str => (&["sep", "maxsplit"], &[Value::None, Value::Int(-1)]),
        "splitlines" if is_str => (&["keepends"], &[]),
        "expandtabs" if is_str => (&["tabsize"], &[]),
        "format" if is_str => {
            let s = String::from(o.str_of(obj).unwrap_or(""));
            let named: Vec<(&str, Value)> =
                keywords.iter().copied().zip(kw.iter().copied()).collect();
            let out = crate::strs::format_fields(o, &s, pos, &named)?;
            return Ok(o.new_str(out));
        }
        "update" if matches!(obj, Value::Dict(_)) => {
            if pos.len() > 1 {
                return Err(Exception::new(
                    ExcKind::TypeError,
                    format!("update expected at most 1 argument, got {}", pos.len()),
                ));
            }
            if let Some(&other) = pos.first() {
                update(o, obj, other)?;
            }
            set_keywords(o, obj, keywords, kw)?;
            return Ok(Value::None);
        }
        "sort" if matches!(obj, Value::List(_)) => return sort_keywords(o, obj, pos, keywords, kw),
        _ => {
            return Err(Exception::new(
                ExcKind::TypeError,
                format!("{}.{name}() takes no keyword arguments", o.type_name(obj)),
            ));
        }
    };
    let mut args = pos.to_vec();
    args.extend_from_slice(kw);
    let args = crate::bind::clinic(
        name,
        Some((params, 0, 0)),
        defaults,
        &args,
        pos.len(),
        keywords,
    )?;
    call_method(o, obj, name, &args, args.len() as u32)
}

/// `list.sort(*, key=None, reverse=False)` with its keywords known only when it runs:
/// CPython's errors; a key function here is outside the subset (the compiler computes
/// the keys of a `sort(key=…)` it sees).
fn sort_keywords(
    o: &mut Objects,
    list: Value,
    pos: &[Value],
    keywords: &[&str],
    kw: &[Value],
) -> Result<Value, Exception> {
    if !pos.is_empty() {
        return Err(Exception::new(
            ExcKind::TypeError,
            "sort() takes no positional arguments",
        ));
    }
    let mut reverse = None;
    for (&k, &v) in keywords.iter().zip(kw) {
        match k {
            "reverse" => reverse = Some(v),
            "key" if v == Value::None => {}
            "key" => {
                return Err(Exception::new(
                    ExcKind::TypeError,
                    "sort(key=…) of keywords known only when it runs is outside the minipy subset",
                ));
            }
            _ => {
                return Err(Exception::new(
                    ExcKind::TypeError,
                    format!("'{k}' is an invalid keyword argument for sort()"),
                ));
            }
        }
    }
    match reverse {
        Some(r) => call_method(o, list, "sort", &[r], METHOD_REVERSE),
        None => call_method(o, list, "sort", &[], 0),
    }
}

/// `dict(x, **kw)`: x's items (a mapping or pairs), then the keywords'.
pub fn dict_with_keywords(
    o: &mut Objects,
    pos: &[Value],
    keywords: &[&str],
    kw: &[Value],
) -> Result<Value, Exception> {
    if pos.len() > 1 {
        return Err(Exception::new(
            ExcKind::TypeError,
            format!("dict expected at most 1 argument, got {}", pos.len()),
        ));
    }
    let d = o.new_dict(Dict::default());
    if let Some(&x) = pos.first() {
        update(o, d, x)?;
    }
    set_keywords(o, d, keywords, kw)?;
    Ok(d)
}

/// `d[name] = value` for each keyword of a call.
fn set_keywords(
    o: &mut Objects,
    d: Value,
    keywords: &[&str],
    kw: &[Value],
) -> Result<(), Exception> {
    for (&k, &v) in keywords.iter().zip(kw) {
        let k = o.new_str(String::from(k));
        o.dict_set(d, k, v)?;
    }
    Ok(())
}

/// `index` and `count` of a list or tuple.
fn seq_search(o: &mut Objects, obj: Value, name: &str, pos: &[Value]) -> Result<Value, Exception> {
    let items = o.heap.items(obj).map(Seq::to_vec).unwrap_or_default();
    let tname = o.type_name(obj);
    if name == "count" {
        if pos.len() != 1 {
            return Err(Exception::new(
                ExcKind::TypeError,
                format!(
                    "{tname}.count() takes exactly one argument ({} given)",
                    pos.len()
                ),
            ));
        }
        let n = items.iter().filter(|&&v| o.eq(v, pos[0])).count();
        return Ok(Value::Int(n as i64));
    }
    if pos.is_empty() || pos.len() > 3 {
        return Err(Exception::new(
            ExcKind::TypeError,
            format!("index expected at least 1 argument, got {}", pos.len()),
        ));
    }
    let bound = |i: usize| -> Result<Option<i64>, Exception> {
        pos.get(i)
            .map(|&v| {
                slice_bound(
                    o,
                    v,
                    "slice indices must be integers or have an __index__ method",
                )
            })
            .transpose()
    };
    let n = items.len() as i64;
    let clamp = |b: Option<i64>, d: i64| -> i64 {
        match b {
            None => d,
            Some(b) if b < 0 => (b.saturating_add(n)).max(0),
            Some(b) => b.min(n),
        }
    };
    let (start, stop) = (clamp(bound(1)?, 0), clamp(bound(2)?, n));
    for k in start..stop {
        if o.eq(items[k as usize], pos[0]) {
            return Ok(Value::Int(k));
        }
    }
    Err(if matches!(obj, Value::List(_)) {
        let mut s = String::new();
        o.write_repr(&mut s, pos[0], &mut Vec::new())?;
        Exception::new(ExcKind::ValueError, format!("{s} is not in list"))
    } else {
        Exception::new(ExcKind::ValueError, "tuple.index(x): x not in tuple")
    })
}

fn list_method(
    o: &mut Objects,
    obj: Value,
    name: &str,
    pos: &[Value],
    kw: &[Value],
    flags: u32,
) -> Result<Value, Exception> {
    let n = pos.len();
    let exactly = |want: usize| -> Result<(), Exception> {
        if n == want {
            return Ok(());
        }
        Err(match want {
            0 => Exception::new(
                ExcKind::TypeError,
                format!("list.{name}() takes no arguments ({n} given)"),
            ),
            1 => Exception::new(
                ExcKind::TypeError,
                format!("list.{name}() takes exactly one argument ({n} given)"),
            ),
            _ => Exception::new(
                ExcKind::TypeError,
                format!("{name} expected {want} arguments, got {n}"),
            ),
        })
    };
    fn list<'o>(o: &'o mut Objects, obj: Value) -> &'o mut Vec<Value> {
        o.heap.list_mut(obj).expect("a list")
    }
    Ok(match name {
        "append" => {
            exactly(1)?;
            o.heap.push(obj, pos[0]);
            Value::None
        }
        "extend" => {
            exactly(1)?;
            let more = o.to_vec(pos[0])?;
            o.heap.extend(obj, more);
            Value::None
        }
        "insert" => {
            exactly(2)?;
            let i = int_arg(o, pos[0]).or_else(|e| match pos[0] {
                Value::Big(_) => Ok(
                    if o.bigs
                        .num(pos[0])
                        .is_some_and(|b| b.sign() == num_bigint::Sign::Minus)
                    {
                        i64::MIN
                    } else {
                        i64::MAX
                    },
                ),
                _ => Err(e),
            })?;
            let len = o.heap.items(obj).map_or(0, Seq::len) as i64;
            let k = if i < 0 { (i + len).max(0) } else { i.min(len) } as usize;
            match (o.heap.ints_mut(obj), pos[1]) {
                (Some(ints), Value::Int(x)) => ints.insert(k, x),
                _ => list(o, obj).insert(k, pos[1]),
            }
            Value::None
        }
        "pop" => {
            if n > 1 {
                return Err(Exception::new(
                    ExcKind::TypeError,
                    format!("pop expected at most 1 argument, got {n}"),
                ));
            }
            let i = match pos.first() {
                Some(&v) => match v {
                    Value::Big(_) => {
                        return Err(Exception::index_too_big());
                    }
                    _ => int_arg(o, v)?,
                },
                None => -1,
            };
            let len = o.heap.items(obj).map_or(0, Seq::len) as i64;
            if len == 0 {
                return Err(Exception::new(ExcKind::IndexError, "pop from empty list"));
            }
            let k = if i < 0 { i + len } else { i };
            if k < 0 || k >= len {
                return Err(Exception::new(
                    ExcKind::IndexError,
                    "pop index out of range",
                ));
            }
            match o.heap.ints_mut(obj) {
                Some(ints) => Value::Int(ints.remove(k as usize)),
                None => list(o, obj).remove(k as usize),
            }
        }
        "remove" => {
            exactly(1)?;
            let items = o.heap.items(obj).map(Seq::to_vec).unwrap_or_default();
            let Some(k) = items.iter().position(|&v| o.eq(v, pos[0])) else {
                return Err(Exception::new(
                    ExcKind::ValueError,
                    "list.remove(x): x not in list",
                ));
            };
            match o.heap.ints_mut(obj) {
                Some(ints) => {
                    ints.remove(k);
                }
                None => {
                    list(o, obj).remove(k);
                }
            }
            Value::None
        }
        "index" | "count" => return seq_search(o, obj, name, pos),
        "reverse" => {
            exactly(0)?;
            match o.heap.ints_mut(obj) {
                Some(ints) => ints.reverse(),
                None => list(o, obj).reverse(),
            }
            Value::None
        }
        "clear" => {
            exactly(0)?;
            match o.heap.ints_mut(obj) {
                Some(ints) => ints.clear(),
                None => list(o, obj).clear(),
            }
            Value::None
        }
        "copy" => {
            exactly(0)?;
            // (Read, not unpacked: a copy of a list of ints is one too.)
            let items = o.heap.items(obj).map(Seq::to_vec).unwrap_or_default();
            o.new_list(items)
        }
        "sort" => {
            if n > 0 {
                return Err(Exception::new(
                    ExcKind::TypeError,
                    "sort() takes no positional arguments",
                ));
            }
            return list_sort(o, obj, kw, flags);
        }
        _ => return Err(Exception::no_attribute("list", name)),
    })
}

/// `list.sort(key=…, reverse=…)` of list `obj` (`flags` say which keywords `kw` holds).
fn list_sort(o: &mut Objects, obj: Value, kw: &[Value], flags: u32) -> Result<Value, Exception> {
    let mut k = 0;
    let keys = if flags & METHOD_KEY != 0 {
        k += 1;
        Some(o.heap.items(kw[0]).map(Seq::to_vec).unwrap_or_default())
    } else {
        None
    };
    let reverse = if flags & METHOD_REVERSE != 0 {
        match kw[k] {
            Value::Big(_) => true,
            v => {
                v.as_int()
                    .ok_or_else(|| Exception::not_an_integer(o.type_name(v)))?
                    != 0
            }
        }
    } else {
        false
    };
    // A list of ints without a key: its machine ints sorted where they are (equal ints
    // are alike, so no order among them can show).
    if keys.is_none()
        && let Some(ints) = o.heap.ints_mut(obj)
    {
        jit::sort::sort(ints);
        if reverse {
            ints.reverse();
        }
        return Ok(Value::None);
    }
    // Sorted out of place: the list is empty while it sorts, as in CPython.
    let mut items = core::mem::take(o.heap.list_mut(obj).expect("a list"));
    let r = o.sort(&mut items, keys, reverse);
    let l = o.heap.list_mut(obj).expect("a list");
    let modified = !l.is_empty();
    *l = items;
    if modified {
        return Err(Exception::new(
            ExcKind::ValueError,
            "list modified during sort",
        ));
    }
    r?;
    Ok(Value::None)
}

/// `d.update(other)` and `dict(other)`: a dict's items, or an iterable of pairs.
pub fn update(o: &mut Objects, d: Value, other: Value) -> Result<(), Exception> {
    let pairs: Vec<(Value, Value)> = if let Some(src) = o.dict(other) {
        src.iter().map(|e| (e.key, e.value)).collect()
    } else {
        let items = o.to_vec(other)?;
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let kv = match o.to_vec(item) {
                Ok(kv) => kv,
                Err(_) => {
                    return Err(Exception::new(
                        ExcKind::TypeError,
                        format!(
                            "cannot convert dictionary update sequence element #{i} to a sequence"
                        ),
                    ));
                }
            };
            let [k, v] = kv[..] else {
                return Err(Exception::new(
                    ExcKind::ValueError,
                    format!(
                        "dictionary update sequence element #{i} has length {}; 2 is required",
                        kv.len()
                    ),
                ));
            };
            out.push((k, v));
        }
        out
    };
    for (k, v) in pairs {
        o.dict_set(d, k, v)?;
    }
    Ok(())
}

/// `dict.fromkeys(iterable, value=None)`, of `dict` or of any dict.
pub fn dict_fromkeys(o: &mut Objects, pos: &[Value]) -> Result<Value, Exception> {
    let n = pos.len();
    if !(1..=2).contains(&n) {
        let bound = if n == 0 {
            "least 1 argument"
        } else {
            "most 2 arguments"
        };
        return Err(Exception::new(
            ExcKind::TypeError,
            format!("fromkeys expected at {bound}, got {n}"),
        ));
    }
    let keys = o.to_vec(pos[0])?;
    let v = pos.get(1).copied().unwrap_or(Value::None);
    let d = o.new_dict(Dict::default());
    for k in keys {
        o.dict_set(d, k, v)?;
    }
    Ok(d)
}

fn dict_method(o: &mut Objects, d: Value, name: &str, pos: &[Value]) -> Result<Value, Exception> {
    let n = pos.len();
    let range = |lo: usize, hi: usize| -> Result<(), Exception> {
        if (lo..=hi).contains(&n) {
            return Ok(());
        }
        Err(Exception::new(
            ExcKind::TypeError,
            match (lo, hi) {
                (0, 0) => format!("dict.{name}() takes no arguments ({n} given)"),
                _ if n < lo => format!("{name} expected at least {lo} argument, got {n}"),
                _ => format!(
                    "{name} expected at most {hi} argument{}, got {n}",
                    if hi == 1 { "" } else { "s" }
                ),
            },
        ))
    };
    Ok(match name {
        "popitem" => {
            range(0, 0)?;
            let last = o
                .dict(d)
                .and_then(|x| x.iter().last().map(|e| (e.key, e.value)));
            let Some((k, v)) = last else {
                return Err(Exception::new(
                    ExcKind::KeyError,
                    "'popitem(): dictionary is empty'",
                ));
            };
            let h = o.hash(k)?;
            o.with_dict(d, |o, x| Ok(x.remove(h, k, &|p, q| o.eq(p, q))))?;
            o.new_tuple(alloc::vec![k, v])
        }
        // A class method: of `dict` or of any dict alike.
        "fromkeys" => dict_fromkeys(o, pos)?,
        "get" => {
            range(1, 2)?;
            let hit = o.dict_lookup(d, pos[0])?;
            hit.unwrap_or(pos.get(1).copied().unwrap_or(Value::None))
        }
        "setdefault" => {
            range(1, 2)?;
            let hit = o.dict_lookup(d, pos[0])?;
            match hit {
                Some(v) => v,
                None => {
                    let v = pos.get(1).copied().unwrap_or(Value::None);
                    o.dict_set(d, pos[0], v)?;
                    v
                }
            }
        }
        "pop" => {
            range(1, 2)?;
            let (k, h) = (pos[0], o.hash(pos[0])?);
            let gone = o.with_dict(d, |o, x| Ok(x.remove(h, k, &|p, q| o.eq(p, q))))?;
            match (gone, pos.get(1)) {
                (Some(v), _) => v,
                (None, Some(&default)) => default,
                (None, None) => return Err(o.key_error(k)),
            }
        }
        "keys" | "values" | "items" => {
            range(0, 0)?;
            let kind = match name {
                "keys" => ViewKind::Keys,
                "values" => ViewKind::Values,
                _ => ViewKind::Items,
            };
            o.new_view(d, kind)
        }
        "update" => {
            range(0, 1)?;
            if let Some(&other) = pos.first() {
                update(o, d, other)?;
            }
            Value::None
        }
        "clear" => {
            range(0, 0)?;
            o.with_dict(d, |_, x| {
                x.clear();
                Ok(())
            })?;
            Value::None
        }
        "copy" => {
            range(0, 0)?;
            let copy = o.dict(d).cloned().unwrap_or_default();
            o.new_dict(copy)
        }
        _ => return Err(Exception::no_attribute("dict", name)),
    })
}

/// Whether `c` is whitespace as str.split and str.strip see it.
fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

fn str_method(o: &mut Objects, obj: Value, name: &str, pos: &[Value]) -> Result<Value, Exception> {
    // The questions borrow the string where it is; the rest copy it first (they make new
    // objects as they go, which needs the heap mutable).
    if matches!(
        name,
        "startswith"
            | "endswith"
            | "find"
            | "rfind"
            | "index"
            | "rindex"
            | "count"
            | "isdigit"
            | "isalpha"
            | "isspace"
    ) {
        return str_query(o, o.str_of(obj).unwrap_or(""), name, pos);
    }
    let s = o.str_of(obj).unwrap_or("").to_string();
    let n = pos.len();
    let str_arg = |o: &Objects, i: usize, what: &str| -> Result<Option<String>, Exception> {
        Ok(str_arg_of(o, pos, i, what)?.map(String::from))
    };
    let at_most = |max: usize| -> Result<(), Exception> {
        if n > max {
            return Err(Exception::new(
                ExcKind::TypeError,
                format!("{name} expected at most {max} arguments, got {n}"),
            ));
        }
        Ok(())
    };
    let exactly = |want: usize| exact_args(name, n, want);
    Ok(match name {
        "split" => {
            at_most(2)?;
            let sep = str_arg(o, 0, "must be str or None, not ")?;
            let max = match pos.get(1) {
                Some(&v) => int_arg(o, v)?,
                None => -1,
            };
            let parts: Vec<String> = match sep {
                None => {
                    let mut out = Vec::new();
                    let mut rest = s.trim_start_matches(is_space);
                    while !rest.is_empty() {
                        if max >= 0 && out.len() as i64 == max {
                            out.push(rest.to_string());
                            break;
                        }
                        let end = rest.find(is_space).unwrap_or(rest.len());
                        out.push(rest[..end].to_string());
                        rest = rest[end..].trim_start_matches(is_space);
                    }
                    out
                }
                Some(sep) if sep.is_empty() => {
                    return Err(Exception::new(ExcKind::ValueError, "empty separator"));
                }
                Some(sep) if max < 0 => s.split(sep.as_str()).map(String::from).collect(),
                Some(sep) => s
                    .splitn(max as usize + 1, sep.as_str())
                    .map(String::from)
                    .collect(),
            };
            let items = parts.into_iter().map(|p| o.new_str(p)).collect();
            o.new_list(items)
        }
        "join" => {
            exactly(1)?;
            let items = o.to_vec(pos[0]).map_err(|e| {
                if e.msg.ends_with("is not iterable") {
                    Exception::new(ExcKind::TypeError, "can only join an iterable")
                } else {
                    e
                }
            })?;
            let mut out = String::new();
            for (i, &v) in items.iter().enumerate() {
                let Some(t) = o.str_of(v) else {
                    return Err(Exception::new(
                        ExcKind::TypeError,
                        format!(
                            "sequence item {i}: expected str instance, {} found",
                            o.type_name(v)
                        ),
                    ));
                };
                if i > 0 {
                    out.push_str(&s);
                }
                out.push_str(t);
            }
            o.new_str(out)
        }
        "strip" | "lstrip" | "rstrip" => {
            at_most(1)?;
            let chars = str_arg(o, 0, "").map_err(|_| {
                Exception::new(
                    ExcKind::TypeError,
                    format!("{name} arg must be None or str"),
                )
            })?;
            let matches = |c: char| match &chars {
                None => is_space(c),
                Some(set) => set.contains(c),
            };
            let t = match name {
                "strip" => s.trim_matches(matches),
                "lstrip" => s.trim_start_matches(matches),
                _ => s.trim_end_matches(matches),
            };
            o.new_str(t.to_string())
        }
        "replace" => {
            if !(2..=3).contains(&n) {
                return Err(Exception::new(
                    ExcKind::TypeError,
                    format!("replace expected at least 2 arguments, got {n}"),
                ));
            }
            let what = "replace() argument 1 must be str, not ";
            let old = str_arg(o, 0, what)?.unwrap_or_default();
            let new = str_arg(o, 1, "replace() argument 2 must be str, not ")?.unwrap_or_default();
            let count = match pos.get(2) {
                Some(&v) => int_arg(o, v)?,
                None => -1,
            };
            let out = if count < 0 {
                s.replace(&old, &new)
            } else {
                s.replacen(&old, &new, count as usize)
            };
            o.new_str(out)
        }
        "upper" => {
            exactly(0)?;
            o.new_str(s.to_uppercase())
        }
        "lower" => {
            exactly(0)?;
            o.new_str(s.to_lowercase())
        }
        "title" => {
            exactly(0)?;
            let mut out = String::new();
            let mut prev_cased = false;
            for c in s.chars() {
                if prev_cased {
                    out.extend(c.to_lowercase());
                } else {
                    crate::strs::push_title(&mut out, c);
                }
                prev_cased = crate::strs::cased(c);
            }
            o.new_str(out)
        }
        _ if crate::strs::MORE_STR_METHODS.contains(&name) => {
            return crate::strs::str_method(o, &s, name, pos);
        }
        _ => return Err(Exception::no_attribute("str", name)),
    })
}

/// The string methods that only ask about `s` (a bool, an int or an error): on the
/// string where it is, no copy.
fn str_query(o: &Objects, s: &str, name: &str, pos: &[Value]) -> Result<Value, Exception> {
    let n = pos.len();
    let exactly = |want: usize| exact_args(name, n, want);
    Ok(match name {
        "startswith" | "endswith" | "find" | "rfind" | "index" | "rindex" | "count" => {
            if n == 0 || n > 3 {
                let bound = if n == 0 {
                    "at least 1 argument"
                } else {
                    "at most 3 arguments"
                };
                return Err(Exception::new(
                    ExcKind::TypeError,
                    format!("{name}() takes {bound} ({n} given)"),
                ));
            }
            // `s[start:end]` as CPython's ADJUST_INDICES makes it, in characters.
            let ascii = s.is_ascii();
            let chars = |t: &str| if t.is_ascii() { t.len() } else { t.chars().count() } as i64;
            let len = chars(s);
            let arg = |i: usize, default: i64| match pos.get(i) {
                None | Some(Value::None) => Ok(default),
                Some(&v) => slice_bound(
                    o,
                    v,
                    "slice indices must be integers or None or have an __index__ method",
                ),
            };
            let (mut start, mut end) = (arg(1, 0)?, arg(2, i64::MAX)?);
            if end > len {
                end = len;
            } else if end < 0 {
                end = end.saturating_add(len).max(0);
            }
            if start < 0 {
                start = start.saturating_add(len).max(0);
            }
            // The byte offset of character `i` (0 ≤ i ≤ len).
            let byte = |i: i64| {
                if ascii {
                    i as usize
                } else {
                    s.char_indices().nth(i as usize).map_or(s.len(), |(b, _)| b)
                }
            };
            if let "startswith" | "endswith" = name {
                let hit = |p: &str| {
                    let last = end - chars(p);
                    if last < start {
                        false
                    } else if name == "startswith" {
                        s[byte(start)..].starts_with(p)
                    } else {
                        &s[byte(last)..byte(end)] == p
                    }
                };
                let v = pos[0];
                if let Some(t) = o.str_of(v) {
                    return Ok(Value::Bool(hit(t)));
                }
                let (Value::Tuple(_), Some(items)) = (v, o.heap.items(v)) else {
                    return Err(Exception::new(
                        ExcKind::TypeError,
                        format!(
                            "{name} first arg must be str or a tuple of str, not {}",
                            o.type_name(v)
                        ),
                    ));
                };
                // As CPython: in order, true at the first match, an error at the first
                // item that is not a string before one.
                for x in items.iter() {
                    match o.str_of(x) {
                        Some(t) if hit(t) => return Ok(Value::Bool(true)),
                        Some(_) => {}
                        None => {
                            return Err(Exception::new(
                                ExcKind::TypeError,
                                format!(
                                    "tuple for {name} must only contain str, not {}",
                                    o.type_name(x)
                                ),
                            ));
                        }
                    }
                }
                return Ok(Value::Bool(false));
            }
            let sub = str_arg_of(o, pos, 0, "must be str, not ")?.unwrap_or_default();
            if end - start < chars(sub) {
                return match name {
                    "count" => Ok(Value::Int(0)),
                    "index" | "rindex" => {
                        Err(Exception::new(ExcKind::ValueError, "substring not found"))
                    }
                    _ => Ok(Value::Int(-1)),
                };
            }
            let region = &s[byte(start)..byte(end)];
            let at = |b: usize| start + chars(&region[..b]);
            match name {
                "count" if sub.is_empty() => Value::Int(end - start + 1),
                "count" => Value::Int(region.matches(sub).count() as i64),
                "find" => Value::Int(region.find(sub).map_or(-1, at)),
                "rfind" => Value::Int(region.rfind(sub).map_or(-1, at)),
                _ => match if name == "index" {
                    region.find(sub)
                } else {
                    region.rfind(sub)
                } {
                    Some(b) => Value::Int(at(b)),
                    None => {
                        return Err(Exception::new(ExcKind::ValueError, "substring not found"));
                    }
                },
            }
        }
        "isdigit" | "isalpha" | "isspace" => {
            exactly(0)?;
            let test: fn(char) -> bool = match name {
                "isdigit" => crate::strs::is_digit,
                "isalpha" => crate::strs::is_alpha,
                _ => is_space,
            };
            Value::Bool(!s.is_empty() && s.chars().all(test))
        }
        _ => return Err(Exception::no_attribute("str", name)),
    })
}

/// A start or end index as CPython takes slice indices: an int (one past 64 bits as the
/// end of the range it points beyond), or the TypeError `message`.
fn slice_bound(o: &Objects, v: Value, message: &'static str) -> Result<i64, Exception> {
    match v {
        Value::Big(_) => Ok(
            if o.bigs
                .num(v)
                .is_some_and(|n| n.sign() == num_bigint::Sign::Minus)
            {
                i64::MIN
            } else {
                i64::MAX
            },
        ),
        _ => v
            .as_int()
            .ok_or_else(|| Exception::new(ExcKind::TypeError, message)),
    }
}

/// Argument `i` of a string method as a string (None when absent or None), or the
/// TypeError `what` names.
fn str_arg_of<'a>(
    o: &'a Objects,
    pos: &[Value],
    i: usize,
    what: &str,
) -> Result<Option<&'a str>, Exception> {
    match pos.get(i) {
        None | Some(Value::None) => Ok(None),
        Some(&v) => o
            .str_of(v)
            .map(Some)
            .ok_or_else(|| Exception::new(ExcKind::TypeError, format!("{what}{}", o.type_name(v)))),
    }
}

/// CPython's TypeError when `str.name()` gets `n` arguments and takes exactly `want`.
fn exact_args(name: &str, n: usize, want: usize) -> Result<(), Exception> {
    if n == want {
        return Ok(());
    }
    Err(Exception::new(
        ExcKind::TypeError,
        match want {
            0 => format!("str.{name}() takes no arguments ({n} given)"),
            1 => format!("str.{name}() takes exactly one argument ({n} given)"),
            _ => format!("{name} expected {want} arguments, got {n}"),
        },
    ))
}

/// `x is y`: the same object (ints and strings by value where CPython shares them).
pub fn is(a: Value, b: Value) -> bool {
    a == b
}

/// A heap object's handle kept as a value (for `ListAppend` and friends).
pub fn list_push(o: &mut Objects, list: Value, x: Value) {
    o.heap.push(list, x);
}
