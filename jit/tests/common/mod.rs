//! Shared by the jit tests: a seeded random IR generator and the host functions its
//! programs may call.
#![allow(dead_code)]

use jit::*;

pub use rt::rand::XorShift64 as Rng;

/// Interesting i64s: the edges of every encoding and of every operation.
pub trait EdgeValues {
    fn edge_value(&mut self) -> i64;
}

impl EdgeValues for Rng {
    fn edge_value(&mut self) -> i64 {
        const EDGES: [i64; 20] = [
            0,
            1,
            -1,
            2,
            -2,
            63,
            64,
            -64,
            127,
            128,
            -128,
            -129,
            i32::MAX as i64,
            i32::MIN as i64,
            u32::MAX as i64,
            1 << 32,
            i64::MAX,
            i64::MIN,
            i64::MIN + 1,
            i64::MAX - 1,
        ];
        match self.index(3) {
            0 => EDGES[self.index(EDGES.len())],
            1 => (self.next_u64() as i64) % 1000,
            _ => self.next_u64() as i64,
        }
    }
}

pub extern "C" fn host_mix(a: i64, b: i64) -> i64 {
    a.wrapping_mul(31) ^ b.rotate_left(7)
}

pub extern "C" fn host_sum7(a: i64, b: i64, c: i64, d: i64, e: i64, f: i64, g: i64) -> i64 {
    a.wrapping_add(b.wrapping_mul(2))
        .wrapping_add(c.wrapping_mul(3))
        .wrapping_add(d.wrapping_mul(4))
        .wrapping_add(e.wrapping_mul(5))
        .wrapping_add(f.wrapping_mul(6))
        .wrapping_add(g.wrapping_mul(7))
}

pub extern "C" fn host_seven() -> i64 {
    7
}

pub fn sig(params: &[Type], ret: Type) -> Signature {
    Signature {
        params: params.to_vec(),
        ret,
    }
}

/// Registers the host functions above.
pub fn add_hosts(m: &mut Module) -> [HostId; 3] {
    use Type::I64;
    // SAFETY: each address is an extern "C" fn with exactly these i64 parameters.
    unsafe {
        [
            m.add_host("mix", sig(&[I64, I64], I64), host_mix as *const () as usize),
            m.add_host("sum7", sig(&[I64; 7], I64), host_sum7 as *const () as usize),
            m.add_host("seven", sig(&[], I64), host_seven as *const () as usize),
        ]
    }
}

/// Generates a module of 1–3 functions by structured construction (straight-line code,
/// if/else diamonds, counted loops, checked operations, calls to earlier functions and to
/// host functions), so every program is valid SSA and terminates.
pub fn random_module(seed: u64) -> Module {
    let mut rng = Rng(seed.wrapping_mul(0x9E3779B97F4A7C15) | 1);
    let mut m = Module::new();
    let hosts = add_hosts(&mut m);
    let nfuncs = 1 + rng.index(3);
    let mut ids: Vec<(FuncId, Vec<Type>)> = Vec::new();
    for fi in 0..nfuncs {
        let nparams = rng.index(9);
        let params: Vec<Type> = (0..nparams)
            .map(|_| {
                if rng.chance(15) {
                    Type::Bool
                } else {
                    Type::I64
                }
            })
            .collect();
        let name = format!("f{fi}");
        let mut b = FunctionBuilder::new(&name, &params, Type::I64);
        let mut pool: Vec<Value> = (0..nparams).map(|i| b.param(i)).collect();
        let mut g = Gen {
            rng: &mut rng,
            b: &mut b,
            callable: &ids,
            hosts,
            budget: 40,
        };
        g.region(&mut pool, 0);
        let ret = g.int(&pool);
        b.ret(ret);
        let mut f = b.finish().unwrap();
        // Some blocks marked rarely run (laid out after their loop or at the end): the
        // layout changes, never the results. (A generator of its own, so that the
        // modules stay those of their seeds.)
        let mut marks = Rng(seed ^ 0xC01D);
        for blk in f.blocks.iter_mut().skip(1) {
            blk.cold = marks.chance(15);
        }
        let id = m.add(f);
        ids.push((id, params));
    }
    m
}

struct Gen<'a> {
    rng: &'a mut Rng,
    b: &'a mut FunctionBuilder,
    callable: &'a [(FuncId, Vec<Type>)],
    hosts: [HostId; 3],
    budget: usize,
}

