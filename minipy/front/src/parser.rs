//! Recursive descent over the token stream, Python's grammar restricted to the subset;
//! everything else is a SyntaxError that names the construct.

use crate::ast::*;
use crate::error::{CompileErrorClass, SyntaxError};
use crate::lexer::{FPart, Tok, Token, tokenize_brackets};
use crate::names::{
    DICT_METHODS, INT_METHODS, LIST_METHODS, MORE_STR_METHODS, SET_METHODS, STR_METHODS,
};
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use alloc::{format, vec};

/// Parses a whole file.
pub fn parse(src: &str) -> Result<Vec<Stmt>, SyntaxError> {
    let (toks, unclosed) = tokenize_brackets(src)?;
    let last = toks.len().saturating_sub(2);
    let mut p = Parser {
        toks,
        i: 0,
        in_def: false,
        loops: 0,
        nest: 0,
        discount: None,
    };
    let mut out = Vec::new();
    while p.peek() != &Tok::Eof {
        if p.peek() == &Tok::Newline {
            p.i += 1;
            continue;
        }
        match p.statement() {
            Ok(s) => out.extend(s),
            // A bracket open at the end of the file, and the parser ran into the end.
            Err(e) => match unclosed {
                Some(u) if p.i >= last => return Err(u),
                _ => return Err(e),
            },
        }
    }
    if let Some(u) = unclosed {
        return Err(u);
    }
    // After the whole file, as CPython compiles after parsing it all.
    check_depth(&out)?;
    Ok(out)
}

/// CPython's parser gives up (MemoryError) past this many levels of its own recursion, of
/// which a statement at the top uses about 32 before its expression starts.
const PARSER_STACK: usize = 6000 - 32;

/// CPython's compiler raises RecursionError past this depth of syntax-tree nesting
/// (statements and expressions; its recursion limit of 1,000 times 3).
pub const MAX_DEPTH: usize = 3000;

/// Nesting deeper than CPython compiles is its RecursionError, never a stack overflow here:
/// the depth of every node, counted as CPython's syntax tree nests (a statement at the top
/// is 1; a block's statements, an expression's operands one deeper; `a and b and c` is one
/// node), walked with an explicit stack — a 27,000-term sum is a left-deep tree.
fn check_depth(stmts: &[Stmt]) -> PResult<()> {
    enum Node<'a> {
        S(&'a Stmt),
        E(&'a Expr),
    }
    let mut work: Vec<(Node, usize)> = stmts.iter().map(|s| (Node::S(s), 1)).collect();
    while let Some((node, d)) = work.pop() {
        let (line, col) = match &node {
            Node::S(s) => (s.line, 1),
            Node::E(e) => (e.line, e.col),
        };
        if d > MAX_DEPTH {
            return Err(SyntaxError::too_deep(line, col));
        }
        match node {
            Node::S(s) => {
                match &s.kind {
                    StmtKind::Expr(e) | StmtKind::AugAssign { value: e, .. } => {
                        work.push((Node::E(e), d + 1));
                    }
                    StmtKind::Return(e) => work.extend(e.iter().map(|e| (Node::E(e), d + 1))),
                    StmtKind::Del(_) => {}
                    StmtKind::Assign { values, .. } => {
                        work.extend(values.iter().map(|e| (Node::E(e), d + 1)));
                    }
                    StmtKind::If { cond, body, orelse } => {
                        work.push((Node::E(cond), d + 1));
                        work.extend(body.iter().chain(orelse).map(|s| (Node::S(s), d + 1)));
                    }
                    StmtKind::While { cond, body, orelse } => {
                        work.push((Node::E(cond), d + 1));
                        work.extend(body.iter().chain(orelse).map(|s| (Node::S(s), d + 1)));
                    }
                    // A call of range: its arguments one deeper.
                    StmtKind::For {
                        iter, body, orelse, ..
                    } => {
                        match iter {
                            Iterable::Range(args, _) => {
                                work.extend(args.iter().map(|e| (Node::E(e), d + 2)))
                            }
                            Iterable::Expr(e) => work.push((Node::E(e), d + 1)),
                        }
                        work.extend(body.iter().chain(orelse).map(|s| (Node::S(s), d + 1)));
                    }
                    StmtKind::Raise { exc, .. } => {
                        let args = exc.iter().flat_map(|(_, a)| a.iter().flatten());
                        work.extend(args.map(|e| (Node::E(e), d + 2)));
                    }
                    StmtKind::Assert { test, msg, .. } => {
                        work.extend(
                            core::iter::once(test)
                                .chain(msg)
                                .map(|e| (Node::E(e), d + 1)),
                        );
                    }
                    StmtKind::Def {
                        body, decorators, ..
                    } => {
                        work.extend(decorators.iter().map(|e| (Node::E(e), d + 1)));
                        work.extend(body.iter().map(|s| (Node::S(s), d + 1)));
                    }
                    StmtKind::Global(_)
                    | StmtKind::Nonlocal(_)
                    | StmtKind::ImportSys
                    | StmtKind::Pass
                    | StmtKind::Break
                    | StmtKind::Continue => {}
                }
            }
            Node::E(e) => match &e.kind {
                ExprKind::Int(_)
                | ExprKind::Bool(_)
                | ExprKind::None
                | ExprKind::Str(_)
                | ExprKind::Name(_) => {}
                ExprKind::Unary(_, a) => work.push((Node::E(a), d + 1)),
                ExprKind::Binary(_, a, b) => {
                    work.push((Node::E(a), d + 1));
                    work.push((Node::E(b), d + 1));
                }
                ExprKind::Compare(a, rest) => {
                    work.push((Node::E(a), d + 1));
                    work.extend(rest.iter().map(|(_, e)| (Node::E(e), d + 1)));
                }
                // `a and b and c` is one BoolOp in CPython: a chain of the same operator
                // (left-nested here) stays at this depth.
                ExprKind::And(a, b) => {
                    let same = matches!(a.kind, ExprKind::And(..));
                    work.push((Node::E(a), if same { d } else { d + 1 }));
                    work.push((Node::E(b), d + 1));
                }
                ExprKind::Or(a, b) => {
                    let same = matches!(a.kind, ExprKind::Or(..));
                    work.push((Node::E(a), if same { d } else { d + 1 }));
                    work.push((Node::E(b), d + 1));
                }
                ExprKind::IfExp { cond, then, els } => {
                    work.extend([cond, then, els].map(|e| (Node::E(e), d + 1)));
                }
                ExprKind::Call { args, kwargs, .. } => {
                    work.extend(args.iter().map(|e| (Node::E(e), d + 1)));
                    work.extend(kwargs.iter().map(|k| (Node::E(&k.value), d + 1)));
                }
                ExprKind::Method {
                    obj, args, kwargs, ..
                } => {
                    // The attribute is a node of its own around the object.
                    work.push((Node::E(obj), d + 2));
                    work.extend(args.iter().map(|e| (Node::E(e), d + 1)));
                    work.extend(kwargs.iter().map(|k| (Node::E(&k.value), d + 1)));
                }
                ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) => {
                    work.extend(xs.iter().map(|e| (Node::E(e), d + 1)));
                }
                ExprKind::FString(_) => {
                    work.extend(e.children().into_iter().map(|e| (Node::E(e), d + 2)));
                }
                ExprKind::Dict(kvs) => {
                    for (k, v) in kvs {
                        work.extend(k.iter().map(|k| (Node::E(k), d + 1)));
                        work.push((Node::E(v), d + 1));
                    }
                }
                ExprKind::Subscript(a, b) | ExprKind::In(a, b, _) | ExprKind::Is(a, b, _) => {
                    work.push((Node::E(a), d + 1));
                    work.push((Node::E(b), d + 1));
                }
                ExprKind::Slice(a, b, c) => {
                    work.extend([a, b, c].into_iter().flatten().map(|e| (Node::E(e), d + 1)));
                }
                ExprKind::Lambda { defaults, body, .. } => {
                    work.extend(defaults.iter().map(|e| (Node::E(e), d + 1)));
                    work.push((Node::E(body), d + 1));
                }
                ExprKind::CallValue { func, args, kwargs } => {
                    work.push((Node::E(func), d + 1));
                    work.extend(args.iter().map(|e| (Node::E(e), d + 1)));
                    work.extend(kwargs.iter().map(|k| (Node::E(&k.value), d + 1)));
                }
                ExprKind::Starred(x) | ExprKind::Attr(x, _) => work.push((Node::E(x), d + 1)),
                ExprKind::Comp {
                    elt,
                    value,
                    clauses,
                    ..
                } => {
                    work.push((Node::E(elt), d + 1));
                    work.extend(value.iter().map(|v| (Node::E(v), d + 1)));
                    for c in clauses {
                        match c {
                            Clause::For(_, e) | Clause::If(e) => work.push((Node::E(e), d + 2)),
                        }
                    }
                }
            },
        }
    }
    Ok(())
}

