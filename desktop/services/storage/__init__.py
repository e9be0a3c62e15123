"""The store and this workstation's files: opening it, its failures in words, backup, private output, the log."""
