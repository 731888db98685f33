"""``--scheduler ADDRESS``: run a command's work units on a Dask cluster (``reviewer import``
scores each pair there, ``reviewer score`` computes OMR-NED there)."""

from __future__ import annotations

import argparse

from reviewer.core.cluster import INSTALL, Cluster, check_reachable


def add_scheduler(parser: argparse.ArgumentParser, work: str) -> None:
    """The ``--scheduler`` option; ``work`` says what runs on the cluster."""
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help=f"{work} on the Dask cluster whose scheduler is at ADDRESS "
                        f"(tcp://host:8786) instead of local worker processes; needs "
                        f"`{INSTALL}`")


def cluster_of(args: argparse.Namespace) -> Cluster | None:
    """The cluster ``--scheduler`` names, checked to answer (before any long work), or
    ``None`` for local worker processes."""
    if args.scheduler is None:
        return None
    cluster = Cluster(args.scheduler)
    check_reachable(cluster)
    return cluster
