"""The grading kernel's guard: what lets hidden tests trust the kernel they run in.

A notebook's cells run before its hidden tests, in the same Python process, so they can
replace NumPy functions or builtins, plant a fake `autograder` in `sys.modules`, drop files
that shadow modules, import the reference solutions, or make IPython swallow errors. The
guard is started before the notebook's first cell (nbgrader_config.py passes the line from
`autograder.seal.kernel_arguments` to every grading kernel) and then:

- snapshots the functions hidden tests rely on (builtins, NumPy, os, importlib, ...) and the
  IPython machinery, and moves the notebook's own folder to the end of `sys.path`;
- keeps the grader's sources in memory, and before every hidden test drops whatever
  `autograder` modules exist and loads fresh ones from those sources;
- watches the notebook through a Python audit hook (which no later code can remove):
  importing or reading the grader, writing into the course outside the submission,
  starting programs, ctypes, gc and tracing are refused in the notebook's own code;
- checks the snapshots before each hidden test, after each call of student code
  (`core.call_student`) and when a hidden test passes: anything replaced is put back and
  that exercise fails with a message saying what was changed;
- seals each pass: `core.passed` prints an HMAC of the check's name and its cell, keyed by
  a secret only this kernel received (see autograder/seal.py, which verifies the seals
  after execution), so no printed text, silenced error or patched IPython passes a test.

It is executed, not imported, so that nothing in `sys.modules` leads to it; it binds its
own copy of the builtins. Functions of the notebook's cells are "student code"; events are
judged by the innermost frame that is neither the standard library nor an installed
package, so a library called by the notebook acts on the notebook's behalf.
"""

import builtins as _builtins_module

__builtins__ = dict(_builtins_module.__dict__)  # later changes to builtins do not reach here

import sys  # noqa: E402

SEAL_ENV = "AUTOGRADER_SEAL"
GUARD_NAME = "__autograder_guard__"

