"""The bus write database's event store, declared once by the kernel."""

from django.db import migrations

from egov.eventstore.migration_ops import initial_event_store


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = initial_event_store("bus", prefix="Bus")
