"""The baseline: DRF's textbook create. No authentication, permission or throttle class is
named here, so it runs behind REST_FRAMEWORK's defaults, exactly what egov's API views get
(the integrator's OAuth2 bearer token, ``IsAuthenticatedPrincipal``, the throttles)."""

from rest_framework import mixins, serializers, viewsets

from bench.crud_baseline.models import BarisCrud


class BarisCrudSerializer(serializers.ModelSerializer):
    class Meta:
        model = BarisCrud
        fields = ("id", "nik", "nama", "tanggal_lahir", "pernah_kawin", "jenis", "dibuat_pada")
        read_only_fields = ("id", "dibuat_pada")


class BarisCrudViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """A ModelViewSet cut down to ``create`` (POST only: nothing else is measured)."""

    queryset = BarisCrud.objects.all()
    serializer_class = BarisCrudSerializer
