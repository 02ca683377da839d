"""Deadline clocks as the rules mean them: the site calendar, clock specs, due and reminder times,
clock status with pauses and extensions, B1's level rises, and the rules' default clocks.

Pure functions and frozen values: no database, no engine. Callers store starts, pauses,
extensions and met times as plain values and ask these functions again.
"""
