"""How big a demo park may be: said by the command line's help before any service loads."""

MAX_SIZE = 50_000
DEFAULT_SIZE = 120
