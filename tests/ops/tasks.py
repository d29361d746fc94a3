"""A task for the redelivery test (imported by its workers with ``--include``): it notes
each start and end in ``<directory>/log`` and holds while ``<directory>/tahan`` exists."""

import os
import time
from pathlib import Path

from celery import shared_task


@shared_task(name="ops_tahan", ignore_result=True)
def ops_tahan(directory: str) -> None:
    folder = Path(directory)
    with (folder / "log").open("a") as log:
        log.write(f"start {os.getpid()}\n")
    while (folder / "tahan").exists():
        time.sleep(0.05)
    with (folder / "log").open("a") as log:
        log.write(f"done {os.getpid()}\n")
