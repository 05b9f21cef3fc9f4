"""Loaded by every provlint process the tests start: any network use beyond loopback
(the local Dask cluster of the scale tests) fails loudly."""

import ipaddress
import socket

_connect, _connect_ex, _getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo


def _loopback(host) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _refuse(*args, **kwargs):
    raise OSError("network disabled by the provlint test suite")


def _guard(real):
    def guarded(sock, address, *args):
        if sock.family == socket.AF_UNIX or (isinstance(address, tuple) and _loopback(address[0])):
            return real(sock, address, *args)
        return _refuse()

    return guarded


def _getaddrinfo_loopback(host, *args, **kwargs):
    if host is None or _loopback(host):
        return _getaddrinfo(host, *args, **kwargs)
    return _refuse()


socket.socket.connect = _guard(_connect)
socket.socket.connect_ex = _guard(_connect_ex)
socket.create_connection = _refuse
socket.getaddrinfo = _getaddrinfo_loopback
