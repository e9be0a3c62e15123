"""The application facade: the UI's one doorway to the services (issue 17).

    facade = AppFacade(store, person, drafts, database_label)   # one per signed-in person
    facade.chair.record(request)        # the chair: preview, today's visit, record, correct
    facade.day.visits(day)              # Today: the day's visits, voids, tickets
    facade.review.page(query)           # the review queue: verify, hold, post, corrections
    facade.reports.waste(period)        # reports and their PDFs
    facade.exports.run(kind, period)    # HL7, FHIR, CSV
    facade.admin.settings()             # settings, users, catalog, CMS data, audit trail

Pages import only this package (and the pure `desktop.billing` / `desktop.records` layers), never a service
module: an import-linter contract keeps it so. Every door method is a plain blocking call the page runs through
`desktop.ui.operations` (CollectionOp for a change, BackgroundQuery for a read), never on the GUI thread.
This package is light to import: service modules load inside the door methods (the first window shows before
SQLAlchemy is imported), and types for annotations come under TYPE_CHECKING.
"""

from __future__ import annotations

from desktop.facade.desk import AppFacade

__all__ = ["AppFacade"]
