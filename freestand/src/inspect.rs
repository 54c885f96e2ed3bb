//! `inspect`: readelf, objdump, nm and bloaty in one, over `linker::inspect` — the
//! command line `cargo freestand inspect` and `cargo xtask inspect` share.

use anyhow::Result;
use std::process::ExitCode;

/// `inspect`'s arguments.
#[derive(clap::Args)]
pub struct InspectArgs {
    /// The ELF file (executable, object, shared library); `diff OLD NEW` compares two
    /// builds by section, crate and symbol.
    #[arg(num_args = 1..=3, required = true, value_name = "FILE | diff OLD NEW")]
    files: Vec<std::path::PathBuf>,
    /// As JSON (schema freestand-inspect/1, docs/inspect-json.md): the tables asked for,
    /// every table when none is; with --sizes the attribution, with diff the differences.
    #[arg(long)]
    json: bool,
    /// Every table: header, program headers, sections, symbols, relocations, dynamic, notes.
    #[arg(short = 'a', long)]
    all: bool,
    /// The ELF header.
    #[arg(long)]
    header: bool,
    /// The program headers (segments).
    #[arg(short = 'l', long, visible_alias = "program-headers")]
    segments: bool,
    /// The section headers.
    #[arg(short = 'S', long)]
    sections: bool,
    /// The symbols (size, type, binding, visibility, section; names demangled).
    #[arg(short = 's', long)]
    symbols: bool,
    /// The relocations (types by name, symbols by name, addends as readelf prints them).
    #[arg(short = 'r', long)]
    relocs: bool,
    /// The dynamic section (NEEDED, RUNPATH, flags).
    #[arg(short = 'd', long)]
    dynamic: bool,
    /// The notes, decoded (build ID, ABI tag, properties).
    #[arg(short = 'n', long)]
    notes: bool,
    /// Where the file's bytes go: by segment and section, then by crate and symbol
    /// (names from the symbol table, the FILE.map freestand-ld wrote, or --symbols-from).
    #[arg(long)]
    sizes: bool,
    /// With --sizes: an unstripped build of the same code to take names from.
    #[arg(long, value_name = "FILE", requires = "sizes")]
    symbols_from: Option<std::path::PathBuf>,
    /// Disassemble the executable sections, or only SYMBOL (Intel syntax; --att for AT&T):
    /// `--disasm FILE`, `--disasm SYMBOL FILE` or `--disasm=SYMBOL FILE`.
    #[arg(
        long,
        value_name = "SYMBOL",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = ""
    )]
    disasm: Option<String>,
    /// With --disasm: AT&T syntax.
    #[arg(long, requires = "disasm")]
    att: bool,
    /// With --sizes or diff: how many crates and symbols to list.
    #[arg(long, default_value_t = 20)]
    top: usize,
}

/// Runs `inspect` with `args`.
pub fn inspect_cmd(args: InspectArgs) -> Result<ExitCode> {
    let InspectArgs {
        files,
        json,
        all,
        header,
        segments,
        sections,
        symbols,
        relocs,
        dynamic,
        notes,
        sizes,
        symbols_from,
        disasm,
        att,
        top,
    } = args;
    let views = if all {
        linker::inspect::Views::ALL
    } else {
        linker::inspect::Views {
            header,
            segments,
            sections,
            symbols,
            relocations: relocs,
            dynamic,
            notes,
        }
    };
    // `--disasm SYMBOL FILE`: the symbol arrives as a positional argument.
    let (files, disasm) = match (files.as_slice(), disasm.as_deref()) {
        ([a, b], Some("")) if a.as_os_str() != "diff" => {
            let (sym, file) = if b.exists() || !a.exists() {
                (a, b)
            } else {
                (b, a)
            };
            (vec![file.clone()], Some(sym.to_string_lossy().into_owned()))
        }
        _ => (files, disasm),
    };
    match files.as_slice() {
        [file] if disasm.is_some() => {
            let (mapped, report) = read_report(file)?;
            let want = disasm.as_deref().filter(|s| !s.is_empty());
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            linker::inspect::disasm_to(mapped.bytes(), &report, want, att, &mut out)
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            Ok(ExitCode::SUCCESS)
        }
        [file] if sizes => inspect_sizes(file, json, symbols_from.as_deref(), top),
        [file] => {
            let (_mapped, report) = read_report(file)?;
            if json {
                println!("{}", linker::inspect::to_json_views(&report, views));
            } else if views.is_empty() {
                print!("{}", linker::inspect::summary(&report));
                print!(
                    "{}",
                    linker::attribute::summary(&attribution_of(file, &report), 5)
                );
                print!("{}", linker::inspect::SUMMARY_MORE);
            } else {
                print!("{}", linker::inspect::render_views(&report, views));
            }
            Ok(ExitCode::SUCCESS)
        }
        [d, old, new] if d.as_os_str() == "diff" => inspect_diff(old, new, json, top),
        _ => {
            eprintln!("error: give one FILE, or `diff OLD NEW`");
            Ok(ExitCode::from(2))
        }
    }
}

/// Reads an ELF file for `inspect` (mapped), naming the file in errors.
fn read_report(
    file: &std::path::Path,
) -> Result<(linker::inspect::Mapped, linker::inspect::Report)> {
    let mapped =
        linker::inspect::open(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let report = linker::inspect::inspect(mapped.bytes())
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    Ok((mapped, report))
}

/// Names for a file's bytes: its symbols, else the link map beside it.
fn attribution_of(
    file: &std::path::Path,
    report: &linker::inspect::Report,
) -> linker::attribute::Attribution {
    let map_path = file.with_extension("map");
    let map = std::fs::read_to_string(&map_path).ok();
    let name = map_path.display().to_string();
    linker::attribute::attribute(report, map.as_deref().map(|m| (name.as_str(), m)), None)
}

/// `inspect diff OLD NEW`: what grew and shrank.
fn inspect_diff(
    old: &std::path::Path,
    new: &std::path::Path,
    json: bool,
    top: usize,
) -> Result<ExitCode> {
    let (_a, ra) = read_report(old)?;
    let (_b, rb) = read_report(new)?;
    let (aa, ab) = (attribution_of(old, &ra), attribution_of(new, &rb));
    let d = linker::attribute::diff((&ra, &aa), (&rb, &ab));
    if json {
        println!("{}", linker::attribute::diff_json(&d));
    } else {
        print!("{}", linker::attribute::render_diff(&d, top));
    }
    Ok(ExitCode::SUCCESS)
}

/// `inspect --sizes FILE`: the size table and the attribution by crate and symbol.
fn inspect_sizes(
    file: &std::path::Path,
    json: bool,
    symbols_from: Option<&std::path::Path>,
    top: usize,
) -> Result<ExitCode> {
    let (_mapped, report) = read_report(file)?;
    let map_path = file.with_extension("map");
    let map = std::fs::read_to_string(&map_path).ok();
    let other = match symbols_from {
        Some(p) => Some(read_report(p)?.1),
        None => None,
    };
    let map_name = map_path.display().to_string();
    let other_name = symbols_from
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let a = linker::attribute::attribute(
        &report,
        map.as_deref().map(|m| (map_name.as_str(), m)),
        other.as_ref().map(|o| (other_name.as_str(), o)),
    );
    if json {
        println!("{}", linker::attribute::to_json(&a));
    } else {
        print!("{}", linker::inspect::sizes(&report));
        print!("{}", linker::attribute::render(&a, top));
    }
    Ok(ExitCode::SUCCESS)
}
