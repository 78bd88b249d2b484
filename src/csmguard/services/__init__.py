"""The use cases of CSM Guard: the only API that the CLI and the web app call."""
