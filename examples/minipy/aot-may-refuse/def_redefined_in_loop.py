# Defined again on every pass: each call sees the definition that ran last.
total = 0
for i in range(3):
    if i == 2:
        total = total + f()
    def f():
        return 10
print(total)
