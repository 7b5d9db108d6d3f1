"""The backlog's services: one library function behind every command and every TUI action."""
