"""`vxpkit hub` and `vxpkit agency` as processes on loopback, spoken to by an independent Python
implementation of the wire protocol (hub-api.md §2): each authentication refusal and each hostile
input gets its documented error, a SIGKILL during a burst loses no acknowledged submission, SIGTERM
stops gracefully, and two reference agencies exchange a document through the driver API."""
import base64
import datetime
import hashlib
import hmac
import http.client
import json
import os
import pathlib
import signal
import subprocess
import threading
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
VXPKIT = os.environ.get("VXPKIT", str(ROOT / "build" / "bin" / "vxpkit"))

G22 = ("sys.g22", "g22-secret", "000.00.00.G22")
H53 = ("sys.h53", "h53-secret", "000.00.00.H53")
SYSTEMS = [f"--system={s}:{k}:{a}" for s, k, a in (G22, H53)]


_last_signed = [datetime.datetime.min.replace(tzinfo=datetime.timezone.utc)]
_last_signed_lock = threading.Lock()


def timestamp(at=None):
    """The SDK's ddMMyyyy'T'HHmmss'+'SSSS in UTC+7 (the four digits are milliseconds). Without
    `at`, each call is a later millisecond than the last, as for a client sending one request at
    a time: the same signed headers twice are a replay to the hub."""
    if at is None:
        with _last_signed_lock:
            at = max(datetime.datetime.now(datetime.timezone.utc),
                     _last_signed[0] + datetime.timedelta(milliseconds=1))
            _last_signed[0] = at
    t = at + datetime.timedelta(hours=7)
    return t.strftime("%d%m%YT%H%M%S") + "+%04d" % (t.microsecond // 1000)


def headers(system, secret, params, content_type="application/json", ts=None, raw_utf8=False):
    entries = [("systemid", system), *params, ("timestamp", ts or timestamp()),
               ("Content-Type", content_type)]
    sign = json.dumps({"XroadVnpt-" + k: v for k, v in entries}, separators=(",", ":"),
                      ensure_ascii=not raw_utf8)  # the SDK writes raw UTF-8 in the sign-header
    h = {"Content-Type": content_type}
    h.update({"XroadVnpt-" + k: v for k, v in entries})
    h["XroadVnpt-sign-header-key"] = ";".join(k for k, _ in entries)
    h["XroadVnpt-sign-header"] = sign
    h["XroadVnpt-hash-header"] = hmac.new(secret.encode(), sign.encode(), hashlib.sha256).hexdigest()
    return h


def unpadded_sha256(data):
    return "".join("%x" % b for b in hashlib.sha256(data).digest())


class Proc:
    """A vxpkit process whose stdout is read line by line in the background."""

    def __init__(self, *args, env=None):
        self.p = subprocess.Popen([VXPKIT, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True, env={**os.environ, **(env or {})})
        self.lines = []
        self.t = threading.Thread(target=self._read, daemon=True)
        self.t.start()

    def _read(self):
        for line in self.p.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, prefix, timeout=20):
        end = time.time() + timeout
        while time.time() < end:
            for line in self.lines:
                if line.startswith(prefix):
                    return line
            if self.p.poll() is not None and not self.t.is_alive():
                break
            time.sleep(0.02)
        raise AssertionError(f"no line starting {prefix!r}; output:\n" + "\n".join(self.lines))

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if self.p.poll() is None:
            self.p.send_signal(sig)
        code = self.p.wait(timeout=timeout)
        self.t.join(timeout=5)
        return code


def start_hub(db, *extra, env=None):
    """A `vxpkit hub` on a free loopback port (proc.port) with the systems G22 and H53."""
    proc = Proc("hub", "--listen", "127.0.0.1:0", "--db", str(db), *SYSTEMS, *extra, env=env)
    line = proc.wait_for("listening on http://")
    proc.port = int(line.rsplit(":", 1)[1])
    return proc


def kill_all(procs):
    for proc in procs:
        if proc.p.poll() is None:
            proc.p.kill()
            proc.p.wait(timeout=10)


@pytest.fixture
def hub(tmp_path):
    started = []

    def start(*extra, db=None, env=None):
        started.append(start_hub(db or tmp_path / "hub.db", *extra, env=env))
        return started[-1]

    yield start
    kill_all(started)


def call(port, op, creds, params=(), body=b"", content_type="application/json", ts=None,
         conn=None, extra=None):
    h = headers(creds[0], creds[1], list(params), content_type, ts)
    h.update(extra or {})
    c = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET" if op == "downloadEdoc" else "POST", "/XrdAdapter/adapter/" + op, body=body,
              headers=h)
    r = c.getresponse()
    data = r.read()
    if conn is None:
        c.close()
    return r.status, data


