"""Business refusals map to 400/409 with a stable code, in Indonesian or English."""

import uuid

from django.utils import translation

from egov.api import exception_handler
from egov.eventstore.domain import InvalidInput, InvalidState
from egov.eventstore.store import ConcurrencyError


def test_invalid_input_is_400_with_its_code_and_message():
    response = exception_handler(InvalidInput("NIK tidak valid.", code="nik_tidak_valid"), {})

    assert response.status_code == 400
    assert response.data == {"code": "nik_tidak_valid", "detail": "NIK tidak valid."}


def test_a_state_that_does_not_allow_the_action_is_409():
    response = exception_handler(InvalidState("Sudah dicetak.", code="sudah_dicetak"), {})

    assert response.status_code == 409
    assert response.data["code"] == "sudah_dicetak"


def test_a_lost_race_is_409_in_indonesian_or_english():
    error = ConcurrencyError(uuid.uuid4(), 3)

    with translation.override("id"):
        indonesian = exception_handler(error, {})
    with translation.override("en"):
        english = exception_handler(error, {})

    assert indonesian.status_code == english.status_code == 409
    assert indonesian.data["detail"].startswith("Data telah diubah")
    assert (
        english.data["detail"] == "The data was changed by another request; reload and try again."
    )
