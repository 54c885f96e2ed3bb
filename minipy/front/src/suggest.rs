//! CPython 3.11's "Did you mean" for a NameError: the closest name among the frame's code's
//! local names, then its globals, then the builtins, by CPython's own edit distance (a case change
//! costs 1, any other edit 2; no more than a third of the characters may change), as
//! `Python/suggestions.c` computes it.

use alloc::string::String;
use alloc::vec::Vec;

/// The builtins module's names in its dict's order (as `python3 FILE` sees them, with
/// site's additions at the end): CPython 3.11 searches them in this order, and of names at
/// the same distance suggests the first.
pub const BUILTINS: [&str; 157] = [
    "__name__",
    "__doc__",
    "__package__",
    "__loader__",
    "__spec__",
    "__build_class__",
    "__import__",
    "abs",
    "all",
    "any",
    "ascii",
    "bin",
    "breakpoint",
    "callable",
    "chr",
    "compile",
    "delattr",
    "dir",
    "divmod",
    "eval",
    "exec",
    "format",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "hex",
    "id",
    "input",
    "isinstance",
    "issubclass",
    "iter",
    "aiter",
    "len",
    "locals",
    "max",
    "min",
    "next",
    "anext",
    "oct",
    "ord",
    "pow",
    "print",
    "repr",
    "round",
    "setattr",
    "sorted",
    "sum",
    "vars",
    "None",
    "Ellipsis",
    "NotImplemented",
    "False",
    "True",
    "bool",
    "memoryview",
    "bytearray",
    "bytes",
    "classmethod",
    "complex",
    "dict",
    "enumerate",
    "filter",
    "float",
    "frozenset",
    "property",
    "int",
    "list",
    "map",
    "object",
    "range",
    "reversed",
    "set",
    "slice",
    "staticmethod",
    "str",
    "super",
    "tuple",
    "type",
    "zip",
    "__debug__",
    "BaseException",
    "BaseExceptionGroup",
    "Exception",
    "GeneratorExit",
    "KeyboardInterrupt",
    "SystemExit",
    "ArithmeticError",
    "AssertionError",
    "AttributeError",
    "BufferError",
    "EOFError",
    "ImportError",
    "LookupError",
    "MemoryError",
    "NameError",
    "OSError",
    "ReferenceError",
    "RuntimeError",
    "StopAsyncIteration",
    "StopIteration",
    "SyntaxError",
    "SystemError",
    "TypeError",
    "ValueError",
    "Warning",
    "FloatingPointError",
    "OverflowError",
    "ZeroDivisionError",
    "BytesWarning",
    "DeprecationWarning",
    "EncodingWarning",
    "FutureWarning",
    "ImportWarning",
    "PendingDeprecationWarning",
    "ResourceWarning",
    "RuntimeWarning",
    "SyntaxWarning",
    "UnicodeWarning",
    "UserWarning",
    "BlockingIOError",
    "ChildProcessError",
    "ConnectionError",
    "FileExistsError",
    "FileNotFoundError",
    "InterruptedError",
    "IsADirectoryError",
    "NotADirectoryError",
    "PermissionError",
    "ProcessLookupError",
    "TimeoutError",
    "IndentationError",
    "IndexError",
    "KeyError",
    "ModuleNotFoundError",
    "NotImplementedError",
    "RecursionError",
    "UnboundLocalError",
    "UnicodeError",
    "BrokenPipeError",
    "ConnectionAbortedError",
    "ConnectionRefusedError",
    "ConnectionResetError",
    "TabError",
    "UnicodeDecodeError",
    "UnicodeEncodeError",
    "UnicodeTranslateError",
    "ExceptionGroup",
    "EnvironmentError",
    "IOError",
    "open",
    "quit",
    "exit",
    "copyright",
    "credits",
    "license",
    "help",
];

/// The names a script's module starts with when CPython runs it as `python3 FILE`, in its
/// globals dict's order.
pub const MODULE_DUNDERS: [&str; 9] = [
    "__name__",
    "__doc__",
    "__package__",
    "__loader__",
    "__spec__",
    "__annotations__",
    "__builtins__",
    "__file__",
    "__cached__",
];

const MOVE_COST: usize = 2;
const CASE_COST: usize = 1;
const MAX_STRING_SIZE: usize = 40;
const MAX_CANDIDATE_ITEMS: usize = 750;

