"""Work in the field and back: visits and problems, field and return packages, merges of
packages and of database copies, corrections."""
