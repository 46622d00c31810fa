"""What only the dashboard needs: plotly figures, the background model load, the shared result
cache, the page model kept per session (:mod:`.report_page`) and the review table."""

from __future__ import annotations
