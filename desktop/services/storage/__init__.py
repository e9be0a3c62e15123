"""The store and this workstation's files: opening the database, its failures in words, backup, private output, the program log."""
