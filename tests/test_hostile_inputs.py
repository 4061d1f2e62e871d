"""Untrusted sources: hostile URLs, XML attacks, absurd sizes and broken text.

Every case ends either in a PDF that shows nothing it should not, or in one line
`edition: FILE:LINE: message` with exit status 2; nothing is fetched from outside the
edition folder or the network unless `--allow-remote` says so.
"""

from __future__ import annotations

import io
import os
import shutil
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from weasyprint import HTML

import edition.build
from edition.cli import main
from edition.fetcher import find_in_sources, make_url_fetcher
from edition.readers.markdown import MAX_SOURCE_BYTES
from edition.render import STYLES_DIR

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "source"
TEI_FIXTURES = ROOT / "tests" / "fixtures" / "tei"
PASSWD = Path("/etc/passwd")
# A line every /etc/passwd has; it must never reach a PDF or a message.
PASSWD_MARK = "root:x:0:0"


# ---------------------------------------------------------------- helpers


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def image_count(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def markdown_edition(folder: Path, body: str) -> Path:
    """A one-document edition whose body is `body` (line 5 of 001.md is its first line)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "edition.toml").write_text('title = "Hostile"\n[front_matter]\nenabled = false\n')
    (folder / "001.md").write_text(f'+++\nnumber = "1"\ntitle = "Test"\n+++\n{body}\n')
    return folder


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([*argv])
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code: int, err: str, *fragments: str) -> None:
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("edition: ")
    for fragment in fragments:
        assert fragment in lines[0]
    assert PASSWD_MARK not in err


class _Server:
    """A local HTTP server that records every request it receives."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                server.requests.append(self.path)
                body = png_bytes() if self.path.endswith(".png") else b""
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server()
    thread = threading.Thread(target=srv.httpd.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


@pytest.fixture
def inject(monkeypatch):
    """Put raw HTML where the source says INJECT: a stand-in for a renderer that let
    markup through, so the fetcher is tested behind the whole build."""
    def install(html: str) -> None:
        original = edition.build.render_runs

        def render_runs(volume, runs, profile=None):
            return [run.replace("INJECT", html) for run in original(volume, runs, profile)]
        monkeypatch.setattr(edition.build, "render_runs", render_runs)
    return install


# ---------------------------------------------------------------- the fetcher itself


def render_with(fetcher, html: str, base: Path) -> bytes:
    return HTML(string=html, base_url=base.as_uri() + "/",
                url_fetcher=fetcher).render().write_pdf()


def test_file_url_outside_the_folder_is_refused(tmp_path):
    fetcher = make_url_fetcher([tmp_path])
    pdf = render_with(fetcher, '<img src="file:///etc/passwd">', tmp_path)
    assert fetcher.refused == [("file:///etc/passwd", "the file is outside the edition folder")]
    assert image_count(pdf) == 0


def test_image_inside_the_folder_is_served(tmp_path):
    (tmp_path / "pic.png").write_bytes(png_bytes())
    fetcher = make_url_fetcher([tmp_path])
    pdf = render_with(fetcher, '<img src="pic.png">', tmp_path)
    assert fetcher.refused == []
    assert image_count(pdf) == 1


@pytest.mark.parametrize("src", ["../../../../../../etc/passwd",
                                 "%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                                 "file://localhost/etc/passwd"])
def test_dot_dot_escapes_and_spellings_are_refused(tmp_path, src):
    folder = tmp_path / "a" / "b"
    folder.mkdir(parents=True)
    fetcher = make_url_fetcher([folder])
    render_with(fetcher, f'<img src="{src}">', folder)
    assert len(fetcher.refused) == 1
    assert fetcher.refused[0][1] == "the file is outside the edition folder"


def test_file_on_another_host_is_refused(tmp_path):
    fetcher = make_url_fetcher([tmp_path])
    assert "another host" in fetcher.refusal("file://evil.example/share/x.png")


def test_symlink_leaving_the_folder_is_refused_one_inside_is_served(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(png_bytes())
    folder = tmp_path / "edition"
    folder.mkdir()
    (folder / "leak.png").symlink_to(outside / "secret.png")
    (folder / "dir").symlink_to(outside, target_is_directory=True)
    (folder / "own.png").write_bytes(png_bytes())
    (folder / "alias.png").symlink_to(folder / "own.png")
    fetcher = make_url_fetcher([folder])
    pdf = render_with(fetcher, '<img src="leak.png"><img src="dir/secret.png">'
                      '<img src="alias.png">', folder)
    assert [url for url, _ in fetcher.refused] == [
        (folder / "leak.png").as_uri(), (folder / "dir" / "secret.png").as_uri()]
    assert image_count(pdf) == 1


def test_css_url_and_import_outside_the_folder_are_refused(tmp_path):
    (tmp_path / "outside.css").write_text("p { color: red }")
    folder = tmp_path / "edition"
    folder.mkdir()
    fetcher = make_url_fetcher([folder])
    html = ('<style>@import url("../outside.css");'
            'p { background: url(/etc/hostname) } '
            '@font-face { font-family: X; src: url(file:///etc/passwd) }</style>'
            '<p style="font-family: X; list-style-image: url(/etc/passwd)">x</p>')
    render_with(fetcher, html, folder)
    refused = {url for url, _ in fetcher.refused}
    assert (tmp_path / "outside.css").as_uri() in refused
    assert "file:///etc/hostname" in refused
    assert "file:///etc/passwd" in refused


def test_svg_inside_the_folder_cannot_reach_outside(tmp_path):
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
           ' width="10" height="10"><image xlink:href="file:///etc/passwd" width="10"'
           ' height="10"/></svg>')
    (tmp_path / "pic.svg").write_text(svg)
    fetcher = make_url_fetcher([tmp_path])
    render_with(fetcher, '<img src="pic.svg">', tmp_path)
    assert ("file:///etc/passwd", "the file is outside the edition folder") in fetcher.refused


def test_network_is_refused_without_a_request(tmp_path, server):
    fetcher = make_url_fetcher([tmp_path])
    pdf = render_with(fetcher, f'<img src="{server.url}/x.png">'
                      f'<link rel="stylesheet" href="{server.url}/s.css">', tmp_path)
    assert [reason for _, reason in fetcher.refused] == [
        "network access is off (use --allow-remote to allow it)"] * 2
    assert server.requests == []
    assert image_count(pdf) == 0


def test_network_is_served_when_allowed(tmp_path, server):
    fetcher = make_url_fetcher([tmp_path], allow_remote=True)
    pdf = render_with(fetcher, f'<img src="{server.url}/x.png">', tmp_path)
    assert fetcher.refused == []
    assert server.requests == ["/x.png"]
    assert image_count(pdf) == 1


@pytest.mark.parametrize("url", ["ftp://example.com/x.png", "gopher://x/y", "jar:file:/a!/b"])
def test_other_schemes_are_refused(tmp_path, url):
    assert make_url_fetcher([tmp_path]).refusal(url)


def test_data_urls_are_allowed(tmp_path):
    assert make_url_fetcher([tmp_path]).refusal("data:image/png;base64,AAAA") == ""


def test_find_in_sources_names_the_line(tmp_path):
    source = tmp_path / "a.md"
    source.write_text("one\ntwo file:///etc/passwd\n")
    assert find_in_sources("file:///etc/passwd", [source]) == (source, 2)
    assert find_in_sources("file:///etc/shadow", [source]) == (None, 0)


# ---------------------------------------------------------------- Markdown sources


def test_raw_img_tag_is_printed_as_text(tmp_path, capsys):
    folder = markdown_edition(tmp_path / "ed", 'Look: <img src="file:///etc/passwd"> here.')
    pdf = tmp_path / "out.pdf"
    code, _, err = run(capsys, "build", str(folder), "-o", str(pdf), "-q")
    assert code == 0, err
    text = pdf_text(pdf)
    # Printed as typed, the straight quotes set as typographic ones.
    assert "<img src=“file:///etc/passwd”>" in text
    assert PASSWD_MARK not in text
    assert image_count(pdf.read_bytes()) == 0


@pytest.mark.parametrize("body", ["![secret](file:///etc/passwd)",
                                  "![secret][r]\n\n[r]: file:///etc/passwd",
                                  "<file:///etc/passwd>"])
def test_markdown_image_and_autolink_syntax_is_text(tmp_path, capsys, body):
    folder = markdown_edition(tmp_path / "ed", body)
    pdf = tmp_path / "out.pdf"
    code, _, err = run(capsys, "build", str(folder), "-o", str(pdf), "-q")
    assert code == 0, err
    assert "file:///etc/passwd" in pdf_text(pdf)
    assert PASSWD_MARK not in pdf_text(pdf)
    assert image_count(pdf.read_bytes()) == 0


def test_http_image_syntax_is_an_error_with_the_line(tmp_path, capsys, server):
    folder = markdown_edition(tmp_path / "ed", f"text\n\n![x]({server.url}/x.png)")
    code, _, err = run(capsys, "build", str(folder), "-o", str(tmp_path / "o.pdf"), "-q")
    assert_one_line_error(code, err, "001.md:7:", "links are not part of the format")
    assert server.requests == []


def test_build_refuses_a_file_url_naming_the_source_line(tmp_path, capsys, inject):
    folder = markdown_edition(tmp_path / "ed", "First.\n\nINJECT see file:///etc/passwd")
    inject('<img src="file:///etc/passwd">')
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(b"%PDF previous")
    code, _, err = run(capsys, "build", str(folder), "-o", str(pdf), "-q")
    assert_one_line_error(code, err, f"{folder / '001.md'}:7: refused to fetch "
                          "'file:///etc/passwd': the file is outside the edition folder")
    assert pdf.read_bytes() == b"%PDF previous"


def test_build_refuses_css_url_outside_the_folder(tmp_path, capsys, inject):
    folder = markdown_edition(tmp_path / "ed", "INJECT")
    inject('<span style="background-image: url(../../../../../../../etc/hostname)">x</span>')
    code, _, err = run(capsys, "build", str(folder), "-o", str(tmp_path / "o.pdf"), "-q")
    assert_one_line_error(code, err, "refused to fetch 'file:///etc/hostname'")
    assert not (tmp_path / "o.pdf").exists()


def test_build_serves_files_of_the_edition_folder(tmp_path, capsys, inject):
    folder = markdown_edition(tmp_path / "ed", "INJECT")
    (folder / "pic.png").write_bytes(png_bytes())
    inject(f'<img src="{(folder / "pic.png").as_uri()}">')
    pdf = tmp_path / "o.pdf"
    code, _, err = run(capsys, "build", str(folder), "-o", str(pdf), "-q")
    assert code == 0, err
    assert image_count(pdf.read_bytes()) == 1


def test_build_remote_only_with_allow_remote(tmp_path, capsys, inject, server):
    folder = markdown_edition(tmp_path / "ed", f"INJECT {server.url}/x.png")
    inject(f'<img src="{server.url}/x.png">')
    pdf = tmp_path / "o.pdf"
    code, _, err = run(capsys, "build", str(folder), "-o", str(pdf), "-q")
    assert_one_line_error(code, err, "001.md:5:", "network access is off", "--allow-remote")
    assert server.requests == []
    code, _, err = run(capsys, "build", str(folder), "-o", str(pdf), "-q", "--allow-remote")
    assert code == 0, err
    assert server.requests == ["/x.png"]
    assert image_count(pdf.read_bytes()) == 1


def test_note_calling_itself(tmp_path, capsys):
    folder = markdown_edition(tmp_path / "ed", "Text.[^a]\n\n[^a]: A note calling[^a] itself.")
    code, _, err = run(capsys, "check", str(folder))
    assert_one_line_error(code, err, "001.md:7:", "note [^a] is called inside note [^a]")


def test_invalid_utf8_in_markdown_names_the_line(tmp_path, capsys):
    folder = markdown_edition(tmp_path / "ed", "fine\n\nbroken")
    doc = folder / "001.md"
    doc.write_bytes(doc.read_bytes().replace(b"broken", b"bro\xc3\x28ken"))
    code, _, err = run(capsys, "build", str(folder), "-o", str(tmp_path / "o.pdf"), "-q")
    assert_one_line_error(code, err, "001.md:7:", "not UTF-8 text")


@pytest.mark.parametrize("name", ["edition.toml", "persons.toml"])
def test_invalid_utf8_in_toml(tmp_path, capsys, name):
    folder = tmp_path / "ed"
    shutil.copytree(SAMPLE, folder)
    (folder / name).write_bytes(b'title = "\xff\xfe"\n')
    code, _, err = run(capsys, "check", str(folder))
    assert_one_line_error(code, err, name, "not UTF-8 text")


def test_fifty_megabyte_paragraph_is_refused_quickly(tmp_path, capsys):
    folder = markdown_edition(tmp_path / "ed", "")
    words = b"lorem ipsum dolor sit amet " * (50 * 2**20 // 27)
    (folder / "001.md").write_bytes(b'+++\nnumber = "1"\ntitle = "Big"\n+++\n' + words + b"\n")
    started = time.monotonic()
    code, _, err = run(capsys, "build", str(folder), "-o", str(tmp_path / "o.pdf"), "-q")
    assert time.monotonic() - started < 15
    assert_one_line_error(code, err, "001.md:1:", f"file larger than {MAX_SOURCE_BYTES // 2**20}")
    assert not (tmp_path / "o.pdf").exists()


def test_endless_file_is_refused(tmp_path, capsys):
    """A document symlinked to /dev/zero: refused as a link out of its folder, like any
    other, also when it is named on the command line (edition/safeio.py), never read."""
    folder = markdown_edition(tmp_path / "ed", "text")
    os.symlink("/dev/zero", folder / "002.md")
    code, _, err = run(capsys, "check", str(folder))
    assert_one_line_error(code, err, "002.md:", "links to a file outside the edition folder")
    code, _, err = run(capsys, "check", str(folder / "002.md"))
    assert_one_line_error(code, err, "002.md:", "links to a file outside the edition folder")


def test_document_linked_from_outside_the_folder_is_refused(tmp_path, capsys):
    outside = tmp_path / "elsewhere.md"
    outside.write_text('+++\nnumber = "2"\ntitle = "Secret"\n+++\n\nPrivate text.\n')
    folder = markdown_edition(tmp_path / "ed", "text")
    os.symlink(outside, folder / "002.md")
    code, _, err = run(capsys, "build", str(folder), "-o", str(tmp_path / "o.pdf"), "-q")
    assert_one_line_error(code, err, "002.md", "outside the edition folder")
    assert not (tmp_path / "o.pdf").exists()


# ---------------------------------------------------------------- TEI sources


def tei_edition(folder: Path, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.xml").write_bytes(data)
    return folder


@pytest.mark.parametrize("command", ["check", "build"])
def test_xxe_is_refused_at_the_cli(tmp_path, capsys, command):
    folder = tei_edition(tmp_path / "ed", (TEI_FIXTURES / "xxe.xml").read_bytes())
    argv = [command, str(folder)] + (["-o", str(tmp_path / "o.pdf"), "-q"]
                                     if command == "build" else [])
    code, out, err = run(capsys, *argv)
    assert_one_line_error(code, err, "a.xml:3:", "entity declarations are not allowed")
    assert PASSWD_MARK not in out


@pytest.mark.parametrize("command", ["check", "build"])
def test_billion_laughs_is_stopped_at_the_cli(tmp_path, capsys, command):
    folder = tei_edition(tmp_path / "ed", (TEI_FIXTURES / "billion-laughs.xml").read_bytes())
    argv = [command, str(folder)] + (["-o", str(tmp_path / "o.pdf"), "-q"]
                                     if command == "build" else [])
    started = time.monotonic()
    code, _, err = run(capsys, *argv)
    assert time.monotonic() - started < 5
    assert_one_line_error(code, err, "a.xml:3:", "entity declarations are not allowed")


def test_billion_laughs_in_utf16_is_stopped_by_the_parser(tmp_path, capsys):
    """UTF-16 hides `<!ENTITY` from the byte check; libxml2's amplification limit holds."""
    text = (TEI_FIXTURES / "billion-laughs.xml").read_text().replace("UTF-8", "UTF-16")
    folder = tei_edition(tmp_path / "ed", text.encode("utf-16"))
    started = time.monotonic()
    code, _, err = run(capsys, "check", str(folder))
    assert time.monotonic() - started < 5
    assert_one_line_error(code, err, "a.xml:", "malformed XML", "amplification")


def test_xxe_in_utf16_is_refused_like_utf8(tmp_path, capsys):
    text = (TEI_FIXTURES / "xxe.xml").read_text().replace("UTF-8", "UTF-16")
    folder = tei_edition(tmp_path / "ed", text.encode("utf-16"))
    pdf = tmp_path / "o.pdf"
    code, out, err = run(capsys, "build", str(folder), "-o", str(pdf), "-q")
    assert PASSWD_MARK not in out + err
    assert_one_line_error(code, err, "a.xml:", "entity declarations are not allowed")
    assert not pdf.exists()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_external_dtd_and_parameter_entities_make_no_request(tmp_path, capsys, server,
                                                             encoding):
    minimal = (TEI_FIXTURES / "minimal.xml").read_text()
    body = minimal.split("\n", 1)[1]
    doctype = f'<!DOCTYPE TEI SYSTEM "{server.url}/tei.dtd">'
    text = f'<?xml version="1.0" encoding="{encoding.upper()}"?>\n{doctype}\n{body}'
    folder = tei_edition(tmp_path / "ed", text.encode(encoding))
    code, _, err = run(capsys, "build", str(folder), "-o", str(tmp_path / "o.pdf"), "-q")
    assert code == 0, err
    pe = (f'<?xml version="1.0" encoding="{encoding.upper()}"?>\n<!DOCTYPE TEI [\n'
          f'<!ENTITY % ext SYSTEM "{server.url}/pe.dtd">\n%ext;\n]>\n{body}')
    (folder / "a.xml").write_bytes(pe.encode(encoding))
    code, _, err = run(capsys, "check", str(folder))
    assert code in (0, 2)
    if code == 2:
        assert_one_line_error(code, err, "a.xml:")
    assert server.requests == []


def test_tei_graphic_url_fetches_nothing(tmp_path, capsys, server):
    minimal = (TEI_FIXTURES / "minimal.xml").read_text()
    figures = (f'<figure><graphic url="file:///etc/passwd"/></figure>'
               f'<figure><graphic url="{server.url}/x.png"/></figure>')
    folder = tei_edition(tmp_path / "ed", minimal.replace("</p>", "</p>" + figures, 1).encode())
    pdf = tmp_path / "o.pdf"
    code, _, err = run(capsys, "build", str(folder), "-o", str(pdf), "-q")
    assert code == 0, err
    assert image_count(pdf.read_bytes()) == 0
    assert PASSWD_MARK not in pdf_text(pdf)
    assert server.requests == []


def test_fifty_megabyte_tei_paragraph_is_an_error(tmp_path, capsys):
    minimal = (TEI_FIXTURES / "minimal.xml").read_bytes()
    big = minimal.replace(b"The only note.", b"lorem ipsum " * (50 * 2**20 // 12))
    folder = tei_edition(tmp_path / "ed", big)
    started = time.monotonic()
    code, _, err = run(capsys, "build", str(folder), "-o", str(tmp_path / "o.pdf"), "-q")
    assert time.monotonic() - started < 15
    # TEI files have a size cap (edition/readers/base.py), checked before parsing.
    assert_one_line_error(code, err, "a.xml:1:", "file larger than")


def test_invalid_utf8_in_tei(tmp_path, capsys):
    minimal = (TEI_FIXTURES / "minimal.xml").read_bytes()
    folder = tei_edition(tmp_path / "ed", minimal.replace(b"The only", b"The \xff only"))
    code, _, err = run(capsys, "check", str(folder))
    assert_one_line_error(code, err, "a.xml:21:", "malformed XML")


def test_xml_error_with_quoted_source_is_one_line(tmp_path, capsys):
    """Found by fuzzing: libxml2 quotes the source after some messages, over lines."""
    folder = tei_edition(tmp_path / "ed", b"<!--" + (TEI_FIXTURES / "frus-sample.xml").read_bytes())
    code, _, err = run(capsys, "check", str(folder))
    assert_one_line_error(code, err, "a.xml:177:1: malformed XML: Comment not terminated")


def test_styles_dir_is_an_allowed_root():
    """The package's own fonts stay readable through the edition's fetcher."""
    fetcher = make_url_fetcher([Path("/nonexistent-edition"), STYLES_DIR])
    font = STYLES_DIR / "fonts" / "LinLibertine_R.otf"
    assert fetcher.refusal(font.as_uri()) == ""
    assert fetcher.refusal(PASSWD.as_uri()) != ""
