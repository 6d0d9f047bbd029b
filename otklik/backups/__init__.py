"""Backups: one file with the database, the media, the history anchors and a manifest."""
