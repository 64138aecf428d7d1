"""The channel to a Jupyter kernel: one silent execute_request per grader request.

The code sent is always `__backprop_agent__.serve()`. The agent then asks for the request over
Jupyter's stdin channel (an `input_request` with the prompt agent.NEXT, answered with the
request's JSON in an `input_reply`) and sends its answer back the same way (a prompt starting
with agent.REPLY); its other questions are stand-ins' (answered by Channel.serve). Data never
passes through code the kernel compiles, and nothing the kernel sends is executed here: its
answer is parsed as JSON and then as plain data.
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

    def exchange(self, text: str, timeout: float | None) -> str:
        if not self.installed:
            run_sync(self._run)(INSTALL, self.timeout)
            self.installed = True
        self._request, self._reply = text, None
        run_sync(self._run)(SERVE, timeout or self.timeout)
        if self._reply is None:
            raise ChannelFailure("the kernel sent no answer")
        return self._reply

    def release(self) -> None:
        super().release()
        if self.installed:
            run_sync(self._run)(f"{AGENT_NAME}.objects.clear()", self.timeout)

    async def _run(self, code: str, timeout: float) -> None:
        msg_id = self.client.execute(
            code, silent=True, store_history=False, allow_stdin=True, stop_on_error=False
        )
        reply = await self._wait(msg_id, timeout)
        if reply is None:  # out of time: interrupt, and give the kernel a moment to answer
            await self.manager.interrupt_kernel()
            reply = await self._wait(msg_id, 5.0)
            if reply is None:
                raise KernelDied("the kernel did not answer after an interrupt")
            raise TimeoutError(f"stopped after {timeout:g} s")
        if reply["content"].get("status") != "ok":
            raise ChannelFailure(
                f"the kernel refused the request ({reply['content'].get('ename')})"
            )

    def _answer(self, prompt: str) -> str:
        """What the grader says to one input_request of the kernel."""
        if prompt == agent.NEXT:
            request, self._request = self._request, None
            return request if request is not None else "{}"
        if prompt.startswith(agent.REPLY):
            self._reply = prompt[len(agent.REPLY) :]
            return ""
        return self.serve(prompt)

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
                client.input(self._answer(prompt) if isinstance(prompt, str) else "{}")
            if client.shell_channel.socket in events:
                message = await client.shell_channel.get_msg(timeout=0)
                if message.get("parent_header", {}).get("msg_id") == msg_id:
                    return message
        await asyncio.sleep(0)
        return None
