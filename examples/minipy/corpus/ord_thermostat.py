target = 21
temperature = 15
heater = False
for minute in range(40):
    if temperature < target - 1:
        heater = True
    elif temperature > target + 1:
        heater = False
    if heater:
        temperature += 1
    elif minute % 3 == 0:
        temperature -= 1
    if minute % 5 == 0:
        print("minute", minute, "temperature", temperature, "heater", "on" if heater else "off")
