"""Several `vxpkit hub` processes on one PostgreSQL database (a server of the tests' own,
pg_util.LocalPostgres), spoken to by the independent Python client of test_hub.py: they serve one
set of mailboxes; two listing at once both list every pending item (no leases: at-least-once until
acknowledged); the same signed sendEdoc retried through another instance is answered with its first
DocId and stored once; and a SIGKILL of one instance during a burst spread over three loses no
acknowledged submission and delivers none as two different items."""
import base64
import http.client
import json
import os
import signal
import threading
import time

import pytest

from pg_util import LocalPostgres
from test_hub import (G22, H53, Proc, call, headers, kill_all, sample, send, start_hub,
                      unpadded_sha256)

EDOC = [("servicetype", "eDoc"), ("messagetype", "edoc")]


@pytest.fixture(scope="module")
def postgres():
    server = LocalPostgres()
    yield server
    server.stop()


@pytest.fixture
def hubs(postgres, request):
    """start(n): n hub processes on a new database of their own."""
    started = []
    name = "t_" + request.node.name.lower().replace("-", "_")[:50]

    def start(n):
        url = postgres.create_database(name)
        started.extend(start_hub(url, "--quiet") for _ in range(n))
        return started

    yield start
    kill_all(started)


def listed(port):
    _, data = call(port, "getReceivedEdocList", H53, EDOC)
    return sorted(item["docId"] for item in json.loads(data)["data"])


