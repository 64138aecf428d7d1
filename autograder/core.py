"""Comparison and diagnosis shared by every hidden test.

A hidden test draws fresh random inputs, calls the student's code on private copies,
and compares the result with the float64 reference. When they differ, the message
names the variable, shows shapes and a small excerpt, and says which known mistake the
result matches (a "wrong answer" computed from the same inputs).

Integrity. The student's cells run before the hidden tests, in the same kernel, so nothing
here trusts what they could have changed:
- values are read from the array's own memory (never through the student's `__eq__`,
  `__array__`, `tolist`, `dtype`...) and compared in plain Python, so neither a lying object
  nor a replaced NumPy function or builtin can make a wrong answer match;
- `call_student` refuses the grader's reference code (e.g. `from autograder.reference.dense
  import batch_output`), and notices the student's code calling it, even wrapped or in a
  thread (reference objects and callbacks the check itself passes are allowed);
- in a grading kernel, autograder/guard.py loads this module fresh for every hidden test and
  answers `_integrity_problems()`: anything the notebook replaced fails the exercise with a
  message saying what. Without the guard (e.g. in JupyterLab) a structural check of
  builtins, NumPy and the grader's modules stands in for it;
- `passed` asks the guard to seal the pass; nbgrader's side (autograder/seal.py) gives no
  points to a hidden-test cell without valid seals.
The functions below use the builtins this module was loaded with (`__builtins__` is bound
to a private copy) and NumPy methods taken from the ndarray type itself.
"""

import builtins as _builtins_module
import contextlib
import functools
import os
import sys
import threading
import types
import warnings

import numpy as np

__builtins__ = dict(_builtins_module.__dict__)  # notebook changes to builtins do not reach here

# Students on nnfs.init() compute in float32: accept its rounding, nothing coarser.
RTOL = 1e-4
ATOL = 1e-6

_GRADER_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_REFERENCE_DIR = _GRADER_DIR + "reference" + os.sep
_NUMPY_DIR = os.path.dirname(os.path.abspath(np.__file__)) + os.sep
_STDLIB_DIR = os.path.dirname(os.path.abspath(os.__file__)) + os.sep

# trusted primitives, bound when this module is loaded
_audit, _urandom = sys.audit, os.urandom
_getprofile, _setprofile = sys.getprofile, sys.setprofile
_thread_getprofile, _thread_setprofile = threading.getprofile, threading.setprofile
_redirect_stdout, _redirect_stderr = contextlib.redirect_stdout, contextlib.redirect_stderr
_catch_warnings, _simplefilter, _errstate = (
    warnings.catch_warnings,
    warnings.simplefilter,
    np.errstate,
)
_get_state, _set_state = np.random.get_state, np.random.set_state
_np_array, _default_rng, _array2string = np.array, np.random.default_rng, np.array2string
_ndarray = np.ndarray
_view, _astype, _reshape = _ndarray.view, _ndarray.astype, _ndarray.reshape
_tolist, _tobytes, _copy, _transpose = (
    _ndarray.tolist,
    _ndarray.tobytes,
    _ndarray.copy,
    _ndarray.transpose,
)
_dtype_of = _ndarray.__dict__["dtype"].__get__
_shape_of = _ndarray.__dict__["shape"].__get__
_subclass = type.__subclasscheck__
_type_name = type.__dict__["__name__"].__get__
_type_module = type.__dict__["__module__"].__get__
_mro = type.__dict__["__mro__"].__get__
_type_dict = type.__dict__["__dict__"].__get__
_FLOAT64 = np.dtype("float64")
_FunctionType, _MethodType, _ModuleType = types.FunctionType, types.MethodType, types.ModuleType
_BuiltinType = type([].append)
_partial = functools.partial
_SCALARS = frozenset(
    {np.float16, np.float32, np.float64, np.longdouble, np.int8, np.int16, np.int32, np.int64}
    | {np.uint8, np.uint16, np.uint32, np.uint64}
)


class GradingError(AssertionError):
    """A hidden test failed; the message is what the student reads in their feedback."""


class _Discard:
    """Where the student's prints go while a hidden test calls their code."""

    def write(self, text):
        return len(text)

    def flush(self):
        pass


