"""`make run` loads the demo: every context's part loads, twice changes nothing, and the demo
accounts can do what the README promises."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from apps.ktp.models import KtpEvent, StatusPermohonanKTP
from egov.portal.models import TERVERIFIKASI, CitizenProfile

# Transactional: commits happen, so tasks run after them as in `make run` (eager, in-process).
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, databases="__all__")]


def test_the_demo_loads_once_again_adds_nothing_and_its_officer_decides_nik_claims():
    # One test: loading the demo is the expensive part (a month of taxes), so it is loaded
    # once here and its pieces are checked together.
    call_command("load_demo", stdout=io.StringIO())
    events = KtpEvent.objects.count()

    call_command("load_demo", stdout=io.StringIO())

    assert KtpEvent.objects.count() == events
    assert StatusPermohonanKTP.objects.count() == 7  # 3 citizens, 4 at the counter
    assert set(CitizenProfile.objects.values_list("status", flat=True)) == {TERVERIFIKASI}
    officer = Client()
    officer.force_login(User.objects.get(username="petugas_dukcapil"))
    page = officer.get("/admin/portal/citizenprofile/")
    assert page.status_code == 200
    assert "Verifikasi klaim" in page.content.decode()
