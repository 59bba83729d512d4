"""Plumbing shared by the oracle scripts: one JSON request in, one JSON object out.

    python3 test/oracles/NAME.py COMMAND [REQUEST_JSON]   request as an argument, or on stdin when omitted
    python3 test/oracles/NAME.py --check                  exit 0 when every module the script needs imports
    python3 test/oracles/NAME.py --versions               the interpreter's and those modules' versions (JSON)
    python3 test/oracles/NAME.py --help                   the script's commands

Exit codes: 0 the result is on stdout; 2 a bad request or unreadable input (one line on stderr);
3 a Python module is missing (one line on stderr naming the apt-get command that installs it).
Every result carries "_process": this interpreter's CPU seconds and peak RSS, so a benchmark can compare
processes without an external timer.
"""
import importlib
import importlib.util
import json
import math
import resource
import sys

# Debian package of each module the oracles use (CI installs them from .ci/run).
DEBIAN_PACKAGES = {
    "numpy": "python3-numpy",
    "pandas": "python3-pandas",
    "prometheus_client": "python3-prometheus-client",
    "scipy": "python3-scipy",
    "sklearn": "python3-sklearn",
    "yaml": "python3-yaml",
}

EXIT_BAD_REQUEST = 2
EXIT_MISSING_MODULE = 3


class BadRequest(Exception):
    """The request or an input file is wrong: reported as one line, exit 2."""


def install_command(modules):
    packages = sorted({DEBIAN_PACKAGES.get(m, "python3-" + m) for m in modules})
    return "apt-get install -y " + " ".join(packages)


def _fail(code, message):
    sys.stderr.write(message.replace("\n", " ") + "\n")
    sys.exit(code)


def _missing_module_hook(kind, value, tb):
    # a third-party import failed anywhere in the script: name the install command instead of a traceback
    if issubclass(kind, ModuleNotFoundError) and value.name:
        top = value.name.split(".")[0]
        _fail(EXIT_MISSING_MODULE, f"{sys.argv[0]}: Python module '{top}' missing for {sys.executable}: {install_command([top])}")
    sys.__excepthook__(kind, value, tb)


sys.excepthook = _missing_module_hook


def _plain(value):
    """numpy scalars/arrays to Python; NaN to null and ±inf to "Infinity"/"-Infinity" (JSON has neither)."""
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def process_usage():
    self_ = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "cpu_s": self_.ru_utime + self_.ru_stime + kids.ru_utime + kids.ru_stime,
        "peak_rss_mb": max(self_.ru_maxrss, kids.ru_maxrss) / 1024,
    }


def field(request, name, kind=None, default=...):
    """request[name], checked: a missing or mistyped field is a BadRequest naming it."""
    if name not in request or request[name] is None:
        if default is ...:
            raise BadRequest(f"request field '{name}' is required")
        return default
    value = request[name]
    if kind is not None and not isinstance(value, kind):
        raise BadRequest(f"request field '{name}' must be {getattr(kind, '__name__', kind)}, got {type(value).__name__}")
    return value


def main(doc, commands, requires):
    """Runs COMMAND of a script: `commands` maps names to functions(request) -> dict; `requires` lists modules."""
    args = sys.argv[1:]
    if not args or args[0] in ("-h", "--help"):
        sys.stdout.write(doc.strip() + "\n\ncommands: " + ", ".join(sorted(commands)) + "\n")
        return
    missing = [m for m in requires if importlib.util.find_spec(m) is None]
    if missing:
        _fail(EXIT_MISSING_MODULE, f"{sys.argv[0]}: Python module(s) {', '.join(missing)} missing for {sys.executable}: {install_command(missing)}")
    if args[0] == "--check":
        sys.stdout.write('{"ok": true}\n')
        return
    if args[0] == "--versions":
        versions = {m: getattr(importlib.import_module(m), "__version__", None) for m in requires}
        json.dump({"python": sys.version.split()[0], "executable": sys.executable, **versions}, sys.stdout)
        sys.stdout.write("\n")
        return
    name = args[0]
    if name not in commands:
        _fail(EXIT_BAD_REQUEST, f"{sys.argv[0]}: unknown command '{name}' (commands: {', '.join(sorted(commands))})")
    raw = args[1] if len(args) > 1 else sys.stdin.read()
    try:
        request = json.loads(raw) if raw.strip() else {}
    except json.JSONDecodeError as e:
        _fail(EXIT_BAD_REQUEST, f"{sys.argv[0]} {name}: the request is not JSON ({e})")
    if not isinstance(request, dict):
        _fail(EXIT_BAD_REQUEST, f"{sys.argv[0]} {name}: the request must be a JSON object")
    try:
        result = commands[name](request)
    except BadRequest as e:
        _fail(EXIT_BAD_REQUEST, f"{sys.argv[0]} {name}: {e}")
    except (FileNotFoundError, IsADirectoryError, PermissionError) as e:
        _fail(EXIT_BAD_REQUEST, f"{sys.argv[0]} {name}: cannot read {e.filename}: {e.strerror}")
    result = dict(result)
    result["_process"] = process_usage()
    json.dump(_plain(result), sys.stdout, allow_nan=False)
    sys.stdout.write("\n")
