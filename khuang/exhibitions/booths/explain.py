"""Why each exhibitor sits where it sits, or why it has no booth — in English and Thai.

For an exhibitor without a booth every group that would fit it on an empty floor is tried against the final
assignment: a group overlapping someone else's booths is *taken* (those exhibitors are named, most often blocking
first), one clear of others but too near a competitor is a *competitor* refusal, one needing prime booths beyond
the allowance is a *quota* refusal, and a group entirely free means the search stopped before using it.
"""

from collections import Counter

from .model import Explanation
from .prep import Prepared, candidate_groups_ignoring_others

TYPE_TH = {"inline": "บูธแถว", "corner": "บูธหัวมุม", "peninsula": "บูธคาบสมุทร", "island": "บูธเกาะ"}
MAX_NAMED = 3


def _codes(prep: Prepared, booths) -> str:
    return ", ".join(sorted(prep.booths[b].code for b in booths))


def _placed(prep: Prepared, e: int, booths: tuple[int, ...]) -> Explanation:
    ex = prep.exhibitors[e]
    members = [prep.booths[b] for b in booths]
    codes = _codes(prep, booths)
    zones = sorted({b.zone for b in members if b.zone})
    zone_fit = None if not ex.zones else all(b.zone in ex.zones for b in members)
    type_fit = None if not ex.type else any(b.type == ex.type for b in members)
    en = [f"Booth{'s' if len(booths) > 1 else ''} {codes}"]
    th = [f"บูธ {codes}"]
    if zones:
        en.append(f"zone {', '.join(zones)}")
        th.append(f"โซน {', '.join(zones)}")
    if zone_fit is not None:
        en.append("in a preferred zone" if zone_fit else f"preferred zone {', '.join(ex.zones)} was full")
        th.append("อยู่ในโซนที่ต้องการ" if zone_fit else f"โซนที่ต้องการ ({', '.join(ex.zones)}) เต็ม")
    if type_fit is not None:
        en.append(f"{ex.type} booth as wanted" if type_fit else f"no {ex.type} booth was left")
        th.append(f"ได้{TYPE_TH[ex.type]}ตามที่ขอ" if type_fit else f"ไม่มี{TYPE_TH[ex.type]}ว่าง")
    if ex.power:
        en.append("power")
        th.append("มีไฟฟ้า")
    if ex.water:
        en.append("water")
        th.append("มีน้ำประปา")
    pinned = e in prep.pinned
    en.append("pinned by staff" if pinned else f"priority {ex.priority}")
    th.append("ตรึงโดยเจ้าหน้าที่" if pinned else f"คะแนนลำดับความสำคัญ {ex.priority}")
    return Explanation(reason="pinned" if pinned else "placed", message_en="; ".join(en) + ".",
                       message_th=" · ".join(th), zone_fit=zone_fit,
                       type_fit=type_fit)


def _unplaced(prep: Prepared, e: int, owner: list[int | None], prime_outside: int) -> Explanation:
    ex = prep.exhibitors[e]
    n = prep.wanted[e]
    needs_en = [x for x, on in (("power", ex.power), ("water", ex.water)) if on]
    needs_th = [x for x, on in (("ไฟฟ้า", ex.power), ("น้ำประปา", ex.water)) if on]
    groups = candidate_groups_ignoring_others(prep, e)
    if not groups:
        with_en = f" with {' and '.join(needs_en)}" if needs_en else ""
        with_th = f" ที่มี{'และ'.join(needs_th)}" if needs_th else ""
        return Explanation(
            reason="no_fit",
            message_en=f"The plan has no {n} side-by-side free booth{'s' if n > 1 else ''}{with_en}.",
            message_th=f"ผังไม่มีบูธว่างติดกัน {n} บูธ{with_th}")
    takers: Counter[int] = Counter()
    competitor: Counter[int] = Counter()
    quota = free = 0
    room = prep.allowance - prime_outside
    for g in groups:
        holders = {owner[b] for b in g if owner[b] is not None}
        if holders:
            takers.update(holders)
            continue
        near = {owner[c] for b in g for c in prep.conflicts[b] if owner[c] is not None and owner[c] in prep.rivals[e]}
        if near:
            competitor.update(near)
            continue
        if not ex.community and sum(1 for b in g if prep.booths[b].prime) > room:
            quota += 1
            continue
        free += 1
    if free:
        return Explanation(reason="not_reached",
                           message_en="A fitting group of booths is still free; the search stopped before using it. "
                                      "Run again with more time.",
                           message_th="ยังมีบูธว่างที่เหมาะ แต่การคำนวณหยุดก่อน ลองคำนวณใหม่โดยให้เวลามากขึ้น")
    if competitor:
        names = [prep.exhibitors[o].id for o, _ in competitor.most_common(MAX_NAMED)]
        return Explanation(reason="competitor", blocking=tuple(names),
                           message_en=f"The free booths that fit are too near competitor {', '.join(names)}.",
                           message_th=f"บูธว่างที่เหมาะอยู่ใกล้คู่แข่ง ({', '.join(names)}) เกินไป")
    if quota:
        return Explanation(reason="quota",
                           message_en="Only prime booths kept for community producers are free.",
                           message_th="บูธว่างที่เหลือเป็นทำเลดีที่สงวนไว้ให้ผู้ผลิตชุมชน")
    names = [prep.exhibitors[o].id for o, _ in takers.most_common(MAX_NAMED)]
    return Explanation(reason="taken", blocking=tuple(names),
                       message_en=f"Every group of {n} booth{'s' if n > 1 else ''} that fits went to exhibitors worth "
                                  f"more (priority {ex.priority} here), e.g. {', '.join(names)}.",
                       message_th=f"บูธที่เหมาะทุกชุดถูกจัดให้ผู้ออกงานที่มีคะแนนรวมสูงกว่า (ที่นี่ {ex.priority} คะแนน) "
                                  f"เช่น {', '.join(names)}")


def explain(prep: Prepared, chosen: dict[int, tuple[int, ...]]) -> dict[str, Explanation]:
    """An explanation for every exhibitor of the instance."""
    owner: list[int | None] = [None] * len(prep.booths)
    prime_outside = 0
    for e, bs in chosen.items():
        for b in bs:
            owner[b] = e
        if not prep.exhibitors[e].community:
            prime_outside += sum(1 for b in bs if prep.booths[b].prime)
    out = {}
    for e, ex in enumerate(prep.exhibitors):
        if e in chosen:
            out[ex.id] = _placed(prep, e, chosen[e])
        else:
            out[ex.id] = _unplaced(prep, e, owner, prime_outside)
    return out
