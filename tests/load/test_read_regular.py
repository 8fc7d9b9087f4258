"""``load.read_regular``: a record file is read whole, and anything else is refused at once, never waited on."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from reportgen.load import UnreadableFile, read_regular


def _refusal(path: Path | str, limit: int = 1024) -> tuple[str, str]:
    with pytest.raises(UnreadableFile) as caught:
        read_regular(path, limit)
    return caught.value.code, caught.value.detail


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "D01.yaml"
    path.write_bytes(b"id: D01\n")
    assert read_regular(path, 1024) == b"id: D01\n"


def test_a_fifo_without_a_writer_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "D02.yaml"
    os.mkfifo(path)
    assert _refusal(path) == ("E109", "这是命名管道（FIFO），不是普通文件；请删除它")


def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "D02.yaml"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(os.fspath(path))
        assert _refusal(path) == ("E109", "不是普通文件；请删除它")


def test_a_device_is_refused() -> None:
    assert _refusal("/dev/null") == ("E109", "这是设备文件，不是普通文件；请删除它")


def test_a_folder_is_refused(tmp_path: Path) -> None:
    assert _refusal(tmp_path) == ("E109", "这是一个文件夹，不是文件")


def test_a_missing_file_and_a_link_loop_say_so(tmp_path: Path) -> None:
    assert _refusal(tmp_path / "gone.yaml") == ("E109", "找不到这个文件或目录")  # lang.os_reason's words
    os.symlink("loop.yaml", tmp_path / "loop.yaml")
    assert _refusal(tmp_path / "loop.yaml") == ("E109", "链接绕成了圈")
    with pytest.raises(UnreadableFile) as caught:
        read_regular(tmp_path / "loop.yaml", 1024)
    assert caught.value.words.said("en") == "Too many levels of symbolic links"


def test_a_file_over_the_limit_is_e108(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (3 * 1024 * 1024))
    assert _refusal(path, 2 * 1024 * 1024) == ("E108", "3.0 MB，上限 2 MB")


def test_a_file_whose_size_disagrees_with_what_was_read_is_refused() -> None:
    # /proc files report size 0 and yet have content: the same as a file that grew while read
    assert _refusal("/proc/self/status") == ("E109", "读取时文件正在被修改；请等保存完成后再检查")
