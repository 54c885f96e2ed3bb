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
            if want == "1" { "" } else { "s" }
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
            let out: String = match cs.next() {
                Some(c) => c
                    .to_uppercase()
                    .chain(cs.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            };
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
            let out = format_fields(o, s, pos)?;
            o.new_str(out)
        }
        _ => return Err(Exception::no_attribute("str", name)),
    })
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

fn is_title(s: &str) -> bool {
    let mut any = false;
    let mut prev_cased = false;
    for c in s.chars() {
        if c.is_uppercase() {
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

/// `fmt.format(args…)`: `{}`, `{0}`, `{!r}`, `{:>5}` and `{{`/`}}` with positional
/// arguments (CPython's errors for a field past them, or mixing automatic and manual
/// numbering).
fn format_fields(o: &mut Objects, fmt: &str, args: &[Value]) -> Result<String, Exception> {
    let mut out = String::new();
    let mut auto: Option<usize> = None;
    let mut manual = false;
    let mut it = fmt.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        match c {
            '{' if it.peek().is_some_and(|&(_, d)| d == '{') => {
                it.next();
                out.push('{');
            }
            '}' if it.peek().is_some_and(|&(_, d)| d == '}') => {
                it.next();
                out.push('}');
            }
            '}' => {
                return Err(Exception::new(
                    ExcKind::ValueError,
                    "Single '}' encountered in format string",
                ));
            }
            '{' => {
                let rest = &fmt[i + 1..];
                let Some(close) = rest.find('}') else {
                    return Err(Exception::new(
                        ExcKind::ValueError,
                        "expected '}' before end of string",
                    ));
                };
                let field = &rest[..close];
                for _ in 0..field.chars().count() + 1 {
                    it.next();
                }
                let (head, spec) = field.split_once(':').unwrap_or((field, ""));
                let (key, conv) = match head.split_once('!') {
                    Some((k, "r")) => (k, 2),
                    Some((k, "s")) => (k, 1),
                    Some((k, "a")) => (k, 2),
                    Some(_) => {
                        return Err(Exception::new(
                            ExcKind::ValueError,
                            "Unknown conversion specifier",
                        ));
                    }
                    None => (head, 0),
                };
                let index = if key.is_empty() {
                    if manual {
                        return Err(Exception::new(
                            ExcKind::ValueError,
                            "cannot switch from manual field specification to automatic field numbering",
                        ));
                    }
                    let k = auto.map_or(0, |k| k + 1);
                    auto = Some(k);
                    k
                } else if let Ok(k) = key.parse::<usize>() {
                    if auto.is_some() {
                        return Err(Exception::new(
                            ExcKind::ValueError,
                            "cannot switch from automatic field numbering to manual field specification",
                        ));
                    }
                    manual = true;
                    k
                } else {
                    return Err(Exception::new(ExcKind::KeyError, format!("'{key}'")));
                };
                let Some(&v) = args.get(index) else {
                    return Err(Exception::new(
                        ExcKind::IndexError,
                        format!("Replacement index {index} out of range for positional args tuple"),
                    ));
                };
                let text = o.format(v, conv, spec)?;
                out.push_str(o.str_of(text).unwrap_or(""));
            }
            c => out.push(c),
        }
    }
    Ok(out)
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
