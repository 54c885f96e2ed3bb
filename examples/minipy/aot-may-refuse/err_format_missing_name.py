row = {"name": "ann", "age": 31}
print("{name} is {age}".format(**row))
print("{name} lives in {city}".format(**row))
