"""Human words for codes: statuses, stages, risk levels, reasons, notification types.

Contexts contribute their labels (``ContextConfig.labels``, a mapping of code -> lazily
translated label); pages show ``{{ code|label }}`` (template library ``egov``), so a person
reads "Terverifikasi, menunggu cetak" (or its English) instead of ``VERIFIED``.
"""

from collections.abc import Mapping

_labels: dict[str, object] = {}


def register_labels(labels: Mapping[str, object]) -> None:
    _labels.update(labels)


def label(code: object) -> str:
    """The label of a code in the active language; the code itself when it has none."""
    found = _labels.get(str(code)) if code not in (None, "") else None
    return str(found) if found is not None else ("" if code is None else str(code))
