"""Template context shared by every page."""

from django.contrib import admin


def site_names(request) -> dict:
    """The admin site's names for pages the framework draws in the admin's style outside the admin (password
    change and reset), which would otherwise say "Django administration"; admin views pass their own."""
    return {"site_header": admin.site.site_header, "site_title": admin.site.site_title}
