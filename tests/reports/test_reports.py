"""The reports end to end, read by real consumers: junit.xml by junitparser, index.html by
headless Chromium (the numbers it shows against result.json; a screenshot is kept under the
build directory), signed results by `vxpkit verify-report` and by openssl, and no secret in
anything a run writes."""
import json
import os
import pathlib
import re
import shutil
import subprocess

import junitparser

ROOT = pathlib.Path(__file__).resolve().parents[2]
VXPKIT = os.environ.get("VXPKIT", str(ROOT / "build" / "bin" / "vxpkit"))
BUILD = pathlib.Path(os.environ.get("VXP_BUILD_DIR", str(ROOT / "build")))
FIXTURE = ROOT / "tests" / "reports" / "fixture"
KEYS = ROOT / "vectors" / "keys"
CHROMIUM = "/usr/bin/chromium"


def run(*args, timeout=120):
    return subprocess.run([VXPKIT, *args], capture_output=True, text=True, timeout=timeout)


def rendered_fixture(tmp_path):
    out = tmp_path / "result"
    shutil.copytree(FIXTURE, out)
    r = run("report", str(out))
    assert r.returncode == 0, r.stdout + r.stderr
    for name in ("index.html", "junit.xml", "report.json"):
        assert f"wrote {out / name}" in r.stdout
    return out


def expected_junit_outcome(s):
    """What a JUnit consumer must see for a scenario of result.json."""
    if s["unexpected_pass"]:
        return junitparser.Failure
    if s["verdict"] == "FAIL":
        return junitparser.Skipped if s["expected_failure"] else junitparser.Failure
    return {"PASS": None, "WARN": None, "SKIP": junitparser.Skipped,
            "INCONCLUSIVE": junitparser.Error, "ERROR": junitparser.Error}[s["verdict"]]


def test_junit_is_read_by_junitparser_with_every_scenario_and_verdict(tmp_path):
    out = rendered_fixture(tmp_path)
    doc = json.loads((out / "result.json").read_text())
    xml = junitparser.JUnitXml.fromfile(str(out / "junit.xml"))
    cases = {}
    for suite in xml:
        for case in suite:
            cases[case.name.split(":")[0]] = (suite.name, case)
    assert set(cases) == {s["id"] for s in doc["scenarios"]}
    for s in doc["scenarios"]:
        suite, case = cases[s["id"]]
        assert suite == s["category"]
        kinds = [type(r) for r in case.result]
        want = expected_junit_outcome(s)
        assert kinds == ([want] if want else []), (s["id"], kinds)
        assert case.system_out.startswith(f"verdict: {s['verdict']}\n")
        if s["verdict"] == "FAIL" and not s["expected_failure"]:
            finding = s["findings"][0]
            assert case.result[0].type == finding["rule_id"]
            assert finding["clause"] in case.result[0].text
            assert s["replay"] in case.result[0].text
    assert xml.tests == len(doc["scenarios"])


def dom_of(html_path):
    r = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                        "--virtual-time-budget=2000", "--dump-dom", html_path.as_uri()],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_chromium_shows_the_results_numbers_and_takes_a_screenshot(tmp_path):
    out = rendered_fixture(tmp_path)
    doc = json.loads((out / "result.json").read_text())
    dom = dom_of(out / "index.html")
    counts = doc["outcome"]["counts"]
    shown = dict(re.findall(r'data-count="([A-Z ]+)">(\d+)<', dom))
    assert {v: int(n) for v, n in shown.items()} == counts
    total = re.search(r'data-count="total">(\d+)<', dom)
    assert int(total.group(1)) == len(doc["scenarios"])
    # The filter script ran in the browser (it writes this line) and found every row.
    n = len(doc["scenarios"])
    assert f"Showing {n} of {n} scenarios" in dom
    assert f'id="run-verdict">{doc["outcome"]["verdict"]}<' in dom
    for s in doc["scenarios"]:
        assert f'id="s-{s["id"]}"' in dom
    shot = BUILD / "reports-screenshot.png"
    shot.unlink(missing_ok=True)
    r = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                        "--hide-scrollbars", "--window-size=1280,2400",
                        f"--screenshot={shot}", (out / "index.html").as_uri()],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert shot.stat().st_size > 10000


