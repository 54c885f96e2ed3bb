//! The syntax tree of a minipy program.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

/// Binary operators (Python's spelling in `symbol()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    BitAnd,
    BitOr,
    BitXor,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "**",
            BinOp::LShift => "<<",
            BinOp::RShift => ">>",
            BinOp::BitAnd => "&",
            BinOp::BitOr => "|",
            BinOp::BitXor => "^",
        }
    }

    pub const ALL: [BinOp; 11] = [
        BinOp::Add,
        BinOp::Sub,
        BinOp::Mul,
        BinOp::FloorDiv,
        BinOp::Mod,
        BinOp::Pow,
        BinOp::LShift,
        BinOp::RShift,
        BinOp::BitAnd,
        BinOp::BitOr,
        BinOp::BitXor,
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
        }
    }

    pub const ALL: [CmpOp; 6] = [
        CmpOp::Lt,
        CmpOp::Le,
        CmpOp::Gt,
        CmpOp::Ge,
        CmpOp::Eq,
        CmpOp::Ne,
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Pos,
    Invert,
    Not,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub line: u32,
    /// 1-based, in UTF-8 bytes.
    pub col: u32,
    /// Where it ends: the line of its last token and the 0-based byte offset just past that
    /// token (CPython's `end_lineno` and `end_col_offset`; parentheses around it are not
    /// part of it).
    pub end_line: u32,
    pub end_col: u32,
}

impl Expr {
    /// Its direct sub-expressions (a comprehension's clauses' too; subscripts inside
    /// targets are not expressions of it).
    pub fn children(&self) -> Vec<&Expr> {
        let mut out: Vec<&Expr> = Vec::new();
        match &self.kind {
            ExprKind::Int(_)
            | ExprKind::Bool(_)
            | ExprKind::None
            | ExprKind::Str(_)
            | ExprKind::Name(_) => {}
            ExprKind::Unary(_, a) => out.push(a),
            ExprKind::Binary(_, a, b)
            | ExprKind::And(a, b)
            | ExprKind::Or(a, b)
            | ExprKind::Subscript(a, b)
            | ExprKind::In(a, b, _)
            | ExprKind::Is(a, b, _) => out.extend([&**a, &**b]),
            ExprKind::Compare(a, rest) => {
                out.push(a);
                out.extend(rest.iter().map(|(_, e)| e));
            }
            ExprKind::IfExp { cond, then, els } => out.extend([&**cond, &**then, &**els]),
            ExprKind::Call { args, kwargs, .. } => {
                out.extend(args);
                out.extend(kwargs.iter().map(|k| &k.value));
            }
            ExprKind::Method {
                obj, args, kwargs, ..
            } => {
                out.push(obj);
                out.extend(args);
                out.extend(kwargs.iter().map(|k| &k.value));
            }
            ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) => out.extend(xs),
            ExprKind::FString(ps) => {
                for p in ps {
                    if let FPiece::Field(e, _, spec) = p {
                        out.push(e);
                        out.extend(spec.iter().filter_map(|p| match p {
                            FPiece::Field(e, ..) => Some(&**e),
                            FPiece::Lit(_) => None,
                        }));
                    }
                }
            }
            ExprKind::Dict(kvs) => kvs.iter().for_each(|(k, v)| {
                out.extend(k);
                out.push(v);
            }),
            ExprKind::Slice(a, b, c) => out.extend([a, b, c].into_iter().flatten().map(|e| &**e)),
            ExprKind::Lambda { defaults, body, .. } => {
                out.extend(defaults);
                out.push(body);
            }
            ExprKind::CallValue { func, args, kwargs } => {
                out.push(func);
                out.extend(args);
                out.extend(kwargs.iter().map(|k| &k.value));
            }
            ExprKind::Starred(x) | ExprKind::Attr(x, _) => out.push(x),
            ExprKind::Comp {
                elt,
                value,
                clauses,
                ..
            } => {
                out.push(elt);
                out.extend(value.as_deref());
                for c in clauses {
                    match c {
                        Clause::For(_, e) | Clause::If(e) => out.push(e),
                    }
                }
            }
        }
        out
    }

    /// Where it is in the source.
    pub fn span(&self) -> Span {
        Span {
            line: self.line,
            col: self.col.saturating_sub(1),
            end_line: self.end_line,
            end_col: self.end_col,
        }
    }
}

