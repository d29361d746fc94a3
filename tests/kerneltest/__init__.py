"""A context that exists only in tests: exercises the kernel without any domain code."""
