"""Use cases: one function per thing a user does, one transaction each.

Services take a Database, return plain data, and never touch Qt.
"""
