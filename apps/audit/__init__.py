"""Bounded context: Audit."""
