"""Answers other than 2xx become typed errors carrying the contract's
error body and Retry-After."""
import email.utils
import unittest

import package_path  # noqa: F401
from vigil_api import errors
from vigil_api.transport import Response


def answer(status, body, **headers):
    return Response(status, {k.lower().replace("_", "-"): v for k, v in headers.items()}, body, 0.0)


class ErrorParsing(unittest.TestCase):
    def test_each_status_of_the_contract_has_its_own_type_with_code_and_message(self):
        kinds = {400: errors.BadRequest, 401: errors.Unauthorized, 403: errors.Forbidden, 404: errors.NotFound,
                 409: errors.Conflict, 413: errors.PayloadTooLarge, 429: errors.RateLimited,
                 503: errors.Unavailable, 500: errors.ServerError, 502: errors.ServerError}
        for status, kind in kinds.items():
            with self.subTest(status=status):
                e = errors.error_from_response(
                    answer(status, b'{"error":{"code":"conflicting_ack","message":"position pos_1: another ack"}}'))
                self.assertIs(type(e), kind)
                self.assertIsInstance(e, errors.ApiError)
                self.assertEqual((e.status, e.code, e.message), (status, "conflicting_ack", "position pos_1: another ack"))

    def test_a_500_keeps_the_request_id_the_server_logged(self):
        e = errors.error_from_response(answer(500, b'{"error":{"code":"internal","message":"internal error",'
                                                   b'"request_id":"req_42"}}'))
        self.assertEqual(e.request_id, "req_42")

    def test_retry_after_in_seconds_is_read_from_a_429_and_a_503(self):
        for status in (429, 503):
            e = errors.error_from_response(answer(status, b'{"error":{"code":"x","message":"y"}}', Retry_After="3"))
            self.assertEqual(e.retry_after, 3.0)
            self.assertTrue(e.retryable)

    def test_retry_after_as_an_http_date_is_the_seconds_until_then(self):
        date = email.utils.formatdate(1000.0 + 7, usegmt=True)
        self.assertAlmostEqual(errors.parse_retry_after(date, now=1000.0), 7.0)
        self.assertIsNone(errors.parse_retry_after("soon"))
        self.assertIsNone(errors.parse_retry_after(None))

    def test_only_429_and_5xx_are_worth_sending_again(self):
        for status, retryable in [(400, False), (401, False), (404, False), (409, False), (429, True), (500, True),
                                  (503, True)]:
            e = errors.error_from_response(answer(status, b'{"error":{"code":"x","message":"y"}}'))
            self.assertEqual(e.retryable, retryable, status)

    def test_a_body_that_is_not_the_contracts_error_still_gives_an_error_naming_the_status(self):
        e = errors.error_from_response(answer(502, b"<html>Bad Gateway</html>"))
        self.assertIsInstance(e, errors.ServerError)
        self.assertEqual(e.code, "http_502")
        self.assertIn("Bad Gateway", e.message)
        e = errors.error_from_response(answer(418, b""))
        self.assertEqual((type(e), e.code, e.message), (errors.ApiError, "http_418", "HTTP 418"))

    def test_the_error_keeps_the_response_and_reads_as_a_sentence(self):
        response = answer(404, b'{"error":{"code":"not_found","message":"no position pos_9"}}')
        e = errors.error_from_response(response)
        self.assertIs(e.response, response)
        self.assertEqual(str(e), "404 not_found: no position pos_9")


if __name__ == "__main__":
    unittest.main(verbosity=2)
