from toolkit.summarize.chunking import chunk_text


def _words(texts):
    return [len(t.split()) for t in texts]


def test_chunks_are_whole_sentences_within_budget_with_overlap():
    sentences = [f"Sentence number {i} says something about the talks." for i in range(30)]  # 8 words each
    chunks = chunk_text(" ".join(sentences), "en", _words, budget=40, overlap=8)
    assert len(chunks) > 1
    for chunk in chunks:
        assert len(chunk.split()) <= 40
        assert chunk.startswith("Sentence number") and chunk.endswith("talks.")
    for before, after in zip(chunks, chunks[1:]):
        assert after.split(". ")[0] + "." == before.split(". ")[-1]  # the last sentence is carried over
    covered = {s for c in chunks for s in sentences if s in c}
    assert covered == set(sentences)  # nothing dropped


def test_a_sentence_longer_than_the_budget_is_cut_not_dropped():
    long_sentence = " ".join(f"word{i}," for i in range(100))
    chunks = chunk_text(long_sentence, "en", _words, budget=30, overlap=0)
    assert all(len(c.split()) <= 30 for c in chunks)
    assert " ".join(chunks).split() == long_sentence.split()


def test_short_text_is_one_chunk():
    assert chunk_text("One. Two.", "en", _words, budget=40, overlap=8) == ["One. Two."]
