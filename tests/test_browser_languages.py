"""One language for the whole visit, in a real browser.

A visitor, an agency planner and a center staff member walk the pages they use, first in English (chosen once
with `?lang=en`) and then in Thai, and submit the key forms once wrong and once right (log-in, registration,
the booking dialog, a proposal, an import). On every page, no Thai letters may appear in English outside data
(names, titles), and no English words in Thai outside data and a few tokens (codes, units, the brand).
Screenshots go to var/screens/.
"""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = Path(__file__).resolve().parent.parent / "var" / "screens"
THAI = re.compile(r"[\u0E00-\u0E7F]")
WORD = re.compile(r"[A-Za-z][A-Za-z']+")
# Never a translation problem: e-mail addresses, web and file names, ISO dates and times, numbers with units.
NOISE = re.compile(r"\S+@\S+|https?://\S+|\bgeo:|\b[\w-]+\.(?:ics|json|csv|xlsx|pdf|png|md)\b|\b\d{4}-\d{2}(?:-\d{2})?\b")
# Words Thai pages may show as they are: the brand, formats, units, abbreviations Thai uses as such.
THAI_MODE_TOKENS = {"Khuang", "English", "iCalendar", "JSON", "CSV", "Excel", "PDF", "QR", "SME", "OTOP", "VAT",
                    "PromptPay", "km", "m", "ID", "xlsx", "csv", "json", "ics", "Google", "Maps"}
BRAND_TH = "ข่วง"

TEXTS = """
() => {
  const out = [];
  const langOf = (el) => { const l = el.closest('[lang]'); return l ? l.getAttribute('lang') : ''; };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const t = n.nodeValue.trim(), el = n.parentElement;
    if (!t || !el || el.closest('script,style,textarea,noscript,template')) continue;
    out.push([t, langOf(el), el.tagName.toLowerCase()]);
  }
  for (const el of document.querySelectorAll('[placeholder],[title],[aria-label],img[alt]')) {
    for (const a of ['placeholder', 'title', 'aria-label', 'alt']) {
      const v = el.getAttribute(a);
      if (v && v.trim()) out.push([v.trim(), langOf(el), el.tagName.toLowerCase() + '@' + a]);
    }
  }
  out.push([document.title, document.documentElement.lang, 'title']);
  return out;
}
"""


def data_strings() -> list[str]:
    """Every name, title and code people typed in (the data), longest first: these may be in either script."""
    from django.apps import apps
    from django.db import models

    found: set[str] = set()
    for model in apps.get_models():
        label = model._meta.app_label
        if not (model.__module__.startswith("khuang.") and label != "core") and label != "accounts":
            continue
        fields = [f.name for f in model._meta.concrete_fields
                  if isinstance(f, (models.CharField, models.TextField)) and not f.choices]
        for row in model.objects.values_list(*fields):
            for value in row:
                for part in str(value or "").splitlines():
                    if len(part.strip()) >= 2:
                        found.add(part.strip())
    return sorted(found, key=len, reverse=True)


def strays(items, lang: str, data: list[str]) -> list[str]:
    """Texts in the wrong language once data and allowed tokens are taken out."""
    bad = []
    for text, el_lang, where in items:
        if el_lang and el_lang != lang:
            continue  # marked as another language on purpose (the language switch)
        rest = NOISE.sub(" ", text)
        for d in data:
            if d in rest:
                rest = rest.replace(d, " ")
        rest = rest.replace(BRAND_TH, " ")
        if lang == "en":
            if THAI.search(rest):
                bad.append(f"{where}: {text[:120]}")
        else:
            words = [w for w in WORD.findall(rest) if w not in THAI_MODE_TOKENS and not w.isupper()]
            if words:
                bad.append(f"{where}: {text[:120]}  {words[:5]}")
    return bad


@pytest.fixture
def world(db, create_user):
    from khuang.accounts import demo as agencies
    from khuang.accounts.models import Agency
    from khuang.planning import demo as proposals
    from khuang.public import demo as events
    from khuang.public import demo_tourism
    from khuang.venues import demo as venues

    agencies.load()
    venues.load()
    demo_tourism.load()
    events.load()
    proposals.load()
    create_user("lang-staff", role="center_staff", is_staff=True, is_superuser=True)
    create_user("lang-planner", role="agency_planner", agency=Agency.objects.get(code="LPG-IND"))


class Walk:
    """One browser context per person; every visited page is checked and remembered."""

    def __init__(self, browser, base: str, lang: str, data: list[str], thai_renders):
        self.browser, self.base, self.lang, self.data = browser, base, lang, data
        self.thai_renders = thai_renders
        self.problems: list[str] = []
        self.page = None

    def start(self, width: int = 1280):
        if self.page is not None:
            self.page.context.close()
        # A browser set up for the language, as its users' are (the native time inputs follow it).
        context = self.browser.new_context(viewport={"width": width, "height": 900},
                                           locale="th-TH" if self.lang == "th" else "en-GB")
        self.page = context.new_page()
        self.page.set_default_timeout(15_000)
        self.page.set_default_navigation_timeout(45_000)
        # The language is chosen once, on the first page; everything after must follow it.
        self.page.goto(f"{self.base}/events/?lang={self.lang}")
        return self.page

    def check(self, label: str, shot: str | None = None) -> None:
        page = self.page
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == self.lang, f"{label}: page not in {self.lang}"
        for text in strays(page.evaluate(TEXTS), self.lang, self.data):
            self.problems.append(f"[{self.lang}] {label} ({page.url.removeprefix(self.base)}): {text}")
        if shot:
            page.screenshot(path=str(SCREENS / f"{shot}-{self.lang}.png"), full_page=True)

    def visit(self, path: str, label: str | None = None, shot: str | None = None, status: int = 200) -> None:
        response = self.page.goto(self.base + path)
        assert response.status == status, f"{path}: {response.status}"
        self.check(label or path, shot)

    def login(self, username: str) -> None:
        page = self.page
        page.goto(f"{self.base}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", "wrong-password")
        page.click("form button.primary")
        page.locator("p.error").wait_for()
        self.check("log-in refused")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", "pass-1234")
        page.click("form button.primary")
        page.wait_for_load_state()
        assert "/accounts/login/" not in page.url


