"""The transactional outbox: every task an action enqueues is a row written in the action's
own transaction and handed to Celery after commit, so a broker or mail server that is down
delays the work but never fails the action or loses it. `services.enqueue` is the door."""
