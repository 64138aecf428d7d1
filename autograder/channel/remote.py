"""The grader's end of the channel: the student's objects as `Remote` handles.

A hidden check is ordinary Python in the grader's process. What it gets for the student's
`Layer_Dense` is a `Remote`: calling it, reading or setting an attribute, becomes one request to
the agent in the student's kernel (autograder/channel/agent.py), and what comes back is parsed
here as plain data (agent.decode): NumPy arrays built from raw bytes of a known dtype, numbers,
strings, lists and tuples, or another Remote. No student object ever runs here.

The grader's own objects that a check hands to the student's code (a callback, a layer, an
optimizer) stay here; the kernel gets a stand-in, and `serve` answers its requests: calls and
attribute reads and writes in plain data, on public names only, for the duration of one request.

`Channel` is the transport-independent part; `LocalChannel` runs the agent in this process on a
namespace (the mutation suite: mutants are our own code), autograder/channel/kernel.py runs it in
a Jupyter kernel.
"""

from __future__ import annotations

import contextlib
import json
import signal
import threading
import time
from typing import Any

import numpy as np

from autograder.channel import agent


class StudentError(Exception):
    """The student's code raised: `kind` is the exception's type name, `base` the nearest
    built-in exception class's name (MemoryError for NumPy's _ArrayMemoryError), `message`
    its text."""

    def __init__(self, kind: str, message: str, base: str = ""):
        super().__init__(f"{kind}: {message}")
        self.kind, self.message, self.base = kind, message, base or kind


def quoted(text: str) -> str:
    """Text from the student's kernel, as grader messages quote it: every line after the first
    is marked, so none of it can pass for a line the grader wrote (a "Likely cause:" line is the
    diagnosis the class's records keep: core.diagnosis_record)."""
    return str(text).replace("\n", "\n    | ")


class ChannelFailure(Exception):
    """The kernel did not answer as the agent does: timed out, died, or sent something else."""


class Channel:
    """Requests to an agent, and the grader's side of its stand-ins."""

    def __init__(self):
        self.stand_ins: dict[str, Any] = {}  # the grader's objects the kernel has stand-ins for
        self._made = 0
        self.last_seconds = 0.0  # wall time of the last request, measured here

    # transport: send one request's JSON text, answering stand-in questions until the reply
    def exchange(self, text: str, timeout: float | None) -> str:
        raise NotImplementedError

    def request(self, timeout: float | None = None, **request: Any) -> Any:
        """One request; returns the decoded value or raises StudentError / ChannelFailure."""
        started = time.perf_counter()
        try:
            reply = self.exchange(json.dumps(request), timeout)
        finally:
            self.last_seconds = time.perf_counter() - started
        try:
            answer = json.loads(reply)
            if type(answer) is not dict:
                raise agent.ChannelError("the reply is not an object")
            status = answer.get("status")
            if status == "ok":
                value = agent.decode(answer.get("value"), self._from_kernel)
                modified = answer.get("modified", [])
                if not (type(modified) is list and all(type(i) is int for i in modified)):
                    raise agent.ChannelError("a malformed list of modified arguments")
                return (value, modified) if request["op"] == "call" else value
            if status == "missing":
                raise AttributeError(request.get("name", ""))
            if status == "raised":
                raise StudentError(
                    str(answer.get("type"))[:80],
                    str(answer.get("message"))[:2000],
                    str(answer.get("base", ""))[:80],
                )
        except (ValueError, TypeError, KeyError, agent.ChannelError) as error:
            raise ChannelFailure(f"the kernel's answer could not be read ({error})") from None
        raise ChannelFailure(
            f"the kernel's agent failed: {quoted(str(answer.get('message'))[:300])}"
        )

    def release(self) -> None:
        """Forget the handles and stand-ins of a finished hidden cell."""
        self.stand_ins.clear()

    def _from_kernel(self, data: dict) -> Any:
        """A handle becomes a Remote; a stand-in, the grader's object it stands for."""
        if "$stand_in" in data:
            return self.stand_ins[data["$stand_in"]]
        key = data["$handle"]
        if type(key) is not str:
            raise agent.ChannelError("a handle that is not a string")
        name = data.get("type") if type(data.get("type")) is str else "object"
        return Remote(self, key, name[:80], data.get("callable") is True)

    def lookup(self, name: str) -> Remote:
        """The object the notebook's namespace holds under `name` (NameError if none)."""
        try:
            found = self.request(op="lookup", name=name)
        except AttributeError:
            raise NameError(name) from None
        if not isinstance(found, Remote):
            raise ChannelFailure(f"the kernel answered a lookup of {name} with data")
        return found

    def encode(self, value: Any) -> Any:
        """A check's argument as plain data; the grader's own objects become stand-ins."""
        return agent.encode(value, self._stand_in)

    def _stand_in(self, value: Any) -> dict:
        if isinstance(value, Remote):
            return {"$handle": value._key}
        key = next((k for k, held in self.stand_ins.items() if held is value), None)
        if key is None:
            self._made += 1
            key = str(self._made)
            self.stand_ins[key] = value
        return {"$stand_in": key, "callable": callable(value)}

    def serve(self, text: str) -> str:
        """Answer one stand-in question from the kernel (JSON text both ways).

        Only public names, only plain data or the grader's own stand-ins as arguments; what
        crosses back is plain data, or a stand-in for an object of the grader's own classes or
        a method of one. Nothing reaches the grader's modules, classes or frames.
        """
        try:
            question = json.loads(text)
            target = self.stand_ins[question["stand_in"]]
            op, name = question["op"], question.get("name", "")
            if op != "call" and (
                type(name) is not str or not name.isidentifier() or name[0] == "_"
            ):
                return json.dumps({"status": "missing"})
            if op == "getattr":
                if not hasattr(target, name):
                    return json.dumps({"status": "missing"})
                value = getattr(target, name)
            elif op == "setattr":
                new = self._small(agent.decode(question["value"], self._own))
                _same_shape_as_before(target, name, new)
                value = setattr(target, name, new)
            elif op == "call":
                args = [self._small(agent.decode(a, self._own)) for a in question["args"]]
                kwargs = {
                    k: self._small(agent.decode(v, self._own))
                    for k, v in question["kwargs"].items()
                }
                with _memory_capped(STAND_IN_MEMORY):  # the grader's own code, on their data
                    value = target(*args, **kwargs)
            else:
                raise agent.ChannelError("unknown question")
            return json.dumps({"status": "ok", "value": agent.encode(value, self._crossing)})
        except Exception as error:  # a malformed question, or the grader's object refused it
            return json.dumps({"status": "refused", "message": f"{type(error).__name__}: {error}"})

    @staticmethod
    def _small(value: Any) -> Any:
        if isinstance(value, np.ndarray) and value.size > STAND_IN_ELEMENTS:
            raise agent.ChannelError(f"an array of {value.size} numbers is too large here")
        return value

    def _own(self, data: dict) -> Any:
        if "$stand_in" not in data:
            raise agent.ChannelError("only plain data can be given to the grader's objects")
        return self.stand_ins[data["$stand_in"]]

    def _crossing(self, value: Any) -> dict:
        owner = getattr(value, "__self__", None) if callable(value) else value
        if not _grader_made(owner) and not any(held is value for held in self.stand_ins.values()):
            raise agent.ChannelError(f"a {type(value).__name__} cannot cross to the kernel")
        return self._stand_in(value)


