"""Tokenizers read from a model's own files with sentencepiece or the ``tokenizers`` library:
no torch and no transformers, so a ct2 run (and any run the translation memory serves) starts in
a fraction of a second. Each reproduces its transformers counterpart id for id and text for text
(``tests/models/test_tokenizers.py``); a folder they cannot read falls back to transformers.

Families: Marian and M2M100 (a SentencePiece model and ``vocab.json``), and everything shipped
with a ``tokenizer.json`` (NLLB, mBART-50, BART, T5, Llama-style chat models...).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Protocol, Sequence

from toolkit.models.store import read_model_json

# M2M100's language tokens follow its vocabulary in this order (fairseq's lists, as transformers has them).
M2M100_LANGUAGES = {
    "m2m100": "af am ar ast az ba be bg bn br bs ca ceb cs cy da de el en es et fa ff fi fr fy ga gd gl gu ha he hi hr "
              "ht hu hy id ig ilo is it ja jv ka kk km kn ko lb lg ln lo lt lv mg mk ml mn mr ms my ne nl no ns oc or "
              "pa pl ps pt ro ru sd si sk sl so sq sr ss su sv sw ta th tl tn tr uk ur uz vi wo xh yi yo zh zu".split(),
    "wmt21": "en ha is ja cs ru zh de".split(),
}


class TextTokenizer(Protocol):
    """What the backends and tasks need of a tokenizer; ids are the model's own."""

    pad_token_id: int | None
    eos_token_id: int | None

    def encode(self, texts: Sequence[str], src_lang: str | None = None) -> list[list[int]]:
        """Ids with the model's special tokens (``src_lang``: the tokenizer's own source code)."""
        ...

    def decode(self, sequences: Sequence[Sequence[int]]) -> list[str]:
        """Texts without special tokens."""
        ...

    def get_vocab(self) -> dict[str, int]:
        ...

    def convert_ids_to_tokens(self, ids: Sequence[int]) -> list[str]:
        ...

    def convert_tokens_to_ids(self, tokens: Sequence[str]) -> list[int]:
        ...


