"""Classes A–E and their yearly review, clusters (编组), pairings (结对帮带),
instructor suggestions."""
