"""ReportLab rendering of charge tickets: ticket data in, PDF bytes out."""
