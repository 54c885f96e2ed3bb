//! The workspace's structural rules, checked on its source text:
//!
//! - no two sibling modules of a crate depend on each other, directly or through a ring of
//!   siblings (a `use crate::…`, `super::…`, `self::…` or a full path in code all count);
//! - the language-neutral backend (jit/src) never names a source language.
//!
//! The reader is lexical, not a compiler: comments and literals are skipped, inline `mod x {`
//! blocks are followed for `super::`, and a path resolves to the longest prefix that is a
//! module of the crate. Paths through a re-export at an ancestor (`crate::Vm`) count as a use
//! of that ancestor, which never makes a cycle.

use anyhow::{Context, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path inside a crate (`["aot", "lower"]`; the crate root is empty).
pub type ModPath = Vec<String>;

/// One source file of a crate: its module path and its text.
pub struct SourceFile {
    pub module: ModPath,
    pub path: PathBuf,
    pub text: String,
}

/// Words the backend must not contain (jit/src knows no source language).
pub const LANGUAGE_WORDS: [&str; 3] = ["minipy", "python", "bytecode"];

/// Every structural problem of the workspace at `root`, one line each (empty: all rules hold).
pub fn check_workspace(root: &Path) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for src in crate_source_dirs(root)? {
        let files = read_crate(&src)?;
        let name = src
            .parent()
            .and_then(|p| p.strip_prefix(root).ok())
            .map_or_else(|| src.display().to_string(), |p| p.display().to_string());
        for ring in sibling_cycles(&files) {
            problems.push(format!("{name}: modules import each other: {ring}"));
        }
    }
    for f in read_crate(&root.join("jit/src"))? {
        for (line, word) in language_mentions(&f.text) {
            problems.push(format!(
                "{}:{line}: the backend names a source language (`{word}`)",
                f.path.display()
            ));
        }
    }
    Ok(problems)
}

/// The `src` directories of the workspace's crates (every directory with a Cargo.toml and a
/// src/, outside target/ and hidden directories).
pub fn crate_source_dirs(root: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(dir) = todo.pop() {
        if dir.join("Cargo.toml").is_file() && dir.join("src").is_dir() {
            out.push(dir.join("src"));
        }
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?
        {
            let path = entry?.path();
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if path.is_dir() && !name.starts_with('.') && name != "target" && name != "src" {
                todo.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The `.rs` files under a crate's `src`, each with its module path.
pub fn read_crate(src: &Path) -> Result<Vec<SourceFile>> {
    let mut files = Vec::new();
    let mut todo = vec![src.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(src).expect("under src");
                let mut module: ModPath = rel
                    .with_extension("")
                    .iter()
                    .map(|c| c.to_string_lossy().into_owned())
                    .collect();
                // `bin/x.rs` files are crates of their own; lib.rs, main.rs and mod.rs name
                // their directory's module.
                if module.first().is_some_and(|m| m == "bin") {
                    continue;
                }
                if module
                    .last()
                    .is_some_and(|m| m == "lib" || m == "main" || m == "mod")
                {
                    module.pop();
                }
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))?;
                files.push(SourceFile { module, path, text });
            }
        }
    }
    files.sort_by(|a, b| a.module.cmp(&b.module));
    Ok(files)
}

/// Rings of sibling modules that depend on each other, each as `a -> b -> a` under its
/// parent (`crate` for the root).
pub fn sibling_cycles(files: &[SourceFile]) -> Vec<String> {
    let modules: BTreeSet<ModPath> = files.iter().map(|f| f.module.clone()).collect();
    // parent → (from child → to children)
    let mut graph: BTreeMap<ModPath, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for f in files {
        for target in module_references(&f.module, &f.text) {
            let to = resolve(&modules, &target);
            let common = f.module.iter().zip(&to).take_while(|(a, b)| a == b).count();
            if common == f.module.len() || common == to.len() {
                continue; // an ancestor or a descendant, not a sibling
            }
            graph
                .entry(f.module[..common].to_vec())
                .or_default()
                .entry(f.module[common].clone())
                .or_default()
                .insert(to[common].clone());
        }
    }
    let mut rings = Vec::new();
    for (parent, edges) in &graph {
        for ring in strongly_connected(edges) {
            let scope = if parent.is_empty() {
                "crate".to_string()
            } else {
                parent.join("::")
            };
            rings.push(format!("{scope}: {}", describe_ring(&ring, edges)));
        }
    }
    rings
}

/// The longest prefix of `path` that names a module.
fn resolve(modules: &BTreeSet<ModPath>, path: &[String]) -> ModPath {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| modules.contains(p))
        .unwrap_or_default()
}

