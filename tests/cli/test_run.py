"""vxpkit run / demo / list end to end: the result file against its JSON Schema, exit codes,
selection, expected failures, the sanity diagnosis, and no secret in anything written."""
import json
import signal
import socket
import subprocess
import threading

import junitparser

from cli_util import ROOT, VXPKIT, result_of, run


def test_demo_selection_passes_and_result_matches_schema(tmp_path):
    out = tmp_path / "r"
    r = run("demo", "--only", "INBOUND-*", "--category", "inbound", "--out", str(out), "--seed", "5")
    assert r.returncode == 0, r.stdout + r.stderr
    doc = result_of(out)
    ids = [s["id"] for s in doc["scenarios"]]
    assert ids[0] == "TRANSPORT-AUTH"  # the sanity check always runs first
    assert set(ids[1:]) == {"INBOUND-VALID", "INBOUND-MISSING-ELEMENT", "INBOUND-BAD-DATE",
                            "INBOUND-BAD-AGENCY-ID", "INBOUND-MANIFEST-NO-ATTACHMENT",
                            "INBOUND-BAD-BASE64", "INBOUND-WRONG-NAMESPACE",
                            "INBOUND-LEGACY-FORMAT", "INBOUND-FUTURE-DATE",
                            "INBOUND-PROD-REORDERED", "INBOUND-PROD-EMPTY-ELEMENTS",
                            "INBOUND-PROD-UUID-DOCID", "INBOUND-PROD-LEGACY-TRACE",
                            "INBOUND-PROD-VNPT-SIGNATURE", "INBOUND-PROD-ZIPPED-PDF"}
    assert all(s["verdict"] == "PASS" for s in doc["scenarios"])
    assert doc["run"]["seed"] == 5 and doc["outcome"]["exit_code"] == 0
    assert doc["outcome"]["final_sanity"]["verdict"] == "PASS"
    # Evidence: the package the harness sent and the SUT's answers.
    assert (out / "evidence" / "INBOUND-BAD-DATE" / "sent" / "bad-date.xml").exists()
    exchanges = json.loads((out / "evidence" / "INBOUND-BAD-DATE" / "exchanges.json").read_text())
    assert any(x["operation"] == "sendEdoc" for x in exchanges)
    assert "PASS 16" in r.stdout


def test_fault_is_caught_with_rule_and_replay(tmp_path):
    out = tmp_path / "r"
    r = run("demo", "--fault", "reject-without-reason", "--only", "LIFECYCLE-REASON",
            "--out", str(out))
    assert r.returncode == 1, r.stdout + r.stderr
    doc = result_of(out)
    failed = [s for s in doc["scenarios"] if s["verdict"] == "FAIL"]
    assert [s["id"] for s in failed] == ["LIFECYCLE-REASON"]
    assert failed[0]["findings"][0]["rule_id"] == "LIFE-REASON"
    assert failed[0]["findings"][0]["clause"]
    assert "--only LIFECYCLE-REASON --seed 1" in failed[0]["replay"]
    assert "replay: vxpkit demo --fault reject-without-reason --only LIFECYCLE-REASON" in r.stdout


def test_expected_failures_do_not_fail_the_run_and_cannot_rot(tmp_path):
    listed = tmp_path / "expected.txt"
    listed.write_text("# known\nLIFECYCLE-REASON  reason text not written yet\n")
    r = run("demo", "--fault", "reject-without-reason", "--only", "LIFECYCLE-REASON",
            "--expected-failures", str(listed), "--out", str(tmp_path / "a"))
    assert r.returncode == 0, r.stdout + r.stderr
    doc = result_of(tmp_path / "a")
    assert doc["scenarios"][1]["expected_failure"] is True
    # The reference passes it: a listed failure that passes fails the run.
    r = run("demo", "--only", "LIFECYCLE-REASON", "--expected-failures", str(listed),
            "--out", str(tmp_path / "b"))
    assert r.returncode == 1, r.stdout + r.stderr
    assert result_of(tmp_path / "b")["scenarios"][1]["unexpected_pass"] is True
    listed.write_text("NO-SUCH-SCENARIO\n")
    r = run("demo", "--expected-failures", str(listed), "--out", str(tmp_path / "c"))
    assert r.returncode == 2 and "NO-SUCH-SCENARIO" in r.stderr


