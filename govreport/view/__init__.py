"""See a report: its audit page, and an overview of a corpus, as self-contained HTML.

* :func:`render_report` / :func:`render_file` — one report's page: the three tables as the
  template lays them out, every cell marked by its state with its raw text and provenance,
  the findings linked to their cells, the source beside it (a PDF's pages drawn).
* :func:`render_overview` — how a ``govreport batch`` database went: files by status,
  findings by code, reports per year and template, the agencies with most error findings,
  and national totals by year drawn as inline SVG. :func:`write_views` renders the page of
  every report in such a database, for the overview to link to.

No page makes a network request: CSS, script and images are inline.
"""

from govreport.view.overview import render_overview, write_views
from govreport.view.report import render_file, render_report

__all__ = ["render_file", "render_overview", "render_report", "write_views"]
