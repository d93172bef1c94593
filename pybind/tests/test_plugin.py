"""The pytest plugin, run as a vendor runs it: pytest in a fresh directory with
-p vxpkit.pytest_plugin, its fixtures in a test file, the catalogue as items."""
import json
import os
import subprocess
import sys
import textwrap

import vxpkit


def pytest_in(directory, *args):
    env = dict(os.environ)
    # The package must be found from another directory, as a vendor's run finds it.
    env["PYTHONPATH"] = os.pathsep.join(
        os.path.abspath(p) for p in env.get("PYTHONPATH", "").split(os.pathsep) if p)
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "vxpkit.pytest_plugin",
                           "-p", "no:cacheprovider", "-rA", *args],
                          cwd=directory, capture_output=True, text=True, timeout=300, env=env)


def test_fixtures_give_a_hub_and_agencies(tmp_path):
    (tmp_path / "test_vendor.py").write_text(textwrap.dedent("""
        import time

        def test_two_agencies_exchange(vxpkit_hub, vxpkit_agency):
            g22 = vxpkit_agency("000.00.00.G22")
            h53 = vxpkit_agency("000.00.00.H53")
            assert vxpkit_hub.url.startswith("http://127.0.0.1:")
            assert set(vxpkit_hub.credentials) == {"mock-000.00.00.G22", "mock-000.00.00.H53"}
            document_id, _ = g22.send(["000.00.00.H53"])
            for _ in range(200):
                sent = [d for d in g22.documents() if d["document_id"] == document_id]
                if sent and "03" in [s["code"] for s in sent[0]["statuses"]]:
                    return
                time.sleep(0.05)
            raise AssertionError("no 03 from the reference agency")
    """))
    r = pytest_in(tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "1 passed" in r.stdout


def test_catalogue_items_carry_verdict_and_findings(tmp_path):
    r = pytest_in(tmp_path, "--vxpkit-demo=reject-without-reason",
                  "--vxpkit-only", "LIFECYCLE-REASON", "--vxpkit-only", "INBOUND-VALID",
                  "--vxpkit-out", str(tmp_path / "result"), "--vxpkit-lang", "vi")
    assert r.returncode == 1, r.stdout + r.stderr
    out = r.stdout
    assert "PASSED vxpkit::TRANSPORT-AUTH" in out
    assert "PASSED vxpkit::INBOUND-VALID" in out
    assert "FAILED vxpkit::LIFECYCLE-REASON" in out
    # The failure message is the finding, with its rule and the replay command.
    assert "LIFECYCLE-REASON: FAIL" in out
    assert "FAIL LIFE-REASON [MUST]" in out
    assert "replay: vxpkit demo --fault reject-without-reason --only LIFECYCLE-REASON" in out
    assert "2 passed" in out and "1 failed" in out
    # The reports in the language asked for; the terminal stays pytest's.
    assert "KHÔNG ĐẠT" in (tmp_path / "result" / "index.html").read_text()


def test_a_selection_that_matches_nothing_is_a_usage_error(tmp_path):
    r = pytest_in(tmp_path, "--vxpkit-demo", "--vxpkit-only", "INBUOND-*")
    assert r.returncode == 4, r.stdout + r.stderr  # pytest's usage error
    assert "--vxpkit-only 'INBUOND-*' matches no scenario ID" in r.stderr, r.stderr
    r = pytest_in(tmp_path, "--vxpkit-demo", "--vxpkit-category", "inbuond")
    assert r.returncode == 4 and "'inbuond' is not a category" in r.stderr, r.stderr


def test_reference_passes_a_whole_category(tmp_path):
    transport = [s["id"] for s in vxpkit.catalogue() if s["category"] == "transport"]
    r = pytest_in(tmp_path, "--vxpkit-demo", "--vxpkit-category", "transport")
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"{len(transport)} passed" in r.stdout
    for scenario_id in transport:
        assert f"PASSED vxpkit::{scenario_id}" in r.stdout


def test_a_missing_sut_file_is_a_usage_error(tmp_path):
    r = pytest_in(tmp_path, "--vxpkit-sut", str(tmp_path / "nope.json"))
    assert r.returncode == 4, r.stdout + r.stderr  # pytest's usage error
    assert "no such file" in r.stderr


def test_a_bad_sut_file_or_fault_is_one_usage_error(tmp_path):
    """Issue 17, item 9: not one failing item per scenario."""
    sut = tmp_path / "sut.json"
    sut.write_text('{"system": {"id": "a", "secret": "b"},\n "agencies": ["000.00.00.H53",]}')
    r = pytest_in(tmp_path, "--vxpkit-sut", str(sut))
    assert r.returncode == 4, r.stdout + r.stderr  # pytest's usage error
    assert f"--vxpkit-sut {sut}: not JSON: line 2, column 31" in r.stderr, r.stderr
    assert "vxpkit::" not in r.stdout
    r = pytest_in(tmp_path, "--vxpkit-demo=never-sends-0l")
    assert r.returncode == 4 and "'never-sends-0l' is not a fault profile" in r.stderr, r.stderr
    bad = tmp_path / "known.txt"
    bad.write_text("INBOUND-VALDI  typo\n")
    r = pytest_in(tmp_path, "--vxpkit-demo", "--vxpkit-expected-failures", str(bad))
    assert r.returncode == 4 and "'INBOUND-VALDI' is not a scenario" in r.stderr, r.stderr


def test_demo_does_not_swallow_the_test_path_after_it(tmp_path):
    (tmp_path / "test_mine.py").write_text("def test_mine():\n    pass\n")
    (tmp_path / "test_other.py").write_text("def test_other():\n    raise AssertionError\n")
    r = pytest_in(tmp_path, "--vxpkit-demo", "test_mine.py", "--vxpkit-only", "INBOUND-VALID")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "PASSED test_mine.py::test_mine" in r.stdout
    assert "test_other" not in r.stdout  # only the path given was collected
    assert "PASSED vxpkit::INBOUND-VALID" in r.stdout


def test_expected_failures_xfail_and_an_unexpected_pass_fails(tmp_path):
    known = tmp_path / "known.txt"
    known.write_text("LIFECYCLE-REASON  ticket 42\nINBOUND-VALID  listed by mistake\n")
    r = pytest_in(tmp_path, "--vxpkit-demo=reject-without-reason",
                  "--vxpkit-only", "LIFECYCLE-REASON", "--vxpkit-only", "INBOUND-VALID",
                  "--vxpkit-expected-failures", str(known))
    assert r.returncode == 1, r.stdout + r.stderr
    assert "XFAIL vxpkit::LIFECYCLE-REASON" in r.stdout
    assert "FAILED vxpkit::INBOUND-VALID" in r.stdout
    assert "PASS, but listed as an expected failure" in r.stdout


def test_a_vendors_run_names_its_sut_file_and_says_start_now_from_a_subdirectory(tmp_path):
    (tmp_path / "pytest.ini").write_text("[pytest]\n")  # the rootdir, above where pytest starts
    below = tmp_path / "ci"
    below.mkdir()
    sut = below / "my sut.json"
    sut.write_text(json.dumps({"system": {"id": "acme", "secret": "s"},
                               "agencies": ["000.00.00.H41"], "hub": {"listen": "127.0.0.1:0"}}))
    r = pytest_in(below, "--vxpkit-sut", str(sut), "--vxpkit-profile", "demo",
                  "--vxpkit-only", "INBOUND-VALID")
    assert r.returncode == 1, r.stdout + r.stderr  # nothing polls: the sanity check fails
    # Through pytest's capture, as a person waiting would see it.
    assert "listens at http://127.0.0.1:" in r.stdout and "start your system now" in r.stdout
    assert f"replay: vxpkit run --sut '{sut}' --profile demo --only TRANSPORT-AUTH" in r.stdout
    assert "FAILED vxpkit::TRANSPORT-AUTH" in r.stdout
    assert "../vxpkit" not in r.stdout
