"""Fair shares: a large request (plain, or with alternatives) does not hold its language pair; a
small one sent after it is answered first, and both get their own translations, in order."""

from __future__ import annotations

import asyncio

import pytest

from tests.serve.conftest import FIXED
from tests.tiny_models import CORPUS
from toolkit.serve.config import ServeConfig
from toolkit.serve.service import TranslationService

ENGLISH = [s for s in CORPUS if s.isascii()]


@pytest.mark.parametrize("alternatives", [0, 2])
def test_a_small_request_is_answered_before_a_large_one_sent_first(marian_multi_model, alone, tmp_path, monkeypatch,
                                                                   alternatives):
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TOOLKIT_DEVICE", "cpu")
    monkeypatch.setenv("TOOLKIT_DTYPE", "float32")  # padding changes no answer (bfloat16 can flip the tiny model's ties)
    service = TranslationService(ServeConfig(source="en", targets=("sq",), model=str(marian_multi_model), backend="hf",
                                             decoding=FIXED, translation_memory=False, batch_tokens=32))
    service.load()
    large = [f"{ENGLISH[i % len(ENGLISH)]} ({i})" for i in range(40)]  # about 20 model calls of 32 tokens
    small = ["Prices rose."]

    async def both():
        service.start()
        finished = []

        async def send(name: str, texts: list[str]) -> list[str]:
            if name == "large" and alternatives:
                result = await service.alternatives("en", "sq", texts, alternatives)
            else:
                result = [d.text for d in await service.documents("en", "sq", texts)]
            finished.append(name)
            return result

        try:
            answers = await asyncio.gather(send("large", large), send("small", small))
        finally:
            await service.close()
        return finished, answers

    finished, (large_out, small_out) = asyncio.run(both())
    assert finished == ["small", "large"]
    assert small_out == [alone("sq", small[0])]
    if alternatives:
        assert len(large_out) == len(large) and all(len(hypotheses) == alternatives for hypotheses in large_out)
    else:
        assert large_out == [alone("sq", text) for text in large]