def test_chromium_prints_the_report_to_pdf(tmp_path):
    out = rendered_fixture(tmp_path)
    pdf = tmp_path / "report.pdf"
    r = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                        f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
                        (out / "index.html").as_uri()],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf.read_bytes())
    assert boxes and all(abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1
                         for w, h in boxes), boxes  # A4 in points, not US Letter


def test_html_loads_nothing_from_anywhere(tmp_path):
    out = rendered_fixture(tmp_path)
    html = (out / "index.html").read_text()
    assert not re.search(r'<[^>]*\s(src|srcset|action|poster|data|background)\s*=', html)
    for target in re.findall(r'href="([^"]*)"', html):
        assert target.startswith("#") or target.startswith("evidence/"), target
    assert "<link" not in html and "url(" not in html and "@import" not in html


def test_report_refuses_what_it_cannot_render(tmp_path):
    r = run("report", str(tmp_path))
    assert r.returncode == 2
    assert "is not a result directory" in r.stderr
    out = rendered_fixture(tmp_path)
    r = run("report", str(out), "--format", "html,pdf")
    assert r.returncode == 2 and "unknown report format 'pdf'" in r.stderr
    (out / "result.json").write_text('{"schema": "vxpkit-result/1"}')
    r = run("report", str(out))
    assert r.returncode == 2 and "result.json: suite is missing" in r.stderr


def signer_chain(tmp_path):
    chain = tmp_path / "signer.pem"
    chain.write_text((KEYS / "agency-h53.crt").read_text() +
                     (KEYS / "intermediate-ca.crt").read_text())
    return chain


def test_signed_demo_verifies_names_alterations_and_holds_no_secret(tmp_path):
    out = tmp_path / "signed"
    r = run("demo", "--only", "INBOUND-VALID", "--out", str(out), "--quiet",
            "--sign-key", str(KEYS / "agency-h53.key"), "--sign-cert", str(signer_chain(tmp_path)))
    assert r.returncode == 0, r.stdout + r.stderr
    assert (out / "manifest.json").exists() and (out / "manifest.json.p7s").exists()

    ok = run("verify-report", str(out), "--trust", str(KEYS / "root-ca.crt"))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "VERIFIED" in ok.stdout and "000.00.00.H53" in ok.stdout
    assert "signer: TRUSTED, chains to the CA given with --trust" in ok.stdout
    # Anyone can check the signature without vxpkit.
    cms = subprocess.run(["openssl", "cms", "-verify", "-binary", "-inform", "PEM",
                          "-in", str(out / "manifest.json.p7s"),
                          "-content", str(out / "manifest.json"),
                          "-CAfile", str(KEYS / "root-ca.crt"), "-purpose", "any",
                          "-out", os.devnull], capture_output=True, text=True)
    assert cms.returncode == 0, cms.stderr

    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["sut"]["secret"] == "(redacted)"
    assert manifest["suite"]["version"]
    assert "test-pki/root-ca.crt" in manifest["vectors"]
    listed = {f["path"] for f in manifest["files"]}
    assert {"result.json", "index.html", "junit.xml", "report.json"} <= listed
    assert any(p.startswith("evidence/INBOUND-VALID/") for p in listed)

    # No secret anywhere: the SUT's, or any part of the signing key.
    key_lines = [line for line in (KEYS / "agency-h53.key").read_text().splitlines()
                 if line and not line.startswith("-----")]
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"vxpkit-demo-secret" not in data, path
            assert b"PRIVATE KEY" not in data, path
            for line in key_lines:
                assert line.encode() not in data, path

    (out / "evidence" / "INBOUND-VALID" / "exchanges.json").write_text("[]")
    (out / "junit.xml").unlink()
    (out / "notes.txt").write_text("added later")
    bad = run("verify-report", str(out), "--trust", str(KEYS / "root-ca.crt"))
    assert bad.returncode == 1
    assert "altered: evidence/INBOUND-VALID/exchanges.json" in bad.stdout
    assert "missing: junit.xml" in bad.stdout
    assert "added: notes.txt" in bad.stdout
    assert "NOT VERIFIED: 3 of the files differ from what was signed" in bad.stdout

    (out / "manifest.json").write_text((out / "manifest.json").read_text().replace("PASS", "FAIL"))
    forged = run("verify-report", str(out))
    assert forged.returncode == 1
    assert "changed after signing" in forged.stdout

    other = run("verify-report", str(tmp_path))
    assert other.returncode == 1 and "is not signed" in other.stdout

    # A new unsigned run into the same directory leaves no stale signature behind.
    again = run("demo", "--only", "INBOUND-VALID", "--out", str(out), "--quiet")
    assert again.returncode == 0, again.stdout + again.stderr
    assert not (out / "manifest.json").exists() and not (out / "manifest.json.p7s").exists()


