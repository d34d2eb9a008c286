"""Schemathesis throws generated requests at every documented operation: none may answer 5xx."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def keep_test_connection():
    """The WSGI app closes connections after each request; inside a test transaction it must not."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def staff_token(db, keep_test_connection):
    from khuang.accounts import demo as agencies
    from khuang.accounts.models import ApiToken, User
    from khuang.venues import demo

    agencies.load()
    demo.load()
    user = User.objects.create_user("fuzz-staff", password="x", role="center_staff", is_staff=True)
    return ApiToken.issue(user)[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_never_answers_5xx(case, staff_token):
    response = case.call(headers={"Authorization": f"Bearer {staff_token}", "Accept-Language": "en"})
    assert response.status_code < 500, f"{case.method} {case.formatted_path} -> {response.status_code}: " \
        f"{response.text[:500]}"
