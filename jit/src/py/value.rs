//! Run-time values and Python's rules for them.

use super::ast::{BinOp, CmpOp};
use super::error::{ExcKind, Exception};
use alloc::format;

/// A minipy value. Strings exist only as print arguments (an index into the code's
/// constants); functions are code-object indices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    Int(i64),
    Bool(bool),
    None,
    Str(u32, u32),
    Func(u32),
    /// An unassigned local or global.
    Unbound,
}

impl Value {
    pub fn type_name(self) -> &'static str {
        match self {
            Value::Int(_) => "int",
            Value::Bool(_) => "bool",
            Value::None => "NoneType",
            Value::Str(..) => "str",
            Value::Func(_) => "function",
            Value::Unbound => "<unbound>",
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

    #[inline]
    pub fn truthy(self) -> bool {
        match self {
            Value::Int(i) => i != 0,
            Value::Bool(b) => b,
            Value::None | Value::Unbound => false,
            Value::Str(..) | Value::Func(_) => true,
        }
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

/// `a op b` with Python's semantics on 64-bit ints (OverflowError past them).
pub fn binary(op: BinOp, a: Value, b: Value) -> Result<Value, Exception> {
    let (Some(x), Some(y)) = (a.as_int(), b.as_int()) else {
        let sym = if op == BinOp::Pow {
            "** or pow()"
        } else {
            op.symbol()
        };
        return Err(unsupported(sym, a, b));
    };
    let ovf = Exception::overflow;
    Ok(Value::Int(match op {
        BinOp::Add => x.checked_add(y).ok_or_else(ovf)?,
        BinOp::Sub => x.checked_sub(y).ok_or_else(ovf)?,
        BinOp::Mul => x.checked_mul(y).ok_or_else(ovf)?,
        BinOp::FloorDiv => {
            if y == 0 {
                return Err(Exception::new(
                    ExcKind::ZeroDivisionError,
                    "integer division or modulo by zero",
                ));
            }
            floor_div(x, y).ok_or_else(ovf)?
        }
        BinOp::Mod => {
            if y == 0 {
                return Err(Exception::new(
                    ExcKind::ZeroDivisionError,
                    "integer modulo by zero",
                ));
            }
            floor_mod(x, y)
        }
        BinOp::Pow => pow(x, y)?,
        BinOp::LShift => {
            if y < 0 {
                return Err(Exception::new(ExcKind::ValueError, "negative shift count"));
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
                return Err(Exception::new(ExcKind::ValueError, "negative shift count"));
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

pub fn floor_div(x: i64, y: i64) -> Option<i64> {
    let q = x.checked_div(y)?;
    let r = x.wrapping_rem(y);
    Some(if r != 0 && (r ^ y) < 0 { q - 1 } else { q })
}

pub fn floor_mod(x: i64, y: i64) -> i64 {
    let r = x.wrapping_rem(y);
    if r != 0 && (r ^ y) < 0 { r + y } else { r }
}

fn pow(mut base: i64, mut exp: i64) -> Result<i64, Exception> {
    if exp < 0 {
        return Err(Exception::new(
            ExcKind::ValueError,
            "negative exponents are outside the minipy subset (Python would return a float)",
        ));
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

/// `a op b` for comparisons.
pub fn compare(op: CmpOp, a: Value, b: Value) -> Result<bool, Exception> {
    if let (Some(x), Some(y)) = (a.as_int(), b.as_int()) {
        return Ok(match op {
            CmpOp::Lt => x < y,
            CmpOp::Le => x <= y,
            CmpOp::Gt => x > y,
            CmpOp::Ge => x >= y,
            CmpOp::Eq => x == y,
            CmpOp::Ne => x != y,
        });
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
