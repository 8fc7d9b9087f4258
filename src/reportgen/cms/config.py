"""Decap CMS's ``config.yml``, generated from ``schema/kinds.py``: one collection per record kind.

Every field gets the fitting widget (select for fixed words, a date picker writing
``YYYY-MM-DD``, a relation showing names and storing ids, lists, objects), its Chinese
label and the schema's description as hint; private fields are labelled 「不公开」.  What
the forms enforce: required fields, id / phone / USCC patterns, number ranges, list
lengths.  Everything else (cross-record rules, the lifecycle, deadlines) ``check`` catches.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import yaml

from reportgen.cms.bundle import decap_script
from reportgen.schema.kinds import KINDS, KINDS_BY_NAME, STAFF
from reportgen.schema.types import Field, Kind, Type
from reportgen.workflow.store import DATED_FOLDERS

PRIVATE_MARK = "（不公开）"
GIT_HOSTS = ("github", "gitlab", "gitea")
# each host's API under a self-hosted server's address
_API_ROOTS = {"github": "/api/v3", "gitlab": "/api/v4", "gitea": "/api/v1"}
# the forms' patterns for typed text (check tests the USCC's check digit and more)
_PATTERNS: dict[Type, tuple[str, str]] = {
    Type.PHONE: (r"^[0-9][0-9-]{6,19}$", "电话号码只写数字和“-”"),
    Type.USCC: (r"^[0-9A-HJ-NPQRTUWXY]{18}$", "统一社会信用代码为 18 位数字或大写字母"),
}
# what a relation shows for a record of each kind (kinds with a name show it after the id)
_SHOWN: dict[str, str] = {"issue": "title", "visit": "date", "rectification": "action", "legal": "kind"}
_BULLETIN_SLUG = "{{fields.period}}-{{fields.kind}}"  # 2021-09-monthly
_BODY_HINT = "用“## 典型案例”等二级标题分节。"
_FOLDER_KINDS = tuple(k for k in KINDS if k.folder != ".")


def cms_config(
    backend: Mapping[str, Any], prefix: str = "", next_ids: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The whole configuration: ``backend`` as given, collection folders under ``prefix`` (the records
    folder's path in the repository, ``""`` when the repository is the records folder).

    ``next_ids`` (kind name → id) pre-fills a new record's id; it is computed once, when the
    configuration is written, so two clerks creating records at once get the same id (E301).
    """
    config: dict[str, Any] = {"backend": dict(backend), "locale": "zh_Hans"}
    if backend.get("name") != "test-repo":
        config["publish_mode"] = "editorial_workflow"
    config |= {
        "media_folder": _join(prefix, "attachments"),
        "slug": {"encoding": "unicode", "clean_accents": False, "sanitize_replacement": "-"},
        "collections": [_collection(kind, prefix, (next_ids or {}).get(kind.name)) for kind in _FOLDER_KINDS],
    }
    return config


def git_backend(host: str, repo: str, url: str | None = None) -> dict[str, Any]:
    """The backend for the office's git host (``url``: a self-hosted GitLab, Gitea or GitHub Enterprise)."""
    backend: dict[str, Any] = {"name": host, "repo": repo, "branch": "main"}
    if url:
        base = url.rstrip("/")
        backend |= {"base_url": base, "api_root": base + _API_ROOTS[host]}
    return backend


def admin_page(prefix: str = "") -> str:
    """The editor's page: Decap's script from the same folder (nothing from a CDN), then the file-name fix and
    the preview of a record."""
    dated = {_join(prefix, KINDS_BY_NAME[name].folder): field for name, field in DATED_FOLDERS.items()}
    script = _SAVE_SCRIPT.replace("DATED", json.dumps(dated, ensure_ascii=False, sort_keys=True))
    script = script.replace("COLLECTIONS", json.dumps([kind.name for kind in _FOLDER_KINDS]))
    return (
        '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<title>记录编辑</title>\n<meta name="robots" content="noindex">\n</head>\n<body>\n'
        f'<script src="decap-cms.js"></script>\n<script>\n{script}</script>\n</body>\n</html>\n'
    )


