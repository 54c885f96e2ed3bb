//! A seeded generator of valid minipy programs that stay inside 64 bits (values are kept
//! small with `% 1000`), for differential testing against CPython in every mode. Some
//! programs divide by a value that can be zero, so exceptions and tracebacks get tested too.
//! [`program_with_kinds`] adds values whose kind changes at run time — None, strings, bools
//! and ints mixed through `or`/`and`, conditional expressions and functions that return
//! different kinds — compared, printed and tested for truth, and globals that functions
//! assign.

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt::Write;
use rt::rand::XorShift64 as Rng;

struct Gen {
    rng: Rng,
    out: String,
    /// Functions defined so far: (name, number of parameters).
    funcs: Vec<(String, usize)>,
    /// Names readable here.
    vars: Vec<String>,
    depth: usize,
    in_func: bool,
    loop_var: usize,
    /// Values of mixed kinds (None, strings, bools, ints) too.
    kinds: bool,
    /// Variables that may hold any kind (never used in arithmetic).
    kvars: Vec<String>,
    /// Functions returning mixed kinds: (name, number of parameters).
    kfuncs: Vec<(String, usize)>,
}

impl Gen {
    fn var(&mut self) -> String {
        if self.vars.is_empty() {
            return format!("{}", self.rng.below(50));
        }
        self.vars[self.rng.below(self.vars.len() as u64) as usize].clone()
    }

    /// An expression whose value is a small int (or bool).
    fn expr(&mut self, depth: usize) -> String {
        if depth == 0 || self.rng.chance(30) {
            return match self.rng.below(5) {
                0 => format!("{}", self.rng.below(100)),
                1 => ["True", "False", "0x1f", "0b101", "1_0"][self.rng.below(5) as usize].into(),
                _ => self.var(),
            };
        }
        let a = self.expr(depth - 1);
        let b = self.expr(depth - 1);
        match self.rng.below(16) {
            0 => format!("({a} + {b})"),
            1 => format!("({a} - {b})"),
            2 => format!("({a} * {b} % 1000)"),
            3 => format!("({a} // ({b} % 7 + 1))"),
            4 => format!("({a} % ({b} % 5 + 1))"),
            5 => format!("({a} << ({b} % 8))"),
            6 => format!("({a} >> ({b} % 5))"),
            7 => format!("({a} & {b})"),
            8 => format!("({a} | {b})"),
            9 => format!("({a} ^ {b})"),
            10 => format!("({a} < {b})"),
            11 => format!("({a} == {b} or {a} > 3)"),
            12 => format!("({a} if {b} > 2 else -{a})"),
            13 => format!("(not {a})"),
            14 => format!("({a} % 10 ** ({b} % 3))"),
            _ => {
                if let Some((name, n)) = self.pick_func() {
                    let mut args: Vec<String> =
                        (0..n).map(|_| format!("{} % 20", self.expr(0))).collect();
                    // Sometimes the last ones by keyword (p0, p1, … are the parameters),
                    // in any order: evaluated as written, passed by name.
                    if n > 1 && self.rng.chance(20) {
                        let k = 1 + self.rng.below(n as u64) as usize;
                        let mut named: Vec<String> =
                            (n - k..n).map(|i| format!("p{i}={}", args[i])).collect();
                        for i in (1..named.len()).rev() {
                            let j = self.rng.below(i as u64 + 1) as usize;
                            named.swap(i, j);
                        }
                        args.truncate(n - k);
                        args.extend(named);
                    }
                    format!("{name}({})", args.join(", "))
                } else {
                    format!("(-{a})")
                }
            }
        }
    }

    /// An expression of any kind: None, a string, a bool or an int.
    fn kexpr(&mut self, depth: usize) -> String {
        if depth == 0 || self.rng.chance(30) {
            return match self.rng.below(8) {
                0 => "None".into(),
                1 => ["\"\"", "\"a\"", "\"ab\"", "\"b c\""][self.rng.below(4) as usize].into(),
                2 => ["True", "False"][self.rng.below(2) as usize].into(),
                3 | 4 if !self.kvars.is_empty() => {
                    self.kvars[self.rng.below(self.kvars.len() as u64) as usize].clone()
                }
                _ => self.expr(0),
            };
        }
        match self.rng.below(6) {
            0 => {
                let (a, b) = (self.kexpr(depth - 1), self.kexpr(depth - 1));
                format!("({a} or {b})")
            }
            1 => {
                let (a, b) = (self.kexpr(depth - 1), self.kexpr(depth - 1));
                format!("({a} and {b})")
            }
            2 => {
                let (a, c, b) = (self.kexpr(depth - 1), self.expr(1), self.kexpr(depth - 1));
                format!("({a} if {c} else {b})")
            }
            3 if !self.kfuncs.is_empty() => {
                let i = self.rng.below(self.kfuncs.len() as u64) as usize;
                let (name, n) = self.kfuncs[i].clone();
                let args: Vec<String> = (0..n).map(|_| format!("{} % 20", self.expr(0))).collect();
                format!("{name}({})", args.join(", "))
            }
            _ => self.kexpr(depth - 1),
        }
    }

    /// A condition on values of any kind (never raises).
    fn kcond(&mut self) -> String {
        let (a, b) = (self.kexpr(1), self.kexpr(1));
        match self.rng.below(4) {
            0 => format!("{a} == {b}"),
            1 => format!("{a} != {b}"),
            2 => format!("not {a}"),
            _ => a,
        }
    }

    fn pick_func(&mut self) -> Option<(String, usize)> {
        if self.funcs.is_empty() {
            return None;
        }
        let i = self.rng.below(self.funcs.len() as u64) as usize;
        Some(self.funcs[i].clone())
    }

