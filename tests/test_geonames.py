"""The place index: built once into the cache folder, saying so first."""

from __future__ import annotations

from pipeline import geonames
from pipeline.geonames import BUILDING, Shard, load_index
from pipeline.normalize import Folder
from pipeline.resources import DEFAULT_MODELS_DIR


def test_building_the_index_says_so_once(tmp_path, capsys, monkeypatch):
    shard = Shard()
    shard.add("saraqib", ("Saraqib", "SY", "12", 35.86, 36.8, 32000))
    built = []
    monkeypatch.setattr(geonames, "build_shards", lambda folder: built.append(folder) or {"SY": shard})
    folder = Folder.from_models(DEFAULT_MODELS_DIR)
    first = load_index(folder, tmp_path)
    assert capsys.readouterr().err == BUILDING + "\n"
    second = load_index(folder, tmp_path)
    assert capsys.readouterr().err == ""
    assert len(built) == 1
    assert first.exact("saraqib", ["SY"]) == second.exact("saraqib", ["SY"])
    assert second.exact("saraqib", ["SY"])[0].name == "Saraqib"
