"""Writing reports out: text in each layout, dicts, records and dataframes."""
