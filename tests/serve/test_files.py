"""Translated files: safe random names, nothing outside the folder, gone after their time or past the size limit."""

from __future__ import annotations

import os
import time

from toolkit.serve.files import FileStore, safe_name


def test_names_are_random_and_safe(tmp_path):
    store = FileStore(ttl_s=60, limit_bytes=1000, folder=tmp_path)
    first, second = store.save("../../etc/passwd", "a"), store.save("../../etc/passwd", "b")
    assert first != second and first.endswith(".passwd") and store.path(first).read_text() == "a"
    assert safe_name("C:\\news\\برگ 1.md") == "برگ_1.md" and safe_name("..") == "file.txt"
    for bad in ("../x.txt", "passwd", first.replace(".passwd", "/../passwd"), "." + first):
        assert store.path(bad) is None
    assert {p.name for p in tmp_path.iterdir()} == {first, second}


def test_files_expire(tmp_path):
    store = FileStore(ttl_s=60, limit_bytes=1000, folder=tmp_path)
    old, new = store.save("old.txt", "old"), store.save("new.txt", "new")
    hour_ago = time.time() - 3600
    os.utime(tmp_path / old, (hour_ago, hour_ago))
    assert store.path(old) is None and not (tmp_path / old).exists()
    assert store.path(new).read_text() == "new"


def test_the_oldest_files_go_past_the_store_limit(tmp_path):
    store = FileStore(ttl_s=60, limit_bytes=10, folder=tmp_path)
    first, second = store.save("a.txt", "aaaa"), store.save("b.txt", "bbbb")
    third = store.save("c.txt", "cccc")  # 12 bytes: the oldest goes
    assert store.path(first) is None and store.path(second).read_text() == "bbbb" and store.path(third)
    big = store.save("d.txt", "d" * 20)  # larger than the limit alone: kept, every older one goes
    assert {p.name for p in tmp_path.iterdir()} == {big}


def test_names_in_any_script_are_kept_whole(tmp_path):
    """A newsroom's Persian or Albanian file names come back as they were sent (spaces and symbols
    aside), ZWNJ kept; a long one is cut to what a file system takes (255 bytes with the prefix), its
    extension kept, no letter cut in half."""
    assert safe_name("گزارش‌ها از تیرانا.docx") == "گزارش‌ها_از_تیرانا.docx"
    assert safe_name("Lajmet e ditës: Tiranë?.srt") == "Lajmet_e_ditës__Tiranë_.srt"
    long = safe_name("خبر" * 100 + ".docx")
    assert long.endswith(".docx") and len(long.encode()) <= 200 and ("خبر" * 100).startswith(long[:-5])
    store = FileStore(ttl_s=60, limit_bytes=10_000, folder=tmp_path)
    assert store.path(store.save("خبر" * 100 + ".docx", "text")).read_text() == "text"


def test_files_named_in_any_script_or_at_any_length_can_be_downloaded(tmp_path):
    # A name starting with a letter safe_name replaces ("خبر.srt", "ë Tiranë.txt") came back as a
    # translatedFileUrl that download_file refused with "Invalid filename"; so did a name over 200 characters.
    store = FileStore(ttl_s=60, limit_bytes=10_000, folder=tmp_path)
    for filename in ("خبر فارسی.srt", "ë Tiranë story.txt", "_draft.md", "-draft.md", "\u200cخبر.md", "a" * 300 + ".docx"):
        name = store.save(filename, "text")
        assert store.path(name).read_text() == "text", filename
        assert name.endswith(filename[-4:])
