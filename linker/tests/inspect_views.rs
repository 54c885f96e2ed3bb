//! inspect's views: names that are not UTF-8 are shown escaped (not a rejected file), the
//! one-screen summary says what a file is, JSON views carry exactly the tables asked for,
//! and every JSON field is documented in docs/inspect-json.md.

use linker::inspect::{JSON_SCHEMA, Views, inspect, summary, to_json_views};
use std::path::{Path, PathBuf};
use std::process::Command;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("inspect-views-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `gcc` with `args`, or a loud skip when there is no gcc (CI installs it).
fn gcc(args: &[&str], dir: &Path) -> bool {
    match Command::new("gcc").args(args).current_dir(dir).status() {
        Ok(s) => {
            assert!(s.success(), "gcc {args:?} failed");
            true
        }
        Err(e) => {
            eprintln!("SKIPPED: gcc not runnable ({e}); install gcc to run this test");
            false
        }
    }
}

/// Replaces the one occurrence of `from` (with its NUL) in `bytes` by `to`.
fn patch(bytes: &mut [u8], from: &[u8], to: &[u8]) {
    assert_eq!(from.len(), to.len());
    let hits: Vec<usize> = bytes
        .windows(from.len())
        .enumerate()
        .filter(|(_, w)| *w == from)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(hits.len(), 1, "{:?} occurs {} times", from, hits.len());
    bytes[hits[0]..hits[0] + to.len()].copy_from_slice(to);
}

#[test]
fn names_that_are_not_utf8_are_escaped() {
    let dir = scratch("utf8");
    std::fs::write(
        dir.join("n.c"),
        "__attribute__((section(\".zzqsec\"))) int zzqdata = 1;\n\
         int zzqfunc(void) { return zzqdata; }\n\
         int caller(void) { return zzqfunc() + 1; }\n",
    )
    .unwrap();
    if !gcc(&["-c", "-O0", "n.c", "-o", "n.o"], &dir) {
        return;
    }
    let mut bytes = std::fs::read(dir.join("n.o")).unwrap();
    patch(&mut bytes, b"zzqfunc\0", b"zz\xfffunc\0");
    patch(&mut bytes, b".zzqsec\0", b".zz\xfesec\0");
    let r = inspect(&bytes).expect("a name that is not UTF-8 fails the whole file");
    assert!(
        r.symbols.iter().any(|s| s.name == "zz\\xfffunc"),
        "escaped symbol missing: {:?}",
        r.symbols.iter().map(|s| &s.name).collect::<Vec<_>>()
    );
    assert!(r.sections.iter().any(|s| s.name == ".zz\\xfesec"));
    // The relocation of the call names the escaped symbol too.
    assert!(
        r.relocations
            .iter()
            .any(|x| x.symbol_name == "zz\\xfffunc" && x.type_name == "R_X86_64_PLT32"),
        "{:?}",
        r.relocations
    );
    // Other names are intact.
    assert!(r.symbols.iter().any(|s| s.name == "caller"));
    assert!(r.symbols.iter().any(|s| s.name == "zzqdata"));
    let text = linker::inspect::render(&r);
    assert!(text.contains("zz\\xfffunc"), "{text}");
}

#[test]
fn the_summary_says_what_a_file_is() {
    let dir = scratch("summary");
    std::fs::write(
        dir.join("h.c"),
        "#include <stdio.h>\nint main(void) { puts(\"hi\"); return 0; }\n",
    )
    .unwrap();
    if !gcc(&["-O1", "-Wl,--build-id=sha1", "h.c", "-o", "h"], &dir) {
        return;
    }
    let bytes = std::fs::read(dir.join("h")).unwrap();
    let r = inspect(&bytes).unwrap();
    let s = summary(&r);
    let first = s.lines().next().unwrap();
    assert!(
        first.starts_with("ELF64 x86-64 ")
            && first.ends_with(&format!(", {} bytes", bytes.len()))
            && (first.contains("position-independent") || first.contains("dynamically linked")),
        "{s}"
    );
    assert!(
        s.contains("interpreter    /lib64/ld-linux-x86-64.so.2"),
        "{s}"
    );
    assert!(s.contains("needs          libc.so.6"), "{s}");
    let build_id = r
        .notes
        .iter()
        .find_map(|n| n.decoded.as_deref()?.strip_prefix("Build ID: "))
        .expect("a build ID note");
    assert!(s.contains(&format!("build id       {build_id}")), "{s}");
    assert!(s.contains("stack          not executable"), "{s}");
    assert!(s.contains(" main"), "largest symbols name main: {s}");
    assert!(s.lines().count() <= 24, "more than a screen:\n{s}");

    // An object is a relocatable object without an entry line.
    if gcc(&["-c", "h.c", "-o", "h.o"], &dir) {
        let r = inspect(&std::fs::read(dir.join("h.o")).unwrap()).unwrap();
        let s = summary(&r);
        assert!(s.starts_with("ELF64 x86-64 relocatable object"), "{s}");
        assert!(!s.contains("entry"), "{s}");
    }
}

/// The keys of a JSON object.
fn keys(v: &serde_json::Value) -> Vec<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

#[test]
fn json_views_hold_the_tables_asked_for_and_every_field_is_documented() {
    let me = std::env::current_exe().unwrap();
    let bytes = std::fs::read(&me).unwrap();
    let r = inspect(&bytes).unwrap();
    let always = ["file_size", "interpreter", "schema", "warnings"];
    let only_symbols = Views {
        symbols: true,
        ..Views::default()
    };
    let v: serde_json::Value = serde_json::from_str(&to_json_views(&r, only_symbols)).unwrap();
    let mut want: Vec<String> = always.iter().map(|s| s.to_string()).collect();
    want.push("symbols".into());
    want.sort();
    assert_eq!(keys(&v), want);
    assert_eq!(v["schema"], JSON_SCHEMA);
    assert_eq!(v["symbols"].as_array().unwrap().len(), r.symbols.len());

    // No view asked for: every table.
    let all: serde_json::Value =
        serde_json::from_str(&to_json_views(&r, Views::default())).unwrap();
    let mut want: Vec<String> = always.iter().map(|s| s.to_string()).collect();
    want.extend(Views::ALL.keys().iter().map(|s| s.to_string()));
    want.sort();
    assert_eq!(keys(&all), want);

    // Every field name, top-level and of each table's entries, appears in the schema doc
    // as `name`, and the doc names the schema version.
    let doc_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/inspect-json.md");
    let doc = std::fs::read_to_string(&doc_path).unwrap();
    assert!(
        doc.contains(JSON_SCHEMA),
        "{} does not name {JSON_SCHEMA}",
        doc_path.display()
    );
    let mut fields: Vec<String> = keys(&all);
    for table in Views::ALL.keys() {
        match &all[table] {
            serde_json::Value::Array(a) => {
                // The first entry of each kind: this test binary has every table but
                // relocations of a few kinds; all entries share one shape.
                if let Some(first) = a.first() {
                    fields.extend(keys(first));
                }
            }
            o @ serde_json::Value::Object(_) => fields.extend(keys(o)),
            _ => {}
        }
    }
    let missing: Vec<&String> = fields
        .iter()
        .filter(|f| !doc.contains(&format!("`{f}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "fields not documented in {}: {missing:?}",
        doc_path.display()
    );
}
