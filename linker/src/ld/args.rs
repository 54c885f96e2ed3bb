//! Phase 1: the command line. rustc calls a linker as it calls `cc` (`-m64`, `-Wl,…`,
//! `-nostartfiles`, …) or, with `-C linker-flavor=ld`, as `ld`; both spellings are read
//! here, `@file` response files expanded first. An argument that could change the output
//! and is not understood is an error naming it; harmless ones are kept for `--verbose`.

use super::error::LinkError;
use std::path::PathBuf;

/// One input on the command line, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputArg {
    /// An object or archive named by path.
    Path(PathBuf),
    /// `-l name`: `libname.a` (or `libname.rlib`) searched for in the `-L` directories.
    Lib(String),
}

/// What the command line asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub output: PathBuf,
    pub inputs: Vec<InputArg>,
    pub lib_dirs: Vec<PathBuf>,
    pub entry: String,
    pub gc_sections: bool,
    pub print_gc_sections: bool,
    /// No section headers, `.symtab` or `.strtab` (`-s`, `--strip-all`, `-z nosectionheader`).
    pub strip: bool,
    /// Where to write the link map (`-Map`).
    pub map: Option<PathBuf>,
    pub verbose: bool,
    /// Arguments accepted without effect, with why (listed by `--verbose`).
    pub ignored: Vec<(String, &'static str)>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            output: PathBuf::from("a.out"),
            inputs: Vec::new(),
            lib_dirs: Vec::new(),
            entry: "_start".into(),
            gc_sections: false,
            print_gc_sections: false,
            strip: false,
            map: None,
            verbose: false,
            ignored: Vec::new(),
        }
    }
}

/// Expands `@file` arguments: the file's contents, split as GNU's `libiberty` splits them
/// (whitespace separates, single and double quotes group, backslash escapes), recursively.
pub fn expand_response_files(args: Vec<String>) -> Result<Vec<String>, LinkError> {
    let mut out = Vec::with_capacity(args.len());
    for a in args {
        match a.strip_prefix('@') {
            Some(path) if !path.is_empty() => {
                let text = std::fs::read_to_string(path).map_err(|e| LinkError::Io {
                    path: path.into(),
                    what: "reading the response file",
                    error: e.to_string(),
                })?;
                out.extend(expand_response_files(split_response(&text))?);
            }
            _ => out.push(a),
        }
    }
    Ok(out)
}

fn split_response(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (c, quote) {
            ('\\', _) => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
                in_word = true;
            }
            (q, None) if q == '\'' || q == '"' => {
                quote = Some(q);
                in_word = true;
            }
            (q, Some(open)) if q == open => quote = None,
            (w, None) if w.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (c, _) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}

/// Why the (expanded) arguments describe a link against the C runtime rather than a
/// freestanding one: rustc names the C library (`-lc`) for anything built on std, and asks
/// for a shared object for proc-macros and cdylibs. None for a freestanding link.
pub fn needs_c_runtime(args: &[String]) -> Option<&'static str> {
    let mut prev = "";
    for a in args {
        let pieces: Vec<&str> = match a.strip_prefix("-Wl,") {
            Some(rest) => rest.split(',').collect(),
            None => vec![a.as_str()],
        };
        for p in pieces {
            if p == "-lc" || (prev == "-l" && p == "c") {
                return Some("the link names the C library (-lc): a std program");
            }
            if p == "-shared" {
                return Some("a shared object (-shared)");
            }
            prev = p;
        }
    }
    None
}

/// Parses the (expanded) arguments, without the program name.
pub fn parse(args: &[String]) -> Result<Config, LinkError> {
    let mut c = Config::default();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        // The value of an option given as `-o x`, `-ox` or `--opt=x`.
        let mut value = |joined: Option<&str>| -> Result<String, LinkError> {
            if let Some(v) = joined.filter(|v| !v.is_empty()) {
                return Ok(v.to_string());
            }
            let v = args.get(i).cloned().ok_or_else(|| LinkError::Usage {
                arg: a.clone(),
                why: "needs a value",
            })?;
            i += 1;
            Ok(v)
        };
        if let Some(rest) = a.strip_prefix("-Wl,") {
            // The driver's pass-through: each comma-separated piece is a linker argument.
            let pieces: Vec<String> = rest.split(',').map(String::from).collect();
            let mut j = 0;
            while j < pieces.len() {
                j += linker_arg(&mut c, &pieces[j..])?;
            }
            continue;
        }
        match a.as_str() {
            "-m64" | "-nostartfiles" | "-nostdlib" | "-nodefaultlibs" | "-static" | "-no-pie"
            | "-static-pie" => {
                if a == "-static-pie" {
                    return Err(LinkError::Usage {
                        arg: a.clone(),
                        why: "freestand-ld writes static ET_EXEC files only (a static PIE needs a self-relocating start)",
                    });
                }
                c.ignored.push((
                    a.clone(),
                    "the output is always a static non-PIE executable",
                ));
            }
            "-pie" | "-shared" | "-m32" | "-mx32" => {
                return Err(LinkError::Usage {
                    arg: a.clone(),
                    why: "freestand-ld writes static x86-64 ET_EXEC files only",
                });
            }
            "-o" => c.output = value(None)?.into(),
            "-L" => c.lib_dirs.push(value(None)?.into()),
            "-l" => c.inputs.push(InputArg::Lib(value(None)?)),
            "-T" => {
                let script = value(None)?;
                c.ignored
                    .push((format!("-T {script}"), "rt's layout is built in"));
            }
            _ if a.starts_with("-fuse-ld=") || a.starts_with("-B") => {
                c.ignored
                    .push((a.clone(), "driver options: freestand-ld is the linker"));
            }
            _ if a.starts_with("-o") && a.len() > 2 => c.output = a[2..].into(),
            _ if a.starts_with("-L") && a.len() > 2 => c.lib_dirs.push(a[2..].into()),
            _ if a.starts_with("-l") && a.len() > 2 => c.inputs.push(InputArg::Lib(a[2..].into())),
            _ if a.starts_with("-T") && a.len() > 2 => {
                c.ignored.push((a.clone(), "rt's layout is built in"));
            }
            _ if a.starts_with('-') && a.len() > 1 => {
                // ld-style arguments (`-C linker-flavor=ld`) come without `-Wl,`.
                let n = linker_arg(&mut c, &args[i - 1..])?;
                i += n - 1;
            }
            _ => c.inputs.push(InputArg::Path(a.into())),
        }
    }
    if c.inputs.is_empty() {
        return Err(LinkError::Usage {
            arg: String::new(),
            why: "no input files",
        });
    }
    Ok(c)
}

