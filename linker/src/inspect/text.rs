//! inspect's text views: the one-screen summary, readelf-like tables and the size table.

use super::{Report, signed_hex};
use std::fmt::Write;

fn seg_flags(f: u32) -> String {
    format!(
        "{}{}{}",
        if f & 4 != 0 { 'R' } else { ' ' },
        if f & 2 != 0 { 'W' } else { ' ' },
        if f & 1 != 0 { 'E' } else { ' ' }
    )
}

/// Which tables a text or JSON view shows (`--header`, `--segments`, …; `--all` is every one).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Views {
    pub header: bool,
    pub segments: bool,
    pub sections: bool,
    pub symbols: bool,
    pub relocations: bool,
    pub dynamic: bool,
    pub notes: bool,
}

impl Views {
    /// Every table.
    pub const ALL: Views = Views {
        header: true,
        segments: true,
        sections: true,
        symbols: true,
        relocations: true,
        dynamic: true,
        notes: true,
    };

    /// No table asked for: the summary.
    pub fn is_empty(&self) -> bool {
        *self == Views::default()
    }

    /// The JSON keys of the tables asked for.
    pub fn keys(&self) -> Vec<&'static str> {
        [
            (self.header, "header"),
            (self.segments, "segments"),
            (self.sections, "sections"),
            (self.symbols, "symbols"),
            (self.relocations, "relocations"),
            (self.dynamic, "dynamic"),
            (self.notes, "notes"),
        ]
        .into_iter()
        .filter_map(|(on, k)| on.then_some(k))
        .collect()
    }
}

/// The readelf-like text view of every table: header, program headers, sections, symbols,
/// relocations, the dynamic section and notes.
pub fn render(r: &Report) -> String {
    render_views(r, Views::ALL)
}

/// One table's text view.
type TableView = fn(&Report, &mut String);

/// The tables `v` asks for, in readelf's order, after any warning about the file.
pub fn render_views(r: &Report, v: Views) -> String {
    let mut s = String::new();
    render_warnings(r, &mut s);
    let tables: [(bool, &str, TableView); 7] = [
        (v.header, "ELF Header", render_header),
        (v.segments, "Program Headers", render_segments),
        (v.sections, "Section Headers", render_sections),
        (v.symbols, "Symbols", render_symbols),
        (v.relocations, "Relocations", render_relocations),
        (v.dynamic, "Dynamic section", render_dynamic),
        (v.notes, "Notes", render_notes),
    ];
    for (on, title, f) in tables {
        if on {
            let before = s.len();
            f(r, &mut s);
            if s.len() == before {
                let _ = writeln!(s, "\n{title}: none");
            }
        }
    }
    s
}

fn render_warnings(r: &Report, s: &mut String) {
    for w in &r.warnings {
        let _ = writeln!(s, "warning: {w}");
    }
}

/// How many of `items` to name in the summary.
const SUMMARY_TOP: usize = 5;

