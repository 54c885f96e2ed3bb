//! A call's arguments matched to the parameters of a function with `*args`, `**kwargs`
//! or keyword-only parameters, as CPython 3.11's frame set-up (`initialize_locals`)
//! matches them, with its errors in its order: positional arguments first (those past the
//! positional parameters into the `*args` tuple), then each keyword (into its parameter,
//! or the `**kwargs` dict), then too many positional arguments, missing positional ones,
//! defaults, missing keyword-only ones. (Functions with positional parameters only take
//! the interpreter's own shorter ways: `Vm::call`, `Vm::arrange`.)

use crate::bigint::Int;
use crate::bytecode::{Code, Const, missing_named};
use crate::dict::Dict;
use crate::error::{ExcKind, Exception};
use crate::objects::Objects;
use crate::value::Value;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

/// The values of every parameter slot of `code` (positional, keyword-only, `*args`,
/// `**kwargs`) for a call passing `pos` and then the keywords `kw`; `held` are a
/// closure's default values (positional ones, then keyword-only ones), None for a plain
/// function (its defaults are the code's constants).
pub fn bind(
    o: &mut Objects,
    code: &Code,
    held: Option<&[Value]>,
    pos: &[Value],
    kw: &[(&str, Value)],
) -> Result<Vec<Value>, Exception> {
    let shape = code.shape;
    let argc = code.nparams as usize;
    let kwonly = shape.kwonly as usize;
    let named = argc + kwonly;
    let func = code.qualname();
    let mut slots: Vec<Option<Value>> = vec![None; named];
    for (slot, &v) in slots.iter_mut().take(argc).zip(pos) {
        *slot = Some(v);
    }
    let varargs = if shape.varargs {
        Some(o.new_tuple(pos.get(argc..).unwrap_or(&[]).to_vec()))
    } else {
        None
    };
    let varkw = if shape.varkw {
        Some(o.new_dict(Dict::default()))
    } else {
        None
    };
    for &(name, v) in kw {
        match code.local_names[..named].iter().position(|p| p == name) {
            Some(j) if slots[j].is_some() => {
                return Err(type_error(format!(
                    "{func}() got multiple values for argument '{name}'"
                )));
            }
            Some(j) => slots[j] = Some(v),
            None => match varkw {
                Some(d) => {
                    let k = o.new_str(String::from(name));
                    o.dict_set(d, k, v)?;
                }
                None => {
                    return Err(type_error(format!(
                        "{func}() got an unexpected keyword argument '{name}'"
                    )));
                }
            },
        }
    }
    if pos.len() > argc && !shape.varargs {
        let kwonly_given = slots[argc..].iter().filter(|s| s.is_some()).count();
        return Err(too_many_positional(code, pos.len(), kwonly_given));
    }
    // Positional parameters without a value and without a default.
    let first_default = argc - code.defaults.len();
    let missing: Vec<&str> = (pos.len().min(argc)..first_default)
        .filter(|&j| slots[j].is_none())
        .map(|j| code.local_names[j].as_str())
        .collect();
    if !missing.is_empty() {
        return Err(type_error(missing_named(func, "positional", &missing)));
    }
    let constant = |o: &mut Objects, c: &Const| match c {
        Const::Int(i) => Value::Int(*i),
        Const::Bool(b) => Value::Bool(*b),
        Const::Str(id) => Value::Str(*id),
        Const::Big(b) => o.bigs.alloc(Int::Big(b.clone())),
        _ => Value::None,
    };
    for (k, slot) in slots[first_default..argc].iter_mut().enumerate() {
        if slot.is_none() {
            *slot = Some(match held {
                Some(h) => h[k],
                None => constant(o, &code.defaults[k]),
            });
        }
    }
    // Keyword-only parameters: their defaults, in order, among the held values after the
    // positional ones'.
    let mut next_default = 0;
    let mut missing: Vec<&str> = Vec::new();
    for i in 0..kwonly {
        let has_default = shape.kw_defaults & (1 << i) != 0;
        let j = argc + i;
        if has_default {
            if slots[j].is_none() {
                slots[j] = Some(match held {
                    Some(h) => h[code.defaults.len() + next_default],
                    None => constant(o, &code.kwdefaults[next_default]),
                });
            }
            next_default += 1;
        } else if slots[j].is_none() {
            missing.push(code.local_names[j].as_str());
        }
    }
    if !missing.is_empty() {
        return Err(type_error(missing_named(func, "keyword-only", &missing)));
    }
    let mut out: Vec<Value> = slots
        .into_iter()
        .map(|s| s.unwrap_or(Value::None))
        .collect();
    out.extend(varargs);
    out.extend(varkw);
    Ok(out)
}

