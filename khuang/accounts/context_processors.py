"""Template context: what the signed-in person's role may do, so menus show only what works for them."""

from . import roles


def abilities(request) -> dict:
    """`abilities`: the role's abilities as strings (`{% if "read_reports" in abilities %}`)."""
    user = getattr(request, "user", None)
    return {"abilities": {str(a) for a in roles.abilities(user)},
            "browses_plan": roles.has(user, roles.Ability.SEE_ALL_AGENCIES) or roles.own_agency_id(user) is not None}
