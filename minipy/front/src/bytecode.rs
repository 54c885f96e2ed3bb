//! CPython-style stack bytecode, and `dis`.

use crate::ast::{BinOp, CmpOp, ParamShape};
use crate::error::{ExcKind, Exception};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

/// [`Op::CallPrint`] has a `sep=` value.
pub const PRINT_SEP: u32 = 1;
/// [`Op::CallPrint`] has an `end=` value.
pub const PRINT_END: u32 = 2;
/// [`Op::CallPrint`]'s `end=` came before its `sep=`.
pub const PRINT_END_FIRST: u32 = 4;
/// [`Op::CallPrint`]'s one positional value is a list of the values to print (`*args`).
pub const PRINT_STAR: u32 = 8;
/// [`Op::CallPrint`] writes to stderr (`file=sys.stderr`).
pub const PRINT_STDERR: u32 = 16;

/// How many keyword values a CALL_PRINT with flags `b` takes from the stack.
pub fn print_keywords(b: u32) -> u32 {
    (b & PRINT_SEP) + (b & PRINT_END) / PRINT_END
}

/// A CALL_PRINT's (sep, end) among its keyword values `kw` (in the order written).
pub fn print_sep_end<T: Copy>(b: u32, kw: &[T]) -> (Option<T>, Option<T>) {
    match (b & PRINT_SEP != 0, b & PRINT_END != 0) {
        (true, true) if b & PRINT_END_FIRST != 0 => (kw.get(1).copied(), kw.first().copied()),
        (true, true) => (kw.first().copied(), kw.get(1).copied()),
        (true, false) => (kw.first().copied(), None),
        (false, true) => (None, kw.first().copied()),
        (false, false) => (None, None),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Op {
    Nop,
    /// push `consts[a]`
    LoadConst,
    /// push `locals[a]` (UnboundLocalError if unset)
    LoadFast,
    StoreFast,
    /// push `globals[a]` (NameError if unset)
    LoadGlobal,
    StoreGlobal,
    /// unbind local `a` (UnboundLocalError if it is not bound)
    DeleteFast,
    /// unbind global `a` (NameError if it is not bound)
    DeleteGlobal,
    /// a = BinOp index; b = 1 for an augmented assignment (`x += y`)
    BinaryOp,
    UnaryNegative,
    UnaryPositive,
    UnaryInvert,
    UnaryNot,
    /// a = CmpOp index
    CompareOp,
    PopJumpIfFalse,
    PopJumpIfTrue,
    JumpIfFalseOrPop,
    JumpIfTrueOrPop,
    JumpForward,
    JumpBackward,
    /// call the function below the `a` arguments
    Call,
    /// print `a` values; `b`: [`PRINT_SEP`], [`PRINT_END`] (their values follow the `a`
    /// values, in the order written: [`PRINT_END_FIRST`] when end came first)
    CallPrint,
    /// builtin `a` (see [`Builtin`]) with `b` arguments
    CallBuiltin,
    ReturnValue,
    /// `[v]` → `[]`: a generator hands `v` to whatever resumed it and stops here until it
    /// is resumed again ([`Code::generator`])
    YieldValue,
    PopTop,
    DupTop,
    RotTwo,
    RotThree,
    /// pop `b` range() arguments into locals a (current), a+1 (stop), a+2 (step)
    RangeSetup,
    /// push the next value of the range in locals a.., or jump to b when done
    ForRange,
    /// push function `a`
    MakeFunction,
    /// raise the error in `consts[a]` (a run-time error known at compile time)
    RaiseConst,
    /// pop a value and raise "cannot unpack non-iterable T object"
    UnpackNonIterable,
    /// raise the exception [`ExcKind::RAISABLE`]`[a]` (`assert`, `raise`); b = 0: no
    /// message, 1: the message str() makes of the value popped, 2: the one repr() makes
    /// (`KeyError(k)`)
    Raise,
    /// pop `a` values, push a list of them
    BuildList,
    /// pop `a` values, push a tuple of them
    BuildTuple,
    /// `[obj, i]` → `obj[i]`; b = 1: a slice, `[obj, lo, hi, step]` (None where left out)
    BinarySubscr,
    /// `[x, obj, i]` → `obj[i] = x`; b = 1: `[x, obj, lo, hi, step]`
    StoreSubscr,
    /// `[obj, i]` → `del obj[i]`; b = 1: `[obj, lo, hi, step]`
    DeleteSubscr,
    /// `[v]` → `[iter(v)]`
    GetIter,
    /// `[it]` → `[it, next(it)]`, or pop the iterator and jump to `b` when it is done
    ForIter,
    /// `[v]` → its `a` values, the first on top
    UnpackSequence,
    /// `[x, c]` → `x in c` (a = 1: `not in`)
    ContainsOp,
    /// `[x, y]` → `x is y` (a = 1: `is not`)
    IsOp,
    /// `[obj]` → `[obj]`, raising AttributeError unless it has a method `a` (an interned
    /// string): where CPython looks the method up, before the arguments are evaluated
    LoadMethod,
    /// `[obj, args…, keyword values…]` → `obj.name(…)`: `a` the name (an interned
    /// string), `b` the positional count plus [`METHOD_KEY`] / [`METHOD_REVERSE`] for the
    /// keyword values that follow, in that order
    CallMethod,
    /// `[v]` → `[format(v, spec)]` after conversion `a & 3` (0 none, 1 `!s`, 2 `!r`); `b`:
    /// the spec (an interned string) — or, `a` with [`FORMAT_SPEC_ON_STACK`], `[v, spec]`
    FormatValue,
    /// pop `a` strings, push them joined
    BuildString,
    /// pop `a` key-value pairs (key first), push a dict of them
    BuildMap,
    /// `[dict, …(a - 1 values)…, k, v]` → set k to v in the dict (a dict comprehension's
    /// accumulator)
    MapAdd,
    /// `[list, …(a - 1 values)…, x]` → append x to the list `a` entries below the top
    /// (a comprehension's accumulator)
    ListAppend,
    /// pop `a` values, push a set of them, added in order; b = 1: constants, made as
    /// CPython makes `{1, 2, 3}` (a frozenset constant merged into an empty set)
    BuildSet,
    /// `[set, …(a - 1 values)…, x]` → add x to the set (a set comprehension's accumulator)
    SetAdd,
    /// local `a` → a new cell holding its value (a variable functions inside share)
    MakeCell,
    /// push the value in the cell in local `a` (b = 1: a free variable, for the error
    /// when it is unbound)
    LoadDeref,
    /// pop into the cell in local `a`
    StoreDeref,
    /// unbind the cell in local `a`
    DeleteDeref,
    /// push the cell in local `a` itself (for MAKE_CLOSURE)
    LoadClosure,
    /// `[defaults…, cells…]` → a function of code `a` with them: `b` = the number of cells
    /// plus the number of defaults << 16
    MakeClosure,
    /// `[list, …(a - 1 values)…, x]` → extend the list with x's values (`*x` in a call)
    ListExtend,
    /// `[f, args]` → `f(*args)` (args any iterable); `a` = 1: `[f, args, kwargs]` →
    /// `f(*args, **kwargs)` (kwargs a dict)
    CallFunctionEx,
    /// `[f, positional…, keyword values…]` → `f(…)`: `a` = the positional count plus the
    /// keyword count << 16, `b` = an interned string of the keyword names joined by commas
    CallKw,
    /// `[obj]` → the method `a` (an interned string) of obj as a value (AttributeError
    /// when it has none); of a type (`str.lower`), a function of the object
    LoadAttr,
    /// `[v]` → its first `a` values, a list of the middle ones, its last `b` values, the
    /// first on top (`a, *rest, z = v`)
    UnpackEx,
    /// `[f, args, dict, m]` → `[f, args, dict]` with m's items added to dict: a call's
    /// `**m` (TypeError naming f when m is not a dict or repeats a keyword); `a` = 1:
    /// `[dict, m]` → `[dict]`, a dict display's `**m` (later keys win)
    DictMerge,
}

/// [`Op::FormatValue`] takes its spec from the stack (a spec with replacement fields).
pub const FORMAT_SPEC_ON_STACK: u32 = 4;

/// [`Op::CallMethod`] passes `key=` (sort's).
pub const METHOD_KEY: u32 = 1 << 8;
/// [`Op::CallMethod`] passes `reverse=` (sort's).
pub const METHOD_REVERSE: u32 = 1 << 9;

/// How many values after the object a CALL_METHOD with `b` takes from the stack.
pub fn method_values(b: u32) -> u32 {
    (b & 0xff) + u32::from(b & METHOD_KEY != 0) + u32::from(b & METHOD_REVERSE != 0)
}

impl Op {
    pub fn name(self) -> &'static str {
        match self {
            Op::Nop => "NOP",
            Op::LoadConst => "LOAD_CONST",
            Op::LoadFast => "LOAD_FAST",
            Op::StoreFast => "STORE_FAST",
            Op::LoadGlobal => "LOAD_GLOBAL",
            Op::StoreGlobal => "STORE_GLOBAL",
            Op::DeleteFast => "DELETE_FAST",
            Op::DeleteGlobal => "DELETE_GLOBAL",
            Op::BinaryOp => "BINARY_OP",
            Op::UnaryNegative => "UNARY_NEGATIVE",
            Op::UnaryPositive => "UNARY_POSITIVE",
            Op::UnaryInvert => "UNARY_INVERT",
            Op::UnaryNot => "UNARY_NOT",
            Op::CompareOp => "COMPARE_OP",
            Op::PopJumpIfFalse => "POP_JUMP_IF_FALSE",
            Op::PopJumpIfTrue => "POP_JUMP_IF_TRUE",
            Op::JumpIfFalseOrPop => "JUMP_IF_FALSE_OR_POP",
            Op::JumpIfTrueOrPop => "JUMP_IF_TRUE_OR_POP",
            Op::JumpForward => "JUMP_FORWARD",
            Op::JumpBackward => "JUMP_BACKWARD",
            Op::Call => "CALL",
            Op::CallPrint => "CALL_PRINT",
            Op::CallBuiltin => "CALL_BUILTIN",
            Op::ReturnValue => "RETURN_VALUE",
            Op::YieldValue => "YIELD_VALUE",
            Op::PopTop => "POP_TOP",
            Op::DupTop => "COPY",
            Op::RotTwo => "SWAP",
            Op::RotThree => "ROT_THREE",
            Op::RangeSetup => "RANGE_SETUP",
            Op::ForRange => "FOR_RANGE",
            Op::MakeFunction => "MAKE_FUNCTION",
            Op::RaiseConst => "RAISE_CONST",
            Op::UnpackNonIterable => "UNPACK_NON_ITERABLE",
            Op::Raise => "RAISE",
            Op::BuildList => "BUILD_LIST",
            Op::BuildTuple => "BUILD_TUPLE",
            Op::BinarySubscr => "BINARY_SUBSCR",
            Op::StoreSubscr => "STORE_SUBSCR",
            Op::DeleteSubscr => "DELETE_SUBSCR",
            Op::GetIter => "GET_ITER",
            Op::ForIter => "FOR_ITER",
            Op::UnpackSequence => "UNPACK_SEQUENCE",
            Op::ContainsOp => "CONTAINS_OP",
            Op::IsOp => "IS_OP",
            Op::LoadMethod => "LOAD_METHOD",
            Op::CallMethod => "CALL_METHOD",
            Op::ListAppend => "LIST_APPEND",
            Op::BuildSet => "BUILD_SET",
            Op::SetAdd => "SET_ADD",
            Op::MakeCell => "MAKE_CELL",
            Op::LoadDeref => "LOAD_DEREF",
            Op::StoreDeref => "STORE_DEREF",
            Op::DeleteDeref => "DELETE_DEREF",
            Op::LoadClosure => "LOAD_CLOSURE",
            Op::MakeClosure => "MAKE_CLOSURE",
            Op::ListExtend => "LIST_EXTEND",
            Op::CallFunctionEx => "CALL_FUNCTION_EX",
            Op::CallKw => "CALL_KW",
            Op::LoadAttr => "LOAD_ATTR",
            Op::UnpackEx => "UNPACK_EX",
            Op::DictMerge => "DICT_MERGE",
            Op::BuildMap => "BUILD_MAP",
            Op::FormatValue => "FORMAT_VALUE",
            Op::BuildString => "BUILD_STRING",
            Op::MapAdd => "MAP_ADD",
        }
    }

    pub fn is_jump(self) -> bool {
        matches!(
            self,
            Op::PopJumpIfFalse
                | Op::PopJumpIfTrue
                | Op::JumpIfFalseOrPop
                | Op::JumpIfTrueOrPop
                | Op::JumpForward
                | Op::JumpBackward
        )
    }
}

/// One level of recursion a builtin spends, by the error CPython raises there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// A Python-level call: "maximum recursion depth exceeded".
    Call,
    /// A call of a C function: "... while calling a Python object".
    Calling,
    /// A comparison: "... in comparison".
    Comparing,
    /// `str()` of an object: "... while getting the str of an object".
    Str,
    /// `repr()` of an object: "... while getting the repr of an object".
    Repr,
}