const KEYWORDS_OUTSIDE: [&str; 15] = [
    "class", "import", "from", "try", "except", "finally", "with", "yield", "async", "await",
    "raise", "in", "is", "as", "match",
];

/// Every public attribute of CPython's str, list, tuple, int, bool, range, None, function,
/// dict, set, float and bytes: a method call by another name is an AttributeError whatever
/// the object (minipy raises it at run time); one of these minipy lacks is a subset error.
const CPYTHON_ATTRIBUTES: [&str; 93] = [
    "add",
    "append",
    "as_integer_ratio",
    "bit_count",
    "bit_length",
    "capitalize",
    "casefold",
    "center",
    "clear",
    "conjugate",
    "copy",
    "count",
    "decode",
    "denominator",
    "difference",
    "difference_update",
    "discard",
    "encode",
    "endswith",
    "expandtabs",
    "extend",
    "find",
    "format",
    "format_map",
    "from_bytes",
    "fromhex",
    "fromkeys",
    "get",
    "hex",
    "imag",
    "index",
    "insert",
    "intersection",
    "intersection_update",
    "is_integer",
    "isalnum",
    "isalpha",
    "isascii",
    "isdecimal",
    "isdigit",
    "isdisjoint",
    "isidentifier",
    "islower",
    "isnumeric",
    "isprintable",
    "isspace",
    "issubset",
    "issuperset",
    "istitle",
    "isupper",
    "items",
    "join",
    "keys",
    "ljust",
    "lower",
    "lstrip",
    "maketrans",
    "numerator",
    "partition",
    "pop",
    "popitem",
    "real",
    "remove",
    "removeprefix",
    "removesuffix",
    "replace",
    "reverse",
    "rfind",
    "rindex",
    "rjust",
    "rpartition",
    "rsplit",
    "rstrip",
    "setdefault",
    "sort",
    "split",
    "splitlines",
    "start",
    "startswith",
    "step",
    "stop",
    "strip",
    "swapcase",
    "symmetric_difference",
    "symmetric_difference_update",
    "title",
    "to_bytes",
    "translate",
    "union",
    "update",
    "upper",
    "values",
    "zfill",
];

struct Parser {
    toks: Vec<Token>,
    i: usize,
    in_def: bool,
    loops: usize,
    /// How deep the expression parser has recursed (unary operators, `**`, `if`-`else`,
    /// parentheses, arguments): bounded by [`PARSER_STACK`], so that no input overflows the
    /// machine stack before [`check_depth`] measures the tree.
    nest: usize,
    /// (token, levels): a group or call starting at that token costs CPython's parser that
    /// many levels less (see [`Parser::bracket_cost`]).
    discount: Option<(usize, usize)>,
}

type PResult<T> = Result<T, SyntaxError>;

fn is_keyword(s: &str) -> bool {
    matches!(
        s,
        "False"
            | "None"
            | "True"
            | "and"
            | "or"
            | "not"
            | "if"
            | "elif"
            | "else"
            | "while"
            | "for"
            | "def"
            | "return"
            | "global"
            | "nonlocal"
            | "lambda"
            | "pass"
            | "break"
            | "continue"
            | "assert"
            | "del"
    ) || KEYWORDS_OUTSIDE.contains(&s)
}

