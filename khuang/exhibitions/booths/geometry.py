"""Where booths stand relative to each other.

* Two booths are **side by side** when they share a wall: their rectangles touch along a segment longer than
  EPS. Multi-booth exhibitors need a group connected by shared walls.
* The **gap** between two booths is the shortest distance between their rectangles (0 when they touch, even at a
  corner). Competitors may not touch, and when the fair sets a competitor distance d > 0 their gap must be ≥ d.
"""

import math
from collections.abc import Iterable, Sequence

from .model import Booth

EPS = 1e-6


def gap(a: Booth, b: Booth) -> float:
    """Shortest distance between two booth rectangles, 0 when they touch or overlap."""
    dx = max(0.0, b.x - a.x2, a.x - b.x2)
    dy = max(0.0, b.y - a.y2, a.y - b.y2)
    return math.hypot(dx, dy)


def overlap(a: Booth, b: Booth) -> bool:
    """The rectangles share area (touching edges is not overlap)."""
    return min(a.x2, b.x2) - max(a.x, b.x) > EPS and min(a.y2, b.y2) - max(a.y, b.y) > EPS


def share_wall(a: Booth, b: Booth) -> bool:
    """The rectangles touch along a segment longer than EPS."""
    if abs(a.x2 - b.x) <= EPS or abs(b.x2 - a.x) <= EPS:
        return min(a.y2, b.y2) - max(a.y, b.y) > EPS
    if abs(a.y2 - b.y) <= EPS or abs(b.y2 - a.y) <= EPS:
        return min(a.x2, b.x2) - max(a.x, b.x) > EPS
    return False


def too_close(a: Booth, b: Booth, distance: float) -> bool:
    """Competitors in these two booths would break the rule: they touch, or stand nearer than `distance`."""
    g = gap(a, b)
    return g <= EPS or g < distance - EPS


def _buckets(booths: Sequence[Booth], reach: float) -> tuple[dict[tuple[int, int], list[int]], float]:
    """Booth indices by grid cell, so neighbours are looked up near each booth instead of among all."""
    cell = max(reach, max((max(b.width, b.depth) for b in booths), default=1.0), 1.0)
    grid: dict[tuple[int, int], list[int]] = {}
    for i, b in enumerate(booths):
        for gx in range(int(b.x // cell), int(b.x2 // cell) + 1):
            for gy in range(int(b.y // cell), int(b.y2 // cell) + 1):
                grid.setdefault((gx, gy), []).append(i)
    return grid, cell


def near_pairs(booths: Sequence[Booth], reach: float) -> Iterable[tuple[int, int]]:
    """Index pairs (i < j) of booths whose gap is at most `reach` (a superset filter for the tests above)."""
    grid, cell = _buckets(booths, reach)
    seen: set[tuple[int, int]] = set()
    span = int(math.ceil(reach / cell)) + 1
    for i, b in enumerate(booths):
        for gx in range(int(b.x // cell) - span, int(b.x2 // cell) + span + 1):
            for gy in range(int(b.y // cell) - span, int(b.y2 // cell) + span + 1):
                for j in grid.get((gx, gy), ()):
                    if j > i and (i, j) not in seen and gap(b, booths[j]) <= reach + EPS:
                        seen.add((i, j))
                        yield i, j


def wall_neighbours(booths: Sequence[Booth]) -> list[list[int]]:
    """For each booth, the indices of the booths it shares a wall with."""
    adj: list[list[int]] = [[] for _ in booths]
    for i, j in near_pairs(booths, 0.0):
        if share_wall(booths[i], booths[j]):
            adj[i].append(j)
            adj[j].append(i)
    for row in adj:
        row.sort()
    return adj


def conflict_neighbours(booths: Sequence[Booth], distance: float) -> list[list[int]]:
    """For each booth, the booths a competitor of its holder may not have (touching, or nearer than distance)."""
    out: list[list[int]] = [[] for _ in booths]
    for i, j in near_pairs(booths, max(distance, 0.0)):
        if too_close(booths[i], booths[j], distance):
            out[i].append(j)
            out[j].append(i)
    for row in out:
        row.sort()
    return out


def overlapping_pair(booths: Sequence[Booth]) -> tuple[int, int] | None:
    """The first pair of booths that overlap, if any."""
    for i, j in near_pairs(booths, 0.0):
        if overlap(booths[i], booths[j]):
            return i, j
    return None


def is_connected(indices: Sequence[int], adj: list[list[int]]) -> bool:
    """Whether the booths form one group through shared walls."""
    members = set(indices)
    if not members:
        return False
    start = next(iter(members))
    seen, stack = {start}, [start]
    while stack:
        for u in adj[stack.pop()]:
            if u in members and u not in seen:
                seen.add(u)
                stack.append(u)
    return seen == members


def connected_groups(adj: list[list[int]], size: int, allowed: Sequence[bool], limit: int) -> list[tuple[int, ...]]:
    """Every set of `size` allowed booths connected by shared walls, each once (Wernicke's ESU enumeration).

    Stops at `limit` groups (the caller reports that the instance is too large rather than run for hours).
    """
    out: list[tuple[int, ...]] = []
    if size == 1:
        return [(i,) for i, ok in enumerate(allowed) if ok][:limit]

    def extend(sub: list[int], sub_set: set[int], frontier: set[int], ext: list[int], root: int) -> None:
        if len(out) >= limit:
            return
        if len(sub) == size:
            out.append(tuple(sorted(sub)))
            return
        ext = list(ext)
        while ext:
            w = ext.pop()
            new_ext = list(ext)
            new_frontier = set(frontier)
            for u in adj[w]:
                if u > root and allowed[u] and u not in sub_set and u not in frontier:
                    new_ext.append(u)
                new_frontier.add(u)
            sub.append(w)
            sub_set.add(w)
            extend(sub, sub_set, new_frontier, new_ext, root)
            sub.pop()
            sub_set.discard(w)
            if len(out) >= limit:
                return

    for v, ok in enumerate(allowed):
        if not ok:
            continue
        ext = [u for u in adj[v] if u > v and allowed[u]]
        extend([v], {v}, set(adj[v]) | {v}, ext, v)
    return out
