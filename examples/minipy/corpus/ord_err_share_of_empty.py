def free_slots(capacity, used):
    return capacity - used


print("free:", free_slots(8, 3))
share = 120 // free_slots(8, 3)
print("share:", share)
share = 120 // free_slots(8, 8)
print("never printed", share)
