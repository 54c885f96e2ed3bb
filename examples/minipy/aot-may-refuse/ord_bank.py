accounts = {}
log = []


def open_account(name, deposit=0):
    if name in accounts:
        raise_error = f"account {name} exists"
        log.append(raise_error)
        return False
    accounts[name] = deposit
    log.append(f"open {name} {deposit}")
    return True


def transfer(src, dst, amount):
    if accounts.get(src, 0) < amount:
        log.append(f"refused {src}->{dst} {amount}")
        return False
    accounts[src] -= amount
    accounts[dst] = accounts.get(dst, 0) + amount
    log.append("transfer %s->%s %d" % (src, dst, amount))
    return True


open_account("alice", 100)
open_account("bob")
open_account("alice", 5)
transfer("alice", "bob", 30)
transfer("bob", "carol", 50)
transfer("bob", "carol", 20)
for line in log:
    print(line)
total = sum(accounts.values())
print("%-8s|%8s" % ("name", "balance"))
for name, bal in sorted(accounts.items()):
    print("%-8s|%8d|%5.1s" % (name, bal, name.upper()))
print("total %d, richest %s" % (total, max(accounts, key=accounts.get)))
print(accounts)
