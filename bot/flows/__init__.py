"""Procedures as data: playbook files, their schema, loader and checks."""
