"""DRF API of the pajak context. Thin: one view per operation calling one command or query.
This module: the aggregates; ``api_wajib_pajak.py``: one taxpayer's records and the writes.

- Aggregates (the DJP dashboard, the monthly report): DJP officers (group ``petugas_djp``) and
  integrators with scope ``pajak:baca``. They carry no personal data, so reading them records
  no access event; the overdue list (pseudonymous ids) is an officer's, for their office only.
- One taxpayer's records (``wajib-pajak/{id}/...``): the taxpayer themselves and the officers
  of their office (tax secrecy, UU KUP Pasal 34); any other reader gets 404. Every read by
  someone other than the taxpayer is recorded for "who viewed my data" (``record_view``).
- Writes go through ``egov.doors.api_command`` (``Idempotency-Key`` honoured): registering a
  company (officers of its office, scope ``pajak:daftar``), a citizen activating their own
  verified NIK as NPWP, billing codes and simple returns (the taxpayer, or an officer of their
  office), payments reported by perception banks (scope ``pajak:pembayaran``, idempotent on
  the NTPN: 201 recorded, 200 the same report again; that view calls ``egov.api.idempotent``
  itself, as its status depends on the command's answer). No NIK or NPWP ever travels in a
  URL: taxpayers are named by their internal id.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.pajak import laporan, queries
from egov import clock
from egov.api import PDFRenderer
from egov.portal.accounts import principal_of

MASA_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"


class CSVRenderer(PDFRenderer):
    """``Accept: text/csv`` or ``?format=csv``: the view streams the file itself; a refusal
    is still JSON (and says so), as for PDF downloads."""

    media_type = laporan.CSV
    format = "csv"


class XLSXRenderer(PDFRenderer):
    media_type = laporan.XLSX
    format = "xlsx"


class PenerimaanOutput(serializers.Serializer):
    jenis_pajak = serializers.CharField(help_text="Tax code; empty on a per-province total.")
    kode_provinsi = serializers.CharField(help_text="Province code; empty on a per-tax total.")
    nama_provinsi = serializers.CharField()
    jumlah_rupiah = serializers.IntegerField()
    jumlah_transaksi = serializers.IntegerField()


class RingkasanPenerimaanOutput(serializers.Serializer):
    jumlah_rupiah = serializers.IntegerField()
    jumlah_transaksi = serializers.IntegerField()
    per_jenis = PenerimaanOutput(many=True)
    per_provinsi = PenerimaanOutput(many=True)
    rinci = PenerimaanOutput(many=True, help_text="Each tax in each province.")


class KodeBillingStatistikOutput(serializers.Serializer):
    diterbitkan = serializers.IntegerField()
    dibayar = serializers.IntegerField()
    kedaluwarsa = serializers.IntegerField()


class SPTStatistikOutput(serializers.Serializer):
    masa = serializers.CharField()
    jenis_pajak = serializers.CharField()
    wajib_lapor = serializers.IntegerField()
    tepat_waktu = serializers.IntegerField()
    terlambat = serializers.IntegerField()
    belum_lapor = serializers.IntegerField()


class TunggakanOutput(serializers.Serializer):
    kewajiban_id = serializers.UUIDField()
    wajib_pajak_id = serializers.UUIDField(help_text="Pseudonymous taxpayer id (no NPWP).")
    jenis_pajak = serializers.CharField()
    masa = serializers.CharField()
    kode_wilayah = serializers.CharField()
    tenggat = serializers.DateField()
    hari_terlambat = serializers.IntegerField()
    kurang_bayar = serializers.IntegerField()
    denda = serializers.IntegerField()
    tunggakan = serializers.IntegerField()


class DasborOutput(serializers.Serializer):
    hari_ini = serializers.DateField(help_text="The Jakarta date the figures are for.")
    bulan = serializers.CharField()
    penerimaan_hari_ini = RingkasanPenerimaanOutput()
    penerimaan_bulan_ini = RingkasanPenerimaanOutput()
    kode_billing_hari_ini = KodeBillingStatistikOutput()
    kode_billing_bulan_ini = KodeBillingStatistikOutput()
    spt = SPTStatistikOutput(many=True)
    jumlah_tunggakan = serializers.IntegerField()
    tunggakan_teratas = TunggakanOutput(
        many=True,
        allow_null=True,
        help_text="The largest overdue obligations of the officer's office; null for an "
        "integrator (aggregates only).",
    )


class BarisLaporanOutput(serializers.Serializer):
    masa = serializers.CharField()
    jenis_pajak = serializers.CharField()
    kode_provinsi = serializers.CharField()
    nama_provinsi = serializers.CharField()
    jumlah_rupiah = serializers.IntegerField()
    jumlah_transaksi = serializers.IntegerField()
    jumlah_pembayar = serializers.IntegerField()
    wajib_lapor = serializers.IntegerField()
    tepat_waktu = serializers.IntegerField()
    terlambat = serializers.IntegerField()
    tingkat_kepatuhan = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


class LaporanOutput(serializers.Serializer):
    masa = serializers.CharField()
    baris = BarisLaporanOutput(many=True)
    total = BarisLaporanOutput(help_text="Payers here are distinct taxpayers.")


class PajakDasborApi(APIView):
    @extend_schema(
        responses={200: DasborOutput},
        operation_id="pajak_dasbor",
        description=(
            "The DJP dashboard, from pre-aggregated read tables: receipts today and this "
            "month by tax and province, billing codes issued / paid / expired, returns filed "
            "on time / late per period and tax, overdue obligations."
        ),
    )
    def get(self, request):
        dasbor = queries.dasbor_untuk(principal_of(request), clock.today())
        return Response(DasborOutput(dasbor).data)


class PajakLaporanApi(APIView):
    renderer_classes = (JSONRenderer, CSVRenderer, XLSXRenderer)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "masa",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                pattern=MASA_PATTERN,
                description="The month, YYYY-MM.",
            ),
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=["json", "csv", "xlsx"],
                description="Instead of the Accept header.",
            ),
        ],
        responses={
            (200, "application/json"): LaporanOutput,
            (200, laporan.CSV): OpenApiTypes.STR,
            (200, laporan.XLSX): OpenApiTypes.BINARY,
        },
        operation_id="pajak_laporan",
        description=(
            "The monthly report per tax and province: receipts, transactions, payers, "
            "returns due that month and the share filed on time. JSON, CSV (streamed) or "
            "XLSX, by Accept or ?format."
        ),
    )
    def get(self, request, masa: str):
        queries.require_pembaca_statistik(principal_of(request))
        masa = queries.masa_laporan(masa)
        if request.accepted_renderer.format == "csv":
            return laporan.respons_csv(masa)
        if request.accepted_renderer.format == "xlsx":
            return laporan.respons_xlsx(masa)
        *baris, total = queries.laporan_bulanan(masa)
        return Response(LaporanOutput({"masa": masa, "baris": baris, "total": total}).data)