/// One ld-style argument at the start of `args` (with its value, if separate); returns how
/// many it took.
fn linker_arg(c: &mut Config, args: &[String]) -> Result<usize, LinkError> {
    let a = args[0].as_str();
    let next = || {
        args.get(1).cloned().ok_or_else(|| LinkError::Usage {
            arg: a.into(),
            why: "needs a value",
        })
    };
    // `--opt=value` and `-opt=value` are the same option.
    let (name, joined) = match a.split_once('=') {
        Some((n, v)) => (n, Some(v)),
        None => (a, None),
    };
    let name = if name.starts_with("--") {
        &name[1..]
    } else {
        name
    };
    let ignore = |c: &mut Config, why: &'static str| c.ignored.push((a.to_string(), why));
    match (name, joined) {
        ("-o", None) => {
            c.output = next()?.into();
            return Ok(2);
        }
        ("-output", Some(v)) => c.output = v.into(),
        ("-e" | "-entry", None) => {
            c.entry = next()?;
            return Ok(2);
        }
        ("-entry", Some(v)) => c.entry = v.into(),
        ("-L", None) if a == "-L" => {
            c.lib_dirs.push(next()?.into());
            return Ok(2);
        }
        ("-l", None) if a == "-l" => {
            c.inputs.push(InputArg::Lib(next()?));
            return Ok(2);
        }
        (n, None) if n.starts_with("-L") && n.len() > 2 => c.lib_dirs.push(n[2..].into()),
        (n, None) if n.starts_with("-l") && n.len() > 2 && !n.starts_with("-lto") => {
            c.inputs.push(InputArg::Lib(n[2..].into()))
        }
        ("-gc-sections", None) => c.gc_sections = true,
        ("-no-gc-sections", None) => c.gc_sections = false,
        ("-print-gc-sections", None) => c.print_gc_sections = true,
        ("-s" | "-strip-all", None) => c.strip = true,
        ("-S" | "-strip-debug", None) => ignore(c, "debug sections are never copied"),
        ("-Map", Some(v)) => c.map = Some(v.into()),
        ("-Map", None) => {
            c.map = Some(next()?.into());
            return Ok(2);
        }
        ("-verbose" | "-v", None) => c.verbose = true,
        ("-z", None) => {
            let opt = next()?;
            z_option(c, &opt)?;
            return Ok(2);
        }
        (n, None) if n.starts_with("-z") && n.len() > 2 => z_option(c, &n[2..])?,
        ("-T", None) => {
            let s = next()?;
            c.ignored
                .push((format!("-T {s}"), "rt's layout is built in"));
            return Ok(2);
        }
        (n, _) if n.starts_with("-T") && n.len() > 2 => ignore(c, "rt's layout is built in"),
        ("-as-needed" | "-no-as-needed", None) => ignore(c, "no shared libraries"),
        ("-Bstatic" | "-Bdynamic" | "-static" | "-dn" | "-non_shared", None) => {
            ignore(c, "every input is linked statically")
        }
        ("-eh-frame-hdr" | "-no-eh-frame-hdr", None) => {
            ignore(c, "panic=abort: .eh_frame is not kept")
        }
        ("-O0" | "-O1" | "-O2" | "-O3", None) => ignore(c, "no optimization levels"),
        ("-build-id", Some("none")) => ignore(c, "no build id is written"),
        ("-no-pie", None) => ignore(c, "always a static non-PIE"),
        ("-m", None) => {
            let emu = next()?;
            if emu != "elf_x86_64" {
                return Err(LinkError::Usage {
                    arg: format!("-m {emu}"),
                    why: "the only emulation is elf_x86_64",
                });
            }
            ignore(c, "x86-64 is the only target");
            return Ok(2);
        }
        ("-nostdlib" | "-nodefaultlibs" | "-nostartfiles", None) => {
            ignore(c, "no libraries are linked unless named")
        }
        ("-fuse-ld", Some(_)) => ignore(c, "driver options: freestand-ld is the linker"),
        ("-pie" | "-shared" | "-Bshareable" | "-pic-executable" | "-static-pie", _) => {
            return Err(LinkError::Usage {
                arg: a.into(),
                why: "freestand-ld writes static ET_EXEC files only",
            });
        }
        _ => {
            return Err(LinkError::Usage {
                arg: a.into(),
                why: "not understood, and it could change the output",
            });
        }
    }
    Ok(1)
}

