"""People: who is acting (identity, roles), signing in, accounts, sign-out events kept until the database answers."""
