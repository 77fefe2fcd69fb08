#!/usr/bin/env python3
"""make team-demo: a throwaway PostgreSQL 15 + PostGIS server on 127.0.0.1, the sample library published into
it, and two roles editing it at once — the Harbin prefecture and the province — with what the team mode
guarantees: each sees the other's saves (LISTEN/NOTIFY), the database refuses a write outside the role, a
concurrent edit is a conflict naming who and when (merged, nothing lost), every change is in the history, and
the library exports back to a folder with its revision. The server is stopped and removed at the end."""

from __future__ import annotations

import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

import pgserver  # noqa: E402


def main() -> int:
    if not pgserver.postgres_bin() or not pgserver.postgis_installed():
        print("PostgreSQL 15 + PostGIS 3 are needed: apt-get install postgresql-15-postgis-3 (make setup does)")
        return 1
    started = time.monotonic()
    out = os.path.join(ROOT, "demo_output", "team_library")
    with pgserver.ThrowawayServer() as server:
        print(f"throwaway PostgreSQL on 127.0.0.1:{server.port} in {server.folder}")
        team = pgserver.seed_team(server, "scheme", os.path.join(ROOT, "resources", "sample", "library"))
        from ecozoning.core.db_library import DatabaseStore, export_library
        from ecozoning.core.library_store import ClauseConflictError, PermissionRefusedError

        harbin = DatabaseStore(team["harbin_230100"], "team-demo Harbin")
        province = DatabaseStore(team["hlj_province"], "team-demo province")
        lib_h, lib_p = harbin.load(), province.load()
        print(f"published: {sum(1 for _ in lib_h.iter_clauses())} clauses, revision {harbin.revision()}")
        for store in (harbin, province):
            perms = store.permissions()
            print(f"  {perms.who}: {perms.kind} {' '.join(perms.cities)}")
        listener = province.listener()

        print("\n1. 哈尔滨市 edits its city clause C-230100-002 and saves")
        lib_h.find("C-230100-002")[
            0
        ].text = "松花江干流岸线一公里范围内禁止新建、扩建化工园区和化工项目，现有项目限期搬迁。"
        print("   saved:", harbin.save(lib_h))
        notes = []
        for _ in range(50):
            notes = listener.wait(0.2)
            if notes:
                break
        print(
            f"   the province's listening connection hears: {notes[0]['clause']} {notes[0]['op']} by {notes[0]['by']}"
        )
        for change in province.refresh(lib_p):
            print(f"   the province's library now shows {change.clause_id}: {lib_p.find(change.clause_id)[0].text}")

        print("\n2. 哈尔滨市 tries to change a province clause: the database refuses")
        lib_h.find("P-SL-001")[0].text = "（哈尔滨的改写）"
        try:
            harbin.save(lib_h)
        except PermissionRefusedError as refused:
            print("  ", str(refused).replace("\n", "\n   "))
        harbin.load()  # drop the refused edit
        lib_h = harbin.library

        print("\n3. Two Harbin colleagues edit the same clause C-230100-001 at once")
        second = DatabaseStore(team["harbin_230100"], "team-demo Harbin colleague")
        lib_2 = second.load()
        lib_h.find("C-230100-001")[0].text = "同事甲：新建工业项目应进入合规园区。"
        harbin.save(lib_h)
        lib_2.find("C-230100-001")[0].text = "同事乙：新建工业项目原则上进入园区，园区外只减不增。"
        try:
            second.save(lib_2)
        except ClauseConflictError as error:
            conflict = error.conflicts[0]
            print(f"   conflict on {conflict.clause_id}: saved by {conflict.by} at {conflict.at}")
            print(f"   theirs: {conflict.theirs['text']}\n   mine:   {conflict.mine['text']}")
            merged = "新建工业项目应进入合规园区，园区外现有企业只减不增。"
            second.resolve(lib_2, conflict, "merge", {"text": merged})
            print("   merged and saved:", second.save(lib_2))

        print("\n4. History of C-230100-001 (newest first)")
        uid = second.uid_of(lib_2.find("C-230100-001")[0])
        for entry in second.history(clause_uid=uid):
            print(
                f"   #{entry.id} {entry.at} {entry.who} ({entry.application}) {entry.op}: {(entry.state() or {}).get('text')}"
            )

        written, revision = export_library(team["admin"], out)
        print(f"\n5. exported {len(written)} files to {out} at revision {revision}")
        listener.close()
        for store in (harbin, province, second):
            store.close()
    print(f"server stopped and removed; {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
