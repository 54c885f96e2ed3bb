//! `format(value, spec)` as f-strings use it: CPython's format-spec mini-language for ints
//! (bools are ints there) and strings — fill and alignment, sign, `#`, `0`, width,
//! `,`/`_` grouping, precision, and the types `d b o x X c n s` (and `f`/`%` of an int,
//! which CPython computes through a float: exact below 2⁵³, where minipy stops).

use crate::error::{ExcKind, Exception};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use num_bigint::BigInt;
use num_traits::Signed;

/// A parsed spec.
#[derive(Default)]
struct Spec {
    fill: Option<char>,
    align: Option<char>,
    sign: Option<char>,
    /// `z`: negative zero coerced to zero (floats only; an error for ints and strings).
    no_neg_zero: bool,
    alt: bool,
    zero: bool,
    width: usize,
    grouping: Option<char>,
    precision: Option<usize>,
    kind: Option<char>,
}

fn invalid(spec: &str) -> Exception {
    Exception::new(
        ExcKind::ValueError,
        format!("Invalid format specifier '{spec}' for object of type"),
    )
}

fn parse(spec: &str, type_name: &str) -> Result<Spec, Exception> {
    let bad = || {
        let mut e = invalid(spec);
        e.msg = format!("{} '{type_name}'", e.msg);
        e
    };
    let cs: Vec<char> = spec.chars().collect();
    let mut s = Spec::default();
    let mut i = 0;
    let is_align = |c: char| matches!(c, '<' | '>' | '=' | '^');
    if cs.len() >= 2 && is_align(cs[1]) {
        s.fill = Some(cs[0]);
        s.align = Some(cs[1]);
        i = 2;
    } else if !cs.is_empty() && is_align(cs[0]) {
        s.align = Some(cs[0]);
        i = 1;
    }
    if i < cs.len() && matches!(cs[i], '+' | '-' | ' ') {
        s.sign = Some(cs[i]);
        i += 1;
    }
    if i < cs.len() && cs[i] == 'z' {
        s.no_neg_zero = true;
        i += 1;
    }
    if i < cs.len() && cs[i] == '#' {
        s.alt = true;
        i += 1;
    }
    if i < cs.len() && cs[i] == '0' {
        s.zero = true;
        i += 1;
    }
    let digits = |i: &mut usize| -> Option<usize> {
        let start = *i;
        while *i < cs.len() && cs[*i].is_ascii_digit() {
            *i += 1;
        }
        (start < *i).then(|| {
            cs[start..*i]
                .iter()
                .collect::<String>()
                .parse()
                .unwrap_or(usize::MAX)
        })
    };
    s.width = digits(&mut i).unwrap_or(0);
    if i < cs.len() && matches!(cs[i], ',' | '_') {
        s.grouping = Some(cs[i]);
        i += 1;
    }
    if i < cs.len() && cs[i] == '.' {
        i += 1;
        s.precision = Some(digits(&mut i).ok_or_else(|| {
            Exception::new(ExcKind::ValueError, "Format specifier missing precision")
        })?);
    }
    if i < cs.len() {
        s.kind = Some(cs[i]);
        i += 1;
    }
    if i != cs.len() {
        return Err(bad());
    }
    if s.width > 1 << 20 {
        return Err(Exception::new(
            ExcKind::ValueError,
            "Too many decimal digits in format string",
        ));
    }
    Ok(s)
}

/// Pads `body` (after `prefix`, the sign and base prefix) to the spec's width.
fn pad(s: &Spec, prefix: &str, body: &str, numeric: bool) -> String {
    let len = prefix.chars().count() + body.chars().count();
    if len >= s.width {
        return format!("{prefix}{body}");
    }
    let n = s.width - len;
    let (fill, align) = match (s.fill, s.align) {
        (Some(f), Some(a)) => (f, a),
        (None, Some(a)) => (if s.zero && numeric { '0' } else { ' ' }, a),
        (_, None) if s.zero && numeric => ('0', '='),
        (_, None) if s.zero => ('0', '<'),
        (_, None) => (' ', if numeric { '>' } else { '<' }),
    };
    let fills = |k: usize| core::iter::repeat_n(fill, k).collect::<String>();
    match align {
        '<' => format!("{prefix}{body}{}", fills(n)),
        '^' => format!("{}{prefix}{body}{}", fills(n / 2), fills(n - n / 2)),
        '=' => format!("{prefix}{}{body}", fills(n)),
        _ => format!("{}{prefix}{body}", fills(n)),
    }
}

/// Inserts `sep` every `every` digits from the right.
fn group(digits: &str, sep: char, every: usize) -> String {
    let cs: Vec<char> = digits.chars().collect();
    let mut out = String::new();
    for (i, c) in cs.iter().enumerate() {
        if i > 0 && (cs.len() - i).is_multiple_of(every) {
            out.push(sep);
        }
        out.push(*c);
    }
    out
}