# what the student's code may hand the grader's own objects: arrays of at most this many
# numbers, and memory for the grader's code to work on them (a softmax Jacobian of a wide
# array the student chose could otherwise take gigabytes in the grader's process)
STAND_IN_ELEMENTS = 2**20
STAND_IN_MEMORY = 2**30


def _same_shape_as_before(target: Any, name: str, value: Any) -> None:
    """An array attribute of a grader object keeps its shape; a new one takes the shape of an
    array the object already holds (momentums shaped like the weights) or is a number."""
    old = getattr(target, name, None)
    shapes = {np.shape(v) for v in vars(target).values() if isinstance(v, np.ndarray)}
    if isinstance(old, np.ndarray):
        shapes = {old.shape}
    if np.ndim(value) and np.shape(value) not in shapes:
        raise agent.ChannelError(f"{name} may not change shape to {np.shape(value)}")


@contextlib.contextmanager
def _memory_capped(extra: int):
    """Let this process use at most `extra` more bytes of address space for a while (Linux)."""
    try:
        import resource

        with open("/proc/self/statm") as statm:
            used = int(statm.read().split()[0]) * resource.getpagesize()
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = used + extra if hard == resource.RLIM_INFINITY else min(used + extra, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, OSError, ValueError):
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _grader_made(value: Any) -> bool:
    """An instance of one of the grader's own classes (a reference layer, a check's helper)."""
    module = getattr(type(value), "__module__", "")
    return isinstance(module, str) and module.startswith("autograder.")


class Remote:
    """An object in the student's kernel. Use it as the object itself (calls, attributes)."""

    def __init__(self, channel: Channel, key: str, type_name: str, is_callable: bool):
        object.__setattr__(self, "_channel", channel)
        object.__setattr__(self, "_key", key)
        object.__setattr__(self, "type_name", type_name)
        object.__setattr__(self, "is_callable", is_callable)

    def call(self, *args: Any, timeout: float | None = None, **kwargs: Any):
        """(result, indices of array arguments the call modified in place)."""
        channel = self._channel
        return channel.request(
            timeout,
            op="call",
            target=self._key,
            args=[channel.encode(a) for a in args],
            kwargs={k: channel.encode(v) for k, v in kwargs.items()},
        )

    def __call__(self, *args: Any, **kwargs: Any):
        return self.call(*args, **kwargs)[0]

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return self._channel.request(op="getattr", target=self._key, name=name)

    def __setattr__(self, name: str, value: Any):
        channel = self._channel
        channel.request(op="setattr", target=self._key, name=name, value=channel.encode(value))

    def __repr__(self):
        return f"<{self.type_name} in the student's kernel>"


class LocalChannel(Channel):
    """The agent in this process, on `namespace`: for the mutation suite and unit tests."""

    def __init__(self, namespace: dict):
        super().__init__()
        self.agent = agent.Agent(namespace, ask=self.serve)

    def exchange(self, text: str, timeout: float | None) -> str:
        # out of time, the call is interrupted as a kernel would be (SIGINT: KeyboardInterrupt)
        fired = []
        timed = timeout and threading.current_thread() is threading.main_thread()
        if timed:

            def stop(signum, frame):
                fired.append(signum)
                raise KeyboardInterrupt

            previous = signal.signal(signal.SIGALRM, stop)
            signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            self.agent.handle(text)
        finally:
            if timed:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
        if fired:
            raise TimeoutError(f"stopped after {timeout:g} s")
        return self.agent.reply

    def release(self) -> None:
        super().release()
        self.agent.objects.clear()
