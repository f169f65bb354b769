"""compat: legacy camelCase threading and pyprocessing 0.52 names (filled in by its own issue)."""
