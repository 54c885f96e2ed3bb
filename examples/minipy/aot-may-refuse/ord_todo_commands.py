# A to-do list manager driven by a list of commands
commands = [
    "add buy milk",
    "add write report",
    "add call mom",
    "done 2",
    "add water plants",
    "remove 1",
    "list",
    "done 9",
]
todos = []
for cmd in commands:
    action, _, rest = cmd.partition(" ")
    if action == "add":
        todos.append({"text": rest, "done": False})
        print(f"added #{len(todos)}: {rest}")
    elif action == "done":
        i = int(rest) - 1
        if 0 <= i < len(todos):
            todos[i]["done"] = True
            print("completed", todos[i]["text"])
        else:
            print("no such item", rest)
    elif action == "remove":
        gone = todos.pop(int(rest) - 1)
        print("removed", gone["text"])
    elif action == "list":
        for n, t in enumerate(todos, 1):
            mark = "x" if t["done"] else " "
            print(f"  [{mark}] {n}. {t['text']}")
print(sum(1 for t in todos if not t["done"]), "left")
