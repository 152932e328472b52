"""Index lifecycle: rebuild, incremental update, sharing between processes, recovery."""

import os

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from tmhub.matching import services
from tmhub.matching.indexing import sync_record
from tmhub.matching.sources import AchievementSource, doc_id
from tmhub.matching.store import IndexHandle, get_handle, index_root
from tmhub.transfer.models import Demand

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()  # a visitor who is not signed in


def _ids(index, text):
    return [hit.id for hit in index.search(text, top_k=5)]


def test_rebuild_command_indexes_published_records(publish, csl_records, capsys):
    # given published achievements and a draft, indexed nowhere yet
    published = [publish(row) for row in csl_records[:5]]
    publish(csl_records[5], publish=False)
    get_handle("achievements").directory  # noqa: B018 (nothing on disk is needed)
    # when the index is rebuilt by the command
    call_command("rebuild_match_index", kind=["achievements"])
    # then exactly the published records are in it
    index = get_handle("achievements").get()
    assert len(index) == 5
    assert _ids(index, csl_records[2]["title"])[0] == doc_id(published[2].pk)
    assert "achievements: 5 documents" in capsys.readouterr().out


def test_two_processes_share_one_index(publish, csl_records):
    """Two handles on one directory behave like two server processes."""
    first = publish(csl_records[0])
    root = index_root()
    reader = IndexHandle("achievements", root, AchievementSource())
    writer = IndexHandle("achievements", root, AchievementSource())
    writer.rebuild()
    assert _ids(reader.get(), csl_records[0]["title"]) == [doc_id(first.pk)]
    # when the other process adds a record (without the hooks: straight through its handle)
    second = publish(csl_records[1])
    writer.write(lambda index: index.update(AchievementSource().document(second)))
    # then the reader sees it on its next search, without rebuilding
    loaded = reader.get()
    assert _ids(loaded, csl_records[1]["title"])[0] == doc_id(second.pk)
    assert reader.get() is loaded  # no reload while nothing changed
    # and a removal by the reader's process is seen by the writer's
    reader.write(lambda index: index.remove(doc_id(first.pk)))
    assert doc_id(first.pk) not in writer.get()


def test_incremental_update_through_the_task(publish, csl_records):
    achievement = publish(csl_records[0])
    get_handle("achievements").rebuild()
    achievement.title = "完全不同的新标题：等离子体刻蚀设备"
    from tmhub.transfer import services as transfer

    transfer.update_achievement(achievement, actor=achievement.created_by,
                                title=achievement.title)
    assert sync_record("achievements", achievement.pk) == "added"
    assert _ids(get_handle("achievements").get(), "等离子体刻蚀设备") == [doc_id(achievement.pk)]


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete_manifest", "delete_directory"])
def test_corrupt_or_missing_index_is_rebuilt_not_served_empty(publish, csl_records, damage,
                                                             caplog):
    # given an index on disk
    achievement = publish(csl_records[0])
    root = index_root()
    IndexHandle("achievements", root, AchievementSource()).rebuild()
    directory = root / "achievements"
    segment_files = sorted(p for p in directory.rglob("*") if p.is_file()
                           and p.name != "MANIFEST.json" and p.stat().st_size > 64)
    # when a file is damaged
    if damage == "truncate":
        with open(segment_files[0], "r+b") as handle:
            handle.truncate(segment_files[0].stat().st_size - 8)
    elif damage == "flip":
        with open(segment_files[0], "r+b") as handle:
            handle.seek(-1, os.SEEK_END)
            last = handle.read(1)
            handle.seek(-1, os.SEEK_END)
            handle.write(bytes([last[0] ^ 0xFF]))
    elif damage == "delete_manifest":
        (directory / "MANIFEST.json").unlink()
    else:
        import shutil

        shutil.rmtree(directory)
    # then a new process (a fresh handle) detects it, rebuilds, logs, and still finds the record
    fresh = IndexHandle("achievements", root, AchievementSource())
    demand = Demand(title=csl_records[0]["title"], problem=csl_records[0]["title"])
    assert _ids(fresh.get(), demand.title)[0] == doc_id(achievement.pk)
    assert "rebuilding the achievements match index" in caplog.text


def test_service_rebuilds_a_missing_index_on_first_use(publish, csl_records):
    achievement = publish(csl_records[4])
    import shutil

    shutil.rmtree(index_root())  # e.g. a new server with an empty var/ directory
    matches = services.achievements_for_demand(Demand(problem=csl_records[4]["title"]),
                                               user=ANONYMOUS)
    assert matches[0].obj == achievement


def test_concurrent_writers_from_two_processes_lose_no_update(publish, csl_records):
    """Each handle takes the file lock and reloads the other's generation before writing."""
    import threading

    achievements = [publish(row) for row in csl_records[:8]]
    root = index_root()
    handles = [IndexHandle("achievements", root, AchievementSource()) for _ in range(2)]
    handles[0].rebuild()
    source = AchievementSource()
    documents = [source.document(a) for a in achievements]
    for handle in handles:
        handle.get()

    def remove_every_other(handle, start):
        for document in documents[start::2]:
            handle.write(lambda index, d=document: index.remove(d["id"]))

    threads = [threading.Thread(target=remove_every_other, args=(handle, n))
               for n, handle in enumerate(handles)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    fresh = IndexHandle("achievements", root, AchievementSource())
    assert len(fresh.get()) == 0
