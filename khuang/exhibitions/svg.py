"""Floor plans drawn as SVG from the data: parts of a combined hall, aisles, obstacles, entrances and booths,
coloured by state when an exhibition is shown.

The drawing is in metres (the viewBox), so it scales to any screen. Booth codes are Latin (see the model), so the
text inside the SVG renders everywhere; people's names only appear in <title> tooltips and in the HTML around it.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FEATURE_FILL = {"aisle": "#f3efe6", "obstacle": "#9aa5b1", "entrance": "#cdebd9"}


def _n(value) -> str:
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def plan_svg(plan, *, states: dict[str, str] | None = None, titles: dict[str, str] | None = None,
             highlight: set[str] | frozenset = frozenset(), links: dict[str, str] | None = None,
             css_class: str = "floorplan", label: str = "") -> SafeString:
    """The plan as an inline SVG element.

    `states` maps booth code → available/held/reserved/sold/blocked (a class on each booth); `titles` gives each
    booth's tooltip; `highlight` booths are outlined (an exhibitor's own); `links` makes booths clickable.
    """
    states = states or {}
    titles = titles or {}
    links = links or {}
    w, d = float(plan.width_m), float(plan.depth_m)
    stroke = max(w, d) / 600
    out = [f'<svg class="{escape(css_class)}" xmlns="http://www.w3.org/2000/svg" viewBox="{_n(-1)} {_n(-1)} '
           f'{_n(w + 2)} {_n(d + 2)}" role="img" aria-label="{escape(label or plan.name)}" '
           f'preserveAspectRatio="xMidYMid meet">']
    out.append(f'<rect class="floor" x="0" y="0" width="{_n(w)}" height="{_n(d)}" fill="#fff" stroke="#52606d" '
               f'stroke-width="{_n(stroke * 3)}"/>')
    for f in plan.features.all():
        out.append(f'<rect class="feature {escape(f.kind)}" x="{_n(f.x)}" y="{_n(f.y)}" width="{_n(f.width)}" '
                   f'height="{_n(f.depth)}" fill="{FEATURE_FILL.get(f.kind, "#eee")}"><title>'
                   f'{escape(f.get_kind_display())}{": " + escape(f.label) if f.label else ""}</title></rect>')
    for p in plan.parts_layout or []:
        out.append(f'<rect class="part" x="{_n(p["x"])}" y="{_n(p["y"])}" width="{_n(p["width"])}" '
                   f'height="{_n(p["depth"])}" fill="none" stroke="#8a3b12" stroke-dasharray="{_n(stroke * 8)}" '
                   f'stroke-width="{_n(stroke * 2)}"/>')
        size = min(float(p["width"]), float(p["depth"])) / 14
        out.append(f'<text class="part-label" x="{_n(float(p["x"]) + size * 0.4)}" '
                   f'y="{_n(float(p["y"]) + size * 1.1)}" font-size="{_n(size)}" fill="#8a3b12">'
                   f'{escape(p["space"])}</text>')
    for b in plan.booths.all():
        state = states.get(b.code, "available")
        classes = f"booth st-{state}{' mine' if b.code in highlight else ''}{' prime' if b.prime else ''}"
        x, y, bw, bd = float(b.x), float(b.y), float(b.width), float(b.depth)
        size = max(min(bw / max(len(b.code), 3) * 1.5, bd * 0.4), 0.3)
        tip = titles.get(b.code) or b.code
        shape = (f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(bw)}" height="{_n(bd)}" '
                 f'stroke-width="{_n(stroke * (4 if b.code in highlight else 1.5))}"/>'
                 f'<text x="{_n(x + bw / 2)}" y="{_n(y + bd / 2 + size * 0.35)}" font-size="{_n(size)}" '
                 f'text-anchor="middle">{escape(b.code)}</text>')
        marks = ""
        if b.power:
            marks += (f'<circle class="mark power" cx="{_n(x + bw - size * 0.45)}" cy="{_n(y + size * 0.45)}" '
                      f'r="{_n(size * 0.22)}"/>')
        if b.water:
            marks += (f'<circle class="mark water" cx="{_n(x + size * 0.45)}" cy="{_n(y + size * 0.45)}" '
                      f'r="{_n(size * 0.22)}"/>')
        body = f'<title>{escape(tip)}</title>{shape}{marks}'
        if b.code in links:
            body = f'<a href="{escape(links[b.code])}">{body}</a>'
        out.append(f'<g class="{classes}" data-code="{escape(b.code)}" data-state="{state}">{body}</g>')
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped or a number
