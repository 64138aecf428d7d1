"""The grading agent: the only grader code that ever runs in a student's kernel.

It holds nothing worth stealing. The grader (autograder/channel/remote.py) sends its source once
per kernel and then one small JSON request per step of a hidden check: "look up this name",
"call this object with these arrays", "read this attribute", "set it to this array". The agent
does it and answers in plain data (numbers, strings, arrays as raw bytes, nested lists); any
other object stays in the kernel and is named by a handle. The expected values, the reference
code and the comparison never come here.

When the grader hands the student's code one of its own objects (a callback such as the `f` of
`centred_difference(f, x)`, or the network layers of the capstone's `train`), the kernel gets a
stand-in: each use of it asks the grader over Jupyter's stdin channel (`input()`), and the grader
answers in plain data too.

This module imports only the standard library and NumPy: it must run from its source text alone.
Everything here can be replaced by the student's code; that only changes the answers the
student's own exercises get, which the grader checks as data.
"""

import base64
import builtins
import contextlib
import io
import json
import warnings

import numpy as np

# the dtypes that cross the channel; anything else is refused on either side
DTYPES = {
    np.dtype(name).str: np.dtype(name)
    for name in (
        "bool",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "float16",
        "float32",
        "float64",
    )
}
# prompts of the agent's input() calls when requests and replies travel over the stdin channel
NEXT = "\x00backprop:next"
REPLY = "\x00backprop:reply\n"
STOP = "\x00backprop:stop"
MAX_DEPTH = 16
MAX_ITEMS = 10_000  # list items in one value (arrays travel as bytes and have no such limit)
MAX_TEXT = 2_000  # characters of a string value, e.g. an error message


class ChannelError(ValueError):
    """A message that is not plain data as this channel defines it."""


# -- plain data, both ways ---------------------------------------------------------------------


def encode(value, handle_for, depth=0):
    """`value` as JSON-ready plain data; other objects become `handle_for(value)`."""
    if depth > MAX_DEPTH:
        raise ChannelError("value nested too deeply")
    t = type(value)
    if value is None or t is bool or t is str:
        return value if t is not str else {"$str": value[:MAX_TEXT]}
    if t is int:
        return {"$int": str(value)}
    if t is float:
        return {"$float": repr(value)}
    if isinstance(value, np.generic) and value.dtype.str in DTYPES:
        return encode_array(np.asarray(value))
    if isinstance(value, np.ndarray) and value.dtype.str in DTYPES:
        return encode_array(value)
    if t is list or t is tuple:
        return {"$" + t.__name__: [encode(v, handle_for, depth + 1) for v in value[:MAX_ITEMS]]}
    return handle_for(value)


def encode_array(array):
    plain = np.ndarray.view(array, np.ndarray)
    return {
        "$array": base64.b64encode(plain.tobytes(order="C")).decode("ascii"),
        "dtype": plain.dtype.str,
        "shape": list(plain.shape),
    }


def decode(data, resolve, depth=0):
    """The value `encode` made; a handle or stand-in becomes `resolve(data)`.

    Only the shapes `encode` produces are accepted: anything else raises ChannelError.
    """
    if depth > MAX_DEPTH:
        raise ChannelError("value nested too deeply")
    if data is None or type(data) is bool:
        return data
    if type(data) is not dict or len(data) > 3:
        raise ChannelError(f"unexpected {type(data).__name__} in a message")
    if "$array" in data:
        return decode_array(data)
    if "$str" in data:
        return _typed(data["$str"], str)[:MAX_TEXT]
    if "$int" in data:
        return int(_typed(data["$int"], str)[:400])
    if "$float" in data:
        return float(_typed(data["$float"], str)[:40])
    for kind, build in (("$list", list), ("$tuple", tuple)):
        if kind in data:
            items = _typed(data[kind], list)
            if len(items) > MAX_ITEMS:
                raise ChannelError("too many items")
            return build(decode(item, resolve, depth + 1) for item in items)
    if "$handle" in data or "$stand_in" in data:
        return resolve(data)
    raise ChannelError("unknown value in a message")


