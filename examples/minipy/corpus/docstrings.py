"""Module docstring."""
def f(x):
    """Doubles x."""
    return 2 * x
"single-quoted statement string"
print(f(4))
