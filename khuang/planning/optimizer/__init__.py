"""The annual-plan optimizer: pure Python + OR-Tools, no Django.

`model` holds the dataclasses in and out, `io` the exchange format (DESIGN.md), `cpsat` the CP-SAT model,
`greedy` the first-fit baseline and warm start, `explain` the reasons for unscheduled activities,
`cli` the `khuang plan solve` command.
"""
