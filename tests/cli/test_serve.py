"""`vxpkit serve` end to end, as a newcomer and a CI job meet it: --demo prints accounts and a
token; a person signs in with headless Chromium through Selenium, switches to Vietnamese, makes an
API token and signs out; curl-like requests use the API with and without a token; the OpenAPI
document served is the one in docs/; SIGTERM stops it, and a restart keeps everything."""
import json
import re
import signal
import subprocess
import urllib.error
import urllib.request

import pytest

from cli_util import ROOT, VXPKIT

CHROMIUM = "/usr/bin/chromium"


class Service:
    def __init__(self, data, *extra):
        self.proc = subprocess.Popen([VXPKIT, "serve", "--listen", "127.0.0.1:0", "--data",
                                      str(data), *extra],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines = []
        for line in self.proc.stdout:
            self.lines.append(line)
            if line.startswith("listening on "):
                self.url = line.split()[-1]
                break
        else:
            raise AssertionError("no 'listening on' line: " + "".join(self.lines) +
                                 self.proc.stderr.read())

    def printed(self, pattern):
        m = re.search(pattern, "".join(self.lines))
        assert m, "".join(self.lines)
        return m.group(1)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        out, err = self.proc.communicate(timeout=30)
        return self.proc.returncode, out, err


def get(url, token=None, body=None):
    """GET, or POST `body` (JSON) when given: status, text, headers."""
    request = urllib.request.Request(url, data=None if body is None else json.dumps(body).encode(),
                                     method="GET" if body is None else "POST")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, r.read().decode(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), dict(e.headers)


def wait_for(browser, condition, seconds=10):
    """Until `condition(browser)` holds: a click that loads a page returns before the page does."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    # A page that reloads itself (a run's page when the run ends), or the next page of a form
    # that was just submitted, can replace an element between finding it and reading it: that is
    # asked again, not a failure. Chromium says so in one of two ways.
    def asked(b):
        try:
            return condition(b)
        except WebDriverException as e:
            if "does not belong to the document" in str(e):
                return False
            raise

    WebDriverWait(browser, seconds,
                  ignored_exceptions=(StaleElementReferenceException,)).until(asked)


def agency_log(args):
    """What `vxpkit agency ARGS` prints in a second and a half of polling."""
    agency = subprocess.Popen([VXPKIT, *args, "--poll-ms", "100"], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        agency.wait(timeout=1.5)
    except subprocess.TimeoutExpired:
        agency.send_signal(signal.SIGTERM)
    return agency.communicate(timeout=30)[0]


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service as DriverService

    options = Options()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--window-size=1200,900"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=DriverService("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    driver.implicitly_wait(5)  # a click that submits a form returns before the next page is in
    yield driver
    driver.quit()


def test_a_newcomer_signs_in_makes_a_token_and_ci_uses_it(tmp_path, browser):
    from selenium.webdriver.common.by import By

    service = Service(tmp_path / "data", "--demo")
    try:
        email = "vendor@demo.vxpkit.vn"
        password = service.printed(r"demo vendor vendor@demo\.vxpkit\.vn password (\S+)")
        demo_token = service.printed(r"demo API token \(vendor\) (vxpt_\S+)")

        browser.get(service.url + "/")
        assert browser.current_url.endswith("/login")
        browser.find_element(By.ID, "email").send_keys(email)
        browser.find_element(By.ID, "password").send_keys("not the password")
        browser.find_element(By.ID, "sign-in").click()
        assert browser.find_element(By.ID, "error").text == "Wrong e-mail or password."
        browser.find_element(By.ID, "email").clear()
        browser.find_element(By.ID, "email").send_keys(email)
        browser.find_element(By.ID, "password").send_keys(password)
        browser.find_element(By.ID, "sign-in").click()
        assert browser.find_element(By.ID, "whoami").text == \
            "Signed in as Demo Vendor (vendor@demo.vxpkit.vn)."
        # The session cookie is not readable by a script of the page.
        assert "vxp_session" not in browser.execute_script("return document.cookie")

        browser.find_element(By.LINK_TEXT, "Tiếng Việt").click()
        # A click returns before the next page is in: wait for it.
        wait_for(browser, lambda b: b.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi")
        assert browser.find_element(By.ID, "role").text == "Vai trò: nhà cung cấp, Demo vendor."
        browser.find_element(By.LINK_TEXT, "Mã truy cập API").click()
        browser.find_element(By.ID, "token-name").send_keys("CI nhánh main")
        browser.find_element(By.ID, "create-token").click()
        token = browser.find_element(By.ID, "new-token").text
        assert token.startswith("vxpt_") and token != demo_token
        assert "CI nhánh main" in browser.find_element(By.ID, "tokens").text

        # A CI job needs only the token.
        status, body, headers = get(service.url + "/api/v1/me")
        assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
        assert json.loads(body)["error"]["code"] == "unauthenticated"
        for t in (token, demo_token):
            status, body, _ = get(service.url + "/api/v1/me", t)
            assert status == 200, body
            me = json.loads(body)
            assert me["email"] == email and me["role"] == "vendor"
        # What a CI job may run: the plans and the scenarios to select from.
        status, body, _ = get(service.url + "/api/v1/plans", token)
        assert status == 200, body
        plans = json.loads(body)
        assert [p["name"] for p in plans["plans"]] == ["self-test", "certification"]
        ids = {s["id"]: s for s in plans["scenarios"]}
        assert ids["OUTBOUND-VALID"]["needs_control"] and ids["TRANSPORT-AUTH"]["level"] == "MUST"
        assert len(ids) == len(plans["scenarios"]) > 40
        assert get(service.url + "/api/v1/plans")[0] == 401
        status, body, _ = get(service.url + "/api/openapi.json")
        assert status == 200
        assert json.loads(body) == json.loads((ROOT / "docs" / "openapi.json").read_text())

        # The demo system is the vendor's, and the reference agency connects to its hub with
        # the printed command: it polls without a refusal; with another secret it is refused.
        browser.find_element(By.LINK_TEXT, "Hệ thống").click()
        assert "Reference agency" in browser.find_element(By.ID, "systems").text
        command = service.printed(r"run the reference agency as it with: vxpkit (agency .*)")
        args = command.split()
        log = agency_log(args)
        assert "polling " + service.url + "/hub/" in log and "poll failed" not in log, log
        system = args[args.index("--system") + 1]
        args[args.index("--system") + 1] = system.split(":")[0] + ":not-the-secret"
        log = agency_log(args)
        assert "poll failed: hub.1003" in log, log

        browser.get(service.url + "/")
        browser.find_element(By.ID, "logout").click()
        wait_for(browser, lambda b: b.current_url.endswith("/login"))
        browser.get(service.url + "/tokens")
        assert browser.current_url.endswith("/login")
    finally:
        code, out, err = service.stop()
    assert code == 0, out + err
    assert "stopped" in out

    # A restart keeps the accounts and tokens, and --demo does not make them twice.
    again = Service(tmp_path / "data", "--demo")
    try:
        assert "made by an earlier --demo start" in "".join(again.lines)
        status, _, _ = get(again.url + "/api/v1/me", token)
        assert status == 200
    finally:
        assert again.stop()[0] == 0


def test_bad_settings_are_usage_errors(tmp_path):
    r = subprocess.run([VXPKIT, "serve", "--listen", "nowhere", "--data", str(tmp_path)],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and "--listen 'nowhere' is not HOST:PORT" in r.stderr
    r = subprocess.run([VXPKIT, "serve", "--data", str(tmp_path), "--tls-cert", "x.pem"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 2
    r = subprocess.run([VXPKIT, "serve"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and "--data" in r.stderr


def finished(service, token, run_id, seconds=90):
    """The run's JSON once it is finished (polled every 0.2 s, at most `seconds`)."""
    import time
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, body, _ = get(f"{service.url}/api/v1/runs/{run_id}", token)
        assert status == 200, body
        run = json.loads(body)
        if run["status"] == "finished":
            return run
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} still under way after {seconds} s: {run}")


