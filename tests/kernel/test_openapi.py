"""The OpenAPI document of every context's API is valid and generates without warnings."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db(databases="__all__")
def test_the_openapi_schema_is_valid_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    schema = target.read_text()
    assert "/api/v1/ktp/permohonan/" in schema
    assert "/api/v1/izin/" in schema
    assert "/api/v1/audit/kunci-publik/" in schema
