#!/usr/bin/env bash
# Set up a fresh Debian/Ubuntu machine and build or test reportgen.
#
#   bash scripts/dev.sh build   # system packages + .venv, then build records/ into output/
#   bash scripts/dev.sh test    # the same plus test tools, then lint, types and the test suite
#   bash scripts/dev.sh setup   # only the set-up
#
# System packages are installed only when missing; Python packages go into .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

# What the build needs: WeasyPrint's libraries, the fast font subsetter (FINDINGS: without
# libharfbuzz-subset0 a PDF takes ~11 s instead of <1 s), the free CJK fonts, pdf tools.
BUILD_PACKAGES=(python3-venv python3-dev libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
                fonts-noto-cjk fonts-arphic-ukai fonts-lxgw-wenkai poppler-utils git)
# What the tests add: a browser and its driver, Java for the Nu HTML Checker, npm to fetch it.
TEST_PACKAGES=(chromium chromium-driver default-jre-headless npm)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "需要 root 权限安装系统软件包：$*" >&2; return 1; fi
}

apt_install_missing() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  # java and npm may come from elsewhere (a JDK, nodesource): do not reinstall them
  missing=($(for pkg in "${missing[@]}"; do
    case "$pkg" in
      default-jre-headless) command -v java >/dev/null || echo "$pkg" ;;
      npm) command -v npm >/dev/null || echo "$pkg" ;;
      python3-venv|python3-dev) python3 -c 'import venv, ensurepip, sysconfig, os; assert os.path.exists(sysconfig.get_paths()["include"] + "/Python.h")' 2>/dev/null || echo "$pkg" ;;
      *) echo "$pkg" ;;
    esac
  done))
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "==> 安装系统软件包：${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

python_env() {
  if [ ! -x .venv/bin/python ]; then
    echo "==> 创建 .venv"
    python3 -m venv .venv
  fi
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  echo "==> 安装 Python 依赖"
  # a .venv made before the distribution was renamed zhuqi-reportgen still has it under the old name
  .venv/bin/python -m pip uninstall -q -y reportgen >/dev/null 2>&1 || true
  .venv/bin/python -m pip install -q -e ".${1:+[$1]}"
}

vnu_checker() {
  # The Nu HTML Checker, from the npm registry, into a project-local folder
  if [ ! -f .cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar ]; then
    echo "==> 安装 Nu HTML Checker（vnu-jar）"
    mkdir -p .cache/vnu
    npm install --silent --no-audit --no-fund --prefix .cache/vnu vnu-jar >/dev/null
  fi
}

axe_core() {
  # axe-core, the accessibility checker the browser test injects, from the npm registry into a project-local folder
  if [ ! -f .cache/axe/node_modules/axe-core/axe.min.js ]; then
    echo "==> 安装 axe-core"
    mkdir -p .cache/axe
    npm install --silent --no-audit --no-fund --prefix .cache/axe axe-core >/dev/null
  fi
}

decap_cms() {
  # The clerks' web editor (reportgen serve --edit), from the npm registry into a project-local
  # folder: served from there, never from a CDN; decap-server is its local-repository backend (node)
  if [ ! -f .cache/decap/node_modules/decap-cms/dist/decap-cms.js ] || [ ! -f .cache/decap/node_modules/decap-server/dist/index.js ]; then
    echo "==> 安装网页编辑器（decap-cms、decap-server）"
    mkdir -p .cache/decap
    npm install --silent --no-audit --no-fund --prefix .cache/decap decap-cms@3.16.3 decap-server@3.11.3 >/dev/null
  fi
}

case "${1:-build}" in
  setup)
    apt_install_missing "${BUILD_PACKAGES[@]}"
    python_env dev
    command -v npm >/dev/null && decap_cms
    ;;
  build)
    apt_install_missing "${BUILD_PACKAGES[@]}"
    python_env ""
    .venv/bin/reportgen check records
    .venv/bin/reportgen build records --out output
    ;;
  test)
    apt_install_missing "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    python_env dev
    vnu_checker
    decap_cms
    axe_core
    echo "==> ruff"
    .venv/bin/ruff check src tests bench
    .venv/bin/ruff format --check src tests bench
    echo "==> mypy"
    .venv/bin/mypy
    echo "==> pytest"
    .venv/bin/python -m pytest
    ;;
  *)
    echo "用法：bash scripts/dev.sh [build|test|setup]" >&2
    exit 2
    ;;
esac
