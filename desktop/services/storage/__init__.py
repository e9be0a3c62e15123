"""The store and this workstation's files: the database opened, its failures in words, backup, private output, the log."""
