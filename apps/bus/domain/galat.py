"""Why the bus refuses an envelope: one class per answer, each with a stable ``code``, the
field it is about (for a malformed envelope) and the HTTP status the HTTP door answers with.
The NATS door maps the same refusals to "terminate" (never redelivered: the envelope will not
become valid) with the code as the logged reason.

Messages are Indonesian msgids (the doors translate them); plain Python, no Django.
"""

from __future__ import annotations

from egov.eventstore.domain import InvalidInput
from egov.principals import gettext_noop

MSG_BUKAN_OBJEK = gettext_noop("Harus berupa objek JSON.")
MSG_JENIS_TIDAK_DIKENAL = gettext_noop(
    "Jenis peristiwa tidak dikenal bus (KematianDicatat, KKDiupdate, NISNDiverifikasi)."
)
MSG_INSTANSI_TIDAK_DIKENAL = gettext_noop("Instansi pengirim tidak terdaftar atau tidak aktif.")
MSG_TANDA_TANGAN_TIDAK_SAH = gettext_noop(
    "Tanda tangan tidak sah untuk kunci publik instansi pengirim."
)
MSG_HASH_TIDAK_COCOK = gettext_noop("payload tidak cocok dengan payload_hash yang ditandatangani.")
MSG_JENIS_TIDAK_DIIZINKAN = gettext_noop(
    "Instansi ini tidak berwenang mengirim jenis peristiwa ini."
)
MSG_ID_DIPAKAI = gettext_noop("message_id ini sudah dipakai untuk amplop yang berbeda.")


class PesanDitolak(InvalidInput):
    """Base of every refusal; ``status_code`` is the HTTP door's answer (the kernel's API
    exception handler honours it on ``InvalidInput``)."""

    status_code = 400
    field = ""


class AmplopTidakSah(PesanDitolak):
    """Malformed (400): ``field`` names the first wrong field (``payload.nik``)."""

    code = "amplop_tidak_sah"

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class TidakTerautentikasi(PesanDitolak):
    """Unknown or inactive agency, bad signature, payload not the one signed (401)."""

    status_code = 401


class TidakDiizinkan(PesanDitolak):
    """The agency may not publish this event type (403)."""

    status_code = 403
    code = "jenis_tidak_diizinkan"


class IdPesanDipakai(PesanDitolak):
    """Another envelope already came under this message id (409): nothing is applied."""

    status_code = 409
    code = "message_id_dipakai"
