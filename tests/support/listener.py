"""Talking to the join listener's Tornado application in-process, without a subprocess."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from typing import Any

import tornado.httpclient
import tornado.httpserver
import tornado.testing
import tornado.web


def exchange(
    app: tornado.web.Application, requests: Iterable[dict[str, Any]]
) -> list[tornado.httpclient.HTTPResponse]:
    """Serve ``app`` on a free loopback port and make ``requests`` in order.

    Each request is a dict with ``path`` and optionally ``method``, ``body`` (JSON-encoded
    unless bytes), ``headers`` and ``host`` (sent as the Host header); every response is
    returned, whatever its status.
    """

    async def run() -> list[tornado.httpclient.HTTPResponse]:
        sock, port = tornado.testing.bind_unused_port()
        server = tornado.httpserver.HTTPServer(app)
        server.add_sockets([sock])
        client = tornado.httpclient.AsyncHTTPClient(force_instance=True)
        responses = []
        try:
            for request in requests:
                body = request.get("body")
                if body is not None and not isinstance(body, bytes):
                    body = json.dumps(body).encode()
                headers = {"Content-Type": "application/json", **request.get("headers", {})}
                if "host" in request:
                    headers["Host"] = request["host"]
                responses.append(
                    await client.fetch(
                        f"http://127.0.0.1:{port}{request['path']}",
                        method=request.get("method", "POST" if body is not None else "GET"),
                        body=body,
                        headers=headers,
                        raise_error=False,
                        follow_redirects=False,
                    )
                )
        finally:
            client.close()
            server.stop()
        return responses

    return asyncio.run(run())
