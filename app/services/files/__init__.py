"""The database as a file and its history: open, back up, restore, check; the audit log, undo
and redo; the demo park; resources."""