fn substitution_cost(a: u8, b: u8) -> usize {
    if a & 31 != b & 31 {
        return MOVE_COST;
    }
    if a == b {
        return 0;
    }
    if a.eq_ignore_ascii_case(&b) {
        CASE_COST
    } else {
        MOVE_COST
    }
}

/// CPython's `levenshtein_distance`: more than `max_cost` is reported as `max_cost + 1`.
fn distance(a: &[u8], b: &[u8], max_cost: usize) -> usize {
    let (mut a, mut b) = (a, b);
    while let (Some(x), Some(y)) = (a.first(), b.first()) {
        if x != y {
            break;
        }
        (a, b) = (&a[1..], &b[1..]);
    }
    while let (Some(x), Some(y)) = (a.last(), b.last()) {
        if x != y {
            break;
        }
        (a, b) = (&a[..a.len() - 1], &b[..b.len() - 1]);
    }
    if a.is_empty() || b.is_empty() {
        return (a.len() + b.len()) * MOVE_COST;
    }
    if a.len() > MAX_STRING_SIZE || b.len() > MAX_STRING_SIZE {
        return max_cost + 1;
    }
    if b.len() < a.len() {
        (a, b) = (b, a);
    }
    if (b.len() - a.len()) * MOVE_COST > max_cost {
        return max_cost + 1;
    }
    let mut buffer: Vec<usize> = (1..=a.len()).map(|i| i * MOVE_COST).collect();
    let mut result = 0;
    for (bi, &code) in b.iter().enumerate() {
        let mut dist = bi * MOVE_COST;
        result = dist;
        let mut minimum = usize::MAX;
        for (ai, &ac) in a.iter().enumerate() {
            let substitute = dist + substitution_cost(code, ac);
            dist = buffer[ai];
            let insert_delete = result.min(dist) + MOVE_COST;
            result = insert_delete.min(substitute);
            buffer[ai] = result;
            minimum = minimum.min(result);
        }
        if minimum > max_cost {
            return max_cost + 1;
        }
    }
    result
}

/// CPython's `calculate_suggestions` over `names`, in the order given.
fn closest<'a>(names: &[&'a str], name: &str) -> Option<&'a str> {
    if names.len() >= MAX_CANDIDATE_ITEMS {
        return None;
    }
    let mut best: Option<(&str, usize)> = None;
    for &item in names {
        if item == name {
            continue;
        }
        let max = (name.len() + item.len() + 3) * MOVE_COST / 6;
        let max = match best {
            Some((_, d)) => max.min(d.saturating_sub(1)),
            None => max,
        };
        let d = distance(name.as_bytes(), item.as_bytes(), max);
        if d > max {
            continue;
        }
        if best.is_none_or(|(_, bd)| d < bd) {
            best = Some((item, d));
        }
    }
    best.map(|(s, _)| s)
}

/// The name CPython suggests for an undefined `name`: among `locals` (a function's local
/// names, bound or not, in `co_varnames` order; none for the module), then `globals` (the
/// module's dict: its dunders, then its names in the order they were first bound), then
/// the builtins. Of names at the same distance the first wins, so order matters.
pub fn suggestion(name: &str, locals: &[&str], globals: &[&str]) -> Option<String> {
    closest(locals, name)
        .or_else(|| closest(globals, name))
        .or_else(|| closest(&BUILTINS, name))
        .map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_as_cpython_does() {
        assert_eq!(
            suggestion("totl", &["total", "n"], &[]),
            Some("total".into())
        );
        assert_eq!(suggestion("prnt", &[], &[]), Some("print".into()));
        assert_eq!(suggestion("fob", &[], &["fib"]), Some("fib".into()));
        assert_eq!(suggestion("xx", &["x"], &[]), Some("x".into()));
        assert_eq!(suggestion("zzzzzz", &["x"], &["y"]), None);
        // A case change is cheaper than any other edit.
        assert_eq!(suggestion("Print", &[], &[]), Some("print".into()));
        // Locals before globals, whatever the distance in each.
        assert_eq!(
            suggestion("valu", &["value"], &["valu_"]),
            Some("value".into())
        );
        // Of two at the same distance, the first in order: the builtins' dict has iter
        // before aiter, and a module's names are in the order they were bound.
        assert_eq!(suggestion("xiter", &[], &[]), Some("iter".into()));
        assert_eq!(suggestion("cb", &[], &["bb", "ab"]), Some("bb".into()));
    }
}