def send(port, creds, package, conn=None, ts=None):
    status, data = call(port, "sendEdoc", creds,
                        [("from", creds[2]), ("servicetype", "eDoc"), ("messagetype", "edoc"),
                         ("hash-file", unpadded_sha256(package))],
                        package + b"\r\n", "application/octet-stream", ts=ts, conn=conn)
    assert status == 200, data  # every answer of the hub, refusals included, is HTTP 200
    return json.loads(data)


def sample():
    return subprocess.run([VXPKIT, "sample", "document"], capture_output=True, check=True,
                          timeout=30).stdout


def test_sigterm_stops_gracefully_and_prints_what_it_serves(hub):
    h = hub()
    assert any(l.startswith("system sys.g22 agencies 000.00.00.G22") for l in h.lines)
    assert h.stop() == 0
    assert h.lines[-1] == "stopped"


def test_demo_system_when_none_is_given(tmp_path):
    proc = Proc("hub", "--listen", "127.0.0.1:0")
    try:
        proc.wait_for("listening on http://")
        assert proc.wait_for("demo system vxpkit-demo secret vxpkit-demo-secret")
    finally:
        assert proc.stop(signal.SIGINT) == 0


def test_exchange_through_the_protocol(hub):
    h = hub()
    doc = sample()
    answer = send(h.port, G22, doc)
    assert answer["ErrorCode"] == "0" and answer["status"] == "OK" and answer["DocId"]
    _, data = call(h.port, "getReceivedEdocList", H53,
                   [("servicetype", "eDoc"), ("messagetype", "edoc")])
    items = json.loads(data)["data"]
    assert [i["to"] for i in items] == ["000.00.00.H53"]
    _, data = call(h.port, "getEdoc", H53, [("docId", items[0]["docId"])], b"{}")
    assert base64.b64decode(json.loads(data)["data"]) == doc  # verbatim relay
    status, raw = call(h.port, "downloadEdoc", H53, [("docId", items[0]["docId"])])
    assert status == 200 and raw == doc
    _, data = call(h.port, "updateStatus", H53, [("docid", items[0]["docId"]), ("status", "done")],
                   b"{}")
    assert json.loads(data)["ErrorCode"] == "0"
    _, data = call(h.port, "countReceiveEdoc", H53, [("servicetype", "eDoc"),
                                                      ("messagetype", "edoc")], b"{}")
    assert json.loads(data)["count"] == 0


def test_each_authentication_refusal_has_its_code(hub):
    h = hub()
    doc = sample()
    stale = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=2)
    cases = {
        "1003": dict(creds=(G22[0], "wrong", G22[2])),
        "1002": dict(creds=("sys.nobody", "x", G22[2])),
        "1007": dict(creds=G22, ts=timestamp(stale)),
        "1006": dict(creds=G22, ts="yesterday"),
        "1008": dict(creds=(G22[0], G22[1], "000.00.00.H53")),
    }
    for code, kw in cases.items():
        answer = send(h.port, kw["creds"], doc, ts=kw.get("ts"))
        assert answer["ErrorCode"] == code, (code, answer)
        assert answer["status"] == "FAIL" and answer["DocId"] == ""
    # A signed header that differs from the header actually sent.
    _, data = call(h.port, "getReceivedEdocList", H53,
                   [("servicetype", "eDoc"), ("messagetype", "edoc")],
                   extra={"XroadVnpt-messagetype": "status"})
    assert json.loads(data)["ErrorCode"] == "1005"
    # No credentials at all.
    c = http.client.HTTPConnection("127.0.0.1", h.port, timeout=10)
    c.request("POST", "/XrdAdapter/adapter/getReceivedEdocList", body=b"")
    assert json.loads(c.getresponse().read())["ErrorCode"] == "1001"


