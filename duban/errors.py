"""Errors a user can cause. Each carries a one-line message; the CLI and the web
turn them into a clear message and an exit code or HTTP status, never a traceback."""


class DubanError(Exception):
    """Base of every error a user can cause."""

    exit_code = 1
    http_status = 400


class InputError(DubanError):
    """A file that cannot be read as a plan: names the file and the problem."""

    def __init__(self, path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class NotFound(DubanError):
    http_status = 404


class PermissionDenied(DubanError):
    http_status = 403


class Conflict(DubanError):
    http_status = 409