def test_a_forged_result_signed_with_a_key_of_ones_own_is_not_trusted(tmp_path):
    """Issue 17, item 1: a failing run edited to PASS, re-rendered and signed with a self-made
    key must not read VERIFIED: the files are intact, but nobody vouches for the signer."""
    out = tmp_path / "forged"
    r = run("demo", "--fault", "rejects-valid-documents", "--only", "INBOUND-VALID",
            "--out", str(out), "--quiet")
    assert r.returncode == 1, r.stdout + r.stderr
    doc = json.loads((out / "result.json").read_text())
    for s in doc["scenarios"]:
        s["verdict"], s["findings"], s["reason"] = "PASS", [], ""
    doc["outcome"].update(verdict="PASS", exit_code=0)
    (out / "result.json").write_text(json.dumps(doc))
    key, cert = tmp_path / "forger.key", tmp_path / "forger.crt"
    made = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                           "-keyout", str(key), "-out", str(cert), "-days", "30",
                           "-subj", "/CN=Forger/O=Nobody"], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    signed = run("report", str(out), "--sign-key", str(key), "--sign-cert", str(cert))
    assert signed.returncode == 0, signed.stdout + signed.stderr

    for trust in ([], ["--trust", str(KEYS / "root-ca.crt")]):
        v = run("verify-report", str(out), *trust)
        assert v.returncode == 3, v.stdout + v.stderr
        assert "files intact, signer NOT TRUSTED" in v.stdout
        assert "by O=Nobody,CN=Forger" in v.stdout  # the signer is shown
        assert "VERIFIED\n" not in v.stdout.replace("NOT VERIFIED", "")
    assert "does not reach the trust anchors" in v.stdout

    # The page says who signed, and that it cannot prove it by itself.
    dom = dom_of(out / "index.html")
    assert 'data-signed="yes"' in dom
    assert '<span id="certifier">Forger</span>' in dom
    assert '<span id="certifier-role">Nobody</span>' in dom
    assert "cannot prove its own signature" in dom


def test_the_page_says_who_signed_or_that_nobody_did(tmp_path):
    out = tmp_path / "signed"
    r = run("demo", "--only", "INBOUND-VALID", "--out", str(out), "--quiet",
            "--sign-key", str(KEYS / "agency-h53.key"), "--sign-cert", str(signer_chain(tmp_path)),
            "--certifier", "Nguyễn Thị Lan", "--certifier-role", "Chuyên viên kiểm định")
    assert r.returncode == 0, r.stdout + r.stderr
    doc = json.loads((out / "result.json").read_text())
    assert doc["signing"]["certifier"] == "Nguyễn Thị Lan"
    dom = dom_of(out / "index.html")
    assert '<span id="certifier">Nguyễn Thị Lan</span>' in dom
    assert '<span id="certifier-role">Chuyên viên kiểm định</span>' in dom
    assert doc["signing"]["fingerprint"] in dom
    assert f'<span id="signed-at">{doc["signing"]["signed_at"]}</span>' in dom
    ok = run("verify-report", str(out), "--trust", str(KEYS / "root-ca.crt"))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "certifier (as result.json says): Nguyễn Thị Lan, Chuyên viên kiểm định" in ok.stdout

    unsigned = tmp_path / "unsigned"
    r = run("demo", "--only", "INBOUND-VALID", "--out", str(unsigned), "--quiet")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "signing" not in json.loads((unsigned / "result.json").read_text())
    assert 'data-signed="no"' in dom_of(unsigned / "index.html")

    r = run("demo", "--only", "INBOUND-VALID", "--out", str(tmp_path / "x"), "--quiet",
            "--certifier", "Someone")
    assert r.returncode == 2 and "give them with --sign-key" in r.stderr


