def connect(host, port=80, *, timeout, retries=3):
    return host, port, timeout, retries


print(connect("a", timeout=5))
print(connect("b", 8080, timeout=1, retries=0))
print(connect("c", 1))