impl Level {
    pub fn error(self) -> crate::error::Exception {
        use crate::error::Exception;
        match self {
            Level::Call => Exception::recursion(),
            Level::Calling => Exception::recursion_calling(false),
            Level::Comparing => Exception::recursion_calling(true),
            Level::Str => Exception::recursion_getting("str"),
            Level::Repr => Exception::recursion_getting("repr"),
        }
    }
}

/// Builtins callable by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    /// `arg(i)`: program argument i as an int (minipy's stand-in for `int(sys.argv[i + 1])`).
    Arg,
    Abs,
    Min,
    Max,
    Print,
    /// `sys.argv[i]`: checks that argument i exists (0 is the script) and leaves its
    /// index from the start.
    Argv,
    /// `int()` of the argument `Argv` left.
    ArgvInt,
    /// `len(sys.argv)`.
    Argc,
    /// `sys.exit()` / `sys.exit(status or message)`.
    Exit,
    Len,
    Str,
    Repr,
    /// `int(x)`, `int(s, base)`.
    Int,
    List,
    Tuple,
    /// `range(…)` as a value (a `for` over one is compiled as a counting loop).
    Range,
    Sum,
    Sorted,
    Reversed,
    Enumerate,
    Zip,
    Any,
    All,
    Ord,
    Chr,
    Bool,
    Dict,
    Divmod,
    /// `pow(a, b)` and `pow(a, b, m)`.
    Pow,
    Isinstance,
    /// `min(items, key=…)` given the items (a list) and their keys: reached through the
    /// compiler only (a program's `min` is [`Builtin::Min`]).
    MinKey,
    MaxKey,
    Set,
    Bin,
    Hex,
    Oct,
    /// `round(x)`, `round(x, n)` of an int.
    Round,
    /// `type(x)`.
    Type,
    Iter,
    /// `next(it)`, `next(it, default)`.
    Next,
    /// `hash(x)`, CPython's (strings as with `PYTHONHASHSEED=0`).
    Hash,
    /// `format(x, spec)`: as an f-string's `{x:spec}`.
    Format,
    /// `sys.setrecursionlimit(n)`.
    SetRecursionLimit,
    /// `sys.getrecursionlimit()`.
    GetRecursionLimit,
    /// `input()`, `input(prompt)`.
    Input,
    /// `sys.stdin` as a value: an iterator over the lines of stdin (CPython's stream is its
    /// own iterator).
    Stdin,
    /// `sys.stdin.read()`, `sys.stdin.read(size)`.
    StdinRead,
    /// `sys.stdin.readline()`, `sys.stdin.readline(size)`.
    StdinReadline,
    /// `sys.stdin.readlines()`.
    StdinReadlines,
    /// `sys.stdout.write(s)`.
    StdoutWrite,
    /// `sys.stdout.flush()`.
    StdoutFlush,
    /// `sys.stderr.write(s)`.
    StderrWrite,
    /// `sys.stderr.flush()`.
    StderrFlush,
    /// `sys.argv` as a value (a list of strings; `int(sys.argv[i])` and `len(sys.argv)`
    /// are [`Builtin::ArgvInt`] and [`Builtin::Argc`], which compiled code knows).
    ArgvList,
}

