"""A run seen from outside: its live progress, its verdict and exit code, its summary."""
