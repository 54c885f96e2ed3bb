print("\N")
