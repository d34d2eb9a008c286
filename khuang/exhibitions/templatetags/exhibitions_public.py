"""The exhibitions' block on the public event page: exhibitor map and the application form, when there are any.

The public app shows it through `{% exhibition_links event %}`; it never imports exhibitions itself.
"""

from django import template

register = template.Library()


@register.inclusion_tag("exhibitions/_event_links.html")
def exhibition_links(booking) -> dict:
    """Links to the exhibitor list and the application form of a public event's exhibition."""
    from khuang.exhibitions.models import Exhibition

    ex = Exhibition.objects.filter(booking=booking).select_related("booking").first()
    return {"ex": ex, "event": booking,
            "listed": ex.applications.listed().exists() if ex and ex.public_map else False}
