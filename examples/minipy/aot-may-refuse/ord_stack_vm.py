PROGRAM = """
push 10
store n
push 1
store acc
loop:
load n
jz end
load acc
load n
mul
store acc
load n
push 1
sub
store n
jmp loop
end:
load acc
print
push 7
push 0
div
"""


def assemble(src):
    code, labels = [], {}
    for line in src.strip().splitlines():
        line = line.strip()
        if line.endswith(":"):
            labels[line[:-1]] = len(code)
        elif line:
            op, *arg = line.split()
            code.append((op, arg[0] if arg else None))
    return code, labels


def run(code, labels):
    stack, mem, pc, steps = [], {}, 0, 0
    while pc < len(code):
        op, arg = code[pc]
        pc += 1
        steps += 1
        if op == "push":
            stack.append(int(arg))
        elif op == "store":
            mem[arg] = stack.pop()
        elif op == "load":
            stack.append(mem[arg])
        elif op in ("add", "sub", "mul", "div"):
            b, a = stack.pop(), stack.pop()
            if op == "div" and b == 0:
                raise ZeroDivisionError(f"division by zero at instruction {pc - 1}")
            stack.append({"add": a + b, "sub": a - b, "mul": a * b}.get(op) if op != "div" else a // b)
        elif op == "jz":
            if stack.pop() == 0:
                pc = labels[arg]
        elif op == "jmp":
            pc = labels[arg]
        elif op == "print":
            print(stack[-1], "after", steps, "steps")
        else:
            raise ValueError("unknown op " + op)
    return stack


code, labels = assemble(PROGRAM)
print(len(code), "instructions", labels)
run(code, labels)
