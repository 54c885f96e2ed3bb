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
    /// A freestanding minipy runner (`minipy`): a program the AOT compiler refuses (it uses
    /// lists, strings, dicts… or ints past 64 bits) is then bundled with it — the runner's
    /// interpreter and JIT with the program inside — instead of failing.
    #[arg(long, value_name = "MINIPY", conflicts_with = "no_bundle")]
    pub runner: Option<PathBuf>,
    /// Machine code only: a program the AOT compiler refuses is an error, never bundled.
    #[arg(long)]
    pub no_bundle: bool,
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

/// Compiles `a.file` ahead of time (bundling it with `--runner` when it is refused) and,
/// with `--run`, runs the executable.
pub fn aot_cmd(a: AotArgs) -> Result<ExitCode> {
    aot_cmd_with(a, &|| Ok(None))
}

/// [`aot_cmd`], with `default_runner` asked for a runner when a refused program is to be
/// bundled and none was given (xtask builds this checkout's).
pub fn aot_cmd_with(
    a: AotArgs,
    default_runner: &dyn Fn() -> Result<Option<PathBuf>>,
) -> Result<ExitCode> {
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
    let size = match aot_compile(&a.file, &out, &opts, a.small) {
        Ok(size) => size,
        Err(e) if !a.no_bundle && is_refusal(&e) => {
            let runner = match a.runner.clone() {
                Some(r) => r,
                None => default_runner()?.ok_or_else(|| {
                    anyhow::anyhow!(
                        "{e:#}\n(`--runner MINIPY` bundles such a program with a minipy \
                         runner's interpreter and JIT instead)"
                    )
                })?,
            };
            bundle(&runner, &a.file, &out, a.small)?
        }
        Err(e) => return Err(e),
    };
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

/// Whether `aot_compile` failed because the compiler refused the program (not a syntax
/// error or an I/O error).
fn is_refusal(e: &anyhow::Error) -> bool {
    e.to_string().contains(REFUSED)
}

const REFUSED: &str = "cannot compile ahead of time";

/// `runner --aot src -o out`: the runner writes the bundle (its own bytes with the program
/// inside) and says why on stderr, which is passed on. The bundle's size.
fn bundle(runner: &Path, src: &Path, out: &Path, small: bool) -> Result<u64> {
    let mut cmd = std::process::Command::new(runner);
    cmd.arg("--aot").arg(src).arg("-o").arg(out);
    if small {
        cmd.arg("--small");
    }
    let status = cmd
        .status()
        .with_context(|| format!("running the minipy runner {}", runner.display()))?;
    if !status.success() {
        bail!(
            "{} --aot {} failed ({status})",
            runner.display(),
            src.display()
        );
    }
    Ok(std::fs::metadata(out)
        .with_context(|| format!("reading {}", out.display()))?
        .len())
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
                        anyhow::anyhow!("{name}:{}: {REFUSED}: {}", e.line, e.msg)
                    } else {
                        anyhow::anyhow!("{name}: {REFUSED}: {}", e.msg)
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
