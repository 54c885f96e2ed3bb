//! AST → bytecode. Scopes as in Python: at module level every name is global; in a function
//! a name is local if it is a parameter or assigned anywhere in the body (and not declared
//! `global`), global otherwise.

use crate::ast::*;
use crate::bytecode::*;
use crate::error::{CompileErrorClass, ExcKind, Exception, SyntaxError};
use crate::parser::{is_constant, parse};
use crate::scope;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::vec::Vec;
use alloc::{format, vec};

/// Python builtins minipy does not have: calling one is a SyntaxError naming it (unless the
/// program defines a function of that name).
/// Whether `name` is one of CPython's builtins that minipy does not have (the exceptions,
/// `float`, `input`, `frozenset`, `getattr` …): a program that reads it, and binds it no
/// other way, is outside the subset — a SyntaxError naming it, never a NameError CPython
/// would not raise. (`exit` and `quit` are `sys.exit` when called; the dunders are the
/// module's.)
fn outside_builtin(name: &str) -> bool {
    !name.starts_with("__")
        && crate::suggest::BUILTINS.contains(&name)
        && !Builtin::ALL.iter().any(|b| b.name() == name)
}

/// Whether a call's arguments spread into its parameters only when it runs: a
/// `**mapping`, or `*x` beside keywords (CALL_FUNCTION_EX with a dict).
fn spreads(args: &[Expr], kwargs: &[Keyword]) -> bool {
    kwargs.iter().any(|k| k.name.is_empty())
        || (!kwargs.is_empty() && args.iter().any(|a| matches!(a.kind, ExprKind::Starred(_))))
}

/// Where `obj.name` is: CPython's place for an AttributeError of a method's lookup.
fn method_span(obj: &Expr, name: &str) -> Span {
    Span {
        end_line: obj.end_line,
        end_col: obj.end_col + 1 + name.len() as u32,
        ..obj.span()
    }
}

/// Compiles a whole file; nothing runs unless everything compiles.
pub fn compile(src: &str, filename: &str) -> Result<Program, SyntaxError> {
    let body = parse(src)?;
    let mut c = Compiler {
        program: Program {
            filename: filename.into(),
            codes: vec![Code::default()],
            globals: Vec::new(),
            strings: vec![String::new()],
            lazy_iters: None,
        },
        user_names: BTreeSet::new(),
        signatures: BTreeMap::new(),
        global_index: BTreeMap::new(),
        string_index: BTreeMap::from([(String::new(), 0)]),
        jumping: Vec::new(),
        gen_at: None,
    };
    // Names the program itself binds at module level (or declares global anywhere).
    collect_module_names(&body, &mut c.user_names);
    for (name, params, defaults) in signatures(&body) {
        let defaults = defaults.iter().map(|d| c.constant(d)).collect();
        c.signatures
            .insert(name.clone(), (params.to_vec(), defaults));
    }
    check_global_order(&body, &[])?;
    let mut f = FnCtx::new("<module>", None);
    // The module's `__name__` is "__main__" (bound first, as the interpreter does before
    // running it), for programs that mention it.
    if src.contains("__name__") {
        let s = c.string_const(&mut f, "__main__");
        f.emit(Op::LoadConst, s, 0, 1);
        c.store_name(&mut f, "__name__", 1);
    }
    c.block(&mut f, &body)?;
    let none = f.konst(Const::None);
    f.emit(Op::LoadConst, none, 0, last_line(&body));
    f.emit(Op::ReturnValue, 0, 0, last_line(&body));
    c.program.codes[0] = f.code;
    c.lazy_iters();
    Ok(c.program)
}

/// The qualified name of function `name` made in `f` (`outer.<locals>.name` inside a
/// function; empty at module level, where it is `name`).
fn qualname(f: &FnCtx, name: &str) -> String {
    if f.locals.is_none() {
        return String::new();
    }
    format!("{}.<locals>.{name}", f.code.qualname())
}

/// Whether CPython's compiler folds `e` to a constant (`ast_opt.c`: literals, unary and
/// binary operators on constants within its size limits and not raising, tuples of
/// constants).
fn folded_constant(e: &Expr) -> bool {
    fold(e).is_some()
}

/// What the folder knows of a constant: an int's value, a string's length, or another.
enum Folded {
    Int(num_bigint::BigInt),
    Str(usize),
    Other,
}

/// `MAX_INT_SIZE`, `MAX_STR_SIZE` of `ast_opt.c`.
const FOLD_INT_BITS: u64 = 128;
const FOLD_STR_LEN: usize = 4096;

fn fold(e: &Expr) -> Option<Folded> {
    use num_bigint::BigInt;
    use num_traits::{Signed, ToPrimitive, Zero};
    Some(match &e.kind {
        ExprKind::Int(IntLit::Small(i)) => Folded::Int(BigInt::from(*i)),
        ExprKind::Int(IntLit::Big(b)) => Folded::Int(b.clone()),
        ExprKind::Bool(b) => Folded::Int(BigInt::from(*b as i64)),
        ExprKind::Str(s) => Folded::Str(s.chars().count()),
        ExprKind::None => Folded::Other,
        ExprKind::Tuple(xs) => {
            for x in xs {
                fold(x)?;
            }
            Folded::Other
        }
        ExprKind::Unary(UnaryOp::Not, x) => {
            fold(x)?;
            Folded::Other
        }
        ExprKind::Unary(op, x) => match fold(x)? {
            Folded::Int(v) => Folded::Int(match op {
                UnaryOp::Neg => -v,
                UnaryOp::Invert => -v - 1,
                _ => v,
            }),
            _ => return None,
        },
        ExprKind::Binary(op, a, b) => match (fold(a)?, fold(b)?) {
            (Folded::Int(x), Folded::Int(y)) => {
                let bits = |v: &BigInt| v.bits();
                let zero = x.is_zero() || y.is_zero();
                Folded::Int(match op {
                    BinOp::Add => x + y,
                    BinOp::Sub => x - y,
                    BinOp::Mul if !zero && bits(&x) + bits(&y) > FOLD_INT_BITS => return None,
                    BinOp::Mul => x * y,
                    BinOp::FloorDiv | BinOp::Mod if y.is_zero() => return None,
                    BinOp::FloorDiv => num_integer::Integer::div_floor(&x, &y),
                    BinOp::Mod => num_integer::Integer::mod_floor(&x, &y),
                    // A negative power is a float; minipy has none to fold to.
                    BinOp::Pow if y.is_negative() => return None,
                    BinOp::Pow if bits(&x) > 0 && bits(&x) * y.to_u64()? > FOLD_INT_BITS => {
                        return None;
                    }
                    BinOp::Pow => num_traits::Pow::pow(x, y.to_u64()?),
                    BinOp::LShift | BinOp::RShift if y.is_negative() => return None,
                    BinOp::LShift
                        if !zero
                            && (y.to_u64()? > FOLD_INT_BITS
                                || bits(&x) + y.to_u64()? > FOLD_INT_BITS) =>
                    {
                        return None;
                    }
                    BinOp::LShift => x << y.to_u64()?,
                    BinOp::RShift => x >> y.to_u64().unwrap_or(u64::MAX).min(1 << 20),
                    BinOp::BitAnd => x & y,
                    BinOp::BitOr => x | y,
                    BinOp::BitXor => x ^ y,
                })
            }
            (Folded::Str(m), Folded::Str(n)) if *op == BinOp::Add => Folded::Str(m + n),
            (Folded::Str(m), Folded::Int(n)) | (Folded::Int(n), Folded::Str(m))
                if *op == BinOp::Mul =>
            {
                let n = n.to_i64()?;
                if m != 0 && (n < 0 || n as usize > FOLD_STR_LEN / m) {
                    return None;
                }
                Folded::Str(m * n.max(0) as usize)
            }
            _ => return None,
        },
        _ => return None,
    })
}

/// Where the callee `name` of the call `e` is (its name, at the call's start).
fn callee_at(e: &Expr, name: &str) -> Pos {
    Pos::span(Span {
        end_line: e.line,
        end_col: e.col - 1 + name.len() as u32,
        ..e.span()
    })
}

/// The names a comprehension binds (its targets) and those it reads (through the
/// comprehensions inside it too), its first iterable left out: that is evaluated outside.
fn comprehension_names(
    elt: &Expr,
    value: Option<&Expr>,
    clauses: &[Clause],
) -> (BTreeSet<String>, Vec<String>) {
    let mut bound = BTreeSet::new();
    let mut read = Vec::new();
    for c in clauses {
        if let Clause::For(t, _) = c {
            bound.extend(t.names().into_iter().cloned());
        }
    }
    let mut work: Vec<&Expr> = vec![elt];
    work.extend(value);
    for (i, c) in clauses.iter().enumerate() {
        match c {
            // The first iterable is evaluated outside.
            Clause::For(_, it) if i == 0 => {}
            Clause::For(t, it) => {
                work.push(it);
                item_exprs(t, &mut work);
            }
            Clause::If(x) => work.push(x),
        }
    }
    if let Some(Clause::For(t, _)) = clauses.first() {
        item_exprs(t, &mut work);
    }
    while let Some(x) = work.pop() {
        match &x.kind {
            ExprKind::Name(n) => read.push(n.clone()),
            ExprKind::Call { name, .. } => {
                read.push(name.clone());
                work.extend(x.children());
            }
            ExprKind::Comp {
                elt,
                value,
                clauses,
                ..
            } => {
                // Inner comprehensions read through this one what they do not bind
                // themselves (their first iterable is evaluated here).
                if let Some(Clause::For(_, first)) = clauses.first() {
                    work.push(first);
                }
                let (inner_bound, inner_read) = comprehension_names(elt, value.as_deref(), clauses);
                read.extend(inner_read.into_iter().filter(|n| !inner_bound.contains(n)));
            }
            _ => work.extend(x.children()),
        }
    }
    (bound, read)
}

/// The expressions inside a target's items (`x[i]` reads x and i).
fn item_exprs<'e>(t: &'e Target, out: &mut Vec<&'e Expr>) {
    match t {
        Target::Name(_) => {}
        Target::Item(e) => out.push(e),
        Target::Tuple(ts) => ts.iter().for_each(|t| item_exprs(t, out)),
        Target::Star(t) => item_exprs(t, out),
    }
}

fn last_line(body: &[Stmt]) -> u32 {
    body.last().map_or(1, |s| s.line)
}

fn collect_module_names(body: &[Stmt], out: &mut BTreeSet<String>) {
    for s in body {
        match &s.kind {
            StmtKind::Del(targets) => {
                out.extend(targets.iter().flat_map(|(t, _)| t.names()).cloned())
            }
            StmtKind::Assign { targets, .. } => {
                out.extend(targets.iter().flat_map(Target::names).cloned())
            }
            StmtKind::AugAssign { target, .. } => out.extend(target.names().into_iter().cloned()),
            StmtKind::For {
                target,
                body,
                orelse,
                ..
            } => {
                out.extend(target.names().into_iter().cloned());
                collect_module_names(body, out);
                collect_module_names(orelse, out);
            }
            StmtKind::Def { name, body, .. } => {
                out.insert(name.clone());
                for s in body {
                    if let StmtKind::Global(names) = &s.kind {
                        out.extend(names.iter().cloned());
                    }
                }
            }
            StmtKind::If { body, orelse, .. } => {
                collect_module_names(body, out);
                collect_module_names(orelse, out);
            }
            StmtKind::While { body, orelse, .. } => {
                collect_module_names(body, out);
                collect_module_names(orelse, out);
            }
            _ => {}
        }
    }
}

/// A function's parameters and the default values of the last ones.
type Signature = (Vec<String>, Vec<Const>);

/// The functions defined by exactly one `def` (at module level, conditionally or not) and
/// bound no other way — not assigned, not a loop variable, not declared `global` in a
/// function, not deleted: a call of such a name, if it runs, calls that function. (Borrowed
/// from the tree: the compiler turns the defaults into constants.)
fn signatures(body: &[Stmt]) -> Vec<(&String, &[String], &[Expr])> {
    fn walk<'a>(
        body: &'a [Stmt],
        defs: &mut Vec<(&'a String, &'a [String], &'a [Expr])>,
        other: &mut BTreeSet<&'a String>,
    ) {
        for s in body {
            match &s.kind {
                StmtKind::Def {
                    name,
                    params,
                    defaults,
                    shape,
                    body,
                    decorators,
                } => {
                    // (`*args`, `**kwargs` and keyword-only parameters are matched to the
                    // call's arguments when it runs; a decorated def binds what its
                    // decorators return.)
                    if shape.extra() || !decorators.is_empty() {
                        other.insert(name);
                    } else {
                        defs.push((name, params, defaults));
                    }
                    for s in body {
                        if let StmtKind::Global(names) = &s.kind {
                            other.extend(names);
                        }
                    }
                }
                StmtKind::For {
                    target,
                    body,
                    orelse,
                    ..
                } => {
                    other.extend(target.names());
                    walk(body, defs, other);
                    walk(orelse, defs, other);
                }
                StmtKind::Del(targets) => other.extend(targets.iter().flat_map(|(t, _)| t.names())),
                StmtKind::If { body, orelse, .. } | StmtKind::While { body, orelse, .. } => {
                    walk(body, defs, other);
                    walk(orelse, defs, other);
                }
                _ => {}
            }
        }
    }
    let mut defs = Vec::new();
    let mut other = BTreeSet::new();
    walk(body, &mut defs, &mut other);
    let once = |name: &String| defs.iter().filter(|d| d.0 == name).count() == 1;
    let mut out = Vec::new();
    for &d in &defs {
        // (Defaults other than constants make a closure: its defaults are known only
        // when the def runs.)
        if once(d.0) && !other.contains(d.0) && !assigns(body, d.0) && d.2.iter().all(is_constant) {
            out.push(d);
        }
    }
    out
}

