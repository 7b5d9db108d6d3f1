"""Scheduled scans: the seed's cadence as systemd user timers or crontab lines."""
