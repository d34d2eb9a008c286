"""Pages of the space inventory."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


def space_list_page(request: HttpRequest) -> HttpResponse:
    """The venue's spaces with capacities by layout and how combined spaces are made."""
    venue = selectors.default_venue()
    spaces = list(selectors.space_list(venue=venue.code if venue else None))
    return render(request, "venues/space_list.html", {"venue": venue, "spaces": spaces})
