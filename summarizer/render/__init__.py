"""Outputs: the text, Markdown, JSON and HTML forms of a summary, the sinks that write them, and
the rules that keep an output from ever replacing an input."""