/// A stretch of source as CPython's AST locates a node: 1-based lines, 0-based UTF-8 byte
/// columns, the end exclusive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    pub line: u32,
    pub col: u32,
    pub end_line: u32,
    pub end_col: u32,
}

/// An int literal's value.
#[derive(Clone, Debug, PartialEq)]
pub enum IntLit {
    Small(i64),
    /// Past 64 bits.
    Big(num_bigint::BigInt),
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Int(IntLit),
    Bool(bool),
    None,
    Str(String),
    Name(String),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `a < b <= c`: the first operand and each (operator, operand) after it.
    Compare(Box<Expr>, Vec<(CmpOp, Expr)>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    /// `a if cond else b`
    IfExp {
        cond: Box<Expr>,
        then: Box<Expr>,
        els: Box<Expr>,
    },
    Call {
        name: String,
        args: Vec<Expr>,
        /// `name=value` arguments, in the order written (only print takes any).
        kwargs: Vec<Keyword>,
    },
    List(Vec<Expr>),
    Tuple(Vec<Expr>),
    /// An f-string's pieces.
    FString(Vec<FPiece>),
    /// `{k: v, …}`.
    /// Key-value pairs and (a None key) `**mapping`s, in order.
    Dict(Vec<(Option<Expr>, Expr)>),
    /// `{a, b, …}`.
    Set(Vec<Expr>),
    /// `*x` among a call's arguments: x's values as arguments.
    Starred(Box<Expr>),
    /// `obj.name` not called there: a method as a value (bound to obj, or of a type).
    Attr(Box<Expr>, String),
    /// `f(args…)` of any value but a name (`make(3)(4)`, `fs[i](x)`).
    CallValue {
        func: Box<Expr>,
        args: Vec<Expr>,
        kwargs: Vec<Keyword>,
    },
    /// `lambda params: body` (defaults for the last parameters, in order; `shape` as a
    /// def's).
    Lambda {
        params: Vec<String>,
        defaults: Vec<Expr>,
        shape: ParamShape,
        body: Box<Expr>,
    },
    /// `value[index]`; the index may be a [`ExprKind::Slice`].
    Subscript(Box<Expr>, Box<Expr>),
    /// `lo:hi:step` inside a subscript (each part may be left out).
    Slice(Option<Box<Expr>>, Option<Box<Expr>>, Option<Box<Expr>>),
    /// `obj.name(args…)`.
    Method {
        obj: Box<Expr>,
        name: String,
        args: Vec<Expr>,
        kwargs: Vec<Keyword>,
    },
    /// `x in c` (`not in` when the flag is set).
    In(Box<Expr>, Box<Expr>, bool),
    /// `x is y` (`is not` when the flag is set).
    Is(Box<Expr>, Box<Expr>, bool),
    /// `[elt for … in … if …]`, `(elt for …)` and the like: the element and the
    /// `for`/`if` clauses in order.
    Comp {
        kind: CompKind,
        /// The element (a dict comprehension's key).
        elt: Box<Expr>,
        /// A dict comprehension's value.
        value: Option<Box<Expr>>,
        clauses: Vec<Clause>,
    },
}

/// A piece of an f-string: literal text, or `{expr!conv:spec}` (the spec's own pieces:
/// text and, one level deep, fields).
#[derive(Clone, Debug, PartialEq)]
pub enum FPiece {
    Lit(String),
    Field(Box<Expr>, Option<char>, Vec<FPiece>),
}

/// What a comprehension makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompKind {
    List,
    Dict,
    Set,
    /// A generator expression (a generator: runs as it is pulled).
    Gen,
}

/// A comprehension's `for target in iter` or `if cond`.
#[derive(Clone, Debug, PartialEq)]
pub enum Clause {
    For(Target, Expr),
    If(Expr),
}

/// What an assignment, a `for` or a `del` binds: a name, an item of a container, or a
/// tuple of targets (`a, (b, c)`).
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    Name(String),
    /// `value[index]` (the index may be a slice), with the subscript expression itself.
    Item(Box<Expr>),
    Tuple(Vec<Target>),
    /// `*rest` inside a tuple target: the values left over, as a list.
    Star(Box<Target>),
}

