"""The event-sourcing kernel shared by every bounded context (no domain code here)."""
