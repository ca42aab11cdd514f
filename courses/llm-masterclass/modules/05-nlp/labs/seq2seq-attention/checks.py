"""Checks for the seq2seq-with-attention lab."""

from __future__ import annotations

import json


def _attention_inputs():
    import torch

    torch.manual_seed(7)
    query, keys = torch.randn(4, 16), torch.randn(4, 7, 16)
    lengths = torch.tensor([7, 3, 5, 1])
    mask = torch.arange(7).unsqueeze(0) < lengths.unsqueeze(1)
    return query, keys, mask


def check_attention_weights(run):
    """Attention weights are a distribution over the real source positions"""
    import torch

    torch.manual_seed(0)
    attention = run.module.AdditiveAttention(16)
    query, keys, mask = _attention_inputs()
    with torch.no_grad():
        context, weights = attention(query, keys, mask)
    assert tuple(weights.shape) == (4, 7), f"weights should be (batch, source length) = (4, 7), got {tuple(weights.shape)}"
    assert tuple(context.shape) == (4, 16), f"context should be (batch, hidden) = (4, 16), got {tuple(context.shape)}"
    assert torch.all(weights >= 0), "weights must be non-negative: apply softmax to the scores"
    sums = weights.sum(dim=1)
    assert torch.allclose(sums, torch.ones(4), atol=1e-5), (
        f"weights sum to {sums.tolist()} over source positions; take the softmax over dim=-1 "
        "(the source axis), not over the batch"
    )
    leaked = weights[~mask].abs().max().item()
    assert leaked < 1e-6, (
        f"padding positions get weight up to {leaked:.3g}; set their scores to -inf before the softmax"
    )
    expected = torch.bmm(weights.unsqueeze(1), keys).squeeze(1)
    assert torch.allclose(context, expected, atol=1e-5), "context must be the weighted sum of the keys"


def check_attention_uses_query(run):
    """Different decoder states attend differently"""
    import torch

    torch.manual_seed(1)
    attention = run.module.AdditiveAttention(16)
    _, keys, mask = _attention_inputs()
    with torch.no_grad():
        _, w1 = attention(torch.randn(4, 16) * 3, keys, mask)
        _, w2 = attention(torch.randn(4, 16) * 3, keys, mask)
    assert (w1[0] - w2[0]).abs().max() > 1e-3, (
        "the weights do not change with the query: the score must combine W_q q and W_k k"
    )


def check_training_curve(run):
    """Training streamed a falling validation loss"""
    val = run.series("val_loss")
    assert len(val) >= 5, f"only {len(val)} val_loss points: report(step=..., loss=..., val_loss=...) every few steps"
    assert val[-1] < 0.5 * val[0], f"validation loss went from {val[0]:.3f} to only {val[-1]:.3f}"


def check_exact_match(run):
    """The model reverses unseen sequences exactly"""
    acc = run.require("test_exact_match")
    limit = 0.5 if run.smoke else 0.9
    assert acc >= limit, (
        f"exact match {acc:.3f} on fresh sequences is below {limit}; check the attention and train longer"
    )


def check_attention_map(run):
    """attention.json is a heatmap whose bright cells run along the anti-diagonal"""
    fig = json.loads(run.artifact("attention.json").read_text())
    trace = fig["data"][0]
    assert trace.get("type") == "heatmap", f"expected a Plotly heatmap trace, got {trace.get('type')!r}"
    z = trace["z"]
    n = len(run.module.EXAMPLE)
    assert len(z) >= n and all(len(row) == n for row in z), (
        f"z should have one row per output step (at least {n}) and {n} columns (source positions)"
    )
    for row in z:
        assert abs(sum(row) - 1) < 0.02, f"a row of the map sums to {sum(row):.3f}, not 1"
    # Output step i should look at source position n-1-i; a unidirectional encoder also keeps the
    # previous digit in the next state, so weight on a direct neighbour counts as aligned too.
    band = [sum(z[i][j] for j in range(n) if abs(j - (n - 1 - i)) <= 1) for i in range(n)]
    mean_band = sum(band) / n
    need = 0.6 if run.smoke else 0.8
    assert mean_band >= need, (
        f"on average only {mean_band:.2f} of each row's weight lies on the anti-diagonal "
        f"(need {need}); reversing should make output step i look at source position n-1-i"
    )
