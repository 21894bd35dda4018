#!/usr/bin/env python3
"""Does fine-tuning e5-small on a corpus itself help search?  A probe, not part of a build.

    python bench/finetune_probe.py --data DATA_DIR --out /tmp/e5-tuned [--epochs 1] [--limit 3000]
    python -c "from pathlib import Path; from search.build import build_indexes
    build_indexes(Path('COPY'), {'encoder': '/tmp/e5-tuned'})"      # COPY: DATA_DIR copied without search/
    policykg eval QUERIES --data COPY                               # its dense row: the encoder alone

Training pairs come from the corpus alone, never from questions: each clause
with a heading is a (question, passage) pair, its heading behind its parents
("query: 优化营商环境 加大企业研发投入奖励" → "passage: 优化营商环境。（二）…"),
the passage built as the index builds it (:func:`search.build.dense_text`).
The loss is the in-batch softmax of e5's own training (multiple negatives
ranking, scale 20, every other passage of the batch a negative).  Plain torch:
no ``datasets``/``accelerate`` needed.  The tuned folder is a
sentence-transformers folder like the installed one, prompts kept.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def training_pairs(clauses_file: Path, limit: int | None, seed: int = 0) -> list[tuple[str, str]]:
    """(question, passage) for every clause with a heading: the heading behind its parents, and the
    clause as the dense index reads it."""
    from search.build import dense_text

    pairs = []
    with open(clauses_file, encoding="utf-8") as f:
        for line in f:
            c = json.loads(line)
            heading = (c.get("heading") or "").strip()
            if len(heading) < 4 or len(c["text"]) < 2 * len(heading):
                continue
            question = " ".join([*(c.get("parents") or []), heading])
            pairs.append((question, dense_text(c)))
    random.Random(seed).shuffle(pairs)
    return pairs[:limit] if limit else pairs


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", type=Path, required=True, help="a built data folder (its clauses.jsonl)")
    p.add_argument("--out", type=Path, required=True, help="where the tuned model folder goes")
    p.add_argument("--model", default="e5-small", help="the model to start from (default: the installed e5-small)")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--max-tokens", type=int, default=128)
    p.add_argument("--lr", type=float, default=2e-5)
    p.add_argument("--limit", type=int, help="at most this many pairs")
    args = p.parse_args(argv)

    import torch

    from search.encoders.sbert import SbertEncoder

    encoder = SbertEncoder(args.model)
    model = encoder.model
    index_tokens = model.max_seq_length       # what a build encodes with, restored before saving
    model.max_seq_length = args.max_tokens
    prompts = model.prompts
    pairs = training_pairs(args.data / "clauses.jsonl", args.limit)
    print(f"{len(pairs)} pairs from {args.data}; {args.epochs} epoch(s), batch {args.batch}", file=sys.stderr)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr)
    steps = args.epochs * ((len(pairs) + args.batch - 1) // args.batch)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (steps - s) / max(1, steps - warmup)))
    tokenize = getattr(model, "preprocess", None) or model.tokenize     # renamed in sentence-transformers 6
    model.train()
    started, step = time.perf_counter(), 0
    for _ in range(args.epochs):
        for i in range(0, len(pairs), args.batch):
            batch = pairs[i:i + args.batch]
            if len(batch) < 2:
                continue
            q = tokenize([prompts["query"] + a for a, _ in batch])
            d = tokenize([prompts["document"] + b for _, b in batch])
            qv = torch.nn.functional.normalize(model(q)["sentence_embedding"], dim=-1)
            dv = torch.nn.functional.normalize(model(d)["sentence_embedding"], dim=-1)
            loss = torch.nn.functional.cross_entropy(20.0 * qv @ dv.T, torch.arange(len(batch)))
            loss.backward()
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            if step % 10 == 0 or step == steps:
                rate = step / (time.perf_counter() - started)
                print(f"  step {step}/{steps}  loss {loss.item():.3f}  {rate:.2f} steps/s", file=sys.stderr, flush=True)
    model.eval()
    model.max_seq_length = index_tokens
    model.save(str(args.out))
    print(json.dumps({"pairs": len(pairs), "steps": step, "seconds": round(time.perf_counter() - started, 1),
                      "out": str(args.out)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