# Decap lowercases every file name and folder it makes from a template (e096.yaml), and its
# {{year}}-{{month}} come from a field called "date" only.  A record's file is named after its
# id (E096.yaml, 2021-Q3-quarterly.md) in the month of its own date (an issue: raised), the
# rule of ``reportgen new``: every backend's save is wrapped to write that name and folder for
# a new record (one whose name Decap made; an existing file keeps its name and folder).  Decap
# then shows "entry not found" for the lowercase address it opened; the file is saved.
_SAVE_SCRIPT = """(function () {
  var dated = DATED;
  function fixed(path, raw) {
    var slash = path.lastIndexOf("/"), dot = path.lastIndexOf(".");
    var folder = path.slice(0, slash), made = path.slice(slash + 1, dot), stem = made;
    stem = stem.replace(/^[a-z]+(?=[0-9]+$)/, function (s) { return s.toUpperCase(); });
    stem = stem.replace(/^([0-9]{4})-q([1-4])-/, "$1-Q$2-");
    Object.keys(dated).forEach(function (base) {
      if (stem === made || folder.indexOf(base + "/") !== 0) { return; }  // an existing file stays where it is
      var day = new RegExp("^" + dated[base] + ": *[\\"']?([0-9]{4}-[0-9]{2})-", "m").exec(raw);
      if (day) { folder = base + "/" + day[1]; }
    });
    return folder + "/" + stem + path.slice(dot);
  }
  ["proxy", "github", "gitlab", "gitea", "git-gateway"].forEach(function (name) {
    var found = CMS.getBackend(name);
    if (!found) { return; }
    var init = found.init;
    found.init = function () {
      var backend = init.apply(null, arguments), persist = backend.persistEntry.bind(backend);
      backend.persistEntry = function (entry, options) {
        entry.dataFiles.forEach(function (file) { file.path = fixed(file.path, file.raw); });
        return persist(entry, options);
      };
      return backend;
    };
  });
})();
// The preview beside the form: every field that has a value, after its label, as the office writes it: a choice
// by its label (月通报, not monthly), a date as 2021年10月8日, yes or no as 是 or 否, a record referred to as its
// picker shows it (企业：富士康(周口)科技工业园（E001）: the picker looks the record up once the form is shown and
// hands it to the preview), a group's fields indented under it; the body last, as Markdown.  (Decap's own names
// only short texts, and a choice, a date or a record referred to not at all.)
(function () {
  function day(text) {
    var found = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(text);
    return found ? found[1] + "年" + Number(found[2]) + "月" + Number(found[3]) + "日" : text;
  }
  function items(value) { return value && value.toArray ? value.toArray() : [].concat(value); }
  function named(field, id, found) {  // the record's name (or title, or date) as its picker shows it, then its id
    var record = found && found.getIn([field.get("name"), field.get("collection"), id]);
    var shownField = field.getIn(["search_fields", 1]);
    var name = record && (record.get ? record.get(shownField) : record[shownField]);
    return name ? day(String(name)) + "（" + id + "）" : String(id);
  }
  function shown(field, value, found) {
    var widget = field.get("widget"), options = field.get("options");
    if (widget === "relation") {
      return items(value).map(function (id) { return named(field, id, found); }).join("、");
    }
    if (widget === "select") {
      var chosen = options && options.find(function (option) { return option.get && option.get("value") === value; });
      return chosen ? chosen.get("label") : String(value);
    }
    if (widget === "datetime") { return day(String(value)); }
    if (widget === "boolean") { return value ? "是" : "否"; }
    if (widget === "object") { return h("div", {className: "group"}, rows(field.get("fields"), value, found)); }
    if (widget === "list" && field.get("fields")) {
      return items(value).map(function (item, at) {
        return h("div", {className: "group", key: at}, rows(field.get("fields"), item, found));
      });
    }
    if (widget === "list") { return items(value).join("、"); }
    return String(value);
  }
  function rows(fields, values, found) {
    return fields.toArray().map(function (field) {
      var name = field.get("name"), value = values && values.get ? values.get(name) : undefined;
      if (name === "body" || value === undefined || value === null || value === "" || (value.size === 0)) {
        return null;
      }
      return h("div", {className: "row", key: name}, h("span", {className: "label"}, field.get("label") + "："),
        shown(field, value, found));
    });
  }
  var Preview = createClass({
    render: function () {
      var body = this.props.fields.find(function (field) { return field.get("name") === "body"; });
      var found = this.props.fieldsMetaData;  // the records the pickers looked up, by field, kind and id
      return h("div", {className: "record"}, rows(this.props.fields, this.props.entry.get("data"), found),
        body ? h("div", {className: "body"}, this.props.widgetFor("body")) : null);
    }
  });
  COLLECTIONS.forEach(function (name) { CMS.registerPreviewTemplate(name, Preview); });
  CMS.registerPreviewStyle(".record { font: 16px/1.7 'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC'," +
    " sans-serif; color: #222; padding: 8px; }" +
    " .label { color: #555; } .group { margin: 4px 0 8px 1em; padding-left: 8px; border-left: 2px solid #ccc; }" +
    " .body { margin-top: 12px; border-top: 1px solid #ccc; }", {raw: true});
})();
"""


