"""Bounded context: Bantuan sosial (Kemensos)."""
