"""Dialogs for adding and editing records."""
