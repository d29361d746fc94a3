"""Bounded context: Pajak (DJP)."""
