"""Tiny real summarisation models built at test time: BART, T5 and a chat causal LM.

Random weights, real architectures, real tokenizers trained here on en/fa/sq text, saved with
``save_pretrained`` and loaded back through the toolkit's own loading path.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.tiny_models import CORPUS

CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}</s>\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)



def _tokenizer(wrap: str, max_length: int, chat: bool = False):
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    specials = ["<pad>", "<s>", "</s>", "<unk>"] + (["<|user|>", "<|assistant|>", "<|system|>"] if chat else [])
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.normalizer = normalizers.NFKC()
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.decoder = decoders.Metaspace()
    tok.train_from_iterator(CORPUS * 4, trainers.BpeTrainer(vocab_size=300, special_tokens=specials, show_progress=False))
    if wrap:
        ids = {t: tok.token_to_id(t) for t in ("<s>", "</s>")}
        tok.post_processor = processors.TemplateProcessing(single=wrap, special_tokens=list(ids.items()))
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", pad_token="<pad>",
                                   unk_token="<unk>", model_max_length=max_length)


def _hub_bart_tokenizer(folder: Path, max_length: int):
    """BART's own tokenizer, as facebook/bart-* ship it: byte-level BPE (vocab.json, merges.txt),
    ``<s> <pad> </s> <unk>`` first and ``<mask>`` last."""
    from tokenizers import ByteLevelBPETokenizer
    from transformers import AutoTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(CORPUS * 4, vocab_size=400, special_tokens=["<s>", "<pad>", "</s>", "<unk>"], show_progress=False)
    bpe.save_model(str(folder))
    vocab = json.loads((folder / "vocab.json").read_text("utf-8"))
    (folder / "vocab.json").write_text(json.dumps({**vocab, "<mask>": len(vocab)}), "utf-8")
    (folder / "tokenizer_config.json").write_text(json.dumps({"tokenizer_class": "BartTokenizer", "model_max_length": max_length}))
    return AutoTokenizer.from_pretrained(folder)


def _hub_t5_tokenizer(folder: Path, max_length: int):
    """T5's own tokenizer, as google-t5/t5-* ship it: a SentencePiece unigram model (pad 0, eos 1,
    unk 2, no bos) and 100 ``<extra_id_N>`` sentinels last; ``clean_up_tokenization_spaces`` set, as
    transformers 4 saved it in the tokenizer config of a model trained with it."""
    import sentencepiece as spm
    from transformers import AutoTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(f"{a} {b}" for a in CORPUS for b in CORPUS), model_prefix=str(folder / "spiece"),
        vocab_size=300, character_coverage=1.0, model_type="unigram", hard_vocab_limit=False,
        pad_id=0, eos_id=1, unk_id=2, bos_id=-1, minloglevel=2)
    (folder / "tokenizer_config.json").write_text(json.dumps({"tokenizer_class": "T5Tokenizer", "model_max_length": max_length,
                                                              "extra_ids": 100, "clean_up_tokenization_spaces": True}))
    return AutoTokenizer.from_pretrained(folder)


def build_bart(folder: Path, max_positions: int = 64, forced_bos: bool = False, hub_tokenizer: bool = False) -> Path:
    """``forced_bos``: the decoder's first token is forced to ``<s>``, as in facebook/bart-large-cnn;
    ``hub_tokenizer``: BART's own byte-level tokenizer (else a small Metaspace BPE)."""
    import torch
    from transformers import BartConfig, BartForConditionalGeneration

    torch.manual_seed(0)
    tokenizer = _hub_bart_tokenizer(folder, max_positions) if hub_tokenizer else _tokenizer("<s> $A </s>", max_positions)
    config = BartConfig(
        vocab_size=len(tokenizer), d_model=16, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
        decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32, max_position_embeddings=max_positions,
        pad_token_id=tokenizer.pad_token_id, bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.eos_token_id, forced_bos_token_id=None,
    )
    model = BartForConditionalGeneration(config)
    if forced_bos:
        model.generation_config.forced_bos_token_id = tokenizer.bos_token_id
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def build_t5(folder: Path, max_length: int = 64, hub_tokenizer: bool = False) -> Path:
    """``hub_tokenizer``: T5's own SentencePiece tokenizer with its sentinels (else a small Metaspace BPE)."""
    import torch
    from transformers import T5Config, T5ForConditionalGeneration

    torch.manual_seed(0)
    tokenizer = _hub_t5_tokenizer(folder, max_length) if hub_tokenizer else _tokenizer("$A </s>", max_length)
    config = T5Config(
        vocab_size=len(tokenizer), d_model=16, d_kv=8, d_ff=32, num_layers=1, num_decoder_layers=1, num_heads=2,
        pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.pad_token_id,
        task_specific_params={"summarization": {"prefix": "summarize: "}},
    )
    T5ForConditionalGeneration(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def build_chat_lm(folder: Path, max_positions: int = 512) -> Path:
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    tokenizer = _tokenizer("", max_positions, chat=True)
    tokenizer.chat_template = CHAT_TEMPLATE
    config = LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2,
        num_key_value_heads=2, max_position_embeddings=max_positions, pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id, tie_word_embeddings=True,
    )
    LlamaForCausalLM(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
