"""Several `vxpkit serve` instances on one PostgreSQL database (docs/service.md, "Several
instances on one database"), as a certifying office runs them behind one address: runs are taken
from the queue by whichever instance has a free worker; the system under test reaches its hub
through any instance (its traffic during a run is forwarded to the instance running the run);
the run's live feed, files and cancellation work through any instance; an instance killed during
a run leaves it INCOMPLETE once its lease runs out, closed by another. The database is a real
PostgreSQL started by the test (pg_util.LocalPostgres)."""
import json
import re
import signal
import subprocess
import time

import pytest

from cli_util import VXPKIT
from pg_util import LocalPostgres
from test_serve import Service, agency_log, events, finished, get


@pytest.fixture
def database():
    pg = LocalPostgres()
    try:
        yield pg
    finally:
        pg.stop()


class Browserless:
    """A person's session through urllib (cookies kept): signs in with the login form."""

    def __init__(self, base, email, password):
        import http.cookiejar
        import re
        import urllib.parse
        import urllib.request
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = self.opener.open(base + "/login", timeout=10).read().decode()
        login_csrf = re.search(r'name="login_csrf" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"login_csrf": login_csrf, "email": email,
                                       "password": password}).encode()
        page = self.opener.open(base + "/login", data=form, timeout=10).read().decode()
        self.csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)

    def post(self, path, fields):
        import urllib.error
        import urllib.parse
        form = urllib.parse.urlencode({**fields, "csrf": self.csrf}).encode()
        try:
            with self.opener.open(self.base + path, data=form, timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()


def pid_of(run):
    """The process id in a run's worker name (host:pid:tag)."""
    return int(run["worker"].split(":")[-2])


def wait_until(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s: {what}")


def test_instances_share_the_queue_the_hubs_the_feeds_and_a_lost_workers_run(tmp_path, database):
    url = database.create_database("conformance")
    lease = ["--run-lease", "3"]
    # A: takes one run at a time; it makes the demo accounts and system.
    a = Service(tmp_path / "a", "--db", url, "--demo", "--workers", "1", *lease)
    services = [a]
    agency = None
    try:
        # B: serves pages, the API and the hubs, and runs nothing; C: one run at a time.
        b = Service(tmp_path / "b", "--db", url, "--workers", "0", *lease)
        services.append(b)
        c = Service(tmp_path / "c", "--db", url, "--workers", "1", *lease)
        services.append(c)
        token = a.printed(r"demo API token \(vendor\) (vxpt_\S+)")
        status, body, _ = get(b.url + "/api/v1/systems", token)  # the accounts are shared
        assert status == 200, body
        system = json.loads(body)["systems"][0]
        # The vendor's system is pointed at B only.
        command = a.printed(r"run the reference agency as it with: vxpkit (agency .*)")
        command = command.replace(a.url, b.url).split()
        assert f"{b.url}/hub/{system['hub_id']}/XrdAdapter/adapter" in command
        agency = subprocess.Popen([VXPKIT, *command, "--poll-ms", "50"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        # Started through B, which runs nothing: A or C takes it, and the system's traffic, which
        # reaches B, is forwarded to the run's hub there. Its verdict holds.
        start = f"{b.url}/api/v1/systems/{system['id']}/runs"
        status, body, _ = get(start, token, {"plan": "self-test", "profile": "demo",
                                             "only": ["INBOUND-VALID", "INBOUND-BAD-DATE"]})
        assert status == 202, body
        first = json.loads(body)["id"]
        feed = events(b, token, first, seconds=90)  # the live feed, read through B
        run = finished(b, token, first)
        assert run["verdict"] == "PASS" and run["exit_code"] == 0, run
        assert pid_of(run) in (a.proc.pid, c.proc.pid), run
        kinds = [e["event"] for e in feed]
        assert kinds[-1] == "end" and feed[-1]["data"]["verdict"] == "PASS"
        verdicts = {e["data"]["id"]: e["data"]["verdict"] for e in feed if e["event"] == "scenario"}
        assert verdicts == {"TRANSPORT-AUTH": "PASS", "INBOUND-VALID": "PASS",
                            "INBOUND-BAD-DATE": "PASS"}, verdicts
        assert "traffic" in kinds  # the system's requests, as they reached the run's hub
        assert [int(e["id"]) for e in feed] == list(range(1, len(feed) + 1))
        # Its files through B, which did not run it: copied from the database.
        status, body, _ = get(f"{b.url}/api/v1/runs/{first}/junit.xml", token)
        assert status == 200 and "INBOUND-BAD-DATE" in body, body
        assert (tmp_path / "b" / "runs" / str(first) / "result.json").exists()
        status, body, _ = get(f"{b.url}/api/v1/runs/{first}", token)
        assert any("verdict PASS" in line for line in json.loads(body)["progress"]), body

        # An operator's answer given through B reaches the run's worker: the demo system has no
        # driver, so sending a document is a prompt; "cannot" ends its wait with a FAIL.
        status, body, _ = get(start, token, {"plan": "self-test", "profile": "demo",
                                             "only": ["OUTBOUND-VALID"], "prompts": True})
        assert status == 202, body
        prompted = json.loads(body)["id"]
        feed = events(b, token, prompted, until="prompt", seconds=60)
        assert feed[-1]["data"]["number"] == 1
        person = Browserless(b.url, "vendor@demo.vxpkit.vn",
                             a.printed(r"demo vendor vendor@demo\.vxpkit\.vn password (\S+)"))
        status, page = person.post(f"/runs/{prompted}/prompts/2", {"answer": "done"})
        assert status == 400 and "prompt 2 was not given" in page, (status, page)
        status, page = person.post(f"/runs/{prompted}/prompts/1", {"answer": "cannot"})
        assert status in (200, 303), (status, page)
        status, page = person.post(f"/runs/{prompted}/prompts/1", {"answer": "done"})
        assert status == 409 and "already answered" in page, (status, page)
        run = finished(b, token, prompted)
        assert run["verdict"] == "FAIL", run
        # Its progress, read through B from the feed the database keeps, has the answer.
        assert "operator vendor@demo.vxpkit.vn: action 1 cannot be done in the system (the " \
               "harness judges by what reaches the hub)" in run["progress"], run["progress"]
        status, body, _ = get(f"{b.url}/api/v1/runs/{prompted}/report.json", token)
        scenario = next(s for s in json.loads(body)["scenarios"] if s["id"] == "OUTBOUND-VALID")
        assert scenario["verdict"] == "FAIL"
        assert "the operator answered that the system cannot" in json.dumps(scenario)
        rest = events(b, token, prompted, seconds=30)
        answer = next(e["data"] for e in rest if e["event"] == "answer")
        assert answer == {**answer, "number": 1, "answer": "cannot",
                          "by": "vendor@demo.vxpkit.vn"}, answer

        # The system's standing hub (between runs) is kept in the database, a schema of its own.
        tables = database.sql("conformance", "SELECT count(*) FROM information_schema.tables "
                              f"WHERE table_schema = 'hub_{system['hub_id'].replace('-', '_')}'")
        assert int(tables.stdout) >= 4, tables.stdout

        # Two runs at once go to the two instances with a free worker (A and C): the whole
        # catalogue of the demo system, and a run of a second system, which nothing drives.
        database.sql("conformance",
                     "INSERT INTO systems(organisation_id, name, product, product_version, "
                     "agencies, capabilities, control, hub_id, hub_secret, created_ms) "
                     "SELECT organisation_id, 'Second', product, product_version, agencies, "
                     "capabilities, control, 'second-hub', 'second-secret', created_ms "
                     "FROM systems WHERE id = " + str(system["id"]))
        second = json.loads(get(b.url + "/api/v1/systems", token)[1])["systems"]
        second = [s for s in second if s["name"] == "Second"][0]
        status, body, _ = get(start, token, {"plan": "self-test", "profile": "demo"})
        assert status == 202, body
        long_run = json.loads(body)["id"]
        status, body, _ = get(f"{b.url}/api/v1/systems/{second['id']}/runs", token,
                              {"plan": "self-test", "profile": "demo"})
        assert status == 202, body
        other = json.loads(body)["id"]
        # A second run of a system with one under way is refused, through any instance.
        status, body, _ = get(f"{c.url}/api/v1/systems/{system['id']}/runs", token,
                              {"plan": "self-test"})
        assert status == 409 and json.loads(body)["error"]["code"] == "service.busy", body

        def running(run_id):
            r = json.loads(get(f"{b.url}/api/v1/runs/{run_id}", token)[1])
            return r if r["status"] == "running" else None

        long_row = wait_until(lambda: running(long_run), 30, "the long run taken")
        other_row = wait_until(lambda: running(other), 30, "the other run taken")
        workers = {pid_of(long_row), pid_of(other_row)}
        assert workers == {a.proc.pid, c.proc.pid}, (long_row, other_row)

        # During a run elsewhere, a package whose headers do not carry the system's HMAC is
        # refused by B before its body is read (50 MB announced, none sent).
        import socket
        host, port = b.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            sock.sendall((f"POST /hub/{system['hub_id']}/XrdAdapter/adapter/sendEdoc HTTP/1.1\r\n"
                          f"Host: {host}\r\nContent-Type: application/json\r\n"
                          f"XroadVnpt-systemid: {system['hub_id']}\r\n"
                          "XroadVnpt-timestamp: 20261202120000\r\n"
                          "XroadVnpt-hash-header: 00\r\n"
                          "Content-Length: 50000000\r\n\r\n").encode())
            answer = b""
            while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
        assert b'"ErrorCode"' in answer and b'"ErrorCode":"0"' not in answer, answer[-300:]

        # Cancelled through B: the instance running it learns of it at its next renewal.
        status, body, _ = get(f"{b.url}/api/v1/runs/{other}/cancel", token, {})
        assert status == 202, body
        run = finished(b, token, other, seconds=60)
        assert run["verdict"] == "INCOMPLETE" and run["exit_code"] == 4, run

        # The instance running the long run is killed: once its lease has run out (3 s) another
        # instance closes the run INCOMPLETE, saying why.
        killed = next(s for s in services if s.proc.pid == pid_of(long_row))
        killed.proc.send_signal(signal.SIGKILL)
        killed.proc.wait(timeout=10)
        services.remove(killed)
        run = finished(b, token, long_run, seconds=60)
        assert run["verdict"] == "INCOMPLETE" and run["exit_code"] == 4, run
        assert "lease ran out" in run["summary"], run
        # Its feed, read through B, ends with that verdict.
        feed = events(b, token, long_run, seconds=30)
        assert feed[-1]["event"] == "end" and feed[-1]["data"]["verdict"] == "INCOMPLETE", feed[-3:]
        # The system is free again: the surviving worker takes its next run.
        status, body, _ = get(start, token, {"plan": "self-test", "profile": "demo",
                                             "only": ["INBOUND-VALID"]})
        assert status == 202, body
        run = finished(b, token, json.loads(body)["id"], seconds=90)
        assert run["verdict"] == "PASS", run
        assert pid_of(run) != killed.proc.pid

        # The hub secret rotated through an instance that never opened the system's hub stops
        # working at once on another, whose standing hub of it is open (the agency has been
        # polling it through B).
        d = Service(tmp_path / "d", "--db", url, "--workers", "0", *lease)
        services.append(d)
        person = Browserless(d.url, "vendor@demo.vxpkit.vn",
                             a.printed(r"demo vendor vendor@demo\.vxpkit\.vn password (\S+)"))
        status, page = person.post(f"/systems/{system['id']}/rotate", {})
        assert status == 200, page
        secret = re.search(r'id="hub-secret">([^<]+)<', page).group(1)
        args = list(command)
        old = args[args.index("--system") + 1]
        assert agency_log(args).count("poll failed: hub.1003") > 0
        args[args.index("--system") + 1] = old.split(":")[0] + ":" + secret
        log = agency_log(args)
        assert "polling " + b.url + "/hub/" in log and "poll failed" not in log, log
    finally:
        if agency is not None:
            agency.terminate()
            agency.wait(timeout=30)
        for s in services:
            s.stop()


def test_a_database_that_is_not_postgresql_is_refused(tmp_path):
    r = subprocess.run([VXPKIT, "serve", "--data", str(tmp_path), "--db", "/tmp/service.db"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and "--db takes a PostgreSQL URL" in r.stderr, r.stderr
    r = subprocess.run([VXPKIT, "serve", "--data", str(tmp_path), "--db",
                        "postgresql://vxp:s3cret@/none?host=/nonexistent"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and "s3cret" not in r.stderr and "***" in r.stderr, r.stderr
