"""AI Chat without the UI: conversation history on disk, export, and the account context sent with a question."""
