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
    response = httpx.post(url + "_file", data={"source": "en", "target": "fa", "flags": "maybe"},
                          files={"file": ("news.txt", TEXTS[1].encode())})
    assert response.status_code == 400 and "flags parameter must be true or false" in response.json()["error"]


def test_a_translated_file_gets_its_flagged_segments_when_asked_each_naming_its_part(start_server):
    """/translate_file answers LibreTranslate's {"translatedFileUrl"} alone unless flags are asked; then the
    file's flagged segments, each naming where in the document it is, as the CLI's flags sidecar."""
    from tests.formats.test_subtitles import SRT

    server = start_server()
    url = f"{server.url}/translate_file"

    def send(name: str, data: str, **flags) -> dict:
        response = httpx.post(url, data={"source": "en", "target": "sq", **flags}, files={"file": (name, data.encode())},
                              timeout=120)
        assert response.status_code == 200, response.text
        return response.json()

    assert set(send("talk.srt", SRT)) == {"translatedFileUrl"}
    answer = send("talk.srt", SRT, flags="true")
    translated = httpx.get(server.url + answer["translatedFileUrl"]).text
    assert answer["flags"] and all(e["part"].startswith("cue") for e in answer["flags"])
    assert [e["segment"] for e in answer["flags"]] == sorted({e["segment"] for e in answer["flags"]})
    checker = SegmentChecker("en", "sq")
    for entry in answer["flags"]:
        assert all(w in SRT for w in entry["source"].split()) and all(w in translated for w in entry["translation"].split())
        assert all(f.to_dict() in entry["flags"] for f in checker(entry["source"], entry["translation"]))
    plain = send("news.txt", TEXTS[0], flags="true")
    assert plain["flags"] and all(e["part"] == "line 1" for e in plain["flags"])  # a text file's part: its line
    assert {"numbers", "names"} <= {f["check"] for e in plain["flags"] for f in e["flags"]}
