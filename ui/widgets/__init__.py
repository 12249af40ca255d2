"""Small input widgets shared by the dialogs."""