def test_dry_run_lists_and_explains_skips(tmp_path):
    sut = tmp_path / "sut.json"
    sut.write_text(json.dumps({"system": {"id": "acme", "secret": "s3cr3t-acme"},
                               "agencies": ["000.00.00.H41"], "hub": {"listen": "127.0.0.1:0"}}))
    r = run("run", "--sut", str(sut), "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "TRANSPORT-AUTH" in r.stdout and "OUTBOUND-VALID" in r.stdout
    assert "SKIP: the SUT must be made to act" in r.stdout  # no driver, not interactive
    # A dry run binds nothing: the SUT file's port may be in use (by the run it prepares).
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        sut.write_text(json.dumps({"system": {"id": "acme", "secret": "s3cr3t-acme"},
                                   "agencies": ["000.00.00.H41"],
                                   "hub": {"listen": f"127.0.0.1:{port}"}}))
        r = run("run", "--sut", str(sut), "--dry-run")
        assert r.returncode == 0 and "TRANSPORT-AUTH" in r.stdout, r.stderr
    # The demo's reference agency has a driver: nothing of the demo is skipped.
    r = run("demo", "--dry-run")
    assert r.returncode == 0 and "LOAD-SOAK" in r.stdout and "SKIP" not in r.stdout, r.stdout


def test_absent_sut_stops_with_a_diagnosis_and_no_secret(tmp_path):
    sut = tmp_path / "sut.json"
    secret = "s3cr3t-never-written"
    sut.write_text(json.dumps({"system": {"id": "acme", "secret": secret},
                               "agencies": ["000.00.00.H41"], "hub": {"listen": "127.0.0.1:0"}}))
    out = tmp_path / "r"
    r = run("run", "--sut", str(sut), "--profile", "demo", "--out", str(out))
    assert r.returncode == 2, r.stdout + r.stderr
    assert "no request reached the hub" in r.stdout
    # A wait that lasts says what it waits for (issue 17, item 6).
    assert "waiting up to 3 s for an authenticated poll (2 s so far)" in r.stderr
    doc = result_of(out)
    assert doc["outcome"]["aborted"] and len(doc["scenarios"]) == 1
    for f in out.rglob("*"):
        if f.is_file():
            assert secret not in f.read_text(errors="replace"), f


def test_usage_errors_exit_2(tmp_path):
    bad = tmp_path / "sut.json"
    bad.write_text('{"system": {"id": "a"}, "agencies": ["000.00.00.H53"]}')
    r = run("run", "--sut", str(bad))
    assert r.returncode == 2 and "system.'secret' is missing" in r.stderr
    r = run("demo", "--fault", "no-such-profile")
    assert r.returncode == 2
    r = run("demo", "--category", "nonsense", "--out", str(tmp_path / "x"))
    assert r.returncode == 2 and "unknown category 'nonsense' (transport, inbound," in r.stderr
    # A misspelled glob is a usage error naming it, not a run of the sanity check that passes.
    r = run("demo", "--only", "INBUOND-*", "--out", str(tmp_path / "y"))
    assert r.returncode == 2 and "--only 'INBUOND-*' matches no scenario ID" in r.stderr, r.stderr
    assert not (tmp_path / "y" / "result.json").exists()
    r = run("demo", "--only", "INBOUND-*", "--category", "load", "--out", str(tmp_path / "z"))
    assert r.returncode == 2 and "select no scenario" in r.stderr, r.stderr
    with socket.socket() as s:  # a port already taken
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        taken = tmp_path / "taken.json"
        taken.write_text(json.dumps({"system": {"id": "a", "secret": "b"},
                                     "agencies": ["000.00.00.H53"],
                                     "hub": {"listen": f"127.0.0.1:{port}"}}))
        r = run("run", "--sut", str(taken))
        assert r.returncode == 2 and str(port) in r.stderr


def test_readme_counts_are_the_catalogue_s():
    # The README states how many scenarios, categories and fault profiles there are: they must be
    # today's, as vxpkit itself lists them.
    import re
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listing = run("list").stdout
    scenarios = int(re.search(r"(\d+) scenarios;", listing).group(1))
    categories = [l for l in listing.splitlines() if re.fullmatch(r"[a-z]+", l)]
    profiles = [l for l in run("agency", "--list-profiles").stdout.splitlines() if l.strip()]
    words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    m = re.search(r"(\d+) scenarios in (\w+)\s+categories", readme)
    assert m, "the README no longer says how many scenarios there are"
    assert int(m.group(1)) == scenarios, m.group(0)
    assert m.group(2) == words[len(categories)], (m.group(0), categories)
    m = re.search(r"each of its (\d+) fault profiles", readme)
    assert m and int(m.group(1)) == len(profiles) - 1, (m and m.group(0), len(profiles))


def test_list_prints_catalogue_and_coverage():
    r = run("list")
    assert r.returncode == 0
    assert "TRANSPORT-AUTH" in r.stdout and "NOT TESTED:" in r.stdout
    assert "51 scenarios;" in r.stdout and "LOAD-STEADY" in r.stdout
    # A category that does not exist is a usage error naming it, not an empty list.
    r = run("list", "--category", "nope")
    assert r.returncode == 2 and "unknown category 'nope' (transport, inbound," in r.stderr, r.stderr
    assert r.stdout == ""
    r = run("list", "--category", "load")
    assert r.returncode == 0 and "LOAD-SOAK" in r.stdout and "TRANSPORT-AUTH" not in r.stdout


def sut_with_driver(tmp_path, system_id, driver, **extra):
    """A SUT file for `system_id` (agency H41) whose driver is the socket `driver`."""
    sut = tmp_path / "sut.json"
    sut.write_text(json.dumps({
        "system": {"id": system_id, "secret": "s"}, "agencies": ["000.00.00.H41"],
        "hub": {"listen": "127.0.0.1:0"},
        "driver": f"http://127.0.0.1:{driver.getsockname()[1]}", **extra}))
    return sut


def start(*args):
    """vxpkit with its stderr read line by line; killed after 180 s whatever happens."""
    p = subprocess.Popen([VXPKIT, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    killer = threading.Timer(180, p.kill)
    killer.start()
    return p, killer


def read_until(p, prefix):
    seen = []
    for line in p.stderr:
        seen.append(line)
        if line.startswith(prefix):
            return seen
    raise AssertionError(f"no line starting {prefix!r}: {''.join(seen)}")


def test_an_interrupted_run_writes_what_it_knows(tmp_path):
    """Issue 17, item 2: SIGTERM in the middle of the demo writes result.json, junit.xml and
    index.html with the finished scenarios' verdicts, the rest NOT RUN, the run INCOMPLETE (4)."""
    out = tmp_path / "r"
    p, killer = start("demo", "--out", str(out))
    try:
        read_until(p, "[ 4/")
        p.send_signal(signal.SIGTERM)
        stdout, stderr = p.communicate(timeout=120)
    finally:
        killer.cancel()
    assert p.returncode == 4, stdout + stderr
    assert "interrupted; writing the result" in stderr
    assert "verdict INCOMPLETE (exit 4): the run was interrupted" in stdout
    doc = result_of(out)
    assert doc["outcome"]["verdict"] == "INCOMPLETE" and doc["outcome"]["exit_code"] == 4
    assert doc["outcome"]["interrupted"].startswith("SIGTERM during ")
    verdicts = [s["verdict"] for s in doc["scenarios"]]
    assert verdicts[:3] == ["PASS"] * 3, verdicts
    assert verdicts[3] == "NOT RUN" and set(verdicts[4:]) == {"NOT RUN"}, verdicts
    assert len(verdicts) == catalogue_size()
    assert doc["outcome"]["final_sanity"] is None
    # CI sees red: junit.xml has the run's error, read by a real consumer.
    xml = junitparser.JUnitXml.fromfile(str(out / "junit.xml"))
    errors = [r for suite in xml for case in suite for r in case.result
              if isinstance(r, junitparser.Error)]
    assert [e.type for e in errors] == ["INCOMPLETE"], errors
    assert 'class="banner v-INCOMPLETE"' in (out / "index.html").read_text()


def test_a_second_interrupt_quits_at_once(tmp_path):
    """While the harness waits on something that does not answer (here a driver that accepts
    connections and says nothing), a second SIGINT ends the process at once, writing nothing."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        sut = sut_with_driver(tmp_path, "silent", silent)
        out = tmp_path / "r"
        p, killer = start("run", "--sut", str(sut), "--out", str(out))
        try:
            read_until(p, "vxpkit: the hub for silent listens at")
            p.send_signal(signal.SIGINT)
            read_until(p, "vxpkit: interrupted; writing")
            p.send_signal(signal.SIGINT)
            stdout, stderr = p.communicate(timeout=60)
        finally:
            killer.cancel()
    assert p.returncode == 128 + signal.SIGINT, stdout + stderr
    assert not (out / "result.json").exists()


def catalogue_size():
    """The number of scenarios `vxpkit list` counts on its last line ("51 scenarios; …")."""
    return int(run("list").stdout.strip().splitlines()[-1].split()[0])


def serve_info(s, info):
    """A driver that answers every request with `info` (what /driver/v1/info says)."""
    body = json.dumps(info).encode()
    while True:
        try:
            conn, _ = s.accept()
        except OSError:
            return
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         b"Connection: close\r\nContent-Length: " + str(len(body)).encode() +
                         b"\r\n\r\n" + body)


def test_the_harness_waits_for_a_driver_that_starts_after_it(tmp_path):
    """Issue 17, item 4: the vendor guide says "start the harness, then your system"; a driver
    that is not up yet gets the sanity deadline to come up, with a line saying so."""
    with socket.socket() as driver:
        driver.bind(("127.0.0.1", 0))  # bound, not listening: connections are refused
        sut = sut_with_driver(tmp_path, "late", driver)
        out = tmp_path / "r"
        p, killer = start("run", "--sut", str(sut), "--out", str(out), "--profile", "demo")
        try:
            seen = read_until(p, "waiting up to 3 s for your system's test-driver API")
            driver.listen()  # the system comes up
            threading.Thread(target=serve_info, args=(driver, {"api": "vxpkit-driver/1",
                             "organId": "000.00.00.H41"}), daemon=True).start()
            stdout, stderr = p.communicate(timeout=60)
        finally:
            killer.cancel()
    # The driver answered; nothing polled the hub, so the sanity check stops the run — after
    # the driver was connected, not with driver.unreachable.
    assert p.returncode == 2, "".join(seen) + stdout + stderr
    assert "driver.unreachable" not in stdout + stderr
    doc = result_of(out)
    assert doc["sut"]["control"] == "driver"
    assert doc["outcome"]["aborted"].startswith("the sanity check TRANSPORT-AUTH failed")


def test_a_driver_that_never_comes_up_is_unreachable_after_the_sanity_deadline(tmp_path):
    with socket.socket() as driver:
        driver.bind(("127.0.0.1", 0))
        sut = sut_with_driver(tmp_path, "never", driver)
        out = tmp_path / "r"
        r = run("run", "--sut", str(sut), "--out", str(out), "--profile", "demo")
    assert r.returncode == 2, r.stdout + r.stderr
    assert "waiting up to 3 s for your system's test-driver API" in r.stderr
    doc = result_of(out)
    assert doc["outcome"]["error"].startswith("driver.unreachable: ")
    assert "(waited 3 s, the sanity deadline, for it to come up)" in doc["outcome"]["error"]


def test_the_product_under_test_is_in_every_report(tmp_path):
    """Issue 17, item 8: the demo's driver names its product and version; every report shows
    them."""
    out = tmp_path / "r"
    r = run("demo", "--only", "INBOUND-VALID", "--out", str(out))
    assert r.returncode == 0, r.stdout + r.stderr
    version = run("--version").stdout.split()[-1]
    product = {"name": "vxpkit reference agency", "version": version}
    assert result_of(out)["sut"]["product"] == product
    assert f"against vxpkit-demo, vxpkit reference agency {version} (" in r.stdout
    assert json.loads((out / "report.json").read_text())["sut"]["product"] == product
    assert f'<span id="product">vxpkit reference agency {version}</span>' in (
        out / "index.html").read_text()
    xml = junitparser.JUnitXml.fromfile(str(out / "junit.xml"))
    props = {p.name: p.value for suite in xml for p in suite.properties()}
    assert props["product"] == "vxpkit reference agency" and props["product_version"] == version


def test_a_product_the_driver_contradicts_stops_the_run(tmp_path):
    with socket.socket() as driver:
        driver.bind(("127.0.0.1", 0))
        driver.listen()
        threading.Thread(target=serve_info, args=(driver, {
            "api": "vxpkit-driver/1", "organId": "000.00.00.H41",
            "product": {"name": "Other Office", "version": "9.0"}}), daemon=True).start()
        sut = sut_with_driver(tmp_path, "twofaced", driver,
                              product={"name": "eOffice", "version": "5.2"})
        out = tmp_path / "r"
        r = run("run", "--sut", str(sut), "--out", str(out), "--profile", "demo")
    assert r.returncode == 2, r.stdout + r.stderr
    assert ("config.sut: the SUT file names the product 'eOffice' 5.2, but its driver says "
            "'Other Office' 9.0") in r.stdout


def test_a_run_in_vietnamese_keeps_its_language(tmp_path):
    out = tmp_path / "r"
    r = run("demo", "--lang", "vi", "--fault", "reject-without-reason", "--only",
            "LIFECYCLE-REASON", "--out", str(out))
    assert r.returncode == 1, r.stdout + r.stderr
    # The terminal summary: verdict names and titles in Vietnamese, the replay command as is.
    assert "KHÔNG ĐẠT  LIFECYCLE-REASON: Trạng thái từ chối (02) kèm lý do" in r.stdout, r.stdout
    assert "chạy lại: vxpkit demo --fault reject-without-reason --only LIFECYCLE-REASON" in r.stdout
    assert "kết luận KHÔNG ĐẠT (mã thoát 1)" in r.stdout
    doc = result_of(out)
    assert doc["run"]["lang"] == "vi"
    page = (out / "index.html").read_bytes()
    assert b'<html lang="vi">' in page
    # Rendering again, without saying the language, gives the same bytes: the run's language is
    # kept in result.json (a signed result stays verifiable after `vxpkit report`).
    assert run("report", str(out)).returncode == 0
    assert (out / "index.html").read_bytes() == page
    # Another language on request, without touching result.json.
    before = (out / "result.json").read_bytes()
    assert run("report", str(out), "--lang", "en").returncode == 0
    assert b'<html lang="en">' in (out / "index.html").read_bytes()
    assert (out / "result.json").read_bytes() == before
    r = run("report", str(out), "--lang", "fr")
    assert r.returncode == 2 and "--lang" in r.stderr and "en" in r.stderr and "vi" in r.stderr
