"""dutybot: incident procedures for security guards and hotel staff, one question at a time."""

__version__ = "0.1.0"
