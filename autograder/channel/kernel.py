"""The channel to a Jupyter kernel: one silent execute_request serves a whole hidden cell.

The code sent is always `__backprop_agent__.serve()`. The agent then asks for each request
over Jupyter's stdin channel (an `input_request` with the prompt agent.NEXT, answered with the
request's JSON in an `input_reply`) and sends its answer back the same way (a prompt starting
with agent.REPLY), until `release` answers agent.STOP; its other questions are stand-ins'
(answered by Channel.serve). A request costs two stdin round trips (about 2 ms) instead of an
execute_request (about 9 ms). Data never passes through code the kernel compiles, and nothing
the kernel sends is executed here: its answer is parsed as JSON and then as plain data.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import zmq.asyncio
from nbclient.util import run_sync

from autograder.channel import agent
from autograder.channel.remote import Channel, ChannelFailure

AGENT_NAME = "__backprop_agent__"
AGENT_SOURCE = Path(agent.__file__).read_text()
SERVE = f"{AGENT_NAME}.serve()"
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
        self._request: str | None = None  # the request the agent will ask for
        self._reply: str | None = None  # the answer it sent
        self._serving: str | None = None  # the execute_request of the agent's serving loop

    def exchange(self, text: str, timeout: float | None) -> str:
        if not self.installed:
            run_sync(self._execute)(INSTALL, self.timeout)
            self.installed = True
        return run_sync(self._exchange)(text, timeout or self.timeout)

    def release(self) -> None:
        """End the hidden cell: the agent forgets its handles and the kernel is free again."""
        super().release()
        if self._serving is not None:
            self._request = agent.STOP
            run_sync(self._finish)(self.timeout)

    async def _exchange(self, text: str, timeout: float) -> str:
        if self._serving is None:
            self._serving = self._send(SERVE)
        self._request, self._reply = text, None
        reply = await self._wait(self._serving, timeout, until_answer=True)
        if self._reply is not None:
            return self._reply
        if reply is None:  # out of time: interrupt, and give the kernel a moment to answer
            await self.manager.interrupt_kernel()
            if await self._wait(self._serving, 5.0) is None:
                raise KernelDied("the kernel did not answer after an interrupt")
            self._serving = None
            raise TimeoutError(f"stopped after {timeout:g} s")
        self._serving = None  # the agent's loop ended without answering
        raise ChannelFailure(f"the kernel refused the request ({reply['content'].get('ename')})")

    async def _finish(self, timeout: float) -> None:
        if await self._wait(self._serving, timeout) is None:
            await self.manager.interrupt_kernel()
            await self._wait(self._serving, 5.0)
        self._serving = None

    def _send(self, code: str) -> str:
        return self.client.execute(
            code, silent=True, store_history=False, allow_stdin=True, stop_on_error=False
        )

    async def _execute(self, code: str, timeout: float) -> None:
        reply = await self._wait(self._send(code), timeout)
        if reply is None or reply["content"].get("status") != "ok":
            raise ChannelFailure("the kernel did not take the grading agent")

    def _answer(self, prompt: str) -> str:
        """What the grader says to one input_request of the kernel."""
        if prompt == agent.NEXT:
            request, self._request = self._request, None
            return request if request is not None else agent.STOP
        if prompt.startswith(agent.REPLY):
            self._reply = prompt[len(agent.REPLY) :]
            return ""
        return self.serve(prompt)

    async def _wait(self, msg_id: str, timeout: float, until_answer: bool = False) -> dict | None:
        """The shell reply to `msg_id`, answering stdin questions meanwhile; None on time-out.
        until_answer: return (None) as soon as the agent has sent its answer."""
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
                client.input(self._answer(prompt) if isinstance(prompt, str) else "{}")
                if until_answer and self._reply is not None:
                    return None
            if client.shell_channel.socket in events:
                message = await client.shell_channel.get_msg(timeout=0)
                if message.get("parent_header", {}).get("msg_id") == msg_id:
                    return message
        await asyncio.sleep(0)
        return None