    fn line(&mut self, indent: usize, text: &str) {
        let _ = writeln!(self.out, "{}{text}", "    ".repeat(indent));
    }

    fn assign(&mut self, indent: usize) {
        // Loop counters (i…, w…) are never assigned: every loop must end.
        let assignable: Vec<String> = self
            .vars
            .iter()
            .filter(|v| !v.starts_with('i') && !v.starts_with('w'))
            .cloned()
            .collect();
        let name = if assignable.len() < 4 || self.rng.chance(40) {
            format!("v{}", self.vars.len())
        } else {
            assignable[self.rng.below(assignable.len() as u64) as usize].clone()
        };
        let e = self.expr(2);
        if self.rng.chance(15) {
            let op = ["+=", "-=", "^=", "|="][self.rng.below(4) as usize];
            if self.vars.contains(&name) {
                self.line(indent, &format!("{name} {op} {e} % 100"));
                self.line(indent, &format!("{name} %= 1000"));
                return;
            }
        }
        self.line(indent, &format!("{name} = {e} % 1000"));
        if !self.vars.contains(&name) {
            self.vars.push(name);
        }
    }

    fn block(&mut self, indent: usize, stmts: usize) {
        let saved = self.vars.len();
        for _ in 0..stmts {
            self.stmt(indent);
        }
        // Names first assigned inside a branch may be unset after it: forget them.
        self.vars.truncate(saved);
    }

    fn stmt(&mut self, indent: usize) {
        match self.rng.below(10) {
            3 if self.kinds && !self.in_func => {
                // A variable of any kind; assigned only at the top level, so it is set
                // wherever it is read later.
                let name = format!("k{}", self.kvars.len());
                let e = self.kexpr(2);
                self.line(indent, &format!("{name} = {e}"));
                if indent == 0 {
                    self.kvars.push(name);
                }
            }
            2 if self.kinds && self.depth < 2 => {
                self.depth += 1;
                let c = self.kcond();
                self.line(indent, &format!("if {c}:"));
                let k = 1 + self.rng.below(2) as usize;
                self.block(indent + 1, k);
                self.depth -= 1;
            }
            0..=3 => self.assign(indent),
            4 if self.depth < 2 => {
                self.depth += 1;
                let c = self.expr(2);
                self.line(indent, &format!("if {c}:"));
                let k = 1 + self.rng.below(3) as usize;
                self.block(indent + 1, k);
                if self.rng.chance(50) {
                    let c2 = self.expr(1);
                    self.line(indent, &format!("elif {c2}:"));
                    let k = 1 + self.rng.below(2) as usize;
                    self.block(indent + 1, k);
                }
                self.line(indent, "else:");
                let k = 1 + self.rng.below(2) as usize;
                self.block(indent + 1, k);
                self.depth -= 1;
            }
            5 if self.depth < 2 => {
                self.depth += 1;
                self.loop_var += 1;
                let v = format!("i{}", self.loop_var);
                let (a, b, s) = (
                    self.rng.below(5),
                    3 + self.rng.below(12),
                    [1, 1, 2, 3][self.rng.below(4) as usize],
                );
                if self.rng.chance(30) {
                    self.line(indent, &format!("for {v} in range({b}, {a}, -{s}):"));
                } else {
                    self.line(indent, &format!("for {v} in range({a}, {b}, {s}):"));
                }
                self.vars.push(v.clone());
                let saved = self.vars.len();
                let k = 1 + self.rng.below(3) as usize;
                self.block(indent + 1, k);
                if self.rng.chance(20) {
                    self.line(indent + 1, &format!("if {v} == {}:", a + 1));
                    let word = if self.rng.chance(50) {
                        "break"
                    } else {
                        "continue"
                    };
                    self.line(indent + 2, word);
                }
                self.vars.truncate(saved - 1);
                if self.rng.chance(25) {
                    // for … else: runs unless the loop broke out.
                    self.line(indent, "else:");
                    self.block(indent + 1, 1);
                }
                self.depth -= 1;
            }
            6 if self.depth < 2 => {
                self.depth += 1;
                self.loop_var += 1;
                let w = format!("w{}", self.loop_var);
                let start = self.rng.below(6);
                self.line(indent, &format!("{w} = {start}"));
                self.line(indent, &format!("while {w} > 0:"));
                self.line(indent + 1, &format!("{w} -= 1"));
                self.vars.push(w.clone());
                let k = 1 + self.rng.below(2) as usize;
                self.block(indent + 1, k);
                if self.rng.chance(25) {
                    let (a, b) = (self.var(), self.rng.below(4));
                    self.line(indent + 1, &format!("if {a} % 4 == {b}:"));
                    self.line(indent + 2, "break");
                    self.line(indent, "else:");
                    self.block(indent + 1, 1);
                }
                self.depth -= 1;
            }
            // (In a function now and then: compiled code stops before a print after its
            // loops, and a loop after a print is compiled from its head.)
            7 if !self.in_func || self.rng.chance(25) => {
                let e = self.expr(2);
                let e2 = self.expr(1);
                if self.kinds && self.rng.chance(60) {
                    let (k, c) = (self.kexpr(2), self.kcond());
                    self.line(indent, &format!("print({e}, {k}, {c})"));
                } else {
                    self.line(indent, &format!("print({e}, {e2})"));
                }
            }
            8 if self.rng.chance(10) => {
                // May divide by zero: both interpreters must raise at the same point.
                let a = self.var();
                let b = self.var();
                self.line(indent, &format!("v0 = {a} // ({b} % 4)"));
                if !self.vars.contains(&"v0".into()) {
                    self.vars.push("v0".into());
                }
            }
            9 if self.rng.chance(20) => {
                // May fail: AssertionError, with or without a message.
                let (e, k) = (self.expr(1), self.rng.below(40));
                if self.rng.chance(50) {
                    self.line(indent, &format!("assert {e} >= {k}"));
                } else {
                    self.line(indent, &format!("assert {e} >= {k}, \"below {k}\""));
                }
            }
            _ => self.assign(indent),
        }
    }

