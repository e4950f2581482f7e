"""Ingest: every format into Articles, every bad input into one InputError naming it."""

from __future__ import annotations

import gzip
import io
import json
import sys
from datetime import date
from pathlib import Path

import pytest

from newswire.errors import InputError
from newswire.ingest import base, iter_inputs
from newswire.model import Article

HEADLINE = "Flooding forces thousands from homes in northern Kenya"
BODY = (
    "Heavy rains have displaced more than 12,000 people in Kenya's Turkana county, the Kenya "
    "Red Cross said on Tuesday, as rivers burst their banks for a second week.\n\n"
    "Aid workers said at least nine people had drowned and that roads into the county "
    "capital, Lodwar, had been cut off since Sunday."
)
PARAS = [
    "Government troops retook the northern town of Kalemie on Monday after two days of "
    "fighting with rebels, a regional governor said.",
    "At least 14 soldiers were killed and dozens wounded, according to a military "
    "spokesman who spoke on condition of anonymity.",
    "The rebels said in a statement that they had withdrawn to spare civilians and would "
    "continue to press their demands for talks with the government in Kinshasa.",
]


def html_page(title: str, paras: list[str], date_meta: str | None = None,
              url: str = "https://www.example-wire.com/africa/kalemie") -> str:
    meta = f'<meta property="article:published_time" content="{date_meta}">' if date_meta else ""
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (
        f"<html><head><title>{title}</title>{meta}"
        f'<meta name="author" content="Grace Mwangi"><link rel="canonical" href="{url}">'
        f"</head><body><nav><a href='/'>Home</a> | <a href='/africa'>Africa</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        f"<footer>Copyright 2019 Example Wire</footer></body></html>"
    )


def split(items) -> tuple[list[Article], list[InputError]]:
    items = list(items)
    arts = [i for i in items if isinstance(i, Article)]
    errs = [i for i in items if isinstance(i, InputError)]
    assert len(arts) + len(errs) == len(items)
    return arts, errs


def write_warc(path: Path, pages: list[tuple[str, str]], gz: bool) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for url, html in pages:
            body = html.encode("utf-8")
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers))
            img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url + ".png", "response", payload=io.BytesIO(b"\x89PNG\r\n" + bytes(300)),
                http_headers=img))


def warc_pages(n: int) -> list[tuple[str, str]]:
    return [
        (f"https://news.example.org/story-{i}",
         html_page(f"Story number {i} on the ceasefire talks",
                   [f"{p} (Story {i}.)" for p in PARAS]))
        for i in range(n)
    ]


# --- formats ---------------------------------------------------------------------------------


def test_txt_headline_split_and_published_fill(tmp_path):
    f = tmp_path / "kenya.txt"
    f.write_text(f"{HEADLINE}\n\n{BODY}\n", encoding="utf-8")
    [art] = list(iter_inputs([str(f)], published=date(2024, 5, 7)))
    assert art.title == HEADLINE
    assert not art.text.lstrip().startswith("Flooding")
    assert "Turkana county" in art.text
    assert art.published == date(2024, 5, 7)
    assert art.source == str(f)


def test_txt_first_sentence_is_not_a_headline(tmp_path):
    f = tmp_path / "plain.txt"
    f.write_text(BODY, encoding="utf-8")
    [art] = list(iter_inputs([str(f)]))
    assert art.title is None
    assert art.text.startswith("Heavy rains")
    assert art.published is None


