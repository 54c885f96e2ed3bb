//! The methods of the builtin types, by name: the parser knows them (a call of an unknown
//! method is a compile-time error in the subset), the interpreter dispatches on them.

/// Methods of lists and strings (and of tuples: `index`, `count`).
pub const LIST_METHODS: [&str; 11] = [
    "append", "pop", "insert", "extend", "index", "count", "sort", "reverse", "remove", "copy",
    "clear",
];
pub const STR_METHODS: [&str; 17] = [
    "split",
    "join",
    "strip",
    "lstrip",
    "rstrip",
    "replace",
    "upper",
    "lower",
    "startswith",
    "endswith",
    "find",
    "isdigit",
    "isalpha",
    "isspace",
    "rfind",
    "rindex",
    "title",
];

pub const DICT_METHODS: [&str; 11] = [
    "fromkeys",
    "popitem",
    "get",
    "setdefault",
    "items",
    "keys",
    "values",
    "pop",
    "update",
    "clear",
    "copy",
];

/// The methods of ints (and bools).
pub const INT_METHODS: [&str; 2] = ["bit_length", "bit_count"];

/// The str methods of `strs` (the rest of them).
pub const MORE_STR_METHODS: [&str; 25] = [
    "splitlines",
    "isalnum",
    "isupper",
    "islower",
    "isdecimal",
    "isnumeric",
    "zfill",
    "center",
    "ljust",
    "rjust",
    "partition",
    "rpartition",
    "capitalize",
    "swapcase",
    "removeprefix",
    "removesuffix",
    "format",
    "rsplit",
    "istitle",
    "isascii",
    "maketrans",
    "translate",
    "expandtabs",
    "isprintable",
    "format_map",
];

/// The set methods minipy has.
pub const SET_METHODS: [&str; 17] = [
    "add",
    "remove",
    "discard",
    "pop",
    "clear",
    "copy",
    "update",
    "union",
    "intersection",
    "difference",
    "symmetric_difference",
    "issubset",
    "issuperset",
    "isdisjoint",
    "intersection_update",
    "difference_update",
    "symmetric_difference_update",
];
