"""The records of an export (format, result, run), re-exported so that pages never import a service module."""

from __future__ import annotations

from desktop.services.billing_exports.exports import ExportFormat, ExportResult, ExportRunView, ExportScope

__all__ = ["ExportFormat", "ExportResult", "ExportRunView", "ExportScope"]
