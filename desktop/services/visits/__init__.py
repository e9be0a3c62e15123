"""Recording and reading visits: record and correct drugs, what the chair loads, the claim preview, patients, drafts."""
