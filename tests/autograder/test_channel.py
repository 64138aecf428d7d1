"""The channel between hidden checks and the student's code: plain data only, both ways."""

import json
import sys

import numpy as np
import pytest

from autograder.channel import agent
from autograder.channel.kernel import KernelChannel, KernelDied
from autograder.channel.remote import ChannelFailure, LocalChannel, Remote, StudentError


def encoded(value):
    return agent.encode(value, lambda v: {"$handle": "1"})


@pytest.mark.parametrize(
    "value",
    [
        np.arange(6.0).reshape(2, 3),
        np.float32(1.5),
        np.array([[True, False]]),
        np.arange(4, dtype=np.uint8),
        (np.zeros(3), [1, 2.5, None], "text"),
        np.asfortranarray(np.arange(6.0).reshape(2, 3)),
    ],
)
def test_plain_data_round_trips(value):
    back = agent.decode(json.loads(json.dumps(encoded(value))), None)
    if isinstance(value, tuple):
        assert np.array_equal(back[0], value[0]) and back[1:] == (value[1], value[2])
    else:
        assert np.array_equal(back, value) and np.asarray(back).dtype == np.asarray(value).dtype


@pytest.mark.parametrize(
    "message",
    [
        {"$array": "AAAA", "dtype": "|O", "shape": [1]},  # object arrays never cross
        {"$array": "AAAAAAAAAAA=", "dtype": "<f8", "shape": [2]},  # 8 bytes for 2 floats
        {"$array": "AAAAAAAAAAA=", "dtype": "<f8", "shape": [-1]},
        {"$pickle": "gASV"},
        {"$list": [{"$list": []}] * 1, "extra": 1, "more": 2, "keys": 3},
        ["a", "bare", "list"],
        {"$int": 5},
    ],
)
def test_anything_else_is_refused(message):
    with pytest.raises((agent.ChannelError, ValueError)):
        agent.decode(message, lambda data: pytest.fail("resolved a handle"))


def test_nesting_is_bounded():
    deep = []
    for _ in range(agent.MAX_DEPTH + 2):
        deep = [deep]
    with pytest.raises(agent.ChannelError):
        agent.encode(deep, None)


def student_namespace():
    source = """
import numpy as np

class Layer:
    def __init__(self, n):
        self.weights = np.ones((n, 2))
    def forward(self, inputs):
        self.output = inputs @ self.weights
        return self

def in_place(x):
    x *= 2
    return x

def broken(x):
    raise ValueError("shapes (2,) and (3,) not aligned")

def uses(callback, x):
    return callback(x) + 1

def pokes(obj):
    return obj.secret_helper
"""
    namespace = {}
    exec(source, namespace)
    return namespace


def test_local_channel_calls_reads_and_sets():
    channel = LocalChannel(student_namespace())
    Layer = channel.lookup("Layer")
    assert isinstance(Layer, Remote) and Layer.type_name == "type"
    layer = Layer(3)
    assert isinstance(layer, Remote) and layer.type_name == "Layer"
    layer.weights = np.full((3, 2), 2.0)
    returned = layer.forward(np.ones((1, 3)))
    assert isinstance(returned, Remote)
    assert np.array_equal(layer.output, [[6.0, 6.0]])
    with pytest.raises(AttributeError):
        _ = layer.missing
    with pytest.raises(NameError):
        channel.lookup("nothing_here")


def test_in_place_changes_and_errors_are_reported():
    channel = LocalChannel(student_namespace())
    _, modified = channel.lookup("in_place").call(np.ones(3))
    assert modified == [0]
    with pytest.raises(StudentError) as error:
        channel.lookup("broken")(np.ones(2))
    assert error.value.kind == "ValueError" and "not aligned" in error.value.message


def test_a_callback_stays_in_the_grader_and_answers_in_plain_data():
    channel = LocalChannel(student_namespace())
    seen = []

    def callback(x):
        seen.append(type(x))
        return float(np.sum(x))

    assert channel.lookup("uses")(callback, np.arange(3.0)) == 4.0
    assert seen == [np.ndarray]


class _Grader:
    """A grader-made object (its class lives in a test module, not autograder.*)."""

    def __init__(self):
        self.value = np.zeros(2)


