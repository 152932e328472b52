"""Funding programmes and their programme officers (issue 15 item 11: programme officers see
their programme's pilots): the city names and removes officers on the programme's page; only
officers of the funding department are offered; every change is audited and reads as a
history; a named officer then reads and steers the programme's pilots, a removed one gets 404."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from conftest import client_for
from tmhub.core import policies
from tmhub.core.history import entries_for
from tmhub.core.models import Notification, ObjectChange
from tmhub.pilots import services
from tmhub.pilots.models import Programme
from tmhub.pilots.tests.helpers import make_pilot, programme, science_officer

pytestmark = pytest.mark.django_db


def _officer_options(response) -> set[str]:
    form = response.context["add_form"]
    return {str(u) for u in form.fields["officer"].queryset}


def test_a_named_officer_sees_the_programmes_pilots_and_a_removed_one_gets_404(personas):
    """Given a programme with no officer and its pilot, when the city names a science officer
    on the programme's page, then the officer lists, opens and steers the pilot; when the city
    removes them, the pilot's page and API answer 404 and the list is empty again."""
    prog = programme(personas, officers=[])
    pilot = make_pilot(personas)
    officer = science_officer()
    client = client_for(officer)
    detail = reverse("pilots:detail", args=[pilot.pk])
    assert client.get(detail).status_code == 404
    city = client_for(personas.municipal_admin)

    response = city.post(reverse("pilots:officer-add", args=[prog.pk]), {"officer": officer.pk})
    assert response.status_code == 302 and list(prog.officers.all()) == [officer]
    assert client.get(detail).status_code == 200
    assert client.get(f"/api/v1/pilots/{pilot.pk}/").status_code == 200
    assert [p["code"] for p in client.get("/api/v1/pilots/").json()["results"]] == [pilot.code]
    assert policies.allows(officer, "steer", pilot)
    assert client.get(prog.get_absolute_url()).status_code == 200
    note = Notification.objects.get(recipient=officer, kind="pilots.programme")
    assert note.url == prog.get_absolute_url()

    response = city.post(reverse("pilots:officer-remove", args=[prog.pk]),
                         {"officer": officer.pk})
    assert response.status_code == 302 and not prog.officers.exists()
    assert client.get(detail).status_code == 404
    assert client.get(f"/api/v1/pilots/{pilot.pk}/").status_code == 404
    assert client.get(f"/api/v1/pilots/{pilot.pk}/kpis/").status_code == 404
    assert client.get("/api/v1/pilots/").json()["count"] == 0
    assert client.get(reverse("pilots:home")).content.decode().count(pilot.code) == 0
    assert client.get(prog.get_absolute_url()).status_code == 404
    assert not policies.allows(officer, "steer", pilot)
    assert Notification.objects.filter(recipient=officer, kind="pilots.programme").count() == 2


def test_only_officers_of_the_funding_department_are_offered_or_accepted(personas):
    """Given a science officer, a second one already named, an inactive one, the education
    officer and a manager, then the page offers only the first; naming anyone else is refused
    with a field error and changes nothing."""
    from tmhub.accounts.models import User

    named = science_officer(username="p_named")
    prog = programme(personas, officers=[named])
    free = science_officer()
    gone = science_officer(username="p_gone")
    User.objects.filter(pk=gone.pk).update(is_active=False)
    city = client_for(personas.municipal_admin)
    page = city.get(prog.get_absolute_url())
    assert _officer_options(page) == {str(free)}
    for person in (named, gone, personas.department_officer, personas.manager):
        response = city.post(reverse("pilots:officer-add", args=[prog.pk]),
                             {"officer": person.pk})
        assert response.status_code == 400, person
        assert response.context["add_form"].errors["officer"]
    assert list(prog.officers.all()) == [named]
    # the service says the same to a caller that skips the form
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.add_programme_officer(prog, actor=personas.municipal_admin,
                                       officer=personas.department_officer)
    assert "officer" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.remove_programme_officer(prog, actor=personas.municipal_admin, officer=free)


