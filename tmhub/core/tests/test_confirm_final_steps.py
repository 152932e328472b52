"""No irreversible step is a single click: every step into a state no transition leaves asks
for confirmation (its own question or the workflow's default), and the pages print it."""

import importlib
import pkgutil
import re

import pytest
from django.urls import reverse

import tmhub
from conftest import client_for
from tmhub.core.workflow import Workflow
from tmhub.talent import filing
from tmhub.talent.models import AnnualFiling
from tmhub.talent.tests.helpers import make_profile, register


def _workflows():
    found = {}
    for module in pkgutil.walk_packages(tmhub.__path__, "tmhub."):
        if any(part in module.name for part in (".tests", ".migrations", ".management")):
            continue
        for name, value in vars(importlib.import_module(module.name)).items():
            if isinstance(value, Workflow):
                found[id(value)] = (f"{module.name}.{name}", value)
    return list(found.values())


def test_the_platform_has_workflows_with_final_states():
    names = {name for name, workflow in _workflows()
             if any(workflow.is_final(t.target) for t in workflow.transitions())}
    assert {"tmhub.talent.filing.FILING_WORKFLOW",
            "tmhub.transfer.workflows.SPLIT_WORKFLOW"} <= names


@pytest.mark.parametrize("name,workflow", _workflows(), ids=lambda v: v if isinstance(v, str)
                         else "")
def test_every_step_into_a_final_state_asks_first(name, workflow):
    for transition in workflow.transitions():
        if workflow.is_final(transition.target):
            assert str(workflow.confirmation(transition)), (name, transition.target)
        elif not transition.confirm:
            assert workflow.confirmation(transition) == "", (name, transition.target)


@pytest.mark.django_db
def test_the_filing_form_asks_before_it_is_submitted(personas):
    profile = make_profile(personas.manager, employer=personas.university,
                           district=personas.haidian)
    register(profile, employer_admin=personas.institution_admin,
             municipal=personas.municipal_admin)
    filing.open_filings(2024, actor=personas.municipal_admin)
    item = AnnualFiling.objects.get(registration__profile=profile)
    page = client_for(personas.manager).get(
        reverse("talent:filing-detail", args=[item.pk])).content.decode()
    submit = re.search(r'<button[^>]*data-target="submitted"[^>]*>', page)
    assert submit and "data-confirm=" in submit.group(0), page
