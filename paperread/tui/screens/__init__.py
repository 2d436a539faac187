"""Modal screens of the reader: help, tag editor, confirmation, prompt."""

from paperread.tui.screens.confirm import ConfirmScreen
from paperread.tui.screens.help import HelpRow, HelpScreen
from paperread.tui.screens.prompt import PromptScreen
from paperread.tui.screens.tags import TagsScreen, TagSuggester

__all__ = ["ConfirmScreen", "HelpRow", "HelpScreen", "PromptScreen", "TagSuggester", "TagsScreen"]
