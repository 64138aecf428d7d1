"""The channel to a Jupyter kernel: one silent execute_request per grader request.

The request's JSON travels as a string literal in the code `__backprop_agent__.handle("...")`;
the answer comes back as the user expression `__backprop_agent__.reply`, whose text/plain repr
is parsed with `ast.literal_eval` (a string literal, nothing else) and then as JSON. Stand-in
questions arrive as `input_request`s on the stdin channel and are answered with `input_reply`.
Nothing the kernel sends is executed here.
"""

from __future__ import annotations

import ast
import asyncio
import time
from pathlib import Path

import zmq.asyncio
from nbclient.util import run_sync

from autograder.channel import agent
from autograder.channel.remote import Channel, ChannelFailure

AGENT_NAME = "__backprop_agent__"
AGENT_SOURCE = Path(agent.__file__).read_text()
MAX_REPLY = 64 * 2**20  # characters of one answer: far beyond any exercise's arrays
INSTALL = (
    f"{AGENT_NAME} = (lambda ns: (exec(compile({AGENT_SOURCE!r}, '<grading agent>', 'exec'), ns), "
    "ns['Agent'](get_ipython().user_ns))[1])({'__name__': 'grading_agent'})"
)


class KernelDied(ChannelFailure):
    """The kernel process ended while the grader was waiting for it."""


class KernelChannel(Channel):
    """Requests to the agent in the kernel that `client` (nbclient's async client) talks to."""

    def __init__(self, client, manager, timeout: float):
        super().__init__()
        self.client, self.manager, self.timeout = client, manager, timeout
        self.installed = False

    def exchange(self, text: str, timeout: float | None) -> str:
        if not self.installed:
            run_sync(self._run)(INSTALL, self.timeout, None)
            self.installed = True
        reply = run_sync(self._run)(
            f"{AGENT_NAME}.handle({text!r})", timeout or self.timeout, f"{AGENT_NAME}.reply"
        )
        return reply

    def release(self) -> None:
        super().release()
        if self.installed:
            run_sync(self._run)(f"{AGENT_NAME}.objects.clear()", self.timeout, None)

    async def _run(self, code: str, timeout: float, expression: str | None) -> str:
        client = self.client
        msg_id = client.execute(
            code,
            silent=True,
            store_history=False,
            user_expressions={"r": expression} if expression else {},
            allow_stdin=True,
            stop_on_error=False,
        )
        reply = await self._wait(msg_id, timeout)
        if reply is None:  # out of time: interrupt, and give the kernel a moment to answer
            await self.manager.interrupt_kernel()
            reply = await self._wait(msg_id, 5.0)
            if reply is None:
                raise KernelDied("the kernel did not answer after an interrupt")
            raise TimeoutError(f"stopped after {timeout:g} s")
        content = reply["content"]
        if content.get("status") != "ok":
            raise ChannelFailure(f"the kernel refused the request ({content.get('ename')})")
        if expression is None:
            return ""
        result = content.get("user_expressions", {}).get("r", {})
        text = result.get("data", {}).get("text/plain", "") if result.get("status") == "ok" else ""
        if not isinstance(text, str) or len(text) > MAX_REPLY:
            raise ChannelFailure("the kernel's answer is not a string of a sensible size")
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            raise ChannelFailure("the kernel's answer is not a string literal") from None
        if type(value) is not str:
            raise ChannelFailure("the kernel's answer is not a string")
        return value

    async def _wait(self, msg_id: str, timeout: float) -> dict | None:
        """The shell reply to `msg_id`, answering stdin questions meanwhile; None on time-out."""
        client = self.client
        deadline = time.monotonic() + timeout
        poller = zmq.asyncio.Poller()
        poller.register(client.shell_channel.socket, zmq.POLLIN)
        poller.register(client.stdin_channel.socket, zmq.POLLIN)
        while (left := deadline - time.monotonic()) > 0:
            events = dict(await poller.poll(int(1000 * min(left, 0.5))))
            if not events:
                if not await self.manager.is_alive():
                    raise KernelDied("the kernel process ended")
                continue
            if client.stdin_channel.socket in events:
                question = await client.stdin_channel.get_msg(timeout=0)
                prompt = question.get("content", {}).get("prompt", "")
                client.input(self.serve(prompt) if isinstance(prompt, str) else "{}")
            if client.shell_channel.socket in events:
                message = await client.shell_channel.get_msg(timeout=0)
                if message.get("parent_header", {}).get("msg_id") == msg_id:
                    return message
        await asyncio.sleep(0)
        return None
