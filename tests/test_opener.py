"""Opening links (paperread/opener.py) with real programs: a configured
opener written to a temporary folder, the platform's ``xdg-open`` found on
a PATH the test sets, commands that fail or do not exist."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from paperread.opener import EXAMPLE_OPENER, check_opener, open_url, opener_argv
from tests.fake_tools import calls, fake_tool, wait_for_calls

URL = "https://arxiv.org/abs/2604.20003"
ODD_URL = "https://example.org/a%20b?q=x&y=$HOME;echo"

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the platform opener of Linux")


def test_the_configured_opener_gets_the_url_as_one_argument_detached(tmp_path: Path) -> None:
    browser = fake_tool(tmp_path, "browser")
    opened = open_url(ODD_URL, f"{browser} --new-tab")
    assert opened.ok, opened.message
    assert opened.message == f"opened with {browser}: {ODD_URL}"
    [call] = wait_for_calls(browser)
    assert call["argv"] == ["--new-tab", ODD_URL]  # appended, whole, never through a shell
    assert call["session_leader"] and call["stdin_is_devnull"] and call["stdout_is_devnull"]


def test_the_placeholder_puts_the_url_where_it_stands(tmp_path: Path) -> None:
    browser = fake_tool(tmp_path, "my browser")  # a space in the path: quoted in the command
    opened = open_url(URL, f"'{browser}' --url=%u --private")
    assert opened.ok, opened.message
    assert wait_for_calls(browser)[0]["argv"] == [f"--url={URL}", "--private"]


def test_the_opener_is_found_on_path(bin_dir: Path) -> None:
    fake_tool(bin_dir, "firefox")
    assert open_url(URL, "firefox %u").ok
    assert wait_for_calls(bin_dir / "firefox")[0]["argv"] == [URL]


@pytest.mark.timing  # a failure counts when the opener ends within FAILURE_WAIT_SECONDS
def test_an_opener_that_fails_is_reported_in_one_line(tmp_path: Path) -> None:
    browser = fake_tool(tmp_path, "browser", exit_code=3)
    opened = open_url(URL, str(browser))
    assert not opened.ok
    assert opened.message == f"opener '{browser}' failed (exit 3); the link: {URL}"
    assert "\n" not in opened.message


@pytest.mark.timing
def test_an_opener_killed_by_a_signal_is_a_failure() -> None:
    opened = open_url(URL, "sh -c 'kill -9 $$'")
    assert not opened.ok and opened.message.startswith("opener 'sh' failed (killed by signal 9)")


def test_a_missing_opener_is_named(bin_dir: Path) -> None:
    opened = open_url(URL, "no-such-browser %u")
    assert not opened.ok
    assert opened.message == f"opener 'no-such-browser' not found; the link: {URL}"


def test_an_opener_that_is_not_executable_is_named(tmp_path: Path) -> None:
    script = tmp_path / "browser"
    script.write_text("#!/bin/sh\n", encoding="utf-8")  # not marked executable
    opened = open_url(URL, str(script))
    assert not opened.ok and opened.message.startswith(f"opener '{script}' cannot be started (Permission denied)")


def test_opener_words() -> None:
    assert opener_argv("firefox", URL) == ["firefox", URL]
    assert opener_argv("firefox -P 'my profile' %u", URL) == ["firefox", "-P", "my profile", URL]
    assert opener_argv("open -a Safari %u", URL) == ["open", "-a", "Safari", URL]
    assert check_opener("firefox %u") is None
    assert check_opener("") == "the opener command is empty"
    assert "No closing quotation" in (check_opener("firefox 'x") or "")


@linux_only
def test_without_a_display_or_an_opener_the_advice_shows_the_link(
    bin_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    xdg_open = fake_tool(bin_dir, "xdg-open")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    config = tmp_path / "config.toml"
    opened = open_url(URL, None, config)
    assert not opened.ok
    assert opened.message == f"no display to open a browser on: set {EXAMPLE_OPENER} in {config}; the link: {URL}"
    assert calls(xdg_open) == []


@linux_only
def test_with_a_display_xdg_open_opens_the_link(bin_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    xdg_open = fake_tool(bin_dir, "xdg-open")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    opened = open_url(URL, None)
    assert opened.ok and opened.message == f"opened with xdg-open: {URL}"
    [call] = wait_for_calls(xdg_open)
    assert call["argv"] == [URL] and call["session_leader"]


@linux_only
def test_with_a_display_but_no_xdg_open_the_advice_says_so(bin_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    opened = open_url(URL, None)
    assert not opened.ok
    assert opened.message.startswith("no browser opener (xdg-open is not installed): set opener = ")
    assert opened.message.endswith(f"in the config file; the link: {URL}")


def test_a_configured_opener_wins_over_the_platform_one(bin_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    xdg_open = fake_tool(bin_dir, "xdg-open")
    browser = fake_tool(bin_dir, "browser")
    monkeypatch.setenv("DISPLAY", ":0")
    assert open_url(URL, "browser").ok
    assert wait_for_calls(browser)[0]["argv"] == [URL]
    assert calls(xdg_open) == []
