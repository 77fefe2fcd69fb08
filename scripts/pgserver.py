#!/usr/bin/env python3
"""A throwaway PostgreSQL 15 server for the team tests and `make team-demo`: initdb in a temporary folder,
listening on 127.0.0.1 only, on a free random port, password (SCRAM) logins, stopped and removed afterwards.

initdb refuses to run as root (CI runs as root): then the server runs as the unprivileged `postgres` user
(Debian's postgresql-common creates it) or `nobody`.

    with ThrowawayServer() as server:
        server.params("postgres")  # psycopg2 keywords of the superuser for database "postgres"
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess  # nosec B404 - runs PostgreSQL's own tools
import tempfile
import time

SUPERUSER = "eco_admin"


def postgres_bin() -> str:
    """The folder of initdb/pg_ctl (the newest PostgreSQL installed), or '' when there is none."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return os.path.dirname(found[-1])
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else ""


def postgis_installed() -> bool:
    return bool(glob.glob("/usr/share/postgresql/*/extension/postgis.control"))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayServer:
    def __init__(self, password: str = "eco-admin-secret"):
        self.bin = postgres_bin()
        if not self.bin:
            raise RuntimeError("PostgreSQL is not installed (Debian: apt-get install postgresql-15-postgis-3)")
        self.password = password
        self.port = 0
        self.folder = ""
        self.user = None  # the account the server runs as (None: the current one)

    # --- life cycle -----------------------------------------------------------------------------------------
    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *_exc):
        self.stop()

    def _run(self, args, check=True):
        def demote():
            if self.user is not None:
                os.setgid(self.user.pw_gid)
                os.setuid(self.user.pw_uid)

        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
        return subprocess.run(  # nosec B603 - fixed PostgreSQL tools, no shell
            args, preexec_fn=demote, env=env, check=check, capture_output=True, text=True, cwd="/"
        )

    def start(self):
        self.folder = tempfile.mkdtemp(prefix="ecozoning-pg-")
        if os.geteuid() == 0:
            for name in ("postgres", "nobody"):
                try:
                    self.user = pwd.getpwnam(name)
                    break
                except KeyError:
                    continue
            os.chown(self.folder, self.user.pw_uid, self.user.pw_gid)
        data = os.path.join(self.folder, "data")
        pwfile = os.path.join(self.folder, "pw")
        with open(pwfile, "w", encoding="utf-8") as handle:
            handle.write(self.password + "\n")
        if self.user is not None:
            os.chown(pwfile, self.user.pw_uid, self.user.pw_gid)
        os.chmod(pwfile, 0o600)
        self._run(
            [
                f"{self.bin}/initdb",
                "-D",
                data,
                "-U",
                SUPERUSER,
                "--pwfile",
                pwfile,
                "--auth=scram-sha-256",
                "-E",
                "UTF8",
                "--no-sync",
            ]
        )
        os.unlink(pwfile)
        for attempt in range(5):
            self.port = free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off "
                f"-c max_connections=40 -c shared_buffers=16MB"
            )
            result = self._run(
                [
                    f"{self.bin}/pg_ctl",
                    "-D",
                    data,
                    "-l",
                    os.path.join(self.folder, "log"),
                    "-o",
                    options,
                    "-w",
                    "start",
                ],
                check=False,
            )
            if result.returncode == 0:
                return self
            time.sleep(0.2 * (attempt + 1))  # the port was taken in between: another one
        log = self.log()
        self.stop()
        raise RuntimeError(f"the throwaway PostgreSQL did not start:\n{result.stdout}\n{result.stderr}\n{log}")

    def log(self) -> str:
        try:
            with open(os.path.join(self.folder, "log"), encoding="utf-8", errors="replace") as handle:
                return handle.read()[-4000:]
        except OSError:
            return ""

    def pg_ctl(self, action: str, mode: str = "fast") -> None:
        data = os.path.join(self.folder, "data")
        if action == "start":
            options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off"
            args = [f"{self.bin}/pg_ctl", "-D", data, "-l", os.path.join(self.folder, "log"), "-o", options]
        else:
            args = [f"{self.bin}/pg_ctl", "-D", data, "-m", mode]
        self._run([*args, "-w", action], check=action != "stop")

    def stop(self):
        if self.folder and os.path.isdir(os.path.join(self.folder, "data")):
            self.pg_ctl("stop", "immediate")
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = ""

    # --- connections ----------------------------------------------------------------------------------------
    def params(self, dbname: str = "postgres", user: str = SUPERUSER, password: str = "") -> dict:
        return {
            "host": "127.0.0.1",
            "port": self.port,
            "dbname": dbname,
            "user": user,
            "password": password or (self.password if user == SUPERUSER else ""),
        }

    def create_database(self, name: str) -> dict:
        import psycopg2

        conn = psycopg2.connect(**self.params())
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        conn.close()
        return self.params(name)


# the team of the demo and the tests: the province, two prefectures (Harbin, Qiqihar) and a reviewer
TEAM = {
    "hlj_province": ("province", None),
    "harbin_230100": ("prefecture", "230100"),
    "qiqihar_230200": ("prefecture", "230200"),
    "reviewer": ("reviewer", None),
}
TEAM_PASSWORD = "team-secret"


def seed_team(server: ThrowawayServer, dbname: str, library_folder: str) -> dict:
    """Create database `dbname`, publish the library folder into it and add the TEAM roles. Returns
    {role: psycopg2 keywords} (and 'admin')."""
    import sys

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    package_dir = os.path.join(root, "build", "pkg")
    os.makedirs(package_dir, exist_ok=True)
    if not os.path.exists(os.path.join(package_dir, "ecozoning")):
        os.symlink(root, os.path.join(package_dir, "ecozoning"))
    if package_dir not in sys.path:
        sys.path.insert(0, package_dir)
    from ecozoning.core.db_library import add_team_role, connect, publish_library
    from ecozoning.core.lists import load_library

    admin = server.create_database(dbname)
    publish_library(load_library(library_folder), admin)
    conn = connect(admin)
    try:
        for role, (kind, city) in TEAM.items():
            add_team_role(conn, role, kind, city, TEAM_PASSWORD)
    finally:
        conn.close()
    params = {role: server.params(dbname, role, TEAM_PASSWORD) for role in TEAM}
    params["admin"] = admin
    return params
