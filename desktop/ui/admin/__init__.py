"""Administrator pages: facility settings, catalog maintenance, users and the audit viewer."""
