"""Loaded by every provlint process the tests start: any network use fails loudly."""

import socket


def _refuse(*args, **kwargs):
    raise OSError("network disabled by the provlint test suite")


socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
