"""Tests of the pure-Python matching engine (no database)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from tmhub.matching.engine import (
    IndexCorrupt,
    IndexMissing,
    MatchIndex,
    ScoringParams,
    SearchHit,
)
from tmhub.matching.engine.text import bigram_keys, normalize, query_chunks

CSL_CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "csl" / "corpus.jsonl"


def _load_csl_sample(limit: int = 3000) -> list[dict]:
    """The first ``limit`` real CSL records (skipped when the shared data is absent)."""
    if not CSL_CORPUS.exists():
        pytest.skip("shared CSL corpus not available")
    with CSL_CORPUS.open(encoding="utf-8") as handle:
        return [json.loads(line) for _, line in zip(range(limit), handle)]


@pytest.fixture(scope="module")
def csl_docs() -> list[dict]:
    return _load_csl_sample()


@pytest.fixture(scope="module")
def csl_index(csl_docs) -> MatchIndex:
    return MatchIndex.build(csl_docs)


SMALL_DOCS = [
    {"id": "a1", "title": "锂离子电池正极材料的制备",
     "abstract": "研究了三元正极材料的高温固相合成工艺与电化学性能。",
     "discipline": "材料科学与工程", "attributes": {"trl": 5, "district": "海淀区"}},
    {"id": "a2", "title": "城市轨道交通客流预测",
     "abstract": "基于深度学习的地铁站客流短时预测方法。",
     "discipline": "交通运输工程", "attributes": {"trl": 3, "district": "朝阳区"}},
    {"id": "a3", "title": "Deep reinforcement learning for robot grasping",
     "abstract": "We train a robotic arm to grasp unknown objects with deep reinforcement "
                 "learning.",
     "discipline": "控制科学与工程", "attributes": {"trl": 6, "district": "海淀区"}},
    {"id": "a4", "title": "固态电池电解质界面研究",
     "abstract": "分析了固态锂电池中电解质与电极界面的稳定性。",
     "discipline": "材料科学与工程", "attributes": {"trl": 2, "district": "昌平区"}},
]


def ids_of(hits: list[SearchHit]) -> list[str]:
    return [hit.id for hit in hits]


# ----------------------------------------------------------------- ranking
def test_concept_query_ranks_records_about_it_first(csl_docs, csl_index):
    """Records that mention the concept outrank the rest, and the top ones are about it."""
    query = "神经网络"
    hits = csl_index.search(query, top_k=10)
    assert len(hits) == 10
    by_id = {d["id"]: d for d in csl_docs}
    for hit in hits:
        doc = by_id[hit.id]
        assert query in doc["title"] + doc["abstract"]
    unrelated = next(d["id"] for d in csl_docs if "神经" not in d["title"] + d["abstract"])
    assert unrelated not in ids_of(csl_index.search(query, top_k=200))


def test_title_match_beats_passing_mention(csl_docs, csl_index):
    """A record whose title names the concept comes before one that only mentions it once."""
    titled = [d for d in csl_docs if "控制" in d["title"]]
    assert titled
    top_ids = ids_of(csl_index.search("控制", top_k=20))
    assert any(doc["id"] in top_ids for doc in titled)


def test_english_query_matches_whole_words():
    index = MatchIndex.build(SMALL_DOCS)
    hits = index.search("reinforcement learning", top_k=3)
    assert hits[0].id == "a3"
    assert "reinforcement" in hits[0].explanation["matched_terms"]


def test_mixed_query_and_full_width_text():
    assert normalize("ＡＢＣ１２３") == "abc123"
    index = MatchIndex.build(SMALL_DOCS)
    assert index.search("ＲＯＢＯＴ grasping", top_k=1)[0].id == "a3"


def test_single_character_query_uses_bigram_range():
    index = MatchIndex.build(SMALL_DOCS)
    hit = index.search("锂", top_k=5)[0]
    assert hit.id in {"a1", "a4"} and hit.explanation["matched_terms"] == ["锂"]


def test_query_chunks_split_on_punctuation():
    assert query_chunks("栓塞,治疗性") == ["栓塞", "治疗性"]
    assert len(bigram_keys("病虫害")) == 2


def test_explanations_list_terms_and_signals():
    index = MatchIndex.build(SMALL_DOCS)
    hit = index.search("锂电池正极材料", top_k=1, structured={"district": "海淀区"})[0]
    doc_id, score, explanation = hit  # unpacks as a tuple
    assert doc_id == "a1" and score > 0
    assert explanation["matched_terms"]
    assert explanation["signals"]["lexical"] > 0
    assert explanation["signals"]["structured:district"] > 0
    assert explanation["attributes"]["discipline"] == "材料科学与工程"


# ------------------------------------------------------ structured signals
def test_filters_restrict_and_structured_boosts():
    index = MatchIndex.build(SMALL_DOCS)
    assert ids_of(index.search("电池", filters={"district": "昌平区"})) == ["a4"]
    assert set(ids_of(index.search("电池", filters={"trl": {"min": 4}}))) == {"a1"}
    assert ids_of(index.search("电池", filters={"nonexistent": 1})) == []
    boosted = index.search("电池", structured={"district": {"value": "昌平区", "weight": 5}})
    assert boosted[0].id == "a4"


def test_structure_only_query_ranks_by_attributes():
    index = MatchIndex.build(SMALL_DOCS)
    hits = index.search("", top_k=4, structured={"trl": 6})
    assert hits[0].id == "a3"  # exact TRL first, closer ones next
    assert hits[1].id == "a1"


# -------------------------------------------------------------- updates
def test_remove_makes_document_disappear_immediately(csl_docs, csl_index):
    index = MatchIndex.build(csl_docs[:500])
    target = index.search("研究", top_k=1)[0].id
    assert index.remove(target)
    assert target not in ids_of(index.search("研究", top_k=500))
    assert target not in index
    assert not index.remove("no-such-id")


def test_incremental_add_is_searchable_and_update_replaces():
    index = MatchIndex.build(SMALL_DOCS)
    index.add({"id": "n1", "title": "钙钛矿量子点发光材料",
               "abstract": "低温溶液法制备钙钛矿量子点。"})
    assert index.search("钙钛矿量子点", top_k=1)[0].id == "n1"
    index.update({"id": "n1", "title": "氢燃料电池催化剂", "abstract": "铂碳催化剂的制备。"})
    assert "n1" not in ids_of(index.search("钙钛矿量子点", top_k=10))
    assert index.search("氢燃料电池催化剂", top_k=1)[0].id == "n1"
    index.update({"id": "a2", "title": "无人机巡检", "abstract": "电力线路无人机巡检系统。"})
    assert "a2" not in ids_of(index.search("轨道交通客流", top_k=10))
    assert len(index) == 5


def test_adds_between_searches_keep_segment_count_low(csl_docs):
    index = MatchIndex.build(csl_docs[:200], segment_size=4000, max_small_segments=3)
    for doc in csl_docs[200:330]:
        index.add(doc)
        assert doc["id"] in index  # searchable without any explicit flush
        index.search("研究", top_k=1)  # each search seals a one-document segment
    assert len(index._segments) < 15
    assert len(index) == 330


def test_sealing_and_merging_keep_results(csl_docs):
    index = MatchIndex.build(csl_docs[:300], segment_size=400,
                             max_small_segments=2)
    for doc in csl_docs[300:600]:
        index.add(doc)
    index.remove(csl_docs[310]["id"])
    assert len(index) == 599
    query = csl_docs[450]["title"] or csl_docs[450]["abstract"][:12]
    assert csl_docs[450]["id"] in ids_of(index.search(query, top_k=5))
    index.optimize()
    assert len(index._segments) == 1 and len(index) == 599
    assert csl_docs[450]["id"] in ids_of(index.search(query, top_k=5))
    assert csl_docs[310]["id"] not in index


# ---------------------------------------------------------- persistence
def test_save_load_round_trip(tmp_path, csl_docs):
    index = MatchIndex.build(csl_docs[:800])
    index.remove(csl_docs[0]["id"])
    index.add({"id": "x1", "title": "超导量子比特读出电路", "abstract": "约瑟夫森参量放大器。"})
    before = index.search("量子", top_k=10)
    path = tmp_path / "idx"
    index.save(str(path))
    loaded = MatchIndex.load(str(path))
    assert ids_of(loaded.search("量子", top_k=10)) == ids_of(before)
    assert csl_docs[0]["id"] not in loaded and "x1" in loaded
    assert len(loaded) == len(index)
    loaded.add({"id": "x2", "title": "量子密钥分发", "abstract": "量子通信网络。"})
    loaded.save(str(path))  # re-save over itself (segments hard-linked)
    assert not loaded.changed_on_disk(str(path))
    again = MatchIndex.load(str(path))
    assert "x2" in again and len(again) == len(index) + 1
    again.remove("x2")
    again.save(str(path))  # another process saves: the first one can tell
    assert loaded.changed_on_disk(str(path))


def test_build_into_directory_in_parallel(tmp_path, csl_docs):
    path = tmp_path / "built"
    built = MatchIndex.build(csl_docs[:1200], directory=str(path), workers=2, segment_size=500)
    assert len(built._segments) == 3
    loaded = MatchIndex.load(str(path))
    assert ids_of(loaded.search("模型", top_k=5)) == ids_of(built.search("模型", top_k=5))
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".built.tmp")]


def _segment_docs(n: int) -> list[dict]:
    return [{"id": f"d{i:04d}", "title": f"第{i}号技术成果",
             "abstract": SMALL_DOCS[i % 4]["abstract"]} for i in range(n)]


def test_saving_one_change_reads_only_the_files_that_changed(tmp_path, monkeypatch):
    """The save after an update hard-links the unchanged segments and carries their checksums
    over: its cost does not grow with the index."""
    from tmhub.matching.engine import storage

    path = str(tmp_path / "idx")
    index = MatchIndex.build(_segment_docs(300), directory=path, segment_size=100)
    index = MatchIndex.load(path)  # as a server process opens it
    hashed = []
    real_checksum = storage.file_checksum
    monkeypatch.setattr(storage, "file_checksum",
                        lambda file: hashed.append(Path(file)) or real_checksum(file))
    index.update({"id": "d0007", "title": "等离子体刻蚀装置", "abstract": "刻蚀终点检测。"})
    index.save(path)
    # files read: the new one-document segment's, and the small top-level files (tombstones)
    segment_folders = {file.parent.name for file in hashed if file.parent.name.startswith("seg_")}
    assert segment_folders == {"seg_00003"}
    assert {file.name for file in hashed} >= {"seg_00000.deleted.npy", "terms.npy"}
    # and what was saved loads with every checksum verified
    loaded = MatchIndex.load(path, verify="full")
    assert ids_of(loaded.search("等离子体刻蚀", top_k=3)) == ["d0007"]
    assert loaded.segment_stats() == [(100, 1), (100, 0), (100, 0), (1, 0)]


def test_a_carried_checksum_still_catches_a_damaged_segment(tmp_path):
    path = str(tmp_path / "idx")
    index = MatchIndex.build(_segment_docs(200), directory=path, segment_size=100)
    impacts = Path(path) / "seg_00001" / "post_imp.npy"
    data = bytearray(impacts.read_bytes())
    data[-1] ^= 0xFF
    impacts.write_bytes(bytes(data))  # damaged on disk after it was built
    index.add({"id": "new", "title": "新成果", "abstract": "新的摘要。"})
    index.save(path)  # carries the old (correct) checksum of the damaged file
    with pytest.raises(IndexCorrupt):
        MatchIndex.load(path)


def _saved(tmp_path) -> Path:
    path = tmp_path / "idx"
    MatchIndex.build(SMALL_DOCS).save(str(path))
    return path


def test_missing_index_is_detected(tmp_path):
    with pytest.raises(IndexMissing):
        MatchIndex.load(str(tmp_path / "nowhere"))
    path = _saved(tmp_path)
    (path / "MANIFEST.json").unlink()
    with pytest.raises(IndexMissing):
        MatchIndex.load(str(path))


def test_truncated_file_is_detected(tmp_path):
    path = _saved(tmp_path)
    postings = path / "seg_00000" / "post_docs.npy"
    postings.write_bytes(postings.read_bytes()[:-8])
    with pytest.raises(IndexCorrupt):
        MatchIndex.load(str(path))
    with pytest.raises(IndexCorrupt):
        MatchIndex.load(str(path), verify="size")


def test_altered_file_is_detected(tmp_path):
    path = _saved(tmp_path)
    impacts = path / "seg_00000" / "post_imp.npy"
    data = bytearray(impacts.read_bytes())
    data[-1] ^= 0xFF
    impacts.write_bytes(bytes(data))
    with pytest.raises(IndexCorrupt):
        MatchIndex.load(str(path))


def test_deleted_segment_file_and_bad_manifest_are_detected(tmp_path):
    path = _saved(tmp_path)
    (path / "seg_00000" / "terms.npy").unlink()
    with pytest.raises(IndexCorrupt):
        MatchIndex.load(str(path))
    path2 = tmp_path / "second"
    MatchIndex.build(SMALL_DOCS).save(str(path2))
    (path2 / "MANIFEST.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexCorrupt):
        MatchIndex.load(str(path2))


def test_loaded_arrays_are_memory_mapped(tmp_path):
    loaded = MatchIndex.load(str(_saved(tmp_path)))
    postings = loaded._segments[0].post_docs
    assert not postings.flags.owndata and not postings.flags.writeable


# ------------------------------------------------------------- semantic
class _FakeEncoder:
    """Deterministic stand-in for a dense model: bag of characters."""

    def encode(self, texts):
        out = np.zeros((len(texts), 64), np.float32)
        for row, text in enumerate(texts):
            for ch in text:
                out[row, ord(ch) % 64] += 1
        return out


def test_semantic_signal_is_computed_in_background():
    index = MatchIndex(ScoringParams(semantic_weight=0.5), semantic_encoder=_FakeEncoder())
    index.add_many(SMALL_DOCS)
    assert index.semantic_pending() == 4
    lexical_only = index.search("电池", top_k=2)
    assert lexical_only and "semantic" not in lexical_only[0].explanation["signals"]
    assert index.compute_semantic(batch_size=3) == 3
    assert index.compute_semantic(batch_size=3) == 1
    assert index.semantic_pending() == 0
    assert "semantic" in index.search("电池", top_k=1)[0].explanation["signals"]


def test_without_encoder_nothing_is_pending():
    index = MatchIndex.build(SMALL_DOCS)
    assert index.semantic_pending() == 0 and index.compute_semantic() == 0


def test_edge_cases_empty_text_duplicates_and_numeric_ids():
    index = MatchIndex.build([
        {"id": 1, "title": "", "abstract": "", "attributes": {"trl": 4}},
        {"id": "dup", "title": "蒸汽机车", "abstract": "锅炉"},
        {"id": "dup", "title": "石墨烯薄膜", "abstract": "化学气相沉积"},
    ])
    assert len(index) == 2
    assert index.search("石墨烯")[0].id == "dup"
    assert index.search("蒸汽机车") == []
    assert index.search("", structured={"trl": 4})[0].id == "1"
    assert index.search("   ") == []  # nothing asked, nothing returned
    assert index.remove("dup") and index.search("石墨烯") == []
    assert MatchIndex().search("anything") == []


def test_fast_inversion_equals_generic_and_rare_characters_work():
    from tmhub.matching.engine.postings import _invert_generic, invert
    from tmhub.matching.engine.text import TITLE_KEY_FLAG, bigram_keys_batch, word_key

    keys, owner = bigram_keys_batch([d["title"] + d["abstract"] for d in SMALL_DOCS])
    words = np.array([word_key("robot"), word_key("grasp")], np.int64)
    keys = np.concatenate([keys, keys[:7] | TITLE_KEY_FLAG, words])
    owner = np.concatenate([owner, owner[:7], [2, 2]]).astype(np.int32)
    fields = (np.arange(len(keys)) % 4).astype(np.int8)
    weights = np.array([2, 1, 2, 1], np.float32)
    fast, generic = invert(keys, owner, fields, 4, weights), _invert_generic(
        keys, owner, fields, 4, weights)
    for left, right in zip(fast, generic):
        assert np.array_equal(left, right)
    index = MatchIndex.build([*SMALL_DOCS, {"id": "ext", "title": "𠀀𠀁化合物", "abstract": ""}])
    assert index.search("𠀀𠀁", top_k=1)[0].id == "ext"


def test_failed_build_leaves_previous_index_intact(tmp_path):
    path = _saved(tmp_path)

    def broken_stream():
        yield SMALL_DOCS[0]
        yield {"title": "no id"}  # invalid document

    with pytest.raises(ValueError):
        MatchIndex.build(broken_stream(), directory=str(path))
    assert len(MatchIndex.load(str(path))) == len(SMALL_DOCS)
    assert [p.name for p in tmp_path.iterdir()] == ["idx"]


def test_structure_only_query_finds_best_matches_beyond_rerank_depth():
    docs = [{"id": f"d{i}", "title": "", "abstract": "x", "attributes": {"trl": 1,
             "district": "朝阳区"}} for i in range(300)]
    docs.append({"id": "best", "abstract": "x", "attributes": {"trl": 7, "district": "海淀区"}})
    index = MatchIndex.build(docs, ScoringParams(rerank_depth=20))
    assert index.search("", top_k=1, structured={"district": "海淀区", "trl": 7})[0].id == "best"
