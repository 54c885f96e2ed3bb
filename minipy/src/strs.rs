//! More of `str`: the methods past [`crate::builtins`]' first set (`splitlines`, `zfill`,
//! `center`, `partition`, `format` …), printf-style `%` formatting and `str.format`'s
//! replacement fields — each with CPython's results and error messages.

use crate::error::{ExcKind, Exception};
use crate::objects::Objects;
use crate::value::Value;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

pub use minipy_front::names::MORE_STR_METHODS;

fn wrong_count(name: &str, want: &str, n: usize) -> Exception {
    Exception::new(
        ExcKind::TypeError,
        format!(
            "{name} expected {want} argument{}, got {n}",
            if want == "1" || want.ends_with(" 1") {
                ""
            } else {
                "s"
            }
        ),
    )
}

/// `s.name(pos…)` for the methods in [`MORE_STR_METHODS`].
pub fn str_method(o: &mut Objects, s: &str, name: &str, pos: &[Value]) -> Result<Value, Exception> {
    let n = pos.len();
    let none = || -> Result<(), Exception> {
        if n == 0 {
            return Ok(());
        }
        Err(Exception::new(
            ExcKind::TypeError,
            format!("str.{name}() takes no arguments ({n} given)"),
        ))
    };
    let text = |o: &Objects, i: usize| -> Result<String, Exception> {
        let v = pos[i];
        o.str_of(v).map(String::from).ok_or_else(|| {
            Exception::new(
                ExcKind::TypeError,
                format!(
                    "{name}() argument {} must be str, not {}",
                    i + 1,
                    o.type_name(v)
                ),
            )
        })
    };
    let int = |o: &Objects, i: usize| -> Result<i64, Exception> {
        match pos[i] {
            Value::Int(k) => Ok(k),
            Value::Bool(b) => Ok(b as i64),
            v => Err(Exception::new(
                ExcKind::TypeError,
                format!(
                    "'{}' object cannot be interpreted as an integer",
                    o.type_name(v)
                ),
            )),
        }
    };
    let test = |f: fn(&str) -> bool| -> Result<Value, Exception> {
        none()?;
        Ok(Value::Bool(f(s)))
    };
    Ok(match name {
        "splitlines" => {
            if n > 1 {
                return Err(wrong_count("splitlines", "at most 1", n));
            }
            let keep = pos.first().is_some_and(|&v| o.truthy(v));
            let lines = split_lines(s, keep);
            let items = lines.into_iter().map(|l| o.new_str(l)).collect();
            o.new_list(items)
        }
        "isalnum" => test(|s| !s.is_empty() && s.chars().all(is_alnum))?,
        "isdecimal" => test(|s| !s.is_empty() && s.chars().all(is_decimal))?,
        "isnumeric" => test(|s| !s.is_empty() && s.chars().all(is_numeric))?,
        "isupper" | "islower" => {
            none()?;
            let upper = name == "isupper";
            let cased = s.chars().filter(|c| c.is_uppercase() || c.is_lowercase());
            let mut any = false;
            let mut all = true;
            for c in cased {
                any = true;
                all &= if upper {
                    c.is_uppercase()
                } else {
                    c.is_lowercase()
                };
            }
            Value::Bool(any && all)
        }
        "istitle" => test(is_title)?,
        "zfill" => {
            exactly_one("zfill", n)?;
            let width = int(o, 0)?.max(0) as usize;
            let len = s.chars().count();
            let mut out = String::from(s);
            if width > len {
                let fill = "0".repeat(width - len);
                let at = if s.starts_with('+') || s.starts_with('-') {
                    1
                } else {
                    0
                };
                out.insert_str(at, &fill);
            }
            o.new_str(out)
        }
        "center" | "ljust" | "rjust" => {
            if !(1..=2).contains(&n) {
                return Err(wrong_count(name, "at least 1", n).at_most(name, n));
            }
            let width = int(o, 0)?.max(0) as usize;
            let fill = match pos.get(1) {
                None => ' ',
                Some(&v) => {
                    let f = o.str_of(v).ok_or_else(|| {
                        Exception::new(
                            ExcKind::TypeError,
                            format!(
                                "The fill character must be a unicode character, not {}",
                                o.type_name(v)
                            ),
                        )
                    })?;
                    let mut cs = f.chars();
                    match (cs.next(), cs.next()) {
                        (Some(c), None) => c,
                        _ => {
                            return Err(Exception::new(
                                ExcKind::TypeError,
                                "The fill character must be exactly one character long",
                            ));
                        }
                    }
                }
            };
            let len = s.chars().count();
            let pad = width.saturating_sub(len);
            let (left, right) = match name {
                "ljust" => (0, pad),
                "rjust" => (pad, 0),
                // CPython's center puts the odd one on the left when the width is odd.
                _ => {
                    let left = pad / 2 + (pad & width & 1);
                    (left, pad - left)
                }
            };
            let f = String::from(fill);
            o.new_str(format!("{}{s}{}", f.repeat(left), f.repeat(right)))
        }
        "partition" | "rpartition" => {
            exactly_one(name, n)?;
            let sep = o.str_of(pos[0]).map(String::from).ok_or_else(|| {
                Exception::new(
                    ExcKind::TypeError,
                    format!("must be str, not {}", o.type_name(pos[0])),
                )
            })?;
            if sep.is_empty() {
                return Err(Exception::new(ExcKind::ValueError, "empty separator"));
            }
            let found = if name == "partition" {
                s.find(&sep)
            } else {
                s.rfind(&sep)
            };
            let parts = match found {
                Some(i) => [&s[..i], sep.as_str(), &s[i + sep.len()..]],
                None if name == "partition" => [s, "", ""],
                None => ["", "", s],
            };
            let items = parts.iter().map(|p| o.new_str(p.to_string())).collect();
            o.new_tuple(items)
        }
        "capitalize" => {
            none()?;
            let mut cs = s.chars();
            let mut out = String::new();
            if let Some(c) = cs.next() {
                push_title(&mut out, c);
                out.extend(cs.flat_map(char::to_lowercase));
            }
            o.new_str(out)
        }
        "swapcase" => {
            none()?;
            let out: String = s
                .chars()
                .flat_map(|c| -> Vec<char> {
                    if c.is_uppercase() {
                        c.to_lowercase().collect()
                    } else {
                        c.to_uppercase().collect()
                    }
                })
                .collect();
            o.new_str(out)
        }
        "removeprefix" | "removesuffix" => {
            exactly_one(name, n)?;
            let a = text(o, 0)?;
            let out = if name == "removeprefix" {
                s.strip_prefix(a.as_str())
            } else {
                s.strip_suffix(a.as_str())
            };
            o.new_str(out.unwrap_or(s).to_string())
        }
        "rsplit" => {
            if n > 2 {
                return Err(wrong_count("rsplit", "at most 2", n));
            }
            let sep = match pos.first() {
                None | Some(Value::None) => None,
                Some(_) => Some(text(o, 0)?),
            };
            let max = if n > 1 { int(o, 1)? } else { -1 };
            let parts = rsplit(s, sep.as_deref(), max)?;
            let items = parts.into_iter().map(|p| o.new_str(p)).collect();
            o.new_list(items)
        }
        "format" => {
            let out = format_fields(o, s, pos, &[])?;
            o.new_str(out)
        }
        "format_map" => {
            exactly_one("format_map", n)?;
            format_map(o, s, pos[0])?
        }
        "isascii" => test(|s| s.is_ascii())?,
        "isprintable" => test(|s| s.chars().all(crate::value::printable))?,
        "expandtabs" => {
            if n > 1 {
                return Err(Exception::new(
                    ExcKind::TypeError,
                    format!("expandtabs() takes at most 1 argument ({n} given)"),
                ));
            }
            let size = if n == 1 { int(o, 0)? } else { 8 };
            o.new_str(expand_tabs(s, size))
        }
        "maketrans" => maketrans(o, pos)?,
        "translate" => {
            exactly_one("translate", n)?;
            translate(o, s, pos[0])?
        }
        _ => return Err(Exception::no_attribute("str", name)),
    })
}