# IPython and the kernel rebind these builtins for every cell (input: to ask the front end)
_IGNORED_BUILTINS = frozenset(
    {"_", "__", "___", "exit", "quit", "get_ipython", "display", "__IPYTHON__", "copyright"}
    | {"credits", "license", "help", "In", "Out", "_ih", "_oh", "_dh", "input", "raw_input"}
)
# modules whose functions hidden tests, the references and the import system use
_WATCHED = (
    "numpy",
    "nnfs",
    "os",
    "posix",
    "posixpath",
    "warnings",
    "_warnings",
    "math",
    "types",
    "functools",
    "_functools",
    "operator",
    "_operator",
    "itertools",
    "copy",
    "contextlib",
    "threading",
    "_thread",
    "hashlib",
    "_hashlib",
    "hmac",
    "marshal",
    "importlib",
    "_imp",
    "io",
    "_io",
    "abc",
    "_abc",
)
_SYS_WATCHED = (
    "audit",
    "addaudithook",
    "setprofile",
    "getprofile",
    "settrace",
    "gettrace",
    "_getframe",
    "exc_info",
    "modules",
    "meta_path",
    "path_hooks",
    "path_importer_cache",
)
_SKIPPED_KEYS = frozenset({("threading", "_profile_hook"), ("threading", "_trace_hook")})
_SKIPPED_KEYS |= {("warnings", "showwarning"), ("warnings", "_showwarnmsg")}
# nnfs.init() replaces these with float32 versions: allowed when nnfs made them
_NNFS_PATCHES = frozenset({("numpy", "dot"), ("numpy", "zeros"), ("numpy", "eye")})
_NNFS_PATCHES |= {("numpy.random", "randn")}
# instructor tools under autograder/ that hidden tests never load
_TOOLS = ("__main__", "guard", "seal", "examples", "mutation", "report", "normalize", "mutants")
_SHELL_METHODS = (
    "run_cell",
    "run_cell_async",
    "_run_cell",
    "run_ast_nodes",
    "run_code",
    "transform_cell",
    "transform_ast",
    "should_run_async",
    "showtraceback",
    "_showtraceback",
    "showsyntaxerror",
    "showindentationerror",
    "get_exception_only",
    "excepthook",
    "ex",
    "ev",
    "ask_exit",
)
_KERNEL_METHODS = ("do_execute", "execute_request", "dispatch_shell", "process_one")
_SPAWN = frozenset(
    {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork"}
    | {"os.forkpty", "pty.spawn"}
)
_PATH_EVENTS = frozenset(
    {"os.remove", "os.rename", "os.replace", "os.rmdir", "os.truncate", "os.chmod", "os.chown"}
    | {"os.utime", "os.link", "os.symlink", "os.mkdir", "shutil.rmtree", "shutil.move"}
    | {"shutil.copyfile", "shutil.copytree", "sqlite3.connect"}
)
_DENIED = frozenset(
    {"gc.get_objects", "gc.get_referrers", "gc.get_referents", "sys.settrace", "sys.setprofile"}
    | {"marshal.loads", "marshal.load", "code.__new__", "sys._current_frames"}
)


# refused, but not held against the exercise: nothing the hidden tests use was changed
_SOFT = frozenset({"sys.settrace", "sys.setprofile"})


class IntegrityError(AssertionError):
    """Grading refused: the notebook changed or read what the hidden tests rely on."""


def normalized(source):
    """Cell source as compared between the kernel and nbgrader (trailing spaces ignored)."""
    if type(source) is bytes:
        source = source.decode("utf-8", "replace")
    return "\n".join(line.rstrip() for line in source.splitlines()).strip()


def _genuine_sources(root, cwd):
    """Normalized sources of the chapter's locked code cells (setup and tests), from the
    instructor's source notebook; empty when the notebook cannot be found."""
    import json
    import os

    chapter = os.path.basename(cwd)
    path = os.path.join(root, "source", chapter, chapter + ".ipynb")
    try:
        with open(path, encoding="utf-8") as f:
            nb = json.load(f)
    except (OSError, ValueError):
        return frozenset()
    sources = set()
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") == "code" and (meta.get("locked") or meta.get("grade")):
            text = cell.get("source", "")
            sources.add(normalized(text if isinstance(text, str) else "".join(text)))
    return frozenset(sources)


def _grader_sources(agdir):
    """{module name: (path, code, is_package)} for the grader modules hidden tests load."""
    import os

    found = {}
    for folder, dirs, files in os.walk(agdir):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        rel = os.path.relpath(folder, agdir)
        parts = [] if rel == "." else rel.split(os.sep)
        if parts and parts[0] in _TOOLS:
            continue
        for file in sorted(files):
            if not file.endswith(".py"):
                continue
            stem = file[:-3]
            if not parts and stem in _TOOLS:
                continue
            is_pkg = stem == "__init__"
            name = ".".join(["autograder", *parts] + ([] if is_pkg else [stem]))
            path = os.path.join(folder, file)
            try:
                with open(path, "rb") as f:
                    code = compile(f.read(), path, "exec", dont_inherit=True)
            except (OSError, SyntaxError, ValueError):
                continue  # importing it fails the usual way, from the file
            found[name] = (path, code, is_pkg)
    return found


def _all_codes(code, into):
    into.add(code)
    for const in code.co_consts:
        if type(const) is type(code):
            _all_codes(const, into)
    return into


def install(shell=None, root=None, seal_path=None):
    """Start guarding this process (once). Returns True if it was started by this call."""
    box = []
    sys.audit("autograder.ping", box)
    if box:
        return False
    import os

    # the notebook's folder must not shadow installed packages (nbgrader copies every file
    # a student submits next to the notebook): move it to the end of sys.path first
    cwd = os.getcwd()
    for entry in list(sys.path):
        if entry in ("", ".", cwd):
            sys.path.remove(entry)
            sys.path.append(entry)

    import _hashlib
    import _thread
    import functools
    import hashlib
    import importlib
    import importlib.machinery
    import site
    import types

    import numpy
    import numpy.linalg  # noqa: F401 (imported now, to be snapshotted)
    import numpy.random  # noqa: F401

    try:
        import nnfs
        import nnfs.core
    except ImportError:  # pragma: no cover - nnfs is a course requirement
        nnfs = None

    if root is None:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sep = os.sep
    agdir = os.path.join(root, "autograder") + sep
    root = root.rstrip(sep) + sep
    cwd_prefix = cwd.rstrip(sep) + sep
    stdlib = os.path.dirname(os.__file__)
    trusted = {stdlib, sys.prefix, sys.base_prefix, sys.exec_prefix, *site.getsitepackages()}
    trusted |= {os.path.realpath(p) for p in list(trusted)}
    trusted.add(os.path.join(root, "course"))
    library_prefixes = tuple(sorted(p.rstrip(sep) + sep for p in trusted))

    key = None
    seal_path = seal_path or os.environ.pop(SEAL_ENV, None)
    if seal_path:
        try:
            with open(seal_path, encoding="ascii") as f:
                key = bytes.fromhex(f.read().strip())
            os.remove(seal_path)
        except (OSError, ValueError):
            key = None

    if shell is None:
        get_ipython = __builtins__.get("get_ipython")
        shell = get_ipython() if get_ipython else None

    # -- trusted primitives, bound now (before any notebook code ran) ----------------------
    getframe = sys._getframe
    get_ident = _thread.get_ident
    modules = sys.modules
    code_type = types.CodeType
    function_type = types.FunctionType
    module_type = types.ModuleType
    str_startswith = str.startswith
    list_append = list.append
    dict_get = dict.get
    hmac_digest = _hashlib.hmac_digest
    sha256 = hashlib.sha256
    import_module = importlib.import_module
    module_spec = importlib.machinery.ModuleSpec
    getcwd = os.getcwd
    fsdecode = os.fsdecode
    o_write = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
    sys_module = sys
    type_dict = type.__dict__["__dict__"].__get__

    cell_prefix = None
    if shell is not None:
        name = shell.compile.get_code_name("pass", "pass\n", 0)
        cell_prefix = name.rsplit(sep, 1)[0] + sep if sep in name else name.split("-")[0] + "-"
    # the program that runs the notebook (the kernel, or a test harness) ran before it
    host_files = set()
    frame = getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not (cell_prefix and str_startswith(filename, cell_prefix)) and filename != "<string>":
            host_files.add(filename)
        frame = frame.f_back

    genuine_sources = _genuine_sources(root.rstrip(sep), cwd)
    sources = _grader_sources(agdir.rstrip(sep))
    genuine_codes = set()
    for _path, code, _pkg in sources.values():
        _all_codes(code, genuine_codes)
    genuine_codes = frozenset(genuine_codes)
    nnfs_codes = set()
    if nnfs is not None:
        for value in vars(nnfs.core).values():
            if type(value) is function_type:
                _all_codes(value.__code__, nnfs_codes)
    nnfs_codes = frozenset(nnfs_codes)

    def watched(name):
        for prefix in _WATCHED:
            if name == prefix or str_startswith(name, prefix + "."):
                return True
        return False

    module_snapshots = {}
    for name, module in list(modules.items()):
        if type(name) is str and type(module) is module_type and watched(name):
            values = {}
            for k, v in vars(module).items():
                if type(k) is str and (callable(v) or type(v) is module_type):
                    values[k] = v
            module_snapshots[name] = (module, values)
    sys_snapshot = {k: getattr(sys, k) for k in _SYS_WATCHED if hasattr(sys, k)}
    meta_path_items, path_hooks_items = list(sys.meta_path), list(sys.path_hooks)
    builtins_dict = _builtins_module.__dict__
    builtins_snapshot = {
        k: v for k, v in builtins_dict.items() if type(k) is str and k not in _IGNORED_BUILTINS
    }

    def ipython_parts():
        """(object, attribute names) pairs and lists of transformers to keep as they are."""
        if shell is None:
            return [], []
        objects = [(shell, _SHELL_METHODS)]
        kernel = getattr(shell, "kernel", None)
        if kernel is not None:
            objects.append((kernel, _KERNEL_METHODS))
            session = getattr(kernel, "session", None)
            if session is not None:
                objects.append((session, ("send", "serialize")))
        manager = shell.input_transformer_manager
        lists = [
            (shell, "input_transformers_cleanup"),
            (shell, "input_transformers_post"),
            (shell, "ast_transformers"),
            (manager, "cleanup_transforms"),
            (manager, "line_transforms"),
            (manager, "token_transformers"),
        ]
        return objects, lists

    ip_objects, ip_lists = ipython_parts()
    ip_overrides = [(obj, names, dict(vars(obj))) for obj, names in ip_objects]
    ip_list_items = [
        (obj, attr, getattr(obj, attr), list(getattr(obj, attr))) for obj, attr in ip_lists
    ]
    ip_singles = []
    if shell is not None:
        ip_singles = [(shell, "compile", shell.compile), (shell, "custom_exceptions", ())]
        ip_singles.append((shell, "CustomTB", getattr(shell, "CustomTB", None)))

    missing = object()

    # -- state ---------------------------------------------------------------------------------
    busy = set()
    state = {
        "cell_file": None,
        "cell_genuine": False,
        "cell_digest": "",
        "pending": [],  # reasons recorded in the notebook's own cells, for the next hidden test
        "consumed": False,  # a hidden test already failed for the pending reasons
        "loaded": [],  # (module dict, snapshot) of the grader modules loaded for this cell
        "modules": [],  # those modules
    }
    genuine_files = set()

    # -- helpers -------------------------------------------------------------------------------
    def kind(filename):
        if type(filename) is not str:
            return "notebook"
        if str_startswith(filename, agdir):
            return "grader"
        if filename in host_files:
            return "library"
        if str_startswith(filename, library_prefixes) or str_startswith(filename, "<frozen "):
            return "library"
        return "notebook"

    def notebook_frame(frame):
        """True for code the student wrote (cells and what they exec), not locked cells."""
        filename = frame.f_code.co_filename
        return kind(filename) == "notebook" and filename not in genuine_files

    def student_context(depth=2):
        """The innermost frame that is not a library decides who acts; what happens while
        a module is being imported belongs to that module."""
        frame = getframe(depth)
        while frame is not None:
            filename = frame.f_code.co_filename
            if str_startswith(filename, "<frozen importlib"):
                return False
            k = kind(filename)
            if k == "grader":
                return False
            if k == "notebook":
                return filename not in genuine_files
            frame = frame.f_back
        return False

    def direct_student(depth=2):
        frame = getframe(depth)
        return frame is not None and notebook_frame(frame)

    def any_notebook_frame(depth=2):
        frame = getframe(depth)
        while frame is not None:
            if kind(frame.f_code.co_filename) == "notebook":
                return True
            frame = frame.f_back
        return False

    def refuse(reason, taint=True):
        if taint:
            list_append(state["pending"], reason)
        raise IntegrityError(reason + " This is not allowed while grading.")

    def as_path(value):
        if type(value) is bytes:
            value = fsdecode(value)
        if type(value) is not str:
            return None
        if str_startswith(value, "file:"):  # sqlite3 URIs
            value = value[5:].split("?")[0]
        if not str_startswith(value, sep):
            value = getcwd() + sep + value
        parts = []
        for part in value.split(sep):
            if part == "..":
                if parts:
                    parts.pop()
            elif part and part != ".":
                parts.append(part)
        return sep + sep.join(parts)

    def protected(path):
        """Inside the course but outside the submission's folder."""
        return (
            path is not None
            and str_startswith(path + sep, root)
            and not str_startswith(path + sep, cwd_prefix)
        )

    def same_items(current, items):
        if len(current) != len(items):
            return False
        for i in range(len(items)):
            if current[i] is not items[i]:
                return False
        return True

    # -- integrity of what hidden tests rely on -----------------------------------------------
    def verify(restore=True):
        problems = []
        for k, v in builtins_snapshot.items():
            if dict_get(builtins_dict, k, missing) is not v:
                list_append(problems, f"builtins.{k} was replaced")
                if restore:
                    builtins_dict[k] = v
        for name, (module, values) in module_snapshots.items():
            if dict_get(modules, name) is not module:
                list_append(problems, f"sys.modules[{name!r}] was replaced")
                if restore:
                    modules[name] = module
            current = module.__dict__
            for k, v in values.items():
                now = dict_get(current, k, None)
                if now is v or (name, k) in _SKIPPED_KEYS:
                    continue
                if (
                    (name, k) in _NNFS_PATCHES
                    and type(now) is function_type
                    and now.__code__ in nnfs_codes
                ):
                    continue
                list_append(problems, f"{name}.{k} was replaced")
                if restore:
                    current[k] = v
        sys_dict = sys_module.__dict__
        for k, v in sys_snapshot.items():
            if dict_get(sys_dict, k) is not v:
                list_append(problems, f"sys.{k} was replaced")
                if restore:
                    sys_dict[k] = v
        for items, attr in ((meta_path_items, "meta_path"), (path_hooks_items, "path_hooks")):
            current = sys_snapshot[attr]
            if not same_items(current, items):
                list_append(problems, f"sys.{attr} was changed")
                if restore:
                    current[:] = items
        for obj, names, snapshot in ip_overrides:
            current = vars(obj)
            for n in names:
                if dict_get(current, n) is not dict_get(snapshot, n):
                    list_append(problems, f"IPython's {type(obj).__name__}.{n} was replaced")
                    if restore:
                        if n in snapshot:
                            current[n] = snapshot[n]
                        else:
                            del current[n]
        for obj, attr, lst, items in ip_list_items:
            now = getattr(obj, attr)
            if now is not lst or not same_items(lst, items):
                list_append(problems, f"IPython's {attr} were changed")
                if restore:
                    lst[:] = items
                    setattr(obj, attr, lst)
        for obj, attr, value in ip_singles:
            if getattr(obj, attr, None) is not value:
                list_append(problems, f"IPython's {attr} was changed")
                if restore:
                    setattr(obj, attr, value)
        for current, snapshot in state["loaded"]:
            for k, v in snapshot.items():
                if dict_get(current, k, None) is not v:
                    list_append(problems, "the grader's own modules were modified")
                    if restore:
                        current[k] = v
        return problems

    # -- fresh grader modules for each hidden test --------------------------------------------
    def grader_module(name):
        return type(name) is str and (name == "autograder" or str_startswith(name, "autograder."))

    # grader modules the host program loaded itself (a test harness; none in a kernel)
    host_modules = [m for n, m in list(modules.items()) if grader_module(n)]

    def hosted(module):
        return any(module is m for m in host_modules)

    def purge_grader():
        for name, module in list(modules.items()):
            if grader_module(name) and not hosted(module):
                del modules[name]
        for name in ("last_type", "last_value", "last_traceback"):
            if name in sys_module.__dict__:
                sys_module.__dict__[name] = None

    def purge_namespace():
        if shell is None:
            return
        namespace = shell.user_ns
        for name, value in list(namespace.items()):
            if type(name) is not str or str_startswith(name, "_"):
                continue
            t = type(value)
            if t is function_type and value.__code__ in genuine_codes:
                del namespace[name]
            elif t is module_type:
                module_name = dict_get(value.__dict__, "__name__")
                if type(module_name) is str and str_startswith(module_name + ".", "autograder."):
                    del namespace[name]

    def exec_module(module):
        path, code, _pkg = sources[module.__name__]
        exec(code, module.__dict__)

    loader = types.SimpleNamespace(create_module=lambda spec: None, exec_module=exec_module)

    def find_spec(name, path=None, target=None):
        entry = dict_get(sources, name) if type(name) is str else None
        if entry is None:
            return None
        spec = module_spec(name, loader, origin=entry[0], is_package=entry[2])
        if entry[2]:
            spec.submodule_search_locations = [entry[0].rsplit(sep, 1)[0]]
        spec.has_location = True
        return spec

    finder = types.SimpleNamespace(find_spec=find_spec)

    def preload(names):
        """Load `names` and what they import from the grader, from the sources read at start."""
        purge_grader()
        meta_path = sys_snapshot["meta_path"]
        meta_path.insert(0, finder)
        try:
            for name in names:
                if name in sources:
                    import_module(name)
        finally:
            meta_path.remove(finder)
        loaded, objects = [], []
        for name, module in list(modules.items()):
            if type(name) is str and name in sources and type(module) is module_type:
                module.__spec__.loader = None
                module.__loader__ = None
                loaded.append((module.__dict__, dict(module.__dict__)))
                objects.append(module)
        state["loaded"], state["modules"] = loaded, objects

    # -- events ----------------------------------------------------------------------------------
    def cell_start(source, filename):
        text = normalized(source)
        genuine = text in genuine_sources
        state["cell_file"] = filename
        state["cell_genuine"] = genuine
        state["cell_digest"] = sha256(text.encode("utf-8")).hexdigest()
        if genuine:
            genuine_files.add(filename)
        else:
            # reasons already held against a hidden test are not carried further
            if state["consumed"]:
                state["pending"] = []
                state["consumed"] = False
            state["loaded"], state["modules"] = [], []
            purge_grader()
            purge_namespace()
        problems = verify(restore=True)
        state["pending"].extend(problems)
        if problems and not genuine:
            # a changed IPython may have turned the next test cell into something else: that
            # cell (this one) is where the change took effect, so it answers for it
            state["consumed"] = True

    def planted():
        """Grader modules in sys.modules that the guard did not load (the notebook did)."""
        found = []
        for name, module in list(modules.items()):
            if grader_module(name) and not hosted(module):
                if not any(module is m for m in state["modules"]):
                    found.append(f"the notebook put its own {name} into sys.modules")
        return found

    def hidden_test_start(names):
        problems = verify(restore=True) + planted()
        state["pending"].extend(p for p in problems if p not in state["pending"])
        preload(names)
        if state["pending"]:
            state["consumed"] = True
            raise IntegrityError(explain(state["pending"], "before this test"))

    def explain(reasons, when):
        shown = []
        for reason in reasons:
            if reason not in shown:
                shown.append(reason)
        more = f" (and {len(shown) - 4} more)" if len(shown) > 4 else ""
        return (
            f"Grading refused {when}: {'; '.join(shown[:4])}{more}. The hidden tests can only "
            "trust an unmodified kernel and your own code, so this exercise gets no marks. "
            "Remove the code that changes NumPy, builtins, IPython or the grader, or that "
            "uses the grader's files."
        )

    def on_compile(args):
        source, filename = args[0], args[1]
        if type(filename) is not str:
            return
        if (
            cell_prefix is not None
            and type(source) in (str, bytes)
            and str_startswith(filename, cell_prefix)
        ):
            if not any_notebook_frame(3):
                cell_start(source, filename)
                return
            # a cell run by the notebook's own code (nested, or a hijacked test cell): put
            # back what was changed, and hold it against the cell this is
            problems = verify(restore=True)
            if problems:
                state["pending"].extend(p for p in problems if p not in state["pending"])
                state["consumed"] = True
        elif kind(filename) != "notebook" and direct_student(3):
            refuse(f"the notebook compiled code under a file name that is not its own ({filename})")

    def on_exec(args):
        code = args[0]
        if type(code) is not code_type or code.co_filename != state["cell_file"]:
            return
        names = [n for n in code.co_names if type(n) is str and str_startswith(n, "autograder")]
        if not names:
            return
        if any_notebook_frame(3):
            if student_context(3):
                refuse(f"the notebook imported the grader ({names[0]})")
            return
        if state["cell_genuine"]:
            hidden_test_start(names)
        else:
            refuse(f"the notebook imported the grader ({names[0]})")

    def on_import(args):
        name = args[0]
        if type(name) is not str:
            return
        if (name == "autograder" or str_startswith(name, "autograder.")) and student_context(3):
            refuse(f"the notebook imported the grader ({name})")

    def on_open(args):
        if type(args[0]) is int:
            return
        path = as_path(args[0])
        if path is None:
            if student_context(3):
                refuse("the notebook opened a file through an object the grader cannot check")
            return
        mode, flags = args[1], args[2] if len(args) > 2 else 0
        if str_startswith(path, agdir) or path + sep == agdir:
            if student_context(3):
                refuse(f"the notebook read the grader's files ({path[len(root) :]})")
        elif str_startswith(path, "/proc/"):
            if student_context(3):
                refuse("the notebook opened the kernel's process files (/proc)")
        elif protected(path):
            writing = (type(mode) is str and any(c in mode for c in "wax+")) or (
                type(flags) is int and flags & o_write
            )
            if writing and student_context(3):
                refuse(
                    f"the notebook wrote to {path[len(root) :]}, outside its own folder",
                    taint=False,
                )

    def on_path_event(args):
        for value in args:
            path = as_path(value) if type(value) in (str, bytes) else None
            if path is not None and (protected(path) or str_startswith(path, "/proc/")):
                if student_context(3):
                    refuse(
                        f"the notebook changed {path[len(root) :]}, outside its own folder",
                        taint=False,
                    )

    def on_spawn(args):
        if student_context(3):
            refuse("the notebook tried to start another program", taint=False)

    def on_denied(event):
        def handler(args):
            if student_context(3):
                refuse(f"the notebook called {event}", taint=event not in _SOFT)

        return handler

    def on_setattr(args):
        obj, name = args[0], args[1]
        if name == "__code__":
            if direct_student(3):
                refuse("the notebook replaced a function's __code__")
            return
        if isinstance(obj, type) and direct_student(3):
            attributes = type_dict(obj)
            module_name = attributes.get("__module__")
            if module_name != "__main__":
                refuse(
                    f"the notebook patched the class {module_name}.{attributes.get('__qualname__')}"
                )

    def on_ctypes(args):
        if student_context(3):
            refuse("the notebook used ctypes")

    def on_addaudithook(args):
        refuse("the notebook added an audit hook")

    def grader_caller(depth=3):
        frame = getframe(depth)
        return frame is not None and frame.f_code in genuine_codes

    def on_verify(args):
        box = args[0] if args else None
        if type(box) is not list or not grader_caller():
            return
        problems = verify(restore=True)
        fresh = [p for p in problems if p not in state["pending"]]
        state["pending"].extend(fresh)
        reasons = list(state["pending"]) if state["cell_genuine"] else problems
        if reasons:
            state["consumed"] = True
        list_append(box, tuple(reasons))

    def on_seal(args):
        box = args[0] if args else None
        if type(box) is not list:
            return
        frame = getframe(2)
        if frame is None or frame.f_code not in genuine_codes or frame.f_code.co_name != "passed":
            raise IntegrityError("Only the grader's own passed() may report a hidden test.")
        check = frame
        while frame is not None and frame.f_code in genuine_codes:
            check, frame = frame, frame.f_back
        if (
            frame is None
            or frame.f_code.co_filename != state["cell_file"]
            or not state["cell_genuine"]
        ):
            raise IntegrityError("A hidden test may only pass when its own test cell calls it.")
        problems = verify(restore=True)
        state["pending"].extend(p for p in problems if p not in state["pending"])
        if state["pending"]:
            state["consumed"] = True
            raise IntegrityError(explain(state["pending"], "when this test passed"))
        name = check.f_code.co_name
        if key is None:
            list_append(box, "")
            return
        message = (name + "\n" + state["cell_digest"]).encode("utf-8")
        list_append(box, name + ":" + hmac_digest(key, message, "sha256").hex()[:32])

    def on_restore(args):
        problems = verify(restore=True)
        state["pending"].extend(p for p in problems if p not in state["pending"])

    def on_ping(args):
        box = args[0] if args else None
        if type(box) is list:
            list_append(box, key is not None)

    handlers = {
        "compile": on_compile,
        "exec": on_exec,
        "import": on_import,
        "open": on_open,
        "subprocess.Popen": on_spawn,
        "object.__setattr__": on_setattr,
        "sys.addaudithook": on_addaudithook,
        "autograder.verify": on_verify,
        "autograder.seal": on_seal,
        "autograder.ping": on_ping,
        "autograder.restore": on_restore,
    }
    for event in _SPAWN:
        handlers[event] = on_spawn
    for event in _PATH_EVENTS:
        handlers[event] = on_path_event
    for event in _DENIED:
        handlers[event] = on_denied(event)

    def hook(event, args):
        handler = dict_get(handlers, event)
        if handler is None:
            if type(event) is not str or not str_startswith(event, "ctypes."):
                return
            handler = on_ctypes
        ident = get_ident()
        if ident in busy:
            return
        busy.add(ident)
        try:
            handler(args)
        finally:
            busy.discard(ident)

    # exit() and os._exit() would end grading for the whole notebook: make them fail the cell
    if shell is not None:
        shell.ask_exit = _refused_exit
        ip_overrides[0][2]["ask_exit"] = _refused_exit
        # put things back right after each cell, before the kernel's own code runs on them
        # (a partial of sys.audit: nothing reachable from it leads to the guard's state)
        shell.events.register("post_execute", functools.partial(sys.audit, "autograder.restore"))
    for module in (os, modules.get("posix")):
        if module is not None and "_exit" in vars(module):
            module._exit = _refused_exit
            module_snapshots.get(module.__name__, (None, {}))[1]["_exit"] = _refused_exit
    sys.addaudithook(hook)
    return True


def _refused_exit(status=0):
    """os._exit() or exit() while grading: the cell fails instead of the whole notebook."""
    raise IntegrityError(
        "The notebook called exit() or os._exit(), which would stop grading for the whole "
        "notebook. This is not allowed while grading."
    )


if __name__ == GUARD_NAME:
    install()
