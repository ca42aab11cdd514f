def check_loss_goes_down(run):
    """The training loss falls"""
    losses = run.series("loss")
    assert len(losses) >= 2, "report(loss=...) at least twice while training"
    assert losses[-1] < 0.2 * losses[0], f"loss only went from {losses[0]:.3f} to {losses[-1]:.3f}: update w and b"


def check_line_found(run):
    """w and b are close to the line the points came from"""
    w, b = run.require("w"), run.require("b")
    assert abs(w - 2) < 0.2, f"w = {w:.3f}, expected about 2: check the gradient with respect to w"
    assert abs(b - 1) < 0.2, f"b = {b:.3f}, expected about 1: check the gradient with respect to b"


check_line_found.points = 2