def test_the_unchanged_sdk_in_utc_is_accepted_by_a_hub_beside_it(hub, tmp_path):
    # The SDK writes the JVM's local wall-clock time with no zone; in a UTC container that is UTC.
    now = datetime.datetime.now(datetime.timezone.utc)
    utc_wall = now.strftime("%d%m%YT%H%M%S") + "+%04d" % (now.microsecond // 1000)
    params = [("servicetype", "eDoc"), ("messagetype", "edoc")]
    beside = hub(env={"TZ": "UTC"}, db=tmp_path / "utc.db")
    _, data = call(beside.port, "getReceivedEdocList", H53, params, ts=utc_wall)
    assert json.loads(data)["ErrorCode"] == "0", data
    # A hub in Vietnam reads it as UTC+7 only: seven hours old, and it says so in each zone.
    vietnam = hub(env={"TZ": "Asia/Ho_Chi_Minh"}, db=tmp_path / "vn.db")
    _, data = call(vietnam.port, "getReceivedEdocList", H53, params, ts=utc_wall)
    answer = json.loads(data)
    assert answer["ErrorCode"] == "1007", answer
    assert "read as UTC+7" in answer["ErrorDesc"], answer


def test_vietnamese_in_a_header_gets_a_1003_that_says_why(hub):
    h = hub()
    description = "Hoàn thành xử lý"  # each character's low byte is a printable byte
    params = [("docid", "1"), ("status", "done"), ("description", description)]
    headers_ = headers(H53[0], H53[1], params, raw_utf8=True)  # the HMAC covers the UTF-8 text
    # ... but the SDK's HTTP client sends the low byte of each character.
    low = "".join(chr(ord(ch) & 0xFF) for ch in description)
    headers_["XroadVnpt-description"] = low
    headers_["XroadVnpt-sign-header"] = "".join(chr(ord(ch) & 0xFF)
                                                for ch in headers_["XroadVnpt-sign-header"])
    c = http.client.HTTPConnection("127.0.0.1", h.port, timeout=10)
    c.request("POST", "/XrdAdapter/adapter/updateStatus", body=b"{}", headers=headers_)
    answer = json.loads(c.getresponse().read())
    assert answer["ErrorCode"] == "1003", answer
    assert "XroadVnpt-description" in answer["ErrorDesc"] and "ISO-8859-1" in answer["ErrorDesc"]
    # Đ and đ become control bytes, which HTTP refuses before any HMAC is checked: said too.
    low = "".join(chr(ord(ch) & 0xFF) for ch in "Đã xử lý")
    headers_["XroadVnpt-description"] = low
    c = http.client.HTTPConnection("127.0.0.1", h.port, timeout=10)
    c.putrequest("POST", "/XrdAdapter/adapter/updateStatus")
    for name, value in headers_.items():
        c.putheader(name, value.encode("latin-1"))
    c.putheader("Content-Length", "2")
    c.endheaders(b"{}")
    answer = json.loads(c.getresponse().read())
    assert answer["ErrorCode"] == "2002" and "Đ/đ" in answer["ErrorDesc"], answer


HOSTILE = {
    "billion-laughs": b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                      + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1
                                                                 else b"&lol;") * 10)
                                 for i in range(1, 10))
                      + b']><edXMLEnvelope xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">'
                        b"&lol9;</edXMLEnvelope>",
    "external-entity": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM '
                       b'"file:///etc/passwd">]><edXMLEnvelope '
                       b'xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&xxe;</edXMLEnvelope>',
    "not-xml": b"\x00\xff garbage <<<",
    "truncated": None,  # filled in below from a real sample
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_packages_are_refused_and_the_hub_carries_on(hub, name):
    h = hub()
    body = HOSTILE[name] if HOSTILE[name] is not None else sample()[:500]
    answer = send(h.port, G22, body)  # the connection's 30 s timeout bounds it: no hang
    assert answer["ErrorCode"] == "2006", answer  # PACKAGE_MALFORMED, with the rule and line
    assert "root:" not in answer["ErrorDesc"]  # nothing was fetched from the file system
    assert send(h.port, G22, sample())["ErrorCode"] == "0"  # and the hub still works


def test_oversized_body_is_refused_before_it_is_read(hub):
    h = hub()
    c = http.client.HTTPConnection("127.0.0.1", h.port, timeout=30)
    hdr = headers(*G22[:2], [("from", G22[2]), ("servicetype", "eDoc"), ("messagetype", "edoc")],
                  "application/octet-stream")
    hdr["Content-Length"] = str(200 << 20)
    c.putrequest("POST", "/XrdAdapter/adapter/sendEdoc")
    for k, v in hdr.items():
        c.putheader(k, v)
    c.endheaders()
    r = c.getresponse()
    body = json.loads(r.read())
    assert r.status == 413 and body["ErrorCode"] == "2005" and body["DocId"] == ""


