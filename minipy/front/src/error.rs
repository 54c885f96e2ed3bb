//! Errors: compile-time syntax errors, and run-time exceptions with CPython's names and
//! messages.

use alloc::string::String;

/// CPython's default recursion limit: a call that would make the stack this deep raises
/// RecursionError, in every mode.
pub const RECURSION_LIMIT: usize = 1000;

/// A syntax error (or a construct outside the subset) at a 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: u32,
    pub col: u32,
    /// How many carets CPython puts under the place (`^^^^^` under a whole `break`); 0 for
    /// errors it shows no caret line for (TabError, too many indentation levels).
    pub span: u32,
    pub msg: String,
    /// Which of the errors CPython reports before running anything this is.
    pub class: CompileErrorClass,
}

/// The classes of error found before a program runs, as CPython names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CompileErrorClass {
    #[default]
    Syntax,
    /// Block structure (a SyntaxError subclass).
    Indentation,
    /// Tabs and spaces mixed inconsistently (an IndentationError subclass).
    Tab,
    /// Nesting deeper than CPython's compiler allows: printed without a location.
    Recursion,
    /// Nesting deeper than CPython's parser holds: a bare `MemoryError`.
    Memory,
    /// The file is not UTF-8: a SyntaxError CPython prints without a location.
    Encoding,
    /// A decimal literal past CPython's 4,300-digit limit: a SyntaxError CPython prints
    /// with the literal (at `line`, `col`) in place of the line, and no caret.
    IntLiteralLimit,
}

impl SyntaxError {
    pub fn kind_name(&self) -> &'static str {
        match self.class {
            CompileErrorClass::Syntax => "SyntaxError",
            CompileErrorClass::Indentation => "IndentationError",
            CompileErrorClass::Tab => "TabError",
            CompileErrorClass::Recursion => "RecursionError",
            CompileErrorClass::Memory => "MemoryError",
            CompileErrorClass::Encoding | CompileErrorClass::IntLiteralLimit => "SyntaxError",
        }
    }

    /// CPython's RecursionError while compiling (`line`: where the nesting went too deep).
    pub fn too_deep(line: u32, col: u32) -> SyntaxError {
        SyntaxError {
            span: 1,
            line,
            col,
            msg: "maximum recursion depth exceeded during compilation".into(),
            class: CompileErrorClass::Recursion,
        }
    }
}

/// Exceptions minipy raises, named as CPython names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExcKind {
    NameError,
    UnboundLocalError,
    TypeError,
    ValueError,
    ZeroDivisionError,
    OverflowError,
    RecursionError,
    IndexError,
    AssertionError,
    MemoryError,
    AttributeError,
    KeyError,
    RuntimeError,
    StopIteration,
    /// `input()` at the end of stdin.
    EOFError,
    /// Raised only by `raise`.
    Exception,
    NotImplementedError,
    LookupError,
    ArithmeticError,
    /// `sys.exit(…)`: not an error; the process ends with this status (its message, if a
    /// str, goes to stderr) and no traceback.
    SystemExit(u8),
}

impl ExcKind {
    pub fn name(self) -> &'static str {
        match self {
            ExcKind::NameError => "NameError",
            ExcKind::UnboundLocalError => "UnboundLocalError",
            ExcKind::TypeError => "TypeError",
            ExcKind::ValueError => "ValueError",
            ExcKind::ZeroDivisionError => "ZeroDivisionError",
            ExcKind::OverflowError => "OverflowError",
            ExcKind::RecursionError => "RecursionError",
            ExcKind::IndexError => "IndexError",
            ExcKind::AssertionError => "AssertionError",
            ExcKind::MemoryError => "MemoryError",
            ExcKind::AttributeError => "AttributeError",
            ExcKind::KeyError => "KeyError",
            ExcKind::RuntimeError => "RuntimeError",
            ExcKind::StopIteration => "StopIteration",
            ExcKind::EOFError => "EOFError",
            ExcKind::Exception => "Exception",
            ExcKind::NotImplementedError => "NotImplementedError",
            ExcKind::LookupError => "LookupError",
            ExcKind::ArithmeticError => "ArithmeticError",
            ExcKind::SystemExit(_) => "SystemExit",
        }
    }

    /// What `raise NAME` / `raise NAME(…)` can name (the bytecode's RAISE names one by
    /// its index here; `assert` raises the first).
    pub const RAISABLE: [ExcKind; 19] = [
        ExcKind::AssertionError,
        ExcKind::Exception,
        ExcKind::ValueError,
        ExcKind::TypeError,
        ExcKind::KeyError,
        ExcKind::IndexError,
        ExcKind::RuntimeError,
        ExcKind::ZeroDivisionError,
        ExcKind::NotImplementedError,
        ExcKind::LookupError,
        ExcKind::ArithmeticError,
        ExcKind::OverflowError,
        ExcKind::NameError,
        ExcKind::UnboundLocalError,
        ExcKind::AttributeError,
        ExcKind::RecursionError,
        ExcKind::MemoryError,
        ExcKind::StopIteration,
        ExcKind::EOFError,
    ];

    /// The builtin exception `raise` names, by its name.
    pub fn raisable(name: &str) -> Option<u32> {
        (0..Self::RAISABLE.len() as u32).find(|&i| Self::RAISABLE[i as usize].name() == name)
    }
}

