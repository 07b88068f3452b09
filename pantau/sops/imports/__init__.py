"""SOP documents imported as data: the Permenpan RB 35/2012 table of a .docx, an HTML page or converted text
read into a draft SOP in the catalogue's format, for review before it is published as a catalogue version."""

from .compare import Difference, differences
from .draft import Draft, DraftStep, Note, import_document
from .source import SopDocumentError
from .times import ParsedTime, parse_time
from .toml_out import draft_toml

__all__ = ["Difference", "Draft", "DraftStep", "Note", "ParsedTime", "SopDocumentError", "differences", "draft_toml",
           "import_document", "parse_time"]
