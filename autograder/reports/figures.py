"""Figures of the class report, drawn with matplotlib's Agg canvas into PNG data URIs.

No pyplot: each figure is its own `Figure`, so nothing global changes and no display is needed.
Labels are instructor and student text, so mathtext is off (a "$" stays a dollar sign).
"""
from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

DPI = 100
GREEN, RED, GREY, BLUE, ORANGE = "#2e7d32", "#c62828", "#9e9e9e", "#1565c0", "#ef6c00"


@dataclass(frozen=True)
class Image:
    """A rendered figure: a data URI and its size in pixels."""

    uri: str
    width: int
    height: int


def _figure(width: float, height: float) -> "Figure":
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=DPI, layout="constrained")


def _png(fig: "Figure") -> Image:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    width, height = (int(round(v * DPI)) for v in fig.get_size_inches())
    return Image("data:image/png;base64," + base64.b64encode(buf.getvalue()).decode(), width,
                 height)


def _plain(ax: "Axes") -> None:
    for text in [*ax.get_xticklabels(), *ax.get_yticklabels(), ax.title, ax.xaxis.label,
                 ax.yaxis.label]:
        text.set_parse_math(False)
    ax.spines[["top", "right"]].set_visible(False)


def score_histogram(percent: Sequence[float], unreadable: int = 0) -> Image:
    """Final scores in percent of the autograded points, in bins of 10 points."""
    fig = _figure(7.5, 3.2)
    ax = fig.add_subplot()
    bins = [i * 10.0 for i in range(11)]
    counts, _, _ = ax.hist([min(max(p, 0.0), 100.0) for p in percent], bins=bins, color=BLUE,
                           edgecolor="white")
    ax.set_ylim(0, max(1.0, float(max(counts, default=0))) * 1.3)  # room for the legend
    if percent:
        mean = sum(percent) / len(percent)
        ax.axvline(mean, color=ORANGE, linestyle="--", label=f"mean {mean:.1f}%")
        ax.legend(frameon=False, loc="best")
    ax.set_xlim(0, 100)
    ax.set_xlabel("final autograded score (% of the points)")
    ax.set_ylabel("submissions")
    ax.yaxis.get_major_locator().set_params(integer=True)
    title = f"Distribution of scores ({len(percent)} submissions"
    ax.set_title(title + (f"; {unreadable} unreadable, counted as 0)" if unreadable else ")"))
    _plain(ax)
    return _png(fig)


def pass_rates(labels: Sequence[str], rates: Sequence[float]) -> Image:
    """Horizontal bars, one per check, in the given order (lowest pass rate first, on top)."""
    fig = _figure(9.0, 1.0 + 0.28 * max(len(labels), 1))
    ax = fig.add_subplot()
    y = list(range(len(labels)))
    colors = [RED if r < 0.5 else (ORANGE if r < 0.9 else GREEN) for r in rates]
    ax.barh(y, [100 * r for r in rates], color=colors)
    ax.set_yticks(y, [lb if len(lb) <= 70 else lb[:67] + "..." for lb in labels], fontsize=8)
    ax.set_ylim(len(labels) - 0.5, -0.5)  # the first check on top, no empty margin
    ax.set_xlim(0, 100)
    ax.set_xlabel("submissions that pass the check (%)")
    ax.set_title("Pass rate of every check, most common mistakes first")
    for yi, r in zip(y, rates):
        ax.text(min(100 * r + 1, 93), yi, f"{100 * r:.0f}%", va="center", fontsize=7)
    _plain(ax)
    return _png(fig)


def function_means(functions: Sequence[str], percent: Sequence[float]) -> Image:
    """Mean score of each graded function, in percent of its points."""
    fig = _figure(7.5, 0.9 + 0.35 * max(len(functions), 1))
    ax = fig.add_subplot()
    y = list(range(len(functions)))
    ax.barh(y, percent, color=[RED if p < 50 else (ORANGE if p < 90 else GREEN)
                               for p in percent])
    ax.set_yticks(y, list(functions), fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("mean score (% of the function's points)")
    ax.set_title("Points earned per graded function")
    _plain(ax)
    return _png(fig)


def lateness(days_late: Sequence[float], on_time: int, penalties: Sequence[float]) -> Image:
    """Submission times relative to the due date when known; otherwise penalties by size."""
    fig = _figure(7.5, 3.0)
    ax = fig.add_subplot()
    if days_late:
        low, high = min(min(days_late), -1.0), max(max(days_late), 1.0)
        width = max((high - low) / 24, 1 / 24)
        edges = [low + i * width for i in range(25)]
        ax.hist([d for d in days_late if d <= 0], bins=edges, color=GREEN, label="on time")
        ax.hist([d for d in days_late if d > 0], bins=edges, color=RED, label="after the due date")
        ax.axvline(0, color="black", linewidth=1)
        ax.set_xlabel("days relative to the due date")
        ax.legend(frameon=False)
        ax.set_title("Late submissions (submission times)")
    else:
        levels = sorted({p for p in penalties if p > 0})
        names = ["on time"] + [f"-{p:.0%}" for p in levels]
        counts = [on_time] + [sum(1 for p in penalties if p == lv) for lv in levels]
        ax.bar(names, counts, color=[GREEN] + [RED] * len(levels))
        ax.set_xlabel("late penalty")
        ax.set_title("Late submissions (by penalty; no submission times recorded)")
    ax.set_ylabel("submissions")
    ax.yaxis.get_major_locator().set_params(integer=True)
    _plain(ax)
    return _png(fig)


def flag_counts(kinds: Sequence[str], counts: Sequence[int]) -> Image:
    """Submissions with each kind of integrity flag."""
    fig = _figure(7.5, 0.9 + 0.35 * max(len(kinds), 1))
    ax = fig.add_subplot()
    y = list(range(len(kinds)))
    ax.barh(y, counts, color=ORANGE)
    ax.set_yticks(y, list(kinds), fontsize=9)
    ax.invert_yaxis()
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("submissions")
    ax.set_title("Integrity flags (never a score change)")
    _plain(ax)
    return _png(fig)