/// A raised exception.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exception {
    pub kind: ExcKind,
    pub msg: String,
}

impl Exception {
    /// The error of `a op b` as `a op= b` raises it: CPython names the augmented operator
    /// in "unsupported operand" errors (`for +=:`, `for **=:`), and only there.
    pub fn in_place(mut self, op: crate::ast::BinOp) -> Exception {
        const HEAD: &str = "unsupported operand type(s) for ";
        if self.kind == ExcKind::TypeError && self.msg.starts_with(HEAD) {
            let rest = &self.msg[HEAD.len()..];
            if let Some(colon) = rest.find(": ") {
                self.msg = alloc::format!("{HEAD}{}={}", op.symbol(), &rest[colon..]);
            }
        }
        self
    }

    pub fn new(kind: ExcKind, msg: impl Into<String>) -> Exception {
        Exception {
            kind,
            msg: msg.into(),
        }
    }
}

/// Every exception minipy raises, spelled once: the interpreter raises these, the JIT's
/// deopt paths re-run the interpreter so that it raises them, and the AOT compiler puts their
/// text in the executable's string table.
impl Exception {
    pub fn overflow() -> Exception {
        Exception::new(
            ExcKind::OverflowError,
            "integer overflow (minipy ints are 64-bit)",
        )
    }

    /// `//` or `%`-family division by zero.
    pub fn zero_division() -> Exception {
        Exception::new(
            ExcKind::ZeroDivisionError,
            "integer division or modulo by zero",
        )
    }

    /// `%` by zero.
    pub fn zero_modulo() -> Exception {
        Exception::new(ExcKind::ZeroDivisionError, "integer modulo by zero")
    }

    pub fn negative_shift() -> Exception {
        Exception::new(ExcKind::ValueError, "negative shift count")
    }

    /// `**` with a negative exponent (CPython would return a float).
    pub fn negative_exponent() -> Exception {
        Exception::new(
            ExcKind::ValueError,
            "negative exponents are outside the minipy subset (Python would return a float)",
        )
    }

    /// A builtin called at the recursion limit: CPython counts a builtin's call as a level
    /// of recursion too (and print's call of the stream's write, and min's and max's
    /// comparisons), and names which.
    pub fn recursion_calling(comparing: bool) -> Exception {
        Exception::new(
            ExcKind::RecursionError,
            if comparing {
                "maximum recursion depth exceeded in comparison"
            } else {
                "maximum recursion depth exceeded while calling a Python object"
            },
        )
    }

    /// `str()` or `repr()` (`what`) past the limit.
    pub fn recursion_getting(what: &str) -> Exception {
        Exception::new(
            ExcKind::RecursionError,
            alloc::format!(
                "maximum recursion depth exceeded while getting the {what} of an object"
            ),
        )
    }

    /// A call past [`RECURSION_LIMIT`].
    pub fn recursion() -> Exception {
        Exception::new(ExcKind::RecursionError, "maximum recursion depth exceeded")
    }

    pub fn range_step_zero() -> Exception {
        Exception::new(ExcKind::ValueError, "range() arg 3 must not be zero")
    }