def test_ci_runs_a_plan_against_the_vendors_system_and_reads_its_junit(tmp_path, browser):
    """The vendor's system (the reference agency, connected with the printed command) is run
    through the API as a CI job would: start, poll, read junit.xml; the browser shows the run
    and its report. A cancelled run, and one under way when the service stops, end INCOMPLETE
    with what they finished, and a restart shows them."""
    import junitparser
    from selenium.webdriver.common.by import By

    service = Service(tmp_path / "data", "--demo")
    command = service.printed(r"run the reference agency as it with: vxpkit (agency .*)").split()
    token = service.printed(r"demo API token \(vendor\) (vxpt_\S+)")
    agency = subprocess.Popen([VXPKIT, *command, "--poll-ms", "50"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        status, body, _ = get(service.url + "/api/v1/systems", token)
        system = json.loads(body)["systems"][0]
        start = f"{service.url}/api/v1/systems/{system['id']}/runs"
        # A selection that selects nothing is refused before anything runs.
        status, body, _ = get(start, token, {"plan": "self-test", "only": ["INBUOND-*"]})
        assert status == 400 and "INBUOND-*" in json.loads(body)["error"]["message"]
        status, body, headers = get(start, token, {"plan": "self-test", "profile": "demo",
                                                   "only": ["INBOUND-VALID", "INBOUND-BAD-DATE"]})
        assert status == 202, body
        run_id = json.loads(body)["id"]
        assert headers["Location"] == f"/api/v1/runs/{run_id}"
        run = finished(service, token, run_id)
        assert run["verdict"] == "PASS" and run["exit_code"] == 0, run
        status, body, _ = get(f"{service.url}/api/v1/runs/{run_id}/junit.xml", token)
        assert status == 200
        junit = tmp_path / "junit.xml"
        junit.write_text(body)
        cases = {c.name.split(":")[0] for s in junitparser.JUnitXml.fromfile(str(junit)) for c in s}
        assert cases == {"TRANSPORT-AUTH", "INBOUND-VALID", "INBOUND-BAD-DATE"}
        assert get(f"{service.url}/api/v1/runs/{run_id}/junit.xml")[0] == 401
        # Everything as one ZIP, read by Python's zipfile; `vxpkit report` renders the extracted
        # result again to the same page.
        import io
        import zipfile
        request = urllib.request.Request(f"{service.url}/api/v1/runs/{run_id}/zip")
        request.add_header("Authorization", "Bearer " + token)
        with urllib.request.urlopen(request, timeout=30) as r:
            assert r.headers["Content-Type"] == "application/zip"
            archive = zipfile.ZipFile(io.BytesIO(r.read()))
        names = set(archive.namelist())
        top = f"run-{run_id}/"
        for name in ("result.json", "index.html", "junit.xml", "report.json",
                     "evidence/INBOUND-VALID/exchanges.json"):
            assert top + name in names, sorted(names)
        archive.extractall(tmp_path / "unzipped")
        unzipped = tmp_path / "unzipped" / f"run-{run_id}"
        page = (unzipped / "index.html").read_bytes()
        r = subprocess.run([VXPKIT, "report", str(unzipped)], capture_output=True, text=True,
                           timeout=60)
        assert r.returncode == 0, r.stderr
        assert (unzipped / "index.html").read_bytes() == page

        # The browser: the run's page and its report.
        password = service.printed(r"demo vendor vendor@demo\.vxpkit\.vn password (\S+)")
        browser.get(service.url + "/login")
        browser.find_element(By.ID, "email").send_keys("vendor@demo.vxpkit.vn")
        browser.find_element(By.ID, "password").send_keys(password)
        browser.find_element(By.ID, "sign-in").click()
        browser.find_element(By.ID, "whoami")  # signed in (the implicit wait), then elsewhere
        browser.get(f"{service.url}/runs/{run_id}")
        assert browser.find_element(By.ID, "run-status").get_attribute("data-verdict") == "PASS"
        browser.find_element(By.LINK_TEXT, "index.html").click()
        assert browser.find_element(By.ID, "run-verdict").text == "PASS"
        assert "Showing 3 of 3 scenarios" in browser.find_element(By.ID, "shown").text  # its script ran
        # Only the run's own files, whatever the path says.
        for sneaky in ("..%2F..%2Fservice.db", "%2E%2E/%2E%2E/service.db", "evidence/../../1"):
            browser.get(f"{service.url}/runs/{run_id}/files/{sneaky}")
            text = browser.find_element(By.TAG_NAME, "body").text
            # Refused by the run's file rule, or normalised by the browser to a page that is not
            # there; never the database.
            assert text == "no such file" or text.startswith("Not found"), (sneaky, text)
            assert "SQLite format" not in browser.page_source

        # Cancelled: INCOMPLETE, the scenarios it did not get to NOT RUN.
        status, body, _ = get(start, token, {"plan": "certification"})
        assert status == 202, body
        cancelled = json.loads(body)["id"]
        status, body, _ = get(start, token, {"plan": "self-test"})
        assert status == 409 and json.loads(body)["error"]["code"] == "service.busy"
        status, body, _ = get(f"{service.url}/api/v1/runs/{cancelled}/cancel", token, {})
        assert status == 202, body
        run = finished(service, token, cancelled)
        assert run["verdict"] == "INCOMPLETE" and run["exit_code"] == 4, run
        result = json.loads((tmp_path / "data" / "runs" / str(cancelled) / "result.json").read_text())
        assert result["outcome"]["verdict"] == "INCOMPLETE"
        assert any(s["verdict"] == "NOT RUN" for s in result["scenarios"])

        # The two runs compared: the scenarios the cancelled run did not reach are NOT RUN there.
        status, body, _ = get(f"{service.url}/api/v1/runs/compare?a={run_id}&b={cancelled}", token)
        assert status == 200, body
        changes = {c["id"]: c for c in json.loads(body)["scenarios"]}
        assert changes["INBOUND-VALID"]["before"] == "PASS"
        assert changes["INBOUND-VALID"]["after"] in ("PASS", "NOT RUN")
        browser.get(f"{service.url}/runs/{cancelled}")
        browser.find_element(By.ID, "compare").click()
        assert browser.find_element(By.ID, "changes").find_elements(By.TAG_NAME, "tr")

        # Under way when the service stops: it too ends INCOMPLETE, and a restart shows it.
        status, body, _ = get(start, token, {"plan": "certification"})
        stopped = json.loads(body)["id"]
    finally:
        code, out, err = service.stop()
        agency.terminate()
        agency.wait(timeout=30)
    assert code == 0, out + err
    again = Service(tmp_path / "data")
    try:
        status, body, _ = get(f"{again.url}/api/v1/runs/{stopped}", token)
        assert json.loads(body)["verdict"] == "INCOMPLETE", body
    finally:
        again.stop()


def events(service, token, run_id, after=0, until="end", seconds=60):
    """The run's feed read as a CI job would (Server-Sent Events through urllib, the token): each
    event as {"id", "event", "data"}, up to the first of type `until`."""
    request = urllib.request.Request(f"{service.url}/api/v1/runs/{run_id}/events?after={after}")
    request.add_header("Authorization", "Bearer " + token)
    out, event = [], {}
    with urllib.request.urlopen(request, timeout=seconds) as r:
        assert r.headers["Content-Type"].startswith("text/event-stream")
        for raw in r:
            line = raw.decode().rstrip("\n")
            if not line:
                if "event" in event:
                    out.append(event)
                    if event["event"] == until:
                        return out
                event = {}
            elif not line.startswith(":"):
                key, _, value = line.partition(": ")
                event[key] = json.loads(value) if key == "data" else value
    raise AssertionError(f"the stream ended before an event '{until}': {out}")


def test_a_run_is_watched_live_and_its_prompts_answered_in_the_browser(tmp_path, browser):
    """The demo system has no driver: a person runs it. Its run's page shows each verdict as it
    lands and the operator's prompt with its deadline, while the run waits for the action; a CI
    job follows the same feed as Server-Sent Events. Answering "my system cannot do this" ends
    the scenario's wait at once with a FAIL that says so. Without prompts (the API's default)
    the scenario is SKIP."""
    from selenium.webdriver.common.by import By

    service = Service(tmp_path / "data", "--demo")
    command = service.printed(r"run the reference agency as it with: vxpkit (agency .*)").split()
    token = service.printed(r"demo API token \(vendor\) (vxpt_\S+)")
    password = service.printed(r"demo vendor vendor@demo\.vxpkit\.vn password (\S+)")
    agency = subprocess.Popen([VXPKIT, *command, "--poll-ms", "50"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        browser.get(service.url + "/login")
        browser.find_element(By.ID, "email").send_keys("vendor@demo.vxpkit.vn")
        browser.find_element(By.ID, "password").send_keys(password)
        browser.find_element(By.ID, "sign-in").click()
        browser.find_element(By.ID, "whoami")
        browser.get(service.url + "/systems")
        form = browser.find_element(By.CSS_SELECTOR, "form.start-run")
        form.find_element(By.NAME, "only").send_keys("OUTBOUND-VALID")
        assert form.find_element(By.NAME, "prompts").is_selected()  # a system without a driver
        form.find_element(By.TAG_NAME, "button").click()
        wait_for(browser, lambda b: re.search(r"/runs/\d+$", b.current_url))
        run_id = int(browser.current_url.rsplit("/", 1)[1])

        # The sanity check's verdict arrives while the run waits for the operator.
        wait_for(browser, lambda b: b.find_elements(By.ID, "prompt-1"), seconds=60)
        row = browser.find_element(By.CSS_SELECTOR, "#scenarios tr[data-id='TRANSPORT-AUTH']")
        assert row.get_attribute("data-verdict") == "PASS"
        prompt = browser.find_element(By.ID, "prompt-1")
        assert "send a new document" in prompt.text
        wait_for(browser, lambda b: re.search(r"\d+ s left",
                                              b.find_element(By.ID, "prompt-1").text))
        assert browser.find_elements(By.CSS_SELECTOR, "#traffic li")  # the agency's polls
        status, body, _ = get(f"{service.url}/api/v1/runs/{run_id}", token)
        assert json.loads(body)["status"] == "running"

        # CI reads the same feed: the verdict so far, the system's traffic, the prompt.
        feed = events(service, token, run_id, until="prompt")
        if not any(e["event"] == "traffic" for e in feed):
            # A request's traffic event follows its answer, which may already have let the
            # harness go on to the prompt: the agency keeps polling while the run waits.
            feed += events(service, token, run_id, after=feed[-1]["id"], until="traffic")
        kinds = {e["event"] for e in feed}
        assert {"progress", "scenario", "traffic", "prompt"} <= kinds, kinds
        verdicts = {e["data"]["id"]: e["data"]["verdict"] for e in feed if e["event"] == "scenario"}
        assert verdicts == {"TRANSPORT-AUTH": "PASS"}
        traffic = [e["data"] for e in feed if e["event"] == "traffic"]
        assert any(t["status"] == 200 and t["code"] == "0" for t in traffic), traffic[:3]
        assert [int(e["id"]) for e in feed] == list(range(1, len(feed) + 1))

        browser.find_element(By.CSS_SELECTOR, "#prompt-1 .answer-cannot").click()
        wait_for(browser, lambda b: b.find_element(By.ID, "run-status")
                 .get_attribute("data-status") == "finished", seconds=60)
        assert browser.find_element(By.ID, "run-status").get_attribute("data-verdict") == "FAIL"
        # The rest of the feed, taken up after the last event seen: the answer, the verdict.
        rest = events(service, token, run_id, after=feed[-1]["id"])
        assert int(rest[0]["id"]) == int(feed[-1]["id"]) + 1
        answer = next(e["data"] for e in rest if e["event"] == "answer")
        assert answer["answer"] == "cannot" and answer["by"] == "vendor@demo.vxpkit.vn"
        assert rest[-1]["data"]["verdict"] == "FAIL"
        status, body, _ = get(f"{service.url}/api/v1/runs/{run_id}/report.json", token)
        scenario = next(s for s in json.loads(body)["scenarios"] if s["id"] == "OUTBOUND-VALID")
        assert scenario["verdict"] == "FAIL"
        assert "the operator answered that the system cannot" in json.dumps(scenario)

        # A CI job on the same system, without prompts: that scenario cannot be run, SKIP.
        system = json.loads(get(service.url + "/api/v1/systems", token)[1])["systems"][0]
        status, body, _ = get(f"{service.url}/api/v1/systems/{system['id']}/runs", token,
                              {"plan": "self-test", "only": ["OUTBOUND-VALID"]})
        assert status == 202, body
        skipped = json.loads(body)["id"]
        assert events(service, token, skipped)[-1]["event"] == "end"
        status, body, _ = get(f"{service.url}/api/v1/runs/{skipped}/report.json", token)
        scenario = next(s for s in json.loads(body)["scenarios"] if s["id"] == "OUTBOUND-VALID")
        assert scenario["verdict"] == "SKIP", scenario

        # A second system, registered with a webhook: told when its run is over, signed with
        # its hub secret (checked here with Python's hmac).
        import hashlib
        import hmac
        import http.server
        import queue
        import threading
        told = queue.Queue()

        class Hook(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                told.put((self.path, dict(self.headers), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        hook = http.server.HTTPServer(("127.0.0.1", 0), Hook)
        threading.Thread(target=hook.serve_forever, daemon=True).start()
        browser.get(service.url + "/systems")
        for field, value in (("name", "Hệ thống có webhook"), ("product", "QLVB"),
                             ("version", "2.0"), ("agencies", "000.00.00.H53"),
                             ("webhook", f"http://127.0.0.1:{hook.server_port}/vxpkit")):
            browser.find_element(By.ID, field).send_keys(value)
        browser.find_element(By.ID, "cap_receive").click()
        browser.find_element(By.ID, "register-system").click()
        hub_id = browser.find_element(By.ID, "hub-id").text
        secret = browser.find_element(By.ID, "hub-secret").text
        second = subprocess.Popen([VXPKIT, "agency", "--hub",
                                   browser.find_element(By.ID, "hub-url").text, "--system",
                                   f"{hub_id}:{secret}", "--organ", "000.00.00.H53",
                                   "--poll-ms", "50"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            systems = json.loads(get(service.url + "/api/v1/systems", token)[1])["systems"]
            mine = next(x for x in systems if x["name"] == "Hệ thống có webhook")
            status, body, _ = get(f"{service.url}/api/v1/systems/{mine['id']}/runs", token,
                                  {"plan": "self-test", "only": ["INBOUND-VALID"]})
            assert status == 202, body
            hooked = json.loads(body)["id"]
            path, headers, body = told.get(timeout=60)
        finally:
            second.terminate()
            second.wait(timeout=30)
            hook.shutdown()
        assert path == "/vxpkit" and headers["X-Vxpkit-Event"] == "run.finished"
        assert headers["X-Vxpkit-Signature"] == \
            "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        run = json.loads(body)["run"]
        assert run["id"] == hooked and run["verdict"] == "PASS", run
        assert run["url"] == f"{service.url}/api/v1/runs/{hooked}"
    finally:
        code, out, err = service.stop()
        agency.terminate()
        agency.wait(timeout=30)
    assert code == 0, out + err


def test_the_openapi_document_is_valid_openapi_3():
    """docs/openapi.json (which the service serves, test above) against the OpenAPI 3.0 JSON
    Schema (vendored: tests/cli/vendor/openapi-3.0), and with openapi-spec-validator too when
    it is installed; a document with a response lacking its description is refused."""
    import copy
    import jsonschema

    schema = json.loads((ROOT / "tests/cli/vendor/openapi-3.0/schema.json").read_text())
    document = json.loads((ROOT / "docs" / "openapi.json").read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []
    assert document["openapi"].startswith("3.0.")
    broken = copy.deepcopy(document)
    broken["paths"]["/api/v1/me"]["get"]["responses"]["200"].pop("description")
    assert not validator.is_valid(broken)
    try:
        from openapi_spec_validator import validate
    except ImportError:
        return  # not a Debian package: the JSON Schema above is the check
    validate(document)


def sign_in(browser, service, email, password):
    from selenium.webdriver.common.by import By
    browser.get(service.url + "/login")
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.ID, "sign-in").click()


def add_user(browser, organisation, email, name, role):
    """On the Administration page (open): adds a user, signs the administrator out, and returns
    the first password shown once."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    Select(browser.find_element(By.ID, "organisation")).select_by_visible_text(organisation)
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "name").send_keys(name)
    Select(browser.find_element(By.ID, "role")).select_by_value(role)
    browser.find_element(By.ID, "add-user").click()
    # The page before may have had a notice too (an organisation added): wait for the new one.
    wait_for(browser, lambda b: "first password" in b.find_element(By.ID, "notice").text)
    password = re.search(r"first password: (\S+) \(shown once\)",
                         browser.find_element(By.ID, "notice").text).group(1)
    browser.find_element(By.ID, "logout").click()
    wait_for(browser, lambda b: b.current_url.endswith("/login"))
    return password


def verdicts(service, token, run_id):
    """{scenario: verdict} of a finished run, from its report.json."""
    run = finished(service, token, run_id)
    assert run["status"] == "finished", run
    status, body, _ = get(f"{service.url}/api/v1/runs/{run_id}/report.json", token)
    assert status == 200, body
    return {s["id"]: s["verdict"] for s in json.loads(body)["scenarios"]}


def test_two_vendors_are_kept_apart_and_run_at_once(tmp_path, browser):
    """An administrator adds a second vendor; each vendor's system runs alone and then both at
    once, with the same verdicts; the second vendor cannot reach the first's run by link, by URL
    or through the API; a form without its CSRF token is refused; repeated wrong passwords are
    throttled even before the right one."""
    from selenium.webdriver.common.by import By

    service = Service(tmp_path / "data", "--demo")
    command = service.printed(r"run the reference agency as it with: vxpkit (agency .*)").split()
    token_a = service.printed(r"demo API token \(vendor\) (vxpt_\S+)")
    admin = service.printed(r"demo admin admin@demo\.vxpkit\.vn password (\S+)")
    agencies = [subprocess.Popen([VXPKIT, *command, "--poll-ms", "50"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        sign_in(browser, service, "admin@demo.vxpkit.vn", admin)
        browser.find_element(By.ID, "whoami")
        browser.get(service.url + "/admin")
        browser.find_element(By.ID, "organisation-name").send_keys("Công ty Phần mềm B")
        browser.find_element(By.ID, "add-organisation").click()
        browser.find_element(By.ID, "notice")
        password_b = add_user(browser, "Công ty Phần mềm B", "b@vendor-b.vn", "Trần Thị Bình",
                              "vendor")

        # The second vendor registers its system, connects it, makes a token.
        sign_in(browser, service, "b@vendor-b.vn", password_b)
        browser.find_element(By.ID, "whoami")
        browser.get(service.url + "/systems")
        for field, value in (("name", "Hệ thống B"), ("product", "QLVB B"), ("version", "1.0"),
                             ("agencies", "000.00.00.H53")):
            browser.find_element(By.ID, field).send_keys(value)
        browser.find_element(By.ID, "cap_receive").click()
        browser.find_element(By.ID, "register-system").click()
        credentials = f"{browser.find_element(By.ID, 'hub-id').text}:" \
                      f"{browser.find_element(By.ID, 'hub-secret').text}"
        agencies.append(subprocess.Popen(
            [VXPKIT, "agency", "--hub", browser.find_element(By.ID, "hub-url").text, "--system",
             credentials, "--organ", "000.00.00.H53", "--poll-ms", "50"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        browser.get(service.url + "/tokens")
        browser.find_element(By.ID, "token-name").send_keys("CI")
        browser.find_element(By.ID, "create-token").click()
        token_b = browser.find_element(By.ID, "new-token").text
        system_a = json.loads(get(service.url + "/api/v1/systems", token_a)[1])["systems"]
        system_b = json.loads(get(service.url + "/api/v1/systems", token_b)[1])["systems"]
        assert [s["name"] for s in system_b] == ["Hệ thống B"]  # only its own
        assert "Hệ thống B" not in [s["name"] for s in system_a]

        plan = {"plan": "self-test", "only": ["INBOUND-VALID", "INBOUND-BAD-DATE"]}

        def start(system, token):
            status, body, _ = get(f"{service.url}/api/v1/systems/{system[0]['id']}/runs", token,
                                  plan)
            assert status == 202, body
            return json.loads(body)["id"]

        alone_a = verdicts(service, token_a, start(system_a, token_a))
        alone_b = verdicts(service, token_b, start(system_b, token_b))
        run_a, run_b = start(system_a, token_a), start(system_b, token_b)
        together_a = verdicts(service, token_a, run_a)
        together_b = verdicts(service, token_b, run_b)
        # (Each run also hands out DocIds and document numbers its system was never given before:
        # the reference agency, like a real system, takes a repeat for a repeat.)
        assert together_a == alone_a and together_b == alone_b
        assert set(alone_a.values()) == {"PASS"} and set(alone_b.values()) == {"PASS"}

        # The first vendor's run is nowhere for the second: not listed, not by URL, not by API.
        browser.get(service.url + "/runs")
        assert f"/runs/{run_b}" in browser.page_source
        assert f"/runs/{run_a}\"" not in browser.page_source
        for path in ("", "/files/index.html", "/events", "/zip"):
            browser.get(f"{service.url}/runs/{run_a}{path}")
            assert browser.find_element(By.TAG_NAME, "body").text == \
                f"no run {run_a} you may see", path
        for path in ("", "/junit.xml", "/events", "/zip"):
            status, body, _ = get(f"{service.url}/api/v1/runs/{run_a}{path}", token_b)
            assert status == 404 and json.loads(body)["error"]["code"] == "not_found", path
        status, _, _ = get(f"{service.url}/api/v1/systems/{system_a[0]['id']}/runs", token_b, plan)
        assert status == 404

        # A form whose CSRF token was taken out is refused, and nothing is made.
        browser.get(service.url + "/tokens")
        browser.execute_script("document.getElementById('create-token').form"
                               ".querySelector('input[name=csrf]').remove()")
        browser.find_element(By.ID, "token-name").send_keys("sans CSRF")
        browser.find_element(By.ID, "create-token").click()
        wait_for(browser, lambda b: "CSRF" in b.find_element(By.TAG_NAME, "body").text)
        browser.get(service.url + "/tokens")
        assert "sans CSRF" not in browser.find_element(By.ID, "tokens").text

        # Five wrong passwords, then even the right one is throttled.
        browser.find_element(By.ID, "logout").click()
        wait_for(browser, lambda b: b.current_url.endswith("/login"))
        for _ in range(5):
            sign_in(browser, service, "b@vendor-b.vn", "not the password")
            assert browser.find_element(By.ID, "error").text == "Wrong e-mail or password."
        sign_in(browser, service, "b@vendor-b.vn", password_b)
        assert "Too many failed sign-ins" in browser.find_element(By.ID, "error").text
        assert not browser.find_elements(By.ID, "whoami")
    finally:
        code, out, err = service.stop()
        for agency in agencies:
            agency.terminate()
            agency.wait(timeout=30)
    assert code == 0, out + err


def test_an_office_starts_with_an_administrator_who_adds_a_certifier(tmp_path, browser):
    """--create-admin prints a first password once; a restart with the same option keeps that
    administrator (and says so) instead of failing; the administrator adds a certifier, who sees
    every organisation's systems but may not start their runs."""
    from selenium.webdriver.common.by import By

    service = Service(tmp_path / "data", "--create-admin", "ops@office.gov.vn", "--demo")
    password = service.printed(r"administrator ops@office\.gov\.vn password (\S+) \(shown once")
    try:
        sign_in(browser, service, "ops@office.gov.vn", password)
        browser.find_element(By.ID, "whoami")
        browser.get(service.url + "/admin")
        certifier = add_user(browser, "Administrators", "kiemdinh@office.gov.vn", "Lê Văn Kiểm",
                             "certifier")
        sign_in(browser, service, "kiemdinh@office.gov.vn", certifier)
        browser.find_element(By.ID, "whoami")
        browser.get(service.url + "/systems")
        assert "Reference agency" in browser.find_element(By.ID, "systems").text  # the vendor's
        assert not browser.find_elements(By.CSS_SELECTOR, "form.start-run")  # not theirs to run
    finally:
        assert service.stop()[0] == 0
    again = Service(tmp_path / "data", "--create-admin", "ops@office.gov.vn")
    try:
        assert "administrator ops@office.gov.vn exists" in "".join(again.lines)
        assert not re.search(r"password \S+ \(shown once", "".join(again.lines))  # none new
    finally:
        assert again.stop()[0] == 0


def office_pki(tmp_path):
    """A certifying office's CA and signing key, made with the openssl command (as an office
    would, docs/certification.md), and a second CA that vouches for nobody here."""
    def run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=60)
    for name, subject in (("ca", "/O=Test office CA/CN=Office root"),
                          ("other-ca", "/CN=Someone else")):
        run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", subject,
            "-keyout", str(tmp_path / f"{name}.key"), "-out", str(tmp_path / f"{name}.crt"))
    run("req", "-newkey", "rsa:2048", "-nodes", "-subj",
        "/O=Cục Kiểm định Thử nghiệm/CN=Certificates", "-utf8",
        "-keyout", str(tmp_path / "office.key"), "-out", str(tmp_path / "office.csr"))
    (tmp_path / "ext").write_text("keyUsage=digitalSignature\n")
    run("x509", "-req", "-in", str(tmp_path / "office.csr"), "-CA", str(tmp_path / "ca.crt"),
        "-CAkey", str(tmp_path / "ca.key"), "-CAcreateserial", "-days", "30",
        "-extfile", str(tmp_path / "ext"), "-out", str(tmp_path / "office.crt"))


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read()


def verify_certificate(tmp_path, *args):
    r = subprocess.run([VXPKIT, "verify-certificate", *map(str, args)], capture_output=True,
                       text=True, timeout=60)
    return r.returncode, r.stdout + r.stderr


def test_a_certifier_reviews_waives_certifies_and_revokes(tmp_path, browser):
    """The demo vendor's system (the reference agency, not driven: the scenarios that need it to
    act are SKIP) gets a certification run. The certifier reviews it in the browser: failures
    first; certifying is refused while verdicts are open; each open one is waived with a reason;
    certified. The public register lists the certificate; its PDF reads back with pdftotext and
    its QR code with zbarimg; openssl and verify-certificate accept the signed JSON and name each
    tampering. Revoked with a reason, the register says so and verify-certificate too."""
    from selenium.webdriver.common.by import By

    office_pki(tmp_path)
    service = Service(tmp_path / "data", "--demo", "--office-key", tmp_path / "office.key",
                      "--office-cert", tmp_path / "office.crt", "--certification-profile", "demo")
    command = service.printed(r"run the reference agency as it with: vxpkit (agency .*)").split()
    token = service.printed(r"demo API token \(vendor\) (vxpt_\S+)")
    certifier = service.printed(r"demo certifier certifier@demo\.vxpkit\.vn password (\S+)")
    agency = subprocess.Popen([VXPKIT, *command, "--poll-ms", "50"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        status, body, _ = get(service.url + "/api/v1/systems", token)
        system = json.loads(body)["systems"][0]
        status, body, _ = get(f"{service.url}/api/v1/systems/{system['id']}/runs", token,
                              {"plan": "certification"})
        assert status == 202, body
        run_id = json.loads(body)["id"]
        run = finished(service, token, run_id, seconds=240)
        assert run["profile"] == "demo" and run["decision"] is None and run["waivers"] == [], run

        sign_in(browser, service, "certifier@demo.vxpkit.vn", certifier)
        browser.find_element(By.ID, "whoami")
        browser.get(f"{service.url}/runs/{run_id}")
        browser.find_element(By.ID, "review").click()
        rows = browser.find_elements(By.CSS_SELECTOR, "#review tbody tr")
        needs = [r.get_attribute("data-needs-waiver") for r in rows]
        assert "yes" in needs and needs == sorted(needs, reverse=True), needs  # failures first
        open_ids = [r.get_attribute("data-scenario") for r in rows
                    if r.get_attribute("data-needs-waiver") == "yes"]

        # Certified too early: refused, naming what is open.
        browser.find_element(By.CSS_SELECTOR, "input[name=decision][value=certified]").click()
        browser.find_element(By.ID, "decide").click()
        wait_for(browser, lambda b: b.find_elements(By.ID, "error"))
        assert open_ids[0] in browser.find_element(By.ID, "error").text

        # Each open verdict waived with its reason, one form at a time.
        for scenario in open_ids:
            row = browser.find_element(By.CSS_SELECTOR, f"tr[data-scenario='{scenario}']")
            row.find_element(By.NAME, "reason").send_keys(f"{scenario}: shown to the office by hand")
            row.find_element(By.TAG_NAME, "button").click()
            wait_for(browser, lambda b: b.find_element(
                By.CSS_SELECTOR, f"tr[data-scenario='{scenario}'] .waiver"))
        assert browser.find_element(By.ID, "open").get_attribute("data-open") == "0"
        browser.find_element(By.CSS_SELECTOR, "input[name=decision][value=certified]").click()
        browser.find_element(By.NAME, "comments").send_keys("Đạt yêu cầu kiểm thử.")
        browser.find_element(By.ID, "decide").click()
        wait_for(browser, lambda b: b.find_elements(By.ID, "certificate"))
        assert browser.find_element(By.ID, "decision").get_attribute("data-decision") == "certified"
        browser.find_element(By.ID, "certificate").click()
        wait_for(browser, lambda b: b.find_elements(By.ID, "status"))
        certificate_url = browser.current_url
        assert browser.find_element(By.ID, "status").get_attribute("data-status") == "valid"

        # The vendor's run JSON carries the decision and every waiver.
        run = json.loads(get(f"{service.url}/api/v1/runs/{run_id}", token)[1])
        assert run["decision"]["decision"] == "certified"
        assert sorted(w["scenario"] for w in run["waivers"]) == sorted(open_ids)

        # The register, signed out: public.
        browser.delete_all_cookies()
        browser.get(service.url + "/register")
        row = browser.find_element(By.CSS_SELECTOR, "#register tbody tr")
        assert row.get_attribute("data-status") == "valid"
        assert "Demo vendor" in row.text and "Reference agency" in row.text
        number = row.find_element(By.TAG_NAME, "a").text
        assert re.fullmatch(r"VXP-C-\d{6}", number)
        cert_id = int(number[-6:])
        assert certificate_url == f"{service.url}/register/{cert_id}"

        files = {}
        for name in ("certificate.pdf", "certificate.json", "certificate.json.p7s"):
            files[name] = tmp_path / name
            files[name].write_bytes(fetch(f"{service.url}/register/{cert_id}/{name}"))
        (tmp_path / "register.json").write_bytes(fetch(service.url + "/register.json"))
        (tmp_path / "register.json.p7s").write_bytes(fetch(service.url + "/register.json.p7s"))

        # The PDF as people and their tools read it.
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(files["certificate.pdf"]), "-"],
                              capture_output=True, text=True, check=True, timeout=60).stdout
        for want in ("CERTIFICATE OF CONFORMANCE", "GIẤY CHỨNG NHẬN", number, "Demo vendor",
                     "Reference agency", "Cục Kiểm định Thử nghiệm", "profile demo",
                     "Đạt yêu cầu kiểm thử.", open_ids[0],
                     "không có / none"):  # no driver, no operator: the control says so
            assert want in text, (want, text)
        subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile",
                        str(files["certificate.pdf"]), str(tmp_path / "page")], check=True,
                       timeout=60)
        qr = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / "page.png")],
                            capture_output=True, text=True, timeout=60)
        assert qr.returncode == 0 and qr.stdout.strip() == certificate_url, qr

        # The PDF is signed by the office too: vxpkit's own PDF check, trusting the office's CA.
        (tmp_path / "trust").mkdir()
        (tmp_path / "trust" / "ca.crt").write_bytes((tmp_path / "ca.crt").read_bytes())
        r = subprocess.run([VXPKIT, "verify", "--trust", str(tmp_path / "trust"),
                            str(files["certificate.pdf"])], capture_output=True, text=True,
                           timeout=60)
        # Valid and trusted; the one remark is that no CRL of the office's CA was given.
        assert r.returncode == 0, r.stdout + r.stderr
        assert "signed by CN=Certificates,O=Cục Kiểm định Thử nghiệm" in r.stdout, r.stdout
        assert re.findall(r"(?:WARN|FAIL) (DSIG-\S+)", r.stdout) == [
            "DSIG-PDF-REVOCATION-UNCHECKED"], r.stdout
        # The signed JSON: openssl alone, then verify-certificate, then each tampering named.
        subprocess.run(["openssl", "cms", "-verify", "-binary", "-inform", "PEM", "-in",
                        str(files["certificate.json.p7s"]), "-content",
                        str(files["certificate.json"]), "-CAfile", str(tmp_path / "ca.crt"),
                        "-purpose", "any", "-out", "/dev/null"], check=True, capture_output=True,
                       timeout=60)
        facts = json.loads(files["certificate.json"].read_text())
        assert facts["vendor"] == "Demo vendor" and facts["run"]["id"] == run_id
        assert facts["verify_url"] == certificate_url
        base = [files["certificate.json"], "--trust", tmp_path / "ca.crt"]
        code, out = verify_certificate(tmp_path, *base, "--register", tmp_path / "register.json",
                                       "--pdf", files["certificate.pdf"])
        assert code == 0 and "VALID" in out, out
        altered = tmp_path / "altered.json"
        altered.write_text(files["certificate.json"].read_text().replace("Demo vendor", "Acme"))
        (tmp_path / "altered.json.p7s").write_bytes(files["certificate.json.p7s"].read_bytes())
        code, out = verify_certificate(tmp_path, altered, "--trust", tmp_path / "ca.crt")
        assert code == 1 and "NOT VALID: altered" in out, out
        code, out = verify_certificate(tmp_path, files["certificate.json"], "--trust",
                                       tmp_path / "other-ca.crt")
        assert code == 3 and "NOT VALID: untrusted" in out, out
        pdf = bytearray(files["certificate.pdf"].read_bytes())
        pdf[len(pdf) // 2] ^= 1
        (tmp_path / "altered.pdf").write_bytes(bytes(pdf))
        code, out = verify_certificate(tmp_path, *base, "--pdf", tmp_path / "altered.pdf")
        assert code == 1 and "NOT VALID: pdf altered" in out, out

        # Revoked by the certifier, with a reason; the register and verify-certificate say so.
        sign_in(browser, service, "certifier@demo.vxpkit.vn", certifier)
        browser.find_element(By.ID, "whoami")
        browser.get(certificate_url)
        browser.find_element(By.NAME, "reason").send_keys("Sản phẩm đã thay đổi sau chứng nhận")
        browser.find_element(By.ID, "revoke").click()
        wait_for(browser, lambda b: b.find_element(By.ID, "status").get_attribute(
            "data-status") == "revoked")
        assert "Sản phẩm đã thay đổi" in browser.find_element(By.ID, "status").text
        browser.get(service.url + "/register")
        assert browser.find_element(By.CSS_SELECTOR, "#register tbody tr").get_attribute(
            "data-status") == "revoked"
        (tmp_path / "register.json").write_bytes(fetch(service.url + "/register.json"))
        (tmp_path / "register.json.p7s").write_bytes(fetch(service.url + "/register.json.p7s"))
        code, out = verify_certificate(tmp_path, *base, "--register", tmp_path / "register.json")
        assert code == 1 and "revoked" in out and "Sản phẩm đã thay đổi" in out, out

        browser.get(service.url + "/audit")
        actions = [r.get_attribute("data-action")
                   for r in browser.find_elements(By.CSS_SELECTOR, "#audit tbody tr")]
        assert actions[0] == "certification run started" and actions[-1] == "revoked", actions
        assert actions.count("waiver") == len(open_ids)
    finally:
        code, out, err = service.stop()
        agency.terminate()
        agency.wait(timeout=30)
    assert code == 0, out + err