/// CPython's error for a method of one argument called with `n` (`str.zfill()` …).
fn exactly_one(name: &str, n: usize) -> Result<(), Exception> {
    if n == 1 {
        return Ok(());
    }
    Err(Exception::new(
        ExcKind::TypeError,
        format!("str.{name}() takes exactly one argument ({n} given)"),
    ))
}

/// `s.format_map(mapping)`: `str.format` with the named fields looked up in a dict (its
/// string keys); as CPython's, positional fields are a ValueError, and a mapping that is no
/// dict is asked for a field only if there is one (a TypeError: not subscriptable).
fn format_map(o: &mut Objects, s: &str, mapping: Value) -> Result<Value, Exception> {
    let named: Vec<(String, Value)> = match o.dict(mapping) {
        Some(d) => d
            .iter()
            .filter_map(|e| Some((String::from(o.str_of(e.key)?), e.value)))
            .collect(),
        None => Vec::new(),
    };
    let kw: Vec<(&str, Value)> = named.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    match format_fields(o, s, &[], &kw) {
        Ok(out) => Ok(o.new_str(out)),
        Err(e) if e.kind == ExcKind::IndexError && e.msg.starts_with("Replacement index") => {
            Err(value_error("Format string contains positional fields"))
        }
        Err(e) if e.kind == ExcKind::KeyError && o.dict(mapping).is_none() => Err(Exception::new(
            ExcKind::TypeError,
            format!("'{}' object is not subscriptable", o.type_name(mapping)),
        )),
        Err(e) => Err(e),
    }
}

/// `s.expandtabs(size)` as CPython's: each tab becomes the spaces to the next multiple of
/// `size` columns (none when `size` ≤ 0), the column counted in code points from the last
/// `\n` or `\r`.
fn expand_tabs(s: &str, size: i64) -> String {
    let mut out = String::with_capacity(s.len());
    let mut col = 0i64;
    for c in s.chars() {
        match c {
            '\t' => {
                if size > 0 {
                    let pad = size - col % size;
                    out.extend(core::iter::repeat_n(' ', pad as usize));
                    col += pad;
                }
            }
            '\n' | '\r' => {
                out.push(c);
                col = 0;
            }
            _ => {
                out.push(c);
                col += 1;
            }
        }
    }
    out
}

/// `str.maketrans(x[, y[, z]])` (a static method: of `str` or of any string), as
/// CPython's `unicode_maketrans_impl`: a dict from code points to code points, strings
/// or None.
pub fn maketrans(o: &mut Objects, pos: &[Value]) -> Result<Value, Exception> {
    match pos.len() {
        0 => return Err(wrong_count("maketrans", "at least 1", 0)),
        n @ 4.. => return Err(wrong_count("maketrans", "at most 3", n)),
        _ => {}
    }
    let type_error = |m: &str| Exception::new(ExcKind::TypeError, m);
    let mut table = crate::dict::Dict::default();
    let out = o.new_dict(core::mem::take(&mut table));
    if pos.len() == 1 {
        let Some(d) = o.dict(pos[0]) else {
            return Err(type_error(
                "if you give only one argument to maketrans it must be a dict",
            ));
        };
        let pairs: Vec<(Value, Value)> = d.iter().map(|e| (e.key, e.value)).collect();
        for (k, v) in pairs {
            let key = match (k, o.str_of(k)) {
                (Value::Int(_) | Value::Bool(_), _) => k,
                (_, Some(t)) => {
                    let mut cs = t.chars();
                    match (cs.next(), cs.next()) {
                        (Some(c), None) => Value::Int(c as i64),
                        _ => {
                            return Err(Exception::new(
                                ExcKind::ValueError,
                                "string keys in translate table must be of length 1",
                            ));
                        }
                    }
                }
                _ => {
                    return Err(type_error(
                        "keys in translate table must be strings or integers",
                    ));
                }
            };
            o.dict_set(out, key, v)?;
        }
        return Ok(out);
    }
    let arg = |o: &Objects, i: usize| -> Result<String, Exception> {
        o.str_of(pos[i]).map(String::from).ok_or_else(|| {
            type_error(&format!(
                "maketrans() argument {} must be str, not {}",
                i + 1,
                o.type_name(pos[i])
            ))
        })
    };
    let y = arg(o, 1)?;
    let z = if pos.len() == 3 {
        Some(arg(o, 2)?)
    } else {
        None
    };
    let Some(x) = o.str_of(pos[0]).map(String::from) else {
        return Err(type_error(
            "first maketrans argument must be a string if there is a second argument",
        ));
    };
    if x.chars().count() != y.chars().count() {
        return Err(Exception::new(
            ExcKind::ValueError,
            "the first two maketrans arguments must have equal length",
        ));
    }
    for (a, b) in x.chars().zip(y.chars()) {
        o.dict_set(out, Value::Int(a as i64), Value::Int(b as i64))?;
    }
    for c in z.iter().flat_map(|z| z.chars()) {
        o.dict_set(out, Value::Int(c as i64), Value::None)?;
    }
    Ok(out)
}

