"""Database setup, shared column types, media files and migrations."""
