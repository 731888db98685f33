"""``reviewer share``, ``join``, ``sync``, ``team`` and ``team-server``: a team on one
benchmark through a PostgreSQL server."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reviewer.cli.common import add_output_format, add_project, open_project
from reviewer.cli.merging import agreement_table
from reviewer.cli.terminal import json_text, safe
from reviewer.core.agreement import annotator_agreement
from reviewer.store.annotations import annotator_decisions
from reviewer.store.team import (
    TeamOffline,
    join_project,
    local_server,
    share_project,
    sync_project,
    sync_state,
)
from reviewer.store.team.summary import team_summary

SHOWN_ITEMS = 10
ROLES = "annotator: decides; adjudicator: also settles disputes; observer: reads only"


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser(
        "share", help="publish a project on a PostgreSQL server for a team",
        description="Publish the project's benchmark (items, predictions, scoring settings)\n"
        "and its decision history as a shared project in its own schema of the database.\n"
        "Run as the owner (a role that may create schemas and roles). Sharing the same file\n"
        "again publishes a new system's predictions: every copy takes them on its next\n"
        "sync. Prints the SQL an administrator runs to add a person, or runs it for the\n"
        "people given with --add-annotator, --add-adjudicator and --add-observer.\n"
        "Passwords never go into a project: libpq's ~/.pgpass, service files or\n"
        f"PGPASSWORD supply them. Roles: {ROLES}.",
        epilog="examples:\n"
        "  reviewer share proj.db postgresql://server/benchmarks --name mmlu-redux\n"
        "  reviewer share proj.db postgresql://server/benchmarks --add-annotator alice "
        "--add-annotator bob --add-observer carol",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_project(s)
    s.add_argument("server", metavar="URL", help="postgresql://[user@]host[:port]/database")
    s.add_argument("--name", help="the shared project's name (default: from the file name)")
    for kind in ("annotator", "adjudicator", "observer"):
        s.add_argument(f"--add-{kind}", action="append", default=[], metavar="NAME",
                       help=f"let this person (a PostgreSQL role, made when missing) work as "
                       f"{kind}; repeatable")
    s.set_defaults(run=run_share)

    j = sub.add_parser(
        "join", help="make a local working copy of a shared project",
        description="Make a local copy of a shared project for the role you connect as: it\n"
        "works offline; your decisions wait in its outbox until `reviewer sync`.",
        epilog="examples:\n  reviewer join postgresql://server/benchmarks/mmlu-redux mine.db\n"
        "  reviewer join postgresql://alice@server/benchmarks/mmlu-redux mine.db",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    j.add_argument("url", metavar="URL", help="postgresql://[user@]host[:port]/database/project")
    add_project(j)
    j.set_defaults(run=run_join)

    y = sub.add_parser(
        "sync", help="push your waiting decisions and pull your teammates'",
        description="Send the decisions waiting in the copy's outbox to the server, then bring\n"
        "in everyone's new decisions (and a new system the owner shared). Safe to repeat\n"
        "or interrupt: nothing is sent twice and nothing leaves the outbox unacknowledged.",
        epilog="example:\n  reviewer sync mine.db",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_project(y)
    y.set_defaults(run=run_sync)

    t = sub.add_parser(
        "team", help="who decided how much, agreement so far, what waits for adjudication",
        description="The team's work on a shared copy (or any project with several\n"
        "annotators): events and items per annotator, agreement on the verdict, and the\n"
        "items annotators disagree on that nobody adjudicated yet. Reads the local copy:\n"
        "run `reviewer sync` first for the latest.",
        epilog="examples:\n  reviewer team mine.db\n  reviewer team mine.db --format json",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_project(t)
    add_output_format(t)
    t.set_defaults(run=run_team)

    v = sub.add_parser(
        "team-server", help="run a local PostgreSQL server for trying team work",
        description="Start (creating it on first use) a PostgreSQL server in FOLDER,\n"
        "listening on localhost and trusting local connections: for trying `share`,\n"
        "`join` and `sync` on one machine, not for a team. Needs the PostgreSQL server\n"
        "programs (the `postgresql` system package, or `pip install pgserver`).",
        epilog="examples:\n  reviewer team-server ~/reviewer-server\n"
        "  reviewer team-server ~/reviewer-server --stop",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    v.add_argument("folder", type=Path, metavar="FOLDER", help="the server's data folder")
    v.add_argument("--port", type=int, help="the TCP port (first start; default: a free one)")
    v.add_argument("--stop", action="store_true", help="stop the server")
    v.set_defaults(run=run_team_server)


def run_share(args: argparse.Namespace) -> int:
    members = [(name, kind) for kind in ("annotator", "adjudicator", "observer")
               for name in getattr(args, f"add_{kind}")]
    out = share_project(args.project, args.server, args.name, members)
    if out.created:
        print(f"shared {safe(args.project)} as {safe(out.remote)}")
    else:
        change = ("the systems and predictions updated (copies take them on their next sync)"
                  if out.benchmark_updated else "the benchmark unchanged")
        print(f"{safe(out.remote)}: already shared; {change}")
    print(f"{out.events_sent} events sent")
    for name, kind in out.members_added:
        print(f"added {safe(name)} as {kind}")
    print(f"\njoin with:  reviewer join {safe(out.url)} mine.db   (as your own role; "
          "postgresql://NAME@... for another)")
    if not out.members_added:
        print("\nTo add a person (here alice), an administrator of the server runs the first "
              "line and the GRANT of the role they take:")
        for line in out.admin_sql:
            print(f"  {safe(line)}")
    return 0


def run_join(args: argparse.Namespace) -> int:
    out = join_project(args.url, args.project)
    print(f"{safe(out.path)}: a copy of {safe(out.remote)} ({out.items:,} items, "
          f"{out.events:,} events); you decide as {safe(out.annotator)}")
    return 0


def run_sync(args: argparse.Namespace) -> int:
    try:
        report = sync_project(args.project)
    except TeamOffline as exc:
        state = sync_state(args.project)
        print(f"reviewer: offline: {safe(exc)}", file=sys.stderr)
        waits = "event waits" if state.waiting == 1 else "events wait"
        print(f"{state.waiting} {waits} in the outbox (offline since "
              f"{safe(state.offline_since or '?')})", file=sys.stderr)
        return 1
    line = f"pushed {report.pushed}, pulled {report.pulled}"
    if report.pulled_items:
        n = len(report.pulled_items)
        line += f" ({n} item's decision changed)" if n == 1 else f" ({n} items' decisions changed)"
    if report.benchmark_updated:
        line += "; took the owner's new systems"
    print(f"{line}; {report.waiting} waiting")
    return 0


def run_team(args: argparse.Namespace) -> int:
    state = sync_state(args.project)
    with open_project(Path(args.project)) as project:
        summary = team_summary(project)
        agreement = annotator_agreement(annotator_decisions(project))
        name = project.name
    if args.format == "json":
        print(json_text({
            "project": name, "shared": state.shared, "remote": state.remote,
            "annotator": state.annotator, "waiting": state.waiting,
            "last_synced_at": state.last_synced_at, "offline_since": state.offline_since,
            "annotators": [{"annotator": w.annotator, "events": w.events, "items": w.items}
                           for w in summary.work],
            "agreement": agreement.to_dict(), "disputed": list(summary.disputed),
            "waiting_for_adjudication": list(summary.waiting)}, indent=2))
        return 0
    lines = []
    if state.shared:
        synced = (f"offline since {state.offline_since}" if state.offline_since
                  else f"last synced {state.last_synced_at}")
        lines.append(f"{state.remote}, as {state.annotator}: {synced}; "
                     f"{state.waiting} waiting to be pushed")
        lines.append("")
    width = max([len("annotator"), *(len(w.annotator) for w in summary.work)]) + 2
    lines.append(f"{'annotator':<{width}}{'events':>8}{'items':>8}")
    lines += [f"{w.annotator:<{width}}{w.events:>8,}{w.items:>8,}" for w in summary.work]
    lines.append("")
    lines += agreement_table(name, agreement)
    lines.append("")
    shown = ", ".join(summary.waiting[:SHOWN_ITEMS])
    more = f", … ({len(summary.waiting) - SHOWN_ITEMS} more)" \
        if len(summary.waiting) > SHOWN_ITEMS else ""
    n = len(summary.disputed)
    lines.append(f"{n} item{'' if n == 1 else 's'} disputed, {len(summary.waiting)} waiting "
                 f"for adjudication{': ' + shown + more if shown else ''}")
    print(safe("\n".join(lines), multiline=True))
    return 0


def run_team_server(args: argparse.Namespace) -> int:
    server = local_server.server_in(args.folder, args.port)
    if args.stop:
        local_server.stop(server)
        print(f"stopped the server in {safe(server.data)}")
        return 0
    local_server.start(server)
    local_server.create_database(server)
    url = server.url()
    print(f"a PostgreSQL server runs in {safe(server.data)} on localhost:{server.port}, "
          "trusting local connections (a trial, not for a team)")
    print(f"  share:  reviewer share proj.db {url} --add-annotator alice")
    print(f"  join:   reviewer join postgresql://alice@localhost:{server.port}/"
          f"{local_server.DEFAULT_DATABASE}/proj alice.db")
    print(f"  stop:   reviewer team-server {safe(args.folder)} --stop")
    return 0
