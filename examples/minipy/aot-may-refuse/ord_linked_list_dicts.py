def make_node(value, nxt=None):
    return {"value": value, "next": nxt}


def from_list(items):
    head = None
    for v in reversed(items):
        head = make_node(v, head)
    return head


def to_list(head):
    out = []
    while head is not None:
        out.append(head["value"])
        head = head["next"]
    return out


def reverse(head):
    prev = None
    while head:
        head["next"], prev, head = prev, head, head["next"]
    return prev


def merge(a, b):
    dummy = make_node(0)
    tail = dummy
    while a and b:
        if a["value"] <= b["value"]:
            tail["next"], a = a, a["next"]
        else:
            tail["next"], b = b, b["next"]
        tail = tail["next"]
    tail["next"] = a or b
    return dummy["next"]


def middle(head):
    slow = fast = head
    while fast and fast["next"]:
        slow = slow["next"]
        fast = fast["next"]["next"]
    return slow["value"] if slow else None


xs = from_list([1, 4, 6, 9, 12])
ys = from_list([2, 3, 7, 10])
print(to_list(xs), to_list(ys))
m = merge(xs, ys)
print(to_list(m), middle(m))
r = reverse(m)
print(to_list(r))
print(to_list(reverse(None)), middle(None), to_list(from_list(["a"])))