impl Builtin {
    /// The levels of recursion CPython spends in it, in order, each with the error it
    /// raises when that level passes the limit: the call itself, then what the builtin
    /// calls inside — print the stream's write, min and max a comparison, and arg (which
    /// the oracle defines as a Python function) int(). Measured against CPython 3.11: a
    /// builtin called through `METH_O` or with keywords checks the limit as it is called,
    /// a `METH_FASTCALL` one (len, divmod, pow, isinstance, sum, next …) does not;
    /// `str()` and `repr()` check it as they get the string, sorting ints or strings
    /// compares without it. (`Vm::builtin` adjusts min/max of one item and format of
    /// one argument.)
    #[inline]
    pub fn recursion_levels(self) -> &'static [Level] {
        match self {
            Builtin::Abs => &[Level::Calling],
            Builtin::Print => &[Level::Calling, Level::Calling],
            Builtin::Arg => &[Level::Call, Level::Calling],
            Builtin::Min | Builtin::Max => &[Level::Calling, Level::Comparing],
            // int is a type called through vectorcall (no level); len and sys.exit are
            // builtin functions (one).
            Builtin::Argv | Builtin::ArgvInt => &[],
            Builtin::Argc => &[],
            Builtin::Exit => &[Level::Calling],
            // Types (called through vectorcall) spend none but in what they do.
            Builtin::List
            | Builtin::Tuple
            | Builtin::Enumerate
            | Builtin::Bool
            | Builtin::Dict
            | Builtin::Set => &[],
            Builtin::Str => &[Level::Str],
            Builtin::Int | Builtin::Reversed | Builtin::Zip => &[Level::Calling],
            Builtin::Range => Builtin::RANGE_LEVELS,
            Builtin::Divmod | Builtin::Pow | Builtin::Isinstance => &[],
            Builtin::MinKey | Builtin::MaxKey => &[Level::Calling, Level::Comparing],
            Builtin::Sorted => &[Level::Calling],
            Builtin::Repr => &[Level::Calling, Level::Repr],
            Builtin::Len | Builtin::Sum => &[],
            Builtin::Any
            | Builtin::All
            | Builtin::Ord
            | Builtin::Chr
            | Builtin::Bin
            | Builtin::Hex
            | Builtin::Oct
            | Builtin::Round => &[Level::Calling],
            Builtin::Type | Builtin::Iter | Builtin::Next => &[],
            Builtin::Hash | Builtin::Format => &[Level::Calling],
            Builtin::SetRecursionLimit => &[],
            Builtin::GetRecursionLimit => &[Level::Calling],
            Builtin::Input
            | Builtin::StdinRead
            | Builtin::StdinReadline
            | Builtin::StdinReadlines
            | Builtin::StdoutWrite
            | Builtin::StdoutFlush
            | Builtin::StderrWrite
            | Builtin::StderrFlush => &[Level::Calling],
            Builtin::Stdin | Builtin::ArgvList => &[],
        }
    }

    /// Whether it may iterate an argument (a generator passed to it first runs to its end:
    /// see `Vm::call`). Those that only look at the value, and `reversed`, which refuses a
    /// generator, leave it as it is.
    pub fn iterates(self) -> bool {
        !self.is_stream()
            && !matches!(
                self,
                Builtin::Len
                | Builtin::Repr
                | Builtin::Str
                | Builtin::Bool
                | Builtin::Type
                | Builtin::Isinstance
                | Builtin::Iter
                | Builtin::Reversed
                | Builtin::Print
                | Builtin::Next
                | Builtin::Hash
                | Builtin::Format
                | Builtin::SetRecursionLimit
                | Builtin::GetRecursionLimit
                | Builtin::ArgvList
                // Of a generator, a generator of their own (Program::lazy_iters).
                | Builtin::Enumerate
                | Builtin::Zip
            )
    }

    /// Its parameters that a call may name, as CPython 3.11 spells them: all of its
    /// parameters in order, how many of the first are positional-only, and how many of
    /// the first are required. None: it takes no keyword arguments here (print, min, max,
    /// sorted and dict's are the compiler's).
    pub fn keyword_params(self) -> Option<(&'static [&'static str], usize, usize)> {
        Some(match self {
            Builtin::Round => (&["number", "ndigits"], 0, 1),
            Builtin::Pow => (&["base", "exp", "mod"], 0, 2),
            Builtin::Str => (&["object", "encoding", "errors"], 0, 0),
            Builtin::Int => (&["x", "base"], 1, 0),
            Builtin::Enumerate => (&["iterable", "start"], 0, 1),
            Builtin::Sum => (&["iterable", "start"], 1, 1),
            _ => return None,
        })
    }

    /// `input()` and the pseudo-builtins of `sys.stdin`, `sys.stdout` and `sys.stderr`:
    /// only the interpreter runs them (`Vm::stream_builtin`), and none iterates.
    pub fn is_stream(self) -> bool {
        matches!(
            self,
            Builtin::Input
                | Builtin::Stdin
                | Builtin::StdinRead
                | Builtin::StdinReadline
                | Builtin::StdinReadlines
                | Builtin::StdoutWrite
                | Builtin::StdoutFlush
                | Builtin::StderrWrite
                | Builtin::StderrFlush
        )
    }

    /// Whether `n` arguments suit it.
    pub fn takes(self, n: usize) -> bool {
        match self {
            Builtin::Arg | Builtin::Abs | Builtin::Argv | Builtin::ArgvInt => n == 1,
            Builtin::Min | Builtin::Max => n >= 1,
            Builtin::Print | Builtin::Zip => true,
            Builtin::Argc => n == 0,
            Builtin::Exit => n <= 1,
            Builtin::Len
            | Builtin::Repr
            | Builtin::Reversed
            | Builtin::Sorted
            | Builtin::Any
            | Builtin::All
            | Builtin::Ord
            | Builtin::Chr
            | Builtin::Bin
            | Builtin::Hex
            | Builtin::Oct
            | Builtin::Type
            | Builtin::Iter => n == 1,
            Builtin::Next => (1..=2).contains(&n),
            Builtin::Hash => n == 1,
            Builtin::Format => (1..=2).contains(&n),
            // (Any count: a wrong one is CPython's TypeError when it runs.)
            Builtin::SetRecursionLimit
            | Builtin::GetRecursionLimit
            | Builtin::Input
            | Builtin::StdinRead
            | Builtin::StdinReadline
            | Builtin::StdinReadlines
            | Builtin::StdoutWrite
            | Builtin::StdoutFlush
            | Builtin::StderrWrite
            | Builtin::StderrFlush => true,
            Builtin::Stdin | Builtin::ArgvList => n == 0,
            Builtin::Str
            | Builtin::List
            | Builtin::Tuple
            | Builtin::Bool
            | Builtin::Dict
            | Builtin::Set => n <= 1,
            Builtin::Int | Builtin::Sum | Builtin::Enumerate | Builtin::Round => {
                (1..=2).contains(&n)
            }
            Builtin::Range => (1..=3).contains(&n),
            Builtin::Divmod | Builtin::Isinstance => n == 2,
            Builtin::MinKey | Builtin::MaxKey => (2..=3).contains(&n),
            Builtin::Pow => (2..=3).contains(&n),
        }
    }

    /// `range(...)`: CPython calls the type without counting a level, then compares the
    /// bounds, which does.
    pub const RANGE_LEVELS: &'static [Level] = &[Level::Comparing];

    pub const ALL: [Builtin; 54] = [
        Builtin::Arg,
        Builtin::Abs,
        Builtin::Min,
        Builtin::Max,
        Builtin::Print,
        Builtin::Argv,
        Builtin::ArgvInt,
        Builtin::Argc,
        Builtin::Exit,
        Builtin::Len,
        Builtin::Str,
        Builtin::Repr,
        Builtin::Int,
        Builtin::List,
        Builtin::Tuple,
        Builtin::Range,
        Builtin::Sum,
        Builtin::Sorted,
        Builtin::Reversed,
        Builtin::Enumerate,
        Builtin::Zip,
        Builtin::Any,
        Builtin::All,
        Builtin::Ord,
        Builtin::Chr,
        Builtin::Bool,
        Builtin::Dict,
        Builtin::Divmod,
        Builtin::Pow,
        Builtin::Isinstance,
        Builtin::MinKey,
        Builtin::MaxKey,
        Builtin::Set,
        Builtin::Bin,
        Builtin::Hex,
        Builtin::Oct,
        Builtin::Round,
        Builtin::Type,
        Builtin::Iter,
        Builtin::Next,
        Builtin::Hash,
        Builtin::Format,
        Builtin::SetRecursionLimit,
        Builtin::GetRecursionLimit,
        Builtin::Input,
        Builtin::Stdin,
        Builtin::StdinRead,
        Builtin::StdinReadline,
        Builtin::StdinReadlines,
        Builtin::StdoutWrite,
        Builtin::StdoutFlush,
        Builtin::ArgvList,
        Builtin::StderrWrite,
        Builtin::StderrFlush,
    ];

    /// Whether it is a type (`int`, `str`, `list` …: `<class 'int'>`, of type `type`) rather
    /// than a builtin function.
    pub fn is_type(self) -> bool {
        matches!(
            self,
            Builtin::Int
                | Builtin::Str
                | Builtin::List
                | Builtin::Tuple
                | Builtin::Dict
                | Builtin::Set
                | Builtin::Type
                | Builtin::Range
                | Builtin::Bool
                | Builtin::Reversed
                | Builtin::Enumerate
                | Builtin::Zip
        )
    }

    /// Whether compiled code knows it (the rest work on objects only the interpreter has).
    pub fn compiled(self) -> bool {
        Builtin::ALL.iter().position(|&b| b == self) < Some(9)
    }

    pub fn name(self) -> &'static str {
        match self {
            Builtin::Arg => "arg",
            Builtin::Abs => "abs",
            Builtin::Min => "min",
            Builtin::Max => "max",
            Builtin::Print => "print",
            // Not names a program can write: these are reached only through `sys`.
            Builtin::Argv => "sys.argv[]",
            Builtin::ArgvInt => "int(sys.argv[])",
            Builtin::Argc => "len(sys.argv)",
            Builtin::Exit => "sys.exit",
            Builtin::Len => "len",
            Builtin::Str => "str",
            Builtin::Repr => "repr",
            Builtin::Int => "int",
            Builtin::List => "list",
            Builtin::Tuple => "tuple",
            Builtin::Range => "range",
            Builtin::Sum => "sum",
            Builtin::Sorted => "sorted",
            Builtin::Reversed => "reversed",
            Builtin::Enumerate => "enumerate",
            Builtin::Zip => "zip",
            Builtin::Any => "any",
            Builtin::All => "all",
            Builtin::Ord => "ord",
            Builtin::Chr => "chr",
            Builtin::Bool => "bool",
            Builtin::Dict => "dict",
            Builtin::Divmod => "divmod",
            Builtin::Pow => "pow",
            Builtin::Isinstance => "isinstance",
            // Not names a program can write: min/max with key= compile to these.
            Builtin::MinKey => "min(key=)",
            Builtin::MaxKey => "max(key=)",
            Builtin::Set => "set",
            Builtin::Bin => "bin",
            Builtin::Hex => "hex",
            Builtin::Oct => "oct",
            Builtin::Round => "round",
            Builtin::Type => "type",
            Builtin::Iter => "iter",
            Builtin::Next => "next",
            Builtin::Hash => "hash",
            Builtin::Format => "format",
            Builtin::SetRecursionLimit => "sys.setrecursionlimit",
            Builtin::GetRecursionLimit => "sys.getrecursionlimit",
            Builtin::Input => "input",
            // Not names a program can write: reached only through `sys`.
            Builtin::Stdin => "sys.stdin",
            Builtin::StdinRead => "sys.stdin.read",
            Builtin::StdinReadline => "sys.stdin.readline",
            Builtin::StdinReadlines => "sys.stdin.readlines",
            Builtin::StdoutWrite => "sys.stdout.write",
            Builtin::StdoutFlush => "sys.stdout.flush",
            Builtin::ArgvList => "sys.argv",
            Builtin::StderrWrite => "sys.stderr.write",
            Builtin::StderrFlush => "sys.stderr.flush",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Instr {
    pub op: Op,
    pub a: u32,
    pub b: u32,
}

/// Constants of a code object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Const {
    Int(i64),
    /// An integer literal past 64 bits.
    Big(num_bigint::BigInt),
    Bool(bool),
    None,
    /// An interned string (index into [`Program::strings`]).
    Str(u32),
    /// A run-time error the compiler already knows will happen: (exception name index, message).
    Error(crate::error::ExcKind, String),
}