/// `format(n, spec)` of an int.
pub fn format_int(n: &BigInt, spec: &str) -> Result<String, Exception> {
    let s = parse(spec, "int")?;
    let kind = s.kind.unwrap_or('d');
    let unknown = || {
        Exception::new(
            ExcKind::ValueError,
            format!("Unknown format code '{kind}' for object of type 'int'"),
        )
    };
    if s.precision.is_some() && !matches!(kind, 'f' | 'F' | '%') {
        return Err(Exception::new(
            ExcKind::ValueError,
            "Precision not allowed in integer format specifier",
        ));
    }
    if s.no_neg_zero && !matches!(kind, 'f' | 'F' | '%') {
        return Err(Exception::new(
            ExcKind::ValueError,
            "Negative zero coercion (z) not allowed in integer format specifier",
        ));
    }
    let neg = n.is_negative();
    let mag = n.abs();
    let (mut digits, base_prefix) = match kind {
        'd' | 'n' => (mag.to_string(), ""),
        'b' => (mag.to_str_radix(2), "0b"),
        'o' => (mag.to_str_radix(8), "0o"),
        'x' => (mag.to_str_radix(16), "0x"),
        'X' => (mag.to_str_radix(16).to_uppercase(), "0X"),
        'c' => {
            if s.sign.is_some() {
                return Err(Exception::new(
                    ExcKind::ValueError,
                    "Sign not allowed with integer format specifier 'c'",
                ));
            }
            if s.alt {
                return Err(Exception::new(
                    ExcKind::ValueError,
                    "Alternate form (#) not allowed with integer format specifier 'c'",
                ));
            }
            let c = u32::try_from(n)
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| {
                    Exception::new(ExcKind::OverflowError, "%c arg not in range(0x110000)")
                })?;
            return Ok(pad(&s, "", &String::from(c), false));
        }
        'f' | 'F' | '%' => {
            if mag.bits() > 53 {
                return Err(Exception::new(
                    ExcKind::ValueError,
                    "a float format of an int past 2**53 is outside the minipy subset",
                ));
            }
            let p = s.precision.unwrap_or(6);
            let whole = if kind == '%' {
                &mag * 100u32
            } else {
                mag.clone()
            };
            let mut t = whole.to_string();
            if let Some(g) = s.grouping {
                t = group(&t, g, 3);
            }
            if p > 0 || s.alt {
                t.push('.');
            }
            t.extend(core::iter::repeat_n('0', p));
            if kind == '%' {
                t.push('%');
            }
            let sign = sign_of(&s, neg);
            return Ok(pad(&s, sign, &t, true));
        }
        _ => return Err(unknown()),
    };
    if let Some(g) = s.grouping {
        match (g, kind) {
            (',', 'd') | ('_', 'd') => digits = group(&digits, g, 3),
            ('_', 'b' | 'o' | 'x' | 'X') => digits = group(&digits, g, 4),
            _ => {
                return Err(Exception::new(
                    ExcKind::ValueError,
                    format!("Cannot specify '{g}' with '{kind}'."),
                ));
            }
        }
    }
    let prefix = format!(
        "{}{}",
        sign_of(&s, neg),
        if s.alt { base_prefix } else { "" }
    );
    Ok(pad(&s, &prefix, &digits, true))
}

fn sign_of(s: &Spec, neg: bool) -> &'static str {
    match (neg, s.sign) {
        (true, _) => "-",
        (false, Some('+')) => "+",
        (false, Some(' ')) => " ",
        _ => "",
    }
}

/// `format(text, spec)` of a string.
pub fn format_str(text: &str, spec: &str) -> Result<String, Exception> {
    let s = parse(spec, "str")?;
    match s.kind {
        None | Some('s') => {}
        Some(k) => {
            return Err(Exception::new(
                ExcKind::ValueError,
                format!("Unknown format code '{k}' for object of type 'str'"),
            ));
        }
    }
    if let Some(sign) = s.sign {
        return Err(Exception::new(
            ExcKind::ValueError,
            if sign == ' ' {
                "Space not allowed in string format specifier"
            } else {
                "Sign not allowed in string format specifier"
            },
        ));
    }
    if s.no_neg_zero {
        return Err(Exception::new(
            ExcKind::ValueError,
            "Negative zero coercion (z) not allowed in string format specifier",
        ));
    }
    if s.alt {
        return Err(Exception::new(
            ExcKind::ValueError,
            "Alternate form (#) not allowed in string format specifier",
        ));
    }
    if let Some(g) = s.grouping {
        return Err(Exception::new(
            ExcKind::ValueError,
            format!("Cannot specify '{g}' with 's'."),
        ));
    }
    if s.align == Some('=') {
        return Err(Exception::new(
            ExcKind::ValueError,
            "'=' alignment not allowed in string format specifier",
        ));
    }
    let body: String = match s.precision {
        Some(p) => text.chars().take(p).collect(),
        None => text.to_string(),
    };
    Ok(pad(&s, "", &body, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_format_as_cpython_does() {
        let i = |n: i64, spec: &str| format_int(&BigInt::from(n), spec).unwrap();
        assert_eq!(i(42, ">5"), "   42");
        assert_eq!(i(42, "05d"), "00042");
        assert_eq!(i(-42, "05d"), "-0042");
        assert_eq!(i(255, "x"), "ff");
        assert_eq!(i(255, "#x"), "0xff");
        assert_eq!(i(1234567, ","), "1,234,567");
        assert_eq!(i(-1234567, "_"), "-1_234_567");
        assert_eq!(i(5, "+"), "+5");
        assert_eq!(i(7, "^5"), "  7  ");
        assert_eq!(i(7, "*<4"), "7***");
        assert_eq!(i(3, ".2f"), "3.00");
        assert_eq!(i(65, "c"), "A");
        assert_eq!(i(10, "b"), "1010");
        assert_eq!(format_str("ab", ">4").unwrap(), "  ab");
        assert_eq!(format_str("ab", "05").unwrap(), "ab000");
        assert_eq!(format_str("abcdef", ".3").unwrap(), "abc");
        assert!(format_str("ab", "d").is_err());
        assert!(format_int(&BigInt::from(1), "s").is_err());
    }
}
