"""Office templates run sandboxed: an escape attempt is a located Chinese build error, never a
traceback and never a command run; the previous output stays as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_minimal_repository
from content import read_tree

from reportgen.lang import Phrase
from reportgen.publish.build import BuildOptions, build

ESCAPES = {
    "subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "globals": "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}",
    "format": "{{ '{0.__class__.__init__.__globals__}'.format(cycler) }}",
    "range": "{% for i in range(10**9) %}{% endfor %}",
}
UNSAFE = "模板试图使用内部属性或不允许的功能，出于安全考虑已被禁止；模板只能显示数据，请删去这一处"
WHY = {"subclasses": UNSAFE, "globals": UNSAFE, "format": UNSAFE, "range": "模板中的循环范围太大，请改小"}


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_an_escaping_office_template_fails_the_build_with_its_place(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    root = write_minimal_repository(tmp_path / "records")
    out = tmp_path / "out"
    assert build(BuildOptions(root, out, pdf=False)).ok
    before = read_tree(out)
    template = tmp_path / "templates/bulletin/monthly.html.j2"
    template.parent.mkdir(parents=True)
    template.write_text("<p>第一行</p>\n" + ESCAPES[name] + "\n", "utf-8")

    result = build(BuildOptions(root, out, pdf=False))

    assert str(result.error) == f"模板错误：{template}:2: {WHY[name]}"
    assert read_tree(out) == before
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh", "模板错误：{template}:2: 模板使用了不存在的名字（'nope' is undefined），请检查拼写"),
        (
            "en",
            "template error: {template}:2: the template uses a name that does not exist ('nope' is undefined): "
            "check its spelling",
        ),
    ],
)
def test_a_template_mistake_is_said_in_the_language_of_lang(
    tmp_path: Path, lang: str, said: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    root = write_minimal_repository(tmp_path / "records")
    template = tmp_path / "templates/bulletin/monthly.html.j2"
    template.parent.mkdir(parents=True)
    template.write_text("<p>第一行</p>\n{{ nope.field }}\n", "utf-8")

    result = build(BuildOptions(root, tmp_path / "out", pdf=False))

    assert isinstance(result.error, Phrase)
    assert result.error.text(lang) == said.format(template=template)
