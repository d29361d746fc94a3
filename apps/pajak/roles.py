"""Who may do what in the pajak context, decided for the principal (see apps/ktp/roles.py for
a complete example)."""

GRUP_PETUGAS = "petugas_djp"
SCOPE_BACA = "pajak:baca"
SCOPE_PEMBAYARAN = "pajak:pembayaran"
