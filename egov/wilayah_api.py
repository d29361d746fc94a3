"""Public, read-only search of the Kemendagri region table, the source of the region pickers:
``GET /api/v1/wilayah/?q=bandung&tingkat=kabupaten&induk=32``. It holds no personal data, so
anyone may call it. A portal session is recognised only so that a signed-in citizen is
throttled per account rather than per address (an office behind one NAT address); everyone
else meets the anonymous throttle. Also the DRF field that validates a region code in other
APIs (``KodeWilayahField``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from egov import wilayah
from egov.wilayah_forms import kode_salah, tingkat_tuple

Q_MAX_LENGTH = 100
BATAS_DEFAULT, BATAS_MAKS = 20, 200  # 200: the longest list of children is 108 villages
MSG_Q_TERLALU_PANJANG = gettext_lazy("Teks pencarian paling banyak {max_length} karakter.")
MSG_TINGKAT = gettext_lazy(
    'Tingkat "{input}" tidak dikenal: pilih provinsi, kabupaten, kecamatan atau kelurahan.'
)
MSG_INDUK = gettext_lazy("Induk harus kode wilayah 2, 4 atau 6 digit, mis. 32 atau 3273.")
MSG_BATAS = gettext_lazy("Batas harus bilangan bulat 1 sampai 200.")


class KodeWilayahField(serializers.CharField):
    """A known region code of one of ``tingkat`` (400 otherwise), dots allowed: "32.73.01" is
    cleaned to "327301". The same rule as the portal's ``WilayahField``."""

    def __init__(self, *, tingkat: str | Iterable[str], **kwargs):
        self.tingkat = tingkat_tuple(tingkat)
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> str:
        kode = wilayah.kode_bersih(super().to_internal_value(data))
        if self.max_length is not None and len(kode) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        refused = kode_salah(kode, self.tingkat)
        if refused:
            code, message = refused
            raise serializers.ValidationError(message, code=code)
        return kode


class WilayahCariInput(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=Q_MAX_LENGTH,
        default="",
        help_text="Bagian nama (tanpa beda huruf besar/kecil dan spasi) atau awal kode (32.73).",
        error_messages={"max_length": MSG_Q_TERLALU_PANJANG},
    )
    tingkat = serializers.MultipleChoiceField(
        choices=wilayah.TINGKAT,
        required=False,
        help_text="Tingkat yang dicari (boleh diulang); tanpa q: anak langsung dari induk.",
        error_messages={"invalid_choice": MSG_TINGKAT},
    )
    induk = serializers.RegexField(
        r"^([0-9]{2}|[0-9]{4}|[0-9]{6})$",
        required=False,
        allow_blank=True,
        default="",
        help_text="Hanya wilayah di bawah kode ini (2, 4 atau 6 digit).",
        error_messages={"invalid": MSG_INDUK},
    )
    batas = serializers.IntegerField(
        required=False,
        default=BATAS_DEFAULT,
        min_value=1,
        max_value=BATAS_MAKS,
        error_messages={key: MSG_BATAS for key in ("invalid", "min_value", "max_value")},
    )


class WilayahOutput(serializers.Serializer):
    kode = serializers.CharField(help_text="tanpa titik, seperti di NIK: 32, 3273, 327301, ...")
    nama = serializers.CharField()
    tingkat = serializers.ChoiceField(choices=wilayah.TINGKAT)
    induk = serializers.CharField(help_text="kode induk; kosong untuk provinsi")
    nama_lengkap = serializers.CharField(help_text="mis. Sukasari, Kota Bandung, Jawa Barat")


class WilayahCariOutput(serializers.Serializer):
    hasil = WilayahOutput(many=True)
    sumber = serializers.CharField(help_text="asal data dan lisensinya (ODbL): sertakan")


class WilayahCariApi(APIView):
    permission_classes = (AllowAny,)
    authentication_classes = (SessionAuthentication,)  # for the throttle only: see above

    @extend_schema(
        parameters=[WilayahCariInput],
        responses={200: WilayahCariOutput},
        operation_id="wilayah_cari",
    )
    def get(self, request):
        query = WilayahCariInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = wilayah.cari(
            query.validated_data["q"],
            tingkat=query.validated_data.get("tingkat") or None,
            induk=query.validated_data["induk"],
            batas=query.validated_data["batas"],
        )
        hasil = [
            {
                "kode": region.kode,
                "nama": region.nama,
                "tingkat": region.tingkat,
                "induk": region.induk,
                "nama_lengkap": wilayah.nama_lengkap(region.kode),
            }
            for region in found
        ]
        body = WilayahCariOutput({"hasil": hasil, "sumber": wilayah.sumber().atribusi}).data
        # The table changes only with a release: a picker may reuse an answer for an hour.
        return Response(body, headers={"Cache-Control": "public, max-age=3600"})
