"""Policy documents to document and task drafts: the reading behind `cityplan import`.

Data flows one way: `formats` reads a file into lines (`decoding` turns bytes into text), `outline`
cuts the lines into documents and numbered items, `grammar` reads who is responsible and `deadlines`
by when, and `assemble` puts each document's drafts (`drafts`) together. Nothing here writes."""

from cityplan_cli.extract.assemble import extract
from cityplan_cli.extract.decoding import decode
from cityplan_cli.extract.drafts import DocDraft, Extraction, ItemDraft
from cityplan_cli.extract.formats import Source, read_source
from cityplan_cli.extract.grammar import parse_clause, split_units
from cityplan_cli.extract.outline import cn_number

__all__ = [
    "DocDraft",
    "Extraction",
    "ItemDraft",
    "Source",
    "cn_number",
    "decode",
    "extract",
    "parse_clause",
    "read_source",
    "split_units",
]
