"""The web editor's section of the office guide (docs/guide.md), for clerks."""

from __future__ import annotations

from reportgen.cms.bundle import DECAP_CMS_VERSION


def editor_part() -> list[str]:
    """How to add and change records through the web forms instead of writing YAML."""
    return [
        "### 不写 YAML：用网页表单填写记录",
        "",
        "在本机运行 `reportgen serve --edit`，用浏览器打开它显示的“记录编辑”地址（http://127.0.0.1:8000/admin/），"
        "点“登录”即可。左侧是各类记录（企业、走访、问题……），点“新建”出现表单：",
        "",
        "![问题的表单：办理记录可以逐条添加](images/editor-issue.png)",
        "",
        "- 编号已经填好下一个空着的编号；保存后文件自动放进对应的文件夹（走访、问题、法治服务按月份分文件夹）。",
        "- 企业、责任单位、人员、队伍都从下拉框里按名称选，表单里看到名称，文件里记的是编号。",
        "- 日期用日期框选择；类别、状态等只能从列出的选项中选，通报正文的种类选“月通报”“季点评”或“年度考核”。"
        "表单右侧的预览逐项列出已填的内容，每项前写明名称（如“提出日期：2021年12月2日”），选项也按名称显示；"
        "企业、单位、人员等写名称，括号里是编号（如“企业：富士康(周口)科技工业园（E001）”）。",
        "- 标有“（不公开）”的内容只在内部版中出现，公开发布时删去。",
        "- 点“发布”→“立即发布”保存。保存后预览网页自动更新；记录有问题时，预览网页底部显示问题和改法。",
        "",
        "表单能检查必填项、编号和电话的格式、数字的范围；记录之间的关系（例如办理记录的先后顺序、"
        "期限）仍由 `reportgen check` 检查，问题会显示在预览网页底部。",
        "",
        "注意：",
        "",
        "- 两个人同时新建同一类记录，会拿到同一个编号，`check` 会报编号重复（E301），把后建的一条改成下一个编号即可。",
        "- 用表单保存一条已有的记录，文件开头的注释行（# 开头的说明）会被去掉，记录内容不变。",
        "- 保存一条新记录后，编辑页面会显示“找不到这条记录”，这是因为文件名按编号用大写字母；"
        "记录已经保存，回到列表就能看到。",
        "- 办公室用代码托管平台（GitLab、Gitea 或 GitHub）时，用 "
        "`reportgen init 目录 --git-host gitlab --repo 单位/仓库 --git-url https://平台地址` 生成编辑器设置；"
        "每次保存都成为一个合并请求，由 CI 检查通过后再合并。",
        "",
        "#### 在发布的网站上打开编辑器",
        "",
        "仓库里有 `admin/config.yml`（用 `--git-host` 生成）时，`reportgen build` 把编辑器和网站一起发布："
        "在浏览器打开“网站地址/admin/”，用代码托管平台的账号登录，就能用同样的表单填写记录。",
        "",
        "- 编辑器的程序文件 `decap-cms.js`（约 5 MB）不从外网加载，而是随网站一起发布。"
        "构建时先找仓库 `admin/` 文件夹里的这个文件（`reportgen init --git-host` 在装有编辑器的电脑上会把它一并写进去，"
        "请和其他文件一起提交），再找本机安装 reportgen 时一并装好的（`bash scripts/dev.sh` 会从 npm 安装）。",
        "- 都找不到时，网站照常生成，构建日志里有一行提示“缺少程序文件 decap-cms.js”。这时在任意一台能上网的电脑上运行 "
        f"`npm install decap-cms@{DECAP_CMS_VERSION}`，把 `node_modules/decap-cms/dist/decap-cms.js` "
        "复制到仓库的 `admin/` 文件夹，提交后重新构建。以后升级 reportgen 时，按同样的办法换成提示里的版本。",
        "- 用 `reportgen serve --edit` 在本机编辑时用的是本机的设置，不会发布到网站。",
        "",
    ]
