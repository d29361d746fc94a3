"""Database per context: every table on exactly one alias; no relation across aliases."""

import pytest
from django.apps import apps
from django.db import connections, models
from django.test.utils import isolate_apps

from egov.checks import relation_errors
from egov.databases import build_databases
from egov.db import ContextRouter, alias_for_model
from egov.eventstore.models import Checkpoint
from tests.kerneltest.models import CounterView, KernelEvent

pytestmark = pytest.mark.django_db(databases="__all__")


def _tables(alias: str) -> set[str]:
    return set(connections[alias].introspection.table_names())


def test_models_are_routed_to_their_context_and_side():
    from django.contrib.auth.models import User

    assert alias_for_model(KernelEvent) == "kerneltest"
    assert alias_for_model(CounterView) == "kerneltest_read"
    assert alias_for_model(apps.get_model("ktp", "KtpEvent")) == "ktp"
    assert alias_for_model(User) == "default"


def test_each_table_exists_only_on_its_own_alias():
    assert "kerneltest_event" in _tables("kerneltest")
    assert "kerneltest_event" not in _tables("kerneltest_read") | _tables("default")
    assert "kerneltest_counterview" in _tables("kerneltest_read")
    assert "kerneltest_counterview" not in _tables("kerneltest")
    assert "ktp_event" not in _tables("izin") | _tables("default") | _tables("ktp_read")
    assert "auth_user" in _tables("default")
    assert "auth_user" not in _tables("ktp")
    # A projector's checkpoint sits beside its rows, on every read alias only.
    table = Checkpoint._meta.db_table
    assert table in _tables("ktp_read")
    assert table in _tables("izin_read")
    assert table not in _tables("ktp") | _tables("default")


def test_router_refuses_relations_across_aliases():
    router = ContextRouter()
    event = KernelEvent(stream_type="x")
    view = CounterView()

    assert router.allow_relation(event, view) is False
    assert router.allow_relation(event, KernelEvent()) is True


@isolate_apps("tests.kerneltest")
def test_the_system_check_reports_a_relation_to_another_alias():
    from django.contrib.auth.models import User

    class Sneaky(models.Model):
        officer = models.ForeignKey(User, on_delete=models.CASCADE)

        class Meta:
            app_label = "kerneltest"

    [error] = relation_errors([Sneaky])
    assert error.id == "egov.E001"
    assert "kerneltest.Sneaky.officer" in error.msg


def test_the_project_itself_has_no_relation_across_aliases():
    assert relation_errors(apps.get_models()) == []


def test_database_urls_resolve_per_alias(tmp_path, monkeypatch):
    import environ

    env = environ.Env()
    for name in ("POSTGRES_URL", "DATABASE_URL_KTP", "DATABASE_URL_KTP_READ", "EGOV_DB_PREFIX"):
        monkeypatch.delenv(name, raising=False)
    embedded = build_databases(env, tmp_path, ["ktp"])
    assert embedded["ktp_read"]["NAME"] == str(tmp_path / "ktp_read.sqlite3")

    monkeypatch.setenv("POSTGRES_URL", "postgres://egov:pw@db.internal:5432")
    monkeypatch.setenv("DATABASE_URL_KTP_READ", "postgres://reader@replica:5432/ktp_ro")
    configured = build_databases(env, tmp_path, ["ktp"])

    assert (configured["ktp"]["NAME"], configured["ktp"]["HOST"]) == ("egov_ktp", "db.internal")
    assert configured["ktp"]["TEST"]["NAME"].startswith("test_egov_ktp")
    assert (configured["ktp_read"]["NAME"], configured["ktp_read"]["HOST"]) == ("ktp_ro", "replica")
    assert configured["default"]["NAME"] == "egov_default"


def test_prepared_statements_are_allowed_directly_and_never_behind_pgbouncer(tmp_path, monkeypatch):
    import environ

    monkeypatch.setenv("POSTGRES_URL", "postgres://egov:pw@db.internal:5432")
    monkeypatch.setenv("DATABASE_URL_KTP_READ", "postgres://egov@bouncer:6432/ktp_read?pgbouncer=1")
    monkeypatch.delenv("DB_PGBOUNCER", raising=False)
    configured = build_databases(environ.Env(), tmp_path, ["ktp"])

    assert configured["ktp"]["OPTIONS"]["prepare_threshold"] == 5
    assert configured["ktp_read"]["OPTIONS"]["prepare_threshold"] is None
