#!/usr/bin/env python3
"""How many concurrent demo-profile sessions one `vxpkit serve` process carries on this machine.

Starts `vxpkit serve --demo` on loopback (port 0) and, for N = 1, 2, 4, … (up to --max), N
systems each with its own reference agency (`vxpkit agency`, driven through its test-driver
API, so every scenario runs). The N systems' runs are started at once through the API; each
run's verdicts are compared with the verdicts of one system run alone, measured first in the
same process. N is carried when every run ends with the same verdict for every scenario and no
scenario is INCONCLUSIVE or ERROR (the harness says so when its own generators or waits fell
behind). Prints, per N: the slowest run's time and its ratio to the run alone, and the verdict;
then the largest N carried. Everything stops by itself; nothing leaves loopback.

  python3 bench/service_bench.py [--build build] [--max 16] [--only 'INBOUND-*' …]
"""
import argparse
import http.cookiejar
import json
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Service:
    def __init__(self, vxpkit, data):
        self.proc = subprocess.Popen([vxpkit, "serve", "--listen", "127.0.0.1:0", "--data",
                                      str(data), "--demo"], stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        self.lines = []
        for line in self.proc.stdout:
            self.lines.append(line)
            if line.startswith("listening on "):
                self.url = line.split()[-1]
                break
        text = "".join(self.lines)
        self.token = re.search(r"demo API token \(vendor\) (vxpt_\S+)", text).group(1)
        self.password = re.search(r"demo vendor vendor@demo\.vxpkit\.vn password (\S+)",
                                  text).group(1)
        jar = http.cookiejar.CookieJar()
        self.browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = self.browser.open(self.url + "/login").read().decode()
        csrf = re.search(r'name="login_csrf" value="([^"]+)"', page).group(1)
        self.post("/login", {"login_csrf": csrf, "email": "vendor@demo.vxpkit.vn",
                             "password": self.password})

    def post(self, path, fields):
        return self.browser.open(self.url + path,
                                 urllib.parse.urlencode(fields).encode()).read().decode()

    def register(self, name, driver, version):
        page = self.browser.open(self.url + "/systems").read().decode()
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        page = self.post("/systems", {"csrf": csrf, "name": name,
                                      "product": "vxpkit reference agency",
                                      "version": version, "agencies": "000.00.00.H53",
                                      **{"cap_" + c: "1" for c in ("receive", "send", "revoke",
                                                                   "update", "replace", "recall")},
                                      "driver": driver})
        hub_id = re.search(r'id="hub-id">([^<]+)<', page).group(1)
        secret = re.search(r'id="hub-secret">([^<]+)<', page).group(1)
        url = re.search(r'id="hub-url">([^<]+)<', page).group(1)
        systems = self.api("/api/v1/systems")["systems"]
        return next(s["id"] for s in systems if s["name"] == name), hub_id, secret, url

    def api(self, path, body=None):
        request = urllib.request.Request(self.url + path, method="GET" if body is None else "POST",
                                         data=None if body is None else json.dumps(body).encode())
        request.add_header("Authorization", "Bearer " + self.token)
        with urllib.request.urlopen(request, timeout=30) as r:
            return json.loads(r.read())

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=60)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default=str(ROOT / "build"))
    parser.add_argument("--max", type=int, default=16, help="the most sessions tried")
    parser.add_argument("--only", nargs="*", default=[],
                        help="scenario globs (default: the whole demo catalogue)")
    args = parser.parse_args()
    vxpkit = str(pathlib.Path(args.build) / "bin" / "vxpkit")
    data = pathlib.Path(tempfile.mkdtemp(prefix="vxp-service-bench-"))
    version = subprocess.run([vxpkit, "--version"], capture_output=True, text=True,
                             check=True).stdout.split()[-1]
    service = Service(vxpkit, data)
    agencies, systems = [], []

    def grow(n):
        while len(systems) < n:
            port = free_port()
            system_id, hub_id, secret, url = service.register(f"bench-{len(systems) + 1}",
                                                              f"http://127.0.0.1:{port}",
                                                              version)
            agencies.append(subprocess.Popen(
                [vxpkit, "agency", "--hub", url, "--system", f"{hub_id}:{secret}", "--organ",
                 "000.00.00.H53", "--driver", f"127.0.0.1:{port}", "--poll-ms", "100",
                 "--no-progress"],  # the driver advances documents, as in vxpkit demo
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            systems.append(system_id)
        time.sleep(0.5)  # the new agencies' drivers listen

    last_ids = []

    def run_all(n):
        start = time.monotonic()
        plan = {"plan": "self-test", "profile": "demo", "only": args.only}
        ids = [service.api(f"/api/v1/systems/{s}/runs", plan)["id"] for s in systems[:n]]
        results, times = [], []
        last_ids[:] = ids
        for run_id in ids:
            while (run := service.api(f"/api/v1/runs/{run_id}"))["status"] != "finished":
                time.sleep(0.25)
            if run["exit_code"] == 2:  # not a verdict on the system: the bench itself is wrong
                raise SystemExit(f"run {run_id}: {run['summary']}")
            times.append(time.monotonic() - start)
            report = service.api(f"/api/v1/runs/{run_id}/report.json")
            results.append({s["id"]: s["verdict"] for s in report["scenarios"]})
        return results, max(times)

    try:
        grow(1)
        (alone,), alone_s = run_all(1)
        bad = [k for k, v in alone.items() if v not in ("PASS", "SKIP")]
        if bad:  # the reference agency passes every scenario: say why it did not
            report = service.api(f"/api/v1/runs/{last_ids[0]}/report.json")
            for sc in report["scenarios"]:
                if sc["id"] in bad:
                    print(f"    alone: {sc['id']}: {sc['verdict']}: {sc.get('reason', '')[:400]}")
        print(f"vxpkit serve, concurrent demo-profile sessions ({len(alone)} scenarios each)")
        print(f"  1 session alone: {alone_s:6.1f} s  (baseline){'  ' + str(bad) if bad else ''}")
        carried, n = 1, 2
        while n <= args.max:
            grow(n)
            results, slowest = run_all(n)
            changed = sorted({f"{k} {alone.get(k)}→{v}" for r in results for k, v in r.items()
                              if v != alone.get(k) or v in ("INCONCLUSIVE", "ERROR")})
            verdict = "same verdicts" if not changed else "changed: " + ", ".join(changed[:6])
            print(f"  {n:2d} sessions at once: slowest {slowest:6.1f} s  "
                  f"({slowest / alone_s:4.1f}x the one alone)  {verdict}", flush=True)
            if changed:
                for run_id in last_ids:  # why, in the runs' own words
                    report = service.api(f"/api/v1/runs/{run_id}/report.json")
                    for sc in report["scenarios"]:
                        if sc["verdict"] != alone.get(sc["id"]):
                            print(f"    run {run_id} {sc['id']}: {sc['verdict']}: "
                                  f"{sc.get('reason', '')[:300]}")
                break
            carried = n
            n *= 2
        print(f"carried: {carried} concurrent sessions with every verdict unchanged"
              f"{'' if carried * 2 <= args.max or carried == args.max else ''}")
    finally:
        service.stop()
        for a in agencies:
            a.terminate()
        for a in agencies:
            a.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
