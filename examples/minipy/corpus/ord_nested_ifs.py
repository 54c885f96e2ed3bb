def category(age, member):
    if age < 18:
        if member:
            return "junior member"
        return "junior"
    else:
        if age >= 65:
            if member:
                return "senior member"
            return "senior"
        if member:
            return "member"
    return "guest"


for age in range(10, 80, 17):
    print(age, category(age, age % 2 == 0), category(age, False))