    /// A function returning None, a string, a bool or an int depending on its argument, and
    /// counting its calls in the global `count`.
    fn kind_function(&mut self, index: usize) {
        let name = format!("g{index}");
        self.line(0, &format!("def {name}(p0):"));
        self.line(1, "global count");
        self.line(1, "count += 1");
        let saved = core::mem::replace(&mut self.vars, vec![String::from("p0")]);
        self.in_func = true;
        for k in 0..2 + self.rng.below(3) {
            let c = self.expr(1);
            self.line(1, &format!("if {c} % {} == 0:", 2 + k));
            match self.rng.below(4) {
                0 => self.line(2, "return"),
                1 => {
                    let s = ["\"\"", "\"x\"", "\"yz\""][self.rng.below(3) as usize];
                    self.line(2, &format!("return {s}"));
                }
                2 => {
                    let e = self.expr(1);
                    self.line(2, &format!("return {e} > 3"));
                }
                _ => {
                    let e = self.expr(1);
                    self.line(2, &format!("return {e} % 1000"));
                }
            }
        }
        if self.rng.chance(50) {
            self.line(1, "return p0");
        }
        self.in_func = false;
        self.vars = saved;
        self.kfuncs.push((name, 1));
    }

    fn function(&mut self, index: usize) {
        let nparams = 1 + self.rng.below(3) as usize;
        let name = format!("f{index}");
        let params: Vec<String> = (0..nparams).map(|i| format!("p{i}")).collect();
        self.line(0, &format!("def {name}({}):", params.join(", ")));
        let saved = core::mem::replace(&mut self.vars, params.clone());
        self.in_func = true;
        let recursive = self.rng.chance(30);
        if recursive {
            // Bounded recursion on the first parameter.
            // idepth is never assigned again (names starting with i are loop counters).
            self.line(1, "idepth = p0 % 20");
            self.line(1, "if idepth <= 0:");
            let r = self.rng.below(10);
            self.line(2, &format!("return {r}"));
        }
        let n = 2 + self.rng.below(5) as usize;
        self.block(1, n);
        let r = self.expr(2);
        if recursive {
            let args: Vec<String> = (0..nparams)
                .map(|i| {
                    if i == 0 {
                        String::from("idepth - 1")
                    } else {
                        format!("p{i}")
                    }
                })
                .collect();
            self.line(
                1,
                &format!("return ({r} + {name}({})) % 1000", args.join(", ")),
            );
        } else {
            self.line(1, &format!("return {r} % 1000"));
        }
        self.in_func = false;
        self.vars = saved;
        self.funcs.push((name, nparams));
    }
}

/// Program number `seed`.
pub fn program(seed: u64) -> String {
    generate(seed, false)
}

/// Program number `seed` with values of mixed kinds and globals assigned by functions.
pub fn program_with_kinds(seed: u64) -> String {
    generate(seed, true)
}

fn generate(seed: u64, kinds: bool) -> String {
    let mut g = Gen {
        rng: Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1),
        out: String::new(),
        funcs: Vec::new(),
        vars: Vec::new(),
        depth: 0,
        in_func: false,
        loop_var: 0,
        kinds,
        kvars: Vec::new(),
        kfuncs: Vec::new(),
    };
    let what = if kinds { " with kinds" } else { "" };
    g.line(0, &format!("# minipy random program{what} {seed}"));
    for i in 0..3 {
        let v = g.rng.below(100);
        g.line(0, &format!("v{i} = {v}"));
        g.vars.push(format!("v{i}"));
    }
    for i in 0..(1 + g.rng.below(3) as usize) {
        g.function(i);
    }
    if kinds {
        g.line(0, "count = 0");
        for i in 0..(1 + g.rng.below(2) as usize) {
            g.kind_function(i);
        }
    }
    for _ in 0..(3 + g.rng.below(6)) {
        g.stmt(0);
    }
    let e = g.expr(3);
    g.line(0, &format!("print({e})"));
    for v in ["v0", "v1", "v2"] {
        g.line(0, &format!("print({v})"));
    }
    if kinds {
        g.line(0, "print(count)");
        for k in g.kvars.clone() {
            g.line(0, &format!("print({k}, not {k})"));
        }
    }
    g.out
}

/// Program number `seed` of the stress generator: sections aimed at the classes of defect
/// that once gave wrong answers or crashes — a variable holding different kinds on
/// different paths and then used in arithmetic, `def`s that run conditionally (or never),
/// deep and wide expressions near CPython's limits, every string escape, odd whitespace
/// (tabs, continuations, semicolons, one-line blocks) and recursion to within a few frames
/// of the limit, with builtins called at the bottom. The first exception ends the program
/// as it ends CPython's.
pub fn program_stress(seed: u64) -> String {
    let mut rng = Rng(seed.wrapping_mul(0xD134_2543_DE82_EF95) | 1);
    let mut out = format!("# minipy stress program {seed}\n");
    let sections = 3 + rng.below(4) as usize;
    for i in 0..sections {
        match rng.below(6) {
            0 => mixed_kinds(&mut rng, &mut out, i),
            1 => conditional_def(&mut rng, &mut out, i),
            2 => deep_expression(&mut rng, &mut out, i),
            3 => escapes(&mut rng, &mut out),
            4 => odd_whitespace(&mut rng, &mut out, i),
            _ => near_limit_recursion(&mut rng, &mut out, i),
        }
    }
    out
}

