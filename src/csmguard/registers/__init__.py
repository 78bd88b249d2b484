"""The registers the guideline asks a firm to keep: typed records, import/export, and register checks."""