/// Whether `name` is the target of an assignment or augmented assignment at module level
/// (in any block there).
fn assigns(body: &[Stmt], name: &str) -> bool {
    body.iter().any(|s| match &s.kind {
        StmtKind::Assign { targets, .. } => {
            targets.iter().any(|t| t.names().iter().any(|n| *n == name))
        }
        StmtKind::AugAssign { target, .. } => target.names().iter().any(|n| *n == name),
        StmtKind::For { body, orelse, .. }
        | StmtKind::If { body, orelse, .. }
        | StmtKind::While { body, orelse, .. } => assigns(body, name) || assigns(orelse, name),
        _ => false,
    })
}

/// CPython's symbol-table errors for `global`: a name may not be a parameter, nor assigned
/// or used earlier in the same scope (`body` of a function with `params`, or the module),
/// in source order, checked for the whole file before anything compiles (as CPython's
/// symbol table is built); a `def` body is a scope of its own.
fn check_global_order(body: &[Stmt], params: &[String]) -> Result<(), SyntaxError> {
    #[derive(Default)]
    struct Seen {
        assigned: BTreeSet<String>,
        used: BTreeSet<String>,
        module: bool,
    }
    /// Names an expression reads, walked with an explicit stack (expressions nest 3,000
    /// deep).
    fn reads(e: &Expr, seen: &mut Seen) {
        let mut work = vec![e];
        while let Some(e) = work.pop() {
            match &e.kind {
                ExprKind::Name(n) => {
                    seen.used.insert(n.clone());
                }
                ExprKind::Call { name, .. } => {
                    seen.used.insert(name.clone());
                    work.extend(e.children());
                }
                _ => work.extend(e.children()),
            }
        }
    }
    /// The names an item target reads (`x[i] = …` reads x and i).
    fn target_reads(t: &Target, seen: &mut Seen) {
        match t {
            Target::Name(_) => {}
            Target::Item(e) => reads(e, seen),
            Target::Tuple(ts) => ts.iter().for_each(|t| target_reads(t, seen)),
            Target::Star(t) => target_reads(t, seen),
        }
    }
    fn walk(body: &[Stmt], params: &[String], seen: &mut Seen) -> Result<(), SyntaxError> {
        for s in body {
            match &s.kind {
                StmtKind::Expr(e) | StmtKind::Return(Some(e)) => reads(e, seen),
                StmtKind::Assign {
                    targets, values, ..
                } => {
                    values.iter().for_each(|v| reads(v, seen));
                    for t in targets {
                        target_reads(t, seen);
                        seen.assigned.extend(t.names().into_iter().cloned());
                    }
                }
                StmtKind::AugAssign { target, value, .. } => {
                    target_reads(target, seen);
                    reads(value, seen);
                    seen.assigned.extend(target.names().into_iter().cloned());
                }
                // `del` binds for the symbol table, as an assignment does.
                StmtKind::Del(targets) => {
                    for (t, _) in targets {
                        target_reads(t, seen);
                        seen.assigned.extend(t.names().into_iter().cloned());
                    }
                }
                StmtKind::If { cond, body, orelse } => {
                    reads(cond, seen);
                    walk(body, params, seen)?;
                    walk(orelse, params, seen)?;
                }
                StmtKind::While { cond, body, orelse } => {
                    reads(cond, seen);
                    walk(body, params, seen)?;
                    walk(orelse, params, seen)?;
                }
                StmtKind::For {
                    target,
                    iter,
                    body,
                    orelse,
                    ..
                } => {
                    match iter {
                        Iterable::Range(args, _) => args.iter().for_each(|a| reads(a, seen)),
                        Iterable::Expr(e) => reads(e, seen),
                    }
                    target_reads(target, seen);
                    seen.assigned.extend(target.names().into_iter().cloned());
                    walk(body, params, seen)?;
                    walk(orelse, params, seen)?;
                }
                StmtKind::Raise { exc, .. } => {
                    exc.iter()
                        .flat_map(|(_, a)| a.iter().flatten())
                        .for_each(|a| reads(a, seen));
                }
                StmtKind::Assert { test, msg, .. } => {
                    reads(test, seen);
                    msg.iter().for_each(|m| reads(m, seen));
                }
                StmtKind::Def {
                    name,
                    params,
                    body,
                    decorators,
                    ..
                } => {
                    decorators.iter().for_each(|d| reads(d, seen));
                    seen.assigned.insert(name.clone());
                    walk(body, params, &mut Seen::default())?;
                }
                StmtKind::ImportSys => {
                    seen.assigned.insert("sys".into());
                }
                StmtKind::Global(names) | StmtKind::Nonlocal(names) => {
                    let kw = match s.kind {
                        StmtKind::Global(_) => "global",
                        _ => "nonlocal",
                    };
                    let why = names.iter().find_map(|n| {
                        if params.contains(n) {
                            Some(format!("name '{n}' is parameter and {kw}"))
                        } else if seen.assigned.contains(n) {
                            Some(format!("name '{n}' is assigned to before {kw} declaration"))
                        } else if seen.used.contains(n) {
                            Some(format!("name '{n}' is used prior to {kw} declaration"))
                        } else if seen.module && kw == "nonlocal" {
                            Some(String::from(
                                "nonlocal declaration not allowed at module level",
                            ))
                        } else {
                            None
                        }
                    });
                    if let Some(msg) = why {
                        // Carets under the whole statement.
                        let width = kw.len() + 1 + names.join(", ").len();
                        return Err(SyntaxError {
                            span: width as u32,
                            ..serr::<()>(s.line, 1, msg).unwrap_err()
                        });
                    }
                }
                StmtKind::Return(None) | StmtKind::Pass | StmtKind::Break | StmtKind::Continue => {}
            }
        }
        Ok(())
    }
    let mut module = Seen {
        module: true,
        ..Seen::default()
    };
    walk(body, params, &mut module)
}

/// The comparisons CPython compiles followed by a conditional jump when `e` is a test
/// (`compiler_jump_if`: through `not`, `and`, `or` and conditional expressions), in the
/// order it compiles them.
fn jump_compares<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    match &e.kind {
        ExprKind::Unary(UnaryOp::Not, x) => jump_compares(x, out),
        ExprKind::And(a, b) | ExprKind::Or(a, b) => {
            jump_compares(a, out);
            jump_compares(b, out);
        }
        ExprKind::IfExp { cond, then, els } => {
            jump_compares(cond, out);
            jump_compares(then, out);
            jump_compares(els, out);
        }
        ExprKind::Compare(..) => out.push(e),
        _ => {}
    }
}

struct Compiler {
    program: Program,
    user_names: BTreeSet<String>,
    /// Each function the program defines with `def` and binds no other way (one `def`,
    /// never assigned): its parameters and default values, for calls with keywords.
    signatures: BTreeMap<String, Signature>,
    /// Each global name's index in `program.globals` (a search per name use was quadratic
    /// in big programs).
    global_index: BTreeMap<String, u32>,
    /// Each string literal's index in `program.strings` (0: the empty string).
    string_index: BTreeMap<String, u32>,
    /// The comparisons of the test being compiled that CPython follows with a conditional
    /// jump (see [`Compiler::condition`]).
    jumping: Vec<*const Expr>,
    /// Where the call consuming the generator expression compiled next is.
    gen_at: Option<Pos>,
}

struct Loop {
    continue_to: u32,
    breaks: Vec<usize>,
}

struct FnCtx {
    code: Code,
    /// Each simple constant's index in `code.consts` (see [`const_key`]).
    const_index: BTreeMap<(u8, i64), u32>,
    /// None at module level (all names global).
    locals: Option<BTreeMap<String, u32>>,
    loops: Vec<Loop>,
    /// Which locals `code.varnames` holds.
    in_varnames: Vec<bool>,
    /// The locals whose slots hold cells (shared with functions inside), each with
    /// whether it is a free variable (from the function around) rather than its own.
    derefs: BTreeMap<u32, bool>,
}

