# The branch that runs defines the function: it is called normally.
n = 2
if n > 1:
    def pick():
        return "big"
else:
    def pick():
        return "small"
print(pick())