# transformers' clean_up_tokenization: what a tokenizer config's ``clean_up_tokenization_spaces`` asks for.
_CLEAN_UP = ((" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
             (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"))


def _clean_up(text: str) -> str:
    for old, new in _CLEAN_UP:
        text = text.replace(old, new)
    return text


def _cleans_bpe(config: dict) -> bool:
    """Whether transformers cleans up a BPE ``tokenizer.json``'s output: 4 does, 5 only when told."""
    from importlib.metadata import version

    return int(version("transformers").split(".")[0]) < 5 or bool(config.get("clean_up_tokenization_spaces_for_bpe_even_though_it_will_corrupt_output"))


def _listed(tokens: Any) -> list:
    """A config's extra special tokens: a list, or (transformers 5) names and tokens."""
    return list(tokens.values()) if isinstance(tokens, dict) else list(tokens or [])


def _token(value: Any) -> str | None:
    """A special token as tokenizer_config.json writes it (a string, or an AddedToken dict)."""
    return value.get("content") if isinstance(value, dict) else value


def _chat_template(folder: Path, config: dict) -> str | None:
    """The chat template as transformers reads it: ``chat_template.jinja`` (transformers 5 writes it),
    else the config's, the one named ``default`` where the config lists several."""
    path = folder / "chat_template.jinja"
    if path.is_file():
        return path.read_text("utf-8")
    template = config.get("chat_template")
    if isinstance(template, list):
        return next((t.get("template") for t in template if isinstance(t, dict) and t.get("name") == "default"), None)
    return template


class SentencePieceTokenizer:
    """Marian (``source.spm``/``target.spm``) and M2M100 (``sentencepiece.bpe.model`` with language tokens)."""

    def __init__(self, folder: Path, pair: bool):
        import sentencepiece as spm

        config = read_model_json(folder / "tokenizer_config.json")
        self.pair = pair  # Marian's source and target models, else M2M100's one model and language tokens
        self.name_or_path = str(folder)
        # The pair a single-pair Marian model declares (opus-mt models write it), as transformers reads it.
        self.source_lang, self.target_lang = config.get("source_lang"), config.get("target_lang")
        self.vocab: dict[str, int] = read_model_json(folder / "vocab.json")
        self._clean = bool(config.get("clean_up_tokenization_spaces"))  # a config transformers 4 saved
        if pair:
            self._source = spm.SentencePieceProcessor(model_file=str(folder / "source.spm"))
            self._target = spm.SentencePieceProcessor(model_file=str(folder / "target.spm"))
            target_vocab = read_model_json(folder / "target_vocab.json")
            self._decoder = {i: t for t, i in (target_vocab or self.vocab).items()}
            specials = [_token(config.get(k)) or d for k, d in (("eos_token", "</s>"), ("unk_token", "<unk>"), ("pad_token", "<pad>"))]
            self.lang_code_to_token: dict[str, str] = {}
        else:
            self._source = self._target = spm.SentencePieceProcessor(model_file=str(folder / "sentencepiece.bpe.model"))
            codes = M2M100_LANGUAGES[config.get("language_codes", "m2m100")]
            self.lang_code_to_token = {code: f"__{code}__" for code in codes}
            size = len(self.vocab)
            self.vocab = {**self.vocab, **{f"__{c}__": size + i for i, c in enumerate(codes)}}
            self.vocab.update({f"madeupword{i:04d}": size + len(codes) + i for i in range(config.get("num_madeup_words", 8))})
            self._decoder = {i: t for t, i in self.vocab.items()}
            specials = [_token(config.get(k)) or d for k, d in (("bos_token", "<s>"), ("eos_token", "</s>"),
                                                                   ("unk_token", "<unk>"), ("pad_token", "<pad>"))]
            specials += list(self.lang_code_to_token.values())
        # A special token's text in a text is that token, as in transformers: its special and added tokens (those a
        # config of transformers 4 lists: M2M100's language tokens); none of these strips the spaces beside it.
        named = [_token(config.get(k)) or d for k, d in (("eos_token", "</s>"), ("unk_token", "<unk>"), ("pad_token", "<pad>"),
                                                          *((("bos_token", "<s>"),) if not pair else ()))]
        listed = [*(config.get("added_tokens_decoder") or {}).values(), *(config.get("additional_special_tokens") or []),
                  *_listed(config.get("extra_special_tokens"))]
        added = {t for t in [*named, *map(_token, listed)] if t in self.vocab}
        self._added_re = re.compile("(" + "|".join(re.escape(t) for t in sorted(added, key=len, reverse=True)) + ")")
        self._unk = self.vocab[_token(config.get("unk_token")) or "<unk>"]
        self.eos_token_id = self.vocab[_token(config.get("eos_token")) or "</s>"]
        self.pad_token_id = self.vocab.get(_token(config.get("pad_token")) or "<pad>")
        self._special_ids = {self.vocab[t] for t in specials if t in self.vocab}
        self._decoder_specials = {i for i, t in self._decoder.items() if t in specials}

    def get_vocab(self) -> dict[str, int]:
        return dict(self.vocab)

    def get_lang_id(self, code: str) -> int:
        return self.vocab[self.lang_code_to_token[code]]

    def _pieces(self, text: str) -> list[str]:
        parts = self._added_re.split(text)  # text, special token, text, ...
        return [p for i, part in enumerate(parts) if part for p in ([part] if i % 2 else self._text_pieces(part))]

    def _text_pieces(self, text: str) -> list[str]:
        if self.pair and text.startswith(">>") and (end := text.find("<<")) != -1:
            return [text[:end + 2], *self._source.encode(text[end + 2:], out_type=str)]  # a ">>xxx<<" target token
        return self._source.encode(text, out_type=str)

    def encode(self, texts: Sequence[str], src_lang: str | None = None) -> list[list[int]]:
        prefix = [self.get_lang_id(src_lang)] if src_lang and not self.pair else []
        return [prefix + self.convert_tokens_to_ids(self._pieces(t)) + [self.eos_token_id] for t in texts]

    def decode(self, sequences: Sequence[Sequence[int]]) -> list[str]:
        out = []
        for ids in sequences:
            pieces = [self._decoder.get(i, "") for i in ids if i not in self._decoder_specials]
            text = self._target.decode_pieces([p for p in pieces if p])
            if self.pair:  # pieces target.spm lacks (a joint vocabulary's) keep their word markers
                text = text.replace("\u2581", " ")  # transformers' MarianTokenizer turns them into spaces
            out.append((_clean_up(text) if self._clean else text).strip())
        return out

    def convert_ids_to_tokens(self, ids: Sequence[int]) -> list[str]:
        return [self._decoder[i] for i in ids]

    def convert_tokens_to_ids(self, tokens: Sequence[str]) -> list[int]:
        return [self.vocab.get(t, self._unk) for t in tokens]


class JsonTokenizer:
    """A ``tokenizer.json`` read by the ``tokenizers`` library; NLLB and mBART-50 get their source
    language token as transformers sets it (NLLB legacy: after the end token)."""

    def __init__(self, folder: Path, languages: bool = False):
        from tokenizers import Tokenizer

        config = read_model_json(folder / "tokenizer_config.json")
        self.languages = languages  # the source language is a token the tokenizer adds (NLLB, mBART-50)
        self.name_or_path = str(folder)
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        self._legacy = bool(config.get("legacy_behaviour"))
        self._clean = bool(config.get("clean_up_tokenization_spaces")) and (
            type(self._tokenizer.model).__name__ != "BPE" or _cleans_bpe(config))
        self._post: dict[str, Any] = {}
        self.vocab = self._tokenizer.get_vocab(with_added_tokens=True)
        self.eos_token_id = self.vocab.get(_token(config.get("eos_token")) or "</s>")
        self.pad_token_id = self.vocab.get(_token(config.get("pad_token")) or "<pad>")
        self.bos_token_id = self.vocab.get(_token(config.get("bos_token")) or "<s>")
        self.chat_template = _chat_template(folder, config)
        # what a chat template may name, as transformers passes it (special token names -> tokens)
        self.special_tokens = {name: _token(value) for name, value in config.items()
                               if name.endswith("_token") and isinstance(value, (str, dict))}
        self.special_tokens["additional_special_tokens"] = [_token(t) for t in _listed(config.get("additional_special_tokens"))]

    def get_vocab(self) -> dict[str, int]:
        return dict(self.vocab)

    def _set_source(self, src_lang: str | None) -> None:
        if not src_lang or not self.languages:
            return
        if src_lang not in self._post:
            from tokenizers.processors import TemplateProcessing

            eos = "</s>"
            single = f"$A {eos} {src_lang}" if self._legacy else f"{src_lang} $A {eos}"
            self._post[src_lang] = TemplateProcessing(
                single=single, pair=single.replace("$A", "$A $B"),
                special_tokens=[(src_lang, self.vocab[src_lang]), (eos, self.vocab[eos])])
        self._tokenizer.post_processor = self._post[src_lang]

    def encode(self, texts: Sequence[str], src_lang: str | None = None, special: bool = True) -> list[list[int]]:
        self._set_source(src_lang)
        return [e.ids for e in self._tokenizer.encode_batch(list(texts), add_special_tokens=special)]

    def decode(self, sequences: Sequence[Sequence[int]]) -> list[str]:
        texts = self._tokenizer.decode_batch([list(s) for s in sequences], skip_special_tokens=True)
        return [_clean_up(t) for t in texts] if self._clean else texts

    def convert_ids_to_tokens(self, ids: Sequence[int]) -> list[str]:
        return [self._tokenizer.id_to_token(i) for i in ids]

    def convert_tokens_to_ids(self, tokens: Sequence[str]) -> list[int]:
        return [self._tokenizer.token_to_id(t) for t in tokens]


class TransformersTokenizer:
    """Any tokenizer transformers loads, behind the same interface (imports transformers)."""

    def __init__(self, tokenizer: Any):
        self.tokenizer = tokenizer
        self.name_or_path = tokenizer.name_or_path
        self.source_lang, self.target_lang = getattr(tokenizer, "source_lang", None), getattr(tokenizer, "target_lang", None)
        self.pad_token_id, self.eos_token_id = tokenizer.pad_token_id, tokenizer.eos_token_id
        self.lang_code_to_token = getattr(tokenizer, "lang_code_to_token", {})
        self.chat_template = getattr(tokenizer, "chat_template", None)
        self.special_tokens = tokenizer.special_tokens_map

    def encode(self, texts: Sequence[str], src_lang: str | None = None, special: bool = True) -> list[list[int]]:
        if src_lang is not None:
            self.tokenizer.src_lang = src_lang
        # verbose=False: no "indexing errors" warning for a text over the limit, which is counted to be cut.
        return self.tokenizer(list(texts), add_special_tokens=special, verbose=False)["input_ids"]

    def decode(self, sequences: Sequence[Sequence[int]]) -> list[str]:
        return self.tokenizer.batch_decode([list(s) for s in sequences], skip_special_tokens=True)

    def get_vocab(self) -> dict[str, int]:
        return self.tokenizer.get_vocab()

    def get_lang_id(self, code: str) -> int:
        return self.tokenizer.get_lang_id(code)

    def convert_ids_to_tokens(self, ids: Sequence[int]) -> list[str]:
        return self.tokenizer.convert_ids_to_tokens(list(ids))

    def convert_tokens_to_ids(self, tokens: Sequence[str]) -> list[int]:
        return self.tokenizer.convert_tokens_to_ids(list(tokens))


# The light readers, by the name a family's entry gives (``toolkit.models.families``).
READERS = {
    "sentencepiece-pair": lambda folder: SentencePieceTokenizer(folder, pair=True),  # Marian
    "sentencepiece-languages": lambda folder: SentencePieceTokenizer(folder, pair=False),  # M2M100
    "json-languages": lambda folder: JsonTokenizer(folder, languages=True),  # NLLB, mBART-50
    "json": JsonTokenizer,
}


def light_tokenizer(folder: Path, family: str) -> TextTokenizer | None:
    """The model's tokenizer without transformers, or None when its files need transformers."""
    from toolkit.models.families import family_named

    entry = family_named(family)
    if not all((folder / name).is_file() for name in entry.tokenizer_files):
        return None
    return READERS[entry.tokenizer](folder)


def load_tokenizer(folder: Path, family: str) -> TextTokenizer:
    """The light tokenizer when the files allow, else transformers' own."""
    light = light_tokenizer(folder, family)
    if light is not None:
        return light
    from transformers import AutoTokenizer

    return TransformersTokenizer(AutoTokenizer.from_pretrained(str(folder)))

