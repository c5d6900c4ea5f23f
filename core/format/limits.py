"""The editor's limits on hostile input, in one place (the README's "Limits" table lists them).

A metadata file or schema.json beyond a limit is reported as a finding with its own code
and treated like a file that is not valid JSON: never parsed further, never overwritten,
its values INVALID. So no consumer (validation, export, import, the form, undo's deep
copies) ever holds data deeper, bigger or stranger than these bounds.
"""

from __future__ import annotations

#: Bytes of one metadata file or schema.json; a bigger file is not read at all. Lightly's
#: own examples are a few hundred bytes; 4 MiB parses in well under a second.
MAX_FILE_BYTES = 4 * 1024 * 1024

#: Nesting of arrays/objects in one file (the top-level object is depth 1). Python's JSON
#: parser, deepcopy and every recursive walk would overflow the stack near 1000 levels;
#: 100 leaves ample headroom (deepcopy spends three frames per level).
MAX_DEPTH = 100

#: Characters of one number literal. Python refuses int() beyond 4300 digits, and values
#: past 64 bits cannot be shown in Qt's numeric editors; 100 is far beyond any real value.
MAX_NUMBER_CHARS = 100

#: Characters of one string (key or value).
MAX_STRING_CHARS = 65536

#: Largest array index in a schema path (`cams[999]`): setting a value pads the array with
#: nulls up to it, so `arr[999999999]` would build a billion-element list.
MAX_PATH_INDEX = 999

#: Keys and indexes in one schema path (each one is a level of nesting when set).
MAX_PATH_TOKENS = MAX_DEPTH - 2  # the file's object and `metadata` are two levels

#: Integers Lightly stores as 64-bit (NUMERIC_INT, CATEGORICAL_INT, CATEGORICAL_TIMESTAMP).
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

# Finding codes of the limits and of hostile values (documented in the README).
FILE_TOO_LARGE = "file-too-large"
TOO_DEEP = "too-deep"
NUMBER_TOO_LONG = "number-too-long"
STRING_TOO_LONG = "string-too-long"
NON_FINITE = "non-finite-number"
UNDERFLOW = "number-underflow"
INVALID_UNICODE = "invalid-unicode"
PATH_LIMIT = "path-limit"
