"""A loopback fake LLM server for tests: Anthropic, OpenAI, Gemini, Groq and Ollama wire formats.

It reads the DATA block forge puts in each prompt and answers every item with a unique
value per field (echoing its key), built from the SDKs' own response types where available
(Anthropic: a ``tool_use`` block when the request forces a tool). Faults are scripted per
request: HTTP errors with headers, truncation, prose, too few items, duplicates, over-long
values, shifted / repeated / unknown / swapped keys, an echoed system prompt, latency.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from forge_factories.llm.identity import KEY_FIELD
from forge_factories.llm.planner import read_data_block

#: A key no request ever holds (forge's keys are 6 characters).
UNASKED_KEY = "zz9999x"

_GEMINI = re.compile(r"^/(v1beta|v1)/models/(?P<model>[^/:]+):generateContent$")


@dataclass
class Fault:
    """What to do to one request instead of answering it normally.

    ``status``: answer with this HTTP error (``headers``, ``message``, ``code``);
    ``truncate``: cut the JSON in the middle of item ``keep`` (default half) and flag
    truncation; ``prose``: answer with prose; ``drop``: leave out the last ``drop`` items;
    ``duplicate``: give every item the same value of that field (naming no item); ``overlong``: make
    ``field`` of the first item 5,000 characters long; ``only``: apply only to requests
    whose path contains it; ``same``: field -> text every item gets; ``delay``: wait this long before answering (timeouts).
    ``shift``: item k answered under item k+1's key (the last under a key never asked);
    ``shift_drop``: the same, the last item left out (no unknown key); ``repeat``: the second
    item answered under the first item's key; ``unknown``: the first item under a key never
    asked; ``swap``: the first two items' keys exchanged; ``echo``: field whose first value
    is the request's system prompt; ``refuse``: the API's refusal (Ollama has none: prose).
    """

    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    message: str = "injected fault"
    code: str | None = None
    truncate: bool = False
    keep: int | None = None
    prose: bool = False
    drop: int = 0
    duplicate: str | None = None
    overlong: str | None = None
    only: str | None = None
    delay: float = 0.0
    same: dict[str, str] = field(default_factory=dict)
    shift: bool = False
    shift_drop: bool = False
    repeat: bool = False
    unknown: bool = False
    swap: bool = False
    echo: str | None = None
    refuse: bool = False


@dataclass
class Recorded:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any


class FakeLLMServer:
    """``with FakeLLMServer() as server: server.url`` -- a threaded server on 127.0.0.1:<free port>."""

    def __init__(self, latency: float = 0.0, value_length: int = 60) -> None:
        self.latency = latency
        self.value_length = value_length
        self.requests: list[Recorded] = []
        self.faults: deque[Fault] = deque()
        self._serial = itertools.count(1)
        self._lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> FakeLLMServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes; with Nagle on, the body waits for the
            # client's delayed ACK (~40 ms per request), a latency no real API adds.
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                server._handle(self, "GET")

            def do_POST(self) -> None:
                server._handle(self, "POST")

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeLLMServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    # -- scripting / inspection ---------------------------------------------------------

    def inject(self, *faults: Fault) -> None:
        """Queue faults; each applies to the next matching request."""
        with self._lock:
            self.faults.extend(faults)

    def count(self, contains: str = "") -> int:
        """Requests received whose path contains ``contains``."""
        with self._lock:
            return sum(1 for r in self.requests if contains in r.path)

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.faults.clear()
            self.max_in_flight = 0

    def _next_fault(self, path: str) -> Fault | None:
        with self._lock:
            for f in list(self.faults):
                if f.only is None or f.only in path:
                    self.faults.remove(f)
                    return f
        return None

    # -- request handling ----------------------------------------------------------------

    def _handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        length = int(h.headers.get("content-length") or 0)
        raw = h.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        path = h.path.split("?", 1)[0]
        with self._lock:
            self.requests.append(Recorded(method, path, {k.lower(): v for k, v in h.headers.items()}, body))
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            self._answer(h, method, path, body)
        finally:
            with self._lock:
                self.in_flight -= 1

    def _answer(self, h: BaseHTTPRequestHandler, method: str, path: str, body: Any) -> None:
        if self.latency:
            time.sleep(self.latency)
        if method == "GET" and path == "/api/version":
            return self._send(h, 200, {"version": "0.12.6"})
        kind = self._kind(path)
        if method != "POST" or kind is None:
            return self._send(h, 404, {"error": f"no route {method} {path}"})
        fault = self._next_fault(path)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        if fault is not None and fault.status is not None:
            return self._send(h, fault.status, self._error_body(kind, fault), fault.headers)
        system, user, schema = self._prompt(kind, body)
        data = read_data_block(user)
        fields = self._fields(schema, system)
        items = [self._item(entry, fields, k) for k, entry in enumerate(data["items"])]
        if fault is not None:
            items = self._misplace(items, fault, system)
        text, truncated = self._render(items, fault)
        usage_in, usage_out = (len(system) + len(user)) // 4, len(text) // 4
        reply = self._reply(kind, body, text, truncated, usage_in, usage_out)
        if fault is not None and fault.refuse:
            reply = self._refusal(kind, reply)
        self._send(h, 200, reply)

    @staticmethod
    def _kind(path: str) -> str | None:
        if path == "/v1/messages":
            return "anthropic"
        if path == "/v1/chat/completions":
            return "openai"
        if path == "/openai/v1/chat/completions":
            return "groq"
        if path == "/api/chat":
            return "ollama"
        if _GEMINI.match(path):
            return "gemini"
        return None

    @staticmethod
    def _prompt(kind: str, body: dict[str, Any]) -> tuple[str, str, dict[str, Any] | None]:
        if kind == "anthropic":
            if body.get("tools"):
                schema = body["tools"][0]["input_schema"]
            else:
                schema = ((body.get("output_config") or {}).get("format") or {}).get("schema")
            return body.get("system", ""), body["messages"][0]["content"], schema
        if kind in ("openai", "groq", "ollama"):
            msgs = body["messages"]
            if kind == "ollama":
                schema = body.get("format")
            else:
                schema = ((body.get("response_format") or {}).get("json_schema") or {}).get("schema")
            return msgs[0]["content"], msgs[1]["content"], schema
        schema = body["generationConfig"].get("responseJsonSchema")
        system = body["systemInstruction"]["parts"][0]["text"]
        return system, body["contents"][0]["parts"][0]["text"], schema

    @staticmethod
    def _fields(schema: dict[str, Any] | None, system: str) -> dict[str, Any]:
        if schema is None:  # json_object mode: the schema is written in the prompt
            line = next(x for x in system.splitlines() if "must match this schema:" in x)
            schema = json.loads(line.split("schema:", 1)[1])
        props = schema["properties"]["items"]["items"]["properties"]
        return {k: v for k, v in props.items() if k != KEY_FIELD}

    def _item(self, entry: dict[str, Any], fields: dict[str, Any], position: int) -> dict[str, Any]:
        out: dict[str, Any] = {KEY_FIELD: entry[KEY_FIELD]}
        given = ", ".join(f"{v}" for v in entry.get("given", {}).values())
        for name, prop in fields.items():
            if "enum" in prop:
                out[name] = prop["enum"][position % len(prop["enum"])]
                continue
            n = next(self._serial)
            out[name] = f"{name.capitalize()} no. {n} about {given}".strip()[: self.value_length]
        return out

    @staticmethod
    def _misplace(items: list[dict[str, Any]], fault: Fault, system: str) -> list[dict[str, Any]]:
        """Apply the key faults (answers under the wrong item's key) and the echo fault."""
        keys = [it[KEY_FIELD] for it in items]
        if fault.shift or fault.shift_drop:
            for k, it in enumerate(items):
                it[KEY_FIELD] = keys[k + 1] if k + 1 < len(keys) else UNASKED_KEY
            if fault.shift_drop:
                items = items[:-1]
        if fault.repeat and len(items) > 1:
            items[1][KEY_FIELD] = keys[0]
        if fault.unknown and items:
            items[0][KEY_FIELD] = UNASKED_KEY
        if fault.swap and len(items) > 1:
            items[0][KEY_FIELD], items[1][KEY_FIELD] = keys[1], keys[0]
        if fault.echo and items:
            items[0][fault.echo] = system
        return items

    def _render(self, items: list[dict[str, Any]], fault: Fault | None) -> tuple[str, bool]:
        if fault is not None:
            if fault.prose:
                return "Sure! Here are some great bios for your users: Alice loves hiking.", False
            if fault.drop:
                items = items[: max(0, len(items) - fault.drop)]
            if fault.duplicate and items:
                shared = f"{fault.duplicate.capitalize()} written the same for every item"
                for it in items:
                    it[fault.duplicate] = shared
            for name, text in fault.same.items():
                for it in items:
                    it[name] = text
            if fault.overlong and items:
                items[0][fault.overlong] = "x" * 5000
            if fault.truncate:
                keep = fault.keep if fault.keep is not None else max(1, len(items) // 2)
                parts = [json.dumps(it) for it in items]
                cut = parts[keep][: len(parts[keep]) // 2] if keep < len(parts) else ""
                return '{"items": [' + ", ".join(parts[:keep] + ([cut] if cut else [])), True
        return json.dumps({"items": items}), False

    # -- wire formats ----------------------------------------------------------------------

    @staticmethod
    def _error_body(kind: str, fault: Fault) -> Any:
        if kind == "anthropic":
            etype = {401: "authentication_error", 429: "rate_limit_error", 529: "overloaded_error"}.get(
                fault.status or 0, "api_error")
            return {"type": "error", "error": {"type": etype, "message": fault.message}}
        if kind in ("openai", "groq"):
            return {"error": {"message": fault.message, "type": fault.code or "error", "code": fault.code}}
        if kind == "gemini":
            return {"error": {"code": fault.status, "message": fault.message, "status": fault.code or "ERROR"}}
        return {"error": fault.message}

    @staticmethod
    def _refusal(kind: str, reply: dict[str, Any]) -> dict[str, Any]:
        """``reply`` turned into the API's refusal."""
        if kind == "anthropic":
            reply["stop_reason"] = "refusal"
            reply["content"] = [{"type": "text", "text": "I can't help with that."}]
        elif kind in ("openai", "groq"):
            reply["choices"][0]["message"] = {"role": "assistant", "content": None,
                                              "refusal": "I can't help with that."}
        elif kind == "gemini":
            reply["candidates"][0]["finishReason"] = "SAFETY"
            reply["candidates"][0]["content"] = {"role": "model", "parts": []}
        else:
            reply["message"]["content"] = "I can't help with that."
        return reply

    def _reply(self, kind: str, body: dict[str, Any], text: str, truncated: bool, n_in: int, n_out: int) -> Any:
        model = body.get("model", "fake-model")
        if kind == "anthropic":
            from anthropic.types import Message

            content: list[dict[str, Any]] = [{"type": "text", "text": text}]
            tools = body.get("tools") or []
            if tools and text.lstrip().startswith("{"):  # forced tool use: the items are the tool's input
                content = [{"type": "tool_use", "id": "toolu_fake", "name": tools[0]["name"],
                            "input": _tool_input(text)}]
            return Message.model_validate({
                "id": "msg_fake", "type": "message", "role": "assistant", "model": model,
                "content": content,
                "stop_reason": "max_tokens" if truncated else "end_turn", "stop_sequence": None,
                "usage": {"input_tokens": n_in, "output_tokens": n_out, "cache_read_input_tokens": 0},
            }).model_dump(mode="json", exclude_none=True)
        if kind in ("openai", "groq"):
            from openai.types.chat import ChatCompletion

            return ChatCompletion.model_validate({
                "id": "chatcmpl-fake", "object": "chat.completion", "created": 1_700_000_000, "model": model,
                "choices": [{"index": 0, "finish_reason": "length" if truncated else "stop",
                             "message": {"role": "assistant", "content": text}}],
                "usage": {"prompt_tokens": n_in, "completion_tokens": n_out, "total_tokens": n_in + n_out,
                          "prompt_tokens_details": {"cached_tokens": 0}},
            }).model_dump(mode="json", exclude_none=True)
        if kind == "gemini":
            return {
                "candidates": [{"content": {"role": "model", "parts": [{"text": text}]},
                                "finishReason": "MAX_TOKENS" if truncated else "STOP", "index": 0}],
                "usageMetadata": {"promptTokenCount": n_in, "candidatesTokenCount": n_out,
                                  "totalTokenCount": n_in + n_out},
                "modelVersion": model,
            }
        return {
            "model": model, "created_at": "2026-01-01T00:00:00Z",
            "message": {"role": "assistant", "content": text},
            "done": True, "done_reason": "length" if truncated else "stop",
            "prompt_eval_count": n_in, "eval_count": n_out,
        }

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        raw = json.dumps(payload).encode()
        h.send_response(status)
        h.send_header("content-type", "application/json")
        h.send_header("content-length", str(len(raw)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(raw)


def _tool_input(text: str) -> dict[str, Any]:
    """The tool input of a (possibly cut-off) items JSON: every complete item."""
    try:
        data: dict[str, Any] = json.loads(text)
        return data
    except ValueError:
        from forge_factories.llm.providers.network import parse_items

        return {"items": parse_items(text)}


class RepeatingServer(FakeLLMServer):
    """The first two replies number their values from 0: each reply is unique, together they repeat."""

    def __init__(self) -> None:
        super().__init__()
        self.replies = 0
        self._reply_lock = threading.Lock()

    def _render(self, items: list[dict[str, Any]], fault: Fault | None) -> tuple[str, bool]:
        with self._reply_lock:
            self.replies += 1
            repeat = self.replies <= 2
        if repeat:
            for position, item in enumerate(items):
                for name in item:
                    if name != KEY_FIELD:
                        item[name] = f"{name} {position}"
        return super()._render(items, fault)
