"""On-screen reports: reconciliation, waste (with a trend chart) and 340B, the same tables as the PDFs."""