def config_text(config: Mapping[str, Any]) -> str:
    """The configuration as YAML, in a stable order (same schema → byte-identical file)."""
    head = "# 由 reportgen 根据记录结构生成，请勿手改；重新生成：reportgen init 或 reportgen serve --edit\n"
    return head + yaml.safe_dump(dict(config), allow_unicode=True, sort_keys=False, width=120)


def _join(prefix: str, folder: str) -> str:
    return f"{prefix.strip('/')}/{folder}" if prefix.strip("/") else folder


def _collection(kind: Kind, prefix: str, next_id: str | None) -> dict[str, Any]:
    """A folder collection for ``kind``: its folder, file names from the id, month subfolders."""
    collection: dict[str, Any] = {
        "name": kind.name,
        "label": kind.title,
        "label_singular": kind.label,
        "description": kind.description,
        "folder": _join(prefix, kind.folder),
        "create": True,
        "extension": kind.suffix.lstrip("."),
    }
    if kind.suffix == ".md":
        collection |= {
            "format": "frontmatter",
            "identifier_field": "title",
            "slug": "{{fields.period}}-{{fields.kind}}",
        }
    else:
        collection |= {
            "format": "yaml",
            "identifier_field": kind.id_field,
            "slug": "{{fields." + kind.id_field + " | upper}}",
        }
    date_field = DATED_FOLDERS.get(kind.name)
    if date_field:
        collection["path"] = "{{year}}-{{month}}/{{slug}}"  # the month of the record's own date: _SAVE_SCRIPT
    collection["summary"] = _summary(kind)
    fields = [_widget(f, next_id if f.name == kind.id_field else None) for f in kind.fields]
    for widget in fields:
        if widget["name"] == kind.id_field and kind.field(kind.id_field) and widget["widget"] == "string":
            widget["pattern"] = [kind.id_pattern, f"编号形如 {kind.id_example}"]
    if kind.suffix == ".md":
        fields.append(
            {"label": "正文", "name": "body", "widget": "markdown", "hint": "用“## 典型案例”等二级标题分节。"}
        )
    collection["fields"] = fields
    return collection


def _summary(kind: Kind) -> str:
    """The line a collection lists each record by: its id and what people know it by."""
    if kind.suffix == ".md":
        return "{{period}} {{kind}}"
    shown = _SHOWN.get(kind.name, "name")
    if kind.field(shown) is None:
        return "{{" + kind.id_field + "}}"
    return "{{" + kind.id_field + "}} {{" + shown + "}}"


def _widget(f: Field, default: Any = None, enforced: bool = True) -> dict[str, Any]:
    """The form field for ``f``: label, hint, whether required, the widget and its limits.

    ``enforced`` is false inside an optional group (the contact, the rating): Decap would
    demand its required parts even when the whole group is left empty, so ``check`` does.
    """
    widget: dict[str, Any] = {
        "label": f.label + (PRIVATE_MARK if f.private else ""),
        "name": f.name,
        "required": f.required and enforced,
        "hint": f.description,
    }
    widget |= _typed(f)
    if default is not None:
        widget["default"] = default
    elif f.default not in (None, [], {}):
        widget["default"] = f.default
    return widget