/// The one-screen summary `inspect FILE` prints: what the file is, how it loads, what is
/// largest in it and what it needs, then the flags that show more.
pub fn summary(r: &Report) -> String {
    let mut s = String::new();
    render_warnings(r, &mut s);
    let h = &r.header;
    let machine = if h.machine == 62 {
        "x86-64".to_string()
    } else {
        format!("machine {}", h.machine)
    };
    let linkage = match (h.e_type, &r.interpreter, r.dynamic.is_empty()) {
        (1, ..) => "relocatable object",
        (2, None, true) => "static executable",
        (3, None, true) => "static-pie executable",
        (2, Some(_), _) | (2, None, false) => "dynamically linked executable",
        (3, Some(_), _) => "position-independent executable",
        (3, None, false) => "shared library",
        (4, ..) => "core dump",
        _ => "ELF file",
    };
    let _ = writeln!(
        s,
        "ELF{} {machine} {linkage}, {} bytes",
        if h.class == 2 { 64 } else { 32 },
        r.file_size
    );
    if h.e_type != 1 {
        let entry = r
            .symbols
            .iter()
            .find(|y| y.value == h.entry && y.shndx != 0 && !y.name.is_empty())
            .map_or(String::new(), |y| format!(" ({})", display_name(y)));
        let _ = writeln!(s, "  entry          {:#x}{entry}", h.entry);
    }
    if let Some(i) = &r.interpreter {
        let _ = writeln!(s, "  interpreter    {i}");
    }
    let needed: Vec<&str> = r
        .dynamic
        .iter()
        .filter(|d| d.tag_name == "NEEDED")
        .filter_map(|d| d.text.as_deref())
        .collect();
    if !needed.is_empty() {
        let _ = writeln!(s, "  needs          {}", needed.join(", "));
    }
    for n in r.notes.iter().filter(|n| n.type_name == "NT_GNU_BUILD_ID") {
        if let Some(d) = &n.decoded {
            let _ = writeln!(
                s,
                "  {}",
                d.to_lowercase()
                    .replacen("build id: ", "build id       ", 1)
            );
        }
    }
    summary_loads(r, &mut s);
    summary_largest(r, &mut s);
    let symtab = r.symbols.iter().filter(|y| y.table == "symtab").count();
    let dynsym = r.symbols.len() - symtab;
    let _ = writeln!(
        s,
        "  tables         {} sections, {symtab} symbols, {dynsym} dynamic symbols, {} relocations, {} notes",
        r.sections.len().saturating_sub(1),
        r.relocations.len(),
        r.notes.len()
    );
    if r.sections.is_empty() && r.symbols.is_empty() {
        let _ = writeln!(s, "  stripped       no section headers, no symbols");
    }
    s
}

/// The summary's last line: the flags that show more.
pub const SUMMARY_MORE: &str = "more: --all | --header --segments --sections --symbols --relocs --dynamic --notes | --sizes | --disasm [SYMBOL] | --json\n";

/// The symbol's demangled name, else its name.
fn display_name(y: &super::Symbol) -> &str {
    y.demangled.as_deref().unwrap_or(&y.name)
}

/// One line per loadable segment, and a loud line for a writable+executable one.
fn summary_loads(r: &Report, s: &mut String) {
    for p in r.segments.iter().filter(|p| p.p_type == 1) {
        let _ = writeln!(
            s,
            "  load {}       {:#010x} {:>10} file bytes {:>10} in memory",
            seg_flags(p.flags),
            p.vaddr,
            p.filesz,
            p.memsz
        );
        if p.flags & 3 == 3 {
            let _ = writeln!(s, "  warning: this segment is writable and executable");
        }
    }
    match r.segments.iter().find(|p| p.type_name == "GNU_STACK") {
        Some(p) if p.flags & 1 != 0 => {
            let _ = writeln!(s, "  stack          executable (PT_GNU_STACK asks for it)");
        }
        Some(_) => {
            let _ = writeln!(s, "  stack          not executable");
        }
        None if r.header.e_type != 1 => {
            let _ = writeln!(
                s,
                "  stack          no PT_GNU_STACK: executable on older kernels"
            );
        }
        None => {}
    }
}

/// The largest sections and symbols, a line each.
fn summary_largest(r: &Report, s: &mut String) {
    let mut secs: Vec<_> = r
        .sections
        .iter()
        .filter(|x| x.index > 0 && x.size > 0)
        .collect();
    secs.sort_by(|a, b| b.size.cmp(&a.size).then(a.index.cmp(&b.index)));
    if !secs.is_empty() {
        let list: Vec<String> = secs
            .iter()
            .take(SUMMARY_TOP)
            .map(|x| format!("{} {}", x.name, x.size))
            .collect();
        let _ = writeln!(s, "  largest        {}", list.join(", "));
    }
    let mut syms: Vec<_> = r
        .symbols
        .iter()
        .filter(|y| y.size > 0 && y.shndx != 0)
        .collect();
    syms.sort_by(|a, b| b.size.cmp(&a.size).then(a.value.cmp(&b.value)));
    syms.dedup_by(|a, b| a.value == b.value && a.size == b.size);
    if !syms.is_empty() {
        let _ = writeln!(s, "  symbols");
    }
    for y in syms.iter().take(SUMMARY_TOP) {
        let mut name = display_name(y).to_string();
        if name.chars().count() > 60 {
            name = name.chars().take(59).collect::<String>() + "…";
        }
        let _ = writeln!(s, "  {:>12}   {:<7} {name}", y.size, y.kind);
    }
}

