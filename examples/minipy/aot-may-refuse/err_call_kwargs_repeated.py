def greet(name, greeting="hello"):
    return f"{greeting}, {name}"


settings = {"greeting": "hi"}
print(greet("ann", **settings))
print(greet("bob", greeting="hey", **settings))
