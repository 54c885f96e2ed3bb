books = {}
members = {}
loans = []


def add_book(isbn, title, author, copies=1):
    if isbn in books:
        books[isbn]["copies"] += copies
    else:
        books[isbn] = {"title": title, "author": author, "copies": copies, "out": 0}


def join(name, *, limit=2):
    members[name] = {"limit": limit, "books": []}


def lend(isbn, name):
    book, member = books.get(isbn), members.get(name)
    if book is None or member is None:
        return f"unknown {'book' if book is None else 'member'}"
    if book["out"] >= book["copies"]:
        return f"no copies of {book['title']!r} left"
    if len(member["books"]) >= member["limit"]:
        return f"{name} already has {member['limit']} books"
    book["out"] += 1
    member["books"].append(isbn)
    loans.append((name, isbn))
    return "ok"


def give_back(isbn, name):
    member = members[name]
    if isbn not in member["books"]:
        raise KeyError(f"{name} does not have {isbn}")
    member["books"].remove(isbn)
    books[isbn]["out"] -= 1


add_book("111", "Dune", "Herbert", 2)
add_book("222", "Emma", "Austen")
add_book("333", "Ulysses", "Joyce")
add_book("111", "Dune", "Herbert")
join("ann")
join("bob", limit=1)
for isbn, name in [("111", "ann"), ("222", "ann"), ("333", "ann"), ("222", "bob"),
                   ("111", "bob"), ("444", "bob"), ("111", "eve"), ("333", "bob")]:
    print(f"lend {isbn} to {name}: {lend(isbn, name)}")
give_back("222", "ann")
print(lend("222", "bob"), lend("333", "ann"))
for isbn in sorted(books):
    b = books[isbn]
    print("%-8s %-8s %d/%d" % (b["title"], b["author"], b["copies"] - b["out"], b["copies"]))
print({name: m["books"] for name, m in members.items()})
print(len(loans), sorted(set(n for n, _ in loans)))
give_back("999", "bob")