def decode_array(data):
    dtype = DTYPES.get(data.get("dtype"))
    shape = _typed(data.get("shape"), list)
    if dtype is None or len(shape) > 32 or not all(type(n) is int and n >= 0 for n in shape):
        raise ChannelError("an array of unsupported dtype or shape")
    raw = base64.b64decode(_typed(data["$array"], str), validate=True)
    count = 1
    for n in shape:
        count *= n
    if len(raw) != count * dtype.itemsize:
        raise ChannelError("an array whose size does not match its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def _typed(value, kind):
    if type(value) is not kind:
        raise ChannelError(f"expected {kind.__name__} in a message")
    return value


# -- the kernel side ---------------------------------------------------------------------------


class Agent:
    """Answers the grader's requests about the objects in one namespace (the notebook's).

    `ask(text) -> text` reaches the grader for stand-ins: `input` in a kernel.
    """

    def __init__(self, namespace, ask=None):
        self.namespace = namespace
        self.ask = ask or (lambda text: builtins.input(text))
        self.objects = {}
        self.reply = ""

    def serve(self):
        """Requests fetched from the grader and their answers sent back, both over stdin, until
        the grader says stop: one execute_request (just `serve()`) serves a whole hidden cell,
        and no code is ever compiled from the data."""
        while True:
            request = self.ask(NEXT)
            if request == STOP:
                self.objects.clear()
                return
            self.handle(request)
            self.ask(REPLY + self.reply)

    def handle(self, request_text):
        """Carry out one request (JSON text); the answer is left in self.reply (JSON text)."""
        try:
            request = json.loads(request_text)
            answer = getattr(self, "op_" + request["op"])(request)
        except Exception as error:  # a broken request is the grader's bug: say so plainly
            answer = {"status": "agent-error", "message": f"{type(error).__name__}: {error}"}
        self.reply = json.dumps(answer)

    # the object behind a handle, and handles for what is not plain data
    def _handle(self, value):
        if isinstance(value, StandIn):
            return {"$stand_in": object.__getattribute__(value, "_key")}
        key = str(len(self.objects) + 1)
        self.objects[key] = value
        return {"$handle": key, "type": _type_name(value), "callable": callable(value)}

    def _resolve(self, data):
        if "$handle" in data:
            return self.objects[data["$handle"]]
        return StandIn(self, data["$stand_in"], data.get("callable", False))

    def _answer(self, value):
        return {"status": "ok", "value": encode(value, self._handle)}

    def op_lookup(self, request):
        if request["name"] not in self.namespace:
            return {"status": "missing"}
        return {"status": "ok", "value": self._handle(self.namespace[request["name"]])}

    def op_getattr(self, request):
        target = self.objects[request["target"]]
        try:
            with _quiet():
                value = getattr(target, request["name"])
        except AttributeError:
            return {"status": "missing"}
        except Exception as error:
            return _raised(error)
        return self._answer(value)

    def op_setattr(self, request):
        target = self.objects[request["target"]]
        value = decode(request["value"], self._resolve)
        try:
            with _quiet():
                setattr(target, request["name"], value)
        except Exception as error:
            return _raised(error)
        return {"status": "ok", "value": None}

    def op_call(self, request):
        target = self.objects[request["target"]]
        args = [decode(a, self._resolve) for a in request["args"]]
        kwargs = {k: decode(v, self._resolve) for k, v in request.get("kwargs", {}).items()}
        before = [a.tobytes() if isinstance(a, np.ndarray) else None for a in args]
        state = np.random.get_state()  # later cells may rely on the legacy global seed
        try:
            with _quiet():
                result = target(*args, **kwargs)
        except BaseException as error:  # exit() or an interrupt too: never end quietly
            return _raised(error)
        finally:
            np.random.set_state(state)
        answer = self._answer(result)
        answer["modified"] = [
            i
            for i, (a, b) in enumerate(zip(args, before, strict=True))
            if b is not None and a.tobytes() != b
        ]
        return answer

    def op_release(self, request):
        self.objects.clear()
        return {"status": "ok", "value": None}


def _type_name(value):
    try:
        return str(type(value).__name__)[:80]
    except Exception:
        return "object"


def _raised(error):
    try:
        message = str(error)[:MAX_TEXT]
    except Exception:
        message = ""
    # the nearest built-in class too: NumPy's _ArrayMemoryError is a MemoryError
    base = next((k.__name__ for k in type(error).__mro__ if k.__module__ == "builtins"), "")
    return {"status": "raised", "type": _type_name(error), "base": base, "message": message}


@contextlib.contextmanager
def _quiet():
    """The student's prints and warnings go nowhere while the grader calls their code."""
    sink = io.StringIO()
    with (
        warnings.catch_warnings(),
        np.errstate(all="ignore"),
        contextlib.redirect_stdout(sink),
        contextlib.redirect_stderr(sink),
    ):
        warnings.simplefilter("ignore")
        yield


class StandIn:
    """One of the grader's objects, as the student's code sees it: each use asks the grader."""

    def __init__(self, agent, key, is_callable):
        object.__setattr__(self, "_agent", agent)
        object.__setattr__(self, "_key", key)
        object.__setattr__(self, "_callable", is_callable)

    def _ask(self, op, **fields):
        agent = object.__getattribute__(self, "_agent")
        request = {"op": op, "stand_in": object.__getattribute__(self, "_key"), **fields}
        answer = json.loads(agent.ask(json.dumps(request)))
        if answer.get("status") == "missing":
            raise AttributeError(fields.get("name", ""))
        if answer.get("status") != "ok":
            raise RuntimeError(answer.get("message", "the grader refused this use"))
        return decode(answer["value"], agent._resolve)

    def __getattr__(self, name):
        return self._ask("getattr", name=name)

    def __setattr__(self, name, value):
        agent = object.__getattribute__(self, "_agent")
        self._ask("setattr", name=name, value=encode(value, agent._handle))

    def __call__(self, *args, **kwargs):
        agent = object.__getattribute__(self, "_agent")
        return self._ask(
            "call",
            args=[encode(a, agent._handle) for a in args],
            kwargs={k: encode(v, agent._handle) for k, v in kwargs.items()},
        )

    def __repr__(self):
        return "<the grader's object>"
