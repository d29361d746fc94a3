"""Business permits (OSS-RBA; PP 28/2025): the application aggregate, its events and rules.

Plain Python. Everything a rule needs that lives elsewhere (the KBLI risk row, the SLA in
working days, today's date, a fresh NIB) is computed by the command and passed in, so
replaying history never reads a table or a clock.
"""

from apps.izin.domain.aggregates import *  # noqa: F403
from apps.izin.domain.events import *  # noqa: F403
from apps.izin.domain.rules import *  # noqa: F403