/// Where an instruction comes from, as CPython's `co_positions` has it: the span of the
/// expression (or statement) it belongs to, which a traceback underlines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    /// 1-based lines, 0-based UTF-8 byte columns (end exclusive).
    pub line: u32,
    pub end_line: u32,
    /// None: the instruction has a line but no columns (nothing to underline).
    pub cols: Option<(u32, u32)>,
    /// What inside the span a traceback marks apart from the rest.
    pub anchor: Anchor,
}

/// The part of an instruction's span a traceback marks with `^` against `~` for the rest —
/// for the two kinds of expression CPython 3.11 does this for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Anchor {
    #[default]
    None,
    /// A binary operation: its operator lies between the left operand's end and the right
    /// operand's start (byte columns of the line).
    BinOp { left_end: u32, right_start: u32 },
    /// A subscript `value[index]`: the brackets and the index, the value ending at
    /// `value_end` and the index at `index_end`.
    Subscript { value_end: u32, index_end: u32 },
}

impl From<u32> for Pos {
    /// A line without columns.
    fn from(line: u32) -> Pos {
        Pos::line(line)
    }
}

impl Pos {
    /// A line without columns.
    pub fn line(line: u32) -> Pos {
        Pos {
            line,
            end_line: line,
            cols: None,
            anchor: Anchor::None,
        }
    }

