"""Copying with the desktop's clipboard tool (paperread/clipboard.py):
stand-in tools on a PATH the test sets, which record the text they got."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from paperread.clipboard import clipboard_tools, copy_with_tool
from tests.fake_tools import calls, fake_tool

TEXT = "https://arxiv.org/abs/2604.20003 — «ü»\nsecond line"

pytestmark = pytest.mark.skipif(sys.platform == "darwin", reason="pbcopy is always tried on macOS")


def test_xclip_takes_the_text_under_x(bin_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    xclip = fake_tool(bin_dir, "xclip", read_stdin=True)
    monkeypatch.setenv("DISPLAY", ":0")
    assert copy_with_tool(TEXT) == "xclip"
    [call] = calls(xclip)
    assert call["argv"] == ["-selection", "clipboard"] and call["stdin"] == TEXT
    assert call["session_leader"] and call["stdout_is_devnull"]


def test_xsel_when_xclip_fails(bin_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    xclip = fake_tool(bin_dir, "xclip", exit_code=1, read_stdin=True)
    xsel = fake_tool(bin_dir, "xsel", read_stdin=True)
    monkeypatch.setenv("DISPLAY", ":0")
    assert copy_with_tool(TEXT) == "xsel"
    assert len(calls(xclip)) == 1
    [call] = calls(xsel)
    assert call["argv"] == ["--clipboard", "--input"] and call["stdin"] == TEXT


def test_wl_copy_first_under_wayland(bin_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wl_copy = fake_tool(bin_dir, "wl-copy", read_stdin=True)
    xclip = fake_tool(bin_dir, "xclip", read_stdin=True)
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    monkeypatch.setenv("DISPLAY", ":0")
    assert copy_with_tool(TEXT) == "wl-copy"
    assert calls(wl_copy)[0]["stdin"] == TEXT and calls(xclip) == []


def test_no_display_no_tool(bin_dir: Path) -> None:
    xclip = fake_tool(bin_dir, "xclip", read_stdin=True)
    assert clipboard_tools() == []
    assert copy_with_tool(TEXT) is None
    assert calls(xclip) == []


def test_a_display_without_tools_copies_nothing(bin_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    assert copy_with_tool(TEXT) is None


def test_every_tool_failing_copies_nothing(bin_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("xclip", "xsel"):
        fake_tool(bin_dir, name, exit_code=1, read_stdin=True)
    monkeypatch.setenv("DISPLAY", ":0")
    assert copy_with_tool(TEXT) is None
