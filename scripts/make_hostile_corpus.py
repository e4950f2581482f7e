"""Write a corpus of hostile inputs for `newswire run`: every kind of damage a scraper meets.

    python scripts/make_hostile_corpus.py DIR [--scale N] [--seed S] [--bomb-mb M] [--huge-mb H]

Kinds (file name prefix = kind): good articles, empty and blank files, binary data, huge
files, gzip bombs (JSONL and WARC), broken encodings, right-to-left text, HTML nested
thousands deep, truncated and corrupt WARCs, broken feeds, duplicate stories, non-English
articles, control characters and odd punctuation, long articles (truncated, not dropped).
``--scale`` repeats the randomised kinds (scale 1 is ~60 files; 6 is a few hundred).
The texts are invented here; nothing is copied from any real source.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import random
import zlib
from pathlib import Path

PLACES = ["Kirkuk", "Mombasa", "Cusco", "Goma", "Quetta", "Sfax", "Herat", "Bamako", "Jenin"]
ACTS = [
    ("police fired tear gas at protesters", "injuring 12 people"),
    ("gunmen attacked a checkpoint", "killing 3 soldiers"),
    ("farmers blocked the main highway", "stranding 200 travellers"),
    ("troops arrested a local journalist", "seizing his camera"),
]
FOREIGN = {
    "de": "Die Polizei hat am Montag in {p} drei Männer festgenommen, die einen Anschlag auf "
          "eine Kaserne geplant haben sollen. Das teilte die Staatsanwaltschaft mit, die auch "
          "von weiteren Verdächtigen ausgeht.",
    "fr": "La police a arrêté lundi à {p} trois hommes qui, selon le parquet, préparaient une "
          "attaque contre une caserne. Les suspects ont été placés en garde à vue et une "
          "enquête a été ouverte par le juge.",
    "es": "La policía detuvo el lunes en {p} a tres hombres que, según la fiscalía, planeaban "
          "un ataque contra un cuartel. Los detenidos fueron trasladados a la capital y se "
          "abrió una investigación.",
    "ru": "Полиция в понедельник задержала в городе {p} трех мужчин, которые, по данным "
          "прокуратуры, готовили нападение на казарму.",
    "ar": "اعتقلت الشرطة يوم الاثنين في {p} ثلاثة رجال كانوا يخططون لهجوم على ثكنة عسكرية "
          "بحسب النيابة العامة.",
    "zh": "警方周一在{p}逮捕了三名男子，检方称他们计划袭击一处军营。",
}


def story(rng: random.Random, i: int) -> tuple[str, str]:
    place = rng.choice(PLACES)
    act, result = rng.choice(ACTS)
    title = f"{place}: {act.capitalize()}"
    text = (f"{place.upper()} — In {place} on Monday, {act}, {result}, officials said "
            f"(report {i}).\n\nA spokesman for the governor promised an investigation.\n\n"
            f"\"We have never seen anything like this,\" said a resident of {place}.")
    return title, text


def warc_record(url: str, html: bytes, rec_id: int) -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\n"
            f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{rec_id:012d}>\r\n"
            f"WARC-Date: 2024-06-03T10:00:00Z\r\nContent-Type: application/http; msgtype=response"
            f"\r\nContent-Length: {len(http)}\r\n\r\n").encode()
    return head + http + b"\r\n\r\n"


def gz(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6, mtime=0)


def html_page(title: str, text: str) -> bytes:
    paras = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"{paras}</article></body></html>").encode()


def gzip_bomb(total: int, chunk: bytes) -> bytes:
    """A gzip member that inflates to ``total`` bytes of ``chunk`` repeated (streamed)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    out = io.BytesIO()
    block = chunk * (1 << 20 // len(chunk))
    for _ in range(total // len(block)):
        out.write(comp.compress(block))
    out.write(comp.flush())
    return out.getvalue()


def write(root: Path, scale: int = 1, seed: int = 0, bomb_mb: int = 300,
          huge_mb: int = 21) -> dict[str, int]:
    """Write the corpus; returns the number of files per kind."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    kinds: dict[str, int] = {}

    def put(kind: str, name: str, data: bytes | str) -> None:
        path = root / f"{kind}_{name}"
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        kinds[kind] = kinds.get(kind, 0) + 1

    n = 0
    for r in range(scale):
        for j in range(3):
            n += 1
            title, text = story(rng, n)
            put("good", f"{r}_{j}.txt", f"{title}\n\n{text}\n")
        n += 1
        title, text = story(rng, n)
        put("good", f"{r}.html", html_page(title, text))
        lines = [json.dumps({"title": t, "text": x, "published": "2024-06-03"})
                 for t, x in (story(rng, n + k) for k in range(1, 4))]
        n += 3
        put("good", f"{r}.jsonl", "\n".join(lines) + "\n")
        recs = b"".join(gz(warc_record(f"https://example.org/{r}/{k}",
                                       html_page(*story(rng, n + k)), k)) for k in range(1, 3))
        n += 2
        put("good", f"{r}.warc.gz", recs)
        # damaged versions of the same kinds
        put("truncwarc", f"{r}.warc.gz", recs[: rng.randrange(40, len(recs) - 10)])
        put("truncwarc", f"{r}_plain.warc",
            warc_record("https://example.org/cut", html_page(*story(rng, 0)), 9)[:-200])
        put("corruptgz", f"{r}.jsonl.gz", gz(lines[0].encode())[:-12] + b"\x00garbage")
        put("empty", f"{r}.txt", b"")
        put("empty", f"{r}_blank.html", b"   \n\n\t  \n")
        put("empty", f"{r}.jsonl", b"\n\n")
        put("empty", f"{r}.xml", b"")
        put("empty", f"{r}.warc", b"")
        put("binary", f"{r}.txt", rng.randbytes(3000))
        put("binary", f"{r}.html", b"\x89PNG\r\n\x1a\n" + rng.randbytes(2000))
        put("binary", f"{r}.warc", rng.randbytes(1500))
        put("binary", f"{r}.rss", b"\x00\x01" + rng.randbytes(800))
        put("encoding", f"{r}_cp1252.txt",
            ("Protesters in Bogot\u00e1 said the caf\u00e9 owner \u201cwas beaten\u201d by police "
             "on Tuesday, witnesses said.\n").encode("cp1252"))
        put("encoding", f"{r}_utf16broken.txt", b"\xff\xfe" + "Police said".encode("utf-16-le")
            + b"\x00\xd8")
        put("encoding", f"{r}_mixed.jsonl",
            json.dumps({"text": "Good line: police detained 4 people in Goma, officials said."})
            .encode() + b"\n" + b'{"text": "caf\xe9 bad \xff line"}\n')
        put("rtl", f"{r}_override.txt",
            "Officials said \u202egunmen attacked\u202c a convoy near Quetta on Monday, killing "
            "\u200f5\u200e guards, while \u05d9\u05e8\u05d5\u05e9\u05dc\u05d9\u05dd officials "
            "declined to comment.\n")
        put("nonenglish", f"{r}_ar.txt", FOREIGN["ar"].format(p="\u0627\u0644\u0642\u0627\u0647"
                                                                  "\u0631\u0629") + "\n")
        lang = rng.choice(["de", "fr", "es", "ru", "zh"])
        put("nonenglish", f"{r}_{lang}.txt", FOREIGN[lang].format(p=rng.choice(PLACES)) + "\n")
        depth = rng.choice([2000, 10000])
        put("deephtml", f"{r}.html", b"<html><body>" + b"<div>" * depth
            + b"<p>Police said 4 people died in Goma on Monday.</p>" + b"</div>" * depth
            + b"</body></html>")
        put("brokenfeed", f"{r}_malformed.xml", b"<?xml version='1.0'?><rss><channel><item><ti")
        put("brokenfeed", f"{r}_noentries.rss",
            b"<?xml version='1.0'?><rss version='2.0'><channel><title>x</title></channel></rss>")
        put("brokenfeed", f"{r}_isjson.atom", b'{"feed": "this is JSON, not XML"}')
        title, text = story(rng, 0)
        put("brokenfeed", f"{r}_deepentry.rss",
            ("<?xml version='1.0'?><rss version='2.0'><channel><title>Wire</title>"
             "<item><title>Deep</title><description><![CDATA[" + "<div>" * 3000 + "Police said"
             + "</div>" * 3000 + "]]></description></item><item><title>" + title
             + "</title><description>" + text.replace("\n\n", " ")
             + "</description></item></channel></rss>").encode())
        put("badjsonl", f"{r}.jsonl", "not json\n{\"title\": \"no text field\"}\n"
            '{"text": "Police said 3 died in Sfax.", "published": "the day after"}\n[1, 2]\n')
        put("badcsv", f"{r}.csv", 'title,text\n"Broken,"Police said, "unclosed\n')
        put("weird", f"{r}_controls.txt",
            "Police said\x07 that 99999999999999999999999999 people \u2018gathered\u2019 in "
            "\u00abKirkuk\u00bb on Monday \u2014 \u201c\u201c\u201dthey said\u201d\u201d \x1b "
            "while 1e308 and -0 and \u221e were \u200b\u200b shouted.\n")
        put("weird", f"{r}_punct.txt", "!!! ??? ... \u2026 ''' \"\"\" ((( ))) --- ;;; :::\n\n"
            "Police said \"\"\"\" 12 ,,,, people ... were \u2026 killed \u201e\u201c.\n")
        put("unknown", f"{r}.pdf", b"%PDF-1.4 not supported")
    # duplicates: the same story as .txt and inside JSONL, and twice in one JSONL
    title, text = story(rng, 999)
    put("dup", "a.txt", f"{title}\n\n{text}\n")
    put("dup", "b.jsonl", (json.dumps({"title": title, "text": text}) + "\n") * 2)
    # a long article: stored truncated, with a warning
    paras = [story(rng, 5000 + k)[1].replace("\n\n", " ") for k in range(400)]
    put("long", "article.txt", "Long Report From The Region\n\n" + "\n\n".join(paras) + "\n")
    # huge, bombs
    put("huge", "file.txt", b"Police said. " * (huge_mb * (1 << 20) // 13 + 1))
    put("bomb", "lines.jsonl.gz", gzip_bomb(bomb_mb << 20, b"\n"))
    put("bomb", "zeros.jsonl.gz", gzip_bomb(bomb_mb << 20, b"\x00"))
    bomb_http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
    body_len = bomb_mb << 20
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.org/bomb\r\n"
            f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\n"
            f"Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(bomb_http) + body_len}\r\n\r\n").encode()
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    out = io.BytesIO()
    out.write(comp.compress(head + bomb_http))
    block = b" " * (1 << 20)
    for _ in range(bomb_mb):
        out.write(comp.compress(block))
    out.write(comp.compress(b"\r\n\r\n"))
    out.write(comp.flush())
    put("bomb", "page.warc.gz", out.getvalue())
    return kinds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--scale", type=int, default=6)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--bomb-mb", type=int, default=300)
    ap.add_argument("--huge-mb", type=int, default=21)
    args = ap.parse_args()
    kinds = write(args.dir, args.scale, args.seed, args.bomb_mb, args.huge_mb)
    for kind, count in sorted(kinds.items()):
        print(f"{kind:12} {count}")
    print(f"{'total':12} {sum(kinds.values())}")


if __name__ == "__main__":
    main()
