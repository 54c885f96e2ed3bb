//! Python's scopes for functions inside functions (CPython's `symtable.c`, for the
//! subset): which names a function binds, which it takes from the functions around it
//! (its free variables) and which of its own the functions inside it take (its cell
//! variables). A `def`, a `lambda` and a comprehension are each a scope; the module's
//! names are globals, never cells.

use crate::ast::*;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::vec::Vec;

/// What a function scope does with names.
#[derive(Debug, Default)]
pub struct Scope {
    /// Names it binds: parameters, assignment and loop targets, `del`, nested `def`s —
    /// less those declared `global` or `nonlocal`.
    pub bound: BTreeSet<String>,
    pub globals: BTreeSet<String>,
    /// Each name declared `nonlocal`, with the line and width of its first declaration.
    pub nonlocals: BTreeMap<String, (u32, u32)>,
    /// Names it reads (or writes) that it does not bind: found in an enclosing function,
    /// or else global.
    pub free: BTreeSet<String>,
    /// The free names of the scopes directly inside it.
    pub inner_free: BTreeSet<String>,
}

impl Scope {
    /// Its names that a scope inside it uses: CPython's cell variables.
    pub fn cells(&self) -> impl Iterator<Item = &String> {
        self.bound.intersection(&self.inner_free)
    }
}

/// Names used and bound while walking one scope.
#[derive(Default)]
struct Walk {
    used: BTreeSet<String>,
    bound: BTreeSet<String>,
    globals: BTreeSet<String>,
    nonlocals: BTreeMap<String, (u32, u32)>,
    inner_free: BTreeSet<String>,
}

impl Walk {
    fn finish(mut self) -> Scope {
        for g in &self.globals {
            self.bound.remove(g);
        }
        for n in self.nonlocals.keys() {
            self.bound.remove(n);
        }
        let mut free: BTreeSet<String> = self
            .used
            .iter()
            .chain(&self.inner_free)
            .filter(|n| !self.bound.contains(*n) && !self.globals.contains(*n))
            .cloned()
            .collect();
        free.extend(self.nonlocals.keys().cloned());
        Scope {
            bound: self.bound,
            globals: self.globals,
            nonlocals: self.nonlocals,
            free,
            inner_free: self.inner_free,
        }
    }

    fn target(&mut self, t: &Target) {
        match t {
            Target::Name(n) => {
                self.bound.insert(n.clone());
            }
            Target::Item(e) => self.expr(e),
            Target::Tuple(ts) => ts.iter().for_each(|t| self.target(t)),
            Target::Star(t) => self.target(t),
        }
    }

    fn stmts(&mut self, body: &[Stmt]) {
        for s in body {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Def {
                name,
                params,
                defaults,
                body,
                decorators,
                ..
            } => {
                decorators.iter().for_each(|d| self.expr(d));
                defaults.iter().for_each(|d| self.expr(d));
                self.bound.insert(name.clone());
                self.inner_free.extend(of_def(params, body).free);
            }
            StmtKind::Global(names) => self.globals.extend(names.iter().cloned()),
            StmtKind::Nonlocal(names) => {
                let width = ("nonlocal ".len() + names.join(", ").len()) as u32;
                for n in names {
                    self.nonlocals.entry(n.clone()).or_insert((s.line, width));
                }
            }
            StmtKind::Assign {
                targets, values, ..
            } => {
                values.iter().for_each(|v| self.expr(v));
                targets.iter().for_each(|t| self.target(t));
            }
            StmtKind::AugAssign { target, value, .. } => {
                self.expr(value);
                if let Target::Name(n) = target {
                    self.used.insert(n.clone());
                }
                self.target(target);
            }
            StmtKind::Del(targets) => targets.iter().for_each(|(t, _)| self.target(t)),
            StmtKind::For {
                target,
                iter,
                body,
                orelse,
                ..
            } => {
                match iter {
                    Iterable::Range(args, _) => args.iter().for_each(|a| self.expr(a)),
                    Iterable::Expr(e) => self.expr(e),
                }
                self.target(target);
                self.stmts(body);
                self.stmts(orelse);
            }
            _ => {
                for e in stmt_exprs(s) {
                    self.expr(e);
                }
                for b in stmt_blocks(s) {
                    self.stmts(b);
                }
            }
        }
    }

    /// The names `e` reads in this scope; the scopes inside it (lambdas, comprehensions
    /// past their first iterable) add their free names to `inner_free`.
    fn expr(&mut self, e: &Expr) {
        let mut work = alloc::vec![e];
        while let Some(e) = work.pop() {
            match &e.kind {
                ExprKind::Name(n) => {
                    self.used.insert(n.clone());
                }
                ExprKind::Call { name, .. } => {
                    self.used.insert(name.clone());
                    work.extend(e.children());
                }
                ExprKind::Lambda {
                    params,
                    defaults,
                    body,
                    ..
                } => {
                    work.extend(defaults);
                    self.inner_free.extend(of_lambda(params, body).free);
                }
                ExprKind::Comp {
                    kind,
                    elt,
                    value,
                    clauses,
                } => {
                    if let Some(Clause::For(_, first)) = clauses.first() {
                        work.push(first);
                    }
                    let free = of_comprehension(elt, value.as_deref(), clauses).free;
                    // A generator runs later and reads them through their cells; a list,
                    // set or dict comprehension runs now and is passed their values (read
                    // here: no cells).
                    if *kind == CompKind::Gen {
                        self.inner_free.extend(free);
                    } else {
                        self.used.extend(free);
                    }
                }
                _ => work.extend(e.children()),
            }
        }
    }
}

/// The expressions a statement other than a def, assignment, `del` or `for` evaluates.
fn stmt_exprs(s: &Stmt) -> Vec<&Expr> {
    match &s.kind {
        StmtKind::Expr(e) | StmtKind::Return(Some(e)) => alloc::vec![e],
        StmtKind::If { cond, .. } | StmtKind::While { cond, .. } => alloc::vec![cond],
        StmtKind::Assert { test, msg, .. } => core::iter::once(test).chain(msg).collect(),
        StmtKind::Raise { exc, .. } => exc.iter().flat_map(|(_, a)| a.iter().flatten()).collect(),
        _ => Vec::new(),
    }
}

/// The blocks inside a statement other than a def or `for`.
fn stmt_blocks(s: &Stmt) -> Vec<&[Stmt]> {
    match &s.kind {
        StmtKind::If { body, orelse, .. } | StmtKind::While { body, orelse, .. } => {
            alloc::vec![body, orelse]
        }
        _ => Vec::new(),
    }
}

/// The scope of `def name(params): body`.
pub fn of_def(params: &[String], body: &[Stmt]) -> Scope {
    let mut w = Walk::default();
    w.bound.extend(params.iter().cloned());
    w.stmts(body);
    w.finish()
}

/// The scope of `lambda params: body`.
pub fn of_lambda(params: &[String], body: &Expr) -> Scope {
    let mut w = Walk::default();
    w.bound.extend(params.iter().cloned());
    w.expr(body);
    w.finish()
}

/// The scope of a comprehension (its first iterable is evaluated outside it).
pub fn of_comprehension(elt: &Expr, value: Option<&Expr>, clauses: &[Clause]) -> Scope {
    let mut w = Walk::default();
    for (i, c) in clauses.iter().enumerate() {
        match c {
            Clause::For(t, it) => {
                if i > 0 {
                    w.expr(it);
                }
                w.target(t);
            }
            Clause::If(x) => w.expr(x),
        }
    }
    w.expr(elt);
    if let Some(v) = value {
        w.expr(v);
    }
    w.finish()
}
