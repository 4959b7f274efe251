"""The gRPC server: MicroPosts and the Analyzer on a pool of threads, with the standard health
service (SERVING while the database answers) and server reflection."""
from __future__ import annotations

import logging
import threading
from concurrent import futures

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from api.rpc.analyzer import Analyzer
from api.rpc.microposts import MicroPosts
from api.rpc.stubs import analyzer_pb2, analyzer_pb2_grpc, microposts_pb2, microposts_pb2_grpc
from api.streams import share_threads
from api.web import base_url_of
from controllers.boot import release_connection
from controllers.status import StatusController
from lib.config import Section
from lib.utils.urlkit import Links

log = logging.getLogger('warble.rpc')
SERVICES = ('warble.MicroPosts', 'warble.Analyzer')
HEALTH_SECONDS = 5.0  # how often the health service asks the database


def links_of(settings: Section) -> Links:
    """Links to the REST resources, as the web server shows them."""
    environ = {'SERVER_NAME': settings.server.host, 'SERVER_PORT': str(settings.server.port)}
    return Links(base_url_of(environ, settings))


def build(settings: Section) -> tuple[grpc.Server, health.HealthServicer, int]:
    """A server bound to `grpc.host:grpc.port`, not yet started, with its health servicer and
    the port it got."""
    limit = settings.grpc.max_message_bytes
    share_threads(settings.grpc.workers)  # a StreamTimeline call holds a thread while open
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=settings.grpc.workers,
                                   thread_name_prefix='warble-rpc'),
        maximum_concurrent_rpcs=settings.server.max_in_flight or None,  # 0: no limit
        options=[('grpc.max_receive_message_length', limit),
                 ('grpc.max_send_message_length', limit),
                 ('grpc.so_reuseport', 0)])
    microposts_pb2_grpc.add_MicroPostsServicer_to_server(MicroPosts(links_of(settings)), server)
    analyzer_pb2_grpc.add_AnalyzerServicer_to_server(
        Analyzer(settings.analyzer.protected), server)
    checker = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(checker, server)
    names = (microposts_pb2.DESCRIPTOR.services_by_name['MicroPosts'].full_name,
             analyzer_pb2.DESCRIPTOR.services_by_name['Analyzer'].full_name,
             health_pb2.DESCRIPTOR.services_by_name['Health'].full_name,
             reflection.SERVICE_NAME)
    reflection.enable_server_reflection(names, server)
    port = server.add_insecure_port(f'{settings.grpc.host}:{settings.grpc.port}')
    return server, checker, port


def watch_health(checker: health.HealthServicer, settings: Section,
                 stopped: threading.Event) -> None:
    """Every HEALTH_SECONDS until `stopped`: SERVING while the database answers, else
    NOT_SERVING, for the server as a whole ('') and for each service."""
    while True:
        healthy = StatusController(settings).database_ok()
        release_connection()
        status = health_pb2.HealthCheckResponse.SERVING if healthy \
            else health_pb2.HealthCheckResponse.NOT_SERVING
        for service in ('', *SERVICES):
            checker.set(service, status)
        if stopped.wait(HEALTH_SECONDS):
            return
