"""`manage.py backup` and `manage.py restore` as a round trip (issue 13, item 6), on whichever
database the suite runs (SQLite and PostgreSQL): after a restore every table has the rows it
had at the backup, each row with the same content, the uploads are the backed-up files and
the match indexes hold what the backup's manifest says. The checksums here are the test's own
(every row of every table read back and hashed), not the command's."""

import hashlib
import json

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from tmhub.matching.store import get_handle
from tmhub.transfer import services as transfer
from tmhub.transfer.models import Achievement

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _private_dirs(settings, tmp_path):
    """Uploads and indexes of this test alone (a restore removes uploads it did not save)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MATCH_INDEX_DIR = tmp_path / "match-index"


def every_row():
    """{table: (rows, sha256 over every row's every column)} read back through SQL."""
    result = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = sorted(repr(tuple(row)) for row in cursor.fetchall())
            result[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return result


def _achievement(personas, title, *, attachment=None):
    achievement = transfer.create_achievement(
        actor=personas.institution_admin,
        owner=personas.university,
        inventors=[{"name": "张三", "share": 100}],
        title=title,
        abstract=f"{title}的技术方案",
    )
    achievement = transfer.publish_achievement(achievement, actor=personas.institution_admin)
    if attachment:
        transfer.add_attachment(
            achievement,
            actor=personas.institution_admin,
            upload=SimpleUploadedFile("说明书.pdf", attachment),
        )
    return achievement


def test_a_restore_brings_back_every_row_upload_and_index_entry(personas, tmp_path):
    # given records with an upload, indexed, and a backup of them
    kept = _achievement(personas, "柔性钙钛矿光伏组件", attachment=b"%PDF-1.4 original")
    upload = kept.attachments.get().file.name
    before = every_row()
    assert before["transfer_achievement"][0] >= 1 and before["core_objectchange"][0] > 0
    call_command("backup", out=str(tmp_path / "backup"))
    files = {
        line.split("  ")[1]
        for line in (tmp_path / "backup" / "SHA256SUMS").read_text().splitlines()
    }
    assert {"media.tar", "index-manifest.json", "tables.json", "meta.json"} <= files
    manifest = json.loads((tmp_path / "backup" / "index-manifest.json").read_text())
    assert manifest["kinds"]["achievements"]["documents"] == 1

    # when work goes on after the backup (a new record, an edit, a lost and a stray upload)
    _achievement(personas, "固态电解质隔膜")
    transfer.update_achievement(kept, actor=personas.institution_admin, title="改过的标题")
    default_storage.delete(upload)
    default_storage.save("stray/after-backup.txt", SimpleUploadedFile("x.txt", b"later"))
    assert every_row() != before
    # and the backup is restored
    call_command("restore", str(tmp_path / "backup"), yes=True)

    # then every table has the same rows with the same content as at the backup
    assert every_row() == before
    assert list(Achievement.objects.values_list("title", flat=True)) == ["柔性钙钛矿光伏组件"]
    # the uploads are exactly the backed-up ones
    with default_storage.open(upload, "rb") as handle:
        assert handle.read() == b"%PDF-1.4 original"
    assert not default_storage.exists("stray/after-backup.txt")
    # and the match index holds what was indexed at the backup
    assert len(get_handle("achievements").get()) == 1


def test_a_damaged_backup_is_refused_before_anything_changes(personas, tmp_path):
    # given a backup whose upload archive was altered afterwards
    _achievement(personas, "碳化硅衬底", attachment=b"%PDF-1.4 a")
    call_command("backup", out=str(tmp_path / "backup"))
    archive = tmp_path / "backup" / "media.tar"
    data = bytearray(archive.read_bytes())
    data[600] ^= 0xFF
    archive.write_bytes(bytes(data))
    later = _achievement(personas, "备份之后的成果")
    before = every_row()

    # when it is restored, then it is refused and the database is untouched
    with pytest.raises(CommandError, match="media.tar does not match its checksum"):
        call_command("restore", str(tmp_path / "backup"), yes=True)
    assert every_row() == before
    assert Achievement.objects.filter(pk=later.pk).exists()


def test_backup_refuses_to_write_into_a_used_directory(tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "something").write_text("x")
    with pytest.raises(CommandError, match="exists and is not empty"):
        call_command("backup", out=str(tmp_path / "used"))


def test_a_restore_that_fails_part_way_leaves_the_database_as_it_was(personas, tmp_path):
    # given a backup whose database copy was cut short when written (its checksums agree)
    _achievement(personas, "光刻胶树脂合成")
    backup = tmp_path / "backup"
    call_command("backup", out=str(backup))
    name = next(p.name for p in backup.glob("database.*"))
    data = (backup / name).read_bytes()
    (backup / name).write_bytes(data[: len(data) * 2 // 3])
    sums = (backup / "SHA256SUMS").read_text().splitlines()
    digest = hashlib.sha256((backup / name).read_bytes()).hexdigest()
    (backup / "SHA256SUMS").write_text(
        "".join(
            f"{digest}  {name}\n" if line.endswith(f"  {name}") else f"{line}\n" for line in sums
        )
    )
    later = _achievement(personas, "备份之后写入的成果")
    before = every_row()

    # when it is restored, then the restore fails and nothing of the database changed
    with pytest.raises(CommandError):
        call_command("restore", str(backup), yes=True)
    assert every_row() == before
    assert Achievement.objects.filter(pk=later.pk).exists()
