"""Booth assignment: pure Python + OR-Tools, no Django.

`model` holds the dataclasses in and out, `geometry` the adjacency and distances of booths, `io` the exchange
format (docs/BOOTHS.md), `prep` each exhibitor's candidate booth groups, `greedy` the first-fit baseline and warm
start, `bound` the LP relaxation's proven upper bound, `cpsat` the CP-SAT model, `explain` why each exhibitor sits
where it sits (or why not), `generate` test fairs, `cli` the `khuang booths solve` command.
"""