fn type_error(msg: String) -> Exception {
    Exception::new(ExcKind::TypeError, msg)
}

/// CPython's `too_many_positional`: "f() takes 2 positional arguments but 3 were given",
/// "from 1 to 2 positional arguments", "… but 3 positional arguments (and 1 keyword-only
/// argument) were given".
fn too_many_positional(code: &Code, given: usize, kwonly_given: usize) -> Exception {
    let argc = code.nparams as usize;
    let defcount = code.defaults.len();
    let (sig, plural) = if defcount > 0 {
        (format!("from {} to {argc}", argc - defcount), true)
    } else {
        (format!("{argc}"), argc != 1)
    };
    let kwonly_sig = if kwonly_given > 0 {
        format!(
            " positional argument{} (and {kwonly_given} keyword-only argument{})",
            if given != 1 { "s" } else { "" },
            if kwonly_given != 1 { "s" } else { "" },
        )
    } else {
        String::new()
    };
    type_error(format!(
        "{}() takes {sig} positional argument{} but {given}{kwonly_sig} {} given",
        code.qualname(),
        if plural { "s" } else { "" },
        if given == 1 && kwonly_given == 0 {
            "was"
        } else {
            "were"
        },
    ))
}

/// The arguments of a builtin function or method `f` (its parameters `params`: names,
/// how many of the first are positional-only, how many are required; None: it takes no
/// keywords) called with `npos` positional arguments then the keyword arguments
/// `keywords`, in `args` in that order: its parameters' values in order, as far as one
/// is given (a gap before one given by name takes its value from `defaults`).
/// Mismatches are the TypeErrors CPython's argument parser (Argument Clinic's) raises,
/// checked in its order.
pub fn clinic(
    f: &str,
    params: Option<(&[&str], usize, usize)>,
    defaults: &[Value],
    args: &[Value],
    npos: usize,
    keywords: &[&str],
) -> Result<Vec<Value>, Exception> {
    let error = |msg: String| Err(Exception::new(ExcKind::TypeError, msg));
    let Some((params, posonly, required)) = params else {
        return error(format!("{f}() takes no keyword arguments"));
    };
    let given = npos + keywords.len();
    if given > params.len() {
        return error(format!(
            "{f}() takes at most {} argument{} ({given} given)",
            params.len(),
            if params.len() == 1 { "" } else { "s" }
        ));
    }
    if npos < posonly.min(required) {
        return error(format!(
            "{f}() takes at least {} positional argument{} ({npos} given)",
            posonly.min(required),
            if posonly.min(required) == 1 { "" } else { "s" }
        ));
    }
    let mut out = Vec::with_capacity(params.len());
    let mut used = vec![false; keywords.len()];
    for (j, p) in params.iter().enumerate() {
        let by_name = (j >= posonly)
            .then(|| keywords.iter().position(|k| k == p))
            .flatten();
        if j < npos {
            out.push(args[j]);
        } else if let Some(k) = by_name {
            used[k] = true;
            out.push(args[npos + k]);
        } else if j < required {
            return error(format!(
                "{f}() missing required argument '{p}' (pos {})",
                j + 1
            ));
        } else if let Some(&d) = defaults.get(j)
            && keywords.iter().any(|k| params[j + 1..].contains(k))
        {
            // A gap before a parameter given by name: its default.
            out.push(d);
        } else {
            break;
        }
    }
    if let Some(k) = used.iter().position(|u| !u) {
        let name = keywords[k];
        return match params[posonly..].iter().position(|p| *p == name) {
            Some(j) if posonly + j < npos => error(format!(
                "argument for {f}() given by name ('{name}') and position ({})",
                posonly + j + 1
            )),
            _ => error(format!("'{name}' is an invalid keyword argument for {f}()")),
        };
    }
    Ok(out)
}
