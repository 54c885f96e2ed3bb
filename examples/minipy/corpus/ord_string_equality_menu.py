def respond(command):
    if command == "start":
        return "starting"
    if command == "stop":
        return "stopping"
    if command == "":
        return "nothing to do"
    if command < "m":
        return "unknown early command"
    return "unknown late command"


print(respond("start"))
print(respond("stop"))
print(respond(""))
print(respond("help"))
print(respond("quit"))
print(respond("Start"))
