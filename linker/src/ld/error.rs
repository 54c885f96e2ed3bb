//! Everything that can stop a link, each naming the file, section, symbol or argument at
//! fault. Printed one problem per line (an undefined symbol lists its references under it,
//! as lld does).

use std::fmt;

/// Demangled Rust (or C++-free) symbol name, with the mangled form when it differs.
pub fn pretty(name: &str) -> String {
    let d = format!("{:#}", rustc_demangle::demangle(name));
    if d == name {
        d
    } else {
        format!("{d} ({name})")
    }
}

/// A reference to an undefined symbol: the object and section it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub file: String,
    pub section: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// A command-line argument (empty `arg`: the command line as a whole).
    Usage {
        arg: String,
        why: &'static str,
    },
    Io {
        path: String,
        what: &'static str,
        error: String,
    },
    /// An input that is not a usable ELF64 x86-64 relocatable object.
    BadObject {
        file: String,
        why: String,
    },
    BadArchive {
        file: String,
        why: String,
    },
    LibNotFound {
        name: String,
        dirs: Vec<String>,
    },
    /// Symbols referenced from kept sections that nothing defines, with every reference.
    Undefined(Vec<(String, Vec<Reference>)>),
    Duplicate {
        name: String,
        first: String,
        second: String,
    },
    NoEntry {
        name: String,
    },
    /// A relocation type freestand-ld does not apply (TLS, IFUNC, dynamic, large model).
    UnsupportedReloc {
        r_type: u32,
        file: String,
        section: String,
        offset: u64,
    },
    /// A relocated field too small for its value.
    Overflow {
        r_type: u32,
        file: String,
        section: String,
        offset: u64,
        symbol: String,
        value: i128,
    },
    /// A kept section freestand-ld cannot place (thread-local data, an alignment past a page).
    Unplaceable {
        file: String,
        section: String,
        why: String,
    },
    /// The ELF writer refused the image (a bug in freestand-ld).
    Write(String),
}

/// The name of an x86-64 relocation type.
pub fn reloc_name(r_type: u32) -> String {
    match crate::names::x86_64_reloc(r_type) {
        Some(n) => n.into(),
        None => format!("relocation type {r_type}"),
    }
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use LinkError::*;
        match self {
            Usage { arg, why } if arg.is_empty() => write!(f, "{why}"),
            Usage { arg, why } => write!(f, "argument `{arg}`: {why}"),
            Io { path, what, error } => write!(f, "{path}: {what}: {error}"),
            BadObject { file, why } => write!(f, "{file}: {why}"),
            BadArchive { file, why } => write!(f, "{file}: bad archive: {why}"),
            LibNotFound { name, dirs } => write!(
                f,
                "cannot find -l{name} (lib{name}.a or lib{name}.rlib) in {}",
                if dirs.is_empty() {
                    "no -L directory".to_string()
                } else {
                    dirs.join(", ")
                }
            ),
            Undefined(syms) => {
                for (i, (name, refs)) in syms.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "undefined symbol: {}", pretty(name))?;
                    for r in refs {
                        write!(f, "\n>>> referenced by {}:({})", r.file, r.section)?;
                    }
                }
                Ok(())
            }
            Duplicate {
                name,
                first,
                second,
            } => write!(
                f,
                "duplicate symbol: {}\n>>> defined in {first}\n>>> defined in {second}",
                pretty(name)
            ),
            NoEntry { name } => write!(
                f,
                "entry symbol `{name}` is not defined (freestanding programs get `_start` from \
                 rt::entry!; another name with -e)"
            ),
            UnsupportedReloc {
                r_type,
                file,
                section,
                offset,
            } => write!(
                f,
                "{file}:({section}+{offset:#x}): {} is not supported by freestand-ld \
                 (static, TLS-free, small code model)",
                reloc_name(*r_type)
            ),
            Overflow {
                r_type,
                file,
                section,
                offset,
                symbol,
                value,
            } => write!(
                f,
                "{file}:({section}+{offset:#x}): {} to {} is out of range: {value:#x} does \
                 not fit in the field",
                reloc_name(*r_type),
                pretty(symbol)
            ),
            Unplaceable { file, section, why } => write!(f, "{file}:({section}): {why}"),
            Write(e) => write!(f, "internal error writing the executable: {e}"),
        }
    }
}

impl std::error::Error for LinkError {}
