"""gunicorn configuration for servers the tests start: each worker tells the suite's time."""


def post_fork(server, worker):
    from tests.suite_clock import start_in_this_process

    start_in_this_process()
