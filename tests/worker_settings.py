"""Settings of a real Celery worker process that a `worker` test starts and kills.

The portal's settings, plus what the test needs to watch from outside the process:
letters written one file each into TEST_MAIL_DIR (slowly, so a kill lands mid-run),
queues of the test's own (TEST_QUEUE_PREFIX + mail, documents, heavy), and a broker
that hands unacknowledged messages out again after TEST_VISIBILITY_TIMEOUT seconds,
looking every second.
"""

import os

from mentorship import queues
from mentorship.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.workerproc.SlowFileBackend"
EMAIL_FILE_PATH = os.environ["TEST_MAIL_DIR"]
EMAIL_TIMEOUT = 1
QUEUE_PREFIX = os.environ["TEST_QUEUE_PREFIX"]
CELERY_TASK_DEFAULT_QUEUE = QUEUE_PREFIX + queues.DEFAULT_QUEUE
CELERY_TASK_ROUTES = queues.routes(QUEUE_PREFIX)
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("TEST_VISIBILITY_TIMEOUT", "1800")),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
