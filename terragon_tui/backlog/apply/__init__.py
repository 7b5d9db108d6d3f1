"""`terragon apply`: mechanical fixes, each committed on a branch and worktree of its own."""
