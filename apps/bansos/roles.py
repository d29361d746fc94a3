"""Who may do what in the bansos context, decided for the principal (see apps/ktp/roles.py for
a complete example)."""

GRUP_PETUGAS = "petugas_kemensos"
SCOPE_BACA = "bansos:baca"
SCOPE_PENYALURAN = "bansos:penyaluran"