/// The augmented assignment operators.
const AUG_OPS: [&str; 11] = [
    "+=", "-=", "*=", "//=", "%=", "**=", "<<=", ">>=", "&=", "|=", "^=",
];

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.i].tok
    }

    fn tok(&self) -> &Token {
        &self.toks[self.i]
    }

    /// Where the next token starts (line, 1-based column): where a compound expression
    /// parsed from here starts, parentheses around its first operand included.
    fn start(&self) -> (u32, u32) {
        (self.tok().line, self.tok().col)
    }

    /// From token `start` through the last token taken.
    fn span_from(&self, start: usize) -> Span {
        let t = &self.toks[start];
        let (end_line, end_col) = self.end();
        Span {
            line: t.line,
            col: t.col - 1,
            end_line,
            end_col,
        }
    }

    /// Where the last token taken ends (line, 0-based byte offset past it).
    fn end(&self) -> (u32, u32) {
        let t = &self.toks[self.i.saturating_sub(1)];
        (t.end_line, t.end_col)
    }

    fn err<T>(&self, msg: impl Into<String>) -> PResult<T> {
        self.err_at(self.i, msg)
    }

    /// An error at token `i`.
    fn err_at<T>(&self, i: usize, msg: impl Into<String>) -> PResult<T> {
        let t = &self.toks[i];
        Err(SyntaxError {
            span: 1,
            line: t.line,
            col: t.col,
            msg: msg.into(),
            class: CompileErrorClass::Syntax,
        })
    }

    /// An error with CPython's carets under all of token `i`.
    fn err_token<T>(&self, i: usize, msg: impl Into<String>) -> PResult<T> {
        let t = &self.toks[i];
        let end = if t.end_line == t.line {
            t.end_col + 1
        } else {
            t.col + 1
        };
        self.err_over(i, end, msg)
    }

    /// An error with CPython's carets under tokens `start` up to column `end_col`.
    fn err_over<T>(&self, start: usize, end_col: u32, msg: impl Into<String>) -> PResult<T> {
        let t = &self.toks[start];
        Err(SyntaxError {
            span: end_col.saturating_sub(t.col).max(1),
            line: t.line,
            col: t.col,
            msg: msg.into(),
            class: CompileErrorClass::Syntax,
        })
    }

    /// The column where the simple statement starting at token `from` ends (its `;` or line
    /// break).
    fn statement_end_col(&self, from: usize) -> u32 {
        let line = self.toks[from].line;
        self.toks[from..]
            .iter()
            .find(|t| t.line != line || matches!(t.tok, Tok::Newline | Tok::Eof | Tok::Op(";")))
            .filter(|t| t.line == line)
            .map_or(self.toks[from].col + 1, |t| t.col)
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }

    fn is_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Tok::Name(n) if n == kw)
    }

    fn eat_op(&mut self, op: &str) -> bool {
        if self.is_op(op) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        if self.is_kw(kw) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn expect_op(&mut self, op: &str) -> PResult<()> {
        if self.eat_op(op) {
            Ok(())
        } else {
            self.err(format!("expected '{op}'"))
        }
    }

    /// A name a `for`, `def` or parameter binds: any but `sys` (the subset reads the module
    /// only as `sys.argv` and `sys.exit`; another value under that name would be ignored).
    fn binding_name(&mut self) -> PResult<String> {
        if matches!(self.peek(), Tok::Name(n) if n == "sys") {
            return self.err(
                "binding the name 'sys' to anything but the module is outside the minipy subset",
            );
        }
        self.name()
    }

    fn name(&mut self) -> PResult<String> {
        match self.peek().clone() {
            Tok::Name(n) if !is_keyword(&n) => {
                self.i += 1;
                Ok(n)
            }
            _ => self.err("invalid syntax (expected a name)"),
        }
    }

    fn newline(&mut self) -> PResult<()> {
        match self.peek() {
            Tok::Newline => {
                self.i += 1;
                Ok(())
            }
            Tok::Eof => Ok(()),
            _ => self.err("invalid syntax"),
        }
    }

    fn statement(&mut self) -> PResult<Vec<Stmt>> {
        let line = self.tok().line;
        if self.peek() == &Tok::Indent {
            let mut e = self.err::<()>("unexpected indent").unwrap_err();
            e.class = CompileErrorClass::Indentation;
            return Err(e);
        }
        if let Tok::Name(kw) = self.peek().clone() {
            match kw.as_str() {
                "if" => return Ok(vec![self.if_stmt()?]),
                "while" => {
                    self.i += 1;
                    let cond = self.expr()?;
                    let body = self.loop_body("'while' statement", line)?;
                    let orelse = self.loop_else()?;
                    return Ok(vec![Stmt {
                        kind: StmtKind::While { cond, body, orelse },
                        line,
                    }]);
                }
                "for" => return Ok(vec![self.for_stmt()?]),
                "def" => return Ok(vec![self.def_stmt()?]),
                "import" => {
                    let stmt = self.import_sys()?;
                    self.newline()?;
                    return Ok(vec![stmt]);
                }
                k if k != "raise" && KEYWORDS_OUTSIDE.contains(&k) => {
                    return self.err(format!("the '{k}' statement is outside the minipy subset"));
                }
                _ => {}
            }
        }
        if self.is_op("@") {
            // Decorators, each on its own line, then the def they apply to.
            let mut decorators = Vec::new();
            while self.eat_op("@") {
                decorators.push(self.expr()?);
                self.newline()?;
            }
            if !self.is_kw("def") {
                if self.is_kw("class") {
                    return self.err("the 'class' statement is outside the minipy subset");
                }
                return self.err("invalid syntax");
            }
            let mut def = self.def_stmt()?;
            if let StmtKind::Def { decorators: d, .. } = &mut def.kind {
                *d = decorators;
            }
            return Ok(vec![def]);
        }
        // Simple statements separated by ';'.
        let mut out = vec![self.simple()?];
        while self.eat_op(";") {
            if matches!(self.peek(), Tok::Newline | Tok::Eof) {
                break;
            }
            out.push(self.simple()?);
        }
        self.newline()?;
        Ok(out)
    }

    /// `import sys`, at module level: the subset's one module (for `sys.argv` and
    /// `sys.exit`, so that one file runs under CPython and minipy alike).
    fn import_sys(&mut self) -> PResult<Stmt> {
        let line = self.tok().line;
        self.i += 1;
        if self.in_def {
            return self.err("'import' inside a function is outside the minipy subset");
        }
        let name = self.name()?;
        if name != "sys" || !matches!(self.peek(), Tok::Newline | Tok::Eof) {
            return self.err("'import' of any module but sys is outside the minipy subset");
        }
        Ok(Stmt {
            kind: StmtKind::ImportSys,
            line,
        })
    }

    /// After `sys`: `.exit(…)`, `.setrecursionlimit(…)`, `.getrecursionlimit()`,
    /// `.argv[i]` or `.argv`, `.stdin` and its methods, `.stdout`'s, as calls of the
    /// pseudo-builtins `sys.exit`, `sys.setrecursionlimit`, `sys.getrecursionlimit`,
    /// `sys.argv[]`, `sys.argv`, `sys.stdin`, `sys.stdin.read` … .
    fn sys_attribute(&mut self) -> PResult<ExprKind> {
        const OUTSIDE: &str = "the module sys is outside the minipy subset except as sys.argv, \
             sys.exit, sys.setrecursionlimit/getrecursionlimit, sys.stdin (iterated, read, \
             readline, readlines), sys.stdout and sys.stderr (write, flush, print's file=)";
        if !self.eat_op(".") {
            return self.err(OUTSIDE);
        }
        let start = self.i;
        match self.name()?.as_str() {
            name @ ("exit" | "setrecursionlimit" | "getrecursionlimit") => {
                if !self.eat_op("(") {
                    return self.err(format!(
                        "sys.{name} other than called is outside the minipy subset"
                    ));
                }
                self.sys_call_args(start, format!("sys.{name}"))
            }
            stream @ ("stdin" | "stdout" | "stderr") => {
                // `sys.stdin` alone is its lines' iterator; its methods, and sys.stdout's,
                // are calls of pseudo-builtins named for them.
                if !self.is_op(".") {
                    return Ok(ExprKind::Call {
                        name: format!("sys.{stream}"),
                        args: Vec::new(),
                        kwargs: Vec::new(),
                    });
                }
                let methods: &[&str] = if stream == "stdin" {
                    &["read", "readline", "readlines"]
                } else {
                    &["write", "flush"]
                };
                if !self.eat_op(".") {
                    return self.err(OUTSIDE);
                }
                let method = self.name()?;
                if !methods.contains(&method.as_str()) || !self.eat_op("(") {
                    return self.err(OUTSIDE);
                }
                self.sys_call_args(start, format!("sys.{stream}.{method}"))
            }
            "argv" => {
                // `sys.argv[i]` (which `int()` of may be compiled), else `sys.argv` as a
                // list, whatever follows it (a slice, a method) read as of any value.
                let whole = ExprKind::Call {
                    name: "sys.argv".into(),
                    args: Vec::new(),
                    kwargs: Vec::new(),
                };
                let bracket = self.i;
                if !self.eat_op("[") || self.is_op(":") {
                    self.i = bracket;
                    return Ok(whole);
                }
                let index = self.nested(1, Self::expr)?;
                if !self.is_op("]") {
                    self.i = bracket;
                    return Ok(whole);
                }
                self.i += 1;
                Ok(ExprKind::Call {
                    name: "sys.argv[]".into(),
                    args: vec![index],
                    kwargs: Vec::new(),
                })
            }
            _ => self.err(OUTSIDE),
        }
    }

    /// After `sys.name(` (its first name at token `start`): the arguments, as a call of the
    /// pseudo-builtin `name`.
    fn sys_call_args(&mut self, start: usize, name: String) -> PResult<ExprKind> {
        let cost = self.bracket_cost(start, 23);
        let (args, kwargs) = self.nested(cost, Self::call_args)?;
        Ok(ExprKind::Call { name, args, kwargs })
    }

    /// What `raise` raises: a name, or a call of one with positional arguments (whether
    /// the name is a builtin exception the compiler decides: it knows what is bound).
    fn raised(&mut self) -> PResult<(String, Option<Vec<Expr>>)> {
        const OUTSIDE: &str =
            "raising anything but a builtin exception by its name is outside the minipy subset";
        let at = self.i;
        let e = self.expr()?;
        if self.is_kw("from") {
            return self.err("'raise … from' is outside the minipy subset");
        }
        match e.kind {
            ExprKind::Name(n) => Ok((n, None)),
            ExprKind::Call { name, args, kwargs }
                if kwargs.is_empty()
                    && !args.iter().any(|a| matches!(a.kind, ExprKind::Starred(_))) =>
            {
                Ok((name, Some(args)))
            }
            _ => self.err_at(at, OUTSIDE),
        }
    }

    fn simple(&mut self) -> PResult<Stmt> {
        let line = self.tok().line;
        let start = self.i;
        let kind = if self.eat_kw("pass") {
            StmtKind::Pass
        } else if self.eat_kw("assert") {
            let test = self.expr()?;
            let msg = if self.eat_op(",") {
                Some(self.expr()?)
            } else {
                None
            };
            StmtKind::Assert {
                test,
                msg,
                span: self.span_from(start),
            }
        } else if self.eat_kw("raise") {
            let exc = if matches!(self.peek(), Tok::Newline | Tok::Eof) || self.is_op(";") {
                None
            } else {
                Some(self.raised()?)
            };
            StmtKind::Raise {
                exc,
                span: self.span_from(start),
            }
        } else if self.is_kw("break") || self.is_kw("continue") {
            if self.loops == 0 {
                let what = if self.is_kw("break") {
                    "break"
                } else {
                    "continue"
                };
                let end = self.statement_end_col(self.i);
                return self.err_over(self.i, end, format!("'{what}' outside loop"));
            }
            if self.eat_kw("break") {
                StmtKind::Break
            } else {
                self.i += 1;
                StmtKind::Continue
            }
        } else if self.is_kw("return") {
            if !self.in_def {
                let end = self.statement_end_col(self.i);
                return self.err_over(self.i, end, "'return' outside function");
            }
            self.i += 1;
            if matches!(self.peek(), Tok::Newline | Tok::Eof) || self.is_op(";") {
                StmtKind::Return(None)
            } else {
                let at = self.i;
                let (es, comma) = self.exprs()?;
                StmtKind::Return(Some(self.tuple_or_one(at, es, comma)))
            }
        } else if self.eat_kw("del") {
            let mut targets = Vec::new();
            loop {
                let at = self.i;
                let e = self.bitor()?;
                let t = match &e.kind {
                    ExprKind::Name(n) => Target::Name(n.clone()),
                    ExprKind::Subscript(..) => Target::Item(Box::new(e.clone())),
                    _ => {
                        return self.err(
                            "'del' of anything but names and items is outside the minipy subset",
                        );
                    }
                };
                targets.push((t, self.span_from(at)));
                if !self.eat_op(",") || matches!(self.peek(), Tok::Newline | Tok::Eof) {
                    break;
                }
            }
            StmtKind::Del(targets)
        } else if self.eat_kw("global") {
            let mut names = vec![self.name()?];
            while self.eat_op(",") {
                names.push(self.name()?);
            }
            StmtKind::Global(names)
        } else if self.is_kw("nonlocal") {
            self.i += 1;
            let mut names = vec![self.name()?];
            while self.eat_op(",") {
                names.push(self.name()?);
            }
            StmtKind::Nonlocal(names)
        } else {
            return self.expr_or_assign();
        };
        Ok(Stmt { kind, line })
    }

    fn expr_or_assign(&mut self) -> PResult<Stmt> {
        let line = self.tok().line;
        self.discount = Some((self.i, 21));
        let start = self.i;
        let (first, first_tuple) = self.exprs()?;
        let mut spans = vec![self.span_from(start)];
        for aug in AUG_OPS {
            if self.is_op(aug) {
                if first_tuple {
                    // Carets under the targets through their comma.
                    let end = self.toks[self.i - 1].col + 1;
                    return self.err_over(
                        start,
                        end,
                        "'tuple' is an illegal expression for augmented assignment",
                    );
                }
                let [target] = first.as_slice() else {
                    return self.err("illegal expression for augmented assignment");
                };
                let name = match &target.kind {
                    ExprKind::Name(n) => Target::Name(n.clone()),
                    ExprKind::Subscript(..) => Target::Item(Box::new(target.clone())),
                    _ => return self.err("illegal expression for augmented assignment"),
                };
                self.i += 1;
                let value = self.expr()?;
                let span = self.span_from(start);
                let op = BinOp::ALL
                    .iter()
                    .copied()
                    .find(|o| format!("{}=", o.symbol()) == aug)
                    .unwrap();
                return Ok(Stmt {
                    kind: StmtKind::AugAssign {
                        target: name,
                        op,
                        value,
                        span,
                    },
                    line,
                });
            }
        }
        if self.is_op("/=") {
            return self.err("true division (/) is outside the minipy subset: use //");
        }
        if self.is_op("@=") {
            return self.err("the '@=' operator is outside the minipy subset");
        }
        if !self.is_op("=") {
            return Ok(Stmt {
                kind: StmtKind::Expr(self.tuple_or_one(start, first, first_tuple)),
                line,
            });
        }
        let mut targets = vec![self.targets(&first, first_tuple)?];
        let (mut values, mut tuple);
        loop {
            self.expect_op("=")?;
            self.discount = Some((self.i, 18));
            let at = self.i;
            (values, tuple) = self.exprs()?;
            if !self.is_op("=") {
                break;
            }
            targets.push(self.targets(&values, tuple)?);
            spans.push(self.span_from(at));
        }
        Ok(Stmt {
            kind: StmtKind::Assign {
                targets,
                values,
                tuple,
                spans,
            },
            line,
        })
    }

    /// What `exprs` (with a comma after the first when `tuple`) assign to.
    fn targets(&mut self, exprs: &[Expr], tuple: bool) -> PResult<Target> {
        let t: Option<Vec<Target>> = exprs.iter().map(to_target).collect();
        let Some(mut t) = t else {
            // (An attribute is a target CPython takes: outside the subset, not an error.)
            let attr = |e: &Expr| matches!(e.kind, ExprKind::Attr(..));
            if exprs
                .iter()
                .any(|e| attr(e) || e.children().into_iter().any(attr))
            {
                return self.err("assigning to an attribute is outside the minipy subset");
            }
            return self.err("cannot assign to expression here");
        };
        if t.iter().filter(|t| matches!(t, Target::Star(_))).count() > 1 {
            return self.err("multiple starred expressions in assignment");
        }
        if !tuple && matches!(t.as_slice(), [Target::Star(_)]) {
            return self.err("starred assignment target must be in a list or tuple");
        }
        for n in t.iter().flat_map(Target::names) {
            if n == "sys" {
                return self.err(
                    "binding the name 'sys' to anything but the module is outside the minipy subset",
                );
            }
        }
        if !tuple && t.len() == 1 {
            return Ok(t.remove(0));
        }
        Ok(Target::Tuple(t))
    }

    /// `exprs` as one expression: a tuple when there was a comma (the tuple's span starts at
    /// token `start`).
    fn tuple_or_one(&self, start: usize, mut exprs: Vec<Expr>, comma: bool) -> Expr {
        if !comma && exprs.len() == 1 {
            return exprs.remove(0);
        }
        let span = self.span_from(start);
        Expr {
            kind: ExprKind::Tuple(exprs),
            line: span.line,
            col: span.col + 1,
            end_line: span.end_line,
            end_col: span.end_col,
        }
    }

    /// A `for`'s (or a comprehension's) targets, up to its `in`.
    fn for_targets(&mut self) -> PResult<(Target, Span)> {
        let start = self.i;
        let mut es = vec![self.star_or(Self::bitor)?];
        let mut comma = false;
        while self.eat_op(",") {
            comma = true;
            if self.is_kw("in") {
                break;
            }
            es.push(self.star_or(Self::bitor)?);
        }
        let t = self.targets(&es, comma)?;
        Ok((t, self.span_from(start)))
    }

    /// One expression or a comma-separated list of them (a tuple, only valid in assignments),
    /// and whether there was a comma (`5,` is a tuple of one).
    fn exprs(&mut self) -> PResult<(Vec<Expr>, bool)> {
        let mut v = vec![self.star_or_expr()?];
        let mut comma = false;
        while self.eat_op(",") {
            comma = true;
            if matches!(self.peek(), Tok::Newline | Tok::Eof)
                || self.is_op("=")
                || AUG_OPS.iter().any(|a| self.is_op(a))
            {
                break;
            }
            v.push(self.star_or_expr()?);
        }
        Ok((v, comma))
    }

    /// An expression, or `*expr` (a starred target, or an error where it is evaluated).
    fn star_or_expr(&mut self) -> PResult<Expr> {
        self.star_or(Self::expr)
    }

    /// What `parse` parses, or `*` and that.
    fn star_or(&mut self, parse: fn(&mut Self) -> PResult<Expr>) -> PResult<Expr> {
        if !self.is_op("*") {
            return parse(self);
        }
        let (line, col) = self.start();
        self.i += 1;
        let inner = parse(self)?;
        let (end_line, end_col) = self.end();
        Ok(Expr {
            kind: ExprKind::Starred(Box::new(inner)),
            line,
            col,
            end_line,
            end_col,
        })
    }

    /// The indented block of the statement `after` (`'if' statement`, `function
    /// definition`) that began on `line`: CPython names both when the block is missing.
    fn block_after(&mut self, after: &str, line: u32) -> PResult<Vec<Stmt>> {
        self.expect_op(":")?;
        if self.peek() != &Tok::Newline {
            // `if x: stmt` on one line
            let mut out = vec![self.simple()?];
            while self.eat_op(";") {
                if matches!(self.peek(), Tok::Newline | Tok::Eof) {
                    break;
                }
                out.push(self.simple()?);
            }
            self.newline()?;
            return Ok(out);
        }
        self.i += 1;
        if self.peek() != &Tok::Indent {
            let msg = format!("expected an indented block after {after} on line {line}");
            let mut e = self.err::<()>(msg).unwrap_err();
            e.class = CompileErrorClass::Indentation;
            return Err(e);
        }
        self.i += 1;
        let mut out = Vec::new();
        while !matches!(self.peek(), Tok::Dedent | Tok::Eof) {
            out.extend(self.statement()?);
        }
        if self.peek() == &Tok::Dedent {
            self.i += 1;
        }
        Ok(out)
    }

    /// A loop's `else:` block, if it has one (outside the loop: `break` there is the
    /// enclosing loop's).
    fn loop_else(&mut self) -> PResult<Vec<Stmt>> {
        if !self.is_kw("else") {
            return Ok(Vec::new());
        }
        let line = self.tok().line;
        self.i += 1;
        self.block_after("'else' statement", line)
    }

    fn loop_body(&mut self, after: &str, line: u32) -> PResult<Vec<Stmt>> {
        self.loops += 1;
        let b = self.block_after(after, line);
        self.loops -= 1;
        b
    }

    fn if_stmt(&mut self) -> PResult<Stmt> {
        let line = self.tok().line;
        let kw = if self.is_kw("elif") {
            "'elif' statement"
        } else {
            "'if' statement"
        };
        self.i += 1; // if / elif
        let cond = self.expr()?;
        let body = self.block_after(kw, line)?;
        let orelse = if self.is_kw("elif") {
            vec![self.if_stmt()?]
        } else if self.is_kw("else") {
            let else_line = self.tok().line;
            self.i += 1;
            self.block_after("'else' statement", else_line)?
        } else {
            Vec::new()
        };
        Ok(Stmt {
            kind: StmtKind::If { cond, body, orelse },
            line,
        })
    }

    fn for_stmt(&mut self) -> PResult<Stmt> {
        let line = self.tok().line;
        self.i += 1;
        let (target, target_span) = self.for_targets()?;
        if !self.eat_kw("in") {
            return self.err("expected 'in'");
        }
        let at = self.i;
        let (es, comma) = self.exprs()?;
        let e = self.tuple_or_one(at, es, comma);
        let iter = match e.kind {
            ExprKind::Call {
                ref name,
                ref args,
                ref kwargs,
            } if name == "range" && kwargs.is_empty() => {
                if args.is_empty() || args.len() > 3 {
                    return self.err(format!(
                        "range expected 1 to 3 arguments, got {}",
                        args.len()
                    ));
                }
                Iterable::Range(args.clone(), e.span())
            }
            _ => Iterable::Expr(e),
        };
        let body = self.loop_body("'for' statement", line)?;
        let orelse = self.loop_else()?;
        Ok(Stmt {
            kind: StmtKind::For {
                target,
                target_span,
                iter,
                body,
                orelse,
            },
            line,
        })
    }

    fn def_stmt(&mut self) -> PResult<Stmt> {
        let line = self.tok().line;
        self.i += 1;
        let name = self.binding_name()?;
        self.expect_op("(")?;
        let (params, defaults, shape) = self.parameters(")")?;
        self.expect_op(")")?;
        if self.is_op("->") {
            return self.err("annotations are outside the minipy subset");
        }
        let (outer_loops, outer_def) = (self.loops, self.in_def);
        self.loops = 0;
        self.in_def = true;
        let body = self.block_after("function definition", line);
        self.loops = outer_loops;
        self.in_def = outer_def;
        Ok(Stmt {
            kind: StmtKind::Def {
                name,
                params,
                defaults,
                shape,
                body: body?,
                decorators: Vec::new(),
            },
            line,
        })
    }

    /// A parameter list up to `end` (`)` of a def, `:` of a lambda): positional names,
    /// the last ones with default values; then `*args` or a bare `*` and keyword-only
    /// names (with or without defaults); then `**kwargs` — in `params` in that order, with
    /// `*args` and `**kwargs` last (CPython's `co_varnames`).
    fn parameters(&mut self, end: &str) -> PResult<(Vec<String>, Vec<Expr>, ParamShape)> {
        let mut params: Vec<String> = Vec::new();
        let mut defaults: Vec<Expr> = Vec::new();
        let mut shape = ParamShape::default();
        let (mut star, mut varargs, mut varkw): (bool, Option<String>, Option<String>) =
            (false, None, None);
        if self.is_op(end) {
            return Ok((params, defaults, shape));
        }
        loop {
            if self.is_op("/") {
                return self.err("positional-only parameters ('/') are outside the minipy subset");
            }
            if varkw.is_some() {
                return self.err("arguments cannot follow var-keyword argument");
            }
            let star_at = self.i;
            let kind = if self.eat_op("**") {
                2
            } else if self.eat_op("*") {
                if star {
                    return self.err_at(star_at, "* argument may appear only once");
                }
                star = true;
                // A bare `*`: keyword-only parameters follow (at least one).
                if self.is_op(end) {
                    return self.err_at(star_at, "named arguments must follow bare *");
                }
                if self.eat_op(",") {
                    if self.is_op(end) || self.is_op("**") {
                        return self.err_at(star_at, "named arguments must follow bare *");
                    }
                    continue;
                }
                1
            } else {
                0
            };
            let at = self.i;
            let p = self.binding_name()?;
            if end == ")" && self.is_op(":") {
                return self.err("annotations are outside the minipy subset");
            }
            let taken = params.contains(&p) || varargs.as_ref() == Some(&p);
            if taken {
                // (CPython 3.11 says "function definition" of a lambda's too.)
                return self.err_at(
                    at,
                    format!("duplicate argument '{p}' in function definition"),
                );
            }
            match kind {
                1 => varargs = Some(p),
                2 => varkw = Some(p),
                _ if star => {
                    if shape.kwonly == 64 {
                        return self.err(
                            "more than 64 keyword-only parameters are outside the minipy subset",
                        );
                    }
                    if self.eat_op("=") {
                        defaults.push(self.expr()?);
                        shape.kw_defaults |= 1 << shape.kwonly;
                    }
                    shape.kwonly += 1;
                    params.push(p);
                }
                _ => {
                    if self.eat_op("=") {
                        defaults.push(self.expr()?);
                    } else if !defaults.is_empty() {
                        return self.err_at(at, "non-default argument follows default argument");
                    }
                    params.push(p);
                }
            }
            if kind != 0 && self.is_op("=") {
                let msg = if kind == 1 {
                    "var-positional argument cannot have default value"
                } else {
                    "var-keyword argument cannot have default value"
                };
                return self.err(msg);
            }
            if !self.eat_op(",") || self.is_op(end) {
                break;
            }
        }
        if let Some(v) = varargs {
            shape.varargs = true;
            params.push(v);
        }
        if let Some(k) = varkw {
            shape.varkw = true;
            params.push(k);
        }
        Ok((params, defaults, shape))
    }

    // --- expressions, loosest first ------------------------------------------------------

    fn expr(&mut self) -> PResult<Expr> {
        self.nested(1, Self::expr_inner)
    }

    /// Runs `f` `cost` levels deeper (CPython's parser spends two on `**`, one on a unary
    /// operator, `not` or an `else`); past [`PARSER_STACK`] levels, CPython's MemoryError.
    fn nested<T>(&mut self, cost: usize, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.nest + cost > PARSER_STACK {
            let t = self.tok();
            return Err(SyntaxError {
                span: 1,
                line: t.line,
                col: t.col,
                msg: String::new(),
                class: CompileErrorClass::Memory,
            });
        }
        self.nest += cost;
        let r = f(self);
        self.nest -= cost;
        r
    }

    /// The levels CPython's parser spends on a parenthesized group (`full` 27, plus the
    /// inner expression's one: 28) or a call's argument list (23 + 1) that starts at token
    /// `start`. Measured against python3 3.11: the first one of an assignment's value costs
    /// 18 less, the first one of an expression statement 21 less (its first attempts fail
    /// shallower), the rest the full amount.
    fn bracket_cost(&mut self, start: usize, full: usize) -> usize {
        match self.discount {
            Some((at, d)) if at == start => {
                self.discount = None;
                full - d
            }
            _ => full,
        }
    }

    fn expr_inner(&mut self) -> PResult<Expr> {
        if self.is_kw("lambda") {
            let (line, col) = self.start();
            self.i += 1;
            let (params, defaults, shape) = self.parameters(":")?;
            self.expect_op(":")?;
            // A return inside is the lambda's own; loops outside are not its.
            let (outer_loops, outer_def) = (self.loops, self.in_def);
            self.loops = 0;
            self.in_def = true;
            let body = self.expr();
            self.loops = outer_loops;
            self.in_def = outer_def;
            let body = body?;
            return Ok(Expr {
                end_line: body.end_line,
                end_col: body.end_col,
                kind: ExprKind::Lambda {
                    params,
                    defaults,
                    shape,
                    body: Box::new(body),
                },
                line,
                col,
            });
        }
        let (line, col) = self.start();
        let e = self.or_test()?;
        if self.is_op(":=") {
            return self.err("assignment expressions (:=) are outside the minipy subset");
        }
        if self.is_kw("if") {
            self.i += 1;
            let cond = self.or_test()?;
            if !self.eat_kw("else") {
                return self.err("expected 'else' after 'if' expression");
            }
            let els = self.expr()?;
            return Ok(Expr {
                end_line: self.end().0,
                end_col: self.end().1,
                kind: ExprKind::IfExp {
                    cond: Box::new(cond),
                    then: Box::new(e),
                    els: Box::new(els),
                },
                line,
                col,
            });
        }
        Ok(e)
    }

    fn or_test(&mut self) -> PResult<Expr> {
        let (line, col) = self.start();
        let mut e = self.and_test()?;
        while self.eat_kw("or") {
            let r = self.and_test()?;
            e = Expr {
                end_line: self.end().0,
                end_col: self.end().1,
                line,
                col,
                kind: ExprKind::Or(Box::new(e), Box::new(r)),
            };
        }
        Ok(e)
    }

    fn and_test(&mut self) -> PResult<Expr> {
        let (line, col) = self.start();
        let mut e = self.not_test()?;
        while self.eat_kw("and") {
            let r = self.not_test()?;
            e = Expr {
                end_line: self.end().0,
                end_col: self.end().1,
                line,
                col,
                kind: ExprKind::And(Box::new(e), Box::new(r)),
            };
        }
        Ok(e)
    }

    fn not_test(&mut self) -> PResult<Expr> {
        let (line, col) = (self.tok().line, self.tok().col);
        if self.eat_kw("not") {
            let e = self.nested(1, Self::not_test)?;
            return Ok(Expr {
                end_line: self.end().0,
                end_col: self.end().1,
                kind: ExprKind::Unary(UnaryOp::Not, Box::new(e)),
                line,
                col,
            });
        }
        self.comparison()
    }

    fn comparison(&mut self) -> PResult<Expr> {
        let (line, col) = self.start();
        let first = self.bitor()?;
        let mut rest = Vec::new();
        loop {
            let op = match self.peek() {
                Tok::Op("<") => CmpOp::Lt,
                Tok::Op("<=") => CmpOp::Le,
                Tok::Op(">") => CmpOp::Gt,
                Tok::Op(">=") => CmpOp::Ge,
                Tok::Op("==") => CmpOp::Eq,
                Tok::Op("!=") => CmpOp::Ne,
                Tok::Name(n) if n == "in" || n == "is" || n == "not" => {
                    return self.membership(first, rest, line, col);
                }
                _ => break,
            };
            self.i += 1;
            rest.push((op, self.bitor()?));
        }
        if rest.is_empty() {
            return Ok(first);
        }
        Ok(Expr {
            end_line: self.end().0,
            end_col: self.end().1,
            line,
            col,
            kind: ExprKind::Compare(Box::new(first), rest),
        })
    }

    /// `x in c`, `x not in c`, `x is y`, `x is not y` (at the `in`, `is` or `not`), alone:
    /// chained with other comparisons they are outside the subset.
    fn membership(
        &mut self,
        first: Expr,
        rest: Vec<(CmpOp, Expr)>,
        line: u32,
        col: u32,
    ) -> PResult<Expr> {
        const CHAINED: &str =
            "'in' and 'is' chained with other comparisons are outside the minipy subset";
        if !rest.is_empty() {
            return self.err(CHAINED);
        }
        let (is, negated) = if self.eat_kw("in") {
            (false, false)
        } else if self.eat_kw("is") {
            (true, self.eat_kw("not"))
        } else {
            self.i += 1; // not
            if !self.eat_kw("in") {
                return self.err("invalid syntax");
            }
            (false, true)
        };
        let right = self.bitor()?;
        if is {
            // (A list display is a new list each time: `is` with one is just False, as in
            // CPython. Ints, strings and tuples of constants may be shared objects there.)
            let literal = |e: &Expr| {
                matches!(
                    e.kind,
                    ExprKind::Int(_) | ExprKind::Str(_) | ExprKind::Tuple(_)
                )
            };
            if literal(&first) || literal(&right) {
                return self.err("'is' with a literal is outside the minipy subset (use ==)");
            }
        }
        let cmp = matches!(self.peek(), Tok::Op("<" | "<=" | ">" | ">=" | "==" | "!="))
            || self.is_kw("in")
            || self.is_kw("is")
            || (self.is_kw("not")
                && matches!(self.toks.get(self.i + 1).map(|t| &t.tok), Some(Tok::Name(n)) if n == "in"));
        if cmp {
            return self.err(CHAINED);
        }
        let (a, b) = (Box::new(first), Box::new(right));
        Ok(Expr {
            end_line: self.end().0,
            end_col: self.end().1,
            line,
            col,
            kind: if is {
                ExprKind::Is(a, b, negated)
            } else {
                ExprKind::In(a, b, negated)
            },
        })
    }

    /// The binary operators between `|` and `*` by precedence climbing: one call per
    /// operand, where a function per level (six, each asking for its own operators by
    /// name) was a large part of parsing. The tree is the one those levels
    /// built: left-associative, each node spanning from its left operand's first token.
    fn bitor(&mut self) -> PResult<Expr> {
        self.binary_from(0)
    }

    /// Operands joined by the operators of precedence `min` and up (0 `|`, 1 `^`, 2 `&`,
    /// 3 shifts, 4 `+ -`, 5 `* // %`).
    fn binary_from(&mut self, min: u8) -> PResult<Expr> {
        let (line, col) = self.start();
        let mut e = self.factor()?;
        while let Tok::Op(op) = self.peek() {
            let (prec, op) = match *op {
                "|" => (0, BinOp::BitOr),
                "^" => (1, BinOp::BitXor),
                "&" => (2, BinOp::BitAnd),
                "<<" => (3, BinOp::LShift),
                ">>" => (3, BinOp::RShift),
                "+" => (4, BinOp::Add),
                "-" => (4, BinOp::Sub),
                "*" => (5, BinOp::Mul),
                "//" => (5, BinOp::FloorDiv),
                "%" => (5, BinOp::Mod),
                // (Where a term ends: these follow nothing in the subset.)
                "/" => return self.err("true division (/) is outside the minipy subset: use //"),
                "@" => return self.err("the '@' operator is outside the minipy subset"),
                _ => break,
            };
            if prec < min {
                break;
            }
            self.i += 1;
            let r = self.binary_from(prec + 1)?;
            e = Expr {
                end_line: self.end().0,
                end_col: self.end().1,
                line,
                col,
                kind: ExprKind::Binary(op, Box::new(e), Box::new(r)),
            };
        }
        Ok(e)
    }

    fn factor(&mut self) -> PResult<Expr> {
        let (line, col) = (self.tok().line, self.tok().col);
        let op = if self.eat_op("-") {
            UnaryOp::Neg
        } else if self.eat_op("+") {
            UnaryOp::Pos
        } else if self.eat_op("~") {
            UnaryOp::Invert
        } else {
            return self.power();
        };
        let e = self.nested(1, Self::factor)?;
        Ok(Expr {
            end_line: self.end().0,
            end_col: self.end().1,
            kind: ExprKind::Unary(op, Box::new(e)),
            line,
            col,
        })
    }

    fn power(&mut self) -> PResult<Expr> {
        let (line, col) = self.start();
        let base = self.atom()?;
        if self.eat_op("**") {
            let exp = self.nested(2, Self::factor)?;
            return Ok(Expr {
                end_line: self.end().0,
                end_col: self.end().1,
                line,
                col,
                kind: ExprKind::Binary(BinOp::Pow, Box::new(base), Box::new(exp)),
            });
        }
        Ok(base)
    }

    fn atom(&mut self) -> PResult<Expr> {
        let (line, col) = (self.tok().line, self.tok().col);
        let kind = match self.peek().clone() {
            Tok::Int(v) => {
                self.i += 1;
                ExprKind::Int(v)
            }
            Tok::Str(_) | Tok::FStr(_) => {
                // Adjacent literals concatenate; any f-string among them makes an f-string.
                let mut pieces = Vec::new();
                let mut any_f = false;
                loop {
                    match self.peek().clone() {
                        Tok::Str(s) => pieces.push(FPiece::Lit(s)),
                        Tok::FStr(parts) => {
                            any_f = true;
                            for p in parts {
                                pieces.extend(self.fstring_piece(p)?);
                            }
                        }
                        _ => break,
                    }
                    self.i += 1;
                }
                if any_f {
                    ExprKind::FString(pieces)
                } else {
                    let mut s = String::new();
                    for p in pieces {
                        if let FPiece::Lit(t) = p {
                            s.push_str(&t);
                        }
                    }
                    ExprKind::Str(s)
                }
            }
            Tok::Name(n) => match n.as_str() {
                "True" => {
                    self.i += 1;
                    ExprKind::Bool(true)
                }
                "False" => {
                    self.i += 1;
                    ExprKind::Bool(false)
                }
                "None" => {
                    self.i += 1;
                    ExprKind::None
                }
                k if is_keyword(k) => {
                    if KEYWORDS_OUTSIDE.contains(&k) {
                        return self.err(format!("'{k}' is outside the minipy subset"));
                    }
                    return self.err("invalid syntax");
                }
                "sys" => {
                    self.i += 1;
                    self.sys_attribute()?
                }
                _ => {
                    let start = self.i;
                    self.i += 1;
                    if self.eat_op("(") {
                        let cost = self.bracket_cost(start, 23);
                        let (args, kwargs) = self.nested(cost, Self::call_args)?;
                        ExprKind::Call {
                            name: n,
                            args,
                            kwargs,
                        }
                    } else {
                        ExprKind::Name(n)
                    }
                }
            },
            Tok::Op("(") => {
                let cost = self.bracket_cost(self.i, 27);
                self.i += 1;
                if self.eat_op(")") {
                    ExprKind::Tuple(Vec::new())
                } else {
                    let e = self.nested(cost, Self::star_or_expr)?;
                    if self.is_kw("for") {
                        let clauses = self.nested(cost, Self::comp_clauses)?;
                        self.expect_op(")")?;
                        ExprKind::Comp {
                            kind: CompKind::Gen,
                            elt: Box::new(e),
                            value: None,
                            clauses,
                        }
                    } else if self.is_op(",") {
                        let mut items = vec![e];
                        while self.eat_op(",") && !self.is_op(")") {
                            items.push(self.nested(cost, Self::star_or_expr)?);
                        }
                        self.expect_op(")")?;
                        ExprKind::Tuple(items)
                    } else {
                        if matches!(e.kind, ExprKind::Starred(_)) {
                            return Err(SyntaxError {
                                span: 1,
                                line: e.line,
                                col: e.col,
                                msg: "cannot use starred expression here".into(),
                                class: CompileErrorClass::Syntax,
                            });
                        }
                        self.expect_op(")")?;
                        return self.trailers(e);
                    }
                }
            }
            Tok::Op("[") => {
                let cost = self.bracket_cost(self.i, 27);
                self.i += 1;
                let mut items = Vec::new();
                if !self.is_op("]") {
                    let e = self.nested(cost, Self::star_or_expr)?;
                    if self.is_kw("for") {
                        let e =
                            self.comprehension(cost, (CompKind::List, e, None), "]", (line, col))?;
                        return self.trailers(e);
                    }
                    items.push(e);
                    while self.eat_op(",") && !self.is_op("]") {
                        items.push(self.nested(cost, Self::star_or_expr)?);
                    }
                }
                self.expect_op("]")?;
                ExprKind::List(items)
            }
            Tok::Op("{") => {
                let cost = self.bracket_cost(self.i, 27);
                self.i += 1;
                let mut pairs = Vec::new();
                if self.is_op("**") {
                    // A dict display that starts with `**mapping`.
                    let at = self.i;
                    self.i += 1;
                    pairs.push((None, self.nested(cost, Self::bitor)?));
                    if self.is_kw("for") {
                        return self
                            .err_token(at, "dict unpacking cannot be used in dict comprehension");
                    }
                    if !self.is_op(",") && !self.is_op("}") {
                        return self.err_token(self.i, "invalid syntax");
                    }
                } else if !self.is_op("}") {
                    let k = self.nested(cost, Self::star_or_expr)?;
                    if !self.eat_op(":") {
                        // A set display or comprehension.
                        if self.is_kw("for") {
                            let e = self.comprehension(
                                cost,
                                (CompKind::Set, k, None),
                                "}",
                                (line, col),
                            )?;
                            return self.trailers(e);
                        }
                        let mut items = alloc::vec![k];
                        while self.eat_op(",") && !self.is_op("}") {
                            items.push(self.nested(cost, Self::star_or_expr)?);
                        }
                        self.expect_op("}")?;
                        let (end_line, end_col) = self.end();
                        let e = Expr {
                            kind: ExprKind::Set(items),
                            line,
                            col,
                            end_line,
                            end_col,
                        };
                        return self.trailers(e);
                    }
                    let v = self.nested(cost, Self::expr)?;
                    if self.is_kw("for") {
                        let e = self.comprehension(
                            cost,
                            (CompKind::Dict, k, Some(v)),
                            "}",
                            (line, col),
                        )?;
                        return self.trailers(e);
                    }
                    pairs.push((Some(k), v));
                }
                while !pairs.is_empty() && self.eat_op(",") && !self.is_op("}") {
                    if self.eat_op("**") {
                        pairs.push((None, self.nested(cost, Self::bitor)?));
                        if !self.is_op(",") && !self.is_op("}") {
                            return self.err_token(self.i, "invalid syntax");
                        }
                        continue;
                    }
                    let k = self.nested(cost, Self::expr)?;
                    self.expect_op(":")?;
                    pairs.push((Some(k), self.nested(cost, Self::expr)?));
                }
                self.expect_op("}")?;
                ExprKind::Dict(pairs)
            }
            Tok::Newline | Tok::Eof => return self.err("invalid syntax"),
            // CPython's word for a token that cannot start an expression.
            _ => return self.err("invalid syntax"),
        };
        let (end_line, end_col) = self.end();
        let e = Expr {
            kind,
            line,
            col,
            end_line,
            end_col,
        };
        self.trailers(e)
    }

    /// A call's arguments after its `(`, through the `)`: positional (`*x` among them),
    /// then `name=value` and `**mapping` (a [`Keyword`] without a name).
    fn call_args(&mut self) -> PResult<(Vec<Expr>, Vec<Keyword>)> {
        // The call's `(`, just taken.
        let open = self.i - 1;
        let mut args = Vec::new();
        let mut kwargs: Vec<Keyword> = Vec::new();
        // A positional argument after a keyword one: CPython reports it at the `)`.
        let mut misplaced = false;
        let mut unpacked = false;
        if !self.is_op(")") {
            loop {
                if self.is_op("**") {
                    let start = self.i;
                    self.i += 1;
                    let value = self.expr()?;
                    let span = self.span_from(start);
                    kwargs.push(Keyword {
                        name: String::new(),
                        value,
                        span,
                    });
                    unpacked = true;
                    if !self.eat_op(",") || self.is_op(")") {
                        break;
                    }
                    continue;
                }
                if self.is_op("*") {
                    // (`f(a=1, *xs)` is fine: the values of xs are still positional.)
                    if unpacked {
                        return self
                            .err("iterable argument unpacking follows keyword argument unpacking");
                    }
                    let (line, col) = self.start();
                    self.i += 1;
                    let inner = self.expr()?;
                    let (end_line, end_col) = self.end();
                    args.push(Expr {
                        kind: ExprKind::Starred(Box::new(inner)),
                        line,
                        col,
                        end_line,
                        end_col,
                    });
                    if !self.eat_op(",") || self.is_op(")") {
                        break;
                    }
                    continue;
                }
                let keyword = matches!(self.peek(), Tok::Name(n) if !is_keyword(n))
                    && matches!(
                        self.toks.get(self.i + 1).map(|t| &t.tok),
                        Some(Tok::Op("="))
                    );
                if keyword {
                    let start = self.i;
                    let name = self.name()?;
                    self.i += 1; // =
                    let value = self.expr()?;
                    let span = self.span_from(start);
                    if kwargs.iter().any(|k| k.name == name && !name.is_empty()) {
                        let t = &self.toks[start];
                        return Err(SyntaxError {
                            span: span.end_col.saturating_sub(span.col).max(1),
                            line: t.line,
                            col: t.col,
                            msg: format!("keyword argument repeated: {name}"),
                            class: CompileErrorClass::Syntax,
                        });
                    }
                    kwargs.push(Keyword { name, value, span });
                } else {
                    let (line, col) = self.start();
                    let mut a = self.expr()?;
                    if self.is_kw("for") {
                        // A generator expression as the argument: `sum(x for x in xs)`.
                        let clauses = self.comp_clauses()?;
                        let (end_line, end_col) = self.end();
                        a = Expr {
                            kind: ExprKind::Comp {
                                kind: CompKind::Gen,
                                elt: Box::new(a),
                                value: None,
                                clauses,
                            },
                            line,
                            col,
                            end_line,
                            end_col,
                        };
                        if !self.is_op(")") || !args.is_empty() || !kwargs.is_empty() {
                            return self.err("Generator expression must be parenthesized");
                        }
                        // Its parentheses are the call's (where CPython places it).
                        let (o, c) = (&self.toks[open], self.tok());
                        (a.line, a.col, a.end_line, a.end_col) =
                            (o.line, o.col, c.end_line, c.end_col);
                    }
                    misplaced |= !kwargs.is_empty();
                    args.push(a);
                }
                if !self.eat_op(",") || self.is_op(")") {
                    break;
                }
            }
        }
        if misplaced && self.is_op(")") {
            return self.err(if unpacked {
                "positional argument follows keyword argument unpacking"
            } else {
                "positional argument follows keyword argument"
            });
        }
        self.expect_op(")")?;
        Ok((args, kwargs))
    }

    /// A piece of an f-string: a field's expression parsed where it stands in the file.
    fn fstring_piece(&mut self, p: FPart) -> PResult<Vec<FPiece>> {
        let FPart::Field {
            src,
            line,
            col,
            mut conv,
            spec,
        } = p
        else {
            let FPart::Lit(s) = p else { unreachable!() };
            return Ok(vec![FPiece::Lit(s)]);
        };
        // `{expr=}`: the expression's text, `=`, then its repr (its format with a spec).
        let trimmed = src.trim_end();
        let mut echo = None;
        let mut src = src.as_str();
        if trimmed.ends_with('=')
            && !["==", "<=", ">=", "!="]
                .iter()
                .any(|op| trimmed.ends_with(op))
        {
            echo = Some(FPiece::Lit(String::from(src)));
            src = &trimmed[..trimmed.len() - 1];
            if conv.is_none() && spec.is_empty() {
                conv = Some('r');
            }
        }
        let wrapped = format!("({src})");
        let shift = |mut e: SyntaxError| {
            if e.line == 1 {
                e.col += col - 1;
            }
            e.line += line - 1;
            e.msg = format!("f-string: {}", e.msg);
            e
        };
        let (mut toks, unclosed) = tokenize_brackets(&wrapped).map_err(shift)?;
        if let Some(u) = unclosed {
            return Err(shift(u));
        }
        for t in &mut toks {
            if t.line == 1 {
                t.col += col - 1;
            }
            if t.end_line == 1 {
                t.end_col += col - 1;
            }
            t.line += line - 1;
            t.end_line += line - 1;
        }
        let mut sub = Parser {
            toks,
            i: 0,
            in_def: self.in_def,
            loops: self.loops,
            nest: self.nest,
            discount: None,
        };
        let prefixed = |mut e: SyntaxError| {
            e.msg = format!("f-string: {}", e.msg);
            e
        };
        let e = sub.atom().map_err(prefixed)?;
        if !matches!(sub.peek(), Tok::Newline | Tok::Eof) {
            return sub.err("f-string: expecting '}'");
        }
        if conv == Some('a') {
            return self.err("ascii() conversions in f-strings are outside the minipy subset");
        }
        let mut pieces = Vec::new();
        for part in spec {
            pieces.extend(self.fstring_piece(part)?);
        }
        let field = FPiece::Field(Box::new(e), conv, pieces);
        Ok(echo.into_iter().chain([field]).collect())
    }

    /// A comprehension from its first `for` through its closing `close` (`(kind, element,
    /// value)`; it started at `start`).
    fn comprehension(
        &mut self,
        cost: usize,
        (kind, elt, value): (CompKind, Expr, Option<Expr>),
        close: &str,
        (line, col): (u32, u32),
    ) -> PResult<Expr> {
        let clauses = self.nested(cost, Self::comp_clauses)?;
        self.expect_op(close)?;
        let (end_line, end_col) = self.end();
        Ok(Expr {
            kind: ExprKind::Comp {
                kind,
                elt: Box::new(elt),
                value: value.map(Box::new),
                clauses,
            },
            line,
            col,
            end_line,
            end_col,
        })
    }

    /// A comprehension's clauses from its first `for`.
    fn comp_clauses(&mut self) -> PResult<Vec<Clause>> {
        let mut out = Vec::new();
        while self.eat_kw("for") {
            let (target, _) = self.for_targets()?;
            if !self.eat_kw("in") {
                return self.err("expected 'in'");
            }
            let iter = self.or_test()?;
            out.push(Clause::For(target, iter));
            while self.eat_kw("if") {
                out.push(Clause::If(self.or_test()?));
            }
        }
        if self.is_kw("async") {
            return self.err("'async' is outside the minipy subset");
        }
        Ok(out)
    }

    /// `[index]`, `[lo:hi:step]` and `.method(args)` after `e`.
    fn trailers(&mut self, mut e: Expr) -> PResult<Expr> {
        loop {
            let (line, col) = (e.line, e.col);
            let kind = if self.eat_op("[") {
                let index = self.nested(27, Self::subscript_index)?;
                self.expect_op("]")?;
                ExprKind::Subscript(Box::new(e), Box::new(index))
            } else if self.eat_op(".") {
                let name = self.name()?;
                let known = LIST_METHODS.contains(&name.as_str())
                    || STR_METHODS.contains(&name.as_str())
                    || DICT_METHODS.contains(&name.as_str())
                    || SET_METHODS.contains(&name.as_str())
                    || MORE_STR_METHODS.contains(&name.as_str())
                    || INT_METHODS.contains(&name.as_str());
                if !self.is_op("(") {
                    // (A name no type has is CPython's AttributeError when it runs.)
                    if !known && CPYTHON_ATTRIBUTES.contains(&name.as_str()) {
                        return self.err(
                            "attribute access other than a method is outside the minipy subset",
                        );
                    }
                    // A method as a value: `key=d.get`, `map(str.strip, lines)`.
                    let (end_line, end_col) = self.end();
                    e = Expr {
                        kind: ExprKind::Attr(Box::new(e), name),
                        line,
                        col,
                        end_line,
                        end_col,
                    };
                    continue;
                }
                if !known && CPYTHON_ATTRIBUTES.contains(&name.as_str()) {
                    return self.err(format!("the method '{name}' is outside the minipy subset"));
                }
                self.i += 1;
                let (args, kwargs) = self.nested(24, Self::call_args)?;
                ExprKind::Method {
                    obj: Box::new(e),
                    name,
                    args,
                    kwargs,
                }
            } else if self.is_op("(") {
                self.i += 1;
                let (args, kwargs) = self.nested(24, Self::call_args)?;
                ExprKind::CallValue {
                    func: Box::new(e),
                    args,
                    kwargs,
                }
            } else {
                return Ok(e);
            };
            let (end_line, end_col) = self.end();
            e = Expr {
                kind,
                line,
                col,
                end_line,
                end_col,
            };
        }
    }

    /// What is between a subscript's brackets: an index, a tuple of them or a slice.
    fn subscript_index(&mut self) -> PResult<Expr> {
        let (line, col) = self.start();
        let start = self.i;
        let part = |p: &mut Self| -> PResult<Option<Box<Expr>>> {
            if p.is_op(":") || p.is_op("]") {
                Ok(None)
            } else {
                Ok(Some(Box::new(p.expr()?)))
            }
        };
        let lo = part(self)?;
        if !self.is_op(":") {
            let Some(lo) = lo else {
                return self.err("invalid syntax");
            };
            if self.is_op(",") {
                let mut items = vec![*lo];
                while self.eat_op(",") && !self.is_op("]") {
                    items.push(self.expr()?);
                }
                return Ok(self.tuple_or_one(start, items, true));
            }
            return Ok(*lo);
        }
        self.i += 1;
        let hi = part(self)?;
        let step = if self.eat_op(":") { part(self)? } else { None };
        let (end_line, end_col) = self.end();
        Ok(Expr {
            kind: ExprKind::Slice(lo, hi, step),
            line,
            col,
            end_line,
            end_col,
        })
    }
}

/// A literal number (signed), string, True, False or None: what a default value may be.
pub(crate) fn is_constant(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Int(_) | ExprKind::Str(_) | ExprKind::Bool(_) | ExprKind::None => true,
        ExprKind::Unary(UnaryOp::Neg | UnaryOp::Pos, x) => matches!(x.kind, ExprKind::Int(_)),
        _ => false,
    }
}

/// What `e` assigns to, if it can be assigned to.
fn to_target(e: &Expr) -> Option<Target> {
    match &e.kind {
        ExprKind::Name(n) => Some(Target::Name(n.clone())),
        ExprKind::Subscript(..) => Some(Target::Item(Box::new(e.clone()))),
        ExprKind::Tuple(xs) | ExprKind::List(xs) => Some(Target::Tuple(
            xs.iter().map(to_target).collect::<Option<_>>()?,
        )),
        ExprKind::Starred(x) => Some(Target::Star(Box::new(to_target(x)?))),
        _ => None,
    }
}
