"""Business permits (OSS-RBA; PP 28/2025), plain Python, in three modules: ``rules``
(vocabulary, messages, working-day arithmetic), ``events`` and ``aggregates``.

Everything a rule needs that lives elsewhere (the KBLI risk row, the SLA in working days,
today's date, a fresh NIB) is computed by the command and passed in, so replaying history
never reads a table or a clock. Import from the module that defines a name.
"""
