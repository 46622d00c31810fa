"""Write a random-weight model in bge-m3's file layout (no download, no data beyond the sample docs).

bge-m3 cannot be downloaded on the build machines, so its code path is run on
models that have its exact shape and files, with random weights:

* an XLM-RoBERTa encoder (``config.json``, ``pytorch_model.bin``) with
  8,194 position embeddings, so texts up to 8,192 tokens are read whole;
* a SentencePiece-style Unigram tokenizer (``tokenizer.json``,
  ``tokenizer_config.json``, ``special_tokens_map.json``) trained in memory on
  ``sample_docs/``. Its special tokens sit at other ids than XLM-R's
  (``<pad>`` 0, ``<unk>`` 2, ``<s>`` 4, ``</s>`` 5, against XLM-R's 1, 3, 0, 2),
  so code that hard-codes XLM-R's ids gives wrong results on it;
* the sentence-transformers files of bge-m3, in the hub repository's (older)
  format: ``modules.json`` (``sentence_transformers.models`` Transformer, CLS
  Pooling in ``1_Pooling``, Normalize), ``sentence_bert_config.json`` with
  ``max_seq_length`` 8192, ``config_sentence_transformers.json``;
* the two heads, ``sparse_linear.pt`` (hidden -> 1) and ``colbert_linear.pt``
  (hidden -> hidden), saved with ``torch.save`` as state dicts, as in the hub repo.

The hub repository also has ``sentencepiece.bpe.model`` (the slow tokenizer's
file; the fast tokenizer reads ``tokenizer.json`` only), ONNX exports and images,
which the checker does not read.

``tiny`` (hidden 32, 2 layers) builds in about a second for the tests;
``large`` has bge-m3's shape (24 layers, hidden 1024, 16 heads, FFN 4096,
vocabulary 250,002: 568M parameters) for speed and memory measurements, where
the weights do not matter.
"""

from __future__ import annotations

import json
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "sample_docs"
SPECIALS = ("<pad>", "<unused0>", "<unk>", "<unused1>", "<s>", "</s>", "<mask>")
SIZES = {
    "tiny": {"hidden": 32, "layers": 2, "heads": 4, "ffn": 64, "vocab": 0},
    "large": {"hidden": 1024, "layers": 24, "heads": 16, "ffn": 4096, "vocab": 250002},
}


def _tokenizer(vocab_size: int):  # type: ignore[no-untyped-def]
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import XLMRobertaTokenizerFast

    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.md"))]
    lines = [line for t in texts for line in t.splitlines() if line.strip()]
    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.NFKC()
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.decoder = decoders.Metaspace()
    trainer = trainers.UnigramTrainer(
        vocab_size=vocab_size, special_tokens=list(SPECIALS), unk_token="<unk>", show_progress=False
    )
    tok.train_from_iterator(lines, trainer)
    bos, eos = tok.token_to_id("<s>"), tok.token_to_id("</s>")
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", bos), ("</s>", eos)],
    )
    return XLMRobertaTokenizerFast(
        tokenizer_object=tok,
        bos_token="<s>",
        eos_token="</s>",
        sep_token="</s>",
        cls_token="<s>",
        unk_token="<unk>",
        pad_token="<pad>",
        mask_token="<mask>",
        model_max_length=8192,
    )


def build(folder: str | Path, size: str = "tiny", *, seed: int = 0, vocab_size: int = 3000) -> Path:
    """Write a random bge-m3-layout model of ``size`` (``"tiny"`` or ``"large"``) into ``folder``.

    Returns:
        The folder, loadable by ``summary_coverage.encode.models.load_encoder``.
    """
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaModel

    shape = SIZES[size]
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    tokenizer = _tokenizer(vocab_size)
    torch.manual_seed(seed)
    config = XLMRobertaConfig(
        vocab_size=max(shape["vocab"], len(tokenizer)),
        hidden_size=shape["hidden"],
        num_hidden_layers=shape["layers"],
        num_attention_heads=shape["heads"],
        intermediate_size=shape["ffn"],
        max_position_embeddings=8194,
        type_vocab_size=1,
        layer_norm_eps=1e-5,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    model = XLMRobertaModel(config).eval()  # with the pooler, as in the hub checkpoint
    config.save_pretrained(out)
    torch.save(model.state_dict(), out / "pytorch_model.bin")  # the hub repo's weight file
    del model
    tokenizer.save_pretrained(out)
    specials = {
        "bos_token": "<s>", "cls_token": "<s>", "eos_token": "</s>", "mask_token": "<mask>",
        "pad_token": "<pad>", "sep_token": "</s>", "unk_token": "<unk>",
    }  # fmt: skip
    files = {
        "special_tokens_map.json": specials,
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
        "sentence_bert_config.json": {"max_seq_length": 8192, "do_lower_case": False},
        "config_sentence_transformers.json": {"__version__": {"sentence_transformers": "2.2.2"}},
        "1_Pooling/config.json": {
            "word_embedding_dimension": shape["hidden"],
            "pooling_mode_cls_token": True,
            "pooling_mode_mean_tokens": False,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
        },
    }
    for name, content in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
    (out / "2_Normalize").mkdir(exist_ok=True)
    torch.save(torch.nn.Linear(shape["hidden"], 1).state_dict(), out / "sparse_linear.pt")
    torch.save(torch.nn.Linear(shape["hidden"], shape["hidden"]).state_dict(), out / "colbert_linear.pt")
    (out / "random_weights.json").write_text(
        json.dumps({"size": size, "seed": seed, "note": "random weights in bge-m3's layout"}) + "\n",
        encoding="utf-8",
    )
    return out


if __name__ == "__main__":
    import sys

    print(build(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "tiny"))
