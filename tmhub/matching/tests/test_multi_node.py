"""More than one machine (issue 13, item 2): two web nodes with SEPARATE index directories (no
shared filesystem) on one database and one Redis. A demand published through node A is found
through node B's match panel, and closed through A it leaves B's, through the fan-out stream
(tmhub/matching/fanout.py); a node started later builds its index from the database and then
follows the stream. PostgreSQL only: the nodes are real gunicorn processes of the Procfile."""

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis
import requests
from django.db import connection

from tmhub.accounts.tokens import issue_token
from tmhub.core.actors import SYSTEM
from tmhub.serve import procfile
from tmhub.transfer import services as transfer

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = os.environ.get("TEST_SERVE_REDIS_URL", "redis://127.0.0.1:6379/14")
TEXT = "钙钛矿叠层太阳电池的封装与湿热老化"

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (several server processes on one database)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Node:
    """One web node: the Procfile's `web` process with its own index directory."""

    def __init__(self, name, tmp_path, stream):
        db = connection.settings_dict
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        self.name, self.port = name, _free_port()
        self.index_dir = tmp_path / f"node-{name}" / "match-index"
        self.log = open(tmp_path / f"node-{name}.log", "w+")
        env = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", "/tmp"),
            "SECRET_KEY": "multi-node-test-K8s2Lq9Wz4Xp1Nd6Vb3Mk7Jh5Gf0RtaB3dE6",
            "TALENT_ID_KEY": os.environ.get("TALENT_ID_KEY")
            or "test-only-talent-id-key-not-for-production-0123456789",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_HTTPS": "0",
            "TMHUB_PLAIN_STATIC": "1",
            "DATABASE_URL": f"postgres://{db['USER']}{password}@{db['HOST']}:"
            f"{db['PORT'] or 5432}/{db['NAME']}",
            "REDIS_URL": REDIS_URL,
            "TMHUB_MATCH_INDEX_STREAM": stream,
            "TMHUB_VAR_DIR": str(tmp_path / f"node-{name}"),
            "TMHUB_MATCH_INDEX_DIR": str(self.index_dir),
            "PORT": str(self.port),
            "WEB_CONCURRENCY": "1",
        }
        self.process = subprocess.Popen(
            procfile()["web"], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        self.base = f"http://127.0.0.1:{self.port}"

    def wait_healthy(self, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if requests.get(f"{self.base}/healthz", timeout=10).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.3)
        raise AssertionError(f"node {self.name} did not become healthy:\n{self.output()}")

    def matched_demands(self, achievement) -> list[int]:
        url = f"{self.base}/api/v1/matches/demands-for-achievement/{achievement.pk}/?limit=50"
        response = requests.get(url, timeout=30)
        assert response.status_code == 200, response.text
        return [row["id"] for row in response.json()["results"]]

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()[-8000:]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def nodes(tmp_path):
    client = redis.Redis.from_url(REDIS_URL)
    client.ping()
    stream = f"tmhub-test-multi-node-{os.getpid()}-{time.monotonic_ns()}"
    started = []

    def start(name):
        node = Node(name, tmp_path, stream)
        started.append(node)
        node.wait_healthy()
        return node

    yield start
    for node in started:
        node.stop()
    for key in client.scan_iter(f"{stream}:*"):
        client.delete(key)


def _wait_until(condition, timeout=15.0) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout} s")


