//! bloaty-style size attribution for `inspect --sizes`: a file's bytes (and its memory) by
//! segment, section, symbol and crate, with what cannot be attributed named (headers,
//! padding, code nobody knows the name of). A stripped file borrows its names: from the
//! link map freestand-ld wrote beside it, or from an unstripped build of the same code
//! (`--symbols-from`); when neither exists, it says so instead of guessing.

use crate::inspect::Report;
use crate::ld::map::{crate_of_demangled, crate_of_file};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Bytes of one named thing: in the file and in memory.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Row {
    pub name: String,
    pub file: u64,
    pub vm: u64,
}

/// A sized, named range of memory.
#[derive(Clone, Debug)]
struct Named {
    addr: u64,
    size: u64,
    name: String,
    krate: String,
}

/// Where names came from.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Source {
    SymbolTable,
    LinkMap(String),
    SymbolsFrom(String),
    /// Stripped, no map, no other build: only segments and sections are known.
    Nothing,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Attribution {
    pub source: Source,
    pub symbols: Vec<Row>,
    pub crates: Vec<Row>,
    /// File and memory bytes of the loadable segments no symbol covers.
    pub unattributed: Row,
    pub file_size: u64,
}

/// File bytes of `[addr, addr + size)`: the part inside some PT_LOAD's file image.
fn file_bytes(r: &Report, addr: u64, size: u64) -> u64 {
    let end = addr.saturating_add(size);
    r.segments
        .iter()
        .filter(|p| p.p_type == 1)
        .map(|p| {
            let (a, b) = (p.vaddr, p.vaddr.saturating_add(p.filesz));
            end.min(b).saturating_sub(addr.max(a))
        })
        .fold(0u64, u64::saturating_add)
}

/// Function and object symbols with a size, from a report's static (else dynamic) table.
fn named_from_symbols(r: &Report) -> Vec<Named> {
    let table = if r.symbols.iter().any(|s| s.table == "symtab") {
        "symtab"
    } else {
        "dynsym"
    };
    r.symbols
        .iter()
        .filter(|s| {
            s.table == table
                && s.size > 0
                && s.shndx != 0
                && (s.kind == "FUNC" || s.kind == "OBJECT")
        })
        .map(|s| Named {
            addr: s.value,
            size: s.size,
            name: s.demangled.clone().unwrap_or_else(|| s.name.clone()),
            // Demangled once, when the report was read: the crate comes from that text
            // when it is a Rust name (a C++ name has no crate).
            krate: s
                .demangled
                .as_deref()
                .filter(|_| rustc_demangle::try_demangle(&s.name).is_ok())
                .and_then(crate_of_demangled)
                .unwrap_or_else(|| "[no crate]".into()),
        })
        .collect()
}

/// Input sections (with their crate) and the symbols in them from a freestand-ld link map.
fn named_from_map(map: &str) -> Vec<Named> {
    let mut out: Vec<Named> = Vec::new();
    let hex = |s: &str| u64::from_str_radix(s.trim_start_matches("0x"), 16).ok();
    // (address, size, crate) of the input section being listed.
    let mut part: Option<(u64, u64, String)> = None;
    let mut syms: Vec<(u64, String)> = Vec::new();
    let flush =
        |part: &Option<(u64, u64, String)>, syms: &mut Vec<(u64, String)>, out: &mut Vec<Named>| {
            let Some((a, size, krate)) = part else { return };
            syms.sort();
            let end = a.saturating_add(*size);
            if syms.is_empty() {
                out.push(Named {
                    addr: *a,
                    size: *size,
                    name: format!("[unnamed {krate} data]"),
                    krate: krate.clone(),
                });
            }
            for (i, (s, name)) in syms.iter().enumerate() {
                let next = syms.get(i + 1).map_or(end, |n| n.0);
                out.push(Named {
                    addr: *s,
                    size: next.min(end).saturating_sub(*s),
                    name: name.clone(),
                    krate: krate.clone(),
                });
            }
            syms.clear();
        };
    for line in map.lines() {
        let w: Vec<&str> = line.split_whitespace().collect();
        match w.as_slice() {
            [a, size, input, ..] if input.contains(":(") => {
                flush(&part, &mut syms, &mut out);
                let krate = line.rsplit_once('[').map_or_else(
                    || crate_of_file(input),
                    |(_, c)| c.trim_end_matches(']').to_string(),
                );
                part = hex(a).zip(hex(size)).map(|(a, s)| (a, s, krate));
            }
            [a, size, star, ..] if star.starts_with("*merged") || star.starts_with("*GOT*") => {
                flush(&part, &mut syms, &mut out);
                part = None;
                if let (Some(a), Some(s)) = (hex(a), hex(size)) {
                    out.push(Named {
                        addr: a,
                        size: s,
                        name: line
                            .split_once(*star)
                            .map_or("", |x| x.1)
                            .trim()
                            .to_string(),
                        krate: format!("({})", star.trim_matches('*')),
                    });
                }
            }
            [a, _, ..]
                if part.is_some()
                    && line.starts_with("0x")
                    && w.len() >= 2
                    && !w[1].starts_with("0x") =>
            {
                if let Some(a) = hex(a) {
                    syms.push((a, w[1..].join(" ")));
                }
            }
            _ => {
                if line.starts_with("Per crate") {
                    flush(&part, &mut syms, &mut out);
                    part = None;
                }
            }
        }
    }
    flush(&part, &mut syms, &mut out);
    out
}

