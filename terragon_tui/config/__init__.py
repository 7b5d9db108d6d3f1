"""Settings: the files that hold them, the one schema that checks them, the project's settings.

`files` reads and writes TOML safely, `schema` checks every table of `[tool.terragon]`,
`.terragon/config.toml` and the user's config, and `project` lays a repository's files over
each other. The user's own config is read beside the backlog (`backlog/user_config.py`).
"""
