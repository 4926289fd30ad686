"""Tiny real translation models, built at test time: a SentencePiece model trained on a few
lines of English, Persian and Albanian, and Marian / M2M100 / NLLB configs with tiny dimensions,
saved with ``save_pretrained`` so the product loads them through its own path."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

CORPUS = [
    "The minister said the talks would continue next week in Tirana.",
    "Iran and Albania cut diplomatic ties in September 2022.",
    "Dr. Smith arrived at 5 p.m. and met the U.S. ambassador.",
    "More than 17,000 people were killed, officials said on Wednesday.",
    "وزیر امور خارجه گفت که مذاکرات هفته آینده ادامه خواهد یافت.",
    "ایران و آلبانی روابط دیپلماتیک را در شهریور ۱۴۰۱ قطع کردند.",
    "آیا این خبر درست است؟ سخنگو می‌گوید نه.",
    "Ministri tha se bisedimet do të vazhdojnë javën e ardhshme.",
    "Shqipëria dhe Irani ndërprenë marrëdhëniet diplomatike në shtator.",
    "Çfarë ndodhi në Tiranë? Qeveria nuk dha përgjigje.",
    "Here is how the government explained its decision to expel the diplomats.",
    "Prices of bread, fuel and housing rose by 12 percent in the capital last year.",
    "The United Nations called for calm and an independent investigation of the attack.",
    "Journalists were not allowed to enter the building, the agency reported.",
    "پارلمان روز سه‌شنبه قانون جدید انتخابات را تصویب کرد.",
    "قیمت نان و سوخت در پایتخت بیش از دوازده درصد افزایش یافت.",
    "سازمان ملل خواستار آرامش و تحقیقات مستقل درباره این حمله شد.",
    "Parlamenti miratoi ligjin e ri zgjedhor të martën në mbrëmje.",
    "Çmimet e bukës dhe karburantit u rritën me dymbëdhjetë për qind.",
    "Kombet e Bashkuara bënë thirrje për qetësi dhe hetim të pavarur.",
]
# Marian multi-target models choose the target with a ">>xxx<<" token.
MARIAN_TARGET_TOKENS = [">>pes<<", ">>sqi<<", ">>deu<<"]


def train_sentencepiece(folder: Path, vocab_size: int = 300, corpus: list[str] | None = None) -> Path:
    import sentencepiece as spm

    folder.mkdir(parents=True, exist_ok=True)
    corpus = corpus or CORPUS
    lines = [f"{a} {b}" for a in corpus for b in corpus]
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_prefix=str(folder / "sp"), vocab_size=vocab_size,
        character_coverage=1.0, model_type="unigram", hard_vocab_limit=False,
        pad_id=-1, bos_id=-1, eos_id=1, unk_id=2, minloglevel=2,
    )
    return folder / "sp.model"


def _pieces(sp_model: Path) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(sp_model))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def _tiny_dims() -> dict:
    return dict(
        d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2, decoder_attention_heads=2,
        encoder_ffn_dim=64, decoder_ffn_dim=64, max_position_embeddings=64, init_std=0.3,
    )


def build_marian(folder: Path, sp_model: Path, target_tokens: list[str] | None = None,
                 pair: tuple[str, str] | None = None, target_spm: Path | None = None) -> Path:
    """A Marian model; ``pair`` is written to the tokenizer config, as in the hub's opus-mt models.
    ``target_spm``: a target SentencePiece model of its own (else ``sp_model`` serves both sides);
    the joint ``vocab.json`` holds the pieces of both, the pad token last."""
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    target_spm = target_spm or sp_model
    vocab = {"</s>": 0, "<unk>": 1}
    for piece in [*(target_tokens or []), *_pieces(sp_model), *_pieces(target_spm)]:
        vocab.setdefault(piece, len(vocab))
    vocab["<pad>"] = len(vocab)
    shutil.copy(sp_model, folder / "source.spm")
    shutil.copy(target_spm, folder / "target.spm")
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), "utf-8")
    tokenizer = MarianTokenizer(source_spm=str(folder / "source.spm"), target_spm=str(folder / "target.spm"),
                                vocab=str(folder / "vocab.json"), model_max_length=64,
                                **({"source_lang": pair[0], "target_lang": pair[1]} if pair else {}))
    config = MarianConfig(vocab_size=len(vocab), pad_token_id=vocab["<pad>"], eos_token_id=0,
                          decoder_start_token_id=vocab["<pad>"], forced_eos_token_id=0, **_tiny_dims())
    torch.manual_seed(0)
    MarianMTModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def build_opus_marian(folder: Path) -> Path:
    """A Marian model built as Helsinki-NLP's opus-mt models are: separate source and target
    SentencePiece models (English; Persian and Albanian), one joint ``vocab.json`` holding the pieces
    of both (so many of its pieces are unknown to ``target.spm``), the pad token last."""
    english = [line for line in CORPUS if line.isascii()]
    spm = folder.parent / f"{folder.name}-spm"
    source = train_sentencepiece(spm / "source", 200, english)
    target = train_sentencepiece(spm / "target", 200, [line for line in CORPUS if line not in english])
    build_marian(folder, source, pair=("en", "sq"), target_spm=target)
    shutil.rmtree(spm)
    return folder


def build_m2m100(folder: Path, sp_model: Path) -> Path:
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, M2M100Tokenizer

    folder.mkdir(parents=True, exist_ok=True)
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for piece in _pieces(sp_model):
        vocab.setdefault(piece, len(vocab))
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), "utf-8")
    shutil.copy(sp_model, folder / "sentencepiece.bpe.model")
    tokenizer = M2M100Tokenizer(vocab_file=str(folder / "vocab.json"), spm_file=str(folder / "sentencepiece.bpe.model"),
                                model_max_length=64)
    size = max(tokenizer.lang_token_to_id.values()) + tokenizer.num_madeup_words + 1
    config = M2M100Config(vocab_size=size, pad_token_id=1, bos_token_id=0, eos_token_id=2, decoder_start_token_id=2,
                          **_tiny_dims())
    torch.manual_seed(0)
    M2M100ForConditionalGeneration(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def _build_with_converted_tokenizer(folder: Path, sp_model: Path, tokenizer_class: str, config_class, model_class,
                                    extra_tokens: tuple[str, ...] = ()) -> Path:
    """A model whose tokenizer transformers converts from a SentencePiece model (NLLB, mBART-50)."""
    import torch
    from transformers import AutoTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(sp_model, folder / "sentencepiece.bpe.model")
    (folder / "tokenizer_config.json").write_text(json.dumps({"tokenizer_class": tokenizer_class, "model_max_length": 64,
                                                              "bos_token": "<s>", "eos_token": "</s>"}))
    tokenizer = AutoTokenizer.from_pretrained(folder)
    if extra_tokens:
        tokenizer.add_tokens(list(extra_tokens), special_tokens=True)
    config = config_class(vocab_size=len(tokenizer), pad_token_id=tokenizer.pad_token_id, bos_token_id=tokenizer.bos_token_id,
                          eos_token_id=tokenizer.eos_token_id, decoder_start_token_id=tokenizer.eos_token_id, **_tiny_dims())
    torch.manual_seed(0)
    model_class(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def build_nllb(folder: Path, sp_model: Path, languages: tuple[str, ...] = ("eng_Latn", "pes_Arab", "als_Latn")) -> Path:
    """An M2M100 model with an NLLB tokenizer whose language tokens are FLORES-200 codes."""
    from transformers import M2M100Config, M2M100ForConditionalGeneration

    return _build_with_converted_tokenizer(folder, sp_model, "NllbTokenizer", M2M100Config, M2M100ForConditionalGeneration, languages)


def build_mbart50(folder: Path, sp_model: Path) -> Path:
    """An mBART model with an mBART-50 tokenizer (language codes such as en_XX, fa_IR)."""
    from transformers import MBartConfig, MBartForConditionalGeneration

    class MBart50Config(MBartConfig):  # the hub's mBART-50 configs name their tokenizer, as converters expect
        def __init__(self, **kwargs):
            super().__init__(tokenizer_class="MBart50Tokenizer", **kwargs)

    return _build_with_converted_tokenizer(folder, sp_model, "MBart50Tokenizer", MBart50Config, MBartForConditionalGeneration)
