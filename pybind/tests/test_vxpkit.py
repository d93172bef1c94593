"""The Python package vxpkit: each capability with a case that passes and one that must fail,
errors as VxpkitError with the library's code and message, no crash on bad input."""
import json
import os
import pathlib
import time
import urllib.request

import jsonschema
import pytest

import vxpkit

ROOT = pathlib.Path(os.environ.get("VXP_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
SCHEMA = json.loads((ROOT / "docs" / "result-schema.json").read_text())


def test_import_version_and_catalogue():
    assert vxpkit.__version__.count(".") == 2
    ids = [s["id"] for s in vxpkit.catalogue()]
    assert ids[0] == "TRANSPORT-AUTH" and len(ids) == len(set(ids)) >= 40
    assert ("reference", ) == vxpkit.profiles()[0][:1]


def test_sample_round_trips_and_validates():
    doc = vxpkit.sample_document()
    assert doc.kind == "document" and doc.to == ["000.00.00.H53"]
    again = vxpkit.parse(doc.to_xml())
    assert again.document_id == doc.document_id
    j = vxpkit.validate(doc.to_xml(), today="2026/11/21")
    assert j.verdict == "PASS" and j.ok and j.findings == []
    assert j.package.document_id == doc.document_id
    status = vxpkit.sample_status("02")
    assert status.kind == "status" and status.status_code == "02" and status.description


def test_a_broken_package_is_findings_not_an_exception():
    doc = vxpkit.sample_document()
    xml = doc.to_xml().replace(b"2026/11/20", b"2026-11-20", 1)
    j = vxpkit.validate(xml)
    assert j.verdict == "FAIL" and not j.ok
    assert "EDXML-HDR-1.4-DATE" in [f.rule_id for f in j.findings]
    f = next(f for f in j.findings if f.rule_id == "EDXML-HDR-1.4-DATE")
    assert f.level == "MUST" and f.line > 0 and f.to_dict()["rule_id"] == f.rule_id


@pytest.mark.parametrize("data", [b"", b"\x00\xff garbage", b"<a>", "<?xml version='1.0'?><x/>",
                                  b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>"])
def test_hostile_or_garbage_bytes_never_crash(data):
    j = vxpkit.validate(data)
    assert j.verdict == "FAIL" and j.findings
    with pytest.raises(vxpkit.VxpkitError) as e:
        vxpkit.parse(data)
    assert e.value.code.startswith("EDXML-")
    assert str(e.value).startswith(e.value.code + ": ")


def test_parse_names_the_dtd_rule():
    with pytest.raises(vxpkit.VxpkitError) as e:
        vxpkit.parse(b"<!DOCTYPE x [<!ENTITY a 'b'>]><x/>")
    assert e.value.code == "EDXML-XML-DTD"


def test_sign_and_verify_with_the_test_pki():
    key, cert, chain = vxpkit.test_credential("agency-g22")
    signed = vxpkit.sign(vxpkit.sample_document().to_xml(), key, cert, chain)
    assert b"SignatureValue" in signed
    assert vxpkit.verify(signed, require_signed_pdf=False) == []
    tampered = signed.replace(b"<edXMLBody", b"<edXMLBody ", 1).replace(b"7816", b"7817", 1)
    rules = [f.rule_id for f in vxpkit.verify(tampered, require_signed_pdf=False)]
    assert "DSIG-ENV-DIGEST" in rules or "DSIG-ENV-VALUE" in rules, rules
    pdf = vxpkit.sign_pdf(vxpkit.make_test_pdf(["Công văn"]), key, cert, chain)
    assert vxpkit.verify(pdf) == []
    assert [f.rule_id for f in vxpkit.verify(vxpkit.make_test_pdf(["x"]))] == ["DSIG-PDF-UNSIGNED"]


def test_signing_errors_keep_the_library_message():
    key, _, _ = vxpkit.test_credential("agency-g22")
    _, other_cert, _ = vxpkit.test_credential("agency-h53")
    with pytest.raises(vxpkit.VxpkitError) as e:
        vxpkit.sign(vxpkit.sample_document().to_xml(), key, other_cert)
    assert e.value.code == "signing.key"
    assert "does not belong to the certificate" in str(e.value)
    with pytest.raises(vxpkit.VxpkitError) as e:
        vxpkit.test_credential("agency-nobody")
    assert e.value.code == "signing.pki"
    with pytest.raises(TypeError):
        vxpkit.validate(42)


def test_lifecycle_tracker():
    t = vxpkit.LifecycleTracker("D1", "000.00.00.G22", "000.00.00.H53")
    assert t.feed("01", "000.00.00.H53", "000.00.00.G22") == []
    assert t.feed("03", "000.00.00.H53", "000.00.00.G22") == []
    assert t.feed("06", "000.00.00.H53", "000.00.00.G22") == []
    assert t.terminal and t.history == ["01", "03", "06"]
    assert [f.rule_id for f in t.feed("05", "000.00.00.H53", "000.00.00.G22")] == ["LIFE-TERMINAL"]
    t2 = vxpkit.LifecycleTracker("D2", "000.00.00.G22", "000.00.00.H53")
    t2.feed("01", "000.00.00.H53", "000.00.00.G22")
    assert [f.rule_id for f in t2.feed("02", "000.00.00.H53", "000.00.00.G22")] == ["LIFE-REASON"]


def test_hub_speaks_the_api_and_agencies_exchange_a_document():
    with vxpkit.Hub() as hub:
        assert hub.port > 0 and hub.url == f"http://127.0.0.1:{hub.port}"
        assert hub.adapter_url.endswith("/XrdAdapter/adapter")
        # Without credentials the hub answers HTTP 200 with its error 1001, as the national
        # hub does (a POST, as the SDK sends it: a GET would be 2016, HTTP 405).
        with urllib.request.urlopen(hub.adapter_url + "/getReceivedEdocList", data=b"",
                                    timeout=5) as r:
            answer = json.loads(r.read())
        assert answer["status"] == "FAIL" and answer["ErrorCode"] == "1001", answer
        hub.add_system("sender", "s1", ["000.00.00.G22"])
        hub.add_system("receiver", "s2", ["000.00.00.H53"])
        assert hub.credentials == {"sender": "s1", "receiver": "s2"}
        with vxpkit.MockAgency(hub, "sender", "s1", "000.00.00.G22") as g22, \
                vxpkit.MockAgency(hub, "receiver", "s2", "000.00.00.H53") as h53:
            assert g22.driver_url.startswith("http://127.0.0.1:")
            document_id, doc_id = g22.send(["000.00.00.H53"], subject="Thử nghiệm")
            assert doc_id
            codes = []
            for _ in range(200):  # up to 10 s: a poll every 25 ms answers within a few
                sent = [d for d in g22.documents() if d["document_id"] == document_id]
                codes = [s["code"] for s in sent[0]["statuses"]] if sent else []
                if "03" in codes:
                    break
                time.sleep(0.05)
            assert codes[:2] == ["01", "03"], codes
            received = [d for d in h53.documents() if d["document_id"] == document_id]
            assert received and received[0]["judgement"] == "accepted"
    assert hub.url == ""


def test_hub_and_agency_errors():
    with pytest.raises(vxpkit.VxpkitError) as e:
        vxpkit.MockAgency("http://127.0.0.1:9", "s", "x", "000.00.00.G22", profile="no-such")
    assert e.value.code == "agency.profile"
    with vxpkit.Hub() as hub:
        with pytest.raises(vxpkit.VxpkitError) as e:
            vxpkit.Hub(port=hub.port).start()
        assert e.value.code == "http.listen"
        agency = vxpkit.MockAgency(hub, "s", "x", "000.00.00.G22")
        with pytest.raises(vxpkit.VxpkitError) as e:
            agency.send(["000.00.00.H53"])
        assert e.value.code == "agency.stopped"


def test_demo_run_result_and_json():
    lines = []
    r = vxpkit.demo(only=["INBOUND-VALID", "LIFECYCLE-REASON"], seed=3, progress=lines.append)
    assert r.verdict == "PASS" and r.exit_code == 0
    assert [s["id"] for s in r.scenarios] == ["TRANSPORT-AUTH", "INBOUND-VALID", "LIFECYCLE-REASON"]
    assert lines, "progress lines reach Python"
    doc = json.loads(r.to_json())
    assert doc["schema"] == "vxpkit-result/1" and doc["run"]["seed"] == 3
    jsonschema.validate(doc, SCHEMA)


def test_a_fault_is_caught_with_its_rule(tmp_path):
    r = vxpkit.demo("reject-without-reason", only=["LIFECYCLE-REASON"])
    assert r.verdict == "FAIL" and r.exit_code == 1
    failed = [s for s in r.scenarios if s["verdict"] == "FAIL"]
    assert [s["id"] for s in failed] == ["LIFECYCLE-REASON"]
    assert failed[0]["findings"][0].rule_id == "LIFE-REASON"
    r.write(str(tmp_path / "out"))
    for name in ("result.json", "index.html", "junit.xml", "report.json"):
        assert (tmp_path / "out" / name).exists(), name
    r.write(str(tmp_path / "vi"), lang="vi")
    assert json.loads((tmp_path / "vi" / "result.json").read_text())["run"]["lang"] == "vi"
    assert '<html lang="vi">' in (tmp_path / "vi" / "index.html").read_text()
    with pytest.raises(ValueError, match="lang"):
        r.write(str(tmp_path / "fr"), lang="fr")


def test_run_configuration_errors_raise_with_the_library_message(tmp_path):
    with pytest.raises(vxpkit.VxpkitError) as e:
        vxpkit.run({"system": {"id": "x"}})
    assert e.value.code == "config.sut"
    sut = {"system": {"id": "my-dms", "secret": "s3cret"}, "agencies": ["000.00.00.H53"],
           "hub": {"listen": "127.0.0.1:0"}}
    with pytest.raises(vxpkit.VxpkitError) as e:
        vxpkit.run(sut, categories=["nonsense"])
    assert e.value.code == "config.selection" and "unknown category 'nonsense'" in str(e.value)
    with pytest.raises(vxpkit.VxpkitError) as e:
        vxpkit.run(sut, only=["INBUOND-*"])
    assert e.value.code == "config.selection" and "'INBUOND-*' matches no scenario" in str(e.value)
    with pytest.raises(vxpkit.VxpkitError) as e:
        vxpkit.demo("no-such-fault")
    assert e.value.code == "agency.profile"
    path = tmp_path / "sut.json"
    path.write_text(json.dumps(sut))
    with pytest.raises(vxpkit.VxpkitError) as e:
        vxpkit.run(str(path), expected_failures={"NOT-A-SCENARIO": "x"})
    assert "'NOT-A-SCENARIO' is not a scenario" in str(e.value)


def test_ctrl_c_ends_a_run_incomplete_and_keeps_what_finished(tmp_path):
    """Ctrl-C in Python does what it does to the CLI: the run ends INCOMPLETE with the finished
    scenarios' verdicts and the rest NOT RUN, and the result can still be written."""
    import signal
    import subprocess
    import sys

    script = tmp_path / "run.py"
    script.write_text(
        "import sys, vxpkit\n"
        "r = vxpkit.demo(progress=lambda line: print(line, flush=True))\n"
        "print('VERDICT', r.verdict, r.exit_code, r.interrupted, flush=True)\n"
        "print('NOTRUN=%d' % sum(s['verdict'] == 'NOT RUN' for s in r.scenarios), flush=True)\n"
        "r.write(sys.argv[1])\n")
    p = subprocess.Popen([sys.executable, str(script), str(tmp_path / "out")],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        seen = []
        for line in p.stdout:  # a few scenarios in, then Ctrl-C
            seen.append(line)
            if "INBOUND-VALID" in line:
                p.send_signal(signal.SIGINT)
                break
        out, err = p.communicate(timeout=60)
    finally:
        p.kill()
    assert p.returncode == 0, "".join(seen) + out + err
    assert "VERDICT INCOMPLETE 4 Ctrl-C (KeyboardInterrupt)" in out, out + err
    not_run = int(out.split("NOTRUN=")[1].split()[0])
    assert not_run > 0
    doc = json.loads((tmp_path / "out" / "result.json").read_text())
    jsonschema.validate(doc, SCHEMA)
    assert doc["outcome"]["verdict"] == "INCOMPLETE"
    assert doc["scenarios"][0]["verdict"] == "PASS"  # what finished keeps its verdict
