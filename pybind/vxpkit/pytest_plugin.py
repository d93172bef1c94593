"""pytest plugin: vxpkit inside a vendor's own test suite.

Enable it with ``pytest -p vxpkit.pytest_plugin`` or, in a conftest.py,
``pytest_plugins = ["vxpkit.pytest_plugin"]``.

Fixtures
    vxpkit_hub      a started in-process hub (port 0) for the test; ``.url``, ``.adapter_url``,
                    ``.add_system(...)``, ``.credentials``
    vxpkit_agency   a factory: ``vxpkit_agency("000.00.00.G22", profile="reference")`` registers a
                    system for that agency on ``vxpkit_hub`` and starts a mock agency on it

The conformance catalogue as test items
    ``--vxpkit-sut sut.json`` (your system) or ``--vxpkit-demo [FAULT]`` (the reference agency)
    adds one item per selected scenario (``vxpkit::INBOUND-VALID`` ...). The first item to run
    runs the whole selection once (the harness runs scenarios in order, sanity check first); each
    item then reports its scenario: PASS and WARN pass (a WARN is a warning), SKIP skips, an
    expected failure xfails, FAIL / ERROR / INCONCLUSIVE / an unexpected pass fail with the
    verdict, the findings and the replay command in the message. Select with
    ``--vxpkit-only GLOB`` and ``--vxpkit-category NAME`` (repeatable), list known failures with
    ``--vxpkit-expected-failures FILE`` (they xfail; one that passes fails), and keep the result
    with ``--vxpkit-out DIR`` (result.json, evidence, index.html, junit.xml, report.json).
    A bad SUT file, fault profile or expected-failures file is one usage error before anything
    runs. Progress lines (and "start your system now") reach the terminal whatever the capture.
"""
import fnmatch
import os
import secrets
import warnings

import pytest

import vxpkit


def pytest_addoption(parser):
    group = parser.getgroup("vxpkit", "vxpkit conformance catalogue")
    group.addoption("--vxpkit-sut", metavar="FILE",
                    help="run the conformance catalogue against the system this SUT file "
                         "describes (docs/vendor-guide.md), one test item per scenario")
    group.addoption("--vxpkit-demo", metavar="FAULT", nargs="?", const="reference",
                    help="run it against the built-in reference agency, or one of its fault "
                         "profiles (--vxpkit-demo=FAULT)")
    group.addoption("--vxpkit-only", metavar="GLOB", action="append", default=[],
                    help="only scenarios whose ID matches (repeatable), e.g. 'INBOUND-*'")
    group.addoption("--vxpkit-category", metavar="NAME", action="append", default=[],
                    help="only this category (repeatable)")
    group.addoption("--vxpkit-profile", metavar="NAME", default=None,
                    help="deadlines: certification (default for --vxpkit-sut) or demo")
    group.addoption("--vxpkit-seed", metavar="N", type=int, default=1)
    group.addoption("--vxpkit-out", metavar="DIR", default=None,
                    help="write result.json, the evidence and the reports here")
    group.addoption("--vxpkit-lang", metavar="LANG", choices=("en", "vi"), default="en",
                    help="language of the reports --vxpkit-out writes: en (default) or vi")
    group.addoption("--vxpkit-expected-failures", metavar="FILE", default=None,
                    help="scenario IDs known to fail, one per line with an optional reason: "
                         "they xfail, and one that passes fails")


@pytest.fixture
def vxpkit_hub():
    """A started in-process hub on a free loopback port, stopped after the test."""
    with vxpkit.Hub() as hub:
        yield hub


@pytest.fixture
def vxpkit_agency(vxpkit_hub):
    """Factory of started mock agencies on ``vxpkit_hub``; each is stopped after the test."""
    started = []

    def make(agency_id, profile="reference", system_id=None, secret=None, **options):
        system_id = system_id or "mock-" + agency_id
        secret = secret or secrets.token_hex(16)
        vxpkit_hub.add_system(system_id, secret, [agency_id])
        agency = vxpkit.MockAgency(vxpkit_hub, system_id, secret, agency_id, profile=profile,
                                   **options)
        agency.start()
        started.append(agency)
        return agency

    yield make
    for agency in started:
        agency.stop()


class ScenarioFailure(Exception):
    """A scenario that fails the run; the message is the whole explanation."""


def _explain(scenario, headline):
    lines = [f"{scenario['id']}: {headline}", f"  {scenario['title']}"]
    if scenario["reason"]:
        lines.append(f"  reason: {scenario['reason']}")
    for f in scenario["findings"]:
        if f.verdict == "PASS":
            continue
        lines.append(f"  {f.verdict} {f.rule_id} [{f.level}] {f.message}")
        if f.location:
            lines.append(f"      at {f.location}" + (f":{f.line}" if f.line else ""))
        if f.expected:
            lines.append(f"      expected: {f.expected}")
        if f.actual:
            lines.append(f"      actual:   {f.actual}")
    lines.append(f"  replay: {scenario['replay']}")
    return "\n".join(lines)


