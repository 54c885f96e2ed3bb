# A def that never runs binds nothing: the call is a NameError.
if 0:
    def f():
        return 1
print("start")
print(f())
