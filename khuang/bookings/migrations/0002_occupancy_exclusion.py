"""PostgreSQL only: no two active occupancy rows of one atomic space may overlap (btree_gist exclusion).

SQLite has no exclusion constraints; there the services serialise writers with IMMEDIATE transactions.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE bookings_occupancy ADD CONSTRAINT booking_no_overlap
  EXCLUDE USING gist (space_id WITH =, tstzrange(start, "end", '[)') WITH &&) WHERE (active);
"""
DROP = "ALTER TABLE bookings_occupancy DROP CONSTRAINT IF EXISTS booking_no_overlap;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
