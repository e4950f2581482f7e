"""Coverage-guided fuzzing of the input readers (HTML, WARC, feeds, JSONL/CSV, text).

    python fuzz/fuzz_readers.py [--seconds 60]          (what `make fuzz` runs)

Each input is one byte choosing the reader (by file suffix) and the file's bytes.  A reader
may yield Articles and InputErrors and may raise InputError; anything else is a finding.
Findings are not fatal: each is written to tests/fuzz_regressions/<suffix>__<sha1>.bin (warc_gz__…)
(which tests/test_fuzz_props.py replays in the normal suite) and fuzzing goes on until the
time is up.  Uses atheris (libFuzzer) when it is installed; otherwise a plain random
mutation loop over the same seeds, without coverage feedback (it says so).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import hashlib
import io
import json
import random
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REGRESSIONS = ROOT / "tests" / "fuzz_regressions"
SUFFIXES = [".html", ".warc", ".warc.gz", ".rss", ".atom", ".xml", ".jsonl", ".jsonl.gz",
            ".csv", ".txt"]
_stats = {"execs": 0, "findings": 0, "new": 0}
_seen: set[str] = set()
_work = Path(tempfile.mkdtemp(prefix="newswire-fuzz-"))
_START = time.time()


def run_one(data: bytes) -> None:
    """Feed one input to one reader; record anything but InputError as a finding."""
    from newswire.errors import InputError
    from newswire.ingest import READERS
    from newswire.model import Article

    _stats["execs"] += 1
    if not data:
        return
    suffix = SUFFIXES[data[0] % len(SUFFIXES)]
    path = _work / f"input{suffix}"
    path.write_bytes(data[1:])
    try:
        # warcio and feedparser chat on stderr about every damaged input
        with contextlib.redirect_stderr(io.StringIO()):
            for item in READERS[suffix](path, str(path)):
                if not isinstance(item, Article | InputError):
                    raise TypeError(f"reader yielded {type(item).__name__}")
    except InputError:
        pass
    except Exception as exc:  # the finding: a reader let a non-InputError escape
        _record(suffix, data[1:], exc)


def _record(suffix: str, body: bytes, exc: Exception) -> None:
    key = f"{type(exc).__name__}:{traceback.extract_tb(exc.__traceback__)[-1][:3]}"
    _stats["findings"] += 1
    if key in _seen:
        return
    _seen.add(key)
    REGRESSIONS.mkdir(parents=True, exist_ok=True)
    # "warc_gz__<sha1>.bin": no leading dot (a hidden file would be easy to miss)
    name = f"{suffix[1:].replace('.', '_')}__{hashlib.sha1(body).hexdigest()[:12]}.bin"
    target = REGRESSIONS / name
    if not target.exists():
        target.write_bytes(body)
        _stats["new"] += 1
    state = "new" if _stats["new"] and target.stat().st_mtime >= _START else "known"
    print(f"FINDING {type(exc).__name__}: {str(exc)[:160]} -> tests/fuzz_regressions/{name}"
          f" ({state})", flush=True)


def seeds() -> list[bytes]:
    """Valid and near-valid inputs for every reader, so mutation starts somewhere useful."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import make_hostile_corpus as gen

    rng = random.Random(0)
    title, text = gen.story(rng, 1)
    page = gen.html_page(title, text)
    warc = gen.warc_record("https://example.org/a", page, 1)
    item = f"<item><title>{title}</title><description>{text}</description></item>"
    bodies = {
        ".html": page,
        ".warc": warc,
        ".warc.gz": gen.gz(warc),
        ".rss": f"<?xml version='1.0'?><rss version='2.0'><channel>{item}</channel></rss>"
                .encode(),
        ".atom": (f"<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>{title}</title>"
                  f"<content type='html'>{text}</content></entry></feed>").encode(),
        ".xml": b"<rss><channel><item><title>x</title></item></channel></rss>",
        ".jsonl": (json.dumps({"title": title, "text": text, "published": "2024-06-03"})
                   + "\n").encode(),
        ".jsonl.gz": gen.gz(b'{"text": "Police said 3 died."}\n'),
        ".csv": b'title,text\n"A","Police said 3 died."\n',
        ".txt": f"{title}\n\n{text}\n".encode(),
    }
    return [bytes([SUFFIXES.index(s)]) + body for s, body in bodies.items()]


