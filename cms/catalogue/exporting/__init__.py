"""Export information resources as CSV, JSON and DCAT JSON-LD (public endpoints and a command)."""