/// `s.translate(table)`: each character looked up by its code point in `table` (a dict,
/// or a list, tuple or string indexed by it); one not found stays, None deletes it, an int
/// or a string replaces it.
fn translate(o: &mut Objects, s: &str, table: Value) -> Result<Value, Exception> {
    let is_dict = o.dict(table).is_some();
    if !is_dict && o.heap.items(table).is_none() && o.str_of(table).is_none() {
        return Err(Exception::not_subscriptable(o.type_name(table)));
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let code = c as i64;
        let found = if is_dict {
            o.dict_lookup(table, Value::Int(code))?
        } else if let Some(items) = o.heap.items(table) {
            items.get(code as usize)
        } else {
            o.str_of(table)
                .and_then(|t| t.chars().nth(code as usize))
                .map(|ch| o.new_str(String::from(ch)))
        };
        match found {
            None => out.push(c),
            Some(Value::None) => {}
            Some(Value::Int(k)) => match u32::try_from(k).ok().and_then(char::from_u32) {
                Some(ch) => out.push(ch),
                None => {
                    return Err(Exception::new(
                        ExcKind::ValueError,
                        "character mapping must be in range(0x110000)",
                    ));
                }
            },
            Some(Value::Bool(b)) => out.push(if b { '\u{1}' } else { '\0' }),
            Some(v) => match o.str_of(v) {
                Some(t) => out.push_str(t),
                None => {
                    return Err(Exception::new(
                        ExcKind::TypeError,
                        "character mapping must return integer, None or str",
                    ));
                }
            },
        }
    }
    Ok(o.new_str(out))
}

/// After a `%`: the key of `%(key)…` (parentheses nest in it), if there is one.
fn percent_key(
    chars: &mut core::iter::Peekable<core::str::Chars<'_>>,
) -> Result<Option<String>, Exception> {
    if chars.peek() != Some(&'(') {
        return Ok(None);
    }
    chars.next();
    let (mut key, mut open) = (String::new(), 1);
    loop {
        let Some(k) = chars.next() else {
            return Err(Exception::new(ExcKind::ValueError, "incomplete format key"));
        };
        match k {
            '(' => open += 1,
            ')' => open -= 1,
            _ => {}
        }
        if open == 0 {
            return Ok(Some(key));
        }
        key.push(k);
    }
}

trait AtMost {
    fn at_most(self, name: &str, n: usize) -> Exception;
}

impl AtMost for Exception {
    /// The "at most 2" form when there were too many.
    fn at_most(self, name: &str, n: usize) -> Exception {
        if n > 2 {
            wrong_count(name, "at most 2", n)
        } else {
            self
        }
    }
}

// Python's digit classes of Unicode 14.0 (CPython 3.11's `unicodedata`), where Rust's
// `char` has no such question: a decimal digit (category Nd, which `int()` reads), a
// digit (Numeric_Type Digit: decimal digits, superscripts, circled digits …), a numeric
// character (any numeric value: the N categories and CJK numerals …).
/// The zero of each run of ten decimal digits (category Nd).
const DECIMAL_ZEROS: [u32; 66] = [
    0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66,
    0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90,
    0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10,
    0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650,
    0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60, 0x16ac0, 0x16b50,
    0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0,
];
/// Digits that are not decimal (superscripts, circled digits …), as inclusive ranges.
const DIGITS_NOT_DECIMAL: [(u32, u32); 20] = [
    (0xb2, 0xb3),
    (0xb9, 0xb9),
    (0x1369, 0x1371),
    (0x19da, 0x19da),
    (0x2070, 0x2070),
    (0x2074, 0x2079),
    (0x2080, 0x2089),
    (0x2460, 0x2468),
    (0x2474, 0x247c),
    (0x2488, 0x2490),
    (0x24ea, 0x24ea),
    (0x24f5, 0x24fd),
    (0x24ff, 0x24ff),
    (0x2776, 0x277e),
    (0x2780, 0x2788),
    (0x278a, 0x2792),
    (0x10a40, 0x10a43),
    (0x10e60, 0x10e68),
    (0x11052, 0x1105a),
    (0x1f100, 0x1f10a),
];
/// Characters with a numeric value outside the N categories (CJK numerals …), as inclusive ranges.
const NUMERIC_LETTERS: [(u32, u32); 72] = [
    (0x3405, 0x3405),
    (0x3483, 0x3483),
    (0x382a, 0x382a),
    (0x3b4d, 0x3b4d),
    (0x4e00, 0x4e00),
    (0x4e03, 0x4e03),
    (0x4e07, 0x4e07),
    (0x4e09, 0x4e09),
    (0x4e5d, 0x4e5d),
    (0x4e8c, 0x4e8c),
    (0x4e94, 0x4e94),
    (0x4e96, 0x4e96),
    (0x4ebf, 0x4ec0),
    (0x4edf, 0x4edf),
    (0x4ee8, 0x4ee8),
    (0x4f0d, 0x4f0d),
    (0x4f70, 0x4f70),
    (0x5104, 0x5104),
    (0x5146, 0x5146),
    (0x5169, 0x5169),
    (0x516b, 0x516b),
    (0x516d, 0x516d),
    (0x5341, 0x5341),
    (0x5343, 0x5345),
    (0x534c, 0x534c),
    (0x53c1, 0x53c4),
    (0x56db, 0x56db),
    (0x58f1, 0x58f1),
    (0x58f9, 0x58f9),
    (0x5e7a, 0x5e7a),
    (0x5efe, 0x5eff),
    (0x5f0c, 0x5f0e),
    (0x5f10, 0x5f10),
    (0x62fe, 0x62fe),
    (0x634c, 0x634c),
    (0x67d2, 0x67d2),
    (0x6f06, 0x6f06),
    (0x7396, 0x7396),
    (0x767e, 0x767e),
    (0x8086, 0x8086),
    (0x842c, 0x842c),
    (0x8cae, 0x8cae),
    (0x8cb3, 0x8cb3),
    (0x8d30, 0x8d30),
    (0x9621, 0x9621),
    (0x9646, 0x9646),
    (0x964c, 0x964c),
    (0x9678, 0x9678),
    (0x96f6, 0x96f6),
    (0xf96b, 0xf96b),
    (0xf973, 0xf973),
    (0xf978, 0xf978),
    (0xf9b2, 0xf9b2),
    (0xf9d1, 0xf9d1),
    (0xf9d3, 0xf9d3),
    (0xf9fd, 0xf9fd),
    (0x20001, 0x20001),
    (0x20064, 0x20064),
    (0x200e2, 0x200e2),
    (0x20121, 0x20121),
    (0x2092a, 0x2092a),
    (0x20983, 0x20983),
    (0x2098c, 0x2098c),
    (0x2099c, 0x2099c),
    (0x20aea, 0x20aea),
    (0x20afd, 0x20afd),
    (0x20b19, 0x20b19),
    (0x22390, 0x22390),
    (0x22998, 0x22998),
    (0x23b1b, 0x23b1b),
    (0x2626d, 0x2626d),
    (0x2f890, 0x2f890),
];

