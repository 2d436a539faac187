"""The reader's state that needs no Textual: the listed view (``listing``),
saved searches and their counts (``saved_searches``), the reader's
preferences file (``prefs``) and the labels of sort orders and export
formats (``labels``). Plain Python, unit-tested on its own; a test checks
that it loads no Textual."""