/// A variable that is None, a string, a bool or an int depending on the path, then used in
/// arithmetic or comparisons, in a function and at module level.
fn mixed_kinds(rng: &mut Rng, out: &mut String, i: usize) {
    let other = ["None", "\"s\"", "True", "a * 2"][rng.index(4)];
    let limit = rng.below(10);
    // A string with `*` or `%` is repetition or formatting: outside the subset.
    let ops: &[&str] = if other.contains('s') {
        &["+", "-", "//"]
    } else {
        &["+", "-", "*", "//", "%"]
    };
    let op = ops[rng.index(ops.len())];
    let k = 1 + rng.below(9);
    let guard = rng.chance(60);
    let _ = writeln!(out, "def mk{i}(a):");
    match rng.below(3) {
        0 => {
            let _ = writeln!(out, "    x = {other} if a < {limit} else a");
        }
        1 => {
            let _ = writeln!(
                out,
                "    if a < {limit}:\n        x = {other}\n    else:\n        x = a"
            );
        }
        _ => {
            let _ = writeln!(
                out,
                "    x = a\n    for j in range(a % 3):\n        if j == 1:\n            x = {other}"
            );
        }
    }
    if guard {
        let _ = writeln!(
            out,
            "    if x == None or x == \"s\" or x == True:\n        return -1"
        );
    }
    let _ = writeln!(out, "    return x {op} {k}");
    for _ in 0..2 {
        let _ = writeln!(out, "print(mk{i}({}))", rng.below(12));
    }
    let other_m = ["None", "\"t\"", "False", "7"][rng.index(4)];
    let op = if other_m.contains('t') && (op == "*" || op == "%") {
        "+"
    } else {
        op
    };
    let _ = writeln!(
        out,
        "y{i} = {other_m} if {c} else {n}\nprint(y{i} == None, y{i})",
        c = ["True", "False", "1 < 2", "3 < 2"][rng.index(4)],
        n = rng.below(50)
    );
    if rng.chance(50) {
        let _ = writeln!(out, "print(y{i} {op} {k})");
    }
}

/// A `def` under `if`, in a loop (maybe empty), in a skipped branch or after `break`, then
/// called: a NameError where it never ran, the last definition where it ran more than once.
fn conditional_def(rng: &mut Rng, out: &mut String, i: usize) {
    let k = rng.below(100);
    match rng.below(4) {
        0 => {
            let c = ["0", "1", "True", "False", "2 > 1", "v < 0"][rng.index(6)];
            let _ = writeln!(out, "v = {}", rng.below(5));
            let _ = writeln!(out, "if {c}:\n    def cd{i}():\n        return {k}");
        }
        1 => {
            let n = rng.below(3);
            let _ = writeln!(
                out,
                "for j in range({n}):\n    def cd{i}():\n        return j + {k}"
            );
        }
        2 => {
            let _ = writeln!(
                out,
                "if {}:\n    print(\"no def\")\nelse:\n    def cd{i}():\n        return {k}",
                ["True", "False"][rng.index(2)]
            );
        }
        _ => {
            let _ = writeln!(
                out,
                "while True:\n    break\n    def cd{i}():\n        return {k}"
            );
        }
    }
    let _ = writeln!(out, "print(cd{i}())");
}

/// Long sums, nested parentheses and unary chains, inside the limits (3,000 levels, 200
/// brackets) and sometimes past them.
fn deep_expression(rng: &mut Rng, out: &mut String, i: usize) {
    let terms: usize = [10, 500, 2500, 2990, 3100][rng.index(5)];
    let parts: Vec<String> = (0..terms)
        .map(|t| format!("{}", (t * 7 + i) % 10))
        .collect();
    let _ = writeln!(
        out,
        "s{i} = {}\nprint(s{i})",
        parts.join(if rng.chance(50) { "+" } else { "-" })
    );
    let depth: usize = [3, 100, 199, 200, 201][rng.index(5)];
    let _ = writeln!(
        out,
        "print({}{}{})",
        "(".repeat(depth),
        rng.below(100),
        ")".repeat(depth)
    );
    let unary: usize = [1, 50, 2990][rng.index(3)];
    let op = ["-", "~", "not ", "+"][rng.index(4)];
    let _ = writeln!(out, "print({}{})", op.repeat(unary), rng.below(9));
}

/// Every escape CPython has, compared with the character it means and printed where it
/// is printable; raw and u-prefixed literals.
fn escapes(rng: &mut Rng, out: &mut String) {
    let mut checks = Vec::new();
    for _ in 0..4 {
        let c = [
            0x41u32, 0x7a, 0x30, 0x20, 0x7e, 0xe9, 0x3b1, 0x20ac, 0x1f600, 0x9, 0xa, 0x0,
        ][rng.index(12)];
        let ch = char::from_u32(c).unwrap_or('?');
        let lit = if c < 0x20 {
            format!("\\x{c:02x}")
        } else if ch == '"' || ch == '\\' {
            format!("\\{ch}")
        } else {
            ch.into()
        };
        let form = match rng.below(4) {
            0 if c < 0x100 => format!("\\x{c:02x}"),
            1 if c < 0x200 => format!("\\{c:o}"),
            2 if c < 0x10000 => format!("\\u{c:04x}"),
            _ => format!("\\U{c:08x}"),
        };
        checks.push(format!("\"{form}\" == \"{lit}\""));
    }
    let named = [
        "\"\\a\" == \"\\x07\"",
        "\"\\b\" == \"\\x08\"",
        "\"\\f\" == \"\\x0c\"",
        "\"\\v\" == \"\\x0b\"",
        "\"\\0\" == \"\\x00\"",
        "r\"\\n\" == \"\\\\n\"",
        "u\"\\x41\" == \"A\"",
        "\"\\d\" == \"\\\\d\"",
        "'\\'' == \"'\"",
        "\"a\\\nb\" == \"ab\"",
    ];
    checks.push(named[rng.index(named.len())].into());
    let _ = writeln!(out, "print({})", checks.join(", "));
    let printable = [
        "\"\\x41\\u00e9\\U0001F600\"",
        "r\"\\x41\\t\"",
        "\"\\101\\102\"",
        "'\\u20ac\\\\'",
    ];
    let _ = writeln!(out, "print({})", printable[rng.index(printable.len())]);
}

