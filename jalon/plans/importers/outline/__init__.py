"""Markdown and plain-text outlines: headings, numbered and bulleted lists, nested by
heading level, then by indentation, then by numbering ("1.1.1" under "1.1").

A file is read in four parts, one module each:
- front_matter.py: the YAML front matter, if any (title, period, language, level names);
- tokens.py: each line taken alone, a heading, an item (its code, label and title) or text;
- tree.py: the tokens placed under one another, shared with the Word reader;
- plan.py: sniff and parse, and the plan's title, levels, language and period.

This package exposes what the importer registry needs; the Word reader and the Markdown
exporter import the pieces they share from the module that defines them."""

from ..limits import MAX_DEPTH
from .plan import EXTENSIONS, FORMAT, parse, sniff

__all__ = ["EXTENSIONS", "FORMAT", "MAX_DEPTH", "parse", "sniff"]
