"""AI Chat: conversations, the transcript, replies, usage."""