    /// The whole of `span`.
    pub fn span(s: crate::ast::Span) -> Pos {
        Pos {
            line: s.line,
            end_line: s.end_line,
            cols: Some((s.col, s.end_col)),
            anchor: Anchor::None,
        }
    }
}

/// A compiled function (or the module body).
#[derive(Clone, Debug, Default)]
pub struct Code {
    pub name: String,
    /// `outer.<locals>.name` for a function inside another (CPython names it so in
    /// argument errors); empty when it is `name`.
    pub qualname: String,
    pub nparams: u32,
    /// Named locals and hidden slots (range state) together.
    pub nlocals: u32,
    pub local_names: Vec<String>,
    /// The named locals' slots in CPython's `co_varnames` order: the parameters, then each
    /// other local where the code first reads or writes it (NameError suggestions search
    /// them in this order).
    pub varnames: Vec<u32>,
    /// Default values of the last `defaults.len()` positional parameters (placeholders
    /// in a closure's code: its defaults are values the closure holds, these first).
    pub defaults: Vec<Const>,
    /// Keyword-only parameters, `*args`, `**kwargs` (after the positional ones:
    /// `nparams` counts those only).
    pub shape: ParamShape,
    /// Default values of the keyword-only parameters that have one, in order (a
    /// closure's: after its positional ones).
    pub kwdefaults: Vec<Const>,
    /// The slots of its free variables, in the order a closure holds their cells (filled
    /// when it is called).
    pub free_slots: Vec<u32>,
    pub instrs: Vec<Instr>,
    /// Where each instruction's source is.
    pub positions: Vec<Pos>,
    pub consts: Vec<Const>,
    /// A generator expression's code: calling it makes a generator (its frame, kept
    /// between `YIELD_VALUE`s) instead of running it.
    pub generator: bool,
    /// The code of a builtin iterator written as a generator (`map`, `filter`: its name):
    /// its frame is left out of tracebacks and its objects are named by it, as CPython's
    /// iterators written in C are.
    pub builtin_iter: bool,
}

