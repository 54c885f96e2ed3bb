x = None
print(x == None, x != None, x == 0, 0 == x, None == None, True == 1, False != 0)
def f():
    pass
print(f() == None, f() != 1)