def fresh_rng():
    """A generator seeded from the OS, so no two grading runs see the same inputs.

    numpy's Generator is untouched by nnfs.init(), which only patches the legacy
    np.random.randn.
    """
    seed = int.from_bytes(_urandom(4), "little")
    return _default_rng(seed)


def describe(**arrays):
    """'inputs (5, 3), weights (3, 4)' for a failure message."""
    return ", ".join(f"{k} {_shape(v)}" for k, v in arrays.items())


def _shape(value):
    if _subclass(_ndarray, type(value)):
        return _shape_of(value)
    return np.shape(value)


def excerpt(array, size=6):
    flat = _tolist(_reshape(as_plain_array("value", array), -1))
    text = _array2string(_np_array(flat[:size]), precision=5, separator=", ", suppress_small=False)
    return text if len(flat) <= size else text[:-1] + ", ...]"


# -- the student's values, as plain float64 arrays ------------------------------------------------


def _number(value):
    """A plain Python float from an exact int, float or NumPy real scalar, else None."""
    t = type(value)
    if t is float or t is int:
        return float(value)
    if t in _SCALARS:
        return float(value)
    return None


def _nested(name, value, depth):
    if depth > 32:
        raise GradingError(f"{name} is nested too deeply to be an array.")
    number = _number(value)
    if number is not None:
        return number
    t = type(value)
    if t is list or t is tuple:
        return [_nested(name, item, depth + 1) for item in value]
    if _subclass(_ndarray, t):
        return _tolist(as_plain_array(name, value))
    raise GradingError(f"{name} should hold only numbers, got a {_type_name(t)} inside it.")


def as_plain_array(name, value):
    """The student's value as a plain float64 ndarray, or a failure saying why it is not one.

    Only real numbers count: an ndarray (of any subclass: its memory is read, not its methods),
    a Python or NumPy int or float, or lists and tuples of those.
    """
    t = type(value)
    if _subclass(_ndarray, t):
        # the base-class view ignores whatever the subclass overrides
        plain = _view(value, _ndarray)
        kind = _dtype_of(plain).kind
        if kind not in "iuf":
            raise GradingError(
                f"{name} should hold numbers, got an array of dtype {_dtype_of(plain)}."
            )
        return _astype(plain, _FLOAT64)
    number = _number(value)
    if number is not None:
        return _np_array(number, dtype=_FLOAT64)
    if t is list or t is tuple:
        nested = _nested(name, value, 0)
        try:
            return _np_array(nested, dtype=_FLOAT64)
        except ValueError:
            raise GradingError(
                f"{name} is a ragged {_type_name(t)}: its rows have different lengths."
            ) from None
    raise GradingError(f"{name} should be a NumPy array or a number, got {_type_name(t)}.")


# -- comparison, in plain Python on the arrays' values ---------------------------------------------


def _values(array):
    return _tolist(_reshape(array, -1))


def _close_values(got, expected, rtol, atol):
    for i in range(len(expected)):
        g, e = got[i], expected[i]
        if g == e:
            continue
        d = g - e
        if d < 0:
            d = -d
        if not d <= atol + rtol * (e if e >= 0 else -e):  # NaN is never close
            return False
    return len(got) == len(expected)


def _close(got, expected, rtol, atol):
    return _shape_of(got) == _shape_of(expected) and _close_values(
        _values(got), _values(expected), rtol, atol
    )


def _generic_diagnosis(got, expected, rtol, atol):
    shape, expected_values = _shape_of(expected), _values(expected)
    if len(_shape_of(got)) == 2 and _close(
        _astype(_transpose(got), _FLOAT64), expected, rtol, atol
    ):
        return "the result is transposed: check the order of the operands (and which one is .T)"
    if _shape_of(got) != shape:
        return None
    got_values = _values(got)
    negated = [-g for g in got_values]
    if any(e != 0 for e in expected_values) and _close_values(negated, expected_values, rtol, atol):
        return "the sign is flipped"
    if len(expected_values) > 1 and all(e != 0 for e in expected_values):
        ratios = [g / e for g, e in zip(got_values, expected_values, strict=True)]
        first = ratios[0]
        spread = max((r - first if r >= first else first - r) for r in ratios)
        if spread <= 1e-3 * (first if first >= 0 else -first) and not -1e-3 <= first - 1 <= 1e-3:
            return f"every value is {first:.4g} times too large: a missing or extra scale factor (1/N?)"
    return None


