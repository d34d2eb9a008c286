"""Template context of the money chain: whether the menu shows the finance pages."""

from .models import uses_finance_pages


def finance_nav(request) -> dict:
    """`finance_nav`: the signed-in person has finance pages."""
    return {"finance_nav": uses_finance_pages(getattr(request, "user", None))}
