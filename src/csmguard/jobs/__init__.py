"""Durable background jobs: scans, register imports and uploaded scan results queued in the database (table
``jobs``), each run in a child process with a memory and time budget, so the server's memory returns to
its baseline after every job, failed or not. See :mod:`csmguard.jobs.queue` for the interface."""
