"""The indexes follow the records through the event bus, one document at a time.

Given an index built once, when a record changes through its service and the transaction
commits, then another process (a second handle on the same directory) finds the change, and
the index shows it was applied incrementally: the original segment untouched except for one
tombstone, plus one small segment holding the new version. A full rebuild would leave a
single segment without tombstones.
"""

import pytest
from django.db import transaction

from tmhub.accounts.services import create_user, grant_membership
from tmhub.core.actors import SYSTEM
from tmhub.core.audit import record_change, snapshot
from tmhub.core.choices import OrgKind
from tmhub.core.models import IndustryField, ObjectChange
from tmhub.core.roles import Role
from tmhub.matching.sources import ManagerSource, ProviderSource, doc_id
from tmhub.matching.store import IndexHandle, get_handle, index_root
from tmhub.orgs.services import create_organization, update_organization
from tmhub.talent import services as talent

pytestmark = pytest.mark.django_db

NEW_WORDS = "等离子体刻蚀装备"
NEW_BIO = f"专注{NEW_WORDS}的技术许可与作价入股谈判。"


def _manager(personas, username, bio, fields=()):
    user = create_user(actor=SYSTEM, username=username, password=None, display_name=username)
    grant_membership(actor=SYSTEM, user=user, role=Role.MANAGER, organization=personas.university)
    return talent.create_profile(
        actor=personas.institution_admin,
        user=user,
        employer=personas.university,
        work_district=personas.haidian,
        bio=bio,
        fields=list(IndustryField.objects.filter(code__in=fields)),
    )


@pytest.fixture
def managers(personas):
    """Three manager profiles and a managers index built from them once."""
    profiles = [
        _manager(personas, "m_first", "长期从事新材料领域科技成果转化。"),
        _manager(personas, "m_second", "医疗器械方向技术经理人，熟悉临床试验。"),
        _manager(personas, "m_third", "人工智能成果的概念验证与孵化。", fields=("AI",)),
    ]
    get_handle(ManagerSource.kind).rebuild()
    return profiles


def _another_process(kind=ManagerSource.kind, source=ManagerSource):
    """What a second server process sees: its own handle on the shared directory."""
    return IndexHandle(kind, index_root(), source()).get()


def _found(index, text):
    return [hit.id for hit in index.search(text, top_k=5)]


def _generation(kind=ManagerSource.kind):
    return get_handle(kind).generation_path.read_text()


def test_profile_edit_writes_one_document_without_rebuild(personas, managers, committed):
    # given an index of three managers in one segment
    assert get_handle(ManagerSource.kind).get().segment_stats() == [(3, 0)]
    # when one profile's bio is edited through the talent service and committed
    committed(talent.update_profile, managers[1], actor=personas.institution_admin, bio=NEW_BIO)
    # then another process finds it by the new words, and only that document was written
    index = _another_process()
    assert _found(index, NEW_WORDS) == [doc_id(managers[1].pk)]
    assert index.segment_stats() == [(3, 1), (1, 0)]
    assert len(index) == 3
    assert _found(index, "临床试验") == []  # the old version is gone


def test_fields_and_employer_edits_reach_the_index(personas, managers, committed):
    from tmhub.core.models import IndustryField

    medical = IndustryField.objects.get(code="MED")
    committed(
        talent.update_profile,
        managers[0],
        actor=personas.institution_admin,
        fields=[medical],
        position="转化中心主任",
    )
    index = _another_process()
    assert doc_id(managers[0].pk) in _found(index, "转化中心主任")
    hits = index.search("", top_k=5, filters={"field:MED": "y"})
    assert [hit.id for hit in hits] == [doc_id(managers[0].pk)]


def test_an_edit_of_fields_outside_the_document_writes_nothing(personas, managers, committed):
    generation = _generation()
    committed(
        talent.update_profile,
        managers[0],
        actor=personas.institution_admin,
        years_experience=12,
        languages="中文, English",
    )
    assert _generation() == generation  # no new index generation for readers to load


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_edit_never_reaches_the_index(personas, managers):
    """Real transactions (no captured callbacks): the bus runs subscribers on commit only."""
    generation = _generation()
    # when the edit's transaction rolls back (the request failed after the service call)
    with pytest.raises(RuntimeError), transaction.atomic():
        talent.update_profile(managers[2], actor=personas.institution_admin, bio=NEW_BIO)
        raise RuntimeError("the request failed after the edit")
    # then the index was not written and nobody finds the words
    assert _generation() == generation
    assert _found(_another_process(), NEW_WORDS) == []
    # while the same edit, committed, is found at once by another process
    talent.update_profile(managers[2], actor=personas.institution_admin, bio=NEW_BIO)
    assert _found(_another_process(), NEW_WORDS) == [doc_id(managers[2].pk)]