/// Attributes `r`'s loadable bytes. `map`: the link map text (when present beside the file);
/// `other`: an unstripped build of the same code.
pub fn attribute(
    r: &Report,
    map: Option<(&str, &str)>,
    other: Option<(&str, &Report)>,
) -> Attribution {
    let own = named_from_symbols(r);
    let (source, named) = if !own.is_empty() {
        (Source::SymbolTable, own)
    } else if let Some((path, text)) = map {
        (Source::LinkMap(path.into()), named_from_map(text))
    } else if let Some((path, o)) = other {
        (Source::SymbolsFrom(path.into()), named_from_symbols(o))
    } else {
        (Source::Nothing, Vec::new())
    };
    let mut symbols: Vec<Row> = Vec::new();
    let mut crates: BTreeMap<String, Row> = BTreeMap::new();
    let (mut named_file, mut named_vm) = (0u64, 0u64);
    for n in &named {
        let file = file_bytes(r, n.addr, n.size);
        symbols.push(Row {
            name: n.name.clone(),
            file,
            vm: n.size,
        });
        let c = crates.entry(n.krate.clone()).or_insert_with(|| Row {
            name: n.krate.clone(),
            ..Row::default()
        });
        // Sizes come from the file: sums saturate rather than wrap.
        c.file = c.file.saturating_add(file);
        c.vm = c.vm.saturating_add(n.size);
        named_file = named_file.saturating_add(file);
        named_vm = named_vm.saturating_add(n.size);
    }
    let (load_file, load_vm) = r
        .segments
        .iter()
        .filter(|p| p.p_type == 1)
        .fold((0u64, 0u64), |(f, v), p| {
            (f.saturating_add(p.filesz), v.saturating_add(p.memsz))
        });
    let by_size =
        |v: &mut Vec<Row>| v.sort_by(|a, b| (b.file, b.vm, &a.name).cmp(&(a.file, a.vm, &b.name)));
    let mut crates: Vec<Row> = crates.into_values().collect();
    by_size(&mut symbols);
    by_size(&mut crates);
    Attribution {
        source,
        symbols,
        crates,
        unattributed: Row {
            name: "[unattributed: headers, padding, unnamed code and data]".into(),
            file: r.file_size.saturating_sub(named_file.min(load_file)),
            vm: load_vm.saturating_sub(named_vm),
        },
        file_size: r.file_size,
    }
}

/// The attribution as JSON.
pub fn to_json(a: &Attribution) -> String {
    serde_json::to_string_pretty(a).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// The text tables: the `top` largest symbols and crates, and the rest summed.
pub fn render(a: &Attribution, top: usize) -> String {
    let mut s = String::new();
    let source = match &a.source {
        Source::SymbolTable => "its symbol table".to_string(),
        Source::LinkMap(p) => format!("the link map {p}"),
        Source::SymbolsFrom(p) => format!("the symbols of {p}"),
        Source::Nothing => {
            let _ = writeln!(
                s,
                "\nNo names: the file is stripped, no link map (FILE.map) lies beside it, and \
                 no --symbols-from build was given. Only segments and sections are known."
            );
            return s;
        }
    };
    let _ = writeln!(s, "\nNames from {source}.");
    for (title, rows) in [("crate", &a.crates), ("symbol", &a.symbols)] {
        let _ = writeln!(s, "\n{:<60} {:>12} {:>12}", title, "file bytes", "VM bytes");
        for r in rows.iter().take(top) {
            let _ = writeln!(s, "{:<60} {:>12} {:>12}", clip(&r.name, 60), r.file, r.vm);
        }
        if rows.len() > top {
            let (f, v) = rows[top..].iter().fold((0u64, 0u64), |(f, v), r| {
                (f.saturating_add(r.file), v.saturating_add(r.vm))
            });
            let _ = writeln!(
                s,
                "{:<60} {:>12} {:>12}",
                format!("[{} more]", rows.len() - top),
                f,
                v
            );
        }
    }
    let u = &a.unattributed;
    let _ = writeln!(s, "{:<60} {:>12} {:>12}", clip(&u.name, 60), u.file, u.vm);
    let _ = writeln!(s, "{:<60} {:>12}", "TOTAL (file)", a.file_size);
    s
}

/// Lines for inspect's summary: the largest crates (by file bytes) and, for a file whose
/// names came from elsewhere (a link map, another build), the largest symbols.
pub fn summary(a: &Attribution, top: usize) -> String {
    let mut s = String::new();
    let from = match &a.source {
        Source::Nothing => {
            let _ = writeln!(
                s,
                "  names          none: no FILE.map beside it; --sizes --symbols-from an unstripped build"
            );
            return s;
        }
        Source::SymbolTable => String::new(),
        Source::LinkMap(p) | Source::SymbolsFrom(p) => format!(" (names from {p})"),
    };
    let crates: Vec<String> = a
        .crates
        .iter()
        .take(top)
        .map(|r| format!("{} {}", r.name, r.file))
        .collect();
    if !crates.is_empty() {
        let _ = writeln!(s, "  crates         {}{from}", crates.join(", "));
    }
    if !from.is_empty() {
        let _ = writeln!(s, "  symbols");
        for r in a.symbols.iter().take(top) {
            // The demangled name alone: the mangled form is for --sizes and JSON.
            let name = match r.name.rsplit_once(" (") {
                Some((d, m)) if m.starts_with("_ZN") || m.starts_with("_R") => d,
                _ => &r.name,
            };
            let _ = writeln!(s, "  {:>12}   {}", r.file, clip(name, 60));
        }
    }
    s
}

fn clip(name: &str, n: usize) -> String {
    if name.chars().count() <= n {
        return name.into();
    }
    let mut c: String = name.chars().take(n - 1).collect();
    c.push('…');
    c
}

/// One line of a diff: a name and its bytes before and after.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    pub name: String,
    pub old: u64,
    pub new: u64,
}

