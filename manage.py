#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["generate_keys"]:
        # Before Django: settings refuse to load until the keys this command writes exist.
        from egov.keys import main

        sys.exit(main(sys.argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