def expect_close(name, got, expected, *, context="", wrong_answers=None, rtol=RTOL, atol=ATOL):
    """Fail with a diagnosis unless `got` matches `expected` (float64) in shape and value.

    wrong_answers: {likely cause: array the mistake would produce on the same inputs}.
    """
    got = as_plain_array(name, got)
    expected = as_plain_array(f"the expected {name}", expected)
    if _close(got, expected, rtol, atol):
        return
    lines = [f"{name} is wrong" + (f" for {context}" if context else "") + "."]
    if _shape_of(got) != _shape_of(expected):
        lines.append(f"  {name} has shape {_shape_of(got)}, expected {_shape_of(expected)}.")
    elif not all(g - g == 0 for g in _values(got)):
        lines.append(f"  {name} contains NaN or inf where the expected values are finite.")
    cause = None
    for label, wrong in (wrong_answers or {}).items():
        try:
            wrong = None if wrong is None else as_plain_array(label, wrong)
        except GradingError:  # a mistake that gives no numbers cannot be this one
            continue
        if wrong is not None and _close(got, wrong, rtol, atol):
            cause = label
            break
    cause = cause or _generic_diagnosis(got, expected, rtol, atol)
    if cause:
        lines.append(f"  Likely cause: {cause}.")
    lines.append(f"  expected: {excerpt(expected)}")
    lines.append(f"  got:      {excerpt(got)}")
    raise GradingError("\n".join(lines))


# -- calling the student's code ----------------------------------------------------------------------


def _grader_origin(obj, depth=0):
    """'module.name' if `obj` is (or derives from) a reference implementation, else None."""
    t = type(obj)
    if depth > 8:
        return None
    if t is _MethodType:
        return _grader_origin(obj.__func__, depth + 1)
    if t is _partial:
        return _grader_origin(obj.func, depth + 1)
    if t is staticmethod or t is classmethod:
        return _grader_origin(obj.__func__, depth + 1)
    if t is property:
        for part in (obj.fget, obj.fset, obj.fdel):
            found = _grader_origin(part, depth + 1) if part is not None else None
            if found:
                return found
        return None
    if t is _FunctionType:
        code = obj.__code__
        if code.co_filename.startswith(_REFERENCE_DIR):
            return f"{obj.__module__}.{obj.__qualname__}"
        return None
    if _subclass(type, t):
        for klass in _mro(obj):
            module = _type_module(klass)
            if type(module) is str and module.startswith("autograder.reference"):
                return f"{module}.{_type_name(klass)}"
            for value in _type_dict(klass).values():
                found = _grader_origin(value, depth + 1)
                if found:
                    return found
    return None


def _handed_over(values, depth=0):
    """Code objects of the grader's functions reachable from the call's arguments."""
    codes = set()
    for value in values:
        t = type(value)
        if t is _FunctionType:
            codes.add(value.__code__)
        elif t is _MethodType or t is staticmethod or t is classmethod:
            codes |= _handed_over((value.__func__, value.__self__), depth + 1)
        elif t is _partial:
            codes |= _handed_over((value.func, *value.args, *value.keywords.values()), depth + 1)
        elif depth < 3 and (t is list or t is tuple or t is set or t is frozenset):
            codes |= _handed_over(value, depth + 1)
        elif depth < 3 and t is dict:
            codes |= _handed_over(list(value.values()), depth + 1)
        else:
            grader_made = False
            for klass in _mro(value if _subclass(type, t) else t):
                module = _type_module(klass)
                if type(module) is str and module.startswith("autograder."):
                    grader_made = True
                    for attribute in _type_dict(klass).values():
                        if type(attribute) is property:
                            attribute = attribute.fget
                        if type(attribute) in (staticmethod, classmethod):
                            attribute = attribute.__func__
                        if type(attribute) is _FunctionType:
                            codes.add(attribute.__code__)
            # and what a reference object holds (e.g. the loss inside the combined softmax)
            attributes = getattr(value, "__dict__", None) if grader_made and depth < 3 else None
            if type(attributes) is dict:
                codes |= _handed_over(list(attributes.values()), depth + 1)
    return codes


def _integrity_problems():
    """What the notebook changed that hidden tests rely on (the guard's answer if it runs)."""
    box = []
    _audit("autograder.verify", box)
    if box:
        return list(box[0])
    return _fallback_problems()