/// What Rust 1.95 calls alphabetic (and not numeric) that Unicode 14.0 does not call a
/// letter: marks and symbols of the Other_Alphabetic property, and characters assigned since.
const NOT_LETTERS: [(u32, u32); 295] = [
    (0x345, 0x345),
    (0x363, 0x36f),
    (0x5b0, 0x5bd),
    (0x5bf, 0x5bf),
    (0x5c1, 0x5c2),
    (0x5c4, 0x5c5),
    (0x5c7, 0x5c7),
    (0x610, 0x61a),
    (0x64b, 0x657),
    (0x659, 0x65f),
    (0x670, 0x670),
    (0x6d6, 0x6dc),
    (0x6e1, 0x6e4),
    (0x6e7, 0x6e8),
    (0x6ed, 0x6ed),
    (0x711, 0x711),
    (0x730, 0x73f),
    (0x7a6, 0x7b0),
    (0x816, 0x817),
    (0x81b, 0x823),
    (0x825, 0x827),
    (0x829, 0x82c),
    (0x88f, 0x88f),
    (0x897, 0x897),
    (0x8d4, 0x8df),
    (0x8e3, 0x8e9),
    (0x8f0, 0x903),
    (0x93a, 0x93b),
    (0x93e, 0x94c),
    (0x94e, 0x94f),
    (0x955, 0x957),
    (0x962, 0x963),
    (0x981, 0x983),
    (0x9be, 0x9c4),
    (0x9c7, 0x9c8),
    (0x9cb, 0x9cc),
    (0x9d7, 0x9d7),
    (0x9e2, 0x9e3),
    (0xa01, 0xa03),
    (0xa3e, 0xa42),
    (0xa47, 0xa48),
    (0xa4b, 0xa4c),
    (0xa51, 0xa51),
    (0xa70, 0xa71),
    (0xa75, 0xa75),
    (0xa81, 0xa83),
    (0xabe, 0xac5),
    (0xac7, 0xac9),
    (0xacb, 0xacc),
    (0xae2, 0xae3),
    (0xafa, 0xafc),
    (0xb01, 0xb03),
    (0xb3e, 0xb44),
    (0xb47, 0xb48),
    (0xb4b, 0xb4c),
    (0xb56, 0xb57),
    (0xb62, 0xb63),
    (0xb82, 0xb82),
    (0xbbe, 0xbc2),
    (0xbc6, 0xbc8),
    (0xbca, 0xbcc),
    (0xbd7, 0xbd7),
    (0xc00, 0xc04),
    (0xc3e, 0xc44),
    (0xc46, 0xc48),
    (0xc4a, 0xc4c),
    (0xc55, 0xc56),
    (0xc5c, 0xc5c),
    (0xc62, 0xc63),
    (0xc81, 0xc83),
    (0xcbe, 0xcc4),
    (0xcc6, 0xcc8),
    (0xcca, 0xccc),
    (0xcd5, 0xcd6),
    (0xcdc, 0xcdc),
    (0xce2, 0xce3),
    (0xcf3, 0xcf3),
    (0xd00, 0xd03),
    (0xd3e, 0xd44),
    (0xd46, 0xd48),
    (0xd4a, 0xd4c),
    (0xd57, 0xd57),
    (0xd62, 0xd63),
    (0xd81, 0xd83),
    (0xdcf, 0xdd4),
    (0xdd6, 0xdd6),
    (0xdd8, 0xddf),
    (0xdf2, 0xdf3),
    (0xe31, 0xe31),
    (0xe34, 0xe3a),
    (0xe4d, 0xe4d),
    (0xeb1, 0xeb1),
    (0xeb4, 0xeb9),
    (0xebb, 0xebc),
    (0xecd, 0xecd),
    (0xf71, 0xf83),
    (0xf8d, 0xf97),
    (0xf99, 0xfbc),
    (0x102b, 0x1036),
    (0x1038, 0x1038),
    (0x103b, 0x103e),
    (0x1056, 0x1059),
    (0x105e, 0x1060),
    (0x1062, 0x1064),
    (0x1067, 0x106d),
    (0x1071, 0x1074),
    (0x1082, 0x108d),
    (0x108f, 0x108f),
    (0x109a, 0x109d),
    (0x1712, 0x1713),
    (0x1732, 0x1733),
    (0x1752, 0x1753),
    (0x1772, 0x1773),
    (0x17b6, 0x17c8),
    (0x1885, 0x1886),
    (0x18a9, 0x18a9),
    (0x1920, 0x192b),
    (0x1930, 0x1938),
    (0x1a17, 0x1a1b),
    (0x1a55, 0x1a5e),
    (0x1a61, 0x1a74),
    (0x1abf, 0x1ac0),
    (0x1acc, 0x1ace),
    (0x1b00, 0x1b04),
    (0x1b35, 0x1b43),
    (0x1b80, 0x1b82),
    (0x1ba1, 0x1ba9),
    (0x1bac, 0x1bad),
    (0x1be7, 0x1bf1),
    (0x1c24, 0x1c36),
    (0x1c89, 0x1c8a),
    (0x1dd3, 0x1df4),
    (0x24b6, 0x24e9),
    (0x2de0, 0x2dff),
    (0xa674, 0xa67b),
    (0xa69e, 0xa69f),
    (0xa7cb, 0xa7cf),
    (0xa7d2, 0xa7d2),
    (0xa7d4, 0xa7d4),
    (0xa7da, 0xa7dc),
    (0xa7f1, 0xa7f1),
    (0xa802, 0xa802),
    (0xa80b, 0xa80b),
    (0xa823, 0xa827),
    (0xa880, 0xa881),
    (0xa8b4, 0xa8c3),
    (0xa8c5, 0xa8c5),
    (0xa8ff, 0xa8ff),
    (0xa926, 0xa92a),
    (0xa947, 0xa952),
    (0xa980, 0xa983),
    (0xa9b4, 0xa9bf),
    (0xa9e5, 0xa9e5),
    (0xaa29, 0xaa36),
    (0xaa43, 0xaa43),
    (0xaa4c, 0xaa4d),
    (0xaa7b, 0xaa7d),
    (0xaab0, 0xaab0),
    (0xaab2, 0xaab4),
    (0xaab7, 0xaab8),
    (0xaabe, 0xaabe),
    (0xaaeb, 0xaaef),
    (0xaaf5, 0xaaf5),
    (0xabe3, 0xabea),
    (0xfb1e, 0xfb1e),
    (0x10376, 0x1037a),
    (0x105c0, 0x105f3),
    (0x10940, 0x10959),
    (0x10a01, 0x10a03),
    (0x10a05, 0x10a06),
    (0x10a0c, 0x10a0f),
    (0x10d24, 0x10d27),
    (0x10d4a, 0x10d65),
    (0x10d69, 0x10d69),
    (0x10d6f, 0x10d85),
    (0x10eab, 0x10eac),
    (0x10ec2, 0x10ec7),
    (0x10efa, 0x10efc),
    (0x11000, 0x11002),
    (0x11038, 0x11045),
    (0x11073, 0x11074),
    (0x11080, 0x11082),
    (0x110b0, 0x110b8),
    (0x110c2, 0x110c2),
    (0x11100, 0x11102),
    (0x11127, 0x11132),
    (0x11145, 0x11146),
    (0x11180, 0x11182),
    (0x111b3, 0x111bf),
    (0x111ce, 0x111cf),
    (0x1122c, 0x11234),
    (0x11237, 0x11237),
    (0x1123e, 0x11241),
    (0x112df, 0x112e8),
    (0x11300, 0x11303),
    (0x1133e, 0x11344),
    (0x11347, 0x11348),
    (0x1134b, 0x1134c),
    (0x11357, 0x11357),
    (0x11362, 0x11363),
    (0x11380, 0x11389),
    (0x1138b, 0x1138b),
    (0x1138e, 0x1138e),
    (0x11390, 0x113b5),
    (0x113b7, 0x113c0),
    (0x113c2, 0x113c2),
    (0x113c5, 0x113c5),
    (0x113c7, 0x113ca),
    (0x113cc, 0x113cd),
    (0x113d1, 0x113d1),
    (0x113d3, 0x113d3),
    (0x11435, 0x11441),
    (0x11443, 0x11445),
    (0x114b0, 0x114c1),
    (0x115af, 0x115b5),
    (0x115b8, 0x115be),
    (0x115dc, 0x115dd),
    (0x11630, 0x1163e),
    (0x11640, 0x11640),
    (0x116ab, 0x116b5),
    (0x1171d, 0x1172a),
    (0x1182c, 0x11838),
    (0x11930, 0x11935),
    (0x11937, 0x11938),
    (0x1193b, 0x1193c),
    (0x11940, 0x11940),
    (0x11942, 0x11942),
    (0x119d1, 0x119d7),
    (0x119da, 0x119df),
    (0x119e4, 0x119e4),
    (0x11a01, 0x11a0a),
    (0x11a35, 0x11a39),
    (0x11a3b, 0x11a3e),
    (0x11a51, 0x11a5b),
    (0x11a8a, 0x11a97),
    (0x11b60, 0x11b67),
    (0x11bc0, 0x11be0),
    (0x11c2f, 0x11c36),
    (0x11c38, 0x11c3e),
    (0x11c92, 0x11ca7),
    (0x11ca9, 0x11cb6),
    (0x11d31, 0x11d36),
    (0x11d3a, 0x11d3a),
    (0x11d3c, 0x11d3d),
    (0x11d3f, 0x11d41),
    (0x11d43, 0x11d43),
    (0x11d47, 0x11d47),
    (0x11d8a, 0x11d8e),
    (0x11d90, 0x11d91),
    (0x11d93, 0x11d96),
    (0x11db0, 0x11ddb),
    (0x11ef3, 0x11ef6),
    (0x11f00, 0x11f10),
    (0x11f12, 0x11f3a),
    (0x11f3e, 0x11f40),
    (0x1342f, 0x1342f),
    (0x13441, 0x13446),
    (0x13460, 0x143fa),
    (0x16100, 0x1612e),
    (0x16d40, 0x16d6c),
    (0x16ea0, 0x16eb8),
    (0x16ebb, 0x16ed3),
    (0x16f4f, 0x16f4f),
    (0x16f51, 0x16f87),
    (0x16f8f, 0x16f92),
    (0x16ff0, 0x16ff3),
    (0x187f8, 0x187ff),
    (0x18cff, 0x18cff),
    (0x18d09, 0x18d1e),
    (0x18d80, 0x18df2),
    (0x1b132, 0x1b132),
    (0x1b155, 0x1b155),
    (0x1bc9e, 0x1bc9e),
    (0x1df25, 0x1df2a),
    (0x1e000, 0x1e006),
    (0x1e008, 0x1e018),
    (0x1e01b, 0x1e021),
    (0x1e023, 0x1e024),
    (0x1e026, 0x1e02a),
    (0x1e030, 0x1e06d),
    (0x1e08f, 0x1e08f),
    (0x1e4d0, 0x1e4eb),
    (0x1e5d0, 0x1e5ed),
    (0x1e5f0, 0x1e5f0),
    (0x1e6c0, 0x1e6de),
    (0x1e6e0, 0x1e6f5),
    (0x1e6fe, 0x1e6ff),
    (0x1e947, 0x1e947),
    (0x1f130, 0x1f149),
    (0x1f150, 0x1f169),
    (0x1f170, 0x1f189),
    (0x2b739, 0x2b73f),
    (0x2cea2, 0x2cead),
    (0x2ebf0, 0x2ee5d),
    (0x31350, 0x33479),
];

