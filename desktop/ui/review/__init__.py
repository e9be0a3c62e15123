"""The charge-entry review queue: filters, a lazily fetched table, the record's detail, multi-row actions."""