def _summary(started: float, engine: str) -> None:
    print(f"fuzz summary ({engine}): {_stats['execs']} executions in "
          f"{time.monotonic() - started:.0f} s, {_stats['findings']} findings "
          f"({len(_seen)} distinct, {_stats['new']} new regression files)", flush=True)


def _mutate(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(5)
        if op == 0 and b:
            b[rng.randrange(len(b))] = rng.randrange(256)
        elif op == 1 and len(b) > 1:
            del b[rng.randrange(1, len(b)):]
        elif op == 2:
            at = rng.randrange(len(b) + 1)
            b[at:at] = rng.randbytes(rng.randint(1, 16))
        elif op == 3:
            other = rng.choice(pool)
            at = rng.randrange(len(b) + 1)
            b[at:] = other[rng.randrange(len(other)):]
        elif op == 4 and len(b) > 2:
            i, j = sorted(rng.sample(range(len(b)), 2))
            b[i:j] = b[i:j] * rng.randint(2, 50)
    return bytes(b[:200_000])


def _has_atheris() -> bool:
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


def _supervise(seconds: int, rest: list[str]) -> int:
    proc = subprocess.Popen([sys.executable, __file__, "--child", "--seconds", str(seconds),
                             *rest], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    execs, findings, new = 0, 0, 0
    assert proc.stdout is not None
    for raw in proc.stdout:
        line = raw.decode("utf-8", "replace").rstrip()
        if line.startswith("stat::number_of_executed_units:"):
            execs = int(line.split(":")[-1])
        elif line.startswith("FINDING"):
            findings += 1
            new += "(new)" in line
        elif line.startswith(("#", "INFO", "\"")) or "Uses:" in line:
            continue  # libFuzzer's progress and dictionary chatter
        print(line, flush=True)
    rc = proc.wait()
    print(f"fuzz summary (atheris/libFuzzer, coverage-guided): {execs} executions in "
          f"{seconds} s, {findings} distinct findings ({new} new regression files under "
          "tests/fuzz_regressions/)", flush=True)
    return 1 if findings or rc not in (0,) else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--random", action="store_true", help="skip atheris, mutate at random")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args, rest = ap.parse_known_args()
    started = time.monotonic()
    if not args.random and not args.child and _has_atheris():
        # libFuzzer ends the process without running Python's exit hooks, so the
        # fuzzer runs in a child and this process reads its report.
        sys.exit(_supervise(args.seconds, rest))
    pool = seeds()
    try:
        if args.random:
            raise ImportError
        import atheris
    except ImportError:
        atexit.register(_summary, started, "random mutation, no coverage feedback")
        print("atheris not used: random mutation without coverage feedback", flush=True)
        rng = random.Random(1)
        for s in pool:
            run_one(s)
        while time.monotonic() - started < args.seconds:
            run_one(_mutate(rng, rng.choice(pool), pool))
        return
    corpus = Path(tempfile.mkdtemp(prefix="newswire-fuzz-corpus-"))
    for i, s in enumerate(pool):
        (corpus / f"seed{i}").write_bytes(s)
    with atheris.instrument_imports():
        import feedparser  # noqa: F401
        import warcio.archiveiterator  # noqa: F401

        import newswire.ingest  # noqa: F401
    atheris.Setup([sys.argv[0], f"-max_total_time={args.seconds}", "-timeout=20",
                   "-rss_limit_mb=4096", "-max_len=65536", "-print_final_stats=1",
                   *rest, str(corpus)], run_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