fn in_ranges(ranges: &[(u32, u32)], c: char) -> bool {
    let n = c as u32;
    let i = ranges.partition_point(|&(_, hi)| hi < n);
    ranges.get(i).is_some_and(|&(lo, _)| lo <= n)
}

/// The value of decimal digit `c` (any script's, as `int()` and `str.isdecimal` take them).
pub fn decimal_value(c: char) -> Option<u32> {
    let n = c as u32;
    if n < 0x80 {
        return c.to_digit(10);
    }
    let i = DECIMAL_ZEROS.partition_point(|&z| z <= n);
    let zero = *DECIMAL_ZEROS.get(i.checked_sub(1)?)?;
    (n < zero + 10).then(|| n - zero)
}

pub fn is_decimal(c: char) -> bool {
    decimal_value(c).is_some()
}

/// `str.isdigit` of one character.
pub fn is_digit(c: char) -> bool {
    is_decimal(c) || in_ranges(&DIGITS_NOT_DECIMAL, c)
}

/// `str.isnumeric` of one character.
pub fn is_numeric(c: char) -> bool {
    c.is_numeric() || in_ranges(&NUMERIC_LETTERS, c)
}

/// `str.isalpha` of one character: a letter (the L categories). Rust's Alphabetic adds
/// the letter numbers (Nl: `Ⅷ`) and the marks of Other_Alphabetic (`ा`), left out here.
pub fn is_alpha(c: char) -> bool {
    c.is_alphabetic() && !c.is_numeric() && !in_ranges(&NOT_LETTERS, c)
}

