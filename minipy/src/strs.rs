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
        "isalnum" => test(|s| !s.is_empty() && s.chars().all(char::is_alphanumeric))?,
        "isdecimal" | "isnumeric" => test(|s| !s.is_empty() && s.chars().all(char::is_numeric))?,
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
            if n != 1 {
                return Err(Exception::new(
                    ExcKind::TypeError,
                    format!("str.zfill() takes exactly one argument ({n} given)"),
                ));
            }
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
            if n != 1 {
                return Err(Exception::new(
                    ExcKind::TypeError,
                    format!("str.{name}() takes exactly one argument ({n} given)"),
                ));
            }
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
            if n != 1 {
                return Err(Exception::new(
                    ExcKind::TypeError,
                    format!("str.{name}() takes exactly one argument ({n} given)"),
                ));
            }
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
        "isascii" => test(|s| s.is_ascii())?,
        "maketrans" => maketrans(o, pos)?,
        "translate" => {
            if n != 1 {
                return Err(Exception::new(
                    ExcKind::TypeError,
                    format!("str.translate() takes exactly one argument ({n} given)"),
                ));
            }
            translate(o, s, pos[0])?
        }
        _ => return Err(Exception::no_attribute("str", name)),
    })
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
        let mut out = String::new();
        let mut chars = fmt.chars().peekable();
        let not_enough =
            || Exception::new(ExcKind::TypeError, "not enough arguments for format string");
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
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
            let Some(&v) = values.get(next) else {
                return Err(not_enough());
            };
            next += 1;
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
