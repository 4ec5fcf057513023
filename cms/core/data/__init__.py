"""Reference data shared by migrations and code (plain Python, no Django imports)."""