impl Target {
    /// The names it binds, in order.
    pub fn names(&self) -> alloc::vec::Vec<&String> {
        let mut out = Vec::new();
        fn walk<'a>(t: &'a Target, out: &mut Vec<&'a String>) {
            match t {
                Target::Name(n) => out.push(n),
                Target::Item(_) => {}
                Target::Tuple(ts) => ts.iter().for_each(|t| walk(t, out)),
                Target::Star(t) => walk(t, out),
            }
        }
        walk(self, &mut out);
        out
    }
}

/// What a `for` loops over.
#[derive(Clone, Debug, PartialEq)]
pub enum Iterable {
    /// `range(args)` (a counting loop), with the call's span.
    Range(Vec<Expr>, Span),
    /// Any other iterable.
    Expr(Expr),
}

/// A keyword argument `name=value` (`span`: all of it).
#[derive(Clone, Debug, PartialEq)]
pub struct Keyword {
    pub name: String,
    pub value: Expr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    Expr(Expr),
    /// `t1 = t2 = … = value`; `values` has one expression or (for `a, b = x, y`) several.
    Assign {
        targets: Vec<Target>,
        values: Vec<Expr>,
        /// The values were written with a comma (`x = 5,`): a tuple, even of one.
        tuple: bool,
        /// Where each target is (a tuple's span runs through a trailing comma).
        spans: Vec<Span>,
    },
    AugAssign {
        /// A name or an item.
        target: Target,
        op: BinOp,
        value: Expr,
        /// The whole statement, where CPython places the operation.
        span: Span,
    },
    If {
        cond: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    While {
        cond: Expr,
        body: Vec<Stmt>,
        /// `while … else`: runs when the test fails (not after a `break`).
        orelse: Vec<Stmt>,
    },
    For {
        target: Target,
        /// Where `target` is.
        target_span: Span,
        iter: Iterable,
        body: Vec<Stmt>,
        /// `for … else`: runs when the range is exhausted (not after a `break`).
        orelse: Vec<Stmt>,
    },
    /// `raise`, `raise NAME`, `raise NAME(args)`: a builtin exception by its name (the
    /// name and, called, its arguments; None: a bare `raise`).
    Raise {
        exc: Option<(String, Option<Vec<Expr>>)>,
        /// The whole statement.
        span: Span,
    },
    /// `assert test` / `assert test, msg`.
    Assert {
        test: Expr,
        msg: Option<Expr>,
        /// The whole statement.
        span: Span,
    },
    Def {
        name: String,
        /// The positional parameters, the keyword-only ones, `*args`, `**kwargs` (the
        /// order of CPython's `co_varnames`; [`ParamShape`] says how many of each).
        params: Vec<String>,
        /// Default values, in the order they are evaluated: the last positional
        /// parameters', then the keyword-only ones' that have one.
        defaults: Vec<Expr>,
        shape: ParamShape,
        body: Vec<Stmt>,
        /// `@decorator` expressions above it, top first: evaluated before the function is
        /// made, then applied from the bottom up.
        decorators: Vec<Expr>,
    },
    Return(Option<Expr>),
    Global(Vec<String>),
    Nonlocal(Vec<String>),
    /// `del a, x[i]`: each target with its span.
    Del(Vec<(Target, Span)>),
    /// `import sys` (the one module of the subset; at module level).
    ImportSys,
    Pass,
    Break,
    Continue,
}

/// How a parameter list goes beyond plain positional names (all zero: it does not).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ParamShape {
    /// Keyword-only parameters (after `*` or `*args`), after the positional ones.
    pub kwonly: u32,
    /// Which keyword-only parameters have a default (bit i: the i-th).
    pub kw_defaults: u64,
    /// `*args`: the parameter after the keyword-only ones.
    pub varargs: bool,
    /// `**kwargs`: the last parameter.
    pub varkw: bool,
}

impl ParamShape {
    /// Whether there is anything but positional parameters.
    pub fn extra(&self) -> bool {
        self.kwonly > 0 || self.varargs || self.varkw
    }

    /// Parameters past the positional ones: keyword-only, `*args`, `**kwargs`.
    pub fn extra_slots(&self) -> u32 {
        self.kwonly + u32::from(self.varargs) + u32::from(self.varkw)
    }
}