def test_a_publish_on_one_node_is_found_through_the_other(personas, nodes):
    # given a published achievement and an enterprise's draft demand worded like it
    achievement = transfer.create_achievement(
        actor=personas.institution_admin,
        owner=personas.university,
        inventors=[{"name": "张三", "share": 100}],
        title=TEXT,
        abstract=f"{TEXT}，提高组件寿命。",
    )
    transfer.publish_achievement(achievement, actor=personas.institution_admin)
    demand = transfer.create_demand(
        actor=personas.enterprise, organization=personas.company, title=TEXT, problem=TEXT
    )
    _token, key = issue_token(user=personas.enterprise, actor=SYSTEM, name="node test")
    # and two nodes, each with its own index directory, neither showing the draft
    node_a, node_b = nodes("a"), nodes("b")
    assert node_a.index_dir != node_b.index_dir
    assert demand.pk not in node_b.matched_demands(achievement)

    # when the enterprise publishes the demand through node A
    published = requests.post(
        f"{node_a.base}/api/v1/demands/{demand.pk}/publish/",
        headers={"Authorization": f"Token {key}"},
        timeout=30,
    )
    assert published.status_code == 200, published.text
    # then node B ranks it for the achievement, from its own index
    delay = _wait_until(lambda: demand.pk in node_b.matched_demands(achievement))
    print(f"publish on A → found on B: {delay * 1000:.0f} ms")
    assert list(node_b.index_dir.glob("*/demands/MANIFEST.json"))
    assert demand.pk in node_a.matched_demands(achievement)

    # when the enterprise closes it through node A, then it leaves node B's panel
    closed = requests.post(
        f"{node_a.base}/api/v1/demands/{demand.pk}/close/",
        headers={"Authorization": f"Token {key}"},
        json={"reason": "已找到合作方"},
        timeout=30,
    )
    assert closed.status_code == 200, closed.text
    _wait_until(lambda: demand.pk not in node_b.matched_demands(achievement))

    # and a node that starts afterwards, with an empty directory, has the current state
    transfer.publish_demand(
        transfer.create_demand(
            actor=personas.enterprise, organization=personas.company, title=TEXT, problem=TEXT
        ),
        actor=personas.enterprise,
    )
    node_c = nodes("c")
    found_on_c = node_c.matched_demands(achievement)
    assert demand.pk not in found_on_c and len(found_on_c) == 1


@pytest.fixture
def fanout_on(settings, monkeypatch):
    """This process as one node with fan-out (its follower thread left out: the test calls
    catch_up itself); a stream of its own, removed afterwards."""
    from tmhub.matching import fanout

    settings.REDIS_URL = REDIS_URL
    settings.MATCH_INDEX_FANOUT = True
    settings.MATCH_INDEX_STREAM = f"tmhub-test-fanout-{os.getpid()}-{time.monotonic_ns()}"
    monkeypatch.setattr(fanout, "ensure_follower", lambda: None)
    client = redis.Redis.from_url(REDIS_URL)
    yield client
    for key in client.scan_iter(f"{settings.MATCH_INDEX_STREAM}:*"):
        client.delete(key)


def _demand(personas, title):
    demand = transfer.create_demand(
        actor=personas.enterprise, organization=personas.company, title=title, problem=title
    )
    return transfer.publish_demand(demand, actor=personas.enterprise)


def test_a_node_applies_each_announced_change_once_and_rebuilds_when_it_missed_some(
    personas, fanout_on
):
    from tmhub.matching import fanout
    from tmhub.matching.sources import doc_id
    from tmhub.matching.store import get_handle

    # given a node that has followed the stream so far (no cursor yet: it builds first)
    assert fanout.catch_up() == 0 and fanout.read_cursor() is not None
    # when a demand is published, then the change is announced, not yet in this node's index
    _demand(personas, "固态电池电解质界面")
    assert fanout_on.xlen(fanout.stream_key()) == 2  # created (a draft), published
    index = get_handle("demands")
    assert len(index.get()) == 0
    # and catching up applies both entries once; a second catch-up finds nothing to do
    assert fanout.catch_up() == 2 and len(index.get()) == 1
    assert fanout.catch_up() == 0

    # when entries this node never applied were trimmed from the stream, a later one kept
    second = _demand(personas, "柔性显示封装材料")
    third = _demand(personas, "氢燃料电堆双极板")
    fanout_on.xtrim(fanout.stream_key(), maxlen=1, approximate=False)
    # then it cannot replay them, so it rebuilds from the database: every demand is there
    fanout.catch_up()
    assert len(index.get()) == 3
    assert doc_id(second.pk) in [hit.id for hit in index.get().search("柔性显示封装材料")]
    assert doc_id(third.pk) in [hit.id for hit in index.get().search("氢燃料电堆双极板")]
    # and when everything after its cursor was trimmed, the same
    fourth = _demand(personas, "骨科植入物表面涂层")
    fanout_on.xtrim(fanout.stream_key(), maxlen=0, approximate=False)
    fanout.catch_up()
    assert doc_id(fourth.pk) in [hit.id for hit in index.get().search("骨科植入物表面涂层")]
