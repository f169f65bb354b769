"""The project's test suite (a package, so spawn/forkserver children can import its targets)."""
