header = "name   score"
rule = "------------"
print(header)
print(rule)
print("alice", 90)
print("bob", 85)
print("""Totals
are below""")
print('it\'s', "a \"quote\"", 'tab\there')