def test_two_hubs_on_one_database_serve_the_same_mailboxes(hubs):
    a, b = hubs(2)
    assert "store postgresql://vxp@/" in a.wait_for("store ")
    doc = sample()
    first, second = send(a.port, G22, doc), send(b.port, G22, doc)
    assert first["ErrorCode"] == "0" and second["ErrorCode"] == "0"
    assert first["DocId"] != second["DocId"]  # one numbering for both

    # Two instances listing for one system at once: both list every pending item.
    results = {}
    threads = [threading.Thread(target=lambda p=p: results.__setitem__(p, listed(p)))
               for p in (a.port, b.port)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results[a.port] == results[b.port] and len(results[a.port]) == 2

    doc_id = results[a.port][0]
    _, data = call(b.port, "getEdoc", H53, [("docId", doc_id)], b"{}")
    assert base64.b64decode(json.loads(data)["data"]) == doc
    _, data = call(b.port, "updateStatus", H53, [("docid", doc_id), ("status", "done")], b"{}")
    assert json.loads(data)["ErrorCode"] == "0"
    assert listed(a.port) == [results[a.port][1]]  # acknowledged through b, gone from a
    _, data = call(a.port, "getSentEdocList", G22, EDOC)
    statuses = {i["receiverDocId"]: i["receiveStatus"] for i in json.loads(data)["data"]}
    assert statuses[doc_id] == "done"


def test_a_retry_through_another_instance_gets_the_first_docid(hubs):
    a, b = hubs(2)
    doc = sample()
    params = [("from", G22[2]), ("servicetype", "eDoc"), ("messagetype", "edoc"),
              ("hash-file", unpadded_sha256(doc))]
    h = headers(G22[0], G22[1], params, "application/octet-stream")
    answers = []
    for port in (a.port, b.port, b.port):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("POST", "/XrdAdapter/adapter/sendEdoc", body=doc + b"\r\n", headers=h)
        answers.append(json.loads(c.getresponse().read()))
        c.close()
    assert [x["ErrorCode"] for x in answers] == ["0", "0", "0"], answers
    assert answers[0]["DocId"] == answers[1]["DocId"] == answers[2]["DocId"]
    assert len(listed(a.port)) == 1  # stored once

    # The same signed headers over another body are not the same request: refused by name.
    c = http.client.HTTPConnection("127.0.0.1", b.port, timeout=30)
    c.request("POST", "/XrdAdapter/adapter/sendEdoc", body=doc + b" \r\n", headers=h)
    other = json.loads(c.getresponse().read())
    assert other["ErrorCode"] != "0" and other["DocId"] == ""
    assert len(listed(b.port)) == 1


def test_a_state_change_replayed_through_another_instance_is_refused(hubs):
    a, b = hubs(2)
    assert send(a.port, G22, sample())["ErrorCode"] == "0"
    doc_id = listed(a.port)[0]
    params = [("docid", doc_id), ("status", "processing")]
    h = headers(H53[0], H53[1], params)

    def post(port, op="updateStatus"):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("POST", "/XrdAdapter/adapter/" + op, body=b"{}", headers=h)
        answer = json.loads(c.getresponse().read())
        c.close()
        return answer

    assert post(a.port)["ErrorCode"] == "0"
    replayed = post(b.port)  # captured and sent again, to the other instance
    assert replayed["ErrorCode"] == "1009", replayed
    assert "through another hub instance" in replayed["ErrorDesc"]
    assert post(a.port)["ErrorCode"] == "1009"  # and through the first, as before


def test_sigkill_of_one_instance_during_a_burst_loses_nothing_and_stores_nothing_twice(hubs):
    a, b, c = hubs(3)
    doc = sample()
    params = [("from", G22[2]), ("servicetype", "eDoc"), ("messagetype", "edoc"),
              ("hash-file", unpadded_sha256(doc))]
    lock = threading.Lock()
    answered = {}  # the signed request's hash-header -> the DocId it was answered with
    stop = threading.Event()

    def post(port, h):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        try:
            conn.request("POST", "/XrdAdapter/adapter/sendEdoc", body=doc + b"\r\n", headers=h)
            return json.loads(conn.getresponse().read())
        finally:
            conn.close()

    def sender(first, fallback):
        # Like an SDK behind a load balancer: each request goes to `first`; when no answer comes
        # (the instance died), the same signed request is sent again through `fallback`.
        while not stop.is_set():
            h = headers(G22[0], G22[1], params, "application/octet-stream")
            try:
                answer = post(first, h)
            except (OSError, http.client.HTTPException, json.JSONDecodeError):
                answer = post(fallback, h)
            assert answer["ErrorCode"] == "0", answer
            with lock:
                answered[h["XroadVnpt-hash-header"]] = answer["DocId"]

    threads = [threading.Thread(target=sender, args=(first.port, c.port))
               for first in (a, a, b, c)]
    for t in threads:
        t.start()
    deadline = time.time() + 60
    while len(answered) < 150 and time.time() < deadline:
        time.sleep(0.01)
    os.kill(a.p.pid, signal.SIGKILL)  # in the middle of its requests
    a.p.wait(timeout=10)
    time.sleep(0.3)  # the burst goes on through b and c
    stop.set()
    for t in threads:
        t.join(timeout=30)
    assert len(answered) >= 150, "the burst was too small to mean anything"
    acknowledged = set(answered.values())
    assert len(acknowledged) == len(answered), "two requests were answered with one DocId"

    for port in (b.port, c.port):  # every other instance delivers every acknowledged one
        _, data = call(port, "getSentEdocList", G22, EDOC)
        sent = [item["senderDocId"] for item in json.loads(data)["data"]]
        assert len(sent) == len(set(sent)), "a submission delivered as two items"
        missing = acknowledged - set(sent)
        assert not missing, f"{len(missing)} acknowledged submissions lost: {sorted(missing)[:10]}"
        # Nothing stored but what was acknowledged: a request whose answer was lost when a died
        # and that was sent again is one submission, not two.
        assert set(sent) == acknowledged, sorted(set(sent) - acknowledged)[:10]
        _, data = call(port, "countReceiveEdoc", H53, EDOC, b"{}")
        assert json.loads(data)["count"] == len(acknowledged)


def test_an_unreachable_database_is_a_clear_error(tmp_path):
    p = Proc("hub", "--listen", "127.0.0.1:0", "--db",
             f"postgresql://hub:s3cret@/hub?host={tmp_path}&port=5432")
    assert p.p.wait(timeout=30) == 2  # it stops by itself, before listening
    p.t.join(timeout=5)
    out = "\n".join(p.lines)
    assert "cannot connect to postgresql://hub:***@/hub" in out, out
    assert "s3cret" not in out
