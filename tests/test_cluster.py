"""Builds whose runs are laid out on a Dask cluster (edition/layout/cluster.py), and
several volumes built as a series (edition/cli/series.py).

The cluster tests start a `LocalCluster` of two worker processes and skip where Dask
(the `cluster` extra) is not installed; their PDFs must be the local build's, word for
word and position for position.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from edition.build import build
from edition.cli import main
from edition.layout import workers
from tests.pages import page_words

SAMPLE = Path(__file__).resolve().parent.parent / "source"


def tiny_edition(folder: Path, title: str) -> Path:
    """Three documents, each on a new page: three runs."""
    folder.mkdir(parents=True)
    (folder / "edition.toml").write_text(f'title = "{title}"\n')
    for number in (1, 2, 3):
        (folder / f"00{number}.md").write_text(
            f'+++\nnumber = "{number}"\ntitle = "{title} {number}"\n+++\n'
            + "".join(f"Words of {title}, document {number}.[^{i}]\n\n" for i in range(8))
            + "".join(f"[^{i}]: Note {i}.\n\n" for i in range(8)))
    return folder


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as local:
        yield local.scheduler_address


@pytest.fixture
def nothing_laid_out_here(monkeypatch):
    """Layout in this process or its own worker processes fails: only the cluster may."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("a run was laid out on this machine, not on the cluster")
    monkeypatch.setattr(workers, "_lay_here", refuse)
    monkeypatch.setattr(workers.Workers, "__init__", refuse)
    return monkeypatch


def test_a_cluster_build_is_the_local_build(cluster, tmp_path, nothing_laid_out_here):
    source = tmp_path / "sample"
    shutil.copytree(SAMPLE, source)
    on_cluster = build(source, tmp_path / "cluster.pdf", cache=False, scheduler=cluster)
    assert on_cluster.runs.scheduler == cluster
    assert on_cluster.runs.jobs == 2 and len(on_cluster.runs.laid) > 2
    nothing_laid_out_here.undo()
    build(source, tmp_path / "local.pdf", cache=False, jobs=1)
    assert page_words(tmp_path / "cluster.pdf") == page_words(tmp_path / "local.pdf")


def test_a_series_is_built_on_the_cluster(cluster, tmp_path, capsys,
                                          nothing_laid_out_here):
    first, second = (tiny_edition(tmp_path / name, name) for name in ("Alpha", "Beta"))
    (tmp_path / "series.toml").write_text('volumes = ["Alpha", "Beta"]\n')
    assert main(["build-series", str(tmp_path / "series.toml"), "--scheduler", cluster,
                 "--no-cache", "-q"]) == 0
    nothing_laid_out_here.undo()
    for folder in (first, second):
        built = folder / "output" / f"{folder.name}.pdf"
        local = build(folder, tmp_path / f"{folder.name}-local.pdf", cache=False, jobs=1)
        assert local.runs.total == 3
        assert page_words(built) == page_words(tmp_path / f"{folder.name}-local.pdf")


def test_a_series_builds_each_volume_locally(tmp_path, capsys):
    folders = [tiny_edition(tmp_path / name, name) for name in ("Gamma", "Delta")]
    assert main(["build-series", *map(str, folders), "--jobs", "1", "-q"]) == 0
    for folder in folders:
        words = page_words(folder / "output" / f"{folder.name}.pdf")
        text = " ".join(word[0] for page in words["pages"] for word in page["words"])
        assert f"{folder.name}, document 3." in text


def test_a_bad_series_file_is_one_line_with_its_line(tmp_path, capsys):
    tiny_edition(tmp_path / "Alpha", "Alpha")
    series = tmp_path / "series.toml"
    series.write_text('volumes = ["Alpha"]\nschedular = "tcp://x:8786"\n')
    assert main(["build-series", str(series)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"edition: {series}:2: unknown key 'schedular' in a series file "
                   "(volumes, scheduler)"]
    assert not (tmp_path / "Alpha" / "output").exists()


def test_scheduler_without_dask_says_how_to_install_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails: not installed
    source = tiny_edition(tmp_path / "Alpha", "Alpha")
    output = tmp_path / "out.pdf"
    code = main(["build", str(source), "-o", str(output), "--scheduler", "tcp://x:8786"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and err[0].startswith("edition: ")
    assert "pip install edition-typesetter[cluster]" in err[0]
    assert not output.exists()


def test_the_scheduler_setting_is_read_from_edition_toml(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    source = tiny_edition(tmp_path / "Alpha", "Alpha")
    with (source / "edition.toml").open("a") as settings:
        settings.write('[build]\nscheduler = "tcp://x:8786"\n')
    assert main(["build", str(source), "-o", str(tmp_path / "out.pdf")]) == 2
    assert "pip install edition-typesetter[cluster]" in capsys.readouterr().err
