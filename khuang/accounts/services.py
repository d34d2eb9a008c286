"""Writes of accounts: API tokens."""

from django.db import transaction

from khuang.core.models import log_action

from .models import ApiToken


class TokenNotFound(Exception):
    """No token, or more than one, matches what was given."""


def token_revoke(key: str, *, actor=None) -> ApiToken:
    """Delete the token whose id or prefix is `key` (a prefix must match exactly one token)."""
    key = (key or "").strip()
    tokens = ApiToken.objects.select_related("user")
    if key.isdigit():
        found = list(tokens.filter(pk=int(key))) if len(key) <= 18 else []
    else:
        found = list(tokens.filter(prefix=key)) if key else []
    if not found:
        raise TokenNotFound(f"No token with id or prefix {key!r}")
    if len(found) > 1:
        raise TokenNotFound(f"{len(found)} tokens start with {key!r}; revoke by id (see `khuang token list`)")
    token = found[0]
    with transaction.atomic():
        log_action(token, "revoke", actor=actor, data={"prefix": token.prefix, "user": token.user.username})
        token.delete()
    return token