def call_student(fn, *args, label, names=None):
    """Call student code on copies of `args`; any exception becomes a readable failure.

    Warnings are silenced because nbgrader scores any stderr output in a test cell as
    zero, and a correct solution may legitimately warn (e.g. overflow in a discarded
    branch). What it prints is dropped too: stderr would cost the points, and the hidden
    test's own lines must not drown in debugging output (the cell's output limit would
    cut them). Arguments modified in place are reported: callers' data must survive.
    The grader's reference code is refused, and so is student code that calls it.
    """
    origin = _grader_origin(fn)
    if origin:
        raise GradingError(
            f"{label} is the grader's own code ({origin}), imported from the autograder "
            "package instead of written in the notebook, so this exercise gets no marks."
        )
    copies = [_copy(a) if _subclass(_ndarray, type(a)) else a for a in args]
    # the notebook's later cells may rely on the legacy global seed (nnfs.init() sets it)
    random_state = _get_state()
    grader_calls = []
    handed_over = _handed_over((fn, *copies))

    def watch(frame, event, arg):
        # a reference function entered from outside the grader, and not one the check
        # handed over (a callback, or a method of a reference object among the arguments)
        if event == "call" and not grader_calls:
            code = frame.f_code
            if code.co_filename.startswith(_REFERENCE_DIR) and code not in handed_over:
                caller = frame.f_back
                if caller is None or not caller.f_code.co_filename.startswith(_GRADER_DIR):
                    grader_calls.append(f"{frame.f_globals.get('__name__')}.{code.co_name}")

    profile, thread_profile = _getprofile(), _thread_getprofile()
    failure = None
    try:
        discard = _Discard()
        with (
            _catch_warnings(),
            _errstate(all="ignore"),
            _redirect_stdout(discard),
            _redirect_stderr(discard),
        ):
            _simplefilter("ignore")
            _thread_setprofile(watch)
            _setprofile(watch)
            try:
                result = fn(*copies)
            finally:
                _setprofile(profile)
                _thread_setprofile(thread_profile)
    except NotImplementedError:
        failure = f"{label} is not implemented yet (it raised NotImplementedError)."
    except Exception as error:  # the student's bug, reported as a failure rather than a crash
        names = names or [f"argument {i}" for i in range(len(args))]
        lines = [
            f"{label} raised {_type_name(type(error))}: {error}",
            f"  It was called with {describe(**dict(zip(names, args, strict=False)))}.",
        ]
        if _subclass(ValueError, type(error)) and ("align" in str(error) or "shape" in str(error)):
            lines.append(
                "  Likely cause: the shapes do not line up: check the order of the operands "
                "of the matrix product and which one (if any) needs .T."
            )
        failure = "\n".join(lines)
    except BaseException as error:  # exit() or an interrupt: the test must not end quietly
        failure = (
            f"{label} raised {_type_name(type(error))} (exiting or interrupting is not a result)."
        )
    finally:
        _set_state(random_state)
    problems = _integrity_problems()
    if problems:
        raise GradingError(_refusal(label, problems))
    if grader_calls:
        raise GradingError(
            f"{label} called the grader's own code ({grader_calls[0]}) instead of computing "
            "the result itself, so this exercise gets no marks."
        )
    if failure:
        raise GradingError(failure)
    for i, (original, copy) in enumerate(zip(args, copies, strict=True)):
        if _subclass(_ndarray, type(original)) and _tobytes(original) != _tobytes(copy):
            raise GradingError(
                f"{label} modified its argument {i} in place. Compute a new array instead "
                f"(e.g. `x = x * 2`, not `x *= 2`): the caller still needs its data."
            )
    return result


def call_student_explained(fn, *args, label, names=None, causes=()):
    """call_student, naming the likely cause of a crash from the error's text.

    causes: (substring, cause) pairs; the first substring found in the failure message
    replaces call_student's generic hint (which is about matrix products).
    """
    try:
        return call_student(fn, *args, label=label, names=names)
    except GradingError as error:
        message = str(error)
        if message.startswith(f"{label} raised "):
            for substring, cause in causes:
                if substring in message:
                    kept = [line for line in message.splitlines() if "Likely cause" not in line]
                    raise GradingError("\n".join([*kept, f"  Likely cause: {cause}."])) from None
        raise


