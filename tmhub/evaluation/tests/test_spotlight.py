"""The spotlight of outstanding managers (issue 17 item 6): picked by a person from a
published round's results, consented, approved by a second person, public when published."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tmhub.core.models import WorkflowEvent
from tmhub.evaluation.models import Rating, SpotlightEntry
from tmhub.evaluation.services import spotlight
from tmhub.evaluation.spotlight_choices import SpotlightEvent, SpotlightStatus
from tmhub.evaluation.tests.spotlight_helpers import (
    published_entry,
    round_with_rating,
    second_city,
)

pytestmark = pytest.mark.django_db


def _draft(personas, rating):
    return spotlight.draft_entry(actor=personas.municipal_admin, rating=rating,
                                 citation_zh="长期服务高校专利转化。")


def test_a_manager_outside_a_published_round_cannot_be_picked(personas):
    # Given a round computed but not published
    _round, rating = round_with_rating(personas, publish=False)
    # Then its rating cannot be picked
    with pytest.raises(ValidationError) as refused:
        _draft(personas, rating)
    assert refused.value.code == "round_not_published"
    assert not SpotlightEntry.objects.exists()


def test_publishing_a_round_puts_nobody_in_the_spotlight(personas):
    round_, rating = round_with_rating(personas)
    assert Rating.objects.filter(round=round_).exists()
    assert not SpotlightEntry.objects.exists()
    assert "spotlight-empty" in Client().get("/evaluation/spotlight/").content.decode()


def test_only_the_city_picks(personas):
    _round, rating = round_with_rating(personas)
    for user in (personas.institution_admin, personas.manager, personas.department_officer):
        with pytest.raises(Exception):  # noqa: B017 (404: forbidden looks like missing)
            spotlight.draft_entry(actor=user, rating=rating, citation_zh="自荐。")
    assert not SpotlightEntry.objects.exists()


def test_the_chinese_citation_is_required_and_a_manager_is_picked_once(personas):
    _round, rating = round_with_rating(personas)
    with pytest.raises(ValidationError) as refused:
        spotlight.draft_entry(actor=personas.municipal_admin, rating=rating, citation_zh=" ",
                              citation_en="Only English.")
    assert refused.value.error_dict["citation_zh"][0].code == "citation_missing"
    _draft(personas, rating)
    with pytest.raises(ValidationError) as again:
        _draft(personas, rating)
    assert again.value.code == "already_picked"


def test_consent_comes_before_publication(personas):
    _round, rating = round_with_rating(personas)
    entry = _draft(personas, rating)
    entry = spotlight.step_entry(entry, SpotlightStatus.PENDING, actor=personas.municipal_admin)
    with pytest.raises(ValidationError) as refused:
        spotlight.step_entry(entry, SpotlightStatus.PUBLISHED, actor=second_city())
    assert refused.value.code == "consent_missing"
    # When the manager confirms on the platform
    spotlight.record_consent(entry, actor=personas.manager, given_on=timezone.localdate(),
                             note="")
    entry = spotlight.step_entry(entry, SpotlightStatus.PUBLISHED, actor=second_city())
    assert entry.status == SpotlightStatus.PUBLISHED
    assert entry.consent_recorded_by == personas.manager and entry.consent_note
    assert WorkflowEvent.objects.filter(event_type=SpotlightEvent.CONSENT_RECORDED,
                                        object_id=str(entry.pk)).count() == 1


def test_consent_recorded_by_the_city_needs_its_evidence(personas):
    _round, rating = round_with_rating(personas)
    entry = _draft(personas, rating)
    with pytest.raises(ValidationError) as refused:
        spotlight.record_consent(entry, actor=personas.municipal_admin,
                                 given_on=timezone.localdate(), note="")
    assert refused.value.error_dict["note"][0].code == "consent_evidence_missing"
    # And nobody else records it
    with pytest.raises(Exception):  # noqa: B017
        spotlight.record_consent(entry, actor=personas.institution_admin,
                                 given_on=timezone.localdate(), note="代为同意。")
    entry.refresh_from_db()
    assert not entry.has_consent


def test_the_drafter_cannot_approve_their_own_entry(personas):
    _round, rating = round_with_rating(personas)
    city = personas.municipal_admin
    entry = _draft(personas, rating)
    spotlight.record_consent(entry, actor=city, given_on=timezone.localdate(), note="同意书。")
    entry = spotlight.step_entry(entry, SpotlightStatus.PENDING, actor=city)
    with pytest.raises(ValidationError) as refused:
        spotlight.step_entry(entry, SpotlightStatus.PUBLISHED, actor=city)
    assert refused.value.code == "same_person_approval"
    entry.refresh_from_db()
    assert entry.status == SpotlightStatus.PENDING


def test_the_public_page_shows_only_published_entries(personas, settings):
    _round, rating = round_with_rating(personas)
    other_round, other_rating = round_with_rating(personas, code="spot-2", name="第二轮评价")
    shown = published_entry(personas, rating)
    hidden = spotlight.draft_entry(actor=personas.municipal_admin, rating=other_rating,
                                   citation_zh="尚未发布的推介语。")
    anonymous = Client()
    page = anonymous.get("/evaluation/spotlight/").content.decode()
    assert "推动多项专利许可落地。" in page and "尚未发布的推介语。" not in page
    assert anonymous.get(shown.get_absolute_url()).status_code == 200
    assert anonymous.get(hidden.get_absolute_url()).status_code == 404
    # In English, the English citation (the Chinese one when none was written)
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = english.get(shown.get_absolute_url()).content.decode()
    assert "Brought several patent licences to market." in page
    assert "Outstanding technology managers" in page
    # And a withdrawn entry leaves the page, with its reason in the history
    with pytest.raises(ValidationError) as no_reason:
        spotlight.step_entry(shown, SpotlightStatus.WITHDRAWN, actor=personas.municipal_admin)
    assert no_reason.value.code == "reason_required"
    spotlight.step_entry(shown, SpotlightStatus.WITHDRAWN, actor=personas.municipal_admin,
                         reason="本人申请撤下。")
    assert anonymous.get(shown.get_absolute_url()).status_code == 404
    assert "推动多项专利许可落地。" not in anonymous.get("/evaluation/spotlight/").content.decode()
    assert WorkflowEvent.objects.get(event_type=SpotlightEvent.ENTRY_WITHDRAWN).reason == \
        "本人申请撤下。"


def test_the_demo_puts_one_manager_in_the_spotlight_once(personas):
    from tmhub.evaluation.demo_spotlight import seed_spotlight

    class Ctx:
        def log(self, message):
            self.logged = message

    round_with_rating(personas)
    seed_spotlight(Ctx())
    seed_spotlight(Ctx())
    entry = SpotlightEntry.objects.get()
    assert entry.status == SpotlightStatus.PUBLISHED and entry.has_consent
    assert "演示" in entry.citation_zh
