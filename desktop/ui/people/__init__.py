"""Who is at the workstation: first run, sign-in, switch user and auto-lock."""
