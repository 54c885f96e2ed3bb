print("%(a)s and %s" % {"a": 1})
