"""The registry: organizations, party organizations, instructors, the park, their lists and the
unit's file."""
