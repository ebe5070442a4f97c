"""Time the network engine on synthetic regions and compare with igraph alone.

Usage::

    .venv/bin/python -m bench.bench_engine --sizes 2000,10000
    .venv/bin/python -m bench.bench_engine --sizes 50000

For each size (organizations on the roster; about ten ties each) this prints
the seconds of every stage of :func:`network.engine.compute_network`, the
total (wall clock and CPU time), the peak resident memory of the process, and
the ratio of the total to python-igraph alone computing the same measures on
the same graph in the same run. Each size runs in its own process so its peak
memory is its own.
"""

import argparse
import resource
import subprocess
import sys
import time

import igraph as ig

from bench.synthetic import generate_region
from network import measures
from network.engine import (
    DEFAULT_SAMPLE,
    PATH_EXACT_LIMIT,
    PATH_SAMPLE,
    SAMPLE_THRESHOLD,
    compute_network,
)

TARGETS = {
    2000: "target <= 3 s",
    10000: "target <= 60 s, <= 2 GB, <= 3x igraph alone",
    50000: "target <= 600 s with sampled betweenness and closeness",
}


def cpu_seconds():
    """Return the CPU time this process has used, user and system."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_megabytes():
    """Return the peak resident memory of this process in MB (Linux: KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def igraph_alone(organizations, nominations, seed=42):
    """Return seconds python-igraph alone needs for the engine's measures."""
    index = {row.id: i for i, row in enumerate(organizations)}
    arcs = {(index[r.source], index[r.target]) for r in nominations}
    responded = [i for i, row in enumerate(organizations) if row.responded]

    started = time.perf_counter()
    g = ig.Graph(n=len(index), edges=sorted(arcs), directed=True)
    u = g.as_undirected(mode="collapse")
    n = g.vcount()
    sample = DEFAULT_SAMPLE if n > SAMPLE_THRESHOLD else None
    sources = measures.sample_sources(n, sample, seed) if sample else None
    g.betweenness(directed=True, sources=sources)
    if sources is None:
        u.harmonic_centrality(normalized=True)
    else:
        u.distances(source=sources)
    g.pagerank(damping=0.85)
    u.coreness()
    components = u.connected_components().membership
    communities = u.community_multilevel().membership
    u.constraint()
    u.list_triangles()
    u.transitivity_undirected()
    u.layout_fruchterman_reingold(grid="auto")
    among_respondents = g.induced_subgraph(responded).as_undirected(mode="collapse")
    among_respondents.community_multilevel()
    for graph in (u, among_respondents):
        giant = graph.connected_components().giant()
        if sample is None and giant.vcount() <= PATH_EXACT_LIMIT:
            giant.average_path_length(directed=False)
        else:
            giant.distances(source=list(range(min(PATH_SAMPLE, giant.vcount()))))
    assert len(components) == len(communities) == n
    return time.perf_counter() - started


def run_one(size, seed):
    """Benchmark one size in this process and print its report."""
    organizations, nominations = generate_region(size, seed=seed)
    ties = len({frozenset((r.source, r.target)) for r in nominations})
    before = peak_megabytes()

    started, cpu = time.perf_counter(), cpu_seconds()
    result = compute_network(organizations, nominations, seed=seed)
    total, total_cpu = time.perf_counter() - started, cpu_seconds() - cpu
    peak = peak_megabytes()
    cpu = cpu_seconds()
    alone = igraph_alone(organizations, nominations, seed)
    alone_cpu = cpu_seconds() - cpu

    print(
        f"== {len(organizations):,} organizations ({size:,} on the roster), "
        f"{ties:,} ties, {len(nominations):,} nominations"
    )
    for stage, seconds in result.timings.items():
        print(f"  {stage:<16}{seconds:9.2f} s")
    print(f"  {'total':<16}{total:9.2f} s   (CPU {total_cpu:.2f} s)")
    print(
        f"  {'igraph alone':<16}{alone:9.2f} s   (CPU {alone_cpu:.2f} s)"
        f"   ratio {total / alone:.2f}x (CPU {total_cpu / alone_cpu:.2f}x)"
    )
    print(f"  peak memory      {peak:9.0f} MB (rows alone: {before:.0f} MB)")
    sampling = result.figures["sampling"]
    if sampling:
        print(
            f"  sampled from {sampling['sources']} sources; standard error "
            f"betweenness mean {sampling['betweenness_standard_error']['mean']:.2e}"
            f" max {sampling['betweenness_standard_error']['max']:.2e}, "
            f"closeness mean {sampling['closeness_standard_error']['mean']:.2e}"
            f" max {sampling['closeness_standard_error']['max']:.2e}"
        )
    if size in TARGETS:
        print(f"  ({TARGETS[size]})")
    sys.stdout.flush()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="2000,10000",
        help="comma-separated organizations per region (2000,10000,50000)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    sizes = [int(s) for s in options.sizes.split(",") if s.strip()]

    if options.in_process:
        for size in sizes:
            run_one(size, options.seed)
        return
    for size in sizes:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.bench_engine",
                "--in-process",
                f"--sizes={size}",
                f"--seed={options.seed}",
            ],
            check=True,
        )


if __name__ == "__main__":
    main()
