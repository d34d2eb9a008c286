"""The exhibitions' block on the public event page: the exhibitor map and list links and the application form.

The public app shows it through `{% exhibition_links event %}`; it never imports exhibitions itself.
"""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

register = template.Library()


@register.inclusion_tag("exhibitions/_event_links.html")
def exhibition_links(booking) -> dict:
    """The fair's map of listed exhibitors (a link to the full list), and the application form when open."""
    from khuang.exhibitions.models import Exhibition
    from khuang.exhibitions.selectors import public_exhibitors
    from khuang.exhibitions.svg import plan_svg

    ex = Exhibition.objects.filter(booking=booking).select_related("booking", "floor_plan").first()
    if ex is None:
        return {"ex": None}
    listed = public_exhibitors(ex) if ex.public_map else []
    svg = None
    if listed:
        page = reverse("exhibitions:public_exhibitors", args=[booking.pk])
        where = {code: r for r in listed for code in r["booths"]}
        svg = plan_svg(ex.floor_plan, states={c: "sold" for c in where}, css_class="floorplan public",
                       titles={c: f"{c} · {r['name']}" for c, r in where.items()},
                       links={c: f"{page}#exhibitor-{r['id']}" for c, r in where.items()},
                       label=_("Floor plan of the exhibitors"))
    return {"ex": ex, "event": booking, "listed": len(listed), "svg": svg}
