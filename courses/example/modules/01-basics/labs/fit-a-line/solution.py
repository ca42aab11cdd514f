"""Fit y = w x + b to the points by gradient descent, reporting the loss as you go."""

from masterclass import SMOKE, data_path, report


def read_points(path):
    lines = path.read_text().splitlines()[1:]
    return [tuple(float(v) for v in line.split(",")) for line in lines]


def mse(points, w, b):
    return sum((w * x + b - y) ** 2 for x, y in points) / len(points)


def fit(points, steps, lr=0.1):
    """Return (w, b) after `steps` steps of gradient descent."""
    w, b = 0.0, 0.0
    n = len(points)
    for step in range(steps):
        grad_w = sum(2 * (w * x + b - y) * x for x, y in points) / n
        grad_b = sum(2 * (w * x + b - y) for x, y in points) / n
        w, b = w - lr * grad_w, b - lr * grad_b
        if step % 10 == 0:
            report(step=step, loss=mse(points, w, b))
    return w, b


if __name__ == "__main__":
    points = read_points(data_path("points.csv"))
    w, b = fit(points, 50 if SMOKE else 200)
    report(step=None, w=w, b=b)
    print(f"w = {w:.3f}, b = {b:.3f}")
