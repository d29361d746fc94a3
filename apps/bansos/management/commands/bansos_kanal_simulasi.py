"""``manage.py bansos_kanal_simulasi --client-id X --secret Y [--url http://127.0.0.1:8000]
[--kanal BRI] [--siklus ID] [--sekali] [--jeda 5]``: a simulated payment channel (a Himbara
bank and PT Pos) that answers egov's payment instructions asynchronously, over the API only,
as a real channel would: it obtains a token by OAuth2 client credentials (scope
``bansos:penyaluran``), polls ``GET /api/v1/bansos/instruksi/`` for the instructions waiting
for an outcome, and reports one step per instruction per round:

- an instruction just made (``DIBUAT``): ``DISALURKAN`` with a transaction number and the
  amount, or ``GAGAL`` (a closed account), or ``TIDAK_DIAMBIL`` (not collected);
- not collected: ``DIALIHKAN_KE_POS`` (handed to PT Pos) on the next round;
- at PT Pos: ``DIKEMBALIKAN`` (returned to the treasury, with the receipt) on the next round.

The mix is deterministic: each instruction's fate follows from its id (and ``--benih``) and
``--pola`` (D disbursed, G failed, T not collected; default 8 in 10 disbursed), so a report
sent again, because the read side had not caught up yet, is the same report (200, nothing
recorded). Each report carries ``Idempotency-Key: <instruksi_id>:<status>``. ``--sekali``: one
round and exit; else a round every ``--jeda`` seconds until interrupted.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from apps.bansos.domain.rules import DIALIHKAN_KE_POS, DIBUAT, KANAL, TIDAK_DIAMBIL

OAUTH_PATH = "/o/token/"
INSTRUKSI_PATH = "/api/v1/bansos/instruksi/"
POLA = "DDDDDDDDGT"  # per ten instructions: 8 disbursed, 1 failed, 1 not collected


def minta(
    method: str, url: str, *, headers: dict[str, str], body: bytes | None = None
) -> tuple[int, object]:
    """One HTTP exchange: (status, JSON answer) whatever the status."""
    request = urllib.request.Request(  # noqa: S310 - the operator gives the URL
        url, data=body, method=method, headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=30.0) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def nasib(instruksi_id: str, *, pola: str = POLA, benih: str = "") -> str:
    """The instruction's fate (a letter of ``pola``), from its id alone."""
    digest = hashlib.sha256(f"{benih}:{instruksi_id}".encode()).digest()
    return pola[int.from_bytes(digest[:8], "big") % len(pola)]


def laporan(instruksi: dict, *, pola: str = POLA, benih: str = "") -> dict | None:
    """The report the channel sends now for ``instruksi`` (as the poll lists it), or None."""
    kunci = uuid.UUID(instruksi["instruksi_id"]).hex[:12].upper()
    if instruksi["status"] == TIDAK_DIAMBIL:
        return {"status": "DIALIHKAN_KE_POS"}
    if instruksi["status"] == DIALIHKAN_KE_POS:
        return {
            "status": "DIKEMBALIKAN",
            "nominal": instruksi["nominal"],
            "referensi": f"RTR-{kunci}",
        }
    if instruksi["status"] != DIBUAT:
        return None
    huruf = nasib(instruksi["instruksi_id"], pola=pola, benih=benih)
    if huruf == "G":
        return {"status": "GAGAL", "alasan": "Rekening tidak aktif (simulasi)"}
    if huruf == "T":
        return {"status": "TIDAK_DIAMBIL"}
    ntx = f"{instruksi['kanal']}-{kunci}"
    return {"status": "DISALURKAN", "ntx": ntx, "nominal": instruksi["nominal"]}


class KanalSimulasi:
    """The channel's client: its token, its poll, its reports."""

    def __init__(self, *, url: str, client_id: str, secret: str, pola: str, benih: str):
        self.url, self.client_id, self.secret = url.rstrip("/"), client_id, secret
        self.pola, self.benih = pola, benih
        self._token = ""

    def token(self) -> str:
        basic = base64.b64encode(f"{self.client_id}:{self.secret}".encode()).decode()
        # no scope asked: every scope the channel's agency was granted (its channel's too)
        body = urllib.parse.urlencode({"grant_type": "client_credentials"})
        status, answer = minta(
            "POST",
            self.url + OAUTH_PATH,
            headers={
                "Authorization": f"Basic {basic}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            body=body.encode(),
        )
        if status != 200:
            raise CommandError(f"token refused: HTTP {status} {answer}")
        self._token = answer["access_token"]
        return self._token

    def _api(self, method: str, path: str, body: dict | None = None, kunci: str = ""):
        for _attempt in range(2):  # an expired token: one new token, once
            headers = {"Authorization": f"Bearer {self._token or self.token()}"}
            if body is not None:
                headers["Content-Type"] = "application/json"
            if kunci:
                headers["Idempotency-Key"] = kunci
            data = json.dumps(body).encode() if body is not None else None
            status, answer = minta(method, self.url + path, headers=headers, body=data)
            if status != 401:
                return status, answer
            self._token = ""
        raise CommandError(f"not authenticated: HTTP 401 {answer}")

    def putaran(self, *, kanal: str = "", siklus: str = "") -> Counter:
        """One round: poll, then one report per instruction waiting. Counts what was
        recorded (by report), what was already known (``SAMA``) and refused (``DITOLAK``)."""
        query = {k: v for k, v in {"kanal": kanal, "siklus": siklus}.items() if v}
        path = INSTRUKSI_PATH + (f"?{urllib.parse.urlencode(query)}" if query else "")
        status, daftar = self._api("GET", path)
        if status != 200:
            raise CommandError(f"poll refused: HTTP {status} {daftar}")
        hasil: Counter = Counter()
        for instruksi in daftar:
            isi = laporan(instruksi, pola=self.pola, benih=self.benih)
            if isi is None:
                continue
            i = instruksi["instruksi_id"]
            path = f"{INSTRUKSI_PATH}{i}/laporan/"
            status, _answer = self._api("POST", path, isi, kunci=f"{i}:{isi['status']}")
            hasil[{201: isi["status"], 200: "SAMA"}.get(status, "DITOLAK")] += 1
        return hasil


class Command(BaseCommand):
    help = "A simulated payment channel answering bansos payment instructions over the API."

    def add_arguments(self, parser):
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--secret", required=True)
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="egov's base URL.")
        parser.add_argument("--kanal", choices=KANAL, default="", help="Only this channel's.")
        parser.add_argument("--siklus", default="", help="Only this round's (its id).")
        parser.add_argument(
            "--pola", default=POLA, help="Fates: D disbursed, G failed, T not collected."
        )
        parser.add_argument("--benih", default="", help="Mixed into each fate (another mix).")
        parser.add_argument("--sekali", action="store_true", help="One round, then exit.")
        parser.add_argument("--jeda", type=float, default=5.0, help="Seconds between rounds.")

    def handle(self, *args, **o):
        if not o["pola"] or set(o["pola"]) - set("DGT"):
            raise CommandError("--pola: only the letters D, G and T")
        kanal = KanalSimulasi(
            url=o["url"],
            client_id=o["client_id"],
            secret=o["secret"],
            pola=o["pola"],
            benih=o["benih"],
        )
        while True:
            hasil = kanal.putaran(kanal=o["kanal"], siklus=o["siklus"])
            self.stdout.write(" ".join(f"{k}={v}" for k, v in sorted(hasil.items())) or "-")
            if o["sekali"]:
                return
            time.sleep(o["jeda"])