def test_signing_options_are_checked_before_the_run(tmp_path):
    r = run("demo", "--out", str(tmp_path / "x"), "--sign-key", str(KEYS / "agency-h53.key"))
    assert r.returncode == 2 and "--sign-key and --sign-cert go together" in r.stderr
    assert not (tmp_path / "x").exists()
    not_a_cert = tmp_path / "not-a-cert.pem"
    not_a_cert.write_text("hello")
    r = run("demo", "--out", str(tmp_path / "z"), "--sign-key", str(KEYS / "agency-h53.key"),
            "--sign-cert", str(not_a_cert))
    assert r.returncode == 2 and f"{not_a_cert}: the certificate" in r.stderr, r.stderr
    assert not (tmp_path / "z").exists()  # refused before the run
    r = run("demo", "--only", "INBOUND-VALID", "--out", str(tmp_path / "y"), "--quiet",
            "--sign-key", str(KEYS / "agency-g22.key"), "--sign-cert", str(KEYS / "agency-h53.crt"))
    assert r.returncode == 2
    assert "does not belong to the certificate" in r.stderr


def fails_run(s):
    return (s["unexpected_pass"] or (s["verdict"] == "FAIL" and not s["expected_failure"]) or
            s["verdict"] in ("ERROR", "INCONCLUSIVE"))


def test_failures_come_first_and_the_banner_names_untested_must_requirements(tmp_path):
    """Issue 17, item 10, in the browser: "What failed and why" above the table, listing exactly
    the scenarios that fail the run; the banner says which MUST requirements went untested."""
    out = rendered_fixture(tmp_path)
    doc = json.loads((out / "result.json").read_text())
    dom = dom_of(out / "index.html")
    assert dom.index('id="failures"') < dom.index('id="summary"') < dom.index('id="scenario-table"')
    listed = re.findall(r'<li data-failing="([^"]+)"', dom)
    assert listed == [s["id"] for s in doc["scenarios"] if fails_run(s)]
    untested = [q["id"] for q in doc["requirements"] if q["level"] == "MUST" and
                all(res["verdict"] in ("SKIP", "NOT RUN") for res in q["results"])]
    banner = re.search(r'<div class="banner[^"]*" id="banner">(.*?)</div>', dom, re.S).group(1)
    assert f"{len(untested)} MUST requirements were not tested by this run" in banner
    assert "The verdict says nothing about them." in banner


def test_a_diagnosis_is_stated_once(tmp_path):
    """The sanity check's diagnosis: not in the banner, the table or a FAIL line; once in "What
    failed and why" and once as the finding (its Actual, which says the same, is not repeated)."""
    sut = tmp_path / "sut.json"
    sut.write_text(json.dumps({"system": {"id": "acme", "secret": "s"},
                               "agencies": ["000.00.00.H41"], "hub": {"listen": "127.0.0.1:0"}}))
    out = tmp_path / "r"
    r = run("run", "--sut", str(sut), "--profile", "demo", "--out", str(out), "--quiet")
    assert r.returncode == 2, r.stdout + r.stderr
    dom = dom_of(out / "index.html")
    diagnosis = "no request reached the hub"
    banner = re.search(r'<div class="banner[^"]*" id="banner">(.*?)</div>', dom, re.S).group(1)
    table = re.search(r'<table id="scenario-table">(.*?)</table>', dom, re.S).group(1)
    assert diagnosis not in banner and diagnosis not in table
    assert "The sanity check stopped the run (exit 2)" in banner
    assert dom.count(diagnosis) == 2, dom.count(diagnosis)
    failures = re.search(r'<section id="failures">(.*?)</section>', dom, re.S).group(1)
    assert diagnosis in failures


def rendered_in_vietnamese(tmp_path):
    out = tmp_path / "result-vi"
    shutil.copytree(FIXTURE, out)
    r = run("report", str(out), "--lang", "vi")
    assert r.returncode == 0, r.stdout + r.stderr
    return out


