"""The annual-plan optimizer: pure Python + OR-Tools, no Django.

`model` holds the dataclasses in and out, `io` the exchange format (DESIGN.md, versions 1 and 2), `prep` the
indexed instance, `score` a plan's objective v2 kept up to date move by move, `greedy` the baseline and warm start,
`bound` the proven upper bound (LP relaxation), `cpsat` the CP-SAT model and `solve()`, `lns` the neighbourhood
search, `explain` the reasons for unscheduled activities, `generate` realistic instances, `cli` the
`khuang plan solve` command.
"""
