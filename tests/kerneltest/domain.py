"""A tiny aggregate: a counter owned by a person (whose name is personal data)."""

import uuid
from dataclasses import dataclass

from egov.eventstore.domain import Aggregate, DomainError, DomainEvent


@dataclass(frozen=True)
class PenghitungDibuat(DomainEvent):
    personal_fields = ("nama_pemilik",)
    subject_field = "pemilik"

    pemilik: str
    nama_pemilik: str


@dataclass(frozen=True)
class PenghitungDitambah(DomainEvent):
    schema_version = 2

    jumlah: int
    catatan: str = ""


class Penghitung(Aggregate):
    stream_type = "Penghitung"

    def __init__(self, aggregate_id: uuid.UUID):
        super().__init__(aggregate_id)
        self.nilai = 0
        self.pemilik = ""

    @classmethod
    def buat(cls, *, pemilik: str, nama: str) -> "Penghitung":
        counter = cls(uuid.uuid4())
        counter._record(PenghitungDibuat(pemilik=pemilik, nama_pemilik=nama))
        return counter

    def tambah(self, jumlah: int) -> None:
        if jumlah <= 0:
            raise DomainError("Jumlah harus positif.", code="jumlah_tidak_valid")
        self._record(PenghitungDitambah(jumlah=jumlah))

    def apply_PenghitungDibuat(self, event: PenghitungDibuat) -> None:
        self.pemilik = event.pemilik

    def apply_PenghitungDitambah(self, event: PenghitungDitambah) -> None:
        self.nilai += event.jumlah
