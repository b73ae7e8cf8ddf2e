"""Jobs: the tracker that follows them (``tracker``), its polling schedule (``schedule``), the
SQLite history of calls and statuses (``history``) and the job reports: summaries, plots and
exports of that history (``report``)."""
