"""Helpers for the tests of the figure functions (utils.plotting)."""

import io


def render(fig):
    """Draw the whole figure, as show() does; warnings fail the test."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=40, bbox_inches="tight")
    return buffer.getvalue()