    /// `arg(i)` past the last argument (`sys.argv[i + 1]`).
    /// `sys.argv[v]` of a `v` that is not an int.
    pub fn bad_list_index(type_name: &str) -> Exception {
        Exception::new(
            ExcKind::TypeError,
            alloc::format!("list indices must be integers or slices, not {type_name}"),
        )
    }

    pub fn index_out_of_range() -> Exception {
        Exception::new(ExcKind::IndexError, "list index out of range")
    }

    /// `int()` of text that is not an int; `repr` is the text as Python's repr quotes it.
    pub fn invalid_int_literal(repr: &str) -> Exception {
        Exception::new(
            ExcKind::ValueError,
            alloc::format!("{INVALID_INT_LITERAL}{repr}"),
        )
    }

    pub fn name_not_defined(name: &str) -> Exception {
        Exception::new(
            ExcKind::NameError,
            alloc::format!("name '{name}' is not defined"),
        )
    }

    /// A NameError as CPython prints it, with "Did you mean" when a name is close enough
    /// (see [`crate::suggest`]).
    pub fn name_not_defined_among(name: &str, locals: &[&str], globals: &[&str]) -> Exception {
        let mut e = Exception::name_not_defined(name);
        if let Some(s) = crate::suggest::suggestion(name, locals, globals) {
            e.msg = alloc::format!("{}. Did you mean: '{s}'?", e.msg);
        }
        e
    }

    /// A local read before it is assigned.
    /// A free variable read (or deleted) before the function around it bound it.
    pub fn unbound_free(name: &str) -> Exception {
        Exception::new(
            ExcKind::NameError,
            alloc::format!(
                "cannot access free variable '{name}' where it is not associated with a value \
                 in enclosing scope"
            ),
        )
    }

    pub fn unbound_local(name: &str) -> Exception {
        Exception::new(
            ExcKind::UnboundLocalError,
            alloc::format!(
                "cannot access local variable '{name}' where it is not associated with a value"
            ),
        )
    }

    /// A range() argument that is not an int.
    pub fn not_an_integer(type_name: &str) -> Exception {
        Exception::new(
            ExcKind::TypeError,
            alloc::format!("'{type_name}' object cannot be interpreted as an integer"),
        )
    }

    pub fn not_callable(type_name: &str) -> Exception {
        Exception::new(
            ExcKind::TypeError,
            alloc::format!("'{type_name}' object is not callable"),
        )
    }

    /// `abs()` of a value that is not a number.
    pub fn bad_abs(type_name: &str) -> Exception {
        Exception::new(
            ExcKind::TypeError,
            alloc::format!("bad operand type for abs(): '{type_name}'"),
        )
    }

    /// Unpacking a value of type `type_name`, which cannot be iterated.
    pub fn cannot_unpack(type_name: &str) -> Exception {
        Exception::new(
            ExcKind::TypeError,
            alloc::format!("cannot unpack non-iterable {type_name} object"),
        )
    }

    /// `x[i]` (or `x[i] = v` when `store`) past the end of a list, tuple or string.
    pub fn item_out_of_range(type_name: &str, store: bool) -> Exception {
        let what = if type_name == "str" {
            "string"
        } else {
            type_name
        };
        let msg = if store {
            alloc::format!("{what} assignment index out of range")
        } else {
            alloc::format!("{what} index out of range")
        };
        Exception::new(ExcKind::IndexError, msg)
    }

    /// `x[i]` of a list, tuple or string with an `i` that is no int.
    pub fn bad_index(container: &str, index: &str) -> Exception {
        let msg = if container == "str" {
            alloc::format!("string indices must be integers, not '{index}'")
        } else {
            alloc::format!("{container} indices must be integers or slices, not {index}")
        };
        Exception::new(ExcKind::TypeError, msg)
    }

    /// An index past what a machine word holds.
    pub fn index_too_big() -> Exception {
        Exception::new(
            ExcKind::IndexError,
            "cannot fit 'int' into an index-sized integer",
        )
    }

    pub fn bad_slice_index() -> Exception {
        Exception::new(
            ExcKind::TypeError,
            "slice indices must be integers or None or have an __index__ method",
        )
    }

