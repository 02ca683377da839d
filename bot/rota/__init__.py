"""Who is on duty: a weekly rota per site and role, and one-off swaps."""
