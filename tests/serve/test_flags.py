"""Flags in the service: absent by default (LibreTranslate's answer), each text's flagged segments when
the request asks, the same as the library's checks of the same translation."""

from __future__ import annotations

import httpx

from toolkit.eval.segment_checks import SegmentChecker

TEXTS = ["The minister met 1,200 people in Tirana on Monday. Iran and Albania cut ties.",
         "Prices rose by 5 percent, officials said."]


def test_flags_only_when_asked_per_text_of_a_list(server):
    url = f"{server.url}/translate"
    plain = httpx.post(url, json={"q": TEXTS[0], "source": "en", "target": "sq"}).json()
    assert set(plain) == {"translatedText"}
    one = httpx.post(url, json={"q": TEXTS[0], "source": "en", "target": "sq", "flags": True}).json()
    assert one["translatedText"] == plain["translatedText"] and one["flags"]
    checker = SegmentChecker("en", "sq")
    for entry in one["flags"]:
        assert entry["translation"] in one["translatedText"] and entry["source"] in TEXTS[0]
        assert entry["flags"] == [f.to_dict() for f in checker(entry["source"], entry["translation"])]
    listed = httpx.post(url, data={"q": TEXTS, "source": "en", "target": "sq", "flags": "true"}).json()
    assert len(listed["flags"]) == 2 and listed["flags"][0] == one["flags"]
    assert listed["translatedText"][0] == one["translatedText"]


def test_flags_with_alternatives_or_a_bad_value_are_a_400(server):
    url = f"{server.url}/translate"
    for extra, message in (({"alternatives": 2}, "flags are given for translations without alternatives"),
                           ({"flags": "maybe"}, "flags parameter must be true or false")):
        response = httpx.post(url, json={"q": TEXTS[1], "source": "en", "target": "fa", "flags": True, **extra})
        assert response.status_code == 400 and message in response.json()["error"]
