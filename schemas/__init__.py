"""Item types, table definitions and migrations, and the exported JSON Schemas."""