class _Runner:
    """Runs the selection once, the first time an item asks."""

    def __init__(self, config, expected):
        self.config = config
        self.expected = expected
        self._result = None

    def _progress(self, line):
        # Past pytest's output capture: a person waiting must see "start your system now".
        capman = self.config.pluginmanager.getplugin("capturemanager")
        reporter = self.config.pluginmanager.getplugin("terminalreporter")
        if reporter is None:
            return
        if capman is not None:
            with capman.global_and_fixture_disabled():
                reporter.write_line(line)
        else:
            reporter.write_line(line)

    def result(self):
        if self._result is None:
            opt = self.config.getoption
            only, categories = opt("vxpkit_only"), opt("vxpkit_category")
            common = dict(only=only, categories=categories, seed=opt("vxpkit_seed"),
                          expected_failures=self.expected, progress=self._progress)
            if opt("vxpkit_demo"):
                self._result = vxpkit.demo(opt("vxpkit_demo"), **common)
            else:
                self._result = vxpkit.run(opt("vxpkit_sut"),
                                          profile=opt("vxpkit_profile") or "certification",
                                          **common)
            if opt("vxpkit_out"):
                self._result.write(opt("vxpkit_out"), lang=opt("vxpkit_lang"))
            if self._result.interrupted:
                # Ctrl-C during the run: what finished is written above; now stop as pytest does.
                raise KeyboardInterrupt(self._result.interrupted)
        return self._result


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario, runner, **kwargs):
        super().__init__(**kwargs)
        self.scenario = scenario
        self.runner = runner
        self.add_marker(pytest.mark.vxpkit)

    def runtest(self):
        result = self.runner.result()
        found = [s for s in result.scenarios if s["id"] == self.scenario["id"]]
        if not found:
            why = result.error or result.aborted or "not run"
            raise ScenarioFailure(f"{self.scenario['id']}: not run: {why}")
        s = found[0]
        verdict = s["verdict"]
        if s["unexpected_pass"]:
            raise ScenarioFailure(_explain(s, "PASS, but listed as an expected failure"))
        if verdict == "PASS":
            return
        if verdict == "WARN":
            warnings.warn(_explain(s, "WARN (a SHOULD is broken)"))
            return
        if verdict == "SKIP":
            pytest.skip(f"{s['id']}: {s['reason']}")
        if verdict == "FAIL" and s["expected_failure"]:
            pytest.xfail(_explain(s, "FAIL (expected)"))
        raise ScenarioFailure(_explain(s, verdict))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ScenarioFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"vxpkit {self.scenario['id']}: {self.scenario['title']}"


class _Catalogue(pytest.Collector):
    def collect(self):
        return []


def pytest_configure(config):
    config.addinivalue_line("markers", "vxpkit: a scenario of the vxpkit conformance catalogue")
    demo = config.getoption("vxpkit_demo", None)
    if demo and demo not in {name for name, _ in vxpkit.profiles()}:
        # `--vxpkit-demo tests/` takes tests/ as the fault profile (argparse's optional value):
        # give the path back to pytest and run the reference agency.
        if os.path.exists(demo):
            config.option.vxpkit_demo = "reference"
            source = getattr(config, "args_source", None)
            if source is not None and source.name == "INCOVATION_DIR":
                config.args[:] = [demo]  # it was the only path given
            else:
                config.args.append(demo)
        else:
            raise pytest.UsageError(f"--vxpkit-demo {demo!r} is not a fault profile "
                                    "(vxpkit agency --list-profiles)")


def pytest_collection_modifyitems(session, config, items):
    if not (config.getoption("vxpkit_sut") or config.getoption("vxpkit_demo")):
        return
    sut = config.getoption("vxpkit_sut")
    if sut and not os.path.exists(sut):
        raise pytest.UsageError(f"--vxpkit-sut {sut}: no such file")
    if sut and not config.getoption("vxpkit_demo"):
        try:
            vxpkit.check_sut(sut)
        except (vxpkit.VxpkitError, OSError, UnicodeDecodeError) as e:
            raise pytest.UsageError(f"--vxpkit-sut {sut}: {e}") from None
    expected = {}
    if config.getoption("vxpkit_expected_failures"):
        path = config.getoption("vxpkit_expected_failures")
        try:
            expected = vxpkit.read_expected_failures(path)
        except (vxpkit.VxpkitError, OSError, UnicodeDecodeError) as e:
            raise pytest.UsageError(f"--vxpkit-expected-failures {path}: {e}") from None
    only, categories = config.getoption("vxpkit_only"), config.getoption("vxpkit_category")
    # A misspelled glob or category is a usage error naming it, as on the command line, not a
    # session of the sanity check alone that passes.
    catalogue = vxpkit.catalogue()
    for glob in only:
        if not any(fnmatch.fnmatchcase(s["id"], glob) for s in catalogue):
            raise pytest.UsageError(f"--vxpkit-only {glob!r} matches no scenario ID "
                                    "(vxpkit list shows them)")
    for name in categories:
        if not any(s["category"] == name for s in catalogue):
            raise pytest.UsageError(f"--vxpkit-category {name!r} is not a category")
    for scenario_id in expected:
        if not any(s["id"] == scenario_id for s in catalogue):
            raise pytest.UsageError(f"--vxpkit-expected-failures: {scenario_id!r} is not a "
                                    "scenario of the catalogue (vxpkit list)")
    runner = _Runner(config, expected)
    # Node IDs as pytest shows them relative to where it was started: "vxpkit::INBOUND-VALID"
    # from any directory (pytest would show "../vxpkit::…" from below the rootdir).
    here = os.path.relpath(str(config.invocation_params.dir), str(config.rootpath))
    prefix = "" if here == "." else here.replace(os.sep, "/") + "/"
    parent = _Catalogue.from_parent(session, name="vxpkit", nodeid=prefix + "vxpkit")
    for scenario in catalogue:
        sanity = scenario["id"] == "TRANSPORT-AUTH"  # the harness always runs it first
        chosen = ((not only or any(fnmatch.fnmatchcase(scenario["id"], g) for g in only)) and
                  (not categories or scenario["category"] in categories))
        if sanity or chosen:
            items.append(ScenarioItem.from_parent(parent, name=scenario["id"],
                                                  nodeid=prefix + "vxpkit::" + scenario["id"],
                                                  scenario=scenario, runner=runner))
