"""API routes of the bansos context (mounted at /api/v1/bansos/). Households, rounds and
instructions are named by their internal ids: no NIK or KK number in any URL."""

from django.urls import path

from apps.bansos import api, api_kanal, api_penerima, api_siklus

app_name = "bansos_api"
urlpatterns = [
    # officers: households
    path("usulan/", api.BansosAjukanUsulanApi.as_view(), name="ajukan-usulan"),
    path("antrean/", api.BansosAntreanApi.as_view(), name="antrean"),
    path("usulan/<uuid:usulan_id>/", api.BansosUsulanDetailApi.as_view(), name="usulan"),
    path(
        "usulan/<uuid:usulan_id>/verifikasi/",
        api.BansosVerifikasiUsulanApi.as_view(),
        name="verifikasi",
    ),
    path(
        "usulan/<uuid:usulan_id>/penetapan/",
        api.BansosTetapkanPenerimaApi.as_view(),
        name="penetapan",
    ),
    path(
        "usulan/<uuid:usulan_id>/penolakan/", api.BansosTolakUsulanApi.as_view(), name="penolakan"
    ),
    path(
        "usulan/<uuid:usulan_id>/penangguhan/",
        api.BansosTangguhkanPenerimaApi.as_view(),
        name="penangguhan",
    ),
    # a recipient after the decision: officers; compliance also integrators
    # (bansos:kepatuhan); the appeal: a citizen member of the household
    path(
        "usulan/<uuid:usulan_id>/aktifkan-kembali/",
        api_penerima.BansosAktifkanKembaliApi.as_view(),
        name="aktifkan-kembali",
    ),
    path(
        "usulan/<uuid:usulan_id>/graduasi/",
        api_penerima.BansosGraduasiApi.as_view(),
        name="graduasi",
    ),
    path(
        "usulan/<uuid:usulan_id>/keluarkan/",
        api_penerima.BansosKeluarkanApi.as_view(),
        name="keluarkan",
    ),
    path(
        "usulan/<uuid:usulan_id>/kepatuhan/",
        api_penerima.BansosKepatuhanApi.as_view(),
        name="kepatuhan",
    ),
    path(
        "usulan/<uuid:usulan_id>/keberatan/",
        api_penerima.BansosKeberatanApi.as_view(),
        name="keberatan",
    ),
    path(
        "usulan/<uuid:usulan_id>/keberatan/jawaban/",
        api_penerima.BansosJawabKeberatanApi.as_view(),
        name="jawab-keberatan",
    ),
    # officers: disbursement rounds and the dashboard
    path("siklus/", api_siklus.BansosSiklusApi.as_view(), name="siklus"),
    path(
        "siklus/<uuid:siklus_id>/", api_siklus.BansosSiklusDetailApi.as_view(), name="siklus-detail"
    ),
    path(
        "siklus/<uuid:siklus_id>/pengajuan/",
        api_siklus.BansosAjukanSiklusApi.as_view(),
        name="pengajuan",
    ),
    path(
        "siklus/<uuid:siklus_id>/persetujuan/",
        api_siklus.BansosSetujuiSiklusApi.as_view(),
        name="persetujuan",
    ),
    path(
        "siklus/<uuid:siklus_id>/instruksi/",
        api_siklus.BansosBuatInstruksiApi.as_view(),
        name="buat-instruksi",
    ),
    path(
        "siklus/<uuid:siklus_id>/penutupan/",
        api_siklus.BansosTutupSiklusApi.as_view(),
        name="penutupan",
    ),
    path("dasbor/", api_siklus.BansosDasborApi.as_view(), name="dasbor"),
    # payment channels (scope bansos:penyaluran)
    path("instruksi/", api_kanal.BansosInstruksiKanalApi.as_view(), name="instruksi"),
    path(
        "instruksi/<uuid:instruksi_id>/laporan/",
        api_kanal.BansosLaporanApi.as_view(),
        name="laporan",
    ),
]
