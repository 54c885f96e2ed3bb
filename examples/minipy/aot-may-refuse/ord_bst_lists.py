# Binary search tree with nested lists [value, left, right]
def insert(node, v):
    if node is None:
        return [v, None, None]
    if v < node[0]:
        node[1] = insert(node[1], v)
    elif v > node[0]:
        node[2] = insert(node[2], v)
    return node


def inorder(node, out):
    if node:
        inorder(node[1], out)
        out.append(node[0])
        inorder(node[2], out)
    return out


def height(node):
    return 0 if node is None else 1 + max(height(node[1]), height(node[2]))


root = None
for v in [50, 30, 70, 20, 40, 60, 80, 35, 45, 65]:
    root = insert(root, v)
print(inorder(root, []))
print("height", height(root))
print(35 in inorder(root, []), 36 in inorder(root, []))
