"""Mounts each app's router on the one API at /api/."""

from ninja import NinjaAPI

from khuang.core.api import install_error_handlers

api = NinjaAPI(
    title="Khuang API",
    version="1",
    description="Spaces, bookings, plans and reports of Khuang. Errors are JSON: {detail, field}.",
    urls_namespace="api",
)
install_error_handlers(api)


def _mount() -> None:
    from khuang.venues.api import router as venues_router

    api.add_router("/", venues_router)
    for module, prefix in (
        ("khuang.bookings.api", "/"),
        ("khuang.planning.api", "/"),
        ("khuang.public.api", "/"),
        ("khuang.finance.api", "/"),
        ("khuang.reports.api", "/"),
        ("khuang.operations.api", "/"),
        ("khuang.exhibitions.api", "/"),
    ):
        try:
            router = __import__(module, fromlist=["router"]).router
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        api.add_router(prefix, router)


_mount()