def test_stand_ins_expose_public_plain_data_only():
    channel = LocalChannel(student_namespace())
    channel.stand_ins["1"] = target = _Grader()
    ask = channel.serve
    assert (
        json.loads(ask(json.dumps({"op": "getattr", "stand_in": "1", "name": "__class__"})))[
            "status"
        ]
        == "missing"
    )
    assert (
        json.loads(ask(json.dumps({"op": "getattr", "stand_in": "1", "name": "_secret"})))["status"]
        == "missing"
    )
    # a method of an object that is not the grader's own cannot cross
    answer = json.loads(ask(json.dumps({"op": "getattr", "stand_in": "1", "name": "__init__"})))
    assert answer["status"] == "missing"
    value = json.loads(ask(json.dumps({"op": "getattr", "stand_in": "1", "name": "value"})))
    assert value["status"] == "ok" and "$array" in value["value"]
    # the kernel's own objects never reach the grader's
    refused = ask(
        json.dumps({"op": "setattr", "stand_in": "1", "name": "value", "value": {"$handle": "1"}})
    )
    assert json.loads(refused)["status"] == "refused" and isinstance(target.value, np.ndarray)
    # what the grader's object does not have (or hides) is an AttributeError in the kernel
    with pytest.raises(StudentError) as error:
        channel.lookup("pokes")(target)
    assert error.value.kind == "AttributeError"


# -- the same channel to a real kernel ----------------------------------------------------------


@pytest.fixture
def kernel():
    from jupyter_client.manager import AsyncKernelManager
    from nbclient.util import run_sync

    manager = AsyncKernelManager(kernel_name="python3")
    run_sync(manager.start_kernel)(extra_arguments=["--HistoryManager.hist_file=:memory:"])
    client = manager.client()
    client.start_channels()
    run_sync(client.wait_for_ready)(timeout=60)
    code = "".join(
        f"{line}\n"
        for line in (
            "import numpy as np, time, os",
            "def double(x): return 2 * x",
            "def forever(x):\n    while True: time.sleep(0.01)",
            "def apply(f, x): return f(x)",
            "def die(x): os._exit(5)",
        )
    )
    run_sync(client.execute_interactive)(code, timeout=30)
    yield KernelChannel(client, manager, timeout=20)
    client.stop_channels()
    run_sync(manager.shutdown_kernel)(now=True)


@pytest.mark.slow
def test_kernel_channel_round_trip_and_callbacks(kernel):
    assert np.array_equal(kernel.lookup("double")(np.arange(3)), [0, 2, 4])
    assert kernel.lookup("apply")(lambda x: float(np.sum(x)), np.ones(4)) == 4.0
    kernel.release()


@pytest.mark.slow
def test_kernel_channel_interrupts_a_call_that_never_ends(kernel):
    with pytest.raises(TimeoutError):
        kernel.lookup("forever").call(np.ones(2), timeout=1.0)
    # the kernel survived the interrupt and still answers
    assert np.array_equal(kernel.lookup("double")(np.ones(1)), [2.0])


@pytest.mark.slow
def test_kernel_channel_refuses_a_forged_reply(kernel):
    from nbclient.util import run_sync

    kernel.lookup("double")  # installs the agent
    kernel.release()  # and ends its serving loop: the kernel takes other code again
    reply = agent.REPLY + "__import__('os').system('true')"
    forged = (
        f"type(__backprop_agent__).serve = lambda self: (self.ask({agent.NEXT!r}), "
        f"self.ask({reply!r}))"
    )
    run_sync(kernel.client.execute_interactive)(forged, timeout=30)
    with pytest.raises(ChannelFailure):
        kernel.lookup("double")


@pytest.mark.slow
def test_kernel_channel_notices_a_dead_kernel(kernel):
    with pytest.raises(KernelDied):
        kernel.lookup("die")(np.ones(1))


def test_agent_source_is_self_contained():
    """The agent runs from its source text in a kernel where `autograder` cannot be imported."""
    import ast

    source = agent.__loader__.get_source(agent.__name__)
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in getattr(node, "names", [])
    } | {
        node.module.split(".")[0]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom)
    }
    assert imported <= set(sys.stdlib_module_names) | {"numpy"}, imported
    namespace = {"__name__": "grading_agent"}
    exec(compile(source, "<grading agent>", "exec"), namespace)
    assert namespace["Agent"]({}).reply == ""


class RecordingChannel(LocalChannel):
    """Keeps every request's text: what a kernel would receive."""

    def __init__(self, namespace):
        super().__init__(namespace)
        self.sent = []

    def exchange(self, text, timeout):
        self.sent.append(text)
        return super().exchange(text, timeout)


