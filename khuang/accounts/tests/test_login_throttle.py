"""Sign-in throttling by django-axes (finding 9): guessing passwords locks the username for that address."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(create_user):
    return create_user("somchai", role="agency_planner")


def _login(client, password, username="somchai", url="/accounts/login/", **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def test_finding_9_forty_wrong_passwords_then_the_right_one_does_not_sign_in(client, person):
    statuses = [_login(client, f"guess-{i}").status_code for i in range(40)]
    assert statuses[:4] == [200] * 4  # the form again, "didn't match"
    assert set(statuses[4:]) == {429}  # the fifth failure locks the username out from this address
    res = _login(client, "pass-1234")
    assert res.status_code == 429 and "_auth_user_id" not in client.session
    assert "Too many attempts" in _login(client, "pass-1234", url="/accounts/login/?lang=en").content.decode()


def test_the_admin_login_is_throttled_too(client, create_user):
    create_user("boss", role="center_staff", is_staff=True)
    for i in range(5):
        _login(client, f"guess-{i}", username="boss", url="/admin/login/")
    assert _login(client, "pass-1234", username="boss", url="/admin/login/").status_code == 429


def test_a_success_resets_the_count_and_other_addresses_are_not_locked(client, person):
    for i in range(4):
        _login(client, f"guess-{i}")
    assert _login(client, "pass-1234").status_code == 302
    client.logout()
    for i in range(4):
        assert _login(client, f"guess-{i}").status_code == 200  # the count started again
    for i in range(10):
        _login(client, f"again-{i}")
    assert _login(client, "pass-1234").status_code == 429
    assert _login(client, "pass-1234", REMOTE_ADDR="10.9.8.7").status_code == 302