/// `-z` keywords.
fn z_option(c: &mut Config, opt: &str) -> Result<(), LinkError> {
    match opt {
        "nosectionheader" => c.strip = true,
        "noexecstack" => c
            .ignored
            .push(("-z noexecstack".into(), "the stack is never executable")),
        "relro" | "norelro" | "now" | "lazy" => c
            .ignored
            .push((format!("-z {opt}"), "nothing is relocated at run time")),
        "execstack" => {
            return Err(LinkError::Usage {
                arg: "-z execstack".into(),
                why: "freestand-ld never makes the stack executable",
            });
        }
        _ => {
            return Err(LinkError::Usage {
                arg: format!("-z {opt}"),
                why: "not understood, and it could change the output",
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn rustcs_cc_style_line_parses() {
        let c = parse(&args(&[
            "-m64",
            "main.o",
            "-Wl,--as-needed",
            "-Wl,-Bstatic",
            "libcore.rlib",
            "-L",
            "/deps",
            "-Wl,-Bdynamic",
            "-B/sysroot/gcc-ld",
            "-fuse-ld=lld",
            "-Wl,--eh-frame-hdr",
            "-Wl,-z,noexecstack",
            "-o",
            "out",
            "-Wl,--gc-sections",
            "-no-pie",
            "-Wl,-z,relro,-z,now",
            "-Wl,--strip-debug",
            "-nodefaultlibs",
            "-Wl,-T,/out/freestanding.ld",
            "-Wl,--build-id=none",
            "-Wl,-z,nosectionheader",
            "-Wl,-Map=out.map",
            "-lfoo",
        ]))
        .unwrap();
        assert_eq!(c.output, PathBuf::from("out"));
        assert_eq!(
            c.inputs,
            vec![
                InputArg::Path("main.o".into()),
                InputArg::Path("libcore.rlib".into()),
                InputArg::Lib("foo".into())
            ]
        );
        assert_eq!(c.lib_dirs, vec![PathBuf::from("/deps")]);
        assert!(c.gc_sections && c.strip);
        assert_eq!(c.map, Some(PathBuf::from("out.map")));
        assert!(c.ignored.iter().any(|(a, _)| a == "-fuse-ld=lld"));
    }

    #[test]
    fn ld_style_arguments_parse_too() {
        let c = parse(&args(&[
            "--gc-sections",
            "-o",
            "x",
            "-e",
            "main",
            "a.o",
            "-z",
            "noexecstack",
            "--print-gc-sections",
            "-Map",
            "m",
            "-s",
        ]))
        .unwrap();
        assert_eq!(
            (
                c.entry.as_str(),
                c.gc_sections,
                c.print_gc_sections,
                c.strip
            ),
            ("main", true, true, true)
        );
        assert_eq!(c.map, Some(PathBuf::from("m")));
    }

    #[test]
    fn arguments_that_change_the_output_are_refused_by_name() {
        for bad in [
            &["a.o", "-shared"][..],
            &["a.o", "-pie"],
            &["a.o", "-Wl,--whole-archive"],
            &["a.o", "-Wl,-z,execstack"],
            &["a.o", "--frobnicate"],
            &["a.o", "-Wl,-z,max-page-size=65536"],
        ] {
            let e = parse(&args(bad)).unwrap_err().to_string();
            let named = bad[1].trim_start_matches("-Wl,").replace(',', " ");
            assert!(e.contains(&named), "{e:?} does not name {named:?}");
        }
        assert!(parse(&args(&["-o"])).is_err());
        assert!(parse(&args(&["-o", "x"])).is_err(), "no inputs");
    }

    #[test]
    fn response_files_split_like_gcc() {
        assert_eq!(
            split_response("a 'b c' \"d\\\"e\"\n  f\\ g\n"),
            args(&["a", "b c", "d\"e", "f g"])
        );
        let dir = std::env::temp_dir().join(format!("fld-args-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (outer, inner) = (dir.join("outer"), dir.join("inner"));
        std::fs::write(&inner, "-o out").unwrap();
        std::fs::write(&outer, format!("x.o @{}", inner.display())).unwrap();
        let got = expand_response_files(args(&[&format!("@{}", outer.display())])).unwrap();
        assert_eq!(got, args(&["x.o", "-o", "out"]));
        assert!(expand_response_files(args(&["@/nonexistent/rsp"])).is_err());
    }
}
