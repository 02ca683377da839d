"""What managers ask of their site's cases: the lists (service.py), statistics (stats.py), the
month's CSV rows (monthly.py), the periods they name (periods.py), and the indexes that make the
answers fast (indexes.py, migration 0010). The renderers they feed are in bot/reports/."""
