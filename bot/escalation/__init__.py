"""Alerts raised by procedures, acknowledged by people, climbing a site's chain when nobody does."""
