"""Migration operation making a context's event table append-only in the database itself,
so that not even raw SQL from the application can rewrite history."""

from django.db import migrations, models
from django.db.migrations.operations.base import Operation

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION egov_reject_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'egov: events are append-only (% on %)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END $$;
"""

PG_FORWARD = [
    # Transaction id of the writer: the feed reads only below the oldest transaction still in
    # flight, so an event that commits out of position order is never skipped.
    "ALTER TABLE {t} ADD COLUMN tx_id xid8 NOT NULL DEFAULT pg_current_xact_id()",
    'CREATE INDEX {name}_tx_position ON {t} (tx_id, "position")',
    "CREATE TRIGGER {name}_append_only BEFORE UPDATE OR DELETE ON {t} "
    "FOR EACH ROW EXECUTE FUNCTION egov_reject_event_change()",
    "CREATE TRIGGER {name}_no_truncate BEFORE TRUNCATE ON {t} "
    "FOR EACH STATEMENT EXECUTE FUNCTION egov_reject_event_change()",
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS {name}_no_truncate ON {t}",
    "DROP TRIGGER IF EXISTS {name}_append_only ON {t}",
    "DROP INDEX IF EXISTS {name}_tx_position",
    "ALTER TABLE {t} DROP COLUMN IF EXISTS tx_id",
]
SQLITE_FORWARD = [
    "CREATE TRIGGER {name}_no_update BEFORE UPDATE ON {t} "
    "BEGIN SELECT RAISE(ABORT, 'egov: events are append-only (UPDATE)'); END",
    "CREATE TRIGGER {name}_no_delete BEFORE DELETE ON {t} "
    "BEGIN SELECT RAISE(ABORT, 'egov: events are append-only (DELETE)'); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS {name}_no_update",
    "DROP TRIGGER IF EXISTS {name}_no_delete",
]


class MakeEventTableAppendOnly(Operation):
    reversible = True
    reduces_to_sql = True
    forward = {"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}
    backward = {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}

    def __init__(self, model_name: str):
        self.model_name = model_name

    def state_forwards(self, app_label, state):
        pass  # no change to Django's model state: triggers and tx_id live below the ORM

    def _run(self, app_label, schema_editor, to_state, statements_by_vendor):
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        vendor = schema_editor.connection.vendor
        statements = statements_by_vendor.get(vendor)
        if statements is None:
            raise NotImplementedError(f"append-only events are not implemented for {vendor}")
        name = model._meta.db_table
        if vendor == "postgresql" and statements is self.forward["postgresql"]:
            schema_editor.execute(PG_FUNCTION, params=None)
        for statement in statements:
            schema_editor.execute(
                statement.format(t=schema_editor.quote_name(name), name=name), params=None
            )

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._run(app_label, schema_editor, to_state, self.forward)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._run(app_label, schema_editor, from_state, self.backward)

    def describe(self):
        return f"Make {self.model_name} append-only (database triggers)"

    def deconstruct(self):
        return (self.__class__.__qualname__, [], {"model_name": self.model_name})


class MakeTableAppendOnly(MakeEventTableAppendOnly):
    """The same triggers for a table that is not an event table (no ``tx_id``): e.g. the
    audit trail."""

    forward = {"postgresql": PG_FORWARD[2:], "sqlite": SQLITE_FORWARD}
    backward = {"postgresql": PG_BACKWARD[:2], "sqlite": SQLITE_BACKWARD}

    def describe(self):
        return f"Make {self.model_name} append-only (database triggers, no tx_id)"


def initial_event_store(context: str, *, prefix: str) -> list[Operation]:
    """The first migration of a new context's write database, declared once here: the three
    tables ``event_store_models`` declares (events, subject keys, idempotency records) and the
    append-only triggers. A context's ``0001_initial`` is ``operations =
    initial_event_store("pajak", prefix="Pajak")``.

    Frozen on purpose, like every migration: these are the tables as of 2026-11 and must never
    follow later changes to the kernel models (a field added to ``SubjectKey`` gets its own
    migration in every context, so that existing databases and new ones end up the same).
    """
    name = context.lower()
    label = {"verbose_name": "kunci subjek", "verbose_name_plural": "kunci subjek"}
    return [
        migrations.CreateModel(
            name=f"{prefix}SubjectKey",
            fields=[
                ("subject_id", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("wrapped_key", models.BinaryField(null=True)),
                (
                    "master_key_id",
                    models.CharField(blank=True, db_index=True, max_length=16, null=True),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("destroyed_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={"db_table": f"{name}_subject_key", "abstract": False, **label},
        ),
        migrations.CreateModel(
            name=f"{prefix}Event",
            fields=[
                (
                    "position",
                    models.BigAutoField(primary_key=True, serialize=False, verbose_name="posisi"),
                ),
                ("event_id", models.UUIDField(unique=True, verbose_name="id peristiwa")),
                ("stream_id", models.UUIDField(verbose_name="id aliran")),
                ("stream_type", models.CharField(max_length=64, verbose_name="jenis aliran")),
                ("version", models.PositiveIntegerField(verbose_name="versi")),
                ("event_type", models.CharField(max_length=100, verbose_name="jenis peristiwa")),
                (
                    "schema_version",
                    models.PositiveSmallIntegerField(default=1, verbose_name="versi skema"),
                ),
                ("payload", models.JSONField(verbose_name="isi")),
                ("metadata", models.JSONField(verbose_name="metadata")),
                (
                    "subject_id",
                    models.CharField(
                        blank=True,
                        db_index=True,
                        default="",
                        max_length=64,
                        verbose_name="subjek (pseudonim)",
                    ),
                ),
                ("recorded_at", models.DateTimeField(verbose_name="dicatat pada")),
            ],
            options={
                "db_table": f"{name}_event",
                "ordering": ["position"],
                "abstract": False,
                "verbose_name": "peristiwa",
                "verbose_name_plural": "peristiwa",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("stream_id", "version"),
                        name=f"{name}_{prefix.lower()}event_stream_version",
                    )
                ],
            },
        ),
        MakeEventTableAppendOnly(model_name=f"{prefix.lower()}event"),
        migrations.CreateModel(
            name=f"{prefix}IdempotencyRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=200)),
                ("user_id", models.CharField(max_length=64)),
                ("scope", models.CharField(max_length=200)),
                ("fingerprint", models.CharField(max_length=64)),
                ("status_code", models.PositiveSmallIntegerField()),
                ("body", models.JSONField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "abstract": False,
                "verbose_name": "jawaban idempoten",
                "verbose_name_plural": "jawaban idempoten",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user_id", "scope", "key"),
                        name=f"{name}_{prefix.lower()}idempotencyrecord_unique_key",
                    )
                ],
            },
        ),
    ]
