# A two-register calculator: each call applies one operator to the stack top.
x = 0
y = 0


def push(v):
    global x, y
    y = x
    x = v


def apply(op):
    global x, y
    if op == "+":
        x = y + x
    elif op == "-":
        x = y - x
    elif op == "*":
        x = y * x
    elif op == "//":
        x = y // x
    else:
        print("unknown operator", op)
    y = 0


push(3)
push(4)
apply("+")
push(5)
apply("*")
print(x)
push(7)
apply("-")
push(2)
apply("//")
print(x)
apply("%")