/// `str.isalnum` of one character.
pub fn is_alnum(c: char) -> bool {
    is_alpha(c) || is_numeric(c)
}

/// Whether `c` has case (CPython's `_PyUnicode_IsCased`: upper, lower or title case).
pub fn cased(c: char) -> bool {
    c.is_uppercase() || c.is_lowercase() || titlecase_letter(c)
}

/// The letters of category Lt (a capital and a small letter in one).
fn titlecase_letter(c: char) -> bool {
    matches!(c as u32, 0x1c5 | 0x1c8 | 0x1cb | 0x1f2 | 0x1f88..=0x1f8f | 0x1f98..=0x1f9f
        | 0x1fa8..=0x1faf | 0x1fbc | 0x1fcc | 0x1ffc)
}

/// Appends `c` in title case (CPython's `_PyUnicode_ToTitleFull`): upper case but for the
/// digraphs, whose title form is their own letter (`ǆ` → `ǅ`), the letters whose upper
/// case is two (`ß` → `Ss`, `ﬁ` → `Fi`), and Greek letters with a subscript iota.
pub fn push_title(out: &mut String, c: char) {
    let special: Option<&str> = match c {
        'Ǆ' | 'ǅ' | 'ǆ' => Some("ǅ"),
        'Ǉ' | 'ǈ' | 'ǉ' => Some("ǈ"),
        'Ǌ' | 'ǋ' | 'ǌ' => Some("ǋ"),
        'Ǳ' | 'ǲ' | 'ǳ' => Some("ǲ"),
        'ß' => Some("Ss"),
        'ﬀ' => Some("Ff"),
        'ﬁ' => Some("Fi"),
        'ﬂ' => Some("Fl"),
        'ﬃ' => Some("Ffi"),
        'ﬄ' => Some("Ffl"),
        'ﬅ' | 'ﬆ' => Some("St"),
        'և' => Some("Եւ"),
        'ﬓ' => Some("Մն"),
        'ﬔ' => Some("Մե"),
        'ﬕ' => Some("Մի"),
        'ﬖ' => Some("Վն"),
        'ﬗ' => Some("Մխ"),
        'ŉ' => Some("ʼN"),
        _ => None,
    };
    if let Some(t) = special {
        out.push_str(t);
        return;
    }
    let n = c as u32;
    let greek = match n {
        0x1f80..=0x1f87 | 0x1f90..=0x1f97 | 0x1fa0..=0x1fa7 => Some(n + 8),
        0x1f88..=0x1f8f | 0x1f98..=0x1f9f | 0x1fa8..=0x1faf | 0x1fbc | 0x1fcc | 0x1ffc => Some(n),
        0x1fb3 | 0x1fc3 | 0x1ff3 => Some(n + 9),
        _ => None,
    };
    match greek.and_then(char::from_u32) {
        Some(t) => out.push(t),
        None => out.extend(c.to_uppercase()),
    }
}

fn is_title(s: &str) -> bool {
    let mut any = false;
    let mut prev_cased = false;
    for c in s.chars() {
        if c.is_uppercase() || titlecase_letter(c) {
            if prev_cased {
                return false;
            }
            prev_cased = true;
            any = true;
        } else if c.is_lowercase() {
            if !prev_cased {
                return false;
            }
            prev_cased = true;
            any = true;
        } else {
            prev_cased = false;
        }
    }
    any
}

/// `str.splitlines`: at `\n`, `\r`, `\r\n` and the other line boundaries CPython knows.
fn split_lines(s: &str, keep: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let boundary = matches!(
            c,
            '\n' | '\r'
                | '\x0b'
                | '\x0c'
                | '\x1c'
                | '\x1d'
                | '\x1e'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        );
        if !boundary {
            continue;
        }
        let mut end = i + c.len_utf8();
        if c == '\r' && it.peek().is_some_and(|&(_, d)| d == '\n') {
            it.next();
            end += 1;
        }
        out.push(String::from(if keep {
            &s[start..end]
        } else {
            &s[start..i]
        }));
        start = end;
    }
    if start < s.len() {
        out.push(String::from(&s[start..]));
    }
    out
}

/// `str.rsplit(sep, maxsplit)`.
fn rsplit(s: &str, sep: Option<&str>, max: i64) -> Result<Vec<String>, Exception> {
    let mut out: Vec<String> = Vec::new();
    match sep {
        Some("") => return Err(Exception::new(ExcKind::ValueError, "empty separator")),
        Some(sep) => {
            let mut rest = s;
            while max < 0 || (out.len() as i64) < max {
                match rest.rfind(sep) {
                    Some(i) => {
                        out.push(String::from(&rest[i + sep.len()..]));
                        rest = &rest[..i];
                    }
                    None => break,
                }
            }
            out.push(String::from(rest));
        }
        None => {
            let mut rest = s.trim_end();
            while !rest.is_empty() {
                if max >= 0 && out.len() as i64 >= max {
                    out.push(String::from(rest));
                    break;
                }
                match rest.rfind(char::is_whitespace) {
                    Some(i) => {
                        let w = rest[i..].chars().next().map_or(1, char::len_utf8);
                        out.push(String::from(&rest[i + w..]));
                        rest = rest[..i].trim_end();
                    }
                    None => {
                        out.push(String::from(rest));
                        break;
                    }
                }
            }
        }
    }
    out.reverse();
    Ok(out)
}

/// `fmt.format(*args, **kw)` as CPython 3.11's `str.format` reads `fmt`
/// (`Objects/stringlib/unicode_format.h`): literal text with `{{`/`}}`, and fields
/// `{name!conv:spec}` whose name is empty (numbered automatically), an index into
/// `args` or a keyword of `kw`, followed by `[key]` items, and whose spec may hold fields
/// of its own (numbered in the same run) — with CPython's errors.
pub fn format_fields(
    o: &mut Objects,
    fmt: &str,
    args: &[Value],
    kw: &[(&str, Value)],
) -> Result<String, Exception> {
    let mut numbering = Numbering::Unset;
    let mut out = String::new();
    build_string(o, fmt, args, kw, 2, &mut numbering, &mut out)?;
    Ok(out)
}