def test_only_the_city_changes_the_officers(personas):
    """Given a programme whose officer is named, then the officer reads its page without the
    buttons and cannot name or remove anyone (404, nothing changed); a department officer
    not named on it does not see it at all."""
    officer = science_officer()
    prog = programme(personas, officers=[officer])
    other = science_officer(username="p_other")
    client = client_for(officer)
    page = client.get(prog.get_absolute_url())
    assert page.status_code == 200 and b"remove-officer" not in page.content
    assert b"officer-form" not in page.content
    add = client.post(reverse("pilots:officer-add", args=[prog.pk]), {"officer": other.pk})
    remove = client.post(reverse("pilots:officer-remove", args=[prog.pk]),
                         {"officer": officer.pk})
    assert add.status_code == 404 and remove.status_code == 404
    assert list(prog.officers.all()) == [officer]
    outsider = client_for(other)
    assert outsider.get(prog.get_absolute_url()).status_code == 404
    assert prog.code not in outsider.get(reverse("pilots:programmes")).content.decode()
    for persona in (personas.district_officer, personas.institution_admin, personas.manager):
        assert client_for(persona).get(prog.get_absolute_url()).status_code == 404


def test_each_change_is_audited_and_reads_as_a_history_with_names(personas):
    """Given the city names two officers and removes one, then three audit rows hold the
    officer lists before and after, and the programme's page reads them as names, in
    Chinese and in English; removing asks for confirmation first."""
    first, second = science_officer(username="p_first"), science_officer(username="p_second")
    prog = programme(personas, officers=[])
    city = personas.municipal_admin
    services.add_programme_officer(prog, actor=city, officer=first)
    services.add_programme_officer(prog, actor=city, officer=second)
    services.remove_programme_officer(prog, actor=city, officer=first)
    rows = ObjectChange.objects.filter(object_id=str(prog.pk),
                                       content_type__model="programme").order_by("pk")
    assert [(r.before or {}).get("officers") for r in rows] == [
        None, [], [first.pk], sorted([first.pk, second.pk])]
    assert rows.last().after["officers"] == [second.pk]
    with translation.override("en"):
        lines = [(f.label, f.before, f.after) for e in entries_for(prog, city)
                 for c in e.changes for f in c.fields]
    assert ("Programme officers", "p_first, p_second", "p_second") in lines
    assert ("Programme officers", "—", "p_first") in lines
    client = client_for(city)
    html = client.get(prog.get_absolute_url()).content.decode()  # Chinese by default
    assert "计划主管人员" in html and "p_first、p_second" in html
    assert 'data-confirm="确定将 p_second 移出计划主管人员' in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(prog.get_absolute_url()).content.decode()
    assert 'data-confirm="Remove p_second from the programme officers?' in english


def test_the_city_creates_a_programme_and_lists_exports_and_searches_them(personas):
    """Given the city, when it creates a programme on the page, then it lands on the
    programme's page to name officers; the list searches by name and exports what it shows."""
    city = client_for(personas.municipal_admin)
    assert client_for(personas.district_officer).get(
        reverse("pilots:programme-create")).status_code == 404
    response = city.post(reverse("pilots:programme-create"), {
        "code": "KJ-CX-2026", "name_zh": "技术创新类科技项目", "name_en": "Technology innovation",
        "kind": "tech_innovation", "department": "science"})
    prog = Programme.objects.get(code="KJ-CX-2026")
    assert response.status_code == 302 and response["Location"] == prog.get_absolute_url()
    duplicate = city.post(reverse("pilots:programme-create"), {
        "code": "KJ-CX-2026", "name_zh": "重复", "kind": "tech_innovation",
        "department": "science"})
    assert duplicate.status_code == 200 and duplicate.context["form"].errors["code"]
    programme(personas)  # 应用研究类科技项目
    listing = city.get(reverse("pilots:programmes"), {"q": "技术创新"}).content.decode()
    assert "KJ-CX-2026" in listing and "KJ-YY-2024" not in listing
    export = city.get(reverse("pilots:programmes"), {"export": "csv"})
    text = export.content.decode("utf-8-sig")
    assert "KJ-CX-2026" in text and "KJ-YY-2024" in text and "p_science" in text