/// A function's body: a `def`'s statements or a `lambda`'s expression.
#[derive(Clone, Copy)]
enum FnBody<'a> {
    Stmts(&'a [Stmt]),
    Expr(&'a Expr),
}

/// A constant other than an error as a map key (kind, payload); errors (rare) are
/// searched for.
fn const_key(c: &Const) -> Option<(u8, i64)> {
    Some(match c {
        Const::Int(i) => (0, *i),
        Const::Bool(b) => (1, *b as i64),
        Const::None => (2, 0),
        Const::Str(id) => (3, *id as i64),
        Const::Big(_) => return None,
        Const::Error(..) => return None,
    })
}

impl FnCtx {
    fn new(name: &str, locals: Option<BTreeMap<String, u32>>) -> FnCtx {
        let mut code = Code {
            name: name.into(),
            ..Code::default()
        };
        if let Some(l) = &locals {
            code.nlocals = l.len() as u32;
            code.local_names = vec![String::new(); l.len()];
            for (n, &i) in l {
                code.local_names[i as usize] = n.clone();
            }
        }
        FnCtx {
            code,
            const_index: BTreeMap::new(),
            in_varnames: vec![false; locals.as_ref().map_or(0, |l| l.len())],
            locals,
            loops: Vec::new(),
            derefs: BTreeMap::new(),
        }
    }

    /// Whether `name` is a variable of this function (a function inside can share it).
    fn visible(&self, name: &str) -> bool {
        self.locals.as_ref().is_some_and(|l| l.contains_key(name))
            && name != ".0"
            && name != "<hidden>"
    }

    /// Local `slot` is used here: the first use places it in `co_varnames`.
    fn varname(&mut self, slot: u32) {
        let seen = &mut self.in_varnames[slot as usize];
        if !*seen {
            *seen = true;
            self.code.varnames.push(slot);
        }
    }

    fn emit(&mut self, op: Op, a: u32, b: u32, pos: impl Into<Pos>) -> usize {
        self.code.instrs.push(Instr { op, a, b });
        self.code.positions.push(pos.into());
        self.code.instrs.len() - 1
    }

    /// `return None`.
    fn return_none(&mut self, at: Pos) {
        let none = self.konst(Const::None);
        self.emit(Op::LoadConst, none, 0, at);
        self.emit(Op::ReturnValue, 0, 0, at);
    }

    fn here(&self) -> u32 {
        self.code.instrs.len() as u32
    }

    fn patch(&mut self, at: usize) {
        let here = self.here();
        self.code.instrs[at].a = here;
    }

    fn konst(&mut self, c: Const) -> u32 {
        let key = const_key(&c);
        if let Some(&i) = key.and_then(|k| self.const_index.get(&k)) {
            return i;
        }
        if key.is_none()
            && let Some(i) = self.code.consts.iter().position(|x| *x == c)
        {
            return i as u32;
        }
        let i = self.code.consts.len() as u32;
        self.code.consts.push(c);
        if let Some(k) = key {
            self.const_index.insert(k, i);
        }
        i
    }

    /// A fresh hidden local (range state, unpacking temporaries).
    fn hidden(&mut self, n: u32) -> u32 {
        let at = self.code.nlocals;
        self.code.nlocals += n;
        for _ in 0..n {
            self.code.local_names.push(String::from("<hidden>"));
        }
        at
    }
}

impl Compiler {
    /// `raise`: a bare one (nothing is being handled: CPython's RuntimeError), or a builtin
    /// exception named, with its message made as CPython's str() of the exception makes it
    /// (of one argument its str(), a KeyError's its repr(); of several, their tuple's).
    fn raise(
        &mut self,
        f: &mut FnCtx,
        exc: Option<&(String, Option<Vec<Expr>>)>,
        span: Span,
        line: u32,
    ) -> Result<(), SyntaxError> {
        let Some((name, args)) = exc else {
            let c = f.konst(Const::Error(
                ExcKind::RuntimeError,
                "No active exception to reraise".into(),
            ));
            f.emit(Op::RaiseConst, c, 0, Pos::span(span));
            return Ok(());
        };
        let bound = self.user_names.contains(name)
            || f.locals.as_ref().is_some_and(|l| l.contains_key(name));
        let args = args.as_deref().unwrap_or(&[]);
        if name == "SystemExit" && !bound && args.len() <= 1 {
            // What sys.exit(…) does: the status or message, and no traceback.
            for a in args {
                self.expr(f, a)?;
            }
            self.emit_builtin(f, Builtin::Exit, args.len(), Pos::span(span));
            f.emit(Op::PopTop, 0, 0, line);
            return Ok(());
        }
        let Some(kind) = ExcKind::raisable(name).filter(|_| !bound) else {
            return serr(
                span.line,
                span.col + 6,
                "raising anything but a builtin exception by its name is outside the minipy subset",
            );
        };
        for a in args {
            self.expr(f, a)?;
        }
        let message = match args.len() {
            0 => 0,
            1 if ExcKind::RAISABLE[kind as usize] == ExcKind::KeyError => 2,
            1 => 1,
            n => {
                f.emit(Op::BuildTuple, n as u32, 0, line);
                1
            }
        };
        f.emit(Op::Raise, kind, message, Pos::span(span));
        Ok(())
    }
}

fn serr<T>(line: u32, col: u32, msg: impl Into<String>) -> Result<T, SyntaxError> {
    Err(SyntaxError {
        span: 1,
        line,
        col,
        msg: msg.into(),
        class: CompileErrorClass::Syntax,
    })
}

impl Compiler {
    fn global(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.global_index.get(name) {
            return i;
        }
        let i = self.program.globals.len() as u32;
        self.program.globals.push(name.into());
        self.global_index.insert(name.into(), i);
        i
    }

    /// The constant of `f` for the string `s` (interned in the program's strings).
    fn string_const(&mut self, f: &mut FnCtx, s: &str) -> u32 {
        let id = self.intern(s);
        f.konst(Const::Str(id))
    }

    /// `s`'s number among the program's strings.
    fn intern(&mut self, s: &str) -> u32 {
        let next = self.program.strings.len() as u32;
        let id = *self.string_index.entry(s.into()).or_insert(next);
        if id == next {
            self.program.strings.push(s.into());
        }
        id
    }

    /// The value of a literal the parser accepted as a default (see `is_constant`).
    fn constant(&mut self, e: &Expr) -> Const {
        let int = |v: &IntLit, neg: bool| match v {
            IntLit::Small(i) if neg => Const::Int(-i),
            IntLit::Small(i) => Const::Int(*i),
            IntLit::Big(b) => {
                let b = if neg { -b.clone() } else { b.clone() };
                i64::try_from(&b).map_or(Const::Big(b), Const::Int)
            }
        };
        match &e.kind {
            ExprKind::Int(v) => int(v, false),
            ExprKind::Unary(op, x) => match &x.kind {
                ExprKind::Int(v) => int(v, *op == UnaryOp::Neg),
                _ => Const::None,
            },
            ExprKind::Str(s) => Const::Str(self.intern(s)),
            ExprKind::Bool(b) => Const::Bool(*b),
            _ => Const::None,
        }
    }

    fn load_name(&mut self, f: &mut FnCtx, name: &str, pos: impl Into<Pos>) {
        let pos = pos.into();
        match f.locals.as_ref().and_then(|l| l.get(name)) {
            Some(&i) => {
                // (A cell or free variable is no `co_varnames` entry unless a parameter.)
                if !f.derefs.contains_key(&i) {
                    f.varname(i);
                }
                match f.derefs.get(&i) {
                    Some(&free) => f.emit(Op::LoadDeref, i, free as u32, pos),
                    None => f.emit(Op::LoadFast, i, 0, pos),
                }
            }
            None => {
                let g = self.global(name);
                f.emit(Op::LoadGlobal, g, 0, pos)
            }
        };
    }

    fn store_name(&mut self, f: &mut FnCtx, name: &str, pos: impl Into<Pos>) {
        self.name_op(f, name, pos.into(), Op::StoreFast, Op::StoreGlobal);
    }

    /// `local` on `name`'s slot when it is a local of `f` (its deref form when the slot
    /// holds a cell), else `global` on the global.
    fn name_op(&mut self, f: &mut FnCtx, name: &str, pos: Pos, local: Op, global: Op) {
        match f.locals.as_ref().and_then(|l| l.get(name)) {
            Some(&i) => {
                if !f.derefs.contains_key(&i) {
                    f.varname(i);
                }
                match f.derefs.get(&i) {
                    Some(&free) => {
                        let op = if local == Op::StoreFast {
                            Op::StoreDeref
                        } else {
                            Op::DeleteDeref
                        };
                        f.emit(op, i, free as u32, pos)
                    }
                    None => f.emit(local, i, 0, pos),
                }
            }
            None => {
                let g = self.global(name);
                f.emit(global, g, 0, pos)
            }
        };
    }

    fn block(&mut self, f: &mut FnCtx, body: &[Stmt]) -> Result<(), SyntaxError> {
        for s in body {
            self.stmt(f, s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, f: &mut FnCtx, s: &Stmt) -> Result<(), SyntaxError> {
        let line = s.line;
        match &s.kind {
            StmtKind::Pass | StmtKind::Global(_) | StmtKind::Nonlocal(_) => {}
            StmtKind::Del(targets) => {
                for (t, span) in targets {
                    match t {
                        Target::Name(name) => self.name_op(
                            f,
                            name,
                            Pos::span(*span),
                            Op::DeleteFast,
                            Op::DeleteGlobal,
                        ),
                        Target::Item(e) => {
                            let slice = self.item_operands(f, e)?;
                            f.emit(Op::DeleteSubscr, 0, slice, self.subscript_pos(e));
                        }
                        Target::Tuple(_) | Target::Star(_) => {
                            return serr(line, 1, "'del' of a tuple is outside the minipy subset");
                        }
                    }
                }
            }
            StmtKind::ImportSys => {
                // The module object is never looked at (only `sys.argv` and `sys.exit`
                // are in the subset): the name is bound, so that a use before the import
                // is CPython's NameError.
                let c = f.konst(Const::None);
                f.emit(Op::LoadConst, c, 0, line);
                self.store_name(f, "sys", line);
            }
            StmtKind::Expr(e) => {
                if matches!(e.kind, ExprKind::Str(_)) {
                    return Ok(()); // a docstring or a bare string: nothing to do
                }
                self.expr(f, e)?;
                f.emit(Op::PopTop, 0, 0, line);
            }
            StmtKind::Assign {
                targets,
                values,
                tuple,
                spans,
            } => self.assign(f, targets, values, *tuple, spans, line)?,
            StmtKind::AugAssign {
                target,
                op,
                value,
                span,
            } => match target {
                Target::Name(target) => {
                    let name = Span {
                        end_line: span.line,
                        end_col: span.col + target.len() as u32,
                        ..*span
                    };
                    self.load_name(f, target, Pos::span(name));
                    self.expr(f, value)?;
                    // b = 1: in place (`x += y`), which errors name as `+=`. CPython places
                    // it at the whole statement.
                    f.emit(Op::BinaryOp, *op as u32, 1, Pos::span(*span));
                    self.store_name(f, target, line);
                }
                Target::Item(e) => {
                    // The container and index once, in temporaries: read, operate, store.
                    let slice = self.item_operands(f, e)?;
                    let n = if slice == 1 { 4 } else { 2 };
                    let tmp = f.hidden(n);
                    for i in (0..n).rev() {
                        f.emit(Op::StoreFast, tmp + i, 0, line);
                    }
                    for i in 0..n {
                        f.emit(Op::LoadFast, tmp + i, 0, line);
                    }
                    f.emit(Op::BinarySubscr, 0, slice, self.subscript_pos(e));
                    self.expr(f, value)?;
                    f.emit(Op::BinaryOp, *op as u32, 1, Pos::span(*span));
                    for i in 0..n {
                        f.emit(Op::LoadFast, tmp + i, 0, line);
                    }
                    f.emit(Op::StoreSubscr, 0, slice, self.subscript_pos(e));
                }
                Target::Tuple(_) | Target::Star(_) => {
                    return serr(line, 1, "illegal expression for augmented assignment");
                }
            },
            StmtKind::If { cond, body, orelse } => {
                self.condition(f, cond)?;
                let jf = f.emit(Op::PopJumpIfFalse, 0, 0, line);
                self.block(f, body)?;
                if orelse.is_empty() {
                    f.patch(jf);
                } else {
                    let j = f.emit(Op::JumpForward, 0, 0, line);
                    f.patch(jf);
                    self.block(f, orelse)?;
                    f.patch(j);
                }
            }
            StmtKind::While { cond, body, orelse } => {
                self.while_loop(f, cond, body, orelse, line)?
            }
            StmtKind::For {
                target,
                target_span,
                iter,
                body,
                orelse,
            } => self.for_loop(f, (target, *target_span), iter, (body, orelse), line)?,
            StmtKind::Raise { exc, span } => self.raise(f, exc.as_ref(), *span, line)?,
            StmtKind::Assert { test, msg, span } => {
                self.condition(f, test)?;
                let ok = f.emit(Op::PopJumpIfTrue, 0, 0, line);
                if let Some(m) = msg {
                    self.expr(f, m)?;
                }
                // CPython raises where its test compilation left the location: at the last
                // comparison it jumped on, else at the statement.
                let mut compares = Vec::new();
                jump_compares(test, &mut compares);
                let at = compares.last().map_or(*span, |c| c.span());
                f.emit(Op::Raise, 0, u32::from(msg.is_some()), Pos::span(at));
                f.patch(ok);
            }
            StmtKind::Break => {
                let j = f.emit(Op::JumpForward, 0, 0, line);
                f.loops
                    .last_mut()
                    .expect("the parser checks loops")
                    .breaks
                    .push(j);
            }
            StmtKind::Continue => {
                let to = f.loops.last().expect("the parser checks loops").continue_to;
                f.emit(Op::JumpBackward, to, 0, line);
            }
            StmtKind::Return(v) => {
                match v {
                    Some(e) => self.expr(f, e)?,
                    None => {
                        let c = f.konst(Const::None);
                        f.emit(Op::LoadConst, c, 0, line);
                    }
                }
                f.emit(Op::ReturnValue, 0, 0, line);
            }
            StmtKind::Def {
                name,
                params,
                defaults,
                shape,
                body,
                decorators,
            } => {
                for d in decorators {
                    self.expr(f, d)?;
                }
                let sig = (&params[..], &defaults[..], *shape);
                self.function(f, name, sig, FnBody::Stmts(body), line)?;
                for d in decorators.iter().rev() {
                    // CPython places a decorator's call at the decorator.
                    f.emit(Op::Call, 1, 0, Pos::span(d.span()));
                }
                self.store_name(f, name, line);
            }
        }
        Ok(())
    }

    /// A `def` or `lambda` inside `f`: its code object, then (in `f`) the value — a
    /// plain function, or a closure when it reads variables of `f` (their cells go with
    /// it) or has defaults evaluated when it is made.
    fn function(
        &mut self,
        f: &mut FnCtx,
        name: &str,
        (params, defaults, shape): (&[String], &[Expr], ParamShape),
        body: FnBody,
        line: u32,
    ) -> Result<(), SyntaxError> {
        let scope = match body {
            FnBody::Stmts(b) => scope::of_def(params, b),
            FnBody::Expr(e) => scope::of_lambda(params, e),
        };
        for (n, &(at, width)) in &scope.nonlocals {
            let msg = if params.contains(n) {
                format!("name '{n}' is parameter and nonlocal")
            } else if scope.globals.contains(n) {
                format!("name '{n}' is nonlocal and global")
            } else if !f.visible(n) {
                format!("no binding for nonlocal '{n}' found")
            } else {
                continue;
            };
            return Err(SyntaxError {
                span: width,
                ..serr::<()>(at, 1, msg).unwrap_err()
            });
        }
        let freevars: Vec<&String> = scope.free.iter().filter(|n| f.visible(n)).collect();
        let mut locals = BTreeMap::new();
        for n in params
            .iter()
            .chain(&scope.bound)
            .chain(freevars.iter().copied())
        {
            if !locals.contains_key(n) {
                let k = locals.len() as u32;
                locals.insert(n.clone(), k);
            }
        }
        let cells: Vec<u32> = scope.cells().map(|n| locals[n]).collect();
        let free_slots: Vec<u32> = freevars.iter().map(|n| locals[*n]).collect();
        let mut g = FnCtx::new(name, Some(locals));
        g.code.qualname = qualname(f, name);
        g.code.nparams = params.len() as u32 - shape.extra_slots();
        g.code.shape = shape;
        for p in 0..params.len() as u32 {
            g.varname(p);
        }
        for &c in &cells {
            g.derefs.insert(c, false);
            g.emit(Op::MakeCell, c, 0, line);
        }
        for &c in &free_slots {
            g.derefs.insert(c, true);
        }
        g.code.free_slots = free_slots;
        match body {
            FnBody::Stmts(b) => {
                self.block(&mut g, b)?;
                let end_line = last_line(b);
                let c = g.konst(Const::None);
                g.emit(Op::LoadConst, c, 0, end_line);
                g.emit(Op::ReturnValue, 0, 0, end_line);
            }
            FnBody::Expr(e) => {
                self.expr(&mut g, e)?;
                g.emit(Op::ReturnValue, 0, 0, Pos::span(e.span()));
            }
        }
        let closure = !freevars.is_empty() || !defaults.iter().all(is_constant);
        // The positional parameters' defaults, then the keyword-only ones' (a closure
        // holds all of them, in that order).
        let npos = defaults.len() - shape.kw_defaults.count_ones() as usize;
        let consts: Vec<Const> = if closure {
            vec![Const::None; defaults.len()]
        } else {
            defaults.iter().map(|d| self.constant(d)).collect()
        };
        g.code.kwdefaults = consts[npos..].to_vec();
        g.code.defaults = consts[..npos].to_vec();
        self.program.codes.push(g.code);
        let idx = self.program.codes.len() as u32 - 1;
        if !closure {
            f.emit(Op::MakeFunction, idx, 0, line);
            return Ok(());
        }
        for d in defaults {
            self.expr(f, d)?;
        }
        for n in &freevars {
            let slot = f.locals.as_ref().expect("a function around")[*n];
            f.emit(Op::LoadClosure, slot, 0, line);
        }
        let b = freevars.len() as u32 | (defaults.len() as u32) << 16;
        f.emit(Op::MakeClosure, idx, b, line);
        Ok(())
    }

    /// `while cond: body` (`else: orelse`).
    fn while_loop(
        &mut self,
        f: &mut FnCtx,
        cond: &Expr,
        body: &[Stmt],
        orelse: &[Stmt],
        line: u32,
    ) -> Result<(), SyntaxError> {
        let top = f.here();
        self.condition(f, cond)?;
        let jf = f.emit(Op::PopJumpIfFalse, 0, 0, line);
        f.loops.push(Loop {
            continue_to: top,
            breaks: Vec::new(),
        });
        self.block(f, body)?;
        f.emit(Op::JumpBackward, top, 0, line);
        let lp = f.loops.pop().unwrap();
        // The test failing runs the else block; a break skips it.
        f.patch(jf);
        self.block(f, orelse)?;
        for b in lp.breaks {
            f.patch(b);
        }
        Ok(())
    }

    /// `for target in iter: body` (`else: orelse`): a counting loop over `range(…)`, else
    /// an iterator on the stack.
    fn for_loop(
        &mut self,
        f: &mut FnCtx,
        (target, target_span): (&Target, Span),
        iter: &Iterable,
        (body, orelse): (&[Stmt], &[Stmt]),
        line: u32,
    ) -> Result<(), SyntaxError> {
        let top = match iter {
            Iterable::Range(args, range) => {
                for a in args {
                    self.expr(f, a)?;
                }
                let slot = f.hidden(3);
                f.emit(Op::RangeSetup, slot, args.len() as u32, Pos::span(*range));
                f.emit(Op::ForRange, slot, 0, line) as u32
            }
            Iterable::Expr(e) => {
                self.expr(f, e)?;
                f.emit(Op::GetIter, 0, 0, Pos::span(e.span()));
                f.emit(Op::ForIter, 0, 0, line) as u32
            }
        };
        self.store_target(f, target, target_span, line)?;
        f.loops.push(Loop {
            continue_to: top,
            breaks: Vec::new(),
        });
        self.block(f, body)?;
        f.emit(Op::JumpBackward, top, 0, line);
        let lp = f.loops.pop().unwrap();
        // The iterable running out runs the else block; a break skips it.
        let here = f.here();
        f.code.instrs[top as usize].b = here;
        self.block(f, orelse)?;
        if matches!(iter, Iterable::Expr(_)) && !lp.breaks.is_empty() {
            // A break leaves the iterator on the stack: it jumps past a pop of its own.
            let done = f.emit(Op::JumpForward, 0, 0, line);
            for b in lp.breaks {
                f.patch(b);
            }
            f.emit(Op::PopTop, 0, 0, line);
            f.patch(done);
        } else {
            for b in lp.breaks {
                f.patch(b);
            }
        }
        Ok(())
    }

    /// Stores the value on top of the stack into `t` (`span`: where it is).
    fn store_target(
        &mut self,
        f: &mut FnCtx,
        t: &Target,
        span: Span,
        line: u32,
    ) -> Result<(), SyntaxError> {
        match t {
            Target::Name(n) => self.store_name(f, n, line),
            Target::Item(e) => {
                let slice = self.item_operands(f, e)?;
                f.emit(Op::StoreSubscr, 0, slice, self.subscript_pos(e));
            }
            Target::Tuple(ts) => {
                match ts.iter().position(|t| matches!(t, Target::Star(_))) {
                    // `a, *rest, z = …`: the values before and after the starred one.
                    Some(k) => {
                        let after = (ts.len() - k - 1) as u32;
                        f.emit(Op::UnpackEx, k as u32, after, Pos::span(span));
                    }
                    None => {
                        f.emit(Op::UnpackSequence, ts.len() as u32, 0, Pos::span(span));
                    }
                }
                for t in ts {
                    self.store_target(f, t, span, line)?;
                }
            }
            Target::Star(t) => self.store_target(f, t, span, line)?,
        }
        Ok(())
    }

    /// Pushes the container and index of the subscript `e` (or its container and three
    /// slice bounds, None for those left out): 1 when it is a slice.
    fn item_operands(&mut self, f: &mut FnCtx, e: &Expr) -> Result<u32, SyntaxError> {
        let ExprKind::Subscript(obj, index) = &e.kind else {
            unreachable!("an item target is a subscript");
        };
        self.expr(f, obj)?;
        if let ExprKind::Slice(lo, hi, step) = &index.kind {
            for part in [lo, hi, step] {
                match part {
                    Some(p) => self.expr(f, p)?,
                    None => {
                        let c = f.konst(Const::None);
                        f.emit(Op::LoadConst, c, 0, Pos::span(index.span()));
                    }
                }
            }
            return Ok(1);
        }
        self.expr(f, index)?;
        Ok(0)
    }

    /// Where a subscript's errors point: all of it, the index marked.
    fn subscript_pos(&self, e: &Expr) -> Pos {
        let ExprKind::Subscript(value, index) = &e.kind else {
            return Pos::span(e.span());
        };
        Pos {
            anchor: Anchor::Subscript {
                value_end: value.end_col,
                index_end: index.end_col,
            },
            ..Pos::span(e.span())
        }
    }

    fn assign(
        &mut self,
        f: &mut FnCtx,
        targets: &[Target],
        values: &[Expr],
        tuple: bool,
        spans: &[Span],
        line: u32,
    ) -> Result<(), SyntaxError> {
        if values
            .iter()
            .any(|v| matches!(v.kind, ExprKind::Starred(_)))
        {
            // `x = *a, 1`: the tuple display it is.
            let (first, last) = (&values[0], &values[values.len() - 1]);
            let display = Expr {
                kind: ExprKind::Tuple(values.to_vec()),
                end_line: last.end_line,
                end_col: last.end_col,
                ..first.clone()
            };
            self.expr(f, &display)?;
            for (i, t) in targets.iter().enumerate() {
                if i + 1 < targets.len() {
                    f.emit(Op::DupTop, 1, 0, line);
                }
                self.store_target(f, t, spans[i], line)?;
            }
            return Ok(());
        }
        // `a, b = x, y` of names: no tuple is made (as CPython compiles it).
        if let ([Target::Tuple(ts)], true) = (targets, values.len() > 1) {
            let names: Option<Vec<&String>> = ts
                .iter()
                .map(|t| match t {
                    Target::Name(n) => Some(n),
                    _ => None,
                })
                .collect();
            if let Some(names) = names.filter(|n| n.len() == values.len() && n.len() <= 3) {
                for v in values {
                    self.expr(f, v)?;
                }
                if names.len() == 2 {
                    f.emit(Op::RotTwo, 2, 0, line);
                    self.store_name(f, names[0], line);
                    self.store_name(f, names[1], line);
                } else {
                    let tmp = f.hidden(names.len() as u32);
                    for i in (0..names.len() as u32).rev() {
                        f.emit(Op::StoreFast, tmp + i, 0, line);
                    }
                    for (i, name) in names.iter().enumerate() {
                        f.emit(Op::LoadFast, tmp + i as u32, 0, line);
                        self.store_name(f, name, line);
                    }
                }
                return Ok(());
            }
        }
        if let [Target::Tuple(ts)] = targets
            && (values.len() > 1 || tuple)
            && ts.len() != values.len()
            && !ts.iter().any(|t| matches!(t, Target::Star(_)))
        {
            // A display of the wrong length: CPython's ValueError once the values are made.
            for v in values {
                self.expr(f, v)?;
            }
            let msg = Exception::unpack_count(ts.len(), Some(values.len())).msg;
            let c = f.konst(Const::Error(ExcKind::ValueError, msg));
            f.emit(Op::RaiseConst, c, 0, Pos::span(spans[0]));
            return Ok(());
        }
        if values.len() == 1 && !tuple {
            self.expr(f, &values[0])?;
        } else {
            for v in values {
                self.expr(f, v)?;
            }
            let first = values.first().map_or(line, |v| v.line);
            f.emit(Op::BuildTuple, values.len() as u32, 0, first);
        }
        for (i, t) in targets.iter().enumerate() {
            if i + 1 < targets.len() {
                f.emit(Op::DupTop, 1, 0, line);
            }
            self.store_target(f, t, spans[i], line)?;
        }
        Ok(())
    }

    /// The test of an `if`, `elif`, `while` or conditional expression. minipy computes it
    /// as a value, like any expression; CPython compiles it as jumps (`compiler_jump_if`),
    /// through `not`, `and`, `or` and conditional expressions down to each comparison, so
    /// that every comparison there, chained ones included, is followed by a conditional
    /// jump. Those are marked for [`Op::CompareOp`].
    fn condition(&mut self, f: &mut FnCtx, e: &Expr) -> Result<(), SyntaxError> {
        let mut marks = Vec::new();
        jump_compares(e, &mut marks);
        let marks = marks.into_iter().map(|e| e as *const Expr).collect();
        let outer = core::mem::replace(&mut self.jumping, marks);
        let r = self.expr(f, e);
        self.jumping = outer;
        r
    }

    /// The expressions that make a value of another kind: displays (with `*x` items),
    /// calls of values, methods as values, lambdas.
    fn value_expr(&mut self, f: &mut FnCtx, e: &Expr) -> Result<(), SyntaxError> {
        let line = Pos::span(e.span());
        match &e.kind {
            ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs)
                if xs.iter().any(|x| matches!(x.kind, ExprKind::Starred(_))) =>
            {
                // `[*a, b]`: a list built with LIST_EXTEND, then the tuple or set of it.
                f.emit(Op::BuildList, 0, 0, line);
                for x in xs {
                    match &x.kind {
                        ExprKind::Starred(inner) => {
                            self.expr(f, inner)?;
                            f.emit(Op::ListExtend, 1, 0, line);
                        }
                        _ => {
                            self.expr(f, x)?;
                            f.emit(Op::ListAppend, 1, 0, line);
                        }
                    }
                }
                match e.kind {
                    ExprKind::Tuple(_) => self.emit_builtin(f, Builtin::Tuple, 1, line),
                    ExprKind::Set(_) => self.emit_builtin(f, Builtin::Set, 1, line),
                    _ => {}
                }
            }
            ExprKind::List(xs) | ExprKind::Tuple(xs) => {
                for x in xs {
                    self.expr(f, x)?;
                }
                let op = if matches!(e.kind, ExprKind::List(_)) {
                    Op::BuildList
                } else {
                    Op::BuildTuple
                };
                f.emit(op, xs.len() as u32, 0, line);
            }
            ExprKind::CallValue { func, args, kwargs } => {
                self.expr(f, func)?;
                if spreads(args, kwargs) {
                    self.call_spread(f, args, kwargs, e)?;
                } else if !kwargs.is_empty() {
                    self.call_kw(f, args, kwargs, e)?;
                } else if self.star_args(f, args, e)? {
                    f.emit(Op::CallFunctionEx, 0, 0, Pos::span(e.span()));
                } else {
                    for a in args {
                        self.arg(f, a, e)?;
                    }
                    f.emit(Op::Call, args.len() as u32, 0, Pos::span(e.span()));
                }
            }
            ExprKind::Attr(obj, name) => {
                self.expr(f, obj)?;
                let id = self.intern(name);
                let span = Span {
                    end_line: e.end_line,
                    end_col: e.end_col,
                    ..obj.span()
                };
                f.emit(Op::LoadAttr, id, 0, Pos::span(span));
            }
            ExprKind::Starred(_) => {
                return serr(e.line, e.col, "can't use starred expression here");
            }
            ExprKind::Lambda {
                params,
                defaults,
                shape,
                body,
            } => {
                let sig = (&params[..], &defaults[..], *shape);
                self.function(f, "<lambda>", sig, FnBody::Expr(body), e.line)?
            }
            ExprKind::Set(xs) => {
                for x in xs {
                    self.expr(f, x)?;
                }
                // CPython makes three or more constants a frozenset constant, which
                // is merged into the new set: a table laid out differently.
                let frozen = xs.len() > 2 && xs.iter().all(folded_constant);
                f.emit(Op::BuildSet, xs.len() as u32, frozen as u32, line);
            }
            _ => unreachable!("no value expression"),
        }
        Ok(())
    }

    fn expr(&mut self, f: &mut FnCtx, e: &Expr) -> Result<(), SyntaxError> {
        let line = Pos::span(e.span());
        match &e.kind {
            ExprKind::Int(v) => {
                let c = f.konst(match v {
                    IntLit::Small(i) => Const::Int(*i),
                    IntLit::Big(b) => Const::Big(b.clone()),
                });
                f.emit(Op::LoadConst, c, 0, line);
            }
            ExprKind::Bool(b) => {
                let c = f.konst(Const::Bool(*b));
                f.emit(Op::LoadConst, c, 0, line);
            }
            ExprKind::None => {
                let c = f.konst(Const::None);
                f.emit(Op::LoadConst, c, 0, line);
            }
            ExprKind::Str(s) => {
                let c = self.string_const(f, s);
                f.emit(Op::LoadConst, c, 0, line);
            }
            ExprKind::Name(n) => {
                let bound = self.user_names.contains(n)
                    || f.locals.as_ref().is_some_and(|l| l.contains_key(n));
                if !bound && outside_builtin(n) {
                    return serr(
                        e.line,
                        e.col,
                        format!("the builtin '{n}' is outside the minipy subset"),
                    );
                }
                self.load_name(f, n, line)
            }
            ExprKind::Unary(op, x) => {
                self.expr(f, x)?;
                let op = match op {
                    UnaryOp::Neg => Op::UnaryNegative,
                    UnaryOp::Pos => Op::UnaryPositive,
                    UnaryOp::Invert => Op::UnaryInvert,
                    UnaryOp::Not => Op::UnaryNot,
                };
                f.emit(op, 0, 0, line);
            }
            ExprKind::Binary(op, a, b) => {
                self.expr(f, a)?;
                self.expr(f, b)?;
                let anchor = Anchor::BinOp {
                    left_end: a.end_col,
                    right_start: b.col - 1,
                };
                f.emit(Op::BinaryOp, *op as u32, 0, Pos { anchor, ..line });
            }
            ExprKind::Compare(first, rest) => {
                // b = 1: CPython jumps on the result (its specializing interpreter then
                // compares small ints and equal strings without counting a level of
                // recursion).
                let jumps = u32::from(self.jumping.contains(&(e as *const Expr)));
                self.expr(f, first)?;
                let mut cleanups = Vec::new();
                for (i, (op, x)) in rest.iter().enumerate() {
                    self.expr(f, x)?;
                    if i + 1 < rest.len() {
                        // [a, b] → [b, a, b] → compare → [b, r]; stop early if r is false.
                        f.emit(Op::DupTop, 1, 0, line);
                        f.emit(Op::RotThree, 0, 0, line);
                        f.emit(Op::CompareOp, *op as u32, jumps, line);
                        cleanups.push(f.emit(Op::JumpIfFalseOrPop, 0, 0, line));
                    } else {
                        f.emit(Op::CompareOp, *op as u32, jumps, line);
                    }
                }
                if !cleanups.is_empty() {
                    let done = f.emit(Op::JumpForward, 0, 0, line);
                    for c in cleanups {
                        f.patch(c);
                    }
                    // [b, False] → [False]
                    f.emit(Op::RotTwo, 2, 0, line);
                    f.emit(Op::PopTop, 0, 0, line);
                    f.patch(done);
                }
            }
            ExprKind::And(a, b) | ExprKind::Or(a, b) => {
                self.expr(f, a)?;
                let op = if matches!(e.kind, ExprKind::And(..)) {
                    Op::JumpIfFalseOrPop
                } else {
                    Op::JumpIfTrueOrPop
                };
                let j = f.emit(op, 0, 0, line);
                self.expr(f, b)?;
                f.patch(j);
            }
            ExprKind::IfExp { cond, then, els } => {
                self.condition(f, cond)?;
                let jf = f.emit(Op::PopJumpIfFalse, 0, 0, line);
                self.expr(f, then)?;
                let j = f.emit(Op::JumpForward, 0, 0, line);
                f.patch(jf);
                self.expr(f, els)?;
                f.patch(j);
            }
            ExprKind::Call { name, args, kwargs } => self.call(f, name, args, kwargs, e)?,
            ExprKind::List(_)
            | ExprKind::Tuple(_)
            | ExprKind::Set(_)
            | ExprKind::CallValue { .. }
            | ExprKind::Attr(..)
            | ExprKind::Starred(_)
            | ExprKind::Lambda { .. } => self.value_expr(f, e)?,
            ExprKind::FString(pieces) => {
                self.fstring_pieces(f, pieces, line)?;
                f.emit(Op::BuildString, pieces.len() as u32, 0, line);
            }
            ExprKind::Dict(kvs) => {
                // As CPython 3.11 builds it: each run of pairs a BUILD_MAP, merged with
                // each `**mapping` in order into the first (DICT_MERGE 1: later keys win).
                let mut rest = &kvs[..];
                let mut first = true;
                while !rest.is_empty() || first {
                    let run = rest.iter().take_while(|(k, _)| k.is_some()).count();
                    if run > 0 || first {
                        for (k, v) in &rest[..run] {
                            self.expr(f, k.as_ref().expect("a pair's key"))?;
                            self.expr(f, v)?;
                        }
                        f.emit(Op::BuildMap, run as u32, 0, line);
                        if !first {
                            f.emit(Op::DictMerge, 1, 0, line);
                        }
                    }
                    if let Some((None, m)) = rest.get(run) {
                        self.expr(f, m)?;
                        f.emit(Op::DictMerge, 1, 0, line);
                        rest = &rest[run + 1..];
                    } else {
                        rest = &rest[run..];
                    }
                    first = false;
                }
            }
            ExprKind::Subscript(..) => {
                let slice = self.item_operands(f, e)?;
                f.emit(Op::BinarySubscr, 0, slice, self.subscript_pos(e));
            }
            ExprKind::Slice(..) => {
                return serr(
                    e.line,
                    e.col,
                    "a slice outside a subscript is outside the minipy subset",
                );
            }
            ExprKind::In(x, c, not) | ExprKind::Is(x, c, not) => {
                self.expr(f, x)?;
                self.expr(f, c)?;
                let op = if matches!(e.kind, ExprKind::In(..)) {
                    Op::ContainsOp
                } else {
                    Op::IsOp
                };
                f.emit(op, u32::from(*not), 0, line);
            }
            ExprKind::Method {
                obj,
                name,
                args,
                kwargs,
            } if name == "sort"
                && args.is_empty()
                && !kwargs.is_empty()
                && kwargs
                    .iter()
                    .all(|k| matches!(k.name.as_str(), "key" | "reverse")) =>
            {
                self.expr(f, obj)?;
                self.load_method(f, obj, name);
                self.sort_call(f, kwargs, line)?;
            }
            ExprKind::Method {
                obj,
                name,
                args,
                kwargs,
            } if !kwargs.is_empty()
                || args.iter().any(|a| matches!(a.kind, ExprKind::Starred(_))) =>
            {
                // The method as a value, called as any value is: its keywords are matched
                // to its parameters when the call runs (`builtins::call_method_kw`).
                self.expr(f, obj)?;
                let id = self.intern(name);
                f.emit(Op::LoadAttr, id, 0, Pos::span(method_span(obj, name)));
                if spreads(args, kwargs) {
                    self.call_spread(f, args, kwargs, e)?;
                } else if kwargs.is_empty() {
                    self.star_args(f, args, e)?;
                    f.emit(Op::CallFunctionEx, 0, 0, Pos::span(e.span()));
                } else {
                    self.call_kw(f, args, kwargs, e)?;
                }
            }
            ExprKind::Method {
                obj, name, args, ..
            } => {
                self.expr(f, obj)?;
                self.load_method(f, obj, name);
                for a in args {
                    self.arg(f, a, e)?;
                }
                if args.len() > 0xff {
                    return serr(e.line, e.col, "too many arguments");
                }
                let id = self.intern(name);
                f.emit(Op::CallMethod, id, args.len() as u32, line);
            }
            ExprKind::Comp {
                kind,
                elt,
                value,
                clauses,
            } => self.comprehension(f, *kind, (elt, value.as_deref()), clauses, e)?,
        }
        Ok(())
    }

    /// An argument of the call `call`: a generator expression there is consumed by the call,
    /// where CPython's traceback places its frame's caller.
    fn arg(&mut self, f: &mut FnCtx, a: &Expr, call: &Expr) -> Result<(), SyntaxError> {
        let lazy = match &a.kind {
            ExprKind::Comp {
                kind: CompKind::Gen,
                ..
            } => true,
            ExprKind::Call { name, .. } => {
                matches!(name.as_str(), "map" | "filter") && !self.user_names.contains(name)
            }
            _ => false,
        };
        if lazy {
            self.gen_at = Some(Pos::span(call.span()));
        }
        self.expr(f, a)
    }

    /// Looks method `name` up on `obj` (on the stack): an AttributeError there, under
    /// `obj.name`, as CPython's LOAD_METHOD raises it.
    fn load_method(&mut self, f: &mut FnCtx, obj: &Expr, name: &str) {
        let id = self.intern(name);
        f.emit(Op::LoadMethod, id, 0, Pos::span(method_span(obj, name)));
    }

    /// `.sort(key=…, reverse=…)` of the list on top of the stack: the keys are computed
    /// first, in order, by a loop here (as list.sort calls the key function on each item
    /// before it compares any), then `[list, keys, reverse]` go to CALL_METHOD sort.
    fn sort_call(&mut self, f: &mut FnCtx, kwargs: &[Keyword], at: Pos) -> Result<(), SyntaxError> {
        let mut key = None;
        let mut reverse = None;
        for k in kwargs {
            match k.name.as_str() {
                "key" if key.is_none() => key = Some(&k.value),
                "reverse" if reverse.is_none() => reverse = Some(&k.value),
                _ => {
                    // CPython's TypeError when the call runs, its arguments evaluated.
                    for k in kwargs {
                        self.expr(f, &k.value)?;
                    }
                    let msg = format!("'{}' is an invalid keyword argument for sort()", k.name);
                    let c = f.konst(Const::Error(ExcKind::TypeError, msg));
                    f.emit(Op::RaiseConst, c, 0, at);
                    return Ok(());
                }
            }
        }
        let mut flags = 0;
        // (`key=None` is no key.)
        if let Some(key) = key.filter(|k| !matches!(k.kind, ExprKind::None)) {
            self.keys(f, key, at)?;
            flags |= METHOD_KEY;
        }
        if let Some(r) = reverse {
            self.expr(f, r)?;
            flags |= METHOD_REVERSE;
        }
        let id = self.intern("sort");
        f.emit(Op::CallMethod, id, flags, at);
        Ok(())
    }

    /// `[list]` → `[list, keys]`: the key function `key` called on each item, in order.
    fn keys(&mut self, f: &mut FnCtx, key: &Expr, at: Pos) -> Result<(), SyntaxError> {
        self.key_loop(f, key, false, at)
    }

    /// `[iterable]` → `[items, keys]`: its items and their keys under `key`, taken in one
    /// loop — each item, then its key.
    fn items_and_keys(&mut self, f: &mut FnCtx, key: &Expr, at: Pos) -> Result<(), SyntaxError> {
        self.key_loop(f, key, true, at)
    }

    /// The loop of [`Self::keys`] and [`Self::items_and_keys`]: with `collect`, the items
    /// go into a new list as they come; without, the list on the stack stays.
    fn key_loop(
        &mut self,
        f: &mut FnCtx,
        key: &Expr,
        collect: bool,
        at: Pos,
    ) -> Result<(), SyntaxError> {
        let tmp = f.hidden(3);
        f.emit(Op::StoreFast, tmp, 0, at);
        self.expr(f, key)?;
        f.emit(Op::StoreFast, tmp + 1, 0, at);
        match collect {
            true => f.emit(Op::BuildList, 0, 0, at),
            false => f.emit(Op::LoadFast, tmp, 0, at),
        };
        f.emit(Op::BuildList, 0, 0, at);
        f.emit(Op::LoadFast, tmp, 0, at);
        f.emit(Op::GetIter, 0, 0, at);
        let top = f.emit(Op::ForIter, 0, 0, at);
        f.emit(Op::StoreFast, tmp + 2, 0, at);
        if collect {
            f.emit(Op::LoadFast, tmp + 2, 0, at);
            f.emit(Op::ListAppend, 3, 0, at);
        }
        f.emit(Op::LoadFast, tmp + 1, 0, at);
        f.emit(Op::LoadFast, tmp + 2, 0, at);
        f.emit(Op::Call, 1, 0, at);
        f.emit(Op::ListAppend, 2, 0, at);
        f.emit(Op::JumpBackward, top as u32, 0, at);
        let here = f.here();
        f.code.instrs[top].b = here;
        Ok(())
    }

    /// A comprehension, as CPython 3.11 compiles it: a function of its own (`<listcomp>`,
    /// `<genexpr>`: a frame in tracebacks and a level of recursion) called with an iterator
    /// over the first iterable, made where the comprehension is. The enclosing function's
    /// locals it reads come in as further arguments (it cannot assign them). A generator
    /// expression's code is a generator (`YIELD_VALUE` for each value): calling it makes
    /// the generator, which runs as its consumer pulls values (`Vm::resume`); the
    /// enclosing locals it reads come in as their cells, so that it sees their values
    /// when it runs.
    fn comprehension(
        &mut self,
        f: &mut FnCtx,
        kind: CompKind,
        (elt, value): (&Expr, Option<&Expr>),
        clauses: &[Clause],
        e: &Expr,
    ) -> Result<(), SyntaxError> {
        let at = Pos::span(e.span());
        let call_at = match kind {
            CompKind::Gen => self.gen_at.take().unwrap_or(at),
            CompKind::List | CompKind::Dict | CompKind::Set => at,
        };
        let (bound, read) = comprehension_names(elt, value, clauses);
        let outer = f.locals.clone().unwrap_or_default();
        let mut free: Vec<String> = Vec::new();
        for n in read {
            if !bound.contains(&n) && outer.contains_key(&n) && !free.contains(&n) {
                free.push(n);
            }
        }
        let name = match kind {
            CompKind::List => "<listcomp>",
            CompKind::Dict => "<dictcomp>",
            CompKind::Set => "<setcomp>",
            CompKind::Gen => "<genexpr>",
        };
        let mut locals = BTreeMap::new();
        locals.insert(String::from(".0"), 0);
        for n in &free {
            let k = locals.len() as u32;
            locals.insert(n.clone(), k);
        }
        for n in &bound {
            if !locals.contains_key(n) {
                let k = locals.len() as u32;
                locals.insert(n.clone(), k);
            }
        }
        // Its variables a lambda inside it shares are cells.
        let inner = scope::of_comprehension(elt, value, clauses).inner_free;
        let cells: Vec<u32> = locals
            .iter()
            .filter(|(n, _)| inner.contains(*n))
            .map(|(_, &k)| k)
            .collect();
        // A generator runs later, as it is pulled: the enclosing variables it reads that
        // are cells there (all that the enclosing function binds: `scope`) come in as the
        // cells, so it sees their values when it runs, as CPython's closure does.
        let by_cell: Vec<bool> = free
            .iter()
            .map(|n| kind == CompKind::Gen && f.derefs.contains_key(&outer[n]))
            .collect();
        let mut g = FnCtx::new(name, Some(locals));
        g.code.qualname = qualname(f, name);
        g.code.nparams = 1 + free.len() as u32;
        for p in 0..g.code.nparams {
            g.varname(p);
        }
        for (i, _) in by_cell.iter().enumerate().filter(|(_, c)| **c) {
            g.derefs.insert(1 + i as u32, true);
        }
        for c in cells {
            g.derefs.insert(c, false);
            g.emit(Op::MakeCell, c, 0, at);
        }
        // A generator expression yields each value (its code makes a generator when
        // called); the others add it to the collection they build.
        let (build, add) = match kind {
            CompKind::Dict => (Some(Op::BuildMap), Op::MapAdd),
            CompKind::Set => (Some(Op::BuildSet), Op::SetAdd),
            CompKind::List => (Some(Op::BuildList), Op::ListAppend),
            CompKind::Gen => (None, Op::YieldValue),
        };
        g.code.generator = build.is_none();
        if let Some(build) = build {
            g.emit(build, 0, 0, at);
        }
        let mut tops = Vec::new();
        for (i, c) in clauses.iter().enumerate() {
            match c {
                Clause::For(t, it) => {
                    if i == 0 {
                        g.emit(Op::LoadFast, 0, 0, at);
                    } else {
                        self.expr(&mut g, it)?;
                        g.emit(Op::GetIter, 0, 0, Pos::span(it.span()));
                    }
                    let top = g.emit(Op::ForIter, 0, 0, at);
                    tops.push(top);
                    self.store_target(&mut g, t, it.span(), e.line)?;
                }
                Clause::If(x) => {
                    self.condition(&mut g, x)?;
                    let back = *tops.last().expect("a comprehension starts with for") as u32;
                    g.emit(Op::PopJumpIfFalse, back, 0, at);
                }
            }
        }
        self.expr(&mut g, elt)?;
        if let Some(v) = value {
            self.expr(&mut g, v)?;
        }
        if build.is_some() {
            g.emit(add, tops.len() as u32 + 1, 0, at);
        } else {
            g.emit(add, 0, 0, at);
        }
        for top in tops.into_iter().rev() {
            g.emit(Op::JumpBackward, top as u32, 0, at);
            let here = g.here();
            g.code.instrs[top].b = here;
        }
        if build.is_none() {
            let none = g.konst(Const::None);
            g.emit(Op::LoadConst, none, 0, at);
        }
        g.emit(Op::ReturnValue, 0, 0, at);
        self.make_function(f, g.code, at);
        let Some(Clause::For(_, first)) = clauses.first() else {
            unreachable!("a comprehension starts with for");
        };
        self.expr(f, first)?;
        // (CPython places the error of a first iterable that is not one on the
        // comprehension as a whole.)
        f.emit(Op::GetIter, 0, 0, at);
        for (n, &cell) in free.iter().zip(&by_cell) {
            if cell {
                f.emit(Op::LoadClosure, outer[n], 0, at);
            } else {
                self.load_name(f, n, at);
            }
        }
        f.emit(Op::Call, 1 + free.len() as u32, 0, call_at);
        Ok(())
    }

    /// The subset's uses of `sys` (the parser makes `sys.exit(…)`, `sys.argv[i]`,
    /// `sys.argv`, `sys.stdin…` and `sys.stdout…` calls of pseudo-builtins by those
    /// names): `sys.exit(…)`, `int(sys.argv[i])` and `len(sys.argv)` (which compiled code
    /// knows), `sys.argv` as a list, stdin and stdout. Each first reads the name `sys` (a
    /// NameError before the import, as in CPython). Some(()) when the call `e` of `name` was
    /// one of them.
    fn sys_call(
        &mut self,
        f: &mut FnCtx,
        name: &str,
        args: &[Expr],
        user: bool,
        e: &Expr,
    ) -> Result<Option<()>, SyntaxError> {
        let (line, col) = (e.line, e.col);
        let argv_only =
            |e: &Expr, want: &str| matches!(&e.kind, ExprKind::Call { name, .. } if name == want);
        // Where `sys` is read: at the start of the expression that names it.
        let sys_at = |e: &Expr| {
            Pos::span(Span {
                end_line: e.line,
                end_col: e.col + 2,
                ..e.span()
            })
        };
        match (name, args) {
            ("sys.exit", _) if args.len() <= 1 => {
                self.load_name(f, "sys", sys_at(e));
                f.emit(Op::PopTop, 0, 0, line);
                for a in args {
                    self.expr(f, a)?;
                }
                self.emit_builtin(f, Builtin::Exit, args.len(), Pos::span(e.span()));
            }
            ("sys.exit", _) => {
                return serr(
                    line,
                    col,
                    "sys.exit() with more than one argument is outside the minipy subset",
                );
            }
            (
                "sys.setrecursionlimit"
                | "sys.getrecursionlimit"
                | "sys.stdin"
                | "sys.stdin.read"
                | "sys.stdin.readline"
                | "sys.stdin.readlines"
                | "sys.stdout.write"
                | "sys.stdout.flush"
                | "sys.stderr.write"
                | "sys.stderr.flush",
                _,
            ) => {
                self.load_name(f, "sys", sys_at(e));
                f.emit(Op::PopTop, 0, 0, line);
                for a in args {
                    self.expr(f, a)?;
                }
                let Some(&b) = Builtin::ALL.iter().find(|b| b.name() == name) else {
                    unreachable!("every sys pseudo-builtin is a Builtin")
                };
                // (The argument count is checked when it runs, as CPython does.)
                self.emit_builtin(f, b, args.len(), Pos::span(e.span()));
            }
            ("int", [a]) if !user && argv_only(a, "sys.argv[]") => {
                let ExprKind::Call { args: index, .. } = &a.kind else {
                    unreachable!()
                };
                self.load_name(f, "sys", sys_at(a));
                f.emit(Op::PopTop, 0, 0, line);
                self.expr(f, &index[0])?;
                // `sys.argv[i]` (IndexError there), then `int()` of it (ValueError there).
                let anchor = Anchor::Subscript {
                    value_end: a.col - 1 + "sys.argv".len() as u32,
                    index_end: index[0].end_col,
                };
                let at = Pos {
                    anchor,
                    ..Pos::span(a.span())
                };
                self.emit_builtin(f, Builtin::Argv, 1, at);
                self.emit_builtin(f, Builtin::ArgvInt, 1, Pos::span(e.span()));
            }
            ("len", [a]) if !user && argv_only(a, "sys.argv") => {
                self.load_name(f, "sys", sys_at(a));
                f.emit(Op::PopTop, 0, 0, line);
                self.emit_builtin(f, Builtin::Argc, 0, Pos::span(e.span()));
            }
            ("sys.stdout" | "sys.stderr", _) => {
                return serr(
                    line,
                    col,
                    "sys.stdout and sys.stderr other than written to and as print's file= are \
                     outside the minipy subset",
                );
            }
            ("sys.argv", _) => {
                self.load_name(f, "sys", sys_at(e));
                f.emit(Op::PopTop, 0, 0, line);
                self.emit_builtin(f, Builtin::ArgvList, 0, Pos::span(e.span()));
            }
            ("sys.argv[]", [index]) => {
                self.load_name(f, "sys", sys_at(e));
                f.emit(Op::PopTop, 0, 0, line);
                self.emit_builtin(f, Builtin::ArgvList, 0, Pos::span(e.span()));
                self.expr(f, index)?;
                let at = Pos {
                    anchor: Anchor::Subscript {
                        value_end: e.col - 1 + "sys.argv".len() as u32,
                        index_end: index.end_col,
                    },
                    ..Pos::span(e.span())
                };
                f.emit(Op::BinarySubscr, 0, 0, at);
            }
            _ => return Ok(None),
        }
        Ok(Some(()))
    }

    /// `print(args…, sep=…, end=…, flush=…)`: the values in the order written (CPython
    /// evaluates them all before the call); flush is evaluated and has nothing to do
    /// (stdout is flushed at exit and before anything goes to stderr). Any other keyword is
    /// CPython's TypeError, raised when the call is made.
    fn print(
        &mut self,
        f: &mut FnCtx,
        args: &[Expr],
        kwargs: &[Keyword],
        call: &Expr,
    ) -> Result<(), SyntaxError> {
        let at = Pos::span(call.span());
        // `file=`: sys.stdout, sys.stderr or None (stdout), known here.
        let stream = |k: &Keyword| match &k.value.kind {
            ExprKind::Call { name, args, .. } if args.is_empty() && name == "sys.stderr" => {
                Some(true)
            }
            ExprKind::Call { name, args, .. } if args.is_empty() && name == "sys.stdout" => {
                Some(false)
            }
            ExprKind::None => Some(false),
            _ => None,
        };
        let mut to_stderr = false;
        if let Some(k) = kwargs.iter().find(|k| k.name == "file") {
            match stream(k) {
                Some(err) => to_stderr = err,
                None => {
                    return serr(
                        k.span.line,
                        k.span.col + 1,
                        "print's file= other than sys.stdout, sys.stderr or None is outside the \
                         minipy subset",
                    );
                }
            }
        }
        let star = self.star_args(f, args, call)?;
        if !star {
            for a in args {
                self.expr(f, a)?;
            }
        }
        let mut flags = if star { PRINT_STAR } else { 0 };
        if to_stderr {
            flags |= PRINT_STDERR;
        }
        let mut invalid = None;
        for k in kwargs {
            if k.name == "file" {
                // Only `sys` is read (a NameError before the import, as in CPython).
                if let ExprKind::Call { .. } = k.value.kind {
                    let v = &k.value;
                    let sys_at = Pos::span(Span {
                        end_line: v.line,
                        end_col: v.col + 2,
                        ..v.span()
                    });
                    self.load_name(f, "sys", sys_at);
                    f.emit(Op::PopTop, 0, 0, at);
                }
                continue;
            }
            self.expr(f, &k.value)?;
            match k.name.as_str() {
                "sep" => flags |= PRINT_SEP,
                "end" if flags & PRINT_SEP == 0 => flags |= PRINT_END | PRINT_END_FIRST,
                "end" => flags |= PRINT_END,
                "flush" => {
                    f.emit(Op::PopTop, 0, 0, at);
                }
                other => {
                    invalid.get_or_insert(other);
                }
            }
        }
        if let Some(name) = invalid {
            let msg = format!("'{name}' is an invalid keyword argument for print()");
            let c = f.konst(Const::Error(ExcKind::TypeError, msg));
            f.emit(Op::RaiseConst, c, 0, at);
            return Ok(());
        }
        let n = if star { 1 } else { args.len() as u32 };
        f.emit(Op::CallPrint, n, flags, at);
        Ok(())
    }

    /// Adds `code` to the program and pushes it as a function value in `f`.
    fn make_function(&mut self, f: &mut FnCtx, code: Code, at: Pos) {
        self.program.codes.push(code);
        let idx = self.program.codes.len() as u32 - 1;
        f.emit(Op::MakeFunction, idx, 0, at);
    }

    /// Adds a code object made here; its index.
    fn push_code(&mut self, code: Code) -> u32 {
        self.program.codes.push(code);
        self.program.codes.len() as u32 - 1
    }

    /// [`Program::lazy_iters`], for a program that names `enumerate` or `zip` (a call, or
    /// a global it reads).
    fn lazy_iters(&mut self) {
        let named = |b: Builtin| {
            let k = Builtin::ALL.iter().position(|&x| x == b).unwrap_or(0) as u32;
            self.program.globals.iter().any(|g| g == b.name())
                || self
                    .program
                    .codes
                    .iter()
                    .any(|c| c.instrs.iter().any(|i| i.op == Op::CallBuiltin && i.a == k))
        };
        if !named(Builtin::Enumerate) && !named(Builtin::Zip) {
            return;
        }
        let at = Pos::from(1);
        // enumerate(it, n): for x in it: yield (n, x); n += 1
        let mut g = FnCtx::new("enumerate", None);
        (g.code.generator, g.code.builtin_iter, g.code.nparams) = (true, true, 2);
        let x = g.hidden(3) + 2;
        g.emit(Op::LoadFast, 0, 0, at);
        let top = g.emit(Op::ForIter, 0, 0, at);
        g.emit(Op::StoreFast, x, 0, at);
        g.emit(Op::LoadFast, 1, 0, at);
        g.emit(Op::LoadFast, x, 0, at);
        g.emit(Op::BuildTuple, 2, 0, at);
        g.emit(Op::YieldValue, 0, 0, at);
        let one = g.konst(Const::Int(1));
        g.emit(Op::LoadFast, 1, 0, at);
        g.emit(Op::LoadConst, one, 0, at);
        g.emit(Op::BinaryOp, crate::ast::BinOp::Add as u32, 1, at);
        g.emit(Op::StoreFast, 1, 0, at);
        g.emit(Op::JumpBackward, top as u32, 0, at);
        g.code.instrs[top].b = g.here();
        g.return_none(at);
        let enumerate = self.push_code(g.code);
        // zip(its): while True: items = []; for it in its: pull one from it (return when
        // it has none); yield tuple(items)
        let mut g = FnCtx::new("zip", None);
        (g.code.generator, g.code.builtin_iter, g.code.nparams) = (true, true, 1);
        let items = g.hidden(4) + 1;
        let (it, v) = (items + 1, items + 2);
        let top = g.emit(Op::BuildList, 0, 0, at);
        g.emit(Op::StoreFast, items, 0, at);
        g.emit(Op::LoadFast, 0, 0, at);
        g.emit(Op::GetIter, 0, 0, at);
        let each = g.emit(Op::ForIter, 0, 0, at);
        g.emit(Op::StoreFast, it, 0, at);
        g.emit(Op::LoadFast, it, 0, at);
        let pull = g.emit(Op::ForIter, 0, 0, at);
        g.emit(Op::StoreFast, v, 0, at);
        g.emit(Op::PopTop, 0, 0, at);
        g.emit(Op::LoadFast, items, 0, at);
        g.emit(Op::LoadFast, v, 0, at);
        g.emit(Op::ListAppend, 1, 0, at);
        g.emit(Op::PopTop, 0, 0, at);
        g.emit(Op::JumpBackward, each as u32, 0, at);
        g.code.instrs[each].b = g.here();
        g.emit(Op::LoadFast, items, 0, at);
        self.emit_builtin(&mut g, Builtin::Tuple, 1, at);
        g.emit(Op::YieldValue, 0, 0, at);
        g.emit(Op::JumpBackward, top as u32, 0, at);
        g.code.instrs[pull].b = g.here();
        g.return_none(at);
        let zip = self.push_code(g.code);
        self.program.lazy_iters = Some(LazyIters { enumerate, zip });
    }

    /// `map(func, it…)` and `filter(func, it)`: generators that call `func` on each item
    /// as they are pulled, as CPython's map and filter objects do.
    fn map_filter(
        &mut self,
        f: &mut FnCtx,
        map: bool,
        args: &[Expr],
        at: Pos,
    ) -> Result<(), SyntaxError> {
        let call_at = self.gen_at.take().unwrap_or(at);
        let n = args.len().saturating_sub(1);
        let wrong = if map {
            (n == 0).then(|| String::from("map() must have at least two arguments."))
        } else {
            (n != 1).then(|| format!("filter expected 2 arguments, got {}", args.len()))
        };
        let starred = args.iter().any(|a| matches!(a.kind, ExprKind::Starred(_)));
        if let Some(msg) = wrong.filter(|_| !starred) {
            let c = f.konst(Const::Error(ExcKind::TypeError, msg));
            f.emit(Op::RaiseConst, c, 0, at);
            return Ok(());
        }
        if starred {
            return serr(
                at.line,
                1,
                "*args in map() or filter() is outside the minipy subset",
            );
        }
        // A generator of its own (as CPython's map and filter objects, it runs as it is
        // pulled), called with the function and an iterator over the iterable (zip's of
        // several): its parameters `.f` and `.it`, then one local per item.
        let name = if map { "map" } else { "filter" };
        let mut g = FnCtx::new(name, None);
        g.code.generator = true;
        g.code.builtin_iter = true;
        g.code.nparams = 2;
        let items = g.hidden(2 + n as u32) + 2;
        let none = matches!(args[0].kind, ExprKind::None) && !map;
        g.emit(Op::LoadFast, 1, 0, at);
        let top = g.emit(Op::ForIter, 0, 0, at);
        if n == 1 {
            g.emit(Op::StoreFast, items, 0, at);
        } else {
            g.emit(Op::UnpackSequence, n as u32, 0, at);
            for k in 0..n as u32 {
                g.emit(Op::StoreFast, items + k, 0, at);
            }
        }
        if !none {
            g.emit(Op::LoadFast, 0, 0, at);
        }
        for k in 0..n as u32 {
            g.emit(Op::LoadFast, items + k, 0, at);
        }
        if !none {
            g.emit(Op::Call, n as u32, 0, call_at);
        }
        if !map {
            g.emit(Op::PopJumpIfFalse, top as u32, 0, at);
            g.emit(Op::LoadFast, items, 0, at);
        }
        g.emit(Op::YieldValue, 0, 0, at);
        g.emit(Op::JumpBackward, top as u32, 0, at);
        let here = g.here();
        g.code.instrs[top].b = here;
        let c = g.konst(Const::None);
        g.emit(Op::LoadConst, c, 0, at);
        g.emit(Op::ReturnValue, 0, 0, at);
        self.make_function(f, g.code, at);
        self.expr(f, &args[0])?;
        for it in &args[1..] {
            self.expr(f, it)?;
        }
        if n == 1 {
            f.emit(Op::GetIter, 0, 0, at);
        } else {
            self.emit_builtin(f, Builtin::Zip, n, at);
        }
        f.emit(Op::Call, 2, 0, at);
        Ok(())
    }

    /// The arguments and keyword values of call `e` (whose callee is on the stack) and the
    /// CALL_KW that matches them to the callee's parameters when it runs.
    fn call_kw(
        &mut self,
        f: &mut FnCtx,
        args: &[Expr],
        kwargs: &[Keyword],
        e: &Expr,
    ) -> Result<(), SyntaxError> {
        for a in args {
            self.arg(f, a, e)?;
        }
        for k in kwargs {
            self.expr(f, &k.value)?;
        }
        let names: Vec<&str> = kwargs.iter().map(|k| k.name.as_str()).collect();
        let id = self.intern(&names.join(","));
        let counts = args.len() as u32 | (kwargs.len() as u32) << 16;
        f.emit(Op::CallKw, counts, id, Pos::span(e.span()));
        Ok(())
    }

    /// `min`/`max` with `key=` and/or `default=`, of one iterable or of several values:
    /// the items as a list, their keys computed in order by a loop here (None without
    /// `key=`), then MIN_KEY/MAX_KEY picks the first least or greatest (or the default).
    /// Of one iterable with `key=`, one loop takes each item and its key in turn, as
    /// CPython's does (a generator's prints and the key's interleave).
    fn min_max_keywords(
        &mut self,
        f: &mut FnCtx,
        name: &str,
        args: &[Expr],
        kwargs: &[Keyword],
        at: Pos,
    ) -> Result<(), SyntaxError> {
        let mut key = None;
        let mut default = None;
        let mut error = None;
        for k in kwargs {
            match k.name.as_str() {
                "key" => key = Some(&k.value),
                "default" => default = Some(&k.value),
                other => {
                    error.get_or_insert(format!(
                        "'{other}' is an invalid keyword argument for {name}()"
                    ));
                }
            }
        }
        if args.is_empty() {
            error.get_or_insert(format!("{name} expected at least 1 argument, got 0"));
        }
        if args.len() > 1 && default.is_some() {
            error.get_or_insert(format!(
                "Cannot specify a default for {name}() with multiple positional arguments"
            ));
        }
        for a in args {
            self.expr(f, a)?;
        }
        if let Some(msg) = error {
            let c = f.konst(Const::Error(ExcKind::TypeError, msg));
            f.emit(Op::RaiseConst, c, 0, at);
            return Ok(());
        }
        match (args.len(), key) {
            (1, Some(k)) => self.items_and_keys(f, k, at)?,
            (1, None) => {
                self.emit_builtin(f, Builtin::List, 1, at);
                let c = f.konst(Const::None);
                f.emit(Op::LoadConst, c, 0, at);
            }
            (n, k) => {
                f.emit(Op::BuildList, n as u32, 0, at);
                match k {
                    Some(k) => self.keys(f, k, at)?,
                    None => {
                        let c = f.konst(Const::None);
                        f.emit(Op::LoadConst, c, 0, at);
                    }
                }
            }
        }
        if let Some(d) = default {
            self.expr(f, d)?;
        }
        let b = if name == "min" {
            Builtin::MinKey
        } else {
            Builtin::MaxKey
        };
        self.emit_builtin(f, b, 2 + default.is_some() as usize, at);
        Ok(())
    }

    /// Each of an f-string's `pieces` as a string on the stack (CPython places a format's
    /// error at the whole f-string, `at`). A spec of text alone is the FORMAT_VALUE's
    /// operand; one with fields is built first, after the value, as CPython builds it.
    fn fstring_pieces(
        &mut self,
        f: &mut FnCtx,
        pieces: &[FPiece],
        at: Pos,
    ) -> Result<(), SyntaxError> {
        for p in pieces {
            match p {
                FPiece::Lit(s) => {
                    let c = self.string_const(f, s);
                    f.emit(Op::LoadConst, c, 0, at);
                }
                FPiece::Field(x, conv, spec) => {
                    self.expr(f, x)?;
                    let conv = match conv {
                        Some('s') => 1,
                        Some('r') => 2,
                        _ => 0,
                    };
                    let text: Option<String> = spec
                        .iter()
                        .map(|p| match p {
                            FPiece::Lit(s) => Some(s.as_str()),
                            FPiece::Field(..) => None,
                        })
                        .collect();
                    match text {
                        Some(text) => {
                            let spec = self.intern(&text);
                            f.emit(Op::FormatValue, conv, spec, at);
                        }
                        None => {
                            self.fstring_pieces(f, spec, at)?;
                            f.emit(Op::BuildString, spec.len() as u32, 0, at);
                            f.emit(Op::FormatValue, conv | FORMAT_SPEC_ON_STACK, 0, at);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// A call whose arguments spread — a `**mapping`, or `*x` beside keywords — of the
    /// callee on the stack: the positional values as one list (a lone `*x`: its
    /// iterable), then the keywords as one dict built as CPython 3.11 builds it (a
    /// BUILD_MAP of each run of `name=value`, each run and each mapping merged into the
    /// first by DICT_MERGE, which raises CPython's errors for a name given twice or a
    /// value that is not a mapping), then CALL_FUNCTION_EX with the dict.
    fn call_spread(
        &mut self,
        f: &mut FnCtx,
        args: &[Expr],
        kwargs: &[Keyword],
        e: &Expr,
    ) -> Result<(), SyntaxError> {
        let at = Pos::span(e.span());
        if !self.star_args(f, args, e)? {
            for a in args {
                self.arg(f, a, e)?;
            }
            f.emit(Op::BuildList, args.len() as u32, 0, at);
        }
        let mut rest = kwargs;
        let mut first = true;
        while let Some(k) = rest.first() {
            if k.name.is_empty() {
                if first {
                    f.emit(Op::BuildMap, 0, 0, at);
                }
                self.expr(f, &k.value)?;
                f.emit(Op::DictMerge, 0, 0, at);
                rest = &rest[1..];
            } else {
                let run = rest.iter().take_while(|k| !k.name.is_empty()).count();
                for k in &rest[..run] {
                    let c = self.string_const(f, &k.name);
                    f.emit(Op::LoadConst, c, 0, at);
                    self.expr(f, &k.value)?;
                }
                f.emit(Op::BuildMap, run as u32, 0, at);
                if !first {
                    f.emit(Op::DictMerge, 0, 0, at);
                }
                rest = &rest[run..];
            }
            first = false;
        }
        if first {
            f.emit(Op::BuildMap, 0, 0, at);
        }
        f.emit(Op::CallFunctionEx, 1, 0, at);
        Ok(())
    }

    /// The arguments of a call with `*x` among them, as one value: a lone `*x` is x
    /// itself, anything else a list built as CPython builds it (LIST_APPEND, LIST_EXTEND).
    /// False (nothing emitted) when no argument is starred.
    fn star_args(
        &mut self,
        f: &mut FnCtx,
        args: &[Expr],
        call: &Expr,
    ) -> Result<bool, SyntaxError> {
        if !args.iter().any(|a| matches!(a.kind, ExprKind::Starred(_))) {
            return Ok(false);
        }
        if let [
            Expr {
                kind: ExprKind::Starred(x),
                ..
            },
        ] = args
        {
            self.expr(f, x)?;
            return Ok(true);
        }
        let at = Pos::span(call.span());
        f.emit(Op::BuildList, 0, 0, at);
        for a in args {
            match &a.kind {
                ExprKind::Starred(x) => {
                    self.expr(f, x)?;
                    f.emit(Op::ListExtend, 1, 0, at);
                }
                _ => {
                    self.arg(f, a, call)?;
                    f.emit(Op::ListAppend, 1, 0, at);
                }
            }
        }
        Ok(true)
    }

    fn emit_builtin(&mut self, f: &mut FnCtx, b: Builtin, nargs: usize, at: Pos) {
        let k = Builtin::ALL.iter().position(|&x| x == b).unwrap_or(0);
        f.emit(Op::CallBuiltin, k as u32, nargs as u32, at);
    }

    /// The call `e` of `name` with `args` (and keyword arguments `kwargs`, which only
    /// print takes).
    fn call(
        &mut self,
        f: &mut FnCtx,
        name: &str,
        args: &[Expr],
        kwargs: &[Keyword],
        e: &Expr,
    ) -> Result<(), SyntaxError> {
        let (line, col) = (e.line, e.col);
        let at = Pos::span(e.span());
        let user = self.user_names.contains(name)
            || f.locals.as_ref().is_some_and(|l| l.contains_key(name));
        let spread = spreads(args, kwargs);
        let starred = args.iter().any(|a| matches!(a.kind, ExprKind::Starred(_)));
        // (`map` and `filter` calls are the compiler's own generators, below.)
        if !user && outside_builtin(name) && !matches!(name, "map" | "filter") {
            if matches!(name, "exit" | "quit") && args.len() <= 1 && kwargs.is_empty() && !starred {
                // site's `exit()` and `quit()`: SystemExit, as `sys.exit` raises it.
                for a in args {
                    self.expr(f, a)?;
                }
                self.emit_builtin(f, Builtin::Exit, args.len(), at);
                return Ok(());
            }
            return serr(
                line,
                col,
                format!("the builtin '{name}' is outside the minipy subset"),
            );
        }
        if name.starts_with("sys.") && (spread || starred) {
            return serr(
                line,
                col,
                format!("*args or **kwargs in a call of {name}() are outside the minipy subset"),
            );
        }
        if spread && !user && matches!(name, "print" | "min" | "max" | "sorted" | "map" | "filter")
        {
            let k = kwargs
                .iter()
                .find(|k| k.name.is_empty())
                .unwrap_or(&kwargs[0]);
            let what = if k.name.is_empty() {
                "'**' arguments"
            } else {
                "keyword arguments beside *args"
            };
            if name != "print" || k.name.is_empty() {
                return serr(
                    k.span.line,
                    k.span.col + 1,
                    format!("{what} to {name}() are outside the minipy subset"),
                );
            }
        }
        if name == "print" && !user {
            return self.print(f, args, kwargs, e);
        }
        if spread {
            self.load_name(f, name, callee_at(e, name));
            return self.call_spread(f, args, kwargs, e);
        }
        if matches!(name, "min" | "max") && !user && !kwargs.is_empty() && !starred {
            return self.min_max_keywords(f, name, args, kwargs, at);
        }
        if !user
            && !starred
            && let [k] = kwargs
            && args.len() == 1
            && matches!(
                (name, k.name.as_str()),
                ("enumerate" | "sum", "start") | ("int", "base")
            )
        {
            // The one keyword these take is their second positional parameter.
            self.arg(f, &args[0], e)?;
            self.expr(f, &k.value)?;
            let b = match name {
                "enumerate" => Builtin::Enumerate,
                "sum" => Builtin::Sum,
                _ => Builtin::Int,
            };
            self.emit_builtin(f, b, 2, at);
            return Ok(());
        }
        if name == "dict" && !user && !args.is_empty() && !kwargs.is_empty() {
            // dict(x, a=1): x's items, then the keywords' (`Vm::arrange`).
            self.load_name(f, name, callee_at(e, name));
            return self.call_kw(f, args, kwargs, e);
        }
        if name == "dict" && !user && args.is_empty() && !kwargs.is_empty() {
            // dict(a=1, b=2): a dict of string keys.
            for k in kwargs {
                let c = self.string_const(f, &k.name);
                f.emit(Op::LoadConst, c, 0, at);
                self.expr(f, &k.value)?;
            }
            f.emit(Op::BuildMap, kwargs.len() as u32, 0, at);
            return Ok(());
        }
        if name == "sorted" && !user && args.len() == 1 && !kwargs.is_empty() {
            // sorted(x, key=…, reverse=…) is list(x).sort(key=…, reverse=…).
            self.expr(f, &args[0])?;
            self.emit_builtin(f, Builtin::List, 1, at);
            f.emit(Op::DupTop, 1, 0, at);
            self.sort_call(f, kwargs, at)?;
            f.emit(Op::PopTop, 0, 0, at);
            return Ok(());
        }
        if starred {
            self.load_name(f, name, callee_at(e, name));
            self.star_args(f, args, e)?;
            f.emit(Op::CallFunctionEx, 0, 0, at);
            return Ok(());
        }
        if !user
            && !kwargs.is_empty()
            && Builtin::ALL
                .iter()
                .any(|b| b.name() == name && b.keyword_params().is_some())
        {
            // Matched to the builtin's parameters when the call runs, as CPython does.
            self.load_name(f, name, callee_at(e, name));
            return self.call_kw(f, args, kwargs, e);
        }
        if let Some(k) = kwargs.first() {
            let local = f.locals.as_ref().is_some_and(|l| l.contains_key(name));
            if let Some(sig) = self.signatures.get(name).filter(|_| !local).cloned() {
                return self.call_with_keywords(f, name, &sig, args, kwargs, e);
            }
            if user {
                // A function known only when the call runs: matched to its parameters then.
                self.load_name(f, name, callee_at(e, name));
                return self.call_kw(f, args, kwargs, e);
            }
            return serr(
                k.span.line,
                k.span.col + 1,
                "keyword arguments are outside the minipy subset (except print's sep and \
                 end, and calls of a function bound by one `def` and nothing else)",
            );
        }
        if matches!(name, "map" | "filter") && !user && kwargs.is_empty() {
            return self.map_filter(f, name == "map", args, at);
        }
        if let Some(done) = self.sys_call(f, name, args, user, e)? {
            return Ok(done);
        }
        if !user && let Some(b) = Builtin::ALL.iter().position(|b| b.name() == name) {
            if !Builtin::ALL[b].takes(args.len()) {
                return serr(
                    line,
                    col,
                    format!(
                        "{name}() with {} arguments is outside the minipy subset",
                        args.len()
                    ),
                );
            }
            for a in args {
                self.arg(f, a, e)?;
            }
            f.emit(Op::CallBuiltin, b as u32, args.len() as u32, at);
            return Ok(());
        }

        let callee = Span {
            end_line: e.line,
            end_col: e.col - 1 + name.len() as u32,
            ..e.span()
        };
        self.load_name(f, name, Pos::span(callee));
        for a in args {
            self.arg(f, a, e)?;
        }
        f.emit(Op::Call, args.len() as u32, 0, at);
        Ok(())
    }

    /// A call with keyword arguments of `name`, a function whose signature `sig` is known
    /// here: resolved now into a call that passes every parameter in order, left-out ones
    /// with their defaults. The arguments are still evaluated as written, left to right; a
    /// call CPython would refuse (an unexpected keyword, a parameter given twice, one
    /// missing, too many) raises its TypeError once they have been.
    #[inline(never)]
    fn call_with_keywords(
        &mut self,
        f: &mut FnCtx,
        name: &str,
        sig: &Signature,
        args: &[Expr],
        kwargs: &[Keyword],
        e: &Expr,
    ) -> Result<(), SyntaxError> {
        let (params, defaults) = sig;
        let at = Pos::span(e.span());
        let np = params.len();
        // Which written argument (positional ones first, then the keywords) fills each
        // parameter; checked as CPython's frame set-up checks them.
        let mut fill: Vec<Option<usize>> = vec![None; np];
        for (i, slot) in fill.iter_mut().enumerate().take(args.len()) {
            *slot = Some(i);
        }
        let mut error = None;
        for (k, kw) in kwargs.iter().enumerate() {
            match params.iter().position(|p| *p == kw.name) {
                None => {
                    error = Some(format!(
                        "{name}() got an unexpected keyword argument '{}'",
                        kw.name
                    ));
                    break;
                }
                Some(j) if fill[j].is_some() => {
                    error = Some(format!(
                        "{name}() got multiple values for argument '{}'",
                        kw.name
                    ));
                    break;
                }
                Some(j) => fill[j] = Some(args.len() + k),
            }
        }
        let first_default = np - defaults.len();
        // (More positional arguments than parameters leave every parameter filled: a
        // keyword then is unexpected or a second value, found above.)
        if error.is_none() {
            let missing: Vec<&str> = (0..first_default)
                .filter(|&j| fill[j].is_none())
                .map(|j| params[j].as_str())
                .collect();
            if !missing.is_empty() {
                error = Some(crate::bytecode::missing_arguments(name, &missing));
            }
        }
        let callee = Span {
            end_line: e.line,
            end_col: e.col - 1 + name.len() as u32,
            ..e.span()
        };
        self.load_name(f, name, Pos::span(callee));
        let written: Vec<&Expr> = args.iter().chain(kwargs.iter().map(|k| &k.value)).collect();
        if let Some(msg) = error {
            for a in &written {
                self.expr(f, a)?;
            }
            let c = f.konst(Const::Error(ExcKind::TypeError, msg));
            f.emit(Op::RaiseConst, c, 0, at);
            return Ok(());
        }
        // The written order filling parameters in increasing order needs no temporaries:
        // defaults (constants) go between the values.
        let order: Vec<usize> = (0..np).filter_map(|j| fill[j]).collect();
        let in_order = order.windows(2).all(|w| w[0] < w[1]);
        let tmp = if in_order {
            None
        } else {
            Some(f.hidden(written.len() as u32))
        };
        let default = |f: &mut FnCtx, j: usize| {
            let k = f.konst(defaults[j - first_default].clone());
            f.emit(Op::LoadConst, k, 0, at);
        };
        match tmp {
            None => {
                let mut next = 0;
                for (j, w) in fill.iter().enumerate() {
                    match *w {
                        Some(i) => {
                            debug_assert_eq!(i, next);
                            self.expr(f, written[i])?;
                            next += 1;
                        }
                        None => default(f, j),
                    }
                }
            }
            Some(t) => {
                for (i, a) in written.iter().enumerate() {
                    self.expr(f, a)?;
                    f.emit(Op::StoreFast, t + i as u32, 0, at);
                }
                for (j, w) in fill.iter().enumerate() {
                    match *w {
                        Some(i) => {
                            f.emit(Op::LoadFast, t + i as u32, 0, at);
                        }
                        None => default(f, j),
                    }
                }
            }
        }
        f.emit(Op::Call, np as u32, 0, at);
        Ok(())
    }
}
