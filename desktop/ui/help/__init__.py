"""The user guide inside the application: the shipped pages (resources/docs) in a window of their own."""