def visitor(walk: Walk, event_id: int) -> None:
    page = walk.start(width=390)  # a phone
    walk.check("event list")
    walk.visit("/events/calendar/", "calendar")
    walk.visit("/spaces/", "spaces")
    walk.visit(f"/events/{event_id}/", "event page")
    page.fill("input[name=name]", "Anong Test")
    page.fill("input[name=email]", "not-an-email")
    page.fill("input[name=phone]", "081 234 5678")
    page.click("form.regform button.primary")
    page.locator("form.regform [role=alert]").first.wait_for()
    walk.check("registration refused")
    page.fill("input[name=email]", f"anong-{walk.lang}@example.org")
    page.click("form.regform button.primary")
    page.wait_for_url("**/events/ticket/**")
    walk.check("ticket", "visitor-ticket")
    walk.visit("/events/999999/", "missing event", "visitor-404", status=404)
    assert page.locator("header.topbar nav.mainnav a").count() >= 2  # the site's navigation, at phone width
    if walk.lang == "th":
        walk.thai_renders(page, "main h1")


def planner(walk: Walk, fy: int) -> None:
    page = walk.start()
    walk.login("lang-planner")
    walk.visit("/diary/", "diary")
    walk.visit(f"/plan/?fy={fy}", "planning board")
    walk.visit(f"/plan/proposals/?fy={fy}", "proposals")
    walk.visit(f"/plan/proposals/new/?fy={fy}", "new proposal")
    page.fill("input[name=ref]", f"LANG-{walk.lang}")
    page.fill("input[name=title_th]", "สัมมนาทดสอบภาษา")
    page.fill("input[name=days]", "5")
    page.fill("input[name=earliest]", f"{fy - 543}-01-10")
    page.fill("input[name=latest_end]", f"{fy - 543}-01-11")  # shorter than the event: refused
    page.click("form.proposal-form button.primary")
    page.wait_for_load_state()
    assert page.locator(".errorlist, .error").count() > 0
    walk.check("proposal refused")
    page.fill("input[name=latest_end]", f"{fy - 543}-01-31")
    page.click("form.proposal-form button.primary")
    page.wait_for_url("**/plan/proposals/*/")
    walk.check("proposal saved")
    walk.visit("/plan/proposals/import/", "import")
    csv = ("ref,agency,title_th,activity_type,days,earliest,latest_end\n"
           f"X-1,LPG-IND,ทดสอบ,seminar,5,{fy - 543}-01-05,{fy - 543}-01-06\n")
    page.set_input_files("input[name=file]", {"name": "p.csv", "mimeType": "text/csv", "buffer": csv.encode()})
    page.locator("form button.primary, form button[type=submit]").last.click()
    page.locator(".import-errors").wait_for()
    walk.check("import refused", "planner-import-error")
    walk.visit("/events/check-in/", "check-in list")
    walk.visit("/reports/", "reports refused", status=403)


def staff(walk: Walk, day: date) -> None:
    page = walk.start()
    walk.login("lang-staff")
    walk.visit(f"/diary/?view=month&date={day.isoformat()}", "diary month", "staff-diary")
    page.locator(f'td[data-space="MR-KOKHA"][data-day="{day.isoformat()}"] a.add').click()
    dialog = page.locator("dialog#panel")
    dialog.locator("input[name=title]").wait_for()
    walk.check("booking dialog")
    dialog.locator("button.primary").click()  # no title: refused inside the dialog
    dialog.locator(".errorlist").first.wait_for()
    walk.check("booking refused", "staff-booking-error")
    dialog.locator("input[name=title]").fill("ประชุมทดสอบภาษา")
    dialog.locator("input[name=title_en]").fill("Language test meeting")
    dialog.locator("button.primary").click()
    page.wait_for_url("**/diary/bookings/*/")
    walk.check("booking page")
    walk.visit("/diary/new/", "booking form page")
    walk.visit("/plan/settings/", "planning settings")
    walk.visit("/reports/", "dashboard")
    walk.visit("/admin/", "admin", "staff-admin")


def test_one_language_for_the_whole_visit(browser, live_server, world, assert_thai_renders):
    from khuang.core.thaidates import fiscal_year
    from khuang.public.models import EventPage

    SCREENS.mkdir(parents=True, exist_ok=True)
    typed = ["สัมมนาทดสอบภาษา", "ประชุมทดสอบภาษา", "Language test meeting", "Anong Test", "ทดสอบ", "LANG-en",
             "LANG-th"]
    data = sorted({*data_strings(), *typed}, key=len, reverse=True)
    event = EventPage.objects.filter(capacity__isnull=False, registration_open=True,
                                     booking__start__gt=date.today()).order_by("booking__start").first()
    assert event is not None, "the demo needs an open public event"
    day = (date.today().replace(day=1) + timedelta(days=70)).replace(day=20)
    problems = []
    for lang in ("en", "th"):
        for person, arg in ((visitor, event.booking_id), (planner, fiscal_year(day)),
                            (staff, day + timedelta(days=1 if lang == "th" else 0))):
            walk = Walk(browser, live_server.url, lang, data, assert_thai_renders)
            person(walk, arg)
            walk.page.context.close()
            problems += walk.problems
    assert not problems, "Text in the wrong language:\n" + "\n".join(problems)
