"""A PostgreSQL server of the tests' own: initdb in a temporary directory, the server on a Unix
socket there (no TCP port), stopped and removed afterwards. As root it runs as the unprivileged
user `postgres`, which Debian's package creates, because PostgreSQL refuses to run as root. Missing
programs are an error that says how to install them (scripts/install-deps.sh), never a skip.
The same as storage/postgres.h's LocalServer, for tests written in Python."""
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time


def _bindir():
    if os.environ.get("VXP_PG_BINDIR"):
        return os.environ["VXP_PG_BINDIR"]
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"),
                   key=lambda p: int(p.split("/")[4]))
    if not found:
        raise RuntimeError("PostgreSQL's server programs are not installed under "
                           "/usr/lib/postgresql: run scripts/install-deps.sh (package postgresql)")
    return os.path.dirname(found[-1])


class LocalPostgres:
    def __init__(self):
        bindir = _bindir()
        self.dir = tempfile.mkdtemp(prefix="vxp-pg-", dir="/tmp")
        self.user = {}
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")  # KeyError: install the postgresql package
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            self.user = {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": []}
        self.log = open(os.path.join(self.dir, "server.log"), "ab")
        data = os.path.join(self.dir, "data")
        subprocess.run([os.path.join(bindir, "initdb"), "-D", data, "-U", "vxp", "-A", "trust",
                        "-E", "UTF8", "--locale=C", "--no-sync"], stdout=self.log,
                       stderr=subprocess.STDOUT, check=True, timeout=120, **self.user)
        self.proc = subprocess.Popen(
            [os.path.join(bindir, "postgres"), "-D", data, "-k", self.dir, "-c",
             "listen_addresses=", "-p", "5432", "-c", "max_connections=300"],
            stdout=self.log, stderr=subprocess.STDOUT, **self.user)
        self.psql = shutil.which("psql") or os.path.join(bindir, "psql")
        deadline = time.time() + 30
        while self.sql("postgres", "SELECT 1", check=False).returncode != 0:
            if self.proc.poll() is not None or time.time() > deadline:
                self.stop()
                raise RuntimeError("PostgreSQL did not start:\n" + self.tail())
            time.sleep(0.05)

    def url(self, db="postgres"):
        return f"postgresql://vxp@/{db}?host={self.dir}&port=5432"

    def sql(self, db, statement, check=True):
        return subprocess.run([self.psql, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d",
                               self.url(db), "-c", statement], capture_output=True, text=True,
                              check=check, timeout=60)

    def create_database(self, name):
        self.sql("postgres", f"CREATE DATABASE {name}")
        return self.url(name)

    def tail(self):
        with open(os.path.join(self.dir, "server.log"), "rb") as f:
            return f.read()[-2000:].decode(errors="replace")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(2)  # SIGINT, a fast shutdown (SIGTERM would wait for clients)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)