    pub fn slice_step_zero() -> Exception {
        Exception::new(ExcKind::ValueError, "slice step cannot be zero")
    }

    pub fn not_subscriptable(type_name: &str) -> Exception {
        Exception::new(
            ExcKind::TypeError,
            alloc::format!("'{type_name}' object is not subscriptable"),
        )
    }

    pub fn no_item_assignment(type_name: &str) -> Exception {
        Exception::new(
            ExcKind::TypeError,
            alloc::format!("'{type_name}' object does not support item assignment"),
        )
    }

    pub fn no_item_deletion(type_name: &str) -> Exception {
        Exception::new(
            ExcKind::TypeError,
            alloc::format!("'{type_name}' object doesn't support item deletion"),
        )
    }

    /// `max()` / `min()` (`name`) of no values.
    pub fn empty_extreme(name: &str) -> Exception {
        Exception::new(
            ExcKind::ValueError,
            alloc::format!("{name}() arg is an empty sequence"),
        )
    }

    pub fn not_iterable(type_name: &str) -> Exception {
        Exception::new(
            ExcKind::TypeError,
            alloc::format!("'{type_name}' object is not iterable"),
        )
    }

    /// `x in c` of a `c` that is no container.
    pub fn not_a_container(type_name: &str) -> Exception {
        Exception::new(
            ExcKind::TypeError,
            alloc::format!("argument of type '{type_name}' is not iterable"),
        )
    }

    pub fn no_len(type_name: &str) -> Exception {
        Exception::new(
            ExcKind::TypeError,
            alloc::format!("object of type '{type_name}' has no len()"),
        )
    }

    pub fn no_attribute(type_name: &str, name: &str) -> Exception {
        Exception::new(
            ExcKind::AttributeError,
            alloc::format!("'{type_name}' object has no attribute '{name}'"),
        )
    }

    /// Unpacking `got` values (or more: None) into `want` targets.
    pub fn unpack_count(want: usize, got: Option<usize>) -> Exception {
        let msg = match got {
            Some(got) if got < want => {
                alloc::format!("not enough values to unpack (expected {want}, got {got})")
            }
            _ => alloc::format!("too many values to unpack (expected {want})"),
        };
        Exception::new(ExcKind::ValueError, msg)
    }

    /// `seq + x` of a list, tuple or str and something else.
    pub fn concat(seq: &str, other: &str) -> Exception {
        Exception::new(
            ExcKind::TypeError,
            alloc::format!("can only concatenate {seq} (not \"{other}\") to {seq}"),
        )
    }

    pub fn repeat_by(other: &str) -> Exception {
        Exception::new(
            ExcKind::TypeError,
            alloc::format!("can't multiply sequence by non-int of type '{other}'"),
        )
    }

    /// `'<' not supported between instances of 'int' and 'str'`.
    pub fn unordered(op: &str, a: &str, b: &str) -> Exception {
        Exception::new(
            ExcKind::TypeError,
            alloc::format!("'{op}' not supported between instances of '{a}' and '{b}'"),
        )
    }

    /// The whole last line of a traceback: `Kind: message`.
    /// The last line of its report: "Kind: message" — for SystemExit only its message
    /// (what `sys.exit("…")` prints).
    pub fn line(&self) -> String {
        match self.kind {
            ExcKind::SystemExit(_) => self.msg.clone(),
            // An exception whose message is empty prints its name alone.
            _ if self.msg.is_empty() => self.kind.name().into(),
            _ => alloc::format!("{}: {}", self.kind.name(), self.msg),
        }
    }
}

/// The start of [`Exception::invalid_int_literal`]'s message; the AOT runtime writes the
/// argument's repr after it itself.
pub const INVALID_INT_LITERAL: &str = "invalid literal for int() with base 10: ";

/// CPython 3.11's default `sys.get_int_max_str_digits()`.
pub const MAX_STR_DIGITS: usize = 4300;

/// The message CPython gives for reading a decimal of `digits` digits past the limit.
pub fn int_limit_message(digits: usize) -> String {
    alloc::format!(
        "Exceeds the limit ({MAX_STR_DIGITS} digits) for integer string conversion: value \
         has {digits} digits; use sys.set_int_max_str_digits() to increase the limit"
    )
}