def _typed(f: Field) -> dict[str, Any]:
    """The widget and its options for the field's type."""
    if f.type is Type.DATE:
        return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False}
    if f.type in (Type.INT, Type.MONEY):
        return _number(f)
    if f.type is Type.BOOL:
        return {"widget": "boolean"}
    if f.type is Type.ENUM:
        return {"widget": "select", "options": _options(f)}
    if f.type is Type.REF and f.ref is not None:
        return _relation(f.ref, f.role)
    if f.type is Type.LIST and f.items is not None:
        return _list(f, f.items)
    if f.type is Type.MAPPING:
        return {"widget": "object", "collapsed": False, "fields": [_widget(g, None, f.required) for g in f.fields]}
    if f.type is Type.MARKDOWN:
        return {"widget": "text"}
    if f.type in _PATTERNS:
        return {"widget": "string", "pattern": list(_PATTERNS[f.type])}
    return {"widget": "string"}


def _options(f: Field) -> list[Any]:
    """A select's options: the choices, or, for words the office does not write (``monthly``), each one's label."""
    if not f.choice_labels:
        return list(f.choices)
    return [{"label": label, "value": choice} for choice, label in zip(f.choices, f.choice_labels, strict=True)]


def _number(f: Field) -> dict[str, Any]:
    """A number box: whole numbers, with the schema's range (money: not below zero)."""
    number: dict[str, Any] = {"widget": "number", "value_type": "int"}
    if f.type is Type.MONEY:
        number["min"] = 0
    if f.minimum is not None:
        number["min"] = int(f.minimum)
    if f.maximum is not None:
        number["max"] = int(f.maximum)
    return number


def _relation(ref: str, role: str | None) -> dict[str, Any]:
    """A relation that shows the record's id and name (or title) and stores its id."""
    kind = next(k for k in KINDS if k.name == ref)
    shown = _SHOWN.get(ref, "name")
    relation: dict[str, Any] = {
        "widget": "relation",
        "collection": ref,
        "value_field": kind.id_field,
        "search_fields": [kind.id_field, shown],  # the second is what the preview names the record by (_SAVE_SCRIPT)
        "display_fields": ["{{" + kind.id_field + "}} {{" + shown + "}}"],
    }
    if role is not None and ref == STAFF.name:
        relation["filters"] = [{"field": "role", "values": [role]}]
    return relation


def _list(f: Field, item: Field) -> dict[str, Any]:
    """A list: several references, several dates, or several entries of a few fields each."""
    if item.type is Type.REF and item.ref is not None:
        return _relation(item.ref, item.role) | {"multiple": True, **_bounds(f)}
    shown: dict[str, Any] = {"widget": "list", "collapsed": False, **_bounds(f)}
    if item.type is Type.MAPPING:
        first = item.fields[0].name
        summary = "{{" + first + "}} {{" + item.fields[1].name + "}}" if len(item.fields) > 1 else "{{" + first + "}}"
        return shown | {"summary": summary, "fields": [_widget(g) for g in item.fields]}
    return shown | {"field": _widget(item) | {"label": item.label}}


def _bounds(f: Field) -> dict[str, Any]:
    """The list's least number of entries, when it has one."""
    return {"min": f.min_items} if f.min_items else {}


def office_files(host: str, repo: str, url: str | None = None) -> dict[str, str]:
    """``admin/config.yml`` and ``admin/index.html`` for an office repository (records under records/).

    Decap's script (``decap-cms.js``, from the npm package) goes beside them when this
    reportgen has it installed: the office's CI installs reportgen without it, and the build
    publishes the repository's copy with the site (``cms/deploy.py``); the page never loads
    it from a CDN.
    """
    config = cms_config(git_backend(host, repo, url), prefix="records")
    files = {"admin/config.yml": config_text(config), "admin/index.html": admin_page("records")}
    script = decap_script()
    if script is not None:
        with open(script, encoding="utf-8", newline="") as bundle:  # written back byte for byte
            files["admin/decap-cms.js"] = bundle.read()
    return files


def local_config() -> str:
    """This repository's own ``admin/config.yml``: the local backend over records/ (``npx decap-server``)."""
    config = cms_config({"name": "git-gateway", "branch": "main"}, prefix="records")
    config.pop("publish_mode")
    return config_text(config | {"local_backend": True})