fn render_header(r: &Report, s: &mut String) {
    let h = &r.header;
    let _ = writeln!(s, "ELF Header:");
    let _ = writeln!(
        s,
        "  Class:                             ELF{}",
        if h.class == 2 { 64 } else { 32 }
    );
    let _ = writeln!(
        s,
        "  Data:                              {}",
        if h.data == 1 {
            "little endian"
        } else {
            "big endian"
        }
    );
    let _ = writeln!(
        s,
        "  Type:                              {} ({})",
        h.e_type_name, h.e_type
    );
    let _ = writeln!(
        s,
        "  Machine:                           {}",
        if h.machine == 62 {
            "x86-64".to_string()
        } else {
            h.machine.to_string()
        }
    );
    let _ = writeln!(s, "  Entry point address:               {:#x}", h.entry);
    let _ = writeln!(
        s,
        "  Program headers:                   {} at {} ({} bytes each)",
        h.phnum, h.phoff, h.phentsize
    );
    let _ = writeln!(
        s,
        "  Section headers:                   {} at {} ({} bytes each), names in [{}]",
        h.shnum, h.shoff, h.shentsize, h.shstrndx
    );
    let _ = writeln!(
        s,
        "  File size:                         {} bytes",
        r.file_size
    );
}

fn render_segments(r: &Report, s: &mut String) {
    if !r.segments.is_empty() {
        let _ = writeln!(
            s,
            "\nProgram Headers:\n  Type           Offset   VirtAddr           PhysAddr           FileSiz  MemSiz   Flg Align"
        );
        for p in &r.segments {
            let _ = writeln!(
                s,
                "  {:<14} {:#08x} {:#018x} {:#018x} {:#08x} {:#08x} {} {:#x}",
                p.type_name,
                p.offset,
                p.vaddr,
                p.paddr,
                p.filesz,
                p.memsz,
                seg_flags(p.flags),
                p.align
            );
        }
    }
}

fn render_sections(r: &Report, s: &mut String) {
    if !r.sections.is_empty() {
        let _ = writeln!(
            s,
            "\nSection Headers:\n  [Nr] Name                 Type            Address          Off      Size     ES Flg Lk Inf Al"
        );
        for x in &r.sections {
            let _ = writeln!(
                s,
                "  [{:>2}] {:<20} {:<15} {:016x} {:08x} {:08x} {:02x} {:>3} {:>2} {:>3} {:>2}",
                x.index,
                x.name,
                x.type_name,
                x.addr,
                x.offset,
                x.size,
                x.entsize,
                x.flag_letters,
                x.link,
                x.info,
                x.align
            );
        }
    }
}

fn render_symbols(r: &Report, s: &mut String) {
    if !r.symbols.is_empty() {
        let _ = writeln!(
            s,
            "\nSymbols:\n  Table   Value            Size     Type    Bind    Vis       Ndx Name"
        );
        for y in &r.symbols {
            let _ = writeln!(
                s,
                "  {:<7} {:016x} {:<8} {:<7} {:<7} {:<9} {:>3} {}",
                y.table,
                y.value,
                y.size,
                y.kind,
                y.bind,
                y.visibility,
                y.shndx,
                y.demangled.as_deref().unwrap_or(&y.name)
            );
        }
    }
}

