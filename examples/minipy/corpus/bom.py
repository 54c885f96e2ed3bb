print("a byte-order mark first is allowed")
