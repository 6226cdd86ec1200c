"""The names of the events the jobs domain emits (see ``jobs.lifecycle.job_event``)."""

JOB_SUBMITTED = "job.submitted"
JOB_STATUS_CHANGED = "job.status_changed"
JOB_PROGRESS = "job.progress"
JOB_RESULT_READY = "job.result_ready"

# The events that move a job along its timeline; each names its predecessor (prev_seq).
TIMELINE = frozenset({JOB_SUBMITTED, JOB_STATUS_CHANGED, JOB_PROGRESS})
