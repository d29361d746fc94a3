"""Bounded context: e-KTP (Dukcapil)."""
