"""The window: Qt only. Calls app.services, never SQL."""
