"""The reader: sidebar | paper list | abstract pane, driven by the keyboard.

The app holds what is the same on every screen: the keymap, the themes,
saving (a timer flushes pending state in a worker thread), quitting and
the signals that end the process, and the keys' way in (type-ahead and
the keystroke gate). The main screen (``tui/main/``) holds the panes and
what the reader's keys do. State changes go through ``session.actions``
(memory at once) and reach the disk from the flush timer; so no keypress
waits on disk or network.

Workers that take data get a ``description``: Textual otherwise describes a
worker by the repr() of its arguments, which for a list of 100k papers is a
string of hundreds of megabytes made in seconds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.events import Event, Key
from textual.notifications import Notify, SeverityLevel
from textual.reactive import Reactive
from textual.theme import Theme

from paperread.session import Session
from paperread.store.errors import StoreError
from paperread.tui.bindings import APP_BINDINGS, apply_keymap, check_keymap, help_rows
from paperread.tui.commands import ReaderCommands
from paperread.tui.css import stylesheet_path
from paperread.tui.data.prefs import load_ui_state, save_ui_state
from paperread.tui.main import MainScreen
from paperread.tui.messages import FlushFailed, SetTheme
from paperread.tui.pacing import KeystrokeGate
from paperread.tui.screens import HelpScreen
from paperread.tui.terminal import ExitGuard, ReaderDriver
from paperread.tui.textual_private import drop_oldest_notifications, event_loop
from paperread.tui.themes import start_theme, theme_choice
from paperread.tui.typeahead import TypeAhead
from paperread.tui.widgets.paper_list import EMPTY_TEXT, empty_library_text

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.screen import Screen

FLUSH_SECONDS = 0.5
TOASTS_SHOWN = 3  # notifications on screen at once, at most
REFRESH_CHECK_SECONDS = 60.0  # how often an open reader checks whether a refresh is due


class ReaderApp(App[int]):
    TITLE = "paperread"
    CSS_PATH = stylesheet_path()
    BINDINGS = APP_BINDINGS
    COMMANDS = App.COMMANDS | {ReaderCommands}
    # The sub-title (view, counts, search) changes with every read mark; App's
    # own reactive repaints the whole screen for it, while only the header
    # (which watches it) shows it.
    sub_title: Reactive[str] = Reactive("", compute=False, repaint=False)

    def __init__(
        self,
        session: Session,
        keymap: dict[str, str] | None = None,
        refresh_check: float = REFRESH_CHECK_SECONDS,
    ) -> None:
        super().__init__(driver_class=ReaderDriver)
        self.session = session
        self.keymap = keymap if keymap is not None else check_keymap(session.config.keys)
        self._ui_state = load_ui_state(session.data_dir)
        self._flushing = False
        self._flush_error: str | None = None
        self._quit_warned = False
        self.exit_guard: ExitGuard | None = None  # set by run_reader: a real terminal only
        self.type_ahead = TypeAhead(self)
        self.gate = KeystrokeGate()
        self.main = MainScreen(session, self.gate, self._empty_list_text, self._ui_state, refresh_check, self.keymap)

    def get_default_screen(self) -> MainScreen:
        return self.main

    def _empty_list_text(self) -> str:
        if self.session.library.papers:
            return EMPTY_TEXT
        refresh_key = self.keymap.get("app.refresh", "r").split(",")[0]
        return empty_library_text(self.session.config.path, refresh_key)

    async def on_mount(self) -> None:
        apply_keymap(self, self.keymap)
        self._start_theme()
        self.set_interval(FLUSH_SECONDS, self.flush_soon)
        # the app is ready (for run_test, for keys) once the main screen is filled
        await self.main.mounted.wait()

    def say(self, message: str, severity: SeverityLevel = "information", timeout: float | None = None) -> None:
        """A notification whose text is never read as markup (it may quote
        feed text or file names)."""
        self.notify(message, severity=severity, timeout=timeout, markup=False)

    def on_notify(self, message: Notify) -> None:
        """Before a notification is shown: the oldest go, so that a few at
        most cover the abstract, the newest among them."""
        drop_oldest_notifications(self, TOASTS_SHOWN - 1)

    # -- the keys' way in ----------------------------------------------------------
    async def on_event(self, event: Event) -> None:
        if isinstance(event, Key):
            if not event.is_forwarded and not self.type_ahead.admit(event):
                return  # kept: handed back once the keys before it have settled
            self.gate.give_way()
        await super().on_event(event)

    def _display(self, screen: Screen[object], renderable: RenderableType | None) -> None:
        """Textual writes every frame here: a keystroke's frame lets the
        background work go on (see ``KeystrokeGate``)."""
        super()._display(screen, renderable)
        if renderable is not None:
            self.gate.frame_written()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(help_rows(self, self.keymap)))

    # -- themes ------------------------------------------------------------------
    def _start_theme(self) -> None:
        theme = start_theme(self.session.config.theme, self._ui_state)
        if theme.name is not None:
            self.theme = theme.name
        if theme.forget_choice and not self.session.readonly:
            self._save_theme(None)
        # after the change above is announced (call_next keeps the order):
        # only a theme chosen from now on is remembered as a choice
        self.call_next(self.theme_changed_signal.subscribe, self, self._theme_changed)

    def on_set_theme(self, message: SetTheme) -> None:
        self.theme = message.name

    def _theme_changed(self, theme: Theme) -> None:
        if not self.session.readonly:
            self._save_theme(theme.name)

    @work(thread=True, group="ui-state")
    def _save_theme(self, name: str | None) -> None:
        try:
            save_ui_state(self.session.data_dir, **theme_choice(name, self.session.config.theme))
        except StoreError as error:
            self.call_from_thread(self.say, f"could not remember the theme: {error}", "warning")

    # -- saving ------------------------------------------------------------------
    def flush_soon(self) -> None:
        """Timer tick: write pending state in a worker thread if there is any."""
        if self.session.readonly or self._flushing or not self.session.has_unsaved_changes:
            return
        self._flushing = True
        self._flush_worker()

    @work(thread=True, group="flush")
    def _flush_worker(self) -> None:
        try:
            self.session.flush()
        except StoreError as error:
            self.post_message(FlushFailed(error))
        else:
            if self._flush_error is not None:
                self.call_from_thread(self._flush_recovered)
        finally:
            self._flushing = False

    def _flush_recovered(self) -> None:
        self._flush_error = None
        self.say("saved")

    def on_flush_failed(self, message: FlushFailed) -> None:
        text = str(message.error)
        if text != self._flush_error:  # say it once, not on every retry
            self._flush_error = text
            self.say(f"{text}; changes are kept in memory and saving is retried", "error", timeout=15)

    def flush_now(self) -> bool:
        """Write pending state now (quitting, a signal); False if it failed."""
        if self.session.readonly:
            return True
        try:
            self.session.flush()
        except StoreError as error:
            self.say(str(error), "error", timeout=15)
            return False
        return True

    async def action_quit(self) -> None:
        if not self.flush_now() and not self._quit_warned:
            self._quit_warned = True
            self.say("press q again to quit without saving", "warning", timeout=15)
            return
        self.exit(0)

    def request_exit(self) -> None:
        """Close the app, from any thread or a signal handler."""
        loop = event_loop(self)
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.exit, 0)

    def on_unmount(self) -> None:
        self.flush_now()
        self.gate.stop()


def run_reader(session: Session) -> int:
    """Run the reader on ``session`` until the user quits; the exit code.
    The config's key bindings and theme were checked as it was read."""
    app = ReaderApp(session)
    app.exit_guard = ExitGuard(lambda: session.readonly or session.flush(), app.request_exit)
    app.exit_guard.install()
    try:
        result = app.run()
    finally:
        app.exit_guard.uninstall()
    app.exit_guard.end_after_app(session.close)
    return result if isinstance(result, int) else app.return_code or 0
