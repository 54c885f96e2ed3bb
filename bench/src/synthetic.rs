//! The synthetic functions of the compile-speed benchmark.

use jit::*;

/// A straight-line-and-loops function of about `ops` IR instructions.
pub fn synthetic(name: &str, ops: usize, seed: u64) -> Function {
    let mut s = seed | 1;
    let mut rnd = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let mut b = FunctionBuilder::new(name, &[Type::I64, Type::I64], Type::I64);
    let mut pool = vec![b.param(0), b.param(1)];
    let mut n = 0;
    while n < ops {
        let pick = |r: u64, pool: &Vec<Value>| pool[(r as usize) % pool.len()];
        match rnd() % 10 {
            0..=5 => {
                let op = [
                    BinOp::Add,
                    BinOp::Sub,
                    BinOp::Mul,
                    BinOp::Xor,
                    BinOp::And,
                    BinOp::Shl,
                ][(rnd() % 6) as usize];
                let (x, y) = (pick(rnd(), &pool), pick(rnd(), &pool));
                pool.push(b.binary(op, x, y));
                n += 1;
            }
            6 | 7 => {
                let c = b.iconst((rnd() % 1000) as i64);
                let x = pick(rnd(), &pool);
                pool.push(b.add(x, c));
                n += 2;
            }
            _ => {
                // if/else diamond joined by a block parameter
                let (x, y) = (pick(rnd(), &pool), pick(rnd(), &pool));
                let (t, e, j) = (b.create_block(), b.create_block(), b.create_block());
                let p = b.append_block_param(j, Type::I64);
                let c = b.cmp(Cmp::Lt, x, y);
                b.branch(c, t, &[], e, &[]);
                b.switch_to(t);
                let v = b.sub(x, y);
                b.jump(j, &[v]);
                b.switch_to(e);
                let v = b.sub(y, x);
                b.jump(j, &[v]);
                b.switch_to(j);
                pool.push(p);
                n += 6;
            }
        }
        if pool.len() > 24 {
            // Fold retired values into the first one: every value stays live, as in code a
            // front end would emit.
            let retired: Vec<Value> = pool.drain(2..10).collect();
            for v in retired {
                pool[0] = b.binary(BinOp::Xor, pool[0], v);
                n += 1;
            }
        }
    }
    let mut acc = pool[0];
    for &v in &pool[1..] {
        acc = b.binary(BinOp::Xor, acc, v);
    }
    b.ret(acc);
    b.finish().unwrap()
}