/// A compiled program: code objects (0 is the module) and the global names.
#[derive(Clone, Debug, Default)]
pub struct Program {
    pub filename: String,
    pub codes: Vec<Code>,
    pub globals: Vec<String>,
    /// Interned string literals; index 0 is the empty string (so truthiness needs no lookup).
    pub strings: Vec<String>,
    /// `enumerate` and `zip` written as generators (`<enumerate>`, `<zip>`), for a program
    /// that names them: made instead of the builtins' iterators when an argument is a
    /// generator, so that it runs as it is pulled, as CPython's enumerate and zip pull.
    pub lazy_iters: Option<LazyIters>,
}

/// The code objects of [`Program::lazy_iters`].
#[derive(Clone, Copy, Debug)]
pub struct LazyIters {
    /// Parameters: an iterator and the first count.
    pub enumerate: u32,
    /// Parameter: a tuple of iterators.
    pub zip: u32,
}

fn const_text(c: &Const, strings: &[String]) -> String {
    match c {
        Const::Int(v) => format!("{v}"),
        Const::Big(b) => format!("{b}"),
        Const::Bool(true) => "True".into(),
        Const::Bool(false) => "False".into(),
        Const::None => "None".into(),
        Const::Str(s) => format!("{:?}", strings[*s as usize]).replace('"', "'"),
        Const::Error(k, m) => format!("{}: {m}", k.name()),
    }
}