/// Tabs for indentation (consistently), backslash continuations, semicolons, one-line
/// blocks, comments and whitespace-only lines.
fn odd_whitespace(rng: &mut Rng, out: &mut String, i: usize) {
    let n = rng.below(20);
    let _ = writeln!(
        out,
        "def ws{i}(a):\n\tt = 0\n\tfor j in range(a):\n\t\tif j % 2 == 0: t += j\n\t\telse: t -= 1\n\treturn t"
    );
    let _ = writeln!(
        out,
        "   \n# a comment   \nw{i} = ws{i}({n}) + \\\n    {}; print(w{i})",
        rng.below(5)
    );
    let _ = writeln!(out, "if w{i} > 3: print(\"big\"); print(\"still\")");
    if rng.chance(20) {
        // Tabs and spaces mixed: CPython's TabError, at compile time.
        let _ = writeln!(out, "if 1:\n        q = 1\n\tprint(q)");
    }
}

/// Recursion to within a few frames of CPython's limit of 1,000, with print, abs, min,
/// range and comparisons at the bottom (which count as a level there too, unless CPython
/// specializes the comparison: small ints or equal strings, followed by a jump).
fn near_limit_recursion(rng: &mut Rng, out: &mut String, i: usize) {
    let bottom = [
        "return 0",
        "return abs(-1)",
        "return max(n, 0)",
        "print(\"bottom\")\n        return 0",
        "for j in range(1):\n            pass\n        return 0",
        "return n < 1",
        "return 0 if n != None else 1",
        "return 0 if n < 1 < 2 else 1",
        "return 0 if \"a\" < \"b\" else 1",
    ][rng.index(9)];
    let test = [
        "n == 0",
        "n < 1",
        "not n > 0",
        "n <= 0 and n == 0",
        "0 == n == 0",
        "n + 1073741824 == 1073741824",
        "n == None or n == 0",
        "(n == 0) == True",
        "(n < 1 if n >= 0 else n > 1)",
    ][rng.index(9)];
    let _ = writeln!(
        out,
        "def rec{i}(n):\n    if {test}:\n        {bottom}\n    return rec{i}(n - 1) + 1"
    );
    let depth = 990 + rng.below(12);
    let _ = writeln!(out, "print(rec{i}({depth}))");
}

