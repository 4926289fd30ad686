"""Models load at the first segment the translation memory cannot serve."""

import pytest

from toolkit.translate.engine import translate_texts
from toolkit.translate.factory import build_translator
from toolkit.translate.memory import TranslationMemory
from tests.translate.test_engine import DOCS


@pytest.mark.parametrize("backend", ["hf", "ct2"])
def test_a_run_the_memory_serves_loads_no_model(marian_model, tmp_path, backend):
    memory = TranslationMemory(tmp_path / "memory.sqlite3")
    first = build_translator("en", "sq", str(marian_model), backend, memory=memory)
    assert not first.inner.model.loaded  # building a translator loads no weights
    expected = translate_texts(DOCS, first)
    assert first.inner.model.loaded and first.misses > 0

    again = build_translator("en", "sq", str(marian_model), backend, memory=memory)
    assert translate_texts(DOCS, again) == expected
    assert (again.misses, again.inner.model.loaded) == (0, False)
    assert again.provenance == first.provenance  # revision, family, device known without the weights

    translate_texts(["A sentence the memory has never seen."], again)
    assert again.inner.model.loaded and again.misses == 1


def test_one_folder_spelled_two_ways_shares_the_memory(marian_model, tmp_path, monkeypatch):
    """``--model ./opus`` from its parent and ``--model /abs/opus`` are one model: the second is served."""
    memory = TranslationMemory(tmp_path / "memory.sqlite3")
    expected = translate_texts(DOCS, build_translator("en", "sq", str(marian_model.resolve()), "ct2", memory=memory))
    monkeypatch.chdir(marian_model.parent)
    again = build_translator("en", "sq", f"./{marian_model.name}", "ct2", memory=memory)
    assert translate_texts(DOCS, again) == expected
    assert (again.misses, again.inner.model.loaded) == (0, False)
