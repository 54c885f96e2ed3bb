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
    /// `t1 = t2 = … = value`; each target is a name or a tuple of names, and `values` has
    /// one expression or (for `a, b = x, y`) several.
    Assign {
        targets: Vec<Vec<String>>,
        values: Vec<Expr>,
        /// The values were written with a comma (`x = 5,`): a tuple, even of one.
        tuple: bool,
        /// Where each target is (a tuple's span runs through a trailing comma).
        spans: Vec<Span>,
    },
    AugAssign {
        target: String,
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
        var: String,
        args: Vec<Expr>,
        body: Vec<Stmt>,
        /// The `range(…)` call.
        range: Span,
        /// `for … else`: runs when the range is exhausted (not after a `break`).
        orelse: Vec<Stmt>,
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
        params: Vec<String>,
        /// Default values of the last parameters (constants), in order.
        defaults: Vec<Expr>,
        body: Vec<Stmt>,
    },
    Return(Option<Expr>),
    Global(Vec<String>),
    /// `del a, b`: each name with its span.
    Del(Vec<(String, Span)>),
    /// `import sys` (the one module of the subset; at module level).
    ImportSys,
    Pass,
    Break,
    Continue,
}