def test_sigkill_during_a_burst_loses_no_acknowledged_submission(hub, tmp_path):
    db = tmp_path / "durable.db"
    h = hub("--quiet", db=db)
    doc = sample()
    acknowledged = []
    lock = threading.Lock()
    stop = threading.Event()

    def sender():
        conn = http.client.HTTPConnection("127.0.0.1", h.port, timeout=10)
        while not stop.is_set():
            try:
                answer = send(h.port, G22, doc, conn=conn)
            except (OSError, http.client.HTTPException, json.JSONDecodeError):
                return  # the hub died mid-request: that one was never acknowledged
            if answer["ErrorCode"] == "0":
                with lock:
                    acknowledged.append(answer["DocId"])

    threads = [threading.Thread(target=sender) for _ in range(4)]
    for t in threads:
        t.start()
    deadline = time.time() + 60
    while len(acknowledged) < 150 and time.time() < deadline:
        time.sleep(0.01)
    os.kill(h.p.pid, signal.SIGKILL)  # no chance to flush anything
    h.p.wait(timeout=10)
    stop.set()
    for t in threads:
        t.join(timeout=20)
    with lock:
        acked = set(acknowledged)
    assert len(acked) >= 150, "the burst was too small to mean anything"

    again = hub(db=db)
    _, data = call(again.port, "getSentEdocList", G22, [("servicetype", "eDoc"),
                                                         ("messagetype", "edoc")])
    sent = {item["senderDocId"] for item in json.loads(data)["data"]}
    missing = acked - sent
    assert not missing, f"{len(missing)} acknowledged submissions lost: {sorted(missing)[:10]}"
    _, data = call(again.port, "countReceiveEdoc", H53, [("servicetype", "eDoc"),
                                                          ("messagetype", "edoc")], b"{}")
    assert json.loads(data)["count"] >= len(acked)  # each is deliverable to its recipient


def test_agencies_exchange_through_the_driver(hub):
    h = hub()
    url = f"http://127.0.0.1:{h.port}/XrdAdapter/adapter"
    g22 = Proc("agency", "--hub", url, "--system", f"{G22[0]}:{G22[1]}", "--organ", G22[2],
               "--driver", "127.0.0.1:0", "--poll-ms", "50")
    h53 = Proc("agency", "--hub", url, "--system", f"{H53[0]}:{H53[1]}", "--organ", H53[2],
               "--poll-ms", "50")
    try:
        driver = g22.wait_for("driver listening on http://").rsplit("/", 1)[1]
        host, port = driver.rsplit(":", 1)
        c = http.client.HTTPConnection(host, int(port), timeout=10)
        c.request("POST", "/driver/v1/send", body=json.dumps({"to": [H53[2]]}),
                  headers={"Content-Type": "application/json"})
        r = c.getresponse()
        sent = json.loads(r.read())
        assert r.status == 200, sent
        codes = []
        end = time.time() + 30
        while time.time() < end and len(codes) < 5:
            c.request("GET", "/driver/v1/documents")
            docs = json.loads(c.getresponse().read())["documents"]
            codes = [s["code"] for s in docs[0]["statuses"]]
            time.sleep(0.05)
        assert docs[0]["documentId"] == sent["documentId"]
        assert codes == ["01", "03", "04", "05", "06"]
    finally:
        assert g22.stop() == 0
        assert h53.stop() == 0


def test_agency_usage_errors_exit_2():
    r = subprocess.run([VXPKIT, "agency", "--hub", "http://127.0.0.1:1", "--system", "a:b",
                        "--organ", "000.00.00.H53", "--profile", "nonsense"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and "unknown profile 'nonsense'" in r.stderr
    r = subprocess.run([VXPKIT, "agency", "--list-profiles"], capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 0 and "status-to-wrong-party" in r.stdout
    r = subprocess.run([VXPKIT, "hub", "--system", "x:y"], capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 2 and "expected three parts" in r.stderr
    r = subprocess.run([VXPKIT, "hub", "--listen", "127.0.0.1:x"], capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 2 and "the port is not a number 0-65535" in r.stderr
    r = subprocess.run([VXPKIT, "hub", "--listen", "127.0.0.1:0", "--fault", "explode"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and "unknown kind 'explode'" in r.stderr
