"""The real PyPI LibreTranslate clients, unchanged, against a real server."""

from __future__ import annotations

import asyncio

import pytest

SENTENCE = "The minister said the talks would continue next week in Tirana."


def test_libretranslatepy_translates_detects_and_lists_languages(server, alone):
    from libretranslatepy import LibreTranslateAPI

    lt = LibreTranslateAPI(server.url)
    assert lt.translate(SENTENCE, "en", "fa") == alone("fa", SENTENCE)
    assert lt.translate(SENTENCE, "en", "sq") == alone("sq", SENTENCE)
    detected = lt.detect("Ministri tha se bisedimet do të vazhdojnë javën e ardhshme.")
    assert detected[0]["language"] == "sq" and 50 < detected[0]["confidence"] <= 100
    languages = {lang["code"]: lang for lang in lt.languages()}
    assert languages["en"]["targets"] == ["fa", "sq"] and languages["fa"]["name"] == "Persian"


def test_libretranslate_aio_calls_and_typed_errors(start_server, alone, tmp_path):
    from libretranslate_aio import AsyncLibreTranslate
    from libretranslate_aio.exceptions import BadRequestError, ForbiddenError, RateLimitError

    server = start_server(api_keys=True, req_limit=3, char_limit=500)
    from toolkit.serve.keys import KeyStore

    api_key, _ = KeyStore(server.config.keys_db).add(req_limit=100)
    article = tmp_path / "article.md"
    article.write_text("# Prices\n\nPrices of bread rose by 12 percent.\n", "utf-8")

    async def run():
        async with AsyncLibreTranslate(server.url, api_key=api_key) as client:
            many = await client.translate([SENTENCE, "Prices rose."], "en", "sq")
            assert many.translated_text == [alone("sq", SENTENCE), alone("sq", "Prices rose.")]
            auto = await client.translate(SENTENCE, "auto", "fa")
            assert auto.translated_text == alone("fa", SENTENCE)
            assert auto.detected_language.language == "en" and auto.detected_language.confidence > 50
            settings = await client.frontend_settings()
            assert settings.api_keys and settings.char_limit == 500 and ".md" in settings.supported_files_format
            assert await client.health()
            assert [d.language for d in await client.detect(SENTENCE)][0] == "en"
            translated = await client.translate_file(article, "en", "fa")
            import httpx

            download = httpx.get(server.url + translated.translated_file_url)  # relative: no --public-url
            assert download.status_code == 200 and 'filename="article.md"' in download.headers["content-disposition"]
            assert download.text == alone("fa", article.read_text("utf-8"))
            assert download.text.startswith("# ") and "\n\n" in download.text  # Markdown layout kept

            with pytest.raises(BadRequestError, match="zz is not supported"):
                await client.translate(SENTENCE, "en", "zz")
            with pytest.raises(BadRequestError, match=r"Invalid request: request \(501\) exceeds text limit \(500\)"):
                await client.translate("a" * 501, "en", "fa")
        async with AsyncLibreTranslate(server.url, api_key="not-a-key") as client:
            with pytest.raises(ForbiddenError, match="^Invalid API key$"):
                await client.translate(SENTENCE, "en", "fa")
        async with AsyncLibreTranslate(server.url) as client:  # no key: 3 per minute for this address
            for _ in range(3):
                await client.translate(SENTENCE, "en", "fa")
            with pytest.raises(RateLimitError, match="^Slowdown: 3 per 1 minute$") as caught:
                await client.translate(SENTENCE, "en", "fa")
            assert caught.value.status_code == 429

    asyncio.run(run())


def test_suggestion_is_accepted_for_review_and_not_served(server):
    from libretranslate_aio import LibreTranslate

    with LibreTranslate(server.url) as client:
        sentence = "Journalists were not allowed to enter the building."
        before = client.translate(sentence, "en", "fa").translated_text
        assert client.suggest(sentence, "خبرنگاران اجازه ورود نداشتند.", "en", "fa")
        assert client.translate(sentence, "en", "fa").translated_text == before  # until an operator accepts it


def test_suggestions_disabled_is_403(start_server):
    from libretranslate_aio import LibreTranslate
    from libretranslate_aio.exceptions import ForbiddenError

    server = start_server()
    with LibreTranslate(server.url) as client, pytest.raises(ForbiddenError, match="Suggestions are disabled on this server."):
        client.suggest("a", "b", "en", "fa")
