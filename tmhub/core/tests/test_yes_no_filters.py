"""Yes/no filters offer “All”, not Django's “Unknown”, and “All” filters nothing."""

import re

import pytest
from django.urls import reverse

from conftest import client_for

pytestmark = pytest.mark.django_db


def _options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, name
    return [re.sub(r"<[^>]+>", "", o).strip()
            for o in re.findall(r"<option[^>]*>.*?</option>", select.group(1), re.S)]


@pytest.mark.parametrize(("language", "words"), [("zh-hans", ["全部", "是", "否"]),
                                                 ("en", ["All", "Yes", "No"])])
def test_the_registry_filter_reads_all_yes_no(personas, language, words):
    client = client_for(personas.municipal_admin)
    client.cookies["django_language"] = language
    page = client.get(reverse("orgs:organization-list")).content.decode()
    assert _options(page, "has_transfer_office") == words


def test_all_filters_nothing_and_yes_filters(personas):
    client = client_for(personas.municipal_admin)
    every = client.get(reverse("orgs:organization-list"), {"has_transfer_office": "unknown"})
    some = client.get(reverse("orgs:organization-list"), {"has_transfer_office": "true"})
    assert every.status_code == some.status_code == 200
    assert every.context["page_obj"].paginator.count > some.context["page_obj"].paginator.count


def test_every_yes_no_filter_offers_all():
    """A yes/no filter drawn as Django's NullBooleanSelect reads “Unknown” for “any”: every
    BooleanFilter of every app's filters uses AnyYesNoSelect."""
    import importlib
    import pkgutil

    import django_filters

    import tmhub
    from tmhub.core.widgets import AnyYesNoSelect

    for module in pkgutil.walk_packages(tmhub.__path__, "tmhub."):
        if module.name.endswith(".filters"):
            importlib.import_module(module.name)
    plain = []
    pending = list(django_filters.FilterSet.__subclasses__())
    while pending:
        filterset = pending.pop()
        pending.extend(filterset.__subclasses__())
        if not filterset.__module__.startswith("tmhub."):
            continue
        for name, found in filterset.base_filters.items():
            widget = found.extra.get("widget")
            if isinstance(found, django_filters.BooleanFilter) and not (
                    widget is AnyYesNoSelect or isinstance(widget, AnyYesNoSelect)):
                plain.append(f"{filterset.__module__}.{filterset.__name__}.{name}")
    assert not plain, plain
