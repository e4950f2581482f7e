"""A synthetic k× corpus from the Guardian sample: each article replicated with perturbed text
and dates, as other outlets' rewrites of the same story would be.

Copy 0 is the article itself; copy c > 0 drops ~4% of the words, swaps a few neighbours,
moves the publication date by up to ±3 days and names another outlet. The copies of one
article should land in one story cluster, and the corpus grows k-fold in words.

    python benchmarks/synth.py ../shared/corpus/guardian/articles.csv OUT.jsonl --scale 4
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

OUTLETS = ("The Guardian", "Wire Agency", "Capital Times", "The Coast Herald", "Daily Courier",
           "Evening Post", "Morning Star Online")


def read_guardian(path: Path, subset: int | None = None) -> list[dict]:
    csv.field_size_limit(1 << 30)
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if (r.get("text") or "").strip()]
    return rows[:subset] if subset else rows


def perturb(text: str, rng: random.Random) -> str:
    """Drop ~4% of the words and swap ~2% of neighbours, keeping the paragraphs."""
    paras = []
    for para in text.split("\n"):
        words = [w for w in para.split(" ") if not w or rng.random() >= 0.04]
        for i in range(len(words) - 1):
            if rng.random() < 0.02:
                words[i], words[i + 1] = words[i + 1], words[i]
        paras.append(" ".join(words))
    return "\n".join(paras)


def synth(rows: list[dict], scale: int, seed: int = 13) -> Iterator[dict]:
    for c in range(scale):
        for i, row in enumerate(rows):
            rng = random.Random(seed * 1_000_003 + c * 10_007 + i)
            try:
                pub = date.fromisoformat((row.get("date") or "")[:10])
            except ValueError:
                pub = None
            text = row["text"]
            if c:
                text = perturb(text, rng)
                if pub:
                    pub += timedelta(days=rng.randint(-3, 3))
            yield {
                "text": text,
                "published": pub.isoformat() if pub else None,
                "outlet": OUTLETS[c % len(OUTLETS)],
                "url": f"https://synth.example/{c}/{i}",
            }


def write(rows: list[dict], scale: int, out: Path) -> tuple[int, int]:
    """Write the k× corpus as JSONL; returns (articles, words)."""
    n = words = 0
    with open(out, "w", encoding="utf-8") as fh:
        for rec in synth(rows, scale):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
            words += len(rec["text"].split())
    return n, words


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--subset", type=int, default=None, help="first N Guardian articles only")
    args = ap.parse_args()
    n, words = write(read_guardian(args.csv, args.subset), args.scale, args.out)
    print(f"{n} articles, {words} words → {args.out}")


if __name__ == "__main__":
    main()
