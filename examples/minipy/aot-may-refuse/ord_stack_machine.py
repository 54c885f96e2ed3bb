PROGRAM = """
push 5
push 7
add
dup
mul
push 3
swap
sub
print
push 10
label loop
dup
print
push 1
sub
dup
jnz loop
pop
push 99
print
"""


def run(source):
    code = [line.split() for line in source.strip().splitlines()]
    labels = {ins[1]: i for i, ins in enumerate(code) if ins[0] == "label"}
    stack, pc, out, steps = [], 0, [], 0
    while pc < len(code):
        op, *args = code[pc]
        pc += 1
        steps += 1
        if op == "push":
            stack.append(int(args[0]))
        elif op == "pop":
            stack.pop()
        elif op == "dup":
            stack.append(stack[-1])
        elif op == "swap":
            stack[-1], stack[-2] = stack[-2], stack[-1]
        elif op in ("add", "sub", "mul"):
            b, a = stack.pop(), stack.pop()
            stack.append(a + b if op == "add" else a - b if op == "sub" else a * b)
        elif op == "print":
            out.append(stack.pop())
        elif op == "jnz":
            if stack.pop() != 0:
                pc = labels[args[0]]
        elif op == "label":
            pass
        else:
            raise_it = f"bad op {op}"
            return raise_it
    return out, steps, stack


print(run(PROGRAM))
print(run("push 1\nfrob"))