def test_the_vietnamese_report_in_a_browser(tmp_path):
    """The page in Vietnamese, read and used through Selenium in headless Chromium: what a
    Vietnamese reader sees is Vietnamese, precomposed (NFC), with nothing left untranslated by
    mistake, and the page's script speaks it too."""
    import unicodedata

    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    out = rendered_in_vietnamese(tmp_path)
    doc = json.loads((out / "result.json").read_text())
    options = Options()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,1600"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.set_page_load_timeout(60)
        driver.get((out / "index.html").as_uri())
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi"
        text = driver.find_element(By.TAG_NAME, "body").text
        assert unicodedata.is_normalized("NFC", text)
        assert "⟦" not in text  # a message key the catalogue lacks
        assert re.search(r"\{[a-z_]+\}", text) is None  # a placeholder left unfilled
        # The fixture's run is an ERROR: the banner names it in Vietnamese, the machine-readable
        # name stays as it is for scripts.
        verdict = driver.find_element(By.ID, "run-verdict")
        assert verdict.text == "LỖI"
        assert verdict.get_attribute("data-verdict") == "ERROR"
        headings = [h.text for h in driver.find_elements(By.TAG_NAME, "h2")]
        assert "Lỗi gì và vì sao" in headings and "Tóm tắt" in headings
        # Scenario titles, requirement summaries and a finding's rule are in Vietnamese; what
        # the harness wrote during the run stays English, marked lang="en".
        row = driver.find_element(By.CSS_SELECTOR, 'tr[data-scenario="INBOUND-VALID"]')
        assert "Văn bản hợp lệ được lấy về, trả lời 01 (đã đến), rồi 03 (đã tiếp nhận)" in row.text
        assert "BẮT BUỘC" in row.text
        failing = driver.find_element(By.CSS_SELECTOR, 'li[data-failing="SIGNATURE-PDF-EXPIRED"]')
        assert "PDF ký bằng chứng thư số hết hạn bị từ chối" in failing.text
        assert "bị từ chối bằng 02 kèm lý do" in failing.find_element(By.CLASS_NAME, "gloss").text
        detail = failing.find_element(By.CSS_SELECTOR, 'span[lang="en"]')
        assert "the SUT accepted (03)" in detail.text
        coverage = driver.find_element(By.ID, "coverage-table").text
        assert "Mọi lời gọi mang các header XroadVnpt của hệ thống" in coverage
        # The filter works and says so in Vietnamese.
        n = len(doc["scenarios"])
        shown = driver.find_element(By.ID, "shown")
        assert shown.text == f"Đang hiển thị {n} trên {n} kịch bản"
        driver.find_element(By.CSS_SELECTOR, 'input[data-verdict-filter="PASS"]').click()
        passing = sum(1 for s in doc["scenarios"] if s["verdict"] == "PASS")
        assert shown.text == f"Đang hiển thị {n - passing} trên {n} kịch bản"
        assert not driver.find_element(
            By.CSS_SELECTOR, 'tr[data-scenario="INBOUND-VALID"]').is_displayed()
        driver.save_screenshot(str(BUILD / "reports-screenshot-vi.png"))
    finally:
        driver.quit()


def test_vietnamese_junit_is_read_by_junitparser(tmp_path):
    out = rendered_in_vietnamese(tmp_path)
    doc = json.loads((out / "result.json").read_text())
    xml = junitparser.JUnitXml.fromfile(str(out / "junit.xml"))
    cases = {case.name.split(":")[0]: case for suite in xml for case in suite}
    assert set(cases) == {s["id"] for s in doc["scenarios"]}
    expired = cases["SIGNATURE-PDF-EXPIRED"]
    assert expired.name == "SIGNATURE-PDF-EXPIRED: PDF ký bằng chứng thư số hết hạn bị từ chối"
    # The type stays the rule ID CI tools group by; the message leads with the rule in
    # Vietnamese, then the finding as the harness wrote it.
    failure = expired.result[0]
    assert failure.type == "RECV-REJECT-SIGNATURE"
    assert failure.message.startswith("RECV-REJECT-SIGNATURE: Văn bản có chữ ký bị thiếu")
    assert "the SUT accepted (03)" in failure.message
    assert "chạy lại: vxpkit demo" in failure.text
    assert expired.system_out.startswith("kết quả: KHÔNG ĐẠT\n")
    # result.json is the run's, untouched by rendering it in another language.
    assert (out / "result.json").read_bytes() == (FIXTURE / "result.json").read_bytes()
