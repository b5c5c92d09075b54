"""Readers: each turns one input format into a :class:`~govreport.document.Document`."""
