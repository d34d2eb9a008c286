"""Charts drawn on the server with matplotlib (no browser script, no network): PNG bytes for pages and PDFs.

Thai labels need a font with Thai glyphs; the family list below falls back from Noto Sans to Noto Sans Thai
and Garuda glyph by glyph. PNG (not SVG with <text>) because WeasyPrint does not shape Thai inside SVG.
"""

import base64
import io
import os
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager, rcParams  # noqa: E402

from khuang.core import numformat  # noqa: E402

FAMILIES = ["Noto Sans", "Noto Sans Thai", "Garuda", "DejaVu Sans"]


def _register_thai_fonts() -> None:
    """Add the Thai-capable fonts when matplotlib's font cache predates their installation (it then draws boxes)."""
    known = {f.name for f in font_manager.fontManager.ttflist}
    if {"Noto Sans Thai", "Garuda"} & known:
        return
    for path in font_manager.findSystemFonts():
        if os.path.basename(path).startswith(("NotoSans-", "NotoSansThai-", "Garuda")):
            font_manager.fontManager.addfont(path)


_register_thai_fonts()
rcParams["font.family"] = FAMILIES
rcParams["svg.fonttype"] = "path"
PALETTE = ["#8a3b12", "#1b6f5c", "#f0b429", "#3e6fb0", "#b04a7e", "#6b8e23", "#7b8794", "#c05621", "#2c7a7b",
           "#553c9a"]


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=130, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def data_uri(png: bytes) -> str:
    """A PNG as a `data:` URI for an <img> (works offline and inside PDFs)."""
    return "data:image/png;base64," + base64.b64encode(png).decode()


def utilization_heatmap(report: dict[str, Any], title: str = "") -> bytes:
    """Spaces (rows) × fiscal months (columns), cells = utilization %."""
    rows = report["utilization"]["spaces"]
    labels = [m["label"] for m in report["months"]]
    cells = [r["months"] for r in rows] or [[None] * 12]
    data = [[c if c is not None else 0 for c in row] for row in cells]
    fig, ax = plt.subplots(figsize=(9, 0.38 * max(len(rows), 3) + 1.2))
    top = max(max(max(r) for r in data), 1)
    ax.imshow(data, aspect="auto", cmap="YlOrBr", vmin=0, vmax=top)
    ax.set_xticks(range(12), labels, fontsize=8)
    ax.set_yticks(range(len(rows)), [r["code"] for r in rows], fontsize=8)
    for i, row in enumerate(data):
        for j, value in enumerate(row):  # the dashboard's rounding (half up), "–" where nothing is available
            ax.text(j, i, numformat.number(cells[i][j], 0), ha="center", va="center", fontsize=7,
                    color="white" if value > top * 0.6 else "#1f2933")
    if title:
        ax.set_title(title, fontsize=11)
    return _png(fig)


def monthly_by_type(report: dict[str, Any], title: str = "") -> bytes:
    """Activities per fiscal month, stacked by activity type."""
    labels = [m["label"] for m in report["months"]]
    fig, ax = plt.subplots(figsize=(9, 3.4))
    bottom = [0] * 12
    for i, series in enumerate(report["activities"]["by_month_type"]):
        ax.bar(range(12), series["months"], bottom=bottom, label=series["label"], color=PALETTE[i % len(PALETTE)])
        bottom = [b + v for b, v in zip(bottom, series["months"], strict=True)]
    ax.set_xticks(range(12), labels, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.yaxis.get_major_locator().set_params(integer=True)
    if report["activities"]["by_month_type"]:
        ax.legend(fontsize=7, ncols=2, frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
    if title:
        ax.set_title(title, fontsize=11)
    return _png(fig)
