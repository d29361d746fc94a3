"""The monthly tax report as files: CSV streamed line by line, XLSX written by openpyxl in
write-only mode (rows go to a temporary file, never all in memory). Built only from the read
database (``queries.laporan_bulanan``); used by the API, the admin download and
``manage.py laporan_pajak_bulanan``.

Columns are stable machine names (a report is data, read by other programs); amounts are
whole rupiah, the compliance rate a percentage with two decimals ("" when no return was
due). The last row is the total (``jenis_pajak`` = ``TOTAL``), whose payers are distinct
taxpayers (one who paid two taxes counts once).
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from typing import BinaryIO

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook

from apps.pajak.queries import BarisLaporan, laporan_bulanan, masa_laporan

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KOLOM = (
    "masa",
    "jenis_pajak",
    "kode_provinsi",
    "provinsi",
    "penerimaan_rupiah",
    "jumlah_transaksi",
    "jumlah_pembayar",
    "wajib_lapor_spt",
    "lapor_tepat_waktu",
    "lapor_terlambat",
    "tingkat_kepatuhan_persen",
)
TOTAL = "TOTAL"
SPOOL_BYTES = 4 * 1024 * 1024  # an XLSX larger than this is spooled to disk


def nilai(baris: BarisLaporan) -> list:
    """One row's cells, in ``KOLOM`` order (None: an empty cell)."""
    return [
        baris.masa,
        TOTAL if baris.total else baris.jenis_pajak,
        baris.kode_provinsi,
        baris.nama_provinsi,
        baris.jumlah_rupiah,
        baris.jumlah_transaksi,
        baris.jumlah_pembayar,
        baris.wajib_lapor,
        baris.tepat_waktu,
        baris.terlambat,
        baris.tingkat_kepatuhan,
    ]


def baris_csv(masa: str) -> Iterator[str]:
    """The report as CSV text, one line at a time (header first)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(cells) -> str:
        writer.writerow("" if cell is None else cell for cell in cells)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield line(KOLOM)
    for baris in laporan_bulanan(masa):
        yield line(nilai(baris))


def tulis_csv(masa: str, tujuan) -> None:
    for text in baris_csv(masa):
        tujuan.write(text)


def tulis_xlsx(masa: str, tujuan: BinaryIO) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=f"Laporan {masa}")
    sheet.append(KOLOM)
    for baris in laporan_bulanan(masa):
        sheet.append(nilai(baris))
    workbook.save(tujuan)


def nama_berkas(masa: str, ext: str) -> str:
    return f"laporan-pajak-{masa}.{ext}"


def respons_csv(masa: str) -> StreamingHttpResponse:
    masa = masa_laporan(masa)  # refused before the stream starts, not in the middle of it
    response = StreamingHttpResponse(baris_csv(masa), content_type=f"{CSV}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{nama_berkas(masa, "csv")}"'
    return response


def respons_xlsx(masa: str) -> FileResponse:
    masa = masa_laporan(masa)
    berkas = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by the response
    tulis_xlsx(masa, berkas)
    berkas.seek(0)
    return FileResponse(
        berkas, as_attachment=True, filename=nama_berkas(masa, "xlsx"), content_type=XLSX
    )
