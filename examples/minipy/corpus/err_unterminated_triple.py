x = 1
s = """abc

foo
