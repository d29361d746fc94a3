"""Create the PostgreSQL database of every alias that does not exist yet (idempotent)."""

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand
from psycopg import sql


class Command(BaseCommand):
    help = "Create missing PostgreSQL databases, one per alias."

    def handle(self, *args, **options):
        for alias, config in settings.DATABASES.items():
            if "postgresql" not in config["ENGINE"]:
                self.stdout.write(
                    f"{alias}: {config['ENGINE'].rsplit('.', 1)[-1]}, nothing to create"
                )
                continue
            self._ensure(alias, config)

    def _ensure(self, alias: str, config: dict) -> None:
        params = {
            "host": config.get("HOST") or None,
            "port": config.get("PORT") or None,
            "user": config.get("USER") or None,
            "password": config.get("PASSWORD") or None,
            "dbname": "postgres",
            "autocommit": True,
        }
        with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
            ).fetchone()
            if exists:
                self.stdout.write(f"{alias}: {config['NAME']} exists")
                return
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            self.stdout.write(self.style.SUCCESS(f"{alias}: created {config['NAME']}"))