def test_same_story_same_id_from_txt_and_jsonl(tmp_path):
    (tmp_path / "a.txt").write_text(f"{HEADLINE}\n\n{BODY}\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"title": HEADLINE, "text": BODY}) + "\n")
    arts, errs = split(iter_inputs([str(tmp_path)]))
    assert not errs and len(arts) == 2
    assert arts[0].id == arts[1].id


def test_html_metadata_and_text(tmp_path):
    f = tmp_path / "page.html"
    f.write_text(html_page("Troops retake Kalemie", PARAS, "2023-03-14T08:00:00Z"))
    [art] = list(iter_inputs([str(f)], published=date(2000, 1, 1)))
    assert art.title == "Troops retake Kalemie"
    assert art.published == date(2023, 3, 14)  # the page's own date wins over --published
    assert art.author == "Grace Mwangi"
    assert art.outlet == "example-wire.com"
    assert "At least 14 soldiers were killed" in art.text
    assert "Home" not in art.text
    # one paragraph per block, separated by blank lines
    assert "a regional governor said.\n\nAt least 14" in art.text


def test_html_without_date_does_not_guess_from_copyright(tmp_path):
    f = tmp_path / "nodate.htm"
    f.write_text(html_page("Troops retake Kalemie", PARAS))
    [art] = list(iter_inputs([str(f)], published=date(2023, 3, 15)))
    assert art.published == date(2023, 3, 15)
    [art] = list(iter_inputs([str(f)]))
    assert art.published is None


def test_jsonl_records_and_bad_lines(tmp_path):
    f = tmp_path / "wire.jsonl"
    lines = [
        json.dumps({"text": PARAS[0], "title": "Kalemie retaken", "date": "2023-03-14",
                    "url": "https://www.example-wire.com/a"}),
        "",
        "{not json",
        json.dumps({"title": "no text here"}),
        json.dumps(["a", "list"]),
        json.dumps({"text": PARAS[1], "published": "not a date at all"}),
        json.dumps({"text": PARAS[2], "published": "March 16, 2023", "outlet": "Daily Wire"}),
        json.dumps({"text": BODY}),
    ]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    arts, errs = split(iter_inputs([str(f)], published=date(2023, 3, 20)))
    assert [a.source for a in arts] == [f"{f}:1", f"{f}:7", f"{f}:8"]
    assert arts[0].published == date(2023, 3, 14) and arts[0].title == "Kalemie retaken"
    assert arts[0].outlet == "example-wire.com"
    assert arts[1].published == date(2023, 3, 16) and arts[1].outlet == "Daily Wire"
    assert arts[2].published == date(2023, 3, 20)
    assert [e.source for e in errs] == [f"{f}:3", f"{f}:4", f"{f}:5", f"{f}:6"]
    assert "invalid JSON" in errs[0].reason
    assert "text" in errs[1].reason
    assert "JSON object" in errs[2].reason
    assert "date" in errs[3].reason


def test_csv_rows_multiline_fields_and_line_numbers(tmp_path):
    f = tmp_path / "corpus.csv"
    rows = [
        '"","date","text","source"',
        f'"1",2019-04-10,"{PARAS[0]}\n\n{PARAS[1]}","guardian"',  # a record over 3 lines
        '"2",2019-04-11,"","guardian"',
        f'"3",,"{PARAS[2]}","guardian"',
        '"4",2019-04-12,"only three","fields","extra"',
    ]
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    arts, errs = split(iter_inputs([str(f)], published=date(2019, 1, 1)))
    assert [a.source for a in arts] == [f"{f}:2", f"{f}:6"]
    assert arts[0].published == date(2019, 4, 10) and arts[0].outlet == "guardian"
    assert "\n\nAt least 14 soldiers" in arts[0].text
    assert arts[1].published == date(2019, 1, 1)
    assert [e.source for e in errs] == [f"{f}:5", f"{f}:7"]
    assert "empty 'text'" in errs[0].reason
    assert "fields" in errs[1].reason


def test_csv_without_text_column(tmp_path):
    f = tmp_path / "meta.csv"
    f.write_text("id,headline\n1,Something happened\n", encoding="utf-8")
    [err] = list(iter_inputs([str(f)]))
    assert isinstance(err, InputError) and err.source == str(f)
    assert "no 'text' column" in err.reason


RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Example Wire: Africa</title><link>https://example-wire.com</link>
<item><title>Troops retake Kalemie</title><link>https://www.example-wire.com/kalemie</link>
<pubDate>Tue, 14 Mar 2023 08:00:00 GMT</pubDate>
<description>Short teaser only.</description>
<content:encoded><![CDATA[<p>{PARAS[0]}</p><p>{PARAS[1]}</p><script>track()</script>]]></content:encoded>
</item>
<item><title>Rebels issue statement</title><link>https://www.example-wire.com/statement</link>
<description>&lt;p&gt;{PARAS[2]}&lt;/p&gt;</description></item>
</channel></rss>
"""

BODY_ONE_LINE = BODY.replace("\n\n", " ")
ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title><id>urn:x</id>
<updated>2024-05-07T10:00:00Z</updated>
<entry><title>Flooding in Turkana</title><id>urn:1</id>
<link href="https://floods.example.net/turkana"/><published>2024-05-07T09:00:00Z</published>
<content type="html">&lt;p&gt;{BODY_ONE_LINE}&lt;/p&gt;</content></entry></feed>
"""


def test_rss_and_atom_feeds(tmp_path):
    (tmp_path / "africa.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "floods.atom").write_text(ATOM, encoding="utf-8")
    arts, errs = split(iter_inputs([str(tmp_path)], published=date(2023, 3, 20)))
    assert not errs
    assert [a.title for a in arts] == ["Troops retake Kalemie", "Rebels issue statement",
                                       "Flooding in Turkana"]
    first = arts[0]
    assert first.published == date(2023, 3, 14)
    assert first.text == f"{PARAS[0]}\n\n{PARAS[1]}"  # full content, not the teaser; no script
    assert first.outlet == "example-wire.com"
    assert first.source == f"{tmp_path / 'africa.rss'}#entry1"
    assert arts[1].text == PARAS[2] and arts[1].published == date(2023, 3, 20)
    assert arts[2].published == date(2024, 5, 7) and arts[2].outlet == "floods.example.net"


def test_malformed_feed(tmp_path):
    bad = tmp_path / "broken.xml"
    bad.write_text('<?xml version="1.0"?><rss><channel><title>x</title><item><title>a',
                   encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text(BODY, encoding="utf-8")
    arts, errs = split(iter_inputs([str(bad), str(good)]))
    assert len(arts) == 1 and arts[0].source == str(good)
    [err] = errs
    assert err.source == str(bad) and "feed" in err.reason


@pytest.mark.parametrize("name,gz", [("crawl.warc.gz", True), ("crawl.warc", False)])
def test_warc(tmp_path, name, gz):
    f = tmp_path / name
    write_warc(f, warc_pages(3), gz=gz)
    arts, errs = split(iter_inputs([str(f)], published=date(2022, 2, 2)))
    assert not errs
    assert [a.url for a in arts] == [f"https://news.example.org/story-{i}" for i in range(3)]
    assert all(a.source.startswith(f"{f}#") for a in arts)
    offsets = [int(a.source.rsplit("#", 1)[1]) for a in arts]
    assert offsets == sorted(offsets) and offsets[0] > 0  # the warcinfo record comes first
    assert all("At least 14 soldiers" in a.text for a in arts)
    assert arts[1].title == "Story number 1 on the ceasefire talks"
    assert all(a.outlet == "news.example.org" and a.published == date(2022, 2, 2) for a in arts)


@pytest.mark.parametrize("name,gz", [("cut.warc.gz", True), ("cut.warc", False)])
def test_truncated_warc_keeps_records_before_the_cut(tmp_path, name, gz):
    whole = tmp_path / ("whole" + name)
    write_warc(whole, warc_pages(4), gz=gz)
    complete = [a for a in iter_inputs([str(whole)]) if isinstance(a, Article)]
    assert len(complete) == 4
    data = whole.read_bytes()
    cut = tmp_path / name
    cut.write_bytes(data[: int(len(data) * 0.8)])  # inside the last page or its image
    arts, errs = split(iter_inputs([str(cut)]))
    assert [a.url for a in arts] == [a.url for a in complete[: len(arts)]]
    assert len(arts) >= 2
    [err] = errs
    assert err.source.startswith(f"{cut}#")
    assert int(err.source.rsplit("#", 1)[1]) > 0
    assert "truncated" in err.reason or "corrupt" in err.reason


def test_garbage_warc_gz(tmp_path):
    f = tmp_path / "junk.warc.gz"
    f.write_bytes(gzip.compress(b"this is not a warc file at all\n" * 20))
    [err] = list(iter_inputs([str(f)]))
    assert isinstance(err, InputError) and err.source.startswith(str(f))


# --- bad inputs, directories, stdin ---------------------------------------------------------


def test_bad_inputs_each_named_while_good_ones_still_read(tmp_path, monkeypatch):
    good1 = tmp_path / "good1.txt"
    good1.write_text(f"{HEADLINE}\n\n{BODY}\n", encoding="utf-8")
    good2 = tmp_path / "good2.jsonl"
    good2.write_text(json.dumps({"text": PARAS[0]}) + "\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n", encoding="utf-8")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 2)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Le président a déclaré « non » à Genève.\n".encode("cp1252") * 5)
    unknown = tmp_path / "notes.docx"
    unknown.write_bytes(b"PK\x03\x04 fake")
    empty_html = tmp_path / "blank.html"
    empty_html.write_text("", encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_text("Word " * 400, encoding="utf-8")
    missing = tmp_path / "missing.txt"
    monkeypatch.setattr(base, "MAX_BYTES", 1000)
    inputs = [good1, empty, binary, latin, unknown, empty_html, big, missing, good2]
    arts, errs = split(iter_inputs([str(p) for p in inputs]))
    assert [a.source for a in arts] == [str(good1), f"{good2}:1"]
    reasons = {e.source: e.reason for e in errs}
    assert list(reasons) == [str(p) for p in inputs[1:-1]]
    assert reasons[str(empty)] == "empty file"
    assert reasons[str(binary)].startswith("binary file")
    assert reasons[str(latin)].startswith("not UTF-8 text")
    assert "unknown file type '.docx'" in reasons[str(unknown)]
    assert reasons[str(empty_html)] == "empty file"
    assert "too large" in reasons[str(big)]
    assert "no such file" in reasons[str(missing)]
    for e in errs:  # one line each, naming the input
        assert "\n" not in str(e) and str(e).startswith(e.source)


def test_directory_recurses_sorted_skipping_hidden_and_unknown(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "two.txt").write_text(PARAS[1], encoding="utf-8")
    (tmp_path / "a" / "deep" / "one.txt").write_text(PARAS[0], encoding="utf-8")
    (tmp_path / "a" / "zero.html").write_text(html_page("Zero", PARAS), encoding="utf-8")
    (tmp_path / ".git" / "hidden.txt").write_text(PARAS[2], encoding="utf-8")
    (tmp_path / ".draft.txt").write_text(PARAS[2], encoding="utf-8")
    (tmp_path / "README.md").write_text("# notes", encoding="utf-8")
    arts, errs = split(iter_inputs([str(tmp_path)]))
    assert not errs
    assert [Path(a.source).relative_to(tmp_path).as_posix() for a in arts] == [
        "a/deep/one.txt", "a/zero.html", "b/two.txt"]
    empty_dir = tmp_path / "nothing"
    empty_dir.mkdir()
    [err] = list(iter_inputs([str(empty_dir)]))
    assert isinstance(err, InputError) and "no readable input" in err.reason


def _stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_stdin_text(monkeypatch):
    _stdin(monkeypatch, f"{HEADLINE}\n\n{BODY}\n".encode())
    [art] = list(iter_inputs(["-"], published=date(2024, 5, 7)))
    assert art.title == HEADLINE and art.source == "<stdin>"
    assert art.published == date(2024, 5, 7)


def test_stdin_jsonl(monkeypatch):
    lines = [json.dumps({"text": p, "date": f"2023-03-1{i}"}) for i, p in enumerate(PARAS)]
    lines.insert(1, "")
    _stdin(monkeypatch, ("\n".join(lines) + "\n").encode())
    arts, errs = split(iter_inputs(["-"]))
    assert not errs
    assert [a.source for a in arts] == ["<stdin>:1", "<stdin>:3", "<stdin>:4"]
    assert [a.published for a in arts] == [date(2023, 3, 10), date(2023, 3, 11),
                                           date(2023, 3, 12)]


def test_stdin_mixed_lines_is_text_and_binary_is_an_error(monkeypatch):
    _stdin(monkeypatch, ('{"text": "a"}\n' + PARAS[0] + "\n").encode())
    [art] = list(iter_inputs(["-"]))
    assert isinstance(art, Article) and art.text.startswith('{"text"')
    _stdin(monkeypatch, b"\x00\x01\x02 binary")
    [err] = list(iter_inputs(["-"]))
    assert isinstance(err, InputError) and err.source == "<stdin>" and "binary" in err.reason


def test_jsonl_bad_encoding_on_one_line_keeps_the_others(tmp_path):
    f = tmp_path / "mixed.jsonl"
    good = json.dumps({"text": PARAS[0]}).encode()
    bad = '{"text": "Le président a parlé à Genève."}'.encode("cp1252")
    f.write_bytes(b"\xef\xbb\xbf" + good + b"\r\n" + bad + b"\r\n" + good.replace(b"Government",
                                                                                b"Army") + b"\n")
    arts, errs = split(iter_inputs([str(f)]))
    assert [a.source for a in arts] == [f"{f}:1", f"{f}:3"]
    assert arts[1].text.startswith("Army troops")
    [err] = errs
    assert err.source == f"{f}:2" and err.reason == "not UTF-8 text"


def test_csv_not_utf8_names_the_line(tmp_path):
    f = tmp_path / "legacy.csv"
    rows = ["text,date", f'"{PARAS[0]}",2023-01-02', '"Déclaration à Genève",2023-01-03', ""]
    f.write_bytes("\n".join(rows).encode("cp1252"))
    arts, errs = split(iter_inputs([str(f)]))
    assert [a.source for a in arts] == [f"{f}:2"]
    [err] = errs
    assert err.source == f"{f}:3" and "not UTF-8" in err.reason


def test_corrupt_warc_gz_middle_keeps_earlier_records(tmp_path):
    f = tmp_path / "damaged.warc.gz"
    write_warc(f, warc_pages(4), gz=True)
    data = bytearray(f.read_bytes())
    mid = len(data) // 2
    data[mid:mid + 40] = b"X" * 40
    f.write_bytes(bytes(data))
    arts, errs = split(iter_inputs([str(f)]))
    assert 1 <= len(arts) < 4
    [err] = errs
    assert err.source.startswith(f"{f}#") and err.reason.isprintable()


def test_encodings_utf16_bom_accepted_control_bytes_rejected(tmp_path):
    wide = tmp_path / "windows.txt"
    wide.write_bytes(f"{HEADLINE}\r\n\r\n{BODY}\r\n".encode("utf-16"))  # with its BOM
    noisy = tmp_path / "noisy.txt"
    noisy.write_bytes(bytes(range(1, 32)) * 40 + bytes(range(128, 256)) * 10)  # no NUL byte
    arts, errs = split(iter_inputs([str(wide), str(noisy)]))
    assert [a.title for a in arts] == [HEADLINE]
    assert "Turkana county" in arts[0].text
    [err] = errs
    assert err.source == str(noisy) and err.reason.startswith("binary file")


def test_gzipped_jsonl_and_a_cut_one(tmp_path):
    lines = "".join(json.dumps({"text": p, "date": "2023-03-14"}) + "\n" for p in PARAS * 30)
    whole = tmp_path / "corpus.jsonl.gz"
    whole.write_bytes(gzip.compress(lines.encode("utf-8")))
    arts, errs = split(iter_inputs([str(whole)]))
    assert not errs and len(arts) == 90 and arts[89].source == f"{whole}:90"
    cut = tmp_path / "cut.jsonl.gz"
    data = whole.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    arts, errs = split(iter_inputs([str(cut)]))
    assert 0 < len(arts) < 90
    [err] = errs
    assert err.source.startswith(f"{cut}:") and "truncated" in err.reason