impl Change {
    pub fn delta(&self) -> i128 {
        self.new as i128 - self.old as i128
    }
}

/// What grew and shrank between two builds: by section, crate and symbol (file bytes; VM
/// bytes for what has none in the file), largest change first.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Diff {
    pub sections: Vec<Change>,
    pub crates: Vec<Change>,
    pub symbols: Vec<Change>,
    pub total: Change,
}

fn changes(old: &[(String, u64)], new: &[(String, u64)]) -> Vec<Change> {
    let mut m: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for (n, v) in old {
        let e = m.entry(n.as_str()).or_default();
        e.0 = e.0.saturating_add(*v);
    }
    for (n, v) in new {
        let e = m.entry(n.as_str()).or_default();
        e.1 = e.1.saturating_add(*v);
    }
    let mut out: Vec<Change> = m
        .into_iter()
        .filter(|(_, (a, b))| a != b)
        .map(|(n, (old, new))| Change {
            name: n.to_string(),
            old,
            new,
        })
        .collect();
    out.sort_by(|a, b| {
        b.delta()
            .unsigned_abs()
            .cmp(&a.delta().unsigned_abs())
            .then(a.name.cmp(&b.name))
    });
    out
}

/// Compares two files' reports and attributions.
pub fn diff(old: (&Report, &Attribution), new: (&Report, &Attribution)) -> Diff {
    let sections = |r: &Report| -> Vec<(String, u64)> {
        r.sections
            .iter()
            .filter(|s| s.index > 0)
            .map(|s| (s.name.clone(), s.size))
            .collect()
    };
    // A symbol's bytes: in the file, or in memory for bss.
    let rows = |v: &[Row]| -> Vec<(String, u64)> {
        v.iter()
            .map(|r| (r.name.clone(), if r.file > 0 { r.file } else { r.vm }))
            .collect()
    };
    Diff {
        sections: changes(&sections(old.0), &sections(new.0)),
        crates: changes(&rows(&old.1.crates), &rows(&new.1.crates)),
        symbols: changes(&rows(&old.1.symbols), &rows(&new.1.symbols)),
        total: Change {
            name: "TOTAL (file)".into(),
            old: old.0.file_size,
            new: new.0.file_size,
        },
    }
}

/// The diff as JSON.
pub fn diff_json(d: &Diff) -> String {
    serde_json::to_string_pretty(d).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// The diff as text: the `top` largest changes of each kind, and the totals.
pub fn render_diff(d: &Diff, top: usize) -> String {
    let mut s = String::new();
    let line = |s: &mut String, c: &Change| {
        let _ = writeln!(
            s,
            "{:<60} {:>11} {:>11} {:>+11}",
            clip(&c.name, 60),
            c.old,
            c.new,
            c.delta()
        );
    };
    for (title, rows) in [
        ("section", &d.sections),
        ("crate", &d.crates),
        ("symbol", &d.symbols),
    ] {
        let _ = writeln!(
            s,
            "\n{:<60} {:>11} {:>11} {:>11}",
            title, "old", "new", "change"
        );
        if rows.is_empty() {
            let _ = writeln!(s, "(no change)");
        }
        for c in rows.iter().take(top) {
            line(&mut s, c);
        }
        if rows.len() > top {
            let sum: i128 = rows[top..].iter().map(Change::delta).sum();
            let _ = writeln!(
                s,
                "{:<60} {:>11} {:>11} {:>+11}",
                format!("[{} more]", rows.len() - top),
                "",
                "",
                sum
            );
        }
    }
    let _ = writeln!(s);
    line(&mut s, &d.total);
    s
}
