"""The titles page reads in the UI language: no words of the other script beyond data (the
legal basis and level names are data, stored in both languages)."""

import pytest
from django.conf import settings
from django.urls import reverse

from tmhub.core.tests.test_i18n import CJK_RUN, LATIN_WORD, foreign_words, visible_text
from tmhub.evaluation.models import EligibilityRule, PerformanceCondition, TitleProcedureRule

ASK = ("?level=engineer&direction=research&education=bachelor&years_since_education=4"
       "&current_title=none&years_in_current_title=0")


def _vocabulary():
    latin, cjk = set(), set()
    for model in (EligibilityRule, PerformanceCondition, TitleProcedureRule):
        for row in model.objects.all():
            latin.update(LATIN_WORD.findall(row.legal_basis_en))
            cjk.update(CJK_RUN.findall(row.legal_basis))
    return latin, cjk


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_given_either_language_then_the_page_and_its_verdict_read_in_it(client, language):
    latin, cjk = _vocabulary()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    texts = visible_text(client.get(reverse("evaluation:home") + ASK).content.decode())
    assert foreign_words(texts, language, latin, cjk) == set()
