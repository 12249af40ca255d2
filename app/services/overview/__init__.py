"""What leadership reads: the coverage figures and their lists, the worklist (预警), the
overview's counts."""
