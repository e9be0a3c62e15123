"""Qt widgets, models and dialogs; they call services and show what they return."""
