"""Working time on the Russian production calendar (pure Python, no Django)."""