/// Program number `seed` of the objects generator: lists, tuples, strings and dicts made,
/// changed, sliced, sorted, searched, formatted and printed — list and dict comprehensions,
/// generator expressions, unpacking in `for`, f-strings with format specs, methods — with
/// indices that can fall outside, so IndexError, KeyError and ValueError end some programs
/// as they end CPython's.
pub fn program_objects(seed: u64) -> String {
    let mut rng = Rng(seed.wrapping_mul(0xA076_1D64_78BD_642F) | 1);
    let mut out = format!("# minipy objects program {seed}\n");
    let n = |rng: &mut Rng| rng.below(12) as i64 - 3;
    let _ = writeln!(
        out,
        "def key{seed}(x):\n    return (x % 7, -x)\n\n\ndef total(xs):\n    t = 0\n    for x in xs:\n        t += x\n    return t\n"
    );
    let _ = writeln!(
        out,
        "xs = [{}, {}, {}]\nys = []\nname = \"k{}\"\nd = {{}}\nt = ({}, {})\ns = {{{}, 8, 16}}",
        n(&mut rng),
        n(&mut rng),
        n(&mut rng),
        rng.below(100),
        n(&mut rng),
        n(&mut rng),
        n(&mut rng)
    );
    for _ in 0..(6 + rng.below(10)) {
        let (a, b, c) = (n(&mut rng), n(&mut rng), 1 + rng.below(3) as i64);
        // Most lookups that could fail are guarded; the rest end the program as CPython's.
        let guard = rng.chance(85);
        let at = if guard {
            format!("{a} % len(xs) if xs else 0")
        } else {
            format!("{a}")
        };
        let line = match rng.below(60) {
            0 => format!("xs.append({a} * len(xs) % 50)"),
            1 => format!("xs.extend([{a}, {b}])"),
            2 => format!("xs.insert({a}, {b})"),
            3 => "if xs:\n    ys.append(xs.pop())".into(),
            4 => "xs.sort()".into(),
            5 => format!(
                "xs.sort(key=key{seed}, reverse={})",
                ["True", "False"][rng.index(2)]
            ),
            6 => "xs.reverse()".into(),
            7 if guard => format!("if xs:\n    xs[{at}] = {b}"),
            7 => format!("xs[{a}] = {b}"),
            8 => format!("if len(xs) > 2:\n    del xs[{a} % len(xs)]"),
            9 => format!("ys = xs[{a}:{b}:{}]", if rng.chance(50) { c } else { -c }),
            10 => format!("xs += [x * {c} for x in ys if x % 2 == {}]", rng.below(2)),
            11 => format!("print(xs, len(xs), total(xs), xs.count({a}), {a} in xs)"),
            12 if guard => format!("if xs:\n    print(xs[{at}], xs[-1])"),
            12 => format!("print(xs[{a}], xs[-1] if xs else None)"),
            13 => "print(sorted(xs), max(xs) if xs else 0, min(xs + [99]), sum(x * x for x in xs))".into(),
            14 => format!("name = name + str({a})\nprint(name, name[::-1], name.upper(), len(name))"),
            15 => "print(name.replace(\"1\", \"-\"), name.find(\"2\"), name.split(\"1\"), name[1:3])".into(),
            16 => format!("d[name[:{c}]] = d.get(name[:{c}], 0) + {a}"),
            17 => "d[len(xs)] = xs[:2]\nprint(d, sorted(d.items(), key=str), len(d))".into(),
            18 => "for k, v in list(d.items()):\n    print(k, v, k in d)".into(),
            19 if guard => format!("print(d.get({a}), d.get(name[:1], \"none\"), {a} in d)"),
            19 => format!("print(d[{a}])"),
            20 => format!("t = ({a}, name[-1:], {b})\np, q, r = t\nprint(t, p + r, q * 2, t[::-1], t < ({b}, \"\", 0))"),
            21 => "for i, x in enumerate(xs[:4]):\n    print(i, x, f\"{x:>4}|{i:03d}|{x:+}|{x:>{i + 2}}|{x:{'<^'[i % 2]}{5}}\", format(x, \",\"))".into(),
            22 => "for a, b in zip(xs, name):\n    print(a, b)".into(),
            23 => format!("print({{x: x % {c} for x in xs}}, [(x, y) for x in range(2) for y in xs[:2]])"),
            24 if guard => format!("if {a} in xs:\n    print(xs.index({a}))"),
            24 => format!("print(xs.index({a}))"),
            25 => "print(f\"{name!r:>8} {len(d)} {sorted(d, key=str)} {tuple(xs[:3])}\")".into(),
            26 => "pairs = [list(p) for p in zip(xs, xs[1:])]\nprint(pairs, any(x > 5 for x in xs), all(xs))".into(),
            28 => format!("s.add({a} * {c} * 8)\ns.discard({b} * 8)"),
            29 => format!("s |= {{x * {c} for x in xs}}"),
            30 => format!("print(s, len(s), {a} in s, sorted(s)[:3])"),
            31 => format!("u = s & set(xs)\nprint(u, s - u, u ^ {{{a}, {b}}}, s | {{name}})"),
            32 => "if s:\n    ys.append(s.pop())".into(),
            33 => format!("s = set(xs) if {a} > 0 else {{{a}, {b}, {a} * 1000003, -{c}, {c} << 61}}"),
            34 if guard => format!("s.discard({a})\nprint(s <= set(xs), s.issubset(xs), s.isdisjoint(ys), s.union(ys))"),
            34 => format!("s.remove({a})"),
            35 => format!("f = lambda v, w={b}: v * {c} + w\nprint(f({a}), sorted(xs, key=lambda v: (v % {c}, -v)), [f(x) for x in xs[:3]])"),
            36 => format!("def bump(n):\n    def inner(k):\n        nonlocal n\n        n += k\n        return n\n    return inner\n\n\nb = bump({a})\nprint(b({b}), b({c}), max(xs + [{a}], key=lambda v: abs(v - {b})))"),
            37 => format!("gs = [lambda i=i: i * {c} for i in range({c} + 2)]\nhs = [lambda: i for i in range({c})]\nprint([g() for g in gs], [h() for h in hs])"),
            38 => format!("def scale(k):\n    return lambda seq: [k * v for v in seq]\n\n\nprint(scale({a})(xs), scale(name)([1, 2])[:{c}])"),
            // Generators run as they are pulled: their prints interleave with the consumer's.
            27 => format!("g = (x * {c} for x in xs)\nprint(next(g, None), {a} in g, list(g), next(g, \"end\"))"),
            39 => "for v in (print(\"at\", x) or x for x in xs[:3]):\n    print(\"v\", v)".into(),
            40 => format!("print(any(print(x) or x > {a} for x in xs), all(x != {b} for x in xs), sum(x for x in xs if x > {a}))"),
            41 => format!("print(max(x % {c} for x in xs + [0]), min((x for x in ys), default=None), sorted(x for x in xs if x % 2))"),
            // Functions the JIT compiles with their lists (made, read, written, iterated),
            // called with sizes that make some reads miss: a deoptimization the interpreter
            // then raises or goes on from.
            42 => {
                let (i, first) = if guard { (format!("{a} % 2"), 1) } else { (format!("{a}"), 0) };
                format!(
                    "def lst(m):\n    v = [{a}, {b}] * m\n    v[{i}] = v[-1] * {c} + len(v)\n    v[{i}] += {b}\n    t = 0\n    for x in v:\n        t += x\n    return [t, len(v), v]\n\n\nprint(lst({first}), lst({c}), lst(3))"
                )
            }
            43 => {
                let i = if guard { format!("{a} % m") } else { format!("{a}") };
                format!(
                    "def flags(m):\n    f = [True] * m\n    f[{i}] = False\n    g = [f, [False] * 2]\n    n = 0\n    for x in g[0]:\n        if x:\n            n += 1\n    return n + len(g[1])\n\n\nprint(flags(1), flags({c} + 1), flags(5))"
                )
            }
            // A list of bools (a byte an item) read, written, grown and printed, then
            // turned into a list of values by an int stored in it.
            44 => format!(
                "fl = [{a} > {b}, True] * {c}\nfl[{a} % len(fl)] = {a} < {b}\nfl.append({a} == {b})\nprint(fl, sum(fl), fl.count(True), fl[::-1], fl[1:], True in fl, fl == [True] * len(fl), fl + [{a}], sorted(fl), fl.index(False) if False in fl else -1, [{b} > 0] * {c} < fl)\nfl[-1] = {a}\nfl.insert(1, False)\nprint(fl, fl * 2, len(fl), fl.pop(), [not x for x in fl], list(reversed(fl)), tuple(fl[:2]), set(fl))"
            ),
            // Functions the JIT compiles that change the lists they are given, stopping part
            // way (ints past 64 bits, an index that misses): every mode must go on from
            // there, never run them again.
            45 => {
                let i = if guard { String::from("i % len(a)") } else { format!("i + {a}") };
                format!(
                    "def fill(a, m):\n    x = {a}\n    for i in range(m):\n        a[{i}] += x\n        x = x * {} + 1\n    return x % 1000003\n\n\nprint(fill(xs if xs else [0], {}), xs)",
                    c + 6,
                    10 + rng.below(40)
                )
            }
            46 => format!(
                "def churn(a, m):\n    for i in range(m):\n        a.append(i * {c} + {a})\n        if len(a) > 3:\n            a[0], a[-1] = a[-1], a[0]\n    t = 0\n    while len(a) > {c}:\n        t += a.pop()\n    if a and {a} in a:\n        t += max(a) - min(a)\n    return t + sum(a)\n\n\nprint(churn(ys, {}), ys)",
                rng.below(30)
            ),
            47 => format!(
                "def walk(a, n):\n    if n == 0:\n        return 1\n    a[n % len(a)] += n\n    return walk(a, n - 1) * {} + a[0]\n\n\nprint(walk(xs if xs else [1], {}) % 1000003, xs)",
                100 + rng.below(900),
                5 + rng.below(30)
            ),
            // Generator expressions that sum/any/all/min/max fold in compiled code (the
            // unguarded min() of an empty list raises).
            48 => {
                let test = if guard { "a and all" } else { "all" };
                format!(
                    "def fold(a, k):\n    t = sum(x * k for x in a if x > {b})\n    if any(x > k for x in a):\n        t += max(x - k for x in a)\n    if {test}(x % {c} for x in a):\n        t -= min(x for x in a)\n    return t\n\n\nprint(fold(xs, {a}), fold(ys, {b}))"
                )
            }
            49 => format!(
                "def grow(a, p):\n    return sum(x ** p for x in a if x) % 1000003\n\n\nprint(grow(xs, {}), grow(xs, 3))",
                20 + 10 * c
            ),
            50 => format!(
                "def scale(a, k):\n    b = [x * k + {b} for x in a if x != {a}]\n    return sum(y for y in b) + len([[y] for y in b])\n\n\nprint(scale(xs, {c}), scale(ys, {a}))"
            ),
            // Loops over enumerate() and zip() of lists, compiled as two values.
            51 => format!(
                "def pairs(a, b):\n    t = 0\n    for i, x in enumerate(a, {b}):\n        t += i * x\n    for x, y in zip(a, b):\n        t += x * {c} - y\n    return t\n\n\nprint(pairs(xs, ys), pairs(ys, xs), pairs(xs, xs[1:]))"
            ),
            // List slices in compiled code.
            52 => format!(
                "def cut(a, i, j):\n    b = a[i:j]\n    c = a[::-1][{b}:]\n    return len(b) * 100 + len(c) + (b[0] if b else 0)\n\n\nprint(cut(xs, {a}, {b}), cut(ys, {b}, {a}), xs[{a}:{b}:{c}])"
            ),
            // Sorting in compiled code (a bool argument from the interpreter too).
            53 => format!(
                "def order(a, down):\n    b = sorted(a)\n    a.sort(reverse=down)\n    a.reverse()\n    return (b[0] if b else 0) + len(a)\n\n\nprint(order(xs, {a} > 0), xs, order(ys, False), ys)"
            ),
            // Comprehensions and folds over enumerate() and zip() of lists.
            54 => format!(
                "def zipped(a, b, k):\n    c = [x * k - y for x, y in zip(a, b)]\n    return sum(i * x for i, x in enumerate(c, {b})) + len([v for v in c if v > k])\n\n\nprint(zipped(xs, ys, {c}), zipped(xs, xs[::-1], {a}))"
            ),
            // Arguments spread at the call (`*`, `**`, keywords beside them), dict
            // displays with `**`, methods called with keywords.
            55 => format!(
                "def kw(p, q={b}, *rest, k={c}, **more):\n    return [p, q, rest, k, sorted(more.items())]\n\n\nopts = {{\"k\": {a}, **{{str(x): x for x in xs[:2]}}}}\nprint(kw(*xs[:3], **opts), kw({a}, *ys[:1], q=0) if not ys else kw(*ys, **{{\"z\": {b}}}), {{**d, {a}: {b}}})"
            ),
            56 => format!(
                "d.update(n{c}={a}, **{{name[:1] or \"e\": {b}}})\nprint(\"{{0}}:{{k:>{{w}}}}|{{1[0]}}\".format(name, xs or [0], k={a}, w={c}), name.split(maxsplit=1), dict(d, z={b}) == {{**d, \"z\": {b}}})"
            ),
            // A decorator that wraps, one that registers, and names of functions.
            57 => format!(
                "def twice(fn):\n    def run(*a, **k):\n        return fn(*a, **k) * 2\n\n    return run\n\n\n@twice\n@twice\ndef base(v, w={b}):\n    return v - w\n\n\nprint(base({a}), base(w={c}, v={b}), base.__name__, type(base).__name__, dict.fromkeys(xs[:3], {c}))"
            ),
            58 => format!(
                "for k in reversed(d):\n    d[k] = d[k] + {a}\nprint(list(reversed(d.items()))[:3], type(reversed(d.values())).__name__, \"%(n)s:%(v)03d|%(n)r\" % {{\"n\": name, \"v\": {c}}}, name.translate(str.maketrans(\"k\", \"K\", \"1\")), str({a}).isdigit())"
            ),
            // Changing a dict while iterating it: CPython's RuntimeError when it grew.
            59 if !guard => "for k in d:\n    d[str(k) + \"x\"] = 1".into(),
            59 => "for k in list(d):\n    d[str(k) + \"x\"] = 1\n    del d[str(k) + \"x\"]".into(),
            _ => format!("print(\"-\".join(str(x) for x in reversed(xs)), {a} // {c})"),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str("print(xs, ys, name, d, t, s)\n");
    out
}

/// A seeded program whose ints outgrow 64 bits partway through: loops that accumulate
/// products and powers, recursion whose results grow, a result handed back through calls
/// and used again (compared, divided, shifted, masked, printed mid-loop), globals that
/// functions accumulate in (set before any call, or only later) — where every tier must
/// continue with exact ints (ahead of time: in the functions' generic versions).
pub fn program_big(seed: u64) -> String {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut out = format!("# minipy big-int program {seed}\n");
    let n = 2 + rng.below(3) as usize;
    let big = |rng: &mut Rng| -> String {
        match rng.below(4) {
            0 => format!("{}", 1 + rng.below(1 << 40)),
            1 => format!("10 ** {}", 9 + rng.below(10)),
            2 => format!("{}", (1u64 << 62) - rng.below(1000)),
            _ => format!("{}", 3 + rng.below(97)),
        }
    };
    let mut ks = Vec::new();
    // Functions that accumulate in a global: (index, set before the first call).
    let mut globals = Vec::new();
    for i in 0..n {
        let k = big(&mut rng);
        ks.push(k.clone());
        match rng.below(4) {
            3 => {
                let op = ["+", "-", "*"][rng.below(3) as usize];
                let _ = write!(
                    out,
                    "def f{i}(n, k):\n    global g{i}\n    for j in range(n):\n        g{i} = g{i} {op} (j + 1) * k\n    return g{i} % 1000003\n\n\n"
                );
                globals.push((i, rng.chance(50)));
            }
            0 => {
                let op = ["+", "-", "*"][rng.below(3) as usize];
                let step = ["j", "j * j", "j + 1", "(j % 7) - 3"][rng.below(4) as usize];
                let _ = write!(
                    out,
                    "def f{i}(n, k):\n    acc = {}\n    for j in range(n):\n        acc = acc {op} ({step}) * k\n",
                    rng.below(5)
                );
                if rng.chance(40) {
                    let _ = write!(
                        out,
                        "        if j % {} == 0:\n            print(\"f{i}\", j, acc)\n",
                        5 + rng.below(20)
                    );
                }
                out.push_str("    return acc\n\n\n");
            }
            1 => {
                let _ = write!(
                    out,
                    "def f{i}(n, k):\n    if n <= 1:\n        return k\n    return n * f{i}(n - 1, k) {} {}\n\n\n",
                    ["+", "-"][rng.below(2) as usize],
                    rng.below(1000)
                );
            }
            _ => {
                let _ = write!(
                    out,
                    "def f{i}(n, k):\n    x = k\n    n = n % 6\n    while n > 0:\n        x = x * x + n\n        n -= 1\n    return x\n\n\n"
                );
            }
        }
    }
    let uses = [
        "r",
        "-r",
        "r // 7",
        "r % 1000003",
        "r // -13",
        "-r % 11",
        "r >> 40",
        "r & 0xFFFF",
        "r | 1",
        "r ^ 12345",
        "abs(-r)",
        "r > 10 ** 19",
        "r == r + 0",
        "r != 1",
        "r < -r",
        "min(r, 5)",
        "max(r, -r)",
        "r * r % 97",
        "2 ** 70 - r",
        "r - r",
    ];
    out.push_str("total = 0\n");
    for &(i, early) in &globals {
        if early {
            let _ = writeln!(out, "g{i} = {}", 1 + rng.below(9));
        }
    }
    for (i, k) in ks.iter().enumerate() {
        let limit = if rng.chance(50) { 30 } else { 6 };
        let arg = 1 + rng.below(limit);
        // (Set after other calls: a global that may be unset when a function runs.)
        if globals.contains(&(i, false)) {
            let _ = writeln!(out, "g{i} = {}", 1 + rng.below(9));
        }
        let _ = writeln!(out, "r = f{i}({arg}, {k})");
        let a = uses[rng.below(uses.len() as u64) as usize];
        let b = uses[rng.below(uses.len() as u64) as usize];
        let _ = writeln!(out, "print({a}, {b})");
        let _ = writeln!(out, "total = (total + r) % 1000000007");
        if globals.iter().any(|g| g.0 == i) {
            let _ = writeln!(out, "print(g{i} % 1000, g{i} > 10 ** 18, -g{i} // 3 % 7)");
        }
    }
    out.push_str("print(total)\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The generator's calls pass some arguments by keyword (so the differential tests and
    /// soaks cover them), and every such program compiles.
    #[test]
    fn some_calls_pass_keywords_and_compile() {
        let with: Vec<String> = (0..300)
            .map(program)
            // (Assignments are written `p1 = …`: no space means a keyword argument.)
            .filter(|p| p.contains("p0=") || p.contains("p1=") || p.contains("p2="))
            .collect();
        assert!(
            with.len() >= 10,
            "{} programs with keyword arguments",
            with.len()
        );
        for p in &with {
            crate::compiler::compile(p, "prog.py").unwrap_or_else(|e| panic!("{e:?}\n{p}"));
        }
    }
}