/// A listing in the spirit of Python's `dis` module: line, offset (2 per instruction, as
/// CPython counts), opcode, argument and its meaning.
pub fn disassemble(p: &Program) -> String {
    let mut out = String::new();
    for (ci, code) in p.codes.iter().enumerate() {
        if ci > 0 {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "Disassembly of <code object {} from {}>:",
            code.name, p.filename
        );
        let mut last_line = 0;
        let targets: Vec<u32> = code
            .instrs
            .iter()
            .filter(|i| i.op.is_jump())
            .map(|i| i.a)
            .chain(
                code.instrs
                    .iter()
                    .filter(|i| matches!(i.op, Op::ForRange | Op::ForIter))
                    .map(|i| i.b),
            )
            .collect();
        for (i, ins) in code.instrs.iter().enumerate() {
            let line = code.positions[i].line;
            let line_col = if line != last_line {
                format!("{line:>4}")
            } else {
                String::from("    ")
            };
            last_line = line;
            let mark = if targets.contains(&(i as u32)) {
                ">>"
            } else {
                "  "
            };
            let arg_text = match ins.op {
                Op::LoadConst | Op::RaiseConst => format!(
                    "{:>4} ({})",
                    ins.a,
                    const_text(&code.consts[ins.a as usize], &p.strings)
                ),
                Op::LoadFast | Op::StoreFast => format!(
                    "{:>4} ({})",
                    ins.a,
                    code.local_names
                        .get(ins.a as usize)
                        .map_or("?", |s| s.as_str())
                ),
                Op::LoadGlobal | Op::StoreGlobal => {
                    format!("{:>4} ({})", ins.a, p.globals[ins.a as usize])
                }
                Op::BinaryOp => format!("{:>4} ({})", ins.a, BinOp::ALL[ins.a as usize].symbol()),
                Op::CompareOp => format!("{:>4} ({})", ins.a, CmpOp::ALL[ins.a as usize].symbol()),
                op if op.is_jump() => format!("{:>4} (to {})", ins.a, ins.a * 2),
                Op::Call | Op::CallPrint | Op::DupTop | Op::RotTwo => format!("{:>4}", ins.a),
                Op::CallBuiltin => format!(
                    "{:>4} ({}, {} args)",
                    ins.a,
                    Builtin::ALL[ins.a as usize].name(),
                    ins.b
                ),
                Op::RangeSetup => format!("{:>4} ({} args)", ins.a, ins.b),
                Op::ForRange | Op::ForIter => format!("{:>4} (to {})", ins.a, ins.b * 2),
                Op::LoadMethod | Op::LoadAttr => {
                    format!("{:>4} ({})", ins.a, p.strings[ins.a as usize])
                }
                Op::CallMethod => format!(
                    "{:>4} ({}, {} args)",
                    ins.a,
                    p.strings[ins.a as usize],
                    ins.b & 0xff
                ),
                Op::BuildList
                | Op::BuildTuple
                | Op::UnpackSequence
                | Op::ListAppend
                | Op::ListExtend
                | Op::BuildMap
                | Op::MapAdd
                | Op::BuildSet
                | Op::SetAdd
                | Op::BuildString => {
                    format!("{:>4}", ins.a)
                }
                Op::MakeFunction | Op::MakeClosure => {
                    format!("{:>4} ({})", ins.a, p.codes[ins.a as usize].name)
                }
                Op::MakeCell
                | Op::LoadDeref
                | Op::StoreDeref
                | Op::DeleteDeref
                | Op::LoadClosure => format!("{:>4} ({})", ins.a, code.local_names[ins.a as usize]),
                // CPython's operands: the dict's depth below the mapping; whether a dict
                // of keywords is passed.
                Op::DictMerge => format!("{:>4}", 1),
                Op::CallFunctionEx => format!("{:>4}", ins.a),
                _ => String::new(),
            };
            // A dict display's `**m` is CPython's DICT_UPDATE.
            let name = match ins.op {
                Op::DictMerge if ins.a == 1 => "DICT_UPDATE",
                op => op.name(),
            };
            let _ = writeln!(out, "{line_col} {mark} {:>6} {name:<22}{arg_text}", i * 2);
        }
    }
    out
}