/// Strongly connected components of more than one module (Tarjan's algorithm; the graphs
/// are a few dozen nodes).
fn strongly_connected(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Tarjan<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    impl<'a> Tarjan<'a> {
        fn visit(&mut self, v: &'a str) {
            let i = self.index.len();
            self.index.insert(v, i);
            self.low.insert(v, i);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.edges.get(v).into_iter().flatten() {
                let w = w.as_str();
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let lw = self.low[w];
                    let lv = self.low.get_mut(v).expect("visited");
                    *lv = (*lv).min(lw);
                } else if self.on_stack.contains(w) {
                    let iw = self.index[w];
                    let lv = self.low.get_mut(v).expect("visited");
                    *lv = (*lv).min(iw);
                }
            }
            if self.low[v] == self.index[v] {
                let mut comp = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    comp.push(w.to_string());
                    if w == v {
                        break;
                    }
                }
                if comp.len() > 1 {
                    comp.sort();
                    self.out.push(comp);
                }
            }
        }
    }
    let mut t = Tarjan {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !t.index.contains_key(v.as_str()) {
            t.visit(v);
        }
    }
    t.out
}

/// `a -> b -> a` for a component: a cycle through its first module, by breadth-first search.
fn describe_ring(ring: &[String], edges: &BTreeMap<String, BTreeSet<String>>) -> String {
    let start = &ring[0];
    let mut prev: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start.as_str()]);
    while let Some(v) = queue.pop_front() {
        for w in edges.get(v).into_iter().flatten() {
            if w == start {
                let mut path = vec![start.as_str(), v];
                let mut at = v;
                while at != start {
                    at = prev[at];
                    path.push(at);
                }
                path.reverse();
                return path.join(" -> ");
            }
            if ring.contains(w) && !prev.contains_key(w.as_str()) {
                prev.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    ring.join(", ")
}

/// Every module path `text` (the file of module `module`) refers to, made absolute.
pub fn module_references(module: &[String], text: &str) -> Vec<ModPath> {
    let toks = tokens(text);
    let mut out = Vec::new();
    // Inline modules open at the current brace depth: `super::` inside them is one level
    // further down.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < toks.len() {
        match toks[i].as_str() {
            "{" => depth += 1,
            "}" => {
                depth = depth.saturating_sub(1);
                if inline.last().is_some_and(|&(_, d)| d == depth) {
                    inline.pop();
                }
            }
            "mod" if toks.get(i + 2).is_some_and(|t| t == "{") => {
                inline.push((toks[i + 1].clone(), depth));
            }
            "crate" | "super" | "self"
                if toks.get(i + 1).is_some_and(|t| t == "::")
                    && (i == 0 || toks[i - 1] != "::") =>
            {
                let here: ModPath = module
                    .iter()
                    .cloned()
                    .chain(inline.iter().map(|(m, _)| m.clone()))
                    .collect();
                let (paths, next) = parse_path_tree(&toks, i);
                for p in paths {
                    if let Some(abs) = absolute(&here, &p) {
                        out.push(abs);
                    }
                }
                i = next;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// `crate::a`, `super::super::b`, `self::c` seen from module `here`, as an absolute path.
fn absolute(here: &[String], path: &[String]) -> Option<ModPath> {
    let mut base: ModPath = here.to_vec();
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            base.clear();
            rest = &rest[1..];
        }
        Some("self") => rest = &rest[1..],
        _ => {
            while rest.first().is_some_and(|s| s == "super") {
                base.pop()?;
                rest = &rest[1..];
            }
        }
    }
    base.extend(rest.iter().filter(|s| *s != "self" && *s != "*").cloned());
    Some(base)
}

/// The paths of a use tree or a path expression starting at token `i`
/// (`crate::{a::b, c::{d, e}}` → three paths), and the index after it.
fn parse_path_tree(toks: &[String], mut i: usize) -> (Vec<Vec<String>>, usize) {
    let mut prefix = Vec::new();
    loop {
        let t = &toks[i];
        if t == "{" {
            let mut all = Vec::new();
            i += 1;
            while i < toks.len() && toks[i] != "}" {
                if toks[i] == "," {
                    i += 1;
                    continue;
                }
                let (subs, next) = parse_path_tree(toks, i);
                for s in subs {
                    all.push(prefix.iter().cloned().chain(s).collect());
                }
                i = next;
            }
            return (all, i + 1);
        }
        if is_ident(t) || t == "*" {
            prefix.push(t.clone());
            i += 1;
            if toks.get(i).is_some_and(|t| t == "::") {
                i += 1;
                continue;
            }
        }
        return (vec![prefix], i);
    }
}

fn is_ident(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// Identifiers, `::` and single punctuation, with comments, strings and char literals left
/// out.
fn tokens(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            let mut nest = 0;
            while i < b.len() {
                if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                    nest += 1;
                    i += 2;
                } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                    nest -= 1;
                    i += 2;
                    if nest == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == b'r' && matches!(b.get(i + 1), Some(b'#') | Some(b'"')) {
            // raw string r"…" / r#"…"#
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&b'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&b'"') {
                out.push("r".into());
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= b.len() {
                    break;
                }
                if b[j] == b'"' && (0..hashes).all(|k| b.get(j + 1 + k) == Some(&b'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            i = j;
        } else if c == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
        } else if c == b'\'' {
            // A char literal ('x', '\n', '\u{..}') or a lifetime ('a).
            if b.get(i + 1) == Some(&b'\\') {
                i += 2;
                while i < b.len() && b[i] != b'\'' {
                    i += 1;
                }
                i += 1;
            } else if b.get(i + 2) == Some(&b'\'') {
                i += 3;
            } else {
                let s = &text[i + 1..];
                let ch = s.chars().next().map_or(1, char::len_utf8);
                if s[ch..].starts_with('\'') {
                    i += 2 + ch;
                } else {
                    i += 1; // lifetime: its name follows as an identifier
                }
            }
        } else if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] >= 0x80) {
                i += 1;
            }
            out.push(text[start..i].to_string());
        } else if c == b':' && b.get(i + 1) == Some(&b':') {
            out.push("::".into());
            i += 2;
        } else if c.is_ascii_whitespace() || c.is_ascii_digit() {
            i += 1;
        } else {
            out.push((c as char).to_string());
            i += 1;
        }
    }
    out
}

/// (line, word) for every mention of a source language in `text`, comments included.
pub fn language_mentions(text: &str) -> Vec<(usize, &'static str)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let lower = line.to_ascii_lowercase();
        for w in LANGUAGE_WORDS {
            if lower.contains(w) {
                out.push((n + 1, w));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(module: &[&str], text: &str) -> SourceFile {
        SourceFile {
            module: module.iter().map(|s| s.to_string()).collect(),
            path: PathBuf::from(format!("{}.rs", module.join("/"))),
            text: text.to_string(),
        }
    }

    #[test]
    fn two_modules_using_each_other_are_a_cycle() {
        let files = [
            file(&[], "mod a; mod b;"),
            file(&["a"], "use crate::b::helper;\npub fn f() { helper() }"),
            file(&["b"], "pub fn helper() { super::a::LIMIT; }"),
        ];
        assert_eq!(sibling_cycles(&files), ["crate: a -> b -> a"]);
    }

    #[test]
    fn a_ring_of_three_and_grouped_uses_are_found() {
        let files = [
            file(&[], ""),
            file(&["a"], "use crate::{ir::Value, b::{self, X}};"),
            file(&["b"], "fn g() { let _ = crate::c::run(); }"),
            file(&["c"], "use super::a;"),
            file(&["ir"], ""),
        ];
        assert_eq!(sibling_cycles(&files), ["crate: a -> b -> c -> a"]);
    }

    #[test]
    fn nested_siblings_are_checked_under_their_parent() {
        let files = [
            file(&[], ""),
            file(&["aot"], "pub mod lower; pub mod runtime;"),
            file(&["aot", "lower"], "use super::runtime::Runtime;"),
            file(&["aot", "runtime"], "use crate::aot::lower::AotProgram;"),
        ];
        assert_eq!(sibling_cycles(&files), ["aot: lower -> runtime -> lower"]);
    }

    #[test]
    fn one_way_uses_parents_children_comments_and_strings_are_not_cycles() {
        let files = [
            file(&[], "pub use vm::Vm; mod tier; mod vm;"),
            file(
                &["vm"],
                "use crate::tier::{self, DEOPT};\n#[cfg(test)]\nmod tests { use super::*; use crate::Vm; }",
            ),
            file(
                &["tier"],
                "// crate::vm::Vm would close the ring\nconst S: &str = \"crate::vm::x\";\nfn f<'a>(c: char) -> bool { c == '{' }\nuse crate::Vm;",
            ),
        ];
        assert!(
            sibling_cycles(&files).is_empty(),
            "{:?}",
            sibling_cycles(&files)
        );
    }

    #[test]
    fn super_inside_an_inline_module_is_the_file_itself() {
        let refs = module_references(
            &["a".to_string()],
            "mod tests { use super::helper; fn t() { super::super::b::x(); } }",
        );
        assert_eq!(
            refs,
            [
                vec!["a".to_string(), "helper".into()],
                vec!["b".into(), "x".into()]
            ]
        );
    }

    #[test]
    fn the_backend_may_not_name_a_language() {
        assert_eq!(
            language_mentions("fn f() {}\n// lowers Python's bytecode\n"),
            [(2, "python"), (2, "bytecode")]
        );
        assert!(language_mentions("// floor division, rounding toward -inf").is_empty());
    }
}