def arrays_sent(texts):
    found = []

    def walk(value):
        if isinstance(value, dict) and "$array" in value:
            found.append(agent.decode_array(value).astype(float))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for text in texts:
        walk(json.loads(text))
    return found


def test_a_kernel_receives_inputs_never_expected_values():
    """Run a real hidden check through a recording channel: every array the kernel received is
    an input of the check; no result the reference computes from them was ever sent."""
    from autograder.chapters.dense_layers import reference as ref
    from autograder.chapters.dense_layers.checks import check_batch_output

    namespace = {}
    exec("import numpy as np\ndef batch_output(i, w, b):\n    return i @ w + b\n", namespace)
    channel = RecordingChannel(namespace)
    check_batch_output(channel.lookup("batch_output"))
    sent = arrays_sent(channel.sent)
    calls = [json.loads(t) for t in channel.sent if json.loads(t)["op"] == "call"]
    assert len(calls) >= 3
    for call in calls:
        i, w, b = (agent.decode(a, None) for a in call["args"])
        expected = ref.batch_output(i, w, b)
        assert not any(a.shape == expected.shape and np.allclose(a, expected) for a in sent)
    assert not any("autograder" in t or "reference" in t for t in channel.sent)


def test_stand_ins_keep_shapes_and_the_grader_bounds_what_it_computes():
    """The student's code may not widen the grader's objects (a (1, 10000) softmax output
    would make the reference build 10000 x 10000 Jacobians in the grader's process), nor hand
    them arrays beyond STAND_IN_ELEMENTS numbers."""
    from autograder.channel import remote
    from autograder.chapters.capstone import reference as ref

    namespace = {}
    exec(
        "import numpy as np\n"
        "def widen(softmax):\n"
        "    softmax.output = np.full((1, 10_000), 1e-4)\n"
        "def huge(softmax):\n"
        "    softmax.forward(np.zeros((1, 2**21)))\n"
        "def honest(softmax):\n"
        "    softmax.forward(np.zeros((3, 4)))\n"
        "    softmax.backward(np.ones((3, 4)))\n"
        "    return softmax.dinputs\n",
        namespace,
    )
    channel = LocalChannel(namespace)
    softmax = ref.Activation_Softmax()
    softmax.forward(np.zeros((3, 4)))
    for name in ("widen", "huge"):
        with pytest.raises(StudentError) as error:
            channel.lookup(name)(softmax)
        assert "too large" in error.value.message or "change shape" in error.value.message
    assert softmax.output.shape == (3, 4)
    assert channel.lookup("honest")(softmax).shape == (3, 4)
    assert remote.STAND_IN_ELEMENTS == 2**20


def test_the_cost_budget_asks_the_kernel_nothing(monkeypatch):
    """backprop.expect_backprop_cost sends the kernel the timed call and nothing else: a
    student's kernel cannot slow down a measurement to widen its own budget."""
    from autograder import backprop, core
    from autograder.chapters.single_neuron_backprop import reference as ref

    namespace = {}
    exec(
        "from autograder.chapters.single_neuron_backprop.reference import neuron_gradients as f\n",
        namespace,
    )
    channel = RecordingChannel(namespace)
    fn = channel.lookup("f")
    channel.sent.clear()
    inputs, weights = np.ones(1000), np.full(1000, 0.01)
    backprop.expect_backprop_cost(
        fn,
        inputs,
        weights,
        0.5,
        1.0,
        label="f",
        names=("inputs", "weights", "bias", "target"),
        size="a test",
        reference=ref.neuron_gradients,
        check=lambda got, want: core.expect_each(("dweights", "dbias"), got, want),
    )
    assert [json.loads(t)["op"] for t in channel.sent] == ["call"]


def test_an_interrupted_backward_pass_is_a_timeout():
    """A call that runs out of its budget was interrupted: core.TimedOut (a GradingError), with
    the cost check's message, so callers need not read the message to know it."""
    from autograder import backprop, core

    def endless(x):
        while True:
            pass

    with pytest.raises(core.TimedOut) as failure:
        backprop.expect_backprop_cost(
            endless,
            np.ones(3),
            label="backward",
            names=("x",),
            size="a test",
            reference=lambda x: x,
            check=lambda got, want: None,
        )
    assert "backward took more than" in str(failure.value)
    assert isinstance(failure.value, core.GradingError)