impl Code {
    /// Whether a call with `n` arguments suits it (with its defaults for the rest).
    /// CPython's `__qualname__`.
    pub fn qualname(&self) -> &str {
        if self.qualname.is_empty() {
            &self.name
        } else {
            &self.qualname
        }
    }

    pub fn takes(&self, n: usize) -> bool {
        let want = self.nparams as usize;
        n <= want && n + self.defaults.len() >= want
    }

    /// The default values of the parameters a call with `n` arguments leaves out, in
    /// parameter order (empty when it passes them all; `n` must be one [`Code::takes`]).
    pub fn defaults_after(&self, n: usize) -> &[Const] {
        let first = self.nparams as usize - self.defaults.len();
        self.defaults.get(n.saturating_sub(first)..).unwrap_or(&[])
    }

    /// [`Code::defaults_after`] as the ints compiled code passes, if they all are ints
    /// (compiled callers and native entries fill them in; other kinds are not compiled).
    pub fn int_defaults_after(&self, n: usize) -> Option<Vec<i64>> {
        self.defaults_after(n)
            .iter()
            .map(|c| match c {
                Const::Int(v) => Some(*v),
                _ => None,
            })
            .collect()
    }

    /// TypeError text for a call with the wrong number of arguments, as CPython words it.
    #[inline(always)]
    pub fn arity_error(&self, given: usize) -> Exception {
        let code = self;
        let want = code.nparams as usize;
        // The parameters a call must pass (the rest have defaults).
        let required = want - code.defaults.len();
        let msg = if given > want {
            let takes = if required == want {
                plural(want, "positional argument", "positional arguments")
            } else {
                format!("from {required} to {want} positional arguments")
            };
            format!(
                "{}() takes {takes} but {} {} given",
                code.qualname(),
                given,
                if given == 1 { "was" } else { "were" }
            )
        } else {
            let missing: Vec<&str> = code.local_names[given..required]
                .iter()
                .map(String::as_str)
                .collect();
            missing_arguments(code.qualname(), &missing)
        };
        Exception::new(ExcKind::TypeError, msg)
    }
}

/// CPython's "f() missing 2 required positional arguments: 'a' and 'b'".
pub fn missing_arguments(func: &str, missing: &[&str]) -> String {
    missing_named(func, "positional", missing)
}

/// CPython's "f() missing 2 required `kind` arguments: 'a' and 'b'" (`kind`: positional,
/// keyword-only).
pub fn missing_named(func: &str, kind: &str, missing: &[&str]) -> String {
    let quoted: Vec<String> = missing.iter().map(|n| format!("'{n}'")).collect();
    let list = match quoted.len() {
        1 => quoted[0].clone(),
        2 => format!("{} and {}", quoted[0], quoted[1]),
        n => format!("{}, and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    };
    format!(
        "{func}() missing {} required {kind} {}: {list}",
        quoted.len(),
        if quoted.len() == 1 {
            "argument"
        } else {
            "arguments"
        }
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}
