def average(count, total_in):
    if count > 0:
        total = total_in
    # A typo: 'totl' is close to 'total', which CPython suggests even though the
    # branch that binds it did not run.
    return totl // count


print(average(3, 12))
print(average(0, 0))
