"""What each role may do, in one table: a new role is one entry in `User.Role` and one row here.

Abilities are coarse and role-wide ("reads every agency's bookings", "books for its own agency"); whether a
person may act on one object is decided by that model's predicates (`Booking.can_edit(user)`, ...) and
querysets (`Booking.objects.visible_to(user)`), which combine these abilities with the object's agency and
state. Views, API handlers and exports only ever ask the models.
"""

from enum import StrEnum


class Ability(StrEnum):
    """Role-wide permissions; object-level rules are on the models."""

    SEE_ALL_AGENCIES = "see_all_agencies"  # read every agency's bookings, proposals and plan items
    SEE_OWN_AGENCY = "see_own_agency"  # read one's own agency's bookings, proposals, plan items, registrations
    BOOK_ANY_AGENCY = "book_any_agency"  # create and change bookings for any agency, confirm, override rules
    BOOK_OWN_AGENCY = "book_own_agency"  # create and change one's own agency's bookings and holds
    PROPOSE_OWN_AGENCY = "propose_own_agency"  # propose activities for one's own agency
    MANAGE_CENTER = "manage_center"  # inventory, closures, optimizer runs, plan approval, every event's check-in
    READ_REPORTS = "read_reports"  # the center's KPIs, dashboard and ministry exports
    MANAGE_MONEY = "manage_money"  # issue invoices, record payments and credit notes (kept apart from staff's duties)


ROLE_ABILITIES: dict[str, frozenset[Ability]] = {
    "center_staff": frozenset(Ability) - {Ability.MANAGE_MONEY},
    "agency_planner": frozenset({Ability.SEE_OWN_AGENCY, Ability.BOOK_OWN_AGENCY, Ability.PROPOSE_OWN_AGENCY}),
    "viewer": frozenset({Ability.SEE_OWN_AGENCY}),
    "executive": frozenset({Ability.READ_REPORTS}),
    # Reads every agency's bookings to bill them; prepares quotations with staff; alone issues money documents.
    "finance_officer": frozenset({Ability.SEE_ALL_AGENCIES, Ability.READ_REPORTS, Ability.MANAGE_MONEY}),
}


def abilities(user) -> frozenset[Ability]:
    """Everything a user's role allows (a superuser: everything; anonymous: nothing). Inactive people cannot sign
    in or use a token at all; the demo loaders act as an inactive staff user of their own."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    if getattr(user, "is_superuser", False):
        return frozenset(Ability)
    return ROLE_ABILITIES.get(getattr(user, "role", ""), frozenset())


def has(user, ability: Ability) -> bool:
    """True if the user's role carries `ability`."""
    return ability in abilities(user)


def own_agency_id(user, ability: Ability = Ability.SEE_OWN_AGENCY) -> int | None:
    """The user's agency when the role acts for it with `ability`; None otherwise (no agency, or no ability)."""
    agency_id = getattr(user, "agency_id", None)
    return agency_id if agency_id is not None and has(user, ability) else None
