"""End-to-end tests of the vxpkit command line: exit codes, output shapes, hostile input."""
import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
VXPKIT = os.environ.get("VXPKIT", str(ROOT / "build" / "bin" / "vxpkit"))
VECTORS = ROOT / "vectors" / "packages"
TODAY = ["--today", "2026/11/21"]


def run(*args, cwd=None):
    return subprocess.run([VXPKIT, *args], capture_output=True, text=True, timeout=60, cwd=cwd)


def test_help_teaches():
    r = run("--help")
    assert r.returncode == 0
    for word in ("validate", "rules", "sample", "demo", "run", "list"):
        assert word in r.stdout
    v = run("validate", "--help")
    assert "Exit 0 when no file fails a MUST rule" in v.stdout
    assert "--mode" in v.stdout and "--json" in v.stdout


def test_valid_package_passes_with_exit_0():
    r = run("validate", *TODAY, str(VECTORS / "document-document.xml"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "document package — PASS" in r.stdout


def test_failure_exit_1_names_rule_line_and_path():
    r = run("validate", *TODAY, str(VECTORS / "document-bad-date.xml"))
    assert r.returncode == 1
    assert "FAIL EDXML-HDR-1.4-DATE [MUST]" in r.stdout
    assert "/PromulgationInfo/PromulgationDate" in r.stdout
    assert "document-bad-date.xml:" in r.stdout
    # What the rule wants and what the file has, not only the message.
    assert "      expected: yyyy/MM/dd, a real calendar date\n      found:    2026-11-20\n" in r.stdout


def test_json_lines_shape():
    files = [VECTORS / "document-document.xml", VECTORS / "status-02-without-reason.xml",
             VECTORS / "not-xml-pdf.xml"]
    r = run("validate", "--json", *TODAY, *map(str, files))
    assert r.returncode == 1
    objs = [json.loads(line) for line in r.stdout.splitlines()]
    assert [o["verdict"] for o in objs] == ["PASS", "FAIL", "FAIL"]
    assert [o["kind"] for o in objs] == ["document", "status", "unknown"]
    finding = objs[1]["findings"][0]
    assert finding["rule_id"] == "EDXML-4-STATUS-REASON"
    assert finding["level"] == "MUST"
    assert finding["location"].endswith("/MessageHeader/Description")
    assert isinstance(finding["line"], int)
    assert "not XML" in objs[2]["findings"][0]["message"]


def test_hostile_inputs_are_findings_not_crashes():
    for name, rule in [("hostile-xxe.xml", "EDXML-XML-DTD"),
                       ("hostile-billion-laughs.xml", "EDXML-XML-DTD"),
                       ("malformed-truncated.xml", "EDXML-XML-WELLFORMED")]:
        r = run("validate", "--json", str(VECTORS / name))
        assert r.returncode == 1, name
        assert json.loads(r.stdout)["findings"][0]["rule_id"] == rule


def test_oversized_file_is_refused_without_reading(tmp_path):
    big = tmp_path / "big.xml"
    big.write_bytes(b"<a>" + b"x" * 5000 + b"</a>")
    r = run("validate", "--json", "--max-bytes", "1000", str(big))
    assert r.returncode == 1
    f = json.loads(r.stdout)["findings"][0]
    assert f["rule_id"] == "EDXML-XML-SIZE"
    assert "5007 bytes, over the limit of 1000" in f["message"]


def test_lenient_mode_warns_on_legacy_identifier():
    path = str(VECTORS / "document-bad-agency-id.xml")
    assert run("validate", *TODAY, path).returncode == 1
    r = run("validate", "--mode", "lenient", "--json", *TODAY, path)
    assert r.returncode == 0
    o = json.loads(r.stdout)
    assert o["verdict"] == "WARN"
    assert o["findings"][0]["rule_id"] == "AGENCY-5-FORMAT"


def test_a_directory_is_judged_with_recursive_and_never_stops_the_others(tmp_path):
    bad = VECTORS / "document-bad-date.xml"
    good = VECTORS / "status-01.xml"
    tree = tmp_path / "incoming"
    (tree / "sub").mkdir(parents=True)
    (tree / "sub" / "b.xml").write_bytes(bad.read_bytes())
    (tree / "a.xml").write_bytes(good.read_bytes())
    (tree / "notes.txt").write_text("not a package")
    # Without --recursive: the directory is said to be one, the files around it are judged.
    r = run("validate", *TODAY, str(good), str(tree), str(bad))
    assert r.returncode == 2, r.stderr
    assert f"{tree} is a directory, not a package (add --recursive" in r.stderr
    assert f"{good}: status package — PASS" in r.stdout and f"{bad}: document package — FAIL" in r.stdout
    # With it: every .xml file beneath, in name order; the worst verdict decides.
    r = run("validate", *TODAY, "--recursive", str(tree))
    assert r.returncode == 1, r.stderr
    lines = [l for l in r.stdout.splitlines() if not l.startswith(" ")]
    assert lines == [f"{tree / 'a.xml'}: status package — PASS",
                     f"{tree / 'sub' / 'b.xml'}: document package — FAIL (1 failed, 0 warnings)"]


def test_usage_and_io_errors_exit_2(tmp_path):
    assert run("validate").returncode == 2
    assert run("validate", str(tmp_path / "missing.xml")).returncode == 2
    assert run("validate", "--mode", "loose", str(VECTORS / "status-01.xml")).returncode == 2
    r = run("validate", "--today", "21/11/2026", str(VECTORS / "status-01.xml"))
    assert r.returncode == 2
    assert "yyyy/MM/dd" in r.stderr
    unreadable = tmp_path / "dir.xml"
    unreadable.mkdir()
    assert run("validate", str(unreadable)).returncode == 2


def test_a_command_that_does_not_exist_is_a_usage_error():
    # Even beside --help, which would otherwise print the main help and exit 0.
    r = run("server", "--help")
    assert r.returncode == 2, r.stderr
    assert "there is no command 'server' (did you mean serve?); the commands: validate," in r.stderr
    assert r.stdout == ""
    r = run("valdate", "a.xml")
    assert r.returncode == 2 and "(did you mean validate?)" in r.stderr
    assert run("--help").returncode == 0 and run("validate", "--help").returncode == 0


@pytest.mark.parametrize("kind", ["document", "revoke", "update", "replace", "status 01",
                                  "status 13"])
def test_samples_validate(kind, tmp_path):
    r = run("sample", *kind.split())
    assert r.returncode == 0
    f = tmp_path / "s.xml"
    f.write_text(r.stdout, encoding="utf-8")
    v = run("validate", *TODAY, str(f))
    assert v.returncode == 0, v.stdout


def test_sample_status_needs_a_code():
    r = run("sample", "status")
    assert r.returncode == 2
    assert "needs a code" in r.stderr
    # A sample is always valid: a code the standard does not have is refused, not printed.
    r = run("sample", "status", "07")
    assert r.returncode == 2 and r.stdout == ""
    assert "'07' is not a status code of the standard (01-06, 13, 15, 16)" in r.stderr
    r = run("sample", "document", "03")
    assert r.returncode == 2 and "a code is for sample status only" in r.stderr


def test_rules_lists_every_id_once():
    r = run("rules")
    ids = [line.split()[0] for line in r.stdout.splitlines() if not line.startswith(" ")]
    assert len(ids) == len(set(ids)) > 60
    assert "EDXML-HDR-1.4-DATE" in ids and "LIFE-01-FIRST" in ids and "AGENCY-5-FORMAT" in ids


def test_samples_judges_every_sample_as_expected():
    r = run("samples", cwd=ROOT)
    assert r.returncode == 0, r.stdout
    assert "0 judged differently" in r.stdout
    assert "DIFF" not in r.stdout
