"""match_batch: file formats, errors naming the line, ranking like a demand page."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command

from tmhub.matching import services
from tmhub.matching.models import ExternalRecord
from tmhub.transfer.choices import AchievementStatus
from tmhub.transfer.models import Achievement, Demand

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()  # a visitor who is not signed in


def _write(path, rows):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False))
                            + "\n" for r in rows), encoding="utf-8")
    return str(path)


def _run(tmp_path, corpus, queries, top=5):
    out = tmp_path / "out.jsonl"
    call_command("match_batch", corpus=_write(tmp_path / "c.jsonl", corpus),
                 queries=_write(tmp_path / "q.jsonl", queries), top=top, out=str(out))
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def corpus(csl_records):
    rows = [dict(r) for r in csl_records[:40]]
    rows[5]["title"] = ""  # untitled rows exist in CSL
    rows[6]["keywords"] = ["膜分离", "水处理"]
    return rows


def test_batch_loads_publishes_and_ranks(tmp_path, corpus):
    queries = [{"qid": "q1", "text": corpus[3]["title"]},
               {"qid": "q2", "text": corpus[10]["title"], "relevant": ["x"]},
               {"qid": "q3", "text": "@@"}]
    results = _run(tmp_path, corpus, queries, top=3)
    # output: one row per query, in order, ids from the corpus
    assert [r["qid"] for r in results] == ["q1", "q2", "q3"]
    assert results[0]["ranked"][0] == corpus[3]["id"]
    assert results[1]["ranked"][0] == corpus[10]["id"]
    assert len(results[0]["ranked"]) <= 3 and results[2]["ranked"] == []
    # the corpus became published achievements through the services (audited, numbered)
    records = ExternalRecord.objects.select_related("achievement")
    assert records.count() == 40
    assert all(r.achievement.status == AchievementStatus.PUBLISHED for r in records)
    assert all(r.achievement.disclosure_number for r in records)
    untitled = records.get(external_id=corpus[5]["id"])
    assert untitled.title_generated and untitled.achievement.title
    assert Achievement.objects.get(external_record__external_id=corpus[6]["id"]).keywords == \
        "膜分离,水处理"


def test_batch_ranking_equals_the_demand_page_ranking(tmp_path, corpus):
    text = corpus[12]["title"] + " " + corpus[20]["title"]
    results = _run(tmp_path, corpus, [{"qid": "q", "text": text}], top=10)
    ids = dict(ExternalRecord.objects.values_list("achievement_id", "external_id"))
    page = services.achievements_for_demand(Demand(title="", problem=text), user=ANONYMOUS,
                                            limit=10)
    assert results[0]["ranked"] == [ids[m.obj.pk] for m in page]


def test_a_second_run_reuses_the_loaded_rows(tmp_path, corpus):
    _run(tmp_path, corpus[:10], [{"qid": "q", "text": corpus[0]["title"]}])
    results = _run(tmp_path, corpus[:12], [{"qid": "q", "text": corpus[11]["title"]}])
    assert Achievement.objects.count() == 12
    assert results[0]["ranked"][0] == corpus[11]["id"]


@pytest.mark.parametrize("corpus_lines, query_lines, message", [
    (['{"id": "a", "title": "t", "abstract": "x"}', '{"id": "b", "title": '],
     ['{"qid": "q", "text": "t"}'], "c.jsonl, line 2: not valid JSON"),
    (['{"id": "a", "title": "t"}'], ['{"qid": "q", "text": "t"}'],
     'c.jsonl, line 1: missing field "abstract"'),
    (['{"id": "a", "title": "t", "abstract": "x"}', "", '{"id": "a", "title": "u", '
      '"abstract": "y"}'], ['{"qid": "q", "text": "t"}'],
     'c.jsonl, line 3: duplicate id "a" (first on line 1)'),
    (['{"title": "t", "abstract": "x"}'], ['{"qid": "q", "text": "t"}'],
     'c.jsonl, line 1: missing field "id"'),
    (['{"id": "a", "title": "t", "abstract": "x"}'], ['{"qid": "q"}'],
     'q.jsonl, line 1: missing field "text"'),
    (['{"id": "a", "title": "t", "abstract": "x"}'],
     ['{"qid": "q", "text": "t"}', '{"qid": "q", "text": "u"}'],
     'q.jsonl, line 2: duplicate qid "q" (first on line 1)'),
    (['["a", "t", "x"]'], ['{"qid": "q", "text": "t"}'], "c.jsonl, line 1: expected a JSON "
                                                         "object"),
    (['{"id": "a", "title": 5, "abstract": "x"}'], ['{"qid": "q", "text": "t"}'],
     'c.jsonl, line 1: field "title" must be a string'),
])
def test_malformed_input_is_refused_naming_the_line(tmp_path, corpus_lines, query_lines,
                                                    message):
    with pytest.raises(CommandError) as error:
        _run(tmp_path, corpus_lines, query_lines)
    assert message in str(error.value)
    assert not Achievement.objects.exists()  # nothing was written


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(CommandError, match="nope.jsonl"):
        call_command("match_batch", corpus=str(tmp_path / "nope.jsonl"),
                     queries=str(tmp_path / "nope.jsonl"), out=str(tmp_path / "o.jsonl"))