impl Gen<'_> {
    fn pick(&mut self, pool: &[Value], ty: Type) -> Option<Value> {
        let c: Vec<Value> = pool
            .iter()
            .copied()
            .filter(|&v| self.b.value_type(v) == ty)
            .collect();
        if c.is_empty() {
            None
        } else {
            Some(c[self.rng.index(c.len())])
        }
    }

    /// An i64 from the pool, or a fresh constant.
    fn int(&mut self, pool: &[Value]) -> Value {
        if self.rng.chance(75)
            && let Some(v) = self.pick(pool, Type::I64)
        {
            return v;
        }
        let c = self.rng.edge_value();
        self.b.iconst(c)
    }

    fn boolean(&mut self, pool: &mut Vec<Value>) -> Value {
        if self.rng.chance(50)
            && let Some(v) = self.pick(pool, Type::Bool)
        {
            return v;
        }
        let (a, b) = (self.int(pool), self.int(pool));
        let op = Cmp::ALL[self.rng.index(Cmp::ALL.len())];
        let v = self.b.cmp(op, a, b);
        pool.push(v);
        v
    }

    fn region(&mut self, pool: &mut Vec<Value>, depth: usize) {
        let steps = 2 + self.rng.index(8);
        for _ in 0..steps {
            if self.budget == 0 {
                return;
            }
            self.budget -= 1;
            match self.rng.index(100) {
                0..=44 => {
                    let v = self.straight(pool);
                    pool.push(v);
                }
                45..=59 => {
                    let op = CheckedOp::ALL[self.rng.index(CheckedOp::ALL.len())];
                    let (a, b) = (self.int(pool), self.int(pool));
                    let fail = self.b.create_block();
                    let here = self.b.current_block();
                    let code = self.rng.index(1000) as i64;
                    self.b.switch_to(fail);
                    let c = self.b.iconst(-1_000_000 - code);
                    self.b.ret(c);
                    self.b.switch_to(here);
                    let r = self.b.checked(op, a, b, fail, &[]);
                    pool.push(r);
                }
                60..=74 if depth < 3 => self.diamond(pool, depth),
                75..=84 if depth < 2 => self.counted_loop(pool, depth),
                85..=92 => {
                    let v = self.call(pool);
                    pool.push(v);
                }
                _ => {
                    let v = self.boolean(pool);
                    pool.push(v);
                }
            }
        }
    }

    fn straight(&mut self, pool: &mut Vec<Value>) -> Value {
        match self.rng.index(10) {
            0..=5 => {
                let op = BinOp::ALL[self.rng.index(BinOp::ALL.len())];
                let (a, b) = (self.int(pool), self.int(pool));
                self.b.binary(op, a, b)
            }
            6 => {
                let a = self.int(pool);
                self.b.unary(
                    if self.rng.chance(50) {
                        UnOp::Neg
                    } else {
                        UnOp::Not
                    },
                    a,
                )
            }
            7 => {
                let c = self.boolean(pool);
                let (a, b) = (self.int(pool), self.int(pool));
                self.b.select(c, a, b)
            }
            8 => {
                let c = self.boolean(pool);
                let nb = self.b.unary(UnOp::Not, c);
                let one = self.b.iconst(1);
                let zero = self.b.iconst(0);
                self.b.select(nb, one, zero)
            }
            _ => {
                let a = self.int(pool);
                self.b.copy(a)
            }
        }
    }

    fn call(&mut self, pool: &mut Vec<Value>) -> Value {
        if !self.callable.is_empty() && self.rng.chance(50) {
            let (id, types) = self.callable[self.rng.index(self.callable.len())].clone();
            let args: Vec<Value> = types
                .iter()
                .map(|&t| {
                    if t == Type::Bool {
                        self.boolean(pool)
                    } else {
                        self.int(pool)
                    }
                })
                .collect();
            return self.b.call(id, Type::I64, &args);
        }
        match self.rng.index(3) {
            0 => {
                let (a, b) = (self.int(pool), self.int(pool));
                self.b.call_host(self.hosts[0], Type::I64, &[a, b])
            }
            1 => {
                let args: Vec<Value> = (0..7).map(|_| self.int(pool)).collect();
                self.b.call_host(self.hosts[1], Type::I64, &args)
            }
            _ => self.b.call_host(self.hosts[2], Type::I64, &[]),
        }
    }

    fn diamond(&mut self, pool: &mut Vec<Value>, depth: usize) {
        let c = self.boolean(pool);
        let (t, e, join) = (
            self.b.create_block(),
            self.b.create_block(),
            self.b.create_block(),
        );
        let jp = self.b.append_block_param(join, Type::I64);
        self.b.branch(c, t, &[], e, &[]);
        for blk in [t, e] {
            self.b.switch_to(blk);
            let mut inner = pool.clone();
            self.region(&mut inner, depth + 1);
            let out = self.int(&inner);
            self.b.jump(join, &[out]);
        }
        self.b.switch_to(join);
        pool.push(jp);
    }

    fn counted_loop(&mut self, pool: &mut Vec<Value>, depth: usize) {
        let n = self.rng.index(12) as i64;
        let init = self.int(pool);
        let zero = self.b.iconst(0);
        let (header, body, exit) = (
            self.b.create_block(),
            self.b.create_block(),
            self.b.create_block(),
        );
        let i = self.b.append_block_param(header, Type::I64);
        let acc = self.b.append_block_param(header, Type::I64);
        self.b.jump(header, &[zero, init]);
        self.b.switch_to(header);
        let limit = self.b.iconst(n);
        let go = self.b.cmp(Cmp::Lt, i, limit);
        self.b.branch(go, body, &[], exit, &[]);
        self.b.switch_to(body);
        let mut inner = pool.clone();
        inner.push(i);
        inner.push(acc);
        self.region(&mut inner, depth + 1);
        let x = self.int(&inner);
        let op = [BinOp::Add, BinOp::Xor, BinOp::Sub, BinOp::Mul][self.rng.index(4)];
        let acc2 = self.b.binary(op, acc, x);
        let one = self.b.iconst(1);
        let i2 = self.b.add(i, one);
        self.b.jump(header, &[i2, acc2]);
        self.b.switch_to(exit);
        pool.push(i);
        pool.push(acc);
    }
}

/// Arguments for a function: edge values, bools as 0/1.
pub fn random_args(rng: &mut Rng, params: &[Type]) -> Vec<i64> {
    params
        .iter()
        .map(|&t| {
            if t == Type::Bool {
                rng.index(2) as i64
            } else {
                rng.edge_value()
            }
        })
        .collect()
}
