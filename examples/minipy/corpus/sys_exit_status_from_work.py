import sys

# Validate readings and report how many were rejected through the exit status.
rejected = 0
for reading in range(-3, 4):
    if reading < 0 or reading > 2:
        print("reading out of range:", reading)
        rejected += 1
print("rejected", rejected, "of 7 readings;", len(sys.argv) - 1, "arguments")
sys.exit(rejected)
