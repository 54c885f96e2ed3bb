//! minipy ahead of time, from a file to a static executable.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `aot`'s arguments.
#[derive(clap::Args)]
pub struct AotArgs {
    /// The Python file (the minipy subset).
    pub file: PathBuf,
    /// Output path (default: the source path without .py).
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    /// Leave out section headers and symbols.
    #[arg(long)]
    pub strip: bool,
    /// Headers, code and constants in one segment: the smallest file.
    #[arg(long)]
    pub packed: bool,
    /// The smallest file: --packed --strip and no inlining (like -Os).
    #[arg(long)]
    pub small: bool,
    /// Run the result afterwards, under qemu-x86_64 (natively when QEMU is missing).
    #[arg(long)]
    pub run: bool,
    /// With --run: natively even when QEMU is installed.
    #[arg(long, requires = "run")]
    pub native: bool,
    /// With --run: the program's arguments (after `--`).
    #[arg(last = true, value_name = "ARGS")]
    pub args: Vec<String>,
}

/// Compiles `a.file` ahead of time and, with `--run`, runs the executable.
pub fn aot_cmd(a: AotArgs) -> Result<ExitCode> {
    let out = a.output.unwrap_or_else(|| a.file.with_extension(""));
    if out == a.file {
        bail!("{}: give an output path with -o", a.file.display());
    }
    if !a.args.is_empty() && !a.run {
        bail!("program arguments after `--` need --run");
    }
    let opts = linker::exe::Options {
        layout: if a.packed || a.small {
            linker::exe::Layout::Packed
        } else {
            linker::exe::Layout::PageAligned
        },
        strip: a.strip || a.small,
        ..Default::default()
    };
    let size = aot_compile(&a.file, &out, &opts, a.small)?;
    eprintln!("==> {} ({size} bytes)", out.display());
    if a.run {
        // A bare file name would be looked up on PATH.
        let exe = if out.is_relative() {
            Path::new(".").join(&out)
        } else {
            out
        };
        return crate::host::run_binary(&exe, a.native, &a.args);
    }
    Ok(ExitCode::SUCCESS)
}

/// The AOT compiler's stack: room for CPython's deepest nesting in a debug build.
const COMPILER_STACK: usize = 256 << 20;

/// minipy ahead of time: reads `src`, writes a static executable to `out` (mode 0755) and
/// returns its size. Errors name the file and line.
/// `small`: no inlining (see [`minipy::aot::image()`]).
pub fn aot_compile(
    src: &Path,
    out: &Path,
    opts: &linker::exe::Options,
    small: bool,
) -> Result<u64> {
    use std::os::unix::fs::PermissionsExt;
    let name = src.display().to_string();
    // Tracebacks name the file as CPython run from here would: its absolute path.
    let cwd = std::env::current_dir().ok();
    let shown = minipy::script_path(&name, cwd.as_deref().and_then(Path::to_str));
    let bytes = std::fs::read(src).with_context(|| format!("reading {}", src.display()))?;
    let text = minipy::decode_source(&bytes, &name)
        .map_err(|e| anyhow::anyhow!("{}", minipy::render_syntax_error(&e, &name, "")))?;
    // The compiler recurses once per level of expression nesting, which the parser bounds
    // at CPython's 3,000; unoptimized (xtask's debug build) that needs more than a test
    // thread's 2 MiB or the main thread's 8 MiB. A thread of its own with room for it
    // (reserved, touched only as deep as a program goes).
    let bytes = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("minipy aot".into())
            .stack_size(COMPILER_STACK)
            .spawn_scoped(scope, || -> Result<Vec<u8>> {
                let prog = minipy::compile(&text, &name).map_err(|e| {
                    anyhow::anyhow!("{}", minipy::render_syntax_error(&e, &name, &text))
                })?;
                minipy::aot::build(&prog, &shown, &text, opts, small).map_err(|e| {
                    if e.line > 0 {
                        anyhow::anyhow!(
                            "{name}:{}: cannot compile ahead of time: {}",
                            e.line,
                            e.msg
                        )
                    } else {
                        anyhow::anyhow!("{name}: cannot compile ahead of time: {}", e.msg)
                    }
                })
            })
            .context("starting the compiler thread")?
            .join()
            .map_err(|_| anyhow::anyhow!("the compiler thread panicked"))?
    })?;
    std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    std::fs::set_permissions(out, std::fs::Permissions::from_mode(0o755))
        .with_context(|| format!("making {} executable", out.display()))?;
    Ok(bytes.len() as u64)
}
