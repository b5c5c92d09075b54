"""The national template as data: templates, the data dictionary, relations, finding codes."""