def _refusal(label, problems):
    shown = "; ".join(problems[:4]) + (
        f" (and {len(problems) - 4} more)" if len(problems) > 4 else ""
    )
    return (
        f"Grading of {label} refused: {shown}. The hidden tests can only trust an unmodified "
        "kernel and your own code, so this exercise gets no marks. Remove the code that changes "
        "NumPy, builtins, IPython or the grader, or that uses the grader's files."
    )


def passed(what):
    """The line a hidden test prints when it passes (sealed by the guard when grading)."""
    box = []
    _audit("autograder.seal", box, what)
    if not box:
        problems = _fallback_problems()
        if problems:
            raise GradingError(_refusal("this test", problems))
    seal = f" [seal {box[0]}]" if box and box[0] else ""
    print(f"Hidden tests passed: {what}.{seal}")


# -- without the guard: a structural check of what the checks rely on ---------------------------------

_BUILTIN_TYPES = {
    "bool": bool,
    "dict": dict,
    "float": float,
    "int": int,
    "list": list,
    "object": object,
    "range": range,
    "set": set,
    "str": str,
    "tuple": tuple,
    "type": type,
    "zip": zip,
    "enumerate": enumerate,
    "map": map,
    "filter": filter,
    "property": property,
    "staticmethod": staticmethod,
    "classmethod": classmethod,
    "super": super,
}
_BUILTIN_FUNCTIONS = (
    "abs all any callable getattr hasattr setattr id isinstance issubclass iter len max min next "
    "print repr round sorted sum vars __import__ exec eval compile"
).split()


def _genuine_builtin_function(value, name, module_name):
    if type(value) is not _BuiltinType or value.__name__ != name:
        return False
    owner = value.__self__
    return type(owner) is _ModuleType and owner.__dict__.get("__name__") == module_name


def _fallback_problems():
    problems = []
    current = _builtins_module.__dict__
    for name, expected in _BUILTIN_TYPES.items():
        if current.get(name) is not expected:
            problems.append(f"builtins.{name} was replaced")
    for name in _BUILTIN_FUNCTIONS:
        if not _genuine_builtin_function(current.get(name), name, "builtins"):
            problems.append(f"builtins.{name} was replaced")
    for name in ("audit", "setprofile", "getprofile", "settrace"):
        if not _genuine_builtin_function(sys.__dict__.get(name), name, "sys"):
            problems.append(f"sys.{name} was replaced")
    for module_name, module in list(sys.modules.items()):
        if type(module_name) is not str:
            problems.append("sys.modules holds a name that is not a string")
        elif module_name in _NUMPY_PUBLIC:
            if type(module) is not _ModuleType:
                problems.append(f"sys.modules[{module_name!r}] is not a module")
            else:
                problems.extend(_numpy_problems(module_name, module))
        elif module_name == "autograder" or module_name.startswith("autograder."):
            path = getattr(module, "__file__", None) if type(module) is _ModuleType else None
            if not (type(path) is str and os.path.abspath(path).startswith(_GRADER_DIR)):
                problems.append(f"sys.modules[{module_name!r}] is not the grader's module")
    return problems


_NUMPY_PUBLIC = {"numpy", "numpy.random", "numpy.linalg", "numpy.testing", "numpy.fft"}
_NNFS_PATCHES = {("numpy", "dot"), ("numpy", "zeros"), ("numpy", "eye"), ("numpy.random", "randn")}


def _numpy_problems(module_name, module):
    problems = []
    for name, value in list(module.__dict__.items()):
        if type(name) is not str or name.startswith("__"):
            continue
        t = type(value)
        if t is _MethodType:
            value, t = value.__func__, type(value.__func__)
        if t is _FunctionType:
            filename = value.__code__.co_filename
            nnfs = (module_name, name) in _NNFS_PATCHES and f"{os.sep}nnfs{os.sep}" in filename
            # numpy's own code, or a standard-library decorator's wrapper around it
            replaced = not (filename.startswith((_NUMPY_DIR, _STDLIB_DIR)) or nnfs)
        elif t is np.ufunc:
            replaced = " (vectorized)" in value.__name__
        elif t is _partial:
            replaced = True
        else:
            defined_in = _type_module(value) if _subclass(type, t) else _type_module(t)
            replaced = defined_in == "__main__"
        if replaced:
            problems.append(f"{module_name}.{name} was replaced")
    return problems