def _set_active(user, active: bool):
    """Deactivate or reactivate an account the way a service records it: save, then one
    ObjectChange (the bus publishes it on commit)."""
    before = snapshot(user)
    user.is_active = active
    user.save()
    record_change(actor=SYSTEM, obj=user, action=ObjectChange.Action.UPDATE, before=before)


def test_a_deactivated_manager_leaves_the_index_and_comes_back(personas, managers, committed):
    target = managers[2]
    assert _found(_another_process(), "概念验证") == [doc_id(target.pk)]
    committed(_set_active, target.user, False)
    index = _another_process()
    assert _found(index, "概念验证") == [] and len(index) == 2
    committed(_set_active, target.user, True)
    assert _found(_another_process(), "概念验证") == [doc_id(target.pk)]


def test_a_deactivated_manager_is_never_recommended_even_before_the_index_follows(
    personas, managers
):
    from tmhub.matching.services import managers_for_project
    from tmhub.transfer import services as transfer

    project = transfer.create_project(
        actor=personas.institution_admin,
        institution=personas.university,
        title="人工智能成果概念验证",
        # the field the manager serves: recommendations weigh it above word overlap
        field=IndustryField.objects.get(code="AI"),
    )
    found = managers_for_project(project, user=personas.institution_admin)
    assert managers[2] in [m.obj for m in found]
    _set_active(managers[2].user, False)  # callbacks not run: the index still holds it
    found = managers_for_project(project, user=personas.institution_admin)
    assert managers[2] not in [m.obj for m in found]


def test_employer_rename_reindexes_its_managers_in_one_write(personas, managers, committed):
    committed(
        update_organization,
        personas.university,
        actor=personas.municipal_admin,
        name="北京测试理工大学",
    )
    index = _another_process()
    assert set(_found(index, "北京测试理工大学")) == {doc_id(p.pk) for p in managers}
    assert index.segment_stats() == [(3, 3), (3, 0)]


def test_provider_edit_updates_its_document_only(personas, committed):
    providers = get_handle(ProviderSource.kind)
    providers.rebuild()
    before = providers.get().segment_stats()
    committed(
        update_organization, personas.provider_org, actor=SYSTEM, description="技术经纪与成果评估。"
    )
    index = _another_process(ProviderSource.kind, ProviderSource)
    assert _found(index, "技术经纪") == [doc_id(personas.provider_org.pk)]
    assert index.segment_stats() == [(before[0][0], 1), (1, 0)]


def test_new_and_deactivated_providers(personas, committed):
    get_handle(ProviderSource.kind).rebuild()
    agency = committed(
        create_organization,
        actor=SYSTEM,
        name="海淀技术转移服务中心",
        kind=OrgKind.TRANSFER_AGENCY,
        district=personas.haidian,
        description="概念验证与中试熟化服务。",
    )
    assert _found(_another_process(ProviderSource.kind, ProviderSource), "中试熟化") == [
        doc_id(agency.pk)
    ]
    committed(update_organization, agency, actor=SYSTEM, is_active=False)
    assert _found(_another_process(ProviderSource.kind, ProviderSource), "中试熟化") == []


def test_an_organisation_that_is_no_provider_is_never_indexed(personas, committed):
    get_handle(ProviderSource.kind).rebuild()
    generation = _generation(ProviderSource.kind)
    committed(update_organization, personas.company, actor=SYSTEM, description="专利检索分析服务。")
    assert _generation(ProviderSource.kind) == generation


def test_a_rebuild_and_a_single_update_make_the_same_documents(personas, managers):
    """The rebuild reads plain values in bulk, an update reads one instance: one document."""
    from tmhub.core.models import Discipline, IndustryField
    from tmhub.talent.models import Competence

    talent.update_profile(
        managers[0],
        actor=personas.institution_admin,
        discipline=Discipline.objects.order_by("code").first(),
        fields=list(IndustryField.objects.all()[:3]),
        competences=list(Competence.objects.all()[:2]),
        position="转化中心主任",
    )
    source = ManagerSource()
    bulk = {document["id"]: document for document in source.documents()}
    single = {doc_id(p.pk): source.document(source.indexable(p.pk)) for p in managers}
    assert bulk == single
    assert (
        bulk[doc_id(managers[0].pk)]["keywords"]
        and "转化中心主任" in (bulk[doc_id(managers[0].pk)]["abstract"])
    )
