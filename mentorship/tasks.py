from celery import shared_task


@shared_task(name="mentorship.ping")
def ping() -> str:
    """The worker probe: a task that round-trips through the broker and back."""
    return "pong"
