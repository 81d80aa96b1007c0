"""Drive a real Jupyter kernel the way a browser does, for the control tests.

A :class:`KernelSession` starts a kernel with jupyter_client, runs cells
without waiting for them, watches IOPub for widget models (``comm_open``)
and state updates, and sends the same ``comm_msg`` a browser sends for a
button click or a text/slider change — optionally addressed to a kernel
subshell created over the control channel, as JupyterLab >= 4.4 does.
"""

from __future__ import annotations

import json
import queue
import time

from jupyter_client import KernelManager


def _spec_manager_for(python: str):
    """A kernel spec manager offering one kernel: ``python -m ipykernel_launcher``."""
    import tempfile
    from pathlib import Path

    from jupyter_client.kernelspec import KernelSpecManager

    root = Path(tempfile.mkdtemp(prefix="nbcallbacks-kernelspec-"))
    spec = root / "python-custom"
    spec.mkdir()
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python (custom)", "language": "python"}))
    return KernelSpecManager(kernel_dirs=[str(root)])


class KernelSession:
    def __init__(self, python: str | None = None, extra_env: dict | None = None):
        if python is None:
            self.manager = KernelManager(kernel_name="python3")
        else:
            self.manager = KernelManager(kernel_name="python-custom",
                                         kernel_spec_manager=_spec_manager_for(python))
        kwargs = {}
        if extra_env:
            import os

            kwargs["env"] = {**os.environ, **extra_env}
        self.manager.start_kernel(**kwargs)
        self.client = self.manager.blocking_client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=120)
        self.models: dict[str, dict] = {}   # comm_id -> {"name": model name, "state": {...}}
        self.log: list[tuple[float, dict]] = []
        self._replies: dict[str, dict] = {}  # shell replies read while waiting for another

    def forget_models(self) -> None:
        """Forget the widget models and messages seen so far (a new test in the same kernel)."""
        self.pump_iopub(0.2)
        self.models.clear()
        self.log.clear()

    # -- cells ---------------------------------------------------------------------
    def start_cell(self, code: str) -> str:
        """Send ``code`` for execution; returns the request's msg_id."""
        return self.client.execute(code)

    def run(self, code: str, timeout: float = 300) -> tuple[str, list]:
        """Execute ``code``, wait for it; returns (status, iopub messages of the cell)."""
        msg_id = self.start_cell(code)
        return self.wait_cell(msg_id, timeout)

    def run_in_subshell(self, code: str, subshell_id: str, timeout: float = 60):
        """Run ``code`` on a subshell (it runs while the main shell is busy); returns stdout."""
        msg = self.client.session.msg("execute_request", {
            "code": code, "silent": False, "store_history": False, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True})
        msg["header"]["subshell_id"] = subshell_id
        self.client.shell_channel.send(msg)
        status, messages = self.wait_cell(msg["header"]["msg_id"], timeout)
        assert status == "ok", messages
        return "".join(m["content"].get("text", "") for m in messages
                       if m["msg_type"] == "stream")

    def wait_cell(self, msg_id: str, timeout: float = 300) -> tuple[str, list]:
        """Wait for the request's reply and all its output; returns (status, its iopub messages).

        The kernel announces ``idle`` on IOPub for a request after the request's
        last output (the Jupyter protocol's order), so the wait ends there rather
        than after a fixed drain time that a busy machine could outlast. The
        messages are all those seen for the request, also while waiting for
        another one (a cell queued behind a running one).
        """
        deadline = time.monotonic() + timeout
        status = None
        while True:
            mine = self.messages_of(msg_id)
            if status is not None and any(m["msg_type"] == "status" and
                                          m["content"]["execution_state"] == "idle"
                                          for m in mine):
                return status, mine
            if time.monotonic() > deadline:
                raise TimeoutError(f"cell did not finish within {timeout} s "
                                   f"(reply {'seen' if status else 'not seen'})")
            self.pump_iopub(0.1)
            if status is None:
                reply = self.shell_reply(msg_id, 0.05)
                if reply is not None:
                    status = reply["content"]["status"]

    def shell_reply(self, msg_id: str, timeout: float) -> dict | None:
        """The shell reply to request ``msg_id`` if it comes within ``timeout`` s, else None.

        Replies to other requests read meanwhile are kept for their own waiters.
        """
        deadline = time.monotonic() + timeout
        while msg_id not in self._replies:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            try:
                reply = self.client.get_shell_msg(timeout=min(remaining, 0.05))
            except queue.Empty:
                continue
            self._replies[reply["parent_header"].get("msg_id")] = reply
        return self._replies.pop(msg_id)

    def request(self, msg_type: str, content: dict, timeout: float,
                subshell_id: str | None = None) -> dict | None:
        """Send a shell request as a frontend would; its reply, or None if none came in time.

        IOPub is read meanwhile (the request's outputs are in :attr:`log`).
        """
        msg_id = self.send_shell(msg_type, content, subshell_id)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reply = self.shell_reply(msg_id, 0.05)
            if reply is not None:
                return reply
            self.pump_iopub(0.05)
        return None

    def messages_of(self, msg_id: str) -> list:
        """The iopub messages seen so far (since :meth:`forget_models`) for one request."""
        return [m for _, m in self.log if m["parent_header"].get("msg_id") == msg_id]

    def run_json(self, code: str, timeout: float = 120):
        """Run ``code`` whose last line prints JSON; return the parsed value."""
        status, messages = self.run(code, timeout)
        text = "".join(m["content"].get("text", "") for m in messages
                       if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")
        errors = [m["content"] for m in messages if m["msg_type"] == "error"]
        assert status == "ok" and not errors, (status, errors, text)
        return json.loads(text.strip().splitlines()[-1])

    # -- IOPub ---------------------------------------------------------------------
    def pump_iopub(self, seconds: float) -> None:
        """Read IOPub for ``seconds``: every message is tracked and kept in :attr:`log`."""
        deadline = time.monotonic() + seconds
        while True:
            remaining = deadline - time.monotonic()
            try:
                msg = self.client.get_iopub_msg(timeout=max(0.0, min(remaining, 0.05)))
            except queue.Empty:
                if remaining <= 0:
                    return
                continue
            self._track(msg)

    def _track(self, msg) -> None:
        self.log.append((time.time(), msg))
        kind, content = msg["msg_type"], msg["content"]
        if kind == "comm_open":
            state = content.get("data", {}).get("state", {})
            self.models[content["comm_id"]] = {"name": state.get("_model_name"),
                                               "state": dict(state)}
        elif kind == "comm_msg":
            data = content.get("data", {})
            model = self.models.get(content["comm_id"])
            if model is not None and data.get("method") in ("update", "echo_update"):
                model["state"].update(data.get("state", {}))

    def wait_for(self, predicate, timeout: float = 60, what: str = "condition"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = predicate()
            if result:
                return result
            self.pump_iopub(0.05)
        raise TimeoutError(f"timed out waiting for {what}")

    def find_model(self, name: str, **state):
        """comm_id of the newest widget model of this type whose state matches."""
        found = None
        for comm_id, model in self.models.items():
            if model["name"] == name and all(model["state"].get(k) == v
                                             for k, v in state.items()):
                found = comm_id
        return found

    def html_values(self) -> str:
        return " ".join(str(m["state"].get("value", "")) for m in self.models.values()
                        if m["name"] == "HTMLModel")

    # -- browser-like messages -------------------------------------------------------
    def create_subshell(self) -> str:
        msg = self.client.session.msg("create_subshell_request", {})
        self.client.control_channel.send(msg)
        reply = self.client.get_control_msg(timeout=20)
        return reply["content"]["subshell_id"]

    def send_shell(self, msg_type: str, content: dict, subshell_id: str | None = None,
                   metadata: dict | None = None) -> str:
        """Send a shell message as a frontend would (to a subshell, if named); its msg_id."""
        msg = self.client.session.msg(msg_type, content, metadata=metadata)
        if subshell_id is not None:
            msg["header"]["subshell_id"] = subshell_id
        self.client.shell_channel.send(msg)
        return msg["header"]["msg_id"]

    def send_comm(self, comm_id: str, data: dict, subshell_id: str | None = None) -> float:
        sent = time.time()
        self.send_shell("comm_msg", {"comm_id": comm_id, "data": data}, subshell_id)
        return sent

    def click(self, comm_id: str, subshell_id: str | None = None) -> float:
        return self.send_comm(comm_id, {"method": "custom", "content": {"event": "click"}},
                              subshell_id)

    def set_value(self, comm_id: str, value, subshell_id: str | None = None) -> float:
        return self.send_comm(comm_id, {"method": "update", "state": {"value": value},
                                        "buffer_paths": []}, subshell_id)

    def interrupt(self) -> None:
        self.manager.interrupt_kernel()

    def close(self) -> None:
        try:
            self.client.stop_channels()
        finally:
            self.manager.shutdown_kernel(now=True)
