"""What only the dashboard needs: plotly figures and the per-session checker cache."""

from __future__ import annotations
