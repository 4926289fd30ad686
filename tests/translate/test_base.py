"""Optional translator capabilities: a translator with only the required members still works."""

from __future__ import annotations

import pytest

from tests.identity import IdentityTranslator
from toolkit.errors import ToolkitError
from toolkit.translate.engine import translate_texts_nbest
from toolkit.translate.memory import CachedTranslator, TranslationMemory


class _AtBound(IdentityTranslator):
    """Counts every output as stopped at the length bound; keeps no per-sentence flags."""

    def translate_batch(self, sentences):
        out = super().translate_batch(sentences)
        self.bound_reached += len(sentences)
        return out


def test_a_translator_with_only_the_required_members_works_behind_the_memory(tmp_path):
    memory = TranslationMemory(tmp_path / "memory.sqlite3")
    first = CachedTranslator(_AtBound(), memory)
    assert first.translate_batch(["Iran.", "Albania."]) == ["Iran.", "Albania."]
    assert first.last_bound == [True, True] and first.bound_reached == 2
    again = CachedTranslator(IdentityTranslator(), memory)
    assert again.translate_batch(["Iran.", "Tirana."]) == ["Iran.", "Tirana."]
    assert (again.hits, again.misses, again.last_bound, again.bound_reached) == (1, 1, [True, False], 1)


def test_alternatives_from_a_translator_without_them_is_a_clear_error(tmp_path):
    for translator in (IdentityTranslator(), CachedTranslator(IdentityTranslator(), TranslationMemory(tmp_path / "m"))):
        with pytest.raises(ToolkitError, match="one translation per sentence, not alternatives"):
            translate_texts_nbest(["Iran and Albania."], translator, 2)
