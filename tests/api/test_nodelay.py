"""Connections to `khuyenhoc serve` have Nagle's algorithm off, in every mode."""

from __future__ import annotations

import asyncio
import socket

from api.http.nodelay import no_delay


def test_a_connection_made_with_protocol_0_gets_tcp_nodelay() -> None:
    async def connect() -> int:
        # As uvicorn binds with --workers: a socket of protocol 0.
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                connection = transport.get_extra_info("socket")
                before = connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
                no_delay(transport)
                after = connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
                accepted.set_result(before * 10 + after)
                transport.close()

        server = await asyncio.get_running_loop().create_server(Probe, sock=listener)
        _, writer = await asyncio.open_connection(*listener.getsockname())
        result = await accepted
        writer.close()
        server.close()
        await server.wait_closed()
        return result

    assert asyncio.run(connect()) == 1  # was 0 (the delay), is 1