/// How a format string's fields are numbered: all automatic (`{}`, the next number) or
/// all manual (`{0}`); CPython refuses a mix.
enum Numbering {
    Unset,
    Auto(usize),
    Manual,
}

fn value_error(msg: impl Into<String>) -> Exception {
    Exception::new(ExcKind::ValueError, msg)
}

fn build_string(
    o: &mut Objects,
    fmt: &str,
    args: &[Value],
    kw: &[(&str, Value)],
    depth: u32,
    numbering: &mut Numbering,
    out: &mut String,
) -> Result<(), Exception> {
    if depth == 0 {
        return Err(value_error("Max string recursion exceeded"));
    }
    let b = fmt.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let Some(k) = b[i..].iter().position(|&c| c == b'{' || c == b'}') else {
            out.push_str(&fmt[i..]);
            break;
        };
        out.push_str(&fmt[i..i + k]);
        i += k;
        let c = b[i];
        if b.get(i + 1) == Some(&c) {
            out.push(c as char);
            i += 2;
            continue;
        }
        if c == b'}' {
            return Err(value_error("Single '}' encountered in format string"));
        }
        if i + 1 == b.len() {
            return Err(value_error("Single '{' encountered in format string"));
        }
        // The field: its name up to `!`, `:` or `}` (`[…]` skipped whole).
        i += 1;
        let name_start = i;
        let mut stop = 0u8;
        while i < b.len() {
            let ch = b[i];
            i += 1;
            match ch {
                b'{' => return Err(value_error("unexpected '{' in field name")),
                b'[' => {
                    while i < b.len() && b[i] != b']' {
                        i += 1;
                    }
                }
                b'}' | b':' | b'!' => {
                    stop = ch;
                    break;
                }
                _ => {}
            }
        }
        let name = &fmt[name_start..if stop == 0 { i } else { i - 1 }];
        let mut conv = None;
        let mut spec = "";
        let mut nested = false;
        if stop == b'!' || stop == b':' {
            if stop == b'!' {
                let Some(cv) = fmt[i..].chars().next() else {
                    return Err(value_error(
                        "end of string while looking for conversion specifier",
                    ));
                };
                conv = Some(cv);
                i += cv.len_utf8();
                // (At the end, CPython looks for the spec: "unmatched '{'".)
                stop = b':';
                if i < b.len() {
                    stop = b[i];
                    i += 1;
                    if stop != b'}' && stop != b':' {
                        return Err(value_error("expected ':' after conversion specifier"));
                    }
                }
            }
            if stop == b':' {
                let spec_start = i;
                let mut count = 1;
                stop = 0;
                while i < b.len() {
                    i += 1;
                    match b[i - 1] {
                        b'{' => {
                            nested = true;
                            count += 1;
                        }
                        b'}' => {
                            count -= 1;
                            if count == 0 {
                                stop = b'}';
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                if stop != b'}' {
                    return Err(value_error("unmatched '{' in format spec"));
                }
                spec = &fmt[spec_start..i - 1];
            }
        }
        if stop != b'}' {
            return Err(value_error("expected '}' before end of string"));
        }
        let mut v = field_value(o, name, args, kw, numbering)?;
        let conv = match conv {
            None => 0,
            Some('s') => 1,
            Some('r' | 'a') => 2,
            Some(c) if (' '..'\x7f').contains(&c) && c != ' ' => {
                return Err(value_error(format!("Unknown conversion specifier {c}")));
            }
            Some(c) => {
                return Err(value_error(format!(
                    "Unknown conversion specifier \\x{:x}",
                    c as u32
                )));
            }
        };
        let expanded;
        if nested {
            let mut t = String::new();
            build_string(o, spec, args, kw, depth - 1, numbering, &mut t)?;
            expanded = t;
            spec = &expanded;
        }
        v = o.format(v, conv, spec)?;
        out.push_str(o.str_of(v).unwrap_or(""));
    }
    Ok(())
}

/// The value a replacement field's name `name` names: `args[n]` (an empty name: the
/// next number), a keyword's value, then each `[key]` after it applied.
fn field_value(
    o: &mut Objects,
    name: &str,
    args: &[Value],
    kw: &[(&str, Value)],
    numbering: &mut Numbering,
) -> Result<Value, Exception> {
    let first_end = name.find(['.', '[']).unwrap_or(name.len());
    let (first, mut rest) = name.split_at(first_end);
    let index = if first.is_empty() {
        match numbering {
            Numbering::Manual => {
                return Err(value_error(
                    "cannot switch from manual field specification to automatic field numbering",
                ));
            }
            Numbering::Unset => {
                *numbering = Numbering::Auto(1);
                Some(0)
            }
            Numbering::Auto(n) => {
                *n += 1;
                Some(*n - 1)
            }
        }
    } else if first.bytes().all(|c| c.is_ascii_digit()) {
        if matches!(numbering, Numbering::Auto(_)) {
            return Err(value_error(
                "cannot switch from automatic field numbering to manual field specification",
            ));
        }
        *numbering = Numbering::Manual;
        Some(
            first
                .parse::<usize>()
                .map_err(|_| value_error("Too many decimal digits in format string"))?,
        )
    } else {
        None
    };
    let mut v = match index {
        Some(n) => *args.get(n).ok_or_else(|| {
            Exception::new(
                ExcKind::IndexError,
                format!("Replacement index {n} out of range for positional args tuple"),
            )
        })?,
        None => match kw.iter().find(|(k, _)| *k == first) {
            Some(&(_, v)) => v,
            None => {
                let mut key = String::new();
                let text = o.new_str(String::from(first));
                o.write_repr(&mut key, text, &mut Vec::new())?;
                return Err(Exception::new(ExcKind::KeyError, key));
            }
        },
    };
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            if end == 0 {
                return Err(value_error("Empty attribute in format string"));
            }
            return Err(Exception::no_attribute(o.type_name(v), &after[..end]));
        }
        let Some(after) = rest.strip_prefix('[') else {
            return Err(value_error(
                "Only '.' or '[' may follow ']' in format field specifier",
            ));
        };
        let Some(close) = after.find(']') else {
            return Err(value_error("Missing ']' in format string"));
        };
        let key = &after[..close];
        if key.is_empty() {
            return Err(value_error("Empty attribute in format string"));
        }
        let k = match key.parse::<i64>() {
            Ok(n) if key.bytes().all(|c| c.is_ascii_digit()) => Value::Int(n),
            _ => o.new_str(String::from(key)),
        };
        v = o.getitem(v, k)?;
        rest = &after[close + 1..];
    }
    Ok(v)
}

impl Objects<'_> {
    /// `fmt % args`: printf-style formatting (`%s %r %d %i %x %X %o %c %%` with flags, width
    /// and precision; a tuple gives the values, anything else is the one value).
    pub fn percent(&mut self, fmt: &str, args: Value) -> Result<Value, Exception> {
        let o = self;
        let values: Vec<Value> = match args {
            Value::Tuple(_) => o
                .heap
                .items(args)
                .map(crate::heap::Seq::to_vec)
                .unwrap_or_default(),
            v => alloc::vec![v],
        };
        let one = !matches!(args, Value::Tuple(_));
        let mut next = 0;
        let mut used_key = false;
        let mut out = String::new();
        let mut chars = fmt.chars().peekable();
        let not_enough =
            || Exception::new(ExcKind::TypeError, "not enough arguments for format string");
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            // `%(key)s`: the value is the mapping's item.
            let keyed = percent_key(&mut chars)?;
            let mut flags = String::new();
            while let Some(&f) = chars.peek() {
                if "-+ 0#".contains(f) {
                    flags.push(f);
                    chars.next();
                } else {
                    break;
                }
            }
            let mut width = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                width.push(d);
                chars.next();
            }
            let mut precision = None;
            if chars.peek() == Some(&'.') {
                chars.next();
                let mut p = String::new();
                while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    p.push(d);
                    chars.next();
                }
                precision = Some(p);
            }
            let Some(kind) = chars.next() else {
                return Err(Exception::new(ExcKind::ValueError, "incomplete format"));
            };
            if kind == '%' {
                out.push('%');
                continue;
            }
            let v = match keyed {
                Some(key) => {
                    // (After a key, CPython has no positional values left.)
                    used_key = true;
                    if o.dict(args).is_none() {
                        return Err(Exception::new(
                            ExcKind::TypeError,
                            "format requires a mapping",
                        ));
                    }
                    let k = o.new_str(key);
                    match o.dict_lookup(args, k)? {
                        Some(v) => v,
                        None => return Err(o.key_error(k)),
                    }
                }
                None => {
                    let Some(&v) = values.get(next).filter(|_| !used_key) else {
                        return Err(not_enough());
                    };
                    next += 1;
                    v
                }
            };
            // A format-spec for the mini-language doing the same.
            let align = if flags.contains('-') { "<" } else { "" };
            let sign = if flags.contains('+') {
                "+"
            } else if flags.contains(' ') {
                " "
            } else {
                ""
            };
            let zero = if flags.contains('0') && !flags.contains('-') {
                "0"
            } else {
                ""
            };
            let alt = if flags.contains('#') { "#" } else { "" };
            let piece = match kind {
                's' | 'r' | 'a' => {
                    let conv = if kind == 's' { 1 } else { 2 };
                    let t = o.format(v, conv, "")?;
                    let mut text = o.str_of(t).unwrap_or("").to_string();
                    if let Some(p) = precision.as_deref().and_then(|p| p.parse::<usize>().ok()) {
                        text = text.chars().take(p).collect();
                    }
                    let align = if align.is_empty() { ">" } else { align };
                    let spec = format!("{align}{width}");
                    let t = o.new_str(text);
                    o.format(t, 0, &spec)?
                }
                'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                    if o.bigs.num(v).is_none() {
                        let what = if matches!(kind, 'd' | 'i' | 'u') {
                            "a real number is required"
                        } else {
                            "an integer is required"
                        };
                        return Err(Exception::new(
                            ExcKind::TypeError,
                            format!("%{kind} format: {what}, not {}", o.type_name(v)),
                        ));
                    }
                    let ty = match kind {
                        'x' | 'X' | 'o' => kind,
                        _ => 'd',
                    };
                    let mut body = String::new();
                    if let Some(p) = precision.as_deref().and_then(|p| p.parse::<usize>().ok()) {
                        // At least p digits.
                        let digits = o.format(v, 0, &format!("{}{ty}", alt))?;
                        let d = o.str_of(digits).unwrap_or("").to_string();
                        let (neg, rest) = match d.strip_prefix('-') {
                            Some(r) => (true, r),
                            None => (false, d.as_str()),
                        };
                        let (prefix, num) = if alt.is_empty() || ty == 'd' {
                            ("", rest)
                        } else {
                            rest.split_at(2)
                        };
                        let padded = format!("{}{num}", "0".repeat(p.saturating_sub(num.len())));
                        body = format!(
                            "{}{prefix}{padded}",
                            if neg {
                                "-"
                            } else if !sign.is_empty() {
                                sign
                            } else {
                                ""
                            }
                        );
                    }
                    if body.is_empty() {
                        let spec = format!("{align}{sign}{alt}{zero}{width}{ty}");
                        o.format(v, 0, &spec)?
                    } else {
                        let align = if align.is_empty() { ">" } else { align };
                        let t = o.new_str(body);
                        o.format(t, 0, &format!("{align}{width}"))?
                    }
                }
                'c' => {
                    let ch = match v {
                        Value::Int(k) => {
                            char::from_u32(k as u32).filter(|_| (0..=0x10ffff).contains(&k))
                        }
                        _ => o
                            .str_of(v)
                            .filter(|s| s.chars().count() == 1)
                            .and_then(|s| s.chars().next()),
                    };
                    let Some(ch) = ch else {
                        return Err(Exception::new(
                            ExcKind::TypeError,
                            "%c requires int or char",
                        ));
                    };
                    let align = if align.is_empty() { ">" } else { align };
                    let t = o.new_str(String::from(ch));
                    o.format(t, 0, &format!("{align}{width}"))?
                }
                other => {
                    return Err(Exception::new(
                        ExcKind::ValueError,
                        format!(
                            "unsupported format character '{other}' (0x{:x}) at index {}",
                            other as u32,
                            fmt.char_indices()
                                .filter(|&(_, c)| c == other)
                                .map(|(i, _)| i)
                                .next()
                                .unwrap_or(0)
                        ),
                    ));
                }
            };
            out.push_str(o.str_of(piece).unwrap_or(""));
        }
        // A lone value nothing took is an error, unless it is a mapping (CPython takes lists
        // and dicts for one, for `%(name)s`).
        let unused = if one {
            next == 0 && !matches!(args, Value::Dict(_) | Value::List(_))
        } else {
            next < values.len()
        };
        if unused {
            return Err(Exception::new(
                ExcKind::TypeError,
                "not all arguments converted during string formatting",
            ));
        }
        Ok(o.new_str(out))
    }
}
