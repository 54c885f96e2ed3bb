# KeyError's message is the repr of its one argument (quotes and all), as CPython's str()
# of a KeyError makes it.
def lookup(table, key):
    if key not in table:
        raise KeyError(key)
    return table[key]


ages = {"ann": 31, "bob": 27}
print(lookup(ages, "ann"))
print(lookup(ages, "carol's"))
