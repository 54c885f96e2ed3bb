def greet(name):
    print("hello", name)


greet("ada")
greet("ada", "lovelace")