fn render_relocations(r: &Report, s: &mut String) {
    if !r.relocations.is_empty() {
        let _ = writeln!(s, "\nRelocations: {}", r.relocations.len());
        for x in &r.relocations {
            let target = match (x.symbol_name.is_empty(), x.addend) {
                (true, Some(a)) => format!("{a:x}"),
                (true, None) => String::new(),
                (false, Some(a)) => format!("{}{}", x.symbol_name, signed_hex(a)),
                (false, None) => x.symbol_name.clone(),
            };
            let _ = writeln!(
                s,
                "  {:<14} {:016x}  {:<24} {target}",
                x.section, x.offset, x.type_name
            );
        }
    }
}

fn render_dynamic(r: &Report, s: &mut String) {
    if !r.dynamic.is_empty() {
        let _ = writeln!(s, "\nDynamic section: {} entries", r.dynamic.len());
        for d in &r.dynamic {
            let value = match &d.text {
                Some(t) => t.clone(),
                None => format!("{:#x}", d.value),
            };
            let _ = writeln!(
                s,
                "  {:#018x} {:<20} {value}",
                d.tag,
                format!("({})", d.tag_name)
            );
        }
    }
}

fn render_notes(r: &Report, s: &mut String) {
    if !r.notes.is_empty() {
        let _ = writeln!(s, "\nNotes:");
        for n in &r.notes {
            let _ = writeln!(
                s,
                "  {:<10} {:<24} {:>4} bytes  {}",
                n.owner,
                n.type_name,
                n.desc_size,
                n.decoded.as_deref().unwrap_or("")
            );
        }
    }
}

/// A bloaty-style breakdown: file and VM bytes per segment, per section, and the file
/// ranges no section covers (headers, padding, the section header table).
pub fn sizes(r: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<28} {:>12} {:>12}",
        "segment", "file bytes", "VM bytes"
    );
    for (i, p) in r.segments.iter().enumerate() {
        let _ = writeln!(
            s,
            "{:<28} {:>12} {:>12}",
            format!("{} #{i} {}", p.type_name, seg_flags(p.flags).trim()),
            p.filesz,
            p.memsz
        );
    }
    let _ = writeln!(
        s,
        "\n{:<28} {:>12} {:>12}",
        "section", "file bytes", "VM bytes"
    );
    let mut covered: Vec<(u64, u64)> = Vec::new();
    for x in &r.sections {
        let file = if x.sh_type == 8 { 0 } else { x.size };
        let vm = if x.flags & 2 != 0 { x.size } else { 0 };
        if x.index > 0 {
            let _ = writeln!(s, "{:<28} {:>12} {:>12}", x.name, file, vm);
        }
        // Offsets and sizes come from the file: a garbage entry may wrap (saturate instead).
        if file > 0 {
            covered.push((x.offset, x.offset.saturating_add(file)));
        }
    }
    let h = &r.header;
    let ph = h.phnum as u64 * h.phentsize as u64;
    let sh = h.shnum as u64 * h.shentsize as u64;
    covered.push((0, h.ehsize as u64));
    covered.push((h.phoff, h.phoff.saturating_add(ph)));
    covered.push((h.shoff, h.shoff.saturating_add(sh)));
    let headers = h.ehsize as u64 + ph + sh;
    covered.sort();
    let mut unmapped = 0u64;
    let mut at = 0u64;
    for (a, b) in covered {
        if a > at {
            unmapped += a - at;
        }
        at = at.max(b);
    }
    unmapped += r.file_size.saturating_sub(at);
    let _ = writeln!(
        s,
        "{:<28} {:>12} {:>12}",
        "[ELF and table headers]", headers, 0
    );
    let _ = writeln!(
        s,
        "{:<28} {:>12} {:>12}",
        "[unmapped: padding, other]", unmapped, 0
    );
    let _ = writeln!(s, "{:<28} {:>12}", "TOTAL", r.file_size);
    s
}
