"""The report's skeleton: section headings, metadata, the template and statements in the prose."""
