"""Bounded context: Izin usaha (OSS-RBA)."""
