def span(start, stop, step=1):
    return (stop - start) // step


print(span(0, 10), span(0, 10, 3))
print(span())
