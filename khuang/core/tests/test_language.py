"""The chosen language sticks for the visit; error pages keep the site's layout in both languages; what Django
and the installed packages show is Thai in Thai."""

import pytest
from django.conf import settings
from django.template import loader
from django.test import RequestFactory
from django.utils import translation
from django.views import defaults

COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.mark.django_db
def test_lang_parameter_is_remembered_in_the_cookie(client):
    response = client.get("/spaces/?lang=en")
    assert response.cookies[COOKIE].value == "en"
    assert response.cookies[COOKIE]["max-age"] == settings.LANGUAGE_COOKIE_AGE
    # The next page, without the parameter, stays English; a fragment too.
    assert '<html lang="en">' in client.get("/spaces/").content.decode()
    # Switching back by parameter works the same way.
    assert client.get("/spaces/?lang=th").cookies[COOKIE].value == "th"
    assert '<html lang="th">' in client.get("/spaces/").content.decode()


@pytest.mark.django_db
def test_unknown_lang_is_ignored_and_the_cookie_is_not_rewritten(client):
    response = client.get("/spaces/?lang=xx")
    assert COOKIE not in response.cookies
    assert '<html lang="th">' in response.content.decode()
    client.cookies[COOKIE] = "en"
    assert COOKIE not in client.get("/spaces/?lang=en").cookies  # already chosen: nothing to store


@pytest.mark.django_db
def test_pages_vary_on_the_cookie_and_the_api_keeps_accept_language(client):
    assert "Cookie" in client.get("/spaces/")["Vary"]
    response = client.get("/api/spaces?lang=en")
    assert COOKIE not in response.cookies


@pytest.mark.django_db
@pytest.mark.parametrize("lang, heading", [("th", "ไม่พบหน้านี้"), ("en", "Page not found")])
def test_404_in_the_site_layout(client, lang, heading):
    client.cookies[COOKIE] = lang
    response = client.get("/events/999999/")
    body = response.content.decode()
    assert response.status_code == 404
    assert heading in body and 'class="topbar"' in body and 'name="viewport"' in body
    assert ("No such public event." in body) == (lang == "en")
    assert "Not Found" not in body


@pytest.mark.django_db
def test_404_for_an_unknown_address_shows_no_exception_name(client):
    body = client.get("/no-such-page/?lang=en").content.decode()
    assert "Page not found" in body and "Resolver404" not in body and "Http404" not in body


@pytest.mark.django_db
def test_403_in_the_site_layout(client, create_user):
    client.force_login(create_user("viewer-x", role="executive_viewer"))
    response = client.get("/plan/?lang=en")
    body = response.content.decode()
    assert response.status_code == 403
    assert "Not allowed" in body and 'class="topbar"' in body and "annual plan" in body
    body = client.get("/plan/?lang=th").content.decode()
    assert "ไม่มีสิทธิ์เข้าถึง" in body


@pytest.mark.parametrize("name", ["500.html", "400.html", "403_csrf.html"])
def test_context_free_error_pages_render_without_a_request(name):
    for lang, probe in (("th", "ข่วง"), ("en", "Events")):
        with translation.override(lang):
            html = loader.get_template(name).render()
        assert 'class="topbar"' in html and probe in html and f'<html lang="{lang}">' in html


def test_server_error_view_uses_the_layout():
    with translation.override("en"):
        response = defaults.server_error(RequestFactory().get("/"))
    body = response.content.decode()
    assert response.status_code == 500 and "Something went wrong" in body and 'href="/events/"' in body


@pytest.mark.django_db
def test_admin_speaks_thai(client, create_user):
    admin = create_user("boss", role="center_staff", is_staff=True, is_superuser=True)
    client.force_login(admin)
    body = client.get("/admin/").content.decode()
    for english in ("Django administration", "Tasks Database Backend", "Task Results", "Skip to main content",
                    "Axes", "Access attempts"):
        assert english not in body, english
    assert "งานเบื้องหลัง" in body and "ระบบจัดการข้อมูลข่วง" in body
    tasks = client.get("/admin/django_tasks_database/dbtaskresult/").content.decode()
    assert "Task name" not in tasks and "ผลงานเบื้องหลัง" in tasks
    body = client.get("/admin/?lang=en").content.decode()
    assert "Background tasks" in body and "Khuang administration" in body


def test_blank_choice_is_thai():
    from django.db.models.fields import BLANK_CHOICE_LABEL

    with translation.override("th"):
        assert str(BLANK_CHOICE_LABEL) == "- เลือก -"
    with translation.override("en"):
        assert str(BLANK_CHOICE_LABEL) == "- Select an option -"


@pytest.mark.django_db
def test_password_pages_name_khuang_not_the_framework(client):
    body = client.get("/accounts/password_reset/").content.decode()
    assert "Django" not in body and "ระบบจัดการข้อมูลข่วง" in body
    assert "ลืมรหัสผ่าน" in body and "Forgotten your password" not in body
