"""Notifications that help (issue 12 item 6, and item 3's "in the recipient's language"): one
per event per person, held by the database; the city told once per application; the message in
the reader's language and the e-mail in the recipient's; a list with pages, filters and "mark
all read"; per-kind e-mail preferences the sender honours."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from conftest import client_for
from tmhub.accounts.services import create_user
from tmhub.core.actors import SYSTEM
from tmhub.core.models import Notification, ObjectChange
from tmhub.core.notifications import notify
from tmhub.core.operations import operation
from tmhub.talent import registration as reg
from tmhub.talent.choices import RegistrationStatus as S
from tmhub.talent.tests.helpers import make_profile

pytestmark = pytest.mark.django_db

SUBJECT = gettext_lazy("Your technology-manager registration is now: %(status)s")


def _set_language(user, language):
    from tmhub.core import notifications

    notifications.set_language(user, actor=user, language=language)
    user.refresh_from_db()


# ---------------------------------------------------------------- once per event per person


def test_the_city_is_told_once_per_application_whose_employer_has_no_administrator(personas):
    # Given a manager of a university without an institution administrator (only a superuser
    # may endorse there), as most demo applications are
    root = create_user(
        actor=SYSTEM, username="p_root", password=None, is_superuser=True, email="root@example.cn"
    )
    profile = make_profile(
        personas.manager, employer=personas.other_university, district=personas.haidian
    )
    # When the manager applies and the superuser endorses
    registration = reg.apply_for_registration(actor=personas.manager, profile=profile)
    reg.transition_registration(registration, S.ENDORSED, actor=root)
    # Then the city, which cannot endorse it, was not asked to: it is told once, to review
    city = Notification.objects.filter(recipient=personas.municipal_admin)
    assert list(city.values_list("kind", flat=True)) == ["talent.registration_to_review"]
    # and the one who may endorse was asked
    assert list(Notification.objects.filter(recipient=root).values_list("kind", flat=True)) == [
        "talent.registration_to_endorse"
    ]


def test_a_city_officer_who_endorses_is_not_told_of_their_own_endorsement(personas):
    profile = make_profile(personas.manager, employer=None, district=personas.haidian)
    registration = reg.apply_for_registration(actor=personas.manager, profile=profile)
    reg.transition_registration(registration, S.ENDORSED, actor=personas.municipal_admin)
    kinds = Notification.objects.filter(recipient=personas.municipal_admin).values_list(
        "kind", flat=True
    )
    assert list(kinds) == ["talent.registration_to_endorse"]


def test_the_same_event_announced_twice_is_one_notification_with_the_latest_text(personas):
    # Given one operation (a request) that moves a registration twice — taken into review and
    # approved — the applicant is told of their registration's status once, as it ends
    profile = make_profile(
        personas.manager, employer=personas.university, district=personas.haidian
    )
    registration = reg.apply_for_registration(actor=personas.manager, profile=profile)
    registration = reg.transition_registration(
        registration, S.ENDORSED, actor=personas.institution_admin
    )
    before = Notification.objects.filter(recipient=personas.manager).count()
    with operation():
        done, failed = reg.bulk_approve([registration], actor=personas.municipal_admin)
    assert done and not failed
    new = Notification.objects.filter(recipient=personas.manager).order_by("id")[before:]
    assert [n.kind for n in new] == ["talent.registration_status"]
    with translation.override("zh-hans"):
        assert new[0].subject == str(SUBJECT) % {"status": S.REGISTERED.label}


def test_the_database_refuses_a_second_notification_of_one_event(personas):
    note = notify([personas.manager], kind="core.message", subject="一次")[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=personas.manager, kind=note.kind, event_key=note.event_key, subject="两次"
        )


def test_outside_an_operation_each_announcement_is_its_own_event(personas):
    notify([personas.manager], subject="第一条")
    notify([personas.manager], subject="第二条")
    assert personas.manager.notifications.count() == 2


def test_an_unknown_kind_is_a_programming_error(personas):
    with pytest.raises(ValueError):
        notify([personas.manager], kind="talent.no_such_kind", subject="x")


# ---------------------------------------------------------------- the recipient's language


def test_the_message_is_stored_in_the_recipients_language_and_read_in_the_readers(personas):
    # Given a city officer who reads English and a manager who never chose
    _set_language(personas.municipal_admin, "en")
    with translation.override("zh-hans"):  # the actor's UI is Chinese
        notify(
            [personas.municipal_admin, personas.manager],
            kind="talent.registration_status",
            subject=SUBJECT,
            params={"status": S.REGISTERED.label},
        )
    english = personas.municipal_admin.notifications.get()
    chinese = personas.manager.notifications.get()
    # Then each is stored in the recipient's language (what their e-mail says)
    assert english.subject == "Your technology-manager registration is now: Registered"
    with translation.override("zh-hans"):
        assert chinese.subject == str(SUBJECT) % {"status": S.REGISTERED.label}
        assert chinese.subject != english.subject
        # and shown in the language the reader uses when they open the list
        assert english.subject_text == chinese.subject
    with translation.override("en"):
        assert chinese.subject_text == english.subject


def test_a_typed_opinion_is_kept_as_typed_never_formatted(personas):
    notify(
        [personas.manager],
        kind="core.message",
        subject=gettext_lazy("Opinion: %(text)s"),
        params={"text": "100% 同意"},
        body="正文里的 %(text)s 不是模板",
    )
    note = personas.manager.notifications.get()
    assert note.subject.endswith("100% 同意")
    assert note.body == "正文里的 %(text)s 不是模板"


def test_notifications_stored_before_still_display(personas):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "tmhub.core.migrations.0007_notification_kinds_events_texts"
    )

    old = Notification.objects.create(
        recipient=personas.manager, subject="旧的通知", body="旧正文", event_key=""
    )
    migration.keys_for_existing(apps, None)
    old.refresh_from_db()
    assert (old.kind, old.event_key, old.texts) == ("core.message", f"legacy:{old.pk}", {})
    client = client_for(personas.manager)
    for language in ("zh-hans", "en"):
        client.cookies["django_language"] = language
        page = client.get(reverse("core:notifications")).content.decode()
        assert "旧的通知" in page and "旧正文" in page


def test_the_language_switch_saves_a_signed_in_persons_language(personas):
    client = client_for(personas.manager)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    personas.manager.refresh_from_db()
    assert personas.manager.language == "en"
    assert ObjectChange.objects.filter(object_id=str(personas.manager.pk), action="update").exists()
    # Anonymous visitors switch as before (the cookie only)
    from django.test import Client

    assert Client().post(reverse("set_language"), {"language": "en"}).status_code == 302


# ---------------------------------------------------------------- e-mail and preferences


def test_mail_goes_to_each_person_in_their_language_unless_they_turned_the_kind_off(
    personas, django_capture_on_commit_callbacks
):
    # Given a manager who reads English and wants no e-mail about their registration's status
    client = client_for(personas.manager)
    page = client.get(reverse("core:notification-preferences"))
    assert page.status_code == 200 and 'name="email_kinds"' in page.content.decode()
    response = client.post(
        reverse("core:notification-preferences"),
        {
            "language": "en",
            "email_kinds": ["training.certificate", "core.message"],
        },
    )
    assert response.status_code == 302
    personas.manager.refresh_from_db()
    assert personas.manager.language == "en"
    assert "talent.registration_status" in personas.manager.email_muted_kinds
    assert "training.certificate" not in personas.manager.email_muted_kinds
    assert ObjectChange.objects.filter(object_id=str(personas.manager.pk)).exists()
    mail.outbox.clear()
    # When both kinds are sent to them and to the Chinese-reading institution administrator
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            [personas.manager, personas.institution_admin],
            kind="talent.registration_status",
            subject=SUBJECT,
            params={"status": S.REGISTERED.label},
            url="/talent/",
        )
        notify(
            [personas.manager],
            kind="training.certificate",
            subject=gettext_lazy("Your training certificate %(number)s was issued"),
            params={"number": "BJTM-C-1"},
        )
    # Then the muted kind reached the manager only in the platform, the other by e-mail in
    # English; the administrator's e-mail is in Chinese, each message to one address
    sent = sorted((m.to, m.subject) for m in mail.outbox)
    with translation.override("zh-hans"):
        chinese = str(SUBJECT) % {"status": S.REGISTERED.label}
    assert sent == [
        (["p_manager@example.cn"], "Your training certificate BJTM-C-1 was issued"),
        (["p_tto@example.cn"], chinese),
    ]
    assert personas.manager.notifications.count() == 2


def test_the_preferences_form_refuses_an_unknown_language_and_saves_nothing(personas):
    response = client_for(personas.manager).post(
        reverse("core:notification-preferences"), {"language": "fr"}
    )
    assert response.status_code == 200
    personas.manager.refresh_from_db()
    assert personas.manager.language == "" and personas.manager.email_muted_kinds == []


# ---------------------------------------------------------------- the list


def _many(user, count, kind="core.message"):
    for index in range(count):
        notify([user], kind=kind, subject=f"通知 {index}")


def test_the_list_is_paged(personas):
    _many(personas.manager, 30)
    client = client_for(personas.manager)
    first = client.get(reverse("core:notifications")).content.decode()
    assert "通知 29" in first and "通知 0<" not in first
    second = client.get(reverse("core:notifications") + "?page=2").content.decode()
    assert "通知 0<" in second and "通知 29" not in second
    assert client.get(reverse("core:notifications") + "?page=9").status_code == 404


def test_the_list_filters_by_unread_kind_and_module(personas):
    notify([personas.manager], kind="training.certificate", subject="证书通知")
    notify([personas.manager], kind="talent.registration_status", subject="登记通知")
    notify([personas.manager], kind="talent.filing_overdue", subject="备案通知")
    Notification.objects.filter(subject="备案通知").update(read_at="2026-11-30T08:00:00Z")
    client = client_for(personas.manager)
    url = reverse("core:notifications")

    def shown(query):
        page = client.get(f"{url}?{query}").content.decode()
        return {s for s in ("证书通知", "登记通知", "备案通知") if s in page}

    assert shown("") == {"证书通知", "登记通知", "备案通知"}
    assert shown("show=unread") == {"证书通知", "登记通知"}
    assert shown("kind=training.certificate") == {"证书通知"}
    assert shown("module=talent") == {"登记通知", "备案通知"}
    assert shown("module=talent&show=unread") == {"登记通知"}
    # A value the form does not offer shows the whole list, never an error
    assert shown("kind=nonsense") == {"证书通知", "登记通知", "备案通知"}
    # Only the modules and kinds the person has are offered
    assert 'value="transfer"' not in client.get(url).content.decode()
    # A filter that leaves nothing says so, and how to see everything
    personas.manager.notifications.update(read_at="2026-11-30T08:00:00Z")
    empty = client.get(f"{url}?show=unread").content.decode()
    assert 'id="notifications-empty"' in empty and 'href="/notifications/"' in empty


def test_mark_all_read_is_a_post_with_csrf_and_keeps_to_the_filter(personas):
    notify([personas.manager], kind="training.certificate", subject="证书通知")
    notify([personas.manager], kind="talent.registration_status", subject="登记通知")
    notify([personas.enterprise], kind="training.certificate", subject="别人的通知")
    client = client_for(personas.manager)
    url = reverse("core:notifications-read")
    # Without the CSRF token the request is refused
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(personas.manager)
    assert strict.post(url).status_code == 403
    assert personas.manager.notifications.filter(read_at__isnull=True).count() == 2
    # Marking the talent module read leaves the certificate unread
    response = client.post(url, {"module": "talent"})
    assert response.status_code == 302 and response.url.endswith("?module=talent")
    unread = personas.manager.notifications.filter(read_at__isnull=True)
    assert list(unread.values_list("subject", flat=True)) == ["证书通知"]
    # Marking one by id, then everything; another person's notifications are untouched
    client.post(url, {"id": unread.get().pk})
    assert not personas.manager.notifications.filter(read_at__isnull=True).exists()
    assert personas.enterprise.notifications.filter(read_at__isnull=True).count() == 1
    assert client.get(url).status_code == 405


def test_an_empty_list_says_so(personas):
    page = client_for(personas.outsider).get(reverse("core:notifications")).content.decode()
    assert 'id="notifications-empty"' in page and 'id="mark-all-read"' not in page


def test_the_list_does_not_query_per_notification(personas, django_assert_max_num_queries):
    _many(personas.manager, 25)
    client = client_for(personas.manager)
    client.get(reverse("core:notifications"))
    with django_assert_max_num_queries(20) as captured:
        client.get(reverse("core:notifications"))
    few = len(captured)
    _many(personas.manager, 20, kind="training.certificate")
    with django_assert_max_num_queries(few):
        client.get(reverse("core:notifications"))
