"""A writer process for the gap-safety test: appends events while holding each transaction
open a random few milliseconds, so that commits interleave out of position order.

Usage: python -m tests.kernel.gap_writer WRITER_ID COUNT (environment: the test's databases).
"""

import os
import random
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings_test")
django.setup()

from egov.db import atomic  # noqa: E402
from egov.eventstore import projections  # noqa: E402
from egov.eventstore.domain import EventMetadata  # noqa: E402
from tests.kerneltest.domain import Penghitung  # noqa: E402
from tests.kerneltest.store import store  # noqa: E402


def main(writer_id: str, count: int) -> None:
    # This process only writes: the test process runs the consumers.
    projections._projectors.clear()
    metadata = EventMetadata(actor=f"writer-{writer_id}", source="gap-test")
    for _ in range(count):
        counter = Penghitung.buat(pemilik=f"writer-{writer_id}", nama="Budi")
        counter.tambah(1)
        with atomic("kerneltest"):
            store.save(counter, metadata)
            time.sleep(random.random() * 0.005)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
