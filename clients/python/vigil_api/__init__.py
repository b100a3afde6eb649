"""A client of Vigil's EA and admin APIs, standard library only.

signer     the request signature (docs/http-api.md)
transport  one kept-alive HTTP connection
errors     ApiError and its subclasses by status, TransportError
ea         EaClient: poll, ack, close_commands, close_ack, positions_snapshot
admin      AdminClient: clients, devices, signals, positions, ticks, reports
delivery   send_until_answered: one result sent until the server answers
journal    Journal: what this EA executed, on disk, so a restart never trades twice
executor   Executor: the three above joined into an EA loop's steps
"""
from . import signer
from .admin import AdminClient
from .delivery import Backoff, send_until_answered
from .ea import EaClient, executed_ack, executed_close, failed_close, rejected_ack
from .errors import (ApiError, BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, RateLimited, ServerError,
                     TransportError, Unauthorized, Unavailable, VigilError)
from .executor import Executor
from .journal import CLOSE, OPEN, Journal, JournalError
from .transport import Connection, Response

__version__ = "0.1.0"
